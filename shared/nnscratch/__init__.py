"""nnscratch: neural networks from scratch in NumPy, the helper package of the course.

Every lecture and lab imports it. The modules are small enough to read end to end:

- ``layers``       Dense, the one layer with parameters
- ``activations``  Sigmoid, Tanh, ReLU, LeakyReLU, ELU, Softmax, Identity (layers and functions)
- ``losses``       MSE, BCE, CCE
- ``optimizers``   SGD (with momentum), Adam
- ``model``        Sequential: fit (the training loop on one screen), predict, evaluate
- ``training``     what fit does besides the algorithm: history, best weights, divergence, progress bar
- ``datasets``     toy data generators and the MNIST / Fashion-MNIST loaders
- ``utils``        shuffle, one-hot encoding, splits, accuracy
- ``gradcheck``    centred-difference gradient checks
- ``plotting``     decision boundaries, curves, image grids
- ``grading``      the assertions the labs' tests use

Extras a student may skip: ``saving`` (Sequential.save and load), ``_download`` (finding and
checking the full data sets), ``_idx`` (the IDX file format), ``_checks`` (the shared input checks).
"""

__version__ = "0.1.0"
