"""The KVP chapter's «Hva betyr dette?» (``chapters/kvp.md``, rules in
:mod:`navbok.report.kvp`): never only a restatement of
the numbers; a question, a check or something to learn from, chosen by rules on the numbers."""

from __future__ import annotations

import pytest
from chapter_run import meaning_box, run_chapter

from navbok.comparison import ComparisonRow, Kind
from navbok.params import Params
from navbok.report import Report


def _rows(ind: str, year: int, own: float, other: float) -> list[ComparisonRow]:
    return [
        ComparisonRow("Liten", Kind.KOMMUNE, "3907", year, own, None, ind),
        ComparisonRow("KOSTRA-gruppe 11", Kind.KOSTRAGRUPPE, "EKG11", year, other, None, ind),
    ]


@pytest.mark.parametrize(
    ("per", "after", "expected"),
    [
        ((3.83, 2.89), (78.0, 53.0), "kan være verdt å beskrive for andre kommuner"),
        ((2.47, 2.89), (50.0, 50.0), "får langtidsmottakerne som kan ha nytte av programmet"),
        ((3.83, 2.89), (50.0, 50.0), "hvor mange tilbake til sosialhjelp?"),
        ((2.89, 2.89), (30.0, 53.0), "hva som skjer med dem som avslutter uten arbeid"),
    ],
)
def test_the_box_says_what_to_ask_next(mini_data, per, after, expected) -> None:
    r = Report(mini_data, Params(kommune="3907", name="Liten", start_year=2023, end_year=2024))
    r.years = [2024]
    r._rows_memo[("kvp_per_1000", (2024,))] = _rows("kvp_per_1000", 2024, *per)
    r._rows_memo[("kvp_etter", (2024,))] = _rows("kvp_etter", 2024, *after)
    r._rows_memo[("andel_langtid_6mnd_hovedinntekt", (2024,))] = _rows("x", 2024, 20.0, 20.0)
    text = meaning_box(run_chapter(r, "kvp"))
    assert expected in text
    assert len(text.split(". ")) >= 2  # more than the restated numbers
