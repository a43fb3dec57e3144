"""The fence around the speed-ups: a patch is installed only on the versions it was tested with.

Every speed-up in this package replaces something inside a third-party library. Each module
declares the exact versions it was tested with (``TESTED``, distribution name → version) and an
``install()``. :func:`install` installs a patch only when every one of those distributions is
installed in exactly that version; otherwise the build runs with the library's own code and
says so once per process, in one line on stderr naming the patch and the difference:

    navbok: hurtigtiltaket «jinja-maler» er slått av: sphinx 8.2.0 er installert, testet med 7.4.7

After upgrading a library: run ``tests/test_render_cache.py`` and ``tests/test_builder_fast.py``
(the pages must stay identical), read the patched library code again, then update ``TESTED``.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Mapping
from importlib import metadata
from typing import Protocol


class Patch(Protocol):
    """What a speed-up module declares (the modules of this package satisfy it)."""

    @property
    def NAME(self) -> str:  # a module constant
        """Short Norwegian name, used in the message."""

    @property
    def TESTED(self) -> Mapping[str, str]:  # a module constant
        """Distribution → the exact version the patch was tested with."""

    def install(self) -> None:
        """Patch the library (idempotent)."""


_DECIDED: dict[str, bool] = {}  # patch name → installed (decided once per process)
_LOCK = threading.Lock()


def installed_version(dist: str) -> str | None:
    """The installed version of the distribution ``dist`` (None: not installed)."""
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def differences(patch: Patch) -> list[str]:
    """How the installed versions differ from the patch's ``TESTED`` (empty: they do not)."""
    out = []
    for dist, tested in sorted(patch.TESTED.items()):
        have = installed_version(dist)
        if have != tested:
            what = "er ikke installert" if have is None else f"{have} er installert"
            out.append(f"{dist} {what}, testet med {tested}")
    return out


def install(patch: Patch) -> bool:
    """Install ``patch`` if the installed versions are the tested ones; say so once if not.

    Decided once per process (the first call); returns whether the patch is installed.
    """
    with _LOCK:
        decided = _DECIDED.get(patch.NAME)
        if decided is not None:
            return decided
        diff = differences(patch)
        if diff:
            sys.stderr.write(
                f"navbok: hurtigtiltaket «{patch.NAME}» er slått av: {'; '.join(diff)}\n"
            )
            sys.stderr.flush()
        else:
            patch.install()
        _DECIDED[patch.NAME] = not diff
        return not diff
