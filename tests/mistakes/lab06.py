"""Typical wrong solutions of lab06 (interpreting the hidden weights), one entry per mistake.

Each entry replaces the solution cell ``cell`` of
solutions/lab06-interpreting-hidden-weights/lab06-interpreting-hidden-weights.ipynb by ``source``;
at least one of the graded test cells in ``fails`` must then fail (tests/test_nbgrader_labs.py).
"""

_HIDDEN_HEAD = "def hidden_activations(Theta1, X):\n    X = np.asarray(X, dtype=float)\n"
_IMAGE_HEAD = "def weight_image(Theta1, unit):\n"
_PROBS_HEAD = "def output_probabilities(Theta2, hidden):\n    hidden = np.asarray(hidden, dtype=float)\n"
_MEANS_HEAD = ("def class_mean_activations(hidden, y, n_classes):\n"
               "    hidden = np.asarray(hidden, dtype=float)\n    y = np.asarray(y).reshape(-1)\n")
_TOP_HEAD = "def top_units(Theta2, mean_act, class_index, k):\n"

MISTAKES = [
    # ---------------------------------------------------------------- task 1: hidden_activations
    {"name": "forgetting the sigmoid (returning the scores z)",
     "cell": "activations-solution",
     "source": _HIDDEN_HEAD + "    return Theta1[0] + X @ Theta1[1:]\n",
     "fails": ["activations-tests"]},
    {"name": "ignoring the bias row",
     "cell": "activations-solution",
     "source": _HIDDEN_HEAD + "    return 1.0 / (1.0 + np.exp(-(X @ Theta1[1:])))\n",
     "fails": ["activations-tests"]},
    {"name": "bias 1 appended after the pixels instead of in front",
     "cell": "activations-solution",
     "source": _HIDDEN_HEAD + "    scores = X @ Theta1[:-1] + Theta1[-1]\n"
                              "    return 1.0 / (1.0 + np.exp(-scores))\n",
     "fails": ["activations-tests"]},
    {"name": "only works for one image (np.append flattens a batch)",
     "cell": "activations-solution",
     "source": _HIDDEN_HEAD + "    return 1.0 / (1.0 + np.exp(-(np.append(1.0, X) @ Theta1)))\n",
     "fails": ["activations-tests"]},
    {"name": "tanh instead of the sigmoid",
     "cell": "activations-solution",
     "source": _HIDDEN_HEAD + "    return np.tanh(Theta1[0] + X @ Theta1[1:])\n",
     "fails": ["activations-tests"]},
    {"name": "sigmoid with the wrong sign, 1 / (1 + exp(z))",
     "cell": "activations-solution",
     "source": _HIDDEN_HEAD + "    return 1.0 / (1.0 + np.exp(Theta1[0] + X @ Theta1[1:]))\n",
     "fails": ["activations-tests"]},

    # ---------------------------------------------------------------- task 2: weight_image
    {"name": "keeping the bias and dropping the last pixel weight",
     "cell": "image-solution",
     "source": _IMAGE_HEAD + "    w = np.asarray(Theta1, dtype=float)[:784, unit]\n"
                             "    return w.reshape(28, 28) / np.max(np.abs(w))\n",
     "fails": ["image-tests"]},
    {"name": "normalising by the largest weight including the bias",
     "cell": "image-solution",
     "source": _IMAGE_HEAD + "    column = np.asarray(Theta1, dtype=float)[:, unit]\n"
                             "    return column[1:].reshape(28, 28) / np.max(np.abs(column))\n",
     "fails": ["image-tests"]},
    {"name": "reshaping in Fortran (column) order",
     "cell": "image-solution",
     "source": _IMAGE_HEAD + "    w = np.asarray(Theta1, dtype=float)[1:, unit]\n"
                             "    return w.reshape(28, 28, order='F') / np.max(np.abs(w))\n",
     "fails": ["image-tests"]},
    {"name": "min-max scaling to [0, 1] instead of keeping the sign",
     "cell": "image-solution",
     "source": _IMAGE_HEAD + "    w = np.asarray(Theta1, dtype=float)[1:, unit]\n"
                             "    return ((w - w.min()) / (w.max() - w.min())).reshape(28, 28)\n",
     "fails": ["image-tests"]},
    {"name": "dividing by the largest weight instead of the largest absolute weight",
     "cell": "image-solution",
     "source": _IMAGE_HEAD + "    w = np.asarray(Theta1, dtype=float)[1:, unit]\n"
                             "    return w.reshape(28, 28) / w.max()\n",
     "fails": ["image-tests"]},
    {"name": "no normalisation at all",
     "cell": "image-solution",
     "source": _IMAGE_HEAD + "    return np.asarray(Theta1, dtype=float)[1:, unit].reshape(28, 28)\n",
     "fails": ["image-tests"]},
    {"name": "absolute values (sign lost)",
     "cell": "image-solution",
     "source": _IMAGE_HEAD + "    w = np.abs(np.asarray(Theta1, dtype=float)[1:, unit])\n"
                             "    return w.reshape(28, 28) / w.max()\n",
     "fails": ["image-tests"]},
    {"name": "normalising Theta1 in place",
     "cell": "image-solution",
     "source": _IMAGE_HEAD + "    w = Theta1[1:, unit]\n    w /= np.max(np.abs(w))\n"
                             "    return w.reshape(28, 28)\n",
     "fails": ["image-tests"]},

    # ---------------------------------------------------------------- task 3: output_probabilities
    {"name": "sigmoid outputs instead of the softmax",
     "cell": "probs-solution",
     "source": _PROBS_HEAD + "    return 1.0 / (1.0 + np.exp(-(Theta2[0] + hidden @ Theta2[1:])))\n",
     "fails": ["probs-tests"]},
    {"name": "forgetting the output bias",
     "cell": "probs-solution",
     "source": _PROBS_HEAD + "    scores = hidden @ Theta2[1:]\n"
                             "    e = np.exp(scores - scores.max(axis=-1, keepdims=True))\n"
                             "    return e / e.sum(axis=-1, keepdims=True)\n",
     "fails": ["probs-tests"]},
    {"name": "softmax without subtracting the maximum (overflow)",
     "cell": "probs-solution",
     "source": _PROBS_HEAD + "    e = np.exp(Theta2[0] + hidden @ Theta2[1:])\n"
                             "    return e / e.sum(axis=-1, keepdims=True)\n",
     "fails": ["probs-tests"]},
    {"name": "normalising over all entries of a batch (no axis)",
     "cell": "probs-solution",
     "source": _PROBS_HEAD + "    scores = Theta2[0] + hidden @ Theta2[1:]\n"
                             "    e = np.exp(scores - scores.max())\n"
                             "    return e / e.sum()\n",
     "fails": ["probs-tests"]},
    {"name": "softmax over the images (axis 0) of a batch",
     "cell": "probs-solution",
     "source": _PROBS_HEAD + "    scores = Theta2[0] + hidden @ Theta2[1:]\n"
                             "    e = np.exp(scores - scores.max(axis=0, keepdims=True))\n"
                             "    return e / e.sum(axis=0, keepdims=True)\n",
     "fails": ["probs-tests"]},

    # ---------------------------------------------------------------- task 4: class_mean_activations
    {"name": "summing instead of averaging",
     "cell": "means-solution",
     "source": _MEANS_HEAD + "    return np.array([hidden[y == k].sum(axis=0) for k in range(n_classes)])\n",
     "fails": ["means-tests"]},
    {"name": "returning (H, K) instead of (K, H)",
     "cell": "means-solution",
     "source": _MEANS_HEAD + "    return np.array([hidden[y == k].mean(axis=0) for k in range(n_classes)]).T\n",
     "fails": ["means-tests"]},
    {"name": "dividing every class sum by N",
     "cell": "means-solution",
     "source": _MEANS_HEAD + "    return np.array([hidden[y == k].sum(axis=0) for k in range(n_classes)]) / len(y)\n",
     "fails": ["means-tests"]},
    {"name": "averaging over the units instead of the images",
     "cell": "means-solution",
     "source": _MEANS_HEAD + "    return np.array([hidden[y == k].mean(axis=1) for k in range(n_classes)])\n",
     "fails": ["means-tests"]},
    {"name": "taking the first n_classes images instead of grouping by label",
     "cell": "means-solution",
     "source": _MEANS_HEAD + "    return hidden[:n_classes].copy()\n",
     "fails": ["means-tests"]},

    # ---------------------------------------------------------------- task 5: top_units
    {"name": "argsort ascending (smallest contributions first)",
     "cell": "top-solution",
     "source": _TOP_HEAD + "    contribution = Theta2[1:, class_index] * mean_act[class_index]\n"
                           "    return np.argsort(contribution)[:k]\n",
     "fails": ["top-tests"]},
    {"name": "the k largest, but in ascending order",
     "cell": "top-solution",
     "source": _TOP_HEAD + "    contribution = Theta2[1:, class_index] * mean_act[class_index]\n"
                           "    return np.argsort(contribution)[-k:]\n",
     "fails": ["top-tests"]},
    {"name": "not skipping the bias row (Theta2[:-1])",
     "cell": "top-solution",
     "source": _TOP_HEAD + "    contribution = Theta2[:-1, class_index] * mean_act[class_index]\n"
                           "    return np.argsort(-contribution)[:k]\n",
     "fails": ["top-tests"]},
    {"name": "ranking by the output weights alone",
     "cell": "top-solution",
     "source": _TOP_HEAD + "    return np.argsort(-Theta2[1:, class_index])[:k]\n",
     "fails": ["top-tests"]},
    {"name": "ranking by the mean activations alone",
     "cell": "top-solution",
     "source": _TOP_HEAD + "    return np.argsort(-mean_act[class_index])[:k]\n",
     "fails": ["top-tests"]},
    {"name": "ranking by the absolute contribution",
     "cell": "top-solution",
     "source": _TOP_HEAD + "    contribution = Theta2[1:, class_index] * mean_act[class_index]\n"
                           "    return np.argsort(-np.abs(contribution))[:k]\n",
     "fails": ["top-tests"]},
    {"name": "returning the contributions instead of the indices",
     "cell": "top-solution",
     "source": _TOP_HEAD + "    contribution = Theta2[1:, class_index] * mean_act[class_index]\n"
                           "    return np.sort(contribution)[::-1][:k]\n",
     "fails": ["top-tests"]},
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
    {"name": "sigmoid written as exp(z) / (1 + exp(z)) (NaN for scores above about 710)",
     "new": True, "cell": "activations-solution",
     "source": _HIDDEN_HEAD + "    e = np.exp(Theta1[0] + X @ Theta1[1:])\n    return e / (1.0 + e)\n",
     "fails": _ACT_FAILS},
    {"name": "np.squeeze on the result (a batch of one image comes back as (H,))",
     "new": True, "cell": "activations-solution",
     "source": _HIDDEN_HEAD + "    return np.squeeze(1.0 / (1.0 + np.exp(-(Theta1[0] + X @ Theta1[1:]))))\n",
     "fails": _ACT_FAILS},
    {"name": "bias column added with np.hstack, which only works for a batch",
     "new": True, "cell": "activations-solution",
     "source": _HIDDEN_HEAD + "    with_bias = np.hstack([np.ones((X.shape[0], 1)), X])\n"
                              "    return 1.0 / (1.0 + np.exp(-(with_bias @ Theta1)))\n",
     "fails": _ACT_FAILS},

    # ---------------------------------------------------------------- task 2: weight_image
    {"name": "a unit whose pixel weights are all 0 gives NaN (0 / 0) instead of a blank picture",
     "new": True, "cell": "image-solution",
     "source": _IMAGE_HEAD + "    w = np.asarray(Theta1, dtype=float)[1:, unit]\n"
                             "    with np.errstate(invalid='ignore', divide='ignore'):\n"
                             "        return w.reshape(28, 28) / np.max(np.abs(w))\n",
     "fails": _IMAGE_FAILS},
    {"name": "normalising by the largest absolute weight of all units",
     "new": True, "cell": "image-solution",
     "source": _IMAGE_HEAD + "    Theta1 = np.asarray(Theta1, dtype=float)\n"
                             "    return Theta1[1:, unit].reshape(28, 28) / np.abs(Theta1[1:]).max()\n",
     "fails": _IMAGE_FAILS},
    {"name": "picture written into np.zeros_like(the column): integer weights give an integer picture",
     "new": True, "cell": "image-solution",
     "source": _IMAGE_HEAD + "    w = np.asarray(Theta1)[1:, unit]\n"
                             "    image = np.zeros_like(w)\n"
                             "    image[:] = w / np.max(np.abs(w))\n"
                             "    return image.reshape(28, 28)\n",
     "fails": _IMAGE_FAILS},

    # ---------------------------------------------------------------- task 3: output_probabilities
    {"name": "softmax shifted by the largest score of the whole batch, not of each row",
     "new": True, "cell": "probs-solution",
     "source": _PROBS_HEAD + "    scores = Theta2[0] + hidden @ Theta2[1:]\n"
                             "    e = np.exp(scores - scores.max())\n"
                             "    return e / e.sum(axis=-1, keepdims=True)\n",
     "fails": _PROBS_FAILS},
    {"name": "np.squeeze on the result (a batch of one comes back as (K,))",
     "new": True, "cell": "probs-solution",
     "source": _PROBS_HEAD + "    scores = Theta2[0] + hidden @ Theta2[1:]\n"
                             "    e = np.exp(scores - scores.max(axis=-1, keepdims=True))\n"
                             "    return np.squeeze(e / e.sum(axis=-1, keepdims=True))\n",
     "fails": _PROBS_FAILS},
    {"name": "probabilities in float32 (to save memory)",
     "new": True, "cell": "probs-solution",
     "source": _PROBS_HEAD + "    scores = (Theta2[0] + hidden @ Theta2[1:]).astype(np.float32)\n"
                             "    e = np.exp(scores - scores.max(axis=-1, keepdims=True))\n"
                             "    return e / e.sum(axis=-1, keepdims=True)\n",
     "fails": _PROBS_FAILS},

    # ---------------------------------------------------------------- task 4: class_mean_activations
    {"name": "one row per class present in y (np.unique), so an absent class loses its row",
     "new": True, "cell": "means-solution",
     "source": _MEANS_HEAD + "    return np.array([hidden[y == k].mean(axis=0) for k in np.unique(y)])\n",
     "fails": _MEANS_FAILS},
    {"name": "number of classes taken from y.max() + 1 instead of the argument",
     "new": True, "cell": "means-solution",
     "source": _MEANS_HEAD + "    return np.array([hidden[y == k].mean(axis=0) for k in range(y.max() + 1)])\n",
     "fails": _MEANS_FAILS},
    {"name": "reads the notebook's y_val instead of the argument y",
     "new": True, "cell": "means-solution",
     "source": _MEANS_HEAD + "    return np.array([hidden[y_val == k].mean(axis=0) for k in range(n_classes)])\n",
     "fails": _MEANS_FAILS},
    {"name": "an absent class gets a row of zeros instead of NaN",
     "new": True, "cell": "means-solution",
     "source": _MEANS_HEAD + "    onehot = np.eye(n_classes)[y]\n"
                             "    return (onehot.T @ hidden) / np.maximum(onehot.sum(axis=0), 1)[:, None]\n",
     "fails": _MEANS_FAILS},

    # ---------------------------------------------------------------- task 5: top_units
    {"name": "a Python list of indices instead of an array",
     "new": True, "cell": "top-solution",
     "source": _TOP_HEAD + "    contribution = Theta2[1:, class_index] * mean_act[class_index]\n"
                           "    return [int(j) for j in np.argsort(-contribution)[:k]]\n",
     "fails": _TOP_FAILS},
    {"name": "contributions multiplied into mean_act in place",
     "new": True, "cell": "top-solution",
     "source": _TOP_HEAD + "    contribution = mean_act[class_index]\n"
                           "    contribution *= Theta2[1:, class_index]\n"
                           "    return np.argsort(-contribution)[:k]\n",
     "fails": _TOP_FAILS},
    {"name": "np.argpartition: the k largest, but not sorted",
     "new": True, "cell": "top-solution",
     "source": _TOP_HEAD + "    contribution = Theta2[1:, class_index] * mean_act[class_index]\n"
                           "    return np.argpartition(-contribution, k - 1)[:k]\n",
     "fails": _TOP_FAILS},
]
