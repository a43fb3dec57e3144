"""A download's table as plain Python columns: the fast way from a frame to CSV and Excel.

Writing the numbers behind a figure as files went through pandas three times per figure
(status columns, bokmål, formula guard, ``to_csv``, row iteration), most of it building new
frames with Arrow-backed text. :class:`PlainTable` holds the same table as Python lists, read
from the frame once (:func:`plain_table`), and :func:`csv_text` writes exactly the text
``DataFrame.to_csv`` writes for it (``tests/test_plain_table.py`` compares both on the
book's own download tables and on random ones). Frames with column types it does not know
(dates, nullable floats, …) are left to pandas: :func:`plain_table` gives ``None``.
"""

from __future__ import annotations

import collections
import csv
import functools
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "FLOAT",
    "NUMBER",
    "OBJECT",
    "TEXT",
    "PlainTable",
    "column_values",
    "csv_text",
    "named_rows",
    "plain_table",
    "rows_of",
]

#: Column kinds. ``FLOAT``: NumPy float64 (``to_csv`` writes its decimal comma); ``NUMBER``:
#: integers (NumPy or nullable ``Int64``) and NumPy booleans; ``TEXT``: pandas' text type;
#: ``OBJECT``: anything in a NumPy object column.
FLOAT, NUMBER, TEXT, OBJECT = "float", "number", "text", "object"


@dataclass(frozen=True)
class PlainTable:
    """A table as Python columns: ``names`` (the column labels), ``columns`` (the values of
    each column as iterating the frame's column gives them: Python scalars, ``NaN``/``pd.NA``
    or ``None`` where missing), ``kinds`` (per column, :data:`FLOAT` …) and the row count.

    The columns are tuples (nothing can change them); a new table is made for a change."""

    names: tuple[Any, ...]
    columns: tuple[tuple[Any, ...], ...]
    kinds: tuple[str, ...]
    nrows: int

    def rows(self) -> Any:
        """The rows as tuples (as ``itertuples(index=False, name=None)``)."""
        return zip(*self.columns, strict=True) if self.columns else iter(())

    def with_columns(
        self, names: Sequence[Any], columns: Sequence[Sequence[Any]], kinds: Sequence[str]
    ) -> PlainTable:
        """A table of the same length with other columns."""
        return PlainTable(tuple(names), tuple(tuple(c) for c in columns), tuple(kinds), self.nrows)


def _kind(dtype: Any) -> str | None:
    """The kind of a column of type ``dtype``, ``None`` for a type left to pandas."""
    if isinstance(dtype, np.dtype):
        if dtype == np.float64:
            return FLOAT
        if dtype.kind in "iub":
            return NUMBER
        if dtype.kind == "O":
            return OBJECT
        return None
    if isinstance(dtype, pd.Int64Dtype):
        return NUMBER
    if isinstance(dtype, pd.StringDtype) and dtype.storage in ("pyarrow", "python"):
        return TEXT
    return None


def column_values(values: Any) -> list[Any]:
    """The values of a column's array (``Series.array``/``_values``) as iterating the column
    gives them, in bulk: NumPy arrays as Python scalars, text as ``str`` with the type's
    missing value, anything else by iterating it."""
    if isinstance(values, np.ndarray):
        return values.tolist()
    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        na = dtype.na_value
        return [na if v is None else v for v in values._pa_array.to_pylist()]
    return list(values)


def _column_arrays(df: pd.DataFrame) -> list[Any]:
    """The arrays of ``df``'s columns as the frame stores them (read only): pandas' own
    column iterator, one Series per column (``df.iloc[:, i]``) when a pandas has none."""
    arrays = getattr(df, "_iter_column_arrays", None)
    if arrays is not None:
        return list(arrays())
    return [df.iloc[:, i]._values for i in range(len(df.columns))]


@functools.lru_cache(maxsize=64)
def _row_type(fields: tuple[str, ...]) -> Any:
    """The named tuple ``itertuples`` makes for these fields (made once per fields)."""
    return collections.namedtuple("Pandas", fields, rename=True)


def named_rows(df: pd.DataFrame) -> list[Any]:
    """The rows of ``df`` as ``list(df.itertuples())`` gives them (named tuples: ``Index``,
    then the columns, pandas' field names), read column by column in bulk (:func:`rows_of`)."""
    row = _row_type(("Index", *(str(c) for c in df.columns)))  # namedtuple's own str()
    return [row(i, *r) for i, r in zip(list(df.index), rows_of(df), strict=True)]


def rows_of(df: pd.DataFrame) -> list[tuple[Any, ...]]:
    """The rows of ``df`` as ``itertuples(index=False, name=None)`` gives them, read column by
    column in bulk (:func:`column_values`)."""
    if len(df.columns) == 0:
        return [()] * len(df)
    columns = [column_values(values) for values in _column_arrays(df)]
    return list(zip(*columns, strict=True))


def plain_table(df: pd.DataFrame) -> PlainTable | None:
    """``df`` as a :class:`PlainTable`, ``None`` when a column's type is left to pandas, a
    column name repeats or there are no columns."""
    names = list(df.columns)
    if not names or len(set(names)) != len(names):
        return None
    kinds = [_kind(t) for t in df.dtypes.tolist()]
    if any(k is None for k in kinds):
        return None
    columns = [tuple(column_values(values)) for values in _column_arrays(df)]
    return PlainTable(tuple(names), tuple(columns), tuple(kinds), len(df))  # type: ignore[arg-type]


def _missing(value: Any) -> bool:
    """``pd.isna`` for one cell (None, NaN, pd.NA, NaT)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str | int):
        return False
    return bool(pd.api.types.is_scalar(value) and pd.isna(value))


def _float_text(value: Any, decimal: str) -> str:
    # What to_csv writes for a float64 cell: str() of the NumPy float, the decimal mark
    # replaced (pandas' FloatArrayFormatter without float_format).
    return str(np.float64(value)).replace(".", decimal, 1)


def csv_text(table: PlainTable, *, sep: str, decimal: str, na_rep: str, lineterminator: str) -> str:
    """The text ``DataFrame.to_csv(sep=…, decimal=…, index=False, na_rep=…,
    lineterminator=…)`` writes for the frame ``table`` was read from."""
    out = io.StringIO()
    writer = csv.writer(
        out,
        lineterminator=lineterminator,
        delimiter=sep,
        quoting=csv.QUOTE_MINIMAL,
        doublequote=True,
        escapechar=None,
        quotechar='"',
    )
    cells = []
    for kind, values in zip(table.kinds, table.columns, strict=True):
        if kind == FLOAT:
            cells.append([na_rep if v != v else _float_text(v, decimal) for v in values])
        else:
            cells.append([na_rep if _missing(v) else v for v in values])
    writer.writerow(list(table.names))
    writer.writerows(zip(*cells, strict=True))
    return out.getvalue()
