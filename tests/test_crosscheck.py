"""One figure, one truth: the cross-page check (:mod:`navbok.site.crosscheck`) and the book's
headline facts (:mod:`navbok.key_figures`, :mod:`navbok.report.facts`).

On constructed pages the check finds each defect class of the reader's review (the overview's
barometer another edition than the book's under the same label, a summary row with another
period, a key figure the book never says, a past year compared with today's KOSTRA group, two
years in the same words); on the recorded books of Bærum, Utsira and Oslo it finds nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from navbok.key_figures import KEY_FIGURES, Fact, Facts, national
from navbok.params import Params, default_params
from navbok.report import Report
from navbok.report.facts import FACTS_GLUE, fact_text, read_facts
from navbok.site.crosscheck import check_book, overview_cells, sentences

KOMMUNE = "9999"


def _facts(barometer: float = 2.44, period: str = "barometer 2025 (tall for 2024)") -> Facts:
    return Facts(
        [
            Fact("andel_18_66", "Sosialhjelp 18–66 (%)", "2024", "Testby", "kommune", 4.17, "", 2,
                 "prosent"),
            Fact("andel_18_66", "Sosialhjelp 18–66 (%)", "2024", "Landet", "landet", 3.63, "", 2,
                 "prosent"),
            Fact("barometer", "Barometer (snittkarakter)", period, "Testby", "kommune",
                 barometer, "", 2, "karakter", rank=284, n=298),
        ]
    )  # fmt: skip


def _notebook(facts: Facts) -> dict:
    output = {
        "output_type": "display_data",
        "metadata": {"scrapbook": {"name": FACTS_GLUE, "mime_prefix": "x"}},
        "data": {"application/papermill.record/text/plain": json.dumps(facts.records())},
    }
    return {"cells": [{"cell_type": "code", "outputs": [output]}]}


def _overview(share: str, barometer: str, period: str) -> str:
    heads = ["Kommune", "Nr.", "Fylke", "KOSTRA-gruppe", "Sosialhjelp 18–66 (%) 2024"]
    heads.append(f"Barometer (snittkarakter) {period}")
    th = "".join(f'<th scope="col"><button>{h}<span></span></button></th>' for h in heads)
    return (
        f'<table id="kommuner"><thead><tr>{th}</tr></thead><tbody>'
        f'<tr data-search="{KOMMUNE} testby"><th scope="row"><a href="#">Testby</a></th>'
        f"<td>{KOMMUNE}</td><td>Fylket</td><td>3</td><td class='num'>{share}</td>"
        f"<td class='num'>{barometer}</td></tr></tbody></table>"
    )


def _summary(rows: list[tuple[str, str, str]]) -> str:
    body = "".join(
        f'<tr><th scope="row">{a}</th><td class="num">{b}</td><td class="num">{c}</td></tr>'
        for a, b, c in rows
    )
    return f'<table class="nokkeltall"><thead></thead><tbody>{body}</tbody></table>'


def _book(
    root: Path,
    facts: Facts,
    *,
    overview: str,
    summary: str,
    intro: str = "I 2024 mottok 4,17 prosent av innbyggerne 18–66 år i Testby sosialhjelp.",
    barometer: str = "I barometeret 2025 (tall for 2024) får Testby snittkarakteren 2,44.",
) -> Path:
    src = root / KOMMUNE / "src" / "chapters"
    src.mkdir(parents=True)
    (src / "intro.ipynb").write_text(json.dumps(_notebook(facts)), "utf-8")
    html = root / KOMMUNE / "html"
    (html / "chapters").mkdir(parents=True)
    (html / "chapters" / "intro.html").write_text(f"<p>{intro}</p>", "utf-8")
    (html / "chapters" / "kommunebarometer.html").write_text(f"<p>{barometer}</p>", "utf-8")
    (html / "chapters" / "utbetalingsvekst.html").write_text("<p>Vekst.</p>", "utf-8")
    (html / "sammendrag.html").write_text(summary, "utf-8")
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text(overview, "utf-8")
    return root


GOOD_SUMMARY = [
    ("Sosialhjelp 18–66 (%)", "2024", "4,17"),
    ("Barometer (snittkarakter)", "barometer 2025 (tall for 2024)", "2,44 (plass 284 av 298)"),
]


def test_facts_round_trip_through_the_notebook(tmp_path: Path) -> None:
    facts = _facts()
    path = tmp_path / "intro.ipynb"
    path.write_text(json.dumps(_notebook(facts)), "utf-8")
    assert read_facts(path) == facts
    assert fact_text(facts.get("barometer")) == "2,44"
    assert read_facts(tmp_path / "missing.ipynb") == Facts()


def test_a_book_that_agrees_with_itself_passes(tmp_path: Path) -> None:
    root = _book(
        tmp_path, _facts(), overview=_overview("4,17", "2,44", "barometer 2025 (tall for 2024)"),
        summary=_summary(GOOD_SUMMARY),
    )  # fmt: skip
    assert check_book(root, KOMMUNE) == []


def test_overview_with_another_barometer_edition_under_the_same_label(tmp_path: Path) -> None:
    """Finding 1: «2,73, plass 267 av 305» on the overview, «2,44» in the book, both «2024»."""
    root = _book(
        tmp_path, _facts(), overview=_overview("4,17", "2,73", "barometer 2025 (tall for 2024)"),
        summary=_summary(GOOD_SUMMARY),
    )  # fmt: skip
    problems = check_book(root, KOMMUNE)
    assert len(problems) == 1 and "overview barometer" in problems[0] and "2,73" in problems[0]


def test_summary_row_with_another_period(tmp_path: Path) -> None:
    rows = [GOOD_SUMMARY[0], ("Barometer (snittkarakter)", "2024", "2,44 (plass 284 av 298)")]
    root = _book(
        tmp_path, _facts(), overview=_overview("4,17", "2,44", "barometer 2025 (tall for 2024)"),
        summary=_summary(rows),
    )  # fmt: skip
    problems = check_book(root, KOMMUNE)
    assert len(problems) == 1 and "summary row" in problems[0]


def test_a_key_figure_the_book_never_says_with_its_period(tmp_path: Path) -> None:
    root = _book(
        tmp_path, _facts(), overview=_overview("4,17", "2,44", "barometer 2025 (tall for 2024)"),
        summary=_summary(GOOD_SUMMARY),
        barometer="I barometeret 2024 (tall for 2023) får Testby snittkarakteren 2,44.",
    )  # fmt: skip
    problems = check_book(root, KOMMUNE)
    assert len(problems) == 1 and "is not said with its period" in problems[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Finding 3: a 2019 comparison named after today's group.
        ("I 2019 var Testby 9 prosent høyere enn KOSTRA-gruppe 11.", "without «inndeling til"),
        # Finding 2: the earlier year repeats the newest year word for word.
        (
            "I 2024 var Testby 27 prosent høyere enn KOSTRA-gruppe 11. "
            "I 2023 var Testby 27 prosent høyere enn KOSTRA-gruppe 11.",
            "say the same",
        ),
    ],
)
def test_sentences_about_a_year_name_that_years_group(
    tmp_path: Path, text: str, expected: str
) -> None:
    root = _book(
        tmp_path, _facts(), overview=_overview("4,17", "2,44", "barometer 2025 (tall for 2024)"),
        summary=_summary(GOOD_SUMMARY), intro=GOOD_INTRO + " " + text,
    )  # fmt: skip
    problems = check_book(root, KOMMUNE)
    assert len(problems) == 1 and expected in problems[0]
    fine = "I 2019 var Testby 9 prosent høyere enn KOSTRA-gruppe 13 (inndeling til 2019)."
    assert sentences(fine) == [fine]


GOOD_INTRO = "I 2024 mottok 4,17 prosent av innbyggerne 18–66 år i Testby sosialhjelp."


def test_overview_cells_read_by_header() -> None:
    page = _overview("4,17", "..", "barometer 2025 (tall for 2024)")
    assert overview_cells(page, KOMMUNE) == {
        "andel_18_66": ("2024", "4,17"),
        "barometer": ("barometer 2025 (tall for 2024)", ".."),
    }
    assert overview_cells(page, "0000") == {}


def test_default_book_uses_the_overviews_barometer_edition(mini_data) -> None:
    """Finding 1's cause: a book without a chosen edition reconstructs the newest barometer,
    the one the overview and the summary show (it used the statistics year before it)."""
    params = default_params(mini_data, "3201")
    assert params.barometer_year is None
    r = Report(mini_data, params)
    nat = national(mini_data)
    assert r.barometer.year()[1] == nat.years["barometer"]
    assert Params(kommune="3201", name="Bærum").barometer_year is None


def test_book_facts_are_the_overview_row(mini_data) -> None:
    """The book's own values are the national table's row (the overview's), with the period
    of each figure; a chosen older barometer edition is a second fact with its own period."""
    nat = national(mini_data)
    r = Report(mini_data, Params(kommune="3201", name="Bærum", barometer_year=2024))
    row = nat.row("3201")
    for key in KEY_FIGURES:
        fact = r.facts.get(key.id)
        assert fact is not None and fact.period == nat.period(key.id)
        if fact.value is not None:
            assert fact.value == pytest.approx(float(row[key.id]))
    chosen = r.facts.get("barometer:kapittel")
    if nat.years["barometer"] != 2023:
        assert chosen is not None and chosen.period == "barometer 2024 (tall for 2023)"
    assert r.facts.get("andel_18_66", "landet") is not None


def test_recorded_books_agree_across_pages(recorded_books) -> None:
    """Bærum, Utsira and Oslo: the overview row, the print summary and the book say the same
    key figures with the same periods."""
    for kommune in ("3201", "1151", "0301"):
        assert check_book(recorded_books.build, kommune) == [], kommune
