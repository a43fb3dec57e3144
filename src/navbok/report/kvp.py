"""Report views for the chapter «Kvalifiseringsprogrammet (KVP)»."""

from __future__ import annotations

from navbok.present.numbers import fmt_number
from navbok.report.context import Context
from navbok.report.peers import compared, main_kind

#: Fewer participants who ended the programme than this: the share may swing from year to year.
FEW_ENDED = 20


class KvpViews:
    """The KVP chapter's views for one municipality."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def small_numbers(self, year: int) -> str:
        """A sentence (with a leading space) when the share that went to work or education
        rests on few participants who ended the programme in ``year``; empty otherwise."""
        ended = self.ctx.measure("kvp_avsluttet", year)
        if ended == ended and 0 < ended < FEW_ENDED:
            return f" Andelen bygger på {int(ended)} personer og kan svinge mye fra år til år."
        return ""

    def meaning(self) -> str:
        """«Hva betyr dette?»: participants per 1 000 and the share that went to work or
        education against the main comparison (ASSS, or the KOSTRA group outside ASSS), and
        what few participants beside many long-term recipients may mean."""
        ctx = self.ctx
        last = ctx.years[-1]
        kind, label = main_kind(ctx, last)
        sentences = []
        own, _ = ctx.value("kvp_per_1000", last)
        other, _ = ctx.value("kvp_per_1000", last, kind)
        per = compared(own, other, ctx.indicator("kvp_per_1000").decimals)
        if per and own == 0:
            sentences.append(
                f"{ctx.name} hadde ingen deltakere i kvalifiseringsprogrammet i {last} "
                f"({label}: {fmt_number(other, 2)} per 1\u00a0000 innbyggere 18–66 år)."
            )
        elif per:
            sentences.append(
                f"I {last} var det {fmt_number(own, 2)} deltakere i kvalifiseringsprogrammet per "
                f"1\u00a0000 innbyggere 18–66 år i {ctx.name}, {per} {label} "
                f"({fmt_number(other, 2)})."
            )
        else:
            sentences.append(
                f"Tallet på deltakere i kvalifiseringsprogrammet i {ctx.name} i {last} er skjult "
                "av personvernhensyn eller mangler."
            )
        own_e, _ = ctx.value("kvp_etter", last)
        other_e, _ = ctx.value("kvp_etter", last, kind)
        after = compared(own_e, other_e, 0)
        if after:
            sentences.append(
                f"Av dem som avsluttet programmet, gikk {fmt_number(own_e, 0)} prosent til arbeid, "
                f"skole eller utdanning, {after} {label} ({fmt_number(other_e, 0)} prosent)."
                + self.small_numbers(last)
            )
        own_l, _ = ctx.value("andel_langtid_6mnd_hovedinntekt", last)
        other_l, _ = ctx.value("andel_langtid_6mnd_hovedinntekt", last, kind)
        longterm = compared(own_l, other_l, 2)
        if per == "lavere enn" and longterm == "høyere enn":
            sentences.append(
                f"{ctx.name} har færre deltakere enn {label}, men flere langtidsmottakere; det "
                "kan tyde på at programmet brukes mindre enn behovet tilsier."
            )
        elif per == "høyere enn" and longterm == "lavere enn":
            sentences.append(
                f"{ctx.name} har flere deltakere enn {label} og færre langtidsmottakere."
            )
        return " ".join(sentences)
