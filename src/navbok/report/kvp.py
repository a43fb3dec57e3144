"""Report views for the chapter «Kvalifiseringsprogrammet (KVP)»."""

from __future__ import annotations

from navbok.present.numbers import fmt_number
from navbok.report.context import Context
from navbok.report.peers import main_kind
from navbok.report.words import gap_words, level_word

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
        own, own_status = ctx.value("kvp_per_1000", last)
        other, _ = ctx.value("kvp_per_1000", last, kind)
        per = level_word(own, other, ctx.indicator("kvp_per_1000").decimals)
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
                f"Tallet på deltakere i kvalifiseringsprogrammet i {ctx.name} i {last} "
                f"{gap_words(own_status)}."
            )
        own_e, _ = ctx.value("kvp_etter", last)
        other_e, _ = ctx.value("kvp_etter", last, kind)
        after = level_word(own_e, other_e, 0)
        if after:
            sentences.append(
                f"Av dem som avsluttet programmet, gikk {fmt_number(own_e, 0)} prosent til arbeid, "
                f"skole eller utdanning, {after} {label} ({fmt_number(other_e, 0)} prosent)."
                + self.small_numbers(last)
            )
        own_l, _ = ctx.value("andel_langtid_6mnd_hovedinntekt", last)
        other_l, _ = ctx.value("andel_langtid_6mnd_hovedinntekt", last, kind)
        longterm = level_word(own_l, other_l, 2)
        if per == "lavere enn" and longterm == "høyere enn":
            sentences.append(
                f"{ctx.name} har færre deltakere enn {label}, men flere langtidsmottakere; det "
                "kan tyde på at programmet brukes mindre enn behovet tilsier. Et spørsmål til "
                "NAV-kontoret: hvor mange av langtidsmottakerne er vurdert for programmet?"
            )
        elif per == "høyere enn" and longterm == "lavere enn":
            sentences.append(
                f"{ctx.name} har flere deltakere enn {label} og færre langtidsmottakere. Om "
                "programmet er grunnen, kan ikke tallene vise; det er verdt å spørre hvordan "
                "NAV-kontoret velger ut deltakerne."
            )
        elif per == "lavere enn":
            sentences.append(
                "Et spørsmål til NAV-kontoret: får langtidsmottakerne som kan ha nytte av "
                "programmet, tilbud om det?"
            )
        elif after == "lavere enn":
            sentences.append(
                "Færre går til arbeid eller utdanning etter programmet enn i "
                f"{label}; det er verdt å spørre hva som skjer med dem som avslutter uten arbeid."
            )
        elif per == "høyere enn" and after == "høyere enn":
            sentences.append(
                f"Både flere deltakere og flere som går til arbeid eller utdanning enn i {label}: "
                "hvordan NAV-kontoret arbeider med programmet, kan være verdt å beskrive for "
                "andre kommuner."
            )
        elif per:
            sentences.append(
                "Et spørsmål til NAV-kontoret: hvor mange av deltakerne går over til arbeid "
                "eller utdanning, og hvor mange tilbake til sosialhjelp?"
            )
        return " ".join(sentences)
