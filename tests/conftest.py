"""Shared fixtures: the generated mini replay (always) and the full replay (with NAVBOK_SOURCE)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from minireplay import build_minireplay

from navbok import snapshot as snap
from navbok.data import NavData
from navbok.sources.origin import ENV_VAR, RecordedSource


@pytest.fixture(scope="session")
def mini_replay(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A mini recorded-response directory (read-only by convention: copy before changing it)."""
    return build_minireplay(tmp_path_factory.mktemp("minireplay"))


@pytest.fixture(scope="session")
def mini_snapshot(mini_replay: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A snapshot fetched from the mini replay (read-only by convention)."""
    return snap.fetch(
        RecordedSource(mini_replay),
        tmp_path_factory.mktemp("mini") / "snapshot",
        nav_archive=mini_replay / "nav" / "arkiv",
    )


@pytest.fixture(scope="session")
def mini_first_fetch(mini_replay: Path, tmp_path_factory: pytest.TempPathFactory) -> NavData:
    """What a first live fetch gets from the mini replay: NAV's current year only (January–
    October 2025), no archive; harmonised and computed (no cache)."""
    root = snap.fetch(RecordedSource(mini_replay), tmp_path_factory.mktemp("first") / "snapshot")
    return NavData.load(root, cache_dir=None)


@pytest.fixture(scope="session")
def mini_data(mini_snapshot: Path) -> NavData:
    """The mini snapshot harmonised and computed (no cache)."""
    return NavData.load(mini_snapshot, cache_dir=None)


@pytest.fixture(scope="session")
def replay_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The full recorded replay ($NAVBOK_SOURCE) fetched once into a temporary snapshot
    (read-only by convention); its Parquet cache is ``replay_cache``."""
    source = os.environ.get(ENV_VAR)
    if not source:
        pytest.skip(f"{ENV_VAR} is not set")
    base = tmp_path_factory.mktemp("replay")
    archive = Path(source) / "nav" / "arkiv"
    return snap.fetch(
        RecordedSource(source), base / "snapshot", nav_archive=archive if archive.is_dir() else None
    )


@pytest.fixture(scope="session")
def replay_data(replay_snapshot: Path) -> NavData:
    """The full recorded replay harmonised and computed (cached next to the snapshot)."""
    return NavData.load(replay_snapshot, cache_dir=replay_snapshot.parent / "cache")


@dataclass(frozen=True)
class RecordedBooks:
    """The books of Bærum, Utsira and Oslo built from the full recording (read-only)."""

    build: Path  # the build folder: <kode>/html, site/
    snapshot: Path
    synthetic: bool

    def html(self, kode: str) -> Path:
        return self.build / kode / "html"


#: The municipalities of :func:`recorded_books`: Bærum (ASSS), Utsira (the smallest), Oslo
#: (its own KOSTRA group), built in two calls (the overview keeps the first call's books).
RECORDED_CALLS = ("3201,1151", "0301")


@pytest.fixture(scope="session")
def recorded_books(replay_snapshot: Path) -> RecordedBooks:
    """Three books built once for the whole session (the page, site, browser and language
    tests read them; none may change them)."""
    from navbok.builder.pipeline import main as build

    root = replay_snapshot.parent
    for kommuner in RECORDED_CALLS:
        pages = build(kommune=kommuner, all_=False, snapshot=replay_snapshot,
                      cache_dir=root / "cache", build_dir=root / "_build")  # fmt: skip
        assert all(p.is_file() for p in pages), pages
    synthetic = bool(snap.Snapshot.open(replay_snapshot).synthetic)
    return RecordedBooks(root / "_build", replay_snapshot, synthetic)
