"""Who may read a snapshot and who may replace it: ``fcntl.flock`` locks beside the snapshot.

A build reads one snapshot from start to end: the build process and every chapter's kernel
open ``data/snapshot`` by its path, so a swap in the middle would give a book whose chapters
come from two snapshots. Two lock files beside the snapshot ``dest`` prevent that:

* ``<dest>.lock``: a build holds a *shared* lock on it for its whole run (:func:`reading`);
  the swap of :func:`navbok.snapshot.fetch` takes it *exclusively* (:func:`replacing`), so it
  waits until no build reads the snapshot, and says which builds it waits for («venter på at
  navbok build (prosess 4711, startet …) blir ferdig …»). Each reader appends one line about
  itself (pid, start, command); the swap empties the file while it holds it.
* ``<dest>.fetch.lock``: a whole fetch holds it exclusively (:func:`fetching`), so two fetches
  into one snapshot run one after the other; the second says which process it waits for. The
  holder writes its pid into it and removes it when done (whoever waited on the removed file
  locks the new one: the lock is taken only on the file that is at the path).

The kernel drops a ``flock`` when its holder's process ends, so a killed build or fetch never
leaves a lock behind. The files carry no dot, so they are not taken for the temporary folders
of :mod:`navbok.snapshot`. Linux (and other POSIX systems) only.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import inspect
import json
import os
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import ParamSpec, TypeVar

_P = ParamSpec("_P")
_R = TypeVar("_R")
#: Seconds between tries while a lock is held elsewhere.
POLL = 0.1


def read_lock_file(dest: Path) -> Path:
    """The lock that builds share and the swap takes alone: ``<dest>.lock``."""
    return dest.with_name(f"{dest.name}.lock")


def fetch_lock_file(dest: Path) -> Path:
    """The lock of a whole fetch into ``dest``: ``<dest>.fetch.lock``."""
    return dest.with_name(f"{dest.name}.fetch.lock")


def _started() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid runs (another user's process counts as running)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: another user's live process
        return True
    return True


def _who(info: dict) -> str:
    """«navbok build (prosess 4711, startet 2026-12-06T10:00:00+01:00)»."""
    what, pid, started = info.get("what") or "navbok", info.get("pid"), info.get("started")
    return f"{what} (prosess {pid}, startet {started})" if started else f"{what} (prosess {pid})"


def _holders(path: Path) -> list[dict]:
    """The readers that wrote themselves into ``path`` and whose process still runs."""
    out: list[dict] = []
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError:
        return out
    for line in lines:
        try:
            info = json.loads(line)
            seen = {(h["pid"], h.get("what")) for h in out}
            if pid_alive(int(info["pid"])) and (info["pid"], info.get("what")) not in seen:
                out.append(info)
        except (ValueError, KeyError, TypeError):
            continue
    return out


def _lock(path: Path, op: int, *, flags: int, on_wait: Callable[[], None] | None = None) -> int:
    """An fd of ``path`` holding ``op`` (LOCK_SH or LOCK_EX), waiting for it as long as it
    takes; ``on_wait()`` is called once when it has to wait. The lock is on the file that is at
    ``path`` when it is granted (a file its holder removed meanwhile is locked again)."""
    told = False
    while True:
        fd = os.open(path, flags | os.O_CREAT, 0o644)
        try:
            while True:
                try:
                    fcntl.flock(fd, op | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if not told and on_wait is not None:
                        on_wait()
                        told = True
                    time.sleep(POLL)
            try:
                here = os.stat(path)
                mine = os.fstat(fd)
                same = (here.st_ino, here.st_dev) == (mine.st_ino, mine.st_dev)
            except FileNotFoundError:
                same = False
        except BaseException:
            os.close(fd)
            raise
        if same:
            return fd
        os.close(fd)  # removed by its holder while we waited: lock the file now there


def _unlock(fd: int) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextlib.contextmanager
def reading(dest: str | os.PathLike[str], what: str = "navbok build") -> Iterator[None]:
    """Hold a shared lock on the snapshot ``dest`` while the block runs: no fetch replaces it
    meanwhile (its swap waits). Waits only for a swap under way (a few milliseconds).

    Where no lock file can be made (a read-only folder, no folder yet), or there is neither a
    snapshot nor a lock file (nothing to read; a swap under way holds the file), the block runs
    without one."""
    path = read_lock_file(Path(dest))
    if not path.exists() and not Path(dest).exists():
        yield
        return
    try:
        fd = _lock(path, fcntl.LOCK_SH, flags=os.O_RDWR | os.O_APPEND)
    except OSError:
        yield
        return
    try:
        line = {"pid": os.getpid(), "started": _started(), "what": what}
        with contextlib.suppress(OSError):
            os.write(fd, (json.dumps(line, ensure_ascii=False) + "\n").encode())
        yield
    finally:
        _unlock(fd)


def reads_snapshot(
    arg: str = "snapshot", what: str = "navbok build"
) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """A decorator: the function runs under :func:`reading` of the snapshot given as its
    argument ``arg`` (for ``navbok build``: the data, the kernels and the site, one snapshot)."""

    def decorate(run: Callable[_P, _R]) -> Callable[_P, _R]:
        signature = inspect.signature(run)

        @functools.wraps(run)
        def locked(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            with reading(bound.arguments[arg], what):
                return run(*args, **kwargs)

        return locked

    return decorate


@contextlib.contextmanager
def replacing(
    dest: str | os.PathLike[str], notify: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the exclusive lock on the snapshot ``dest`` while the block (the swap) runs.

    Waits until no build reads the snapshot; ``notify`` gets one line naming the builds it
    waits for. The readers' lines are cleared while it holds the lock."""
    dest = Path(dest)
    path = read_lock_file(dest)

    def waiting() -> None:
        if notify is None:
            return
        holders = _holders(path)
        who = " og ".join(_who(h) for h in holders) or "en annen prosess som leser snapshotet"
        notify(f"Venter på at {who} blir ferdig før snapshotet i {dest} byttes ut …")

    fd = _lock(path, fcntl.LOCK_EX, flags=os.O_RDWR | os.O_APPEND, on_wait=waiting)
    try:
        os.ftruncate(fd, 0)
        yield
    finally:
        _unlock(fd)


@contextlib.contextmanager
def fetching(
    dest: str | os.PathLike[str], notify: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the fetch lock of the snapshot ``dest`` while the block (a whole fetch) runs.

    A second fetch into the same snapshot waits; ``notify`` gets one line naming the process
    it waits for. The lock file is removed when the block ends."""
    dest = Path(dest)
    path = fetch_lock_file(dest)
    path.parent.mkdir(parents=True, exist_ok=True)

    def waiting() -> None:
        if notify is None:
            return
        try:
            who = _who(json.loads(path.read_text("utf-8")) | {"what": "navbok fetch"})
        except (OSError, ValueError, KeyError, TypeError):
            who = "en annen navbok fetch"
        notify(f"Snapshotet i {dest} hentes allerede av {who}; venter på at den blir ferdig …")

    fd = _lock(path, fcntl.LOCK_EX, flags=os.O_RDWR, on_wait=waiting)
    try:
        info = {"pid": os.getpid(), "started": _started()}
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info).encode(), 0)
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()  # while still holding it: a waiter then locks a new file
        _unlock(fd)
