"""``navbok kilder``: check the indicator register against the services, without their data.

For every SSB table of the catalogue the metadata is read (live ``/tables/{id}/metadata``, or
the recorded ``<table>.metadata.json``) and every measure resolved by its label
(:mod:`navbok.contents`); KLASS is asked for the registers and the KOSTRA groups; from NAV the
AAP page and its AAP155 workbook (about 50 kB: the workbook is the only description of what NAV
has). The report says per table: measure → code → label → unit → years
→ resolved / missing / ambiguous / mismatch, and what KLASS and NAV answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from navbok.contents import RESOLVED, Resolution, content_specs, resolve_table
from navbok.errors import NavbokError
from navbok.sources import klass
from navbok.sources.catalogue import catalogue
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


@dataclass
class SourceReport:
    """What ``navbok kilder`` found."""

    source: str
    tables: list[TableCheck] = field(default_factory=list)
    klass: list[str] = field(default_factory=list)
    nav: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

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


def check_sources(source: Source) -> SourceReport:
    """Ask every service what it has (metadata, registers, the AAP page), not for data."""
    from navbok.sources import nav

    report = SourceReport(source=source.description)
    specs = content_specs()
    cat = catalogue()
    for t in cat.ssb:
        try:
            body = source.ssb_metadata(t.table).content
            meta = parse_metadata(body, t.table)
        except NavbokError as exc:
            report.tables.append(TableCheck(t.table, None, error=str(exc)))
            report.problems.append(f"SSB {t.table}: {exc}")
            continue
        report.tables.append(TableCheck(t.table, meta, resolve_table(meta, specs)))
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
    try:
        book = nav.read_aap155(source.aap155().content)
        months = f"{book.months[0]:02d}–{book.months[-1]:02d}"
        munis = book.frame.loc[book.frame["region"] != "EAK", "region"].nunique()
        report.nav.append(f"AAP155 {book.year}, måned {months}: {munis} kommuner")
    except NavbokError as exc:
        report.problems.append(f"NAV: {exc}")
    return report


def _years(meta: TableMetadata | None) -> str:
    if meta is None or not meta.years:
        return "–"
    return f"{meta.years[0]}–{meta.years[-1]}"


def format_report(report: SourceReport) -> str:
    """The report as text for the terminal."""
    lines = [f"Kilder: {report.source}", ""]
    for t in report.tables:
        if t.meta is None:
            lines += [f"SSB {t.table}: {t.error}", ""]
            continue
        updated = t.meta.updated[:10] or "ukjent"
        lines.append(
            f"SSB {t.table} «{t.meta.short_title}» (oppdatert {updated}, år {_years(t.meta)})"
        )
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
        lines.append("")
    lines.append("KLASS:")
    lines += [f"  {x}" for x in report.klass] or ["  –"]
    lines.append("NAV:")
    lines += [f"  {x}" for x in report.nav] or ["  –"]
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
