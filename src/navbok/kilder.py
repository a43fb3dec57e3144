"""``navbok kilder``: check the indicator register against the services, without their data.

For every SSB table of the catalogue the metadata is read (live ``/tables/{id}/metadata``, or
the recorded ``<table>.metadata.json``) and every measure resolved by its label
(:mod:`navbok.contents`); KLASS is asked for the registers and the KOSTRA groups; from NAV the
AAP page and its AAP155 workbook (about 50 kB: the workbook is the only description of what NAV
has). The report says per table: measure → code → label → unit → years
→ resolved / missing / ambiguous / mismatch, and what KLASS and NAV answered.

NAV serves only the current AAP year, so the AAP history is what the local snapshot holds: with
a snapshot (``--snapshot``, default ``data/snapshot``) the report lists its AAP months and the
Decembers missing for the KOSTRA years the services publish; without one it says so, and what a
first fetch would hold (:mod:`navbok.aap_history`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from navbok import aap_history as aap
from navbok.contents import (
    RESOLVED,
    Resolution,
    content_specs,
    optional_spec,
    resolve_one,
    resolve_table,
)
from navbok.errors import NavbokError, SourceUnreachable
from navbok.freshness import Staleness, stale_tables
from navbok.snapshot import absent_line, content_not_found, why_absent
from navbok.sources import klass
from navbok.sources.catalogue import SsbTable, catalogue
from navbok.sources.metadata import TableMetadata, parse_metadata
from navbok.sources.origin import Source

STATUS_TEXT = {
    "resolved": "funnet",
    "missing": "MANGLER",
    "ambiguous": "FLERTYDIG",
    "mismatch": "FEIL KODE",
}


@dataclass
class TableCheck:
    """One SSB table: its metadata and how each measure resolved in it."""

    table: str
    meta: TableMetadata | None
    resolutions: list[Resolution] = field(default_factory=list)
    error: str = ""
    optional: bool = False


@dataclass
class SourceReport:
    """What ``navbok kilder`` found."""

    source: str
    tables: list[TableCheck] = field(default_factory=list)
    klass: list[str] = field(default_factory=list)
    nav: list[str] = field(default_factory=list)
    aap_months: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    stale: dict[str, Staleness] = field(default_factory=dict)

    @property
    def required_missing(self) -> list[Resolution]:
        """Measures a chapter needs (not optional) that did not resolve in a table."""
        return [
            r for t in self.tables for r in t.resolutions if r.status != RESOLVED and not r.optional
        ]

    @property
    def ok(self) -> bool:
        """True when every required measure resolved and every service answered."""
        return not self.required_missing and not self.problems


def check_sources(source: Source, snapshot: Path | None = None) -> SourceReport:
    """Ask every service what it has (metadata, registers, the AAP page), not for data.

    ``snapshot``: the local snapshot whose AAP months to list (see the module docstring)."""
    from navbok.sources import nav

    report = SourceReport(source=source.description)
    specs = content_specs()
    cat = catalogue()
    for t in cat.ssb:
        if t.optional:
            report.tables.append(_check_optional(source, t))
            continue
        try:
            body = source.ssb_metadata(t.table).content
            meta = parse_metadata(body, t.table)
        except NavbokError as exc:
            report.tables.append(TableCheck(t.table, None, error=str(exc)))
            report.problems.append(f"SSB {t.table}: {exc}")
            continue
        report.tables.append(TableCheck(t.table, meta, resolve_table(meta, specs)))
    metas = {c.table: c.meta for c in report.tables if c.meta is not None}
    report.stale = stale_tables(metas, cat.continued)
    try:
        for date in cat.codes_at:
            codes = klass.read_codes(source.codes_at(date).content, where=f"KLASS {date}")
            report.klass.append(f"131 codesAt {date}: {len(codes)} kommuner")
        changes = klass.read_changes(source.changes(*cat.changes).content)
        report.klass.append(
            f"131 changes {cat.changes[0]}–{cat.changes[1]}: {len(changes)} endringer"
        )
        for date in cat.kostra_groups:
            frame, labels, _ = klass.read_kostra_groups(source.kostra_groups(date).content)
            groups = sorted(set(frame["group"]))
            report.klass.append(
                f"112 → 131 {date}: {len(frame)} kommuner i {len(groups)} KOSTRA-grupper "
                f"({groups[0]}–{groups[-1]})"
                if groups
                else f"112 → 131 {date}: ingen KOSTRA-grupper"
            )
    except NavbokError as exc:
        report.problems.append(f"KLASS: {exc}")
    served: list[str] = []
    try:
        book = nav.read_aap155(source.aap155().content)
        months = f"{book.months[0]:02d}–{book.months[-1]:02d}"
        munis = book.frame.loc[book.frame["region"] != "EAK", "region"].nunique()
        report.nav.append(f"AAP155 {book.year}, måned {months}: {munis} kommuner")
        served = [f"{book.year}-{m:02d}" for m in book.months]
    except NavbokError as exc:
        report.problems.append(f"NAV: {exc}")
    if snapshot is not None:
        metas = {t.table: t.meta for t in report.tables if t.meta is not None}
        years = aap.kostra_years(
            [r for t in report.tables for r in t.resolutions],
            lambda table: metas[table].years if table in metas else [],
        )
        report.aap_months = snapshot_aap_months(snapshot, served, years)
    return report


def snapshot_aap_months(snapshot: Path, served: list[str], years: list[int]) -> list[str]:
    """Lines on the AAP months of the local snapshot: those it holds, those NAV serves that a
    fetch would add, and the Decembers missing for the KOSTRA ``years``. ``served``: the
    periods («YYYY-MM») of NAV's current workbook (empty when NAV did not answer).

    Without a snapshot the lines say so and what a first fetch would hold (``served``)."""
    from navbok.snapshot import MANIFEST, Snapshot

    if not (snapshot / MANIFEST).is_file():
        lines = [f"Ingen snapshot i {snapshot}."]
        if served:
            lines[0] += (
                " En første henting (navbok fetch) får fra NAV bare inneværende år – "
                f"{aap.held_text(served)}."
            )
        held = served
    else:
        try:
            held = Snapshot.open(snapshot).aap_periods()
        except NavbokError as exc:
            return [f"Snapshotet i {snapshot} kan ikke leses: {exc}"]
        lines = [f"Snapshotet i {snapshot} har AAP-månedene {aap.held_text(held)}."]
        new = sorted(set(served) - set(held))
        if new:
            lines.append(f"En ny henting (navbok fetch) legger til {aap.held_text(new)}.")
            held = sorted(set(held) | set(new))
    if gap := aap.missing_decembers_text(held, years):
        lines.append(gap)
    return lines


def _check_optional(source: Source, t: SsbTable) -> TableCheck:
    """An optional table: its content found by label, or one line why the book goes without."""
    try:
        meta = parse_metadata(source.ssb_metadata(t.table).content, t.table)
    except SourceUnreachable:
        raise
    except NavbokError as exc:
        return TableCheck(t.table, None, error=absent_line(t, why_absent(exc)), optional=True)
    found = []
    if t.content is not None:
        spec = optional_spec(t, t.content)
        found = [resolve_one(spec, meta)]
        if found[0].status != RESOLVED:
            why = absent_line(t, content_not_found(found[0], t.content.labels))
            return TableCheck(t.table, meta, found, error=why, optional=True)
    return TableCheck(t.table, meta, found, optional=True)


def _years(meta: TableMetadata | None) -> str:
    if meta is None or not meta.years:
        return "–"
    return f"{meta.years[0]}–{meta.years[-1]}"


def format_report(report: SourceReport) -> str:
    """The report as text for the terminal."""
    lines = [f"Kilder: {report.source}", ""]
    for t in report.tables:
        kind = " (valgfri tabell)" if t.optional else ""
        if t.meta is None:
            lines += [f"SSB {t.table}{kind}: {t.error}", ""]
            continue
        updated = t.meta.updated[:10] or "ukjent"
        lines.append(
            f"SSB {t.table} «{t.meta.short_title}»{kind} (oppdatert {updated}, år {_years(t.meta)})"
        )
        if t.table in report.stale:
            lines.append(f"  ADVARSEL: {report.stale[t.table].message()}")
        if not t.resolutions:
            lines.append("  (ingen mål fra registeret; hentes med fast utvalg)")
        for r in t.resolutions:
            status = STATUS_TEXT.get(r.status, r.status)
            if r.optional:
                status += " (valgfritt)"
            if r.pinned:
                status += " (låst kode)"
            if r.status == RESOLVED:
                unit = f"{r.unit}, {r.decimals} des." if r.unit else "–"
                lines.append(f"  {r.measure:36s} → {r.code}  «{r.label}»  [{unit}]  {status}")
            else:
                near = "; ".join(f"«{c}»" for c in r.candidates) or "–"
                lines.append(f"  {r.measure:36s} → –  {status}; nærmeste: {near}")
        if t.error:
            lines.append(f"  {t.error}")
        lines.append("")
    lines.append("KLASS:")
    lines += [f"  {x}" for x in report.klass] or ["  –"]
    lines.append("NAV:")
    lines += [f"  {x}" for x in report.nav] or ["  –"]
    lines += [f"  {x}" for x in report.aap_months]
    lines.append("")
    missing = report.required_missing
    optional = [
        r for t in report.tables for r in t.resolutions if r.status != RESOLVED and r.optional
    ]
    if optional:
        names = ", ".join(sorted({r.measure for r in optional}))
        lines.append(f"Valgfrie mål som ikke finnes (boka sier at tallet mangler): {names}.")
    for p in report.problems:
        lines.append(f"FEIL: {p}")
    if missing:
        for r in missing:
            lines.append(f"MANGLER: {r.message()}")
    if report.ok:
        lines.append("Alle mål som kapitlene trenger, er funnet.")
    return "\n".join(lines)
