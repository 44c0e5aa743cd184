"""The instructor tools themselves (tools/nbgrader_ops.py, tools/instructor.mk, nbgrader_config.py).

Run on a small dummy lab written into a temporary folder, so they do not depend on the course's
labs: `make validate` exits non-zero naming the failing tests, `make autograde`, `make feedback`
(hidden tests removed; a leak is caught and the file withdrawn), `make grades`, and every option
in nbgrader_config.py exists in the installed nbgrader.
"""

import csv
import importlib
import inspect
import json
import os
import pkgutil
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from nbgrader_support import (
    COURSE,
    DUMMY_MISTAKES,
    cell_index,
    complete_submission,
    make_dummy_course,
    ops,
    read_nb,
    submit,
    write_nb,
)

pytestmark = [
    pytest.mark.nbgrader,
    # nbgrader.api's SQLAlchemy models warn when first used; nothing the course can change
    pytest.mark.filterwarnings("ignore:User-placed attribute"),
]
LAB = "lab01-dummy"
VENV = Path(sys.executable).parent.parent


# ------------------------------------------------------------------------------- configuration


def _configurable_classes():
    import warnings

    import nbconvert
    import nbgrader
    from traitlets.config import Configurable

    found = {}
    for package in (nbgrader, nbconvert):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if any(part in info.name for part in (".tests", "__main__", "labextension", ".docs")):
                continue
            try:
                with warnings.catch_warnings():  # deprecated modules warn on import; not ours
                    warnings.simplefilter("ignore")
                    module = importlib.import_module(info.name)
            except Exception:  # optional server pieces may not import here; they hold no batch options
                continue
            for obj in vars(module).values():
                if inspect.isclass(obj) and issubclass(obj, Configurable):
                    found.setdefault(obj.__name__, set()).add(obj)
    return found


def test_every_config_option_exists_in_nbgrader():
    """nbgrader ignores a misspelt option in nbgrader_config.py; this does not."""
    import warnings

    from traitlets import HasTraits
    from traitlets.config.loader import PyFileConfigLoader

    with warnings.catch_warnings():  # nbgrader.api's SQLAlchemy models warn on import; not ours
        warnings.simplefilter("ignore")
        config = PyFileConfigLoader("nbgrader_config.py", str(COURSE)).load_config()
    classes = _configurable_classes()
    problems, checked = [], 0
    for section, options in config.items():
        if section not in classes:
            problems.append(f"c.{section}: no configurable class of that name in nbgrader or nbconvert")
            continue
        for key, value in options.items():
            owners = [cls for cls in classes[section] if key in cls.class_traits(config=True)]
            if not owners:
                problems.append(f"c.{section}.{key}: not an option of {section}")
                continue
            trait = owners[0].class_traits(config=True)[key]
            try:
                trait.validate(HasTraits(), value)
            except Exception as err:
                problems.append(f"c.{section}.{key} = {value!r}: {err}")
            checked += 1
    assert not problems, "\n".join(problems)
    assert checked >= 10
    assert config.Execute.timeout > 30, "set Execute.timeout deliberately (nbgrader's default is 30 s)"
    assert config.OverwriteCells.add_missing_cells is True, "deleted test cells must be restored"
    assert any(getattr(p, "__name__", "") == "HideHiddenTests" for p in config.GenerateFeedback.preprocessors)


# ------------------------------------------------------------------------------- HideHiddenTests


def test_hide_hidden_tests_removes_code_and_traceback_lines_but_keeps_the_rest():
    import nbformat

    red, reset = "\x1b[0;31m", "\x1b[0m"
    cell = nbformat.v4.new_code_cell(
        'assert_close("visible", f(1), 2)\n### BEGIN HIDDEN TESTS\nsecret_input = make_secret_case(7)\n'
        'assert_close("hidden", f(secret_input), 49)\n### END HIDDEN TESTS',
        metadata={
            "nbgrader": {
                "grade": True,
                "grade_id": "f-tests",
                "points": 2,
                "locked": True,
                "solution": False,
                "schema_version": 3,
                "task": False,
            }
        },
    )
    cell.outputs = [
        nbformat.v4.new_output(
            "error",
            ename="LabTestFailure",
            evalue="hidden: expected 49, but got 7.",
            traceback=[
                f"{red}LabTestFailure{reset}  Traceback",
                'Cell In[4], line 4\n      1 assert_close("visible", f(1), 2)\n'
                "      2 ### BEGIN HIDDEN TESTS\n"
                f'      3 secret_input = make_secret_case(7)\n{red}----> 4{reset} assert_close("hidden", '
                f"f(secret_input), 49)\n      5 ### END HIDDEN TESTS",
                f"{red}LabTestFailure{reset}: hidden: expected 49, but got 7.",
            ],
        )
    ]
    nb = nbformat.v4.new_notebook(cells=[cell])
    nb, _ = __import__("feedback_filter").HideHiddenTests().preprocess(nb, {})
    out = nb.cells[0]
    assert "secret_input" not in out.source and "make_secret_case" not in out.source
    assert (
        'assert_close("visible", f(1), 2)' in out.source
        and __import__("feedback_filter").HIDDEN_PLACEHOLDER in out.source
    )
    traceback = "\n".join(out.outputs[0].traceback)
    assert "make_secret_case" not in traceback and "f(secret_input), 49" not in traceback
    assert "HIDDEN TESTS" not in traceback
    assert 'assert_close("visible", f(1), 2)' in traceback, "visible test lines stay in the traceback"
    assert "expected 49, but got 7." in traceback, "the failure message stays"
    assert traceback.count(ops.REDACTED_LINE) == 4


def test_secret_lines_ignore_lines_that_are_also_visible():
    nb = {
        "cells": [
            {"cell_type": "code", "metadata": {}, "source": "import numpy as np\nresult = np.zeros(3)"},
            {
                "cell_type": "code",
                "metadata": {"nbgrader": {"solution": True}},
                "source": "def f(x):\n    ### BEGIN SOLUTION\n    result = np.zeros(3)\n"
                "    return np.tanh(x) * 2\n    ### END SOLUTION",
            },
        ]
    }
    secrets = ops.secret_lines(nb)
    assert secrets["solution"] == {"return np.tanh(x) * 2"}
    assert ops.find_leaks("x = 1\n  return   np.tanh(x) * 2\n", secrets["solution"]) == [
        "return np.tanh(x) * 2"
    ]


# ------------------------------------------------------------------------------- the make targets


@pytest.fixture(scope="module")
def dummy(tmp_path_factory):
    root = make_dummy_course(tmp_path_factory.mktemp("dummy-course"))
    (root / "Makefile").write_text(f"VENV := {VENV}\nvenv:\n\t@true\ninclude tools/instructor.mk\n")
    mistakes = root / "tests" / "mistakes"
    mistakes.mkdir(parents=True)
    (mistakes / "lab01.py").write_text(f"MISTAKES = {DUMMY_MISTAKES!r}\n")
    return root


def make(root, *args):
    """Run make in the dummy course with a PATH that does not hold the venv (as a fresh shell would)."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")
    }
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin"
    proc = subprocess.run(
        ["make", "--no-print-directory", *args], cwd=root, env=env, capture_output=True, text=True
    )
    return proc.returncode, proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def released(dummy):
    """The dummy course after `make release`: (root, student version, source version)."""
    code, out = make(dummy, "release")
    assert code == 0, out
    release = dummy / "labs" / LAB / f"{LAB}.ipynb"
    assert release.exists()
    return dummy, read_nb(release), read_nb(dummy / "solutions" / LAB / f"{LAB}.ipynb")


@pytest.fixture(scope="module")
def graded(released):
    """The released course after two submissions (complete and blank), `make autograde` and
    `make feedback`; the outputs of both commands are returned for the test that checks them."""
    root, release_nb, source_nb = released
    submit(root, "ada", LAB, complete_submission(release_nb, source_nb))
    submit(root, "bob", LAB, release_nb)
    return root, {"autograde": make(root, "autograde"), "feedback": make(root, "feedback")}


def test_make_autograde_feedback_grades(released, graded):
    _, _, source_nb = released
    dummy, outputs = graded
    code, out = outputs["autograde"]
    assert code == 0, out
    assert "in the sandbox" in out, out
    assert re.search(r"ada\s+lab01-dummy\s+5 / 5", out) and re.search(r"bob\s+lab01-dummy\s+0 / 5", out), out

    code, out = outputs["feedback"]
    assert code == 0 and "no hidden test or solution line" in out, out
    hidden = ops.secret_lines(source_nb)["hidden_feedback"]
    for student, points in (("ada", 3), ("bob", 0)):
        report = dummy / "feedback" / student / LAB / f"{LAB}.html"
        assert not ops.find_leaks(ops.file_text(report), hidden), f"hidden test in {report}"
        seen = ops.html_text(report.read_text())
        assert (
            f"softmax-hidden | {points} / 3" in seen.replace("\n", " | ")
            or f"softmax-hidden: {'PASSED' if points else 'FAILED'}" in seen
        )

    code, out = make(dummy, "grades")
    assert code == 0, out
    rows = {r["student_id"]: r for r in csv.DictReader((dummy / "grades.csv").open())}
    assert float(rows["ada"]["score"]) == 5 and float(rows["bob"]["score"]) == 0
    assert float(rows["ada"]["max_score"]) == 5 and rows["ada"]["lab"] == LAB
    assert rows["ada"]["status"] == "graded" and not rows["ada"]["flag"]

    code, out = make(dummy, "check-leaks")
    assert code == 0, out


def test_decoys_are_checked_once_and_the_check_is_reused_until_something_changes(graded):
    """make autograde checks each lab's decoys against its solution and keeps the answer in
    autograded/.decoy-check.json, keyed by the notebooks', grader's and nnscratch's contents."""
    from nbgrader_support import autograde

    root, _ = graded
    cache_file = root / "autograded" / ".decoy-check.json"
    cache = json.loads(cache_file.read_text())
    (key,) = [k for k in cache if k.startswith(LAB + ":")]
    assert cache[key] == ["softmax-hidden"]  # accuracy's hidden test expects 2 / 3: integers, no decoy
    report = json.loads((root / "autograded" / "ada" / LAB / "grading-report.json").read_text())
    assert report["decoys"] == ["softmax-hidden"]
    try:
        cache_file.write_text(json.dumps({key: ["planted"]}))  # a run with the same files reuses it
        assert autograde(root, LAB, ["ada"])["ada"]["decoys"] == ["planted"]
        source = root / "solutions" / LAB / f"{LAB}.ipynb"
        original = source.read_text()
        source.write_text(original + "\n")  # any change to the lab's files checks again
        try:
            assert autograde(root, LAB, ["ada"])["ada"]["decoys"] == ["softmax-hidden"]
        finally:
            source.write_text(original)
    finally:
        cache_file.write_text(json.dumps(cache))
        autograde(root, LAB, ["ada"])


def test_grades_flag_manual_scores_and_list_missing_students(graded, tmp_path):
    """A manual_score in the gradebook (this course never writes one) is flagged, not counted;
    a student on the roster without a submission gets a row with 0."""
    course = tmp_path / "course"
    shutil.copytree(graded[0], course, ignore=shutil.ignore_patterns("__pycache__"))
    import sqlite3

    con = sqlite3.connect(course / "gradebook.db")
    con.execute(
        "update grade set manual_score = 99 where id in (select grade.id from grade "
        "join submitted_notebook on grade.notebook_id = submitted_notebook.id "
        "join submitted_assignment on submitted_notebook.assignment_id = submitted_assignment.id "
        "where submitted_assignment.student_id = 'bob')"
    )
    con.commit()
    (course / "roster.csv").write_text("student_id,name\nada,Ada\nbob,Bob\ncy,Cy\n")
    code, out = make(course, "grades")
    assert code == 0, out
    rows = {r["student_id"]: r for r in csv.DictReader((course / "grades.csv").open())}
    assert float(rows["bob"]["score"]) == 0 and "manual_score" in rows["bob"]["flag"], rows["bob"]
    assert rows["cy"]["status"] == "missing" and float(rows["cy"]["score"]) == 0


def test_shards_grade_disjoint_students_and_merge(released, tmp_path):
    """SHARD=1/2 and SHARD=2/2 in two copies grade disjoint halves; make merge combines them."""
    root, release_nb, source_nb = released
    copies = []
    for i in (1, 2):
        course = tmp_path / f"shard{i}"
        shutil.copytree(
            root,
            course,
            ignore=shutil.ignore_patterns(
                "__pycache__", "submitted", "autograded", "feedback", "gradebook.db"
            ),
        )
        for s in ("ann", "ben", "cat"):
            submit(course, s, LAB, complete_submission(release_nb, source_nb) if s != "ben" else release_nb)
        code, out = make(course, "autograde", f"SHARD={i}/2", "JOBS=1")
        assert code == 0, out
        copies.append(course)
    graded_by = [{p.name for p in (c / "autograded").iterdir() if p.is_dir()} for c in copies]
    assert graded_by[0] and graded_by[1] and not graded_by[0] & graded_by[1], graded_by
    assert graded_by[0] | graded_by[1] == {"ann", "ben", "cat"}
    code, out = make(copies[0], "merge", f"GRADEBOOKS={copies[1] / 'gradebook.db'}")
    assert code == 0, out
    for s in graded_by[1]:
        shutil.copytree(copies[1] / "autograded" / s, copies[0] / "autograded" / s)
    code, out = make(copies[0], "grades")
    rows = {r["student_id"]: float(r["score"]) for r in csv.DictReader((copies[0] / "grades.csv").open())}
    assert rows == {"ann": 5.0, "ben": 0.0, "cat": 5.0}, rows


def test_leaks_are_caught_in_labs_and_in_feedback(graded, tmp_path):
    """Break the guarantees on purpose in a copy: the checks must notice."""
    course = tmp_path / "course"
    shutil.copytree(graded[0], course, ignore=shutil.ignore_patterns("__pycache__"))
    assert list((course / "feedback").glob(f"*/{LAB}/*.html")), "the graded fixture made no feedback"
    # 1. a hidden test line pasted into the student version
    release = course / "labs" / LAB / f"{LAB}.ipynb"
    pristine = release.read_text()
    nb = read_nb(release)
    nb["cells"][cell_index(nb, "softmax-tests")]["source"] += (
        "\nhidden_big_scores = np.array([[1000.0, 1001.0]])"
    )
    write_nb(nb, release)
    problems = ops.check_leaks(course, [LAB], feedback=False, verbose=False)
    assert any("hidden_big_scores" in p for p in problems), problems
    release.write_text(pristine)
    # 2. a hidden test line smuggled into a feedback notebook, base64-encoded and reversed:
    #    `make feedback` refuses and withdraws the files
    import base64

    fb = course / "autograded" / "ada" / LAB / "feedback.ipynb.json"
    nb = read_nb(fb)
    secret = "hidden_big_scores = np.array([[1000.0, 1001.0]])"
    first_code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    first_code["outputs"] = [
        {
            "output_type": "stream",
            "name": "stdout",
            "text": base64.b64encode(("x" + secret).encode()).decode() + "\n" + secret[::-1],
        }
    ]
    write_nb(nb, fb)
    code, out = make(course, "feedback")
    assert code != 0 and "LEAK feedback/" in out, out
    assert not (course / "feedback" / "ada" / LAB / f"{LAB}.html").exists(), (
        "leaking feedback files must be removed"
    )


def test_feedback_skips_a_lab_that_is_no_longer_in_solutions(graded, tmp_path):
    """An autograded lab whose source was removed (renamed, retired) cannot be checked for leaks:
    `make feedback` names it, skips it, and still gives feedback on the others."""
    course = tmp_path / "course"
    shutil.copytree(graded[0], course, ignore=shutil.ignore_patterns("__pycache__"))
    gone = "lab99-retired"
    old = course / "autograded" / "ada" / LAB / "feedback.ipynb.json"
    (course / "autograded" / "ada" / gone).mkdir()
    shutil.copy(old, course / "autograded" / "ada" / gone / "feedback.ipynb.json")
    shutil.rmtree(course / "feedback")
    code, out = make(course, "feedback")
    assert code == 0, out
    assert f"skipping {gone}: autograded, but not in solutions/ any more" in out
    assert (course / "feedback" / "ada" / LAB / f"{LAB}.html").exists()
    assert not (course / "feedback" / "ada" / gone).exists()
