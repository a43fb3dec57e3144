"""In a render, MyST-NB's reading and writing of a notebook do not validate it again.

Replaces ``nbformat.validate`` as ``nbformat.reads`` and ``nbformat.writes`` call it (the name
in ``nbformat``'s own module), inside a render only (:mod:`navbok.builder.speedups.scope`).
MyST-NB reads every executed notebook (``nbformat.reads``) and writes a copy of it into
``jupyter_execute/`` (``nbformat.writes``); each validates the whole notebook against the
schema again, ≈ 25 ms a book.

Why the book is identical: there ``validate`` only logs — ``reads`` and ``writes`` catch its
``ValidationError`` and go on with the same notebook — and gives cells missing or repeated ids
new ones; every notebook a render reads was validated, ids included, when navbok wrote it
(:func:`navbok.builder.engine.finish_notebook`; the staged chapters without code in
:func:`navbok.builder.staging.to_notebook`), so there is nothing to log or to repair. Outside
a render (the build process's own validation included) ``validate`` is the original.
"""

from __future__ import annotations

import functools
from typing import Any

from navbok.builder.speedups import scope

NAME = "notatbok-validering"
TESTED = {"nbformat": "5.11.1", "myst-nb": "1.4.0"}
_INSTALLED = False


def install() -> None:
    """Patch the name ``validate`` in ``nbformat`` (once)."""
    global _INSTALLED
    if _INSTALLED:
        return
    import nbformat

    original = nbformat.validate

    @functools.wraps(original)
    def validate(*args: Any, **kwargs: Any) -> Any:
        if scope.in_render():
            return None
        return original(*args, **kwargs)

    nbformat.validate = validate
    _INSTALLED = True
