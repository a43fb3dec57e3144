"""Report views for the chapter «Langtidsmottakere»: related indicators of the municipality
side by side (durations by group, main income), one line each; the long-term share's course
(a rise to a peak and the fall after it, told only when the data show it) and the chapter's
«Hva betyr dette?»."""

from __future__ import annotations

import pandas as pd

from navbok.analysis.course import (
    FALL,
    FALL_THEN_RISE,
    RISE,
    RISE_THEN_FALL,
    TOO_FEW,
    Course,
    course,
)
from navbok.comparison import Kind
from navbok.present import chart_specs, figure
from navbok.present.numbers import fmt_number
from navbok.present.tables import wide
from navbok.report.context import Context
from navbok.report.figures import d3_format
from navbok.report.missing import MissingFigure
from navbok.report.peers import main_kind
from navbok.report.words import gap_words, level_word

#: The long-term shares the course is told for, the first with enough years first: recipients
#: with social assistance as main income and 10 (or 6) months or more, as a share of all.
COURSE_INDICATORS = ("andel_langtid_10mnd_hovedinntekt", "andel_langtid_6mnd_hovedinntekt")
#: How each is named in a sentence.
SUBJECT = {
    "andel_langtid_10mnd_hovedinntekt": "Andelen av mottakerne med sosialhjelp som hovedinntekt "
    "og stønad i 10 måneder eller mer",
    "andel_langtid_6mnd_hovedinntekt": "Andelen av mottakerne med sosialhjelp som hovedinntekt "
    "og stønad i 6 måneder eller mer",
}


def course_sentence(subject: str, c: Course, decimals: int = 2, unit: str = " prosent") -> str:
    """The course of a series in one or two sentences with the verbs its shape supports: «steg
    fra … i 2015 til … i 2019 og falt deretter til … i 2024» only for a rise to a peak and a
    fall after it."""

    def at(point: tuple[int, float] | None) -> str:
        assert point is not None
        return f"{fmt_number(point[1], decimals)}{unit} i {point[0]}"

    if c.shape == TOO_FEW:
        if c.n_years == 0:
            return f"{subject} er skjult av personvernhensyn eller mangler i alle år."
        return f"{subject} har tall for bare {c.n_years} år, for få til å si noe om utviklingen."
    if c.shape in (RISE_THEN_FALL, FALL_THEN_RISE):
        up, down = ("steg", "falt") if c.shape == RISE_THEN_FALL else ("falt", "steg")
        turn = c.peak if c.shape == RISE_THEN_FALL else c.trough
        text = f"{subject} {up} fra {at(c.first)} til {at(turn)} og {down} deretter"
        if c.turned_again():
            assert c.last is not None
            return (
                f"{text} til {at(c.after)}; i {c.last[0]} var den "
                f"{fmt_number(c.last[1], decimals)}{unit}."
            )
        return f"{text} til {at(c.last)}."
    if c.shape == RISE:
        return f"{subject} steg fra {at(c.first)} til {at(c.last)}."
    if c.shape == FALL:
        return f"{subject} falt fra {at(c.first)} til {at(c.last)}."
    assert c.first is not None and c.last is not None
    return (
        f"{subject} var om lag den samme i {c.first[0]} og {c.last[0]} "
        f"({fmt_number(c.first[1], decimals)} og {fmt_number(c.last[1], decimals)}{unit})."
    )


class LongtermViews:
    """The long-term chapter's views for one municipality."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def lines(
        self, indicators: list[str], name: str, title: str, caption: str, unit: str = ""
    ) -> figure.ChartOutput | MissingFigure:
        """Several indicators for the municipality alone, one line each, named by their
        ``legend`` label (an indicator SSB does not publish is left out, and the caption says
        why)."""
        ctx = self.ctx
        shown = [i for i in indicators if not ctx.unavailable(i)]
        if not shown:
            return ctx.missing_figure(*indicators, title=title)
        caption = f"{caption} {ctx.explain_unavailable(*indicators)}".strip()
        specs = [ctx.indicator(i) for i in shown]
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
        with at least three years of values) and its sentence."""
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

    def story(self) -> str:
        """The course in words (see :func:`course_sentence`), with the years it covers."""
        ctx = self.ctx
        indicator, c = self.course()
        spec = ctx.indicator(indicator)
        text = course_sentence(SUBJECT[indicator], c, spec.decimals)
        if c.shape != TOO_FEW and c.n_years < len(ctx.years):
            gone = len(ctx.years) - c.n_years
            text += f" {gone} av årene {ctx.years[0]}–{ctx.years[-1]} mangler tall."
        return text

    def meaning(self) -> str:
        """«Hva betyr dette?»: the long-term share against the main comparison, its course and
        what a high or low share means (two to four sentences from the numbers)."""
        ctx = self.ctx
        last = ctx.years[-1]
        indicator, c = self.course()
        spec = ctx.indicator(indicator)
        kind, label = main_kind(ctx, last)
        own, own_status = ctx.value(indicator, last)
        other, _ = ctx.value(indicator, last, kind)
        words = level_word(own, other, spec.decimals)
        if not words:
            what = (
                f"Andelen langtidsmottakere i {ctx.name} i {last} {gap_words(own_status)}"
                if own != own
                else f"Tallet for {label} i {last} mangler"
            )
            return (
                f"{what}, så kapitlet kan ikke si om kommunen har flere eller færre "
                "langtidsmottakere enn andre."
            )
        d = spec.decimals
        months = "10" if "10mnd" in indicator else "6"
        text = (
            f"I {last} hadde {fmt_number(own, d)} prosent av mottakerne i {ctx.name} "
            f"sosialhjelp som hovedinntekt og stønad i {months} måneder eller mer, {words} {label} "
            f"({fmt_number(other, d)} prosent)."
        )
        if c.shape == RISE_THEN_FALL:
            assert c.peak is not None and c.after is not None
            text += (
                f" Andelen var høyest i {c.peak[0]}, falt til {c.after[0]} og har steget igjen "
                "siden."
                if c.turned_again()
                else f" Andelen var høyest i {c.peak[0]} og har falt siden."
            )
        elif c.shape in (RISE, FALL):
            text += f" Andelen har {'steget' if c.shape == RISE else 'falt'} over perioden."
        return text + next_step(words, c.shape, self._best_peer(indicator, last, kind))

    def _best_peer(self, indicator: str, year: int, kind: Kind) -> str:
        """The ASSS member with the lowest share in ``year`` (a peer to learn from), when the
        main comparison is the ASSS average; empty otherwise."""
        if kind != Kind.ASSS_SNITT:
            return ""
        low = [r for r in self.ctx.comparison_rows(indicator, (year,)) if r.kind == Kind.ASSS_LAV]
        if not low or low[0].value is None or str(low[0].region) == self.ctx.kommune:
            return ""
        return self.ctx.data.name(str(low[0].region))


def next_step(words: str, shape: str, peer: str = "") -> str:
    """What the long-term share may mean and what to check next (with a leading space), by
    rules on the numbers: above or below the comparison (``words``), rising or falling over
    the period (``shape``), and the ASSS member with the lowest share (``peer``) to learn
    from."""
    if words == "høyere enn":
        text = (
            " Et spørsmål å stille: hvor mange av langtidsmottakerne er i "
            "kvalifiseringsprogrammet eller har fått vurdert retten til AAP (se kapitlene om "
            "KVP og AAP)?"
        )
        if peer:
            text += f" {peer} har den laveste andelen av ASSS-kommunene og kan være en å lære av."
        return text
    if words == "lavere enn":
        text = (
            " Det er verdt å sjekke om det gjelder også når alle med stønad i 6 måneder eller "
            "mer regnes med, uansett hovedinntekt (figuren «Alle med stønad i 6 og 10 måneder "
            "eller mer»), og om mottakerne går over til arbeid eller til andre ytelser."
        )
        if shape == RISE:
            text += " Siden andelen har steget, er den verdt å følge med på."
        return text
    return (
        " Et spørsmål å stille: er det de samme personene som går igjen år etter år, eller "
        "nye mottakere som blir lenge?"
    )
