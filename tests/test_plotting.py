"""Tests of nnscratch.plotting: what each function draws (artists, titles, counts), not pixels."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.contour import QuadContourSet  # noqa: E402

from nnscratch import plotting  # noqa: E402
from nnscratch.datasets import FASHION_MNIST_CLASSES, generate_concentric_circles  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def circles():
    return generate_concentric_circles(40, 3, rng=np.random.default_rng(0))


def ring_scores(Z):
    """Class scores of a perfect model for the rings of radius 1, 2, 3: (N, 3)."""
    radius = np.hypot(Z[:, 0], Z[:, 1])
    return -np.abs(radius[:, None] - np.array([1.0, 2.0, 3.0]))


def ring_value(Z):
    """A regression-style model: one number per point, the ring index as a float."""
    return np.hypot(Z[:, 0], Z[:, 1]) - 1.0


def scatter_of(ax):
    return [c for c in ax.collections if isinstance(c, PathCollection)]


# ----------------------------------------------------------------------------- decision boundary


def test_decision_boundary_categorical_draws_regions_and_all_points(circles):
    X, y = circles
    fig, ax = plt.subplots()
    out = plotting.plot_decision_boundary(ring_scores, X, y, ax=ax, resolution=50, title="rings")
    assert out is ax and ax.get_title() == "rings"
    contours = [c for c in ax.collections if isinstance(c, QuadContourSet)]
    assert len(contours) == 1  # the background regions, one band per class
    np.testing.assert_array_equal(contours[0].levels, np.arange(4) - 0.5)
    points = scatter_of(ax)
    assert len(points) == 1 and len(points[0].get_offsets()) == len(X)
    np.testing.assert_array_equal(points[0].get_array(), y)  # points coloured by the labels given
    assert ax.get_xlim()[0] < X[:, 0].min() and ax.get_xlim()[1] > X[:, 0].max()


def test_decision_boundary_accepts_models_with_predict_proba(circles):
    X, y = circles
    calls = []

    class Model:
        def predict_proba(self, Z):
            calls.append(Z.shape)
            return np.exp(ring_scores(Z))

    plotting.plot_decision_boundary(Model(), X, y, ax=plt.subplots()[1], resolution=30)
    assert calls == [(900, 2)]  # the whole 30 x 30 grid in one call


def test_decision_boundary_continuous_adds_a_colour_bar_and_rounded_does_not(circles):
    X, y = circles
    fig, (a, b) = plt.subplots(1, 2)
    plotting.plot_decision_boundary(ring_value, X, y, ax=a, kind="continuous", resolution=30)
    assert len(fig.axes) == 3 and fig.axes[2].get_ylabel() == "model output"
    plotting.plot_decision_boundary(
        lambda Z: ring_value(Z)[:, None], X, y, ax=b, kind="rounded", resolution=30
    )
    assert len(fig.axes) == 3


def test_decision_boundary_thresholds_a_single_probability_at_one_half():
    X = np.array([[-1.0, 0.0], [1.0, 0.0], [-0.5, 1.0], [0.5, -1.0]])
    y = np.array([0, 1, 0, 1])
    sigmoid_of_x1 = lambda Z: 1 / (1 + np.exp(-5 * Z[:, :1]))  # noqa: E731  (N, 1) probability of class 1
    xx, yy, z = plotting.decision_grid(sigmoid_of_x1, X, resolution=11, padding=0)
    assert xx.shape == yy.shape == z.shape == (11, 11)
    np.testing.assert_array_equal(z, np.broadcast_to(xx >= 0, (11, 11)).astype(int))
    ax = plotting.plot_decision_boundary(sigmoid_of_x1, X, y, ax=plt.subplots()[1], resolution=11)
    assert len(scatter_of(ax)) == 1


def test_decision_grid_rounds_and_clips_regression_outputs(circles):
    X, y = circles
    xx, yy, z = plotting.decision_grid(lambda Z: 2.0 * ring_value(Z), X, kind="rounded", n_classes=3)
    assert set(np.unique(z)) == {0.0, 1.0, 2.0}  # values above 2 are clipped, below 0 too
    expected = np.clip(np.rint(2.0 * (np.hypot(xx, yy) - 1.0)), 0, 2)
    np.testing.assert_array_equal(z, expected)
    _, _, raw = plotting.decision_grid(lambda Z: 2.0 * ring_value(Z), X, kind="continuous", resolution=30)
    assert raw.max() > 2.5  # continuous values are left alone


def test_decision_boundary_without_ax_makes_its_own_figure(circles):
    X, y = circles
    before = plt.get_fignums()
    ax = plotting.plot_decision_boundary(ring_scores, X, y, resolution=20)
    assert ax.figure.number not in before


def test_decision_boundary_errors(circles):
    X, y = circles
    ax = plt.subplots()[1]
    with pytest.raises(
        ValueError, match=r"unknown kind 'discrete'; valid names are 'categorical', 'continuous'"
    ):
        plotting.plot_decision_boundary(ring_scores, X, y, ax=ax, kind="discrete")
    with pytest.raises(ValueError, match=r"only be drawn for 2-D inputs, but X has shape \(120, 3\)"):
        plotting.plot_decision_boundary(ring_scores, np.c_[X, X[:, 0]], y, ax=ax)
    with pytest.raises(ValueError, match="X has 120 samples but y has 119"):
        plotting.plot_decision_boundary(ring_scores, X, y[1:], ax=ax)
    with pytest.raises(
        ValueError, match=r"kind='rounded' needs one number per point, but the model returns 3 scores"
    ):
        plotting.plot_decision_boundary(ring_scores, X, y, ax=ax, kind="rounded")
    with pytest.raises(ValueError, match=r"the model returned shape \(5,\) for 40000 points"):
        plotting.plot_decision_boundary(lambda Z: np.zeros(5), X, y, ax=ax)
    with pytest.raises(TypeError, match="model must be a model .* or a function f\\(X\\), got int"):
        plotting.plot_decision_boundary(3, X, y, ax=ax)
    with pytest.raises(ValueError, match="resolution must be a whole number >= 2, got 1"):
        plotting.plot_decision_boundary(ring_scores, X, y, ax=ax, resolution=1)


def test_plot_points_one_scatter_per_class_with_legend(circles):
    X, y = circles
    ax = plotting.plot_points(X, y, ax=plt.subplots()[1], class_names=["inner", "middle", "outer"])
    assert len(scatter_of(ax)) == 3
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["inner", "middle", "outer"]
    with pytest.raises(ValueError, match=r"X must have 2 columns .* got shape \(120, 1\)"):
        plotting.plot_points(X[:, :1], y, ax=ax)


def test_no_global_state_is_touched(circles):
    X, y = circles
    rc = dict(matplotlib.rcParams)
    fig, ax = plt.subplots()
    other = plt.figure()  # the "current" figure must stay the current one
    n_figures = len(plt.get_fignums())
    plotting.plot_decision_boundary(ring_scores, X, y, ax=ax, resolution=20)
    plotting.plot_loss_curves(np.ones(3), ax=ax)
    plotting.plot_confusion_matrix(y, y, ax=ax)
    assert len(plt.get_fignums()) == n_figures and plt.gcf() is other
    assert dict(matplotlib.rcParams) == rc


# -------------------------------------------------------------------------------------- curves


class History:
    """Shaped like the History that Sequential.fit returns."""

    def __init__(self, history):
        self.history = history


def test_loss_curves_average_batches_per_epoch_and_show_validation():
    loss = np.arange(12.0).reshape(4, 3)  # (epochs, batches)
    hist = History({"loss": loss, "val_loss": np.array([5.0, 4.0, 3.0, 2.0]), "accuracy": np.zeros(4)})
    ax = plotting.plot_loss_curves(hist, ax=plt.subplots()[1], logy=True)
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["training", "validation"]
    np.testing.assert_array_equal(lines[0].get_xdata(), [1, 2, 3, 4])
    np.testing.assert_array_equal(lines[0].get_ydata(), [1.0, 4.0, 7.0, 10.0])
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "epoch" and ax.get_legend() is not None


def test_loss_curves_compare_several_runs_and_plain_arrays():
    runs = {
        "Default": History({"loss": np.ones((5, 1))}),
        "Momentum": {"loss": np.ones(5)},
        "raw": np.ones(5),
    }
    ax = plotting.plot_loss_curves(runs, ax=plt.subplots()[1], title="compare")
    assert [line.get_label() for line in ax.get_lines()] == ["Default", "Momentum", "raw"]
    assert ax.get_title() == "compare"
    ax = plotting.plot_loss_curves(np.array([3.0, 2.0]), ax=plt.subplots()[1])
    assert len(ax.get_lines()) == 1 and ax.get_legend() is None


def test_accuracy_curves_and_history_figure():
    hist = {
        "loss": np.ones((3, 2)),
        "accuracy": np.array([0.5, 0.6, 0.7]),
        "val_loss": np.ones(3),
        "val_accuracy": np.array([0.4, 0.5, 0.6]),
    }
    ax = plotting.plot_accuracy_curves(hist, ax=plt.subplots()[1])
    np.testing.assert_array_equal(ax.get_lines()[1].get_ydata(), [0.4, 0.5, 0.6])
    assert ax.get_ylabel() == "accuracy"
    fig = plotting.plot_history(hist, title="run")
    assert [a.get_title() for a in fig.axes] == ["loss", "accuracy"]


def test_curve_errors():
    ax = plt.subplots()[1]
    with pytest.raises(
        ValueError,
        match=r"loss: expected one value per epoch \(epochs,\) or per batch "
        r".*got shape \(2, 2, 2\)",
    ):
        plotting.plot_loss_curves(np.zeros((2, 2, 2)), ax=ax)
    with pytest.raises(KeyError, match="run 'a' has no 'accuracy'; it has \\['loss'\\]"):
        plotting.plot_accuracy_curves({"a": {"loss": np.ones(2)}}, ax=ax)
    with pytest.raises(ValueError, match="the dictionary of loss curves is empty"):
        plotting.plot_loss_curves({}, ax=ax)
    # a single run without accuracy must not be mistaken for several runs to compare
    with pytest.raises(
        KeyError, match="this training history has no 'accuracy'; it has \\['loss', 'val_loss'\\]"
    ):
        plotting.plot_accuracy_curves({"loss": np.ones(3), "val_loss": np.ones(3)}, ax=ax)


# -------------------------------------------------------------------------------------- images


def images_of(fig):
    return [im for ax in fig.axes for im in ax.images]


def test_image_grid_titles_from_class_names():
    images = np.random.default_rng(0).integers(0, 256, (10, 784)).astype(np.uint8)
    labels = np.arange(10)
    fig = plotting.plot_image_grid(images, labels, class_names=FASHION_MNIST_CLASSES, nrows=2)
    assert len(fig.axes) == 10 and len(images_of(fig)) == 10
    assert [ax.get_title() for ax in fig.axes] == list(FASHION_MNIST_CLASSES)
    assert images_of(fig)[0].get_array().shape == (28, 28)
    assert images_of(fig)[3].get_clim() == (images.min(), images.max())  # one common grey scale


def test_image_grid_on_a_given_figure_hides_unused_places():
    fig = plt.figure()
    out = plotting.plot_image_grid(
        np.zeros((5, 28, 28)), ["a", "b", "c", "d", "e"], nrows=2, ncols=3, fig=fig
    )
    assert out is fig and len(fig.axes) == 6 and len(images_of(fig)) == 5
    assert not fig.axes[5].axison


def test_image_grid_errors():
    with pytest.raises(ValueError, match=r"a grid of 2 x 2 has room for 4 images, but 5 were given"):
        plotting.plot_image_grid(np.zeros((5, 784)), nrows=2, ncols=2)
    with pytest.raises(ValueError, match="got 3 images but 2 titles"):
        plotting.plot_image_grid(np.zeros((3, 784)), ["a", "b"])
    with pytest.raises(ValueError, match=r"a single flattened image; wrap it as images\[None\]"):
        plotting.plot_image_grid(np.zeros(784))
    with pytest.raises(ValueError, match="cannot guess the image shape of 10 pixels"):
        plotting.plot_image_grid(np.zeros((2, 10)))
    with pytest.raises(ValueError, match="no images to show"):
        plotting.plot_image_grid(np.zeros((0, 784)))
    with pytest.raises(ValueError, match="titles has labels up to 10 but n_classes=10"):
        plotting.plot_image_grid(np.zeros((1, 784)), [10], class_names=FASHION_MNIST_CLASSES)
    with pytest.raises(ValueError, match="ncols must be a positive whole number, got 0"):
        plotting.plot_image_grid(np.zeros((1, 784)), nrows=1, ncols=0)


def test_misclassified_shows_only_mistakes_with_true_and_predicted_names():
    X = np.zeros((30, 784))
    y_true = np.arange(30) % 10
    y_pred = y_true.copy()
    y_pred[[3, 7, 21]] = 0
    fig = plotting.plot_misclassified(X, y_true, y_pred, FASHION_MNIST_CLASSES)
    assert len(images_of(fig)) == 3
    assert fig.axes[0].get_title() == "Dress\n-> T-shirt/top"
    assert fig._suptitle.get_text().startswith("3 of 30 misclassified")
    # one-hot / probability predictions are accepted (argmax)
    P = np.eye(10)[y_pred]
    assert len(images_of(plotting.plot_misclassified(X, y_true, P, max_images=2))) == 2


def test_misclassified_random_choice_is_reproducible_and_all_correct_is_a_note():
    X = np.arange(100.0)[:, None, None] * np.ones((100, 28, 28))  # image i is filled with the value i
    y = np.zeros(100, dtype=int)
    wrong = np.ones(100, dtype=int)

    def shown(fig):
        return [int(im.get_array()[0, 0]) for im in images_of(fig)]

    a = shown(plotting.plot_misclassified(X, y, wrong, max_images=5, rng=np.random.default_rng(0)))
    b = shown(plotting.plot_misclassified(X, y, wrong, max_images=5, rng=np.random.default_rng(0)))
    assert len(a) == 5 and a == b and a != [0, 1, 2, 3, 4]  # the same random choice, not the first five
    assert shown(plotting.plot_misclassified(X, y, wrong, max_images=5)) == [0, 1, 2, 3, 4]
    fig = plotting.plot_misclassified(X, y, y)
    assert images_of(fig) == [] and "no misclassified samples among 100" in fig.axes[0].texts[0].get_text()
    with pytest.raises(ValueError, match="X has 100 samples but y_true has 99"):
        plotting.plot_misclassified(X, y[1:], y[1:])
    with pytest.raises(ValueError, match="max_images must be a positive integer, got 0"):
        plotting.plot_misclassified(X, y, wrong, max_images=0)
    with pytest.raises(ValueError, match="labels go up to 1 but only 1 class_names were given"):
        plotting.plot_misclassified(X, y, wrong, class_names=["a"])


def test_weight_images_one_symmetric_filter_per_unit():
    W = np.random.default_rng(0).normal(size=(784, 6))
    fig = plotting.plot_weight_images(W, ncols=3)
    ims = images_of(fig)
    assert len(ims) == 6 and [ax.get_title() for ax in fig.axes] == [f"unit {j}" for j in range(6)]
    np.testing.assert_array_equal(ims[2].get_array(), W[:, 2].reshape(28, 28))
    low, high = ims[2].get_clim()
    assert low == -high == -np.abs(W[:, 2]).max()
    fig = plotting.plot_weight_images(W, units=[4, 1])
    assert [ax.get_title() for ax in fig.axes] == ["unit 4", "unit 1"]


def test_weight_image_errors_suggest_the_fix():
    with pytest.raises(ValueError, match=r"got shape \(6, 784\)\. Your W looks transposed: pass W\.T"):
        plotting.plot_weight_images(np.zeros((6, 784)))
    with pytest.raises(ValueError, match=r"got shape \(785, 6\)\. It looks like it includes a bias row"):
        plotting.plot_weight_images(np.zeros((785, 6)))
    with pytest.raises(ValueError, match=r"units must be indices in \[0, 5\], got \[6\]"):
        plotting.plot_weight_images(np.zeros((784, 6)), units=[6])


# ---------------------------------------------------------------------------- confusion matrix


def test_confusion_matrix_counts_and_class_names():
    y_true = np.array([0, 0, 1, 2, 2, 2])
    y_pred = np.array([0, 1, 1, 2, 2, 0])
    ax = plotting.plot_confusion_matrix(y_true, y_pred, class_names=["a", "b", "c"], ax=plt.subplots()[1])
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["1", "1", "0", "0", "1", "0", "1", "0", "2"]  # row by row: true class, predicted class
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
    assert ax.get_ylabel() == "True label" and ax.get_xlabel() == "Predicted label"


def test_confusion_matrix_normalised_rows_and_absent_classes():
    ax = plotting.plot_confusion_matrix(
        [0, 0, 1], [0, 1, 1], class_names=["x", "y", "z"], normalize="true", ax=plt.subplots()[1]
    )
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == 9 and texts[:3] == ["0.50", "0.50", "0.00"]  # class z never occurs: still a row


def test_plot_points_refuses_labels_without_a_class_name(circles):
    X, y = circles
    with pytest.raises(
        ValueError, match="labels go up to 2 but only 2 class_names were given; give one name"
    ):
        plotting.plot_points(X, y, class_names=["inner", "middle"], ax=plt.subplots()[1])


def test_confusion_matrix_errors():
    ax = plt.subplots()[1]
    with pytest.raises(ValueError, match="labels go up to 3 but only 2 class_names were given"):
        plotting.plot_confusion_matrix([0, 3], [0, 1], class_names=["a", "b"], ax=ax)
    with pytest.raises(ValueError, match="unknown normalize 'rows'"):
        plotting.plot_confusion_matrix([0, 1], [0, 1], normalize="rows", ax=ax)
    with pytest.raises(ValueError, match="y_true has 2 samples but y_pred has 3"):
        plotting.plot_confusion_matrix([0, 1], [0, 1, 1], ax=ax)


# ---------------------------------------------------------------------------- accessible colours


def test_class_colours_are_the_colour_blind_safe_palette(circles):
    # the pinned matplotlib ships petroff10; the Okabe-Ito fallback has 8 colours
    from matplotlib import colors, style

    petroff = style.library["petroff10"]["axes.prop_cycle"].by_key()["color"]
    assert plotting.CLASS_COLORS == tuple(petroff) and len(set(plotting.CLASS_COLORS)) == 10
    X, y = circles
    ax = plotting.plot_points(X, y, ax=plt.subplots()[1])
    drawn = [colors.to_hex(s.get_facecolor()[0]) for s in scatter_of(ax)]
    assert drawn == [c.lower() for c in petroff[:3]]  # class k gets palette colour k, not tab10's
    assert colors.to_hex(colors.TABLEAU_COLORS["tab:blue"]) not in drawn


def test_more_classes_than_colours_use_viridis():
    cmap, norm = plotting._class_colors(12)
    assert cmap.name.startswith("viridis") and cmap.N == 12 and norm(11) == 11


def test_confusion_matrix_uses_a_perceptually_uniform_colormap():
    ax = plotting.plot_confusion_matrix([0, 1, 1], [0, 1, 0], ax=plt.subplots()[1])
    assert ax.images[0].get_cmap().name == "viridis"
