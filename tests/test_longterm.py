"""The long-term chapter's «Hva betyr dette?» (:mod:`navbok.report.longterm`): no tautology,
a question or a check chosen by rules on the numbers, a peer to learn from."""

from __future__ import annotations

from navbok.analysis.course import FALL, RISE
from navbok.report.longterm import next_step
from navbok.report.words import gap_words


def test_the_next_step_follows_the_numbers() -> None:
    high = next_step("høyere enn", FALL, peer="Asker")
    assert "kvalifiseringsprogrammet" in high and "?" in high
    assert "Asker har den laveste andelen av ASSS-kommunene" in high
    low = next_step("lavere enn", FALL)
    # the review's tautology: «Færre langtidsmottakere … betyr at færre … blir lenge på stønad»
    assert "betyr at færre" not in low and "sjekke" in low
    assert "følge med" in next_step("lavere enn", RISE) and "følge med" not in low
    assert "?" in next_step("på nivå med", FALL)


def test_the_symbol_says_hidden_or_missing() -> None:
    assert gap_words(":") == "er skjult av personvernhensyn"
    assert gap_words("..") == gap_words(None) == "mangler"


def test_the_box_says_the_same_word_as_the_introduction(mini_data) -> None:
    # Kárášjohka's case: 16,92 against 17,09 is «på nivå med» in the introduction
    # (within 2 %); the chapter must not call it lower.
    from navbok.comparison import ComparisonRow, Kind
    from navbok.params import Params
    from navbok.report import Report
    from navbok.report.words import compare_word, level_word

    assert level_word(16.92, 17.09, 2) == "på nivå med"
    assert compare_word(16.92, 17.09, "KOSTRA-gruppe 2").startswith("på nivå med")
    r = Report(mini_data, Params(kommune="3907", name="Liten", start_year=2023, end_year=2024))
    r.years = [2023, 2024]
    ind = "andel_langtid_6mnd_hovedinntekt"
    for year, value in ((2023, 20.0), (2024, 16.92)):
        r._rows_memo[(ind, (year,))] = [
            ComparisonRow("Liten", Kind.KOMMUNE, "3907", year, value, None, "t"),
            ComparisonRow("KOSTRA-gruppe 11", Kind.KOSTRAGRUPPE, "EKG11", year, 17.09, None, "t"),
        ]
    text = r.longterm.meaning()
    assert "på nivå med KOSTRA-gruppe 11 (17,09 prosent)" in text and "lavere enn" not in text
