"""How long autograding takes, in the sandbox, with every lab: 1, 4 and 20 students, and 300 estimated.

    python bench/bench_autograde.py                       1, 4 and 20 students x every lab (make bench)
    python bench/bench_autograde.py --students 1 --students 4
    python bench/bench_autograde.py --jobs 2 --lab lab03

Works in a temporary copy of the course (nothing in the repository changes). Each student hands in
the solution of every lab; one `make autograde` run grades them all (JOBS at a time, default: as
make autograde, cores + 1). The estimate for 300 students comes from the slope between the two largest
runs (seconds per submission once the fixed start-up is paid), so it leaves out nothing but the
start-up measured once. A measurement, not a test: the numbers depend on the machine and on what
else it is doing.

It also measures the floor: the seconds a fresh kernel takes to start and run only a lab's setup
cell (its imports: IPython's kernel, NumPy, matplotlib, nnscratch), with and without the sandbox.
Every grader that gives each notebook a fresh kernel (nbgrader does too) pays at least this per
notebook, so 300 x 7 x floor / cores is the least a whole class can take on this machine.
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

from nbgrader_support import complete_submission, make_course, ops, read_nb, submit  # noqa: E402

sys.path.insert(0, str(ROOT / "tools"))
import grader  # noqa: E402

COURSE_SIZE = 300
TARGET_MINUTES = 45


def run(labs, students, jobs):
    """Seconds to grade ``students`` x ``labs`` in a fresh copy of the course (plus the reports)."""
    with tempfile.TemporaryDirectory(prefix="bench-autograde-") as tmp:
        course = make_course(Path(tmp) / "course", labs, ROOT)
        if ops.release(course, labs):
            raise SystemExit("release failed")
        for lab in labs:
            source_nb = read_nb(course / "solutions" / lab / f"{lab}.ipynb")
            release_nb = read_nb(course / "labs" / lab / f"{lab}.ipynb")
            for k in range(students):
                submit(course, f"student{k:03d}", lab, complete_submission(release_nb, source_nb))
        for lab in labs:  # registering labs in the gradebook is a one-off, not part of grading
            ops.ensure_in_gradebook(course, lab)
        start = time.perf_counter()
        reports = ops._autograde.autograde(course, labs, jobs=jobs, quiet=True)
        seconds = time.perf_counter() - start
    bad = [
        r
        for r in reports
        if r["status"] != "graded" or r["flags"] or any(s != t for s, t in r["scores"].values())
    ]
    if bad:
        raise SystemExit(
            f"{len(bad)} solution submission(s) did not score full points: "
            f"{[(r['student'], r['lab'], r['reason'] or r['flags']) for r in bad[:3]]}"
        )
    return seconds, reports


def floor_seconds(labs, repeats=3):
    """{(label, sandboxed): min seconds} for a kernel that runs only the lab's setup cell."""
    import nbformat
    import sandbox
    from nbclient import NotebookClient

    out = {}
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as tmp:
        mpl = str(sandbox.prepare_matplotlib_cache(Path(tmp) / "matplotlib"))
        limits = sandbox.Limits()
        for lab in labs:
            release = read_nb(ROOT / "labs" / lab / f"{lab}.ipynb")
            setup = next(c for c in release["cells"] if c["cell_type"] == "code")
            nb = nbformat.v4.new_notebook(metadata=release["metadata"])
            source = setup["source"]
            nb.cells = [nbformat.v4.new_code_cell("".join(source) if isinstance(source, list) else source)]
            for sandboxed in (True, False):
                times = []
                for _ in range(repeats):
                    start = time.perf_counter()
                    with sandbox.sandboxed_kernel(limits, sandbox=sandboxed, mpl_cache=mpl) as (km, _w):
                        client = NotebookClient(nb, km=km, timeout=60, kernel_name="python3")
                        with client.setup_kernel():
                            client.execute_cell(nb.cells[0], 0)
                    times.append(time.perf_counter() - start)
                out[(lab, sandboxed)] = min(times)
    return out


def plain_seconds(labs):
    """{lab: seconds} to execute one student's solved notebook with nothing of the grader around it:
    plain nbclient, no sandbox, no tripwires, no fingerprints (what running the notebook costs)."""
    import json

    import nbformat
    import sandbox
    from nbclient import NotebookClient

    out = {}
    for lab in labs:
        release = read_nb(ROOT / "labs" / lab / f"{lab}.ipynb")
        source = read_nb(ROOT / "solutions" / lab / f"{lab}.ipynb")
        # What the grader executes (the hidden tests included), minus everything it adds.
        normalised, _ = grader.normalise(complete_submission(release, source), release, source)
        nb = nbformat.reads(json.dumps(normalised), as_version=4)
        same = (
            "NBGRADER_EXECUTION",
            "MPLBACKEND",
            "NNSCRATCH_PROGRESS",
            "OMP_NUM_THREADS",
            "OPENBLAS_NUM_THREADS",
        )
        env = {k: sandbox.KERNEL_ENV[k] for k in same}  # the kernel's settings when graded
        start = time.perf_counter()
        client = NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True)
        client.execute(env={**os.environ, **env})  # passed on to the kernel manager's start_kernel
        out[lab] = time.perf_counter() - start
    return out


def print_plain(labs, jobs):
    plain = plain_seconds(labs)
    per_student = sum(plain.values())
    at_once = min(os.cpu_count() or 1, jobs)
    minutes = COURSE_SIZE * per_student / at_once / 60
    print(
        f"plain execution (no grader, no sandbox): one student's {len(labs)} solved labs take "
        f"{per_student:.1f} s one after another; {COURSE_SIZE} students on {at_once} core(s): "
        f"at least {minutes:.0f} min"
    )


def print_floor(labs, jobs):
    floor = floor_seconds(labs)
    cores = os.cpu_count() or 1
    for sandboxed in (True, False):
        per_lab = [floor[(lab, sandboxed)] for lab in labs]
        mean = sum(per_lab) / len(per_lab)
        minutes = COURSE_SIZE * len(labs) * mean / min(cores, jobs) / 60
        where = "in the sandbox" if sandboxed else "without the sandbox"
        print(
            f"floor {where}: a fresh kernel running only the setup cell takes {min(per_lab):.2f} to "
            f"{max(per_lab):.2f} s (mean {mean:.2f} s); {COURSE_SIZE} x {len(labs)} notebooks at "
            f"{min(cores, jobs)} at once: at least {minutes:.0f} min before any test runs"
        )


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--lab", action="append", default=[], help="only this lab (lab03 or a full id); repeatable"
    )
    parser.add_argument(
        "--students", type=int, action="append", help="class sizes to time (default 1, 4, 20)"
    )
    parser.add_argument("--no-floor", action="store_true", help="skip the floor measurement")
    parser.add_argument(
        "--jobs",
        type=int,
        default=ops._autograde.default_jobs(),
        help="submissions at once (default: cores + 1, as make autograde)",
    )
    args = parser.parse_args(argv)
    sizes = sorted(set(args.students or [1, 4, 20]))
    if sizes[0] < 1:
        parser.error(f"--students must be at least 1, got {sizes[0]}")
    labs = ops.resolve_labs(ROOT, args.lab)
    if not labs:
        print("no labs in solutions/: nothing to benchmark")
        return 0
    print(f"autograding {len(labs)} lab(s) in the sandbox, {args.jobs} submission(s) at a time")
    results = []
    for n in sizes:
        seconds, reports = run(labs, n, args.jobs)
        in_kernels = sum(r["seconds"] for r in reports)
        results.append((n, seconds))
        print(
            f"  {n:>3} student(s) x {len(labs)} lab(s) = {n * len(labs):>4} notebooks: {seconds:7.1f} s "
            f"({seconds / (n * len(labs)):.2f} s per notebook; {in_kernels:.0f} s inside the graders)"
        )
    if len(results) >= 2:
        (n1, s1), (n2, s2) = results[-2], results[-1]
        per_student = (s2 - s1) / (n2 - n1)
        fixed = max(0.0, s1 - per_student * n1)
    else:
        ((n2, s2),) = results
        per_student, fixed = s2 / n2, 0.0
    estimate = fixed + per_student * COURSE_SIZE
    verdict = "within" if estimate <= TARGET_MINUTES * 60 else "OVER"
    print(
        f"estimate for {COURSE_SIZE} students x {len(labs)} labs: {estimate / 60:.0f} min "
        f"({per_student:.1f} s per student, {fixed:.0f} s fixed); target {TARGET_MINUTES} min: {verdict}"
    )
    one = next((s for n, s in results if n == 1), None)
    if one is not None:
        print(f"one student's {len(labs)} labs: {one:.1f} s (target: under 60 s)")
    if not args.no_floor:
        print_floor(labs, args.jobs)
        print_plain(labs, args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
