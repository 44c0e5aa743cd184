"""The gradebook, written only by the trusted grading process.

nbgrader's ``gradebook.db`` stays the record (so nbgrader's own tools can read it), but no student
code ever runs in a process that can open it: the sandboxed kernels cannot see the file, and the
grader's worker processes return results that this module stores, one submission at a time.

- :func:`store` records one graded (or failed) submission: every grade's ``auto_score`` from the
  grader, ``manual_score`` and ``extra_credit`` cleared (this course never writes them), the
  submission flagged when tampering was detected; a JSON report beside the autograded notebook
  keeps the reasons.
- :func:`export` writes ``grades.csv``: every student found in ``submitted/`` (and in an optional
  roster), every lab; a missing or failed submission scores 0; columns say why and flag anything
  to review, including a ``manual_score`` or ``extra_credit`` found in the gradebook.
- :func:`merge` copies the students of other gradebooks (shards graded elsewhere) into this one.
"""

import contextlib
import csv
import datetime
import json
import warnings
from pathlib import Path

from labs import _api, _gradebook, lab_ids

REPORT = "grading-report.json"


def report_path(root, student, lab):
    return Path(root) / "autograded" / student / lab / REPORT


def store(root, report, gb=None):
    """Write one submission's result: autograded notebook, report JSON, gradebook rows.

    ``gb`` is an open Gradebook (see :func:`session`) to reuse across a run; without it, one is
    opened for this submission alone.
    """
    root = Path(root)
    lab, student = report["lab"], report["student"]
    folder = root / "autograded" / student / lab
    folder.mkdir(parents=True, exist_ok=True)
    if report.get("autograded"):
        (folder / f"{lab}.ipynb").write_text(report["autograded"], encoding="utf-8")
    feedback_nb = report.pop("feedback", None)
    if feedback_nb:
        (folder / "feedback.ipynb.json").write_text(feedback_nb, encoding="utf-8")
    kept = {k: v for k, v in report.items() if k != "autograded"}
    (folder / REPORT).write_text(json.dumps(kept, indent=1), encoding="utf-8")
    if gb is None:
        with session(root) as gb:
            _store_rows(gb, report)
    else:
        _store_rows(gb, report)


@contextlib.contextmanager
def session(root):
    """One open gradebook for many :func:`store` calls (opening it costs about 30 ms each time)."""
    with warnings.catch_warnings(), _gradebook(root) as gb:
        warnings.simplefilter("ignore")  # nbgrader's SQLAlchemy models warn about their own autoflush
        yield gb


def _store_rows(gb, report):
    lab, student = report["lab"], report["student"]
    MissingEntry = _api().MissingEntry
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gb.update_or_create_student(student)
        try:
            submission = gb.find_submission(lab, student)
        except MissingEntry:
            submission = gb.add_submission(
                lab, student, timestamp=datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
            )
        scores = report.get("scores", {})
        for notebook in submission.notebooks:
            notebook.flagged = bool(report.get("flags")) or report.get("status") != "graded"
            for grade in notebook.grades:
                got = scores.get(grade.name, [0.0, grade.max_score])[0]
                grade.auto_score = float(got)
                grade.manual_score = None
                grade.extra_credit = None
                grade.needs_manual_grade = False
        gb.db.commit()  # each submission is on disk as soon as it is graded
        gb.db.expunge_all()  # a long run must not keep every submission's rows in memory


def read_report(root, student, lab):
    path = report_path(root, student, lab)
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text())
    except (OSError, json.JSONDecodeError):
        return None


def roster(root, path=None):
    """Student ids of the roster file (``roster.csv``: a column ``student_id``, or one id per line)."""
    path = Path(path) if path else Path(root) / "roster.csv"
    if not path.exists():
        return []
    lines = [line.strip() for line in path.read_text().splitlines() if line.strip()]
    if lines and "student_id" in lines[0].split(","):
        column = lines[0].split(",").index("student_id")
        return [line.split(",")[column].strip() for line in lines[1:] if line.split(",")[column].strip()]
    return lines


def export(root, output="grades.csv", roster_file=None):
    """grades.csv: one row per student and lab; returns the number of flagged rows."""
    root = Path(root)
    labs = lab_ids(root)
    students = {p.name for p in (root / "submitted").glob("*") if p.is_dir()} | set(roster(root, roster_file))
    MissingEntry = _api().MissingEntry
    rows, flagged = [], 0
    have_db = (root / "gradebook.db").exists()
    gb_ctx = _gradebook(root) if have_db else None
    try:
        gb = gb_ctx.__enter__() if gb_ctx else None
        if gb:
            students |= {s.id for s in gb.students}
        for student in sorted(students):
            for lab in labs:
                row = {
                    "student_id": student,
                    "lab": lab,
                    "score": 0.0,
                    "max_score": 0.0,
                    "status": "",
                    "reason": "",
                    "flag": "",
                }
                max_score = None
                sub = None
                if gb:
                    try:
                        max_score = gb.find_assignment(lab).max_score
                    except MissingEntry:
                        pass
                    try:
                        sub = gb.find_submission(lab, student)
                    except MissingEntry:
                        sub = None
                row["max_score"] = max_score if max_score is not None else _max_points(root, lab)
                submitted = (root / "submitted" / student / lab / f"{lab}.ipynb").exists()
                report = read_report(root, student, lab)
                if sub is None:
                    row["status"] = "missing" if not submitted else "not graded"
                    row["reason"] = (
                        "no submission"
                        if not submitted
                        else "submitted but not graded yet: run make autograde"
                    )
                else:
                    auto = sum(g.auto_score or 0 for nb in sub.notebooks for g in nb.grades)
                    manual = [
                        g.name
                        for nb in sub.notebooks
                        for g in nb.grades
                        if g.manual_score is not None or (g.extra_credit or 0) != 0
                    ]
                    row["score"] = auto
                    row["status"] = (report or {}).get("status", "graded")
                    row["reason"] = (report or {}).get("reason", "")
                    flags = list((report or {}).get("flags", []))
                    if manual:
                        flags.append(
                            f"manual_score or extra_credit found in the gradebook for {', '.join(manual)} "
                            "(this course never writes them; ignored, the automatic score is reported)"
                        )
                    if any(nb.flagged for nb in sub.notebooks) and not flags and row["status"] == "graded":
                        flags.append("flagged in the gradebook")
                    if flags:
                        row["flag"] = "; ".join(flags)
                        flagged += 1
                        row["score"] = 0.0 if (report or {}).get("flags") else auto
                    if row["status"] != "graded":
                        row["score"] = 0.0
                rows.append(row)
    finally:
        if gb_ctx:
            gb_ctx.__exit__(None, None, None)
    with open(root / output, "w", newline="") as fh:
        writer = csv.DictWriter(
            fh, fieldnames=["student_id", "lab", "score", "max_score", "status", "reason", "flag"]
        )
        writer.writeheader()
        writer.writerows(rows)
    print(
        f"wrote {output}: {len(rows)} row(s) ({len(students)} student(s), {len(labs)} lab(s)); "
        f"{flagged} flagged for review"
    )
    return rows


def _max_points(root, lab):
    try:
        nb = json.loads((Path(root) / "solutions" / lab / f"{lab}.ipynb").read_text())
    except OSError:
        return 0.0
    return float(
        sum(
            c.get("metadata", {}).get("nbgrader", {}).get("points", 0) or 0
            for c in nb["cells"]
            if c.get("metadata", {}).get("nbgrader", {}).get("grade")
        )
    )


def merge(root, others):
    """Copy every submission of the gradebooks ``others`` into this course's gradebook.

    Used after grading shards on several machines: each shard's gradebook holds only its
    students, so nothing is overwritten unless a student was graded twice (the later file wins).
    The shards' ``autograded/`` folders are copied separately (their reports travel with them).
    """
    api = _api()
    copied = 0
    for other in others:
        with api.Gradebook(f"sqlite:///{Path(other).resolve()}") as src, _gradebook(root) as dst:
            for assignment in src.assignments:
                for sub in assignment.submissions:
                    dst.update_or_create_student(sub.student.id)
                    try:
                        dst.find_submission(assignment.name, sub.student.id)
                    except api.MissingEntry:
                        dst.add_submission(assignment.name, sub.student.id, timestamp=sub.timestamp)
                    target = dst.find_submission(assignment.name, sub.student.id)
                    by_name = {(nb.name, g.name): g for nb in sub.notebooks for g in nb.grades}
                    flags = {nb.name: nb.flagged for nb in sub.notebooks}
                    for nb in target.notebooks:
                        nb.flagged = flags.get(nb.name, False)
                        for g in nb.grades:
                            g_src = by_name.get((nb.name, g.name))
                            g.auto_score = g_src.auto_score if g_src else 0.0
                            g.manual_score = None
                            g.extra_credit = None
                    copied += 1
                dst.db.commit()
    print(f"merged {copied} submission(s) from {len(others)} gradebook(s)")
    return copied
