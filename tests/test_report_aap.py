"""The AAP chapter (``chapters/aap.md``, rules in :mod:`navbok.report.aap`): the ratio explained
by the two shares as the numbers say, AAP as a state benefit, and a question to ask next; a
municipality whose own share is hidden is told so once, with the comparisons that have
numbers."""

from __future__ import annotations

import pytest
from chapter_run import markdown, meaning_box, run_chapter

from navbok.comparison import Kind
from navbok.params import Params
from navbok.present.shown import Shown, shown
from navbok.report import Report


@pytest.fixture
def baerum(mini_data) -> Report:
    r = Report(mini_data, Params(kommune="3201", name="Bærum", end_year=2024, aap_year=2020))
    assert r.peers.label == "ASSS-snittet"
    return r


def _ratio(r: Report, monkeypatch, ratio, aap, sos) -> None:
    """The comparison with social assistance set to known numbers (municipality, comparison)."""
    values = {
        "forholdstall": shown(ratio[0], 2),
        "forholdstall_sml": shown(ratio[1], 2),
        "aap_andel": shown(aap[0], 2),
        "aap_sml": shown(aap[1], 2),
        "sos_andel": shown(sos[0], 2),
        "sos_sml": shown(sos[1], 2),
        "forventet": shown(sos[0] * ratio[1], 1),
    }
    monkeypatch.setattr(r.aap, "ratio_values", lambda: values)


def test_fewer_or_more_and_the_level_words(baerum: Report, monkeypatch) -> None:
    _ratio(baerum, monkeypatch, (0.772, 0.855), (3.22, 3.517), (4.17, 4.113))
    assert baerum.aap.fewer_or_more() == "færre"
    levels = baerum.aap.levels()
    assert (levels["aap"], levels["sos"]) == ("lavere enn", "på nivå med")
    _ratio(baerum, monkeypatch, (1.5, 1.1), (5.0, 3.5), (3.3, 3.2))
    assert baerum.aap.fewer_or_more() == "flere"
    _ratio(baerum, monkeypatch, (0.881, 0.879), (3.0, 3.0), (4.0, 4.0))
    assert baerum.aap.fewer_or_more() == ""  # equal as shown (0,88)
    _ratio(baerum, monkeypatch, (float("nan"), 0.879), (3.0, 3.0), (float("nan"), 4.0))
    assert baerum.aap.fewer_or_more() == "" and baerum.aap.levels()["sos"] == ""


def test_a_lower_ratio_names_the_share_that_makes_it_and_never_says_the_kommune_uses_aap(
    baerum: Report, monkeypatch
) -> None:
    # Bergen's case: AAP share below ASSS, social-assistance share on its level (4,17 / 4,11).
    _ratio(baerum, monkeypatch, (0.772, 0.855), (3.22, 3.517), (4.17, 4.113))
    text = meaning_box(run_chapter(baerum, "aap"))
    assert (
        "Det er færre AAP-mottakere per sosialhjelpsmottaker enn i ASSS-snittet (0,77 mot 0,86 "
        "i 2020). AAP-andelen" in text
    )
    assert "AAP-andelen er lavere enn i ASSS-snittet (3,52)" in text
    assert "sosialhjelpsandelen er på nivå med ASSS-snittet (4,11)" in text
    assert "bruker" not in text and "mer sosialhjelp" not in text
    assert "statlig ytelse" in text and "har fått vurdert retten til AAP?" in text
    assert text.endswith("kan gi de samme utslagene.")


def test_an_earlier_paired_year_is_followed_by_the_newest_ratio(
    baerum: Report, monkeypatch
) -> None:
    real = baerum.value

    def value(indicator: str, year: int, kind: Kind = Kind.KOMMUNE) -> tuple[float, str | None]:
        if (indicator, year) == ("aap_forholdstall", 2024):
            return (0.82 if kind == Kind.KOMMUNE else 0.88), None
        return real(indicator, year, kind)

    monkeypatch.setattr(baerum, "value", value)
    assert baerum.aap.pairing().sos_year == 2020 and baerum.aap.newest_ratio_year() == 2024
    _ratio(baerum, monkeypatch, (0.72, 0.98), (1.86, 3.55), (2.60, 3.61))
    assert (
        "(0,72 mot 0,98 i 2020). I 2024 var forholdstallet 0,82 mot 0,88 i ASSS-snittet. "
        "AAP-andelen" in meaning_box(run_chapter(baerum, "aap"))
    )


def test_a_higher_ratio_and_equal_ratios(baerum: Report, monkeypatch) -> None:
    _ratio(baerum, monkeypatch, (1.5, 1.1), (5.0, 3.5), (3.3, 3.2))
    text = meaning_box(run_chapter(baerum, "aap"))
    assert "Det er flere AAP-mottakere per sosialhjelpsmottaker" in text
    assert "AAP-andelen er høyere enn i ASSS-snittet (3,50)" in text
    assert "hva skjer med dem når AAP-perioden slutter?" in text
    _ratio(baerum, monkeypatch, (0.881, 0.879), (3, 3), (4, 4))
    assert "per sosialhjelpsmottaker" not in meaning_box(run_chapter(baerum, "aap"))


def test_a_hidden_share_is_said_once_with_the_comparisons_that_have_numbers(
    baerum: Report, monkeypatch
) -> None:
    real = baerum.aap.now

    def now(kind: Kind = Kind.KOMMUNE) -> Shown:
        return shown(None, 2, ":") if kind == Kind.KOMMUNE else real(kind)

    monkeypatch.setattr(baerum.aap, "now", now)
    nb = run_chapter(baerum, "aap")
    text = markdown(nb)
    assert real(Kind.ASSS_SNITT).missing  # the mini replay's ASSS average of October 2025
    assert (
        "AAP-tallene for Bærum er skjult av personvernhensyn (færre enn fire mottakere) eller "
        f"mangler. I oktober 2025 var andelen {real(Kind.LANDET)} prosent i landet.\n" in text
    )
    assert meaning_box(nb).startswith("AAP-tallene for Bærum er skjult fordi de bygger på")
