"""Typical wrong solutions of lab06 (interpreting the hidden weights), one entry per mistake.

Each entry replaces the solution cell ``cell`` of
solutions/lab06-interpreting-hidden-weights/lab06-interpreting-hidden-weights.ipynb by ``source``;
the task's hidden test cell (listed in ``fails`` with its visible test cell) must then lose its points,
and no other task may lose any (tests/test_nbgrader_labs.py).
"""

_HIDDEN_HEAD = "def hidden_activations(Theta1, X):\n    X = np.asarray(X, dtype=float)\n"
_IMAGE_HEAD = "def weight_image(Theta1, unit):\n"
_PROBS_HEAD = "def output_probabilities(Theta2, hidden):\n    hidden = np.asarray(hidden, dtype=float)\n"
_MEANS_HEAD = (
    "def class_mean_activations(hidden, y, n_classes):\n"
    "    hidden = np.asarray(hidden, dtype=float)\n    y = np.asarray(y).reshape(-1)\n"
)
_TOP_HEAD = "def top_units(Theta2, mean_act, class_index, k):\n"

MISTAKES = [
    # ---------------------------------------------------------------- task 1: hidden_activations
    {
        "name": "forgetting the sigmoid (returning the scores z)",
        "cell": "activations-solution",
        "source": _HIDDEN_HEAD + "    return Theta1[0] + X @ Theta1[1:]\n",
        "fails": ["activations-tests", "activations-hidden"],
    },
    {
        "name": "ignoring the bias row",
        "cell": "activations-solution",
        "source": _HIDDEN_HEAD + "    return 1.0 / (1.0 + np.exp(-(X @ Theta1[1:])))\n",
        "fails": ["activations-tests", "activations-hidden"],
    },
    {
        "name": "bias 1 appended after the pixels instead of in front",
        "cell": "activations-solution",
        "source": _HIDDEN_HEAD + "    scores = X @ Theta1[:-1] + Theta1[-1]\n"
        "    return 1.0 / (1.0 + np.exp(-scores))\n",
        "fails": ["activations-tests", "activations-hidden"],
    },
    {
        "name": "only works for one image (np.append flattens a batch)",
        "cell": "activations-solution",
        "source": _HIDDEN_HEAD + "    return 1.0 / (1.0 + np.exp(-(np.append(1.0, X) @ Theta1)))\n",
        "fails": ["activations-tests", "activations-hidden"],
    },
    {
        "name": "tanh instead of the sigmoid",
        "cell": "activations-solution",
        "source": _HIDDEN_HEAD + "    return np.tanh(Theta1[0] + X @ Theta1[1:])\n",
        "fails": ["activations-tests", "activations-hidden"],
    },
    {
        "name": "sigmoid with the wrong sign, 1 / (1 + exp(z))",
        "cell": "activations-solution",
        "source": _HIDDEN_HEAD + "    return 1.0 / (1.0 + np.exp(Theta1[0] + X @ Theta1[1:]))\n",
        "fails": ["activations-tests", "activations-hidden"],
    },
    # ---------------------------------------------------------------- task 2: weight_image
    {
        "name": "keeping the bias and dropping the last pixel weight",
        "cell": "image-solution",
        "source": _IMAGE_HEAD + "    w = np.asarray(Theta1, dtype=float)[:784, unit]\n"
        "    return w.reshape(28, 28) / np.max(np.abs(w))\n",
        "fails": ["image-tests", "image-hidden"],
    },
    {
        "name": "normalising by the largest weight including the bias",
        "cell": "image-solution",
        "source": _IMAGE_HEAD + "    column = np.asarray(Theta1, dtype=float)[:, unit]\n"
        "    return column[1:].reshape(28, 28) / np.max(np.abs(column))\n",
        "fails": ["image-tests", "image-hidden"],
    },
    {
        "name": "reshaping in Fortran (column) order",
        "cell": "image-solution",
        "source": _IMAGE_HEAD + "    w = np.asarray(Theta1, dtype=float)[1:, unit]\n"
        "    return w.reshape(28, 28, order='F') / np.max(np.abs(w))\n",
        "fails": ["image-tests", "image-hidden"],
    },
    {
        "name": "min-max scaling to [0, 1] instead of keeping the sign",
        "cell": "image-solution",
        "source": _IMAGE_HEAD + "    w = np.asarray(Theta1, dtype=float)[1:, unit]\n"
        "    return ((w - w.min()) / (w.max() - w.min())).reshape(28, 28)\n",
        "fails": ["image-tests", "image-hidden"],
    },
    {
        "name": "dividing by the largest weight instead of the largest absolute weight",
        "cell": "image-solution",
        "source": _IMAGE_HEAD + "    w = np.asarray(Theta1, dtype=float)[1:, unit]\n"
        "    return w.reshape(28, 28) / w.max()\n",
        "fails": ["image-tests", "image-hidden"],
    },
    {
        "name": "no normalisation at all",
        "cell": "image-solution",
        "source": _IMAGE_HEAD + "    return np.asarray(Theta1, dtype=float)[1:, unit].reshape(28, 28)\n",
        "fails": ["image-tests", "image-hidden"],
    },
    {
        "name": "absolute values (sign lost)",
        "cell": "image-solution",
        "source": _IMAGE_HEAD + "    w = np.abs(np.asarray(Theta1, dtype=float)[1:, unit])\n"
        "    return w.reshape(28, 28) / w.max()\n",
        "fails": ["image-tests", "image-hidden"],
    },
    {
        "name": "normalising Theta1 in place",
        "cell": "image-solution",
        "source": _IMAGE_HEAD + "    w = Theta1[1:, unit]\n    w /= np.max(np.abs(w))\n"
        "    return w.reshape(28, 28)\n",
        "fails": ["image-tests", "image-hidden"],
    },
    # ---------------------------------------------------------------- task 3: output_probabilities
    {
        "name": "sigmoid outputs instead of the softmax",
        "cell": "probs-solution",
        "source": _PROBS_HEAD + "    return 1.0 / (1.0 + np.exp(-(Theta2[0] + hidden @ Theta2[1:])))\n",
        "fails": ["probs-tests", "probs-hidden"],
    },
    {
        "name": "forgetting the output bias",
        "cell": "probs-solution",
        "source": _PROBS_HEAD + "    scores = hidden @ Theta2[1:]\n"
        "    e = np.exp(scores - scores.max(axis=-1, keepdims=True))\n"
        "    return e / e.sum(axis=-1, keepdims=True)\n",
        "fails": ["probs-tests", "probs-hidden"],
    },
    {
        "name": "softmax without subtracting the maximum (overflow)",
        "cell": "probs-solution",
        "source": _PROBS_HEAD + "    e = np.exp(Theta2[0] + hidden @ Theta2[1:])\n"
        "    return e / e.sum(axis=-1, keepdims=True)\n",
        "fails": ["probs-tests", "probs-hidden"],
    },
    {
        "name": "normalising over all entries of a batch (no axis)",
        "cell": "probs-solution",
        "source": _PROBS_HEAD + "    scores = Theta2[0] + hidden @ Theta2[1:]\n"
        "    e = np.exp(scores - scores.max())\n"
        "    return e / e.sum()\n",
        "fails": ["probs-tests", "probs-hidden"],
    },
    {
        "name": "softmax over the images (axis 0) of a batch",
        "cell": "probs-solution",
        "source": _PROBS_HEAD + "    scores = Theta2[0] + hidden @ Theta2[1:]\n"
        "    e = np.exp(scores - scores.max(axis=0, keepdims=True))\n"
        "    return e / e.sum(axis=0, keepdims=True)\n",
        "fails": ["probs-tests", "probs-hidden"],
    },
    # ---------------------------------------------------------------- task 4: class_mean_activations
    {
        "name": "summing instead of averaging",
        "cell": "means-solution",
        "source": _MEANS_HEAD
        + "    return np.array([hidden[y == k].sum(axis=0) for k in range(n_classes)])\n",
        "fails": ["means-tests", "means-hidden"],
    },
    {
        "name": "returning (H, K) instead of (K, H)",
        "cell": "means-solution",
        "source": _MEANS_HEAD
        + "    return np.array([hidden[y == k].mean(axis=0) for k in range(n_classes)]).T\n",
        "fails": ["means-tests", "means-hidden"],
    },
    {
        "name": "dividing every class sum by N",
        "cell": "means-solution",
        "source": _MEANS_HEAD
        + "    return np.array([hidden[y == k].sum(axis=0) for k in range(n_classes)]) / len(y)\n",
        "fails": ["means-tests", "means-hidden"],
    },
    {
        "name": "averaging over the units instead of the images",
        "cell": "means-solution",
        "source": _MEANS_HEAD
        + "    return np.array([hidden[y == k].mean(axis=1) for k in range(n_classes)])\n",
        "fails": ["means-tests", "means-hidden"],
    },
    {
        "name": "taking the first n_classes images instead of grouping by label",
        "cell": "means-solution",
        "source": _MEANS_HEAD + "    return hidden[:n_classes].copy()\n",
        "fails": ["means-tests", "means-hidden"],
    },
    # ---------------------------------------------------------------- task 5: top_units
    {
        "name": "argsort ascending (smallest contributions first)",
        "cell": "top-solution",
        "source": _TOP_HEAD + "    contribution = Theta2[1:, class_index] * mean_act[class_index]\n"
        "    return np.argsort(contribution)[:k]\n",
        "fails": ["top-tests", "top-hidden"],
    },
    {
        "name": "the k largest, but in ascending order",
        "cell": "top-solution",
        "source": _TOP_HEAD + "    contribution = Theta2[1:, class_index] * mean_act[class_index]\n"
        "    return np.argsort(contribution)[-k:]\n",
        "fails": ["top-tests", "top-hidden"],
    },
    {
        "name": "not skipping the bias row (Theta2[:-1])",
        "cell": "top-solution",
        "source": _TOP_HEAD + "    contribution = Theta2[:-1, class_index] * mean_act[class_index]\n"
        "    return np.argsort(-contribution)[:k]\n",
        "fails": ["top-tests", "top-hidden"],
    },
    {
        "name": "ranking by the output weights alone",
        "cell": "top-solution",
        "source": _TOP_HEAD + "    return np.argsort(-Theta2[1:, class_index])[:k]\n",
        "fails": ["top-tests", "top-hidden"],
    },
    {
        "name": "ranking by the mean activations alone",
        "cell": "top-solution",
        "source": _TOP_HEAD + "    return np.argsort(-mean_act[class_index])[:k]\n",
        "fails": ["top-tests", "top-hidden"],
    },
    {
        "name": "ranking by the absolute contribution",
        "cell": "top-solution",
        "source": _TOP_HEAD + "    contribution = Theta2[1:, class_index] * mean_act[class_index]\n"
        "    return np.argsort(-np.abs(contribution))[:k]\n",
        "fails": ["top-tests", "top-hidden"],
    },
    {
        "name": "returning the contributions instead of the indices",
        "cell": "top-solution",
        "source": _TOP_HEAD + "    contribution = Theta2[1:, class_index] * mean_act[class_index]\n"
        "    return np.sort(contribution)[::-1][:k]\n",
        "fails": ["top-tests", "top-hidden"],
    },
]

# ------------------------------------------------------------------------------------------------
# New entries (issue 14): mistakes of the kinds that escaped an independent examiner, written before
# the hidden tests were strengthened. "new": True marks them; "fails" names the task's visible and
# hidden test cells.
# ------------------------------------------------------------------------------------------------

_ACT_FAILS = ["activations-tests", "activations-hidden"]
_IMAGE_FAILS = ["image-tests", "image-hidden"]
_PROBS_FAILS = ["probs-tests", "probs-hidden"]
_MEANS_FAILS = ["means-tests", "means-hidden"]
_TOP_FAILS = ["top-tests", "top-hidden"]

MISTAKES += [
    # ---------------------------------------------------------------- task 1: hidden_activations
    {
        "name": "sigmoid written as exp(z) / (1 + exp(z)) (NaN for scores above about 710)",
        "new": True,
        "cell": "activations-solution",
        "source": _HIDDEN_HEAD + "    e = np.exp(Theta1[0] + X @ Theta1[1:])\n    return e / (1.0 + e)\n",
        "fails": _ACT_FAILS,
    },
    {
        "name": "np.squeeze on the result (a batch of one image comes back as (H,))",
        "new": True,
        "cell": "activations-solution",
        "source": _HIDDEN_HEAD
        + "    return np.squeeze(1.0 / (1.0 + np.exp(-(Theta1[0] + X @ Theta1[1:]))))\n",
        "fails": _ACT_FAILS,
    },
    {
        "name": "bias column added with np.hstack, which only works for a batch",
        "new": True,
        "cell": "activations-solution",
        "source": _HIDDEN_HEAD + "    with_bias = np.hstack([np.ones((X.shape[0], 1)), X])\n"
        "    return 1.0 / (1.0 + np.exp(-(with_bias @ Theta1)))\n",
        "fails": _ACT_FAILS,
    },
    # ---------------------------------------------------------------- task 2: weight_image
    {
        "name": "a unit whose pixel weights are all 0 gives NaN (0 / 0) instead of a blank picture",
        "new": True,
        "cell": "image-solution",
        "source": _IMAGE_HEAD + "    w = np.asarray(Theta1, dtype=float)[1:, unit]\n"
        "    with np.errstate(invalid='ignore', divide='ignore'):\n"
        "        return w.reshape(28, 28) / np.max(np.abs(w))\n",
        "fails": _IMAGE_FAILS,
    },
    {
        "name": "normalising by the largest absolute weight of all units",
        "new": True,
        "cell": "image-solution",
        "source": _IMAGE_HEAD + "    Theta1 = np.asarray(Theta1, dtype=float)\n"
        "    return Theta1[1:, unit].reshape(28, 28) / np.abs(Theta1[1:]).max()\n",
        "fails": _IMAGE_FAILS,
    },
    {
        "name": "picture written into np.zeros_like(the column): integer weights give an integer picture",
        "new": True,
        "cell": "image-solution",
        "source": _IMAGE_HEAD + "    w = np.asarray(Theta1)[1:, unit]\n"
        "    image = np.zeros_like(w)\n"
        "    image[:] = w / np.max(np.abs(w))\n"
        "    return image.reshape(28, 28)\n",
        "fails": _IMAGE_FAILS,
    },
    # ---------------------------------------------------------------- task 3: output_probabilities
    {
        "name": "softmax shifted by the largest score of the whole batch, not of each row",
        "new": True,
        "cell": "probs-solution",
        "source": _PROBS_HEAD + "    scores = Theta2[0] + hidden @ Theta2[1:]\n"
        "    e = np.exp(scores - scores.max())\n"
        "    return e / e.sum(axis=-1, keepdims=True)\n",
        "fails": _PROBS_FAILS,
    },
    {
        "name": "np.squeeze on the result (a batch of one comes back as (K,))",
        "new": True,
        "cell": "probs-solution",
        "source": _PROBS_HEAD + "    scores = Theta2[0] + hidden @ Theta2[1:]\n"
        "    e = np.exp(scores - scores.max(axis=-1, keepdims=True))\n"
        "    return np.squeeze(e / e.sum(axis=-1, keepdims=True))\n",
        "fails": _PROBS_FAILS,
    },
    {
        "name": "probabilities in float32 (to save memory)",
        "new": True,
        "cell": "probs-solution",
        "source": _PROBS_HEAD + "    scores = (Theta2[0] + hidden @ Theta2[1:]).astype(np.float32)\n"
        "    e = np.exp(scores - scores.max(axis=-1, keepdims=True))\n"
        "    return e / e.sum(axis=-1, keepdims=True)\n",
        "fails": _PROBS_FAILS,
    },
    # ---------------------------------------------------------------- task 4: class_mean_activations
    {
        "name": "one row per class present in y (np.unique), so an absent class loses its row",
        "new": True,
        "cell": "means-solution",
        "source": _MEANS_HEAD + "    return np.array([hidden[y == k].mean(axis=0) for k in np.unique(y)])\n",
        "fails": _MEANS_FAILS,
    },
    {
        "name": "number of classes taken from y.max() + 1 instead of the argument",
        "new": True,
        "cell": "means-solution",
        "source": _MEANS_HEAD
        + "    return np.array([hidden[y == k].mean(axis=0) for k in range(y.max() + 1)])\n",
        "fails": _MEANS_FAILS,
    },
    {
        "name": "reads the notebook's y_val instead of the argument y",
        "new": True,
        "cell": "means-solution",
        "source": _MEANS_HEAD
        + "    return np.array([hidden[y_val == k].mean(axis=0) for k in range(n_classes)])\n",
        "fails": _MEANS_FAILS,
    },
    {
        "name": "an absent class gets a row of zeros instead of NaN",
        "new": True,
        "cell": "means-solution",
        "source": _MEANS_HEAD + "    onehot = np.eye(n_classes)[y]\n"
        "    return (onehot.T @ hidden) / np.maximum(onehot.sum(axis=0), 1)[:, None]\n",
        "fails": _MEANS_FAILS,
    },
    # ---------------------------------------------------------------- task 5: top_units
    {
        "name": "a Python list of indices instead of an array",
        "new": True,
        "cell": "top-solution",
        "source": _TOP_HEAD + "    contribution = Theta2[1:, class_index] * mean_act[class_index]\n"
        "    return [int(j) for j in np.argsort(-contribution)[:k]]\n",
        "fails": _TOP_FAILS,
    },
    {
        "name": "contributions multiplied into mean_act in place",
        "new": True,
        "cell": "top-solution",
        "source": _TOP_HEAD + "    contribution = mean_act[class_index]\n"
        "    contribution *= Theta2[1:, class_index]\n"
        "    return np.argsort(-contribution)[:k]\n",
        "fails": _TOP_FAILS,
    },
    {
        "name": "np.argpartition: the k largest, but not sorted",
        "new": True,
        "cell": "top-solution",
        "source": _TOP_HEAD + "    contribution = Theta2[1:, class_index] * mean_act[class_index]\n"
        "    return np.argpartition(-contribution, k - 1)[:k]\n",
        "fails": _TOP_FAILS,
    },
]

# ---------------------------------------------------------------- task 6: ablation_drop (new task)
_ABLATION_FAILS = ["ablation-tests", "ablation-hidden"]
_ABLATION_HEAD = (
    "def ablation_drop(Theta1, Theta2, X, y, fill):\n"
    "    A = hidden_activations(Theta1, X)\n"
    "    scores = Theta2[0] + A @ Theta2[1:]\n"
    "    y = np.asarray(y)\n"
    "    K = Theta2.shape[1]\n"
)
_PER_CLASS = (
    "    def per_class(predicted):\n"
    "        return np.array([np.mean(predicted[y == k] == k) for k in range(K)])\n"
)


def _ablation(
    frozen="scores + (fill[j] - A[:, j])[:, None] * Theta2[j + 1]",
    per_class=_PER_CLASS,
    result="full - per_class(frozen.argmax(axis=1))",
    head=_ABLATION_HEAD,
    shape="(A.shape[1], K)",
):
    """ablation_drop with one piece replaced."""
    return (
        head + per_class + "    full = per_class(scores.argmax(axis=1))\n"
        f"    drop = np.empty({shape})\n"
        "    for j in range(A.shape[1]):\n"
        f"        frozen = {frozen}\n"
        f"        drop[j] = {result}\n"
        "    return drop\n"
    )


MISTAKES += [
    {
        "name": "units switched off at 0 instead of frozen at fill[j]",
        "new": True,
        "cell": "ablation-solution",
        "source": _ablation(frozen="scores - A[:, j][:, None] * Theta2[j + 1]"),
        "fails": _ABLATION_FAILS,
    },
    {
        "name": "bias row not skipped (Theta2[j] instead of Theta2[j + 1])",
        "new": True,
        "cell": "ablation-solution",
        "source": _ablation(frozen="scores + (fill[j] - A[:, j])[:, None] * Theta2[j]"),
        "fails": _ABLATION_FAILS,
    },
    {
        "name": "difference the wrong way round (frozen minus full)",
        "new": True,
        "cell": "ablation-solution",
        "source": _ablation(result="per_class(frozen.argmax(axis=1)) - full"),
        "fails": _ABLATION_FAILS,
    },
    {
        "name": "overall accuracy drop repeated in every class's column",
        "new": True,
        "cell": "ablation-solution",
        "source": _ablation(
            per_class="    def per_class(predicted):\n        return np.full(K, np.mean(predicted == y))\n"
        ),
        "fails": _ABLATION_FAILS,
    },
    {
        "name": "per-class precision (of the images predicted as k) instead of per-class accuracy",
        "new": True,
        "cell": "ablation-solution",
        "source": _ablation(
            per_class="    def per_class(predicted):\n"
            "        return np.array([np.mean(y[predicted == k] == k) if np.any(predicted == k) "
            "else 0.0 for k in range(K)])\n"
        ),
        "fails": _ABLATION_FAILS,
    },
    {
        "name": "one-vs-rest accuracy ((predicted == k) == (y == k)) over all images",
        "new": True,
        "cell": "ablation-solution",
        "source": _ablation(
            per_class="    def per_class(predicted):\n"
            "        return np.array([np.mean((predicted == k) == (y == k)) for k in range(K)])\n"
        ),
        "fails": _ABLATION_FAILS,
    },
    {
        "name": "units frozen cumulatively (the activations changed in place and never restored)",
        "new": True,
        "cell": "ablation-solution",
        "source": _ABLATION_HEAD + _PER_CLASS + "    full = per_class(scores.argmax(axis=1))\n"
        "    drop = np.empty((A.shape[1], K))\n"
        "    for j in range(A.shape[1]):\n"
        "        A[:, j] = fill[j]\n"
        "        drop[j] = full - per_class((Theta2[0] + A @ Theta2[1:]).argmax(axis=1))\n"
        "    return drop\n",
        "fails": _ABLATION_FAILS,
    },
    {
        "name": "result transposed to (K, H)",
        "new": True,
        "cell": "ablation-solution",
        "source": _ablation(result="full - per_class(frozen.argmax(axis=1))").replace(
            "    return drop\n", "    return drop.T\n"
        ),
        "fails": _ABLATION_FAILS,
    },
    {
        "name": "per-class accuracy over the notebook's y_val instead of the argument y",
        "new": True,
        "cell": "ablation-solution",
        "source": _ablation(
            per_class="    def per_class(predicted):\n"
            "        return np.array([np.mean(predicted[y_val == k] == k) for k in range(K)])\n"
        ),
        "fails": _ABLATION_FAILS,
    },
    {
        "name": "images lost counted instead of the fraction of the class",
        "new": True,
        "cell": "ablation-solution",
        "source": _ablation(
            per_class="    def per_class(predicted):\n"
            "        return np.array([np.sum(predicted[y == k] == k) for k in range(K)], dtype=float)\n"
        ),
        "fails": _ABLATION_FAILS,
    },
]
