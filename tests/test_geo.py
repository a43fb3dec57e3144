"""navbok.geo: quantizing, subsetting and merging topologies; the packaged map geometry."""

from __future__ import annotations

import importlib.util
import json
import math
import random
from pathlib import Path

import pytest

from navbok import geo

REPO = Path(__file__).resolve().parent.parent
SHARED_GEO = REPO.parent / "shared" / "geo"
#: The packaged topology must stay small enough to inline in a page or ship as one script.
SIZE_LIMIT = 350_000


def _square(x: float, y: float) -> list[list[float]]:
    return [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]


def tiny_topology() -> geo.Topology:
    """Three unit squares in a row, A | B | C, quantized on a 301-step grid.

    Arcs: 0 = A's outline except the A|B edge, 1 = the A|B edge (shared), 2 = B's bottom,
    3 = the B|C edge (shared), 4 = B's top, 5 = C's outline except the B|C edge. Outer rings
    run clockwise (x east, y north), as d3-geo wants. A and B are county "11", C is "12".
    """
    x0, y0 = 10.0, 60.0
    plain = [
        [[x0 + 1, y0], [x0, y0], [x0, y0 + 1], [x0 + 1, y0 + 1]],  # 0: A without A|B
        [[x0 + 1, y0 + 1], [x0 + 1, y0]],  # 1: A|B, downwards
        [[x0 + 1, y0], [x0 + 2, y0]],  # 2: B's bottom, eastwards
        [[x0 + 2, y0], [x0 + 2, y0 + 1]],  # 3: B|C, upwards
        [[x0 + 2, y0 + 1], [x0 + 1, y0 + 1]],  # 4: B's top, westwards
        [[x0 + 2, y0 + 1], [x0 + 3, y0 + 1], [x0 + 3, y0], [x0 + 2, y0]],  # 5: C without B|C
    ]
    transform, arcs = geo.quantize(plain, 301, [x0, y0, x0 + 3, y0 + 1])
    kommuner = [
        {"type": "Polygon", "arcs": [[0, 1]], "properties": {"id": "1101", "name": "A"}},
        # B clockwise: up the A|B edge (1 reversed), along the top reversed, ...
        {"type": "Polygon", "arcs": [[~1, ~4, ~3, ~2]], "properties": {"id": "1102", "name": "B"}},
        {"type": "Polygon", "arcs": [[5, 3]], "properties": {"id": "1201", "name": "C"}},
    ]
    county = geo.merge(kommuner[:2], arcs)
    county["properties"] = {"id": "11", "name": "Fylke 11"}
    c12 = geo.merge(kommuner[2:], arcs)
    c12["properties"] = {"id": "12", "name": "Fylke 12"}
    return {
        "type": "Topology",
        "transform": transform,
        "objects": {
            "kommuner": {"type": "GeometryCollection", "geometries": kommuner},
            "fylker": {"type": "GeometryCollection", "geometries": [county, c12]},
        },
        "arcs": geo.delta_encode(arcs),
        "navbok": {"attribution": geo.ATTRIBUTION},
    }


def _rings(geometry: dict, arcs: list[list[tuple[float, float]]]) -> list[list[tuple]]:
    polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
    out = []
    for polygon in polygons:
        for ring in polygon:
            points: list[tuple] = []
            for k, ref in enumerate(ring):
                arc = arcs[ref if ref >= 0 else ~ref]
                seq = arc if ref >= 0 else arc[::-1]
                points.extend(seq if k == 0 else seq[1:])
            out.append(points)
    return out


def _coordinates(topology: geo.Topology, obj: str) -> dict[str, list[list[tuple]]]:
    arcs = geo.decode_arcs(topology)
    return {g["properties"]["id"]: _rings(g, arcs) for g in topology["objects"][obj]["geometries"]}


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine, mean earth radius)."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


# ------------------------------------------------------------------------ quantizing


def test_quantize_round_trip_stays_within_the_stated_error() -> None:
    rnd = random.Random(16)
    bbox = [4.5, 57.96, 31.17, 71.19]  # Norway
    points = [[rnd.uniform(bbox[0], bbox[2]), rnd.uniform(bbox[1], bbox[3])] for _ in range(5000)]
    arcs = [points[i : i + 50] for i in range(0, len(points), 50)]
    transform, quantized = geo.quantize(arcs, 40_000, bbox)
    bound = geo.quantization_error_m(transform, bbox[1])
    assert 20 < bound < 50  # the packaged grid's promise: below 50 m
    decoded = geo.decode_arcs({"transform": transform, "arcs": geo.delta_encode(quantized)})
    worst = max(
        _metres(tuple(p), q)  # type: ignore[arg-type]
        for arc, back in zip(arcs, decoded, strict=True)
        for p, q in zip(arc, back, strict=True)
    )
    assert worst <= bound
    assert worst > bound / 4  # the bound is not absurdly loose


def test_quantize_merges_repeated_grid_points_and_keeps_two_positions() -> None:
    _, arcs = geo.quantize([[[0.0, 0.0], [1e-9, 0.0], [1.0, 1.0]], [[0.5, 0.5], [0.5, 0.5]]], 3)
    assert arcs[0] == [(0, 0), (2, 2)]
    assert arcs[1] == [(1, 1), (1, 1)]


def test_delta_encoding_decodes_to_the_absolute_positions() -> None:
    absolute = [[(3, 4), (5, 1), (5, 1), (0, 9)]]
    assert geo.delta_encode(absolute) == [[[3, 4], [2, -3], [0, 0], [-5, 8]]]
    topo = {"transform": {"scale": [1, 1], "translate": [0, 0]}, "arcs": geo.delta_encode(absolute)}
    assert geo.decode_arcs(topo) == [[(3, 4), (5, 1), (5, 1), (0, 9)]]


# --------------------------------------------------------------------------- subsets


def test_subset_keeps_exactly_the_arcs_it_needs_and_the_same_coordinates() -> None:
    topo = tiny_topology()
    before = _coordinates(topo, "kommuner")
    part = geo.subset(topo, ["1101"])
    assert geo.codes(part) == ["1101"]
    # A uses arcs 0 and 1 only; they keep their order and become 0 and 1.
    assert part["arcs"] == [topo["arcs"][0], topo["arcs"][1]]
    assert part["objects"]["kommuner"]["geometries"][0]["arcs"] == [[0, 1]]
    assert _coordinates(part, "kommuner") == {"1101": before["1101"]}
    assert part["transform"] == topo["transform"]
    assert part["navbok"] == topo["navbok"]
    # A county is kept only when all its arcs are: county 11 needs B's arcs too.
    assert geo.codes(part, "fylker") == []


def test_subset_renumbers_reversed_references() -> None:
    topo = tiny_topology()
    before = _coordinates(topo, "kommuner")
    part = geo.subset(topo, ["1102", "1201"])
    assert part["arcs"] == [topo["arcs"][i] for i in (1, 2, 3, 4, 5)]
    b = part["objects"]["kommuner"]["geometries"][0]
    assert b["arcs"] == [[~0, ~3, ~2, ~1]]
    assert _coordinates(part, "kommuner") == {k: before[k] for k in ("1102", "1201")}
    assert geo.codes(part, "fylker") == ["12"]
    west, south, east, north = part["bbox"]
    assert (west, east) == pytest.approx((11.0, 13.0)) and (south, north) == pytest.approx(
        (60.0, 61.0)
    )


def test_subset_of_an_unknown_code_is_an_error() -> None:
    with pytest.raises(geo.GeoError, match="9999"):
        geo.subset(tiny_topology(), ["1101", "9999"])


def test_county_topology_takes_the_county_of_a_municipality() -> None:
    part = geo.county_topology(tiny_topology(), "1102")
    assert geo.codes(part) == ["1101", "1102"]
    assert geo.codes(part, "fylker") == ["11"]
    with pytest.raises(geo.GeoError, match="county 50"):
        geo.county_topology(tiny_topology(), "50")


# --------------------------------------------------------------------------- merging


def test_merge_drops_the_shared_arc_and_keeps_the_outline() -> None:
    topo = tiny_topology()
    county = topo["objects"]["fylker"]["geometries"][0]
    assert county["type"] == "Polygon"
    refs = [r for ring in county["arcs"] for r in ring]
    assert sorted(r if r >= 0 else ~r for r in refs) == [0, 2, 3, 4]  # not 1 (A|B)
    (ring,) = _rings(county, geo.decode_arcs(topo))
    assert ring[0] == ring[-1]
    assert geo.ring_area2(ring) == pytest.approx(-4.0)  # 2 × area 2, clockwise


def test_merge_fills_an_enclave_and_keeps_a_real_hole() -> None:
    # A 3×3 frame with a hole and the 1×1 square in the hole, made of two arcs.
    outer = [(0, 0), (0, 3), (3, 3), (3, 0), (0, 0)]  # clockwise
    inner = [(1, 1), (2, 1), (2, 2), (1, 2), (1, 1)]  # counter-clockwise
    arcs = [outer, inner]
    frame = {"type": "Polygon", "arcs": [[0], [1]]}
    enclave = {"type": "Polygon", "arcs": [[~1]]}
    filled = geo.merge([frame, enclave], arcs)
    assert filled == {"type": "Polygon", "arcs": [[0]]}
    assert geo.merge([frame], arcs) == {"type": "Polygon", "arcs": [[0], [1]]}


def test_merge_of_apart_polygons_is_a_multipolygon() -> None:
    arcs = [
        [(0, 0), (0, 1), (1, 1), (1, 0), (0, 0)],
        [(5, 0), (5, 1), (6, 1), (6, 0), (5, 0)],
    ]
    merged = geo.merge(
        [{"type": "Polygon", "arcs": [[0]]}, {"type": "Polygon", "arcs": [[1]]}], arcs
    )
    assert merged == {"type": "MultiPolygon", "arcs": [[[0]], [[1]]]}


# ------------------------------------------------------------------- codes and counties


def test_county_of() -> None:
    assert geo.county_of("3201") == "32"
    assert geo.county_of("0301") == "03"
    for bad in ("301", "32011", "EKA32", ""):
        with pytest.raises(geo.GeoError):
            geo.county_of(bad)


def test_check_codes_names_extra_and_missing_codes() -> None:
    topo = tiny_topology()
    geo.check_codes(topo, ["1101", "1102", "1201"])
    with pytest.raises(geo.GeoError) as err:
        geo.check_codes(topo, ["1101", "1102", "1202"], expected_names={"1202": "Ny"})
    message = str(err.value)
    assert "1201 C" in message and "1202 Ny" in message
    assert "has 1 code(s) the book does not" in message and "lacks 1 code(s)" in message


# ------------------------------------------------------------------ the packaged map


def test_packaged_topology_is_quantized_clockwise_and_has_provenance() -> None:
    topo = geo.load_topology()
    assert len(geo.codes(topo)) == 357
    assert len(geo.codes(topo, "fylker")) == 15
    assert {geo.county_of(c) for c in geo.codes(topo)} == set(geo.codes(topo, "fylker"))
    assert all(isinstance(v, int) for arc in topo["arcs"][:50] for p in arc for v in p)
    meta = topo["navbok"]
    assert meta["licence"] == "CC BY 4.0" and meta["attribution"] == geo.ATTRIBUTION
    assert meta["origin"] == "robhop/fylker-og-kommuner ae87825"
    assert meta["quantization"]["max_error_m"] < 50
    bound = geo.quantization_error_m(topo["transform"], topo["transform"]["translate"][1])
    assert bound == pytest.approx(meta["quantization"]["max_error_m"], abs=0.1)
    # d3-geo (Vega) needs outer rings clockwise, else it fills the rest of the globe.
    arcs = [[(float(x), float(y)) for x, y in arc] for arc in geo._absolute(topo)]
    for obj in ("kommuner", "fylker"):
        for g in topo["objects"][obj]["geometries"]:
            polygons = [g["arcs"]] if g["type"] == "Polygon" else g["arcs"]
            for polygon in polygons:
                (outer,) = _rings({"type": "Polygon", "arcs": polygon[:1]}, arcs)
                assert geo.ring_area2(outer) <= 0, g["properties"]


def test_a_county_subset_is_a_few_kilobytes() -> None:
    part = geo.county_topology(geo.load_topology(), "3201")
    assert all(geo.county_of(c) == "32" for c in geo.codes(part))
    assert geo.codes(part, "fylker") == ["32"]
    assert len(json.dumps(part, separators=(",", ":"))) < 20_000


@pytest.mark.skipif(not SHARED_GEO.is_dir(), reason=f"{SHARED_GEO} is not here")
def test_packaged_topology_matches_the_source_and_is_small() -> None:
    source = json.loads((SHARED_GEO / "kommuner-2024-S.topojson").read_text("utf-8"))
    counties = json.loads((SHARED_GEO / "fylker-2024-S.topojson").read_text("utf-8"))
    topo = geo.load_topology()
    source_codes = {
        g["properties"]["kommunenummer"] for g in source["objects"]["Kommuner"]["geometries"]
    }
    county_codes = {
        g["properties"]["fylkesnummer"] for g in counties["objects"]["Fylker"]["geometries"]
    }
    assert len(source_codes) == 357 and len(county_codes) == 15
    geo.check_codes(topo, source_codes)
    geo.check_codes(topo, county_codes, obj="fylker")
    path = REPO / "src" / "navbok" / geo.RESOURCE
    assert path.stat().st_size < SIZE_LIMIT
    # Every municipality's first position is within the stated error of the source's.
    src_arcs = source["arcs"]
    ours = geo.decode_arcs(topo)
    assert len(ours) == len(src_arcs)
    bound = topo["navbok"]["quantization"]["max_error_m"]
    for mine, theirs in zip(ours, src_arcs, strict=True):
        assert _metres(mine[0], tuple(theirs[0])) <= bound + 0.1


@pytest.mark.skipif(not SHARED_GEO.is_dir(), reason=f"{SHARED_GEO} is not here")
def test_the_tool_reproduces_the_packaged_file(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("navbok_tool_geo", REPO / "tools" / "geo.py")
    assert spec and spec.loader
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    out = tmp_path / "geo.json"
    assert tool.main(["--source", str(SHARED_GEO), "--out", str(out)]) == 0
    assert out.read_bytes() == (REPO / "src" / "navbok" / geo.RESOURCE).read_bytes()
