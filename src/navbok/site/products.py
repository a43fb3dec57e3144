"""The national site around the books: ``_build/site/`` and each book's downloads and summary.

:func:`build_site` runs in the build process after every ``navbok build`` (one, several or all
municipalities), once per build, not per chapter. Everything it writes comes from the build
folder's state, not from the last call: a book is every ``_build/<kommune>/`` with a
``build.json`` and an ``html/index.html``.

* ``site/index.html``: the national overview (:mod:`navbok.site.landing`) with
  ``site/_static/navbok-vega.js`` (the books' Vega bundle) and ``site/_static/navbok-geo.js``
  (the country's geometry, once, :func:`navbok.present.maps.geometry_script`);
* ``site/data/navbok-kommuner.{csv,parquet,metadata.json}``: the country's open data
  (:func:`navbok.site.national.write_national`), copied (checked) from the national facts
  (:mod:`navbok.national_facts`: made once per snapshot and code version) when the build
  folder's copy is not of this snapshot and navbok (``site/data/.navbok-key``);
* per book ``html/data/navbok-<kommune>.xlsx`` + ``html/data/metadata.json``
  (:mod:`navbok.site.workbook`) and ``html/sammendrag.html`` (:mod:`navbok.site.summary`),
  made again only when the book was rendered again (the book key in ``metadata.json``).

Cost for the country: the overview (from the national facts) and maps ≈ 0.3 s, the national
files ≈ 0.1 s (a copy), a book's workbook and summary ≈ 40 ms.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing as mp
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from navbok import geo, national_facts, yaml_io
from navbok.builder.keys import code_fingerprint, digest
from navbok.builder.plan import read_state
from navbok.builder.staging import staged_name
from navbok.data import NavData
from navbok.present import maps
from navbok.present.bundle import BUNDLE_NAME
from navbok.present.exports import Provenance
from navbok.present.numbers import fmt_seconds
from navbok.project import Project
from navbok.report.facts import read_facts
from navbok.report.maps import county_values
from navbok.site.landing import Book, Download, landing_page
from navbok.site.overview import Overview, overview
from navbok.site.summary import SUMMARY_NAME, write_summary
from navbok.site.workbook import METADATA_NAME, write_workbook

__all__ = ["GEO_SCRIPT", "SITE", "SiteStats", "build_site", "built_books"]

SITE = "site"
GEO_SCRIPT = "navbok-geo.js"
DATA = "data"
_KEY_FILE = ".navbok-key"
#: From a book's html folder to the overview (books are ``_build/<kommune>/html``).
OVERVIEW_FROM_BOOK = "../../site/index.html"
#: From this many books on, the workbooks and summaries are made in forked workers.
PARALLEL_FROM = 16


@dataclass
class SiteStats:
    """What :func:`build_site` did and how long each part took (seconds)."""

    books: int = 0
    downloads: int = 0  # books whose workbook and summary were made
    national: bool = False  # the country's files were written
    seconds: dict[str, float] = field(default_factory=dict)


def built_books(build_dir: Path, codes: list[str]) -> dict[str, str]:
    """Book key by municipality code: every built book in ``build_dir`` (of ``codes``)."""
    out = {}
    for code in codes:
        out_dir = build_dir / code
        state = read_state(out_dir) if out_dir.is_dir() else {}
        if state.get("book") and (out_dir / "html" / "index.html").is_file():
            out[code] = str(state["book"])
    return out


def _asss_variant(book_dir: Path) -> str:
    """The ASSS definition a built book used (``asss_variant`` of its staged params)."""
    try:
        text = (book_dir / "src" / "params.yml").read_text("utf-8")
    except OSError:  # a book staged before params were staged: the default set
        return "default"
    doc = yaml_io.load_plain(text, str(book_dir / "src" / "params.yml"))
    variant = doc.get("asss_variant") if isinstance(doc, dict) else None
    return str(variant) if variant else "default"


def _copy_if_changed(src: Path, dest: Path) -> None:
    if dest.is_file() and dest.stat().st_size == src.stat().st_size:
        with src.open("rb") as a, dest.open("rb") as b:
            if a.readline() == b.readline():  # the bundle's first line names its versions
                return
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)


def _write_if_changed(dest: Path, text: str) -> None:
    if dest.is_file() and dest.read_text("utf-8") == text:
        return
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(text, "utf-8")


def _national(data: NavData, site: Path) -> tuple[list[Download], bool]:
    """The country's files (written when the snapshot or navbok changed) and their links."""
    from navbok.site import national

    dest = site / DATA
    key = digest(data.snapshot.checksum, code_fingerprint())
    names = [national.CSV_NAME, national.PARQUET_NAME, national.METADATA_NAME]
    key_file = dest / _KEY_FILE
    fresh = not (
        key_file.is_file()
        and key_file.read_text("utf-8") == key
        and all((dest / n).is_file() for n in names)
    )
    if fresh:  # copied from the national facts (made once per snapshot and code version)
        if not national_facts.copy_national_files(data, dest):
            frame = national.national_frame(data)
            national.write_national(frame, dest, national.NationalProvenance.of(data))
        key_file.write_text(key, "utf-8")
    labels = [
        "Alle indikatorer, alle kommuner og år (CSV, semikolon, desimalkomma)",
        "Samme tabell som Parquet",
        "Metadata: definisjoner, kilder, lisens (JSON)",
    ]
    links = [
        Download(f"{DATA}/{n}", label, (dest / n).stat().st_size)
        for n, label in zip(names, labels, strict=True)
    ]
    return links, fresh


@dataclass
class _BookJob:
    """Make one book's workbook, metadata and print summary (also in a forked worker)."""

    data: NavData
    view: Overview
    provenance: Provenance
    build_dir: Path
    chapters: list[str]
    map_values: list[dict] | None

    def __call__(self, item: tuple[str, str]) -> str:
        code, book_key = item
        html_dir = self.build_dir / code / "html"
        stage = self.build_dir / code / "src"
        write_workbook(
            [stage / c for c in self.chapters if (stage / c).is_file()],
            html_dir / DATA,
            kommune=code,
            name=self.data.name(code),
            synthetic=bool(self.data.snapshot.synthetic),
            extra={"book": book_key, "fetched_at": str(self.data.snapshot.fetched_at)},
            facts=read_facts(stage / self.chapters[0]),
        )
        write_summary(
            self.data, self.view, code, html_dir, stage / self.chapters[0],
            provenance=self.provenance, overview_href=OVERVIEW_FROM_BOOK,
            workbook_href=f"{DATA}/navbok-{code}.xlsx", map_values=self.map_values,
        )  # fmt: skip
        return code


# The job of a build_site call, inherited by its forked workers (not pickled with each task:
# it holds the data, and pickling it for every chunk of books cost more than the books).
_JOB: list[_BookJob] = []


def _forked_job(item: tuple[str, str]) -> str:
    return _JOB[0](item)


def _run_jobs(job: _BookJob, todo: list[tuple[str, str]], workers: int) -> None:
    """Run ``job`` for every book: for many books in ``workers`` processes (the kernels have
    stopped by now, so the cores are free), this one and ``workers - 1`` forked from it —
    each fork counts the build process's memory once more in the sum of the processes'
    resident memory — else here."""
    if workers > 1 and len(todo) >= PARALLEL_FROM and "fork" in mp.get_all_start_methods():
        _JOB[:] = [job]
        try:
            with mp.get_context("fork").Pool(workers - 1) as pool:
                theirs = [item for i, item in enumerate(todo) if i % workers]
                pending = pool.imap_unordered(_forked_job, theirs, chunksize=4)
                for item in todo[::workers]:
                    job(item)
                for _ in pending:
                    pass
        finally:
            _JOB.clear()
    else:
        for item in todo:
            job(item)


def build_site(
    data: NavData,
    build_dir: Path,
    static_dir: Path,
    project: Project,
    *,
    workers: int | None = None,
    notify: Callable[[str], None] | None = None,
) -> tuple[Path, SiteStats]:
    """Write the national overview, the country's files and every book's downloads.

    ``static_dir``: the books' static files (:class:`navbok.builder.stage.StaticFiles`), whose
    Vega bundle the site shares. Returns ``site/index.html`` and what was done."""
    stats = SiteStats()
    workers = workers or os.cpu_count() or 1
    t0 = time.perf_counter()
    build_dir = Path(build_dir)
    site = build_dir / SITE
    codes = list(data.register.target_codes)
    books = built_books(build_dir, codes)
    stats.books = len(books)
    view = overview(data)
    provenance = Provenance.of(data.snapshot)
    stats.seconds["overview"] = time.perf_counter() - t0

    t = time.perf_counter()
    _copy_if_changed(Path(static_dir) / BUNDLE_NAME, site / "_static" / BUNDLE_NAME)
    _write_if_changed(site / "_static" / GEO_SCRIPT, maps.geometry_script(geo.load_topology()))
    downloads, stats.national = _national(data, site)
    stats.seconds["national"] = time.perf_counter() - t

    t = time.perf_counter()
    chapters = [staged_name(rel) for rel in project.chapters()]
    links: dict[str, Book] = {}
    todo = []
    for code, book_key in books.items():
        html_dir = build_dir / code / "html"
        made = ""
        with contextlib.suppress(OSError, ValueError):
            made = json.loads((html_dir / DATA / METADATA_NAME).read_text("utf-8")).get("book", "")
        if made != book_key or not (html_dir / SUMMARY_NAME).is_file():
            todo.append((code, book_key))
        prefix = f"../{code}/html/"
        links[code] = Book(
            code,
            prefix + "index.html",
            prefix + SUMMARY_NAME,
            f"{prefix}{DATA}/navbok-{code}.xlsx",
            _asss_variant(build_dir / code),
        )
    if todo:
        year = view.years.get("andel_18_66")
        job = _BookJob(data, view, provenance, build_dir, chapters,
                       county_values(data, "andel_18_66", year) if year else None)  # fmt: skip
        _run_jobs(job, todo, workers)
        stats.downloads = len(todo)
    stats.seconds["books"] = time.perf_counter() - t

    t = time.perf_counter()
    page = landing_page(
        view, links, site, provenance=provenance, downloads=downloads,
        full_names=data.register.names,
    )  # fmt: skip
    stats.seconds["landing"] = time.perf_counter() - t
    if notify is not None and stats.downloads:
        notify(
            f"Nettstedet: {len(books)} bøker i oversikten, {stats.downloads} arbeidsbøker og "
            f"sammendrag laget; {fmt_seconds(sum(stats.seconds.values()))}."
        )
    return page, stats
