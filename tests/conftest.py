"""Shared fixtures: the generated mini replay (always) and the full replay (with NAVBOK_SOURCE)."""

from __future__ import annotations

import os
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
def mini_data(mini_snapshot: Path) -> NavData:
    """The mini snapshot harmonised and computed (no cache)."""
    return NavData.load(mini_snapshot, cache_dir=None)


@pytest.fixture(scope="session")
def replay_data(tmp_path_factory: pytest.TempPathFactory) -> NavData:
    """The full recorded replay ($NAVBOK_SOURCE) fetched once into a temporary snapshot."""
    source = os.environ.get(ENV_VAR)
    if not source:
        pytest.skip(f"{ENV_VAR} is not set")
    base = tmp_path_factory.mktemp("replay")
    archive = Path(source) / "nav" / "arkiv"
    snapshot_dir = snap.fetch(
        RecordedSource(source), base / "snapshot", nav_archive=archive if archive.is_dir() else None
    )
    return NavData.load(snapshot_dir, cache_dir=base / "cache")
