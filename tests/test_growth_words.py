"""Words that the numbers support: the growth chapter's rules and its sentences
(``chapters/utbetalingsvekst.md``, filled with the rules' values) on constructed cases."""

from __future__ import annotations

import pandas as pd
import pytest
from chapter_run import render_cell

from navbok.analysis.growth import Decomposition, from_rates
from navbok.present.shown import shown
from navbok.report.growth_words import (
    MORE_THAN_ALL as MORE,
)
from navbok.report.growth_words import (
    annual_slots,
    decomposition_slots,
    driver,
    share_case,
    shares_rule_slots,
)
from navbok.report.words import share_words


@pytest.mark.parametrize(
    ("share", "case"),
    [
        (0.36, "under halvparten"),  # the chapter: «den største delen»
        (0.49, "under halvparten"),
        (0.494, "under halvparten"),
        (0.495, "halvparten"),  # printed as 50 %
        (0.5, "halvparten"),
        (0.504, "halvparten"),
        (0.505, "over halvparten"),  # printed as 51 %: «det meste»
        (0.51, "over halvparten"),
        (0.996, "alle"),  # printed as 100 %
        (1.0, "alle"),
        (1.004, "alle"),
        (1.006, MORE),  # printed as 101 %
        (1.2, MORE),
        (float("nan"), ""),
    ],
)
def test_share_case_is_share_words_of_the_printed_share(share: float, case: str) -> None:
    assert share_case(share) == case
    if share == share and case != MORE:  # one rule: the shared words of whole percent of 100
        assert share_words(round(100 * share + 1e-9), 100) == case


def paragraph(name: str, d: Decomposition, g_group: float, **group: object) -> str:
    """The chapter's decomposition paragraph for ``d`` (and a comparison group)."""
    vekst = decomposition_slots(d, g_group)
    if vekst.get("gruppe"):
        vekst["gruppe"] |= {"asss": True, "n": 11, "aar": str(d.year1), "navn": "ASSS"} | group
    return render_cell(
        "utbetalingsvekst",
        "kombinasjonseffekten var",
        navn=name,
        vekst=vekst | {"mangler": ""},
        andeler=shares_rule_slots(),
    )


def meaning(name: str, level: dict, d: Decomposition) -> str:
    """The chapter's «Hva betyr dette?» for ``d`` (``level``: the level's slots)."""
    return render_cell(
        "utbetalingsvekst",
        "Hva betyr dette?",
        navn=name,
        aar="2024",
        betyr={"niva": level, "sml": "ASSS-snittet", "vekst": decomposition_slots(d)},
        andeler=shares_rule_slots(),
    )


def annual_sentence(name: str, rows: pd.DataFrame) -> str:
    return render_cell(
        "utbetalingsvekst", "fra ett år til det neste", navn=name, aarlig=annual_slots(rows)
    )


#: «Utbetalingene per innbygger 18–66 år i … var 8 prosent lavere enn ASSS-snittet i 2024.»
LEVEL = {"ord": "lavere enn", "prosent": shown(8, 0)}
LEVEL_TEXT = (
    "Utbetalingene per innbygger 18–66 år i {} var 8 prosent lavere enn ASSS-snittet i 2024."
)
#: A level that is hidden or missing.
HIDDEN = {"ord": "", "prosent": shown(None, 0)}


def _d(g_n: float, g_l: float, g_p: float):
    return from_rates(g_n, g_l, g_p, T0=1000.0, N0=1000.0, year0=2019, year1=2024)


def test_largest_part_of_36_percent_is_not_most_of_the_growth() -> None:
    # Oslo-like: three similar components, the largest about a third of the growth
    d = _d(0.10, 0.08, 0.09)
    top = d.g_N / d.g_T
    assert 0.3 < top < 0.4
    text = paragraph("Oslo", d, float("nan"))
    assert "Det meste" not in text
    assert "Den største delen av veksten kom fra flere mottakere" in text


@pytest.mark.parametrize(
    ("rates", "share", "start"),
    [
        ((0.05, 0.12, 0.07), 0.46, "Den største delen av veksten"),
        ((0.05, 0.13, 0.06), 0.50, "Halvparten av veksten"),
        ((0.05, 0.135, 0.06), 0.51, "Det meste av veksten"),
        ((0.02, 0.15, 0.06), 0.62, "Det meste av veksten"),
    ],
)
def test_words_for_shares_around_half(rates: tuple, share: float, start: str) -> None:
    d = _d(*rates)
    assert round(d.g_L / d.g_T, 2) == share
    text = paragraph("A", d, float("nan"))
    assert f"{start} kom fra lengre stønadsperioder" in text


def test_a_fall_is_told_as_a_fall() -> None:
    d = _d(-0.08, -0.03, 0.01)
    assert d.g_T < 0
    text = paragraph("Utsira", d, -0.12)
    assert "falt de samlede utbetalingene i Utsira med" in text
    assert "av nedgangen kom fra færre mottakere" in text
    assert "veksten kom fra" not in text.lower()
    assert "utbetalingen per stønadsmåned økte med 1,0" in text
    # ASSS fell more: «lavere», never «mindre enn» for a bigger fall
    assert "prosentpoeng lavere enn i Utsira" in text
    assert driver(d) == "færre mottakere"


def test_a_component_larger_than_a_fall_and_an_unchanged_total() -> None:
    d = _d(-0.20, 0.05, 0.02)
    text = paragraph("B", d, float("nan"))
    assert "Nedgangen kom fra færre mottakere, som alene tilsvarer mer enn hele nedgangen" in text
    assert "trakk opp" in text
    flat = _d(0.0, 0.0, 0.0)
    text = paragraph("C", flat, 0.0)
    assert "var de samlede utbetalingene i C uendret" in text
    assert "kom fra" not in text and "økte med 0,0" not in text


def test_the_comparison_group_is_named_and_compared() -> None:
    d = _d(0.041, 0.157, 0.039)  # 25,1 %
    asss = paragraph("Bærum", d, 0.240)
    assert asss.endswith(
        "De 11 ASSS-kommunene i 2024 samlet økte med 24,0 prosent; veksten der var 1,1 "
        "prosentpoeng lavere enn i Bærum."
    )
    group = paragraph("Larvik", d, d.g_T, asss=False, navn="KOSTRA-gruppe 11")
    assert group.endswith(
        "Kommunene i KOSTRA-gruppe 11 samlet økte med 25,1 prosent, det samme som Larvik."
    )


def test_annual_sentence_when_every_year_fell() -> None:
    import pandas as pd

    rows = pd.DataFrame(
        {"year0": [2020, 2021], "year1": [2021, 2022], "g_T": [-0.02, -0.05], "status": [None] * 2}
    )
    text = annual_sentence("D", rows)
    assert "største økningen" not in text
    assert "økte ikke" in text and "−5,0" in text


# ---------------------------------------------------------------- «Hva betyr dette?»


def test_meaning_says_most_only_over_half() -> None:
    years = {"year0": 2015, "year1": 2019, "N0": 1000.0}
    most = meaning("Bærum", LEVEL, from_rates(0.041, 0.157, 0.039, **years))  # L: 63 %
    assert most.startswith(
        LEVEL_TEXT.format("Bærum") + " Fra 2015 til 2019 økte de samlede utbetalingene i Bærum"
    )
    assert "Det meste av veksten kom fra lengre stønadsperioder." in most
    assert "langtidsmottakere" in most  # what longer durations point to
    largest = meaning("X", LEVEL, from_rates(0.08, 0.07, 0.06, N0=1000.0))  # N: 36 % of 22 %
    assert "Den største delen av veksten kom fra flere mottakere, men ikke det meste (" in largest
    assert "det meste av" not in largest.lower()
    fell = meaning("X", LEVEL, from_rates(0.02, -0.01, -0.08, N0=1000.0))
    assert "falt de samlede utbetalingene" in fell and "nedgangen" in fell
    assert "Lavere utbetaling per måned alene tilsvarer mer enn hele nedgangen." in fell


def test_meaning_when_the_numbers_are_hidden() -> None:
    from navbok.analysis.decomposition import decompose

    nan = float("nan")
    d = decompose(nan, nan, nan, nan, nan, nan, status=":", year0=2019, year1=2024)
    text = meaning("Utsira", HIDDEN, d)
    assert text == (
        "Utbetalingene per innbygger i Utsira i 2024 er skjult eller mangler. Veksten fra 2019 "
        "til 2024 kan ikke deles opp, fordi tallene er skjult av personvernhensyn eller mangler."
    )
    assert paragraph("Utsira", d, nan).endswith(
        "Veksten i utbetalingene i Utsira fra 2019 til 2024 kan ikke dekomponeres: tallene er "
        "skjult av personvernhensyn eller mangler."
    )


# ---------------------------------------------------------------- small numbers, near zero


def test_few_recipients_give_counts_and_why_but_no_share() -> None:
    from navbok.analysis.decomposition import decompose

    # Røst 2015–2019: 11 → 14 recipients
    d = decompose(224, 11, 36, 315, 14, 49, year0=2015, year1=2019)
    for text in (paragraph("Røst", d, 0.134), meaning("Røst", LEVEL, d)):
        assert "tilsvarer" not in text and "av veksten kom fra" not in text
        assert "Det meste" not in text
        assert "11 i 2015 og 14 i 2019" in text
        assert "deler ikke veksten i andeler" in text
        assert "(det gjør den bare med minst 100 mottakere begge år)" in text
    assert "Antall mottakere økte fra 11 til 14," in paragraph("Røst", d, 0.134)


def test_near_zero_growth_says_the_parts_pulled_apart_and_gives_no_share() -> None:
    # KOSTRA-gruppe 11-like 2020–2024: −0,4 % from −9,7 %, −4,3 % and +15,2 %
    d = from_rates(-0.097, -0.043, 0.152, T0=1000.0, N0=1000.0, year0=2020, year1=2024)
    for text in (paragraph("G", d, float("nan")), meaning("G", LEVEL, d)):
        assert "tilsvarer" not in text and "mer enn hele" not in text
        assert (
            "Komponentene trakk hver sin vei: høyere utbetaling per stønadsmåned trakk opp, "
            "færre mottakere og kortere stønadsperioder trakk ned. Minst én av dem er mer enn 2 "
            "ganger så stor som hele endringen"
        ) in text
        assert "deler ikke endringen i andeler" in text


def test_estimated_years_withhold_the_shares_and_say_why() -> None:
    from dataclasses import replace

    d = replace(from_rates(-0.3, 0.02, 0.01, N0=1000.0, year0=2019, year1=2024), estimated=(2019,))
    for text in (paragraph("Haram", d, float("nan")), meaning("Haram", LEVEL, d)):
        assert "Tallene for 2019 er anslag:" in text and "tilsvarer" not in text


def test_growth_prose_says_prosent_in_words() -> None:
    from navbok.report.growth_words import headline_finding

    d = _d(0.041, 0.157, 0.039)
    rows = pd.DataFrame(
        {"year0": [2020, 2021], "year1": [2021, 2022], "g_T": [0.02, -0.05], "status": [None] * 2}
    )
    texts = [
        paragraph("A", d, 0.22),
        meaning("A", LEVEL, d),
        headline_finding("A", d),
        annual_sentence("A", rows),
    ]
    for text in texts:
        assert "%" not in text, text
        assert "prosent" in text


def test_headline_finding_names_its_period_and_nominal_kroner() -> None:
    from navbok.report.growth_words import headline_finding

    d = _d(0.016, -0.081, 0.130)  # 2019–2024, 5,5 %
    text = headline_finding("Bergen", d)
    assert text.startswith(
        "Fra 2019 til 2024 økte de samlede sosialhjelpsutbetalingene i Bergen med "
        "5,5 prosent i nominelle kroner (ikke justert for prisstigning)."
    )
    real = from_rates(0.016, -0.081, 0.02, T0=1000.0, N0=1000.0, year0=2019, year1=2024)
    with_prices = headline_finding("Bergen", d, real, "SSBs konsumprisindeks")
    assert "5,5 prosent i nominelle kroner, −4,8 prosent i faste 2024-kroner (SSBs " in with_prices
    hidden = from_rates(0.0, 0.0, 0.0, status=":", year0=2019, year1=2024)
    assert headline_finding("Bergen", hidden) == ""


def test_headline_finding_says_why_no_share_in_one_sentence() -> None:
    from navbok.analysis.decomposition import decompose
    from navbok.report.growth_words import headline_finding

    small = decompose(224, 14, 36, 170, 9, 29, year0=2019, year1=2024)
    assert headline_finding("Røst", small).endswith(
        "(ikke justert for prisstigning). Med så få mottakere (14 i 2019 og 9 i 2024) deler "
        "boka ikke veksten i andeler."
    )
    flat = from_rates(-0.052, 0.035, -0.003, N0=1000.0, year0=2020, year1=2024)
    assert headline_finding("Narvik", flat).endswith(
        "Komponentene trakk hver sin vei: lengre stønadsperioder trakk opp, færre mottakere og "
        "lavere utbetaling per måned trakk ned."
    )


@pytest.mark.parametrize(
    "rates",
    [(0.02, 0.3, 0.01), (0.01, -0.3, 0.02), (0.3, 0.01, 0.02), (-0.3, 0.01, 0.02),
     (0.01, 0.02, 0.3), (0.01, 0.02, -0.3)],
)  # fmt: skip
def test_what_the_growth_points_to_says_what_to_check_next(rates: tuple) -> None:
    """Finding 25: «Flere mottakere betyr at flere har fått stønad i løpet av året» restated
    the number; each driver of growth now ends in a check or a question for the reader."""
    text = meaning("A", LEVEL, _d(*rates))
    last = text.rsplit(". ", 2)[-2:]
    assert any(w in " ".join(last) for w in ("sjekk", "spør", "sammenlign")), text
    assert "betyr at flere har fått stønad" not in text
