"""Municipality register, code changes and harmonisation to one code vintage.

SSB's KOSTRA tables use the municipality codes valid in each statistics year (Bærum is 0219 to
2019, 3024 in 2020–2023, 3201 from 2024). navbok maps every year's codes onto one target vintage
(by default the newest register in the snapshot) by following KLASS code changes:

* a renumbering or a merger maps each old code wholly onto its successor (weight 1), so counts of
  merged municipalities are summed;
* a split spreads the old code over its successors with population weights (the successors'
  population in the year of the change) and marks the result ``split``.

Rates are never averaged: they are recomputed from harmonised numerators and denominators
(see :mod:`navbok.indicators`).
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd
import yaml

from navbok.errors import RegionError
from navbok.status import NOT_AVAILABLE
from navbok.status import ORDER as STATUS_ORDER


@cache
def regions_config() -> dict:
    """The packaged regional configuration (``config/regions.yaml``)."""
    text = resources.files("navbok").joinpath("config/regions.yaml").read_text("utf-8")
    return yaml.safe_load(text)


SplitWeights = Callable[[str, list[str], int], dict[str, float]]


@dataclass(frozen=True)
class Municipality:
    """A municipality in the target vintage, as resolved from user input."""

    code: str
    name: str
    notice: str = ""


class Register:
    """The municipality registers of a snapshot and the changes between them."""

    def __init__(
        self,
        registers: dict[str, pd.DataFrame],
        changes: pd.DataFrame,
        target: str | None = None,
        whole_successor: dict[str, str] | None = None,
    ) -> None:
        if not registers:
            raise RegionError("No municipality register (KLASS codesAt) in the snapshot")
        self.registers = dict(sorted(registers.items()))
        self.changes = changes.sort_values("date").reset_index(drop=True)
        self.target_date = target or max(self.registers)
        if self.target_date not in self.registers:
            raise RegionError(f"No register for the target vintage {self.target_date}")
        reg = self.registers[self.target_date]
        self.names: dict[str, str] = dict(zip(reg["code"], reg["name"], strict=True))
        if whole_successor is None:
            whole_successor = regions_config()["whole_successor"]
        self.whole_successor = {str(k): str(v) for k, v in whole_successor.items()}
        self._edges: list[tuple[pd.Timestamp, dict[str, list[str]]]] = []
        for date, grp in self.changes.groupby("date"):
            edges: dict[str, list[str]] = defaultdict(list)
            for old, new in zip(grp["old"], grp["new"], strict=True):
                if new not in edges[old]:
                    edges[old].append(new)
            self._edges.append((date, dict(edges)))
        self._valid: dict[int, set[str]] = {}
        self._all_names: dict[str, str] | None = None
        self._preds: dict[int, dict[str, list[str]]] = {}

    @classmethod
    def from_snapshot(cls, snapshot, target: str | None = None) -> Register:
        """Build the register from a :class:`~navbok.snapshot.Snapshot`."""
        regs = {d: snapshot.codes_at(d) for d in snapshot.register_dates()}
        return cls(regs, snapshot.changes(), target)

    @property
    def target_codes(self) -> list[str]:
        """Municipality codes of the target vintage."""
        return sorted(self.names)

    def all_names(self) -> dict[str, str]:
        """Every code ever seen (registers and changes), with its latest name."""
        if self._all_names is None:
            self._all_names = self._compute_all_names()
        return dict(self._all_names)

    def _compute_all_names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for reg in self.registers.values():
            names.update(zip(reg["code"], reg["name"], strict=True))
        for row in self.changes.itertuples():
            names.setdefault(row.old, row.old_name)
            names.setdefault(row.new, row.new_name)
        names.update(self.names)
        return names

    def valid_codes(self, year: int) -> set[str]:
        """Codes valid on 1 January of ``year`` (the borders KOSTRA uses for that year)."""
        if year not in self._valid:
            self._valid[year] = self._compute_valid(year)
        return set(self._valid[year])

    def _compute_valid(self, year: int) -> set[str]:
        day = pd.Timestamp(f"{year}-01-01")
        dates = [d for d in self.registers if pd.Timestamp(d) <= day]
        base_date = max(dates) if dates else min(self.registers)
        codes = set(self.registers[base_date]["code"])
        base = pd.Timestamp(base_date)
        if base <= day:
            applied = self.changes[(self.changes["date"] > base) & (self.changes["date"] <= day)]
        else:  # year before the oldest register: walk changes backwards
            applied = self.changes[(self.changes["date"] > day) & (self.changes["date"] <= base)]
            for _, grp in applied.sort_values("date", ascending=False).groupby("date", sort=False):
                codes -= set(grp["new"])
                codes |= set(grp["old"])
            return codes
        for _, grp in applied.groupby("date"):
            codes -= set(grp["old"])
            codes |= set(grp["new"])
        return codes

    def successors(
        self, code: str, year: int, split_weights: SplitWeights | None = None
    ) -> dict[str, float]:
        """Where a code valid in ``year`` ends up in the target vintage (weights sum to 1)."""
        if code in self.whole_successor:
            return {self.whole_successor[code]: 1.0}
        current: dict[str, float] = {code: 1.0}
        start = pd.Timestamp(f"{year}-01-01")
        target = pd.Timestamp(self.target_date)
        for date, edges in self._edges:
            if not start < date <= target:
                continue
            nxt: dict[str, float] = defaultdict(float)
            for c, w in current.items():
                succ = edges.get(c)
                if not succ:
                    nxt[c] += w
                elif len(succ) == 1:
                    nxt[succ[0]] += w
                else:
                    weights = (split_weights or _equal_weights)(c, succ, date.year)
                    total = sum(weights.values())
                    for s in succ:
                        nxt[s] += w * weights.get(s, 0.0) / total
            current = dict(nxt)
        return current

    def code_map(self, years: list[int], split_weights: SplitWeights | None = None) -> pd.DataFrame:
        """Mapping for each year: ``year, old, new, weight, split`` (old = code valid that year)."""
        rows: list[tuple[int, str, str, float, bool]] = []
        for year in years:
            for code in sorted(self.valid_codes(year)):
                succ = self.successors(code, year, split_weights)
                split = len(succ) > 1
                rows.extend((year, code, new, w, split) for new, w in succ.items())
        return pd.DataFrame(rows, columns=["year", "old", "new", "weight", "split"])

    def resolve(self, query: str) -> Municipality:
        """Resolve a code or name to a municipality of the target vintage.

        An old code (e.g. 0219) maps to its successor with a notice; unknown input raises
        :class:`RegionError` listing the closest matches.
        """
        q = str(query).strip()
        if q.isdigit() and len(q) < 4:
            q = q.zfill(4)
        if q in self.names:
            return Municipality(q, self.names[q])
        by_name = {n.casefold(): c for c, n in self.names.items()}
        short = {n.split(" - ")[0].casefold(): c for c, n in self.names.items()}
        key = q.casefold()
        if key in by_name or key in short:
            code = by_name.get(key) or short[key]
            return Municipality(code, self.names[code])
        all_names = self.all_names()
        old_by_name = {n.split(" - ")[0].casefold(): c for c, n in all_names.items()}
        if q not in all_names and key in old_by_name:
            q = old_by_name[key]
        if q in all_names:
            year = self._last_valid_year(q)
            succ = self.successors(q, year)
            if len(succ) == 1:
                new = next(iter(succ))
                return Municipality(
                    new,
                    self.names.get(new, new),
                    f"Merk: {q} {all_names[q]} er et tidligere kommunenummer; bruker "
                    f"{new} {self.names.get(new, new)} (gjeldende inndeling).",
                )
            listed = ", ".join(f"{c} {self.names.get(c, c)}" for c in succ)
            raise RegionError(f"{q} {all_names[q]} was split into {listed}; choose one of them.")
        raise RegionError(f"Unknown municipality {query!r}. Closest matches: {self.suggest(q)}")

    def suggest(self, query: str, n: int = 5) -> str:
        """The closest codes/names to ``query``, formatted for an error message."""
        labels = {f"{c} {name}": c for c, name in self.names.items()}
        hits = difflib.get_close_matches(
            query, [name for name in self.names.values()], n=n, cutoff=0.5
        )
        hits_codes = [c for c, name in self.names.items() if name in hits]
        if query.isdigit():
            hits_codes += difflib.get_close_matches(query, list(self.names), n=n, cutoff=0.5)
        if not hits_codes:
            hits_codes = [
                labels[x] for x in difflib.get_close_matches(query, list(labels), n=n, cutoff=0.0)
            ]
        seen = list(dict.fromkeys(hits_codes))[:n]
        return ", ".join(f"{c} {self.names[c]}" for c in seen) or "(none)"

    def _last_valid_year(self, code: str) -> int:
        for year in range(int(self.target_date[:4]), 1999, -1):
            if code in self.valid_codes(year):
                return year
        return 2000

    def other_predecessors(self, code: str, year: int, old: str) -> list[str]:
        """Codes besides ``old`` that went into ``code`` at the change of 1 January ``year``."""
        out: list[str] = []
        for date, edges in self._edges:
            if date.year == year:
                out += [o for o, new in edges.items() if code in new and o != old]
        return sorted(set(out))

    def split_parts(self, code: str) -> list[tuple[str, str, int, bool]]:
        """Splits that gave ``code`` a part of another municipality: (old code, old name, year
        of the change, whether the part that moved is known)."""
        names = self.all_names()
        out = []
        for date, edges in self._edges:
            for old, new in edges.items():
                if len(new) > 1 and code in new and old not in self.whole_successor:
                    known = bool(split_population(old)) or not any(
                        self.other_predecessors(s, date.year, old) for s in new
                    )
                    out.append((old, names.get(old, old), date.year, known))
        return out

    def predecessors(self, code: str, year: int) -> list[str]:
        """Codes valid in ``year`` that map (wholly or partly) onto target ``code``."""
        if year not in self._preds:
            inverse: dict[str, list[str]] = defaultdict(list)
            for c in sorted(self.valid_codes(year)):
                for target in self.successors(c, year):
                    inverse[target].append(c)
            self._preds[year] = dict(inverse)
        return list(self._preds[year].get(code, []))


def _equal_weights(old: str, succ: list[str], year: int) -> dict[str, float]:
    return dict.fromkeys(succ, 1.0)


def population_split_weights(population: pd.DataFrame, register: Register) -> SplitWeights:
    """Split weights: how many inhabitants of a split municipality went to each successor.

    ``population`` is ``region, year, value`` in target codes. In order:

    * the moved population configured in ``config/regions.yaml`` (``split_population``: old
      code → successor → persons, with its source);
    * a successor made of the split municipality alone (nothing else merged into it at that
      change, as Ålesund 1508 and Haram 1580 from 1507 in 2024) got its whole population from
      it: its population in the year of the change;
    * otherwise the part that moved is unknown (Tysfjord 2020 went to Narvik and Hamarøy
      together with other municipalities): every weight is NaN, so the old municipality's
      history is not carried into the successors — their cells before the split are missing
      («..»), never a guess (:meth:`Register.split_parts` says so to the reader).
    """
    pop = population.set_index(["region", "year"])["value"]

    def weights(old: str, succ: list[str], year: int) -> dict[str, float]:
        configured = split_population(old)
        if configured:
            return {s: float(configured.get(s, 0.0)) for s in succ}
        if any(register.other_predecessors(s, year, old) for s in succ):
            return dict.fromkeys(succ, float("nan"))
        out = {}
        for s in succ:
            targets = register.successors(s, year)
            out[s] = float(sum(pop.get((t, year), np.nan) * w for t, w in targets.items()))
        if any(np.isnan(v) or v <= 0 for v in out.values()):
            return dict.fromkeys(succ, float("nan"))
        return out

    return weights


def split_population(old: str) -> dict[str, float]:
    """The configured population that moved from a split municipality to each successor."""
    conf = (regions_config().get("split_population") or {}).get(str(old)) or {}
    return {str(k): float(v) for k, v in conf.items() if k != "source"}


def harmonise(
    frame: pd.DataFrame,
    mapping: pd.DataFrame,
    *,
    keys: list[str],
) -> pd.DataFrame:
    """Map municipality rows of ``frame`` onto the target vintage and sum counts.

    ``frame`` has ``region``, ``year``, ``value``, ``status`` and further ``keys`` (for example
    ``measure``). Rows whose region is not a municipality code valid that year (aggregates such
    as EAK, or codes that did not exist) are left out. A harmonised cell is missing when any of
    its members is missing, and takes the worst member status; ``split`` marks cells that
    include a share of a split municipality. A share whose size is unknown (weight NaN) makes
    the cell missing with «..».
    """
    m = frame.merge(mapping, left_on=["year", "region"], right_on=["year", "old"], how="inner")
    unknown = m["weight"].isna() & m["status"].isna()
    m["status"] = m["status"].astype(object).where(~unknown, NOT_AVAILABLE)  # unknown split part
    m["value"] = m["value"] * m["weight"]
    m["missing"] = m["value"].isna()
    m["rank"] = (
        m["status"].map({s: i for i, s in enumerate(STATUS_ORDER)}).fillna(len(STATUS_ORDER))
    )
    group = ["new", "year", *keys]
    g = m.groupby(group, sort=False, observed=True)
    out = g.agg(
        value=("value", "sum"),
        missing=("missing", "any"),
        rank=("rank", "min"),
        split=("split", "any"),
    ).reset_index()
    out.loc[out["missing"], "value"] = np.nan
    symbols = {i: s for i, s in enumerate(STATUS_ORDER)}
    out["status"] = out["rank"].map(symbols)
    out.loc[~out["missing"], "status"] = None
    out = out.rename(columns={"new": "region"}).drop(columns=["missing", "rank"])
    return out[["region", "year", *keys, "value", "status", "split"]]


def detect_target_vintage(frame: pd.DataFrame, register: Register, year: int) -> bool:
    """True when a table's rows for ``year`` already use the target vintage's codes.

    (Recorded population tables are keyed to 2024 codes for every year; live ones are not.)
    """
    rows = frame[(frame["year"] == year) & frame["value"].notna()]
    codes = set(rows["region"][rows["region"].str.fullmatch(r"\d{4}")])
    if not codes:
        return False
    in_target = len(codes & set(register.names))
    in_year = len(codes & register.valid_codes(year))
    return in_target == len(codes) and in_target >= in_year
