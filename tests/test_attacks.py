"""The attack catalogue (tests/attacks/catalogue.py) graded by `make autograde`'s code, in the sandbox.

One class-scoped run grades every attack beside two honest students, with tight limits so that
the attacks on time, memory and output finish quickly. Each attack is then checked for its own
score and flag, and the run as a whole for the properties no submission may break.
"""

import hashlib
import json
import os
import re
import time
from pathlib import Path

import pytest
from nbgrader_support import (
    COURSE,
    _load_module,
    autograde,
    complete_submission,
    make_course,
    make_dummy_course,
    ops,
    read_nb,
    submit,
    write_nb,
)

catalogue = _load_module("attack_catalogue", COURSE / "tests" / "attacks" / "catalogue.py")
ATTACKS = catalogue.ATTACKS
LAB = "lab01-dummy"

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore:User-placed attribute")]

LIMITS = dict(memory_mb=1024, processes=40, notebook_seconds=40, output_bytes=300_000, disk_mb=64)
CELL_TIMEOUT = 6
TIME_BOUND = 600  # seconds for the whole run on 2 cores; the sleeping attacks are cut at 40 s each


def _tracked(root):
    """sha256 of every file the course keeps (not the grading output)."""
    skip = ("submitted", "autograded", "feedback")
    out = {}
    for path in sorted(Path(root).rglob("*")):
        rel = path.relative_to(root)
        if (
            path.is_file()
            and rel.parts[0] not in skip
            and path.name not in ("gradebook.db", "grades.csv")
            and "__pycache__" not in rel.parts
        ):
            out[str(rel)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _package_files():
    import nnscratch

    folder = Path(nnscratch.__file__).parent
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*.py"))}


def _student(i):
    return f"attacker{i:02d}"


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    root = make_dummy_course(tmp_path_factory.mktemp("attacked-course"), LAB)
    assert ops.release(root, [LAB]) == 0
    release = read_nb(root / "labs" / LAB / f"{LAB}.ipynb")
    source = read_nb(root / "solutions" / LAB / f"{LAB}.ipynb")
    honest = complete_submission(release, source)
    for name in ("honest-a", "honest-b"):
        submit(root, name, LAB, honest)
    for i, attack in enumerate(ATTACKS):
        nb = json.loads(json.dumps(honest))
        if "notebook" in attack:
            made = attack["notebook"](nb)
            path = root / "submitted" / _student(i) / LAB / f"{LAB}.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(made, str):
                path.write_text(made)
            else:
                write_nb(made, path)
            continue
        for cell in nb["cells"]:
            gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if gid in attack["cells"]:
                cell["source"] = attack["cells"][gid].replace("{ROOT}", str(root))
        if attack.get("markdown"):
            nb["cells"].insert(2, {"cell_type": "markdown", "metadata": {}, "source": attack["markdown"]})
        submit(root, _student(i), LAB, nb)
    before, package_before = _tracked(root), _package_files()
    start = time.perf_counter()
    reports = autograde(root, LAB, timeout=CELL_TIMEOUT, jobs=2, **LIMITS)
    seconds = time.perf_counter() - start
    time.sleep(8)  # longer than any attack's delayed action: a surviving process would act now
    feedback_status = ops.feedback(root, [LAB])
    rows = ops.export_grades(root, "grades.csv")
    return dict(
        root=root,
        reports=reports,
        seconds=seconds,
        before=before,
        after=_tracked(root),
        package_before=package_before,
        package_after=_package_files(),
        feedback_status=feedback_status,
        rows=rows,
        scores=ops.scores(root, LAB),
    )


@pytest.mark.parametrize("index", range(len(ATTACKS)), ids=[a["name"] for a in ATTACKS])
def test_attack_gains_nothing(attacked, index):
    attack = ATTACKS[index]
    report = attacked["reports"][_student(index)]
    status = attack.get("status", "graded")
    assert report["status"] == status, f"status {report['status']} ({report['reason']}), expected {status}"
    got = sum(s for s, _ in report["scores"].values())
    assert got <= attack.get("max_score", 0), (
        f"{attack['name']}: scored {got}, at most {attack.get('max_score', 0)}"
    )
    stored = sum((s or 0) for s, _ in attacked["scores"].get(_student(index), {}).values())
    assert stored == pytest.approx(got), f"the gradebook holds {stored}, the grader gave {got}"
    if attack.get("flagged") is True:
        assert report["flags"], f"{attack['name']}: tampering was not detected"
    if attack.get("flagged") is False:
        assert not report["flags"], f"{attack['name']}: flagged without tampering: {report['flags']}"


def test_honest_students_keep_full_points(attacked):
    for name in ("honest-a", "honest-b"):
        report = attacked["reports"][name]
        assert report["status"] == "graded" and not report["flags"], report
        assert all(s == t for s, t in report["scores"].values()), report["scores"]
        stored = attacked["scores"][name]
        assert all(s == t for s, t in stored.values()), f"{name}'s gradebook entry changed: {stored}"


def test_no_tracked_file_changes(attacked):
    changed = sorted(
        k
        for k in set(attacked["before"]) | set(attacked["after"])
        if attacked["before"].get(k) != attacked["after"].get(k)
    )
    assert not changed, f"grading changed the course's files: {changed}"
    assert attacked["package_before"] == attacked["package_after"], "grading changed nnscratch"


def test_gradebook_holds_no_manual_scores(attacked):
    import sqlite3

    con = sqlite3.connect(attacked["root"] / "gradebook.db")
    assert (
        con.execute(
            "select count(*) from grade where manual_score is not null or extra_credit is not null"
        ).fetchone()[0]
        == 0
    )


def test_feedback_has_no_secret_and_no_script(attacked):
    root = attacked["root"]
    assert attacked["feedback_status"] == 0, "make feedback found hidden tests in feedback"
    assert not ops.check_leaks(root, [LAB], feedback=True, verbose=False)
    for page in sorted((root / "feedback").glob(f"*/{LAB}/*.html")):
        text = page.read_text()
        assert not re.search(r"<script\b[^>]*>(?:(?!</script>).)*alert\(", text, re.S | re.I), (
            f"{page}: a student's script was kept"
        )
        assert not re.search(r"<[^>]*\bon[a-z]+\s*=", text, re.I), (
            f"{page}: an event handler attribute was kept"
        )
        assert page.stat().st_size < 3_000_000, f"{page} is {page.stat().st_size} bytes"


def test_every_student_is_in_grades_csv(attacked):
    students = {p.name for p in (attacked["root"] / "submitted").iterdir()}
    rows = {r["student_id"] for r in attacked["rows"] if r["lab"] == LAB}
    assert students <= rows, f"missing from grades.csv: {sorted(students - rows)}"
    failed = [r for r in attacked["rows"] if r["status"] == "failed"]
    assert all(r["reason"] and r["score"] == 0 for r in failed)


def test_no_process_outlives_grading(attacked):
    """Every kernel of the run carries NN_GRADER_RUN=<run id>; none of them, nor anything they
    started (a detached shell, a forked child), may still be alive."""
    runs = {r.get("run") for r in attacked["reports"].values()} - {None}
    assert runs, "the reports do not name their grading run"
    alive = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(f"NN_GRADER_RUN={run}".encode() in environ for run in runs):
            alive.append(pid)
    assert not alive, f"processes of the grading run are still alive: {alive}"


def test_grading_time_is_bounded(attacked):
    assert attacked["seconds"] < TIME_BOUND, (
        f"grading {len(ATTACKS) + 2} submissions took {attacked['seconds']:.0f} s"
    )


def test_sandbox_off_is_refused_silently_never(tmp_path, monkeypatch):
    """Without namespaces, `make autograde` stops and names the override; SANDBOX=off warns."""
    import sandbox as sandbox_module

    root = make_dummy_course(tmp_path / "course", LAB)
    monkeypatch.setitem(sandbox_module._PROBE, "result", "bubblewrap cannot create namespaces here (test)")
    submit(root, "ada", LAB, read_nb(root / "solutions" / LAB / f"{LAB}.ipynb"))
    with pytest.raises(SystemExit, match="SANDBOX=off"):
        ops._autograde.autograde(root, [LAB], quiet=True)


REFERENCE_THIEF = """
def softmax(Z):
    # Walks up the callers to the hidden test's check_against and returns its reference's answer.
    import sys
    frame = sys._getframe(1)
    while frame is not None:
        reference = frame.f_locals.get("reference")
        if callable(reference) and reference is not softmax:
            return reference(Z)
        frame = frame.f_back
    raise NotImplementedError()
"""


def test_a_function_that_calls_the_hidden_tests_reference_is_flagged(tmp_path):
    """On a real lab (lab03): its softmax returns what check_against's reference returns. The decoy
    of the softmax hidden test (the same test with the reference's results changed) then passes,
    which correct code cannot do."""
    lab = next(p.name for p in (COURSE / "solutions").iterdir() if p.name.startswith("lab03"))
    root = make_course(tmp_path / "course", [lab])
    assert ops.release(root, [lab]) == 0
    release = read_nb(root / "labs" / lab / f"{lab}.ipynb")
    source = read_nb(root / "solutions" / lab / f"{lab}.ipynb")
    honest = complete_submission(release, source)
    thief = complete_submission(release, source)
    cell = next(
        c for c in thief["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "softmax-solution"
    )
    cell["source"] = REFERENCE_THIEF
    submit(root, "honest", lab, honest)
    submit(root, "thief", lab, thief)
    reports = autograde(root, lab, ["honest", "thief"])
    assert not reports["honest"]["flags"], reports["honest"]["flags"]
    assert all(s == t for s, t in reports["honest"]["scores"].values())
    flags = reports["thief"]["flags"]
    assert any("softmax-hidden" in f and "expected results were changed" in f for f in flags), flags
    assert sum(s for s, _ in reports["thief"]["scores"].values()) == 0
    # Without the decoy it would have scored the softmax hidden test: the would-be scores show it.
    assert reports["thief"]["scores_before_flag"]["softmax-hidden"][0] > 0
