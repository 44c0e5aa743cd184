"""Helpers for the nbgrader integrity tests (tests/test_nbgrader_*.py).

Everything here works on a temporary copy of the course, never on the repository. The course
under test is this repository, or the one named by the environment variable NN_COURSE_ROOT
(used to develop and demonstrate the tests on a deliberately broken copy).
"""

import ast
import copy
import importlib.util
import json
import os
import shutil
import sys
from pathlib import Path

COURSE = Path(os.environ.get("NN_COURSE_ROOT", Path(__file__).resolve().parent.parent)).resolve()


def _load_module(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ops = _load_module("nbgrader_ops", COURSE / "tools" / "nbgrader_ops.py")
sys.modules.setdefault("nbgrader_ops", ops)
# The course's notebook runner (behind `make course`): one way to start a kernel and time cells.
course_tool = _load_module("course_tool", COURSE / "tools" / "course.py")
cell_seconds = course_tool.cell_seconds

LABS = ops.lab_ids(COURSE)
KERNELSPEC = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}


# --------------------------------------------------------------------------------------------
# Notebooks
# --------------------------------------------------------------------------------------------


def read_nb(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write_nb(nb, path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def source(cell):
    return ops._source(cell)


def meta(cell):
    return ops._meta(cell)


def grade_id(cell):
    return meta(cell).get("grade_id")


def cell_index(nb, gid):
    for i, cell in enumerate(nb["cells"]):
        if grade_id(cell) == gid:
            return i
    raise KeyError(f"no cell with grade_id {gid!r}")


def graded_cells(nb):
    """{grade_id: points} of the graded (test) cells, in notebook order."""
    return {grade_id(c): meta(c).get("points", 0) for c in nb["cells"] if meta(c).get("grade")}


def solution_cells(nb):
    return [grade_id(c) for c in nb["cells"] if meta(c).get("solution")]


def without_markers(text):
    """A solution cell as a student who completed it would hand it in (the markers removed)."""
    return "\n".join(
        line for line in text.split("\n") if ops.BEGIN_SOLUTION not in line and ops.END_SOLUTION not in line
    )


def inject(text, code):
    """Put ``code`` (one or more lines) at the start of the first solution region, markers removed."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if ops.BEGIN_SOLUTION in line:
            indent = line[: len(line) - len(line.lstrip())]
            lines[i + 1 : i + 1] = [indent + c for c in code.split("\n")]
            break
    else:  # a solution cell without markers: the whole cell is the student's
        lines = code.split("\n") + lines
    return without_markers("\n".join(lines))


def complete_submission(release_nb, source_nb):
    """The student version with every solution cell filled in with the solution."""
    solutions = {grade_id(c): source(c) for c in source_nb["cells"] if meta(c).get("solution")}
    nb = copy.deepcopy(release_nb)
    for cell in nb["cells"]:
        if meta(cell).get("solution"):
            cell["source"] = without_markers(solutions[grade_id(cell)])
    return nb


# --------------------------------------------------------------------------------------------
# A temporary course
# --------------------------------------------------------------------------------------------


def make_course(dest, labs, course=COURSE):
    """Copy what nbgrader needs for ``labs`` (config, tools/, solutions/<lab>/) into ``dest``."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(course / "nbgrader_config.py", dest)
    shutil.copytree(course / "tools", dest / "tools", ignore=shutil.ignore_patterns("__pycache__"))
    for lab in labs:
        shutil.copytree(
            course / "solutions" / lab,
            dest / "solutions" / lab,
            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
        )
    (dest / "labs").mkdir(exist_ok=True)
    return dest


def submit(root, student, lab, nb):
    write_nb(nb, Path(root) / "submitted" / student / lab / f"{lab}.ipynb")


def error_names(cell):
    return [o.get("ename") for o in cell.get("outputs", []) if o.get("output_type") == "error"]


# --------------------------------------------------------------------------------------------
# Running notebooks directly (mistakes, reference runs)
# --------------------------------------------------------------------------------------------


def execute(nb, cwd, timeout=60, stop_after=None):
    """Execute a notebook (dict) with nbclient, errors allowed; cells after ``stop_after`` are dropped.

    A cell running longer than ``timeout`` is interrupted and gets a CellTimeoutError output.
    The kernel is started by tools/course.py's notebook_client (IPC sockets, so parallel test
    workers never race for TCP ports).
    """
    import nbformat

    nb = copy.deepcopy(nb)
    if stop_after is not None:
        nb["cells"] = nb["cells"][: stop_after + 1]
    node = nbformat.reads(json.dumps(nb), as_version=4)  # joins multi-line sources
    timeout_error = {"ename": "CellTimeoutError", "evalue": f"cell ran over {timeout} s", "traceback": []}
    with course_tool.notebook_client(
        node, cwd, timeout, allow_errors=True, interrupt_on_timeout=True, error_on_timeout=timeout_error
    ) as client:
        client.execute()
    return json.loads(nbformat.writes(node))


# --------------------------------------------------------------------------------------------
# Which tasks to break in the combined "broken submission"
# --------------------------------------------------------------------------------------------


def _names(text):
    """(defined, used) global names of a code cell; magics are translated first. Approximate."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        tree = ast.parse(TransformerManager().transform_cell(text))
    except SyntaxError:
        return set(), set()
    defined, used = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            defined |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.Name):
            (defined if isinstance(node.ctx, ast.Store) else used).add(node.id)
    return defined, used


def dependants(nb):
    """{solution grade_id: set of indices of later code cells that (transitively) use its names}."""
    cells = [(i, c) for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"]
    names = {i: _names(source(c)) for i, c in cells}
    result = {}
    for i, cell in cells:
        if not meta(cell).get("solution"):
            continue
        tainted, affected = set(names[i][0]), set()
        for j, _ in cells:
            if j <= i:
                continue
            defined, used = names[j]
            if used & tainted:
                affected.add(j)
                tainted |= defined
        result[grade_id(cell)] = affected
    return result


def broken_candidates(nb):
    """(loop_task, error_task) pairs, best first: the loop hits few cells, most tests stay unaffected."""
    deps = dependants(nb)
    graded = {i for i, c in enumerate(nb["cells"]) if meta(c).get("grade")}
    pairs = []
    for loop in deps:
        for err in deps:
            if loop == err:
                continue
            untouched = graded - deps[loop] - deps[err]
            pairs.append(((-min(len(untouched), 2), len(deps[loop]), -len(untouched)), loop, err))
    return [(loop, err) for _, loop, err in sorted(pairs)]


LOOP_CODE = "while True:  # a student's infinite loop\n    pass"
LOOP_STAND_IN = "raise KeyboardInterrupt('stands in for an infinite loop stopped by the timeout')"
ERROR_CODE = "raise RuntimeError('a bug in the student code')"


# --------------------------------------------------------------------------------------------
# Mistake catalogues
# --------------------------------------------------------------------------------------------


def catalogue_path(lab, course=COURSE):
    return course / "tests" / "mistakes" / f"{ops.short_name(lab)}.py"


def load_catalogue(lab, course=COURSE):
    """The MISTAKES list of a lab, or None when tests/mistakes/labNN.py does not exist."""
    path = catalogue_path(lab, course)
    if not path.exists():
        return None
    module = _load_module(f"mistakes_{ops.short_name(lab)}", path)
    return list(module.MISTAKES)


# --------------------------------------------------------------------------------------------
# A small dummy lab, only ever written into temporary folders (tests of the tools themselves)
# --------------------------------------------------------------------------------------------


def _cell(kind, gid, text, **flags):
    md = {
        "grade": False,
        "grade_id": gid,
        "locked": True,
        "schema_version": 3,
        "solution": False,
        "task": False,
    }
    md.update(flags)
    cell = {"cell_type": kind, "metadata": {"nbgrader": md}, "source": text, "id": gid}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def dummy_lab():
    """A two-task nbgrader source notebook (softmax, accuracy) in the course's layout: visible tests
    with 0 points under each task, then one hidden test cell per task carrying its points."""
    sol = dict(locked=False, solution=True)
    cells = [
        _cell("markdown", "intro", "# Dummy lab\nTwo small tasks."),
        _cell("code", "setup", "import numpy as np\nfrom nnscratch.grading import assert_close, assert_true"),
        _cell(
            "code",
            "softmax-solution",
            'def softmax(Z):\n    """Row-wise softmax. Z: (N, K) -> (N, K)."""\n    ### BEGIN SOLUTION\n'
            "    shifted_scores = Z - Z.max(axis=1, keepdims=True)\n"
            "    return np.exp(shifted_scores) / np.exp(shifted_scores).sum(axis=1, keepdims=True)\n"
            "    ### END SOLUTION",
            **sol,
        ),
        _cell(
            "code",
            "softmax-tests",
            'assert_close("softmax(Z) row sums", softmax(np.ones((2, 3))).sum(axis=1), np.ones(2))\n'
            'print("Task 1 passed.")',
            grade=True,
            points=0,
        ),
        _cell(
            "code",
            "accuracy-solution",
            'def accuracy(P, y):\n    """P: (N, K), y: (N,) -> float."""\n    ### BEGIN SOLUTION\n'
            "    return float(np.mean(P.argmax(axis=1) == y))\n    ### END SOLUTION",
            **sol,
        ),
        _cell(
            "code",
            "accuracy-tests",
            'assert_close("accuracy", accuracy(np.eye(2), np.array([0, 0])), 0.5)\nprint("Task 2 passed.")',
            grade=True,
            points=0,
        ),
        _cell("markdown", "hidden-intro", "## Hidden tests\nThese run when the lab is graded."),
        _cell(
            "code",
            "softmax-hidden",
            "# Hidden tests (3 points): softmax on large logits.\n"
            "### BEGIN HIDDEN TESTS\nhidden_big_scores = np.array([[1000.0, 1001.0]])\n"
            'assert_close("softmax(big)", softmax(hidden_big_scores),\n'
            "             np.array([[0.2689414213699951, 0.7310585786300049]]))\n"
            "### END HIDDEN TESTS",
            grade=True,
            points=3,
        ),
        _cell(
            "code",
            "accuracy-hidden",
            "# Hidden tests (2 points): accuracy on three samples.\n"
            "### BEGIN HIDDEN TESTS\n"
            'assert_close("accuracy(hidden)", accuracy(np.eye(3), np.array([0, 1, 1])), 2 / 3)\n'
            "### END HIDDEN TESTS",
            grade=True,
            points=2,
        ),
    ]
    return {"cells": cells, "metadata": copy.deepcopy(KERNELSPEC), "nbformat": 4, "nbformat_minor": 5}


DUMMY_MISTAKES = [
    {
        "name": "softmax without the max shift",
        "cell": "softmax-solution",
        "source": "def softmax(Z):\n    return np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)\n",
        "fails": ["softmax-tests", "softmax-hidden"],
    },
    {
        "name": "labels off by one",
        "cell": "accuracy-solution",
        "source": "def accuracy(P, y):\n    return float(np.mean(P.argmax(axis=1) + 1 == y))\n",
        "fails": ["accuracy-tests", "accuracy-hidden"],
    },
]


def make_dummy_course(dest, lab="lab01-dummy", course=COURSE):
    """A temporary course holding only the dummy lab (and this course's config and tools)."""
    dest = make_course(dest, [], course)
    write_nb(dummy_lab(), dest / "solutions" / lab / f"{lab}.ipynb")
    return dest


# --------------------------------------------------------------------------------------------
# Grading with the course's autograder (sandboxed), as `make autograde` does
# --------------------------------------------------------------------------------------------


def autograde(root, lab, students=None, timeout=None, jobs=2, **limits):
    """{student: report} after grading submitted/<student>/<lab>/ with tools/autograde.py."""
    import sandbox as sandbox_module

    reports = ops._autograde.autograde(
        root,
        [lab],
        students,
        force=True,
        timeout=timeout,
        jobs=jobs,
        limits=sandbox_module.Limits(**limits),
        quiet=True,
    )
    return {r["student"]: r for r in reports}


def lost_points(report):
    """Graded cells that scored below their points (0-point cells never lose any)."""
    return sorted(g for g, (s, t) in report["scores"].items() if t > 0 and s < t)
