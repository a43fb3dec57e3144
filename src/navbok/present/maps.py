"""Maps for the national edition: Vega-Lite v6 specs (plain dicts) over :mod:`navbok.geo`.

* :func:`choropleth`: Norway's municipalities coloured by an indicator;
* :func:`county_map`: the municipalities of one county, the book's municipality outlined in
  :data:`OUTLINE_COLOUR` (a colour of no class), or ringed in it when it is only a few pixels on
  the map (:func:`is_small`) (optionally coloured by an indicator, as the choropleth);
* :func:`class_scale`: **one colour scale** (:class:`ClassScale`: limits, labels, colours, in
  order) made from the national values of one indicator and year; the overview's map and every
  county map are drawn with it, so a colour means the same number on every page. The scale
  never turns round: the lightest class is always the lowest values (a map says how much, not
  what is good);
* :func:`map_table`: the table alternative to show under a map; :func:`map_values` turns rows
  of a long frame (:func:`navbok.site.national.national_frame`) into a map's values.

**Suppressed and missing figures are never a colour of the scale.** Each value is put into one
of three categories in Python: ``verdi`` (a number and no status symbol), ``skjult`` (status
``:``) or ``mangler`` (``..``, ``.``, no value, or no row at all). Numbers are drawn by one
layer, which filters to ``verdi`` and colours by the value on a sequential scale; the two other
categories are drawn by a second layer with a nominal scale of two neutral greys and their own
legend entries (:data:`SUPPRESSED_LABEL`, :data:`MISSING_LABEL`). A suppressed row's number, if
it had one, is not written into the spec at all.

The texts a reader sees are Norwegian and computed here: tooltips show the name, the value as
text (``12,3 %``, decimal comma and no-break space, :func:`navbok.present.numbers.fmt_number`)
and the status in words; the legend formats numbers with the Norwegian d3 locale of the theme
(``config.locale``). Every spec carries a ``description`` (the SVG's ``aria-label``) and the
attribution :data:`navbok.geo.ATTRIBUTION` as text in the map's lower right corner (and in
``usermeta.attribution``, for the page around it).

**Offline, also from ``file://``.** The geometry is never fetched by URL. Two routes:

1. *inline* (default): pass a topology (``dict``); it goes into the spec's ``datasets`` and
   Vega-Lite reads it as ``{"name": …, "format": {"type": "topojson", "feature": "kommuner"}}``.
   Right for county maps (:func:`navbok.geo.county_topology` gives a few kB).
2. *script*: pass the name of a global (``"NAVBOK_GEO"``) instead of a topology. The spec then
   names a dataset that it does not contain and records it in ``usermeta.navbokGeometry``;
   the site carries the geometry once as a script file written with :func:`geometry_script`
   (``<script src="_static/navbok-geo.js">``, a classic script: ``file://`` allows it), and the
   page draws the map with :func:`embed_script`, which puts ``window.NAVBOK_GEO`` into the
   spec's ``datasets`` before calling ``vegaEmbed``. Right for the landing page's choropleths
   (one copy of the country for every indicator).

Either way, draw the specs with :func:`embed_script`: it also fills the second dataset name
under which the choropleth's county borders read the same topology (``usermeta
.navbokGeometry``), so the geometry is never written twice.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

import pandas as pd

from navbok import geo
from navbok.present import embed
from navbok.present.chart_specs import SCHEMA_URL
from navbok.present.numbers import fmt_number
from navbok.present.theme import CONFIG
from navbok.status import NOT_AVAILABLE, NOT_POSSIBLE, SUPPRESSED

__all__ = [
    "GEOMETRY_GLOBAL",
    "MISSING_COLOUR",
    "MISSING_LABEL",
    "SUPPRESSED_COLOUR",
    "SUPPRESSED_LABEL",
    "ClassScale",
    "MapValue",
    "aspect_ratio",
    "choropleth",
    "class_scale",
    "county_map",
    "embed_script",
    "geometry_script",
    "is_small",
    "map_table",
    "map_values",
]

Spec = dict[str, Any]
#: One municipality's value: ``kommune`` (code), ``name``, ``value`` (float or None) and
#: ``status`` (SSB symbol, or None/"" for a published number).
MapValue = Mapping[str, Any]

#: The global a site-wide geometry script sets (:func:`geometry_script`).
GEOMETRY_GLOBAL = "NAVBOK_GEO"
SUPPRESSED_LABEL = "Skjult (:)"
MISSING_LABEL = "Mangler (..)"
#: Neutral fills, outside every colour scheme: suppressed light grey, missing a mid grey.
SUPPRESSED_COLOUR = "#dadada"
MISSING_COLOUR = "#8c8c8c"
#: The classes' colours: ColorBrewer's sequential multi-hue YlGnBu without its three palest
#: steps, so that every class is darker than the light grey of «skjult» and stands out from
#: the white background. At most this many classes.
PALETTE = ("#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494", "#081d58")
#: A continuous scale (``classes=None``): Vega's YlGnBu from about the same step.
SCHEME = "yellowgreenblue"
SCHEME_EXTENT = (0.35, 1.0)
#: The book's municipality on a county map: an orange outline, a hue far from every class
#: colour (blues and greens) and the greys, so the fill inside still reads as its class.
OUTLINE_COLOUR = "#e6550d"
OUTLINE_WIDTH = 2.0
#: A municipality whose extent on the county map is less than this share of the county's is
#: also marked with a ring (:func:`is_small`): an outline alone would hide its fill.
SMALL_SHARE = 0.05
#: The ring's area in square pixels (Vega-Lite's point ``size``): about 22 px across.
RING_SIZE = 400
#: Municipality borders (thin white lines) and county borders on the national map.
BORDER_COLOUR = "#ffffff"
COUNTY_BORDER_COLOUR = "#4d4d4d"
#: Fill of a county map's municipalities when it shows no indicator.
PLAIN_FILL = "#dfe6ee"
FOCUS_FILL = "#9db4cc"
#: Norway's usual map: the central meridian of UTM zone 33 (EPSG:25833).
NORWAY_MERIDIAN = 15.0

_STATUS_TEXT = {
    SUPPRESSED: "Skjult av personvernhensyn (:)",
    NOT_AVAILABLE: "Tall mangler (..)",
    NOT_POSSIBLE: "Kan ikke regnes ut (.)",
}
_NO_ROW_TEXT = "Tall mangler"
_GEO_DATASET = "navbok-geo"
#: The same topology read as a mesh of county borders (Vega needs a second name for it).
_MESH_DATASET = "navbok-geo-fylker"
_VALUES_FIELDS = ["name", "value", "category", "text", "class"]


# ----------------------------------------------------------------------------- values


def _is_number(value: Any) -> bool:
    if value is None or isinstance(value, bool):
        return False
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return math.isfinite(number)


def _symbol(status: Any) -> str:
    return status.strip() if isinstance(status, str) else ""


def _number(value: Any) -> float | None:
    """``value`` as a finite float, or None."""
    return float(value) if _is_number(value) else None


def _category(value: Any, status: Any) -> str:
    symbol = _symbol(status)
    if symbol == SUPPRESSED:
        return "skjult"
    if symbol or not _is_number(value):
        return "mangler"
    return "verdi"


def _suffix(unit: str) -> str:
    if unit in ("prosent", "%"):
        return "\u00a0%"
    return f"\u00a0{unit}" if unit else ""


def _value_text(value: Any, status: Any, decimals: int, unit: str) -> str:
    category = _category(value, status)
    if category == "verdi":
        return fmt_number(float(value), decimals) + _suffix(unit)
    symbol = _symbol(status)
    return _STATUS_TEXT.get(symbol, f"Tall mangler ({symbol})" if symbol else _NO_ROW_TEXT)


def _records(values: Iterable[MapValue], decimals: int, unit: str) -> list[dict[str, Any]]:
    """The values as the spec's rows, one per municipality, sorted by code."""
    out: dict[str, dict[str, Any]] = {}
    for row in values:
        code = str(row["kommune"])
        if code in out:
            raise ValueError(f"Municipality {code} has two values on one map")
        value, status = row.get("value"), row.get("status")
        category = _category(value, status)
        out[code] = {
            "kommune": code,
            "name": str(row.get("name") or ""),
            # Only a published number reaches the spec (never a suppressed one).
            "value": _number(value) if category == "verdi" else None,
            "category": category,
            "text": _value_text(value, status, decimals, unit),
        }
    return [out[c] for c in sorted(out)]


def map_values(
    frame: pd.DataFrame,
    *,
    kommune: str = "kommune",
    name: str = "kommune_name",
    value: str = "value",
    status: str = "status",
) -> list[dict[str, Any]]:
    """Rows of a frame (one per municipality) as map values (``kommune, name, value, status``).

    By default the columns of :func:`navbok.site.national.national_frame`; select one indicator and
    one year first."""
    if frame[kommune].duplicated().any():
        raise ValueError("map_values needs one row per municipality (select indicator and year)")
    out = []
    for code, label, number, symbol in zip(
        frame[kommune], frame[name], frame[value], frame[status], strict=True
    ):
        out.append(
            {
                "kommune": str(code),
                "name": str(label),
                "value": _number(number),
                "status": _symbol(symbol) or None,
            }
        )
    return out


def map_table(
    values: Iterable[MapValue], *, value_label: str = "Verdi", sort_by: str = "kommune"
) -> pd.DataFrame:
    """The table alternative to a map: ``Kommunenr, Kommune, <value_label>, status``.

    One row per municipality (sorted by code, or by ``sort_by="name"``); a suppressed or
    missing value is empty (NaN) with its status symbol (``..`` where none is given), so the
    book's tables show the symbol in the cell."""
    rows = []
    for row in values:
        value, status = row.get("value"), row.get("status")
        category = _category(value, status)
        symbol = _symbol(status)
        rows.append(
            {
                "Kommunenr": str(row["kommune"]),
                "Kommune": str(row.get("name") or ""),
                value_label: _number(value) if category == "verdi" else math.nan,
                "status": "" if category == "verdi" else (symbol or NOT_AVAILABLE),
            }
        )
    columns = ["Kommunenr", "Kommune", value_label, "status"]
    frame = pd.DataFrame(rows, columns=columns)
    key = "Kommune" if sort_by == "name" else "Kommunenr"
    frame = frame.sort_values([key, "Kommunenr"], kind="stable").reset_index(drop=True)
    return frame.astype({value_label: float})


# ------------------------------------------------------------------------------- specs


def _require(title: str, description: str) -> None:
    for label, text in (("title", title), ("description", description)):
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"A map needs a Norwegian {label} (got {text!r})")


def _geometry(topology: geo.Topology | str, aliases: list[str]) -> tuple[dict[str, Any], Spec]:
    """The ``datasets`` entries and the ``usermeta`` for the inline or the script route.

    ``aliases``: more dataset names that need the same topology (a layer that reads it with
    another ``format``, e.g. a mesh, needs a name of its own); :func:`embed_script` fills them
    from the one copy, so the geometry is never written twice."""
    if isinstance(topology, str):
        if not topology.isidentifier():
            raise ValueError(f"{topology!r} is not a JavaScript global name")
        datasets: dict[str, Any] = {}
        meta: Spec = {"global": topology, "dataset": _GEO_DATASET, "aliases": aliases}
    elif isinstance(topology, Mapping) and topology.get("type") == "Topology":
        datasets = {_GEO_DATASET: topology}
        meta = {"global": None, "dataset": _GEO_DATASET, "aliases": aliases}
    else:
        raise ValueError("A map needs a TopoJSON topology or the name of a script global")
    if meta["global"] is None and not aliases:
        return datasets, {}
    return datasets, {"navbokGeometry": meta}


def _feature_data(feature: str = geo.KOMMUNER) -> Spec:
    return {"name": _GEO_DATASET, "format": {"type": "topojson", "feature": feature}}


def _values_name(records: list[dict[str, Any]]) -> str:
    text = json.dumps(records, sort_keys=True, ensure_ascii=False)
    return "verdier-" + hashlib.sha256(text.encode()).hexdigest()[:16]


def _values_dataset(
    datasets: dict[str, Any],
    values: Iterable[MapValue],
    decimals: int,
    unit: str,
    scale: ClassScale | None,
    keep: set[str] | None = None,
) -> str:
    """Add the values to ``datasets`` (each number with its class of ``scale``): their name.

    ``keep``: the codes to put into the spec."""
    records = _records(values, decimals, unit)
    if scale is not None:
        for r in records:
            if r["category"] == "verdi":
                r["class"] = scale.label(r["value"])
    if keep is not None:
        records = [r for r in records if r["kommune"] in keep]
    name = _values_name(records)
    datasets[name] = records
    return name


def _legend_title(legend_title: str | None, unit: str) -> str:
    if legend_title:
        return legend_title
    if unit in ("prosent", "%"):
        return "Prosent"
    return unit or "Verdi"


def _lookup(values_name: str) -> list[Spec]:
    """Join each municipality's shape with its value; one without a row is «mangler»."""
    return [
        {
            "lookup": "properties.id",
            "from": {"data": {"name": values_name}, "key": "kommune", "fields": _VALUES_FIELDS},
        },
        {"calculate": "datum.category || 'mangler'", "as": "category"},
        {"calculate": "datum.name || datum.properties.name", "as": "name"},
        {"calculate": f"datum.text || '{_NO_ROW_TEXT}'", "as": "text"},
    ]


def _tooltip(value_title: str) -> list[Spec]:
    return [
        {"field": "name", "type": "nominal", "title": "Kommune"},
        {"field": "text", "type": "nominal", "title": value_title},
    ]


def _round(value: float, decimals: int) -> float:
    """Half away from zero on the number as written (as :func:`fmt_number` rounds)."""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return float(rounded)


def _thresholds(numbers: list[float], classes: int, decimals: int) -> list[float]:
    """Quantile class limits, rounded to ``decimals`` (as shown), each splitting the values.

    ``classes - 1`` limits at the quantiles k/classes; a limit at or below the smallest value
    or above the largest (ties, few values) is dropped, so no class is empty."""
    if not numbers:
        return []
    ordered = sorted(numbers)
    low, high = ordered[0], ordered[-1]
    out: list[float] = []
    for k in range(1, classes):
        q = k / classes * (len(ordered) - 1)
        i = int(math.floor(q))
        j = min(i + 1, len(ordered) - 1)
        limit = _round(ordered[i] + (ordered[j] - ordered[i]) * (q - i), decimals)
        if low < limit <= high and limit not in out:
            out.append(limit)
    return sorted(out)


def _class_labels(thresholds: list[float], numbers: list[float], decimals: int) -> list[str]:
    """«under 2,3», «2,3–3,0», …, «5,4 og over»; one class of all values: «1,0–2,0»."""

    def fmt(x: float) -> str:
        return fmt_number(x, decimals)

    if not thresholds:
        if not numbers:
            return []
        low, high = fmt(min(numbers)), fmt(max(numbers))
        return [low if low == high else f"{low}\u2013{high}"]
    labels = [f"under {fmt(thresholds[0])}"]
    labels += [f"{fmt(a)}\u2013{fmt(b)}" for a, b in zip(thresholds, thresholds[1:], strict=False)]
    labels.append(f"{fmt(thresholds[-1])} og over")
    return labels


def _palette(n: int) -> list[str]:
    """``n`` colours of :data:`PALETTE`, spread from its lightest to its darkest."""
    if n <= 1:
        return [PALETTE[len(PALETTE) // 2]] if n == 1 else []
    last = len(PALETTE) - 1
    return [PALETTE[round(i * last / (n - 1))] for i in range(n)]


@dataclass(frozen=True)
class ClassScale:
    """One map colour scale: class ``limits`` (ascending), the classes' ``labels`` and
    ``colours`` (lightest first), in the legend's order, lowest values first."""

    limits: tuple[float, ...]
    labels: tuple[str, ...]
    colours: tuple[str, ...]

    def label(self, value: float) -> str:
        """The class a number falls in (a number on a limit belongs to the class above)."""
        return self.labels[sum(1 for t in self.limits if value >= t)]

    def vega(self) -> Spec:
        """The ordinal colour scale of Vega-Lite: the labels as domain, the colours as range."""
        return {"domain": list(self.labels), "range": list(self.colours)}


def class_scale(values: Iterable[MapValue], *, decimals: int, classes: int = 5) -> ClassScale:
    """The quantile colour scale of ``values`` (one indicator, one year, every municipality):
    ``classes`` classes (fewer when ties leave one empty), limits rounded to ``decimals`` as the
    legend shows them, lightest colour for the lowest values. Suppressed and missing values take
    no part (they are grey, never a class)."""
    if not 1 <= classes <= len(PALETTE):
        raise ValueError(f"classes must be 1–{len(PALETTE)}, got {classes}")
    numbers = [
        float(v["value"]) for v in values if _category(v.get("value"), v.get("status")) == "verdi"
    ]
    limits = _thresholds(numbers, classes, decimals)
    labels = _class_labels(limits, numbers, decimals)
    return ClassScale(tuple(limits), tuple(labels), tuple(_palette(len(labels))))


def _value_layers(
    values_name: str,
    scale: ClassScale | None,
    *,
    legend_title: str,
    decimals: int,
    stroke: str,
    stroke_width: float,
) -> list[Spec]:
    """The two fill layers: numbers on the colour scale; suppressed and missing in greys.

    ``scale``: the classes (:func:`class_scale`), or None for a continuous scale."""
    mark = {"type": "geoshape", "stroke": stroke, "strokeWidth": stroke_width}
    colour: Spec
    if scale is not None:
        # Classes as an ordinal scale with their own labels: a symbol legend, one entry per
        # class (Vega draws a quantile scale's legend as a gradient whose labels overlap).
        colour = {
            "field": "class",
            "type": "ordinal",
            "scale": scale.vega(),
            "legend": {
                "title": legend_title,
                "orient": "bottom",
                "columns": 1,
                "symbolType": "square",
            },
        }
    else:
        colour = {
            "field": "value",
            "type": "quantitative",
            "scale": {
                "type": "linear",
                "zero": False,
                "scheme": {"name": SCHEME, "extent": list(SCHEME_EXTENT)},
            },
            "legend": {
                "title": legend_title,
                "format": f",.{decimals}f",
                "orient": "bottom",
                "gradientLength": 220,
            },
        }
    numbers = {
        "transform": [*_lookup(values_name), {"filter": "datum.category === 'verdi'"}],
        "mark": mark,
        "encoding": {"color": colour, "tooltip": _tooltip(legend_title)},
    }
    category_label = f"datum.category === 'skjult' ? '{SUPPRESSED_LABEL}' : '{MISSING_LABEL}'"
    symbols = {
        "transform": [
            *_lookup(values_name),
            {"filter": "datum.category !== 'verdi'"},
            {"calculate": category_label, "as": "category_label"},
        ],
        "mark": mark,
        "encoding": {
            "color": {
                "field": "category_label",
                "type": "nominal",
                "scale": {
                    "domain": [SUPPRESSED_LABEL, MISSING_LABEL],
                    "range": [SUPPRESSED_COLOUR, MISSING_COLOUR],
                },
                "legend": {
                    "title": "Uten tall",
                    "orient": "bottom",
                    "columns": 1,
                    "symbolType": "square",
                },
            },
            "tooltip": _tooltip(legend_title),
        },
    }
    return [numbers, symbols]


def _attribution_layer() -> Spec:
    return {
        "data": {"values": [{"text": geo.ATTRIBUTION}]},
        "mark": {
            "type": "text",
            "align": "right",
            "baseline": "bottom",
            "fontSize": 11,
            "color": "#4d4d4d",
        },
        "encoding": {
            "text": {"field": "text", "type": "nominal"},
            "x": {"value": "width"},
            "y": {"value": "height"},
        },
    }


def _meridian(topology: geo.Topology | str) -> float:
    """The central meridian for a map of ``topology``: the middle of its longitudes."""
    if isinstance(topology, str) or not topology.get("bbox"):
        return NORWAY_MERIDIAN
    west, _, east, _ = topology["bbox"]
    return round((float(west) + float(east)) / 2, 2)


def aspect_ratio(topology: geo.Topology, meridian: float) -> float | None:
    """Height / width of the topology on the maps' projection (transverse Mercator about
    ``meridian``, north up); None for an empty one.

    :func:`embed_script` makes a map no taller than its width × this ratio, so a map on a
    phone (width-bound) has no empty band above and below."""
    lam0 = math.radians(meridian)
    xs, ys = [], []
    for arc in geo.decode_arcs(topology):
        for lon, lat in arc:
            lam, phi = math.radians(lon) - lam0, math.radians(lat)
            xs.append(math.atanh(math.cos(phi) * math.sin(lam)))
            ys.append(math.atan2(math.tan(phi), math.cos(lam)))
    if not xs or max(xs) == min(xs):
        return None
    return round((max(ys) - min(ys)) / (max(xs) - min(xs)), 3)


_BY_TOPOLOGY: dict[tuple[str, int, Any], tuple[geo.Topology, Any]] = {}


def _per_topology(what: str, topology: geo.Topology, arg: Any, compute: Callable[[], Any]) -> Any:
    """``compute()``, remembered per ``what``, topology and ``arg`` for the topologies a
    process draws again and again (every book of a county draws its county's, and its print
    summary again); the entry holds the topology itself, so its id cannot be reused by
    another."""
    key = (what, id(topology), arg)
    hit = _BY_TOPOLOGY.get(key)
    if hit is None or hit[0] is not topology:
        if len(_BY_TOPOLOGY) >= 128:
            _BY_TOPOLOGY.clear()
        hit = _BY_TOPOLOGY[key] = (topology, compute())
    return hit[1]


def _aspect(topology: geo.Topology, meridian: float) -> float | None:
    """:func:`aspect_ratio`, remembered (:func:`_per_topology`)."""
    value: float | None = _per_topology(
        "aspect", topology, meridian, lambda: aspect_ratio(topology, meridian)
    )
    return value


@cache
def _packaged_aspect() -> float | None:
    return aspect_ratio(geo.load_topology(), NORWAY_MERIDIAN)


def _top_level(
    layers: list[Spec],
    datasets: dict[str, Any],
    usermeta: Spec,
    *,
    title: str,
    description: str,
    height: int,
    meridian: float,
    aspect: float | None,
) -> Spec:
    config = {**CONFIG, "view": {"stroke": None}}
    if aspect:
        usermeta = {**usermeta, "navbokAspect": aspect}
    return {
        "$schema": SCHEMA_URL,
        "config": config,
        "description": description,
        "title": {"text": title, "aria": False},
        "width": "container",
        "height": height,
        # Conformal, the UTM look of Norwegian maps; fitted to the drawn shapes by Vega-Lite.
        "projection": {"type": "transverseMercator", "rotate": [-meridian, 0, 0]},
        "data": _feature_data(),
        "layer": layers,
        "resolve": {"scale": {"color": "independent"}, "legend": {"color": "independent"}},
        "datasets": datasets,
        "usermeta": {"attribution": geo.ATTRIBUTION, **usermeta},
    }


def choropleth(
    topology: geo.Topology | str,
    values: Iterable[MapValue],
    *,
    title: str,
    description: str,
    unit: str = "",
    decimals: int = 1,
    legend_title: str | None = None,
    classes: int | None = 5,
    scale: ClassScale | None = None,
    county_borders: bool = True,
    height: int = 560,
) -> Spec:
    """A map of the municipalities coloured by ``values``.

    Args:
        topology: The packaged topology (:func:`navbok.geo.load_topology`, inline) or the
            name of the global a geometry script sets (:data:`GEOMETRY_GLOBAL`; see the module
            docstring).
        values: One row per municipality: ``kommune``, ``name``, ``value``, ``status``. A
            municipality without a row is drawn as missing; a row for a code the (inline)
            topology does not have is an error.
        title: Norwegian title (the figure shows it as HTML).
        description: Norwegian description for screen readers (the SVG's ``aria-label``).
        unit: Unit of the values (``prosent`` gives ``12,3 %``, ``kr`` gives ``1 234 kr``).
        decimals: Decimals in tooltips and legend.
        legend_title: The colour legend's title (default: the unit, or «Verdi»).
        classes: Quantile classes of the colour scale made from ``values`` (5); ``None`` for
            a continuous scale.
        scale: The classes to use instead (:func:`class_scale` of the national values, the
            scale every map of the indicator and year shares); ``classes`` is then ignored.
        county_borders: Draw county borders over the municipalities (a mesh of the
            ``fylker`` object). Vega reads it under a second dataset name, which
            :func:`embed_script` fills from the one copy of the topology: a page that embeds
            the spec some other way gets the map without county borders.
        height: Height in pixels; the width follows the page.

    Returns:
        A Vega-Lite v6 spec (plain dict, deterministic).
    """
    _require(title, description)
    datasets, usermeta = _geometry(topology, [_MESH_DATASET] if county_borders else [])
    values = list(values)
    if not isinstance(topology, str):
        known = set(geo.codes(topology))
        if unknown := sorted({str(v["kommune"]) for v in values} - known):
            raise ValueError(f"The map has no municipality {', '.join(unknown)}")
    if scale is None and classes:
        scale = class_scale(values, decimals=decimals, classes=classes)
    values_name = _values_dataset(datasets, values, decimals, unit, scale)
    layers = _value_layers(
        values_name,
        scale,
        legend_title=_legend_title(legend_title, unit),
        decimals=decimals,
        stroke=BORDER_COLOUR,
        stroke_width=0.3,
    )
    if county_borders:
        layers.append(
            {
                "data": {"name": _MESH_DATASET, "format": {"type": "topojson", "mesh": geo.FYLKER}},
                "mark": {
                    "type": "geoshape",
                    "filled": False,
                    "stroke": COUNTY_BORDER_COLOUR,
                    "strokeWidth": 0.6,
                },
            }
        )
    layers.append(_attribution_layer())
    return _top_level(
        layers,
        datasets,
        usermeta,
        title=title,
        description=description,
        height=height,
        meridian=NORWAY_MERIDIAN,
        # The whole country: the packaged map's shape, also on the script route.
        aspect=_packaged_aspect()
        if isinstance(topology, str)
        else _aspect(topology, NORWAY_MERIDIAN),
    )


def county_map(
    topology: geo.Topology | str,
    kommune: str,
    values: Iterable[MapValue] | None = None,
    *,
    title: str,
    description: str,
    unit: str = "",
    decimals: int = 1,
    legend_title: str | None = None,
    classes: int | None = 5,
    scale: ClassScale | None = None,
    height: int = 420,
) -> Spec:
    """A map of one county's municipalities with ``kommune`` outlined in :data:`OUTLINE_COLOUR`
    (or, when :func:`is_small`, ringed in that colour with its name beside the ring, and not
    outlined: on a few pixels the outline would hide the fill).

    Args:
        topology: The county's topology (:func:`navbok.geo.county_topology`, a few kB, inline)
            or the name of a script global holding it.
        kommune: The book's municipality (code), outlined.
        values: Optional values (as :func:`choropleth`) to colour the municipalities by; without
            them the municipalities are a plain light fill and the book's a darker one. Pass
            the national list as it is: the colour classes are made from all the values given
            (so they match the national map's), and only the county's municipalities go into
            the spec.
        title, description, unit, decimals, legend_title, classes, scale, height: As
            :func:`choropleth`.
    """
    _require(title, description)
    kommune = str(kommune)
    if not isinstance(topology, str) and kommune not in geo.codes(topology):
        raise ValueError(f"The county map's topology has no municipality {kommune}")
    datasets, usermeta = _geometry(topology, [])
    layers: list[Spec]
    fill = FOCUS_FILL  # the municipality's own colour, for the ring of a small one
    if values is not None:
        # Classes from all the values given; only the county's municipalities in the spec.
        keep = None if isinstance(topology, str) else set(geo.codes(topology))
        values = list(values)
        if scale is None and classes:
            scale = class_scale(values, decimals=decimals, classes=classes)
        values_name = _values_dataset(datasets, values, decimals, unit, scale, keep)
        fill = _own_fill(datasets[values_name], kommune, scale)
        layers = _value_layers(
            values_name,
            scale,
            legend_title=_legend_title(legend_title, unit),
            decimals=decimals,
            stroke="#ffffff",
            stroke_width=0.8,
        )
    else:
        focus = f"datum.properties.id === '{kommune}'"
        layers = [
            {
                "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.8},
                "encoding": {
                    "color": {
                        "condition": {"test": focus, "value": FOCUS_FILL},
                        "value": PLAIN_FILL,
                    },
                    "tooltip": [
                        {"field": "properties.name", "type": "nominal", "title": "Kommune"}
                    ],
                },
            }
        ]
    if not isinstance(topology, str) and is_small(topology, kommune):
        # A few pixels: an outline would cover the fill; a disc in its colour, ringed.
        layers += _ring_layers(topology, kommune, fill)
    else:
        layers.append(
            {
                "transform": [{"filter": f"datum.properties.id === '{kommune}'"}],
                "mark": {
                    "type": "geoshape",
                    "filled": False,
                    "stroke": OUTLINE_COLOUR,
                    "strokeWidth": OUTLINE_WIDTH,
                    "strokeJoin": "round",
                },
            }
        )
    layers.append(_attribution_layer())
    meridian = _meridian(topology)
    return _top_level(
        layers,
        datasets,
        usermeta,
        title=title,
        description=description,
        height=height,
        meridian=meridian,
        aspect=None if isinstance(topology, str) else _aspect(topology, meridian),
    )


def _extent(topology: geo.Topology) -> tuple[float, float, float, float]:
    """West, south, east, north of the topology's arcs (degrees)."""
    points = [p for arc in geo.decode_arcs(topology) for p in arc]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _whole_extent(topology: geo.Topology) -> tuple[float, float, float, float]:
    """:func:`_extent` of a county's whole topology, remembered (:func:`_per_topology`)."""
    value: tuple[float, float, float, float] = _per_topology(
        "extent", topology, None, lambda: _extent(topology)
    )
    return value


def _span_km(extent: tuple[float, float, float, float]) -> float:
    """The larger side of an extent in kilometres (longitudes shrunk by the mid latitude)."""
    west, south, east, north = extent
    mid = math.radians((south + north) / 2)
    return max((east - west) * math.cos(mid), north - south) * 111.2


def is_small(topology: geo.Topology, kommune: str) -> bool:
    """Whether ``kommune`` is only a few pixels on the map of ``topology``: its larger side is
    less than :data:`SMALL_SHARE` of the map's (Røst in Nordland; not Bergen in Vestland)."""
    own = geo.subset(topology, [kommune])
    if not own["arcs"]:
        return False
    whole = _span_km(_whole_extent(topology))
    return whole > 0 and _span_km(_extent(own)) < SMALL_SHARE * whole


def _own_fill(records: list[dict[str, Any]], kommune: str, scale: ClassScale | None) -> str:
    """The colour ``kommune`` is filled with on the map: its class colour, or a grey."""
    row = next((r for r in records if r["kommune"] == kommune), None)
    if row is None or row["category"] == "mangler":
        return MISSING_COLOUR
    if row["category"] == "skjult":
        return SUPPRESSED_COLOUR
    if scale is None:
        return FOCUS_FILL  # a continuous scale: no class colour to repeat
    return scale.colours[scale.labels.index(row["class"])]


def _ring_layers(topology: geo.Topology, kommune: str, fill: str) -> list[Spec]:
    """A small municipality as a disc in its own colour (``fill``: its class colour, or the
    grey of a missing figure) ringed in :data:`OUTLINE_COLOUR`, with its name beside it: a few
    pixels of its own shape would not show its class."""
    west, south, east, north = _extent(geo.subset(topology, [kommune]))
    name = geo.names(topology).get(kommune, kommune).split(" - ")[0]
    point = {"lon": round((west + east) / 2, 5), "lat": round((south + north) / 2, 5)}
    where = {
        "longitude": {"field": "lon", "type": "quantitative"},
        "latitude": {"field": "lat", "type": "quantitative"},
    }
    return [
        {
            "data": {"values": [point]},
            "mark": {
                "type": "point",
                "shape": "circle",
                "filled": True,
                "fill": fill,
                "fillOpacity": 1,
                "size": RING_SIZE,
                "stroke": OUTLINE_COLOUR,
                "strokeWidth": 2.5,
                "opacity": 1,
            },
            "encoding": where,
        },
        {
            "data": {"values": [{**point, "name": name}]},
            "mark": {
                "type": "text",
                "align": "left",
                "baseline": "middle",
                "dx": 17,
                "fontSize": 13,
                "fontWeight": "bold",
                "color": "#1a1a1a",
            },
            "encoding": {**where, "text": {"field": "name", "type": "nominal"}},
        },
    ]


# ------------------------------------------------------------------- offline geometry


def geometry_script(topology: geo.Topology, global_name: str = GEOMETRY_GLOBAL) -> str:
    """The body of a site-wide script file that sets ``window.<global_name>`` to the topology.

    Write it to e.g. ``_static/navbok-geo.js`` and load it with a classic ``<script src>``
    before the maps (it works from ``file://``, where ``fetch`` of a JSON file does not)."""
    if not global_name.isidentifier():
        raise ValueError(f"{global_name!r} is not a JavaScript global name")
    body = embed.script_json(topology)
    return f"/* navbok: {geo.ATTRIBUTION} */\nwindow.{global_name} = {body};\n"


def embed_script(spec: Mapping[str, Any], element_id: str, *, register: str | None = None) -> str:
    """JavaScript (without ``<script>`` tags) that draws ``spec`` into ``#element_id``.

    With ``register`` (a global's name) the map is not drawn at once: the drawing function is
    stored as ``window.<register>[element_id]``, for the page to call when the map is shown
    (a page with one map per indicator draws only the one the reader chose).

    It waits for ``window.vegaEmbed`` (the site's Vega bundle) and, for a spec on the script
    route, for the geometry global, which it puts into the spec's ``datasets`` (also under the
    aliases of ``usermeta.navbokGeometry``); it lowers the spec's height to the element's width
    × ``usermeta.navbokAspect`` (:func:`aspect_ratio`) when that is less; then it calls
    ``vegaEmbed`` with the Norwegian number and time locale and the SVG renderer."""
    code = embed.embed_script(dict(spec), element_id, map_helpers=True)
    if register is None:
        return code
    if not register.isidentifier():
        raise ValueError(f"{register!r} is not a JavaScript global name")
    body = code.removesuffix("();")  # the function expression, not called
    key = embed.script_json(element_id)
    return f"window.{register} = window.{register} || {{}};\nwindow.{register}[{key}] = {body};"
