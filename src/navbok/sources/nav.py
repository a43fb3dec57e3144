"""NAV's AAP (arbeidsavklaringspenger) recipients by municipality: table AAP155.

NAV has no API and no CSV for this. Table AAP155 «Mottakere av arbeidsavklaringspenger.
Kommune.» is an xlsx workbook linked from NAV's AAP statistics page; the link (a uuid and a hash)
changes with every release, so it is found on the page each time (:func:`find_workbook_href`),
next to a PDF with the same name. The workbook holds one year, the months published so far.

Workbook layout (NAV's): sheets «0. Om tabellene» (text), «1. Kommune. Antall» and «2. Kommune.
Andel»; column A is empty and the labels are in column B; a cell «Periode: YYYY 01 - YYYY MM»
(on every sheet) gives the year and the months. Then one block per county: a header row with the
month names in columns C onward, a rollup row «I alt NN Fylkenavn», one row «NNNN Kommunenavn»
per municipality and an empty row. The count sheet ends with a block «I alt Ukjent» / «Ukjent»
(recipients with no known municipality). Values are native numbers; the text ``*`` replaces
counts under four and their shares. There is no row for the whole country: navbok computes
«Landet» (``EAK``) as the county rollups plus Ukjent.

navbok keeps suppressed counts as missing values with the status ``:``, never as zero.

A workbook is measured before openpyxl opens it (:func:`check_workbook_size`): how much it
unpacks to, and how many rows, columns and cells each sheet holds. NAV's workbook is about 50 kB
and unpacks to well under a megabyte; a file over the limits (a «zip bomb», or a sheet of a
million empty rows) is refused in one line before it can take minutes and gigabytes. Each
workbook is read once per process (:func:`read_aap155` keeps the last ones read by their
checksum): a fetch reads the new file, the kept and the archive files, checks them and writes
them, and ``navbok fetch`` then lists their months, without reading any of them twice.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import math
import re
import threading
import zipfile
from collections import OrderedDict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pandas as pd

from navbok.errors import ParseError
from navbok.sources import settings
from navbok.status import SUPPRESSED

AAP_PAGE_PATH = (
    "/no/nav-og-samfunn/statistikk/aap-nedsatt-arbeidsevne-og-uforetrygd-statistikk/"
    "arbeidsavklaringspenger"
)
TABLE = "AAP155"
ABOUT_SHEET = "0. Om tabellene"
COUNT_SHEET = "1. Kommune. Antall"
SHARE_SHEET = "2. Kommune. Andel"
NAV_SUPPRESSED = "*"
COUNTRY_CODE = "EAK"
COUNTRY_NAME = "Landet"
UNKNOWN = "Ukjent"
FRAME_COLUMNS = ["region", "name", "month", "value", "share", "status"]

MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "januar",
            "februar",
            "mars",
            "april",
            "mai",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "desember",
        ],
        start=1,
    )
}
MONTH_NAMES = {number: name.capitalize() for name, number in MONTHS.items()}

#: The most a workbook may unpack to (bytes, all its parts together). NAV's AAP155 workbook
#: unpacks to well under 1 MB; 32 MB leaves room for any layout change.
MAX_UNPACKED_BYTES = 32 * 1024**2
#: The most parts a workbook may hold (NAV's has about a dozen).
MAX_PARTS = 500
#: The most rows a sheet may hold, and the highest row number (NAV's: about 500).
MAX_SHEET_ROWS = 5_000
#: The highest column a sheet may use (NAV's: B plus twelve months, column N).
MAX_SHEET_COLUMNS = 64
#: The most cells a sheet may hold (NAV's: about 7 000).
MAX_SHEET_CELLS = 100_000
#: How many workbooks :func:`read_aap155` keeps read (one fetch: the current year and the
#: archive years).
READ_CACHE = 32

_PERIOD = re.compile(r"Periode:\s*(\d{4})\s*(\d{1,2})\s*-\s*(\d{4})\s*(\d{1,2})", re.IGNORECASE)
_MUNICIPALITY = re.compile(r"(\d{4})\s+(\S.*)")
_ROLLUP = re.compile(r"I alt\s+(\d{2})\s+(\S.*)", re.IGNORECASE)
_UNKNOWN_ROLLUP = re.compile(r"I alt\s+Ukjent", re.IGNORECASE)
_UNKNOWN = re.compile(r"Ukjent", re.IGNORECASE)


# --- the page and the link ------------------------------------------------------------------


def page_url() -> str:
    """The address of NAV's AAP statistics page (``NAVBOK_NAV_URL`` + :data:`AAP_PAGE_PATH`)."""
    return settings.nav_url() + AAP_PAGE_PATH


class _Links(HTMLParser):
    """Collects every ``<a href>`` with the text inside the link."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._open: list[list[str]] = []
        self._hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "a":
            return
        href = next((v for k, v in attrs if k == "href" and v), None)
        if href is not None:
            self._hrefs.append(href.strip())
            self._open.append([])

    def handle_data(self, data: str) -> None:
        for texts in self._open:
            texts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            self.links.append((self._hrefs.pop(), " ".join("".join(self._open.pop()).split())))

    def close(self) -> None:
        super().close()
        while self._open:  # unclosed <a>: keep it
            self.links.append((self._hrefs.pop(), " ".join("".join(self._open.pop()).split())))


def _link_path(href: str) -> str:
    return unquote(urlsplit(href).path)


def find_workbook_href(html: bytes | str, *, where: str = "NAV AAP page") -> str:
    """The ``href`` of the AAP155 xlsx link on NAV's AAP page, exactly as written on the page.

    A link qualifies when its path ends in ``.xlsx`` and its file name (or, failing that, the
    link text) names AAP155; the PDF beside it is ignored. Raises :class:`ParseError` when there
    is no such link, or several different ones.
    """
    text = html.decode("utf-8", errors="replace") if isinstance(html, bytes) else html
    parser = _Links()
    try:
        parser.feed(text)
        parser.close()
    except Exception as exc:  # html.parser is lenient; never show a traceback
        raise ParseError(f"{where}: could not parse the page as HTML ({exc})") from exc
    xlsx = [(h, t) for h, t in parser.links if _link_path(h).lower().endswith(".xlsx")]
    found = [h for h, _ in xlsx if TABLE.lower() in _link_path(h).rsplit("/", 1)[-1].lower()]
    if not found:
        found = [h for h, t in xlsx if TABLE.lower() in t.lower()]
    unique = list(dict.fromkeys(found))
    if not unique:
        raise ParseError(
            f"{where}: no link to an {TABLE} .xlsx workbook on the page "
            f"({len(parser.links)} links, {len(xlsx)} to .xlsx files; has the page changed?)"
        )
    if len(unique) > 1:
        raise ParseError(
            f"{where}: {len(unique)} different {TABLE} .xlsx links on the page "
            f"({', '.join(unique)}); cannot tell which one is the table"
        )
    return unique[0]


def workbook_url(href: str) -> str:
    """The absolute address of the workbook link ``href``.

    An absolute ``href`` (with a scheme, or ``//host/…``) is kept as it is; a path is taken
    relative to NAV's site root (``NAVBOK_NAV_URL``, default ``https://www.nav.no``), so that
    ``/_/attachment/…`` becomes ``https://www.nav.no/_/attachment/…``. The root may carry a path
    of its own (a mirror such as ``http://localhost:8000/nav``): ``/_/…`` is then appended to it,
    as :func:`page_url` does, where a plain ``urljoin`` would drop it.
    """
    root = settings.nav_url()
    href = href.strip()
    if href.startswith("/") and not href.startswith("//"):
        return root + href
    return urljoin(root + "/", href)


def recorded_workbook_path(href: str) -> str:
    """Where a recording keeps the workbook of ``href``: ``nav/`` + its path, percent-decoded.

    ``/_/attachment/inline/<uuid>:<hash>/AAP155%20Mottakere.xlsx`` is stored as
    ``nav/_/attachment/inline/<uuid>:<hash>/AAP155 Mottakere.xlsx``.
    """
    return "nav/" + unquote(urlsplit(href).path).lstrip("/")


# --- the workbook ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Aap155:
    """One AAP155 workbook, read.

    ``frame`` has one row per municipality and month: ``region`` (the 4-digit code as written,
    codes of the workbook's year), ``name``, ``month`` (int), ``value`` (count; NaN when NAV
    shows ``*``), ``share`` (percent of the population 18–66 from the share sheet; NaN when
    ``*`` or absent) and ``status`` (``:`` when the count is suppressed, else ``None``); plus one
    row per month for Landet (``EAK``): the county rollups plus Ukjent, with no share.
    ``counties`` names each county block and its municipalities (checked against the register
    before a fetch keeps the workbook, :mod:`navbok.completeness`).
    """

    year: int
    months: list[int]
    frame: pd.DataFrame
    unknown: dict[int, float]
    synthetic: bool
    title: str
    #: The county blocks of the count sheet: county number → (name, its municipality codes).
    counties: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)


@dataclass
class _County:
    number: str
    name: str
    row: int
    values: dict[int, float | None]  # month -> count, NaN when «*», None when empty
    members: list[str] = field(default_factory=list)


@dataclass
class _Municipality:
    code: str
    name: str
    row: int
    county: str
    values: dict[int, float]  # month -> number, NaN when «*»


@dataclass
class _Sheet:
    title: str
    period: tuple[int, int, int]  # year, first month, last month
    period_row: int
    months: list[int]
    municipalities: dict[str, _Municipality]
    counties: dict[str, _County]
    unknown: dict[int, float] | None


def _norm(name: str) -> str:
    return " ".join(name.split()).casefold()


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _period_text(period: tuple[int, int, int]) -> str:
    year, first, last = period
    return f"{year} {first:02d} - {year} {last:02d}"


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _column(index: int) -> str:
    """Spreadsheet column letter(s) of a 0-based column index."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class _SheetReader:
    """Reads one data sheet (counts or shares) into a :class:`_Sheet`."""

    def __init__(self, rows: list[tuple[object, ...]], sheet: str, where: str, *, counts: bool):
        self.rows = rows
        self.sheet = sheet
        self.where = where
        self.counts = counts

    def fail(self, row: int | None, problem: str) -> ParseError:
        at = f"sheet «{self.sheet}» row {row}" if row is not None else f"sheet «{self.sheet}»"
        return ParseError(f"{self.where}: {at}: {problem}")

    def period(self) -> tuple[tuple[int, int, int], int]:
        found: list[tuple[tuple[int, int, int], int]] = []
        for number, row in enumerate(self.rows, start=1):
            for cell in row:
                if isinstance(cell, str) and (m := _PERIOD.search(cell)):
                    y1, m1, y2, m2 = (int(g) for g in m.groups())
                    if y1 != y2 or not 1 <= m1 <= m2 <= 12:
                        raise self.fail(
                            number,
                            f"«{cell.strip()}» is not a period within one year "
                            "(expected «Periode: YYYY 01 - YYYY MM»)",
                        )
                    found.append(((y1, m1, m2), number))
        if not found:
            raise self.fail(None, "no cell «Periode: YYYY 01 - YYYY MM» (year and months)")
        for other, number in found[1:]:
            if other != found[0][0]:
                raise self.fail(
                    number,
                    f"Periode {_period_text(other)} differs from Periode "
                    f"{_period_text(found[0][0])} in row {found[0][1]}",
                )
        return found[0]

    def header(self, number: int, cells: tuple[object, ...], months: list[int]) -> dict[int, int]:
        columns: dict[int, int] = {}
        for col, cell in enumerate(cells, start=2):
            if _blank(cell):
                continue
            month = MONTHS.get(cell.strip().casefold()) if isinstance(cell, str) else None
            if month is None:
                raise self.fail(
                    number,
                    f"unknown month name {_short(cell)} in the header, column {_column(col)}",
                )
            if month in columns.values():
                raise self.fail(number, f"month {str(cell).strip()!r} twice in the header")
            columns[col] = month
        if sorted(columns.values()) != months:
            wanted = ", ".join(MONTH_NAMES[m] for m in months)
            have = ", ".join(MONTH_NAMES[m] for m in columns.values())
            raise self.fail(
                number, f"the month header ({have}) does not match the Periode ({wanted})"
            )
        return columns

    def numbers(
        self, number: int, label: str, cells: tuple[object, ...], columns: dict[int, int]
    ) -> dict[int, float | None]:
        values: dict[int, float | None] = dict.fromkeys(columns.values())
        what = "count" if self.counts else "share"
        for col, cell in enumerate(cells, start=2):
            if _blank(cell):
                continue
            if col not in columns:
                raise self.fail(
                    number,
                    f"{label}: value {_short(cell)} in column {_column(col)}, "
                    "which has no month in the header",
                )
            month = columns[col]
            if isinstance(cell, str):
                if cell.strip() != NAV_SUPPRESSED:
                    raise self.fail(
                        number,
                        f"{label}: text {_short(cell)} in column {_column(col)} "
                        f"({MONTH_NAMES[month]}) where a {what} or «*» is expected",
                    )
                values[month] = math.nan
                continue
            if isinstance(cell, bool) or not isinstance(cell, int | float):
                raise self.fail(
                    number,
                    f"{label}: {_short(cell)} in column {_column(col)} "
                    f"({MONTH_NAMES[month]}) is not a number",
                )
            value = float(cell)
            if not math.isfinite(value) or value < 0:
                raise self.fail(
                    number,
                    f"{label}: negative or invalid {what} {_short(cell)} in column "
                    f"{_column(col)} ({MONTH_NAMES[month]})",
                )
            if self.counts and not value.is_integer():
                raise self.fail(
                    number,
                    f"{label}: count {_short(cell)} in column {_column(col)} "
                    f"({MONTH_NAMES[month]}) is not a whole number",
                )
            values[month] = value
        return values

    def read(self) -> _Sheet:
        period, period_row = self.period()
        months = list(range(period[1], period[2] + 1))
        title = ""
        columns: dict[int, int] | None = None
        county: _County | None = None
        in_unknown = False
        unknown: dict[int, float] | None = None
        unknown_rollup: dict[int, float] | None = None
        municipalities: dict[str, _Municipality] = {}
        counties: dict[str, _County] = {}
        for number, row in enumerate(self.rows, start=1):
            raw = row[1] if len(row) > 1 else None
            label = " ".join(str(raw).split()) if raw is not None else ""
            cells = tuple(row[2:])
            filled = [c for c in cells if not _blank(c)]
            if not label:
                if not filled:
                    continue  # empty row between blocks
                if any(isinstance(c, str) and c.strip() != NAV_SUPPRESSED for c in filled):
                    columns = self.header(number, cells, months)
                    county, in_unknown = None, False
                    continue
                raise self.fail(number, f"numbers {_short(filled[0])} … in a row without a label")
            if m := _MUNICIPALITY.fullmatch(label):
                code, name = m.groups()
                if columns is None:
                    raise self.fail(number, f"municipality «{label}» before any month header")
                if county is None:
                    where_ = "the Ukjent block" if in_unknown else "its county's «I alt NN …» row"
                    raise self.fail(number, f"municipality «{label}» is not under {where_}")
                if code in municipalities:
                    raise self.fail(
                        number,
                        f"municipality code {code} appears twice "
                        f"(also row {municipalities[code].row})",
                    )
                values = self.numbers(number, code, cells, columns)
                if any(v is None for v in values.values()) and self.counts:
                    empty = next(m for m, v in values.items() if v is None)
                    raise self.fail(number, f"{code}: no count for {MONTH_NAMES[empty]}")
                municipalities[code] = _Municipality(
                    code,
                    name,
                    number,
                    county.number,
                    {m: (math.nan if v is None else v) for m, v in values.items()},
                )
                county.members.append(code)
            elif m := _ROLLUP.fullmatch(label):
                key, name = m.groups()
                if columns is None:
                    raise self.fail(number, f"county rollup «{label}» before any month header")
                if key in counties:
                    raise self.fail(
                        number,
                        f"county rollup «I alt {key} …» appears twice "
                        f"(also row {counties[key].row})",
                    )
                county = _County(key, name, number, self.numbers(number, label, cells, columns))
                counties[key] = county
                in_unknown = False
            elif _UNKNOWN_ROLLUP.fullmatch(label) or _UNKNOWN.fullmatch(label):
                if columns is None:
                    raise self.fail(number, f"«{label}» before any month header")
                values = self.numbers(number, label, cells, columns)
                clean = {m: (math.nan if v is None else v) for m, v in values.items()}
                if _UNKNOWN.fullmatch(label):
                    unknown = clean
                else:
                    unknown_rollup = clean
                county, in_unknown = None, True
            elif filled:
                if all(isinstance(c, str) and c.strip().casefold() in MONTHS for c in filled):
                    columns = self.header(number, cells, months)  # a header with a label
                    county, in_unknown = None, False
                    continue
                raise self.fail(
                    number,
                    f"unrecognised row label {_short(label)} (expected «NNNN Kommunenavn», "
                    "«I alt NN Fylkenavn» or «Ukjent»)",
                )
            elif columns is None and not title and not _PERIOD.search(label):
                title = label
        if not municipalities:
            raise self.fail(None, "no municipality rows («NNNN Kommunenavn»)")
        return _Sheet(
            title,
            period,
            period_row,
            months,
            municipalities,
            counties,
            unknown if unknown is not None else unknown_rollup,
        )


def _check_rollups(sheet: _Sheet, where: str) -> None:
    """Visible municipalities may not add up to more than their county's rollup."""
    for county in sheet.counties.values():
        for month, total in county.values.items():
            if total is None or math.isnan(total):
                continue
            visible = sum(
                v
                for code in county.members
                if not math.isnan(v := sheet.municipalities[code].values[month])
            )
            if visible > total:
                raise ParseError(
                    f"{where}: sheet «{COUNT_SHEET}» row {county.row}: the municipalities of "
                    f"«I alt {county.number} {county.name}» add up to {visible:g} in "
                    f"{MONTH_NAMES[month]}, more than the rollup {total:g}"
                )


def _rows(workbook: Any, sheet: str, where: str) -> list[tuple[object, ...]]:
    names = {_norm(n): n for n in workbook.sheetnames}
    actual = names.get(_norm(sheet))
    if actual is None:
        raise ParseError(
            f"{where}: no sheet «{sheet}» in the workbook "
            f"(sheets: {', '.join(workbook.sheetnames)})"
        )
    ws = workbook[actual]
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # do not trust the stored dimension: read every row
    try:
        return [tuple(r) for r in ws.iter_rows(values_only=True)]
    except Exception as exc:  # a corrupt sheet must not show a traceback
        raise ParseError(
            f"{where}: sheet «{sheet}» cannot be read ({type(exc).__name__}: {exc})"
        ) from exc


_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c\b([^>]*)>")
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_CELL_REF = re.compile(rb'\br="([A-Za-z]+)(\d+)"')
_TOO_BIG = (
    "an AAP155 workbook from NAV is well under 1 MB unpacked with about 500 rows a sheet; this "
    "is a damaged or a wrong file: check the file (or NAV's link) and fetch again"
)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - ord("A") + 1
    return number


def _mb(n: int) -> str:
    return f"{n / 1024**2:,.1f} MB" if n >= 1024**2 else f"{n / 1024:,.0f} kB"


def _check_sheet(xml: bytes, part: str, where: str) -> None:
    """The rows, columns and cells of one sheet's XML within the limits (openpyxl pads the
    sheet up to the highest row number it sees, and each row up to the highest column)."""
    for rows, m in enumerate(_ROW_TAG.finditer(xml), start=1):
        number = _ROW_NUMBER.search(m.group(1))
        if rows > MAX_SHEET_ROWS or (number and int(number.group(1)) > MAX_SHEET_ROWS):
            high = int(number.group(1)) if number else rows
            raise ParseError(
                f"{where}: the sheet {part} reaches row {high:,}, more than navbok reads "
                f"({MAX_SHEET_ROWS:,} rows); {_TOO_BIG}"
            )
    for cells, m in enumerate(_CELL_TAG.finditer(xml), start=1):
        if cells > MAX_SHEET_CELLS:
            raise ParseError(
                f"{where}: the sheet {part} holds more than {MAX_SHEET_CELLS:,} cells, more than "
                f"navbok reads; {_TOO_BIG}"
            )
        ref = _CELL_REF.search(m.group(1))
        if ref and (
            _column_number(ref.group(1)) > MAX_SHEET_COLUMNS or int(ref.group(2)) > MAX_SHEET_ROWS
        ):
            raise ParseError(
                f"{where}: the sheet {part} has a cell {ref.group(0)[3:-1].decode()}, outside the "
                f"{MAX_SHEET_ROWS:,} rows and {MAX_SHEET_COLUMNS} columns navbok reads; {_TOO_BIG}"
            )


def check_workbook_size(content: bytes, where: str) -> None:
    """Refuse a workbook too big to read, before openpyxl opens it: one that unpacks to more
    than :data:`MAX_UNPACKED_BYTES` or has more than :data:`MAX_PARTS` parts (each part's
    unpacked size is what the zip's directory says; :mod:`zipfile` never gives more), or a
    sheet with more rows, columns or cells than :data:`MAX_SHEET_ROWS`,
    :data:`MAX_SHEET_COLUMNS`, :data:`MAX_SHEET_CELLS` (counted in the sheet's XML, not taken
    from its stored dimension). Raises :class:`ParseError` in one line."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
            unpacked = sum(p.file_size for p in parts)
            if len(parts) > MAX_PARTS or unpacked > MAX_UNPACKED_BYTES:
                raise ParseError(
                    f"{where}: the workbook ({_mb(len(content))}) unpacks to {_mb(unpacked)} in "
                    f"{len(parts):,} parts, more than navbok reads ({_mb(MAX_UNPACKED_BYTES)}, "
                    f"{MAX_PARTS} parts); {_TOO_BIG}"
                )
            for part in parts:
                if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
                    _check_sheet(archive.read(part), part.filename, where)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise ParseError(f"{where}: not an xlsx workbook ({type(exc).__name__}: {exc})") from exc
    except ValueError as exc:  # zipfile on some broken headers
        raise ParseError(f"{where}: not an xlsx workbook (ValueError: {exc})") from exc


def _open(content: bytes, where: str) -> Any:
    import openpyxl  # imported here: only the NAV reader needs it

    if not content.startswith(b"PK"):
        start = content[:20].decode("latin-1", errors="replace")
        raise ParseError(f"{where}: not an xlsx workbook (starts with {start!r})")
    check_workbook_size(content, where)
    try:
        return openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError) as exc:
        raise ParseError(f"{where}: not an xlsx workbook ({type(exc).__name__}: {exc})") from exc
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise ParseError(
            f"{where}: the xlsx workbook cannot be opened ({type(exc).__name__}: {exc})"
        ) from exc


def _frame(counts: _Sheet, shares: _Sheet) -> pd.DataFrame:
    records: list[tuple[str, str, int, float, float, str | None]] = []
    for code, muni in counts.municipalities.items():
        share_row = shares.municipalities.get(code)
        for month in counts.months:
            value = muni.values[month]
            share = share_row.values[month] if share_row is not None else math.nan
            status = SUPPRESSED if math.isnan(value) else None
            records.append((code, muni.name, month, value, share, status))
    unknown = counts.unknown or {}
    for month in counts.months:
        total = 0.0
        for county in counts.counties.values():
            rollup = county.values[month]
            if rollup is None or math.isnan(rollup):
                rollup = sum(
                    v
                    for c in county.members
                    if not math.isnan(v := counts.municipalities[c].values[month])
                )
            total += rollup
        extra = unknown.get(month, math.nan)
        total += 0.0 if math.isnan(extra) else extra
        records.append((COUNTRY_CODE, COUNTRY_NAME, month, total, math.nan, None))
    frame = pd.DataFrame.from_records(records, columns=FRAME_COLUMNS)
    frame["month"] = frame["month"].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    frame["share"] = frame["share"].astype("float64")
    frame["status"] = frame["status"].astype(object).where(frame["status"].notna(), None)
    return frame


_read: OrderedDict[str, Aap155] = OrderedDict()
_read_lock = threading.Lock()


def read_aap155(content: bytes, *, where: str = "NAV AAP155") -> Aap155:
    """Read one AAP155 workbook (the bytes of the xlsx file); see :func:`_read_aap155`.

    The last :data:`READ_CACHE` workbooks read are kept by their sha256, so a workbook is
    parsed once per process (a fetch checks, writes and lists the same files); each call gets
    its own copy of the frame, the months and Ukjent.
    """
    key = hashlib.sha256(content).hexdigest()
    with _read_lock:
        book = _read.get(key)
        if book is not None:
            _read.move_to_end(key)
    if book is None:
        book = _read_aap155(content, where)
        with _read_lock:
            _read[key] = book
            while len(_read) > READ_CACHE:
                _read.popitem(last=False)
    return dataclasses.replace(
        book, months=list(book.months), frame=book.frame.copy(), unknown=dict(book.unknown)
    )


def _read_aap155(content: bytes, where: str) -> Aap155:
    """Read one AAP155 workbook (the bytes of the xlsx file).

    Raises :class:`ParseError` with one line naming ``where``, the sheet and the row for a file
    that is not an xlsx workbook, lacks a sheet or the «Periode» cell, has a missing or unknown
    month header, a municipality before any header, text other than ``*`` or a negative count in
    a number cell, a municipality twice in a sheet, periods that differ between the sheets, or
    municipalities that add up to more than their county's rollup.

    Landet (``EAK``) is the sum of the county rollups plus Ukjent for each month; a rollup shown
    as ``*`` or left empty is replaced by the sum of its visible municipalities, and an Ukjent
    shown as ``*`` counts as zero there (and is NaN in :attr:`Aap155.unknown`).
    """
    workbook = _open(content, where)
    try:
        about = _rows(workbook, ABOUT_SHEET, where)
        count_rows = _rows(workbook, COUNT_SHEET, where)
        share_rows = _rows(workbook, SHARE_SHEET, where)
        props = workbook.properties
        property_text = " ".join(
            str(getattr(props, attr, None) or "")
            for attr in ("title", "subject", "description", "keywords")
        )
        property_title = str(getattr(props, "title", None) or "")
    except ParseError:
        raise
    except Exception as exc:  # never let an openpyxl traceback escape
        raise ParseError(
            f"{where}: the workbook cannot be read ({type(exc).__name__}: {exc})"
        ) from exc
    finally:
        close = getattr(workbook, "close", None)
        if close is not None:
            close()

    counts = _SheetReader(count_rows, COUNT_SHEET, where, counts=True).read()
    shares = _SheetReader(share_rows, SHARE_SHEET, where, counts=False).read()
    if shares.period != counts.period:
        raise ParseError(
            f"{where}: sheet «{SHARE_SHEET}» row {shares.period_row}: Periode "
            f"{_period_text(shares.period)} differs from Periode {_period_text(counts.period)} "
            f"in sheet «{COUNT_SHEET}» row {counts.period_row}"
        )
    about_texts = [c.strip() for r in about for c in r if isinstance(c, str) and c.strip()]
    for number, row in enumerate(about, start=1):
        for cell in row:
            if isinstance(cell, str) and (m := _PERIOD.search(cell)):
                y1, m1, y2, m2 = (int(g) for g in m.groups())
                if (y1, m1, m2) != counts.period or y1 != y2:
                    raise ParseError(
                        f"{where}: sheet «{ABOUT_SHEET}» row {number}: «{m.group(0)}» differs "
                        f"from Periode {_period_text(counts.period)} in sheet «{COUNT_SHEET}» "
                        f"row {counts.period_row}"
                    )
    extra = sorted(set(shares.municipalities) - set(counts.municipalities))
    if extra:
        first = shares.municipalities[extra[0]]
        raise ParseError(
            f"{where}: sheet «{SHARE_SHEET}» row {first.row}: municipality {first.code} is not "
            f"in sheet «{COUNT_SHEET}»"
        )
    if counts.unknown is None:
        raise ParseError(
            f"{where}: sheet «{COUNT_SHEET}»: no «Ukjent» block at the end (truncated sheet?)"
        )
    _check_rollups(counts, where)

    title = next((t for t in about_texts if TABLE.lower() in t.lower()), "")
    if not title:
        title = property_title or counts.title or (about_texts[0] if about_texts else "")
    synthetic = any("SYNTETISK" in t.upper() for t in [*about_texts, property_text])
    return Aap155(
        year=counts.period[0],
        months=list(counts.months),
        frame=_frame(counts, shares),
        unknown=dict(counts.unknown),
        synthetic=synthetic,
        title=title,
        counties={k: (c.name, tuple(c.members)) for k, c in counts.counties.items()},
    )
