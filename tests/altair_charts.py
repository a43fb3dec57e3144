"""The Altair versions of navbok's chart builders: the reference the dict builders must equal.

``navbok.present.chart_specs`` writes Vega-Lite specs as dicts because building Altair objects
cost half of a chart's time. These are the builders as they were written with Altair (unchanged
but for the imports); ``tests/test_chart_specs.py`` asserts that both give the same spec
for many inputs.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from typing import Any

import altair as alt
import pandas as pd
from altair.utils.schemapi import debug_mode

from navbok.present.numbers import is_missing
from navbok.present.theme import (
    COMPARISON_COLOURS,
    COMPARISON_DASHES,
    DECREASE_COLOUR,
    FOCUS_COLOUR,
    INCREASE_COLOUR,
    TOTAL_COLOUR,
)


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


def colour_scale(series_names: Sequence[str], focus: str) -> alt.Scale:
    """Return a colour scale where ``focus`` always gets :data:`FOCUS_COLOUR`.

    The focus comes first in the domain (and so in the legend); the other series get the muted
    comparison colours in the given order, cycling if there are more of them than colours.
    """
    others = list(dict.fromkeys(str(s) for s in series_names if str(s) != focus))
    domain = ([focus] if focus in map(str, series_names) else []) + others
    rng = ([FOCUS_COLOUR] if domain[:1] == [focus] else []) + [
        COMPARISON_COLOURS[i % len(COMPARISON_COLOURS)] for i in range(len(others))
    ]
    return alt.Scale(domain=domain, range=rng)


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
) -> alt.LayerChart:
    """Lines over time, one per ``series``, with the ``focus`` series highlighted.

    Missing ``y`` values break the line (a gap), never drop to 0. The focal line is thicker
    and solid; comparison lines are thinner and dashed. ``y_format`` is a d3 format string.
    Returns a layer (lines + points with tooltips) with the description at the top level.
    """
    _require(title, description)
    data = df[[x, y, series]].copy()
    data[series] = data[series].astype(str)
    scale = colour_scale(list(data[series].unique()), focus)
    domain = scale.domain
    # Width and dash come from field scales: Vega-Lite ignores conditional widths on paths.
    widths = [3.5 if name == focus else 2 for name in domain]
    others = [name for name in domain if name != focus]
    dashes = [
        [1, 0] if name == focus else COMPARISON_DASHES[others.index(name) % len(COMPARISON_DASHES)]
        for name in domain
    ]
    x_enc, x_tip = _x_encoding(data, x, x_title)
    base = alt.Chart(data).encode(
        x=x_enc,
        y=alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=y_format)),
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
    return alt.layer(lines, points, title=_title(title), description=description).properties(
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
) -> alt.Chart:
    """Bars per ``category`` (e.g. municipality), with the ``focus`` bar in the focus colour.

    Rows with a missing value are left out (no bar, never a 0 bar). Bars are sorted by value,
    largest first, unless ``sort=False``. The focal category's label is bold.
    """
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
    chart = (
        alt.Chart(data, title=_title(title), description=description)
        .mark_bar()
        .encode(
            cat_enc(
                f"{category}:N",
                title=category_title,
                sort=f"-{val_axis}" if sort else None,
                axis=alt.Axis(labelFontWeight=label_weight, labelAngle=0),
            ),
            val_enc(f"{value}:Q", title=value_title, axis=alt.Axis(format=value_format)),
            color=alt.condition(
                is_focus, alt.value(FOCUS_COLOUR), alt.value(COMPARISON_COLOURS[1])
            ),
            tooltip=[
                alt.Tooltip(f"{category}:N", title=category_title or category),
                alt.Tooltip(f"{value}:Q", title=value_title, format=value_format),
            ],
        )
    )
    if horizontal:
        return chart.properties(width="container", height=alt.Step(24))
    return chart.properties(width="container")


@_no_instant_validation
def waterfall_chart(
    steps_df: pd.DataFrame,
    title: str,
    description: str,
    value_format: str = ",.0f",
    *,
    value_title: str = "",
) -> alt.Chart:
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
        rows.append({"label": str(label), "start": start, "end": end, "change": val, "type": step})
    data = pd.DataFrame(rows)
    data["order"] = range(len(data))
    data = data[data["start"].notna() & data["end"].notna()]
    types = ["Nivå", "Økning", "Nedgang"]
    return (
        alt.Chart(data, title=_title(title), description=description)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", title=None, sort=alt.EncodingSortField("order")),
            x=alt.X("start:Q", title=value_title, axis=alt.Axis(format=value_format)),
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
        .properties(width="container", height=alt.Step(28))
    )


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
) -> alt.Chart:
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
    return (
        alt.Chart(data, title=_title(title), description=description)
        .mark_rect(stroke="white", strokeWidth=1)
        .encode(
            x=alt.X(
                f"{x}:O",
                title=x_title,
                scale=alt.Scale(domain=x_order),
                axis=alt.Axis(labelAngle=0),
            ),
            y=alt.Y(f"{y}:O", title=y_title, scale=alt.Scale(domain=y_order)),
            color=alt.Color(
                f"{value}:Q",
                title=value_title or value,
                scale=alt.Scale(domain=list(domain), scheme="blues"),
                legend=alt.Legend(format=value_format, direction="horizontal", gradientLength=240),
            ),
            tooltip=[
                alt.Tooltip(f"{y}:O", title=y_title or y),
                alt.Tooltip(f"{x}:O", title=x_title or x),
                alt.Tooltip(f"{value}:Q", title=value_title or value, format=value_format),
            ],
        )
        .properties(width="container", height=alt.Step(28))
    )
