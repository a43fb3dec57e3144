"""In the warm kernels: what ipykernel redoes for every cell, done once.

For every execute request ipykernel 7.4

* asks ``inspect.signature`` whether the shell's ``run_cell`` takes ``cell_id`` and
  ``cell_meta`` (``ipykernel.ipkernel._accepts_parameters``), and
* creates a log record for each of several ``self.log.debug(...)`` calls: the kernel's logger
  (``IPKernelApp``) is set to DEBUG by traitlets while its only handler writes WARNING and up,
  so every record is made and then dropped.

Together ≈ 16 % of the kernel's own time per cell (a notebook of 70 trivial cells: 146 → 122 ms
of kernel CPU per run), ≈ 0.03 s per book.

Why the output is identical: a function's signature does not change while the process runs, so
the answer for the same function and names is the same (kept per function object: a patched
``run_cell`` is another function, asked again; each caller gets its own dict); and a record
below the level of every handler that would see it (the logger's and, while it propagates, its
ancestors') is dropped by each of them, so raising the logger's level to the lowest of those
levels changes nothing that is written. Installed by the kernels' start-up code
(:func:`navbok.builder.speedups.install_kernel`), in the kernel process only.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from typing import Any

NAME = "kjerne-forespørsler"
TESTED = {"ipykernel": "7.4.0"}
_INSTALLED = False


def _memoised(original: Callable[[Any, list[str]], dict[str, bool]]) -> Callable[..., Any]:
    @functools.lru_cache(maxsize=64)
    def answer(func: Any, names: tuple[str, ...]) -> tuple[tuple[str, bool], ...]:
        return tuple(original(func, list(names)).items())

    def accepts(meth: Any, param_names: Iterable[str]) -> dict[str, bool]:
        return dict(answer(getattr(meth, "__func__", meth), tuple(param_names)))

    accepts.__doc__ = original.__doc__
    return accepts


def lowest_handler_level(logger: logging.Logger) -> int | None:
    """The lowest level among the handlers a record of ``logger`` reaches (None: none)."""
    levels = []
    current: logging.Logger | None = logger
    while current is not None:
        levels += [h.level for h in current.handlers]
        current = current.parent if current.propagate else None
    return min(levels) if levels else None


def install() -> None:
    """Memoise ``_accepts_parameters`` and raise the kernel logger's level (once)."""
    global _INSTALLED
    if _INSTALLED:
        return
    import ipykernel.ipkernel as ipkernel
    from ipykernel.kernelapp import IPKernelApp

    ipkernel._accepts_parameters = _memoised(ipkernel._accepts_parameters)
    if IPKernelApp.initialized():
        log = IPKernelApp.instance().log
        if isinstance(log, logging.Logger):
            lowest = lowest_handler_level(log)
            if lowest is not None and lowest > log.getEffectiveLevel():
                log.setLevel(lowest)
    _INSTALLED = True
