"""Tests of nnscratch._idx, the reader of MNIST-style IDX files."""

import gzip

import numpy as np
import pytest

from nnscratch._idx import DataFileError, decompress, parse_idx, read_idx


def idx_bytes(array, type_code=0x08):
    """The IDX encoding of array (the test's own writer, independent of the reader)."""
    header = bytes([0, 0, type_code, array.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    return header + array.tobytes()


def test_parse_images_and_labels():
    images = np.arange(2 * 28 * 28, dtype=np.uint8).reshape(2, 28, 28)
    labels = np.array([3, 9], dtype=np.uint8)
    got = parse_idx(idx_bytes(images))
    assert got.shape == (2, 28, 28) and got.dtype == np.uint8
    np.testing.assert_array_equal(got, images)
    np.testing.assert_array_equal(parse_idx(idx_bytes(labels)), labels)
    got.flags.writeable = True  # a writable copy, not a view of the bytes


def test_parse_big_endian_int32_gives_native_values():
    values = np.array([1, -2, 70000], dtype=">i4")
    got = parse_idx(idx_bytes(values, 0x0C))
    assert got.dtype.isnative
    np.testing.assert_array_equal(got, [1, -2, 70000])


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"", r"does not start with an IDX magic number \(got bytes none\)"),
        (b"PK\x03\x04rest", r"does not start with an IDX magic number \(got bytes 504b0304\)"),
        (bytes([0, 0, 0x08, 3, 0, 0]), "ends inside its header"),
        (
            bytes([0, 0, 0x08, 1, 0, 0, 0, 5, 1, 2]),
            r"has 10 bytes but its header \(shape \(5,\)\) promises 13",
        ),
    ],
)
def test_parse_rejects_corrupt_data(raw, message):
    with pytest.raises(DataFileError, match=message):
        parse_idx(raw, "labels.idx")


def test_read_idx_gzipped_and_plain(tmp_path):
    labels = np.array([1, 2, 3], dtype=np.uint8)
    (tmp_path / "a-idx1-ubyte").write_bytes(idx_bytes(labels))
    (tmp_path / "a-idx1-ubyte.gz").write_bytes(gzip.compress(idx_bytes(labels)))
    np.testing.assert_array_equal(read_idx(tmp_path / "a-idx1-ubyte"), labels)
    np.testing.assert_array_equal(read_idx(tmp_path / "a-idx1-ubyte.gz"), labels)


def test_truncated_or_fake_gzip_names_the_file(tmp_path):
    good = gzip.compress(idx_bytes(np.zeros(1000, dtype=np.uint8)))
    (tmp_path / "cut.gz").write_bytes(good[: len(good) // 2])
    (tmp_path / "fake.gz").write_bytes(b"not gzip at all")
    with pytest.raises(DataFileError, match=r"cut\.gz is not a valid gzip file .*corrupt or truncated"):
        decompress(tmp_path / "cut.gz")
    with pytest.raises(DataFileError, match=r"fake\.gz is not a valid gzip file"):
        read_idx(tmp_path / "fake.gz")


def test_missing_file_is_a_file_not_found_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_idx(tmp_path / "nothing.gz")
