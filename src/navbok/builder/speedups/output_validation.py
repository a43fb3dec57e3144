"""Outputs of warm-kernel runs validated with the whole notebook, not one node at a time.

Replaces ``nbformat.v4.nbbase.validate``. nbclient builds every output with
``nbformat.v4.output_from_msg``, which validates the node against its sub-schema with
``jsonschema`` (a sub-schema cannot use the fast validator): a fifth of the CPU the build
process spent driving the kernels. The replacement skips that check in a thread that is
inside :func:`deferred` (the warm engine's client wraps its ``output()`` in it, see
:mod:`navbok.builder.engine`); everywhere else ``validate`` is the original.

Why the result is identical: :func:`navbok.builder.engine.finish_notebook` validates the whole
executed notebook, outputs included, with the fast validator before it is written, so an
invalid output still fails the chapter, and a valid one is written unchanged (validation
does not change a node).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

NAME = "utdata-validering"
TESTED = {"nbformat": "5.11.1", "nbclient": "0.11.0"}
_UNVALIDATED = threading.local()
_INSTALLED = False


def skipping() -> bool:
    """True in a thread inside :func:`deferred`."""
    return getattr(_UNVALIDATED, "on", False)


@contextmanager
def deferred() -> Iterator[None]:
    """Skip validating single output nodes in this thread while the block runs (when
    installed; otherwise nothing changes)."""
    _UNVALIDATED.on = True
    try:
        yield
    finally:
        _UNVALIDATED.on = False


def install() -> None:
    """Patch ``nbformat.v4.nbbase.validate`` (once)."""
    global _INSTALLED
    if _INSTALLED:
        return
    import nbformat.v4.nbbase as nbbase

    original = nbbase.validate

    def validate(node: Any, ref: str | None = None) -> Any:
        if skipping():
            return None
        return original(node, ref=ref)

    validate.__wrapped__ = original  # type: ignore[attr-defined]
    nbbase.validate = validate
    _INSTALLED = True
