"""The chapter is the text: a chapter's markdown cells are templates, filled after execution.

A chapter (``chapters/*.md``) holds its sentences in reading order, next to the heading they
belong to, with named slots in Jinja syntax::

    {% if kvp %}
    I {{ aar }} var det {{ kvp }} mottakere per 1 000 innbyggere i {{ navn }}, mot
    {{ kvp_sml }} i {{ sml }}{{ kvp_plass }}.
    {% else %}
    Tallet på mottakere i {{ navn }} i {{ aar }} {{ kvp.gap }}.
    {% endif %}

The chapter's code cells fill the slots (``r.say(kvp=r.shown(...), ...)``): values
(:class:`~navbok.present.shown.Shown`), words the package's rules chose (a level word, a case
name), texts. :func:`say` puts them in the cell's output under :data:`SLOTS_MIME`; after
execution, :func:`fill_notebook` renders every markdown cell with the slots of the code cells
above it, drops the slot outputs and drops a cell that renders to nothing. Data is text: every
slot value is escaped (:func:`navbok.present.markdown.escape`) unless it is
:class:`~navbok.present.markdown.Markdown` the package wrote on purpose. A slot a template
names but no cell filled, or a template error, stops the build with one line naming the
chapter and the slot.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import marshal
import re
import sys
from pathlib import Path
from types import CodeType
from typing import TYPE_CHECKING, Any

import jinja2

from navbok.files import write_atomic
from navbok.present.markdown import Markdown, escape
from navbok.present.shown import Shown, shown
from navbok.present.tables import NOTES_MARK

if TYPE_CHECKING:  # not imported in a kernel: it only says slots
    import nbformat

__all__ = ["SLOTS_MIME", "ChapterTextError", "fill_notebook", "render", "say"]

#: The output type that carries a code cell's slots to the templates below it.
SLOTS_MIME = "application/vnd.navbok.slots+json"


class ChapterTextError(ValueError):
    """A chapter's template cannot be filled (a slot without a value, a template error)."""


def _encode(value: Any) -> Any:
    if isinstance(value, Shown):
        return {"__shown__": value.to_json()}
    if isinstance(value, Markdown):
        return {"__markdown__": str(value)}
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    raise TypeError(f"a chapter slot cannot hold {type(value).__name__}: {value!r}")


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "__shown__" in value:
            return Shown.from_json(value["__shown__"])
        if "__markdown__" in value:
            return Markdown(value["__markdown__"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


class _Slots:
    """A cell output that carries slots (shown as nothing)."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = {k: _encode(v) for k, v in values.items()}

    def _repr_mimebundle_(self, **_: Any) -> dict[str, Any]:
        return {SLOTS_MIME: self.values}

    def __repr__(self) -> str:  # the text/plain IPython adds: the same in every run
        return "navbok: tekstverdier"


def say(**values: Any) -> None:
    """Fill slots of the chapter's templates below this cell (in a kernel: a cell output)."""
    from IPython.display import display

    display(_Slots(values))


def _finalize(value: Any) -> str:
    """A slot as Markdown: our Markdown as it is, anything else escaped as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise ChapterTextError(f"en ja/nei-verdi skrives ut som tekst ({value}); bruk {{% if %}}")
    if isinstance(value, float):
        raise ChapterTextError(f"et tall må fylles med r.shown(...) (Shown), ikke som {value}")
    return escape(value)


def _decimals(value: Any, decimals: int) -> Any:
    """``{{ x | desimaler(0) }}``: a shown value with other decimals."""
    if isinstance(value, Shown):
        return shown(value.value, decimals, value.status, estimate=value.estimate)
    raise ChapterTextError(f"desimaler() virker bare på tall fra r.shown(...), ikke på {value!r}")


class _Environment(jinja2.Environment):
    """Jinja whose macros give Markdown: a macro's text is the template's own, its slots
    escaped already, so calling it (``{{ m(x) }}``) does not escape them a second time."""

    concat = staticmethod(lambda parts: Markdown("".join(parts)))


_ENV = _Environment(
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
    autoescape=False,
    finalize=_finalize,
)
_ENV.filters["desimaler"] = _decimals


def _finalize_text(value: Any) -> str:
    """A slot as plain text (a note under a table is HTML text: escaped there, not here)."""
    _finalize(value)  # the same rules for what a slot may hold
    return "" if value is None else str(value)


#: Notes under a table or figure are text, not Markdown.
_TEXT_ENV = _ENV.overlay(finalize=_finalize_text)


def is_template(source: str) -> bool:
    """Whether a markdown cell has slots or choices."""
    return "{{" in source or "{%" in source


def _keep_line_ends(source: str) -> str:
    """A line of text that ends in a tag (``… år.{% endif %}``) keeps its line end (Jinja's
    ``+%}``): only a line that is a tag alone disappears."""
    lines = source.split("\n")
    for i, line in enumerate(lines):
        end = line.rstrip()
        if (
            end.endswith("%}")
            and not end.endswith(("-%}", "+%}"))
            and not line.lstrip().startswith("{%")
        ):
            lines[i] = end[:-2] + "+%}"
    return "\n".join(lines)


#: A space inside a number the template writes («1 000»): a no-break space on the page.
_NUMBER_SPACE = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")


@functools.lru_cache(maxsize=1024)
def _template(env: jinja2.Environment, source: str) -> jinja2.Template:
    """A cell's compiled template, compiled once per process: every book of a build fills the
    same cells (compiling them was a quarter of the build process's time per book). What
    ``env.from_string`` does, with the compiled code kept on disk (:func:`keep_compiled`)."""
    code = _compiled(env, _keep_line_ends(_NUMBER_SPACE.sub("\u00a0", source)))
    return env.template_class.from_code(env, code, env.make_globals(None), None)


# The folder where compiled templates are kept between processes (:func:`keep_compiled`).
_COMPILED: list[Path] = []


def keep_compiled(folder: Path) -> None:
    """Keep the templates compiled from now on in ``folder`` and read those compiled there
    before (a build of one book then compiles none: ≈ 0.25 s). The folder belongs to one code
    version (the build passes the national facts' folder, :mod:`navbok.national_facts`); a
    file is also keyed on the template's text, the environment, Jinja's and Python's
    versions. Only a folder that exists is used."""
    _COMPILED[:] = [Path(folder)]


def _compiled(env: jinja2.Environment, text: str) -> CodeType:
    path = None
    which = {id(_ENV): "markdown", id(_TEXT_ENV): "text"}.get(id(env))
    if which is not None and _COMPILED and _COMPILED[0].is_dir():
        key = "\0".join((sys.version, jinja2.__version__, which, text))
        path = _COMPILED[0] / f"{hashlib.sha256(key.encode()).hexdigest()}.jinja"
        try:
            code = marshal.loads(path.read_bytes())
            if isinstance(code, CodeType):
                return code
        except (OSError, ValueError, EOFError, TypeError):
            pass  # not there yet, or not a whole file: compile it
    code = env.compile(text)
    if path is not None:
        with contextlib.suppress(OSError):
            write_atomic(path, marshal.dumps(code))
    return code


def render(
    source: str, slots: dict[str, Any], chapter: str = "", *, env: jinja2.Environment = _ENV
) -> str:
    """One markdown cell filled with ``slots`` (a number the template writes, «1 000», keeps
    its digits together with a no-break space)."""
    try:
        return _template(env, source).render(**slots).strip()
    except jinja2.UndefinedError as exc:
        raise ChapterTextError(
            f"kapittelet {chapter}: teksten bruker en verdi ingen kodecelle over den fyller "
            f"({exc.message}); fyll den med r.say(...)"
        ) from None
    except jinja2.TemplateError as exc:
        raise ChapterTextError(f"kapittelet {chapter}: feil i tekstmalen ({exc})") from None
    except ChapterTextError as exc:
        raise ChapterTextError(f"kapittelet {chapter}: {exc}") from None


#: A macro a template cell defines: later cells may call it.
_MACRO = re.compile(r"\{%-?\s*macro\b.*?\{%-?\s*endmacro\s*-?%\}\n?", re.S)


def macros_in(source: str) -> str:
    """The macro definitions of a template cell, which the cells below it are lent."""
    return "\n".join(_MACRO.findall(source))


#: The metadata of a markdown cell that is the note under the table or figure above it
#: (in the chapter: ``+++ {"navbok": "note"}`` before the paragraph).
NOTE = "note"


def _html_of(output: Any) -> str | None:
    data = output.get("data", {})
    html_text = data.get("text/html")
    if html_text is None:
        return None
    return "".join(html_text) if isinstance(html_text, list) else str(html_text)


def _add_note(cell: Any, note: str) -> bool:  # False: no table to put it under
    """Put ``note`` (paragraphs of text) at the notes mark of ``cell``'s last HTML output with
    one (code cells that follow each other run as one cell: the last output is the table just
    above the note)."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", note) if p.strip()]
    block = "".join(f'<p class="navbok-note">{html.escape(p)}</p>' for p in paragraphs)
    for output in reversed(cell.get("outputs", [])):
        text = _html_of(output)
        if text is not None:
            if NOTES_MARK not in text:
                return False
            output["data"]["text/html"] = text.replace(NOTES_MARK, block + NOTES_MARK, 1)
            return True
    return False


def _drop_marks(cell: Any) -> None:
    for output in cell.get("outputs", []):
        text = _html_of(output)
        if text is not None and NOTES_MARK in text:
            output["data"]["text/html"] = text.replace(NOTES_MARK, "")


def fill_notebook(
    nb: nbformat.NotebookNode, chapter: str = "", *, notes_inline: bool = False
) -> nbformat.NotebookNode:
    """Fill every template markdown cell with the slots of the code cells above it, drop the
    slot outputs and the cells that render to nothing (in place; returns ``nb``).

    A cell that only defines macros (``{% macro x() %}…{% endmacro %}``) lends them to every
    template below it. A markdown cell marked as a note (metadata ``navbok: note``) is text
    put under the table of the code cell just above it (its notes mark); when that cell draws
    no table for this municipality (nothing, or a notice where the table would have been), the
    note goes with it; under a cell that only says slots, or with no cell above, the build
    stops. With
    ``notes_inline`` (tests that run a chapter without outputs) a note stays a paragraph."""
    slots: dict[str, Any] = {}
    macros = ""
    kept: list[Any] = []
    last_code: Any = None
    last_said = False
    for cell in nb.cells:
        if cell.cell_type == "code":
            outputs = []
            last_said = False
            for out in cell.get("outputs", []):
                data = out.get("data", {}) if out.get("output_type") == "display_data" else {}
                if SLOTS_MIME in data:
                    slots.update({k: _decode(v) for k, v in data[SLOTS_MIME].items()})
                    last_said = True
                else:
                    outputs.append(out)
            cell.outputs = outputs
            last_code = cell
        elif cell.cell_type == "markdown" and cell.metadata.get("navbok") == NOTE:
            env = _ENV if notes_inline else _TEXT_ENV
            note = render(macros + cell.source, slots, chapter, env=env)
            if notes_inline:
                cell.source = note
            else:
                misplaced = last_code is None or (not last_code.outputs and last_said)
                if note and not misplaced:
                    _add_note(last_code, note)
                elif note:
                    raise ChapterTextError(
                        f"kapittelet {chapter}: en merknad (navbok: note) må stå rett under "
                        "cellen med tabellen den hører til"
                    )
                continue  # under its table, or none (the table is not drawn for this book)
        elif cell.cell_type == "markdown" and is_template(cell.source):
            source = cell.source
            cell.source = render(macros + source, slots, chapter)
            macros += macros_in(source)
            if not cell.source:
                continue
        kept.append(cell)
    for cell in kept:
        if cell.cell_type == "code":
            _drop_marks(cell)
    nb.cells = kept
    return nb
