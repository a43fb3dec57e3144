"""navbok.present.tables / figure / exports: estimates are marked, downloads are data.

Constructed frames with known values: a population-share estimate reads «≈ 1 200» in the table
with one note line, is an open point with a tooltip line in the chart, a whole person in the
download; every column of numbers has a status column beside it, in every year.
"""

from __future__ import annotations

import base64
import io
import re

import pandas as pd

from navbok import status
from navbok.present import chart_specs
from navbok.present.exports import (
    MarkedFrame,
    with_cell_estimates,
    with_cell_statuses,
    with_status_columns,
)
from navbok.present.figure import data_table, show_chart
from navbok.present.tables import show_table, wide

LONG = pd.DataFrame(
    {
        "Serie": ["Ålesund"] * 3 + ["Landet"] * 3,
        "År": [2019, 2020, 2024] * 2,
        "Verdi": [873.0, 1200.2334747183231, 1366.0, 9000.0, float("nan"), 9500.0],
        "status": [None, None, None, None, ":", None],
        "estimate": [False, True, False, False, False, False],
    }
)


def _download(html_text: str, kind: str = "csv") -> bytes:
    found = re.search(rf'href="data:[^"]*;base64,([^"]+)" download="[^"]+\.{kind}"', html_text)
    assert found, kind
    return base64.b64decode(found.group(1))


def _csv(html_text: str) -> pd.DataFrame:
    raw = _download(html_text).decode("utf-8-sig")
    return pd.read_csv(io.StringIO(raw), sep=";", decimal=",", comment="#", dtype=str)


def test_wide_keeps_the_estimates() -> None:
    table = wide(LONG, "Serie", "År", "Verdi")
    cells = data_table(table, "Mottakere", decimals=0, text_columns=["Serie"])
    assert "≈ 1 200" in cells.replace("\u00a0", " ")
    assert "≈ 873" not in cells and "≈ 1 366" not in cells.replace("\u00a0", " ")
    assert cells.count(status.ESTIMATE_NOTE) == 1  # the note, once


def test_a_figure_download_has_whole_persons_and_one_status_column_per_year() -> None:
    table = wide(LONG, "Serie", "År", "Verdi")
    chart = chart_specs.line_chart(
        LONG, "År", "Verdi", "Serie", "Ålesund", "Mottakere", "Linjer", "personer",
        estimate="estimate",
    )  # fmt: skip
    out = show_chart(
        chart, table, "mottakere", "Mottakere.", decimals=0, text_columns=["Serie"], provenance=None
    )
    frame = _csv(out.html)
    # the same layout in every year, whether or not a value is missing there
    assert list(frame.columns) == [
        "Serie", "2019", "2019 status", "2020", "2020 status", "2024", "2024 status",
    ]  # fmt: skip
    row = frame.set_index("Serie").loc["Ålesund"]
    assert row["2020"] == "1200" and row["2020 status"] == status.ESTIMATE  # a whole person
    assert frame.set_index("Serie").loc["Landet", "2020 status"] == ":"
    book = pd.read_excel(io.BytesIO(_download(out.html, "xlsx")), sheet_name="Tall")
    assert book.loc[0, "2020"] == 1200 and book.loc[0, "2019"] == 873


def test_a_line_chart_draws_estimates_as_open_points_with_a_tooltip() -> None:
    spec = chart_specs.line_chart(
        LONG, "År", "Verdi", "Serie", "Ålesund", "Mottakere", "Linjer", "personer",
        estimate="estimate",
    )  # fmt: skip
    values = next(iter(spec["datasets"].values()))
    marks = {(v["Serie"], v["År"]): v[chart_specs.ESTIMATE_FIELD] for v in values}
    assert marks[("Ålesund", 2020)] == chart_specs.ESTIMATE_TIP
    assert marks[("Ålesund", 2019)] == "" and marks[("Landet", 2020)] == ""
    open_points = [layer for layer in spec["layer"] if layer["mark"].get("filled") is False]
    assert len(open_points) == 1 and open_points[0]["mark"]["fill"] == "white"
    tips = [t["field"] for t in open_points[0]["encoding"]["tooltip"]]
    assert chart_specs.ESTIMATE_FIELD in tips
    # without estimates the chart is what it was
    plain = chart_specs.line_chart(
        LONG.assign(estimate=False), "År", "Verdi", "Serie", "Ålesund", "M", "L", "personer",
        estimate="estimate",
    )  # fmt: skip
    assert len(plain["layer"]) == 2


def test_show_table_marks_estimates_and_explains_them_once() -> None:
    cells = pd.DataFrame({"År": ["2020", "2024"], "Mottakere": ["1 200", "1 366"]})
    data = pd.DataFrame({"År": [2020, 2024], "Mottakere": pd.array([1200, 1366], "Int64")})
    marked = with_cell_estimates(data, {"Mottakere": [True, False]})
    out = show_table(cells, "antall", "Mottakere", data=marked, provenance=None)
    assert '<td class="num">≈ 1 200</td>' in out.html
    assert '<td class="num">1 366</td>' in out.html
    assert out.html.count(status.ESTIMATE_NOTE) == 1
    frame = _csv(out.html)
    assert frame["Mottakere status"].fillna("").tolist() == [status.ESTIMATE, ""]


def test_status_columns_only_for_numbers() -> None:
    frame = pd.DataFrame({"Serie": ["a"], "År": [2020], "Verdi": [1.5]})
    marked = with_cell_statuses(frame, {})  # carries statuses, none missing
    assert list(with_status_columns(marked).columns) == ["Serie", "År", "Verdi", "Verdi status"]
    bare = pd.DataFrame({"Serie": ["a"], "Verdi": [1.5]})
    assert list(with_status_columns(bare).columns) == ["Serie", "Verdi"]
    assert list(with_status_columns(MarkedFrame(bare)).columns) == ["Serie", "Verdi"]


def test_marks_ride_beside_the_frame_not_in_it() -> None:
    # The marks are an explicit carrier: a frame never holds them (pandas' attrs stay empty),
    # a copy or a new frame of the numbers has none, and marks for rows a frame does not have
    # are not used.
    frame = pd.DataFrame({"Serie": ["a", "b"], "Verdi": [1.5, float("nan")]})
    marked = with_cell_estimates(
        with_cell_statuses(frame, {"Verdi": [None, ":"]}), {"Verdi": [True, False]}
    )
    assert frame.attrs == {} and marked.frame is frame
    assert with_status_columns(marked)["Verdi status"].tolist() == [status.ESTIMATE, ":"]
    assert with_status_columns(marked.frame.copy()).columns.tolist() == ["Serie", "Verdi"]
    short = marked.with_frame(frame.head(1))
    assert with_status_columns(short)["Verdi status"].tolist() == [""]
