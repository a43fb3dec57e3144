"""The downloads read once as plain Python columns (present/plain_table.py) give exactly the
files the pandas path writes: ``DataFrame.to_csv``'s text, the same workbook, the same status
columns — on random tables and on every figure and table of the book's chapters."""

from __future__ import annotations

import math
import random
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from chapter_run import run_chapter

from navbok.params import params_for
from navbok.present import exports, tables
from navbok.present.plain_table import column_values, csv_text, plain_table, rows_of
from navbok.report import Report

PROVENANCE = exports.Provenance("Statistisk sentralbyrå (SSB), tabell 1", "2024-01-01", "SSB 1")
CSV = {"sep": ";", "decimal": ",", "na_rep": "", "lineterminator": "\r\n"}


def _text(rng: random.Random) -> str:
    odd = ["", " lead", "trail ", "=SUM(A1)", "+x", "-3", "tab\tx", 'si "hei"', "a;b", "ny\nlinje"]
    if rng.random() < 0.3:
        return rng.choice(odd)
    alphabet = "abcæøåÆØÅ &<>'–−%0123456789.,"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))


def _column(rng: random.Random, kind: str, n: int) -> pd.Series:
    def value() -> object:
        if kind == "f":
            return rng.choice(
                [1.5, -0.0, 1e-7, 1e16, 1e20, 123.456789012345678, 2 / 3, 0.1, 1e-4, np.inf, np.nan]
            )
        if kind in "iI":
            return rng.choice([0, 1, -5, 2**40, 10**17, 123456789])
        if kind == "b":
            return rng.choice([True, False])
        if kind == "o":
            return rng.choice([True, "x", 1.5, None, 3, "=1", np.nan])
        return None if rng.random() < 0.15 else _text(rng)

    values = [value() for _ in range(n)]
    if kind == "I":
        return pd.Series([None if rng.random() < 0.2 else v for v in values], dtype="Int64")
    if kind == "o":
        return pd.Series(values, dtype=object)
    return pd.Series(values)


def _frames(seed: int, count: int) -> list[pd.DataFrame]:
    rng = random.Random(seed)
    out = []
    for t in range(count):
        kinds = [rng.choice("ssffiIbo") for _ in range(rng.randint(1, 9))]
        n = rng.randint(0, 10)
        df = pd.DataFrame({str(i): _column(rng, k, n) for i, k in enumerate(kinds)})
        names = [_text(rng) or "x" if rng.random() < 0.7 else "year" for _ in kinds]
        df.columns = [f"{name}{i}" if t % 2 else name for i, name in enumerate(names)]
        if len(set(df.columns)) == len(df.columns):
            out.append(df)
    return out


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and (a is b or a == b)


def test_plain_columns_are_the_frames_rows() -> None:
    for df in _frames(1, 200):
        table = plain_table(df)
        assert table is not None, df.dtypes
        rows = list(df.itertuples(index=False, name=None))
        got = list(table.rows())
        assert len(rows) == len(got) == table.nrows
        for row, mine in zip(rows, got, strict=True):
            # numpy scalars (nullable ints) come as Python numbers: the same text and value
            for a, b in zip(row, mine, strict=True):
                assert _same(a, b) or (a == b and str(a) == str(b)), (a, b)


def test_rows_of_is_itertuples() -> None:
    frames = _frames(4, 150) + [pd.DataFrame(index=range(3)), pd.DataFrame({"a": []})]
    frames.append(pd.DataFrame({"d": pd.to_datetime(["2020-01-01", None]), "x": ["a", None]}))
    for df in frames:
        rows = list(df.itertuples(index=False, name=None))
        mine = rows_of(df)
        assert len(rows) == len(mine)
        for row, got in zip(rows, mine, strict=True):
            assert len(row) == len(got)
            assert all(_same(a, b) for a, b in zip(row, got, strict=True)), (row, got)


def test_plain_csv_is_to_csv() -> None:
    for df in _frames(2, 300):
        table = plain_table(df)
        assert table is not None
        assert csv_text(table, **CSV) == df.to_csv(index=False, **CSV), df
        assert exports.csv_bytes(table, PROVENANCE) == exports.csv_bytes(df, PROVENANCE), df


def test_plain_workbook_is_the_frames() -> None:
    for df in _frames(3, 80):
        table = plain_table(df)
        assert table is not None
        assert exports.xlsx_bytes(table, provenance=PROVENANCE) == exports.xlsx_bytes(
            df, provenance=PROVENANCE
        ), df
        assert exports.xlsx_bytes(table) == exports.xlsx_bytes(df), df


def test_types_left_to_pandas() -> None:
    assert plain_table(pd.DataFrame({"d": pd.to_datetime(["2020-01-01"])})) is None
    assert plain_table(pd.DataFrame({"f": pd.array([1.5], dtype="Float64")})) is None
    assert plain_table(pd.DataFrame([[1, 2]], columns=["a", "a"])) is None
    assert plain_table(pd.DataFrame()) is None


def test_column_values_of_text_keep_the_missing_value() -> None:
    s = pd.Series(["a", None, "c"])
    assert [type(v) for v in column_values(s.array)] == [type(v) for v in s]


def _book_downloads(mini_data) -> list[object]:
    """Every ``data`` the chapters hand to :func:`navbok.present.tables.download_links`."""
    seen: list[object] = []
    real = tables.download_table

    def record(data):
        seen.append(data)
        return real(data)

    r = Report(mini_data, params_for(mini_data, "3907"))
    with mock.patch.object(tables, "download_table", record):
        for chapter in ("intro", "aap", "utbetalingsvekst", "langtidsmottakere", "kvp"):
            run_chapter(r, chapter)
    return seen


@pytest.fixture(scope="module")
def book_downloads(mini_data) -> list[object]:
    return _book_downloads(mini_data)


def test_the_books_downloads_are_the_pandas_files(book_downloads) -> None:
    assert len(book_downloads) > 20
    plain = 0
    for data in book_downloads:
        fast = exports.download_table(data)
        frame = exports.with_status_columns(data)
        plain += not isinstance(fast, pd.DataFrame)
        assert exports.csv_bytes(fast, PROVENANCE) == exports.csv_bytes(frame, PROVENANCE)
        assert exports.xlsx_bytes(fast, provenance=PROVENANCE) == exports.xlsx_bytes(
            frame, provenance=PROVENANCE
        )
    assert plain == len(book_downloads)
