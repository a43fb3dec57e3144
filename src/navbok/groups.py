"""Comparison groups: ASSS, KOSTRA group, county, Landet, Landet uten Oslo and neighbours.

Statistics for a group of municipalities:

* **ASSS average** = the unweighted mean of the members' values, as KS's ASSS reports show it,
  with the highest and lowest member (:func:`member_stats`); it is not shown when more than
  :data:`MAX_MISSING_SHARE` of the members lack a value (:func:`asss_rows`), and for a ratio
  of two indicators it is the ratio of the two averages;
* **weighted** = sum of numerators over sum of denominators (:func:`weighted_stats`);
* where SSB publishes an aggregate (EAK, EAKUO, EKGnn, EKAnn) its own figure is used, because it
  includes suppressed members;
* a KOSTRA group or county of a year is one territory: that year's municipalities
  (:func:`year_membership`, the ones SSB's totals count). What SSB does not publish for it
  (population, NAV AAP) is summed over those members (:func:`year_totals`).

:func:`membership` is another thing: today's municipalities by the group their main predecessor
was in, for ranking a municipality among its group and for choosing peers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from navbok.comparison import ComparisonRow, Kind
from navbok.errors import ConfigError
from navbok.regions import Register, regions_config
from navbok.status import NOT_AVAILABLE, worst_status

LANDET = "EAK"
LANDET_UTEN_OSLO = "EAKUO"
#: KOSTRA groups and counties: SSB's totals of that year's members, navbok's sums for the rest.
GROUP_PATTERN = r"EK[GA]\d+"
# An ASSS average (and its highest and lowest member) is shown only when at most this share of
# the members lack a value: a mean of the few members left would compare with another group.
MAX_MISSING_SHARE = 0.25


def asss_members(year: int, variant: str = "default") -> list[str]:
    """ASSS member codes (target vintage) in a statistics year."""
    variants = regions_config()["asss"]
    if variant not in variants:
        raise ConfigError(f"Unknown ASSS variant {variant!r}; choose one of {sorted(variants)}")
    for block in variants[variant]:
        lo, hi = block["years"]
        if lo <= year <= hi:
            return [str(c) for c in block["members"]]
    return []


@dataclass
class Groups:
    """The comparison groups of one municipality, per statistics year."""

    kommune: str
    years: list[int]
    asss: dict[int, list[str]]
    kostra: dict[int, str]
    county: dict[int, str]
    neighbours: list[str] = field(default_factory=list)
    asss_variant: str = "default"
    #: Members (target-vintage codes) of the municipality's KOSTRA group and county, per year.
    kostra_members: dict[int, list[str]] = field(default_factory=dict)
    county_members: dict[int, list[str]] = field(default_factory=dict)
    #: SSB's name of the municipality's KOSTRA group per year (KLASS 112 ``sourceName``, e.g.
    #: «KOSTRA-gruppe 11 - Kommuner med 20 000-74 999 innbyggere, …»); empty when unknown.
    kostra_labels: dict[int, str] = field(default_factory=dict)

    def copy(self) -> Groups:
        """A copy that shares no list or dict with this one (what :func:`copy.deepcopy`
        gives, made field by field: the fields hold texts and numbers in lists and dicts)."""
        return Groups(
            kommune=self.kommune,
            years=list(self.years),
            asss={y: list(m) for y, m in self.asss.items()},
            kostra=dict(self.kostra),
            county=dict(self.county),
            neighbours=list(self.neighbours),
            asss_variant=self.asss_variant,
            kostra_members={y: list(m) for y, m in self.kostra_members.items()},
            county_members={y: list(m) for y, m in self.county_members.items()},
            kostra_labels=dict(self.kostra_labels),
        )

    def asss_member(self, year: int) -> bool:
        """Whether the municipality is an ASSS member in ``year``."""
        return self.kommune in self.asss.get(year, [])

    def alone(self, kind: Kind, year: int) -> bool:
        """Whether the municipality is the only member of its KOSTRA group or county in
        ``year`` (Oslo): the group's line would be the municipality's own."""
        members = {Kind.KOSTRAGRUPPE: self.kostra_members, Kind.FYLKE: self.county_members}
        if kind not in members or year not in members[kind]:
            return False
        return set(members[kind][year]) <= {self.kommune}


def main_predecessor(register: Register, code: str, year: int) -> str | None:
    """The code valid in ``year`` that became ``code`` (same name preferred, e.g. Asker 0220)."""
    preds = register.predecessors(code, year)
    if not preds:
        return None
    if len(preds) == 1:
        return preds[0]
    names = register.all_names()
    target_name = register.names.get(code, "").split(" - ")[0].casefold()
    same = [p for p in preds if names.get(p, "").split(" - ")[0].casefold() == target_name]
    return (same or preds)[0]


def kostra_group(
    register: Register,
    assignments: dict[int, pd.DataFrame],
    scheme_years: dict[int, list[int]],
    code: str,
    year: int,
) -> str | None:
    """KOSTRA group (``EKGnn``) of a target-vintage municipality in a statistics year.

    ``assignments`` maps a scheme year to its code → group frame; ``scheme_years`` says which
    statistics years each scheme covers (the series breaks between 2019 and 2020).
    """
    scheme = next((s for s, ys in scheme_years.items() if year in ys), None)
    if scheme is None:
        later = [s for s in scheme_years if s <= year] or list(scheme_years)
        scheme = max(later)
    frame = assignments[scheme]
    pred = main_predecessor(register, code, scheme)
    hit = frame.loc[frame["code"] == pred, "group"]
    return str(hit.iloc[0]) if len(hit) else None


def county_of(register: Register, code: str, year: int) -> str | None:
    """County aggregate code (``EKAnn``) for the municipality's borders in ``year``."""
    pred = main_predecessor(register, code, year)
    return f"EKA{pred[:2]}" if pred else None


def member_stats(
    data: pd.DataFrame, members_by_year: dict[int, list[str]], indicator: str
) -> pd.DataFrame:
    """Unweighted mean, highest and lowest member per year.

    Columns: ``year, mean, max, min, max_region, min_region, n, n_missing, shown``. A member
    with a missing value is left out of the mean and counted in ``n_missing``; ``shown`` says
    whether few enough members are missing for the average to be shown
    (:data:`MAX_MISSING_SHARE`).
    """
    rows = []
    sel = data[data["indicator"] == indicator]
    for year, members in sorted(members_by_year.items()):
        vals = sel[(sel["year"] == year) & sel["region"].isin(members)].set_index("region")["value"]
        present = vals.dropna()
        if present.empty:
            rows.append((year, None, None, None, None, None, 0, len(members), False))
            continue
        n_missing = len(members) - len(present)
        rows.append(
            (
                year,
                present.mean(),
                present.max(),
                present.min(),
                present.idxmax(),
                present.idxmin(),
                len(present),
                n_missing,
                n_missing <= MAX_MISSING_SHARE * len(members),
            )
        )
    columns = ["year", "mean", "max", "min", "max_region", "min_region", "n", "n_missing", "shown"]
    return pd.DataFrame(rows, columns=columns).astype(
        {"mean": float, "max": float, "min": float, "shown": bool}
    )


def _threshold_text() -> str:
    return f"vises ikke når mer enn {round(MAX_MISSING_SHARE * 100)} prosent av kommunene mangler"


def stats_source(n: int, n_missing: int, shown: bool) -> str:
    """The source text of an ASSS average: how many members it covers, and the threshold."""
    if not shown:
        return (
            f"ASSS, uveid snitt vises ikke: {n_missing} av {n + n_missing} kommuner mangler "
            f"({_threshold_text()})"
        )
    if not n_missing:
        return f"ASSS, uveid snitt av {n} kommuner"
    return f"ASSS, uveid snitt av {n} kommuner ({n_missing} mangler; snittet {_threshold_text()})"


def asss_rows(
    data: pd.DataFrame,
    members_by_year: dict[int, list[str]],
    indicator: str,
    ratio_of: tuple[str, str, float, str, str] | None = None,
) -> list[ComparisonRow]:
    """The ASSS rows of a comparison: the average (:attr:`Kind.ASSS_SNITT`), the highest and
    the lowest member, per year.

    When more than :data:`MAX_MISSING_SHARE` of the members lack a value, the three rows have
    no value and the status ``..`` (:data:`navbok.status.NOT_AVAILABLE`).
    ``ratio_of = (a, b, scale, name_a, name_b)`` for an indicator defined as the ratio of two
    indicators: its average is the ratio of the averages of ``a`` and ``b`` (not the mean of the
    members' ratios), so that it is the same figure wherever it appears; highest and lowest are
    the members' own ratios.
    """
    stats = member_stats(data, members_by_year, indicator)
    means: dict[int, tuple[float | None, str | None, str]] = {}
    if ratio_of is None:
        for s in stats.itertuples():
            src = stats_source(s.n, s.n_missing, s.shown)
            means[s.year] = (s.mean if s.shown else None, None if s.shown else NOT_AVAILABLE, src)
    else:
        a, b, scale, name_a, name_b = ratio_of
        sa = member_stats(data, members_by_year, a).set_index("year")
        sb = member_stats(data, members_by_year, b).set_index("year")
        for year in sa.index:
            ra, rb = sa.loc[year], sb.loc[year]
            parts = []
            for name, r in ((name_a, ra), (name_b, rb)):
                missing = f", {r['n_missing']} mangler" if r["n_missing"] else ""
                parts.append(f"{name}: {r['n']} kommuner{missing}")
            ok = bool(ra["shown"] and rb["shown"]) and rb["mean"] != 0
            src = (
                "ASSS, forholdet mellom de to uveide snittene ("
                + "; ".join(parts)
                + f"; {_threshold_text()})"
            )
            value = float(ra["mean"]) / float(rb["mean"]) * scale if ok else None
            means[int(year)] = (value, None if ok else NOT_AVAILABLE, src)
    rows: list[ComparisonRow] = []
    for s in stats.itertuples():
        value, status, src = means.get(s.year, (None, NOT_AVAILABLE, stats_source(0, 0, False)))
        shown = status is None
        hi, lo = (s.max, s.min) if shown and s.shown else (None, None)
        extreme_status = None if hi is not None else NOT_AVAILABLE
        extreme_src = src if ratio_of is None else stats_source(s.n, s.n_missing, s.shown)
        rows += [
            ComparisonRow("ASSS-snitt", Kind.ASSS_SNITT, "ASSS", s.year, value, status, src),
            ComparisonRow(
                "ASSS høyest", Kind.ASSS_HOY, s.max_region, s.year, hi, extreme_status, extreme_src
            ),
            ComparisonRow(
                "ASSS lavest", Kind.ASSS_LAV, s.min_region, s.year, lo, extreme_status, extreme_src
            ),
        ]
    return rows


def weighted_stats(
    measures: pd.DataFrame,
    members_by_year: dict[int, list[str]],
    numerator: str,
    denominator: str,
    scale: float = 1.0,
) -> pd.DataFrame:
    """Sum of numerators over sum of denominators per year (``year, value, n``).

    A year where any member lacks the numerator or the denominator is missing.
    """
    rows = []
    for year, members in sorted(members_by_year.items()):
        sel = measures[(measures["year"] == year) & measures["region"].isin(members)]
        num = sel[sel["measure"] == numerator].set_index("region")["value"].reindex(members)
        den = sel[sel["measure"] == denominator].set_index("region")["value"].reindex(members)
        if num.isna().any() or den.isna().any() or den.sum() == 0:
            rows.append((year, float("nan"), len(members)))
        else:
            rows.append((year, num.sum() / den.sum() * scale, len(members)))
    return pd.DataFrame(rows, columns=["year", "value", "n"])


def membership(
    register: Register,
    assignments: dict[int, pd.DataFrame],
    scheme_years: dict[int, list[int]],
    years: list[int],
) -> pd.DataFrame:
    """Which KOSTRA group and county each target-vintage municipality belonged to, by year.

    Columns ``region, year, group`` (``EKGnn`` and ``EKAnn`` codes of that year). A merged
    municipality counts in the group of its main predecessor (the one with the same name).
    """
    lookup = {
        scheme: dict(zip(frame["code"], frame["group"], strict=True))
        for scheme, frame in assignments.items()
    }
    rows = []
    for year in years:
        scheme = next((s for s, ys in scheme_years.items() if year in ys), None)
        if scheme is None:
            scheme = max([s for s in scheme_years if s <= year] or list(scheme_years))
        for code in register.target_codes:
            if (pred := main_predecessor(register, code, scheme)) and pred in lookup[scheme]:
                rows.append((code, year, str(lookup[scheme][pred])))
            if county := county_of(register, code, year):
                rows.append((code, year, county))
    return pd.DataFrame(rows, columns=["region", "year", "group"])


def scheme_for(scheme_years: dict[int, list[int]], year: int) -> int:
    """The KOSTRA-group scheme (KLASS 112 date's year) that covers statistics ``year``; a
    year after the last scheme's years (AAP's current year) takes the newest scheme before it."""
    scheme = next((s for s, ys in scheme_years.items() if year in ys), None)
    if scheme is None:
        scheme = max([s for s in scheme_years if s <= year] or list(scheme_years))
    return scheme


def group_of_code(
    register: Register, lookup: dict[str, str], scheme: int, code: str, year: int
) -> str | None:
    """The KOSTRA group of ``code``, a municipality code valid in ``year``, under the scheme
    of KLASS 112 dated 1 January ``scheme`` (``lookup``: that scheme's code → group).

    A code the scheme lists has its own group. A code of another year has the group of the
    code(s) it became (or came from) on the scheme's date: Larvik 0709 (2015–2017) that of
    Larvik 0712 in 2019. Where those codes lie in different groups (Ålesund 1507, 2020–2023,
    split into 1508 and 1580 in 2024), the group of the highest code, as SSB's group totals
    in the recording count it (tested against them)."""
    if code in lookup:
        return lookup[code]
    if year < scheme:
        then = sorted(register.successors(code, year, until=scheme))
    else:
        then = sorted(p for p in lookup if code in register.successors(p, scheme, until=year))
    found = [lookup[c] for c in then if c in lookup]
    return found[-1] if found else None


def year_membership(
    register: Register,
    assignments: dict[int, pd.DataFrame],
    scheme_years: dict[int, list[int]],
    years: list[int],
) -> pd.DataFrame:
    """The members of every KOSTRA group and county as they were in each year: columns
    ``code, year, group`` with ``code`` a municipality code valid in ``year`` (not today's) and
    ``group`` its ``EKGnn`` (KLASS 112 of the scheme that covers the year) or ``EKAnn`` (the
    county of that year: the code's first two digits). These are the municipalities SSB's own
    group and county totals of that year count."""
    lookups = {
        scheme: dict(zip(frame["code"].astype(str), frame["group"].astype(str), strict=True))
        for scheme, frame in assignments.items()
    }
    rows = []
    for year in years:
        scheme = scheme_for(scheme_years, year)
        for code in sorted(register.valid_codes(year)):
            if not code.isdigit() or code.startswith("99"):
                continue
            if group := group_of_code(register, lookups[scheme], scheme, code, year):
                rows.append((code, year, group))
            rows.append((code, year, f"EKA{code[:2]}"))
    return pd.DataFrame(rows, columns=["code", "year", "group"])


def territory(register: Register, codes: list[str], year: int) -> list[str] | None:
    """Today's municipalities that make up exactly the municipalities ``codes`` of ``year``,
    or None when there are none such: a municipality of today that also holds land of a
    municipality outside ``codes`` (Ålesund 1508 from Ørskog 1523 when Ørskog is in another
    KOSTRA group) makes a figure kept on today's borders (population) unknown for the group
    of that year."""
    members = set(codes)
    today = sorted({t for c in members for t in register.successors(c, year)})
    for t in today:
        if not set(register.predecessors(t, year)) <= members:
            return None
    return today


def year_totals(
    frame: pd.DataFrame, members: pd.DataFrame, register: Register | None = None
) -> pd.DataFrame:
    """Group totals (``region, year, value, status, borders_known``; ``region`` = group code)
    over the members of each year (``members``: ``code, year, group`` as
    :func:`year_membership` gives them).

    ``frame`` (``region, year, value, status``) is on the codes of each year, or, with
    ``register``, on today's codes (population): then a group is summed over
    :func:`territory` and is missing («..», ``borders_known`` false) where today's borders
    cannot give it. A member
    whose value is missing or suppressed makes the total missing with that member's status —
    the same rule in every year: this is a sum navbok makes itself (SSB publishes no total of
    it), and one that silently left out a hidden count would be too low.
    """
    cells = {
        (str(r), int(y)): (v, s)
        for r, y, v, s in zip(
            frame["region"], frame["year"], frame["value"], frame["status"], strict=True
        )
    }
    rows: list[tuple[str, int, float, str | None, bool]] = []
    for (group, year), part in members.groupby(["group", "year"], sort=True):
        codes = list(part["code"])
        if register is not None:
            cover = territory(register, codes, int(year))
            if cover is None:
                rows.append((str(group), int(year), float("nan"), NOT_AVAILABLE, False))
                continue
            codes = cover
        values = [cells.get((c, int(year)), (float("nan"), NOT_AVAILABLE)) for c in codes]
        missing = [(v, s) for v, s in values if v is None or v != v]
        if missing:
            symbol = worst_status(pd.Series([s or NOT_AVAILABLE for _, s in missing]))
            rows.append((str(group), int(year), float("nan"), symbol, True))
        else:
            rows.append((str(group), int(year), float(sum(v for v, _ in values)), None, True))
    out = pd.DataFrame(rows, columns=["region", "year", "value", "status", "borders_known"])
    out["status"] = out["status"].astype(object).where(out["status"].notna(), None)
    return out
