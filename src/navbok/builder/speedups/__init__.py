"""Fenced speed-ups: patches of third-party libraries' internals that change only the time.

A national build renders every municipality's book in one long-lived render process and
drives hundreds of chapter runs from one build process, so whatever a library redoes from
scratch each time is paid hundreds of times. The modules of this package each replace one
library function, in this process only, keeping exactly the result the original gives (each
module's docstring says what it replaces and why the result is identical):

* :mod:`~navbok.builder.speedups.jinja_templates`: compiled Jinja templates kept for the process;
* :mod:`~navbok.builder.speedups.search_stemmer`: the Norwegian search stemmer memoised;
* :mod:`~navbok.builder.speedups.toctree_collector`: sphinx-external-toc's collector switch
  without ``gc.get_objects()``;
* :mod:`~navbok.builder.speedups.theme_entry_points`: the theme entry points scanned once;
* :mod:`~navbok.builder.speedups.docutils_defaults`: docutils' default settings computed once;
* :mod:`~navbok.builder.speedups.nonempty_templates`: theme templates that begin with fixed
  markup not rendered once more per page to see whether they are empty;
* :mod:`~navbok.builder.speedups.notebook_validation`: MyST-NB's reading and writing of an
  executed notebook do not validate it again;
* :mod:`~navbok.builder.speedups.executed_copy`: MyST-NB's copy of every executed notebook
  into ``jupyter_execute/`` (outside the book, read by nothing) not written;
* :mod:`~navbok.builder.speedups.asset_checksums`: the ``?v=`` checksum of a stylesheet or
  script computed once per render instead of once per page;
* :mod:`~navbok.builder.speedups.static_links`: the themes' static files hard-linked into a
  book from the installed packages instead of copied;
* :mod:`~navbok.builder.speedups.gc_freeze`: the render process's long-lived objects frozen
  after the first render;
* :mod:`~navbok.builder.speedups.output_validation`: warm-kernel outputs validated with the
  whole notebook;
* :mod:`~navbok.builder.speedups.papermill_write`: papermill's own writes of an executed
  notebook handed to navbok, which writes it once;
* :mod:`~navbok.builder.speedups.papermill_dates`: papermill's cell durations computed
  without dateutil's general parser;
* :mod:`~navbok.builder.speedups.kernel_flush`: in the warm kernels, a flush of an empty output
  stream returns at once (installed by the kernels' start-up code, :func:`install_kernel`);
* :mod:`~navbok.builder.speedups.kernel_requests`: in the warm kernels, ipykernel's per-request
  signature check memoised and its dropped debug records not made;
* :mod:`~navbok.builder.speedups.kernel_cells`: in the warm kernels, IPython's static reading
  of a cell's text (input transformations, the top-level ``await`` check) done once per text.

Each is fenced (:mod:`~navbok.builder.speedups.fence`): installed only when the installed
library versions are exactly the tested ones, else the build runs on the library's own code
and says so once per process on stderr. The render patches act only in the thread that is
inside :func:`active` (:mod:`~navbok.builder.speedups.scope`), are installed once and are
idempotent.

Not changed: the templates pydata-sphinx-theme renders to test for emptiness whose output
depends on the page (those without fixed text at their top level).

``tests/test_render_cache.py`` checks that two consecutive renders give byte-identical HTML,
equal to a render with the patches switched off, that the second compiles no template, that
exactly the new application's collector is disabled, that the patches are installed once
and inert outside a render, and that the freeze happens once; ``tests/test_speedups.py``
checks the fence; ``tests/test_builder_fast.py`` compares with the ``jupyter-book`` CLI.
``bench/render_bench.py`` measures the CPU time per render.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from navbok.builder.speedups import (
    asset_checksums,
    docutils_defaults,
    executed_copy,
    gc_freeze,
    jinja_templates,
    kernel_cells,
    kernel_flush,
    kernel_requests,
    nonempty_templates,
    notebook_validation,
    output_validation,
    papermill_dates,
    papermill_write,
    scope,
    search_stemmer,
    static_links,
    theme_entry_points,
    toctree_collector,
)
from navbok.builder.speedups.fence import Patch, install

RENDER: tuple[Patch, ...] = (
    jinja_templates,
    search_stemmer,
    toctree_collector,
    theme_entry_points,
    docutils_defaults,
    static_links,
    nonempty_templates,
    notebook_validation,
    executed_copy,
    asset_checksums,
)
ALL: tuple[Patch, ...] = (
    *RENDER,
    gc_freeze,
    output_validation,
    papermill_write,
    papermill_dates,
    kernel_flush,
    kernel_requests,
    kernel_cells,
)

__all__ = [
    "ALL",
    "RENDER",
    "active",
    "freeze_long_lived",
    "install",
    "install_kernel",
    "install_render",
]


def install_kernel() -> None:
    """In a warm kernel: install the kernel patches whose tested versions are installed. A
    patch left off is reported on the kernel process's own stderr (the kernel's
    ``sys.stderr`` would send the line to a notebook nobody reads)."""
    with contextlib.redirect_stderr(sys.__stderr__):
        install(kernel_flush)
        install(kernel_requests)
        install(kernel_cells)


def install_render() -> None:
    """Install the render patches whose tested versions are installed (decided once)."""
    for patch in RENDER:
        install(patch)


@contextmanager
def active() -> Iterator[None]:
    """Install the render patches (once) and switch them on for this thread while the block
    runs (one render at a time: the caller holds a lock)."""
    install_render()
    with scope.rendering():
        yield


def freeze_long_lived() -> None:
    """After a render: freeze the process's long-lived objects (once; see ``gc_freeze``)."""
    install(gc_freeze)
