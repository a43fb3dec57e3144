"""Limits that hold, and redirects that stay home (issue 26, items 5 and 7).

Headers sent one byte at a time, a body held open, a bound on the whole fetch, a workbook that
unpacks to hundreds of megabytes, a params file of YAML aliases; a redirect to another host,
a redirect loop. The servers are on 127.0.0.1 (tests/fake_services.py), every case is bounded
to seconds, ends in one line and leaves the previous snapshot byte for byte as it was.
"""

from __future__ import annotations

import io
import json
import shutil
import time
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from fake_pxweb import FakeTime
from fake_services import (
    RawServer,
    elsewhere,
    fault,
    other_host,
    redirect_loop,
    serve_recording,
    slow_headers,
)
from minireplay import AAP_HREF, aap_workbook
from pytest_httpserver import HTTPServer
from test_snapshot import leftovers, tree
from werkzeug import Request, Response

from navbok import snapshot as snap
from navbok.errors import ConfigError, ParseError, SourceError
from navbok.params import load_params
from navbok.snapshot import Snapshot
from navbok.sources import nav
from navbok.sources.http import FetchTimeout, HttpClient, RedirectRefused
from navbok.sources.live import LiveSource
from navbok.sources.origin import RecordedSource

CODES_AT = r"/klass/classifications/131/codesAt"
CODES_AT_NAME = "klass/131-codesAt-2015-01-01.json"
WORKBOOK = r"/nav/_/attachment/"
CURRENT_AAP = "nav/" + unquote(AAP_HREF[1:])


@pytest.fixture
def snapshot_copy(mini_snapshot: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "data" / "snapshot"
    shutil.copytree(mini_snapshot, dest)
    return dest


def serve(
    httpserver: HTTPServer, root: Path, monkeypatch: pytest.MonkeyPatch, *faults: Any
) -> dict[str, str]:
    env = serve_recording(httpserver, root, faults=faults)
    for var, url in env.items():
        monkeypatch.setenv(var, url)
    return env


def one_line(message: str) -> str:
    assert "\n" not in message and "Traceback" not in message, message
    return message


# -- one deadline per request, the bound on the whole fetch ----------------------------------------


def test_klass_sending_its_headers_byte_by_byte_is_given_up_at_the_deadline(
    httpserver: HTTPServer, mini_replay: Path, snapshot_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve(httpserver, mini_replay, monkeypatch)
    before = tree(snapshot_copy)
    with RawServer(slow_headers(every=0.1)) as raw:
        monkeypatch.setenv("NAVBOK_KLASS_URL", raw.url("/klass"))
        http = HttpClient(min_interval=0, max_tries=1, request_deadline=1.0)
        start = time.monotonic()
        with pytest.raises(SourceError) as info:
            snap.fetch(LiveSource(http=http), snapshot_copy)
        assert time.monotonic() - start < 8.0  # SSB's answers, then one second of KLASS
    message = one_line(str(info.value))
    assert "KLASS-kommuneliste 2015-01-01" in message
    assert "the answer was not complete after 1 s (the server sends too slowly)" in message
    assert tree(snapshot_copy) == before and leftovers(snapshot_copy.parent) == []


def test_max_tid_holds_while_the_headers_trickle_in(
    snapshot_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tree(snapshot_copy)
    with RawServer(slow_headers(every=0.1)) as raw:
        monkeypatch.setenv("NAVBOK_SSB_URL", raw.url("/ssb"))
        source = LiveSource(http=HttpClient(min_interval=0))  # a request deadline of 180 s
        start = time.monotonic()
        with pytest.raises(FetchTimeout) as info:
            snap.fetch(source, snapshot_copy, max_time=1.0)
        assert time.monotonic() - start < 3.0
    message = one_line(str(info.value))
    assert message.startswith("Tiden for hentingen er brukt opp mens svaret ble lest (metadata")
    assert "ingenting er endret" in message and "--max-tid" in message
    assert tree(snapshot_copy) == before and leftovers(snapshot_copy.parent) == []


# -- redirects -------------------------------------------------------------------------------------


def test_a_redirect_to_another_host_is_refused(
    httpserver: HTTPServer, mini_replay: Path, snapshot_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = serve(httpserver, mini_replay, monkeypatch, fault(WORKBOOK, elsewhere()))
    before = tree(snapshot_copy)
    http = HttpClient(min_interval=0, max_tries=5, sleep=FakeTime().sleep)
    with pytest.raises(RedirectRefused) as info:
        snap.fetch(LiveSource(http=http), snapshot_copy)
    message = one_line(str(info.value))
    assert message.startswith("Tjenesten sendte NAVs AAP155-arbeidsbok videre til en annen vert")
    assert unquote(other_host(env["NAVBOK_NAV_URL"] + AAP_HREF)) in message
    assert tree(snapshot_copy) == before and leftovers(snapshot_copy.parent) == []


def test_a_redirect_loop_is_named_and_not_retried(
    httpserver: HTTPServer, mini_replay: Path, snapshot_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loop = fault(CODES_AT, redirect_loop())
    serve(httpserver, mini_replay, monkeypatch, loop)
    before = tree(snapshot_copy)
    fake = FakeTime()
    http = HttpClient(min_interval=0, max_tries=5, sleep=fake.sleep, clock=fake.clock)
    with pytest.raises(RedirectRefused) as info:
        snap.fetch(LiveSource(http=http), snapshot_copy)
    message = one_line(str(info.value))
    assert "sendte KLASS-kommuneliste 2015-01-01 i en omdirigeringsløkke" in message
    assert "ikke forsøkt igjen" in message
    assert loop.hits == 1 and fake.sleeps == []
    assert tree(snapshot_copy) == before and leftovers(snapshot_copy.parent) == []


def test_a_redirect_on_the_same_host_is_followed_and_the_manifest_names_who_answered(
    httpserver: HTTPServer, mini_replay: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def moved(request: Request) -> Response:
        return Response("", status=301, headers={"Location": request.url + "&flyttet=1"})

    serve(httpserver, mini_replay, monkeypatch, fault(CODES_AT, moved, times=1))
    dest = snap.fetch(LiveSource(http=HttpClient(min_interval=0)), tmp_path / "snapshot")
    entries = {e["name"]: e for e in json.loads((dest / "manifest.json").read_text())["files"]}
    assert entries[CODES_AT_NAME]["origin"].endswith("?date=2015-01-01&flyttet=1")
    assert entries[CODES_AT_NAME]["query"] == {"date": "2015-01-01"}  # what was asked


# -- workbooks: measured before they are read, read once -------------------------------------------


def inflated(content: bytes, padding: int) -> bytes:
    """``content`` with ``padding`` bytes of blanks inside the count sheet's XML (valid XML,
    well compressed: a «zip bomb» of a few hundred kB)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b"</worksheet>", b" " * padding + b"</worksheet>")
            dst.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def with_sheet_rows(content: bytes, rows: bytes) -> bytes:
    """``content`` with ``rows`` (XML) appended to the count sheet's data."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b"</sheetData>", rows + b"</sheetData>")
            dst.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


@pytest.fixture(scope="module")
def book() -> bytes:
    return aap_workbook(2025)


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_read(book: bytes) -> None:
    bomb = inflated(book, 60 * 1024**2)
    assert len(bomb) < 1024**2  # under a megabyte packed
    start = time.monotonic()
    with pytest.raises(ParseError) as info:
        nav.read_aap155(bomb, where="AAP155 x")
    assert time.monotonic() - start < 2.0
    message = one_line(str(info.value))
    assert message.startswith("AAP155 x: the workbook (")
    assert "unpacks to 60.0 MB" in message and "more than navbok reads (32.0 MB" in message


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (b'<row r="1048576"><c r="B1048576" t="inlineStr"><is><t>x</t></is></c></row>',
         "reaches row 1,048,576, more than navbok reads (5,000 rows)"),
        (b"".join(b"<row/>" for _ in range(6000)), "reaches row 5,001"),
        (b'<row r="200"><c r="ZZ200"><v>1</v></c></row>', "has a cell ZZ200, outside the"),
    ],
)  # fmt: skip
def test_a_sheet_with_too_many_rows_or_columns_is_refused(
    book: bytes, rows: bytes, expected: str
) -> None:
    with pytest.raises(ParseError) as info:
        nav.read_aap155(with_sheet_rows(book, rows), where="AAP155 x")
    message = one_line(str(info.value))
    assert "AAP155 x: the sheet xl/worksheets/sheet2.xml" in message and expected in message


def test_a_bomb_from_nav_leaves_the_snapshot_as_it_was(
    mini_replay: Path, snapshot_copy: Path, tmp_path: Path
) -> None:
    rec = shutil.copytree(mini_replay, tmp_path / "rec")
    path = rec / CURRENT_AAP
    path.write_bytes(inflated(path.read_bytes(), 40 * 1024**2))
    before = tree(snapshot_copy)
    start = time.monotonic()
    with pytest.raises(ParseError, match="unpacks to 40.0 MB"):
        snap.fetch(RecordedSource(rec), snapshot_copy)
    assert time.monotonic() - start < 10.0
    assert tree(snapshot_copy) == before and leftovers(snapshot_copy.parent) == []


def test_each_workbook_is_parsed_once_per_fetch(
    mini_replay: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl

    opened: list[int] = []
    real = openpyxl.load_workbook

    def counting(*args: Any, **kwargs: Any) -> Any:
        opened.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", counting)
    monkeypatch.setattr(nav, "_read", type(nav._read)())  # nothing read before this fetch
    archive = mini_replay / "nav" / "arkiv"
    dest = snap.fetch(RecordedSource(mini_replay), tmp_path / "snapshot", nav_archive=archive)
    s = Snapshot.open(dest)
    assert len(s.aap_periods()) == 10 * 12 + 10  # as `navbok fetch` lists them
    assert len(opened) == len(s.aap_years()) == 11  # 2015–2024 from the archive, 2025 from NAV


# -- params: no YAML anchors or aliases ------------------------------------------------------------

LAUGHS = "\n".join(
    ["kommune: '3201'", "a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    + ["neighbours: *a8"]
)


@pytest.mark.parametrize(
    ("text", "line", "what"),
    [
        (LAUGHS, 2, "ankeret &a0"),
        ("kommune: '3201'\nname: &n Bærum\ntitle: *n\n", 2, "ankeret &n"),
        ("kommune: '3201'\nneighbours: *n\n", 2, "aliaset *n"),
    ],
)
def test_a_params_file_with_anchors_or_aliases_is_refused(
    tmp_path: Path, text: str, line: int, what: str
) -> None:
    path = tmp_path / "3201.yml"
    path.write_text(text, "utf-8")
    with pytest.raises(ConfigError) as info:
        load_params(path)
    assert one_line(str(info.value)) == (
        f"{path}, linje {line}: YAML-ankere og -aliaser (&navn, *navn) er ikke tillatt i en "
        f"params-fil ({what}); skriv verdien ut der den trengs."
    )


def test_a_star_or_an_ampersand_in_a_text_is_no_alias(tmp_path: Path) -> None:
    path = tmp_path / "3201.yml"
    path.write_text("kommune: '3201'\nname: Bærum\ntitle: 'NAV * Bærum & Asker'\n", "utf-8")
    assert load_params(path).title == "NAV * Bærum & Asker"
