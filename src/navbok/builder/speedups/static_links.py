"""The themes' static files linked into a book instead of copied.

Replaces ``copyfile`` as ``sphinx.util.fileutil`` uses it to copy asset files (the themes'
``static`` folders, ≈ 150 files and 7 MB a book: pydata-sphinx-theme's fonts, scripts, styles
and their source maps). Inside a render, a file that comes from the installed packages
(``site-packages``) and is not yet at the destination gets a hard link there, not a copy; the
national edition's 357 books then hold one copy of those files instead of 357 (≈ 2.5 GB less
on disk, and less system time writing them). Anything else — the book's own ``_static``,
templates (``*_t``, which Sphinx renders and writes), a destination that exists, another file
system (the link fails) — is copied by Sphinx's own ``copyfile``.

Why the pages are identical: a hard link is the same bytes under another name. The book's
folder is written afresh by every render (:func:`navbok.builder.render.render` starts from an
empty ``_build``), so no later write goes into a linked file; copying the site elsewhere
(``cp -r``, ``rsync``) copies the bytes.
"""

from __future__ import annotations

import functools
import os
import sysconfig
from collections import Counter
from pathlib import Path
from typing import Any

from navbok.builder.speedups import scope

NAME = "statiske-lenker"
# Sphinx's copying, and the packages whose static folders a book gets: none of them has a
# template (``x_t``, rendered and written as ``x``) beside a file ``x`` that would be linked
# (``tests/test_render_cache.py`` checks it for the installed versions).
TESTED = {
    "sphinx": "7.4.7",
    "pydata-sphinx-theme": "0.17.1",
    "sphinx-book-theme": "1.3.0",
    "sphinx-copybutton": "0.5.2",
    "sphinx-togglebutton": "0.4.5",
    "sphinx-design": "0.8.0",
    "myst-nb": "1.4.0",
}
HITS: Counter[str] = Counter()  # "linked": files linked instead of copied
_INSTALLED = False


@functools.cache
def _package_roots() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    roots = {os.path.realpath(paths[key]) for key in ("purelib", "platlib") if key in paths}
    return tuple(sorted(root + os.sep for root in roots))


@functools.lru_cache(maxsize=1024)
def _real(source: str) -> str:
    """``os.path.realpath`` of a file to copy (the same for a path while the process runs:
    installed packages do not move; ≈ 25 ms a book when resolved twice per file)."""
    return os.path.realpath(source)


def _from_packages(source: str) -> bool:
    return _real(source).startswith(_package_roots())


def install() -> None:
    """Patch ``sphinx.util.fileutil.copyfile`` (once)."""
    global _INSTALLED
    if _INSTALLED:
        return
    import sphinx.util.fileutil as fileutil

    original = fileutil.copyfile

    @functools.wraps(original)
    def copyfile(source: Any, dest: Any, **kwargs: Any) -> None:
        if scope.in_render() and not os.path.lexists(dest) and _from_packages(os.fspath(source)):
            try:
                os.link(_real(os.fspath(source)), dest)
            except OSError:
                pass
            else:
                HITS["linked"] += 1
                return
        original(source, dest, **kwargs)

    fileutil.copyfile = copyfile
    _INSTALLED = True


def linked(path: Path) -> bool:
    """Whether the file at ``path`` shares its bytes with another name (a hard link)."""
    return path.stat().st_nlink > 1
