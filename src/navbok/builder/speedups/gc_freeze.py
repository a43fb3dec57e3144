"""The render process's long-lived objects, moved out of the cyclic garbage collector's reach.

Every build leaves its Sphinx application, environment and doctrees behind as cyclic garbage,
which only a full collection frees; Python runs one whenever the objects promoted to the
oldest generation reach a quarter of it, here about every second build, and each scans
*every* tracked object of the process — ≈ 150 000 after the imports of Sphinx, the theme and
the extensions — which took ≈ 0.12 s, i.e. ≈ 0.06 s per book on average. So after the first
render (the imports done, Sphinx's own process-wide caches filled) :func:`install` runs
``gc.collect()`` and then ``gc.freeze()``, once per process: the objects alive at that moment
move to the permanent generation that collections skip; full collections then scan only what
was created since and cost ≈ 0.03 s.

Why the pages are identical: pages do not depend on when garbage is collected. The price is
memory only: an object that was alive at that moment and later becomes part of unreachable
*cycles* is not reclaimed — a bounded, one-time amount (what the process held then), not a
growth per book. Objects created later are collected as before.

It replaces no library code, so it depends on no library version (``TESTED`` is empty).
"""

from __future__ import annotations

import gc

NAME = "gc-frysing"
TESTED: dict[str, str] = {}
_FROZEN = False


def frozen() -> bool:
    """Whether this process froze its long-lived objects."""
    return _FROZEN


def install() -> None:
    """Collect, then freeze every live object (once per process)."""
    global _FROZEN
    if _FROZEN:
        return
    _FROZEN = True
    gc.collect()
    gc.freeze()
