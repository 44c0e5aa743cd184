"""Optimizers: turn gradients into parameter updates.

``step(params, grads)`` takes two lists of arrays of equal shapes and updates ``params`` in
place (so the layers, which own those arrays, see the change). The optimizer owns its state
(velocities, moment estimates), kept per position in the list; ``reset()`` forgets it.
"""

import numpy as np

from nnscratch._checks import check_choice, check_in_range


def _check_lr(lr):
    if isinstance(lr, bool) or not isinstance(lr, (int, float, np.floating, np.integer)):
        raise TypeError(f"lr must be a number, got {lr!r}.")
    if not np.isfinite(lr) or lr <= 0:
        raise ValueError(f"lr must be a positive number, got {lr}.")
    return float(lr)


class Optimizer:
    """Base class: keeps per-parameter state and checks that params and grads match."""

    def __init__(self):
        self._state = None  # created on the first step, one entry per parameter array

    def reset(self):
        """Forget the state (velocities, moments, step count), as for a freshly built optimizer."""
        self._state = None

    def _prepare(self, params, grads):
        if len(params) != len(grads):
            raise ValueError(f"got {len(params)} parameter arrays but {len(grads)} gradients; "
                             f"they must come in pairs.")
        for i, (p, g) in enumerate(zip(params, grads)):
            if p.shape != g.shape:
                raise ValueError(f"parameter {i} has shape {p.shape} but its gradient has shape {g.shape}.")
        shapes = [p.shape for p in params]
        if self._state is None:
            self._state = self._new_state(params)
            self._shapes = shapes
        elif shapes != self._shapes:
            raise ValueError(
                f"this {type(self).__name__} was used with parameters of other shapes before; "
                f"give every model its own optimizer, or call reset()."
            )

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
    (Updating p with the momentum term but never storing v, the bug of lecture 07, is impossible here.)

    Parameters
    ----------
    lr : learning rate, > 0
    momentum : in [0, 1)
    nesterov : look-ahead variant of momentum
    """

    def __init__(self, lr=0.01, momentum=0.0, nesterov=False):
        super().__init__()
        self.lr = _check_lr(lr)
        self.momentum = float(check_in_range(momentum, "momentum", 0, 1, high_open=True))
        if nesterov and self.momentum == 0:
            raise ValueError("nesterov=True needs a momentum in (0, 1), got momentum=0.")
        self.nesterov = bool(nesterov)

    def _new_state(self, params):
        return ([np.zeros_like(p) for p in params],)

    def step(self, params, grads):
        self._prepare(params, grads)
        (velocities,) = self._state
        lr, mu = self.lr, self.momentum
        for p, g, v in zip(params, grads, velocities):
            if mu == 0:
                p -= lr * g
                continue
            v *= mu
            v -= lr * g
            if self.nesterov:
                p += mu * v - lr * g
            else:
                p += v

    def get_config(self):
        config = {"lr": self.lr, "momentum": self.momentum}
        if self.nesterov:
            config["nesterov"] = True
        return config


class Adam(Optimizer):
    """Adam: momentum on the gradient (beta1) and a per-parameter step size from a running
    average of squared gradients (beta2), with bias correction for the first steps::

        m <- beta1 m + (1 - beta1) g          v <- beta2 v + (1 - beta2) g**2
        p <- p - lr * m_hat / (sqrt(v_hat) + eps),  m_hat = m / (1 - beta1**t), v_hat = v / (1 - beta2**t)

    Parameters: lr > 0; beta1, beta2 in [0, 1); eps > 0 avoids division by zero.
    """

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__()
        self.lr = _check_lr(lr)
        self.beta1 = float(check_in_range(beta1, "beta1", 0, 1, high_open=True))
        self.beta2 = float(check_in_range(beta2, "beta2", 0, 1, high_open=True))
        self.eps = float(check_in_range(eps, "eps", 0, np.inf, low_open=True))

    def _new_state(self, params):
        return ([np.zeros_like(p) for p in params], [np.zeros_like(p) for p in params], [0])

    def step(self, params, grads):
        self._prepare(params, grads)
        ms, vs, counter = self._state
        counter[0] += 1
        t = counter[0]
        b1, b2 = self.beta1, self.beta2
        # Fold both bias corrections into one scalar step size (cheaper than correcting m and v).
        step_size = float(self.lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t))  # a Python float keeps float32 arrays float32
        eps_hat = float(self.eps * np.sqrt(1 - b2 ** t))
        for p, g, m, v in zip(params, grads, ms, vs):
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * (g * g)
            denom = np.sqrt(v)
            denom += eps_hat
            p -= (step_size * m) / denom

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
