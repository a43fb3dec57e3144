"""Stand-alone tables for the book: formatted cells, an accessible caption, CSV download.

Chart tables come with their figure (:func:`navbok.present.charts.show_chart`); this module is for
tables that are the result themselves (level tables, decompositions, rankings). Cells are
formatted by the caller (numbers with :mod:`navbok.present.formatting`, so each row can have its own
unit and decimals); the numbers behind them are offered as CSV.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass

import numpy as np
import pandas as pd

from navbok.present.charts import slugify
from navbok.present.formatting import (
    STATUS_ATTR,
    csv_bytes,
    current_provenance,
    is_missing,
    with_status_columns,
)


@dataclass(frozen=True)
class TableOutput:
    """A table ready for a notebook cell (Jupyter Book shows :attr:`html`)."""

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:  # plain-text stand-in (the HTML is the output that matters)
        return "Tabell"

    def __str__(self) -> str:
        return self.html


def show_table(
    cells: pd.DataFrame,
    name: str,
    caption: str,
    *,
    data: pd.DataFrame | None = None,
    notes: list[str] | None = None,
    numeric_from: int = 1,
) -> TableOutput:
    """Render formatted ``cells`` (strings) as a table with caption and a CSV download.

    Args:
        cells: The table as display strings; the first column holds the row headers.
        name: Identifies the table (id ``navbok-table-<slug>``, download ``<slug>.csv``).
        caption: What the table shows (Norwegian), including units.
        data: The numbers behind the table for the CSV download (default: ``cells``); per-cell
            status symbols in ``data.attrs["status"]`` become «<column> status» columns.
        notes: Lines shown under the table (sources, symbols, method).
        numeric_from: Columns from this index on are right-aligned numbers.
    """
    slug = slugify(name)
    esc = html.escape
    num = ' class="num"'
    head = "".join(
        f'<th scope="col"{num if i >= numeric_from else ""}>{esc(str(c))}</th>'
        for i, c in enumerate(cells.columns)
    )
    rows = []
    for row in cells.itertuples(index=False, name=None):
        out = []
        for i, value in enumerate(row):
            text = esc("" if value is None else str(value))
            if i == 0:
                out.append(f'<th scope="row">{text}</th>')
            else:
                cls = ' class="num"' if i >= numeric_from else ""
                out.append(f"<td{cls}>{text}</td>")
        rows.append("<tr>" + "".join(out) + "</tr>")
    frame = cells if data is None else with_status_columns(data)
    payload = base64.b64encode(csv_bytes(frame, current_provenance())).decode()
    note_html = "".join(f'<p class="navbok-note">{esc(n)}</p>' for n in notes or [])
    return TableOutput(
        f'<div class="navbok-table-block" id="navbok-table-{slug}">'
        f'<div class="navbok-table-wrap" style="overflow-x:auto" tabindex="0" role="region" '
        f'aria-label="{esc(caption)}">'
        f'<table class="navbok-table"><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        f"{note_html}"
        f'<p class="navbok-downloads"><a href="data:text/csv;charset=utf-8;base64,{payload}" '
        f'download="{slug}.csv">Last ned tabellen som CSV</a></p></div>'
    )


def wide(
    df: pd.DataFrame,
    index: str,
    columns: str,
    values: str,
    *,
    sort_rows: bool = False,
    sort_columns: bool = True,
) -> pd.DataFrame:
    """Long to wide for the table behind a figure: rows in order of first appearance and
    columns sorted (years in order) unless told otherwise, rows and columns without any value
    kept (shown as missing), column names as text.

    When ``df`` has a ``status`` column (SSB's ``:``, ``..``, ``.``), the status of each
    missing cell is kept in ``attrs["status"]`` (``{column: [symbol or None per row]}``): the
    figure's table shows each symbol and the download gets a status column beside the
    numbers (:func:`navbok.present.formatting.with_status_columns`)."""
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
    if "status" in df.columns and values != "status":
        status: dict[tuple, str] = {}
        symbols = df["status"].tolist()
        for key, value, symbol in zip(keys, df[values].tolist(), symbols, strict=True):
            if is_missing(value) and isinstance(symbol, str) and symbol:
                status.setdefault(key, symbol)
        if status:
            table.attrs[STATUS_ATTR] = {str(c): [status.get((r, c)) for r in rows] for c in cols}
    return table
