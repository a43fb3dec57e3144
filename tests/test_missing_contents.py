"""What SSB does not publish, the book says: every chapter still builds, with the notice.

Acceptance of «Real sources» item 4: a metadata body with a content removed (here the
months of assistance, which the durations and the growth decomposition need, and the KVP
participants) gives a snapshot without those measures; every book still builds, and where a
figure would have been the page says which figure is missing and why.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from test_cli import without_content

from navbok import snapshot as snap
from navbok.builder import pipeline as build
from navbok.sources.origin import RecordedSource

pytestmark = [
    pytest.mark.slow,
    pytest.mark.replay,
    pytest.mark.skipif(not os.environ.get("NAVBOK_SOURCE"), reason="needs NAVBOK_SOURCE"),
]

REMOVED = [("13138", "Stønadsmåneder"), ("13995", "Stønadsmåneder"),
           ("12210", "Mottakere av kvalifiseringsstønad"),
           ("14019", "Mottakere av kvalifiseringsstønad")]  # fmt: skip


def text(page: Path) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.read_text("utf-8")))


def test_every_chapter_builds_and_says_what_is_missing(tmp_path: Path) -> None:
    # The recording, linked file by file; the changed metadata bodies are copies.
    root = shutil.copytree(os.environ["NAVBOK_SOURCE"], tmp_path / "recording",
                           copy_function=os.symlink)  # fmt: skip
    for table, label in REMOVED:
        meta = root / "ssb" / f"{table}.metadata.json"
        content = meta.read_bytes()
        meta.unlink()
        meta.write_bytes(content)
        without_content(root, table, label)
    # A required measure SSB stopped publishing refuses the swap (one line) unless the user
    # accepts the known gap; then the book says what is missing.
    from navbok.completeness import IncompleteFetch

    with pytest.raises(IncompleteFetch, match="stonadsmaaneder"):
        snap.fetch(RecordedSource(root), tmp_path / "refused", nav_archive=root / "nav" / "arkiv")
    assert not (tmp_path / "refused").exists()
    snapshot = snap.fetch(RecordedSource(root), tmp_path / "snapshot",
                          nav_archive=root / "nav" / "arkiv", accept_gaps=True)  # fmt: skip
    pages = build.main("3201,1151", False, snapshot, tmp_path / "cache", tmp_path / "build")
    assert len(pages) == 3  # two books and the landing page
    chapters = tmp_path / "build" / "3201" / "html" / "chapters"
    from navbok.project import Project

    expected = {Path(rel).stem for rel in Project.find().chapters()}  # the glossary included
    assert {p.stem for p in chapters.glob("*.html")} == expected
    months = "SSB publiserer ikke tall for «Stønadsmåneder» (tabell 13138 og 13995)."
    kvp = "SSB publiserer ikke tall for «Mottakere av kvalifiseringsstønad i løpet av året»"
    long_term = text(chapters / "langtidsmottakere.html")
    # The durations by group: the line for all recipients is left out, and the caption says why.
    assert "vektet med antall mottakere i hver gruppe. " + months in long_term
    assert kvp in text(chapters / "kvp.html")
    growth = text(chapters / "utbetalingsvekst.html")
    assert "Figuren mangler: Vekst i utbetalt sosialhjelp 2015–2019, Bærum" in growth
    assert f"Veksten kan ikke dekomponeres: {months}" in growth
    for page in chapters.glob("*.html"):
        assert "Traceback" not in page.read_text("utf-8"), page.name
