"""The AAP history in its own append-only store beside the snapshot: ``<snapshot>.aap/``.

NAV serves only the current year of AAP155, so the months of earlier years exist only where
navbok kept them. They are kept here, not only inside the snapshot that every fetch replaces:

    data/snapshot.aap/
      index.jsonl        one JSON line per workbook, appended, never rewritten
      <sha256>.xlsx      the workbook's bytes, named by their checksum, written once

An index line holds the workbook's ``sha256``, ``bytes``, ``year``, ``months`` and the
``periode`` text they were read from («Periode: 2025 01 - 2025 10»), its ``title``, where it came
from (``origin``, ``query``, ``fetched_at``) and when it was stored (``added_at``). Every fetch
adds what it has not seen before — NAV's download, the workbooks of the snapshot it replaces,
the files of ``--nav-arkiv`` — and never removes anything; the snapshot's AAP years are chosen
from the store (:func:`navbok.snapshot._fetch_aap`). A damaged index line or workbook is named
(:attr:`AapStore.problems`) and the rest is used; a damaged workbook is written again when a
fetch meets the same bytes (same checksum) elsewhere, e.g. in the previous snapshot.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

INDEX = "index.jsonl"
_SHA256 = re.compile(r"[0-9a-f]{64}")


def store_dir(snapshot: str | os.PathLike[str]) -> Path:
    """The AAP store of the snapshot at ``snapshot``: ``<snapshot>.aap`` beside it."""
    dest = Path(snapshot)
    return dest.with_name(f"{dest.name}.aap")


def periode_text(year: int, months: list[int]) -> str:
    """The workbook's «Periode» cell as NAV writes it: «Periode: 2025 01 - 2025 10»."""
    return f"Periode: {year} {min(months):02d} - {year} {max(months):02d}" if months else ""


@dataclass(frozen=True)
class Stored:
    """One workbook of the store (its index line), in the order it was added."""

    sha256: str
    year: int
    months: list[int]
    periode: str
    title: str
    origin: str
    query: dict[str, Any]
    fetched_at: str
    added_at: str
    order: int

    @property
    def file(self) -> str:
        """The workbook's file name in the store."""
        return f"{self.sha256}.xlsx"


@dataclass
class AapStore:
    """The store at ``root``; :meth:`open` reads its index and checks every workbook."""

    root: Path
    entries: dict[str, Stored] = field(default_factory=dict)  # sha256 → the first line of it
    damaged: dict[str, Stored] = field(default_factory=dict)  # sha256 → a line, bad workbook
    problems: list[tuple[str, str]] = field(default_factory=list)  # (what, why), in order
    lines: int = 0  # lines of the index read (the order of the next one)

    @classmethod
    def open(cls, root: Path) -> AapStore:
        """Read the index; each line and each workbook is checked on its own (a bad one is
        named in :attr:`problems` and left out, the others are used)."""
        store = cls(Path(root))
        index = store.root / INDEX
        try:
            lines = index.read_bytes().splitlines() if index.exists() else []
        except OSError as exc:
            store.problems.append((str(index), f"kan ikke leses ({exc.strerror or exc})"))
            return store
        store.lines = len(lines)
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            entry = _entry(line, number)
            if entry is None:
                store.problems.append((f"{index} linje {number}", "linjen kan ikke leses"))
                continue
            if entry.sha256 in store.entries or entry.sha256 in store.damaged:
                continue
            why = store._check(entry)
            if why:
                store.damaged[entry.sha256] = entry
                store.problems.append((str(store.root / entry.file), why))
            else:
                store.entries[entry.sha256] = entry
        return store

    def _check(self, entry: Stored) -> str:
        """Why the workbook of ``entry`` cannot be used ('' when it verifies)."""
        try:
            content = (self.root / entry.file).read_bytes()
        except FileNotFoundError:
            return "filen mangler"
        except OSError as exc:
            return f"kan ikke leses ({exc.strerror or exc})"
        if hashlib.sha256(content).hexdigest() != entry.sha256:
            return "sjekksummen stemmer ikke (filen er endret eller ødelagt)"
        return ""

    def content(self, entry: Stored) -> bytes:
        """The bytes of a stored workbook."""
        return (self.root / entry.file).read_bytes()

    def add(
        self,
        content: bytes,
        *,
        year: int,
        months: list[int],
        title: str,
        origin: str,
        query: dict[str, Any] | None,
        fetched_at: str,
    ) -> Stored:
        """Store a workbook (already read and checked by the caller) unless it is there.

        The bytes are written first (a temporary file renamed), then the index line is
        appended. A workbook the store holds is not added again; one whose file is damaged
        is written again from ``content`` (same checksum). Returns its entry."""
        sha = hashlib.sha256(content).hexdigest()
        if sha in self.entries:
            return self.entries[sha]
        self.root.mkdir(parents=True, exist_ok=True)
        _write_once(self.root / f"{sha}.xlsx", content)
        if sha in self.damaged:  # its line is in the index already; the file is whole again
            self.entries[sha] = self.damaged.pop(sha)
            return self.entries[sha]
        entry = Stored(
            sha, year, sorted(months), periode_text(year, months), title, origin, query or {},
            fetched_at, datetime.now(UTC).isoformat(timespec="seconds"), self.lines + 1,
        )  # fmt: skip
        record = {
            "sha256": sha,
            "bytes": len(content),
            "year": year,
            "months": entry.months,
            "periode": entry.periode,
            "title": title,
            "origin": origin,
            "query": entry.query,
            "fetched_at": fetched_at,
            "added_at": entry.added_at,
        }
        _append_line(self.root / INDEX, json.dumps(record, ensure_ascii=False))
        self.lines += 1
        self.entries[sha] = entry
        return entry


def _entry(line: bytes, order: int) -> Stored | None:
    """An index line as an entry (None when it is not a whole, well-formed line)."""
    try:
        doc = json.loads(line)
        sha = doc["sha256"]
        months = [int(m) for m in doc["months"]]
        if not (isinstance(sha, str) and _SHA256.fullmatch(sha)) or not months:
            return None
        if any(not 1 <= m <= 12 for m in months):
            return None
        query = doc.get("query") or {}
        return Stored(
            sha, int(doc["year"]), sorted(months), str(doc.get("periode", "")),
            str(doc.get("title", "")), str(doc.get("origin", "")),
            query if isinstance(query, dict) else {}, str(doc.get("fetched_at", "")),
            str(doc.get("added_at", "")), order,
        )  # fmt: skip
    except (ValueError, KeyError, TypeError):
        return None


def _write_once(path: Path, content: bytes) -> None:
    """Write ``path`` whole or not at all (a temporary file, synced, then renamed)."""
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        with open(tmp, "wb") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _append_line(path: Path, line: str) -> None:
    """Append one line to ``path`` (after a newline when a killed writer left half a line)."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        size = os.fstat(fd).st_size
        prefix = b""
        if size:
            with open(path, "rb") as f:
                f.seek(size - 1)
                prefix = b"" if f.read(1) == b"\n" else b"\n"
        os.write(fd, prefix + line.encode("utf-8") + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
