"""Which AAP month a figure uses (navbok.analysis.aap_periods): what a first fetch holds
(the current year only), what a snapshot with history holds, and how AAP pairs with KOSTRA."""

from __future__ import annotations

from navbok.analysis.aap_periods import DECEMBER, LATEST, AapPeriods

KOSTRA = range(2015, 2025)
FIRST_FETCH = [f"2025-{m:02d}" for m in range(1, 11)]  # what nav.no serves: Jan–Oct 2025
WITH_HISTORY = [f"{y}-{m:02d}" for y in range(2015, 2025) for m in range(1, 13)] + FIRST_FETCH


def test_a_first_fetch_uses_the_newest_month_and_names_it() -> None:
    p = AapPeriods.of(FIRST_FETCH, KOSTRA)
    latest = p.latest()
    assert latest is not None
    assert (latest.indicator, latest.year, latest.label) == (LATEST, 2025, "oktober 2025")
    assert p.decembers == []
    assert p.missing_decembers([2020, 2024]) == [2020, 2024]
    # A year's end that is not held falls back to the newest month, labelled.
    assert p.at_year_end(2024) == latest


def test_a_params_year_the_snapshot_lacks_is_named_and_the_newest_month_is_used() -> None:
    pairing = AapPeriods.of(FIRST_FETCH, KOSTRA).pairing(2020)
    assert pairing is not None
    assert pairing.missing == 2020
    assert (pairing.aap.label, pairing.sos_year) == ("oktober 2025", 2024)
    assert not pairing.same_year
    assert pairing.label == "AAP oktober 2025, sosialhjelp 2024"
    assert pairing.sentence == "med AAP i oktober 2025 og sosialhjelp i 2024"


def test_defaults_ask_for_nothing_and_report_nothing_missing() -> None:
    pairing = AapPeriods.of(FIRST_FETCH, KOSTRA).pairing(None)
    assert pairing is not None and pairing.missing is None
    assert pairing.aap.indicator == LATEST


def test_with_history_december_of_the_asked_year_pairs_with_that_year() -> None:
    p = AapPeriods.of(WITH_HISTORY, KOSTRA)
    pairing = p.pairing(2020)
    assert pairing is not None
    assert (pairing.aap.indicator, pairing.aap.year, pairing.sos_year) == (DECEMBER, 2020, 2020)
    assert pairing.missing is None and pairing.same_year
    assert pairing.sentence == "i 2020" and pairing.label == "2020"
    # Without a year asked for: the newest December of a KOSTRA year, with that year.
    default = p.pairing(None)
    assert default is not None
    assert (default.aap.label, default.sos_year) == ("desember 2024", 2024)
    assert p.at_year_end(2022) == p.december(2022)


def test_a_missing_december_falls_back_to_the_newest_held_december() -> None:
    held = [p for p in WITH_HISTORY if not p.startswith("2020-")]
    pairing = AapPeriods.of(held, KOSTRA).pairing(2020)
    assert pairing is not None
    assert pairing.missing == 2020
    assert (pairing.aap.label, pairing.sos_year) == ("desember 2024", 2024)


def test_no_aap_data_gives_no_reading() -> None:
    p = AapPeriods.of([], KOSTRA)
    assert p.latest() is None and p.pairing(2020) is None and p.at_year_end(2024) is None


def test_a_book_from_a_first_fetch_names_its_month_and_the_missing_december(
    mini_first_fetch,
) -> None:
    """Constructed data (the mini replay without its archive): the chapter's texts name
    October 2025, pair it with 2024 in text and table, and say December 2020 is missing."""
    from chapter_run import markdown, meaning_box, run_chapter

    from navbok.params import Params
    from navbok.report import Report

    r = Report(mini_first_fetch, Params(kommune="3201", name="Bærum", aap_year=2020))
    assert r.aap.newest_ratio_year() is None  # the pairing is the newest year already
    assert r.aap.missing_decembers() == "2015–2024"
    table, t = r.aap.ratio()
    assert t["periode"] == "med AAP i oktober 2025 og sosialhjelp i 2024"
    assert "AAP-andel oktober 2025 (%)" in table.html and "Sosialhjelpsandel 2024 (%)" in table.html
    months = r.aap.months_table()
    assert months is not None and "januar–oktober 2025" in months.html
    assert r.aap.counts() is None  # no December: no table of Decembers
    nb = run_chapter(r, "aap")
    text = markdown(nb)
    assert "## AAP-andelen nå og over tid\n\nI oktober 2025 mottok " in text
    assert "desember 2020 er ikke i datagrunnlaget" in text
    assert "Derfor brukes AAP i oktober 2025 og sosialhjelp i 2024." in text
    assert "Desembertallene mangler for 2015–2024" in text and "--nav-arkiv" in text
    assert "I desember" not in text  # no December held: none is named
    assert "oktober 2025" in meaning_box(nb)
    # With the defaults nothing was asked for, so nothing is missing.
    default = Report(mini_first_fetch, Params(kommune="3201", name="Bærum"))
    assert default.aap.pairing() is not None and default.aap.pairing().missing is None
    assert "er ikke i datagrunnlaget" not in markdown(run_chapter(default, "aap"))
