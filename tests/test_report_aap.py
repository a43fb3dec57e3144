"""The AAP chapter's «Hva betyr dette?» (:mod:`navbok.report.aap`): the ratio explained by the
two shares as the numbers say, AAP as a state benefit, and a question to ask next."""

from __future__ import annotations

from navbok.report.aap import ratio_meaning


def test_a_lower_ratio_names_the_share_that_makes_it_and_never_says_the_kommune_uses_aap() -> None:
    # Bergen's case: AAP share below ASSS, social-assistance share on its level (4,17 / 4,11).
    text = ratio_meaning(
        "ASSS-snittet", (0.772, 0.855), (3.22, 3.517), (4.17, 4.113), "i desember 2024"
    )
    assert text.startswith(
        "Det er færre AAP-mottakere per sosialhjelpsmottaker enn i ASSS-snittet (0,77 mot 0,86 "
        "i desember 2024)."
    )
    assert "AAP-andelen er lavere enn i ASSS-snittet (3,52)" in text
    assert "sosialhjelpsandelen er på nivå med ASSS-snittet (4,11)" in text
    assert "bruker" not in text and "mer sosialhjelp" not in text
    assert "statlig ytelse" in text and text.rstrip().endswith("?")


def test_a_higher_ratio_and_equal_ratios() -> None:
    text = ratio_meaning("KOSTRA-gruppe 11", (1.5, 1.1), (5.0, 3.5), (3.3, 3.2), "i 2024")
    assert text.startswith("Det er flere AAP-mottakere per sosialhjelpsmottaker")
    assert "AAP-andelen er høyere enn i KOSTRA-gruppe 11 (3,50)" in text
    assert text.rstrip().endswith("?")
    assert ratio_meaning("ASSS-snittet", (0.881, 0.879), (3, 3), (4, 4), "i 2024") == ""


def test_an_earlier_paired_year_is_followed_by_the_newest_ratio() -> None:
    newest = " I 2024 var forholdstallet 0,82 mot 0,88 i ASSS-snittet."
    text = ratio_meaning("ASSS-snittet", (0.72, 0.98), (1.86, 3.55), (2.60, 3.61), "i 2020", newest)
    assert text.startswith(
        "Det er færre AAP-mottakere per sosialhjelpsmottaker enn i ASSS-snittet (0,72 mot 0,98 "
        "i 2020). I 2024 var forholdstallet 0,82 mot 0,88 i ASSS-snittet. AAP-andelen"
    )
