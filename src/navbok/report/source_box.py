"""The source box that ends every chapter: each table with the contents fetched, its update
date, preliminary figures and whether it has stopped updating (:mod:`navbok.freshness`), the
fetch date, stitched series, notes and what is missing; with ``prices`` the price index too."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from navbok.availability import indicator_measures, leaf_measures
from navbok.freshness import Staleness, stale_tables
from navbok.present.prose import date, month
from navbok.regions import Register
from navbok.register import register_doc
from navbok.report.breaks import CASE_TABLES
from navbok.report.context import Context
from navbok.report.prices import deflator, source_line
from navbok.snapshot import Snapshot
from navbok.sources.catalogue import catalogue
from navbok.sources.metadata import is_preliminary

#: The population behind every share «per innbygger», said one way (the captions say «1. januar
#: året etter» for a statistics year, «1. januar samme år» for a month of the current year).
POPULATION_LABEL = (
    "Personer 18–66 år per 1. januar. For et statistikkår brukes 1. januar året etter, altså "
    "befolkningen ved utgangen av året; for AAP i en måned av inneværende år 1. januar samme år"
)


def preliminary_sentence(year: int, updated: str, fetched: str) -> str:
    """That a table's figures for ``year`` are preliminary, in the tense the fetch date
    (``fetched``, ISO) allows: SSB publishes the revised figures 15 June of the next year."""
    revised = f"{year + 1}-06-15"
    if fetched < revised:
        return (
            f"Tallene for {year} er foreløpige (tabellen ble oppdatert {date(updated)}; SSB "
            f"publiserer reviderte tall {date(revised)})."
        )
    return (
        f"Tallene for {year} er foreløpige: SSB skulle publisere reviderte tall "
        f"{date(revised)}, men tabellen er ikke oppdatert siden {date(updated)}."
    )


CASES_NOTE = (
    "Fra 2022 (tabell 13995 og 14019) teller SSB sosialhjelpstilfeller, ikke mottakere: en person "
    "som har fått stønad i flere kommuner i løpet av året, telles én gang i hver kommune. Tall "
    "fra før og etter 2022 er derfor ikke helt sammenlignbare. Der boka sier «mottakere» om år "
    "fra 2022, er det sosialhjelpstilfeller."
)


@dataclass
class SourceTable:
    """One source table in a source box."""

    name: str
    title: str
    labels: list[str]
    updated: str
    preliminary: str = ""
    stale: str = ""


@dataclass
class SourceBox:
    """The source box that ends every chapter."""

    tables: list[SourceTable]
    fetched: str
    synthetic: list[str]
    stitches: list[str]
    notes: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        lines = [
            f"{t.name} «{t.title}»: {', '.join(t.labels)}" + (f" ({t.stale})" if t.stale else "")
            for t in self.tables
        ]
        return "Kilder: " + "; ".join(lines) + f". Hentet {self.fetched}."

    def _repr_html_(self) -> str:
        esc = html.escape
        items = []
        for t in self.tables:
            updated = f" Oppdatert {esc(t.updated)}." if t.updated else ""
            prelim = (
                f' <strong class="navbok-preliminary">{esc(t.preliminary)}</strong>'
                if (t.preliminary)
                else ""
            )
            stale = f' <strong class="navbok-stale">{esc(t.stale)}</strong>' if t.stale else ""
            items.append(
                f"<li><strong>{esc(t.name)}</strong> «{esc(t.title)}»: "
                f"{esc('; '.join(t.labels))}.{updated}{prelim}{stale}</li>"
            )
        synth = ""
        if self.synthetic:
            synth = (
                '<p class="navbok-synthetic"><strong>Syntetiske data:</strong> '
                f"{esc(', '.join(self.synthetic))} er laget for test og demonstrasjon. "
                "Tallene er ikke offisiell statistikk.</p>"
            )
        missing = ""
        if self.missing:
            missing = (
                "<p><strong>Tall som mangler:</strong></p><ul>"
                + "".join(f"<li>{esc(m)}</li>" for m in self.missing)
                + "</ul>"
            )
        notes = "".join(f"<li>{esc(s)}</li>" for s in [*self.stitches, *self.notes])
        return (
            '<aside class="navbok-sources" aria-label="Kilder for kapittelet">'
            "<h2>Kilder</h2>"
            f"<ul>{''.join(items)}</ul>"
            f"<p>Data hentet {esc(self.fetched)}. Kommunenummer er harmonisert til gjeldende "
            "kommuneinndeling (SSB KLASS); sammenslåtte kommuner er summert, og andeler er "
            "regnet på nytt fra tellere og nevnere.</p>"
            f"<ul>{notes}</ul>{missing}{synth}"
            "<p>Kilde: Statistisk sentralbyrå (CC BY 4.0) og NAV (CC BY 4.0).</p></aside>"
        )


class Sources:
    """The chapters' source boxes for one municipality."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def stale(self) -> dict[str, Staleness]:
        """The snapshot's tables that have stopped updating (:mod:`navbok.freshness`)."""
        snap = self.ctx.data.snapshot

        def compute() -> dict[str, Staleness]:
            cat = catalogue()
            metas = {
                t.table: snap.metadata(t.table)
                for t in cat.ssb
                if f"ssb/{t.table}.metadata.json" in snap.files
            }
            return stale_tables(metas, cat.continued)

        return self.ctx.data.memo("stale-tables", compute)

    def box(self, indicators: list[str], *, prices: bool = False) -> SourceBox:
        """The chapter's sources: each table's title, the contents fetched (by their labels),
        the table's ``updated`` date, whether it has stopped updating, the fetch date, what is
        missing and synthetic data. ``prices``: the chapter shows amounts in fixed kroner of the
        last year, so the price index it uses is a source too (the snapshot's KPI table, or a
        note naming the params' price index file)."""
        ctx = self.ctx
        snap = ctx.data.snapshot
        doc = register_doc()
        by_id = {i["id"]: i for i in doc["indicators"]}
        contents: list[str] = []
        extra: set[str] = set()
        for i in indicators:
            contents += indicator_measures(by_id[i], doc)
            for m in leaf_measures(by_id[i], doc):
                if "population" in doc["measures"][m]:
                    extra.add("07459")
                elif "aap" in doc["measures"][m]:
                    extra.add("AAP155")
        labels: dict[str, list[str]] = {}
        for r in snap.resolutions:
            if r.measure in contents and r.status == "resolved" and r.label:
                labels.setdefault(r.table, [])
                if r.label not in labels[r.table]:
                    labels[r.table].append(r.label)
        if "07459" in extra:
            labels.setdefault("07459", [POPULATION_LABEL])
        price_notes: list[str] = []
        if prices:
            base = ctx.years[-1]
            d = deflator(ctx, base)
            if d.kpi is not None and not ctx.params.price_index:
                labels.setdefault(d.kpi.table, [source_line(d, base)])
            elif d.index is not None:
                price_notes.append(
                    f"Faste kroner ({base}-kroner): prisindeksen i bokas parameterfil ({d.words})."
                )
        stale = self.stale()
        order = [t.table for t in catalogue().ssb]
        tables = []
        for t in sorted(labels, key=lambda t: order.index(t) if t in order else len(order)):
            info = snap.table_info(t)
            meta = snap.metadata(t) if f"ssb/{t}.metadata.json" in snap.files else None
            title = (meta.short_title if meta else info.get("title", "")) or t
            updated = (meta.updated if meta else info.get("updated", ""))[:10]
            # KOSTRA's preliminary figures concern annual tables only (not the monthly KPI)
            years = meta.years if meta and meta.newest_period.isdigit() else []
            prelim = (
                preliminary_sentence(years[-1], updated, snap.fetched_at[:10])
                if years and is_preliminary(updated, years[-1])
                else ""
            )
            flag = stale[t].message() if t in stale else ""
            tables.append(SourceTable(f"SSB {t}", title, labels[t], date(updated), prelim, flag))
        if "AAP155" in extra and snap.aap_years():
            periods = snap.aap_periods()
            first, last = periods[0], periods[-1]
            tables.append(
                SourceTable(
                    "NAV AAP155",
                    "Mottakere av arbeidsavklaringspenger. Kommune",
                    [f"Antall mottakere per måned, {month(first)}–{month(last)}"],
                    "",
                    "",
                )
            )
        synthetic = sorted(
            t.name for t in tables if any(snap.files[n].synthetic for n in _files_of(snap, t.name))
        )
        # Every chapter stands on KLASS (the municipal register and the KOSTRA groups): when it
        # is synthetic, the list says so, as the banner and the downloads do.
        if any(n.startswith("klass/") and e.synthetic for n, e in snap.files.items()):
            synthetic.append(KLASS_LABEL)
        used = {t.name.split()[1] for t in tables if t.name.startswith("SSB ")}
        stitches = [s.describe() for s in ctx.data.stitches if used & set(s.tables)]
        notes = list(price_notes)
        if used & CASE_TABLES:
            notes.append(CASES_NOTE)
        notes += split_notes(ctx.data.register, ctx.kommune, ctx.name)
        avail = ctx.data.availability
        # what is missing, unless the page has told it already (a gap is explained once)
        missing = [avail.unavailable[i] for i in indicators if i in avail.unavailable]
        missing += [g for i in indicators for g in avail.gaps.get(i, [])]
        missing = [m for m in dict.fromkeys(missing) if ctx.explain(m)]
        return SourceBox(
            tables,
            date(snap.fetched_at[:10]),
            synthetic,
            stitches,
            notes,
            list(dict.fromkeys(missing)),
        )


#: KLASS in a source box's list of synthetic sources (as the downloads name it).
KLASS_LABEL = "KLASS (kommuneinndeling)"


def _files_of(snap: Snapshot, table: str) -> list[str]:
    """The snapshot's files of a source box's table («SSB 13995», «NAV AAP155»)."""
    if table.startswith("SSB "):
        return snap.ssb_names(table[4:])
    return [n for n in snap.files if n.startswith("nav/")]


def split_notes(register: Register, kommune: str, name: str) -> list[str]:
    """What the reader must know when the municipality got a part of a split municipality."""
    out = []
    for _, old_name, year, known in register.split_parts(kommune):
        old = old_name.split(" - ")[0]
        if known:
            out.append(
                f"{old} ble delt i {year}: tallene for {old} før {year} er fordelt på de nye "
                f"kommunene etter hvor mange innbyggere hver av dem fikk, også for {name}."
            )
        else:
            out.append(
                f"{old} ble delt i {year}, og det er ikke kjent hvor mange innbyggere som kom "
                f"til {name}. Tall for {name} før {year} vises derfor ikke."
            )
    return out
