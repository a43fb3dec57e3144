"""The html theme entry points, scanned once per process.

Replaces ``sphinx.theming.entry_points`` (``importlib.metadata.entry_points`` as Sphinx's
theme factory imported it). The factory scans every installed distribution's metadata for
``sphinx.html_themes`` on each build (≈ 7 ms); the first scan of a group is kept.

Why the pages are identical: the installed packages do not change during a run, so every scan
finds the same entry points.
"""

from __future__ import annotations

import functools
from collections import Counter
from typing import Any

from navbok.builder.speedups import scope

NAME = "tema-oppslag"
TESTED = {"sphinx": "7.4.7"}
HITS: Counter[str] = Counter()  # "entry_points": scans answered from the memo
_INSTALLED = False


def install() -> None:
    """Patch ``sphinx.theming.entry_points`` (once)."""
    global _INSTALLED
    if _INSTALLED:
        return
    import sphinx.theming

    original_entry_points = sphinx.theming.entry_points
    scanned: dict[str, Any] = {}

    @functools.wraps(original_entry_points)
    def entry_points(**params: Any) -> Any:
        if not (scope.in_render() and list(params) == ["group"]):
            return original_entry_points(**params)
        group = params["group"]
        if group in scanned:
            HITS["entry_points"] += 1
        else:
            scanned[group] = original_entry_points(group=group)
        return scanned[group]

    sphinx.theming.entry_points = entry_points
    _INSTALLED = True
