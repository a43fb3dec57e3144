"""Build municipalities' books: execute each chapter, render with Jupyter Book, cache.

The book's sources live at the top of the repository (``_config.yml``, ``_toc.yml``,
``chapters/``; :func:`book_root` says where an installed navbok looks for them). For each
municipality they are staged under ``_build/<kode>/src`` with the executed notebooks; Jupyter
Book renders with ``execute_notebooks: "off"``; the HTML is moved to ``_build/<kode>/html`` only
when every chapter ran and the render succeeded, so a failed build never leaves a half-built
book in place of a whole one.

Speed (see README, "Performance"):

* chapters run on warm kernels (:class:`navbok.build.engine.KernelPool`, one per core) that
  import navbok and load the data once, reset between chapters so that the executed notebook
  equals a fresh-kernel papermill run; ``engine="fresh"`` is the plain papermill path;
* books are rendered in one long-lived render process (:func:`navbok.build.render.render_inprocess`
  there, see :class:`_Renderer`) while the kernels already execute the next municipalities'
  chapters;
* a content-addressed cache: a chapter is executed again only when its key changes (chapter
  notebook, the municipality's params, snapshot checksum, code fingerprint); a book is rendered
  again only when a chapter or the book's configuration changed. Keys live in
  ``_build/<kode>/build.json``.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import html
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import yaml

from navbok.build.engine import ChapterFailed, KernelPool, execute_fresh, warmup_code
from navbok.build.lock import BuildLock
from navbok.build.render import render_inprocess, render_subprocess
from navbok.build.staging import stage as stage_chapter
from navbok.build.staging import staged_name
from navbok.data import CACHE_DIR, NavData
from navbok.errors import ConfigError, NavbokError
from navbok.params import PARAMS_DIR, Params, check_params, params_for
from navbok.present.charts import write_vega_bundle
from navbok.snapshot import DEFAULT_DIR


def book_root() -> Path:
    """Where the book's sources are (``_config.yml``, ``_toc.yml``, ``chapters/``).

    ``$NAVBOK_BOOK_ROOT``; else the checkout navbok runs from (an editable install); else the
    current directory (navbok installed from a wheel, run in a copy of the book's sources).
    """
    if env := os.environ.get("NAVBOK_BOOK_ROOT"):
        return Path(env)
    checkout = Path(__file__).resolve().parents[3]
    return checkout if (checkout / "_toc.yml").is_file() else Path.cwd()


BOOK_ROOT = book_root()
BUILD_DIR = Path("_build")
STATIC = Path(__file__).resolve().parents[1] / "present" / "static"
PACKAGE = Path(__file__).resolve().parents[1]
DEMO_BANNER = (
    "DEMODATA: Denne boken er laget av syntetiske testdata. Tallene er ikke offisiell "
    "statistikk og må ikke siteres."
)
ENGINES = ("warm", "fresh")
RENDERERS = ("inprocess", "subprocess")
STATE_FILE = "build.json"
STAGED_CHAPTERS = "_chapters"  # in the build folder: the chapters' text as notebooks
KEY_VERSION = "1"
# Libraries whose version changes what a page looks like.
_VERSIONED = (
    "jupyter-book",
    "sphinx",
    "sphinx-book-theme",
    "pydata-sphinx-theme",
    "myst-nb",
    "papermill",
    "jupytext",
    "altair",
    "vl-convert-python",
    "pandas",
    "openpyxl",
    "babel",
)

__all__ = ["BuildStats", "ChapterFailed", "build_many", "build_one", "chapters", "main"]


def chapters() -> list[str]:
    """Chapter sources in table-of-contents order (paths relative to the book root).

    A chapter is a MyST Markdown notebook (``chapters/<name>.md``, :mod:`navbok.build.staging`);
    ``_toc.yml`` names it without the extension."""
    if not (BOOK_ROOT / "_toc.yml").is_file():
        raise ConfigError(
            f"Finner ikke bokas kilder: {BOOK_ROOT / '_toc.yml'} mangler. Kjør navbok build i en "
            "mappe med _config.yml, _toc.yml og chapters/ (som navbok-repoet), eller sett "
            "NAVBOK_BOOK_ROOT til en slik mappe."
        )
    toc = yaml.safe_load((BOOK_ROOT / "_toc.yml").read_text("utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}]):
        files += [c["file"] for c in part.get("chapters", [])]
    return [f if f.endswith(".md") else f + ".md" for f in files]


# libyaml when installed (the same documents and text as the pure-Python classes, ≈ 10×
# faster: planning the national edition parsed and wrote YAML 1 000 times).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@functools.lru_cache(maxsize=4)
def _base_config(text: str) -> dict:
    return yaml.load(text, Loader=_LOADER)


def _config(params: Params, synthetic: bool) -> str:
    doc = copy.deepcopy(_base_config((BOOK_ROOT / "_config.yml").read_text("utf-8")))
    doc["title"] = params.title
    if synthetic:
        doc.setdefault("html", {})["announcement"] = DEMO_BANNER
    return yaml.dump(doc, Dumper=_DUMPER, allow_unicode=True, sort_keys=False)


# ------------------------------------------------------------------------------ cache keys

_FINGERPRINT: str | None = None


def code_fingerprint() -> str:
    """A hash of navbok's own files and the versions of the libraries that shape a page."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        h = hashlib.sha256(KEY_VERSION.encode())
        for path in sorted(PACKAGE.rglob("*")):
            if path.is_file() and path.suffix in {".py", ".yaml", ".yml", ".css", ".js", ".json"}:
                h.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
                h.update(path.read_bytes())
        for dist in _VERSIONED:
            try:
                h.update(f"{dist}={metadata.version(dist)}\n".encode())
            except metadata.PackageNotFoundError:
                h.update(f"{dist}=-\n".encode())
        _FINGERPRINT = h.hexdigest()
    return _FINGERPRINT


def _sha(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def chapter_key(rel: str, source: bytes, *base: str) -> str:
    """A chapter's cache key: its path and text (the ``.md`` bytes, not the staged notebook),
    plus ``base`` (the municipality's params, the snapshot checksum, the code fingerprint)."""
    return _sha(rel, source, *base)


@dataclass
class Plan:
    """What one municipality's build needs: its params, keys and the work left to do."""

    params: Params
    out: Path
    config: str
    chapter_keys: dict[str, str]
    book_key: str
    execute: list[str] = field(default_factory=list)  # chapters to run (relative paths)
    render: bool = True

    @property
    def kode(self) -> str:
        return self.params.kommune

    @property
    def stage(self) -> Path:
        return (self.out / "src").resolve()


@dataclass
class BuildStats:
    """Timings of a build: per executed notebook, per render, and what the cache skipped."""

    notebooks: dict[str, float] = field(default_factory=dict)  # "<kode>/<chapter>" → s
    renders: dict[str, float] = field(default_factory=dict)  # kode → s
    cached_books: list[str] = field(default_factory=list)
    cached_chapters: int = 0
    failed: dict[str, str] = field(default_factory=dict)  # kode → error (with keep_going)
    pages: list[Path] = field(default_factory=list)
    wall: float = 0.0


def _read_state(out: Path) -> dict:
    try:
        return json.loads((out / STATE_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def _write_state(out: Path, state: dict) -> None:
    tmp = out / (STATE_FILE + ".tmp")
    tmp.write_text(json.dumps(state, indent=1, sort_keys=True), "utf-8")
    os.replace(tmp, out / STATE_FILE)


class _Static:
    """The book's static files, made once per build and copied into every stage."""

    def __init__(self, cache_dir: Path) -> None:
        self.dir = Path(cache_dir) / "book-static"
        write_vega_bundle(self.dir)  # kept between builds: ≈ 4 s to make
        for f in STATIC.iterdir():
            if f.is_file():
                shutil.copy(f, self.dir / f.name)
        self.files = sorted(p for p in self.dir.iterdir() if p.is_file())
        self.key = _sha(*(p.name + ":" + _sha(p.read_bytes()) for p in self.files))

    def copy_to(self, dest: Path) -> None:
        dest.mkdir(parents=True, exist_ok=True)
        for f in self.files:
            shutil.copyfile(f, dest / f.name)


def checked_params(data: NavData, codes: list[str]) -> dict[str, Params]:
    """Each municipality's params (its params file, else defaults), checked against the data.

    A bad params file is one :class:`~navbok.errors.ConfigError` naming it, before anything
    runs."""
    out = {}
    for code in codes:
        p = params_for(data, code)
        curated = PARAMS_DIR / f"{code}.yml"
        check_params(p, data, str(curated) if curated.is_file() else f"parametere for {code}")
        out[code] = p
    return out


def plan_book(
    data: NavData,
    params: Params,
    build_dir: Path,
    static_key: str,
    sources: dict[str, bytes],
    force: bool = False,
) -> Plan:
    """Keys for one municipality, and which chapters (if any) must run again."""
    out = build_dir / params.kommune
    config = _config(params, data.snapshot.synthetic)
    toc = (BOOK_ROOT / "_toc.yml").read_bytes()
    base = (params.to_yaml(), data.snapshot.checksum, code_fingerprint())
    chapter_keys = {rel: chapter_key(rel, src, *base) for rel, src in sources.items()}
    book_key = _sha(config, toc, static_key, *sorted(f"{r}={k}" for r, k in chapter_keys.items()))
    plan = Plan(params, out, config, chapter_keys, book_key)
    state = {} if force else _read_state(out)
    done = state.get("chapters", {})
    plan.execute = [
        rel
        for rel, key in chapter_keys.items()
        if done.get(rel) != key or not (plan.stage / staged_name(rel)).is_file()
    ]
    plan.render = bool(
        plan.execute or state.get("book") != book_key or not (out / "html" / "index.html").is_file()
    )
    return plan


def stage_book(plan: Plan, static: _Static, snapshot: Path, cache_dir: Path) -> dict[str, str]:
    """Write the stage's config, toc, static files and params; return the chapter parameters."""
    stage = plan.stage
    stage.mkdir(parents=True, exist_ok=True)
    (stage / "_config.yml").write_text(plan.config, "utf-8")
    shutil.copy(BOOK_ROOT / "_toc.yml", stage / "_toc.yml")
    static.copy_to(stage / "_static")
    params_file = stage / "params.yml"
    params_file.write_text(plan.params.to_yaml(), "utf-8")
    wanted = {staged_name(rel) for rel in plan.chapter_keys}
    for nb in stage.rglob("*.ipynb"):  # chapters no longer in the table of contents
        if "_build" not in nb.parts and nb.relative_to(stage).as_posix() not in wanted:
            nb.unlink()
    for rel in plan.execute:
        (stage / staged_name(rel)).parent.mkdir(parents=True, exist_ok=True)
    return {
        "kommune": plan.params.kommune,
        "snapshot": str(Path(snapshot).resolve()),
        "params_file": str(params_file.resolve()),
        "cache_dir": str(Path(cache_dir).resolve()),
    }


def render(stage: Path, out: Path, renderer: str = "inprocess") -> Path:
    """Render a staged book with Jupyter Book; move the HTML to ``out/html``."""
    if renderer not in RENDERERS:
        raise NavbokError(f"Unknown renderer {renderer!r}; use one of {', '.join(RENDERERS)}")
    stage = Path(stage)
    if (stage / "_build").exists():
        shutil.rmtree(stage / "_build")  # always a clean Sphinx build
    built = render_inprocess(stage) if renderer == "inprocess" else render_subprocess(stage)
    target = Path(out) / "html"
    tmp = Path(out) / "html.new"
    if tmp.exists():
        shutil.rmtree(tmp)
    shutil.move(str(built), tmp)
    if target.exists():
        shutil.rmtree(target)
    os.replace(tmp, target)
    return target / "index.html"


def _warm_renderer() -> None:
    try:
        import jupyter_book.sphinx  # noqa: F401
        import myst_nb  # noqa: F401
        import sphinx_book_theme  # noqa: F401
    except ImportError:
        pass


def _render_timed(stage: Path, out: Path, renderer: str) -> tuple[Path, float]:
    t0 = time.perf_counter()
    page = render(stage, out, renderer)
    return page, time.perf_counter() - t0


class _Renderer:
    """Renders books one at a time, in order, off the thread that drives the kernels.

    ``inprocess``: in one long-lived *render process* (:mod:`navbok.build.render_worker`,
    started at once: it imports Sphinx while the kernels start, then keeps its caches, see
    :mod:`navbok.build.render`). It has its own interpreter lock: in the build process,
    rendering competed with the kernels' papermill clients for one lock, and that process
    became the bottleneck of a national build. ``subprocess``: the ``jupyter-book`` command,
    one per book. Either way a thread here waits for the result.
    """

    def __init__(self, renderer: str) -> None:
        if renderer not in RENDERERS:
            raise NavbokError(f"Unknown renderer {renderer!r}; use one of {', '.join(RENDERERS)}")
        self.renderer = renderer
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="navbok-render")
        self._proc: subprocess.Popen | None = None
        if renderer == "inprocess":
            import navbok

            env = dict(os.environ)
            src = str(Path(navbok.__file__).resolve().parents[1])
            env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "navbok.build.render_worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                env=env,
            )

    def _ask(self, stage: Path, out: Path) -> tuple[Path, float]:
        proc = self._proc
        if proc is None:
            return _render_timed(stage, out, self.renderer)
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(json.dumps({"stage": str(stage), "out": str(out)}) + "\n")
            proc.stdin.flush()
            while True:
                line = proc.stdout.readline()
                if not line:
                    raise OSError("no answer")
                reply = json.loads(line)
                if not reply.get("ready"):
                    break
        except (OSError, ValueError) as exc:
            raise NavbokError(
                f"The render process stopped (exit code {proc.poll()}); run the build again"
            ) from exc
        if "error" in reply:
            raise NavbokError(reply["error"])
        return Path(reply["page"]), float(reply["seconds"])

    def submit(self, stage: Path, out: Path) -> Future:
        """Render ``stage`` into ``out/html``; the future gives ``(index.html, seconds)``."""
        return self._thread.submit(self._ask, Path(stage), Path(out))

    def close(self) -> None:
        self._thread.shutdown(wait=True, cancel_futures=True)
        if self._proc is not None:
            if self._proc.stdin is not None:
                self._proc.stdin.close()
            try:
                self._proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()


class _Runner:
    """Executes chapters with the chosen engine; records per-notebook times."""

    def __init__(
        self, engine: str, workers: int, warmup: str | None = None, pool: KernelPool | None = None
    ) -> None:
        if engine not in ENGINES:
            raise NavbokError(f"Unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
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
        """Run the notebook ``src`` into ``dest``; a failure names ``source`` (default ``src``)."""
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
        """Execution time of every finished notebook, by ``<kode>/<chapter>``."""
        if isinstance(self._pool, KernelPool):
            with self._pool._lock:
                return dict(self._pool.timings)
        with self._lock:
            return dict(self._times)

    def close(self) -> None:
        if isinstance(self._pool, KernelPool):
            self._pool.close()
        else:
            self._pool.shutdown(wait=True, cancel_futures=True)


def build_many(
    data: NavData,
    codes: list[str],
    *,
    snapshot: Path = DEFAULT_DIR,
    cache_dir: Path = CACHE_DIR,
    build_dir: Path = BUILD_DIR,
    params: dict[str, Params] | None = None,
    workers: int | None = None,
    engine: str = "warm",
    renderer: str = "inprocess",
    force: bool = False,
    progress: bool = False,
    keep_going: bool = False,
    pool: KernelPool | None = None,
    lock: bool = True,
    lock_timeout: float | None = None,
    notify: Callable[[str], None] | None = None,
) -> BuildStats:
    """Build several municipalities' books, executing and rendering only what changed.

    Chapters of the next municipalities execute on the kernels while this thread renders the
    previous one. The first failing chapter stops the build (:class:`ChapterFailed`); books
    already built stay, and the failing municipality's previous book stays in place. With
    ``keep_going`` the other municipalities are still built and the failures are listed in
    :attr:`BuildStats.failed`. ``pool``: warm kernels the caller started early (used for the
    warm engine, else closed, also when the build fails). ``lock``: hold each municipality's
    build lock (``_build/<kode>/build.lock``, see :mod:`navbok.build.lock`) for the whole build;
    a build held elsewhere is waited for (``notify`` says who holds it), at most
    ``lock_timeout`` seconds. ``lock=False``: the caller holds the locks.
    """
    t_start = time.perf_counter()
    build_dir = Path(build_dir)
    locks = BuildLock(build_dir / code for code in codes) if lock else None
    try:
        if locks is not None:
            locks.acquire(lock_timeout, notify)
        return _build_many(
            data, codes, snapshot=snapshot, cache_dir=cache_dir, build_dir=build_dir,
            params=params, workers=workers, engine=engine, renderer=renderer, force=force,
            progress=progress, keep_going=keep_going, pool=pool, t_start=t_start,
        )  # fmt: skip
    finally:
        if pool is not None:
            pool.close()  # a no-op when the build used it (its runner closed it)
        if locks is not None:
            locks.release()


def _build_many(
    data: NavData,
    codes: list[str],
    *,
    snapshot: Path,
    cache_dir: Path,
    build_dir: Path,
    params: dict[str, Params] | None,
    workers: int | None,
    engine: str,
    renderer: str,
    force: bool,
    progress: bool,
    keep_going: bool,
    pool: KernelPool | None,
    t_start: float,
) -> BuildStats:
    build_dir.mkdir(parents=True, exist_ok=True)
    static = _Static(cache_dir)
    rels = chapters()
    sources = {rel: (BOOK_ROOT / rel).read_bytes() for rel in rels}
    stats = BuildStats()
    given = params or {}
    unchecked = [c for c in codes if c not in given]
    all_params = {**given, **(checked_params(data, unchecked) if unchecked else {})}
    plans = [plan_book(data, all_params[c], build_dir, static.key, sources, force) for c in codes]
    todo = [p for p in plans if p.render]
    stats.cached_books = [p.kode for p in plans if not p.render]
    stats.cached_chapters = sum(len(p.chapter_keys) - len(p.execute) for p in plans)
    pages = {p.kode: p.out / "html" / "index.html" for p in plans}
    if todo:
        workers = workers or os.cpu_count() or 1
        warmup = warmup_code(str(Path(snapshot).resolve()), str(Path(cache_dir).resolve()))
        inputs: dict[str, Path] = {}
        if any(p.execute for p in todo):
            # Each chapter's text as a notebook, once for all municipalities (papermill injects
            # the parameters): staged in the build folder, never in chapters/.
            inputs = {
                rel: stage_chapter(
                    BOOK_ROOT / rel, (build_dir / STAGED_CHAPTERS / staged_name(rel)).resolve()
                )
                for rel in {r for p in todo for r in p.execute}
            }
            runner = _Runner(engine, workers, warmup, pool if engine == "warm" else None)
            pool = None
        else:
            runner = None
        renders = _Renderer(renderer)  # starts the render process while the kernels start
        window = max(2, workers)  # municipalities queued ahead of the one being rendered
        costs: dict[str, float] = {}
        for p in plans:  # the last recorded time of each chapter, from any municipality
            for rel, sec in _read_state(p.out).get("seconds", {}).items():
                costs[rel] = max(costs.get(rel, 0.0), sec)
            if len(costs) == len(rels):
                break
        submitted: dict[str, list[tuple[str, Future]]] = {}

        def submit(plan: Plan) -> None:
            parameters = stage_book(plan, static, snapshot, cache_dir)
            # Longest chapters first (by the last run's times, else by size): the kernels
            # finish a municipality together instead of one waiting for the other.
            order = sorted(plan.execute, key=lambda r: -costs.get(r, len(sources[r]) / 1e5))
            submitted[plan.kode] = (
                [
                    (
                        rel,
                        runner.submit(
                            f"{plan.kode}/{rel}",
                            inputs[rel],
                            plan.stage / staged_name(rel),
                            parameters,
                            source=BOOK_ROOT / rel,
                        ),
                    )
                    for rel in order
                ]
                if runner
                else []
            )

        bar = None
        if progress and len(todo) > 1:
            from tqdm import tqdm

            bar = tqdm(total=len(todo), desc="Bygger", unit="kommune")
        # Books handed to the renderer, oldest first: (plan, its state, the render's future).
        rendering: deque[tuple[Plan, dict, Future]] = deque()

        def finish(plan: Plan, state: dict, failure: NavbokError | None) -> None:
            if failure is not None:
                stats.failed[plan.kode] = str(failure)
            else:
                _write_state(plan.out, dict(state, book=plan.book_key))
            if bar is not None:
                bar.update()

        def collect(plan: Plan, state: dict, fut: Future) -> None:
            try:
                pages[plan.kode], stats.renders[plan.kode] = fut.result()
            except NavbokError as exc:
                if not keep_going:
                    raise
                finish(plan, state, exc)
            else:
                finish(plan, state, None)

        try:
            for i, plan in enumerate(todo):
                for ahead in todo[i : i + window]:
                    if ahead.kode not in submitted:
                        submit(ahead)
                state = _read_state(plan.out) if not force else {}
                done = {
                    r: k
                    for r, k in state.get("chapters", {}).items()
                    if r in plan.chapter_keys and r not in plan.execute
                }
                seconds = dict(state.get("seconds", {}))
                failure: NavbokError | None = None
                for rel, fut in submitted.pop(plan.kode):
                    try:
                        fut.result()
                    except ChapterFailed as exc:
                        if not keep_going:
                            raise
                        failure = failure or exc
                        continue
                    done[rel] = plan.chapter_keys[rel]
                    if runner is not None and f"{plan.kode}/{rel}" in runner.times:
                        seconds[rel] = round(runner.times[f"{plan.kode}/{rel}"], 3)
                    state = {"chapters": done, "book": state.get("book"), "seconds": seconds}
                    _write_state(plan.out, state)
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
    stats.pages = [pages[p.kode] for p in plans]
    stats.wall = time.perf_counter() - t_start
    return stats


def build_one(
    data: NavData,
    kommune: str,
    *,
    snapshot: Path = DEFAULT_DIR,
    cache_dir: Path = CACHE_DIR,
    build_dir: Path = BUILD_DIR,
    params: Params | None = None,
    workers: int | None = None,
    engine: str = "warm",
    renderer: str = "inprocess",
    force: bool = False,
) -> Path:
    """Build one municipality's book; returns the path of its index.html."""
    code = params.kommune if params else data.resolve(kommune).code
    stats = build_many(
        data,
        [code],
        snapshot=snapshot,
        cache_dir=cache_dir,
        build_dir=build_dir,
        params={code: params} if params else None,
        workers=workers,
        engine=engine,
        renderer=renderer,
        force=force,
    )
    return stats.pages[0]


def landing_page(
    built: dict[str, str], build_dir: Path = BUILD_DIR, *, snapshot: object = None
) -> Path:
    """A national landing page: every built municipality, searchable by name or number.

    With the ``snapshot`` the books were built from, the page says where the numbers come
    from and when they were fetched, and shows the demo warning when any source is synthetic
    (all from the snapshot's manifest)."""
    from navbok.present.formatting import Provenance

    site = build_dir / "site"
    site.mkdir(parents=True, exist_ok=True)
    items = "\n".join(
        f'<li data-search="{html.escape(code + " " + name.casefold())}">'
        f'<a href="../{code}/html/index.html">{html.escape(name)}</a> '
        f'<span class="kode">{code}</span></li>'
        for code, name in sorted(built.items(), key=lambda kv: kv[1])
    )
    notice, sources = "", ""
    if snapshot is not None:
        prov = Provenance.of(snapshot)
        if prov.synthetic:
            notice = (
                '<p class="navbok-demo" role="alert"><strong>'
                f"{html.escape(DEMO_BANNER)}</strong> Syntetiske kilder: "
                f"{html.escape(prov.synthetic)}.</p>"
            )
        sources = (
            f'<p class="kilde">Kilde: {html.escape(prov.sources)}. '
            f"Data hentet {html.escape(prov.fetched)}.</p>"
        )
    page = (
        LANDING.replace("{notice}", notice)
        .replace("{sources}", sources)
        .replace("{items}", items)
        .replace("{count}", str(len(built)))
    )
    (site / "index.html").write_text(page, "utf-8")
    (site / "kommuner.json").write_text(json.dumps(built, ensure_ascii=False, indent=1), "utf-8")
    return site / "index.html"


LANDING = """<!DOCTYPE html>
<html lang="nb"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>navbok – sosialtjenesten i norske kommuner</title>
<style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;
color:#1a1a1a}ul{list-style:none;padding:0;columns:2}li{padding:.2rem 0}
.kode{color:#555;font-size:.9em}input{font-size:1.1rem;padding:.4rem;width:100%}
.navbok-demo{background:#7a1020;color:#fff;padding:.6rem 1rem;font-weight:600}
.kilde{font-size:.9em;color:#333}
@media print{.navbok-demo{background:none;color:#000;border:3px solid #000}
input,label{display:none}}</style>
</head><body>{notice}<main>
<h1>navbok: sosialtjenesten i norske kommuner</h1>
<p>{count} kommuner. Søk etter navn eller kommunenummer.</p>
{sources}
<label for="sok">Søk etter kommune</label>
<input id="sok" type="search" autocomplete="off">
<ul id="kommuner">
{items}
</ul></main>
<script>
document.getElementById('sok').addEventListener('input', function (e) {
  var q = e.target.value.trim().toLowerCase();
  document.querySelectorAll('#kommuner li').forEach(function (li) {
    li.hidden = q !== '' && li.dataset.search.indexOf(q) === -1;
  });
});
</script></body></html>
"""


def _early_pool(
    kommune: str | None,
    all_: bool,
    snapshot: Path,
    cache_dir: Path,
    build_dir: Path,
    workers: int | None,
    engine: str,
    force: bool,
) -> KernelPool | None:
    """Start the warm kernels before planning when chapters will surely run (a municipality,
    by number, that has no build yet): they boot while this process makes the static files and
    plans. :func:`main` calls it only once the municipalities are resolved, their params
    checked and their build locks held, so a bad request never starts a kernel. A no-op
    rebuild starts no kernel."""
    if engine != "warm" or all_ or not kommune:
        return None
    codes = [k.strip() for k in kommune.split(",") if k.strip()]
    if not codes or not all(c.isdigit() and len(c) == 4 for c in codes):
        return None
    if not force and all((Path(build_dir) / c / STATE_FILE).is_file() for c in codes):
        return None
    warmup = warmup_code(str(Path(snapshot).resolve()), str(Path(cache_dir).resolve()))
    return KernelPool(workers or os.cpu_count() or 1, warmup=warmup)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def main(
    kommune: str | None,
    all_: bool,
    snapshot: Path = DEFAULT_DIR,
    cache_dir: Path = CACHE_DIR,
    build_dir: Path = BUILD_DIR,
    *,
    workers: int | None = None,
    engine: str = "warm",
    renderer: str = "inprocess",
    force: bool = False,
    keep_going: bool = False,
    stats: BuildStats | None = None,
    lock_timeout: float | None = None,
    notify: Callable[[str], None] | None = None,
) -> list[Path]:
    """``navbok build``: one, several (comma-separated) or all municipalities.

    Nothing starts before the request is known to be good: the municipalities are resolved
    (``notify`` gets the notice for an old code, «0219 … bruker 3201»), their params checked
    and their build locks taken; only then do the warm kernels start. ``lock_timeout``: the
    most seconds to wait for a build of the same municipality in another process.
    """
    if engine not in ENGINES:
        raise NavbokError(f"Unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    if renderer not in RENDERERS:
        raise NavbokError(f"Unknown renderer {renderer!r}; use one of {', '.join(RENDERERS)}")
    if workers is not None and workers < 1:
        raise NavbokError(f"--workers must be at least 1 (got {workers})")
    names: list[str] = []
    if not all_:
        if kommune is None:
            raise NavbokError("Say which municipality to build: --kommune KODE[,KODE…] or --all")
        names = [k.strip() for k in kommune.split(",") if k.strip()]
        if not names:
            raise NavbokError(
                f"ingen kommune oppgitt (--kommune {kommune!r}); bruk --kommune KODE[,KODE…] "
                "eller --all"
            )
    data = NavData.load(snapshot, cache_dir=cache_dir)
    if all_:
        codes = data.register.target_codes
    else:
        codes = []
        for name in names:
            m = data.resolve(name)
            if m.notice and notify is not None:
                notify(m.notice)
            codes.append(m.code)
    codes = list(dict.fromkeys(codes))
    params = checked_params(data, codes)
    locks = BuildLock(Path(build_dir) / code for code in codes)
    pool = None
    try:
        locks.acquire(lock_timeout, notify)
        # Kernels boot while the build process prepares the static files and plans.
        pool = _early_pool(
            ",".join(codes), all_, snapshot, cache_dir, build_dir, workers, engine, force
        )
        result = build_many(
            data,
            codes,
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
    if len(codes) > 1:
        built = {c: data.name(c) for c, p in zip(codes, result.pages, strict=True) if p.is_file()}
        pages.append(landing_page(built, Path(build_dir), snapshot=data.snapshot))
    if stats is not None:
        stats.__dict__.update(result.__dict__)
        stats.pages = pages
    if result.failed:
        lines = "\n".join(f"  {k}: {msg}" for k, msg in sorted(result.failed.items()))
        of = _plural(len(codes), "kommune", "kommuner")
        raise NavbokError(f"{len(result.failed)} av {of} feilet:\n{lines}")
    return pages
