"""The reader's book on the full replay: no text about Bærum's documents in other books, a small
municipality's barometer without a score from one key figure, the long-term course told from
the numbers, the latest five years decomposed beside the params' period, and a «Hva betyr
dette?» for every chapter."""

from __future__ import annotations

from pathlib import Path

import pytest
from chapter_run import markdown, meaning_box, run_chapter

from navbok.analysis.course import RISE_THEN_FALL
from navbok.params import load_params, params_for
from navbok.present.numbers import fmt_number
from navbok.report import Report

pytestmark = pytest.mark.replay
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def books(replay_data) -> dict[str, Report]:
    out = {"3201": Report(replay_data, load_params(ROOT / "params" / "3201.yml"))}
    for kode in ("1151", "0301"):
        out[kode] = Report(replay_data, params_for(replay_data, kode, ROOT / "params"))
    return out


def test_baerums_document_is_quoted_in_baerums_book_only(books: dict[str, Report]) -> None:
    said = "Bærums KOSTRA-analyse 2024 trykker 9 %"
    assert said in markdown(run_chapter(books["3201"], "kommunebarometer"))
    for kode in ("1151", "0301"):
        r = books[kode]
        assert said not in markdown(run_chapter(r, "kommunebarometer"))
        assert "Bærum" not in r.barometer.weights().html
        assert "Bærum" not in r.barometer.top().html
        assert "Bærum" not in str(r.growth.convention("utbetalt_per_innb_18_66", r.years[-1]))
    sens = books["0301"].barometer.sensitivity()
    assert sens is not None and "Bærum" not in sens.html


def test_utsira_barometer_has_no_score_from_one_key_figure(books: dict[str, Report]) -> None:
    r = books["1151"]
    st = r.barometer.standing()
    assert not st.has_score and st.n_key_figures < 6
    assert r.barometer.sensitivity() is None and r.barometer.pulling() is None
    nb = run_chapter(r, "kommunebarometer")
    assert "Utsira får ingen plass eller snittkarakter" in markdown(nb)
    assert "6,00" not in meaning_box(nb) and "ikke rangert" not in r.barometer.top().html
    assert books["3201"].barometer.standing().has_score


def test_the_long_term_course_follows_the_numbers(books: dict[str, Report]) -> None:
    r = books["0301"]
    indicator, c = r.longterm.course()
    values = {y: r.value(indicator, y)[0] for y in r.years}
    peak = max(values, key=lambda y: values[y])
    assert c.shape == RISE_THEN_FALL and c.peak is not None and c.peak[0] == peak
    story = markdown(run_chapter(r, "langtidsmottakere"))
    assert f"i {peak} og falt deretter" in story
    utsira = markdown(run_chapter(books["1151"], "langtidsmottakere"))
    assert "er skjult av personvernhensyn eller mangler i alle år" in utsira


def test_latest_five_years_beside_the_params_period(books: dict[str, Report]) -> None:
    r = books["3201"]
    last = r.years[-1]
    assert tuple(r.params.growth_period) == (2015, 2019)
    assert r.growth.latest_period() == (last - 5, last)
    d = r.growth.decompose(last - 5, last)
    *_, texts = r.growth.decomposition(last - 5, last)
    assert texts["aar0"] == str(last - 5) and texts["g_T"].endswith("%")
    assert texts["vekst"]["ok"] and texts["vekst"]["aar0"] == str(last - 5)
    assert d.status is None


def test_amounts_and_prices_are_told(books: dict[str, Report]) -> None:
    r = books["3201"]
    table, _, _ = r.growth.amounts()
    text = markdown(run_chapter(r, "utbetalingsvekst"))
    sentence = text.split("## Nivå")[1].split("## ")[0]
    prices = text.split("## Antall og beløp")[1].split("## ")[0]
    n = r.measure("mottakere", r.years[-1])
    paid = r.measure("utbetalt", r.years[-1]) / 1000
    # 2024 comes from SSB's table of cases (13995), and the sentence says so (not «personer»)
    assert r.years[-1] >= 2022 and r.growth.counts_cases(r.years[-1])
    assert f"var det {fmt_number(n, 0)} sosialhjelpstilfeller" in sentence
    assert "personer" not in sentence
    assert f"utbetalt {fmt_number(paid, 1)} millioner kroner" in sentence
    assert "millioner kroner" in sentence
    assert "ingen prisindeks" in prices and "tabell 14700" in prices  # a visible gap, not a guess
    assert "Utbetalt, mill. kr" in table.html


@pytest.mark.parametrize("kode", ["3201", "1151", "0301"])
def test_every_chapter_has_a_meaning_box(books: dict[str, Report], kode: str) -> None:
    r = books[kode]
    chapters = ("utbetalingsvekst", "langtidsmottakere", "kvp")
    for text in (meaning_box(run_chapter(r, c)) for c in chapters):
        # a box may end on the question it suggests to ask next (issue 22, finding 25)
        assert text and text[-1] in ".?" and r.name in text
        assert 1 <= text.count(". ") + text.count("? ") + 1 <= 6
    box = meaning_box(run_chapter(r, "kommunebarometer"))
    assert box.endswith(".") and r.name in box


def test_ranked_bar_is_the_main_comparison(books: dict[str, Report]) -> None:
    oslo = books["0301"].growth.ranked_bar("utbetalt_per_innb_18_66", 2024, "x")
    assert oslo is not None and "for ASSS-kommunene" in oslo.html
    utsira = books["1151"].growth.ranked_bar("utbetalt_per_innb_18_66", 2024, "x")
    assert utsira is not None and "for kommunene i KOSTRA-gruppe" in utsira.html


def test_the_barometer_method_is_said_as_configured(books: dict[str, Report]) -> None:
    """«Slik regnes karakterene» says the configured rule, not numbers typed into the text."""
    import dataclasses
    from unittest import mock

    from navbok.analysis.barometer_config import config

    r = books["3201"]
    text = markdown(run_chapter(r, "kommunebarometer"))
    assert "minst 60\u00a0% av vekten" in text or "minst 60 % av vekten" in text
    assert "5- og 95-" in text
    cfg = config()
    other = dataclasses.replace(
        cfg,
        min_weight_share=0.5,
        limit_rule=dataclasses.replace(cfg.limit_rule, method="sd", k=2.0),
    )
    with mock.patch("navbok.report.barometer.config", return_value=other):
        text = markdown(run_chapter(r, "kommunebarometer"))
    assert "minst 50 % av vekten" in text and "2,0 standardavvik" in text
    assert "persentilen" not in text
