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
