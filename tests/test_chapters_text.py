"""Chapters are text: MyST Markdown notebooks (chapters/*.md), turned into notebooks to run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from navbok.builder import staging
from navbok.builder.keys import chapter_key
from navbok.builder.plan import plan_book
from navbok.project import Project

ROOT = Project.find().root  # the checkout's book
CHAPTERS = sorted((ROOT / "chapters").glob("*.md"))


def test_the_chapters_are_the_tables_of_contents_text_files_and_nothing_else() -> None:
    chapters = Project.find().chapters()
    assert chapters and all((ROOT / rel).suffix == ".md" for rel in chapters)
    assert sorted(ROOT / rel for rel in chapters) == CHAPTERS
    assert not list((ROOT / "chapters").glob("*.ipynb"))  # no generated notebooks beside them


@pytest.mark.parametrize("src", CHAPTERS, ids=lambda p: p.stem)
def test_one_parameters_cell_first(src: Path) -> None:
    """A chapter with code has its parameters cell first; a chapter of text alone (the
    glossary) has no code cell at all, so it is never executed."""
    nb = staging.read(src)
    if not any(c.cell_type == "code" for c in nb.cells):
        assert src.stem == "ordliste"  # the only text-only chapter: the others take parameters
        nbformat.validate(nb)
        return
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
    data = SimpleNamespace(
        snapshot=SimpleNamespace(synthetic=False, checksum="abc", label="abc, hentet 2026-12-06")
    )
    sources = {rel: (book / rel).read_bytes()}
    plan = plan_book(Project(book), data, params, tmp_path / "_build", "static", sources)  # type: ignore[arg-type]
    return plan.chapter_keys[rel]


def test_the_cache_key_is_the_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = tmp_path / "book"
    shutil.copytree(ROOT / "chapters", book / "chapters")
    for name in ("_toc.yml", "_config.yml"):
        shutil.copy(ROOT / name, book / name)
    monkeypatch.setenv("NAVBOK_BOOK_ROOT", str(book))
    rel = "chapters/kvp.md"
    assert rel in Project.find().chapters() and Project.find().root == book
    before = _key(book, rel, tmp_path)
    # not otherwise: staging (converting) it, or rewriting the same text, changes nothing
    staging.stage(book / rel, tmp_path / "_build" / "_chapters" / "chapters" / "kvp.ipynb")
    (book / rel).write_bytes((ROOT / rel).read_bytes())
    assert _key(book, rel, tmp_path) == before
    assert chapter_key(rel, (ROOT / rel).read_bytes(), "x") == chapter_key(
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


def test_without_the_books_sources_the_build_says_where_it_looked_before_anything_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from navbok.builder import pipeline
    from navbok.errors import ConfigError

    monkeypatch.setenv("NAVBOK_BOOK_ROOT", str(tmp_path))  # read on every Project.find()
    assert Project.find().root == tmp_path
    with pytest.raises(ConfigError, match=rf"{tmp_path / '_toc.yml'} mangler.*NAVBOK_BOOK_ROOT"):
        pipeline.main("3201", False, snapshot=tmp_path / "no-snapshot", build_dir=tmp_path / "b")
    assert not (tmp_path / "b").exists()


_RUN = """\
---
kernelspec: {display_name: Python 3, language: python, name: python3}
---

```{code-cell}
:tags: [parameters]

kommune = "3201"
```

```{code-cell}
x = 2
x * 10
```

```{code-cell}
print("midt")
None
```

```{code-cell}
y = [x,
     3]
y
```

Tekst.

```{code-cell}
%time z = 1
```

```{code-cell}
z
```

```{code-cell}
stille = 1;
```

```{code-cell}
x  # a comment on the last line
```
"""


def test_code_cells_without_text_between_run_as_one_with_the_same_outputs(
    tmp_path: Path,
) -> None:
    from navbok.builder import engine

    nb = staging.to_notebook(_RUN)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    # The parameters alone; three cells joined; a magic alone; «z» joined with the assignment
    # after it; a last expression with a comment on its line is not rewritten, so alone.
    assert len(code) == 5, code
    assert code[2] == "%time z = 1"
    assert code[3] == f'__import__("sys").displayhook(z)\n{staging.JOIN}\nstille = 1;'
    assert code[4] == "x  # a comment on the last line"
    assert code[1].count(staging.JOIN) == 2
    assert code[1].startswith('x = 2\n__import__("sys").displayhook(x * 10)\n')
    assert code[1].endswith("y = [x,\n     3]\ny")
    # The merged notebook gives the outputs the separate cells gave, in the same order.
    merged = tmp_path / "merged.ipynb"
    nbformat.write(nb, merged)
    engine.execute_fresh(merged, tmp_path / "out.ipynb", {"kommune": "0301"})
    out = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    joined = next(c for c in out.cells if c.cell_type == "code" and staging.JOIN in c.source)
    shown = [(o.output_type, o.get("text") or o.data["text/plain"]) for o in joined.outputs]
    assert shown == [
        ("execute_result", "20"),
        ("stream", "midt\n"),
        ("execute_result", "[2, 3]"),
    ]
