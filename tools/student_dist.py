"""``make student-dist``: the course as students receive it, without solutions or hidden tests.

Students must not get this repository: ``solutions/`` holds every solution and hidden test, and
``tests/mistakes/`` the typical wrong answers. The student edition holds only what a student
works with, listed in EDITION below: the labs (student versions, as nbgrader generated them), the
lectures, the ``nnscratch`` package with its data, ``requirements.txt`` without the
course's test tools, and from ``student/`` a README and a Makefile with the student's commands
(set up, ``make jupyter``, ``make validate``), ``tools/validate.py`` and ``tools/jupyter_setup.py``.

    python tools/student_dist.py [--output _build/student] [--git] [--no-zip]

writes the folder and ``<output>.zip``. With ``--git`` the folder is also a git repository with one
new commit per run (a first run creates it): publish that repository (for example as a GitHub
Classroom template) and keep running the command into the same folder, so the published history
only grows and students can ``git pull`` updates.

Every file written is then scanned by the rules of ``make check-leaks`` (tools/leaks.py; ``scan``
says which lines are looked for where): solution and hidden-test lines of the labs in solutions/
that are 8 characters or longer and do not also occur in a visible part of a lab, and nbgrader's
region markers. Any hit fails the command and removes the output.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from leaks import code_stub, file_text, find_leaks, secret_lines  # noqa: E402

from labs import (
    BEGIN_HIDDEN,
    BEGIN_SOLUTION,
    END_HIDDEN,
    END_SOLUTION,
    _meta,
    _source,
    course_root,  # noqa: E402
    lab_ids,
    split_regions,
)

# (source in the course, destination in the edition). Folders are copied whole, minus IGNORED.
EDITION = [
    ("student/README.md", "README.md"),
    ("student/Makefile", "Makefile"),
    ("student/nbgrader_config.py", "nbgrader_config.py"),
    ("student/gitignore", ".gitignore"),
    ("labs", "labs"),
    ("lectures", "lectures"),
    ("shared/nnscratch", "shared/nnscratch"),
    ("shared/pyproject.toml", "shared/pyproject.toml"),
    ("shared/README.md", "shared/README.md"),
    ("shared/docs", "shared/docs"),
    ("tools/validate.py", "tools/validate.py"),
    ("tools/jupyter_setup.py", "tools/jupyter_setup.py"),
    ("LICENSE", "LICENSE"),
    ("LICENSE-content.md", "LICENSE-content.md"),
    ("DATA-LICENSES.md", "DATA-LICENSES.md"),
]
IGNORED = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc", "*.egg-info", ".DS_Store")
# The packages of requirements.txt a student needs: nnscratch's dependencies (shared/pyproject.toml),
# JupyterLab and a kernel, nbgrader for `make validate` and the Validate button, and setuptools
# for the offline editable install. The rest (tests, lint, the web site, the grading sandbox) are
# the course's own tools. tests/test_student_dist.py checks that nnscratch's dependencies are here.
FOR_STUDENTS = {
    "numpy", "scipy", "matplotlib", "scikit-learn", "threadpoolctl", "tqdm",
    "jupyterlab", "notebook", "ipykernel", "nbgrader", "nbconvert", "nbclient", "nbformat", "setuptools",
}  # fmt: skip
# The material students have anyway, written apart from the hidden tests: a hidden-test line found
# there is a leak only when it holds a number (the inputs and expected values that make a hidden
# test secret); generic lines ("for _ in range(epochs):") are listed as notes for review.
PUBLIC_MATERIAL = ("lectures", "shared")
_DIGIT = re.compile(r"\d")
# Paths that must never be in the edition, whatever EDITION says.
FORBIDDEN = ("solutions", "tests", "submitted", "autograded", "feedback", "gradebook.db", "source", "release")


def student_requirements(text):
    """requirements.txt for students: its pinned packages of FOR_STUDENTS, under a new header."""
    kept = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue  # the course's comments talk about CI and the instructor's commands
        name = re.split(r"[=<>!~;\[ ]", line.strip(), maxsplit=1)[0].lower()
        if name in FOR_STUDENTS:
            kept.append(line)
    header = [
        "# The exact versions the course is tested with; `make setup` installs them into .venv.",
        "# Installing into an environment you already have? `pip install -r requirements.txt -e shared`.",
    ]
    return "\n".join(header + kept) + "\n"


def write_edition(root, dest):
    """Copy the student edition of the course at ``root`` into ``dest`` (emptied first, .git kept)."""
    root, dest = Path(root), Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for entry in dest.iterdir():
        if entry.name == ".git":
            continue
        shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    for src, dst in EDITION:
        source, target = root / src, dest / dst
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=IGNORED)
        else:
            shutil.copy2(source, target)
    (dest / "requirements.txt").write_text(student_requirements((root / "requirements.txt").read_text()))


def edition_files(dest):
    """Every file of the edition (relative paths), .git left out."""
    dest = Path(dest)
    return sorted(
        p.relative_to(dest)
        for p in dest.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(dest).parts
    )


def _visible_text(source_nb):
    """The lines of a source notebook outside every solution region and hidden-test block."""
    lines = []
    for cell in source_nb["cells"]:
        src = _source(cell)
        if _meta(cell).get("solution") and BEGIN_SOLUTION not in src:
            continue
        outside, _ = split_regions(src, BEGIN_SOLUTION, END_SOLUTION)
        outside, _ = split_regions("\n".join(outside), BEGIN_HIDDEN, END_HIDDEN)
        lines += outside
    return "\n".join(lines)


def _same_content(path, originals):
    return path.stat().st_size in originals and path.read_bytes() in originals[path.stat().st_size]


def scan(root, dest):
    """What students must not get in the edition at ``dest``: (problems, notes, files, secrets).

    Problems:

    - a path under solutions/, tests/ or nbgrader's working folders, or a file with the same
      content as one of solutions/ or tests/;
    - nbgrader's region markers, anywhere;
    - in labs/<lab>/: a solution or hidden-test line of that lab (``make check-leaks``'s rule);
    - anywhere: a hidden-test line of any lab that is not also a solution line. As in
      ``make check-leaks``, a line is secret only when it is 8 characters or longer and does not
      also occur in a visible part of a lab (here: of any lab, since the edition has them all);
      a hidden line that equals a solution line is the test's reference code, and is treated as
      the solution lines are (``make feedback``'s rule). In the lectures and nnscratch
      (PUBLIC_MATERIAL) only such lines holding a number count; the others are notes;
    - in the edition's own files (README, Makefile, tools/, config): any solution line too.

    Solution lines are not looked for in the lectures and nnscratch: a lecture works through the
    method its lab practises, and nnscratch implements it, by design.
    """
    root, dest = Path(root), Path(dest)
    problems, notes = [], []
    files = edition_files(dest)
    originals = {}
    for folder in ("solutions", "tests"):
        for path in (root / folder).rglob("*") if (root / folder).is_dir() else []:
            if path.is_file() and "__pycache__" not in path.parts:
                originals.setdefault(path.stat().st_size, set()).add(path.read_bytes())
    for rel in files:
        if rel.parts[0] in FORBIDDEN:
            problems.append(f"{rel}: a path students must not get")
        elif _same_content(dest / rel, originals):
            problems.append(f"{rel}: a copy of a file in solutions/ or tests/")
    stub = code_stub(root)
    sources = {
        lab: json.loads((root / "solutions" / lab / f"{lab}.ipynb").read_text(encoding="utf-8"))
        for lab in lab_ids(root)
    }
    every_visible = stub + "\n" + "\n".join(_visible_text(nb) for nb in sources.values())
    own = {lab: secret_lines(nb, stub) for lab, nb in sources.items()}
    course = {lab: secret_lines(nb, every_visible) for lab, nb in sources.items()}
    solution = set().union(*(s["solution"] for s in course.values()))
    # A hidden test's reference code may equal a solution line (which the lectures teach and
    # nnscratch implements); what must stay secret are its other lines: inputs, expected values,
    # checks. The same rule as check-leaks applies to feedback ("hidden_feedback").
    solution_text = "\n".join(solution)
    hidden = {h for s in course.values() for h in s["hidden"] if h not in solution_text}
    for rel in files:
        secrets = set(hidden)
        public = rel.parts[0] in PUBLIC_MATERIAL
        if rel.parts[0] == "labs" and len(rel.parts) > 2 and rel.parts[1] in own:
            secrets |= own[rel.parts[1]]["solution"] | own[rel.parts[1]]["hidden"]
        elif not public:
            secrets |= solution
        for leak in find_leaks(file_text(dest / rel), secrets):
            if public and leak in hidden and not _DIGIT.search(leak):
                notes.append(f"{rel}: shares the generic line {leak!r} with a hidden test")
            else:
                problems.append(f"{rel}: contains {leak!r}")
    n_secrets = len(hidden | solution | set().union(*(s["solution"] | s["hidden"] for s in own.values())))
    return problems, notes, len(files), n_secrets


def write_zip(dest, archive):
    """``archive`` holding the edition under one top folder named like ``dest``."""
    dest, archive = Path(dest), Path(archive)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for rel in edition_files(dest):
            zf.write(dest / rel, str(Path(dest.name) / rel))


def commit(root, dest):
    """Commit the edition as a new commit of the git repository at ``dest`` (created if needed)."""

    def git(*args, cwd=dest):
        return subprocess.run(
            ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
        ).stdout.strip()

    if not (Path(dest) / ".git").exists():
        git("init", "-q")
    try:
        source = git("rev-parse", "--short", "HEAD", cwd=root)
    except (subprocess.CalledProcessError, FileNotFoundError):
        source = "unknown"
    git("add", "-A")
    if not git("status", "--porcelain"):
        print(f"{dest}: git repository already up to date")
        return
    git(
        "-c",
        "user.name=course",
        "-c",
        "user.email=course@localhost",
        "commit",
        "-q",
        "-m",
        f"Student edition, from course commit {source}",
    )
    print(f"{dest}: committed the student edition ({git('rev-parse', '--short', 'HEAD')})")


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--output", default="_build/student", help="folder to write (default: _build/student)"
    )
    parser.add_argument(
        "--git", action="store_true", help="also commit it in a git repository in that folder"
    )
    parser.add_argument("--no-zip", action="store_true", help="do not write <output>.zip")
    args = parser.parse_args(argv)
    root = course_root()
    dest = Path(args.output).resolve()
    if dest == root or root in dest.parents and dest.relative_to(root).parts[0] not in ("_build",):
        raise SystemExit(
            f"--output {args.output}: write the student edition outside the course's own folders "
            "(the default is _build/student)"
        )
    missing = [lab for lab in lab_ids(root) if not (root / "labs" / lab / f"{lab}.ipynb").exists()]
    if missing:
        raise SystemExit(f"labs/ lacks {', '.join(missing)}: run `make release` first")
    write_edition(root, dest)
    problems, notes, n_files, n_secrets = scan(root, dest)
    for note in notes:
        print(f"note: {note}")
    if problems:
        for p in problems:
            print(f"LEAK {p}", file=sys.stderr)
        shutil.rmtree(dest)
        raise SystemExit(
            f"FAILED: the student edition would give away {len(problems)} line(s) or file(s); removed {dest}"
        )
    print(f"{dest}: {n_files} files, scanned for {n_secrets} solution and hidden-test lines: none found")
    if not args.no_zip:
        write_zip(dest, dest.with_suffix(".zip"))
        print(f"{dest.with_suffix('.zip')}: written")
    if args.git:
        commit(root, dest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
