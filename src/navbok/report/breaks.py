"""Breaks in a series: year-on-year jumps the book can explain (a merger or split of
municipalities, SSB continuing a series in a new table, «sosialhjelpstilfeller» from 2022), told
in a figure's caption."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import pandas as pd

from navbok.availability import leaf_measures
from navbok.comparison import Kind
from navbok.data import NavData
from navbok.measures import Stitch
from navbok.national_facts import national_pass
from navbok.present.numbers import fmt_number
from navbok.present.prose import and_list
from navbok.regions import Register
from navbok.register import register_doc
from navbok.report.context import Context

#: Tables that count «sosialhjelpstilfeller» (from 2022) instead of «mottakere».
CASE_TABLES = {"13995", "14019"}


@dataclass(frozen=True)
class BreakContext:
    """What the book knows about breaks in an indicator's series (see :func:`break_note`).

    ``borders``: region → {year: explanation} for a change of municipal borders that takes
    effect that year (a merger or a split); ``tables``: {year: explanation} for the first year
    of a new SSB table (and the change to «sosialhjelpstilfeller»)."""

    decimals: int = 0
    borders: dict[str, dict[int, str]] = field(default_factory=dict)
    tables: dict[int, str] = field(default_factory=dict)

    def explain(self, region: str | None, year0: int, year1: int) -> str:
        """Why a series may jump from ``year0`` to ``year1`` (empty when nothing is known)."""
        why = []
        if region is not None:
            why += [t for y, t in self.borders.get(region, {}).items() if year0 < y <= year1]
        why += [t for y, t in self.tables.items() if year0 < y <= year1]
        return "; ".join(why)


def break_note(
    df: pd.DataFrame,
    kinds: Sequence[Kind],
    limit: float = 0.4,
    *,
    context: BreakContext | None = None,
) -> str:
    """A caption note for year-on-year jumps over ``limit`` that the book can explain.

    ``df`` is a comparison frame with the columns ``kind``, ``Serie``, ``År``, ``Verdi`` (and
    ``region``). A jump is told to the reader only with its reason (``context``): a merger or
    split of municipalities between the two years, SSB continuing the series in a new table, or
    the change from «mottakere» to «sosialhjelpstilfeller» in 2022. A jump without a known
    reason (often small numbers that swing) is not mentioned. Numbers have the indicator's
    decimals.
    """
    if context is None:
        return ""
    regions = df["region"] if "region" in df.columns else [None] * len(df)
    points: dict[str, list[tuple[int, float, str | None]]] = {}
    for kind, serie, region, year, value in zip(
        df["kind"], df["Serie"], regions, df["År"], df["Verdi"], strict=True
    ):
        if kind in kinds:
            points.setdefault(serie, []).append((int(year), float(value), region))
    notes: list[str] = []
    for serie, pts in points.items():
        pts.sort(key=lambda p: p[0])
        for (y0, a, region), (y1, b, _) in itertools.pairwise(pts):
            if not (a > 0 and b == b and abs(b / a - 1) > limit and y1 - y0 == 1):
                continue
            why = context.explain(None if region is None else str(region), y0, y1)
            if why:
                d = context.decimals
                notes.append(f"{serie} {y0}–{y1} ({fmt_number(a, d)} → {fmt_number(b, d)}): {why}")
    if not notes:
        return ""
    return " Brudd i serien (endring over 40 % på ett år): " + "; ".join(notes[:4]) + "."


def border_changes(
    register: Register, region: str, years: list[int], names: dict[str, str]
) -> dict[int, str]:
    """{year: explanation} for each year the municipalities behind ``region`` changed
    borders (a merger or split; a new number alone is no break), from the register."""
    out: dict[int, str] = {}
    ordered = sorted(years)

    def split_in(year: int) -> list[str]:
        """The codes behind ``region`` in ``year`` that were split later (a share of each)."""
        return [
            p for p in register.predecessors(region, year) if len(register.successors(p, year)) > 1
        ]

    for y0, y1 in itertools.pairwise(ordered):
        p0, p1 = register.predecessors(region, y0), register.predecessors(region, y1)
        if set(p0) == set(p1):
            continue
        split = [p for p in p0 + p1 if len(register.successors(p, y0 if p in p0 else y1)) > 1]
        unknown = [
            n
            for _, n, y, known in (register.split_parts(region) if split else [])
            if y == y1 and not known
        ]
        if unknown:  # the part that came is not known: the years before are missing
            whole = [names.get(p, p) for p in p0 if len(register.successors(p, y0)) == 1]
            name = names.get(region, region)
            out[y1] = (
                f"{name} ble til i {y1} av {and_list(whole)} og en del av "
                f"{and_list(unknown)}; hvor stor del som kom til {name}, er ikke kjent, så "
                f"tall for {name} før {y1} mangler (..)"
            )
        elif len(p0) > 1:
            out[y1] = (
                f"{and_list([names.get(p, p) for p in p0])} ble slått sammen fra {y1}; tallene "
                "før er de tidligere kommunene lagt sammen, og registrering og praksis kan ha "
                "endret seg ved sammenslåingen"
            )
            later = split_in(y1)
            if later:  # the merged municipality was split again: its years are estimates
                est = [y for y in ordered if y >= y1 and set(split_in(y)) & set(later)]
                others = sorted({s for p in later for s in register.successors(p, y1)} - {region})
                span = f"{est[0]}–{est[-1]}" if len(est) > 1 else str(est[0])
                out[y1] += (
                    f". Kommunen fra {y1} ble senere delt"
                    + (
                        f" (en del gikk til {and_list([names.get(o, o) for o in others])})"
                        if others
                        else ""
                    )
                    + f", så tallene for {span} er anslag: tall for hele den sammenslåtte "
                    "kommunen fordelt etter hvor mange innbyggere som gikk til hver av de nye "
                    "kommunene"
                )
        elif split:
            out[y1] = (
                f"kommuneinndelingen endret seg i {y1}, og tall for en kommune som senere ble "
                "delt, er fordelt etter folketall"
            )
    return out


def region_border_changes(
    register: Register,
    members: dict[tuple[str, int], list[str]],
    region: str,
    years: list[int],
    names: dict[str, str],
) -> dict[int, str]:
    """{year: «Tjeldsund gikk ut»} for each year a KOSTRA group or county (``region``, members by
    (code, year) as :meth:`navbok.data.NavData.year_members` gives them) covers other land
    than the year before under the same code: a municipality that left or joined it
    (Tjeldsund left Nordland in 2020). Mergers and splits inside it are no change."""
    out: dict[int, str] = {}
    for y0, y1 in itertools.pairwise(sorted(years)):
        m0, m1 = set(members.get((region, y0), [])), set(members.get((region, y1), []))
        if not m0 or not m1:
            continue
        then = {c: set(register.successors(c, y0, until=y1)) for c in m0}
        left = sorted(c for c, succ in then.items() if not succ <= m1)
        came = set().union(*then.values())
        joined = sorted(c for c in m1 if c not in came)
        if not left and not joined:
            continue
        parts = []
        if left:
            parts.append(f"{and_list([names.get(c, c) for c in left])} gikk ut")
        if joined:
            parts.append(f"{and_list([names.get(c, c) for c in joined])} kom inn")
        out[y1] = " og ".join(parts)
    return out


def region_border_note(ctx: Context, df: pd.DataFrame) -> str:
    """A caption note for the KOSTRA-group and county series of a comparison frame (columns
    ``kind``, ``Serie``, ``region``, ``År``) whose land changes between two years under one
    label: «Nordland har andre grenser fra 2020 (Tjeldsund gikk ut).»"""
    # the KOSTRA-group and county rows, read column by column (no filtered frame: a chapter
    # asks for every figure, and most have no such row)
    wanted = (Kind.KOSTRAGRUPPE, Kind.FYLKE)
    kinds = df["kind"].tolist()
    if not any(k in wanted for k in kinds):
        return ""
    notes = []
    groups: dict[tuple[Any, Any], list[int]] = {}
    columns = (kinds, df["Serie"].tolist(), df["region"].tolist(), df["År"].tolist())
    for kind, serie, region, year in zip(*columns, strict=True):
        if kind in wanted:
            groups.setdefault((serie, region), []).append(int(year))
    for (serie, region), found in groups.items():
        changes = _border_changes(ctx.data, str(region), tuple(sorted(found)))
        if changes:
            spans = " og ".join(f"fra {y} ({text})" for y, text in changes)
            notes.append(f"{serie} har andre grenser {spans}")
    return f" {'; '.join(notes)}." if notes else ""


@national_pass
def _border_changes(
    data: NavData, region: str, years: tuple[int, ...]
) -> tuple[tuple[int, str], ...]:
    """:func:`region_border_changes` of ``region`` over ``years`` (sorted) with the snapshot's
    register, year members and short names, by year: kept per loaded snapshot, region and
    years (everything it depends on), as an immutable tuple."""
    names = _short_names(data)
    changes = region_border_changes(
        data.register, data.year_members(), region, list(years), dict(names)
    )
    return tuple(sorted(changes.items()))


@national_pass
def _short_names(data: NavData) -> Mapping[str, str]:
    """Every municipality's name without its other-language form («Kárášjohka - Karasjok» →
    «Kárášjohka»), by code: kept per loaded snapshot, read-only."""
    names = {c: n.split(" - ")[0] for c, n in data.register.all_names().items()}
    return MappingProxyType(names)


def table_changes(stitches: list[Stitch], series: set[str]) -> dict[int, str]:
    """{first year of the newer table: explanation} for the stitched series ``series``."""
    out: dict[int, str] = {}
    for st in stitches:
        if st.series not in series:
            continue
        for old, new in itertools.pairwise(st.tables):
            years = st.years.get(new) or []
            if not years:
                continue
            y = min(years)
            text = f"SSB fører serien videre i tabell {new} fra {y} (før: tabell {old})"
            if new in CASE_TABLES:
                text += (
                    "; fra 2022 teller SSB sosialhjelpstilfeller, ikke mottakere, så en person "
                    "med stønad i flere kommuner telles i hver av dem"
                )
            out.setdefault(y, text)
    return out


def break_context(ctx: Context, indicator: str) -> BreakContext:
    """The :class:`BreakContext` of an indicator for the municipality and its neighbours."""
    doc = register_doc()
    by_id = {i["id"]: i for i in doc["indicators"]}
    series = {
        doc["measures"][m].get("series")
        for m in leaf_measures(by_id[indicator], doc)
        if doc["measures"][m].get("series")
    }
    regions = (ctx.kommune, *ctx.params.neighbours)
    return BreakContext(
        decimals=ctx.indicator(indicator).decimals,
        borders=_borders(ctx.data, regions, tuple(ctx.years)),
        tables=table_changes(ctx.data.stitches, series),
    )


@national_pass
def _borders(
    data: NavData, regions: tuple[str, ...], years: tuple[int, ...]
) -> dict[str, dict[int, str]]:
    """Each region's border changes in ``years`` (:func:`border_changes`), once per process."""
    names = data.register.all_names()
    return {r: border_changes(data.register, r, list(years), names) for r in regions}
