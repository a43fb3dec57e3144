"""Peers that fit: who a municipality is compared with first, the KOSTRA group in SSB's words,
groups that are the municipality alone, and the small-municipality rules (mini replay and small
hand-made groups)."""

from __future__ import annotations

import re

import pytest

from navbok.comparison import ComparisonRow, Kind
from navbok.errors import ConfigError
from navbok.groups import Groups
from navbok.params import Params
from navbok.peers import choose_peers, kostra_description
from navbok.report import Report
from navbok.report.context import Phrase
from navbok.report.missing import MissingFigure
from navbok.report.words import compare_word, share_words, trend_words

NAMES = {"3203": "Asker", "EKA32": "Akershus", "EKA39": "Vestfold", "EKA03": "Oslo"}


def _groups(kommune: str, asss: list[str], kostra: str | None, members: list[str], **kw) -> Groups:
    label = kw.pop("label", "")
    return Groups(
        kommune=kommune,
        years=[2024],
        asss={2024: asss},
        kostra={2024: kostra} if kostra else {},
        county={2024: kw.pop("county", "EKA39")},
        kostra_members={2024: members} if kostra else {},
        county_members={2024: kw.pop("county_members", [kommune, "9999"])},
        kostra_labels={2024: label} if kostra else {},
        **kw,
    )


def test_kostra_description_is_ssbs_name_made_ready_for_a_sentence() -> None:
    assert (
        kostra_description(
            "KOSTRA-gruppe 11 - Kommuner med 20 000-74 999 innbyggere, "
            "høye frie disponible inntekter"
        )
        == "kommuner med 20\u00a0000–74\u00a0999 innbyggere, høye frie disponible inntekter"
    )
    assert kostra_description("KOSTRA-gruppe 13 - Oslo kommune") == "Oslo kommune"
    assert kostra_description("KOSTRA-gruppe 11") == ""  # no description: say nothing more


def test_an_asss_member_is_compared_with_asss_first() -> None:
    g = _groups(
        "3201",
        ["0301", "3201"],
        "EKG12",
        ["3201", "3203"],
        label="KOSTRA-gruppe 12 - Kommuner med 75 000-300 000 innbyggere",
        neighbours=["3203"],
    )
    p = choose_peers(g, 2024, "Bærum", lambda c: NAMES.get(c, c))
    assert p.main == Kind.ASSS_SNITT and p.label == "ASSS-snittet"
    assert p.line_kinds == (
        Kind.KOMMUNE,
        Kind.NABO,
        Kind.ASSS_SNITT,
        Kind.KOSTRAGRUPPE,
        Kind.LANDET,
    )
    assert p.bar_kinds == tuple(Kind)
    assert p.reason() == (
        "Bærum er med i ASSS, nettverket av de største kommunene, og sammenlignes derfor først "
        "med ASSS-snittet: kommuner av omtrent samme størrelse og med de samme oppgavene. Bærum "
        "hører til KOSTRA-gruppe 12 (kommuner med 75\u00a0000–300\u00a0000 innbyggere), "
        "som også vises."
    )
    assert p.neighbour_names == ("Asker",)


def test_a_mid_sized_municipality_is_compared_with_its_kostra_group() -> None:
    g = _groups(
        "3907",
        ["0301", "3201"],
        "EKG11",
        ["3907", "3909", "1508"],
        label="KOSTRA-gruppe 11 - Kommuner med 20 000-74 999 innbyggere, høye frie disponible "
        "inntekter",
    )
    p = choose_peers(g, 2024, "Sandefjord", lambda c: NAMES.get(c, c))
    assert p.main == Kind.KOSTRAGRUPPE and p.label == "KOSTRA-gruppe 11"
    assert p.members_label == "kommunene i KOSTRA-gruppe 11"
    assert Kind.ASSS_SNITT not in p.line_kinds and Kind.ASSS_SNITT not in p.bar_kinds
    assert p.line_kinds == (Kind.KOMMUNE, Kind.NABO, Kind.KOSTRAGRUPPE, Kind.FYLKE, Kind.LANDET)
    assert p.county_name == "Vestfold" and not p.county_alone
    assert (
        "sammenlignes derfor først med sin KOSTRA-gruppe: KOSTRA-gruppe 11 (kommuner med "
        "20\u00a0000–74\u00a0999 innbyggere, høye frie disponible inntekter)" in p.reason()
    )
    assert "de 3 kommunene i gruppen" in p.reason()
    assert p.neighbour_names == ()


def test_oslo_alone_in_its_group_and_county_draws_no_line_of_its_own() -> None:
    g = _groups(
        "0301",
        ["0301", "3201"],
        "EKG13",
        ["0301"],
        label="KOSTRA-gruppe 13 - Oslo kommune",
        county="EKA03",
        county_members=["0301"],
    )
    assert g.alone(Kind.KOSTRAGRUPPE, 2024) and g.alone(Kind.FYLKE, 2024)
    assert not g.alone(Kind.LANDET, 2024)
    p = choose_peers(g, 2024, "Oslo", lambda c: NAMES.get(c, c))
    assert p.main == Kind.ASSS_SNITT and p.kostra_alone and p.county_alone
    assert p.reason().endswith(
        "Oslo er alene i KOSTRA-gruppe 13 (Oslo kommune), så gruppen vises ikke som egen linje."
    )
    assert "nabo" not in p.reason()


def test_outside_asss_and_alone_in_its_group_the_main_comparison_is_landet() -> None:
    g = _groups("9999", ["0301"], "EKG09", ["9999"])
    p = choose_peers(g, 2024, "Ny", lambda c: c)
    assert p.main == Kind.LANDET and p.label == "landet" and p.members_label == ""


# ---------------------------------------------------------------- the mini replay


def test_oslo_has_no_kostra_group_or_county_rows(mini_data) -> None:
    r = Report(mini_data, Params(kommune="0301", name="Oslo", end_year=2024))
    kinds = set(r.comparison("andel_18_66")["kind"])
    assert Kind.KOSTRAGRUPPE not in kinds and Kind.FYLKE not in kinds
    assert Kind.KOMMUNE in kinds and Kind.LANDET in kinds


def test_sandefjord_is_ranked_in_its_kostra_group(mini_data) -> None:
    r = Report(mini_data, Params(kommune="3907", name="Sandefjord", end_year=2024))
    assert r.main_kind == Kind.KOSTRAGRUPPE
    assert sorted(r.groups.kostra_members[2024]) == ["1508", "3907", "3909"]
    # Durations: Sandefjord (300·5 + 50·4 + 100·4)/450 = 4,67; Larvik (400·5 + 50·4)/450 = 4,89;
    # Ålesund 5: Sandefjord has the shortest.
    assert r.position("stonadslengde", 2024) == " (lavest av de 3 kommunene i KOSTRA-gruppe 11)"
    assert isinstance(r.position("stonadslengde", 2024), Phrase)
    line = r.figures.line("stonadslengde", "x")
    rows = re.findall(r'<th scope="row">([^<]*)</th>', line.html)  # the table behind the chart
    assert "ASSS-snitt" not in rows and "Sandefjord" in rows


def _rows(value: float | None, status: str | None, main: float = 2.0) -> list[ComparisonRow]:
    return [
        ComparisonRow("Liten", Kind.KOMMUNE, "3907", 2024, value, status, "t"),
        ComparisonRow("KOSTRA-gruppe 11", Kind.KOSTRAGRUPPE, "EKG11", 2024, main, None, "t"),
        ComparisonRow("Landet", Kind.LANDET, "EAK", 2024, 3.0, None, "t"),
    ]


@pytest.fixture
def small(mini_data) -> Report:
    """Sandefjord's book with hand-made values in 2024 (``_rows_memo``)."""
    r = Report(mini_data, Params(kommune="3907", name="Liten", start_year=2023, end_year=2024))
    r.years = [2024]
    return r


def test_a_figure_whose_own_series_is_all_hidden_becomes_one_note(small: Report) -> None:
    small._rows_memo[("kvp_per_1000", (2024,))] = _rows(None, ":")
    assert not small.has_own_values("kvp_per_1000")
    note = small.figures.line("kvp_per_1000", "kvp", years=[2024])
    assert isinstance(note, MissingFigure)
    assert note.reason == (
        "Tallet for Liten i 2024 er skjult av personvernhensyn (det bygger på for få personer), "
        "så figuren er utelatt."
    )
    assert small.position("kvp_per_1000", 2024) == ""


def test_a_zero_is_shown_but_never_ranked(small: Report) -> None:
    small._rows_memo[("kvp_per_1000", (2024,))] = _rows(0.0, None)
    assert small.has_own_values("kvp_per_1000") and not small.comparable("kvp_per_1000", 2024)
    assert small.position("kvp_per_1000", 2024) == ""
    assert small.intro.compared("kvp_per_1000", 2024)["plass"] == ""  # the introduction too
    # A sentence with an empty rank still stands (the rank is optional, not a missing number).
    from navbok.present.chapter_text import render
    from navbok.present.shown import shown

    slots = {"v": shown(0.0, 2), "navn": "Liten", "plass": small.position("kvp_per_1000", 2024)}
    text = render("{% if v %}{{ v }} per 1 000 i {{ navn }}{{ plass }}.{% endif %}", slots)
    assert text == "0,00 per 1\u00a0000 i Liten."


def test_words_follow_numbers() -> None:
    assert compare_word(3.0, 3.52, "ASSS-snittet") == "lavere enn i ASSS-snittet (3,52)"
    assert compare_word(3.59, 3.57, "KOSTRA-gruppe 10") == "på nivå med KOSTRA-gruppe 10 (3,57)"
    assert compare_word(5.7, 4.8, "x", 1, ("kortere", "lengre")) == "lengre enn i x (4,8)"
    assert compare_word(1.0, float("nan"), "x") == "og tallet for x mangler"
    assert [share_words(p, 10) for p in (10, 6, 5, 4, 0)] == [
        "alle",
        "over halvparten",
        "halvparten",
        "under halvparten",
        "ingen",
    ]
    assert trend_words(24.3, 30.06, 2) == "økte" and trend_words(2.0, 2.001, 2) == "var uendret"


def test_texts_about_one_municipality_come_from_its_params() -> None:
    with pytest.raises(ConfigError, match="unknown texts key"):
        Params(kommune="3201", name="Bærum", texts={"mandat": "x"})


def test_other_books_say_nothing_of_baerum_in_the_aap_chapter(mini_data) -> None:
    from chapter_run import markdown, run_chapter

    r = Report(mini_data, Params(kommune="3907", name="Sandefjord", end_year=2024))
    text = markdown(run_chapter(r, "aap"))
    assert "Bærum" not in text and "Mandat" not in text
    assert "\n\nKapitlet ser på hvor stor andel" in text
    own = Params(kommune="3201", name="Bærum", texts={"aap_intro": "Mandatet ber om X."})
    assert "\n\nMandatet ber om X. {term}`AAP` er" in markdown(
        run_chapter(Report(mini_data, own), "aap")
    )
