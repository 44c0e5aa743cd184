"""Tests of nnscratch.layers: Dense shapes, initialisation, gradients, errors."""

import numpy as np
import pytest

from nnscratch.activations import ReLU, Sigmoid
from nnscratch.gradcheck import check_layer
from nnscratch.layers import Dense, as_generator
from nnscratch.losses import MSE
from nnscratch.model import Sequential
from nnscratch.optimizers import SGD


def test_dense_shapes_and_zero_bias():
    layer = Dense(4, 3, rng=np.random.default_rng(0))
    assert layer.W.shape == (4, 3) and layer.b.shape == (3,)
    assert np.all(layer.b == 0)
    out = layer.forward(np.ones((5, 4)))
    assert out.shape == (5, 3)
    dX = layer.backward(np.ones((5, 3)))
    assert dX.shape == (5, 4) and layer.dW.shape == (4, 3) and layer.db.shape == (3,)
    assert set(layer.params()) == {"W", "b"} and set(layer.grads()) == {"W", "b"}
    assert layer.params()["W"] is layer.W  # the layer's own array: in-place updates train it
    assert layer.n_params == 15


def test_dense_forward_backward_values():
    layer = Dense(2, 2, rng=np.random.default_rng(0))
    layer.W = np.array([[1.0, 2.0], [3.0, 4.0]])
    layer.b = np.array([0.5, -0.5])
    X = np.array([[1.0, 1.0]])
    np.testing.assert_allclose(layer.forward(X), [[4.5, 5.5]])
    dX = layer.backward(np.array([[1.0, -1.0]]))
    np.testing.assert_allclose(dX, [[-1.0, -1.0]])
    np.testing.assert_allclose(layer.dW, [[1.0, -1.0], [1.0, -1.0]])
    np.testing.assert_allclose(layer.db, [1.0, -1.0])
    assert layer.backward(np.array([[1.0, -1.0]]), need_dx=False) is None


def test_dense_does_not_modify_its_input():
    rng = np.random.default_rng(1)
    layer = Dense(3, 2, rng=rng)
    X = rng.standard_normal((4, 3))
    X_before = X.copy()
    dout = rng.standard_normal((4, 2))
    dout_before = dout.copy()
    layer.forward(X)
    layer.backward(dout)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(dout, dout_before)


def test_dense_gradient_check():
    rng = np.random.default_rng(2)
    layer = Dense(5, 4, rng=rng)
    layer.b = rng.standard_normal(4)
    report = check_layer(layer, rng.standard_normal((6, 5)), rng.standard_normal((6, 4)))
    assert set(report.entries) == {"X", "W", "b"}
    assert report.rel_error < 1e-7, report


@pytest.mark.parametrize(
    "init, expected_std",
    [("he", np.sqrt(2 / 400)), ("xavier", np.sqrt(2 / 600)), ("normal", 0.01), ("zeros", 0.0)],
)
def test_init_scales(init, expected_std):
    W = Dense(400, 200, init=init, rng=np.random.default_rng(3)).W
    assert abs(W.std() - expected_std) <= 0.05 * expected_std + 1e-12
    assert abs(W.mean()) < 0.05 * expected_std + 1e-12


def test_init_is_reproducible_for_a_seed():
    a = Dense(3, 4, rng=np.random.default_rng(7)).W
    b = Dense(3, 4, rng=np.random.default_rng(7)).W
    np.testing.assert_array_equal(a, b)


def test_auto_init_resolves_to_he_before_relu_and_xavier_otherwise():
    rng = np.random.default_rng(0)
    first, second = Dense(300, 100, rng=rng), Dense(100, 3, rng=rng)
    xavier_first = first.W.copy()
    assert first.init == "auto"
    Sequential([first, ReLU(), second, Sigmoid()], "bce", SGD(0.1))
    assert first.init == "he" and second.init == "xavier"
    # Same random draw, rescaled from Xavier to He: the ratio is sqrt((n_in + n_out) / n_in).
    np.testing.assert_allclose(first.W, xavier_first * np.sqrt(400 / 300))
    assert repr(first) == "Dense(300 -> 100, init='he')"


def test_auto_init_leaves_replaced_weights_alone():
    layer = Dense(2, 2, rng=np.random.default_rng(0))
    mine = np.array([[1.0, 0.0], [0.0, 1.0]])
    layer.W = mine
    Sequential([layer, ReLU(), Dense(2, 1, rng=np.random.default_rng(0))], MSE(), SGD(0.1))
    np.testing.assert_array_equal(layer.W, mine)


def test_float32_layer_stays_float32():
    layer = Dense(3, 2, rng=np.random.default_rng(0), dtype=np.float32)
    out = layer.forward(np.ones((4, 3)))  # float64 input is converted once
    assert layer.W.dtype == np.float32 and out.dtype == np.float32
    layer.backward(np.ones((4, 2), dtype=np.float32))
    assert layer.dW.dtype == np.float32 and layer.db.dtype == np.float32
    assert repr(layer) == "Dense(3 -> 2, init='auto', dtype=float32)"


def test_repr():
    assert repr(Dense(2, 12, init="he", rng=np.random.default_rng(0))) == "Dense(2 -> 12, init='he')"


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"n_in": 0, "n_out": 3}, ValueError, "n_in must be a positive integer, got 0"),
        ({"n_in": 2, "n_out": 2.5}, TypeError, "n_out must be a positive integer, got 2.5"),
        (
            {"n_in": 2, "n_out": 3, "init": "glorot"},
            ValueError,
            "unknown init 'glorot'; valid names are 'auto', 'he'",
        ),
        (
            {"n_in": 2, "n_out": 3, "dtype": np.int64},
            ValueError,
            "dtype must be np.float32 or np.float64, got int64",
        ),
        (
            {"n_in": 2, "n_out": 3, "rng": 42},
            TypeError,
            r"rng must be a numpy Generator such as np.random.default_rng\(0\)",
        ),
    ],
)
def test_dense_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        Dense(**kwargs)


def test_backward_before_forward():
    with pytest.raises(RuntimeError, match="Dense.backward called before forward"):
        Dense(2, 2, rng=np.random.default_rng(0)).backward(np.ones((1, 2)))


def test_as_generator():
    rng = np.random.default_rng(0)
    assert as_generator(rng) is rng
    assert isinstance(as_generator(None), np.random.Generator)
