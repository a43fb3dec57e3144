"""Report views for maps: the municipality's county, the municipality outlined (``r.maps``).

:func:`county_figure` is the whole figure as HTML (also used by the print summary,
:mod:`navbok.site.summary`): a title, the map (:func:`navbok.present.maps.county_map` with the
county's geometry inline, a few kB, so it draws from ``file://``), a caption with the
attribution, and the table alternative (every municipality of the county with its value and
status symbol) with a CSV download, as every figure of the book has.

:func:`map_scale` is the one colour scale of an indicator's maps in a year, made from the
national values: the overview's map (:mod:`navbok.site.landing`) and every county map (the
book's and the print summary's) are drawn with it.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import pandas as pd

from navbok import geo
from navbok import indicators as ind
from navbok.national_facts import national_pass
from navbok.present import maps
from navbok.present.exports import Provenance
from navbok.present.figure import ChartOutput
from navbok.present.numbers import fmt_number
from navbok.present.tables import Download, download_links, table_html

if TYPE_CHECKING:
    from navbok.data import NavData
    from navbok.report.context import Context

__all__ = ["MAP_CLASSES", "MapViews", "county_figure", "county_values", "map_scale"]

#: The indicator a county map is coloured by, unless told otherwise.
DEFAULT_INDICATOR = "andel_18_66"
#: Quantile classes of every map.
MAP_CLASSES = 5


def map_scale(
    indicator: str, values: list[dict[str, Any]], *, decimals: int | None = None
) -> maps.ClassScale:
    """The colour scale of ``indicator``'s maps for the year of ``values`` (every
    municipality's value, :func:`county_values` form): :data:`MAP_CLASSES` quantile classes,
    limits rounded to the indicator's decimals (the register's; ``decimals`` for a figure not
    in it, the barometer score), lightest for the lowest values whatever the indicator's
    direction. The overview's map and every county map call this with the same national
    values, so the same colour means the same numbers on every page."""
    spec = ind.register().get(indicator)
    if spec is not None:
        decimals = spec.decimals
    if decimals is None:
        raise ValueError(f"{indicator} is not in the register: give its decimals")
    return maps.class_scale(values, decimals=decimals, classes=MAP_CLASSES)


@national_pass
def county_values(data: NavData, indicator: str, year: int) -> list[dict[str, Any]]:
    """Map values (:func:`navbok.present.maps.map_values` form) of every current municipality
    for ``indicator`` in ``year`` (a municipality without a row is missing, ``..``); computed
    once per loaded snapshot and process (a national pass), and shared."""
    codes = list(data.register.target_codes)
    v = data.values
    rows = v[(v["indicator"] == indicator) & (v["year"] == year) & v["region"].isin(codes)]
    found = {
        str(r): (val, st)
        for r, val, st in zip(rows["region"], rows["value"], rows["status"], strict=True)
    }
    out = []
    for code in codes:
        value, symbol = found.get(code, (None, ".."))
        symbol = symbol if isinstance(symbol, str) and symbol else None
        number = None if value is None or pd.isna(value) else float(value)
        out.append(
            {
                "kommune": code,
                "name": data.name(code),
                "value": None if symbol else number,
                "status": symbol or (None if number is not None else ".."),
            }
        )
    return out


def county_figure(
    kommune: str,
    name: str,
    values: list[dict[str, Any]],
    *,
    indicator: str = DEFAULT_INDICATOR,
    year: int,
    height: int = 420,
    downloads: bool = True,
    provenance: Provenance | None,
) -> ChartOutput:
    """The county map of ``kommune`` (outlined) coloured by ``values``, as a figure; its CSV
    download (``downloads``) carries ``provenance``."""
    esc = html.escape
    spec_ind = ind.register()[indicator]
    topology = geo.county_topology(geo.load_topology(), kommune)
    county = geo.county_of(kommune)
    county_name = geo.names(topology, geo.FYLKER).get(county, "fylket")
    members = set(geo.codes(topology))
    label = spec_ind.label
    short = spec_ind.short
    title = f"{name} i {county_name}: {short[0].lower() + short[1:]}, {year}"
    unit = spec_ind.unit if spec_ind.unit in ("prosent", "kr") else ""
    marked = "tegnet med oransje kant"
    if maps.is_small(topology, kommune):
        marked = (
            "merket med en sirkel i kommunens farge og med oransje kant, fordi kommunen er liten "
            "på kartet"
        )
    spec = maps.county_map(
        topology,
        kommune,
        values,
        title=title,
        description=(
            f"Kart over kommunene i {county_name}, der {name} er {marked}. Kommunene er "
            f"farget etter {label[0].lower() + label[1:]} i {year}, lysest for de laveste "
            "tallene, med de samme fargene og grensene som kartet over hele landet; grå betyr "
            "at tallet er skjult eller mangler. Tallene står i tabellen under kartet."
        ),
        unit=unit,
        decimals=spec_ind.decimals,
        legend_title="Prosent" if spec_ind.unit == "prosent" else short,
        scale=map_scale(indicator, values),
        height=height,
    )
    spec = {k: v for k, v in spec.items() if k != "title"}  # the figure's title is HTML
    element = f"navbok-chart-fylkeskart-{kommune}"
    rows = sorted((v for v in values if v["kommune"] in members), key=lambda v: v["name"])
    cells = []
    for v in rows:
        text = fmt_number(v["value"], spec_ind.decimals, status=v["status"] or "..")
        label_cell = f"{v['name']} (boka)" if v["kommune"] == kommune else v["name"]
        cells.append([label_cell, v["kommune"], text])
    table = table_html(
        ["Kommune", "Nr.", spec_ind.short],
        cells,
        f"Tallene bak kartet: {label}, {year}, kommunene i {county_name}. "
        "«:» = skjult av personvernhensyn, «..» = tall mangler.",
        numeric=[False, False, True],
        caption_id=f"{element}-tabell",
    )
    links = ""
    numbers: tuple[Download, ...] = ()  # the numbers behind the map, for the book's workbook
    if downloads:
        frame = pd.DataFrame(
            {
                "Kommune": [v["name"] for v in rows],
                "Kommunenummer": [v["kommune"] for v in rows],
                spec_ind.short: [v["value"] for v in rows],
                "status": [v["status"] or "" for v in rows],
            }
        )
        offered = download_links(
            frame,
            f"fylkeskart-{kommune}",
            {"csv": "Last ned CSV"},
            provenance=provenance,
            title=title,
            described_by=f"{element}-tabell",
        )
        links = offered.html
        numbers = (offered.download,) if offered.download else ()
    script = maps.embed_script(spec, element).replace("</", "<\\/")
    html_text = (
        f'<figure class="navbok-figure navbok-fylkeskart" id="{element}-figure">\n'
        f'<p class="navbok-chart-text" style="margin:0 0 .25em;font-weight:bold;'
        f'font-size:1.15em">{esc(title)}</p>\n'
        f'<div id="{element}" class="navbok-chart" style="width:100%"></div>\n'
        "<noscript><p>Kartet trenger JavaScript. Tallene finnes i tabellen under.</p></noscript>\n"
        f"<script>{script}</script>\n"
        f'<figcaption id="{element}-caption">{esc(spec["description"])} '
        f"{esc(geo.ATTRIBUTION)}.</figcaption>\n"
        f'<details class="navbok-data"><summary>Vis tallene bak kartet</summary>\n{table}'
        f"</details>\n{links}\n</figure>"
    )
    return ChartOutput(html_text, numbers)


class MapViews:
    """The maps of one municipality's book."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def county(self, indicator: str = DEFAULT_INDICATOR, year: int | None = None) -> ChartOutput:
        """The municipality's county, the municipality outlined, coloured by ``indicator``
        (default: share on social assistance 18–66) in ``year`` (default: the newest); the
        colour classes are the national map's, so the colours mean the same on every page."""
        year = year if year is not None else self.ctx.years[-1]
        values = county_values(self.ctx.data, indicator, year)
        return county_figure(
            self.ctx.kommune,
            self.ctx.name,
            values,
            indicator=indicator,
            year=year,
            provenance=self.ctx.provenance,
        )
