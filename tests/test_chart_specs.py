"""The dict chart builders give exactly the spec Altair gives for the same chart.

``tests/altair_charts.py`` holds the builders as they were written with Altair; every case here
builds the chart both ways and compares the dicts (and so the dataset names, which hash the
data). The golden notebooks then show that the book's pages did not change.
"""

from __future__ import annotations

import itertools

import altair_charts as ref
import jsonschema
import numpy as np
import pandas as pd
import pytest

from navbok.present import chart_specs, figure


def _series(names: list[str], years: list[int], gaps: int = 0) -> pd.DataFrame:
    rows = []
    for i, (name, year) in enumerate(itertools.product(names, years)):
        value = np.nan if gaps and i % gaps == 0 else 1000.0 / (i + 3) + year % 7
        rows.append((name, year, value))
    return pd.DataFrame(rows, columns=["Serie", "År", "Verdi"])


LINE_CASES = {
    "years": _series(["Bærum", "Asker", "ASSS-snitt", "Landet"], list(range(2015, 2025))),
    "gaps": _series(["Bærum", "Asker", "Landet"], list(range(2015, 2020)), gaps=4),
    "no focus": _series(["Asker", "Landet"], [2020, 2021]),
    "many series": _series([f"K{i}" for i in range(12)] + ["Bærum"], [2019, 2020]),
    "one point": _series(["Bærum"], [2024]),
}


@pytest.mark.parametrize("case", sorted(LINE_CASES))
def test_line_chart_equals_altair(case: str) -> None:
    df = LINE_CASES[case]
    args = (df, "År", "Verdi", "Serie", "Bærum", "Tittel", "Beskrivelse.", "prosent", ",.2f")
    assert chart_specs.line_chart(*args) == ref.line_chart(*args).to_dict()
    kw = {"x_title": "År", "series_title": "Region"}
    assert chart_specs.line_chart(*args, **kw) == ref.line_chart(*args, **kw).to_dict()


@pytest.mark.parametrize(
    "dates",
    [
        pd.date_range("2020-01-01", periods=6, freq="MS"),  # monthly
        pd.date_range("2015-01-01", periods=4, freq="YS"),  # yearly
        pd.date_range("2020-01-03", periods=5, freq="7D"),  # daily
    ],
)
def test_line_chart_dates_equal_altair(dates: pd.DatetimeIndex) -> None:
    df = pd.DataFrame(
        {
            "Måned": list(dates) * 2,
            "Andel": np.r_[np.linspace(1, 2, len(dates)), np.linspace(2, 3, len(dates))],
            "Serie": ["Bærum"] * len(dates) + ["Landet"] * len(dates),
        }
    )
    df.loc[1, "Andel"] = np.nan
    args = (df, "Måned", "Andel", "Serie", "Bærum", "T", "D.", "prosent")
    assert chart_specs.line_chart(*args) == ref.line_chart(*args).to_dict()


def test_line_chart_text_x_and_string_dtype_equal_altair() -> None:
    df = pd.DataFrame(
        {
            "Periode": pd.array(["2019–2020", "2020–2021", "2019–2020"], dtype="string"),
            "Verdi": [1.5, np.inf, 2.5],  # inf is no number for Vega: null, as Altair writes
            "Serie": pd.array(["Bærum", "Bærum", None], dtype="string"),
        }
    )
    args = (df, "Periode", "Verdi", "Serie", "Bærum", "T", "D.", "kr")
    assert chart_specs.line_chart(*args) == ref.line_chart(*args).to_dict()


@pytest.mark.parametrize("horizontal", [True, False])
@pytest.mark.parametrize("sort", [True, False])
def test_bar_chart_equals_altair(horizontal: bool, sort: bool) -> None:
    df = pd.DataFrame(
        {
            "Kommune": ["Bærum", "Asker", "Oslo", "Bø"],
            "Andel": [2.5, np.nan, 4.25, 3.0],
            "Antall": pd.array([3, None, 5, 7], dtype="Int64"),
        }
    )
    for value in ("Andel", "Antall"):
        args = (df, "Kommune", value, "Bærum", "T", "D.", "prosent", ",.1f", horizontal)
        kw = {"category_title": "Kommune", "sort": sort}
        assert chart_specs.bar_chart(*args, **kw) == ref.bar_chart(*args, **kw).to_dict()


def test_bar_chart_with_nothing_to_show_equals_altair() -> None:
    df = pd.DataFrame({"Kommune": ["Bærum"], "Andel": [np.nan]})
    args = (df, "Kommune", "Andel", "Bærum", "T", "D.", "prosent")
    assert chart_specs.bar_chart(*args) == ref.bar_chart(*args).to_dict()


@pytest.mark.parametrize(
    ("values", "kinds"),
    [
        ([100.0, 20.0, -5.0, 1.0, 3.0, np.nan], ["start"] + ["delta"] * 4 + ["total"]),
        ([100.0, 20.0, np.nan, 3.0, 130.0, 2.0], ["start"] + ["delta"] * 3 + ["total", "delta"]),
        ([np.nan, 5.0, 10.0], ["start", "delta", "total"]),
        ([7, 3, 2], ["start", "delta", "delta"]),
    ],
)
def test_waterfall_chart_equals_altair(values: list[float], kinds: list[str]) -> None:
    steps = pd.DataFrame({"label": [f"Post {i}" for i in range(len(values))], "value": values})
    steps["kind"] = kinds
    args = (steps, "Endring", "Vannfall.", ",.1f")
    assert chart_specs.waterfall_chart(*args, value_title="kr") == (
        ref.waterfall_chart(*args, value_title="kr").to_dict()
    )


def test_heatmap_equals_altair() -> None:
    df = pd.DataFrame(
        {
            "År": [2022, 2023, 2022, 2023],
            "Nøkkeltall": ["SOS01", "SOS01", "SOS02", "SOS02"],
            "Karakter": [3.5, np.nan, 5.0, 1.25],
        }
    )
    args = (df, "År", "Nøkkeltall", "Karakter", "T", "Varmekart.")
    kw = {"value_title": "Karakter", "x_title": "År", "y_title": "Nøkkeltall"}
    assert chart_specs.heatmap(*args, **kw) == ref.heatmap(*args, **kw).to_dict()
    wide = {"domain": (0, 10)}
    assert chart_specs.heatmap(*args, **wide) == ref.heatmap(*args, **wide).to_dict()


def test_colour_scale_equals_altair() -> None:
    names = [f"K{i}" for i in range(9)] + ["Bø"]
    assert chart_specs.colour_scale(names, "Bø") == ref.colour_scale(names, "Bø").to_dict()


def test_invalid_spec_raises_every_time() -> None:
    spec = chart_specs.bar_chart(
        pd.DataFrame({"k": ["a"], "v": [1.0]}), "k", "v", "a", "T", "D.", "verdi"
    )
    bad = {**spec, "width": "nesten full"}  # neither a number nor "container"
    for _ in range(2):  # an invalid shape is never remembered as valid
        with pytest.raises(jsonschema.ValidationError):
            figure.show_chart(bad, pd.DataFrame({"k": ["a"]}), "x", "c")
