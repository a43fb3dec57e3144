"""navbok.site.workbook and the downloads it is made of: numbers are numbers, headers are
Norwegian, sheets are named after whole words, the top list has its ten."""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from navbok.params import Params
from navbok.present.exports import csv_bytes
from navbok.report.report import Report
from navbok.site import workbook


@pytest.fixture(scope="module")
def report(mini_data) -> Report:
    return Report(
        mini_data, Params(kommune="3201", name="Bærum", neighbours=["3203"], end_year=2024)
    )


def _csv(html_text: str) -> pd.DataFrame:
    found = re.search(r'href="data:text/csv[^"]*;base64,([^"]+)"', html_text)
    assert found
    raw = base64.b64decode(found.group(1)).decode("utf-8-sig")
    return pd.read_csv(io.StringIO(raw), sep=";", decimal=",", comment="#")


def test_sheet_names_are_whole_words_and_numbered() -> None:
    titles = [
        "Brutto utbetalt økonomisk sosialhjelp per innbygger 18–66 år (kr), 2024",
        "Brutto utbetalt økonomisk sosialhjelp per innbygger 18–66 år (kr), rangert",
        "A/B: [x]?",
        "Innhold",
    ]
    names = workbook.sheet_names(titles)
    assert names[0] == "01 Brutto utbetalt økonomisk"
    assert names[1] == "02 Brutto utbetalt økonomisk"
    assert names[2] == "03 A B x" and names[3] == "04 Innhold"
    assert all(len(n) <= 31 and "(" not in n for n in names)
    for name, title in zip(names, titles, strict=True):  # every word whole, as in the title
        words = re.sub(r"[\[\]:*?/\\]", " ", title).split()
        assert name.split(" ", 1)[1].split() == words[: len(name.split()) - 1]


def test_the_service_profile_downloads_numbers() -> None:
    from types import SimpleNamespace

    from navbok import indicators as ind
    from navbok.comparison import Kind
    from navbok.report.intro import PROFILE, IntroViews

    def value(indicator: str, year: int, kind: Kind | None = None) -> tuple[float, str | None]:
        if indicator == "andel_18_24":
            return float("nan"), ":"
        own = 67314.0 if indicator == "stonad_per_mottaker" else 3.25
        return (own * 1.1 if kind else own), None

    ctx = SimpleNamespace(
        name="Bergen",
        provenance=None,
        peers=SimpleNamespace(label="ASSS-snittet"),
        main_kind=Kind.ASSS_SNITT,
        indicator=lambda i: ind.register()[i],
        value=value,
        aap_periods=SimpleNamespace(at_year_end=lambda year: None),
    )
    assert "stonad_per_mottaker" in PROFILE
    out = IntroViews(ctx, None, None, None).service_profile(2024)  # type: ignore[arg-type]
    frame = _csv(out.html)
    assert list(frame.columns) == [
        "Nøkkeltall", "Indeks", "Indeks status", "Bergen", "Bergen status",
        "ASSS-snittet", "ASSS-snittet status",
    ]  # fmt: skip
    rows = frame.set_index("Nøkkeltall")
    label = ind.register()["stonad_per_mottaker"].profile_label
    assert rows.loc[label, "Bergen"] == 67314  # a number, never '67\xa0314'
    assert pd.api.types.is_float_dtype(frame["ASSS-snittet"])
    hidden = ind.register()["andel_18_24"].profile_label
    assert pd.isna(rows.loc[hidden, "Bergen"]) and rows.loc[hidden, "Bergen status"] == ":"
    assert "67\u00a0314" in out.html  # the page still shows the Norwegian number


def test_growth_decomposition_downloads_percent(report: Report) -> None:
    _, comp, _, _ = report.growth.decomposition(2015, 2019)
    frame = _csv(comp.html)
    shown = re.findall(r"<td class=\"num\">(-?[\d,\u2212]+)\u00a0?%</td>", comp.html)
    assert shown
    first = float(shown[0].replace(",", ".").replace("\u2212", "-"))
    assert frame.iloc[0, 1] == pytest.approx(first, abs=0.05)  # 36,8 as in the book, not 0.368


def test_the_top_list_download_has_the_ten_best_and_the_own_row() -> None:
    from navbok.report.barometer import _top_rows

    regions = [f"{i:04d}" for i in range(1, 15)]
    ranks = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 12, 13, None]  # a tie at 10; 0014 unranked
    ranking = pd.DataFrame(
        {
            "region": regions,
            "year": 2023,
            "rank": ranks,
            "points": [0.5 - 0.01 * i for i in range(13)] + [0.45],
            "score": [4.0] * 13 + [6.0],
            "weight_share": [1.0] * 13 + [0.05],
            "reason": [""] * 13 + ["tall for 5 % av vekten (krav: 60 %)"],
        }
    )
    names = {r: f"K{r}" for r in regions}
    out = _top_rows(ranking, 2023, names, "0014", 10)
    assert list(out.columns) == [
        "Plass", "Kommunenr", "Kommune", "Poeng", "Snittkarakter",
        "Andel av vekten med data (%)", "Merknad",
    ]  # fmt: skip
    assert out["Plass"].tolist()[:11] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10]  # ties included
    assert len(out) == 12 and out["Kommunenr"].iloc[-1] == "0014"  # the own row last
    last = out.iloc[-1]
    assert pd.isna(last["Plass"]) and pd.isna(last["Poeng"]) and pd.isna(last["Snittkarakter"])
    assert last["Andel av vekten med data (%)"] == 5 and "5 %" in last["Merknad"]
    # a ranked municipality outside the ten is added with its place
    assert _top_rows(ranking, 2023, names, "0013", 10)["Plass"].iloc[-1] == 13


def test_workbook_cells_are_numbers(tmp_path: Path) -> None:
    # The workbook reads the numbers from the outputs' metadata, where IPython puts a figure's
    # or table's Download records (present.tables.display_bundle); never from the HTML.
    from IPython.core.formatters import DisplayFormatter

    from navbok.present.tables import Download, TableOutput

    frame = pd.DataFrame(
        {"Serie": ["Bergen"], "Stønad per mottaker": [67314.0], "Andel": [0.00001]}
    )
    text = csv_bytes(frame).decode("utf-8-sig")
    shown = TableOutput("<p>Tabell</p>", (Download("profil", "Tjenesteprofil 2024", text),))
    data, metadata = DisplayFormatter().format(shown)
    payload = base64.b64encode(csv_bytes(frame)).decode()
    html_only = (
        '<p class="navbok-chart-text">Bare HTML</p>'
        f'<a href="data:text/csv;charset=utf-8;base64,{payload}" download="html.csv">CSV</a>'
    )
    outputs = [{"data": data, "metadata": metadata}, {"data": {"text/html": html_only}}]
    nb = {"cells": [{"cell_type": "code", "outputs": outputs}]}
    path = tmp_path / "intro.ipynb"
    path.write_text(json.dumps(nb), "utf-8")
    assert [t.slug for t in workbook.book_tables([path])] == ["profil"]
    xlsx, _ = workbook.write_workbook(
        [path], tmp_path / "out", kommune="4601", name="Bergen", synthetic=False
    )
    ws = openpyxl.load_workbook(xlsx)["01 Tjenesteprofil 2024"]
    row = [c.value for c in ws[2]]
    assert row == ["Bergen", 67314, pytest.approx(0.00001)]
