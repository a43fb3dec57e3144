"""The render process of a build (``--renderer worker``): renders staged books in one
long-lived Python process.

Started by :class:`navbok.builder.render.Renderer` as ``python -m navbok.builder.render_worker``.
It reads one JSON request per line on stdin (``{"stage": ..., "out": ...}``), renders the
book with :func:`navbok.builder.render.render_timed` (Sphinx in this process,
:func:`navbok.builder.render.sphinx_build`, with the speed-ups of :mod:`navbok.builder.speedups`)
and answers one JSON line on stdout: ``{"page": ..., "seconds": ...}`` or ``{"error": ...}``.
A separate process has its own interpreter lock, so rendering does not compete with the build
process's papermill clients.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> None:
    """Serve render requests until stdin closes."""
    replies = sys.stdout
    sys.stdout = sys.stderr  # whatever a library prints must not mix with the replies
    from navbok.builder.render import import_renderer, render_timed, sphinx_build
    from navbok.errors import NavbokError

    import_renderer()
    replies.write(json.dumps({"ready": True}) + "\n")
    replies.flush()
    for line in sys.stdin:
        job = json.loads(line)
        try:
            page, seconds = render_timed(Path(job["stage"]), Path(job["out"]), sphinx_build)
            reply: dict[str, object] = {"page": str(page), "seconds": seconds}
        except Exception as exc:  # reported to the build, which decides
            reply = {"error": str(exc) if isinstance(exc, NavbokError) else repr(exc)}
        replies.write(json.dumps(reply) + "\n")
        replies.flush()


if __name__ == "__main__":
    main()
