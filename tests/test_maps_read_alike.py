"""Maps read alike (issue 22, deliverable 5): one colour scale per indicator and year on the
overview and in every county map; the book's municipality outlined in a colour of no class,
ringed when it is only a few pixels on the map.

Constructed values for Nordland (and a few municipalities elsewhere): the overview's map and
Røst's county map are drawn from them, and the specs are read back out of the HTML the reader
gets."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from navbok import geo
from navbok.key_figures import KEY_FIGURES
from navbok.present import maps
from navbok.report.maps import county_figure
from navbok.site import landing
from navbok.site.overview import BAROMETER, Overview


def _values() -> list[dict]:
    """Every Nordland municipality and three elsewhere, one suppressed, values 1,00 … ."""
    nordland = geo.codes(geo.county_topology(geo.load_topology(), "1856"))
    codes = [*nordland, "0301", "4601", "3201"]
    names = geo.names(geo.load_topology())
    out = []
    for i, code in enumerate(sorted(codes)):
        out.append(
            {
                "kommune": code,
                "name": names[code].split(" - ")[0],
                "value": None if i == 3 else 1.0 + 0.173 * i,
                "status": ":" if i == 3 else None,
            }
        )
    return out


def _overview(values: list[dict]) -> Overview:
    frame = pd.DataFrame(
        {
            "kommune": [v["kommune"] for v in values],
            "name": [v["name"] for v in values],
            "county": [v["kommune"][:2] for v in values],
            "county_name": ["Fylke" for _ in values],
            "kostra": ["KOSTRA-gruppe 4" for _ in values],
        }
    )
    for key in KEY_FIGURES:
        frame[key.id] = [v["value"] if v["value"] is not None else float("nan") for v in values]
        frame[f"{key.id}_status"] = [v["status"] or "" for v in values]
    frame[f"{BAROMETER}_rank"] = pd.array([None] * len(values), dtype="Int64")
    frame[f"{BAROMETER}_n"] = [len(values)] * len(values)
    return Overview(frame, {k.id: 2024 for k in KEY_FIGURES})


def _spec_after(text: str, marker: str) -> dict:
    """The Vega-Lite spec of the embed script that follows ``marker`` in a page."""
    start = text.index(marker)
    found = re.search(r"var spec = (\{.*?\});\n  var opt", text[start:], re.S)
    assert found, marker
    return json.loads(found[1].replace("<\\/", "</"))


def _class_scale(spec: dict) -> dict:
    (layer,) = [ly for ly in spec["layer"] if ly.get("encoding", {}).get("color", {}).get(
        "field") == "class"]  # fmt: skip
    return layer["encoding"]["color"]["scale"]


def _records(spec: dict) -> dict[str, dict]:
    (name,) = [k for k in spec["datasets"] if k.startswith("verdier-")]
    return {r["kommune"]: r for r in spec["datasets"][name]}


def _luminance(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_overview_map_and_county_map_share_one_scale(tmp_path: Path) -> None:
    values = _values()
    books = {"1856": landing.Book("1856", "../1856/html/index.html")}
    page = landing.landing_page(_overview(values), books, tmp_path).read_text("utf-8")
    national = _spec_after(page, 'window.navbokKart["kart-andel_18_66"]')
    county = _spec_after(
        county_figure("1856", "Røst", values, year=2024, provenance=None).html, "navbok-chart-"
    )
    # The same classes, limits, colours and order: the legend reads the same on both pages.
    assert _class_scale(county) == _class_scale(national)
    assert len(_class_scale(county)["domain"]) == 5
    # Every municipality of the county in the same class on both maps.
    own, whole = _records(county), _records(national)
    assert own and all(r.get("class") == whole[c].get("class") for c, r in own.items())
    # Light for low, dark for high, also for an indicator where lower is called better: the
    # map shows how much, the book says higher is «ikke nødvendigvis bedre».
    lum = [_luminance(c) for c in _class_scale(county)["range"]]
    assert lum == sorted(lum, reverse=True)


def test_the_outlined_municipality_keeps_its_class_colour_readable() -> None:
    values = _values()
    classes = set(maps.PALETTE) | {maps.SUPPRESSED_COLOUR, maps.MISSING_COLOUR}

    def distance(a: str, b: str) -> float:
        pa = [int(a[i : i + 2], 16) for i in (1, 3, 5)]
        pb = [int(b[i : i + 2], 16) for i in (1, 3, 5)]
        return sum((x - y) ** 2 for x, y in zip(pa, pb, strict=True)) ** 0.5

    # The outline is no class colour, nor near one (the old near-black read as the darkest).
    assert min(distance(maps.OUTLINE_COLOUR, c) for c in classes) > 150
    rost = county_figure("1856", "Røst", values, year=2024, provenance=None).html
    spec = _spec_after(rost, "navbok-chart-")
    strokes = [ly["mark"].get("stroke") for ly in spec["layer"] if isinstance(ly["mark"], dict)]
    assert maps.OUTLINE_COLOUR in strokes
    # Røst is a few pixels on the map of Nordland: a ring and its name mark it.
    rings = [ly for ly in spec["layer"] if ly["mark"].get("type") == "point"]
    assert len(rings) == 1 and rings[0]["mark"]["stroke"] == maps.OUTLINE_COLOUR
    # … filled with Røst's class colour, so its class reads although its shape is a speck.
    rost_class = _records(spec)["1856"]["class"]
    scale = _class_scale(spec)
    assert rings[0]["mark"]["fill"] == scale["range"][scale["domain"].index(rost_class)]
    labels = [ly for ly in spec["layer"] if ly.get("data", {}).get("values", [{}])[0].get("name")]
    assert labels and labels[0]["data"]["values"][0]["name"] == "Røst"
    caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", rost, re.S)[1]  # type: ignore[index]
    assert "tykk mørk kant" not in caption and "sirkel i kommunens farge" in caption
    # No outline over its few pixels: the fill inside the ring keeps its class colour.
    assert not [ly for ly in spec["layer"] if ly.get("transform") == [
        {"filter": "datum.properties.id === '1856'"}]]  # fmt: skip
    # Bergen is large on the map of Vestland: outlined, no ring.
    bergen = county_figure("4601", "Bergen", values, year=2024, provenance=None).html
    spec = _spec_after(bergen, "navbok-chart-")
    assert not [ly for ly in spec["layer"] if ly["mark"].get("type") == "point"]
    assert maps.OUTLINE_COLOUR in [ly["mark"].get("stroke") for ly in spec["layer"]]
    assert "ring" not in re.search(r"<figcaption[^>]*>(.*?)</figcaption>", bergen, re.S)[1]  # type: ignore[index]
    assert maps.is_small(geo.county_topology(geo.load_topology(), "1856"), "1856")
    assert not maps.is_small(geo.county_topology(geo.load_topology(), "4601"), "4601")
