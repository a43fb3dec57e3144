"""The look of navbok's charts: colours, fonts, sizes and the Norwegian locale for Vega.

:func:`use_altair_theme` registers and enables the ``navbok`` Altair theme (for a chapter's own
Altair charts; Altair is imported only then: a kernel that draws no Altair chart never loads
it); :data:`CONFIG` is the same theme as the ``config`` block the spec builders in
:mod:`navbok.present.chart_specs` put into every spec. :data:`NUMBER_LOCALE` and :data:`TIME_LOCALE`
also go to vega-embed, so axes and tooltips write numbers and months the Norwegian way.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from altair.theme import AxisConfigKwds, NumberLocaleKwds, ThemeConfig, TimeLocaleKwds

__all__ = [
    "BAND_AXIS",
    "COMPARISON_COLOURS",
    "COMPARISON_DASHES",
    "CONFIG",
    "DECREASE_COLOUR",
    "FOCUS_COLOUR",
    "GRADE_MID",
    "GRADE_SCHEME",
    "INCREASE_COLOUR",
    "KIND_STYLES",
    "NARROW",
    "NUMBER_LOCALE",
    "REFERENCE_COLOUR",
    "TIME_LOCALE",
    "TOTAL_COLOUR",
    "kind_of_series",
    "navbok_theme",
    "series_styles",
    "use_altair_theme",
    "wrapped_labels",
]

# Colours. All have ≥ 3:1 contrast against white (WCAG 1.4.11). The focal municipality is a
# strong crimson; comparisons are lighter muted blues and greys, so the focus also stands out by
# lightness for colour-blind readers, and lines add width and dash as a non-colour cue.
FOCUS_COLOUR = "#b3263c"
COMPARISON_COLOURS = ("#3a6ea5", "#6b6b6b", "#1b7f79", "#7b5ea7", "#8a6d1f", "#4d4d4d")
#: Dash patterns for comparison lines (the focus line is solid), so series differ without colour.
COMPARISON_DASHES = ([6, 3], [2, 2], [9, 3, 2, 3], [4, 4], [1, 3], [12, 4])
#: A Vega expression: true on a phone-sized chart (the chart's container under 480 px).
NARROW = "containerSize()[0] < 480"
#: The reference line (100 = the average or the need) in index charts.
REFERENCE_COLOUR = "#222222"
_TEXT = "#222222"
_MUTED_TEXT = "#4d4d4d"
_GRID = "#e3e3e3"
#: Waterfall bars: increases, decreases and levels (totals).
INCREASE_COLOUR, DECREASE_COLOUR, TOTAL_COLOUR = "#2d5f8b", "#c2661f", "#5a5a5a"
#: The heatmap of grades 1–6: a diverging scheme (red below, blue above) centred on the
#: national average's grade 3,5; its pale middle differs from an empty (white) cell.
GRADE_SCHEME, GRADE_MID = "redyellowblue", 3.5

#: Colour and dash per comparison kind (the values of :class:`navbok.comparison.Kind`), the same
#: in every book, so a reader who learned that Landet is the dark grey dotted line finds it so
#: in the next book. Kinds with several series (neighbours; a KOSTRA group in the old and the
#: new division) take the variants in turn. Every colour has ≥ 3:1 contrast against white.
KIND_STYLES: dict[str, tuple[tuple[str, list[int]], ...]] = {
    "kommune": ((FOCUS_COLOUR, [1, 0]),),
    "nabo": (("#7b5ea7", [4, 4]), ("#a2467f", [8, 3, 2, 3]), ("#5d5d9e", [1, 3])),
    "asss_snitt": (("#2f6aa3", [6, 3]),),
    "asss_hoy": (("#1f4e79", [10, 3]),),
    "asss_lav": (("#5a86b8", [3, 3]),),
    "kostragruppe": (("#1b7f79", [9, 3, 2, 3]), ("#4f8f3a", [5, 2])),
    "fylke": (("#8a6d1f", [12, 4]),),
    "landet": (("#3d3d3d", [2, 2]),),
    "landet_uten_oslo": (("#767676", [1, 3]),),
}
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


def wrapped_labels(narrow: int = 22, wide: int = 40) -> str:
    """A Vega ``labelExpr`` that breaks a long category label at spaces into at most two lines
    of about ``narrow`` characters on a phone and ``wide`` otherwise (the second line ends in
    «…» when the label is longer still; the full label is in the tooltip and the table), so
    the labels leave room for the plot instead of taking most of a narrow screen. Only an
    ordinary space breaks a line: a no-break space (inside «1 000») never does."""
    n = f"({NARROW} ? {narrow} : {wide})"
    # A Vega string holding the RegExp; it breaks at « » only (\\s would also match U+00A0).
    pattern = "'(?![^\\n]{1,' + N + '}$)([^\\n]{1,' + N + '}) '".replace("N", n)
    lines = "split(replace(datum.label, regexp(" + pattern + ", 'g'), '$1\\n'), '\\n')"
    return f"length({lines}) > 2 ? [{lines}[0], {lines}[1] + '…'] : {lines}"


def navbok_theme() -> ThemeConfig:
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
                "titleFontSize": 13,
                "labelColor": _TEXT,
                "titleColor": _TEXT,
                "orient": "bottom",
                "direction": "horizontal",
                # One column on a phone, so long labels («KOSTRA-gruppe 13 (inndeling til
                # 2019)») are not cut at the edge of the screen.
                "columns": {"expr": f"{NARROW} ? 1 : 2"},  # type: ignore[typeddict-item]
                # … and on a phone a smaller type and a limit of the chart's width, so a long
                # label ends in «…» inside the chart instead of being cut at its right edge.
                "labelLimit": {"expr": f"{NARROW} ? max(containerSize()[0] - 60, 120) : 320"},  # type: ignore[typeddict-item]
                "labelFontSize": {"expr": f"{NARROW} ? 12 : 13"},  # type: ignore[typeddict-item]
                "symbolStrokeWidth": 3,
            },
            "range": {"category": [FOCUS_COLOUR, *COMPARISON_COLOURS]},
            "point": {"size": 40, "filled": True},
            "bar": {"color": COMPARISON_COLOURS[1]},
        }
    }


#: The theme's ``config`` block, as Altair puts it into every spec.
CONFIG: dict[str, Any] = dict(navbok_theme()["config"])

THEME_NAME = "navbok"


def use_altair_theme() -> None:
    """Register the ``navbok`` theme with Altair (importing it) and enable it; idempotent."""
    import altair as alt

    if THEME_NAME not in alt.theme.names():
        alt.theme.register(THEME_NAME, enable=False)(navbok_theme)
    if alt.theme.active != THEME_NAME:
        alt.theme.enable(THEME_NAME)


def altair_loaded() -> bool:
    """Whether Altair has been imported in this process (by navbok or a chapter)."""
    return "altair" in sys.modules


def kind_of_series(label: str, focus: str) -> str | None:
    """The comparison kind a series label names (``None`` when it names none): the focus is
    the municipality; ASSS, KOSTRA group and Landet are known by their labels. Neighbours and
    counties are named by place, so a view passes their kinds (``kinds=`` of the builders)."""
    if label == focus:
        return "kommune"
    for prefix, kind in (
        ("ASSS høyest", "asss_hoy"),
        ("ASSS lavest", "asss_lav"),
        ("ASSS", "asss_snitt"),
        ("Snitt ASSS", "asss_snitt"),
        ("KOSTRA-gruppe", "kostragruppe"),
        ("Landet uten Oslo", "landet_uten_oslo"),
    ):
        if label.startswith(prefix):
            return kind
    return "landet" if label in ("Landet", "Norge", "Hele landet") else None


def series_styles(
    names: Sequence[str], focus: str, kinds: Mapping[str, str] | None = None
) -> list[tuple[str, list[int]]]:
    """(colour, dash) for each series in ``names``: from :data:`KIND_STYLES` by the series'
    comparison kind (``kinds`` or :func:`kind_of_series`), else the muted comparison colours in
    turn. A KOSTRA group «(inndeling til 2019)» always takes the group's second style."""
    used: dict[str, int] = {}
    other = 0
    out = []
    for name in names:
        kind = (kinds or {}).get(name) or kind_of_series(name, focus)
        if kind == "kommune" and name != focus:
            kind = None  # another municipality is not the focus
        if kind in KIND_STYLES:
            styles = KIND_STYLES[kind]
            if kind == "kostragruppe":
                i = 1 if "inndeling til" in name else 0
            else:
                i = used.get(kind, 0)
                used[kind] = i + 1
            out.append(styles[i % len(styles)])
        else:
            out.append(
                (
                    COMPARISON_COLOURS[other % len(COMPARISON_COLOURS)],
                    COMPARISON_DASHES[other % len(COMPARISON_DASHES)],
                )
            )
            other += 1
    return out


#: A category axis whose labels may wrap (:func:`wrapped_labels`): two lines fit a band of 30 px.
BAND_AXIS: dict[str, Any] = {"labelExpr": wrapped_labels(), "labelLineHeight": 14}
