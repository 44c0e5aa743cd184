"""nnscratch: neural networks from scratch in NumPy, the helper package of the course.

Every lecture and lab imports it. The modules are small enough to read end to end:

- ``layers``       Dense, the one layer with parameters
- ``activations``  Sigmoid, Tanh, ReLU, LeakyReLU, ELU, Softmax, Identity (layers and functions)
- ``losses``       MSE, BCE, CCE
- ``optimizers``   SGD (with momentum), Adam
- ``model``        Sequential: fit, predict, evaluate, save and load
- ``datasets``     toy data generators and the MNIST / Fashion-MNIST loaders
- ``utils``        shuffle, one-hot encoding, splits, accuracy
- ``gradcheck``    centred-difference gradient checks
- ``plotting``     decision boundaries, curves, image grids
"""

__version__ = "0.1.0"
