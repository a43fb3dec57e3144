"""Right numbers, or none: provenance travels with downloads and the landing page, SSB's
missing symbols stay distinct, and series breaks are explained or not mentioned."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from navbok.comparison import Kind
from navbok.present import chart_specs, figure
from navbok.present.exports import Provenance, csv_bytes, xlsx_bytes
from navbok.present.tables import show_table, wide


def _snapshot(synthetic: bool) -> SimpleNamespace:
    names = ["ssb/07459.json", "ssb/13995.json", "klass/131-codesAt-2024-01-01.json",
             "nav/AAP155-2023.xlsx", "nav/AAP155-2024.xlsx"]  # fmt: skip
    files = {n: SimpleNamespace(synthetic=synthetic and n != "ssb/07459.json") for n in names}
    return SimpleNamespace(files=files, fetched_at="2025-06-20T08:00:00+00:00")


def _downloads(html: str) -> dict[str, bytes]:
    out = {}
    for _mime, payload, name in re.findall(
        r'href="data:([^;]+)(?:;charset=utf-8)?;base64,([^"]+)" download="([^"]+)"', html
    ):
        out[name.rsplit(".", 1)[1]] = base64.b64decode(payload)
    return out


def _chart_html(provenance: Provenance | None) -> str:
    df = pd.DataFrame(
        {"Serie": ["A", "A", "B"], "År": [2023, 2024, 2024], "Verdi": [1.5, 2.0, 3.0]}
    )
    spec = chart_specs.bar_chart(df, "Serie", "Verdi", "A", "Tittel", "Beskrivelse", "prosent")
    return figure.show_chart(spec, df, "figur", "Tekst", provenance=provenance).html


def test_provenance_comes_from_the_snapshot() -> None:
    p = Provenance.of(_snapshot(True))
    assert "tabell 07459, 13995" in p.sources and "NAV AAP155 (2023–2024)" in p.sources
    assert p.fetched == "2025-06-20"
    assert "13995" in p.synthetic and "07459" not in p.synthetic
    assert Provenance.of(_snapshot(False)).synthetic == ""


def test_downloads_of_a_synthetic_snapshot_carry_the_warning() -> None:
    provenance = Provenance.of(_snapshot(True))
    files = _downloads(_chart_html(provenance))
    text = files["csv"].decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("# Kilde: Statistisk sentralbyrå (SSB), tabell 07459")
    assert lines[1] == "# Hentet: 2025-06-20"
    assert lines[2].startswith("# SYNTETISKE DATA: ") and ";" not in "".join(lines[:3])
    back = pd.read_csv(io.StringIO(text), sep=";", decimal=",", comment="#")
    assert list(back.columns) == ["Serie", "År", "Verdi"] and back["Verdi"].iloc[0] == 1.5
    sheets = pd.read_excel(io.BytesIO(files["xlsx"]), sheet_name=None)
    assert list(sheets) == ["Tall", "Om dataene"]  # bokmål sheet names
    about = dict(
        zip(sheets["Om dataene"]["Om dataene"], sheets["Om dataene"]["Innhold"], strict=True)
    )
    assert (
        about["Hentet"] == "2025-06-20" and "ikke offisiell statistikk" in about["SYNTETISKE DATA"]
    )
    table = show_table(pd.DataFrame({"a": ["x"], "b": ["1"]}), "t", "T", provenance=provenance)
    assert "# SYNTETISKE DATA" in _downloads(table.html)["csv"].decode("utf-8-sig")


def test_downloads_of_a_real_snapshot_carry_source_but_no_warning() -> None:
    files = _downloads(_chart_html(Provenance.of(_snapshot(False))))
    text = files["csv"].decode("utf-8-sig")
    assert text.startswith("# Kilde: ") and "# Hentet: 2025-06-20" in text
    assert "SYNTETISK" not in text
    about = pd.read_excel(io.BytesIO(files["xlsx"]), sheet_name="Om dataene")
    assert "SYNTETISKE DATA" not in set(about["Om dataene"]) and "Kilde" in set(about["Om dataene"])


def test_the_workbook_with_its_about_sheet_takes_the_fast_path() -> None:
    from navbok.present.exports import DATA_SHEET, _xlsx_openpyxl, about_frame

    p = Provenance.of(_snapshot(True))
    df = pd.DataFrame({"Serie": ["A", "B"], "2024": [1.5, None]})
    assert xlsx_bytes(df, provenance=p) == _xlsx_openpyxl(df, DATA_SHEET, about_frame(p))
    assert csv_bytes(df) == csv_bytes(df, None)  # no provenance: the plain file


def _tiny_overview():
    from navbok.key_figures import KEY_FIGURES
    from navbok.site.overview import BAROMETER, Overview

    frame = pd.DataFrame(
        {"kommune": ["3201"], "name": ["Bærum"], "county": ["32"], "county_name": ["Akershus"],
         "kostra": ["KOSTRA-gruppe 12"]}
    )  # fmt: skip
    for key in KEY_FIGURES:
        frame[key.id] = [1.5]
        frame[f"{key.id}_status"] = [""]
    frame[f"{BAROMETER}_rank"] = pd.array([3], dtype="Int64")
    frame[f"{BAROMETER}_n"] = [300]
    return Overview(frame, {k.id: 2024 for k in KEY_FIGURES})


def test_landing_page_shows_the_demo_notice_for_a_synthetic_snapshot(tmp_path: Path) -> None:
    from navbok.site.landing import DEMO_NOTICE, Book, landing_page

    books = {"3201": Book("3201", "../3201/html/index.html")}
    view = _tiny_overview()
    prov = Provenance.of(_snapshot(True))
    page = landing_page(view, books, tmp_path, provenance=prov).read_text()
    assert DEMO_NOTICE in page and 'role="alert"' in page and "Data hentet 2025-06-20" in page
    # The overview is a site of many books, not a book (finding 40).
    assert "Denne boken" not in page and "Denne boka" not in page
    prov = Provenance.of(_snapshot(False))
    page = landing_page(view, books, tmp_path / "b", provenance=prov).read_text()
    assert DEMO_NOTICE not in page and "Kilde: Statistisk sentralbyrå" in page


# ------------------------------------------------------------------------ missing symbols


def _long() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Serie": ["A", "A", "A", "A", "B"],
            "År": [2021, 2022, 2023, 2024, 2024],
            "Verdi": [None, None, None, 4.0, 5.0],
            "status": [":", "..", ".", None, None],
        }
    ).astype({"Verdi": float})


def test_chart_tables_show_each_missing_symbol() -> None:
    table = wide(_long(), "Serie", "År", "Verdi")
    html = figure.data_table(table, "T", 1, {}, {"Serie"})
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", html)
    assert cells[:4] == [":", "..", ".", "4,0"]
    assert cells[4:7] == ["\u2013"] * 3  # B has no row for these years at all


def test_downloads_keep_a_status_column() -> None:
    from navbok.present.exports import with_status_columns

    table = wide(_long(), "Serie", "År", "Verdi")
    out = with_status_columns(table)
    # The same layout in every year: a status column also where no value is missing.
    assert list(out.columns) == [
        "Serie", "2021", "2021 status", "2022", "2022 status", "2023", "2023 status", "2024",
        "2024 status",
    ]  # fmt: skip
    assert list(out["2021 status"]) == [":", ""] and list(out["2023 status"]) == [".", ""]
    assert list(out["2024 status"]) == ["", ""]
    text = csv_bytes(out).decode("utf-8-sig")
    assert "A;;:;;..;;.;4,0;" in text


def test_level_table_symbols() -> None:
    from navbok.comparison import ComparisonRow
    from navbok.report.figures import cell_symbol

    def row(value: float | None, status: str | None) -> ComparisonRow:
        return ComparisonRow("A", Kind.KOMMUNE, "1", 2024, value, status, "")

    assert cell_symbol(None, float("nan")) == ".."
    assert cell_symbol(row(None, ":"), float("nan")) == ":"
    assert cell_symbol(row(None, "."), float("nan")) == "."
    assert cell_symbol(row(None, None), float("nan")) == ".."
    assert cell_symbol(row(3.0, None), 3.0) is None


# --------------------------------------------------------------------------- series breaks


def _series(values: dict[int, float], serie: str = "Asker", region: str = "3203") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kind": Kind.NABO,
            "Serie": serie,
            "region": region,
            "År": list(values),
            "Verdi": list(values.values()),
        }
    )


def test_an_unexplained_jump_is_not_mentioned() -> None:
    from navbok.report.breaks import BreakContext, break_note

    noise = _series({2018: 3.0, 2019: 7.0, 2020: 2.0})  # small numbers that swing
    assert break_note(noise, (Kind.NABO,), context=BreakContext()) == ""
    assert break_note(noise, (Kind.NABO,)) == ""


def test_a_merger_explains_a_jump_with_counts_without_decimals() -> None:
    from navbok.report.breaks import BreakContext, break_note

    ctx = BreakContext(
        decimals=0, borders={"3203": {2020: "Asker, Røyken og Hurum ble slått sammen fra 2020"}}
    )
    note = break_note(_series({2019: 1979.4, 2020: 849.0, 2021: 900.0}), (Kind.NABO,), context=ctx)
    assert "Asker 2019–2020 (1\u00a0979 → 849): Asker, Røyken og Hurum ble slått sammen" in note
    assert "Sjekk" not in note and "Mulig" not in note and ",4" not in note
    other = _series({2019: 10.0, 2020: 30.0}, serie="Bærum", region="3201")
    assert break_note(other, (Kind.NABO,), context=ctx) == ""


def test_a_table_change_and_the_change_to_cases_explain_a_jump() -> None:
    from navbok.measures import Stitch
    from navbok.report.breaks import BreakContext, break_note, table_changes

    st = Stitch("sosialhjelp", ["13138", "13995"], {"13138": [2020, 2021], "13995": [2022, 2023]})
    tables = table_changes([st], {"sosialhjelp"})
    assert list(tables) == [2022] and "sosialhjelpstilfeller" in tables[2022]
    assert table_changes([st], {"befolkning"}) == {}
    ctx = BreakContext(decimals=2, tables=tables)
    note = break_note(_series({2021: 10.0, 2022: 20.0, 2023: 40.0}), (Kind.NABO,), context=ctx)
    assert "2021–2022 (10,00 → 20,00): SSB fører serien videre i tabell 13995" in note
    assert "2022–2023" not in note  # the same kind of jump a year later has no known reason


def test_border_changes_from_the_register() -> None:
    from navbok.report.breaks import border_changes

    class Register:
        preds = {("3203", 2019): ["0220", "0627", "0628"], ("3203", 2020): ["3025"],
                 ("3201", 2019): ["0219"], ("3201", 2020): ["3024"]}  # fmt: skip

        def predecessors(self, code: str, year: int) -> list[str]:
            return self.preds[(code, year)]

        def successors(self, code: str, year: int) -> dict[str, float]:
            return {"x": 1.0}

    names = {"0220": "Asker", "0627": "Røyken", "0628": "Hurum"}
    assert (
        "Asker, Røyken og Hurum ble slått sammen fra 2020"
        in border_changes(Register(), "3203", [2019, 2020], names)[2020]
    )
    assert border_changes(Register(), "3201", [2019, 2020], names) == {}  # a new number only


def test_a_report_hands_its_own_provenance_to_its_downloads(mini_data) -> None:
    # No process-wide setting: each report's downloads carry its own snapshot's provenance,
    # whatever another report (or none) was opened before.
    from navbok import present
    from navbok.params import Params
    from navbok.report import Report

    assert not hasattr(present.exports, "set_provenance")
    r = Report(mini_data, Params(kommune="3201", name="Bærum", start_year=2023, end_year=2024))
    assert r.provenance == Provenance.of(mini_data.snapshot)
    csv = _downloads(r.figures.line("andel_18_66", "andel").html)["csv"].decode("utf-8-sig")
    assert csv.startswith(f"# Kilde: {r.provenance.sources}".replace(";", ","))
    assert f"# Hentet: {r.provenance.fetched}" in csv
