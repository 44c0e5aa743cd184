"""``make validate``: check a lab as the grader will, and tell the student what failed, in full.

``nbgrader validate`` exits 0 even when tests fail (nbgrader issue #1908), cuts every line of its
report at 90 characters (so a hint like "... Average over the samples, do not sum" is lost), and
prints the test cells' whole source and tracebacks before the errors. This runs it with lines
that are never cut, reads its report, and prints for each failing test only its complete message,
then one verdict line. nbgrader's own report is shown with ``VERBOSE=1`` (or ``--verbose``).

Run from the course root (the folder holding ``nbgrader_config.py``)::

    python tools/validate.py lab03                      the lab in labs/lab03-*/
    python tools/validate.py path/to/notebook.ipynb     any notebook
    VERBOSE=1 python tools/validate.py lab03            also nbgrader's full report

Exit status: 0 when every test passes, 1 when a test fails, 2 when a locked test cell (or a cell's
type) was changed, 3 when nbgrader's report could not be read.

Self-contained (it needs only nbgrader), because it is also shipped in the student edition
(``make student-dist``), which holds no other course tool.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["validate", "parse_validate_output", "error_message", "is_hidden_placeholder", "REPORT_WIDTH"]

# nbgrader cuts each report line at Validator.width - 3 characters and draws its separators with
# that many "=". Wide enough that no test message is ever cut.
REPORT_WIDTH = 10_000
SEPARATOR = "=" * REPORT_WIDTH
SHOWN_SEPARATOR = "=" * 90  # what VERBOSE=1 prints in place of the 10,000-character separators

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# Lines of nbgrader's log that say nothing about the student's work: ipykernel's warning that its
# local TCP sockets are not encrypted.
_NOISE = re.compile(r"Kernel is running over TCP without encryption|Use IPC transport or launch with kernel")
_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Failure|Interrupt|Exit|Warning)\b(:.*)?$")
# The grading assertions' exception: its class name says nothing the message does not.
_LAB_FAILURE = re.compile(r"^(nnscratch\.grading\.)?LabTestFailure: ")
NOT_DONE_HINT = "Not done yet: replace `raise NotImplementedError()` with your code."


# --------------------------------------------------------------------------------------------
# Notebooks and nbgrader (the same as tools/labs.py, which the student edition does not have)
# --------------------------------------------------------------------------------------------


def _source(cell):
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def _meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def course_root(start=None):
    """The folder holding nbgrader_config.py (the current folder, or ``start``)."""
    root = Path(start or os.getcwd()).resolve()
    if not (root / "nbgrader_config.py").exists():
        raise SystemExit(
            f"no nbgrader_config.py in {root}: run this from the course's folder (where the Makefile is)"
        )
    return root


def find_release_notebook(root, lab):
    """The student notebook of ``lab`` (``lab03`` or a full id) in labs/."""
    short = lab.split("-", 1)[0]
    matches = [
        m
        for m in sorted((Path(root) / "labs").glob(f"{lab}*/{lab}*.ipynb"))
        if m.parent.name == m.stem and m.stem.split("-", 1)[0] == short
    ]
    if len(matches) != 1:
        found = ", ".join(str(m.relative_to(root)) for m in matches) or "none"
        raise SystemExit(
            f"LAB={lab}: expected one notebook labs/{lab}-*/{lab}-*.ipynb, found {found}. "
            "Use NB=path/to/notebook.ipynb to name it."
        )
    return matches[0]


def run_nbgrader(root, *args):
    """Run ``nbgrader *args`` in the course root: (exit status, its output without known noise)."""
    env = dict(os.environ, MPLBACKEND=os.environ.get("MPLBACKEND", "Agg"))
    # nbgrader may run executables of this environment: make them findable when it is not activated.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    proc = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return proc.returncode, "".join(
        line for line in proc.stdout.splitlines(keepends=True) if not _NOISE.search(line)
    )


# --------------------------------------------------------------------------------------------
# Reading nbgrader's report
# --------------------------------------------------------------------------------------------


def _rendered(source, indent="    ", width=REPORT_WIDTH):
    """A cell source as nbgrader validate prints it (Validator._indent)."""
    lines = []
    for line in source.strip().split("\n"):
        line = indent + _ANSI.sub("", line)
        lines.append(line[: width - 3] + "..." if len(line) > width - 3 else line)
    return "\n".join(lines)


def error_message(error_block):
    """The message of the exception at the end of an error report, whole (every line, uncut).

    ``error_block`` is the text nbgrader prints under "The error was:" (an IPython traceback,
    indented). The result starts at the last line naming an exception ("LabTestFailure: ...",
    "NameError: ...") and keeps the lines after it (multi-line messages); the grading assertions'
    own class name is dropped.
    """
    lines = [line[4:] if line.startswith("    ") else line for line in error_block.rstrip().split("\n")]
    start = next((i for i in range(len(lines) - 1, -1, -1) if _EXCEPTION_LINE.match(lines[i])), None)
    if start is None:
        text = [line for line in lines if line.strip()][-1:] or ["(no error text)"]
    else:
        text = lines[start:]
    message = "\n".join(line.rstrip() for line in text).strip()
    message = _LAB_FAILURE.sub("", message)
    if message.startswith("NotImplementedError"):
        message = NOT_DONE_HINT
    return message


def parse_validate_output(output, nb):
    """Read ``nbgrader validate``'s report: (verdict, [cells]).

    verdict is "passed", "failed", "changed", "type_changed" or "unknown"; each cell is a dict with
    grade_id, points and message (the whole error message, for failed cells) matched back to the
    notebook by its source.
    """
    if "Success! Your notebook passes all the tests." in output:
        return "passed", []
    verdict = (
        "type_changed"
        if re.search(r"THE TYPES OF \d+ CELL\(S\) HAVE CHANGED", output)
        else "changed"
        if re.search(r"THE CONTENTS OF \d+ TEST CELL\(S\) HAVE CHANGED", output)
        else "failed"
        if re.search(r"VALIDATION FAILED ON \d+ CELL\(S\)", output)
        else "unknown"
    )
    candidates = [(c, _rendered(_source(c))) for c in nb["cells"] if _meta(c).get("grade_id")]
    cells = []
    for block in output.split(SEPARATOR)[1:]:
        block = block.strip("\n")
        kind, _, rest = block.partition("\n\n")
        source, _, error = rest.partition("\n\nThe error was:\n\n")
        source = source.rstrip("\n")
        match = next((c for c, text in candidates if text == source), None)
        if match is None:  # an edited cell: its first line is usually enough to tell the cells apart
            match = next((c for c, text in candidates if text.split("\n")[0] == source.split("\n")[0]), None)
        meta = _meta(match) if match else {}
        cells.append(
            {
                "kind": kind.strip(),
                "grade_id": meta.get("grade_id", "?"),
                "points": meta.get("points"),
                "message": error_message(error) if error else "",
            }
        )
    return verdict, cells


# --------------------------------------------------------------------------------------------
# The check
# --------------------------------------------------------------------------------------------


def is_hidden_placeholder(cell):
    """A graded cell of a student notebook whose tests are hidden: only comments are left in it."""
    lines = [line.strip() for line in _source(cell).split("\n")]
    return cell["cell_type"] == "code" and all(not line or line.startswith("#") for line in lines)


def _lab_name(path):
    return path.stem.split("-", 1)[0] if path.stem.startswith("lab") else path.name


def validate(root, target, timeout=None, quiet=False, verbose=None, out=None, verdict_out=None):
    """Validate a lab (``lab03``) or a notebook path; return the exit status (0 only on success).

    quiet: print only the messages and the verdict (the default unless VERBOSE=1 is set);
    verbose: also print nbgrader's full report (default: the VERBOSE environment variable).
    out / verdict_out: streams for the report and for the final verdict line (default stdout);
    the Makefile sends the report to stderr and reads the verdict from stdout.
    """
    out = out or sys.stdout
    verdict_out = verdict_out or sys.stdout
    if verbose is None:
        verbose = os.environ.get("VERBOSE", "") not in ("", "0")
    verbose = verbose and not quiet

    def say(text=""):
        print(text, file=out, flush=True)

    root = Path(root)
    path = Path(target)
    if path.suffix != ".ipynb":
        path = find_release_notebook(root, target)
    path = path.resolve()
    if not path.exists():
        raise SystemExit(f"no such notebook: {target}")
    try:
        shown = path.relative_to(root)
    except ValueError:
        shown = path
    nb = json.loads(path.read_text(encoding="utf-8"))
    graded = [c for c in nb["cells"] if _meta(c).get("grade")]
    hidden = [c for c in graded if is_hidden_placeholder(c)]
    visible = [c for c in graded if not is_hidden_placeholder(c)]
    saved = time.strftime("%H:%M:%S", time.localtime(path.stat().st_mtime))
    name = _lab_name(path)
    say(
        f"Validating {shown}, as last saved at {saved}: save the notebook first (Ctrl+S in JupyterLab); "
        "unsaved edits are not checked."
    )
    say(
        f"Restarting the kernel and running every cell in order, as the grader will "
        f"({len(visible)} visible test cells)..."
    )
    args = ["validate", str(path), f"--Validator.width={REPORT_WIDTH}"]
    if timeout:
        args.append(f"--Execute.timeout={int(timeout)}")
    start = time.perf_counter()
    code, output = run_nbgrader(root, *args)
    seconds = time.perf_counter() - start
    if verbose:
        say(output.replace(SEPARATOR, SHOWN_SEPARATOR).rstrip("\n"))
        say(SHOWN_SEPARATOR)
    verdict, cells = parse_validate_output(output, nb)
    if code != 0 and verdict == "passed":
        verdict = "unknown"
    # The FAILED verdicts end without a full stop: make adds ".  Stop." after them.
    again = (
        f"save, and run `make validate LAB={name}` again"
        if path.stem.startswith("lab")
        else "save, and validate again"
    )

    def final(line):
        print(line, file=verdict_out, flush=True)

    if verdict == "passed":
        later = (
            f" The hidden tests ({sum(_meta(c).get('points', 0) for c in hidden):g} points) run when "
            "your lab is graded."
            if hidden
            else " Hidden tests also run when your lab is graded."
        )
        final(f"PASSED {name}: all {len(visible)} visible tests pass ({seconds:.0f} s).{later}")
        return 0
    if verdict == "failed":
        for c in cells:
            points = f", {c['points']:g} points" if c["points"] else ""
            say("")
            say(f"FAILED {c['grade_id']}{points}:")
            say("\n".join("    " + line for line in c["message"].split("\n")))
        say("")
        names = ", ".join(c["grade_id"] for c in cells)
        final(
            f"FAILED {name}: {len(cells)} of {len(visible)} visible tests fail ({names}); "
            f"read the messages above, fix your code, {again}"
        )
        return 1
    if verdict == "changed":
        say("")
        final(
            f"FAILED {name}: you edited {len(cells)} locked test cell(s): "
            f"{', '.join(c['grade_id'] for c in cells)}. The grader runs the original tests; "
            "undo your edits (copy the cells back from a fresh copy of the lab)"
        )
        return 2
    if verdict == "type_changed":
        say("")
        final(
            f"FAILED {name}: the type of {len(cells)} cell(s) was changed "
            f"({', '.join(c['grade_id'] for c in cells)}); change them back"
        )
        return 2
    if not verbose:
        say(output.replace(SEPARATOR, SHOWN_SEPARATOR).rstrip("\n"))
    final(
        f"FAILED {name}: nbgrader validate exited with {code} and its report could not be read "
        "(see its output above)"
    )
    return 3


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("target", help="lab03, a full lab id, or a notebook path")
    parser.add_argument("--timeout", type=int, help="seconds per cell (default: nbgrader_config.py)")
    parser.add_argument(
        "--verbose",
        action="store_true",
        default=None,
        help="also print nbgrader's full report (default: the VERBOSE environment variable)",
    )
    parser.add_argument(
        "--report-to-stderr",
        action="store_true",
        help="print everything but the verdict line on stderr (the Makefile reads the verdict)",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("MPLBACKEND", "Agg")  # the grader draws into files, never onto a screen
    root = course_root()
    return validate(
        root,
        args.target,
        args.timeout,
        verbose=args.verbose,
        out=sys.stderr if args.report_to_stderr else sys.stdout,
    )


if __name__ == "__main__":
    sys.exit(main())
