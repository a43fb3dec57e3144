"""From a snapshot to one tidy, harmonised table of measures.

Output columns: ``region`` (target-vintage municipality code, or an SSB aggregate code: EAK,
EAKUO, EKGnn, EKAnn), ``year``, ``measure``, ``value``, ``status``, ``split`` (a share of a
split municipality is included) and ``source`` (tables that delivered the cell).

* SSB tables continued under a new id are stitched per ContentsCode; the newer table wins the
  overlapping years and the stitch is recorded (:class:`Stitch`).
* Municipal rows are harmonised to the target vintage (:func:`navbok.regions.harmonise`); SSB's
  aggregates pass through unchanged (they include suppressed members).
* Population (07459) is the population on 1 January of the next year (= 31 December).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
import yaml

from navbok import groups as g
from navbok.errors import ConfigError
from navbok.regions import (
    Register,
    detect_target_vintage,
    harmonise,
    population_split_weights,
    worst_of,
)
from navbok.sources.catalogue import catalogue

AGGREGATE_PREFIX = "E"


@cache
def register_doc() -> dict[str, Any]:
    """The indicator register (``indicators.yaml``) as a dict."""
    text = resources.files("navbok").joinpath("indicators.yaml").read_text("utf-8")
    doc = yaml.safe_load(text)
    for key in ("series", "measures", "indicators"):
        if key not in doc:
            raise ConfigError(f"indicators.yaml has no {key!r} section")
    return doc


@dataclass
class Stitch:
    """How a series was stitched from tables continued under new ids."""

    series: str
    tables: list[str]
    years: dict[str, list[int]] = field(default_factory=dict)
    overlap_years: list[int] = field(default_factory=list)
    revised_cells: int = 0

    def describe(self) -> str:
        """One Norwegian sentence for source notes."""
        parts = [f"{t} ({min(y)}–{max(y)})" for t, y in self.years.items() if y]
        text = "Serien er satt sammen av tabell " + " og ".join(parts)
        if self.overlap_years:
            ov = ", ".join(map(str, self.overlap_years))
            text += (
                f"; for overlappende år ({ov}) brukes den nyeste tabellen "
                f"({self.revised_cells} celler var revidert)"
            )
        return text + "."


def table_frame(snapshot, table: str) -> pd.DataFrame:  # noqa: ANN001
    """An SSB table as ``region, contents, year, value, status, table``."""
    ds = snapshot.ssb(table)
    geo = ds.role("geo") or ds.dims[0]
    time = ds.role("time") or "Tid"
    metric = ds.role("metric") or "ContentsCode"
    f = ds.frame
    out = pd.DataFrame(
        {
            "region": f[geo].astype(str),
            "contents": f[metric].astype(str),
            "year": f[time].astype(int),
            "value": f["value"],
            "status": f["status"].astype(object).where(f["status"].notna(), None),
        }
    )
    out["table"] = table
    return out


def stitch(frames: list[pd.DataFrame], series: str) -> tuple[pd.DataFrame, Stitch]:
    """Join tables of one series (oldest first); the newest table wins where years overlap."""
    tables = [str(f["table"].iloc[0]) for f in frames if len(f)]
    record = Stitch(series=series, tables=tables)
    combined = pd.concat(frames, ignore_index=True)
    order = {t: i for i, t in enumerate(tables)}
    combined["_rank"] = combined["table"].map(order)
    key = ["region", "contents", "year"]
    dup = combined.duplicated(subset=key, keep=False)
    if dup.any():
        overlap = combined[dup]
        record.overlap_years = sorted(overlap["year"].unique().tolist())
        wide = overlap.pivot_table(index=key, columns="table", values="value", aggfunc="first")
        if wide.shape[1] >= 2:
            a, b = wide.iloc[:, 0], wide.iloc[:, -1]
            record.revised_cells = int(((a != b) & ~(a.isna() & b.isna())).sum())
    combined = combined.sort_values("_rank").drop_duplicates(subset=key, keep="last")
    combined = combined.drop(columns="_rank")
    with_value = combined[combined["value"].notna()]
    for t in tables:
        record.years[t] = sorted(with_value.loc[with_value["table"] == t, "year"].unique().tolist())
    return combined.reset_index(drop=True), record


def _combine(left: pd.DataFrame, right: pd.DataFrame, op: str) -> pd.DataFrame:
    """Cell-wise product or sum of two ``region, year, value, status`` frames."""
    m = left.merge(right, on=["region", "year"], suffixes=("_a", "_b"), how="outer")
    value = m["value_a"] * m["value_b"] if op == "product" else m["value_a"] + m["value_b"]
    status = worst_of(m["status_a"], m["status_b"])
    status = status.where(value.isna(), None)
    table = m["table_a"].fillna(m["table_b"]) if "table_a" in m else None
    out = pd.DataFrame({"region": m["region"], "year": m["year"], "value": value, "status": status})
    if table is not None:
        out["table"] = table
    return out


def population_frame(snapshot, register: Register) -> pd.DataFrame:  # noqa: ANN001
    """Population by region, statistics year and single age (1.1. of year + 1).

    Columns: ``region``, ``year``, ``age``, ``value`` with municipalities in the target vintage
    and EAK (Hele landet), EAKUO (landet uten Oslo) and EKAnn (counties, in the years their code
    is current).
    """
    ds = snapshot.ssb("07459")
    f = ds.frame
    region = ds.role("geo") or "Region"
    ages = f["Alder"].str.extract(r"^(\d+)")[0].astype(int)
    frame = pd.DataFrame(
        {
            "region": f[region].astype(str),
            "year": f["Tid"].astype(int) - 1,
            "age": ages,
            "value": f["value"],
            "status": None,
        }
    )
    frame = frame.groupby(["region", "year", "age"], as_index=False)["value"].sum(min_count=1)
    frame["status"] = None
    munis = frame[frame["region"].str.fullmatch(r"\d{4}")]
    years = sorted(munis["year"].unique().tolist())
    harmonised = []
    for year in years:
        part = munis[munis["year"] == year]
        if detect_target_vintage(part, register, year):
            harmonised.append(part[part["region"].isin(register.names)])
        else:
            mapping = register.code_map([year])
            h = harmonise(part, mapping, keys=["age"])
            harmonised.append(h.drop(columns="split"))
    out = [pd.concat(harmonised, ignore_index=True)]
    country = frame[frame["region"] == "0"].assign(region="EAK")
    oslo = frame[frame["region"] == "0301"].set_index(["year", "age"])["value"]
    uo = country.set_index(["year", "age"])["value"].sub(oslo, fill_value=0).reset_index()
    out += [country, uo.assign(region="EAKUO", status=None)]
    counties = frame[frame["region"].str.fullmatch(r"\d{2}")]
    current = {c[:2] for c in register.names}
    counties = counties[
        counties["region"].isin(current)
        & (counties["year"] + 1 >= int(register.target_date[:4]) - 2)
    ]
    out.append(counties.assign(region="EKA" + counties["region"]))
    return pd.concat(out, ignore_index=True)[["region", "year", "age", "value", "status"]]


def aap_frame(snapshot, register: Register, split_weights=None) -> pd.DataFrame:  # noqa: ANN001
    """NAV AAP counts by target-vintage municipality and month: ``region, period, year, value,
    status``; ``EAK`` is Landet. Each month uses the codes valid in that month."""
    rows = []
    for period in snapshot.aap_periods():
        year, month = int(period[:4]), int(period[5:7])
        f = snapshot.aap(period)
        munis = f[f["region"] != "EAK"].assign(year=year)[["region", "year", "value", "status"]]
        mapping = register.code_map([year], split_weights)
        h = harmonise(munis, mapping, keys=[]).drop(columns="split")
        land = f[f["region"] == "EAK"].assign(year=year)[["region", "year", "value", "status"]]
        both = pd.concat([h, land], ignore_index=True)
        both["period"] = period
        both["month"] = month
        rows.append(both)
    if not rows:
        return pd.DataFrame(columns=["region", "year", "period", "month", "value", "status"])
    return pd.concat(rows, ignore_index=True)


def build_measures(snapshot, register: Register) -> tuple[pd.DataFrame, list[Stitch]]:  # noqa: ANN001
    """Every measure of the register for every region and year (see module docstring)."""
    doc = register_doc()
    series_frames: dict[str, pd.DataFrame] = {}
    stitches: list[Stitch] = []
    for name, spec in doc["series"].items():
        if name == "befolkning":
            continue
        frames = [table_frame(snapshot, t) for t in spec["tables"]]
        combined, record = stitch(frames, name)
        series_frames[name] = combined
        stitches.append(record)

    pop = population_frame(snapshot, register)
    total_pop = pop.groupby(["region", "year"], as_index=False)["value"].sum()
    weights = population_split_weights(total_pop, register)

    raw: dict[str, pd.DataFrame] = {}
    measures = doc["measures"]

    def contents(series: str, code: str) -> pd.DataFrame:
        f = series_frames[series]
        sel = f[f["contents"] == code]
        if sel.empty:
            raise ConfigError(f"indicators.yaml: ContentsCode {code} is not in series {series}")
        return sel[["region", "year", "value", "status", "table"]]

    def raw_measure(mid: str) -> pd.DataFrame:
        if mid in raw:
            return raw[mid]
        spec = measures.get(mid)
        if spec is None:
            raise ConfigError(f"indicators.yaml: unknown measure {mid!r}")
        if "contents" in spec:
            out = contents(spec["series"], spec["contents"])
        elif "product" in spec:
            a, b = (contents(spec["series"], c) for c in spec["product"])
            out = _combine(a, b, "product")
        elif "sum" in spec:
            parts = [raw_measure(m) for m in spec["sum"]]
            out = parts[0]
            for p in parts[1:]:
                out = _combine(out, p, "sum")
        else:
            out = pd.DataFrame()
        raw[mid] = out
        return out

    munis_out, aggs_out = [], []
    years = sorted(set().union(*(set(f["year"]) for f in series_frames.values())))
    mapping = register.code_map(years, weights)
    for mid, spec in measures.items():
        if "population" in spec:
            lo, hi = spec["population"]
            p = pop[(pop["age"] >= lo) & (pop["age"] <= hi)]
            p = p.groupby(["region", "year"], as_index=False)["value"].sum(min_count=1)
            if spec.get("at") == "1.1.":  # population on 1 January of the year itself
                p["year"] = p["year"] + 1
            p["status"] = None
            p["split"] = False
            p["source"] = "SSB 07459"
            p["measure"] = mid
            munis_out.append(p)
            continue
        if "aap" in spec:
            continue
        f = raw_measure(mid)
        is_agg = f["region"].str.startswith(AGGREGATE_PREFIX)
        agg = f[is_agg].assign(split=False, measure=mid)
        agg["source"] = "SSB " + agg["table"]
        aggs_out.append(agg.drop(columns="table"))
        muni = f[~is_agg]
        has_value = muni[muni["value"].notna()]
        src = has_value.groupby("year")["table"].agg(lambda t: t.mode().iloc[0])
        src = src.combine_first(muni.groupby("year")["table"].last())
        h = harmonise(muni.drop(columns="table"), mapping, keys=[])
        h["measure"] = mid
        h["source"] = "SSB " + h["year"].map(src)
        munis_out.append(h)

    aap = aap_frame(snapshot, register, weights)
    for mid, spec in measures.items():
        if "aap" in spec:
            month = int(spec["aap"])
            a = aap[aap["month"] == month][["region", "year", "value", "status"]].copy()
            a["split"] = False
            a["measure"] = mid
            a["source"] = "NAV AAP"
            munis_out.append(a)

    out = pd.concat(munis_out + aggs_out, ignore_index=True)
    out = pd.concat([out, _member_totals(out, snapshot, register, years)], ignore_index=True)
    out["status"] = out["status"].astype(object).where(out["status"].notna(), None)
    out["split"] = out["split"].fillna(False).astype(bool)
    out["value"] = out["value"].astype(float)
    out.loc[np.isinf(out["value"]), "value"] = np.nan
    return out[["region", "year", "measure", "value", "status", "split", "source"]], stitches


def _member_totals(
    out: pd.DataFrame,
    snapshot,  # noqa: ANN001
    register: Register,
    years: list[int],
) -> pd.DataFrame:
    """Group totals for measures SSB publishes no aggregates of (population, NAV AAP).

    KOSTRA groups and counties are summed over their members in each year; Landet uten Oslo is
    Landet minus Oslo. Existing aggregate rows (SSB's own) are kept as they are.
    """
    cat = catalogue()
    assignments = {y: snapshot.kostra_groups(y)[0] for y in cat.kostra_groups}
    members = g.membership(register, assignments, cat.kostra_groups, years)
    doc = register_doc()["measures"]
    wanted = [m for m, spec in doc.items() if "population" in spec or "aap" in spec]
    frames = []
    for mid in wanted:
        f = out[out["measure"] == mid]
        have = set(zip(f["region"], f["year"], strict=True))
        muni = f[~f["region"].str.startswith(AGGREGATE_PREFIX)]
        with_data = set(muni.loc[muni["value"].notna(), "year"])
        totals = g.sum_members(
            muni[["region", "year", "value", "status"]], members[members["year"].isin(with_data)]
        )
        land = f[f["region"] == g.LANDET].set_index("year")
        oslo = muni[muni["region"] == "0301"].set_index("year")
        both = land.index.intersection(oslo.index)
        uten = pd.DataFrame(
            {
                "region": g.LANDET_UTEN_OSLO,
                "year": both,
                "value": (land.loc[both, "value"] - oslo.loc[both, "value"]).to_numpy(),
                "status": worst_of(land.loc[both, "status"], oslo.loc[both, "status"]).to_numpy(),
            }
        )
        totals = pd.concat([totals, uten], ignore_index=True)
        keep = [(r, y) not in have for r, y in zip(totals["region"], totals["year"], strict=True)]
        totals = totals[keep].assign(
            measure=mid, split=False, source=f"{muni['source'].iloc[0]}, summert over kommunene"
        )
        frames.append(totals)
    return pd.concat(frames, ignore_index=True) if frames else out.iloc[:0]
