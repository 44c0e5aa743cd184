"""Finding, verifying and downloading the full data sets (used by nnscratch.datasets).

A student may skip this module: it is plumbing. Every file is checked against the SHA-256 of its
decompressed bytes; downloads go to a temporary file that is verified before it is renamed into
the cache, so a failed, interrupted or corrupt download leaves nothing behind.
"""

import hashlib
import http.client
import os
import socket
import tempfile
import urllib.request
from pathlib import Path

from nnscratch._idx import DataFileError, decompress, parse_idx

# Where the full Fashion-MNIST files are looked for, and where they are downloaded from. Module-level so
# that tests (and unusual setups) can point them elsewhere.
FASHION_MNIST_SYSTEM_DIR = Path("/usr/share/datasets/fashion-mnist")
FASHION_MNIST_MIRROR = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"
FASHION_MNIST_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
# SHA-256 of the *decompressed* IDX bytes. The data set publishes MD5 sums of its gzip files, but Debian
# recompressed them (different gzip bytes, same content), so only the content hash identifies the data.
FASHION_MNIST_SHA256 = {
    "train-images-idx3-ubyte": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "train-labels-idx1-ubyte": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "t10k-images-idx3-ubyte": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    "t10k-labels-idx1-ubyte": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
}
DOWNLOAD_TIMEOUT = 30.0  # seconds without data before a download gives up; nothing may hang a notebook


class DataNotFoundError(FileNotFoundError):
    """The full data set was asked for but is not available; the message says where it was looked for."""


def fetch_mnist_openml(data_home=None):
    """(X, y, cache folder) of OpenML's mnist_784 through scikit-learn, with a network timeout."""
    from sklearn.datasets import fetch_openml, get_data_home

    home = get_data_home(data_home)
    # fetch_openml has no timeout argument; without one a silently dropped connection could hang a
    # notebook for minutes, so set a per-operation socket timeout for the duration of the call only
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(DOWNLOAD_TIMEOUT)
    try:
        X, y = fetch_openml("mnist_784", version=1, as_frame=False, data_home=data_home, return_X_y=True)
    except Exception as err:  # network errors come in many types (URLError, OSError, HTTPError, ...)
        raise DataNotFoundError(
            f"full MNIST (OpenML 'mnist_784') is not in scikit-learn's cache {home} and could not be "
            f"downloaded ({type(err).__name__}: {err}). Go online once (it is cached afterwards), or use "
            f"the embedded 5,000 digits with size=None."
        ) from err
    finally:
        socket.setdefaulttimeout(previous)
    return X, y, home


def cache_dir():
    """The per-user folder for downloaded data: $NNSCRATCH_DATA, else ~/.cache/nnscratch."""
    env = os.environ.get("NNSCRATCH_DATA")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "nnscratch"


def _existing(folder, stem):
    """The file for stem in folder, gzipped or plain, or None."""
    for candidate in (folder / f"{stem}.gz", folder / stem):
        if candidate.is_file():
            return candidate
    return None


def _read_verified(path, stem, gzipped=None):
    """Decompress (if .gz), check the SHA-256 of the IDX bytes, and parse; raise DataFileError if bad."""
    if gzipped is None:
        gzipped = path.suffix == ".gz"
    raw = decompress(path) if gzipped else path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    expected = FASHION_MNIST_SHA256[stem]
    if digest != expected:
        raise DataFileError(
            f"{path} is not the original Fashion-MNIST file: the SHA-256 of its contents is {digest}, "
            f"expected {expected}. It is corrupt or truncated: delete it and load again "
            f"(or reinstall the package dataset-fashion-mnist)."
        )
    return parse_idx(raw, str(path))


def find_fashion_mnist(split, data_dir, download):
    """(images (N, 28, 28) uint8, labels (N,) uint8, folder) of the full Fashion-MNIST split; see datasets."""
    stems = FASHION_MNIST_FILES[split]
    explicit = data_dir if data_dir is not None else os.environ.get("FASHION_MNIST_DIR") or None
    if explicit is not None:
        # a folder the user named must hold the data: looking elsewhere would hide their mistake
        folder = Path(explicit).expanduser()
        origin = "data_dir" if data_dir is not None else "FASHION_MNIST_DIR"
        paths = [_existing(folder, s) for s in stems]
        missing = [f"{s}.gz" for s, p in zip(stems, paths) if p is None]
        if missing:
            raise DataNotFoundError(
                f"{origin} is {folder}, but it does not contain {' and '.join(missing)} "
                f"(gzipped or not). Point {origin} at the folder holding the original Fashion-MNIST files."
            )
        return (*(_read_verified(p, s) for p, s in zip(paths, stems)), folder)

    looked = []
    for folder in (Path(FASHION_MNIST_SYSTEM_DIR), cache_dir() / "fashion-mnist"):
        paths = [_existing(folder, s) for s in stems]
        looked.append(str(folder))
        if all(paths):
            return (*(_read_verified(p, s) for p, s in zip(paths, stems)), folder)

    folder = cache_dir() / "fashion-mnist"
    if not download:
        raise DataNotFoundError(_not_found_message(split, looked, "download=False was given"))
    arrays = []
    for stem in stems:
        path = _existing(folder, stem)
        if path is None:
            try:
                path = download_verified(
                    FASHION_MNIST_MIRROR.rstrip("/") + f"/{stem}.gz", folder / f"{stem}.gz", stem
                )
            except (OSError, http.client.HTTPException) as err:  # URLError and timeouts are OSErrors
                raise DataNotFoundError(
                    _not_found_message(
                        split, looked, f"downloading {stem}.gz from {FASHION_MNIST_MIRROR} failed: {err}"
                    )
                ) from err
        arrays.append(_read_verified(path, stem))
    return (*arrays, folder)


def _not_found_message(split, looked, why):
    return (
        f"full Fashion-MNIST ({split}) not found. Looked in: {', '.join(looked)}; {why}. "
        f"To get it: apt-get install dataset-fashion-mnist (Debian/Ubuntu), or set FASHION_MNIST_DIR "
        f"(or pass data_dir=) to a folder with the four original files, or go online so it can be "
        f"downloaded into {cache_dir() / 'fashion-mnist'}. Or use the embedded subset with size=None."
    )


def download_verified(url, target, stem):
    """Download url to target atomically: verified in a temporary file, then renamed into place.

    A failed, interrupted or corrupt download leaves nothing behind, so the cache never holds a bad file.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT) as response:
            expected_length = response.headers.get("Content-Length")
            received = 0
            try:
                while chunk := response.read(1 << 20):
                    out.write(chunk)
                    received += len(chunk)
            except http.client.IncompleteRead as err:
                received += len(err.partial)
        # http.client does not complain when the server closes early, so count the bytes ourselves
        if expected_length is not None and received != int(expected_length):
            raise DataFileError(
                f"the download of {url} was interrupted: received {received} of {expected_length} bytes. "
                f"Nothing was saved; try again."
            )
        try:
            _read_verified(tmp, stem, gzipped=True)
        except DataFileError as err:
            raise DataFileError(
                f"the file downloaded from {url} failed verification and was discarded: {err}"
            ) from err
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target
