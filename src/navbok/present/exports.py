"""Downloads: the numbers behind a figure or table as CSV and Excel, with their provenance.

* :class:`Provenance` says where a chapter's numbers come from (sources, fetch date, synthetic
  warning); a report has one (``Context.provenance``) and hands it to every download it
  writes (the ``provenance`` argument of :func:`csv_bytes`, :func:`xlsx_bytes` and the
  figure and table writers);
* :func:`csv_bytes` writes a Norwegian CSV file (semicolons, decimal comma, BOM) and
  :func:`xlsx_bytes` a reproducible Excel workbook with the sheet «Om dataene»;
* :class:`MarkedFrame` carries numbers with the marks of their cells (SSB's status symbol of a
  missing number, :mod:`navbok.status`; an estimate), and :func:`with_status_columns` puts the
  marks beside the numbers they explain, so a missing number keeps its reason in a download;
* :func:`text_cells` keeps text text in a spreadsheet: a cell a spreadsheet would run as a
  formula («=…», «@…», «+…»/«-…» that is not a number: CSV injection) gets a leading «'» in
  a CSV file, and is written as a text cell, never a formula, in an Excel workbook;
* :func:`in_bokmal` makes a download read in bokmål: yes/no as «Ja»/«Nei», and a column still
  named in English (``key_figure``, ``year0`` …) by its bokmål name from
  :data:`BOKMAL_HEADERS`; the data sheet of a workbook is «Tall» (:data:`DATA_SHEET`). The views
  name their columns in bokmål themselves; this is the safety net.

The HTML links that offer the files are written by :mod:`navbok.present.tables`.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
import re
import struct
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from navbok import status
from navbok.present.numbers import is_missing
from navbok.present.plain_table import NUMBER, OBJECT, TEXT, PlainTable, csv_text, plain_table

__all__ = [
    "ABOUT_SHEET",
    "BOKMAL_HEADERS",
    "DATA_SHEET",
    "FORMULA",
    "column_letter",
    "CellStatuses",
    "MarkedFrame",
    "cell_estimates",
    "with_cell_estimates",
    "with_cell_statuses",
    "Provenance",
    "about_frame",
    "cell_statuses",
    "csv_bytes",
    "download_table",
    "in_bokmal",
    "spreadsheet_text",
    "text_cells",
    "with_status_columns",
    "xlsx_bytes",
]

# A fixed timestamp for workbook metadata and zip entries, so equal data gives equal bytes.
_FIXED_TIME = dt.datetime(2000, 1, 1)


@dataclass(frozen=True)
class Provenance:
    """Where the numbers of a download come from: sources, fetch date and, when any source is
    synthetic, which. Built from a snapshot (:meth:`of`), never typed by hand."""

    sources: str
    fetched: str
    synthetic: str = ""

    @classmethod
    def of(cls, snapshot: Any) -> Provenance:
        """From a :class:`navbok.snapshot.Snapshot` (its file names, synthetic flags and fetch
        time)."""
        files = snapshot.files
        fetched = str(snapshot.fetched_at)[:10]
        synthetic = [n for n, e in files.items() if getattr(e, "synthetic", False)]
        return cls(_describe_sources(files), fetched, _describe_sources(synthetic, short=True))

    def rows(self) -> list[tuple[str, str]]:
        """(label, text) pairs: Kilde, Hentet and, for synthetic data, the warning."""
        out = [("Kilde", self.sources), ("Hentet", self.fetched)]
        if self.synthetic:
            out.append(
                (
                    "SYNTETISKE DATA",
                    f"{self.synthetic} er laget for test og demonstrasjon. Tallene er ikke "
                    "offisiell statistikk og må ikke siteres.",
                )
            )
        return out


def _describe_sources(names: Any, short: bool = False) -> str:
    """«Statistisk sentralbyrå (SSB): tabell 07459, 13138 og KLASS, NAV: AAP155 (2015–2025)»
    from snapshot file names (``ssb/13138.json``, ``klass/…``, ``nav/AAP155-2024.xlsx``)."""
    ssb, klass, nav = set(), False, set()
    for name in names:
        kind, _, rest = str(name).partition("/")
        if kind == "ssb":
            ssb.add(rest.split(".")[0])
        elif kind == "klass":
            klass = True
        elif kind == "nav":
            stem = rest.split(".")[0]
            nav.add(stem.rpartition("-")[2] if "-" in stem else stem)
    parts = []
    ssb_items = [f"tabell {', '.join(sorted(ssb))}"] if ssb else []
    if klass:
        ssb_items.append("KLASS (kommuneinndeling)")
    if ssb_items:
        who = "SSB " if short else "Statistisk sentralbyrå (SSB), "
        parts.append(who + " og ".join(ssb_items))
    if nav:
        years = sorted(y for y in nav if y.isdigit())
        span = f" ({years[0]}–{years[-1]})" if len(years) > 1 else ""
        span = span or (f" ({years[0]})" if years else "")
        parts.append(f"NAV AAP155{span}")
    text = ", ".join(parts)
    if text and not short:
        text += ". Lisens CC BY 4.0. Bearbeidet av navbok"
    return text


def _comment(label: str, text: str) -> str:
    # One cell in Excel: no field separator, no line break, nothing a CSV reader quotes.
    clean = " ".join(text.replace(";", ",").replace('"', "'").split())
    return f"# {label}: {clean}"


#: The name of a workbook's sheet with the numbers.
DATA_SHEET = "Tall"

#: Column names of the analysis frames (English field names) → bokmål headers for a download.
BOKMAL_HEADERS: dict[str, str] = {
    "key_figure": "Nøkkeltall",
    "label": "Post",
    "kind": "Type",
    "series": "Serie",
    "name": "Navn",
    "year": "År",
    "year0": "Fra år",
    "year1": "Til år",
    "barometer_year": "Barometerår",
    "value": "Verdi",
    "average": "Landssnitt",
    "best": "Grense for karakter 6",
    "worst": "Grense for karakter 1",
    "grade": "Karakter",
    "change": "Endring fra året før",
    "scenario": "Vekting",
    "weight_sum": "Sum av vektene",
    "score": "Snittkarakter",
    "points": "Poeng",
    "rank": "Plass",
    "n_ranked": "Antall rangert",
    "rank_change": "Endring i plass",
    "value_published": "Verdi publisert",
    "average_published": "Snitt publisert",
    "grade_published": "Karakter publisert",
    "value_diff": "Avvik i verdi",
    "average_diff": "Avvik i snitt",
    "grade_diff": "Avvik i karakter",
    "consistent": "Samsvarer i kilden",
    "same_side": "Samme side av 3,5",
    "source": "Kilde",
    "unit": "Enhet",
    "share": "Andel",
    "count": "Antall",
    "total": "I alt",
    "delta": "Endring",
}
_YES_NO = {True: "Ja", False: "Nei"}


def _yes_no(value: Any) -> Any:
    if isinstance(value, bool | np.bool_):
        return _YES_NO[bool(value)]
    return value


def in_bokmal(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` as a download shows it: columns still named in English get their bokmål name
    (:data:`BOKMAL_HEADERS`), and yes/no values read «Ja»/«Nei» (never True/False). Returns
    ``df`` itself when there is nothing to change."""
    names = set(df.columns)
    renames = {
        c: BOKMAL_HEADERS[c]
        for c in names
        if isinstance(c, str) and c in BOKMAL_HEADERS and BOKMAL_HEADERS[c] not in names
    }
    flags = []  # by position: names may repeat
    for i, dtype in enumerate(df.dtypes.tolist()):
        plain_objects = isinstance(dtype, np.dtype) and dtype.kind == "O"
        if pd.api.types.is_bool_dtype(dtype) or (
            plain_objects and any(isinstance(v, bool | np.bool_) for v in df.iloc[:, i])
        ):
            flags.append(i)
    if not renames and not flags:
        return df
    out = df.copy()
    for i in flags:
        out.isetitem(i, [_yes_no(v) for v in df.iloc[:, i]])
    if renames:
        out.columns = [renames.get(c, c) if isinstance(c, str) else c for c in out.columns]
    return out


#: The start of a text a spreadsheet takes for a formula (a signed number is a number).
FORMULA = re.compile(r"[=@\t\r]|[+-](?![\d\s.,%]*$)")


def spreadsheet_text(value: Any) -> Any:
    """``value`` as a CSV cell: a text that starts like a formula (:data:`FORMULA`) with a
    leading «'», which spreadsheets show as text; anything else as it is."""
    if isinstance(value, str) and FORMULA.match(value):
        return "'" + value
    return value


def text_cells(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with :func:`spreadsheet_text` applied to its text cells and column names
    (``df`` itself when none starts like a formula)."""
    columns = [spreadsheet_text(c) for c in df.columns]
    texts = [i for i, t in enumerate(df.dtypes.tolist()) if not pd.api.types.is_numeric_dtype(t)]
    hit = [i for i in texts if any(spreadsheet_text(v) is not v for v in pd.unique(df.iloc[:, i]))]
    if not hit and columns == list(df.columns):
        return df
    out = df.copy()
    for i in hit:
        out.isetitem(i, [spreadsheet_text(v) for v in df.iloc[:, i]])
    out.columns = columns
    return out


def _plain_in_bokmal(table: PlainTable) -> PlainTable:
    """:func:`in_bokmal` for a :class:`PlainTable` (the same names and values)."""
    names = set(table.names)
    renames = {
        c: BOKMAL_HEADERS[c]
        for c in names
        if isinstance(c, str) and c in BOKMAL_HEADERS and BOKMAL_HEADERS[c] not in names
    }
    columns, kinds, changed = list(table.columns), list(table.kinds), False
    for i, (kind, values) in enumerate(zip(table.kinds, table.columns, strict=True)):
        if any(isinstance(v, bool | np.bool_) for v in values) and kind in (NUMBER, OBJECT):
            columns[i] = tuple(_yes_no(v) for v in values)
            kinds[i] = OBJECT
            changed = True
    if not renames and not changed:
        return table
    names_out = [renames.get(c, c) if isinstance(c, str) else c for c in table.names]
    return table.with_columns(names_out, columns, kinds)


def _plain_text_cells(table: PlainTable) -> PlainTable:
    """:func:`text_cells` for a :class:`PlainTable` (numbers are never text, so every cell
    can be looked at)."""
    names = [spreadsheet_text(c) for c in table.names]
    hit = [
        i
        for i, (kind, values) in enumerate(zip(table.kinds, table.columns, strict=True))
        if kind in (TEXT, OBJECT) and any(spreadsheet_text(v) is not v for v in values)
    ]
    if not hit and names == list(table.names):
        return table
    columns = list(table.columns)
    for i in hit:
        columns[i] = tuple(spreadsheet_text(v) for v in columns[i])
    return table.with_columns(names, columns, table.kinds)


def csv_bytes(df: pd.DataFrame | PlainTable, provenance: Provenance | None = None) -> bytes:
    """Return ``df`` as a Norwegian CSV file that Excel opens correctly.

    Semicolon separator, decimal comma, UTF-8 with a byte order mark, CRLF line ends, no index.
    Missing values are empty cells (never 0). With a ``provenance`` the file starts with
    comment lines ``# Kilde: …``, ``# Hentet: …`` and, for synthetic data,
    ``# SYNTETISKE DATA: …`` (read with ``pandas.read_csv(..., comment="#")``; Excel shows them
    as text rows above the table, so the warning is the first thing a reader sees). Columns
    and yes/no values are put in bokmål (:func:`in_bokmal`); a text that starts like a formula
    gets a leading «'» (:func:`text_cells`). A :class:`~navbok.present.plain_table.PlainTable`
    (:func:`download_table`) gives the same file as the frame it was read from.
    """
    options: dict[str, Any] = {"sep": ";", "decimal": ",", "na_rep": "", "lineterminator": "\r\n"}
    if isinstance(df, PlainTable):
        text = csv_text(_plain_text_cells(_plain_in_bokmal(df)), **options)
    else:
        text = text_cells(in_bokmal(df)).to_csv(index=False, **options)
    if provenance is not None:
        head = "".join(_comment(k, v) + "\r\n" for k, v in provenance.rows())
        text = head + text
    return ("\ufeff" + text).encode("utf-8")


class CellStatuses(Mapping[str, tuple[str | None, ...]]):
    """Per-cell status symbols of a frame: ``{column: (symbol or None per row)}``, immutable."""

    __slots__ = ("_columns",)

    def __init__(self, columns: Mapping[str, Sequence[str | None]]) -> None:
        self._columns = {str(c): tuple(v) for c, v in columns.items()}

    def __getitem__(self, column: str) -> tuple[str | None, ...]:
        return self._columns[column]

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)

    def __repr__(self) -> str:
        return f"CellStatuses({self._columns!r})"


@dataclass(frozen=True, eq=False)
class MarkedFrame:
    """Numbers with the marks of their cells, as a figure's table and a download need them.

    ``statuses``: the :mod:`navbok.status` symbol of each missing cell (``{column: symbol or
    None per row}``); ``None`` when the numbers carry no per-cell statuses, an empty mapping
    when they do and none is missing (a download then still has a status column beside each
    column of numbers, :func:`with_status_columns`). ``estimates``: the cells that are
    estimates (``{column: flag per row}``; :data:`navbok.status.ESTIMATE`). Made by
    :func:`with_cell_statuses`, :func:`with_cell_estimates` and
    :func:`navbok.present.tables.wide`."""

    frame: pd.DataFrame
    statuses: CellStatuses | None = None
    estimates: Mapping[str, tuple[bool, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, data: pd.DataFrame | MarkedFrame) -> MarkedFrame:
        """``data`` as a :class:`MarkedFrame` (a plain frame has no marks)."""
        return data if isinstance(data, MarkedFrame) else cls(data)

    def with_frame(self, frame: pd.DataFrame) -> MarkedFrame:
        """The same marks on ``frame`` (the same rows and columns, other values or types)."""
        return replace(self, frame=frame)


def with_cell_statuses(
    data: pd.DataFrame | MarkedFrame, columns: Mapping[str, Sequence[str | None]]
) -> MarkedFrame:
    """``data`` with per-cell status symbols (``{column: symbol or None per row}``)."""
    return replace(MarkedFrame.of(data), statuses=CellStatuses(columns))


def with_cell_estimates(
    data: pd.DataFrame | MarkedFrame, columns: Mapping[str, Sequence[bool]]
) -> MarkedFrame:
    """``data`` with cells marked as estimates (``{column: flag per row}``): values that
    include a population share of a split municipality (:data:`navbok.status.ESTIMATE`)."""
    flags = {str(c): tuple(bool(f) for f in v) for c, v in columns.items()}
    return replace(MarkedFrame.of(data), estimates=flags)


def cell_statuses(data: pd.DataFrame | MarkedFrame) -> dict[str, Sequence[str | None]]:
    """The per-cell status symbols ``data`` carries (empty when it carries none)."""
    if not isinstance(data, MarkedFrame):
        return {}
    df, found = data.frame, data.statuses or CellStatuses({})
    return {c: v for c, v in found.items() if c in df.columns and len(v) == len(df)}


def cell_estimates(data: pd.DataFrame | MarkedFrame) -> dict[str, Sequence[bool]]:
    """The per-cell estimate flags ``data`` carries (only columns with at least one)."""
    if not isinstance(data, MarkedFrame):
        return {}
    df = data.frame
    return {
        c: list(v)
        for c, v in data.estimates.items()
        if c in df.columns and len(v) == len(df) and any(v)
    }


def _number_columns(df: pd.DataFrame) -> list[Any]:
    """The columns that hold measured numbers: floats, and whole numbers that can be missing
    (pandas' nullable ``Int64``: counts); years and codes are plain integers."""
    return [
        c
        for c, t in zip(df.columns, df.dtypes.tolist(), strict=True)
        if pd.api.types.is_float_dtype(t) or isinstance(t, pd.Int64Dtype)
    ]


def with_status_columns(data: pd.DataFrame | MarkedFrame) -> pd.DataFrame:
    """``df`` for a download: when the frame carries per-cell statuses or estimates, every
    column of numbers gets a column «<column> status» right after it — the same layout in every
    year, whether or not a value is missing there — with the :mod:`navbok.status` symbol of a
    missing number, «≈» (:data:`navbok.status.ESTIMATE`) for an estimate, else empty. A frame
    without per-cell statuses or estimates is returned as it is."""
    marked = MarkedFrame.of(data)
    df, statuses, estimates = marked.frame, cell_statuses(marked), cell_estimates(marked)
    if marked.statuses is None and not estimates:
        return df
    numbers = set(_number_columns(df)) | set(statuses) | set(estimates)
    out: dict[Any, Any] = {}
    for column in df.columns:
        out[column] = df[column]
        if column in numbers and column != "status":
            marks = list(statuses.get(column) or [None] * len(df))
            flags = estimates.get(column) or [False] * len(df)
            out[f"{column} status"] = [
                m or (status.ESTIMATE if f else "") for m, f in zip(marks, flags, strict=True)
            ]
    return pd.DataFrame(out, index=df.index)


def download_table(data: pd.DataFrame | MarkedFrame) -> pd.DataFrame | PlainTable:
    """:func:`with_status_columns` as a :class:`~navbok.present.plain_table.PlainTable` (read
    from the frame once; :func:`csv_bytes` and :func:`xlsx_bytes` write the same files from
    it as from the frame), or that frame when its columns are left to pandas."""
    marked = MarkedFrame.of(data)
    df = marked.frame
    table = plain_table(df)
    if table is None:
        return with_status_columns(marked)
    statuses, estimates = cell_statuses(marked), cell_estimates(marked)
    if marked.statuses is None and not estimates:
        return table
    numbers = set(_number_columns(df)) | set(statuses) | set(estimates)
    names: list[Any] = []
    columns: list[Sequence[Any]] = []
    kinds: list[str] = []
    n = table.nrows
    for name, values, kind in zip(table.names, table.columns, table.kinds, strict=True):
        names.append(name)
        columns.append(values)
        kinds.append(kind)
        if name in numbers and name != "status":
            marks = statuses.get(name) or [None] * n
            flags = estimates.get(name) or [False] * n
            names.append(f"{name} status")
            columns.append(
                [m or (status.ESTIMATE if f else "") for m, f in zip(marks, flags, strict=True)]
            )
            kinds.append(TEXT)
    if len(set(names)) != len(names):  # a status column's name taken: as pandas does it
        return with_status_columns(marked)
    return table.with_columns(names, columns, kinds)


#: The name of the workbook sheet that says where the numbers come from.
ABOUT_SHEET = "Om dataene"


@functools.lru_cache(maxsize=64)
def _about_table(provenance: Provenance) -> PlainTable | None:
    """:func:`about_frame` as a :class:`~navbok.present.plain_table.PlainTable`, kept per
    provenance (its only input; the table is immutable)."""
    return plain_table(about_frame(provenance))


def about_frame(provenance: Provenance, symbols: bool = True) -> pd.DataFrame:
    """The sheet «Om dataene»: the provenance rows (and what the status symbols mean)."""
    legend = [("Symboler", status.LEGEND), ("Anslag", status.ESTIMATE_NOTE)]
    rows = provenance.rows() + (legend if symbols else [])
    return pd.DataFrame(rows, columns=["Om dataene", "Innhold"])


def _excel_value(value: Any) -> Any:
    """Convert a pandas/numpy cell to something openpyxl can write (None for missing)."""
    if is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, int | float | str | bool | dt.date | dt.datetime | Decimal):
        return value
    return str(value)


def xlsx_bytes(
    df: pd.DataFrame | PlainTable,
    sheet_name: str = DATA_SHEET,
    provenance: Provenance | None = None,
) -> bytes:
    """Return ``df`` as an Excel workbook (``.xlsx``) with one sheet (:data:`DATA_SHEET`,
    «Tall») and a bold header row, and with a ``provenance`` a second sheet «Om dataene»
    (sources, fetch date, the synthetic warning, the status symbols). Columns and yes/no
    values are put in bokmål (:func:`in_bokmal`).

    The bytes are reproducible: equal data gives an identical file (fixed metadata and zip
    timestamps), so pages that embed the workbook stay byte-identical between builds.
    Missing values are empty cells.

    Plain tables (text and numbers) take a fast path that writes only the worksheet XML and
    reuses the other, constant parts of the workbook; it gives the same bytes as openpyxl
    (``tests/test_formatting.py`` compares them). Anything else goes through openpyxl.
    A :class:`~navbok.present.plain_table.PlainTable` (:func:`download_table`) gives the same
    workbook as the frame it was read from.
    """
    if isinstance(df, PlainTable):
        table = _plain_in_bokmal(df)
        about_table = _about_table(provenance) if provenance is not None else None
        if provenance is None or about_table is not None:
            fast = _xlsx_fast(table, sheet_name, about_table)
            if fast is not None:
                return fast
        # openpyxl reads the rows of a frame: the same cells, as Python objects.
        df = pd.DataFrame({i: pd.Series(c, dtype=object) for i, c in enumerate(table.columns)})
        df.columns = list(table.names)
    else:
        df = in_bokmal(df)
    about = about_frame(provenance) if provenance is not None else None
    fast = _xlsx_fast(df, sheet_name, about)
    return fast if fast is not None else _xlsx_openpyxl(df, sheet_name, about)


def _xlsx_openpyxl(
    df: pd.DataFrame, sheet_name: str = DATA_SHEET, about: pd.DataFrame | None = None
) -> bytes:
    """The workbook written by openpyxl (the reference for :func:`_xlsx_fast`)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name[:31]
    sheets = [(ws, df)]
    if about is not None:
        sheets.append((wb.create_sheet(ABOUT_SHEET), about))
    for sheet, frame in sheets:
        sheet.append([str(column) for column in frame.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in frame.itertuples(index=False, name=None):
            sheet.append([_excel_value(v) for v in row])
        for cells in sheet.iter_rows():
            for cell in cells:
                if cell.data_type == "f":  # a text «=…» is text, never a formula
                    cell.data_type = "s"
        sheet.freeze_panes = "A2"
    wb.properties.creator = "navbok"
    wb.properties.created = wb.properties.modified = _FIXED_TIME

    raw = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()  # closes the zip

    # Rewrite the archive with fixed entry timestamps (openpyxl stamps them with "now").
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


# ------------------------------------------------------------------- fast path for plain tables

_SHEET_PATH = "xl/worksheets/sheet1.xml"
_ABOUT_PATH = "xl/worksheets/sheet2.xml"
_SHEET_HEAD = (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetPr><outlinePr summaryBelow="1" summaryRight="1" /><pageSetUpPr /></sheetPr>'
    '<dimension ref="{dimension}" /><sheetViews><sheetView workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen" />'
    '<selection pane="bottomLeft" activeCell="A1" sqref="A1" /></sheetView></sheetViews>'
    '<sheetFormatPr baseColWidth="8" defaultRowHeight="15" /><sheetData>'
)
_SHEET_TAIL = (
    '</sheetData><pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" '
    'footer="0.5" /></worksheet>'
)
_TEMPLATES: dict[tuple[str, bool], list[tuple[str, bytes]] | None] = {}


def _template(sheet_name: str, about: bool = False) -> list[tuple[str, bytes]] | None:
    """The workbook's entries (name, bytes) with the sheets as placeholders, from openpyxl.

    Checked once: the sheets openpyxl writes for a probe table (and a probe «Om dataene»)
    must be what :func:`_sheet_xml` writes, else the fast path is off (``None``).
    """
    key = (sheet_name, about)
    if key not in _TEMPLATES:
        probe = pd.DataFrame({"Serie": ["a & b", "c"], "2024": [1.5, None], "n": [1, 2]})
        probe_about = about_frame(Provenance("SSB 1", "2000-01-01", "SSB 1")) if about else None
        raw = _xlsx_openpyxl(probe, sheet_name, probe_about)
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
        files = dict(entries)
        ok = files.get(_SHEET_PATH) is not None and files[_SHEET_PATH] == _sheet_xml(probe)
        if about:
            ok = ok and files.get(_ABOUT_PATH) == _sheet_xml(probe_about)
        _TEMPLATES[key] = entries if ok else None
    return _TEMPLATES[key]


def column_letter(i: int) -> str:
    """Excel's name of the ``i``-th column (1 → «A», 27 → «AA»)."""
    letters = ""
    while i:
        i, rem = divmod(i - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _plain_text(text: str) -> bool:
    """Text the fast path writes exactly as openpyxl: no formula, no control characters, no
    surrounding white space (openpyxl adds ``xml:space``), not empty, within Excel's limit."""
    return (
        0 < len(text) <= 32767
        and text[0] != "="
        and text.strip() == text
        and all(ch >= " " for ch in text)
    )


def _sheet_xml(df: pd.DataFrame | PlainTable) -> bytes | None:
    """The worksheet XML openpyxl writes for ``df`` (None if the table is not plain)."""
    if isinstance(df, PlainTable):
        names, nrows, rows = list(df.names), df.nrows, df.rows()
    else:
        names, nrows, rows = list(df.columns), len(df), df.itertuples(index=False, name=None)
    ncols = len(names)
    if ncols == 0:
        return None
    letters = [column_letter(i) for i in range(1, ncols + 1)]
    out = [_SHEET_HEAD.format(dimension=f"A1:{letters[-1]}{nrows + 1}"), '<row r="1">']
    for letter, column in zip(letters, names, strict=True):
        text = str(column)
        if not _plain_text(text):
            return None
        out.append(f'<c r="{letter}1" s="1" t="inlineStr"><is><t>{_xml_text(text)}</t></is></c>')
    out.append("</row>")
    for r, row in enumerate(rows, start=2):
        cells = []
        for letter, raw in zip(letters, row, strict=True):
            value = _excel_value(raw)
            if value is None:
                continue
            kind = type(value)
            if kind is str:
                if not value:  # an empty text cell (a status column's «no symbol»)
                    cells.append(f'<c r="{letter}{r}" t="inlineStr" />')
                    continue
                if not _plain_text(value):
                    return None
                text = _xml_text(value)
                cells.append(f'<c r="{letter}{r}" t="inlineStr"><is><t>{text}</t></is></c>')
            elif kind is int or kind is float:
                number = "%.16g" % value  # noqa: UP031 - exactly openpyxl's safe_string
                cells.append(f'<c r="{letter}{r}" t="n"><v>{number}</v></c>')
            else:  # bool, dates, Decimal, …: openpyxl
                return None
        out.append(f'<row r="{r}">' + "".join(cells) + "</row>")
    out.append(_SHEET_TAIL)
    return "".join(out).encode("utf-8")


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xlsx_fast(
    df: pd.DataFrame | PlainTable,
    sheet_name: str,
    about: pd.DataFrame | PlainTable | None = None,
) -> bytes | None:
    template = _template(sheet_name, about is not None)
    if template is None:
        return None
    sheets: dict[str, bytes] = {}
    for path, frame in ((_SHEET_PATH, df), (_ABOUT_PATH, about)):
        xml = None if frame is None else _sheet_xml(frame)
        if xml is None and frame is not None:
            return None
        if xml is not None:
            sheets[path] = xml
    parts = _compressed_parts(sheet_name, about is not None)
    if parts is None:
        return _zip_entries(template, sheets)
    return _join_parts(
        [_sheet_part(name, sheets[name]) if name in sheets else part for name, part in parts]
    )


def _zip_entries(template: Sequence[tuple[str, bytes]], sheets: Mapping[str, bytes]) -> bytes:
    """The workbook's zip archive: the ``template`` entries, with ``sheets`` in place of
    their placeholders, written by :mod:`zipfile` with fixed timestamps (the reference for
    :func:`_join_parts`)."""
    out = io.BytesIO()
    stamp = _FIXED_TIME.timetuple()[:6]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in template:
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, sheets.get(name, data))
    return out.getvalue()


# A zip entry as :mod:`zipfile` writes it (local header and compressed data; central
# directory record), which holds its position only in the record's last four bytes.
_ZipPart = tuple[bytes, bytes]
_CENTRAL_SIZE = struct.calcsize("<4s4B4HL2L5H2L")  # zipfile.structCentralDir
_END = struct.Struct("<4s4H2LH")  # zipfile.structEndArchive
_PARTS: dict[tuple[str, bool], list[tuple[str, _ZipPart]] | None] = {}


def _zip_part(name: str, data: bytes) -> _ZipPart:
    """``data`` as the entry ``name`` of a workbook: the bytes :mod:`zipfile` writes for it
    (an archive of that entry alone, split into its entry and its directory record)."""
    raw = _zip_entries([(name, data)], {})
    end = _END.unpack_from(raw, len(raw) - _END.size)
    offset = end[6]  # the central directory's: the entry is everything before it
    return raw[:offset], raw[offset : len(raw) - _END.size]


@functools.lru_cache(maxsize=16)
def _about_part(data: bytes) -> _ZipPart:
    """:func:`_zip_part` of the sheet «Om dataene», kept per content (the same for every
    download of a book: its only input is the provenance)."""
    return _zip_part(_ABOUT_PATH, data)


def _sheet_part(name: str, data: bytes) -> _ZipPart:
    """:func:`_zip_part` of a sheet (the sheet «Om dataene» kept: :func:`_about_part`)."""
    return _about_part(data) if name == _ABOUT_PATH else _zip_part(name, data)


def _join_parts(parts: Sequence[_ZipPart]) -> bytes:
    """The archive of ``parts`` in order: each entry, then the directory with each record
    pointing at its entry, then the end record (as :mod:`zipfile` writes them)."""
    out, directory, at = [], [], 0
    for local, central in parts:
        head = central[: _CENTRAL_SIZE - 4]
        directory.append(head + struct.pack("<L", at) + central[_CENTRAL_SIZE:])
        out.append(local)
        at += len(local)
    records = b"".join(directory)
    end = _END.pack(b"PK\005\006", 0, 0, len(parts), len(parts), len(records), at, 0)
    return b"".join(out) + records + end


def _compressed_parts(sheet_name: str, about: bool) -> list[tuple[str, _ZipPart]] | None:
    """The workbook's entries compressed once per process (they never change; only the
    sheets do), or ``None`` when joining them does not give :mod:`zipfile`'s bytes (checked
    once on the probe workbook of :func:`_template`)."""
    key = (sheet_name, about)
    if key not in _PARTS:
        template = _template(sheet_name, about)
        parts = None
        if template is not None:
            parts = [(name, _zip_part(name, data)) for name, data in template]
            if _join_parts([part for _, part in parts]) != _zip_entries(template, {}):
                parts = None
        _PARTS[key] = parts
    return _PARTS[key]
