"""«Hva er nytt»: what changed since the previous edition, on every book and the overview.

An edition is a published folder. Each keeps, in ``data/``, the country's numbers
(``navbok-kommuner.parquet``, written by the build) and :data:`EDITION_NAME`: when it was
published, the snapshot it was built from, each SSB table's ``updated`` and the AAP months.
When the next edition is published, :func:`compare` holds the new against the previous one:

* the SSB tables whose ``updated`` moved (KOSTRA comes unrevised on 15 March and revised on
  15 June; only the date tells them apart), with the old and the new date;
* the AAP months that are new;
* per municipality, each key figure (:data:`navbok.key_figures.KEY_FIGURES`) whose value or
  period moved, with the old and the new value (rounded as the pages show it).

:func:`book_section` and :func:`overview_section` write the section (escaped HTML). The first
edition says that it is the first.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from navbok.key_figures import KEY_FIGURES
from navbok.present.numbers import fmt_number
from navbok.present.prose import date as norwegian_date
from navbok.present.prose import month

__all__ = [
    "EDITION_NAME",
    "Edition",
    "FigureMove",
    "News",
    "book_section",
    "compare",
    "overview_section",
]

EDITION_NAME = "navbok-utgave.json"
PARQUET_NAME = "navbok-kommuner.parquet"


@dataclass(frozen=True)
class Edition:
    """What an edition was made from."""

    published: str  # ISO date
    fetched_at: str
    tables: dict[str, str]  # SSB table → updated
    aap_periods: list[str]  # "2025-10"

    @classmethod
    def of_snapshot(cls, manifest: dict[str, Any], aap_periods: list[str], today: str) -> Edition:
        """The edition published ``today`` from a snapshot's manifest and AAP months."""
        tables = (manifest.get("resolution") or {}).get("tables", {})
        return cls(
            published=today,
            fetched_at=str(manifest.get("created", "")),
            tables={t: str(info.get("updated", "")) for t, info in sorted(tables.items())},
            aap_periods=sorted(aap_periods),
        )

    def to_json(self) -> str:
        """The edition file's text."""
        return json.dumps(self.__dict__, ensure_ascii=False, indent=1)

    @classmethod
    def read(cls, path: Path) -> Edition | None:
        """The edition file at ``path`` (None when there is none or it cannot be read)."""
        try:
            doc = json.loads(path.read_text("utf-8"))
            return cls(str(doc["published"]), str(doc.get("fetched_at", "")),
                       dict(doc.get("tables", {})), list(doc.get("aap_periods", [])))  # fmt: skip
        except (OSError, ValueError, KeyError, TypeError):
            return None


@dataclass(frozen=True)
class FigureMove:
    """A key figure of one municipality that moved between two editions."""

    header: str
    old: str  # «3,10»
    old_period: str  # «2023», «oktober 2025»
    new: str
    new_period: str

    def text(self) -> str:
        """«Sosialhjelp 18–66 (%), 2024: 3,10 → 3,21» or, when the period moved,
        «AAP (%): 2,16 (oktober 2025) → 2,18 (november 2025)»."""
        if self.old_period == self.new_period:
            return f"{self.header}, {self.new_period}: {self.old} → {self.new}"
        return f"{self.header}: {self.old} ({self.old_period}) → {self.new} ({self.new_period})"


@dataclass
class News:
    """What changed since the previous edition (``previous`` None: this is the first)."""

    current: Edition
    previous: Edition | None = None
    tables: list[tuple[str, str, str]] = field(default_factory=list)  # table, old, new
    aap_months: list[str] = field(default_factory=list)
    figures: dict[str, list[FigureMove]] = field(default_factory=dict)  # kommune → moves


def _day(stamp: str) -> str:
    return norwegian_date(stamp) if stamp else "ukjent dato"


def _month(period: str) -> str:
    return month(period)


def frame_of(parquet: pd.DataFrame) -> pd.DataFrame:
    """A national Parquet with the identifiers :data:`navbok.site.national.COLUMNS` (the files
    carry Norwegian headers, :data:`navbok.site.national.HEADERS`; an older edition's English ones
    are already identifiers)."""
    from navbok.site.national import HEADERS

    back = {v: k for k, v in HEADERS.items() if v != k}
    return parquet.rename(columns={c: back[c] for c in parquet.columns if c in back})


def _newest(frame: pd.DataFrame) -> pd.DataFrame:
    """Each key figure's newest row per municipality."""
    ids = [k.id for k in KEY_FIGURES]
    sel = frame[frame["indicator"].isin(ids)]
    return sel.sort_values("year").groupby(["indicator", "kommune"], observed=True).tail(1)


def _period(row: Any) -> str:
    name = str(row.indicator_name)
    # the AAP share of the newest month names its month after the last comma
    return (
        name.rsplit(", ", 1)[1]
        if name.endswith(tuple("0123456789")) and ", " in name
        else str(row.year)
    )


def _shown(row: Any, decimals: int) -> tuple[str, str]:
    status = row.status if isinstance(row.status, str) and row.status else None
    return fmt_number(row.value, decimals, status=status), _period(row)


def compare(
    current: Edition, frame: pd.DataFrame, previous: Edition | None, old: pd.DataFrame | None
) -> News:
    """What moved from the previous edition (``previous``, its numbers ``old``) to this one."""
    news = News(current, previous)
    if previous is None:
        return news
    news.tables = [
        (t, previous.tables.get(t, ""), u)
        for t, u in current.tables.items()
        if u and u != previous.tables.get(t, "")
    ]
    news.aap_months = [p for p in current.aap_periods if p not in set(previous.aap_periods)]
    if old is None:  # the previous edition's numbers are lost: its dates still tell
        return news
    decimals = {k.id: k.decimals for k in KEY_FIGURES}
    headers = {k.id: k.header for k in KEY_FIGURES}
    before = {(r.indicator, r.kommune): r for r in _newest(old).itertuples()}
    order = {k.id: i for i, k in enumerate(KEY_FIGURES)}
    newest = sorted(_newest(frame).itertuples(), key=lambda r: (r.kommune, order[r.indicator]))
    for r in newest:
        o = before.get((r.indicator, r.kommune))
        if o is None:
            continue
        dec = decimals[r.indicator]
        was, now = _shown(o, dec), _shown(r, dec)
        if was != now:
            news.figures.setdefault(str(r.kommune), []).append(
                FigureMove(headers[r.indicator], was[0], was[1], now[0], now[1])
            )
    return news


def _section(body: str) -> str:
    return (
        '<section class="navbok-nytt" aria-labelledby="hva-er-nytt">\n'
        '<h2 id="hva-er-nytt">Hva er nytt</h2>\n' + body + "</section>\n"
    )


def _common(news: News) -> list[str]:
    out = []
    for table, old, new in news.tables:
        out.append(f"SSB-tabell {table} er oppdatert {_day(new)} (før: {_day(old)}).")
    if news.aap_months:
        months = ", ".join(_month(p) for p in news.aap_months)
        out.append(f"Nye AAP-måneder fra NAV: {months}.")
    return out


def _intro(news: News) -> str:
    if news.previous is None:
        return (
            f"<p>Dette er den første utgaven (publisert {_day(news.current.published)}). "
            "Neste utgave viser her hva som er endret.</p>\n"
        )
    return (
        f"<p>Utgave {_day(news.current.published)}; endringer siden forrige utgave "
        f"({_day(news.previous.published)}).</p>\n"
    )


def _items(lines: list[str]) -> str:
    return "<ul>\n" + "".join(f"<li>{html.escape(x)}</li>\n" for x in lines) + "</ul>\n"


def book_section(news: News, kommune: str) -> str:
    """The section for one book's first page."""
    if news.previous is None:
        return _section(_intro(news))
    lines = _common(news)
    moves = news.figures.get(kommune, [])
    lines += [m.text() for m in moves]
    if lines and not moves:
        lines.append("Ingen av kommunens nøkkeltall er endret.")
    if not lines:
        return _section(_intro(news) + "<p>Ingen tall i denne boka er endret.</p>\n")
    return _section(_intro(news) + _items(lines))


def overview_section(news: News) -> str:
    """The section for the national overview."""
    if news.previous is None:
        return _section(_intro(news))
    lines = _common(news)
    if news.figures:
        moved = sum(len(v) for v in news.figures.values())
        places = len(news.figures)
        lines.append(
            f"{moved} nøkkeltall i {places} {'kommune' if places == 1 else 'kommuner'} er "
            "endret; hver bok viser sine med gammel og ny verdi."
        )
    if not lines:
        return _section(_intro(news) + "<p>Ingen tall er endret.</p>\n")
    return _section(_intro(news) + _items(lines))
