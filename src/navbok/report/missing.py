"""A visible gap where a figure would have been (what SSB does not publish, the book says)."""

from __future__ import annotations

import html
from dataclasses import dataclass

from navbok import status

#: What stands for a gap's reason once the page has told it.
SAID_ABOVE = "Tallene mangler av samme grunn som over."


@dataclass
class MissingFigure:
    """A visible gap where a figure would have been: which figure, and why it is missing."""

    label: str
    reason: str

    def __repr__(self) -> str:
        return f"Figuren mangler: {self.label}. {self.reason}"

    def _repr_html_(self) -> str:
        esc = html.escape
        return (
            '<aside class="navbok-missing" role="note">'
            f"<p><strong>Figuren mangler:</strong> {esc(self.label)}.</p>"
            f"<p>{esc(self.reason)}</p></aside>"
        )


def years_words(years: list[int]) -> str:
    """«2024», «2015–2024» (consecutive), «2016, 2018 og 2020»."""
    ys = sorted(set(years))
    if len(ys) == 1:
        return str(ys[0])
    if ys == list(range(ys[0], ys[-1] + 1)):
        return f"{ys[0]}–{ys[-1]}"
    return ", ".join(map(str, ys[:-1])) + f" og {ys[-1]}"


def own_gap_reason(name: str, statuses: dict[int, str | None]) -> str:
    """Why a figure of the municipality's own values is left out, for exactly the years the
    figure would draw (``statuses``: year → the municipality's status symbol, every value
    missing): «Tallet for Røst i 2024 er skjult av personvernhensyn …» for a one-year figure,
    «Alle tallene for Røst i 2015–2024 …» for a series. The symbol says which: ``:`` hidden,
    anything else missing; both kinds say both."""
    years = sorted(statuses)
    hidden = [y for y in years if statuses[y] == status.SUPPRESSED]
    one = len(years) == 1
    subject = (
        f"Tallet for {name} i {years[0]}"
        if one
        else f"Alle tallene for {name} i {years_words(years)}"
    )
    if years and len(hidden) == len(years):
        why = (
            "er skjult av personvernhensyn (det bygger på for få personer)"
            if one
            else "er skjult av personvernhensyn (de bygger på for få personer)"
        )
    elif hidden:
        why = (
            f"er skjult av personvernhensyn ({years_words(hidden)}) eller mangler i datagrunnlaget"
        )
    else:
        why = "mangler i datagrunnlaget"
    return f"{subject} {why}, så figuren er utelatt."
