"""HTML tables for the book: the one table writer, its download links and stand-alone tables.

:func:`table_html` writes every table on a page — the stand-alone tables here and the numbers
behind each figure (:func:`navbok.present.figure.show_chart`) — with one set of rules: the first
column holds the row headers, numbers are right-aligned (class ``num``) and text is left-aligned,
and the table sits in a scrollable region a keyboard can reach. :func:`download_links` offers
the numbers behind a table as files (CSV and Excel, see :mod:`navbok.present.exports`), each
with the chapter's provenance and a status column beside numbers SSB withheld.

:func:`show_table` is for tables that are the result themselves (level tables, decompositions,
rankings): the caller formats the cells (with :mod:`navbok.present.numbers`, so each row can
have its own unit and decimals). :func:`wide` turns long data into the table behind a figure.
"""

from __future__ import annotations

import base64
import html
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from navbok import status
from navbok.present.exports import (
    MarkedFrame,
    Provenance,
    cell_estimates,
    csv_bytes,
    download_table,
    with_cell_estimates,
    with_cell_statuses,
    xlsx_bytes,
)
from navbok.present.numbers import is_missing

__all__ = [
    "DOWNLOADS_METADATA",
    "TABLE_DOWNLOADS",
    "Download",
    "DownloadLinks",
    "TableOutput",
    "display_bundle",
    "download_links",
    "mark_estimates",
    "show_table",
    "slugify",
    "table_html",
    "wide",
]

#: The downloads under a stand-alone table: format → link text. Tables offer CSV only, as they
#: always have (an Excel link, ``"xlsx": "Last ned tabellen som Excel"``, would add text to
#: every page); :func:`download_links` writes either format.
TABLE_DOWNLOADS: Mapping[str, str] = {"csv": "Last ned tabellen som CSV"}

_MEDIA_TYPES = {
    "csv": "text/csv;charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

#: The key of a notebook output's metadata that lists the numbers behind the figures and tables
#: it shows (:meth:`Download.record`, in the order of their links): the book's workbook reads
#: them there (:mod:`navbok.site.workbook`), never from the HTML.
DOWNLOADS_METADATA = "navbok_downloads"


@dataclass(frozen=True)
class Download:
    """The numbers behind one figure or table as its CSV download holds them: the file's name
    without extension (``slug``), the title the book's workbook gives its sheet (the figure's
    title, else its caption) and the file's text (provenance comment lines, header, rows)."""

    slug: str
    title: str
    csv: str

    def record(self) -> dict[str, str]:
        """As a notebook output's metadata holds it (:data:`DOWNLOADS_METADATA`)."""
        return {"slug": self.slug, "title": self.title, "csv": self.csv}


def display_bundle(
    html_text: str, downloads: Sequence[Download]
) -> dict[str, str] | tuple[dict[str, str], dict[str, Any]]:
    """A display object's ``_repr_mimebundle_``: the HTML, with the records of the numbers
    behind it in the output's metadata (:data:`DOWNLOADS_METADATA`)."""
    data = {"text/html": html_text}
    if not downloads:
        return data
    return data, {DOWNLOADS_METADATA: [d.record() for d in downloads]}


@dataclass(frozen=True)
class DownloadLinks:
    """The links under a figure or table (:attr:`html`) and the record of its CSV file
    (``None`` when it offers none)."""

    html: str
    download: Download | None


_NORWEGIAN_LETTERS: dict[str, str | int | None] = {"æ": "ae", "ø": "o", "å": "a"}
_TO_ASCII = str.maketrans(_NORWEGIAN_LETTERS)


def slugify(name: str) -> str:
    """``"Utgifter per innbygger (Bø)"`` → ``"utgifter-per-innbygger-bo"``: the element id and
    download file name of a figure or table."""
    text = name.lower().translate(_TO_ASCII)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if not slug:
        raise ValueError(f"Chart name {name!r} gives an empty id")
    return slug


def table_html(
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    caption: str,
    *,
    numeric: Sequence[bool],
    caption_id: str | None = None,
) -> str:
    """An accessible HTML table of display texts, in a scrollable region.

    Args:
        header: The column headings.
        rows: The cells of each row as display texts (formatted numbers, symbols, names); the
            first cell of a row is its row header.
        caption: What the table shows; also the region's label.
        numeric: Per column, whether it holds numbers: right-aligned (class ``num``), heading
            included; other columns are left-aligned text.
        caption_id: An id for the ``<caption>`` (for links that it describes).

    Returns:
        ``<div class="navbok-table-wrap">`` holding the ``<table class="navbok-table">``.
    """
    esc = html.escape
    num = [' class="num"' if flag else "" for flag in numeric]
    head = "".join(
        f'<th scope="col"{cls}>{esc(text)}</th>' for text, cls in zip(header, num, strict=True)
    )
    # Opening and closing tags per column: the first cell of a row is its header.
    tags = [
        (f'<th scope="row"{cls}>', "</th>") if i == 0 else (f"<td{cls}>", "</td>")
        for i, cls in enumerate(num)
    ]
    body = []
    for row in rows:
        out: list[str] = []
        for (start, end), text in zip(tags, row, strict=True):
            out += (start, esc(text), end)
        body.append("<tr>" + "".join(out) + "</tr>")
    cap_id = f' id="{esc(caption_id)}"' if caption_id else ""
    return (
        '<div class="navbok-table-wrap" style="overflow-x:auto" tabindex="0" role="region" '
        f'aria-label="{esc(caption)}">'
        f'<table class="navbok-table"><caption{cap_id}>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def download_links(
    data: pd.DataFrame | MarkedFrame,
    slug: str,
    labels: Mapping[str, str],
    *,
    provenance: Provenance | None,
    title: str,
    described_by: str | None = None,
) -> DownloadLinks:
    """The numbers behind a figure or table as downloads (``data:`` URIs), one link per format.

    Args:
        data: The numbers; the marks of a :class:`~navbok.present.exports.MarkedFrame` become
            «<column> status» columns (:func:`navbok.present.exports.with_status_columns`).
        slug: The file name without extension (``<slug>.csv``, ``<slug>.xlsx``).
        labels: Format (``"csv"``, ``"xlsx"``) → link text, in the order shown.
        provenance: Where the numbers come from (a report's ``Context.provenance``); every
            file carries it. ``None`` only for numbers from no snapshot (tests).
        title: What the numbers are called in the book's workbook (the figure's title, else
            its caption; :class:`Download`).
        described_by: The id of the caption the links are described by.

    Returns:
        ``<p class="navbok-downloads">`` with the links, and the CSV file's :class:`Download`.
    """
    frame = download_table(data)  # read once, for every format
    described = f' aria-describedby="{html.escape(described_by)}"' if described_by else ""
    links = []
    download = None
    for kind, label in labels.items():
        if kind == "csv":
            payload = csv_bytes(frame, provenance)
            download = Download(slug, " ".join(title.split()), payload.decode("utf-8-sig"))
        elif kind == "xlsx":
            payload = xlsx_bytes(frame, provenance=provenance)
        else:
            raise ValueError(f"Unknown download format {kind!r} (use csv or xlsx)")
        uri = f"data:{_MEDIA_TYPES[kind]};base64,{base64.b64encode(payload).decode()}"
        links.append(
            f'<a href="{uri}" download="{slug}.{kind}"{described}>{html.escape(label)}</a>'
        )
    return DownloadLinks('<p class="navbok-downloads">' + " · ".join(links) + "</p>", download)


@dataclass(frozen=True)
class TableOutput:
    """A table ready for a notebook cell (Jupyter Book shows :attr:`html`; the output's
    metadata holds the :class:`Download` records of the numbers, :func:`display_bundle`)."""

    html: str
    downloads: tuple[Download, ...] = ()

    def _repr_html_(self) -> str:
        return self.html

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None
    ) -> dict[str, str] | tuple[dict[str, str], dict[str, Any]]:
        return display_bundle(self.html, self.downloads)

    def __repr__(self) -> str:  # plain-text stand-in (the HTML is the output that matters)
        return "Tabell"

    def __str__(self) -> str:
        return self.html


#: Where the notes a chapter writes under a table go (before the notes the code gives and the
#: estimate note): :func:`navbok.present.chapter_text.fill_notebook` fills and removes it.
NOTES_MARK = "<!--navbok:noter-->"


def show_table(
    cells: pd.DataFrame,
    name: str,
    caption: str,
    *,
    provenance: Provenance | None,
    data: pd.DataFrame | MarkedFrame | None = None,
    notes: list[str] | None = None,
    numeric_from: int = 1,
) -> TableOutput:
    """Render formatted ``cells`` (strings) as a table with caption, notes and downloads.

    Args:
        cells: The table as display strings; the first column holds the row headers.
        name: Identifies the table (id ``navbok-table-<slug>``, download ``<slug>.csv``).
        caption: What the table shows (Norwegian), including units.
        provenance: Where the numbers come from; the downloads carry it (:func:`download_links`).
        data: The numbers behind the table for the download (default: ``cells``); the per-cell
            status symbols of a :class:`~navbok.present.exports.MarkedFrame` become «<column>
            status» columns, and its estimates are shown «≈ 1 200» with a note line
            (:data:`navbok.status.ESTIMATE_NOTE`) and marked «≈» in the download.
        notes: Lines shown under the table (sources, symbols, method).
        numeric_from: Columns from this index on are right-aligned numbers.

    Returns:
        A :class:`TableOutput` (the downloads are :data:`TABLE_DOWNLOADS`).
    """
    slug = slugify(name)
    block_id = f"navbok-table-{slug}"
    estimates = cell_estimates(data) if data is not None else {}
    if estimates:
        cells = mark_estimates(cells, estimates)
    header = [str(c) for c in cells.columns]
    numeric = [i > 0 and i >= numeric_from for i in range(len(header))]
    rows = (
        ["" if value is None else str(value) for value in row]
        for row in cells.itertuples(index=False, name=None)
    )
    table = table_html(header, rows, caption, numeric=numeric, caption_id=f"{block_id}-caption")
    esc = html.escape
    # The notes the chapter writes under the table come first (chapter_text fills the mark),
    # then the code's own lines (symbols, gaps), then the estimate note.
    note_html = NOTES_MARK + "".join(f'<p class="navbok-note">{esc(n)}</p>' for n in notes or [])
    if estimates:
        note_html += f'<p class="navbok-note">{esc(status.ESTIMATE_NOTE)}</p>'
    links = download_links(
        cells if data is None else data,
        slug,
        TABLE_DOWNLOADS,
        provenance=provenance,
        title=caption,
        described_by=f"{block_id}-caption",
    )
    return TableOutput(
        f'<div class="navbok-table-block" id="{block_id}">{table}{note_html}{links.html}</div>',
        tuple(d for d in (links.download,) if d),
    )


def mark_estimates(cells: pd.DataFrame, estimates: Mapping[str, Sequence[bool]]) -> pd.DataFrame:
    """Display cells with «≈ » (:data:`navbok.status.ESTIMATE`) before each estimated value
    (``estimates``: column → flag per row, as :func:`navbok.present.exports.cell_estimates`)."""
    out = cells.copy()
    for column, flags in estimates.items():
        if column in out.columns:
            out[column] = [
                f"{status.ESTIMATE} {text}" if flag and text not in (None, "") else text
                for text, flag in zip(out[column].tolist(), flags, strict=True)
            ]
    return out


def wide(
    df: pd.DataFrame,
    index: str,
    columns: str,
    values: str,
    *,
    sort_rows: bool = False,
    sort_columns: bool = True,
) -> MarkedFrame:
    """Long to wide for the table behind a figure: rows in order of first appearance and
    columns sorted (years in order) unless told otherwise, rows and columns without any value
    kept (shown as missing), column names as text.

    Returns the table as a :class:`~navbok.present.exports.MarkedFrame`: when ``df`` has a
    ``status`` column (:mod:`navbok.status` symbols), with the status of each missing cell
    (``{column: [symbol or None per row]}``; the figure's table shows each symbol and the
    download gets a status column beside the numbers,
    :func:`navbok.present.exports.with_status_columns`), and with an ``estimate`` column, with
    the estimated cells."""
    keys = list(zip(df[index].tolist(), df[columns].tolist(), strict=True))
    rows = list(dict.fromkeys(k[0] for k in keys))
    cols = list(dict.fromkeys(k[1] for k in keys))
    rows, cols = (sorted(rows) if sort_rows else rows), (sorted(cols) if sort_columns else cols)
    if df[values].dtype == "float64" and len(set(keys)) == len(keys):
        # One float per cell (the usual case): place the values directly. pivot_table gives
        # the same frame (tests/test_report.py compares) at many times the cost.
        cell = dict(zip(keys, df[values].tolist(), strict=True))
        nan = float("nan")
        table = pd.DataFrame(
            {index: pd.Index(rows, dtype=df[index].dtype)}
            | {str(c): np.array([cell.get((r, c), nan) for r in rows], dtype=float) for c in cols},
            columns=[index, *(str(c) for c in cols)],
        )
    else:
        table = df.pivot_table(
            index=index, columns=columns, values=values, dropna=False, sort=False
        )
        table = table.reindex(index=rows, columns=cols).reset_index()
        table.columns = [str(c) for c in table.columns]
    marked = MarkedFrame(table)
    if "status" in df.columns and values != "status":
        found: dict[tuple, str] = {}
        symbols = df["status"].tolist()
        for key, value, raw in zip(keys, df[values].tolist(), symbols, strict=True):
            symbol = status.symbol(raw, default="")
            if symbol and is_missing(value):
                found.setdefault(key, symbol)
        # Always set (also when nothing is missing): every download of a figure then has the
        # same layout, a status column beside each column of numbers.
        marked = with_cell_statuses(
            marked, {str(c): [found.get((r, c)) for r in rows] for c in cols}
        )
    if "estimate" in df.columns and values != "estimate":
        flagged = {
            key
            for key, flag, value in zip(
                keys,
                df["estimate"].astype(object).fillna(False).astype(bool).tolist(),
                df[values].tolist(),
                strict=True,
            )
            if flag and not is_missing(value)
        }
        if flagged:
            marked = with_cell_estimates(
                marked, {str(c): [(r, c) in flagged for r in rows] for c in cols}
            )
    return marked
