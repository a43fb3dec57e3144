"""Executing a build's chapters with the chosen engine (``navbok build --engine``).

* ``warm`` (the default): :class:`navbok.builder.engine.KernelPool`, one long-lived kernel per
  worker, reset between chapters; :func:`start_kernels_early` starts it before planning when
  chapters will surely run.
* ``fresh``: :func:`navbok.builder.engine.execute_fresh`, a new papermill kernel per chapter.

:class:`ChapterRunner` hides the difference and records each chapter's run time.
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from navbok.builder.engine import KernelPool, execute_fresh, warmup_code
from navbok.builder.plan import STATE_FILE
from navbok.errors import NavbokError

ENGINES = ("warm", "fresh")


def check_engine(engine: str) -> None:
    """Raise a :class:`~navbok.errors.NavbokError` for an unknown engine name."""
    if engine not in ENGINES:
        raise NavbokError(f"Unknown engine {engine!r}; use one of {', '.join(ENGINES)}")


def default_workers(books: int) -> int:
    """Kernels for a build of ``books`` books without ``--workers``: one per core, but one for a
    single book. A book's six chapters keep one warm kernel busy for about two seconds; a
    second kernel costs as much to start (imports, the data) as it saves, and each kernel pays
    the first-chapter costs (its caches) again, on the same two cores the render process and
    the build itself start on."""
    return max(1, min(os.cpu_count() or 1, 1 if books <= 1 else books))


def kernel_warmup(snapshot: Path, cache_dir: Path) -> str:
    """The start-up code of a warm kernel for this snapshot and cache."""
    return warmup_code(str(Path(snapshot).resolve()), str(Path(cache_dir).resolve()))


class ChapterRunner:
    """Executes chapters with the chosen engine; records per-notebook times.

    ``pool``: warm kernels the caller started early (:func:`start_kernels_early`), used by the
    warm engine and closed with the runner.
    """

    def __init__(
        self, engine: str, workers: int, warmup: str | None = None, pool: KernelPool | None = None
    ) -> None:
        check_engine(engine)
        self.engine = engine
        self._times: dict[str, float] = {}
        self._lock = threading.Lock()
        if pool is not None:
            self._pool: KernelPool | ThreadPoolExecutor = pool
        elif engine == "warm":
            self._pool = KernelPool(workers, warmup=warmup)
        else:
            self._pool = ThreadPoolExecutor(max_workers=workers)

    def submit(
        self,
        name: str,
        src: Path,
        dest: Path,
        parameters: dict[str, str],
        source: Path | None = None,
    ) -> Future:
        """Run the notebook ``src`` into ``dest``; a failure names ``source`` (default ``src``).

        The run time is recorded under ``name`` (``<kommune>/<chapter>``)."""
        if isinstance(self._pool, KernelPool):
            return self._pool.submit(src, dest, parameters, name=name, source=source)

        def timed() -> Path:
            t0 = time.perf_counter()
            try:
                return execute_fresh(src, dest, parameters, source=source)
            finally:
                with self._lock:
                    self._times[name] = time.perf_counter() - t0

        return self._pool.submit(timed)

    @property
    def times(self) -> dict[str, float]:
        """Execution time of every finished notebook, by ``<kommune>/<chapter>``."""
        if isinstance(self._pool, KernelPool):
            return self._pool.times()
        with self._lock:
            return dict(self._times)

    def close(self) -> None:
        """Stop the kernels or threads (queued chapters are dropped by the fresh engine)."""
        if isinstance(self._pool, KernelPool):
            self._pool.close()
        else:
            self._pool.shutdown(wait=True, cancel_futures=True)


def start_kernels_early(
    kommuner: list[str],
    snapshot: Path,
    cache_dir: Path,
    build_dir: Path,
    workers: int | None,
    engine: str,
    force: bool,
) -> KernelPool | None:
    """Start the warm kernels before planning when chapters will surely run: a municipality
    (resolved code) that has no build yet, or ``force``. They boot while the build process
    makes the static files and plans. :func:`navbok.builder.pipeline.main` calls it only once
    the municipalities are resolved, their params checked and their build locks held, so a
    bad request never starts a kernel. A no-op rebuild starts no kernel."""
    if engine != "warm" or not kommuner:
        return None
    if not force and all((Path(build_dir) / k / STATE_FILE).is_file() for k in kommuner):
        return None
    kernels = workers or default_workers(len(kommuner))
    return KernelPool(kernels, warmup=kernel_warmup(snapshot, cache_dir))
