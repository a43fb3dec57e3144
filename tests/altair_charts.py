"""The Altair versions of navbok's chart builders: the reference the dict builders must equal.

``navbok.present.chart_specs`` writes Vega-Lite specs as dicts because building Altair objects
cost half of a chart's time. These are the builders as they were written with Altair (unchanged
but for the imports); ``tests/test_chart_specs.py`` asserts that both give the same spec
for many inputs.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd
from altair.utils.schemapi import debug_mode

from navbok.present.chart_specs import axis_format
from navbok.present.numbers import fmt_number, is_missing
from navbok.present.theme import (
    BAND_AXIS,
    COMPARISON_COLOURS,
    DECREASE_COLOUR,
    FOCUS_COLOUR,
    GRADE_MID,
    GRADE_SCHEME,
    INCREASE_COLOUR,
    NARROW,
    REFERENCE_COLOUR,
    TOTAL_COLOUR,
    series_styles,
    use_altair_theme,
)

use_altair_theme()  # the dict builders put the theme's config into every spec


def _no_instant_validation(builder: Callable[..., Any]) -> Callable[..., Any]:
    """Build without Altair's validation of every object as it is created (its "debug mode").

    That validation cost more than building the chart; the finished spec is validated by
    :func:`show_chart` (once per shape), so invalid specs still raise. Same objects either way.
    """

    @functools.wraps(builder)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with debug_mode(False):
            return builder(*args, **kwargs)

    return wrapper


def colour_scale(
    series_names: Sequence[str], focus: str, kinds: Mapping[str, str] | None = None
) -> alt.Scale:
    """Return a colour scale where ``focus`` always gets :data:`FOCUS_COLOUR`.

    The focus comes first in the domain (and so in the legend); every comparison series gets
    its kind's fixed colour, other series the muted comparison colours.
    """
    others = list(dict.fromkeys(str(s) for s in series_names if str(s) != focus))
    domain = ([focus] if focus in map(str, series_names) else []) + others
    return alt.Scale(domain=domain, range=[c for c, _ in series_styles(domain, focus, kinds)])


def _reference_rule(reference: float, horizontal: bool) -> alt.Chart:
    rule = alt.Chart(alt.Data(values=[{}])).mark_rule(
        color=REFERENCE_COLOUR, size=1.5, strokeDash=[5, 3]
    )
    return (
        rule.encode(x=alt.datum(reference)) if horizontal else rule.encode(y=alt.datum(reference))
    )


def _require(title: str, description: str) -> None:
    for label, text in (("title", title), ("description", description)):
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"A chart needs a Norwegian {label} (got {text!r})")


def _title(text: str) -> alt.Title:
    """A chart title kept out of the ARIA tree (Vega would label it "Title text '…'")."""
    return alt.Title(text, aria=False)


def _is_yearly(values: pd.Series) -> bool:
    dates = pd.to_datetime(values.dropna())
    return bool(((dates.dt.month == 1) & (dates.dt.day == 1)).all())


def _is_monthly(values: pd.Series) -> bool:
    return bool((pd.to_datetime(values.dropna()).dt.day == 1).all())


def _x_encoding(df: pd.DataFrame, x: str, title: str | None) -> tuple[alt.X, alt.Tooltip]:
    """Pick the x encoding from the dtype: dates → T, integers (years) → Q without grouping."""
    col = df[x]
    if pd.api.types.is_datetime64_any_dtype(col):
        fmt = "%Y" if _is_yearly(col) else ("%m.%Y" if _is_monthly(col) else "%d.%m.%Y")
        return (
            alt.X(f"{x}:T", title=title, axis=alt.Axis(format=fmt)),
            alt.Tooltip(f"{x}:T", title=title or x, format=fmt),
        )
    if pd.api.types.is_integer_dtype(col):
        return (
            alt.X(
                f"{x}:Q",
                title=title,
                axis=alt.Axis(format="d", tickMinStep=1),
                scale=alt.Scale(zero=False, nice=False),
            ),
            alt.Tooltip(f"{x}:Q", title=title or x, format="d"),
        )
    return alt.X(f"{x}:O", title=title, axis=alt.Axis(labelAngle=0)), alt.Tooltip(
        f"{x}:O", title=title or x
    )


@_no_instant_validation
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
) -> alt.LayerChart:
    """Lines over time, one per ``series``, with the ``focus`` series highlighted.

    Missing ``y`` values break the line (a gap), never drop to 0. The focal line is thicker
    and solid; comparison lines are thinner and dashed. ``y_format`` is a d3 format string.
    Returns a layer (lines + points with tooltips) with the description at the top level.
    """
    _require(title, description)
    data = df[[x, y, series]].copy()
    data[series] = data[series].astype(str)
    scale = colour_scale(list(data[series].unique()), focus, kinds)
    domain = scale.domain
    # Width and dash come from field scales: Vega-Lite ignores conditional widths on paths.
    widths = [3.5 if name == focus else 2 for name in domain]
    dashes = [dash for _, dash in series_styles(domain, focus, kinds)]
    x_enc, x_tip = _x_encoding(data, x, x_title)
    base = alt.Chart(data).encode(
        x=x_enc,
        y=alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=axis_format(y_format))),
        color=alt.Color(
            f"{series}:N",
            scale=scale,
            title=series_title,
            legend=alt.Legend(symbolType="stroke", symbolSize=300),
        ),
    )
    lines = base.mark_line(invalid="break-paths-filter-domains").encode(
        strokeWidth=alt.StrokeWidth(
            f"{series}:N", scale=alt.Scale(type="ordinal", domain=domain, range=widths)
        ),
        strokeDash=alt.StrokeDash(f"{series}:N", scale=alt.Scale(domain=domain, range=dashes)),
    )
    # Points show lone values between gaps and carry the tooltips (a tooltip on the line
    # path itself would always show the line's first point).
    points = base.mark_point(filled=True, size=45, opacity=1, invalid="filter").encode(
        tooltip=[
            alt.Tooltip(f"{series}:N", title=series_title or series),
            x_tip,
            alt.Tooltip(f"{y}:Q", title=y_title, format=y_format),
        ],
    )
    layers = [lines, points]
    if reference is not None:
        layers.append(_reference_rule(reference, horizontal=False))
    return alt.layer(*layers, title=_title(title), description=description).properties(
        width="container"
    )


@_no_instant_validation
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
) -> alt.Chart | alt.LayerChart:
    """Bars per ``category`` (e.g. municipality), with the ``focus`` bar in the focus colour."""
    _require(title, description)
    data = df[[category, value]].copy()
    data[category] = data[category].astype(str)
    data = data[data[value].notna()]
    is_focus = alt.datum[category] == focus
    label_weight = alt.condition(
        f"datum.value === {json.dumps(focus)}", alt.value("bold"), alt.value("normal")
    )
    val_axis = "x" if horizontal else "y"
    cat_enc = alt.X if not horizontal else alt.Y
    val_enc = alt.X if horizontal else alt.Y
    wrap = BAND_AXIS if horizontal else {}
    colour = (
        alt.Color(
            f"{category}:N",
            scale=colour_scale(list(data[category]), focus, kinds),
            legend=None,
        )
        if kinds is not None
        else alt.condition(is_focus, alt.value(FOCUS_COLOUR), alt.value(COMPARISON_COLOURS[1]))
    )
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            cat_enc(
                f"{category}:N",
                title=category_title,
                sort=f"-{val_axis}" if sort else None,
                axis=alt.Axis(labelFontWeight=label_weight, labelAngle=0, **wrap),
            ),
            val_enc(
                f"{value}:Q",
                title=value_title,
                axis=alt.Axis(
                    format=axis_format(value_format),
                    tickCount=alt.ExprRef(f"{NARROW} ? 4 : 8"),
                    titleAnchor="end",
                ),
            ),
            color=colour,
            tooltip=[
                alt.Tooltip(f"{category}:N", title=category_title or category),
                alt.Tooltip(f"{value}:Q", title=value_title, format=value_format),
            ],
        )
    )
    out: alt.Chart | alt.LayerChart = chart.properties(title=_title(title), description=description)
    if reference is not None:
        out = alt.layer(
            chart,
            _reference_rule(reference, horizontal),
            title=_title(title),
            description=description,
        )
    if horizontal:
        return out.properties(width="container", height=alt.Step(30))
    return out.properties(width="container")


@_no_instant_validation
def waterfall_chart(
    steps_df: pd.DataFrame,
    title: str,
    description: str,
    value_format: str = ",.0f",
    *,
    value_title: str = "",
    decimals: int = 1,
) -> alt.LayerChart:
    """A horizontal waterfall: a start level, changes, and totals, read from top to bottom."""
    _require(title, description)
    missing_cols = {"label", "value", "kind"} - set(steps_df.columns)
    if missing_cols:
        raise ValueError(f"waterfall_chart needs columns label/value/kind, missing {missing_cols}")
    rows: list[dict[str, Any]] = []
    level: float | None = 0.0
    for label, value, kind in steps_df[["label", "value", "kind"]].itertuples(index=False):
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
        shown = val if kind == "delta" else end
        text = fmt_number(shown, decimals)
        if kind == "delta" and shown is not None and shown > 0:
            text = "+" + text
        rows.append(
            {
                "label": str(label),
                "start": start,
                "end": end,
                "change": val,
                "type": step,
                "text": text,
            }
        )
    data = pd.DataFrame(rows)
    data["order"] = range(len(data))
    data = data[data["start"].notna() & data["end"].notna()]
    data["right"] = data[["start", "end"]].max(axis=1)
    data = data[["label", "start", "end", "change", "type", "order", "right", "text"]]
    types = ["Nivå", "Økning", "Nedgang"]
    y = alt.Y(
        "label:N",
        title=None,
        sort=alt.EncodingSortField("order"),
        axis=alt.Axis(**BAND_AXIS),
    )
    bars = (
        alt.Chart()
        .mark_bar()
        .encode(
            y=y,
            x=alt.X(
                "start:Q",
                title=value_title,
                axis=alt.Axis(
                    format=axis_format(value_format),
                    tickCount=alt.ExprRef(f"{NARROW} ? 3 : 6"),
                    titleAnchor="end",
                ),
                scale=alt.Scale(padding=40),
            ),
            x2="end:Q",
            color=alt.Color(
                "type:N",
                title=None,
                scale=alt.Scale(
                    domain=types, range=[TOTAL_COLOUR, INCREASE_COLOUR, DECREASE_COLOUR]
                ),
            ),
            tooltip=[
                alt.Tooltip("label:N", title="Post"),
                alt.Tooltip("type:N", title="Type"),
                alt.Tooltip("change:Q", title="Verdi", format=value_format),
                alt.Tooltip("end:Q", title="Nivå etter", format=value_format),
            ],
        )
    )
    labels = (
        alt.Chart()
        .mark_text(align="left", baseline="middle", dx=4, fontSize=13)
        .encode(y=y, x=alt.X("right:Q"), text=alt.Text("text:N"))
    )
    return alt.layer(
        bars, labels, data=data, title=_title(title), description=description
    ).properties(width="container", height=alt.Step(32))


@_no_instant_validation
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
) -> alt.LayerChart:
    """A grid of cells coloured by ``value`` on a fixed ``domain``, each cell with its value."""
    _require(title, description)
    data = df[[x, y, value]].copy()
    for col in (x, y):
        if not pd.api.types.is_numeric_dtype(data[col]):
            data[col] = data[col].astype(str)
    x_order = list(dict.fromkeys(data[x].tolist()))
    y_order = list(dict.fromkeys(data[y].tolist()))
    data = data[data[value].notna()]
    scale = (
        alt.Scale(domain=list(domain), scheme="blues")
        if mid is None
        else alt.Scale(domain=list(domain), domainMid=mid, scheme=GRADE_SCHEME)
    )
    x_enc = alt.X(
        f"{x}:O",
        title=x_title,
        scale=alt.Scale(domain=x_order),
        axis=alt.Axis(labelAngle=0, labelOverlap="parity", orient="top"),
    )
    y_enc = alt.Y(
        f"{y}:O",
        title=y_title,
        scale=alt.Scale(domain=y_order),
        axis=alt.Axis(**BAND_AXIS),
    )
    cells = (
        alt.Chart()
        .mark_rect(stroke="white", strokeWidth=1)
        .encode(
            x=x_enc,
            y=y_enc,
            color=alt.Color(
                f"{value}:Q",
                title=value_title or value,
                scale=scale,
                legend=alt.Legend(
                    format=value_format,
                    direction="horizontal",
                    gradientLength=alt.ExprRef(f"{NARROW} ? 150 : 240"),
                ),
            ),
            tooltip=[
                alt.Tooltip(f"{y}:O", title=y_title or y),
                alt.Tooltip(f"{x}:O", title=x_title or x),
                alt.Tooltip(f"{value}:Q", title=value_title or value, format=value_format),
            ],
        )
    )
    lo, hi = domain
    span = (hi - lo) / 6
    labels = (
        alt.Chart()
        .mark_text(baseline="middle", fontSize=12)
        .encode(
            x=x_enc,
            y=y_enc,
            text=alt.Text(f"{value}:Q", format=value_format),
            color=alt.condition(
                f"datum[{value!r}] < {lo + span} || datum[{value!r}] > {hi - span}",
                alt.value("white"),
                alt.value("#222222"),
            ),
        )
    )
    return alt.layer(
        cells, labels, data=data, title=_title(title), description=description
    ).properties(width="container", height=alt.Step(32))
