"""The AAP history in its own append-only store beside the snapshot (``<snapshot>.aap/``).

NAV no longer serves the AAP months of earlier years: one damaged file, or a damaged or deleted
snapshot, must not make the next fetch start from nothing. Every workbook a fetch meets goes
into the store (bytes, sha256, the «Periode» it came from), nothing leaves it, and the
snapshot's AAP years are chosen from it (:mod:`navbok.aap_store`, ``snapshot._fetch_aap``).
Workbooks are served through the mini recording as in ``tests/test_aap_history.py``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from test_aap_history import ALL_MONTHS, aap_book, baerum, count, fetch, serve

from navbok import aap_history as aap


@pytest.fixture
def rec(mini_replay: Path, tmp_path: Path) -> Path:
    """A copy of the mini recording as NAV serves it: no ``nav/arkiv/``."""
    return shutil.copytree(mini_replay, tmp_path / "rec", ignore=shutil.ignore_patterns("arkiv"))


def history(tmp_path: Path, rec: Path) -> Path:
    """A snapshot with AAP 2023 and 2024 (January–December, from an archive) and 2025
    January–October (NAV's file); returns the snapshot's folder."""
    archive = tmp_path / "arkiv"
    archive.mkdir()
    for year in (2023, 2024):
        (archive / f"AAP155-{year}.xlsx").write_bytes(aap_book(year, ALL_MONTHS))
    serve(rec, aap_book(2025, list(range(1, 11))))
    dest = tmp_path / "data" / "snapshot"
    fetch(rec, dest, archive)
    return dest


INDEX = "index.jsonl"


def store_dir(dest: Path) -> Path:
    """The AAP store beside the snapshot ``dest`` (read here without navbok's code)."""
    return dest.with_name(f"{dest.name}.aap")


def stored(dest: Path) -> list[dict]:
    """The store's index lines."""
    return [json.loads(line) for line in (store_dir(dest) / INDEX).read_text("utf-8").splitlines()]


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


HELD = [f"{y}-{m:02d}" for y in (2023, 2024) for m in ALL_MONTHS] + [
    f"2025-{m:02d}" for m in range(1, 11)
]


def test_the_store_holds_each_workbook_with_its_checksum_and_periode(
    rec: Path, tmp_path: Path
) -> None:
    dest = history(tmp_path, rec)
    store = tmp_path / "data" / "snapshot.aap"
    lines = stored(dest)
    assert [(e["year"], e["months"], e["periode"]) for e in lines] == [
        (2025, list(range(1, 11)), "Periode: 2025 01 - 2025 10"),
        (2023, ALL_MONTHS, "Periode: 2023 01 - 2023 12"),
        (2024, ALL_MONTHS, "Periode: 2024 01 - 2024 12"),
    ]
    for e in lines:
        content = (store / f"{e['sha256']}.xlsx").read_bytes()
        assert hashlib.sha256(content).hexdigest() == e["sha256"]
        assert e["bytes"] == len(content)
    assert lines[0]["origin"] != "" and lines[1]["origin"].endswith("AAP155-2023.xlsx")


def test_the_store_only_grows(rec: Path, tmp_path: Path) -> None:
    """Fetch after fetch (the same file again, a new month, the January rollover, a NAV file
    with fewer months): each store is the one before, byte for byte, plus what is new."""
    dest = history(tmp_path, rec)
    store = store_dir(dest)
    before = files(store)
    books: dict[tuple[int, int], bytes] = {}
    for year, last in ((2025, 10), (2025, 12), (2026, 1), (2026, 2), (2026, 1)):
        book = books.setdefault((year, last), aap_book(year, list(range(1, last + 1))))
        serve(rec, book)
        fetch(rec, dest)
        after = files(store)
        assert after[INDEX].startswith(before[INDEX])
        assert {n: c for n, c in after.items() if n in before and n != INDEX} == {
            n: c for n, c in before.items() if n != INDEX
        }
        before = after
    index = [json.loads(line) for line in before[INDEX].splitlines()]
    assert {(e["year"], e["months"][-1]) for e in index} == {(2023, 12), (2024, 12), *books}
    assert len(index) == len({e["sha256"] for e in index})
    s = fetch(rec, dest)
    assert s.aap_periods() == [f"{y}-{m:02d}" for y in (2023, 2024, 2025) for m in ALL_MONTHS] + [
        "2026-01",
        "2026-02",
    ]


def test_an_unreadable_manifest_loses_no_aap_month(rec: Path, tmp_path: Path) -> None:
    """The previous snapshot's manifest is damaged: the next fetch keeps every AAP month from
    the store, byte for byte, and says that the manifest could not be read."""
    dest = history(tmp_path, rec)
    kept = {y: (dest / "nav" / f"AAP155-{y}.xlsx").read_bytes() for y in (2023, 2024, 2025)}
    (dest / "manifest.json").write_text('{"format": 2, "files": [', "utf-8")  # cut short
    s = fetch(rec, dest)
    assert s.aap_periods() == HELD
    assert {y: s.raw(f"nav/AAP155-{y}.xlsx") for y in (2023, 2024, 2025)} == kept
    (line,) = aap.fetch_lines(s.manifest["nav"])
    assert line.startswith(f"ADVARSEL: {dest / 'manifest.json'} fra forrige snapshot er ikke ")
    assert line.endswith(
        "; AAP-månedene i AAP-lageret er beholdt (2023–2024: januar–desember; 2025: januar–oktober)"
    )


def test_a_deleted_snapshot_loses_no_aap_month(rec: Path, tmp_path: Path) -> None:
    dest = history(tmp_path, rec)
    shutil.rmtree(dest)
    s = fetch(rec, dest)
    assert s.aap_periods() == HELD
    assert baerum(s, 2023, 12) == count("3201", 2023, 12)
    entries = {e["name"]: e for e in s.manifest["files"]}
    assert entries["nav/AAP155-2023.xlsx"]["request"] == "NAV AAP155 (beholdt fra AAP-lageret)"
    assert aap.fetch_lines(s.manifest["nav"]) == []


def test_the_old_snapshot_fills_a_new_store(rec: Path, tmp_path: Path) -> None:
    """A snapshot fetched before there was a store: its AAP workbooks go into the store."""
    dest = history(tmp_path, rec)
    shutil.rmtree(store_dir(dest))
    s = fetch(rec, dest)
    assert s.aap_periods() == HELD
    assert sorted((e["year"], len(e["months"])) for e in stored(dest)) == [
        (2023, 12),
        (2024, 12),
        (2025, 10),
    ]


def test_a_damaged_store_is_named_and_the_rest_is_kept(rec: Path, tmp_path: Path) -> None:
    """A workbook of the store is damaged and an index line is half written (a killed fetch):
    each is named; the rest is used; the snapshot's copy of the damaged workbook writes it
    again; and the next line starts on a line of its own."""
    dest = history(tmp_path, rec)
    store = store_dir(dest)
    lines = (store / INDEX).read_text("utf-8").splitlines()
    sha_2023 = json.loads(lines[1])["sha256"]
    (store / f"{sha_2023}.xlsx").write_bytes(b"not a workbook")
    with (store / INDEX).open("a", encoding="utf-8") as f:
        f.write('{"sha256": "ab')  # half a line
    serve(rec, aap_book(2025, list(range(1, 12))))
    s = fetch(rec, dest)
    assert s.aap_periods() == HELD + ["2025-11"]
    assert aap.fetch_lines(s.manifest["nav"]) == [
        f"ADVARSEL: AAP-lageret: {store / f'{sha_2023}.xlsx'} kan ikke brukes: sjekksummen "
        "stemmer ikke (filen er endret eller ødelagt); skrevet på nytt fra forrige snapshot",
        f"ADVARSEL: AAP-lageret: {store / INDEX} linje 4 kan ikke brukes: linjen kan ikke leses",
    ]
    content = (store / f"{sha_2023}.xlsx").read_bytes()
    assert hashlib.sha256(content).hexdigest() == sha_2023
    after = (store / INDEX).read_text("utf-8").splitlines()
    assert after[:4] == [*lines, '{"sha256": "ab']
    assert json.loads(after[4])["months"] == list(range(1, 12))
    assert len(after) == 5


def test_a_damaged_store_and_snapshot_keep_every_other_year(rec: Path, tmp_path: Path) -> None:
    """2023 is damaged both in the store and in the snapshot: 2023 is named twice and lost,
    2024 and 2025 are kept."""
    dest = history(tmp_path, rec)
    store = store_dir(dest)
    (sha_2023,) = [e["sha256"] for e in stored(dest) if e["year"] == 2023]
    (store / f"{sha_2023}.xlsx").write_bytes(b"x")
    (dest / "nav" / "AAP155-2023.xlsx").write_bytes(b"y")
    s = fetch(rec, dest)
    assert s.aap_years() == [2024, 2025]
    lines = aap.fetch_lines(s.manifest["nav"])
    assert len(lines) == 2
    assert lines[0].startswith(f"ADVARSEL: AAP-lageret: {store / f'{sha_2023}.xlsx'} kan")
    assert lines[1] == (
        "ADVARSEL: nav/AAP155-2023.xlsx fra forrige snapshot er ikke beholdt: sjekksummen "
        "stemmer ikke med manifestet (filen er endret eller ødelagt)"
    )


def test_a_refused_workbook_never_enters_the_store(rec: Path, tmp_path: Path) -> None:
    """NAV's file and archive files go into the store only once the new snapshot is in place:
    a workbook the completeness checks refuse (here Bærum under a county block no register
    knows) is not kept, so no later fetch chooses it again and is refused for it."""
    from aap155 import workbook

    from navbok.completeness import IncompleteFetch

    dest = history(tmp_path, rec)
    before = files(store_dir(dest))
    months = list(range(1, 12))
    odd = {"99": ("Resten av landet", [("3201", "Bærum", [500] * 11, [2.0] * 11)])}
    serve(rec, workbook(2025, months, odd, [10] * 11))
    with pytest.raises(IncompleteFetch, match="AAP155 2025"):
        fetch(rec, dest)
    assert files(store_dir(dest)) == before  # byte-identical: nothing of the refused file
    serve(rec, aap_book(2025, months))  # NAV's next file is fine: it is fetched and kept
    assert fetch(rec, dest).aap_periods()[-1] == "2025-11"
    assert len(stored(dest)) == len(before[INDEX].splitlines()) + 1
