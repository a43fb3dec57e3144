"""SSB KLASS: the municipality register (classification 131), its code changes, KOSTRA groups.

Readers take the JSON bodies KLASS returns (``codesAt``, ``changes``, ``correspondsAt``) and give
small DataFrames. URLs for the live service are built here too.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from navbok.errors import ParseError

KLASS_BASE = "https://data.ssb.no/api/klass/v1"
MUNICIPALITIES = 131
KOSTRA_GROUPS = 112


def _load(body: bytes | str | dict[str, Any], where: str) -> dict[str, Any]:
    if isinstance(body, dict):
        return body
    try:
        doc = json.loads(body)
    except json.JSONDecodeError as exc:
        raise ParseError(f"{where}: not valid JSON ({exc.msg} at char {exc.pos})") from exc
    if not isinstance(doc, dict):
        raise ParseError(f"{where}: expected a JSON object")
    return doc


def codes_at_url(date: str) -> tuple[str, dict[str, str]]:
    """URL and query for the municipalities valid on ``date`` (YYYY-MM-DD)."""
    return f"{KLASS_BASE}/classifications/{MUNICIPALITIES}/codesAt", {"date": date}


def changes_url(date_from: str, date_to: str) -> tuple[str, dict[str, str]]:
    """URL and query for the code changes between two dates."""
    return (
        f"{KLASS_BASE}/classifications/{MUNICIPALITIES}/changes",
        {"from": date_from, "to": date_to},
    )


def kostra_groups_url(year: int) -> tuple[str, dict[str, str]]:
    """URL and query for the KOSTRA-group assignment valid in ``year`` (not verified live)."""
    return (
        f"{KLASS_BASE}/classifications/{MUNICIPALITIES}/correspondsAt",
        {"targetClassificationId": str(KOSTRA_GROUPS), "date": f"{year}-01-01"},
    )


def read_codes(body: bytes | str | dict[str, Any], *, where: str = "KLASS codesAt") -> pd.DataFrame:
    """Municipalities valid at a date: columns ``code``, ``name``. Drops 9999 «Uoppgitt»."""
    doc = _load(body, where)
    codes = doc.get("codes")
    if not isinstance(codes, list):
        raise ParseError(f"{where}: no 'codes' list")
    rows = [(str(c["code"]), str(c["name"])) for c in codes if str(c.get("code")) != "9999"]
    return pd.DataFrame(rows, columns=["code", "name"])


def read_changes(
    body: bytes | str | dict[str, Any], *, where: str = "KLASS changes"
) -> pd.DataFrame:
    """Code changes: columns ``old``, ``old_name``, ``new``, ``new_name``, ``date`` (Timestamp)."""
    doc = _load(body, where)
    items = doc.get("codeChanges")
    if not isinstance(items, list):
        raise ParseError(f"{where}: no 'codeChanges' list")
    try:
        rows = [
            (
                str(c["oldCode"]),
                c.get("oldName") or "",
                str(c["newCode"]),
                c.get("newName") or "",
                c["changeOccurred"],
            )
            for c in items
        ]
    except KeyError as exc:
        raise ParseError(f"{where}: a code change lacks {exc}") from exc
    frame = pd.DataFrame(rows, columns=["old", "old_name", "new", "new_name", "date"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def read_kostra_groups(
    body: bytes | str | dict[str, Any], *, where: str = "KOSTRA groups"
) -> tuple[pd.DataFrame, dict[str, str], bool]:
    """KOSTRA-group assignment: (frame with ``code``, ``group``; group labels; synthetic flag)."""
    doc = _load(body, where)
    items = doc.get("correspondenceItems")
    if not isinstance(items, list):
        raise ParseError(f"{where}: no 'correspondenceItems' list")
    frame = pd.DataFrame(
        [(str(i["sourceCode"]), str(i["targetCode"])) for i in items], columns=["code", "group"]
    )
    labels = {str(k): str(v) for k, v in (doc.get("groups") or {}).items()}
    for i in items:
        labels.setdefault(str(i["targetCode"]), str(i.get("targetName") or i["targetCode"]))
    return frame, labels, bool(doc.get("synthetic"))
