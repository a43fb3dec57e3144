"""Norwegian number formatting (present/numbers.py) and table export (present/exports.py)."""

from __future__ import annotations

import io
import math
import zipfile

import numpy as np
import pandas as pd
import pytest

from navbok.present.exports import csv_bytes, xlsx_bytes
from navbok.present.numbers import (
    fmt_kr,
    fmt_number,
    fmt_percent,
    fmt_pp,
    fmt_signed_percent,
    is_missing,
)

NBSP = "\u00a0"
MINUS = "\u2212"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234.5, 1, f"1{NBSP}234,5"),
        (1234.5, 0, f"1{NBSP}235"),
        (1234567, 0, f"1{NBSP}234{NBSP}567"),
        (0, 0, "0"),
        (0.04, 1, "0,0"),
        (-0.04, 1, "0,0"),  # no "−0,0"
        (-1234.5, 1, f"{MINUS}1{NBSP}234,5"),
        (2.5, 0, "3"),  # half away from zero, not banker's rounding
        (-2.5, 0, f"{MINUS}3"),
        (2.675, 2, "2,68"),  # rounds the number as written, not its binary approximation
        (np.float64(12.25), 1, "12,3"),
        (np.int64(999), 0, "999"),
        (pd.Series([1000.0]).iloc[0], 2, f"1{NBSP}000,00"),
    ],
)
def test_fmt_number(value: object, decimals: int, expected: str) -> None:
    assert fmt_number(value, decimals) == expected


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA, pd.NaT])
def test_missing_is_dash_not_zero(missing: object) -> None:
    assert is_missing(missing)
    for fmt in (fmt_number, fmt_percent, fmt_kr, fmt_signed_percent, fmt_pp):
        assert fmt(missing) == "\u2013"


@pytest.mark.parametrize("status", ["..", ":", "."])
def test_status_symbol_passthrough(status: str) -> None:
    assert fmt_number(None, 1, status=status) == status
    assert fmt_percent(float("nan"), status=status) == status
    assert fmt_kr(pd.NA, status=status) == status
    assert fmt_signed_percent(None, status=status) == status
    assert fmt_pp(None, status=status) == status
    # A value that is present wins over a status flag.
    assert fmt_number(5, status=status) == "5"


def test_not_missing() -> None:
    assert not is_missing(0)
    assert not is_missing("")
    assert not is_missing([1, 2])


def test_percent_and_kroner() -> None:
    assert fmt_percent(12.345) == f"12,3{NBSP}%"
    assert fmt_percent(12.3, 0) == f"12{NBSP}%"
    assert fmt_kr(1234) == f"1{NBSP}234{NBSP}kr"
    assert fmt_kr(1234.5, 2) == f"1{NBSP}234,50{NBSP}kr"
    assert fmt_kr(-50) == f"{MINUS}50{NBSP}kr"


def test_signed_growth_and_percentage_points() -> None:
    assert fmt_signed_percent(4.1) == f"+4,1{NBSP}%"
    assert fmt_signed_percent(-2) == f"{MINUS}2,0{NBSP}%"
    assert fmt_signed_percent(0.01) == f"0,0{NBSP}%"  # rounds to zero: no sign
    assert fmt_signed_percent(1234.56, 0) == f"+1{NBSP}235{NBSP}%"
    assert fmt_pp(1.4) == f"+1,4{NBSP}prosentpoeng"
    assert fmt_pp(-0.75) == f"{MINUS}0,8{NBSP}prosentpoeng"
    assert "-" not in fmt_signed_percent(-3.3)  # a real minus sign, not a hyphen


def test_bad_input_raises() -> None:
    with pytest.raises(ValueError):
        fmt_number("abc")
    with pytest.raises(ValueError):
        fmt_number(math.inf)
    with pytest.raises(ValueError):
        fmt_number(1.0, -1)


@pytest.fixture
def table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "år": [2022, 2023, 2024],
            "kommune": ["Bø", "Ås", "Bø"],
            "verdi": [1234.5, None, -0.25],
            "status": [None, "..", None],
        }
    )


def test_csv_bytes(table: pd.DataFrame) -> None:
    data = csv_bytes(table)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    text = data.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == "år;kommune;verdi;status"
    assert lines[1] == "2022;Bø;1234,5;"
    assert lines[2] == "2023;Ås;;.."  # missing stays empty, never 0
    assert lines[3] == "2024;Bø;-0,25;"
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    assert back["verdi"].tolist()[0] == 1234.5
    assert math.isnan(back["verdi"].tolist()[1])


def test_xlsx_round_trip(table: pd.DataFrame) -> None:
    data = xlsx_bytes(table, sheet_name="tall")
    back = pd.read_excel(io.BytesIO(data), sheet_name="tall")
    assert back.columns.tolist() == ["år", "kommune", "verdi", "status"]
    assert back["år"].tolist() == [2022, 2023, 2024]
    assert back["kommune"].tolist() == ["Bø", "Ås", "Bø"]
    assert back.loc[0, "verdi"] == 1234.5
    assert pd.isna(back.loc[1, "verdi"])
    assert back.loc[1, "status"] == ".."


def test_xlsx_is_reproducible(table: pd.DataFrame) -> None:
    first = xlsx_bytes(table)
    assert xlsx_bytes(table) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}


def test_xlsx_handles_dates_and_numpy_types() -> None:
    df = pd.DataFrame(
        {
            "navn": ["a", "b"],
            "dato": pd.to_datetime(["2024-01-31", None]),
            "n": pd.array([1, None], dtype="Int64"),
        }
    )
    back = pd.read_excel(io.BytesIO(xlsx_bytes(df)))
    assert back.loc[0, "dato"] == pd.Timestamp("2024-01-31")
    assert pd.isna(back.loc[1, "dato"])
    assert back.loc[0, "n"] == 1
    assert pd.isna(back.loc[1, "n"])


def test_seconds_are_norwegian() -> None:
    from navbok.present.numbers import fmt_seconds

    assert fmt_seconds(1.7) == "1,7 s"
    assert fmt_seconds(31.249, 2) == "31,25 s"
