"""Build AAP155 workbooks in NAV's layout, for tests and fixtures (no files from outside).

The layout is that of NAV's table AAP155 «Mottakere av arbeidsavklaringspenger. Kommune.»:
sheets «0. Om tabellene», «1. Kommune. Antall», «2. Kommune. Andel»; column A empty, labels in
column B; «Periode: YYYY 01 - YYYY MM» in B11 of sheet 0 and B3 of each data sheet; from row 7
one block per county (a header row with month names from column C, a rollup row «I alt NN
Fylkenavn», the rows «NNNN Kommunenavn», an empty row); the count sheet ends with a block
«I alt Ukjent» / «Ukjent». Values are native numbers, ``*`` (text) for counts under 4.

Counts are given as the TRUE counts: the writer writes ``*`` for a count under 4 (and for its
share), and writes each county rollup as the true sum of its members, suppressed ones included,
as NAV does. A count given as a string (``"*"``, or anything else to build a broken file) is
written as it is and adds nothing to the rollup. The share sheet has a rollup row per county too
(the mean of the members' visible shares, one decimal: navbok ignores it) and no Ukjent block.

:func:`edit` opens built bytes for changes (to make malformed files) and saves them again.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import openpyxl
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

ABOUT = "0. Om tabellene"
COUNTS = "1. Kommune. Antall"
SHARES = "2. Kommune. Andel"
TITLE = "AAP155 Mottakere av arbeidsavklaringspenger. Kommune."
MONTHS = [
    "Januar",
    "Februar",
    "Mars",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Desember",
]
FIRST_BLOCK_ROW = 7

Municipality = tuple[str, str, list[int | str], list[float | str]]
Counties = dict[str, tuple[str, list[Municipality]]]


def period(year: int, months: list[int]) -> str:
    """The «Periode» text NAV writes for ``months`` of ``year``."""
    return f"Periode: {year} {months[0]:02d} - {year} {months[-1]:02d}"


def _shown(count: int | str) -> int | str:
    return "*" if isinstance(count, int) and count < 4 else count


def _header(ws: Worksheet, row: int, months: list[int]) -> None:
    for i, month in enumerate(months):
        ws.cell(row=row, column=3 + i, value=MONTHS[month - 1])


def _values(ws: Worksheet, row: int, label: str, values: list[int | float | str]) -> None:
    ws.cell(row=row, column=2, value=label)
    for i, value in enumerate(values):
        ws.cell(row=row, column=3 + i, value=value)


def workbook(
    year: int,
    months: list[int],
    counties: Counties,
    unknown: list[int],
    *,
    synthetic: bool = True,
) -> bytes:
    """Bytes of an AAP155 xlsx workbook.

    ``counties`` maps the county number («03») to (county name, municipalities), each
    municipality ``(code, name, counts, shares)`` with one count and one share per month (true
    counts: under 4 is written as ``*``). ``unknown`` holds the Ukjent count per month.
    ``synthetic`` marks the workbook as SYNTETISKE DATA in sheet 0 and the document properties.
    """
    wb = openpyxl.Workbook()
    about = wb.active
    assert about is not None
    about.title = ABOUT
    about["B2"] = TITLE
    if synthetic:
        about["B4"] = "SYNTETISKE DATA: laget for test av navbok. Tallene er ikke NAV-statistikk."
    about["B6"] = (
        "Statistikken omfatter alle som har fått utbetalt arbeidsavklaringspenger i løpet av "
        "måneden, i antall og som andel av befolkningen i alderen 18-66 år."
    )
    about["B7"] = "Verdier i celler hvor tallene er mindre enn 4 er erstattet med «*»."
    about["B11"] = period(year, months)
    about["B12"] = "Kilde: NAV"
    marker = " - SYNTETISKE DATA" if synthetic else ""
    wb.properties.title = f"{TITLE} {year}{marker}"
    wb.properties.subject = "SYNTETISKE DATA - testdata for navbok" if synthetic else TITLE

    counts_ws = wb.create_sheet(COUNTS)
    shares_ws = wb.create_sheet(SHARES)
    counts_ws["B2"] = "Mottakere av arbeidsavklaringspenger. Kommune. Antall"
    shares_ws["B2"] = (
        "Mottakere av arbeidsavklaringspenger. Kommune. Andel av befolkningen 18-66 år (prosent)"
    )
    for ws in (counts_ws, shares_ws):
        ws["B3"] = period(year, months)

    row = FIRST_BLOCK_ROW
    for number, (county, members) in counties.items():
        label = f"I alt {number} {county}"
        for ws in (counts_ws, shares_ws):
            _header(ws, row, months)
        totals = [
            sum(m[2][i] for m in members if isinstance(m[2][i], int)) for i in range(len(months))
        ]
        _values(counts_ws, row + 1, label, totals)
        mean_shares: list[int | float | str] = []
        for i in range(len(months)):
            visible = [
                float(m[3][i])
                for m in members
                if not isinstance(m[3][i], str) and not isinstance(_shown(m[2][i]), str)
            ]
            mean_shares.append(round(sum(visible) / len(visible), 1) if visible else "*")
        _values(shares_ws, row + 1, label, mean_shares)
        for offset, (code, name, member_counts, member_shares) in enumerate(members, start=2):
            shown = [_shown(c) for c in member_counts]
            shares = [
                "*" if isinstance(c, str) else s for c, s in zip(shown, member_shares, strict=True)
            ]
            _values(counts_ws, row + offset, f"{code} {name}", shown)
            _values(shares_ws, row + offset, f"{code} {name}", shares)
        row += len(members) + 3
    _header(counts_ws, row, months)
    _values(counts_ws, row + 1, "I alt Ukjent", [_shown(u) for u in unknown])
    _values(counts_ws, row + 2, "Ukjent", [_shown(u) for u in unknown])

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def edit(content: bytes, change: Callable[[Workbook], None]) -> bytes:
    """``content`` with ``change(workbook)`` applied (to build malformed workbooks)."""
    wb = openpyxl.load_workbook(io.BytesIO(content))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def find_row(ws: Worksheet, label: str) -> int:
    """The row whose column B reads ``label`` (the first one)."""
    for row in range(1, ws.max_row + 1):
        if ws.cell(row=row, column=2).value == label:
            return row
    raise KeyError(label)
