"""The first live fetch (issue 21): a new user's `navbok fetch`, then books built from it.

NAV serves only the current year of AAP155 (SOURCES.md §4): January to the newest month,
January–October 2025 on the recording, and no December of any earlier year. The recording's
``nav/arkiv/`` stands for files a user collected by hand, not for anything NAV serves, so it is
left out here. The recording ($NAVBOK_SOURCE) is served over local HTTP the way the services
answer (``tests/fake_services.py``), ``navbok fetch`` runs as a first-time user runs it (the URL
settings, no ``--nav-arkiv``, no earlier snapshot) and one ``navbok build`` makes the books of
Bærum (3201: ``params/3201.yml`` asks for AAP in December 2020), Larvik (3909), Utsira (1151)
and Asker (3203); only Bærum has a params file.

No live service is asked and no live response is stored anywhere: the fake services answer from
a temporary copy of the recording, and the snapshot, cache and books live in pytest's temporary
directory.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest
from fake_services import serve_recording
from page_text import page_text
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from navbok.cli import app
from navbok.snapshot import Snapshot
from navbok.sources.http import HttpClient
from navbok.sources.origin import ENV_VAR

pytestmark = [
    pytest.mark.replay,
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get(ENV_VAR), reason=f"{ENV_VAR} is not set"),
]

ROOT = Path(__file__).resolve().parents[1]
#: Bærum (params file, aap_year 2020), Larvik, Utsira (tiny) and Asker: one build.
KOMMUNER = ("3201", "3909", "1151", "3203")
CURRENT = [f"2025-{m:02d}" for m in range(1, 11)]  # what NAV serves on the recording
SNAPSHOT = "data/snapshot"


@dataclass(frozen=True)
class FirstFetch:
    """The working directory of a first-time user, and what fetch and build said."""

    work: Path
    fetch: str  # what `navbok fetch` printed
    build: subprocess.CompletedProcess[str]

    def aap_page(self, kommune: str) -> Path:
        return self.work / "_build" / kommune / "html" / "chapters" / "aap.html"

    def build_output(self) -> str:
        """The end of what the build printed, for failure messages."""
        return (self.build.stdout + self.build.stderr)[-3000:]


def _without_archive(recording: Path) -> Callable[[str, list[str]], set[str]]:
    """shutil's ignore: leave out ``nav/arkiv/`` (NAV serves only the page and the workbook)."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        return {"arkiv"} & set(names) if Path(folder) == recording / "nav" else set()

    return ignore


def _fetch(work: Path, served: Path) -> str:
    """`navbok fetch` in ``work`` against the fake services serving ``served``: the URL
    settings, no NAVBOK_SOURCE, no --nav-arkiv. In this process (through the CLI) only to let
    the HTTP client skip SSB's 30 requests a minute, which a local fake does not need."""
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.chdir(work)
            for var in (ENV_VAR, "NAVBOK_NAV_ARKIV"):
                mp.delenv(var, raising=False)
            for var, url in serve_recording(server, served).items():
                mp.setenv(var, url)
            mp.setattr("navbok.sources.live.HttpClient", partial(HttpClient, min_interval=0))
            result = CliRunner().invoke(app, ["fetch", "--snapshot", SNAPSHOT])
    finally:
        server.clear()
        server.stop()
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def first_fetch(tmp_path_factory: pytest.TempPathFactory) -> FirstFetch:
    """Serve the recording without ``nav/arkiv/``, fetch as a first-time user, and build the
    four books in one ``navbok build`` (a process of its own; once for this module)."""
    recording = Path(os.environ[ENV_VAR]).resolve()
    base = tmp_path_factory.mktemp("first-fetch")
    served = Path(shutil.copytree(recording, base / "services", ignore=_without_archive(recording)))
    assert not (served / "nav" / "arkiv").exists()
    work = base / "work"  # the user's folder: params/ and data/local/ as in the repository
    (work / "params").mkdir(parents=True)
    shutil.copy(ROOT / "params" / "3201.yml", work / "params" / "3201.yml")
    shutil.copytree(ROOT / "data" / "local", work / "data" / "local")
    fetched = _fetch(work, served)
    env = {k: v for k, v in os.environ.items() if k not in (ENV_VAR, "NAVBOK_NAV_ARKIV")}
    script = Path(sys.executable).with_name("navbok")
    navbok = [str(script)] if script.is_file() else [sys.executable, "-m", "navbok.cli"]
    build = subprocess.run(
        [*navbok, "build", "--kommune", ",".join(KOMMUNER), "--snapshot", SNAPSHOT],
        cwd=work, env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    return FirstFetch(work, fetched, build)


def test_the_first_fetch_holds_only_the_current_year(first_fetch: FirstFetch) -> None:
    s = Snapshot.open(first_fetch.work / SNAPSHOT)
    assert s.aap_periods() == CURRENT
    assert all(e.origin.startswith("http://127.0.0.1:") for e in s.files.values())
    out = first_fetch.fetch
    assert "NAV AAP155 i snapshotet – 2025: januar–oktober." in out
    assert "Desember mangler for 2015–2024: NAV publiserer bare inneværende år" in out
    assert "lagt til" not in out  # no archive file


def test_every_book_builds(first_fetch: FirstFetch) -> None:
    assert first_fetch.build.returncode == 0, first_fetch.build_output()
    for kommune in KOMMUNER:
        assert (first_fetch.work / "_build" / kommune / "html" / "index.html").is_file()


def _aap_text(first_fetch: FirstFetch, kommune: str) -> str:
    page = first_fetch.aap_page(kommune)
    if not page.is_file():
        pytest.fail(f"{page} was not built; navbok build said:\n{first_fetch.build_output()}")
    return page_text(page)


@pytest.mark.parametrize("kommune", KOMMUNER)
def test_each_aap_page_names_the_month_it_shows(first_fetch: FirstFetch, kommune: str) -> None:
    assert "oktober 2025" in _aap_text(first_fetch, kommune)


def test_baerum_says_that_december_2020_is_missing(first_fetch: FirstFetch) -> None:
    """params/3201.yml asks for AAP in December 2020, which a first fetch does not hold: the
    page says so in a sentence naming the month («… desember 2020 … mangler/ikke …»)."""
    text = _aap_text(first_fetch, "3201")
    sentences = re.split(r"(?<=[.!?])\s+", text)
    saying = [
        s
        for s in sentences
        if "desember 2020" in s.lower() and re.search(r"\b(mangler|ikke|uten)\b", s.lower())
    ]
    assert saying, "no sentence says that December 2020 is missing:\n" + "\n".join(
        s for s in sentences if "2020" in s
    )
