"""Complete or refused: what a fetch checks across its answers before it replaces the snapshot.

Each answer is checked on its own as it arrives (its shape, by the reader that will read it).
Some gaps show only when the answers are held against each other, and each would change figures
without a word (an overview of «alle 57 kommuner», a KOSTRA group's AAP share over half its
members, Landet's AAP with a county block that is not a county). Before the swap
:func:`fetch_gaps` checks:

* **the KLASS registers** (131 ``codesAt``): between two register dates a municipality vanishes
  or appears only by a record of KLASS's change list, and a register holds every municipality
  the previous snapshot's register of the same date held (a register never shrinks);
* **the KOSTRA groupings** (112 → 131): every municipality valid on a grouping's date (the
  register of that date, or the one before it with the changes since) has a group, and one;
* **the AAP155 workbooks**: every county block and every municipality code is one of the
  register of the workbook's year, and each municipality sits under its own county (a block
  that is no county would be added to Landet);
* **the measures**: every measure a chapter needs resolved to one ContentsCode (missing or
  ambiguous refuses, as ``navbok kilder`` says).

Each gap is one line. :func:`navbok.snapshot.fetch` refuses the swap when there is any
(:class:`IncompleteFetch`: one line, the old snapshot untouched), unless the user accepts them
(``navbok fetch --godta-mangler``): then the manifest keeps them (``gaps``,
:func:`accepted_gaps`) and the fetch prints them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from navbok.contents import AMBIGUOUS, RESOLVED
from navbok.errors import NavbokError, SourceError
from navbok.sources import klass, nav
from navbok.sources.catalogue import Catalogue
from navbok.sources.names import aap155_year, changes_name, codes_at_name, kostra_groups_name

#: The option of ``navbok fetch`` that accepts known gaps.
ACCEPT_FLAG = "--godta-mangler"
#: The manifest's list of the gaps a fetch accepted.
MANIFEST_KEY = "gaps"
#: Codes named in one gap line (the rest are counted).
SAMPLE = 5
#: Gaps named in full in a refusal (the rest are counted).
SHOWN = 2


class IncompleteFetch(SourceError):
    """The answers of a fetch are incomplete; nothing was swapped. ``gaps``: one line each."""

    def __init__(self, gaps: list[str], dest: Path) -> None:
        self.gaps = list(gaps)
        super().__init__(refusal(self.gaps, dest))


def refusal(gaps: list[str], dest: Path) -> str:
    """The one line that refuses a fetch with ``gaps`` into the snapshot ``dest``."""
    from navbok.snapshot import MANIFEST

    shown = "; ".join(gaps[:SHOWN])
    more = f" (og {len(gaps) - SHOWN} mangler til)" if len(gaps) > SHOWN else ""
    kept = (
        f"Snapshotet i {dest} er ikke endret"
        if (dest / MANIFEST).is_file()
        else f"Ingen snapshot er skrevet til {dest}"
    )
    return (
        f"Svarene er ufullstendige: {shown}{more}. {kept}. Prøv igjen senere, eller godta "
        f"mangelen med `navbok fetch {ACCEPT_FLAG}`."
    )


def accepted_gaps(manifest: Mapping[str, Any]) -> list[str]:
    """The gaps a fetch accepted (``--godta-mangler``), from its manifest."""
    gaps = manifest.get(MANIFEST_KEY)
    return [str(g) for g in gaps] if isinstance(gaps, list) else []


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _sample(codes: Iterable[str], names: Mapping[str, str]) -> str:
    ordered = sorted(codes)
    shown = [f"{c} {names[c]}".strip() if c in names else c for c in ordered[:SAMPLE]]
    rest = len(ordered) - SAMPLE
    return ", ".join(shown) + (f" og {rest} til" if rest > 0 else "")


@dataclass
class Registers:
    """The municipality registers of one fetch (date → code → name) and KLASS's code changes
    (``old``, ``new``, ``date``), with the last day the change list covers."""

    codes: dict[str, dict[str, str]]
    changes: pd.DataFrame
    changes_to: str = ""

    @property
    def names(self) -> dict[str, str]:
        """Every code's name, the newest register's first."""
        out: dict[str, str] = {}
        for date in sorted(self.codes):
            out.update(self.codes[date])
        return out

    def apply(self, codes: set[str], after: str, upto: str) -> set[str]:
        """``codes`` valid on the day ``after``, moved on by the changes of (``after``,
        ``upto``], day by day."""
        if self.changes.empty:
            return set(codes)
        when = self.changes["date"]
        steps = self.changes[(when > pd.Timestamp(after)) & (when <= pd.Timestamp(upto))]
        for _, step in steps.groupby("date", sort=True):
            codes = (codes - set(step["old"])) | set(step["new"])
        return codes

    def valid_on(self, date: str) -> set[str] | None:
        """The municipalities valid on ``date``: the register of that date, or of the nearest
        date before it with the changes since; None before the first register."""
        base = max((d for d in self.codes if d <= date), default=None)
        if base is None:
            return None
        return self.apply(set(self.codes[base]), base, date)


def register_gaps(reg: Registers, previous: Mapping[str, Mapping[str, str]]) -> list[str]:
    """Municipalities that vanish or appear between two registers without a change record,
    and those the previous snapshot's register of the same date held that are gone."""
    gaps = []
    names = reg.names
    dates = sorted(reg.codes)
    for d1, d2 in zip(dates, dates[1:], strict=False):
        expected = reg.apply(set(reg.codes[d1]), d1, d2)
        have = set(reg.codes[d2])
        beyond = (
            f"; KLASS-endringslisten går bare til {reg.changes_to}"
            if reg.changes_to and d2 > reg.changes_to
            else ""
        )
        if lost := expected - have:
            gaps.append(
                f"KLASS-kommunelisten {d2} mangler {_plural(len(lost), 'kommune', 'kommuner')} "
                f"som listen {d1} har og ingen endring i KLASS-endringslisten tar bort "
                f"({_sample(lost, names)}{beyond})"
            )
        if extra := have - expected:
            gaps.append(
                f"KLASS-kommunelisten {d1} mangler {_plural(len(extra), 'kommune', 'kommuner')} "
                f"som listen {d2} har og som ikke er nye i KLASS-endringslisten "
                f"({_sample(extra, names)}{beyond})"
            )
    for date, old in sorted(previous.items()):
        if date in reg.codes and (lost := set(old) - set(reg.codes[date])):
            gaps.append(
                f"KLASS-kommunelisten {date} mangler {_plural(len(lost), 'kommune', 'kommuner')} "
                f"som den samme listen i snapshotet fra før har ({_sample(lost, old)})"
            )
    return gaps


def kostra_gaps(reg: Registers, groups: Mapping[str, pd.DataFrame]) -> list[str]:
    """Municipalities valid on a grouping's date that have no KOSTRA group in it, or several."""
    gaps = []
    names = reg.names
    for date, frame in sorted(groups.items()):
        members = reg.valid_on(date)
        if members is None:
            continue
        codes = frame["code"].astype(str)
        if lost := members - set(codes):
            gaps.append(
                f"KOSTRA-grupperingen {date} (KLASS 112 → 131) mangler {len(lost)} av "
                f"{len(members)} kommuner ({_sample(lost, names)})"
            )
        per_code = frame.groupby(codes)["group"].nunique()
        if twice := set(per_code[per_code > 1].index):
            gaps.append(
                f"KOSTRA-grupperingen {date} (KLASS 112 → 131) gir "
                f"{_plural(len(twice), 'kommune', 'kommuner')} mer enn én gruppe "
                f"({_sample(twice, names)})"
            )
    return gaps


def aap_gaps(reg: Registers, books: Mapping[str, nav.Aap155]) -> list[str]:
    """AAP155 workbooks (by file name) with a county block or a municipality code that is not
    one of the register of their year (valid on its first or its last day), or a municipality
    under another county's block; a year before the first register is not checked. (A workbook
    may hold fewer municipalities than the register: those are missing, not wrong.)"""
    gaps = []
    for name, book in sorted(books.items()):
        year = book.year
        first, last = reg.valid_on(f"{year}-01-01"), reg.valid_on(f"{year}-12-31")
        if first is None or last is None:
            continue
        known = first | last
        counties = {c[:2] for c in known}
        what = f"AAP155 {year} ({name})"
        frame = book.frame[book.frame["region"] != nav.COUNTRY_CODE]
        names = dict(zip(frame["region"], frame["name"], strict=False))
        if odd := [f"«I alt {n} {c}»" for n, (c, _) in book.counties.items() if n not in counties]:
            gaps.append(
                f"{what}: {'fylkesblokken' if len(odd) == 1 else 'fylkesblokkene'} "
                f"{', '.join(odd[:SAMPLE])} hører ikke til noe fylke i KLASS-kommunelisten for "
                f"{year}"
            )
        codes = set(names)
        if unknown := codes - known:
            gaps.append(
                f"{what}: {_plural(len(unknown), 'kommunenummer', 'kommunenumre')} finnes ikke i "
                f"KLASS-kommunelisten for {year} ({_sample(unknown, names)})"
            )
        misplaced = sorted(
            f"{code} under «I alt {n}»"
            for n, (_, members) in book.counties.items()
            for code in members
            if code[:2] != n and code in known and n in counties
        )
        if misplaced:
            gaps.append(
                f"{what}: {_plural(len(misplaced), 'kommune', 'kommuner')} står under et annet "
                f"fylke enn nummeret sier ({', '.join(misplaced[:SAMPLE])})"
            )
    return gaps


def measure_gaps(measures: Iterable[Mapping[str, Any]]) -> list[str]:
    """Measures a chapter needs (not optional) that did not resolve to one ContentsCode, as
    ``navbok kilder`` counts them."""
    gaps = []
    for r in measures:
        if r.get("status") == RESOLVED or r.get("optional"):
            continue
        near = "; ".join(f"«{c}»" for c in r.get("candidates") or []) or "ingen"
        how = "passer til flere innhold" if r.get("status") == AMBIGUOUS else "finnes ikke"
        gaps.append(
            f"SSB-tabell {r.get('table')}: målet {r.get('measure')}, som kapitlene trenger, "
            f"{how} (nærmeste etiketter: {near})"
        )
    return gaps


def _codes(content: bytes, where: str) -> dict[str, str]:
    frame = klass.read_codes(content, where=where)
    return dict(zip(frame["code"], frame["name"], strict=True))


def read_registers(root: Path, cat: Catalogue) -> Registers:
    """The registers and changes a fetch wrote to ``root`` (those it has)."""
    codes = {}
    for date in cat.codes_at:
        path = root / codes_at_name(date)
        if path.is_file():
            codes[date] = _codes(path.read_bytes(), codes_at_name(date))
    path = root / changes_name(*cat.changes)
    if path.is_file():
        changes = klass.read_changes(path.read_bytes(), where=changes_name(*cat.changes))
    else:
        changes = pd.DataFrame({"old": [], "new": [], "date": pd.to_datetime([])})
    return Registers(codes, changes, cat.changes[1])


def previous_registers(previous: Path | None, cat: Catalogue) -> dict[str, dict[str, str]]:
    """The registers of the snapshot at ``previous`` whose checksum matches its manifest (a
    snapshot that cannot be read, or a register that does not verify, is not compared)."""
    from navbok.snapshot import MANIFEST

    if previous is None:
        return {}
    try:
        manifest = json.loads((previous / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    files = manifest.get("files") if isinstance(manifest, dict) else None
    sums = {e.get("name"): e.get("sha256") for e in files or [] if isinstance(e, dict)}
    out = {}
    for date in cat.codes_at:
        name = codes_at_name(date)
        try:
            content = (previous / name).read_bytes()
            if sums.get(name) == hashlib.sha256(content).hexdigest():
                out[date] = _codes(content, name)
        except (OSError, NavbokError):
            continue
    return out


def fetch_gaps(
    root: Path, cat: Catalogue, resolution: Mapping[str, Any], previous: Path | None
) -> list[str]:
    """Every gap of the fetch written to ``root`` (before its manifest and the swap):
    ``resolution`` is the manifest's SSB resolution, ``previous`` the snapshot it would replace.
    Each file was read when it was written; the AAP155 workbooks are not parsed again
    (:func:`navbok.sources.nav.read_aap155` keeps them)."""
    reg = read_registers(root, cat)
    groups = {}
    for date in cat.kostra_groups:
        path = root / kostra_groups_name(date)
        if path.is_file():
            frame, _, _ = klass.read_kostra_groups(path.read_bytes(), where=path.name)
            groups[date] = frame
    books = {}
    for path in sorted((root / "nav").glob("*.xlsx")):
        if aap155_year(f"nav/{path.name}") is not None:
            books[path.name] = nav.read_aap155(path.read_bytes(), where=f"nav/{path.name}")
    return [
        *measure_gaps(resolution.get("measures") or []),
        *register_gaps(reg, previous_registers(previous, cat)),
        *kostra_gaps(reg, groups),
        *aap_gaps(reg, books),
    ]
