"""Regenerate both golden sets under tests/golden/ (on purpose: `make golden`).

Needs NAVBOK_SOURCE (the recorded responses; fetched once into tests/golden/_data/snapshot with
the recording's AAP archive, as the test suite's snapshot is).

1. The golden notebooks: Bærum's chapters executed on that snapshot: each chapter's text
   (chapters/*.md) is staged as a notebook under tests/golden/_data/chapters/ (as `navbok build`
   stages it) and executed. `tests/test_golden.py` re-executes them under strict nbval and
   compares every output.
2. The golden page texts (`tests/golden/pages/<kode>/<page>.txt`): the books of Bærum, Utsira
   and Oslo built from that snapshot in the calls the test suite makes
   (:data:`conftest.RECORDED_CALLS`) into tests/golden/_data/_build, their visible text written
   by :mod:`page_text`. `tests/test_page_text.py` compares the suite's own build with them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import papermill as pm

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
DATA = GOLDEN / "_data"
PARAMETERS = {
    "kommune": "3201",
    "snapshot": "_data/snapshot",
    "params_file": "../../params/3201.yml",
    "cache_dir": "_data/cache",
}


def ensure_snapshot() -> Path:
    """Fetch $NAVBOK_SOURCE into tests/golden/_data/snapshot unless it is there already (from
    the same recording, in this navbok's format)."""
    from navbok.errors import SnapshotError
    from navbok.snapshot import Snapshot, fetch
    from navbok.sources.origin import RecordedSource

    snap = DATA / "snapshot"
    source = os.environ.get("NAVBOK_SOURCE")
    try:
        current = Snapshot.open(snap)
        if source and current.manifest.get("source") != RecordedSource(source).description:
            raise SnapshotError("fetched from another recording")
        return snap
    except SnapshotError:
        if not source:
            sys.exit("Set NAVBOK_SOURCE to a directory of recorded responses")
    archive = Path(source) / "nav" / "arkiv"
    fetch(RecordedSource(source), snap, nav_archive=archive if archive.is_dir() else None)
    Snapshot.open(snap)
    return snap


def chapters() -> list[Path]:
    """The book's chapter sources with code (chapters/*.md; a page of text only, such as the
    glossary, is not executed and has no golden notebook)."""
    from navbok.project import Project

    project = Project.find()
    sources = [project.root / rel for rel in project.chapters()]
    return [src for src in sources if "{code-cell}" in src.read_text("utf-8")]


def staged(src: Path, folder: Path = DATA / "chapters") -> Path:
    """The chapter source ``src`` staged as a notebook in ``folder`` (the notebook that runs)."""
    from navbok.builder.staging import stage

    return stage(src, folder / src.with_suffix(".ipynb").name)


def main() -> None:
    ensure_snapshot()
    for src in chapters():
        dest = GOLDEN / src.with_suffix(".ipynb").name
        pm.execute_notebook(
            str(staged(src)),
            str(dest),
            parameters=PARAMETERS,
            kernel_name="python3",
            progress_bar=False,
            cwd=str(GOLDEN),
        )
        print("wrote", dest.relative_to(HERE.parent))
    pages()


def pages() -> None:
    """Build the page-text books from the golden snapshot and write their texts."""
    import shutil

    from conftest import RECORDED_CALLS
    from page_text import main as write_pages

    from navbok.builder.pipeline import main as build

    build_dir = DATA / "_build"
    shutil.rmtree(build_dir, ignore_errors=True)
    for kommuner in RECORDED_CALLS:
        build(kommune=kommuner, all_=False, snapshot=DATA / "snapshot",
              cache_dir=DATA / "cache", build_dir=build_dir)  # fmt: skip
    write_pages(str(build_dir))


if __name__ == "__main__":
    main()
