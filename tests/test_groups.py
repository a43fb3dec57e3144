"""Group statistics: member totals, status ranking, ASSS mean/high/low."""

import math

import pandas as pd

from navbok.groups import member_stats, year_totals
from navbok.status import worst_of


def test_worst_of_ranks_symbols_row_by_row():
    a = pd.Series([None, "..", ":", None, "p"], index=[5, 6, 7, 8, 9])
    b = pd.Series([".", ":", None, None, None], index=[5, 6, 7, 8, 9])
    out = worst_of(a, b)
    assert out.tolist() == [".", ":", ":", None, "p"]
    assert out.index.tolist() == [5, 6, 7, 8, 9]


MEMBERS = pd.DataFrame(
    {
        "code": ["1", "2", "3", "1", "2", "3"],
        "year": [2020] * 3 + [2021] * 3,
        "group": ["EKG01", "EKG01", "EKG02", "EKG01", "EKG01", "EKG02"],
    }
)


def test_year_totals_and_suppressed_member_makes_group_missing():
    frame = pd.DataFrame(
        {
            "region": ["1", "2", "3", "1", "2", "3"],
            "year": [2020] * 3 + [2021] * 3,
            "value": [10.0, 5.0, 7.0, 10.0, float("nan"), 8.0],
            "status": [None, None, None, None, ":", None],
        }
    )
    out = year_totals(frame, MEMBERS).set_index(["region", "year"])
    assert out.loc[("EKG01", 2020), "value"] == 15
    assert out.loc[("EKG01", 2020), "status"] is None
    assert math.isnan(out.loc[("EKG01", 2021), "value"])
    assert out.loc[("EKG01", 2021), "status"] == ":"
    assert out.loc[("EKG02", 2021), "value"] == 8


def test_year_totals_member_without_row_is_not_available():
    frame = pd.DataFrame({"region": ["1"], "year": [2020], "value": [3.0], "status": [None]})
    out = year_totals(frame, MEMBERS[MEMBERS["year"] == 2020]).set_index("region")
    assert math.isnan(out.loc["EKG01", "value"])
    assert out.loc["EKG01", "status"] == ".."


def test_member_stats_mean_high_low_and_missing_count():
    data = pd.DataFrame(
        {
            "region": ["1", "2", "3"],
            "year": [2020] * 3,
            "indicator": ["x"] * 3,
            "value": [1.0, 3.0, float("nan")],
            "status": [None, None, ":"],
        }
    )
    s = member_stats(data, {2020: ["1", "2", "3"]}, "x").iloc[0]
    assert (s["mean"], s["max"], s["min"]) == (2.0, 3.0, 1.0)
    assert (s["max_region"], s["min_region"], s["n"], s["n_missing"]) == ("2", "1", 2, 1)
