"""Tests of nnscratch.losses: values, gradients, fused gradients, input errors."""

import numpy as np
import pytest

from nnscratch.activations import sigmoid, softmax
from nnscratch.gradcheck import numerical_gradient, rel_error
from nnscratch.losses import BCE, CCE, LOSSES, MSE, get_loss


def _case(rng, n=5, k=4):
    p = softmax(rng.standard_normal((n, k)))
    y = np.eye(k)[rng.integers(0, k, n)]
    return p, y


def test_values_by_hand():
    pred = np.array([[0.5], [2.0]])
    target = np.array([[1.0], [1.0]])
    assert MSE().forward(pred, target) == pytest.approx((0.25 + 1.0) / 2)
    p = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    y = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    assert CCE().forward(p, y) == pytest.approx(-(np.log(0.7) + np.log(0.8)) / 2)
    q = np.array([[0.9, 0.2]])
    t = np.array([[1.0, 0.0]])
    assert BCE().forward(q, t) == pytest.approx(-(np.log(0.9) + np.log(0.8)) / 2)
    assert isinstance(CCE().forward(p, y), float)


@pytest.mark.parametrize("loss", [MSE(), BCE(), CCE()], ids=repr)
def test_loss_gradient_check(loss):
    rng = np.random.default_rng(0)
    p, y = _case(rng)
    loss.forward(p, y)
    analytic = loss.backward()
    numeric = numerical_gradient(lambda q: loss.forward(q, y), p)
    assert rel_error(analytic, numeric) < 1e-7


def test_fused_softmax_cce_gradient_is_p_minus_y_over_n():
    rng = np.random.default_rng(1)
    z = rng.standard_normal((6, 3))
    y = np.eye(3)[rng.integers(0, 3, 6)]
    loss = CCE()
    loss.forward(softmax(z), y)
    fused = loss.fused_softmax_grad()
    np.testing.assert_allclose(fused, (softmax(z) - y) / 6)
    numeric = numerical_gradient(lambda v: CCE().forward(softmax(v), y), z)
    assert rel_error(fused, numeric) < 1e-7


def test_fused_sigmoid_bce_gradient():
    rng = np.random.default_rng(2)
    z = rng.standard_normal((5, 3))
    y = (rng.random((5, 3)) > 0.5).astype(float)
    loss = BCE()
    loss.forward(sigmoid(z), y)
    numeric = numerical_gradient(lambda v: BCE().forward(sigmoid(v), y), z)
    assert rel_error(loss.fused_sigmoid_grad(), numeric) < 1e-7


def test_losses_are_finite_for_certain_wrong_answers():
    y = np.array([[1.0, 0.0]])
    p = np.array([[0.0, 1.0]])
    assert np.isfinite(CCE().forward(p, y)) and CCE().forward(p, y) == pytest.approx(
        -np.log(np.finfo(float).eps)
    )
    assert BCE().forward(p, y) == pytest.approx(-np.log(np.finfo(float).eps))  # both entries clipped at eps
    loss = CCE()
    loss.forward(p, y)
    assert np.all(np.isfinite(loss.backward()))
    p32 = p.astype(np.float32)
    assert CCE().forward(p32, y.astype(np.float32)) == pytest.approx(
        -np.log(np.finfo(np.float32).eps), rel=1e-6
    )


def test_loss_is_an_average_not_a_sum():
    rng = np.random.default_rng(3)
    p, y = _case(rng, n=4)
    doubled = CCE().forward(np.vstack([p, p]), np.vstack([y, y]))
    assert doubled == pytest.approx(CCE().forward(p, y))


def test_inputs_are_not_modified():
    p = np.array([[0.0, 1.0]])
    y = np.array([[1.0, 0.0]])
    for loss in (MSE(), BCE(), CCE()):
        loss.forward(p, y)
        loss.backward()
    np.testing.assert_array_equal(p, [[0.0, 1.0]])


@pytest.mark.parametrize(
    "loss, pred, target, match",
    [
        (
            CCE(),
            np.full((3, 4), 0.25),
            np.array([0, 1, 2]),
            r"targets must be one-hot encoded with shape \(N, K\), got shape \(3,\)",
        ),
        (CCE(), np.full((3, 4), 0.25), np.eye(3), "targets has 3 columns but the model predicts 4 classes"),
        (
            CCE(),
            np.full((2, 2), 0.5),
            np.array([[0.5, 0.5], [1.0, 0.0]]),
            r"targets is not one-hot: row 0 is \[0.5, 0.5\]",
        ),
        (
            CCE(),
            np.full((2, 2), 0.5),
            np.eye(2)[[0, 1, 1]],
            r"CCE: predictions have shape \(2, 2\) but targets have shape \(3, 2\)",
        ),
        (
            MSE(),
            np.zeros((3, 1)),
            np.zeros(3),
            r"shape \(3, 1\) but targets have shape \(3,\).*y.reshape\(-1, 1\)",
        ),
        (
            BCE(),
            np.full((2, 1), 0.5),
            np.array([[2.0], [0.0]]),
            "BCE needs targets between 0 and 1, but target has values from 0.0 to 2.0",
        ),
        (MSE(), np.zeros(3), np.zeros(3), r"MSE: predictions must be a 2-D array \(N, K\), got shape \(3,\)"),
    ],
)
def test_bad_targets(loss, pred, target, match):
    with pytest.raises(ValueError, match=match):
        loss.forward(pred, target)


def test_backward_before_forward():
    with pytest.raises(RuntimeError, match="CCE.backward called before forward"):
        CCE().backward()


def test_registry():
    assert set(LOSSES) == {"mse", "bce", "cce"}
    assert isinstance(get_loss("CCE"), CCE)
    loss = MSE()
    assert get_loss(loss) is loss
    with pytest.raises(ValueError, match=r"unknown loss 'hinge'; valid names are 'mse', 'bce', 'cce'"):
        get_loss("hinge")
    with pytest.raises(TypeError, match=r"pass a loss object, CCE\(\), not the class CCE"):
        get_loss(CCE)
    assert repr(CCE()) == "CCE()"


def test_integer_predictions_give_the_same_values_and_gradients_as_floats():
    # Hand-typed examples are often integers; 1/N must not round to 0 and eps must exist.
    target = np.array([[0.0, 1.0], [1.0, 0.0], [0.0, 1.0]])
    for loss_class, pred in (
        (MSE, [[3, 5], [1, 0], [2, 2]]),
        (BCE, [[0, 1], [1, 0], [1, 1]]),
        (CCE, [[0, 1], [1, 0], [1, 0]]),
    ):
        as_int, as_float = loss_class(), loss_class()
        value = as_int.forward(np.array(pred), target)
        assert value == pytest.approx(as_float.forward(np.array(pred, dtype=float), target))
        grad = as_int.backward()
        assert grad.dtype == np.float64 and np.any(grad != 0)
        np.testing.assert_allclose(grad, as_float.backward())
