"""Build the course website in _build/site/ from the committed notebooks, executing nothing.

    python tools/build_site.py build          stage the sources in _build/site-src/ and run Sphinx (make site)
    python tools/build_site.py build --clean  the same from scratch (no cached pages)
    python tools/build_site.py check-alt      list every lecture figure without alt text; exit 1 if any

The site is Sphinx with myst-nb and sphinx-book-theme (the engine under Jupyter Book 1); its
configuration is site/conf.py. What changes with the notebooks is generated here, so it cannot
drift from them:

- the home page: the sequence of lectures and labs, each with its topic (the notebook's title),
  its opening sentence, the lab's tasks and points (from the nbgrader metadata in labs/) and an
  estimated study time computed from the notebook's length;
- one page per lab: its introduction, its tasks with their points, and the student notebook from
  labs/ to download;
- the lectures themselves, copied with their committed outputs (myst-nb renders them without
  running a kernel). Only their first heading is rewritten, to "Lecture NN: Topic", so that every
  page title reads alike.

A lecture figure's alt text is written in its cell's metadata, where the figure is made:
``"mystnb": {"image": {"alt": "what the figure shows"}}``; myst-nb renders it as the ``<img alt>``.
"""

import argparse
import json
import math
import re
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONF_DIR = ROOT / "site"
STAGE = ROOT / "_build" / "site-src"
OUT = ROOT / "_build" / "site"
DOCTREES = ROOT / "_build" / "site-doctrees"

# Estimated study times are planning figures, not measurements; the home page states these rules.
WORDS_PER_MINUTE = 150  # technical prose with formulas
CODE_LINES_PER_MINUTE = 10  # reading code and its output
MINUTES_PER_LAB_TASK = 20
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml", "image/gif")
# Alt text shorter than this cannot say what a figure shows ("plot", "figure 1").
MIN_ALT_CHARACTERS = 20


def _read(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _number(path):
    """The two-digit number of a lecture ``03-slug.ipynb`` or a lab ``lab03-slug``."""
    match = re.match(r"(?:lab)?(\d\d)-", Path(path).name)
    if not match:
        raise ValueError(
            f"{path}: expected a name like 03-slug.ipynb or lab03-slug, to place it in the sequence"
        )
    return match.group(1)


def _split_title(markdown, kind, number, path):
    """(title, rest) of a notebook's first markdown cell; the title as "<kind> NN: Topic".

    The notebooks' own headings vary ("Lecture 03: softmax ...", "05 Fashion-MNIST: ..."); the
    site shows one form. ``rest`` is the cell without its heading line.
    """
    lines = markdown.splitlines()
    if not lines or not lines[0].startswith("# "):
        raise ValueError(f"{path}: the first cell must start with a '# Title' heading (the page title)")
    topic = lines[0][2:].strip()
    topic = re.sub(rf"^(?:{kind}\s*)?{number}\s*[:.\-]?\s*", "", topic, flags=re.IGNORECASE)
    topic = topic[:1].upper() + topic[1:]
    return f"{kind} {number}: {topic}", topic, "\n".join(lines[1:]).strip()


def _first_sentence(markdown):
    """The first sentence of the first paragraph, for the home page's one-line summaries."""
    paragraph = next((p for p in re.split(r"\n\s*\n", markdown) if p.strip() and not p.startswith("#")), "")
    paragraph = " ".join(paragraph.split())
    match = re.match(r"(.+?[.!?])(\s|$)", paragraph)
    return match.group(1) if match else paragraph


def _minutes(nb, code=True):
    """Minutes to read ``nb``: its text and, with ``code``, its code (a lab's is mostly tests)."""
    words = sum(len(_source(c).split()) for c in nb["cells"] if c["cell_type"] == "markdown")
    lines = sum(len(_source(c).splitlines()) for c in nb["cells"] if c["cell_type"] == "code") if code else 0
    return words / WORDS_PER_MINUTE + lines / CODE_LINES_PER_MINUTE


def _round5(minutes):
    return max(5, 5 * math.ceil(minutes / 5))


def lecture_info(path):
    """Title, topic, summary, study minutes and figure count of a lecture notebook."""
    nb = _read(path)
    number = _number(path)
    title, topic, rest = _split_title(_source(nb["cells"][0]), "Lecture", number, path)
    figures = sum(1 for cell, _ in _image_outputs(nb))
    return {
        "path": Path(path),
        "number": number,
        "title": title,
        "topic": topic,
        "summary": _first_sentence(rest),
        "minutes": _round5(_minutes(nb)),
        "figures": figures,
        "nb": nb,
    }


def lab_info(folder):
    """Title, introduction, tasks (heading, points), points and tests of a student lab in labs/."""
    folder = Path(folder)
    notebooks = sorted(folder.glob("*.ipynb"))
    if len(notebooks) != 1:
        raise ValueError(f"{folder}: expected exactly one notebook, found {len(notebooks)}")
    path = notebooks[0]
    nb = _read(path)
    number = _number(folder)
    title, topic, intro = _split_title(_source(nb["cells"][0]), "Lab", number, path)
    tasks, current, unmatched = [], None, 0
    for cell in nb["cells"]:
        grading = cell.get("metadata", {}).get("nbgrader", {})
        first = (_source(cell).splitlines() or [""])[0]
        if cell["cell_type"] == "markdown" and first.startswith("## "):
            current = (
                {"heading": first[3:].strip(), "points": 0, "ids": set()}
                if first.startswith("## Task")
                else None
            )
            if current:
                tasks.append(current)
        prefix = grading.get("grade_id", "").rsplit("-", 1)[0]
        if grading.get("solution") and current is not None:
            current["ids"].add(prefix)  # "round-solution" names the task's graded cells "round-..."
        if grading.get("grade") and cell["cell_type"] == "code":
            # A graded cell counts for the task whose solution shares its name (hidden tests sit
            # together at the end of a lab), else for the task it stands under.
            owner = next((t for t in tasks if prefix in t["ids"]), current)
            if owner is None:
                unmatched += grading.get("points", 0)
            else:
                owner["points"] += grading.get("points", 0)
    return {
        "path": path,
        "folder": folder,
        "number": number,
        "title": title,
        "topic": topic,
        "intro": intro,
        "summary": _first_sentence(intro),
        "tasks": tasks,
        "points": sum(t["points"] for t in tasks) + unmatched,
        "minutes": _round5(_minutes(nb, code=False) + MINUTES_PER_LAB_TASK * len(tasks)),
        "stated_time": _stated_time(intro),
    }


def _stated_time(markdown):
    """The time a lab's introduction states ("**Time:** about 2 hours."), or None."""
    match = re.search(r"\*\*Time:\*\*\s*(.+?(?:hours?|minutes))", markdown)
    return match.group(1) if match else None


def _image_outputs(nb):
    """(cell index, cell) for every image a code cell's committed outputs hold, one entry per image."""
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        for output in cell.get("outputs", []):
            for mime in IMAGE_TYPES:
                if mime in output.get("data", {}):
                    yield index, cell
                    break


def figure_alt(cell):
    """The alt text a cell's metadata gives its figures (``mystnb.image.alt``), or ''."""
    image = cell.get("metadata", {}).get("mystnb", {}).get("image", {})
    return str(image.get("alt", "")).strip() if isinstance(image, dict) else ""


def figures_without_alt(notebooks):
    """Every figure in ``notebooks`` whose cell gives it no alt text (or one too short to describe it).

    Returns a list of strings "lectures/03-...ipynb, cell 12 (first line of the cell): reason".
    """
    problems = []
    for path in notebooks:
        nb = _read(path)
        seen = set()
        for index, cell in _image_outputs(nb):
            if index in seen:
                continue
            seen.add(index)
            alt = figure_alt(cell)
            where = (
                f"{Path(path).relative_to(ROOT) if Path(path).is_relative_to(ROOT) else path}, cell {index}"
            )
            first = (_source(cell).strip().splitlines() or [""])[0][:60]
            if not alt:
                problems.append(
                    f"{where} ({first}): no alt text; add "
                    '"mystnb": {"image": {"alt": "..."}} to the cell metadata'
                )
            elif len(alt) < MIN_ALT_CHARACTERS:
                problems.append(
                    f"{where} ({first}): alt text {alt!r} is too short to say what the figure shows"
                )
    return problems


def lectures():
    return [lecture_info(p) for p in sorted((ROOT / "lectures").glob("[0-9][0-9]-*.ipynb"))]


def labs():
    return [lab_info(p) for p in sorted((ROOT / "labs").glob("lab[0-9][0-9]-*")) if p.is_dir()]


# --- the generated pages -------------------------------------------------------------------------------


def _cell_text(text):
    """Text safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def home_page(lecture_list, lab_list):
    labs_by_number = {lab["number"]: lab for lab in lab_list}
    rows = []
    for lecture in lecture_list:
        lab = labs_by_number.get(lecture["number"])
        lab_cell = (
            f"[Lab {lab['number']}](labs/{lab['folder'].name}.md): {len(lab['tasks'])} tasks" if lab else ""
        )
        points = f"{lab['points']}" if lab else ""
        lab_time = (lab["stated_time"] or f"about {lab['minutes']} min") if lab else ""
        minutes = f"{lecture['minutes']} min + {lab_time}" if lab else f"{lecture['minutes']} min"
        rows.append(
            f"| {lecture['number']} | [{_cell_text(lecture['topic'])}](lectures/{lecture['path'].name}) "
            f"<br>{_cell_text(lecture['summary'])} | {lab_cell} | {points} | {minutes} |"
        )
    total_points = sum(lab["points"] for lab in lab_list)
    toc = []
    for lecture in lecture_list:
        toc.append(f"lectures/{lecture['path'].stem}")
        if lecture["number"] in labs_by_number:
            toc.append(f"labs/{labs_by_number[lecture['number']]['folder'].name}")
    toc += [
        f"labs/{lab['folder'].name}"
        for lab in lab_list
        if lab["number"] not in {lecture["number"] for lecture in lecture_list}
    ]
    template = (CONF_DIR / "index.md").read_text(encoding="utf-8")
    replacements = {
        "{{ sequence_table }}": "\n".join(
            [
                "| # | lecture: topic | lab | points | study time (lecture + lab) |",
                "|---|---|---|---|---|",
                *rows,
            ]
        ),
        "{{ toctree }}": "\n".join(toc),
        "{{ n_lectures }}": str(len(lecture_list)),
        "{{ n_labs }}": str(len(lab_list)),
        "{{ total_points }}": str(total_points),
        "{{ words_per_minute }}": str(WORDS_PER_MINUTE),
        "{{ code_lines_per_minute }}": str(CODE_LINES_PER_MINUTE),
        "{{ minutes_per_task }}": str(MINUTES_PER_LAB_TASK),
    }
    for key, value in replacements.items():
        template = template.replace(key, value)
    return template


def lab_page(lab, lecture):
    notebook = f"{lab['folder'].name}/{lab['path'].name}"
    tasks = ""
    time_text = lab["stated_time"] or f"about {lab['minutes']} minutes"
    if "| task" not in lab["intro"]:  # the introduction has no table of its tasks: list them
        tasks = "\n".join(
            [
                f"## Tasks ({lab['points']} points)",
                "",
                *(f"{i}. {_cell_text(t['heading'])}" for i, t in enumerate(lab["tasks"], 1)),
                "",
                f"Time: {time_text}.",
                "",
            ]
        )
    read_first = (
        f"Read [{lecture['title']}](../lectures/{lecture['path'].name}) first: this lab builds on it.\n"
        if lecture
        else ""
    )
    return f"""# {lab["title"]}

{lab["intro"]}

## Get the notebook

{{download}}`Download {lab["path"].name} <{notebook}>` (the student version from `labs/`; it has
no outputs and no solutions). If you have the course's repository, the same file is
`labs/{notebook}`: open it with `make jupyter`.

{read_first}
{tasks}
## Check your work

Under each task, run its test cell: a failing test says what it expected and what your code
returned. Before you hand the lab in, check it as the grader will, from the course's folder:

```bash
make validate LAB=lab{lab["number"]}
```

Some tests are hidden and run only when the lab is graded, so make your code right in general,
not only for the visible examples.
"""


def _write_if_changed(path, data):
    """Write ``data`` (str or bytes) unless the file holds it already, so Sphinx rebuilds what changed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = data.encode("utf-8") if isinstance(data, str) else data
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
    return path


def staged_lecture(lecture):
    """The lecture notebook as the site shows it: its first heading as "Lecture NN: Topic"."""
    nb = json.loads(json.dumps(lecture["nb"]))
    first = nb["cells"][0]
    lines = _source(first).splitlines()
    first["source"] = "\n".join([f"# {lecture['title']}", *lines[1:]])
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def stage(stage_dir=STAGE):
    """Write the Sphinx sources into ``stage_dir``; remove files left from an earlier stage."""
    lecture_list, lab_list = lectures(), labs()
    lectures_by_number = {lecture["number"]: lecture for lecture in lecture_list}
    written = {_write_if_changed(stage_dir / "index.md", home_page(lecture_list, lab_list))}
    for lecture in lecture_list:
        written.add(_write_if_changed(stage_dir / "lectures" / lecture["path"].name, staged_lecture(lecture)))
    for lab in lab_list:
        written.add(
            _write_if_changed(
                stage_dir / "labs" / f"{lab['folder'].name}.md",
                lab_page(lab, lectures_by_number.get(lab["number"])),
            )
        )
        written.add(
            _write_if_changed(
                stage_dir / "labs" / lab["folder"].name / lab["path"].name, lab["path"].read_bytes()
            )
        )
    for path in sorted(stage_dir.rglob("*"), reverse=True):
        if path.is_file() and path not in written:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return lecture_list, lab_list


def build(clean=False, quiet=True):
    """Stage and build the site; returns the path of its home page. Raises RuntimeError when Sphinx fails."""
    from sphinx.cmd.build import build_main

    if clean:
        for folder in (STAGE, OUT, DOCTREES):
            shutil.rmtree(folder, ignore_errors=True)
    stage()
    args = [
        "-b",
        "html",
        "-c",
        str(CONF_DIR),
        "-d",
        str(DOCTREES),
        "-W",
        "--keep-going",
        str(STAGE),
        str(OUT),
    ]
    if quiet:
        args.insert(0, "-q")
    status = build_main(args)
    if status:
        raise RuntimeError(
            f"Sphinx failed (exit {status}): the messages above name the page and the problem "
            f"(warnings count as errors, so that a broken page cannot go unnoticed)."
        )
    return OUT / "index.html"


def _size(folder):
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    build_parser = sub.add_parser("build", help="build _build/site/ from the committed notebooks")
    build_parser.add_argument("--clean", action="store_true", help="start from scratch, no cached pages")
    sub.add_parser("check-alt", help="list lecture figures without alt text")
    args = parser.parse_args(argv)

    if args.command == "check-alt":
        problems = figures_without_alt(sorted((ROOT / "lectures").glob("*.ipynb")))
        for problem in problems:
            print(problem)
        print(
            f"{len(problems)} figure cell(s) without usable alt text."
            if problems
            else "Every lecture figure has alt text."
        )
        return 1 if problems else 0

    began, began_cpu = time.perf_counter(), time.process_time()
    try:
        index = build(clean=args.clean)
    except (RuntimeError, ValueError) as error:
        print(f"The website was not built: {error}", file=sys.stderr)
        return 1
    seconds, cpu = time.perf_counter() - began, time.process_time() - began_cpu
    missing = figures_without_alt(sorted((ROOT / "lectures").glob("*.ipynb")))
    print(
        f"Site built in {seconds:.1f} s ({cpu:.1f} s of CPU): {index.relative_to(ROOT)} "
        f"({_size(OUT) / 1e6:.1f} MB). "
        f"Open it in a browser, or serve it: python -m http.server -d {OUT.relative_to(ROOT)}"
    )
    if missing:
        print(
            f"Warning: {len(missing)} lecture figure cell(s) have no alt text "
            f"(python tools/build_site.py check-alt lists them; make test fails on them)."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
