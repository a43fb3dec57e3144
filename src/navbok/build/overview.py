"""The national overview's numbers: key indicators of every municipality for the latest year.

:func:`overview` computes, once per build in the build process, one row per municipality of the
register's target vintage: its name, county, KOSTRA group, the key indicators
(:data:`KEY_INDICATORS`) for each indicator's newest year, and the reconstructed Kommunebarometer
score and rank (the same analysis functions the barometer chapter uses,
:mod:`navbok.analysis.barometer`). A missing value is never 0: it carries SSB's status symbol
(``..`` where the data give none). The landing page (:mod:`navbok.build.landing`), its maps and
the print summaries (:mod:`navbok.build.summary`) read this table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from navbok import geo
from navbok import groups as g
from navbok import indicators as ind
from navbok.analysis import barometer as kb
from navbok.analysis.aap_periods import LATEST as LATEST_AAP
from navbok.present.prose import month
from navbok.status import NOT_AVAILABLE

if TYPE_CHECKING:
    from navbok.data import NavData

__all__ = ["BAROMETER", "KEY_INDICATORS", "KeyIndicator", "Overview", "overview"]

#: The barometer column's id (not an indicator of the register).
BAROMETER = "barometer"


@dataclass(frozen=True)
class KeyIndicator:
    """One column of the overview: id, short Norwegian header, unit, decimals, direction."""

    id: str
    header: str
    unit: str
    decimals: int
    better: str = "neutral"  # lower | higher | neutral (lower: the map's scale is reversed)


#: The overview's key indicators, in column order (the barometer score last).
KEY_INDICATORS: tuple[KeyIndicator, ...] = (
    KeyIndicator("andel_18_66", "Sosialhjelp 18–66 (%)", "prosent", 2, "lower"),
    KeyIndicator(LATEST_AAP, "AAP (%)", "prosent", 2),
    KeyIndicator("utbetalt_per_innb_18_66", "Utbetalt per innb. 18–66 (kr)", "kr", 0),
    KeyIndicator("stonadslengde", "Stønadslengde (mnd)", "måneder", 1, "lower"),
    KeyIndicator("kvp_per_1000", "KVP per 1 000", "per 1 000", 2),
    KeyIndicator(BAROMETER, "Barometer (snittkarakter)", "karakter", 2, "higher"),
)


@dataclass
class Overview:
    """The overview table and what it needs to say about itself.

    ``frame``: one row per municipality (sorted by code) with ``kommune, name, county,
    county_name, kostra`` and per key indicator ``<id>`` (float or NaN) and ``<id>_status``
    (``""`` for a number, else a symbol); ``barometer_rank`` (Int64) and ``barometer_n``.
    ``years``: each key indicator's year; ``periods``: the period in words where it is not the
    year (AAP: its month, «oktober 2025»). ``labels``/``definitions``: the register's texts.
    ``search``: each municipality's code and every name, parallel names too, folded
    (:func:`navbok.regions.search_text`) for the overview's search box.
    """

    frame: pd.DataFrame
    years: dict[str, int]
    labels: dict[str, str] = field(default_factory=dict)
    definitions: dict[str, str] = field(default_factory=dict)
    landet: dict[str, tuple[float | None, str]] = field(default_factory=dict)
    periods: dict[str, str] = field(default_factory=dict)
    search: dict[str, str] = field(default_factory=dict)

    def period(self, key: str) -> str:
        """A key indicator's period in words («2024», «oktober 2025»; "" without data)."""
        if key in self.periods:
            return self.periods[key]
        year = self.years.get(key)
        return "" if year is None else str(year)

    def row(self, kommune: str) -> pd.Series:
        """The row of one municipality."""
        hit = self.frame[self.frame["kommune"] == kommune]
        if hit.empty:
            raise KeyError(kommune)
        return hit.iloc[0]


def _kostra(data: NavData, codes: list[str], year: int) -> dict[str, str]:
    """Each municipality's KOSTRA group («KOSTRA-gruppe 12») in ``year`` ("" where none)."""
    from navbok.sources.catalogue import catalogue

    try:
        cat = catalogue()
        assignments = {int(d[:4]): data.snapshot.kostra_groups(d)[0] for d in cat.kostra_groups}
        schemes = cat.kostra_scheme_years()
    except Exception:  # a snapshot without KLASS groups: the column stays empty
        return {}
    scheme = next((s for s, ys in schemes.items() if year in ys), None)
    direct: dict[str, str] = {}
    if scheme is not None and scheme in assignments:  # codes unchanged since the scheme
        frame = assignments[scheme]
        direct = dict(zip(frame["code"].astype(str), frame["group"].astype(str), strict=True))
    out = {}
    for code in codes:
        group = direct.get(code)
        if group is None:
            try:
                group = g.kostra_group(data.register, assignments, schemes, code, year)
            except (KeyError, ValueError):
                group = None
        out[code] = data.name(group) if group else ""
    return out


def _latest(values: pd.DataFrame, indicator: str, codes: list[str]) -> tuple[int | None, dict]:
    """The newest year with a value for any municipality, and code → (value, status)."""
    rows = values[(values["indicator"] == indicator) & values["region"].isin(codes)]
    with_value = rows[rows["value"].notna()]
    if with_value.empty:
        return None, {}
    year = int(with_value["year"].max())
    rows = rows[rows["year"] == year]
    out = {}
    for region, value, status in zip(rows["region"], rows["value"], rows["status"], strict=True):
        out[str(region)] = (value, status)
    return year, out


def _cell(value: object, status: object) -> tuple[float, str]:
    """(value, status) with the invariants: a number has no symbol; a missing one has one."""
    symbol = status if isinstance(status, str) and status else ""
    number = float(value) if value is not None and pd.notna(value) else float("nan")  # type: ignore[arg-type]
    if symbol:
        return float("nan"), symbol
    if pd.isna(number):
        return number, NOT_AVAILABLE
    return number, ""


def overview(data: NavData) -> Overview:
    """Key indicators, county, KOSTRA group and barometer score of every municipality.

    For each indicator the year is its newest with a value anywhere (stated in the page's
    headers); the barometer score is the reconstruction's weighted mean grade for its newest
    statistics year (``..`` when the municipality is not ranked: too few key figures)."""
    codes = list(data.register.target_codes)
    values = data.values
    register = ind.register()
    topology = geo.load_topology()
    counties = geo.names(topology, geo.FYLKER)
    frame = pd.DataFrame({"kommune": codes, "name": [data.name(c) for c in codes]})
    frame["county"] = [geo.county_of(c) for c in codes]
    frame["county_name"] = [counties.get(c, "") for c in frame["county"]]
    years: dict[str, int] = {}
    landet: dict[str, tuple[float | None, str]] = {}
    for key in KEY_INDICATORS:
        if key.id == BAROMETER:
            continue
        year, found = _latest(values, key.id, codes)
        cells = [_cell(*found.get(c, (None, ""))) for c in codes]
        frame[key.id] = [v for v, _ in cells]
        frame[f"{key.id}_status"] = [s for _, s in cells]
        if year is not None:
            years[key.id] = year
            _, nation = _latest(values[values["year"] == year], key.id, [g.LANDET])
            v, s = _cell(*nation.get(g.LANDET, (None, "")))
            landet[key.id] = (None if s else v, s)
    _barometer(data, frame, codes, years)
    newest = max(years.values()) if years else None
    frame["kostra"] = (
        frame["kommune"].map(_kostra(data, codes, newest)).fillna("") if newest else ""
    )
    labels = {k.id: register[k.id].label for k in KEY_INDICATORS if k.id in register}
    labels[BAROMETER] = "Kommunebarometeret, sektor Sosialtjeneste (åpen rekonstruksjon)"
    definitions = {
        k.id: " ".join(register[k.id].definition.split())
        for k in KEY_INDICATORS
        if k.id in register
    }
    definitions[BAROMETER] = (
        "Vektet snittkarakter 1–6 over elleve nøkkeltall (3,5 ved landsgjennomsnittet); "
        "kommuner med tall for under 60 % av vekten rangeres ikke."
    )
    periods = {}
    if LATEST_AAP in years and (aap := data.snapshot.aap_periods()):
        periods[LATEST_AAP] = month(aap[-1])  # the newest month: its year is the month's
    search = {c: data.register.search_text(c) for c in codes}
    return Overview(frame, years, labels, definitions, landet, periods, search)


def _barometer(data: NavData, frame: pd.DataFrame, codes: list[str], years: dict) -> None:
    """Add ``barometer``, ``barometer_status``, ``barometer_rank`` and ``barometer_n``."""

    def compute() -> tuple[pd.DataFrame, pd.DataFrame]:
        return kb.grade_and_rank(kb.key_figure_values(data.values, codes))

    try:
        _, ranking = data.memo("barometer", compute)
    except Exception:  # the overview never fails on the barometer: the column is missing
        ranking = pd.DataFrame()
    if ranking.empty:
        frame[BAROMETER] = float("nan")
        frame[f"{BAROMETER}_status"] = NOT_AVAILABLE
        frame[f"{BAROMETER}_rank"] = pd.array([None] * len(frame), dtype="Int64")
        frame[f"{BAROMETER}_n"] = 0
        return
    year = int(ranking["year"].max())
    years[BAROMETER] = year
    rows = ranking[ranking["year"] == year].set_index("region")
    ranked = rows["ranked"].reindex(codes).fillna(False).astype(bool)
    score = rows["score"].reindex(codes).where(ranked)
    frame[BAROMETER] = score.to_numpy(dtype=float)
    frame[f"{BAROMETER}_status"] = ["" if ok else NOT_AVAILABLE for ok in ranked]
    frame[f"{BAROMETER}_rank"] = rows["rank"].reindex(codes).where(ranked).astype("Int64").array
    frame[f"{BAROMETER}_n"] = int(rows["n_ranked"].max()) if len(rows) else 0
