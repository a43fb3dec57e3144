"""Which AAP months a snapshot holds, which Decembers are missing, and how to say it.

NAV serves only the current year of AAP155 (January to the newest month): a first fetch holds
that year and nothing else, every later fetch keeps the months of the AAP store beside the
snapshot (:mod:`navbok.aap_store`) and of the snapshot it replaces, and older workbooks come
only from a user's archive (``navbok fetch --nav-arkiv DIR``). The book
compares AAP with KOSTRA years by December, so ``navbok kilder`` and ``navbok fetch`` say which
months the snapshot holds and which Decembers of the KOSTRA years are missing:

    2015–2024: januar–desember; 2025: januar–oktober
    Desember mangler for 2015–2024: NAV publiserer bare inneværende år; …

The fetch's own account of what each AAP155 file did (``manifest["nav"]["events"]``, written by
:mod:`navbok.snapshot`) is turned into lines here too (:func:`fetch_lines`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from navbok.contents import RESOLVED, Resolution
from navbok.present.prose import MONTHS

#: The measure whose tables give the KOSTRA years a book covers (as ``NavData.years``).
YEARS_MEASURE = "mottakere"
#: Why a December is missing, and what to do about it.
ARCHIVE_HINT = (
    "NAV publiserer bare inneværende år; eldre AAP155-filer legges til med "
    "navbok fetch --nav-arkiv DIR"
)


def _runs(values: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive runs of sorted distinct integers: [1, 2, 3, 5] → [(1, 3), (5, 5)]."""
    runs: list[tuple[int, int]] = []
    for v in sorted(set(values)):
        if runs and v == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], v)
        else:
            runs.append((v, v))
    return runs


def month_span(months: Iterable[int]) -> str:
    """Months (1–12) as bokmål ranges: «januar–oktober», «mars», «januar–mars, mai»."""
    return ", ".join(
        MONTHS[a - 1] if a == b else f"{MONTHS[a - 1]}–{MONTHS[b - 1]}" for a, b in _runs(months)
    )


def year_span(years: Iterable[int]) -> str:
    """Years as ranges: «2015–2024», «2015–2019, 2021», «2020»."""
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in _runs(years))


def months_by_year(periods: Iterable[str]) -> dict[int, list[int]]:
    """Periods «YYYY-MM» as year → sorted months."""
    out: dict[int, set[int]] = {}
    for p in periods:
        out.setdefault(int(p[:4]), set()).add(int(p[5:7]))
    return {y: sorted(ms) for y, ms in sorted(out.items())}


def held_text(periods: Iterable[str]) -> str:
    """The months held, compactly; years in a row with the same months are joined:
    «2015–2024: januar–desember; 2025: januar–oktober» («ingen» for none)."""
    groups: list[tuple[list[int], list[int]]] = []  # (years, months)
    for year, months in months_by_year(periods).items():
        if groups and groups[-1][1] == months and groups[-1][0][-1] == year - 1:
            groups[-1][0].append(year)
        else:
            groups.append(([year], months))
    return "; ".join(f"{year_span(ys)}: {month_span(ms)}" for ys, ms in groups) or "ingen"


def missing_decembers(periods: Iterable[str], years: Iterable[int]) -> list[int]:
    """The ``years`` whose December is not among ``periods``."""
    held = set(periods)
    return sorted(y for y in set(years) if f"{y}-12" not in held)


def missing_decembers_text(periods: Iterable[str], years: Iterable[int]) -> str:
    """«Desember mangler for 2015–2024: NAV publiserer bare …» ('' when none is missing)."""
    missing = missing_decembers(periods, years)
    return f"Desember mangler for {year_span(missing)}: {ARCHIVE_HINT}." if missing else ""


def kostra_years(
    resolutions: Iterable[Resolution], table_years: Callable[[str], Iterable[int]]
) -> list[int]:
    """The KOSTRA years a book covers: the years of the tables the recipients resolve in.

    ``table_years(table)`` gives a table's years (from its metadata or the manifest)."""
    tables = {r.table for r in resolutions if r.measure == YEARS_MEASURE and r.status == RESOLVED}
    return sorted({int(y) for t in tables for y in table_years(t)})


def fetch_lines(nav: Mapping[str, Any]) -> list[str]:
    """What the last fetch did with AAP155 files, from the manifest's ``nav`` section.

    One line per archive file («AAP155-2019.xlsx: 2019 januar–desember lagt til», «…: ingen
    nye måneder (snapshotet har dem allerede)»), and a warning where NAV's file had fewer
    months than the snapshot kept, an old file could not be kept (and what the AAP store had
    instead), or a part of the AAP store is damaged."""
    lines = []
    for e in nav.get("events", []) if isinstance(nav.get("events"), list) else []:
        kind = e.get("kind")
        if kind == "archive":
            added = e.get("added") or []
            what = (
                f"{e['year']} {month_span(added)} lagt til"
                if added
                else "ingen nye måneder (snapshotet har dem allerede)"
            )
            lines.append(f"{e['file']}: {what}")
        elif kind == "nav_fewer":
            lines.append(
                f"ADVARSEL: NAVs AAP155-fil har bare {e['year']} {month_span(e['nav_months'])}, "
                f"færre måneder enn {e['kept_from']} ({month_span(e['kept_months'])}); den "
                "beholdes, og NAVs fil er ikke brukt. Sjekk filen på NAVs side."
            )
        elif kind == "not_kept":
            line = f"ADVARSEL: {e['file']} fra forrige snapshot er ikke beholdt: {e['why']}"
            if e.get("same_in_store"):
                line += f"; AAP-lageret har den samme filen, så {e['same_in_store']} er beholdt"
            elif e.get("store"):
                line += f"; AAP-månedene i AAP-lageret er beholdt ({e['store']})"
            lines.append(line)
        elif kind == "store_damaged":
            line = f"ADVARSEL: AAP-lageret: {e['file']} kan ikke brukes: {e['why']}"
            if e.get("repaired"):
                line += "; skrevet på nytt fra forrige snapshot"
            lines.append(line)
    return lines
