"""Theme templates that cannot render empty are not rendered to find out.

Replaces ``pydata_sphinx_theme.utils._update_and_remove_templates``. For every page the theme
renders each template of its sections (navbar, header, footer, sidebars) once only to drop
those that come out empty, then renders the page. sphinx-book-theme's sidebar navigation
(``sbt-sidebar-nav.html``: the whole table of contents) and header buttons cost ≈ 65 ms a book
this way (9 pages), for templates that begin with fixed markup (``<nav …>``, ``<div …>``).

The replacement adds to the theme's own ``templates_skip_empty_check`` every template whose
source has text other than whitespace at its top level (a Jinja ``Output`` node of the
template body, outside every ``if``, ``for``, ``block`` or macro, in a template that extends
none): Jinja writes that text whenever the template renders. A name is added only when every
template of the section that it would match (the theme matches by ``endswith``) can be
skipped too.

Why the pages are identical: such a template's rendering is never empty, so the original
check would keep it; the list of templates is the same, and the page renders them as before.
A template that fails to render fails the page's own render instead.
"""

from __future__ import annotations

import functools
import os
import weakref
from collections import Counter
from typing import Any

from navbok.builder.speedups import scope

NAME = "tomme-maler"
TESTED = {"pydata-sphinx-theme": "0.17.1", "jinja2": "3.1.6", "sphinx": "7.4.7"}
HITS: Counter[str] = Counter()  # "skipped": emptiness checks left out
_INSTALLED = False
_KNOWN: weakref.WeakKeyDictionary[Any, dict[str, bool]] = weakref.WeakKeyDictionary()


def never_empty(tree: Any) -> bool:
    """Whether the parsed Jinja template ``tree`` writes text other than whitespace whenever
    it renders (text at its top level, and no ``extends``)."""
    from jinja2 import nodes

    if any(True for _ in tree.find_all(nodes.Extends)):
        return False
    return any(
        isinstance(child, nodes.TemplateData) and child.data.strip()
        for node in tree.body
        if isinstance(node, nodes.Output)
        for child in node.nodes
    )


class _Parsing:
    """A Jinja environment, equal to another whose parser reads a source the same way: the
    same class, syntax settings (what ``jinja2.lexer.get_lexer`` keys on) and extensions."""

    def __init__(self, env: Any) -> None:
        self.env = env
        self.key = (
            type(env),
            tuple(getattr(env, a) for a in _SYNTAX),
            tuple(sorted(env.extensions)),
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Parsing) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)


_SYNTAX = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
)


@functools.lru_cache(maxsize=256)
def _source_never_empty(env: _Parsing, source: str) -> bool:
    """:func:`never_empty` of a template's source as ``env`` parses it (the answer depends
    only on the text: remembered across renders, ≈ 8 ms a book of parsing)."""
    return never_empty(env.env.parse(source))


def _template_never_empty(templates: Any, name: str) -> bool:
    """:func:`never_empty` for the template ``name`` as the builder's loader finds and parses
    it (remembered per loader: one per render). A template that cannot be found or parsed is
    left to the theme's check."""
    known = _KNOWN.setdefault(templates, {})
    if name not in known:
        env = templates.environment
        try:
            known[name] = _source_never_empty(_Parsing(env), env.loader.get_source(env, name)[0])
        except Exception:
            known[name] = False
    return known[name]


def _suffixed(templates: list[str] | str) -> list[str]:
    """The theme's own normalisation of a section's template names."""
    if isinstance(templates, str):
        templates = [t.strip() for t in templates.split(",")]
    return [t if os.path.splitext(t)[1] else f"{t}.html" for t in templates]


def install() -> None:
    """Patch ``pydata_sphinx_theme.utils._update_and_remove_templates`` (once)."""
    global _INSTALLED
    if _INSTALLED:
        return
    from pydata_sphinx_theme import utils

    original = utils._update_and_remove_templates

    @functools.wraps(original)
    def update(
        app: Any,
        context: dict[str, Any],
        templates: list[str] | str,
        section: str,
        templates_skip_empty_check: list[str] | None = None,
    ) -> list[str]:
        if scope.in_render():
            skip = list(templates_skip_empty_check or [])
            names = _suffixed(templates)
            checked = [t for t in names if not any(t.endswith(s) for s in skip)]
            loader = app.builder.templates
            sure = {t for t in checked if _template_never_empty(loader, t)}
            for name in sorted(sure):
                if all(t in sure for t in checked if t.endswith(name)):
                    skip.append(name)
                    HITS["skipped"] += 1
            templates_skip_empty_check = skip
        return original(app, context, templates, section, templates_skip_empty_check)

    utils._update_and_remove_templates = update
    _INSTALLED = True
