"""SSB table 14700 «Konsumprisindeks (KPI), etter vare- og tjenestegruppe», CONSTRUCTED for tests.

No live response of 14700 is stored anywhere (the recording in ../shared/replay-v2 has no price
table): these bodies are made here, in the JSON-stat 2.0 shape of the recorded metadata and data
bodies (``ssb/<id>.metadata.json`` = the dataset without ``value`` and ``status``), after what
SOURCES.md §5 says of the real table: monthly ``Tid`` (``2025M01``), the dimension
``VareTjenesteGrp`` with the total ``00``, a monthly index and a 12-month change, no annual
average. The index content's code here is NOT SSB's (``KpiIndMnd`` is unverified): navbok must
find it by its label «Konsumprisindeks (2025=100)».

``write_kpi(root, values)`` adds ``ssb/14700.json`` and ``ssb/14700.metadata.json`` to a
recorded-response directory (e.g. one made by ``minireplay.build_minireplay``).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

TABLE = "14700"
#: The index content's code in these fixtures: deliberately not SSB's (unverified) code.
INDEX_CODE = "XKpiIndeksTest"
CONTENTS = {
    INDEX_CODE: ("Konsumprisindeks (2025=100)", "indeks", 1),
    "XTolvmnd": ("12-måneders endring (prosent)", "prosent", 1),
    "XMaanedsendring": ("Månedsendring (prosent)", "prosent", 1),
}
GROUPS = {"00": "Totalindeks", "01": "Matvarer og alkoholfrie drikkevarer"}
NOTE = "SYNTETISKE DATA: laget av tests/kpi14700.py for tester, ikke SSB-tall."


def months(first: str, last: str) -> list[str]:
    """Month codes from ``first`` to ``last`` inclusive (``2023M11`` … ``2024M02``)."""
    y, m = int(first[:4]), int(first[5:])
    out = []
    while f"{y}M{m:02d}" <= last:
        out.append(f"{y}M{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def kpi_dataset(
    values: Mapping[str, float | None],
    *,
    updated: str = "2025-06-10T06:00:00Z",
    synthetic: bool = True,
) -> dict[str, Any]:
    """A 14700 data body: the total group ``00`` has ``values`` (month code → index; None is a
    missing month), group ``01`` has 1.5 × them (so that a reader that ignores the group is
    caught), the change contents hold 0.5."""
    periods = sorted(values)
    dims = {"VareTjenesteGrp": list(GROUPS), "ContentsCode": list(CONTENTS), "Tid": periods}
    cells: list[float | None] = []
    status: dict[str, str] = {}
    for i, (group, content, tid) in enumerate(itertools.product(*dims.values())):
        v = values[tid]
        if v is None:
            cells.append(None)
            status[str(i)] = ".."
        elif content != INDEX_CODE:
            cells.append(0.5)
        else:
            cells.append(round(v * (1.5 if group == "01" else 1.0), 3))
    labels = {"VareTjenesteGrp": GROUPS, "ContentsCode": {c: v[0] for c, v in CONTENTS.items()}}
    dimension = {
        d: {
            "label": d,
            "category": {
                "index": {c: i for i, c in enumerate(codes)},
                "label": {c: labels.get(d, {}).get(c, c) for c in codes},
            },
            "extension": {"elimination": d == "VareTjenesteGrp"},
        }
        for d, codes in dims.items()
    }
    dimension["ContentsCode"]["category"]["unit"] = {
        c: {"base": unit, "decimals": dec} for c, (_, unit, dec) in CONTENTS.items()
    }
    doc: dict[str, Any] = {
        "version": "2.0",
        "class": "dataset",
        "label": f"{TABLE}: Konsumprisindeks (KPI), etter vare- og tjenestegruppe, "
        "statistikkvariabel og måned",
        "source": "Statistisk sentralbyrå",
        "updated": updated,
        "note": [NOTE] if synthetic else [],
        "role": {"time": ["Tid"], "metric": ["ContentsCode"]},
        "id": list(dims),
        "size": [len(c) for c in dims.values()],
        "dimension": dimension,
        "extension": {"synthetic": synthetic, "px": {"tableid": TABLE, "decimals": 1}},
        "value": cells,
    }
    if status:
        doc["status"] = status
    return doc


def metadata(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The metadata body of a data body: the same dataset without ``value`` and ``status``."""
    return {k: v for k, v in doc.items() if k not in ("value", "status")}


def write_kpi(root: Path, values: Mapping[str, float | None], **kwargs: Any) -> Path:
    """Add a constructed 14700 (data and metadata bodies) to the recorded directory ``root``."""
    doc = kpi_dataset(values, **kwargs)
    ssb = Path(root) / "ssb"
    ssb.mkdir(parents=True, exist_ok=True)
    for name, body in ((f"{TABLE}.json", doc), (f"{TABLE}.metadata.json", metadata(doc))):
        (ssb / name).write_text(json.dumps(body, ensure_ascii=False), "utf-8")
    return Path(root)


def steady(first: str, last: str, start: float = 100.0, step: float = 0.25) -> dict[str, float]:
    """An index rising by ``step`` a month from ``start`` (``first`` … ``last``)."""
    return {p: start + step * i for i, p in enumerate(months(first, last))}
