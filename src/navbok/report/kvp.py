"""Report views for the chapter «Kvalifiseringsprogrammet (KVP)»."""

from __future__ import annotations

from navbok.report.context import Context

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
