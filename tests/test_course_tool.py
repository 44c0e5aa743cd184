"""tools/course.py, behind `make course` and `make refresh-outputs`.

Run on small notebooks written into a temporary folder: a failing cell makes the command exit
non-zero and names the notebook and the cell; `build` never touches the source notebook;
`refresh` writes outputs back without execution timestamps; the table reports the slowest cell.
"""

import importlib.util
import json
import sys
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.slow
COURSE = Path(__file__).resolve().parents[1]


@pytest.fixture
def course(tmp_path, monkeypatch):
    """tools/course.py loaded as a module whose ROOT and BUILD point into tmp_path."""
    spec = importlib.util.spec_from_file_location("course_tool", COURSE / "tools" / "course.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "ROOT", tmp_path)
    monkeypatch.setattr(module, "BUILD", tmp_path / "_build")
    (tmp_path / "lectures").mkdir()
    return module


def write_notebook(path, *sources):
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# A test lecture")]
        + [nbformat.v4.new_code_cell(s) for s in sources]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def test_a_failing_cell_fails_the_build_and_names_notebook_and_cell(course, tmp_path, capsys):
    good = write_notebook(tmp_path / "lectures" / "01-good.ipynb", "x = 1", "print(x + 1)")
    bad = write_notebook(
        tmp_path / "lectures" / "02-bad.ipynb", "y = 2", "raise ValueError('broken on purpose')"
    )
    before = bad.read_text()

    status = course.main(["build", "--workers", "2", str(good), str(bad)])

    out, err = capsys.readouterr()
    assert status == 1
    assert "lectures/02-bad.ipynb" in err and "cell 2 (code cell 2" in err, err
    assert "ValueError: broken on purpose" in err, err
    assert "total (2 notebooks, 1 failed)" in out, out
    assert bad.read_text() == before, "build must not modify the tracked notebook"
    executed = nbformat.read(tmp_path / "_build" / "executed" / "lectures" / "01-good.ipynb", as_version=4)
    assert executed.cells[2].outputs[0]["text"] == "2\n"
    report = json.loads((tmp_path / "_build" / "build-report.json").read_text())
    assert [r["status"] for r in report] == ["ok", "FAILED"]


def test_refresh_keeps_outputs_but_no_timestamps(course, tmp_path, capsys):
    lecture = write_notebook(
        tmp_path / "lectures" / "01-slow.ipynb", "import time\ntime.sleep(0.3)\nprint('done')"
    )

    assert course.main(["refresh", "--workers", "1", str(lecture)]) == 0

    nb = nbformat.read(lecture, as_version=4)
    assert nb.cells[1].outputs[0]["text"] == "done\n"
    assert all("execution" not in cell.metadata for cell in nb.cells), "timestamps would change every refresh"
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("lectures/01-slow.ipynb"))
    assert float(row.split()[-1]) >= 0.3, row  # the slowest-cell column saw the 0.3 s sleep


def test_cells_over_the_budget_are_reported(course, capsys):
    results = [course.Result("lectures/09-long.ipynb", "ok", 75.0, "", 25.0, 4)]
    course.print_table(results, 75.0)
    out = capsys.readouterr().out
    assert "over budget: lectures/09-long.ipynb took 75.0 s" in out
    assert "over budget: lectures/09-long.ipynb cell 4 took 25.0 s" in out


def test_no_notebooks_is_an_error(course, tmp_path, capsys):
    assert course.main(["refresh"]) == 1
    assert "no notebooks found in lectures/" in capsys.readouterr().err


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v"]))


def test_a_failed_refresh_leaves_the_committed_lecture_as_it_was(course, tmp_path, capsys):
    lecture = write_notebook(tmp_path / "lectures" / "01-breaks.ipynb", "print('old')", "print('next')")
    assert course.main(["refresh", "--workers", "1", str(lecture)]) == 0
    committed = lecture.read_text()
    nb = nbformat.read(lecture, as_version=4)
    nb.cells[1].source = "raise ValueError('broken after the last refresh')"
    nbformat.write(nb, lecture)
    edited = lecture.read_text()

    assert course.main(["refresh", "--workers", "1", str(lecture)]) == 1

    err = capsys.readouterr().err
    assert "cell 1 (code cell 1" in err and "broken after the last refresh" in err, err
    assert lecture.read_text() == edited != committed, "a half-executed copy must not replace the lecture"


def test_a_notebook_that_cannot_be_read_is_a_failure_not_a_crash(course, tmp_path, capsys):
    broken = tmp_path / "lectures" / "01-broken.ipynb"
    broken.write_text("{ not json")
    good = write_notebook(tmp_path / "lectures" / "02-good.ipynb", "print(1)")

    assert course.main(["build", "--workers", "2", str(broken), str(good)]) == 1

    out, err = capsys.readouterr()
    assert "lectures/01-broken.ipynb: cannot read it" in err, err
    assert "total (2 notebooks, 1 failed)" in out, out
