"""Norway's municipalities and counties as TopoJSON: the packaged map geometry and its tools.

The package carries one topology, :data:`RESOURCE` (written by ``tools/geo.py`` from Kartverket's
2024 borders, CC BY 4.0): an object ``kommuner`` (357 municipalities) and an object ``fylker``
(15 counties, each the exact union of its municipalities, made from the same arcs), with the
properties ``id`` (the code) and ``name``. Coordinates are WGS 84 longitude/latitude, quantized
(a TopoJSON ``transform`` and delta-encoded integer arcs); the file's ``navbok`` member says
where it comes from and how precise it is. Outer rings run clockwise (x east, y north), holes
counter-clockwise: the winding d3-geo, and so Vega, needs (the other way round it fills the
whole globe except the polygon).

* :func:`load_topology` reads it (once per process);
* :func:`subset` keeps only some municipalities and the arcs they use (a county map embeds a few
  kB instead of the whole country), :func:`county_topology` does it for one county;
* :func:`check_codes` checks that the map has exactly the book's municipality codes;
* :func:`county_of` gives a municipality's county (the first two digits of its code);
* :func:`quantize`, :func:`merge` and :func:`decode_arcs` are the building blocks of
  ``tools/geo.py`` (and of the tests): quantize plain arcs, stitch polygons together along their
  shared arcs, and turn arcs back into coordinates.

A topology here is the plain JSON document (``dict``); Vega-Lite reads it as
``{"values": topology, "format": {"type": "topojson", "feature": "kommuner"}}``.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

from navbok.errors import NavbokError

__all__ = [
    "ATTRIBUTION",
    "FYLKER",
    "KOMMUNER",
    "RESOURCE",
    "GeoError",
    "Topology",
    "check_codes",
    "codes",
    "county_of",
    "county_topology",
    "decode_arcs",
    "delta_encode",
    "load_topology",
    "merge",
    "names",
    "quantization_error_m",
    "quantize",
    "ring_area2",
    "subset",
]

#: The packaged topology, relative to the ``navbok`` package.
RESOURCE = "present/geo/norge-2024.topojson.json"
#: The TopoJSON objects of the packaged topology.
KOMMUNER = "kommuner"
FYLKER = "fylker"
#: The attribution every map must show (Kartverket's licence, CC BY 4.0).
ATTRIBUTION = "Kart: © Kartverket (CC BY 4.0)"

#: A TopoJSON topology as a plain JSON document.
Topology = dict[str, Any]
Point = tuple[int, int]

# Metres per degree: latitude at most 111 694 m (at the poles); longitude 111 320 m × cos(lat).
_M_PER_DEG_LAT = 111_694.0
_M_PER_DEG_LON_EQUATOR = 111_320.0


class GeoError(NavbokError):
    """The map geometry is missing, malformed or does not match the book's municipalities."""


# --------------------------------------------------------------------------------- reading


@cache
def _packaged_text() -> str:
    try:
        return resources.files("navbok").joinpath(RESOURCE).read_text("utf-8")
    except OSError as exc:
        raise GeoError(
            f"The map geometry navbok/{RESOURCE} is missing from the installed package "
            f"({exc.strerror or exc}); reinstall navbok."
        ) from None


@cache
def _packaged() -> Topology:
    doc = json.loads(_packaged_text())
    _check_topology(doc, f"navbok/{RESOURCE}")
    return doc


def load_topology() -> Topology:
    """The packaged topology (``kommuner`` and ``fylker``), read once per process.

    The same object is returned to every caller: do not change it in place (:func:`subset`
    and :func:`county_topology` return new documents)."""
    return _packaged()


def _check_topology(doc: Any, where: str) -> None:
    if not isinstance(doc, dict) or doc.get("type") != "Topology":
        raise GeoError(f"{where} is not a TopoJSON topology")
    if not isinstance(doc.get("objects"), dict) or not isinstance(doc.get("arcs"), list):
        raise GeoError(f"{where} has no objects or no arcs")


def _geometries(topology: Mapping[str, Any], obj: str) -> list[dict[str, Any]]:
    try:
        return list(topology["objects"][obj]["geometries"])
    except (KeyError, TypeError):
        raise GeoError(f"The topology has no object {obj!r}") from None


def codes(topology: Mapping[str, Any], obj: str = KOMMUNER) -> list[str]:
    """The codes (``properties.id``) of an object's geometries, sorted."""
    return sorted(str(g["properties"]["id"]) for g in _geometries(topology, obj))


def names(topology: Mapping[str, Any], obj: str = KOMMUNER) -> dict[str, str]:
    """Code → name (``properties.name``) of an object's geometries."""
    return {
        str(g["properties"]["id"]): str(g["properties"].get("name", ""))
        for g in _geometries(topology, obj)
    }


def county_of(kommune: str) -> str:
    """The county (fylkesnummer) of a municipality code: its first two digits.

    ``county_of("3201") == "32"``. Only for current (2024+) codes, as the map's."""
    code = str(kommune)
    if len(code) != 4 or not code.isdigit():
        raise GeoError(f"{kommune!r} is not a four-digit municipality code")
    return code[:2]


def _listing(found: Iterable[str], labels: Mapping[str, str]) -> str:
    return ", ".join(f"{c} {labels[c]}" if labels.get(c) else c for c in sorted(found))


def check_codes(
    topology: Mapping[str, Any],
    expected: Iterable[str],
    *,
    obj: str = KOMMUNER,
    expected_names: Mapping[str, str] | None = None,
) -> None:
    """Raise :class:`GeoError` unless the object's codes are exactly ``expected``.

    The message names every code the map has and the book does not, and every code the book
    has and the map lacks (with names where known), e.g. after a municipal reform that the
    packaged borders do not know yet.
    """
    have = set(codes(topology, obj))
    want = {str(c) for c in expected}
    if have == want:
        return
    labels = {**names(topology, obj), **(expected_names or {})}
    parts = []
    if extra := have - want:
        parts.append(
            f"the map has {len(extra)} code(s) the book does not: {_listing(extra, labels)}"
        )
    if missing := want - have:
        parts.append(f"the map lacks {len(missing)} code(s): {_listing(missing, labels)}")
    raise GeoError(
        f"The map's {obj} do not match the book's {len(want)} municipalities: "
        + "; ".join(parts)
        + ". Update the geometry (tools/geo.py) or the register."
    )


# ------------------------------------------------------------------------------- arcs


def _index(ref: int) -> int:
    """The arc an arc reference points at (``~i`` means arc ``i`` reversed)."""
    return ref if ref >= 0 else ~ref


def _refs(arcs: Any) -> Iterable[int]:
    """Every arc reference in a geometry's (nested) ``arcs``."""
    if isinstance(arcs, int):
        yield arcs
    else:
        for item in arcs:
            yield from _refs(item)


def _renumber(arcs: Any, new: Mapping[int, int]) -> Any:
    if isinstance(arcs, int):
        i = new[_index(arcs)]
        return i if arcs >= 0 else ~i
    return [_renumber(item, new) for item in arcs]


def _absolute(topology: Mapping[str, Any]) -> list[list[list[float]]]:
    """The arcs with absolute positions, in the topology's own units (integers when quantized)."""
    if "transform" not in topology:
        return [[list(p) for p in arc] for arc in topology["arcs"]]
    out = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for p in arc:
            x += p[0]
            y += p[1]
            points.append([x, y])
        out.append(points)
    return out


def decode_arcs(topology: Mapping[str, Any]) -> list[list[tuple[float, float]]]:
    """Every arc as absolute (longitude, latitude) positions (``transform`` applied)."""
    transform = topology.get("transform")
    arcs = _absolute(topology)
    if transform is None:
        return [[(float(p[0]), float(p[1])) for p in arc] for arc in arcs]
    (kx, ky), (tx, ty) = transform["scale"], transform["translate"]
    return [[(p[0] * kx + tx, p[1] * ky + ty) for p in arc] for arc in arcs]


def delta_encode(arcs: Sequence[Sequence[Sequence[int]]]) -> list[list[list[int]]]:
    """Integer arcs with absolute positions → delta-encoded (TopoJSON's quantized form)."""
    out = []
    for arc in arcs:
        px = py = 0
        coded = []
        for x, y in arc:
            coded.append([x - px, y - py])
            px, py = x, y
        out.append(coded)
    return out


def _bbox(points: Iterable[tuple[float, float]]) -> list[float]:
    xs, ys = zip(*points, strict=True)
    return [min(xs), min(ys), max(xs), max(ys)]


def quantize(
    arcs: Sequence[Sequence[Sequence[float]]], n: int, bbox: Sequence[float] | None = None
) -> tuple[dict[str, list[float]], list[list[tuple[int, int]]]]:
    """Quantize plain (longitude, latitude) arcs onto an ``n`` × ``n`` grid over ``bbox``.

    Returns the TopoJSON ``transform`` and the arcs as absolute integer positions (not yet
    delta-encoded: see :func:`delta_encode`). Consecutive positions that fall on the same grid
    point are merged; an arc keeps at least two positions, as TopoJSON requires. Shared arc
    ends stay shared, so the topology is kept. Decoding moves a position by at most
    :func:`quantization_error_m` metres.
    """
    if n < 2:
        raise ValueError(f"quantize needs n ≥ 2, got {n}")
    x0, y0, x1, y1 = bbox if bbox is not None else _bbox(p for arc in arcs for p in arc)  # type: ignore[misc]
    kx = (x1 - x0) / (n - 1) if x1 > x0 else 1.0
    ky = (y1 - y0) / (n - 1) if y1 > y0 else 1.0
    out = []
    for arc in arcs:
        points: list[tuple[int, int]] = []
        for x, y in arc:
            q = (math.floor((x - x0) / kx + 0.5), math.floor((y - y0) / ky + 0.5))
            if not points or points[-1] != q:
                points.append(q)
        if len(points) == 1:
            points.append(points[0])
        out.append(points)
    return {"scale": [kx, ky], "translate": [x0, y0]}, out


def quantization_error_m(transform: Mapping[str, Sequence[float]], min_latitude: float) -> float:
    """The largest distance (metres) between a position and its quantized one.

    Half a grid step in each direction; a longitude step is widest at the southernmost
    latitude of the map (``min_latitude``)."""
    (kx, ky) = transform["scale"]
    dx = kx / 2 * _M_PER_DEG_LON_EQUATOR * math.cos(math.radians(min_latitude))
    dy = ky / 2 * _M_PER_DEG_LAT
    return math.hypot(dx, dy)


# ------------------------------------------------------------------------------- subsets


def subset(topology: Mapping[str, Any], keep: Iterable[str], *, obj: str = KOMMUNER) -> Topology:
    """A new topology with only the municipalities ``keep`` and the arcs they use.

    The arcs are renumbered (in their old order) and the ``transform`` and ``navbok`` members
    kept, so the subset decodes to exactly the same coordinates. Geometries of other objects
    (``fylker``) are kept when every arc they use is kept (a county whose municipalities are
    all in ``keep``); the others are dropped. Raises :class:`GeoError` for a code the map
    does not have.
    """
    wanted = {str(c) for c in keep}
    geoms = _geometries(topology, obj)
    unknown = wanted - {str(g["properties"]["id"]) for g in geoms}
    if unknown:
        raise GeoError(f"The map has no {obj} {', '.join(sorted(unknown))}")
    chosen = [g for g in geoms if str(g["properties"]["id"]) in wanted]
    used = sorted({_index(r) for g in chosen for r in _refs(g.get("arcs", []))})
    new = {old: i for i, old in enumerate(used)}
    objects: dict[str, Any] = {}
    for name, collection in topology["objects"].items():
        members = chosen if name == obj else collection.get("geometries", [])
        kept = [
            {**g, "arcs": _renumber(g["arcs"], new)} if "arcs" in g else dict(g)
            for g in members
            if all(_index(r) in new for r in _refs(g.get("arcs", [])))
        ]
        objects[name] = {**collection, "geometries": kept}
    out: Topology = {"type": "Topology"}
    if "transform" in topology:
        out["transform"] = topology["transform"]
    out["objects"] = objects
    out["arcs"] = [topology["arcs"][i] for i in used]
    if used:
        out["bbox"] = _bbox(p for arc in decode_arcs(out) for p in arc)
    for key, value in topology.items():
        if key not in out and key not in ("bbox",):
            out[key] = value
    return out


def county_topology(topology: Mapping[str, Any], county: str) -> Topology:
    """The municipalities of one county (``"32"``, or a municipality code in it) and the county.

    :func:`subset` of every municipality whose :func:`county_of` is ``county``. For the
    packaged topology (:func:`load_topology`) the subset is made once per county and process
    and shared: do not change it in place."""
    county = str(county)
    if len(county) == 4:
        county = county_of(county)
    if topology is _packaged():
        return _packaged_county(county)
    return _county_subset(topology, county)


@cache
def _packaged_county(county: str) -> Topology:
    return _county_subset(_packaged(), county)


def _county_subset(topology: Mapping[str, Any], county: str) -> Topology:
    members = [c for c in codes(topology) if county_of(c) == county]
    if not members:
        raise GeoError(f"The map has no municipality in county {county}")
    return subset(topology, members)


# ----------------------------------------------------------------------- merging polygons


def ring_area2(points: Sequence[Sequence[float]]) -> float:
    """Twice the signed planar area of a closed ring (shoelace; positive = counter-clockwise
    with y up). Exact for integer positions."""
    total: float = 0
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        total += x0 * y1 - x1 * y0
    return total


def _ring_points(refs: Sequence[int], arcs: Sequence[Sequence[Sequence[int]]]) -> list[Point]:
    out: list[Point] = []
    for k, ref in enumerate(refs):
        arc = arcs[_index(ref)]
        pts = [tuple(p) for p in (arc if ref >= 0 else arc[::-1])]
        out.extend(pts if k == 0 else pts[1:])  # type: ignore[arg-type]
    return out


def _contains(ring: Sequence[Point], point: Point) -> bool:
    """Even-odd point-in-polygon test (a point on the boundary may go either way)."""
    x, y = point
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def _polygons(geometry: Mapping[str, Any]) -> list[list[list[int]]]:
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["arcs"]]
    if kind == "MultiPolygon":
        return list(geometry["arcs"])
    raise GeoError(f"Cannot merge a {kind} geometry (only Polygon and MultiPolygon)")


def merge(
    geometries: Sequence[Mapping[str, Any]], arcs: Sequence[Sequence[Sequence[int]]]
) -> dict[str, Any]:
    """The union of some polygons of a topology, made of the same arcs (as TopoJSON's merge).

    ``arcs`` are the topology's arcs with absolute positions (integers: quantized, not
    delta-encoded). An arc that two of the polygons share is inside the union and left out;
    the arcs used once are joined end to end into rings. A ring turning the same way as the
    input's outer rings is an outer ring, the others are holes, each put into the smallest
    outer ring around it. Returns a ``Polygon`` or ``MultiPolygon`` (arc references only).
    """
    polygons = [p for g in geometries for p in _polygons(g)]
    if not polygons:
        raise GeoError("Nothing to merge")
    count: dict[int, int] = defaultdict(int)
    for polygon in polygons:
        for ring in polygon:
            for ref in ring:
                count[_index(ref)] += 1
    boundary = [r for p in polygons for ring in p for r in ring if count[_index(r)] == 1]

    def ends(ref: int) -> tuple[Point, Point]:
        arc = arcs[_index(ref)]
        a, b = tuple(arc[0]), tuple(arc[-1])
        return (a, b) if ref >= 0 else (b, a)  # type: ignore[return-value]

    starting: dict[Point, list[int]] = defaultdict(list)
    for ref in boundary:
        starting[ends(ref)[0]].append(ref)
    used: set[int] = set()
    rings: list[list[int]] = []
    for first in boundary:
        if first in used:
            continue
        used.add(first)
        ring, start, end = [first], ends(first)[0], ends(first)[1]
        while end != start:
            step = next((r for r in starting[end] if r not in used), None)
            if step is None:
                raise GeoError(f"The polygons' boundary is not closed at {end}")
            used.add(step)
            ring.append(step)
            end = ends(step)[1]
        rings.append(ring)

    # Which way outer rings turn in the input (the first polygon's first ring).
    outer_sign = math.copysign(1, ring_area2(_ring_points(polygons[0][0], arcs)) or 1)
    points = [_ring_points(r, arcs) for r in rings]
    areas = [ring_area2(p) for p in points]
    outer = [i for i, a in enumerate(areas) if a == 0 or math.copysign(1, a) == outer_sign]
    result: dict[int, list[list[int]]] = {i: [rings[i]] for i in outer}
    for i in range(len(areas)):
        if i in result:
            continue
        around = [o for o in outer if _contains(points[o], points[i][0])]
        if not around:
            raise GeoError(f"A hole of the merged polygons (ring {i}) lies in no outer ring")
        result[min(around, key=lambda o: abs(areas[o]))].append(rings[i])
    merged = [result[i] for i in outer]
    if len(merged) == 1:
        return {"type": "Polygon", "arcs": merged[0]}
    return {"type": "MultiPolygon", "arcs": merged}
