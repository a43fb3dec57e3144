"""Harmonised measures and indicators on the mini replay, with hand-computed expectations."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pandas as pd
import pytest
from minireplay import EAK_PUBLISHED_SHARE, code, population, recipients

from navbok import groups as g
from navbok import indicators as ind
from navbok.comparison import Kind
from navbok.data import NavData
from navbok.errors import ConfigError

YEARS = list(range(2015, 2025))
ASKER = ["0220", "0627", "0628"]


def value(data: NavData, region: str, year: int, indicator: str) -> pd.Series:
    v = data.values
    rows = v[(v["region"] == region) & (v["year"] == year) & (v["indicator"] == indicator)]
    assert len(rows) == 1, (region, year, indicator, rows)
    return rows.iloc[0]


def measure(data: NavData, region: str, year: int, name: str) -> pd.Series:
    m = data.measures
    rows = m[(m["region"] == region) & (m["year"] == year) & (m["measure"] == name)]
    assert len(rows) == 1, (region, year, name, rows)
    return rows.iloc[0]


def published(data: NavData, table: str, region: str, year: int, contents: str) -> float:
    f = data.snapshot.ssb(table).frame
    rows = f[
        (f["KOKkommuneregion0000"] == region) & (f["Tid"] == str(year))
        & (f["ContentsCode"] == code(contents))
    ]  # fmt: skip
    return float(rows["value"].iloc[0])


@pytest.mark.parametrize("region", ["3201", "3203"])
@pytest.mark.parametrize("indicator", ["mottakere", "stonadslengde", "utbetalt", "andel_18_66"])
def test_continuous_series(mini_data: NavData, region: str, indicator: str) -> None:
    v = mini_data.indicators(region, indicators=indicator)
    assert sorted(v["year"]) == YEARS
    assert v["value"].notna().all()


def test_years_and_old_code_lookup(mini_data: NavData) -> None:
    assert mini_data.years == YEARS
    old = mini_data.indicators("0219", years=[2015], indicators="mottakere")
    assert list(old["region"]) == ["3201"] and list(old["value"]) == [1000]


def test_merged_municipality_sums_its_predecessors(mini_data: NavData) -> None:
    assert value(mini_data, "3203", 2015, "mottakere")["value"] == 800
    members = sum(published(mini_data, "13138", c, 2015, "KOSsosantkliente0000") for c in ASKER)
    assert members == 800
    assert measure(mini_data, "3203", 2019, "stonadsmaaneder")["value"] == sum(
        d * recipients(u, 2019) for u, d in zip(ASKER, [5, 4, 3], strict=True)
    )


def test_share_is_recomputed_not_averaged(mini_data: NavData) -> None:
    # Asker 2015: recipients 18-66 = 4/5 of 800; population 18-66 at 1.1.2016 = 60 000 * 1.01
    row = value(mini_data, "3203", 2015, "andel_18_66")
    share = row["value"]
    assert share == pytest.approx(640 / 60_600 * 100)  # not SSB's share of 0220 alone
    assert row["source"] == f"SSB 13138; SSB 07459, {ind.HARMONISED_SOURCE}"
    assert population("0220", 2016) + population("0627", 2016) + population("0628", 2016) == 60_600
    members = [published(mini_data, "12210", c, 2015, "KOSandelsosmott0000") for c in ASKER]
    assert members == [0.99, 1.06, 1.58]  # each member's own published share
    assert abs(share - sum(members) / 3) > 0.1
    # duration: months / recipients = (5*500 + 4*200 + 3*100) / 800 = 4.5, not mean(5, 4, 3) = 4
    assert value(mini_data, "3203", 2015, "stonadslengde")["value"] == pytest.approx(4.5)


def test_population_is_that_of_the_next_first_of_january(mini_data: NavData) -> None:
    assert measure(mini_data, "3201", 2015, "befolkning_18_66")["value"] == 80_800
    assert measure(mini_data, "3201", 2024, "befolkning_18_66")["value"] == 88_000
    assert measure(mini_data, "3201", 2024, "befolkning_18_24")["value"] == 88_000 / 5
    # Bærum's code did not change (3201 is 0219 renumbered): SSB's published share, which is
    # the ratio of the counts rounded to two decimals
    row = value(mini_data, "3201", 2024, "andel_18_66")
    assert row["value"] == round(4 / 5 * 1900 / 88_000 * 100, 2) == 1.73
    assert row["source"] == f"SSB 14019 {code('KOSandelsosmott0000')}"


def test_zero_denominator_is_not_possible(mini_data: NavData) -> None:
    row = value(mini_data, "0301", 2015, "kvp_etter")  # no completed KVP in Oslo 2015
    assert math.isnan(row["value"]) and row["status"] == "."
    assert value(mini_data, "0301", 2016, "kvp_etter")["value"] == pytest.approx(50)


def test_suppressed_input_stays_missing(mini_data: NavData) -> None:
    v = mini_data.values
    larvik = v[(v["region"] == "3909") & (v["year"] == 2016)]
    larvik = larvik[larvik["indicator"] != "aap_andel_februar"]  # only December is «*»
    assert len(larvik) > 20
    assert larvik["value"].isna().all()
    assert (larvik["status"] == ":").all()
    assert value(mini_data, "3909", 2015, "mottakere")["value"] == 450
    assert value(mini_data, "3909", 2017, "mottakere")["value"] == 540
    assert measure(mini_data, "3909", 2016, "aap_mottakere")["status"] == ":"  # «*» in NAV's table
    assert not (v["value"] == 0).any()  # nothing in the mini replay is a real zero


def test_aggregates_use_the_published_figure(mini_data: NavData) -> None:
    row = value(mini_data, "EAK", 2016, "andel_18_66")
    assert row["value"] == EAK_PUBLISHED_SHARE
    share = code("KOSandelsosmott0000")  # found by its label: not SSB's code in the mini replay
    assert row["source"] == f"SSB 12210 {share}"
    assert value(mini_data, "EAK", 2023, "andel_18_66")["source"] == f"SSB 14019 {share}"
    num = measure(mini_data, "EAK", 2016, "mottakere_18_66")["value"]
    den = measure(mini_data, "EAK", 2016, "befolkning_18_66")["value"]
    assert abs(num / den * 100 - EAK_PUBLISHED_SHARE) > 0.5  # the ratio of counts differs
    # without a published figure the aggregate's own ratio is used
    eak = value(mini_data, "EAK", 2016, "andel_6mnd")
    assert eak["value"] == pytest.approx(40) and eak["source"] == "SSB 13138"


def test_split_municipality(mini_data: NavData) -> None:
    row = measure(mini_data, "1580", 2021, "mottakere")
    assert row["value"] == pytest.approx((recipients("1504", 2021) + recipients("1534", 2021)) / 7)
    assert row["split"]
    assert not measure(mini_data, "1580", 2024, "mottakere")["split"]


def test_aap_of_a_split_municipality_uses_population_weights(mini_data: NavData) -> None:
    # 1507 (2020-23) is spread 6:1 like the SSB measures, not 50/50 (which gave Haram 10.5 %)
    for year in (2019, 2020, 2024):
        assert value(mini_data, "1580", year, "aap_andel")["value"] == pytest.approx(3.0, abs=0.05)


def test_stitches(mini_data: NavData) -> None:
    sos, key, langtid = mini_data.stitches
    assert langtid.tables == ["12213", "14019"] and langtid.overlap_years == []
    assert sos.series == "sosialhjelp" and sos.tables == ["13138", "13995"]
    assert sos.years == {"13138": list(range(2015, 2022)), "13995": [2022, 2023, 2024]}
    assert sos.overlap_years == [] and sos.revised_cells == 0
    assert key.tables == ["12210", "14019"]
    assert key.overlap_years == [2022]
    assert key.revised_cells == 1
    assert key.years["14019"] == [2022, 2023, 2024]
    assert key.describe() == (
        "Serien «Utvalgte nøkkeltall for sosialtjenesten (K)» er satt sammen av tabell 12210 "
        "(2015–2021) og 14019 (2022–2024); 2022 finnes i begge tabellene, og boka bruker tallene "
        "fra den nyeste (SSB hadde endret 1 av tallene for 2022 i den nyeste tabellen)."
    )
    # the newer table wins the overlap: 12210 says 850, 14019 says 857
    assert published(mini_data, "12210", "0301", 2022, "KOSbolinnv0000") == 850
    assert measure(mini_data, "0301", 2022, "bolig_innvilget")["value"] == 857


def test_source_of_the_overlap_year_is_the_newer_table(mini_data: NavData) -> None:
    # 12210 still has 2022 rows (".." for expired codes), but every 2022 value comes from 14019
    assert measure(mini_data, "0301", 2022, "bolig_innvilget")["source"] == "SSB 14019"


# -- comparison groups ----------------------------------------------------------------------------


def test_member_stats_by_hand() -> None:
    data = pd.DataFrame(
        {
            "region": ["A", "B", "C", "A", "B", "C", "X"],
            "year": [2020, 2020, 2020, 2021, 2021, 2021, 2020],
            "indicator": ["i"] * 7,
            "value": [1.0, 2.0, 6.0, 4.0, None, 8.0, 100.0],
        }
    )
    stats = g.member_stats(data, {2020: ["A", "B", "C"], 2021: ["A", "B", "C"], 2022: ["A"]}, "i")
    s = stats.set_index("year")
    assert s.loc[2020, "mean"] == 3 and s.loc[2020, "max"] == 6 and s.loc[2020, "min"] == 1
    assert (s.loc[2020, "max_region"], s.loc[2020, "min_region"]) == ("C", "A")
    assert s.loc[2021, "mean"] == 6 and s.loc[2021, "n"] == 2 and s.loc[2021, "n_missing"] == 1
    assert math.isnan(s.loc[2022, "mean"]) and s.loc[2022, "n_missing"] == 1


def test_weighted_stats_by_hand() -> None:
    rows = [("A", 2020, "num", 10), ("A", 2020, "den", 100), ("B", 2020, "num", 30),
            ("B", 2020, "den", 100), ("A", 2021, "num", 1), ("A", 2021, "den", 10),
            ("B", 2021, "den", 10), ("A", 2022, "num", 1), ("A", 2022, "den", 0)]  # fmt: skip
    measures = pd.DataFrame(rows, columns=["region", "year", "measure", "value"])
    members = {2020: ["A", "B"], 2021: ["A", "B"], 2022: ["A"]}
    out = g.weighted_stats(measures, members, "num", "den", scale=100).set_index("year")
    assert out.loc[2020, "value"] == 20  # (10 + 30) / (100 + 100), not mean(10 %, 30 %)
    assert math.isnan(out.loc[2021, "value"])  # B lacks the numerator
    assert math.isnan(out.loc[2022, "value"])  # zero denominator
    assert list(out["n"]) == [2, 2, 1]


def test_comparison(mini_data: NavData) -> None:
    groups = mini_data.groups("Bærum", neighbours=["Asker"])
    assert groups.kostra[2019] == "EKG13" and groups.kostra[2020] == "EKG12"  # series break
    assert groups.county[2019] == "EKA02" and groups.county[2024] == "EKA32"
    c = mini_data.comparison(groups, "andel_18_66")
    assert set(c["kind"]) == set(Kind)
    one = c[c["year"] == 2020].set_index("kind")
    oslo, baerum = (value(mini_data, r, 2020, "andel_18_66")["value"] for r in ("0301", "3201"))
    assert one.loc[Kind.KOMMUNE, "value"] == baerum
    assert one.loc[Kind.NABO, "region"] == "3203"
    # default ASSS in 2020: ten members, of which only Oslo and Bærum are in the mini replay:
    # an «average» of two would compare with another group, so it is not shown
    for kind in (Kind.ASSS_SNITT, Kind.ASSS_HOY, Kind.ASSS_LAV):
        assert math.isnan(one.loc[kind, "value"]) and one.loc[kind, "status"] == ".."
    assert one.loc[Kind.ASSS_SNITT, "source"] == (
        "ASSS, uveid snitt vises ikke: 8 av 10 kommuner mangler "
        "(vises ikke når mer enn 25 prosent av kommunene mangler)"
    )
    assert one.loc[Kind.KOSTRAGRUPPE, "region"] == "EKG12"
    assert one.loc[Kind.LANDET, "value"] == EAK_PUBLISHED_SHARE
    assert sorted(c[c["kind"] == Kind.FYLKE]["year"]) == [2024]  # EKA02/EKA30 not in the tables
    # with the members the mini replay has, the unweighted mean of the members
    groups.asss = {y: [m for m in ms if m in ("0301", "3201", "3203")]
                   for y, ms in groups.asss.items()}  # fmt: skip
    c = mini_data.comparison(groups, "andel_18_66")
    one = c[c["year"] == 2020].set_index("kind")
    assert one.loc[Kind.ASSS_SNITT, "value"] == pytest.approx((oslo + baerum) / 2)
    assert one.loc[Kind.ASSS_HOY, "region"] == "3201" and one.loc[Kind.ASSS_LAV, "region"] == "0301"
    assert one.loc[Kind.ASSS_SNITT, "source"] == "ASSS, uveid snitt av 2 kommuner"
    later = c[(c["year"] == 2022) & (c["kind"] == Kind.ASSS_SNITT)]["value"].iloc[0]
    asker = value(mini_data, "3203", 2022, "andel_18_66")["value"]
    oslo, baerum = (value(mini_data, r, 2022, "andel_18_66")["value"] for r in ("0301", "3201"))
    assert later == pytest.approx((oslo + baerum + asker) / 3)  # Asker joins in 2022


def test_unknown_indicator_and_variant(mini_data: NavData) -> None:
    with pytest.raises(ConfigError, match="Unknown indicator"):
        mini_data.indicators("3201", indicators="no_such_indicator")
    with pytest.raises(ConfigError, match="Unknown indicator"):
        ind.select(mini_data.values, indicators=["mottakere", "nope"])
    with pytest.raises(ConfigError, match="Unknown ASSS variant 'x'"):
        g.asss_members(2020, "x")


def test_register_is_valid() -> None:
    reg = ind.register()
    assert reg["andel_18_66"].published == "andel_18_66_publisert"
    assert reg["aap_forholdstall"].formula == {"ratio": ["aap_andel", "andel_18_66"]}


# -- cache ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cached(mini_snapshot: Path, tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("cache")
    shutil.copytree(mini_snapshot, base / "snapshot")
    first = NavData.load(base / "snapshot", cache_dir=base / "cache")
    second = NavData.load(base / "snapshot", cache_dir=base / "cache")
    return base, first, second


def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["status"] = out["status"].astype(object).where(out["status"].notna(), None)
    return out


def test_cache_round_trip(cached) -> None:
    base, first, second = cached
    assert len(list((base / "cache").iterdir())) == 1
    assert "register" not in second.__dict__  # came from the cache, not recomputed
    pd.testing.assert_frame_equal(normalise(first.values), normalise(second.values))
    pd.testing.assert_frame_equal(normalise(first.measures), normalise(second.measures))
    assert first.stitches == second.stitches
    assert second.register.names == first.register.names


def test_cache_round_trip_keeps_status_none(cached) -> None:
    _, first, second = cached  # Parquet would give a pandas 3 string column with NaN
    assert all(s is None or isinstance(s, str) for s in second.values["status"])
    pd.testing.assert_frame_equal(first.values, second.values)


# -- estimates: a population-share of a split municipality is marked --------------------------


def _measures(rows: list[tuple[str, int, str, float, bool]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(r, y, m, v, None, s, "SSB x") for r, y, m, v, s in rows],
        columns=["region", "year", "measure", "value", "status", "split", "source"],
    )


def test_estimate_is_carried_from_measures_to_values() -> None:
    measures = _measures(
        [
            ("1508", 2021, "mottakere_18_66", 1200.23, True),  # a population share of 1507
            ("1508", 2021, "befolkning_18_66", 20000.0, False),
            ("1508", 2021, "aap_mottakere", 700.5, True),
            ("1508", 2021, "mottakere", 1300.4, True),
            ("1508", 2024, "mottakere_18_66", 1300.0, False),
            ("1508", 2024, "befolkning_18_66", 21000.0, False),
            ("3201", 2021, "mottakere_18_66", 900.0, False),  # a merger summed: exact
            ("3201", 2021, "befolkning_18_66", 30000.0, False),
        ]
    )
    v = ind.compute(measures).set_index(["indicator", "region", "year"])
    assert v["estimate"].dtype == bool
    assert v.loc[("andel_18_66", "1508", 2021), "estimate"]  # numerator is an estimate
    assert v.loc[("aap_andel", "1508", 2021), "estimate"]
    assert v.loc[("mottakere", "1508", 2021), "estimate"]  # a count of one measure
    assert not v.loc[("andel_18_66", "1508", 2024), "estimate"]
    assert not v.loc[("andel_18_66", "3201", 2021), "estimate"]


def test_estimates_in_the_mini_replay(mini_data: NavData) -> None:
    assert value(mini_data, "1580", 2021, "aap_andel")["estimate"]  # 1507 spread 6:1
    assert value(mini_data, "1580", 2021, "andel_18_66")["estimate"]
    assert not value(mini_data, "1580", 2024, "aap_andel")["estimate"]
    assert not value(mini_data, "3203", 2019, "andel_18_66")["estimate"]  # Asker: a merger
    assert not mini_data.values.loc[mini_data.values["region"] == "EAK", "estimate"].any()


def test_the_key_figures_are_the_registers() -> None:
    # One list: the overview's columns, a book's facts and the news read the register's
    # key_figures; an indicator's headline, unit, decimals, direction, label and definition
    # are the indicator's, the barometer's are declared with it.
    from navbok.analysis.aap_periods import LATEST
    from navbok.key_figures import BAROMETER, KEY_FIGURES
    from navbok.register import register_doc

    ids = [k.id for k in KEY_FIGURES]
    assert ids == [str(s["id"]) for s in register_doc()["key_figures"]]
    assert ids[-1] == BAROMETER and LATEST in ids
    reg = ind.register()
    for k in KEY_FIGURES[:-1]:
        spec = reg[k.id]
        assert (k.header, k.unit, k.decimals, k.better, k.label) == (
            spec.headline, spec.unit, spec.decimals, spec.better, spec.label
        )  # fmt: skip
    assert {k.headline for k in reg.values() if k.headline} == {k.header for k in KEY_FIGURES[:-1]}
