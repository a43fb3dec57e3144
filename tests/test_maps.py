"""navbok.present.maps: choropleth and county map specs, offline geometry, table alternative."""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
import vl_convert as vlc
from altair.vegalite.v6.schema.core import Root
from test_geo import tiny_topology

from navbok import geo
from navbok.present import maps, theme

NBSP = "\u00a0"
GREYS = {maps.SUPPRESSED_COLOUR, maps.MISSING_COLOUR}

VALUES = [
    {"kommune": "1101", "name": "A", "value": 1234.5, "status": None},
    # Suppressed, even though a number came with it: it must never reach the spec.
    {"kommune": "1102", "name": "B", "value": 99.0, "status": ":"},
    # 1201 (C) has no row at all: missing.
]


def _choropleth(**kwargs: object) -> dict:
    args: dict = {
        "title": "Utbetalt per innbygger",
        "description": "Kart over tre kommuner farget etter utbetaling per innbygger.",
        "unit": "kr",
        "decimals": 1,
    }
    args.update(kwargs)
    topology = args.pop("topology", tiny_topology())
    values = args.pop("values", VALUES)
    return maps.choropleth(topology, values, **args)  # type: ignore[arg-type]


def _layers(spec: dict) -> tuple[dict, dict]:
    """The number layer and the status layer."""

    def last_filter(layer: dict) -> object:
        return (layer.get("transform") or [{}])[-1].get("filter")

    numbers = [ly for ly in spec["layer"] if last_filter(ly) == "datum.category === 'verdi'"]
    status = [
        ly
        for ly in spec["layer"]
        if {"filter": "datum.category !== 'verdi'"} in (ly.get("transform") or [])
    ]
    assert len(numbers) == 1 and len(status) == 1
    return numbers[0], status[0]


def _dataset(spec: dict) -> list[dict]:
    (name,) = [k for k in spec["datasets"] if k.startswith("verdier-")]
    return spec["datasets"][name]


def _map_fills(svg: str) -> list[str]:
    """The fill of every shape the map draws (legend symbols are not mark-shape groups)."""
    fills = []
    for group in re.findall(r'<g class="mark-shape role-mark[^"]*"[^>]*>(.*?)</g>', svg, re.S):
        fills += re.findall(r'<path[^>]*?fill="([^"]+)"', group)
    return fills


# ------------------------------------------------------------------------------ specs


@pytest.mark.parametrize("classes", [5, None])
@pytest.mark.parametrize("route", ["inline", "script"])
def test_choropleth_is_a_valid_vega_lite_spec(classes: int | None, route: str) -> None:
    topology = tiny_topology() if route == "inline" else maps.GEOMETRY_GLOBAL
    spec = _choropleth(topology=topology, classes=classes)
    Root.validate(spec)
    assert spec["description"].startswith("Kart over")
    assert spec["projection"]["type"] == "transverseMercator"
    assert spec["usermeta"]["attribution"] == geo.ATTRIBUTION
    texts = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    assert texts[0]["data"]["values"] == [{"text": "Kart: © Kartverket (CC BY 4.0)"}]


def test_suppressed_and_missing_values_never_get_a_colour_of_the_scale() -> None:
    spec = _choropleth()
    rows = {r["kommune"]: r for r in _dataset(spec)}
    assert rows["1101"]["category"] == "verdi" and rows["1101"]["value"] == 1234.5
    assert rows["1102"] == {
        "kommune": "1102",
        "name": "B",
        "value": None,  # the suppressed number is not in the spec
        "category": "skjult",
        "text": "Skjult av personvernhensyn (:)",
    }
    assert "99" not in json.dumps(_dataset(spec))
    numbers, status = _layers(spec)
    # The scale layer draws only published numbers, with scheme colours only.
    assert numbers["transform"][-1] == {"filter": "datum.category === 'verdi'"}
    scale = numbers["encoding"]["color"]["scale"]
    assert set(scale["range"]) <= set(maps.PALETTE) and not set(scale["range"]) & GREYS
    assert scale["domain"] == ["1 234,5".replace(" ", NBSP)]
    # Suppressed and missing are a separate layer with two neutral greys of their own.
    colour = status["encoding"]["color"]
    assert colour["scale"] == {
        "domain": [maps.SUPPRESSED_LABEL, maps.MISSING_LABEL],
        "range": [maps.SUPPRESSED_COLOUR, maps.MISSING_COLOUR],
    }
    assert maps.SUPPRESSED_LABEL == "Skjult (:)" and maps.MISSING_LABEL == "Mangler (..)"
    assert spec["resolve"]["scale"]["color"] == "independent"


def test_a_continuous_scale_also_leaves_suppressed_out() -> None:
    numbers, status = _layers(_choropleth(classes=None))
    colour = numbers["encoding"]["color"]
    assert colour["field"] == "value" and colour["type"] == "quantitative"
    assert colour["legend"]["format"] == ",.1f"  # Norwegian through config.locale
    assert numbers["transform"][-1] == {"filter": "datum.category === 'verdi'"}
    assert status["encoding"]["color"]["scale"]["range"] == [
        maps.SUPPRESSED_COLOUR,
        maps.MISSING_COLOUR,
    ]


def test_the_rendered_map_fills_each_municipality_by_its_category() -> None:
    spec = _choropleth(county_borders=False)
    svg = vlc.vegalite_to_svg(spec)
    fills = sorted(_map_fills(svg))
    assert len(fills) == 3  # A, B and C, each once
    assert fills.count(maps.SUPPRESSED_COLOUR) == 1  # B
    assert fills.count(maps.MISSING_COLOUR) == 1  # C, no row
    (coloured,) = [f for f in fills if f not in GREYS]
    assert coloured in maps.PALETTE
    assert "Kart: © Kartverket (CC BY 4.0)" in svg
    assert "Skjult (:)" in svg and "Mangler (..)" in svg  # legend entries


def test_tooltips_and_status_texts_are_norwegian() -> None:
    values = [
        {"kommune": "1101", "name": "A", "value": 12.345, "status": None},
        {"kommune": "1102", "name": "B", "value": None, "status": ".."},
        {"kommune": "1201", "name": "C", "value": None, "status": "."},
    ]
    spec = _choropleth(values=values, unit="prosent", decimals=1)
    rows = {r["kommune"]: r for r in _dataset(spec)}
    assert rows["1101"]["text"] == f"12,3{NBSP}%"
    assert rows["1102"]["text"] == "Tall mangler (..)"
    assert rows["1201"]["text"] == "Kan ikke regnes ut (.)"
    assert {r["category"] for r in rows.values()} == {"verdi", "mangler"}
    numbers, status = _layers(spec)
    for layer in (numbers, status):
        assert layer["encoding"]["tooltip"] == [
            {"field": "name", "type": "nominal", "title": "Kommune"},
            {"field": "text", "type": "nominal", "title": "Prosent"},
        ]
    big = maps.choropleth(
        tiny_topology(),
        [{"kommune": "1101", "name": "A", "value": 1234567.0, "status": None}],
        title="t",
        description="d",
        unit="kr",
        decimals=0,
    )
    assert _dataset(big)[0]["text"] == f"1{NBSP}234{NBSP}567{NBSP}kr"


def test_quantile_classes_split_the_values_and_are_labelled() -> None:
    codes = [f"{i:04d}" for i in range(1, 11)]
    values = [
        {"kommune": c, "name": c, "value": float(i), "status": None} for i, c in enumerate(codes, 1)
    ]
    spec = maps.choropleth(
        maps.GEOMETRY_GLOBAL, values, title="t", description="d", decimals=1, classes=5
    )
    numbers, _ = _layers(spec)
    labels = numbers["encoding"]["color"]["scale"]["domain"]
    assert labels == ["under 2,8", "2,8–4,6", "4,6–6,4", "6,4–8,2", "8,2 og over"]
    rows = _dataset(spec)
    assert [r["class"] for r in rows] == [labels[i] for i in (0, 0, 1, 1, 2, 2, 3, 3, 4, 4)]
    assert numbers["encoding"]["color"]["scale"]["range"] == [
        maps.PALETTE[i] for i in (0, 1, 2, 4, 5)
    ]


def test_few_distinct_values_give_fewer_classes_never_an_empty_one() -> None:
    values = [{"kommune": c, "name": c, "value": 3.0, "status": None} for c in ("1101", "1102")]
    spec = _choropleth(values=values)
    numbers, _ = _layers(spec)
    assert numbers["encoding"]["color"]["scale"]["domain"] == ["3,0"]
    with pytest.raises(ValueError, match="classes"):
        _choropleth(classes=9)


def test_a_municipality_given_twice_or_unknown_is_an_error() -> None:
    with pytest.raises(ValueError, match="1101"):
        _choropleth(values=[VALUES[0], VALUES[0]])
    with pytest.raises(ValueError, match="no municipality 9999"):
        _choropleth(values=[{**VALUES[0], "kommune": "9999"}])


@pytest.mark.parametrize("missing", ["title", "description"])
def test_maps_need_a_title_and_a_description(missing: str) -> None:
    with pytest.raises(ValueError, match=missing):
        _choropleth(**{missing: " "})


def test_county_borders_read_the_one_copy_of_the_geometry() -> None:
    spec = _choropleth()
    mesh = [layer for layer in spec["layer"] if layer.get("mark", {}).get("filled") is False]
    assert mesh[0]["data"]["format"] == {"type": "topojson", "mesh": "fylker"}
    alias = mesh[0]["data"]["name"]
    assert alias not in spec["datasets"]  # filled at page load, not written twice
    assert spec["usermeta"]["navbokGeometry"]["aliases"] == [alias]
    topologies = [v for v in spec["datasets"].values() if isinstance(v, dict)]
    assert len(topologies) == 1 and topologies[0]["type"] == "Topology"


def test_county_map_outlines_the_municipality() -> None:
    topology = geo.county_topology(tiny_topology(), "1102")
    plain = maps.county_map(topology, "1102", title="Fylke 11", description="Kart over fylket.")
    Root.validate(plain)
    outline = plain["layer"][-2]
    assert outline["transform"] == [{"filter": "datum.properties.id === '1102'"}]
    assert outline["mark"]["filled"] is False and outline["mark"]["strokeWidth"] >= 2
    assert outline["mark"]["stroke"] == maps.OUTLINE_COLOUR
    assert plain["layer"][0]["mark"]["strokeWidth"] < outline["mark"]["strokeWidth"]
    assert "navbokGeometry" not in plain["usermeta"]  # plain vegaEmbed draws it
    coloured = maps.county_map(
        topology, "1102", VALUES, title="Fylke 11", description="Kart over fylket.", unit="kr"
    )
    Root.validate(coloured)
    numbers, status = _layers(coloured)
    assert status["encoding"]["color"]["scale"]["range"] == [
        maps.SUPPRESSED_COLOUR,
        maps.MISSING_COLOUR,
    ]
    svg = vlc.vegalite_to_svg(coloured)
    assert sorted(_map_fills(svg)).count(maps.SUPPRESSED_COLOUR) == 1
    # A national list of values is cut to the county's municipalities, with national classes.
    national = [*VALUES, {"kommune": "1201", "name": "C", "value": 7.0, "status": None}]
    cut = maps.county_map(
        topology, "1102", national, title="t", description="d", decimals=0, classes=2
    )
    assert [r["kommune"] for r in _dataset(cut)] == ["1101", "1102"]
    numbers, _ = _layers(cut)
    # The limit is the median of 7 (C, outside the county) and 1 234,5 (A).
    assert numbers["encoding"]["color"]["scale"]["domain"] == ["under 621", "621 og over"]
    with pytest.raises(ValueError, match="1201"):
        maps.county_map(topology, "1201", title="t", description="d")


# ------------------------------------------------------------------ offline geometry


def test_geometry_script_sets_a_global_with_the_topology() -> None:
    topology = tiny_topology()
    topology["objects"]["kommuner"]["geometries"][0]["properties"]["name"] = "</script><b>"
    text = maps.geometry_script(topology)
    assert "</" not in text
    prefix = "window.NAVBOK_GEO = "
    body = text.split("\n", 1)[1]
    assert body.startswith(prefix) and body.endswith(";\n")
    assert json.loads(body[len(prefix) : -2]) == topology
    assert maps.geometry_script(topology) == text  # deterministic
    with pytest.raises(ValueError):
        maps.geometry_script(topology, "not a name")


def test_embed_script_puts_the_global_into_the_spec() -> None:
    spec = _choropleth(topology=maps.GEOMETRY_GLOBAL)
    assert "navbok-geo" not in spec["datasets"]
    meta = spec["usermeta"]["navbokGeometry"]
    assert meta["global"] == "NAVBOK_GEO" and meta["dataset"] == "navbok-geo"
    js = maps.embed_script(spec, "kart-1")
    assert '"#kart-1"' in js and "window[meta.global]" in js and "vegaEmbed" in js
    assert "navbokAspect" in js
    assert json.dumps(theme.NUMBER_LOCALE["decimal"]) in js


# ------------------------------------------------------------------ table alternative


def test_map_table_shows_symbols_not_numbers_for_suppressed_and_missing() -> None:
    values = [
        {"kommune": "1102", "name": "B", "value": 99.0, "status": ":"},
        {"kommune": "1101", "name": "A", "value": 1.5, "status": None},
        {"kommune": "1201", "name": "C", "value": None, "status": None},
    ]
    table = maps.map_table(values, value_label="Andel (%)")
    assert list(table.columns) == ["Kommunenr", "Kommune", "Andel (%)", "status"]
    assert list(table["Kommunenr"]) == ["1101", "1102", "1201"]
    assert table["Andel (%)"].iloc[0] == 1.5
    assert math.isnan(table["Andel (%)"].iloc[1]) and math.isnan(table["Andel (%)"].iloc[2])
    assert list(table["status"]) == ["", ":", ".."]
    by_name = maps.map_table(values, sort_by="name")
    assert list(by_name["Kommune"]) == ["A", "B", "C"]


def test_map_values_from_a_long_frame() -> None:
    frame = pd.DataFrame(
        {
            "kommune": ["1101", "1102"],
            "kommune_name": ["A", "B"],
            "value": [2.5, float("nan")],
            "status": ["", ":"],
        }
    )
    assert maps.map_values(frame) == [
        {"kommune": "1101", "name": "A", "value": 2.5, "status": None},
        {"kommune": "1102", "name": "B", "value": None, "status": ":"},
    ]
    with pytest.raises(ValueError, match="one row per municipality"):
        maps.map_values(pd.concat([frame, frame]))


# -------------------------------------------------------------------------- browser

CHROMIUM = shutil.which("chromium")


def _write_bundle(dest: Path) -> None:
    from navbok.present.bundle import write_vega_bundle

    write_vega_bundle(dest)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_the_national_map_renders_from_disk_in_chromium(tmp_path: Path) -> None:
    topology = geo.load_topology()
    codes = geo.codes(topology)
    names = geo.names(topology)
    values = [
        {
            "kommune": c,
            "name": names[c],
            "value": None if i % 10 == 0 else float(i % 37),
            "status": ":" if i % 10 == 0 else None,
        }
        for i, c in enumerate(codes)
    ]
    spec = maps.choropleth(
        maps.GEOMETRY_GLOBAL, values, title="Test", description="Kart over Norge.", unit="%"
    )
    _write_bundle(tmp_path)
    (tmp_path / "navbok-geo.js").write_text(maps.geometry_script(topology), "utf-8")
    page = tmp_path / "kart.html"
    page.write_text(
        '<!doctype html><html lang="nb"><head><meta charset="utf-8">'
        '<script src="navbok-vega.js"></script><script src="navbok-geo.js"></script></head>'
        f'<body><div id="kart" style="width:600px"></div><script>'
        f"{maps.embed_script(spec, 'kart')}</script></body></html>",
        "utf-8",
    )
    result = subprocess.run(
        [
            CHROMIUM,  # type: ignore[list-item]
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--virtual-time-budget=10000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    dom = result.stdout
    assert "<svg" in dom, result.stderr[-2000:]
    fills = _map_fills(dom)
    assert len(fills) == 357 + 1  # every municipality, and the county mesh
    assert fills.count(maps.SUPPRESSED_COLOUR) == len([v for v in values if v["status"]])
    assert "Kartverket" in dom


def test_aspect_ratio_of_norway_and_of_a_county() -> None:
    topology = geo.load_topology()
    norway = maps.aspect_ratio(topology, maps.NORWAY_MERIDIAN)
    assert norway is not None and 1.1 < norway < 1.5  # taller than wide
    spec = maps.choropleth(maps.GEOMETRY_GLOBAL, [], title="t", description="d")
    assert spec["usermeta"]["navbokAspect"] == norway
    # Three unit squares in a row at 60° N: about 1 / (3 × cos 60°) = 2/3.
    row = maps.aspect_ratio(tiny_topology(), 11.5)
    assert row == pytest.approx(2 / 3, rel=0.02)


def test_a_countys_extent_is_remembered_per_topology_and_equals_the_computed_one() -> None:
    county = geo.county_topology(geo.load_topology(), "4601")
    first = maps._whole_extent(county)
    assert first == maps._extent(county)
    assert maps._whole_extent(county) is first  # the same answer, not computed again
    other = geo.county_topology(geo.load_topology(), "1856")
    assert maps._whole_extent(other) == maps._extent(other) != first
