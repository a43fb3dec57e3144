"""In a render, MyST-NB does not write a copy of every notebook that nothing reads.

After parsing a notebook, MyST-NB's Sphinx parser (``myst_nb.sphinx_.Parser.parse``) turns it
back into JSON (``nbformat.writes``: a deep copy, then the JSON text) and writes that into the
build folder's ``jupyter_execute/`` — beside the HTML, not in it: ≈ 15 ms a book. Inside a
render, the name ``nbformat`` in that module is a stand-in whose ``writes`` returns an empty
marker instead, and ``NbElementRenderer.write_file`` leaves out exactly that marker's write.
Every other name of ``nbformat`` is the real module's; every other file MyST-NB writes (glue
data, images) is written as before; outside a render both are the originals.

Why the book is identical: the copy lands in ``_build/jupyter_execute/``, which
:func:`navbok.builder.render.render` does not move into the book (only ``_build/html``), no
page links to it (the theme's download button serves ``_sources/``), and nothing in the
render reads it back; the HTML is made from the notebook in memory, which is not changed.
"""

from __future__ import annotations

import functools
import types
from collections import Counter
from typing import Any

from navbok.builder.speedups import scope

NAME = "notatbok-kopi"
TESTED = {"myst-nb": "1.4.0", "nbformat": "5.11.1"}
HITS: Counter[str] = Counter()  # "skipped": copies not written
_INSTALLED = False


class _Unwritten(str):
    """What ``writes`` gives in a render: empty text whose encoding is :data:`UNWRITTEN`."""

    def encode(self, encoding: str = "utf-8", errors: str = "strict") -> bytes:
        return UNWRITTEN


class _UnwrittenBytes(bytes):
    """The marker content: ``write_file`` writes nothing for this very object."""


UNWRITTEN = _UnwrittenBytes()


def install() -> None:
    """Replace ``myst_nb.sphinx_.nbformat`` by the stand-in and wrap ``write_file`` (once)."""
    global _INSTALLED
    if _INSTALLED:
        return
    import nbformat
    from myst_nb import sphinx_
    from myst_nb.core.render import NbElementRenderer

    real_writes = nbformat.writes

    @functools.wraps(real_writes)
    def writes(nb: Any, *args: Any, **kwargs: Any) -> str:
        if scope.in_render():
            return _Unwritten()
        return real_writes(nb, *args, **kwargs)

    stand_in = types.ModuleType("nbformat")
    stand_in.writes = writes  # type: ignore[attr-defined]
    setattr(stand_in, "__getattr__", functools.partial(getattr, nbformat))  # noqa: B010
    sphinx_.nbformat = stand_in

    original = NbElementRenderer.write_file

    @functools.wraps(original)
    def write_file(self: Any, path: list[str], content: bytes, *args: Any, **kwargs: Any) -> str:
        if content is UNWRITTEN and scope.in_render():
            HITS["skipped"] += 1
            return ""
        return original(self, path, content, *args, **kwargs)

    NbElementRenderer.write_file = write_file
    _INSTALLED = True
