"""Norwegian wording helpers: lists with «og» and month names, as the book writes them."""

from __future__ import annotations

from collections.abc import Sequence

MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
          "oktober", "november", "desember")  # fmt: skip


def and_list(items: Sequence[str]) -> str:
    """«A», «A og B», «A, B og C» (empty for no items)."""
    if len(items) > 1:
        return ", ".join(items[:-1]) + f" og {items[-1]}"
    return "".join(items)


def date(iso: str) -> str:
    """A date «2026-12-06» (or a timestamp starting with one) as «6. desember 2026»; empty
    stays empty, and a text that is not a date is given back as it is."""
    if not iso:
        return ""
    try:
        y, m, d = iso[:10].split("-")
        return f"{int(d)}. {MONTHS[int(m) - 1]} {int(y)}"
    except (ValueError, IndexError):
        return iso


def month(period: str) -> str:
    """A period «2025-10» as «oktober 2025»."""
    return f"{MONTHS[int(period[5:7]) - 1]} {period[:4]}"
