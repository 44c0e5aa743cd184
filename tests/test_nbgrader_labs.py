"""The autograder's guarantees, proven for every lab in solutions/ (one test class per lab).

Each class works in its own temporary copy of the course (config, tools/, the lab's source), so
the repository is never touched, and pytest-xdist's ``--dist loadscope`` keeps a lab on one worker.

1. labs/<lab>/ is exactly what ``nbgrader generate_assignment`` makes from solutions/<lab>/.
2. No solution line and no hidden-test line reaches labs/ or the feedback (every line checked,
   not only the markers).
3. Autograding (tools/autograde.py, in the sandbox, as `make autograde`): the solution scores full
   points; the blank lab 0 on every test cell; one
   submission with an infinite loop in one task, an exception in another, a deleted test cell
   and an edited test cell gets the original tests back, is stopped by the timeout, and scores
   what running the original tests on its code deserves, keeping the other tasks' points.
4. Every typical mistake of tests/mistakes/labNN.py, graded by the autograder, loses points on its
   own task (the cells listed in ``fails``) and costs no other task any point; the catalogue covers
   every task.
5. ``nbgrader validate`` (through the wrapper that exits non-zero on failure) passes on the solution.
"""

import math
import time

import pytest
from nbgrader_support import (
    COURSE,
    ERROR_CODE,
    LABS,
    LOOP_CODE,
    LOOP_STAND_IN,
    autograde,
    broken_candidates,
    catalogue_path,
    cell_index,
    cell_seconds,
    complete_submission,
    error_names,
    execute,
    grade_id,
    graded_cells,
    inject,
    load_catalogue,
    lost_points,
    make_course,
    meta,
    ops,
    read_nb,
    solution_cells,
    source,
    submit,
)

pytestmark = [
    pytest.mark.nbgrader,
    # nbgrader.api's SQLAlchemy models warn when first used; nothing the course can change
    pytest.mark.filterwarnings("ignore:User-placed attribute"),
]

# Seconds per cell when the broken submission is graded: a little over what the lab's slowest
# cell needs (measured on the solution), at least this much, at most the configured limit.
MIN_LOOP_TIMEOUT = 15
CONFIG_TIMEOUT = 60


def _release_notebook(root, lab):
    return read_nb(root / "labs" / lab / f"{lab}.ipynb")


def _score_table(root, lab):
    return ops.scores(root, lab)


# ---------------------------------------------------------------- fixtures (once per lab class)


@pytest.fixture(scope="class")
def course(request, tmp_path_factory):
    """A temporary course with this lab, released by the same code as `make release`."""
    lab = request.cls.lab
    root = make_course(tmp_path_factory.mktemp(f"{lab}-course"), [lab])
    assert ops.release(root, [lab]) == 0, f"nbgrader generate_assignment failed for {lab}"
    return root


@pytest.fixture(scope="class")
def source_nb(request, course):
    lab = request.cls.lab
    return read_nb(course / "solutions" / lab / f"{lab}.ipynb")


@pytest.fixture(scope="class")
def graded(request, course, source_nb):
    """Autograde three students (solution, blank lab, broken submission) as `make autograde` does."""
    lab, root = request.cls.lab, course
    release = _release_notebook(root, lab)
    points = graded_cells(source_nb)
    submit(root, "solution", lab, complete_submission(release, source_nb))
    submit(root, "blank", lab, release)

    start = time.perf_counter()
    reports_a = autograde(root, lab, ["solution", "blank"])
    seconds_a = time.perf_counter() - start
    for student, report in reports_a.items():
        assert report["status"] == "graded", f"{student} could not be graded: {report['reason']}"
    solved = read_nb(root / "autograded" / "solution" / lab / f"{lab}.ipynb")
    solution_seconds = reports_a["solution"]["seconds"]

    # Choose the tasks to break, and learn from a direct run of the original tests on the
    # broken code what every test cell deserves (the infinite loop stood in by an interrupt).
    lab_dir = root / "solutions" / lab
    last_graded = max(cell_index(source_nb, g) for g in points)
    for loop_task, error_task in broken_candidates(source_nb)[:3]:
        reference = read_nb(root / "solutions" / lab / f"{lab}.ipynb")
        for gid, code_line in ((loop_task, LOOP_STAND_IN), (error_task, ERROR_CODE)):
            cell = reference["cells"][cell_index(reference, gid)]
            cell["source"] = inject(source(cell), code_line)
        ran = execute(reference, lab_dir, timeout=CONFIG_TIMEOUT, stop_after=last_graded)
        deserved = {
            grade_id(c): (0.0 if error_names(c) else float(points[grade_id(c)]))
            for c in ran["cells"]
            if meta(c).get("grade")
        }
        if any(deserved.values()):
            break
    looping = [
        grade_id(c) or f"cell {i}"
        for i, c in enumerate(ran["cells"])
        if "KeyboardInterrupt" in error_names(c)
    ]
    passing = [g for g, s in deserved.items() if s > 0]
    failing = [g for g, s in deserved.items() if s == 0]
    deleted = passing[-1] if passing else failing[-1]
    edited = next(g for g in failing if g != deleted)

    broken = complete_submission(release, source_nb)
    for gid, code_line in ((loop_task, LOOP_CODE), (error_task, ERROR_CODE)):
        cell = broken["cells"][cell_index(broken, gid)]
        cell["source"] = inject(source(source_nb["cells"][cell_index(source_nb, gid)]), code_line)
    broken["cells"][cell_index(broken, edited)]["source"] = "# the student made this test pass\npass"
    del broken["cells"][cell_index(broken, deleted)]
    submit(root, "broken", lab, broken)

    slowest = max([cell_seconds(c) for c in solved["cells"]] + [0.0])
    timeout = int(min(CONFIG_TIMEOUT, max(MIN_LOOP_TIMEOUT, math.ceil(3 * slowest + 5))))
    start = time.perf_counter()
    reports_b = autograde(root, lab, ["broken"], timeout=timeout)
    seconds_b = time.perf_counter() - start
    assert reports_b["broken"]["status"] == "graded", reports_b["broken"]["reason"]

    assert ops.feedback(root, [lab]) == 0, "make feedback failed"
    print(
        f"{lab}: solution+blank autograded in {seconds_a:.1f} s (solution {solution_seconds:.1f} s); "
        f"broken submission in {seconds_b:.1f} s with a {timeout} s timeout "
        f"(loop in {loop_task}, exception in {error_task}, deleted {deleted}, edited {edited})"
    )
    return dict(
        root=root,
        points=points,
        scores=_score_table(root, lab),
        deserved=deserved,
        reports={**reports_a, **reports_b},
        loop_task=loop_task,
        error_task=error_task,
        deleted=deleted,
        edited=edited,
        looping=looping,
        timeout=timeout,
        seconds_broken=seconds_b,
        solution_seconds=solution_seconds,
    )


@pytest.fixture(scope="class")
def mistakes_graded(request, course, source_nb):
    """Every catalogue mistake handed in as its own student and graded in one autograde run."""
    lab, root = request.cls.lab, course
    release = _release_notebook(root, lab)
    students = {}
    for i, m in enumerate(load_catalogue(lab) or []):
        nb = complete_submission(release, source_nb)
        nb["cells"][cell_index(nb, m["cell"])]["source"] = m["source"]
        student = f"mistake{i:03d}"
        submit(root, student, lab, nb)
        students[m["name"]] = student
    reports = autograde(root, lab, sorted(students.values())) if students else {}
    return {name: reports[student] for name, student in students.items()}


class LabChecks:
    lab = None  # set in each generated subclass

    # ---------------------------------------------------------------- 1. no drift

    def test_labs_folder_is_what_nbgrader_generates(self, course):
        committed = COURSE / "labs" / self.lab
        generated = course / "labs" / self.lab
        assert committed.is_dir(), f"labs/{self.lab}/ is missing: run `make release` and commit labs/"
        files = lambda d: sorted(
            str(p.relative_to(d)) for p in d.rglob("*") if p.is_file() and ".ipynb_checkpoints" not in p.parts
        )
        assert files(committed) == files(generated), (
            f"labs/{self.lab}/ holds other files than nbgrader generates: run `make release`"
        )
        for rel in files(generated):
            if (committed / rel).read_bytes() == (generated / rel).read_bytes():
                continue
            if rel.endswith(".ipynb"):
                old, new = read_nb(committed / rel), read_nb(generated / rel)
                diffs = [
                    f"cell {i} ({grade_id(b) or grade_id(a)})"
                    for i, (a, b) in enumerate(zip(old["cells"], new["cells"]))
                    if a != b
                ]
                if len(old["cells"]) != len(new["cells"]):
                    diffs.append(f"{len(old['cells'])} cells committed, {len(new['cells'])} generated")
                if old == new:
                    diffs = ["formatting only"]
                pytest.fail(
                    f"labs/{self.lab}/{rel} differs from what solutions/ generates "
                    f"({'; '.join(diffs[:8]) or 'metadata'}): run `make release` and commit"
                )
            pytest.fail(f"labs/{self.lab}/{rel} differs from what solutions/ generates: run `make release`")

    # ---------------------------------------------------------------- 2. nothing leaks

    def test_release_has_no_solution_or_hidden_test(self, course, source_nb):
        secrets = ops.secret_lines(source_nb, ops.code_stub(course))
        assert secrets["solution"], "found no solution lines to look for: are the solution regions marked?"
        assert secrets["hidden"], "found no hidden-test lines to look for: every lab needs hidden tests"
        leaks = []
        for folder in (course / "labs" / self.lab, COURSE / "labs" / self.lab):
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                for leak in ops.find_leaks(ops.file_text(path), secrets["solution"] | secrets["hidden"]):
                    leaks.append(f"{path}: {leak!r}")
        assert not leaks, "solution or hidden-test code reaches students:\n" + "\n".join(leaks)

    def test_feedback_has_no_hidden_test_but_keeps_scores(self, graded, source_nb):
        root, lab = graded["root"], self.lab
        reports = sorted((root / "feedback").glob(f"*/{lab}/{lab}.html"))
        assert len(reports) == 3, f"expected feedback for 3 students, found {reports}"
        leaks = ops.check_leaks(root, [lab], feedback=True, verbose=False)
        for report in reports:
            student = report.parent.parent.name
            seen = ops.html_text(report.read_text())
            for gid, (score, max_score) in graded["scores"][student].items():
                assert (
                    f"{gid} | {score:g} / {max_score:g}" in seen
                    or f"{gid}\n{score:g} / {max_score:g}" in seen
                    or f"{gid}: " in seen
                    and f"{score:g} of {max_score:g} points" in seen
                ), f"{report.relative_to(root)}: the score of {gid} ({score} / {max_score}) is not shown"
        assert not leaks, "hidden tests reach students through feedback:\n" + "\n".join(leaks)

    # ---------------------------------------------------------------- 3. autograding

    def test_solution_scores_full_points(self, graded):
        got = graded["scores"]["solution"]
        wrong = {g: s for g, (s, m) in got.items() if s != m}
        assert set(got) == set(graded["points"]), "the gradebook's test cells differ from the source's"
        assert not wrong, f"the solution loses points on {wrong} (expected {graded['points']})"

    def test_blank_lab_scores_zero_on_every_test(self, graded):
        got = graded["scores"]["blank"]
        assert set(got) == set(graded["points"])
        nonzero = {g: s for g, (s, _) in got.items() if s != 0}
        assert not nonzero, (
            f"the blank lab scores points on {nonzero}: make these tests call the student's code first"
        )

    def test_broken_submission_scores_what_it_deserves(self, graded):
        g = graded
        got = {gid: s for gid, (s, _) in g["scores"]["broken"].items()}
        assert set(got) == set(g["points"]), (
            f"test cells missing from the grade: {set(g['points']) - set(got)}"
        )
        assert got == pytest.approx(g["deserved"]), (
            f"loop in {g['loop_task']}, exception in {g['error_task']}, deleted {g['deleted']}, "
            f"edited {g['edited']}: got {got}, deserved {g['deserved']}"
        )
        assert got[g["edited"]] == 0, "an edited test cell was not restored"
        assert any(s > 0 for s in got.values()), "no test kept its points next to the broken tasks"
        autograded = read_nb(g["root"] / "autograded" / "broken" / self.lab / f"{self.lab}.ipynb")
        original = read_nb(g["root"] / "solutions" / self.lab / f"{self.lab}.ipynb")
        for gid in (g["deleted"], g["edited"]):
            restored = source(autograded["cells"][cell_index(autograded, gid)])
            assert restored.endswith(source(original["cells"][cell_index(original, gid)])), (
                f"test cell {gid} was not restored to its original source"
            )

    def test_infinite_loop_is_stopped_by_the_timeout(self, graded):
        g = graded
        assert g["looping"], f"the infinite loop in {g['loop_task']} was never run by any cell"
        autograded = read_nb(g["root"] / "autograded" / "broken" / self.lab / f"{self.lab}.ipynb")
        timed_out = [
            grade_id(c) or f"cell {i}"
            for i, c in enumerate(autograded["cells"])
            if "CellTimeoutError" in error_names(c)
        ]
        assert not graded["reports"]["broken"]["flags"], graded["reports"]["broken"]["flags"]
        assert timed_out, "no cell timed out, yet one runs an infinite loop"
        # Each looping cell costs one timeout; the rest is ordinary work (generous margin for load).
        budget = len(g["looping"]) * (g["timeout"] + 10) + 3 * g["solution_seconds"] + 90
        assert g["seconds_broken"] < budget, (
            f"grading the broken submission took {g['seconds_broken']:.0f} s, more than {budget:.0f} s"
        )

    # ---------------------------------------------------------------- 4. mistake catalogue

    def test_mistake_catalogue_covers_every_task(self, source_nb):
        mistakes = load_catalogue(self.lab)
        assert mistakes is not None, (
            f"{catalogue_path(self.lab).relative_to(COURSE)} is missing: every lab needs one"
        )
        tasks = solution_cells(source_nb)
        tests = graded_cells(source_nb)
        problems = []
        for m in mistakes:
            missing = {"name", "cell", "source", "fails"} - set(m)
            if missing:
                problems.append(f"{m.get('name', m)}: missing keys {sorted(missing)}")
                continue
            if m["cell"] not in tasks:
                problems.append(f"{m['name']}: {m['cell']!r} is not a solution cell ({', '.join(tasks)})")
            if not m["fails"] or any(f not in tests for f in m["fails"]):
                problems.append(
                    f"{m['name']}: fails must list graded test cells ({', '.join(tests)}), got {m['fails']}"
                )
        names = [m.get("name") for m in mistakes]
        problems += [f"duplicate mistake name {n!r}" for n in set(names) if names.count(n) > 1]
        uncovered = [t for t in tasks if not any(m.get("cell") == t for m in mistakes)]
        problems += [f"task {t} has no mistake in the catalogue" for t in uncovered]
        assert not problems, "\n".join(problems)

    def test_mistake_is_caught(self, mistakes_graded, source_nb, mistake):
        """The mistake's task loses points in the gradebook; every other task keeps all of its points."""
        report = mistakes_graded[mistake["name"]]
        assert report["status"] == "graded", f"the submission could not be graded: {report['reason']}"
        assert not report["flags"], f"an honest mistake was flagged as tampering: {report['flags']}"
        lost = lost_points(report)
        assert set(lost) & set(mistake["fails"]), (
            f"mistake {mistake['name']!r} in {mistake['cell']} keeps every point of {mistake['fails']}: "
            "the tests miss it"
        )
        others = sorted(set(lost) - set(mistake["fails"]))
        assert not others, (
            f"mistake {mistake['name']!r} in {mistake['cell']} also costs the points of {others}: "
            "one mistake must cost one task (run later tasks' hidden tests with the reference)"
        )

    # ---------------------------------------------------------------- 5. validate

    def test_validate_passes_on_the_solution(self, course, capsys):
        notebook = course / "solutions" / self.lab / f"{self.lab}.ipynb"
        status = ops.validate(course, str(notebook), quiet=True)
        out = capsys.readouterr().out
        assert status == 0, f"make validate fails on the solution of {self.lab}:\n{out}"


def pytest_generate_tests(metafunc):
    if "mistake" in metafunc.fixturenames:
        lab = metafunc.cls.lab
        mistakes = load_catalogue(lab) or []
        metafunc.parametrize("mistake", mistakes, ids=[str(m.get("name", i)) for i, m in enumerate(mistakes)])


# One class per lab: pytest-xdist --dist loadscope sends each class (each lab) to one worker.
for _lab in LABS:
    _name = "Test_" + _lab.replace("-", "_")
    globals()[_name] = type(_name, (LabChecks,), {"lab": _lab, "__doc__": f"nbgrader guarantees for {_lab}"})

if not LABS:

    def test_there_are_labs():
        pytest.skip(f"no labs in {COURSE / 'solutions'} yet")
