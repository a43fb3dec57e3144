"""Process-wide caches for rendering many books in one process (see :mod:`navbok.build.render`).

The national edition renders every municipality's book in one process, so whatever each build
redoes from scratch is paid hundreds of times. :func:`install` (called through :func:`active`
by :func:`navbok.build.render.render_inprocess`; it patches once and is idempotent) replaces
five library functions in this process only. Each replacement checks :func:`_active` — true
only in the thread that is inside :func:`active`, i.e. inside a render — and otherwise calls
the original, so other Sphinx use in the process (tests, tools) sees the libraries unchanged.
Each keeps exactly the result the original would give:

* **Compiled Jinja templates** (≈ 20 % of a warm build). Each Sphinx application makes a new
  Jinja environment (``sphinx.jinja2glue.BuiltinTemplateLoader.init``), so the basic, pydata
  and sphinx-book-theme templates were compiled again for every book. The patched ``init``
  gives the new environment :data:`TEMPLATE_CACHE` as its ``bytecode_cache`` (the
  ``get_bucket``/``set_bucket`` interface Jinja's loaders use, keeping code objects in
  memory), and the patched ``render_string`` (the ``*_t`` static files) goes through the same
  store instead of ``Environment.from_string``. A code object is reused only for exactly the
  same template name, file name and *full source text* (an edited template, or one from
  another book's ``_templates``, is a miss) and the same of everything about the environment
  that compilation reads (:func:`_env_signature`: its class, lexer settings,
  autoescape/finalize, ``optimized``, ``is_async``, policies, extensions, the i18n
  ``newstyle_gettext`` flag, and the filter and test *functions*, since the code generator
  looks them up and the optimiser may call them). Compilation is a pure function of these,
  and Jinja wraps the code in a new :class:`jinja2.Template` bound to the new environment
  (its own globals) on every load, so the pages are what a fresh compile gives.
* **The Norwegian search stemmer** (≈ 8 %). ``sphinx.search.no.SearchNorwegian.stem`` runs
  the Snowball stemmer on every word of every page and Sphinx memoises it only per document;
  a stem depends on nothing but the word, so stems are kept process-wide (LRU of 2**16 words).
* **sphinx-external-toc's ``disable_builtin_toctree_collector``** walks ``gc.get_objects()``
  — every object of the process, many in a long-lived process that holds the data — to find
  Sphinx's built-in ``TocTreeCollector`` and disconnect it. The replacement looks for
  collectors among the new application's own event listeners. In a fresh process (the
  ``jupyter-book`` CLI) that is the same set; in a long-lived one the original also finds the
  collectors of earlier applications not yet garbage-collected and disconnects *their*
  listener ids from the new application (whatever listeners of its own bear those ids by
  then), so the replacement is, if anything, closer to the CLI.
* **``sphinx.theming.entry_points``**: the theme factory scans every installed distribution's
  metadata for ``sphinx.html_themes`` on each build (≈ 7 ms); the first scan is kept (the
  installed packages do not change during a run).
* **``docutils.frontend.get_default_settings``**: myst-parser builds a docutils option parser
  for a throw-away document twice per page (≈ 0.8 ms each); the defaults for the same
  component classes are computed once and each call gets a deep copy (a fresh ``Values``
  equal to what the original returns).

The cyclic garbage collector
----------------------------
Every build leaves its Sphinx application, environment and doctrees behind as cyclic
garbage, which only a full collection frees; Python runs one whenever the objects promoted
to the oldest generation reach a quarter of it, here about every second build, and each
scans *every* tracked object of the process — ≈ 150 000 after the imports of Sphinx, the
theme and the extensions, more with the data — which took ≈ 0.12 s, i.e. ≈ 0.06 s per book
on average. So after the first render (the imports done, Sphinx's own process-wide caches
filled) :func:`freeze_long_lived` runs ``gc.collect()`` and then ``gc.freeze()``, once per
process: the objects alive at that moment move to the permanent generation that collections
skip; full collections then scan only what was created since and cost ≈ 0.03 s. Pages do
not depend on when garbage is collected. The price is memory only: an object that was alive
at that moment and later becomes part of unreachable *cycles* is not reclaimed — a bounded,
one-time amount (what the process held then), not a growth per book. Objects created later
are collected as before.

Not changed: the copying of the theme's static files (≈ 100 directories and 150 files a
book, mostly system time, and the output must hold them), and the templates
pydata-sphinx-theme renders to test for emptiness (they depend on the page).

``tests/test_render_cache.py`` checks that two consecutive renders give byte-identical HTML,
equal to a render with the caches switched off, that the second compiles no template, that
exactly the new application's collector is disabled, that the patches are installed once
and inert outside a render, and that the freeze happens once; ``tests/test_build_fast.py``
compares with the ``jupyter-book`` CLI. ``bench/render_bench.py`` measures the CPU time per
build.
"""

from __future__ import annotations

import copy
import functools
import gc
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from types import CodeType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment

_ACTIVE: int | None = None  # thread ident of the render in progress (the caches apply there)
_INSTALLED = False
_FROZEN = False


def _active() -> bool:
    return _ACTIVE is not None and threading.get_ident() == _ACTIVE


class _Bucket:
    """What ``jinja2.loaders.BaseLoader.load`` uses of a ``jinja2.bccache.Bucket``."""

    __slots__ = ("code", "key")

    def __init__(self, key: tuple, code: CodeType | None) -> None:
        self.key = key
        self.code = code


class TemplateCodeCache:
    """Compiled Jinja templates shared by every Sphinx application of this process.

    It has the interface Jinja asks of an ``Environment.bytecode_cache`` (``get_bucket`` and
    ``set_bucket``, as :class:`jinja2.BytecodeCache`) but keeps the code objects themselves in
    memory, under keys holding the template's name, file name and full source and the
    environment's compile-relevant settings (:func:`_env_signature`). ``hits``/``misses`` count
    lookups (a miss is followed by one ``Environment.compile``).
    """

    def __init__(self) -> None:
        self.codes: dict[tuple, CodeType] = {}
        self.hits = 0
        self.misses = 0

    def _lookup(self, key: tuple) -> CodeType | None:
        code = self.codes.get(key)
        if code is None:
            self.misses += 1
        else:
            self.hits += 1
        return code

    def get_bucket(
        self, environment: Environment, name: str, filename: str | None, source: str
    ) -> _Bucket:
        key = (_env_signature(environment), name, filename, source)
        return _Bucket(key, self._lookup(key))

    def set_bucket(self, bucket: _Bucket) -> None:
        if bucket.code is not None:
            self.codes[bucket.key] = bucket.code

    def compile_string(self, environment: Environment, source: str) -> CodeType:
        """``environment.compile(source)``, as ``Environment.from_string`` does it, cached."""
        key = (_env_signature(environment), None, None, source)
        code = self._lookup(key)
        if code is None:
            code = self.codes[key] = environment.compile(source)
        return code

    def clear(self) -> None:
        self.codes.clear()
        self.hits = self.misses = 0


TEMPLATE_CACHE = TemplateCodeCache()
HITS: Counter[str] = Counter()  # hits of the entry-point and default-settings memos


def _env_signature(env: Environment) -> tuple:
    """Everything about ``env`` that ``Environment.compile`` reads (see the module docstring)."""
    return (
        type(env),
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        env.is_async,
        env.autoescape,
        env.finalize,
        env.undefined,
        env.code_generator_class,
        env.context_class,
        getattr(env, "newstyle_gettext", None),
        repr(sorted(env.policies.items())),
        tuple((name, type(ext)) for name, ext in sorted(env.extensions.items())),
        tuple(sorted(env.filters.items(), key=lambda kv: kv[0])),
        tuple(sorted(env.tests.items(), key=lambda kv: kv[0])),
    )


def install() -> None:
    """Install the process-wide caches of the module docstring (once; idempotent)."""
    global _INSTALLED
    if _INSTALLED:
        return
    import docutils.frontend
    import snowballstemmer
    import sphinx.theming
    import sphinx_external_toc.collectors as toc_collectors
    from sphinx.environment.collectors.toctree import TocTreeCollector
    from sphinx.jinja2glue import BuiltinTemplateLoader
    from sphinx.search.no import SearchNorwegian

    # -- compiled templates
    original_init = BuiltinTemplateLoader.init
    original_render_string = BuiltinTemplateLoader.render_string

    @functools.wraps(original_init)
    def init(self: BuiltinTemplateLoader, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        if _active():
            self.environment.bytecode_cache = TEMPLATE_CACHE  # type: ignore[assignment]

    @functools.wraps(original_render_string)
    def render_string(self: BuiltinTemplateLoader, source: str, context: dict) -> str:
        env = self.environment
        if not (_active() and env.bytecode_cache is TEMPLATE_CACHE):
            return original_render_string(self, source, context)
        code = TEMPLATE_CACHE.compile_string(env, source)  # env.from_string, cached:
        template = env.template_class.from_code(env, code, env.make_globals(None), None)
        return template.render(context)

    BuiltinTemplateLoader.init = init  # type: ignore[method-assign]
    BuiltinTemplateLoader.render_string = render_string  # type: ignore[method-assign]

    # -- the Norwegian stemmer
    original_stem = SearchNorwegian.stem
    stemmer = snowballstemmer.stemmer("norwegian")  # only used inside a render (one at a time)

    @functools.lru_cache(maxsize=2**16)
    def stem_word(word: str) -> str:
        return stemmer.stemWord(word)

    @functools.wraps(original_stem)
    def stem(self: SearchNorwegian, word: str) -> str:
        if not _active():
            return original_stem(self, word)
        return stem_word(word.lower())  # what the original does, memoised

    stem.cache = stem_word  # type: ignore[attr-defined]
    SearchNorwegian.stem = stem  # type: ignore[method-assign]

    # -- sphinx-external-toc: the built-in toctree collectors without gc.get_objects()
    original_disable = toc_collectors.disable_builtin_toctree_collector

    @functools.wraps(original_disable)
    def disable_builtin_toctree_collector(app: Any) -> None:
        if not _active():
            return original_disable(app)
        found: list[TocTreeCollector] = []
        for listeners in app.events.listeners.values():
            for listener in listeners:
                owner = getattr(listener.handler, "__self__", None)
                if isinstance(owner, TocTreeCollector) and owner not in found:
                    found.append(owner)
        for collector in found:
            if collector.listener_ids is not None:
                collector.disable(app)
        return None

    toc_collectors.disable_builtin_toctree_collector = disable_builtin_toctree_collector

    # -- the html theme entry points: scanning every installed distribution's metadata
    original_entry_points = sphinx.theming.entry_points
    scanned: dict[str, Any] = {}

    @functools.wraps(original_entry_points)
    def entry_points(**params: Any) -> Any:
        if not (_active() and list(params) == ["group"]):
            return original_entry_points(**params)
        group = params["group"]
        if group in scanned:
            HITS["entry_points"] += 1
        else:
            scanned[group] = original_entry_points(group=group)
        return scanned[group]

    sphinx.theming.entry_points = entry_points

    # -- docutils' default settings (myst-parser makes a throw-away document per page)
    original_defaults = docutils.frontend.get_default_settings
    defaults: dict[tuple, Any] = {}

    @functools.wraps(original_defaults)
    def get_default_settings(*components: Any) -> Any:
        if not (_active() and all(isinstance(c, type) for c in components)):
            return original_defaults(*components)
        if components in defaults:
            HITS["default_settings"] += 1
        else:
            defaults[components] = original_defaults(*components)
        return copy.deepcopy(defaults[components])  # a fresh Values, as the original's

    docutils.frontend.get_default_settings = get_default_settings
    _INSTALLED = True


def freeze_long_lived() -> None:
    """After the first render: collect, then move every live object out of the GC's reach (once).

    See the module docstring ("The cyclic garbage collector").
    """
    global _FROZEN
    if _FROZEN:
        return
    _FROZEN = True
    gc.collect()
    gc.freeze()


@contextmanager
def active() -> Iterator[None]:
    """Install the caches (once) and switch them on for this thread while the block runs.

    The caller makes sure only one render runs at a time (``navbok.build.render`` holds a
    lock): docutils and Sphinx keep global state."""
    global _ACTIVE
    install()
    _ACTIVE = threading.get_ident()
    try:
        yield
    finally:
        _ACTIVE = None
