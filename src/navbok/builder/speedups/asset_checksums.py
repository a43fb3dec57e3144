"""An asset's checksum computed once per render, not once per page.

Replaces ``_file_checksum`` as ``sphinx.builders.html`` uses it (the ``?v=…`` Sphinx adds to
every stylesheet and script link, a CRC32 of the file in the output folder). For every page of
a book Sphinx reads each of the ≈ 20 files again (pydata-sphinx-theme's bundles, the book's
Vega bundle) to compute the same number: ≈ 10 ms a book. Inside a render the checksum is kept
for the rest of that render, per file and its size and modification time.

Why the pages are identical: within one render no asset is written again after its first page
(Sphinx copies them before it writes pages), so the same file has the same bytes; a file that
is missing is asked again each time (the original says '' and is not remembered), and a file
whose size or modification time changed is read again. A new render starts with nothing
remembered (:func:`navbok.builder.speedups.scope.render_number`).
"""

from __future__ import annotations

import functools
import os
from collections import Counter
from typing import Any

from navbok.builder.speedups import scope

NAME = "ressurs-sjekksummer"
TESTED = {"sphinx": "7.4.7"}
HITS: Counter[str] = Counter()  # "checksum": checksums not computed again
_MEMO: dict[tuple[Any, ...], str] = {}
_INSTALLED = False


def install() -> None:
    """Patch the name ``_file_checksum`` in ``sphinx.builders.html`` (once)."""
    global _INSTALLED
    if _INSTALLED:
        return
    import sphinx.builders.html as html

    original = html._file_checksum

    @functools.wraps(original)
    def checksum(outdir: Any, filename: Any) -> str:
        if not scope.in_render():
            return original(outdir, filename)
        name = os.fspath(filename)
        if "://" in name or "?" in name:
            return original(outdir, filename)  # no file to read, or the theme error
        path = os.path.join(os.fspath(outdir), name)
        try:
            st = os.stat(path)
        except OSError:
            return original(outdir, filename)
        key = (scope.render_number(), path, st.st_size, st.st_mtime_ns)
        found = _MEMO.get(key)
        if found is not None:
            HITS["checksum"] += 1
            return found
        if len(_MEMO) > 512:
            _MEMO.clear()
        value = _MEMO[key] = original(outdir, filename)
        return value

    html._file_checksum = checksum
    _INSTALLED = True
