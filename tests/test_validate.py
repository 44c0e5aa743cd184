"""`make validate` (tools/validate.py behind tools/instructor.mk), on a small lab in a temporary course.

The lab follows the course's layout: visible test cells with 0 points that print "Task N
passed", then one hidden test cell per task holding the points. What a student must get:
a non-zero exit status when a test fails, each failing test named with its whole message (nbgrader
cuts lines at 90 characters), nbgrader's own report only with VERBOSE=1, a reminder to save first,
and a last line that is the verdict, not make's "*** [validate] Error 1".
"""

import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest
from nbgrader_support import KERNELSPEC, cell_index, complete_submission, make_course, ops, read_nb, write_nb

pytestmark = [pytest.mark.nbgrader]
LAB = "lab01-dummy"
VENV = Path(sys.executable).parent.parent
# Longer than nbgrader's 90-character lines, with the part that says what is wrong at the end.
LONG_HINT = (
    "The mean of the per-sample losses is asked for, so look at how the losses of the samples are "
    "combined: average over the samples (np.mean), do not sum them."
)


def _cell(kind, gid, text, tags=(), **flags):
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
    if tags:
        cell["metadata"]["tags"] = list(tags)
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def layout_lab():
    """A two-task source notebook laid out as the course's labs are (hidden tests at the end)."""
    sol = dict(locked=False, solution=True)
    visible = dict(grade=True, points=0)
    cells = [
        _cell("markdown", "intro", "# Dummy lab\nCheck the whole lab with `make validate LAB=lab01`."),
        _cell(
            "code",
            "setup",
            "%matplotlib inline\nimport numpy as np\nfrom nnscratch.grading import assert_close",
        ),
        _cell(
            "code",
            "loss-solution",
            'def mean_loss(losses):\n    """losses: (N,) -> float."""\n    ### BEGIN SOLUTION\n'
            "    return float(np.mean(losses))\n    ### END SOLUTION",
            **sol,
        ),
        _cell(
            "code",
            "loss-tests",
            'assert_close("mean_loss([1, 2, 3])", mean_loss(np.array([1.0, 2.0, 3.0])), 2.0,\n'
            f'             hint="{LONG_HINT}")\n'
            'print("Task 1 passed: mean_loss of three losses.")',
            tags=["raises-exception"],
            **visible,
        ),
        _cell(
            "code",
            "double-solution",
            "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION",
            **sol,
        ),
        _cell(
            "code",
            "double-tests",
            'assert_close("double(2)", double(2), 4)\nprint("Task 2 passed: double(2).")',
            tags=["raises-exception"],
            **visible,
        ),
        _cell("markdown", "hidden-intro", "## Hidden tests\nThese cells run only when the lab is graded."),
        _cell(
            "code",
            "loss-hidden",
            "# Hidden tests (3 points): mean_loss on random losses.\n### BEGIN HIDDEN TESTS\n"
            'assert_close("mean_loss(hidden)", mean_loss(np.arange(5.0)), 2.0)\n### END HIDDEN TESTS',
            grade=True,
            points=3,
        ),
        _cell(
            "code",
            "double-hidden",
            "# Hidden tests (2 points): double on arrays.\n### BEGIN HIDDEN TESTS\n"
            'assert_close("double(hidden)", double(np.arange(3)), [0, 2, 4])\n### END HIDDEN TESTS',
            grade=True,
            points=2,
        ),
    ]
    return {"cells": cells, "metadata": copy.deepcopy(KERNELSPEC), "nbformat": 4, "nbformat_minor": 5}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A temporary course with the dummy lab released: (root, student version, source version)."""
    root = make_course(tmp_path_factory.mktemp("validate-course"), [])
    write_nb(layout_lab(), root / "solutions" / LAB / f"{LAB}.ipynb")
    (root / "Makefile").write_text(f"VENV := {VENV}\nvenv:\n\t@true\ninclude tools/instructor.mk\n")
    assert ops.release(root, [LAB]) == 0
    return (
        root,
        read_nb(root / "labs" / LAB / f"{LAB}.ipynb"),
        read_nb(root / "solutions" / LAB / f"{LAB}.ipynb"),
    )


def make(root, *args, **env):
    """Run make as a student would from a fresh shell (the venv not on PATH); (status, output)."""
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("VIRTUAL_ENV", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "VERBOSE")
    }
    full_env.update(PATH="/usr/local/bin:/usr/bin:/bin", **env)
    proc = subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=root,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return proc.returncode, proc.stdout


def last_line(output):
    return output.rstrip("\n").split("\n")[-1]


def test_a_blank_lab_fails_naming_each_visible_test_with_a_short_report(course):
    root, _, _ = course
    code, out = make(root, "validate", "LAB=lab01")
    assert code != 0, out
    assert "save the notebook first" in out
    assert "FAILED loss-tests:\n    Not done yet: replace `raise NotImplementedError()`" in out
    assert "FAILED double-tests:" in out
    # the verdict is the last line, and make's own error line is not there
    assert "FAILED lab01: 2 of 2 visible tests fail (loss-tests, double-tests)" in last_line(out), out
    assert "Error 1" not in out and "Error 2" not in out and "[validate]" not in out, out
    # nbgrader's report (the test cells' source, the tracebacks) only with VERBOSE=1
    assert "The following cell failed" not in out and "Traceback" not in out, out


def test_verbose_shows_nbgrader_report_too(course):
    root, _, _ = course
    code, out = make(root, "validate", "LAB=lab01", VERBOSE="1")
    assert code != 0
    assert "The following cell failed" in out and "VALIDATION FAILED ON 2 CELL(S)" in out
    assert "=" * 91 not in out  # the 10,000-character separators are shortened for reading
    assert last_line(out).startswith("tools/instructor.mk") and "FAILED lab01: 2 of 2" in last_line(out)


def test_a_completed_lab_passes(course, tmp_path):
    root, release_nb, source_nb = course
    write_nb(complete_submission(release_nb, source_nb), tmp_path / "done.ipynb")
    code, out = make(root, "validate", f"NB={tmp_path / 'done.ipynb'}")
    assert code == 0, out
    assert last_line(out).startswith("PASSED done.ipynb: all 2 visible tests pass"), out
    assert "hidden tests (5 points) run when your lab is graded" in last_line(out), out


def test_a_long_message_is_shown_whole_and_only_the_failing_task_is_named(course, tmp_path):
    root, release_nb, source_nb = course
    wrong = complete_submission(release_nb, source_nb)
    wrong["cells"][cell_index(wrong, "loss-solution")]["source"] = (
        "def mean_loss(losses):\n    return float(np.sum(losses))  # summed, not averaged"
    )
    write_nb(wrong, tmp_path / "wrong.ipynb")
    code, out = make(root, "validate", f"NB={tmp_path / 'wrong.ipynb'}")
    assert code != 0, out
    assert "mean_loss([1, 2, 3]): expected 2, but got 6. " + LONG_HINT in out, out
    assert "FAILED wrong.ipynb: 1 of 2 visible tests fail (loss-tests)" in last_line(out), out
    assert "double-tests" not in out


def test_an_edited_test_cell_is_reported_even_when_everything_passes(course, tmp_path):
    root, release_nb, source_nb = course
    edited = complete_submission(release_nb, source_nb)
    edited["cells"][cell_index(edited, "loss-tests")]["source"] = "pass"
    write_nb(edited, tmp_path / "edited.ipynb")
    code, out = make(root, "validate", f"NB={tmp_path / 'edited.ipynb'}")
    assert code != 0 and "you edited 1 locked test cell(s): loss-tests" in last_line(out), out


def test_usage_and_an_unknown_lab(course):
    root, _, _ = course
    code, out = make(root, "validate")
    assert code != 0 and "usage: make validate LAB=" in out
    code, out = make(root, "validate", "LAB=lab99")
    assert code != 0 and "LAB=lab99: expected one notebook" in out, out


def test_error_message_keeps_every_line_and_drops_the_assertion_class():
    block = (
        "    ---------------------------------------------------------------------------\n"
        "    LabTestFailure                            Traceback (most recent call last)\n"
        "    Cell In[4], line 1\n"
        '    ----> 1 assert_close("x", f(), 1)\n'
        "    [... skipping hidden 1 frame]\n"
        "    \n"
        "    LabTestFailure: x: expected 1, but got 2. " + LONG_HINT + "\n"
        "    second line of the message\n"
    )
    assert ops.error_message(block) == f"x: expected 1, but got 2. {LONG_HINT}\nsecond line of the message"
    assert (
        ops.error_message("    NameError: name 'y' is not defined\n") == "NameError: name 'y' is not defined"
    )
