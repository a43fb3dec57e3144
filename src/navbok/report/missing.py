"""A visible gap where a figure would have been (what SSB does not publish, the book says)."""

from __future__ import annotations

import html
from dataclasses import dataclass


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
