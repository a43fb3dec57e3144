"""navbok.site.products._run_jobs: many books' workbooks and summaries are made by this process
and forked workers together, each book once, without pickling the job (it holds the data)."""

from __future__ import annotations

import multiprocessing as mp
import os
from pathlib import Path

import pytest

from navbok.site import products


class _Job:
    """Writes one file per book naming the process that made it; not picklable (a lambda)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.unpicklable = lambda: None

    def __call__(self, item: tuple[str, str]) -> str:
        code, key = item
        (self.folder / f"{code}-{os.getpid()}").write_text(key, "utf-8")
        return code


@pytest.mark.skipif("fork" not in mp.get_all_start_methods(), reason="needs fork")
def test_many_books_are_made_here_and_in_one_fork_each_once(tmp_path: Path) -> None:
    todo = [(f"{i:04d}", f"key{i}") for i in range(products.PARALLEL_FROM + 5)]
    products._run_jobs(_Job(tmp_path), todo, workers=2)  # type: ignore[arg-type]
    made = sorted(p.name for p in tmp_path.iterdir())
    assert sorted(name.split("-")[0] for name in made) == [code for code, _ in todo]
    pids = {int(name.split("-")[1]) for name in made}
    assert os.getpid() in pids and len(pids) == 2  # this process and one forked worker
    assert all((tmp_path / n).read_text("utf-8") == f"key{int(n[:4])}" for n in made)
    assert products._JOB == []  # not kept after the call


def test_few_books_are_made_here(tmp_path: Path) -> None:
    todo = [(f"{i:04d}", f"key{i}") for i in range(3)]
    products._run_jobs(_Job(tmp_path), todo, workers=2)  # type: ignore[arg-type]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"{i:04d}-{os.getpid()}" for i in range(3)
    ]
