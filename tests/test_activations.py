"""Tests of nnscratch.activations: values, derivatives, layers' gradients, stability, registry."""

import numpy as np
import pytest

from nnscratch import activations as act
from nnscratch.activations import (
    ACTIVATIONS,
    ELU,
    Identity,
    LeakyReLU,
    ReLU,
    Sigmoid,
    Softmax,
    Tanh,
    get_activation,
    softmax,
)
from nnscratch.gradcheck import check_layer, numerical_gradient, rel_error

LAYERS = [Sigmoid(), Tanh(), ReLU(), LeakyReLU(0.1), ELU(0.7), Softmax(), Identity()]


def _inputs(rng, shape=(6, 5)):
    # Keep every entry at least 0.05 away from the kink of ReLU-like functions at 0,
    # where a centred difference straddling the kink is not a derivative.
    x = rng.standard_normal(shape)
    return np.where(np.abs(x) < 0.05, 0.5, x)


@pytest.mark.parametrize("layer", LAYERS, ids=lambda layer: type(layer).__name__)
def test_layer_gradient_check(layer):
    rng = np.random.default_rng(0)
    X = _inputs(rng)
    report = check_layer(layer, X, rng.standard_normal(X.shape))
    assert report.rel_error < 1e-7, report


@pytest.mark.parametrize("layer", LAYERS, ids=lambda layer: type(layer).__name__)
def test_layers_leave_their_inputs_alone_and_keep_dtype(layer):
    rng = np.random.default_rng(1)
    X = _inputs(rng).astype(np.float32)
    X_before = X.copy()
    out = layer.forward(X)
    dout = np.ones_like(out)
    dX = layer.backward(dout)
    np.testing.assert_array_equal(X, X_before)
    assert np.all(dout == 1)
    assert out.dtype == np.float32 and dX.dtype == np.float32
    assert out.shape == X.shape and dX.shape == X.shape


@pytest.mark.parametrize(
    "fn, grad, kwargs",
    [
        (act.sigmoid, act.sigmoid_grad, {}),
        (act.tanh, act.tanh_grad, {}),
        (act.relu, act.relu_grad, {}),
        (act.leaky_relu, act.leaky_relu_grad, {"alpha": 0.2}),
        (act.elu, act.elu_grad, {"alpha": 1.5}),
    ],
)
def test_function_derivatives_match_finite_differences(fn, grad, kwargs):
    x = _inputs(np.random.default_rng(2), (20,))
    # The functions are element-wise, so the gradient of sum(f(x)) is f'(x) entry by entry.
    numeric = numerical_gradient(lambda v: np.sum(fn(v, **kwargs)), x)
    assert rel_error(grad(x, **kwargs), numeric) < 1e-7


def test_function_values():
    x = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_allclose(act.sigmoid(x), 1 / (1 + np.exp(-x)))
    np.testing.assert_allclose(act.relu(x), [0.0, 0.0, 3.0])
    np.testing.assert_allclose(act.leaky_relu(x, 0.1), [-0.2, 0.0, 3.0])
    np.testing.assert_allclose(act.elu(x, 1.0), [np.expm1(-2.0), 0.0, 3.0])
    np.testing.assert_allclose(act.identity(x), x)
    np.testing.assert_allclose(act.sigmoid_grad(0.0), 0.25)
    np.testing.assert_allclose(act.tanh_grad(0.0), 1.0)
    np.testing.assert_allclose(act.relu_grad(x), [0.0, 0.0, 1.0])


def test_sigmoid_does_not_overflow():
    with np.errstate(all="raise"):
        s = act.sigmoid(np.array([-1000.0, 1000.0]))
    np.testing.assert_array_equal(s, [0.0, 1.0])


def test_softmax_is_finite_and_sums_to_one_for_huge_logits():
    z = np.array([[1000.0, -1000.0, 999.0], [-1000.0, -1000.0, -1000.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # no overflow, no NaN
        p = act.softmax(z)
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p[1], [1 / 3, 1 / 3, 1 / 3])
    np.testing.assert_allclose(p[0, 0] / p[0, 2], np.e)
    assert z[0, 0] == 1000.0  # the input is untouched
    p_layer = Softmax().forward(z)
    np.testing.assert_allclose(p_layer, p)


def test_softmax_of_integer_scores():
    np.testing.assert_allclose(softmax([[0, 0], [0, 1]]), [[0.5, 0.5], [1 / (1 + np.e), np.e / (1 + np.e)]])


def test_softmax_is_shift_invariant_and_handles_float32():
    rng = np.random.default_rng(3)
    z = rng.standard_normal((4, 5))
    np.testing.assert_allclose(act.softmax(z), act.softmax(z + 50.0))
    p32 = act.softmax(z.astype(np.float32))
    assert p32.dtype == np.float32
    np.testing.assert_allclose(p32.sum(axis=1), 1.0, rtol=1e-6)


def test_registry_and_names():
    assert set(ACTIVATIONS) == {"sigmoid", "tanh", "relu", "leaky_relu", "elu", "softmax", "identity"}
    assert isinstance(get_activation("ReLU"), ReLU)
    assert get_activation("leaky_relu", alpha=0.3).alpha == 0.3
    layer = Tanh()
    assert get_activation(layer) is layer


def test_unknown_activation_name():
    with pytest.raises(
        ValueError, match=r"unknown activation 'relu6'; valid names are 'sigmoid', 'tanh', 'relu'"
    ):
        get_activation("relu6")
    with pytest.raises(TypeError, match="an activation is a layer such as ReLU"):
        get_activation(3)


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: LeakyReLU(1.5), r"alpha must be in \[0, 1\), got 1.5"),
        (lambda: ELU(0), r"alpha must be in \(0, inf\], got 0"),
    ],
)
def test_bad_alpha(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_reprs():
    assert repr(ReLU()) == "ReLU()"
    assert repr(LeakyReLU(0.2)) == "LeakyReLU(alpha=0.2)"
    assert repr(ELU()) == "ELU(alpha=1.0)"
    assert repr(Softmax()) == "Softmax()"
