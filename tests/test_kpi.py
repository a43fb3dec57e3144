"""Prices from SSB's table 14700: the annual index from monthly values, the optional fetch, the
growth chapter's real terms, and tables that have stopped updating.

Every 14700 body here is CONSTRUCTED by tests/kpi14700.py (no live response of 14700 is stored
anywhere, and the recording has no price table); its index content has a code that is not SSB's,
so navbok must find it by its label.
"""

from __future__ import annotations

import json
import math
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from chapter_run import render_cell
from fake_pxweb import FakeTime
from fake_services import body, fault, serve_recording
from kpi14700 import INDEX_CODE, TABLE, kpi_dataset, metadata, months, steady, write_kpi
from minireplay import build_minireplay
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from navbok import snapshot as snap
from navbok.analysis.prices import annual_index, deflate, month_of, rebase
from navbok.cli import app
from navbok.contents import RESOLVED, ContentSpec, normalise_label, resolve_one
from navbok.data import NavData
from navbok.freshness import STALE_MONTHS, months_before, stale_tables
from navbok.kilder import check_sources, format_report
from navbok.kpi import ANNUAL_WORDS, snapshot_prices
from navbok.params import Params, load_params
from navbok.present.numbers import fmt_number
from navbok.report import Report
from navbok.sources.catalogue import catalogue
from navbok.sources.http import HttpClient
from navbok.sources.live import LiveSource
from navbok.sources.metadata import TableMetadata, parse_metadata
from navbok.sources.origin import RecordedSource

runner = CliRunner()

# The main fixture's index rises by 0.25 a month from 100 in 2015M02 to 2025M03: 2015 has eleven
# months (no annual value); the mean of 2016 is 100 + 0.25 · 16.5 = 104.125, of 2019 113.125, of
# 2024 128.125 (each year 3 more).
KPI = steady("2015M02", "2025M03")
MEAN_2016, MEAN_2019, MEAN_2024 = 104.125, 113.125, 128.125
# A price table that stopped in March 2023 (last updated 10 April 2023): more than 13 months
# before the KOSTRA tables' 12 June 2025.
FROZEN = steady("2014M01", "2023M03")
FROZEN_UPDATED = "2023-04-10T06:00:00Z"
STALE_FLAG = (
    "Tabell 14700 er ikke oppdatert siden 10. april 2023 (nyeste tall: mars 2023); tallene kan "
    "være foreldet."
)


# -- the annual index ------------------------------------------------------------------------------


def test_the_annual_index_is_the_mean_of_the_twelve_months() -> None:
    monthly = {f"2024M{m:02d}": 100.0 + m for m in range(1, 13)}  # 101 … 112: mean 106.5
    index = annual_index(monthly)
    assert index.to_dict() == {2024: pytest.approx(106.5)}
    assert list(index.index) == [2024] and index.index.dtype == "int64"
    assert annual_index(pd.Series(KPI))[[2016, 2019, 2024]].tolist() == pytest.approx(
        [MEAN_2016, MEAN_2019, MEAN_2024]
    )


def test_a_year_with_fewer_than_twelve_months_has_no_annual_value() -> None:
    eleven = {f"2025M{m:02d}": 120.0 for m in range(1, 12)}
    assert annual_index(eleven).empty  # never the mean of the months there are
    gap = {f"2024M{m:02d}": 110.0 for m in range(1, 13)} | {"2024M07": None}
    assert annual_index(gap).empty  # a missing value is a missing month
    nan = {f"2023M{m:02d}": 100.0 for m in range(1, 13)} | {"2023M12": math.nan}
    both = {f"2022M{m:02d}": 90.0 for m in range(1, 13)} | nan
    assert annual_index(both).to_dict() == {2022: 90.0}
    assert 2015 not in annual_index(KPI).index  # February–December only


def test_month_codes_are_checked() -> None:
    assert month_of("2025M01") == (2025, 1)
    for bad in ("2025", "2025M13", "2025K1", "25M01"):
        with pytest.raises(ValueError, match="is not a month code like 2025M01"):
            month_of(bad)
    with pytest.raises(ValueError, match="'2024' is not a month"):
        annual_index({"2024": 100.0})


def test_rebasing_sets_the_named_year_to_100() -> None:
    annual = pd.Series({2023: 50.0, 2024: 200.0})
    assert rebase(annual, 2024).to_dict() == {2023: 25.0, 2024: 100.0}
    with pytest.raises(ValueError, match="no value for the base year 2025"):
        rebase(annual, 2025)
    paid = pd.Series({2023: 10.0, 2024: 30.0})
    # deflating with the rebased index is deflating with the index as published
    assert deflate(paid, rebase(annual, 2024), 2024).tolist() == [40.0, 30.0]
    assert deflate(paid, annual, 2024).tolist() == [40.0, 30.0]


# -- the content found by its label ----------------------------------------------------------------


def price_spec() -> ContentSpec:
    table = catalogue().price_table()
    assert table is not None and table.table == TABLE and table.optional
    assert table.content is not None and "03014" not in {t.table for t in catalogue().ssb}
    c = table.content
    return ContentSpec(c.measure, "", (TABLE,), c.labels, c.unit, optional=True)


def test_the_index_is_found_by_its_label_not_by_a_guessed_code() -> None:
    meta = parse_metadata(metadata(kpi_dataset(KPI)), TABLE)
    found = resolve_one(price_spec(), meta)
    assert found.status == RESOLVED and found.code == INDEX_CODE != "KpiIndMnd"
    assert found.label == "Konsumprisindeks (2025=100)" and found.decimals == 1
    assert normalise_label("Konsumprisindeks (2015=100)") == "konsumprisindeks"
    assert meta.newest_period == "2025M03" and meta.years == list(range(2015, 2026))


def test_no_index_content_gives_the_closest_labels() -> None:
    doc = metadata(kpi_dataset(KPI))
    doc["dimension"]["ContentsCode"]["category"]["label"][INDEX_CODE] = "Vekter (promille)"
    found = resolve_one(price_spec(), parse_metadata(doc, TABLE))
    assert found.status == "missing" and found.code is None


# -- the fetch -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kpi_replay(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini replay with a constructed 14700 (read-only by convention)."""
    return write_kpi(build_minireplay(tmp_path_factory.mktemp("kpi")), KPI)


@pytest.fixture(scope="module")
def kpi_data(kpi_replay: Path, tmp_path_factory: pytest.TempPathFactory) -> NavData:
    dest = snap.fetch(RecordedSource(kpi_replay), tmp_path_factory.mktemp("kpisnap") / "snapshot")
    return NavData.load(dest, cache_dir=None)


@pytest.fixture(scope="module")
def frozen_replay(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini replay with a 14700 that stopped in March 2023."""
    root = build_minireplay(tmp_path_factory.mktemp("frozen"))
    return write_kpi(root, FROZEN, updated=FROZEN_UPDATED)


@pytest.fixture(scope="module")
def frozen_data(frozen_replay: Path, tmp_path_factory: pytest.TempPathFactory) -> NavData:
    dest = snap.fetch(RecordedSource(frozen_replay), tmp_path_factory.mktemp("fz") / "snapshot")
    return NavData.load(dest, cache_dir=None)


def test_a_fetch_takes_the_total_index_only(kpi_data: NavData) -> None:
    s = kpi_data.snapshot
    assert s.absent_tables == {}
    info = s.table_info(TABLE)
    assert info["contents"] == [INDEX_CODE] and info["optional"] and info["purpose"] == "prices"
    data = json.loads(s.raw(f"ssb/{TABLE}.json"))
    assert data["dimension"]["VareTjenesteGrp"]["category"]["index"] == {"00": 0}
    assert list(data["dimension"]["ContentsCode"]["category"]["index"]) == [INDEX_CODE]
    assert len(data["value"]) == len(KPI)  # every month
    prices = snapshot_prices(s)
    assert prices is not None and prices.code == INDEX_CODE and prices.newest_month == "2025M03"
    assert prices.annual[2024] == pytest.approx(MEAN_2024)  # group 00, not 01 (1.5 × as high)
    assert prices.annual.index.min() == 2016


def test_a_fetch_without_14700_goes_on_and_says_so_in_one_line(mini_snapshot: Path) -> None:
    s = snap.Snapshot.open(mini_snapshot)
    assert not s.has_table(TABLE) and not any(TABLE in n for n in s.files)
    (line,) = s.absent_tables.values()
    assert line == (
        "SSB-tabell 14700 («Konsumprisindeks (KPI), etter vare- og tjenestegruppe») finnes ikke "
        "hos kilden (ikke i opptaket); beløp i faste kroner (realverdier) vil mangle i boka."
    )
    assert snapshot_prices(s) is None


def test_cli_fetch_says_real_terms_will_be_missing(mini_replay: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["fetch", "--from", str(mini_replay), "--snapshot", str(tmp_path / "snap")]
    )
    assert result.exit_code == 0, result.output
    lines = [x for x in result.output.splitlines() if "14700" in x]
    assert len(lines) == 1 and lines[0].startswith("Merk: SSB-tabell 14700")
    assert "faste kroner" in lines[0] and "Traceback" not in result.output


def serve(httpserver: HTTPServer, root: Path, monkeypatch: pytest.MonkeyPatch, *faults) -> None:
    for var, url in serve_recording(httpserver, root, faults=faults).items():
        monkeypatch.setenv(var, url)


def fast_source() -> LiveSource:
    fake = FakeTime()
    return LiveSource(HttpClient(min_interval=0, max_tries=1, sleep=fake.sleep, clock=fake.clock))


def test_live_404_is_no_failure(
    httpserver: HTTPServer, mini_replay: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve(httpserver, mini_replay, monkeypatch)  # the fake SSB answers 404 for 14700
    s = snap.Snapshot.open(snap.fetch(fast_source(), tmp_path / "snap"))
    assert "finnes ikke hos kilden (HTTP 404: Non-existent table)" in s.absent_tables[TABLE]
    assert s.has_table("13995") and not s.has_table(TABLE)


def test_live_fetch_asks_for_the_total_and_the_index_by_code(
    httpserver: HTTPServer, kpi_replay: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve(httpserver, kpi_replay, monkeypatch)
    s = snap.Snapshot.open(snap.fetch(fast_source(), tmp_path / "snap"))
    (ask,) = [r for r, _ in httpserver.log if r.path == f"/ssb/tables/{TABLE}/data"]
    assert ask.args["valueCodes[VareTjenesteGrp]"] == "00"
    assert ask.args["valueCodes[ContentsCode]"] == INDEX_CODE
    assert ask.args["valueCodes[Tid]"] == "*"
    assert s.absent_tables == {} and snapshot_prices(s) is not None


def test_a_bad_price_answer_is_checked_and_left_out(
    httpserver: HTTPServer, kpi_replay: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = {"class": "dataset", "id": ["Tid"], "size": [2], "value": [1]}
    serve(httpserver, kpi_replay, monkeypatch, fault(f"/ssb/tables/{TABLE}/data", body(broken)))
    s = snap.Snapshot.open(snap.fetch(fast_source(), tmp_path / "snap"))
    line = s.absent_tables[TABLE]
    assert "kunne ikke hentes" in line and "faste kroner" in line and "\n" not in line
    assert not any(TABLE in n for n in s.files)  # neither the data nor its metadata


def test_an_answer_without_monthly_values_is_left_out(tmp_path: Path, mini_replay: Path) -> None:
    root = write_kpi(shutil.copytree(mini_replay, tmp_path / "rec"), {"2024M01": None})
    s = snap.Snapshot.open(snap.fetch(RecordedSource(root), tmp_path / "snap"))
    assert "the answer has no monthly values" in s.absent_tables[TABLE]


# -- the growth chapter ---------------------------------------------------------------------------


def amounts(r: Report) -> tuple:
    """The amounts table, the latest year's numbers and the chapter's sentence on prices."""
    table, numbers, prices = r.growth.amounts()
    text = render_cell("utbetalingsvekst", "Alle beløp i kapitlet", priser=prices)
    return table, numbers, text.removeprefix("## Antall og beløp ")


def baerum(data: NavData, **kwargs) -> Report:
    r = Report(data, Params(kommune="3201", name="Bærum", end_year=2024, **kwargs))
    return r


def test_growth_chapter_deflates_with_the_snapshots_kpi(kpi_data: NavData) -> None:
    r = baerum(kpi_data)
    table, _, prices = amounts(r)
    assert "omregnet til 2024-kroner med SSBs konsumprisindeks (tabell 14700, " in prices
    assert f"{ANNUAL_WORDS}, 2024 = 100)" in prices and "03014" not in prices
    assert "For 2015 har tabellen ikke alle tolv månedene" in prices
    paid_2016 = r.measure("utbetalt", 2016) / 1000
    real_2016 = fmt_number(paid_2016 * MEAN_2024 / MEAN_2016, 1)
    row_2016 = table.html.split('<th scope="row">2016</th>')[1].split("</tr>")[0]
    assert row_2016.endswith(f'<td class="num">{real_2016}</td>')
    row_2015 = table.html.split('<th scope="row">2015</th>')[1].split("</tr>")[0]
    assert row_2015.endswith('<td class="num">..</td>')  # no annual index: missing, not nominal
    grow = r.growth.table(2016, 2019).set_index("label")
    nominal = grow.loc["Bærum", "g_T"]
    assert grow.loc["Bærum, faste 2019-priser", "g_T"] == pytest.approx(
        (1 + nominal) * MEAN_2016 / MEAN_2019 - 1
    )


def test_source_box_names_the_price_table_and_its_base(kpi_data: NavData) -> None:
    box = baerum(kpi_data).sources.box(["utbetalt"], prices=True)
    (kpi,) = [t for t in box.tables if t.name == "SSB 14700"]
    assert kpi.labels == [
        "Konsumprisindeks (2025=100): årsgjennomsnitt av månedlig KPI (totalindeks), satt til "
        "2024 = 100 for beløp i 2024-kroner"
    ]
    assert kpi.stale == "" and kpi.preliminary == ""
    assert "SSB 14700" in box._repr_html_()
    plain = baerum(kpi_data).sources.box(["utbetalt"])  # other chapters: no price table
    assert "SSB 14700" not in [t.name for t in plain.tables]


def test_a_params_price_file_wins(kpi_data: NavData, tmp_path: Path) -> None:
    (tmp_path / "kpi.csv").write_text(
        "# source: Kommunens egen deflator\nyear;index\n2015;100\n2024;125\n", "utf-8"
    )
    params = tmp_path / "p.yml"
    params.write_text("kommune: '3201'\nname: Bærum\nprice_index: kpi.csv\n", "utf-8")
    r = Report(kpi_data, load_params(params))
    _, _, prices = amounts(r)
    assert prices.endswith("omregnet til 2024-kroner med Kommunens egen deflator.")
    box = r.sources.box(["utbetalt"], prices=True)
    assert "SSB 14700" not in [t.name for t in box.tables]
    assert any("Kommunens egen deflator" in n for n in box.notes)


def test_without_a_price_table_the_book_says_real_terms_are_missing(mini_data: NavData) -> None:
    r = baerum(mini_data)
    table, _, prices = amounts(r)
    assert prices == (
        "Alle beløp i kapitlet er løpende (nominelle) kroner. Datagrunnlaget har ingen prisindeks, "
        "for eksempel SSBs konsumprisindeks (tabell 14700), så boka viser ikke utbetalingene "
        "justert for prisstigning; veksten i kroner omfatter derfor også prisstigningen."
    )
    assert "kroner</th>" not in table.html.replace("mill. kr</th>", "")
    assert "faste" not in " ".join(r.growth.table(2015, 2019)["label"])
    assert "SSB 14700" not in [t.name for t in r.sources.box(["utbetalt"], prices=True).tables]


# -- tables that have stopped updating -------------------------------------------------------------


def test_a_frozen_price_table_is_flagged_in_the_book(frozen_data: NavData) -> None:
    r = baerum(frozen_data)
    _, _, prices = amounts(r)
    assert prices.startswith("Alle beløp i kapitlet er løpende (nominelle) kroner. SSBs ")
    assert "har ikke alle tolv månedene av 2024 (nyeste måned: mars 2023)" in prices
    # one index for the whole chapter: no fixed-price decomposition either
    assert "faste" not in " ".join(r.growth.table(2015, 2019)["label"])
    box = r.sources.box(["utbetalt"], prices=True)
    (kpi,) = [t for t in box.tables if t.name == "SSB 14700"]
    assert kpi.stale == STALE_FLAG and kpi.labels[0].startswith("Konsumprisindeks (2025=100): ikke")
    assert f'<strong class="navbok-stale">{STALE_FLAG}</strong>' in box._repr_html_()
    assert STALE_FLAG in repr(box)
    # the discontinued KOSTRA tables are stitched on purpose: never flagged
    assert all(t.stale == "" for t in box.tables if t.name != "SSB 14700")


def test_kilder_flags_a_frozen_table(frozen_replay: Path) -> None:
    report = check_sources(RecordedSource(frozen_replay))
    assert set(report.stale) == {TABLE} and report.ok
    text = format_report(report)
    assert f"  ADVARSEL: {STALE_FLAG}" in text.splitlines()
    assert "kpi_maaned" in text and INDEX_CODE in text


def test_kilder_without_the_price_table_is_still_ok(mini_replay: Path) -> None:
    report = check_sources(RecordedSource(mini_replay))
    assert report.ok and report.stale == {}
    text = format_report(report)
    assert "SSB 14700 (valgfri tabell): SSB-tabell 14700" in text and "FEIL" not in text


def meta(table: str, updated: str, tid: str = "2024") -> TableMetadata:
    doc = {"id": ["Tid"], "size": [1], "updated": updated, "role": {"time": ["Tid"]},
           "dimension": {"Tid": {"category": {"index": {tid: 0}}}}}  # fmt: skip
    return parse_metadata(doc, table)


def test_the_stale_rule() -> None:
    newest = "2025-06-15T06:00:00Z"
    tables = {
        "13995": meta("13995", newest),
        "07459": meta("07459", "2024-05-15T06:00:00Z"),  # exactly 13 months: not yet
        "99999": meta("99999", "2024-05-14T06:00:00Z", "2024M04"),  # a day more: flagged
        "13138": meta("13138", "2019-06-15T06:00:00Z"),  # continued by 13995: never
        "12345": meta("12345", ""),  # no date: never
    }
    found = stale_tables(tables, {"13138"})
    assert list(found) == ["99999"] and STALE_MONTHS == 13
    assert found["99999"].message() == (
        "Tabell 99999 er ikke oppdatert siden 14. mai 2024 (nyeste tall: april 2024); tallene "
        "kan være foreldet."
    )
    # a continued table is no reference either
    later = {"13138": meta("13138", "2030-01-01"), "13995": meta("13995", newest)}
    assert stale_tables(later, {"13138"}) == {}
    assert months_before(date(2025, 3, 31), 1) == date(2025, 2, 28)
    assert months_before(date(2025, 6, 15), 13) == date(2024, 5, 15)


def test_the_cli_fetch_with_a_price_table_says_nothing_about_it(
    kpi_replay: Path, tmp_path: Path
) -> None:
    result = runner.invoke(
        app, ["fetch", "--from", str(kpi_replay), "--snapshot", str(tmp_path / "snap")]
    )
    assert result.exit_code == 0, result.output
    assert "14700" not in result.output


def test_months_helper() -> None:
    assert months("2023M11", "2024M02") == ["2023M11", "2023M12", "2024M01", "2024M02"]
