"""Rendering a staged book to HTML with Jupyter Book 1.x, and the render process that does it.

Two renderers (``navbok build --renderer``):

* ``worker`` (the default): one long-lived *render process* (:mod:`navbok.builder.render_worker`)
  renders every book of the build with :func:`sphinx_build`. ``jupyter-book build`` spends
  most of a municipality's render time importing Sphinx, the theme and the extensions
  (≈ 1.5 s of ≈ 2 s); :func:`sphinx_build` calls the same function the CLI calls
  (``jupyter_book.sphinx.build_sphinx``, with the same configuration overrides), so the render
  process pays the imports once and then, with its speed-ups (:mod:`navbok.builder.speedups`),
  ≈ 0.35 s of CPU per six-chapter book (≈ 0.55 s without them). It has its own interpreter
  lock: in the build process, rendering competed with the kernels' papermill clients for one
  lock, and that process became the bottleneck of a national build.
* ``subprocess``: :func:`jupyter_book_build`, the ``jupyter-book build`` command, one process
  per book (the naive path).

The pages are the same either way (``tests/test_builder_fast.py`` compares them).

One wrinkle: Sphinx hands extensions the *default* list of ``templates_path``, and
sphinx-book-theme and pydata-sphinx-theme append to it, so a second build in the same process
would see the first build's entries. Every build here gets a fresh list.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import nbformat

from navbok import yaml_io
from navbok.builder import speedups
from navbok.errors import NavbokError

RENDERERS = ("worker", "subprocess")
_LOCK = threading.Lock()  # docutils/Sphinx global state: one build at a time per process

Builder = Callable[[Path], Path]  # builds a stage into stage/_build/html, returns that folder


def _overrides(stage: Path) -> dict:
    # What `jupyter-book build DIR` passes (jupyter_book/cli/main.py), plus a fresh
    # templates_path list (see the module docstring): the book's own, if it sets one.
    doc = yaml_io.load((stage / "_config.yml").read_text("utf-8")) or {}
    own = ((doc.get("sphinx") or {}).get("config") or {}).get("templates_path") or []
    return {
        "external_toc_path": (stage / "_toc.yml").as_posix(),
        "latex_individualpages": False,
        "templates_path": list(own),
    }


def sphinx_build(stage: Path) -> Path:
    """Build ``stage`` into ``stage/_build/html`` with Sphinx in this process; return that
    folder (what the render process runs, with the speed-ups on)."""
    from jupyter_book.sphinx import build_sphinx

    stage = Path(stage).absolute()
    out = stage / "_build" / "html"
    errors = io.StringIO()
    with _LOCK, speedups.active(), redirect_stdout(io.StringIO()), redirect_stderr(errors):
        result = build_sphinx(
            stage,
            out,
            use_external_toc=True,
            noconfig=True,
            path_config=str(stage / "_config.yml"),
            confoverrides=_overrides(stage),
            builder="html",
            quiet=True,
        )
    speedups.freeze_long_lived()
    if isinstance(result, BaseException) or result or not (out / "index.html").is_file():
        tail = "\n".join(errors.getvalue().strip().splitlines()[-15:])
        raise NavbokError(f"Jupyter Book failed for {stage}: {result!r}\n{tail}")
    return out


def jupyter_book_build(stage: Path) -> Path:
    """Build ``stage`` with the ``jupyter-book`` command (a fresh process: the naive path)."""
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jb), "build", str(stage), "--builder", "html", "--quiet"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    built = Path(stage) / "_build" / "html"
    if proc.returncode != 0 or not (built / "index.html").is_file():
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
        raise NavbokError(f"Jupyter Book failed for {stage}:\n{tail}")
    return built


def render(stage: Path, out: Path, build: Builder = sphinx_build) -> Path:
    """Render a staged book from a clean ``stage/_build`` with ``build``; move the HTML to
    ``out/html`` (replacing the previous book only now, when the render succeeded)."""
    stage = Path(stage)
    if (stage / "_build").exists():
        shutil.rmtree(stage / "_build")  # always a clean Sphinx build
    built = build(stage)
    target = Path(out) / "html"
    tmp = Path(out) / "html.new"
    if tmp.exists():
        shutil.rmtree(tmp)
    shutil.move(str(built), tmp)
    if target.exists():
        shutil.rmtree(target)
    os.replace(tmp, target)
    return target / "index.html"


def render_timed(stage: Path, out: Path, build: Builder = sphinx_build) -> tuple[Path, float]:
    """:func:`render`, and the seconds it took."""
    t0 = time.perf_counter()
    page = render(stage, out, build)
    return page, time.perf_counter() - t0


def import_renderer() -> None:
    """Import Jupyter Book, MyST-NB and the theme now (the render process does it at start,
    while the kernels start)."""
    try:
        import jupyter_book.sphinx  # noqa: F401
        import myst_nb  # noqa: F401
        import sphinx_book_theme  # noqa: F401
    except ImportError:
        pass


WARMUP_PAGE = "oppvarming"


def warmup_stage(stage: Path) -> Path:
    """A one-page book with ``stage``'s configuration and static files, in a new temporary
    folder (the caller removes it): its page is like a chapter's, a heading, text and a code
    cell (input hidden) with an HTML output."""
    warm = Path(tempfile.mkdtemp(prefix="navbok-oppvarming-"))
    try:
        shutil.copyfile(Path(stage) / "_config.yml", warm / "_config.yml")
        shutil.copytree(Path(stage) / "_static", warm / "_static")
        (warm / "_toc.yml").write_text(f"format: jb-book\nroot: {WARMUP_PAGE}\n", "utf-8")
        nbformat.write(_warmup_notebook(), warm / f"{WARMUP_PAGE}.ipynb")
    except OSError:
        shutil.rmtree(warm, ignore_errors=True)
        raise
    return warm


def _warmup_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    code = nbformat.v4.new_code_cell("1", execution_count=1)
    code.metadata["tags"] = ["remove-input"]
    code.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": "<p>1</p>", "text/plain": "1"})
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# Oppvarming\n\nTekst."), code]
    return nb


class Renderer:
    """Renders books one at a time, in order, off the thread that drives the kernels.

    ``worker``: the render process (:mod:`navbok.builder.render_worker`) is started at once: it
    imports Sphinx while the kernels start, then keeps its caches. ``subprocess``:
    :func:`jupyter_book_build`, one process per book. Either way a thread here waits for the
    result.
    """

    def __init__(self, renderer: str) -> None:
        if renderer not in RENDERERS:
            raise NavbokError(f"Unknown renderer {renderer!r}; use one of {', '.join(RENDERERS)}")
        self.renderer = renderer
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="navbok-render")
        self._proc: subprocess.Popen | None = None
        if renderer == "worker":
            import navbok

            env = dict(os.environ)
            src = str(Path(navbok.__file__).resolve().parents[1])
            env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "navbok.builder.render_worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                env=env,
            )

    def _ask(self, stage: Path, out: Path) -> tuple[Path, float]:
        proc = self._proc
        if proc is None:
            return render_timed(stage, out, jupyter_book_build)
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

    def warm_up(self, stage: Path) -> None:
        """Have the render process render a one-page book (:func:`warmup_stage`) before the
        books: its first render compiles the theme's templates and sets up the extensions
        (≈ 0.9 s), which then happens while the kernels run the chapters instead of after
        them. The books' pages are the same (``tests/test_render_cache.py``). Only for the
        render process; the temporary stage is removed afterwards."""
        if self._proc is None:
            return
        try:
            warm = warmup_stage(stage)
        except OSError:
            return  # no warm-up: the first book pays for it

        def run() -> None:
            try:
                self._ask(warm, warm / "out")
            except NavbokError:
                pass  # a real book's render says what is wrong
            finally:
                shutil.rmtree(warm, ignore_errors=True)

        self._thread.submit(run)

    def submit(self, stage: Path, out: Path) -> Future:
        """Render ``stage`` into ``out/html``; the future gives ``(index.html, seconds)``."""
        return self._thread.submit(self._ask, Path(stage), Path(out))

    def close(self) -> None:
        """Wait for the render in progress, drop the queued ones, stop the render process."""
        self._thread.shutdown(wait=True, cancel_futures=True)
        if self._proc is not None:
            if self._proc.stdin is not None:
                self._proc.stdin.close()
            try:
                self._proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
