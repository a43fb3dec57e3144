"""The book's shared texts (``chapters/_tekster``: the source box's words) are the book's text
too: a chapter's build key covers them, and the package reads them from the project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_chapters_text import _key

from navbok.builder.keys import SHARED_TEXTS, shared_texts_key
from navbok.project import Project
from navbok.report.source_box import population_label

ROOT = Project.find().root


def test_a_word_of_the_source_box_builds_the_chapters_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = tmp_path / "book"
    shutil.copytree(ROOT / "chapters", book / "chapters")
    for name in ("_toc.yml", "_config.yml"):
        shutil.copy(ROOT / name, book / name)
    monkeypatch.setenv("NAVBOK_BOOK_ROOT", str(book))
    rel = "chapters/kvp.md"
    before = _key(book, rel, tmp_path)
    assert shared_texts_key(book) == shared_texts_key(ROOT)
    texts = book / SHARED_TEXTS / "kildeboks.txt"
    text = texts.read_text("utf-8")
    texts.write_text(text.replace("Personer 18–66 år", "Innbyggere 18–66 år"), "utf-8")
    assert _key(book, rel, tmp_path) != before
    assert population_label().startswith("Innbyggere 18–66 år")  # read from the project
    texts.write_text(text, "utf-8")
    assert _key(book, rel, tmp_path) == before
