"""Assertions for lab tests: when one fails, it tells the student what was expected and what they returned.

Lab test cells call these instead of bare ``assert`` so that feedback reads like
"softmax(Z): expected shape (4, 3), but your function returned shape (3,)." and not
just "AssertionError".
"""

import numpy as np


class LabTestFailure(AssertionError):
    """A lab test failed; the message explains the expectation and the student's result."""


def _fail(message, hint=""):
    raise LabTestFailure(f"{message} {hint}".strip())


def _plain(value):
    """repr of a value as a student would write it: np.False_ -> False, np.float64(0.5) -> 0.5."""
    return repr(value.item() if isinstance(value, np.generic) else value)


def _brief(value, limit=6):
    arr = np.asarray(value)
    if arr.size <= limit:
        return np.array2string(arr, precision=6, separator=", ") if arr.ndim else _plain(value)
    flat = ", ".join(f"{v:.6g}" if np.issubdtype(arr.dtype, np.number) else repr(v) for v in arr.ravel()[:limit])
    return f"array of shape {arr.shape} starting [{flat}, ...]"


def assert_type(name, got, expected_type, hint=""):
    """Fail unless ``got`` is an instance of ``expected_type``."""
    if not isinstance(got, expected_type):
        names = expected_type.__name__ if isinstance(expected_type, type) else \
            " or ".join(t.__name__ for t in expected_type)
        article = "an" if names[0].lower() in "aeiou" else "a"
        _fail(f"{name}: expected {article} {names}, but got {type(got).__name__} ({_brief(got) if got is not None else 'None'}).",
              hint or ("Did you forget a `return` statement?" if got is None else ""))


def assert_shape(name, got, expected_shape, hint=""):
    """Fail unless ``got`` is an array with exactly ``expected_shape``."""
    if got is None:
        _fail(f"{name}: expected an array of shape {tuple(expected_shape)}, but got None.",
              hint or "Did you forget a `return` statement?")
    shape = np.shape(got)
    if tuple(shape) != tuple(expected_shape):
        _fail(f"{name}: expected shape {tuple(expected_shape)}, but got shape {tuple(shape)}.", hint)


def assert_finite(name, got, hint=""):
    """Fail if ``got`` contains NaN or inf (or is None, or not numbers at all)."""
    if got is None:
        _fail(f"{name}: expected numbers, but got None.", hint or "Did you forget a `return` statement?")
    try:
        arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        _fail(f"{name}: expected numbers, but got {_brief(got)}.", hint)
    if not np.all(np.isfinite(arr)):
        _fail(f"{name}: contains {int(np.isnan(arr).sum())} NaN and {int(np.isinf(arr).sum())} inf values; "
              f"every entry should be a finite number.", hint)


def assert_close(name, got, expected, *, rtol=1e-6, atol=1e-8, hint=""):
    """Fail unless ``got`` matches ``expected`` in shape and value (within rtol, atol)."""
    expected = np.asarray(expected)
    if got is None:
        _fail(f"{name}: expected {_brief(expected)}, but got None.", hint or "Did you forget a `return` statement?")
    got_arr = np.asarray(got)
    if got_arr.shape != expected.shape:
        _fail(f"{name}: expected shape {expected.shape}, but got shape {got_arr.shape} ({_brief(got_arr)}).", hint)
    try:
        close = np.allclose(got_arr.astype(float), expected.astype(float), rtol=rtol, atol=atol, equal_nan=False)
    except (TypeError, ValueError):
        _fail(f"{name}: expected numbers like {_brief(expected)}, but got {_brief(got_arr)}.", hint)
    if not close:
        if got_arr.ndim == 0:
            _fail(f"{name}: expected {float(expected):.8g}, but got {float(got_arr):.8g}.", hint)
        diff = np.abs(got_arr.astype(float) - expected.astype(float))
        where = np.unravel_index(int(np.nanargmax(np.where(np.isnan(diff), np.inf, diff))), diff.shape)
        _fail(f"{name}: values differ; at index {tuple(int(i) for i in where)} expected "
              f"{float(expected[where]):.8g} but got {float(got_arr[where]):.8g} "
              f"({int((~np.isclose(got_arr, expected, rtol=rtol, atol=atol)).sum())} of {expected.size} entries differ).",
              hint)


def assert_equal(name, got, expected, hint=""):
    """Fail unless ``got == expected`` exactly (arrays compared element-wise, shapes included)."""
    if isinstance(expected, np.ndarray) or isinstance(got, np.ndarray):
        got_arr, exp_arr = np.asarray(got), np.asarray(expected)
        if got_arr.shape != exp_arr.shape:
            _fail(f"{name}: expected shape {exp_arr.shape}, but got shape {got_arr.shape}.", hint)
        if not np.array_equal(got_arr, exp_arr):
            n = int((got_arr != exp_arr).sum())
            _fail(f"{name}: {n} of {exp_arr.size} entries differ; expected {_brief(exp_arr)}, got {_brief(got_arr)}.",
                  hint)
    elif got != expected:
        _fail(f"{name}: expected {_plain(expected)}, but got {_plain(got)}.", hint)


def assert_between(name, got, low, high, hint=""):
    """Fail unless ``low <= got <= high``."""
    if got is None or np.ndim(got) != 0:
        _fail(f"{name}: expected a single number between {low} and {high}, but got {_brief(got)}.", hint)
    try:
        value = float(got)
    except (TypeError, ValueError):
        _fail(f"{name}: expected a single number between {low} and {high}, but got {_brief(got)}.", hint)
    if not (low <= value <= high):
        _fail(f"{name}: expected a value between {low} and {high}, but got {value:.6g}.", hint)


def assert_true(condition, message, hint=""):
    """Fail with ``message`` unless ``condition`` holds."""
    if not condition:
        _fail(message, hint)
