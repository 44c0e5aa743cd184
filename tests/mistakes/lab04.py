"""Typical wrong solutions of lab04 (MNIST, mini-batches, confusion matrix, early stopping), one entry per mistake.

Each entry replaces the solution cell ``cell`` of
solutions/lab04-mnist-batch-vs-sgd/lab04-mnist-batch-vs-sgd.ipynb by ``source``;
at least one of the graded test cells in ``fails`` must then fail (tests/test_nbgrader_labs.py).
"""

_FORWARD_HEAD = "def forward(params, X):\n"
_HIDDEN = "    H = 1.0 / (1.0 + np.exp(-(X @ params['W1'] + params['b1'])))\n"
_SCORES = "    S = H @ params['W2'] + params['b2']\n"
_LOSS_HEAD = "def cross_entropy(P, Y):\n"
_BATCH_HEAD = "def batch_indices(n_samples, batch_size, rng):\n"
_EPOCH_HEAD = "def train_epoch(params, X, Y, *, batch_size, lr, rng):\n"
_PER_DIGIT_HEAD = "def per_digit_accuracy(y_true, y_pred, n_classes):\n"
_ES_HEAD = ("def fit_early_stopping(params, X_train, Y_train, X_val, Y_val, *, max_epochs, batch_size, lr, "
            "patience, rng):\n")


def _early_stopping(remember, stop_rule="waited >= patience", returned="best"):
    """An early-stopping loop whose way of remembering the weights, stopping or returning varies."""
    return (_ES_HEAD
            + "    val_losses, best, best_loss, waited = [], None, np.inf, 0\n"
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
              f"    return {returned}, val_losses\n")


MISTAKES = [
    # ---------------------------------------------------------------- task 1: forward
    {"name": "softmax without subtracting the row maximum (overflows)",
     "cell": "forward-solution",
     "source": _FORWARD_HEAD + _HIDDEN + _SCORES
               + "    E = np.exp(S)\n    return H, E / E.sum(axis=1, keepdims=True)\n",
     "fails": ["forward-tests"]},
    {"name": "softmax normalised over columns (axis=0)",
     "cell": "forward-solution",
     "source": _FORWARD_HEAD + _HIDDEN + _SCORES
               + "    E = np.exp(S - S.max(axis=0, keepdims=True))\n    return H, E / E.sum(axis=0, keepdims=True)\n",
     "fails": ["forward-tests"]},
    {"name": "softmax over the whole array (sum without axis)",
     "cell": "forward-solution",
     "source": _FORWARD_HEAD + _HIDDEN + _SCORES
               + "    E = np.exp(S - S.max())\n    return H, E / E.sum()\n",
     "fails": ["forward-tests"]},
    {"name": "biases left out",
     "cell": "forward-solution",
     "source": _FORWARD_HEAD + "    H = 1.0 / (1.0 + np.exp(-(X @ params['W1'])))\n    S = H @ params['W2']\n"
               "    E = np.exp(S - S.max(axis=1, keepdims=True))\n    return H, E / E.sum(axis=1, keepdims=True)\n",
     "fails": ["forward-tests"]},
    {"name": "ReLU instead of the sigmoid in the hidden layer",
     "cell": "forward-solution",
     "source": _FORWARD_HEAD + "    H = np.maximum(0.0, X @ params['W1'] + params['b1'])\n" + _SCORES
               + "    E = np.exp(S - S.max(axis=1, keepdims=True))\n    return H, E / E.sum(axis=1, keepdims=True)\n",
     "fails": ["forward-tests"]},
    {"name": "sigmoid with the wrong sign, 1 / (1 + exp(a))",
     "cell": "forward-solution",
     "source": _FORWARD_HEAD + "    H = 1.0 / (1.0 + np.exp(X @ params['W1'] + params['b1']))\n" + _SCORES
               + "    E = np.exp(S - S.max(axis=1, keepdims=True))\n    return H, E / E.sum(axis=1, keepdims=True)\n",
     "fails": ["forward-tests"]},
    {"name": "returning only the probabilities",
     "cell": "forward-solution",
     "source": _FORWARD_HEAD + _HIDDEN + _SCORES
               + "    E = np.exp(S - S.max(axis=1, keepdims=True))\n    return E / E.sum(axis=1, keepdims=True)\n",
     "fails": ["forward-tests"]},

    # ---------------------------------------------------------------- task 2: cross_entropy
    {"name": "cross-entropy summed over samples instead of averaged",
     "cell": "loss-solution",
     "source": _LOSS_HEAD + "    return float(-np.sum(Y * np.log(np.clip(P, 1e-12, 1.0))))\n",
     "fails": ["loss-tests"]},
    {"name": "cross-entropy averaged over all N * K entries",
     "cell": "loss-solution",
     "source": _LOSS_HEAD + "    return float(-np.mean(Y * np.log(np.clip(P, 1e-12, 1.0))))\n",
     "fails": ["loss-tests"]},
    {"name": "cross-entropy without the minus sign",
     "cell": "loss-solution",
     "source": _LOSS_HEAD + "    return float(np.mean(np.sum(Y * np.log(np.clip(P, 1e-12, 1.0)), axis=1)))\n",
     "fails": ["loss-tests"]},
    {"name": "log of probabilities that can be 0 (0 * log 0 = nan)",
     "cell": "loss-solution",
     "source": _LOSS_HEAD + "    return float(-np.mean(np.sum(Y * np.log(P), axis=1)))\n",
     "fails": ["loss-tests"]},
    {"name": "binary cross-entropy formula from seed 001's equation",
     "cell": "loss-solution",
     "source": _LOSS_HEAD + "    P = np.clip(P, 1e-12, 1 - 1e-12)\n"
               "    return float(-np.mean(np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P), axis=1)))\n",
     "fails": ["loss-tests"]},

    # ---------------------------------------------------------------- task 3: batch_indices
    {"name": "seed 001's off-by-one: end = min(begin + batch_size, N - 1) drops a sample",
     "cell": "batches-solution",
     "source": _BATCH_HEAD + "    order = rng.permutation(n_samples)\n"
               "    return [order[b:min(b + batch_size, n_samples - 1)] for b in range(0, n_samples, batch_size)]\n",
     "fails": ["batches-tests"]},
    {"name": "only whole batches: range(n_samples // batch_size) drops the partial batch",
     "cell": "batches-solution",
     "source": _BATCH_HEAD + "    order = rng.permutation(n_samples)\n"
               "    return [order[i * batch_size:(i + 1) * batch_size] for i in range(n_samples // batch_size)]\n",
     "fails": ["batches-tests"]},
    {"name": "n_samples // batch_size + 1 batches (an empty batch when it divides)",
     "cell": "batches-solution",
     "source": _BATCH_HEAD + "    order = rng.permutation(n_samples)\n"
               "    return [order[i * batch_size:(i + 1) * batch_size] for i in range(n_samples // batch_size + 1)]\n",
     "fails": ["batches-tests"]},
    {"name": "no shuffling",
     "cell": "batches-solution",
     "source": _BATCH_HEAD + "    order = np.arange(n_samples)\n"
               "    return [order[b:b + batch_size] for b in range(0, n_samples, batch_size)]\n",
     "fails": ["batches-tests"]},
    {"name": "shuffling with the global np.random instead of the rng passed in",
     "cell": "batches-solution",
     "source": _BATCH_HEAD + "    order = np.random.permutation(n_samples)\n"
               "    return [order[b:b + batch_size] for b in range(0, n_samples, batch_size)]\n",
     "fails": ["batches-tests"]},
    {"name": "sampling batches with replacement",
     "cell": "batches-solution",
     "source": _BATCH_HEAD + "    order = rng.integers(0, n_samples, size=n_samples)\n"
               "    return [order[b:b + batch_size] for b in range(0, n_samples, batch_size)]\n",
     "fails": ["batches-tests"]},
    {"name": "batch end one short: order[b:b + batch_size - 1]",
     "cell": "batches-solution",
     "source": _BATCH_HEAD + "    order = rng.permutation(n_samples)\n"
               "    return [order[b:b + batch_size - 1] for b in range(0, n_samples, batch_size)]\n",
     "fails": ["batches-tests"]},

    # ---------------------------------------------------------------- task 4: train_epoch
    {"name": "gradient ascent: params += lr * grads",
     "cell": "epoch-solution",
     "source": _EPOCH_HEAD + "    losses = []\n"
               "    for idx in batch_indices(len(X), batch_size, rng):\n"
               "        H, P = forward(params, X[idx])\n        losses.append(cross_entropy(P, Y[idx]))\n"
               "        grads = backward(params, X[idx], H, P, Y[idx])\n"
               "        for name in params:\n            params[name] += lr * grads[name]\n"
               "    return losses\n",
     "fails": ["epoch-tests"]},
    {"name": "the whole data set in every step instead of the batch",
     "cell": "epoch-solution",
     "source": _EPOCH_HEAD + "    losses = []\n"
               "    for idx in batch_indices(len(X), batch_size, rng):\n"
               "        H, P = forward(params, X)\n        losses.append(cross_entropy(P, Y))\n"
               "        grads = backward(params, X, H, P, Y)\n"
               "        for name in params:\n            params[name] -= lr * grads[name]\n"
               "    return losses\n",
     "fails": ["epoch-tests"]},
    {"name": "a fresh unseeded generator instead of the rng passed in",
     "cell": "epoch-solution",
     "source": _EPOCH_HEAD + "    losses = []\n"
               "    for idx in batch_indices(len(X), batch_size, np.random.default_rng()):\n"
               "        H, P = forward(params, X[idx])\n        losses.append(cross_entropy(P, Y[idx]))\n"
               "        grads = backward(params, X[idx], H, P, Y[idx])\n"
               "        for name in params:\n            params[name] -= lr * grads[name]\n"
               "    return losses\n",
     "fails": ["epoch-tests"]},
    {"name": "only the weights updated, biases forgotten",
     "cell": "epoch-solution",
     "source": _EPOCH_HEAD + "    losses = []\n"
               "    for idx in batch_indices(len(X), batch_size, rng):\n"
               "        H, P = forward(params, X[idx])\n        losses.append(cross_entropy(P, Y[idx]))\n"
               "        grads = backward(params, X[idx], H, P, Y[idx])\n"
               "        for name in ('W1', 'W2'):\n            params[name] -= lr * grads[name]\n"
               "    return losses\n",
     "fails": ["epoch-tests"]},
    {"name": "inputs of the batch paired with the targets of the unshuffled data",
     "cell": "epoch-solution",
     "source": _EPOCH_HEAD + "    losses, start = [], 0\n"
               "    for idx in batch_indices(len(X), batch_size, rng):\n"
               "        Y_batch = Y[start:start + len(idx)]\n        start += len(idx)\n"
               "        H, P = forward(params, X[idx])\n        losses.append(cross_entropy(P, Y_batch))\n"
               "        grads = backward(params, X[idx], H, P, Y_batch)\n"
               "        for name in params:\n            params[name] -= lr * grads[name]\n"
               "    return losses\n",
     "fails": ["epoch-tests"]},
    {"name": "loss recorded after the update",
     "cell": "epoch-solution",
     "source": _EPOCH_HEAD + "    losses = []\n"
               "    for idx in batch_indices(len(X), batch_size, rng):\n"
               "        H, P = forward(params, X[idx])\n"
               "        grads = backward(params, X[idx], H, P, Y[idx])\n"
               "        for name in params:\n            params[name] -= lr * grads[name]\n"
               "        losses.append(cross_entropy(forward(params, X[idx])[1], Y[idx]))\n"
               "    return losses\n",
     "fails": ["epoch-tests"]},

    # ---------------------------------------------------------------- task 5: per_digit_accuracy
    {"name": "column sums (precision) instead of row sums",
     "cell": "per-digit-solution",
     "source": _PER_DIGIT_HEAD + "    table = confusion_matrix(y_true, y_pred, labels=np.arange(n_classes))\n"
               "    return np.diag(table) / table.sum(axis=0)\n",
     "fails": ["per-digit-tests"]},
    {"name": "seed 001's argument order: confusion_matrix(y_pred, y_true)",
     "cell": "per-digit-solution",
     "source": _PER_DIGIT_HEAD + "    table = confusion_matrix(y_pred, y_true, labels=np.arange(n_classes))\n"
               "    return np.diag(table) / table.sum(axis=1)\n",
     "fails": ["per-digit-tests"]},
    {"name": "counts on the diagonal instead of fractions",
     "cell": "per-digit-solution",
     "source": _PER_DIGIT_HEAD + "    return np.diag(confusion_matrix(y_true, y_pred, labels=np.arange(n_classes))).astype(float)\n",
     "fails": ["per-digit-tests"]},
    {"name": "dividing the diagonal by the total number of samples",
     "cell": "per-digit-solution",
     "source": _PER_DIGIT_HEAD + "    table = confusion_matrix(y_true, y_pred, labels=np.arange(n_classes))\n"
               "    return np.diag(table) / table.sum()\n",
     "fails": ["per-digit-tests"]},
    {"name": "overall accuracy repeated for every class",
     "cell": "per-digit-solution",
     "source": _PER_DIGIT_HEAD + "    return np.full(n_classes, np.mean(np.asarray(y_true) == np.asarray(y_pred)))\n",
     "fails": ["per-digit-tests"]},

    # ---------------------------------------------------------------- task 6: fit_early_stopping
    {"name": "seed 004's best_net = self: remembering a reference, not a copy",
     "cell": "early-stopping-solution",
     "source": _early_stopping("params"),
     "fails": ["early-stopping-tests"]},
    {"name": "a shallow copy dict(params) whose arrays keep changing in place",
     "cell": "early-stopping-solution",
     "source": _early_stopping("dict(params)"),
     "fails": ["early-stopping-tests"]},
    {"name": "returning the last weights instead of the best",
     "cell": "early-stopping-solution",
     "source": _early_stopping("{k: v.copy() for k, v in params.items()}", returned="params"),
     "fails": ["early-stopping-tests"]},
    {"name": "stopping at the first epoch without improvement (patience ignored)",
     "cell": "early-stopping-solution",
     "source": _early_stopping("{k: v.copy() for k, v in params.items()}", stop_rule="True"),
     "fails": ["early-stopping-tests"]},
    {"name": "never stopping early (trains to max_epochs)",
     "cell": "early-stopping-solution",
     "source": _early_stopping("{k: v.copy() for k, v in params.items()}", stop_rule="False"),
     "fails": ["early-stopping-tests"]},
    {"name": "patience off by one (waits one epoch too many)",
     "cell": "early-stopping-solution",
     "source": _early_stopping("{k: v.copy() for k, v in params.items()}", stop_rule="waited > patience"),
     "fails": ["early-stopping-tests"]},
    {"name": "training a copy, so params never changes",
     "cell": "early-stopping-solution",
     "source": _ES_HEAD.replace("(params,", "(params_in,")
               + "    params = {k: v.copy() for k, v in params_in.items()}\n"
               + _early_stopping("{k: v.copy() for k, v in params.items()}").split("\n", 1)[1],
     "fails": ["early-stopping-tests"]},
]
