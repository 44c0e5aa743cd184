"""Tests of nnscratch._checks: each input problem gets an error that says what to do."""

import re

import numpy as np
import pytest

from nnscratch._checks import (
    check_2d,
    check_choice,
    check_in_range,
    check_labels,
    check_onehot,
    check_positive_int,
    check_same_length,
)


def test_check_2d_accepts_and_returns_the_same_array():
    X = np.zeros((3, 2))
    assert check_2d(X) is X


@pytest.mark.parametrize("shape, hint", [((5,), r"reshape\(1, -1\)"), ((2, 28, 28), "flatten them")])
def test_check_2d_wrong_dimensions(shape, hint):
    with pytest.raises(ValueError, match=rf"X must be a 2-D array of shape \(N, D\), got shape .*{hint}"):
        check_2d(np.zeros(shape))


def test_check_2d_empty_nan_matrix_and_strings():
    with pytest.raises(ValueError, match="X is empty"):
        check_2d(np.zeros((0, 3)))
    with pytest.raises(ValueError, match="contains 1 NaN and 1 inf values"):
        check_2d(np.array([[np.nan, 1.0], [np.inf, 2.0]]))
    with pytest.raises(TypeError, match=r"np.matrix.*np.asarray\(X\)"):
        check_2d(np.matrix([[1.0, 2.0]]))
    with pytest.raises(TypeError, match="must hold real numbers, got dtype <U1"):
        check_2d(np.array([["a", "b"]]))


def test_check_same_length():
    check_same_length(np.zeros((3, 2)), np.zeros(3))
    with pytest.raises(ValueError, match="X has 3 samples but y has 4"):
        check_same_length(np.zeros((3, 2)), np.zeros(4))


def test_check_labels_accepts_column_vectors_and_whole_floats():
    np.testing.assert_array_equal(check_labels(np.array([[0.0], [2.0]]), 3), [0, 2])
    assert check_labels(np.array([0.0, 2.0])).dtype == np.int64


@pytest.mark.parametrize(
    "y, n_classes, message",
    [
        (np.array([0, 3]), 3, r"labels up to 3 but n_classes=3, so labels must be in \[0, 2\].*1-based"),
        (np.array([-1, 0]), 3, "negative labels"),
        (np.array([0.5, 1.0]), 3, "non-integer values such as"),
        (np.array([np.nan, 1.0]), 3, "non-integer values such as"),
        (np.zeros((2, 3)), 3, r"shape \(N,\), got shape \(2, 3\).*argmax"),
    ],
)
def test_check_labels_errors(y, n_classes, message):
    with pytest.raises(ValueError, match=message):
        check_labels(y, n_classes)


def test_check_labels_rejects_strings():
    with pytest.raises(TypeError, match="integer class labels, got dtype"):
        check_labels(np.array(["cat", "dog"]))


def test_check_onehot():
    check_onehot(np.eye(3), 3)
    with pytest.raises(ValueError, match="one-hot encoded with shape \\(N, K\\).*class_to_onehot"):
        check_onehot(np.array([0, 1, 2]))
    with pytest.raises(ValueError, match="has 2 columns but the model predicts 3 classes"):
        check_onehot(np.eye(2), 3)
    with pytest.raises(ValueError, match=r"not one-hot: row 1 is \[0.5, 0.5\]"):
        check_onehot(np.array([[1.0, 0.0], [0.5, 0.5]]))


def test_check_in_range_and_choice():
    assert check_in_range(0.5, "momentum", 0, 1, high_open=True) == 0.5
    with pytest.raises(ValueError, match=r"momentum must be in \[0, 1\), got 1.5"):
        check_in_range(1.5, "momentum", 0, 1, high_open=True)
    with pytest.raises(ValueError, match=r"momentum must be in \[0, 1\), got nan"):
        check_in_range(float("nan"), "momentum", 0, 1, high_open=True)
    with pytest.raises(TypeError, match="momentum must be a number, got None"):
        check_in_range(None, "momentum", 0, 1, high_open=True)
    with pytest.raises(ValueError, match=r"lr must be in \(0, inf\], got 0"):
        check_in_range(0, "lr", 0, float("inf"), low_open=True)
    with pytest.raises(ValueError, match="unknown activation 'relu6'; valid names are 'relu', 'sigmoid'"):
        check_choice("relu6", "activation", ["relu", "sigmoid"])


def test_check_positive_int_returns_a_python_int():
    assert (
        check_positive_int(np.int64(3), "epochs") == 3
        and type(check_positive_int(np.int64(3), "epochs")) is int
    )
    assert check_positive_int(None, "patience", allow_none=True) is None


@pytest.mark.parametrize(
    "value, error",
    [
        (0, ValueError),
        (-1, ValueError),
        (2.0, TypeError),
        (2.5, TypeError),
        (True, TypeError),
        ("3", TypeError),
        (None, TypeError),
    ],
)
def test_check_positive_int_errors(value, error):
    # one message for every bad count; TypeError when it is not an integer at all, ValueError when < 1
    with pytest.raises(error, match=rf"^epochs must be a positive integer, got {re.escape(repr(value))}\.$"):
        check_positive_int(value, "epochs")


def test_check_positive_int_optional_names_none_in_its_message():
    with pytest.raises(ValueError, match=r"patience must be None or a positive integer, got 0\."):
        check_positive_int(0, "patience", allow_none=True)
