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
import re
import unicodedata
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

#: Letters that Unicode does not decompose into a base letter and a mark: Norwegian æ/ø and the
#: Sami đ, ŋ, ŧ (á, č, š, ž and å decompose and lose their marks).
_UNDECOMPOSED = str.maketrans({"æ": "ae", "ø": "o", "đ": "d", "ð": "d", "ŋ": "n", "ŧ": "t"})
_PARALLEL = " - "  # KLASS joins parallel Norwegian, Sami and Kven names with « - »
_QUALIFIER = re.compile(r"\s*\([^()]*\)\s*$")  # «Våler (Østfold)»: the county that tells apart


def fold(text: str) -> str:
    """``text`` as the name searches compare it: case and diacritics folded, words only.

    Casefolded, decomposed (NFKD) without its combining marks, æ → ae, ø → o, đ → d, ŋ → n,
    ŧ → t, and every run of punctuation and spaces one space: «Kárášjohka - Karasjok» →
    ``"karasjohka karasjok"``, «Porsáŋgu» → ``"porsangu"``, «Bærum» → ``"baerum"``. The
    overview's search box folds what is typed the same way (:mod:`navbok.site.landing`).
    """
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.category(ch).startswith("M"))
    return " ".join(re.sub(r"[\W_]+", " ", bare.translate(_UNDECOMPOSED)).split())


def name_variants(name: str) -> list[str]:
    """The folded forms a KLASS name is found by, most complete first.

    The whole name, each parallel name («Porsanger - Porsángu - Porsanki»: Norwegian, Sami and
    Kven), and each without the county KLASS adds to tell namesakes apart («Våler (Østfold)» →
    ``"valer"``)."""
    out = [fold(name)]
    for part in str(name).split(_PARALLEL):
        out += [fold(part), fold(_QUALIFIER.sub("", part))]
    return [v for v in dict.fromkeys(out) if v]


def all_names(name: str) -> str:
    """Every parallel name of a KLASS name, for a reader: «Kárášjohka – Karasjok» from
    «Kárášjohka - Karasjok» (a name without parallel names as it is)."""
    return " – ".join(n.strip() for n in str(name).split(_PARALLEL) if n.strip())


def search_text(code: str, *names: str) -> str:
    """One folded line to search a municipality by: its code and every name and parallel name
    (the overview's ``data-search``; ``navbok kommuner``)."""
    return " ".join(dict.fromkeys([code, *(fold(n) for n in names if n)]))


@cache
def county_names() -> dict[str, str]:
    """County number → county name (the first of its parallel names), from the packaged map."""
    from navbok import geo

    names = geo.names(geo.load_topology(), geo.FYLKER)
    return {k: v.split(_PARALLEL)[0] for k, v in names.items()}


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
        self._by_name: dict[str, list[str]] | None = None
        self._by_old_name: dict[str, list[str]] | None = None
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
        self,
        code: str,
        year: int,
        split_weights: SplitWeights | None = None,
        until: int | None = None,
    ) -> dict[str, float]:
        """Where a code valid in ``year`` ends up in the target vintage (weights sum to 1), or,
        with ``until``, among the codes valid on 1 January of that year."""
        if code in self.whole_successor and until is None:
            return {self.whole_successor[code]: 1.0}
        current: dict[str, float] = {code: 1.0}
        start = pd.Timestamp(f"{year}-01-01")
        target = pd.Timestamp(self.target_date if until is None else f"{until}-01-01")
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

    def label(self, code: str) -> str:
        """``code name (county)``: the county only where the name does not carry it already
        (KLASS writes it into the names of namesakes: «3114 Våler (Østfold)»)."""
        name = self.names.get(code) or self.all_names().get(code, "")
        county = county_names().get(code[:2], "") if "(" not in name else ""
        return f"{code} {name} ({county})" if county else f"{code} {name}"

    def search_text(self, code: str) -> str:
        """The folded code and names of a target municipality (:func:`search_text`)."""
        return search_text(code, self.names.get(code, ""))

    def by_name(self) -> dict[str, list[str]]:
        """Folded name (:func:`name_variants`) → the target municipalities that bear it."""
        if self._by_name is None:
            self._by_name = _name_index(self.names)
        return self._by_name

    def _old_names(self) -> dict[str, list[str]]:
        """Folded name → the earlier codes (not in the target vintage) that bore it."""
        if self._by_old_name is None:
            old = {c: n for c, n in self.all_names().items() if c not in self.names}
            self._by_old_name = _name_index(old)
        return self._by_old_name

    def resolve(self, query: str) -> Municipality:
        """Resolve a code or name to a municipality of the target vintage.

        Names are compared folded (:func:`fold`: case and diacritics), each parallel name on
        its own («Porsanki», «Oslove», «Karasjohka»). An old code (e.g. 0219) or a name only an
        earlier municipality bore maps to its successor with a notice. A name several
        municipalities share («Våler», «Herøy») raises :class:`RegionError` listing them with
        their county; unknown input raises it listing the closest matches.
        """
        q = str(query).strip()
        if q.isdigit() and len(q) < 4:
            q = q.zfill(4)
        if q in self.names:
            return Municipality(q, self.names[q])
        if q in self.all_names():
            return self._successor(q)
        key = fold(q)
        current = self.by_name().get(key, [])
        if len(current) == 1:
            return Municipality(current[0], self.names[current[0]])
        if current:
            raise RegionError(self._ambiguous(q, current))
        old = self._old_names().get(key, [])
        targets = {t for c in old for t in self.successors(c, self._last_valid_year(c))}
        if len(old) > 1 and len(targets) > 1:  # namesakes that became different municipalities
            raise RegionError(self._ambiguous(q, sorted(targets)))
        if old:  # the newest of the codes that bore the name
            return self._successor(max(old, key=lambda c: (self._last_valid_year(c), c)))
        raise RegionError(f"Unknown municipality {query!r}. Closest matches: {self.suggest(q)}")

    def _successor(self, old: str) -> Municipality:
        """The target municipality an old code became, with the notice saying so."""
        all_names = self.all_names()
        succ = self.successors(old, self._last_valid_year(old))
        if len(succ) == 1:
            new = next(iter(succ))
            return Municipality(
                new,
                self.names.get(new, new),
                f"Merk: {old} {all_names[old]} er et tidligere kommunenummer; bruker "
                f"{new} {self.names.get(new, new)} (gjeldende inndeling).",
            )
        listed = ", ".join(f"{c} {self.names.get(c, c)}" for c in succ)
        raise RegionError(f"{old} {all_names[old]} was split into {listed}; choose one of them.")

    def _ambiguous(self, query: str, codes: list[str]) -> str:
        """One line: the municipalities a name fits, each with its county."""
        listed = ", ".join(self.label(c) for c in sorted(codes))
        return f"«{query}» passer til flere kommuner: {listed}. Oppgi kommunenummeret."

    def suggest(self, query: str, n: int = 5) -> str:
        """The closest codes/names to ``query``, formatted for an error message.

        Names are compared folded (:func:`fold`), every parallel name on its own; a close name
        brings every municipality that bears it («Herøyy» → both Herøys), so a list may hold
        more than ``n`` when the last name is shared."""
        key = fold(query)
        codes: list[str] = []
        if query.strip().isdigit():
            codes += difflib.get_close_matches(query.strip(), list(self.names), n=n, cutoff=0.5)
        index = self.by_name()
        matcher = difflib.SequenceMatcher(b=key, autojunk=False)
        scored = []
        for variant, owners in index.items():
            matcher.set_seq1(variant)
            scored.append((-matcher.ratio(), variant, owners))
        scored.sort()
        close = [s for s in scored if -s[0] >= 0.6] or ([] if codes else scored[:n])
        for _, _, owners in close:
            if len(dict.fromkeys(codes)) >= n:
                break
            codes += owners
        seen = list(dict.fromkeys(codes))
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


def _name_index(names: dict[str, str]) -> dict[str, list[str]]:
    """Folded name variant (:func:`name_variants`) → the codes that bear it, sorted."""
    index: dict[str, list[str]] = defaultdict(list)
    for code in sorted(names):
        for variant in name_variants(names[code]):
            index[variant].append(code)
    return dict(index)


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
