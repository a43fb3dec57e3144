"""Real terms: a price index by year, and deflation of kroner series.

The index comes from one of two places (the growth chapter, :mod:`navbok.report.growth`):

* the book params' price index file (``price_index: <path>``), which wins when it is named;
* else SSB's monthly consumer price index in the snapshot (table 14700, read by
  :mod:`navbok.kpi`), made annual by :func:`annual_index`: the mean of a year's twelve months,
  and no value for a year with fewer (never a partial mean). SSB publishes no annual average in
  14700; 03014, the annual table, was discontinued in February 2026.

The file format:

* a CSV with a header row and two columns, ``year`` and ``index`` (Norwegian headers ``år`` /
  ``aar`` and ``indeks`` are accepted too, in any case);
* ``;`` or ``,`` as the separator (taken from the header line);
* a decimal comma is accepted (``112,5``) – with ``,`` as separator the value must be quoted;
* lines starting with ``#`` are comments (use them to name the source, e.g. ``# source: SSB
  14700 KPI, årsgjennomsnitt``); blank lines are ignored;
* one row per year, every index value a positive number. Any base year (2015 = 100, …) works:
  :func:`deflate` rescales to the base year it is given.

Example::

    # source: SSB tabell 14700, konsumprisindeks, årsgjennomsnitt av månedene
    year;index
    2015;100
    2016;103,6

A file that breaks these rules raises :class:`navbok.errors.ConfigError` naming the file, the line
and the problem.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from navbok.errors import ConfigError

YEAR_HEADERS = {"year", "år", "aar"}
INDEX_HEADERS = {"index", "indeks"}
#: A month as SSB's time codes write it: ``2025M01``.
MONTH_CODE = re.compile(r"(\d{4})M(\d{2})")


def deflate(values: pd.Series, index: pd.Series, base_year: int) -> pd.Series:
    """Express a nominal series in ``base_year`` prices.

    ``real[y] = values[y] · index[base_year] / index[y]``. Both series are indexed by year.
    A year without an index value gives NaN (never the nominal figure), and so does every year
    if the base year has no index value.
    """
    idx = pd.Series(index, dtype=float)
    idx.index = idx.index.astype(int)
    base = idx.get(int(base_year), math.nan)
    years = pd.Index(values.index).astype(int)
    factor = base / idx.reindex(years).to_numpy()
    out = pd.Series(values.to_numpy(dtype=float) * factor, index=values.index, name=values.name)
    return out


def month_of(code: str) -> tuple[int, int]:
    """``(year, month)`` of a monthly time code (``2025M01`` → ``(2025, 1)``).

    Raises :class:`ValueError` naming the code when it is not a month.
    """
    m = MONTH_CODE.fullmatch(str(code).strip())
    if m is None or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"{code!r} is not a month code like 2025M01")
    return int(m.group(1)), int(m.group(2))


def annual_index(monthly: Mapping[str, float] | pd.Series) -> pd.Series:
    """The annual index from monthly values: the mean of a year's twelve months.

    ``monthly`` maps month codes (``2025M01``) to index values; a missing value (NaN or None)
    is a missing month. A year with fewer than twelve months that have values gets no annual
    value at all (never the mean of the months it has). Returns a Series by year (int), sorted,
    named ``index``; empty when no year is complete. Raises :class:`ValueError` for a code that
    is not a month.
    """
    items = monthly.items() if isinstance(monthly, pd.Series) else dict(monthly).items()
    by_year: dict[int, dict[int, float]] = {}
    for code, value in items:
        year, month = month_of(str(code))
        v = float(value) if value is not None else math.nan
        if math.isfinite(v):
            by_year.setdefault(year, {})[month] = v
    annual = {
        year: math.fsum(months.values()) / 12
        for year, months in sorted(by_year.items())
        if len(months) == 12
    }
    out = pd.Series(annual, dtype=float, name="index")
    out.index = pd.Index(list(annual), dtype=int, name="year")
    return out


def rebase(index: pd.Series, base_year: int) -> pd.Series:
    """``index`` rescaled so that ``base_year`` = 100 (a Series by year).

    Raises :class:`ValueError` when the base year has no value (it cannot be a base).
    """
    base = float(index.get(int(base_year), math.nan))
    if not math.isfinite(base) or base <= 0:
        raise ValueError(f"the index has no value for the base year {base_year}")
    return (index.astype(float) / base * 100).rename(index.name)


def _number(text: str, where: str) -> float:
    raw = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in raw and "." in raw:
        raise ConfigError(f"{where}: ambiguous number {text!r} (use either , or . as decimal)")
    try:
        return float(raw.replace(",", "."))
    except ValueError as exc:
        raise ConfigError(f"{where}: {text!r} is not a number") from exc


def parse_price_index(text: str, name: str = "price index") -> pd.Series:
    """Parse price index CSV text (format in the module docstring) into a Series by year."""
    lines = [
        (n, line)
        for n, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        raise ConfigError(f"{name}: the file is empty (expected a header 'year;index' and rows)")
    header_no, header = lines[0]
    sep = ";" if ";" in header else "," if "," in header else None
    if sep is None:
        raise ConfigError(
            f"{name}, line {header_no}: header {header.strip()!r} must be 'year;index' "
            "(separated by ; or ,)"
        )
    rows = list(csv.reader(io.StringIO("\n".join(line for _, line in lines)), delimiter=sep))
    cols = [c.strip().casefold() for c in rows[0]]
    year_col = next((i for i, c in enumerate(cols) if c in YEAR_HEADERS), None)
    index_col = next((i for i, c in enumerate(cols) if c in INDEX_HEADERS), None)
    if year_col is None or index_col is None or len(cols) != 2:
        raise ConfigError(
            f"{name}, line {header_no}: expected the two columns 'year' and 'index', got {rows[0]}"
        )
    values: dict[int, float] = {}
    for (line_no, _), row in zip(lines[1:], rows[1:], strict=True):
        where = f"{name}, line {line_no}"
        if len(row) != 2:
            raise ConfigError(f"{where}: expected 2 fields, got {len(row)} ({sep.join(row)!r})")
        year_text = row[year_col].strip()
        if not (year_text.isdigit() and len(year_text) == 4):
            raise ConfigError(f"{where}: year {year_text!r} is not a four-digit year")
        year = int(year_text)
        if year in values:
            raise ConfigError(f"{where}: year {year} appears twice")
        value = _number(row[index_col], where)
        if not math.isfinite(value) or value <= 0:
            raise ConfigError(f"{where}: index for {year} must be a positive number, got {value}")
        values[year] = value
    if not values:
        raise ConfigError(f"{name}: no data rows after the header")
    series = pd.Series(values, dtype=float, name="index").sort_index()
    series.index.name = "year"
    return series


def read_price_index(path: str | os.PathLike[str]) -> pd.Series:
    """Read a price index file (format in the module docstring) as a Series indexed by year."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"price index file {path} does not exist")
    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"price index file {path}: not UTF-8 text ({exc.reason})") from exc
    return parse_price_index(text, f"price index file {path}")


def price_index_source(path: str | os.PathLike[str] | None) -> str:
    """The deflator's name from the file's ``# source:`` comment (empty when the file has none
    or no file is given), e.g. «SSB tabell 14700, konsumprisindeks, årsgjennomsnitt».
    """
    if path is None or path == "" or not Path(path).is_file():
        return ""
    for line in Path(path).read_text("utf-8-sig").splitlines():
        text = line.strip()
        if text.startswith("#") and text[1:].strip().casefold().startswith("source:"):
            return text[1:].strip()[len("source:") :].strip()
    return ""


def load_price_index(path: str | os.PathLike[str] | None) -> pd.Series | None:
    """The params' ``price_index``: ``None`` (nominal terms only) or the parsed file."""
    return None if path in (None, "") else read_price_index(path)
