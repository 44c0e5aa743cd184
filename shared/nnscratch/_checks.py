"""Input checks shared by the package: each raises an error a student can act on.

Every message says what was wrong, what was expected, and how to fix it. Nothing here
converts silently: a check either passes the array through unchanged or raises.
"""

import numpy as np


def check_2d(X, name="X", *, finite=True):
    """Return X as an ndarray if it is a finite 2-D numeric array of shape (N, D); else raise.

    With finite=False the NaN/inf scan is skipped (fit finds them batch by batch instead).

    Raises
    ------
    TypeError   if X is not numeric (for example a list of strings or an np.matrix).
    ValueError  if X is not 2-D, is empty, or contains NaN or inf.
    """
    if isinstance(X, np.matrix):
        raise TypeError(
            f"{name} is an np.matrix; nnscratch works with plain arrays. Convert it with np.asarray({name})."
        )
    X = np.asarray(X)
    if not np.issubdtype(X.dtype, np.number) or np.issubdtype(X.dtype, np.complexfloating):
        raise TypeError(f"{name} must hold real numbers, got dtype {X.dtype}.")
    if X.ndim != 2:
        hint = ""
        if X.ndim == 1:
            hint = (
                f" If {name} holds one sample, use {name}.reshape(1, -1); "
                f"if it holds N samples of one feature, use {name}.reshape(-1, 1)."
            )
        elif X.ndim == 3:
            hint = f" For images of shape (N, H, W), flatten them with {name}.reshape(len({name}), -1)."
        raise ValueError(f"{name} must be a 2-D array of shape (N, D), got shape {X.shape}.{hint}")
    if X.shape[0] == 0:
        raise ValueError(f"{name} is empty (shape {X.shape}); it needs at least one sample (row).")
    if finite and np.issubdtype(X.dtype, np.floating) and not np.all(np.isfinite(X)):
        n_nan = int(np.isnan(X).sum())
        n_inf = int(np.isinf(X).sum())
        raise ValueError(
            f"{name} contains {n_nan} NaN and {n_inf} inf values; every entry must be a finite number. "
            f"Find them with np.argwhere(~np.isfinite({name})) and drop or replace those rows."
        )
    return X


def check_inputs(X, n_features, dtype, name="X", *, finite=True, expected_by="the model"):
    """check_2d, then the number of columns; return X converted to ``dtype`` (once, before training)."""
    X = check_2d(X, name, finite=finite)
    if X.shape[1] != n_features:
        raise ValueError(
            f"{name} has {X.shape[1]} features (columns) but {expected_by} expects {n_features}."
        )
    return np.asarray(X, dtype=dtype)


def check_targets(y, n, n_outputs, loss_name, dtype, name="y", x_name="X"):
    """Return the targets of n samples for a model with n_outputs outputs trained with loss_name.

    "CCE" needs one-hot rows; "BCE" numbers in [0, 1]; "MSE" finite numbers, shape (N, K) either way.
    """
    y = np.asarray(y)
    if y.ndim == 0:
        raise ValueError(f"{name} must hold one target per sample, got a scalar.")
    check_same_length(range(n), y, x_name, name)  # range(n): anything with n rows will do
    K = n_outputs
    if loss_name == "CCE":
        check_onehot(y, n_classes=K, name=name)
        return np.asarray(y, dtype=dtype)
    if y.ndim == 1 and K == 1:
        raise ValueError(
            f"{name} has shape {y.shape} but the model has one output per sample, shape ({n}, 1); "
            f"make it a column with {name}.reshape(-1, 1)."
        )
    if y.ndim != 2 or y.shape[1] != K:
        hint = (
            f" For class labels, one-hot encode them with class_to_onehot({name}, {K})."
            if y.ndim == 1
            else ""
        )
        raise ValueError(
            f"{name} must have shape (N, {K}) to match the model's {K} outputs, got shape {y.shape}.{hint}"
        )
    if not np.issubdtype(y.dtype, np.number) or not np.all(np.isfinite(y)):
        raise ValueError(f"{name} must hold finite numbers.")
    if loss_name == "BCE":
        check_between_0_and_1(y, name, "BCE")
    return np.asarray(y, dtype=dtype)


def check_batch_size(batch_size, n):
    """Return the batch size for n samples: -1 means all n; otherwise a count in [1, n]."""
    if isinstance(batch_size, (int, np.integer)) and not isinstance(batch_size, bool) and batch_size == -1:
        return n
    if check_positive_int(batch_size, "batch_size") > n:
        raise ValueError(
            f"batch_size must be in [1, {n}] (the number of samples), or -1 for the full batch, "
            f"got {batch_size}."
        )
    return int(batch_size)


def check_same_length(X, y, x_name="X", y_name="y"):
    """Raise if X and y do not hold the same number of samples (first dimension)."""
    if len(X) != len(y):
        raise ValueError(
            f"{x_name} has {len(X)} samples but {y_name} has {len(y)}; "
            f"they must have the same length (one target per row of {x_name})."
        )


def check_labels(y, n_classes=None, name="y"):
    """Return integer class labels y of shape (N,) after checking them; else raise.

    Labels must be whole numbers in [0, n_classes). A column vector (N, 1) is accepted
    and flattened, since that is how many data generators return labels. Floats that
    hold whole numbers (2.0) are accepted; 2.5 is not.
    """
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(
            f"{name} must hold one integer class label per sample, shape (N,), got shape {y.shape}. "
            f"If {name} is already one-hot, recover the labels with {name}.argmax(axis=1)."
        )
    if y.size and np.issubdtype(y.dtype, np.floating):
        if not np.all(np.isfinite(y)) or not np.all(y == np.round(y)):
            bad = y[~np.isfinite(y) | (y != np.round(y))][:3]
            raise ValueError(
                f"{name} must hold whole-number class labels, got non-integer values such as {bad.tolist()}."
            )
    elif not np.issubdtype(y.dtype, np.integer) and not np.issubdtype(y.dtype, np.floating):
        raise TypeError(f"{name} must hold integer class labels, got dtype {y.dtype}.")
    y = y.astype(np.int64)
    if y.size and y.min() < 0:
        raise ValueError(f"{name} has negative labels (smallest is {y.min()}); class labels start at 0.")
    if n_classes is not None and y.size and y.max() >= n_classes:
        raise ValueError(
            f"{name} has labels up to {y.max()} but n_classes={n_classes}, so labels must be in "
            f"[0, {n_classes - 1}]. Are your labels 1-based? Then subtract 1; "
            f"or pass n_classes={y.max() + 1}."
        )
    return y


def check_onehot(Y, n_classes=None, name="y"):
    """Raise unless Y is a one-hot (N, K) array: 0s and 1s with exactly one 1 per row."""
    Y = np.asarray(Y)
    if Y.ndim != 2:
        raise ValueError(
            f"{name} must be one-hot encoded with shape (N, K), got shape {Y.shape}. "
            f"Convert integer labels with nnscratch.utils.class_to_onehot({name}, K)."
        )
    if n_classes is not None and Y.shape[1] != n_classes:
        raise ValueError(
            f"{name} has {Y.shape[1]} columns but the model predicts {n_classes} classes; "
            f"one-hot targets need one column per class."
        )
    if not (np.all((Y == 0) | (Y == 1)) and np.all(Y.sum(axis=1) == 1)):
        rows = np.flatnonzero(~(np.all((Y == 0) | (Y == 1), axis=1) & (Y.sum(axis=1) == 1)))
        raise ValueError(
            f"{name} is not one-hot: row {rows[0]} is {Y[rows[0]].tolist()} ({len(rows)} such rows). "
            f"Each row must contain a single 1 and 0s elsewhere; "
            f"build it with nnscratch.utils.class_to_onehot(labels, K)."
        )
    return Y


def check_positive_int(value, name, *, allow_none=False):
    """Return ``value`` as an int if it is a whole number >= 1 (an int or NumPy integer); else raise.

    Every count in the package (epochs, patience, batch_size, layer sizes, numbers of points and
    classes) goes through here, so one mistake always gets one error and one message:
    ``TypeError`` for something that is not an integer at all (``"3"``, ``2.0``, ``True``: Python
    counts True as 1, but ``epochs=True`` is a slip, not a count), ``ValueError`` for 0 or less.
    With allow_none=True, None passes through (an optional setting such as ``patience``).
    """
    if allow_none and value is None:
        return None
    expected = "None or a positive integer" if allow_none else "a positive integer"
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be {expected}, got {value!r}.")
    if value < 1:
        raise ValueError(f"{name} must be {expected}, got {value!r}.")
    return int(value)


def check_in_range(value, name, low, high, *, low_open=False, high_open=False):
    """Raise ``ValueError('name must be in [low, high], got value')`` unless value is a number inside.

    Written as "is it inside?" rather than "is it outside?" so that NaN, for which every
    comparison is False, is refused too.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {value!r}.")
    above_low = value > low if low_open else value >= low
    below_high = value < high if high_open else value <= high
    if not (above_low and below_high):
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        raise ValueError(f"{name} must be in {left}{low}, {high}{right}, got {value}.")
    return value


def check_between_0_and_1(Y, name="y", who="BCE"):
    """Raise unless every target lies in [0, 1] (probabilities or 0/1 labels), as ``who`` needs."""
    if Y.size and (np.min(Y) < 0 or np.max(Y) > 1):
        raise ValueError(
            f"{who} needs targets between 0 and 1, but {name} has values from {np.min(Y)} to {np.max(Y)}."
        )
    return Y


def as_labels(a, name):
    """Labels (N,) from labels, a column (N, 1), or one-hot targets / scores (N, K) (via argmax)."""
    a = np.asarray(a)
    if a.ndim == 2 and a.shape[1] > 1:
        return a.argmax(axis=1)
    if a.ndim == 2 and a.shape[1] == 1:
        return a[:, 0]
    if a.ndim != 1:
        raise ValueError(f"{name} must be labels (N,) or scores/one-hot (N, K), got shape {a.shape}.")
    return a


def check_choice(value, name, choices):
    """Raise ``ValueError`` naming the valid choices when value is not one of them."""
    if value not in choices:
        valid = ", ".join(repr(c) for c in choices)
        raise ValueError(f"unknown {name} {value!r}; valid names are {valid}.")
    return value


def as_generator(rng):
    """Return ``rng`` if it is a ``np.random.Generator``, a fresh unseeded one for None; else raise.

    Randomness is always passed explicitly, never taken from NumPy's global state, so that
    ``np.random.default_rng(seed)`` makes a whole experiment repeatable.
    """
    if rng is None:
        return np.random.default_rng()
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng must be a numpy Generator such as np.random.default_rng(0), got {type(rng).__name__}."
        )
    return rng
