"""Which indicators a snapshot cannot give, and why: what SSB does not publish, the book says.

A content measure that resolved in none of its series' tables (no content with its label, or
several) has no values, and every indicator that needs it is *unavailable*: the chapters show,
where the figure would have been, which figure is missing and why. A measure that resolved in
some tables only leaves a *gap*: the years of the other tables are missing, and the book says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from navbok.contents import AMBIGUOUS, RESOLVED, Resolution, content_specs
from navbok.register import register_doc


def _content_measures(measure: str, measures: Mapping[str, Any]) -> list[str]:
    """The content measures (read from a ContentsCode) that ``measure`` is made of."""
    spec = measures[measure]
    if "label" in spec:
        return [measure]
    parts = spec.get("sum") or spec.get("product") or []
    return [c for p in parts for c in _content_measures(p, measures)]


def indicator_measures(indicator: Mapping[str, Any], doc: Mapping[str, Any]) -> list[str]:
    """The content measures an indicator of the register needs (formulas followed)."""
    by_id = {i["id"]: i for i in doc["indicators"]}
    if indicator.get("formula"):
        deps = indicator["formula"]["ratio"]
        return [m for d in deps for m in indicator_measures(by_id[d], doc)]
    names = [indicator.get(k) for k in ("measure", "numerator", "denominator")]
    measures = doc["measures"]
    return list(dict.fromkeys(c for n in names if n for c in _content_measures(n, measures)))


def leaf_measures(indicator: Mapping[str, Any], doc: Mapping[str, Any]) -> list[str]:
    """Every measure an indicator of the register rests on (sums, products and formulas
    followed), population and AAP included."""
    by_id = {i["id"]: i for i in doc["indicators"]}
    if indicator.get("formula"):
        return [m for d in indicator["formula"]["ratio"] for m in leaf_measures(by_id[d], doc)]
    todo = [indicator.get(k) for k in ("measure", "numerator", "denominator")]
    out: list[str] = []
    while todo:
        m = todo.pop()
        if not m or m in out:
            continue
        out.append(m)
        spec = doc["measures"][m]
        todo += spec.get("sum", []) + spec.get("product", [])
    return out


def _years(years: list[int]) -> str:
    return f"{min(years)}–{max(years)}" if years else ""


@dataclass
class Availability:
    """Unavailable indicators with their reasons, and gaps (tables where a measure is missing)."""

    unavailable: dict[str, str] = field(default_factory=dict)
    gaps: dict[str, list[str]] = field(default_factory=dict)
    missing_measures: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, snapshot: Any) -> Availability:
        """From the resolution a snapshot recorded when it was fetched."""
        return cls.from_resolutions(
            snapshot.resolutions,
            {t: snapshot.table_info(t) for t in {r.table for r in snapshot.resolutions}},
        )

    @classmethod
    def from_resolutions(
        cls, resolutions: list[Resolution], tables: Mapping[str, Mapping[str, Any]]
    ) -> Availability:
        """From a list of resolutions and the tables' info (``years``, ``title``)."""
        doc = register_doc()
        specs = content_specs(doc)
        by_measure: dict[str, list[Resolution]] = {}
        for r in resolutions:
            by_measure.setdefault(r.measure, []).append(r)
        out = cls()
        partial: dict[str, str] = {}
        for mid, spec in specs.items():
            found = by_measure.get(mid, [])
            ok = [r for r in found if r.status == RESOLVED]
            label = spec.labels[0]
            if not ok:
                tables_text = " og ".join(spec.tables)
                out.missing_measures[mid] = (
                    f"SSB-tabell {tables_text} har flere tall som kan være «{label}», så boka "
                    "bruker ingen av dem."
                    if any(r.status == AMBIGUOUS for r in found)
                    else f"SSB publiserer ikke tall for «{label}» (tabell {tables_text})."
                )
                continue
            lacking = [r.table for r in found if r.status != RESOLVED]
            if lacking:
                years = [y for t in lacking for y in tables.get(t, {}).get("years", [])]
                when = f" ({_years(years)})" if years else ""
                partial[mid] = (
                    f"«{label}» finnes ikke i tabell {' og '.join(lacking)}{when}; "
                    "tallene for disse årene mangler."
                )
        for ind in doc["indicators"]:
            needed = indicator_measures(ind, doc)
            missing = [out.missing_measures[m] for m in needed if m in out.missing_measures]
            if missing:
                out.unavailable[ind["id"]] = " ".join(dict.fromkeys(missing))
            gaps = [partial[m] for m in needed if m in partial]
            if gaps:
                out.gaps[ind["id"]] = list(dict.fromkeys(gaps))
        return out

    def reason(self, indicator: str) -> str | None:
        """Why an indicator is unavailable (None when it is available)."""
        return self.unavailable.get(indicator)
