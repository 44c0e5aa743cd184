"""Tests of nnscratch.grading: the assertions lab tests use must fail with helpful messages."""

import re

import nbformat
import numpy as np
import pytest

from nnscratch.grading import (
    LabTestFailure,
    assert_between,
    assert_close,
    assert_equal,
    assert_finite,
    assert_shape,
    assert_true,
    assert_type,
)


def test_failures_are_assertion_errors():
    # nbgrader counts a test cell as failed on any exception; students' habits expect AssertionError.
    assert issubclass(LabTestFailure, AssertionError)


def test_assert_close_passes_on_match_and_reports_index_of_mismatch():
    assert_close("f(x)", np.array([1.0, 2.0]), [1.0, 2.0])
    with pytest.raises(
        LabTestFailure, match=r"f\(x\): values differ; at index \(1,\) expected 2 but got 2\.5"
    ):
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


# --- check_against, Case, replaced, hidden_names ---------------------------------------------------

import linecache  # noqa: E402
import sys  # noqa: E402
import types  # noqa: E402
import warnings  # noqa: E402

from nnscratch.grading import Case, check_against, hidden_names, replaced  # noqa: E402


def _reference_softmax(Z):
    shifted = Z - Z.max(axis=1, keepdims=True)
    E = np.exp(shifted)
    return E / E.sum(axis=1, keepdims=True)


WIDE = [
    Case("a batch whose rows have maxima 0 and 1000", np.array([[0.0, -1.0, -2.0], [1000.0, 999.0, 998.0]]))
]


def test_check_against_passes_a_correct_function_and_a_numpy_float_for_a_python_float():
    check_against("softmax", _reference_softmax, lambda Z: _reference_softmax(Z.copy()), WIDE)
    check_against(
        "mean", lambda x: float(np.mean(x)), lambda x: np.mean(x), [Case("three numbers", np.arange(3.0))]
    )
    check_against(
        "count", lambda x: len(x), lambda x: np.int64(x.size), [Case("three numbers", np.arange(3.0))]
    )


def test_check_against_counts_nan_entries_and_names_the_case():
    def global_shift(Z):  # shifts by the largest entry of the whole batch, not of each row
        E = np.exp(Z - Z.max())
        return E / E.sum(axis=1, keepdims=True)

    with pytest.raises(
        LabTestFailure,
        match=r"^softmax is wrong for a batch whose rows have maxima 0 and 1000: "
        r"3 of 6 entries of the result are NaN\.$",
    ):
        check_against("softmax", _reference_softmax, global_shift, WIDE)


def test_check_against_silences_numpy_warnings_of_both_functions():
    # exp overflowing to inf in a correct sigmoid is not the student's error; hidden cells print nothing.
    def sigmoid(a):
        return 1 / (1 + np.exp(-a))

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_against("sigmoid", sigmoid, sigmoid, [Case("a = -1000", np.array([-1000.0]))])
        with pytest.raises(LabTestFailure, match="1 of 1 entries of the result are NaN"):
            check_against(
                "sigmoid",
                sigmoid,
                lambda a: np.exp(a) / (1 + np.exp(a)),
                [Case("a = 1000", np.array([1000.0]))],
            )


def test_check_against_reports_infinite_entries():
    with pytest.raises(LabTestFailure, match="1 of 2 entries of the result are infinite"):
        check_against(
            "f", lambda x: x * 2, lambda x: x * np.array([2.0, np.inf]), [Case("two ones", np.ones(2))]
        )


def test_check_against_reports_shape_without_the_expected_array():
    with pytest.raises(LabTestFailure, match=r"the result has shape \(3,\), expected \(2, 3\)\.$") as info:
        check_against("softmax", _reference_softmax, lambda Z: _reference_softmax(Z)[0], WIDE)
    assert "[" not in str(info.value).split(":", 1)[1].replace("(", "")  # no array printed


def test_check_against_reports_one_differing_entry_and_the_count():
    with pytest.raises(
        LabTestFailure,
        match=r"the result differs in 2 of 3 entries; at index \(1,\) it is 3, "
        r"expected 1\.$",
    ):
        check_against("f", lambda x: x.copy(), lambda x: x * 3, [Case("0, 1, 2", np.arange(3.0))])
    with pytest.raises(
        LabTestFailure,
        match=r"the result differs in 1 of 1 entries; at index \(0,\) it is 'b', "
        r"expected 'a'",
    ):
        check_against("f", lambda: np.array(["a"]), lambda: np.array(["b"]), [Case("no input")])


def test_check_against_tolerance():
    check_against("f", lambda x: x, lambda x: x + 1e-9, [Case("ones", np.ones(2))], rtol=1e-6)
    with pytest.raises(LabTestFailure, match="differs in 2 of 2 entries"):
        check_against("f", lambda x: x, lambda x: x + 1e-3, [Case("ones", np.ones(2))], rtol=1e-6)


def test_check_against_detects_changes_to_inputs():
    def in_place(Z):
        Z -= Z.max(axis=1, keepdims=True)
        np.exp(Z, out=Z)
        Z /= Z.sum(axis=1, keepdims=True)
        return Z

    with pytest.raises(
        LabTestFailure,
        match=r"^softmax changed its input Z in place for a batch whose rows have "
        r"maxima 0 and 1000; work on a copy",
    ):
        check_against("softmax", _reference_softmax, in_place, WIDE)

    def appends(items, extra=None):
        items.append(1)
        return len(items)

    with pytest.raises(LabTestFailure, match="changed its input items in place"):
        check_against("f", lambda items, extra=None: len(items) + 1, appends, [Case("a list", [0], extra=2)])


def test_check_against_lets_an_rng_advance():
    # A generator is meant to change state; it is not reported as an input changed in place.
    def shuffle(X, rng):
        return X[rng.permutation(len(X))]

    check_against("shuffle", shuffle, shuffle, [Case("ten rows", np.arange(10), np.random.default_rng(0))])

    def shuffle_own_rng(X, rng):
        return X[np.random.default_rng(1).permutation(len(X))]

    with pytest.raises(LabTestFailure, match="shuffle is wrong for ten rows: the result differs"):
        check_against(
            "shuffle", shuffle, shuffle_own_rng, [Case("ten rows", np.arange(10), np.random.default_rng(0))]
        )


def test_check_against_compares_what_generators_yield():
    def batches(X, size):
        for start in range(0, len(X), size):
            yield X[start : start + size]

    def drops_last(X, size):
        for start in range(0, len(X) - size + 1, size):
            yield X[start : start + size]

    check_against("batches", batches, batches, [Case("five rows in batches of two", np.arange(5), 2)])
    with pytest.raises(LabTestFailure, match="the result holds 2 values, expected 3"):
        check_against("batches", batches, drops_last, [Case("five rows in batches of two", np.arange(5), 2)])


def test_check_against_refuses_matrix_wrong_dtype_and_wrong_container():
    case = [Case("a 2 x 2 input", np.eye(2))]
    with pytest.raises(LabTestFailure, match="the result is an np.matrix; use a plain NumPy array"):
        check_against("f", lambda x: x @ x, lambda x: np.asmatrix(x) @ np.asmatrix(x), case)
    with pytest.raises(LabTestFailure, match=r"the result holds integers \(dtype int64\), expected floats"):
        check_against("f", lambda x: x * 1.0, lambda x: x.astype(np.int64), case)
    with pytest.raises(LabTestFailure, match="the result is a list, expected a NumPy array"):
        check_against("f", lambda x: x * 1.0, lambda x: x.tolist(), case)
    check_against("f", lambda x: x * 1.0, lambda x: x.tolist(), case, check_type=False)
    with pytest.raises(
        LabTestFailure, match=r"the result is a NumPy array of shape \(1,\), expected a single number"
    ):
        check_against("f", lambda x: float(x.sum()), lambda x: x.sum(keepdims=True)[0], case)
    with pytest.raises(LabTestFailure, match=r"the result is a float \(2\.0\), expected an int"):
        check_against("f", lambda x: int(x.sum()), lambda x: float(x.sum()), case)
    with pytest.raises(LabTestFailure, match="the result is an int, expected a bool"):
        check_against("f", lambda x: bool(x.any()), lambda x: int(x.any()), case)
    with pytest.raises(LabTestFailure, match="the result is a bool, expected a float"):
        check_against("f", lambda x: float(x.sum()), lambda x: True, case)
    with pytest.raises(LabTestFailure, match="the result is a list, expected a tuple of 2 values"):
        check_against("f", lambda x: (x, x), lambda x: [x, x], case)
    with pytest.raises(LabTestFailure, match=r"the result is a str \('2'\), expected an int"):
        check_against("f", lambda x: 2, lambda x: "2", case)


def test_check_against_recurses_into_tuples_and_dicts():
    case = [Case("a 2 x 2 input", np.eye(2))]
    with pytest.raises(LabTestFailure, match=r"the result\[1\] has shape \(2, 2\), expected \(2,\)"):
        check_against("f", lambda x: (x, x[0]), lambda x: (x, x), case)
    with pytest.raises(LabTestFailure, match=r"the result has no key 'b'"):
        check_against("f", lambda x: {"a": x, "b": x}, lambda x: {"a": x}, case)
    with pytest.raises(LabTestFailure, match=r"the result has an unexpected key 'c'"):
        check_against("f", lambda x: {"a": x}, lambda x: {"a": x, "c": 1}, case)
    with pytest.raises(LabTestFailure, match=r"the result\['a'\] is NaN"):
        check_against("f", lambda x: {"a": 1.0}, lambda x: {"a": float("nan")}, case)
    with pytest.raises(LabTestFailure, match=r"the result is 1\.5, expected 0\.5"):
        check_against("f", lambda x: 0.5, lambda x: 1.5, case)
    with pytest.raises(LabTestFailure, match=r"the result is inf"):
        check_against("f", lambda x: 0.5, lambda x: float("inf"), case)
    with pytest.raises(LabTestFailure, match=r"the result is 'b', expected 'a'"):
        check_against("f", lambda x: "a", lambda x: "b", case)


def test_check_against_names_a_missing_return():
    with pytest.raises(
        LabTestFailure, match=r"f is wrong for ones: the result is None \(did you forget a `return`"
    ):
        check_against("f", lambda x: x, lambda x: None, [Case("ones", np.ones(2))])
    with pytest.raises(LabTestFailure, match="the result is a NumPy array, expected None"):
        check_against("f", lambda x: None, lambda x: x, [Case("ones", np.ones(2))])


def test_check_against_requires_the_reference_exception():
    def strict(x):
        if x < 0:
            raise ValueError("x must be at least 0")
        return x

    check_against("f", strict, strict, [Case("x = -1", -1)])
    with pytest.raises(
        LabTestFailure, match=r"^f should raise ValueError for x = -1, but it returned an int\.$"
    ):
        check_against("f", strict, lambda x: x, [Case("x = -1", -1)])

    def wrong_type(x):
        raise TypeError("nope")

    with pytest.raises(
        LabTestFailure,
        match=r"f should raise ValueError for x = -1, but it raised TypeError: "
        r"nope \(in `raise TypeError\(\"nope\"\)`\)",
    ):
        check_against("f", strict, wrong_type, [Case("x = -1", -1)])


def test_check_against_reports_an_unexpected_exception_with_its_line_and_without_traceback():
    def broken(x):
        return x @ np.ones(3)

    with pytest.raises(
        LabTestFailure, match=r"^f raised ValueError for ones: .* \(in `return x @ np\.ones\(3\)`\)$"
    ) as info:
        check_against("f", lambda x: x, broken, [Case("ones", np.ones(2))])
    assert info.value.__suppress_context__  # the student's traceback does not push the message down


def test_check_against_hides_notebook_variables_and_restores_them():
    notebook = types.ModuleType("notebook")  # a namespace standing in for a notebook's globals
    source = (
        "X_train = [1, 2, 3]\n"
        "def length(X):\n    return len(X_train)\n"
        "def good_length(X):\n    return len(X)\n"
    )
    cell = "<notebook cell 1>"  # IPython, too, keeps each cell's source in linecache
    linecache.cache[cell] = (len(source), None, source.splitlines(True), cell)
    exec(compile(source, cell, "exec"), notebook.__dict__)
    case = [Case("a fresh list of two", [5, 6])]
    with pytest.raises(
        LabTestFailure,
        match=r"^length uses the notebook variable X_train instead of its arguments "
        r"\(tested with a fresh list of two\) \(in `return len\(X_train\)`\); ",
    ):
        check_against("length", len, notebook.length, case, hide=["X_train", "y_train"])
    assert notebook.X_train == [1, 2, 3] and "y_train" not in notebook.__dict__
    check_against("length", len, notebook.good_length, case, hide=["X_train"])
    assert notebook.X_train == [1, 2, 3]
    # a function that reads a variable nobody hid is compared like any other
    with pytest.raises(
        LabTestFailure, match="length is wrong for a fresh list of two: the result is 3, expected 2"
    ):
        check_against("length", len, notebook.length, case)


def test_check_against_refuses_a_non_function():
    with pytest.raises(LabTestFailure, match="f should be a function, but it is None"):
        check_against("f", len, None, [Case("x", [1])])
    with pytest.raises(TypeError, match="Case needs a description"):
        Case(np.ones(2))


def test_replaced_restores_values_and_absence_even_on_error():
    namespace = {"softmax": "student's", "other": 1}
    with pytest.raises(RuntimeError):
        with replaced(namespace, softmax="reference", helper="new") as inside:
            assert inside is namespace
            assert namespace["softmax"] == "reference" and namespace["helper"] == "new"
            raise RuntimeError
    assert namespace == {"softmax": "student's", "other": 1}


def test_hidden_names_removes_and_restores_even_on_error():
    namespace = {"X_train": 1, "keep": 2}
    with pytest.raises(RuntimeError):
        with hidden_names(namespace, "X_train", "absent"):
            assert namespace == {"keep": 2}
            namespace["X_train"] = "assigned inside"  # e.g. a student's `global X_train`
            raise RuntimeError
    assert namespace == {"X_train": 1, "keep": 2}


def _grading_frames(call):
    """(function name, __tracebackhide__) of each nnscratch.grading frame that ``call()``'s failure passed."""
    with pytest.raises(LabTestFailure) as info:
        call()
    grading_file = sys.modules["nnscratch.grading"].__file__
    frames, tb = [], info.value.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == grading_file:
            frames.append((tb.tb_frame.f_code.co_name, tb.tb_frame.f_locals.get("__tracebackhide__")))
        tb = tb.tb_next
    return frames


@pytest.mark.parametrize(
    "call",
    [
        lambda: assert_type("h", None, dict),
        lambda: assert_shape("p", np.zeros(3), (4, 3)),
        lambda: assert_finite("p", np.array([np.nan])),
        lambda: assert_close("x", 2.0, 1.0),
        lambda: assert_equal("n", 4, 3),
        lambda: assert_between("a", 0.5, 0.9, 1.0),
        lambda: assert_true(False, "m"),
        lambda: check_against("f", lambda x: x, lambda x: x + 1, [Case("one", 1.0)]),
        lambda: check_against("f", lambda x: x, lambda x: 1 / 0, [Case("one", 1.0)]),
        lambda: check_against("f", lambda x: x, None, [Case("one", 1.0)]),
    ],
    ids=[
        "type",
        "shape",
        "finite",
        "close",
        "equal",
        "between",
        "true",
        "against",
        "against-raises",
        "against-none",
    ],
)
def test_grading_frames_are_hidden_from_tracebacks(call):
    # IPython and pytest skip frames whose locals hold __tracebackhide__ = True, so the student reads
    # the message right under the cell instead of below the grading module's internals.
    frames = _grading_frames(call)
    assert frames and frames[-1][0] in ("_fail", "_report_exception")
    assert all(hide is True for _, hide in frames), frames


def test_call_checked_returns_the_result_and_reports_problems_in_words():
    from nnscratch.grading import call_checked

    assert call_checked("f", lambda x, *, scale: x * scale, np.ones(2), scale=3.0).tolist() == [3.0, 3.0]

    def scales_in_place(X, rng):
        X /= 2.0
        return rng.normal()

    with pytest.raises(LabTestFailure, match=r"^train changed its input X in place; work on a copy"):
        call_checked("train", scales_in_place, np.ones(3), np.random.default_rng(0))
    with pytest.raises(
        LabTestFailure, match=r"^train raised ZeroDivisionError for fresh inputs: division by zero"
    ):
        call_checked("train", lambda x: 1 / 0, 1.0)
    with pytest.raises(LabTestFailure, match="train should be a function, but it is an int"):
        call_checked("train", 3)

    notebook = types.ModuleType("notebook")
    exec("X_rings = [1, 2]\ndef train(X):\n    return len(X_rings)\n", notebook.__dict__)
    with pytest.raises(
        LabTestFailure,
        match=r"^train uses the notebook variable X_rings instead of its arguments "
        r"\(tested with fresh inputs\)",
    ):
        call_checked("train", notebook.train, [5], hide=["X_rings"])
    assert notebook.X_rings == [1, 2]
    assert call_checked("train", notebook.train, [5]) == 2


def test_check_against_says_a_task_is_not_written_yet():
    def blank(x):
        raise NotImplementedError()

    with pytest.raises(
        LabTestFailure,
        match=r"^f raised NotImplementedError for ones; replace `raise NotImplementedError\(\)` "
        r"with your code \(in `raise NotImplementedError\(\)`\)$",
    ):
        check_against("f", lambda x: x, blank, [Case("ones", np.ones(2))])


# --- How a notebook shows a failing lab test: IPython's display, in a real kernel ---------------

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _graded(source, grade_id):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": grade_id, "points": 1, "solution": False}
    return cell


@pytest.fixture(scope="module")
def kernel_run(tmp_path_factory):
    """A small notebook of lab tests run in a real kernel as nbgrader runs it: (cells, execute_replies)."""
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from nnscratch.grading import Case, assert_equal, assert_finite, check_against"
        ),
        _graded('assert_equal("count(xs)", 4, 3, hint="Count the samples, not the features.")', "equal"),
        # a bug in the student's own code, not a lab test's verdict
        _graded("def mean_of(xs):\n    return sum(xs) / len(xs)\n\nmean_of([])", "own-bug"),
        # raised while NumPy's TypeError is handled: IPython would add "During handling of ..."
        _graded('assert_finite("loss", ["a"])', "chained"),
        _graded(
            "def blank(x):\n    raise NotImplementedError()\n\n"
            'check_against("f", lambda x: x, blank, [Case("ones", 1.0)])',
            "against",
        ),
        _graded('%xmode Verbose\nassert_equal("n", 4, 3)', "verbose"),
        _graded('%xmode Context\nassert_equal("n", 3, 3)', "passes"),
    ]
    replies = {}
    sockets = tmp_path_factory.mktemp("kernel")
    manager = KernelManager(kernel_name="python3", transport="ipc", ip=str(sockets / "kernel"))
    client = NotebookClient(
        nb,
        km=manager,
        timeout=60,
        allow_errors=True,
        shutdown_kernel="immediate",
        on_cell_executed=lambda cell, cell_index, execute_reply: replies.update({cell_index: execute_reply}),
    )
    try:
        client.execute()
    finally:
        if manager.has_kernel:
            manager.shutdown_kernel(now=True)
    return nb.cells, {i: reply["content"] for i, reply in replies.items()}


def _error(cell):
    errors = [out for out in cell.outputs if out.output_type == "error"]
    assert len(errors) == 1, cell.outputs
    return errors[0], [_ANSI.sub("", line) for line in "\n".join(errors[0].traceback).split("\n")]


def test_a_failing_lab_test_shows_its_whole_message_first_and_nothing_else(kernel_run):
    cells, replies = kernel_run
    error, lines = _error(cells[1])
    assert error.ename == "LabTestFailure"
    message = "count(xs): expected 3, but got 4. Count the samples, not the features."
    assert error.evalue == message
    assert lines == [f"LabTestFailure: {message}"]  # no frame of the test cell or of nnscratch.grading
    assert "\x1b[" in error.traceback[0]  # the exception's name in IPython's colours, as any error

    _, lines = _error(cells[3])  # raised while a TypeError was handled: no "During handling ..."
    assert lines == ["LabTestFailure: loss: expected numbers, but got ['a']."]
    _, lines = _error(cells[4])
    assert len(lines) == 1 and lines[0].startswith("LabTestFailure: f raised NotImplementedError for ones")


@pytest.mark.filterwarnings("ignore:User-placed attribute")  # nbgrader's SQLAlchemy models, on import
def test_a_failing_lab_test_still_fails_its_cell_for_nbgrader_and_the_grader(kernel_run):
    from nbgrader.utils import determine_grade

    cells, replies = kernel_run
    for index in (1, 3, 4, 5):
        assert replies[index]["status"] == "error" and replies[index]["ename"] == "LabTestFailure"
        assert determine_grade(cells[index]) == (0, 1.0), cells[index].outputs
    assert replies[6]["status"] == "ok" and determine_grade(cells[6]) == (1.0, 1.0)


def test_a_bug_in_the_students_own_code_keeps_the_full_traceback(kernel_run):
    cells, replies = kernel_run
    error, lines = _error(cells[2])
    assert error.ename == "ZeroDivisionError" and replies[2]["status"] == "error"
    text = "\n".join(lines)
    assert "Traceback (most recent call last)" in text
    assert "mean_of([])" in text and "return sum(xs) / len(xs)" in text, text
    assert lines[-1] == "ZeroDivisionError: division by zero"


def test_xmode_verbose_shows_a_lab_tests_full_traceback(kernel_run):
    cells, _ = kernel_run
    _, lines = _error(cells[5])
    text = "\n".join(lines)
    assert "Traceback (most recent call last)" in text and 'assert_equal("n", 4, 3)' in text, text
    assert lines[-1] == "LabTestFailure: n: expected 3, but got 4."


def test_outside_ipython_a_lab_test_failure_renders_as_plain_text():
    assert LabTestFailure("m: expected 1.")._render_traceback_() == ["LabTestFailure: m: expected 1."]
