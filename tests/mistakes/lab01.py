"""Typical wrong solutions of lab01 (regression as classification), one entry per mistake.

Each entry replaces the solution cell ``cell`` of
solutions/lab01-regression-as-classification/lab01-regression-as-classification.ipynb by ``source``;
``fails`` lists the graded cells of that task (its visible test and its hidden test); the task's
hidden test must then lose its points and every other task keep its own (tests/test_nbgrader_labs.py).
"""

_ROUND_HEAD = "def round_to_class(predictions, n_classes):\n"
_ACCURACY_HEAD = "def rounded_accuracy(predictions, y, n_classes):\n"
_MSE_HEAD = "def mse(pred, target):\n    pred, target = np.asarray(pred, dtype=float), np.asarray(target, dtype=float)\n"
_GRAD_HEAD = "def mse_grad(pred, target):\n    pred, target = np.asarray(pred, dtype=float), np.asarray(target, dtype=float)\n"
_BETWEEN_HEAD = "def in_between(predictions, y, a, b):\n    y = np.asarray(y).reshape(-1)\n"
_TRAIN_HEAD = "def train_regressor(X, y, *, rng):\n"

MISTAKES = [
    # ---------------------------------------------------------------- task 1: round_to_class
    {
        "name": "truncating with astype(int) instead of rounding",
        "cell": "round-solution",
        "source": _ROUND_HEAD + "    flat = np.asarray(predictions, dtype=float).reshape(-1)\n"
        "    return np.clip(flat, 0, n_classes - 1).astype(np.int64)\n",
        "fails": ["round-tests", "round-hidden"],
    },
    {
        "name": "rounding without clipping to the valid classes",
        "cell": "round-solution",
        "source": _ROUND_HEAD
        + "    return np.rint(np.asarray(predictions, dtype=float).reshape(-1)).astype(np.int64)\n",
        "fails": ["round-tests", "round-hidden"],
    },
    {
        "name": "clipping to n_classes instead of n_classes - 1",
        "cell": "round-solution",
        "source": _ROUND_HEAD + "    nearest = np.rint(np.asarray(predictions, dtype=float).reshape(-1))\n"
        "    return np.clip(nearest, 0, n_classes).astype(np.int64)\n",
        "fails": ["round-tests", "round-hidden"],
    },
    {
        "name": "keeping the (N, 1) column shape",
        "cell": "round-solution",
        "source": _ROUND_HEAD
        + "    return np.clip(np.rint(predictions), 0, n_classes - 1).astype(np.int64)\n",
        "fails": ["round-tests", "round-hidden"],
    },
    {
        "name": "returning float labels",
        "cell": "round-solution",
        "source": _ROUND_HEAD
        + "    return np.clip(np.rint(np.asarray(predictions, dtype=float).reshape(-1)), 0, n_classes - 1)\n",
        "fails": ["round-tests", "round-hidden"],
    },
    # ---------------------------------------------------------------- task 2: rounded_accuracy
    {
        "name": "comparing (N, 1) predictions with (N,) labels (broadcast to N x N)",
        "cell": "accuracy-solution",
        "source": _ACCURACY_HEAD
        + "    return float(np.mean(np.clip(np.rint(predictions), 0, n_classes - 1) == y))\n",
        "fails": ["accuracy-tests", "accuracy-hidden"],
    },
    {
        "name": "counting correct samples instead of the fraction",
        "cell": "accuracy-solution",
        "source": _ACCURACY_HEAD
        + "    return float(np.sum(round_to_class(predictions, n_classes) == np.asarray(y).reshape(-1)))\n",
        "fails": ["accuracy-tests", "accuracy-hidden"],
    },
    {
        "name": "accuracy as a percentage",
        "cell": "accuracy-solution",
        "source": _ACCURACY_HEAD
        + "    return 100 * float(np.mean(round_to_class(predictions, n_classes) == np.asarray(y).reshape(-1)))\n",
        "fails": ["accuracy-tests", "accuracy-hidden"],
    },
    {
        "name": "accuracy of rounded predictions that were not clipped",
        "cell": "accuracy-solution",
        "source": _ACCURACY_HEAD + "    rounded = np.rint(np.asarray(predictions, dtype=float).reshape(-1))\n"
        "    return float(np.mean(rounded == np.asarray(y).reshape(-1)))\n",
        "fails": ["accuracy-tests", "accuracy-hidden"],
    },
    # ---------------------------------------------------------------- task 3: mse
    {
        "name": "mse: sum instead of mean",
        "cell": "mse-solution",
        "source": _MSE_HEAD
        + "    if pred.shape != target.shape:\n        raise ValueError('shapes differ')\n"
        "    return float(np.sum((pred - target) ** 2))\n",
        "fails": ["mse-tests", "mse-hidden"],
    },
    {
        "name": "mse: no shape check, (N, 1) - (N,) broadcasts silently",
        "cell": "mse-solution",
        "source": _MSE_HEAD + "    return float(np.mean((pred - target) ** 2))\n",
        "fails": ["mse-tests", "mse-hidden"],
    },
    {
        "name": "mse: dividing by the number of rows instead of entries",
        "cell": "mse-solution",
        "source": _MSE_HEAD
        + "    if pred.shape != target.shape:\n        raise ValueError('shapes differ')\n"
        "    return float(np.sum((pred - target) ** 2) / len(pred))\n",
        "fails": ["mse-tests", "mse-hidden"],
    },
    {
        "name": "mse: root mean squared error",
        "cell": "mse-solution",
        "source": _MSE_HEAD
        + "    if pred.shape != target.shape:\n        raise ValueError('shapes differ')\n"
        "    return float(np.sqrt(np.mean((pred - target) ** 2)))\n",
        "fails": ["mse-tests", "mse-hidden"],
    },
    # ---------------------------------------------------------------- task 4: mse_grad
    {
        "name": "mse_grad: gradient of the sum (no division by the number of entries)",
        "cell": "mse-grad-solution",
        "source": _GRAD_HEAD + "    return 2.0 * (pred - target)\n",
        "fails": ["mse-grad-tests", "mse-grad-hidden"],
    },
    {
        "name": "mse_grad: dividing by the number of rows instead of entries",
        "cell": "mse-grad-solution",
        "source": _GRAD_HEAD + "    return 2.0 * (pred - target) / len(pred)\n",
        "fails": ["mse-grad-tests", "mse-grad-hidden"],
    },
    {
        "name": "mse_grad: missing factor 2",
        "cell": "mse-grad-solution",
        "source": _GRAD_HEAD + "    return (pred - target) / pred.size\n",
        "fails": ["mse-grad-tests", "mse-grad-hidden"],
    },
    {
        "name": "mse_grad: sign flipped (target - pred)",
        "cell": "mse-grad-solution",
        "source": _GRAD_HEAD + "    return 2.0 * (target - pred) / pred.size\n",
        "fails": ["mse-grad-tests", "mse-grad-hidden"],
    },
    # ---------------------------------------------------------------- task 5: in_between
    {
        "name": "in_between: inclusive comparison counts correct predictions",
        "cell": "in-between-solution",
        "source": _BETWEEN_HEAD + "    rounded = np.rint(np.asarray(predictions, dtype=float).reshape(-1))\n"
        "    low, high = min(a, b), max(a, b)\n"
        "    return ((y == a) | (y == b)) & (rounded >= low) & (rounded <= high)\n",
        "fails": ["in-between-tests", "in-between-hidden"],
    },
    {
        "name": "in_between: samples of other classes counted too",
        "cell": "in-between-solution",
        "source": _BETWEEN_HEAD + "    rounded = np.rint(np.asarray(predictions, dtype=float).reshape(-1))\n"
        "    low, high = min(a, b), max(a, b)\n"
        "    return (rounded > low) & (rounded < high)\n",
        "fails": ["in-between-tests", "in-between-hidden"],
    },
    {
        "name": "in_between: assumes a < b",
        "cell": "in-between-solution",
        "source": _BETWEEN_HEAD + "    rounded = np.rint(np.asarray(predictions, dtype=float).reshape(-1))\n"
        "    return ((y == a) | (y == b)) & (rounded > a) & (rounded < b)\n",
        "fails": ["in-between-tests", "in-between-hidden"],
    },
    {
        "name": "in_between: compares the unrounded predictions",
        "cell": "in-between-solution",
        "source": _BETWEEN_HEAD + "    values = np.asarray(predictions, dtype=float).reshape(-1)\n"
        "    low, high = min(a, b), max(a, b)\n"
        "    return ((y == a) | (y == b)) & (values > low) & (values < high)\n",
        "fails": ["in-between-tests", "in-between-hidden"],
    },
    # ---------------------------------------------------------------- task 6: train_regressor
    {
        "name": "train_regressor: a final Sigmoid squeezes the output into (0, 1)",
        "cell": "train-solution",
        "source": _TRAIN_HEAD
        + "    layers = [Dense(2, 16, rng=rng), Sigmoid(), Dense(16, 1, rng=rng), Sigmoid()]\n"
        "    model = Sequential(layers, MSE(), SGD(0.2, momentum=0.9))\n"
        "    model.fit(X, np.asarray(y, dtype=float).reshape(-1, 1), epochs=EPOCHS, rng=rng, verbose=False)\n"
        "    return model\n",
        "fails": ["train-tests", "train-hidden"],
    },
    {
        "name": "train_regressor: far too few epochs",
        "cell": "train-solution",
        "source": _TRAIN_HEAD + "    layers = [Dense(2, 16, rng=rng), Sigmoid(), Dense(16, 1, rng=rng)]\n"
        "    model = Sequential(layers, MSE(), SGD(0.2, momentum=0.9))\n"
        "    model.fit(X, np.asarray(y, dtype=float).reshape(-1, 1), epochs=10, rng=rng, verbose=False)\n"
        "    return model\n",
        "fails": ["train-tests", "train-hidden"],
    },
    {
        "name": "train_regressor: plain SGD with a small learning rate and no momentum",
        "cell": "train-solution",
        "source": _TRAIN_HEAD + "    layers = [Dense(2, 16, rng=rng), Sigmoid(), Dense(16, 1, rng=rng)]\n"
        "    model = Sequential(layers, MSE(), SGD(0.01))\n"
        "    model.fit(X, np.asarray(y, dtype=float).reshape(-1, 1), epochs=EPOCHS, rng=rng, verbose=False)\n"
        "    return model\n",
        "fails": ["train-tests", "train-hidden"],
    },
    {
        "name": "train_regressor: integer labels of shape (N,) as MSE targets",
        "cell": "train-solution",
        "source": _TRAIN_HEAD + "    layers = [Dense(2, 16, rng=rng), Sigmoid(), Dense(16, 1, rng=rng)]\n"
        "    model = Sequential(layers, MSE(), SGD(0.2, momentum=0.9))\n"
        "    model.fit(X, y, epochs=EPOCHS, rng=rng, verbose=False)\n"
        "    return model\n",
        "fails": ["train-tests", "train-hidden"],
    },
    # ---------------------------------------------------------------- new entries (issue 14): kinds that
    # escaped the tests: inputs changed in place, wrong result types, notebook variables read instead of
    # arguments, edge cases stated in the text (a batch of one, an absent class, error messages).
    {
        "name": "round_to_class: rounds and clips the caller's array in place",
        "cell": "round-solution",
        "source": _ROUND_HEAD
        + "    flat = np.asarray(predictions, dtype=float).reshape(-1)  # a view of the caller's array\n"
        "    np.rint(flat, out=flat)\n"
        "    np.clip(flat, 0, n_classes - 1, out=flat)\n"
        "    return flat.astype(np.int64)\n",
        "fails": ["round-tests", "round-hidden"],
        "new": True,
    },
    {
        "name": "round_to_class: returns a Python list",
        "cell": "round-solution",
        "source": _ROUND_HEAD + "    nearest = np.rint(np.asarray(predictions, dtype=float).reshape(-1))\n"
        "    return [int(v) for v in np.clip(nearest, 0, n_classes - 1)]\n",
        "fails": ["round-tests", "round-hidden"],
        "new": True,
    },
    {
        "name": "round_to_class: np.squeeze instead of reshape(-1) (a batch of one loses its dimension)",
        "cell": "round-solution",
        "source": _ROUND_HEAD + "    nearest = np.rint(np.squeeze(np.asarray(predictions, dtype=float)))\n"
        "    return np.clip(nearest, 0, n_classes - 1).astype(np.int64)\n",
        "fails": ["round-tests", "round-hidden"],
        "new": True,
    },
    {
        "name": "rounded_accuracy: clips to the largest label present instead of n_classes - 1",
        "cell": "accuracy-solution",
        "source": _ACCURACY_HEAD + "    y = np.asarray(y).reshape(-1)\n"
        "    nearest = np.rint(np.asarray(predictions, dtype=float).reshape(-1))\n"
        "    return float(np.mean(np.clip(nearest, 0, y.max()) == y))\n",
        "fails": ["accuracy-tests", "accuracy-hidden"],
        "new": True,
    },
    {
        "name": "mse: the ValueError does not name the two shapes",
        "cell": "mse-solution",
        "source": _MSE_HEAD
        + "    if pred.shape != target.shape:\n        raise ValueError('pred and target must have the same shape')\n"
        "    return float(np.mean((pred - target) ** 2))\n",
        "fails": ["mse-tests", "mse-hidden"],
        "new": True,
    },
    {
        "name": "mse: compares the number of dimensions only, (N, 1) against (1, N) broadcasts",
        "cell": "mse-solution",
        "source": _MSE_HEAD + "    if pred.ndim != target.ndim:\n"
        "        raise ValueError(f'pred has shape {pred.shape} but target has shape {target.shape}')\n"
        "    return float(np.mean((pred - target) ** 2))\n",
        "fails": ["mse-tests", "mse-hidden"],
        "new": True,
    },
    {
        "name": "mse: subtracts the target in place from the caller's pred",
        "cell": "mse-solution",
        "source": _MSE_HEAD + "    if pred.shape != target.shape:\n"
        "        raise ValueError(f'pred has shape {pred.shape} but target has shape {target.shape}')\n"
        "    pred -= target\n"
        "    return float(np.mean(pred ** 2))\n",
        "fails": ["mse-tests", "mse-hidden"],
        "new": True,
    },
    {
        "name": "mse_grad: uses the notebook's t instead of the target argument",
        "cell": "mse-grad-solution",
        "source": _GRAD_HEAD + "    return 2.0 * (pred - t) / pred.size\n",
        "fails": ["mse-grad-tests", "mse-grad-hidden"],
        "new": True,
    },
    {
        "name": "in_between: uses the notebook's y_ring instead of the y argument",
        "cell": "in-between-solution",
        "source": "def in_between(predictions, y, a, b):\n"
        "    rounded = np.rint(np.asarray(predictions, dtype=float).reshape(-1))\n"
        "    low, high = min(a, b), max(a, b)\n"
        "    return ((y_ring == a) | (y_ring == b)) & (rounded > low) & (rounded < high)\n",
        "fails": ["in-between-tests", "in-between-hidden"],
        "new": True,
    },
    {
        "name": "in_between: rounds the caller's predictions in place",
        "cell": "in-between-solution",
        "source": _BETWEEN_HEAD + "    rounded = np.asarray(predictions, dtype=float).reshape(-1)\n"
        "    np.rint(rounded, out=rounded)\n"
        "    low, high = min(a, b), max(a, b)\n"
        "    return ((y == a) | (y == b)) & (rounded > low) & (rounded < high)\n",
        "fails": ["in-between-tests", "in-between-hidden"],
        "new": True,
    },
    {
        "name": "train_regressor: trains on the notebook's X_rings and y_rings instead of its arguments",
        "cell": "train-solution",
        "source": _TRAIN_HEAD + "    layers = [Dense(2, 16, rng=rng), Sigmoid(), Dense(16, 1, rng=rng)]\n"
        "    model = Sequential(layers, MSE(), SGD(0.2, momentum=0.9))\n"
        "    model.fit(X_rings, np.asarray(y_rings, dtype=float).reshape(-1, 1), epochs=EPOCHS, rng=rng, verbose=False)\n"
        "    return model\n",
        "fails": ["train-tests", "train-hidden"],
        "new": True,
    },
    {
        "name": "train_regressor: standardises the caller's X in place",
        "cell": "train-solution",
        "source": _TRAIN_HEAD + "    X -= X.mean(axis=0)\n"
        "    X /= X.std(axis=0)\n"
        "    layers = [Dense(2, 16, rng=rng), Sigmoid(), Dense(16, 1, rng=rng)]\n"
        "    model = Sequential(layers, MSE(), SGD(0.2, momentum=0.9))\n"
        "    model.fit(X, np.asarray(y, dtype=float).reshape(-1, 1), epochs=EPOCHS, rng=rng, verbose=False)\n"
        "    return model\n",
        "fails": ["train-tests", "train-hidden"],
        "new": True,
    },
]

# The solution trains for this many epochs; the training mistakes keep it so that only the named slip differs.
_SOLUTION_EPOCHS = "500"
for _mistake in MISTAKES:
    _mistake["source"] = _mistake["source"].replace("EPOCHS", _SOLUTION_EPOCHS)
