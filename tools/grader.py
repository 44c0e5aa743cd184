"""Grading one submission: normalise it, run it in the sandbox, detect tampering, score it.

This module is what ``make autograde`` runs for each (student, lab); it never touches the gradebook
(the trusted parent process writes it, see ``gradebook.py``). The steps:

1. **Normalise** (:func:`normalise`). The notebook that is executed is rebuilt from trusted files:
   every cell, its id, nbgrader metadata (grade_id, points, locked, type) and the notebook metadata
   come from ``labs/`` and ``solutions/`` (the hidden tests); only the *contents* of the student's
   solution cells, and extra scratch cells of their own, come from the submission. Deleted or
   duplicated solution cells, edited locked cells and unknown graded cells are restored or dropped,
   and every such repair is reported.
2. **Run** (:func:`run_notebook`) in a fresh sandboxed kernel (``sandbox.py``) with a per-cell and a
   per-notebook time limit and a cap on the bytes of output kept.
3. **Detect tampering.** Code in the kernel can patch the test helpers, and no sandbox stops that,
   so the grader checks for it:
   - a *tripwire* cell after the student's last cell and after every hidden test: a test built to
     fail (different values given to ``assert_close``, ``np.allclose``, a plain ``assert`` ...,
     chosen at random and dressed like a hidden test). If one passes, the helpers were tampered
     with. A hidden test's points count only when the tripwire right after it ran and failed;
   - a *decoy* of every hidden test whose expected results can be changed (see ``decoy_cell``),
     just before or after it: correct code fails it, code that returns what the test expects
     passes it. Decoys the lab's own solution passes are not used (``valid_decoys``);
   - an *integrity* cell at the end that fingerprints the code of ``nnscratch.grading`` and of the
     NumPy comparisons, and lists IPython's input and AST transformers, tracers and event hooks, for
     comparison with a fingerprint taken before any student code ran.
   A flagged submission scores 0 on the lab and is listed for review.
4. **Score**: a graded cell earns its points when it ran without an error (nbgrader's rule).
5. **Feedback notebook**: the student's own cells and the visible tests with their outputs as they
   were *before the first hidden test ran* (so nothing a hidden test did can reach them), and each
   hidden test as its hint (the comment lines the student version shows) with pass or fail and
   points: never its code, output or traceback.
"""

import ast
import base64
import copy
import hashlib
import json
import os
import random
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sandbox  # noqa: E402

from labs import BEGIN_HIDDEN, _meta, _source  # noqa: E402

MAX_SUBMISSION_BYTES = 20_000_000
TRUNCATION_NOTE = (
    "\n[output truncated by the grader: this notebook printed more than {limit:,} bytes; "
    "the rest was not kept]\n"
)


class SubmissionError(Exception):
    """The submission cannot be graded at all (not a notebook, wrong lab, too large)."""


# --------------------------------------------------------------------------------------------
# 1. Normalise
# --------------------------------------------------------------------------------------------


def read_submission(path):
    """The submission's JSON as a dict, or SubmissionError saying why it cannot be read."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_SUBMISSION_BYTES:
        raise SubmissionError(
            f"the notebook file is {size / 1e6:.0f} MB, over the {MAX_SUBMISSION_BYTES / 1e6:.0f} MB "
            "limit: clear its outputs and submit again"
        )
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SubmissionError(f"the file is not a readable notebook (invalid JSON: {exc})") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise SubmissionError("the file is JSON but not a Jupyter notebook (no list of cells)")
    return nb


def _text(value):
    """A cell source as a string; lists of strings are joined, anything else is refused."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(x, str) for x in value):
        return "".join(value)
    return None


def is_hidden_test(cell):
    return _meta(cell).get("grade") and BEGIN_HIDDEN in _source(cell)


def normalise(submission, release_nb, source_nb):
    """The notebook to execute and a list of repairs, from a submission and the lab's trusted files.

    ``release_nb`` (labs/) and ``source_nb`` (solutions/) have the same cells in the same order.
    Returns (notebook dict, notes).
    """
    notes = []
    solution_ids = [_meta(c).get("grade_id") for c in release_nb["cells"] if _meta(c).get("solution")]
    known_ids = {_meta(c).get("grade_id") for c in release_nb["cells"] if _meta(c).get("grade_id")}
    release_by_id = {_meta(c).get("grade_id"): c for c in release_nb["cells"] if _meta(c).get("grade_id")}
    answers, extras, anchor = {}, [], None
    for cell in submission["cells"]:
        if not isinstance(cell, dict):
            notes.append("a cell that is not a JSON object was dropped")
            continue
        meta = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
        nbg = meta.get("nbgrader") if isinstance(meta.get("nbgrader"), dict) else {}
        gid = nbg.get("grade_id")
        text = _text(cell.get("source", ""))
        if text is None:
            notes.append(f"cell {gid or '(no id)'}: its source is not text; dropped")
            continue
        if gid in solution_ids:
            if gid in answers:
                notes.append(f"solution cell {gid} appears more than once; the first was graded")
            else:
                answers[gid] = text
            anchor = gid
        elif gid in known_ids:
            if text.strip() != _source(release_by_id[gid]).strip():
                notes.append(f"locked cell {gid} was edited; the original was restored")
            anchor = gid
        elif gid is not None or nbg.get("grade") or nbg.get("solution") or nbg.get("locked"):
            notes.append(f"cell with unknown grade_id {gid!r} dropped")
        elif cell.get("cell_type") in ("code", "markdown") and text.strip():
            extras.append((anchor, cell.get("cell_type"), text))
    missing = [gid for gid in solution_ids if gid not in answers]
    if missing:
        notes.append(f"solution cell(s) {', '.join(missing)} missing; the blank version was graded")

    first_hidden = next(
        (i for i, c in enumerate(source_nb["cells"]) if is_hidden_test(c)), len(source_nb["cells"])
    )
    last_before_hidden = next(
        (
            _meta(c).get("grade_id")
            for c in reversed(source_nb["cells"][:first_hidden])
            if _meta(c).get("grade_id")
        ),
        None,
    )
    hidden_or_after = {_meta(c).get("grade_id") for c in source_nb["cells"][first_hidden:]}
    cells = []
    placed = {}
    for anchor_id, kind, text in extras:  # student code never runs after a hidden test
        key = last_before_hidden if anchor_id in hidden_or_after else anchor_id
        placed.setdefault(key, []).append((kind, text))
    for kind, text in placed.pop(None, []):
        cells.append(_plain_cell(kind, text))
    for source_cell, release_cell in zip(source_nb["cells"], release_nb["cells"]):
        gid = _meta(release_cell).get("grade_id")
        cell = copy.deepcopy(source_cell)
        cell["id"] = release_cell.get("id", cell.get("id"))
        cell["metadata"] = copy.deepcopy(source_cell.get("metadata", {}))
        cell["source"] = _source(source_cell)
        if _meta(release_cell).get("solution"):
            cell["source"] = answers.get(gid, _source(release_cell))
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
        cells.append(cell)
        for kind, text in placed.pop(gid, []):
            cells.append(_plain_cell(kind, text))
    if extras:
        notes.append(
            f"{len(extras)} extra cell(s) of the student's own were kept (and run before the hidden tests)"
        )
    nb = {
        "cells": cells,
        "metadata": copy.deepcopy(release_nb.get("metadata", {})),
        "nbformat": 4,
        "nbformat_minor": release_nb.get("nbformat_minor", 5),
    }
    return nb, notes


def _plain_cell(kind, text):
    cell = {"cell_type": kind, "metadata": {}, "source": text, "id": secrets.token_hex(4)}
    if kind == "code":
        cell["outputs"], cell["execution_count"] = [], None
    return cell


# --------------------------------------------------------------------------------------------
# 3. Tripwires and the integrity fingerprint
# --------------------------------------------------------------------------------------------

FINGERPRINT = r"""
def _fingerprint():
    import hashlib, json, sys, types
    def digest(code):
        h = hashlib.sha256(code.co_code + repr((code.co_names, code.co_varnames)).encode())
        for const in code.co_consts:
            nested = isinstance(const, types.CodeType)
            h.update(digest(const).encode() if nested else repr(const).encode())
        return h.hexdigest()[:16]
    def of(fn):
        code = getattr(fn, "__code__", None)
        if code is None:
            return type(fn).__name__ + ":" + getattr(fn, "__qualname__", "?")
        return digest(code)
    out = {}
    grading = sys.modules.get("nnscratch.grading")
    if grading is None:
        import nnscratch.grading as grading
    out["grading_file"] = getattr(grading, "__file__", None)
    for name in sorted(vars(grading)):
        value = vars(grading)[name]
        if isinstance(value, types.FunctionType):
            out["grading." + name] = of(value)
    failure = getattr(grading, "LabTestFailure", object)
    out["LabTestFailure"] = [c.__name__ for c in failure.__mro__]
    # Its own methods too: a _render_traceback_ that raises would leave a failing test no error output.
    for name in sorted(vars(failure)):
        if isinstance(vars(failure)[name], types.FunctionType):
            out["LabTestFailure." + name] = of(vars(failure)[name])
    import numpy
    for label, fn in [("np.allclose", numpy.allclose), ("np.isclose", numpy.isclose),
                      ("np.array_equal", numpy.array_equal)]:
        out[label] = of(fn)
    # numpy.testing takes 0.1 s to import and no hidden test uses it: judge it once something
    # loaded it (by either route a test would reach it), and do not load it here.
    testing = sys.modules.get("numpy.testing") or vars(numpy).get("testing")
    out["np.testing.assert_allclose"] = of(testing.assert_allclose) if testing is not None else "not loaded"
    import builtins
    names = ("isinstance", "len", "print", "AssertionError", "Exception", "float", "abs", "exec")
    out["builtins"] = {n: type(getattr(builtins, n, None)).__name__ for n in names}
    ip = get_ipython()
    import os
    trusted = tuple(os.path.realpath(p) + os.sep for p in {sys.prefix, sys.base_prefix})

    def origin(obj):
        # Hooks from installed packages (matplotlib's inline backend registers one) are fine;
        # a hook defined in the notebook, or anywhere else, is not.
        fn = getattr(obj, "__func__", obj)
        code = getattr(fn, "__code__", None)
        code = code or getattr(getattr(type(obj), "__call__", None), "__code__", None)
        where = os.path.realpath(code.co_filename) if code is not None else "?"
        name = getattr(fn, "__qualname__", type(obj).__qualname__)
        return name + ("" if where.startswith(trusted) else " @ " + where)

    hooks = (list(ip.input_transformers_cleanup) + list(ip.input_transformers_post)
             + list(ip.ast_transformers) + list(getattr(ip.input_transformer_manager, "line_transforms", [])))
    out["transformers"] = sorted(origin(t) for t in hooks if " @ " in origin(t))
    out["events"] = sorted(f"{k}: {origin(cb)}" for k, v in ip.events.callbacks.items() for cb in v
                           if " @ " in origin(cb))
    # Hidden tests call the helpers by the names the setup cell imported: those names must still
    # be nnscratch's own objects, and np must still be NumPy.
    ns = ip.user_ns
    out["rebound"] = sorted(
        name for name, value in vars(grading).items()
        if isinstance(value, (types.FunctionType, type)) and name in ns and ns[name] is not value
    ) + (["np"] if "np" in ns and ns["np"] is not sys.modules.get("numpy") else [])
    out["trace"] = [repr(sys.gettrace()), repr(sys.getprofile())]
    out["custom_exc"] = repr(getattr(ip, "CustomTB", None)) if getattr(ip, "custom_exceptions", ()) else ""
    patched = "showtraceback" in vars(ip)
    out["showtraceback"] = "patched" if patched else getattr(type(ip).showtraceback, "__qualname__", "?")
    return out
"""


def expected_fingerprint():
    """The parts of the fingerprint that must equal those of a clean, trusted process."""
    namespace = {"get_ipython": None}
    exec(FINGERPRINT, namespace)
    fingerprint = namespace["_fingerprint"]
    # Without IPython here, take only the code digests.
    import numpy.testing  # noqa: F401  (the reference digest of what a kernel may load later)

    import nnscratch.grading  # noqa: F401

    class _Stub:
        input_transformers_cleanup = input_transformers_post = ast_transformers = []
        input_transformer_manager = None
        user_ns = {}
        events = type("E", (), {"callbacks": {}})()
        custom_exceptions = ()

        def showtraceback(self):
            pass

    namespace["get_ipython"] = _Stub
    full = fingerprint()
    return {k: v for k, v in full.items() if k.startswith(("grading", "np.", "LabTestFailure"))}


def fingerprint_cell(nonce):
    return FINGERPRINT + f"\nprint({nonce!r} + __import__('json').dumps(_fingerprint()))\ndel _fingerprint\n"


def _tripwire_bodies(rng):
    """Tests that must fail whatever the student wrote: (name, code). Values differ every run."""
    a = round(rng.uniform(0.1, 0.9), 4)
    b = round(a + rng.uniform(0.05, 0.5), 4)
    n = rng.randint(3, 6)
    alias = "_" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(6))
    return [
        (
            "assert_close",
            f"from nnscratch.grading import assert_close as {alias}\n"
            f"{alias}('result', np.full({n}, {a}), np.full({n}, {b}), rtol=1e-6)",
        ),
        (
            "assert_equal",
            f"from nnscratch.grading import assert_equal as {alias}\n"
            f"{alias}('labels', np.arange({n}), np.arange({n}) + 1)",
        ),
        (
            "assert_true",
            f"from nnscratch.grading import assert_true as {alias}\n"
            f"{alias}({a} > {b}, 'the value must be larger')",
        ),
        (
            "assert_between",
            f"from nnscratch.grading import assert_between as {alias}\n{alias}('accuracy', {a}, {b}, 1.0)",
        ),
        (
            "assert_shape",
            f"from nnscratch.grading import assert_shape as {alias}\n"
            f"{alias}('output', np.zeros(({n}, 2)), ({n}, 3))",
        ),
        (
            "assert_finite",
            f"from nnscratch.grading import assert_finite as {alias}\n"
            f"{alias}('loss', np.array([{a}, np.nan]))",
        ),
        ("np.allclose", f"assert np.allclose(np.full({n}, {a}), np.full({n}, {b})), 'values differ'"),
        ("assert", f"assert {a} == {b}, 'values differ'"),
        # As hidden tests do: the helpers by the names the notebook imported.
        ("assert_close (notebook name)", f"assert_close('result', np.full({n}, {a}), np.full({n}, {b}))"),
        (
            "check_against (notebook name)",
            f"check_against('f', lambda x: x + {a}, lambda x: x + {b}, [Case('a number', {n}.0)])",
        ),
    ]


def tripwire_cell(rng):
    """(name, source) of one tripwire, dressed like a hidden test cell."""
    name, body = rng.choice(_tripwire_bodies(rng))
    source = (
        f"# Hidden tests ({rng.randint(1, 4)} points)\n### BEGIN HIDDEN TESTS\nimport numpy as np\n"
        f"{body}\n### END HIDDEN TESTS"
    )
    return name, source


# A decoy is a hidden test with its expected results changed: the same cell, except that every
# function the cell defines and hands to check_against as the reference returns a changed result
# (every number moved one way by 10 to 30 percent plus 0.05 to 0.3, through a helper the grader
# defines first, which never raises), and every float literal in what assert_close / assert_equal
# expect is changed by 10 to 30 percent. Correct code fails a decoy. Code that returns what the
# test expects (read from the caller's frame, the reference function, the cell's source or
# IPython's history) passes it.
_CHECKERS = ("assert_close", "assert_equal")
_MAX_TOL = 1e-3  # an assert with a looser tolerance is left as it is: a 10 percent change might pass

DECOY_HELPER = """
def {name}(value, _sign={sign}, _scale={scale}, _shift={shift}):
    # Every number moves the same way by at least 10 percent and at least 0.05: no fixed point.
    import numpy as _np
    if isinstance(value, (bool, _np.bool_)):
        return object()  # not the negation: a student whose logic is inverted must not match
    if isinstance(value, (int, float, _np.number)) or (
        isinstance(value, _np.ndarray) and value.dtype.kind in "biuf"
    ):
        return value + _sign * (abs(value) * _scale + _shift)
    if isinstance(value, (tuple, list)):
        return type(value)({name}(v) for v in value)
    if isinstance(value, dict):
        return {{k: {name}(v) for k, v in value.items()}}
    return object()  # anything else: a value nothing equals
"""


def _call_name(node):
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _perturbed_literal(text, value, rng):
    change = rng.uniform(0.1, 0.3) * rng.choice((-1, 1))
    new = value * (1 + change) if value else change
    digits = max(2, sum(ch.isdigit() for ch in text.lstrip("0.").split("e")[0]))
    out = f"{new:.{digits}g}"
    return out if "." in out or "e" in out else out + ".0"


def decoy_cell(source, rng):
    """(helper source, decoy source, restore source) for a hidden test cell, or None.

    The helper defines the function the decoy's references return through; the restore source
    re-defines the cell's own reference functions, unchanged, for when the decoy runs after the
    real test (later hidden tests may call them).
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    raw = source.encode("utf-8")  # AST columns count bytes
    starts = [0]
    for line in raw.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))

    def span(node):
        return starts[node.lineno - 1] + node.col_offset, starts[node.end_lineno - 1] + node.end_col_offset

    defs = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    helper = "_" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(8))
    edits, references = [], set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        if name == "check_against" and len(node.args) >= 2:
            references |= {n.id for n in ast.walk(node.args[1]) if isinstance(n, ast.Name) and n.id in defs}
        elif name in _CHECKERS:
            expected = node.args[2] if len(node.args) >= 3 else None
            expected = next((k.value for k in node.keywords if k.arg == "expected"), expected)
            loose = any(
                not (isinstance(k.value, ast.Constant) and type(k.value.value) in (int, float))
                or k.value.value > _MAX_TOL
                for k in node.keywords
                if k.arg in ("rtol", "atol")
            )
            if expected is None or loose:
                continue
            for const in ast.walk(expected):
                if isinstance(const, ast.Constant) and type(const.value) is float:
                    a, b = span(const)
                    text = raw[a:b].decode("utf-8")
                    edits.append((a, b, _perturbed_literal(text, const.value, rng)))
    for name in sorted(references):
        for node in ast.walk(defs[name]):
            if isinstance(node, ast.Return) and node.value is not None:
                a, b = span(node.value)
                edits.append((a, b, f"{helper}({raw[a:b].decode('utf-8')})"))
    if not edits:
        return None
    decoy = raw
    for a, b, text in sorted(edits, reverse=True):
        decoy = decoy[:a] + text.encode("utf-8") + decoy[b:]
    helper_source = DECOY_HELPER.format(
        name=helper,
        sign=rng.choice((-1, 1)),
        scale=f"{rng.uniform(0.1, 0.3):.3g}",
        shift=f"{rng.uniform(0.05, 0.3):.3g}",
    )
    restore = "\n\n".join(ast.get_source_segment(source, defs[name]) for name in sorted(references))
    return helper_source, decoy.decode("utf-8"), restore


# --------------------------------------------------------------------------------------------
# 2. Run
# --------------------------------------------------------------------------------------------


def _client_class():
    from nbclient import NotebookClient

    class CappedClient(NotebookClient):
        """nbclient with a cap on the bytes of output kept for the whole notebook."""

        output_limit = 2_000_000
        _kept = 0
        _truncated = False

        def output(self, outs, msg, display_id, cell_index):
            size = len(json.dumps(msg.get("content", {}), default=str))
            if self._kept + size > self.output_limit:
                if not self._truncated:
                    self._truncated = True
                    from nbformat.v4 import new_output

                    outs.append(
                        new_output(
                            "stream", name="stderr", text=TRUNCATION_NOTE.format(limit=self.output_limit)
                        )
                    )
                return None
            self._kept += size
            return super().output(outs, msg, display_id, cell_index)

    return CappedClient


def _error_name(cell):
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return out.get("ename") or "Error"
    return None


def run_notebook(
    nb,
    limits,
    use_sandbox=True,
    mpl_cache=None,
    seed=None,
    workdir_source=None,
    run_tag=None,
    decoys=(),
):
    """Execute ``nb`` (a dict from :func:`normalise`) with tripwires; returns a result dict.

    The result holds the executed notebook, a snapshot of every cell's outputs taken before the
    first hidden test ran, which cells ran, the tripwire and fingerprint outcomes and the seconds.
    """
    import nbformat
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    rng = random.Random(seed if seed is not None else secrets.randbits(64))
    nonce = "fp-" + secrets.token_hex(8)
    work = nbformat.from_dict(copy.deepcopy(nb))
    original = list(work.cells)
    # The plan: fingerprint, the notebook, a tripwire before the first hidden test and after
    # every hidden test, then the fingerprint again.
    plan = [("fingerprint", nbformat.v4.new_code_cell(fingerprint_cell(nonce)))]
    first_hidden = next((i for i, c in enumerate(original) if is_hidden_test(c)), None)
    for i, cell in enumerate(original):
        if i == first_hidden:
            name, src = tripwire_cell(rng)
            plan.append(("tripwire:" + name, nbformat.v4.new_code_cell(src)))
        gid = _meta(cell).get("grade_id")
        decoy = (
            decoy_cell(cell.source, rng)
            if is_hidden_test(cell) and (decoys == "all" or gid in decoys)
            else None
        )
        # A decoy runs just before or just after its hidden test, at random: code that told them
        # apart by their order (steal at the second call) would still be caught half the time.
        before = decoy is not None and rng.random() < 0.5
        if before:
            plan += [
                ("grader", nbformat.v4.new_code_cell(decoy[0])),
                (f"decoy:{gid}", nbformat.v4.new_code_cell(decoy[1])),
            ]
        plan.append((i, cell))
        if is_hidden_test(cell):
            name, src = tripwire_cell(rng)
            plan.append(("tripwire:" + name, nbformat.v4.new_code_cell(src)))
        if decoy is not None and not before:
            plan += [
                ("grader", nbformat.v4.new_code_cell(decoy[0])),
                (f"decoy:{gid}", nbformat.v4.new_code_cell(decoy[1])),
                ("grader", nbformat.v4.new_code_cell(decoy[2])),
            ]
    if first_hidden is None:
        name, src = tripwire_cell(rng)
        plan.append(("tripwire:" + name, nbformat.v4.new_code_cell(src)))
    plan.append(("fingerprint", nbformat.v4.new_code_cell(fingerprint_cell(nonce))))

    run_nb = nbformat.v4.new_notebook(metadata=work.metadata)
    run_nb.cells = [cell for _, cell in plan]
    client_cls = _client_class()
    result = {
        "ran": set(),
        "snapshot": {},
        "tripwires": [],
        "fingerprints": [],
        "problems": [],
        "hidden_guarded": {},
        "seconds": 0.0,
    }
    start = time.monotonic()
    deadline = start + limits.notebook_seconds
    hidden_seen = False
    with sandbox.sandboxed_kernel(
        limits, sandbox=use_sandbox, mpl_cache=mpl_cache, workdir_source=workdir_source, run_tag=run_tag
    ) as (km, watchdog):
        client = client_cls(
            run_nb,
            km=km,
            timeout=limits.cell_seconds,
            kernel_name="python3",
            allow_errors=True,
            interrupt_on_timeout=True,
            record_timing=True,
            shutdown_kernel="immediate",
            iopub_timeout=10,
        )
        client.output_limit = limits.output_bytes
        try:
            with client.setup_kernel():
                last_hidden = None
                for index, (label, cell) in enumerate(plan):
                    if cell.cell_type != "code":
                        continue
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        result["problems"].append(
                            f"the notebook ran longer than {limits.notebook_seconds} s "
                            "in all; the remaining cells were not run"
                        )
                        break
                    # Snapshot what the student may see before any hidden test or tripwire runs:
                    # a hook could copy their source into an earlier output (display updates).
                    grader_code = (isinstance(label, int) and is_hidden_test(cell)) or str(label).startswith(
                        ("tripwire", "decoy", "grader")
                    )
                    if grader_code and not hidden_seen:
                        hidden_seen = True
                        result["snapshot"] = {
                            i: copy.deepcopy(original[i].get("outputs", [])) for i in result["ran"]
                        }
                    client.timeout = int(max(1, min(limits.cell_seconds, remaining)))
                    began = time.monotonic()
                    try:
                        client.execute_cell(cell, index)
                    except CellTimeoutError:
                        pass
                    if time.monotonic() - began >= client.timeout - 0.5 and _error_name(cell) in (
                        None,
                        "KeyboardInterrupt",
                    ):
                        # nbclient interrupted the cell: say so in words, as nbgrader does.
                        cell.outputs = list(cell.get("outputs", [])) + [
                            nbformat.v4.new_output(
                                "error",
                                ename="CellTimeoutError",
                                evalue=f"the cell ran longer than {client.timeout} s and was stopped",
                                traceback=[],
                            )
                        ]
                    if isinstance(label, int):
                        result["ran"].add(label)
                        if is_hidden_test(cell):
                            last_hidden = label
                    elif label.startswith(("tripwire:", "decoy:")):
                        tripped = _error_name(cell) is not None and not _timed_out(cell)
                        kind, name = label.split(":", 1)
                        result["tripwires"].append(
                            {
                                "name": name,
                                "tripped": tripped,
                                "error": _error_name(cell),
                                "decoy": kind == "decoy",
                            }
                        )
                        if kind == "tripwire" and last_hidden is not None:
                            result["hidden_guarded"][last_hidden] = tripped
                    elif label == "fingerprint":
                        result["fingerprints"].append(_read_fingerprint(cell, nonce))
        except DeadKernelError:
            result["problems"].append(
                "the kernel died (it may have run out of memory or been killed); "
                "the cells after that were not run"
            )
        except Exception as exc:  # a kernel that does not start, a broken message: only this submission
            result["problems"].append(f"execution stopped: {type(exc).__name__}: {exc}")
        if watchdog is not None and watchdog.reason:
            result["problems"].append(f"the sandbox was stopped: {watchdog.reason}")
        result["truncated"] = getattr(client, "_truncated", False)
    if not hidden_seen:
        result["snapshot"] = {i: copy.deepcopy(original[i].get("outputs", [])) for i in result["ran"]}
    result["seconds"] = time.monotonic() - start
    result["notebook"] = work
    return result


def _timed_out(cell):
    return _error_name(cell) in ("CellTimeoutError", "KeyboardInterrupt")


def _read_fingerprint(cell, nonce):
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stdout":
            for line in out.get("text", "").splitlines():
                if line.startswith(nonce):
                    try:
                        return json.loads(line[len(nonce) :])
                    except json.JSONDecodeError:
                        return None
    return None


# --------------------------------------------------------------------------------------------
# 4. Score and flags
# --------------------------------------------------------------------------------------------


def tampering(result, expected):
    """Reasons to flag the submission (empty when nothing is wrong)."""
    reasons = []
    for trip in result["tripwires"]:
        if trip["tripped"] or trip["error"] is not None:
            continue
        if trip.get("decoy"):
            reasons.append(
                f"a copy of hidden test {trip['name']} whose expected results were changed passed: the "
                "code returns what the test expects (read from the test itself) instead of computing it"
            )
        else:
            reasons.append(f"a check that must fail ({trip['name']}) passed: the test helpers were changed")
    prints = result["fingerprints"]
    before = prints[0] if prints else None
    after = prints[-1] if len(prints) > 1 else None
    if before is None:
        reasons.append("the grader's first integrity check did not report")
    elif after is None and not result["problems"]:
        reasons.append("the grader's final integrity check did not report (its cell was changed or hidden)")
    for label, fp in (("before", before), ("after", after)):
        if fp is None:
            continue
        for key, value in expected.items():
            if key == "grading_file" or fp.get(key) == "not loaded":
                continue
            if fp.get(key) != value:
                reasons.append(f"{key} differs from the course's ({label} the student's code ran)")
    if before and after:
        for key in ("transformers", "events", "trace", "custom_exc", "showtraceback", "builtins"):
            if before.get(key) != after.get(key):
                reasons.append(f"IPython/Python internals changed during the run: {key}")
    if after and after.get("rebound"):
        reasons.append("the notebook rebound names the hidden tests use: " + ", ".join(after["rebound"]))
    return sorted(set(reasons))


def score_cells(nb, result):
    """{grade_id: [score, max_score]}: points when the cell ran without error (and, for a hidden
    test, when the tripwire after it ran and failed as it must)."""
    scores = {}
    for i, cell in enumerate(nb.cells):
        meta = _meta(cell)
        if not meta.get("grade"):
            continue
        points = float(meta.get("points", 0) or 0)
        ok = i in result["ran"] and cell.cell_type == "code" and _error_name(cell) is None
        if ok and is_hidden_test(cell) and not result["hidden_guarded"].get(i, False):
            ok = False
        scores[meta["grade_id"]] = [points if ok else 0.0, points]
    return scores


# --------------------------------------------------------------------------------------------
# 5. The feedback notebook
# --------------------------------------------------------------------------------------------


def feedback_notebook(nb, release_nb, result, scores, header):
    """The notebook a student sees: own cells and visible tests as they ran before any hidden test;
    hidden tests as their hint, verdict and points."""
    import nbformat

    release_by_id = {_meta(c).get("grade_id"): c for c in release_nb["cells"] if _meta(c).get("grade_id")}
    out = nbformat.v4.new_notebook(
        metadata={"kernelspec": nb.metadata.get("kernelspec", {}), "language_info": {"name": "python"}}
    )
    out.cells.append(nbformat.v4.new_markdown_cell(header))
    for i, cell in enumerate(nb.cells):
        meta = _meta(cell)
        gid = meta.get("grade_id")
        if cell.cell_type != "code":
            out.cells.append(
                nbformat.v4.new_markdown_cell(_source(cell))
                if cell.cell_type == "markdown"
                else nbformat.v4.new_raw_cell(_source(cell))
            )
            continue
        if is_hidden_test(cell):
            hint = _source(release_by_id[gid]) if gid in release_by_id else "# hidden tests"
            new = nbformat.v4.new_code_cell(hint)
            got, total = scores.get(gid, [0, 0])
            verdict = "PASSED" if got == total and i in result["ran"] else "FAILED"
            why = "" if verdict == "PASSED" else (" (the cell did not run)" if i not in result["ran"] else "")
            new.outputs = [
                nbformat.v4.new_output(
                    "stream",
                    name="stdout",
                    text=f"[grader] hidden test {gid}: {verdict}, {got:g} of {total:g} points{why}\n",
                )
            ]
            out.cells.append(new)
            continue
        new = nbformat.v4.new_code_cell(_source(cell))
        new.outputs = [nbformat.from_dict(o) for o in result["snapshot"].get(i, [])]
        if i not in result["snapshot"] and i in result["ran"]:
            new.outputs = [
                nbformat.v4.new_output(
                    "stream",
                    name="stdout",
                    text="[grader] this cell ran after a hidden test; its output is not shown\n",
                )
            ]
        if meta.get("grade"):
            got, total = scores.get(gid, [0, 0])
            passed = i in result["ran"] and _error_name(cell) is None
            new.outputs.append(
                nbformat.v4.new_output(
                    "stream",
                    name="stdout",
                    text=f"[grader] test {gid}: {'PASSED' if passed else 'FAILED'}, "
                    f"{got:g} of {total:g} points\n",
                )
            )
        out.cells.append(new)
    return out


# --------------------------------------------------------------------------------------------
# Everything for one submission (runs in a worker process)
# --------------------------------------------------------------------------------------------


def grade_submission(job):
    """Grade one submission. ``job`` is a dict (root, lab, student, path, limits, sandbox, mpl_cache).

    Returns a JSON-able dict: status ("graded" or "failed"), reason, scores, flags, notes, problems,
    the executed notebook and the feedback notebook (as JSON strings), seconds.
    """
    import nbformat

    root, lab, student = Path(job["root"]), job["lab"], job["student"]
    limits = sandbox.Limits(**job["limits"])
    start = time.monotonic()
    report = {
        "lab": lab,
        "student": student,
        "status": "failed",
        "reason": "",
        "scores": {},
        "flags": [],
        "notes": [],
        "problems": [],
        "seconds": 0.0,
        "run": job.get("run"),
        "decoys": sorted(job.get("decoys", ())),  # the hidden tests that also ran as a decoy
    }
    try:
        release_nb = json.loads((root / "labs" / lab / f"{lab}.ipynb").read_text())
        source_nb = json.loads((root / "solutions" / lab / f"{lab}.ipynb").read_text())
        zero = {
            _meta(c)["grade_id"]: [0.0, float(_meta(c).get("points", 0) or 0)]
            for c in source_nb["cells"]
            if _meta(c).get("grade")
        }
        report["scores"] = zero
        submission = read_submission(job["path"])
        nb, notes = normalise(submission, release_nb, source_nb)
        report["notes"] = notes
        result = run_notebook(
            nb,
            limits,
            use_sandbox=job["sandbox"],
            mpl_cache=job.get("mpl_cache"),
            workdir_source=job.get("workdir_source"),
            run_tag=job.get("run"),
            decoys=set(job.get("decoys", ())),
        )
        executed = result["notebook"]
        scores = score_cells(executed, result)
        flags = tampering(result, job["expected"])
        report.update(
            status="graded",
            scores=scores,
            flags=flags,
            problems=result["problems"],
            truncated=result.get("truncated", False),
        )
        if flags:
            report["scores"] = {gid: [0.0, total] for gid, (_, total) in scores.items()}
            report["scores_before_flag"] = scores
        header = feedback_header(student, lab, report)
        fb = feedback_notebook(executed, release_nb, result, report["scores"], header)
        report["autograded"] = nbformat.writes(executed)
        report["feedback"] = nbformat.writes(fb)
    except SubmissionError as exc:
        report["reason"] = str(exc)
    except Exception as exc:  # anything else costs only this submission
        report["reason"] = f"{type(exc).__name__}: {exc}"
    report["seconds"] = time.monotonic() - start
    return report


def valid_decoys(job):
    """The hidden tests (grade ids) whose decoys the lab's own solution fails, as correct code must.

    ``job`` is a grade_submission job whose ``path`` is unused: the submission is the solution
    itself. A decoy the solution passes (a test whose reference raises in every case, say) would
    flag honest students, so it is not used. Nothing is used if the solution does not run cleanly.
    """
    root, lab = Path(job["root"]), job["lab"]
    try:
        release_nb = json.loads((root / "labs" / lab / f"{lab}.ipynb").read_text())
        source_nb = json.loads((root / "solutions" / lab / f"{lab}.ipynb").read_text())
        nb, _ = normalise(copy.deepcopy(source_nb), release_nb, source_nb)
        result = run_notebook(
            nb,
            sandbox.Limits(**job["limits"]),
            use_sandbox=job["sandbox"],
            mpl_cache=job.get("mpl_cache"),
            workdir_source=job.get("workdir_source"),
            run_tag=job.get("run"),
            decoys="all",
        )
    except Exception:  # noqa: BLE001 - no decoys is the safe answer
        return []
    if result["problems"]:
        return []
    return sorted(t["name"] for t in result["tripwires"] if t.get("decoy") and t["tripped"])


def feedback_header(student, lab, report):
    import html

    got = sum(s for s, _ in report["scores"].values())
    total = sum(t for _, t in report["scores"].values())
    lines = [
        f"# Feedback: {html.escape(lab)}",
        "",
        f"Student: `{html.escape(student)}` · score **{got:g} / {total:g}**",
        "",
    ]
    if report["flags"]:
        lines += [
            "**This submission was flagged for review and scores 0 until an instructor has looked at it:**",
            "",
        ]
        lines += [f"- {html.escape(f)}" for f in report["flags"]] + [""]
    if report["notes"] or report["problems"]:
        lines += ["Notes from the grader:", ""]
        lines += [f"- {html.escape(n)}" for n in report["notes"] + report["problems"]] + [""]
    lines += ["| test cell | points |", "|---|---|"]
    lines += [f"| {html.escape(gid)} | {s:g} / {t:g} |" for gid, (s, t) in report["scores"].items()]
    lines += ["", "Hidden tests show only their description, verdict and points; their code is not shown."]
    return "\n".join(lines)


def b64_variants(line):
    """Base64 forms in which ``line`` can appear inside a longer base64 text (three alignments)."""
    data = line.encode()
    out = set()
    for pad in range(3):
        enc = base64.b64encode(b"\0" * pad + data).decode().rstrip("=")
        skip = -(-pad * 4 // 3)  # characters that encode the padding bytes
        core = enc[skip + 1 : -2] if len(enc) > skip + 4 else ""
        if len(core) >= 8:
            out.add(core)
    return out


def fingerprint_digest(text):
    return hashlib.sha256(text.encode()).hexdigest()[:12]
