"""sphinx-external-toc's built-in-collector switch without scanning every object of the process.

Replaces ``sphinx_external_toc.collectors.disable_builtin_toctree_collector``. The original
walks ``gc.get_objects()`` — every object of the process, many in a long-lived process that
holds the data — to find Sphinx's built-in ``TocTreeCollector`` and disconnect it. The
replacement looks for collectors among the new application's own event listeners.

Why the pages are identical: in a fresh process (the ``jupyter-book`` CLI) that is the same
set of collectors. In a long-lived one the original also finds the collectors of earlier
applications not yet garbage-collected and disconnects *their* listener ids from the new
application (whatever listeners of its own bear those ids by then), so the replacement is, if
anything, closer to the CLI.
"""

from __future__ import annotations

import functools
from typing import Any

from navbok.builder.speedups import scope

NAME = "innholdsfortegnelse-samler"
TESTED = {"sphinx": "7.4.7", "sphinx-external-toc": "1.1.0"}
_INSTALLED = False


def install() -> None:
    """Patch ``disable_builtin_toctree_collector`` (once)."""
    global _INSTALLED
    if _INSTALLED:
        return
    import sphinx_external_toc.collectors as toc_collectors
    from sphinx.environment.collectors.toctree import TocTreeCollector

    original_disable = toc_collectors.disable_builtin_toctree_collector

    @functools.wraps(original_disable)
    def disable_builtin_toctree_collector(app: Any) -> None:
        if not scope.in_render():
            return original_disable(app)
        found: list[TocTreeCollector] = []
        for listeners in app.events.listeners.values():
            for listener in listeners:
                owner = getattr(listener.handler, "__self__", None)
                if isinstance(owner, TocTreeCollector) and owner not in found:
                    found.append(owner)
        for collector in found:
            if collector.listener_ids is not None:
                collector.disable(app)
        return None

    toc_collectors.disable_builtin_toctree_collector = disable_builtin_toctree_collector
    _INSTALLED = True
