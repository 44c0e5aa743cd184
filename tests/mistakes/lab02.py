"""Typical wrong solutions of lab02 (independent sigmoid outputs, momentum, mini-batches).

Each entry replaces the solution cell ``cell`` of
solutions/lab02-sigmoid-multilabel/lab02-sigmoid-multilabel.ipynb by ``source``; ``fails`` lists the graded
cells of that task (its visible test and its hidden test); the task's hidden test must then lose its points
and every other task keep its own (tests/test_nbgrader_labs.py).
"""

_ONE_HOT_HEAD = "def one_hot(y, n_classes):\n    y = np.asarray(y).reshape(-1)\n"
_BCE_HEAD = "def bce(P, Y):\n    eps = np.finfo(float).eps\n    Y = np.asarray(Y, dtype=float)\n"
_GRAD_HEAD = "def bce_grad(P, Y):\n    eps = np.finfo(float).eps\n    Y = np.asarray(Y, dtype=float)\n"
_MOMENTUM_HEAD = (
    "def momentum_step(param, grad, velocity, lr, momentum):\n"
    "    if not 0.0 <= momentum < 1.0:\n"
    "        raise ValueError(f'momentum must be in [0, 1), got {momentum}')\n"
)
_BATCH_HEAD = "def minibatch_indices(n_samples, batch_size, rng):\n"
_ARGMAX_HEAD = "def argmax_accuracy(P, y):\n"

MISTAKES = [
    # ---------------------------------------------------------------- task 1: one_hot
    {
        "name": "one_hot: no range check (np.eye(K)[y])",
        "cell": "one-hot-solution",
        "source": _ONE_HOT_HEAD + "    return np.eye(n_classes)[y]\n",
        "fails": ["one-hot-tests", "one-hot-hidden"],
    },
    {
        "name": "one_hot: only the upper bound checked, -1 becomes the last class",
        "cell": "one-hot-solution",
        "source": _ONE_HOT_HEAD + "    if np.any(y >= n_classes):\n"
        "        raise ValueError('label out of range')\n"
        "    encoded = np.zeros((y.size, n_classes))\n"
        "    encoded[np.arange(y.size), y] = 1.0\n"
        "    return encoded\n",
        "fails": ["one-hot-tests", "one-hot-hidden"],
    },
    {
        "name": "one_hot: labels treated as 1-based (off by one)",
        "cell": "one-hot-solution",
        "source": _ONE_HOT_HEAD + "    if np.any((y < 0) | (y >= n_classes)):\n"
        "        raise ValueError('label out of range')\n"
        "    encoded = np.zeros((y.size, n_classes))\n"
        "    encoded[np.arange(y.size), y - 1] = 1.0\n"
        "    return encoded\n",
        "fails": ["one-hot-tests", "one-hot-hidden"],
    },
    {
        "name": "one_hot: transposed, shape (K, N)",
        "cell": "one-hot-solution",
        "source": _ONE_HOT_HEAD + "    if np.any((y < 0) | (y >= n_classes)):\n"
        "        raise ValueError('label out of range')\n"
        "    return np.eye(n_classes)[y].T\n",
        "fails": ["one-hot-tests", "one-hot-hidden"],
    },
    {
        "name": "one_hot: columns for the classes present only",
        "cell": "one-hot-solution",
        "source": _ONE_HOT_HEAD + "    if np.any((y < 0) | (y >= n_classes)):\n"
        "        raise ValueError('label out of range')\n"
        "    return np.eye(y.max() + 1)[y]\n",
        "fails": ["one-hot-tests", "one-hot-hidden"],
    },
    # ---------------------------------------------------------------- task 2: bce
    {
        "name": "bce: no clipping, log(0) gives inf",
        "cell": "bce-solution",
        "source": _BCE_HEAD + "    P = np.asarray(P, dtype=float)\n"
        "    return float(-np.mean(Y * np.log(P) + (1.0 - Y) * np.log(1.0 - P)))\n",
        "fails": ["bce-tests", "bce-hidden"],
    },
    {
        "name": "bce: sum instead of mean",
        "cell": "bce-solution",
        "source": _BCE_HEAD + "    P = np.clip(np.asarray(P, dtype=float), eps, 1.0 - eps)\n"
        "    return float(-np.sum(Y * np.log(P) + (1.0 - Y) * np.log(1.0 - P)))\n",
        "fails": ["bce-tests", "bce-hidden"],
    },
    {
        "name": "bce: mean over the rows only (divides by N, not N * K)",
        "cell": "bce-solution",
        "source": _BCE_HEAD + "    P = np.clip(np.asarray(P, dtype=float), eps, 1.0 - eps)\n"
        "    return float(-np.sum(Y * np.log(P) + (1.0 - Y) * np.log(1.0 - P)) / len(P))\n",
        "fails": ["bce-tests", "bce-hidden"],
    },
    {
        "name": "bce: missing minus sign",
        "cell": "bce-solution",
        "source": _BCE_HEAD + "    P = np.clip(np.asarray(P, dtype=float), eps, 1.0 - eps)\n"
        "    return float(np.mean(Y * np.log(P) + (1.0 - Y) * np.log(1.0 - P)))\n",
        "fails": ["bce-tests", "bce-hidden"],
    },
    {
        "name": "bce: only the positive term y log p",
        "cell": "bce-solution",
        "source": _BCE_HEAD + "    P = np.clip(np.asarray(P, dtype=float), eps, 1.0 - eps)\n"
        "    return float(-np.mean(Y * np.log(P)))\n",
        "fails": ["bce-tests", "bce-hidden"],
    },
    # ---------------------------------------------------------------- task 3: bce_grad
    {
        "name": "bce_grad: gradient of the sum (no division by N * K)",
        "cell": "bce-grad-solution",
        "source": _GRAD_HEAD + "    P = np.clip(np.asarray(P, dtype=float), eps, 1.0 - eps)\n"
        "    return (P - Y) / (P * (1.0 - P))\n",
        "fails": ["bce-grad-tests", "bce-grad-hidden"],
    },
    {
        "name": "bce_grad: sign flipped",
        "cell": "bce-grad-solution",
        "source": _GRAD_HEAD + "    P = np.clip(np.asarray(P, dtype=float), eps, 1.0 - eps)\n"
        "    return (Y - P) / (P * (1.0 - P)) / P.size\n",
        "fails": ["bce-grad-tests", "bce-grad-hidden"],
    },
    {
        "name": "bce_grad: no clipping, division by zero at 0 and 1",
        "cell": "bce-grad-solution",
        "source": _GRAD_HEAD + "    P = np.asarray(P, dtype=float)\n"
        "    return (P - Y) / (P * (1.0 - P)) / P.size\n",
        "fails": ["bce-grad-tests", "bce-grad-hidden"],
    },
    {
        "name": "bce_grad: only the y / p term",
        "cell": "bce-grad-solution",
        "source": _GRAD_HEAD + "    P = np.clip(np.asarray(P, dtype=float), eps, 1.0 - eps)\n"
        "    return -Y / P / P.size\n",
        "fails": ["bce-grad-tests", "bce-grad-hidden"],
    },
    {
        "name": "bce_grad: the sigmoid-fused (p - y) / (N K) used as the gradient with respect to p",
        "cell": "bce-grad-solution",
        "source": _GRAD_HEAD + "    P = np.clip(np.asarray(P, dtype=float), eps, 1.0 - eps)\n"
        "    return (P - Y) / P.size\n",
        "fails": ["bce-grad-tests", "bce-grad-hidden"],
    },
    # ---------------------------------------------------------------- task 4: momentum_step
    {
        "name": "momentum applied to the weights instead of the velocity",
        "cell": "momentum-solution",
        "source": _MOMENTUM_HEAD + "    new_param = momentum * param - lr * grad\n"
        "    return new_param, new_param - param\n",
        "fails": ["momentum-tests", "momentum-hidden"],
    },
    {
        "name": "momentum: velocity returned unchanged",
        "cell": "momentum-solution",
        "source": _MOMENTUM_HEAD + "    return param + momentum * velocity - lr * grad, velocity\n",
        "fails": ["momentum-tests", "momentum-hidden"],
    },
    {
        "name": "momentum: parameters updated in place",
        "cell": "momentum-solution",
        "source": _MOMENTUM_HEAD + "    velocity *= momentum\n"
        "    velocity -= lr * grad\n"
        "    param += velocity\n"
        "    return param, velocity\n",
        "fails": ["momentum-tests", "momentum-hidden"],
    },
    {
        "name": "momentum: gradient added (ascent instead of descent)",
        "cell": "momentum-solution",
        "source": _MOMENTUM_HEAD + "    new_velocity = momentum * velocity + lr * grad\n"
        "    return param + new_velocity, new_velocity\n",
        "fails": ["momentum-tests", "momentum-hidden"],
    },
    {
        "name": "momentum: only momentum >= 1 refused (negative momentum accepted)",
        "cell": "momentum-solution",
        "source": "def momentum_step(param, grad, velocity, lr, momentum):\n"
        "    if momentum >= 1:\n"
        "        raise ValueError(f'momentum must be in [0, 1), got {momentum}')\n"
        "    new_velocity = momentum * velocity - lr * grad\n"
        "    return param + new_velocity, new_velocity\n",
        "fails": ["momentum-tests", "momentum-hidden"],
    },
    {
        "name": "momentum: no check of the momentum range",
        "cell": "momentum-solution",
        "source": "def momentum_step(param, grad, velocity, lr, momentum):\n"
        "    new_velocity = momentum * velocity - lr * grad\n"
        "    return param + new_velocity, new_velocity\n",
        "fails": ["momentum-tests", "momentum-hidden"],
    },
    # ---------------------------------------------------------------- task 5: minibatch_indices
    {
        "name": "batch loop range(0, n - batch_size, batch_size) drops the last samples",
        "cell": "minibatch-solution",
        "source": _BATCH_HEAD + "    order = rng.permutation(n_samples)\n"
        "    return [order[start:start + batch_size] for start in range(0, n_samples - batch_size, batch_size)]\n",
        "fails": ["minibatch-tests", "minibatch-hidden"],
    },
    {
        "name": "n // batch_size batches drop the last partial batch",
        "cell": "minibatch-solution",
        "source": _BATCH_HEAD + "    order = rng.permutation(n_samples)\n"
        "    return [order[i * batch_size:(i + 1) * batch_size] for i in range(n_samples // batch_size)]\n",
        "fails": ["minibatch-tests", "minibatch-hidden"],
    },
    {
        "name": "n // batch_size + 1 batches give an empty last batch",
        "cell": "minibatch-solution",
        "source": _BATCH_HEAD + "    order = rng.permutation(n_samples)\n"
        "    return [order[i * batch_size:(i + 1) * batch_size] for i in range(n_samples // batch_size + 1)]\n",
        "fails": ["minibatch-tests", "minibatch-hidden"],
    },
    {
        "name": "mini-batches without shuffling",
        "cell": "minibatch-solution",
        "source": _BATCH_HEAD + "    order = np.arange(n_samples)\n"
        "    return [order[start:start + batch_size] for start in range(0, n_samples, batch_size)]\n",
        "fails": ["minibatch-tests", "minibatch-hidden"],
    },
    {
        "name": "shuffling with the global np.random instead of rng",
        "cell": "minibatch-solution",
        "source": _BATCH_HEAD + "    order = np.random.permutation(n_samples)\n"
        "    return [order[start:start + batch_size] for start in range(0, n_samples, batch_size)]\n",
        "fails": ["minibatch-tests", "minibatch-hidden"],
    },
    # ---------------------------------------------------------------- task 6: argmax_accuracy
    {
        "name": "argmax over the samples (axis=0)",
        "cell": "argmax-solution",
        "source": _ARGMAX_HEAD + "    return float(np.mean(np.argmax(P, axis=0) == np.asarray(y)))\n",
        "fails": ["argmax-tests", "argmax-hidden"],
    },
    {
        "name": "each output thresholded at 0.5 instead of argmax",
        "cell": "argmax-solution",
        "source": _ARGMAX_HEAD + "    P = np.asarray(P)\n"
        "    targets = np.eye(P.shape[1])[np.asarray(y)]\n"
        "    return float(np.mean(np.all((P > 0.5) == (targets == 1), axis=1)))\n",
        "fails": ["argmax-tests", "argmax-hidden"],
    },
    {
        "name": "argmax accuracy as a count",
        "cell": "argmax-solution",
        "source": _ARGMAX_HEAD + "    return float(np.sum(np.argmax(P, axis=1) == np.asarray(y)))\n",
        "fails": ["argmax-tests", "argmax-hidden"],
    },
    {
        "name": "argmax accuracy as a percentage",
        "cell": "argmax-solution",
        "source": _ARGMAX_HEAD + "    return 100.0 * float(np.mean(np.argmax(P, axis=1) == np.asarray(y)))\n",
        "fails": ["argmax-tests", "argmax-hidden"],
    },
    # ---------------------------------------------------------------- new entries (issue 14): kinds that
    # escaped the tests: inputs changed in place, error messages, boundary values, shuffles that do not
    # come from rng.permutation, a batch of one, notebook variables read instead of arguments.
    {
        "name": "one_hot: the ValueError names neither the label nor the valid range",
        "cell": "one-hot-solution",
        "source": _ONE_HOT_HEAD + "    if np.any((y < 0) | (y >= n_classes)):\n"
        "        raise ValueError('invalid labels')\n"
        "    return np.eye(n_classes)[y]\n",
        "fails": ["one-hot-tests", "one-hot-hidden"],
        "new": True,
    },
    {
        "name": "one_hot: squeezed result, a batch of one sample gives shape (K,)",
        "cell": "one-hot-solution",
        "source": _ONE_HOT_HEAD + "    if np.any((y < 0) | (y >= n_classes)):\n"
        "        raise ValueError(f'label out of range 0 .. {n_classes - 1}: {y}')\n"
        "    return np.squeeze(np.eye(n_classes)[y])\n",
        "fails": ["one-hot-tests", "one-hot-hidden"],
        "new": True,
    },
    {
        "name": "bce: clips the caller's P in place",
        "cell": "bce-solution",
        "source": _BCE_HEAD + "    P = np.asarray(P, dtype=float)\n"
        "    np.clip(P, eps, 1.0 - eps, out=P)\n"
        "    return float(-np.mean(Y * np.log(P) + (1.0 - Y) * np.log(1.0 - P)))\n",
        "fails": ["bce-tests", "bce-hidden"],
        "new": True,
    },
    {
        "name": "bce: clips with Keras's 1e-7 instead of machine epsilon",
        "cell": "bce-solution",
        "source": _BCE_HEAD + "    P = np.clip(np.asarray(P, dtype=float), 1e-7, 1.0 - 1e-7)\n"
        "    return float(-np.mean(Y * np.log(P) + (1.0 - Y) * np.log(1.0 - P)))\n",
        "fails": ["bce-tests", "bce-hidden"],
        "new": True,
    },
    {
        "name": "bce_grad: clips P at 1e-3, far looser than bce's epsilon",
        "cell": "bce-grad-solution",
        "source": _GRAD_HEAD + "    P = np.clip(np.asarray(P, dtype=float), 1e-3, 1.0 - 1e-3)\n"
        "    return (P - Y) / (P * (1.0 - P)) / P.size\n",
        "fails": ["bce-grad-tests", "bce-grad-hidden"],
        "new": True,
    },
    {
        "name": "bce_grad: clips the caller's P in place",
        "cell": "bce-grad-solution",
        "source": _GRAD_HEAD + "    P = np.asarray(P, dtype=float)\n"
        "    np.clip(P, eps, 1.0 - eps, out=P)\n"
        "    return (P - Y) / (P * (1.0 - P)) / P.size\n",
        "fails": ["bce-grad-tests", "bce-grad-hidden"],
        "new": True,
    },
    {
        "name": "momentum: momentum = 1 accepted (the range check uses <= 1)",
        "cell": "momentum-solution",
        "source": "def momentum_step(param, grad, velocity, lr, momentum):\n"
        "    if not 0.0 <= momentum <= 1.0:\n"
        "        raise ValueError(f'momentum must be in [0, 1), got {momentum}')\n"
        "    new_velocity = momentum * velocity - lr * grad\n"
        "    return param + new_velocity, new_velocity\n",
        "fails": ["momentum-tests", "momentum-hidden"],
        "new": True,
    },
    {
        "name": "minibatch_indices: a generator seeded 0 inside the function, the same order every epoch",
        "cell": "minibatch-solution",
        "source": _BATCH_HEAD + "    order = np.random.default_rng(0).permutation(n_samples)\n"
        "    return [order[start:start + batch_size] for start in range(0, n_samples, batch_size)]\n",
        "fails": ["minibatch-tests", "minibatch-hidden"],
        "new": True,
    },
    {
        "name": "minibatch_indices: a random rotation of 0 .. N-1 instead of a permutation",
        "cell": "minibatch-solution",
        "source": _BATCH_HEAD
        + "    order = np.roll(np.arange(n_samples), rng.integers(1, max(n_samples, 2)))\n"
        "    return [order[start:start + batch_size] for start in range(0, n_samples, batch_size)]\n",
        "fails": ["minibatch-tests", "minibatch-hidden"],
        "new": True,
    },
    {
        "name": "argmax_accuracy: compares with the notebook's y_rows instead of the y argument",
        "cell": "argmax-solution",
        "source": _ARGMAX_HEAD + "    return float(np.mean(np.argmax(P, axis=1) == y_rows))\n",
        "fails": ["argmax-tests", "argmax-hidden"],
        "new": True,
    },
    {
        "name": "argmax_accuracy: integer division (sum // N) gives 0 unless every row is right",
        "cell": "argmax-solution",
        "source": _ARGMAX_HEAD + "    correct = np.sum(np.argmax(P, axis=1) == np.asarray(y).reshape(-1))\n"
        "    return float(correct // len(P))\n",
        "fails": ["argmax-tests", "argmax-hidden"],
        "new": True,
    },
]
