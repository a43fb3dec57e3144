"""The data snapshot: raw responses on disk plus a manifest, written atomically, verified on load.

A snapshot directory is laid out exactly like a recorded-response directory (``ssb/``,
``klass/``, ``nav/``) with a ``manifest.json`` beside them. ``fetch`` writes everything into a
temporary sibling directory and swaps it in only when every response has arrived and parsed, so
a failed or interrupted fetch leaves the previous snapshot intact. ``Snapshot.open`` checks every
file against the manifest's sha256 and names any file that is missing or corrupt.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from navbok.errors import NavbokError, SnapshotError
from navbok.sources import jsonstat, klass, nav
from navbok.sources.base import RawResponse
from navbok.sources.catalogue import Catalogue, catalogue
from navbok.sources.origin import (
    Source,
    aap_name,
    codes_at_name,
    kostra_groups_name,
)

MANIFEST = "manifest.json"
FORMAT = 1
DEFAULT_DIR = Path("data/snapshot")


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _is_synthetic(name: str, content: bytes) -> bool:
    """Whether a response says it is synthetic (demo data)."""
    if name.startswith("ssb/"):
        return jsonstat.parse(content, where=name).synthetic
    if name.startswith("nav/"):
        return nav.read_aap(content, where=name)[1]
    if name.startswith("klass/kostragrupper"):
        return klass.read_kostra_groups(content, where=name)[2]
    doc = json.loads(content)
    return bool(isinstance(doc, dict) and doc.get("synthetic"))


def _requests(cat: Catalogue, source: Source) -> list[tuple[str, Callable[[], Any]]]:
    """Every request of the catalogue as (label, thunk returning RawResponse or a list)."""
    reqs: list[tuple[str, Callable[[], Any]]] = []
    for t in cat.ssb:
        reqs.append((f"SSB {t.table}", lambda t=t: source.ssb_table(t.table, dict(t.selection))))
    for date in cat.codes_at:
        reqs.append((f"KLASS {date}", lambda d=date: source.codes_at(d)))
    reqs.append(("KLASS endringer", lambda: source.changes(*cat.changes)))
    for year in cat.kostra_groups:
        reqs.append((f"KOSTRA-grupper {year}", lambda y=year: source.kostra_groups(y)))
    for period in cat.aap_periods:
        reqs.append((f"NAV AAP {period}", lambda p=period: source.aap(p)))
    return reqs


def fetch(
    source: Source,
    dest: str | os.PathLike[str] = DEFAULT_DIR,
    *,
    cat: Catalogue | None = None,
    progress: bool = False,
) -> Path:
    """Download every response of the catalogue from ``source`` into the snapshot ``dest``.

    Atomic: the new snapshot is written to a temporary directory beside ``dest`` and replaces
    the old one only after every response arrived, parsed and was written. Returns ``dest``.
    """
    cat = cat or catalogue()
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}-tmp-", dir=dest.parent))
    try:
        entries = []
        reqs = _requests(cat, source)
        if progress:
            from tqdm import tqdm

            reqs = tqdm(reqs, desc="Henter", unit="tabell")
        for label, thunk in reqs:
            result = thunk()
            responses: Iterable[RawResponse] = result if isinstance(result, list) else [result]
            for r in responses:
                synthetic = _is_synthetic(r.name, r.content)  # parses: a bad body fails here
                path = tmp / r.name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(r.content)
                entries.append(
                    {
                        "name": r.name,
                        "request": label,
                        "origin": r.origin,
                        "query": r.query,
                        "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
                        "sha256": _sha256(r.content),
                        "bytes": len(r.content),
                        "synthetic": synthetic,
                    }
                )
        manifest = {
            "format": FORMAT,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "source": source.description,
            "synthetic": any(e["synthetic"] for e in entries),
            "files": entries,
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), "utf-8")
        _swap(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dest


def _swap(new: Path, dest: Path) -> None:
    """Replace ``dest`` with ``new`` with two renames (the old one is removed afterwards)."""
    old = None
    if dest.exists():
        old = dest.with_name(f".{dest.name}-old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        os.replace(dest, old)
    os.replace(new, dest)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@dataclass(frozen=True)
class FileEntry:
    """One file of the manifest."""

    name: str
    origin: str
    query: dict[str, Any]
    fetched_at: str
    sha256: str
    synthetic: bool


class Snapshot:
    """A verified snapshot on disk, with parsed access to its responses."""

    def __init__(self, root: Path, manifest: dict[str, Any]) -> None:
        self.root = root
        self.manifest = manifest
        self.files = {
            e["name"]: FileEntry(
                e["name"],
                e["origin"],
                e.get("query") or {},
                e["fetched_at"],
                e["sha256"],
                bool(e["synthetic"]),
            )
            for e in manifest["files"]
        }
        self._cache: dict[str, Any] = {}

    @classmethod
    def open(cls, root: str | os.PathLike[str] = DEFAULT_DIR, *, verify: bool = True) -> Snapshot:
        """Open a snapshot; with ``verify`` every file is checked against its sha256."""
        root = Path(root)
        mpath = root / MANIFEST
        if not mpath.is_file():
            raise SnapshotError(
                f"No snapshot at {root} ({MANIFEST} is missing). Run `navbok fetch` first "
                "(offline: NAVBOK_SOURCE=DIR navbok fetch)."
            )
        try:
            manifest = json.loads(mpath.read_text("utf-8"))
            manifest["files"]  # noqa: B018 - shape check
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise SnapshotError(f"{mpath} is not a valid navbok manifest ({exc})") from exc
        snap = cls(root, manifest)
        if verify:
            snap.verify()
        return snap

    def verify(self) -> None:
        """Check every file against the manifest; raise naming the first bad one."""
        for name, entry in self.files.items():
            path = self.root / name
            if not path.is_file():
                raise SnapshotError(f"Snapshot file {path} is missing (listed in {MANIFEST})")
            if _sha256(path.read_bytes()) != entry.sha256:
                raise SnapshotError(
                    f"Snapshot file {path} is corrupt: its sha256 does not match {MANIFEST}. "
                    "Fetch again with `navbok fetch`."
                )

    @cached_property
    def checksum(self) -> str:
        """One checksum for the whole snapshot (for cache keys)."""
        joined = "".join(f"{n}:{e.sha256}\n" for n, e in sorted(self.files.items()))
        return _sha256(joined.encode())

    @property
    def synthetic(self) -> bool:
        """True when any response in the snapshot is flagged synthetic."""
        return any(e.synthetic for e in self.files.values())

    @property
    def synthetic_files(self) -> list[str]:
        """Names of the responses flagged synthetic."""
        return sorted(n for n, e in self.files.items() if e.synthetic)

    @property
    def fetched_at(self) -> str:
        """When the snapshot was made (ISO timestamp)."""
        return str(self.manifest.get("created", ""))

    def raw(self, name: str) -> bytes:
        """The bytes of one file of the snapshot."""
        if name not in self.files:
            raise SnapshotError(f"The snapshot at {self.root} has no {name}")
        return (self.root / name).read_bytes()

    def _cached(self, key: str, make: Callable[[], Any]) -> Any:
        if key not in self._cache:
            try:
                self._cache[key] = make()
            except NavbokError:
                raise
            except (ValueError, KeyError, TypeError) as exc:
                raise SnapshotError(f"Could not read {key} from the snapshot: {exc}") from exc
        return self._cache[key]

    def ssb_names(self, table: str) -> list[str]:
        """Snapshot files of an SSB table (one, or its chunks in order)."""
        prefix, whole = f"ssb/{table}_part", f"ssb/{table}.json"
        parts = sorted(
            (n for n in self.files if n.startswith(prefix)),
            key=lambda n: int(n[len(prefix) : -len(".json")]),
        )
        return ([whole] if whole in self.files else []) + parts

    def ssb(self, table: str) -> jsonstat.Dataset:
        """One SSB table, its chunks joined."""

        def make() -> jsonstat.Dataset:
            names = self.ssb_names(table)
            if not names:
                raise SnapshotError(f"The snapshot at {self.root} has no SSB table {table}")
            parts = [jsonstat.parse(self.raw(n), where=n) for n in names]
            return jsonstat.concat(parts, where=f"SSB table {table}")

        return self._cached(f"ssb:{table}", make)

    def ssb_origin(self, table: str) -> list[FileEntry]:
        """Manifest entries of an SSB table."""
        return [self.files[n] for n in self.ssb_names(table)]

    def codes_at(self, date: str) -> pd.DataFrame:
        """The municipality register valid on ``date``."""
        name = codes_at_name(date)
        return self._cached(name, lambda: klass.read_codes(self.raw(name), where=name))

    def register_dates(self) -> list[str]:
        """Dates of the registers in the snapshot, oldest first."""
        p = "klass/131-codesAt-"
        return sorted(n[len(p) : -len(".json")] for n in self.files if n.startswith(p))

    def changes(self) -> pd.DataFrame:
        """All municipality code changes in the snapshot."""
        names = [n for n in self.files if n.startswith("klass/131-changes-")]
        if not names:
            raise SnapshotError(f"The snapshot at {self.root} has no KLASS code changes")
        return self._cached(
            "changes",
            lambda: (
                pd.concat([klass.read_changes(self.raw(n), where=n) for n in names])
                .drop_duplicates()
                .sort_values(["date", "old", "new"])
                .reset_index(drop=True)
            ),
        )

    def kostra_groups(self, year: int) -> tuple[pd.DataFrame, dict[str, str], bool]:
        """KOSTRA-group assignment of a scheme year: (code → group frame, labels, synthetic)."""
        name = kostra_groups_name(year)
        return self._cached(name, lambda: klass.read_kostra_groups(self.raw(name), where=name))

    def aap_periods(self) -> list[str]:
        """Months with a NAV AAP table in the snapshot."""
        p = "nav/aap-kommune-"
        return sorted(n[len(p) : -len(".csv")] for n in self.files if n.startswith(p))

    def aap(self, period: str) -> pd.DataFrame:
        """NAV's AAP table for a month."""
        name = aap_name(period)
        return self._cached(name, lambda: nav.read_aap(self.raw(name), where=name)[0])
