"""The documentation cannot drift from the code it describes.

- shared/docs/errors.md: every row names the tests that exercise its error, and those tests exist.
- shared/README.md: the example runs, and every name the module table lists can be imported.
"""

import ast
import inspect
import re
from pathlib import Path

import pytest

COURSE = Path(__file__).resolve().parents[1]
ERRORS = COURSE / "shared" / "docs" / "errors.md"
SHARED_README = COURSE / "shared" / "README.md"


def _test_functions(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test")
    }


def _error_rows():
    rows = []
    for line in ERRORS.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if (
            line.startswith("|")
            and len(cells) >= 5
            and not set(cells[0]) <= set("-: ")
            and cells[0] != "Bad input"
        ):
            rows.append(cells)
    return rows


def _references(test_cell):
    """'`tests/test_a.py::f`, `::g`, `test_b.py::h`' -> [(test_a.py, f), (test_a.py, g), (test_b.py, h)]."""
    refs, current = [], None
    for file, name in re.findall(r"`(?:tests/)?(test_\w+\.py)?::(\w+)", test_cell):
        current = file or current
        refs.append((current, name))
    return refs


def test_every_error_row_names_tests_that_exist():
    rows = _error_rows()
    assert len(rows) >= 40, f"expected the whole catalogue, parsed {len(rows)} rows"
    missing = []
    for row in rows:
        refs = _references(row[-1])
        if not refs:
            missing.append(f"{row[0]}: no test named")
        for file, name in refs:
            path = COURSE / "tests" / (file or "")
            if file is None or not path.is_file():
                missing.append(f"{row[0]}: test file {file} does not exist")
            elif name not in _test_functions(path):
                missing.append(f"{row[0]}: {file}::{name} does not exist")
    assert not missing, "shared/docs/errors.md is out of date:\n" + "\n".join(missing)


def test_reference_parser():
    assert _references("`tests/test_a.py::f`, `::g`; `test_b.py::h`") == [
        ("test_a.py", "f"),
        ("test_a.py", "g"),
        ("test_b.py", "h"),
    ]


def test_shared_readme_example_runs(capsys):
    text = SHARED_README.read_text(encoding="utf-8")
    code = text.split("```python", 1)[1].split("```", 1)[0]
    namespace = {}
    exec(compile(code, str(SHARED_README), "exec"), namespace)  # the example a reader copies must work
    assert namespace["history"]["loss"].shape[0] == 200
    assert "parameters" in capsys.readouterr().out  # summary() printed its table


MODULES = [
    "layers",
    "activations",
    "losses",
    "optimizers",
    "model",
    "datasets",
    "utils",
    "gradcheck",
    "plotting",
    "training",
    "grading",
]


@pytest.mark.parametrize("module", MODULES)
def test_shared_readme_names_exist(module):
    import importlib

    text = SHARED_README.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith(f"| `{module}` |"))
    mod = importlib.import_module(f"nnscratch.{module}")
    # backticked identifiers at the start of each entry: `Dense(n_in, ...)` -> Dense, `LOSSES` -> LOSSES
    names = {m for m in re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)", row.split("|")[2])}
    names -= {
        "W",
        "b",
        "X",
        "dX",
        "dW",
        "db",
        "forward",
        "backward",
        "step",
        "reset",
        "params",
        "grads",
        "p",
        "kind",
        # an optimizer's state (instance attributes), a colormap's name, a private module's name
        "velocities",
        "m",
        "v",
        "t",
        "viridis",
        "_download",
    }
    # a name may be the module's own, a method of one of its classes, or a cross-reference
    # (`CCE` after `Softmax`);
    # names nnscratch merely imports (np, train_test_split, ...) do not count
    everywhere = [mod] + [importlib.import_module(f"nnscratch.{m}") for m in MODULES]
    ours = [
        v
        for m in everywhere
        for v in vars(m).values()
        if not inspect.ismodule(v) and str(getattr(v, "__module__", "nnscratch")).startswith("nnscratch")
    ]
    known = {getattr(v, "__name__", None) for v in ours if callable(v)}
    known |= {k for m in everywhere for k, v in vars(m).items() if k.isupper() and v in ours}
    known |= {k for v in ours if isinstance(v, type) for k in dir(v)}
    absent = sorted(names - known)
    assert not absent, f"shared/README.md lists {absent} under {module}, but nnscratch has no such name"
