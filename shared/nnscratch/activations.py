"""Activation functions, as plain functions (with their derivatives) and as layers.

Shapes: activations work element-wise on any shape, in practice (N, H); Softmax works on the
rows of an (N, K) array. N samples, H hidden units, K classes.

The functions never modify their argument; the layers never modify the arrays they are given
(a layer keeps what its backward pass needs, such as its output, in its own attributes).

``sigmoid_grad(x)`` and friends are derivatives with respect to the input, evaluated at ``x``:
lecture 05 plots them next to the functions.
"""

import numpy as np

from nnscratch._checks import check_choice, check_in_range
from nnscratch.layers import Layer

# ---------------------------------------------------------------- functions


def sigmoid(x):
    """1 / (1 + exp(-x)), computed without overflow for large |x|.

    The formula as written overflows in exp(-x) for x < -709 (float64). We use the identity
    sigmoid(x) = (1 + tanh(x / 2)) / 2 instead: tanh never overflows, and it is about as fast as
    scipy.special.expit in float64 and ten times faster in float32 (measured on 10^6 values).
    The price: below about x = -37 (float64) or -17 (float32), 1 + tanh rounds to exactly 0, so
    the result is 0 instead of a tiny positive number. The losses clip probabilities at eps, so
    training does not notice.
    """
    s = np.tanh(np.asarray(x) * 0.5)  # a new array, so the in-place steps below are safe
    s += 1
    s *= 0.5
    return s


def sigmoid_grad(x):
    """d sigmoid / dx = s (1 - s) with s = sigmoid(x); at most 0.25 (at x = 0)."""
    s = sigmoid(x)
    return s * (1 - s)


def tanh(x):
    """Hyperbolic tangent, outputs in (-1, 1)."""
    return np.tanh(x)


def tanh_grad(x):
    """d tanh / dx = 1 - tanh(x)**2; at most 1 (at x = 0)."""
    t = np.tanh(x)
    return 1 - t * t


def relu(x):
    """max(x, 0)."""
    return np.maximum(x, 0)


def relu_grad(x):
    """1 where x > 0, else 0 (we take 0 at the kink x = 0)."""
    x = np.asarray(x)
    return (x > 0).astype(np.result_type(x, np.float32))


def leaky_relu(x, alpha=0.01):
    """x where x > 0, else alpha * x: a small slope keeps 'dead' units trainable."""
    x = np.asarray(x)
    return np.where(x > 0, x, alpha * x)


def leaky_relu_grad(x, alpha=0.01):
    """1 where x > 0, else alpha."""
    x = np.asarray(x)
    dtype = np.result_type(x, np.float32)
    return np.where(x > 0, dtype.type(1), dtype.type(alpha))


def elu(x, alpha=1.0):
    """x where x > 0, else alpha * (exp(x) - 1): smooth, and negative outputs centre the mean."""
    x = np.asarray(x)
    # expm1 of min(x, 0): accurate near 0, and never overflows for large positive x.
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


def elu_grad(x, alpha=1.0):
    """1 where x > 0, else alpha * exp(x)."""
    x = np.asarray(x)
    dtype = np.result_type(x, np.float32)
    return np.where(x > 0, dtype.type(1), alpha * np.exp(np.minimum(x, 0))).astype(dtype)


def softmax(z):
    """Row-wise softmax of z: (N, K) -> (N, K) probabilities, each row summing to 1.

    Subtracting each row's maximum first changes nothing mathematically
    (exp(z - m) / sum exp(z - m) = exp(z) / sum exp(z)) but keeps exp from overflowing:
    the largest exponent becomes exp(0) = 1. A 1-D z is treated as a single row.
    """
    z = np.asarray(z)
    if not np.issubdtype(z.dtype, np.floating):
        z = z.astype(np.float64)  # integer scores: the result must hold fractions
    p = z - z.max(axis=-1, keepdims=True)  # a new array: z itself stays as it was
    np.exp(p, out=p)
    p /= p.sum(axis=-1, keepdims=True)
    return p


def identity(x):
    """x unchanged (the 'linear' activation of a regression output)."""
    return np.asarray(x)


# ---------------------------------------------------------------- layers


class Activation(Layer):
    """Base class of the activation layers (no parameters)."""


class Sigmoid(Activation):
    """Layer form of :func:`sigmoid`. forward (N, H) -> (N, H); keeps its output for backward."""

    def forward(self, X):
        self._out = sigmoid(X)
        return self._out

    def backward(self, dout):
        s = self._out
        return dout * s * (1 - s)  # derivative from the output: no second exp needed


class Tanh(Activation):
    """Layer form of :func:`tanh`. forward (N, H) -> (N, H)."""

    def forward(self, X):
        self._out = np.tanh(X)
        return self._out

    def backward(self, dout):
        t = self._out
        return dout * (1 - t * t)


class ReLU(Activation):
    """Layer form of :func:`relu`. forward (N, H) -> (N, H)."""

    def forward(self, X):
        out = np.maximum(X, 0)
        self._out = out
        return out

    def backward(self, dout):
        # Where the output is positive the input was too: only those entries pass the gradient.
        return dout * (self._out > 0)  # multiplying by a boolean mask: about twice as fast as np.where


class LeakyReLU(Activation):
    """Layer form of :func:`leaky_relu` with slope ``alpha`` for negative inputs (0 <= alpha < 1)."""

    def __init__(self, alpha=0.01):
        self.alpha = float(check_in_range(alpha, "alpha", 0, 1, high_open=True))

    def forward(self, X):
        self._positive = X > 0
        return np.where(self._positive, X, self.alpha * X)

    def backward(self, dout):
        return np.where(self._positive, dout, self.alpha * dout)

    def get_config(self):
        return {"alpha": self.alpha}


class ELU(Activation):
    """Layer form of :func:`elu` with saturation value -alpha for very negative inputs (alpha > 0)."""

    def __init__(self, alpha=1.0):
        self.alpha = float(check_in_range(alpha, "alpha", 0, np.inf, low_open=True))

    def forward(self, X):
        self._X = X
        out = elu(X, self.alpha)
        self._out = out
        return out

    def backward(self, dout):
        # For x <= 0 the derivative alpha * exp(x) equals out + alpha, so we reuse the output.
        return np.where(self._X > 0, dout, dout * (self._out + self.alpha))

    def get_config(self):
        return {"alpha": self.alpha}


class Softmax(Activation):
    """Layer form of :func:`softmax`: logits (N, K) -> probabilities (N, K).

    Followed by the CCE loss, a Sequential model skips this backward pass and uses the much
    simpler fused gradient (p - y) / N directly (see nnscratch.losses.CCE).
    """

    def forward(self, X):
        self._out = softmax(X)
        return self._out

    def backward(self, dout):
        # Jacobian-vector product without building the (K, K) Jacobian of every row:
        # dz_j = p_j * (dout_j - sum_k dout_k p_k).
        p = self._out
        return p * (dout - (dout * p).sum(axis=1, keepdims=True))


class Identity(Activation):
    """Layer that passes its input through unchanged (handy as an explicit 'linear' output)."""

    def forward(self, X):
        return X

    def backward(self, dout):
        return dout


#: Activation layers by name, for Sequential([... "relu" ...]) and for lookups in lectures.
ACTIVATIONS = {
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "elu": ELU,
    "softmax": Softmax,
    "identity": Identity,
}

#: ReLU-like layers: a Dense layer right before one of these gets He initialisation under init="auto".
RELU_FAMILY = (ReLU, LeakyReLU, ELU)


def get_activation(name, **kwargs):
    """Build an activation layer from its name, e.g. get_activation("leaky_relu", alpha=0.1)."""
    if isinstance(name, Activation):
        return name
    if not isinstance(name, str):
        raise TypeError(f"an activation is a layer such as ReLU() or a name such as 'relu', got {name!r}.")
    check_choice(name.lower(), "activation", tuple(ACTIVATIONS))
    return ACTIVATIONS[name.lower()](**kwargs)
