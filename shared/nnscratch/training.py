"""The bookkeeping around Sequential.fit's loop: a student may skip this module.

``Sequential.fit`` (in ``model.py``) shows the algorithm: shuffle, cut into batches, forward,
loss, backward, step. Everything else it does is here, in small named pieces:

- ``History``: what fit recorded (losses, accuracies, validation scores);
- ``BestWeights``: remembers the weights with the lowest monitored loss (for ``patience``, and
  to give back after a divergence);
- ``stop_training``: what fit does when the loss becomes NaN or inf;
- ``ProgressBar``: the optional tqdm bar.
"""

import math
import os
import sys

import numpy as np

from nnscratch._checks import check_2d


class History:
    """What fit() recorded. ``history.history`` (or ``history[key]``) holds:

    - "loss": (epochs, batches) array, the training loss of every mini-batch, computed on the
      batch just before its update (``history["loss"].mean(axis=1)`` is the epoch's curve);
    - "accuracy": (epochs,) share of training samples classified correctly during the epoch
      (each judged in its batch before that batch's update, like the loss);
    - "val_loss", "val_accuracy": (epochs,) on validation_data at the end of each epoch, if given.

    ``best_epoch`` (1-based) is the epoch whose weights the model kept when patience was used;
    ``stopped_epoch`` is the last epoch run.
    """

    def __init__(self, history, *, best_epoch=None, stopped_epoch=None):
        self.history = history
        self.best_epoch = best_epoch
        self.stopped_epoch = stopped_epoch

    @classmethod
    def empty(cls, epochs, n_batches, validation):
        """A History with room for ``epochs`` epochs, filled in by fit, then cut with ``trimmed``."""
        history = {"loss": np.zeros((epochs, n_batches)), "accuracy": np.zeros(epochs)}
        if validation:
            history["val_loss"] = np.zeros(epochs)
            history["val_accuracy"] = np.zeros(epochs)
        return cls(history)

    def trimmed(self, n_epochs, best_epoch=None):
        """The record of the first ``n_epochs`` epochs (training may stop early)."""
        history = {key: values[:n_epochs] for key, values in self.history.items()}
        return History(history, best_epoch=best_epoch, stopped_epoch=n_epochs)

    def __getitem__(self, key):
        return self.history[key]

    def __contains__(self, key):
        return key in self.history

    def keys(self):
        return self.history.keys()

    def __repr__(self):
        shapes = ", ".join(f"{k!r}: {v.shape}" for k, v in self.history.items())
        return f"History({{{shapes}}}, stopped_epoch={self.stopped_epoch}, best_epoch={self.best_epoch})"


class BestWeights:
    """Keeps a copy of the weights with the lowest monitored loss seen so far.

    An epoch's training loss is the mean of its batches' losses, each computed *before* that
    batch's update, so it describes the weights at the start of the epoch: with
    ``judged_at_start=True`` the copy kept is the one taken when the epoch started. A validation
    loss is computed after the epoch, so it describes the weights at its end.
    """

    def __init__(self, params, *, judged_at_start):
        self.params = params  # the model's own arrays
        self.best = [p.copy() for p in params]  # until an epoch has finished: the starting weights
        self.at_start = [p.copy() for p in params] if judged_at_start else None
        self.value, self.epoch, self.epochs_without_improvement = np.inf, 0, 0
        self.where = "before training"

    def epoch_started(self, epoch):
        if self.at_start is not None and epoch > 1:
            for saved, p in zip(self.at_start, self.params):
                np.copyto(saved, p)

    def epoch_ended(self, epoch, monitored):
        if not monitored < self.value:
            self.epochs_without_improvement += 1
            return
        self.value, self.epoch, self.epochs_without_improvement = monitored, epoch, 0
        if self.at_start is not None:
            self.best, self.at_start = self.at_start, self.best  # swap the two copies
            self.where = f"the start of epoch {epoch}"
        else:
            for saved, p in zip(self.best, self.params):
                np.copyto(saved, p)
            self.where = f"the end of epoch {epoch}"

    def restore(self):
        """Copy the best weights back into the model's arrays (in place)."""
        for p, saved in zip(self.params, self.best):
            np.copyto(p, saved)


def stop_training(model, X, history, best, value, epoch, where):
    """The loss (or a weight) of ``model`` became NaN or inf: put the best weights back and raise.

    NaN or inf in the data X are the usual cause when it happens in the first epoch: then the
    error is about X. Otherwise training diverged (FloatingPointError, with the partial history
    attached as ``err.history``).
    """
    best.restore()
    check_2d(X)  # raises, counting the NaN and inf values of X, if the data are at fault
    err = diverged(value, epoch, where, getattr(model.optimizer, "lr", None), best.where)
    err.history = model.history = history.trimmed(epoch - 1, best.epoch or None)
    raise err


def diverged(value, epoch, where, lr, kept):
    """The FloatingPointError fit raises when the loss (or a weight) became NaN or inf."""
    if lr is not None:
        advice = f"the learning rate lr={lr:g} is probably too large; try a smaller one such as {lr / 10:g}"
    else:
        advice = "try a smaller learning rate"
    what = f"the loss became {value}" if not math.isfinite(value) else "a weight became inf or NaN"
    return FloatingPointError(
        f"{what} in epoch {epoch} ({where}): training diverged; {advice}. "
        f"The model keeps the best weights so far (from {kept})."
    )


def progress_wanted(verbose):
    """Should fit show a tqdm progress bar? True/False decide; "auto" asks the environment.

    "auto" shows a bar only for a person watching: not in CI, not under nbgrader's autograder,
    not when NNSCRATCH_PROGRESS=0 (the Makefile sets it so executed notebooks stay clean), and
    only in a terminal or a live Jupyter kernel.
    """
    if verbose is True or verbose is False:
        return verbose
    if verbose != "auto":
        raise ValueError(f"verbose must be True, False or 'auto', got {verbose!r}.")
    env = os.environ
    if env.get("CI") or env.get("NBGRADER_EXECUTION") or env.get("NNSCRATCH_PROGRESS") == "0":
        return False
    if "ipykernel" in sys.modules:
        return True
    return bool(getattr(sys.stderr, "isatty", lambda: False)())


class ProgressBar:
    """A tqdm bar over the epochs when progress_wanted(verbose), else nothing at all."""

    def __init__(self, verbose, epochs):
        self.bar = None
        if progress_wanted(verbose):
            from tqdm.auto import tqdm  # imported only when shown: it is slow to import

            self.bar = tqdm(total=epochs, unit="epoch", leave=True)

    def update(self, history, epoch):
        if self.bar is None:
            return
        post = {"loss": f"{history['loss'][epoch - 1].mean():.4f}"}
        if "val_loss" in history:
            post["val_loss"] = f"{history['val_loss'][epoch - 1]:.4f}"
        self.bar.set_postfix(post, refresh=False)
        self.bar.update(1)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.close()
        return False
