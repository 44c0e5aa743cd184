"""Typical wrong repairs of lab07 (debugging a network), one entry per mistake.

Each entry replaces the solution cell ``cell`` of
solutions/lab07-debugging-a-network/lab07-debugging-a-network.ipynb by ``source``;
the task's hidden test cell (listed in ``fails`` with its visible test cell) must then lose its points,
and no other task may lose any (tests/test_nbgrader_labs.py).
"""

_LOSS_HEAD = "def initial_loss_check(Z, Y, tol=0.1):\n    Z, Y = np.asarray(Z, dtype=float), np.asarray(Y, dtype=float)\n"
_STABLE_LOG_P = (
    "    shifted = Z - Z.max(axis=1, keepdims=True)\n"
    "    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))\n"
)
_GRAD_HEAD = "def output_grad(Z, Y):\n    Z, Y = np.asarray(Z, dtype=float), np.asarray(Y, dtype=float)\n"
_STABLE_P = (
    "    exp = np.exp(Z - Z.max(axis=1, keepdims=True))\n    P = exp / exp.sum(axis=1, keepdims=True)\n"
)
_STEP_HEAD = "def momentum_step(param, grad, velocity, lr, momentum):\n"
_INIT_HEAD = "def init_layer(n_in, n_out, rng):\n"
_FB_HEAD = "def forward_backward(params, X, Y, output_grad):\n"
_FB_FORWARD = (
    "    W1, b1, W2, b2 = (np.asarray(params[k]) for k in ('W1', 'b1', 'W2', 'b2'))\n"
    "    H = expit(X @ W1 + b1)\n"
    "    Z = H @ W2 + b2\n"
    "    dZ = output_grad(Z, Y)\n"
)
_TRAIN_HEAD = "def train_repaired(X, y, rng):\n"
_TRAIN_GOOD = dict(
    n_hidden=64,
    epochs=10,
    lr=0.5,
    batch_size=50,
    init="init_layer",
    output_grad="output_grad",
    step="momentum_step",
    forward_backward="forward_backward",
)


def _train(**changes):
    args = {**_TRAIN_GOOD, **changes}
    listed = ", ".join(f"{k}={v}" for k, v in args.items())
    return _TRAIN_HEAD + f"    return train(X, y, rng=rng, {listed})\n"


MISTAKES = [
    # ---------------------------------------------------------------- task 1: initial_loss_check
    {
        "name": "initial loss summed over the samples (the handed loss)",
        "cell": "initial-loss-solution",
        "source": _LOSS_HEAD + _STABLE_LOG_P + "    loss = float(-np.sum(Y * log_p))\n"
        "    return loss, float(np.log(Z.shape[1])), abs(loss - np.log(Z.shape[1])) <= tol\n",
        "fails": ["initial-loss-tests", "initial-loss-hidden"],
    },
    {
        "name": "initial loss without subtracting the maximum (overflow to nan)",
        "cell": "initial-loss-solution",
        "source": _LOSS_HEAD + "    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)\n"
        "    loss = float(-np.mean(np.sum(Y * np.log(P), axis=1)))\n"
        "    return loss, float(np.log(Z.shape[1])), abs(loss - np.log(Z.shape[1])) <= tol\n",
        "fails": ["initial-loss-tests", "initial-loss-hidden"],
    },
    {
        "name": "initial loss averaged over all N * K entries",
        "cell": "initial-loss-solution",
        "source": _LOSS_HEAD + _STABLE_LOG_P + "    loss = float(-np.mean(Y * log_p))\n"
        "    return loss, float(np.log(Z.shape[1])), abs(loss - np.log(Z.shape[1])) <= tol\n",
        "fails": ["initial-loss-tests", "initial-loss-hidden"],
    },
    {
        "name": "expected initial loss hard-coded to ln 10",
        "cell": "initial-loss-solution",
        "source": _LOSS_HEAD + _STABLE_LOG_P + "    loss = float(-np.mean(np.sum(Y * log_p, axis=1)))\n"
        "    return loss, float(np.log(10)), abs(loss - np.log(10)) <= tol\n",
        "fails": ["initial-loss-tests", "initial-loss-hidden"],
    },
    {
        "name": "tolerance argument ignored",
        "cell": "initial-loss-solution",
        "source": _LOSS_HEAD + _STABLE_LOG_P + "    loss = float(-np.mean(np.sum(Y * log_p, axis=1)))\n"
        "    return loss, float(np.log(Z.shape[1])), abs(loss - np.log(Z.shape[1])) <= 0.1\n",
        "fails": ["initial-loss-tests", "initial-loss-hidden"],
    },
    {
        "name": "initial loss compared with ln K but ok computed the wrong way round",
        "cell": "initial-loss-solution",
        "source": _LOSS_HEAD + _STABLE_LOG_P + "    loss = float(-np.mean(np.sum(Y * log_p, axis=1)))\n"
        "    return loss, float(np.log(Z.shape[1])), abs(loss - np.log(Z.shape[1])) > tol\n",
        "fails": ["initial-loss-tests", "initial-loss-hidden"],
    },
    # ---------------------------------------------------------------- task 2: output_grad
    {
        "name": "output gradient Z - Y (the handed one: softmax ignored)",
        "cell": "output-grad-solution",
        "source": _GRAD_HEAD + "    return (Z - Y) / len(Z)\n",
        "fails": ["output-grad-tests", "output-grad-hidden"],
    },
    {
        "name": "output gradient of the summed loss (no division by N)",
        "cell": "output-grad-solution",
        "source": _GRAD_HEAD + _STABLE_P + "    return P - Y\n",
        "fails": ["output-grad-tests", "output-grad-hidden"],
    },
    {
        "name": "output gradient with the sign flipped",
        "cell": "output-grad-solution",
        "source": _GRAD_HEAD + _STABLE_P + "    return (Y - P) / len(Z)\n",
        "fails": ["output-grad-tests", "output-grad-hidden"],
    },
    {
        "name": "output gradient divided by N * K",
        "cell": "output-grad-solution",
        "source": _GRAD_HEAD + _STABLE_P + "    return (P - Y) / Z.size\n",
        "fails": ["output-grad-tests", "output-grad-hidden"],
    },
    {
        "name": "softmax without subtracting the maximum (nan for large scores)",
        "cell": "output-grad-solution",
        "source": _GRAD_HEAD
        + "    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)\n    return (P - Y) / len(Z)\n",
        "fails": ["output-grad-tests", "output-grad-hidden"],
    },
    {
        "name": "softmax normalised over the samples (axis=0)",
        "cell": "output-grad-solution",
        "source": _GRAD_HEAD + "    exp = np.exp(Z - Z.max(axis=0, keepdims=True))\n"
        "    return (exp / exp.sum(axis=0, keepdims=True) - Y) / len(Z)\n",
        "fails": ["output-grad-tests", "output-grad-hidden"],
    },
    # ---------------------------------------------------------------- task 3: momentum_step
    {
        "name": "momentum rule that shrinks the weights (the handed one)",
        "cell": "momentum-solution",
        "source": _STEP_HEAD + "    param = param - lr * grad\n    param = -lr * grad + momentum * param\n"
        "    return param, velocity\n",
        "fails": ["momentum-tests", "momentum-hidden"],
    },
    {
        "name": "velocity ignored: plain gradient descent",
        "cell": "momentum-solution",
        "source": _STEP_HEAD + "    step = -lr * grad\n    return param + step, step\n",
        "fails": ["momentum-tests", "momentum-hidden"],
    },
    {
        "name": "velocity adds the gradient instead of subtracting it",
        "cell": "momentum-solution",
        "source": _STEP_HEAD
        + "    velocity = momentum * velocity + lr * grad\n    return param + velocity, velocity\n",
        "fails": ["momentum-tests", "momentum-hidden"],
    },
    {
        "name": "new velocity computed but the old one returned",
        "cell": "momentum-solution",
        "source": _STEP_HEAD
        + "    new_velocity = momentum * velocity - lr * grad\n    return param + new_velocity, velocity\n",
        "fails": ["momentum-tests", "momentum-hidden"],
    },
    {
        "name": "parameters moved by the old velocity",
        "cell": "momentum-solution",
        "source": _STEP_HEAD
        + "    new_velocity = momentum * velocity - lr * grad\n    return param + velocity, new_velocity\n",
        "fails": ["momentum-tests", "momentum-hidden"],
    },
    {
        "name": "momentum applied to the parameters as well",
        "cell": "momentum-solution",
        "source": _STEP_HEAD
        + "    velocity = momentum * velocity - lr * grad\n    return momentum * param + velocity, velocity\n",
        "fails": ["momentum-tests", "momentum-hidden"],
    },
    # ---------------------------------------------------------------- task 4: init_layer
    {
        "name": "weights drawn around -0.1 (the handed initialisation)",
        "cell": "init-solution",
        "source": _INIT_HEAD + "    return rng.normal(-0.1, 0.02, size=(n_in, n_out)), np.zeros(n_out)\n",
        "fails": ["init-tests", "init-hidden"],
    },
    {
        "name": "all-zero weights",
        "cell": "init-solution",
        "source": _INIT_HEAD + "    return np.zeros((n_in, n_out)), np.zeros(n_out)\n",
        "fails": ["init-tests", "init-hidden"],
    },
    {
        "name": "unscaled standard normal weights (saturate the sigmoids)",
        "cell": "init-solution",
        "source": _INIT_HEAD + "    return rng.normal(0.0, 1.0, size=(n_in, n_out)), np.zeros(n_out)\n",
        "fails": ["init-tests", "init-hidden"],
    },
    {
        "name": "uniform positive weights (not centred on zero)",
        "cell": "init-solution",
        "source": _INIT_HEAD
        + "    return rng.uniform(0.0, 2.0 / np.sqrt(n_in), size=(n_in, n_out)), np.zeros(n_out)\n",
        "fails": ["init-tests", "init-hidden"],
    },
    {
        "name": "He scaling sqrt(2 / n_in) instead of 1 / sqrt(n_in)",
        "cell": "init-solution",
        "source": _INIT_HEAD
        + "    return rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_out)), np.zeros(n_out)\n",
        "fails": ["init-tests", "init-hidden"],
    },
    {
        "name": "weights drawn with the global np.random instead of rng",
        "cell": "init-solution",
        "source": _INIT_HEAD
        + "    return np.random.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_in, n_out)), np.zeros(n_out)\n",
        "fails": ["init-tests", "init-hidden"],
    },
    {
        "name": "weights of shape (n_out, n_in)",
        "cell": "init-solution",
        "source": _INIT_HEAD
        + "    return rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_out, n_in)), np.zeros(n_out)\n",
        "fails": ["init-tests", "init-hidden"],
    },
    {
        "name": "biases drawn around -0.1 as in the handed code",
        "cell": "init-solution",
        "source": _INIT_HEAD + "    W = rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_in, n_out))\n"
        "    return W, rng.normal(-0.1, 0.02, size=n_out)\n",
        "fails": ["init-tests", "init-hidden"],
    },
    {
        "name": "weights scaled by 1/n_in instead of 1/sqrt(n_in)",
        "cell": "init-solution",
        "source": _INIT_HEAD
        + "    return rng.normal(0.0, 1.0 / n_in, size=(n_in, n_out)), np.zeros(n_out)\n",
        "fails": ["init-tests", "init-hidden"],
    },
    # ---------------------------------------------------------------- task 5: forward_backward
    {
        "name": "still np.matrix (the handed forward_backward)",
        "cell": "forward-backward-solution",
        "source": _FB_HEAD + "    return handed_forward_backward(params, X, Y, output_grad)\n",
        "fails": ["forward-backward-tests", "forward-backward-hidden"],
    },
    {
        "name": "`*` kept for the matrix products on ndarrays",
        "cell": "forward-backward-solution",
        "source": _FB_HEAD
        + "    W1, b1, W2, b2 = (np.asarray(params[k]) for k in ('W1', 'b1', 'W2', 'b2'))\n"
        "    H = expit(X * W1 + b1)\n    Z = H * W2 + b2\n    dZ = output_grad(Z, Y)\n"
        "    dA = (dZ * W2.T) * H * (1 - H)\n"
        "    return Z, {'W1': X.T * dA, 'b1': dA.sum(axis=0), 'W2': H.T * dZ, 'b2': dZ.sum(axis=0)}\n",
        "fails": ["forward-backward-tests", "forward-backward-hidden"],
    },
    {
        "name": "bias gradients keep a dimension, shape (1, H)",
        "cell": "forward-backward-solution",
        "source": _FB_HEAD + _FB_FORWARD + "    dA = (dZ @ W2.T) * H * (1 - H)\n"
        "    return Z, {'W1': X.T @ dA, 'b1': dA.sum(axis=0, keepdims=True), 'W2': H.T @ dZ,\n"
        "               'b2': dZ.sum(axis=0, keepdims=True)}\n",
        "fails": ["forward-backward-tests", "forward-backward-hidden"],
    },
    {
        "name": "bias gradients summed over the units instead of the samples",
        "cell": "forward-backward-solution",
        "source": _FB_HEAD + _FB_FORWARD + "    dA = (dZ @ W2.T) * H * (1 - H)\n"
        "    return Z, {'W1': X.T @ dA, 'b1': dA.sum(axis=1), 'W2': H.T @ dZ, 'b2': dZ.sum(axis=1)}\n",
        "fails": ["forward-backward-tests", "forward-backward-hidden"],
    },
    {
        "name": "sigmoid derivative forgotten in the hidden layer",
        "cell": "forward-backward-solution",
        "source": _FB_HEAD + _FB_FORWARD + "    dA = dZ @ W2.T\n"
        "    return Z, {'W1': X.T @ dA, 'b1': dA.sum(axis=0), 'W2': H.T @ dZ, 'b2': dZ.sum(axis=0)}\n",
        "fails": ["forward-backward-tests", "forward-backward-hidden"],
    },
    {
        "name": "sigmoid derivative written as sigmoid(H) * (1 - sigmoid(H))",
        "cell": "forward-backward-solution",
        "source": _FB_HEAD + _FB_FORWARD + "    dA = (dZ @ W2.T) * expit(H) * (1 - expit(H))\n"
        "    return Z, {'W1': X.T @ dA, 'b1': dA.sum(axis=0), 'W2': H.T @ dZ, 'b2': dZ.sum(axis=0)}\n",
        "fails": ["forward-backward-tests", "forward-backward-hidden"],
    },
    {
        "name": "output weight gradient transposed (dZ.T @ H)",
        "cell": "forward-backward-solution",
        "source": _FB_HEAD + _FB_FORWARD + "    dA = (dZ @ W2.T) * H * (1 - H)\n"
        "    return Z, {'W1': X.T @ dA, 'b1': dA.sum(axis=0), 'W2': dZ.T @ H, 'b2': dZ.sum(axis=0)}\n",
        "fails": ["forward-backward-tests", "forward-backward-hidden"],
    },
    {
        "name": "own output_grad used instead of the argument",
        "cell": "forward-backward-solution",
        "source": "def forward_backward(params, X, Y, grad_fn):\n"
        + _FB_FORWARD
        + "    dA = (dZ @ W2.T) * H * (1 - H)\n"
        "    return Z, {'W1': X.T @ dA, 'b1': dA.sum(axis=0), 'W2': H.T @ dZ, 'b2': dZ.sum(axis=0)}\n",
        "fails": ["forward-backward-tests", "forward-backward-hidden"],
    },
    # ---------------------------------------------------------------- task 6: train_repaired
    {
        "name": "handed learning rate 1e-5 kept with the mean loss",
        "cell": "train-solution",
        "source": _train(lr=1e-5),
        "fails": ["train-tests", "train-hidden"],
    },
    {
        "name": "handed initialisation still plugged in",
        "cell": "train-solution",
        "source": _train(init="handed_init"),
        "fails": ["train-tests", "train-hidden"],
    },
    {
        "name": "handed momentum rule still plugged in",
        "cell": "train-solution",
        "source": _train(step="handed_momentum_step"),
        "fails": ["train-tests", "train-hidden"],
    },
    {
        "name": "handed output gradient still plugged in",
        "cell": "train-solution",
        "source": _train(output_grad="handed_output_grad"),
        "fails": ["train-tests", "train-hidden"],
    },
    {
        "name": "a few full-batch epochs only",
        "cell": "train-solution",
        "source": _train(epochs=5, batch_size=None),
        "fails": ["train-tests", "train-hidden"],
    },
]

# ------------------------------------------------------------------------------------------------
# New entries (issue 14): mistakes of the kinds that escaped an independent examiner, written before
# the hidden tests were strengthened. "new": True marks them; "fails" names the task's visible and
# hidden test cells.
# ------------------------------------------------------------------------------------------------

_LOSS_FAILS = ["initial-loss-tests", "initial-loss-hidden"]
_GRAD_FAILS = ["output-grad-tests", "output-grad-hidden"]
_STEP_FAILS = ["momentum-tests", "momentum-hidden"]
_INIT_FAILS = ["init-tests", "init-hidden"]
_FB_FAILS = ["forward-backward-tests", "forward-backward-hidden"]
_TRAIN_FAILS = ["train-tests", "train-hidden"]
_FB_BACKWARD = (
    "    dA = (dZ @ W2.T) * H * (1 - H)\n"
    "    return Z, {'W1': X.T @ dA, 'b1': dA.sum(axis=0), 'W2': H.T @ dZ, 'b2': dZ.sum(axis=0)}\n"
)

MISTAKES += [
    # ---------------------------------------------------------------- task 1: initial_loss_check
    {
        "name": "initial loss shifted by the largest score of the whole batch, not of each row",
        "new": True,
        "cell": "initial-loss-solution",
        "source": _LOSS_HEAD + "    shifted = Z - Z.max()\n"
        "    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))\n"
        "    loss = float(-np.mean(np.sum(Y * log_p, axis=1)))\n"
        "    return loss, float(np.log(Z.shape[1])), abs(loss - np.log(Z.shape[1])) <= tol\n",
        "fails": _LOSS_FAILS,
    },
    {
        "name": "initial loss with the log's argument clipped at 1e-3",
        "new": True,
        "cell": "initial-loss-solution",
        "source": _LOSS_HEAD
        + _STABLE_P
        + "    loss = float(-np.mean(np.sum(Y * np.log(np.clip(P, 1e-3, 1.0)), axis=1)))\n"
        "    return loss, float(np.log(Z.shape[1])), abs(loss - np.log(Z.shape[1])) <= tol\n",
        "fails": _LOSS_FAILS,
    },
    {
        "name": "initial loss shifts the caller's Z in place (Z -= max)",
        "new": True,
        "cell": "initial-loss-solution",
        "source": _LOSS_HEAD + "    Z -= Z.max(axis=1, keepdims=True)\n"
        "    log_p = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))\n"
        "    loss = float(-np.mean(np.sum(Y * log_p, axis=1)))\n"
        "    return loss, float(np.log(Z.shape[1])), abs(loss - np.log(Z.shape[1])) <= tol\n",
        "fails": _LOSS_FAILS,
    },
    {
        "name": "strict < tol: a loss exactly tol away (or tol = 0) is refused",
        "new": True,
        "cell": "initial-loss-solution",
        "source": _LOSS_HEAD + _STABLE_LOG_P + "    loss = float(-np.mean(np.sum(Y * log_p, axis=1)))\n"
        "    return loss, float(np.log(Z.shape[1])), bool(abs(loss - np.log(Z.shape[1])) < tol)\n",
        "fails": _LOSS_FAILS,
    },
    {
        "name": "expected value ln N (the number of samples) instead of ln K",
        "new": True,
        "cell": "initial-loss-solution",
        "source": _LOSS_HEAD + _STABLE_LOG_P + "    loss = float(-np.mean(np.sum(Y * log_p, axis=1)))\n"
        "    return loss, float(np.log(len(Z))), abs(loss - np.log(len(Z))) <= tol\n",
        "fails": _LOSS_FAILS,
    },
    # ---------------------------------------------------------------- task 2: output_grad
    {
        "name": "output gradient with the softmax shifted by the largest score of the whole batch",
        "new": True,
        "cell": "output-grad-solution",
        "source": _GRAD_HEAD + "    exp = np.exp(Z - Z.max())\n"
        "    return (exp / exp.sum(axis=1, keepdims=True) - Y) / len(Z)\n",
        "fails": _GRAD_FAILS,
    },
    {
        "name": "output gradient shifts the caller's Z in place (Z -= max)",
        "new": True,
        "cell": "output-grad-solution",
        "source": _GRAD_HEAD + "    Z -= Z.max(axis=1, keepdims=True)\n"
        "    exp = np.exp(Z)\n"
        "    return (exp / exp.sum(axis=1, keepdims=True) - Y) / len(Z)\n",
        "fails": _GRAD_FAILS,
    },
    {
        "name": "output gradient in the handed np.matrix style (returns an np.matrix)",
        "new": True,
        "cell": "output-grad-solution",
        "source": _GRAD_HEAD + _STABLE_P + "    with warnings.catch_warnings():\n"
        "        warnings.simplefilter('ignore', PendingDeprecationWarning)\n"
        "        return np.asmatrix(P - Y) / len(Z)\n",
        "fails": _GRAD_FAILS,
    },
    {
        "name": "output gradient divided by the number of classes instead of samples",
        "new": True,
        "cell": "output-grad-solution",
        "source": _GRAD_HEAD + _STABLE_P + "    return (P - Y) / Z.shape[1]\n",
        "fails": _GRAD_FAILS,
    },
    # ---------------------------------------------------------------- task 3: momentum_step
    {
        "name": "momentum step updates the caller's param and velocity in place",
        "new": True,
        "cell": "momentum-solution",
        "source": _STEP_HEAD + "    velocity *= momentum\n    velocity -= lr * grad\n    param += velocity\n"
        "    return param, velocity\n",
        "fails": _STEP_FAILS,
    },
    {
        "name": "velocity without the learning rate (v = m v + g, p = p - lr v)",
        "new": True,
        "cell": "momentum-solution",
        "source": _STEP_HEAD
        + "    velocity = momentum * velocity + grad\n    return param - lr * velocity, velocity\n",
        "fails": _STEP_FAILS,
    },
    {
        "name": "velocity as an average of gradients (v = m v + (1 - m) g)",
        "new": True,
        "cell": "momentum-solution",
        "source": _STEP_HEAD + "    velocity = momentum * velocity + (1 - momentum) * grad\n"
        "    return param - lr * velocity, -lr * velocity\n",
        "fails": _STEP_FAILS,
    },
    # ---------------------------------------------------------------- task 4: init_layer
    {
        "name": "LeCun scaling, but uniform instead of normal",
        "new": True,
        "cell": "init-solution",
        "source": _INIT_HEAD + "    limit = np.sqrt(3.0 / n_in)\n"
        "    return rng.uniform(-limit, limit, size=(n_in, n_out)), np.zeros(n_out)\n",
        "fails": _INIT_FAILS,
    },
    {
        "name": "a fresh generator with a fixed seed instead of the rng argument",
        "new": True,
        "cell": "init-solution",
        "source": _INIT_HEAD + "    rng = np.random.default_rng(0)\n"
        "    return rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_in, n_out)), np.zeros(n_out)\n",
        "fails": _INIT_FAILS,
    },
    {
        "name": "Glorot (Xavier) scaling sqrt(2 / (n_in + n_out)) instead of LeCun's",
        "new": True,
        "cell": "init-solution",
        "source": _INIT_HEAD
        + "    return rng.normal(0.0, np.sqrt(2.0 / (n_in + n_out)), size=(n_in, n_out)), np.zeros(n_out)\n",
        "fails": _INIT_FAILS,
    },
    {
        "name": "integer zero biases (np.zeros(n_out, dtype=int))",
        "new": True,
        "cell": "init-solution",
        "source": _INIT_HEAD
        + "    return rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_in, n_out)), np.zeros(n_out, dtype=int)\n",
        "fails": _INIT_FAILS,
    },
    # ---------------------------------------------------------------- task 5: forward_backward
    {
        "name": "own sigmoid exp(a) / (1 + exp(a)) instead of expit (NaN for inputs above about 710)",
        "new": True,
        "cell": "forward-backward-solution",
        "source": _FB_HEAD
        + "    W1, b1, W2, b2 = (np.asarray(params[k]) for k in ('W1', 'b1', 'W2', 'b2'))\n"
        "    E = np.exp(X @ W1 + b1)\n    H = E / (1 + E)\n    Z = H @ W2 + b2\n"
        "    dZ = output_grad(Z, Y)\n" + _FB_BACKWARD,
        "fails": _FB_FAILS,
    },
    {
        "name": "gradients divided by N again (output_grad already averages)",
        "new": True,
        "cell": "forward-backward-solution",
        "source": _FB_HEAD + _FB_FORWARD + "    dA = (dZ @ W2.T) * H * (1 - H)\n    n = len(X)\n"
        "    return Z, {'W1': X.T @ dA / n, 'b1': dA.sum(axis=0) / n, 'W2': H.T @ dZ / n,\n"
        "               'b2': dZ.sum(axis=0) / n}\n",
        "fails": _FB_FAILS,
    },
    {
        "name": "scores squeezed with np.squeeze (one sample gives Z of shape (K,))",
        "new": True,
        "cell": "forward-backward-solution",
        "source": _FB_HEAD + _FB_FORWARD + "    dA = (dZ @ W2.T) * H * (1 - H)\n"
        "    return np.squeeze(Z), {'W1': X.T @ dA, 'b1': dA.sum(axis=0), 'W2': H.T @ dZ,\n"
        "                           'b2': dZ.sum(axis=0)}\n",
        "fails": _FB_FAILS,
    },
    # ---------------------------------------------------------------- task 6: train_repaired
    {
        "name": "trains on the held-out test digits as well",
        "new": True,
        "cell": "train-solution",
        "source": _TRAIN_HEAD
        + "    return train(np.vstack([X, X_test]), np.concatenate([y, y_test]), rng=rng, n_hidden=64,\n"
        "                 epochs=10, lr=0.5, batch_size=50, init=init_layer, output_grad=output_grad,\n"
        "                 step=momentum_step, forward_backward=forward_backward)\n",
        "fails": _TRAIN_FAILS,
    },
    {
        "name": "trains on the notebook's X_train, y_train instead of its arguments",
        "new": True,
        "cell": "train-solution",
        "source": _TRAIN_HEAD
        + "    return train(X_train, y_train, rng=rng, n_hidden=64, epochs=10, lr=0.5, batch_size=50,\n"
        "                 init=init_layer, output_grad=output_grad, step=momentum_step,\n"
        "                 forward_backward=forward_backward)\n",
        "fails": _TRAIN_FAILS,
    },
    {
        "name": "a generator of its own instead of the rng argument",
        "new": True,
        "cell": "train-solution",
        "source": _train(rng="np.random.default_rng(0)").replace("rng=rng, ", ""),
        "fails": _TRAIN_FAILS,
    },
    {
        "name": "handed np.matrix forward_backward still plugged in (parameters become np.matrix)",
        "new": True,
        "cell": "train-solution",
        "source": _train(forward_backward="handed_forward_backward"),
        "fails": _TRAIN_FAILS,
    },
]
