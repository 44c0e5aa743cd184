"""Typical wrong solutions of lab05 (the unrolled-theta network on Fashion-MNIST), one entry per mistake.

Each entry replaces the solution cell ``cell`` of
solutions/lab05-fashion-mnist-unrolled-theta/lab05-fashion-mnist-unrolled-theta.ipynb by ``source``;
the task's graded cells listed in ``fails`` (its visible test and its hidden test, which holds the
task's points) must then lose points, and no other task may (tests/test_nbgrader_labs.py).
"""

_UNROLL = "def unroll(Theta1, Theta2):\n    return np.concatenate([np.ravel(Theta1), np.ravel(Theta2)])\n\n"
_ROLL_HEAD = "def roll(theta, sizes):\n    n_in, n_hidden, n_out = sizes\n    cut = (n_in + 1) * n_hidden\n"
_ROLL_OK = (
    _ROLL_HEAD
    + "    return theta[:cut].reshape(n_in + 1, n_hidden), theta[cut:].reshape(n_hidden + 1, n_out)\n"
)

_PROBA_HEAD = (
    "def predict_proba(theta, sizes, X):\n    Theta1, Theta2 = roll(theta, sizes)\n"
    "    ones = np.ones((X.shape[0], 1))\n"
)
_SOFTMAX_ROWS = (
    "    E = np.exp(Z - Z.max(axis=1, keepdims=True))\n    return E / E.sum(axis=1, keepdims=True)\n"
)

_COST_HEAD = (
    "def nn_cost(theta, sizes, X, Y, lam, n_total=None):\n    Theta1, Theta2 = roll(theta, sizes)\n"
    "    N = X.shape[0]\n    m = N if n_total is None else n_total\n"
    "    P = predict_proba(theta, sizes, X)\n"
)
_SQUARES = "(np.sum(Theta1[1:] ** 2) + np.sum(Theta2[1:] ** 2))"


def _grad(
    delta3="(P - Y) / N",
    delta2="(delta3 @ Theta2[1:].T) * H * (1 - H)",
    m="N if n_total is None else n_total",
    ridge1="grad1[1:] += lam / m * Theta1[1:]\n    grad2[1:] += lam / m * Theta2[1:]",
    cost_m="m",
):
    """nn_cost_and_grad with one piece replaced."""
    return (
        "def nn_cost_and_grad(theta, sizes, X, Y, lam, n_total=None):\n"
        "    Theta1, Theta2 = roll(theta, sizes)\n"
        "    N = X.shape[0]\n"
        f"    m = {m}\n"
        "    A1 = np.hstack([np.ones((N, 1)), X])\n"
        "    H = sigmoid(A1 @ Theta1)\n"
        "    A2 = np.hstack([np.ones((N, 1)), H])\n"
        "    Z = A2 @ Theta2\n"
        "    E = np.exp(Z - Z.max(axis=1, keepdims=True))\n"
        "    P = E / E.sum(axis=1, keepdims=True)\n"
        f"    cost = -np.sum(Y * np.log(P)) / N + lam / (2 * {cost_m}) * {_SQUARES}\n"
        f"    delta3 = {delta3}\n"
        "    grad2 = A2.T @ delta3\n"
        f"    delta2 = {delta2}\n"
        "    grad1 = A1.T @ delta2\n"
        f"    {ridge1}\n"
        "    return float(cost), unroll(grad1, grad2)\n"
    )


def _train(
    copy="theta = np.array(theta0, dtype=float)",
    order="order = rng.permutation(N)",
    batches="range(0, N, batch_size)",
    call="nn_cost_and_grad(theta, sizes, X[batch], Y[batch], lam, n_total=N)",
    step="theta -= lr * grad",
):
    """train_minibatch with one piece replaced."""
    return (
        "def train_minibatch(theta0, sizes, X, Y, lam, *, rng, lr=0.5, batch_size=100, epochs=30):\n"
        f"    {copy}\n"
        "    N = X.shape[0]\n"
        "    for epoch in range(epochs):\n"
        f"        {order}\n"
        f"        for start in {batches}:\n"
        "            batch = order[start:start + batch_size]\n"
        f"            _, grad = {call}\n"
        f"            {step}\n"
        "    return theta\n"
    )


def _choose(
    data="X_val",
    pick="int(np.argmax(accuracies))",
    scale="",
    result="lambdas[best]",
    fit_args="X_train, Y_train",
):
    """choose_lambda with one piece replaced."""
    labels = "y_val" if data == "X_val" else "np.argmax(Y_train, axis=1)"
    return (
        "def choose_lambda(lambdas, fit, X_train, Y_train, X_val, y_val, sizes):\n"
        "    accuracies = []\n"
        "    for lam in lambdas:\n"
        f"        theta = fit({fit_args}, lam)\n"
        f"        accuracies.append({scale}np.mean(predict(theta, sizes, {data}) == {labels}))\n"
        "    accuracies = np.array(accuracies)\n"
        f"    best = {pick}\n"
        f"    return {result}, accuracies\n"
    )


MISTAKES = [
    # ---------------------------------------------------------------- task 1: unroll and roll
    {
        "name": "roll reshapes column by column (order='F')",
        "cell": "roll-solution",
        "source": _UNROLL + _ROLL_HEAD + "    return (theta[:cut].reshape(n_in + 1, n_hidden, order='F'),\n"
        "            theta[cut:].reshape(n_hidden + 1, n_out, order='F'))\n",
        "fails": ["roll-tests", "roll-hidden"],
    },
    {
        "name": "unroll and roll both column by column (round trip fine, layout wrong)",
        "cell": "roll-solution",
        "source": "def unroll(Theta1, Theta2):\n    return np.concatenate([Theta1.ravel(order='F'), Theta2.ravel(order='F')])\n\n"
        + _ROLL_HEAD
        + "    return (theta[:cut].reshape(n_in + 1, n_hidden, order='F'),\n"
        "            theta[cut:].reshape(n_hidden + 1, n_out, order='F'))\n",
        "fails": ["roll-tests", "roll-hidden"],
    },
    {
        "name": "roll reshapes to the transposed shapes",
        "cell": "roll-solution",
        "source": _UNROLL
        + _ROLL_HEAD
        + "    return theta[:cut].reshape(n_hidden, n_in + 1), theta[cut:].reshape(n_out, n_hidden + 1)\n",
        "fails": ["roll-tests", "roll-hidden"],
    },
    {
        "name": "roll forgets the bias rows",
        "cell": "roll-solution",
        "source": _UNROLL
        + "def roll(theta, sizes):\n    n_in, n_hidden, n_out = sizes\n    cut = n_in * n_hidden\n"
        "    return theta[:cut].reshape(n_in, n_hidden), theta[cut:].reshape(n_hidden, n_out)\n",
        "fails": ["roll-tests", "roll-hidden"],
    },
    {
        "name": "unroll puts Theta2 first",
        "cell": "roll-solution",
        "source": "def unroll(Theta1, Theta2):\n    return np.concatenate([np.ravel(Theta2), np.ravel(Theta1)])\n\n"
        + _ROLL_OK,
        "fails": ["roll-tests", "roll-hidden"],
    },
    {
        "name": "roll silently ignores extra entries of theta",
        "cell": "roll-solution",
        "source": _UNROLL + _ROLL_HEAD + "    end = cut + (n_hidden + 1) * n_out\n"
        "    return theta[:cut].reshape(n_in + 1, n_hidden), theta[cut:end].reshape(n_hidden + 1, n_out)\n",
        "fails": ["roll-tests", "roll-hidden"],
    },
    # ---------------------------------------------------------------- task 2: predict_proba
    {
        "name": "sigmoid outputs instead of a softmax",
        "cell": "proba-solution",
        "source": _PROBA_HEAD + "    H = sigmoid(np.hstack([ones, X]) @ Theta1)\n"
        "    return sigmoid(np.hstack([ones, H]) @ Theta2)\n",
        "fails": ["proba-tests", "proba-hidden"],
    },
    {
        "name": "softmax over the samples (axis 0)",
        "cell": "proba-solution",
        "source": _PROBA_HEAD
        + "    H = sigmoid(np.hstack([ones, X]) @ Theta1)\n    Z = np.hstack([ones, H]) @ Theta2\n"
        "    E = np.exp(Z - Z.max(axis=0, keepdims=True))\n"
        "    return E / E.sum(axis=0, keepdims=True)\n",
        "fails": ["proba-tests", "proba-hidden"],
    },
    {
        "name": "softmax without subtracting the maximum (overflows)",
        "cell": "proba-solution",
        "source": _PROBA_HEAD
        + "    H = sigmoid(np.hstack([ones, X]) @ Theta1)\n    Z = np.hstack([ones, H]) @ Theta2\n"
        "    return np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)\n",
        "fails": ["proba-tests", "proba-hidden"],
    },
    {
        "name": "no bias column in front of the hidden activations",
        "cell": "proba-solution",
        "source": _PROBA_HEAD
        + "    H = sigmoid(np.hstack([ones, X]) @ Theta1)\n    Z = H @ Theta2[1:]\n"
        + _SOFTMAX_ROWS,
        "fails": ["proba-tests", "proba-hidden"],
    },
    {
        "name": "no sigmoid in the hidden layer",
        "cell": "proba-solution",
        "source": _PROBA_HEAD
        + "    H = np.hstack([ones, X]) @ Theta1\n    Z = np.hstack([ones, H]) @ Theta2\n"
        + _SOFTMAX_ROWS,
        "fails": ["proba-tests", "proba-hidden"],
    },
    # ---------------------------------------------------------------- task 3: nn_cost
    {
        "name": "cost: the bias rows are penalised too",
        "cell": "cost-solution",
        "source": _COST_HEAD
        + "    return float(-np.sum(Y * np.log(P)) / N + lam / (2 * m) * (np.sum(Theta1 ** 2) + np.sum(Theta2 ** 2)))\n",
        "fails": ["cost-tests", "cost-hidden"],
    },
    {
        "name": "cost: summed cross-entropy (missing / N)",
        "cell": "cost-solution",
        "source": _COST_HEAD + f"    return float(-np.sum(Y * np.log(P)) + lam / (2 * m) * {_SQUARES})\n",
        "fails": ["cost-tests", "cost-hidden"],
    },
    {
        "name": "cost: ridge term over the rows of X, ignoring n_total (lambda / (2 * batch))",
        "cell": "cost-solution",
        "source": _COST_HEAD + f"    return float(-np.sum(Y * np.log(P)) / N + lam / (2 * N) * {_SQUARES})\n",
        "fails": ["cost-tests", "cost-hidden"],
    },
    {
        "name": "cost: lambda / m instead of lambda / (2 m)",
        "cell": "cost-solution",
        "source": _COST_HEAD + f"    return float(-np.sum(Y * np.log(P)) / N + lam / m * {_SQUARES})\n",
        "fails": ["cost-tests", "cost-hidden"],
    },
    {
        "name": "cost: the cross-entropy divided by n_total too",
        "cell": "cost-solution",
        "source": _COST_HEAD + f"    return float(-np.sum(Y * np.log(P)) / m + lam / (2 * m) * {_SQUARES})\n",
        "fails": ["cost-tests", "cost-hidden"],
    },
    {
        "name": "cost: binary cross-entropy of ten sigmoid outputs",
        "cell": "cost-solution",
        "source": (
            "def nn_cost(theta, sizes, X, Y, lam, n_total=None):\n    Theta1, Theta2 = roll(theta, sizes)\n"
            "    N = X.shape[0]\n    m = N if n_total is None else n_total\n    ones = np.ones((N, 1))\n"
            "    H = sigmoid(np.hstack([ones, X]) @ Theta1)\n    S = sigmoid(np.hstack([ones, H]) @ Theta2)\n"
            "    bce = -np.sum(Y * np.log(S) + (1 - Y) * np.log(1 - S)) / N\n"
            f"    return float(bce + lam / (2 * m) * {_SQUARES})\n"
        ),
        "fails": ["cost-tests", "cost-hidden"],
    },
    # ---------------------------------------------------------------- task 4: nn_cost_and_grad
    {
        "name": "gradient: the ridge term added to the bias rows",
        "cell": "grad-solution",
        "source": _grad(ridge1="grad1 += lam / m * Theta1\n    grad2 += lam / m * Theta2"),
        "fails": ["grad-tests", "grad-hidden"],
    },
    {
        "name": "gradient: ridge term lambda / (2 m) instead of lambda / m",
        "cell": "grad-solution",
        "source": _grad(
            ridge1="grad1[1:] += lam / (2 * m) * Theta1[1:]\n    grad2[1:] += lam / (2 * m) * Theta2[1:]"
        ),
        "fails": ["grad-tests", "grad-hidden"],
    },
    {
        "name": "gradient: missing / N in the output error",
        "cell": "grad-solution",
        "source": _grad(delta3="P - Y"),
        "fails": ["grad-tests", "grad-hidden"],
    },
    {
        "name": "gradient: ridge gradient uses the rows of X, not n_total",
        "cell": "grad-solution",
        "source": _grad(ridge1="grad1[1:] += lam / N * Theta1[1:]\n    grad2[1:] += lam / N * Theta2[1:]"),
        "fails": ["grad-tests", "grad-hidden"],
    },
    {
        "name": "gradient: cost and gradient both ignore n_total",
        "cell": "grad-solution",
        "source": _grad(m="N"),
        "fails": ["grad-tests", "grad-hidden"],
    },
    {
        "name": "gradient: sigmoid derivative left out",
        "cell": "grad-solution",
        "source": _grad(delta2="delta3 @ Theta2[1:].T"),
        "fails": ["grad-tests", "grad-hidden"],
    },
    {
        "name": "gradient: sigmoid derivative applied to the activations again",
        "cell": "grad-solution",
        "source": _grad(delta2="(delta3 @ Theta2[1:].T) * sigmoid(H) * (1 - sigmoid(H))"),
        "fails": ["grad-tests", "grad-hidden"],
    },
    {
        "name": "gradient: sign flipped (Y - P)",
        "cell": "grad-solution",
        "source": _grad(delta3="(Y - P) / N"),
        "fails": ["grad-tests", "grad-hidden"],
    },
    # ---------------------------------------------------------------- task 5: train_minibatch
    {
        "name": "training: the batch's ridge term uses the batch size (no n_total)",
        "cell": "train-solution",
        "source": _train(call="nn_cost_and_grad(theta, sizes, X[batch], Y[batch], lam)"),
        "fails": ["train-tests", "train-hidden"],
    },
    {
        "name": "training: gradient ascent (theta += lr * grad)",
        "cell": "train-solution",
        "source": _train(step="theta += lr * grad"),
        "fails": ["train-tests", "train-hidden"],
    },
    {
        "name": "training: changes the caller's theta0 in place",
        "cell": "train-solution",
        "source": _train(copy="theta = theta0"),
        "fails": ["train-tests", "train-hidden"],
    },
    {
        "name": "training: shuffles with the global np.random instead of rng",
        "cell": "train-solution",
        "source": _train(order="order = np.random.permutation(N)"),
        "fails": ["train-tests", "train-hidden"],
    },
    {
        "name": "training: drops the last (partial) batch",
        "cell": "train-solution",
        "source": _train(batches="range(0, N - batch_size, batch_size)"),
        "fails": ["train-tests", "train-hidden"],
    },
    {
        "name": "training: one batch per epoch",
        "cell": "train-solution",
        "source": _train(batches="range(0, 1)"),
        "fails": ["train-tests", "train-hidden"],
    },
    {
        "name": "training: n_total set to the batch size explicitly",
        "cell": "train-solution",
        "source": _train(call="nn_cost_and_grad(theta, sizes, X[batch], Y[batch], lam, n_total=len(batch))"),
        "fails": ["train-tests", "train-hidden"],
    },
    # ---------------------------------------------------------------- task 6: choose_lambda
    {
        "name": "lambda chosen by training accuracy",
        "cell": "choose-solution",
        "source": _choose(data="X_train"),
        "fails": ["choose-tests", "choose-hidden"],
    },
    {
        "name": "lambda with the lowest validation accuracy (argmin)",
        "cell": "choose-solution",
        "source": _choose(pick="int(np.argmin(accuracies))"),
        "fails": ["choose-tests", "choose-hidden"],
    },
    {
        "name": "the last of tied lambdas",
        "cell": "choose-solution",
        "source": _choose(pick="len(accuracies) - 1 - int(np.argmax(accuracies[::-1]))"),
        "fails": ["choose-tests", "choose-hidden"],
    },
    {
        "name": "returns the index of the best lambda, not its value",
        "cell": "choose-solution",
        "source": _choose(result="best"),
        "fails": ["choose-tests", "choose-hidden"],
    },
    {
        "name": "accuracies as percentages",
        "cell": "choose-solution",
        "source": _choose(scale="100 * "),
        "fails": ["choose-tests", "choose-hidden"],
    },
    {
        "name": "fit called on the validation data",
        "cell": "choose-solution",
        "source": _choose(fit_args="X_val, class_to_onehot(y_val, Y_train.shape[1])"),
        "fails": ["choose-tests", "choose-hidden"],
    },
]

# ------------------------------------------------------------------------------------------------
# New entries (issue 14): mistakes of the kinds that escaped an independent examiner, written before
# the hidden tests were strengthened. "new": True marks them; "fails" names the task's visible and
# hidden test cells.
# ------------------------------------------------------------------------------------------------

_ROLL_FAILS = ["roll-tests", "roll-hidden"]
_PROBA_FAILS = ["proba-tests", "proba-hidden"]
_COST_FAILS = ["cost-tests", "cost-hidden"]
_GRAD_FAILS = ["grad-tests", "grad-hidden"]
_TRAIN_FAILS = ["train-tests", "train-hidden"]
_CHOOSE_FAILS = ["choose-tests", "choose-hidden"]
_ROLL_CHECKED = (
    "    if np.size(theta) != cut + (n_hidden + 1) * n_out:\n"
    "        raise ValueError('theta has the wrong length')\n"
)


def _proba(hidden="H = sigmoid(np.hstack([ones, X]) @ Theta1)", shift="Z.max(axis=1, keepdims=True)"):
    """predict_proba with its hidden layer or its softmax shift replaced."""
    return (
        _PROBA_HEAD + f"    {hidden}\n    Z = np.hstack([ones, H]) @ Theta2\n"
        f"    E = np.exp(Z - {shift})\n    return E / E.sum(axis=1, keepdims=True)\n"
    )


def _cost(log="np.log(P)", data_term="-np.sum(Y * {log}) / N", squares=_SQUARES):
    """nn_cost with its log, data term or penalty replaced."""
    return _COST_HEAD + f"    return float({data_term.format(log=log)} + lam / (2 * m) * {squares})\n"


MISTAKES += [
    # ---------------------------------------------------------------- task 1: unroll and roll
    {
        "name": "roll checks the length with assert (AssertionError instead of ValueError)",
        "new": True,
        "cell": "roll-solution",
        "source": _UNROLL
        + _ROLL_HEAD
        + "    assert np.size(theta) == cut + (n_hidden + 1) * n_out, 'wrong length'\n"
        "    return theta[:cut].reshape(n_in + 1, n_hidden), theta[cut:].reshape(n_hidden + 1, n_out)\n",
        "fails": _ROLL_FAILS,
    },
    {
        "name": "unroll returns a Python list",
        "new": True,
        "cell": "roll-solution",
        "source": "def unroll(Theta1, Theta2):\n    return list(np.ravel(Theta1)) + list(np.ravel(Theta2))\n\n"
        + _ROLL_HEAD
        + _ROLL_CHECKED
        + "    theta = np.asarray(theta)\n"
        "    return theta[:cut].reshape(n_in + 1, n_hidden), theta[cut:].reshape(n_hidden + 1, n_out)\n",
        "fails": _ROLL_FAILS,
    },
    {
        "name": "roll reads the notebook's SIZES instead of its sizes argument",
        "new": True,
        "cell": "roll-solution",
        "source": _UNROLL
        + "def roll(theta, sizes):\n    n_in, n_hidden, n_out = SIZES\n    cut = (n_in + 1) * n_hidden\n"
        + _ROLL_CHECKED
        + "    return theta[:cut].reshape(n_in + 1, n_hidden), theta[cut:].reshape(n_hidden + 1, n_out)\n",
        "fails": _ROLL_FAILS,
    },
    {
        "name": "unroll flattens Theta2 transposed (its columns first)",
        "new": True,
        "cell": "roll-solution",
        "source": "def unroll(Theta1, Theta2):\n    return np.concatenate([np.ravel(Theta1), np.ravel(Theta2.T)])\n\n"
        + _ROLL_HEAD
        + _ROLL_CHECKED
        + "    return theta[:cut].reshape(n_in + 1, n_hidden), theta[cut:].reshape(n_out, n_hidden + 1).T\n",
        "fails": _ROLL_FAILS,
    },
    # ---------------------------------------------------------------- task 2: predict_proba
    {
        "name": "softmax shifted by the maximum of the whole array, not of each row",
        "new": True,
        "cell": "proba-solution",
        "source": _proba(shift="Z.max()"),
        "fails": _PROBA_FAILS,
    },
    {
        "name": "hidden sigmoid written as exp(a) / (1 + exp(a)) (NaN above about 710)",
        "new": True,
        "cell": "proba-solution",
        "source": _proba(hidden="A = np.hstack([ones, X]) @ Theta1\n    H = np.exp(A) / (1.0 + np.exp(A))"),
        "fails": _PROBA_FAILS,
    },
    {
        "name": "predict_proba rolls theta with the notebook's SIZES",
        "new": True,
        "cell": "proba-solution",
        "source": _proba().replace("roll(theta, sizes)", "roll(theta, SIZES)"),
        "fails": _PROBA_FAILS,
    },
    {
        "name": "bias column of ones appended after the inputs instead of in front",
        "new": True,
        "cell": "proba-solution",
        "source": _proba(hidden="H = sigmoid(np.hstack([X, ones]) @ Theta1)"),
        "fails": _PROBA_FAILS,
    },
    # ---------------------------------------------------------------- task 3: nn_cost
    {
        "name": "cost: the log's argument clipped at 1e-3",
        "new": True,
        "cell": "cost-solution",
        "source": _cost(log="np.log(np.clip(P, 1e-3, 1.0))"),
        "fails": _COST_FAILS,
    },
    {
        "name": "cost: np.mean over all N * K entries",
        "new": True,
        "cell": "cost-solution",
        "source": _cost(data_term="-np.mean(Y * {log})"),
        "fails": _COST_FAILS,
    },
    {
        "name": "cost: Theta2's bias row penalised (only Theta1's skipped)",
        "new": True,
        "cell": "cost-solution",
        "source": _cost(squares="(np.sum(Theta1[1:] ** 2) + np.sum(Theta2 ** 2))"),
        "fails": _COST_FAILS,
    },
    {
        "name": "cost: ex4's bias columns skipped (Theta[:, 1:]) instead of the bias rows",
        "new": True,
        "cell": "cost-solution",
        "source": _cost(squares="(np.sum(Theta1[:, 1:] ** 2) + np.sum(Theta2[:, 1:] ** 2))"),
        "fails": _COST_FAILS,
    },
    # ---------------------------------------------------------------- task 4: nn_cost_and_grad
    {
        "name": "gradient: zeroes the bias rows of roll's views, changing the caller's theta",
        "new": True,
        "cell": "grad-solution",
        "source": _grad(
            ridge1="Theta1[0] = 0.0\n    Theta2[0] = 0.0\n"
            "    grad1 += lam / m * Theta1\n    grad2 += lam / m * Theta2"
        ),
        "fails": _GRAD_FAILS,
    },
    {
        "name": "gradient: softmax without subtracting the row maximum",
        "new": True,
        "cell": "grad-solution",
        "source": _grad().replace("np.exp(Z - Z.max(axis=1, keepdims=True))", "np.exp(Z)"),
        "fails": _GRAD_FAILS,
    },
    {
        "name": "gradient: returns the two gradient matrices instead of one unrolled vector",
        "new": True,
        "cell": "grad-solution",
        "source": _grad().replace("unroll(grad1, grad2)", "(grad1, grad2)"),
        "fails": _GRAD_FAILS,
    },
    {
        "name": "gradient: cost clipped at 1e-3 inside the log",
        "new": True,
        "cell": "grad-solution",
        "source": _grad().replace("np.log(P)", "np.log(np.clip(P, 1e-3, 1.0))"),
        "fails": _GRAD_FAILS,
    },
    # ---------------------------------------------------------------- task 5: train_minibatch
    {
        "name": "training: one permutation drawn before the epochs, reused in every epoch",
        "new": True,
        "cell": "train-solution",
        "source": _train().replace(
            "    for epoch in range(epochs):\n        order = rng.permutation(N)\n",
            "    order = rng.permutation(N)\n    for epoch in range(epochs):\n",
        ),
        "fails": _TRAIN_FAILS,
    },
    {
        "name": "training: batches taken from the notebook's X_train / Y_train instead of X / Y",
        "new": True,
        "cell": "train-solution",
        "source": _train(
            call="nn_cost_and_grad(theta, sizes, X_train[batch], Y_train[batch], lam, n_total=N)"
        ),
        "fails": _TRAIN_FAILS,
    },
    {
        "name": "training: the permutation drawn but the batches are consecutive rows",
        "new": True,
        "cell": "train-solution",
        "source": _train().replace(
            "batch = order[start:start + batch_size]", "batch = np.arange(start, min(start + batch_size, N))"
        ),
        "fails": _TRAIN_FAILS,
    },
    {
        "name": "training: theta copied as float32",
        "new": True,
        "cell": "train-solution",
        "source": _train(copy="theta = np.array(theta0, dtype=np.float32)"),
        "fails": _TRAIN_FAILS,
    },
    # ---------------------------------------------------------------- task 6: choose_lambda
    {
        "name": "choose_lambda predicts with the notebook's SIZES instead of its sizes argument",
        "new": True,
        "cell": "choose-solution",
        "source": _choose().replace("predict(theta, sizes, X_val)", "predict(theta, SIZES, X_val)"),
        "fails": _CHOOSE_FAILS,
    },
    {
        "name": "choose_lambda returns the accuracies as a list",
        "new": True,
        "cell": "choose-solution",
        "source": _choose()
        .replace("    accuracies = np.array(accuracies)\n", "")
        .replace("int(np.argmax(accuracies))", "accuracies.index(max(accuracies))"),
        "fails": _CHOOSE_FAILS,
    },
    {
        "name": "choose_lambda sorts the caller's lambdas in place",
        "new": True,
        "cell": "choose-solution",
        "source": _choose().replace("    accuracies = []\n", "    lambdas.sort()\n    accuracies = []\n"),
        "fails": _CHOOSE_FAILS,
    },
    {
        "name": "choose_lambda keeps a running best that starts at accuracy 0 (None when every accuracy is 0)",
        "new": True,
        "cell": "choose-solution",
        "source": (
            "def choose_lambda(lambdas, fit, X_train, Y_train, X_val, y_val, sizes):\n"
            "    accuracies, best_lambda, best_accuracy = [], None, 0.0\n"
            "    for lam in lambdas:\n"
            "        accuracy = np.mean(predict(fit(X_train, Y_train, lam), sizes, X_val) == y_val)\n"
            "        accuracies.append(accuracy)\n"
            "        if accuracy > best_accuracy:\n"
            "            best_lambda, best_accuracy = lam, accuracy\n"
            "    return best_lambda, np.array(accuracies)\n"
        ),
        "fails": _CHOOSE_FAILS,
    },
]
