"""The course's instructor and student commands (the Makefile calls this; run it from the course root).

    python tools/nbgrader_ops.py release [--lab lab03 ...]        solutions/ -> labs/, one lab after another
    python tools/nbgrader_ops.py autograde [--lab L] [--student S] [--force] [--timeout S]
                                           [--jobs N] [--shard i/n]
    python tools/nbgrader_ops.py feedback [--lab L] [--student S]  HTML feedback, hidden tests removed
    python tools/nbgrader_ops.py grades [--output grades.csv] [--roster roster.csv]
    python tools/nbgrader_ops.py merge other/gradebook.db ...      combine the gradebooks of shards
    python tools/nbgrader_ops.py validate lab03 | path/to/lab.ipynb
    python tools/nbgrader_ops.py check-leaks                       scan labs/ and feedback/

The work lives in modules of this folder, one job each:

- ``labs.py``: finding labs, nbgrader's command line, ``release``, gradebook access;
- ``sandbox.py``: a bubblewrap sandbox and limits for each submission's kernel;
- ``grader.py``: one submission: normalise, run, tripwires and integrity checks, scores, feedback notebook;
- ``autograde.py``: all submissions in parallel (``JOBS``, ``SHARD``), feedback HTML;
- ``gradebook.py``: the only writer of ``gradebook.db``; ``grades.csv``; merging shards;
- ``leaks.py``: the secrets of a lab and the scan for them;
- ``feedback_filter.py``: the nbconvert preprocessor that hides hidden tests (for nbgrader's own
  ``generate_feedback``, registered in ``nbgrader_config.py``);
- ``validate.py``: ``make validate``.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import autograde as _autograde  # noqa: E402
import gradebook as _gradebook_module  # noqa: E402
from leaks import *  # noqa: E402,F401,F403
from leaks import check_leaks  # noqa: E402
from validate import *  # noqa: E402,F401,F403
from validate import validate  # noqa: E402

from labs import *  # noqa: E402,F401,F403  (re-exported: the tests import them from here)
from labs import (  # noqa: E402
    course_root,
    ensure_in_gradebook,
    lab_ids,
    release,
    resolve_labs,
)

# Private helpers that the tests and the benchmark reach through this module.
_labs = sys.modules["labs"]
_ANSI, _NOISE, _api, _gradebook, _meta, _source = (
    _labs._ANSI,
    _labs._NOISE,
    _labs._api,
    _labs._gradebook,
    _labs._meta,
    _labs._source,
)


def autograde(
    root, labs=None, students=None, force=False, timeout=None, jobs=None, shard=None, sandbox_mode=None
):
    return _autograde.autograde(root, labs, students, force, timeout, jobs, shard, sandbox_mode)


def feedback(root, labs=None, students=None, jobs=None):
    return _autograde.feedback(root, labs, students, jobs)


def export_grades(root, output="grades.csv", roster=None):
    return _gradebook_module.export(root, output, roster)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("release", help="generate labs/ from solutions/")
    p.add_argument("--lab", action="append", default=[])
    p = sub.add_parser("autograde", help="autograde everything in submitted/")
    p.add_argument("--lab", action="append", default=[])
    p.add_argument("--student", action="append", default=[])
    p.add_argument("--force", action="store_true", help="regrade submissions graded before")
    p.add_argument("--timeout", type=int, help="seconds per cell (default: nbgrader_config.py)")
    p.add_argument("--jobs", type=int, help="submissions graded at once (default: the number of cores)")
    p.add_argument("--shard", help="i/n: grade only the i-th of n disjoint shares of the students")
    p.add_argument("--sandbox", choices=["on", "off"], help="default on; off warns (env SANDBOX)")
    p = sub.add_parser("feedback", help="HTML feedback without hidden tests")
    p.add_argument("--lab", action="append", default=[])
    p.add_argument("--student", action="append", default=[])
    p.add_argument("--jobs", type=int)
    p = sub.add_parser("grades", help="export grades to CSV")
    p.add_argument("--output", default="grades.csv")
    p.add_argument("--roster", help="a CSV with a student_id column (default: roster.csv when present)")
    p = sub.add_parser("merge", help="copy the submissions of other gradebooks (shards) into this one")
    p.add_argument("gradebooks", nargs="+")
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
        autograde(root, args.lab, args.student, args.force, args.timeout, args.jobs, args.shard, args.sandbox)
        return 0
    if args.command == "feedback":
        return feedback(root, args.lab, args.student, args.jobs)
    if args.command == "grades":
        export_grades(root, args.output, args.roster)
        return 0
    if args.command == "merge":
        for lab in lab_ids(root):
            ensure_in_gradebook(root, lab)
        _gradebook_module.merge(root, args.gradebooks)
        return 0
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
