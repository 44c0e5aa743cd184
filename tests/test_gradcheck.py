"""Tests of nnscratch.gradcheck: the checker finds right gradients right and wrong ones wrong."""

import numpy as np
import pytest

from nnscratch.activations import ReLU, Sigmoid, Softmax
from nnscratch.gradcheck import (
    GradCheckReport,
    check_function,
    check_layer,
    check_model,
    numerical_gradient,
    rel_error,
)
from nnscratch.layers import Dense, Layer
from nnscratch.losses import CCE
from nnscratch.model import Sequential
from nnscratch.optimizers import SGD


def test_rel_error():
    assert rel_error(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0
    assert rel_error(np.zeros(3), np.zeros(3)) == 0.0
    assert rel_error(np.zeros(2), np.ones(2)) == 1.0
    assert rel_error(3.0, 1.0) == pytest.approx(0.5)
    with pytest.raises(ValueError, match=r"rel_error: the arrays have shapes \(2,\) and \(3,\)"):
        rel_error(np.zeros(2), np.zeros(3))


def test_numerical_gradient_of_a_quadratic_and_input_untouched():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    x_before = x.copy()
    grad = numerical_gradient(lambda v: np.sum(v**2) + v[0, 1], x)
    np.testing.assert_allclose(grad, 2 * x + np.array([[0.0, 1.0], [0.0, 0.0]]), atol=1e-8)
    np.testing.assert_array_equal(x, x_before)


def test_check_function_right_and_wrong():
    A = np.array([[2.0, 1.0], [1.0, 3.0]])

    def cost(theta):  # 0.5 theta^T A theta, gradient A theta
        return 0.5 * theta @ A @ theta, A @ theta

    def wrong(theta):  # forgot the 0.5: the gradient is half what it should be
        return theta @ A @ theta, A @ theta

    theta = np.array([0.3, -1.2])
    good = check_function(cost, theta)
    assert isinstance(good, GradCheckReport) and good.passed() and good.rel_error < 1e-9
    bad = check_function(wrong, theta)
    assert not bad.passed() and bad.rel_error == pytest.approx(1 / 3, rel=1e-6)
    assert bad.worst.name == "theta" and bad.worst.index == (1,)
    np.testing.assert_array_equal(theta, [0.3, -1.2])


def test_check_function_on_a_random_subset():
    theta = np.random.default_rng(0).standard_normal(500)
    report = check_function(
        lambda t: (np.sum(np.sin(t)), np.cos(t)), theta, n_checks=20, rng=np.random.default_rng(1)
    )
    assert report["theta"].n_checked == 20 and report.rel_error < 1e-9


def test_check_function_bad_f():
    with pytest.raises(TypeError, match=r"return a pair \(cost, grad\)"):
        check_function(lambda t: float(np.sum(t)), np.zeros(3))
    with pytest.raises(ValueError, match=r"gradient of shape \(2,\), but theta has shape \(3,\)"):
        check_function(lambda t: (0.0, np.zeros(2)), np.zeros(3))


class BuggyDense(Dense):
    """Dense with a planted bug: its weight gradient is twice the true one."""

    def backward(self, dout, *, need_dx=True):
        dX = super().backward(dout, need_dx=need_dx)
        self.dW = 2 * self.dW
        return dX


def test_check_layer_finds_a_wrong_weight_gradient_and_where():
    rng = np.random.default_rng(0)
    layer = BuggyDense(3, 2, rng=rng)
    report = check_layer(layer, rng.standard_normal((4, 3)), rng.standard_normal((4, 2)))
    assert report["X"].rel_error < 1e-9 and report["b"].rel_error < 1e-9
    assert report["W"].rel_error == pytest.approx(1 / 3, rel=1e-6)
    assert report.worst.name == "W" and len(report.worst.index) == 2
    text = repr(report)
    assert "worst: W at" in text and "rel. error" in text


def test_check_layer_restores_the_parameters_exactly():
    rng = np.random.default_rng(1)
    layer = Dense(4, 3, rng=rng)
    W_before = layer.W.copy()
    check_layer(layer, rng.standard_normal((2, 4)), rng.standard_normal((2, 3)))
    assert layer.W.tobytes() == W_before.tobytes()


def test_check_layer_shape_mismatch():
    with pytest.raises(
        ValueError, match=r"dout has shape \(2, 5\) but the layer's output has shape \(2, 3\)"
    ):
        check_layer(Dense(4, 3, rng=np.random.default_rng(0)), np.ones((2, 4)), np.ones((2, 5)))


def test_check_model_reports_every_parameter_and_finds_a_bug():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((5, 3))
    Y = np.eye(3)[[0, 1, 2, 1, 0]]
    model = Sequential([Dense(3, 4, rng=rng), ReLU(), BuggyDense(4, 3, rng=rng), Softmax()], CCE(), SGD(0.1))
    report = check_model(model, X, Y)
    assert list(report.entries) == ["Dense_0.W", "Dense_0.b", "BuggyDense_2.W", "BuggyDense_2.b"]
    assert report.worst.name == "BuggyDense_2.W" and report.rel_error > 0.1
    assert report["Dense_0.W"].rel_error < 1e-7  # the layer below still gets the right gradient
    subset = check_model(model, X, Y, n_checks=3, rng=np.random.default_rng(0))
    assert [entry.n_checked for entry in subset] == [3, 3, 3, 3]  # b of the last layer has exactly 3 entries
    assert subset["BuggyDense_2.W"].rel_error > 0.1  # three random entries are enough to catch the bug
    with pytest.raises(ValueError, match="n_checks must be None or a positive integer, got 0"):
        check_model(model, X, Y, n_checks=0)


def test_float32_check_warns():
    rng = np.random.default_rng(3)
    model = Sequential([Dense(2, 2, rng=rng, dtype=np.float32), Sigmoid()], "bce", SGD(0.1))
    with pytest.warns(UserWarning, match="check in float64"):
        check_model(model, np.ones((2, 2)), np.eye(2))


def test_layers_without_parameters_are_checked_on_x_only():
    class Square(Layer):
        def forward(self, X):
            self._X = X
            return X**2

        def backward(self, dout):
            return 2 * self._X * dout

    report = check_layer(Square(), np.array([[1.0, -2.0]]), np.array([[1.0, 1.0]]))
    assert list(report.entries) == ["X"] and len(report) == 1 and report.rel_error < 1e-9
