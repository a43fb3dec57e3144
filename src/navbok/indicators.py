"""The indicator register (``indicators.yaml``) and its computation for every region at once.

``compute(measures)`` turns the harmonised measure table into indicator values for every
municipality and aggregate in one vectorised pass. ``indicators(data, kommune, years)`` selects
what a chapter needs.

Rules (see the register's header):

* municipalities: numerator / denominator × scale from harmonised measures; a missing
  numerator or denominator gives a missing value with the worst input status, a zero
  denominator gives ``.`` (not possible to compute);
* aggregates (EAK, EAKUO, EKGnn, EKAnn): SSB's published figure where the register names one
  (it includes suppressed members), otherwise the same ratio over the aggregate's measures.
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
from navbok.regions import NOT_POSSIBLE, worst_of
from navbok.register import register_doc

COLUMNS = ["region", "year", "indicator", "value", "status", "source"]
BETTER = {"lower", "higher", "neutral"}


@dataclass(frozen=True)
class Indicator:
    """One declared indicator."""

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

    @property
    def name(self) -> str:
        """The short label for tables and legends (the full label if none is declared)."""
        return self.short or self.label


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
            "source": source,
        }
    )


def compute(measures: pd.DataFrame, published: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every indicator for every region and year: columns ``region, year, indicator, value,
    status, source``.

    ``published`` (``region, year, contents, value, status, table, code``; ``contents`` = the
    measure id of an ``average`` measure, ``code`` the ContentsCode it resolved to) supplies
    SSB's own figures for aggregates.
    """
    inds = register()
    by_measure = {k: g.drop(columns="measure") for k, g in measures.groupby("measure")}
    empty = pd.DataFrame(columns=["region", "year", "value", "status", "source"])
    results: dict[str, pd.DataFrame] = {}
    for ind in inds.values():
        if ind.formula:
            continue
        if ind.measure:
            r = by_measure.get(ind.measure, empty)[["region", "year", "value", "status", "source"]]
        else:
            r = _ratio(
                by_measure.get(ind.numerator, empty),
                by_measure.get(ind.denominator, empty),
                float(ind.scale),
            )
        if ind.published and published is not None:
            pub = published[published["contents"] == ind.published]
            pub = pub[pub["region"].str.startswith(AGGREGATE_PREFIX)]
            pub = pub.assign(source="SSB " + pub["table"] + " " + pub["code"])
            pub = pub[["region", "year", "value", "status", "source"]]
            r = pd.concat(
                [r[~r["region"].str.startswith(AGGREGATE_PREFIX)], pub], ignore_index=True
            )
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
