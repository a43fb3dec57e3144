"""Payout-growth decomposition from the measures frame: two years, annual, comparisons.

The arithmetic (T = N · L · P, combination effect, LMDI) lives in
:mod:`navbok.analysis.decomposition` and is re-exported here; this module takes T = ``utbetalt``
(1 000 kr), N = ``mottakere`` and M = ``stonadsmaaneder`` from
:attr:`navbok.data.NavData.measures` for a region or a set of regions summed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

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
from navbok.regions import worst_status

__all__ = [
    "COMBINATION_LABEL",
    "COMPONENT_LABELS",
    "COMPONENTS",
    "MEASURES",
    "Decomposition",
    "annual_growth",
    "compare",
    "decompose",
    "decompose_regions",
    "deflate",
    "from_rates",
]

MEASURES = {"T": "utbetalt", "N": "mottakere", "M": "stonadsmaaneder"}


def _regions(regions: str | Iterable[str]) -> list[str]:
    return [regions] if isinstance(regions, str) else list(dict.fromkeys(regions))


def _inputs(measures: pd.DataFrame, regions: list[str], year: int) -> tuple[dict, str | None, str]:
    """Summed T, N, M of ``regions`` in ``year`` with the worst status and a note."""
    sel = measures[
        measures["measure"].isin(MEASURES.values())
        & measures["region"].isin(regions)
        & (measures["year"] == year)
    ]
    out: dict[str, float] = {}
    statuses: list[str | None] = []
    problems: list[str] = []
    for key, measure in MEASURES.items():
        cells = sel[sel["measure"] == measure]
        absent = sorted(set(regions) - set(cells["region"]))
        empty = cells[cells["value"].isna()]
        if absent or len(empty):
            out[key] = math.nan
            statuses += [s or NOT_AVAILABLE for s in empty["status"]]
            if absent:
                statuses.append(NOT_AVAILABLE)
            bad = sorted(absent + list(empty["region"]))
            problems.append(f"{measure} {year} mangler for {', '.join(bad)}")
        else:
            out[key] = float(cells["value"].sum())
    status = worst_status(pd.Series(statuses, dtype=object)) if statuses else None
    return out, status, "; ".join(problems)


def decompose_regions(
    measures: pd.DataFrame,
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
    Any missing or suppressed input (for any member) makes the result NaN with the worst status.

    With ``price_index`` (a Series by year, see :mod:`navbok.analysis.prices`) T is deflated to
    ``base_year`` prices (default ``year1``), so ``g_T`` and ``g_P`` are real growth.
    """
    regs = _regions(regions)
    v0, s0, n0 = _inputs(measures, regs, year0)
    v1, s1, n1 = _inputs(measures, regs, year1)
    status = worst_status(pd.Series([s0, s1], dtype=object).dropna()) if (s0 or s1) else None
    note = "; ".join(n for n in (n0, n1) if n)
    unit = "1 000 kr"
    t = pd.Series({year0: v0["T"], year1: v1["T"]})
    if price_index is not None:
        base = year1 if base_year is None else base_year
        t = deflate(t, price_index, base)
        unit = f"1 000 kr, {base}-priser"
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
    )


def compare(
    measures: pd.DataFrame,
    series: dict[str, str | Sequence[str]],
    year0: int,
    year1: int,
    **kwargs: object,
) -> pd.DataFrame:
    """One row (see :meth:`Decomposition.to_row`) per labelled series.

    E.g. ``{"Bærum": "3201", "ASSS (sum av medlemmene)": members, "Landet": "EAK"}``.
    """
    rows = [
        decompose_regions(measures, regs, year0, year1, label=label, **kwargs).to_row()  # type: ignore[arg-type]
        for label, regs in series.items()
    ]
    return _table(rows)


def _table(rows: list[dict[str, object]]) -> pd.DataFrame:
    out = pd.DataFrame(rows)
    if "status" in out:
        out["status"] = out["status"].astype(object).where(out["status"].notna(), None)
    return out


def annual_growth(
    measures: pd.DataFrame,
    regions: str | Iterable[str],
    years: Iterable[int],
    **kwargs: object,
) -> pd.DataFrame:
    """Year-on-year decomposition for each consecutive pair of ``years`` (one row per pair).

    Columns as :meth:`Decomposition.to_row` (``year0``, ``year1``, ``g_T``, ``g_N``, ``g_L``,
    ``g_P``, ``combination``, kroner effects, LMDI, ``status``, ``note``); a year whose inputs are
    missing or suppressed gives NaN with a status, never 0. Keyword arguments go to
    :func:`decompose_regions` (``price_index``, ``base_year``, ``label``).
    """
    regs = _regions(regions)
    ys = sorted(int(y) for y in years)
    rows = [
        decompose_regions(measures, regs, a, b, **kwargs).to_row()  # type: ignore[arg-type]
        for a, b in zip(ys, ys[1:], strict=False)
    ]
    return _table(rows)
