"""``navbok publish``: one folder for a static host, and ``--check``.

The fast tests publish a small constructed build folder (two books whose theme files are the
same, an overview, a style sheet with a font, a source map, notebook sources, an inline Excel
download) and check what comes out, file by file. The replay tests publish the three recorded
books (``recorded_books``), check the folder and open its pages in headless Chromium from disk
with the network off: every chart and map drawn, the demo notice shown.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import RecordedBooks
from typer.testing import CliRunner

from navbok.cli import app
from navbok.errors import NavbokError
from navbok.site.publish import book_folder, check_folder, publish
from navbok.site.publish import folder as folder_mod
from navbok.site.publish.folder import MARKER
from navbok.site.publish.links import REFRESH

BASE = "https://eksempel.github.io/navbok/"
NAMES = {"0001": "Bærum", "0002": "Kárášjohka - Karasjok"}
VEGA = b"/* vega bundle */ var vegaEmbed = 1;\n//# sourceMappingURL=navbok-vega.js.map\n"
CSS = b"@font-face{src:url(../fonts/f.woff2) format('woff2')}\n/*# sourceMappingURL=t.css.map */"
XLSX = base64.b64encode(b"PK fake xlsx").decode()

CHAPTER = """<!DOCTYPE html>
<html lang="nb-NO" data-content_root="../"><head><meta charset="utf-8" />
<title>AAP &#8212; Sosialtjenesten i {name}</title>
<link rel="stylesheet" href="../_static/styles/t.css?v=1" />
<script src="../_static/navbok-vega.js?v=2"></script>
</head><body>
<a href="../../../site/index.html">← Alle kommuner</a>
<ul><li><a href="../_sources/chapters/aap.ipynb" target="_blank"
   class="btn">.ipynb</a>
</li></ul>
<a href="data:text/csv;base64,QQ==" download="x.csv">Last ned CSV</a> · <a
href="data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,{xlsx}" \
download="x.xlsx" aria-describedby="c">Last ned Excel</a>
<a href="../data/navbok-{code}.xlsx">Alle tabeller</a>
<a href="aap.html#fig">Her</a> <a href="https://www.ssb.no/statbank?a=1&amp;b=2">SSB</a>
</body></html>
"""


def _write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, "utf-8")


def _fake_build(root: Path, names: dict[str, str] = NAMES) -> Path:
    """A build folder with the overview and the books ``names`` (default 0001 and 0002; the
    same theme files)."""
    build = root / "_build"
    _write(
        build / "site" / "index.html",
        '<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8"><title>navbok – alle '
        'kommuner</title><script src="_static/navbok-vega.js"></script></head><body>'
        '<a href="../0001/html/index.html">Bærum</a> <a href="../0002/html/index.html">K</a>'
        '<a href="data/navbok-kommuner.csv">CSV</a></body></html>',
    )
    _write(build / "site" / "_static" / "navbok-vega.js", VEGA)
    _write(build / "site" / "data" / "navbok-kommuner.csv", "a;b\n")
    _write(build / "site" / "data" / ".navbok-key", "k")
    for code, name in names.items():
        _write(build / code / "build.json", json.dumps({"book": f"key-{code}"}))
        html = build / code / "html"
        redirect = '<meta http-equiv="Refresh" content="0; url=chapters/aap.html">'
        _write(html / "index.html", redirect)
        _write(html / "chapters" / "aap.html", CHAPTER.format(name=name, xlsx=XLSX, code=code))
        _write(html / "search.html", "<html><head><title>Søk</title></head><body></body></html>")
        _write(html / "_static" / "styles" / "t.css", CSS)
        _write(html / "_static" / "styles" / "t.css.map", "{}")
        _write(html / "_static" / "fonts" / "f.woff2", b"\0font")
        _write(html / "_static" / "navbok-vega.js", VEGA)
        _write(html / "_sources" / "chapters" / "aap.ipynb", "{}")
        _write(html / "objects.inv", b"inv")
        _write(html / ".buildinfo", "x")
        _write(html / "data" / f"navbok-{code}.xlsx", b"PK workbook")
    return build


@pytest.fixture
def published(tmp_path: Path) -> Path:
    out = tmp_path / "ut" / "site"
    publish(_fake_build(tmp_path), out, NAMES, base_url=BASE)
    return out


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_book_folder_names() -> None:
    assert book_folder("3201", "Bærum") == "3201-baerum"
    assert book_folder("5610", "Kárášjohka - Karasjok") == "5610-karasjohka-karasjok"
    assert book_folder("3114", "Våler (Østfold)") == "3114-valer-ostfold"


def test_layout_and_one_shared_copy(published: Path) -> None:
    files = _files(published)
    assert "index.html" in files and "data/navbok-kommuner.csv" in files
    assert "0001-baerum/chapters/aap.html" in files
    assert "0002-karasjohka-karasjok/data/navbok-0002.xlsx" in files
    # the Vega bundle of the overview and of both books: one file, named by its content
    vega = [f for f in files if "navbok-vega" in f]
    assert len(vega) == 1, vega
    data = (published / vega[0]).read_bytes()
    assert vega[0] == f"_static/navbok-vega.{hashlib.sha256(data).hexdigest()[:10]}.js"
    assert b"sourceMappingURL" not in data
    assert len([f for f in files if f.startswith("_static/fonts/f.")]) == 1
    # no notebook sources, source maps, Sphinx inventories, dot files of the build
    assert not [f for f in files if re.search(r"_sources|\.map$|objects\.inv|\.buildinfo", f)]
    assert not [f for f in files if f.endswith(".navbok-key")]


def test_style_sheet_links_follow_the_renamed_font(published: Path) -> None:
    (css,) = (published / "_static" / "styles").glob("t.*.css")
    font = re.search(r"url\(([^)]+)\)", css.read_text("utf-8")).group(1)
    assert re.fullmatch(r"\.\./fonts/f\.[0-9a-f]{10}\.woff2", font), font
    assert (css.parent / font).is_file()


def test_links_rewritten_relative(published: Path) -> None:
    page = (published / "0001-baerum" / "chapters" / "aap.html").read_text("utf-8")
    assert 'href="../../index.html">← Alle kommuner' in page
    assert re.search(r'href="\.\./\.\./_static/styles/t\.[0-9a-f]{10}\.css"', page)
    assert 'href="aap.html#fig"' in page
    assert 'href="https://www.ssb.no/statbank?a=1&amp;b=2"' in page  # external: untouched
    overview = (published / "index.html").read_text("utf-8")
    assert 'href="0001-baerum/index.html"' in overview
    assert 'href="0002-karasjohka-karasjok/index.html"' in overview
    redirect = (published / "0001-baerum" / "index.html").read_text("utf-8")
    assert 'url=chapters/aap.html"' in redirect


def test_source_button_gone_and_excel_is_the_workbook(published: Path) -> None:
    page = (published / "0001-baerum" / "chapters" / "aap.html").read_text("utf-8")
    assert ".ipynb" not in page
    assert "data:application/vnd.openxml" not in page
    assert '<a href="../data/navbok-0001.xlsx" download aria-describedby="c">' in page
    assert "Last ned Excel (arbeidsboka)</a>" in page
    assert 'href="data:text/csv;base64,QQ==" download="x.csv"' in page  # the CSV stays


def test_canonical_open_graph_sitemap_robots_404(published: Path) -> None:
    page = (published / "0002-karasjohka-karasjok" / "chapters" / "aap.html").read_text("utf-8")
    url = f"{BASE}0002-karasjohka-karasjok/chapters/aap.html"
    assert f'<link rel="canonical" href="{url}" />' in page
    assert (
        '<meta property="og:title" content="AAP — Sosialtjenesten i Kárášjohka - Karasjok" />'
        in page
    )
    redirect = (published / "0001-baerum" / "index.html").read_text("utf-8")
    assert "<title>AAP &#8212; Sosialtjenesten i Bærum</title>" in redirect
    assert f'<link rel="canonical" href="{BASE}0001-baerum/" />' in redirect
    sitemap = (published / "sitemap.xml").read_text("utf-8")
    assert f"<loc>{url}</loc>" in sitemap and f"<loc>{BASE}</loc>" in sitemap
    assert "search.html" not in sitemap and "0001-baerum/</loc>" not in sitemap
    assert (published / "robots.txt").read_text("utf-8").endswith(f"Sitemap: {BASE}sitemap.xml\n")
    not_found = (published / "404.html").read_text("utf-8")
    assert "Siden finnes ikke" in not_found and f'href="{BASE}"' in not_found
    assert (published / ".nojekyll").is_file() and (published / MARKER).is_file()


def test_without_url_no_canonical_and_no_sitemap(tmp_path: Path) -> None:
    out = tmp_path / "site"
    publish(_fake_build(tmp_path), out, NAMES)
    page = (out / "0001-baerum" / "chapters" / "aap.html").read_text("utf-8")
    assert "canonical" not in page and 'property="og:title"' in page
    assert not (out / "sitemap.xml").exists()
    assert check_folder(out) == []


def test_check_passes_on_a_published_folder(published: Path) -> None:
    assert check_folder(published) == []


def test_check_lists_every_kind_of_problem(published: Path) -> None:
    page = published / "0001-baerum" / "chapters" / "aap.html"
    text = page.read_text("utf-8").replace(
        "</body>",
        '<img src="mangler.png"><a href="/navbok/index.html">rot</a>'
        '<script src="https://cdn.example.org/vega.js"></script>'
        f'<p>{published.parent}/x</p><a href="file:///home/u/a.html">f</a></body>',
    )
    page.write_text(text, "utf-8")
    problems = check_folder(published)
    joined = "\n".join(problems)
    assert "0001-baerum/chapters/aap.html: finnes ikke: mangler.png" in joined
    assert "underadresse" in joined and "/navbok/index.html" in joined
    assert "lastes fra nettet: //cdn.example.org/vega.js" in joined
    assert f"absolutt sti fra byggemaskinen: {published.parent}" in joined
    assert "file://" in joined
    (css,) = (published / "_static" / "styles").glob("t.*.css")
    for font in (published / "_static" / "fonts").iterdir():
        font.unlink()
    problems = check_folder(published)
    assert any(p.startswith(f"_static/styles/{css.name}: finnes ikke") for p in problems)


def test_publish_refuses_a_foreign_folder_and_replaces_its_own(tmp_path: Path) -> None:
    build = _fake_build(tmp_path)
    foreign = tmp_path / "mine"
    _write(foreign / "viktig.txt", "ikke slett")
    with pytest.raises(NavbokError, match="ikke en publisert navbok-mappe"):
        publish(build, foreign, NAMES)
    assert (foreign / "viktig.txt").is_file()
    out = tmp_path / "site"
    publish(build, out, NAMES)
    _write(out / "gammel.html", "x")
    publish(build, out, NAMES)  # its own folder: replaced whole
    assert not (out / "gammel.html").exists()
    assert not list(tmp_path.glob(".site.*"))


def test_cli_publish_check_and_bad_input(published: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["publish", "--check", str(published)])
    assert ok.exit_code == 0, ok.output
    assert "alle lenker finnes i mappen" in ok.output
    (published / "0001-baerum" / "search.html").unlink()
    (published / "index.html").write_text('<a href="0001-baerum/search.html">s</a>', "utf-8")
    bad = runner.invoke(app, ["publish", "--check", str(published)])
    assert bad.exit_code == 1
    assert "index.html: finnes ikke: 0001-baerum/search.html" in bad.output
    neither = runner.invoke(app, ["publish"])
    assert neither.exit_code == 1 and "oppgi enten --out" in neither.output
    assert "Traceback" not in neither.output
    empty = runner.invoke(app, ["publish", "--out", str(tmp_path / "x"), "--build-dir",
                                str(tmp_path / "ingen")])  # fmt: skip
    assert empty.exit_code == 1 and "bygg bøkene først" in empty.output


# --- many books: written by worker processes -----------------------------------------------

#: Enough books for the workers (folder.PARALLEL_FROM), each with its own name and pages.
MANY = {f"{i:04d}": f"Kommune {chr(ord('A') + i)}" for i in range(1, 13)}


_SHARE = folder_mod._publish_share


def _noting_share(job: Any, codes: list[str], site: bool) -> Any:
    """A worker's share, noting which process wrote it (sent to a worker by name)."""
    (Path(os.environ["NAVBOK_TEST_PIDS"]) / str(os.getpid())).touch()
    return _SHARE(job, codes, site)


def _dying_share(job: Any, codes: list[str], site: bool) -> Any:
    """A worker's share; the worker with the book 0005 dies (out of memory, a signal)."""
    if "0005" in codes:
        os._exit(9)
    return _SHARE(job, codes, site)


def _tree(folder: Path) -> dict[str, str]:
    """Every file of ``folder`` and the sha256 of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_workers_write_the_same_folder_as_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from navbok.site.publish.news import Edition

    build = _fake_build(tmp_path, MANY)
    # a book's own style sheet and another's script differ from the others' (their own names)
    _write(build / "0003" / "html" / "_static" / "styles" / "t.css", CSS + b"\n.own{}")
    _write(build / "0004" / "html" / "_static" / "navbok-vega.js", b"/* newer */" + VEGA)
    edition = Edition("2026-12-06", "2026-12-01", {"07459": "2026-11-01"}, ["2026-10"])
    serial = publish(build, tmp_path / "en", MANY, base_url=BASE, edition=edition, workers=1)

    pids = tmp_path / "pids"
    pids.mkdir()
    monkeypatch.setenv("NAVBOK_TEST_PIDS", str(pids))
    monkeypatch.setattr(folder_mod, "_publish_share", _noting_share)
    parallel = publish(build, tmp_path / "to", MANY, base_url=BASE, edition=edition, workers=2)
    writers = {p.name for p in pids.iterdir()}
    assert writers and str(os.getpid()) not in writers  # every share written by a worker

    one, two = _tree(tmp_path / "en"), _tree(tmp_path / "to")
    assert one == two
    assert len([f for f in one if f.startswith("_static/styles/t.")]) == 2
    assert len([f for f in one if f.startswith("_static/navbok-vega.")]) == 2
    newer = (tmp_path / "to" / "0004-kommune-e" / "chapters" / "aap.html").read_text("utf-8")
    (vega,) = re.findall(r"_static/navbok-vega\.\w+\.js", newer)
    assert (tmp_path / "to" / vega).read_bytes().startswith(b"/* newer */")
    assert "0003-kommune-d/chapters/aap.html" in one
    counts = ("files", "bytes", "shared_files", "shared_bytes", "book_files", "book_bytes")
    assert [getattr(serial, c) for c in counts] == [getattr(parallel, c) for c in counts]
    assert list(parallel.book_files) == list(MANY)
    assert not [p for p in (tmp_path / "to").rglob(".*") if p.name not in (".nojekyll", MARKER)]
    assert check_folder(tmp_path / "to") == []


def test_a_failing_worker_leaves_no_half_written_folder(tmp_path: Path) -> None:
    build = _fake_build(tmp_path, MANY)
    out = tmp_path / "site"
    publish(build, out, MANY, workers=2)  # an earlier edition
    before = _tree(out)
    page = build / "0007" / "html" / "chapters" / "aap.html"
    page.write_bytes(page.read_bytes().replace(b"AAP", b"A\xffP"))
    with pytest.raises(NavbokError) as failed:
        publish(build, out, MANY, base_url=BASE, workers=2)
    message = str(failed.value)
    assert "\n" not in message and str(page) in message and "ikke UTF-8" in message
    assert _tree(out) == before  # the earlier edition as it was
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_build", "site"]  # nothing beside it
    with pytest.raises(NavbokError):
        publish(build, tmp_path / "ny", MANY, workers=2)
    assert not (tmp_path / "ny").exists() and not list(tmp_path.glob(".ny.*"))


def test_a_worker_that_dies_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build = _fake_build(tmp_path, MANY)
    monkeypatch.setattr(folder_mod, "_publish_share", _dying_share)
    with pytest.raises(NavbokError, match="arbeidsprosess døde") as failed:
        publish(build, tmp_path / "site", MANY, workers=2)
    assert "\n" not in str(failed.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_build"]


def test_check_in_workers_finds_the_same_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from navbok.site.publish import check as check_mod

    out = tmp_path / "site"
    publish(_fake_build(tmp_path, MANY), out, MANY, workers=1)
    for i, page in enumerate(sorted(out.rglob("aap.html"))[::3]):
        text = page.read_text("utf-8").replace(
            "</body>", f'<img src="mangler{i}.png"><a href="/rot.html">r</a> /home/u/{i}</body>'
        )
        page.write_text(text, "utf-8")
    serial = check_folder(out, workers=1)
    monkeypatch.setattr(check_mod, "PARALLEL_FROM", 1)
    assert check_folder(out, workers=2) == serial
    assert len(serial) == 12 and serial == sorted(serial, key=lambda line: line.split(":")[0])


# --- the recorded books ------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
# Every chart drawn, and of the overview's maps (drawn on demand) the one shown.
_DRAWN = """() => {
  const drawn = el => el.querySelector('svg, canvas') !== null;
  const charts = Array.from(document.querySelectorAll('.navbok-chart'));
  const maps = Array.from(document.querySelectorAll('.navbok-map'));
  return [charts.length, charts.every(drawn), maps.length, maps.some(drawn)];
}"""


@pytest.fixture(scope="module")
def recorded_site(recorded_books: RecordedBooks, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from navbok.site.publish.news import Edition
    from navbok.snapshot import Snapshot

    out = tmp_path_factory.mktemp("publish") / "site"
    s = Snapshot.open(recorded_books.snapshot, verify=False)
    edition = Edition.of_snapshot(s.manifest, s.aap_periods(), "2026-12-06")
    stats = publish(recorded_books.build, out, {"3201": "Bærum", "1151": "Utsira", "0301": "Oslo"},
                    base_url=BASE, edition=edition)  # fmt: skip
    assert stats.books == 3
    return out


@pytest.mark.replay
def test_recorded_site_checks_and_is_small(recorded_site: Path) -> None:
    assert check_folder(recorded_site) == []
    intro = (recorded_site / "3201-baerum" / "chapters" / "intro.html").read_text("utf-8")
    assert "Dette er den første utgaven (publisert 6. desember 2026)" in intro
    files = _files(recorded_site)
    for folder in ("3201-baerum", "1151-utsira", "0301-oslo"):
        own = [f for f in files if f.startswith(folder + "/")]
        assert len(own) <= 20, own  # the file budget: 12 000 files for 357 books
        size = sum((recorded_site / f).stat().st_size for f in own)
        assert size < 1.1 * 1024 * 1024, (folder, size)  # the size budget: 400 MB for 357
    names = [re.sub(r"\.[0-9a-f]{10}(\.\w+)$", r"\1", f) for f in files if f.startswith("_static/")]
    assert len(names) == len(set(names))  # one copy of each shared file
    for f in files:
        if f.endswith(".html"):
            assert "data:application/vnd.openxml" not in (recorded_site / f).read_text("utf-8")


def open_offline(site: Path, pages: list[str], *, synthetic: bool) -> None:
    """Open ``pages`` of the published ``site`` in Chromium from disk, offline: every chart
    drawn (of the overview's maps the one shown), the demo notice shown when ``synthetic``, no
    request off the disk, no local file missing."""
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []
    failed: list[str] = []

    def guard(route, request) -> None:
        if request.url.startswith(("file://", "data:")):
            route.continue_()
        else:
            blocked.append(request.url)
            route.abort("blockedbyclient")

    shown = 0
    done = f"() => {{ const [c, a, m, s] = ({_DRAWN})(); return a && (m === 0 || s); }}"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            context = browser.new_context(offline=True)
            context.route("**/*", guard)
            for rel in pages:
                page = context.new_page()
                page.on("requestfailed", lambda r: failed.append(f"{r.url}: {r.failure}"))
                page.goto((site / rel).as_uri(), wait_until="load")
                if m := REFRESH.search((site / rel).read_text("utf-8")):  # a book's index.html
                    page.wait_for_url(((site / rel).parent / m.group(2)).resolve().as_uri())
                    page.wait_for_load_state("load")
                page.wait_for_function(done, timeout=15_000)
                charts, _, maps, _ = page.evaluate(_DRAWN)
                shown += charts + maps
                if synthetic:
                    assert page.get_by_text("DEMODATA").first.is_visible(), rel
                page.close()
        finally:
            browser.close()
    assert shown > 0
    assert not blocked, blocked
    assert not failed, failed


@pytest.mark.replay
@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed")
def test_recorded_site_draws_offline(recorded_site: Path, recorded_books: RecordedBooks) -> None:
    pages = ["index.html"] + [
        f"{folder}/{page}"
        for folder in ("3201-baerum", "1151-utsira", "0301-oslo")
        for page in ("index.html", "chapters/aap.html", "sammendrag.html")
    ]
    open_offline(recorded_site, pages, synthetic=recorded_books.synthetic)
