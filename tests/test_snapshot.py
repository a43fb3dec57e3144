"""The snapshot: manifest, verification, atomic fetch, and the live path through fake servers."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fake_services import serve_recording
from minireplay import AAP_CURRENT, AAP_YEARS, build_minireplay
from pytest_httpserver import HTTPServer

from navbok import snapshot as snap
from navbok.completeness import IncompleteFetch, accepted_gaps
from navbok.data import NavData
from navbok.errors import ParseError, SnapshotError, SourceError
from navbok.snapshot import Snapshot
from navbok.sources.catalogue import catalogue
from navbok.sources.http import HttpClient
from navbok.sources.live import LiveSource
from navbok.sources.origin import RecordedSource

TABLES = ["07459", "13138", "13995", "12210", "12213", "14019"]


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
    assert manifest["format"] == 2
    assert manifest["source"] == f"opptak i {mini_replay}"
    entries = {e["name"]: e for e in manifest["files"]}
    cat = catalogue()
    expected = (
        [f"ssb/{t}.metadata.json" for t in TABLES]
        + [f"ssb/{t}.json" for t in TABLES]
        + [f"klass/131-codesAt-{d}.json" for d in cat.codes_at]
        + ["klass/131-changes-2015-01-01-2025-01-01.json"]
        + [f"klass/112-correspondsAt-131-{d}.json" for d in cat.kostra_groups]
        + [f"nav/AAP155-{y}.xlsx" for y in AAP_YEARS]
    )
    assert sorted(entries) == sorted(expected)
    assert set(tree(mini_snapshot)) == {*entries, "manifest.json"}
    for name, e in entries.items():
        content = (mini_snapshot / name).read_bytes()
        assert e["sha256"] == hashlib.sha256(content).hexdigest()
        assert e["bytes"] == len(content)
        if name.endswith(".metadata.json") or name.startswith("klass/"):
            assert content == (mini_replay / name).read_bytes()
            assert e["origin"] == f"file:{(mini_replay / name).resolve()}"
    # The workbooks: the current year from NAV's page, the others from the archive.
    assert entries[f"nav/AAP155-{AAP_CURRENT}.xlsx"]["request"] == "NAV AAP155"
    assert entries["nav/AAP155-2019.xlsx"]["request"] == "NAV AAP155 (arkiv)"
    synthetic = sorted(n for n, e in entries.items() if e["synthetic"])
    assert synthetic == sorted(
        n for n in expected if not n.startswith(("ssb/07459", "klass/131"))
    )  # 07459 and the KLASS registers are not flagged
    assert manifest["synthetic"] is True
    assert entries["ssb/13138.json"]["request"] == "SSB 13138"


def test_only_the_resolved_contents_are_fetched(mini_snapshot: Path) -> None:
    s = Snapshot.open(mini_snapshot)
    resolved = {r.code for r in s.resolutions if r.table == "13138" and r.status == "resolved"}
    fetched = set(s.ssb("13138").frame["ContentsCode"])
    assert fetched == resolved
    assert "XKOSsosant67over0000" not in fetched  # no measure needs 67+
    info = s.table_info("13995")
    assert info["title"].startswith("13995: Sosialhjelpstilfeller")
    assert info["updated"] == "2025-06-12T06:00:00Z" and info["years"] == [2022, 2023, 2024]
    r = next(r for r in s.resolutions if r.measure == "mottakere_18_24" and r.table == "13995")
    assert (r.code, r.label, r.unit) == (
        "XKOSsosant18240000",
        "Sosialhjelpstilfeller 18-24 år (antall)",
        "personer",
    )


def test_manifest_of_non_synthetic_data(tmp_path: Path) -> None:
    source = build_minireplay(tmp_path / "real", synthetic=False)
    dest = snap.fetch(RecordedSource(source), tmp_path / "snapshot",
                      nav_archive=source / "nav" / "arkiv")  # fmt: skip
    s = Snapshot.open(dest)
    assert not s.synthetic and s.synthetic_files == []
    assert s.manifest["synthetic"] is False


def test_open_verifies(mini_snapshot: Path) -> None:
    s = Snapshot.open(mini_snapshot)
    assert s.register_dates() == ["2015-01-01", "2020-01-01", "2024-01-01", "2026-01-01"]
    assert s.aap_years() == list(AAP_YEARS)
    assert s.aap_periods()[-1] == f"{AAP_CURRENT}-10" and len(s.aap_periods()) == 10 * 12 + 10
    assert s.ssb_names("13138") == ["ssb/13138.json"]
    assert len(s.checksum) == 64
    with pytest.raises(SnapshotError, match="has no ssb/99999.json"):
        s.raw("ssb/99999.json")


def test_an_old_snapshot_format_says_fetch_again(snapshot_copy: Path) -> None:
    path = snapshot_copy / "manifest.json"
    manifest = json.loads(path.read_text("utf-8"))
    path.write_text(json.dumps({**manifest, "format": 1}), "utf-8")
    with pytest.raises(SnapshotError, match="older navbok .*Fetch again with `navbok fetch`"):
        Snapshot.open(snapshot_copy)


def test_corrupt_file_is_named(snapshot_copy: Path) -> None:
    path = snapshot_copy / "ssb" / "13995.json"
    data = bytearray(path.read_bytes())
    data[100] ^= 1  # one bit of one byte
    path.write_bytes(bytes(data))
    with pytest.raises(SnapshotError, match=r"13995\.json is corrupt: its sha256 does not match"):
        Snapshot.open(snapshot_copy)
    Snapshot.open(snapshot_copy, verify=False)  # opening without verification still works


def test_deleted_file_is_named(snapshot_copy: Path) -> None:
    (snapshot_copy / "nav" / "AAP155-2021.xlsx").unlink()
    with pytest.raises(SnapshotError, match=r"AAP155-2021\.xlsx is missing"):
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

        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            if self.calls == self.at:
                raise self.exc
            return method(*args, **kwargs)

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


def test_truncated_aap_workbook_aborts_the_fetch(tmp_path: Path, snapshot_copy: Path) -> None:
    bad = build_minireplay(tmp_path / "bad")
    path = next((bad / "nav" / "_").rglob("*.xlsx"))
    path.write_bytes(path.read_bytes()[:2000])
    before = tree(snapshot_copy)
    with pytest.raises(ParseError, match="AAP155"):
        snap.fetch(RecordedSource(bad), snapshot_copy)
    assert tree(snapshot_copy) == before


def test_a_new_fetch_keeps_the_aap_years_of_the_old_snapshot(
    mini_replay: Path, snapshot_copy: Path
) -> None:
    """NAV serves only the current year: the years fetched before stay in the snapshot."""
    before = tree(snapshot_copy)
    snap.fetch(RecordedSource(mini_replay), snapshot_copy)  # no archive this time
    after = Snapshot.open(snapshot_copy)
    assert after.aap_years() == list(AAP_YEARS)
    assert tree(snapshot_copy)["nav/AAP155-2019.xlsx"] == before["nav/AAP155-2019.xlsx"]
    kept = after.files["nav/AAP155-2019.xlsx"]
    assert kept.origin.endswith("nav/arkiv/AAP155-2019.xlsx")
    # A first fetch without archive has the current year only.
    fresh = Snapshot.open(snap.fetch(RecordedSource(mini_replay), snapshot_copy.parent / "new"))
    assert fresh.aap_years() == [AAP_CURRENT]


def test_a_required_measure_ssb_does_not_publish_refuses_the_fetch_unless_accepted(
    tmp_path: Path,
) -> None:
    root = build_minireplay(tmp_path / "rec")
    meta_path = root / "ssb" / "13995.metadata.json"
    meta = json.loads(meta_path.read_bytes())
    contents = meta["dimension"]["ContentsCode"]["category"]
    gone = "XKOSstonadmnd0000"
    codes = [c for c in contents["index"] if c != gone]
    contents["index"] = {c: i for i, c in enumerate(codes)}
    contents["label"].pop(gone)
    meta["size"][meta["id"].index("ContentsCode")] = len(codes)
    meta_path.write_text(json.dumps(meta), "utf-8")
    with pytest.raises(IncompleteFetch, match="målet stonadsmaaneder, som kapitlene trenger"):
        snap.fetch(RecordedSource(root), tmp_path / "snapshot")  # as `navbok kilder` says
    assert not (tmp_path / "snapshot").exists()
    s = Snapshot.open(snap.fetch(RecordedSource(root), tmp_path / "snapshot", accept_gaps=True))
    r = next(r for r in s.resolutions if r.measure == "stonadsmaaneder" and r.table == "13995")
    assert r.status == "missing" and r.candidates  # the closest labels are named
    assert gone not in set(s.ssb("13995").frame["ContentsCode"])
    assert [g for g in accepted_gaps(s.manifest) if "stonadsmaaneder" in g]


def test_a_pinned_code_with_another_label_stops_the_fetch(
    tmp_path: Path, snapshot_copy: Path
) -> None:
    root = build_minireplay(tmp_path / "rec")
    meta_path = root / "ssb" / "13995.metadata.json"
    meta = json.loads(meta_path.read_bytes())
    labels = meta["dimension"]["ContentsCode"]["category"]["label"]
    labels["KOSsosantkliente0000"] = "Sosialhjelpstilfeller per 1 000 innbyggere"
    meta_path.write_text(json.dumps(meta), "utf-8")
    before = tree(snapshot_copy)
    with pytest.raises(
        SourceError,
        match="faste ContentsCode KOSsosantkliente0000 i "
        "SSB-tabell 13995 har ikke lenger den forventede etiketten",
    ):
        snap.fetch(RecordedSource(root), snapshot_copy)
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


def assert_same_snapshot_data(live: Snapshot, recorded: Snapshot) -> None:
    """Both snapshots hold the same data: SSB cells, KLASS bodies, AAP workbooks, resolution."""
    cat = catalogue()
    assert live.resolutions == recorded.resolutions
    for t in [t.table for t in cat.ssb]:
        assert live.has_table(t) == recorded.has_table(t), t
        if not live.has_table(t):  # an optional table (prices) neither source has
            continue
        a, b = live.ssb(t), recorded.ssb(t)
        assert a.dims == b.dims and a.labels == b.labels and a.synthetic == b.synthetic
        pd.testing.assert_frame_equal(sorted_frame(a.frame, a.dims), sorted_frame(b.frame, b.dims))
        assert live.metadata(t) == recorded.metadata(t)
    for date in cat.codes_at:
        pd.testing.assert_frame_equal(live.codes_at(date), recorded.codes_at(date))
    pd.testing.assert_frame_equal(live.changes(), recorded.changes())
    for date in cat.kostra_groups:
        pd.testing.assert_frame_equal(live.kostra_groups(date)[0], recorded.kostra_groups(date)[0])
    assert live.aap_years() == recorded.aap_years()
    for year in live.aap_years():
        assert live.raw(f"nav/AAP155-{year}.xlsx") == recorded.raw(f"nav/AAP155-{year}.xlsx")


def live_fetch(
    httpserver: HTTPServer, root: Path, dest: Path, monkeypatch: pytest.MonkeyPatch, **fake: Any
) -> Snapshot:
    """``navbok fetch`` against the fake services serving ``root``, through the URL settings."""
    for var, url in serve_recording(httpserver, root, **fake).items():
        monkeypatch.setenv(var, url)
    source = LiveSource(http=HttpClient(min_interval=0, max_tries=1))
    archive = root / "nav" / "arkiv"
    dest = snap.fetch(source, dest, nav_archive=archive if archive.is_dir() else None)
    return Snapshot.open(dest)


def test_live_path_gives_the_same_data_as_the_recorded_path(
    httpserver: HTTPServer,
    mini_replay: Path,
    mini_snapshot: Path,
    mini_data: NavData,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    live = live_fetch(httpserver, mini_replay, tmp_path / "live", monkeypatch, max_cells=2000,
                      empty_corresponds_at=True)  # fmt: skip
    recorded = Snapshot.open(mini_snapshot)
    assert len(live.ssb_names("13138")) > 1  # chunked under the cell limit
    entry = live.files[live.ssb_names("13138")[0]]
    assert entry.origin.startswith(httpserver.url_for("/ssb/tables/13138/data"))
    assert "/corresponds?" in live.files["klass/112-correspondsAt-131-2024-01-01.json"].origin
    assert live.synthetic
    assert_same_snapshot_data(live, recorded)
    data = NavData.load(live.root, cache_dir=None)
    pd.testing.assert_frame_equal(data.values, mini_data.values)
    keys = ["measure", "region", "year"]
    pd.testing.assert_frame_equal(
        sorted_frame(data.measures, keys), sorted_frame(mini_data.measures, keys)
    )


@pytest.mark.replay
@pytest.mark.skipif(not os.environ.get("NAVBOK_SOURCE"), reason="needs NAVBOK_SOURCE")
def test_the_recording_over_http_gives_the_same_snapshot_as_the_directory(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Acceptance («Real sources»): ../shared/replay-v2 served the way the services answer."""
    root = Path(os.environ["NAVBOK_SOURCE"])
    archive = root / "nav" / "arkiv"
    recorded = Snapshot.open(
        snap.fetch(RecordedSource(root), tmp_path / "recorded", nav_archive=archive)
    )
    live = live_fetch(httpserver, root, tmp_path / "live", monkeypatch)
    assert_same_snapshot_data(live, recorded)
