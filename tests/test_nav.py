"""NAV AAP155: the link on NAV's AAP page, its address, and the workbook reader."""

from __future__ import annotations

import io
import math
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from aap155 import COUNTS, SHARES, edit, workbook
from openpyxl.workbook.workbook import Workbook

from navbok.errors import ParseError
from navbok.sources import nav
from navbok.sources.settings import NAV_URL_VAR

RECORDED_HREF = (
    "/_/attachment/inline/9e465534-18ce-42a4-83b7-6566e13ff8a7:"
    "f06666d27f4c28ec818f32fc705e15df263e8b6c/AAP155%20Mottakere.xlsx"
)

# --- the page and the link ------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><body><main>
<ul>
<li>AAP101 Mottakere av arbeidsavklaringspenger. Fylke.
<a class="aksel-link" href="/_/attachment/inline/aaa:111/AAP101%20Mottakere.xlsx">Excel</a></li>
<li>AAP155 Mottakere av arbeidsavklaringspenger. Kommune.
<a class="aksel-link" href="/_/attachment/inline/bbb:222/AAP155%20Mottakere.pdf">PDF</a>
<a class="aksel-link" href="/_/attachment/inline/ccc:333/AAP155%20Mottakere.xlsx">Excel</a></li>
</ul></main></body></html>"""


def test_link_after_the_pdf_on_a_constructed_page() -> None:
    assert nav.find_workbook_href(PAGE) == "/_/attachment/inline/ccc:333/AAP155%20Mottakere.xlsx"
    assert nav.find_workbook_href(PAGE.encode()) == (
        "/_/attachment/inline/ccc:333/AAP155%20Mottakere.xlsx"
    )


def test_link_repeated_is_one_link() -> None:
    page = PAGE.replace(
        "</ul>", '<a href="/_/attachment/inline/ccc:333/AAP155%20Mottakere.xlsx">x</a></ul>'
    )
    assert nav.find_workbook_href(page).endswith("ccc:333/AAP155%20Mottakere.xlsx")


def test_link_named_only_by_its_text() -> None:
    page = '<p><a href="/files/tabell.xlsx">AAP155 Mottakere (Excel)</a></p>'
    assert nav.find_workbook_href(page) == "/files/tabell.xlsx"


def test_no_link_is_a_parse_error() -> None:
    page = PAGE.replace("AAP155%20Mottakere.xlsx", "AAP155%20Mottakere.pdf")
    with pytest.raises(ParseError, match=r"^NAV AAP page: no link to an AAP155 \.xlsx") as info:
        nav.find_workbook_href(page)
    assert "\n" not in str(info.value)


def test_two_different_links_is_a_parse_error() -> None:
    page = PAGE.replace("</ul>", '<a href="/x/AAP155%20Mottakere%20(2).xlsx">Excel</a></ul>')
    with pytest.raises(ParseError, match=r"^side: 2 different AAP155 \.xlsx links") as info:
        nav.find_workbook_href(page, where="side")
    assert "\n" not in str(info.value)


def test_page_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(NAV_URL_VAR, raising=False)
    assert nav.page_url() == "https://www.nav.no" + nav.AAP_PAGE_PATH
    assert nav.page_url().endswith(
        "/statistikk/aap-nedsatt-arbeidsevne-og-uforetrygd-statistikk/arbeidsavklaringspenger"
    )
    monkeypatch.setenv(NAV_URL_VAR, "http://127.0.0.1:8123/")
    assert nav.page_url() == "http://127.0.0.1:8123" + nav.AAP_PAGE_PATH


def test_workbook_url_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(NAV_URL_VAR, raising=False)
    assert nav.workbook_url(RECORDED_HREF) == "https://www.nav.no" + RECORDED_HREF


def test_workbook_url_relative_and_absolute(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NAV_URL_VAR, "http://127.0.0.1:8123")
    assert nav.workbook_url("/_/a/AAP155%20Mottakere.xlsx") == (
        "http://127.0.0.1:8123/_/a/AAP155%20Mottakere.xlsx"
    )
    assert nav.workbook_url("_/a/b.xlsx") == "http://127.0.0.1:8123/_/a/b.xlsx"
    absolute = "https://www.nav.no/_/attachment/inline/x:y/AAP155%20Mottakere.xlsx"
    assert nav.workbook_url(absolute) == absolute
    assert nav.workbook_url("//cdn.nav.no/a.xlsx") == "http://cdn.nav.no/a.xlsx"


def test_workbook_url_keeps_the_path_of_a_mirror(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NAV_URL_VAR, "http://127.0.0.1:8123/nav/")
    assert nav.workbook_url("/_/a/b.xlsx") == "http://127.0.0.1:8123/nav/_/a/b.xlsx"
    assert nav.page_url() == "http://127.0.0.1:8123/nav" + nav.AAP_PAGE_PATH


def test_recorded_workbook_path() -> None:
    assert nav.recorded_workbook_path(RECORDED_HREF) == (
        "nav/_/attachment/inline/9e465534-18ce-42a4-83b7-6566e13ff8a7:"
        "f06666d27f4c28ec818f32fc705e15df263e8b6c/AAP155 Mottakere.xlsx"
    )
    assert nav.recorded_workbook_path("https://www.nav.no/_/a/b%C3%A6.xlsx") == "nav/_/a/bæ.xlsx"


# --- a constructed workbook -----------------------------------------------------------------

COUNTIES = {
    "03": ("Oslo", [("0301", "Oslo", [100, 110, 120], [2.5, 2.7, 2.9])]),
    "32": (
        "Akershus",
        [
            ("3201", "Bærum", [50, 60, 70], [1.9, 2.0, 2.1]),
            ("3216", "Vestby", [2, 5, 3], [0.1, 0.4, 0.2]),  # January and March under 4: «*»
        ],
    ),
}
UNKNOWN = [7, 8, 9]
# Rows in «1. Kommune. Antall»: 7 header, 8 «I alt 03 Oslo», 9 «0301 Oslo», 10 empty,
# 11 header, 12 «I alt 32 Akershus», 13 «3201 Bærum», 14 «3216 Vestby», 15 empty,
# 16 header, 17 «I alt Ukjent», 18 «Ukjent». The share sheet is the same up to row 14.


@pytest.fixture(scope="module")
def book() -> bytes:
    return workbook(2024, [1, 2, 3], COUNTIES, UNKNOWN)


def test_layout_of_the_writer(book: bytes) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(book))
    assert wb.sheetnames == ["0. Om tabellene", COUNTS, SHARES]
    ws = wb[COUNTS]
    assert ws["B3"].value == "Periode: 2024 01 - 2024 03"
    assert [ws.cell(row=7, column=c).value for c in (1, 2, 3, 4, 5)] == [
        None,
        None,
        "Januar",
        "Februar",
        "Mars",
    ]
    assert [c.value for c in ws[12]][1:5] == ["I alt 32 Akershus", 52, 65, 73]
    assert [c.value for c in ws[14]][1:5] == ["3216 Vestby", "*", 5, "*"]
    assert [c.value for c in wb[SHARES][14]][1:5] == ["3216 Vestby", "*", 0.4, "*"]
    assert [c.value for c in ws[18]][1:5] == ["Ukjent", 7, 8, 9]


def test_frame_exact_values(book: bytes) -> None:
    a = nav.read_aap155(book)
    assert a.year == 2024
    assert a.months == [1, 2, 3]
    assert a.unknown == {1: 7.0, 2: 8.0, 3: 9.0}
    assert a.title == "AAP155 Mottakere av arbeidsavklaringspenger. Kommune."
    assert a.synthetic is True
    f = a.frame
    assert list(f.columns) == ["region", "name", "month", "value", "share", "status"]
    assert f["region"].tolist() == ["0301"] * 3 + ["3201"] * 3 + ["3216"] * 3 + ["EAK"] * 3
    assert f["name"].tolist() == ["Oslo"] * 3 + ["Bærum"] * 3 + ["Vestby"] * 3 + ["Landet"] * 3
    assert f["month"].tolist() == [1, 2, 3] * 4
    assert str(f["month"].dtype) == "int64"
    values = f["value"].tolist()
    nan = math.nan
    expected = [100, 110, 120, 50, 60, 70, nan, 5, nan, 159, 183, 202]
    assert all(
        (math.isnan(v) and math.isnan(e)) or v == e for v, e in zip(values, expected, strict=True)
    )
    shares = f["share"].tolist()
    expected = [2.5, 2.7, 2.9, 1.9, 2.0, 2.1, nan, 0.4, nan, nan, nan, nan]
    assert all(
        (math.isnan(v) and math.isnan(e)) or v == e for v, e in zip(shares, expected, strict=True)
    )
    assert f["status"].tolist() == [None] * 6 + [":", None, ":"] + [None] * 3


def test_landet_is_the_rollups_plus_ukjent(book: bytes) -> None:
    f = nav.read_aap155(book).frame
    landet = f[f["region"] == "EAK"].set_index("month")["value"]
    rollups = {1: 100 + 52, 2: 110 + 65, 3: 120 + 73}  # Vestby's suppressed 2 and 3 included
    assert landet.to_dict() == {m: float(rollups[m] + UNKNOWN[m - 1]) for m in (1, 2, 3)}
    visible = f[f["region"] != "EAK"].groupby("month")["value"].sum()
    assert (landet - visible).to_dict() == {1: 9.0, 2: 8.0, 3: 12.0}


def test_landet_falls_back_to_visible_municipalities_when_a_rollup_is_hidden(book: bytes) -> None:
    def hide(wb: Workbook) -> None:
        wb[COUNTS]["C12"] = "*"  # «I alt 32 Akershus», January
        wb[COUNTS]["D12"] = None  # February

    f = nav.read_aap155(edit(book, hide)).frame
    landet = f[f["region"] == "EAK"].set_index("month")["value"].to_dict()
    assert landet == {1: 100 + 50 + 7.0, 2: 110 + 65 + 8.0, 3: 120 + 73 + 9.0}


def test_not_synthetic() -> None:
    a = nav.read_aap155(
        workbook(2024, [1], {"03": ("Oslo", [("0301", "Oslo", [9], [1.0])])}, [1], synthetic=False)
    )
    assert a.synthetic is False
    assert math.isnan(a.unknown[1])  # 1 is shown as «*»
    assert a.frame["value"].tolist() == [9.0, 9.0]  # Landet: Ukjent «*» adds nothing


def test_synthetic_only_in_the_properties() -> None:
    def unmark(wb: Workbook) -> None:
        wb["0. Om tabellene"]["B4"] = None

    a = nav.read_aap155(edit(workbook(2024, [1, 2, 3], COUNTIES, UNKNOWN), unmark))
    assert a.synthetic is True


def test_a_full_year() -> None:
    months = list(range(1, 13))
    counties = {"03": ("Oslo", [("0301", "Oslo", list(range(100, 112)), [2.0] * 12)])}
    a = nav.read_aap155(workbook(2019, months, counties, [5] * 12))
    assert a.year == 2019
    assert a.months == months
    assert len(a.frame) == 24


# --- malformed workbooks --------------------------------------------------------------------


def _set(sheet: str, **cells: object) -> Callable[[Workbook], None]:
    def change(wb: Workbook) -> None:
        for ref, value in cells.items():
            wb[sheet][ref] = value

    return change


def _delete_sheet(wb: Workbook) -> None:
    del wb[SHARES]


def _delete_ukjent(wb: Workbook) -> None:
    wb[COUNTS].delete_rows(16, 3)


def _clear_header(wb: Workbook) -> None:
    for ref in ("C7", "D7", "E7"):
        wb[COUNTS][ref] = None


BROKEN: list[tuple[str, Callable[[Workbook], None], list[str]]] = [
    ("missing sheet", _delete_sheet, ["no sheet «2. Kommune. Andel»"]),
    ("no periode", _set(COUNTS, B3=None), [f"sheet «{COUNTS}»:", "no cell «Periode"]),
    ("header missing", _clear_header, [f"sheet «{COUNTS}» row 8:", "before any month header"]),
    ("unknown month", _set(COUNTS, D11="Febr"), [f"sheet «{COUNTS}» row 11:", "'Febr'"]),
    ("months not the periode", _set(COUNTS, E7=None), [f"sheet «{COUNTS}» row 7:", "Periode"]),
    (
        "municipality before header",
        _set(COUNTS, B5="0999 Testby", C5=1),
        [f"sheet «{COUNTS}» row 5:", "«0999 Testby» before any month header"],
    ),
    ("text", _set(COUNTS, D13="12a"), [f"sheet «{COUNTS}» row 13:", "'12a'", "column D"]),
    ("text share", _set(SHARES, C9="n/a"), [f"sheet «{SHARES}» row 9:", "'n/a'"]),
    ("negative", _set(COUNTS, C13=-5), [f"sheet «{COUNTS}» row 13:", "negative"]),
    (
        "duplicate code",
        _set(COUNTS, B14="3201 Vestby"),
        [f"sheet «{COUNTS}» row 14:", "3201 appears twice (also row 13)"],
    ),
    (
        "duplicate code in shares",
        _set(SHARES, B14="0301 Vestby"),
        [f"sheet «{SHARES}» row 14:", "0301 appears twice"],
    ),
    (
        "periode differs",
        _set(SHARES, B3="Periode: 2023 01 - 2023 03"),
        [f"sheet «{SHARES}» row 3:", "2023 01 - 2023 03 differs", f"sheet «{COUNTS}» row 3"],
    ),
    (
        "periode differs in sheet 0",
        _set("0. Om tabellene", B11="Periode: 2025 01 - 2025 03"),
        ["sheet «0. Om tabellene» row 11:", "differs"],
    ),
    (
        "rollup too small",
        _set(COUNTS, C12=40),
        [f"sheet «{COUNTS}» row 12:", "add up to 50 in Januar", "more than the rollup 40"],
    ),
    ("value outside the months", _set(COUNTS, F9=5), [f"sheet «{COUNTS}» row 9:", "column F"]),
    ("no ukjent", _delete_ukjent, [f"sheet «{COUNTS}»:", "no «Ukjent» block"]),
    (
        "unknown label with numbers",
        _set(COUNTS, B9="Oslo"),
        [f"sheet «{COUNTS}» row 9:", "unrecognised row label"],
    ),
]


@pytest.mark.parametrize(
    ("change", "fragments"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN]
)
def test_malformed_workbook(
    book: bytes, change: Callable[[Workbook], None], fragments: list[str]
) -> None:
    with pytest.raises(ParseError) as info:
        nav.read_aap155(edit(book, change), where="AAP155 test")
    message = str(info.value)
    assert message.startswith("AAP155 test: ")
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message


def _zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    return out.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html><html><body>Siden finnes ikke</body></html>",
        b"",
        _zip_without_workbook(),
    ],
    ids=["html", "empty", "zip"],
)
def test_not_an_xlsx(content: bytes) -> None:
    with pytest.raises(ParseError, match=r"^AAP155 x: .*(not an xlsx|cannot be)") as info:
        nav.read_aap155(content, where="AAP155 x")
    assert "\n" not in str(info.value)


def test_truncated_workbook(book: bytes) -> None:
    for cut in (len(book) // 2, len(book) - 100):
        with pytest.raises(ParseError) as info:
            nav.read_aap155(book[:cut], where="AAP155 cut")
        assert str(info.value).startswith("AAP155 cut: ")
        assert "\n" not in str(info.value)


# --- the recorded files ($NAVBOK_SOURCE) ----------------------------------------------------

SOURCE = os.environ.get("NAVBOK_SOURCE")
replay = pytest.mark.skipif(not SOURCE, reason="NAVBOK_SOURCE is not set")


def _source() -> Path:
    return Path(os.environ["NAVBOK_SOURCE"])


def _rollups_plus_ukjent(path: Path, month: int) -> float:
    """Landet computed straight from the workbook: every «I alt …» row, Ukjent included."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    total = 0.0
    for row in wb[COUNTS].iter_rows(values_only=True):
        if isinstance(row[1], str) and row[1].startswith("I alt"):
            total += row[1 + month]
    wb.close()
    return total


@replay
def test_recorded_page_and_current_workbook() -> None:
    html = (_source() / "nav" / "aap-statistikk.html").read_bytes()
    href = nav.find_workbook_href(html)
    assert href == RECORDED_HREF
    path = _source() / nav.recorded_workbook_path(href)
    a = nav.read_aap155(path.read_bytes(), where=str(path))
    assert a.year == 2025
    assert a.months == list(range(1, 11))
    assert a.synthetic is True
    assert a.title == "AAP155 Mottakere av arbeidsavklaringspenger. Kommune."
    assert a.frame.groupby("month").size().tolist() == [358] * 10  # 357 municipalities + EAK
    assert "3201" in set(a.frame["region"])


@replay
def test_recorded_2021() -> None:
    path = _source() / "nav" / "arkiv" / "AAP155-2021.xlsx"
    a = nav.read_aap155(path.read_bytes(), where=path.name)
    f = a.frame
    assert a.year == 2021
    assert a.months == list(range(1, 13))
    assert f.groupby("month").size().tolist() == [357] * 12  # 356 municipalities + EAK
    baerum = f[(f["region"] == "3024") & (f["month"] == 2)].iloc[0]
    assert baerum["name"] == "Bærum"
    assert baerum["share"] == pytest.approx(1.9)
    assert baerum["value"] == 1503
    asker = f[(f["region"] == "3025") & (f["month"] == 2)].iloc[0]
    assert asker["share"] == pytest.approx(3.3)
    suppressed = f[f["status"] == ":"]
    assert len(suppressed) == 20
    assert suppressed["value"].isna().all() and suppressed["share"].isna().all()
    assert a.unknown[2] == 1162
    landet = f[(f["region"] == "EAK") & (f["month"] == 2)]["value"].iloc[0]
    assert landet == _rollups_plus_ukjent(path, 2)  # «I alt Ukjent» is Ukjent
    visible = f[(f["region"] != "EAK") & (f["month"] == 2)]["value"].sum()
    assert visible + a.unknown[2] <= landet <= visible + a.unknown[2] + 3 * len(suppressed)


@replay
@pytest.mark.parametrize("year", range(2015, 2025))
def test_recorded_archive(year: int) -> None:
    path = _source() / "nav" / "arkiv" / f"AAP155-{year}.xlsx"
    a = nav.read_aap155(path.read_bytes(), where=path.name)
    assert a.year == year
    assert a.months == list(range(1, 13))
    assert a.synthetic is True
    municipalities = a.frame[a.frame["region"] != "EAK"]
    assert municipalities["region"].str.fullmatch(r"\d{4}").all()
    assert set(a.unknown) == set(a.months)
    baerum = "0219" if year < 2020 else ("3024" if year < 2024 else "3201")
    assert baerum in set(municipalities["region"])


def test_corrupt_sheet_inside_a_valid_zip(book: bytes) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(book)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = data[: len(data) // 2]  # cut in the middle of the count sheet's XML
            dst.writestr(item, data)
    with pytest.raises(ParseError, match=r"^AAP155 z: ") as info:
        nav.read_aap155(out.getvalue(), where="AAP155 z")
    assert "\n" not in str(info.value)
