"""The course's labs on disk and nbgrader's command line and gradebook.

Finding labs (``solutions/<id>/<id>.ipynb``, ``labs/``), reading nbgrader's cell metadata, running
``nbgrader`` as a subprocess without its known noise, ``release`` (solutions/ -> labs/), and
gradebook access for the trusted grading process.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# nbgrader finds its regions by these substrings (ClearSolutions / ClearHiddenTests defaults).
BEGIN_SOLUTION, END_SOLUTION = "BEGIN SOLUTION", "END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# Known noise in nbgrader's log that says nothing about the student's work:
# - the release checksum of a test cell is computed after its hidden tests are removed, so the
#   gradebook's checksum (computed before) always "changes" for cells with hidden tests;
# - ipykernel warns that its local TCP sockets are not encrypted.
_NOISE = (
    re.compile(r"Attribute 'checksum' for cell .* has changed!"),
    re.compile(r"Kernel is running over TCP without encryption"),
    re.compile(r"Use IPC transport or launch with kernel manager-provisioned"),
)


# --------------------------------------------------------------------------------------------
# Finding the course's labs
# --------------------------------------------------------------------------------------------


def course_root(start=None):
    """The folder holding nbgrader_config.py (the current folder, or ``start``)."""
    root = Path(start or os.getcwd()).resolve()
    if not (root / "nbgrader_config.py").exists():
        raise SystemExit(
            f"no nbgrader_config.py in {root}: run this from the course root (where the Makefile is)"
        )
    return root


def lab_ids(root, folder="solutions"):
    """Lab ids (``lab03-softmax-cross-entropy``) that have ``folder/<id>/<id>.ipynb``, sorted."""
    base = Path(root) / folder
    if not base.is_dir():
        return []
    return sorted(d.name for d in base.iterdir() if d.is_dir() and (d / f"{d.name}.ipynb").is_file())


def short_name(lab_id):
    """``lab03-softmax-cross-entropy`` -> ``lab03`` (the name of its mistake catalogue)."""
    return lab_id.split("-", 1)[0]


def resolve_labs(root, wanted, folder="solutions"):
    """Full lab ids for ``wanted`` (``lab03`` or full ids); all labs of ``folder`` when empty."""
    known = lab_ids(root, folder)
    if not wanted:
        return known
    chosen = []
    for name in wanted:
        matches = [lab for lab in known if lab == name or short_name(lab) == name]
        if not matches:
            raise SystemExit(f"unknown lab {name!r}; labs in {folder}/: {', '.join(known) or '(none)'}")
        chosen += [m for m in matches if m not in chosen]
    return chosen


def find_release_notebook(root, lab):
    """The student notebook of ``lab`` (``lab03`` or a full id) in labs/."""
    matches = sorted((Path(root) / "labs").glob(f"{lab}*/{lab}*.ipynb"))
    matches = [
        m
        for m in matches
        if m.parent.name == m.stem
        and short_name(m.stem) in (lab, short_name(lab))
        and ".ipynb_checkpoints" not in m.parts
    ]
    if len(matches) != 1:
        found = ", ".join(str(m.relative_to(root)) for m in matches) or "none"
        raise SystemExit(
            f"LAB={lab}: expected one notebook labs/{lab}-*/{lab}-*.ipynb, found {found}. "
            f"Use NB=path/to/notebook.ipynb to name it, or `make release` to create labs/."
        )
    return matches[0]


# --------------------------------------------------------------------------------------------
# Notebook cells
# --------------------------------------------------------------------------------------------


def norm(line):
    """A line with its whitespace runs collapsed, for comparisons that survive re-indentation."""
    return " ".join(line.split())


def split_regions(source, begin, end):
    """Split a cell's lines into (outside, inside) lists for one kind of marker (markers dropped)."""
    outside, inside, in_region = [], [], False
    for line in source.split("\n"):
        if begin in line:
            in_region = True
        elif end in line:
            in_region = False
        elif in_region:
            inside.append(line)
        else:
            outside.append(line)
    return outside, inside


def _source(cell):
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def _meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


# --------------------------------------------------------------------------------------------
# Running nbgrader
# --------------------------------------------------------------------------------------------


def nbgrader_command(*args):
    return [sys.executable, "-m", "nbgrader", *args]


def run_nbgrader(root, *args, quiet_noise=True, capture=False, env=None):
    """Run ``nbgrader *args`` in the course root; stream (or capture) its output without known noise."""
    full_env = dict(os.environ, MPLBACKEND=os.environ.get("MPLBACKEND", "Agg"), **(env or {}))
    # nbgrader runs the `alembic` executable from PATH when it creates gradebook.db: make the one
    # next to this Python findable even when the environment is not activated.
    full_env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), full_env.get("PATH", "")])
    proc = subprocess.Popen(
        nbgrader_command(*args),
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=full_env,
    )
    lines = []
    for line in proc.stdout:
        if quiet_noise and any(p.search(line) for p in _NOISE):
            continue
        lines.append(line)
        if not capture:
            sys.stdout.write(line)
            sys.stdout.flush()
    proc.wait()
    return proc.returncode, "".join(lines)


def release(root, labs=None):
    """``nbgrader generate_assignment <lab> --force`` for each lab, one after the other."""
    root = Path(root)
    labs = labs or lab_ids(root)
    if not labs:
        print("no labs in solutions/ (expected solutions/labNN-slug/labNN-slug.ipynb)")
        return 0
    for lab in labs:
        print(f"== release {lab}: solutions/{lab}/ -> labs/{lab}/")
        code, _ = run_nbgrader(root, "generate_assignment", lab, "--force", "--log-level=WARN")
        if code:
            print(f"FAILED: nbgrader generate_assignment {lab} exited with {code}", file=sys.stderr)
            return code
    orphans = sorted(set(lab_ids(root, "labs")) - set(lab_ids(root)))
    for lab in orphans:
        print(f"warning: labs/{lab}/ has no source in solutions/; delete it if the lab was removed")
    return 0


def _api():
    import warnings

    with warnings.catch_warnings():  # nbgrader.api's SQLAlchemy models warn on import; not ours to fix
        warnings.simplefilter("ignore")
        import nbgrader.api
    return nbgrader.api


def _gradebook(root):
    return _api().Gradebook(f"sqlite:///{Path(root) / 'gradebook.db'}")


def ensure_in_gradebook(root, lab):
    """Register ``lab`` in gradebook.db (nbgrader needs it to autograde) without touching labs/."""
    MissingEntry = _api().MissingEntry
    if (Path(root) / "gradebook.db").exists():
        with _gradebook(root) as gb:
            try:
                if gb.find_assignment(lab).notebooks:
                    return
            except MissingEntry:
                pass
    scratch = tempfile.mkdtemp(prefix="nbgrader-release-")
    try:
        print(f"== registering {lab} in gradebook.db (generate_assignment into a scratch folder)")
        code, out = run_nbgrader(
            root,
            "generate_assignment",
            lab,
            "--force",
            "--log-level=WARN",
            f"--CourseDirectory.release_directory={scratch}",
            capture=True,
        )
        if code:
            sys.stdout.write(out)
            raise SystemExit(f"could not register {lab} in the gradebook")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def submitted_labs(root):
    """{lab: [students]} for submitted/<student>/<lab>/<lab>.ipynb."""
    found = {}
    for nb in sorted(Path(root).glob("submitted/*/*/*.ipynb")):
        if nb.stem == nb.parent.name:
            found.setdefault(nb.parent.name, []).append(nb.parent.parent.name)
    return found


def scores(root, lab):
    """{student: {grade_id: (score, max_score)}} from the gradebook for one lab."""
    MissingEntry = _api().MissingEntry
    out = {}
    with _gradebook(root) as gb:
        try:
            assignment = gb.find_assignment(lab)
        except MissingEntry:
            return out
        for submission in assignment.submissions:
            for notebook in submission.notebooks:
                cells = out.setdefault(submission.student.id, {})
                for grade in notebook.grades:
                    cells[grade.name] = (grade.score, grade.max_score)
    return out


def print_scores(root, labs):
    rows = []
    for lab in labs:
        for student, cells in sorted(scores(root, lab).items()):
            got = sum(s or 0 for s, _ in cells.values())
            total = sum(m for _, m in cells.values())
            failed = [g for g, (s, m) in cells.items() if (s or 0) < m]
            rows.append((lab, student, f"{got:g} / {total:g}", ", ".join(failed) or "-"))
    if rows:
        widths = [max(len(r[i]) for r in rows + [("lab", "student", "points", "")]) for i in range(3)]
        print(
            f"\n{'lab':<{widths[0]}}  {'student':<{widths[1]}}  {'points':>{widths[2]}}  "
            "cells below full marks"
        )
        for r in rows:
            print(f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]}")
