"""Figures for the book: a chart with its title, caption, the numbers as a table, downloads.

:func:`show_chart` wraps a chart spec (:mod:`navbok.present.chart_specs`) for a notebook cell: a
``<figure>`` with the title as HTML, the chart, its caption, the numbers behind it as an HTML
table (:func:`data_table`, written by :func:`navbok.present.tables.table_html`) and CSV/Excel
downloads as ``data:`` URIs. The HTML is deterministic (no random ids), and its script draws the
chart with ``window.vegaEmbed`` once the page has loaded the offline bundle
(:mod:`navbok.present.bundle`), so nothing is fetched from the network.

Default ARIA descriptions of marks and axes are off in the theme: Vega-Lite writes them in
English with unformatted numbers, and the data table under each figure says it better.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from navbok import status
from navbok.present.chart_specs import is_yearly, validated
from navbok.present.embed import embed_script
from navbok.present.exports import MarkedFrame, Provenance, cell_estimates, cell_statuses
from navbok.present.numbers import MISSING, fmt_number, is_missing
from navbok.present.plain_table import column_values, rows_of
from navbok.present.tables import Download, display_bundle, download_links, slugify, table_html

if TYPE_CHECKING:
    import altair as alt

__all__ = ["FIGURE_DOWNLOADS", "ChartOutput", "data_table", "download_frame", "show_chart"]

#: The downloads under a figure: format → link text.
FIGURE_DOWNLOADS: Mapping[str, str] = {"csv": "Last ned CSV", "xlsx": "Last ned Excel"}


@dataclass(frozen=True)
class ChartOutput:
    """A chart ready for a notebook cell; Jupyter and Jupyter Book show :attr:`html`, and the
    output's metadata holds the :class:`~navbok.present.tables.Download` records of the
    numbers behind it (:func:`~navbok.present.tables.display_bundle`)."""

    html: str
    downloads: tuple[Download, ...] = ()

    def _repr_html_(self) -> str:
        return self.html

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None
    ) -> dict[str, str] | tuple[dict[str, str], dict[str, Any]]:
        return display_bundle(self.html, self.downloads)

    def __repr__(self) -> str:
        # The plain-text stand-in IPython stores beside the HTML: short, not the whole figure
        # again (the dataclass default doubled every notebook's size and its kernel messages).
        return "Figur"

    def __str__(self) -> str:
        return self.html


_TEXT_COLUMN_NAMES = {"år", "aar", "year", "årstall", "periode", "tid"}


def _is_text_column(name: str, col: pd.Series | Any, text_columns: set[str]) -> bool:
    """Columns shown as plain text: non-numbers, and integer years/codes ("2023", not "2 023")
    (``col``: the column or its dtype)."""
    if name in text_columns or not pd.api.types.is_numeric_dtype(col):
        return True
    if pd.api.types.is_bool_dtype(col):
        return True
    low = name.lower()
    return pd.api.types.is_integer_dtype(col) and (
        low in _TEXT_COLUMN_NAMES or low.endswith(("nr", "kode", "_id"))
    )


def _column_decimals(col: pd.Series) -> int:
    """0 decimals for whole numbers, else 1."""
    values = pd.to_numeric(col, errors="coerce").dropna()
    return 0 if values.empty or bool((values == values.round()).all()) else 1


def _text_cell(
    value: Any, name: str, column: Callable[[str], pd.Series], symbol: str | None
) -> str:
    """A text cell (``column(name)``: its column, looked up for a date only)."""
    if is_missing(value):
        return status.symbol(symbol, default=MISSING)
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y" if is_yearly(column(name)) else "%d.%m.%Y")
    return str(value)


def data_table(
    numbers: pd.DataFrame | MarkedFrame,
    caption: str,
    decimals: int | Mapping[str, int | Sequence[int]] | None = None,
    labels: Mapping[str, str] | None = None,
    text_columns: Iterable[str] = (),
) -> str:
    """The numbers behind a figure as an HTML table (missing → status symbol or "–").

    Numbers are formatted with :func:`navbok.present.numbers.fmt_number` and right-aligned;
    text columns (see :func:`show_chart`) are left as they are. A missing cell shows its own
    status when the numbers carry per-cell statuses (a
    :class:`~navbok.present.exports.MarkedFrame`, e.g. from :func:`navbok.present.tables.wide`),
    else its row's ``status``; the ``status`` column is
    left out when every status sits on a row it already explains.

    Args:
        numbers: The numbers, as given to :func:`show_chart`.
        caption: The figure's caption (the table's reads «Tallene bak figuren: <caption>»).
        decimals: Decimals for all numeric columns or per column, for a column either one
            number or one per row (default: 0 for whole numbers, else 1). Estimated cells
            (the :class:`~navbok.present.exports.MarkedFrame`'s) read «≈ 1 200», with a note
            line under the table.
        labels: Display names for columns.
        text_columns: Columns to show as text.
    """
    labels = labels or {}
    text_columns = set(text_columns)
    per_cell = cell_statuses(numbers)
    estimated = cell_estimates(numbers)
    data = MarkedFrame.of(numbers).frame
    statuses: list[str | None] = (
        [status.symbol(s, default="") or None for s in column_values(data["status"]._values)]
        if "status" in data.columns
        else [None] * len(data)
    )
    columns = [str(c) for c in data.columns]
    if "status" in columns:
        # Drop the status column when every status sits on a row it already explains.
        shown = data.drop(columns="status")
        explained = all(
            s is None or any(is_missing(v) for v in row)
            for s, row in zip(statuses, rows_of(shown), strict=True)
        )
        if explained:
            data, columns = shown, [c for c in columns if c != "status"]
    kinds: dict[str, int | Sequence[int] | None] = {}
    by_name: dict[str, pd.Series] = {}  # each column looked up once (a new Series each time)

    def column(name: str) -> pd.Series:
        if name not in by_name:
            by_name[name] = data[name]
        return by_name[name]

    # The types read at once; a column itself only where its values are needed (whole
    # numbers?). A frame with repeated or non-text names goes column by column, as before.
    plain_names = data.columns.is_unique and all(isinstance(c, str) for c in data.columns)
    dtypes = dict(zip(data.columns, data.dtypes, strict=True)) if plain_names else {}
    for name in columns:
        if _is_text_column(name, dtypes[name] if plain_names else column(name), text_columns):
            kinds[name] = None
        elif isinstance(decimals, Mapping):
            kinds[name] = decimals[name] if name in decimals else _column_decimals(column(name))
        else:
            kinds[name] = decimals if decimals is not None else _column_decimals(column(name))

    places = [kinds[name] for name in columns]
    cell_status = [per_cell.get(name) for name in columns]
    cell_estimate = [estimated.get(name) for name in columns]
    rows = []
    for r, (row_status, row) in enumerate(zip(statuses, rows_of(data), strict=True)):
        cells = []
        for name, digits, own, guess, value in zip(
            columns, places, cell_status, cell_estimate, row, strict=True
        ):
            symbol = own[r] if own is not None else row_status
            if digits is None:
                text = _text_cell(value, name, column, symbol)
            else:
                places_here = digits if isinstance(digits, int) else digits[r]
                text = fmt_number(value, places_here, status=symbol)
            if guess is not None and guess[r] and not is_missing(value):
                text = f"{status.ESTIMATE} {text}"
            cells.append(text)
        rows.append(cells)
    table = table_html(
        [labels.get(c, c) for c in columns],
        rows,
        f"Tallene bak figuren: {caption}",
        numeric=[digits is not None for digits in places],
    )
    if estimated:
        table += f'<p class="navbok-note">{html.escape(status.ESTIMATE_NOTE)}</p>'
    return table


def download_frame(
    numbers: pd.DataFrame | MarkedFrame,
    decimals: int | Mapping[str, int | Sequence[int]] | None = None,
) -> MarkedFrame:
    """The numbers of a figure as its downloads hold them: a column shown without decimals
    (``decimals`` 0: counts of persons, kroner) as whole numbers, never «1200.23» for an
    estimated count; everything else as it is (with its per-cell statuses and estimates)."""
    marked = MarkedFrame.of(numbers)
    data = marked.frame
    if decimals is None:
        return marked
    # the columns' dtypes read at once (a column looked up is a new Series each time); a frame
    # with repeated column names is read column by column, as ``data[c]`` reads it
    kinds = (
        zip(data.columns, data.dtypes, strict=True)
        if data.columns.is_unique
        else ((c, data[c]) for c in data.columns)
    )
    whole = [
        c
        for c, kind in kinds
        if pd.api.types.is_float_dtype(kind)
        and (decimals if not isinstance(decimals, Mapping) else decimals.get(str(c))) == 0
    ]
    if not whole:
        return marked
    out = data.copy()
    for c in whole:
        out[c] = out[c].round().astype("Int64")
    return marked.with_frame(out)


def _title_lines(title: Any, key: str = "text") -> list[str]:
    """The lines of a Vega-Lite spec's title (``key`` ``"subtitle"``: of its subtitle)."""
    if title is None:
        return []
    if isinstance(title, str | list):
        title = {"text": title}
    text = title.get(key)
    if not text:
        return []
    return [text] if isinstance(text, str) else [str(line) for line in text]


def _title_html(title: Any) -> str:
    """The chart title (and subtitle) from a Vega-Lite spec as HTML paragraphs."""
    out = []
    for key, style in (("text", "font-weight:bold;font-size:1.15em"), ("subtitle", "")):
        lines = _title_lines(title, key)
        if lines:
            body = "<br>".join(html.escape(line) for line in lines)
            out.append(f'<p class="navbok-chart-{key}" style="margin:0 0 .25em;{style}">{body}</p>')
    return "\n".join(out)


def show_chart(
    chart: Mapping[str, Any] | alt.TopLevelMixin,
    data: pd.DataFrame | MarkedFrame,
    name: str,
    caption: str,
    *,
    provenance: Provenance | None,
    decimals: int | Mapping[str, int | Sequence[int]] | None = None,
    labels: Mapping[str, str] | None = None,
    text_columns: Iterable[str] = (),
) -> ChartOutput:
    """Render ``chart`` as a figure with caption, data table and downloads.

    Args:
        chart: A Vega-Lite spec from :mod:`navbok.present.chart_specs` (or an Altair chart), data
            inlined.
        data: The numbers behind the figure, shown as a table and offered as CSV and Excel.
            A ``status`` column (:mod:`navbok.status` symbols) fills missing cells of its
            row; per-cell statuses (a :class:`~navbok.present.exports.MarkedFrame`, see
            :func:`navbok.present.tables.wide`) fill each cell and become «<column> status»
            columns in the downloads.
        name: Identifies the figure: the element id is ``navbok-chart-<slug>`` and downloads
            are ``<slug>.csv``/``<slug>.xlsx``. Use a name only once per page.
        caption: The figure caption (Norwegian).
        provenance: Where the numbers come from (a report's ``Context.provenance``); the
            downloads carry it. ``None`` only for numbers from no snapshot (tests).
        decimals: Decimals in the table, for all numeric columns or per column (one number
            or one per row); by default 0 for whole numbers and 1 otherwise. Columns shown
            without decimals are whole numbers in the downloads (:func:`download_frame`).
        labels: Display names for table columns.
        text_columns: Columns to show as text rather than as formatted numbers (integer
            columns called år/year/periode or ending in nr/kode are text already).

    Returns:
        A :class:`ChartOutput`; the same input always gives byte-identical HTML.
    """
    slug = slugify(name)
    div_id = f"navbok-chart-{slug}"
    spec = validated(chart)
    # The title is shown as HTML: it wraps on narrow screens, and screen readers get it in
    # Norwegian (Vega labels an SVG title "Title text '…'", even with aria off).
    title = spec.pop("title", None)
    title_html = _title_html(title)
    # The workbook's name for the numbers: the title's lines run together, else the table's.
    name_in_workbook = "".join(_title_lines(title)) or f"Tallene bak figuren: {caption}"
    script = embed_script(spec, div_id, sort_keys=True)
    table = data_table(data, caption, decimals, labels, text_columns)
    cap_id = f"{div_id}-caption"
    # Downloads carry the status of every missing number and where the numbers come from.
    links = download_links(
        download_frame(data, decimals),
        slug,
        FIGURE_DOWNLOADS,
        provenance=provenance,
        title=name_in_workbook,
        described_by=cap_id,
    )
    parts = [
        f'<figure class="navbok-figure" id="{div_id}-figure">',
        title_html,
        f'<div id="{div_id}" class="navbok-chart" style="width:100%"></div>',
        "<noscript><p>Figuren trenger JavaScript. Tallene finnes i tabellen under.</p></noscript>",
        f"<script>\n{script}\n</script>",
        f'<figcaption id="{cap_id}">{html.escape(caption)}</figcaption>',
        '<details class="navbok-data"><summary>Vis tallene bak figuren</summary>',
        f"{table}</details>",
        links.html,
        "</figure>",
    ]
    downloads = tuple(d for d in (links.download,) if d)
    return ChartOutput("\n".join(part for part in parts if part), downloads)
