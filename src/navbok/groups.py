"""Comparison groups: ASSS, KOSTRA group, county, Landet, Landet uten Oslo and neighbours.

Statistics for a group of municipalities:

* **ASSS average** = the unweighted mean of the members' values, as KS's ASSS reports show it,
  with the highest and lowest member (:func:`member_stats`); it is not shown when more than
  :data:`MAX_MISSING_SHARE` of the members lack a value (:func:`asss_rows`), and for a ratio
  of two indicators it is the ratio of the two averages;
* **weighted** = sum of numerators over sum of denominators (:func:`weighted_stats`);
* where SSB publishes an aggregate (EAK, EAKUO, EKGnn, EKAnn) its own figure is used, because it
  includes suppressed members.
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


def sum_members(frame: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """Group totals (``region`` = group code) of a municipal count ``region, year, value,
    status``.

    A group with a member whose value is missing or suppressed is missing, with that member's
    status: a total that silently left out a hidden count would be too low.
    """
    m = members.merge(frame, on=["region", "year"], how="left")
    m["status"] = m["status"].where(m["value"].isna() & m["status"].notna(), None)
    m.loc[m["value"].isna() & m["status"].isna(), "status"] = NOT_AVAILABLE
    grouped = m.groupby(["group", "year"], sort=True)
    total = grouped["value"].sum(min_count=1)
    complete = grouped["value"].count() == grouped["value"].size()
    status = grouped["status"].agg(worst_status)
    out = pd.DataFrame(
        {"value": total.where(complete), "status": status.where(~complete, None)}
    ).reset_index()
    out["status"] = out["status"].astype(object).where(out["status"].notna(), None)
    return out.rename(columns={"group": "region"})
