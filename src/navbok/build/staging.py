"""Chapter sources: MyST Markdown notebooks (jupytext's ``myst`` format) in ``chapters/``.

A chapter is text: headings and prose in Markdown, code in ``{code-cell}`` blocks, the first of
them tagged ``parameters``. Papermill executes notebooks, so before a chapter runs its text is
turned into a notebook (:func:`to_notebook`) and staged as an ``.ipynb`` in the build folder
(:func:`stage`), never next to the source. The conversion is deterministic: cell ids come from
the cell's position, and nothing else varies, so the same text gives the same bytes.

A chapter may be text alone (no ``{code-cell}``, no parameters cell, e.g. the glossary): it
costs no kernel run, its staged notebook is the executed one (:func:`has_code`, :func:`copy`).
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path, PurePosixPath

import nbformat

FORMAT = "md:myst"
STAGED_SUFFIX = ".ipynb"
_LOCK = threading.Lock()


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
        tmp = dest.with_name(f"{dest.name}.{os.getpid()}.tmp")
        tmp.write_text(data, "utf-8")
        tmp.replace(dest)
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
    tmp = dest.with_name(f"{dest.name}.{os.getpid()}.tmp")
    tmp.write_bytes(Path(src).read_bytes())
    tmp.replace(dest)
    return dest
