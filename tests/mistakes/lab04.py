"""Typical wrong solutions of lab04 (MNIST, validation split, mini-batches, confusion matrix, early stopping).

Each entry replaces the solution cell ``cell`` of
solutions/lab04-mnist-batch-vs-sgd/lab04-mnist-batch-vs-sgd.ipynb by ``source``;
the task's graded cells listed in ``fails`` (its visible test and its hidden test, which holds the
task's points) must then lose points, and no other task may (tests/test_nbgrader_labs.py).
"""

_FORWARD_HEAD = "def forward(params, X):\n"
_HIDDEN = "    H = 1.0 / (1.0 + np.exp(-(X @ params['W1'] + params['b1'])))\n"
_SCORES = "    S = H @ params['W2'] + params['b2']\n"
_LOSS_HEAD = "def cross_entropy(P, Y):\n"
_SPLIT_HEAD = "def validation_split(X, Y, val_size, rng):\n"
_EPOCH_HEAD = "def train_epoch(params, X, Y, *, batch_size, lr, rng):\n"
_PER_DIGIT_HEAD = "def per_digit_accuracy(y_true, y_pred, n_classes):\n"
_ES_HEAD = (
    "def fit_early_stopping(params, X_train, Y_train, X_val, Y_val, *, max_epochs, batch_size, lr, "
    "patience, rng):\n"
)


def _early_stopping(remember, stop_rule="waited >= patience", returned="best"):
    """An early-stopping loop whose way of remembering the weights, stopping or returning varies."""
    return (
        _ES_HEAD + "    val_losses, best, best_loss, waited = [], None, np.inf, 0\n"
        "    for _ in range(max_epochs):\n"
        "        train_epoch(params, X_train, Y_train, batch_size=batch_size, lr=lr, rng=rng)\n"
        "        loss = cross_entropy(forward(params, X_val)[1], Y_val)\n"
        "        val_losses.append(loss)\n"
        "        if loss < best_loss:\n"
        f"            best_loss, waited, best = loss, 0, {remember}\n"
        "        else:\n"
        "            waited += 1\n"
        f"            if {stop_rule}:\n"
        "                break\n"
        f"    return {returned}, val_losses\n"
    )


MISTAKES = [
    # ---------------------------------------------------------------- task 1: forward
    {
        "name": "softmax without subtracting the row maximum (overflows)",
        "cell": "forward-solution",
        "source": _FORWARD_HEAD
        + _HIDDEN
        + _SCORES
        + "    E = np.exp(S)\n    return H, E / E.sum(axis=1, keepdims=True)\n",
        "fails": ["forward-tests", "forward-hidden"],
    },
    {
        "name": "softmax normalised over columns (axis=0)",
        "cell": "forward-solution",
        "source": _FORWARD_HEAD
        + _HIDDEN
        + _SCORES
        + "    E = np.exp(S - S.max(axis=0, keepdims=True))\n    return H, E / E.sum(axis=0, keepdims=True)\n",
        "fails": ["forward-tests", "forward-hidden"],
    },
    {
        "name": "softmax over the whole array (sum without axis)",
        "cell": "forward-solution",
        "source": _FORWARD_HEAD
        + _HIDDEN
        + _SCORES
        + "    E = np.exp(S - S.max())\n    return H, E / E.sum()\n",
        "fails": ["forward-tests", "forward-hidden"],
    },
    {
        "name": "biases left out",
        "cell": "forward-solution",
        "source": _FORWARD_HEAD
        + "    H = 1.0 / (1.0 + np.exp(-(X @ params['W1'])))\n    S = H @ params['W2']\n"
        "    E = np.exp(S - S.max(axis=1, keepdims=True))\n    return H, E / E.sum(axis=1, keepdims=True)\n",
        "fails": ["forward-tests", "forward-hidden"],
    },
    {
        "name": "ReLU instead of the sigmoid in the hidden layer",
        "cell": "forward-solution",
        "source": _FORWARD_HEAD
        + "    H = np.maximum(0.0, X @ params['W1'] + params['b1'])\n"
        + _SCORES
        + "    E = np.exp(S - S.max(axis=1, keepdims=True))\n    return H, E / E.sum(axis=1, keepdims=True)\n",
        "fails": ["forward-tests", "forward-hidden"],
    },
    {
        "name": "sigmoid with the wrong sign, 1 / (1 + exp(a))",
        "cell": "forward-solution",
        "source": _FORWARD_HEAD
        + "    H = 1.0 / (1.0 + np.exp(X @ params['W1'] + params['b1']))\n"
        + _SCORES
        + "    E = np.exp(S - S.max(axis=1, keepdims=True))\n    return H, E / E.sum(axis=1, keepdims=True)\n",
        "fails": ["forward-tests", "forward-hidden"],
    },
    {
        "name": "returning only the probabilities",
        "cell": "forward-solution",
        "source": _FORWARD_HEAD
        + _HIDDEN
        + _SCORES
        + "    E = np.exp(S - S.max(axis=1, keepdims=True))\n    return E / E.sum(axis=1, keepdims=True)\n",
        "fails": ["forward-tests", "forward-hidden"],
    },
    # ---------------------------------------------------------------- task 2: cross_entropy
    {
        "name": "cross-entropy summed over samples instead of averaged",
        "cell": "loss-solution",
        "source": _LOSS_HEAD + "    return float(-np.sum(Y * np.log(np.clip(P, 1e-12, 1.0))))\n",
        "fails": ["loss-tests", "loss-hidden"],
    },
    {
        "name": "cross-entropy averaged over all N * K entries",
        "cell": "loss-solution",
        "source": _LOSS_HEAD + "    return float(-np.mean(Y * np.log(np.clip(P, 1e-12, 1.0))))\n",
        "fails": ["loss-tests", "loss-hidden"],
    },
    {
        "name": "cross-entropy without the minus sign",
        "cell": "loss-solution",
        "source": _LOSS_HEAD
        + "    return float(np.mean(np.sum(Y * np.log(np.clip(P, 1e-12, 1.0)), axis=1)))\n",
        "fails": ["loss-tests", "loss-hidden"],
    },
    {
        "name": "log of probabilities that can be 0 (0 * log 0 = nan)",
        "cell": "loss-solution",
        "source": _LOSS_HEAD + "    return float(-np.mean(np.sum(Y * np.log(P), axis=1)))\n",
        "fails": ["loss-tests", "loss-hidden"],
    },
    {
        "name": "binary cross-entropy formula from seed 001's equation",
        "cell": "loss-solution",
        "source": _LOSS_HEAD + "    P = np.clip(P, 1e-12, 1 - 1e-12)\n"
        "    return float(-np.mean(np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P), axis=1)))\n",
        "fails": ["loss-tests", "loss-hidden"],
    },
    # ---------------------------------------------------------------- task 4: train_epoch
    {
        "name": "gradient ascent: params += lr * grads",
        "cell": "epoch-solution",
        "source": _EPOCH_HEAD + "    losses = []\n"
        "    for idx in batch_indices(len(X), batch_size, rng):\n"
        "        H, P = forward(params, X[idx])\n        losses.append(cross_entropy(P, Y[idx]))\n"
        "        grads = backward(params, X[idx], H, P, Y[idx])\n"
        "        for name in params:\n            params[name] += lr * grads[name]\n"
        "    return losses\n",
        "fails": ["epoch-tests", "epoch-hidden"],
    },
    {
        "name": "the whole data set in every step instead of the batch",
        "cell": "epoch-solution",
        "source": _EPOCH_HEAD + "    losses = []\n"
        "    for idx in batch_indices(len(X), batch_size, rng):\n"
        "        H, P = forward(params, X)\n        losses.append(cross_entropy(P, Y))\n"
        "        grads = backward(params, X, H, P, Y)\n"
        "        for name in params:\n            params[name] -= lr * grads[name]\n"
        "    return losses\n",
        "fails": ["epoch-tests", "epoch-hidden"],
    },
    {
        "name": "a fresh unseeded generator instead of the rng passed in",
        "cell": "epoch-solution",
        "source": _EPOCH_HEAD + "    losses = []\n"
        "    for idx in batch_indices(len(X), batch_size, np.random.default_rng()):\n"
        "        H, P = forward(params, X[idx])\n        losses.append(cross_entropy(P, Y[idx]))\n"
        "        grads = backward(params, X[idx], H, P, Y[idx])\n"
        "        for name in params:\n            params[name] -= lr * grads[name]\n"
        "    return losses\n",
        "fails": ["epoch-tests", "epoch-hidden"],
    },
    {
        "name": "only the weights updated, biases forgotten",
        "cell": "epoch-solution",
        "source": _EPOCH_HEAD + "    losses = []\n"
        "    for idx in batch_indices(len(X), batch_size, rng):\n"
        "        H, P = forward(params, X[idx])\n        losses.append(cross_entropy(P, Y[idx]))\n"
        "        grads = backward(params, X[idx], H, P, Y[idx])\n"
        "        for name in ('W1', 'W2'):\n            params[name] -= lr * grads[name]\n"
        "    return losses\n",
        "fails": ["epoch-tests", "epoch-hidden"],
    },
    {
        "name": "inputs of the batch paired with the targets of the unshuffled data",
        "cell": "epoch-solution",
        "source": _EPOCH_HEAD + "    losses, start = [], 0\n"
        "    for idx in batch_indices(len(X), batch_size, rng):\n"
        "        Y_batch = Y[start:start + len(idx)]\n        start += len(idx)\n"
        "        H, P = forward(params, X[idx])\n        losses.append(cross_entropy(P, Y_batch))\n"
        "        grads = backward(params, X[idx], H, P, Y_batch)\n"
        "        for name in params:\n            params[name] -= lr * grads[name]\n"
        "    return losses\n",
        "fails": ["epoch-tests", "epoch-hidden"],
    },
    {
        "name": "loss recorded after the update",
        "cell": "epoch-solution",
        "source": _EPOCH_HEAD + "    losses = []\n"
        "    for idx in batch_indices(len(X), batch_size, rng):\n"
        "        H, P = forward(params, X[idx])\n"
        "        grads = backward(params, X[idx], H, P, Y[idx])\n"
        "        for name in params:\n            params[name] -= lr * grads[name]\n"
        "        losses.append(cross_entropy(forward(params, X[idx])[1], Y[idx]))\n"
        "    return losses\n",
        "fails": ["epoch-tests", "epoch-hidden"],
    },
    # ---------------------------------------------------------------- task 5: per_digit_accuracy
    {
        "name": "column sums (precision) instead of row sums",
        "cell": "per-digit-solution",
        "source": _PER_DIGIT_HEAD
        + "    table = confusion_matrix(y_true, y_pred, labels=np.arange(n_classes))\n"
        "    return np.diag(table) / table.sum(axis=0)\n",
        "fails": ["per-digit-tests", "per-digit-hidden"],
    },
    {
        "name": "seed 001's argument order: confusion_matrix(y_pred, y_true)",
        "cell": "per-digit-solution",
        "source": _PER_DIGIT_HEAD
        + "    table = confusion_matrix(y_pred, y_true, labels=np.arange(n_classes))\n"
        "    return np.diag(table) / table.sum(axis=1)\n",
        "fails": ["per-digit-tests", "per-digit-hidden"],
    },
    {
        "name": "counts on the diagonal instead of fractions",
        "cell": "per-digit-solution",
        "source": _PER_DIGIT_HEAD
        + "    return np.diag(confusion_matrix(y_true, y_pred, labels=np.arange(n_classes))).astype(float)\n",
        "fails": ["per-digit-tests", "per-digit-hidden"],
    },
    {
        "name": "dividing the diagonal by the total number of samples",
        "cell": "per-digit-solution",
        "source": _PER_DIGIT_HEAD
        + "    table = confusion_matrix(y_true, y_pred, labels=np.arange(n_classes))\n"
        "    return np.diag(table) / table.sum()\n",
        "fails": ["per-digit-tests", "per-digit-hidden"],
    },
    {
        "name": "overall accuracy repeated for every class",
        "cell": "per-digit-solution",
        "source": _PER_DIGIT_HEAD
        + "    return np.full(n_classes, np.mean(np.asarray(y_true) == np.asarray(y_pred)))\n",
        "fails": ["per-digit-tests", "per-digit-hidden"],
    },
    # ---------------------------------------------------------------- task 6: fit_early_stopping
    {
        "name": "seed 004's best_net = self: remembering a reference, not a copy",
        "cell": "early-stopping-solution",
        "source": _early_stopping("params"),
        "fails": ["early-stopping-tests", "early-stopping-hidden"],
    },
    {
        "name": "a shallow copy dict(params) whose arrays keep changing in place",
        "cell": "early-stopping-solution",
        "source": _early_stopping("dict(params)"),
        "fails": ["early-stopping-tests", "early-stopping-hidden"],
    },
    {
        "name": "returning the last weights instead of the best",
        "cell": "early-stopping-solution",
        "source": _early_stopping("{k: v.copy() for k, v in params.items()}", returned="params"),
        "fails": ["early-stopping-tests", "early-stopping-hidden"],
    },
    {
        "name": "stopping at the first epoch without improvement (patience ignored)",
        "cell": "early-stopping-solution",
        "source": _early_stopping("{k: v.copy() for k, v in params.items()}", stop_rule="True"),
        "fails": ["early-stopping-tests", "early-stopping-hidden"],
    },
    {
        "name": "never stopping early (trains to max_epochs)",
        "cell": "early-stopping-solution",
        "source": _early_stopping("{k: v.copy() for k, v in params.items()}", stop_rule="False"),
        "fails": ["early-stopping-tests", "early-stopping-hidden"],
    },
    {
        "name": "patience off by one (waits one epoch too many)",
        "cell": "early-stopping-solution",
        "source": _early_stopping("{k: v.copy() for k, v in params.items()}", stop_rule="waited > patience"),
        "fails": ["early-stopping-tests", "early-stopping-hidden"],
    },
    {
        "name": "training a copy, so params never changes",
        "cell": "early-stopping-solution",
        "source": _ES_HEAD.replace("(params,", "(params_in,")
        + "    params = {k: v.copy() for k, v in params_in.items()}\n"
        + _early_stopping("{k: v.copy() for k, v in params.items()}").split("\n", 1)[1],
        "fails": ["early-stopping-tests", "early-stopping-hidden"],
    },
]

# ------------------------------------------------------------------------------------------------
# New entries (issue 14): mistakes of the kinds that escaped an independent examiner, written before
# the hidden tests were strengthened. "new": True marks them; "fails" names the task's visible and
# hidden test cells.
# ------------------------------------------------------------------------------------------------

_SOFTMAX_OK = "    E = np.exp(S - S.max(axis=1, keepdims=True))\n    P = E / E.sum(axis=1, keepdims=True)\n"
_FORWARD_FAILS = ["forward-tests", "forward-hidden"]
_LOSS_FAILS = ["loss-tests", "loss-hidden"]
_EPOCH_FAILS = ["epoch-tests", "epoch-hidden"]
_PER_DIGIT_FAILS = ["per-digit-tests", "per-digit-hidden"]
_ES_FAILS = ["early-stopping-tests", "early-stopping-hidden"]


def _epoch(batches="batch_indices(len(X), batch_size, rng)", body=None):
    """train_epoch with its batches or its loop body replaced."""
    body = body or (
        "        H, P = forward(params, X[idx])\n        losses.append(cross_entropy(P, Y[idx]))\n"
        "        grads = backward(params, X[idx], H, P, Y[idx])\n"
        "        for name in params:\n            params[name] -= lr * grads[name]\n"
    )
    return _EPOCH_HEAD + f"    losses = []\n    for idx in {batches}:\n" + body + "    return losses\n"


def _stopping(
    train="train_epoch(params, X_train, Y_train, batch_size=batch_size, lr=lr, rng=rng)",
    improved="loss < best_loss",
    reset="waited = 0",
    epochs="range(max_epochs)",
    extra="",
):
    """fit_early_stopping with one piece replaced."""
    return (
        _ES_HEAD + f"    val_losses, best, best_loss, waited, previous = [], None, np.inf, 0, np.inf\n{extra}"
        f"    for _ in {epochs}:\n"
        f"        {train}\n"
        "        loss = cross_entropy(forward(params, X_val)[1], Y_val)\n"
        "        val_losses.append(loss)\n"
        f"        if {improved}:\n"
        f"            {reset}\n"
        "            if loss < best_loss:\n"
        "                best_loss, best = loss, {k: v.copy() for k, v in params.items()}\n"
        "        else:\n"
        "            waited += 1\n"
        "            if waited >= patience:\n"
        "                break\n"
        "        previous = loss\n"
        "    return best, val_losses\n"
    )


MISTAKES += [
    # ---------------------------------------------------------------- task 1: forward
    {
        "name": "softmax shifted by the maximum of the whole array, not of each row",
        "new": True,
        "cell": "forward-solution",
        "source": _FORWARD_HEAD
        + _HIDDEN
        + _SCORES
        + "    E = np.exp(S - S.max())\n    return H, E / E.sum(axis=1, keepdims=True)\n",
        "fails": _FORWARD_FAILS,
    },
    {
        "name": "sigmoid written as exp(a) / (1 + exp(a)) (NaN for pre-activations above about 710)",
        "new": True,
        "cell": "forward-solution",
        "source": _FORWARD_HEAD
        + "    A = X @ params['W1'] + params['b1']\n    H = np.exp(A) / (1.0 + np.exp(A))\n"
        + _SCORES
        + _SOFTMAX_OK
        + "    return H, P\n",
        "fails": _FORWARD_FAILS,
    },
    {
        "name": "results converted to float32 to save memory",
        "new": True,
        "cell": "forward-solution",
        "source": _FORWARD_HEAD
        + _HIDDEN
        + _SCORES
        + _SOFTMAX_OK
        + "    return H.astype(np.float32), P.astype(np.float32)\n",
        "fails": _FORWARD_FAILS,
    },
    {
        "name": "np.squeeze on the results (a batch of one sample loses its first dimension)",
        "new": True,
        "cell": "forward-solution",
        "source": _FORWARD_HEAD
        + _HIDDEN
        + _SCORES
        + _SOFTMAX_OK
        + "    return np.squeeze(H), np.squeeze(P)\n",
        "fails": _FORWARD_FAILS,
    },
    # ---------------------------------------------------------------- task 2: cross_entropy
    {
        "name": "log's argument clipped at 1e-3 instead of 1e-12",
        "new": True,
        "cell": "loss-solution",
        "source": _LOSS_HEAD
        + "    return float(-np.mean(np.log(np.clip(np.sum(P * Y, axis=1), 1e-3, 1.0))))\n",
        "fails": _LOSS_FAILS,
    },
    {
        "name": "clips the caller's P in place (np.clip(..., out=P))",
        "new": True,
        "cell": "loss-solution",
        "source": _LOSS_HEAD + "    np.clip(P, 1e-12, 1.0, out=P)\n"
        "    return float(-np.mean(np.sum(Y * np.log(P), axis=1)))\n",
        "fails": _LOSS_FAILS,
    },
    {
        "name": "log(P + 1e-3): an epsilon added instead of clipping, too large",
        "new": True,
        "cell": "loss-solution",
        "source": _LOSS_HEAD + "    return float(-np.mean(np.sum(Y * np.log(P + 1e-3), axis=1)))\n",
        "fails": _LOSS_FAILS,
    },
    {
        "name": "the probability of the predicted class (P.max) instead of the true class",
        "new": True,
        "cell": "loss-solution",
        "source": _LOSS_HEAD + "    return float(-np.mean(np.log(np.clip(P.max(axis=1), 1e-12, 1.0))))\n",
        "fails": _LOSS_FAILS,
    },
    # ---------------------------------------------------------------- task 4: train_epoch
    {
        "name": "rebinds params to a new dict instead of updating the caller's arrays",
        "new": True,
        "cell": "epoch-solution",
        "source": _epoch(
            body="        H, P = forward(params, X[idx])\n        losses.append(cross_entropy(P, Y[idx]))\n"
            "        grads = backward(params, X[idx], H, P, Y[idx])\n"
            "        params = {name: params[name] - lr * grads[name] for name in params}\n"
        ),
        "fails": _EPOCH_FAILS,
    },
    {
        "name": "skips the last, partial batch",
        "new": True,
        "cell": "epoch-solution",
        "source": _epoch(
            batches="[b for b in batch_indices(len(X), batch_size, rng) if len(b) == batch_size]"
        ),
        "fails": _EPOCH_FAILS,
    },
    {
        "name": "gradients recomputed after each parameter's update (W1 stepped with the new W2)",
        "new": True,
        "cell": "epoch-solution",
        "source": _epoch(
            body="        H, P = forward(params, X[idx])\n        losses.append(cross_entropy(P, Y[idx]))\n"
            "        for name in ('W2', 'b2', 'W1', 'b1'):\n"
            "            params[name] -= lr * backward(params, X[idx], H, P, Y[idx])[name]\n"
        ),
        "fails": _EPOCH_FAILS,
    },
    {
        "name": "a generator seeded inside train_epoch: the same order in every epoch",
        "new": True,
        "cell": "epoch-solution",
        "source": _epoch(batches="batch_indices(len(X), batch_size, np.random.default_rng(0))"),
        "fails": _EPOCH_FAILS,
    },
    # ---------------------------------------------------------------- task 5: per_digit_accuracy
    {
        "name": "returns a Python list instead of an array",
        "new": True,
        "cell": "per-digit-solution",
        "source": _PER_DIGIT_HEAD
        + "    table = confusion_matrix(y_true, y_pred, labels=np.arange(n_classes))\n"
        "    return [table[k, k] / table[k].sum() for k in range(n_classes)]\n",
        "fails": _PER_DIGIT_FAILS,
    },
    {
        "name": "row sums with keepdims=True: a (K, K) table of ratios",
        "new": True,
        "cell": "per-digit-solution",
        "source": _PER_DIGIT_HEAD
        + "    table = confusion_matrix(y_true, y_pred, labels=np.arange(n_classes))\n"
        "    return np.diag(table) / table.sum(axis=1, keepdims=True)\n",
        "fails": _PER_DIGIT_FAILS,
    },
    {
        "name": "labels taken from the predictions (np.unique(y_pred)) instead of 0 .. K-1",
        "new": True,
        "cell": "per-digit-solution",
        "source": _PER_DIGIT_HEAD + "    table = confusion_matrix(y_true, y_pred, labels=np.unique(y_pred))\n"
        "    return np.diag(table) / table.sum(axis=1)\n",
        "fails": _PER_DIGIT_FAILS,
    },
    # ---------------------------------------------------------------- task 6: fit_early_stopping
    {
        "name": "trains on the training and the validation data together",
        "new": True,
        "cell": "early-stopping-solution",
        "source": _stopping(
            train="train_epoch(params, np.vstack([X_train, X_val]), np.vstack([Y_train, Y_val]), "
            "batch_size=batch_size, lr=lr, rng=rng)"
        ),
        "fails": _ES_FAILS,
    },
    {
        "name": "a fresh seeded generator for every epoch instead of the rng passed in",
        "new": True,
        "cell": "early-stopping-solution",
        "source": _stopping(
            train="train_epoch(params, X_train, Y_train, batch_size=batch_size, lr=lr, "
            "rng=np.random.default_rng(0))"
        ),
        "fails": _ES_FAILS,
    },
    {
        "name": "patience counted from the previous epoch's loss, not from the best so far",
        "new": True,
        "cell": "early-stopping-solution",
        "source": _stopping(improved="loss < previous"),
        "fails": _ES_FAILS,
    },
    {
        "name": "patience counter never reset after an improvement",
        "new": True,
        "cell": "early-stopping-solution",
        "source": _stopping(reset="pass"),
        "fails": _ES_FAILS,
    },
    {
        "name": "one epoch fewer than max_epochs (range(1, max_epochs))",
        "new": True,
        "cell": "early-stopping-solution",
        "source": _stopping(epochs="range(1, max_epochs)"),
        "fails": _ES_FAILS,
    },
]


def _split(
    size_rule="    n_val = int(val_size) if isinstance(val_size, (int, np.integer)) else int(np.ceil(val_size * n))\n",
    check="    if not (isinstance(val_size, (int, np.integer)) or 0 < val_size < 1) or not 1 <= n_val < n:\n"
    "        raise ValueError(f'val_size={val_size!r} leaves an empty part')\n",
    shuffle="    order = rng.permutation(n)\n",
    result="X[order[n_val:]], Y[order[n_val:]], X[order[:n_val]], Y[order[:n_val]]",
):
    """validation_split with one piece replaced."""
    return _SPLIT_HEAD + "    n = len(X)\n" + size_rule + check + shuffle + f"    return {result}\n"


_SPLIT_FAILS = ["split-tests", "split-hidden"]

MISTAKES += [
    # ---------------------------------------------------------------- task 3: validation_split (new task)
    {
        "name": "a fraction rounded down with int() instead of up",
        "new": True,
        "cell": "split-solution",
        "source": _split(
            size_rule="    n_val = int(val_size) if isinstance(val_size, (int, np.integer)) else int(val_size * n)\n"
        ),
        "fails": _SPLIT_FAILS,
    },
    {
        "name": "a fraction rounded with round() (half to even) instead of up",
        "new": True,
        "cell": "split-solution",
        "source": _split(
            size_rule="    n_val = int(val_size) if isinstance(val_size, (int, np.integer)) else round(val_size * n)\n"
        ),
        "fails": _SPLIT_FAILS,
    },
    {
        "name": "val_size < 1 read as a fraction, so 1.0 gives one validation sample",
        "new": True,
        "cell": "split-solution",
        "source": _split(
            size_rule="    n_val = int(np.ceil(val_size * n)) if val_size < 1 else int(val_size)\n",
            check="    if not 1 <= n_val < n:\n        raise ValueError(f'val_size={val_size!r} leaves an empty part')\n",
        ),
        "fails": _SPLIT_FAILS,
    },
    {
        "name": "type(val_size) is int: a NumPy integer is refused",
        "new": True,
        "cell": "split-solution",
        "source": _split(
            size_rule="    if type(val_size) is int:\n        n_val = val_size\n"
            "    elif type(val_size) is float and 0 < val_size < 1:\n"
            "        n_val = int(np.ceil(val_size * n))\n"
            "    else:\n        raise ValueError(f'val_size={val_size!r} is neither a count nor a fraction')\n",
            check="    if not 1 <= n_val < n:\n        raise ValueError(f'val_size={val_size!r} leaves an empty part')\n",
        ),
        "fails": _SPLIT_FAILS,
    },
    {
        "name": "X and Y shuffled with two different permutations (rows no longer paired)",
        "new": True,
        "cell": "split-solution",
        "source": _split(
            shuffle="    order, order_Y = rng.permutation(n), rng.permutation(n)\n",
            result="X[order[n_val:]], Y[order_Y[n_val:]], X[order[:n_val]], Y[order_Y[:n_val]]",
        ),
        "fails": _SPLIT_FAILS,
    },
    {
        "name": "validation rows taken from the end of the order",
        "new": True,
        "cell": "split-solution",
        "source": _split(
            result="X[order[:n - n_val]], Y[order[:n - n_val]], X[order[n - n_val:]], Y[order[n - n_val:]]"
        ),
        "fails": _SPLIT_FAILS,
    },
    {
        "name": "no error when the validation set takes every sample (n_val = N allowed)",
        "new": True,
        "cell": "split-solution",
        "source": _split(
            check="    if not (isinstance(val_size, (int, np.integer)) or 0 < val_size < 1) or n_val < 1:\n"
            "        raise ValueError(f'val_size={val_size!r} leaves an empty part')\n"
        ),
        "fails": _SPLIT_FAILS,
    },
    {
        "name": "shuffled with the global np.random instead of the rng passed in",
        "new": True,
        "cell": "split-solution",
        "source": _split(shuffle="    order = np.random.permutation(n)\n"),
        "fails": _SPLIT_FAILS,
    },
    {
        "name": "shuffles the caller's X and Y in place before splitting",
        "new": True,
        "cell": "split-solution",
        "source": _split(
            shuffle="    order = rng.permutation(n)\n    X[:], Y[:] = X[order], Y[order]\n",
            result="X[n_val:], Y[n_val:], X[:n_val], Y[:n_val]",
        ),
        "fails": _SPLIT_FAILS,
    },
    {
        "name": "an error message that does not name val_size",
        "new": True,
        "cell": "split-solution",
        "source": _split(
            check="    if not (isinstance(val_size, (int, np.integer)) or 0 < val_size < 1) or not 1 <= n_val < n:\n"
            "        raise ValueError('invalid size')\n"
        ),
        "fails": _SPLIT_FAILS,
    },
    {
        "name": "scikit-learn's order: (X_train, X_val, Y_train, Y_val)",
        "new": True,
        "cell": "split-solution",
        "source": _split(result="X[order[n_val:]], X[order[:n_val]], Y[order[n_val:]], Y[order[:n_val]]"),
        "fails": _SPLIT_FAILS,
    },
]
