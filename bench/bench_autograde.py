"""How long autograding takes: every lab, one student handing in the solution.

    python bench/bench_autograde.py                 one student, every lab (the course's target: <= 120 s)
    python bench/bench_autograde.py --students 4    four students per lab in one `nbgrader autograde` call
    python bench/bench_autograde.py --lab lab03     only some labs

Works in a temporary copy of the course (nothing in the repository changes). Prints seconds per
lab and the total, how much of it is nbgrader's start-up, and what that means for a course of
300 students on this machine. A measurement, not a test: the number depends on the machine and on
what else it is doing.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("MPLBACKEND", "Agg")

from nbgrader_support import cell_seconds, complete_submission, make_course, ops, read_nb, submit  # noqa: E402

TARGET_SECONDS = 120
COURSE_SIZE = 300


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lab", action="append", default=[], help="only this lab (lab03 or a full id); repeatable")
    parser.add_argument("--students", type=int, default=1, help="identical submissions per lab (default 1)")
    args = parser.parse_args(argv)
    if args.students < 1:
        parser.error(f"--students must be at least 1, got {args.students}")

    labs = ops.resolve_labs(ROOT, args.lab)
    if not labs:
        print("no labs in solutions/: nothing to benchmark")
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-autograde-") as tmp:
        course = make_course(Path(tmp) / "course", labs, ROOT)
        start = time.perf_counter()
        code, out = ops.run_nbgrader(course, "--version", capture=True)
        startup = time.perf_counter() - start
        if ops.release(course, labs):  # `make release`, in the copy
            return "release failed"
        for lab in labs:
            source_nb = read_nb(course / "solutions" / lab / f"{lab}.ipynb")
            release_nb = read_nb(course / "labs" / lab / f"{lab}.ipynb")
            for k in range(args.students):
                submit(course, f"student{k:03d}", lab, complete_submission(release_nb, source_nb))

        rows = []
        for lab in labs:
            start = time.perf_counter()
            code, out = ops.run_nbgrader(course, "autograde", lab, "--log-level=WARN", capture=True)
            seconds = time.perf_counter() - start
            if code:
                print(out)
                return f"autograde of {lab} failed"
            table = ops.scores(course, lab)
            got = sum(s for s, _ in table["student000"].values())
            total = sum(m for _, m in table["student000"].values())
            graded = read_nb(course / "autograded" / "student000" / lab / f"{lab}.ipynb")
            cells = sum(cell_seconds(c) for c in graded["cells"])
            rows.append((lab, seconds, cells, f"{got:g} / {total:g}"))

    width = max(len(r[0]) for r in rows + [("total",)])
    n = args.students
    print(f"\nAutograding the solution of every lab, {n} student(s) per lab, one nbgrader call per lab")
    print(f"{'lab':<{width}}  {'seconds':>8}  {'in cells':>8}  points (first student)")
    for lab, seconds, cells, points in rows:
        print(f"{lab:<{width}}  {seconds:8.1f}  {cells:8.1f}  {points}")
    total = sum(r[1] for r in rows)
    print(f"{'total':<{width}}  {total:8.1f}  {sum(r[2] for r in rows):8.1f}")
    per_student = total / n
    print(f"\nnbgrader start-up: about {startup:.1f} s per call (included above, paid once per lab and call)")
    print(f"per student, all labs: {per_student:.1f} s (target <= {TARGET_SECONDS} s: "
          f"{'met' if per_student <= TARGET_SECONDS else 'NOT met'})")
    # nbgrader starts once per lab and call, whatever the number of students in the call; the rest
    # grows with the students. (With --students 1 the start-up is a large share of the total.)
    marginal = max(total - len(rows) * startup, 0.0) / n
    hours = (len(rows) * startup + COURSE_SIZE * marginal) / 3600
    print(f"each student, all labs, without the start-up: about {marginal:.1f} s")
    print(f"{COURSE_SIZE} students, all labs, one call per lab: about {hours:.1f} h; "
          f"split over 2 clones (2 cores): about {hours / 2:.1f} h")
    return 0


if __name__ == "__main__":
    sys.exit(main())
