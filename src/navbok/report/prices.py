"""Which price index a book deflates with (the growth chapter says so in its own words).

The params' price index file wins when it is named (``price_index``). Without one the book uses
SSB's consumer price index in the snapshot (table 14700, :mod:`navbok.kpi`): the annual mean of
the monthly total index, rebased so that the year the text names is 100. Without either (or
when the snapshot's index lacks a month of that year) the book says that its amounts are
nominal kroner and that real terms are missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from navbok.analysis.prices import load_price_index, price_index_source, rebase
from navbok.data import NavData
from navbok.freshness import period_text
from navbok.kpi import ANNUAL_WORDS, PriceIndex, snapshot_prices
from navbok.national_facts import national_pass
from navbok.present.prose import and_list
from navbok.report.context import Context


@dataclass(frozen=True)
class Deflator:
    """The price index a chapter deflates with for one base year.

    ``index``: by year (None: nominal kroner only); ``words``: how the text names it;
    ``kpi``: the snapshot's consumer price index when the book has one (also when it cannot be
    used); ``why_none``: why the snapshot's index cannot be used (empty otherwise).
    """

    index: pd.Series | None
    words: str = ""
    kpi: PriceIndex | None = None
    why_none: str = ""

    @property
    def from_snapshot(self) -> bool:
        """True when the index is the snapshot's consumer price index."""
        return self.index is not None and self.kpi is not None


def snapshot_kpi(ctx: Context) -> PriceIndex | None:
    """The snapshot's consumer price index (read once per loaded snapshot)."""
    return _snapshot_kpi(ctx.data)


@national_pass
def _snapshot_kpi(data: NavData) -> PriceIndex | None:
    return snapshot_prices(data.snapshot)


def deflator(ctx: Context, base_year: int) -> Deflator:
    """The params' price index file, else the snapshot's KPI rebased to ``base_year`` = 100,
    else none."""
    path = ctx.params.price_index
    if path:
        index = load_price_index(path)
        return Deflator(index, price_index_source(path) or "en prisindeks uten oppgitt kilde")
    kpi = snapshot_kpi(ctx)
    if kpi is None:
        return Deflator(None)
    if base_year not in kpi.annual.index:
        newest = period_text(kpi.newest_month) if kpi.newest_month else "ingen"
        why = (
            f"SSBs konsumprisindeks (tabell {kpi.table}) i datagrunnlaget har ikke alle tolv "
            f"månedene av {base_year} (nyeste måned: {newest})"
        )
        return Deflator(None, kpi=kpi, why_none=why)
    return Deflator(rebase(kpi.annual, base_year), kpi.describe(base_year), kpi)


def year_runs(years: list[int]) -> str:
    """«2015–2017 og 2020» for [2015, 2016, 2017, 2020]."""
    runs: list[list[int]] = []
    for y in sorted(set(years)):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return and_list([f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs])


def prices_slots(d: Deflator, base_year: int, real_head: str, years: list[int]) -> dict[str, Any]:
    """What the growth chapter says about prices (its sentences are in
    ``chapters/utbetalingsvekst.md``): ``tilfelle`` is ``indeks`` (amounts are deflated: with
    ``indeks`` the index's name, ``kolonne`` the real-terms column's head, ``fra_snapshot``
    when it is the snapshot's KPI, ``mangler_aar`` the years it lacks), ``ufullstendig`` (the
    snapshot's KPI lacks a month of ``grunnaar``: ``tabell``, ``nyeste`` month) or ``ingen``
    (no price index)."""
    out: dict[str, Any] = {"grunnaar": str(base_year)}
    if d.index is None:
        if d.why_none and d.kpi is not None:
            newest = period_text(d.kpi.newest_month) if d.kpi.newest_month else "ingen"
            return out | {"tilfelle": "ufullstendig", "tabell": d.kpi.table, "nyeste": newest}
        return out | {"tilfelle": "ingen"}
    lacking = [y for y in years if y not in d.index.index] if d.from_snapshot else []
    return out | {
        "tilfelle": "indeks",
        "indeks": d.words,
        "kolonne": real_head,
        "fra_snapshot": d.from_snapshot,
        "mangler_aar": year_runs(lacking) if lacking else "",
    }


def source_line(d: Deflator, base_year: int) -> str:
    """The price table's line in a source box: what was taken from it and how."""
    assert d.kpi is not None
    label = d.kpi.label or "Konsumprisindeks"
    if d.from_snapshot:
        return f"{label}: {ANNUAL_WORDS}, satt til {base_year} = 100 for beløp i {base_year}-kroner"
    return f"{label}: ikke brukt ({d.why_none})"
