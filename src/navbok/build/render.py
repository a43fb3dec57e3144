"""Render a staged book to HTML with Jupyter Book 1.x: in this process, or as a subprocess.

``jupyter-book build`` spends most of a municipality's render time importing Sphinx, the
theme and the extensions (≈ 1.5 s of ≈ 2 s). :func:`render_inprocess` calls the same function
the CLI calls (``jupyter_book.sphinx.build_sphinx``, with the same configuration overrides),
so a long-lived process pays the imports once and then, with its caches, ≈ 0.35 s of
CPU per six-chapter book (≈ 0.55 s without them). The pages are the same as the CLI's
(``tests/test_build_fast.py`` compares them).

One wrinkle: Sphinx hands extensions the *default* list of ``templates_path``, and
sphinx-book-theme and pydata-sphinx-theme append to it, so a second build in the same process
would see the first build's entries. Every build here gets a fresh list.

The process-wide caches that make repeated renders cheap live in
:mod:`navbok.build.speedups`.
"""

from __future__ import annotations

import io
import subprocess
import sys
import threading
from contextlib import redirect_stdout
from pathlib import Path

from navbok.build import speedups
from navbok.errors import NavbokError

_LOCK = threading.Lock()  # docutils/Sphinx global state: one build at a time per process


def _overrides(stage: Path) -> dict:
    # What `jupyter-book build DIR` passes (jupyter_book/cli/main.py), plus a fresh
    # templates_path list (see the module docstring): the book's own, if it sets one.
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when there: ≈ 10× faster
    doc = yaml.load((stage / "_config.yml").read_text("utf-8"), Loader=loader) or {}
    own = ((doc.get("sphinx") or {}).get("config") or {}).get("templates_path") or []
    return {
        "external_toc_path": (stage / "_toc.yml").as_posix(),
        "latex_individualpages": False,
        "templates_path": list(own),
    }


def render_inprocess(stage: Path) -> Path:
    """Build ``stage`` into ``stage/_build/html`` in this process; return that directory."""
    from jupyter_book.sphinx import build_sphinx

    stage = Path(stage).absolute()
    out = stage / "_build" / "html"
    errors = io.StringIO()
    with _LOCK, redirect_stdout(io.StringIO()), speedups.active():
        import sys as _sys

        saved_err = _sys.stderr
        _sys.stderr = errors
        try:
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
        finally:
            _sys.stderr = saved_err
    speedups.freeze_long_lived()
    if isinstance(result, BaseException) or result or not (out / "index.html").is_file():
        tail = "\n".join(errors.getvalue().strip().splitlines()[-15:])
        raise NavbokError(f"Jupyter Book failed for {stage}: {result!r}\n{tail}")
    return out


def render_subprocess(stage: Path) -> Path:
    """Build ``stage`` with the ``jupyter-book`` command (a fresh process: the naive path)."""
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jb), "build", str(stage), "--builder", "html", "--quiet"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    built = Path(stage) / "_build" / "html"
    if proc.returncode != 0 or not (built / "index.html").is_file():
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
        raise NavbokError(f"Jupyter Book failed for {stage}:\n{tail}")
    return built
