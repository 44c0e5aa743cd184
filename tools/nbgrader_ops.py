"""The course's nbgrader operations, with the guarantees nbgrader alone does not give.

Run from the course root (the Makefile does this; nbgrader reads ``nbgrader_config.py`` there)::

    python tools/nbgrader_ops.py release [--lab lab03 ...]        solutions/ -> labs/, one lab after another
    python tools/nbgrader_ops.py autograde [--lab L] [--student S] [--force] [--timeout SECONDS]
    python tools/nbgrader_ops.py feedback [--lab L] [--student S]  HTML feedback, hidden tests removed
    python tools/nbgrader_ops.py grades [--output grades.csv]      one CSV row per student and lab
    python tools/nbgrader_ops.py validate lab03 | path/to/lab.ipynb
    python tools/nbgrader_ops.py check-leaks                       scan labs/ and feedback/

Why each exists:

- ``validate``: ``nbgrader validate`` exits 0 even when tests fail (nbgrader issue #1908). This
  runs it, reads its report, names each failing test cell with its points and error, and exits
  non-zero when anything failed or a locked cell was changed.
- ``feedback``: nbgrader puts the hidden tests back into graded notebooks and shows them in the
  feedback (issues #917, #1363). ``HideHiddenTests`` below, registered in ``nbgrader_config.py``
  for ``GenerateFeedback``, removes their code and every traceback line that quotes it, and keeps
  the scores; after generating, the HTML is scanned once more and any leak fails the command.
- ``autograde`` registers a lab in the gradebook when this checkout's ``gradebook.db`` does not
  know it yet (it is not committed), without touching ``labs/``.

The module is also imported by ``nbgrader_config.py`` (for ``HideHiddenTests``) and by the tests.
"""

import argparse
import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from labs import *  # noqa: E402,F401,F403  (re-exported: the tests and older scripts import them from here)
from labs import (_api, _gradebook, _meta, _source, course_root, ensure_in_gradebook, lab_ids, release,  # noqa: E402
                  resolve_labs, run_nbgrader, scores, submitted_labs, print_scores)
from leaks import *  # noqa: E402,F401,F403
from leaks import check_leaks  # noqa: E402
from validate import *  # noqa: E402,F401,F403
from validate import validate  # noqa: E402

# nbgrader finds its regions by these substrings (ClearSolutions / ClearHiddenTests defaults).

def autograde(root, labs=None, students=None, force=False, timeout=None):
    root = Path(root)
    submissions = submitted_labs(root)
    if labs:
        labs = resolve_labs(root, labs)
        submissions = {lab: s for lab, s in submissions.items() if lab in labs}
    if students:
        submissions = {lab: [s for s in who if s in students] for lab, who in submissions.items()}
        submissions = {lab: who for lab, who in submissions.items() if who}
    if not submissions:
        print("nothing to autograde: expected submitted/<student>/<lab>/<lab>.ipynb, e.g. "
              "submitted/ada/lab03-softmax-cross-entropy/lab03-softmax-cross-entropy.ipynb")
        return 0
    unknown = sorted(set(submissions) - set(lab_ids(root)))
    if unknown:
        print(f"FAILED: submissions for labs not in solutions/: {', '.join(unknown)}", file=sys.stderr)
        return 1
    status = 0
    for lab, who in submissions.items():
        ensure_in_gradebook(root, lab)
        common = ["--log-level=WARN"] + (["--force"] if force else []) + \
            ([f"--Execute.timeout={int(timeout)}"] if timeout else [])
        # One call grades all of a lab's students (nbgrader's start-up is paid once); with
        # STUDENT=... one call per named student, since nbgrader takes a single --student.
        calls = [[f"--student={s}"] for s in who] if students else [[]]
        print(f"== autograde {lab}: {len(who)} submission(s)" + (" (regrading)" if force else ""))
        start = time.perf_counter()
        for extra in calls:
            code, _ = run_nbgrader(root, "autograde", lab, *extra, *common)
            status = status or code
        print(f"   {lab}: {time.perf_counter() - start:.1f} s")
    print_scores(root, list(submissions))
    return status


def feedback(root, labs=None, students=None):
    """generate_feedback for every autograded lab (hidden tests removed), then scan for leaks."""
    root = Path(root)
    graded = sorted({p.parent.name for p in root.glob("autograded/*/*/*.ipynb") if p.stem == p.parent.name})
    if labs:
        wanted = resolve_labs(root, labs)
        graded = [lab for lab in graded if lab in wanted]
    sources = set(lab_ids(root))
    orphans = [lab for lab in graded if lab not in sources]
    if orphans:  # the leak scan needs the source of every lab it gives feedback on
        print(f"skipping {', '.join(orphans)}: autograded, but not in solutions/ any more", file=sys.stderr)
        graded = [lab for lab in graded if lab in sources]
    if not graded:
        print("nothing to give feedback on: run `make autograde` first")
        return 0
    failed = 0
    for lab in graded:
        print(f"== feedback {lab} -> feedback/<student>/{lab}/{lab}.html")
        for extra in ([[f"--student={s}"] for s in students] if students else [[]]):
            code, _ = run_nbgrader(root, "generate_feedback", lab, *extra, "--force", "--log-level=WARN")
            failed = failed or code
        if failed:
            break
    # Scan even after a failure: the feedback written before it must not leak either.
    problems = check_leaks(root, graded, feedback=True, verbose=False)
    if problems:
        for p in problems:
            print(f"LEAK {p}", file=sys.stderr)
        bad = sorted({p.split(":", 1)[0] for p in problems})
        for rel in bad:
            if rel.startswith("feedback"):
                (root / rel).unlink(missing_ok=True)
        print(f"FAILED: hidden tests found in feedback; removed {len(bad)} file(s): do not release them. "
              "Is HideHiddenTests registered in nbgrader_config.py?", file=sys.stderr)
        return 1
    if failed:
        print(f"FAILED: nbgrader generate_feedback exited with {failed}", file=sys.stderr)
        return failed
    print("feedback checked: no hidden test code in it")
    return 0


def export_grades(root, output="grades.csv"):
    """One CSV row per student and lab (missing submissions score 0), properly quoted."""
    MissingEntry = _api().MissingEntry
    root = Path(root)
    if not (root / "gradebook.db").exists():
        print("no gradebook.db yet: run `make autograde` first", file=sys.stderr)
        return 1
    fields = ["student_id", "last_name", "first_name", "email", "lab", "score", "max_score",
              "late_penalty", "needs_manual_grade", "submitted_at"]
    rows = []
    with _gradebook(root) as gb:
        for assignment in sorted(gb.assignments, key=lambda a: a.name):
            for student in sorted(gb.students, key=lambda s: s.id):
                row = {"student_id": student.id, "last_name": student.last_name or "",
                       "first_name": student.first_name or "", "email": student.email or "",
                       "lab": assignment.name, "max_score": assignment.max_score}
                try:
                    sub = gb.find_submission(assignment.name, student.id)
                    row.update(score=sub.score, late_penalty=sub.late_submission_penalty or 0,
                               needs_manual_grade=sub.needs_manual_grade, submitted_at=sub.timestamp or "")
                except MissingEntry:
                    row.update(score=0, late_penalty=0, needs_manual_grade=False, submitted_at="")
                rows.append(row)
    with open(root / output, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {output}: {len(rows)} row(s) ({len({r['student_id'] for r in rows})} student(s), "
          f"{len({r['lab'] for r in rows})} lab(s))")
    return 0


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("release", help="generate labs/ from solutions/")
    p.add_argument("--lab", action="append", default=[])
    p = sub.add_parser("autograde", help="autograde everything in submitted/")
    p.add_argument("--lab", action="append", default=[])
    p.add_argument("--student", action="append", default=[])
    p.add_argument("--force", action="store_true", help="regrade submissions graded before")
    p.add_argument("--timeout", type=int, help="seconds per cell (default: nbgrader_config.py)")
    p = sub.add_parser("feedback", help="HTML feedback without hidden tests")
    p.add_argument("--lab", action="append", default=[])
    p.add_argument("--student", action="append", default=[])
    p = sub.add_parser("grades", help="export grades to CSV")
    p.add_argument("--output", default="grades.csv")
    p = sub.add_parser("validate", help="validate a lab; non-zero exit when a test fails")
    p.add_argument("target", help="lab03, a full lab id, or a notebook path")
    p.add_argument("--timeout", type=int)
    p.add_argument("--quiet", action="store_true", help="only the summary, not nbgrader's report")
    sub.add_parser("check-leaks", help="scan labs/ and feedback/ for solution code and hidden tests")
    args = parser.parse_args(argv)
    os.environ.setdefault("MPLBACKEND", "Agg")
    root = course_root()

    if args.command == "release":
        return release(root, resolve_labs(root, args.lab))
    if args.command == "autograde":
        return autograde(root, args.lab, args.student, args.force, args.timeout)
    if args.command == "feedback":
        return feedback(root, args.lab, args.student)
    if args.command == "grades":
        return export_grades(root, args.output)
    if args.command == "validate":
        return validate(root, args.target, args.timeout, args.quiet)
    if args.command == "check-leaks":
        problems = check_leaks(root)
        for p in problems:
            print(f"LEAK {p}", file=sys.stderr)
        print("no leaks found" if not problems else f"FAILED: {len(problems)} leak(s)")
        return 1 if problems else 0
    return 2


if __name__ == "__main__":
    sys.exit(main())