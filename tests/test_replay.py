"""Known results on the full recorded replay ($NAVBOK_SOURCE, e.g. ../shared/replay-v2)."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from navbok.data import NavData

pytestmark = [
    pytest.mark.replay,
    pytest.mark.skipif(
        not os.environ.get("NAVBOK_SOURCE"),
        reason="needs NAVBOK_SOURCE pointing at the recorded replay (e.g. ../shared/replay-v2)",
    ),
]

YEARS = list(range(2015, 2025))


def series(data: NavData, region: str, indicator: str) -> pd.Series:
    v = data.values
    sel = v[(v["region"] == region) & (v["indicator"] == indicator) & v["year"].isin(YEARS)]
    return sel.set_index("year")["value"].sort_index()


def measure(data: NavData, region: str, year: int, name: str) -> float:
    m = data.measures
    rows = m[(m["region"] == region) & (m["year"] == year) & (m["measure"] == name)]
    assert len(rows) == 1
    return float(rows["value"].iloc[0])


@pytest.mark.parametrize("region", ["3201", "3909", "3203"])
@pytest.mark.parametrize("indicator", ["mottakere", "stonadslengde", "utbetalt", "andel_18_66"])
def test_continuous_series(replay_data: NavData, region: str, indicator: str) -> None:
    s = series(replay_data, region, indicator)
    assert list(s.index) == YEARS
    assert s.notna().all(), s[s.isna()]


def test_baerum_payout_growth_decomposition(replay_data: NavData) -> None:
    def get(name: str, year: int) -> float:
        return measure(replay_data, "3201", year, name)

    n = get("mottakere", 2019) / get("mottakere", 2015)
    months = [get("stonadsmaaneder", y) / get("mottakere", y) for y in (2015, 2019)]
    per_month = [get("utbetalt", y) / get("stonadsmaaneder", y) for y in (2015, 2019)]
    total = get("utbetalt", 2019) / get("utbetalt", 2015)
    assert (total - 1) * 100 == pytest.approx(25.1, abs=0.1)
    assert (n - 1) * 100 == pytest.approx(4.1, abs=0.1)
    assert (months[1] / months[0] - 1) * 100 == pytest.approx(15.7, abs=0.1)
    assert (per_month[1] / per_month[0] - 1) * 100 == pytest.approx(3.9, abs=0.1)
    assert n * months[1] / months[0] * per_month[1] / per_month[0] == pytest.approx(total)


def test_asker_2015_is_the_sum_of_its_predecessors(replay_data: NavData) -> None:
    f = replay_data.snapshot.ssb("13138").frame
    sel = f[
        f["KOKkommuneregion0000"].isin(["0220", "0627", "0628"])
        & (f["ContentsCode"] == "KOSsosantkliente0000")
        & (f["Tid"] == "2015")
    ]
    assert len(sel) == 3 and sel["value"].notna().all()
    assert measure(replay_data, "3203", 2015, "mottakere") == sel["value"].sum()


def test_asss_average_2023(replay_data: NavData) -> None:
    groups = replay_data.groups("3201", asss_variant="med_asker")
    c = replay_data.comparison(groups, "andel_18_66", years=[2023])
    avg = c[c["kind"] == "asss_snitt"].iloc[0]
    assert avg["value"] == pytest.approx(4.00, abs=0.1)
    assert avg["source"] == "ASSS, uveid snitt av 11 kommuner"


def test_baerum_share_2020(replay_data: NavData) -> None:
    assert series(replay_data, "3201", "andel_18_66")[2020] == pytest.approx(2.6, abs=0.05)


def test_landet_payout_2019(replay_data: NavData) -> None:
    assert series(replay_data, "EAK", "utbetalt")[2019] == 6_983_773


def test_every_municipality_has_a_value_or_a_status_in_2024(replay_data: NavData) -> None:
    targets = replay_data.register.target_codes
    assert len(targets) == 357
    v = replay_data.values
    sel = v[(v["indicator"] == "mottakere") & (v["year"] == 2024)].set_index("region")
    sel = sel.reindex(targets)
    lacking = sel[sel["value"].isna() & sel["status"].isna()]
    assert lacking.empty, list(lacking.index)


def test_nav_aap_baerum_february_2021(replay_data: NavData) -> None:
    (code,) = replay_data.register.predecessors("3201", 2021)
    assert code == "3024"
    aap = replay_data.snapshot.aap("2021-02").set_index("region")
    assert aap.loc["3024", "share"] == pytest.approx(1.9, abs=0.05)
    assert aap.loc["EAK", "value"] > aap["value"].drop("EAK").sum()  # includes suppressed
