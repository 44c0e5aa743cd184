"""Sphinx configuration of the course website (built by ``tools/build_site.py``; ``make site``).

The sources Sphinx reads are staged by tools/build_site.py in _build/site-src/: the committed lectures
(rendered from their outputs, never executed), one generated page per lab and the home page. This
folder holds only what does not change with the notebooks: this file and the site's CSS.

Everything the pages load is copied into the site: the theme's CSS, fonts and scripts, and a local
MathJax 3 (from the ``sphinx-mathjax-offline`` wheel), so the site works with no network, from
``file://`` as well as from ``python -m http.server``.
"""

import base64
import importlib.util
import re
import shutil
from pathlib import Path

project = "Neural networks from scratch"
author = "the course's authors"
copyright = "the course's authors; prose and figures CC BY 4.0, code MIT"
language = "en"

extensions = ["myst_nb"]

root_doc = "index"
# The student notebooks next to each lab page are offered for download, not rendered as pages.
exclude_patterns = ["labs/*/*.ipynb", "_static"]

# --- notebooks: rendered from the committed outputs, never executed ---------------------------------
nb_execution_mode = "off"
# The notebooks use no widgets; myst-nb would otherwise add require.js and the widget manager
# from a CDN to every page that has a notebook.
nb_ipywidgets_js = {}
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3
# Tracebacks in committed outputs are deliberate (lecture 07 shows what a broken network prints).
nb_output_stderr = "show"

# --- math: a local MathJax 3 ------------------------------------------------------------------------
# MathJax 3's combined TeX + SVG component. SVG output draws glyphs as paths and needs no web fonts:
# Chromium refuses fonts loaded from file:// pages (CORS), so CommonHTML output would show broken
# formulas when the site is opened from disk. The TeX extensions it loads on demand (\boldsymbol, ...)
# and the accessibility parts a reader can switch on in its menu are copied next to it
# (see _copy_assets below), so nothing is fetched from a CDN.
mathjax_path = "mathjax/tex-svg.js"
# One shared set of glyph shapes per page, not one per formula: far fewer nodes on a lecture page.
mathjax3_config = {"svg": {"fontCache": "global"}}
MATHJAX_PARTS = ["tex-svg.js", "input/tex/extensions", "a11y", "sre", "ui"]

# --- HTML: sphinx-book-theme (the theme of Jupyter Book 1) ------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "Neural networks from scratch"
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_js_files = ["course.js"]
# A favicon of our own: without one the browser asks the server for /favicon.ico and gets a 404.
html_favicon = "_static/favicon.svg"
html_last_updated_fmt = None
# Light by default (the notebooks' figures have white backgrounds); the theme's button offers dark.
html_context = {"default_mode": "light"}
# The download button offers each page's source: a lecture's notebook, with its outputs.
html_copy_source = True
html_show_sourcelink = False
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "navigation_with_keys": False,
    # No repository, launch (Binder, Colab) or issue buttons: they would point off the machine.
    "use_repository_button": False,
    "use_issues_button": False,
    "use_edit_page_button": False,
    "search_bar_text": "Search the course...",
}
html_sidebars = {"**": ["navbar-logo.html", "search-button-field.html", "sbt-sidebar-nav.html"]}
suppress_warnings = ["mystnb.unknown_mime_type"]


def _mathjax_source():
    """The MathJax folder inside the installed sphinx-mathjax-offline package."""
    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or spec.origin is None:
        raise RuntimeError(
            "sphinx-mathjax-offline is not installed: run `make venv` (it is in requirements.txt)"
        )
    return Path(spec.origin).parent / "static" / "mathjax"


def _embed_icon_fonts(outdir):
    """Put the theme's Font Awesome fonts into its CSS as data: URLs.

    Chromium refuses web fonts that a page opened from file:// loads from another file (CORS), so
    the theme's icons (menu, search, download, ...) would be missing when the site is opened from
    disk. Inside the CSS they are part of the stylesheet and load from anywhere.
    """
    for css in Path(outdir, "_static", "vendor").glob("fontawesome/*/css/all.min.css"):
        text = css.read_text(encoding="utf-8")

        def inline(match, folder=css.parent):
            font = (folder / match.group(1)).resolve()
            return f"url(data:font/woff2;base64,{base64.b64encode(font.read_bytes()).decode()})"

        css.write_text(re.sub(r"url\((\.\./webfonts/[\w.-]+\.woff2)\)", inline, text), encoding="utf-8")


def _copy_assets(app, exception):
    """After a good build: copy the MathJax parts the pages use to _static/mathjax/, embed the icon fonts."""
    if exception is not None:
        return
    source, target = _mathjax_source(), Path(app.outdir) / "_static" / "mathjax"
    for part in MATHJAX_PARTS:
        src, dst = source / part, target / part
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    _embed_icon_fonts(app.outdir)
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        # The theme preloads the icon fonts' files, a request Chromium refuses from file:// (see above).
        cleaned = re.sub(r'[ \t]*<link rel="preload" as="font"[^>]*>\n?', "", text)
        if page.name == "search.html":
            # The search page holds the theme's search field twice (its own and the pop-up's) with
            # one id; ids must be unique (axe's duplicate-id-active). Rename the page's own one.
            first = cleaned.find('id="search-input"')
            second = cleaned.find('id="search-input"', first + 1)
            if second > 0:
                cleaned = (
                    cleaned[:second] + 'id="search-page-input"' + cleaned[second + len('id="search-input"') :]
                )
        if cleaned != text:
            page.write_text(cleaned, encoding="utf-8")


def setup(app):
    app.connect("build-finished", _copy_assets)
