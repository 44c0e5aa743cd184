"""Tests of nnscratch.training (fit's bookkeeping) and of the package's public seams."""

import ast
from pathlib import Path

import numpy as np
import pytest

import nnscratch
from nnscratch.activations import ReLU, Softmax, Tanh
from nnscratch.gradcheck import numerical_gradient
from nnscratch.layers import Dense
from nnscratch.losses import CCE
from nnscratch.model import Sequential
from nnscratch.optimizers import SGD, Adam
from nnscratch.training import BestWeights, History
from nnscratch.utils import class_to_onehot

PACKAGE = Path(nnscratch.__file__).parent


def _toy(n=30, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 2))
    return X, class_to_onehot(rng.integers(0, 3, n), 3)


def _model(seed=0, hidden=ReLU, opt=None):
    rng = np.random.default_rng(seed)
    return Sequential(
        [Dense(2, 6, rng=rng), hidden(), Dense(6, 3, rng=rng), Softmax()],
        CCE(),
        opt or SGD(0.1, momentum=0.9),
    )


# ---------------------------------------------------------------- public seams


def _private_uses(path):
    """(line, name) of every private name a module takes from another object than itself."""
    tree = ast.parse(path.read_text())
    own = {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    own |= {  # attributes the module itself assigns, such as self._pred
        t.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        for target in node.targets
        for t in ast.walk(target)
        if isinstance(t, ast.Attribute)
    }
    uses = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("nnscratch"):
            uses += [(node.lineno, a.name) for a in node.names if a.name.startswith("_")]
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            if node.attr not in own:
                uses.append((node.lineno, node.attr))
    return uses


@pytest.mark.parametrize("module", sorted(p.name for p in PACKAGE.glob("*.py")))
def test_no_module_uses_another_modules_private_names(module):
    assert _private_uses(PACKAGE / module) == []


def test_the_seam_check_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from nnscratch.utils import _hidden\n\ndef f(model):\n    return model._forward(1)\n")
    assert _private_uses(bad) == [(1, "_hidden"), (4, "_forward")]


def test_loss_and_gradients_is_backpropagation_and_changes_no_weight():
    X, Y = _toy(n=8)
    model = _model(hidden=Tanh)
    before = model.get_params()
    loss, grads = model.loss_and_gradients(X, Y)
    assert loss == pytest.approx(model.evaluate(X, Y)["loss"], abs=0)
    assert list(grads) == list(model.params()) == ["Dense_0.W", "Dense_0.b", "Dense_2.W", "Dense_2.b"]
    for name, p in model.params().items():
        np.testing.assert_array_equal(p, before[name])

        def loss_at(value, p=p):
            saved = p.copy()
            p[...] = value
            try:
                return model.evaluate(X, Y)["loss"]
            finally:
                p[...] = saved

        np.testing.assert_allclose(grads[name], numerical_gradient(loss_at, p), rtol=1e-6, atol=1e-9)


def test_params_are_the_models_own_arrays():
    model = _model()
    model.params()["Dense_0.b"][...] = 7.0
    assert np.all(model.layers[0].b == 7.0)
    assert model.n_params == 2 * 6 + 6 + 6 * 3 + 3


# ---------------------------------------------------------------- optimizers' named state


def test_optimizer_state_has_the_names_of_the_formulas():
    p, g = np.ones(3), np.full(3, 0.5)
    sgd = SGD(0.1, momentum=0.9)
    assert sgd.velocities is None
    sgd.step([p], [g])
    np.testing.assert_array_equal(sgd.velocities[0], -0.1 * g)  # v <- mu v - lr g from v = 0
    adam = Adam(0.01)
    assert (adam.m, adam.v, adam.t) == (None, None, 0)
    adam.step([p], [g])
    adam.step([p], [g])
    assert adam.t == 2
    np.testing.assert_allclose(adam.m[0], (1 - 0.9**2) * g)
    np.testing.assert_allclose(adam.v[0], (1 - 0.999**2) * g * g)
    adam.reset()
    assert (adam.m, adam.v, adam.t) == (None, None, 0)


def test_adam_adds_eps_to_the_square_root_of_v_hat_as_documented():
    # with a huge eps the step is lr * m_hat / eps, whatever v is
    p, g = np.zeros(2), np.array([0.3, -0.2])
    Adam(0.5, eps=1e3).step([p], [g])
    np.testing.assert_allclose(p, -0.5 * g / (np.abs(g) + 1e3))


# ---------------------------------------------------------------- fit's bookkeeping


def test_inf_hidden_behind_a_relu_is_reported_as_bad_data_and_no_weight_changes():
    # ReLU turns -inf into 0, so the loss of the bad batch can stay finite; the weights cannot
    X, Y = _toy(n=12)
    model = _model()
    model.layers[0].W[:] = np.abs(model.layers[0].W)  # every first-layer input weight positive
    X[11] = [-np.inf, -np.inf]  # the last sample of the only epoch: its batch's loss is finite
    before = model.get_params()
    with pytest.raises(ValueError, match="X contains 0 NaN and 2 inf values"):
        model.fit(X, Y, 1, batch_size=4, shuffle=False, verbose=False)
    for name, value in model.get_params().items():
        np.testing.assert_array_equal(value, before[name])


def test_best_weights_judge_training_loss_by_the_start_and_validation_by_the_end():
    p = np.zeros(2)
    start = BestWeights([p], judged_at_start=True)
    start.epoch_started(1)
    p += 1  # training during epoch 1
    start.epoch_ended(1, 0.5)
    p += 1
    start.restore()
    np.testing.assert_array_equal(p, [0, 0])  # the loss of epoch 1 describes the weights it began with
    assert start.where == "the start of epoch 1"
    q = np.zeros(2)
    end = BestWeights([q], judged_at_start=False)
    q += 1
    end.epoch_ended(1, 0.5)
    q += 1
    end.epoch_ended(2, 0.7)  # worse: not kept
    assert end.epochs_without_improvement == 1
    end.restore()
    np.testing.assert_array_equal(q, [1, 1])


def test_history_trimmed_keeps_the_epochs_run():
    history = History.empty(5, 3, validation=True)
    history["loss"][:2] = 1.0
    short = history.trimmed(2, best_epoch=1)
    assert short["loss"].shape == (2, 3) and short["val_accuracy"].shape == (2,)
    assert (short.stopped_epoch, short.best_epoch) == (2, 1)
    assert "val_loss" in short and "val_loss" not in History.empty(5, 3, validation=False)


def test_fit_reads_as_the_algorithm():
    # the loop students came for stays on one screen, and Sequential stays small
    source = (PACKAGE / "model.py").read_text()
    tree = ast.parse(source)
    seq = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Sequential")
    fit = next(n for n in seq.body if isinstance(n, ast.FunctionDef) and n.name == "fit")
    loop = next(n for n in ast.walk(fit) if isinstance(n, ast.With))
    assert loop.end_lineno - loop.lineno + 1 <= 30
    assert seq.end_lineno - seq.lineno + 1 < 250
    body = ast.get_source_segment(source, loop)
    for step in ("permutation", "# forward", "# loss", "# backward", "# step"):
        assert step in body
