"""Municipality register, code changes, harmonisation to the target vintage, name resolution."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from minireplay import recipients

from navbok.errors import RegionError
from navbok.measures import population_frame, table_frame
from navbok.regions import (
    Register,
    detect_target_vintage,
    harmonise,
    population_split_weights,
)
from navbok.snapshot import Snapshot
from navbok.status import worst_status

OLD_2015 = {"0301", "0219", "0220", "0627", "0628", "0709", "0728", "0706", "0719", "0720",
            "1504", "1534"}  # fmt: skip
CODES_2020 = {"0301", "3024", "3025", "3805", "3804", "1507"}
CODES_2024 = {"0301", "3201", "3203", "3909", "3907", "1508", "1580"}


@pytest.fixture(scope="module")
def snapshot(mini_snapshot: Path) -> Snapshot:
    return Snapshot.open(mini_snapshot)


@pytest.fixture(scope="module")
def register(snapshot: Snapshot) -> Register:
    return Register.from_snapshot(snapshot)


@pytest.fixture(scope="module")
def weights(snapshot: Snapshot, register: Register):
    pop = population_frame(snapshot, register)
    total = pop.groupby(["region", "year"], as_index=False)["value"].sum()
    return population_split_weights(total, register)


def test_target_vintage(register: Register) -> None:
    assert register.target_date == "2026-01-01"
    assert set(register.target_codes) == CODES_2024
    assert register.names["3201"] == "Bærum"


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2015, OLD_2015),
        (2016, OLD_2015),
        (2017, OLD_2015 - {"0706", "0719", "0720"} | {"0710"}),  # Sandefjord
        (2018, OLD_2015 - {"0706", "0719", "0720", "0709", "0728"} | {"0710", "0712"}),  # Larvik
        (2019, OLD_2015 - {"0706", "0719", "0720", "0709", "0728"} | {"0710", "0712"}),
        (2020, CODES_2020),
        (2023, CODES_2020),
        (2024, CODES_2024),
        (2025, CODES_2024),
    ],
)
def test_valid_codes(register: Register, year: int, expected: set[str]) -> None:
    assert register.valid_codes(year) == expected


@pytest.mark.parametrize(
    ("code", "year", "target"),
    [
        ("0219", 2015, "3201"), ("3024", 2020, "3201"), ("3201", 2024, "3201"),
        ("0220", 2019, "3203"), ("0627", 2015, "3203"), ("0628", 2017, "3203"),
        ("3025", 2023, "3203"), ("0709", 2015, "3909"), ("0728", 2017, "3909"),
        ("0712", 2018, "3909"), ("3805", 2020, "3909"), ("0719", 2016, "3907"),
        ("0301", 2015, "0301"),
        # whole_successor (config/regions.yaml) overrides the split for the old Ålesund codes
        ("1504", 2015, "1508"), ("1534", 2019, "1580"),
    ],
)  # fmt: skip
def test_successors_whole(register: Register, code: str, year: int, target: str) -> None:
    assert register.successors(code, year) == {target: 1.0}


def test_split_uses_population_weights(register: Register, weights) -> None:
    # 1507 (2020-2023) split into 1508/1580 in 2024; population 2024 (1.1.2025) is 6:1
    assert register.successors("1507", 2020) == {"1508": 0.5, "1580": 0.5}  # default: even
    succ = register.successors("1507", 2022, weights)
    assert succ == pytest.approx({"1508": 6 / 7, "1580": 1 / 7})
    mapping = register.code_map([2020, 2024], weights)
    split = mapping[mapping["old"] == "1507"]
    assert set(split["new"]) == {"1508", "1580"} and split["split"].all()
    assert not mapping[mapping["old"] != "1507"]["split"].any()
    assert register.predecessors("1580", 2021) == ["1507"]
    assert register.predecessors("3203", 2019) == ["0220", "0627", "0628"]


def test_population_split_weights_by_hand(register: Register) -> None:
    pop = pd.DataFrame({"region": ["1508", "1580"], "year": [2024, 2024], "value": [300.0, 100.0]})
    w = population_split_weights(pop, register)
    assert w("1507", ["1508", "1580"], 2024) == {"1508": 300.0, "1580": 100.0}
    unknown = w("1507", ["1508", "1580"], 2023)  # no population: unknown, never even
    assert set(unknown) == {"1508", "1580"} and all(math.isnan(v) for v in unknown.values())
    assert register.successors("1507", 2021, w) == pytest.approx({"1508": 0.75, "1580": 0.25})


# -- harmonise ------------------------------------------------------------------------------------


def test_harmonise_mini_table(snapshot: Snapshot, register: Register, weights) -> None:
    t = table_frame(snapshot, "13138")
    t = t[t["contents"] == "KOSsosantkliente0000"].drop(columns=["contents", "table"])
    years = list(range(2015, 2022))
    h = harmonise(t, register.code_map(years, weights), keys=[]).set_index(["region", "year"])
    assert set(h.index.get_level_values("region")) == CODES_2024  # EAK, EKG.. left out
    # mergers sum counts: Asker 2015 = Asker + Røyken + Hurum
    assert h.loc[("3203", 2015), "value"] == 500 + 200 + 100
    asker = ["0220", "0627", "0628"]
    assert h.loc[("3203", 2021), "value"] == sum(recipients(u, 2021) for u in asker)
    # Larvik 2015 = Larvik + Lardal; Lardal is suppressed in 2016 so the merged cell is too
    assert h.loc[("3909", 2015), "value"] == 400 + 50
    assert math.isnan(h.loc[("3909", 2016), "value"])
    assert h.loc[("3909", 2016), "status"] == ":"
    assert h.loc[("3909", 2017), "value"] == recipients("0709", 2017) + recipients("0728", 2017)
    assert pd.isna(h.loc[("3909", 2017), "status"])
    # the 2020 split: 1507 = 1504 + 1534 = 1050 recipients, spread 6:1
    assert h.loc[("1508", 2020), "value"] == pytest.approx(900)
    assert h.loc[("1580", 2020), "value"] == pytest.approx(150)
    assert h.loc[("1580", 2020), "split"] and not h.loc[("1580", 2019), "split"]
    assert h.loc[("1580", 2019), "value"] == recipients("1534", 2019)


def test_harmonise_by_hand() -> None:
    frame = pd.DataFrame(
        {
            "region": ["A1", "A2", "B1", "B2", "C1", "EAK"],
            "year": [2019] * 6,
            "value": [10.0, 5.0, None, 7.0, None, 99.0],
            "status": [None, None, ":", None, ".", None],
        }
    )
    mapping = pd.DataFrame(
        {
            "year": [2019] * 5,
            "old": ["A1", "A2", "B1", "B2", "C1"],
            "new": ["A", "A", "B", "B", "C"],
            "weight": [1.0] * 5,
            "split": [False] * 5,
        }
    )
    out = harmonise(frame, mapping, keys=[]).set_index("region")
    assert list(out.index) == ["A", "B", "C"]
    assert out.loc["A", "value"] == 15 and pd.isna(out.loc["A", "status"])
    assert math.isnan(out.loc["B", "value"]) and out.loc["B", "status"] == ":"  # never 7
    assert out.loc["C", "status"] == "."


def test_worst_status() -> None:
    assert worst_status(pd.Series([None, "..", ":"])) == ":"
    assert worst_status(pd.Series([".", ".."])) == ".."
    assert worst_status(pd.Series([None, None])) is None
    assert worst_status(pd.Series(["p"])) == "p"


def test_detect_target_vintage(snapshot: Snapshot, register: Register) -> None:
    pop = snapshot.ssb("07459").frame
    pop = pd.DataFrame(
        {"region": pop["Region"], "year": pop["Tid"].astype(int), "value": pop["value"]}
    )
    assert detect_target_vintage(pop, register, 2015)  # the recording keys 2015 to 2024 codes
    t = table_frame(snapshot, "13138")
    assert not detect_target_vintage(t, register, 2015)
    assert not detect_target_vintage(t, register, 2020)
    assert detect_target_vintage(table_frame(snapshot, "13995"), register, 2024)
    assert not detect_target_vintage(t, register, 1999)  # no rows at all


# -- resolve --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "code"),
    [("3201", "3201"), ("Bærum", "3201"), ("bærum", "3201"), ("BÆRUM", "3201"),
     ("  asker ", "3203"), ("oslo", "0301"), ("Oslo - Oslove", "0301"), ("301", "0301"),
     ("Haram", "1580")],
)  # fmt: skip
def test_resolve(register: Register, query: str, code: str) -> None:
    m = register.resolve(query)
    assert m.code == code and m.notice == ""


@pytest.mark.parametrize(
    ("old", "new", "name"),
    [("0219", "3201", "Bærum"), ("219", "3201", "Bærum"), ("3024", "3201", "Bærum"),
     ("0627", "3203", "Asker"), ("0728", "3909", "Larvik"), ("1534", "1580", "Haram"),
     ("1504", "1508", "Ålesund")],
)  # fmt: skip
def test_resolve_old_code(register: Register, old: str, new: str, name: str) -> None:
    m = register.resolve(old)
    assert (m.code, m.name) == (new, name)
    assert f"{old.zfill(4)} " in m.notice and "tidligere kommunenummer" in m.notice
    assert f"{new} {name}" in m.notice


def test_resolve_unknown_name_lists_close_matches(register: Register) -> None:
    with pytest.raises(RegionError, match=r"Unknown municipality 'Bærumm'\. Closest matches: 3201"):
        register.resolve("Bærumm")
    with pytest.raises(RegionError, match="Closest matches: 3203 Asker") as err:
        register.resolve("Askr")
    assert "Bærum" not in str(err.value)


def test_resolve_split_code_lists_successors(register: Register) -> None:
    with pytest.raises(RegionError, match="1507 Ålesund was split into") as err:
        register.resolve("1507")
    assert "1508 Ålesund" in str(err.value) and "1580 Haram" in str(err.value)


def test_register_needs_registers() -> None:
    with pytest.raises(RegionError, match="No municipality register"):
        Register({}, pd.DataFrame(columns=["old", "old_name", "new", "new_name", "date"]))


# -- a split into successors that also took in other municipalities (Tysfjord 2020) -------------


def tysfjord_register() -> Register:
    """1850 Tysfjord split in 2020 between 1806 Narvik (with 1805 Narvik, 1854 Ballangen) and
    1875 Hamarøy (with 1849 Hamarøy)."""

    def reg(codes: dict[str, str]) -> pd.DataFrame:
        return pd.DataFrame({"code": list(codes), "name": list(codes.values())})

    old = {"1805": "Narvik", "1854": "Ballangen", "1850": "Tysfjord", "1849": "Hamarøy"}
    new = {"1806": "Narvik", "1875": "Hamarøy"}
    moves = [("1805", "1806"), ("1854", "1806"), ("1850", "1806"), ("1850", "1875"),
             ("1849", "1875")]  # fmt: skip
    changes = pd.DataFrame(
        [(o, old[o], n, new[n], pd.Timestamp("2020-01-01")) for o, n in moves],
        columns=["old", "old_name", "new", "new_name", "date"],
    )
    return Register({"2019-01-01": reg(old), "2024-01-01": reg(new)}, changes,
                    whole_successor={})  # fmt: skip


def tysfjord_frame() -> pd.DataFrame:
    values = {"1805": 100.0, "1854": 20.0, "1850": 10.0, "1849": 15.0}
    return pd.DataFrame({"region": list(values), "year": 2019, "value": list(values.values()),
                         "status": None})  # fmt: skip


def test_an_unknown_split_part_is_not_carried_into_the_successors() -> None:
    """Before: Tysfjord was spread by the successors' whole populations (Narvik 88 %, though
    it got about half). Now the part is unknown and the cells before the split are missing."""
    register = tysfjord_register()
    pop = pd.DataFrame({"region": ["1806", "1875"], "year": [2020, 2020], "value": [21e3, 3e3]})
    w = population_split_weights(pop, register)
    assert all(math.isnan(v) for v in w("1850", ["1806", "1875"], 2020).values())
    h = harmonise(tysfjord_frame(), register.code_map([2019], w), keys=[]).set_index("region")
    for code in ("1806", "1875"):
        assert math.isnan(h.loc[code, "value"]) and h.loc[code, "status"] == ".."
        assert h.loc[code, "split"]
    assert register.split_parts("1806") == [("1850", "Tysfjord", 2020, False)]
    assert register.split_parts("1805") == []


def test_a_configured_split_population_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    import navbok.regions as regions

    config = {"split_population": {"1850": {"1806": 1000, "1875": 900, "source": "test"}}}
    monkeypatch.setattr(regions, "regions_config", lambda: config)
    register = tysfjord_register()
    w = population_split_weights(pd.DataFrame(columns=["region", "year", "value"]), register)
    assert w("1850", ["1806", "1875"], 2020) == {"1806": 1000.0, "1875": 900.0}
    h = harmonise(tysfjord_frame(), register.code_map([2019], w), keys=[]).set_index("region")
    assert h.loc["1806", "value"] == pytest.approx(100 + 20 + 10 * 1000 / 1900)
    assert h.loc["1875", "value"] == pytest.approx(15 + 10 * 900 / 1900)
    assert register.split_parts("1875") == [("1850", "Tysfjord", 2020, True)]
