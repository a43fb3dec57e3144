"""Right numbers, or none: ratios for aggregates over one set of municipalities, SSB's published
figures for unchanged municipalities, ASSS averages only over enough members, and one ASSS
figure for a ratio of two indicators (issue «Right numbers, or none», items 1, 2 and 5)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from minireplay import UNITS, code, population, recipients

from navbok import groups as g
from navbok import indicators as ind
from navbok import snapshot as snap
from navbok.analysis.aap import ratio_table
from navbok.comparison import ComparisonRow, Kind
from navbok.data import NavData
from navbok.measures import BORDERS_UNKNOWN_SOURCE, MEMBER_SUM_SOURCE
from navbok.sources.origin import RecordedSource

# -- 1. aggregates: SSB's total over the population of the same members (that year's) --------------


def _row(values: pd.DataFrame, region: str, year: int, indicator: str) -> pd.Series:
    sel = values[
        (values["region"] == region) & (values["year"] == year) & (values["indicator"] == indicator)
    ]
    assert len(sel) == 1, (region, year, indicator, sel)
    return sel.iloc[0]


def test_group_ratio_is_ssbs_total_over_that_years_population(mini_data: NavData) -> None:
    # 2020 (scheme 2024): SSB's EKG12 is Bærum 3024 and Asker 3025 (with Røyken and Hurum);
    # its payout per inhabitant is SSB's own group total over the two's population.
    units = ["0219", "0220", "0627", "0628"]
    payout = sum(10 * UNITS[u][2] * recipients(u, 2020) for u in units)  # 1 000 kr
    pop = sum(population(u, 2021) for u in units)
    row = _row(mini_data.values, "EKG12", 2020, "utbetalt_per_innb_18_66")
    assert row["value"] == pytest.approx(payout / pop * 1000)
    assert row["source"] == f"SSB 13138; SSB 07459, {MEMBER_SUM_SOURCE}"
    # 2016 (scheme 2019): SSB's EKG12 holds Røyken and Hurum, but today's Asker also holds
    # Asker 0220 (EKG13): the group's population cannot be had from today's borders, so
    # the figure is missing («..») rather than a sum over another set of municipalities.
    row = _row(mini_data.values, "EKG12", 2016, "utbetalt_per_innb_18_66")
    assert math.isnan(row["value"]) and row["status"] == ".."
    assert BORDERS_UNKNOWN_SOURCE in row["source"]
    # Landet: SSB's national total over 07459's national population (the same municipalities)
    eak = _row(mini_data.values, "EAK", 2015, "utbetalt_per_innb_18_66")
    assert MEMBER_SUM_SOURCE not in eak["source"]


def _measures(rows: list[tuple]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=["region", "year", "measure", "value", "status", "source"])
    out["split"] = False
    out["status"] = out["status"].astype(object).where(out["status"].notna(), None)
    return out


def test_group_ratio_from_constructed_measures() -> None:
    summed = f"SSB 07459, {MEMBER_SUM_SOURCE}"
    m = _measures(
        [
            # EKG01: SSB's total (it includes hidden members) over the members' population
            ("EKG01", 2019, "utbetalt", 1200.0, None, "SSB 13138"),
            ("EKG01", 2019, "befolkning_18_66", 100.0, None, summed),
            ("EKG01", 2020, "utbetalt", 1300.0, None, "SSB 13138"),
            ("EKG01", 2020, "befolkning_18_66", 100.0, None, summed),
            # ... also in a year where a member's own payout is hidden: SSB's total holds it
            ("0001", 2020, "utbetalt", None, ":", "SSB 13138"),
            ("0001", 2020, "befolkning_18_66", 10.0, None, "SSB 07459"),
            ("EKA03", 2020, "utbetalt", 900.0, None, "SSB 13138"),
            ("EKA03", 2020, "befolkning_18_66", 300.0, None, summed),
            ("EAK", 2020, "utbetalt", 5000.0, None, "SSB 13138"),
            ("EAK", 2020, "befolkning_18_66", 1000.0, None, "SSB 07459"),
        ]
    )
    v = ind.compute(m)
    one = _row(v, "EKG01", 2019, "utbetalt_per_innb_18_66")
    assert one["value"] == pytest.approx(12000) and one["source"] == f"SSB 13138; {summed}"
    assert _row(v, "EKG01", 2020, "utbetalt_per_innb_18_66")["value"] == pytest.approx(13000)
    assert _row(v, "EKA03", 2020, "utbetalt_per_innb_18_66")["value"] == pytest.approx(3000)
    assert _row(v, "EAK", 2020, "utbetalt_per_innb_18_66")["value"] == pytest.approx(5000)


# -- 2. SSB's published figure for municipalities whose code did not change -----------------------

PUB = [("region", "year", "contents", "value", "status", "table", "code")]


def _published(rows: list[tuple]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=list(PUB[0]))
    out["status"] = out["status"].astype(object).where(out["status"].notna(), None)
    return out


def test_unchanged_codes(mini_data: NavData) -> None:
    u = ind.unchanged_codes(mini_data.register, [2016, 2021, 2024])
    got = set(zip(u["year"], u["old"], u["region"], strict=True))
    assert (2016, "0219", "3201") in got and (2021, "3024", "3201") in got  # renumbered
    assert (2024, "3201", "3201") in got and (2016, "0301", "0301") in got
    assert (2016, "1534", "1580") in got  # old Haram went wholly to 1580
    merged_or_split = {"3203", "3907"}  # Asker 2016 and Sandefjord 2016: mergers
    assert not {r for y, _, r in got if y == 2016} & merged_or_split
    assert not {r for y, _, r in got if y == 2021} & {"1508", "1580"}  # split of 1507 (2024)


def test_municipality_takes_ssbs_published_share_where_its_code_did_not_change(
    mini_data: NavData,
) -> None:
    src = "SSB 13138; SSB 07459"
    m = _measures(
        [
            # Bærum 2016: SSB suppressed the 18-24 count, so the 18-66 count is missing ...
            ("3201", 2016, "mottakere_18_66", None, ":", "SSB 13138"),
            ("3201", 2016, "befolkning_18_66", 80_000.0, None, "SSB 07459"),
            ("3201", 2024, "mottakere_18_66", 1500.0, None, "SSB 13995"),
            ("3201", 2024, "befolkning_18_66", 88_000.0, None, "SSB 07459"),
            # Asker 2016 is a merger of three codes: recomputed from harmonised counts
            ("3203", 2016, "mottakere_18_66", 600.0, None, "SSB 13138"),
            ("3203", 2016, "befolkning_18_66", 60_000.0, None, "SSB 07459"),
            # Haram 2021 is a share of the split Ålesund 1507
            ("1580", 2021, "mottakere_18_66", 70.0, None, "SSB 13138"),
            ("1580", 2021, "befolkning_18_66", 7_000.0, None, "SSB 07459"),
            ("1580", 2016, "mottakere_18_66", None, ":", "SSB 13138"),
            ("1580", 2016, "befolkning_18_66", 9_000.0, None, "SSB 07459"),
        ]
    )
    c = "KOSandelsosmott0000"
    pub = _published(
        [
            ("0219", 2016, "andel_18_66_publisert", 1.31, None, "12210", c),  # ... SSB's share
            ("3201", 2024, "andel_18_66_publisert", 1.70, None, "14019", c),
            ("0220", 2016, "andel_18_66_publisert", 9.99, None, "12210", c),  # a part of Asker
            ("1507", 2021, "andel_18_66_publisert", 9.99, None, "12210", c),
            ("1534", 2016, "andel_18_66_publisert", None, ":", "12210", c),
        ]
    )
    v = ind.compute(m, pub, mini_data.register)
    row = _row(v, "3201", 2016, "andel_18_66")
    assert row["value"] == 1.31 and row["status"] is None and row["source"] == f"SSB 12210 {c}"
    assert _row(v, "3201", 2024, "andel_18_66")["value"] == 1.70  # not 1500 / 88 000 = 1,7045
    asker = _row(v, "3203", 2016, "andel_18_66")
    assert asker["value"] == pytest.approx(1.0)
    assert asker["source"] == f"{src}, {ind.HARMONISED_SOURCE}"
    haram = _row(v, "1580", 2021, "andel_18_66")
    assert haram["value"] == pytest.approx(1.0) and ind.HARMONISED_SOURCE in haram["source"]
    old_haram = _row(v, "1580", 2016, "andel_18_66")  # SSB's status where SSB has no figure
    assert math.isnan(old_haram["value"]) and old_haram["status"] == ":"
    assert old_haram["source"] == f"SSB 12210 {c}"


def test_mini_replay_uses_published_figures_only_for_unchanged_codes(mini_data: NavData) -> None:
    share = code("KOSandelsosmott0000")
    v = mini_data.values
    assert _row(v, "3201", 2016, "andel_18_66")["source"] == f"SSB 12210 {share}"
    assert _row(v, "0301", 2023, "andel_18_66")["source"] == f"SSB 14019 {share}"
    asker = _row(v, "3203", 2016, "andel_18_66")["source"]
    assert asker.endswith(ind.HARMONISED_SOURCE)
    larvik = _row(v, "3909", 2016, "andel_18_66")  # Lardal suppressed: the merger is missing
    assert math.isnan(larvik["value"]) and larvik["status"] == ":"


def _suppress(replay: Path, table: str, region: str, year: int, content: str) -> None:
    """Set one cell of a recorded table to «:» (as SSB's secondary suppression does)."""
    path = replay / "ssb" / f"{table}.json"
    doc = json.loads(path.read_text("utf-8"))
    index = 0
    for dim, key in zip(doc["id"], (region, content, str(year)), strict=True):
        cat = doc["dimension"][dim]["category"]["index"]
        index = index * len(cat) + cat[key]
    doc["value"][index] = None
    doc.setdefault("status", {})[str(index)] = ":"
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")


def test_suppressed_age_group_keeps_ssbs_published_share(mini_replay: Path, tmp_path: Path) -> None:
    import shutil

    replay = tmp_path / "replay"
    shutil.copytree(mini_replay, replay)
    _suppress(replay, "13138", "0219", 2016, code("KOSsosant18240000"))  # Bærum's 18-24 count
    snapshot = snap.fetch(
        RecordedSource(replay), tmp_path / "snapshot", nav_archive=replay / "nav" / "arkiv"
    )
    data = NavData.load(snapshot, cache_dir=None)
    m = data.measures
    count = m[(m["region"] == "3201") & (m["year"] == 2016) & (m["measure"] == "mottakere_18_66")]
    assert count["status"].tolist() == [":"]
    f = data.snapshot.ssb("12210").frame
    share = code("KOSandelsosmott0000")
    published = f[(f["KOKkommuneregion0000"] == "0219") & (f["Tid"] == "2016")
                  & (f["ContentsCode"] == share)]["value"].iloc[0]  # fmt: skip
    row = _row(data.values, "3201", 2016, "andel_18_66")
    assert row["value"] == published and row["status"] is None
    assert row["source"] == f"SSB 12210 {share}"
    # Bærum counts in the ASSS average and in the barometer's ranking that year
    groups = data.groups("3201")
    groups.asss = {y: ["0301", "3201"] for y in groups.years}
    c = data.comparison(groups, "andel_18_66", [2016]).set_index("kind")
    assert c.loc[Kind.ASSS_SNITT, "source"] == "ASSS, uveid snitt av 2 kommuner"


# -- 2. an ASSS average over too few members is not shown -----------------------------------------


def _values(rows: dict[str, dict[str, float | None]], year: int = 2020) -> pd.DataFrame:
    out = [
        (region, year, indicator, np.nan if v is None else v)
        for indicator, by_region in rows.items()
        for region, v in by_region.items()
    ]
    return pd.DataFrame(out, columns=["region", "year", "indicator", "value"]).assign(status=None)


def _asss(rows: list[ComparisonRow]) -> dict[Kind, ComparisonRow]:
    return {r.kind: r for r in rows}


def test_asss_average_is_not_shown_when_more_than_a_quarter_is_missing() -> None:
    assert g.MAX_MISSING_SHARE == 0.25
    members = {2020: ["A", "B", "C", "D"]}
    one_missing = _values({"x": {"A": 1.0, "B": 2.0, "C": 6.0, "D": None}})
    r = _asss(g.asss_rows(one_missing, members, "x"))
    assert r[Kind.ASSS_SNITT].value == pytest.approx(3.0) and r[Kind.ASSS_SNITT].status is None
    hoy = r[Kind.ASSS_HOY]
    assert (hoy.region, hoy.year, hoy.value) == ("C", 2020, 6.0) and r[Kind.ASSS_LAV].value == 1.0
    assert r[Kind.ASSS_SNITT].source == (
        "ASSS, uveid snitt av 3 kommuner (1 mangler; snittet vises ikke når mer enn 25 prosent "
        "av kommunene mangler)"
    )
    two_missing = _values({"x": {"A": 1.0, "B": 2.0, "C": None}})  # D has no row at all
    r = _asss(g.asss_rows(two_missing, members, "x"))
    for kind in (Kind.ASSS_SNITT, Kind.ASSS_HOY, Kind.ASSS_LAV):
        assert r[kind].value is None and r[kind].status == ".."
    source = r[Kind.ASSS_SNITT].source
    assert source.startswith("ASSS, uveid snitt vises ikke: 2 av 4 kommuner mangler")
    assert g.member_stats(two_missing, members, "x")["shown"].tolist() == [False]


# -- 5. the ASSS ratio of two indicators is the ratio of the two averages -------------------------


def test_asss_ratio_is_the_ratio_of_the_averages() -> None:
    members = {2020: ["A", "B"]}
    data = _values(
        {"a": {"A": 1.0, "B": 3.0}, "b": {"A": 1.0, "B": 2.0}, "r": {"A": 1.0, "B": 1.5}}
    )
    r = _asss(g.asss_rows(data, members, "r", ("a", "b", 1.0, "A-andel", "B-andel")))
    assert r[Kind.ASSS_SNITT].value == pytest.approx(2.0 / 1.5)  # not the mean of ratios, 1.25
    assert r[Kind.ASSS_SNITT].source.startswith("ASSS, forholdet mellom de to uveide snittene")
    assert (r[Kind.ASSS_HOY].region, r[Kind.ASSS_HOY].value) == ("B", 1.5)  # members' own ratios
    assert (r[Kind.ASSS_LAV].region, r[Kind.ASSS_LAV].value) == ("A", 1.0)
    hidden = _values({"a": {"A": 1.0, "B": 3.0}, "b": {"A": 1.0, "B": None}, "r": {"A": 1.0}})
    r = _asss(g.asss_rows(hidden, members, "r", ("a", "b", 1.0, "A-andel", "B-andel")))
    assert r[Kind.ASSS_SNITT].value is None and r[Kind.ASSS_SNITT].status == ".."


def test_comparison_of_the_aap_ratio_equals_the_table(mini_data: NavData) -> None:
    groups = mini_data.groups("3201")
    groups.asss = {y: ["0301", "3201"] for y in groups.years}
    year = 2020

    def asss(indicator: str) -> float:
        c = mini_data.comparison(groups, indicator, [year])
        return float(c[c["kind"] == Kind.ASSS_SNITT]["value"].iloc[0])

    chart = asss("aap_forholdstall")
    table = ratio_table(
        mini_data.comparison(groups, "aap_andel", [year]),
        mini_data.comparison(groups, "andel_18_66", [year]),
        year,
    ).set_index("kind")
    assert chart == pytest.approx(table.loc[Kind.ASSS_SNITT, "ratio"])
    assert chart == pytest.approx(asss("aap_andel") / asss("andel_18_66"))
    own = [_row(mini_data.values, k, year, "aap_forholdstall")["value"] for k in ("0301", "3201")]
    assert abs(chart - sum(own) / 2) > 0.02  # the mean of the members' ratios differs
