"""The look of navbok's charts: colours, fonts, sizes and the Norwegian locale for Vega.

Importing this module registers and enables the ``navbok`` Altair theme (for a chapter's own
Altair charts); :data:`CONFIG` is the same theme as the ``config`` block the spec builders in
:mod:`navbok.present.chart_specs` put into every spec. :data:`NUMBER_LOCALE` and :data:`TIME_LOCALE`
also go to vega-embed, so axes and tooltips write numbers and months the Norwegian way.
"""

from __future__ import annotations

from typing import Any

import altair as alt
from altair.theme import AxisConfigKwds, NumberLocaleKwds, TimeLocaleKwds

__all__ = [
    "COMPARISON_COLOURS",
    "COMPARISON_DASHES",
    "CONFIG",
    "DECREASE_COLOUR",
    "FOCUS_COLOUR",
    "INCREASE_COLOUR",
    "NUMBER_LOCALE",
    "TIME_LOCALE",
    "TOTAL_COLOUR",
    "navbok_theme",
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
#: Waterfall bars: increases, decreases and levels (totals).
INCREASE_COLOUR, DECREASE_COLOUR, TOTAL_COLOUR = "#2d5f8b", "#c2661f", "#5a5a5a"
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


#: The theme's ``config`` block, as Altair puts it into every spec.
CONFIG: dict[str, Any] = dict(navbok_theme()["config"])
