"""One build at a time per municipality: an exclusive lock on ``_build/<kommune>/build.lock``.

Two ``navbok build`` runs for the same municipality would write the same stage, ``build.json``
and HTML at once. The lock (``fcntl.flock``, released by the kernel when the holder's process
ends, so a killed build never leaves a stale lock) is held for the whole build of that
municipality. The holder writes its pid and start time into the file; a second build says who
holds it and waits, or with a timeout gives up with :class:`BuildLocked`.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from navbok.errors import NavbokError

LOCK_FILE = "build.lock"
POLL = 0.2


class BuildLocked(NavbokError):
    """Another process builds the same municipality, and the wait ran out."""


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text("utf-8"))
        return f"prosess {int(info['pid'])}, startet {info['started']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "en annen prosess"


class BuildLock:
    """Exclusive locks on several build folders, taken in sorted order (no deadlock)."""

    def __init__(self, folders: Iterable[Path]) -> None:
        self.folders = sorted({Path(f) for f in folders})
        self._held: list[int] = []

    def acquire(
        self, timeout: float | None = None, notify: Callable[[str], None] | None = None
    ) -> BuildLock:
        """Take every lock; wait for one held elsewhere (``notify`` says who holds it once).

        ``timeout``: seconds to wait in all (None: as long as it takes; 0: not at all).
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            for folder in self.folders:
                folder.mkdir(parents=True, exist_ok=True)
                path = folder / LOCK_FILE
                fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
                told = False
                while True:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        holder = _holder(path)
                        if deadline is not None and time.monotonic() >= deadline:
                            os.close(fd)
                            raise BuildLocked(
                                f"{folder} bygges allerede ({holder}); ga opp etter "
                                f"{timeout:g} s. Vent til den bygget er ferdig, og kjør igjen."
                            ) from None
                        if not told and notify is not None:
                            notify(f"{folder} bygges allerede ({holder}); venter på at den "
                                   "blir ferdig …")  # fmt: skip
                            told = True
                        time.sleep(POLL)
                self._held.append(fd)
                info = {
                    "pid": os.getpid(),
                    "started": datetime.now().astimezone().isoformat(timespec="seconds"),
                }
                os.ftruncate(fd, 0)
                os.pwrite(fd, json.dumps(info).encode(), 0)
        except BaseException:
            self.release()
            raise
        return self

    def release(self) -> None:
        while self._held:
            fd = self._held.pop()
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)

    def __enter__(self) -> BuildLock:
        return self if self._held else self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
