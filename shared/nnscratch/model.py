"""Sequential: a network as a list of layers, a loss and an optimizer.

Shapes: X (N, D) inputs; targets (N, K): one-hot for CCE, 0/1 columns for BCE, numbers for MSE
(a single regression output is a column, (N, 1)). N samples, D features, H hidden units,
K outputs.

    model = Sequential([Dense(2, 32, rng=rng), ReLU(), Dense(32, 3, rng=rng), Softmax()],
                       CCE(), SGD(0.1, momentum=0.9))
    history = model.fit(X, Y, epochs=100, batch_size=32, rng=rng)
    history["loss"]          # (epochs, batches per epoch): the loss of every mini-batch
    model.predict(X)         # (N,) int64 class labels
"""

import json
import math
import os
import sys
import warnings

import numpy as np

from nnscratch._checks import as_generator, check_2d, check_onehot, check_positive_int, check_same_length
from nnscratch.activations import ACTIVATIONS, RELU_FAMILY, Sigmoid, Softmax, get_activation
from nnscratch.layers import Dense, Layer
from nnscratch.losses import BCE, CCE, get_loss
from nnscratch.optimizers import OPTIMIZERS, get_optimizer

# Layer classes by their class name, to rebuild a saved model.
_LAYER_CLASSES = {"Dense": Dense, **{cls.__name__: cls for cls in ACTIVATIONS.values()}}


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

    def __getitem__(self, key):
        return self.history[key]

    def __contains__(self, key):
        return key in self.history

    def keys(self):
        return self.history.keys()

    def __repr__(self):
        shapes = ", ".join(f"{k!r}: {v.shape}" for k, v in self.history.items())
        return f"History({{{shapes}}}, stopped_epoch={self.stopped_epoch}, best_epoch={self.best_epoch})"


def _progress_wanted(verbose):
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


class Sequential:
    """A feed-forward network: the output of each layer is the input of the next.

    Parameters
    ----------
    layers : list of layers (Dense, activation layers) or activation names such as "relu"
    loss : MSE(), BCE(), CCE() or a name ("mse", "bce", "cce")
    optimizer : SGD(...), Adam(...) or a name ("sgd", "adam") for default settings

    The constructor checks that consecutive Dense sizes chain and that all Dense layers share
    one dtype, and resolves init="auto" (He before ReLU-like activations, Xavier otherwise).
    """

    def __init__(self, layers, loss, optimizer):
        if isinstance(layers, (Layer, str)) or not hasattr(layers, "__iter__"):
            raise TypeError("layers must be a list of layers, e.g. [Dense(2, 8), ReLU(), Dense(8, 3), Softmax()].")
        layers = [get_activation(layer) if isinstance(layer, str) else layer for layer in layers]
        if not layers:
            raise ValueError("layers is empty; a model needs at least one Dense layer.")
        for i, layer in enumerate(layers):
            if isinstance(layer, type):
                raise TypeError(f"layer {i} is the class {layer.__name__}, not a layer; write {layer.__name__}(...).")
            if not (callable(getattr(layer, "forward", None)) and callable(getattr(layer, "backward", None))):
                raise TypeError(f"layer {i} ({layer!r}) is not a layer: it needs forward() and backward() methods.")
        self.layers = layers
        self.names = [f"{type(layer).__name__}_{i}" for i, layer in enumerate(layers)]
        self._check_chain()
        self.loss = get_loss(loss)
        self.optimizer = get_optimizer(optimizer)

        dense = [(i, layer) for i, layer in enumerate(layers) if isinstance(layer, Dense)]
        if not dense:
            raise ValueError("the model has no Dense layer, so nothing to train; add e.g. Dense(D, K).")
        dtypes = {layer.dtype for _, layer in dense}
        if len(dtypes) > 1:
            raise ValueError(
                f"all Dense layers must share one dtype, got {sorted(d.name for d in dtypes)}; "
                f"pass the same dtype=... to each of them."
            )
        self.dtype = dense[0][1].dtype
        self.n_inputs = dense[0][1].n_in
        self.n_outputs = dense[-1][1].n_out

        # init="auto": He for a Dense feeding a ReLU-like activation, Xavier otherwise.
        for i, layer in dense:
            following = layers[i + 1] if i + 1 < len(layers) else None
            layer.resolve_auto_init(isinstance(following, RELU_FAMILY))

        # Softmax + CCE and Sigmoid + BCE backpropagate the fused gradient (p - y) / size.
        last = layers[-1]
        self._fused = None
        if isinstance(last, Softmax) and isinstance(self.loss, CCE):
            self._fused = "softmax"
        elif isinstance(last, Sigmoid) and isinstance(self.loss, BCE):
            self._fused = "sigmoid"
        if isinstance(self.loss, CCE) and not isinstance(last, Softmax):
            warnings.warn("CCE expects probabilities that sum to 1 per row; end the model with Softmax().",
                          stacklevel=2)
        # Layers before the first one with parameters need no backward pass at all.
        self._first_trainable = next(i for i, layer in enumerate(layers) if self._layer_params(layer))
        self._trainable = [layer for layer in layers if self._layer_params(layer)]
        self.history = None

    # ------------------------------------------------------------ construction helpers

    def _check_chain(self):
        width, source = None, None
        for i, layer in enumerate(self.layers):
            if isinstance(layer, Dense):
                if width is not None and layer.n_in != width:
                    raise ValueError(
                        f"layer {i} ({layer!r}) expects {layer.n_in} inputs but layer {source} "
                        f"({self.layers[source]!r}) outputs {width}; the sizes must chain, "
                        f"e.g. Dense({width}, {layer.n_out})."
                    )
                width, source = layer.n_out, i
            elif not isinstance(layer, Layer):
                width = None  # a custom layer: we cannot know its output width

    @staticmethod
    def _layer_params(layer):
        params = getattr(layer, "params", None)
        return params() if callable(params) else {}

    def _param_list(self):
        return [p for layer in self._trainable for p in layer.params().values()]

    def _grad_list(self):
        return [g for layer in self._trainable for g in layer.grads().values()]

    # ------------------------------------------------------------ inspection

    def summary(self, *, as_string=False):
        """Print a table of the layers, their output shapes and parameter counts.

        With as_string=True, return the table as a string instead of printing it.
        """
        rows = [("layer", "type", "output shape", "parameters")]
        width = self.n_inputs
        for name, layer in zip(self.names, self.layers):
            if isinstance(layer, Dense):
                width = layer.n_out
            n = sum(int(p.size) for p in self._layer_params(layer).values())
            rows.append((name, repr(layer), f"(N, {width})", f"{n:,}"))
        widths = [max(len(r[c]) for r in rows) for c in range(4)]
        line = "-" * (sum(widths) + 6)
        text = [line]
        for j, row in enumerate(rows):
            text.append("  ".join(cell.ljust(w) if c < 3 else cell.rjust(w)
                                  for c, (cell, w) in enumerate(zip(row, widths))))
            if j == 0:
                text.append(line)
        text += [line, f"Total parameters: {self.n_params:,}",
                 f"Input: (N, {self.n_inputs})   loss: {self.loss!r}   optimizer: {self.optimizer!r}"]
        table = "\n".join(text)
        if as_string:
            return table
        print(table)
        return None

    @property
    def n_params(self):
        """Total number of trainable numbers."""
        return int(sum(p.size for p in self._param_list()))

    def __repr__(self):
        inner = ", ".join(repr(layer) for layer in self.layers)
        return f"Sequential([{inner}], {self.loss!r}, {self.optimizer!r})"

    # ------------------------------------------------------------ checks of X and y

    def _check_X(self, X, name="X", *, finite=True):
        # Fast path for the common case, a float array: if the sum of all entries is finite, so is
        # every entry (NaN and inf propagate through a sum). One summing pass costs about a third
        # of the element-wise check, which matters for MNIST-sized data. Anything else goes
        # through check_2d, which also writes the error message. fit passes finite=False and
        # checks each batch on the way instead (see _forward_train).
        if not (type(X) is np.ndarray and X.ndim == 2 and X.size and X.dtype in (np.float32, np.float64)
                and (not finite or np.isfinite(X.sum()))):
            X = check_2d(X, name)
        if X.shape[1] != self.n_inputs:
            raise ValueError(
                f"{name} has {X.shape[1]} features (columns) but the first layer "
                f"{self.layers[self._first_trainable]!r} expects {self.n_inputs}."
            )
        # One conversion here, so that no batch is converted again inside the training loop.
        return np.asarray(X, dtype=self.dtype)

    def _check_y(self, y, n, name="y", x_name="X"):
        y = np.asarray(y)
        if y.ndim == 0:
            raise ValueError(f"{name} must hold one target per sample, got a scalar.")
        check_same_length(range(n), y, x_name, name)  # range(n): anything with n rows will do
        K = self.n_outputs
        if isinstance(self.loss, CCE):
            check_onehot(y, n_classes=K, name=name)
        else:
            if y.ndim == 1 and K == 1:
                raise ValueError(
                    f"{name} has shape {y.shape} but the model has one output per sample, shape ({n}, 1); "
                    f"make it a column with {name}.reshape(-1, 1)."
                )
            if y.ndim != 2 or y.shape[1] != K:
                hint = (f" For class labels, one-hot encode them with class_to_onehot({name}, {K})."
                        if y.ndim == 1 else "")
                raise ValueError(f"{name} must have shape (N, {K}) to match the model's {K} outputs, "
                                 f"got shape {y.shape}.{hint}")
            if not np.issubdtype(y.dtype, np.number) or not np.all(np.isfinite(y)):
                raise ValueError(f"{name} must hold finite numbers.")
            if isinstance(self.loss, BCE) and (y.min() < 0 or y.max() > 1):
                raise ValueError(f"BCE needs targets between 0 and 1, but {name} ranges from "
                                 f"{y.min()} to {y.max()}.")
        return np.asarray(y, dtype=self.dtype)

    # ------------------------------------------------------------ prediction

    def _forward(self, X):
        out = X
        for layer in self.layers:
            out = layer.forward(out)
        return out

    def _forward_train(self, X):
        """Forward pass of a training batch; also returns whether the first trainable layer's
        output is finite.

        A NaN or inf in X always makes that output non-finite (inf * w is inf, inf * 0 is NaN),
        while later layers may hide it (tanh(inf) = 1). Summing this (N, H) output costs far less
        than scanning the (N, D) data before training, and fit runs the full check only when
        something is wrong.
        """
        out = X
        finite = True
        first = self._first_trainable
        for i, layer in enumerate(self.layers):
            out = layer.forward(out)
            if i == first:
                finite = math.isfinite(out.sum())
        return out, finite

    def forward(self, X):
        """X: (N, D) -> output of the last layer, (N, K) (probabilities after Softmax)."""
        return self._forward(self._check_X(X))

    def predict_proba(self, X):
        """(N, K) outputs of the network; class probabilities when it ends with Softmax."""
        return self.forward(X)

    def predict(self, X):
        """(N,) int64 class labels (argmax of the outputs); for a single output, (N,) its values."""
        out = self.forward(X)
        if out.shape[1] == 1:
            return out[:, 0].copy()
        return out.argmax(axis=1).astype(np.int64)

    def _correct(self, out, y):
        """Number of correctly classified samples in a batch (outputs and targets (n, K))."""
        if out.shape[1] > 1:
            return int(np.count_nonzero(out.argmax(axis=1) == y.argmax(axis=1)))
        if isinstance(self.loss, BCE):
            return int(np.count_nonzero((out >= 0.5) == (y >= 0.5)))
        return int(np.count_nonzero(np.rint(out) == np.rint(y)))  # regression: nearest whole number

    def evaluate(self, X, y):
        """Loss and accuracy on (X, y): {"loss": float, "accuracy": float}."""
        X = self._check_X(X)
        y = self._check_y(y, len(X))
        out = self._forward(X)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            loss = self.loss._forward(out, y)
        return {"loss": loss, "accuracy": self._correct(out, y) / len(X)}

    # ------------------------------------------------------------ training

    def _backward(self, grad):
        """Backpropagate grad = dL/d(output of the last layer, or of the logits when fused)."""
        last = len(self.layers) - (2 if self._fused else 1)
        first = self._first_trainable
        for i in range(last, first, -1):
            grad = self.layers[i].backward(grad)
        layer = self.layers[first]
        if isinstance(layer, Dense):
            layer.backward(grad, need_dx=False)  # dL/dX of the data is never needed
        else:
            layer.backward(grad)

    def _loss_grad(self):
        if self._fused == "softmax":
            return self.loss.fused_softmax_grad()
        if self._fused == "sigmoid":
            return self.loss.fused_sigmoid_grad()
        return self.loss.backward()

    def fit(self, X, y, epochs, batch_size=-1, shuffle=True, validation_data=None, patience=None,
            verbose="auto", rng=None):
        """Train with mini-batch gradient descent; return a History.

        Parameters
        ----------
        X : (N, D) inputs;  y : (N, K) targets (one-hot for CCE, (N, 1) column for one MSE output)
        epochs : number of passes over the data
        batch_size : samples per update; -1 (default) is the full batch. Every sample is used once
            per epoch: the last batch is smaller when batch_size does not divide N.
        shuffle : draw a new order of the samples every epoch (with rng)
        validation_data : optional (X_val, y_val), evaluated at the end of every epoch
        patience : stop after this many epochs without improvement of the validation loss (or of
            the training loss without validation_data) and restore the best weights
        verbose : True / False / "auto" (a tqdm bar when someone is watching; see _progress_wanted)
        rng : np.random.Generator for the shuffling; the same seed gives bit-for-bit the same run

        If the loss becomes NaN or inf, fit restores the best weights seen so far (the initial ones
        if no epoch finished) and raises FloatingPointError, usually a sign the learning rate is too
        large. The partial history is attached to the error as ``err.history``.
        """
        X = self._check_X(X, finite=False)  # NaN and inf are caught batch by batch, see below
        N = len(X)
        Y = self._check_y(y, N)
        epochs = check_positive_int(epochs, "epochs")
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)):
            raise TypeError(f"batch_size must be an integer, got {batch_size!r}.")
        if batch_size == -1:
            batch_size = N
        elif not 1 <= batch_size <= N:
            raise ValueError(f"batch_size must be in [1, {N}] (the number of samples), or -1 for the "
                             f"full batch, got {batch_size}.")
        patience = check_positive_int(patience, "patience", allow_none=True)
        if validation_data is not None:
            if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
                raise TypeError("validation_data must be a pair (X_val, y_val).")
            X_val = self._check_X(validation_data[0], "X_val")
            Y_val = self._check_y(validation_data[1], len(X_val), "y_val", "X_val")
        rng = as_generator(rng)
        n_batches = -(-N // batch_size)  # ceiling: the last, partial batch counts too
        one_batch = n_batches == 1
        labels = Y.argmax(axis=1) if self.n_outputs > 1 else None  # for the accuracy, once
        # With several outputs, the class predicted for each sample (in the epoch's order) is
        # stored during the epoch and compared with the labels once at its end, which costs less
        # than counting batch by batch.
        predicted = np.empty(N, dtype=np.intp) if labels is not None else None

        losses = np.zeros((epochs, n_batches))
        acc = np.zeros(epochs)
        val_loss = np.zeros(epochs) if validation_data is not None else None
        val_acc = np.zeros(epochs) if validation_data is not None else None
        # Best weights so far (the starting weights until an epoch has finished). Judged by the
        # training loss, an epoch's loss belongs to the weights at its *start* (each batch is
        # scored before its update), so we keep a copy of those; judged by the validation loss,
        # it belongs to the weights at the epoch's end.
        best_params = [p.copy() for p in self._param_list()]
        start_params = [p.copy() for p in best_params] if validation_data is None else None
        best_value, best_epoch, since_best = np.inf, 0, 0
        self._best_where = "before training"

        bar = None
        if _progress_wanted(verbose):
            from tqdm.auto import tqdm  # imported only when shown: it is slow to import
            bar = tqdm(total=epochs, unit="epoch", leave=True)

        params = self._param_list()
        step = self.optimizer.step
        loss_forward = self.loss._forward
        epoch = 0
        try:
            # Overflow inside the network shows up as a non-finite loss, which we check ourselves.
            with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
                for epoch in range(1, epochs + 1):
                    # With a single full batch the order does not matter, so skip the copy.
                    order = rng.permutation(N) if (shuffle and not one_batch) else None
                    if start_params is not None and epoch > 1:
                        for saved, p in zip(start_params, params):
                            np.copyto(saved, p)
                    correct = 0
                    row = losses[epoch - 1]
                    for b in range(n_batches):
                        lo, hi = b * batch_size, min(N, (b + 1) * batch_size)
                        if order is None:
                            Xb, Yb = X[lo:hi], Y[lo:hi]  # views, no copies
                        else:
                            idx = order[lo:hi]
                            # np.take gathers rows about twice as fast as fancy indexing X[idx]
                            # (same copy, same result): ~2% of an MNIST-sized epoch.
                            Xb, Yb = np.take(X, idx, axis=0), np.take(Y, idx, axis=0)
                        out, finite = self._forward_train(Xb)
                        value = loss_forward(out, Yb)
                        if not (finite and math.isfinite(value)):
                            if not np.all(np.isfinite(Xb)):
                                # The data, not the training, is at fault. Every sample is seen in
                                # epoch 1, so this happens then: put the starting weights back.
                                self._restore(best_params)
                                check_2d(X)  # raises, counting the NaN and inf values of all of X
                            self._diverged(value, epoch, b, n_batches, best_params)
                        row[b] = value
                        if predicted is not None:
                            out.argmax(axis=1, out=predicted[lo:hi])  # before this batch's update
                        else:
                            correct += self._correct(out, Yb)  # one output: BCE or MSE rules
                        self._backward(self._loss_grad())
                        step(params, self._grad_list())
                    if predicted is not None:
                        in_order = labels if order is None else np.take(labels, order)
                        correct = np.count_nonzero(predicted == in_order)
                    acc[epoch - 1] = correct / N
                    monitored = row.mean()
                    if validation_data is not None:
                        out = self._forward(X_val)
                        val_loss[epoch - 1] = monitored = loss_forward(out, Y_val)
                        val_acc[epoch - 1] = self._correct(out, Y_val) / len(X_val)
                    if monitored < best_value:
                        best_value, best_epoch, since_best = monitored, epoch, 0
                        if start_params is not None:
                            best_params, start_params = start_params, best_params  # swap, no copy
                            self._best_where = f"the start of epoch {epoch}"
                        else:
                            for saved, p in zip(best_params, params):
                                np.copyto(saved, p)
                            self._best_where = f"the end of epoch {epoch}"
                    else:
                        since_best += 1
                    if bar is not None:
                        post = {"loss": f"{row.mean():.4f}"}
                        if validation_data is not None:
                            post["val_loss"] = f"{val_loss[epoch - 1]:.4f}"
                        bar.set_postfix(post, refresh=False)
                        bar.update(1)
                    if patience is not None and since_best >= patience:
                        break
        except FloatingPointError as err:
            err.history = self.history = self._make_history(
                losses, acc, val_loss, val_acc, epoch - 1, best_epoch or None)
            raise
        finally:
            if bar is not None:
                bar.close()
        if patience is not None:
            for p, saved in zip(params, best_params):
                np.copyto(p, saved)
        self.history = self._make_history(losses, acc, val_loss, val_acc, epoch,
                                          best_epoch if patience is not None else None)
        return self.history

    @staticmethod
    def _make_history(losses, acc, val_loss, val_acc, n_epochs, best_epoch):
        history = {"loss": losses[:n_epochs], "accuracy": acc[:n_epochs]}
        if val_loss is not None:
            history["val_loss"] = val_loss[:n_epochs]
            history["val_accuracy"] = val_acc[:n_epochs]
        return History(history, best_epoch=best_epoch, stopped_epoch=n_epochs)

    def _restore(self, saved_params):
        for p, saved in zip(self._param_list(), saved_params):
            np.copyto(p, saved)

    def _diverged(self, value, epoch, batch, n_batches, best_params):
        self._restore(best_params)
        if math.isfinite(value):
            value = "inf or NaN inside the network"
        lr = getattr(self.optimizer, "lr", None)
        advice = (f"the learning rate lr={lr:g} is probably too large; try a smaller one such as {lr / 10:g}"
                  if lr is not None else "try a smaller learning rate")
        kept = self._best_where
        raise FloatingPointError(
            f"the loss became {value} in epoch {epoch} (batch {batch + 1} of {n_batches}): training diverged; "
            f"{advice}. The model keeps the best weights so far (from {kept})."
        )

    # ------------------------------------------------------------ parameters, save, load

    def _param_names(self):
        return [f"{name}.{key}" for name, layer in zip(self.names, self.layers) if layer in self._trainable
                for key in layer.params()]

    def get_params(self):
        """Dict "Dense_0.W" -> copy of that array, for every parameter of the model."""
        return {name: p.copy() for name, p in zip(self._param_names(), self._param_list())}

    def set_params(self, params):
        """Copy values from a dict like get_params() returns into the model's own arrays."""
        names = self._param_names()
        missing = [n for n in names if n not in params]
        extra = [n for n in params if n not in names]
        if missing or extra:
            raise ValueError(f"set_params: missing {missing}, unexpected {extra}; expected the keys {names}.")
        for name, p in zip(names, self._param_list()):
            value = np.asarray(params[name])
            if value.shape != p.shape:
                raise ValueError(f"set_params: {name} must have shape {p.shape}, got {value.shape}.")
            if not np.all(np.isfinite(value)):
                raise ValueError(f"set_params: {name} contains NaN or inf.")
            np.copyto(p, value, casting="same_kind")  # in place: the optimizer's state stays attached

    def get_config(self):
        layers = [{"class": type(layer).__name__, **layer.get_config()} for layer in self.layers]
        return {"layers": layers,
                "loss": type(self.loss).__name__,
                "optimizer": {"class": type(self.optimizer).__name__, **self.optimizer.get_config()}}

    def save(self, path):
        """Save architecture and weights to a .npz file (the optimizer's state is not saved)."""
        for layer in self.layers:
            if type(layer).__name__ not in _LAYER_CLASSES:
                raise TypeError(f"cannot save a model with the custom layer {layer!r}.")
        np.savez(path, __config__=np.array(json.dumps(self.get_config())), **self.get_params())

    @classmethod
    def load(cls, path):
        """Rebuild a model saved with save(path): same layers, loss, optimizer settings, weights."""
        path = os.fspath(path)
        if not os.path.exists(path) and os.path.exists(path + ".npz"):
            path += ".npz"
        if not os.path.exists(path):
            raise FileNotFoundError(f"no saved model at {path!r}; check the file name (models are saved as .npz).")
        try:
            with np.load(path, allow_pickle=False) as data:
                config = json.loads(str(data["__config__"]))
                params = {k: data[k] for k in data.files if k != "__config__"}
            layers = []
            for spec in config["layers"]:
                spec = dict(spec)
                layer_cls = _LAYER_CLASSES[spec.pop("class")]
                if layer_cls is Dense:
                    spec["rng"] = np.random.default_rng(0)  # the weights are overwritten below
                layers.append(layer_cls(**spec))
            opt_spec = dict(config["optimizer"])
            optimizer = OPTIMIZERS[opt_spec.pop("class").lower()](**opt_spec)
            loss = get_loss(config["loss"])
        except (KeyError, ValueError, TypeError, OSError) as err:
            raise ValueError(f"{path!r} is not a model saved by Sequential.save (or it is damaged): {err}") from err
        model = cls(layers, loss, optimizer)
        model.set_params(params)
        return model
