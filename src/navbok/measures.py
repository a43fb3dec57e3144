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

import numpy as np
import pandas as pd

from navbok import groups as g
from navbok.contents import RESOLVED
from navbok.errors import ConfigError
from navbok.regions import (
    Register,
    detect_target_vintage,
    harmonise,
    population_split_weights,
)
from navbok.register import register_doc
from navbok.sources.catalogue import catalogue
from navbok.status import worst_of

AGGREGATE_PREFIX = "E"


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
        label = register_doc()["series"].get(self.series, {}).get("label", self.series)
        text = f"Serien «{label}» er satt sammen av tabell " + " og ".join(parts)
        if self.overlap_years:
            ov = " og ".join(map(str, self.overlap_years))
            both = "finnes" if len(self.overlap_years) == 1 else "finnes begge"
            text += f"; {ov} {both} i begge tabellene, og boka bruker tallene fra den nyeste"
            if self.revised_cells:
                text += (
                    f" (SSB hadde endret {self.revised_cells} av tallene for {ov} "
                    "i den nyeste tabellen)"
                )
        return text + "."


def table_frame(snapshot, table: str) -> pd.DataFrame:
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


def resolved_frames(snapshot, series: str) -> list[pd.DataFrame]:
    """The resolved contents of one series, one frame per table (oldest first), with
    ``contents`` = the measure id (the code each measure resolved to in that table, found by
    its label at fetch time)."""
    tables = [str(t) for t in register_doc()["series"][series]["tables"]]
    out = []
    for table in tables:
        frames = []
        codes: dict[str, list[str]] = {}
        for r in snapshot.resolutions:
            if r.table == table and r.status == RESOLVED and r.code:
                codes.setdefault(r.code, []).append(r.measure)
        if not codes or not snapshot.has_table(table):
            continue
        f = table_frame(snapshot, table)
        f = f[f["contents"].isin(list(codes))]
        for code, mids in codes.items():
            rows = f[f["contents"] == code]
            frames += [rows.assign(contents=mid, code=code) for mid in mids]
        out.append(pd.concat(frames, ignore_index=True))
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
    """Cell-wise product or sum of two ``region, year, value, status`` frames.

    A product is [average, count]: where the count is 0 the product is 0 (SSB gives no
    average, ``.``, for an empty group)."""
    m = left.merge(right, on=["region", "year"], suffixes=("_a", "_b"), how="outer")
    if op == "product":
        value = (m["value_a"] * m["value_b"]).where(m["value_b"] != 0, 0.0)
    else:
        value = m["value_a"] + m["value_b"]
    status = worst_of(m["status_a"], m["status_b"])
    status = status.where(value.isna(), None)
    table = m["table_a"].fillna(m["table_b"]) if "table_a" in m else None
    out = pd.DataFrame({"region": m["region"], "year": m["year"], "value": value, "status": status})
    if table is not None:
        out["table"] = table
    return out


def population_frame(snapshot, register: Register) -> pd.DataFrame:
    """Population by region, statistics year and single age (1.1. of year + 1).

    Columns: ``region``, ``year``, ``age``, ``value`` with municipalities in the target vintage
    and EAK (Hele landet), EAKUO (landet uten Oslo) and EKAnn (counties, in the years their code
    is current).

    SSB's 07459 keys each 1 January to the municipality codes valid on that date and answers 0
    (not null) for a code that does not exist then: such zeros are dropped, and each date's
    codes are harmonised to the target vintage with the code changes up to that date. (A
    recording keyed to the target codes in every year is read as it is.)
    """
    ds = snapshot.ssb("07459")
    f = ds.frame
    region = ds.role("geo") or "Region"
    ages = f["Alder"].str.extract(r"^(\d+)")[0].astype(int)
    frame = pd.DataFrame(
        {
            "region": f[region].astype(str),
            "tid": f["Tid"].astype(int),
            "age": ages,
            "value": f["value"],
        }
    )
    frame = frame.groupby(["region", "tid", "age"], as_index=False)["value"].sum(min_count=1)
    frame["status"] = None
    munis = frame[frame["region"].str.fullmatch(r"\d{4}")]
    harmonised = []
    for tid in sorted(munis["tid"].unique().tolist()):
        part = munis[munis["tid"] == tid].rename(columns={"tid": "year"})
        valid = register.valid_codes(tid)
        part = part[~((part["value"] == 0) & ~part["region"].isin(valid))]
        if detect_target_vintage(part, register, tid):
            part = part[part["region"].isin(register.names)]
        else:
            part = harmonise(part, register.code_map([tid]), keys=["age"]).drop(columns="split")
        harmonised.append(part.assign(year=tid - 1))
    out = [pd.concat(harmonised, ignore_index=True)]
    frame = frame.assign(year=frame["tid"] - 1).drop(columns="tid")
    country = frame[frame["region"] == "0"].assign(region="EAK")
    oslo = frame[frame["region"] == "0301"].set_index(["year", "age"])["value"]
    uo = country.set_index(["year", "age"])["value"].sub(oslo, fill_value=0).reset_index()
    out += [country, uo.assign(region="EAKUO", status=None)]
    counties = frame[frame["region"].str.fullmatch(r"\d{2}")]
    current = {c[:2] for c in register.names}
    counties = counties[
        counties["region"].isin(current)
        & (counties["year"] + 1 >= int(register.target_date[:4]) - 2)
        & (counties["value"] > 0)
    ]
    out.append(counties.assign(region="EKA" + counties["region"]))
    return pd.concat(out, ignore_index=True)[["region", "year", "age", "value", "status"]]


def aap_frame(
    snapshot, register: Register, split_weights=None, years: list[int] | None = None
) -> pd.DataFrame:
    """NAV AAP counts by target-vintage municipality and month: ``region, period, year, month,
    value, status, estimate``; ``EAK`` is Landet. Each workbook uses the codes of its year.
    ``estimate`` is True where a count includes a population-share estimate (a part of a split
    municipality; a merger summed is exact). ``years``: only these workbooks (default all)."""
    rows = []
    for year in snapshot.aap_years() if years is None else years:
        f = snapshot.aap_workbook(year).frame.assign(year=year)
        munis = f[f["region"] != "EAK"][["region", "year", "month", "value", "status"]]
        mapping = register.code_map([year], split_weights)
        h = harmonise(munis, mapping, keys=["month"]).rename(columns={"split": "estimate"})
        h["estimate"] = h["estimate"] & h["value"].notna()
        land = f[f["region"] == "EAK"][["region", "year", "month", "value", "status"]]
        land = land.assign(estimate=False)
        both = pd.concat([h, land], ignore_index=True)
        both["period"] = [f"{year}-{m:02d}" for m in both["month"]]
        rows.append(both)
    if not rows:
        return pd.DataFrame(
            columns=["region", "year", "period", "month", "value", "status", "estimate"]
        )
    out = pd.concat(rows, ignore_index=True)
    out["estimate"] = out["estimate"].astype(bool)
    return out


def build_measures(snapshot, register: Register) -> tuple[pd.DataFrame, list[Stitch]]:
    """Every measure of the register for every region and year (see module docstring).

    Content measures come from the codes they resolved to by label at fetch time; a measure
    that did not resolve in any table has no rows (its indicators are unavailable, see
    :func:`navbok.availability.unavailable`). Averages (``average: true``) are only factors of
    products; SSB's published ratios reach the indicators through :func:`published_frame`.
    """
    doc = register_doc()
    series_frames: dict[str, pd.DataFrame] = {}
    stitches: list[Stitch] = []
    for name in doc["series"]:
        if name == "befolkning":
            continue
        frames = [f for f in resolved_frames(snapshot, name) if len(f)]
        if not frames:
            continue
        combined, record = stitch(frames, name)
        series_frames[name] = combined
        stitches.append(record)

    pop = population_frame(snapshot, register)
    total_pop = pop.groupby(["region", "year"], as_index=False)["value"].sum()
    weights = population_split_weights(total_pop, register)

    raw: dict[str, pd.DataFrame] = {}
    measures = doc["measures"]
    empty = pd.DataFrame(columns=["region", "year", "value", "status", "table"])

    def contents(mid: str) -> pd.DataFrame:
        f = series_frames.get(measures[mid]["series"])
        if f is None:
            return empty
        return f.loc[f["contents"] == mid, ["region", "year", "value", "status", "table"]]

    def raw_measure(mid: str) -> pd.DataFrame:
        if mid in raw:
            return raw[mid]
        spec = measures.get(mid)
        if spec is None:
            raise ConfigError(f"indicators.yaml: unknown measure {mid!r}")
        if "label" in spec:
            out = contents(mid)
        elif "product" in spec or "sum" in spec:
            parts = [raw_measure(m) for m in spec.get("product", spec.get("sum", []))]
            if any(p.empty for p in parts):
                out = empty
            else:
                out = parts[0]
                for p in parts[1:]:
                    out = _combine(out, p, "product" if "product" in spec else "sum")
        else:
            out = empty
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
        if "aap" in spec or spec.get("average"):
            continue
        f = raw_measure(mid)
        if f.empty:
            continue
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
            if spec["aap"] == "latest":  # the newest month of the snapshot, nothing else
                a = aap[aap["period"] == aap["period"].max()] if len(aap) else aap
            else:
                a = aap[aap["month"] == int(spec["aap"])]
            a = a[["region", "year", "value", "status", "estimate"]].rename(
                columns={"estimate": "split"}
            )
            a["measure"] = mid
            a["source"] = "NAV AAP155"
            munis_out.append(a)

    out = pd.concat(munis_out + aggs_out, ignore_index=True)
    # AAP runs into the current year, past the KOSTRA years: its groups are counted too.
    group_years = sorted(set(years) | set(snapshot.aap_years()))
    totals = _member_totals(out, snapshot, register, group_years)
    external = {m for m, spec in measures.items() if "population" in spec or "aap" in spec}
    replaced = out["measure"].isin(external) & out["region"].str.fullmatch(g.GROUP_PATTERN)
    out = pd.concat([out[~replaced], totals], ignore_index=True)
    out = out.astype({"region": "str", "measure": "str", "source": "str", "year": "int64"})
    out["status"] = out["status"].astype(object).where(out["status"].notna(), None)
    out["split"] = out["split"].fillna(False).astype(bool)
    out["value"] = out["value"].astype(float)
    out.loc[np.isinf(out["value"]), "value"] = np.nan
    return out[["region", "year", "measure", "value", "status", "split", "source"]], stitches


def published_frame(snapshot) -> pd.DataFrame:
    """SSB's published averages and ratios (``average: true`` measures) for every region:
    ``region, year, contents`` (= measure id), ``value, status, table``; where two tables hold
    the same year, the newer one."""
    doc = register_doc()
    averages = {m for m, spec in doc["measures"].items() if spec.get("average")}
    frames = []
    for name in doc["series"]:
        if name == "befolkning":
            continue
        for f in resolved_frames(snapshot, name):
            frames.append(f[f["contents"].isin(averages)])
    if not frames:
        columns = ["region", "contents", "year", "value", "status", "table", "code"]
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True)
    order = {t: i for i, t in enumerate(c.table for c in catalogue().ssb)}
    out = out.assign(_rank=out["table"].map(order)).sort_values("_rank", kind="stable")
    out = out.drop_duplicates(["region", "contents", "year"], keep="last")
    return out.drop(columns="_rank").reset_index(drop=True)


MEMBER_SUM_SOURCE = "summert over kommunene det året"
#: The source of a group's population that today's borders cannot give (:func:`groups.territory`).
BORDERS_UNKNOWN_SOURCE = (
    "innbyggertallet for kommunene det året finnes ikke: befolkningstabellen har dagens kommuner"
)


def _aap_by_year_code(snapshot, spec: dict, years: list[int]) -> pd.DataFrame:
    """NAV's AAP count of a measure on the codes of each year (not harmonised): ``region,
    year, value, status``; the month the measure names (or only the newest month)."""
    frames = []
    latest = max(snapshot.aap_periods(), default=None)
    for year in snapshot.aap_years():
        if year not in years:
            continue
        f = snapshot.aap_workbook(year).frame
        if spec["aap"] == "latest":
            f = f[[f"{year}-{m:02d}" == latest for m in f["month"]]]
        else:
            f = f[f["month"] == int(spec["aap"])]
        frames.append(f[["region", "value", "status"]].assign(year=year))
    if not frames:
        return pd.DataFrame(columns=["region", "year", "value", "status"])
    return pd.concat(frames, ignore_index=True)


def _member_totals(
    out: pd.DataFrame,
    snapshot,
    register: Register,
    years: list[int],
) -> pd.DataFrame:
    """Totals SSB does not publish (population, NAV AAP) for KOSTRA groups and counties, summed
    over the group's members of each year, and Landet uten Oslo (Landet minus Oslo).

    A group of a year is that year's municipalities (:func:`groups.year_membership`), the same
    ones SSB's own totals of the group count, so that a ratio of SSB's group total (counts,
    kroner: it includes hidden members) to these sums is over one territory. AAP is summed over
    the codes of the year's workbook; population, kept on today's borders, over the
    municipalities of today that make up the group exactly (:func:`groups.territory`; missing
    «..» where they cannot). A missing or hidden member makes such a sum missing, in every
    year alike (:func:`groups.year_totals`). These sums replace any county population row.
    """
    cat = catalogue()
    assignments = {int(d[:4]): snapshot.kostra_groups(d)[0] for d in cat.kostra_groups}
    members = g.year_membership(register, assignments, cat.kostra_scheme_years(), years)
    doc = register_doc()["measures"]
    frames = []
    for mid, spec in doc.items():
        if "population" not in spec and "aap" not in spec:
            continue
        f = out[out["measure"] == mid]
        muni = f[~f["region"].str.startswith(AGGREGATE_PREFIX)]
        if muni.empty:
            continue
        with_data = set(muni.loc[muni["value"].notna(), "year"])
        wanted = members[members["year"].isin(with_data)]
        if "population" in spec:
            totals = g.year_totals(muni[["region", "year", "value", "status"]], wanted, register)
            source = pd.Series(f"SSB 07459, {MEMBER_SUM_SOURCE}", index=totals.index).where(
                totals["borders_known"], f"SSB 07459, {BORDERS_UNKNOWN_SOURCE}"
            )
        else:
            raw = _aap_by_year_code(snapshot, spec, sorted(with_data))
            totals = g.year_totals(raw, wanted)
            source = pd.Series(f"NAV AAP155, {MEMBER_SUM_SOURCE}", index=totals.index)
        totals = totals.drop(columns="borders_known")
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
        have = set(zip(f["region"], f["year"], strict=True))
        uten_source = f"{muni['source'].iloc[0]}, landet minus Oslo"
        keep = [(r, y) not in have for r, y in zip(uten["region"], uten["year"], strict=True)]
        frames.append(totals.assign(measure=mid, split=False, source=source))
        frames.append(uten[keep].assign(measure=mid, split=False, source=uten_source))
    return pd.concat(frames, ignore_index=True) if frames else out.iloc[:0]
