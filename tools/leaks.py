"""Secrets of a lab (solution and hidden-test lines) and the scan for them in any file.

Used by ``make check-leaks``, by ``make feedback`` after writing feedback, by the student edition's
check and by the tests.
"""

import html
import json
import re
from pathlib import Path

from labs import (
    _ANSI,
    BEGIN_HIDDEN,
    BEGIN_SOLUTION,
    END_HIDDEN,
    END_SOLUTION,
    _meta,
    _source,
    lab_ids,
    norm,
    split_regions,
)

MIN_SECRET_LENGTH = 8  # shorter lines ("return", ")") are too common to prove a leak
# One argument of a call that the formatter put on a line of its own (`bce_grad,`, `tol=0.0,`,
# `batch_size=50,`) proves nothing either: such lines occur in any code that calls the function.
_GENERIC = re.compile(r"[\w.\[\]'\"*]+(\s*=\s*[\w.+\-'\"()]+)?\s*[,)\]]*\s*")
REDACTED_LINE = "[hidden test line]"
# IPython traceback source lines look like "----> 12 code" or "     11 code".
_TRACEBACK_SOURCE = re.compile(r"^(\s*(?:-*>\s*)?\d+\s)(.*)$")


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
        return {
            n
            for n in map(norm, lines)
            if len(n) >= MIN_SECRET_LENGTH and n not in visible_text and not _GENERIC.fullmatch(n)
        }

    solution_text = "\n".join(norm(line) for line in solution)
    hidden_secrets = keep(hidden)
    return {
        "solution": keep(solution),
        "hidden": hidden_secrets,
        "hidden_feedback": {s for s in hidden_secrets if s not in solution_text},
    }


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
    """The stub text nbgrader puts in place of solutions (read from nbgrader_config.py, without eval)."""
    import ast

    text = (Path(root) / "nbgrader_config.py").read_text()
    match = re.search(r"code_stub\s*=\s*(\{.*?\})", text, re.S)
    stub = "# YOUR CODE HERE\nraise NotImplementedError()"
    if match:
        try:
            stub = "\n".join(ast.literal_eval(match.group(1)).values())  # a literal dict of strings
        except (ValueError, SyntaxError, TypeError):
            pass
    return stub + "\nYOUR ANSWER HERE"


_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")


def decoded_variants(text):
    """``text`` plus what a leak could hide behind: the text reversed, and every base64 run decoded."""
    import base64
    import binascii

    parts = [text, text[::-1]]
    for run in _BASE64_RUN.findall(text):
        run = run.rstrip("=")
        for skip in range(4):
            chunk = run[skip:]
            chunk = chunk[: len(chunk) - len(chunk) % 4]
            if len(chunk) < 12:
                continue
            for decode in (base64.b64decode, base64.urlsafe_b64decode):
                try:
                    parts.append(decode(chunk).decode("utf-8", errors="ignore"))
                except (binascii.Error, ValueError):
                    pass
    return "\n".join(parts)


def _text_of(path):
    """Every string of a notebook file, normalised line by line ("" when it cannot be read)."""
    try:
        return normalised_text(notebook_strings(json.loads(Path(path).read_text())))
    except (OSError, ValueError):
        return ""


def check_leaks(root, labs=None, feedback=True, verbose=True):
    """Scan labs/<lab>/ and feedback/*/<lab>/ for secrets; return a list of problems.

    labs/<lab>/ is scanned for its own lab's solution and hidden-test lines. Each feedback file is
    scanned for the hidden-test and solution lines of EVERY lab, as written, reversed or
    base64-encoded, except the lines visible in its own lab's student version and the lines of the
    student's own submission (a student may well write a line of the solution).
    """
    root = Path(root)
    problems = []
    stub = code_stub(root)
    all_labs = lab_ids(root)
    everything = {}
    for lab in all_labs:
        source = json.loads((root / "solutions" / lab / f"{lab}.ipynb").read_text())
        everything[lab] = secret_lines(source, stub)
    every_secret = (
        set().union(*(s["solution"] | s["hidden"] for s in everything.values())) if everything else set()
    )
    for lab in labs or all_labs:
        secrets = everything[lab]
        targets = [p for p in sorted((root / "labs" / lab).rglob("*")) if p.is_file()]
        for path in targets:
            for leak in find_leaks(file_text(path), secrets["solution"] | secrets["hidden"]):
                problems.append(f"{path.relative_to(root)}: contains {leak!r}")
        scanned = 0
        if feedback:
            release = root / "labs" / lab / f"{lab}.ipynb"
            visible = _text_of(release)
            for path in sorted((root / "feedback").glob(f"*/{lab}/**/*")):
                if not path.is_file():
                    continue
                scanned += 1
                student = path.relative_to(root / "feedback").parts[0]
                own = _text_of(root / "submitted" / student / lab / f"{lab}.ipynb")
                # A secret line that is part of a line the student wrote, or of this lab's
                # student version (generic lines such as `for _ in range(epochs):`), proves nothing.
                lines = {s for s in every_secret if s not in visible and s not in own}
                # nbgrader's markers are no secret here: a student may type them, and nbgrader's
                # own example notebooks (in .venv) hold them.
                for leak in find_leaks(decoded_variants(file_text(path)), lines, markers=()):
                    problems.append(f"{path.relative_to(root)}: contains {leak!r}")
        if verbose:
            print(
                f"{lab}: scanned {len(targets)} labs/ file(s) for {len(secrets['solution'])} solution and "
                f"{len(secrets['hidden'])} hidden-test lines; {scanned} feedback file(s) for the "
                f"{len(every_secret)} secret lines of all labs"
            )
    return problems


def redact(text, exact, long):
    """Replace each line of ``text`` that quotes a hidden test line (tracebacks show source)."""
    out = []
    for line in text.split("\n"):
        plain = _ANSI.sub("", line)
        match = _TRACEBACK_SOURCE.match(plain)
        code = norm(match.group(2)) if match else norm(plain)
        flat = norm(plain)
        if (
            (code and code in exact)
            or any(h in flat for h in long)
            or BEGIN_HIDDEN in flat
            or END_HIDDEN in flat
        ):
            out.append((match.group(1) if match else "") + REDACTED_LINE)
        else:
            out.append(line)
    return "\n".join(out)
