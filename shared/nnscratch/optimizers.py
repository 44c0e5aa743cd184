"""Optimizers: turn gradients into parameter updates.

``step(params, grads)`` takes two lists of arrays of equal shapes and updates ``params`` in
place (so the layers, which own those arrays, see the change). The optimizer owns its state,
named as the formulas name it (``SGD.velocities``; ``Adam.m``, ``Adam.v``, ``Adam.t``), one array
per position in the list; ``reset()`` forgets it.
"""

import numpy as np

from nnscratch._checks import check_choice, check_in_range


class Optimizer:
    """Base class: checks that params and grads come in matching pairs; subclasses keep the state."""

    def __init__(self):
        self.reset()

    def reset(self):
        """Forget the state (velocities, moments, step count), as for a freshly built optimizer."""
        self.shapes = None  # the shapes of the parameters this optimizer's state belongs to

    def _first_step(self, params, grads):
        """Check params and grads; return True on the first step, when the state must be created."""
        if len(params) != len(grads):
            raise ValueError(
                f"got {len(params)} parameter arrays but {len(grads)} gradients; they must come in pairs."
            )
        for i, (p, g) in enumerate(zip(params, grads)):
            if p.shape != g.shape:
                raise ValueError(f"parameter {i} has shape {p.shape} but its gradient has shape {g.shape}.")
        shapes = [p.shape for p in params]
        if self.shapes is None:
            self.shapes = shapes
            return True
        if shapes != self.shapes:
            raise ValueError(
                f"this {type(self).__name__} was used with parameters of other shapes before; "
                f"give every model its own optimizer, or call reset()."
            )
        return False

    def step(self, params, grads):
        """Update every array in ``params`` in place using the matching array in ``grads``."""
        raise NotImplementedError

    def get_config(self):
        return {}

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with (Nesterov) momentum.

    Velocity form, for every parameter p with gradient g::

        v <- momentum * v - lr * g
        p <- p + v                                  (classical momentum)
        p <- p + momentum * v - lr * g              (nesterov=True)

    With momentum = 0 this is plain gradient descent, p <- p - lr * g. The velocity is a
    running, decaying sum of past steps: consistent directions speed up, oscillations cancel.
    (Updating p with the momentum term but never storing v, the bug of lecture 07, is impossible
    here: v is updated in place, and so kept for the next step.)

    Parameters
    ----------
    lr : learning rate, > 0
    momentum : in [0, 1)
    nesterov : look-ahead variant of momentum

    State: ``velocities``, one array per parameter (None before the first step).
    """

    def __init__(self, lr=0.01, momentum=0.0, nesterov=False):
        super().__init__()
        self.lr = float(check_in_range(lr, "lr", 0, np.inf, low_open=True, high_open=True))
        self.momentum = float(check_in_range(momentum, "momentum", 0, 1, high_open=True))
        if nesterov and self.momentum == 0:
            raise ValueError("nesterov=True needs a momentum in (0, 1), got momentum=0.")
        self.nesterov = bool(nesterov)

    def reset(self):
        super().reset()
        self.velocities = None

    def step(self, params, grads):
        if self._first_step(params, grads):
            self.velocities = [np.zeros_like(p) for p in params]
        lr, mu = self.lr, self.momentum
        for p, g, v in zip(params, grads, self.velocities):
            if mu == 0:
                p -= lr * g
            elif self.nesterov:
                v *= mu
                v -= lr * g  # v <- mu v - lr g
                p += mu * v - lr * g
            else:
                v *= mu
                v -= lr * g  # v <- mu v - lr g
                p += v

    def get_config(self):
        config = {"lr": self.lr, "momentum": self.momentum}
        if self.nesterov:
            config["nesterov"] = True
        return config


class Adam(Optimizer):
    """Adam: momentum on the gradient (beta1) and a per-parameter step size from a running
    average of squared gradients (beta2), with bias correction for the first steps. At step t::

        m <- beta1 m + (1 - beta1) g              v <- beta2 v + (1 - beta2) g**2
        m_hat = m / (1 - beta1**t)                v_hat = v / (1 - beta2**t)
        p <- p - lr * m_hat / (sqrt(v_hat) + eps)

    Parameters: lr > 0; beta1, beta2 in [0, 1); eps > 0 avoids division by zero.

    State: ``m`` and ``v``, one array per parameter (None before the first step), and ``t``,
    the number of steps taken.
    """

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__()
        self.lr = float(check_in_range(lr, "lr", 0, np.inf, low_open=True, high_open=True))
        self.beta1 = float(check_in_range(beta1, "beta1", 0, 1, high_open=True))
        self.beta2 = float(check_in_range(beta2, "beta2", 0, 1, high_open=True))
        self.eps = float(check_in_range(eps, "eps", 0, np.inf, low_open=True))

    def reset(self):
        super().reset()
        self.m, self.v, self.t = None, None, 0

    def step(self, params, grads):
        if self._first_step(params, grads):
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
        self.t += 1
        lr, b1, b2, eps, t = self.lr, self.beta1, self.beta2, self.eps, self.t
        for p, g, m, v in zip(params, grads, self.m, self.v):
            m *= b1
            m += (1 - b1) * g  # m <- beta1 m + (1 - beta1) g, in place: the state is kept
            v *= b2
            v += (1 - b2) * (g * g)  # v <- beta2 v + (1 - beta2) g**2
            m_hat = m / (1 - b1**t)
            v_hat = v / (1 - b2**t)
            p -= lr * m_hat / (np.sqrt(v_hat) + eps)

    def get_config(self):
        return {"lr": self.lr, "beta1": self.beta1, "beta2": self.beta2, "eps": self.eps}


#: Optimizers by name, for Sequential(layers, loss, "adam") with default settings.
OPTIMIZERS = {"sgd": SGD, "adam": Adam}


def get_optimizer(optimizer):
    """Return ``optimizer`` if it is an Optimizer, or build one with default settings from its name."""
    if isinstance(optimizer, Optimizer):
        return optimizer
    if isinstance(optimizer, type) and issubclass(optimizer, Optimizer):
        raise TypeError(f"pass an optimizer object such as {optimizer.__name__}(0.01), not the class.")
    if not isinstance(optimizer, str):
        raise TypeError(f"optimizer must be SGD(...), Adam(...) or one of their names, got {optimizer!r}.")
    check_choice(optimizer.lower(), "optimizer", tuple(OPTIMIZERS))
    return OPTIMIZERS[optimizer.lower()]()
