"""A chapter's text for a report, without a kernel: its code cells run in this process with the
given :class:`~navbok.report.Report` and its templates filled as a build fills them
(:func:`navbok.present.chapter_text.fill_notebook`). For tests of the words a chapter says."""

from __future__ import annotations

import contextlib
import html
import io
import re
from pathlib import Path
from unittest import mock

import jupytext
import nbformat

from navbok.present import chapter_text
from navbok.report import Report

CHAPTERS = Path(__file__).resolve().parent.parent / "chapters"


def run_chapter(r: Report, chapter: str) -> nbformat.NotebookNode:
    """``chapters/<chapter>.md`` executed for ``r`` and filled (outputs are the slots only)."""
    nb = jupytext.read(CHAPTERS / f"{chapter}.md")
    said: list[dict] = []

    def capture(**values: object) -> None:
        said.append(chapter_text._Slots(values)._repr_mimebundle_())

    namespace: dict[str, object] = {}
    with (
        mock.patch.object(Report, "open", return_value=r),
        mock.patch.object(chapter_text, "say", capture),
        mock.patch("navbok.report.context.say", capture),
        contextlib.redirect_stdout(io.StringIO()),
    ):
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            said.clear()
            exec(compile(cell.source, f"{chapter}.md", "exec"), namespace)
            cell.outputs = [nbformat.v4.new_output("display_data", data=b) for b in said]
    return chapter_text.fill_notebook(nb, f"{chapter}.md", notes_inline=True)


def markdown(nb: nbformat.NotebookNode) -> str:
    """The filled markdown cells, one after the other."""
    return "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def meaning_box(nb: nbformat.NotebookNode) -> str:
    """The text of the chapter's «Hva betyr dette?» box, as one paragraph."""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "Hva betyr dette?" in cell.source:
            lines = cell.source.splitlines()[1:]
            body = [x for x in lines if not x.startswith((":", "```"))]
            return " ".join(" ".join(body).split())
    return ""


def render_cell(chapter: str, marker: str, **slots: object) -> str:
    """The first markdown cell of ``chapters/<chapter>.md`` whose template holds ``marker``,
    filled with ``slots`` (without running the chapter), as one paragraph without a
    directive's fence and options, escapes resolved: for tests of a chapter's sentences on
    constructed values."""
    nb = jupytext.read(CHAPTERS / f"{chapter}.md")
    macros = ""  # the macros the cells above define, as a build lends them
    for cell in nb.cells:
        if cell.cell_type == "markdown" and marker in cell.source:
            source = macros + cell.source
            text = chapter_text.render(source, {"navn": "", **slots}, chapter)
            lines = [x for x in text.splitlines() if not x.startswith((":", "```"))]
            text = html.unescape(re.sub(r"\\(.)", r"\1", " ".join(lines)))  # as a reader sees it
            return re.sub(r"[ \t\n]+", " ", text).strip()  # no-break spaces kept
        if cell.cell_type == "markdown":
            macros += chapter_text.macros_in(cell.source)
    raise AssertionError(f"{chapter}.md has no markdown cell with {marker!r}")
