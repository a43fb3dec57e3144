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

from navbok.present import chart_specs, figure, theme


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
            figure.show_chart(bad, pd.DataFrame({"k": ["a"]}), "x", "c", provenance=None)


KINDS = {"Asker": "nabo", "Akershus": "fylke", "KOSTRA-gruppe 12": "kostragruppe"}


@pytest.mark.parametrize("horizontal", [True, False])
def test_bar_chart_with_kinds_and_reference_equals_altair(horizontal: bool) -> None:
    df = pd.DataFrame(
        {
            "Serie": ["Bærum", "Asker", "ASSS-snitt", "Akershus", "Landet"],
            "Indeks": [95.0, 110.0, 100.0, np.nan, 104.0],
        }
    )
    args = (df, "Serie", "Indeks", "Bærum", "T", "D.", "indeks", ",.0f", horizontal)
    for kw in ({"kinds": KINDS}, {"reference": 100}, {"kinds": KINDS, "reference": 100.0}):
        assert chart_specs.bar_chart(*args, **kw) == ref.bar_chart(*args, **kw).to_dict()


def test_line_chart_with_kinds_and_reference_equals_altair() -> None:
    df = _series(["Bærum", "Asker", "Akershus", "KOSTRA-gruppe 12", "Landet"], [2020, 2021])
    args = (df, "År", "Verdi", "Serie", "Bærum", "T", "D.", "indeks")
    kw = {"kinds": KINDS, "reference": 100}
    assert chart_specs.line_chart(*args, **kw) == ref.line_chart(*args, **kw).to_dict()


def test_heatmap_sequential_equals_altair() -> None:
    df = pd.DataFrame({"År": [2022, 2023], "Nøkkeltall": ["A", "A"], "Karakter": [2.0, 5.5]})
    args = (df, "År", "Nøkkeltall", "Karakter", "T", "Varmekart.")
    assert chart_specs.heatmap(*args, mid=None) == ref.heatmap(*args, mid=None).to_dict()


def _styles(spec: dict) -> dict[str, tuple[str, list[int]]]:
    """Series → (colour, dash) from a line chart's scales."""
    enc = spec["layer"][0]["encoding"]
    colours = dict(
        zip(enc["color"]["scale"]["domain"], enc["color"]["scale"]["range"], strict=True)
    )
    dash = enc["strokeDash"]["scale"]
    dashes = dict(zip(dash["domain"], dash["range"], strict=True))
    return {name: (colours[name], dashes[name]) for name in colours}


def test_each_comparison_kind_keeps_its_style_in_every_book() -> None:
    """A kind's colour and dash do not depend on which other series a book has, or their order."""
    baerum = _series(
        [
            "Bærum",
            "Asker",
            "ASSS-snitt",
            "KOSTRA-gruppe 13 (inndeling til 2019)",
            "KOSTRA-gruppe 12",
            "Akershus",
            "Landet",
            "Landet uten Oslo",
        ],
        [2020, 2021],
    )
    utsira = _series(["Utsira", "Landet", "KOSTRA-gruppe 3", "Rogaland"], [2020, 2021])
    a = _styles(
        chart_specs.line_chart(
            baerum,
            "År",
            "Verdi",
            "Serie",
            "Bærum",
            "T",
            "D.",
            "y",
            kinds={"Asker": "nabo", "Akershus": "fylke"},
        )
    )
    b = _styles(
        chart_specs.line_chart(
            utsira, "År", "Verdi", "Serie", "Utsira", "T", "D.", "y", kinds={"Rogaland": "fylke"}
        )
    )
    assert a["Bærum"] == b["Utsira"] == (theme.FOCUS_COLOUR, [1, 0])
    assert a["Landet"] == b["Landet"]
    assert a["Akershus"] == b["Rogaland"]
    assert a["KOSTRA-gruppe 12"] == b["KOSTRA-gruppe 3"]
    assert a["KOSTRA-gruppe 13 (inndeling til 2019)"] != a["KOSTRA-gruppe 12"]
    assert len({colour for colour, _ in a.values()}) == len(a)  # every series its own colour
    bars = chart_specs.bar_chart(
        baerum[baerum["År"] == 2020],
        "Serie",
        "Verdi",
        "Bærum",
        "T",
        "D.",
        "y",
        kinds={"Asker": "nabo", "Akershus": "fylke"},
    )
    scale = bars["encoding"]["color"]["scale"]
    assert {n: c for n, c in zip(scale["domain"], scale["range"], strict=True)} == {
        n: c for n, (c, _) in a.items()
    }


def test_reference_line_and_waterfall_labels() -> None:
    df = pd.DataFrame({"k": ["a", "b"], "v": [90.0, 120.0]})
    spec = chart_specs.bar_chart(df, "k", "v", "a", "T", "D.", "indeks", reference=100)
    rule = spec["layer"][1]
    assert rule["mark"]["type"] == "rule" and rule["encoding"]["x"] == {"datum": 100}
    steps = pd.DataFrame(
        {
            "label": ["Start", "Opp", "Ned", "Slutt"],
            "value": [100.0, 4.25, -1.5, np.nan],
            "kind": ["start", "delta", "delta", "total"],
        }
    )
    wf = chart_specs.waterfall_chart(steps, "T", "D.")
    texts = [row["text"] for row in next(iter(wf["datasets"].values()))]
    assert texts == ["100,0", "+4,3", "\u22121,5", "102,8"]
