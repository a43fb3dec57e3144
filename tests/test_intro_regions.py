"""The introduction's period says when the municipality's own figures start (reader's review
2026-12, findings 29 and 21: when the own figures start, and where the county is shown)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import jupytext
from chapter_run import CHAPTERS

from navbok.comparison import Kind
from navbok.present.chapter_text import render
from navbok.report.intro import IntroViews


class _Register:
    def __init__(self, parts: list[tuple[str, str, int, bool]]) -> None:
        self.parts = parts

    def split_parts(self, code: str) -> list[tuple[str, str, int, bool]]:
        return self.parts


def _views(parts: list[tuple[str, str, int, bool]]) -> IntroViews:
    ctx = SimpleNamespace(
        years=list(range(2015, 2025)),
        name="Narvik",
        kommune="1806",
        data=SimpleNamespace(register=_Register(parts)),
    )
    return IntroViews(ctx, None, None, None)  # type: ignore[arg-type]


def _cell(words: str, **slots: Any) -> str:
    """The introduction's markdown cell that holds ``words``, filled with ``slots``."""
    nb = jupytext.read(CHAPTERS / "intro.md")
    cell = next(c for c in nb.cells if c.cell_type == "markdown" and words in c.source)
    return render(cell.source, slots, "intro.md")


def _opening(views: IntroViews) -> str:
    text = _cell(
        "Denne boka er", navn="Narvik", navn_alle="Narvik", fra=2015, til=2024,
        delt=views.split(), mandat="",
    )  # fmt: skip
    return text.split("for perioden ", 1)[1].split(". Alle tall", 1)[0]


def test_period_says_when_own_figures_start_after_an_unknown_split_part() -> None:
    views = _views([("1850", "Tysfjord", 2020, False)])
    assert views.split() == {"aar": 2020, "fra": "Tysfjord"}
    assert _opening(views) == (
        "2015–2024 (for Narvik selv fra 2020: Tysfjord ble delt i 2020, og det er ikke kjent "
        "hvor stor del som kom til Narvik)"
    )


def test_period_is_plain_when_the_split_part_is_known() -> None:
    assert _views([("1507", "Ålesund", 2024, True)]).split() is None
    assert _views([]).split() is None
    assert _opening(_views([])) == "2015–2024"


def test_intro_says_the_county_is_not_in_the_time_series_of_an_asss_member(mini_data) -> None:
    """Finding 21: Bergen's intro promised «fylket, Vestland» in every chapter, but an ASSS
    member's time series have no county line."""
    from navbok.params import Params
    from navbok.report.report import Report

    r = Report(mini_data, Params(kommune="3201", name="Bærum", end_year=2024))
    assert Kind.FYLKE not in r.peers.line_kinds
    series = r.intro.comparisons()
    assert series["fylke"] and not series["fylke_i_linjer"]
    text = _cell("## Slik leser", navn="Bærum", serier=series, skjult={"mengde": ""}, aar=2024)
    assert "**fylket**, " in text and "(tidsseriene viser ikke fylket)" in text
