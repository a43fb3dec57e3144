"""SSB's consumer price index in a snapshot (table 14700): the annual index the book deflates with.

The fetch asks the catalogue's price table (``config/catalogue.yaml``, ``purpose: prices``) for
the total group only (``VareTjenesteGrp`` ``00``) and for the one content whose label says
«Konsumprisindeks»: its code (seen as ``KpiIndMnd``) is not verified, so it is resolved by its
label like every content and kept in the manifest. 14700 is monthly (``2025M01``) and has no
annual average: the annual index is the mean of a year's twelve months, and a year with fewer
months has none (:func:`navbok.analysis.prices.annual_index`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from navbok.analysis.prices import annual_index, month_of
from navbok.contents import RESOLVED
from navbok.errors import ParseError
from navbok.sources import jsonstat
from navbok.sources.catalogue import catalogue
from navbok.sources.names import ssb_metadata_name

if TYPE_CHECKING:
    from navbok.snapshot import Snapshot

#: How the book names what it deflates with (the growth chapter's text and source box).
ANNUAL_WORDS = "årsgjennomsnitt av månedlig KPI (totalindeks)"


@dataclass(frozen=True)
class PriceIndex:
    """The snapshot's consumer price index: the monthly total index and its annual means."""

    table: str
    title: str
    label: str
    code: str
    monthly: pd.Series
    annual: pd.Series
    updated: str
    synthetic: bool = False

    @property
    def newest_month(self) -> str:
        """The newest month with a value (``2026M01``; ``""`` when there is none)."""
        have = self.monthly.dropna()
        return str(max(have.index)) if len(have) else ""

    def years_lacking(self, years: list[int]) -> list[int]:
        """Those of ``years`` without an annual value (fewer than twelve months)."""
        return [y for y in years if y not in self.annual.index]

    def describe(self, base_year: int) -> str:
        """«SSBs konsumprisindeks (tabell 14700, årsgjennomsnitt av månedlig KPI (totalindeks),
        2024 = 100)»."""
        return f"SSBs konsumprisindeks (tabell {self.table}, {ANNUAL_WORDS}, {base_year} = 100)"


def monthly_values(
    ds: jsonstat.Dataset, code: str, selection: Mapping[str, Any], *, where: str = ""
) -> pd.Series:
    """The monthly values of content ``code`` in a dataset, by month code (``2025M01``).

    Every other dimension that ``selection`` fixes to one code (``VareTjenesteGrp: ["00"]``) is
    cut to it. Raises :class:`ParseError` when a time code is not a month, a month appears
    twice, or the content is not in the dataset.
    """
    where = where or "the price table"
    metric = ds.role("metric") or "ContentsCode"
    time = ds.role("time") or "Tid"
    frame = ds.frame
    if metric not in frame or time not in frame:
        raise ParseError(f"{where}: no {metric} or {time} dimension")
    f = frame[frame[metric].astype(str) == code]
    if f.empty:
        raise ParseError(f"{where}: the content {code} is not in the answer")
    for dim, codes in selection.items():
        chosen = [codes] if isinstance(codes, str) else list(codes)
        if dim in (metric, time) or dim not in f or len(chosen) != 1 or chosen[0] == "*":
            continue
        f = f[f[dim].astype(str) == str(chosen[0])]
    periods = f[time].astype(str)
    if periods.duplicated().any():
        raise ParseError(
            f"{where}: several values for one month ({periods[periods.duplicated()].iloc[0]})"
        )
    for p in periods:
        try:
            month_of(p)
        except ValueError as exc:
            raise ParseError(f"{where}: {exc}") from exc
    out = pd.Series(f["value"].to_numpy(dtype=float), index=periods.to_numpy(), name="index")
    return out.sort_index()


def snapshot_prices(snapshot: Snapshot) -> PriceIndex | None:
    """The price index a snapshot holds, or None when it has none (the source did not have the
    table, or the snapshot is older than the price table)."""
    table = catalogue().price_table()
    if table is None or not snapshot.has_table(table.table):
        return None
    found = next(
        (
            r
            for r in snapshot.resolutions
            if r.table == table.table and r.status == RESOLVED and r.code
        ),
        None,
    )
    if found is None or found.code is None:
        return None
    ds = snapshot.ssb(table.table)
    where = f"SSB table {table.table} in the snapshot"
    monthly = monthly_values(ds, found.code, table.selection, where=where)
    has_meta = ssb_metadata_name(table.table) in snapshot.files
    meta = snapshot.metadata(table.table) if has_meta else None
    return PriceIndex(
        table=table.table,
        title=(meta.short_title if meta else "") or table.title,
        label=found.label or "",
        code=found.code,
        monthly=monthly,
        annual=annual_index(monthly),
        updated=(meta.updated if meta else ds.updated)[:10],
        synthetic=ds.synthetic,
    )
