"""Chapter helpers: the AAP ratio and expected share, level tables, local data sections,
growth views, group totals for AAP and population (mini replay, no NAVBOK_SOURCE)."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

from navbok.analysis.aap import expected_share, ratio_table
from navbok.comparison import Kind
from navbok.params import Params, load_params
from navbok.present.shown import shown
from navbok.present.tables import show_table
from navbok.report import Report


def test_expected_aap_share_reproduces_the_source_document() -> None:
    # 001: «Vi ville forvente … ca 2,5 %»: Bærum's social-assistance share 2,6 × ASSS ratio 0,97.
    assert expected_share(2.6, 0.97 * 3.0, 3.0) == pytest.approx(2.522)
    assert round(expected_share(2.6, 0.97 * 3.0, 3.0), 1) == 2.5
    assert math.isnan(expected_share(float("nan"), 1.0, 1.0))
    assert math.isnan(expected_share(2.0, 1.0, 0.0))


def _comparison(values: dict[Kind, float]) -> pd.DataFrame:
    return pd.DataFrame(
        [(k, k, k, 2020, v, None) for k, v in values.items()],
        columns=["series", "kind", "region", "year", "value", "status"],
    )


def test_ratio_table_uses_the_ratio_of_the_asss_averages() -> None:
    aap = _comparison({Kind.KOMMUNE: 1.8, Kind.ASSS_SNITT: 3.5, Kind.LANDET: 3.3})
    sos = _comparison({Kind.KOMMUNE: 2.6, Kind.ASSS_SNITT: 3.6, Kind.LANDET: 3.7})
    t = ratio_table(aap, sos, 2020).set_index("kind")
    assert t.loc[Kind.ASSS_SNITT, "ratio"] == pytest.approx(3.5 / 3.6)
    assert t.loc[Kind.KOMMUNE, "ratio"] == pytest.approx(1.8 / 2.6)
    assert list(t.index) == [Kind.KOMMUNE, Kind.ASSS_SNITT, Kind.LANDET]


def test_aap_ratio_is_one_figure_in_table_text_and_chart(mini_data) -> None:
    from navbok.present.numbers import fmt_number

    r = Report(mini_data, Params(kommune="3201", name="Bærum", end_year=2024, aap_year=2020))
    r.groups.asss = {y: ["0301", "3201"] for y in r.groups.years}  # the mini replay's members
    table, texts = r.aap.ratio()
    chart = r.comparison("aap_forholdstall", [2020])  # what r.figures.line(...) draws
    asss = float(chart[chart["kind"] == Kind.ASSS_SNITT]["value"].iloc[0])
    assert texts["ratio_asss"] == fmt_number(asss, 2)
    row = f'<th scope="row">ASSS-snitt</th>.*?<td class="num">{fmt_number(asss, 2)}</td></tr>'
    assert re.search(row, table.html)
    own = [r.value("aap_forholdstall", 2020, k)[0] for k in (Kind.ASSS_HOY, Kind.ASSS_LAV)]
    assert abs(asss - sum(own) / 2) > 0.02  # not the mean of the two members' ratios


def test_show_table_escapes_and_offers_csv() -> None:
    cells = pd.DataFrame({"Rad": ["<b>x</b>"], "Verdi": ["1 234,5"]})
    out = show_table(
        cells,
        "Min tabell",
        "Tekst",
        data=pd.DataFrame({"Rad": ["x"], "Verdi": [1234.5]}),
        provenance=None,
    )
    assert "&lt;b&gt;x&lt;/b&gt;" in out.html
    assert 'id="navbok-table-min-tabell"' in out.html
    assert 'download="min-tabell.csv"' in out.html
    assert '<th scope="row">' in out.html and re.search(r"<caption[^>]*>Tekst</caption>", out.html)


@pytest.fixture(scope="module")
def report(mini_data) -> Report:
    params = Params(kommune="3201", name="Bærum", neighbours=["3203"], end_year=2024)
    return Report(mini_data, params)


def test_group_totals_for_aap_and_population(mini_data) -> None:
    m = mini_data.measures
    aap = m[m["measure"] == "aap_mottakere"].set_index(["region", "year"])["value"]
    # Landet uten Oslo = Landet − Oslo, for a measure SSB publishes no aggregate of.
    assert aap[("EAKUO", 2024)] == aap[("EAK", 2024)] - aap[("0301", 2024)]
    pop = m[m["measure"] == "befolkning_18_66"].set_index(["region", "year"])["value"]
    # KOSTRA group 12 in the 2024 scheme is Bærum + Asker: summed over the members.
    assert pop[("EKG12", 2024)] == pop[("3201", 2024)] + pop[("3203", 2024)]
    assert aap[("EKG12", 2024)] == aap[("3201", 2024)] + aap[("3203", 2024)]


def test_level_table_shows_years_and_asss_columns(report: Report) -> None:
    table = report.figures.level_table(
        ["andel_18_66", "stonadslengde"], "niva", "Nivå", [2022, 2023]
    )
    html = table.html
    assert "Bærum 2022" in html and "ASSS-snitt 2023" in html and "Landet 2023" in html
    value = report.text("andel_18_66", 2023)
    assert value in html


def test_local_section_only_when_params_name_a_file(
    report: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert report.local.section("kontekst", "Kontekst", "x") is None  # no output, no empty box
    monkeypatch.setenv("NAVBOK_LOCAL_DATA", str(tmp_path))  # outside the project: allowed here
    f = tmp_path / "kontekst.csv"
    f.write_text("# source: Kommunens fagsystem\nGruppe,Antall\nA,3\n", "utf-8")
    params = tmp_path / "p.yml"
    params.write_text("kommune: '3201'\nname: Bærum\nlocal_data:\n  kontekst: kontekst.csv\n")
    r = Report(report.data, load_params(params))
    html = r.local.section("kontekst", "Kontekst", "Intro").html
    assert "<h2>Kontekst</h2>" in html and "Kommunens fagsystem" in html and ">3<" in html


def test_relative_difference_uses_the_comparison_as_base(report: Report) -> None:
    own, _ = report.value("stonadslengde", 2023)
    land, _ = report.value("stonadslengde", 2023, Kind.LANDET)
    diff = report.growth.difference("stonadslengde", 2023, Kind.LANDET)
    expected = round(100 * (own - land) / land)
    word = "høyere enn" if expected > 0 else "lavere enn"
    assert (diff["ord"], diff["prosent"].text) in ((word, str(abs(expected))), ("på nivå med", "0"))


def test_growth_decomposition_matches_the_measures(report: Report) -> None:
    m = report.data.measures
    t = m[(m["region"] == "3201") & (m["measure"] == "utbetalt")].set_index("year")["value"]
    d = report.growth.decompose(2015, 2019)
    assert d.g_T == pytest.approx(t[2019] / t[2015] - 1)
    assert d.g_T == pytest.approx(d.g_N + d.g_L + d.g_P + d.combination)
    fig, comp, kroner, texts = report.growth.decomposition(2015, 2019)
    assert "Kombinasjonseffekt" in fig.html and "Landet" in comp.html
    assert texts["aar0"] == "2015" and texts["g_T"].endswith("%")


def test_real_terms_row_when_params_name_a_price_index(report: Report, tmp_path: Path) -> None:
    index = tmp_path / "kpi.csv"
    index.write_text("year;index\n2015;100\n2019;110\n", "utf-8")
    params = tmp_path / "p.yml"
    params.write_text("kommune: '3201'\nname: Bærum\nprice_index: kpi.csv\n", "utf-8")
    r = Report(report.data, load_params(params))
    table = r.growth.table(2015, 2019).set_index("label")
    nominal = table.loc["Bærum", "g_T"]
    real = table.loc["Bærum, faste 2019-priser", "g_T"]
    assert real == pytest.approx((1 + nominal) / 1.1 - 1)
    assert table.loc["Bærum, faste 2019-priser", "g_N"] == pytest.approx(table.loc["Bærum", "g_N"])


def test_a_shown_value_says_whether_it_is_missing(report: Report) -> None:
    """«Is it missing?» is asked of the value and its status, never of the text."""
    last = report.years[-1]
    value = report.shown("andel_18_66", last)
    assert value and not value.missing and str(value) == report.text("andel_18_66", last)
    gone = report.shown("andel_18_66", 1990)
    assert not gone and gone.missing and gone.gap == "mangler" and str(gone) == ".."


def test_growth_paragraph_says_falls_and_more_than_all_of_the_growth() -> None:
    from test_growth_words import paragraph

    from navbok.analysis.growth import from_rates

    d = from_rates(
        -0.042, 0.264, 0.018, T0=1000.0, N0=1000.0, label="Larvik", year0=2015, year1=2019
    )
    text = paragraph("Larvik", d, 0.239)
    assert "Antall mottakere falt med 4,2" in text
    assert "mer enn hele veksten; færre mottakere trakk ned" in text
    assert "0,6 prosentpoeng høyere enn i Larvik" in text
    spec = from_rates(0.041, 0.157, 0.039, T0=100.0, N0=1000.0, year0=2015, year1=2019)
    text = paragraph("Bærum", spec, float("nan"))
    assert "økte de samlede utbetalingene i Bærum med 25,1" in text
    assert "lengre stønadsperioder" in text and "ASSS" not in text


def test_wide_table_keeps_year_order_and_empty_years() -> None:
    from navbok.present.tables import wide

    df = pd.DataFrame(
        {
            "Serie": ["A", "A", "B", "B", "B"],
            "År": [2021, 2016, 2015, 2016, 2024],
            "Verdi": [1.0, 2.0, float("nan"), 3.0, float("nan")],
        }
    )
    t = wide(df, "Serie", "År", "Verdi").frame
    assert list(t.columns) == ["Serie", "2015", "2016", "2021", "2024"]
    assert list(t["Serie"]) == ["A", "B"]
    assert t["2024"].isna().all() and t.loc[1, "2016"] == 3.0


@pytest.mark.parametrize("seed", range(6))
def test_wide_table_equals_pivot_table(seed: int) -> None:
    """The direct placement of values gives pandas' pivot_table frame (and the fallback keeps
    pivot_table's mean for repeated cells and its integer columns)."""
    import random

    from navbok.present.tables import wide

    rng = random.Random(seed)
    series = ["Bærum", "ASSS-snitt", "KOSTRA-gruppe 13 (inndeling til 2019)", "Landet", "Asker"]
    keys = [(s, y) for s in series for y in range(2015, 2025) if rng.random() < 0.8]
    if seed == 4:
        keys += keys[:3]  # repeated cells: averaged, as pivot_table does
    values = [rng.choice([float("nan"), rng.uniform(0, 50)]) for _ in keys]
    df = pd.DataFrame(keys, columns=["Serie", "År"]).assign(Verdi=values)
    if seed == 5:
        df["Verdi"] = [rng.randint(0, 9) for _ in keys]  # integers
    for args in (("Serie", "År", "Verdi"), ("År", "Serie", "Verdi")):
        for sort_rows in (False, True):
            got = wide(df, *args, sort_rows=sort_rows).frame
            index, columns, val = args
            rows = list(dict.fromkeys(df[index]))
            rows = sorted(rows) if sort_rows else rows
            want = df.pivot_table(index=index, columns=columns, values=val, dropna=False)
            want = want.reindex(index=rows, columns=sorted(set(df[columns]))).reset_index()
            want.columns = [str(c) for c in want.columns]
            pd.testing.assert_frame_equal(got, want)


def test_growth_texts_equal_the_full_decomposition_texts(report: Report) -> None:
    full = report.growth.decomposition(2015, 2019)[3]
    full.pop("tabell")  # the note under the decomposition table: only with the table
    assert report.growth.texts(2015, 2019) == full


def test_a_template_falls_back_only_for_the_values_it_asks(mini_data) -> None:
    from navbok.present.chapter_text import render

    values = {"a": shown(1.5, 1), "b": shown(None, 1), "navn": "Bærum"}
    text = "{% if a %}A er {{ a }}.{% else %}A mangler.{% endif %}"
    assert render(text, values) == "A er 1,5."
    text = "{% if b %}B er {{ b }}.{% else %}B {{ b.gap }} for {{ navn }}.{% endif %}"
    assert render(text, values) == "B mangler for Bærum."
