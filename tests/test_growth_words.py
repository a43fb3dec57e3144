"""Words that the numbers support: the growth texts' quantity words on constructed cases."""

from __future__ import annotations

import pytest

from navbok.analysis.growth import from_rates
from navbok.report.growth_words import (
    annual_sentence,
    driver,
    growth_finding,
    growth_paragraph,
    share_words,
)


@pytest.mark.parametrize(
    ("share", "words"),
    [
        (0.36, "den største delen"),
        (0.49, "den største delen"),
        (0.494, "den største delen"),
        (0.495, "halvparten"),  # printed as 50 %
        (0.5, "halvparten"),
        (0.504, "halvparten"),
        (0.505, "det meste"),  # printed as 51 %
        (0.51, "det meste"),
        (1.0, "det meste"),
        (1.2, "mer enn hele"),
        (float("nan"), "en ukjent del"),
    ],
)
def test_share_words_follow_the_printed_share(share: float, words: str) -> None:
    assert share_words(share) == words


def _d(g_n: float, g_l: float, g_p: float):
    return from_rates(g_n, g_l, g_p, T0=1000.0, N0=1000.0, year0=2019, year1=2024)


def test_largest_part_of_36_percent_is_not_most_of_the_growth() -> None:
    # Oslo-like: three similar components, the largest about a third of the growth
    d = _d(0.10, 0.08, 0.09)
    top = d.g_N / d.g_T
    assert 0.3 < top < 0.4
    text = growth_paragraph("Oslo", d, float("nan"))
    assert "Det meste" not in text
    assert "Den største delen av veksten kom fra flere mottakere" in text
    assert "Det meste" not in growth_finding("Oslo", d)


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
    text = growth_paragraph("A", d, float("nan"))
    assert f"{start} kom fra lengre stønadsperioder" in text


def test_a_fall_is_told_as_a_fall() -> None:
    d = _d(-0.08, -0.03, 0.01)
    assert d.g_T < 0
    text = growth_paragraph("Utsira", d, -0.12)
    assert "falt de samlede utbetalingene i Utsira med" in text
    assert "av nedgangen kom fra færre mottakere" in text
    assert "veksten kom fra" not in text.lower()
    assert "utbetalingen per stønadsmåned økte med 1,0" in text
    # ASSS fell more: «lavere», never «mindre enn» for a bigger fall
    assert "prosentpoeng lavere enn i Utsira" in text
    assert driver(d) == "færre mottakere"


def test_a_component_larger_than_a_fall_and_an_unchanged_total() -> None:
    d = _d(-0.20, 0.05, 0.02)
    text = growth_paragraph("B", d, float("nan"))
    assert "Nedgangen kom fra færre mottakere, som alene tilsvarer mer enn hele nedgangen" in text
    assert "trakk opp" in text
    flat = _d(0.0, 0.0, 0.0)
    text = growth_paragraph("C", flat, 0.0)
    assert "var de samlede utbetalingene i C uendret" in text
    assert "kom fra" not in text and "økte med 0,0" not in text


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
    from navbok.report.growth_words import growth_meaning

    level = "Nivået."
    years = {"year0": 2015, "year1": 2019, "N0": 1000.0}
    most = growth_meaning("Bærum", level, from_rates(0.041, 0.157, 0.039, **years))  # L: 63 %
    assert most.startswith("Nivået. Fra 2015 til 2019 økte de samlede utbetalingene i Bærum")
    assert "Det meste av veksten kom fra lengre stønadsperioder." in most
    assert "langtidsmottakere" in most  # what longer durations point to
    largest = growth_meaning("X", level, from_rates(0.08, 0.07, 0.06, N0=1000.0))  # N: 36 % of 22 %
    assert "Den største delen av veksten kom fra flere mottakere, men ikke det meste (" in largest
    assert "det meste av" not in largest.lower()
    fell = growth_meaning("X", level, from_rates(0.02, -0.01, -0.08, N0=1000.0))
    assert "falt de samlede utbetalingene" in fell and "nedgangen" in fell
    assert "Lavere utbetaling per måned alene tilsvarer mer enn hele nedgangen." in fell


def test_meaning_when_the_numbers_are_hidden() -> None:
    from navbok.analysis.decomposition import decompose
    from navbok.report.growth_words import growth_meaning

    nan = float("nan")
    d = decompose(nan, nan, nan, nan, nan, nan, status=":", year0=2019, year1=2024)
    text = growth_meaning("Utsira", "Skjult.", d)
    assert text == (
        "Skjult. Veksten fra 2019 til 2024 kan ikke deles opp, fordi tallene er skjult av "
        "personvernhensyn eller mangler."
    )


# ---------------------------------------------------------------- small numbers, near zero


def test_few_recipients_give_counts_and_why_but_no_share() -> None:
    from navbok.analysis.decomposition import decompose
    from navbok.report.growth_words import growth_meaning

    # Røst 2015–2019: 11 → 14 recipients
    d = decompose(224, 11, 36, 315, 14, 49, year0=2015, year1=2019)
    for text in (
        growth_paragraph("Røst", d, 0.134),
        growth_finding("Røst", d),
        growth_meaning("Røst", "Nivået.", d),
    ):
        assert "tilsvarer" not in text and "av veksten kom fra" not in text
        assert "Det meste" not in text
        assert "11 i 2015 og 14 i 2019" in text
        assert "deler ikke veksten i andeler" in text
    assert "Antall mottakere økte fra 11 til 14," in growth_paragraph("Røst", d, 0.134)


def test_near_zero_growth_says_the_parts_pulled_apart_and_gives_no_share() -> None:
    from navbok.report.growth_words import growth_meaning

    # KOSTRA-gruppe 11-like 2020–2024: −0,4 % from −9,7 %, −4,3 % and +15,2 %
    d = from_rates(-0.097, -0.043, 0.152, T0=1000.0, N0=1000.0, year0=2020, year1=2024)
    for text in (growth_paragraph("G", d, float("nan")), growth_meaning("G", "Nivået.", d)):
        assert "tilsvarer" not in text and "mer enn hele" not in text
        assert (
            "Komponentene trakk hver sin vei: høyere utbetaling per stønadsmåned trakk opp, "
            "færre mottakere og kortere stønadsperioder trakk ned."
        ) in text
        assert "deler ikke endringen i andeler" in text


def test_growth_prose_says_prosent_in_words() -> None:
    import pandas as pd

    from navbok.report.growth_words import growth_meaning, headline_finding

    d = _d(0.041, 0.157, 0.039)
    rows = pd.DataFrame(
        {"year0": [2020, 2021], "year1": [2021, 2022], "g_T": [0.02, -0.05], "status": [None] * 2}
    )
    texts = [
        growth_paragraph("A", d, 0.22),
        growth_finding("A", d),
        growth_meaning("A", "Utbetalingene var 8 prosent lavere.", d),
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


def test_what_the_growth_points_to_says_what_to_check_next() -> None:
    """Finding 25: «Flere mottakere betyr at flere har fått stønad i løpet av året» restated
    the number; each driver of growth now ends in a check or a question for the reader."""
    from navbok.report.growth_words import POINTS_TO

    for key, text in POINTS_TO.items():
        assert any(w in text for w in ("sjekk", "spør", "sammenlign")), key
        assert "betyr at flere har fått stønad" not in text
