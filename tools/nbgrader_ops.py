"""The course's nbgrader operations, with the guarantees nbgrader alone does not give.

Run from the course root (the Makefile does this; nbgrader reads ``nbgrader_config.py`` there)::

    python tools/nbgrader_ops.py release [--lab lab03 ...]        solutions/ -> labs/, one lab after another
    python tools/nbgrader_ops.py autograde [--lab L] [--student S] [--force] [--timeout SECONDS]
    python tools/nbgrader_ops.py feedback [--lab L] [--student S]  HTML feedback, hidden tests removed
    python tools/nbgrader_ops.py grades [--output grades.csv]      one CSV row per student and lab
    python tools/nbgrader_ops.py validate lab03 | path/to/lab.ipynb
    python tools/nbgrader_ops.py check-leaks                       scan labs/ and feedback/

Why each exists:

- ``validate``: ``nbgrader validate`` exits 0 even when tests fail (nbgrader issue #1908). This
  runs it, reads its report, names each failing test cell with its points and error, and exits
  non-zero when anything failed or a locked cell was changed.
- ``feedback``: nbgrader puts the hidden tests back into graded notebooks and shows them in the
  feedback (issues #917, #1363). ``HideHiddenTests`` below, registered in ``nbgrader_config.py``
  for ``GenerateFeedback``, removes their code and every traceback line that quotes it, and keeps
  the scores; after generating, the HTML is scanned once more and any leak fails the command.
- ``autograde`` registers a lab in the gradebook when this checkout's ``gradebook.db`` does not
  know it yet (it is not committed), without touching ``labs/``.

The module is also imported by ``nbgrader_config.py`` (for ``HideHiddenTests``) and by the tests.
"""

import argparse
import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# nbgrader finds its regions by these substrings (ClearSolutions / ClearHiddenTests defaults).
BEGIN_SOLUTION, END_SOLUTION = "BEGIN SOLUTION", "END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
MIN_SECRET_LENGTH = 8  # shorter lines ("return", ")") are too common to prove a leak
HIDDEN_PLACEHOLDER = "# [hidden tests: they ran when your lab was graded; their code is not shown]"
REDACTED_LINE = "[hidden test line]"

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# IPython traceback source lines look like "----> 12 code" or "     11 code".
_TRACEBACK_SOURCE = re.compile(r"^(\s*(?:-*>\s*)?\d+\s)(.*)$")
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
        raise SystemExit(f"no nbgrader_config.py in {root}: run this from the course root (where the Makefile is)")
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
    matches = [m for m in matches if m.parent.name == m.stem and short_name(m.stem) in (lab, short_name(lab))
               and ".ipynb_checkpoints" not in m.parts]
    if len(matches) != 1:
        found = ", ".join(str(m.relative_to(root)) for m in matches) or "none"
        raise SystemExit(f"LAB={lab}: expected one notebook labs/{lab}-*/{lab}-*.ipynb, found {found}. "
                         f"Use NB=path/to/notebook.ipynb to name it, or `make release` to create labs/.")
    return matches[0]


# --------------------------------------------------------------------------------------------
# Regions, secrets and leaks
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


def secret_lines(source_nb, stub_text=""):
    """The lines of a source notebook that must never reach a student.

    Returns ``{"solution": set, "hidden": set, "hidden_feedback": set}`` of normalised lines at
    least MIN_SECRET_LENGTH long that do not also occur in the visible parts of the notebook (in any
    cell, outside every solution region and hidden-test block) or in the stub: those may
    legitimately appear in labs/. A solution cell without markers is secret as a whole (nbgrader
    replaces all of it). "hidden_feedback" leaves out hidden lines that also occur in the
    solution, because a student's own (correct) code is rightly shown in their feedback.
    """
    visible, solution, hidden = [], [], []
    for cell in source_nb["cells"]:
        src = _source(cell)
        meta = _meta(cell)
        if meta.get("solution") and BEGIN_SOLUTION not in src:
            solution += src.split("\n")
            continue
        outside, inside = split_regions(src, BEGIN_SOLUTION, END_SOLUTION)
        solution += inside
        outside, inside = split_regions("\n".join(outside), BEGIN_HIDDEN, END_HIDDEN)
        hidden += inside
        visible += outside
    visible_text = "\n".join(norm(line) for line in visible + stub_text.split("\n"))

    def keep(lines):
        return {n for n in map(norm, lines) if len(n) >= MIN_SECRET_LENGTH and n not in visible_text}

    solution_text = "\n".join(norm(line) for line in solution)
    hidden_secrets = keep(hidden)
    return {"solution": keep(solution), "hidden": hidden_secrets,
            "hidden_feedback": {s for s in hidden_secrets if s not in solution_text}}


def notebook_strings(nb):
    """Every string in a notebook's JSON (sources, outputs, metadata), joined by newlines."""
    out = []

    def walk(node):
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, list):
            if node and all(isinstance(x, str) for x in node):
                out.append("".join(node))  # multi-line sources and outputs are lists of lines
            else:
                for x in node:
                    walk(x)
        elif isinstance(node, dict):
            for k, v in node.items():
                out.append(str(k))
                walk(v)

    walk(nb)
    return "\n".join(out)


def html_text(markup):
    """The text a reader sees in an HTML page (tags removed, entities decoded, styles dropped)."""
    markup = re.sub(r"(?is)<style\b.*?</style>", "", markup)
    return html.unescape(re.sub(r"(?s)<[^>]+>", "", markup))


def normalised_text(text):
    return "\n".join(norm(_ANSI.sub("", line)) for line in text.split("\n"))


def find_leaks(text, secrets, markers=(BEGIN_SOLUTION, END_SOLUTION, BEGIN_HIDDEN, END_HIDDEN)):
    """Secrets (normalised lines) and nbgrader markers that occur in ``text``, sorted."""
    flat = normalised_text(text)
    found = {s for s in secrets if s in flat}
    found |= {m for m in markers if m in text}
    return sorted(found)


def file_text(path):
    """The readable text of a labs/ or feedback/ file: notebook strings, HTML text, or raw text."""
    path = Path(path)
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".ipynb":
        return notebook_strings(json.loads(raw))
    if path.suffix in (".html", ".htm"):
        return raw + "\n" + html_text(raw)
    return raw


def code_stub(root):
    """The stub text nbgrader puts in place of solutions (read from nbgrader_config.py)."""
    text = (Path(root) / "nbgrader_config.py").read_text()
    match = re.search(r"code_stub\s*=\s*(\{.*?\})", text, re.S)
    stub = "# YOUR CODE HERE\nraise NotImplementedError()"
    if match:
        try:
            stub = "\n".join(eval(match.group(1), {}).values())  # a literal dict of strings
        except Exception:
            pass
    return stub + "\nYOUR ANSWER HERE"


def check_leaks(root, labs=None, feedback=True, verbose=True):
    """Scan labs/<lab>/ and feedback/*/<lab>/ for the lab's secrets; return a list of problems."""
    root = Path(root)
    problems = []
    stub = code_stub(root)
    for lab in labs or lab_ids(root):
        source = json.loads((root / "solutions" / lab / f"{lab}.ipynb").read_text())
        secrets = secret_lines(source, stub)
        targets = [(p, secrets["solution"] | secrets["hidden"]) for p in sorted((root / "labs" / lab).rglob("*")) if p.is_file()]
        if feedback:
            # A student's own code may equal the solution, so feedback is checked for hidden tests only.
            targets += [(p, secrets["hidden_feedback"]) for p in sorted((root / "feedback").glob(f"*/{lab}/**/*")) if p.is_file()]
        for path, lines in targets:
            for leak in find_leaks(file_text(path), lines):
                problems.append(f"{path.relative_to(root)}: contains {leak!r}")
        if verbose:
            print(f"{lab}: scanned {len(targets)} file(s) for {len(secrets['solution'])} solution and "
                  f"{len(secrets['hidden'])} hidden-test lines")
    return problems


# --------------------------------------------------------------------------------------------
# Feedback without hidden tests
# --------------------------------------------------------------------------------------------

def redact(text, exact, long):
    """Replace each line of ``text`` that quotes a hidden test line (tracebacks show source)."""
    out = []
    for line in text.split("\n"):
        plain = _ANSI.sub("", line)
        match = _TRACEBACK_SOURCE.match(plain)
        code = norm(match.group(2)) if match else norm(plain)
        flat = norm(plain)
        if (code and code in exact) or any(h in flat for h in long) or BEGIN_HIDDEN in flat or END_HIDDEN in flat:
            out.append((match.group(1) if match else "") + REDACTED_LINE)
        else:
            out.append(line)
    return "\n".join(out)


def _hide_hidden_tests_class():
    # Built on first use: importing nbconvert takes seconds, and `make validate` does not need it.
    from nbconvert.preprocessors import Preprocessor
    from traitlets import Bool, Unicode

    class HideHiddenTests(Preprocessor):
        """Remove hidden tests from graded notebooks before feedback is rendered.

        The code between the hidden-test markers is replaced by one comment line, and every line
        of an error output (traceback) that quotes a hidden test line is replaced by
        ``[hidden test line]``. Scores, pass/fail and the visible tests are untouched. Registered
        for ``GenerateFeedback`` in nbgrader_config.py, after ``GetGrades``.
        """

        enabled = Bool(True).tag(config=True)
        placeholder = Unicode(HIDDEN_PLACEHOLDER, help="Comment shown where hidden tests were").tag(config=True)

        def preprocess(self, nb, resources):
            exact, visible = set(), set()
            for cell in nb.cells:
                outside, inside = split_regions(cell.source, BEGIN_HIDDEN, END_HIDDEN)
                exact |= {norm(line) for line in inside if norm(line)}
                visible |= {norm(line) for line in outside}
            exact -= visible  # a line also shown in the visible part is no secret
            long = {line for line in exact if len(line) >= MIN_SECRET_LENGTH}
            for cell in nb.cells:
                if BEGIN_HIDDEN in cell.source:
                    cell.source = self._strip(cell.source)
                if cell.cell_type == "code":
                    for output in cell.get("outputs", []):
                        if output.get("output_type") == "error":
                            output["traceback"] = [redact(entry, exact, long) for entry in output.get("traceback", [])]
                            output["evalue"] = redact(output.get("evalue", ""), exact, long)
                        elif output.get("output_type") == "stream":
                            output["text"] = redact(output.get("text", ""), exact, long)
            return nb, resources

        def _strip(self, source):
            lines, hiding = [], False
            for line in source.split("\n"):
                if BEGIN_HIDDEN in line:
                    hiding = True
                    lines.append(line[: len(line) - len(line.lstrip())] + self.placeholder)
                elif END_HIDDEN in line:
                    hiding = False
                elif not hiding:
                    lines.append(line)
            return "\n".join(lines)

    HideHiddenTests.__qualname__ = "HideHiddenTests"
    return HideHiddenTests


def __getattr__(name):  # PEP 562: `from nbgrader_ops import HideHiddenTests` builds the class once
    if name == "HideHiddenTests":
        globals()[name] = _hide_hidden_tests_class()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    proc = subprocess.Popen(nbgrader_command(*args), cwd=root, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=full_env)
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
        code, out = run_nbgrader(root, "generate_assignment", lab, "--force", "--log-level=WARN",
                                 f"--CourseDirectory.release_directory={scratch}", capture=True)
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


def autograde(root, labs=None, students=None, force=False, timeout=None):
    root = Path(root)
    submissions = submitted_labs(root)
    if labs:
        labs = resolve_labs(root, labs)
        submissions = {lab: s for lab, s in submissions.items() if lab in labs}
    if students:
        submissions = {lab: [s for s in who if s in students] for lab, who in submissions.items()}
        submissions = {lab: who for lab, who in submissions.items() if who}
    if not submissions:
        print("nothing to autograde: expected submitted/<student>/<lab>/<lab>.ipynb, e.g. "
              "submitted/ada/lab03-softmax-cross-entropy/lab03-softmax-cross-entropy.ipynb")
        return 0
    unknown = sorted(set(submissions) - set(lab_ids(root)))
    if unknown:
        print(f"FAILED: submissions for labs not in solutions/: {', '.join(unknown)}", file=sys.stderr)
        return 1
    status = 0
    for lab, who in submissions.items():
        ensure_in_gradebook(root, lab)
        common = ["--log-level=WARN"] + (["--force"] if force else []) + \
            ([f"--Execute.timeout={int(timeout)}"] if timeout else [])
        # One call grades all of a lab's students (nbgrader's start-up is paid once); with
        # STUDENT=... one call per named student, since nbgrader takes a single --student.
        calls = [[f"--student={s}"] for s in who] if students else [[]]
        print(f"== autograde {lab}: {len(who)} submission(s)" + (" (regrading)" if force else ""))
        start = time.perf_counter()
        for extra in calls:
            code, _ = run_nbgrader(root, "autograde", lab, *extra, *common)
            status = status or code
        print(f"   {lab}: {time.perf_counter() - start:.1f} s")
    print_scores(root, list(submissions))
    return status


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
        print(f"\n{'lab':<{widths[0]}}  {'student':<{widths[1]}}  {'points':>{widths[2]}}  cells below full marks")
        for r in rows:
            print(f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]}")


def feedback(root, labs=None, students=None):
    """generate_feedback for every autograded lab (hidden tests removed), then scan for leaks."""
    root = Path(root)
    graded = sorted({p.parent.name for p in root.glob("autograded/*/*/*.ipynb") if p.stem == p.parent.name})
    if labs:
        wanted = resolve_labs(root, labs)
        graded = [lab for lab in graded if lab in wanted]
    sources = set(lab_ids(root))
    orphans = [lab for lab in graded if lab not in sources]
    if orphans:  # the leak scan needs the source of every lab it gives feedback on
        print(f"skipping {', '.join(orphans)}: autograded, but not in solutions/ any more", file=sys.stderr)
        graded = [lab for lab in graded if lab in sources]
    if not graded:
        print("nothing to give feedback on: run `make autograde` first")
        return 0
    failed = 0
    for lab in graded:
        print(f"== feedback {lab} -> feedback/<student>/{lab}/{lab}.html")
        for extra in ([[f"--student={s}"] for s in students] if students else [[]]):
            code, _ = run_nbgrader(root, "generate_feedback", lab, *extra, "--force", "--log-level=WARN")
            failed = failed or code
        if failed:
            break
    # Scan even after a failure: the feedback written before it must not leak either.
    problems = check_leaks(root, graded, feedback=True, verbose=False)
    if problems:
        for p in problems:
            print(f"LEAK {p}", file=sys.stderr)
        bad = sorted({p.split(":", 1)[0] for p in problems})
        for rel in bad:
            if rel.startswith("feedback"):
                (root / rel).unlink(missing_ok=True)
        print(f"FAILED: hidden tests found in feedback; removed {len(bad)} file(s): do not release them. "
              "Is HideHiddenTests registered in nbgrader_config.py?", file=sys.stderr)
        return 1
    if failed:
        print(f"FAILED: nbgrader generate_feedback exited with {failed}", file=sys.stderr)
        return failed
    print("feedback checked: no hidden test code in it")
    return 0


def export_grades(root, output="grades.csv"):
    """One CSV row per student and lab (missing submissions score 0), properly quoted."""
    MissingEntry = _api().MissingEntry
    root = Path(root)
    if not (root / "gradebook.db").exists():
        print("no gradebook.db yet: run `make autograde` first", file=sys.stderr)
        return 1
    fields = ["student_id", "last_name", "first_name", "email", "lab", "score", "max_score",
              "late_penalty", "needs_manual_grade", "submitted_at"]
    rows = []
    with _gradebook(root) as gb:
        for assignment in sorted(gb.assignments, key=lambda a: a.name):
            for student in sorted(gb.students, key=lambda s: s.id):
                row = {"student_id": student.id, "last_name": student.last_name or "",
                       "first_name": student.first_name or "", "email": student.email or "",
                       "lab": assignment.name, "max_score": assignment.max_score}
                try:
                    sub = gb.find_submission(assignment.name, student.id)
                    row.update(score=sub.score, late_penalty=sub.late_submission_penalty or 0,
                               needs_manual_grade=sub.needs_manual_grade, submitted_at=sub.timestamp or "")
                except MissingEntry:
                    row.update(score=0, late_penalty=0, needs_manual_grade=False, submitted_at="")
                rows.append(row)
    with open(root / output, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {output}: {len(rows)} row(s) ({len({r['student_id'] for r in rows})} student(s), "
          f"{len({r['lab'] for r in rows})} lab(s))")
    return 0


# --------------------------------------------------------------------------------------------
# validate, with an exit status that means something
# --------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("release", help="generate labs/ from solutions/")
    p.add_argument("--lab", action="append", default=[])
    p = sub.add_parser("autograde", help="autograde everything in submitted/")
    p.add_argument("--lab", action="append", default=[])
    p.add_argument("--student", action="append", default=[])
    p.add_argument("--force", action="store_true", help="regrade submissions graded before")
    p.add_argument("--timeout", type=int, help="seconds per cell (default: nbgrader_config.py)")
    p = sub.add_parser("feedback", help="HTML feedback without hidden tests")
    p.add_argument("--lab", action="append", default=[])
    p.add_argument("--student", action="append", default=[])
    p = sub.add_parser("grades", help="export grades to CSV")
    p.add_argument("--output", default="grades.csv")
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
        return autograde(root, args.lab, args.student, args.force, args.timeout)
    if args.command == "feedback":
        return feedback(root, args.lab, args.student)
    if args.command == "grades":
        return export_grades(root, args.output)
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
