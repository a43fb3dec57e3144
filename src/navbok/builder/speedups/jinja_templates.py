"""Compiled Jinja templates, kept for every Sphinx application of the process (≈ 20 % of a render).

Replaces ``sphinx.jinja2glue.BuiltinTemplateLoader.init`` and ``.render_string``. Each Sphinx
application makes a new Jinja environment (``BuiltinTemplateLoader.init``), so the basic,
pydata and sphinx-book-theme templates were compiled again for every book. The patched
``init`` gives the new environment :data:`TEMPLATE_CACHE` as its ``bytecode_cache`` (the
``get_bucket``/``set_bucket`` interface Jinja's loaders use, keeping code objects in memory),
and the patched ``render_string`` (the ``*_t`` static files) goes through the same store
instead of ``Environment.from_string``.

Why the pages are identical: a code object is reused only for exactly the same template name,
file name and *full source text* (an edited template, or one from another book's
``_templates``, is a miss) and the same of everything about the environment that compilation
reads (:func:`env_signature`: its class, lexer settings, autoescape/finalize, ``optimized``,
``is_async``, policies, extensions, the i18n ``newstyle_gettext`` flag, and the filter and
test *functions*, since the code generator looks them up and the optimiser may call them).
Compilation is a pure function of these, and Jinja wraps the code in a new
:class:`jinja2.Template` bound to the new environment (its own globals) on every load, so the
pages are what a fresh compile gives.
"""

from __future__ import annotations

import functools
from types import CodeType
from typing import TYPE_CHECKING, Any

from navbok.builder.speedups import scope

if TYPE_CHECKING:
    from jinja2 import Environment

NAME = "jinja-maler"
TESTED = {"sphinx": "7.4.7", "jinja2": "3.1.6"}
_INSTALLED = False


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
    environment's compile-relevant settings (:func:`env_signature`). ``hits``/``misses`` count
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
        """The bucket of a template: its cached code, or None to be compiled and set."""
        key = (env_signature(environment), name, filename, source)
        return _Bucket(key, self._lookup(key))

    def set_bucket(self, bucket: _Bucket) -> None:
        """Keep a freshly compiled template's code."""
        if bucket.code is not None:
            self.codes[bucket.key] = bucket.code

    def compile_string(self, environment: Environment, source: str) -> CodeType:
        """``environment.compile(source)``, as ``Environment.from_string`` does it, cached."""
        key = (env_signature(environment), None, None, source)
        code = self._lookup(key)
        if code is None:
            code = self.codes[key] = environment.compile(source)
        return code

    def clear(self) -> None:
        """Forget every template and reset the counts."""
        self.codes.clear()
        self.hits = self.misses = 0


TEMPLATE_CACHE = TemplateCodeCache()


def env_signature(env: Environment) -> tuple:
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
    """Patch ``BuiltinTemplateLoader.init`` and ``.render_string`` (once)."""
    global _INSTALLED
    if _INSTALLED:
        return
    from sphinx.jinja2glue import BuiltinTemplateLoader

    original_init = BuiltinTemplateLoader.init
    original_render_string = BuiltinTemplateLoader.render_string

    @functools.wraps(original_init)
    def init(self: BuiltinTemplateLoader, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        if scope.in_render():
            self.environment.bytecode_cache = TEMPLATE_CACHE  # type: ignore[assignment]

    @functools.wraps(original_render_string)
    def render_string(self: BuiltinTemplateLoader, source: str, context: dict) -> str:
        env = self.environment
        if not (scope.in_render() and env.bytecode_cache is TEMPLATE_CACHE):
            return original_render_string(self, source, context)
        code = TEMPLATE_CACHE.compile_string(env, source)  # env.from_string, cached:
        template = env.template_class.from_code(env, code, env.make_globals(None), None)
        return template.render(context)

    BuiltinTemplateLoader.init = init  # type: ignore[method-assign]
    BuiltinTemplateLoader.render_string = render_string  # type: ignore[method-assign]
    _INSTALLED = True
