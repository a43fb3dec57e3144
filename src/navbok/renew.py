"""``navbok oppdater``: ask SSB and NAV what is new, fetch only that, rebuild the books.

:func:`what_changed` asks, without downloading any data, each SSB table of the snapshot for its
``updated`` and newest period (``GET /tables/{id}``, SOURCES.md §5: KOSTRA comes unrevised on
15 March and revised on 15 June, and only ``updated`` tells them apart) and NAV's AAP page for
its workbook link (the link changes with every release, SOURCES.md §4). :func:`renew` then

* nothing changed: fetches nothing and builds nothing;
* something changed: runs the ordinary fetch (every check of a fetch, the atomic swap, the AAP
  store) through :class:`_Reuse`, which answers from the snapshot for every table, register and
  workbook that did not change, so only the changed tables and NAV's new workbook are
  downloaded; then builds again every book in the build folder. Every book compares its
  municipality with the country, its county and its groups, so a changed table changes every
  book; the build's own cache (the snapshot's checksum in each book's key) skips none of them
  and redoes none when nothing changed.

It says what it did in one short report (:meth:`Renewal.lines`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from navbok import snapshot as snap
from navbok.present.prose import date as norwegian_date
from navbok.sources.base import RawResponse
from navbok.sources.names import AAP155_CURRENT
from navbok.sources.origin import Source

__all__ = ["Renewal", "TableChange", "renew", "what_changed"]


@dataclass(frozen=True)
class TableChange:
    """An SSB table whose ``updated`` moved."""

    table: str
    old: str  # updated in the snapshot
    new: str  # updated at the source
    last_period: str


@dataclass
class Renewal:
    """What :func:`renew` found and did."""

    fetched_at: str  # the snapshot's fetch before
    tables: list[TableChange] = field(default_factory=list)
    nav: tuple[str, str] | None = None  # the workbook link before and now
    asked: list[str] = field(default_factory=list)  # the downloads the source answered
    reused: int = 0  # answers taken from the snapshot
    rebuilt: list[str] = field(default_factory=list)  # municipality codes built again

    @property
    def changed(self) -> bool:
        """Whether SSB or NAV has anything new."""
        return bool(self.tables or self.nav)

    def lines(self) -> list[str]:
        """The report, one line per thing done (Norwegian)."""
        if not self.changed:
            return [
                f"Ingenting nytt hos SSB eller NAV siden snapshotet ble hentet "
                f"({self.fetched_at[:10]}): ingenting hentet, ingenting bygget."
            ]
        out = [
            f"SSB-tabell {c.table} er oppdatert {_day(c.new)} (før: {_day(c.old)}; nyeste "
            f"periode {c.last_period or 'ukjent'})."
            for c in self.tables
        ]
        if self.nav is not None:
            out.append("NAV har publisert en ny AAP155-fil (ny lenke på AAP-siden).")
        out.append(
            f"Hentet {len(self.asked)} svar ({', '.join(self.asked)}); {self.reused} gjenbrukt "
            "fra snapshotet."
        )
        books = len(self.rebuilt)
        out.append(
            f"Bygget på nytt: {books} {'bok' if books == 1 else 'bøker'}."
            if books
            else "Ingen bøker i byggmappen å bygge på nytt."
        )
        return out


def _day(stamp: str) -> str:
    return norwegian_date(stamp) if stamp else "ukjent"


def _current_href(s: snap.Snapshot) -> str:
    """The link the snapshot's current AAP155 workbook was downloaded from ("" if none)."""
    nav_doc = s.manifest.get("nav") or {}
    name = f"nav/AAP155-{nav_doc.get('current_year')}.xlsx"
    for entry in s.manifest.get("files", []):
        if entry.get("name") == name:
            return str((entry.get("query") or {}).get("href") or "")
    return ""


def what_changed(source: Source, s: snap.Snapshot) -> Renewal:
    """Compare the snapshot ``s`` with what ``source`` says now (no data downloaded)."""
    out = Renewal(fetched_at=s.fetched_at)
    tables = (s.manifest.get("resolution") or {}).get("tables", {})
    for table in sorted(tables):
        old = str(tables[table].get("updated") or "")
        info = source.ssb_table_info(table)
        if info["updated"] and info["updated"] != old:
            out.tables.append(TableChange(table, old, info["updated"], info["lastPeriod"]))
    href, old_href = source.aap155_href(), _current_href(s)
    if href != old_href:
        out.nav = (old_href, href)
    return out


class _Reuse:
    """A source that answers from the snapshot for what did not change and asks ``source``
    for the rest (recording in ``renewal`` what it asked and what it reused)."""

    def __init__(self, source: Source, s: snap.Snapshot, renewal: Renewal) -> None:
        self.source = source
        self.snap = s
        self.renewal = renewal
        self.description = source.description
        self.changed = {c.table for c in renewal.tables}
        self.entries = {e["name"]: e for e in s.manifest.get("files", []) if "name" in e}
        limit = getattr(source, "limit_fetch", None)
        if callable(limit):
            self.limit_fetch = limit

    def _old(self, name: str, as_name: str | None = None) -> RawResponse | None:
        entry = self.entries.get(name)
        if entry is None or name not in self.snap.files:
            return None
        self.renewal.reused += 1
        query: dict[str, Any] = dict(entry.get("query") or {})
        return RawResponse(as_name or name, self.snap.raw(name), str(entry.get("origin")), query)

    def _ask(self, what: str, get: Callable[[], Any]) -> Any:
        self.renewal.asked.append(what)
        return get()

    def ssb_metadata(self, table: str) -> RawResponse:
        if table not in self.changed and (old := self._old(f"ssb/{table}.metadata.json")):
            return old
        return self._ask(f"SSB {table} metadata", lambda: self.source.ssb_metadata(table))

    def ssb_table(
        self,
        table: str,
        selection: Mapping[str, Sequence[str] | str],
        meta_body: bytes | None = None,
    ) -> list[RawResponse]:
        names = self.snap.ssb_names(table) if table not in self.changed else []
        old = [r for n in names if (r := self._old(n)) is not None]
        if old and len(old) == len(names):
            return old
        return self._ask(f"SSB {table}", lambda: self.source.ssb_table(table, selection, meta_body))

    def codes_at(self, day: str) -> RawResponse:
        from navbok.sources.names import codes_at_name

        return self._old(codes_at_name(day)) or self._ask(
            f"KLASS {day}", lambda: self.source.codes_at(day)
        )

    def changes(self, date_from: str, date_to: str) -> RawResponse:
        from navbok.sources.names import changes_name

        return self._old(changes_name(date_from, date_to)) or self._ask(
            "KLASS endringer", lambda: self.source.changes(date_from, date_to)
        )

    def kostra_groups(self, day: str) -> RawResponse:
        from navbok.sources.names import kostra_groups_name

        return self._old(kostra_groups_name(day)) or self._ask(
            f"KOSTRA-grupper {day}", lambda: self.source.kostra_groups(day)
        )

    def aap155(self) -> RawResponse:
        year = (self.snap.manifest.get("nav") or {}).get("current_year")
        if self.renewal.nav is None and (
            old := self._old(f"nav/AAP155-{year}.xlsx", AAP155_CURRENT)
        ):
            return old
        return self._ask("NAV AAP155", self.source.aap155)

    def ssb_table_info(self, table: str) -> dict[str, str]:
        return self.source.ssb_table_info(table)

    def aap155_href(self) -> str:
        return self.source.aap155_href()


def renew(
    source: Source,
    snapshot: Path,
    build_dir: Path,
    *,
    notify: Callable[[str], None] | None = None,
    build: Callable[[list[str]], None] | None = None,
) -> Renewal:
    """Fetch what changed into ``snapshot`` and build again the books in ``build_dir``.

    ``build``: builds the given municipalities (default: :func:`navbok.builder.pipeline.main`
    into ``build_dir``)."""
    from navbok.site.publish.folder import built_books

    before = snap.Snapshot.open(snapshot, verify=False)
    renewal = what_changed(source, before)
    if not renewal.changed:
        return renewal
    snap.fetch(_Reuse(source, before, renewal), snapshot, notify=notify)
    codes = built_books(Path(build_dir)) if Path(build_dir).is_dir() else []
    if codes:
        if build is None:
            from navbok.builder.pipeline import main as build_books

            build_books(kommune=",".join(codes), all_=False, snapshot=snapshot,
                        build_dir=Path(build_dir), notify=notify)  # fmt: skip
        else:
            build(codes)
        renewal.rebuilt = codes
    return renewal
