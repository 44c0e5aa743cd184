"""A student's JupyterLab, driven in headless Chromium with Selenium.

The student edition (tools/student_dist.py), as its `make jupyter` leaves it (the notebooks hold
the kernel metadata JupyterLab writes: tools/jupyter_setup.py --match-kernel), is served by this
environment's JupyterLab, set up as `make venv` / the student Makefile set it up
(tools/jupyter_setup.py, role "student"), and:

- a lab opens (JupyterLab's news pop-up switched off) without being marked modified, and Run All
  runs it with the course's kernel (its setup cell imports nnscratch) through every task, past
  failing tests;
- there is no Nbgrader menu (Formgrader's "Generate" overwrote a student's finished lab, at once)
  and no Create Assignment toolbar, but the notebook toolbar has the Validate button, and it
  reports the blank lab's failing tests;
- a failing test's message is visible without scrolling, in a 1280 x 1000 window, once its cell
  is at the top of the notebook (a LabTestFailure shows only its message: nnscratch.grading).

Skipped, saying why, when chromium, chromedriver or selenium are missing (Debian:
`apt-get install chromium chromium-driver`; `.ci/run` installs them in CI).
"""

import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from nbgrader_support import COURSE, cell_index, complete_submission, load_catalogue, read_nb, write_nb


def _tool(name):
    sys.path.insert(0, str(COURSE / "tools"))
    spec = importlib.util.spec_from_file_location(name, COURSE / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


dist = _tool("student_dist")
jupyter_setup = _tool("jupyter_setup")

pytestmark = [pytest.mark.slow]
VENV_BIN = Path(sys.executable).parent
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook on show
TOKEN = "course-test-token"
LAB = next((lab for lab in dist.lab_ids(COURSE) if lab.startswith("lab01")), None)
WINDOW = (1280, 1000)


def _browser_or_skip():
    selenium = pytest.importorskip(
        "selenium", reason="selenium is not installed (pip install -r requirements.txt)"
    )
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.skip(
            "chromium and chromedriver are needed to drive JupyterLab "
            "(Debian: apt-get install chromium chromium-driver)"
        )
    return selenium, chromium, driver


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """JupyterLab serving a copy of the student edition: (base url, edition folder)."""
    _browser_or_skip()
    role = jupyter_setup.current_role(VENV_BIN.parent)
    if role != "student":
        pytest.skip(
            f"this environment's JupyterLab is set up for {role or 'nobody yet'}, not students: "
            "run `make venv-student` (or `make venv`) first"
        )
    root = tmp_path_factory.mktemp("jupyterlab") / "student"
    dist.write_edition(COURSE, root)  # what a student receives
    # ... as the student edition's `make jupyter` leaves it before it starts JupyterLab
    assert "tools/jupyter_setup.py --match-kernel labs lectures" in (root / "Makefile").read_text()
    jupyter_setup.match_kernel([root / "labs", root / "lectures"])
    home = tmp_path_factory.mktemp("jupyter-home")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # Own user-level folders: the test sees what the environment configures, not this user's settings.
    env = dict(
        os.environ,
        HOME=str(home),
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    env.pop("MPLBACKEND", None)
    env.pop("NNSCRATCH_PROGRESS", None)
    command = [
        str(VENV_BIN / "jupyter"),
        "lab",
        "--no-browser",
        f"--port={port}",
        "--ip=127.0.0.1",
        f"--ServerApp.token={TOKEN}",
        f"--ServerApp.root_dir={root}",
    ]
    if hasattr(os, "getuid") and os.getuid() == 0:
        command.append("--allow-root")
    log = open(home / "jupyter.log", "w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=5)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail("JupyterLab did not start:\n" + (home / "jupyter.log").read_text()[-3000:])
                time.sleep(0.5)
        yield base, root
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="module")
def browser(served):
    selenium, chromium, driver_path = _browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    try:
        yield driver
    finally:
        driver.quit()


# ------------------------------------------------------------------------------------ helpers


def wait_for(driver, condition, what, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    driver.save_screenshot(str(Path(os.environ.get("TMPDIR", "/tmp")) / "jupyterlab-test-failure.png"))
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


def kernel_idle(driver):
    states = driver.execute_script(
        "return Array.from(document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) "
        ".jp-Notebook-ExecutionIndicator')).map(e => e.getAttribute('data-status'))"
    )
    return bool(states) and all(s == "idle" for s in states)


def open_notebook(driver, base, rel):
    driver.get(f"{base}/lab/tree/{rel}?token={TOKEN}")
    wait_for(driver, lambda: kernel_idle(driver), f"{rel} to open with an idle kernel")
    time.sleep(1)  # let JupyterLab apply what the kernel reported (this is when a lab turned "modified")


def current_tab(driver):
    from selenium.webdriver.common.by import By

    tabs = [
        t for t in driver.find_elements(By.CSS_SELECTOR, ".lm-TabBar-tab.jp-mod-current") if t.text.strip()
    ]
    return tabs[0] if tabs else None


def click_menu(driver, menu, item):
    from selenium.webdriver.common.by import By

    next(e for e in driver.find_elements(By.CSS_SELECTOR, ".lm-MenuBar-itemLabel") if e.text == menu).click()
    entry = wait_for(
        driver,
        lambda: next(
            (e for e in driver.find_elements(By.CSS_SELECTOR, ".lm-Menu-itemLabel") if e.text == item), None
        ),
        f"menu item {menu} > {item}",
        timeout=10,
    )
    entry.click()


def outputs_text(driver):
    return driver.execute_script(
        f"return Array.from(document.querySelectorAll('{PANEL} .jp-Notebook .jp-Cell'))"
        ".map(c => { const o = c.querySelector('.jp-OutputArea'); return o ? o.textContent : ''; })"
    )


# -------------------------------------------------------------------------------------- tests


def test_opening_a_lab_does_not_mark_it_modified(served, browser):
    base, _ = served
    rel = f"labs/{LAB}/{LAB}.ipynb"
    open_notebook(browser, base, rel)
    time.sleep(3)
    tab = current_tab(browser)
    assert tab is not None and tab.text.strip() == f"{LAB}.ipynb"
    assert "jp-mod-dirty" not in tab.get_attribute("class"), f"{rel} is marked modified as soon as it opens"


def test_no_news_pop_up(served):
    base, _ = served
    url = f"{base}/lab/api/settings/@jupyterlab/apputils-extension:notification?token={TOKEN}"
    reply = json.loads(urllib.request.urlopen(url, timeout=10).read())
    # overrides.json of the environment changes the defaults JupyterLab serves with the schema
    defaults = {name: spec.get("default") for name, spec in reply["schema"]["properties"].items()}
    assert defaults["fetchNews"] == "false" and defaults["checkForUpdates"] is False, defaults
    assert "fetchNews" not in reply["settings"]  # and no user setting of this test's own home turns it on


def test_a_lab_runs_with_the_course_kernel_past_failing_tests(served, browser):
    base, root = served
    rel = f"labs/{LAB}/{LAB}.ipynb"
    open_notebook(browser, base, rel)
    click_menu(browser, "Run", "Run All Cells")
    source = read_nb(root / rel)
    n_code = sum(c["cell_type"] == "code" for c in source["cells"])
    wait_for(
        browser,
        lambda: (
            kernel_idle(browser)
            and browser.execute_script(
                "return document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell "
                ".jp-InputArea-prompt').length"
            )
            >= n_code
            and not [
                p
                for p in browser.execute_script(
                    f"return Array.from(document.querySelectorAll('{PANEL} .jp-CodeCell "
                    ".jp-InputArea-prompt')).map(p => p.textContent)"
                )
                if "*" in p or not p.strip("[]: \u00a0")
            ]
        ),
        "Run All to finish",
    )
    texts = outputs_text(browser)
    setup = next(i for i, c in enumerate(source["cells"]) if c["cell_type"] == "code")
    assert "Error" not in texts[setup], f"the setup cell failed in the course's kernel:\n{texts[setup]}"
    # Run All went past the first failing test: every visible test ran (the blank lab fails them all).
    visible = [
        i
        for i, c in enumerate(source["cells"])
        if c.get("metadata", {}).get("nbgrader", {}).get("grade")
        and "BEGIN HIDDEN" not in "".join(c["source"])
        and any(
            line.strip() and not line.strip().startswith("#") for line in "".join(c["source"]).split("\n")
        )
    ]
    assert len(visible) >= 2
    assert all("NotImplementedError" in texts[i] for i in visible), (
        "Run All stopped at the first failing test (tag visible test cells raises-exception)"
    )


def test_students_get_the_validate_button_and_no_nbgrader_menu(served, browser):
    base, _ = served
    open_notebook(browser, base, f"labs/{LAB}/{LAB}.ipynb")
    menus = [e.text for e in browser.find_elements("css selector", ".lm-MenuBar-itemLabel")]
    assert "File" in menus and "Run" in menus, menus
    assert "Nbgrader" not in menus, "the Nbgrader menu (Formgrader, Course List, Assignment List) is there"
    toolbar = " ".join(
        e.text for e in browser.find_elements("css selector", ".jp-NotebookPanel-toolbar .jp-Toolbar-item")
    )
    assert "Validate" in toolbar, toolbar
    # Create Assignment would add its own cell toolbar; Formgrader its page and commands.
    assert not browser.find_elements("css selector", ".nbgrader-CellWidget, .nbgrader-CellHeader")
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(f"{base}/formgrader?token={TOKEN}", timeout=10)
    assert error.value.code == 404


def test_a_failing_test_message_is_visible_without_scrolling(served, browser):
    base, root = served
    lab_nb = read_nb(root / "labs" / LAB / f"{LAB}.ipynb")
    done = complete_submission(lab_nb, read_nb(COURSE / "solutions" / LAB / f"{LAB}.ipynb"))
    mistake = load_catalogue(LAB)[0]
    done["cells"][cell_index(done, mistake["cell"])]["source"] = mistake["source"]
    write_nb(done, root / "mistake.ipynb")
    test = cell_index(done, next(g for g in mistake["fails"] if not g.endswith("-hidden")))

    open_notebook(browser, base, "mistake.ipynb")
    click_menu(browser, "Run", "Run All Cells")
    wait_for(
        browser,
        lambda: kernel_idle(browser) and "LabTestFailure" in (outputs_text(browser)[test] or ""),
        "the visible test to fail",
    )
    where = browser.execute_script(
        """
        const cells = document.querySelectorAll(arguments[2] + ' .jp-Notebook .jp-Cell');
        const cell = cells[arguments[0]];
        cell.scrollIntoView({block: 'start'});
        const view = cell.closest('.jp-WindowedPanel-outer') || document.documentElement;
        const walker = document.createTreeWalker(cell.querySelector('.jp-OutputArea'), NodeFilter.SHOW_TEXT);
        let node, found = null;
        while ((node = walker.nextNode())) {  // the last one: the exception line under the traceback
          if (node.textContent.indexOf(arguments[1]) >= 0) found = node;
        }
        if (found) {
          const k = found.textContent.lastIndexOf(arguments[1]);
          node = found;
          const range = document.createRange();
          range.setStart(node, k);
          range.setEnd(node, k + arguments[1].length);
          const r = range.getBoundingClientRect();
          return {top: r.top, bottom: r.bottom, viewTop: view.getBoundingClientRect().top,
                  viewBottom: Math.min(view.getBoundingClientRect().bottom, window.innerHeight)};
        }
        return null;
    """,
        test,
        "LabTestFailure",
        PANEL,
    )
    assert where, "no 'LabTestFailure: <message>' line under the failing test"
    assert where["viewTop"] <= where["top"] and where["bottom"] <= where["viewBottom"], (
        f"the failing test's message starts {where['top']:.0f} px down, below the visible notebook "
        f"(its bottom is at {where['viewBottom']:.0f} px in a {WINDOW[0]} x {WINDOW[1]} window)"
    )


def test_the_validate_button_checks_the_lab(served, browser):
    """The student's Validate button works in the student edition (its nbgrader_config.py, the
    validate_assignment server extension) and reports the blank lab's failing tests."""
    base, _ = served
    open_notebook(browser, base, f"labs/{LAB}/{LAB}.ipynb")
    button = next(
        e
        for e in browser.find_elements("css selector", ".jp-NotebookPanel-toolbar .jp-Toolbar-item")
        if e.text.strip() == "Validate"
    )
    button.click()
    dialog = wait_for(
        browser,
        lambda: next(
            (
                d.text
                for d in browser.find_elements("css selector", ".jp-Dialog")
                if "NotImplementedError" in d.text
            ),
            None,
        ),
        "the Validate dialog to report the failing tests",
        timeout=180,
    )
    assert "fail" in dialog.lower(), dialog[:2000]
