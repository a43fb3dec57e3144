"""The snapshot: manifest, verification, atomic fetch, and the live path through fake servers."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fake_pxweb import serve_datasets
from minireplay import build_minireplay
from pytest_httpserver import HTTPServer

from navbok import snapshot as snap
from navbok.data import NavData
from navbok.errors import ParseError, SnapshotError, SourceError
from navbok.snapshot import Snapshot
from navbok.sources import klass, nav
from navbok.sources.catalogue import catalogue
from navbok.sources.http import HttpClient
from navbok.sources.origin import LiveSource, RecordedSource

TABLES = ["07459", "13138", "13995", "12210", "14019"]


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes."""
    paths = sorted(p for p in root.rglob("*") if p.is_file())
    return {str(p.relative_to(root)): p.read_bytes() for p in paths}


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


@pytest.fixture
def snapshot_copy(mini_snapshot: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "data" / "snapshot"
    shutil.copytree(mini_snapshot, dest)
    return dest


# -- manifest and verification --------------------------------------------------------------------


def test_manifest(mini_replay: Path, mini_snapshot: Path) -> None:
    manifest = json.loads((mini_snapshot / "manifest.json").read_text("utf-8"))
    assert manifest["format"] == 1
    assert manifest["source"] == f"opptak i {mini_replay}"
    entries = {e["name"]: e for e in manifest["files"]}
    cat = catalogue()
    assert len(entries) == len(TABLES) + len(cat.codes_at) + 1 + 2 + len(cat.aap_periods)
    assert set(tree(mini_snapshot)) == {*entries, "manifest.json"}
    for name, e in entries.items():
        content = (mini_snapshot / name).read_bytes()
        assert e["sha256"] == hashlib.sha256(content).hexdigest()
        assert e["bytes"] == len(content)
        assert content == (mini_replay / name).read_bytes()
        assert e["origin"] == f"file:{(mini_replay / name).resolve()}"
    synthetic = sorted(n for n, e in entries.items() if e["synthetic"])
    assert synthetic == sorted(
        [f"ssb/{t}.json" for t in TABLES[1:]]
        + ["klass/kostragrupper-2019.json", "klass/kostragrupper-2024.json"]
        + [f"nav/aap-kommune-{p}.csv" for p in cat.aap_periods]
    )  # 07459 and the KLASS registers are not flagged
    assert manifest["synthetic"] is True
    assert entries["ssb/13138.json"]["request"] == "SSB 13138"


def test_manifest_of_non_synthetic_data(tmp_path: Path) -> None:
    source = build_minireplay(tmp_path / "real", synthetic=False)
    s = Snapshot.open(snap.fetch(RecordedSource(source), tmp_path / "snapshot"))
    assert not s.synthetic and s.synthetic_files == []
    assert s.manifest["synthetic"] is False


def test_open_verifies(mini_snapshot: Path) -> None:
    s = Snapshot.open(mini_snapshot)
    assert s.register_dates() == ["2015-01-01", "2020-01-01", "2024-01-01", "2026-01-01"]
    assert s.aap_periods() == sorted(catalogue().aap_periods)
    assert s.ssb_names("13138") == ["ssb/13138.json"]
    assert len(s.checksum) == 64
    with pytest.raises(SnapshotError, match="has no ssb/99999.json"):
        s.raw("ssb/99999.json")


def test_corrupt_file_is_named(snapshot_copy: Path) -> None:
    path = snapshot_copy / "ssb" / "13995.json"
    data = bytearray(path.read_bytes())
    data[100] ^= 1  # one bit of one byte
    path.write_bytes(bytes(data))
    with pytest.raises(SnapshotError, match=r"13995\.json is corrupt: its sha256 does not match"):
        Snapshot.open(snapshot_copy)
    Snapshot.open(snapshot_copy, verify=False)  # opening without verification still works


def test_deleted_file_is_named(snapshot_copy: Path) -> None:
    (snapshot_copy / "nav" / "aap-kommune-2021-02.csv").unlink()
    with pytest.raises(SnapshotError, match=r"aap-kommune-2021-02\.csv is missing"):
        Snapshot.open(snapshot_copy)


def test_missing_or_bad_manifest(tmp_path: Path, snapshot_copy: Path) -> None:
    with pytest.raises(SnapshotError, match="No snapshot at .*Run `navbok fetch` first"):
        Snapshot.open(tmp_path / "nothing")
    (snapshot_copy / "manifest.json").write_text('{"files": ', "utf-8")
    with pytest.raises(SnapshotError, match="is not a valid navbok manifest"):
        Snapshot.open(snapshot_copy)


def test_chunk_names_in_numeric_order(snapshot_copy: Path) -> None:
    manifest = json.loads((snapshot_copy / "manifest.json").read_text("utf-8"))
    names = [f"ssb/99999_part{k}.json" for k in (10, 2, 1)]
    manifest["files"] += [{**manifest["files"][0], "name": n} for n in names]
    s = Snapshot(snapshot_copy, manifest)
    assert s.ssb_names("99999") == names[::-1]


# -- atomic fetch ---------------------------------------------------------------------------------


class Interrupting:
    """A source whose ``at``-th request raises ``exc``."""

    def __init__(self, inner: Any, at: int, exc: BaseException) -> None:
        self.inner, self.at, self.exc, self.calls = inner, at, exc, 0
        self.description = "interrupting"

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.inner, name)

        def call(*args: Any) -> Any:
            self.calls += 1
            if self.calls == self.at:
                raise self.exc
            return method(*args)

        return call


@pytest.mark.parametrize("exc", [KeyboardInterrupt(), SourceError("HTTP 503 from SSB")])
def test_interrupted_fetch_keeps_the_old_snapshot(
    mini_replay: Path, snapshot_copy: Path, exc: BaseException
) -> None:
    before = tree(snapshot_copy)
    source = Interrupting(RecordedSource(mini_replay), 3, exc)
    with pytest.raises(type(exc)):
        snap.fetch(source, snapshot_copy)
    assert source.calls == 3
    assert tree(snapshot_copy) == before
    assert leftovers(snapshot_copy.parent) == []  # no .snapshot-tmp-* or .snapshot-old-*
    Snapshot.open(snapshot_copy)


def test_unparsable_response_aborts_the_fetch(tmp_path: Path, snapshot_copy: Path) -> None:
    bad = build_minireplay(tmp_path / "bad", truncate="ssb/13995.json")
    before = tree(snapshot_copy)
    with pytest.raises(ParseError, match=r"ssb/13995\.json: not valid JSON"):
        snap.fetch(RecordedSource(bad), snapshot_copy)
    assert tree(snapshot_copy) == before
    assert leftovers(snapshot_copy.parent) == []


def test_truncated_aap_table_aborts_the_fetch(tmp_path: Path, snapshot_copy: Path) -> None:
    bad = build_minireplay(tmp_path / "bad")
    path = bad / "nav" / "aap-kommune-2024-12.csv"
    lines = path.read_bytes().split(b"\r\n")
    path.write_bytes(b"\r\n".join(lines[:6]) + b"\r\n")  # title, source, header, 3 rows
    before = tree(snapshot_copy)
    with pytest.raises(ParseError, match=r"aap-kommune-2024-12\.csv: no «Landet» row"):
        snap.fetch(RecordedSource(bad), snapshot_copy)
    assert tree(snapshot_copy) == before


def test_fetch_into_a_new_directory_and_over_an_old_one(mini_replay: Path, tmp_path: Path) -> None:
    dest = tmp_path / "a" / "b" / "snapshot"
    snap.fetch(RecordedSource(mini_replay), dest)
    first = tree(dest)
    (dest / "stray.txt").write_text("from an older snapshot")
    snap.fetch(RecordedSource(mini_replay), dest)
    assert "stray.txt" not in tree(dest)  # replaced whole, not merged
    assert {k: v for k, v in tree(dest).items() if k != "manifest.json"} == {
        k: v for k, v in first.items() if k != "manifest.json"
    }
    assert leftovers(dest.parent) == []


# -- the live path --------------------------------------------------------------------------------


def sorted_frame(frame: pd.DataFrame, dims: list[str]) -> pd.DataFrame:
    return frame.sort_values(dims).reset_index(drop=True)


def test_live_path_gives_the_same_data_as_the_recorded_path(
    httpserver: HTTPServer,
    mini_replay: Path,
    mini_snapshot: Path,
    mini_data: NavData,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    datasets = {t: json.loads((mini_replay / "ssb" / f"{t}.json").read_bytes()) for t in TABLES}
    base = serve_datasets(httpserver, datasets)
    cat = catalogue()

    def serve(path: str, name: str, query: dict[str, str]) -> None:
        body = (mini_replay / name).read_bytes()
        httpserver.expect_request(path, query_string=query).respond_with_data(body)

    for date in cat.codes_at:
        serve("/klass/codesAt", f"klass/131-codesAt-{date}.json", {"date": date})
    date_from, date_to = cat.changes
    serve("/klass/changes", f"klass/131-changes-{date_from}-{date_to}.json",
          {"from": date_from, "to": date_to})  # fmt: skip
    for year in cat.kostra_groups:
        serve("/klass/kostra", f"klass/kostragrupper-{year}.json", {"year": str(year)})
    for period in cat.aap_periods:
        serve(f"/nav/aap-{period}.csv", f"nav/aap-kommune-{period}.csv", {})
    url = httpserver.url_for
    monkeypatch.setattr(klass, "codes_at_url", lambda d: (url("/klass/codesAt"), {"date": d}))
    monkeypatch.setattr(
        klass, "changes_url", lambda a, b: (url("/klass/changes"), {"from": a, "to": b})
    )
    monkeypatch.setattr(
        klass, "kostra_groups_url", lambda y: (url("/klass/kostra"), {"year": str(y)})
    )
    monkeypatch.setattr(nav, "aap_url", lambda p: (url(f"/nav/aap-{p}.csv"), {}))

    source = LiveSource(pxweb_base=base, http=HttpClient(min_interval=0, max_tries=1))
    source.pxweb.max_cells = 1000  # forces chunks: ssb/<table>_part<k>.json
    live = Snapshot.open(snap.fetch(source, tmp_path / "live"))
    recorded = Snapshot.open(mini_snapshot)

    assert live.ssb_names("13138") == [f"ssb/13138_part{k}.json" for k in range(1, 8)]
    entry = live.files["ssb/13138_part1.json"]
    assert entry.origin.startswith(f"{base}/tables/13138/data?")
    assert entry.query["valueCodes[Tid]"] == "2015"
    assert live.files["klass/131-codesAt-2020-01-01.json"].query == {"date": "2020-01-01"}
    assert live.synthetic and "ssb/13138_part7.json" in live.synthetic_files
    for t in TABLES:
        a, b = live.ssb(t), recorded.ssb(t)
        assert a.dims == b.dims and a.labels == b.labels and a.synthetic == b.synthetic
        pd.testing.assert_frame_equal(sorted_frame(a.frame, a.dims), sorted_frame(b.frame, b.dims))
    for date in cat.codes_at:
        pd.testing.assert_frame_equal(live.codes_at(date), recorded.codes_at(date))
    pd.testing.assert_frame_equal(live.changes(), recorded.changes())
    for year in cat.kostra_groups:
        pd.testing.assert_frame_equal(live.kostra_groups(year)[0], recorded.kostra_groups(year)[0])
    for period in cat.aap_periods:
        pd.testing.assert_frame_equal(live.aap(period), recorded.aap(period))
    data = NavData.load(live.root, cache_dir=None)
    pd.testing.assert_frame_equal(data.values, mini_data.values)
    keys = ["measure", "region", "year"]
    pd.testing.assert_frame_equal(
        sorted_frame(data.measures, keys), sorted_frame(mini_data.measures, keys)
    )
