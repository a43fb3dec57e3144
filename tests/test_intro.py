"""The introduction (``chapters/intro.md``, rules in :mod:`navbok.report.intro`): bokmål word
order in the long-term finding, subjects without numbers said and never silently dropped, and
«Hva betyr dette?» ending in what to ask next."""

from __future__ import annotations

import pytest
from chapter_run import markdown, meaning_box, run_chapter

from navbok.comparison import ComparisonRow, Kind
from navbok.key_figures import Fact, Facts
from navbok.params import Params
from navbok.report import Report
from navbok.report.intro import next_question


def _rows(year: int, value: float | None, status: str | None = None, main: float = 22.0):
    return [
        ComparisonRow("Liten", Kind.KOMMUNE, "3907", year, value, status, "t"),
        ComparisonRow("KOSTRA-gruppe 11", Kind.KOSTRAGRUPPE, "EKG11", year, main, None, "t"),
        ComparisonRow("Landet", Kind.LANDET, "EAK", year, 23.0, None, "t"),
    ]


@pytest.fixture
def small(mini_data) -> Report:
    r = Report(mini_data, Params(kommune="3907", name="Liten", start_year=2023, end_year=2024))
    r.years = [2023, 2024]
    return r


def _findings(r: Report) -> str:
    """The chapter's «Hovedfunn» list as the reader gets it."""
    text = markdown(run_chapter(r, "intro"))
    return text.split("## Hovedfunn", 1)[1].split("```{admonition} Hva betyr dette?", 1)[0]


def test_the_long_term_finding_puts_the_verb_second(small: Report) -> None:
    ind = "andel_langtid_6mnd_hovedinntekt"
    small._rows_memo[(ind, (2023,))] = _rows(2023, 26.13)
    small._rows_memo[(ind, (2024,))] = _rows(2024, 20.0)
    found = small.intro.longterm()
    assert found is not None and found["trend"] == "gikk ned" and found["topp"] is None
    assert (found["fra_aar"], found["fra"].text, found["verdi"].text) == (2023, "26,13", "20,00")
    assert "Fra 2023 (26,13 prosent) gikk andelen ned." in _findings(small)


def test_subjects_without_numbers_are_said_and_not_pointed_to(small: Report) -> None:
    for ind in ("andel_langtid_6mnd_hovedinntekt", "kvp_per_1000"):
        for y in (2023, 2024):
            small._rows_memo[(ind, (y,))] = _rows(y, None, ":")
    absent = small.intro.without_numbers()
    assert "langtidsmottakere" in absent and "kvalifiseringsprogrammet" in absent
    assert small.intro.longterm() is None and small.intro.kvp(2024) is None
    findings = _findings(small)
    assert "* For Liten er det ingen hovedfunn om " in findings
    assert "langtidsmottakere" in findings.split("* For Liten er det ingen hovedfunn om ")[1]
    small._rows_memo[("andel_18_66", (2024,))] = _rows(2024, 3.0)
    closing = meaning_box(run_chapter(small, "intro"))
    assert closing.startswith("Andelen som mottar sosialhjelp i Liten")
    assert "langtidsmottakerne" not in closing and "kvalifiseringsprogrammet" not in closing


def test_a_zero_kvp_is_said_as_nobody(small: Report) -> None:
    small._rows_memo[("kvp_per_1000", (2024,))] = _rows(2024, 0.0)
    found = small.intro.kvp(2024)
    assert found is not None and found["verdi"].zero and found["plass"] == ""
    small.facts._table = Facts(
        [Fact("kvp_per_1000", "KVP per 1 000", "2024", "Liten", "kommune", 0.0, "", 2, "")]
    )
    assert "* Ingen i Liten mottok kvalifiseringsstønad (KVP) i 2024." in _findings(small)


def test_main_findings_leave_out_what_is_hidden_and_the_notice_says_it_once(
    small: Report,
) -> None:
    small._rows_memo[("andel_18_66", (2024,))] = _rows(2024, None, ":")
    # The main findings are written from the book's headline facts (navbok.report.facts).
    share, months = "Sosialhjelp 18–66 (%)", "Stønadslengde (mnd)"
    small.facts._table = Facts(
        [
            Fact("andel_18_66", share, "2024", "Liten", "kommune", None, ":", 2, "prosent"),
            Fact("stonadslengde", months, "2024", "Liten", "kommune", 4.5, "", 1, "måneder"),
            Fact("stonadslengde", months, "2024", "KOSTRA-gruppe 11", "sammenligning", 5.0, "",
                 1, "måneder"),
        ]
    )  # fmt: skip
    assert small.intro.share() is None
    findings = _findings(small)
    assert "økonomisk sosialhjelp" not in findings
    assert (
        "* Gjennomsnittlig stønadslengde var 4,5 måneder i 2024, mot 5,0 i KOSTRA-gruppe 11."
        in findings
    )
    hidden = small.intro.hidden(2024)
    assert "andel mottakere 18–66 år" in hidden["skjult"] and hidden["mengde"]
    text = markdown(run_chapter(small, "intro"))
    notice = next(p for p in text.split("\n\n") if "av nøkkeltallene for Liten i 2024" in p)
    assert "Skjult av personvernhensyn: andel mottakere 18–66 år" in notice
    assert notice.count("personvernhensyn") == 1


@pytest.mark.parametrize(
    ("share", "length", "case", "words"),
    [
        ((4.0, 2.0), (6.0, 4.0), "flere_lengre", "Både flere mottakere og lengre forløp"),
        ((4.0, 2.0), (3.0, 4.0), "flere_kortere", "Flere mottakere, men kortere forløp"),
        ((1.0, 2.0), (6.0, 4.0), "faerre_lengre", "Færre mottakere, men lengre forløp"),
        ((2.0, 2.0), (3.0, 4.0), "nivaa_kortere", "På nivå i andel, men kortere forløp"),
        ((2.0, 2.0), (4.0, 4.0), "", ""),
    ],
)
def test_the_introductions_meaning_ends_in_what_to_ask_next(
    small: Report, share, length, case, words
) -> None:
    """Finding 25 (the introduction): «Hva betyr dette?» said the numbers again; it now ends
    in a question chosen by the share and the duration against the main comparison."""
    small.years = [2024]
    small._rows_memo[("andel_18_66", (2024,))] = _rows(2024, share[0], main=share[1])
    small._rows_memo[("stonadslengde", (2024,))] = _rows(2024, length[0], main=length[1])
    assert small.intro.meaning()["sporsmaal"] == case
    box = meaning_box(run_chapter(small, "intro"))
    assert box.endswith(".") and (words in box if words else True)
    if not case:
        assert box.split(". ")[-1].startswith("Kapitlene under")


def test_the_closing_question_rule() -> None:
    assert next_question("høyere enn", "høyere enn") == "flere_lengre"
    assert next_question("lavere enn", "på nivå med") == "faerre_like"
    assert next_question("på nivå med", "lavere enn") == "nivaa_kortere"
    assert next_question("på nivå med", "på nivå med") == ""
    assert next_question("", "høyere enn") == next_question("høyere enn", "") == ""
