"""Rules for the chapter «Langtidsmottakere» (``chapters/langtidsmottakere.md`` holds its
sentences): related indicators of the municipality side by side (durations by group, main
income), one line each; which course the long-term share took (a rise to a peak and the fall
after it only when the data show it), and which closing step of «Hva betyr dette?» the numbers
call for."""

from __future__ import annotations

from typing import Any

import pandas as pd

from navbok.analysis.course import (
    FALL_THEN_RISE,
    RISE,
    RISE_THEN_FALL,
    TOO_FEW,
    Course,
    Point,
    course,
)
from navbok.comparison import Kind
from navbok.present import chart_specs, figure
from navbok.present.shown import shown
from navbok.present.tables import wide
from navbok.report.context import Context
from navbok.report.figures import d3_format
from navbok.report.missing import MissingFigure
from navbok.report.words import level_word

#: The long-term shares the course is told for, the first with enough years first: recipients
#: with social assistance as main income and 10 (or 6) months or more, as a share of all.
COURSE_INDICATORS = ("andel_langtid_10mnd_hovedinntekt", "andel_langtid_6mnd_hovedinntekt")
#: The months of assistance each counts from (the chapter's sentences name them).
MONTHS = {"andel_langtid_10mnd_hovedinntekt": 10, "andel_langtid_6mnd_hovedinntekt": 6}

#: The closing steps of «Hva betyr dette?» (the chapter writes each): a share above the main
#: comparison asks about follow-up (KVP, AAP); below it, check all recipients with 6 months or
#: more (and, when the share rose over the period, keep an eye on it); on a level with it, ask
#: whether the same people return year after year.
ASK_FOLLOW_UP = "spor_oppfolging"
CHECK_ALL = "sjekk_alle"
CHECK_ALL_RISING = "sjekk_alle_stigende"
ASK_SAME_PEOPLE = "spor_samme"


def _point(point: Point | None, decimals: int) -> dict[str, Any] | None:
    """A landmark of a course for the chapter: its year (``aar``) and value (``verdi``)."""
    if point is None:
        return None
    return {"aar": str(point[0]), "verdi": shown(point[1], decimals)}


def course_slots(c: Course, decimals: int = 2, months: int = 6, book_years: int = 0) -> dict:
    """The course ``c`` as the chapter's slot ``forlop``: its shape (``form``, one of
    :mod:`navbok.analysis.course`'s shapes), the months the share counts from (``mnd``), the
    years with values (``aar_med_tall``), the landmarks with year and value (``fra`` the first,
    ``snu`` the peak of a rise then fall or the trough of a fall then rise, ``slutt`` where it
    went after the turn, ``til`` the last), whether it turned again after ``slutt``
    (``snudde_igjen``: then ``slutt`` is the lowest after the peak, otherwise the last) and how
    many of the book's ``book_years`` lack a value (``mangler``; 0 for too few years)."""
    turn = c.peak if c.shape == RISE_THEN_FALL else c.trough
    turned_again = c.shape in (RISE_THEN_FALL, FALL_THEN_RISE) and c.turned_again()
    gone = book_years - c.n_years if c.shape != TOO_FEW and c.n_years < book_years else 0
    return {
        "form": c.shape,
        "mnd": months,
        "aar_med_tall": c.n_years,
        "fra": _point(c.first, decimals),
        "snu": _point(turn, decimals) if c.shape in (RISE_THEN_FALL, FALL_THEN_RISE) else None,
        "slutt": _point(c.after if turned_again else c.last, decimals),
        "til": _point(c.last, decimals),
        "snudde_igjen": turned_again,
        "mangler": gone,
    }


def next_step(words: str, shape: str) -> str:
    """Which closing step of «Hva betyr dette?» the numbers call for: above the comparison
    (``words`` «høyere enn») :data:`ASK_FOLLOW_UP`, below it :data:`CHECK_ALL` (or
    :data:`CHECK_ALL_RISING` when the share rose over the period, ``shape`` ``rise``), on a
    level with it :data:`ASK_SAME_PEOPLE`; empty without a comparison."""
    if words == "høyere enn":
        return ASK_FOLLOW_UP
    if words == "lavere enn":
        return CHECK_ALL_RISING if shape == RISE else CHECK_ALL
    return ASK_SAME_PEOPLE if words else ""


class LongtermViews:
    """The long-term chapter's views and rules for one municipality."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def lines(
        self, indicators: list[str], name: str, title: str, caption: str, unit: str = ""
    ) -> figure.ChartOutput | MissingFigure:
        """Several indicators for the municipality alone, one line each, named by their
        ``legend`` label (an indicator SSB does not publish is left out, and the caption says
        why)."""
        ctx = self.ctx
        drawn = [i for i in indicators if not ctx.unavailable(i)]
        if not drawn:
            return ctx.missing_figure(*indicators, title=title)
        caption = f"{caption} {ctx.explain_unavailable(*indicators)}".strip()
        specs = [ctx.indicator(i) for i in drawn]
        frames = [
            ctx.comparison(spec.id, kinds=(Kind.KOMMUNE,)).assign(Serie=spec.legend_label)
            for spec in specs
        ]
        df = pd.concat(frames, ignore_index=True).rename(columns={"year": "År", "value": "Verdi"})
        chart = chart_specs.line_chart(
            df,
            x="År",
            y="Verdi",
            series="Serie",
            focus=str(df["Serie"].iloc[0]),
            title=title,
            description=(
                f"Linjediagram for {ctx.name}: {', '.join(df['Serie'].unique())}, "
                f"{min(df['År'])}–{max(df['År'])}."
            ),
            y_title=unit or specs[0].unit,
            y_format=d3_format(specs[0].decimals),
        )
        table = wide(df, "Serie", "År", "Verdi")
        return figure.show_chart(
            chart,
            table,
            name,
            caption,
            decimals=specs[0].decimals,
            text_columns=["Serie"],
            provenance=ctx.provenance,
        )

    def course(self) -> tuple[str, Course]:
        """The long-term share's course (:data:`COURSE_INDICATORS`, the first SSB publishes
        with at least three years of values) and the indicator it is told for."""
        ctx = self.ctx
        chosen, c = COURSE_INDICATORS[-1], Course(TOO_FEW)
        for indicator in COURSE_INDICATORS:
            if ctx.unavailable(indicator):
                continue
            values = {y: ctx.value(indicator, y)[0] for y in ctx.years}
            c = course(values)
            chosen = indicator
            if c.shape != TOO_FEW:
                break
        return chosen, c

    def indicator(self) -> str:
        """The long-term share the chapter tells the course of (see :meth:`course`)."""
        return self.course()[0]

    def story(self) -> dict:
        """The course as the chapter's slot ``forlop`` (:func:`course_slots`)."""
        indicator, c = self.course()
        decimals = self.ctx.indicator(indicator).decimals
        return course_slots(c, decimals, MONTHS[indicator], len(self.ctx.years))

    def level(self) -> str:
        """The long-term share in the newest year against the main comparison, as a level
        word («lavere enn», «på nivå med», «høyere enn»; empty when either is missing)."""
        ctx = self.ctx
        last = ctx.years[-1]
        indicator = self.indicator()
        own, _ = ctx.value(indicator, last)
        other, _ = ctx.value(indicator, last, ctx.main_kind)
        return level_word(own, other, ctx.indicator(indicator).decimals)

    def next_step(self) -> str:
        """Which closing step of «Hva betyr dette?» the numbers call for (:func:`next_step`)."""
        return next_step(self.level(), self.course()[1].shape)

    def best_peer(self) -> str:
        """The ASSS member with the lowest long-term share in the newest year (a peer to learn
        from), when the main comparison is the ASSS average and it is another municipality;
        empty otherwise."""
        ctx = self.ctx
        if ctx.main_kind != Kind.ASSS_SNITT:
            return ""
        rows = ctx.comparison_rows(self.indicator(), (ctx.years[-1],))
        low = [r for r in rows if r.kind == Kind.ASSS_LAV]
        if not low or low[0].value is None or str(low[0].region) == ctx.kommune:
            return ""
        return ctx.data.name(str(low[0].region))
