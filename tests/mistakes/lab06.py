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
     "cell": "hidden-solution",
     "source": _HIDDEN_HEAD + "    return Theta1[0] + X @ Theta1[1:]\n",
     "fails": ["hidden-tests"]},
    {"name": "ignoring the bias row",
     "cell": "hidden-solution",
     "source": _HIDDEN_HEAD + "    return 1.0 / (1.0 + np.exp(-(X @ Theta1[1:])))\n",
     "fails": ["hidden-tests"]},
    {"name": "bias 1 appended after the pixels instead of in front",
     "cell": "hidden-solution",
     "source": _HIDDEN_HEAD + "    scores = X @ Theta1[:-1] + Theta1[-1]\n"
                              "    return 1.0 / (1.0 + np.exp(-scores))\n",
     "fails": ["hidden-tests"]},
    {"name": "only works for one image (np.append flattens a batch)",
     "cell": "hidden-solution",
     "source": _HIDDEN_HEAD + "    return 1.0 / (1.0 + np.exp(-(np.append(1.0, X) @ Theta1)))\n",
     "fails": ["hidden-tests"]},
    {"name": "tanh instead of the sigmoid",
     "cell": "hidden-solution",
     "source": _HIDDEN_HEAD + "    return np.tanh(Theta1[0] + X @ Theta1[1:])\n",
     "fails": ["hidden-tests"]},
    {"name": "sigmoid with the wrong sign, 1 / (1 + exp(z))",
     "cell": "hidden-solution",
     "source": _HIDDEN_HEAD + "    return 1.0 / (1.0 + np.exp(Theta1[0] + X @ Theta1[1:]))\n",
     "fails": ["hidden-tests"]},

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
