"""Where the render speed-ups apply: only in the thread that is inside a render.

The render patches (:data:`navbok.builder.speedups.RENDER`) check :func:`in_render` and
otherwise call the library's original, so other Sphinx use in the process (tests, tools) sees
the libraries unchanged. ``tests/test_render_cache.py`` replaces
:func:`in_render` by ``lambda: False`` to render with every library's own code.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

_ACTIVE: int | None = None  # thread ident of the render in progress
_RENDERS = 0  # renders begun in this process


def in_render() -> bool:
    """True in the thread that is inside :func:`rendering`."""
    return _ACTIVE is not None and threading.get_ident() == _ACTIVE


def render_number() -> int:
    """How many renders this process has begun (the current one's number inside a render):
    a memo that may hold only within one render keys on it."""
    return _RENDERS


@contextmanager
def rendering() -> Iterator[None]:
    """Switch the render speed-ups on for this thread while the block runs.

    The caller makes sure only one render runs at a time (:mod:`navbok.builder.render` holds a
    lock): docutils and Sphinx keep global state."""
    global _ACTIVE, _RENDERS
    _ACTIVE = threading.get_ident()
    _RENDERS += 1
    try:
        yield
    finally:
        _ACTIVE = None
