"""«Hva er nytt»: what changed since the previous edition (navbok.site.publish.news), on known
numbers, and in a published folder (the overview and each book's first page)."""

from __future__ import annotations

import pandas as pd
import pytest
from test_site_publish import NAMES, _fake_build

from navbok.site.publish import publish
from navbok.site.publish.news import (
    EDITION_NAME,
    PARQUET_NAME,
    Edition,
    book_section,
    compare,
    overview_section,
)

OLD = Edition("2026-11-05", "2026-11-04", {"12210": "2025-03-15T07:00:00Z", "07459": "a"},
              ["2025-09"])  # fmt: skip
NEW = Edition("2026-12-06", "2026-12-05", {"12210": "2025-06-12T06:00:00Z", "07459": "a"},
              ["2025-09", "2025-10"])  # fmt: skip
AAP_NAME = "Andel som mottar AAP (siste måned), {}"


def _frame(andel_2024: float, aap: tuple[float, str], *, oslo: float = 4.0) -> pd.DataFrame:
    rows = [
        ("andel_18_66", "Sosialhjelp", "3201", 2023, 1.5, ""),
        ("andel_18_66", "Sosialhjelp", "3201", 2024, andel_2024, ""),
        ("aap_andel_siste", AAP_NAME.format(aap[1]), "3201", 2025, aap[0], ""),
        ("andel_18_66", "Sosialhjelp", "0301", 2024, oslo, ""),
        ("stonadslengde", "Stønadslengde", "0301", 2024, None, ":"),
        ("mottakere", "Mottakere", "3201", 2024, 10.0, ""),  # not a key figure
    ]
    cols = ["indicator", "indicator_name", "kommune", "year", "value", "status"]
    return pd.DataFrame(rows, columns=cols)


def test_first_edition_says_so() -> None:
    news = compare(NEW, _frame(2.0, (2.1, "oktober 2025")), None, None)
    for section in (book_section(news, "3201"), overview_section(news)):
        assert "Dette er den første utgaven (publisert 6. desember 2026)" in section
        assert "<li>" not in section


def test_tables_months_and_moved_figures() -> None:
    old = _frame(1.96, (2.16, "september 2025"))
    new = _frame(2.456, (2.18, "oktober 2025"))
    news = compare(NEW, new, OLD, old)
    assert news.tables == [("12210", "2025-03-15T07:00:00Z", "2025-06-12T06:00:00Z")]
    assert news.aap_months == ["2025-10"]
    assert [m.text() for m in news.figures["3201"]] == [  # in the order of KEY_FIGURES
        "Sosialhjelp 18–66 (%), 2024: 1,96 → 2,46",
        "AAP (%): 2,16 (september 2025) → 2,18 (oktober 2025)",
    ]
    assert "0301" not in news.figures  # Oslo's did not move (its hidden value stays hidden)
    book = book_section(news, "3201")
    assert "<li>SSB-tabell 12210 er oppdatert 12. juni 2025 (før: 15. mars 2025).</li>" in book
    assert "<li>Nye AAP-måneder fra NAV: oktober 2025.</li>" in book
    assert "<li>Sosialhjelp 18–66 (%), 2024: 1,96 → 2,46</li>" in book
    assert "endringer siden forrige utgave (5. november 2026)" in book
    oslo = book_section(news, "0301")
    assert "<li>Ingen av kommunens nøkkeltall er endret.</li>" in oslo
    assert "2 nøkkeltall i 1 kommune er endret" in overview_section(news)


def test_a_value_within_rounding_has_not_moved() -> None:
    news = compare(NEW, _frame(2.001, (2.1, "oktober 2025")), NEW,
                   _frame(1.999, (2.1, "oktober 2025")))  # fmt: skip
    assert news.figures == {} and news.tables == [] and news.aap_months == []
    assert "Ingen tall i denne boka er endret." in book_section(news, "3201")


def test_each_municipality_has_its_own_moves() -> None:
    news = compare(NEW, _frame(2.0, (2.1, "x"), oslo=4.0), OLD,
                   _frame(2.0, (2.1, "x"), oslo=3.0))  # fmt: skip
    assert [m.text() for m in news.figures["0301"]] == ["Sosialhjelp 18–66 (%), 2024: 3,00 → 4,00"]


@pytest.mark.parametrize("first", [True, False])
def test_published_editions(tmp_path, first: bool) -> None:
    build = _fake_build(tmp_path)
    _frame(2.0, (2.1, "oktober 2025")).to_parquet(build / "site" / "data" / PARQUET_NAME)
    out = tmp_path / "site"
    if not first:
        publish(build, out, NAMES, edition=OLD)
        _frame(1.5, (2.1, "oktober 2025")).to_parquet(build / "site" / "data" / PARQUET_NAME)
    publish(build, out, NAMES, edition=NEW)
    assert Edition.read(out / "data" / EDITION_NAME) == NEW
    page = (out / "0001-baerum" / "chapters" / "aap.html").read_text("utf-8")  # the book's start
    overview = (out / "index.html").read_text("utf-8")
    for text in (page, overview):
        assert '<h2 id="hva-er-nytt">Hva er nytt</h2>' in text
        assert ("Dette er den første utgaven" in text) is first
    assert page.index("Hva er nytt") > page.index("<body")
    if not first:
        assert "SSB-tabell 12210 er oppdatert 12. juni 2025" in page
        assert "Nye AAP-måneder fra NAV: oktober 2025." in overview


def test_the_national_files_norwegian_headers_are_read() -> None:
    """The national Parquet carries Norwegian headers (kommunenr, verdi …); «Hva er nytt»
    reads it as identifiers, an older edition's English headers too."""
    import pandas as pd

    from navbok.site.publish.news import frame_of

    new = pd.DataFrame(columns=["indikator", "indikatornavn", "kommunenr", "år", "verdi", "status"])
    assert list(frame_of(new).columns) == [
        "indicator", "indicator_name", "kommune", "year", "value", "status"
    ]  # fmt: skip
    old = pd.DataFrame(columns=["indicator", "kommune", "value"])
    assert list(frame_of(old).columns) == ["indicator", "kommune", "value"]
