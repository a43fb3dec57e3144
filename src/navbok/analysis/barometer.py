"""Kommunebarometeret, sector «Sosialtjeneste»: grades and ranks reconstructed from SSB data.

The key figures, weights and rules are declared in ``config/barometer.yaml``. The pipeline::

    kf = key_figure_values(data.values, data.register.target_codes)   # long key-figure values
    graded = grade_all(kf)          # national average, best/worst limits and every grade
    ranking = rank(graded)          # sector score, points and rank per municipality and year

Years are statistics (data) years throughout; ``barometer_year`` columns add the configured lag
(Kommunebarometeret 2024 uses 2023 figures). Tables for a chapter are in
:mod:`navbok.analysis.barometer_tables`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from navbok.analysis.barometer_config import (
    BETTER,
    BarometerInputError,
    Config,
    KeyFigure,
    LimitRule,
    config,
    key_figures,
    normalise_weights,
    require_columns,
    validate_weights,
)
from navbok.errors import ConfigError

__all__ = [
    "BarometerInputError",
    "Config",
    "KeyFigure",
    "LimitRule",
    "MIN_GRADED_KEY_FIGURES",
    "Standing",
    "shown",
    "config",
    "grade",
    "grade_all",
    "implied_limit",
    "key_figure_values",
    "key_figures",
    "limits",
    "normalise_weights",
    "grade_and_rank",
    "rank",
    "require_columns",
    "standing",
    "validate_weights",
]

MID, TOP, BOTTOM = 3.5, 6.0, 1.0
#: Fewer graded key figures than this and an average grade says nothing about the sector (one
#: grade of 6 would be an «average» of 6): no score, contributions or sensitivity are shown.
MIN_GRADED_KEY_FIGURES = 3
KF_COLUMNS = ["region", "year", "key_figure", "value", "status"]


def key_figure_values(values: pd.DataFrame, municipalities: list[str]) -> pd.DataFrame:
    """Key-figure values for the given municipality codes from the indicator frame.

    ``values`` has columns ``region, year, indicator, value, status`` (``NavData.values``). The
    result has one row per municipality × year × key figure in force (``region, year,
    key_figure, value, status``), with a missing value where the indicator has none, so every
    municipality is present in every year. Years are those with data for any key figure.
    """
    require_columns(values, ["region", "year", "indicator", "value", "status"], "key_figure_values")
    kfs = key_figures()
    by_indicator = {k.indicator: k.id for k in kfs}
    wanted = values["indicator"].isin(list(by_indicator)) & values["region"].isin(municipalities)
    sel = values[wanted]
    sel = sel.assign(key_figure=sel["indicator"].map(by_indicator))
    years = sorted(int(y) for y in sel.loc[sel["value"].notna(), "year"].unique())
    grid = pd.MultiIndex.from_product(
        [list(municipalities), years, [k.id for k in kfs]], names=["region", "year", "key_figure"]
    ).to_frame(index=False)
    first = pd.Series({k.id: k.first_year or -1 for k in kfs})
    grid = grid[grid["year"] >= grid["key_figure"].map(first)]
    out = grid.merge(
        sel[["region", "year", "key_figure", "value", "status"]].astype({"year": int}),
        on=["region", "year", "key_figure"],
        how="left",
    )
    out["value"] = out["value"].astype(float)
    out["status"] = out["status"].astype(object).where(out["status"].notna(), None)
    return out[KF_COLUMNS].reset_index(drop=True)


def _sign(better: Any) -> np.ndarray:
    arr = np.asarray(better, dtype=object)
    ok = np.isin(arr, BETTER)
    if not ok.all():
        raise BarometerInputError(f"better must be 'lower' or 'higher', got {set(arr[~ok])}")
    return np.where(arr == "higher", 1.0, -1.0)


def grade(value: Any, average: Any, best: Any, worst: Any, better: Any) -> Any:
    """The grade 1–6: 3.5 at ``average``, 6 at ``best``, 1 at ``worst``, linear and capped.

    Vectorised over scalars, arrays and Series (a Series in gives a Series back, same index;
    several Series are combined by position, so give them the same index).
    ``better`` is ``"lower"`` or ``"higher"`` (or an array of them). A missing value or average
    gives a missing grade; a limit only matters on its own side of the average. A limit that
    equals the average gives 6 (or 1) to every value beyond it.
    """
    index = next((x.index for x in (value, average, best, worst) if isinstance(x, pd.Series)), None)
    v, a, b, w = (np.asarray(x, dtype=float) for x in (value, average, best, worst))
    s = _sign(better)
    gain = s * (v - a)  # > 0 = better than the average
    up, down = s * (b - a), s * (a - w)
    if np.any(up < 0) or np.any(down < 0):
        raise BarometerInputError(
            "grade: a best limit on the bad side of the average or a worst limit on the good side"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        k = np.where(gain >= 0, MID + (TOP - MID) * gain / up, MID + (MID - BOTTOM) * gain / down)
    k = np.where(gain == 0, MID, k)
    k = np.clip(k, BOTTOM, TOP)
    k = np.where(np.isnan(v) | np.isnan(a), np.nan, k)
    if index is not None:
        return pd.Series(np.broadcast_to(k, len(index)), index=index, dtype=float)
    return k.item() if k.ndim == 0 else k


def implied_limit(value: Any, average: Any, karakter: Any, better: Any) -> Any:
    """Back-solve the limit on the value's side from a published grade (NaN if capped at 1/6).

    The inverse of :func:`grade` for one side: ``karakter`` above 3.5 gives the best limit,
    below 3.5 the worst limit. Returns the limit value.
    """
    v, a, k = (np.asarray(x, dtype=float) for x in (value, average, karakter))
    with np.errstate(divide="ignore", invalid="ignore"):
        span = np.where(k >= MID, (TOP - MID) / (k - MID), (MID - BOTTOM) / (MID - k))
        limit = a + (v - a) * span
    return np.where((k <= BOTTOM) | (k >= TOP) | (k == MID), np.nan, limit)


def _limits_frame(kf_values: pd.DataFrame, rule: LimitRule, better: dict[str, str]) -> pd.DataFrame:
    better = pd.Series(better, name="better", dtype=object)
    data = kf_values.dropna(subset=["value"])
    grp = data.groupby(["key_figure", "year"])["value"]
    stats = pd.DataFrame({"n": grp.size(), "average": grp.mean()})
    if rule.method == "percentile":
        low, high = grp.quantile(rule.tail), grp.quantile(1 - rule.tail)
    else:
        sd = grp.std(ddof=1)
        low, high = stats["average"] - rule.k * sd, stats["average"] + rule.k * sd
    stats = stats.join(better, on="key_figure")
    hi = stats["better"] == "higher"
    # A limit never lies on the wrong side of the average (possible for skewed distributions).
    avg = stats["average"]
    low, high = np.fmin(low, avg), np.fmax(high, avg)
    stats["best"] = high.where(hi, low)
    stats["worst"] = low.where(hi, high)
    few = stats["n"] < rule.min_municipalities
    stats.loc[few, ["average", "best", "worst"]] = np.nan
    return stats.reset_index()


def limits(
    values: pd.Series, better: str, rule: LimitRule | None = None
) -> tuple[float, float, float]:
    """``(average, best, worst)`` for one key figure and year from the municipal values."""
    rule = rule or config().limit_rule
    _sign(better)
    frame = pd.DataFrame({"key_figure": "kf", "year": 0, "value": pd.Series(values, dtype=float)})
    row = _limits_frame(frame, rule, {"kf": better})
    if row.empty:
        return (np.nan, np.nan, np.nan)
    r = row.iloc[0]
    return float(r["average"]), float(r["best"]), float(r["worst"])


def grade_all(kf_values: pd.DataFrame, rule: LimitRule | None = None) -> pd.DataFrame:
    """Limits and grades for every key figure, year and municipality.

    ``kf_values`` is :func:`key_figure_values` output. Adds ``better, n, average, best, worst,
    grade`` (``n`` = municipalities with data for the key figure and year).
    """
    require_columns(kf_values, ["region", "year", "key_figure", "value"], "grade_all")
    unknown = sorted(set(kf_values["key_figure"]) - {k.id for k in key_figures()})
    if unknown:
        raise BarometerInputError(f"grade_all: unknown key figure(s) {', '.join(unknown)}")
    better = {k.id: k.better for k in key_figures()}
    stats = _limits_frame(kf_values, rule or config().limit_rule, better).drop(columns="better")
    out = kf_values.assign(better=kf_values["key_figure"].map(better)).merge(
        stats, on=["key_figure", "year"], how="left"
    )
    out["n"] = out["n"].fillna(0).astype(int)
    out["grade"] = grade(out["value"], out["average"], out["best"], out["worst"], out["better"])
    return out


def rank(
    grades: pd.DataFrame,
    weights: dict[str, float] | None = None,
    min_share: float | None = None,
) -> pd.DataFrame:
    """Sector score, points and rank per municipality and year.

    ``grades`` is :func:`grade_all` output (``region, year, key_figure, grade``). ``weights``
    (percent, adding up to 100) default to the configured ones. Columns: ``region, year,
    barometer_year, score`` (weighted mean grade over key figures with data), ``points``
    (score × sector weight), ``weight_share`` (share of the year's key-figure weight with data),
    ``n_key_figures``, ``ranked``, ``rank`` (Int64; ties share the best place), ``n_ranked`` and
    ``reason`` (why a municipality is not ranked).
    """
    require_columns(grades, ["region", "year", "key_figure", "grade"], "rank")
    cfg = config()
    w = validate_weights(weights if weights is not None else cfg.weights)
    min_share = cfg.min_weight_share if min_share is None else float(min_share)
    if not 0 <= min_share <= 1:
        raise ConfigError(f"rank: min_share must be between 0 and 1, not {min_share}")
    unknown = sorted(set(grades["key_figure"]) - set(w))
    if unknown:
        raise BarometerInputError(f"rank: unknown key figure(s) {', '.join(unknown)}")
    g = grades[["region", "year", "key_figure", "grade"]].assign(w=grades["key_figure"].map(w))
    has = g["grade"].notna()
    total = g.drop_duplicates(["year", "key_figure"]).groupby("year")["w"].sum()
    keys = [g["region"], g["year"]]
    out = pd.DataFrame(
        {
            "w": g["w"].where(has, 0.0).groupby(keys).sum(),
            "gw": (g["grade"].fillna(0) * g["w"]).groupby(keys).sum(),
            "n_key_figures": has.groupby(keys).sum().astype(int),
        }
    ).reset_index()
    out["score"] = (out["gw"] / out["w"]).where(out["w"] > 0)
    out["points"] = out["score"] * cfg.sector_weight / 100
    out["weight_share"] = out["w"] / out["year"].map(total)
    out["ranked"] = out["score"].notna() & (out["weight_share"] >= min_share - 1e-12)
    key = out["points"] if cfg.rank_decimals is None else out["points"].round(cfg.rank_decimals)
    out["rank"] = (
        key.where(out["ranked"]).groupby(out["year"]).rank(method="min", ascending=False)
    ).astype("Int64")
    out["n_ranked"] = out.groupby("year")["ranked"].transform("sum").astype(int)
    out["reason"] = [
        ""
        if ok
        else "ingen tall"
        if n == 0
        else f"tall for {100 * s:.0f} % av vekten (krav: {100 * min_share:.0f} %)"
        for ok, n, s in zip(out["ranked"], out["n_key_figures"], out["weight_share"], strict=True)
    ]
    out["barometer_year"] = out["year"] + cfg.data_lag
    cols = ["region", "year", "barometer_year", "score", "points", "weight_share"]
    cols += ["n_key_figures", "ranked", "rank", "n_ranked", "reason"]
    return out[cols].sort_values(["year", "rank", "region"]).reset_index(drop=True)


def grade_and_rank(
    kf_values: pd.DataFrame,
    rule: LimitRule | None = None,
    weights: dict[str, float] | None = None,
    min_share: float | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`grade_all` then :func:`rank`: ``(graded, ranking)`` for all municipalities."""
    graded = grade_all(kf_values, rule)
    return graded, rank(graded, weights, min_share)


@dataclass(frozen=True)
class Standing:
    """Where one municipality stands in one statistics year, and what can be shown of it.

    ``ranked`` follows the 60 % rule (:func:`rank`); ``n_key_figures`` of ``n_in_force`` key
    figures have a grade. :attr:`has_score` says whether the score, its contributions and the
    rank under other weightings mean anything: only for a ranked municipality with at least
    :data:`MIN_GRADED_KEY_FIGURES` grades.
    """

    ranked: bool
    n_key_figures: int
    n_in_force: int
    weight_share: float
    rank: int | None
    n_ranked: int
    score: float | None = None

    @property
    def has_score(self) -> bool:
        """Whether the average grade and everything built on it (contributions, sensitivity,
        the municipality's place) can be shown."""
        return self.ranked and self.n_key_figures >= MIN_GRADED_KEY_FIGURES


def shown(ranking: pd.DataFrame) -> pd.Series:
    """Per row of :func:`rank` output: whether the score and the place are shown
    (:attr:`Standing.has_score`: ranked, with at least :data:`MIN_GRADED_KEY_FIGURES` grades)."""
    return ranking["ranked"].fillna(False).astype(bool) & (
        ranking["n_key_figures"] >= MIN_GRADED_KEY_FIGURES
    )


def standing(ranking: pd.DataFrame, kommune: str, year: int) -> Standing:
    """The municipality's :class:`Standing` in ``year`` from :func:`rank` output (not ranked,
    with no grades, when it has no row that year)."""
    require_columns(
        ranking, ["region", "year", "ranked", "rank", "n_key_figures", "weight_share"], "standing"
    )
    in_force = sum(1 for k in key_figures() if (k.first_year or -1) <= year)
    rows = ranking[(ranking["region"] == kommune) & (ranking["year"] == year)]
    year_rows = ranking[ranking["year"] == year]
    n_ranked = int(year_rows["ranked"].sum()) if len(year_rows) else 0
    if rows.empty:
        return Standing(False, 0, in_force, 0.0, None, n_ranked)
    r = rows.iloc[0]
    ranked = bool(r["ranked"])
    share = float(r["weight_share"]) if r["weight_share"] == r["weight_share"] else 0.0
    return Standing(
        ranked=ranked,
        n_key_figures=int(r["n_key_figures"]),
        n_in_force=in_force,
        weight_share=share,
        rank=int(r["rank"]) if ranked and not pd.isna(r["rank"]) else None,
        n_ranked=n_ranked,
        score=float(r["score"]) if "score" in r and pd.notna(r["score"]) else None,
    )
