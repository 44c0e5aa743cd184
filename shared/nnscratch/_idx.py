"""Read the IDX files that MNIST and Fashion-MNIST are distributed in.

An IDX file is a 4-byte magic number (two zero bytes, a type code, the number of dimensions), one
big-endian uint32 per dimension, then the values in C order. The files are usually gzip-compressed.
This module only needs numpy and the standard library (shared/scripts/make_embedded_data.py imports
it by path from a throwaway environment).
"""

import gzip
import zlib
from pathlib import Path

import numpy as np

# type code -> dtype of the values (IDX stores multi-byte values big-endian)
_IDX_DTYPES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


class DataFileError(ValueError):
    """A data file is corrupt, truncated or not the file it claims to be."""


def decompress(path):
    """Return the decompressed bytes of a gzip file, raising DataFileError if it is damaged."""
    path = Path(path)
    try:
        with gzip.open(path, "rb") as f:
            return f.read()
    except (OSError, EOFError, zlib.error) as err:
        # gzip.BadGzipFile is an OSError; a truncated stream raises EOFError
        if isinstance(err, FileNotFoundError):
            raise
        raise DataFileError(
            f"{path} is not a valid gzip file ({err}); the file is corrupt or truncated."
        ) from err


def parse_idx(raw, name="IDX data"):
    """Turn the decompressed bytes of an IDX file into an array of its shape and dtype.

    Returns a (N,) array for label files and a (N, 28, 28) array for image files.
    """
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_DTYPES or raw[3] == 0:
        raise DataFileError(
            f"{name} does not start with an IDX magic number (got bytes {raw[:4].hex() or 'none'}); "
            f"it is not an MNIST-style IDX file or its header is corrupt."
        )
    dtype, ndim = _IDX_DTYPES[raw[2]], raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise DataFileError(f"{name} ends inside its header ({len(raw)} bytes); the file is truncated.")
    shape = tuple(int(d) for d in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    expected = header + int(np.prod(shape)) * dtype.itemsize
    if len(raw) != expected:
        raise DataFileError(
            f"{name} has {len(raw)} bytes but its header (shape {shape}) promises {expected}; "
            f"the file is truncated or corrupt."
        )
    data = np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape)
    # native byte order and a writable copy, so callers can use it like any other array
    return data.astype(dtype.newbyteorder("="), copy=True)


def read_idx(path):
    """Read a gzip-compressed (.gz) or plain IDX file into an array."""
    path = Path(path)
    raw = decompress(path) if path.suffix == ".gz" else path.read_bytes()
    return parse_idx(raw, str(path))
