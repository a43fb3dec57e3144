"""Where responses come from: the live services, or a directory of recorded responses.

Both give the same :class:`~navbok.sources.base.RawResponse` objects with the same names
(:mod:`navbok.sources.names`), so the snapshot and every parser downstream run the same code for
both. A recorded directory is laid out like ``../shared/replay-v2``: ``ssb/<table>.metadata.json``
beside the data ``ssb/<table>.json`` (or ``_part<k>`` chunks), ``klass/…`` bodies, and NAV's AAP
page ``nav/aap-statistikk.html`` with the workbook at the path its link names.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

from navbok.errors import ParseError, SourceError
from navbok.sources import jsonstat, nav
from navbok.sources.base import RawResponse
from navbok.sources.names import (
    AAP155_CURRENT,
    changes_name,
    codes_at_name,
    kostra_groups_name,
    ssb_data_name,
    ssb_metadata_name,
)

ENV_VAR = "NAVBOK_SOURCE"
#: Where a recorded directory keeps NAV's AAP statistics page.
RECORDED_AAP_PAGE = "nav/aap-statistikk.html"

Selection = Mapping[str, Sequence[str] | str]


def ssb_part_names(root: Path, table: str) -> list[str]:
    """The data files of one SSB table in a directory: ``<table>.json`` or its chunks."""
    pattern = re.compile(rf"{re.escape(table)}_part(\d+)\.json")
    parts = sorted(
        (int(m.group(1)), p.name)
        for p in (root / "ssb").glob(f"{table}_part*.json")
        if (m := pattern.fullmatch(p.name))
    )
    names = [f"ssb/{name}" for _, name in parts]
    if (root / ssb_data_name(table)).exists():
        names.insert(0, ssb_data_name(table))
    return names


class Source(Protocol):
    """Anything that can deliver navbok's raw responses."""

    description: str

    def ssb_metadata(self, table: str) -> RawResponse:
        """The metadata body of an SSB table."""

    def ssb_table(
        self, table: str, selection: Selection, meta_body: bytes | None = None
    ) -> list[RawResponse]:
        """All chunks of one SSB table for a selection (``*``, ``from(X)`` or codes)."""

    def codes_at(self, date: str) -> RawResponse:
        """The municipality register valid on a date."""

    def changes(self, date_from: str, date_to: str) -> RawResponse:
        """Municipality code changes between two dates."""

    def kostra_groups(self, date: str) -> RawResponse:
        """KOSTRA groups (KLASS 112 → 131) valid on a date."""

    def aap155(self) -> RawResponse:
        """NAV's current AAP155 workbook (found on NAV's AAP statistics page)."""

    def ssb_table_info(self, table: str) -> dict[str, str]:
        """SSB's ``GET /tables/{id}`` without data: ``updated``, ``firstPeriod``,
        ``lastPeriod`` (what ``navbok oppdater`` compares)."""

    def aap155_href(self) -> str:
        """The link to the current AAP155 workbook on NAV's page (the page only)."""


class RecordedSource:
    """Responses recorded earlier, read from a directory (``NAVBOK_SOURCE=DIR``).

    A data request is answered as the service would: the recorded table cut to the selection.
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        if not self.root.is_dir():
            raise SourceError(f"Recorded-response directory {self.root} does not exist")
        self.description = f"opptak i {self.root}"

    def _read(self, name: str, what: str) -> RawResponse:
        path = self.root / name
        if not path.is_file():
            raise SourceError(
                f"{what}: {path} is missing from the recorded-response directory (a recording "
                "in the layout of ../shared/replay-v2 is needed)"
            )
        return RawResponse(name=name, content=path.read_bytes(), origin=f"file:{path.resolve()}")

    def ssb_metadata(self, table: str) -> RawResponse:
        """The recorded metadata body."""
        return self._read(ssb_metadata_name(table), f"Metadata of SSB table {table}")

    def ssb_table(
        self, table: str, selection: Selection, meta_body: bytes | None = None
    ) -> list[RawResponse]:
        """The recorded chunks of an SSB table, cut to the selection."""
        from navbok.sources.pxweb import parse_metadata, resolve_selection

        names = ssb_part_names(self.root, table)
        if not names:
            raise SourceError(
                f"SSB table {table}: no ssb/{table}.json or ssb/{table}_part<k>.json in {self.root}"
            )
        body = meta_body if meta_body is not None else self.ssb_metadata(table).content
        meta = parse_metadata(table, json.loads(body), ssb_metadata_name(table))
        wanted = resolve_selection(meta, selection)
        out: list[RawResponse] = []
        for name in names:
            raw = self._read(name, f"SSB table {table}")
            try:
                doc = jsonstat.loads(raw.content, where=name)
            except (ValueError, ParseError):
                out.append(raw)  # the parser downstream names the broken file
                continue
            sub = jsonstat.subset(doc, wanted, where=name)
            if sub is None:
                continue
            content = json.dumps(sub, ensure_ascii=False).encode("utf-8")
            query = {dim: ",".join(codes) for dim, codes in selection_query(selection).items()}
            out.append(RawResponse(name=name, content=content, origin=raw.origin, query=query))
        if len(out) == 1 and out[0].name != ssb_data_name(table):
            only = out[0]
            out = [RawResponse(ssb_data_name(table), only.content, only.origin, only.query)]
        return out

    def codes_at(self, date: str) -> RawResponse:
        """Recorded KLASS codesAt body."""
        return self._read(codes_at_name(date), f"KLASS register at {date}")

    def changes(self, date_from: str, date_to: str) -> RawResponse:
        """Recorded KLASS changes body."""
        return self._read(changes_name(date_from, date_to), "KLASS code changes")

    def kostra_groups(self, date: str) -> RawResponse:
        """Recorded KOSTRA groups (KLASS 112 → 131 correspondsAt)."""
        return self._read(kostra_groups_name(date), f"KOSTRA groups {date}")

    def ssb_table_info(self, table: str) -> dict[str, str]:
        """The recorded ``ssb/<table>.table.json`` (SSB's ``/tables/{id}``), else what the
        recorded metadata says: its ``updated`` and its first and last period."""
        path = self.root / "ssb" / f"{table}.table.json"
        if path.is_file():
            return table_info(json.loads(path.read_bytes()))
        meta = json.loads(self.ssb_metadata(table).content)
        return table_info_from_metadata(meta)

    def aap155_href(self) -> str:
        """The workbook link on the recorded AAP page."""
        page = self._read(RECORDED_AAP_PAGE, "NAV's AAP statistics page")
        return nav.find_workbook_href(page.content, where=str(self.root / RECORDED_AAP_PAGE))

    def aap155(self) -> RawResponse:
        """The workbook that the recorded AAP page links."""
        page = self._read(RECORDED_AAP_PAGE, "NAV's AAP statistics page")
        href = nav.find_workbook_href(page.content, where=str(self.root / RECORDED_AAP_PAGE))
        book = self._read(nav.recorded_workbook_path(href), "NAV AAP155 workbook")
        return RawResponse(
            name=AAP155_CURRENT,
            content=book.content,
            origin=book.origin,
            query={"page": page.origin, "href": href},
        )


def table_info(doc: Mapping[str, object]) -> dict[str, str]:
    """``updated``, ``firstPeriod``, ``lastPeriod`` of SSB's ``/tables/{id}`` answer."""
    return {k: str(doc.get(k) or "") for k in ("updated", "firstPeriod", "lastPeriod")}


def table_info_from_metadata(meta: Mapping[str, object]) -> dict[str, str]:
    """The same from a table's JSON-stat metadata (``updated``, the ``Tid`` dimension)."""
    periods: list[str] = []
    dims = meta.get("dimension")
    if isinstance(dims, dict):
        index = (dims.get("Tid") or {}).get("category", {}).get("index", {})
        periods = sorted(index, key=lambda k: index[k]) if isinstance(index, dict) else list(index)
    return {
        "updated": str(meta.get("updated") or ""),
        "firstPeriod": periods[0] if periods else "",
        "lastPeriod": periods[-1] if periods else "",
    }


def selection_query(selection: Selection) -> dict[str, list[str]]:
    """A selection as lists of codes or expressions (for the manifest)."""
    return {k: [v] if isinstance(v, str) else [str(x) for x in v] for k, v in selection.items()}


def default_source(from_dir: str | os.PathLike[str] | None = None) -> Source:
    """``--from DIR``, else ``$NAVBOK_SOURCE``, else the live services."""
    chosen = from_dir or os.environ.get(ENV_VAR)
    if chosen:
        return RecordedSource(chosen)
    from navbok.sources.live import LiveSource

    return LiveSource()
