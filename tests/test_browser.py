"""The built book in a real browser: charts render offline, no errors, no network, accessible.

Builds Bærum's (3201) book once from the recorded responses in ``$NAVBOK_SOURCE``, opens every
page from disk in Debian's chromium with the network blocked, and checks each page. Full-page
screenshots go to ``_build/screenshots/<page>.png`` in the repository so a human can look.

Run: ``NAVBOK_SOURCE=../shared/replay-v2 pytest tests/test_browser.py``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
KOMMUNE = "3201"
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
def book(tmp_path_factory: pytest.TempPathFactory) -> Book:
    """Bærum's book, built once from $NAVBOK_SOURCE into a temporary directory."""
    from navbok import snapshot as snap
    from navbok.build.pipeline import main as build
    from navbok.sources.origin import default_source

    root = tmp_path_factory.mktemp("navbok-browser")
    snapshot = root / "snapshot"
    archive = Path(os.environ["NAVBOK_SOURCE"]) / "nav" / "arkiv"
    snap.fetch(
        default_source(os.environ["NAVBOK_SOURCE"]),
        snapshot,
        nav_archive=archive if archive.is_dir() else None,
    )
    built = build(
        kommune=KOMMUNE,
        all_=False,
        snapshot=snapshot,
        cache_dir=root / "cache",
        build_dir=root / "_build",
    )
    assert len(built) == 1 and built[0].is_file(), built
    return Book(html=built[0].parent, synthetic=snap.Snapshot.open(snapshot).synthetic)


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
