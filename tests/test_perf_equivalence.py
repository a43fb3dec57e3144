"""Performance shortcuts in present/exports.py (the workbook) and present/numbers.py (number
texts) give exactly the old output (charts: see test_chart_specs.py)."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from navbok.present import exports, numbers


def _text(rng: random.Random, plain: bool) -> str:
    if not plain:
        odd = ["", " lead", "trail ", "=SUM(A1)", "tab\tx", "linje\nskift", "x" * 40000]
        if rng.random() < 0.3:
            return rng.choice(odd)
    alphabet = "abcæøåÆØÅ &<>\"'–−%0123456789"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))).strip() or "x"


def _value(rng: random.Random, kind: str, plain: bool):
    if rng.random() < 0.15:
        return None if kind != "f" else np.nan
    return {
        "s": lambda: _text(rng, plain),
        "i": lambda: rng.choice([0, 1, -5, 2**40, 10**17, 123456789]),
        "f": lambda: rng.choice([1.5, -0.0, 1e-7, 1e20, 123.456789012345678, np.inf, 2 / 3]),
        "b": lambda: rng.choice([True, False]),
        "d": lambda: pd.Timestamp("2020-01-01"),
    }[kind]()


@pytest.mark.parametrize("plain", [True, False])
def test_fast_xlsx_is_byte_identical_to_openpyxl(plain: bool) -> None:
    rng = random.Random(7 if plain else 8)
    fast = 0
    for t in range(150):
        kinds = [rng.choice("ssiiff" if plain else "sssiifffbd") for _ in range(rng.randint(1, 14))]
        columns = [_text(rng, plain) if rng.random() < 0.9 else 2015 + t for t in range(len(kinds))]
        nrows = rng.randint(0, 12)
        df = pd.DataFrame(
            {i: [_value(rng, k, plain) for _ in range(nrows)] for i, k in enumerate(kinds)}
        )
        df.columns = columns
        if t % 13 == 0:
            df = df.astype(object)
            df.iloc[:, :] = None
        # The downloads are in bokmål (yes/no as Ja/Nei) before either writer sees them.
        assert exports.xlsx_bytes(df) == exports._xlsx_openpyxl(exports.in_bokmal(df)), (t, df)
        fast += exports._xlsx_fast(exports.in_bokmal(df), exports.DATA_SHEET) is not None
    assert fast > (100 if plain else 0)


def test_fast_xlsx_writes_empty_status_cells() -> None:
    # A status column holds "" where a number has no symbol: the fast path writes it as
    # openpyxl does (an empty inline-string cell) instead of handing the table to openpyxl.
    df = pd.DataFrame({"År": [2023, 2024], "Andel": [1.5, None], "Andel status": ["", ":"]})
    fast = exports._xlsx_fast(df, exports.DATA_SHEET)
    assert fast is not None
    assert fast == exports._xlsx_openpyxl(df)


def test_fast_number_format_equals_babel() -> None:
    from decimal import Decimal

    from babel.numbers import format_decimal

    rng = random.Random(3)
    specials = [0, 0.5, -0.5, 1e15, 123456789.125, 2.675, 1e-9, -1e-9, 999.95, 1e20, -0.0]
    for i in range(20000):
        x = rng.uniform(-1e7, 1e7) if i % 3 else rng.choice(specials + [rng.uniform(-9, 9)])
        d = rng.randint(0, 4)
        number = numbers._decimal(x, d)
        pattern = "#,##0" + ("." + "0" * d if d > 0 else "")
        text = format_decimal(
            abs(number), format=pattern, locale=numbers.LOCALE, decimal_quantization=True
        )
        expected = (numbers.MINUS + text) if number < 0 else text
        assert numbers._format(number, d) == expected, (x, d)
    assert numbers._format(Decimal("1234.5"), 1) == "1\u00a0234,5"
