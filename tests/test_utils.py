"""Tests of nnscratch.utils: shuffling, one-hot encoding, splitting, accuracy, and their error messages."""

import numpy as np
import pytest

from nnscratch.utils import accuracy, class_to_onehot, shuffle, train_val_split

# ----------------------------------------------------------------------------------------- shuffle


def test_shuffle_keeps_rows_together_and_is_a_permutation():
    X = np.arange(20).reshape(10, 2)
    y = np.arange(10)
    Xs, ys = shuffle([X, y], np.random.default_rng(0))
    np.testing.assert_array_equal(Xs[:, 0], 2 * ys)  # row i of X still belongs to label i
    np.testing.assert_array_equal(np.sort(ys), y)
    assert not np.array_equal(ys, y)


def test_shuffle_is_deterministic_for_a_seed_and_leaves_inputs_alone():
    y = np.arange(50)
    a = shuffle([y], np.random.default_rng(3))[0]
    b = shuffle([y], np.random.default_rng(3))[0]
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(y, np.arange(50))


def test_shuffle_accepts_tuples_lists_and_column_labels():
    X, y = shuffle((np.zeros((4, 3)), [[0], [1], [2], [3]]), np.random.default_rng(0))
    assert X.shape == (4, 3) and y.shape == (4, 1)


def test_shuffle_errors():
    with pytest.raises(TypeError, match=r"shuffle expects a list of arrays, e\.g\. shuffle\(\[X, y\], rng\)"):
        shuffle(np.zeros(3))
    with pytest.raises(ValueError, match="shuffle got an empty list"):
        shuffle([])
    with pytest.raises(ValueError, match=r"arrays\[1\] is a scalar"):
        shuffle([np.zeros(3), 5])
    with pytest.raises(ValueError, match=r"arrays\[0\] has 3 samples but arrays\[1\] has 4"):
        shuffle([np.zeros(3), np.zeros(4)])
    with pytest.raises(
        TypeError, match=r"rng must be a numpy Generator such as np.random.default_rng\(0\), got int"
    ):
        shuffle([np.zeros(3)], 0)


# ----------------------------------------------------------------------------------- one-hot


def test_class_to_onehot_values_and_shape():
    Y = class_to_onehot(np.array([0, 2, 1, 2]), 3)
    np.testing.assert_array_equal(Y, [[1, 0, 0], [0, 0, 1], [0, 1, 0], [0, 0, 1]])
    assert Y.dtype == np.float64


def test_class_to_onehot_accepts_columns_and_whole_floats():
    # the seed notebooks' generator returns labels as an (N, 1) float column
    Y = class_to_onehot(np.array([[1.0], [0.0]]), 2)
    np.testing.assert_array_equal(Y, [[0, 1], [1, 0]])
    assert class_to_onehot(np.array([], dtype=int), 4).shape == (0, 4)


@pytest.mark.parametrize(
    "y, n_classes, error, message",
    [
        (
            [0, 3],
            3,
            ValueError,
            r"y has labels up to 3 but n_classes=3, so labels must be in \[0, 2\]\. Are your labels 1-based",
        ),
        ([0, -1], 3, ValueError, "y has negative labels"),
        ([0.5, 1.0], 3, ValueError, r"whole-number class labels, got non-integer values such as \[0.5\]"),
        ([[0, 1], [1, 0]], 2, ValueError, r"shape \(N,\), got shape \(2, 2\)\. If y is already one-hot"),
        (["a", "b"], 2, TypeError, "y must hold integer class labels, got dtype <U1"),
        ([0, 1], 0, ValueError, "n_classes must be a positive integer, got 0"),
        ([0, 1], 2.0, TypeError, "n_classes must be a positive integer, got 2.0"),
        ([0, 1], True, TypeError, "n_classes must be a positive integer, got True"),
    ],
)
def test_class_to_onehot_errors(y, n_classes, error, message):
    with pytest.raises(error, match=message):
        class_to_onehot(np.array(y), n_classes)


# ------------------------------------------------------------------------------------ splitting


def test_train_val_split_sizes_and_stratification():
    X = np.arange(1000).reshape(500, 2)
    y = np.repeat(np.arange(5), 100)
    X_tr, X_val, y_tr, y_val = train_val_split(X, y, 0.2, rng=np.random.default_rng(0))
    assert (len(X_tr), len(X_val)) == (400, 100)
    np.testing.assert_array_equal(np.bincount(y_val), [20] * 5)  # class proportions kept
    np.testing.assert_array_equal(X_tr[:, 0] // 200, y_tr)  # rows stay with their labels
    assert not set(X_tr[:, 0]) & set(X_val[:, 0])


def test_train_val_split_rounds_the_validation_size_up_and_is_deterministic():
    X, y = np.zeros((11, 1)), np.arange(11)
    parts = train_val_split(X, y, 0.25, rng=np.random.default_rng(1), stratify=False)
    assert len(parts[1]) == 3  # ceil(0.25 * 11)
    again = train_val_split(X, y, 0.25, rng=np.random.default_rng(1), stratify=False)
    np.testing.assert_array_equal(parts[3], again[3])


def test_train_val_split_stratifies_one_hot_targets():
    Y = class_to_onehot(np.repeat([0, 1], [80, 20]), 2)
    _, _, _, Y_val = train_val_split(np.zeros((100, 2)), Y, 0.5, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(Y_val.sum(axis=0), [40, 10])


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.1, 1.5])
def test_train_val_split_fraction_out_of_range(fraction):
    with pytest.raises(ValueError, match=rf"val_fraction must be in \(0.0, 1.0\), got {fraction}"):
        train_val_split(np.zeros((10, 2)), np.zeros(10), fraction)


def test_train_val_split_errors():
    with pytest.raises(ValueError, match="X has 10 samples but y has 9"):
        train_val_split(np.zeros((10, 2)), np.zeros(9))
    with pytest.raises(ValueError, match="stratify=True needs at least 2 samples of every class"):
        train_val_split(np.zeros((5, 2)), np.array([0, 0, 1, 1, 2]))


# ------------------------------------------------------------------------------------- accuracy


def test_accuracy_of_labels_is_a_python_float():
    acc = accuracy(np.array([0, 1, 2, 2]), np.array([0, 1, 1, 2]))
    assert acc == 0.75 and type(acc) is float


def test_accuracy_accepts_one_hot_probabilities_and_columns():
    y = np.array([0, 1, 2])
    P = np.array([[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.5, 0.1, 0.4]])
    assert accuracy(y, P) == pytest.approx(2 / 3)
    assert accuracy(class_to_onehot(y, 3), P) == pytest.approx(2 / 3)
    assert accuracy(y[:, None], np.array([[0.0], [1.0], [2.0]])) == 1.0


def test_accuracy_errors():
    with pytest.raises(ValueError, match="y_true has 3 samples but y_pred has 2"):
        accuracy([0, 1, 2], [0, 1])
    with pytest.raises(ValueError, match="accuracy of zero samples is undefined"):
        accuracy([], [])
    with pytest.raises(
        ValueError,
        match=r"y_pred must be labels \(N,\) or scores/one-hot \(N, K\), "
        r"got shape \(2, 2, 2\)",
    ):
        accuracy([0, 1], np.zeros((2, 2, 2)))
    with pytest.raises(
        ValueError, match=r"non-integer values such as \[0\.7, 0\.2\].*\(p >= 0\.5\)\.astype\(int\)"
    ):
        accuracy([1, 0], np.array([[0.7], [0.2]]))
