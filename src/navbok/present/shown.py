"""A shown value: what a number on a page is, from the data to the sentence.

A :class:`Shown` carries the value, SSB's status symbol and the text a reader sees, so that
«is it missing?» is asked of the value and its status, never of the formatted text. Chapters'
templates use it as text (``{{ kvp }}`` → «1,23») and as a condition (``{% if kvp %}``: the
value exists; ``{{ kvp.gap }}``: what its absence says, «er skjult av personvernhensyn»).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from navbok import status
from navbok.present.numbers import fmt_number

__all__ = ["Shown", "shown"]


@dataclass(frozen=True)
class Shown:
    """A value as a page shows it: ``value`` (``None`` when there is none), SSB's ``status``
    symbol (``:``, ``..``, ``.``; ``None`` for a plain number), the formatted ``text`` and
    whether it is an ``estimate`` (tables mark it «≈»)."""

    value: float | None
    status: str | None
    text: str
    estimate: bool = False

    @property
    def missing(self) -> bool:
        """No number to show: hidden for privacy, not published or impossible to compute."""
        return self.value is None or self.value != self.value

    @property
    def suppressed(self) -> bool:
        """Hidden by SSB for privacy (``:``)."""
        return self.status == status.SUPPRESSED

    @property
    def gap(self) -> str:
        """What the absence says, as a verb phrase: «er skjult av personvernhensyn» for ``:``,
        «mangler» otherwise (empty when the value exists)."""
        if not self.missing:
            return ""
        return "er skjult av personvernhensyn" if self.suppressed else "mangler"

    @property
    def zero(self) -> bool:
        """The value is exactly zero."""
        return not self.missing and self.value == 0

    def __bool__(self) -> bool:
        return not self.missing

    def __str__(self) -> str:
        return self.text

    def to_json(self) -> dict[str, Any]:
        """A JSON object (the notebook carries it from the kernel to the template)."""
        value = None if self.missing else self.value
        return {"value": value, "status": self.status, "text": self.text, "estimate": self.estimate}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Shown:
        """The inverse of :meth:`to_json`."""
        value = data.get("value")
        return cls(
            None if value is None else float(value),
            data.get("status"),
            str(data.get("text", "")),
            bool(data.get("estimate", False)),
        )


def shown(
    value: float | None, decimals: int, symbol: str | None = None, *, estimate: bool = False
) -> Shown:
    """A number formatted the Norwegian way with ``decimals`` decimals; a missing one shows its
    status symbol (``..`` when it has none)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Shown(
            None, symbol or status.NOT_AVAILABLE, fmt_number(float("nan"), decimals, status=symbol)
        )
    return Shown(float(value), symbol, fmt_number(value, decimals), estimate)
