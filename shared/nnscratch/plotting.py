"""Plots used throughout the course: decision boundaries, training curves, image grids, weights.

Rules every function here follows, so that notebooks stay predictable:

- It draws on the ``ax`` (or ``fig``) you pass. Without one it creates a new figure for itself; it never
  draws on "the current axes", never reads notebook globals and never changes ``rcParams``.
- It returns what it drew on: the ``Axes`` for single plots, the ``Figure`` for grids of images.
- Data are passed in explicitly; shapes are checked and a wrong shape is an error that says what to pass.

Shapes: N samples, K classes, H hidden units; images are (N, 28, 28) or flattened (N, 784).
"""

from collections.abc import Mapping

import numpy as np
from matplotlib import colors

from nnscratch._checks import (
    as_generator,
    as_labels,
    check_2d,
    check_choice,
    check_labels,
    check_positive_int,
    check_same_length,
)

__all__ = [
    "plot_points",
    "decision_grid",
    "plot_decision_boundary",
    "plot_loss_curves",
    "plot_accuracy_curves",
    "plot_history",
    "plot_image_grid",
    "plot_misclassified",
    "plot_weight_images",
    "plot_confusion_matrix",
]


# --------------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------------


def _new_axes(ax, figsize=(5, 4)):
    """Return ax, or the axes of a new figure when ax is None (pyplot only creates; state untouched)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _new_figure(fig, figsize):
    if fig is not None:
        return fig
    import matplotlib.pyplot as plt

    return plt.figure(figsize=figsize, layout="constrained")


def _colour_blind_safe_palette():
    """Ten categorical colours that stay distinct for colour-blind readers.

    matplotlib's "petroff10" (Petroff 2021, chosen with colour-vision-deficiency simulations and a
    survey of readers; matplotlib 3.10 and later), else the eight Okabe-Ito colours.
    """
    from matplotlib import style

    petroff = style.library.get("petroff10", {}).get("axes.prop_cycle")
    if petroff is not None:
        return tuple(petroff.by_key()["color"])
    return ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")


#: Colours of classes 0, 1, 2, ... in every plot of this module (see _colour_blind_safe_palette).
CLASS_COLORS = _colour_blind_safe_palette()


def _class_colors(n_classes):
    """A discrete colormap with one clearly different colour per class, and the matching norm.

    Up to len(CLASS_COLORS) classes get the colour-blind-safe palette; more classes get viridis,
    perceptually uniform, cut into n_classes steps.
    """
    if n_classes <= len(CLASS_COLORS):
        cmap = colors.ListedColormap([colors.to_rgb(c) for c in CLASS_COLORS[: max(n_classes, 1)]])
    else:
        from matplotlib import colormaps

        cmap = colormaps["viridis"].resampled(n_classes)
    # class k occupies the interval [k - 0.5, k + 0.5), so integer labels land in the middle of a colour
    norm = colors.BoundaryNorm(np.arange(n_classes + 1) - 0.5, cmap.N)
    return cmap, norm


def _model_outputs(model, X):
    """Scores of a model or function on X as an (N, K) or (N,) array.

    Accepts a plain function ``f(X)``, an nnscratch Sequential (``predict_proba``/``forward``) or a
    scikit-learn estimator (``predict_proba``, else ``predict``).
    """
    if hasattr(model, "predict_proba"):
        out = model.predict_proba(X)
    elif hasattr(model, "forward"):
        out = model.forward(X)
    elif hasattr(model, "predict"):
        out = model.predict(X)
    elif callable(model):
        out = model(X)
    else:
        raise TypeError(
            f"model must be a model (with predict_proba, forward or predict) or a function f(X), "
            f"got {type(model).__name__}."
        )
    out = np.asarray(out)
    if out.ndim == 2 and out.shape[1] == 1:
        out = out[:, 0]
    if out.ndim not in (1, 2) or out.shape[0] != X.shape[0]:
        raise ValueError(
            f"the model returned shape {out.shape} for {X.shape[0]} points; expected one value per point "
            f"(N,) or one score per class (N, K)."
        )
    return out


def _image_side(n_pixels, image_shape):
    if image_shape is not None:
        if int(np.prod(image_shape)) != n_pixels:
            raise ValueError(f"image_shape {tuple(image_shape)} does not hold {n_pixels} pixels.")
        return tuple(image_shape)
    side = int(round(np.sqrt(n_pixels)))
    if side * side != n_pixels:
        raise ValueError(
            f"cannot guess the image shape of {n_pixels} pixels (not a square number); "
            f"pass image_shape=(height, width)."
        )
    return (side, side)


def _as_images(images, image_shape=None, name="images"):
    """(N, H, W) or flattened (N, H*W) -> (N, H, W)."""
    images = np.asarray(images)
    if images.ndim == 3:
        return images
    if images.ndim == 2:
        return images.reshape(len(images), *_image_side(images.shape[1], image_shape))
    if images.ndim == 1:
        raise ValueError(
            f"{name} has shape {images.shape}, which is a single flattened image; "
            f"wrap it as {name}[None] (shape (1, {images.shape[0]})) to plot it."
        )
    raise ValueError(f"{name} must have shape (N, height, width) or (N, pixels), got {images.shape}.")


def _grid_shape(n, nrows, ncols, max_cols=8):
    if nrows is None and ncols is None:
        ncols = min(n, max_cols)
    if ncols is None:
        ncols = int(np.ceil(n / nrows))
    if nrows is None:
        nrows = int(np.ceil(n / ncols))
    for value, name in ((nrows, "nrows"), (ncols, "ncols")):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive whole number, got {value!r}.")
    if nrows * ncols < n:
        raise ValueError(
            f"a grid of {nrows} x {ncols} has room for {nrows * ncols} images, but {n} were given; "
            f"pass fewer images (e.g. images[:{nrows * ncols}]) or a bigger grid."
        )
    return int(nrows), int(ncols)


def _image_axes(fig, n, nrows, ncols):
    """A grid of axes on fig without ticks; places after the n-th are switched off."""
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    for i, ax in enumerate(axes):
        ax.set_xticks([])
        ax.set_yticks([])
        if i >= n:
            ax.set_axis_off()
    return axes


# --------------------------------------------------------------------------------------------------
# 2-D data and decision boundaries
# --------------------------------------------------------------------------------------------------


def _check_names(class_names, *labels):
    """Raise if some label has no entry in class_names (labels: arrays of checked int labels)."""
    if class_names is None:
        return
    top = max((int(y.max()) for y in labels if y.size), default=-1)
    if top >= len(class_names):
        raise ValueError(
            f"labels go up to {top} but only {len(class_names)} class_names were given; "
            f"give one name per class."
        )


def plot_points(X, y, *, ax=None, class_names=None, s=15, equal=True, legend=True):
    """Scatter 2-D points coloured by class.

    X : (N, 2) points; y : (N,) integer labels. Returns the Axes.
    """
    X = check_2d(X)
    if X.shape[1] != 2:
        raise ValueError(f"X must have 2 columns (x1, x2) to be drawn in the plane, got shape {X.shape}.")
    y = check_labels(y)
    _check_names(class_names, y)  # otherwise points of unnamed classes would silently be left out
    check_same_length(X, y)
    ax = _new_axes(ax)
    n_classes = int(y.max()) + 1 if class_names is None else len(class_names)
    cmap, norm = _class_colors(n_classes)
    for k in range(n_classes):
        mask = y == k
        if mask.any():
            label = class_names[k] if class_names is not None else str(k)
            ax.scatter(
                X[mask, 0], X[mask, 1], s=s, color=cmap(norm(k)), edgecolors="k", linewidths=0.3, label=label
            )
    if legend and n_classes <= 10:
        ax.legend(title="class", fontsize="small", loc="best")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if equal:
        ax.set_aspect("equal", adjustable="datalim")
    return ax


def decision_grid(model, X, *, kind="categorical", resolution=200, padding=0.1, n_classes=None):
    """Evaluate a model on a regular grid covering X: what plot_decision_boundary colours.

    Returns xx, yy (resolution, resolution) grid coordinates and z (resolution, resolution): predicted
    classes (kind "categorical" or "rounded") or raw outputs ("continuous"). See plot_decision_boundary.
    """
    check_choice(kind, "kind", ("categorical", "continuous", "rounded"))
    X = check_2d(X)
    if X.shape[1] != 2:
        raise ValueError(
            f"a decision boundary can only be drawn for 2-D inputs, but X has shape {X.shape} "
            f"({X.shape[1]} features)."
        )
    if isinstance(resolution, bool) or not isinstance(resolution, (int, np.integer)) or resolution < 2:
        raise ValueError(f"resolution must be a whole number >= 2, got {resolution!r}.")
    low, high = X.min(axis=0), X.max(axis=0)
    margin = padding * np.where(high > low, high - low, 1.0)
    xs = np.linspace(low[0] - margin[0], high[0] + margin[0], resolution)
    ys = np.linspace(low[1] - margin[1], high[1] + margin[1], resolution)
    xx, yy = np.meshgrid(xs, ys)
    out = _model_outputs(model, np.column_stack([xx.ravel(), yy.ravel()]))
    if kind == "categorical":
        z = out.argmax(axis=1) if out.ndim == 2 else (out >= 0.5).astype(np.int64)
    else:
        if out.ndim == 2:
            raise ValueError(
                f"kind={kind!r} needs one number per point, but the model returns {out.shape[1]} scores per "
                f"point; use kind='categorical' for class scores."
            )
        z = out
        if kind == "rounded":
            # without n_classes the rounding is only clipped below: class numbers start at 0
            z = np.clip(np.rint(out), 0, None if n_classes is None else n_classes - 1)
    return xx, yy, z.reshape(xx.shape)


def plot_decision_boundary(
    model,
    X,
    y,
    *,
    ax=None,
    kind="categorical",
    resolution=200,
    padding=0.1,
    n_classes=None,
    s=12,
    title=None,
    equal=True,
):
    """Colour the plane by the model's prediction and draw the data points on top.

    Parameters
    ----------
    model : a trained model (nnscratch Sequential or scikit-learn estimator) or a function f(X) -> scores.
        It is evaluated on a resolution x resolution grid of points covering X.
    X : (N, 2) points; y : (N,) integer labels used to colour the points (pass predictions to show those)
    kind : how to turn the model output into colours
        "categorical"  output (N, K) class scores -> argmax; a single column (N,) is a probability,
                       thresholded at 0.5 (binary classification)
        "continuous"   output (N,) one number per point, shown on a colour scale with a colour bar
                       (the "classification as regression" view)
        "rounded"      output (N,) rounded to the nearest class 0..K-1
    resolution : grid points per axis (200 -> 40,000 model evaluations)
    padding : margin around the data, as a fraction of its range
    n_classes : K, for the colours and the rounding; default: max(y) + 1 (or the largest predicted class + 1)

    Returns
    -------
    The Axes.
    """
    X = check_2d(X)
    y = check_labels(y)
    check_same_length(X, y)
    if n_classes is None and kind == "rounded":
        n_classes = int(y.max()) + 1
    xx, yy, z = decision_grid(
        model, X, kind=kind, resolution=resolution, padding=padding, n_classes=n_classes
    )
    if n_classes is None:
        n_classes = max(int(y.max()) + 1, int(z.max()) + 1 if kind == "categorical" else 2)
    ax = _new_axes(ax)
    xs, ys = xx[0], yy[:, 0]

    cmap, norm = _class_colors(n_classes)
    if kind == "continuous":
        from matplotlib import colormaps

        smooth = colormaps["viridis"]
        # the colour scale spans the classes, so colour means the same in the background and the points
        lim = colors.Normalize(vmin=min(0.0, float(z.min())), vmax=max(n_classes - 1.0, float(z.max())))
        filled = ax.contourf(xx, yy, z, levels=30, cmap=smooth, norm=lim, alpha=0.6)
        ax.figure.colorbar(filled, ax=ax, label="model output")
        ax.scatter(X[:, 0], X[:, 1], c=y, cmap=smooth, norm=lim, s=s, edgecolors="k", linewidths=0.3)
    else:
        ax.contourf(xx, yy, z, levels=np.arange(n_classes + 1) - 0.5, cmap=cmap, norm=norm, alpha=0.35)
        ax.scatter(X[:, 0], X[:, 1], c=y, cmap=cmap, norm=norm, s=s, edgecolors="k", linewidths=0.3)
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if equal:
        ax.set_aspect("equal", adjustable="box")
    if title is not None:
        ax.set_title(title)
    return ax


# --------------------------------------------------------------------------------------------------
# Training curves
# --------------------------------------------------------------------------------------------------


def _history_dict(obj):
    """A History object, or its .history dict, as a plain mapping; None if obj is neither."""
    inner = getattr(obj, "history", None)
    if isinstance(inner, Mapping):
        return inner
    if isinstance(obj, Mapping):
        return obj
    return None


def _per_epoch(values, label):
    """(epochs,) as is; (epochs, batches) averaged over the batches of each epoch."""
    values = np.asarray(values, dtype=np.float64)
    if values.ndim == 2:
        values = values.mean(axis=1)
    if values.ndim != 1:
        raise ValueError(
            f"{label}: expected one value per epoch (epochs,) or per batch (epochs, batches), "
            f"got shape {values.shape}."
        )
    return values


def _curves(obj, metric):
    """Turn what the student passes into {label: per-epoch values} for one metric ("loss"/"accuracy")."""
    hist = _history_dict(obj)
    if hist is not None and metric in hist:
        # one training run: the metric and, when present, its validation counterpart
        curves = {"training": _per_epoch(hist[metric], metric)}
        if f"val_{metric}" in hist and hist[f"val_{metric}"] is not None:
            curves["validation"] = _per_epoch(hist[f"val_{metric}"], f"val_{metric}")
        return curves
    if hist is not None and "loss" in hist:
        raise KeyError(f"this training history has no {metric!r}; it has {sorted(hist)}.")
    if hist is not None:
        # several runs to compare: {"Momentum": history, "Batching": array, ...}
        curves = {}
        for name, run in hist.items():
            run_hist = _history_dict(run)
            if run_hist is not None:
                if metric not in run_hist:
                    raise KeyError(f"run {name!r} has no {metric!r}; it has {sorted(run_hist)}.")
                run = run_hist[metric]
            curves[str(name)] = _per_epoch(run, str(name))
        if not curves:
            raise ValueError(f"nothing to plot: the dictionary of {metric} curves is empty.")
        return curves
    return {metric: _per_epoch(obj, metric)}


def _plot_curves(obj, metric, ax, title, logy, ylabel):
    ax = _new_axes(ax)
    for label, values in _curves(obj, metric).items():
        epochs = np.arange(1, len(values) + 1)
        ax.plot(epochs, values, label=label, marker="o" if len(values) == 1 else None)
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    if logy:
        ax.set_yscale("log")
    if len(ax.get_lines()) > 1:
        ax.legend()
    if title is not None:
        ax.set_title(title)
    return ax


def plot_loss_curves(history, *, ax=None, title=None, logy=False):
    """Loss per epoch.

    history : a History returned by ``fit`` (or its ``.history`` dict): plots "loss" and, if present,
        "val_loss"; or a dict {label: History or array} to compare several runs; or one array.
        Arrays of shape (epochs, batches) are averaged over the batches of each epoch.
    Returns the Axes.
    """
    return _plot_curves(history, "loss", ax, title, logy, "loss")


def plot_accuracy_curves(history, *, ax=None, title=None):
    """Accuracy per epoch; takes the same inputs as :func:`plot_loss_curves` (keys "accuracy",
    "val_accuracy"). Returns the Axes."""
    ax = _plot_curves(history, "accuracy", ax, title, False, "accuracy")
    return ax


def plot_history(history, *, fig=None, title=None):
    """Loss and accuracy side by side for one History. Returns the Figure."""
    fig = _new_figure(fig, (9, 3.5))
    ax_loss, ax_acc = fig.subplots(1, 2)
    plot_loss_curves(history, ax=ax_loss, title="loss")
    plot_accuracy_curves(history, ax=ax_acc, title="accuracy")
    if title is not None:
        fig.suptitle(title)
    return fig


# --------------------------------------------------------------------------------------------------
# Images
# --------------------------------------------------------------------------------------------------


def plot_image_grid(
    images,
    titles=None,
    *,
    class_names=None,
    nrows=None,
    ncols=None,
    fig=None,
    cmap="gray_r",
    image_shape=None,
    size=1.3,
):
    """Show images in a grid, each with an optional title.

    Parameters
    ----------
    images : (n, 28, 28) or flattened (n, 784) images (pixel values 0..255 or scaled; one common scale)
    titles : n strings, or n integer labels that ``class_names`` turns into names
    class_names : e.g. ``dataset.class_names``
    nrows, ncols : grid size; by default up to 8 columns and as many rows as needed
    fig : the Figure to draw on (a new one when None)
    size : inches per image when a new figure is made

    Returns
    -------
    The Figure; ``fig.axes`` holds one Axes per grid place.
    """
    images = _as_images(images, image_shape)
    n = len(images)
    if n == 0:
        raise ValueError("no images to show: images is empty.")
    if titles is not None:
        titles = list(titles)
        if len(titles) != n:
            raise ValueError(f"got {n} images but {len(titles)} titles; give one title per image.")
        if class_names is not None:
            labels = check_labels(titles, len(class_names), name="titles")
            titles = [class_names[k] for k in labels]
    nrows, ncols = _grid_shape(n, nrows, ncols)
    fig = _new_figure(fig, (size * ncols, (size + 0.25 * (titles is not None)) * nrows))
    axes = _image_axes(fig, n, nrows, ncols)
    # one grey scale for all images, so brightness can be compared across the grid
    vmin, vmax = float(images.min()), float(images.max())
    for i in range(n):
        axes[i].imshow(images[i], cmap=cmap, vmin=vmin, vmax=vmax)
        if titles is not None:
            axes[i].set_title(str(titles[i]), fontsize="small")
    return fig


def plot_misclassified(
    X, y_true, y_pred, class_names=None, *, max_images=16, ncols=8, fig=None, rng=None, image_shape=None
):
    """A grid of misclassified samples titled "true -> predicted".

    Parameters
    ----------
    X : (N, 784) or (N, 28, 28) images; y_true, y_pred : (N,) labels (or (N, K) scores: argmax is taken)
    class_names : names for the labels (default: the label numbers)
    max_images : show at most this many (the first ones, or a random choice when rng is given)
    rng : np.random.Generator to pick a random selection instead of the first mistakes

    Returns
    -------
    The Figure (with a short note instead of images when nothing is misclassified).
    """

    max_images = check_positive_int(max_images, "max_images")
    images = _as_images(X, image_shape, name="X")
    y_true = check_labels(as_labels(y_true, "y_true"), name="y_true")
    y_pred = check_labels(as_labels(y_pred, "y_pred"), name="y_pred")
    _check_names(class_names, y_true, y_pred)
    check_same_length(images, y_true, "X", "y_true")
    check_same_length(y_true, y_pred, "y_true", "y_pred")
    wrong = np.flatnonzero(y_true != y_pred)
    if len(wrong) == 0:
        fig = _new_figure(fig, (4, 1))
        ax = fig.subplots()
        ax.set_axis_off()
        ax.text(0.5, 0.5, f"no misclassified samples among {len(y_true)}", ha="center", va="center")
        return fig
    n_wrong = len(wrong)
    if rng is not None and n_wrong > max_images:
        wrong = np.sort(as_generator(rng).choice(wrong, size=max_images, replace=False))
    wrong = wrong[:max_images]
    name = (lambda k: class_names[k]) if class_names is not None else str
    titles = [f"{name(y_true[i])}\n-> {name(y_pred[i])}" for i in wrong]
    fig = plot_image_grid(images[wrong], titles, ncols=min(ncols, len(wrong)), fig=fig, size=1.4)
    fig.suptitle(f"{n_wrong} of {len(y_true)} misclassified (true -> predicted), showing {len(wrong)}")
    return fig


def plot_weight_images(W, *, units=None, ncols=8, fig=None, image_shape=None, cmap="RdBu_r", size=1.2):
    """Show the incoming weights of hidden units as images (one 28x28 filter per unit).

    Parameters
    ----------
    W : (784, H) weights of a Dense(784, H) layer (column j feeds unit j). For the unrolled-theta
        layout (H, 785) with a bias column, pass ``Theta1[:, 1:].T``.
    units : indices of the units to show (default: all H)
    cmap : a diverging colour map: each image is scaled symmetrically around 0, so red means
        positive weights (pixels that excite the unit), blue negative ones, white about 0. The default
        RdBu_r is colour-blind safe (ColorBrewer) and its lightness rises evenly from both ends to the
        white centre, so equal weights look equally strong on either side. (matplotlib's strictly
        perceptually uniform diverging maps, "berlin", "managua" and "vanimo", have a dark centre,
        which would hide the unimportant pixels less well; pass one if you prefer.)

    Returns
    -------
    The Figure, titled "unit j" per image.
    """
    W = check_2d(W, "W")
    n_pixels, n_units = W.shape
    if image_shape is None and int(round(np.sqrt(n_pixels))) ** 2 != n_pixels:
        hint = ""
        if int(round(np.sqrt(n_units))) ** 2 == n_units:
            hint = " Your W looks transposed: pass W.T."
        elif int(round(np.sqrt(n_pixels - 1))) ** 2 == n_pixels - 1:
            hint = " It looks like it includes a bias row: drop it (W[1:] or W[:-1])."
        raise ValueError(
            f"W must be (pixels, units) with one image's worth of weights per column, e.g. (784, H); "
            f"got shape {W.shape}.{hint}"
        )
    shape = _image_side(n_pixels, image_shape)
    units = np.arange(n_units) if units is None else np.asarray(units).ravel()
    if units.size == 0 or units.min() < 0 or units.max() >= n_units:
        raise ValueError(f"units must be indices in [0, {n_units - 1}], got {units.tolist()}.")
    nrows, ncols = _grid_shape(len(units), None, min(ncols, len(units)))
    fig = _new_figure(fig, (size * ncols, (size + 0.25) * nrows))
    axes = _image_axes(fig, len(units), nrows, ncols)
    for ax, j in zip(axes, units):
        w = W[:, j].reshape(shape)
        lim = float(np.abs(w).max()) or 1.0
        ax.imshow(w, cmap=cmap, vmin=-lim, vmax=lim)
        ax.set_title(f"unit {j}", fontsize="small")
    return fig


def plot_confusion_matrix(
    y_true,
    y_pred,
    *,
    class_names=None,
    ax=None,
    normalize=None,
    colorbar=False,
    cmap="viridis",
    xticks_rotation=45,
    values_format=None,
):
    """Confusion matrix through scikit-learn's ConfusionMatrixDisplay (rows: true class, columns: predicted).

    y_true, y_pred : (N,) labels, or (N, K) one-hot / scores (argmax is taken)
    class_names : names of the K classes (also fixes K, so classes that never occur still get a row)
    normalize : None (counts), "true" (each row sums to 1: recall per class), "pred" or "all"

    Returns the Axes.
    """
    from sklearn.metrics import ConfusionMatrixDisplay

    check_choice(normalize, "normalize", (None, "true", "pred", "all"))
    y_true = check_labels(as_labels(y_true, "y_true"), name="y_true")
    y_pred = check_labels(as_labels(y_pred, "y_pred"), name="y_pred")
    check_same_length(y_true, y_pred, "y_true", "y_pred")
    _check_names(class_names, y_true, y_pred)
    n_classes = len(class_names) if class_names is not None else int(max(y_true.max(), y_pred.max())) + 1
    ax = _new_axes(ax, figsize=(6, 5.5))
    if values_format is None:
        values_format = "d" if normalize is None else ".2f"
    ConfusionMatrixDisplay.from_predictions(
        y_true,
        y_pred,
        labels=np.arange(n_classes),
        display_labels=class_names,
        ax=ax,
        normalize=normalize,
        colorbar=colorbar,
        cmap=cmap,
        xticks_rotation=xticks_rotation,
        values_format=values_format,
    )
    return ax
