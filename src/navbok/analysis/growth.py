"""Payout-growth decomposition from the measures frame: two years, annual, comparisons.

The arithmetic (T = N · L · P, combination effect, LMDI) lives in
:mod:`navbok.analysis.decomposition` and is re-exported here; this module takes T = ``utbetalt``
(1 000 kr), N = ``mottakere`` and M = ``stonadsmaaneder`` from
:attr:`navbok.data.NavData.measures` for a region or a set of regions summed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from navbok.analysis.decomposition import (
    COMBINATION_LABEL,
    COMPONENT_LABELS,
    COMPONENTS,
    NOT_AVAILABLE,
    Decomposition,
    decompose,
    from_rates,
)
from navbok.analysis.prices import deflate
from navbok.status import worst_status

__all__ = [
    "COMBINATION_LABEL",
    "COMPONENT_LABELS",
    "COMPONENTS",
    "MEASURES",
    "Decomposition",
    "MeasureTable",
    "annual_growth",
    "compare",
    "decompose",
    "decompose_regions",
    "deflate",
    "from_rates",
    "rows_table",
]

MEASURES = {"T": "utbetalt", "N": "mottakere", "M": "stonadsmaaneder"}


def _regions(regions: str | Iterable[str]) -> list[str]:
    return [regions] if isinstance(regions, str) else list(dict.fromkeys(regions))


class MeasureTable:
    """T, N and M of every region and year, looked up by key: the decompositions of a chapter
    (dozens per municipality) each select a few cells, and filtering the whole measures frame
    for each of them cost more than the arithmetic. Build it once per frame and pass it where
    a measures frame is expected; the results are the same (the frame's row order is kept, so
    sums are bit for bit the same as pandas')."""

    def __init__(self, measures: pd.DataFrame) -> None:
        sel = measures[measures["measure"].isin(MEASURES.values())]
        self._cells: dict[tuple[str, str, int], list[tuple[int, float, str | None]]] = {}
        columns = (sel["measure"], sel["region"], sel["year"], sel["value"], sel["status"])
        for pos, (m, r, y, v, st) in enumerate(zip(*columns, strict=True)):
            self._cells.setdefault((m, r, int(y)), []).append((pos, float(v), st))
        split = sel["split"].fillna(False).astype(bool) if "split" in sel else None
        self._estimated: set[tuple[str, int]] = set()
        if split is not None:
            pairs = zip(sel["region"][split], sel["year"][split], strict=True)
            self._estimated = {(str(r), int(y)) for r, y in pairs}

    def estimated(self, region: str, year: int) -> bool:
        """Whether ``region``'s T, N or M in ``year`` includes a population-share estimate."""
        return (region, year) in self._estimated

    @classmethod
    def of(cls, measures: pd.DataFrame | MeasureTable) -> MeasureTable:
        """``measures`` as a table (a table is returned as it is)."""
        return measures if isinstance(measures, MeasureTable) else cls(measures)

    def rows(
        self, measure: str, regions: list[str], year: int
    ) -> list[tuple[str, float, str | None]]:
        """``(region, value, status)`` of ``measure`` in ``year`` for ``regions``, in the
        frame's row order."""
        found = []
        for region in regions:
            for pos, value, status in self._cells.get((measure, region, year), ()):
                found.append((pos, region, value, status))
        return [(r, v, s) for _, r, v, s in sorted(found)]


def _inputs(
    table: MeasureTable, regions: list[str], year: int
) -> tuple[dict, str | None, str, list[tuple[str, int, str]]]:
    """Summed T, N, M of ``regions`` in ``year`` with the worst status, a note and the gaps
    (region, year, symbol) that made a sum missing."""
    out: dict[str, float] = {}
    statuses: list[str | None] = []
    problems: list[str] = []
    gaps: dict[str, str] = {}
    if not regions:
        return dict.fromkeys(MEASURES, math.nan), NOT_AVAILABLE, f"ingen regioner i {year}", []
    for key, measure in MEASURES.items():
        cells = table.rows(measure, regions, year)
        absent = sorted(set(regions) - {r for r, _, _ in cells})
        empty = [(r, s) for r, v, s in cells if v != v]
        if absent or empty:
            out[key] = math.nan
            statuses += [s or NOT_AVAILABLE for _, s in empty]
            if absent:
                statuses.append(NOT_AVAILABLE)
            bad = sorted(absent + [r for r, _ in empty])
            problems.append(f"{measure} {year} mangler for {', '.join(bad)}")
            for r in absent:
                gaps.setdefault(r, NOT_AVAILABLE)
            for r, s in empty:
                gaps.setdefault(r, s or NOT_AVAILABLE)
        else:
            out[key] = float(np.sum(np.array([v for _, v, _ in cells], dtype=float)))
    status = worst_status(pd.Series(statuses, dtype=object)) if statuses else None
    return out, status, "; ".join(problems), [(r, year, s) for r, s in sorted(gaps.items())]


def decompose_regions(
    measures: pd.DataFrame | MeasureTable,
    regions: str | Iterable[str],
    year0: int,
    year1: int,
    *,
    label: str = "",
    price_index: pd.Series | None = None,
    base_year: int | None = None,
) -> Decomposition:
    """Decompose payout growth of a region, or of several regions summed, between two years.

    ``measures`` is :attr:`navbok.data.NavData.measures` (T = ``utbetalt`` in 1 000 kr,
    N = ``mottakere``, M = ``stonadsmaaneder``). For several regions (e.g. the ASSS members)
    T, N and M are **summed across the members first and then decomposed**, so the result is the
    growth of the members combined (a weighted figure, not the mean of the members' rates); pass
    the same member list for both years. SSB aggregates (``EAK`` = Landet) are used as published.
    ``measures`` may also be a :class:`MeasureTable` of it (faster for many calls).
    Any missing or suppressed input (for any member) makes the result NaN with the worst status.

    With ``price_index`` (a Series by year, see :mod:`navbok.analysis.prices`) T is deflated to
    ``base_year`` prices (default ``year1``), so ``g_T`` and ``g_P`` are real growth.
    """
    regs = _regions(regions)
    table = MeasureTable.of(measures)
    v0, s0, n0, gaps0 = _inputs(table, regs, year0)
    v1, s1, n1, gaps1 = _inputs(table, regs, year1)
    status = worst_status(pd.Series([s0, s1], dtype=object).dropna()) if (s0 or s1) else None
    note = "; ".join(n for n in (n0, n1) if n)
    unit = "1\u00a0000 kr"
    t = pd.Series({year0: v0["T"], year1: v1["T"]})
    if price_index is not None:
        base = year1 if base_year is None else base_year
        t = deflate(t, price_index, base)
        unit = f"1\u00a0000 kr, {base}-priser"
        if status is None and t.isna().any():
            status = NOT_AVAILABLE
            note = f"Prisindeksen mangler for {year0}, {year1} eller basisåret {base}"
    return decompose(
        t[year0],
        v0["N"],
        v0["M"],
        t[year1],
        v1["N"],
        v1["M"],
        status=status,
        note=note,
        label=label or ", ".join(regs),
        year0=year0,
        year1=year1,
        unit=unit,
        gaps=tuple(gaps0 + gaps1),
        estimated=tuple(y for y in (year0, year1) if any(table.estimated(r, y) for r in regs)),
    )


def compare(
    measures: pd.DataFrame | MeasureTable,
    series: Mapping[str, str | Sequence[str]],
    year0: int,
    year1: int,
    **kwargs: object,
) -> pd.DataFrame:
    """One row (see :meth:`Decomposition.to_row`) per labelled series.

    E.g. ``{"Bærum": "3201", "ASSS (sum av medlemmene)": members, "Landet": "EAK"}``.
    """
    table = MeasureTable.of(measures)
    rows = [
        decompose_regions(table, regs, year0, year1, label=label, **kwargs).to_row()  # type: ignore[arg-type]
        for label, regs in series.items()
    ]
    return rows_table(rows)


def rows_table(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Rows of :meth:`Decomposition.to_row` as the frame :func:`compare` and
    :func:`annual_growth` return (missing statuses as ``None``)."""
    out = pd.DataFrame(rows)
    if "status" in out:
        out["status"] = out["status"].astype(object).where(out["status"].notna(), None)
    return out


def annual_growth(
    measures: pd.DataFrame | MeasureTable,
    regions: str | Iterable[str] | Mapping[int, Iterable[str]],
    years: Iterable[int],
    **kwargs: object,
) -> pd.DataFrame:
    """Year-on-year decomposition for each consecutive pair of ``years`` (one row per pair).

    ``regions`` is one region, a fixed set of regions summed, or a mapping year → members (a
    group whose membership changes, such as ASSS): the growth from year *a* to year *b* then
    sums **the members of year b in both years**, the same rule as a decomposition over a
    longer period (:func:`decompose_regions` with the members of its last year); a year
    missing from the mapping has no members and gives NaN with ``..``.

    Columns as :meth:`Decomposition.to_row` (``year0``, ``year1``, ``g_T``, ``g_N``, ``g_L``,
    ``g_P``, ``combination``, kroner effects, LMDI, ``status``, ``note``); a year whose inputs are
    missing or suppressed gives NaN with a status, never 0. Keyword arguments go to
    :func:`decompose_regions` (``price_index``, ``base_year``, ``label``).
    """
    ys = sorted(int(y) for y in years)
    table = MeasureTable.of(measures)
    if isinstance(regions, Mapping):
        by_year = {int(y): _regions(m) for y, m in regions.items()}
    else:
        fixed = _regions(regions)
        by_year = dict.fromkeys(ys, fixed)
    rows = [
        decompose_regions(table, by_year.get(b, []), a, b, **kwargs).to_row()  # type: ignore[arg-type]
        for a, b in zip(ys, ys[1:], strict=False)
    ]
    return rows_table(rows)
