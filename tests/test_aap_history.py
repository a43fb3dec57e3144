"""AAP history grows by itself: every fetch keeps the AAP months of the snapshot it replaces.

NAV serves only the current year of AAP155 (SOURCES.md §4), and in January the file rolls over
to hold only January of the new year. These tests serve AAP155 workbooks built by
``tests/aap155.py`` through the mini recording (``tests/minireplay.py``, its ``nav/arkiv/`` left
out: NAV does not serve it) and, for the rollover, through the fake services over local HTTP
(``tests/fake_services.py``). Also: how ``navbok fetch`` and ``navbok kilder`` word the months a
snapshot holds and the Decembers it lacks (:mod:`navbok.aap_history`).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
from aap155 import workbook
from fake_services import serve_recording
from minireplay import AAP_HREF
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from navbok import aap_history as aap
from navbok import snapshot as snap
from navbok.cli import app
from navbok.snapshot import Snapshot
from navbok.sources.http import HttpClient
from navbok.sources.live import LiveSource
from navbok.sources.origin import RecordedSource

runner = CliRunner()
ALL_MONTHS = list(range(1, 13))
HINT = (
    "NAV publiserer bare inneværende år; eldre AAP155-filer legges til med "
    "navbok fetch --nav-arkiv DIR."
)


def count(code: str, year: int, month: int) -> int:
    """A count that names its cell: Bærum in December 2025 is 3201 + 2512 → 5713."""
    return int(code) + (year % 100) * 100 + month


def aap_book(year: int, months: list[int]) -> bytes:
    """An AAP155 workbook of ``months`` of ``year`` (Periode «YYYY 01 - YYYY MM»), Bærum under
    its code and county of the year (a fetch refuses codes the year's register lacks); its
    counts are named by 3201 whatever the year."""
    code = baerum_code(year)
    county, name = {"0219": ("02", "Akershus"), "3024": ("30", "Viken")}.get(
        code, ("32", "Akershus")
    )
    counties = {
        "03": (
            "Oslo",
            [("0301", "Oslo", [count("0301", year, m) for m in months], [3.0] * len(months))],
        ),
        county: (
            name,
            [(code, "Bærum", [count("3201", year, m) for m in months], [2.0] * len(months))],
        ),
    }
    return workbook(year, months, counties, [10] * len(months))


def baerum_code(year: int) -> str:
    """Bærum's municipality code in ``year``."""
    return "0219" if year < 2020 else "3024" if year < 2024 else "3201"


def baerum(s: Snapshot, year: int, month: int) -> float:
    f = s.aap(f"{year}-{month:02d}")
    return float(f.loc[f["region"] == baerum_code(year), "value"].iloc[0])


@pytest.fixture
def rec(mini_replay: Path, tmp_path: Path) -> Path:
    """A copy of the mini recording as NAV serves it: no ``nav/arkiv/``."""
    return shutil.copytree(mini_replay, tmp_path / "rec", ignore=shutil.ignore_patterns("arkiv"))


def serve(rec: Path, content: bytes) -> None:
    """Make NAV's AAP page link ``content`` as the current AAP155 workbook."""
    (rec / "nav" / unquote(AAP_HREF[1:])).write_bytes(content)


def fetch(rec: Path, dest: Path, archive: Path | None = None) -> Snapshot:
    return Snapshot.open(snap.fetch(RecordedSource(rec), dest, nav_archive=archive))


def nav_events(s: Snapshot) -> list[dict]:
    return s.manifest["nav"]["events"]


# -- the wording ----------------------------------------------------------------------------------


def test_month_and_year_spans() -> None:
    assert aap.month_span(range(1, 11)) == "januar–oktober"
    assert aap.month_span([1]) == "januar"
    assert aap.month_span([1, 2, 3, 5, 11, 12]) == "januar–mars, mai, november–desember"
    assert aap.year_span([2015, 2016, 2017, 2019, 2021, 2022]) == "2015–2017, 2019, 2021–2022"
    assert aap.year_span([2020]) == "2020"


def test_held_months_are_compact() -> None:
    periods = [f"{y}-{m:02d}" for y in range(2015, 2025) for m in ALL_MONTHS]
    periods += [f"2025-{m:02d}" for m in range(1, 11)]
    assert aap.held_text(periods) == "2015–2024: januar–desember; 2025: januar–oktober"
    assert aap.held_text(["2025-01", "2025-02"]) == "2025: januar–februar"
    # years in a row only: 2019 and 2021 have the same months but 2020 is missing
    assert aap.held_text(["2019-12", "2021-12"]) == "2019: desember; 2021: desember"
    assert aap.held_text([]) == "ingen"


def test_missing_decembers() -> None:
    periods = [f"2025-{m:02d}" for m in range(1, 11)] + ["2019-12", "2020-11"]
    years = range(2015, 2025)
    assert aap.missing_decembers(periods, years) == [2015, 2016, 2017, 2018, 2020, 2021,
                                                     2022, 2023, 2024]  # fmt: skip
    assert aap.missing_decembers_text(periods, years) == (
        f"Desember mangler for 2015–2018, 2020–2024: {HINT}"
    )
    assert aap.missing_decembers_text(["2024-12"], [2024]) == ""


# -- history grows by itself ----------------------------------------------------------------------


def test_the_january_rollover_keeps_every_month_of_the_year_before(
    httpserver: HTTPServer, rec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A snapshot holds January–December 2025; NAV's file has rolled over to January 2026.

    The new snapshot holds every month of 2025 (the same file, byte for byte) and January
    2026; a fetch in February keeps them too. Fetched through the URL settings, as live."""
    for var, url in serve_recording(httpserver, rec).items():
        monkeypatch.setenv(var, url)
    source = LiveSource(http=HttpClient(min_interval=0, max_tries=1))
    dest = tmp_path / "snapshot"

    serve(rec, aap_book(2025, ALL_MONTHS))
    before = Snapshot.open(snap.fetch(source, dest))
    assert before.aap_periods() == [f"2025-{m:02d}" for m in ALL_MONTHS]
    december = before.raw("nav/AAP155-2025.xlsx")

    serve(rec, aap_book(2026, [1]))
    after = Snapshot.open(snap.fetch(source, dest))
    assert after.aap_years() == [2025, 2026]
    assert after.aap_periods() == [f"2025-{m:02d}" for m in ALL_MONTHS] + ["2026-01"]
    assert after.raw("nav/AAP155-2025.xlsx") == december
    assert baerum(after, 2025, 12) == count("3201", 2025, 12)
    assert baerum(after, 2026, 1) == count("3201", 2026, 1)
    assert after.files["nav/AAP155-2025.xlsx"].origin == before.files["nav/AAP155-2025.xlsx"].origin
    assert after.manifest["nav"]["current_year"] == 2026
    assert after.manifest["nav"]["years"]["2025"]["months"] == ALL_MONTHS
    entries = {e["name"]: e for e in after.manifest["files"]}
    assert entries["nav/AAP155-2025.xlsx"]["request"] == "NAV AAP155 (beholdt fra forrige snapshot)"
    assert entries["nav/AAP155-2026.xlsx"]["request"] == "NAV AAP155"

    serve(rec, aap_book(2026, [1, 2]))
    february = Snapshot.open(snap.fetch(source, dest))
    assert february.aap_periods()[-14:] == [
        *[f"2025-{m:02d}" for m in ALL_MONTHS],
        "2026-01",
        "2026-02",
    ]
    assert nav_events(february) == []


def test_the_year_comes_from_the_periode_cell(rec: Path, tmp_path: Path) -> None:
    """Whatever today's date: a workbook whose Periode says 2031 is 2031."""
    serve(rec, aap_book(2031, [1, 2, 3]))
    s = fetch(rec, tmp_path / "snapshot")
    assert s.aap_years() == [2031]
    assert s.aap_periods() == ["2031-01", "2031-02", "2031-03"]


def test_a_same_year_update_adds_the_new_month(rec: Path, tmp_path: Path) -> None:
    dest = tmp_path / "snapshot"
    serve(rec, aap_book(2025, list(range(1, 11))))
    fetch(rec, dest)
    serve(rec, aap_book(2025, list(range(1, 12))))
    s = fetch(rec, dest)
    assert s.aap_periods() == [f"2025-{m:02d}" for m in range(1, 12)]
    assert baerum(s, 2025, 11) == count("3201", 2025, 11)
    assert nav_events(s) == []


def test_a_nav_file_with_fewer_months_does_not_replace_the_kept_one(
    rec: Path, tmp_path: Path
) -> None:
    """Kept January–October 2025; NAV now serves January–March 2025 (a cut file): the kept
    workbook stays, and the fetch says so."""
    dest = tmp_path / "snapshot"
    serve(rec, aap_book(2025, list(range(1, 11))))
    kept = fetch(rec, dest).raw("nav/AAP155-2025.xlsx")
    serve(rec, aap_book(2025, [1, 2, 3]))
    s = fetch(rec, dest)
    assert s.aap_periods() == [f"2025-{m:02d}" for m in range(1, 11)]
    assert s.raw("nav/AAP155-2025.xlsx") == kept
    assert nav_events(s) == [
        {"kind": "nav_fewer", "year": 2025, "nav_months": [1, 2, 3],
         "kept_months": list(range(1, 11)), "kept_from": "snapshotet fra før"}
    ]  # fmt: skip
    assert aap.fetch_lines(s.manifest["nav"]) == [
        "ADVARSEL: NAVs AAP155-fil har bare 2025 januar–mars, færre måneder enn snapshotet fra "
        "før (januar–oktober); den beholdes, og NAVs fil er ikke brukt. Sjekk filen på NAVs side."
    ]


def test_a_corrupt_kept_workbook_is_named_and_its_year_comes_from_the_aap_store(
    rec: Path, tmp_path: Path
) -> None:
    """The snapshot's 2023 workbook was changed on disk: it is named and not used, and the
    AAP store beside the snapshot still has the workbook fetched, byte for byte."""
    dest = tmp_path / "snapshot"
    archive = tmp_path / "arkiv"
    archive.mkdir()
    for year in (2023, 2024):
        (archive / f"AAP155-{year}.xlsx").write_bytes(aap_book(year, ALL_MONTHS))
    serve(rec, aap_book(2025, [1]))
    fetched = fetch(rec, dest, archive).raw("nav/AAP155-2023.xlsx")
    (dest / "nav" / "AAP155-2023.xlsx").write_bytes(aap_book(2023, [1]))  # changed on disk
    s = fetch(rec, dest)
    assert s.aap_years() == [2023, 2024, 2025]
    assert s.raw("nav/AAP155-2023.xlsx") == fetched
    assert aap.fetch_lines(s.manifest["nav"]) == [
        "ADVARSEL: nav/AAP155-2023.xlsx fra forrige snapshot er ikke beholdt: sjekksummen "
        "stemmer ikke med manifestet (filen er endret eller ødelagt); AAP-lageret har den "
        "samme filen, så 2023 januar–desember er beholdt"
    ]


def test_an_archive_file_adds_the_months_the_snapshot_lacks(rec: Path, tmp_path: Path) -> None:
    """2024 was fetched as NAV's current file up to October; the user's full-year file adds
    November and December; a second copy of it adds nothing."""
    dest = tmp_path / "snapshot"
    serve(rec, aap_book(2024, list(range(1, 11))))
    fetch(rec, dest)
    serve(rec, aap_book(2025, [1]))
    archive = tmp_path / "arkiv"
    archive.mkdir()
    (archive / "AAP155-2024.xlsx").write_bytes(aap_book(2024, ALL_MONTHS))
    (archive / "AAP155-2024-kopi.xlsx").write_bytes(aap_book(2024, ALL_MONTHS))
    (archive / "AAP155-2019.xlsx").write_bytes(aap_book(2019, ALL_MONTHS))
    s = fetch(rec, dest, archive)
    assert s.aap_years() == [2019, 2024, 2025]
    assert aap.months_by_year(s.aap_periods())[2024] == ALL_MONTHS
    assert aap.fetch_lines(s.manifest["nav"]) == [
        "AAP155-2019.xlsx: 2019 januar–desember lagt til",
        "AAP155-2024-kopi.xlsx: 2024 november–desember lagt til",
        "AAP155-2024.xlsx: ingen nye måneder (snapshotet har dem allerede)",
    ]


# -- navbok fetch and navbok kilder say what the snapshot holds -----------------------------------


def cli(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_fetch_says_which_months_it_holds_and_what_each_archive_file_added(
    mini_replay: Path, rec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NAVBOK_SOURCE", raising=False)
    dest = str(tmp_path / "snapshot")
    first = cli("fetch", "--from", str(rec), "--snapshot", dest)
    assert "NAV AAP155 i snapshotet – 2025: januar–oktober.\n" in first
    assert f"Desember mangler for 2015–2024: {HINT}\n" in first
    assert "lagt til" not in first

    arkiv = str(mini_replay / "nav" / "arkiv")
    second = cli("fetch", "--from", str(rec), "--snapshot", dest, "--nav-arkiv", arkiv)
    added = [line for line in second.splitlines() if line.startswith("AAP155-")]
    assert added == [f"AAP155-{y}.xlsx: {y} januar–desember lagt til" for y in range(2015, 2025)]
    assert "NAV AAP155 i snapshotet – 2015–2024: januar–desember; 2025: januar–oktober.\n" in (
        second
    )
    assert "Desember mangler" not in second

    third = cli("fetch", "--from", str(rec), "--snapshot", dest, "--nav-arkiv", arkiv)
    again = [line for line in third.splitlines() if line.startswith("AAP155-")]
    none = "ingen nye måneder (snapshotet har dem allerede)"
    assert again == [f"AAP155-{y}.xlsx: {none}" for y in range(2015, 2025)]


def test_kilder_lists_the_months_of_the_snapshot(
    mini_replay: Path, rec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NAVBOK_SOURCE", raising=False)
    none = tmp_path / "ingen"
    out = cli("kilder", "--from", str(rec), "--snapshot", str(none))
    assert (
        f"  Ingen snapshot i {none}. En første henting (navbok fetch) får fra NAV bare "
        "inneværende år – 2025: januar–oktober.\n"
        f"  Desember mangler for 2015–2024: {HINT}\n"
    ) in out

    dest = tmp_path / "snapshot"
    serve(rec, aap_book(2025, list(range(1, 10))))  # the snapshot: January–September
    fetch(rec, dest)
    (rec / "nav" / unquote(AAP_HREF[1:])).write_bytes(
        (mini_replay / "nav" / unquote(AAP_HREF[1:])).read_bytes()
    )  # NAV now serves January–October
    out = cli("kilder", "--from", str(rec), "--snapshot", str(dest))
    assert (
        f"  Snapshotet i {dest} har AAP-månedene 2025: januar–september.\n"
        "  En ny henting (navbok fetch) legger til 2025: oktober.\n"
        f"  Desember mangler for 2015–2024: {HINT}\n"
    ) in out
    assert out.rstrip().endswith("Alle mål som kapitlene trenger, er funnet.")

    fetch(rec, dest, mini_replay / "nav" / "arkiv")
    out = cli("kilder", "--from", str(rec), "--snapshot", str(dest))
    assert (
        f"  Snapshotet i {dest} har AAP-månedene 2015–2024: januar–desember; "
        "2025: januar–oktober.\n"
    ) in out
    assert "Desember mangler" not in out


def test_a_manifest_without_events_reads(tmp_path: Path) -> None:
    """Snapshots fetched before the events were recorded: no lines, no failure."""
    assert aap.fetch_lines({}) == []
    assert aap.fetch_lines(json.loads('{"events": null}')) == []
