"""Loss functions: a number that says how wrong the predictions are, and its gradient.

Shapes: pred and target are (N, K): N samples, K outputs (K = 1 for a single regression output).

Each loss is an object with
- ``forward(pred, target) -> float``: the loss averaged over the batch, after checking the inputs;
- ``value(pred, target) -> float``: the same number without the checks, for arrays already checked
  (Sequential checks its data once per fit, not once per batch);
- ``backward() -> dpred``: dL/d(pred), shape (N, K), for the pred and target of the last forward.

Averaging over the batch (not summing) keeps the size of the gradient, and so the right
learning rate, independent of the batch size.
"""

import numpy as np

from nnscratch._checks import check_between_0_and_1, check_choice, check_onehot


def _shape_error(name, pred, target):
    hint = ""
    if target.ndim == 1 and pred.ndim == 2 and pred.shape[1] == 1:
        hint = " Make the targets a column with y.reshape(-1, 1)."
    return ValueError(
        f"{name}: predictions have shape {pred.shape} but targets have shape {target.shape}; "
        f"they must be equal, one target per output.{hint}"
    )


class Loss:
    """Base class. Subclasses implement value and backward, and may extend _check."""

    name = "loss"

    def forward(self, pred, target):
        """Check pred and target (both (N, K)), then return the loss as a Python float."""
        pred, target = np.asarray(pred), np.asarray(target)
        if not np.issubdtype(pred.dtype, np.floating):
            # Integer predictions (hand-typed examples) would make the gradient's 1/N round to 0.
            pred = pred.astype(np.float64)
        if pred.ndim != 2:
            raise ValueError(f"{self.name}: predictions must be a 2-D array (N, K), got shape {pred.shape}.")
        self._check(pred, target)
        return self.value(pred, target)

    def __call__(self, pred, target):
        return self.forward(pred, target)

    def _check(self, pred, target):
        if pred.shape != target.shape:
            raise _shape_error(self.name, pred, target)

    def value(self, pred, target):  # pragma: no cover - abstract
        """The loss of arrays already checked (Sequential checks its data once, not every batch)."""
        raise NotImplementedError

    def backward(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def _cached(self):
        if getattr(self, "_pred", None) is None:
            raise RuntimeError(f"{self.name}.backward called before forward; compute the loss first.")
        return self._pred, self._target

    def get_config(self):
        return {}

    def __repr__(self):
        return f"{type(self).__name__}()"


class MSE(Loss):
    """Mean squared error, averaged over all N * K entries: mean((pred - target)**2).

    Gradient: 2 (pred - target) / (N K).
    """

    name = "MSE"

    def value(self, pred, target):
        self._pred, self._target = pred, target
        diff = pred - target
        return float(np.mean(diff * diff))

    def backward(self):
        pred, target = self._cached()
        return (pred - target) * pred.dtype.type(2.0 / pred.size)


class BCE(Loss):
    """Binary cross-entropy of K independent yes/no outputs, averaged over all N * K entries.

    L = -mean(y log p + (1 - y) log(1 - p)), with p clipped to [eps, 1 - eps] (eps the machine
    epsilon of p's dtype) so that a confident wrong answer costs about 36 (float64), not inf.
    Targets must lie in [0, 1]. Gradient: (p - y) / (p (1 - p) N K); after a Sigmoid layer the
    model uses the fused, better-behaved (p - y) / (N K) instead.
    """

    name = "BCE"

    def _check(self, pred, target):
        super()._check(pred, target)
        check_between_0_and_1(target, "target", "BCE")

    def value(self, pred, target):
        self._pred, self._target = pred, target
        eps = np.finfo(pred.dtype).eps
        p = np.clip(pred, eps, 1 - eps)
        return float(-np.mean(target * np.log(p) + (1 - target) * np.log1p(-p)))

    def backward(self):
        pred, target = self._cached()
        eps = np.finfo(pred.dtype).eps
        p = np.clip(pred, eps, 1 - eps)
        return (p - target) / (p * (1 - p) * pred.size)

    def fused_sigmoid_grad(self):
        """dL/dz for p = sigmoid(z): (p - y) / (N K). Used by Sequential after a Sigmoid layer."""
        pred, target = self._cached()
        return (pred - target) * pred.dtype.type(1.0 / pred.size)


class CCE(Loss):
    """Categorical cross-entropy for one-hot targets y (N, K) and probabilities p (N, K).

    L = -(1/N) sum_i sum_k y_ik log p_ik: the average of -log(probability of the true class).
    p is clipped below at eps (the machine epsilon of its dtype), so a zero probability for the
    true class costs about 36 (float64) instead of inf. Gradient: -y / (p N).

    After a Softmax layer, the chain rule through softmax collapses to the fused gradient with
    respect to the logits, dL/dz = (p - y) / N, which Sequential uses: it is cheaper, and it
    stays accurate when p is tiny (where -y / p would blow up).
    """

    name = "CCE"

    def _check(self, pred, target):
        check_onehot(target, n_classes=pred.shape[1], name="targets")
        if pred.shape[0] != target.shape[0]:
            raise _shape_error(self.name, pred, target)

    def value(self, pred, target):
        self._pred, self._target = pred, target
        eps = np.finfo(pred.dtype).eps
        # Only the true class contributes for one-hot y; multiply rather than index so that the
        # formula reads like the maths (K is small, this costs little).
        return float(-np.sum(target * np.log(np.maximum(pred, eps))) / pred.shape[0])

    def backward(self):
        pred, target = self._cached()
        eps = np.finfo(pred.dtype).eps
        return -target / (np.maximum(pred, eps) * pred.shape[0])

    def fused_softmax_grad(self):
        """dL/dz for p = softmax(z): (p - y) / N. Used by Sequential after a Softmax layer."""
        pred, target = self._cached()
        grad = pred - target
        grad *= pred.dtype.type(1.0 / pred.shape[0])
        return grad


#: Losses by name, for Sequential(layers, "cce", ...).
LOSSES = {"mse": MSE, "bce": BCE, "cce": CCE}


def get_loss(loss):
    """Return ``loss`` if it is a Loss, or build one from its name ("mse", "bce", "cce")."""
    if isinstance(loss, Loss):
        return loss
    if isinstance(loss, type) and issubclass(loss, Loss):
        raise TypeError(f"pass a loss object, {loss.__name__}(), not the class {loss.__name__}.")
    if not isinstance(loss, str):
        raise TypeError(f"loss must be MSE(), BCE(), CCE() or one of their names, got {loss!r}.")
    check_choice(loss.lower(), "loss", tuple(LOSSES))
    return LOSSES[loss.lower()]()
