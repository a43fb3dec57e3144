"""Executing chapter notebooks: a fresh kernel per notebook, or warm kernels reused.

Two engines run a chapter with papermill and give the same executed notebook:

* :func:`execute_fresh` is the plain papermill path: a new kernel per notebook (≈ 1 s start-up
  plus ≈ 1 s of imports each time). It is the reference and the ``--engine fresh`` option.
* :class:`KernelPool` keeps one long-lived kernel per worker thread (by default one per core).
  Each kernel imports navbok once; between two chapters :func:`navbok.builder.kernel_state.reset`
  clears the namespace, restores the execution counter to 1, warning filters and library
  options, so a chapter cannot see what ran before it. Papermill itself drives the kernel
  (a papermill engine that hands nbclient the running kernel), so parameters, metadata and
  outputs are produced by exactly the same code as in a fresh run; only the timing metadata
  differs. ``tests/test_builder_fast.py`` checks this. A chapter's code cells go to the warm
  kernel in one request, their outputs split back by cell (:mod:`navbok.builder.cell_batch`).

Papermill normally rewrites the output notebook before and after every cell; here it is written
once at the end (``request_save_on_cell_execute=False``), and also when a cell fails.
"""

from __future__ import annotations

import atexit
import functools
import itertools
import json
import os
import queue
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import nbformat

from navbok.builder import cell_batch, speedups
from navbok.builder.speedups import output_validation, papermill_dates, papermill_write
from navbok.errors import NavbokError
from navbok.files import write_atomic

if TYPE_CHECKING:
    from jupyter_client.asynchronous.client import AsyncKernelClient
    from jupyter_client.manager import AsyncKernelManager

KERNEL_NAME = "python3"
ENGINE_NAME = "navbok-warm"

#: The warm kernels' scheduling priority: on Linux the ``SCHED_IDLE`` policy (they run when the
#: build and render processes leave a core free), elsewhere this much lower (``os.nice``). The
#: render process is one stage every book passes through; competing with the kernels for two
#: cores it waited a third of its time for a core (≈ 30 of 85 s in a 120-book build), and the
#: kernels, which have slack, then waited for it. Fresh kernels (the reference path) keep the
#: build's priority. See :func:`navbok.builder.kernel_state.lower_priority`.
KERNEL_NICE = 10

# Run silently in a new kernel before any chapter: lower its priority, warm imports, then
# record the fresh state. Nothing is bound in the user namespace (``__import__``), so chapters
# see a clean one.
PRELOAD = f"""\
__import__("navbok.builder.kernel_state", fromlist=["capture"]).lower_priority({KERNEL_NICE})
__import__("navbok.builder.kernel_state", fromlist=["capture"]).capture()
__import__("navbok.builder.cell_batch")
__import__("navbok.report.report")
__import__("myst_nb")
__import__("navbok.builder.speedups", fromlist=["install_kernel"]).install_kernel()
__import__("navbok.builder.kernel_state", fromlist=["capture"]).capture_libraries()
"""
RESET = '__import__("navbok.builder.kernel_state", fromlist=["reset"]).reset()'


def warmup_code(snapshot: str, cache_dir: str) -> str:
    """Kernel start-up code that loads the snapshot into :meth:`NavData.load`'s memory cache
    (the chapters' ``Report.open`` then finds it) and reads the national facts kept beside it
    (:func:`navbok.national_facts.preload`), binding no name in the user namespace."""
    data = '__import__("navbok.data", fromlist=["NavData"])'
    facts = '__import__("navbok.national_facts", fromlist=["preload"])'
    return (  # only from Parquet: harmonising from scratch is the build process's job
        f"{data}.parquet_cached({snapshot!r}, {cache_dir!r}) and "
        f"{facts}.preload({data}.NavData.load({snapshot!r}, cache_dir={cache_dir!r}))"
    )


_IPC_DIR: str | None = None
_IPC_COUNT = itertools.count()
_IPC_LOCK = threading.Lock()


def _ipc_config() -> Any:
    """Kernel-manager settings: talk to the kernel over Unix sockets, not TCP on localhost.

    ipykernel 7 logs «Kernel is running over TCP without encryption» at every start on TCP;
    IPC sockets live in a folder only this user can open (0700, removed at exit), so there is
    nothing to encrypt and nothing to warn about. Each kernel gets its own socket prefix (IPC
    "ports" are numbered per prefix, so kernels starting together must not share one).
    """
    from traitlets.config import Config

    global _IPC_DIR
    with _IPC_LOCK:
        if _IPC_DIR is None:
            _IPC_DIR = tempfile.mkdtemp(prefix="navbok-ipc-")  # mode 0700
            atexit.register(shutil.rmtree, _IPC_DIR, True)
        prefix = os.path.join(_IPC_DIR, f"k{next(_IPC_COUNT)}")
    config = Config()
    config.KernelManager.transport = "ipc"
    config.KernelManager.ip = prefix
    return config


class ChapterFailed(NavbokError):
    """A chapter notebook raised an error while it was executed."""


def _failing_part(source: str, traceback: list[str]) -> str:
    """The code cell of the chapter text that failed: for a cell joined from several
    (:func:`navbok.builder.staging.merge_code_runs`), the part holding the line IPython's
    traceback names («Cell In[3], line 7»); else the whole cell."""
    from navbok.builder.staging import JOIN

    parts = source.split(f"\n{JOIN}\n")
    text = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(traceback))
    found = re.search(r"Cell In\[\d+\], line (\d+)", text)
    if len(parts) == 1 or found is None:
        return source
    line, start = int(found.group(1)), 1
    for part in parts:
        end = start + part.count("\n")
        if line <= end:
            return part
        start = end + 2  # the part's lines and the joining line
    return source


def _chapter_failed(exc: Any, src: Path, dest: Path) -> ChapterFailed:
    part = _failing_part(exc.source or "", list(exc.traceback or []))
    first = part.strip().splitlines()[:1]
    return ChapterFailed(
        f"Kapittelet {src.name} feilet i celle {exc.exec_count} "
        f"({first[0] if first else ''!r}): {exc.ename}: {exc.evalue}. "
        f"Den kjørte notatboka ligger i {dest}."
    )


def tag_cells(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Hide code and the parameter cells: the book reads like an article."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = set(cell.metadata.get("tags", []))
        if tags & {"parameters", "injected-parameters"}:
            tags.add("remove-cell")
        elif "show-input" not in tags:
            tags.add("remove-input")
        cell.metadata["tags"] = sorted(tags)
    return nb


def machine_folders(parameters: dict[str, str], *paths: Path) -> list[str]:
    """The build machine's folders an executed notebook can name: those of ``paths`` and of
    the absolute paths among ``parameters``, the working directory, the home folder, Python's
    prefixes and the temporary folder (longest first)."""
    found = {Path(p).parent for p in paths}
    found |= {
        Path(v).parent for v in parameters.values() if isinstance(v, str) and Path(v).is_absolute()
    }
    found |= {Path.cwd(), Path.home(), Path(sys.prefix), Path(sys.base_prefix)}
    found.add(Path(tempfile.gettempdir()))
    return sorted({str(f) for f in found if len(f.parts) > 1}, key=len, reverse=True)


def relative_paths(nb: nbformat.NotebookNode, folders: list[str]) -> nbformat.NotebookNode:
    """Cut ``folders`` off every path in the notebook (sources, outputs, metadata): the book
    publishes it (``_sources/*.ipynb``), and the build machine's paths are nobody's business.
    ``/home/x/navbok/data/snapshot`` becomes ``data/snapshot`` when the working directory is
    ``/home/x/navbok``; the injected parameters name files, not where they lie."""
    if not folders:
        return nb
    prefix = re.compile(
        r"(?<![\w./~-])(?:" + "|".join(re.escape(f.rstrip("/")) for f in folders) + ")/"
    )
    # Every folder is below the shortest one's first part («/tmp», «/home»): a string without
    # it has nothing to cut (most outputs, e.g. the downloads' base64), and `in` is cheap.
    roots = {"/" + f.strip("/").split("/", 1)[0] + "/" for f in folders}

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return prefix.sub("", value) if any(r in value for r in roots) else value
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            for k, v in value.items():
                value[k] = walk(v)
        return value

    walk(nb)
    return nb


def finish_notebook(
    nb: nbformat.NotebookNode, dest: Path, folders: list[str] | None = None
) -> None:
    """Tag the cells, cut the build machine's ``folders`` off its paths (:func:`relative_paths`),
    validate the whole notebook (outputs included: see
    :mod:`navbok.builder.speedups.output_validation`) and write it to ``dest`` atomically."""
    tag_cells(nb)
    relative_paths(nb, folders or [])
    nbformat.validate(nb)
    write_atomic(dest, notebook_json(nb))


def notebook_json(nb: nbformat.NotebookNode) -> str:
    """The text ``nbformat.v4.writes(nb)`` gives, without its validation (the caller
    validates) and its defensive deep copy: ``nb`` itself is split into lines and loses its
    transient data (what the file holds), so use it only for a notebook written last."""
    from nbformat.v4.nbjson import BytesEncoder
    from nbformat.v4.rwbase import split_lines, strip_transient

    return json.dumps(
        strip_transient(split_lines(nb)),
        cls=BytesEncoder,
        indent=1,
        sort_keys=True,
        separators=(",", ": "),
        ensure_ascii=False,
    )


def execute_fresh(
    src: Path, dest: Path, parameters: dict[str, str], source: Path | None = None
) -> Path:
    """Run one chapter with papermill in a new kernel (the reference path).

    A failure names the chapter, the cell and the error. Every path in ``parameters`` must be
    absolute (papermill's ``cwd`` uses ``os.chdir``, which is not safe across threads).
    ``source`` is the chapter's text that ``src`` was staged from, named in a failure.
    """
    return _execute(src, dest, parameters, source, config=_ipc_config())


def _execute(
    src: Path, dest: Path, parameters: dict[str, str], source: Path | None, **engine: object
) -> Path:
    """papermill with the book's settings (plus engine options); a failure names the cell."""
    return _run(src, dest, parameters, source, **engine)()


def _run(
    src: Path, dest: Path, parameters: dict[str, str], source: Path | None, **engine: object
) -> Callable[[], Path]:
    """Run the chapter with papermill (the kernel's part); what is returned fills in the
    chapter's text and writes the notebook (the build process's part, :func:`_finish`)."""
    import papermill as pm

    speedups.install(papermill_write)
    speedups.install(papermill_dates)
    with papermill_write.kept(str(dest)) as papermill_wrote:  # written once, by _finish
        try:
            nb = pm.execute_notebook(
                str(src),
                str(dest),
                parameters=parameters,
                kernel_name=KERNEL_NAME,
                progress_bar=False,
                log_output=False,
                **engine,
            )
        except pm.PapermillExecutionError as exc:
            if papermill_wrote.nb is not None:  # the notebook with the failing cell marked
                write_atomic(dest, nbformat.writes(papermill_wrote.nb))
            raise _chapter_failed(exc, Path(source or src), dest) from None
    return functools.partial(_finish, nb, src, dest, parameters, source)


def _finish(
    nb: nbformat.NotebookNode,
    src: Path,
    dest: Path,
    parameters: dict[str, str],
    source: Path | None,
) -> Path:
    """Fill the chapter's text into the executed notebook ``nb`` and write it to ``dest``."""
    from navbok.present.chapter_text import ChapterTextError, fill_notebook

    try:
        fill_notebook(nb, chapter=Path(source or src).name)
    except ChapterTextError as exc:
        raise ChapterFailed(str(exc)) from None
    finish_notebook(nb, dest, machine_folders(parameters, Path(src), Path(dest)))
    return dest


# ------------------------------------------------------------------------------ warm kernels


class WarmKernel:
    """A kernel started once and reused for many notebooks (use from one thread only).

    Started the way nbclient starts a kernel for a fresh run (same kernel spec, same
    ``--HistoryManager.hist_file=:memory:``), then preloaded with :data:`PRELOAD`.
    """

    def __init__(
        self,
        kernel_name: str = KERNEL_NAME,
        startup_timeout: float = 60,
        warmup: str | None = None,
    ) -> None:
        from nbclient import NotebookClient

        self._starter = NotebookClient(
            nbformat.v4.new_notebook(), kernel_name=kernel_name, config=_ipc_config()
        )
        # nbclient's default classes are the asynchronous ones (its annotations name the bases).
        self.km = cast("AsyncKernelManager", self._starter.create_kernel_manager())
        self._starter.start_new_kernel()
        self.kc = cast("AsyncKernelClient", self._starter.start_new_kernel_client())
        self.timeout = startup_timeout
        self.notebooks = 0
        self.run(PRELOAD)
        if warmup:  # e.g. load the snapshot into the in-process cache (see warmup_code)
            self.run(warmup)

    def run(self, code: str) -> None:
        """Run ``code`` silently (no execution count, no history); raise if it fails."""
        from jupyter_core.utils import run_sync

        reply = run_sync(self.kc.execute_interactive)(
            code,
            silent=True,
            store_history=False,
            timeout=self.timeout,
            output_hook=lambda msg: None,
        )
        content = reply["content"]
        if content["status"] != "ok":
            raise NavbokError(
                f"Warm kernel set-up failed: {content.get('ename')}: {content.get('evalue')}"
            )

    def reset(self) -> None:
        """Make the kernel look fresh to the next notebook."""
        self.run(RESET)

    def alive(self) -> bool:
        """Whether the kernel process still runs."""
        from jupyter_core.utils import run_sync

        return bool(run_sync(self.km.is_alive)())

    def shutdown(self) -> None:
        """Stop the kernel (best effort)."""
        from jupyter_core.utils import run_sync

        try:
            self.kc.stop_channels()
            run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:  # best effort at exit
            pass


def _preimport() -> None:
    import jupyter_client.manager  # noqa: F401
    import jupyter_core.utils  # noqa: F401
    import nbclient  # noqa: F401
    import papermill
    import papermill.clientwrap
    import papermill.iorw
    import papermill.translators  # noqa: F401

    register_engine()


_ENGINE_LOCK = threading.Lock()
_ENGINE_REGISTERED = False


def register_engine() -> None:
    """Register the warm engine with papermill (once), and fence in its speed-up.

    Not a speed-up: ``engine_name=ENGINE_NAME`` (:func:`run_warm`) needs it, it uses
    papermill's public engine registry and hands nbclient the running kernel (``km``, ``kc``), and
    without it ``--engine warm`` cannot run at all. The deferred output validation its client
    asks for *is* a speed-up (:mod:`navbok.builder.speedups.output_validation`): installed here
    when its tested versions are, else outputs are validated one by one as usual.
    """
    global _ENGINE_REGISTERED
    with _ENGINE_LOCK:
        if _ENGINE_REGISTERED:
            return
        from papermill.engines import papermill_engines

        speedups.install(output_validation)
        papermill_engines.register(ENGINE_NAME, _warm_engine())
        _ENGINE_REGISTERED = True


def _warm_engine() -> type:
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine
    from papermill.utils import merge_kwargs, remove_args

    class WarmClient(PapermillNotebookClient):
        """Papermill's client; outputs are validated with the whole notebook (see
        :mod:`navbok.builder.speedups.output_validation`)."""

        def output(self, *args: Any, **kwargs: Any) -> Any:
            with output_validation.deferred():
                return super().output(*args, **kwargs)

        def papermill_execute_cells(self) -> None:
            """Papermill's cell loop, the code cells sent in one request where that gives
            the same notebook (:mod:`navbok.builder.cell_batch`)."""
            if not cell_batch.applies(self):
                return super().papermill_execute_cells()
            from jupyter_core.utils import run_sync

            run_sync(cell_batch.execute_cells)(self)

    class WarmKernelEngine(NBClientEngine):
        """Papermill's nbclient engine, on a running kernel handed over as ``warm_kernel``."""

        @classmethod
        def execute_managed_notebook(  # papermill's signature
            cls,
            nb_man,
            kernel_name: str,
            log_output: bool = False,
            stdout_file: Any = None,
            stderr_file: Any = None,
            start_timeout: float = 60,
            execution_timeout: float | None = None,
            **kwargs: Any,
        ) -> Any:
            kernel: WarmKernel = kwargs.pop("warm_kernel")
            kwargs = remove_args(["input_path"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(
                safe_kwargs,
                timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=__import__("papermill.log", fromlist=["logger"]).logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            client = WarmClient(nb_man, km=kernel.km, **final_kwargs)
            client.kc = kernel.kc  # reuse the running client: not owned, not shut down
            return client.execute()

    return WarmKernelEngine


def run_warm(
    kernel: WarmKernel,
    src: Path,
    dest: Path,
    parameters: dict[str, str],
    source: Path | None = None,
) -> Callable[[], Path]:
    """Run one chapter with papermill on a warm kernel (reset first): the kernel's part; what
    it returns finishes the notebook (the build process's part, which needs the kernel no
    more)."""
    register_engine()
    if kernel.notebooks:
        kernel.reset()
    kernel.notebooks += 1
    return _run(
        src,
        dest,
        parameters,
        source,
        engine_name=ENGINE_NAME,
        request_save_on_cell_execute=False,
        warm_kernel=kernel,
    )


@dataclass
class _Job:
    fn: Callable[..., Callable[[], Any]]  # the kernel's part; returns the finishing part
    args: tuple
    future: Future = field(default_factory=Future)


class KernelPool:
    """``workers`` threads, each with its own warm kernel, executing chapters in parallel.

    A kernel's thread runs a chapter's code and goes on with the next chapter at once; one
    more thread fills in the chapter's text and writes the notebook (:func:`_finish`), so a
    kernel does not wait for the build process's share of the work. A kernel that died (or
    whose notebook timed out) is replaced by a new one. Use as a context manager, or call
    :meth:`close`.
    """

    def __init__(
        self, workers: int = 2, kernel_name: str = KERNEL_NAME, warmup: str | None = None
    ) -> None:
        _preimport()  # in this thread: concurrent first imports in the workers can deadlock
        self.workers = max(1, workers)
        self.kernel_name = kernel_name
        self.warmup = warmup
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._threads = [
            threading.Thread(target=self._loop, name=f"navbok-kernel-{i}", daemon=True)
            for i in range(self.workers)
        ]
        self.timings: list[tuple[str, float]] = []
        #: ``time.perf_counter()`` when each kernel was ready, and the first chapter's start
        #: and the last one's end (the bench's breakdown of a build's time).
        self.ready: list[float] = []
        self.span: list[float] = []
        self._lock = threading.Lock()
        self._finisher = ThreadPoolExecutor(1, thread_name_prefix="navbok-finish")
        for t in self._threads:
            t.start()

    def _loop(self) -> None:
        kernel: WarmKernel | None = None
        try:
            try:  # start at once: the kernel boots while the caller prepares the first jobs
                kernel = WarmKernel(self.kernel_name, warmup=self.warmup)
                with self._lock:
                    self.ready.append(time.perf_counter())
            except Exception:  # retried (and reported) with the first job
                kernel = None
            while True:
                job = self._jobs.get()
                if job is None:
                    return
                if not job.future.set_running_or_notify_cancel():
                    continue
                try:
                    if kernel is not None and kernel.notebooks:
                        try:  # reset now; a kernel that cannot be reset is replaced
                            kernel.reset()
                            kernel.notebooks = 0
                        except Exception:
                            kernel.shutdown()
                            kernel = None
                    if kernel is None or not kernel.alive():
                        if kernel is not None:
                            kernel.shutdown()
                        kernel = WarmKernel(self.kernel_name, warmup=self.warmup)
                    finish = job.fn(kernel, *job.args)
                    self._finisher.submit(self._complete, job, finish)
                except BaseException as exc:  # handed to the caller
                    if not isinstance(exc, ChapterFailed) and kernel is not None:
                        kernel.shutdown()  # unknown state: start afresh for the next job
                        kernel = None
                    job.future.set_exception(exc)
        finally:
            if kernel is not None:
                kernel.shutdown()

    def submit(
        self,
        src: Path,
        dest: Path,
        parameters: dict[str, str],
        name: str | None = None,
        source: Path | None = None,
    ) -> Future:
        """Queue one chapter; the future gives ``dest`` or raises :class:`ChapterFailed`.

        The time of the run itself (not the wait in the queue) is recorded in
        :attr:`timings` under ``name`` (default: ``dest``). A failure names ``source`` (the
        chapter's text ``src`` was staged from; default ``src``).
        """

        key = name or str(dest)

        def run(
            kernel: WarmKernel, src: Path, dest: Path, params: dict[str, str]
        ) -> Callable[[], Path]:
            t0 = time.perf_counter()
            try:
                finish = run_warm(kernel, src, dest, params, source)
            except BaseException:
                self._record(key, t0, time.perf_counter() - t0)
                raise

            def timed() -> Path:  # the finishing part, timed with the kernel's part
                t1 = time.perf_counter()
                try:
                    return finish()
                finally:
                    self._record(key, t0, kernel_seconds + time.perf_counter() - t1)

            kernel_seconds = time.perf_counter() - t0
            return timed

        job = _Job(run, (src, dest, parameters))
        self._jobs.put(job)
        return job.future

    def _record(self, name: str, start: float, seconds: float) -> None:
        with self._lock:
            self.timings.append((name, seconds))
            end = time.perf_counter()
            self.span[:] = [min([*self.span[:1], start]), max([*self.span[1:], end])]

    @staticmethod
    def _complete(job: _Job, finish: Callable[[], Any]) -> None:
        """In the finishing thread: the chapter's last part; its result or failure is the
        job's."""
        try:
            job.future.set_result(finish())
        except BaseException as exc:  # handed to the caller
            job.future.set_exception(exc)

    def times(self) -> dict[str, float]:
        """The run time of every finished chapter so far, by the name it was submitted with."""
        with self._lock:
            return dict(self.timings)

    def map(self, jobs: Iterable[tuple[Path, Path, dict[str, str]]]) -> list[Path]:
        """Run chapters and wait for all of them; the first failure is raised."""
        futures = [self.submit(*j) for j in jobs]
        return [f.result() for f in futures]

    def close(self) -> None:
        """Stop the workers (after the queued jobs) and shut their kernels down."""
        for _ in self._threads:
            self._jobs.put(None)
        for t in self._threads:
            t.join(timeout=30)
        self._finisher.shutdown(wait=True)

    def __enter__(self) -> KernelPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
