"""Execute the course's notebooks and report what happened.

    python tools/course.py build      execute lectures/ and solutions/ into _build/executed/
                                      (the website is built from the committed lectures: make site)
    python tools/course.py refresh    re-execute lectures/ in place (updates committed outputs)

The tracked notebooks are never modified by ``build``. Both commands print a table of notebook,
status and seconds, and exit non-zero when a notebook fails, naming the notebook and the cell.
"""

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"
CELL_TIMEOUT = 120  # seconds; the course aims for < 20 s per cell, this only stops a hang
# The course's budgets on a 2-core machine (README, "Adding a lab"). Exceeding them is reported, not fatal:
# the autograder's own limit is c.Execute.timeout in nbgrader_config.py.
NOTEBOOK_BUDGET, CELL_BUDGET = 60.0, 20.0


def find_notebooks(*folders):
    """Return the notebooks under the given folders of the course, in course order."""
    found = []
    for folder in folders:
        found += sorted(p for p in (ROOT / folder).rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    return found


def _rel(path):
    """The path relative to the course root (or as given, for a notebook outside it)."""
    try:
        return path.relative_to(ROOT)
    except ValueError:
        return Path(path.name)


def _first_line(source, limit=70):
    lines = [line for line in source.splitlines() if line.strip()]
    text = lines[0].strip() if lines else "(empty cell)"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def cell_seconds(cell):
    """Seconds a code cell ran, from the timestamps nbclient records in its metadata (0.0 if none)."""
    from datetime import datetime

    timing = cell.get("metadata", {}).get("execution", {})
    try:
        began = datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
        ended = datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
    except (KeyError, ValueError):
        return 0.0
    return (ended - began).total_seconds()


@contextlib.contextmanager
def notebook_client(nb, cwd, timeout, **options):
    """An nbclient NotebookClient for the nbformat notebook ``nb``, run with ``cwd`` as its folder.

    The kernel talks over IPC sockets in a private temporary folder, not TCP ports, so notebooks
    executed in parallel (here, or by pytest workers) never race for a port. On leaving the block
    the kernel is shut down and the folder removed. ``options`` go to NotebookClient.
    """
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    sockets = tempfile.mkdtemp(prefix="nn-course-kernel-")
    manager = KernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(sockets, "kernel"))
    client = NotebookClient(
        nb,
        km=manager,
        timeout=timeout,
        kernel_name="python3",
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(cwd)}},
        **options,
    )
    try:
        yield client
    finally:
        if manager.has_kernel:
            manager.shutdown_kernel(now=True)
        shutil.rmtree(sockets, ignore_errors=True)


@dataclass(frozen=True)
class Result:
    """What executing one notebook gave."""

    notebook: str  # path relative to the course root
    status: str  # "ok" or "FAILED"
    seconds: float
    message: str = ""  # for a failure: the notebook, the cell and the error
    slowest_cell_seconds: float = 0.0
    slowest_cell: int | None = None  # index of the slowest cell

    @property
    def ok(self):
        return self.status == "ok"


def execute(path, output):
    """Execute one notebook, writing the executed copy to ``output``; return a Result.

    Runs in a worker thread, so it imports the notebook machinery itself and never raises: a
    failure becomes the Result's message.
    """
    import nbformat
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    rel = str(_rel(path))
    start = time.perf_counter()
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as err:  # unreadable JSON, a file that is not a notebook
        return Result(rel, "FAILED", time.perf_counter() - start, f"{rel}: cannot read it: {err}")
    # Start from a clean slate, so that a cell left unexecuted by a failure is recognisable (see
    # _failing_cell) and no stale output of a committed lecture survives a failed run.
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    status, message = "ok", ""
    try:
        with notebook_client(nb, path.parent, CELL_TIMEOUT) as client:
            client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as err:
        status = "FAILED"
        index = _failing_cell(nb)
        if index is None:
            last_line = str(err).strip().splitlines()[-1] if str(err).strip() else ""
            message = f"{rel}: {type(err).__name__}: {last_line}"
        else:
            cell = nb.cells[index]
            code_number = sum(1 for c in nb.cells[: index + 1] if c.cell_type == "code")
            error = _error_text(cell) or (str(err).strip().splitlines() or [type(err).__name__])[-1]
            message = (
                f"{rel}: cell {index} (code cell {code_number}, starting "
                f"'{_first_line(cell.source)}') failed: {error}"
            )
    except Exception as err:  # the kernel did not start, or something else outside the cells
        status, message = "FAILED", f"{rel}: {type(err).__name__}: {err}"
    seconds = time.perf_counter() - start
    slowest, slowest_index = _slowest_cell(nb)
    if output == path:
        if status != "ok":  # never overwrite a committed lecture with a half-executed copy
            return Result(rel, status, seconds, message, slowest, slowest_index)
        # Committed lectures keep their outputs but not the timestamps, which would change every run.
        for cell in nb.cells:
            cell.metadata.pop("execution", None)
    output.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, output)
    return Result(rel, status, seconds, message, slowest, slowest_index)


def _slowest_cell(nb):
    """(seconds, index) of the longest-running code cell, from the timings nbclient records."""
    return max(((cell_seconds(cell), i) for i, cell in enumerate(nb.cells)), default=(0.0, None))


def _failing_cell(nb):
    """Index of the first cell that holds an error output or was left unexecuted mid-way."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return i
    executed = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.get("execution_count")]
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip()]
    pending = [i for i in code if i not in executed]
    return pending[0] if pending else None


def _error_text(cell):
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return f"{out.get('ename')}: {out.get('evalue')}"
    return ""


def run_all(pairs, workers):
    """Execute (source, output) pairs, ``workers`` at a time; return their Results in order."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(execute, src, out) for src, out in pairs]
        return [f.result() for f in futures]


def print_table(results, wall):
    """Print one row per Result, the total, and what is over the course's time budgets."""
    failed = sum(not r.ok for r in results)
    total_label = f"total ({len(results)} notebooks, {failed} failed)"
    width = max([len("notebook"), len(total_label)] + [len(r.notebook) for r in results])
    rule = f"{'-' * width}  {'-' * 6}  {'-' * 7}  {'-' * 12}"
    print()
    print(f"{'notebook':<{width}}  {'status':<6}  {'seconds':>7}  {'slowest cell':>12}")
    print(rule)
    for r in results:
        print(f"{r.notebook:<{width}}  {r.status:<6}  {r.seconds:7.1f}  {r.slowest_cell_seconds:12.1f}")
    print(rule)
    print(f"{total_label:<{width}}  {'':<6}  {sum(r.seconds for r in results):7.1f}")
    print(f"wall time with parallel workers: {wall:.1f} s")
    for r in results:
        # Two notebooks share two cores here, so a notebook's own time overstates it a little.
        if r.seconds > NOTEBOOK_BUDGET:
            limit = f"the course's limit is {NOTEBOOK_BUDGET:.0f} s"
            print(f"over budget: {r.notebook} took {r.seconds:.1f} s ({limit})")
        if r.slowest_cell_seconds > CELL_BUDGET:
            print(
                f"over budget: {r.notebook} cell {r.slowest_cell} took {r.slowest_cell_seconds:.1f} s (the "
                f"course's limit is {CELL_BUDGET:.0f} s per cell; nbgrader's autograder stops a cell at "
                f"c.Execute.timeout)"
            )
    for r in results:
        if not r.ok:
            print(f"\nFAILED {r.message}", file=sys.stderr)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["build", "refresh"])
    parser.add_argument("--workers", type=int, default=2, help="notebooks executed at once (default 2)")
    parser.add_argument("notebooks", nargs="*", help="only these notebooks (paths); default: all")
    args = parser.parse_intermixed_args(argv)  # options may come before or after the notebooks
    os.environ.setdefault("MPLBACKEND", "Agg")

    folders = ("lectures", "solutions") if args.command == "build" else ("lectures",)
    notebooks = [Path(p).resolve() for p in args.notebooks] or find_notebooks(*folders)
    if not notebooks:
        print(f"no notebooks found in {', '.join(folders)}/", file=sys.stderr)
        return 1
    if args.command == "build":
        pairs = [(nb, BUILD / "executed" / _rel(nb)) for nb in notebooks]
    else:
        pairs = [(nb, nb) for nb in notebooks]

    start = time.perf_counter()
    results = run_all(pairs, args.workers)
    print_table(results, time.perf_counter() - start)
    ok = all(r.ok for r in results)

    BUILD.mkdir(exist_ok=True)
    report = [asdict(r) for r in results]
    (BUILD / f"{args.command}-report.json").write_text(json.dumps(report, indent=1))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
