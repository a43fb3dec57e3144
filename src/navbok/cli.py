"""The ``navbok`` command."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import click
import typer

from navbok import snapshot_lock
from navbok.errors import NavbokError, os_error_message
from navbok.snapshot import DEFAULT_DIR, Snapshot

_IMPORTED = time.time()  # when psutil cannot say when the process started
F = TypeVar("F", bound=Callable[..., Any])
# How commands and click end on purpose (an exit code, a usage error): passed on as they are.
_CLICK_EXITS = (typer.Exit, typer.Abort, click.exceptions.Exit, click.exceptions.Abort,
                click.ClickException)  # fmt: skip

app = typer.Typer(
    help="navbok: en reproduserbar analysepublikasjon om sosialtjenesten i norske kommuner.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

SnapshotOpt = Annotated[Path, typer.Option("--snapshot", help="Snapshot directory.")]
FromOpt = Annotated[
    Path | None,
    typer.Option(
        "--from",
        help="Directory of recorded responses (default: $NAVBOK_SOURCE, else the live services).",
    ),
]


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"navbok: {message}", err=True)
    raise typer.Exit(code)


def _debug() -> bool:
    return os.environ.get("NAVBOK_DEBUG", "") not in ("", "0")


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, NavbokError):
        return str(exc).rstrip()
    if isinstance(exc, OSError):
        return os_error_message(exc)
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _guarded(command: F) -> F:
    """Every command: a NavbokError or an OSError (read-only folder, full disk, …) becomes one
    line naming the file and what to do, exit 1. Any other exception is a bug in navbok: one
    line saying so, exit 2; with ``NAVBOK_DEBUG=1`` every exception shows its traceback."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except _CLICK_EXITS:
            raise
        except (NavbokError, OSError) as exc:
            if _debug():
                raise
            _fail(_one_line(exc))
        except Exception as exc:
            if _debug():
                raise
            _fail(
                f"internal error ({_one_line(exc)}); run again with NAVBOK_DEBUG=1 to see "
                "where, and report it.",
                code=2,
            )

    return run  # type: ignore[return-value]


def _since_start() -> float:
    """Seconds since this process started (start-up and imports included)."""
    try:  # Linux: the start in clock ticks after boot, against the seconds since boot
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return max(uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK"), 0.0)
    except (OSError, ValueError, IndexError):
        return time.time() - _IMPORTED


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@app.command()
@_guarded
def fetch(
    from_dir: FromOpt = None,
    snapshot: SnapshotOpt = DEFAULT_DIR,
    nav_arkiv: Annotated[
        Path | None,
        typer.Option(
            "--nav-arkiv",
            envvar="NAVBOK_NAV_ARKIV",
            help="Directory of older AAP155 workbooks (*.xlsx) to add; NAV serves only the "
            "current year.",
        ),
    ] = None,
    max_tid: Annotated[
        float,
        typer.Option(
            "--max-tid",
            envvar="NAVBOK_FETCH_TIMEOUT",
            min=0.1,
            help="Minutes the whole fetch may take; when they run out the fetch stops and the "
            "old snapshot is kept.",
        ),
    ] = 30.0,
    godta_mangler: Annotated[
        bool,
        typer.Option(
            "--godta-mangler",
            help="Accept known gaps in the answers (a municipality register that lacks "
            "municipalities, a KOSTRA grouping that lacks members, an AAP155 workbook with "
            "counties or codes the register does not know, a required measure missing or "
            "ambiguous): the snapshot is replaced anyway, and the manifest and this command "
            "name the gaps. Without it such a fetch stops and the old snapshot is kept.",
        ),
    ] = False,
) -> None:
    """Fetch every table once for all municipalities into the data snapshot.

    Every answer is checked before the new snapshot replaces the old one: its shape, and
    whether the answers are complete together (registers, KOSTRA groups, AAP155, measures).
    A gap stops the fetch in one line and keeps the old snapshot, unless --godta-mangler."""
    from navbok import snapshot as snap
    from navbok.completeness import accepted_gaps
    from navbok.sources.origin import default_source

    existed = (snapshot / snap.MANIFEST).is_file()
    try:
        source = default_source(from_dir)
        typer.echo(f"Henter fra {source.description} til {snapshot} …")
        snap.fetch(
            source, snapshot, progress=sys.stderr.isatty(), nav_archive=nav_arkiv,
            max_time=max_tid * 60, notify=lambda line: typer.echo(line, err=True),
            accept_gaps=godta_mangler,
        )  # fmt: skip
        s = snap.Snapshot.open(snapshot)
    except (NavbokError, OSError) as exc:
        if _debug() and not isinstance(exc, NavbokError):
            raise
        message = _one_line(exc)
        if existed and "ikke endret" not in message and "ingenting er endret" not in message:
            message += f" (Snapshotet i {snapshot} er ikke endret.)"
        _fail(message)
        return
    typer.echo(f"Snapshot OK: {len(s.files)} filer, sjekksum {s.checksum[:12]}.")
    for r in s.resolutions:
        if r.status != "resolved":
            kind = "valgfritt mål" if r.optional else "MÅL"
            typer.echo(f"Merk ({kind}): {r.message()}")
    for line in s.absent_tables.values():
        typer.echo(f"Merk: {line}")
    for line in accepted_gaps(s.manifest):
        typer.echo(f"Merk (godtatt mangel, --godta-mangler): {line}.")
    for line in _aap_lines(s):
        typer.echo(line)
    if s.synthetic:
        typer.echo(
            f"ADVARSEL: {len(s.synthetic_files)} filer er SYNTETISKE (demodata, ikke statistikk)."
        )


def _aap_lines(s: Snapshot) -> list[str]:
    """What a fetch did with AAP155 files, the months the snapshot ``s`` holds, and the
    Decembers missing for the KOSTRA years."""
    from navbok import aap_history as aap

    nav_doc = s.manifest.get("nav")
    lines = aap.fetch_lines(nav_doc if isinstance(nav_doc, dict) else {})
    periods = s.aap_periods()
    if periods:
        lines.append(f"NAV AAP155 i snapshotet – {aap.held_text(periods)}.")
        years = aap.kostra_years(s.resolutions, lambda t: s.table_info(t).get("years", []))
        if gap := aap.missing_decembers_text(periods, years):
            lines.append(gap)
    return lines


@app.command()
@_guarded
def kilder(
    from_dir: FromOpt = None,
    snapshot: SnapshotOpt = DEFAULT_DIR,
) -> None:
    """Check the indicator register against SSB, KLASS and NAV without fetching their data.

    Also lists the AAP months the local snapshot holds (NAV serves only the current year) and
    the Decembers it lacks. Exits 1 when a measure that a chapter needs is missing.
    """
    from navbok.kilder import check_sources, format_report
    from navbok.sources.origin import default_source

    try:
        report = check_sources(default_source(from_dir), snapshot=snapshot)
    except NavbokError as exc:
        _fail(str(exc))
        return
    typer.echo(format_report(report))
    if not report.ok:
        raise typer.Exit(1)


@app.command()
@_guarded
def kommuner(
    query: Annotated[str | None, typer.Argument(help="Name or code (part of it).")] = None,
    snapshot: SnapshotOpt = DEFAULT_DIR,
) -> None:
    """Search the municipality register by name or code.

    Every parallel name counts («Porsanki», «Oslove»), case and diacritics folded
    («karasjohka» finds Kárášjohka - Karasjok)."""
    from navbok.regions import Register, fold
    from navbok.snapshot import Snapshot

    try:
        reg = Register.from_snapshot(Snapshot.open(snapshot, verify=False))
        if query is None:
            hits = list(reg.names.items())
        else:
            q = fold(query)
            hits = [(k, n) for k, n in reg.names.items() if q and q in reg.search_text(k)]
            if not hits:
                m = reg.resolve(query)  # old code → successor, or an error with suggestions
                if m.notice:
                    typer.echo(m.notice)
                hits = [(m.code, m.name)]
    except NavbokError as exc:
        _fail(str(exc))
        return
    for kommune, name in sorted(hits):
        typer.echo(f"{kommune}  {name}")


@app.command()
@_guarded
def serie(
    kommune: Annotated[str, typer.Option("--kommune", "-k", help="Code or name.")] = "3201",
    snapshot: SnapshotOpt = DEFAULT_DIR,
    asss: Annotated[str, typer.Option(help="ASSS membership variant.")] = "default",
) -> None:
    """Print a municipality's harmonised series (recipients, duration, payouts) with ASSS."""
    from navbok.comparison import Kind
    from navbok.data import NavData
    from navbok.present.numbers import fmt_number

    try:
        data = NavData.load(snapshot)
        m = data.resolve(kommune)
        if m.notice:
            typer.echo(m.notice)
        groups = data.groups(m.code, asss_variant=asss)
        typer.echo(f"{m.code} {m.name} (kommunenummer {data.register.target_date[:4]}-inndeling)")
        if data.snapshot.synthetic:
            typer.echo(
                "ADVARSEL: snapshotet inneholder SYNTETISKE data – ikke offisiell statistikk."
            )
        specs = [("mottakere", 0), ("stonadslengde", 1), ("utbetalt", 0), ("andel_18_66", 2)]
        header = f"{'år':>6}" + "".join(f"{h:>28}" for h, _ in specs)
        typer.echo(header)
        tables = {i: data.comparison(groups, i) for i, _ in specs}
        for year in data.years:
            cells = []
            for i, dec in specs:
                t = tables[i]
                own = t[(t["kind"] == Kind.KOMMUNE) & (t["year"] == year)]
                avg = t[(t["kind"] == Kind.ASSS_SNITT) & (t["year"] == year)]
                own_s = (
                    fmt_number(own["value"].iloc[0], dec, status=own["status"].iloc[0])
                    if len(own)
                    else "–"
                )
                avg_s = fmt_number(avg["value"].iloc[0], dec) if len(avg) else "–"
                cells.append(f"{own_s} (ASSS {avg_s})")
            typer.echo(f"{year:>6}" + "".join(f"{c:>28}" for c in cells))
        typer.echo(
            "Kolonner: mottakere; stønadslengde (mnd); utbetalt (1 000 kr); andel 18–66 (%). "
            "ASSS = uveid snitt av medlemmene."
        )
    except NavbokError as exc:
        _fail(str(exc))


@app.command()
@_guarded
@snapshot_lock.reads_snapshot("snapshot")  # no fetch replaces it until the build is done
def build(
    kommune: Annotated[
        str | None, typer.Option("--kommune", "-k", help="Code(s) or name(s), comma-separated.")
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every municipality.")] = False,
    snapshot: SnapshotOpt = DEFAULT_DIR,
    workers: Annotated[
        int | None,
        typer.Option("--workers", "-j", help="Kernels executing chapters (default: cores)."),
    ] = None,
    engine: Annotated[
        str,
        typer.Option(
            help="warm: reused kernels, reset between chapters; fresh: a new kernel per chapter."
        ),
    ] = "warm",
    renderer: Annotated[
        str,
        typer.Option(
            help="worker: Sphinx in one long-lived render process for every book; "
            "subprocess: `jupyter-book build`, one process per book."
        ),
    ] = "worker",
    force: Annotated[
        bool, typer.Option("--force", help="Ignore the build cache: execute and render all.")
    ] = False,
    keep_going: Annotated[
        bool,
        typer.Option(
            "--keep-going", help="Build the other municipalities when one fails; list failures."
        ),
    ] = False,
    timings: Annotated[
        bool, typer.Option("--timings", help="Print the time of every notebook and render.")
    ] = False,
    lock_timeout: Annotated[
        float | None,
        typer.Option(
            "--lock-timeout",
            envvar="NAVBOK_LOCK_TIMEOUT",
            min=0,
            help="Seconds to wait for another build of the same municipality to finish "
            "(default: wait as long as it takes); then exit 1.",
        ),
    ] = None,
) -> None:
    """Build the book for one or more municipalities into _build/<kommune>/html.

    Only what changed is executed and rendered again (the cache key covers the chapter
    text, the municipality's params, the snapshot checksum and navbok's code).
    """
    from navbok.builder import pipeline as book_build
    from navbok.present.numbers import fmt_seconds
    from navbok.snapshot import Snapshot

    try:
        snap = Snapshot.open(snapshot, verify=False)
    except NavbokError as exc:
        _fail(str(exc))
        return
    typer.echo(
        f"Bygger fra snapshot {snapshot} (hentet {snap.fetched_at[:10]}, sjekksum "
        f"{snap.checksum[:12]})."
    )
    if snap.synthetic:
        typer.echo(
            f"ADVARSEL: snapshotet har {len(snap.synthetic_files)} SYNTETISKE filer (demodata, "
            "ikke statistikk). Boka viser et demovarsel.",
            err=True,
        )
    stats = book_build.BuildStats()
    try:
        pages = book_build.main(
            kommune=kommune,
            all_=all_,
            snapshot=snapshot,
            workers=workers,
            engine=engine,
            renderer=renderer,
            force=force,
            keep_going=keep_going,
            stats=stats,
            lock_timeout=lock_timeout,
            notify=lambda line: typer.echo(line, err=True),
        )
    except (NavbokError, OSError) as exc:
        if _debug() and not isinstance(exc, NavbokError):
            raise
        if stats.renders:
            books = _plural(len(stats.renders), "bok", "bøker")
            typer.echo(f"{books} rendret før feilen; {fmt_seconds(_since_start())}.")
        _fail(_one_line(exc))
        return
    if len(pages) <= 5:
        for page in pages:
            typer.echo(f"Bygget: {page}")
    else:
        typer.echo(f"Bygget: {len(pages) - 1} kommuner og landingssiden {pages[-1]}")
    if timings:
        for name, sec in sorted(stats.notebooks.items()):
            typer.echo(f"  kjørt    {name:50s} {fmt_seconds(sec, 2):>8}")
        for name, sec in sorted(stats.renders.items()):
            typer.echo(f"  rendret  {name:50s} {fmt_seconds(sec, 2):>8}")
    typer.echo(
        f"{_plural(len(stats.notebooks), 'notatbok', 'notatbøker')} kjørt, "
        f"{_plural(len(stats.renders), 'bok', 'bøker')} rendret, "
        f"{len(stats.cached_books)} uendret (hurtigbuffer); {fmt_seconds(_since_start())}."
    )


@app.command()
@_guarded
def oppdater(
    from_dir: FromOpt = None,
    snapshot: SnapshotOpt = DEFAULT_DIR,
    build_dir: Annotated[
        Path, typer.Option("--build-dir", help="The build folder whose books are built again.")
    ] = Path("_build"),
) -> None:
    """Ask SSB (each table's «updated», no data) and NAV (the workbook link) what is new; fetch
    only that, build the books in the build folder again, and say what was done."""
    from navbok.renew import renew
    from navbok.sources.origin import default_source

    source = default_source(from_dir)
    typer.echo(f"Spør {source.description} hva som er nytt siden snapshotet i {snapshot} …")
    renewal = renew(source, snapshot, build_dir, notify=lambda line: typer.echo(line, err=True))
    for line in renewal.lines():
        typer.echo(line)


def _with_aap_months(snap: Snapshot, snapshot: Path) -> Snapshot:
    """``snap``, told its AAP months by the national facts a build kept beside the Parquet
    cache (≈ 0.2 s) when both are there; else it opens every AAP workbook to find them
    (1–2 s). The months are the same either way: the facts read them from this snapshot."""
    from navbok import national_facts
    from navbok.data import CACHE_DIR, NavData, parquet_cached

    if parquet_cached(snapshot, CACHE_DIR):
        with contextlib.suppress(NavbokError, OSError):
            data = NavData.load(snapshot, cache_dir=CACHE_DIR)
            if data.snapshot.checksum == snap.checksum:
                national_facts.preload(data)  # tells data.snapshot its months, if current
                snap.know_aap_periods(tuple(data.snapshot.aap_periods()))
    return snap


@app.command()
@_guarded
def publish(
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder to write the published site into.")
    ] = None,
    check: Annotated[
        Path | None,
        typer.Option(
            "--check",
            help="Check a published folder: every link inside it, no "
            "absolute paths of this machine; exit 1 with the list otherwise.",
        ),
    ] = None,
    build_dir: Annotated[
        Path, typer.Option("--build-dir", help="The build folder (navbok build).")
    ] = Path("_build"),
    url: Annotated[
        str | None,
        typer.Option(
            "--url",
            envvar="NAVBOK_SITE_URL",
            help="The address the folder is served from (canonical links, sitemap).",
        ),
    ] = None,
    med_kilder: Annotated[
        bool, typer.Option("--med-kilder", help="Keep the notebook sources and source maps.")
    ] = False,
    forrige: Annotated[
        Path | None,
        typer.Option(
            "--forrige",
            help="The previous edition's data folder (its "
            "navbok-kommuner.parquet and navbok-utgave.json) for «Hva er nytt»; "
            "default: DIR/data of the edition --out replaces.",
        ),
    ] = None,
    snapshot: SnapshotOpt = DEFAULT_DIR,
) -> None:
    """Publish every built book and the overview as one folder for a static host (--out), or
    check such a folder (--check)."""
    from datetime import date

    from navbok.regions import Register
    from navbok.site.publish import check_folder
    from navbok.site.publish import publish as publish_folder
    from navbok.site.publish.folder import require_built
    from navbok.site.publish.news import Edition

    if (out is None) == (check is None):
        _fail("oppgi enten --out MAPPE (publiser) eller --check MAPPE (sjekk en publisert mappe).")
        return
    if check is not None:
        problems = check_folder(check)
        for line in problems:
            typer.echo(line)
        if problems:
            _fail(f"{check}: {_plural(len(problems), 'feil', 'feil')} (listen over).")
        typer.echo(f"{check}: alle lenker finnes i mappen; ingen stier fra byggemaskinen.")
        return
    assert out is not None
    require_built(build_dir)  # nothing built: say that, before asking for the snapshot
    snap = _with_aap_months(Snapshot.open(snapshot, verify=False), snapshot)
    names = Register.from_snapshot(snap).names
    edition = Edition.of_snapshot(snap.manifest, snap.aap_periods(), date.today().isoformat())
    stats = publish_folder(build_dir, out, names, base_url=url, sources=med_kilder,
                           edition=edition, previous=forrige)  # fmt: skip
    sizes = sorted(stats.book_bytes.values())
    mb = 1024 * 1024
    typer.echo(
        f"Publisert til {out}: {_plural(stats.books, 'bok', 'bøker')} og oversikten, "
        f"{stats.files} filer, {stats.bytes / mb:.1f} MB (felles filer {stats.shared_files}, "
        f"{stats.shared_bytes / mb:.1f} MB); {stats.seconds:.1f} s."
    )
    if sizes:
        median = sizes[len(sizes) // 2]
        typer.echo(f"Per bok: median {median / mb:.2f} MB, største {sizes[-1] / mb:.2f} MB.")
    if url is None:
        typer.echo("Merk: uten --url får sidene ingen kanoniske lenker og mappen ingen sitemap.")


@app.command()
@_guarded
def params(
    kommune: Annotated[str, typer.Argument(help="Code or name.")],
    snapshot: SnapshotOpt = DEFAULT_DIR,
    out_dir: Annotated[Path, typer.Option("--dir", help="Where params files live.")] = Path(
        "params"
    ),
    force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
) -> None:
    """Write a default params/<kommune>.yml for a municipality."""
    from navbok.data import NavData
    from navbok.params import default_params, write_params

    try:
        data = NavData.load(snapshot)
        p = default_params(data, kommune)
        path = out_dir / f"{p.kommune}.yml"
        if path.exists() and not force:
            _fail(f"{path} exists; use --force to overwrite it")
            return
        write_params(p, path)
    except NavbokError as exc:
        _fail(str(exc))
        return
    typer.echo(f"Skrev {path}")


def main() -> None:
    """Entry point."""
    app()


if __name__ == "__main__":
    main()
