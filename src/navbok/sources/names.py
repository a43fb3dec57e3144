"""Where each response lives inside a snapshot or a recorded directory (one naming for both).

The layout follows the recording in ``../shared/replay-v2`` (and a navbok snapshot)::

    ssb/<table>.metadata.json                    GET /tables/<table>/metadata?lang=no
    ssb/<table>.json | ssb/<table>_part<k>.json  GET|POST /tables/<table>/data (chunks along Tid)
    klass/131-codesAt-<date>.json                GET /classifications/131/codesAt?date=<date>
    klass/131-changes-<from>-<to>.json           GET /classifications/131/changes?from=&to=
    klass/112-correspondsAt-131-<date>.json      GET /classifications/112/correspondsAt?...
    nav/AAP155-<year>.xlsx                       NAV's AAP155 workbook of one year (snapshot)
"""

from __future__ import annotations

import re

#: Name a freshly downloaded AAP155 workbook gets before its year is read from it.
AAP155_CURRENT = "nav/AAP155-current.xlsx"
_AAP155 = re.compile(r"nav/AAP155-(\d{4})\.xlsx")


def ssb_metadata_name(table: str) -> str:
    """Snapshot path of an SSB table's metadata body."""
    return f"ssb/{table}.metadata.json"


def ssb_data_name(table: str, part: int | None = None) -> str:
    """Snapshot path of an SSB table's data body (``part`` = chunk number, 1-based)."""
    return f"ssb/{table}.json" if part is None else f"ssb/{table}_part{part}.json"


def codes_at_name(date: str) -> str:
    """Snapshot path of the municipality register valid on ``date``."""
    return f"klass/131-codesAt-{date}.json"


def changes_name(date_from: str, date_to: str) -> str:
    """Snapshot path of the municipality code changes between two dates."""
    return f"klass/131-changes-{date_from}-{date_to}.json"


def kostra_groups_name(date: str) -> str:
    """Snapshot path of the KOSTRA groups (KLASS 112 → 131) valid on ``date``."""
    return f"klass/112-correspondsAt-131-{date}.json"


def aap155_name(year: int) -> str:
    """Snapshot path of NAV's AAP155 workbook for ``year``."""
    return f"nav/AAP155-{year}.xlsx"


def aap155_year(name: str) -> int | None:
    """The year of a snapshot AAP155 name (None for other names)."""
    m = _AAP155.fullmatch(name)
    return int(m.group(1)) if m else None
