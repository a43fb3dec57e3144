"""What the pages say, word for word, for three municipalities (the golden page texts).

A refactoring must not change a page's text or numbers: the books of Bærum, Utsira and Oslo are
built from the full recording and their visible text compared with ``tests/golden/pages``, written
from a build made before the change (``python tests/page_text.py BUILD_DIR``). A change that is
meant to alter the text regenerates them on purpose.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
from conftest import RECORDED_CALLS, RecordedBooks
from page_text import GOLDEN, KOMMUNER, book_texts

pytestmark = pytest.mark.skipif(
    not os.environ.get("NAVBOK_SOURCE"), reason="needs NAVBOK_SOURCE (the full recording)"
)


@pytest.fixture(scope="module")
def built(recorded_books: RecordedBooks) -> Path:
    """The three books built from $NAVBOK_SOURCE (once per session); the build folder."""
    assert set(KOMMUNER) <= {k for call in RECORDED_CALLS for k in call.split(",")}
    return recorded_books.build


@pytest.mark.parametrize("kode", KOMMUNER)
def test_pages_say_what_they_said(built: Path, kode: str) -> None:
    golden = {p.stem: p.read_text("utf-8") for p in sorted((GOLDEN / kode).glob("*.txt"))}
    texts = book_texts(built / kode / "html")
    assert sorted(texts) == sorted(golden)
    for name, text in texts.items():
        if text != golden[name]:
            diff = difflib.unified_diff(
                golden[name].splitlines(), text.splitlines(), "before", "after", lineterm="", n=1
            )
            pytest.fail(f"{kode}/{name} changed:\n" + "\n".join(list(diff)[:40]))


def test_the_comparison_sees_a_changed_number(tmp_path: Path) -> None:
    """The page text keeps numbers and masks only the fetch date."""
    from page_text import page_text

    page = tmp_path / "p.html"
    page.write_text("<p>Andelen var 4,1 % (hentet 2026-11-28).</p><script>x=1</script>")
    assert page_text(page) == "Andelen var 4,1 % (hentet <dato>).\n"
    page.write_text("<p>Andelen var 4,2 % (hentet 2026-11-29).</p>")
    assert page_text(page) == "Andelen var 4,2 % (hentet <dato>).\n"
    page.write_text("<p>Data hentet 6. desember 2026.</p>")
    assert page_text(page) == "Data hentet <dato>.\n"
