"""The render speed-ups (``navbok.builder.speedups``) change nothing but the time.

On a minimal Jupyter Book stage built here (the project's ``_config.yml``, Norwegian pages, no
data needed):

* two consecutive in-process renders give byte-identical HTML, and the same HTML as a render
  with every cache switched off (the libraries' own code paths);
* the second render compiles no Jinja template (they all come from the cache), and the
  stemmer, entry-point and default-settings memos are hit;
* the replacement of sphinx-external-toc's ``gc.get_objects()`` scan disables exactly the
  new application's built-in toctree collector;
* the caches are keyed on what compilation reads, are installed once, and are inert outside
  ``sphinx_build``;
* the objects alive after the first render are frozen (``gc.freeze``) once, and garbage made
  later is still collected.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import jinja2
import nbformat
import pytest

from navbok.builder import render, speedups
from navbok.builder.speedups import (
    docutils_defaults,
    gc_freeze,
    jinja_templates,
    scope,
    theme_entry_points,
)
from navbok.project import Project

ROOT = Project.find().root  # the checkout's book

PAGES = {
    "intro": "# Innledning\n\nSosialhjelp i kommunen: utbetalinger, mottakere og varighet.\n",
    "to": "# Langtidsmottakere\n\nAndelen langtidsmottakere økte fra 2015 til 2019.\n\n"
    "## Kvalifiseringsprogrammet\n\nDeltakerne i kvalifiseringsprogrammet mottar stønad.\n",
}


def _stage(root: Path) -> Path:
    (root / "chapters").mkdir(parents=True)
    (root / "_static").mkdir()
    (root / "_static" / "navbok.css").write_text("body { margin: 0; }\n", "utf-8")
    (root / "_static" / "navbok-vega.js").write_text("// vega\n", "utf-8")
    (root / "_config.yml").write_text((ROOT / "_config.yml").read_text("utf-8"), "utf-8")
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: chapters/intro\nchapters:\n  - file: chapters/to\n"
        "  - file: chapters/tre\n",
        "utf-8",
    )
    for name, text in PAGES.items():
        (root / "chapters" / f"{name}.md").write_text(text, "utf-8")
    # an executed notebook, as the chapters are (a heading, text, a code cell with output)
    nbformat.write(render._warmup_notebook(), root / "chapters" / "tre.ipynb")
    return root


def _render(stage: Path) -> dict[str, str]:
    """Render from a clean ``_build`` (as ``render.render`` does); hash every output file."""
    if (stage / "_build").exists():
        shutil.rmtree(stage / "_build")
    out = render.sphinx_build(stage)
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def stage(tmp_path: Path) -> Path:
    return _stage(tmp_path / "book")


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """Names of the templates ``jinja2.Environment.compile`` compiles from now on."""
    seen: list[str | None] = []
    original = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        seen.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return seen


def test_consecutive_renders_are_identical_and_hit_the_caches(
    stage: Path, compiles: list[str | None]
) -> None:
    jinja_templates.TEMPLATE_CACHE.clear()
    first = _render(stage)
    assert {"chapters/to.html", "chapters/tre.html", "searchindex.js"} <= set(first)
    compiled_first = len(compiles)
    assert compiled_first > 10  # basic, pydata and sphinx-book-theme templates
    assert jinja_templates.TEMPLATE_CACHE.misses == compiled_first

    from sphinx.search.no import SearchNorwegian

    stems = SearchNorwegian.stem.cache  # type: ignore[attr-defined]
    stem_hits = stems.cache_info().hits
    hits = dict(theme_entry_points.HITS + docutils_defaults.HITS)

    second = _render(stage)
    assert second == first  # byte for byte, every file
    assert len(compiles) == compiled_first, compiles[compiled_first:]  # nothing recompiled
    assert jinja_templates.TEMPLATE_CACHE.hits >= compiled_first
    assert stems.cache_info().hits > stem_hits
    assert theme_entry_points.HITS["entry_points"] > hits.get("entry_points", 0)
    assert docutils_defaults.HITS["default_settings"] > hits.get("default_settings", 0)


def test_cached_render_equals_uncached_render(
    stage: Path, monkeypatch: pytest.MonkeyPatch, compiles: list[str | None]
) -> None:
    cached = _render(stage)  # the caches are warm after this one at the latest
    cached_again = _render(stage)
    compiled = len(compiles)
    with monkeypatch.context() as m:
        m.setattr(scope, "in_render", lambda: False)  # every patched function → the original
        plain = _render(stage)
    assert len(compiles) > compiled  # really compiled afresh
    assert plain == cached == cached_again


def test_only_the_new_apps_builtin_toctree_collector_is_disabled(
    stage: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sphinx.environment.collectors.toctree import TocTreeCollector
    from sphinx_external_toc.collectors import TocTreeCollectorWithStyles

    _render(stage)  # an earlier application, possibly still in memory
    disabled: list[TocTreeCollector] = []
    original = TocTreeCollector.disable

    def spy(self, app):
        disabled.append(self)
        return original(self, app)

    monkeypatch.setattr(TocTreeCollector, "disable", spy)
    _render(stage)
    assert len(disabled) == 1
    assert type(disabled[0]) is TocTreeCollector  # not sphinx-external-toc's own collector
    assert not isinstance(disabled[0], TocTreeCollectorWithStyles)
    assert disabled[0].listener_ids is None


def test_template_cache_key_covers_what_compilation_reads() -> None:
    from jinja2.sandbox import SandboxedEnvironment

    def env(**filters: object) -> jinja2.Environment:
        e = SandboxedEnvironment(extensions=["jinja2.ext.i18n"])
        e.filters.update(filters)
        return e

    source = "{{ x | shout }}{% trans %}Hei{% endtrans %}"
    cache = jinja_templates.TemplateCodeCache()
    a = cache.get_bucket(env(shout=str.upper), "t.html", "/t.html", source)
    assert a.code is None and cache.misses == 1
    a.code = env(shout=str.upper).compile(source, "t.html", "/t.html")
    cache.set_bucket(a)
    assert cache.get_bucket(env(shout=str.upper), "t.html", "/t.html", source).code is a.code
    # another filter function, another file, another source, other settings: all misses
    assert cache.get_bucket(env(shout=str.lower), "t.html", "/t.html", source).code is None
    assert cache.get_bucket(env(shout=str.upper), "t.html", "/u.html", source).code is None
    assert cache.get_bucket(env(shout=str.upper), "t.html", "/t.html", source + " ").code is None
    trimmed = env(shout=str.upper)
    trimmed.trim_blocks = True
    assert cache.get_bucket(trimmed, "t.html", "/t.html", source).code is None
    newstyle = env(shout=str.upper)
    newstyle.newstyle_gettext = True  # type: ignore[attr-defined]
    assert cache.get_bucket(newstyle, "t.html", "/t.html", source).code is None
    assert cache.hits == 1


def test_installed_once_and_inert_outside_a_render(stage: Path) -> None:
    from sphinx.jinja2glue import BuiltinTemplateLoader
    from sphinx.search.no import SearchNorwegian

    _render(stage)
    patched = (BuiltinTemplateLoader.init, SearchNorwegian.stem)
    speedups.install_render()
    speedups.install_render()
    for patch in speedups.RENDER:
        patch.install()
    assert (BuiltinTemplateLoader.init, SearchNorwegian.stem) == patched  # not wrapped twice
    assert SearchNorwegian.stem.__wrapped__ is not SearchNorwegian.stem  # type: ignore[attr-defined]

    assert not scope.in_render()
    stems = SearchNorwegian.stem.cache  # type: ignore[attr-defined]
    before = stems.cache_info()
    lang = SearchNorwegian({})
    assert lang.stem("Utbetalingene") == "utbetaling"  # the original, outside a render
    assert stems.cache_info() == before


def test_long_lived_objects_frozen_once_after_the_first_render(
    stage: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc
    import weakref

    _render(stage)
    assert gc_freeze.frozen() and gc.get_freeze_count() > 0
    freezes: list[int] = []
    monkeypatch.setattr(gc, "freeze", lambda: freezes.append(1))
    _render(stage)
    assert freezes == []  # once per process

    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a  # type: ignore[attr-defined]  # a cycle made after the freeze
    alive = weakref.ref(a)
    del a, b
    gc.collect()
    assert alive() is None  # still collected


def test_theme_files_are_linked_from_the_packages_and_the_books_own_copied(stage: Path) -> None:
    from navbok.builder.speedups import static_links

    before = static_links.HITS["linked"]
    out = render.sphinx_build(stage)
    static = out / "_static"
    theme = [p for p in static.rglob("*") if p.is_file() and "pydata" in p.as_posix()]
    assert theme and all(static_links.linked(p) for p in theme)
    assert static_links.HITS["linked"] - before >= len(theme)
    # The book's own static files, and what Sphinx writes (templates, the search index), are
    # files of their own.
    for own in ("navbok.css", "navbok-vega.js", "documentation_options.js"):
        assert not static_links.linked(static / own), own
    assert not static_links.linked(out / "searchindex.js")


def test_no_linked_file_is_also_written_from_a_template() -> None:
    """A template ``x_t`` is rendered and *written* as ``x``: if a package also shipped a plain
    ``x`` (linked), the write would go into the installed package. Not so in the tested
    versions of the packages whose static folders a book gets."""
    from importlib import metadata

    from navbok.builder.speedups import static_links

    plain: set[str] = set()
    rendered: set[str] = set()
    for dist in static_links.TESTED:
        for file in metadata.files(dist) or []:
            parts = file.parts
            if not any(part in ("static", "_static") for part in parts):
                continue
            name = parts[-1]
            (rendered if name.endswith("_t") else plain).add(name.removesuffix("_t"))
    assert rendered, "no template found: the scan looks in the wrong place"
    assert not plain & rendered, plain & rendered


def test_a_book_rendered_after_the_warmup_book_is_the_same(stage: Path) -> None:
    alone = _render(stage)
    warm = render.warmup_stage(stage)
    try:
        assert sorted(p.name for p in warm.iterdir()) == [
            "_config.yml",
            "_static",
            "_toc.yml",
            f"{render.WARMUP_PAGE}.ipynb",
        ]
        assert "oppvarming.html" in _render(warm)
    finally:
        shutil.rmtree(warm)
    assert _render(stage) == alone  # byte for byte, every file


def test_the_render_process_warms_up_then_renders_the_book_and_removes_its_warmup(
    stage: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[Path] = []
    original = render.warmup_stage
    monkeypatch.setattr(render, "warmup_stage", lambda s: made.append(original(s)) or made[-1])
    expected = _render(stage)
    renderer = render.Renderer("worker")
    try:
        renderer.warm_up(stage)
        page, _ = renderer.submit(stage, tmp_path / "out").result(timeout=120)
    finally:
        renderer.close()
    assert page == tmp_path / "out" / "html" / "index.html"
    got = {
        p.relative_to(page.parent).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(page.parent.rglob("*"))
        if p.is_file()
    }
    assert got == expected
    assert len(made) == 1 and not made[0].exists()  # rendered, then removed


def test_templates_that_cannot_render_empty_are_not_rendered_to_check(stage: Path) -> None:
    from jinja2 import Environment

    from navbok.builder.speedups import nonempty_templates as nonempty

    def sure(source: str) -> bool:
        return nonempty.never_empty(Environment().parse(source))

    assert sure('<nav class="x">{{ toc() }}</nav>')
    assert sure("{% from 'm.html' import f with context %}\n<div>{{ f() }}</div>")
    assert not sure("{% if show %}<a>knapp</a>{% endif %}")  # text only inside an if
    assert not sure("{% for b in bs %}<b>{{ b }}</b>{% endfor %}")
    assert not sure("{% extends 'base.html' %}<p>ignored</p>")  # a child writes its parent
    assert not sure("  \n{{ maybe_empty }}\n  ")
    assert not sure("{% macro m() %}<i>x</i>{% endmacro %}")
    # The answer is remembered per source and parser settings, across renders' environments.
    assert nonempty._Parsing(Environment()) == nonempty._Parsing(Environment())
    assert nonempty._Parsing(Environment()) != nonempty._Parsing(
        Environment(block_start_string="<%", block_end_string="%>")
    )
    assert nonempty._Parsing(Environment()) != nonempty._Parsing(
        Environment(extensions=["jinja2.ext.do"])
    )
    before = nonempty.HITS["skipped"]
    _render(stage)
    assert nonempty.HITS["skipped"] > before  # the theme's sidebar and header were left out


def test_a_render_does_not_validate_notebooks_again_elsewhere_validation_is_the_original(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import nbformat

    speedups.install_render()
    broken = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"x": 1}]}
    with pytest.raises(nbformat.ValidationError):
        nbformat.validate(broken)
    monkeypatch.setattr(scope, "in_render", lambda: True)
    assert nbformat.validate(broken) is None


def test_a_render_writes_no_copy_of_a_notebook_and_reads_each_asset_once(
    stage: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from navbok.builder.speedups import asset_checksums, executed_copy

    skipped, reused = executed_copy.HITS["skipped"], asset_checksums.HITS["checksum"]
    pages = _render(stage)
    copies = stage / "_build" / "jupyter_execute"
    assert not list(copies.rglob("*.ipynb"))  # MyST-NB's copy is not written …
    assert executed_copy.HITS["skipped"] > skipped
    assert asset_checksums.HITS["checksum"] > reused  # … and checksums are reused
    with monkeypatch.context() as m:
        m.setattr(scope, "in_render", lambda: False)
        assert _render(stage) == pages
    copy = copies / "chapters" / "tre.ipynb"
    assert copy.is_file()  # the library's own code writes it
    assert (
        nbformat.reads(copy.read_text("utf-8"), as_version=4)
        .cells[0]
        .source.startswith("# Oppvarming")
    )


def test_an_asset_checksum_is_kept_for_one_render_and_while_the_file_is_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import zlib

    import sphinx.builders.html as html

    from navbok.builder.speedups import asset_checksums

    def crc(content: bytes) -> str:
        return f"{zlib.crc32(content):08x}"

    speedups.install_render()
    monkeypatch.setattr(asset_checksums, "_MEMO", {})
    asset = tmp_path / "a.js"
    asset.write_bytes(b"first")
    assert html._file_checksum(tmp_path, "a.js") == crc(b"first")  # outside: the original
    with scope.rendering():
        assert html._file_checksum(tmp_path, "a.js") == crc(b"first")
        hits = asset_checksums.HITS["checksum"]
        assert html._file_checksum(tmp_path, "a.js") == crc(b"first")
        assert asset_checksums.HITS["checksum"] == hits + 1
        asset.write_bytes(b"second!")  # another size: read again
        assert html._file_checksum(tmp_path, "a.js") == crc(b"second!")
        assert html._file_checksum(tmp_path, "none.js") == ""  # missing: as the original
        assert html._file_checksum(tmp_path, "https://x/y.js") == ""
    before = asset.stat()
    asset.write_bytes(b"third!!")  # the same size and the same modification time …
    os.utime(asset, ns=(before.st_atime_ns, before.st_mtime_ns))
    with scope.rendering():  # … but a new render remembers nothing
        assert html._file_checksum(tmp_path, "a.js") == crc(b"third!!")
