"""``navbok oppdater`` against the local fake of SSB, KLASS and NAV serving the mini replay.

Three cases, each from a snapshot fetched from the fake: nothing changed (no data asked, no
fetch, no build), one SSB table's ``updated`` moved (only that table downloaded, the books
built again, the new number in the snapshot), and NAV's new month (only NAV's new workbook
downloaded; the snapshot holds November). What the fake was asked is read from its log.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from urllib.parse import unquote

import minireplay
import pytest
from fake_services import serve_recording
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from navbok import snapshot as snap
from navbok.cli import app
from navbok.renew import renew, what_changed
from navbok.sources.http import HttpClient
from navbok.sources.live import LiveSource
from navbok.sources.origin import ENV_VAR

TABLE = "12210"  # a KOSTRA table of the mini replay
NEW_UPDATED = "2026-03-15T07:00:00Z"


@pytest.fixture
def served(mini_replay: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[
    tuple[Path, HTTPServer]
]:  # fmt: skip
    """A copy of the mini replay served as SSB, KLASS and NAV (without the AAP archive)."""
    root = Path(shutil.copytree(mini_replay, tmp_path / "services"))
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    monkeypatch.delenv(ENV_VAR, raising=False)
    for var, url in serve_recording(server, root).items():
        monkeypatch.setenv(var, url)
    monkeypatch.setattr("navbok.sources.live.HttpClient", partial(HttpClient, min_interval=0))
    try:
        yield root, server
    finally:
        server.clear()
        server.stop()


def _source() -> LiveSource:
    return LiveSource(HttpClient(min_interval=0))


def _snapshot(root: Path, tmp_path: Path) -> Path:
    return snap.fetch(_source(), tmp_path / "snapshot", nav_archive=root / "nav" / "arkiv")


def _asked(server: HTTPServer) -> list[str]:
    """The downloads the fake answered (data and workbooks; not the questions)."""
    paths = [unquote(req.path) for req, _ in server.log]
    return [p for p in paths if p.endswith("/data") or "/_/attachment/" in p]


def _a_build(tmp_path: Path, codes: tuple[str, ...] = ("0301", "3201")) -> Path:
    build = tmp_path / "_build"
    for code in codes:
        (build / code / "html").mkdir(parents=True)
        (build / code / "build.json").write_text(json.dumps({"book": "k"}), "utf-8")
        (build / code / "html" / "index.html").write_text("<p>bok</p>", "utf-8")
    return build


def test_nothing_changed_no_fetch_no_build(served, tmp_path: Path) -> None:
    root, server = served
    snapshot = _snapshot(root, tmp_path)
    checksum = snap.Snapshot.open(snapshot).checksum
    server.clear_log()
    built: list[list[str]] = []
    renewal = renew(_source(), snapshot, _a_build(tmp_path), build=built.append)
    assert not renewal.changed
    assert _asked(server) == []  # only /tables/{id} and NAV's page were asked
    assert any(req.path == f"/ssb/tables/{TABLE}" for req, _ in server.log)
    assert built == [] and renewal.rebuilt == []
    assert snap.Snapshot.open(snapshot).checksum == checksum
    assert renewal.lines()[0].startswith("Ingenting nytt hos SSB eller NAV")


def _bump_table(root: Path) -> None:
    """SSB publishes table TABLE again: a new ``updated`` and one value changed."""
    meta_path = root / "ssb" / f"{TABLE}.metadata.json"
    meta = json.loads(meta_path.read_text("utf-8"))
    meta["updated"] = NEW_UPDATED
    meta_path.write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
    data_path = root / "ssb" / f"{TABLE}.json"
    data = json.loads(data_path.read_text("utf-8"))
    data["updated"] = NEW_UPDATED
    i = next(i for i, v in enumerate(data["value"]) if v is not None)
    data["value"][i] = data["value"][i] + 1000
    data_path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")


def test_one_table_updated_fetches_only_it_and_rebuilds(served, tmp_path: Path) -> None:
    root, server = served
    snapshot = _snapshot(root, tmp_path)
    old = snap.Snapshot.open(snapshot)
    before = {name: old.raw(name) for name in old.files}  # the path is the new one after
    _bump_table(root)
    changes = what_changed(_source(), old)
    assert [(c.table, c.new) for c in changes.tables] == [(TABLE, NEW_UPDATED)]
    assert changes.nav is None
    server.clear_log()
    built: list[list[str]] = []
    renewal = renew(_source(), snapshot, _a_build(tmp_path), build=built.append)
    assert renewal.changed
    asked = _asked(server)
    assert asked and all(p == f"/ssb/tables/{TABLE}/data" for p in asked), asked
    assert built == [["0301", "3201"]] and renewal.rebuilt == ["0301", "3201"]
    new = snap.Snapshot.open(snapshot)
    assert new.table_info(TABLE)["updated"] == NEW_UPDATED
    assert new.raw(f"ssb/{TABLE}.json") != before[f"ssb/{TABLE}.json"]
    for name, content in before.items():  # everything else is the old snapshot's, byte for byte
        if not name.startswith(f"ssb/{TABLE}") and name != "manifest.json":
            assert new.raw(name) == content, name
    lines = renewal.lines()
    assert lines[0].startswith(f"SSB-tabell {TABLE} er oppdatert 15. mars 2026"), lines
    assert lines[-1] == "Bygget på nytt: 2 bøker."


def test_nav_new_month(served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root, server = served
    snapshot = _snapshot(root, tmp_path)
    assert snap.Snapshot.open(snapshot).aap_periods()[-1] == "2025-10"
    monkeypatch.setattr(minireplay, "AAP_CURRENT_MONTHS", 11)
    href = "/_/attachment/inline/1111-mini:def/AAP155%20Mottakere.xlsx"
    (root / "nav" / unquote(href[1:])).parent.mkdir(parents=True)
    (root / "nav" / unquote(href[1:])).write_bytes(minireplay.aap_workbook(2025))
    page = root / "nav" / "aap-statistikk.html"
    page.write_text(page.read_text("utf-8").replace(minireplay.AAP_HREF[:-5], href[:-5]), "utf-8")
    server.clear_log()
    renewal = renew(_source(), snapshot, tmp_path / "ingen-bygg")
    assert renewal.nav is not None and renewal.nav[1] == href
    assert renewal.tables == []
    assert _asked(server) == ["/nav" + unquote(href)]
    # (the price table the mini replay lacks is asked for again: it may be there now)
    assert [a for a in renewal.asked if not a.endswith("metadata")] == ["NAV AAP155"]
    assert snap.Snapshot.open(snapshot).aap_periods()[-1] == "2025-11"
    assert "NAV har publisert en ny AAP155-fil" in "\n".join(renewal.lines())


def test_cli_oppdater_says_nothing_new(served, tmp_path: Path) -> None:
    root, _ = served
    snapshot = _snapshot(root, tmp_path)
    result = CliRunner().invoke(
        app, ["oppdater", "--snapshot", str(snapshot), "--build-dir", str(tmp_path / "b")]
    )
    assert result.exit_code == 0, result.output
    assert "Ingenting nytt hos SSB eller NAV" in result.output
