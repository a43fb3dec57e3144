"""Chapter sources: MyST Markdown notebooks (jupytext's ``myst`` format) in ``chapters/``.

A chapter is text: headings and prose in Markdown, code in ``{code-cell}`` blocks, the first of
them tagged ``parameters``. Papermill executes notebooks, so before a chapter runs its text is
turned into a notebook (:func:`to_notebook`) and staged as an ``.ipynb`` in the build folder
(:func:`stage`), never next to the source. The conversion is deterministic: cell ids come from
the cell's position, and nothing else varies, so the same text gives the same bytes.

Code cells that follow each other with no text between them run as one cell
(:func:`merge_code_runs`): the page is the same (every code cell is hidden; each part's result
is shown as its own output, in order), and a chapter costs half the kernel round trips (every
cell run is ≈ 6 ms of kernel and client time, whatever it computes).

A chapter may be text alone (no ``{code-cell}``, no parameters cell, e.g. the glossary): it
costs no kernel run, its staged notebook is the executed one (:func:`has_code`, :func:`copy`).
"""

from __future__ import annotations

import ast
import json
import threading
from pathlib import Path, PurePosixPath

import nbformat

from navbok.files import write_atomic
from navbok.present.chapter_text import NOTE

FORMAT = "md:myst"
STAGED_SUFFIX = ".ipynb"
_LOCK = threading.Lock()


#: The line that joins two code cells in a merged cell (:func:`merge_code_runs`).
JOIN = "# (neste kodecelle i kapittelteksten)"
_SHOW = '__import__("sys").displayhook'


def _shown(source: str) -> str | None:
    """``source`` with its last expression passed to ``sys.displayhook``, as IPython does
    with a cell's last expression (so the value is an output, ``None`` is not); ``source``
    itself when it does not end in an expression; None when it is not plain Python (a magic)
    or its output is silenced with a trailing ``;`` (left alone, not merged)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return source
    if source.rstrip().endswith(";"):
        return None
    last = tree.body[-1]
    lines = source.splitlines()
    head = lines[: last.lineno - 1]
    first = lines[last.lineno - 1]
    body = "\n".join(lines[last.lineno - 1 : last.end_lineno])
    indent = first[: len(first) - len(first.lstrip())]
    segment = ast.get_source_segment(source, last.value)
    if segment is None or indent or last.value.lineno != last.lineno:
        return None
    if body.strip() != segment.strip() or any(ln.strip() for ln in lines[last.end_lineno :]):
        return None  # a comment or more on the expression's lines: not rewritten
    return "\n".join([*head, f"{_SHOW}({segment})"])


def merge_code_runs(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Join code cells that follow each other (no Markdown between) into one cell.

    Each part but the last hands its last expression to ``sys.displayhook`` (what IPython
    does with a cell's last expression), so the outputs are those of the separate cells, in
    the same order. Tagged cells (the parameters) and cells that are not plain Python stay
    as they are, and so does a cell with a note under it (``navbok: note``,
    :mod:`navbok.present.chapter_text`): the note belongs to that cell's table alone."""
    cells: list[nbformat.NotebookNode] = []
    for i, cell in enumerate(nb.cells):
        prev = cells[-1] if cells else None
        after = nb.cells[i + 1] if i + 1 < len(nb.cells) else None
        if (
            prev is not None
            and cell.cell_type == "code"
            and prev.cell_type == "code"
            and not cell.metadata.get("tags")
            and not prev.metadata.get("tags")
            and not (after is not None and after.metadata.get("navbok") == NOTE)
        ):
            shown = _shown(prev.source)
            if shown is not None and _shown(cell.source) is not None:
                prev.source = f"{shown}\n{JOIN}\n{cell.source}"
                continue
        cells.append(cell)
    nb.cells = cells
    return nb


def staged_name(rel: str) -> str:
    """The staged (and executed) notebook's path for the chapter source ``rel``."""
    return PurePosixPath(rel).with_suffix(STAGED_SUFFIX).as_posix()


def to_notebook(text: str) -> nbformat.NotebookNode:
    """The notebook of a chapter's MyST Markdown text, with ids ``cell-0``, ``cell-1``, …"""
    import jupytext

    nb = jupytext.reads(text, fmt=FORMAT)
    nb.metadata.pop("jupytext", None)
    nb.metadata.setdefault(
        "kernelspec", {"display_name": "Python 3", "language": "python", "name": "python3"}
    )
    nb.metadata.setdefault("language_info", {"name": "python"})
    nb.nbformat, nb.nbformat_minor = 4, 5
    merge_code_runs(nb)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
    nbformat.validate(nb)
    return nb


def read(path: Path) -> nbformat.NotebookNode:
    """The notebook of the chapter source at ``path``."""
    return to_notebook(Path(path).read_text("utf-8"))


def stage(src: Path, dest: Path) -> Path:
    """Write the notebook of ``src`` to ``dest`` (atomically; kept when already the same)."""
    data = nbformat.writes(read(src))
    dest = Path(dest)
    with _LOCK:
        try:
            if dest.read_text("utf-8") == data:
                return dest
        except OSError:
            pass
        dest.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(dest, data)
    return dest


def has_code(path: Path) -> bool:
    """Whether the staged notebook at ``path`` has a code cell (else it is not executed)."""
    nb = json.loads(Path(path).read_text("utf-8"))
    return any(cell.get("cell_type") == "code" for cell in nb.get("cells", []))


def copy(src: Path, dest: Path) -> Path:
    """Write the staged notebook ``src`` of a chapter without code to ``dest`` as it is: its
    executed notebook (atomically)."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(dest, Path(src).read_bytes())
