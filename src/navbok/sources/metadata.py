"""A table's metadata body (PxWebApi v2 ``/tables/{id}/metadata``): what the table holds.

The body is a JSON-stat 2.0 dataset without ``value``: every dimension with its categories and
labels, the ContentsCode units (``base``, ``decimals``), the table's title (``label``), when it
was last ``updated``, its notes and roles. navbok reads labels, units and years from here and
never guesses a ContentsCode.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from navbok.errors import ParseError
from navbok.sources.jsonstat import SYNTHETIC_NOTE_PREFIX


@dataclass(frozen=True)
class TableMetadata:
    """What one SSB table holds, read from its metadata body."""

    table: str
    title: str
    updated: str
    dims: list[str]
    codes: dict[str, list[str]]
    labels: dict[str, dict[str, str]]
    units: dict[str, dict[str, Any]]
    roles: dict[str, list[str]]
    notes: list[str] = field(default_factory=list)
    synthetic: bool = False

    def role(self, name: str, default: str) -> str:
        """The first dimension with a role (``time``, ``geo``, ``metric``), or ``default``."""
        ids = [d for d in self.roles.get(name, []) if d in self.codes]
        return ids[0] if ids else default

    @property
    def metric(self) -> str:
        """The contents dimension (``ContentsCode``)."""
        return self.role("metric", "ContentsCode")

    @property
    def time(self) -> str:
        """The time dimension (``Tid``)."""
        return self.role("time", "Tid")

    @property
    def contents(self) -> dict[str, str]:
        """ContentsCode → label, in the table's order."""
        return {c: self.labels[self.metric].get(c, c) for c in self.codes.get(self.metric, [])}

    @property
    def years(self) -> list[int]:
        """The table's years, each once (a monthly table's ``2025M01`` … count as 2025)."""
        return sorted({int(t[:4]) for t in self.codes.get(self.time, []) if t[:4].isdigit()})

    @property
    def newest_period(self) -> str:
        """The table's newest time code (``2024``, ``2026M01``; ``""`` when it has none)."""
        periods = [t for t in self.codes.get(self.time, []) if t[:4].isdigit()]
        return max(periods, default="")

    @property
    def short_title(self) -> str:
        """The title without the leading table number («13995: …» → «…»)."""
        head, sep, rest = self.title.partition(": ")
        return rest if sep and head.strip() == self.table else self.title


def _codes(dim_id: str, dim: Mapping[str, Any], where: str) -> list[str]:
    category = dim.get("category")
    if not isinstance(category, Mapping):
        raise ParseError(f"{where}: dimension {dim_id!r} has no 'category'")
    index = category.get("index")
    if index is None:
        return [str(c) for c in (category.get("label") or {})]
    if isinstance(index, Mapping):
        return [str(c) for c, _ in sorted(index.items(), key=lambda kv: int(kv[1]))]
    if isinstance(index, list):
        return [str(c) for c in index]
    raise ParseError(f"{where}: dimension {dim_id!r}: 'index' must be an object or an array")


def parse_metadata(
    body: bytes | str | Mapping[str, Any], table: str, *, where: str = ""
) -> TableMetadata:
    """Read a metadata body (bytes, text or a parsed dict) of SSB table ``table``."""
    where = where or f"metadata of SSB table {table}"
    doc: Any = body
    if isinstance(body, bytes | str):
        try:
            doc = json.loads(body)
        except ValueError as exc:
            raise ParseError(f"{where}: not valid JSON ({exc})") from exc
    if not isinstance(doc, Mapping):
        raise ParseError(f"{where}: expected a JSON object")
    try:
        dims = [str(d) for d in doc["id"]]
        sizes = [int(s) for s in doc["size"]]
        dimensions = doc["dimension"]
        codes = {d: _codes(d, dimensions[d], where) for d in dims}
    except (KeyError, TypeError, ValueError) as exc:
        raise ParseError(f"{where}: not a JSON-stat 2.0 metadata body (missing {exc})") from exc
    if len(dims) != len(sizes):
        raise ParseError(f"{where}: 'id' and 'size' differ in length")
    for d, n in zip(dims, sizes, strict=True):
        if len(codes[d]) != n:
            raise ParseError(f"{where}: dimension {d} lists {len(codes[d])} codes, size says {n}")
    labels: dict[str, dict[str, str]] = {}
    units: dict[str, dict[str, Any]] = {}
    for d in dims:
        category = dimensions[d]["category"]
        raw = category.get("label") or {}
        labels[d] = {c: str(raw.get(c, c)) for c in codes[d]}
        units.update({str(k): dict(v) for k, v in (category.get("unit") or {}).items()})
    notes = doc.get("note") or []
    notes = [notes] if isinstance(notes, str) else [str(n) for n in notes]
    extension = doc.get("extension") or {}
    synthetic = bool(extension.get("synthetic") is True) or any(
        n.startswith(SYNTHETIC_NOTE_PREFIX) for n in notes
    )
    roles = {str(k): [str(x) for x in v] for k, v in (doc.get("role") or {}).items()}
    return TableMetadata(
        table=table,
        title=str(doc.get("label", "")),
        updated=str(doc.get("updated", "")),
        dims=dims,
        codes=codes,
        labels=labels,
        units=units,
        roles=roles,
        notes=notes,
        synthetic=synthetic,
    )


def is_preliminary(updated: str, newest_year: int) -> bool:
    """Whether a table updated on ``updated`` (ISO date) holds unrevised figures for its newest
    year ``newest_year``.

    KOSTRA publishes unrevised figures for year Y on 15 March of Y + 1 and revised ones on
    15 June; the API does not flag them. So a table whose newest year is Y and that was last
    updated from 15 March up to (not including) 15 June of Y + 1 holds preliminary figures
    («foreløpige tall») for Y. A discontinued table (newest year further back) does not.
    """
    if len(updated) < 10 or not updated[:4].isdigit():
        return False
    if int(updated[:4]) != newest_year + 1:
        return False
    return "03-15" <= updated[5:10] < "06-15"
