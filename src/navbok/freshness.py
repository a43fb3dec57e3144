"""Tables that have stopped updating: frozen figures must not pass for current ones.

A discontinued SSB table still answers (HTTP 200) with the data it had when it stopped, so a
fetch of it succeeds. navbok flags such a table by one rule (:func:`stale_tables`):

    A table is *not updated* when its ``updated`` date lies more than :data:`STALE_MONTHS`
    (13) months before the newest ``updated`` date among the tables the book uses (the
    catalogue's tables in the snapshot, or at the source for ``navbok kilder``).

Every table the book uses is updated at least once a year (KOSTRA on 15 March and 15 June, the
population in February, the consumer price index every month), so 13 months leave a month of
slack before a table counts as stopped. Tables that the catalogue marks as continued by another
(``continued_by``: an «avslutta serie» such as 13138 → 13995) are neither flagged nor taken as
the reference: the book stitches them to their successors on purpose. A table whose ``updated``
date cannot be read is neither flagged nor a reference.

The flag reads «Tabell 14700 er ikke oppdatert siden 10. februar 2026 (nyeste tall: januar
2026); tallene kan være foreldet.» (``navbok kilder`` and the chapters' source boxes).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from navbok.present.prose import MONTHS
from navbok.sources.metadata import TableMetadata

#: A table whose ``updated`` lies more months than this before the newest one is not updated.
STALE_MONTHS = 13


def parse_updated(updated: str) -> date | None:
    """The date of an ``updated`` stamp (``2025-06-12T06:00:00Z`` → 2025-06-12), or None."""
    try:
        return date.fromisoformat(str(updated)[:10])
    except ValueError:
        return None


def months_before(day: date, months: int) -> date:
    """The same day ``months`` months earlier (the month's last day where it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError(f"no day {day.day} in {year}-{month:02d}")  # pragma: no cover


def date_text(day: date) -> str:
    """«10. februar 2026»."""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def period_text(period: str) -> str:
    """A time code as the book writes it: ``2026M01`` → «januar 2026», ``2024`` → «2024»."""
    if len(period) == 7 and period[4] == "M" and period[:4].isdigit() and period[5:].isdigit():
        month = int(period[5:])
        if 1 <= month <= 12:
            return f"{MONTHS[month - 1]} {period[:4]}"
    return period


@dataclass(frozen=True)
class Staleness:
    """A table that has stopped updating: when it was last updated, its newest period and the
    newest ``updated`` date among the other tables (the reference)."""

    table: str
    updated: date
    newest_period: str
    reference: date

    def message(self) -> str:
        """The flag, in one Norwegian sentence."""
        newest = f" (nyeste tall: {period_text(self.newest_period)})" if self.newest_period else ""
        return (
            f"Tabell {self.table} er ikke oppdatert siden {date_text(self.updated)}{newest}; "
            "tallene kan være foreldet."
        )


def stale_tables(
    tables: Mapping[str, TableMetadata], continued: Iterable[str] = ()
) -> dict[str, Staleness]:
    """The tables of ``tables`` (table → metadata) that have stopped updating, by the rule of the
    module docstring; ``continued``: the tables continued by another (never flagged, never the
    reference)."""
    skip = set(continued)
    dates = {
        t: d
        for t, meta in tables.items()
        if t not in skip and (d := parse_updated(meta.updated)) is not None
    }
    if not dates:
        return {}
    reference = max(dates.values())
    limit = months_before(reference, STALE_MONTHS)
    return {
        t: Staleness(t, d, tables[t].newest_period, reference)
        for t, d in sorted(dates.items())
        if d < limit
    }
