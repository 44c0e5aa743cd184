"""Tests of nnscratch.grading: the assertions lab tests use must fail with helpful messages."""

import numpy as np
import pytest

from nnscratch.grading import (LabTestFailure, assert_between, assert_close, assert_equal,
                               assert_finite, assert_shape, assert_true, assert_type)


def test_failures_are_assertion_errors():
    # nbgrader counts a test cell as failed on any exception; students' habits expect AssertionError.
    assert issubclass(LabTestFailure, AssertionError)


def test_assert_close_passes_on_match_and_reports_index_of_mismatch():
    assert_close("f(x)", np.array([1.0, 2.0]), [1.0, 2.0])
    with pytest.raises(LabTestFailure, match=r"f\(x\): values differ; at index \(1,\) expected 2 but got 2\.5"):
        assert_close("f(x)", np.array([1.0, 2.5]), [1.0, 2.0])


def test_assert_close_default_tolerance_is_tight():
    assert_close("x", 1.0 + 5e-7, 1.0)  # within rtol = 1e-6
    with pytest.raises(LabTestFailure, match="expected 1, but got 1.0001"):
        assert_close("x", 1.0 + 1e-4, 1.0)


def test_assert_close_reports_shape_and_missing_return():
    with pytest.raises(LabTestFailure, match=r"expected shape \(2,\), but got shape \(1, 2\)"):
        assert_close("f(x)", np.array([[1.0, 2.0]]), [1.0, 2.0])
    with pytest.raises(LabTestFailure, match="but got None.*forget a `return`"):
        assert_close("f(x)", None, [1.0])


def test_assert_close_scalar_message():
    with pytest.raises(LabTestFailure, match=r"loss: expected 0\.5, but got 1\.5\. hint text"):
        assert_close("loss", 1.5, 0.5, hint="hint text")


def test_assert_close_rejects_non_numbers():
    with pytest.raises(LabTestFailure, match="expected numbers like"):
        assert_close("f(x)", np.array(["a"]), [1.0])


def test_assert_shape():
    assert_shape("p", np.zeros((4, 3)), (4, 3))
    with pytest.raises(LabTestFailure, match=r"p: expected shape \(4, 3\), but got shape \(3,\)"):
        assert_shape("p", np.zeros(3), (4, 3))
    with pytest.raises(LabTestFailure, match="got None"):
        assert_shape("p", None, (4, 3))


def test_assert_equal_arrays_and_scalars():
    assert_equal("labels", np.array([1, 2]), np.array([1, 2]))
    with pytest.raises(LabTestFailure, match="1 of 2 entries differ"):
        assert_equal("labels", np.array([1, 3]), np.array([1, 2]))
    with pytest.raises(LabTestFailure, match=r"expected shape \(2,\), but got shape \(3,\)"):
        assert_equal("labels", np.array([1, 2, 3]), np.array([1, 2]))
    with pytest.raises(LabTestFailure, match="n: expected 3, but got 4"):
        assert_equal("n", 4, 3)


def test_assert_between():
    assert_between("accuracy", 0.97, 0.95, 1.0)
    with pytest.raises(LabTestFailure, match="accuracy: expected a value between 0.95 and 1.0, but got 0.5"):
        assert_between("accuracy", 0.5, 0.95, 1.0)
    with pytest.raises(LabTestFailure, match="expected a single number"):
        assert_between("accuracy", np.array([0.5, 0.6]), 0.95, 1.0)
    with pytest.raises(LabTestFailure, match="expected a single number"):
        assert_between("accuracy", None, 0.95, 1.0)
    with pytest.raises(LabTestFailure, match="expected a single number between 0.95 and 1.0, but got 'abc'"):
        assert_between("accuracy", "abc", 0.95, 1.0)


def test_assert_finite_counts_bad_values():
    assert_finite("p", np.ones(3))
    with pytest.raises(LabTestFailure, match="contains 1 NaN and 2 inf values"):
        assert_finite("p", np.array([np.nan, np.inf, -np.inf, 1.0]))
    with pytest.raises(LabTestFailure, match="p: expected numbers, but got None"):
        assert_finite("p", None)
    with pytest.raises(LabTestFailure, match="p: expected numbers, but got 'abc'"):
        assert_finite("p", "abc")


def test_assert_type_names_missing_return():
    assert_type("h", {}, dict)
    with pytest.raises(LabTestFailure, match="expected a dict, but got NoneType.*forget a `return`"):
        assert_type("h", None, dict)
    with pytest.raises(LabTestFailure, match="expected an int or float, but got str"):
        assert_type("x", "1", (int, float))


def test_assert_true():
    assert_true(True, "never shown")
    with pytest.raises(LabTestFailure, match="rows must sum to 1"):
        assert_true(False, "rows must sum to 1")


def test_numpy_scalars_are_shown_as_plain_python_values():
    # A student compares with `True` and `0.5`, not `np.True_` and `np.float64(0.5)`.
    with pytest.raises(LabTestFailure, match=r"expected True, but got False\.$") as info:
        assert_equal("is_sorted(x)", np.bool_(False), True)
    assert "np." not in str(info.value)
    with pytest.raises(LabTestFailure, match=r"expected 3, but got 2\.$"):
        assert_equal("count", np.int64(2), 3)
    with pytest.raises(LabTestFailure, match=r"n_classes: expected an int, but got float64 \(0\.5\)\.$"):
        assert_type("n_classes", np.float64(0.5), int)
