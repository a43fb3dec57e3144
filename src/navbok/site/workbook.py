"""A book's open download: one Excel workbook with every table of the book, and its metadata.

Built in the build process after the chapters ran, from the executed notebooks alone: every
figure and table of a chapter offers its numbers as a CSV download (a file that starts with
``# Kilde: …`` comment lines, :func:`navbok.present.exports.csv_bytes`), and its notebook
output's metadata holds the same file with its slug and title
(:class:`navbok.present.tables.Download`, under
:data:`navbok.present.tables.DOWNLOADS_METADATA`). :func:`book_tables` reads them in order,
never the HTML; :func:`write_workbook` writes

* ``navbok-<kommune>.xlsx``: a sheet «Innhold» (every sheet with its chapter and full title),
  one sheet per figure or table named by its number and its title cut after a whole word (at
  most 31 characters: «07 Brutto utbetalt økonomisk»), with
  the Norwegian headers and the status columns of the download, and a sheet «Om dataene»
  (sources, fetch date, the definitions of the book's indicators, licence, status symbols and,
  when a source is synthetic, the warning);
* ``metadata.json``: the same in machine-readable form, with each sheet's columns and rows and
  the workbook's size and sha256.

The workbook is written directly as SpreadsheetML (inline strings, a bold and frozen header
row), deterministic (fixed zip timestamps): no openpyxl, a few milliseconds per book.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from navbok import indicators as ind
from navbok import status
from navbok.key_figures import Facts
from navbok.present.exports import FORMULA, column_letter
from navbok.present.tables import DOWNLOADS_METADATA
from navbok.site.national import LICENCE, SYNTHETIC_WARNING

__all__ = [
    "ABOUT_SHEET",
    "INDEX_SHEET",
    "BookTable",
    "book_tables",
    "sheet_names",
    "workbook_bytes",
    "write_workbook",
]

INDEX_SHEET = "Innhold"
ABOUT_SHEET = "Om dataene"
METADATA_NAME = "metadata.json"
_MAX_SHEET = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_HEADING = re.compile(r"^#\s+(.+)$", re.M)
_NUMBER = re.compile(r"^[-−]?(0|[1-9]\d*)(,\d+)?([eE][-+]?\d+)?$")
#: What a status column beside a column of numbers holds (the workbook and its metadata).
STATUS_COLUMNS_TEXT = (
    "Ved siden av hver kolonne med tall står en kolonne «<kolonne> status»: SSBs symbol når "
    "tallet mangler, ≈ når tallet er et anslag, ellers tom. Tall er lagret som tall, antall "
    "personer som hele tall og prosenter som i boka (36,8, ikke 0,368)."
)
_STAMP = (2000, 1, 1, 0, 0, 0)


@dataclass
class BookTable:
    """The numbers of one figure or table: chapter, title, file slug, comments, header, rows."""

    chapter: str
    title: str
    slug: str
    comments: list[tuple[str, str]] = field(default_factory=list)  # ("Kilde", "…")
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def _chapter_title(nb: dict[str, Any], fallback: str) -> str:
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            src = "".join(cell.get("source", ""))
            if m := _HEADING.search(src):
                return m.group(1).strip()
    return fallback


def _parse_csv(text: str) -> tuple[list[tuple[str, str]], list[str], list[list[str]]]:
    lines = text.split("\r\n")
    comments = []
    while lines and lines[0].startswith("# "):
        label, _, value = lines.pop(0)[2:].partition(": ")
        comments.append((label, value))
    reader = csv.reader((line for line in lines if line), delimiter=";")
    # A text a spreadsheet would run as a formula has a leading «'» in the CSV
    # (exports.text_cells); in the workbook it is a text cell, so it goes without.
    rows = [[_unquote(cell) for cell in row] for row in reader]
    return comments, (rows[0] if rows else []), rows[1:]


def _unquote(cell: str) -> str:
    return cell[1:] if cell[:1] == "'" and FORMULA.match(cell[1:]) else cell


def book_tables(notebooks: Iterable[Path]) -> list[BookTable]:
    """Every figure's and table's numbers in the executed ``notebooks`` (in order)."""
    out: list[BookTable] = []
    seen: set[tuple[str, str]] = set()
    for path in notebooks:
        nb = json.loads(Path(path).read_text("utf-8"))
        chapter = _chapter_title(nb, Path(path).stem)
        for cell in nb.get("cells", []):
            for output in cell.get("outputs", []):
                for record in output.get("metadata", {}).get(DOWNLOADS_METADATA, []):
                    slug = str(record["slug"])
                    if (chapter, slug) in seen:
                        continue
                    seen.add((chapter, slug))
                    comments, header, rows = _parse_csv(str(record["csv"]))
                    title = str(record["title"])
                    out.append(BookTable(chapter, title, slug, comments, header, rows))
    return out


def sheet_names(titles: Iterable[str]) -> list[str]:
    """Excel sheet names from titles: the figure's or table's number in the book, then its
    title cut after a whole word (no ``[]:*?/\\``, at most 31 characters): «07 Brutto
    utbetalt økonomisk», unique by their numbers (never «… (2)»)."""
    titles = list(titles)
    width = max(2, len(str(len(titles))))
    out = []
    for i, title in enumerate(titles, start=1):
        prefix = f"{i:0{width}d} "
        words = " ".join(_BAD_SHEET_CHARS.sub(" ", title).split()).strip("'").split(" ")
        room = _MAX_SHEET - len(prefix)
        name = ""
        for word in words:
            candidate = f"{name} {word}".strip()
            if len(candidate) > room:
                break
            name = candidate
        if not name:  # one word longer than the room: cut it, there is no other way
            name = words[0][:room] if words and words[0] else "Tabell"
        out.append(prefix + name.rstrip(" ,.;–-"))
    return out


# ----------------------------------------------------------------------- SpreadsheetML


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _esc(text: str) -> str:
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cell(ref: str, value: str, bold: bool = False) -> str:
    style = ' s="1"' if bold else ""
    if not bold and _NUMBER.match(value):  # «0301» (a code) stays text
        number = value.replace("−", "-").replace(",", ".")
        return f'<c r="{ref}"{style}><v>{number}</v></c>'
    if value == "":
        return ""
    return (
        f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{_esc(value)}</t></is></c>'
    )


def _sheet(header: list[str], rows: list[list[str]], widths: list[int] | None = None) -> bytes:
    ncols = max([1, len(header), *(len(r) for r in rows)])
    last = f"{column_letter(max(ncols, 1))}{len(rows) + 1}"
    cols = ""
    if widths:
        cols = (
            "<cols>"
            + "".join(
                f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                for i, w in enumerate(widths, start=1)
            )
            + "</cols>"
        )
    out = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{last}"/><sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        "</sheetView></sheetViews>"
        f'<sheetFormatPr defaultRowHeight="15"/>{cols}<sheetData>',
        '<row r="1">'
        + "".join(_cell(f"{column_letter(i)}1", h, bold=True) for i, h in enumerate(header, 1))
        + "</row>",
    ]
    letters = [column_letter(i) for i in range(1, ncols + 1)]
    for r, row in enumerate(rows, start=2):
        cells = [_cell(f"{letters[i]}{r}", v) for i, v in enumerate(row) if v != ""]
        out.append(f'<row r="{r}">' + "".join(cells) + "</row>")
    out.append("</sheetData></worksheet>")
    return "".join(out).encode("utf-8")


_OOXML = "application/vnd.openxmlformats-"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    f'<Default Extension="rels" ContentType="{_OOXML}package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    f'ContentType="{_OOXML}officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    f'ContentType="{_OOXML}officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    f'ContentType="{_OOXML}package.core-properties+xml"/>'
    "{sheets}</Types>"
)
_SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
    'metadata/core-properties" Target="docProps/core.xml"/></Relationships>'
)
_CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>{title}</dc:title><dc:creator>navbok</dc:creator>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:created>'
    "</cp:coreProperties>"
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def workbook_bytes(sheets: list[tuple[str, bytes]], title: str) -> bytes:
    """An ``.xlsx`` of ready worksheets (name, worksheet XML), deterministic."""
    names = "".join(
        f'<sheet name="{_esc(name).replace(chr(34), "&quot;")}" sheetId="{i}" r:id="rId{i}"/>'
        for i, (name, _) in enumerate(sheets, start=1)
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"<sheets>{names}</sheets></workbook>"
    )
    n = len(sheets)
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, n + 1)
    )
    rels += (
        f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/styles" Target="styles.xml"/>'
    )
    parts = [
        (
            "[Content_Types].xml",
            _CONTENT_TYPES.replace(
                "{sheets}", "".join(_SHEET_TYPE.format(n=i) for i in range(1, n + 1))
            ).encode(),
        ),
        ("_rels/.rels", _ROOT_RELS.encode()),
        ("docProps/core.xml", _CORE.replace("{title}", _esc(title)).encode()),
        ("xl/workbook.xml", workbook.encode()),
        (
            "xl/_rels/workbook.xml.rels",
            (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
                f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}'
                "</Relationships>"
            ).encode(),
        ),
        ("xl/styles.xml", _STYLES.encode()),
    ]
    parts += [(f"xl/worksheets/sheet{i}.xml", xml) for i, (_, xml) in enumerate(sheets, 1)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=_STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return out.getvalue()


#: The headline facts' sheet.
FACTS_SHEET = "Nøkkeltall"


def facts_table(facts: Facts) -> BookTable:
    """The book's headline facts as a sheet: one row per figure, period and series, the value
    as a number (with the figure's decimals), its status, the estimate flag and the place."""
    rows = []
    for f in facts:
        value = "" if f.value is None else f"{f.value:.{f.decimals}f}".replace(".", ",")
        rows.append(
            [
                f.label,
                f.period,
                f.series,
                value,
                f.status,
                "ja" if f.estimate else "",
                "" if f.rank is None else str(f.rank),
                "" if f.n is None else str(f.n),
            ]  # fmt: skip
        )
    return BookTable(
        "Innledning",
        "Nøkkeltall: de samme tallene som i boka, sammendraget og oversikten",
        "nokkeltall",
        header=["Nøkkeltall", "Periode", "Serie", "Verdi", "Status", "Anslag", "Plass", "Av"],
        rows=rows,
    )


def _about_rows(
    tables: list[BookTable], synthetic: bool, indicator_ids: Iterable[str] | None
) -> list[list[str]]:
    rows: list[list[str]] = []
    if synthetic:
        rows.append(["SYNTETISKE DATA", SYNTHETIC_WARNING])
    seen: set[tuple[str, str]] = set()
    for t in tables:
        for label, value in t.comments:
            if (label, value) not in seen and label != "SYNTETISKE DATA":
                seen.add((label, value))
                rows.append([label, value])
    rows.append(["Lisens", f"{LICENCE['text']} {LICENCE['url']}"])
    rows.append(["Kreditering", str(LICENCE["attribution"])])
    rows.append(["Symboler", status.LEGEND])
    rows.append(["Anslag", status.ESTIMATE_NOTE])
    rows.append(["Kolonner", STATUS_COLUMNS_TEXT])
    rows.append(
        [
            "Ark",
            "Ett ark per figur eller tabell i boka, med tallene bak den; arket «Innhold» sier "
            "hvilket kapittel og hvilken figur hvert ark hører til.",
        ]
    )
    register = ind.register()
    for key in indicator_ids if indicator_ids is not None else register:
        if key in register:
            spec = register[key]
            rows.append([f"Definisjon: {spec.label}", " ".join(spec.definition.split())])
    return rows


def write_workbook(
    notebooks: Iterable[Path],
    dest: Path,
    *,
    kommune: str,
    name: str,
    synthetic: bool,
    extra: dict[str, Any] | None = None,
    facts: Facts | None = None,
) -> tuple[Path, Path]:
    """Write ``dest/navbok-<kommune>.xlsx`` and ``dest/metadata.json``; return their paths.

    ``notebooks``: the book's executed chapters in reading order; ``extra``: more members of
    the metadata (e.g. the book key the workbook was made from); ``facts``: the book's headline
    facts (:mod:`navbok.report.facts`), the first sheet after «Innhold» when given."""
    tables = book_tables(notebooks)
    if facts:
        tables.insert(0, facts_table(facts))
    names = sheet_names(t.title for t in tables)
    index_rows = [
        [n, t.chapter, t.title, f"{t.slug}.csv"] for n, t in zip(names, tables, strict=True)
    ]
    about = _about_rows(tables, synthetic, None)
    sheets = [
        (INDEX_SHEET, _sheet(["Ark", "Kapittel", "Figur eller tabell", "Fil i boka"], index_rows,
                             [32, 28, 90, 36])),
        *((n, _sheet(t.header, t.rows)) for n, t in zip(names, tables, strict=True)),
        (ABOUT_SHEET, _sheet(["Om dataene", "Innhold"], about, [34, 120])),
    ]  # fmt: skip
    title = f"navbok: alle tabeller i boka om {name}"
    payload = workbook_bytes(sheets, title)
    dest.mkdir(parents=True, exist_ok=True)
    xlsx = dest / f"navbok-{kommune}.xlsx"
    xlsx.write_bytes(payload)
    meta: dict[str, Any] = {
        "title": title,
        "kommune": kommune,
        "name": name,
        "synthetic": synthetic,
    }
    if synthetic:
        meta["warning"] = SYNTHETIC_WARNING
    meta.update(
        {
            "licence": LICENCE,
            "status_symbols": status.LEGEND,
            "estimate": status.ESTIMATE_NOTE,
            "columns": STATUS_COLUMNS_TEXT,
            "sources": [{"label": a, "text": b} for a, b in about if a in ("Kilde", "Hentet")],
            "workbook": {
                "file": xlsx.name,
                "bytes": len(payload),
                "sha256": hashlib.sha256(payload).hexdigest(),
                "sheets": [
                    {
                        "sheet": n,
                        "chapter": t.chapter,
                        "title": t.title,
                        "file": f"{t.slug}.csv",
                        "columns": t.header,
                        "rows": len(t.rows),
                    }
                    for n, t in zip(names, tables, strict=True)
                ],
            },
            **(extra or {}),
        }
    )
    meta_path = dest / METADATA_NAME
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return xlsx, meta_path
