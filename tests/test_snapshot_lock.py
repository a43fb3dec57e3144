"""One snapshot per build, one fetch at a time (``navbok.snapshot_lock``).

A build holds a shared lock beside the snapshot for its whole run; the swap of a fetch takes it
alone, so it waits for the builds (and says so); two fetches into one snapshot run one after the
other. The mini recording is fetched into a temporary folder; a tiny book of two chapters that
record which snapshot they read is built while a fetch tries to replace it.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from navbok import snapshot as snap
from navbok.builder import pipeline as build
from navbok.data import NavData
from navbok.errors import NavbokError
from navbok.params import Params
from navbok.project import Project
from navbok.snapshot import Snapshot
from navbok.sources.origin import RecordedSource

ROOT = Project.find().root  # the checkout's book


def wait_for(done: Callable[[], bool], seconds: float) -> bool:
    """Poll ``done`` until it is true or ``seconds`` ran out; whether it became true."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if done():
            return True
        time.sleep(0.05)
    return done()


class Background:
    """A call in a thread, with its result or exception and when it finished."""

    def __init__(self, run: Callable[[], Any]) -> None:
        self.result: Any = None
        self.error: BaseException | None = None
        self.finished: float | None = None

        def target() -> None:
            try:
                self.result = run()
            except BaseException as exc:  # handed to the test
                self.error = exc
            self.finished = time.monotonic()

        self.thread = threading.Thread(target=target, daemon=True)
        self.thread.start()

    def done(self) -> bool:
        return self.finished is not None

    def join(self, seconds: float = 120) -> Any:
        self.thread.join(seconds)
        assert self.done(), "the call did not finish"
        if self.error is not None:
            raise self.error
        return self.result


class HeldSource:
    """A recorded source whose NAV answer waits until ``release`` is set (a slow fetch)."""

    def __init__(self, root: Path) -> None:
        self.inner = RecordedSource(root)
        self.inside = threading.Event()
        self.release = threading.Event()

    def aap155(self) -> Any:
        self.inside.set()
        assert self.release.wait(60)
        return self.inner.aap155()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@pytest.fixture
def dest(mini_replay: Path, tmp_path: Path) -> Path:
    """A snapshot of the mini recording without AAP archive (a fetch with it changes it)."""
    return snap.fetch(RecordedSource(mini_replay), tmp_path / "data" / "snapshot")


def test_two_fetches_into_one_snapshot_run_one_after_the_other(
    mini_replay: Path, dest: Path
) -> None:
    held = HeldSource(mini_replay)
    first = Background(lambda: snap.fetch(held, dest))  # type: ignore[arg-type]
    assert held.inside.wait(30)
    lines: list[str] = []
    second = Background(
        lambda: snap.fetch(
            RecordedSource(mini_replay), dest, nav_archive=mini_replay / "nav" / "arkiv",
            notify=lines.append,
        )
    )  # fmt: skip
    assert wait_for(lambda: second.done() or bool(lines), 20)
    assert not second.done(), "the second fetch ran while the first one was fetching"
    assert lines == [
        f"Snapshotet i {dest} hentes allerede av navbok fetch (prosess {os.getpid()}, startet "
        + lines[0].split("startet ", 1)[1]
    ]
    assert lines[0].endswith("); venter på at den blir ferdig …")
    held.release.set()
    first.join()
    second.join()
    assert first.finished is not None and second.finished is not None
    assert first.finished <= second.finished
    s = Snapshot.open(dest)  # whole: every file verifies
    assert 2015 in s.aap_years()  # the second fetch (with the archive) came last
    assert not dest.with_name("snapshot.fetch.lock").exists()  # removed by the last fetch


def test_the_swap_waits_for_a_build_and_says_which(mini_replay: Path, dest: Path) -> None:
    from navbok import snapshot_lock

    before = Snapshot.open(dest).checksum
    lines: list[str] = []
    with snapshot_lock.reading(dest, "navbok build"):
        fetch = Background(
            lambda: snap.fetch(
                RecordedSource(mini_replay), dest, nav_archive=mini_replay / "nav" / "arkiv",
                notify=lines.append,
            )
        )  # fmt: skip
        assert wait_for(lambda: fetch.done() or bool(lines), 20)
        assert not fetch.done(), "the fetch replaced the snapshot while a build read it"
        assert Snapshot.open(dest).checksum == before
    fetch.join()
    assert Snapshot.open(dest).checksum != before
    (line,) = lines
    assert line.startswith(f"Venter på at navbok build (prosess {os.getpid()}, startet ")
    assert line.endswith(f") blir ferdig før snapshotet i {dest} byttes ut …")


# -- a fetch during a build ------------------------------------------------------------------------

PROBE = """\
import time
from pathlib import Path
from navbok.snapshot import Snapshot
probe = Path(cache_dir).parent / "probe"
probe.mkdir(exist_ok=True)
(probe / "{name}").write_text(Snapshot.open(snapshot).checksum)
if not (probe / "started").exists():  # the first chapter waits for the fetch to start
    (probe / "started").touch()
    for _ in range(1200):
        if (probe / "go").exists():
            break
        time.sleep(0.05)
print("lest")
"""


def probe_book(root: Path) -> Path:
    """Two chapters that write the checksum of the snapshot they open into ``probe/``; the
    first one to run waits for ``probe/go``."""
    (root / "chapters").mkdir(parents=True)
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: chapters/intro\nchapters:\n  - file: chapters/two\n", "utf-8"
    )
    (root / "_config.yml").write_text((ROOT / "_config.yml").read_text("utf-8"), "utf-8")
    for name in ("intro", "two"):
        nb = new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}  # fmt: skip
        params = new_code_cell('kommune = "3201"\nsnapshot = ""\nparams_file = ""\ncache_dir = ""')
        params.metadata["tags"] = ["parameters"]
        nb.cells = [nbformat.v4.new_markdown_cell(f"# {name}"), params,
                    new_code_cell(PROBE.format(name=name))]  # fmt: skip
        jupytext.write(nb, root / "chapters" / f"{name}.md", fmt="md:myst")
    return root


def test_a_fetch_during_a_build_waits_and_every_chapter_reads_one_snapshot(
    mini_replay: Path, dest: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NAVBOK_BOOK_ROOT", str(probe_book(tmp_path / "book")))
    started = Snapshot.open(dest)
    data = NavData.load(dest, cache_dir=None)
    probe = tmp_path / "probe"
    lines: list[str] = []
    fetches: list[Background] = []

    def meanwhile() -> None:
        """Once the first chapter runs: a fetch that changes the snapshot; the chapter goes on
        when the fetch waits (or, without the lock, is done)."""
        assert wait_for(lambda: (probe / "started").exists(), 180)
        fetch = Background(
            lambda: snap.fetch(
                RecordedSource(mini_replay), dest, nav_archive=mini_replay / "nav" / "arkiv",
                notify=lines.append,
            )
        )  # fmt: skip
        fetches.append(fetch)
        wait_for(lambda: fetch.done() or bool(lines), 30)
        (probe / "go").touch()

    director = Background(meanwhile)
    page = build.build_one(
        data, "3201", snapshot=dest, cache_dir=tmp_path / "cache", build_dir=tmp_path / "_build",
        params=Params(kommune="3201", name="Bærum"), workers=1,
    )  # fmt: skip
    director.join()
    (fetch,) = fetches
    fetch.join()
    read = {name: (probe / name).read_text() for name in ("intro", "two")}
    assert read == {"intro": started.checksum, "two": started.checksum}
    assert lines and lines[0].startswith(f"Venter på at navbok build (prosess {os.getpid()}")
    assert Snapshot.open(dest).checksum != started.checksum  # the fetch swapped it afterwards
    # the book names the snapshot it came from, at the foot of every page
    label = f"{started.checksum[:12]}, hentet {started.fetched_at[:10]}"
    for html in (page.parent / "chapters" / "intro.html", page.parent / "chapters" / "two.html"):
        assert f"Data: snapshot {label}." in html.read_text("utf-8")


def test_a_build_given_data_of_a_replaced_snapshot_stops(
    mini_replay: Path, dest: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Data read before a fetch replaced the snapshot: the build stops before any kernel would
    read the other snapshot, and says so in one line."""
    monkeypatch.setenv("NAVBOK_BOOK_ROOT", str(probe_book(tmp_path / "book")))
    data = NavData.load(dest, cache_dir=None)
    snap.fetch(RecordedSource(mini_replay), dest, nav_archive=mini_replay / "nav" / "arkiv")
    with pytest.raises(NavbokError, match=r"Snapshotet i .* er byttet ut etter at dataene"):
        build.build_many(data, ["3201"], snapshot=dest, cache_dir=tmp_path / "cache",
                         build_dir=tmp_path / "_build")  # fmt: skip
