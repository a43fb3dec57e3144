"""The text a reader sees on a built page, for comparing books before and after a change.

``python tests/page_text.py BUILD_DIR`` writes ``tests/golden/pages/<kode>/<page>.txt`` from
``BUILD_DIR/<kode>/html/chapters/*.html`` for the municipalities in :data:`KOMMUNER`: run it on
purpose, on a build made *before* a change that must not alter what the pages say.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

KOMMUNER = ("3201", "1151", "0301")  # Bærum (ASSS), Utsira (the smallest), Oslo (its own group)
GOLDEN = Path(__file__).parent / "golden" / "pages"
_FETCHED = re.compile(
    r"\b(hentet|Hentet|Data hentet) (?:\d{4}-\d{2}-\d{2}|\d{1,2}\. [a-zæøå]+ \d{4})"
)
#: The footer names the snapshot by its checksum («Data: snapshot 1a2b3c4d5e6f, hentet …»).
_SNAPSHOT = re.compile(r"\bsnapshot [0-9a-f]{12}\b")


class _Text(HTMLParser):
    """Collects the text of a page outside ``<script>`` and ``<style>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def page_text(page: Path) -> str:
    """The page's visible text, one line per sentence-ish run, the fetch date masked."""
    parser = _Text()
    parser.feed(page.read_text("utf-8"))
    text = " ".join(parser.parts)
    text = _FETCHED.sub(r"\1 <dato>", text)
    text = _SNAPSHOT.sub("snapshot <sjekksum>", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"(?<=[.:!?]) (?=[A-ZÆØÅ«])", "\n", text) + "\n"


def book_texts(html: Path) -> dict[str, str]:
    """``{page name: text}`` for the chapter pages of one built book."""
    return {p.stem: page_text(p) for p in sorted((html / "chapters").glob("*.html"))}


def main(build_dir: str) -> None:
    """Write the golden page texts from the books in ``build_dir``."""
    for kode in KOMMUNER:
        out = GOLDEN / kode
        out.mkdir(parents=True, exist_ok=True)
        for name, text in book_texts(Path(build_dir) / kode / "html").items():
            (out / f"{name}.txt").write_text(text, "utf-8")
    print(f"wrote {GOLDEN}")


if __name__ == "__main__":
    main(sys.argv[1])
