"""``make validate``: nbgrader validate with an exit status and a summary a student can read.

``nbgrader validate`` exits 0 even when tests fail (nbgrader issue #1908). This runs it, reads its
report, names each failing test cell with its points and error, and exits non-zero when anything
failed or a locked cell was changed.
"""

import json
import re
import sys
import time
from pathlib import Path

from labs import _ANSI, _meta, _source, find_release_notebook, norm, run_nbgrader

SEPARATOR = "=" * 90  # Validator.width


def _rendered(source, indent="    ", width=90):
    """A cell source as nbgrader validate prints it (Validator._indent)."""
    lines = []
    for line in source.strip().split("\n"):
        line = indent + _ANSI.sub("", line)
        lines.append(line[: width - 3] + "..." if len(line) > width - 3 else line)
    return "\n".join(lines)


_EXCEPTION_LINE = re.compile(r"^\s*[A-Za-z_][\w.]*(Error|Exception|Failure|Interrupt|Exit|Warning)\b(:.*)?$")


def _error_summary(error_block):
    lines = [line for line in error_block.split("\n") if line.strip()]
    for i in range(len(lines) - 1, -1, -1):
        if _EXCEPTION_LINE.match(lines[i]):
            return " ".join(norm(x) for x in lines[i:])
    return norm(lines[-1]) if lines else "(no error text)"


def parse_validate_output(output, nb):
    """Read ``nbgrader validate``'s report: (verdict, [cells]).

    verdict is "passed", "failed", "changed", "type_changed" or "unknown"; each cell is a dict with
    grade_id, points and error (for failed cells) matched back to the notebook by its source.
    """
    if "Success! Your notebook passes all the tests." in output:
        return "passed", []
    verdict = ("type_changed" if re.search(r"THE TYPES OF \d+ CELL\(S\) HAVE CHANGED", output) else
               "changed" if re.search(r"THE CONTENTS OF \d+ TEST CELL\(S\) HAVE CHANGED", output) else
               "failed" if re.search(r"VALIDATION FAILED ON \d+ CELL\(S\)", output) else "unknown")
    candidates = [(c, _rendered(_source(c))) for c in nb["cells"] if _meta(c).get("grade_id")]
    cells = []
    for block in output.split(SEPARATOR)[1:]:
        block = block.strip("\n")
        kind, _, rest = block.partition("\n\n")
        source, _, error = rest.partition("\n\nThe error was:\n\n")
        source = source.rstrip("\n")
        match = next((c for c, text in candidates if text == source), None)
        if match is None:  # fall back on the first line, which is enough to tell the cells apart
            match = next((c for c, text in candidates if text.split("\n")[0] == source.split("\n")[0]), None)
        meta = _meta(match) if match else {}
        cells.append({"kind": kind.strip(), "grade_id": meta.get("grade_id", "?"),
                      "points": meta.get("points"), "error": _error_summary(error) if error else ""})
    return verdict, cells


def validate(root, target, timeout=None, quiet=False):
    """Run ``nbgrader validate`` on a lab (``lab03``) or a notebook path; exit status 0 only on success."""
    root = Path(root)
    path = Path(target)
    if not path.suffix == ".ipynb":
        path = find_release_notebook(root, target)
    path = path.resolve()
    if not path.exists():
        raise SystemExit(f"no such notebook: {target}")
    try:
        shown = path.relative_to(root)
    except ValueError:
        shown = path
    nb = json.loads(path.read_text())
    graded = [c for c in nb["cells"] if _meta(c).get("grade")]
    print(f"Validating {shown}: restarting the kernel and running every cell as the grader will "
          f"({len(graded)} graded test cells)...")
    args = ["validate", str(path)]
    if timeout:
        args.append(f"--Execute.timeout={int(timeout)}")
    start = time.perf_counter()
    code, output = run_nbgrader(root, *args, capture=True)
    seconds = time.perf_counter() - start
    if not quiet:
        sys.stdout.write(output)
    verdict, cells = parse_validate_output(output, nb)
    print("-" * 90)
    if code != 0 and verdict == "passed":
        verdict = "unknown"
    if verdict == "passed":
        total = sum(_meta(c).get("points", 0) for c in graded)
        print(f"PASSED {shown}: all {len(graded)} graded test cells pass ({total:g} points) in {seconds:.0f} s. "
              f"Hidden tests also run when the lab is graded.")
        return 0
    if verdict == "failed":
        lost = sum(c["points"] or 0 for c in cells)
        print(f"FAILED {shown}: {len(cells)} of {len(graded)} graded test cells fail ({lost:g} points):")
        for c in cells:
            note = " (not done yet: replace `raise NotImplementedError()` with your code)" \
                if c["error"].startswith("NotImplementedError") else ""
            print(f"  - {c['grade_id']} ({c['points'] if c['points'] is not None else '?'} points): {c['error']}{note}")
        return 1
    if verdict == "changed":
        print(f"FAILED {shown}: {len(cells)} locked test cell(s) were edited: "
              f"{', '.join(c['grade_id'] for c in cells)}. The grader restores the original tests; "
              "undo your edits (copy the cell back from a fresh `make release` or from git).")
        return 2
    if verdict == "type_changed":
        print(f"FAILED {shown}: the type of {len(cells)} cell(s) was changed "
              f"({', '.join(c['grade_id'] for c in cells)}); change them back.")
        return 2
    print(f"FAILED {shown}: nbgrader validate exited with {code} and its report could not be read "
          "(see its output above).")
    return 3
