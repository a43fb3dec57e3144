"""Settings of the Kommunebarometer reconstruction: ``config/barometer.yaml`` and weights."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
import yaml

from navbok.errors import ConfigError, NavbokError
from navbok.indicators import register

BETTER = ("lower", "higher")


class BarometerInputError(NavbokError, ValueError):
    """A frame handed to the barometer lacks columns or has values it cannot use."""


@dataclass(frozen=True)
class KeyFigure:
    """One key figure of the sector (``weight`` in percent of the sector)."""

    id: str
    label: str
    indicator: str
    better: str
    weight: float
    note: str = ""
    first_year: int | None = None
    printed_weight: float | None = None

    @property
    def title(self) -> str:
        """«SOS01 Stønadslengde 18–24 år (mnd)»: the code with its indicator's short name."""
        return f"{self.id} {register()[self.indicator].name}"


@dataclass(frozen=True)
class LimitRule:
    """How the best and worst limits are set from the municipal distribution."""

    method: str = "percentile"
    tail: float = 0.05
    k: float = 2.0
    min_municipalities: int = 10

    def __post_init__(self) -> None:
        if self.method not in ("percentile", "sd"):
            raise ConfigError(f"limit rule: method must be percentile or sd, not {self.method!r}")
        if self.method == "percentile" and not 0 < self.tail < 0.5:
            raise ConfigError(f"limit rule: tail must be between 0 and 0.5, not {self.tail}")
        if self.method == "sd" and not self.k > 0:
            raise ConfigError(f"limit rule: k must be positive, not {self.k}")


@dataclass(frozen=True)
class Config:
    """The sector's settings from ``config/barometer.yaml``."""

    key_figures: list[KeyFigure]
    sector_weight: float
    data_lag: int
    min_weight_share: float
    rank_decimals: int | None
    limit_rule: LimitRule = field(default_factory=LimitRule)

    @property
    def weights(self) -> dict[str, float]:
        """Key-figure weights in percent of the sector."""
        return {k.id: k.weight for k in self.key_figures}


def _parse(doc: dict[str, Any]) -> Config:
    try:
        kfs = [KeyFigure(**spec) for spec in doc["key_figures"]]
        rules, sector = doc["rules"], doc["sector"]
        lim = dict(rules["limits"])
        lim.setdefault("min_municipalities", rules.get("min_municipalities", 10))
        cfg = Config(
            key_figures=kfs,
            sector_weight=float(sector["weight"]),
            data_lag=int(sector["data_lag"]),
            min_weight_share=float(rules["min_weight_share"]),
            rank_decimals=rules.get("rank_decimals"),
            limit_rule=LimitRule(**lim),
        )
    except (KeyError, TypeError) as exc:
        raise ConfigError(f"barometer.yaml: missing or unknown setting: {exc}") from exc
    if rules.get("average") != "unweighted_mean":
        raise ConfigError("barometer.yaml: rules.average must be 'unweighted_mean'")
    ids = [k.id for k in kfs]
    if len(set(ids)) != len(ids):
        raise ConfigError("barometer.yaml: a key figure id is declared twice")
    known = register()
    for k in kfs:
        if k.better not in BETTER:
            raise ConfigError(f"barometer.yaml: {k.id}: better must be 'lower' or 'higher'")
        if k.indicator not in known:
            raise ConfigError(f"barometer.yaml: {k.id}: unknown indicator {k.indicator!r}")
        if known[k.indicator].better != k.better:
            raise ConfigError(
                f"barometer.yaml: {k.id}: better={k.better} but indicator {k.indicator} "
                f"is better={known[k.indicator].better} in indicators.yaml"
            )
    validate_weights(cfg.weights, ids)
    return cfg


@cache
def config() -> Config:
    """The packaged configuration, validated (weights must add up to 100)."""
    text = resources.files("navbok").joinpath("config/barometer.yaml").read_text("utf-8")
    return _parse(yaml.safe_load(text))


def key_figures() -> list[KeyFigure]:
    """The sector's key figures in the configured order."""
    return list(config().key_figures)


def key_figure_title(key_figure: str) -> str:
    """:attr:`KeyFigure.title` of a key figure's id (the id itself when it is unknown)."""
    spec = {k.id: k for k in config().key_figures}.get(key_figure)
    return key_figure if spec is None else spec.title


def _kf_ids() -> list[str]:
    return [k.id for k in config().key_figures]


def validate_weights(weights: dict[str, float], ids: list[str] | None = None) -> dict[str, float]:
    """Check that ``weights`` names every key figure once, is non-negative and sums to 100."""
    ids = _kf_ids() if ids is None else ids
    unknown = sorted(set(weights) - set(ids))
    if unknown:
        raise ConfigError(f"barometer weights: unknown key figure(s) {', '.join(unknown)}")
    missing = [i for i in ids if i not in weights]
    if missing:
        raise ConfigError(f"barometer weights: no weight for {', '.join(missing)}")
    bad = [k for k, w in weights.items() if not np.isfinite(w) or w < 0]
    if bad:
        raise ConfigError(f"barometer weights: negative or missing weight for {', '.join(bad)}")
    total = float(sum(weights.values()))
    if abs(total - 100) > 1e-6:
        raise ConfigError(f"barometer weights must add up to 100 (percent), not {total:g}")
    return {i: float(weights[i]) for i in ids}


def normalise_weights(weights: dict[str, float]) -> dict[str, float]:
    """Weights rescaled to add up to 100; key figures left out get weight 0."""
    full = {i: float(weights.get(i, 0.0)) for i in _kf_ids()}
    unknown = sorted(set(weights) - set(full))
    if unknown:
        raise ConfigError(f"barometer weights: unknown key figure(s) {', '.join(unknown)}")
    total = sum(full.values())
    if not total > 0:
        raise ConfigError("barometer weights: at least one key figure needs a positive weight")
    return validate_weights({i: w * 100 / total for i, w in full.items()})


def require_columns(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    """Raise :class:`BarometerInputError` naming the columns ``frame`` lacks."""
    if not isinstance(frame, pd.DataFrame):
        raise BarometerInputError(f"{what}: expected a DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise BarometerInputError(f"{what}: missing column(s) {', '.join(missing)}")
