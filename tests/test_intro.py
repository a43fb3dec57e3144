"""The introduction's sentences of issue 22 (:mod:`navbok.report.intro`): bokmål word order in
the long-term finding, and subjects without numbers said, never silently dropped."""

from __future__ import annotations

import pytest

from navbok.comparison import ComparisonRow, Kind
from navbok.params import Params
from navbok.report import Report


def _rows(year: int, value: float | None, status: str | None = None) -> list[ComparisonRow]:
    return [
        ComparisonRow("Liten", Kind.KOMMUNE, "3907", year, value, status, "t"),
        ComparisonRow("KOSTRA-gruppe 11", Kind.KOSTRAGRUPPE, "EKG11", year, 22.0, None, "t"),
        ComparisonRow("Landet", Kind.LANDET, "EAK", year, 23.0, None, "t"),
    ]


@pytest.fixture
def small(mini_data) -> Report:
    r = Report(mini_data, Params(kommune="3907", name="Liten", start_year=2023, end_year=2024))
    r.years = [2023, 2024]
    return r


def test_the_long_term_finding_puts_the_verb_second(small: Report) -> None:
    ind = "andel_langtid_6mnd_hovedinntekt"
    small._rows_memo[(ind, (2023,))] = _rows(2023, 26.13)
    small._rows_memo[(ind, (2024,))] = _rows(2024, 20.0)
    text = small.intro.longterm_finding()
    assert text.endswith("Fra 2023 (26,13 prosent) gikk andelen ned.")
    assert "gikk ned andelen" not in text


def test_subjects_without_numbers_are_said_and_not_pointed_to(small: Report) -> None:
    for ind in ("andel_langtid_6mnd_hovedinntekt", "kvp_per_1000"):
        for y in (2023, 2024):
            small._rows_memo[(ind, (y,))] = _rows(y, None, ":")
    absent = small.intro.without_numbers()
    assert "langtidsmottakere" in absent and "kvalifiseringsprogrammet" in absent
    findings = small.intro.findings()
    assert any(
        f.startswith("For Liten er det ingen hovedfunn om") and "langtidsmottakere" in f
        for f in findings
    )
    small._rows_memo[("andel_18_66", (2024,))] = _rows(2024, 3.0)
    closing = small.intro.meaning()
    assert closing.startswith("Andelen som mottar sosialhjelp i Liten")
    assert "langtidsmottakerne" not in closing and "kvalifiseringsprogrammet" not in closing
