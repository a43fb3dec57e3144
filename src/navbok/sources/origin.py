"""Where responses come from: the live services, or a directory of recorded responses.

Both give the same :class:`~navbok.sources.base.RawResponse` objects with the same names, so the
snapshot and every parser downstream run the same code for both. A recorded directory is laid
out like ``../shared/replay`` (and like a navbok snapshot)::

    ssb/<table>.json  or  ssb/<table>_part<k>.json
    klass/131-codesAt-<date>.json, klass/131-changes-<from>-<to>.json,
    klass/kostragrupper-<year>.json
    nav/aap-kommune-<yyyy-mm>.csv
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Protocol

from navbok.errors import SourceError
from navbok.sources import klass, nav
from navbok.sources.base import RawResponse

ENV_VAR = "NAVBOK_SOURCE"


def codes_at_name(date: str) -> str:
    """Snapshot path of the register valid on ``date``."""
    return f"klass/131-codesAt-{date}.json"


def changes_name(date_from: str, date_to: str) -> str:
    """Snapshot path of the code changes between two dates."""
    return f"klass/131-changes-{date_from}-{date_to}.json"


def kostra_groups_name(year: int) -> str:
    """Snapshot path of the KOSTRA-group assignment of a scheme year."""
    return f"klass/kostragrupper-{year}.json"


def aap_name(period: str) -> str:
    """Snapshot path of NAV's AAP table for a month ``YYYY-MM``."""
    return f"nav/aap-kommune-{period}.csv"


def ssb_part_names(root: Path, table: str) -> list[str]:
    """The files of one SSB table in a directory: ``<table>.json`` or its ``_part<k>`` chunks."""
    whole = root / "ssb" / f"{table}.json"
    pattern = re.compile(rf"{re.escape(table)}_part(\d+)\.json")
    parts = sorted(
        (int(m.group(1)), p.name)
        for p in (root / "ssb").glob(f"{table}_part*.json")
        if (m := pattern.fullmatch(p.name))
    )
    names = [f"ssb/{name}" for _, name in parts]
    if whole.exists():
        names.insert(0, f"ssb/{table}.json")
    return names


class Source(Protocol):
    """Anything that can deliver navbok's raw responses."""

    description: str

    def ssb_table(self, table: str, selection: dict[str, Any]) -> list[RawResponse]:
        """All chunks of one SSB table."""

    def codes_at(self, date: str) -> RawResponse:
        """The municipality register valid on a date."""

    def changes(self, date_from: str, date_to: str) -> RawResponse:
        """Municipality code changes between two dates."""

    def kostra_groups(self, year: int) -> RawResponse:
        """The KOSTRA-group assignment of a scheme year."""

    def aap(self, period: str) -> RawResponse:
        """NAV's AAP recipients by municipality for a month."""


class RecordedSource:
    """Responses recorded earlier, read from a directory (``NAVBOK_SOURCE=DIR``)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        if not self.root.is_dir():
            raise SourceError(f"Recorded-response directory {self.root} does not exist")
        self.description = f"opptak i {self.root}"

    def _read(self, name: str, what: str) -> RawResponse:
        path = self.root / name
        if not path.is_file():
            raise SourceError(f"{what}: {path} is missing from the recorded-response directory")
        return RawResponse(name=name, content=path.read_bytes(), origin=f"file:{path.resolve()}")

    def ssb_table(self, table: str, selection: dict[str, Any]) -> list[RawResponse]:
        """All recorded chunks of an SSB table (the selection is the whole recorded table)."""
        names = ssb_part_names(self.root, table)
        if not names:
            raise SourceError(
                f"SSB table {table}: no ssb/{table}.json or ssb/{table}_part<k>.json in {self.root}"
            )
        return [self._read(n, f"SSB table {table}") for n in names]

    def codes_at(self, date: str) -> RawResponse:
        """Recorded KLASS codesAt body."""
        return self._read(codes_at_name(date), f"KLASS register at {date}")

    def changes(self, date_from: str, date_to: str) -> RawResponse:
        """Recorded KLASS changes body."""
        return self._read(changes_name(date_from, date_to), "KLASS code changes")

    def kostra_groups(self, year: int) -> RawResponse:
        """Recorded KOSTRA-group assignment."""
        return self._read(kostra_groups_name(year), f"KOSTRA groups {year}")

    def aap(self, period: str) -> RawResponse:
        """Recorded NAV AAP table."""
        return self._read(aap_name(period), f"NAV AAP {period}")


class LiveSource:
    """The live services: SSB PxWebApi v2, SSB KLASS and NAV."""

    def __init__(self, pxweb_base: str | None = None, http: Any = None) -> None:
        from navbok.sources.http import HttpClient
        from navbok.sources.pxweb import PxWebClient

        self.http = http or HttpClient()
        kwargs = {"base_url": pxweb_base} if pxweb_base else {}
        self.pxweb = PxWebClient(http=self.http, **kwargs)
        self.description = "SSB og NAV (direkte)"

    def _get(self, name: str, url: str, query: dict[str, str], what: str) -> RawResponse:
        content = self.http.get_bytes(url, params=query, what=what)
        return RawResponse(name=name, content=content, origin=url, query=query)

    def ssb_table(self, table: str, selection: dict[str, Any]) -> list[RawResponse]:
        """Download a whole SSB table, in chunks under the cell limit."""
        return self.pxweb.fetch_table(table, selection or None)

    def codes_at(self, date: str) -> RawResponse:
        """KLASS codesAt."""
        url, query = klass.codes_at_url(date)
        return self._get(codes_at_name(date), url, query, f"KLASS register at {date}")

    def changes(self, date_from: str, date_to: str) -> RawResponse:
        """KLASS changes."""
        url, query = klass.changes_url(date_from, date_to)
        return self._get(changes_name(date_from, date_to), url, query, "KLASS code changes")

    def kostra_groups(self, year: int) -> RawResponse:
        """KLASS correspondsAt for KOSTRA groups."""
        url, query = klass.kostra_groups_url(year)
        return self._get(kostra_groups_name(year), url, query, f"KOSTRA groups {year}")

    def aap(self, period: str) -> RawResponse:
        """NAV's AAP table."""
        url, query = nav.aap_url(period)
        return self._get(aap_name(period), url, query, f"NAV AAP {period}")


def default_source(from_dir: str | os.PathLike[str] | None = None) -> Source:
    """``--from DIR``, else ``$NAVBOK_SOURCE``, else the live services."""
    chosen = from_dir or os.environ.get(ENV_VAR)
    if chosen:
        return RecordedSource(chosen)
    return LiveSource()
