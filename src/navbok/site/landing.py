"""The national overview: ``_build/site/index.html``.

One page for the whole country (:func:`landing_page`), written by :mod:`navbok.site.products` after
every build from the build folder's state:

* every municipality with a book, searchable by number or any of its names (parallel Sami and
  Kven names too; case and diacritics folded as :func:`navbok.regions.fold`), shown with all its
  names («Kárášjohka», and under it «Karasjok»), in a table of the key indicators
  (:mod:`navbok.site.overview`) that sorts by any column (buttons in the headers,
  ``aria-sort``; missing values always last), with Landet's value of each as the reference row
  above the municipalities — numbers in Norwegian notation, SSB's status symbols (``:``, ``..``)
  where a number is missing, links to each book, its print summary and its workbook; under it,
  which ASSS members a book's «ASSS-snittet» averages when the book does not use the default
  set (:func:`navbok.groups.asss_members`);
* a map of all municipalities per key indicator (the reader chooses with a ``<select>``), drawn
  by Vega from ``_static/navbok-vega.js`` with the geometry loaded once from
  ``_static/navbok-geo.js`` (:func:`navbok.present.maps.geometry_script`), so the page works
  from ``file://`` with no network; suppressed and missing figures are grey, never a colour of
  the scale; the attribution is under the map, and the table is its alternative;
* the country's open data (CSV, Parquet, metadata) with their sizes;
* the demo notice when any source of the snapshot is synthetic.

The HTML is self-contained apart from the two scripts (styles and the small search/sort script
are inline) and valid: ``lang="nb"``, a skip link, one ``h1`` and ``h2`` per section.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from navbok import geo
from navbok.groups import asss_members
from navbok.key_figures import KEY_FIGURES, KeyFigure
from navbok.present import maps
from navbok.present.exports import Provenance
from navbok.present.numbers import fmt_number, whole_numbers
from navbok.present.prose import and_list
from navbok.regions import search_text
from navbok.report.maps import map_scale
from navbok.site.overview import BAROMETER, Overview

__all__ = ["Book", "Download", "LANDING_NAME", "cell_text", "landing_page", "size_text"]

LANDING_NAME = "index.html"
#: The global that holds each map's drawing function (drawn when chosen).
MAP_REGISTRY = "navbokKart"
#: The demo notice of the overview (a site of many books, not a book).
DEMO_NOTICE = (
    "DEMODATA: Tallene på denne siden og i bøkene er laget av syntetiske testdata. De er ikke "
    "offisiell statistikk og må ikke siteres."
)
#: Why the KOSTRA-gruppe column is a bare number.
KOSTRA_KEY = (
    "KOSTRA-gruppe: nummeret på SSBs gruppe av kommuner med lignende folketall og økonomiske "
    "rammer (hver bok sammenligner med gruppen sin)."
)


@dataclass(frozen=True)
class Book:
    """A built book, as the overview links it (paths relative to the site folder)."""

    kommune: str
    index: str
    summary: str = ""
    workbook: str = ""
    #: The book's ASSS definition (``asss_variant`` of its params).
    asss_variant: str = "default"


@dataclass(frozen=True)
class Download:
    """One of the country's files: its link (relative to the site folder), label and size."""

    href: str
    label: str
    size: int


@dataclass
class _Page:
    notice: str = ""
    sources: str = ""
    parts: dict[str, str] = field(default_factory=dict)


def size_text(size: int) -> str:
    """A file size in Norwegian notation: «812 kB», «16,2 MB»."""
    if size >= 1_000_000:
        return f"{fmt_number(size / 1_000_000, 1)}\u00a0MB"
    return f"{fmt_number(max(size, 1) / 1000, 0 if size >= 10_000 else 1)}\u00a0kB"


def cell_text(value: float, status: str, decimals: int) -> str:
    """A table cell: the number in Norwegian notation, or the status symbol (never blank)."""
    if status or value is None or (isinstance(value, float) and math.isnan(value)):
        return status or ".."
    return fmt_number(value, decimals)


def _sort_key(value: float, status: str) -> str:
    if status or value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return repr(float(value))


def _head(key: KeyFigure) -> str:
    """A key figure's header as shown: no line break inside a number («KVP per 1 000»)."""
    return whole_numbers(key.header)


def _header(header: str, period: str) -> str:
    return f"{header} {period}" if period else header


def _kostra_cell(group: str) -> str:
    """«KOSTRA-gruppe 12» as «12», sorted as a number."""
    number = group.rsplit(" ", 1)[-1]
    key = f"{int(number):02d}" if number.isdigit() else ""
    return f'<td data-v="{key}">{html.escape(number if key else group)}</td>'


def _other_names(name: str, full: str) -> list[str]:
    """The parallel names of a KLASS name («Kárášjohka - Karasjok») other than ``name``."""
    return [n.strip() for n in full.split(" - ") if n.strip() and n.strip() != name]


def _landet_row(overview: Overview) -> str:
    """The reference row above the municipalities: Landet's value of each key figure («.» for
    the barometer, which ranks municipalities and has no national score)."""
    cells = ['<th scope="row">Landet</th><td data-smal="skjul"></td><td data-smal="skjul"></td>'
             "<td></td>"]  # fmt: skip
    for k in KEY_FIGURES:
        if k.id == BAROMETER:
            text, title = ".", ' title="Gjelder ikke landet"'
        else:
            value, symbol = overview.landet.get(k.id, (None, ".."))
            text = cell_text(math.nan if value is None else value, symbol or "", k.decimals)
            title = ' title="Tall mangler"' if text == ".." else ""
        cells.append(f'<td class="num"{title}>{html.escape(text)}</td>')
    cells.append("<td></td>")
    return f'<tr class="landet">{"".join(cells)}</tr>'


def _asss_note(overview: Overview, books: Mapping[str, Book]) -> str:
    """Which books average another ASSS member set than the default one, and how it differs."""
    year = overview.years.get("andel_18_66") or max(overview.years.values(), default=None)
    odd = sorted((b for b in books.values() if b.asss_variant != "default"),
                 key=lambda b: b.kommune)  # fmt: skip
    if year is None or not odd:
        return ""
    names = dict(zip(overview.frame["kommune"], overview.frame["name"], strict=True))
    default = asss_members(year)
    parts = []
    for book in odd:
        members = asss_members(year, book.asss_variant)
        without = [names.get(c, c) for c in default if c not in members]
        extra = [names.get(c, c) for c in members if c not in default]
        diff = [f"uten {and_list(without)}"] if without else []
        diff += [f"med {and_list(extra)}"] if extra else []
        parts.append(
            f"boka for {names.get(book.kommune, book.kommune)} bruker {len(members)} kommuner"
            + (f" ({', '.join(diff)})" if diff else "")
        )
    return (
        '<p class="asss">ASSS-snittet er gjennomsnittet av kommunene i ASSS-nettverket (de '
        f"største kommunene), i {year} de {len(default)} medlemmene. Unntak: "
        f"{html.escape('; '.join(parts))}. Sammenlign derfor ikke ASSS-snittet mellom disse "
        "bøkene.</p>"
    )


def _table(overview: Overview, books: Mapping[str, Book], full_names: Mapping[str, str]) -> str:
    """The sortable table of the municipalities with a book."""
    esc = html.escape
    frame = overview.frame[overview.frame["kommune"].isin(list(books))]
    frame = frame.sort_values(["name", "kommune"], kind="stable")
    heads = [("Kommune", "text"), ("Nr.", "text"), ("Fylke", "text"), ("KOSTRA-gruppe", "text")]
    hide = {1: ' data-smal="skjul"', 2: ' data-smal="skjul"'}  # Nr. and Fylke on a phone
    one_year = len({overview.period(k.id) for k in KEY_FIGURES} - {""}) == 1
    heads += [
        (_head(k) if one_year else _header(_head(k), overview.period(k.id)), "num")
        for k in KEY_FIGURES
    ]
    cols = []
    for i, (label, kind) in enumerate(heads):
        sort = ' aria-sort="ascending"' if i == 0 else ""
        cls = ' class="num"' if kind == "num" else ""
        cols.append(
            f'<th scope="col"{cls}{sort}{hide.get(i, "")}><button type="button" data-col="{i}" '
            f'data-type="{kind}">{esc(label)}<span class="pil" aria-hidden="true"></span>'
            "</button></th>"
        )
    cols.append('<th scope="col">Last ned</th>')
    years = sorted({overview.period(k.id) for k in KEY_FIGURES} - {""})
    year_text = f"tall for {years[0]}" if one_year else "nyeste periode for hvert nøkkeltall"
    rows = []
    for row in frame.itertuples(index=False):
        r = row._asdict()
        book = books[r["kommune"]]
        search = overview.search.get(r["kommune"]) or search_text(r["kommune"], r["name"])
        others = _other_names(r["name"], full_names.get(r["kommune"], ""))
        also = f'<span class="andre-navn">{esc(", ".join(others))}</span>' if others else ""
        cells = [
            f'<th scope="row" data-v="{esc(r["name"])}"><a href="{esc(book.index)}">'
            f"{esc(r['name'])}</a>{also}</th>",
            f'<td data-smal="skjul">{esc(r["kommune"])}</td>',
            f'<td data-smal="skjul">{esc(r["county_name"])}</td>',
            _kostra_cell(str(r["kostra"])),
        ]
        for k in KEY_FIGURES:
            value, symbol = r[k.id], r[f"{k.id}_status"]
            title = ""
            if symbol == ":":
                title = ' title="Skjult av personvernhensyn"'
            elif symbol:
                title = ' title="Tall mangler"'
            cells.append(
                f'<td class="num" data-v="{_sort_key(value, symbol)}"{title}>'
                f"{esc(cell_text(value, symbol, k.decimals))}</td>"
            )
        links = []
        if book.summary:
            links.append(f'<a href="{esc(book.summary)}">Sammendrag</a>')
        if book.workbook:
            links.append(f'<a href="{esc(book.workbook)}">Excel</a>')
        cells.append(f"<td>{' · '.join(links)}</td>")
        rows.append(f'<tr data-search="{esc(search)}">{"".join(cells)}</tr>')
    return (
        '<p class="tabell-tittel" id="tabell-tittel">Nøkkeltall for kommunene med bok '
        f"({year_text}), med landet øverst. Sorter ved å velge en kolonneoverskrift. «:» = "
        "skjult av personvernhensyn, «..» = tall mangler, «.» = gjelder ikke. Tallene er de "
        f"samme som i kartet. {esc(KOSTRA_KEY)}</p>"
        '<div class="tabell-wrap" tabindex="0" role="region" aria-labelledby="tabell-tittel">'
        '<table id="kommuner">'
        f"<thead><tr>{''.join(cols)}</tr>{_landet_row(overview)}</thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _map_table(overview: Overview) -> str:
    """Every municipality's key figures: the maps' table alternative (in a ``<details>``)."""
    esc = html.escape
    frame = overview.frame.sort_values(["kommune"], kind="stable")
    head = "".join(
        f'<th scope="col" class="num">{esc(_header(_head(k), overview.period(k.id)))}</th>'
        for k in KEY_FIGURES
    )
    body = []
    for row in frame.itertuples(index=False):
        r = row._asdict()
        cells = "".join(
            f'<td class="num">{esc(cell_text(r[k.id], r[f"{k.id}_status"], k.decimals))}</td>'
            for k in KEY_FIGURES
        )
        body.append(
            f'<tr><th scope="row">{esc(r["name"])}</th><td>{esc(r["kommune"])}</td>{cells}</tr>'
        )
    return (
        '<details id="kart-tabell"><summary>Tallene i kartene for alle kommuner (tabell)'
        '</summary><div class="tabell-wrap" tabindex="0" role="region" '
        'aria-labelledby="kart-tabell-tittel"><table><caption id="kart-tabell-tittel">'
        "Nøkkeltall for alle kommuner, de samme tallene som i kartene</caption>"
        f'<thead><tr><th scope="col">Kommune</th><th scope="col">Nr.</th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div></details>"
    )


def _maps(overview: Overview) -> tuple[str, str]:
    """The map section's controls and containers, and the scripts that draw the maps."""
    esc = html.escape
    options: list[str] = []
    boxes: list[str] = []
    scripts: list[str] = []
    for key in KEY_FIGURES:
        year = overview.period(key.id)
        if not year:
            continue
        label = overview.labels.get(key.id, _head(key))
        values = [
            {"kommune": r.kommune, "name": r.name, "value": getattr(r, key.id),
             "status": getattr(r, f"{key.id}_status") or None}
            for r in overview.frame.itertuples(index=False)
        ]  # fmt: skip
        element = f"kart-{key.id}"
        spec = maps.choropleth(
            maps.GEOMETRY_GLOBAL,
            values,
            title=f"{label}, {year}",
            description=(
                f"Kart over Norges kommuner farget etter {label.lower()} i {year}. Kommuner der "
                "tallet er skjult av personvernhensyn eller mangler, er grå. Tallene står i "
                "tabellen under kartet."
            ),
            unit=key.unit if key.unit in ("prosent", "kr") else "",
            decimals=key.decimals,
            legend_title=_head(key),
            # The one scale of the indicator and year, as every county map draws it.
            scale=map_scale(key.id, values, decimals=key.decimals),
        )
        spec = {k: v for k, v in spec.items() if k != "title"}  # the title is HTML (wraps)
        selected = " selected" if not options else ""
        options.append(f'<option value="{element}"{selected}>{esc(_head(key))}, {year}</option>')
        hidden = "" if len(boxes) == 0 else " hidden"
        boxes.append(
            f'<div id="{element}-boks" class="kart-boks"{hidden}><h3 class="kart-tittel">'
            f'{esc(label)}, {year}</h3><div id="{element}" class="navbok-map"></div></div>'
        )
        scripts.append(maps.embed_script(spec, element, register=MAP_REGISTRY))
    controls = (
        '<p><label for="kart-valg">Vis i kartet</label> '
        f'<select id="kart-valg">{"".join(options)}</select></p>' + "".join(boxes)
    )
    return controls, "\n".join(scripts)


def landing_page(
    overview: Overview,
    books: Mapping[str, Book],
    site: Path,
    *,
    provenance: Provenance | None = None,
    downloads: list[Download] | None = None,
    full_names: Mapping[str, str] | None = None,
) -> Path:
    """Write the national overview into ``site/index.html`` (and ``site/kommuner.json``).

    Args:
        overview: Every municipality's key figures (:func:`navbok.site.overview.overview`).
        books: The built books by municipality code (every book in the build folder).
        site: The site folder (``_build/site``); its ``_static/`` must hold the Vega bundle
            and the geometry script (:mod:`navbok.site.products` puts them there).
        provenance: Where the numbers come from (the page names the sources and the fetch
            date, and shows the demo notice when a source is synthetic).
        downloads: The country's files, linked with their sizes.
        full_names: Each municipality's whole KLASS name with its parallel names
            («Kárášjohka - Karasjok»; :attr:`navbok.regions.Register.names`): the table shows
            the names other than the display name under it.
    """
    esc = html.escape
    site.mkdir(parents=True, exist_ok=True)
    notice = sources = ""
    if provenance is not None:
        if provenance.synthetic:
            notice = (
                '<div class="navbok-demo" role="alert"><strong>'
                f"{esc(DEMO_NOTICE)}</strong> Syntetiske kilder: "
                f"{esc(provenance.synthetic)}.</div>"
            )
        sources = (
            f'<p class="kilde">Kilde: {esc(provenance.sources)}. '
            f"Data hentet {esc(provenance.fetched)}.</p>"
        )
    controls, scripts = _maps(overview)
    all_built = set(books) >= set(overview.frame["kommune"])
    alternative = (
        '<p class="kart-alt">Tabellen <a href="#tabell">Nøkkeltall for kommunene</a> har de '
        "samme tallene som kartene.</p>"
        if all_built
        else _map_table(overview)
    )
    files = "".join(
        f'<li><a href="{esc(d.href)}" download>{esc(d.label)}</a> '
        f'<span class="storrelse">({esc(size_text(d.size))})</span></li>'
        for d in downloads or []
    )
    download_part = (
        '<section aria-labelledby="data-h" id="data"><h2 id="data-h">Åpne data</h2>'
        "<p>Alle indikatorer for alle kommuner og år, med SSBs statussymbol der tallet mangler "
        "(CC BY 4.0).</p>"
        f"<ul>{files}</ul></section>"
        if files
        else ""
    )
    n_books = len(books)
    count = f"{n_books} {'kommune' if n_books == 1 else 'kommuner'}"
    page = (
        LANDING.replace("{notice}", notice)
        .replace("{sources}", sources)
        .replace("{count}", count)
        .replace("{n_all}", str(len(overview.frame)))
        .replace("{attribution}", esc(geo.ATTRIBUTION))
        .replace("{controls}", controls)
        .replace("{alternative}", alternative)
        .replace("{table}", _table(overview, books, full_names or {}) + _asss_note(overview, books))
        .replace("{downloads}", download_part)
        .replace("{map_scripts}", scripts.replace("</", "<\\/"))
        .replace("{registry}", MAP_REGISTRY)
    )
    (site / LANDING_NAME).write_text(page, "utf-8")
    names = dict(zip(overview.frame["kommune"], overview.frame["name"], strict=True))
    listing = {k: names.get(k, k) for k in sorted(books)}
    (site / "kommuner.json").write_text(json.dumps(listing, ensure_ascii=False, indent=1), "utf-8")
    return site / LANDING_NAME


def overview_rows(page: str) -> list[str]:
    """The municipality codes of the overview table's rows, in order (for tests and checks)."""
    import re

    body = page.split('<table id="kommuner">', 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr data-search=\"(\d{4}) ", body)


LANDING = """<!DOCTYPE html>
<html lang="nb"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>navbok – sosialtjenesten i alle norske kommuner</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1a1a1a;
line-height:1.45}
.innhold{max-width:78rem;margin:0 auto;padding:0 1rem 3rem}
.hopp{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem;z-index:10}
.hopp:focus{left:1rem}
.navbok-demo{background:#7a1020;color:#fff;padding:.6rem 1rem;font-weight:600;margin:0}
.kilde,.kart-kilde,.kart-alt{font-size:.9em;color:#333}
a{color:#0b4f9c}
nav ul{list-style:none;padding:0;display:flex;gap:1.2rem;flex-wrap:wrap}
.navbok-map{width:100%;max-width:46rem;min-height:20rem}
.kart-tittel{font-size:1.05rem;margin:.6rem 0 .2rem}
label{font-weight:600}
select,input[type=search]{font-size:1rem;padding:.35rem;border:1px solid #555;border-radius:3px}
input[type=search]{width:100%;max-width:28rem;display:block;margin:.3rem 0}
.tabell-wrap{overflow-x:auto;max-width:100%}
.tabell-tittel,.asss{font-size:.92rem;color:#333;max-width:60rem}
.andre-navn{display:block;font-size:.85em;color:#444;font-weight:400}
tr.landet th,tr.landet td{position:static;background:#f7f7f7;font-weight:600;
border-bottom:2px solid #888}
table{border-collapse:collapse;font-size:.92rem;margin:.5rem 0}
caption{text-align:left;padding:.4rem 0;color:#333}
th,td{padding:.3rem .5rem;border-bottom:1px solid #d0d0d0;text-align:left;vertical-align:top}
th.num,td.num{text-align:right}td.num{white-space:nowrap}
thead th{min-width:4.5rem}
thead th{background:#eef2f6;position:sticky;top:0}
thead th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;
color:inherit;text-align:inherit}
thead th button:focus-visible{outline:2px solid #0b4f9c;outline-offset:2px}
th[aria-sort=ascending] .pil::after{content:" ▲"}th[aria-sort=descending] .pil::after{content:" ▼"}
tbody th{font-weight:500}
.storrelse{color:#444}
@media (max-width:40rem){[data-smal=skjul]{display:none}
table{font-size:.85rem}th,td{padding:.25rem .35rem}thead th{min-width:0}
#kommuner tbody th,#kommuner tr.landet th{position:sticky;left:0;background:#fff;z-index:1}
#kommuner tr.landet th{background:#f7f7f7}}
@media print{.navbok-demo{background:none;color:#000;border:3px solid #000}
input,label,select,nav,.hopp,#kart-tabell{display:none}thead th{position:static}}
</style>
</head><body>
<a class="hopp" href="#innhold">Hopp til innholdet</a>
{notice}
<div class="innhold">
<header><p><strong>navbok</strong> – åpen analyse av sosialtjenesten i norske kommuner</p>
<nav aria-label="På denne siden"><ul><li><a href="#kart">Kart</a></li>
<li><a href="#tabell">Tabell</a></li><li><a href="#data">Åpne data</a></li></ul></nav>
</header>
<main id="innhold">
<h1>Sosialtjenesten i norske kommuner</h1>
<p>Bøker for {count}. Velg en kommune i tabellen, eller søk etter navn eller kommunenummer.
Kartene viser alle {n_all} kommuner.</p>
{sources}
<section aria-labelledby="kart-h" id="kart"><h2 id="kart-h">Kart over kommunene</h2>
{controls}
<p class="kart-kilde">{attribution}. Grå: tallet er skjult av personvernhensyn (:) eller mangler
(..); aldri en farge på skalaen.</p>
{alternative}
</section>
<section aria-labelledby="tabell-h" id="tabell"><h2 id="tabell-h">Nøkkeltall for kommunene</h2>
<label for="sok">Søk etter kommune (navn eller nummer)</label>
<input id="sok" type="search" autocomplete="off">
<p id="antall" aria-live="polite"></p>
{table}
</section>
{downloads}
</main></div>
<script src="_static/navbok-vega.js"></script>
<script src="_static/navbok-geo.js"></script>
<script>
{map_scripts}
</script>
<script>
(function () {
  var table = document.getElementById('kommuner');
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var count = document.getElementById('antall');
  function shown() {
    var n = rows.filter(function (r) { return !r.hidden; }).length;
    count.textContent = 'Viser ' + n + ' av ' + rows.length + ' kommuner.';
  }
  // as navbok.regions.fold: case, diacritics (NFKD), æ ø đ ŋ ŧ ß folded, words only
  function fold(s) {
    return s.toLowerCase().normalize('NFKD').replace(/\\p{M}/gu, '')
      .replace(/æ/g, 'ae').replace(/ø/g, 'o').replace(/[đð]/g, 'd').replace(/ŋ/g, 'n')
      .replace(/ŧ/g, 't').replace(/ß/g, 'ss').replace(/[^\\p{L}\\p{N}]+/gu, ' ').trim();
  }
  document.getElementById('sok').addEventListener('input', function (e) {
    var q = fold(e.target.value);
    rows.forEach(function (r) {
      r.hidden = q !== '' && r.dataset.search.indexOf(q) === -1;
    });
    shown();
  });
  function key(row, col) {
    var cell = row.cells[col];
    return cell.hasAttribute('data-v') ? cell.getAttribute('data-v') : cell.textContent;
  }
  table.querySelectorAll('thead button').forEach(function (button) {
    button.addEventListener('click', function () {
      var th = button.parentNode, col = +button.dataset.col;
      var num = button.dataset.type === 'num';
      var dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
      table.querySelectorAll('thead th').forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', dir);
      var sign = dir === 'ascending' ? 1 : -1;
      rows.sort(function (a, b) {
        var x = key(a, col), y = key(b, col);
        if (x === '' || y === '') { return (x === '') - (y === ''); }  // missing last
        var d = num ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, 'nb');
        return sign * d;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  var select = document.getElementById('kart-valg');
  var drawn = {};
  function show(id) {
    document.querySelectorAll('.kart-boks').forEach(function (el) {
      el.hidden = el.id !== id + '-boks';
    });
    var draw = window.{registry} && window.{registry}[id];
    if (draw && !drawn[id]) { drawn[id] = true; draw(); }
  }
  if (select) {
    select.addEventListener('change', function () { show(select.value); });
    show(select.value);
  }
  shown();
})();
</script></body></html>
"""
