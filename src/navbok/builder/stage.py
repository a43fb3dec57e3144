"""A municipality's stage: the folder Jupyter Book renders, ``_build/<kommune>/src``.

It holds the book's configuration (the project's ``_config.yml`` with the municipality's title
and, for synthetic data, the demo banner: :mod:`navbok.builder.config`), the table of contents,
the static files, the municipality's ``params.yml`` and the executed chapter notebooks. The
chapters' text is turned into notebooks once for all municipalities (:func:`stage_chapters`, in
``_build/_chapters``; :mod:`navbok.builder.staging`), and papermill writes each executed
notebook into the stage.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from navbok.builder.keys import digest
from navbok.builder.staging import stage as stage_chapter
from navbok.builder.staging import staged_name
from navbok.project import Project

if TYPE_CHECKING:
    from navbok.builder.plan import Plan

STATIC = Path(__file__).resolve().parents[1] / "present" / "static"  # package data
STAGED_CHAPTERS = "_chapters"  # in the build folder: the chapters' text as notebooks
BOOK_STATIC = "book-static"  # in the cache folder: the static files made once per build


class StaticFiles:
    """The book's static files, made once per build and copied into every stage."""

    def __init__(self, cache_dir: Path) -> None:
        from navbok.present.bundle import write_vega_bundle

        self.dir = Path(cache_dir) / BOOK_STATIC
        write_vega_bundle(self.dir)  # kept between builds: ≈ 4 s to make
        for f in STATIC.iterdir():
            if f.is_file():
                shutil.copy(f, self.dir / f.name)
        self.files = sorted(p for p in self.dir.iterdir() if p.is_file())
        self.key = digest(*(p.name + ":" + digest(p.read_bytes()) for p in self.files))

    def copy_to(self, dest: Path) -> None:
        """Copy the files into ``dest`` (a stage's ``_static``)."""
        dest.mkdir(parents=True, exist_ok=True)
        for f in self.files:
            shutil.copyfile(f, dest / f.name)


def stage_chapters(
    project: Project, rels: set[str] | list[str], build_dir: Path
) -> dict[str, Path]:
    """Each chapter's text as a notebook, once for all municipalities (papermill injects the
    parameters): staged in ``build_dir/_chapters``, never in ``chapters/``."""
    return {
        rel: stage_chapter(
            project.root / rel, (Path(build_dir) / STAGED_CHAPTERS / staged_name(rel)).resolve()
        )
        for rel in rels
    }


def stage_book(
    project: Project, plan: Plan, static: StaticFiles, snapshot: Path, cache_dir: Path
) -> dict[str, str]:
    """Write the stage's config, toc, static files and params; return the chapter parameters.

    Staged notebooks of chapters no longer in the table of contents are removed. The
    parameters every chapter gets are ``kommune`` (the resolved 4-digit code, as in the staged
    ``params.yml``), ``snapshot``, ``params_file`` and ``cache_dir`` (absolute paths).
    """
    stage = plan.stage
    stage.mkdir(parents=True, exist_ok=True)
    (stage / "_config.yml").write_text(plan.config, "utf-8")
    shutil.copy(project.toc, stage / "_toc.yml")
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
        "kommune": plan.kommune,
        "snapshot": str(Path(snapshot).resolve()),
        "params_file": str(params_file.resolve()),
        "cache_dir": str(Path(cache_dir).resolve()),
    }
