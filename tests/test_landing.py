"""The national overview without the recording: the key-figure table, its sorting keys,
Norwegian formatting and status symbols (``mini_data``), the workbook writer and the maps'
lazy drawing."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import pandas as pd

from navbok.key_figures import KEY_FIGURES
from navbok.present import maps
from navbok.present.exports import Provenance
from navbok.site import landing, workbook
from navbok.site.overview import BAROMETER, overview
from navbok.status import NOT_AVAILABLE, SUPPRESSED


def test_overview_has_every_municipality_and_never_a_blank(mini_data) -> None:
    view = overview(mini_data)
    frame = view.frame
    assert list(frame["kommune"]) == sorted(mini_data.register.target_codes)
    for key in KEY_FIGURES:
        values, statuses = frame[key.id], frame[f"{key.id}_status"]
        # a number stands alone; a missing one always has a symbol
        assert (values.notna() == (statuses == "")).all(), key.id
    assert set(view.years) >= {"andel_18_66", "stonadslengde"}


def test_landing_rows_sort_keys_and_symbols(mini_data, tmp_path: Path) -> None:
    view = overview(mini_data)
    frame = view.frame.copy()
    codes = list(frame["kommune"])
    # one suppressed and one missing cell, whatever the mini data hold
    frame.loc[0, "andel_18_66"], frame.loc[0, "andel_18_66_status"] = math.nan, SUPPRESSED
    frame.loc[1, "aap_andel_siste"], frame.loc[1, "aap_andel_siste_status"] = (
        math.nan,
        NOT_AVAILABLE,
    )
    frame.loc[2, "stonadslengde"], frame.loc[2, "stonadslengde_status"] = 1234.56, ""
    view.frame = frame
    books = {c: landing.Book(c, f"../{c}/html/index.html", f"../{c}/html/sammendrag.html")
             for c in codes[:3]}  # fmt: skip
    page = landing.landing_page(view, books, tmp_path).read_text("utf-8")
    assert landing.overview_rows(page) == sorted(
        codes[:3], key=lambda c: (view.frame.set_index("kommune").loc[c, "name"], c)
    )
    table = page.split('<table id="kommuner">', 1)[1].split("</table>", 1)[0]
    # status symbols, never blanks; empty sort key (missing sorts last)
    assert '<td class="num" data-v="" title="Skjult av personvernhensyn">:</td>' in table
    assert '<td class="num" data-v="" title="Tall mangler">..</td>' in table
    # Norwegian notation: decimal comma, no-break space between thousands
    assert ">1\u00a0234,6</td>" in table and 'data-v="1234.56"' in table
    # sort buttons in every header, the first one sorted
    assert table.count('<button type="button" data-col=') == 4 + len(KEY_FIGURES)
    assert table.count("aria-sort=") == 1
    for code in codes[:3]:
        assert f'href="../{code}/html/index.html"' in table
    assert '<html lang="nb">' in page and 'href="#innhold"' in page and "<h1>" in page
    # not every municipality has a book: the maps' table alternative lists them all
    assert 'id="kart-tabell"' in page
    assert page.count('window.navbokKart["') == sum(k.id in view.years for k in KEY_FIGURES)


def test_cell_text_and_sizes() -> None:
    assert landing.cell_text(2.456, "", 2) == "2,46"
    assert landing.cell_text(math.nan, ":", 2) == ":"
    assert landing.cell_text(math.nan, "", 2) == ".."
    assert landing.size_text(16_210_455) == "16,2\u00a0MB"
    assert landing.size_text(21_265) == "21\u00a0kB"


def test_barometer_column_is_missing_when_unranked(mini_data) -> None:
    frame = overview(mini_data).frame
    unranked = frame[f"{BAROMETER}_rank"].isna()
    assert (frame.loc[unranked, f"{BAROMETER}_status"] == NOT_AVAILABLE).all()


def test_sheet_names_are_short_unique_and_clean() -> None:
    titles = ["Andel sosialhjelpsmottakere 18–66 år av innbyggerne"] * 3 + ["A/B: [x]?", "Innhold"]
    names = workbook.sheet_names(titles)
    assert len(set(n.casefold() for n in names)) == len(names)
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in names)
    assert names[1] == "02 Andel sosialhjelpsmottakere"  # numbered, cut after a whole word
    assert names[4] == "05 Innhold" and "(2)" not in " ".join(names)


def test_workbook_opens_with_numbers_and_text(tmp_path: Path) -> None:
    sheet = workbook._sheet(
        ["Kommune", "Nr.", "2024"], [["Bærum", "0301", "2,46"], ["A & B", "1", ""]]
    )
    payload = workbook.workbook_bytes([("Tall", sheet)], "prøve")
    frame = pd.read_excel(io.BytesIO(payload), sheet_name="Tall", dtype={"Nr.": str})
    assert list(frame.columns) == ["Kommune", "Nr.", "2024"]
    assert frame.loc[0, "Nr."] == "0301" and frame.loc[0, "2024"] == 2.46
    assert frame.loc[1, "Kommune"] == "A & B" and pd.isna(frame.loc[1, "2024"])


def test_lazy_embed_registers_instead_of_drawing() -> None:
    spec = maps.choropleth(maps.GEOMETRY_GLOBAL, [], title="t", description="d", classes=None)
    js = maps.embed_script(spec, "kart-x", register="navbokKart")
    assert js.startswith("window.navbokKart = window.navbokKart || {};")
    assert 'window.navbokKart["kart-x"] = (function () {' in js and not js.endswith("();")


def test_provenance_row_in_page(mini_data, tmp_path: Path) -> None:
    view = overview(mini_data)
    prov = Provenance.of(mini_data.snapshot)
    page = landing.landing_page(view, {}, tmp_path, provenance=prov).read_text("utf-8")
    assert "Data hentet" in page and landing.overview_rows(page) == []
