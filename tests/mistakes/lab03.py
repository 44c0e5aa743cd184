"""Typical wrong solutions of lab03 (softmax and categorical cross-entropy), one entry per mistake.

Each entry replaces the solution cell ``cell`` of
solutions/lab03-softmax-cross-entropy/lab03-softmax-cross-entropy.ipynb by ``source``;
``fails`` lists the graded cells of that task (its visible test and its hidden test); the task's
hidden test must then lose its points and every other task keep its own (tests/test_nbgrader_labs.py).
"""

_SOFTMAX_HEAD = "def softmax(Z):\n    Z = np.asarray(Z, dtype=float)\n"
_CCE_HEAD = "def cce(P, y):\n    P = np.asarray(P, dtype=float)\n    y = np.asarray(y).reshape(-1)\n"
_GRAD_HEAD = "def cce_grad(P, y):\n    P = np.asarray(P, dtype=float)\n    y = np.asarray(y).reshape(-1)\n    n = P.shape[0]\n"
_FB_HEAD = (
    "def forward_backward(params, X, y):\n"
    "    W1, b1, W2, b2 = params['W1'], params['b1'], params['W2'], params['b2']\n"
    "    A = X @ W1 + b1\n"
    "    R = np.maximum(0.0, A)\n"
)
_FB_OUTPUT = "    S = R @ W2 + b2\n    P = softmax(S)\n    loss = cce(P, y)\n    dS = cce_grad(P, y)\n"
_FB_RETURN = "    return loss, {'W1': dW1, 'b1': db1, 'W2': dW2, 'b2': db2}\n"
_TRAIN_HEAD = "def train_spiral(X, y, *, rng):\n"


def _network(
    hidden_layers="Dense(2, HIDDEN, rng=rng), ReLU(), Dense(HIDDEN, 3, rng=rng), Softmax()",
    optimizer="SGD(lr=LR, momentum=0.9)",
    targets="class_to_onehot(y, 3)",
    epochs="EPOCHS",
):
    return (
        _TRAIN_HEAD + f"    layers = [{hidden_layers}]\n"
        f"    model = Sequential(layers, CCE(), {optimizer})\n"
        f"    model.fit(X, {targets}, epochs={epochs}, batch_size=-1, rng=rng, verbose=False)\n"
        "    return model\n"
    )


MISTAKES = [
    # ---------------------------------------------------------------- task 1: softmax
    {
        "name": "softmax without the max shift (overflows at logits near 1000)",
        "cell": "softmax-solution",
        "source": _SOFTMAX_HEAD + "    exps = np.exp(Z)\n    return exps / exps.sum(axis=1, keepdims=True)\n",
        "fails": ["softmax-tests", "softmax-hidden"],
    },
    {
        "name": "softmax over the wrong axis (columns)",
        "cell": "softmax-solution",
        "source": _SOFTMAX_HEAD + "    exps = np.exp(Z - Z.max(axis=0, keepdims=True))\n"
        "    return exps / exps.sum(axis=0, keepdims=True)\n",
        "fails": ["softmax-tests", "softmax-hidden"],
    },
    {
        "name": "softmax normalised over the whole array",
        "cell": "softmax-solution",
        "source": _SOFTMAX_HEAD
        + "    exps = np.exp(Z - Z.max(axis=1, keepdims=True))\n    return exps / exps.sum()\n",
        "fails": ["softmax-tests", "softmax-hidden"],
    },
    {
        "name": "softmax shifted by the global maximum instead of each row's",
        "cell": "softmax-solution",
        "source": _SOFTMAX_HEAD
        + "    exps = np.exp(Z - Z.max())\n    return exps / exps.sum(axis=1, keepdims=True)\n",
        "fails": ["softmax-tests", "softmax-hidden"],
    },
    {
        "name": "softmax without keepdims (row maxima broadcast along the wrong axis)",
        "cell": "softmax-solution",
        "source": _SOFTMAX_HEAD
        + "    exps = np.exp(Z - Z.max(axis=1))\n    return exps / exps.sum(axis=1)\n",
        "fails": ["softmax-tests", "softmax-hidden"],
    },
    {
        "name": "softmax shifting the caller's array in place",
        "cell": "softmax-solution",
        "source": _SOFTMAX_HEAD + "    Z -= Z.max(axis=1, keepdims=True)\n    exps = np.exp(Z)\n"
        "    return exps / exps.sum(axis=1, keepdims=True)\n",
        "fails": ["softmax-tests", "softmax-hidden"],
    },
    # ---------------------------------------------------------------- task 2: cce
    {
        "name": "cce: sum instead of mean",
        "cell": "cce-solution",
        "source": _CCE_HEAD
        + "    return float(-np.sum(np.log(np.clip(P[np.arange(len(y)), y], EPS, 1.0))))\n",
        "fails": ["cce-tests", "cce-hidden"],
    },
    {
        "name": "cce: mean over all N * K entries of the one-hot product",
        "cell": "cce-solution",
        "source": _CCE_HEAD + "    Y = np.eye(P.shape[1])[y]\n"
        "    return float(-np.mean(Y * np.log(np.clip(P, EPS, 1.0))))\n",
        "fails": ["cce-tests", "cce-hidden"],
    },
    {
        "name": "cce: indexing P[:, y] (an N x N array)",
        "cell": "cce-solution",
        "source": _CCE_HEAD + "    return float(-np.mean(np.log(np.clip(P[:, y], EPS, 1.0))))\n",
        "fails": ["cce-tests", "cce-hidden"],
    },
    {
        "name": "cce: no clipping (a probability of 0 gives inf)",
        "cell": "cce-solution",
        "source": _CCE_HEAD + "    return float(-np.mean(np.log(P[np.arange(len(y)), y])))\n",
        "fails": ["cce-tests", "cce-hidden"],
    },
    {
        "name": "cce: labels off by one",
        "cell": "cce-solution",
        "source": _CCE_HEAD
        + "    return float(-np.mean(np.log(np.clip(P[np.arange(len(y)), y - 1], EPS, 1.0))))\n",
        "fails": ["cce-tests", "cce-hidden"],
    },
    {
        "name": "cce: base-10 logarithm",
        "cell": "cce-solution",
        "source": _CCE_HEAD
        + "    return float(-np.mean(np.log10(np.clip(P[np.arange(len(y)), y], EPS, 1.0))))\n",
        "fails": ["cce-tests", "cce-hidden"],
    },
    {
        "name": "cce: per-sample losses returned without averaging",
        "cell": "cce-solution",
        "source": _CCE_HEAD + "    return -np.log(np.clip(P[np.arange(len(y)), y], EPS, 1.0))\n",
        "fails": ["cce-tests", "cce-hidden"],
    },
    # ---------------------------------------------------------------- task 3: cce_grad
    {
        "name": "cce_grad: missing division by N",
        "cell": "cce-grad-solution",
        "source": _GRAD_HEAD + "    grad = P.copy()\n    grad[np.arange(n), y] -= 1.0\n    return grad\n",
        "fails": ["cce-grad-tests", "cce-grad-hidden"],
    },
    {
        "name": "cce_grad: subtracting 1 in the caller's P (no copy)",
        "cell": "cce-grad-solution",
        "source": _GRAD_HEAD
        + "    grad = P\n    grad[np.arange(n), y] -= 1.0\n    grad /= n\n    return grad\n",
        "fails": ["cce-grad-tests", "cce-grad-hidden"],
    },
    {
        "name": "cce_grad: sign flipped (y - p)",
        "cell": "cce-grad-solution",
        "source": _GRAD_HEAD + "    Y = np.eye(P.shape[1])[y]\n    return (Y - P) / n\n",
        "fails": ["cce-grad-tests", "cce-grad-hidden"],
    },
    {
        "name": "cce_grad: dividing by N * K",
        "cell": "cce-grad-solution",
        "source": _GRAD_HEAD + "    Y = np.eye(P.shape[1])[y]\n    return (P - Y) / P.size\n",
        "fails": ["cce-grad-tests", "cce-grad-hidden"],
    },
    {
        "name": "cce_grad: subtracting 1 in whole columns (grad[:, y])",
        "cell": "cce-grad-solution",
        "source": _GRAD_HEAD + "    grad = P.copy()\n    grad[:, y] -= 1.0\n    return grad / n\n",
        "fails": ["cce-grad-tests", "cce-grad-hidden"],
    },
    {
        "name": "cce_grad: labels off by one",
        "cell": "cce-grad-solution",
        "source": _GRAD_HEAD
        + "    grad = P.copy()\n    grad[np.arange(n), y - 1] -= 1.0\n    return grad / n\n",
        "fails": ["cce-grad-tests", "cce-grad-hidden"],
    },
    # ---------------------------------------------------------------- task 4: forward_backward
    {
        "name": "forward_backward: ReLU ignored in the backward pass",
        "cell": "forward-backward-solution",
        "source": _FB_HEAD + _FB_OUTPUT + "    dW2 = R.T @ dS\n    db2 = dS.sum(axis=0)\n    dA = dS @ W2.T\n"
        "    dW1 = X.T @ dA\n    db1 = dA.sum(axis=0)\n" + _FB_RETURN,
        "fails": ["forward-backward-tests", "forward-backward-hidden"],
    },
    {
        "name": "forward_backward: ReLU mask taken from the gradient instead of the input",
        "cell": "forward-backward-solution",
        "source": _FB_HEAD
        + _FB_OUTPUT
        + "    dW2 = R.T @ dS\n    db2 = dS.sum(axis=0)\n    dR = dS @ W2.T\n    dA = dR * (dR > 0)\n"
        "    dW1 = X.T @ dA\n    db1 = dA.sum(axis=0)\n" + _FB_RETURN,
        "fails": ["forward-backward-tests", "forward-backward-hidden"],
    },
    {
        "name": "forward_backward: bias gradients averaged (divided by N twice)",
        "cell": "forward-backward-solution",
        "source": _FB_HEAD
        + _FB_OUTPUT
        + "    dW2 = R.T @ dS\n    db2 = dS.mean(axis=0)\n    dR = dS @ W2.T\n    dA = dR * (A > 0)\n"
        "    dW1 = X.T @ dA\n    db1 = dA.mean(axis=0)\n" + _FB_RETURN,
        "fails": ["forward-backward-tests", "forward-backward-hidden"],
    },
    {
        "name": "forward_backward: bias gradients summed over the wrong axis",
        "cell": "forward-backward-solution",
        "source": _FB_HEAD
        + _FB_OUTPUT
        + "    dW2 = R.T @ dS\n    db2 = dS.sum(axis=1)\n    dR = dS @ W2.T\n    dA = dR * (A > 0)\n"
        "    dW1 = X.T @ dA\n    db1 = dA.sum(axis=1)\n" + _FB_RETURN,
        "fails": ["forward-backward-tests", "forward-backward-hidden"],
    },
    {
        "name": "forward_backward: weight gradients divided by N again",
        "cell": "forward-backward-solution",
        "source": _FB_HEAD + _FB_OUTPUT + "    n = X.shape[0]\n"
        "    dW2 = R.T @ dS / n\n    db2 = dS.sum(axis=0)\n    dR = dS @ W2.T\n    dA = dR * (A > 0)\n"
        "    dW1 = X.T @ dA / n\n    db1 = dA.sum(axis=0)\n" + _FB_RETURN,
        "fails": ["forward-backward-tests", "forward-backward-hidden"],
    },
    {
        "name": "forward_backward: ReLU applied to the output logits too",
        "cell": "forward-backward-solution",
        "source": _FB_HEAD
        + "    S = np.maximum(0.0, R @ W2 + b2)\n    P = softmax(S)\n    loss = cce(P, y)\n    dS = cce_grad(P, y)\n"
        "    dW2 = R.T @ dS\n    db2 = dS.sum(axis=0)\n    dR = dS @ W2.T\n    dA = dR * (A > 0)\n"
        "    dW1 = X.T @ dA\n    db1 = dA.sum(axis=0)\n" + _FB_RETURN,
        "fails": ["forward-backward-tests", "forward-backward-hidden"],
    },
    {
        "name": "forward_backward: gradient descent step applied to params in place",
        "cell": "forward-backward-solution",
        "source": _FB_HEAD
        + _FB_OUTPUT
        + "    dW2 = R.T @ dS\n    db2 = dS.sum(axis=0)\n    dR = dS @ W2.T\n    dA = dR * (A > 0)\n"
        "    dW1 = X.T @ dA\n    db1 = dA.sum(axis=0)\n"
        "    for key, g in (('W1', dW1), ('b1', db1), ('W2', dW2), ('b2', db2)):\n"
        "        params[key] -= 0.1 * g\n" + _FB_RETURN,
        "fails": ["forward-backward-tests", "forward-backward-hidden"],
    },
    # ---------------------------------------------------------------- task 5: train_spiral
    {
        "name": "train_spiral: no hidden layer (a linear softmax classifier)",
        "cell": "train-spiral-solution",
        "source": _network(hidden_layers="Dense(2, 3, rng=rng), Softmax()"),
        "fails": ["train-spiral-tests", "train-spiral-hidden"],
    },
    {
        "name": "train_spiral: hidden layer without a nonlinearity",
        "cell": "train-spiral-solution",
        "source": _network(hidden_layers="Dense(2, HIDDEN, rng=rng), Dense(HIDDEN, 3, rng=rng), Softmax()"),
        "fails": ["train-spiral-tests", "train-spiral-hidden"],
    },
    {
        "name": "train_spiral: integer labels passed to CCE instead of one-hot targets",
        "cell": "train-spiral-solution",
        "source": _network(targets="y"),
        "fails": ["train-spiral-tests", "train-spiral-hidden"],
    },
    {
        "name": "train_spiral: labels off by one before one-hot encoding",
        "cell": "train-spiral-solution",
        "source": _network(targets="class_to_onehot(y - 1, 3)"),
        "fails": ["train-spiral-tests", "train-spiral-hidden"],
    },
    {
        "name": "train_spiral: far too few epochs",
        "cell": "train-spiral-solution",
        "source": _network(epochs="10"),
        "fails": ["train-spiral-tests", "train-spiral-hidden"],
    },
    {
        "name": "train_spiral: plain SGD with a small learning rate",
        "cell": "train-spiral-solution",
        "source": _network(optimizer="SGD(0.01)"),
        "fails": ["train-spiral-tests", "train-spiral-hidden"],
    },
    # ---------------------------------------------------------------- new entries (issue 14): kinds that
    # escaped the tests: a shift that is not each row's maximum, inputs changed in place, a squeezed batch
    # of one, an absent class, notebook variables read instead of arguments (held-out data included),
    # runs that cannot be repeated.
    {
        "name": "softmax shifted by each row's mean instead of its maximum",
        "cell": "softmax-solution",
        "source": _SOFTMAX_HEAD + "    exps = np.exp(Z - Z.mean(axis=1, keepdims=True))\n"
        "    return exps / exps.sum(axis=1, keepdims=True)\n",
        "fails": ["softmax-tests", "softmax-hidden"],
        "new": True,
    },
    {
        "name": "softmax squeezes its result (a batch of one sample gives shape (K,))",
        "cell": "softmax-solution",
        "source": _SOFTMAX_HEAD + "    exps = np.exp(Z - Z.max(axis=1, keepdims=True))\n"
        "    return np.squeeze(exps / exps.sum(axis=1, keepdims=True))\n",
        "fails": ["softmax-tests", "softmax-hidden"],
        "new": True,
    },
    {
        "name": "cce: clips the caller's P in place",
        "cell": "cce-solution",
        "source": _CCE_HEAD + "    np.clip(P, EPS, 1.0, out=P)\n"
        "    return float(-np.mean(np.log(P[np.arange(len(y)), y])))\n",
        "fails": ["cce-tests", "cce-hidden"],
        "new": True,
    },
    {
        "name": "cce: clips at Keras's 1e-7 instead of EPS",
        "cell": "cce-solution",
        "source": _CCE_HEAD
        + "    return float(-np.mean(np.log(np.clip(P[np.arange(len(y)), y], 1e-7, 1.0))))\n",
        "fails": ["cce-tests", "cce-hidden"],
        "new": True,
    },
    {
        "name": "cce_grad: one-hot targets with y.max() + 1 columns (fails when the last class is absent)",
        "cell": "cce-grad-solution",
        "source": _GRAD_HEAD + "    Y = np.eye(y.max() + 1)[y]  # the number of classes read off the labels\n"
        "    return (P - Y) / n\n",
        "fails": ["cce-grad-tests", "cce-grad-hidden"],
        "new": True,
    },
    {
        "name": "forward_backward: uses the notebook's X_small and y_small instead of its arguments",
        "cell": "forward-backward-solution",
        "source": _FB_HEAD.replace("X @ W1", "X_small @ W1")
        + _FB_OUTPUT.replace("(P, y)", "(P, y_small)")
        + "    dW2 = R.T @ dS\n    db2 = dS.sum(axis=0)\n    dR = dS @ W2.T\n    dA = dR * (A > 0)\n"
        "    dW1 = X_small.T @ dA\n    db1 = dA.sum(axis=0)\n" + _FB_RETURN,
        "fails": ["forward-backward-tests", "forward-backward-hidden"],
        "new": True,
    },
    {
        "name": "forward_backward: its own softmax without the max shift (overflows for large logits)",
        "cell": "forward-backward-solution",
        "source": _FB_HEAD + "    S = R @ W2 + b2\n"
        "    P = np.exp(S) / np.exp(S).sum(axis=1, keepdims=True)\n"
        "    loss = cce(P, y)\n"
        "    dS = cce_grad(P, y)\n"
        "    dW2 = R.T @ dS\n    db2 = dS.sum(axis=0)\n    dR = dS @ W2.T\n    dA = dR * (A > 0)\n"
        "    dW1 = X.T @ dA\n    db1 = dA.sum(axis=0)\n" + _FB_RETURN,
        "fails": ["forward-backward-tests", "forward-backward-hidden"],
        "new": True,
    },
    {
        "name": "train_spiral: trains on all of the notebook's spiral points, held-out ones included",
        "cell": "train-spiral-solution",
        "source": _network().replace(
            "model.fit(X, class_to_onehot(y, 3)", "model.fit(X_spiral, class_to_onehot(y_spiral, 3)"
        ),
        "fails": ["train-spiral-tests", "train-spiral-hidden"],
        "new": True,
    },
    {
        "name": "train_spiral: Dense layers without rng (a run cannot be repeated)",
        "cell": "train-spiral-solution",
        "source": _network(hidden_layers="Dense(2, HIDDEN), ReLU(), Dense(HIDDEN, 3), Softmax()"),
        "fails": ["train-spiral-tests", "train-spiral-hidden"],
        "new": True,
    },
]


# The solution's settings; the training mistakes keep them so that only the named slip differs.
_SOLUTION = {"HIDDEN": "64", "LR": "0.5", "EPOCHS": "300"}
for _mistake in MISTAKES:
    for _key, _value in _SOLUTION.items():
        _mistake["source"] = _mistake["source"].replace(_key, _value)
