"""Charts for the book: one Altair theme, a few chart builders and an offline, accessible embed.

Importing this module registers and enables the ``navbok`` Altair theme. Every builder needs a
Norwegian ``title`` and ``description``; the description becomes the top-level Vega-Lite
``description``, which Vega puts on the SVG as its ``aria-label`` for screen readers. Default
ARIA descriptions of marks and axes are turned off (``config.aria = False``): Vega-Lite writes
them in English with unformatted numbers, and the data table under each figure says it better.

:func:`show_chart` wraps a chart for a notebook cell: a ``<figure>`` with the chart, its
caption, the numbers as an HTML table and CSV/Excel downloads as ``data:`` URIs. The HTML is
deterministic (no random ids), and its script draws the chart with ``window.vegaEmbed`` once
the page has loaded it; :func:`write_vega_bundle` writes that JavaScript for the site's
``_static/`` folder, so nothing is fetched from the network.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
from altair.theme import AxisConfigKwds, NumberLocaleKwds, TimeLocaleKwds
from altair.vegalite.v6.schema.core import Root

from navbok.present.formatting import (
    cell_statuses,
    csv_bytes,
    current_provenance,
    fmt_number,
    is_missing,
    with_status_columns,
    xlsx_bytes,
)

__all__ = [
    "COMPARISON_COLOURS",
    "FOCUS_COLOUR",
    "NUMBER_LOCALE",
    "TIME_LOCALE",
    "BUNDLE_NAME",
    "ChartOutput",
    "bar_chart",
    "colour_scale",
    "heatmap",
    "line_chart",
    "navbok_theme",
    "show_chart",
    "slugify",
    "waterfall_chart",
    "write_vega_bundle",
]

# Colours. All have ≥ 3:1 contrast against white (WCAG 1.4.11). The focal municipality is a
# strong crimson; comparisons are lighter muted blues and greys, so the focus also stands out by
# lightness for colour-blind readers, and lines add width and dash as a non-colour cue.
FOCUS_COLOUR = "#b3263c"
COMPARISON_COLOURS = ("#3a6ea5", "#6b6b6b", "#1b7f79", "#7b5ea7", "#8a6d1f", "#4d4d4d")
#: Dash patterns for comparison lines (the focus line is solid), so series differ without colour.
COMPARISON_DASHES = ([6, 3], [2, 2], [9, 3, 2, 3], [4, 4], [1, 3], [12, 4])
_TEXT = "#222222"
_MUTED_TEXT = "#4d4d4d"
_GRID = "#e3e3e3"
_INCREASE, _DECREASE, _TOTAL = "#2d5f8b", "#c2661f", "#5a5a5a"
_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'

#: d3-format locale for Norwegian numbers: 1 234,5 and 12,3 % and 1 234 kr.
NUMBER_LOCALE: NumberLocaleKwds = {
    "decimal": ",",
    "thousands": "\u00a0",
    "grouping": [3],
    "currency": ["", "\u00a0kr"],
    "percent": "\u00a0%",
    "minus": "\u2212",
    "nan": "\u2013",
}
_MONTHS = "januar februar mars april mai juni juli august september oktober november desember"
#: d3-time-format locale for Norwegian bokmål (as d3's nb-NO).
TIME_LOCALE: TimeLocaleKwds = {
    "dateTime": "%A den %d. %B %Y %X",
    "date": "%d.%m.%Y",
    "time": "%H:%M:%S",
    "periods": ["AM", "PM"],
    "days": ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
    "shortDays": ["søn", "man", "tir", "ons", "tor", "fre", "lør"],
    "months": _MONTHS.split(),
    "shortMonths": "jan feb mars apr mai juni juli aug sep okt nov des".split(),  # noqa: SIM905
}

BUNDLE_NAME = "navbok-vega.js"
#: The Vega-Lite schema the specs follow (Altair's).
SCHEMA_URL = alt.SCHEMA_URL


@alt.theme.register("navbok", enable=True)
def navbok_theme() -> alt.theme.ThemeConfig:
    """The navbok Altair theme: readable sizes, no border, Norwegian locale, focus colours."""
    axis: AxisConfigKwds = {
        "labelFontSize": 13,
        "titleFontSize": 14,
        "titleFontWeight": "normal",
        "labelColor": _MUTED_TEXT,
        "titleColor": _TEXT,
        "domainColor": "#767676",
        "tickColor": "#767676",
        "gridColor": _GRID,
        "labelLimit": 260,
    }
    return {
        "config": {
            "font": _FONT,
            "background": "white",
            "aria": False,
            "mark": {"aria": False},
            "locale": {"number": NUMBER_LOCALE, "time": TIME_LOCALE},
            "view": {"stroke": "transparent", "continuousHeight": 320},
            "padding": 8,
            "title": {
                "fontSize": 17,
                "fontWeight": "bold",
                "anchor": "start",
                "color": _TEXT,
                "offset": 14,
            },
            "axis": axis,
            "legend": {
                "labelFontSize": 13,
                "titleFontSize": 13,
                "labelColor": _TEXT,
                "titleColor": _TEXT,
                "orient": "bottom",
                "direction": "horizontal",
                "columns": 2,
                "labelLimit": 320,
                "symbolStrokeWidth": 3,
            },
            "range": {"category": [FOCUS_COLOUR, *COMPARISON_COLOURS]},
            "point": {"size": 40, "filled": True},
            "bar": {"color": COMPARISON_COLOURS[1]},
        }
    }


# ----------------------------------------------------------------------------- chart builders
#
# The builders write Vega-Lite specs as plain dicts: exactly what Altair's ``to_dict()`` gives
# for the same chart (tests/test_chart_specs.py holds the Altair versions and compares), at a
# fraction of the cost — building Altair objects and converting them took half of a line
# chart's time, and the national edition draws ~15 000 charts. :func:`show_chart` validates
# every spec against the Vega-Lite schema (once per shape), so a wrong spec still raises.

Spec = dict[str, Any]
#: The theme's ``config`` block, as Altair puts it into every spec.
CONFIG: dict[str, Any] = dict(navbok_theme()["config"])


def _require(title: str, description: str) -> None:
    for label, text in (("title", title), ("description", description)):
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"A chart needs a Norwegian {label} (got {text!r})")


def _no_json_number(value: Any) -> bool:
    """Missing (as :func:`navbok.present.formatting.is_missing`) or infinite: Vega-Lite gets
    null, as Altair writes it. A cheap check of its own: it runs for every value of every chart."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and (value != value or math.isinf(value))


def _column_values(col: pd.Series) -> list[Any]:
    """A column as JSON values, as Altair sanitises it: missing → null, dates → ISO text."""
    if pd.api.types.is_datetime64_any_dtype(col):
        return ["" if v is pd.NaT else v.isoformat() for v in col]
    if pd.api.types.is_timedelta64_dtype(col):
        raise ValueError(f"Column {col.name!r} holds time spans; charts need dates or numbers")
    return [None if _no_json_number(v) else v for v in col.tolist()]


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``df`` as Vega-Lite inline data (the values Altair would inline)."""
    names = [str(c) for c in df.columns]
    columns = [_column_values(df[c]) for c in df.columns]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def _dataset_name(values: list[dict[str, Any]]) -> str:
    if values == [{}]:
        return "empty"
    text = json.dumps(values, sort_keys=True, default=str)
    return "data-" + hashlib.sha256(text.encode()).hexdigest()[:32]


def _top_level(body: Spec, values: list[dict[str, Any]], title: str, description: str) -> Spec:
    """A complete spec: ``body`` with its data as a named dataset, title, description, theme."""
    name = _dataset_name(values)
    return {
        "config": CONFIG,
        **body,
        "data": {"name": name},
        "description": description,
        # Kept out of the ARIA tree (Vega would label it "Title text '…'").
        "title": {"text": title, "aria": False},
        "width": "container",
        "$schema": SCHEMA_URL,
        "datasets": {name: values},
    }


def colour_scale(series_names: Sequence[str], focus: str) -> Spec:
    """Return a colour scale where ``focus`` always gets :data:`FOCUS_COLOUR`.

    The focus comes first in the domain (and so in the legend); the other series get the muted
    comparison colours in the given order, cycling if there are more of them than colours.
    """
    others = list(dict.fromkeys(str(s) for s in series_names if str(s) != focus))
    domain = ([focus] if focus in map(str, series_names) else []) + others
    rng = ([FOCUS_COLOUR] if domain[:1] == [focus] else []) + [
        COMPARISON_COLOURS[i % len(COMPARISON_COLOURS)] for i in range(len(others))
    ]
    return {"domain": domain, "range": rng}


def _is_yearly(values: pd.Series) -> bool:
    dates = pd.to_datetime(values.dropna())
    return bool(((dates.dt.month == 1) & (dates.dt.day == 1)).all())


def _is_monthly(values: pd.Series) -> bool:
    return bool((pd.to_datetime(values.dropna()).dt.day == 1).all())


def _x_encoding(col: pd.Series, x: str, title: str | None) -> tuple[Spec, Spec]:
    """The x encoding and its tooltip from the dtype: dates → temporal, integers (years) →
    quantitative without grouping, anything else → ordinal."""
    tip_title = title or x
    if pd.api.types.is_datetime64_any_dtype(col):
        fmt = "%Y" if _is_yearly(col) else ("%m.%Y" if _is_monthly(col) else "%d.%m.%Y")
        return (
            {"axis": {"format": fmt}, "field": x, "title": title, "type": "temporal"},
            {"field": x, "format": fmt, "title": tip_title, "type": "temporal"},
        )
    if pd.api.types.is_integer_dtype(col):
        return (
            {
                "axis": {"format": "d", "tickMinStep": 1},
                "field": x,
                "scale": {"nice": False, "zero": False},
                "title": title,
                "type": "quantitative",
            },
            {"field": x, "format": "d", "title": tip_title, "type": "quantitative"},
        )
    return (
        {"axis": {"labelAngle": 0}, "field": x, "title": title, "type": "ordinal"},
        {"field": x, "title": tip_title, "type": "ordinal"},
    )


def line_chart(
    df: pd.DataFrame,
    x: str,
    y: str,
    series: str,
    focus: str,
    title: str,
    description: str,
    y_title: str,
    y_format: str = ",.1f",
    *,
    x_title: str | None = None,
    series_title: str | None = None,
) -> Spec:
    """Lines over time, one per ``series``, with the ``focus`` series highlighted.

    Missing ``y`` values break the line (a gap), never drop to 0. The focal line is thicker
    and solid; comparison lines are thinner and dashed. ``y_format`` is a d3 format string.
    Returns a layer (lines + points with tooltips) with the description at the top level.
    """
    _require(title, description)
    data = df[[x, y, series]].copy()
    data[series] = data[series].astype(str)
    scale = colour_scale(list(data[series].unique()), focus)
    domain = scale["domain"]
    # Width and dash come from field scales: Vega-Lite ignores conditional widths on paths.
    widths = [3.5 if name == focus else 2 for name in domain]
    others = [name for name in domain if name != focus]
    dashes = [
        [1, 0] if name == focus else COMPARISON_DASHES[others.index(name) % len(COMPARISON_DASHES)]
        for name in domain
    ]
    x_enc, x_tip = _x_encoding(data[x], x, x_title)
    base = {
        "color": {
            "field": series,
            "legend": {"symbolSize": 300, "symbolType": "stroke"},
            "scale": scale,
            "title": series_title,
            "type": "nominal",
        },
        "x": x_enc,
        "y": {"axis": {"format": y_format}, "field": y, "title": y_title, "type": "quantitative"},
    }
    lines = {
        "mark": {"type": "line", "invalid": "break-paths-filter-domains"},
        "encoding": {
            **base,
            "strokeDash": {
                "field": series,
                "scale": {"domain": domain, "range": dashes},
                "type": "nominal",
            },
            "strokeWidth": {
                "field": series,
                "scale": {"domain": domain, "range": widths, "type": "ordinal"},
                "type": "nominal",
            },
        },
    }
    # Points show lone values between gaps and carry the tooltips (a tooltip on the line
    # path itself would always show the line's first point).
    points = {
        "mark": {"type": "point", "filled": True, "invalid": "filter", "opacity": 1, "size": 45},
        "encoding": {
            **base,
            "tooltip": [
                {"field": series, "title": series_title or series, "type": "nominal"},
                x_tip,
                {"field": y, "format": y_format, "title": y_title, "type": "quantitative"},
            ],
        },
    }
    return _top_level({"layer": [lines, points]}, records(data), title, description)


def bar_chart(
    df: pd.DataFrame,
    category: str,
    value: str,
    focus: str,
    title: str,
    description: str,
    value_title: str,
    value_format: str = ",.1f",
    horizontal: bool = True,
    *,
    category_title: str | None = None,
    sort: bool = True,
) -> Spec:
    """Bars per ``category`` (e.g. municipality), with the ``focus`` bar in the focus colour.

    Rows with a missing value are left out (no bar, never a 0 bar). Bars are sorted by value,
    largest first, unless ``sort=False``. The focal category's label is bold.
    """
    _require(title, description)
    data = df[[category, value]].copy()
    data[category] = data[category].astype(str)
    data = data[data[value].notna()]
    val_axis, cat_axis = ("x", "y") if horizontal else ("y", "x")
    body: Spec = {
        "mark": {"type": "bar"},
        "encoding": {
            cat_axis: {
                "axis": {
                    "labelAngle": 0,
                    "labelFontWeight": {
                        "condition": {
                            "test": f"datum.value === {json.dumps(focus)}",
                            "value": "bold",
                        },
                        "value": "normal",
                    },
                },
                "field": category,
                "sort": f"-{val_axis}" if sort else None,
                "title": category_title,
                "type": "nominal",
            },
            val_axis: {
                "axis": {"format": value_format},
                "field": value,
                "title": value_title,
                "type": "quantitative",
            },
            "color": {
                # As Altair writes ``alt.datum[category] == focus`` (a Python repr is a valid
                # JavaScript string literal for these names).
                "condition": {
                    "test": f"(datum[{category!r}] === {focus!r})",
                    "value": FOCUS_COLOUR,
                },
                "value": COMPARISON_COLOURS[1],
            },
            "tooltip": [
                {"field": category, "title": category_title or category, "type": "nominal"},
                {
                    "field": value,
                    "format": value_format,
                    "title": value_title,
                    "type": "quantitative",
                },
            ],
        },
    }
    if horizontal:
        body["height"] = {"step": 24}
    return _top_level(body, records(data), title, description)


def waterfall_chart(
    steps_df: pd.DataFrame,
    title: str,
    description: str,
    value_format: str = ",.0f",
    *,
    value_title: str = "",
) -> Spec:
    """A horizontal waterfall: a start level, changes, and totals, read from top to bottom.

    ``steps_df`` has columns ``label``, ``value`` and ``kind``: ``"start"`` sets the level to
    ``value``, ``"delta"`` adds ``value``, ``"total"`` shows the level reached (or ``value`` if
    given, which then resets the level). A missing delta leaves a gap, and the level stays
    unknown (no bars) until the next start or given total: unknowns are never taken as 0.
    """
    _require(title, description)
    missing_cols = {"label", "value", "kind"} - set(steps_df.columns)
    if missing_cols:
        raise ValueError(f"waterfall_chart needs columns label/value/kind, missing {missing_cols}")
    rows: list[dict[str, Any]] = []
    level: float | None = 0.0
    start: float | None
    end: float | None
    for order, (label, value, kind) in enumerate(
        steps_df[["label", "value", "kind"]].itertuples(index=False)
    ):
        val = None if is_missing(value) else float(value)
        if kind == "start":
            start, level, step = 0.0, val, "Nivå"
            end = val
        elif kind == "delta":
            start = level
            level = None if (level is None or val is None) else level + val
            end, step = level, ("Økning" if (val or 0) >= 0 else "Nedgang")
        elif kind == "total":
            level = val if val is not None else level
            start, end, step = 0.0, level, "Nivå"
        else:
            raise ValueError(f"Unknown waterfall kind {kind!r} (use start, delta or total)")
        if start is not None and end is not None:
            row = {"label": str(label), "start": start, "end": end, "change": val, "type": step}
            rows.append({**row, "order": order})
    types = ["Nivå", "Økning", "Nedgang"]
    fmt = value_format
    body: Spec = {
        "mark": {"type": "bar"},
        "encoding": {
            "color": {
                "field": "type",
                "scale": {"domain": types, "range": [_TOTAL, _INCREASE, _DECREASE]},
                "title": None,
                "type": "nominal",
            },
            "tooltip": [
                {"field": "label", "title": "Post", "type": "nominal"},
                {"field": "type", "title": "Type", "type": "nominal"},
                {"field": "change", "format": fmt, "title": "Verdi", "type": "quantitative"},
                {"field": "end", "format": fmt, "title": "Nivå etter", "type": "quantitative"},
            ],
            "x": {
                "axis": {"format": fmt},
                "field": "start",
                "title": value_title,
                "type": "quantitative",
            },
            "x2": {"field": "end"},
            "y": {"field": "label", "sort": {"field": "order"}, "title": None, "type": "nominal"},
        },
        "height": {"step": 28},
    }
    return _top_level(body, rows, title, description)


def heatmap(
    df: pd.DataFrame,
    x: str,
    y: str,
    value: str,
    title: str,
    description: str,
    domain: tuple[float, float] = (1, 6),
    *,
    value_title: str | None = None,
    value_format: str = ",.1f",
    x_title: str | None = None,
    y_title: str | None = None,
) -> Spec:
    """A grid of cells coloured by ``value`` on a fixed ``domain`` (sequential blues).

    Missing values leave the cell empty (a row or column with no values at all is still
    shown). Categories keep the order they have in ``df``.
    """
    _require(title, description)
    data = df[[x, y, value]].copy()
    for col in (x, y):
        if not pd.api.types.is_numeric_dtype(data[col]):
            data[col] = data[col].astype(str)
    x_order = list(dict.fromkeys(data[x].tolist()))
    y_order = list(dict.fromkeys(data[y].tolist()))
    data = data[data[value].notna()]
    value_name = value_title or value
    body: Spec = {
        "mark": {"type": "rect", "stroke": "white", "strokeWidth": 1},
        "encoding": {
            "color": {
                "field": value,
                "legend": {
                    "direction": "horizontal",
                    "format": value_format,
                    "gradientLength": 240,
                },
                "scale": {"domain": list(domain), "scheme": "blues"},
                "title": value_name,
                "type": "quantitative",
            },
            "tooltip": [
                {"field": y, "title": y_title or y, "type": "ordinal"},
                {"field": x, "title": x_title or x, "type": "ordinal"},
                {
                    "field": value,
                    "format": value_format,
                    "title": value_name,
                    "type": "quantitative",
                },
            ],
            "x": {
                "axis": {"labelAngle": 0},
                "field": x,
                "scale": {"domain": x_order},
                "title": x_title,
                "type": "ordinal",
            },
            "y": {"field": y, "scale": {"domain": y_order}, "title": y_title, "type": "ordinal"},
        },
        "height": {"step": 28},
    }
    return _top_level(body, records(data), title, description)


# ------------------------------------------------------------------------------- show_chart


@dataclass(frozen=True)
class ChartOutput:
    """A chart ready for a notebook cell; Jupyter and Jupyter Book show :attr:`html`."""

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": self.html}

    def __str__(self) -> str:
        return self.html


_NORWEGIAN_LETTERS: dict[str, str | int | None] = {"æ": "ae", "ø": "o", "å": "a"}
_TO_ASCII = str.maketrans(_NORWEGIAN_LETTERS)


def slugify(name: str) -> str:
    """``"Utgifter per innbygger (Bø)"`` → ``"utgifter-per-innbygger-bo"``."""
    text = name.lower().translate(_TO_ASCII)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if not slug:
        raise ValueError(f"Chart name {name!r} gives an empty id")
    return slug


def _script_json(obj: Any) -> str:
    """Stable JSON (sorted keys) that is safe inside an inline ``<script>``."""
    text = json.dumps(
        obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


_TEXT_COLUMN_NAMES = {"år", "aar", "year", "årstall", "periode", "tid"}


def _is_text_column(name: str, col: pd.Series, text_columns: set[str]) -> bool:
    """Columns shown as plain text: non-numbers, and integer years/codes ("2023", not "2 023")."""
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


def _text_cell(value: Any, col: pd.Series, status: str | None) -> str:
    if is_missing(value):
        return status or "\u2013"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y" if _is_yearly(col) else "%d.%m.%Y")
    return str(value)


def _table_html(
    data: pd.DataFrame,
    caption: str,
    decimals: int | Mapping[str, int] | None,
    labels: Mapping[str, str],
    text_columns: set[str],
) -> str:
    """The data as an accessible HTML table (missing → status symbol or "–").

    A missing cell shows its own status when the frame carries per-cell statuses
    (``attrs["status"]``, from :func:`navbok.present.tables.wide`), else its row's ``status``."""
    per_cell = cell_statuses(data)
    statuses: list[str | None] = (
        [None if is_missing(s) or str(s) == "" else str(s) for s in data["status"]]
        if "status" in data.columns
        else [None] * len(data)
    )
    columns = [str(c) for c in data.columns]
    if "status" in columns:
        # Drop the status column when every status sits on a row it already explains.
        shown = data.drop(columns="status")
        explained = all(
            s is None or any(is_missing(v) for v in row)
            for s, row in zip(statuses, shown.itertuples(index=False, name=None), strict=True)
        )
        if explained:
            data, columns = shown, [c for c in columns if c != "status"]
    kinds: dict[str, int | None] = {}
    for name in columns:
        col = data[name]
        if _is_text_column(name, col, text_columns):
            kinds[name] = None
        elif isinstance(decimals, Mapping):
            kinds[name] = decimals.get(name, _column_decimals(col))
        else:
            kinds[name] = decimals if decimals is not None else _column_decimals(col)

    esc = html.escape
    head = "".join(f'<th scope="col">{esc(labels.get(c, c))}</th>' for c in columns)
    body = []
    series = [data[name] for name in columns]  # looked up once, not once per cell
    for r, (row_status, row) in enumerate(
        zip(statuses, data.itertuples(index=False, name=None), strict=True)
    ):
        cells = []
        for i, (name, col, value) in enumerate(zip(columns, series, row, strict=True)):
            places = kinds[name]
            status = per_cell[name][r] if name in per_cell else row_status
            if places is None:
                text, style = _text_cell(value, col, status), ""
            else:
                text = fmt_number(value, places, status=status)
                style = ' style="text-align:right"'
            tag = "th" if i == 0 else "td"
            scope = ' scope="row"' if i == 0 else ""
            cells.append(f"<{tag}{scope}{style}>{esc(text)}</{tag}>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        '<table class="navbok-table">'
        f'<caption style="text-align:left">Tallene bak figuren: {esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _title_html(title: Any) -> str:
    """The chart title (and subtitle) from a Vega-Lite spec as HTML paragraphs."""
    if title is None:
        return ""
    if isinstance(title, str | list):
        title = {"text": title}
    out = []
    for key, style in (("text", "font-weight:bold;font-size:1.15em"), ("subtitle", "")):
        text = title.get(key)
        if text:
            lines = [text] if isinstance(text, str) else list(text)
            body = "<br>".join(html.escape(str(line)) for line in lines)
            out.append(f'<p class="navbok-chart-{key}" style="margin:0 0 .25em;{style}">{body}</p>')
    return "\n".join(out)


_SCRIPT = """(function () {
  var sel = "#%(id)s", tries = 0;
  var spec = %(spec)s;
  var opt = %(opt)s;
  function fail(msg) {
    var el = document.querySelector(sel);
    if (el) { el.textContent = msg; }
  }
  function draw() {
    if (typeof window.vegaEmbed === "function") {
      window.vegaEmbed(sel, spec, opt).catch(function (err) {
        fail("Figuren kunne ikke tegnes (" + err + "). Tallene finnes i tabellen under.");
      });
    } else if (tries++ < 300) {
      setTimeout(draw, 50);
    } else {
      fail("Figuren kan ikke vises fordi figurbiblioteket ikke er lastet. "
        + "Tallene finnes i tabellen under.");
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();"""


# Schema validation (jsonschema over the whole Vega-Lite schema) cost more than building the
# chart. A spec is validated once per *shape*: the spec with its inline data left out and its
# free texts (titles, descriptions, tests, data names, scale domain/range values) blanked, which
# does not change the outcome of validation. Every other spec of that shape is used as it is
# (validation only checks a spec, it never changes it).
_FREE_TEXT_KEYS = frozenset({"title", "description", "subtitle", "text", "test"})
_VALIDATED_SHAPES: set[str] = set()


def _spec_shape(spec: dict[str, Any]) -> str:
    def walk(obj: Any, key: str = "", free: bool = False) -> Any:
        if isinstance(obj, dict):
            if key == "data" and set(obj) == {"name"}:
                return {"name": ""}
            return {
                k: walk(v, k, free or k in _FREE_TEXT_KEYS)
                for k, v in obj.items()
                if k != "datasets"
            }
        if isinstance(obj, list):
            items = [walk(v, key, free or key in ("domain", "range")) for v in obj]
            if key in ("domain", "range"):
                unique: list[Any] = []
                for item in items:
                    if item not in unique:
                        unique.append(item)
                return unique
            return items
        if free and isinstance(obj, str):
            return ""
        if key in ("domain", "range") and type(obj) in (int, float):
            return 0
        return obj

    return json.dumps(walk(spec), sort_keys=True, default=str)


def _validated(chart: Mapping[str, Any] | alt.TopLevelMixin) -> dict[str, Any]:
    """The spec as a dict, validated against the Vega-Lite schema once per spec shape.

    An Altair chart (for a chapter's own figure) is converted with ``to_dict()``."""
    if isinstance(chart, alt.TopLevelMixin):
        with alt.data_transformers.enable("default"):  # data inline, never a file
            return chart.to_dict()
    spec = dict(chart)
    shape = _spec_shape(spec)
    if shape not in _VALIDATED_SHAPES:
        Root.validate(spec)  # raises jsonschema.ValidationError naming the wrong property
        _VALIDATED_SHAPES.add(shape)
    return spec


def show_chart(
    chart: Mapping[str, Any] | alt.TopLevelMixin,
    data: pd.DataFrame,
    name: str,
    caption: str,
    *,
    decimals: int | Mapping[str, int] | None = None,
    labels: Mapping[str, str] | None = None,
    text_columns: Iterable[str] = (),
) -> ChartOutput:
    """Render ``chart`` as a figure with caption, data table and downloads.

    Args:
        chart: A Vega-Lite spec from the builders here (or an Altair chart), data inlined.
        data: The numbers behind the figure, shown as a table and offered as CSV and Excel.
            A ``status`` column (SSB symbols ``..``, ``:``, ``.``) fills missing cells of its
            row; per-cell statuses (``attrs["status"]``, see
            :func:`navbok.present.tables.wide`) fill each cell and become «<column> status»
            columns in the downloads. The downloads carry the provenance set by
            :func:`navbok.present.formatting.set_provenance`.
        name: Identifies the figure: the element id is ``navbok-chart-<slug>`` and downloads
            are ``<slug>.csv``/``<slug>.xlsx``. Use a name only once per page.
        caption: The figure caption (Norwegian).
        decimals: Decimals in the table, for all numeric columns or per column; by default 0
            for whole numbers and 1 otherwise.
        labels: Display names for table columns.
        text_columns: Columns to show as text rather than as formatted numbers (integer
            columns called år/year/periode or ending in nr/kode are text already).

    Returns:
        A :class:`ChartOutput`; the same input always gives byte-identical HTML.
    """
    slug = slugify(name)
    div_id = f"navbok-chart-{slug}"
    spec = _validated(chart)
    # The title is shown as HTML: it wraps on narrow screens, and screen readers get it in
    # Norwegian (Vega labels an SVG title "Title text '…'", even with aria off).
    title_html = _title_html(spec.pop("title", None))
    options = {
        "renderer": "svg",
        "actions": False,
        "formatLocale": NUMBER_LOCALE,
        "timeFormatLocale": TIME_LOCALE,
    }
    script = _SCRIPT % {"id": div_id, "spec": _script_json(spec), "opt": _script_json(options)}
    # Downloads carry the status of every missing number and where the numbers come from.
    download, provenance = with_status_columns(data), current_provenance()
    csv_uri = (
        "data:text/csv;charset=utf-8;base64,"
        + base64.b64encode(csv_bytes(download, provenance)).decode()
    )
    xlsx_uri = (
        "data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,"
        + base64.b64encode(xlsx_bytes(download, provenance=provenance)).decode()
    )
    table = _table_html(data, caption, decimals, labels or {}, set(text_columns))
    cap_id = f"{div_id}-caption"
    esc = html.escape
    parts = [
        f'<figure class="navbok-figure" id="{div_id}-figure">',
        title_html,
        f'<div id="{div_id}" class="navbok-chart" style="width:100%"></div>',
        "<noscript><p>Figuren trenger JavaScript. Tallene finnes i tabellen under.</p></noscript>",
        f"<script>\n{script}\n</script>",
        f'<figcaption id="{cap_id}">{esc(caption)}</figcaption>',
        '<details class="navbok-data"><summary>Vis tallene bak figuren</summary>',
        f'<div class="navbok-table-wrap" style="overflow-x:auto">{table}</div></details>',
        '<p class="navbok-downloads">',
        f'<a href="{csv_uri}" download="{slug}.csv" aria-describedby="{cap_id}">Last ned CSV</a>'
        " · ",
        f'<a href="{xlsx_uri}" download="{slug}.xlsx" aria-describedby="{cap_id}">'
        "Last ned Excel</a>",
        "</p>",
        "</figure>",
    ]
    return ChartOutput("\n".join(part for part in parts if part))


# ------------------------------------------------------------------------------ offline JS


def _vl_version() -> str | None:
    """The Vega-Lite version (major.minor) Altair targets, if vl-convert has it bundled."""
    import vl_convert as vlc

    wanted = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return wanted if wanted in vlc.get_vegalite_versions() else None


def write_vega_bundle(dest_dir: Path) -> Path:
    """Write ``navbok-vega.js`` (Vega, Vega-Lite and vega-embed, no network) into ``dest_dir``.

    The bundle is built offline by ``vl_convert.javascript_bundle`` and wrapped in an IIFE
    that sets ``window.vegaEmbed``, ``window.vega`` and ``window.vegaLite``, so it works as a
    classic (also ``defer``) ``<script>``. The first line records the versions; an existing
    file with the same first line is kept as it is.

    Returns:
        The path of the bundle.
    """
    import vl_convert as vlc

    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / BUNDLE_NAME
    vl_version = _vl_version()
    vlc_version = vlc.__version__  # type: ignore[attr-defined]  # missing from vl_convert's stub
    header = (
        f"/* {BUNDLE_NAME}: vega {vlc.get_vega_version()}, vega-lite {vl_version or 'latest'},"
        f" vega-embed {vlc.get_vega_embed_version()}; vl-convert {vlc_version} */\n"
    )
    if target.exists():
        with target.open(encoding="utf-8") as fh:
            if fh.readline() == header:
                return target
    code = vlc.javascript_bundle(
        snippet="window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite;",
        vl_version=vl_version,
    )
    text = f'{header}(function () {{\n"use strict";\n{code}\n}})();\n'
    fd, tmp = tempfile.mkstemp(dir=dest_dir, prefix=f".{BUNDLE_NAME}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
