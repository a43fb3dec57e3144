"""Vega-Lite specs for the book's charts: line, bar, waterfall and heatmap builders.

The builders write Vega-Lite specs as plain dicts: exactly what Altair's ``to_dict()`` gives for
the same chart (``tests/test_chart_specs.py`` holds the Altair versions and compares), at a
fraction of the cost — building Altair objects and converting them took half of a line chart's
time, and the national edition draws ~15 000 charts. Every builder needs a Norwegian ``title``
and ``description``; the description becomes the top-level Vega-Lite ``description``, which Vega
puts on the SVG as its ``aria-label`` for screen readers. The look (colours, fonts, locale)
comes from :mod:`navbok.present.theme`.

:func:`validated` checks a spec against the Vega-Lite schema (once per shape), so a wrong spec
still raises; :func:`navbok.present.figure.show_chart` calls it for every chart it shows.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from navbok.present.numbers import fmt_number, is_missing
from navbok.present.theme import (
    BAND_AXIS,
    COMPARISON_COLOURS,
    CONFIG,
    DECREASE_COLOUR,
    FOCUS_COLOUR,
    GRADE_MID,
    GRADE_SCHEME,
    INCREASE_COLOUR,
    NARROW,
    REFERENCE_COLOUR,
    TOTAL_COLOUR,
    altair_loaded,
    series_styles,
    use_altair_theme,
)

if TYPE_CHECKING:
    import altair as alt

__all__ = [
    "SCHEMA_URL",
    "Spec",
    "bar_chart",
    "colour_scale",
    "heatmap",
    "is_yearly",
    "line_chart",
    "records",
    "validated",
    "waterfall_chart",
]

#: A Vega-Lite spec as a plain dict.
Spec = dict[str, Any]
#: The Vega-Lite schema the specs follow: Altair's ``alt.SCHEMA_URL``, written out so that
#: making a spec does not import Altair (``tests/test_chart_specs.py`` checks they agree).
SCHEMA_URL = "https://vega.github.io/schema/vega-lite/v6.4.1.json"


def axis_format(fmt: str) -> str:
    """An axis's tick format from a value format: trailing zeros trimmed (``,.2f`` →
    ``,.2~f``), so ticks read «25» and «−10» where the value «25,00» needs its decimals (the
    tooltips and tables keep them); other formats as they are."""
    return re.sub(r"^(,?)\.([1-9]\d*)f$", r"\1.\2~f", fmt)


def _require(title: str, description: str) -> None:
    for label, text in (("title", title), ("description", description)):
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"A chart needs a Norwegian {label} (got {text!r})")


def _no_json_number(value: Any) -> bool:
    """Missing (as :func:`navbok.present.numbers.is_missing`) or infinite: Vega-Lite gets
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
    layers = body.get("layer", [])
    if any("data" in layer for layer in layers):
        # A layer with data of its own (a reference line): every other layer names the
        # dataset itself, as Altair writes it.
        own = [layer if "data" in layer else {"data": {"name": name}, **layer} for layer in layers]
        return {
            "config": CONFIG,
            **body,
            "layer": own,
            "description": description,
            "title": {"text": title, "aria": False},
            "width": "container",
            "$schema": SCHEMA_URL,
            "datasets": {name: values},
        }
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


def colour_scale(
    series_names: Sequence[str], focus: str, kinds: Mapping[str, str] | None = None
) -> Spec:
    """Return a colour scale where ``focus`` always gets :data:`FOCUS_COLOUR`.

    The focus comes first in the domain (and so in the legend); every comparison series gets
    its kind's fixed colour (:func:`navbok.present.theme.series_styles`; ``kinds`` maps series
    to :class:`navbok.comparison.Kind` values), other series the muted comparison colours.
    """
    others = list(dict.fromkeys(str(s) for s in series_names if str(s) != focus))
    domain = ([focus] if focus in map(str, series_names) else []) + others
    return {"domain": domain, "range": [c for c, _ in series_styles(domain, focus, kinds)]}


def _reference_rule(axis: str, reference: float) -> Spec:
    """A thin dark line at ``reference`` on the value axis (100 = the average or the need)."""
    return {
        "data": {"values": [{}]},
        "mark": {"type": "rule", "color": REFERENCE_COLOUR, "size": 1.5, "strokeDash": [5, 3]},
        "encoding": {axis: {"datum": reference}},
    }


#: A value axis title that ends where the axis ends: a long title («Indeks (ASSS-snittet =
#: 100)») over a narrow plot runs left, under the labels, instead of off the chart.
_VALUE_TITLE_END: Spec = {"titleAnchor": "end"}
#: A category axis on a phone: labels wrapped to short lines.
_BAND_AXIS: Spec = BAND_AXIS


def is_yearly(values: pd.Series) -> bool:
    """True if every date in ``values`` is a 1 January (yearly data, shown as years)."""
    dates = pd.to_datetime(values.dropna())
    return bool(((dates.dt.month == 1) & (dates.dt.day == 1)).all())


def _is_monthly(values: pd.Series) -> bool:
    return bool((pd.to_datetime(values.dropna()).dt.day == 1).all())


def _x_encoding(col: pd.Series, x: str, title: str | None) -> tuple[Spec, Spec]:
    """The x encoding and its tooltip from the dtype: dates → temporal, integers (years) →
    quantitative without grouping, anything else → ordinal."""
    tip_title = title or x
    if pd.api.types.is_datetime64_any_dtype(col):
        fmt = "%Y" if is_yearly(col) else ("%m.%Y" if _is_monthly(col) else "%d.%m.%Y")
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


#: The data field and tooltip text of a population-share estimate in a chart.
ESTIMATE_FIELD = "Merknad"
ESTIMATE_TIP = "Anslag (fordelt etter innbyggertall)"


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
    kinds: Mapping[str, str] | None = None,
    reference: float | None = None,
    estimate: str | None = None,
) -> Spec:
    """Lines over time, one per ``series``, with the ``focus`` series highlighted.

    Missing ``y`` values break the line (a gap), never drop to 0. The focal line is thicker
    and solid; comparison lines are thinner and dashed, each comparison kind in its own fixed
    colour and dash (``kinds``: series → :class:`navbok.comparison.Kind` value, for series
    the labels do not name, such as neighbours and counties). ``y_format`` is a d3 format
    string; ``reference`` draws a line at that value (e.g. 100 in an index). ``estimate``
    names a boolean column: its True values (population-share estimates) are drawn as open
    points, and their tooltip says «anslag». Returns a layer (lines + points with tooltips)
    with the description at the top level.
    """
    _require(title, description)
    # The three columns read once each (a column looked up is a new Series, and a copy of
    # the three copies them again); by way of that copy when names repeat.
    fast = len({x, y, series, ESTIMATE_FIELD}) == 4 and df.columns.is_unique
    if fast:
        x_col, y_col, names_col = df[x], df[y], df[series].astype(str)
        columns = [
            (c, _column_values(col)) for c, col in ((x, x_col), (y, y_col), (series, names_col))
        ]
    else:
        data = df[[x, y, series]].copy()
        data[series] = data[series].astype(str)
        x_col, names_col = data[x], data[series]
    flags = (
        df[estimate].astype(object).fillna(False).astype(bool) & df[y].notna()
        if estimate is not None and estimate in df.columns
        else None
    )
    guessed = flags is not None and bool(flags.any())
    if flags is not None and guessed:
        tips = [ESTIMATE_TIP if f else "" for f in flags]
        if fast:
            columns.append((ESTIMATE_FIELD, tips))
        else:
            data[ESTIMATE_FIELD] = tips
    scale = colour_scale(list(names_col.unique()), focus, kinds)
    domain = scale["domain"]
    # Width and dash come from field scales: Vega-Lite ignores conditional widths on paths.
    widths = [3.5 if name == focus else 2 for name in domain]
    dashes = [dash for _, dash in series_styles(domain, focus, kinds)]
    x_enc, x_tip = _x_encoding(x_col, x, x_title)
    base = {
        "color": {
            "field": series,
            "legend": {"symbolSize": 300, "symbolType": "stroke"},
            "scale": scale,
            "title": series_title,
            "type": "nominal",
        },
        "x": x_enc,
        "y": {
            "axis": {"format": axis_format(y_format)},
            "field": y,
            "title": y_title,
            "type": "quantitative",
        },
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
    tooltip: list[Spec] = [
        {"field": series, "title": series_title or series, "type": "nominal"},
        x_tip,
        {"field": y, "format": y_format, "title": y_title, "type": "quantitative"},
    ]
    if guessed:
        tooltip.append({"field": ESTIMATE_FIELD, "title": ESTIMATE_FIELD, "type": "nominal"})
    points = {
        "mark": {"type": "point", "filled": True, "invalid": "filter", "opacity": 1, "size": 45},
        "encoding": {**base, "tooltip": tooltip},
    }
    layers = [lines, points]
    if guessed:
        # Estimates: an open point (white inside, the series' colour round it) over the dot.
        layers.append(
            {
                "mark": {
                    "type": "point",
                    "filled": False,
                    "fill": "white",
                    "invalid": "filter",
                    "opacity": 1,
                    "size": 70,
                    "strokeWidth": 2,
                },
                "transform": [{"filter": f"datum[{json.dumps(ESTIMATE_FIELD)}] !== ''"}],
                "encoding": {**base, "tooltip": tooltip},
            }
        )
    if reference is not None:
        layers.append(_reference_rule("y", reference))
    values = _records_of(columns) if fast else records(data)
    return _top_level({"layer": layers}, values, title, description)


def _records_of(columns: Sequence[tuple[str, list[Any]]]) -> list[dict[str, Any]]:
    """:func:`records` from the columns' values ((name, values) in the frame's order)."""
    names = [name for name, _ in columns]
    rows = zip(*(values for _, values in columns), strict=True)
    return [dict(zip(names, row, strict=True)) for row in rows]


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
    kinds: Mapping[str, str] | None = None,
    reference: float | None = None,
) -> Spec:
    """Bars per ``category`` (e.g. municipality), with the ``focus`` bar in the focus colour.

    Rows with a missing value are left out (no bar, never a 0 bar). Bars are sorted by value,
    largest first, unless ``sort=False``. The focal category's label is bold. With ``kinds``
    (category → :class:`navbok.comparison.Kind` value) each bar takes its comparison kind's
    fixed colour, as the lines do; ``reference`` draws a line at that value (e.g. 100 in an
    index). Long category labels are wrapped on a phone.
    """
    _require(title, description)
    data = df[[category, value]].copy()
    data[category] = data[category].astype(str)
    data = data[data[value].notna()]
    val_axis, cat_axis = ("x", "y") if horizontal else ("y", "x")
    colour: Spec
    if kinds is not None:
        colour = {
            "field": category,
            "legend": None,
            "scale": colour_scale(list(data[category]), focus, kinds),
            "type": "nominal",
        }
    else:
        colour = {
            # As Altair writes ``alt.datum[category] == focus`` (a Python repr is a valid
            # JavaScript string literal for these names).
            "condition": {
                "test": f"(datum[{category!r}] === {focus!r})",
                "value": FOCUS_COLOUR,
            },
            "value": COMPARISON_COLOURS[1],
        }
    cat_axis_spec: Spec = {
        "labelAngle": 0,
        "labelFontWeight": {
            "condition": {"test": f"datum.value === {json.dumps(focus)}", "value": "bold"},
            "value": "normal",
        },
    }
    if horizontal:
        cat_axis_spec.update(_BAND_AXIS)
    bars: Spec = {
        "mark": {"type": "bar"},
        "encoding": {
            cat_axis: {
                "axis": cat_axis_spec,
                "field": category,
                "sort": f"-{val_axis}" if sort else None,
                "title": category_title,
                "type": "nominal",
            },
            val_axis: {
                "axis": {
                    "format": axis_format(value_format),
                    "tickCount": {"expr": f"{NARROW} ? 4 : 8"},
                }
                | _VALUE_TITLE_END,
                "field": value,
                "title": value_title,
                "type": "quantitative",
            },
            "color": colour,
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
    body: Spec = (
        bars if reference is None else {"layer": [bars, _reference_rule(val_axis, reference)]}
    )
    if horizontal:
        body["height"] = {"step": 30}
    return _top_level(body, records(data), title, description)


def waterfall_chart(
    steps_df: pd.DataFrame,
    title: str,
    description: str,
    value_format: str = ",.0f",
    *,
    value_title: str = "",
    decimals: int = 1,
) -> Spec:
    """A horizontal waterfall: a start level, changes, and totals, read from top to bottom.

    ``steps_df`` has columns ``label``, ``value`` and ``kind``: ``"start"`` sets the level to
    ``value``, ``"delta"`` adds ``value``, ``"total"`` shows the level reached (or ``value`` if
    given, which then resets the level). A missing delta leaves a gap, and the level stays
    unknown (no bars) until the next start or given total: unknowns are never taken as 0.
    Each bar carries its value (a change with its sign, a level as it is) with ``decimals``
    decimals, written the Norwegian way.
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
            shown = val if kind == "delta" else end
            text = fmt_number(shown, decimals)
            if kind == "delta" and shown is not None and shown > 0:
                text = "+" + text
            rows.append({**row, "order": order, "right": max(start, end), "text": text})
    types = ["Nivå", "Økning", "Nedgang"]
    fmt = value_format
    y_enc = {
        "axis": _BAND_AXIS,
        "field": "label",
        "sort": {"field": "order"},
        "title": None,
        "type": "nominal",
    }
    # The value at the right end of each bar (room for it: the scale ends past the longest bar).
    labels = {
        "mark": {"type": "text", "align": "left", "baseline": "middle", "dx": 4, "fontSize": 13},
        "encoding": {
            "text": {"field": "text", "type": "nominal"},
            "x": {"field": "right", "type": "quantitative"},
            "y": y_enc,
        },
    }
    bars: Spec = {
        "mark": {"type": "bar"},
        "encoding": {
            "color": {
                "field": "type",
                "scale": {
                    "domain": types,
                    "range": [TOTAL_COLOUR, INCREASE_COLOUR, DECREASE_COLOUR],
                },
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
                "axis": {"format": axis_format(fmt), "tickCount": {"expr": f"{NARROW} ? 3 : 6"}}
                | _VALUE_TITLE_END,
                "field": "start",
                "scale": {"padding": 40},
                "title": value_title,
                "type": "quantitative",
            },
            "x2": {"field": "end"},
            "y": y_enc,
        },
    }
    body = {"layer": [bars, labels], "height": {"step": 32}}
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
    mid: float | None = GRADE_MID,
) -> Spec:
    """A grid of cells coloured by ``value`` on a fixed ``domain``, each cell with its value.

    The colours diverge around ``mid`` (red below, pale yellow at it, blue above: grades
    1–6 around the national average's 3,5); ``mid=None`` keeps them sequential (blues).
    Missing values leave the cell empty (a row or column with no values at all is still
    shown). Categories keep the order they have in ``df``; long row labels are wrapped.
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
    scale: Spec = (
        {"domain": list(domain), "scheme": "blues"}
        if mid is None
        else {"domain": list(domain), "domainMid": mid, "scheme": GRADE_SCHEME}
    )
    x_enc = {
        # Years side by side need their room: on a phone every other label.
        "axis": {"labelAngle": 0, "labelOverlap": "parity", "orient": "top"},
        "field": x,
        "scale": {"domain": x_order},
        "title": x_title,
        "type": "ordinal",
    }
    y_enc = {
        "axis": _BAND_AXIS,
        "field": y,
        "scale": {"domain": y_order},
        "title": y_title,
        "type": "ordinal",
    }
    cells = {
        "mark": {"type": "rect", "stroke": "white", "strokeWidth": 1},
        "encoding": {
            "color": {
                "field": value,
                "legend": {
                    "direction": "horizontal",
                    "format": value_format,
                    "gradientLength": {"expr": f"{NARROW} ? 150 : 240"},
                },
                "scale": scale,
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
            "x": x_enc,
            "y": y_enc,
        },
    }
    # The value in every cell, so the grid reads without telling colours apart.
    lo, hi = domain
    span = (hi - lo) / 6
    labels = {
        "mark": {"type": "text", "baseline": "middle", "fontSize": 12},
        "encoding": {
            "color": {
                "condition": {
                    "test": f"datum[{value!r}] < {lo + span} || datum[{value!r}] > {hi - span}",
                    "value": "white",
                },
                "value": "#222222",
            },
            "text": {"field": value, "format": value_format, "type": "quantitative"},
            "x": x_enc,
            "y": y_enc,
        },
    }
    body: Spec = {"layer": [cells, labels], "height": {"step": 32}}
    return _top_level(body, records(data), title, description)


# ------------------------------------------------------------------------- validation

# Schema validation (jsonschema over the whole Vega-Lite schema) cost more than building the
# chart. A spec is validated once per *shape*: the spec with its inline data left out and its
# free texts (titles, descriptions, tests, data names, scale domain/range values) blanked, which
# does not change the outcome of validation. Every other spec of that shape is used as it is
# (validation only checks a spec, it never changes it).
_FREE_TEXT_KEYS = frozenset({"title", "description", "subtitle", "text", "test"})
_VALIDATED_SHAPES: set[str] = set()


def _spec_shape(spec: dict[str, Any]) -> str:
    """The spec without its data and free texts: specs of one shape validate alike."""

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


def validated(chart: Mapping[str, Any] | alt.TopLevelMixin) -> dict[str, Any]:
    """The spec as a dict, validated against the Vega-Lite schema once per spec shape.

    An Altair chart (for a chapter's own figure) is converted with ``to_dict()``.

    Raises:
        jsonschema.ValidationError: The spec does not follow the schema (naming the property).
    """
    if altair_loaded() and isinstance(chart, sys.modules["altair"].TopLevelMixin):
        import altair

        use_altair_theme()
        with altair.data_transformers.enable("default"):  # data inline, never a file
            return chart.to_dict()
    spec = dict(cast("Mapping[str, Any]", chart))
    shape = hashlib.sha256(_spec_shape(spec).encode()).hexdigest()
    if shape not in _VALIDATED_SHAPES:
        from altair.vegalite.v6.schema.core import Root  # only for a shape not seen before

        Root.validate(spec)  # raises jsonschema.ValidationError naming the wrong property
        _VALIDATED_SHAPES.add(shape)
        _record_shape(shape)
    return spec


# Shapes validated by earlier processes of the same code version (a warm kernel is told the
# file by :func:`navbok.national_facts.preload`): validating a shape again gives the same
# answer, so a new kernel skips what an earlier build validated. One sha256 per line, appended
# (a line is written whole: O_APPEND); anything else in the file is ignored.
_SHAPES_FILE: list[Path] = []


def keep_validated_shapes(path: Path) -> None:
    """Read the shapes validated before from ``path`` and append the ones validated from now
    on (only while ``path``'s folder exists: it is never created here)."""
    _SHAPES_FILE[:] = [path]
    try:
        lines = path.read_text("ascii", errors="replace").splitlines()
    except OSError:
        return
    _VALIDATED_SHAPES.update(s for s in lines if re.fullmatch(r"[0-9a-f]{64}", s))


def _record_shape(shape: str) -> None:
    if not _SHAPES_FILE or not _SHAPES_FILE[0].parent.is_dir():
        return
    try:
        fd = os.open(_SHAPES_FILE[0], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, f"{shape}\n".encode())
        finally:
            os.close(fd)
    except OSError:  # a cache: a shape not recorded is validated again next time
        pass
