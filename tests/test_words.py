"""The book's one «på nivå med» rule (:func:`navbok.report.words.same_level`) on known inputs:
equal as printed, or within 2 % of the comparison; every level word in the book comes from it
(:func:`~navbok.report.words.level_word`, :func:`~navbok.report.words.compare_word`, and
:func:`navbok.report.peers.compared`)."""

from __future__ import annotations

import pytest

from navbok.report.peers import compared
from navbok.report.words import SAME_LEVEL, compare_word, level_word, same_level

NAN = float("nan")


@pytest.mark.parametrize(
    ("own", "other", "decimals", "expected"),
    [
        (3.571, 3.574, 2, True),  # equal as printed: 3,57 and 3,57
        (16.92, 17.09, 2, True),  # 1 % apart (Kárášjohka's long-term share)
        (98.0, 100.0, 0, True),  # exactly 2 %
        (97.9, 100.0, 1, False),  # just over 2 %
        (3.0, 3.52, 2, False),  # 15 % lower
        (0.004, 0.0, 2, True),  # 0,00 and 0,00: equal as printed, though the base is zero
        (0.1, 0.0, 2, False),  # no share of zero: only printed equality counts
        (-1.0, -1.01, 2, True),  # negative values: relative to the comparison's size
    ],
)
def test_same_level_on_known_inputs(own: float, other: float, decimals: int, expected: bool):
    assert same_level(own, other, decimals) is expected


def test_the_tolerance_is_two_percent() -> None:
    assert SAME_LEVEL == 0.02


@pytest.mark.parametrize(
    ("own", "other", "decimals", "word"),
    [
        (16.92, 17.09, 2, "på nivå med"),
        (3.59, 3.57, 2, "på nivå med"),
        (3.0, 3.52, 2, "lavere enn"),
        (4.0, 3.52, 2, "høyere enn"),
        (5.0, 4.0, 0, "høyere enn"),
        (NAN, 1.0, 2, ""),
        (1.0, NAN, 2, ""),
    ],
)
def test_one_level_word_everywhere(own: float, other: float, decimals: int, word: str) -> None:
    assert level_word(own, other, decimals) == word
    # the report's peer helper says the same word for the same numbers
    assert compared(own, other, decimals) == word
    if word:
        assert compare_word(own, other, "x", decimals).startswith(word.split(" enn")[0])
