"""The student edition (`make student-dist`, tools/student_dist.py): what students receive.

It must hold the labs, the lectures, nnscratch with its data, requirements.txt, a student README and
Makefile, and nothing from solutions/ or tests/, no nbgrader marker and no hidden-test line (checked
line by line by tools/leaks.py's rules, as `make check-leaks`). And a student must get from a fresh
copy of it to a validated lab with the README's commands alone.
"""

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from nbgrader_support import COURSE, complete_submission, read_nb, write_nb

pytestmark = [pytest.mark.slow]  # each test writes the edition (about 50 files, 10 MB) and scans it
VENV = Path(sys.executable).parent.parent


def _load(name):
    sys.path.insert(0, str(COURSE / "tools"))
    spec = importlib.util.spec_from_file_location(name, COURSE / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


dist = _load("student_dist")


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    dest = tmp_path_factory.mktemp("edition") / "student"
    dist.write_edition(COURSE, dest)
    return dest


def files(root):
    return {str(p) for p in dist.edition_files(root)}


def test_the_edition_holds_what_students_need(edition):
    present = files(edition)
    for lab in dist.lab_ids(COURSE):
        assert f"labs/{lab}/{lab}.ipynb" in present
    for lecture in (COURSE / "lectures").glob("*.ipynb"):
        assert f"lectures/{lecture.name}" in present
    for needed in (
        "README.md",
        "Makefile",
        "requirements.txt",
        "nbgrader_config.py",
        "shared/pyproject.toml",
        "shared/nnscratch/__init__.py",
        "shared/nnscratch/grading.py",
        "tools/validate.py",
        "tools/jupyter_setup.py",
    ):
        assert needed in present, needed
    data = {p.name for p in (COURSE / "shared" / "nnscratch" / "data").iterdir()}
    assert data and all(f"shared/nnscratch/data/{name}" in present for name in data)
    requirements = (edition / "requirements.txt").read_text()
    assert "nbgrader==" in requirements and "numpy==" in requirements and "jupyterlab==" in requirements
    assert not re.search(r"^(pytest|nbval|selenium|ruff|sphinx)\b", requirements, re.M), requirements
    pinned = {re.split(r"[=<>!~;\[ ]", line, maxsplit=1)[0].lower() for line in requirements.splitlines()}
    package = (COURSE / "shared" / "pyproject.toml").read_text()
    needed = re.findall(r'"([A-Za-z0-9_.-]+)\s*[<>=!~]', package.split("dependencies", 1)[1].split("]", 1)[0])
    assert needed and set(map(str.lower, needed)) <= pinned, (
        f"nnscratch needs {needed}; the edition pins {pinned}"
    )


def test_the_edition_holds_nothing_of_solutions_tests_or_hidden_tests(edition):
    present = files(edition)
    assert not [
        f for f in present if f.split("/")[0] in ("solutions", "tests", "submitted", "autograded", "feedback")
    ]
    assert not [f for f in present if "mistakes" in f or f.endswith("gradebook.db")]
    problems, notes, n_files, n_secrets = dist.scan(COURSE, edition)
    assert problems == [], "\n".join(problems)
    assert n_files == len(present) and n_secrets > 100  # every file, against the secrets of every lab


def test_the_scan_catches_a_hidden_line_a_solution_file_and_a_marker(edition, tmp_path):
    """Each kind of leak, planted in a copy, is found (so the test above can fail)."""
    copy = tmp_path / "student"
    shutil.copytree(edition, copy)
    lab = dist.lab_ids(COURSE)[0]
    source = read_nb(COURSE / "solutions" / lab / f"{lab}.ipynb")
    secrets = dist.secret_lines(source, dist.code_stub(COURSE))
    # the longest lines: the most specific to this lab, so no other lab shows them
    hidden = max(sorted(h for h in secrets["hidden_feedback"] if re.search(r"\d", h)), key=len)
    solution = max(sorted(secrets["solution"]), key=len)
    lecture = sorted((copy / "lectures").glob("*.ipynb"))[0]
    nb = read_nb(lecture)
    nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": f"A hint:\n    {hidden}"})
    write_nb(nb, lecture)
    (copy / "tools" / "notes.txt").write_text(f"{solution}\n")
    shutil.copy(COURSE / "solutions" / lab / f"{lab}.ipynb", copy / "labs" / "copied.ipynb")
    (copy / "labs" / "stray.py").write_text("# ### BEGIN HIDDEN TESTS\n")
    problems = "\n".join(dist.scan(COURSE, copy)[0])
    assert f"{lecture.relative_to(copy)}: contains {hidden!r}" in problems
    assert f"tools/notes.txt: contains {solution!r}" in problems
    assert "labs/copied.ipynb: a copy of a file in solutions/ or tests/" in problems
    assert "labs/stray.py: contains 'BEGIN HIDDEN TESTS'" in problems


def test_make_student_dist_writes_folder_zip_and_git_repository(tmp_path):
    out = tmp_path / "edition"
    env = dict(os.environ, PATH=f"{VENV / 'bin'}:/usr/local/bin:/usr/bin:/bin")
    run = [sys.executable, str(COURSE / "tools" / "student_dist.py"), "--output", str(out), "--git"]
    proc = subprocess.run(run, cwd=COURSE, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "none found" in proc.stdout and "committed the student edition" in proc.stdout
    with zipfile.ZipFile(tmp_path / "edition.zip") as zf:
        assert {n.split("/", 1)[1] for n in zf.namelist()} == files(out)
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=out, capture_output=True, text=True, check=True
    ).stdout.split()
    assert set(tracked) == files(out)
    # a second run into the same folder adds nothing when nothing changed, and keeps the history
    proc = subprocess.run(run, cwd=COURSE, env=env, capture_output=True, text=True)
    assert proc.returncode == 0 and "already up to date" in proc.stdout, proc.stdout + proc.stderr


def readme_commands(readme):
    """The `make ...` commands of the README's bash blocks."""
    blocks = re.findall(r"```bash\n(.*?)```", readme, re.S)
    return [
        line.split("#")[0].strip()
        for block in blocks
        for line in block.splitlines()
        if line.strip().startswith("make")
    ]


def student_make(root, *args):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("VIRTUAL_ENV", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "VERBOSE")
    }
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin"
    proc = subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return proc.returncode, proc.stdout


def test_the_student_makefile_sets_up_the_environment_for_students(edition, tmp_path):
    copy = tmp_path / "fresh"
    shutil.copytree(edition, copy)
    commands = readme_commands((copy / "README.md").read_text())
    assert commands[:2] == ["make setup", "make jupyter"] and any(
        c.startswith("make validate LAB=") for c in commands
    )
    code, out = student_make(copy, "-n", "setup")  # what `make setup` would run in a fresh copy
    assert code == 0, out
    assert "-m venv .venv" in out and "pip install --quiet -r requirements.txt" in out
    assert "pip install --quiet --no-deps --no-build-isolation -e shared" in out
    assert ".venv/bin/python tools/jupyter_setup.py student" in out
    code, out = student_make(copy, "help")
    assert set(re.findall(r"make (\S+)", out)) == {"help", "setup", "jupyter", "validate", "clean"}, out


@pytest.mark.nbgrader
def test_a_fresh_edition_gets_to_a_validated_lab_with_the_readme_commands(edition, tmp_path):
    """The README's `make validate LAB=lab01` on a completed lab passes, in a copy of the edition.

    `make setup` is stood in for by the course's own .venv (linked as the copy's .venv, its
    stamps declared up to date with -o), so the test installs nothing.
    """
    copy = tmp_path / "fresh"
    shutil.copytree(edition, copy)
    (copy / ".venv").symlink_to(VENV)
    lab = next(name for name in dist.lab_ids(COURSE) if name.startswith("lab01"))
    command = next(
        c for c in readme_commands((copy / "README.md").read_text()) if c.startswith("make validate")
    )
    assert command == "make validate LAB=lab01"
    notebook = copy / "labs" / lab / f"{lab}.ipynb"
    write_nb(
        complete_submission(read_nb(notebook), read_nb(COURSE / "solutions" / lab / f"{lab}.ipynb")), notebook
    )
    code, out = student_make(
        copy, "-o", ".venv/.installed", "-o", ".venv/etc/jupyter/nn-course-role", *command.split()[1:]
    )
    assert code == 0, out
    assert out.rstrip().split("\n")[-1].startswith("PASSED lab01: all "), out


def test_make_jupyter_first_gives_the_notebooks_the_kernel_metadata_jupyterlab_writes(edition, tmp_path):
    """JupyterLab writes the kernel's kernelspec and language_info (the exact Python version) into a
    notebook when its kernel starts; a notebook holding others is marked modified as it opens. The
    student's `make jupyter` writes them first, changing nothing else (tests/test_jupyterlab.py
    opens a lab in JupyterLab)."""
    setup = _load("jupyter_setup")
    copy = tmp_path / "fresh"
    shutil.copytree(edition, copy)
    stamps = ("-o", ".venv/.installed", "-o", ".venv/etc/jupyter/nn-course-role")
    code, out = student_make(copy, "-n", *stamps, "jupyter", "JUPYTER_ALLOW_ROOT=1")  # root in CI
    assert code == 0, out
    commands = out.strip().split("\n")
    assert commands[-2] == ".venv/bin/python tools/jupyter_setup.py --match-kernel labs lectures", out
    assert commands[-1].startswith(".venv/bin/jupyter lab"), out

    wanted = setup.kernel_metadata()
    assert wanted["language_info"]["version"] == sys.version.split()[0]
    assert set(wanted["language_info"]) == {
        "name", "version", "mimetype", "codemirror_mode",
        "pygments_lexer", "nbconvert_exporter", "file_extension",
    }  # fmt: skip
    notebooks = sorted((copy / "labs").rglob("*.ipynb")) + sorted((copy / "lectures").rglob("*.ipynb"))
    before = {p: read_nb(p) for p in notebooks}
    other = copy / "labs" / "other-kernel.ipynb"  # another kernel's notebook, and one another tool wrote
    write_nb(
        {
            "cells": [],
            "metadata": {"kernelspec": {"name": "ir", "language": "R"}},
            "nbformat": 4,
            "nbformat_minor": 5,
        },
        other,
    )
    compact = copy / "labs" / "compact.ipynb"
    compact.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n')
    kept = {p: p.read_bytes() for p in (other, compact)}

    changed = setup.match_kernel([copy / "labs", copy / "lectures"])
    assert set(changed) == {
        p for p in notebooks if {k: before[p]["metadata"].get(k) for k in wanted} != wanted
    }
    for path in notebooks:
        after = read_nb(path)
        assert {k: after["metadata"][k] for k in wanted} == wanted, path
        assert {**after, "metadata": None} == {**before[path], "metadata": None}  # cells untouched
        assert set(after["metadata"]) == set(before[path]["metadata"]) | set(wanted)
    assert {p: p.read_bytes() for p in kept} == kept
    assert setup.match_kernel([copy / "labs", copy / "lectures"]) == []  # a second run changes nothing
    assert not list(copy.rglob("*.tmp")), "the atomic rewrite left a temporary file"
