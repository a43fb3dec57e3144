"""SSB KLASS: the municipality register (classification 131), its code changes, KOSTRA groups.

Readers take the JSON bodies KLASS returns (``codesAt``, ``changes``, ``correspondsAt``) and give
small DataFrames. URLs for the live service are built here too (base from
:func:`navbok.sources.settings.klass_url`, read at call time); send :data:`HEADERS` with them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pandas as pd

from navbok.errors import ParseError
from navbok.sources import settings

KLASS_BASE = settings.DEFAULT_KLASS_URL
MUNICIPALITIES = 131
KOSTRA_GROUPS = 112
#: KLASS wants this on every call (it answers 406 to other Accept headers).
HEADERS = {"Accept": "application/json"}
#: KOSTRA group codes: EKG01–EKG17.
_GROUP = re.compile(r"EKG(0[1-9]|1[0-7])")


def _load(body: bytes | str | dict[str, Any], where: str) -> dict[str, Any]:
    if isinstance(body, dict):
        return body
    try:
        doc = json.loads(body)
    except json.JSONDecodeError as exc:
        why = f"{exc.msg} at char {exc.pos}"
        raise ParseError(f"{where}: not valid JSON ({why}){_html(body)}") from exc
    except ValueError as exc:  # bytes that are not UTF-8/16/32 text
        raise ParseError(f"{where}: not valid JSON (not UTF-8 text){_html(body)}") from exc
    if not isinstance(doc, dict):
        raise ParseError(f"{where}: expected a JSON object, got {type(doc).__name__}")
    return doc


def _html(body: bytes | str) -> str:
    """« – it is an HTML page» when the body looks like one (a proxy's or a portal's page)."""
    head = body[:200].lstrip().lower()
    text = head.decode("latin-1") if isinstance(head, bytes) else head
    return " – it is an HTML page, not KLASS's JSON" if text.startswith("<") else ""


def _keys(doc: dict[str, Any]) -> str:
    keys = ", ".join(repr(k) for k in list(doc)[:5]) or "none"
    return f" (its keys: {keys}{_said(doc)})"


def _said(doc: dict[str, Any]) -> str:
    """What an error answer says (``error``, ``message``, ``title``), shortened."""
    for key in ("error", "message", "title", "detail"):
        if isinstance(doc.get(key), str | int | float) and str(doc[key]).strip():
            return f"; it says «{str(doc[key]).strip()[:120]}»"
    return ""


def codes_at_url(date: str) -> tuple[str, dict[str, str]]:
    """URL and query for the municipalities valid on ``date`` (YYYY-MM-DD)."""
    return f"{settings.klass_url()}/classifications/{MUNICIPALITIES}/codesAt", {"date": date}


def changes_url(date_from: str, date_to: str) -> tuple[str, dict[str, str]]:
    """URL and query for the code changes between two dates."""
    return (
        f"{settings.klass_url()}/classifications/{MUNICIPALITIES}/changes",
        {"from": date_from, "to": date_to},
    )


def kostra_groups_url(date: str) -> tuple[str, dict[str, str]]:
    """URL and query for the KOSTRA groups (112 → 131) valid on ``date`` (YYYY-MM-DD)."""
    return (
        f"{settings.klass_url()}/classifications/{KOSTRA_GROUPS}/correspondsAt",
        {"targetClassificationId": str(MUNICIPALITIES), "date": date},
    )


def kostra_groups_fallback_url(date: str) -> tuple[str, dict[str, str]]:
    """URL and query of ``corresponds`` from ``date`` to the next day (correspondsAt fallback)."""
    next_day = (dt.date.fromisoformat(date) + dt.timedelta(days=1)).isoformat()
    return (
        f"{settings.klass_url()}/classifications/{KOSTRA_GROUPS}/corresponds",
        {"targetClassificationId": str(MUNICIPALITIES), "from": date, "to": next_day},
    )


def has_correspondence_items(body: bytes) -> bool:
    """True if a KLASS correspondence body lists at least one item."""
    try:
        doc = json.loads(body)
    except ValueError:
        return False
    return isinstance(doc, dict) and bool(doc.get("correspondenceItems"))


def read_codes(body: bytes | str | dict[str, Any], *, where: str = "KLASS codesAt") -> pd.DataFrame:
    """Municipalities valid at a date: columns ``code``, ``name``. Drops 9999 «Uoppgitt»."""
    doc = _load(body, where)
    codes = doc.get("codes")
    if not isinstance(codes, list):
        raise ParseError(f"{where}: no 'codes' list{_keys(doc)}")
    rows = []
    for n, c in enumerate(codes, start=1):
        if not isinstance(c, dict) or not c.get("code") or c.get("name") is None:
            raise ParseError(f"{where}: code {n} is not an object with 'code' and 'name'")
        if str(c["code"]) != "9999":
            rows.append((str(c["code"]), str(c["name"])))
    if not rows:
        raise ParseError(f"{where}: the register lists no municipalities")
    return pd.DataFrame(rows, columns=["code", "name"])


def read_changes(
    body: bytes | str | dict[str, Any], *, where: str = "KLASS changes"
) -> pd.DataFrame:
    """Code changes: columns ``old``, ``old_name``, ``new``, ``new_name``, ``date`` (Timestamp)."""
    doc = _load(body, where)
    items = doc.get("codeChanges")
    if not isinstance(items, list):
        raise ParseError(f"{where}: no 'codeChanges' list{_keys(doc)}")
    for n, c in enumerate(items, start=1):
        if not isinstance(c, dict):
            raise ParseError(f"{where}: code change {n} is not an object")
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
    try:
        frame["date"] = pd.to_datetime(frame["date"])
    except (ValueError, TypeError) as exc:
        raise ParseError(f"{where}: a code change has a bad 'changeOccurred' date ({exc})") from exc
    return frame


def read_kostra_groups(
    body: bytes | str | dict[str, Any], *, where: str = "KOSTRA groups"
) -> tuple[pd.DataFrame, dict[str, str], bool]:
    """KOSTRA groups from a KLASS 112 → 131 correspondence body.

    Returns (frame with ``code`` = municipality (``targetCode``) and ``group`` = KOSTRA group
    (``sourceCode``, EKG01–EKG17); labels group → ``sourceName``; the synthetic flag, a top-level
    ``"synthetic": true`` that only recorded test data carries).
    """
    doc = _load(body, where)
    items = doc.get("correspondenceItems")
    if not isinstance(items, list):
        raise ParseError(f"{where}: no 'correspondenceItems' list{_keys(doc)}")
    if not items:
        raise ParseError(f"{where}: the correspondence 112 → 131 lists no municipalities")
    rows: list[tuple[str, str]] = []
    labels: dict[str, str] = {}
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ParseError(f"{where}: correspondence item {n} is not an object")
        missing = [k for k in ("sourceCode", "targetCode") if not item.get(k)]
        if missing:
            raise ParseError(f"{where}: correspondence item {n} lacks {', '.join(missing)}")
        group, code = str(item["sourceCode"]).strip(), str(item["targetCode"]).strip()
        if not _GROUP.fullmatch(group):
            raise ParseError(
                f"{where}: correspondence item {n} has sourceCode {group!r}, not a KOSTRA group "
                "EKG01–EKG17 (is the correspondence the wrong way round? KOSTRA groups are "
                "classification 112 → 131)"
            )
        rows.append((code, group))
        labels.setdefault(group, str(item.get("sourceName") or group))
    frame = pd.DataFrame(rows, columns=["code", "group"])
    return frame, labels, doc.get("synthetic") is True
