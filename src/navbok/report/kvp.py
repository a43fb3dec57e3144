"""Rules for the chapter «Kvalifiseringsprogrammet (KVP)» (``chapters/kvp.md`` holds its
sentences): which of the chapter's phrasings the numbers call for."""

from __future__ import annotations

from navbok.report.context import Context
from navbok.report.peers import main_kind
from navbok.report.words import level_word

#: Fewer participants who ended the programme than this: the share may swing from year to year.
FEW_ENDED = 20


class KvpViews:
    """The KVP chapter's rules for one municipality."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def few_ended(self, year: int) -> int:
        """How many ended the programme in ``year`` when the share that went to work or
        education rests on fewer than :data:`FEW_ENDED` of them; 0 otherwise."""
        ended = self.ctx.measure("kvp_avsluttet", year)
        if ended == ended and 0 < ended < FEW_ENDED:
            return int(ended)
        return 0

    def levels(self, year: int) -> dict[str, str]:
        """Participants per 1 000 (``per``), the share that went to work or education
        (``etter``) and the long-term share (``langtid``) against the main comparison, as
        level words («lavere enn», «på nivå med», «høyere enn»; empty when missing)."""
        ctx = self.ctx
        kind, _ = main_kind(ctx, year)
        out = {}
        for key, indicator, decimals in (
            ("per", "kvp_per_1000", ctx.indicator("kvp_per_1000").decimals),
            ("etter", "kvp_etter", 0),
            ("langtid", "andel_langtid_6mnd_hovedinntekt", 2),
        ):
            own, _ = ctx.value(indicator, year)
            other, _ = ctx.value(indicator, year, kind)
            out[key] = level_word(own, other, decimals)
        return out

    def question(self, year: int) -> str:
        """Which closing question of «Hva betyr dette?» the numbers call for (the chapter
        writes each): ``bruker_lite`` (fewer participants, more long-term recipients),
        ``velger_ut`` (more participants, fewer long-term recipients), ``faar_tilbud`` (fewer
        participants), ``uten_arbeid`` (fewer go to work or education), ``beskriv`` (more of
        both), ``overgang`` (any other case with numbers), empty without numbers."""
        lv = self.levels(year)
        per, after, longterm = lv["per"], lv["etter"], lv["langtid"]
        if per == "lavere enn" and longterm == "høyere enn":
            return "bruker_lite"
        if per == "høyere enn" and longterm == "lavere enn":
            return "velger_ut"
        if per == "lavere enn":
            return "faar_tilbud"
        if after == "lavere enn":
            return "uten_arbeid"
        if per == "høyere enn" and after == "høyere enn":
            return "beskriv"
        return "overgang" if per else ""
