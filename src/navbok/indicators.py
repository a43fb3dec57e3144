"""The indicator register (``indicators.yaml``) and its computation for every region at once.

``compute(measures)`` turns the harmonised measure table into indicator values for every
municipality and aggregate in one vectorised pass. ``indicators(data, kommune, years)`` selects
what a chapter needs.

Rules (see the register's header):

* municipalities: numerator / denominator × scale from harmonised measures; a missing
  numerator or denominator gives a missing value with the worst input status, a zero
  denominator gives ``.`` (not possible to compute). Where the register names SSB's published
  figure (``published``), a municipality whose code did not change that year (one code mapping
  wholly onto it; a pure renumbering counts as unchanged, :func:`unchanged_codes`) takes SSB's
  figure of that code, value and status: SSB publishes shares where it suppresses one of the
  counts. Merged and split municipalities keep the ratio of harmonised counts, and the source
  says «beregnet fra harmoniserte tall»;
* aggregates (EAK, EAKUO, EKGnn, EKAnn): SSB's published figure where the register names one
  (it includes suppressed members), otherwise the same ratio over the aggregate's measures: SSB's
  own total of a count or an amount (it includes hidden members) over navbok's sum of what SSB
  does not publish (population, NAV AAP) across the same municipalities, the group's or
  county's members of that year (:func:`navbok.measures._member_totals`). EAK and EAKUO pair
  SSB's national totals with 07459's national population.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from navbok.errors import ConfigError
from navbok.measures import AGGREGATE_PREFIX
from navbok.regions import Register
from navbok.register import register_doc
from navbok.status import NOT_POSSIBLE, worst_of

COLUMNS = ["region", "year", "indicator", "value", "status", "estimate", "source"]
BETTER = {"lower", "higher", "neutral"}


@dataclass(frozen=True)
class Indicator:
    """One declared indicator with every label the book gives it (see ``indicators.yaml``)."""

    id: str
    label: str
    definition: str
    unit: str
    decimals: int
    better: str
    measure: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    scale: float = 1.0
    published: str | None = None
    formula: dict[str, Any] | None = None
    short: str = ""
    profile: str = ""
    legend: str = ""
    headline: str = ""  # a key figure's column header (the register's ``key_figures``)

    @property
    def name(self) -> str:
        """The short label for tables and legends (the full label if none is declared)."""
        return self.short or self.label

    @property
    def profile_label(self) -> str:
        """The label of the indicator's bar in the service profile (else :attr:`name`)."""
        return self.profile or self.name

    @property
    def legend_label(self) -> str:
        """The label of the indicator's line among related indicators (else :attr:`name`)."""
        return self.legend or self.name


@cache
def register() -> Mapping[str, Indicator]:
    """All declared indicators by id, validated (read once; the mapping is read-only)."""
    doc = register_doc()
    out: dict[str, Indicator] = {}
    for spec in doc["indicators"]:
        try:
            ind = Indicator(**spec)
        except TypeError as exc:
            raise ConfigError(f"indicators.yaml: indicator {spec.get('id')!r}: {exc}") from exc
        if ind.better not in BETTER:
            raise ConfigError(f"indicators.yaml: {ind.id}: better must be one of {sorted(BETTER)}")
        for m in (ind.measure, ind.numerator, ind.denominator):
            if m is not None and m not in doc["measures"]:
                raise ConfigError(f"indicators.yaml: {ind.id} refers to unknown measure {m!r}")
        if ind.id in out:
            raise ConfigError(f"indicators.yaml: indicator {ind.id} is declared twice")
        out[ind.id] = ind
    return MappingProxyType(out)


def _ratio(num: pd.DataFrame, den: pd.DataFrame, scale: float) -> pd.DataFrame:
    m = num.merge(den, on=["region", "year"], suffixes=("_n", "_d"), how="inner")
    with np.errstate(divide="ignore", invalid="ignore"):
        value = m["value_n"].astype(float) / m["value_d"].astype(float) * scale
    zero = m["value_d"].astype(float) == 0
    value = value.where(~zero & np.isfinite(value))
    status = worst_of(m["status_n"], m["status_d"])
    status = status.where(~zero, NOT_POSSIBLE).where(value.isna(), None)
    source = m["source_n"].astype(str)
    differs = m["source_d"].astype(str) != source
    source = source.where(~differs, source + "; " + m["source_d"].astype(str))
    return pd.DataFrame(
        {
            "region": m["region"],
            "year": m["year"],
            "value": value,
            "status": status,
            "estimate": (_flag(m, "estimate_n") | _flag(m, "estimate_d")) & value.notna(),
            "source": source,
        }
    )


def _flag(frame: pd.DataFrame, column: str) -> pd.Series:
    """A boolean column of ``frame`` (all False when it has none; missing is False)."""
    if column not in frame.columns:
        return pd.Series(False, index=frame.index)
    return frame[column].fillna(False).astype(bool)


HARMONISED_SOURCE = "beregnet fra harmoniserte tall"
KEY = ["region", "year"]


def unchanged_codes(regions: Register, years: list[int]) -> pd.DataFrame:
    """Target municipalities whose code did not change in a year: ``year, old, region``.

    A target code is unchanged in ``year`` when exactly one code valid that year maps onto it,
    wholly (a pure renumbering such as 0219 → 3024 → 3201 counts as unchanged). For these, SSB's
    published figure of the old code is the municipality's figure; mergers and splits need
    harmonised counts.
    """
    cm = regions.code_map(sorted({int(y) for y in years}))
    count = cm.groupby(["year", "new"])["old"].transform("size")
    whole = (count == 1) & (cm["weight"] >= 1 - 1e-9) & ~cm["split"].astype(bool)
    out = cm.loc[whole, ["year", "old", "new"]].rename(columns={"new": "region"})
    return out.astype({"year": "int64", "old": "str", "region": "str"}).reset_index(drop=True)


def _prefer(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """Per region and year: ``first`` where it has a value, else ``second`` where it has one,
    else ``first``'s row (its status), else ``second``'s."""
    cols = ["region", "year", "value", "status", "estimate", "source"]
    a, b = (
        first.assign(estimate=_flag(first, "estimate")),
        second.assign(estimate=_flag(second, "estimate")),
    )
    a, b = a[cols], b[cols]
    both = pd.concat(
        [
            a.assign(_rank=np.where(a["value"].notna(), 0, 2)),
            b.assign(_rank=np.where(b["value"].notna(), 1, 3)),
        ],
        ignore_index=True,
    )
    both = both.sort_values("_rank", kind="stable").drop_duplicates(KEY, keep="first")
    return both.drop(columns="_rank").reset_index(drop=True)


def _with_published(
    r: pd.DataFrame, pub: pd.DataFrame, unchanged: pd.DataFrame | None
) -> pd.DataFrame:
    """SSB's published figure where it applies, else the computed ratio.

    Aggregates (EAK, EAKUO, EKGnn, EKAnn) take SSB's figure (it includes suppressed members).
    A municipality whose code did not change that year (``unchanged``) takes SSB's figure of its
    code (value and status; SSB publishes shares where it suppresses a count); merged and split
    municipalities keep the ratio of harmonised counts, and the source says so.
    """
    pub = pub.assign(source="SSB " + pub["table"].astype(str) + " " + pub["code"].astype(str))
    pub = pub[["region", "year", "value", "status", "source"]].assign(estimate=False)
    is_agg = r["region"].str.startswith(AGGREGATE_PREFIX)
    parts = [_prefer(pub[pub["region"].str.startswith(AGGREGATE_PREFIX)], r[is_agg])]
    munis = r[~is_agg]
    if unchanged is None:
        parts.append(munis)
    else:
        own = pub.merge(unchanged, left_on=["year", "region"], right_on=["year", "old"])
        own = own.drop(columns=["region_x", "old"]).rename(columns={"region_y": "region"})
        flag = munis.merge(unchanged[KEY].assign(_same=True), on=KEY, how="left")["_same"]
        harmonised = flag.isna().to_numpy()
        munis = munis.copy()
        munis.loc[harmonised, "source"] = (
            munis.loc[harmonised, "source"].astype(str) + ", " + HARMONISED_SOURCE
        )
        computed = munis.merge(own[KEY].assign(_pub=True), on=KEY, how="left")["_pub"]
        parts += [own, munis[computed.isna().to_numpy()]]
    return pd.concat([p for p in parts if len(p)], ignore_index=True)


def compute(
    measures: pd.DataFrame,
    published: pd.DataFrame | None = None,
    regions: Register | None = None,
) -> pd.DataFrame:
    """Every indicator for every region and year: columns ``region, year, indicator, value,
    status, estimate, source``.

    ``estimate`` is True where the value includes a population-share estimate: a count of a
    split municipality spread over its successors by population (``split`` in ``measures``),
    in the indicator's measure, numerator or denominator. A merger of whole municipalities
    summed is exact, and SSB's own published figures are never estimates.

    ``published`` (``region, year, contents, value, status, table, code``; ``contents`` = the
    measure id of an ``average`` measure, ``code`` the ContentsCode it resolved to) supplies
    SSB's own figures for aggregates and, with ``regions`` (the municipality register), for
    municipalities whose code did not change (:func:`unchanged_codes`).
    """
    inds = register()
    split = measures["split"] if "split" in measures.columns else False
    measures = measures.drop(columns="split", errors="ignore").assign(estimate=split)
    by_measure = {k: g.drop(columns="measure") for k, g in measures.groupby("measure")}
    empty = pd.DataFrame(columns=["region", "year", "value", "status", "estimate", "source"])
    unchanged = None
    if regions is not None and published is not None and len(published):
        unchanged = unchanged_codes(regions, sorted(published["year"].unique()))
    results: dict[str, pd.DataFrame] = {}
    for ind in inds.values():
        if ind.formula:
            continue
        if ind.measure:
            r = by_measure.get(ind.measure, empty)
            r = r[["region", "year", "value", "status", "source"]].assign(
                estimate=_flag(r, "estimate") & r["value"].notna()
            )
        else:
            r = _ratio(
                by_measure.get(ind.numerator, empty),
                by_measure.get(ind.denominator, empty),
                float(ind.scale),
            )
        if ind.published and published is not None:
            pub = published[published["contents"] == ind.published]
            if len(pub):
                r = _with_published(r, pub, unchanged)
        results[ind.id] = r
    for ind in inds.values():
        if not ind.formula:
            continue
        a, b = ind.formula["ratio"]
        results[ind.id] = _ratio(results[a], results[b], float(ind.scale))
    frames = [r.assign(indicator=k) for k, r in results.items()]
    out = pd.concat([f for f in frames if len(f)], ignore_index=True)[COLUMNS]
    out = out.astype({"region": "str", "indicator": "str", "source": "str", "year": "int64"})
    out["status"] = out["status"].astype(object).where(out["status"].notna(), None)
    out["value"] = out["value"].astype(float)
    out["estimate"] = out["estimate"].fillna(False).astype(bool)
    return out.sort_values(["indicator", "region", "year"]).reset_index(drop=True)


def select(
    data: pd.DataFrame,
    regions: list[str] | str | None = None,
    years: list[int] | range | None = None,
    indicators: list[str] | str | None = None,
) -> pd.DataFrame:
    """Rows of an indicator table for some regions, years and indicators."""
    mask = pd.Series(True, index=data.index)
    if regions is not None:
        mask &= data["region"].isin([regions] if isinstance(regions, str) else list(regions))
    if years is not None:
        mask &= data["year"].isin(list(years))
    if indicators is not None:
        wanted = [indicators] if isinstance(indicators, str) else list(indicators)
        unknown = set(wanted) - set(register())
        if unknown:
            raise ConfigError(f"Unknown indicator(s): {', '.join(sorted(unknown))}")
        mask &= data["indicator"].isin(wanted)
    return data[mask].reset_index(drop=True)
