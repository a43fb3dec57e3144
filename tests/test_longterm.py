"""The long-term chapter's «Hva betyr dette?» (``chapters/langtidsmottakere.md``, rules in
:mod:`navbok.report.longterm`): no tautology, a question or a check chosen by rules on the
numbers, a peer to learn from."""

from __future__ import annotations

import pytest
from chapter_run import markdown, meaning_box, run_chapter

from navbok.analysis.course import FALL, RISE
from navbok.comparison import ComparisonRow, Kind
from navbok.params import Params
from navbok.report import Report
from navbok.report.longterm import (
    ASK_FOLLOW_UP,
    ASK_SAME_PEOPLE,
    CHECK_ALL,
    CHECK_ALL_RISING,
    next_step,
)
from navbok.report.words import gap_words

LONGTERM = "andel_langtid_6mnd_hovedinntekt"


def _book(mini_data, own: dict[int, float], other: float) -> Report:
    """A small municipality whose long-term share is ``own`` (year → value) against
    KOSTRA group 11's ``other`` every year."""
    r = Report(mini_data, Params(kommune="3907", name="Liten", start_year=2023, end_year=2024))
    r.years = sorted(own)
    for year, value in own.items():
        r._rows_memo[(LONGTERM, (year,))] = [
            ComparisonRow("Liten", Kind.KOMMUNE, "3907", year, value, None, "t"),
            ComparisonRow("KOSTRA-gruppe 11", Kind.KOSTRAGRUPPE, "EKG11", year, other, None, "t"),
        ]
    return r


def test_the_next_step_follows_the_numbers() -> None:
    assert next_step("høyere enn", FALL) == next_step("høyere enn", RISE) == ASK_FOLLOW_UP
    assert next_step("lavere enn", FALL) == CHECK_ALL
    assert next_step("lavere enn", RISE) == CHECK_ALL_RISING
    assert next_step("på nivå med", FALL) == ASK_SAME_PEOPLE
    assert next_step("", RISE) == ""


@pytest.mark.parametrize(
    ("own", "other", "expected", "absent"),
    [
        ({2022: 22.0, 2023: 23.0, 2024: 24.0}, 20.0, "kvalifiseringsprogrammet eller", "sjekke"),
        ({2022: 22.0, 2023: 21.0, 2024: 18.0}, 20.0, "Det er verdt å sjekke", "følge med"),
        ({2022: 16.0, 2023: 17.0, 2024: 18.0}, 20.0, "Siden andelen har steget, er den", "?"),
        ({2022: 20.0, 2023: 20.0, 2024: 20.0}, 20.0, "de samme personene", "sjekke"),
    ],
)
def test_the_box_says_what_to_check_or_ask_next(mini_data, own, other, expected, absent) -> None:
    text = meaning_box(run_chapter(_book(mini_data, own, other), "langtidsmottakere"))
    assert text.startswith("I 2024 hadde ") and "Liten" in text
    assert expected in text and absent not in text
    # the review's tautology: «Færre langtidsmottakere … betyr at færre … blir lenge på stønad»
    assert "betyr at færre" not in text
    assert ("over perioden" in text) == (own[2022] != own[2024])


def test_the_symbol_says_hidden_or_missing(mini_data) -> None:
    assert gap_words(":") == "er skjult av personvernhensyn"
    assert gap_words("..") == gap_words(None) == "mangler"
    r = _book(mini_data, {2023: 20.0, 2024: 21.0}, 20.0)
    r._rows_memo[(LONGTERM, (2024,))][0] = ComparisonRow(
        "Liten", Kind.KOMMUNE, "3907", 2024, None, ":", "t"
    )
    assert meaning_box(run_chapter(r, "langtidsmottakere")) == (
        "Andelen langtidsmottakere i Liten i 2024 er skjult av personvernhensyn, så kapitlet kan "
        "ikke si om kommunen har flere eller færre langtidsmottakere enn andre."
    )


def test_the_box_says_the_same_word_as_the_introduction(mini_data) -> None:
    # Kárášjohka's case: 16,92 against 17,09 is «på nivå med» in the introduction
    # (within 2 %); the chapter must not call it lower.
    from navbok.report.words import compare_word, level_word

    assert level_word(16.92, 17.09, 2) == "på nivå med"
    assert compare_word(16.92, 17.09, "KOSTRA-gruppe 2").startswith("på nivå med")
    r = _book(mini_data, {2023: 20.0, 2024: 16.92}, 17.09)
    assert r.longterm.level() == "på nivå med"
    text = meaning_box(run_chapter(r, "langtidsmottakere"))
    assert "på nivå med KOSTRA-gruppe 11 (17,09 prosent)" in text and "lavere enn" not in text


def test_the_ten_month_count_and_the_gaps_are_told(mini_data) -> None:
    r = _book(mini_data, {2023: 20.0, 2024: 21.0}, 20.0)
    r._rows_memo[(LONGTERM, (2024,))][0] = ComparisonRow(
        "Liten", Kind.KOMMUNE, "3907", 2024, None, ":", "t"
    )
    for ind, values in (
        ("langtid_10mnd_hovedinntekt", {2023: 40.0, 2024: 50.0}),
        ("andel_langtid_10mnd_hovedinntekt", {2023: 11.0, 2024: 12.5}),
    ):
        for year, value in values.items():
            r._rows_memo[(ind, (year,))] = [
                ComparisonRow("Liten", Kind.KOMMUNE, "3907", year, value, None, "t")
            ]
    r.unavailable = lambda *indicators: ""  # type: ignore[method-assign]  # as if SSB published them
    text = markdown(run_chapter(r, "langtidsmottakere"))
    assert (
        "I 2024 hadde 50 mottakere i Liten stønad i 10 måneder eller mer og sosialhjelp som "
        "hovedinntekt (12,50 prosent av mottakerne), mot 40 i 2023." in text
    )
    assert (
        "Andelen med 6 måneder eller mer er skjult av personvernhensyn for Liten "
        "(KOSTRA-gruppe 11: 20,00 prosent)." in text
    )
