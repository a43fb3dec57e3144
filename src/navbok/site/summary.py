"""A one-page summary per municipality for print: ``_build/<kommune>/html/sammendrag.html``.

For politicians and others who want the book on one A4 page: the book's headline facts (glued
by the introduction, :mod:`navbok.report.facts`) against its main comparison and the country,
the county map with the municipality outlined
(:func:`navbok.report.maps.county_figure`), the main findings and «Hva betyr dette?» as the
executed introduction says them (read from its filled markdown, so the words are the book's
own), the sources and the demo notice. The print stylesheet (``@media print``) sets
A4, hides the navigation and sizes the map and the type so that the page prints on one A4 sheet
(labels wrap between words, never inside one); the page draws the map with the book's own
Vega bundle (``_static/navbok-vega.js``), offline. A municipality with parallel names
(«Kárášjohka - Karasjok») is named with all of them under the title.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from navbok.builder.config import DEMO_BANNER
from navbok.key_figures import KEY_FIGURES, Facts
from navbok.present.exports import Provenance
from navbok.present.markdown import plain_text
from navbok.present.numbers import whole_numbers
from navbok.report.facts import fact_text, read_facts
from navbok.report.maps import county_figure
from navbok.site.overview import Overview

if TYPE_CHECKING:
    from navbok.data import NavData

__all__ = ["SUMMARY_NAME", "findings", "key_figure_table", "meaning", "write_summary"]

SUMMARY_NAME = "sammendrag.html"
_SLOT = re.compile(r"\{(\w+)\}")


def _cells(intro: Path) -> list[str]:
    """The filled markdown cells of the executed introduction."""
    try:
        nb = json.loads(intro.read_text("utf-8"))
    except (OSError, ValueError):
        return []
    return [
        "".join(c["source"]) if isinstance(c.get("source"), list) else str(c.get("source", ""))
        for c in nb.get("cells", [])
        if c.get("cell_type") == "markdown"
    ]


def _block(intro: Path, opening: str) -> list[str]:
    """The lines of the introduction after the line ``opening`` up to the next fence."""
    for source in _cells(intro):
        lines = source.splitlines()
        if opening in lines:
            rest = lines[lines.index(opening) + 1 :]
            end = next((i for i, line in enumerate(rest) if line.startswith("```")), len(rest))
            return rest[:end]
    return []


def findings(intro: Path) -> list[str]:
    """The main findings the executed introduction says under «Hovedfunn» (one finding per
    ``* `` line; the one line said instead when there are none)."""
    items: list[str] = []
    lines = _block(intro, "## Hovedfunn")
    for line in lines:
        if line.startswith(("* ", "- ")):
            items.append(line[2:].strip())
        elif items and line.strip():
            items[-1] += " " + line.strip()
    if items:
        return items
    text = " ".join(x.strip() for x in lines if x.strip())
    return [text] if text else []


def meaning(intro: Path) -> str:
    """The text of the introduction's «Hva betyr dette?» box, if any."""
    lines = _block(intro, "```{admonition} Hva betyr dette?")
    return " ".join(x.strip() for x in lines if x.strip() and not x.startswith(":"))


def write_summary(
    data: NavData,
    overview: Overview,
    kommune: str,
    html_dir: Path,
    intro: Path,
    *,
    provenance: Provenance,
    overview_href: str = "../../site/index.html",
    workbook_href: str = "",
    map_values: list[dict] | None = None,
) -> Path:
    """Write ``html_dir/sammendrag.html`` for ``kommune``; returns its path.

    ``map_values``: the national values of the county map's indicator (computed once for all
    summaries; default: computed here)."""
    from navbok.report.maps import county_values

    esc = html.escape
    row = overview.row(kommune)
    name = str(row["name"])
    table = key_figure_table(read_facts(intro), name)
    year = overview.years.get("andel_18_66")
    figure = ""
    if year is not None:
        try:
            figure = county_figure(
                kommune, name, map_values or county_values(data, "andel_18_66", year),
                year=year, height=300,
                downloads=False, provenance=provenance,
            ).html  # fmt: skip
        except Exception:  # a municipality the map does not have: the page without the map
            figure = ""
    # Glued Markdown → the text a reader sees (escaped data unescaped once) → HTML-escaped.
    items = "".join(f"<li>{esc(plain_text(t))}</li>" for t in findings(intro) if t.strip())
    what = meaning(intro)
    what_html = f"<p>{esc(plain_text(what))}</p>" if what else ""
    found = (
        '<section aria-labelledby="funn-h"><h2 id="funn-h">Hovedfunn</h2>'
        f"<ul>{items}</ul>{what_html}</section>"
    )
    notice = ""
    if provenance.synthetic:
        notice = f'<div class="navbok-demo" role="alert"><strong>{esc(DEMO_BANNER)}</strong></div>'
    links = [
        f'<a href="{esc(overview_href)}">Alle kommuner</a>',
        '<a href="index.html">Hele boka</a>',
    ]
    if workbook_href:
        links.append(f'<a href="{esc(workbook_href)}">Alle tabeller (Excel)</a>')
    group = row["kostra"] or "KOSTRA-gruppe ukjent"
    names = [n.strip() for n in data.register.names.get(kommune, name).split(" - ")]
    also = [n for n in names if n and n != name]
    called = f" ({' – '.join([name, *also])})" if also else ""
    meta = f"Kommune {kommune}{called} i {row['county_name']}, {group}."
    slots = {
        "title": esc(f"{name}: sosialtjenesten på én side"),
        "notice": notice,
        "links": " · ".join(links),
        "name": esc(name),
        "meta": esc(meta),
        "table": table,
        "figure": figure,
        "findings": found if items else "",
        "sources": esc(f"Kilde: {provenance.sources}. Data hentet {provenance.fetched}."),
    }
    # One pass: a «{table}» in a name is text, not a slot.
    page = _SLOT.sub(lambda m: slots.get(m[1], m[0]), SUMMARY)
    out = html_dir / SUMMARY_NAME
    out.write_text(page, "utf-8")
    return out


def key_figure_table(facts: Facts, name: str) -> str:
    """The summary's key figures: the book's own headline facts (glued by the introduction),
    each with its period, against the book's main comparison and the country; the barometer's
    place beside its score. Without facts (an introduction that failed) a line says so."""
    esc = html.escape
    if not facts:
        return "<p>Nøkkeltallene mangler: innledningen til boka ble ikke laget.</p>"
    compared = next((f.series for f in facts if f.role == "sammenligning"), "")
    rows = []
    for key in KEY_FIGURES:
        for suffix in ("", ":kapittel"):
            own = facts.get(key.id + suffix)
            if own is None:
                continue
            cells = [fact_text(own)]
            if own.rank is not None:
                cells[0] += f" (plass {own.rank} av {own.n})"
            if compared:
                other = facts.get(key.id + suffix, "sammenligning")
                cells.append(fact_text(other) if other else "")
            land = facts.get(key.id + suffix, "landet")
            cells.append(fact_text(land) if land else "")
            tds = "".join(f'<td class="num">{esc(c)}</td>' for c in cells)
            rows.append(
                f'<tr><th scope="row">{esc(whole_numbers(key.header))}</th>'
                f'<td class="num">{esc(own.period)}</td>{tds}</tr>'
            )
    heads = [name, *([compared] if compared else []), "Landet"]
    head = "".join(f'<th scope="col" class="num">{esc(h)}</th>' for h in heads)
    # On a phone the five columns scroll inside their own region, never the page.
    return (
        '<p class="forklaring" id="nokkeltall-forklaring">Nyeste periode for hvert nøkkeltall, '
        "de samme tallene som i boka og i oversikten over alle kommuner. «:» = skjult av "
        "personvernhensyn, «..» = tall mangler. Barometeret: snittkarakter 1–6 og plass blant "
        "de rangerte kommunene.</p>"
        '<div class="tabell-rulle" role="region" tabindex="0" aria-label="Nøkkeltall">'
        '<table class="nokkeltall" aria-describedby="nokkeltall-forklaring">'
        f"<caption>Nøkkeltall for {esc(name)}</caption>"
        f'<thead><tr><th scope="col">Nøkkeltall</th>'
        f'<th scope="col" class="num">Periode</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


SUMMARY = """<!DOCTYPE html>
<html lang="nb"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1a1a1a;
line-height:1.4}
.side{max-width:52rem;margin:0 auto;padding:0 1rem 2rem}
.hopp{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}
.hopp:focus{left:1rem}
.navbok-demo{background:#7a1020;color:#fff;padding:.5rem 1rem;margin:0}
nav{font-size:.95rem;margin:.6rem 0}a{color:#0b4f9c}
h1{font-size:1.6rem;margin:.4rem 0 .2rem}h2{font-size:1.15rem;margin:1rem 0 .3rem}
.meta{color:#333;margin:0 0 .6rem}
.to{display:grid;grid-template-columns:1fr 1fr;gap:1.2rem;align-items:start}
.to>*{min-width:0}.side{overflow-wrap:break-word}
table{border-collapse:collapse;font-size:.9rem;width:100%}
caption{text-align:left;font-size:.85rem;color:#333;padding-bottom:.3rem}
th,td{padding:.25rem .4rem;border-bottom:1px solid #d0d0d0;text-align:left}
/* A label wraps between its words, never inside one («Stønadslengd/e»); numbers carry
   no-break spaces, so a cell wraps only between a number and its words. */
.nokkeltall th,.nokkeltall td{overflow-wrap:normal;word-break:normal;hyphens:manual}
.nokkeltall th[scope=row]{min-width:8.5em}
.num{text-align:right}
figure{margin:0}.navbok-chart{min-height:12rem}
figure details,figure noscript{font-size:.85rem}
ul{padding-left:1.2rem}li{margin:.25rem 0}
.kilde{font-size:.8rem;color:#333;border-top:1px solid #aaa;padding-top:.4rem;margin-top:1rem}
.tabell-rulle{overflow-x:auto;max-width:100%}
.forklaring{font-size:.85rem;color:#333;margin:0 0 .3rem}
@media (max-width:40rem){.to{grid-template-columns:1fr}
 .nokkeltall{font-size:.8rem}.nokkeltall th[scope=row]{min-width:6.5em}}
@page{size:A4;margin:10mm 12mm}
@media print{
 body{font-size:9pt;line-height:1.3}.side{max-width:none;padding:0}
 nav,.hopp,figure details{display:none}
 .navbok-demo{background:none;color:#000;border:2px solid #000;padding:.2rem .5rem;
  font-size:8.5pt}
 .to{grid-template-columns:1.1fr 1fr;gap:6mm}
 table{font-size:8.5pt}th,td{padding:.15rem .3rem}caption,.forklaring{font-size:7.5pt}
 .navbok-chart{min-height:0}
 .navbok-chart svg{max-width:100%;height:auto;max-height:78mm}
 figcaption{font-size:7.5pt;line-height:1.25}.navbok-chart-text{font-size:10pt!important}
 h1{font-size:15pt;margin:.1rem 0}h2{font-size:11pt;margin:.5rem 0 .2rem}
 .meta{margin:0 0 .2rem}ul{margin:.2rem 0}li{margin:.05rem 0}p{margin:.3rem 0}
 .kilde{font-size:7.5pt;margin-top:.4rem;padding-top:.2rem}
 section,figure,table{break-inside:avoid}
 a{color:#000;text-decoration:none}
}
</style>
<script src="_static/navbok-vega.js"></script>
</head><body>
<a class="hopp" href="#innhold">Hopp til innholdet</a>
{notice}
<div class="side">
<nav aria-label="Lenker">{links}</nav>
<main id="innhold">
<h1>{name}: sosialtjenesten på én side</h1>
<p class="meta">{meta}</p>
<div class="to">
<section aria-labelledby="tall-h"><h2 id="tall-h">Nøkkeltall</h2>{table}</section>
<section aria-labelledby="kart-h"><h2 id="kart-h">Kommunen i fylket</h2>{figure}</section>
</div>
{findings}
<p class="kilde">{sources}</p>
</main></div>
</body></html>
"""
