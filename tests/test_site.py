"""The national site, built from the recording: overview, maps, downloads, print summaries.

Builds three municipalities (Bærum, Utsira: full of suppressed cells, Oslo) in two calls from
``$NAVBOK_SOURCE`` into a temporary folder, then checks the overview (every book built so far,
not only the last call's), the map's geometry and values (357 municipalities), the open data,
each book's workbook and summary, and opens the overview, a book page and a print summary in
Debian's chromium from disk with the network blocked: the map draws, the demo notice shows,
links lead to files that exist, sorting and search work, and axe-core finds no serious or
critical violation.

Run: ``NAVBOK_SOURCE=../shared/replay-v2 pytest tests/test_site.py``.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import pandas as pd
import pytest
from conftest import RECORDED_CALLS, RecordedBooks

CHROMIUM = Path("/usr/bin/chromium")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]  # fmt: skip
FIRST, SECOND = "3201,1151", "0301"
CODES = ["3201", "1151", "0301"]

pytestmark = [
    pytest.mark.replay,
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.environ.get("NAVBOK_SOURCE"),
        reason="NAVBOK_SOURCE (a directory of recorded responses) is not set",
    ),
]


@dataclass
class Site:
    build: Path
    synthetic: bool

    @property
    def index(self) -> Path:
        return self.build / "site" / "index.html"


@pytest.fixture(scope="module")
def site(recorded_books: RecordedBooks) -> Site:
    """The session's three books (built in two calls, see ``conftest.RECORDED_CALLS``)."""
    assert RECORDED_CALLS == (FIRST, SECOND)
    return Site(recorded_books.build, recorded_books.synthetic)


def test_overview_lists_every_book_built_so_far(site: Site) -> None:
    from navbok.site.landing import overview_rows

    page = site.index.read_text("utf-8")
    assert sorted(overview_rows(page)) == sorted(CODES)
    assert json.loads((site.build / "site" / "kommuner.json").read_text()) == {
        "0301": "Oslo", "1151": "Utsira", "3201": "Bærum"
    }  # fmt: skip
    row = re.search(r'<tr data-search="1151 [^"]*">.*?</tr>', page).group(0)
    assert ">:</td>" in row  # Utsira's suppressed shares show the symbol, not a blank
    assert ">2,46</td>" in re.search(r'<tr data-search="3201 .*?</tr>', page).group(0)


def test_the_map_has_357_municipalities(site: Site) -> None:
    from navbok import geo

    script = (site.build / "site" / "_static" / "navbok-geo.js").read_text("utf-8")
    topology = json.loads(script.split(" = ", 1)[1].rstrip().rstrip(";"))
    assert len(geo.codes(topology)) == 357
    page = site.index.read_text("utf-8")
    specs = re.findall(r"var spec = (\{.*?\});\n", page)
    assert specs
    values = [v for v in json.loads(specs[0].replace("<\\/", "</"))["datasets"].values()
              if isinstance(v, list)]  # fmt: skip
    assert len(values[0]) == 357
    assert {r["category"] for r in values[0]} >= {"verdi", "skjult"}
    assert page.count('<option value="kart-') == 6


def test_open_data(site: Site) -> None:
    data = site.build / "site" / "data"
    frame = pd.read_parquet(data / "navbok-kommuner.parquet")
    assert frame["kommunenr"].nunique() == 357
    meta = json.loads((data / "navbok-kommuner.metadata.json").read_text())
    assert meta["synthetic"] == site.synthetic
    page = site.index.read_text("utf-8")
    assert 'href="data/navbok-kommuner.csv"' in page and "MB)" in page


def test_each_book_has_its_workbook_metadata_and_summary(site: Site) -> None:
    for code in CODES:
        html = site.build / code / "html"
        sheets = pd.read_excel(html / "data" / f"navbok-{code}.xlsx", sheet_name=None)
        assert list(sheets)[0] == "Innhold" and list(sheets)[-1] == "Om dataene"
        assert len(sheets) > 20 and all(len(n) <= 31 for n in sheets)
        about = sheets["Om dataene"]
        labels = set(about["Om dataene"])
        assert {"Kilde", "Hentet", "Lisens", "Symboler"} <= labels
        assert ("SYNTETISKE DATA" in labels) == site.synthetic
        meta = json.loads((html / "data" / "metadata.json").read_text())
        assert len(meta["workbook"]["sheets"]) == len(sheets) - 2
        summary = (html / "sammendrag.html").read_text("utf-8")
        assert "Hovedfunn" in summary and "@media print" in summary and "size:A4" in summary
        assert "navbok-fylkeskart" in summary


def _local_links(page, base: Path) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    out = []
    for href in hrefs:
        if href.startswith(("#", "data:", "http", "mailto:")):
            continue
        target = (base.parent / unquote(urlparse(href).path)).resolve()
        if not target.exists():
            out.append(href)
    return out


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed")
def test_pages_in_chromium(site: Site) -> None:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    pages = [
        site.index,
        site.build / "3201" / "html" / "chapters" / "intro.html",
        site.build / "1151" / "html" / "sammendrag.html",
    ]
    axe, problems, blocked = Axe(), [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            for path in pages:
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                context.route("**/*", lambda route, req: route.continue_()
                              if req.url.startswith(("file://", "data:"))
                              else (blocked.append(req.url), route.abort()))  # fmt: skip
                page = context.new_page()
                errors: list[str] = []
                page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
                page.goto(path.as_uri(), wait_until="load")
                page.wait_for_function(
                    "() => document.querySelector('.navbok-map svg, .navbok-fylkeskart svg')",
                    timeout=15_000,
                )
                if site.synthetic:
                    banner = page.get_by_text("DEMODATA").first
                    assert banner.is_visible(), path
                assert not _local_links(page, path), (path, _local_links(page, path))
                assert not errors, (path, errors)
                if path == site.index:
                    # sort by the first key indicator, descending: missing values last
                    button = page.locator("#kommuner thead button[data-col='4']")
                    button.click()
                    button.click()
                    th = page.locator("#kommuner thead th").nth(4)
                    assert th.get_attribute("aria-sort") == "descending"
                    last = page.locator("#kommuner tbody tr").last.get_attribute("data-search")
                    assert last.startswith("1151")
                    page.fill("#sok", "bær")
                    assert page.locator("#kommuner tbody tr:not([hidden])").count() == 1
                    page.select_option("#kart-valg", "kart-aap_andel_siste")
                    page.wait_for_function(
                        "() => document.querySelector('#kart-aap_andel_siste svg')"
                    )
                options = {"runOnly": {"type": "tag", "values": AXE_TAGS},
                           "resultTypes": ["violations"], "preload": False}  # fmt: skip
                result = axe.run(page, options=options)
                problems += [
                    f"{path.name}: {v['id']} [{v['impact']}] {v['help']}"
                    for v in result.response["violations"]
                    if v["impact"] in BLOCKING
                ]
                context.close()
        finally:
            browser.close()
    assert not blocked, blocked
    assert not problems, "\n".join(problems)
