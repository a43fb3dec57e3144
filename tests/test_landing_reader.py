"""The overview as a reader sees it (issue 22; review findings 19, 31, 40 and deliverable 7):
the Norwegian name beside a Sami one, Landet as the reference row, a key to the bare
KOSTRA-gruppe number, which ASSS set a book averages, no line break inside a number."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from navbok.key_figures import KEY_FIGURES
from navbok.site import landing
from navbok.site.overview import BAROMETER, Overview


def _overview() -> Overview:
    codes, names = ["3201", "4601", "5610"], ["Bærum", "Bergen", "Kárášjohka"]
    frame = pd.DataFrame(
        {"kommune": codes, "name": names, "county": ["32", "46", "56"],
         "county_name": ["Akershus", "Vestland", "Finnmark"],
         "kostra": ["KOSTRA-gruppe 12", "KOSTRA-gruppe 12", "KOSTRA-gruppe 2"]}
    )  # fmt: skip
    for key in KEY_FIGURES:
        frame[key.id] = [1.5, 2.5, 3.5]
        frame[f"{key.id}_status"] = ["", "", ""]
    frame[f"{BAROMETER}_rank"] = pd.array([3, 1, 2], dtype="Int64")
    frame[f"{BAROMETER}_n"] = [300, 300, 300]
    landet = {"andel_18_66": (3.456, ""), "utbetalt_per_innb_18_66": (2275.4, "")}
    return Overview(frame, {k.id: 2024 for k in KEY_FIGURES}, landet=landet)


def _page(tmp_path: Path) -> str:
    books = {
        "3201": landing.Book("3201", "../3201/html/index.html", asss_variant="med_asker"),
        "4601": landing.Book("4601", "../4601/html/index.html"),
        "5610": landing.Book("5610", "../5610/html/index.html"),
    }
    full = {"3201": "Bærum", "4601": "Bergen", "5610": "Kárášjohka - Karasjok"}
    return landing.landing_page(_overview(), books, tmp_path, full_names=full).read_text("utf-8")


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


def test_the_norwegian_name_stands_beside_the_sami_name(tmp_path: Path) -> None:
    page = _page(tmp_path)
    row = re.search(r'<tr data-search="5610[^"]*">(.*?)</tr>', page, re.S)
    assert row and "Kárášjohka" in row[1] and "Karasjok" in _text(row[1])
    # Bærum has one name: nothing is added.
    row = re.search(r'<tr data-search="3201[^"]*">(.*?)</tr>', page, re.S)
    assert row and "andre-navn" not in row[1]


def test_landet_is_the_reference_row_of_every_key_figure(tmp_path: Path) -> None:
    page = _page(tmp_path)
    table = page.split('<table id="kommuner">', 1)[1].split("</table>", 1)[0]
    head = table.split("<tbody>", 1)[0]
    landet = re.search(r'<tr class="landet">(.*?)</tr>', head, re.S)
    assert landet, "no Landet row above the municipalities"
    cells = re.findall(r'<td class="num"[^>]*>([^<]*)</td>', landet[1])
    assert len(cells) == len(KEY_FIGURES)
    by_id = dict(zip([k.id for k in KEY_FIGURES], cells, strict=True))
    assert by_id["andel_18_66"] == "3,46"
    assert by_id["utbetalt_per_innb_18_66"] == "2\u00a0275"
    assert by_id["kvp_per_1000"] == ".."  # not in the data: the symbol, never a blank
    assert by_id[BAROMETER] == "."  # the barometer ranks municipalities: no national score
    # Landet is not a municipality: not searched, not sorted with them.
    assert landing.overview_rows(page) == ["4601", "3201", "5610"]


def test_the_kostra_group_number_has_a_key_and_the_caption_is_outside_the_scroller(
    tmp_path: Path,
) -> None:
    page = _page(tmp_path)
    before = page.split('<div class="tabell-wrap" tabindex="0" role="region" '
                        'aria-labelledby="tabell-tittel">', 1)[0]  # fmt: skip
    caption = _text(before.rsplit('id="tabell-tittel"', 1)[1])
    assert "tall for 2024" in caption  # not cut off at the edge of a scrolling table
    assert "KOSTRA-gruppe: nummeret på SSBs gruppe" in caption
    # On a phone, number and county give way to the key figures (the table keeps them).
    # (in the header, the Landet row and each municipality's row, so the columns stay aligned)
    assert page.count('data-smal="skjul"') == 2 * (1 + 1 + 3)


def test_a_book_with_another_asss_set_is_named_with_the_difference(tmp_path: Path) -> None:
    page = _page(tmp_path)
    note = re.search(r'<p class="asss">(.*?)</p>', page, re.S)
    assert note, "the overview does not say which ASSS set the books average"
    text = _text(note[1])
    assert "i 2024 de 12 medlemmene" in text
    assert "boka for Bærum bruker 11 kommuner (uten 3205)" in text
    # Every book on the default set: nothing to say.
    books = {"4601": landing.Book("4601", "../4601/html/index.html")}
    plain = landing.landing_page(_overview(), books, tmp_path / "b").read_text("utf-8")
    assert 'class="asss"' not in plain


def test_the_site_says_boka_never_boken() -> None:
    """One form of «book» in every fixed text of the site (finding 40: «Denne boken …» next
    to «Der boka sier …» on one page): the package's texts, catalogues and chapters."""
    root = Path(__file__).resolve().parent.parent
    files = [p for p in (root / "src" / "navbok").rglob("*")
             if p.suffix in {".py", ".po", ".yaml", ".md", ".css", ".js", ".html"}]  # fmt: skip
    files += sorted((root / "chapters").glob("*.md"))
    pattern = re.compile(r"\b(?:[Bb]oken|[Bb]okens|notatboken)\b")
    found = [f"{p.relative_to(root)}:{n}" for p in files
             for n, line in enumerate(p.read_text("utf-8").splitlines(), 1)
             if pattern.search(line)]  # fmt: skip
    assert found == []
