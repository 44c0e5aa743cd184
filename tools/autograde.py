"""``make autograde`` and ``make feedback``: every submission graded in its own sandbox, in parallel.

The parent process is the only trusted one: it finds the submissions, starts ``JOBS`` worker
processes that each grade one submission at a time (``grader.grade_submission``: a sandboxed kernel
per submission), and stores each result in the gradebook as it arrives (``gradebook.store``). A
submission that cannot be graded (invalid JSON, a killed kernel, crafted metadata) is reported by
student name with the reason and scores 0; everyone else is graded.
"""

import concurrent.futures
import contextlib
import hashlib
import html
import json
import multiprocessing
import os
import re
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

import gradebook
import grader
import sandbox

from labs import _meta, ensure_in_gradebook, lab_ids, resolve_labs

SANDBOX_OFF_WARNING = (
    "WARNING: SANDBOX=off: student code runs with your rights, can read solutions/ and the "
    "gradebook, and can change files. Use it only for notebooks you trust."
)


def default_jobs():
    """Cores + 1: a worker waits for its kernel to start and for the gradebook, so one per core left
    the cores idle at times (300 students x 7 labs on 2 cores, measured: 65 min with 2 at once,
    55 min with 3, 63 min with 4)."""
    return (os.cpu_count() or 1) + 1


def cell_timeout(root, override=None):
    """Seconds per cell: TIMEOUT=, else c.Execute.timeout of nbgrader_config.py, else 60."""
    if override:
        return int(override)
    match = re.search(
        r"^c\.Execute\.timeout\s*=\s*(\d+)", (Path(root) / "nbgrader_config.py").read_text(), re.M
    )
    return int(match.group(1)) if match else 60


def parse_shard(text):
    """``"2/4"`` -> (2, 4): this machine grades the second of four disjoint shares of the students."""
    if not text:
        return None
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", str(text))
    if not match or not (1 <= int(match.group(1)) <= int(match.group(2))):
        raise SystemExit(f"SHARD must look like i/n with 1 <= i <= n (e.g. SHARD=1/4), got {text!r}")
    return int(match.group(1)), int(match.group(2))


def in_shard(student, all_students, shard):
    if shard is None:
        return True
    i, n = shard
    return sorted(all_students).index(student) % n == i - 1


def find_submissions(root, labs=None, students=None, shard=None):
    """([(student, lab, path)], [problems]) for submitted/<student>/<lab>/<lab>.ipynb."""
    root = Path(root)
    known = lab_ids(root)
    wanted_labs = resolve_labs(root, labs) if labs else known
    everyone = sorted(p.name for p in (root / "submitted").glob("*") if p.is_dir())
    jobs, problems = [], []
    for student in everyone:
        if students and student not in students:
            continue
        if not in_shard(student, everyone, shard):
            continue
        for folder in sorted((root / "submitted" / student).glob("*")):
            if not folder.is_dir():
                continue
            lab = folder.name
            if lab not in known:
                problems.append(
                    (
                        student,
                        lab,
                        f"submitted/{student}/{lab}/ is not a lab of this course (labs: {', '.join(known)})",
                    )
                )
                continue
            if lab not in wanted_labs:
                continue
            path = folder / f"{lab}.ipynb"
            if not path.is_file():
                others = ", ".join(p.name for p in folder.glob("*.ipynb")) or "none"
                problems.append(
                    (
                        student,
                        lab,
                        f"no {lab}.ipynb in submitted/{student}/{lab}/ (notebooks there: {others})",
                    )
                )
                continue
            jobs.append((student, lab, path))
    return jobs, problems


def autograde(
    root,
    labs=None,
    students=None,
    force=False,
    timeout=None,
    jobs=None,
    shard=None,
    sandbox_mode=None,
    limits=None,
    quiet=False,
):
    """Grade submissions; returns the list of reports (dicts) of this run."""
    root = Path(root)
    sandbox_mode = (sandbox_mode or os.environ.get("SANDBOX") or "on").lower()
    use_sandbox = sandbox_mode not in ("off", "0", "no", "false")
    if use_sandbox:
        problem = sandbox.sandbox_problem()
        if problem:
            raise SystemExit(
                f"cannot grade safely: {problem}.\nNothing was graded. To grade without the sandbox "
                "(only notebooks you trust), run with SANDBOX=off."
            )
    else:
        print(SANDBOX_OFF_WARNING, file=sys.stderr)
    limits = limits or sandbox.Limits.from_env()
    limits.cell_seconds = cell_timeout(root, timeout)
    todo, problems = find_submissions(root, labs, students, parse_shard(shard))
    if not force:
        before = len(todo)
        todo = [(s, lab, p) for s, lab, p in todo if gradebook.read_report(root, s, lab) is None]
        if before - len(todo) and not quiet:
            print(f"{before - len(todo)} submission(s) graded before are kept (FORCE=1 regrades them)")
    if not todo and not problems:
        print(
            "nothing to autograde: expected submitted/<student>/<lab>/<lab>.ipynb, e.g. "
            "submitted/ada/lab03-softmax-cross-entropy/lab03-softmax-cross-entropy.ipynb"
        )
        return []
    for lab in sorted({lab for _, lab, _ in todo}):
        ensure_in_gradebook(root, lab)
    jobs = max(1, int(jobs or default_jobs()))
    scratch = Path(tempfile.mkdtemp(prefix="nn-autograde-"))
    reports = []
    closing = contextlib.ExitStack()
    try:
        mpl_cache = str(sandbox.prepare_matplotlib_cache(scratch / "matplotlib"))
        sandbox.precompile_nnscratch()
        expected = grader.expected_fingerprint()
        run = "run-" + secrets.token_hex(6)
        specs = [
            {
                "root": str(root),
                "lab": lab,
                "student": s,
                "path": str(p),
                "limits": vars(limits),
                "run": run,
                "sandbox": use_sandbox,
                "mpl_cache": mpl_cache,
                "expected": expected,
                "workdir_source": str(_workdir_copy(p, scratch / f"{s}--{lab}")),
            }
            for s, lab, p in todo
        ]
        if not quiet:
            print(
                f"== autograde: {len(specs)} submission(s), {jobs} at a time"
                + (", in the sandbox" if use_sandbox else ", WITHOUT the sandbox")
            )
        start = time.perf_counter()
        context = multiprocessing.get_context("spawn")
        # Decoys (grader.py) are checked against each lab's own solution first: only those the
        # solution fails are used, so no honest student can pass one.
        labs_here = sorted({spec["lab"] for spec in specs})
        cache = _decoy_cache(root)
        keys = {lab: _decoy_key(root, lab) for lab in labs_here}
        decoys = {lab: cache[keys[lab]] for lab in labs_here if keys[lab] in cache}
        checks = [
            {**specs[0], "lab": lab, "student": "(solution)", "workdir_source": str(root / "labs" / lab)}
            for lab in labs_here
            if lab not in decoys
        ]
        if checks:
            with concurrent.futures.ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
                checked = dict(zip([c["lab"] for c in checks], pool.map(grader.valid_decoys, checks)))
            decoys.update(checked)
            _save_decoy_cache(root, {**cache, **{keys[lab]: found for lab, found in checked.items()}})
        for spec in specs:
            spec["decoys"] = decoys[spec["lab"]]
        gb = closing.enter_context(gradebook.session(root))  # one open gradebook for the whole run
        pending, attempts = list(specs), {}
        while pending:
            # A worker process that dies (it should not: student code runs in the kernel, not
            # here) breaks the pool; the submissions it did not finish get one more try in a new one.
            retry = []
            with concurrent.futures.ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
                futures = {pool.submit(grader.grade_submission, spec): spec for spec in pending}
                for future in concurrent.futures.as_completed(futures):
                    spec = futures[future]
                    key = (spec["student"], spec["lab"])
                    try:
                        report = future.result()
                    except Exception as exc:
                        attempts[key] = attempts.get(key, 0) + 1
                        if attempts[key] < 2:
                            retry.append(spec)
                            continue
                        report = {
                            "lab": spec["lab"],
                            "student": spec["student"],
                            "status": "failed",
                            "reason": f"the grading worker failed twice: {type(exc).__name__}: {exc}",
                            "scores": {},
                            "flags": [],
                            "notes": [],
                            "problems": [],
                            "seconds": 0.0,
                        }
                    gradebook.store(root, report, gb)
                    reports.append(report)
                    if not quiet:
                        print("   " + _one_line(report), flush=True)
            pending = retry
        for student, lab, reason in problems:
            report = {
                "lab": lab,
                "student": student,
                "status": "failed",
                "reason": reason,
                "scores": {},
                "flags": [],
                "notes": [],
                "problems": [],
                "seconds": 0.0,
            }
            reports.append(report)
            if lab in lab_ids(root):
                ensure_in_gradebook(root, lab)
                gradebook.store(root, report, gb)
            elif not quiet:
                print("   " + _one_line(report))
        if not quiet:
            print(f"   {len(specs)} notebook(s) in {time.perf_counter() - start:.1f} s")
            print_table(reports)
    finally:
        closing.close()
        shutil.rmtree(scratch, ignore_errors=True)
    return reports


DECOY_CACHE = Path("autograded") / ".decoy-check.json"


def _decoy_key(root, lab):
    """What decides which decoys a lab's solution fails: its notebooks, the grader, nnscratch."""
    import nnscratch

    h = hashlib.sha256()
    files = [root / "solutions" / lab / f"{lab}.ipynb", root / "labs" / lab / f"{lab}.ipynb"]
    files += [Path(grader.__file__)] + sorted(Path(nnscratch.__file__).parent.glob("*.py"))
    for path in files:
        h.update(path.name.encode() + b"\0" + (path.read_bytes() if path.exists() else b"") + b"\0")
    return f"{lab}:{h.hexdigest()}"


def _decoy_cache(root):
    """{key: [grade ids]} of decoys checked in earlier runs (so regrading one student is quick)."""
    try:
        data = json.loads((root / DECOY_CACHE).read_text())
        return {k: list(v) for k, v in data.items() if isinstance(v, list)}
    except (OSError, ValueError, AttributeError):
        return {}


def _save_decoy_cache(root, cache):
    path = root / DECOY_CACHE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(cache, indent=1))


def _workdir_copy(notebook, dest):
    """A private copy of the submission's folder without its notebook (the kernel's working folder)."""
    dest.mkdir(parents=True, exist_ok=True)
    total = 0
    for item in notebook.parent.iterdir():
        if item == notebook or not item.is_file() or item.is_symlink():
            continue
        total += item.stat().st_size
        if total > 50_000_000:
            break
        shutil.copy2(item, dest / item.name)
    return dest


def _one_line(report):
    got = sum(s for s, _ in report.get("scores", {}).values())
    total = sum(t for _, t in report.get("scores", {}).values())
    text = f"{report['student']:<16} {report['lab']:<36} "
    if report["status"] != "graded":
        return text + f"FAILED: {report['reason']}"
    text += f"{got:g} / {total:g}  ({report['seconds']:.1f} s)"
    if report.get("flags"):
        text += "  FLAGGED: " + "; ".join(report["flags"])
    return text


def print_table(reports):
    if not reports:
        return
    print(f"\n{'student':<16} {'lab':<36} {'points':>9}  cells below full marks / notes")
    for r in sorted(reports, key=lambda r: (r["lab"], r["student"])):
        scores = r.get("scores", {})
        got = sum(s for s, _ in scores.values())
        total = sum(t for _, t in scores.values())
        below = [g for g, (s, t) in scores.items() if s < t]
        note = (
            ("FAILED: " + r["reason"])
            if r["status"] != "graded"
            else ("FLAGGED: " + "; ".join(r["flags"]))
            if r.get("flags")
            else (", ".join(below) or "-")
        )
        print(f"{r['student']:<16} {r['lab']:<36} {f'{got:g} / {total:g}':>9}  {note}")


# --------------------------------------------------------------------------------------------
# Feedback
# --------------------------------------------------------------------------------------------


def render_feedback(args):
    """One feedback HTML file from the feedback notebook the grader made (runs in a worker)."""
    src, dest = args
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors.sanitize import SanitizeHTML

    nb = nbformat.reads(Path(src).read_text(encoding="utf-8"), as_version=4)
    # Student outputs may hold any HTML: only plain text and images survive.
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data")
            if isinstance(data, dict):
                for key in list(data):
                    if key not in ("text/plain", "image/png", "image/jpeg"):
                        data.pop(key)
    exporter = HTMLExporter(template_name="classic")
    exporter.sanitize_html = True
    sanitizer = SanitizeHTML()
    sanitizer.enabled = True
    nb, _ = sanitizer.preprocess(nb, {})
    body, _ = exporter.from_notebook_node(nb)
    body = re.sub(r"(?is)<script\b[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>", "", body)
    Path(dest).parent.mkdir(parents=True, exist_ok=True)
    Path(dest).write_text(body, encoding="utf-8")
    return dest


def feedback(root, labs=None, students=None, jobs=None):
    """feedback/<student>/<lab>/<lab>.html for every graded submission, then a leak scan."""
    from leaks import check_leaks

    root = Path(root)
    wanted = set(resolve_labs(root, labs)) if labs else set(lab_ids(root))
    tasks = []
    for src in sorted(root.glob("autograded/*/*/feedback.ipynb.json")):
        lab, student = src.parent.name, src.parent.parent.name
        if lab not in wanted or (students and student not in students):
            continue
        tasks.append((str(src), str(root / "feedback" / student / lab / f"{lab}.html")))
    graded_labs = {Path(s).parent.name for s, _ in tasks}
    orphans = sorted(
        {p.parent.name for p in root.glob("autograded/*/*/feedback.ipynb.json")} - set(lab_ids(root))
    )
    if orphans:
        print(f"skipping {', '.join(orphans)}: autograded, but not in solutions/ any more", file=sys.stderr)
    if not tasks:
        print("nothing to give feedback on: run `make autograde` first")
        return 0
    print(f"== feedback: {len(tasks)} file(s) -> feedback/<student>/<lab>/<lab>.html")
    jobs = max(1, int(jobs or os.cpu_count() or 1))
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=jobs, mp_context=multiprocessing.get_context("spawn")
    ) as pool:
        list(pool.map(render_feedback, tasks))
    problems = check_leaks(root, sorted(graded_labs), feedback=True, verbose=False)
    if problems:
        for p in problems:
            print(f"LEAK {p}", file=sys.stderr)
        bad = sorted({p.split(":", 1)[0] for p in problems})
        for rel in bad:
            if rel.startswith("feedback"):
                (root / rel).unlink(missing_ok=True)
        print(
            f"FAILED: hidden tests found in feedback; removed {len(bad)} file(s): do not release them.",
            file=sys.stderr,
        )
        return 1
    print("feedback checked: no hidden test or solution line in it (also reversed or base64-encoded)")
    return 0


def escape(text):
    return html.escape(str(text))


def max_points(nb):
    return sum(float(_meta(c).get("points", 0) or 0) for c in nb["cells"] if _meta(c).get("grade"))


def dump(obj):
    return json.dumps(obj, indent=1)
