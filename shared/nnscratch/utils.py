"""Small helpers around the data: shuffling, one-hot encoding, splitting, accuracy.

Shapes: N samples, D features, K classes.
"""

import numpy as np

from nnscratch._checks import (
    as_generator,
    as_labels,
    check_in_range,
    check_labels,
    check_positive_int,
    check_same_length,
)


def shuffle(arrays, rng=None):
    """Permute several arrays along their first axis with one shared permutation.

    Parameters
    ----------
    arrays : list of arrays, each with N rows (e.g. ``[X, y]`` with X: (N, D), y: (N,))
    rng : np.random.Generator, optional; pass ``np.random.default_rng(seed)`` for repeatable results.

    Returns
    -------
    list of arrays in the same order, row i of every array still belonging together.
    """
    if isinstance(arrays, np.ndarray):
        raise TypeError(
            "shuffle expects a list of arrays, e.g. shuffle([X, y], rng); "
            "for a single array write shuffle([X], rng)[0]."
        )
    arrays = [np.asarray(a) for a in arrays]
    if not arrays:
        raise ValueError("shuffle got an empty list; pass the arrays to shuffle, e.g. shuffle([X, y], rng).")
    for i, a in enumerate(arrays):
        if a.ndim == 0:
            raise ValueError(f"arrays[{i}] is a scalar; every array must have one row per sample.")
    n = len(arrays[0])
    for i, a in enumerate(arrays[1:], start=1):
        check_same_length(arrays[0], a, "arrays[0]", f"arrays[{i}]")
    order = as_generator(rng).permutation(n)
    return [a[order] for a in arrays]


def class_to_onehot(y, n_classes):
    """One-hot encode integer labels.

    Parameters
    ----------
    y : (N,) or (N, 1) whole-number labels in [0, n_classes)
    n_classes : K, the number of classes

    Returns
    -------
    Y : (N, K) float64 with Y[i, y[i]] = 1 and zeros elsewhere.
    """
    n_classes = check_positive_int(n_classes, "n_classes")
    labels = check_labels(y, n_classes)
    Y = np.zeros((labels.shape[0], n_classes), dtype=np.float64)
    Y[np.arange(labels.shape[0]), labels] = 1.0
    return Y


def train_val_split(X, y, val_fraction=0.2, *, rng=None, stratify=True):
    """Split (X, y) into a training and a validation part.

    Parameters
    ----------
    X : (N, ...) samples; y : (N,) labels or (N, K) one-hot targets
    val_fraction : share of the samples that goes to validation, in (0, 1)
    rng : np.random.Generator; its next integer seeds scikit-learn's splitter
    stratify : keep the class proportions equal in both parts (uses the labels, or argmax of one-hot y)

    Returns
    -------
    X_train, X_val, y_train, y_val, in scikit-learn's order. The validation part has
    ceil(val_fraction * N) samples (scikit-learn rounds up), the training part the rest:
    N = 5000 and val_fraction = 0.2 give 4000 and 1000.
    """
    check_in_range(val_fraction, "val_fraction", 0.0, 1.0, low_open=True, high_open=True)
    X = np.asarray(X)
    y = np.asarray(y)
    check_same_length(X, y)
    seed = int(as_generator(rng).integers(2**31 - 1))
    strata = None
    if stratify:
        strata = y.argmax(axis=1) if (y.ndim == 2 and y.shape[1] > 1) else y.reshape(len(y), -1)[:, 0]
        counts = np.unique(strata, return_counts=True)[1]
        if counts.min() < 2:
            raise ValueError(
                "stratify=True needs at least 2 samples of every class, but one class has only 1; "
                "pass stratify=False or collect more data."
            )
    # Imported here, not at the top: scikit-learn takes about a second to import, and every
    # notebook (and every graded submission) that imports nnscratch.utils would pay it.
    from sklearn.model_selection import train_test_split

    return train_test_split(X, y, test_size=val_fraction, random_state=seed, stratify=strata)


def accuracy(y_true, y_pred):
    """Share of samples whose predicted class equals the true class, a float in [0, 1].

    Each argument may be labels (N,), a column (N, 1), or one-hot targets / probabilities (N, K),
    in which case its argmax along axis 1 is the class. Single-column outputs that are not whole
    numbers (a sigmoid probability, a regression output) are refused: decide how to turn them into
    classes first, e.g. ``(p >= 0.5).astype(int)`` or ``np.rint(out)``.
    """
    t = as_labels(y_true, "y_true")
    p = as_labels(y_pred, "y_pred")
    check_same_length(t, p, "y_true", "y_pred")
    if len(t) == 0:
        raise ValueError("accuracy of zero samples is undefined; y_true and y_pred are empty.")
    if np.issubdtype(p.dtype, np.floating) and not np.all(p == np.round(p)):
        raise ValueError(
            f"y_pred must hold whole-number class labels, got non-integer values such as "
            f"{p[p != np.round(p)][:3].tolist()}. Turn scores into classes first: (p >= 0.5).astype(int) "
            f"for one probability per sample, np.rint(output) for a regression output, or pass all K "
            f"columns (argmax is taken)."
        )
    t, p = check_labels(t, name="y_true"), check_labels(p, name="y_pred")
    return float(np.mean(t == p))
