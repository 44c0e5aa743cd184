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

import math
import warnings

import numpy as np

from nnscratch import saving
from nnscratch._checks import (
    as_generator,
    check_batch_size,
    check_inputs,
    check_positive_int,
    check_targets,
)
from nnscratch.activations import RELU_FAMILY, Sigmoid, Softmax, get_activation
from nnscratch.layers import Dense, Layer
from nnscratch.losses import BCE, CCE, get_loss
from nnscratch.optimizers import get_optimizer
from nnscratch.training import BestWeights, History, ProgressBar, stop_training

__all__ = ["Sequential", "History"]


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
        self.layers, dense = _checked_layers(layers)
        self.names = [f"{type(layer).__name__}_{i}" for i, layer in enumerate(self.layers)]
        self.loss = get_loss(loss)
        self.optimizer = get_optimizer(optimizer)
        self.dtype = dense[0].dtype
        self.n_inputs = dense[0].n_in
        self.n_outputs = dense[-1].n_out
        self._fused = _fused_output(self.layers[-1], self.loss)  # "softmax", "sigmoid" or None
        # Layers before the first one with parameters need no backward pass at all.
        self._first_trainable = next(i for i, layer in enumerate(self.layers) if _layer_params(layer))
        self._trainable = [(n, layer) for n, layer in zip(self.names, self.layers) if _layer_params(layer)]
        self.history = None

    # ------------------------------------------------------------ parameters and gradients

    def params(self):
        """Dict "Dense_0.W" -> the model's own parameter array (changing it changes the model)."""
        return {f"{name}.{k}": p for name, layer in self._trainable for k, p in layer.params().items()}

    def grads(self):
        """Dict "Dense_0.W" -> dL/dW from the last backward pass; same keys and shapes as params()."""
        return {f"{name}.{k}": g for name, layer in self._trainable for k, g in layer.grads().items()}

    def loss_and_gradients(self, X, Y):
        """The loss on (X, Y) and its gradient with respect to every parameter (backpropagation).

        X : (N, D) inputs; Y : (N, K) targets, as for fit. Returns ``(loss, grads)``: a float and a
        dict shaped like params(). The gradient is the one fit uses (the fused (p - y) / N after
        Softmax with CCE or Sigmoid with BCE). The weights are not changed. gradcheck.check_model
        compares these gradients with finite differences.
        """
        X = self._check_X(X)
        Y = self._check_y(Y, len(X))
        with np.errstate(all="ignore"):
            loss = self.loss.value(self._forward(X), Y)
            self._backward(self._output_grad())
        return loss, self.grads()

    @property
    def n_params(self):
        """Total number of trainable numbers."""
        return int(sum(p.size for p in self.params().values()))

    # ------------------------------------------------------------ inspection

    def summary(self, *, as_string=False):
        """Print a table of the layers, their output shapes and parameter counts.

        With as_string=True, return the table as a string instead of printing it.
        """
        table = _summary_table(self)
        if as_string:
            return table
        print(table)

    def __repr__(self):
        inner = ", ".join(repr(layer) for layer in self.layers)
        return f"Sequential([{inner}], {self.loss!r}, {self.optimizer!r})"

    # ------------------------------------------------------------ checks of X and y

    def _check_X(self, X, name="X", *, finite=True):
        first = self.layers[self._first_trainable]
        return check_inputs(
            X, self.n_inputs, self.dtype, name, finite=finite, expected_by=f"the first layer {first!r}"
        )

    def _check_y(self, y, n, name="y", x_name="X"):
        return check_targets(y, n, self.n_outputs, type(self.loss).__name__, self.dtype, name, x_name)

    # ------------------------------------------------------------ forward, backward, predict

    def _forward(self, X):
        out = X
        for layer in self.layers:
            out = layer.forward(out)
        return out

    def _output_grad(self):
        """dL/d(output of the last layer), or dL/d(logits) when Softmax/Sigmoid is fused with the loss."""
        if self._fused == "softmax":
            return self.loss.fused_softmax_grad()
        if self._fused == "sigmoid":
            return self.loss.fused_sigmoid_grad()
        return self.loss.backward()

    def _backward(self, grad):
        """Backpropagate grad (from _output_grad) through the layers, storing every gradient."""
        last = len(self.layers) - (2 if self._fused else 1)  # a fused last layer is already done
        first = self._first_trainable
        for i in range(last, first, -1):
            grad = self.layers[i].backward(grad)
        if isinstance(self.layers[first], Dense):
            self.layers[first].backward(grad, need_dx=False)  # dL/dX of the data is never needed
        else:
            self.layers[first].backward(grad)

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

    def _score(self, X, Y):
        """(loss, accuracy) of checked arrays."""
        out = self._forward(X)
        return self.loss.value(out, Y), _n_correct(out, Y, self.loss) / len(X)

    def evaluate(self, X, y):
        """Loss and accuracy on (X, y): {"loss": float, "accuracy": float}."""
        X = self._check_X(X)
        Y = self._check_y(y, len(X))
        with np.errstate(all="ignore"):
            loss, acc = self._score(X, Y)
        return {"loss": loss, "accuracy": acc}

    # ------------------------------------------------------------ training

    def fit(
        self,
        X,
        y,
        epochs,
        batch_size=-1,
        shuffle=True,
        validation_data=None,
        patience=None,
        verbose="auto",
        rng=None,
    ):
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
        verbose : True / False / "auto" (a tqdm bar when someone is watching)
        rng : np.random.Generator for the shuffling; the same seed gives bit-for-bit the same run

        If the loss becomes NaN or inf, fit restores the best weights seen so far (the initial ones
        if no epoch finished) and raises FloatingPointError, usually a sign the learning rate is too
        large. The partial history is attached to the error as ``err.history``. (NaN or inf in X
        show up the same way, and are then reported as an error in X.)

        The bookkeeping (History, BestWeights, ProgressBar) lives in nnscratch.training.
        """
        X = self._check_X(X, finite=False)  # NaN and inf in X make the loss NaN: see stop_training
        Y, val = self._check_y(y, len(X)), _check_validation(self, validation_data)
        epochs, patience = (
            check_positive_int(epochs, "epochs"),
            check_positive_int(patience, "patience", allow_none=True),
        )
        N, batch_size, rng = len(X), check_batch_size(batch_size, len(X)), as_generator(rng)
        n_batches = math.ceil(N / batch_size)  # the last batch may be smaller
        params = list(self.params().values())
        history = History.empty(epochs, n_batches, validation=val is not None)
        best = BestWeights(params, judged_at_start=val is None)
        with np.errstate(all="ignore"), ProgressBar(verbose, epochs) as bar:  # we check the loss ourselves
            for epoch in range(1, epochs + 1):
                best.epoch_started(epoch)
                # A new order every epoch; with a single batch the order changes nothing.
                order = rng.permutation(N) if shuffle and n_batches > 1 else np.arange(N)
                correct = 0
                for b in range(n_batches):
                    rows = order[b * batch_size : (b + 1) * batch_size]
                    Xb, Yb = X[rows], Y[rows]
                    out = self._forward(Xb)  # forward
                    loss = self.loss.value(out, Yb)  # loss
                    if not math.isfinite(loss):
                        stop_training(self, X, history, best, loss, epoch, f"batch {b + 1} of {n_batches}")
                    history["loss"][epoch - 1, b] = loss
                    correct += _n_correct(out, Yb, self.loss)
                    self._backward(self._output_grad())  # backward
                    self.optimizer.step(params, list(self.grads().values()))  # step
                history["accuracy"][epoch - 1] = correct / N
                monitored = self._end_of_epoch(X, history, best, epoch, val)
                best.epoch_ended(epoch, monitored)
                bar.update(history, epoch)
                if patience is not None and best.epochs_without_improvement >= patience:
                    break
        if patience is not None:
            best.restore()
        self.history = history.trimmed(epoch, best.epoch if patience is not None else None)
        return self.history

    def _end_of_epoch(self, X, history, best, epoch, val):
        """Score the validation data (if any); return the loss that judges the epoch."""
        if not all(np.isfinite(p).all() for p in best.params):  # inf in X can hide behind a ReLU
            stop_training(self, X, history, best, 0.0, epoch, "at its end")
        if val is None:
            return history["loss"][epoch - 1].mean()
        history["val_loss"][epoch - 1], history["val_accuracy"][epoch - 1] = self._score(*val)
        return history["val_loss"][epoch - 1]

    # ------------------------------------------------------------ parameters, save, load

    def get_params(self):
        """Dict "Dense_0.W" -> copy of that array, for every parameter of the model."""
        return {name: p.copy() for name, p in self.params().items()}

    def set_params(self, params):
        """Copy values from a dict like get_params() returns into the model's own arrays (in place)."""
        saving.set_params(self, params)

    def get_config(self):
        """Layers, loss and optimizer settings as plain data (what save writes next to the weights)."""
        layers = [{"class": type(layer).__name__, **layer.get_config()} for layer in self.layers]
        optimizer = {"class": type(self.optimizer).__name__, **self.optimizer.get_config()}
        return {"layers": layers, "loss": type(self.loss).__name__, "optimizer": optimizer}

    def save(self, path):
        """Save architecture and weights to a .npz file (the optimizer's state is not saved)."""
        saving.save_model(self, path)

    @classmethod
    def load(cls, path):
        """Rebuild a model saved with save(path): same layers, loss, optimizer settings, weights."""
        return saving.load_model(path, cls)


def _layer_params(layer):
    """A layer's params() dict; {} for a custom layer without params()."""
    params = getattr(layer, "params", None)
    return params() if callable(params) else {}


def _n_correct(out, Y, loss):
    """Number of correctly classified samples, from outputs and targets (n, K)."""
    if out.shape[1] > 1:
        return int(np.count_nonzero(out.argmax(axis=1) == Y.argmax(axis=1)))
    if isinstance(loss, BCE):
        return int(np.count_nonzero((out >= 0.5) == (Y >= 0.5)))
    return int(np.count_nonzero(np.rint(out) == np.rint(Y)))  # regression: nearest whole number


def _check_validation(model, validation_data):
    """fit's validation_data: None, or the pair (X_val, Y_val) checked like X and y."""
    if validation_data is None:
        return None
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
        raise TypeError("validation_data must be a pair (X_val, y_val).")
    X_val = model._check_X(validation_data[0], "X_val")
    return X_val, model._check_y(validation_data[1], len(X_val), "y_val", "X_val")


def _fused_output(last, loss):
    """Softmax + CCE and Sigmoid + BCE backpropagate the fused gradient (p - y) / size."""
    if isinstance(loss, CCE) and not isinstance(last, Softmax):
        warnings.warn(
            "CCE expects probabilities that sum to 1 per row; end the model with Softmax().", stacklevel=3
        )
    if isinstance(last, Softmax) and isinstance(loss, CCE):
        return "softmax"
    if isinstance(last, Sigmoid) and isinstance(loss, BCE):
        return "sigmoid"
    return None


def _checked_layers(layers):
    """Check the list of layers of Sequential(...); return it (names turned into layers) and its Dense layers.

    Consecutive Dense sizes must chain and all Dense layers share one dtype. init="auto" is resolved
    here: He for a Dense feeding a ReLU-like activation, Xavier otherwise.
    """
    if isinstance(layers, (Layer, str)) or not hasattr(layers, "__iter__"):
        raise TypeError(
            "layers must be a list of layers, e.g. [Dense(2, 8), ReLU(), Dense(8, 3), Softmax()]."
        )
    layers = [get_activation(layer) if isinstance(layer, str) else layer for layer in layers]
    if not layers:
        raise ValueError("layers is empty; a model needs at least one Dense layer.")
    for i, layer in enumerate(layers):
        if isinstance(layer, type):
            raise TypeError(
                f"layer {i} is the class {layer.__name__}, not a layer; write {layer.__name__}(...)."
            )
        if not (callable(getattr(layer, "forward", None)) and callable(getattr(layer, "backward", None))):
            raise TypeError(
                f"layer {i} ({layer!r}) is not a layer: it needs forward() and backward() methods."
            )
    width, source = None, None
    for i, layer in enumerate(layers):
        if isinstance(layer, Dense):
            if width is not None and layer.n_in != width:
                raise ValueError(
                    f"layer {i} ({layer!r}) expects {layer.n_in} inputs but layer {source} "
                    f"({layers[source]!r}) outputs {width}; the sizes must chain, "
                    f"e.g. Dense({width}, {layer.n_out})."
                )
            width, source = layer.n_out, i
        elif not isinstance(layer, Layer):
            width = None  # a custom layer: we cannot know its output width
    dense = [layer for layer in layers if isinstance(layer, Dense)]
    if not dense:
        raise ValueError("the model has no Dense layer, so nothing to train; add e.g. Dense(D, K).")
    dtypes = {layer.dtype for layer in dense}
    if len(dtypes) > 1:
        raise ValueError(
            f"all Dense layers must share one dtype, got {sorted(d.name for d in dtypes)}; "
            f"pass the same dtype=... to each of them."
        )
    for i, layer in enumerate(layers):
        if isinstance(layer, Dense):
            following = layers[i + 1] if i + 1 < len(layers) else None
            layer.resolve_auto_init(isinstance(following, RELU_FAMILY))
    return layers, dense


def _summary_table(model):
    """The table Sequential.summary prints: layers, output shapes, parameter counts."""
    rows = [("layer", "type", "output shape", "parameters")]
    width = model.n_inputs
    for name, layer in zip(model.names, model.layers):
        if isinstance(layer, Dense):
            width = layer.n_out
        n = sum(int(p.size) for p in _layer_params(layer).values())
        rows.append((name, repr(layer), f"(N, {width})", f"{n:,}"))
    widths = [max(len(r[c]) for r in rows) for c in range(4)]
    line = "-" * (sum(widths) + 6)
    text = [line]
    for j, row in enumerate(rows):
        cells = [cell.ljust(w) if c < 3 else cell.rjust(w) for c, (cell, w) in enumerate(zip(row, widths))]
        text.append("  ".join(cells))
        if j == 0:
            text.append(line)
    text += [
        line,
        f"Total parameters: {model.n_params:,}",
        f"Input: (N, {model.n_inputs})   loss: {model.loss!r}   optimizer: {model.optimizer!r}",
    ]
    return "\n".join(text)
