"""Layers: the building blocks a Sequential model chains together.

Shapes use fixed letters: N samples in a batch, D input features, H hidden units, K outputs.

Every layer has the same small interface:

- ``forward(X)`` computes the output and keeps what ``backward`` will need;
- ``backward(dout)`` takes dL/d(output) and returns dL/d(input), storing the gradients of the
  layer's own parameters on the way;
- ``params()`` / ``grads()`` return dicts of the parameter arrays and their gradients
  (empty for layers without parameters).

Only ``Dense`` has parameters; the activation layers live in ``nnscratch.activations``.
"""

import numpy as np

from nnscratch._checks import as_generator, check_choice, check_positive_int

#: Weight initialisations Dense understands. "auto" picks "he" or "xavier" (see Dense).
INITS = ("auto", "he", "xavier", "normal", "zeros")


def check_float_dtype(dtype):
    """Return ``dtype`` as np.float32 or np.float64; anything else raises (integers cannot learn)."""
    dtype = np.dtype(dtype)
    if dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype must be np.float32 or np.float64, got {dtype}.")
    return dtype


def _init_scale(init, n_in, n_out):
    """Standard deviation of the normal distribution the weights are drawn from.

    He (2 / n_in) keeps the variance of ReLU outputs stable from layer to layer, because ReLU
    zeroes half of its inputs; Xavier/Glorot (2 / (n_in + n_out)) does the same for activations
    that are roughly linear around 0 (sigmoid, tanh, softmax, identity).
    """
    if init == "he":
        return np.sqrt(2.0 / n_in)
    if init in ("xavier", "auto"):
        return np.sqrt(2.0 / (n_in + n_out))
    if init == "normal":
        return 0.01  # the classic small-random start; fine for shallow nets, too small for deep ones
    return 0.0  # "zeros": every hidden unit stays identical (shown in the lectures as a mistake)


class Layer:
    """Base class: a layer with no parameters. Subclasses override forward and backward."""

    def forward(self, X):
        raise NotImplementedError

    def backward(self, dout):
        raise NotImplementedError

    def params(self):
        """Dict name -> parameter array (the layer's own arrays, so in-place updates train it)."""
        return {}

    def grads(self):
        """Dict name -> gradient array, same keys and shapes as params(); filled by backward()."""
        return {}

    @property
    def n_params(self):
        """Number of trainable numbers in the layer."""
        return int(sum(p.size for p in self.params().values()))

    def get_config(self):
        """Constructor arguments, so that a saved model can be rebuilt (see Sequential.save)."""
        return {}

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class Dense(Layer):
    """Fully connected layer: ``out = X @ W + b``.

    Parameters
    ----------
    n_in : D, the number of inputs (features) per sample
    n_out : H, the number of outputs (units)
    init : "auto" (default), "he", "xavier", "normal" or "zeros".
        Weights are drawn from a normal distribution with standard deviation
        sqrt(2 / n_in) for "he", sqrt(2 / (n_in + n_out)) for "xavier", 0.01 for "normal".
        "auto" starts as "xavier"; when the layer is put in a Sequential model directly before a
        ReLU, LeakyReLU or ELU, the model switches it to "he" by rescaling the same random draw
        (so the random stream, and hence reproducibility, does not depend on the architecture).
    rng : np.random.Generator used to draw the weights (None: a fresh, unseeded generator)
    dtype : np.float64 (default) or np.float32 (about twice as fast for large layers)

    Attributes
    ----------
    W : (D, H) weights;  b : (H,) biases, initialised to zero
    dW, db : gradients of the loss with respect to W and b, set by backward()
    """

    def __init__(self, n_in, n_out, *, init="auto", rng=None, dtype=np.float64):
        self.n_in, self.n_out = check_positive_int(n_in, "n_in"), check_positive_int(n_out, "n_out")
        check_choice(init, "init", INITS)
        self.dtype = check_float_dtype(dtype)
        self.init = init
        z = as_generator(rng).standard_normal((self.n_in, self.n_out), dtype=self.dtype)
        scale = _init_scale(init, self.n_in, self.n_out)
        self.W = (z * self.dtype.type(scale)) if scale else np.zeros_like(z)
        self.b = np.zeros(self.n_out, dtype=self.dtype)
        self.dW = np.zeros_like(self.W)
        self.db = np.zeros_like(self.b)
        self._X = None
        # Remember the array "auto" produced: the model may rescale it only while it is untouched.
        self._auto_W = self.W if init == "auto" else None

    def resolve_auto_init(self, use_he):
        """Turn init="auto" into "he" (use_he=True) or "xavier"; called by Sequential.

        Does nothing if the weights were replaced or trained since construction.
        """
        if self.init != "auto" or self._auto_W is None or self.W is not self._auto_W:
            return
        if use_he:
            ratio = np.sqrt((self.n_in + self.n_out) / self.n_in)  # he_std / xavier_std
            self.W = self.W * self.dtype.type(ratio)  # a new array: never rescale twice
        self.init = "he" if use_he else "xavier"
        self._auto_W = None

    def forward(self, X):
        """X: (N, D) -> out: (N, H). Keeps a reference to X (not a copy) for backward."""
        if X.dtype != self.dtype:
            X = X.astype(self.dtype)  # a float64 batch into a float32 layer: convert once, here
        self._X = X
        self._auto_W = None  # the weights are in use now; "auto" must not change them any more
        out = X @ self.W
        out += self.b  # out is our own new array, so adding in place changes nothing of the caller's
        return out

    def backward(self, dout, *, need_dx=True):
        """dout: (N, H) = dL/d(out) -> dX: (N, D); stores dW (D, H) and db (H,).

        ``need_dx=False`` skips computing dX and returns None: the model uses it for the first
        layer, whose input is the data, saving about a third of the backward pass.
        """
        if self._X is None:
            raise RuntimeError("Dense.backward called before forward; run forward(X) first.")
        # The gradients are sums over the batch: each sample adds its own outer product.
        self.dW = self._X.T @ dout
        self.db = dout.sum(axis=0)
        return dout @ self.W.T if need_dx else None

    def params(self):
        return {"W": self.W, "b": self.b}

    def grads(self):
        return {"W": self.dW, "b": self.db}

    def get_config(self):
        return {"n_in": self.n_in, "n_out": self.n_out, "init": self.init, "dtype": self.dtype.name}

    def __repr__(self):
        extra = "" if self.dtype == np.float64 else f", dtype={self.dtype.name}"
        return f"Dense({self.n_in} -> {self.n_out}, init={self.init!r}{extra})"
