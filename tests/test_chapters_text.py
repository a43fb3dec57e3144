"""Chapters are text: MyST Markdown notebooks (chapters/*.md), turned into notebooks to run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from navbok.build import pipeline as build
from navbok.build import staging

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.md"))


def test_the_chapters_are_the_tables_of_contents_text_files_and_nothing_else() -> None:
    assert [ROOT / rel for rel in build.chapters()] and all(
        (ROOT / rel).suffix == ".md" for rel in build.chapters()
    )
    assert sorted(ROOT / rel for rel in build.chapters()) == CHAPTERS
    assert not list((ROOT / "chapters").glob("*.ipynb"))  # no generated notebooks beside them


@pytest.mark.parametrize("src", CHAPTERS, ids=lambda p: p.stem)
def test_one_parameters_cell_first(src: Path) -> None:
    nb = staging.read(src)
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    assert tagged == [0]
    assert nb.cells[0].cell_type == "code"
    nbformat.validate(nb)


@pytest.mark.parametrize("src", CHAPTERS, ids=lambda p: p.stem)
def test_conversion_is_deterministic(src: Path, tmp_path: Path) -> None:
    first, second = staging.read(src), staging.read(src)
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    assert [c.id for c in first.cells] == [f"cell-{i}" for i in range(len(first.cells))]
    a = staging.stage(src, tmp_path / "a" / "x.ipynb")
    b = staging.stage(src, tmp_path / "b" / "x.ipynb")
    assert a.read_bytes() == b.read_bytes()
    assert "jupytext" not in first.metadata  # the staged notebook carries no text-format header


def _key(book: Path, rel: str, tmp_path: Path) -> str:
    """The chapter's key as `navbok build` plans it (params and snapshot held fixed)."""
    params = SimpleNamespace(kommune="3201", title="Bærum", to_yaml=lambda: "kommune: '3201'\n")
    data = SimpleNamespace(snapshot=SimpleNamespace(synthetic=False, checksum="abc"))
    sources = {rel: (book / rel).read_bytes()}
    plan = build.plan_book(data, params, tmp_path / "_build", "static", sources)  # type: ignore[arg-type]
    return plan.chapter_keys[rel]


def test_the_cache_key_is_the_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = tmp_path / "book"
    shutil.copytree(ROOT / "chapters", book / "chapters")
    for name in ("_toc.yml", "_config.yml"):
        shutil.copy(ROOT / name, book / name)
    monkeypatch.setattr(build, "BOOK_ROOT", book)
    rel = "chapters/kvp.md"
    assert rel in build.chapters()
    before = _key(book, rel, tmp_path)
    # not otherwise: staging (converting) it, or rewriting the same text, changes nothing
    staging.stage(book / rel, tmp_path / "_build" / "_chapters" / "chapters" / "kvp.ipynb")
    (book / rel).write_bytes((ROOT / rel).read_bytes())
    assert _key(book, rel, tmp_path) == before
    assert build.chapter_key(rel, (ROOT / rel).read_bytes(), "x") == build.chapter_key(
        rel, (book / rel).read_bytes(), "x"
    )
    # the text changed (one word of prose): a new key
    text = (book / rel).read_text("utf-8")
    (book / rel).write_text(text.replace("\n# ", "\n# Om ", 1), "utf-8")
    assert (book / rel).read_text("utf-8") != text
    after = _key(book, rel, tmp_path)
    assert after != before
    (book / rel).write_text(text, "utf-8")  # and back: the old key
    assert _key(book, rel, tmp_path) == before
