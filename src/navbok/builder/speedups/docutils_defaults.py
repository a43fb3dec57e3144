"""docutils' default settings, computed once per set of components.

Replaces ``docutils.frontend.get_default_settings``. myst-parser builds a docutils option
parser for a throw-away document twice per page (≈ 0.8 ms each). The defaults for the same
component classes are computed once, and each call gets a deep copy.

Why the pages are identical: the defaults are a function of the component classes only, and
each caller gets a fresh ``Values`` equal to what the original returns (changing it changes
no other caller's).
"""

from __future__ import annotations

import copy
import functools
from collections import Counter
from typing import Any

from navbok.builder.speedups import scope

NAME = "docutils-standardverdier"
TESTED = {"docutils": "0.21.2", "myst-parser": "3.0.1"}
HITS: Counter[str] = Counter()  # "default_settings": calls answered from the memo
_INSTALLED = False


def install() -> None:
    """Patch ``docutils.frontend.get_default_settings`` (once)."""
    global _INSTALLED
    if _INSTALLED:
        return
    import docutils.frontend

    original_defaults = docutils.frontend.get_default_settings
    defaults: dict[tuple, Any] = {}

    @functools.wraps(original_defaults)
    def get_default_settings(*components: Any) -> Any:
        if not (scope.in_render() and all(isinstance(c, type) for c in components)):
            return original_defaults(*components)
        if components in defaults:
            HITS["default_settings"] += 1
        else:
            defaults[components] = original_defaults(*components)
        return copy.deepcopy(defaults[components])  # a fresh Values, as the original's

    docutils.frontend.get_default_settings = get_default_settings
    _INSTALLED = True
