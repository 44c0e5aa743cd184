"""Gradient checking: compare backpropagated gradients with centred finite differences.

The centred difference (f(x + h) - f(x - h)) / (2h) approximates df/dx with an error of order
h**2, against order h for the one-sided version, so it can tell a right gradient from an almost
right one.

How to read the relative error ``||analytic - numeric|| / (||analytic|| + ||numeric||)``
(computed in float64 with the default h = 1e-5):

- below 1e-7: the gradient is right;
- 1e-7 to 1e-5: probably right, but look closer (a ReLU input very close to 0, a clipped
  probability, or a loss that is itself tiny can cause this);
- above 1e-3: almost certainly a bug (a missing 1/N, a transposed matrix, a forgotten bias).

Check in float64: float32 carries only about 7 digits, so even correct gradients show errors
around 1e-3 there. Reports also say *where* the worst disagreement is (parameter and index),
which is where to start looking.
"""

import warnings

import numpy as np

from nnscratch._checks import as_generator, check_positive_int


def rel_error(a, b):
    """Relative error ||a - b|| / (||a|| + ||b||) of two arrays (or numbers); 0.0 if both are 0.

    The result lies in [0, 1]: 0 for equal arrays, 1 when one of them is zero and the other not.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"rel_error: the arrays have shapes {a.shape} and {b.shape}; they must be equal.")
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / denom) if denom > 0 else 0.0


def _indices(shape, n_checks, rng):
    """All flat indices of an array of this shape, or n_checks of them drawn at random."""
    size = int(np.prod(shape))
    n_checks = check_positive_int(n_checks, "n_checks", allow_none=True)  # 0 would check nothing and pass
    if n_checks is None or n_checks >= size:
        return np.arange(size)
    return np.sort(as_generator(rng).choice(size, size=int(n_checks), replace=False))


def _numeric_in_place(f, x, h, flat_indices):
    """Centred differences of the scalar function f() with respect to entries of x.

    Changes one entry of x at a time and puts the exact old value back afterwards, so x (which
    the caller's layer or model owns) ends bit-for-bit as it started.
    """
    grad = np.zeros(x.shape, dtype=np.float64)
    flat = x.reshape(-1)  # a view: writing into it writes into x
    if not np.shares_memory(flat, x):
        raise ValueError("numerical gradients need a contiguous array to perturb.")
    gflat = grad.reshape(-1)
    for i in flat_indices:
        old = flat[i]
        flat[i] = old + h
        f_plus = f()
        flat[i] = old - h
        f_minus = f()
        flat[i] = old
        gflat[i] = (f_plus - f_minus) / (2 * h)
    return grad


def numerical_gradient(f, x, h=1e-5):
    """Centred-difference gradient of the scalar function f at x.

    Parameters
    ----------
    f : callable taking an array shaped like x and returning a number
    x : array (any shape); it is not modified (f is called on a float64 copy)
    h : step size

    Returns
    -------
    grad : float64 array shaped like x, grad[i] ~ (f(x + h e_i) - f(x - h e_i)) / (2h)
    """
    xc = np.array(x, dtype=np.float64)  # our own copy, perturbed one entry at a time
    return _numeric_in_place(lambda: float(f(xc)), xc, h, range(xc.size))


class GradCheckEntry:
    """Result for one array: relative error, and where analytic and numeric differ most."""

    def __init__(self, name, analytic, numeric, flat_indices):
        a = np.asarray(analytic, dtype=np.float64).reshape(-1)[flat_indices]
        n = numeric.reshape(-1)[flat_indices]
        self.name = name
        self.shape = tuple(np.shape(analytic))
        self.n_checked = len(flat_indices)
        self.rel_error = rel_error(a, n)
        worst = int(np.argmax(np.abs(a - n)))
        self.index = tuple(int(i) for i in np.unravel_index(int(flat_indices[worst]), self.shape))
        self.analytic = float(a[worst])
        self.numeric = float(n[worst])

    def __repr__(self):
        return (
            f"{self.name}: rel_error={self.rel_error:.2e}, worst at {self.index} "
            f"(analytic {self.analytic:.6g}, numeric {self.numeric:.6g})"
        )


class GradCheckReport:
    """Per-array results of a gradient check. ``report["Dense_0.W"]`` gives one entry;
    ``report.worst`` the entry with the largest relative error, ``report.rel_error`` its value;
    ``report.passed(tol=1e-7)`` tells whether every array is below tol. Printing shows a table.
    """

    def __init__(self, entries):
        self.entries = {e.name: e for e in entries}

    def __getitem__(self, name):
        return self.entries[name]

    def __iter__(self):
        return iter(self.entries.values())

    def __len__(self):
        return len(self.entries)

    @property
    def worst(self):
        return max(self.entries.values(), key=lambda e: e.rel_error)

    @property
    def rel_error(self):
        return self.worst.rel_error

    def passed(self, tol=1e-7):
        return self.rel_error < tol

    def __repr__(self):
        width = max(5, *(len(e.name) for e in self.entries.values()))
        lines = [f"{'array'.ljust(width)}  rel. error  worst index      analytic      numeric"]
        for e in self.entries.values():
            lines.append(
                f"{e.name.ljust(width)}  {e.rel_error:10.2e}  {str(e.index):<12} "
                f"{e.analytic:12.6g} {e.numeric:12.6g}"
            )
        lines.append(f"worst: {self.worst.name} at {self.worst.index}, relative error {self.rel_error:.2e}")
        return "\n".join(lines)


def _warn_float32(dtype, what):
    if np.dtype(dtype) != np.float64:
        warnings.warn(
            f"gradient check of a {np.dtype(dtype).name} {what}: expect relative errors near 1e-3 "
            f"even for correct gradients; check in float64.",
            stacklevel=3,
        )


def check_function(f, theta, h=1e-5, *, n_checks=None, rng=None):
    """Check a function ``f(theta) -> (cost, grad)`` such as an "unrolled theta" network's cost.

    theta : 1-D (or any shape) float array of parameters; it is not modified.
    n_checks : check only this many randomly chosen entries (each costs two calls of f); None: all.
    rng : np.random.Generator choosing those entries.

    Returns a GradCheckReport with one entry, "theta".
    """
    theta = np.array(theta, dtype=np.float64)  # our own copy
    result = f(theta.copy())
    if not (isinstance(result, tuple) and len(result) == 2):
        raise TypeError("check_function needs f(theta) to return a pair (cost, grad).")
    analytic = np.asarray(result[1], dtype=np.float64)
    if analytic.shape != theta.shape:
        raise ValueError(
            f"f returned a gradient of shape {analytic.shape}, but theta has shape {theta.shape}."
        )
    idx = _indices(theta.shape, n_checks, rng)
    numeric = _numeric_in_place(lambda: float(f(theta)[0]), theta, h, idx)
    return GradCheckReport([GradCheckEntry("theta", analytic, numeric, idx)])


def check_layer(layer, X, dout, h=1e-5):
    """Check one layer's backward pass, given an input X (N, D) and an upstream gradient dout.

    The scalar being differentiated is L = sum(layer.forward(X) * dout), whose gradient with
    respect to the output is exactly dout; so backward(dout) must return dL/dX and store the
    parameter gradients. X and dout are not modified; the layer's parameters end unchanged.

    Returns a GradCheckReport with entries "X" and one per parameter ("W", "b").
    """
    X = np.array(X, dtype=np.float64)
    dout = np.array(dout, dtype=np.float64)
    params = layer.params() if hasattr(layer, "params") else {}
    for p in params.values():
        _warn_float32(p.dtype, "layer")
    out = layer.forward(X.copy())
    if out.shape != dout.shape:
        raise ValueError(f"dout has shape {dout.shape} but the layer's output has shape {out.shape}.")
    dX = np.asarray(layer.backward(dout.copy()), dtype=np.float64)
    analytic = {"X": dX}
    analytic.update({k: np.array(g, dtype=np.float64) for k, g in layer.grads().items()})

    def scalar(x_input):
        return float(np.sum(layer.forward(x_input) * dout))

    entries = []
    idx = np.arange(X.size)
    entries.append(GradCheckEntry("X", analytic["X"], _numeric_in_place(lambda: scalar(X), X, h, idx), idx))
    for name, p in params.items():
        idx = np.arange(p.size)
        numeric = _numeric_in_place(lambda: scalar(X), p, h, idx)
        entries.append(GradCheckEntry(name, analytic[name], numeric, idx))
    return GradCheckReport(entries)


def check_model(model, X, y, h=1e-5, *, n_checks=None, rng=None):
    """Check a Sequential model's backpropagation on (X, y), parameter by parameter.

    The scalar is the model's loss on the whole of (X, y), with the same fused Softmax/CCE or
    Sigmoid/BCE gradient that fit() uses. Keep X small (a few samples): every checked entry
    costs two forward passes. n_checks: check only that many random entries per parameter.
    The model's parameters end bit-for-bit unchanged.

    Returns a GradCheckReport with one entry per parameter, named like "Dense_0.W".
    """
    _warn_float32(model.dtype, "model")
    params = model.params()  # the model's own arrays, perturbed in place one entry at a time
    _, grads = model.loss_and_gradients(X, y)
    analytic = {name: np.array(g, dtype=np.float64) for name, g in grads.items()}

    def loss():
        return model.evaluate(X, y)["loss"]

    entries = []
    for name, p in params.items():
        idx = _indices(p.shape, n_checks, rng)
        entries.append(GradCheckEntry(name, analytic[name], _numeric_in_place(loss, p, h, idx), idx))
    return GradCheckReport(entries)
