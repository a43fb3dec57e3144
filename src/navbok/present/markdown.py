"""Data is text: the one place where text becomes the Markdown of a page.

Everything a chapter's prose says is glued as Markdown (``{glue:md}``), and much of it comes
from outside: a municipality's name from KLASS, a params file's ``name``, ``mandate`` and
``texts``, a local file's cells. Such text must reach the page as text, never as markup (a tag,
a MyST role or directive, a link, math). Two kinds of strings:

* :class:`Markdown` — markup we wrote (a template, a list, ``**bold**``): passed on as it is;
* any other ``str`` — text: :func:`escape` turns it into Markdown that renders as exactly that
  text.

:meth:`Markdown.format`, ``Markdown + text`` and :meth:`Markdown.join` escape every piece that
is not Markdown itself, and :meth:`navbok.report.context.Context.glue` escapes whatever is not
Markdown, so a text can only become markup by being wrapped in :class:`Markdown` on purpose.

:func:`escape` changes only what could be read as markup, so ordinary prose and numbers
(«2,46 prosent», «2015–2019», «Aurskog-Høland») come out unchanged. It escapes, anywhere,
``\\ ` * _ [ ] { } $ ~ @`` with a backslash and ``< > &`` as entities (no tag, role,
substitution, link, image, code, math, strike-through or e-mail autolink can start; an
entity in the data shows as written); at the start of a line the block markers (``#``,
``-``/``+``/``=`` before anything but a digit, ``1.``/``1)``, ``:``, ``%``, ``(label)=``);
``://`` and a dot between letters (no bare-URL link, MyST's ``linkify``); ``|`` in text of
several lines (a table needs a second line). Later lines lose their indentation (no code
block; the first keeps one space of four), a line its trailing blanks (no hard break), and
``\\r`` ends a line as ``\\n``.

:func:`plain_text` is the way back, for pages that are not Markdown (the print summary).
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

__all__ = ["Markdown", "escape", "plain_text"]

#: Characters escaped wherever they stand.
_ANYWHERE = {
    "\\": "\\\\",
    "`": "\\`",
    "*": "\\*",
    "_": "\\_",
    "[": "\\[",
    "]": "\\]",
    "{": "\\{",
    "}": "\\}",
    "$": "\\$",
    "~": "\\~",
    "@": "\\@",
    "<": "&lt;",
    ">": "&gt;",
    "&": "&amp;",
}
_ANYWHERE_RE = re.compile("|".join(re.escape(c) for c in _ANYWHERE))
_TABLE = str.maketrans({"|": "\\|"})
#: A bare address MyST's linkify would make a link of: «https://x», «www.x.no», «a@b.no».
_LINK_COLON = re.compile(r"(?<=\w):(?=//)")
_DOMAIN_DOT = re.compile(r"(?<=\w)\.(?=\w)")
_CODE_INDENT = re.compile(r"^(?: {4}| {0,3}\t)")
#: Block markers at the start of a line (after any indentation).
_BLOCK_START = re.compile(
    r"^(?P<indent>[ \t]*)(?:"
    r"(?P<marker>[#:%]|[-+=](?!\d))"  # heading, colon fence / field, comment, list, rule
    r"|(?P<digits>\d{1,9})(?P<dot>[.)])(?=\s|$)"  # ordered list
    r"|(?P<target>\()(?=[^)\n]*\)=)"  # MyST target «(label)=»
    r")"
)


def _line_start(match: re.Match[str]) -> str:
    indent = match["indent"]
    if match["marker"]:
        return f"{indent}\\{match['marker']}"
    if match["digits"]:
        return f"{indent}{match['digits']}\\{match['dot']}"
    return f"{indent}\\("


def escape(text: object) -> Markdown:
    """``text`` as Markdown that renders as exactly this text (a :class:`Markdown` is returned
    as it is: it is markup already; anything else is ``str(text)``)."""
    if isinstance(text, Markdown):
        return text
    text = str(text)
    if text.isalnum():  # a name, a year: nothing to escape (the common case)
        return Markdown(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out = []
    for i, line in enumerate(lines):
        if i:
            line = line.lstrip(" \t")
        elif _CODE_INDENT.match(line):  # four spaces or a tab: an indented code block
            line = " " + line.lstrip(" \t")
        line = _ANYWHERE_RE.sub(lambda m: _ANYWHERE[m.group(0)], line)
        line = _DOMAIN_DOT.sub("\\.", _LINK_COLON.sub("\\:", line))
        if len(lines) > 1:
            line = line.translate(_TABLE)
            if i < len(lines) - 1:
                line = line.rstrip(" \t")  # two spaces before a line end: a hard break
        out.append(_BLOCK_START.sub(_line_start, line, count=1))
    return Markdown("\n".join(out))


class _Formatter(string.Formatter):
    """``str.format`` that escapes each field that is not :class:`Markdown`."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, Markdown) and not format_spec:
            return value
        return escape(format(value, format_spec))


_FORMATTER = _Formatter()


class Markdown(str):
    """Markdown we wrote: a template, a list, emphasis, a link. Never made from data directly:
    text goes in through :meth:`format`, ``+`` and :meth:`join`, which escape it."""

    __slots__ = ()

    def format(self, *args: object, **kwargs: object) -> Markdown:
        """The template filled in; every value that is not :class:`Markdown` is escaped."""
        return Markdown(_FORMATTER.vformat(self, args, kwargs))

    def __add__(self, other: str) -> Markdown:
        """This Markdown followed by ``other`` (escaped unless it is Markdown)."""
        return Markdown(str.__add__(self, escape(other)))

    def __radd__(self, other: str) -> Markdown:
        """``other`` (escaped unless it is Markdown) followed by this Markdown."""
        return Markdown(str.__add__(escape(other), self))

    def join(self, parts: Iterable[str]) -> Markdown:
        """The parts (each escaped unless it is Markdown) with this Markdown between them."""
        return Markdown(str.join(self, (escape(p) for p in parts)))


@functools.cache
def _commonmark() -> MarkdownIt:
    """One CommonMark parser for the process (making one compiles its rules: ≈ 0.5 ms; a
    parse keeps its state apart from the parser)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def plain_text(markdown: str) -> str:
    """The text a reader sees of an inline Markdown (escapes and entities resolved, emphasis
    and code marks dropped, a link by its words), for pages written as HTML."""
    out: list[str] = []
    for token in _commonmark().parseInline(str(markdown)):
        for child in token.children or []:
            if child.type in ("text", "text_special", "code_inline", "html_inline"):
                out.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                out.append(" ")
    return " ".join("".join(out).split())
