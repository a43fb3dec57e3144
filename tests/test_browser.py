"""The built book in a real browser: charts render offline, no errors, no network, accessible.

Builds the books of Bærum (3201), Oslo (0301) and Utsira (1151) once from the recorded responses
in ``$NAVBOK_SOURCE``, opens every page of Bærum's from disk in Debian's chromium with the network
blocked, and checks each page. Full-page screenshots go to ``_build/screenshots/<page>.png`` in
the repository so a human can look.

The layout test opens every chapter of all three books at 1280 and 390 px (a phone): no chart
and no table may be wider than the article's column (a table may scroll inside its wrapper, but
the wrapper must fit), and the page must not scroll sideways. Its screenshots
(``<kommune>-<chapter>-<width>.png``) go to a temporary directory whose path the test prints;
look at them.

Run: ``NAVBOK_SOURCE=../shared/replay-v2 pytest tests/test_browser.py``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import RecordedBooks

CHROMIUM = Path("/usr/bin/chromium")
KOMMUNE = "3201"
#: The books the layout test opens: a large ASSS member, the capital, the smallest municipality.
LAYOUT_BOOKS = ("3201", "0301", "1151")
#: Desktop and phone widths (CSS px).
WIDTHS = (1280, 390)
REPO = Path(__file__).resolve().parent.parent
SCREENSHOTS = REPO / "_build" / "screenshots"
CHART_TIMEOUT_MS = 10_000
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.replay,
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.environ.get("NAVBOK_SOURCE"),
        reason="NAVBOK_SOURCE (a directory of recorded responses) is not set",
    ),
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed"),
]

# Every chart container holds an svg or a canvas once vega-embed has drawn it.
_ALL_CHARTS_DRAWN = """() => Array.from(document.querySelectorAll('.navbok-chart'))
    .every(el => el.querySelector('svg, canvas') !== null)"""
# vega-embed labels the container (role graphics-document) with the spec's description.
_CHART_STATUS = """() => Array.from(document.querySelectorAll('.navbok-chart'))
    .map(el => [el.id, el.querySelector('svg, canvas') !== null,
                el.getAttribute('aria-label') || ''])"""
_REFRESH = re.compile(r'http-equiv="Refresh"\s+content="\d+;\s*url=([^"]+)"', re.IGNORECASE)


@dataclass
class Book:
    html: Path  # _build/3201/html
    synthetic: bool

    def pages(self) -> list[Path]:
        return [self.html / "index.html", *sorted((self.html / "chapters").glob("*.html"))]


@dataclass
class PageVisit:
    name: str  # path relative to the html dir, e.g. "chapters/aap.html"
    final_url: str = ""
    charts: list[tuple[str, bool, str]] = field(default_factory=list)  # id, drawn, label
    chart_wait_error: str = ""
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_local: list[str] = field(default_factory=list)  # file:// requests that failed
    banner_visible: bool = False
    violations: list[dict] = field(default_factory=list)
    screenshot: Path | None = None


@dataclass
class Visits:
    book: Book
    pages: list[PageVisit]
    blocked: list[tuple[str, str, str]]  # (page, resource type, url) of aborted requests


@pytest.fixture(scope="module")
def books(recorded_books: RecordedBooks) -> dict[str, Book]:
    """The books of :data:`LAYOUT_BOOKS`, built once per session from $NAVBOK_SOURCE."""
    return {
        code: Book(html=recorded_books.html(code), synthetic=recorded_books.synthetic)
        for code in LAYOUT_BOOKS
    }


@pytest.fixture(scope="module")
def book(books: dict[str, Book]) -> Book:
    """Bærum's book."""
    return books[KOMMUNE]


def _screenshot_name(rel: str) -> str:
    stem = rel.removesuffix(".html")
    return "index" if stem == "index" else Path(stem).name


def _visit(context, path: Path, rel: str, axe) -> PageVisit:
    """Open one page in a fresh context; wait for its charts; screenshot; run axe."""
    from playwright.sync_api import Error as PlaywrightError

    visit = PageVisit(name=rel)
    page = context.new_page()

    def on_console(msg) -> None:
        if msg.type == "error":
            visit.console_errors.append(f"{msg.text} @ {msg.location.get('url')}")

    def on_pageerror(exc) -> None:
        visit.page_errors.append(str(exc))

    def on_requestfailed(req) -> None:
        if req.url.startswith("file://"):
            visit.failed_local.append(f"{req.url}: {req.failure}")

    page.on("console", on_console)
    page.on("pageerror", on_pageerror)
    page.on("requestfailed", on_requestfailed)
    page.goto(path.as_uri(), wait_until="load")
    refresh = _REFRESH.search(path.read_text("utf-8"))
    if refresh:  # Jupyter Book's index.html redirects to the root chapter
        page.wait_for_url((path.parent / refresh.group(1)).resolve().as_uri())
        page.wait_for_load_state("load")
    visit.final_url = page.url
    try:
        page.wait_for_function(_ALL_CHARTS_DRAWN, timeout=CHART_TIMEOUT_MS)
    except PlaywrightError as exc:
        visit.chart_wait_error = str(exc).splitlines()[0]
    visit.charts = [tuple(c) for c in page.evaluate(_CHART_STATUS)]
    banner = page.get_by_text("DEMODATA")
    visit.banner_visible = banner.count() > 0 and banner.first.is_visible()
    visit.screenshot = SCREENSHOTS / f"{_screenshot_name(rel)}.png"
    page.screenshot(path=str(visit.screenshot), full_page=True)
    # Stop recording: axe's own work must not count as the page's errors.
    page.remove_listener("console", on_console)
    page.remove_listener("pageerror", on_pageerror)
    page.remove_listener("requestfailed", on_requestfailed)
    # preload off: axe would XHR every stylesheet, which file:// pages forbid (CORS noise).
    result = axe.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": AXE_TAGS},
            "resultTypes": ["violations"],
            "preload": False,
        },
    )
    visit.violations = result.response["violations"]
    page.close()
    return visit


@pytest.fixture(scope="module")
def visits(book: Book) -> Visits:
    """Open every page of the book once in chromium, offline, and record what happened.

    Each page gets a fresh context (empty localStorage), as a first-time reader would.
    """
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    axe = Axe()  # bundles axe.min.js; injected into the page, nothing is fetched
    blocked: list[tuple[str, str, str]] = []
    results: list[PageVisit] = []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def guard_for(rel: str):
        def guard(route, request) -> None:
            if request.url.startswith(("file://", "data:")):
                route.continue_()
            else:
                blocked.append((rel, request.resource_type, request.url))
                route.abort("blockedbyclient")

        return guard

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            for path in book.pages():
                rel = path.relative_to(book.html).as_posix()
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                context.route("**/*", guard_for(rel))
                try:
                    results.append(_visit(context, path, rel, axe))
                finally:
                    context.close()
        finally:
            browser.close()
    return Visits(book=book, pages=results, blocked=blocked)


def test_every_page_opened(visits: Visits) -> None:
    names = [v.name for v in visits.pages]
    assert "index.html" in names
    assert any(n.startswith("chapters/") for n in names), names
    for v in visits.pages:
        assert v.final_url.endswith(".html"), (v.name, v.final_url)
        assert v.screenshot is not None and v.screenshot.stat().st_size > 0, v.name


def test_every_chart_renders(visits: Visits) -> None:
    total = sum(len(v.charts) for v in visits.pages)
    assert total > 0, "no .navbok-chart container anywhere in the book"
    missing = [
        f"{v.name}: #{cid} ({v.chart_wait_error or 'no svg/canvas'})"
        for v in visits.pages
        for cid, drawn, _ in v.charts
        if not drawn
    ]
    assert not missing, f"{len(missing)} of {total} charts did not render:\n" + "\n".join(missing)


def test_every_chart_has_a_description(visits: Visits) -> None:
    unlabelled = [
        f"{v.name}: #{cid}" for v in visits.pages for cid, _, label in v.charts if not label
    ]
    assert not unlabelled, "chart containers without aria-label (spec description):\n" + "\n".join(
        unlabelled
    )


def test_no_console_or_page_errors(visits: Visits) -> None:
    problems = [
        f"{v.name}: {kind}: {msg}"
        for v in visits.pages
        for kind, msgs in (
            ("console.error", v.console_errors),
            ("pageerror", v.page_errors),
            ("missing local file", v.failed_local),
        )
        for msg in msgs
    ]
    assert not problems, "errors in the browser:\n" + "\n".join(problems)


def test_no_network_requests(visits: Visits) -> None:
    lines = [f"{page}: {kind} {url}" for page, kind, url in visits.blocked]
    assert not visits.blocked, f"{len(lines)} request(s) left file:// (blocked):\n" + "\n".join(
        lines
    )


def test_demo_banner(visits: Visits) -> None:
    shown = {v.name: v.banner_visible for v in visits.pages}
    if visits.book.synthetic:
        hidden = [name for name, ok in shown.items() if not ok]
        assert not hidden, f"synthetic snapshot but no visible «DEMODATA» banner on: {hidden}"
    else:
        assert not any(shown.values()), f"«DEMODATA» banner on real data: {shown}"


def test_accessibility(visits: Visits) -> None:
    blocking, minor = [], []
    for v in visits.pages:
        for viol in v.violations:
            targets = [", ".join(map(str, n["target"])) for n in viol["nodes"][:3]]
            line = (
                f"{viol['id']} [{viol['impact']}] on {v.name} "
                f"({len(viol['nodes'])} node(s); {viol['help']}): {targets}"
            )
            (blocking if viol["impact"] in BLOCKING_IMPACTS else minor).append(line)
    if minor:
        print("axe (moderate/minor, not failing):\n" + "\n".join(minor))
    assert not blocking, (
        f"{len(blocking)} serious/critical axe violation(s) ({'/'.join(AXE_TAGS)}):\n"
        + "\n".join(blocking)
    )


# ------------------------------------------------------------------------------ layout

# What sticks out of the article's column: charts (the drawn svg/canvas and vega-embed's box),
# table wrappers and tables outside one, and the page itself scrolling sideways. A table wider
# than its wrapper is fine (the wrapper scrolls); the wrapper itself must fit.
_OVERFLOW = """() => {
  const col = (document.querySelector('article.bd-article') || document.querySelector('main'))
    .getBoundingClientRect();
  const out = [];
  const name = el => (el.closest('[id]') || {}).id || el.tagName.toLowerCase();
  const check = (el, what) => {
    if (!el.offsetParent && el.tagName.toLowerCase() !== 'svg') return;
    const r = el.getBoundingClientRect();
    if (r.width === 0) return;
    const over = Math.max(r.right - col.right, col.left - r.left);
    if (over > 1) out.push(`${what} #${name(el)} is ${Math.round(r.width)} px wide, `
      + `${Math.round(over)} px past the ${Math.round(col.width)} px column`);
  };
  document.querySelectorAll('.navbok-chart svg, .navbok-chart canvas, .vega-embed')
    .forEach(el => check(el, 'chart'));
  document.querySelectorAll('.navbok-table-wrap').forEach(el => check(el, 'table wrapper'));
  document.querySelectorAll('article table').forEach(el => {
    if (!el.closest('.navbok-table-wrap')) check(el, 'table');
  });
  const page = document.documentElement.scrollWidth - window.innerWidth;
  if (page > 1) out.push(`the page scrolls sideways by ${page} px`);
  return out;
}"""


@dataclass
class LayoutVisit:
    name: str  # "<kommune> <chapter> <width>"
    problems: list[str]
    screenshot: Path


def _layout_visit(browser, path: Path, name: str, width: int, shot: Path) -> LayoutVisit:
    """Open ``path`` at ``width``, wait for the charts, measure, then screenshot the whole page
    (the viewport made as tall as the page first: a full-page capture resizes the window,
    and the charts would be redrawn for the wrong size)."""
    from playwright.sync_api import Error as PlaywrightError

    context = browser.new_context(viewport={"width": width, "height": 900})
    context.route(
        "**/*",
        lambda route, request: (
            route.continue_()
            if request.url.startswith(("file://", "data:"))
            else route.abort("blockedbyclient")
        ),
    )
    try:
        page = context.new_page()
        page.goto(path.as_uri(), wait_until="load")
        problems: list[str] = []
        try:
            page.wait_for_function(_ALL_CHARTS_DRAWN, timeout=CHART_TIMEOUT_MS)
        except PlaywrightError as exc:
            problems.append(f"charts not drawn: {str(exc).splitlines()[0]}")
        problems += page.evaluate(_OVERFLOW)
        height = page.evaluate("() => document.documentElement.scrollHeight")
        page.set_viewport_size({"width": width, "height": min(int(height), 30_000)})
        page.wait_for_timeout(200)
        page.screenshot(path=str(shot))
        return LayoutVisit(name, problems, shot)
    finally:
        context.close()


@pytest.fixture(scope="module")
def layout(books: dict[str, Book], tmp_path_factory: pytest.TempPathFactory) -> list[LayoutVisit]:
    """Every chapter of every layout book at every width, measured and photographed."""
    from playwright.sync_api import sync_playwright

    shots = tmp_path_factory.mktemp("navbok-layout")
    print(f"\nlayout screenshots: {shots}")
    visits = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            for code, bk in books.items():
                # every chapter, and the print summary (a phone reads it on screen too)
                pages = [
                    *sorted((bk.html / "chapters").glob("*.html")),
                    bk.html / "sammendrag.html",
                ]
                for path in pages:
                    for width in WIDTHS:
                        name = f"{code}-{path.stem}-{width}"
                        visits.append(
                            _layout_visit(browser, path, name, width, shots / f"{name}.png")
                        )
        finally:
            browser.close()
    return visits


def test_layout_screenshots_taken(layout: list[LayoutVisit], books: dict[str, Book]) -> None:
    chapters = {code: len(list((b.html / "chapters").glob("*.html"))) for code, b in books.items()}
    assert all(chapters.values()), chapters
    assert len(layout) == (sum(chapters.values()) + len(books)) * len(WIDTHS)
    for visit in layout:
        assert visit.screenshot.stat().st_size > 0, visit.name
    print(f"{len(layout)} screenshots in {layout[0].screenshot.parent}")


def test_no_chart_or_table_wider_than_its_column(layout: list[LayoutVisit]) -> None:
    problems = [f"{v.name}: {p}" for v in layout for p in v.problems]
    assert not problems, f"{len(problems)} layout problem(s):\n" + "\n".join(problems)
