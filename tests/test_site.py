"""The course website (_build/site/, built by tools/build_site.py): accessible, offline, working in a browser.

Without a browser:
- every lecture figure has alt text in its cell's metadata, and myst-nb puts exactly that text
  into the page's <img alt>;
- the built pages load nothing from outside the site, and each lab page offers the very notebook
  that is in labs/.

In a real browser (Debian's chromium and chromedriver, headless, marked ``browser``), every page,
opened both from file:// and from ``python -m http.server``:
- loads with no console error and no failed or external request;
- shows every formula typeset (no $$, \\frac or \\sum left as text);
- shows every image (naturalWidth > 0) with a non-empty alt;
- links only to pages and anchors that exist;
- passes axe-core (from the axe-core-python wheel) with no serious or critical violation;
and searching "softmax" finds lecture 03. Full-page screenshots of the home page, the lectures and
the labs are saved in _build/site-screenshots/ for a person to look at.
"""

import functools
import html.parser
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

COURSE = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("build_site", COURSE / "tools" / "build_site.py")
course_site = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(course_site)

LECTURES = sorted((COURSE / "lectures").glob("[0-9][0-9]-*.ipynb"))
SCREENSHOTS = COURSE / "_build" / "site-screenshots"
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", shutil.which("chromedriver") or "/usr/bin/chromedriver")
HOW_TO_ENABLE = (
    "install Chromium and its WebDriver (Debian/Ubuntu: `sudo apt-get install chromium "
    "chromium-driver`; .ci/run does this) or set CHROMIUM and CHROMEDRIVER to their paths"
)


def _image_cell(alt=None):
    metadata = {"mystnb": {"image": {"alt": alt}}} if alt is not None else {}
    return {
        "cell_type": "code",
        "metadata": metadata,
        "source": "plt.plot([1, 2])",
        "outputs": [
            {
                "output_type": "display_data",
                "data": {"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"},
                "metadata": {},
            }
        ],
        "execution_count": 1,
    }


def _notebook(tmp_path, *cells):
    path = tmp_path / "01-example.ipynb"
    path.write_text(json.dumps({"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return path


# --- without a browser ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lecture", LECTURES, ids=lambda p: p.stem)
def test_every_lecture_figure_has_alt_text(lecture):
    problems = course_site.figures_without_alt([lecture])
    assert not problems, (
        "Every figure needs alt text that says what it shows, in the metadata of the cell that draws it:\n  "
        + "\n  ".join(problems)
    )


def test_the_alt_text_check_can_fail(tmp_path):
    missing = _notebook(tmp_path, _image_cell())
    assert "no alt text" in course_site.figures_without_alt([missing])[0]
    vague = _notebook(tmp_path, _image_cell("a plot"))
    assert "too short" in course_site.figures_without_alt([vague])[0]
    good = _notebook(tmp_path, _image_cell("Training loss falling from 1.1 to 0.2 over 50 epochs."))
    assert course_site.figures_without_alt([good]) == []


def test_site_titles_read_alike():
    titles = [course_site.lecture_info(p)["title"] for p in LECTURES]
    for number, title in zip((course_site._number(p) for p in LECTURES), titles):
        assert title.startswith(f"Lecture {number}: ") and title[len(f"Lecture {number}: ")].isupper(), title
    assert (
        course_site._split_title("# 05 Fashion-MNIST: one network", "Lecture", "05", "x")[0]
        == "Lecture 05: Fashion-MNIST: one network"
    )
    assert course_site._split_title("# Lab 03: softmax", "Lab", "03", "x")[0] == "Lab 03: Softmax"


@pytest.fixture(scope="module")
def site():
    """The site, built (incrementally) from the committed notebooks; its home page's folder."""
    course_site.build()
    return course_site.OUT


class _Tags(html.parser.HTMLParser):
    """Every (tag, attributes) of an HTML page."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(page):
    parser = _Tags()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.tags


@pytest.mark.slow
def test_site_builds_with_every_lecture_and_lab(site):
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    for lecture in LECTURES:
        assert f"lectures/{lecture.stem}.html" in pages
    for lab in sorted((COURSE / "labs").glob("lab[0-9][0-9]-*")):
        assert f"labs/{lab.name}.html" in pages
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Softmax and categorical cross-entropy" in home
    assert (site / "_static" / "mathjax" / "tex-svg.js").is_file()
    assert (site / "searchindex.js").is_file()


@pytest.mark.slow
@pytest.mark.parametrize("lecture", LECTURES, ids=lambda p: p.stem)
def test_the_pages_show_the_metadata_alt_text(site, lecture):
    nb = json.loads(lecture.read_text(encoding="utf-8"))
    expected = []
    for _, cell in course_site._image_outputs(nb):
        expected.append(course_site.figure_alt(cell))
    shown = [
        attrs.get("alt", "")
        for tag, attrs in _tags(site / "lectures" / f"{lecture.stem}.html")
        if tag == "img"
    ]
    assert len(shown) == len(expected), (
        f"{lecture.name}: {len(expected)} figures, the page shows {len(shown)}"
    )
    # A figure without alt text is reported by test_every_lecture_figure_has_alt_text; docutils
    # then shows the image's file name as its alt, which the browser test refuses.
    for alt, metadata_alt in zip(shown, expected):
        if metadata_alt:
            assert alt == metadata_alt


@pytest.mark.slow
def test_every_page_has_the_sidebar_search_and_previous_next_links(site):
    """The reading order is the course's: lecture 01, lab 01, lecture 02, ...; each page links both ways."""
    sequence = ["index.html"]
    for lecture in LECTURES:
        sequence.append(f"lectures/{lecture.stem}.html")
        sequence += [
            f"labs/{lab.name}.html" for lab in sorted((COURSE / "labs").glob(f"lab{lecture.stem[:2]}-*"))
        ]
    for position, page in enumerate(sequence):
        tags = _tags(site / page)
        classes = {(tag, c) for tag, attrs in tags for c in attrs.get("class", "").split()}
        assert ("nav", "bd-docs-nav") in classes, f"{page}: no sidebar table of contents"
        # The sidebar's search button is written by a script; the form it opens is in the page.
        assert ("form", "bd-search") in classes, f"{page}: no search field"
        sidebar = {
            urllib.parse.urljoin(page, attrs["href"])
            for tag, attrs in tags
            if tag == "a" and "reference" in attrs.get("class", "") and "internal" in attrs.get("class", "")
        }
        assert set(sequence[1:]) <= sidebar, (
            f"{page}: the sidebar lacks {sorted(set(sequence[1:]) - sidebar)}"
        )
        links = {
            attrs.get("rel"): urllib.parse.urljoin(page, attrs["href"])
            for tag, attrs in tags
            if tag == "link" and attrs.get("rel") in ("prev", "next")
        }
        if position > 0:
            assert links.get("prev") == sequence[position - 1], f"{page}: previous is {links.get('prev')}"
        if position < len(sequence) - 1:
            assert links.get("next") == sequence[position + 1], f"{page}: next is {links.get('next')}"
        footer = {c for tag, c in classes if c in ("left-prev", "right-next")}
        assert footer == {"left-prev", "right-next"} - ({"left-prev"} if position == 0 else set()) - (
            {"right-next"} if position == len(sequence) - 1 else set()
        ), f"{page}: previous/next links {footer}"


@pytest.mark.slow
def test_pages_load_nothing_from_outside(site):
    outside = []
    for page in site.rglob("*.html"):
        for tag, attrs in _tags(page):
            url = (
                attrs.get("src")
                if tag in ("script", "img", "iframe", "audio", "video", "source")
                else attrs.get("href")
                if tag == "link"
                else None
            )
            if url and urllib.parse.urlparse(url).scheme not in ("", "file", "data"):
                outside.append(f"{page.relative_to(site)}: <{tag}> {url}")
    assert not outside, "\n".join(outside)


@pytest.mark.slow
def test_each_lab_page_offers_the_student_notebook(site):
    for lab in sorted((COURSE / "labs").glob("lab[0-9][0-9]-*")):
        notebook = next(lab.glob("*.ipynb"))
        page = site / "labs" / f"{lab.name}.html"
        links = [
            attrs["href"]
            for tag, attrs in _tags(page)
            if tag == "a" and "download" in attrs.get("class", "").split()
        ]
        assert len(links) == 1, f"{page.name}: expected one download link, found {links}"
        target = (page.parent / urllib.parse.unquote(links[0])).resolve()
        assert target.name == notebook.name and target.read_bytes() == notebook.read_bytes()


# --- in a real browser ------------------------------------------------------------------------------------

LOCAL_SCHEMES = {"file", "data", "blob", "about", "chrome-error"}


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Headless Chromium driven by Selenium, with no network beyond this machine."""
    if not (Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file()):
        pytest.skip(
            f"browser test skipped: no Chromium at {CHROMIUM} or chromedriver at {CHROMEDRIVER}; "
            f"to run it, {HOW_TO_ENABLE}"
        )
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is missing: run make venv")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
        # Every host name but this machine fails to resolve: a request that tried to leave
        # would fail (and be reported) rather than reach the network.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    service = webdriver.ChromeService(executable_path=CHROMEDRIVER)
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(120)
    driver.get("about:blank")  # leave Chromium's start page before anything is recorded
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)  # only this run's screenshots
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def server(site):
    """``python -m http.server`` serving the site on a free local port; its base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(site)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}/"
    process.terminate()
    process.wait(timeout=10)


def _pages():
    """Every page the site has, named from the sources (so the list is the same before the site is built)."""
    lectures = [f"lectures/{p.stem}.html" for p in LECTURES]
    labs = [f"labs/{p.name}.html" for p in sorted((COURSE / "labs").glob("lab[0-9][0-9]-*")) if p.is_dir()]
    return ["index.html", *lectures, *labs, "search.html", "genindex.html"]


@pytest.mark.slow
def test_the_browser_test_visits_every_page(site):
    built = sorted(
        p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.parent.name != "_static"
    )  # _static/*.html are the theme's template fragments
    assert built == sorted(_pages())


def _is_local(url, base):
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme in LOCAL_SCHEMES:
        return True
    return base.startswith("http") and url.startswith(base)


def _open(driver, url):
    """Load ``url``, wait for MathJax (when the page uses it); return the console and network events."""
    driver.get_log("browser")
    driver.get_log("performance")
    driver.get(url)
    driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const settle = () => setTimeout(() => done(true), 200);
        if (document.readyState !== 'complete') { window.addEventListener('load', () => check()); }
        else { check(); }
        function check() {
          if (!document.querySelector('script[src*="mathjax"]')) { settle(); return; }
          const wait = () => (window.MathJax && MathJax.startup && MathJax.startup.promise)
              ? MathJax.startup.promise.then(settle, settle) : setTimeout(wait, 50);
          wait();
        }""")
    console = driver.get_log("browser")
    network = [json.loads(entry["message"])["message"] for entry in driver.get_log("performance")]
    return console, network


def _request_problems(network, base):
    problems, urls = [], {}
    for event in network:
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            urls[params["requestId"]] = url
            if not _is_local(url, base):
                problems.append(f"external request: {url}")
        elif method == "Network.loadingFailed" and not params.get("canceled"):
            problems.append(
                f"failed request: {urls.get(params['requestId'], '?')} ({params.get('errorText')})"
            )
        elif method == "Network.responseReceived" and params["response"].get("status", 200) >= 400:
            problems.append(f"HTTP {params['response']['status']}: {params['response']['url']}")
    return problems


UNTYPESET = r"""
    const bad = ['$$', '\\frac', '\\sum', '\\begin{', '\\mathbf', '\\left', '\\('];
    const skip = 'PRE, CODE, SCRIPT, STYLE, TEXTAREA, MJX-CONTAINER, MJX-ASSISTIVE-MML';
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const found = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest(skip) || !parent.checkVisibility()) continue;
      for (const b of bad) {
        if (node.textContent.includes(b)) { found.push(node.textContent.trim().slice(0, 120)); break; }
      }
    }
    return found;"""

IMAGES = """
    return Array.from(document.images).map(img => ({src: img.currentSrc || img.src, complete: img.complete,
        width: img.naturalWidth, alt: (img.getAttribute('alt') || '').trim()}));"""


def _links(driver):
    return driver.execute_script("return Array.from(document.querySelectorAll('a[href]')).map(a => a.href);")


@functools.cache
def _anchors(path):
    ids = set()
    for _, attrs in _tags(Path(path)):
        ids.update(v for k, v in attrs.items() if k in ("id", "name") and v)
    return ids


def _link_problems(links, base, site):
    problems = []
    for link in links:
        parsed = urllib.parse.urlparse(link)
        if (
            parsed.scheme in ("http", "https")
            and not link.startswith(base)
            or parsed.scheme in ("mailto", "javascript")
        ):
            continue  # a link to elsewhere is fine to show; it is never requested by the page itself
        if parsed.scheme == "file":
            target = Path(urllib.parse.unquote(parsed.path))
        else:
            target = site / urllib.parse.unquote(parsed.path[len(urllib.parse.urlparse(base).path) :])
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            problems.append(f"broken link: {link}")
        elif (
            parsed.fragment
            and target.suffix == ".html"
            and urllib.parse.unquote(parsed.fragment) not in _anchors(str(target))
        ):
            problems.append(f"missing anchor: {link}")
    return problems


def _screenshot(driver, name):
    """A full-page PNG of the current page in _build/site-screenshots/, 1280 pixels wide."""
    import base64

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    # A window as tall as the page (up to 20,000 pixels), so the theme lays it out as a person sees it.
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1280, "height": min(int(height), 20000), "deviceScaleFactor": 1, "mobile": False},
    )
    try:
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    (SCREENSHOTS / name).write_bytes(base64.b64decode(shot["data"]))


def _axe_problems(driver):
    from axe_core_python.selenium import Axe

    # MathJax's formulas are left out: each is thousands of SVG nodes that only slow axe down; their
    # accessible form is the MathML MathJax puts beside them for screen readers.
    results = Axe().run(
        driver, context={"exclude": [["mjx-container"]]}, options={"resultTypes": ["violations"]}
    )
    problems = []
    for violation in results["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
            problems.append(
                f"axe {violation['impact']}: {violation['id']} ({violation['help']}), "
                f"{len(violation['nodes'])} element(s): {targets}"
            )
    return problems


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("how", ["file", "http"])
@pytest.mark.parametrize("page", _pages())
def test_page_in_the_browser(browser, site, server, page, how):
    base = site.as_uri() + "/" if how == "file" else server
    console, network = _open(browser, base + page)
    problems = [f"console {e['level']}: {e['message']}" for e in console if e["level"] in ("SEVERE", "ERROR")]
    problems += _request_problems(network, base)
    problems += [f"formula not typeset: {text!r}" for text in browser.execute_script(UNTYPESET)]
    for image in browser.execute_script(IMAGES):
        if not image["complete"] or image["width"] == 0:
            problems.append(f"image did not load: {image['src']}")
        if not image["alt"] or image["alt"].endswith(image["src"].rsplit("/", 1)[-1]):
            # docutils writes the file name as alt when the notebook gives none
            problems.append(f"image without alt text: {image['src']}")
    problems += _link_problems(_links(browser), base, site)
    if how == "file":  # the same page, checked once: accessibility and a screenshot
        problems += _axe_problems(browser)
        if not page.startswith(("search", "genindex")):
            _screenshot(browser, page.replace("/", "-").replace(".html", ".png"))
    assert not problems, f"{base + page}:\n  " + "\n  ".join(problems)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("how", ["file", "http"])
def test_search_finds_softmax_in_lecture_03(browser, site, server, how):
    base = site.as_uri() + "/" if how == "file" else server
    browser.get_log("browser")
    browser.get_log("performance")
    browser.get(base + "search.html?q=softmax")
    found = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const started = Date.now();
        (function poll() {
          const links = Array.from(document.querySelectorAll('#search-results ul.search li a'))
              .map(a => a.getAttribute('href'));
          if (links.length || Date.now() - started > 20000) done(links); else setTimeout(poll, 100);
        })();""")
    assert any("lectures/03-softmax-cross-entropy.html" in link for link in found), (
        f"searching 'softmax' ({how}) found {found}"
    )
    time.sleep(1)  # the result summaries are fetched after the list appears
    console = browser.get_log("browser")
    network = [json.loads(entry["message"])["message"] for entry in browser.get_log("performance")]
    problems = [f"console {e['level']}: {e['message']}" for e in console if e["level"] in ("SEVERE", "ERROR")]
    problems += _request_problems(network, base)
    assert not problems, f"searching 'softmax' ({how}):\n  " + "\n  ".join(problems)
    _screenshot(browser, f"search-softmax-{how}.png")
