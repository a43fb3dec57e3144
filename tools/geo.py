"""Convert Kartverket's municipality borders into navbok's compact packaged topology.

    .venv/bin/python tools/geo.py [--source ../shared/geo] [--out src/navbok/present/geo/...]

Reads ``kommuner-2024-S.topojson`` (object ``Kommuner``, properties ``kommunenummer`` and
``kommunenavn``) and ``fylker-2024-S.topojson`` (object ``Fylker``: only its codes and names are
used) and writes ONE topology with

* ``kommuner``: the 357 municipalities, properties reduced to ``id`` (code) and ``name``, rings
  turned to d3-geo's winding (outer rings clockwise; the source follows RFC 7946);
* ``fylker``: the 15 counties, each the exact union of its municipalities (the first two digits
  of a municipality code are its county), made of the same arcs — so county and municipality
  borders coincide, and the county file's own, differently simplified arcs are not carried;
* a ``transform`` and delta-encoded integer arcs on a :data:`QUANTIZATION` × QUANTIZATION grid
  over the bounding box (the largest displacement is printed and written into the file);
* a ``navbok`` member with the provenance (source, licence, attribution, origin, quantization).

The output is deterministic (same input, same bytes): geometries sorted by code, arcs in the
source's order, one arc per line. Run once by a developer; the output file is committed.
Checks before writing: every county's merged area equals the sum of its municipalities' areas
exactly (integer shoelace), the codes equal the source's, and the codes of the counties equal
the county file's.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from navbok.geo import (
    ATTRIBUTION,
    FYLKER,
    KOMMUNER,
    RESOURCE,
    county_of,
    delta_encode,
    merge,
    quantization_error_m,
    quantize,
    ring_area2,
)

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = ROOT.parent / "shared" / "geo"
OUT = ROOT / "src" / "navbok" / RESOURCE
KOMMUNER_FILE = "kommuner-2024-S.topojson"
FYLKER_FILE = "fylker-2024-S.topojson"
#: Grid size: 40 000 steps over 26.7° of longitude and 13.2° of latitude (about 39 m × 37 m
#: cells), so a position moves by at most ~27 m.
QUANTIZATION = 40_000
#: The largest displacement accepted (metres).
MAX_ERROR_M = 50.0
ORIGIN = "robhop/fylker-og-kommuner ae87825"
SOURCE = (
    "Kartverket, Administrative enheter (kommuner og fylker) 2024, klippet mot kystlinjen og "
    "forenklet (S), fra robhop/fylker-og-kommuner (Kommuner-S.topojson, Fylker-S.topojson)"
)


def _area2(geometry: dict[str, Any], arcs: list[list[tuple[int, int]]]) -> int:
    """Twice the area of a (Multi)Polygon in grid units: outer rings minus holes."""
    polys = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
    total = 0
    for poly in polys:
        for ring in poly:
            total += _ring_area2(ring, arcs)
    return total


def _reverse(ring: list[int]) -> list[int]:
    """The same ring the other way round (arcs in reverse order, each reversed)."""
    return [~ref for ref in reversed(ring)]


def _clockwise(geometry: dict[str, Any], arcs: list[list[tuple[int, int]]]) -> Any:
    """A (Multi)Polygon's arcs with outer rings clockwise and holes counter-clockwise (x east,
    y north), the winding d3-geo (and so Vega) reads as "the inside is the small part". The
    source follows RFC 7946 (outer rings counter-clockwise): d3 would fill the whole globe
    except each municipality. A degenerate (zero-area) ring is kept as it is."""
    polys = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
    out = []
    for poly in polys:
        fixed = []
        for k, ring in enumerate(poly):
            area = _ring_area2(ring, arcs)
            wrong = area > 0 if k == 0 else area < 0
            fixed.append(_reverse(ring) if wrong else list(ring))
        out.append(fixed)
    return out[0] if geometry["type"] == "Polygon" else out


def _ring_area2(ring: list[int], arcs: list[list[tuple[int, int]]]) -> int:
    pts: list[tuple[int, int]] = []
    for k, ref in enumerate(ring):
        arc = arcs[ref if ref >= 0 else ~ref]
        seq = arc if ref >= 0 else arc[::-1]
        pts.extend(seq if k == 0 else seq[1:])
    return int(ring_area2(pts))


def convert(source_dir: Path, n: int = QUANTIZATION) -> tuple[dict[str, Any], float]:
    """The packaged topology from the two source files, and its largest displacement (m)."""
    kommuner = json.loads((source_dir / KOMMUNER_FILE).read_text("utf-8"))
    fylker = json.loads((source_dir / FYLKER_FILE).read_text("utf-8"))
    if "transform" in kommuner:
        sys.exit(f"{KOMMUNER_FILE} is already quantized; this tool expects plain coordinates")
    bbox = kommuner.get("bbox")
    transform, arcs = quantize(kommuner["arcs"], n, bbox)
    error = quantization_error_m(transform, transform["translate"][1])

    geoms = []
    for g in kommuner["objects"]["Kommuner"]["geometries"]:
        props = g["properties"]
        code, name = str(props["kommunenummer"]), str(props["kommunenavn"])
        rings = _clockwise(g, arcs)
        geoms.append({"type": g["type"], "arcs": rings, "properties": {"id": code, "name": name}})
    geoms.sort(key=lambda g: g["properties"]["id"])
    if len({g["properties"]["id"] for g in geoms}) != len(geoms):
        sys.exit(f"{KOMMUNER_FILE}: a municipality code occurs twice")

    county_names = {
        str(g["properties"]["fylkesnummer"]): str(g["properties"]["fylkesnavn"])
        for g in fylker["objects"]["Fylker"]["geometries"]
    }
    members: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for g in geoms:
        members[county_of(g["properties"]["id"])].append(g)
    if set(members) != set(county_names):
        sys.exit(
            f"Counties from municipality codes {sorted(members)} differ from {FYLKER_FILE}'s "
            f"{sorted(county_names)}"
        )
    counties = []
    for code in sorted(members):
        union = merge(members[code], arcs)
        if _area2(union, arcs) != sum(_area2(g, arcs) for g in members[code]):
            sys.exit(f"County {code}: the merged area differs from its municipalities' sum")
        counties.append({**union, "properties": {"id": code, "name": county_names[code]}})

    xs = [p[0] for arc in kommuner["arcs"] for p in arc]
    ys = [p[1] for arc in kommuner["arcs"] for p in arc]
    doc = {
        "type": "Topology",
        "navbok": {
            "source": SOURCE,
            "licence": "CC BY 4.0",
            "attribution": ATTRIBUTION,
            "origin": ORIGIN,
            "quantization": {
                "grid": n,
                "max_error_m": round(error, 1),
                "note": (
                    f"Positions quantized to a {n} × {n} grid over the bounding box; each moves "
                    f"by at most {error:.0f} m. Counties are unions of the municipalities."
                ),
            },
            "made_by": "tools/geo.py",
        },
        "bbox": [min(xs), min(ys), max(xs), max(ys)],
        "transform": transform,
        "objects": {
            KOMMUNER: {"type": "GeometryCollection", "geometries": geoms},
            FYLKER: {"type": "GeometryCollection", "geometries": counties},
        },
        "arcs": delta_encode(arcs),
    }
    return doc, error


def dumps(doc: dict[str, Any]) -> str:
    """Compact JSON with one arc per line (readable diffs), deterministic."""

    def compact(obj: Any) -> str:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)

    head = ",\n".join(f"{compact(k)}:{compact(v)}" for k, v in doc.items() if k != "arcs")
    arcs = ",\n".join(compact(arc) for arc in doc["arcs"])
    return "{" + head + ',\n"arcs":[\n' + arcs + "\n]}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=SOURCE_DIR)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("-n", "--quantization", type=int, default=QUANTIZATION)
    args = parser.parse_args(argv)
    doc, error = convert(args.source, args.quantization)
    if error > MAX_ERROR_M:
        sys.exit(f"Quantization {args.quantization} moves positions by {error:.0f} m > 50 m")
    text = dumps(doc)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, "utf-8")
    kommuner = len(doc["objects"][KOMMUNER]["geometries"])
    fylker = len(doc["objects"][FYLKER]["geometries"])
    print(
        f"{args.out}: {len(text.encode()):,} bytes; {kommuner} kommuner, {fylker} fylker, "
        f"{len(doc['arcs'])} arcs, {sum(len(a) for a in doc['arcs']):,} positions; "
        f"max error {error:.1f} m"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
