"""Build municipalities' books: the ``navbok build`` request, the runner and its schedule.

The book's sources live in the project (:class:`navbok.project.Project`: ``_config.yml``,
``_toc.yml``, ``chapters/``). For each municipality they are staged under
``_build/<kommune>/src`` (:mod:`navbok.builder.stage`) with the executed notebooks; Jupyter Book
renders with ``execute_notebooks: "off"``; the HTML is moved to ``_build/<kommune>/html`` only
when every chapter ran and the render succeeded, so a failed build never leaves a half-built
book in place of a whole one.

Speed (see README, "Performance"):

* chapters run on warm kernels (:mod:`navbok.builder.execute`, one per core) that import navbok
  and load the data once, reset between chapters so that the executed notebook equals a
  fresh-kernel papermill run; ``engine="fresh"`` is the plain papermill path;
* books are rendered in one long-lived render process (``renderer="worker"``,
  :class:`navbok.builder.render.Renderer`) while the kernels already execute the next
  municipalities' chapters;
* a chapter without code (text alone, e.g. the glossary) costs no kernel: its staged
  notebook is copied to the stage as the executed one (:func:`navbok.builder.staging.copy`);
* a content-addressed cache (:mod:`navbok.builder.plan`, :mod:`navbok.builder.keys`): a chapter is
  executed again only when its key changes, a book rendered again only when a chapter or the
  book's configuration changed.

The municipality is ``kommune`` everywhere: a name or code on the command line, resolved once
here (:func:`main`, :func:`build_one`) to its 4-digit code, which names the build folder, is in
the staged ``params.yml`` and is the chapters' ``kommune`` parameter.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from navbok import national_facts, snapshot_lock
from navbok.builder import staging
from navbok.builder.engine import ChapterFailed, KernelPool
from navbok.builder.execute import (
    ChapterRunner,
    check_engine,
    default_workers,
    kernel_warmup,
    start_kernels_early,
)
from navbok.builder.lock import BuildLock
from navbok.builder.plan import Plan, plan_book, read_state, write_state
from navbok.builder.render import RENDERERS, Renderer
from navbok.builder.stage import BOOK_STATIC, StaticFiles, stage_book, stage_chapters
from navbok.builder.staging import staged_name
from navbok.data import CACHE_DIR, NavData
from navbok.errors import ConfigError, NavbokError
from navbok.params import PARAMS_DIR, Params, check_params, params_for
from navbok.present import chapter_text
from navbok.project import Project
from navbok.snapshot import DEFAULT_DIR, Snapshot

BUILD_DIR = Path("_build")
TEMPLATES = "tekstmaler"  # in the national facts' folder: compiled chapter templates

__all__ = ["BuildStats", "ChapterFailed", "build_many", "build_one", "checked_params", "main"]


@dataclass
class BuildStats:
    """Timings of a build: per executed notebook, per render, and what the cache skipped."""

    notebooks: dict[str, float] = field(default_factory=dict)  # "<kommune>/<chapter>" → s
    renders: dict[str, float] = field(default_factory=dict)  # kommune → s
    cached_books: list[str] = field(default_factory=list)
    cached_chapters: int = 0
    failed: dict[str, str] = field(default_factory=dict)  # kommune → error (with keep_going)
    pages: list[Path] = field(default_factory=list)
    wall: float = 0.0


def _check_renderer(renderer: str) -> None:
    if renderer not in RENDERERS:
        raise NavbokError(f"Unknown renderer {renderer!r}; use one of {', '.join(RENDERERS)}")


def checked_params(data: NavData, kommuner: list[str]) -> dict[str, Params]:
    """Each municipality's params (its params file, else defaults), checked against the data.

    ``kommuner`` are resolved codes. A bad params file — also one whose ``kommune`` is not the
    code it is filed under — is one :class:`~navbok.errors.ConfigError` naming it, before
    anything runs."""
    out = {}
    for kommune in kommuner:
        p = params_for(data, kommune)
        curated = PARAMS_DIR / f"{kommune}.yml"
        where = str(curated) if curated.is_file() else f"parametere for {kommune}"
        if p.kommune != kommune:
            raise ConfigError(
                f"{where}: kommune er {p.kommune}, men fila gjelder {kommune}. Rett kommune i fila."
            )
        check_params(p, data, where)
        out[kommune] = p
    return out


def build_many(
    data: NavData,
    kommuner: list[str],
    *,
    project: Project | None = None,
    snapshot: Path = DEFAULT_DIR,
    cache_dir: Path = CACHE_DIR,
    build_dir: Path = BUILD_DIR,
    params: dict[str, Params] | None = None,
    workers: int | None = None,
    engine: str = "warm",
    renderer: str = "worker",
    force: bool = False,
    progress: bool = False,
    keep_going: bool = False,
    pool: KernelPool | None = None,
    lock: bool = True,
    lock_timeout: float | None = None,
    notify: Callable[[str], None] | None = None,
) -> BuildStats:
    """Build several municipalities' books, executing and rendering only what changed.

    ``kommuner``: resolved 4-digit codes. ``project``: the book's sources (default
    :meth:`Project.find`). Chapters of the next municipalities execute on the kernels while
    the render process renders the previous one. The first failing chapter stops the build
    (:class:`ChapterFailed`); books already built stay, and the failing municipality's
    previous book stays in place. With ``keep_going`` the other municipalities are still built
    and the failures are listed in :attr:`BuildStats.failed`. ``pool``: warm kernels the
    caller started early (used for the warm engine, else closed, also when the build fails).
    ``lock``: hold each municipality's build lock (``_build/<kommune>/build.lock``, see
    :mod:`navbok.builder.lock`) for the whole build; a build held elsewhere is waited for
    (``notify`` says who holds it), at most ``lock_timeout`` seconds. ``lock=False``: the
    caller holds the locks.
    """
    t_start = time.perf_counter()
    build_dir = Path(build_dir)
    locks = BuildLock(build_dir / kommune for kommune in kommuner) if lock else None
    reader = contextlib.ExitStack()
    try:
        check_engine(engine)
        _check_renderer(renderer)
        if locks is not None:
            reader.enter_context(snapshot_lock.reading(snapshot))
            _same_snapshot(data, snapshot)
            locks.acquire(lock_timeout, notify)
        return _Build(
            project or Project.find(), data, snapshot=snapshot, cache_dir=cache_dir,
            build_dir=build_dir, workers=workers, engine=engine, renderer=renderer, force=force,
            progress=progress, keep_going=keep_going,
        ).run(kommuner, params or {}, pool, t_start)  # fmt: skip
    finally:
        if pool is not None:
            pool.close()  # a no-op when the build used it (its runner closed it)
        if locks is not None:
            locks.release()
        reader.close()


def _same_snapshot(data: NavData, snapshot: Path) -> None:
    """Raise when the snapshot at ``snapshot`` is no longer the one ``data`` was read from (a
    fetch replaced it in between): the chapters' kernels would read the other one."""
    now = Snapshot.open(snapshot, verify=False)
    if now.checksum != data.snapshot.checksum:
        raise NavbokError(
            f"Snapshotet i {snapshot} er byttet ut etter at dataene ble lest (sjekksum "
            f"{data.snapshot.checksum[:12]} → {now.checksum[:12]}); kjør navbok build igjen."
        )


class _Build:
    """One run of :func:`build_many`: plan every municipality, then execute and render."""

    def __init__(
        self,
        project: Project,
        data: NavData,
        *,
        snapshot: Path,
        cache_dir: Path,
        build_dir: Path,
        workers: int | None,
        engine: str,
        renderer: str,
        force: bool,
        progress: bool,
        keep_going: bool,
    ) -> None:
        self.project, self.data = project, data
        self.snapshot, self.cache_dir, self.build_dir = snapshot, cache_dir, build_dir
        self.workers = workers  # None: as many as the books need (default_workers)
        self.engine, self.renderer = engine, renderer
        self.force, self.progress, self.keep_going = force, progress, keep_going
        self.stats = BuildStats()
        self.pages: dict[str, Path] = {}  # kommune → its index.html

    def run(
        self,
        kommuner: list[str],
        given: dict[str, Params],
        pool: KernelPool | None,
        t_start: float,
    ) -> BuildStats:
        """Plan, then execute and render what changed; the stats of the build."""
        project, stats = self.project, self.stats
        self.build_dir.mkdir(parents=True, exist_ok=True)
        static = StaticFiles(self.cache_dir)
        rels = project.chapters()
        sources = {rel: (project.root / rel).read_bytes() for rel in rels}
        unchecked = [k for k in kommuner if k not in given]
        all_params = {**given, **(checked_params(self.data, unchecked) if unchecked else {})}
        plans = [
            plan_book(project, self.data, all_params[k], self.build_dir, static.key, sources,
                      self.force)
            for k in kommuner
        ]  # fmt: skip
        todo = [p for p in plans if p.render]
        stats.cached_books = [p.kommune for p in plans if not p.render]
        stats.cached_chapters = sum(len(p.chapter_keys) - len(p.execute) for p in plans)
        self.pages = {p.kommune: p.out / "html" / "index.html" for p in plans}
        if todo:
            self._execute_and_render(todo, rels, sources, static, pool, plans)
        stats.pages = [self.pages[p.kommune] for p in plans]
        stats.wall = time.perf_counter() - t_start
        return stats

    def _execute_and_render(
        self,
        todo: list[Plan],
        rels: list[str],
        sources: dict[str, bytes],
        static: StaticFiles,
        pool: KernelPool | None,
        plans: list[Plan],
    ) -> None:
        project, stats, force, keep_going = self.project, self.stats, self.force, self.keep_going
        workers = self.workers or default_workers(len(todo))
        runner: ChapterRunner | None = None
        inputs: dict[str, Path] = {}
        text_only: set[str] = set()  # chapters without code: copied, never executed
        if any(p.execute for p in todo):
            inputs = stage_chapters(project, {r for p in todo for r in p.execute}, self.build_dir)
            text_only = {rel for rel, nb in inputs.items() if not staging.has_code(nb)}
        if any(rel not in text_only for p in todo for rel in p.execute):
            # What every book needs about all municipalities, read by the kernels: computed
            # here, once, when the snapshot or the code changed (before any chapter runs).
            national_facts.ensure(self.data)
            facts = national_facts.facts_dir(self.data)
            if facts is not None and facts.is_dir():  # the chapters' compiled text templates
                (facts / TEMPLATES).mkdir(exist_ok=True)
                chapter_text.keep_compiled(facts / TEMPLATES)
            warmup = kernel_warmup(self.snapshot, self.cache_dir)
            runner = ChapterRunner(
                self.engine, workers, warmup, pool if self.engine == "warm" else None
            )
        renders = Renderer(self.renderer)  # starts the render process while the kernels start
        # What lives for the whole build (the data, its memos, the plans, the libraries) is
        # frozen: Python's full collections, which the chapters' messages and notebooks
        # trigger again and again, then scan only what the build makes from now on (a full
        # collection of the whole heap took ≈ 75 ms). Nothing else changes.
        gc.freeze()
        # Municipalities whose chapters are queued ahead of the one being rendered: enough that
        # the kernels never wait for the render process (or it for them) when one book's
        # chapters or render take longer than the next's (2 left the cores idle at times).
        window = max(6, 3 * workers)
        costs: dict[str, float] = {}
        for p in plans:  # the last recorded time of each chapter, from any municipality
            for rel, sec in read_state(p.out).get("seconds", {}).items():
                costs[rel] = max(costs.get(rel, 0.0), sec)
            if len(costs) == len(rels):
                break
        submitted: dict[str, list[tuple[str, Future]]] = {}

        def submit(plan: Plan) -> None:
            parameters = stage_book(project, plan, static, self.snapshot, self.cache_dir)
            if not submitted:  # the first book's stage: the render process warms up on it
                renders.warm_up(plan.stage)
            # Longest chapters first (by the last run's times, else by size): the kernels
            # finish a municipality together instead of one waiting for the other.
            order = sorted(plan.execute, key=lambda r: -costs.get(r, len(sources[r]) / 1e5))
            submitted[plan.kommune] = []
            for rel in order:
                if rel in text_only:  # no kernel: the staged notebook is the executed one
                    copied: Future = Future()
                    copied.set_result(staging.copy(inputs[rel], plan.stage / staged_name(rel)))
                    submitted[plan.kommune].append((rel, copied))
                    continue
                assert runner is not None  # a chapter with code to run
                future = runner.submit(
                    f"{plan.kommune}/{rel}",
                    inputs[rel],
                    plan.stage / staged_name(rel),
                    parameters,
                    source=project.root / rel,
                )
                submitted[plan.kommune].append((rel, future))

        bar = None
        if self.progress and len(todo) > 1:
            from tqdm import tqdm

            bar = tqdm(total=len(todo), desc="Bygger", unit="kommune")
        # Books handed to the renderer, oldest first: (plan, its state, the render's future).
        rendering: deque[tuple[Plan, dict, Future]] = deque()

        def finish(plan: Plan, state: dict, failure: NavbokError | None) -> None:
            if failure is not None:
                stats.failed[plan.kommune] = str(failure)
            else:
                write_state(plan.out, dict(state, book=plan.book_key))
            if bar is not None:
                bar.update()

        def collect(plan: Plan, state: dict, fut: Future) -> None:
            try:
                self.pages[plan.kommune], stats.renders[plan.kommune] = fut.result()
            except NavbokError as exc:
                if not keep_going:
                    raise
                finish(plan, state, exc)
            else:
                finish(plan, state, None)

        try:
            for i, plan in enumerate(todo):
                for ahead in todo[i : i + window]:
                    if ahead.kommune not in submitted:
                        submit(ahead)
                state = read_state(plan.out) if not force else {}
                done = {
                    r: k
                    for r, k in state.get("chapters", {}).items()
                    if r in plan.chapter_keys and r not in plan.execute
                }
                seconds = dict(state.get("seconds", {}))
                failure: NavbokError | None = None
                for rel, fut in submitted.pop(plan.kommune):
                    try:
                        fut.result()
                    except ChapterFailed as exc:
                        if not keep_going:
                            raise
                        failure = failure or exc
                        continue
                    done[rel] = plan.chapter_keys[rel]
                    name = f"{plan.kommune}/{rel}"
                    times = runner.times if runner is not None else {}
                    if name in times:
                        seconds[rel] = round(times[name], 3)
                    state = {"chapters": done, "book": state.get("book"), "seconds": seconds}
                    write_state(plan.out, state)
                state = dict(state, chapters=done, seconds=seconds)
                if failure is None:
                    rendering.append((plan, state, renders.submit(plan.stage, plan.out)))
                else:
                    finish(plan, state, failure)
                while len(rendering) > 1 or (rendering and rendering[0][2].done()):
                    collect(*rendering.popleft())
            while rendering:
                collect(*rendering.popleft())
        finally:
            if bar is not None:
                bar.close()
            for futs in submitted.values():
                for _, fut in futs:
                    fut.cancel()
            renders.close()
            if runner is not None:
                runner.close()
                stats.notebooks = runner.times


def build_one(
    data: NavData,
    kommune: str,
    *,
    project: Project | None = None,
    snapshot: Path = DEFAULT_DIR,
    cache_dir: Path = CACHE_DIR,
    build_dir: Path = BUILD_DIR,
    params: Params | None = None,
    workers: int | None = None,
    engine: str = "warm",
    renderer: str = "worker",
    force: bool = False,
) -> Path:
    """Build one municipality's book; returns the path of its index.html.

    ``kommune``: a code or name, resolved here; ``params`` (optional) must be for it."""
    kommune = data.resolve(kommune).code
    if params is not None and params.kommune != kommune:
        raise ConfigError(f"parameterne gjelder kommune {params.kommune}, ikke {kommune}")
    stats = build_many(
        data,
        [kommune],
        project=project,
        snapshot=snapshot,
        cache_dir=cache_dir,
        build_dir=build_dir,
        params={kommune: params} if params else None,
        workers=workers,
        engine=engine,
        renderer=renderer,
        force=force,
    )
    return stats.pages[0]


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def resolve_kommuner(
    data: NavData, kommune: str | None, all_: bool, notify: Callable[[str], None] | None = None
) -> list[str]:
    """The municipalities a ``navbok build`` asks for, as codes, each once, in order.

    ``kommune``: comma-separated codes or names (``notify`` gets the notice for an old code,
    «0219 … bruker 3201», once however often the code is repeated); ``all_``: every
    municipality of the snapshot's register."""
    if all_:
        return list(data.register.target_codes)
    kommuner = []
    notices: set[str] = set()
    for name in dict.fromkeys(k.strip() for k in (kommune or "").split(",") if k.strip()):
        m = data.resolve(name)
        if m.notice and notify is not None and m.notice not in notices:
            notices.add(m.notice)
            notify(m.notice)
        kommuner.append(m.code)
    return list(dict.fromkeys(kommuner))


@snapshot_lock.reads_snapshot("snapshot")  # one snapshot from start to end (the site too)
def main(
    kommune: str | None,
    all_: bool,
    snapshot: Path = DEFAULT_DIR,
    cache_dir: Path = CACHE_DIR,
    build_dir: Path = BUILD_DIR,
    *,
    project: Project | None = None,
    workers: int | None = None,
    engine: str = "warm",
    renderer: str = "worker",
    force: bool = False,
    keep_going: bool = False,
    stats: BuildStats | None = None,
    lock_timeout: float | None = None,
    notify: Callable[[str], None] | None = None,
) -> list[Path]:
    """``navbok build``: one, several (comma-separated codes or names) or all municipalities.

    Nothing starts before the request is known to be good: the municipalities are resolved
    (``notify`` gets the notice for an old code, «0219 … bruker 3201»), their params checked
    and their build locks taken; only then do the warm kernels start. ``lock_timeout``: the
    most seconds to wait for a build of the same municipality in another process.
    """
    gc.freeze()  # the modules imported so far stay: full collections need not scan them
    check_engine(engine)
    _check_renderer(renderer)
    if workers is not None and workers < 1:
        raise NavbokError(f"--workers must be at least 1 (got {workers})")
    if not all_:
        if kommune is None:
            raise NavbokError(
                "Say which municipality to build: --kommune KOMMUNE[,KOMMUNE…] or --all"
            )
        if not [k for k in kommune.split(",") if k.strip()]:
            raise NavbokError(
                f"ingen kommune oppgitt (--kommune {kommune!r}); bruk --kommune KOMMUNE[,KOMMUNE…] "
                "eller --all"
            )
    project = project or Project.find()
    project.chapters()  # the book's sources are there (else one line, before anything starts)
    data = NavData.load(snapshot, cache_dir=cache_dir)
    kommuner = resolve_kommuner(data, kommune, all_, notify)
    params = checked_params(data, kommuner)
    locks = BuildLock(Path(build_dir) / k for k in kommuner)
    pool = None
    try:
        locks.acquire(lock_timeout, notify)
        # the kernels boot while the build process prepares the static files and plans
        pool = start_kernels_early(kommuner, snapshot, cache_dir, build_dir, workers, engine, force)
        result = build_many(
            data,
            kommuner,
            project=project,
            snapshot=snapshot,
            cache_dir=cache_dir,
            build_dir=build_dir,
            params=params,
            workers=workers,
            engine=engine,
            renderer=renderer,
            force=force,
            progress=True,
            keep_going=keep_going,
            pool=pool,
            lock=False,
        )
    finally:
        if pool is not None:
            pool.close()
        locks.release()
    pages = [p for p in result.pages if p.is_file()]
    from navbok.site.products import build_site  # imported late: the kernels start sooner

    # The national site from the build folder's state: every book built so far, the maps,
    # the country's files, each book's workbook and print summary (navbok.site.products).
    landing, _ = build_site(
        data,
        Path(build_dir),
        Path(cache_dir) / BOOK_STATIC,
        project,
        workers=workers,
        notify=notify,
    )
    if len(kommuner) > 1:
        pages.append(landing)
    if stats is not None:
        stats.__dict__.update(result.__dict__)
        stats.pages = pages
    if result.failed:
        lines = "\n".join(f"  {k}: {msg}" for k, msg in sorted(result.failed.items()))
        of = _plural(len(kommuner), "kommune", "kommuner")
        raise NavbokError(f"{len(result.failed)} av {of} feilet:\n{lines}")
    return pages
