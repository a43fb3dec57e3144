"""The data snapshot: raw responses on disk plus a manifest, written atomically, verified on load.

A snapshot directory is laid out exactly like a recorded-response directory (``ssb/``,
``klass/``, ``nav/``) with a ``manifest.json`` beside them. ``fetch`` writes everything into a
temporary sibling directory and swaps it in only when every response has arrived and parsed, so
a failed or interrupted fetch leaves the previous snapshot intact. ``Snapshot.open`` checks every
file against the manifest's sha256 and names any file that is missing or corrupt.

Every response is parsed by the reader that will read it later before it is written; any failure
is a :class:`~navbok.errors.ParseError` naming the response. The temporary directories beside the
snapshot carry the fetching process's id (``.snapshot-tmp-<pid>-*``, ``.snapshot-old-<pid>``):
``fetch`` and ``Snapshot.open`` remove those of processes that are gone, and restore the snapshot
when a process died between the two renames of the swap.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import pandas as pd

from navbok import aap_history, completeness, snapshot_lock
from navbok.aap_store import AapStore, Stored, store_dir
from navbok.contents import (
    AMBIGUOUS,
    MISMATCH,
    RESOLVED,
    Resolution,
    content_specs,
    optional_spec,
    resolve_one,
    resolve_table,
)
from navbok.errors import NavbokError, ParseError, SnapshotError, SourceError, SourceUnreachable
from navbok.sources import jsonstat, klass, nav
from navbok.sources.base import RawResponse
from navbok.sources.catalogue import Catalogue, SsbTable, catalogue
from navbok.sources.metadata import TableMetadata, parse_metadata
from navbok.sources.names import (
    aap155_name,
    aap155_year,
    codes_at_name,
    kostra_groups_name,
    ssb_metadata_name,
)
from navbok.sources.origin import Source

MANIFEST = "manifest.json"
FORMAT = 2
DEFAULT_DIR = Path("data/snapshot")
#: How the user gives a fetch more time (ends the message when the bound is reached).
MORE_TIME = "gi mer tid med `navbok fetch --max-tid MIN` (eller NAVBOK_FETCH_TIMEOUT=MIN)"
#: Temporary directories without a process id (older navbok) older than this are removed (s).
LEGACY_TMP_AGE = 6 * 3600.0
_T = TypeVar("_T")
_P = ParamSpec("_P")
#: Temporary directories that fetches of this process are using now.
_ACTIVE: set[Path] = set()


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _is_synthetic(name: str, content: bytes) -> bool:
    """Whether a response says it is synthetic (demo data); parsing it with the reader that
    will read it from the snapshot checks its shape."""
    if name.endswith(".metadata.json"):
        return parse_metadata(content, name.split("/")[-1].split(".")[0], where=name).synthetic
    if name.startswith("ssb/"):
        return jsonstat.parse(content, where=name).synthetic
    if name.startswith("nav/"):
        return nav.read_aap155(content, where=name).synthetic
    if name.startswith("klass/112-"):
        return klass.read_kostra_groups(content, where=name)[2]
    if name.startswith("klass/131-codesAt"):
        klass.read_codes(content, where=name)
    elif name.startswith("klass/131-changes"):
        klass.read_changes(content, where=name)
    doc = json.loads(content)
    return bool(isinstance(doc, dict) and doc.get("synthetic"))


def _checked(name: str, origin: str, read: Callable[[], _T]) -> _T:
    """``read()``, with any failure turned into one :class:`ParseError` naming the response."""
    where = f" (answer from {origin})" if origin and not origin.startswith("file:") else ""
    try:
        return read()
    except ParseError as exc:
        raise ParseError(f"{exc}{where}") from exc
    except NavbokError:
        raise
    except Exception as exc:  # any reader failure is a bad response
        text = " ".join(str(exc).split())[:200]
        raise ParseError(
            f"{name}: the response{where} has an unexpected shape ({type(exc).__name__}: {text})"
        ) from exc


class _Writer:
    """Collects the responses of one fetch in a temporary directory, with manifest entries."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.entries: list[dict[str, Any]] = []

    def add(
        self,
        r: RawResponse,
        request: str,
        *,
        name: str | None = None,
        entry: dict[str, Any] | None = None,
    ) -> None:
        name = name or r.name
        # parses with the real reader: a bad body fails here, before anything is swapped in
        synthetic = _checked(name, r.origin, lambda: _is_synthetic(name, r.content))
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(r.content)
        self.entries.append(
            {
                "name": name,
                "request": request,
                "origin": r.origin,
                "query": r.query,
                "fetched_at": _now(),
                **(entry or {}),
                "sha256": _sha256(r.content),
                "bytes": len(r.content),
                "synthetic": synthetic,
            }
        )


def _fetch_ssb(source: Source, cat: Catalogue, out: _Writer) -> dict[str, Any]:
    """Metadata first, measures resolved by label, then only the resolved codes. An optional
    table the source cannot give is left out (``absent``: table → one line why)."""
    specs = content_specs()
    tables: dict[str, Any] = {}
    resolutions: list[Resolution] = []
    absent: dict[str, str] = {}
    for t in cat.ssb:
        if t.optional:
            got = _fetch_optional(source, t, out)
            if isinstance(got, str):
                absent[t.table] = got
            else:
                tables[t.table], price = got
                resolutions.append(price)
            continue
        meta_resp = source.ssb_metadata(t.table)
        out.add(meta_resp, f"SSB {t.table} metadata")
        meta = parse_metadata(meta_resp.content, t.table, where=ssb_metadata_name(t.table))
        found = resolve_table(meta, specs)
        resolutions += found
        bad = [r for r in found if r.status == MISMATCH]
        if bad:
            raise SourceError(" ".join(r.message() for r in bad))
        selection = dict(t.selection)
        if found:
            codes = list(dict.fromkeys(r.code for r in found if r.status == RESOLVED and r.code))
            if not codes:
                tables[t.table] = _table_info(meta, [])
                continue
            selection[meta.metric] = codes
        for r in source.ssb_table(t.table, selection, meta_body=meta_resp.content):
            out.add(r, f"SSB {t.table}")
        tables[t.table] = _table_info(meta, selection.get(meta.metric, []))
    return {"tables": tables, "measures": [r.as_dict() for r in resolutions], "absent": absent}


#: What the book loses without an optional table, by the table's ``purpose``.
ABSENT_CONSEQUENCE = {
    "prices": "beløp i faste kroner (realverdier) vil mangle i boka",
}


def absent_line(table: SsbTable, why: str) -> str:
    """One line for an optional table the fetch goes on without."""
    lost = ABSENT_CONSEQUENCE.get(table.purpose, "boka blir uten den")
    return f"SSB-tabell {table.table} («{table.title}») {why}; {lost}."


def content_not_found(found: Resolution, labels: tuple[str, ...]) -> str:
    """Why an optional table's content was not found by its label, in a few words."""
    near = "; ".join(f"«{c}»" for c in found.candidates) or "ingen"
    wanted = " / ".join(f"«{x}»" for x in labels)
    if found.status == AMBIGUOUS:
        return f"har flere innhold som passer til {wanted} ({near})"
    return f"har ikke innholdet {wanted} (nærmeste etiketter: {near})"


def why_absent(exc: NavbokError) -> str:
    """Why an optional table could not be fetched, in a few words."""
    from navbok.sources.http import HttpStatusError

    if isinstance(exc, HttpStatusError) and exc.status in (400, 404):
        return f"finnes ikke hos kilden (HTTP {exc.status}{f': {exc.title}' if exc.title else ''})"
    text = " ".join(str(exc).split())
    if "is missing from the recorded-response directory" in text:
        return "finnes ikke hos kilden (ikke i opptaket)"
    return f"kunne ikke hentes ({text[:200]})"


def _fetch_optional(
    source: Source, t: SsbTable, out: _Writer
) -> tuple[dict[str, Any], Resolution] | str:
    """An optional table: its metadata, its one content (found by label), its data, each answer
    checked before anything is written. Returns the manifest's table info and the content's
    resolution, or one line saying why the fetch goes on without the table (any failure other
    than a time-out or an unreachable service)."""
    from navbok.sources.http import FetchTimeout

    if t.content is None:
        return absent_line(t, "har ikke noe innhold oppgitt i katalogen")
    spec = optional_spec(t, t.content)
    try:
        meta_resp = source.ssb_metadata(t.table)
        name = ssb_metadata_name(t.table)
        meta = _checked(
            name, meta_resp.origin, lambda: parse_metadata(meta_resp.content, t.table, where=name)
        )
        found = resolve_one(spec, meta)
        if found.status != RESOLVED or not found.code:
            return absent_line(t, content_not_found(found, t.content.labels))
        code = found.code
        selection = {**t.selection, meta.metric: [code]}
        data = source.ssb_table(t.table, selection, meta_body=meta_resp.content)
        for r in [meta_resp, *data]:
            _check_answer(r)
        if t.purpose == "prices":
            origin = data[0].origin if data else meta_resp.origin
            _checked(f"SSB {t.table}", origin, lambda: _check_prices(data, code, t))
    except (FetchTimeout, SourceUnreachable):
        raise
    except NavbokError as exc:
        return absent_line(t, why_absent(exc))
    out.add(meta_resp, f"SSB {t.table} metadata")
    for r in data:
        out.add(r, f"SSB {t.table}")
    info = _table_info(meta, [found.code]) | {"optional": True, "purpose": t.purpose}
    return info, found


def _check_answer(r: RawResponse) -> None:
    """Parse one answer with the reader that will read it (a bad one raises ParseError)."""
    _checked(r.name, r.origin, lambda: _is_synthetic(r.name, r.content))


def _check_prices(data: list[RawResponse], code: str, t: SsbTable) -> None:
    """The price table's answer read as the book reads it: monthly values of the content in
    the total group, at least one month with a value."""
    from navbok.kpi import monthly_values

    where = f"SSB table {t.table}"
    parts = [jsonstat.parse(r.content, where=r.name) for r in data]
    if not parts:
        raise ParseError(f"{where}: the answer has no data")
    ds = jsonstat.concat(parts, where=where)
    monthly = monthly_values(ds, code, t.selection, where=where)
    if not monthly.notna().any():
        raise ParseError(f"{where}: the answer has no monthly values")


def _table_info(meta: TableMetadata, codes: Any) -> dict[str, Any]:
    return {
        "title": meta.title,
        "updated": meta.updated,
        "years": meta.years,
        "synthetic": meta.synthetic,
        "contents": list(codes) if isinstance(codes, list) else [codes],
    }


def _read_aap155(raw: RawResponse, where: str) -> nav.Aap155:
    return _checked(raw.name, raw.origin, lambda: nav.read_aap155(raw.content, where=where))


@dataclass
class _AapChoice:
    """The workbook a fetch keeps for one year, and where it came from."""

    raw: RawResponse
    label: str  # the manifest's request label
    extra: dict[str, Any]  # further manifest fields
    months: list[int]
    kind: str  # "nav" (the fresh download), "kept" (the AAP store) or "archive"
    kept_from: str = ""  # for the nav_fewer event: «snapshotet fra før», «AAP-lageret», …
    book: nav.Aap155 | None = None  # the workbook read (None: read when written)


def _kept_aap(previous: Path) -> tuple[list[tuple[RawResponse, str]], list[dict[str, Any]]]:
    """The AAP155 workbooks of the snapshot at ``previous`` that verify, with when they were
    fetched, and a ``not_kept`` event for each one that cannot be kept (or for a manifest that
    cannot be read). Each file is checked on its own: one bad file loses no other year. When
    the manifest cannot be read, the AAP155 workbooks in the folder are still given (with no
    checksum to check them against; the caller reads each one)."""
    if not (previous / MANIFEST).is_file():
        return [], []
    try:
        old = Snapshot._load(previous, verify=False)
    except (NavbokError, OSError) as exc:
        event = {"kind": "not_kept", "file": str(previous / MANIFEST), "why": str(exc)}
        return _unlisted_aap(previous), [event]
    kept: list[tuple[RawResponse, str]] = []
    events: list[dict[str, Any]] = []
    for name, e in sorted(old.files.items()):
        if aap155_year(name) is None:
            continue
        try:
            content = (previous / name).read_bytes()
        except OSError as exc:
            events.append({"kind": "not_kept", "file": name, "why": f"kan ikke leses ({exc})",
                           "sha256": e.sha256})  # fmt: skip
            continue
        if _sha256(content) != e.sha256:
            why = "sjekksummen stemmer ikke med manifestet (filen er endret eller ødelagt)"
            events.append({"kind": "not_kept", "file": name, "why": why, "sha256": e.sha256})
            continue
        raw = RawResponse(name=name, content=content, origin=e.origin, query=e.query)
        kept.append((raw, e.fetched_at))
    return kept, events


def _unlisted_aap(previous: Path) -> list[tuple[RawResponse, str]]:
    """The AAP155 workbooks in a snapshot folder whose manifest cannot be read (with their
    modification time as when they were fetched)."""
    out = []
    with contextlib.suppress(OSError):
        for path in sorted((previous / "nav").glob("*.xlsx")):
            name = f"nav/{path.name}"
            if aap155_year(name) is None:
                continue
            with contextlib.suppress(OSError):
                content = path.read_bytes()
                when = datetime.fromtimestamp(path.stat().st_mtime, UTC)
                raw = RawResponse(name=name, content=content, origin=f"file:{path.resolve()}")
                out.append((raw, when.isoformat(timespec="seconds")))
    return out


def _to_store(store: AapStore, raw: RawResponse, wb: nav.Aap155, fetched_at: str) -> str:
    """Add a workbook (read) to the AAP store; its sha256."""
    entry = store.add(raw.content, year=wb.year, months=wb.months, title=wb.title,
                      origin=raw.origin, query=raw.query, fetched_at=fetched_at)  # fmt: skip
    return entry.sha256


#: A workbook a fetch read that goes into the AAP store once the new snapshot is in place.
_Pending = tuple[RawResponse, nav.Aap155, str]


def _fetch_aap(
    source: Source,
    out: _Writer,
    previous: Path,
    archive: Path | None,
    pending: list[_Pending] | None = None,
) -> dict[str, Any]:
    """The current AAP155 year from NAV, older years from the AAP store beside the snapshot
    ``previous`` (:mod:`navbok.aap_store`) or added from an archive directory.

    Nothing leaves the store. Each workbook of the previous snapshot that verifies (also what
    can be read of a snapshot whose manifest cannot) goes into it at once; NAV's download and
    each archive file are added to ``pending`` and go into it only when the new snapshot has
    replaced the old one (:func:`fetch`): a workbook the completeness checks refused never
    becomes history that a later fetch would choose again. Each workbook's year and months come
    from its «Periode» cell, never from the date. One workbook per year: NAV's fresh download
    wins its own year unless a stored or archive workbook of that year has more months (a cut or
    broken file from NAV must not lose months the snapshot has: the kept one stays and a
    ``nav_fewer`` event says so); otherwise more months win, an archive workbook wins a tie with
    a stored one, and among stored ones the previous snapshot's, then the newest. So at the
    January rollover (NAV serves only January of the new year) every month of the year before is
    kept, and a same-year update adds the new months. ``events`` say which months each archive
    file added, which old files could not be kept and what the store had instead, and which
    parts of the store are damaged (:func:`navbok.aap_history.fetch_lines`).
    """
    current = source.aap155()
    book = _read_aap155(current, f"NAV AAP155 ({current.origin})")
    store = AapStore.open(store_dir(previous))
    events: list[dict[str, Any]] = [
        {"kind": "store_damaged", "file": what, "why": why} for what, why in store.problems
    ]
    kept, not_kept = _kept_aap(previous)
    in_previous: set[str] = set()
    for raw, fetched_at in kept:
        if (sha := _sha256(raw.content)) in store.entries:  # stored already: nothing to read
            in_previous.add(sha)
            continue
        try:
            wb = _read_aap155(raw, raw.origin)
        except ParseError as exc:
            not_kept.append({"kind": "not_kept", "file": raw.name, "why": str(exc), "sha256": sha})
            continue
        if sha in store.damaged:
            for damaged in events:
                if damaged["file"] == str(store.root / f"{sha}.xlsx"):
                    damaged["repaired"] = True
        in_previous.add(_to_store(store, raw, wb, fetched_at))
    fresh = pending if pending is not None else []
    fresh.append((current, book, _now()))
    chosen = {book.year: _AapChoice(current, "NAV AAP155", {}, book.months, "nav", "", book)}
    best: dict[int, Stored] = {}

    def rank(s: Stored) -> tuple[int, bool, int]:
        return len(s.months), s.sha256 in in_previous, s.order

    for stored in store.entries.values():
        top = best.get(stored.year)
        if top is None or rank(stored) > rank(top):
            best[stored.year] = stored
    for year, stored in best.items():
        now = chosen.get(year)
        if now is None or len(stored.months) > len(now.months):
            raw = RawResponse(name=aap155_name(year), content=store.content(stored),
                              origin=stored.origin, query=stored.query)  # fmt: skip
            mine = stored.sha256 in in_previous
            label = f"NAV AAP155 (beholdt fra {'forrige snapshot' if mine else 'AAP-lageret'})"
            where = "snapshotet fra før" if mine else "AAP-lageret"
            chosen[year] = _AapChoice(raw, label, {"fetched_at": stored.fetched_at},
                                      stored.months, "kept", where)  # fmt: skip
    for event in not_kept:
        if (same := store.entries.get(str(event.get("sha256")))) is not None:
            event["same_in_store"] = f"{same.year} {aap_history.month_span(same.months)}"
        elif "sha256" not in event and store.entries:
            periods = [f"{x.year}-{m:02d}" for x in store.entries.values() for m in x.months]
            event["store"] = aap_history.held_text(periods)
    events += not_kept
    if archive is not None:
        if not archive.is_dir():
            raise SourceError(f"--nav-arkiv {archive}: no such directory")
        for path in sorted(archive.glob("*.xlsx")):
            raw = RawResponse(name=path.name, content=path.read_bytes(),
                              origin=f"file:{path.resolve()}")  # fmt: skip
            wb = _read_aap155(raw, raw.origin)
            fresh.append((raw, wb, _now()))
            now = chosen.get(wb.year)
            held = now.months if now else []
            wins = now is None or len(wb.months) > len(held)
            wins = wins or (now is not None and now.kind == "kept" and len(wb.months) == len(held))
            if wins:
                chosen[wb.year] = _AapChoice(raw, "NAV AAP155 (arkiv)", {}, wb.months, "archive",
                                             f"arkivfilen {raw.name}", wb)  # fmt: skip
            added = sorted(set(wb.months) - set(held)) if wins else []
            events.append({"kind": "archive", "file": path.name, "year": wb.year,
                           "months": wb.months, "added": added})  # fmt: skip
    won = chosen[book.year]
    if won.kind != "nav":
        events.append({"kind": "nav_fewer", "year": book.year, "nav_months": book.months,
                       "kept_months": won.months, "kept_from": won.kept_from})  # fmt: skip
    years = {}
    for year, c in sorted(chosen.items()):
        wb = c.book or _read_aap155(c.raw, c.raw.origin)
        out.add(c.raw, c.label, name=aap155_name(year), entry=c.extra)
        years[str(year)] = {"months": wb.months, "origin": c.raw.origin, "title": wb.title}
    return {
        "current_year": book.year,
        "years": years,
        "page": current.query.get("page", ""),
        "events": events,
        "store": {"folder": store.root.name, "workbooks": len(store.entries)},
    }


def _one_fetch_at_a_time(run: Callable[_P, Path]) -> Callable[_P, Path]:
    """``run`` (:func:`fetch`) holding the fetch lock of its snapshot ``dest`` throughout: two
    fetches into one snapshot run one after the other, the second waits and says for whom
    (:func:`navbok.snapshot_lock.fetching`)."""
    signature = inspect.signature(run)

    @functools.wraps(run)
    def locked(*args: _P.args, **kwargs: _P.kwargs) -> Path:
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        with snapshot_lock.fetching(bound.arguments["dest"], bound.arguments["notify"]):
            return run(*args, **kwargs)

    return locked


@_one_fetch_at_a_time
def fetch(
    source: Source,
    dest: str | os.PathLike[str] = DEFAULT_DIR,
    *,
    cat: Catalogue | None = None,
    progress: bool = False,
    nav_archive: str | os.PathLike[str] | None = None,
    max_time: float | None = None,
    notify: Callable[[str], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
    accept_gaps: bool = False,
) -> Path:
    """Download every response of the catalogue from ``source`` into the snapshot ``dest``.

    SSB tables: each table's metadata first; every measure of the register is resolved to one
    ContentsCode by its label (:mod:`navbok.contents`) and only those codes are asked for. The
    resolution (table, code, label, unit, decimals, the table's ``updated``) goes into the
    manifest. An optional table (the price table 14700) that the source does not have, or
    answers badly, is left out: nothing of it is written, and the manifest's
    ``resolution.absent`` says in one line why and what the book lacks
    (:attr:`Snapshot.absent_tables`); the fetch goes on. NAV: the current AAP155 workbook;
    every AAP155 workbook met (NAV's, the previous snapshot's, ``nav_archive``'s older ones)
    is kept in the append-only AAP store beside the snapshot (:mod:`navbok.aap_store`), and
    the snapshot's AAP years are chosen from it.

    ``max_time``: seconds the whole fetch may take (None: no bound); a source that talks to
    the network (``limit_fetch``) stops its requests and pauses at the bound, and the fetch
    checks it between steps; when it is reached the fetch fails with
    :class:`~navbok.sources.http.FetchTimeout`. ``notify`` gets one line per long wait
    («SSB ber oss vente 300 s (Retry-After) …»).

    Complete or refused: before the swap the answers are held against each other (the KLASS
    registers, the change list and the previous snapshot's registers; the KOSTRA groupings;
    the AAP155 workbooks' counties and codes; the measures the chapters need,
    :mod:`navbok.completeness`). Any gap refuses the swap with
    :class:`~navbok.completeness.IncompleteFetch`, unless ``accept_gaps``
    (``--godta-mangler``): then the manifest's ``gaps`` name them.

    Atomic: the new snapshot is written to a temporary directory beside ``dest`` and replaces
    the old one only after every response arrived, parsed and was written. Leftovers of
    fetches that died are cleaned (and a snapshot stranded by one restored) first. Returns
    ``dest``. One fetch at a time per snapshot (a second one waits), and the swap waits for
    every build that reads the snapshot (:mod:`navbok.snapshot_lock`; ``notify`` says so).
    """
    from navbok.sources.http import FetchTimeout

    cat = cat or catalogue()
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    recover(dest)
    if progress and notify is not None:
        notify = _above_the_bar(notify)
    limit = getattr(source, "limit_fetch", None)
    if callable(limit):
        limit(max_time, notify=notify, text=MORE_TIME)
    end = None if max_time is None else clock() + max_time
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}-tmp-{os.getpid()}-", dir=dest.parent))
    _ACTIVE.add(tmp.absolute())
    try:
        out = _Writer(tmp)
        pending: list[_Pending] = []  # NAV and archive workbooks: stored after the swap
        steps: list[tuple[str, Callable[[], Any]]] = [
            ("SSB", lambda: _fetch_ssb(source, cat, out)),
            *[
                (f"KLASS {d}", lambda d=d: out.add(source.codes_at(d), f"KLASS {d}"))
                for d in cat.codes_at
            ],
            ("KLASS endringer", lambda: out.add(source.changes(*cat.changes), "KLASS endringer")),
            *[
                (
                    f"KOSTRA-grupper {d}",
                    lambda d=d: out.add(source.kostra_groups(d), f"KOSTRA-grupper {d}"),
                )
                for d in cat.kostra_groups
            ],
        ]
        if cat.aap155:
            archive = Path(nav_archive) if nav_archive else None
            steps.append(("NAV AAP155", lambda: _fetch_aap(source, out, dest, archive, pending)))
        if progress:
            from tqdm import tqdm

            steps = list(tqdm(steps, desc="Henter", unit="steg"))
        results = {}
        for label, thunk in steps:
            if end is not None and max_time is not None and clock() > end:
                raise FetchTimeout(
                    f"Hentingen tok mer enn {max_time / 60:g} min og ble stoppet før {label}; "
                    f"snapshotet i {dest} er ikke endret. Prøv igjen senere, eller {MORE_TIME}."
                )
            results[label] = thunk()
        gaps = completeness.fetch_gaps(tmp, cat, results["SSB"], dest)  # before the swap
        if gaps and not accept_gaps:
            raise completeness.IncompleteFetch(gaps, dest)
        manifest = {
            "format": FORMAT,
            "created": _now(),
            "source": source.description,
            "synthetic": any(e["synthetic"] for e in out.entries),
            "files": out.entries,
            "resolution": results["SSB"],
            "nav": results.get("NAV AAP155", {}),
            **({completeness.MANIFEST_KEY: gaps} if gaps else {}),
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), "utf-8")
        with snapshot_lock.replacing(dest, notify):  # waits for the builds reading it
            _swap(tmp, dest)
        store = AapStore.open(store_dir(dest))
        for raw, wb, fetched_at in pending:  # what the new snapshot was made of, kept
            _to_store(store, raw, wb, fetched_at)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        _ACTIVE.discard(tmp.absolute())
        if callable(limit):
            limit(None)
    return dest


def _above_the_bar(notify: Callable[[str], None]) -> Callable[[str], None]:
    """``notify`` that writes its line above tqdm's progress bar instead of through it."""
    from tqdm import tqdm

    def write(line: str) -> None:
        with tqdm.external_write_mode():
            notify(line)

    return write


def _swap(new: Path, dest: Path) -> None:
    """Replace ``dest`` with ``new`` with two renames (the old one is removed afterwards).

    Should the second rename fail, the old snapshot is put back; should the process die
    between the two, :func:`recover` puts it back at the next ``fetch`` or ``Snapshot.open``.
    """
    old = None
    if dest.exists():
        old = dest.with_name(f".{dest.name}-old-{os.getpid()}")
        _ACTIVE.add(old.absolute())
        if old.exists():
            shutil.rmtree(old)
        os.replace(dest, old)
    try:
        os.replace(new, dest)
    except BaseException:
        if old is not None and not dest.exists():
            os.replace(old, dest)
        raise
    finally:
        if old is not None:
            _ACTIVE.discard(old.absolute())
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


_LEFTOVER = r"\.{name}-(?P<kind>tmp|old)-(?P<pid>\d+)(?:-[A-Za-z0-9_]+)?"
_LEGACY_TMP = r"\.{name}-tmp-[A-Za-z0-9_]{{8}}"


def _stale_leftovers(dest: Path) -> list[tuple[str, Path]]:
    """navbok's own temporary directories beside ``dest`` that no running fetch uses:
    ``(kind, path)`` with kind ``tmp`` or ``old``."""
    try:
        siblings = list(dest.parent.iterdir())
    except OSError:
        return []
    ours = re.compile(_LEFTOVER.format(name=re.escape(dest.name)))
    legacy = re.compile(_LEGACY_TMP.format(name=re.escape(dest.name)))
    found = []
    for path in siblings:
        if not path.is_dir() or path.is_symlink():
            continue
        if m := ours.fullmatch(path.name):
            pid = int(m.group("pid"))
            in_use = (
                path.absolute() in _ACTIVE if pid == os.getpid() else snapshot_lock.pid_alive(pid)
            )
            if not in_use:
                found.append((m.group("kind"), path))
        elif legacy.fullmatch(path.name):
            try:
                age = time.time() - path.stat().st_mtime
            except OSError:
                continue
            if age > LEGACY_TMP_AGE:
                found.append(("tmp", path))
    return found


def _complete(root: Path) -> bool:
    """Whether ``root`` holds a whole snapshot: a readable manifest and every file verifies."""
    try:
        Snapshot._load(root, verify=True)
    except (NavbokError, OSError):  # OSError: another process is moving it right now
        return False
    return True


def recover(dest: str | os.PathLike[str] = DEFAULT_DIR) -> Path | None:
    """Clean up after fetches that died beside the snapshot ``dest``.

    When ``dest`` is gone (a fetch died between the two renames of the swap) the stranded
    snapshot is put back: the previous one (``.<name>-old-<pid>``) if it is complete, else a new
    one (``.<name>-tmp-<pid>-*``) that is complete (manifest present, every file verifies).
    Then every temporary directory of a process that is no longer running is removed (those of
    running fetches are left alone). Returns the directory restored, or None.
    """
    dest = Path(dest)
    stale = _stale_leftovers(dest)
    restored = None
    if stale and not dest.exists():
        olds = sorted((p for k, p in stale if k == "old"), key=_mtime, reverse=True)
        tmps = sorted((p for k, p in stale if k == "tmp"), key=_mtime, reverse=True)
        for candidate in [*olds, *tmps]:
            if _complete(candidate):
                try:
                    os.replace(candidate, dest)
                except OSError:
                    continue  # another process restored it first
                restored = candidate
                break
    for _, path in stale:
        if path != restored:
            shutil.rmtree(path, ignore_errors=True)
    return restored


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


#: Fields of a manifest file entry and their types (``query`` may also be null).
_ENTRY_FIELDS: dict[str, type | tuple[type, ...]] = {
    "name": str,
    "origin": str,
    "query": (dict, type(None)),
    "fetched_at": str,
    "sha256": str,
    "synthetic": bool,
}
_SHA256 = re.compile(r"[0-9a-f]{64}")


def _file_entries(manifest: dict[str, Any], mpath: Path) -> dict[str, FileEntry]:
    """The manifest's ``files``, checked; a bad entry is named in one line."""
    files = manifest.get("files")
    again = "The snapshot cannot be trusted: fetch again with `navbok fetch`."
    if not isinstance(files, list):
        raise SnapshotError(f"{mpath}: 'files' is a {type(files).__name__}, not a list. {again}")
    entries: dict[str, FileEntry] = {}
    for n, e in enumerate(files, start=1):
        if not isinstance(e, dict):
            raise SnapshotError(
                f"{mpath}: file entry {n} is a {type(e).__name__}, not an object. {again}"
            )
        name = e.get("name")
        which = f"file entry {n} ({name})" if isinstance(name, str) else f"file entry {n}"
        for key, kind in _ENTRY_FIELDS.items():
            if key not in e:
                if key == "query":
                    continue
                raise SnapshotError(f"{mpath}: {which} has no '{key}'. {again}")
            if not isinstance(e[key], kind):
                raise SnapshotError(
                    f"{mpath}: {which} has a {type(e[key]).__name__} as '{key}'. {again}"
                )
        assert isinstance(name, str)
        parts = Path(name).parts
        if not parts or Path(name).is_absolute() or ".." in parts:
            raise SnapshotError(f"{mpath}: {which} names a path outside the snapshot. {again}")
        if not _SHA256.fullmatch(e["sha256"]):
            raise SnapshotError(f"{mpath}: {which} has no valid 'sha256'. {again}")
        entries[name] = FileEntry(
            name, e["origin"], e.get("query") or {}, e["fetched_at"], e["sha256"], e["synthetic"]
        )
    return entries


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
        self.files = _file_entries(manifest, root / MANIFEST)
        self._cache: dict[str, Any] = {}

    @classmethod
    def open(cls, root: str | os.PathLike[str] = DEFAULT_DIR, *, verify: bool = True) -> Snapshot:
        """Open a snapshot; with ``verify`` every file is checked against its sha256.

        Leftovers of fetches that died beside it are cleaned first, and a snapshot that one
        stranded between the two renames of its swap is put back (:func:`recover`).
        """
        root = Path(root)
        with contextlib.suppress(OSError):  # a read-only place: open what is there
            recover(root)
        return cls._load(root, verify=verify)

    @classmethod
    def _load(cls, root: Path, *, verify: bool) -> Snapshot:
        mpath = root / MANIFEST
        if not mpath.is_file():
            raise SnapshotError(
                f"No snapshot at {root} ({MANIFEST} is missing). Run `navbok fetch` first "
                "(offline: NAVBOK_SOURCE=DIR navbok fetch)."
            )
        try:
            manifest = json.loads(mpath.read_text("utf-8"))
        except (ValueError, OSError) as exc:
            raise SnapshotError(
                f"{mpath} is not a valid navbok manifest ({exc}). Fetch again with `navbok fetch`."
            ) from exc
        if not isinstance(manifest, dict) or "files" not in manifest:
            raise SnapshotError(
                f"{mpath} is not a valid navbok manifest (not an object with 'files'). "
                "Fetch again with `navbok fetch`."
            )
        if manifest.get("format") != FORMAT:
            raise SnapshotError(
                f"The snapshot at {root} was made by an older navbok (format "
                f"{manifest.get('format')}, this one reads {FORMAT}). Fetch again with "
                "`navbok fetch` (offline: NAVBOK_SOURCE=DIR navbok fetch)."
            )
        res = manifest.get("resolution")
        res = res if isinstance(res, dict) else {}
        for key, value, kind in (
            ("resolution", manifest.get("resolution"), dict),
            ("nav", manifest.get("nav"), dict),
            ("resolution.tables", res.get("tables"), dict),
            ("resolution.measures", res.get("measures"), list),
            ("resolution.absent", res.get("absent"), dict),
        ):
            if value is not None and not isinstance(value, kind):
                raise SnapshotError(
                    f"{mpath} is not a valid navbok manifest: '{key}' is a "
                    f"{type(value).__name__}, not {'a list' if kind is list else 'an object'}. "
                    "Fetch again with `navbok fetch`."
                )
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

    @property
    def label(self) -> str:
        """Which snapshot this is, for the reader and the build's output: its checksum's first
        12 characters and the day it was fetched («1a2b3c4d5e6f, hentet 2025-12-06»)."""
        return f"{self.checksum[:12]}, hentet {self.fetched_at[:10]}"

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
        """Snapshot data files of an SSB table (one, or its chunks in order)."""
        prefix, whole = f"ssb/{table}_part", f"ssb/{table}.json"
        parts = sorted(
            (n for n in self.files if n.startswith(prefix)),
            key=lambda n: int(n[len(prefix) : -len(".json")]),
        )
        return ([whole] if whole in self.files else []) + parts

    def has_table(self, table: str) -> bool:
        """Whether the snapshot holds data of an SSB table."""
        return bool(self.ssb_names(table))

    def ssb(self, table: str) -> jsonstat.Dataset:
        """One SSB table, its chunks joined."""

        def make() -> jsonstat.Dataset:
            names = self.ssb_names(table)
            if not names:
                raise SnapshotError(f"The snapshot at {self.root} has no SSB table {table}")
            parts = [jsonstat.parse(self.raw(n), where=n) for n in names]
            return jsonstat.concat(parts, where=f"SSB table {table}")

        return self._cached(f"ssb:{table}", make)

    def metadata(self, table: str) -> TableMetadata:
        """An SSB table's metadata (title, updated, contents and their labels)."""
        name = ssb_metadata_name(table)
        return self._cached(name, lambda: parse_metadata(self.raw(name), table, where=name))

    @cached_property
    def resolutions(self) -> list[Resolution]:
        """How each measure of the register resolved in each table when fetched."""
        doc = self.manifest.get("resolution") or {}
        try:
            return [Resolution.from_dict(r) for r in doc.get("measures", [])]
        except (TypeError, KeyError) as exc:
            raise SnapshotError(f"{self.root / MANIFEST}: malformed resolution ({exc})") from exc

    @property
    def absent_tables(self) -> dict[str, str]:
        """Optional tables the fetch went on without: table → one line why (and what the book
        then lacks)."""
        absent = (self.manifest.get("resolution") or {}).get("absent") or {}
        return {str(k): str(v) for k, v in absent.items()} if isinstance(absent, dict) else {}

    def table_info(self, table: str) -> dict[str, Any]:
        """Title, ``updated``, years and fetched contents of an SSB table (from the manifest)."""
        return dict((self.manifest.get("resolution") or {}).get("tables", {}).get(table, {}))

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

    def kostra_groups(self, date: str) -> tuple[pd.DataFrame, dict[str, str], bool]:
        """KOSTRA groups valid on ``date``: (municipality ``code`` → ``group`` frame, group
        labels, synthetic)."""
        name = kostra_groups_name(date)
        return self._cached(name, lambda: klass.read_kostra_groups(self.raw(name), where=name))

    def aap_years(self) -> list[int]:
        """Years with an AAP155 workbook in the snapshot."""
        return sorted(y for n in self.files if (y := aap155_year(n)) is not None)

    def aap_workbook(self, year: int) -> nav.Aap155:
        """NAV's AAP155 workbook of a year."""
        name = aap155_name(year)
        return self._cached(name, lambda: nav.read_aap155(self.raw(name), where=name))

    def aap_periods(self) -> list[str]:
        """Months (``YYYY-MM``) with AAP figures in the snapshot (reading them opens every AAP
        workbook once per process, unless :meth:`know_aap_periods` was told them)."""

        def make() -> tuple[str, ...]:
            return tuple(
                f"{y}-{m:02d}" for y in self.aap_years() for m in self.aap_workbook(y).months
            )

        return list(self._cached("aap-periods", make))

    def know_aap_periods(self, periods: tuple[str, ...]) -> None:
        """Take the AAP months from :mod:`navbok.national_facts` (read from this snapshot's
        workbooks by the same code) instead of opening every workbook again."""
        self._cache.setdefault("aap-periods", tuple(periods))

    def aap(self, period: str) -> pd.DataFrame:
        """NAV's AAP figures for a month: ``region`` (codes of that year; ``EAK`` = Landet),
        ``name``, ``value``, ``share``, ``status``."""
        year, month = int(period[:4]), int(period[5:7])
        f = self.aap_workbook(year).frame
        f = f[f["month"] == month]
        return f[["region", "name", "value", "share", "status"]].reset_index(drop=True)
