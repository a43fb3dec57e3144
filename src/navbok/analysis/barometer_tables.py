"""Chapter tables for the Kommunebarometer reconstruction (sector «Sosialtjeneste»).

All functions take the outputs of :func:`navbok.analysis.barometer.grade_all` (``graded``) and
:func:`navbok.analysis.barometer.rank` (``ranking``); years are statistics years.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from navbok.analysis.barometer import MID, rank
from navbok.analysis.barometer_config import (
    BarometerInputError,
    config,
    key_figures,
    normalise_weights,
    require_columns,
    validate_weights,
)
from navbok.reference import load_reference

BAERUM_REFERENCE = "kommunebarometer_baerum"
TOP10_REFERENCE = "kommunebarometer_topp10_2024"
ARROWS = {1: "↑", -1: "↓", 0: "→"}


def _one(frame: pd.DataFrame, kommune: str, what: str) -> pd.DataFrame:
    rows = frame[frame["region"] == kommune]
    if rows.empty:
        raise BarometerInputError(f"{what}: no rows for municipality {kommune!r}")
    return rows


def _year_rows(frame: pd.DataFrame, year: int, what: str) -> pd.DataFrame:
    rows = frame[frame["year"] == year]
    if rows.empty:
        known = ", ".join(str(y) for y in sorted(frame["year"].unique()))
        raise BarometerInputError(f"{what}: no data for year {year} (years: {known})")
    return rows


def _kf_frame() -> pd.DataFrame:
    return pd.DataFrame(
        [(k.id, k.label, k.better, k.weight) for k in key_figures()],
        columns=["key_figure", "label", "better", "weight"],
    )


def kommune_table(
    graded: pd.DataFrame, kommune: str, years: list[int] | None = None, n_years: int = 5
) -> pd.DataFrame:
    """The key figures × years of one municipality: value, average, limits, grade and change.

    ``years`` defaults to the newest ``n_years``. ``change`` is the value minus the previous
    year's value, ``arrow`` its direction (↑/↓/→), ``improved`` whether it moved the good way.
    """
    require_columns(
        graded, ["region", "year", "key_figure", "value", "average", "grade"], "kommune_table"
    )
    rows = _one(graded, kommune, "kommune_table").sort_values(["key_figure", "year"])
    rows = rows.assign(change=rows.groupby("key_figure")["value"].diff())
    if years is None:
        years = sorted(rows["year"].unique())[-n_years:]
    rows = rows[rows["year"].isin(list(years))].drop(columns="better", errors="ignore")
    out = _kf_frame().merge(rows, on="key_figure", how="inner")
    sign = np.sign(out["change"])
    out["arrow"] = sign.map(ARROWS).where(out["change"].notna(), "")
    good = np.where(out["better"] == "higher", 1, -1)
    out["improved"] = (sign * good > 0).where(out["change"].notna() & (sign != 0))
    cols = ["key_figure", "label", "better", "weight", "year", "value", "average", "best"]
    cols += ["worst", "grade", "change", "arrow", "improved"]
    return out[[c for c in cols if c in out.columns]].reset_index(drop=True)


def top_list(
    ranking: pd.DataFrame,
    kommune: str,
    year: int,
    n: int = 10,
    names: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The ``n`` best (more with ties) and the municipality's own row, marked ``is_kommune``."""
    require_columns(ranking, ["region", "year", "rank", "points", "n_ranked"], "top_list")
    rows = _year_rows(ranking, year, "top_list")
    own = _one(rows, kommune, "top_list")
    top = rows[rows["rank"].notna() & (rows["rank"] <= n)]
    out = pd.concat([top, own]).drop_duplicates("region").copy()
    out["is_kommune"] = out["region"] == kommune
    names = names or {}
    out["name"] = [names.get(c, c) for c in out["region"]]
    cols = ["rank", "region", "name", "points", "score", "weight_share", "n_ranked", "is_kommune"]
    out = out.sort_values("rank", na_position="last")
    return out[[c for c in cols if c in out.columns]].reset_index(drop=True)


def pulling_down(
    graded: pd.DataFrame, kommune: str, year: int, weights: dict[str, float] | None = None
) -> pd.DataFrame:
    """Which key figures pull the score down: each one's weighted distance to grade 3.5.

    ``contribution`` = renormalised weight × (grade − 3.5); the contributions add up to
    score − 3.5. ``points_effect`` is the same in points (× sector weight). Sorted worst first.
    """
    require_columns(graded, ["region", "year", "key_figure", "grade"], "pulling_down")
    w = validate_weights(weights if weights is not None else config().weights)
    rows = _year_rows(_one(graded, kommune, "pulling_down"), year, "pulling_down")
    out = (
        _kf_frame()
        .drop(columns="weight")
        .merge(rows[["key_figure", "value", "average", "grade"]], on="key_figure")
    )
    out["weight"] = out["key_figure"].map(w)
    has = out["grade"].notna()
    out["weight_share"] = (out["weight"] / out.loc[has, "weight"].sum()).where(has)
    out["distance"] = out["grade"] - MID
    out["contribution"] = out["weight_share"] * out["distance"]
    out["points_effect"] = out["contribution"] * config().sector_weight / 100
    out["pulls_down"] = out["contribution"] < 0
    return out.sort_values("contribution", na_position="last").reset_index(drop=True)


#: The scenario with the weights as the source document (Bærum's KOSTRA analysis) prints them:
#: a statement about Bærum's own document, shown only in Bærum's book.
PRINTED_SCENARIO = "Vektene slik Bærums KOSTRA-analyse 2024 trykker dem (9 %)"


def default_scenarios(printed: bool = True) -> dict[str, dict[str, float]]:
    """Alternative weightings: the configured ones, equal weights, the source document's
    printed weights (112 % in all; left out with ``printed=False``) and each key figure dropped
    in turn."""
    kfs = key_figures()
    base = {k.id: k.weight for k in kfs}
    out = {"Kommunal Rapports vekter": base, "Like vekter": {k.id: 1.0 for k in kfs}}
    if printed:
        out[PRINTED_SCENARIO] = {
            k.id: k.printed_weight if k.printed_weight is not None else k.weight for k in kfs
        }
    for k in kfs:
        out[f"Uten {k.id}"] = {**base, k.id: 0.0}
    return out


def scenario_rankings(
    graded: pd.DataFrame, year: int, scenarios: dict[str, dict[str, float]] | None = None
) -> dict[str, pd.DataFrame]:
    """Every municipality's ranking under each scenario in ``year`` (the same for every
    municipality's book, so compute it once and pass it to :func:`sensitivity`)."""
    require_columns(graded, ["region", "year", "key_figure", "grade"], "sensitivity")
    rows = _year_rows(graded, year, "sensitivity")
    scenarios = scenarios if scenarios is not None else default_scenarios()
    if not scenarios:
        raise BarometerInputError("sensitivity: no scenarios")
    return {label: rank(rows, normalise_weights(raw)) for label, raw in scenarios.items()}


def sensitivity(
    graded: pd.DataFrame,
    kommune: str,
    year: int,
    scenarios: dict[str, dict[str, float]] | None = None,
    rankings: dict[str, pd.DataFrame] | None = None,
    positions: Mapping[str, Mapping[str, int]] | None = None,
) -> pd.DataFrame:
    """The municipality's rank under alternative weightings.

    Each scenario's weights are rescaled to 100 (only their proportions matter) and all
    municipalities are re-ranked. ``rank_change`` is relative to the first scenario (positive
    = a worse place). ``positions`` (:func:`first_positions` of ``rankings``) finds a
    municipality's row in each ranking without filtering it (the same row).
    """
    require_columns(graded, ["region", "year", "key_figure", "grade"], "sensitivity")
    _one(_year_rows(graded, year, "sensitivity"), kommune, "sensitivity")
    scenarios = scenarios if scenarios is not None else default_scenarios()
    if rankings is None:
        rankings = scenario_rankings(graded, year, scenarios)
    out = []
    for label, raw in scenarios.items():
        r = rankings[label]
        at = None if positions is None else positions.get(label, {}).get(kommune)
        own = r.iloc[at] if at is not None else r[r["region"] == kommune].iloc[0]
        out.append(
            {
                "scenario": label,
                "weight_sum": float(sum(raw.values())),
                "score": own["score"],
                "points": own["points"],
                "rank": own["rank"],
                "n_ranked": own["n_ranked"],
            }
        )
    frame = pd.DataFrame(out)
    frame["rank"] = frame["rank"].astype("Int64")
    frame["rank_change"] = frame["rank"] - frame["rank"].iloc[0]
    return frame


def first_positions(rankings: Mapping[str, pd.DataFrame]) -> Mapping[str, Mapping[str, int]]:
    """For each ranking (:func:`scenario_rankings`), every region's first row position
    (read-only): ``r.iloc[pos]`` is ``r[r["region"] == region].iloc[0]``."""
    out: dict[str, Mapping[str, int]] = {}
    for label, r in rankings.items():
        first: dict[str, int] = {}
        for pos, region in enumerate(r["region"].tolist()):
            first.setdefault(region, pos)
        out[label] = MappingProxyType(first)
    return MappingProxyType(out)


@dataclass
class PublishedComparison:
    """The reconstruction beside the published figures."""

    key_figures: pd.DataFrame
    ranks: pd.DataFrame
    top10: pd.DataFrame
    summary: dict[str, Any]
    source: str


def _published(root: Path | None) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    ref = load_reference(BAERUM_REFERENCE, root)
    pub = ref.frame.astype({"barometer_year": int, "year": int, "value": float})
    top = load_reference(TOP10_REFERENCE, root).frame
    top = top.astype({"barometer_year": int, "year": int, "rank": int, "points": float})
    return pub, top, ref.source


def published_comparison(
    graded: pd.DataFrame, ranking: pd.DataFrame, root: Path | None = None
) -> PublishedComparison:
    """Join the reconstruction to the published Bærum grades, ranks and the 2024 top ten.

    ``consistent`` marks whether the published grade lies on the side of 3.5 that the published
    value has against the published average (false for the SOS02 2021 anomaly). The summary
    gives the mean and largest absolute grade difference over consistent rows, the share of
    grades on the same side of 3.5 and the rank differences.
    """
    require_columns(
        graded, ["region", "year", "key_figure", "value", "average", "grade"], "published"
    )
    require_columns(ranking, ["region", "year", "rank", "points", "score", "n_ranked"], "published")
    pub, top, source = _published(root)
    region = pub["region"].iloc[0]
    wide = pub[pub["measure"] != "rank"].pivot_table(
        index=["key_figure", "year", "barometer_year"], columns="measure", values="value"
    )
    wide = wide.add_suffix("_published").reset_index()
    better = {k.id: k.better for k in key_figures()}
    own = graded[graded["region"] == region][["key_figure", "year", "value", "average", "grade"]]
    kf = wide.merge(own, on=["key_figure", "year"], how="left")
    for m in ("value", "average", "grade"):
        kf[f"{m}_diff"] = kf[m] - kf[f"{m}_published"]
    sign = np.where(kf["key_figure"].map(better) == "higher", 1, -1)
    beats = np.sign(sign * (kf["value_published"] - kf["average_published"]))
    kf["consistent"] = (beats == np.sign(kf["grade_published"] - MID)) | (beats == 0)
    kf["same_side"] = np.sign(kf["grade"] - MID) == np.sign(kf["grade_published"] - MID)

    ranks = pub[pub["measure"] == "rank"][["barometer_year", "year", "value"]]
    ranks = ranks.rename(columns={"value": "rank_published"}).astype({"rank_published": int})
    mine = ranking[ranking["region"] == region][["year", "rank", "n_ranked", "score", "points"]]
    ranks = ranks.merge(mine, on="year", how="left")
    ranks["rank_diff"] = ranks["rank"] - ranks["rank_published"]

    t = top.rename(columns={"rank": "rank_published", "points": "points_published"})
    t = t.merge(ranking[["region", "year", "rank", "points"]], on=["region", "year"], how="left")
    t["points_diff"] = t["points"] - t["points_published"]

    ok = kf["consistent"] & kf["grade"].notna()
    summary = {
        "grade_mean_abs_diff": float(kf.loc[ok, "grade_diff"].abs().mean()),
        "grade_max_abs_diff": float(kf.loc[ok, "grade_diff"].abs().max()),
        "same_side_share": float(kf.loc[ok, "same_side"].mean()),
        "n_compared": int(ok.sum()),
        "rank_diff": dict(zip(ranks["barometer_year"], ranks["rank_diff"], strict=True)),
        "inconsistent": kf.loc[~kf["consistent"], ["key_figure", "year"]].values.tolist(),
    }
    return PublishedComparison(kf, ranks.reset_index(drop=True), t, summary, source)
