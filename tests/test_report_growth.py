"""The growth chapter's views (:class:`navbok.report.growth.GrowthViews`) on constructed
measures: one ASSS member set per year, the headline window, a period that cannot be
decomposed, and the Proba section's peers.

The books are the mini snapshot's (Bærum, an ASSS member; Sandefjord, compared with its KOSTRA
group); the payouts, recipients and months are made here and put in the place the views read
them from (``growth-measures`` in the data's memo), so every expected number is known.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pandas as pd
import pytest
from chapter_run import render_cell

import navbok.report.growth as growth_views
from navbok.analysis.growth import MeasureTable, decompose_regions
from navbok.groups import asss_members
from navbok.params import Params
from navbok.present.shown import shown
from navbok.report import Report
from navbok.report.missing import MissingFigure

YEARS = range(2015, 2025)
LATE_MEMBERS = ("3203", "3205")  # Asker and Lillestrøm: ASSS members from 2022 (default)


def _measures(drop: set[tuple[str, int]] = frozenset()) -> pd.DataFrame:
    """T, N, M for every ASSS code and Landet: members grow 5 % a year in recipients; the two
    late members shrink fast, so a sum that wrongly includes them before 2022 shows."""
    codes = sorted({*asss_members(2015), *asss_members(2024)}) + ["EAK"]
    rows = []
    for code in codes:
        for year in YEARS:
            if (code, year) in drop:
                continue
            k = year - 2015
            n = 1000 * (0.7**k if code in LATE_MEMBERS else 1.05**k)
            m = 5 * n
            t = 10 * m * 1.02**k
            rows += [
                (code, year, "utbetalt", t, None),
                (code, year, "mottakere", n, None),
                (code, year, "stonadsmaaneder", m, None),
            ]
    out = pd.DataFrame(rows, columns=["region", "year", "measure", "value", "status"])
    out["value"] = out["value"].astype(float)
    return out


@pytest.fixture
def book(mini_data, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Report]:
    """A Report whose growth views read constructed measures (a fresh memo per test, so
    nothing computed here leaks into other tests' books)."""

    def make(kommune: str, name: str, measures: pd.DataFrame, **params: object) -> Report:
        r = Report(
            mini_data,
            Params(kommune=kommune, name=name, start_year=2015, end_year=2024, **params),  # type: ignore[arg-type]
        )
        module = growth_views.shared_annual_growth.__module__
        shared = {f"{module}.shared_annual_growth", f"{module}.shared_decomposition"}
        kept = {
            k: v
            for k, v in mini_data._memo.items()
            if not (isinstance(k, tuple) and k and k[0] in shared)
        }
        monkeypatch.setattr(mini_data, "_memo", kept)
        table = MeasureTable(measures)
        monkeypatch.setattr(growth_views, "growth_measures", lambda data: table)
        return r

    return make


@pytest.fixture
def _no_kpi(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The constructed books have no price index: nominal kroner only."""
    monkeypatch.setattr("navbok.report.prices.snapshot_kpi", lambda ctx: None)
    yield


def _chart_row(html: str, start: str) -> list[float]:
    """The numbers of the first row whose header starts with ``start`` in the table behind a
    chart (Norwegian format: «−5,5», «1 234,5»)."""
    for head, body in re.findall(r'<th scope="row">([^<]*)</th>(.*?)</tr>', html, re.S):
        if head.startswith(start):
            cells = re.findall(r"<td[^>]*>([^<]*)</td>", body)
            return [
                float(
                    c.replace("\u2212", "-")
                    .replace("\u00a0", "")
                    .replace(" ", "")
                    .replace(",", ".")
                )
                for c in cells
            ]
    raise AssertionError(f"no row {start!r}")


def test_one_asss_member_set_per_year_in_the_decomposition_and_the_annual_growth(book) -> None:
    from navbok.report.growth import ANNUAL_ASSS_LABEL

    measures = _measures()
    r = book("3201", "Bærum", measures, growth_period=[2015, 2019])
    ten, twelve = asss_members(2019), asss_members(2024)
    g_ten = decompose_regions(measures, ten, 2015, 2019).g_T
    # the annual chart (2016 … 2024) chained over 2016–2019 gives the ten members' growth
    fig, _, _ = r.growth.annual()
    shown = _chart_row(fig.html, "ASSS")
    chained_shown = 1.0
    for v in shown[:4]:
        chained_shown *= 1 + v / 100
    assert chained_shown - 1 == pytest.approx(g_ten, abs=0.005)
    assert len(ten) == 10 and len(twelve) == 12
    # the decomposition 2015–2019 sums the ten members of 2019 and says so
    label, members, name, asss = r.growth.group(2019)
    assert sorted(members) == sorted(ten)
    assert label == "ASSS (sum av de 10 kommunene i 2019)"
    assert (name, asss) == ("ASSS", True)
    assert r.growth.group_slots(2019) == {"asss": True, "n": 10, "aar": "2019", "navn": "ASSS"}
    window = r.growth.table(2015, 2019)
    g_window = float(window.loc[window["label"] == label, "g_T"].iloc[0])
    assert g_window == pytest.approx(decompose_regions(measures, ten, 2015, 2019).g_T)
    # the annual chart's ASSS series sums each year's members: chained 2015–2019 it is the
    # decomposition's growth, not that of today's twelve
    annual = r.growth.annual_frame()
    asss = annual[annual["Serie"] == ANNUAL_ASSS_LABEL].set_index("År")["g_T"]
    chained = (1 + asss.loc[2016:2019]).prod() - 1
    assert chained == pytest.approx(g_window)
    twelve_growth = decompose_regions(measures, twelve, 2015, 2019).g_T
    assert chained != pytest.approx(twelve_growth)
    # from 2022 the twelve: 2021→2022 sums the twelve in both years
    assert asss.loc[2022] == pytest.approx(decompose_regions(measures, twelve, 2021, 2022).g_T)
    # and the reader is told which members (the comparison table's note names the ten)
    _, _, _, g = r.growth.decomposition(2015, 2019)
    assert g["tabell"]["gruppe"] | {"medlemmer": ""} == {
        "navn": "ASSS", "n": 10, "asss": True, "aar": "2019", "medlemmer": "", "inndeling": "2024"
    }  # fmt: skip
    note = render_cell("utbetalingsvekst", "tellere og nevnere", tabell=g["tabell"])
    assert note.startswith("ASSS er de 10 ASSS-kommunene i 2019 (")


def test_the_books_asss_definition_is_exposed_per_year(book) -> None:
    from navbok.peers import asss_definition, book_asss

    r = book("3201", "Bærum", _measures())
    d = book_asss(r.groups, r.years)
    assert d.variant == "default" and d.changes()
    assert [(a, b, len(m)) for a, b, m in d.periods()] == [(2015, 2021, 10), (2022, 2024, 12)]
    assert d.sizes_text() == "10 kommuner 2015–2021 og 12 kommuner 2022–2024"
    fixed = asss_definition("med_asker", range(2015, 2025))
    assert not fixed.changes() and fixed.sizes_text() == "11 kommuner"
    assert fixed.of(2016) == tuple(asss_members(2016, "med_asker"))


@pytest.mark.usefixtures("_no_kpi")
def test_the_headline_is_the_window_the_chapter_concludes_on(book) -> None:
    r = book("3201", "Bærum", _measures(), growth_period=[2015, 2019])
    assert r.growth.latest_period() == (2019, 2024)
    funn = r.growth.texts()["funn"]  # what the introduction and the print summary show
    assert funn.startswith(
        "Fra 2019 til 2024 økte de samlede sosialhjelpsutbetalingene i Bærum med "
    )
    assert "i nominelle kroner (ikke justert for prisstigning)." in funn
    vekst = r.growth.meaning()["vekst"]
    assert (vekst["aar0"], vekst["aar1"]) == ("2019", "2024")
    assert "2015" not in funn


@pytest.mark.usefixtures("_no_kpi")
def test_a_latest_period_that_cannot_be_decomposed_is_not_drawn(book) -> None:
    r = book("3201", "Bærum", _measures(drop={("3201", 2019)}), growth_period=[2015, 2018])
    assert r.growth.latest_period() is None
    siste = r.growth.latest_case()
    assert siste["tilfelle"] == "kan_ikke"
    text = render_cell(
        "utbetalingsvekst", "De siste fem årene", siste=siste, periode0="2015", periode1="2018",
        aar="2024", vekst=None,
    )  # fmt: skip
    assert text == (
        "De siste fem årene, 2019–2024, kan ikke deles opp: Tallene for Bærum mangler for 2019 "
        "(..). Kapitlet konkluderer derfor på perioden over, 2015–2018."
    )
    assert r.growth.headline_period() == (2015, 2018)
    assert r.growth.texts()["funn"].startswith("Fra 2015 til 2018 ")
    # asked for anyway: a notice instead of an empty chart, and no kroner table of symbols
    fig, comp, kroner, _ = r.growth.decomposition(2019, 2024)
    assert isinstance(fig, MissingFigure) and "mangler for 2019 (..)" in fig.reason
    assert kroner is None
    assert "Landet" in comp.html


def test_small_counts_and_near_zero_growth_have_no_shares_in_the_table(book) -> None:
    measures = _measures()
    # Bærum: recipients 11 → 14 in 2015–2019 (small numbers)
    own = measures["region"].eq("3201") & measures["year"].isin([2015, 2019])
    scale = {2015: 11 / 1000, 2019: 14 / 1000 / 1.05**4}
    for year, f in scale.items():
        sel = own & measures["year"].eq(year)
        measures.loc[sel, "value"] = measures.loc[sel, "value"] * f
    r = book("3201", "Bærum", measures, growth_period=[2015, 2019])
    _, comp, _, texts = r.growth.decomposition(2015, 2019)
    bærum_row = re.search(r'<th scope="row">Bærum</th>(.*?)</tr>', comp.html, re.S)
    assert bærum_row is not None
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", bærum_row.group(1))
    assert cells[-3:] == [".", ".", "."]
    assert texts["tabell"]["holdt_tilbake"] == "Bærum"
    note = render_cell(
        "utbetalingsvekst",
        "andelskolonnene",
        tabell=texts["tabell"],
        andeler=r.growth.shares_rule(),
    )
    assert "«.» i andelskolonnene (Bærum): Boka deler ikke" in note
    assert "færre enn 100 mottakere" in note
    assert texts["vekst"]["kilde"] == "faa"
    text = render_cell(
        "utbetalingsvekst", "De siste fem årene", siste={"tilfelle": ""}, vekst=texts["vekst"],
        andeler=r.growth.shares_rule(), navn="Bærum",
    )  # fmt: skip
    assert "deler ikke veksten i andeler" in text and "tilsvarer" not in text
    assert "Antall mottakere økte fra 11 til 14," in text


def test_the_proba_section_compares_with_the_books_own_peers(book) -> None:
    # outside ASSS: the KOSTRA group as the book groups it, and the neighbours; no ASSS city
    r = book("3907", "Sandefjord", _measures(), neighbours=["3909"])
    html = r.growth.proba().html
    rows = set(re.findall(r'<th scope="row">([^<(]*) \(', html))
    assert "Larvik" in rows and "Ålesund" in rows
    assert not rows & {"Oslo", "Bærum", "Asker", "Stavanger", "Bergen"}
    peers, who = r.growth.proba_peers()
    assert peers == ["1508", "3909"]
    assert who == ("kommunene i KOSTRA-gruppe 11 (inndelingen boka bruker) og nabokommunen Larvik")
    # an ASSS member: the ASSS members of Proba's year, the same set the rest of the book uses
    b = book("3201", "Bærum", _measures())
    peers, who = b.growth.proba_peers()
    assert peers == sorted(set(asss_members(2016)) - {"3201"})
    assert who == "ASSS-kommunene i 2016"


def test_a_decomposition_that_cannot_be_made_names_whose_numbers_are_missing(
    book, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Findings 5 and 20: «kan ikke dekomponeres fordi tall for 2015 eller 2019 er skjult av
    personvernhensyn eller mangler» named neither the municipality nor the cause; now the
    municipality, the year and why (a part of a split municipality of unknown size)."""
    r = book("3201", "Bærum", _measures(drop={("3201", 2019)}), growth_period=[2015, 2018])
    d = r.growth.decompose(2019, 2024)
    assert d.gaps == (("3201", 2019, ".."),)
    assert r.growth.gap_words(d.gaps) == "tallene for Bærum mangler for 2019"
    monkeypatch.setattr(
        r.data.register, "split_parts", lambda code: [("1850", "Tysfjord", 2020, False)]
    )
    assert r.growth.gap_words(d.gaps) == (
        "tallene for Bærum mangler for 2019 (Bærum har ikke tall før 2020: det er ikke kjent "
        "hvor stor del av Tysfjord som kom til kommunen)"
    )


def test_the_level_sentence_keeps_numbers_apart(mini_data) -> None:
    """Finding 38: «(ASSS-snittet 3 120 kroner) (6. høyest av de 12 ASSS-kommunene)» and
    «(KOSTRA-gruppe 11 1 609 kroner)» ran numbers into names and parentheses into each other;
    a missing comparison made the sentence say the municipality's own number was missing."""
    from navbok.comparison import ComparisonRow, Kind

    r = Report(mini_data, Params(kommune="3907", name="Liten", start_year=2023, end_year=2024))
    key = "utbetalt_per_innb_18_66"

    def rows(own: float | None, group: float | None) -> list[ComparisonRow]:
        return [
            ComparisonRow("Liten", Kind.KOMMUNE, "3907", 2024, own, None if own else ":", "t"),
            ComparisonRow("KOSTRA-gruppe 11", Kind.KOSTRAGRUPPE, "EKG11", 2024, group,
                          None if group else "..", "t"),
            ComparisonRow("Landet", Kind.LANDET, "EAK", 2024, 2000.0, None, "t"),
        ]  # fmt: skip

    def level_text(*args: object) -> str:
        niva = r.growth.level(key, 2024, 2024)
        antall = {"antall": shown(None, 0), "aar": "2024", "aar_for": ""}  # the cell's others
        text = render_cell(
            "utbetalingsvekst", "ble det utbetalt", aar="2024", niva=niva, antall=antall,
            motsatt=None, navn="Liten",
        )  # fmt: skip
        return text.removeprefix("## Nivå ").split(" Antall mottakere og utbetalt")[0]

    r._rows_memo[(key, (2024,))] = rows(2044.0, 1609.0)
    text = level_text(key, 2024, 2024)
    assert ") (" not in text and "kroner)" not in text
    assert text.startswith(
        "I 2024 ble det utbetalt 2\u00a0044 kroner i økonomisk sosialhjelp per innbygger 18–66 år "
        "i Liten, mot 1\u00a0609 kroner i KOSTRA-gruppe 11"
    ), text
    r._rows_memo[(key, (2024,))] = rows(2044.0, None)
    text = level_text(key, 2024, 2024)
    assert "skjult" not in text and "mot" not in text and "2\u00a0044 kroner" in text
    r._rows_memo[(key, (2024,))] = rows(None, 1609.0)
    assert level_text(key, 2024, 2024) == (
        "Utbetalingene per innbygger i Liten i 2024 er skjult av personvernhensyn (:)."
    )
