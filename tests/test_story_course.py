"""The long-term recipients' course: a rise to a peak and the fall after it is told only when the
numbers show it; otherwise the words that fit (a rise, a fall, about the same, too few years).
The rules are :func:`navbok.analysis.course.course` and
:func:`navbok.report.longterm.course_slots`; the words are the chapter's
(``chapters/langtidsmottakere.md``), rendered here with the slots the rules give."""

from __future__ import annotations

import math
from pathlib import Path

import jupytext
import pytest

from navbok.analysis.course import (
    FALL,
    FALL_THEN_RISE,
    FLAT,
    RISE,
    RISE_THEN_FALL,
    TOO_FEW,
    Course,
    course,
)
from navbok.present.chapter_text import render
from navbok.report.longterm import course_slots

CHAPTER = Path(__file__).resolve().parents[1] / "chapters" / "langtidsmottakere.md"
SUBJECT = "Andelen"
#: How the chapter names the share of 6 months or more.
SHARE = "Andelen av mottakerne med sosialhjelp som hovedinntekt og stønad i 6 måneder eller mer"


def course_sentence(subject: str, c: Course, book_years: int = 0) -> str:
    """The chapter's paragraph on the course ``c`` (the subject names the share: «Andelen»)."""
    nb = jupytext.read(CHAPTER)
    cell = next(c.source for c in nb.cells if "forlop.form" in c.source)
    paragraph = next(p for p in cell.split("\n\n") if "forlop.form" in p)
    slots = {"forlop": course_slots(c, 2, 6, book_years), "forste": "2015", "aar": "2024"}
    text = render(paragraph, slots, "langtidsmottakere.md")
    assert text.startswith(SHARE)
    return subject + text.removeprefix(SHARE)


def test_a_rise_to_a_peak_and_a_fall_after_it() -> None:
    values = {2015: 13.6, 2016: 15.6, 2017: 16.3, 2018: 17.0, 2019: 18.5, 2020: 17.1}
    values |= {2021: 16.0, 2022: 15.2, 2023: 14.4, 2024: 14.0}
    c = course(values)
    assert c.shape == RISE_THEN_FALL
    assert c.peak == (2019, 18.5) and c.first == (2015, 13.6) and c.last == (2024, 14.0)
    assert not c.turned_again()
    assert course_sentence(SUBJECT, c) == (
        "Andelen steg fra 13,60 prosent i 2015 til 18,50 prosent i 2019 og falt deretter til "
        "14,00 prosent i 2024."
    )


def test_a_fall_that_turned_again_says_where_it_bottomed() -> None:
    # Oslo-like: up to 2020, down to 2023, up again in 2024.
    values = {2015: 24.3, 2016: 31.75, 2017: 31.98, 2018: 32.2, 2019: 33.58, 2020: 36.27}
    values |= {2021: 25.94, 2022: 30.55, 2023: 25.53, 2024: 30.06}
    c = course(values)
    assert c.shape == RISE_THEN_FALL and c.after == (2023, 25.53) and c.turned_again()
    assert course_sentence(SUBJECT, c) == (
        "Andelen steg fra 24,30 prosent i 2015 til 36,27 prosent i 2020 og falt deretter til "
        "25,53 prosent i 2023; i 2024 var den 30,06 prosent."
    )


def test_a_steady_rise_is_not_told_as_a_peak() -> None:
    c = course({2015: 10.0, 2017: 12.0, 2019: 14.0, 2021: 16.0, 2024: 18.0})
    assert c.shape == RISE
    text = course_sentence(SUBJECT, c)
    assert text == "Andelen steg fra 10,00 prosent i 2015 til 18,00 prosent i 2024."
    assert "deretter" not in text


def test_a_fall_and_a_fall_then_rise() -> None:
    assert course({2015: 20.0, 2016: 18.0, 2017: 15.0}).shape == FALL
    c = course({2015: 20.0, 2018: 12.0, 2024: 19.5})
    assert c.shape == FALL_THEN_RISE and c.trough == (2018, 12.0)
    assert course_sentence(SUBJECT, c).startswith(
        "Andelen falt fra 20,00 prosent i 2015 til 12,00 prosent i 2018 og steg deretter"
    )


def test_swings_within_the_tolerance_are_about_the_same() -> None:
    # 5 % of 20,4 ≈ 1,0: none of these moves counts.
    c = course({2015: 20.0, 2016: 20.4, 2017: 19.8, 2018: 20.2})
    assert c.shape == FLAT
    assert course_sentence(SUBJECT, c) == (
        "Andelen var om lag den samme i 2015 og 2018 (20,00 og 20,20 prosent)."
    )
    # A narrower tolerance makes the small peak a peak.
    assert course({2015: 20.0, 2016: 20.4, 2017: 19.8}, tolerance=0.1).shape == RISE_THEN_FALL


@pytest.mark.parametrize(
    "values, n, words",
    [
        ({2015: math.nan, 2016: math.nan}, 0, "er skjult av personvernhensyn eller mangler"),
        ({2015: 3.0, 2019: math.nan, 2024: 4.0}, 2, "har tall for bare 2 år"),
    ],
)
def test_too_few_years_tell_no_course(values: dict, n: int, words: str) -> None:
    c = course(values)
    assert c.shape == TOO_FEW and c.n_years == n
    text = course_sentence(SUBJECT, c)
    assert words in text and "steg" not in text and "falt" not in text


def test_missing_years_are_skipped_not_zero() -> None:
    c = course({2015: 10.0, 2016: math.nan, 2017: 14.0, 2018: 11.0})
    assert c.shape == RISE_THEN_FALL and c.n_years == 3 and c.trough == (2015, 10.0)


def test_the_slots_of_a_course() -> None:
    c = course({2015: 24.3, 2016: 31.75, 2020: 36.27, 2023: 25.53, 2024: 30.06})
    slots = course_slots(c, 2, 6, book_years=10)
    assert slots["form"] == RISE_THEN_FALL and slots["snudde_igjen"] and slots["mangler"] == 5
    assert slots["snu"]["aar"] == "2020" and str(slots["snu"]["verdi"]) == "36,27"
    assert (slots["slutt"]["aar"], slots["til"]["aar"]) == ("2023", "2024")
    steady = course_slots(course({2015: 10.0, 2016: 12.0, 2017: 14.0}), 2, 10, book_years=3)
    assert steady["snu"] is None and steady["slutt"] == steady["til"] and steady["mangler"] == 0
    assert steady["mnd"] == 10
    assert course_slots(course({2015: 1.0}), book_years=10)["mangler"] == 0  # too few: not said


def test_missing_years_are_counted_after_the_course() -> None:
    c = course({2015: 10.0, 2017: 12.0, 2019: 14.0, 2021: 16.0, 2024: 18.0})
    assert course_sentence(SUBJECT, c, book_years=10).endswith(
        "til 18,00 prosent i 2024. 5 av årene 2015–2024 mangler tall."
    )
