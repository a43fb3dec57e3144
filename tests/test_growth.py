"""Payout-growth decomposition (T = N·L·P), real terms, and the Proba 2017 reference index."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest

from navbok.analysis.growth import (
    COMBINATION_LABEL,
    COMPONENT_LABELS,
    annual_growth,
    compare,
    decompose,
    decompose_regions,
    from_rates,
)
from navbok.analysis.prices import deflate, load_price_index, parse_price_index, read_price_index
from navbok.analysis.proba import code_links, proba_comparison, proba_index
from navbok.errors import ConfigError
from navbok.reference import load_reference
from navbok.regions import Register

SPEC_DIR = Path(__file__).resolve().parents[2] / "shared" / "spec"
SPEC_VEDLEGG2 = SPEC_DIR / "proba_vedlegg2_faktisk_vs_behov.csv"


# --- the source document's example (Bærum 2015–2019: 4.1 % / 15.7 % / 3.9 % → 25 %) ----------


@pytest.fixture
def example():
    return from_rates(0.041, 0.157, 0.039, T0=109_855.0)


def test_spec_example_total_and_combination(example) -> None:
    assert example.ok
    assert example.g_T == pytest.approx(1.041 * 1.157 * 1.039 - 1, abs=1e-12)
    assert round(example.g_T, 3) == 0.251
    assert example.g_N == pytest.approx(0.041, abs=1e-12)
    assert example.g_L == pytest.approx(0.157, abs=1e-12)
    assert example.g_P == pytest.approx(0.039, abs=1e-12)
    gn, gl, gp = 0.041, 0.157, 0.039
    pairwise = gn * gl + gn * gp + gl * gp + gn * gl * gp
    assert example.combination == pytest.approx(pairwise, abs=1e-12)
    assert round(example.combination, 4) == 0.0144
    assert round(example.combination * 100, 1) == 1.4
    main = example.g_N + example.g_L + example.g_P
    assert round(main, 3) == 0.237
    assert main + example.combination == pytest.approx(example.g_T, abs=1e-15)


def test_spec_example_lmdi(example) -> None:
    logs = example.lmdi_logs
    assert sum(logs.values()) == pytest.approx(math.log(example.T1 / example.T0), abs=1e-14)
    shares = example.lmdi_shares
    assert shares["L"] == pytest.approx(0.65, abs=0.005)
    assert shares["N"] == pytest.approx(0.18, abs=0.005)
    assert shares["P"] == pytest.approx(0.17, abs=0.005)
    assert sum(shares.values()) == pytest.approx(1.0, abs=1e-14)
    contributions = example.lmdi_contributions
    assert sum(contributions.values()) == pytest.approx(example.T1 - example.T0, rel=1e-12)
    assert "combination" not in contributions


def test_kroner_example() -> None:
    d = decompose(1000, 100, 500, 1320, 110, 600, year0=2015, year1=2019)
    levels = [d.L0, d.P0, d.P1]
    assert levels == pytest.approx([5.0, 2.0, 2.2])
    assert (d.g_N, d.g_L, d.g_P, d.g_T) == pytest.approx((0.1, 1 / 11, 0.1, 0.32))
    e = d.effects
    assert e["N"] == pytest.approx(100.0)
    assert e["L"] == pytest.approx(1000 / 11)
    assert e["P"] == pytest.approx(100.0)
    assert e["combination"] == pytest.approx(1320 - 1000 - 1000 * (0.2 + 1 / 11))
    assert sum(e.values()) == pytest.approx(320.0, abs=1e-9)
    assert e["combination"] == pytest.approx(1000 * d.combination)
    assert sum(d.lmdi_contributions.values()) == pytest.approx(320.0, rel=1e-12)


def test_waterfall_steps() -> None:
    d = decompose(1000, 100, 500, 1320, 110, 600, year0=2015, year1=2019)
    kr = d.waterfall_steps()
    assert list(kr["kind"]) == ["start", "delta", "delta", "delta", "delta", "total"]
    assert list(kr["label"][1:5]) == [*COMPONENT_LABELS.values(), COMBINATION_LABEL]
    assert list(kr["label"][1:4]) == [
        "Antall mottakere",
        "Stønadslengde (måneder per mottaker)",
        "Utbetaling per stønadsmåned",
    ]
    assert kr["label"].iloc[0] == "Utbetalt 2015" and kr["label"].iloc[-1] == "Utbetalt 2019"
    assert kr["value"].iloc[:5].sum() == pytest.approx(kr["value"].iloc[-1])
    pct = d.waterfall_steps("pct")
    assert pct["value"].iloc[:-1].sum() == pytest.approx(pct["value"].iloc[-1])
    assert pct["value"].iloc[-1] == pytest.approx(0.32)
    lmdi = d.waterfall_steps("kr", "lmdi")
    assert COMBINATION_LABEL not in set(lmdi["label"])
    assert lmdi["value"].iloc[:4].sum() == pytest.approx(1320.0)


def test_cannot_compute_is_nan_not_zero() -> None:
    missing = decompose(1000, 100, math.nan, 1320, 110, 600)
    assert missing.status == ".." and not missing.ok and "M0" in missing.note
    zero = decompose(1000, 0, 500, 1320, 110, 600)
    assert zero.status == "." and "N0" in zero.note
    for d in (missing, zero):
        row = d.to_row()
        for key in ("g_T", "g_N", "g_L", "g_P", "combination", "effect_N", "lmdi_L", "change"):
            assert math.isnan(row[key]), key
        assert d.waterfall_steps()["value"].isna().all()


# --- from the measures frame ----------------------------------------------------------------


def _frame(rows: list[tuple]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=["region", "year", "measure", "value", "status"])
    out["value"] = out["value"].astype(float)
    out["split"] = False
    out["source"] = "test"
    return out


@pytest.fixture
def measures() -> pd.DataFrame:
    data = {  # region: {year: (T, N, M)}
        "A": {2015: (100, 10, 50), 2016: (110, 11, 60), 2017: (None, 12, 66)},
        "B": {2015: (200, 20, 100), 2016: (230, 21, 105), 2017: (250, 22, 110)},
        "EAK": {2015: (1000, 90, 450), 2016: (1100, 95, 480), 2017: (1200, 99, 500)},
    }
    rows = []
    for region, years in data.items():
        for year, (t, n, m) in years.items():
            status = ":" if t is None else None
            rows += [
                (region, year, "utbetalt", t, status),
                (region, year, "mottakere", n, None),
                (region, year, "stonadsmaaneder", m, None),
                (region, year, "befolkning_18_66", 1e6, None),
            ]
    return _frame(rows)


def test_decompose_regions_single(measures: pd.DataFrame) -> None:
    d = decompose_regions(measures, "B", 2015, 2016)
    ref = decompose(200, 20, 100, 230, 21, 105)
    assert d.ok and d.label == "B" and (d.year0, d.year1) == (2015, 2016)
    assert (d.g_T, d.g_N, d.g_L, d.g_P) == pytest.approx((ref.g_T, ref.g_N, ref.g_L, ref.g_P))
    assert d.g_T == pytest.approx(0.15)


def test_members_summed_before_decomposing(measures: pd.DataFrame) -> None:
    d = decompose_regions(measures, ["A", "B"], 2015, 2016, label="ASSS")
    ref = decompose(300, 30, 150, 340, 32, 165)
    assert d.ok and d.label == "ASSS"
    assert (d.T0, d.N0, d.M0, d.T1, d.N1, d.M1) == (300, 30, 150, 340, 32, 165)
    assert d.g_L == pytest.approx(ref.g_L) and d.g_P == pytest.approx(ref.g_P)
    mean_of_rates = (0.10 + 0.15) / 2
    assert d.g_T == pytest.approx(40 / 300) and d.g_T != pytest.approx(mean_of_rates)


def test_suppressed_member_makes_group_nan(measures: pd.DataFrame) -> None:
    d = decompose_regions(measures, ["A", "B"], 2016, 2017)
    assert d.status == ":" and math.isnan(d.g_T) and math.isnan(d.effects["P"])
    assert "utbetalt 2017" in d.note and "A" in d.note
    absent = decompose_regions(measures, ["B", "C"], 2015, 2016)
    assert absent.status == ".." and "C" in absent.note and math.isnan(absent.g_N)


def test_annual_growth(measures: pd.DataFrame) -> None:
    table = annual_growth(measures, "A", [2017, 2015, 2016])
    assert list(zip(table["year0"], table["year1"], strict=True)) == [(2015, 2016), (2016, 2017)]
    first, second = table.iloc[0], table.iloc[1]
    assert first["g_T"] == pytest.approx(0.1) and first["g_N"] == pytest.approx(0.1)
    assert first["g_L"] == pytest.approx(6 / 5.5 - 1)
    assert first[["g_N", "g_L", "g_P", "combination"]].sum() == pytest.approx(first["g_T"])
    assert first["status"] is None
    assert second["status"] == ":"
    for col in ("g_T", "g_P", "combination", "effect_N", "effect_combination", "lmdi_P"):
        assert math.isnan(second[col]), col
    land = annual_growth(measures, "EAK", range(2015, 2018))
    assert land["g_T"].tolist() == pytest.approx([0.1, 1200 / 1100 - 1])


def test_annual_growth_of_a_changing_group_sums_the_later_years_members() -> None:
    # A and B are members to 2016; C joins in 2017 and is large and shrinking before it joins
    data = {  # region: {year: (T, N, M)}
        "A": {2015: (100, 10, 50), 2016: (110, 11, 55), 2017: (120, 12, 60), 2018: (130, 13, 65)},
        "B": {
            2015: (200, 20, 100),
            2016: (220, 22, 110),
            2017: (240, 24, 120),
            2018: (260, 26, 130),
        },
        "C": {
            2015: (900, 90, 450),
            2016: (450, 45, 225),
            2017: (500, 50, 250),
            2018: (550, 55, 275),
        },
    }
    rows = []
    for region, years in data.items():
        for year, (t, n, m) in years.items():
            rows += [
                (region, year, "utbetalt", t, None),
                (region, year, "mottakere", n, None),
                (region, year, "stonadsmaaneder", m, None),
            ]
    measures = _frame(rows)
    members = {2015: ["A", "B"], 2016: ["A", "B"], 2017: ["A", "B", "C"], 2018: ["A", "B", "C"]}
    table = annual_growth(measures, members, range(2015, 2019))
    # 2015→2016: A and B only (C is not a member in 2016): 330 / 300
    assert table["g_T"].tolist() == pytest.approx([330 / 300 - 1, 860 / 780 - 1, 940 / 860 - 1])
    # the same rule as a decomposition over the period: the members of its last year
    over = decompose_regions(measures, members[2016], 2015, 2016)
    assert table["g_T"].iloc[0] == pytest.approx(over.g_T)
    chained = (1 + table["g_T"].iloc[1]) * (1 + table["g_T"].iloc[2]) - 1
    assert chained == pytest.approx(decompose_regions(measures, members[2018], 2016, 2018).g_T)
    # a year without members is missing, not zero
    gap = annual_growth(measures, {2016: ["A"]}, [2015, 2016, 2017])
    assert gap["status"].tolist() == [None, ".."]


def test_compare_table(measures: pd.DataFrame) -> None:
    table = compare(measures, {"B": "B", "Gruppen": ["A", "B"], "Landet": "EAK"}, 2015, 2016)
    assert table["label"].tolist() == ["B", "Gruppen", "Landet"]
    assert table["g_T"].tolist() == pytest.approx([0.15, 40 / 300, 0.1])


# --- real terms -----------------------------------------------------------------------------


def test_deflate() -> None:
    values = pd.Series({2015: 100.0, 2016: 110.0, 2017: 121.0})
    index = pd.Series({2015: 100.0, 2016: 110.0, 2017: 110.0})
    assert deflate(values, index, 2015).tolist() == pytest.approx([100.0, 100.0, 110.0])
    assert deflate(values, index, 2016).tolist() == pytest.approx([110.0, 110.0, 121.0])
    gap = deflate(values, index.drop(2016), 2015)
    assert math.isnan(gap[2016]) and gap[2017] == pytest.approx(110.0)
    assert deflate(values, index, 2030).isna().all()


def test_real_terms_decomposition(measures: pd.DataFrame) -> None:
    index = pd.Series({2015: 100.0, 2016: 105.0})
    nominal = decompose_regions(measures, "B", 2015, 2016)
    real = decompose_regions(measures, "B", 2015, 2016, price_index=index)
    assert real.g_N == pytest.approx(nominal.g_N) and real.g_L == pytest.approx(nominal.g_L)
    assert real.g_P == pytest.approx((1 + nominal.g_P) / 1.05 - 1)
    assert real.g_T == pytest.approx(1.15 / 1.05 - 1)
    assert real.T1 == 230 and "2016-priser" in real.unit
    deflated_t0 = real.T0  # 200 in 2015 kroner is 210 in 2016 kroner
    assert deflated_t0 == pytest.approx(210.0)
    short = decompose_regions(measures, "B", 2015, 2016, price_index=index.drop(2015))
    assert short.status == ".." and "Prisindeksen" in short.note


def test_price_index_formats(tmp_path: Path) -> None:
    semi = tmp_path / "kpi.csv"
    semi.write_text("# source: test\nyear;index\n2015;100\n2016;103,6\n\n", "utf-8")
    s = read_price_index(semi)
    assert s.to_dict() == {2015: 100.0, 2016: pytest.approx(103.6)}
    comma = parse_price_index('År,Indeks\n2016,"103,6"\n2015,100.0\n')
    assert list(comma.index) == [2015, 2016] and comma[2016] == pytest.approx(103.6)
    assert load_price_index(None) is None
    assert load_price_index(str(semi)).equals(s)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty"),
        ("# only a comment\n", "empty"),
        ("year index\n2015 100\n", "header"),
        ("year;value\n2015;100\n", "'year' and 'index'"),
        ("year;index\n", "no data rows"),
        ("year;index\n15;100\n", "four-digit year"),
        ("year;index\n2015;abc\n", "not a number"),
        ("year;index\n2015;1.000,5\n", "ambiguous"),
        ("year;index\n2015;100\n2015;101\n", "appears twice"),
        ("year;index\n2015;-3\n", "positive"),
        ("year;index\n2015;100;7\n", "2 fields"),
    ],
)
def test_price_index_errors(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, "utf-8")
    with pytest.raises(ConfigError, match="bad.csv") as err:
        read_price_index(path)
    assert problem in str(err.value)


def test_price_index_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="nope.csv.*does not exist"):
        load_price_index(tmp_path / "nope.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("år;indeks\n2015;100\n".encode("latin-1"))
    with pytest.raises(ConfigError, match="latin.csv.*UTF-8"):
        read_price_index(latin)


# --- Proba 2017 reference -------------------------------------------------------------------


@pytest.fixture(scope="module")
def register() -> Register:
    """A small register: 2017 codes → 2024 codes through the 2017, 2018, 2020 and 2024 changes."""
    reg_2017 = {
        "0219": "Bærum", "0220": "Asker", "0627": "Røyken", "0628": "Hurum", "0709": "Larvik",
        "0728": "Lardal", "0710": "Sandefjord", "1850": "Tysfjord",
    }  # fmt: skip
    reg_2024 = {
        "3201": "Bærum", "3203": "Asker", "3909": "Larvik", "3907": "Sandefjord",
        "1806": "Narvik", "1875": "Hábmer - Hamarøy",
    }  # fmt: skip
    changes = [
        ("2017-01-01", "0706", "0710"), ("2017-01-01", "0719", "0710"),
        ("2017-01-01", "0720", "0710"), ("2018-01-01", "0709", "0712"),
        ("2018-01-01", "0728", "0712"), ("2020-01-01", "0219", "3024"),
        ("2020-01-01", "0220", "3025"), ("2020-01-01", "0627", "3025"),
        ("2020-01-01", "0628", "3025"), ("2020-01-01", "0712", "3805"),
        ("2020-01-01", "0710", "3804"), ("2020-01-01", "1850", "1806"),
        ("2020-01-01", "1850", "1875"), ("2024-01-01", "3024", "3201"),
        ("2024-01-01", "3025", "3203"), ("2024-01-01", "3805", "3909"),
        ("2024-01-01", "3804", "3907"),
    ]  # fmt: skip
    frame = pd.DataFrame(
        [(old, old, new, new, pd.Timestamp(d)) for d, old, new in changes],
        columns=["old", "old_name", "new", "new_name", "date"],
    )

    def reg(names: dict[str, str]) -> pd.DataFrame:
        return pd.DataFrame({"code": list(names), "name": list(names.values())})

    return Register({"2017-01-01": reg(reg_2017), "2024-01-01": reg(reg_2024)}, frame, None, {})


def test_proba_reference_file() -> None:
    ref = load_reference("proba_faktisk_vs_behov")
    assert ref.source.startswith("Proba samfunnsanalyse, rapport 2017-08")
    assert "vedlegg 2" in ref.source
    assert any("242+243+276+281" in n for n in ref.notes)
    assert any("ikke beregnet på nytt" in n for n in ref.notes)
    f = ref.frame
    assert f["kommunenr_2017"].nunique() == 424 and len(f) == 424 * 5
    assert sorted(f["aar"].unique()) == ["2012", "2013", "2014", "2015", "2016"]
    assert "0301" not in set(f["kommunenr_2017"])  # no index for Oslo
    by = f.set_index(["kommunenr_2017", "aar"])["indeks"]
    assert [by["0219", str(y)] for y in range(2012, 2017)] == ["98", "104", "96", "97", "93"]
    assert [by["0220", str(y)] for y in range(2012, 2017)] == ["77", "80", "91", "84", "84"]
    assert [by["0709", str(y)] for y in range(2012, 2017)] == ["92", "91", "93", "97", "95"]
    spy = f[f["kommunenr_2017"] == "0123"].iloc[0]
    assert (spy["kommune"], spy["kommune_i_kilden"]) == ("Spydeberg", "Spvdeberg")
    assert spy["merknad"] == "OCR-navn korrigert"
    for year in range(2012, 2017):  # Proba's check: unweighted mean about 100 every year
        mean = f.loc[f["aar"] == str(year), "indeks"].astype(float).mean()
        assert mean == pytest.approx(100, abs=1.5)


def test_proba_reference_matches_spec_extract() -> None:
    if not SPEC_VEDLEGG2.is_file():
        pytest.skip("the spec extract is not available")
    f = load_reference("proba_faktisk_vs_behov").frame.set_index(["kommunenr_2017", "aar"])
    with SPEC_VEDLEGG2.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for year in range(2012, 2017):
                cell = f.loc[(row["knr4"], str(year))]
                assert cell["indeks"] == row[f"idx_{year}"]
                assert cell["merknad"] == row["merknad"]


def test_proba_code_links(register: Register) -> None:
    links = code_links(register, ["0219", "0220", "0627", "0709", "0706", "1850", "9999"])
    got = links.groupby("kommunenr_2017")["region"].apply(lambda s: sorted(s.dropna()))
    assert got["0219"] == ["3201"] and got["0220"] == ["3203"] and got["0627"] == ["3203"]
    assert got["0709"] == ["3909"] and got["0706"] == ["3907"]
    assert got["1850"] == ["1806", "1875"]
    assert links.loc[links["kommunenr_2017"] == "1850", "delt"].all()
    assert got["9999"] == []


def test_proba_index_mapping(register: Register) -> None:
    ref = proba_index(["3201", "0220", "Larvik"], register=register)
    assert ref.source.startswith("Proba samfunnsanalyse")
    f = ref.frame
    assert f["region"].drop_duplicates().tolist() == ["3201", "3203", "3909"]
    baerum = f[f["region"] == "3201"]
    assert baerum["kommunenr_2017"].unique().tolist() == ["0219"]
    assert baerum["indeks"].tolist() == [98.0, 104.0, 96.0, 97.0, 93.0]
    assert baerum["aar"].tolist() == [2012, 2013, 2014, 2015, 2016]
    assert not baerum["sammenslatt"].any() and baerum["label"].iloc[0] == "Bærum (0219)"
    asker = f[f["region"] == "3203"]
    assert sorted(asker["label"].unique()) == ["Asker (0220)", "Hurum (0628)", "Røyken (0627)"]
    assert len(asker) == 15 and asker["sammenslatt"].all()  # three rows, not averaged
    larvik = f[(f["region"] == "3909") & (f["aar"] == 2016)]
    assert dict(zip(larvik["kommune_2017"], larvik["indeks"], strict=True))["Larvik"] == 95.0
    sandefjord = proba_index("3907", register=register).frame
    assert set(sandefjord["kommunenr_2017"]) == {"0706", "0719", "0720"}
    tysfjord = proba_index("1875", register=register).frame
    assert tysfjord["delt"].all() and tysfjord["label"].iloc[0] == "Tysfjord (1850, delt senere)"


def test_proba_comparison(register: Register) -> None:
    ref = proba_comparison("3201", ["3201", "3203", "3909"], register=register)
    f = ref.frame
    assert set(f.loc[f["own"], "region"]) == {"3201"}
    assert set(f.loc[~f["own"], "region"]) == {"3203", "3909"}


def test_national_reference_figures() -> None:
    ref = load_reference("proba_nasjonalt_2012_2016")
    assert ref.source.startswith("Proba samfunnsanalyse, rapport 2017-08")
    f = ref.frame
    assert (f["kilde"] != "").all()

    def value(komponent: str, periode: str, enhet: str) -> float:
        sel = f[(f["komponent"] == komponent) & (f["periode"] == periode) & (f["enhet"] == enhet)]
        assert len(sel) == 1
        return float(sel["verdi"].iloc[0])

    g_n = value("N", "2012-2016", "prosent vekst") / 100
    g_p = value("P", "2012-2016", "prosent vekst") / 100
    l0, l1 = value("L", "2012", "måneder"), value("L", "2016", "måneder")
    assert value("P", "2016", "kroner per måned") == 9314
    national = from_rates(g_n, l1 / l0 - 1, g_p)
    # The published +38 % is reproduced within the rounding of the durations (4.8 → 4.9).
    assert national.g_T == pytest.approx(value("T", "2012-2016", "prosent vekst") / 100, abs=0.015)


# --- the recorded replay --------------------------------------------------------------------


@pytest.mark.replay
def test_replay_baerum_2015_2019(replay_data) -> None:
    m = replay_data.measures
    d = decompose_regions(m, "3201", 2015, 2019, label="Bærum")
    assert d.ok
    assert (d.T0, d.T1) == (109_855, 137_472)
    assert (d.N0, d.N1) == (1930, 2009)
    assert (d.M0, d.M1) == (9763, 11759)
    assert d.g_T == pytest.approx(0.251, abs=0.001)
    assert d.g_N == pytest.approx(0.041, abs=0.001)
    assert d.g_L == pytest.approx(0.157, abs=0.001)
    assert d.g_P == pytest.approx(0.039, abs=0.001)
    assert d.combination == pytest.approx(0.014, abs=0.001)
    assert d.lmdi_shares["L"] > 0.6 and d.g_L / d.g_T > 0.6  # «over 60 % … stønadslengder»
    assert sum(d.lmdi_contributions.values()) == pytest.approx(137_472 - 109_855, rel=1e-12)


@pytest.mark.replay
def test_replay_asss_and_landet(replay_data) -> None:
    from navbok.groups import asss_members

    members = asss_members(2019, "med_asker")
    table = compare(
        replay_data.measures,
        {"Bærum": "3201", "ASSS": members, "Landet": "EAK"},
        2015,
        2019,
    )
    assert table["status"].isna().all()
    for row in table.itertuples():
        assert row.g_N + row.g_L + row.g_P + row.combination == pytest.approx(row.g_T)
    annual = annual_growth(replay_data.measures, "3201", range(2015, 2021))
    assert len(annual) == 5 and annual["status"].isna().all()


@pytest.mark.replay
def test_measure_table_sums_equal_pandas_bit_for_bit(replay_data) -> None:
    """The looked-up inputs are the frame's own rows, summed in its order as pandas sums."""
    from navbok.analysis import growth
    from navbok.groups import asss_members

    m = replay_data.measures
    table = growth.MeasureTable(m)
    for year in (2015, 2019, 2024):
        members = asss_members(year, "med_asker")
        values, status, note, _ = growth._inputs(table, members, year)
        sel = m[m["region"].isin(members) & (m["year"] == year)]
        for key, measure in growth.MEASURES.items():
            want = float(sel[sel["measure"] == measure]["value"].sum())
            assert values[key] == want and status is None and note == "", (year, key)
    values, status, note, gaps = growth._inputs(table, ["3201", "9999"], 2019)
    assert math.isnan(values["T"]) and status == ".." and "9999" in note
    assert gaps == [("9999", 2019, "..")]


def test_price_index_source_names_the_deflator(tmp_path: Path) -> None:
    from navbok.analysis.prices import price_index_source

    kpi = tmp_path / "kpi.csv"
    kpi.write_text(
        "# source: SSB tabell 14700, KPI, årsgjennomsnitt\nyear;index\n2015;100\n", "utf-8"
    )
    assert price_index_source(kpi) == "SSB tabell 14700, KPI, årsgjennomsnitt"
    bare = tmp_path / "bare.csv"
    bare.write_text("year;index\n2015;100\n", "utf-8")
    assert price_index_source(bare) == ""
    assert price_index_source(None) == ""
