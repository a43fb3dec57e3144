"""The missing-figure rule (:mod:`navbok.report.missing`): a note that replaces a figure speaks
of exactly the cells that figure would draw, and says hidden or missing as the symbol says."""

from __future__ import annotations

import pytest

from navbok.comparison import ComparisonRow, Kind
from navbok.params import Params
from navbok.report import Report
from navbok.report.missing import MissingFigure, own_gap_reason, years_words


def _rows(values: dict[int, tuple[float | None, str | None]]) -> list[ComparisonRow]:
    out = []
    for year, (value, status) in values.items():
        out += [
            ComparisonRow("Liten", Kind.KOMMUNE, "3907", year, value, status, "t"),
            ComparisonRow("KOSTRA-gruppe 11", Kind.KOSTRAGRUPPE, "EKG11", year, 2.0, None, "t"),
        ]
    return out


@pytest.fixture
def small(mini_data) -> Report:
    r = Report(mini_data, Params(kommune="3907", name="Liten", start_year=2023, end_year=2024))
    r.years = [2023, 2024]
    return r


def test_a_one_year_figure_hidden_that_year_speaks_of_that_year_only(small: Report) -> None:
    # 2023 has a value (a line chart draws it); 2024 is hidden: the 2024 bars are left out,
    # and their note must not say that *all* the municipality's numbers are hidden.
    values = {2023: (18.18, None), 2024: (None, ":")}
    small._rows_memo[("kvp_per_1000", (2023, 2024))] = _rows(values)
    small._rows_memo[("kvp_per_1000", (2024,))] = _rows({2024: values[2024]})
    note = small.figures.bars("kvp_per_1000", 2024, "kvp")
    assert isinstance(note, MissingFigure)
    assert note.label.endswith(", 2024")
    assert note.reason == (
        "Tallet for Liten i 2024 er skjult av personvernhensyn (det bygger på for få "
        "personer), så figuren er utelatt."
    )
    assert "Alle tallene" not in repr(note)
    assert not isinstance(small.figures.line("kvp_per_1000", "kvp-linje"), MissingFigure)


def test_the_reason_follows_the_symbols() -> None:
    assert own_gap_reason("Røst", {2016: ":", 2017: ":"}) == (
        "Alle tallene for Røst i 2016–2017 er skjult av personvernhensyn (de bygger på for få "
        "personer), så figuren er utelatt."
    )
    assert own_gap_reason("Røst", {2024: ".."}) == (
        "Tallet for Røst i 2024 mangler i datagrunnlaget, så figuren er utelatt."
    )
    assert own_gap_reason("Røst", {2022: ":", 2023: "..", 2024: None}) == (
        "Alle tallene for Røst i 2022–2024 er skjult av personvernhensyn (2022) eller mangler "
        "i datagrunnlaget, så figuren er utelatt."
    )
    assert years_words([2020, 2016, 2018]) == "2016, 2018 og 2020"


def test_a_gap_is_explained_once_per_page(mini_data) -> None:
    # The mini snapshot has no 10-month contents (as SSB's tables): the long-term chapter meets
    # that gap in a paragraph, two figures, the level table and the source box.
    r = Report(mini_data, Params(kommune="3201", name="Bærum", end_year=2024))
    reason = mini_data.availability.reason("andel_langtid_10mnd_hovedinntekt")
    assert reason and "metadata" not in reason
    parts = [
        r.gap_reason("langtid_10mnd_hovedinntekt"),
        repr(r.figures.line("langtid_10mnd_hovedinntekt", "a")),
        repr(r.figures.line("andel_langtid_10mnd_hovedinntekt", "b")),
        r.figures.level_table(
            ["andel_langtid_6mnd_hovedinntekt", "andel_langtid_10mnd_hovedinntekt"], "t", "T"
        ).html,
        r.sources.box(["andel_langtid_10mnd_hovedinntekt", "andel_10mnd"])._repr_html_(),
    ]
    page = "\n".join(parts)
    assert page.count(reason) == 1
    assert parts[0] == reason  # told where the reader first meets it
    # the level table has no row of nothing but «..»: the indicator is named in a note instead
    table = parts[3]
    name = r.indicator("andel_langtid_10mnd_hovedinntekt").name
    assert f'<th scope="row">{name}' not in table and f"Ikke med i tabellen: {name}" in table
    # a gap the page has not told yet is still told in the source box
    assert mini_data.availability.reason("andel_10mnd") in parts[4]
    # a new page (a new report) tells it again
    again = Report(mini_data, Params(kommune="3201", name="Bærum", end_year=2024))
    assert reason in repr(again.figures.line("andel_langtid_10mnd_hovedinntekt", "b"))
