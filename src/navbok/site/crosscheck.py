"""One figure, one truth: a built book read across its pages, as a reader reads it.

:func:`check_book` holds the pages of one built book against its own headline facts (glued by
the introduction, :mod:`navbok.report.facts`):

* the overview row (``site/index.html``): every key figure's cell is the book's fact, and the
  column's period is the fact's period;
* the print summary (``sammendrag.html``): every row's period and values are the book's facts;
* the book: every key figure with a value is printed, with its period, in one sentence of its
  chapter or of the introduction;
* every «I {år} var … enn KOSTRA-gruppe …» sentence names the group as it was that year (a year
  of the old scheme says «inndeling til 2019»), and sentences about two different years are not
  the same words.

It returns the problems as lines for a reader (empty when the book agrees with itself); the test
suite runs it on the recorded books of Bærum, Utsira and Oslo.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from navbok.key_figures import KEY_FIGURES, Fact, Facts
from navbok.report.facts import fact_text, read_facts

__all__ = ["check_book", "overview_cells", "page_text", "sentences", "summary_cells"]

_SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_OLD_SCHEME_LAST = 2019
_GROUP_SENTENCE = re.compile(
    r"\bI (?P<year>(?:19|20)\d\d) var (?P<rest>[^.]*?KOSTRA-gruppe (?P<group>\d+)"
    r"(?P<old> \(inndeling til 2019\))?[^.]*)\."
)


def page_text(page: str) -> str:
    """The visible text of an HTML page (scripts and styles out, entities decoded, one space)."""
    text = _TAG.sub(" ", _SCRIPT.sub(" ", page))
    return " ".join(html.unescape(text).replace("\u00a0", " ").split())


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences (at «. », «? », «! » before a capital letter or a digit)."""
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÆØÅ0-9«])", text) if s.strip()]


def _cells(row: str) -> list[str]:
    return [page_text(c) for c in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", row, re.S)]


def overview_cells(page: str, kommune: str) -> dict[str, tuple[str, str]]:
    """The overview's key-figure cells of ``kommune``: figure id → (column period, cell text)."""
    table = re.search(r'<table id="kommuner".*?</table>', page, re.S)
    if table is None:
        return {}
    head = re.search(r"<thead>(.*?)</thead>", table.group(0), re.S)
    headers = _cells(head.group(1)) if head else []
    row = next(
        (
            r
            for r in re.findall(r"<tr\b[^>]*>.*?</tr>", table.group(0), re.S)
            if re.search(rf"<td[^>]*>\s*{kommune}\s*</td>", r)
        ),
        None,
    )
    if row is None:
        return {}
    cells = _cells(row)
    out = {}
    for key in KEY_FIGURES:
        for i, header in enumerate(headers):
            if header.startswith(key.header) and i < len(cells):
                out[key.id] = (header[len(key.header) :].strip(), cells[i])
    return out


def summary_cells(page: str) -> list[list[str]]:
    """The print summary's key-figure rows: [figure header, period, values …]."""
    table = re.search(r'<table class="nokkeltall".*?</table>', page, re.S)
    if table is None:
        return []
    body = re.search(r"<tbody>(.*?)</tbody>", table.group(0), re.S)
    rows = re.findall(r"<tr\b[^>]*>.*?</tr>", body.group(1) if body else "", re.S)
    return [_cells(r) for r in rows]


def _text(fact: Fact) -> str:
    """The fact as :func:`page_text` reads it (no-break spaces as spaces)."""
    return fact_text(fact).replace("\u00a0", " ")


def _said(fact: Fact, texts: list[str]) -> bool:
    """Whether one sentence of ``texts`` holds the fact's value and its period («2024»,
    «oktober 2025», «2025 (tall for 2024)» for the barometer edition)."""
    value = _text(fact)
    period = fact.period.removeprefix("barometer ")
    for text in texts:
        for s in sentences(text):
            if period in s and re.search(rf"(?<![\d,]){re.escape(value)}(?![\d])", s):
                return True
    return False


def _group_sentences(name: str, text: str) -> list[str]:
    problems = []
    seen: dict[str, str] = {}
    for m in _GROUP_SENTENCE.finditer(text):
        year, rest = int(m["year"]), m["rest"]
        if year <= _OLD_SCHEME_LAST and not m["old"]:
            problems.append(
                f"{name}: «I {year} …» names KOSTRA-gruppe {m['group']} without «inndeling til "
                f"2019»: {m.group(0)[:120]}"
            )
        if rest in seen and seen[rest] != m["year"]:
            problems.append(
                f"{name}: the sentences about {seen[rest]} and {year} say the same: "
                f"{m.group(0)[:120]}"
            )
        seen.setdefault(rest, m["year"])
    return problems


def check_book(build_dir: Path, kommune: str, site: Path | None = None) -> list[str]:
    """Problems in one built book read across its pages (see the module text); ``site`` is
    the overview page (default ``build_dir/site/index.html``)."""
    html_dir = build_dir / kommune / "html"
    facts: Facts = read_facts(build_dir / kommune / "src" / "chapters" / "intro.ipynb")
    if not facts:
        return [f"{kommune}: the introduction glued no facts"]
    problems: list[str] = []
    own = {f.key: f for f in facts if f.role == "kommune"}
    overview = site or build_dir / "site" / "index.html"
    if overview.is_file():
        cells = overview_cells(overview.read_text("utf-8"), kommune)
        if not cells:
            problems.append(f"{kommune}: no row in the overview")
        for key, (period, text) in cells.items():
            fact = own.get(key)
            if fact is None:
                problems.append(f"{kommune}: overview shows {key} {text!r}, the book has none")
            elif (period and period != fact.period) or text != _text(fact):
                problems.append(
                    f"{kommune}: overview {key} {period!r} {text!r} ≠ book {fact.period!r} "
                    f"{_text(fact)!r}"
                )
    summary = html_dir / "sammendrag.html"
    if summary.is_file():
        rows = summary_cells(summary.read_text("utf-8"))
        ids = [k.id for k in KEY_FIGURES]
        shown = sorted(
            (f for f in facts if f.role == "kommune" and f.key.split(":")[0] in ids),
            key=lambda f: (ids.index(f.key.split(":")[0]), f.key),
        )
        if len(rows) != len(shown):
            problems.append(
                f"{kommune}: summary has {len(rows)} key-figure rows, book {len(shown)}"
            )
        for row, fact in zip(rows, shown, strict=False):
            want = [fact.label, fact.period, _text(fact)]
            got = [row[0], row[1], row[2].split(" (plass")[0]] if len(row) > 2 else row
            if got != want:
                problems.append(f"{kommune}: summary row {got} ≠ book {want}")
    chapters = html_dir / "chapters"
    texts = {p.stem: page_text(p.read_text("utf-8")) for p in sorted(chapters.glob("*.html"))}
    for figure in KEY_FIGURES:
        for suffix in ("", ":kapittel"):
            fact = own.get(figure.id + suffix)
            if fact is None or fact.value is None:
                continue
            where = [texts.get(figure.chapter, ""), texts.get("intro", "")]
            if not _said(fact, where):
                problems.append(
                    f"{kommune}: {fact.label} {fact.period} = {_text(fact)} is not said with "
                    f"its period in «{figure.chapter}» or the introduction"
                )
    for stem, text in texts.items():
        problems += _group_sentences(f"{kommune}/{stem}", text)
    return problems
