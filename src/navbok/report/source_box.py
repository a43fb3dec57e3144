"""The source box that ends every chapter: each table with the contents fetched, its update
date, preliminary figures and whether it has stopped updating (:mod:`navbok.freshness`), the
fetch date, stitched series, notes and what is missing; with ``prices`` the price index too.

The box's words are the book's, beside the chapters: ``chapters/_tekster/kildeboks.html`` (the
box, its fixed sentences; every value HTML-escaped) and ``chapters/_tekster/kildeboks.txt``
(the sentences the rules here choose and fill, as Jinja macros). This module keeps the rules:
which tables and contents, which tense a preliminary figure is told in, which notes apply."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from navbok.availability import indicator_measures, leaf_measures
from navbok.builder.keys import SHARED_TEXTS
from navbok.data import NavData
from navbok.freshness import Staleness, stale_tables
from navbok.national_facts import national_pass
from navbok.present.prose import date, month
from navbok.project import Project
from navbok.regions import Register
from navbok.register import register_doc
from navbok.report.breaks import CASE_TABLES
from navbok.report.context import Context
from navbok.report.prices import deflator, source_line
from navbok.snapshot import Snapshot
from navbok.sources.catalogue import catalogue
from navbok.sources.metadata import is_preliminary

#: Where the box's words are (relative to the project root; in every chapter's build key).
TEXTS = SHARED_TEXTS
#: A line break and the indentation after it in ``kildeboks.html``: layout only.
_LAYOUT = re.compile(r"\n[ \t]*")


@cache
def _environment(folder: Path, escape_html: bool) -> jinja2.Environment:
    """The box's templates in ``folder``; ``escape_html``: every value is written HTML-escaped
    (``kildeboks.html``), else as plain text (the sentences of ``kildeboks.txt``)."""

    def finalize(value: Any) -> str:
        text = "" if value is None else str(value)
        return html.escape(text) if escape_html else text

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        finalize=finalize,
    )


def _template(name: str) -> jinja2.Template:
    """One of the box's templates (:data:`TEXTS` in the project, :class:`Project`)."""
    folder = Project.find().root / TEXTS
    return _environment(folder, name.endswith(".html")).get_template(name)


def words(macro: str, *args: object) -> str:
    """The sentence ``macro`` of ``kildeboks.txt`` filled with ``args`` (plain text)."""
    return str(getattr(_template("kildeboks.txt").module, macro)(*args)).strip()


def population_label() -> str:
    """The population behind every share «per innbygger», said one way (the captions say
    «1. januar året etter» for a statistics year, «1. januar samme år» for a month of the
    current year)."""
    return words("befolkning")


def preliminary_sentence(year: int, updated: str, fetched: str) -> str:
    """That a table's figures for ``year`` are preliminary, in the tense the fetch date
    (``fetched``, ISO) allows: SSB publishes the revised figures 15 June of the next year."""
    revised = f"{year + 1}-06-15"
    return words("forelopige", year, date(updated), date(revised), fetched < revised)


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
        html_text = _template("kildeboks.html").render(
            tables=self.tables,
            fetched=self.fetched,
            notes=[*self.stitches, *self.notes],
            missing=self.missing,
            synthetic=self.synthetic,
        )
        return _LAYOUT.sub("", html_text)


class Sources:
    """The chapters' source boxes for one municipality."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def stale(self) -> dict[str, Staleness]:
        """The snapshot's tables that have stopped updating (:mod:`navbok.freshness`)."""
        return stale_in(self.ctx.data)

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
            labels.setdefault("07459", [population_label()])
        price_notes: list[str] = []
        if prices:
            base = ctx.years[-1]
            d = deflator(ctx, base)
            if d.kpi is not None and not ctx.params.price_index:
                labels.setdefault(d.kpi.table, [source_line(d, base)])
            elif d.index is not None:
                price_notes.append(words("faste_kroner", base, d.words))
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
            notes.append(words("tilfeller"))
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
        out.append(words("delt", old_name.split(" - ")[0], year, name, known))
    return out


@national_pass
def stale_in(data: NavData) -> dict[str, Staleness]:
    """The snapshot's tables that have stopped updating, once per loaded snapshot."""
    snap = data.snapshot
    cat = catalogue()
    metas = {
        t.table: snap.metadata(t.table)
        for t in cat.ssb
        if f"ssb/{t.table}.metadata.json" in snap.files
    }
    return stale_tables(metas, cat.continued)
