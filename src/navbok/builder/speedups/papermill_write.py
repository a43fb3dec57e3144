"""papermill's own writes of the executed notebook handed to navbok, which writes it once.

``papermill.execute.execute_notebook`` ends with ``write_ipynb(nb, output_path)``: it serialises
the whole executed notebook (``nbformat.writes``: a deep copy, line splitting, validation,
JSON, ≈ 5 ms a chapter) and writes it; navbok then fills the chapter's text into that notebook
and writes it again (:func:`navbok.builder.engine.finish_notebook`). Inside :func:`kept`, the
writes papermill's ``execute`` module makes of that one path are recorded instead of made.

Why the result is identical: the final write's notebook is the one ``execute_notebook``
returns, which navbok writes to the same path after filling it (as it overwrote papermill's
file before); the write papermill makes just before it raises ``PapermillExecutionError`` (the
notebook with the failing cell marked) is made by the caller on that path, with the same
``nbformat.writes`` text (:func:`navbok.builder.engine._execute`). Other paths, other modules'
writes (the engines' saves after each cell) and other threads are untouched.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

NAME = "papermill-skriving"
TESTED = {"papermill": "2.7.0"}
_KEPT = threading.local()
_INSTALLED = False


@dataclass
class Kept:
    """The notebook papermill last wanted written to the kept path (None: none, or the
    speed-up is not installed and papermill wrote it)."""

    nb: Any = None


@contextmanager
def kept(path: str) -> Iterator[Kept]:
    """While the block runs in this thread, papermill's ``execute`` module records its writes
    of ``path`` in the yielded :class:`Kept` instead of writing them (when installed)."""
    holder = Kept()
    _KEPT.state = (path, holder)
    try:
        yield holder
    finally:
        _KEPT.state = None


def install() -> None:
    """Patch ``papermill.execute.write_ipynb`` (once)."""
    global _INSTALLED
    if _INSTALLED:
        return
    import papermill.execute as execute

    original = execute.write_ipynb

    def write_ipynb(nb: Any, path: Any) -> Any:
        state = getattr(_KEPT, "state", None)
        if state is not None and path == state[0]:
            state[1].nb = nb
            return None
        return original(nb, path)

    write_ipynb.__wrapped__ = original  # type: ignore[attr-defined]
    execute.write_ipynb = write_ipynb
    _INSTALLED = True
