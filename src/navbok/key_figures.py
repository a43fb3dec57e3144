"""The key figures: one definition of the headline facts a reader meets on several pages.

The same six figures — the social-assistance share 18–66, the AAP share of the newest month,
payouts per inhabitant 18–66, the duration of assistance, KVP per 1 000 and the reconstructed
Kommunebarometer score — appear on the national overview, in each book's introduction and
chapters, in its print summary, its workbook and the national files. They are defined here
once (:data:`KEY_FIGURES`) and computed once for every municipality (:func:`national`): each
figure at its newest period anywhere in the snapshot, with SSB's status symbol where the value is
missing and the estimate flag where it includes a population-share estimate. A book's own table
(:class:`Facts`, made by :mod:`navbok.report.facts` in the introduction's kernel and glued into
the executed notebook) takes the municipality's values from this table, adds its main comparison
and the country, and is what the print summary and the workbook read.

Every fact carries its period in words: «2024», «oktober 2025», «barometer 2025 (tall for
2024)».
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import pandas as pd

from navbok import groups as g
from navbok import indicators as ind
from navbok.analysis import barometer as kb
from navbok.analysis.aap_periods import LATEST as LATEST_AAP
from navbok.analysis.barometer_config import config as barometer_config
from navbok.errors import ConfigError
from navbok.national_facts import national_pass, persisted_pass
from navbok.register import register_doc
from navbok.status import NOT_AVAILABLE

if TYPE_CHECKING:
    from navbok.data import NavData

__all__ = [
    "BAROMETER",
    "KEY_FIGURES",
    "Fact",
    "Facts",
    "KeyFigure",
    "National",
    "barometer_edition",
    "barometer_period",
    "national",
]

#: The barometer's id (not an indicator of the register).
BAROMETER = "barometer"


@dataclass(frozen=True)
class KeyFigure:
    """One key figure: id, short Norwegian header, unit, decimals, direction, the chapter (page
    stem) of a book that discusses it, and its full label and definition (the overview's)."""

    id: str
    header: str
    unit: str
    decimals: int
    better: str = "neutral"  # lower | higher | neutral
    chapter: str = "intro"
    label: str = ""
    definition: str = ""


#: What a key figure takes from its indicator (besides the definition).
HEADLINE_FIELDS = ("headline", "unit", "decimals", "better", "label")


@cache
def key_figures() -> tuple[KeyFigure, ...]:
    """The register's ``key_figures`` (``indicators.yaml``), in their order: an indicator's
    headline, unit, decimals, direction, label and definition are the indicator's; the
    barometer's are declared with it."""
    register = ind.register()
    out = []
    for spec in register_doc().get("key_figures") or []:
        key = str(spec["id"])
        if key == BAROMETER:  # not an indicator: declared with the key figure
            texts = {k: spec[k] for k in HEADLINE_FIELDS}
            texts["definition"] = spec["definition"]
        elif key in register and register[key].headline:
            texts = {k: getattr(register[key], k) for k in (*HEADLINE_FIELDS, "definition")}
        else:
            raise ConfigError(f"indicators.yaml: key figure {key!r}: no indicator with a headline")
        out.append(
            KeyFigure(
                key,
                header=str(texts["headline"]),
                unit=str(texts["unit"]),
                decimals=int(texts["decimals"]),
                better=str(texts["better"]),
                chapter=str(spec.get("chapter", "intro")),
                label=str(texts["label"]),
                definition=" ".join(str(texts["definition"]).split()),
            )
        )
    return tuple(out)


#: The key figures, in the order every page shows them (the barometer score last): the
#: register's ``key_figures`` (:func:`key_figures`).
KEY_FIGURES: tuple[KeyFigure, ...] = key_figures()


def barometer_edition(statistics_year: int) -> str:
    """The barometer edition that uses ``statistics_year``: «2025 (tall for 2024)»."""
    return f"{statistics_year + barometer_config().data_lag} (tall for {statistics_year})"


def barometer_period(statistics_year: int) -> str:
    """The barometer's period in words: «barometer 2025 (tall for 2024)»."""
    return f"barometer {barometer_edition(statistics_year)}"


@dataclass
class National:
    """The key figures of every municipality at their newest period.

    ``frame``: one row per municipality of the register's target vintage (sorted by code) with
    ``kommune`` and per key figure ``<id>`` (float or NaN), ``<id>_status`` (``""`` for a number,
    else a symbol) and ``<id>_estimate`` (bool); ``barometer_rank`` (Int64) and ``barometer_n``.
    ``years``: each figure's (statistics) year; ``periods``: each figure's period in words;
    ``landet``: the country's (value, status) where SSB publishes one.
    """

    frame: pd.DataFrame
    years: dict[str, int]
    periods: dict[str, str]
    landet: dict[str, tuple[float | None, str]]

    def period(self, key: str) -> str:
        """A key figure's period in words («2024», «oktober 2025», «barometer 2025 (tall for
        2024)»; "" without data)."""
        return self.periods.get(key, "")

    def row(self, kommune: str) -> pd.Series:
        """The row of one municipality (KeyError if it is not in the register's vintage)."""
        hit = self.frame[self.frame["kommune"] == kommune]
        if hit.empty:
            raise KeyError(kommune)
        return hit.iloc[0]


def _latest(values: pd.DataFrame, indicator: str, codes: list[str]) -> tuple[int | None, dict]:
    """The newest year with a value for any of ``codes``, and code → (value, status, estimate)."""
    rows = values[(values["indicator"] == indicator) & values["region"].isin(codes)]
    with_value = rows[rows["value"].notna()]
    if with_value.empty:
        return None, {}
    year = int(with_value["year"].max())
    rows = rows[rows["year"] == year]
    estimate = rows["estimate"] if "estimate" in rows else pd.Series(False, index=rows.index)
    out = {}
    for region, value, symbol, est in zip(
        rows["region"], rows["value"], rows["status"], estimate.fillna(False), strict=True
    ):
        out[str(region)] = (value, symbol, bool(est))
    return year, out


def cell(value: object, status: object) -> tuple[float, str]:
    """(value, status) with the invariants: a number has no symbol; a missing one has one."""
    symbol = status if isinstance(status, str) and status else ""
    number = float(value) if value is not None and pd.notna(value) else float("nan")  # type: ignore[arg-type]
    if symbol:
        return float("nan"), symbol
    if pd.isna(number):
        return number, NOT_AVAILABLE
    return number, ""


@persisted_pass
def national(data: NavData) -> National:
    """The key figures of every municipality (a national fact: computed once per snapshot and
    code version, :mod:`navbok.national_facts`).

    Each indicator at its newest year with a value anywhere (the AAP share at the newest month
    the snapshot holds); the barometer at the reconstruction's newest statistics year, a
    municipality without a score (too few key figures) ``..``."""
    codes = list(data.register.target_codes)
    values = data.values
    frame = pd.DataFrame({"kommune": codes})
    years: dict[str, int] = {}
    periods: dict[str, str] = {}
    landet: dict[str, tuple[float | None, str]] = {}
    for key in KEY_FIGURES:
        if key.id == BAROMETER:
            continue
        year, found = _latest(values, key.id, codes)
        cells = [found.get(c, (None, "", False)) for c in codes]
        shown = [cell(v, s) for v, s, _ in cells]
        frame[key.id] = [v for v, _ in shown]
        frame[f"{key.id}_status"] = [s for _, s in shown]
        frame[f"{key.id}_estimate"] = [bool(e) and not s for (_, _, e), (_, s) in zip(
            cells, shown, strict=True)]  # fmt: skip
        if year is None:
            continue
        years[key.id] = year
        periods[key.id] = str(year)
        _, nation = _latest(values[values["year"] == year], key.id, [g.LANDET])
        v, s = cell(*nation.get(g.LANDET, (None, "", False))[:2])
        landet[key.id] = (None if s else v, s)
    if LATEST_AAP in years and (aap := data.snapshot.aap_periods()):
        from navbok.present.prose import month

        periods[LATEST_AAP] = month(aap[-1])  # the newest month: its year is the month's
    _barometer(data, frame, codes, years, periods)
    return National(frame, years, periods, landet)


@persisted_pass
def barometer_results(data: NavData) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(graded, ranking)`` of the barometer reconstruction for every municipality of the
    register's vintage and every year (a national fact: the chapter and the overview read the
    same)."""
    values = kb.key_figure_values(data.values, data.register.target_codes)
    return kb.grade_and_rank(values)


@persisted_pass
def _scenarios(data: NavData) -> dict[int, dict]:
    """The barometer's weight scenarios ranked in every statistics year (a book shows its
    params' barometer edition), by year."""
    from navbok.analysis import barometer_tables as kbt

    out: dict[int, dict] = {}
    try:
        graded, _ = barometer_results(data)
    except Exception:  # then the chapter computes (and reports) it itself
        return out
    for year in sorted(int(y) for y in graded["year"].unique()):
        try:
            out[year] = kbt.scenario_rankings(graded, year)
        except Exception:  # as above
            continue
    return out


@national_pass
def barometer_scenarios(data: NavData, year: int) -> dict:
    """Every municipality's rank under each weight scenario in ``year``
    (:func:`navbok.analysis.barometer_tables.scenario_rankings`), from the national facts."""
    rankings = _scenarios(data).get(year)
    if rankings is not None:
        return rankings
    from navbok.analysis import barometer_tables as kbt

    return kbt.scenario_rankings(barometer_results(data)[0], year)


def _barometer(
    data: NavData, frame: pd.DataFrame, codes: list[str], years: dict, periods: dict
) -> None:
    """Add ``barometer``, ``barometer_status``, ``barometer_rank`` and ``barometer_n``."""
    try:
        _, ranking = barometer_results(data)
    except Exception:  # the key figures never fail on the barometer: the column is missing
        ranking = pd.DataFrame()
    frame[f"{BAROMETER}_estimate"] = False
    if ranking.empty:
        frame[BAROMETER] = float("nan")
        frame[f"{BAROMETER}_status"] = NOT_AVAILABLE
        frame[f"{BAROMETER}_rank"] = pd.array([None] * len(frame), dtype="Int64")
        frame[f"{BAROMETER}_n"] = 0
        return
    year = int(ranking["year"].max())
    years[BAROMETER] = year
    periods[BAROMETER] = barometer_period(year)
    rows = ranking[ranking["year"] == year]
    rows = rows.assign(shown=kb.shown(rows)).set_index("region")
    ranked = rows["shown"].reindex(codes).fillna(False).astype(bool)
    score = rows["score"].reindex(codes).where(ranked)
    frame[BAROMETER] = score.to_numpy(dtype=float)
    frame[f"{BAROMETER}_status"] = ["" if ok else NOT_AVAILABLE for ok in ranked]
    frame[f"{BAROMETER}_rank"] = rows["rank"].reindex(codes).where(ranked).astype("Int64").array
    frame[f"{BAROMETER}_n"] = int(rows["n_ranked"].max()) if len(rows) else 0


# ---------------------------------------------------------------------- a book's facts
#: A fact's role: the municipality itself, its main comparison, the country.
ROLES = ("kommune", "sammenligning", "landet")


@dataclass(frozen=True)
class Fact:
    """One headline fact of a book: a key figure's value for one series in one period.

    ``key``: the key figure's id (:data:`KEY_FIGURES`), or ``<id>:<suffix>`` for a second
    period of the same figure (the barometer edition a params file chose); ``label`` the
    figure's header; ``period`` in words; ``series`` the name a reader sees («Bærum»,
    «ASSS-snittet», «Landet»); ``role`` one of :data:`ROLES`; ``value`` (None when missing)
    with ``status`` (SSB's symbol, "" for a number); ``estimate`` when the value includes a
    population-share estimate; ``rank``/``n`` a place among ``n`` (the barometer)."""

    key: str
    label: str
    period: str
    series: str
    role: str
    value: float | None
    status: str
    decimals: int
    unit: str
    estimate: bool = False
    rank: int | None = None
    n: int | None = None

    def record(self) -> dict[str, Any]:
        """The fact as a JSON-ready mapping."""
        return asdict(self)


class Facts(tuple[Fact, ...]):
    """A book's headline facts, in the order of :data:`KEY_FIGURES` and :data:`ROLES`."""

    def get(self, key: str, role: str = "kommune") -> Fact | None:
        """The fact of ``key`` for ``role`` (None when the book has none)."""
        return next((f for f in self if f.key == key and f.role == role), None)

    def records(self) -> list[dict[str, Any]]:
        """Every fact as a JSON-ready mapping."""
        return [f.record() for f in self]

    @classmethod
    def from_records(cls, records: list[dict[str, Any]]) -> Facts:
        """Facts from :meth:`records` (as read back from the executed notebook)."""
        return cls(Fact(**r) for r in records)


def kommune_facts(nat: National, kommune: str, name: str) -> list[Fact]:
    """The municipality's and the country's facts, straight from the national table (so the
    overview row and the book can never differ)."""
    row = nat.row(kommune)
    out: list[Fact] = []
    for key in KEY_FIGURES:
        period = nat.period(key.id)
        if not period:
            continue
        symbol = str(row[f"{key.id}_status"])
        rank = n = None
        if key.id == BAROMETER and not symbol:
            rank, n = int(row[f"{BAROMETER}_rank"]), int(row[f"{BAROMETER}_n"])
        out.append(
            Fact(
                key.id,
                key.header,
                period,
                name,
                "kommune",
                value=None if symbol else float(row[key.id]),
                status=symbol,
                decimals=key.decimals,
                unit=key.unit,
                estimate=bool(row[f"{key.id}_estimate"]),
                rank=rank,
                n=n,
            )  # fmt: skip
        )
        if key.id in nat.landet:
            v, s = nat.landet[key.id]
            out.append(
                Fact(
                    key.id,
                    key.header,
                    period,
                    "Landet",
                    "landet",
                    value=v,
                    status=s,
                    decimals=key.decimals,
                    unit=key.unit,
                )  # fmt: skip
            )
    return out
