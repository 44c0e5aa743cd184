"""Tests of nnscratch.optimizers: hand-computed steps, state, errors."""

import numpy as np
import pytest

from nnscratch.optimizers import OPTIMIZERS, SGD, Adam, get_optimizer


def test_plain_sgd_step():
    p = np.array([1.0, -2.0])
    SGD(0.1).step([p], [np.array([0.5, 1.0])])
    np.testing.assert_allclose(p, [0.95, -2.1])


def test_momentum_matches_a_hand_computation_over_three_steps():
    lr, mu = 0.1, 0.9
    p = np.array([1.0, 2.0])
    grads = [np.array([1.0, -1.0]), np.array([0.5, 0.5]), np.array([-2.0, 0.0])]
    opt = SGD(lr, momentum=mu)
    for g in grads:
        opt.step([p], [g])
    # By hand: v1 = -0.1 g1, v2 = 0.9 v1 - 0.1 g2, v3 = 0.9 v2 - 0.1 g3; p3 = p0 + v1 + v2 + v3.
    v1 = np.array([-0.1, 0.1])
    v2 = np.array([0.9 * -0.1 - 0.05, 0.9 * 0.1 - 0.05])  # [-0.14, 0.04]
    v3 = np.array([0.9 * -0.14 + 0.2, 0.9 * 0.04 - 0.0])  # [0.074, 0.036]
    np.testing.assert_allclose(v2, [-0.14, 0.04])
    np.testing.assert_allclose(p, np.array([1.0, 2.0]) + v1 + v2 + v3)
    np.testing.assert_allclose(p, [0.834, 2.176])


def test_nesterov_matches_a_hand_computation():
    lr, mu = 0.1, 0.5
    p = np.array([1.0])
    opt = SGD(lr, momentum=mu, nesterov=True)
    opt.step([p], [np.array([1.0])])  # v = -0.1;  p += 0.5 * -0.1 - 0.1 = -0.15
    opt.step([p], [np.array([2.0])])  # v = -0.05 - 0.2 = -0.25;  p += -0.125 - 0.2 = -0.325
    np.testing.assert_allclose(p, [1.0 - 0.15 - 0.325])


def test_adam_matches_the_textbook_formulas():
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    p = np.array([0.5, -1.0])
    expected = p.copy()
    m = np.zeros(2)
    v = np.zeros(2)
    opt = Adam(lr, b1, b2, eps)
    for t, g in enumerate([np.array([0.2, -0.1]), np.array([0.1, 0.3]), np.array([-0.4, 0.05])], start=1):
        opt.step([p], [g])
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        expected -= lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
    np.testing.assert_allclose(p, expected, rtol=1e-12)


def test_float32_parameters_stay_float32():
    for opt in (SGD(0.1, momentum=0.9), Adam(0.01)):
        p = np.ones(3, dtype=np.float32)
        opt.step([p], [np.full(3, 0.5, dtype=np.float32)])
        state = opt.velocities if isinstance(opt, SGD) else opt.m + opt.v
        assert p.dtype == np.float32 and all(s.dtype == np.float32 for s in state)


def test_state_is_per_optimizer_and_reset_forgets_it():
    opt = SGD(0.1, momentum=0.9)
    opt.step([np.zeros(2)], [np.ones(2)])
    with pytest.raises(ValueError, match="was used with parameters of other shapes before; .*reset"):
        opt.step([np.zeros(3)], [np.ones(3)])
    opt.reset()
    p = np.zeros(3)
    opt.step([p], [np.ones(3)])
    np.testing.assert_allclose(p, -0.1)  # a fresh velocity


def test_gradient_is_not_modified():
    g = np.array([1.0, 2.0])
    SGD(0.1, momentum=0.5).step([np.zeros(2)], [g])
    Adam().step([np.zeros(2)], [g])
    np.testing.assert_array_equal(g, [1.0, 2.0])


@pytest.mark.parametrize(
    "make, error, match",
    [
        (lambda: SGD(0.1, momentum=1.5), ValueError, r"momentum must be in \[0, 1\), got 1.5"),
        (lambda: SGD(0.1, momentum=-0.1), ValueError, r"momentum must be in \[0, 1\), got -0.1"),
        (lambda: SGD(-0.1), ValueError, r"lr must be in \(0, inf\), got -0.1"),
        (lambda: SGD("fast"), TypeError, "lr must be a number, got 'fast'"),
        (lambda: SGD(0.1, nesterov=True), ValueError, "nesterov=True needs a momentum in"),
        (lambda: Adam(beta1=1.0), ValueError, r"beta1 must be in \[0, 1\), got 1.0"),
        (lambda: Adam(beta2=-0.5), ValueError, r"beta2 must be in \[0, 1\), got -0.5"),
        (lambda: Adam(eps=0), ValueError, r"eps must be in \(0, inf\], got 0"),
    ],
)
def test_bad_hyperparameters(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_mismatched_params_and_grads():
    with pytest.raises(ValueError, match="got 2 parameter arrays but 1 gradients"):
        SGD(0.1).step([np.zeros(1), np.zeros(1)], [np.zeros(1)])
    with pytest.raises(ValueError, match=r"parameter 0 has shape \(2,\) but its gradient has shape \(3,\)"):
        SGD(0.1).step([np.zeros(2)], [np.zeros(3)])


def test_registry_and_repr():
    assert set(OPTIMIZERS) == {"sgd", "adam"}
    assert isinstance(get_optimizer("Adam"), Adam)
    with pytest.raises(ValueError, match=r"unknown optimizer 'rmsprop'; valid names are 'sgd', 'adam'"):
        get_optimizer("rmsprop")
    with pytest.raises(TypeError, match="pass an optimizer object"):
        get_optimizer(SGD)
    assert repr(SGD(0.01, momentum=0.9)) == "SGD(lr=0.01, momentum=0.9)"
    assert repr(SGD(0.1, momentum=0.5, nesterov=True)) == "SGD(lr=0.1, momentum=0.5, nesterov=True)"
    assert repr(Adam()) == "Adam(lr=0.001, beta1=0.9, beta2=0.999, eps=1e-08)"
