"""Acceptance of «Right numbers»: headline figures recomputed from the raw snapshot with plain
pandas (tools/recompute.py, no navbok code) equal the figures on the built pages.

Builds the books of Bærum, Larvik, Oslo and Utsira (a small municipality full of suppressed
cells) from the recording ($NAVBOK_SOURCE) and runs the script on them.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path

import pytest
from conftest import RecordedBooks

from navbok.builder import pipeline as build

pytestmark = [
    pytest.mark.replay,
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get("NAVBOK_SOURCE"), reason="needs NAVBOK_SOURCE"),
]

ROOT = Path(__file__).resolve().parents[1]
KOMMUNER = "3201,3909,0301,1151"


def load_script():
    spec = importlib.util.spec_from_file_location("recompute", ROOT / "tools" / "recompute.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["recompute"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _books(recorded_books: RecordedBooks, tmp_path: Path) -> Path:
    """A build folder with the session's books (linked, read-only) and Larvik built here."""
    snapshot = recorded_books.snapshot
    build.main("3909", False, snapshot, snapshot.parent / "cache", tmp_path / "larvik")
    books = tmp_path / "books"
    books.mkdir()
    for kode in KOMMUNER.split(","):
        home = tmp_path / "larvik" if kode == "3909" else recorded_books.build
        (books / kode).symlink_to(home / kode, target_is_directory=True)
    return books


def test_recomputed_headline_figures_equal_the_pages(
    recorded_books: RecordedBooks,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    books = _books(recorded_books, tmp_path)
    script = load_script()
    code = script.main(["--snapshot", str(recorded_books.snapshot), "--build", str(books),
                        "--kommuner", KOMMUNER])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, out
    assert "48 tall sjekket, 0 avvik." in out


def test_the_script_finds_a_wrong_page(recorded_books: RecordedBooks, tmp_path: Path) -> None:
    """The comparison can fail: a page whose download says another number is caught."""
    script = load_script()
    snapshot = recorded_books.snapshot
    shutil.copytree(recorded_books.html("3201"), tmp_path / "3201" / "html")  # changed below
    page = tmp_path / "3201" / "html" / "chapters" / "aap.html"
    text = page.read_text("utf-8")
    frames = script.downloads(tmp_path, "3201")
    assert "aap/aap-andel" in frames
    # Replace the AAP download with one that is off by 10 %.
    import base64
    import re

    def tamper(match: re.Match[str]) -> str:
        data, name = match.group(1), match.group(2)
        if name != "aap-andel.csv":
            return match.group(0)
        csv = base64.b64decode(data).decode("utf-8-sig").splitlines()
        head, rows = csv[0], csv[1:]
        rows = [";".join([r.split(";")[0]] + ["1,0" for _ in r.split(";")[1:]]) for r in rows]
        new = base64.b64encode(("\ufeff" + "\n".join([head, *rows])).encode()).decode()
        return match.group(0).replace(data, new)

    page.write_text(script.CSV_LINK.sub(tamper, text), "utf-8")
    assert script.main(["--snapshot", str(snapshot), "--build", str(tmp_path),
                        "--kommuner", "3201"]) == 1  # fmt: skip
