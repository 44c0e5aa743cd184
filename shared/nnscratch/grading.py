"""Assertions for lab tests: when one fails, it tells the student what was expected and what they returned.

Lab test cells call these instead of bare ``assert`` so that feedback reads like
"softmax(Z): expected shape (4, 3), but your function returned shape (3,)." and not
just "AssertionError".

Hidden tests use :func:`check_against` with :class:`Case` inputs to compare a student's function
with a reference solution, :func:`call_checked` to run one whose result is judged by its behaviour
(a trained model), and :func:`replaced` and :func:`hidden_names` to control the names a function
sees while it is tested.
"""

import collections.abc
import contextlib
import copy
import inspect
import os
import traceback
import types
import warnings

import numpy as np


class LabTestFailure(AssertionError):
    """A lab test failed; the message explains the expectation and the student's result.

    IPython (a notebook's kernel) shows it as its message alone, ``LabTestFailure: <message>``,
    right under the cell: the message says what failed, and the frames of the test helpers would
    only push it down (IPython shows the frame that raises even with ``__tracebackhide__``). Any
    other exception, a bug in the student's own code, keeps IPython's full traceback. ``%xmode
    Verbose`` shows a LabTestFailure's full traceback too.
    """

    def _render_traceback_(self):
        # IPython's hook for an exception's own structured traceback (InteractiveShell.showtraceback).
        # IPython still sends it as an error output and the cell's execute_reply is an error, which
        # is what nbgrader and the course's grader score; only what is displayed changes.
        try:
            from IPython import get_ipython

            shell = get_ipython()
            formatter = shell.InteractiveTB
            if getattr(formatter, "mode", None) == "Verbose":
                return formatter.structured_traceback(type(self), self, self.__traceback__)
            # One line in the shell's colours: the exception's name, then the message.
            lines = formatter.get_exception_only(type(self), self)
            return ["".join(lines).rstrip("\n")]
        except Exception:  # noqa: BLE001 - no IPython, or another version: plain text
            return [f"{type(self).__name__}: {self}"]


def _fail(message, hint=""):
    __tracebackhide__ = True  # IPython and pytest then show the message, not this frame
    raise LabTestFailure(f"{message} {hint}".strip())


def _plain(value):
    """repr of a value as a student would write it: np.False_ -> False, np.float64(0.5) -> 0.5."""
    return repr(value.item() if isinstance(value, np.generic) else value)


def _brief(value, limit=6):
    arr = np.asarray(value)
    if arr.size <= limit:
        return np.array2string(arr, precision=6, separator=", ") if arr.ndim else _plain(value)
    flat = ", ".join(
        f"{v:.6g}" if np.issubdtype(arr.dtype, np.number) else _plain(v) for v in arr.ravel()[:limit]
    )
    return f"array of shape {arr.shape} starting [{flat}, ...]"


def assert_type(name, got, expected_type, hint=""):
    """Fail unless ``got`` is an instance of ``expected_type``."""
    __tracebackhide__ = True
    if not isinstance(got, expected_type):
        names = (
            expected_type.__name__
            if isinstance(expected_type, type)
            else " or ".join(t.__name__ for t in expected_type)
        )
        article = "an" if names[0].lower() in "aeiou" else "a"
        _fail(
            f"{name}: expected {article} {names}, but got {type(got).__name__} "
            f"({_brief(got) if got is not None else 'None'}).",
            hint or ("Did you forget a `return` statement?" if got is None else ""),
        )


def assert_shape(name, got, expected_shape, hint=""):
    """Fail unless ``got`` is an array with exactly ``expected_shape``."""
    __tracebackhide__ = True
    if got is None:
        _fail(
            f"{name}: expected an array of shape {tuple(expected_shape)}, but got None.",
            hint or "Did you forget a `return` statement?",
        )
    shape = np.shape(got)
    if tuple(shape) != tuple(expected_shape):
        _fail(f"{name}: expected shape {tuple(expected_shape)}, but got shape {tuple(shape)}.", hint)


def assert_finite(name, got, hint=""):
    """Fail if ``got`` contains NaN or inf (or is None, or not numbers at all)."""
    __tracebackhide__ = True
    if got is None:
        _fail(f"{name}: expected numbers, but got None.", hint or "Did you forget a `return` statement?")
    try:
        arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        _fail(f"{name}: expected numbers, but got {_brief(got)}.", hint)
    if not np.all(np.isfinite(arr)):
        _fail(
            f"{name}: contains {int(np.isnan(arr).sum())} NaN and {int(np.isinf(arr).sum())} inf values; "
            f"every entry should be a finite number.",
            hint,
        )


def assert_close(name, got, expected, *, rtol=1e-6, atol=1e-8, hint=""):
    """Fail unless ``got`` matches ``expected`` in shape and value (within rtol, atol)."""
    __tracebackhide__ = True
    expected = np.asarray(expected)
    if got is None:
        _fail(
            f"{name}: expected {_brief(expected)}, but got None.",
            hint or "Did you forget a `return` statement?",
        )
    got_arr = np.asarray(got)
    if got_arr.shape != expected.shape:
        _fail(
            f"{name}: expected shape {expected.shape}, but got shape {got_arr.shape} ({_brief(got_arr)}).",
            hint,
        )
    try:
        close = np.allclose(
            got_arr.astype(float), expected.astype(float), rtol=rtol, atol=atol, equal_nan=False
        )
    except (TypeError, ValueError):
        _fail(f"{name}: expected numbers like {_brief(expected)}, but got {_brief(got_arr)}.", hint)
    if not close:
        if got_arr.ndim == 0:
            _fail(f"{name}: expected {float(expected):.8g}, but got {float(got_arr):.8g}.", hint)
        diff = np.abs(got_arr.astype(float) - expected.astype(float))
        where = np.unravel_index(int(np.nanargmax(np.where(np.isnan(diff), np.inf, diff))), diff.shape)
        _fail(
            f"{name}: values differ; at index {tuple(int(i) for i in where)} expected "
            f"{float(expected[where]):.8g} but got {float(got_arr[where]):.8g} "
            f"({int((~np.isclose(got_arr, expected, rtol=rtol, atol=atol)).sum())} of {expected.size} "
            f"entries differ).",
            hint,
        )


def assert_equal(name, got, expected, hint=""):
    """Fail unless ``got == expected`` exactly (arrays compared element-wise, shapes included)."""
    __tracebackhide__ = True
    if isinstance(expected, np.ndarray) or isinstance(got, np.ndarray):
        got_arr, exp_arr = np.asarray(got), np.asarray(expected)
        if got_arr.shape != exp_arr.shape:
            _fail(f"{name}: expected shape {exp_arr.shape}, but got shape {got_arr.shape}.", hint)
        if not np.array_equal(got_arr, exp_arr):
            n = int((got_arr != exp_arr).sum())
            _fail(
                f"{name}: {n} of {exp_arr.size} entries differ; expected {_brief(exp_arr)}, "
                f"got {_brief(got_arr)}.",
                hint,
            )
    elif got != expected:
        _fail(f"{name}: expected {_plain(expected)}, but got {_plain(got)}.", hint)


def assert_between(name, got, low, high, hint=""):
    """Fail unless ``low <= got <= high``."""
    __tracebackhide__ = True
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
    __tracebackhide__ = True
    if not condition:
        _fail(message, hint)


# --- Hidden tests: compare a student's function with a reference solution -----------------------
#
# A hidden test cell holds a reference solution and calls
#     check_against("softmax", reference_softmax, softmax, [Case("a batch whose rows ...", Z), ...])
# Each case is run through both functions on separate copies of its inputs; the first property in
# which the student's result differs (type, dtype, shape, NaN, a value, an input changed in place,
# an exception) is reported in words, without the reference's code or its whole expected array.


class Case:
    """One input for :func:`check_against`: ``Case(why, *args, **kwargs)``.

    ``why`` describes the input for the student and completes the sentence "softmax is wrong for
    ...", e.g. ``"a batch whose rows have maxima 0 and 1000"``; ``args`` and ``kwargs`` are passed
    to both the reference and the student's function.
    """

    def __init__(self, why, *args, **kwargs):
        if not isinstance(why, str) or not why:
            raise TypeError("Case needs a description first: Case('a batch of one sample', X, ...)")
        self.why, self.args, self.kwargs = why, args, kwargs

    def __repr__(self):
        return f"Case({self.why!r}, {len(self.args)} positional and {len(self.kwargs)} keyword arguments)"


_MISSING = object()


@contextlib.contextmanager
def replaced(namespace, **objects):
    """Put ``objects`` into the dict ``namespace`` (e.g. ``globals()``) for the ``with`` block.

    The previous values, or their absence, are restored afterwards, even when the block raises.
    Hidden tests use it to run a later task with an earlier task's reference solution in place,
    so one mistake costs one task: ``with replaced(globals(), softmax=reference_softmax): ...``.
    """
    saved = {name: namespace.get(name, _MISSING) for name in objects}
    namespace.update(objects)
    try:
        yield namespace
    finally:
        _restore(namespace, saved)


@contextlib.contextmanager
def hidden_names(namespace, *names):
    """Remove ``names`` from the dict ``namespace`` for the ``with`` block, then put them back.

    Names that are absent are ignored. Hidden tests hide a notebook's data variables (``X_train``)
    so that a function that reads them instead of its arguments raises NameError.
    """
    saved = {name: namespace.get(name, _MISSING) for name in names}
    for name in names:
        namespace.pop(name, None)
    try:
        yield namespace
    finally:
        _restore(namespace, saved)


def _restore(namespace, saved):
    for name, value in saved.items():
        if value is _MISSING:
            namespace.pop(name, None)
        else:
            namespace[name] = value


def _function_globals(function):
    """The module or notebook namespace ``function`` reads its global names from (None if unknown)."""
    function = getattr(function, "__func__", function)  # a bound method
    function = getattr(function, "func", function)  # functools.partial
    return getattr(function, "__globals__", None)


def _article(word):
    return "an" if word[0].lower() in "aeiou" else "a"


def _kind(value):
    """A student-readable name of what ``value`` is: 'a NumPy array', 'a float', 'a tuple', ..."""
    if value is None:
        return "None"
    if isinstance(value, np.matrix):
        return "an np.matrix"
    if isinstance(value, np.ndarray):
        return "a NumPy array"
    if isinstance(value, (bool, np.bool_)):
        return "a bool"
    if isinstance(value, (int, np.integer)):
        return "an int"
    if isinstance(value, (float, np.floating)):
        return "a float"
    name = type(value).__name__
    return f"{_article(name)} {name}"


_DTYPE_KINDS = {
    "b": "booleans",
    "i": "integers",
    "u": "integers",
    "f": "floats",
    "c": "complex numbers",
    "U": "strings",
    "S": "bytes",
    "O": "Python objects",
}


def _entry(value):
    """One array entry for a message: floats to 8 significant digits, others as Python would write them."""
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.8g}"
    return _plain(value)


def _is_iterator(value):
    return isinstance(value, (types.GeneratorType, collections.abc.Iterator)) and not isinstance(
        value, np.ndarray
    )


def _materialise(value):
    """A generator or iterator as a list of what it yields (so batches can be compared); else unchanged."""
    return list(value) if _is_iterator(value) else value


def _difference(expected, got, what, rtol, atol, check_type):
    """None if ``got`` matches ``expected``, else words saying how ``what`` (e.g. 'the result') differs."""
    if expected is None:
        return None if got is None else f"{what} is {_kind(got)}, expected None"
    if got is None:
        return f"{what} is None (did you forget a `return` statement?)"
    if isinstance(got, np.matrix):
        return f"{what} is an np.matrix; use a plain NumPy array (np.array, @ for products)"
    if isinstance(expected, np.ndarray):
        return _array_difference(expected, got, what, rtol, atol, check_type)
    if isinstance(expected, (bool, np.bool_, int, float, np.integer, np.floating)):
        return _number_difference(expected, got, what, rtol, atol, check_type)
    if isinstance(expected, (tuple, list)):
        if check_type and not isinstance(got, tuple if isinstance(expected, tuple) else list):
            return f"{what} is {_kind(got)}, expected {_kind(expected)} of {len(expected)} values"
        if not isinstance(got, (tuple, list)):
            return f"{what} is {_kind(got)}, expected {len(expected)} values"
        if len(got) != len(expected):
            return f"{what} holds {len(got)} values, expected {len(expected)}"
        for i, (e, g) in enumerate(zip(expected, got)):
            found = _difference(e, g, f"{what}[{i}]", rtol, atol, check_type)
            if found:
                return found
        return None
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return f"{what} is {_kind(got)}, expected a dict"
        missing = [k for k in expected if k not in got]
        if missing:
            return f"{what} has no key {missing[0]!r}"
        extra = [k for k in got if k not in expected]
        if extra:
            return f"{what} has an unexpected key {extra[0]!r}"
        for key in expected:
            found = _difference(expected[key], got[key], f"{what}[{key!r}]", rtol, atol, check_type)
            if found:
                return found
        return None
    if check_type and type(got) is not type(expected):
        return f"{what} is {_kind(got)}, expected {_kind(expected)}"
    try:
        same = bool(got == expected)
    except Exception:  # noqa: BLE001 - any failure to compare is a difference
        same = False
    return None if same else f"{what} is {_plain(got)}, expected {_plain(expected)}"


def _number_difference(expected, got, what, rtol, atol, check_type):
    if check_type:
        if isinstance(got, np.ndarray):
            return (
                f"{what} is a NumPy array of shape {got.shape}, expected a single number; "
                f"float(...) or .item() turns a one-entry array into a number"
            )
        if isinstance(expected, (bool, np.bool_)) and not isinstance(got, (bool, np.bool_)):
            return f"{what} is {_kind(got)}, expected a bool (True or False)"
        if (
            isinstance(expected, (int, np.integer))
            and not isinstance(expected, (bool, np.bool_))
            and not (isinstance(got, (int, np.integer)) and not isinstance(got, (bool, np.bool_)))
        ):
            return f"{what} is {_kind(got)} ({_brief(got)}), expected an int"
        if isinstance(expected, (float, np.floating)) and (
            isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, float, np.integer, np.floating))
        ):
            return f"{what} is {_kind(got)}, expected a float"
    if np.ndim(got) != 0:
        return f"{what} has shape {np.shape(got)}, expected a single number"
    try:
        value = float(got)
    except (TypeError, ValueError):
        return f"{what} is {_brief(got)}, expected a number"
    wanted = float(expected)
    if np.isnan(value) and not np.isnan(wanted):
        return f"{what} is NaN"
    if np.isinf(value) and not np.isinf(wanted):
        return f"{what} is {value}"
    if not np.isclose(value, wanted, rtol=rtol, atol=atol, equal_nan=True):
        return f"{what} is {value:.8g}, expected {wanted:.8g}"
    return None


def _array_difference(expected, got, what, rtol, atol, check_type):
    if check_type and not isinstance(got, np.ndarray):
        return f"{what} is {_kind(got)}, expected a NumPy array"
    try:
        got = np.asarray(got)
    except Exception:  # noqa: BLE001 - ragged lists and the like
        return f"{what} cannot be read as an array"
    if check_type and _DTYPE_KINDS.get(got.dtype.kind) != _DTYPE_KINDS.get(expected.dtype.kind):
        return (
            f"{what} holds {_DTYPE_KINDS.get(got.dtype.kind, got.dtype.kind)} (dtype {got.dtype}), "
            f"expected {_DTYPE_KINDS.get(expected.dtype.kind, expected.dtype.kind)}"
        )
    if got.shape != expected.shape:
        return f"{what} has shape {got.shape}, expected {expected.shape}"
    if expected.dtype.kind not in "biufc":
        differ = got != expected
        if np.any(differ):
            index = tuple(int(i) for i in np.argwhere(differ)[0])
            return (
                f"{what} differs in {int(differ.sum())} of {expected.size} entries; at index {index} it is "
                f"{_entry(got[index])}, expected {_entry(expected[index])}"
            )
        return None
    if got.dtype.kind not in "biufc":
        return f"{what} holds {_DTYPE_KINDS.get(got.dtype.kind, got.dtype.kind)}, expected numbers"
    for bad, test in (("NaN", np.isnan), ("infinite", np.isinf)):
        extra = test(got) & ~test(expected)
        if np.any(extra):
            return f"{int(extra.sum())} of {expected.size} entries of {what} are {bad}"
    close = np.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)
    if not np.all(close):
        index = tuple(int(i) for i in np.argwhere(~close)[0])
        where = f" at index {index}" if index else ""
        return (
            f"{what} differs in {int((~close).sum())} of {expected.size} entries;{where} it is "
            f"{_entry(got[index])}, expected {_entry(expected[index])}"
        )
    return None


def _argument_names(function, args, kwargs):
    """Names of the inputs for messages: the reference's parameter names where they can be bound."""
    try:
        bound = inspect.signature(function).bind(*args, **kwargs)
        names = list(bound.arguments)
    except (TypeError, ValueError):
        names = []
    positional = [names[i] if i < len(names) else f"argument {i + 1}" for i in range(len(args))]
    return positional + list(kwargs)


def _is_input(value):
    """Whether an argument is data whose change a caller would notice (not an rng, which must advance)."""
    return isinstance(
        value, (np.ndarray, list, tuple, dict, set, str, bytes, int, float, complex, np.generic)
    )


def check_against(name, reference, student, cases, *, rtol=1e-7, atol=1e-10, hide=(), check_type=True):
    """Run ``student`` and ``reference`` on every case; fail on the first case where they differ.

    Parameters
    ----------
    name : str
        How the student knows the function, e.g. ``"softmax"``; starts every message.
    reference, student : callable
        The reference solution and the student's function.
    cases : list of Case
        ``Case(why, *args, **kwargs)``: the inputs, and words that describe them.
    rtol, atol : float
        Tolerances for comparing numbers (``np.isclose``).
    hide : iterable of str
        Names (a notebook's data variables) removed from the student's function's globals while it
        runs, so a function that reads them instead of its arguments fails with a clear message.
    check_type : bool
        Whether the result's type (array or number or tuple, dtype kind) must match the reference's.

    Each case gets its own deep copies of the inputs for the reference and the student. The
    student's function must leave its inputs unchanged, return what the reference returns (NaN
    where it has NaN, same type, dtype kind and shape, values within the tolerances), or raise
    the same type of exception as the reference. Generators are compared by what they yield.

    Raises
    ------
    LabTestFailure
        Naming the function, the case and the property that differs, e.g. "softmax is wrong for a
        batch whose rows have maxima 0 and 1000: 3 of 6 entries of the result are NaN".
    """
    __tracebackhide__ = True
    if not callable(student):
        _fail(f"{name} should be a function, but it is {_kind(student)}.")
    for case in cases:
        _check_case(name, reference, student, case, rtol, atol, hide, check_type)


def _check_case(name, reference, student, case, rtol, atol, hide, check_type):
    __tracebackhide__ = True
    # NumPy's warnings (exp overflowing to inf in a correct sigmoid) are silenced: the results are
    # compared instead, and a hidden test prints nothing when it passes.
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            expected = _materialise(reference(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs)))
            expected_error = None
        except Exception as error:  # noqa: BLE001 - the student must then raise the same type
            expected, expected_error = None, error
        original = (copy.deepcopy(case.args), copy.deepcopy(case.kwargs))
        args, kwargs = copy.deepcopy(original)
        namespace = _function_globals(student)
        try:
            with hidden_names(namespace if namespace is not None else {}, *hide):
                got = _materialise(student(*args, **kwargs))
        except Exception as error:  # noqa: BLE001 - reported to the student in words
            if expected_error is not None and isinstance(error, type(expected_error)):
                got = None
            else:
                _report_exception(name, case, error, expected_error, hide)
        else:
            if expected_error is not None:
                _fail(
                    f"{name} should raise {type(expected_error).__name__} for {case.why}, "
                    f"but it returned {_kind(got)}."
                )
        names = _argument_names(reference, case.args, case.kwargs)
        for arg_name, before, after in zip(
            names, list(original[0]) + list(original[1].values()), list(args) + list(kwargs.values())
        ):
            if _is_input(before) and _difference(before, after, arg_name, 0.0, 0.0, True):
                _fail(
                    f"{name} changed its input {arg_name} in place for {case.why}; "
                    f"work on a copy (or build a new array) instead of writing into {arg_name}."
                )
        if expected_error is None:
            found = _difference(expected, got, "the result", rtol, atol, check_type)
            if found:
                _fail(f"{name} is wrong for {case.why}: {found}.")


def call_checked(name, function, *args, hide=(), **kwargs):
    """``function(*args, **kwargs)`` as :func:`check_against` calls a student's function, without a reference.

    For functions whose result is judged by its behaviour (a trained model, say) rather than
    compared with a reference: the names in ``hide`` are removed from the function's globals while
    it runs, an exception becomes a LabTestFailure that names ``name`` and the line that raised, and
    the inputs must be left unchanged (a random generator may advance). Returns the result.
    """
    __tracebackhide__ = True
    if not callable(function):
        _fail(f"{name} should be a function, but it is {_kind(function)}.")
    case = Case("fresh inputs", *args, **kwargs)
    original = (copy.deepcopy(args), copy.deepcopy(kwargs))
    namespace = _function_globals(function)
    try:
        with hidden_names(namespace if namespace is not None else {}, *hide):
            result = _materialise(function(*args, **kwargs))
    except Exception as error:  # noqa: BLE001 - reported to the student in words
        _report_exception(name, case, error, None, hide)
    names = _argument_names(function, args, kwargs)
    for arg_name, before, after in zip(
        names, list(original[0]) + list(original[1].values()), list(args) + list(kwargs.values())
    ):
        if _is_input(before) and _difference(before, after, arg_name, 0.0, 0.0, True):
            _fail(
                f"{name} changed its input {arg_name} in place; work on a copy (or build a new array) "
                f"instead of writing into {arg_name}."
            )
    return result


def _where_raised(error):
    """' (in `line of code`)': the last line of the student's code (not NumPy's) the error passed through."""
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename != __file__
        and "site-packages" not in frame.filename
        and f"{os.sep}numpy{os.sep}" not in frame.filename
    ]
    if frames and frames[-1].line:
        return f" (in `{frames[-1].line.strip()}`)"
    return ""


def _report_exception(name, case, error, expected_error, hide):
    # The message replaces the student's traceback (`from None`), so the line that raised is quoted:
    # the message is then the first thing under the cell. A visible test shows the whole traceback.
    __tracebackhide__ = True
    missing = getattr(error, "name", None) if isinstance(error, NameError) else None
    if missing in hide:
        raise LabTestFailure(
            f"{name} uses the notebook variable {missing} instead of its arguments (tested with "
            f"{case.why}){_where_raised(error)}; a function should use only its parameters."
        ) from None
    if expected_error is not None:
        raise LabTestFailure(
            f"{name} should raise {type(expected_error).__name__} for {case.why}, but it raised "
            f"{type(error).__name__}: {error}{_where_raised(error)}"
        ) from None
    detail = f": {error}" if str(error) else ""
    if isinstance(error, NotImplementedError):
        detail += "; replace `raise NotImplementedError()` with your code"
    raise LabTestFailure(
        f"{name} raised {type(error).__name__} for {case.why}{detail}{_where_raised(error)}"
    ) from None
