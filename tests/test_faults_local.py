"""Local faults and bad input: full disks, read-only folders, a damaged cache, a huge answer,
two builds at once and bad ``navbok build`` arguments.

Tests run as root, where ``chmod`` does not stop writes: a read-only folder and a full disk are
simulated by making the write raise ``PermissionError`` / ``OSError(ENOSPC)``. Every failure is
one line naming the file or source and what to do, with no traceback, and the old state stays.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest
from pytest_httpserver import HTTPServer
from test_builder_fast import _tiny_book
from test_snapshot import leftovers, tree
from typer.testing import CliRunner
from werkzeug import Response

from navbok import data as data_mod
from navbok import snapshot as snap
from navbok.builder import execute, pipeline
from navbok.cli import app
from navbok.data import NavData, clear_memory_cache
from navbok.errors import NavbokError
from navbok.sources.http import HttpClient, ResponseTooLarge

runner = CliRunner()


def assert_one_line(result, *fragments: str, code: int = 1) -> str:
    """The command failed with exit ``code`` and one ``navbok:`` line holding ``fragments``."""
    assert result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = [x for x in result.stderr.splitlines() if x.startswith("navbok:")]
    assert len(lines) == 1, result.stderr
    for f in fragments:
        assert f in lines[0], lines[0]
    return lines[0]


# -- 5. a response larger than the cap is refused, in one line, without a retry ------------------


def test_an_answer_announced_too_large_is_refused_at_once(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/big").respond_with_response(
        Response(b"x" * 5000, headers={"Content-Length": "5000"})
    )
    http = HttpClient(min_interval=0, max_tries=3, max_bytes=1000)
    with pytest.raises(ResponseTooLarge) as info:
        http.get_bytes(httpserver.url_for("/big"), what="SSB table 13995")
    message = str(info.value)
    assert "SSB table 13995" in message and "/big" in message
    assert "5,000 bytes (Content-Length)" in message and "limit of 1,000 bytes" in message
    assert "\n" not in message
    assert len(httpserver.log) == 1  # not retried


def test_a_streamed_answer_past_the_cap_is_cut_off(httpserver: HTTPServer) -> None:
    def chunks():  # no Content-Length: counted while it streams
        for _ in range(50):
            yield b"y" * 1000

    httpserver.expect_request("/stream").respond_with_handler(lambda request: Response(chunks()))
    http = HttpClient(min_interval=0, max_tries=3, max_bytes=10_000)
    with pytest.raises(ResponseTooLarge, match=r"more than [\d,]+ bytes, over the limit of 10,000"):
        http.get_bytes(httpserver.url_for("/stream"))
    assert len(httpserver.log) == 1
    small = HttpClient(min_interval=0, max_bytes=100_000)
    assert small.get_bytes(httpserver.url_for("/stream")) == b"y" * 50_000


def test_the_default_cap_is_generous() -> None:
    assert HttpClient().max_bytes == 500 * 1024 * 1024


# -- 5./6. the Parquet cache: write failures, damage, integrity and its key -----------------------


@pytest.fixture
def fresh_memory():
    clear_memory_cache()
    yield
    clear_memory_cache()


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "the disk is full"),
        (PermissionError(errno.EACCES, "Permission denied"), "permission denied"),
    ],
)
def test_a_cache_that_cannot_be_written_is_one_line_and_leaves_nothing(
    mini_snapshot: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fresh_memory: None,
    error: OSError,
    expected: str,
) -> None:
    def fail(self, path, *a, **k):
        error.filename = str(path)
        raise error

    monkeypatch.setattr(pd.DataFrame, "to_parquet", fail)
    cache = tmp_path / "cache"
    with pytest.raises(NavbokError) as info:
        NavData.load(mini_snapshot, cache_dir=cache)
    message = str(info.value)
    assert "\n" not in message and expected in message
    assert "data cache" in message and str(cache) in message
    assert list(cache.iterdir()) == []  # no temp folder, no half-written cache


def _only_key(cache: Path) -> Path:
    (key,) = [p for p in cache.iterdir() if p.name != "book-static"]
    return key


@pytest.mark.parametrize("damage", ["garbled", "truncated", "manifest-missing", "file-missing"])
def test_a_damaged_cache_is_rebuilt_with_one_warning(
    mini_snapshot: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fresh_memory: None,
    damage: str,
) -> None:
    cache = tmp_path / "cache"
    first = NavData.load(mini_snapshot, cache_dir=cache)
    key = _only_key(cache)
    values = key / "values.parquet"
    if damage == "garbled":  # same size, other bytes: only a checksum notices
        raw = bytearray(values.read_bytes())
        raw[len(raw) // 2] ^= 0xFF
        values.write_bytes(bytes(raw))
    elif damage == "truncated":
        values.write_bytes(values.read_bytes()[:100])
    elif damage == "manifest-missing":
        (key / "cache.json").unlink()
    else:
        (key / "measures.parquet").unlink()
    clear_memory_cache()
    capsys.readouterr()
    again = NavData.load(mini_snapshot, cache_dir=cache)
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("navbok: the data cache"), err
    assert str(key) in err[0] and "deleting it and computing it again" in err[0]
    pd.testing.assert_frame_equal(again.values, first.values)
    assert _only_key(cache) == key
    data_mod._verify_cache(key)  # the rebuilt cache is whole
    clear_memory_cache()
    NavData.load(mini_snapshot, cache_dir=cache)  # and read without a word
    assert capsys.readouterr().err == ""


def test_the_cache_records_the_checksum_of_every_file(
    mini_snapshot: Path, tmp_path: Path, fresh_memory: None
) -> None:
    NavData.load(mini_snapshot, cache_dir=tmp_path / "cache")
    key = _only_key(tmp_path / "cache")
    recorded = json.loads((key / "cache.json").read_text("utf-8"))["files"]
    assert sorted(recorded) == ["measures.parquet", "stitches.json", "values.parquet"]
    assert data_mod.parquet_cached(mini_snapshot, tmp_path / "cache")


SHAPING = [
    "indicators.yaml",
    "config/regions.yaml",
    "config/catalogue.yaml",
    "measures.py",
    "indicators.py",
    "regions.py",
    "groups.py",
    "contents.py",
    "availability.py",
    "register.py",
    "snapshot.py",
    "sources/jsonstat.py",
    "sources/klass.py",
    "sources/nav.py",
    "sources/metadata.py",
    "sources/pxweb.py",
    "sources/catalogue.py",
]


def test_the_cache_key_covers_every_input_that_shapes_the_frames(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "navbok"
    shutil.copytree(Path(data_mod.__file__).parent, package)
    monkeypatch.setattr(data_mod, "_PACKAGE", package)
    before = data_mod._code_fingerprint()
    for name in SHAPING:
        path = package / name
        original = path.read_bytes()
        path.write_bytes(original + b"\n# a fix\n")
        assert data_mod._code_fingerprint() != before, f"{name} is not in the cache key"
        path.write_bytes(original)
    assert data_mod._code_fingerprint() == before
    (package / "report" / "report.py").write_text("# not part of the cached frames\n")
    assert data_mod._code_fingerprint() == before


# -- 5. the command line turns OSError into one line; real bugs are not hidden ------------------


@pytest.fixture
def workdir(mini_snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with its own copy of the mini snapshot (``snap``)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NAVBOK_DEBUG", raising=False)
    shutil.copytree(mini_snapshot, tmp_path / "snap")
    return tmp_path


def test_params_into_a_read_only_folder_is_one_line(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from navbok import params as params_module

    def read_only(params, path):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(params_module, "write_params", read_only)
    result = runner.invoke(app, ["params", "3201", "--snapshot", "snap", "--dir", "ro"])
    assert_one_line(result, "Cannot write ro/3201.yml", "permission denied", "writable")


def test_fetch_into_a_full_disk_is_one_line_and_keeps_the_snapshot(
    workdir: Path, mini_replay: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tree(workdir / "snap")

    def full(self, *a, **k):
        raise OSError(errno.ENOSPC, "No space left on device", str(workdir / "snap-tmp" / "x"))

    monkeypatch.setattr(snap._Writer, "__init__", full)
    result = runner.invoke(app, ["fetch", "--from", str(mini_replay), "--snapshot", "snap"])
    line = assert_one_line(result, "the disk is full", "Free some space")
    assert line.endswith("(Snapshotet i snap er ikke endret.)")
    assert tree(workdir / "snap") == before and leftovers(workdir) == []


def test_an_unexpected_error_is_one_line_or_a_traceback_when_debugging(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from navbok.regions import Register

    def bug(*a, **k):
        raise KeyError("a bug")

    monkeypatch.setattr(Register, "from_snapshot", bug)
    result = runner.invoke(app, ["kommuner", "--snapshot", "snap"])
    assert_one_line(result, "internal error (KeyError: 'a bug')", "NAVBOK_DEBUG=1", code=2)
    monkeypatch.setenv("NAVBOK_DEBUG", "1")
    result = runner.invoke(app, ["kommuner", "--snapshot", "snap"])
    assert isinstance(result.exception, KeyError)  # the traceback is not hidden


# -- 10. bad arguments to `navbok build`: an error before any kernel starts ----------------------


@pytest.fixture
def no_kernels(monkeypatch: pytest.MonkeyPatch) -> list:
    """Records every KernelPool the build starts (and starts none)."""
    started: list = []

    class Recorder:
        def __init__(self, *a, **k) -> None:
            started.append(a)

        def close(self) -> None:
            pass

    monkeypatch.setattr(execute, "KernelPool", Recorder)  # the warm kernels start only there
    return started


@pytest.mark.parametrize(
    ("kommune", "expected"),
    [
        (",", "ingen kommune oppgitt"),
        (" , ,", "ingen kommune oppgitt"),
        ("9999", "Unknown municipality '9999'"),
        ("3201,9999", "Unknown municipality '9999'"),
    ],
)
def test_build_with_no_or_an_unknown_municipality_fails_and_starts_no_kernel(
    workdir: Path, no_kernels: list, kommune: str, expected: str
) -> None:
    result = runner.invoke(app, ["build", "--kommune", kommune, "--snapshot", "snap"])
    assert_one_line(result, expected)
    assert no_kernels == []
    assert not (workdir / "_build").exists()


def test_build_with_a_bad_params_file_starts_no_kernel(workdir: Path, no_kernels: list) -> None:
    (workdir / "params").mkdir()  # params/ is relative to the working directory
    (workdir / "params" / "3201.yml").write_text("kommune: '3201'\nukjent: 1\n", "utf-8")
    result = runner.invoke(app, ["build", "--kommune", "3201", "--snapshot", "snap"])
    assert_one_line(result, "3201.yml")
    assert no_kernels == []


def _uptime_age() -> float:
    fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
    uptime = float(Path("/proc/uptime").read_text().split()[0])
    return uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK")


def _kernel_children() -> list[str]:
    import psutil

    procs = psutil.Process().children(recursive=True)
    return [" ".join(p.cmdline()) for p in procs if p.is_running()]


@pytest.fixture
def tiny_book(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    book = _tiny_book(workdir / "book")
    monkeypatch.setenv("NAVBOK_BOOK_ROOT", str(book))
    return book


def test_build_of_an_old_code_says_which_it_builds_quietly_and_counts_right(
    workdir: Path, tiny_book: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    age = _uptime_age()
    result = runner.invoke(app, ["build", "--kommune", "0219", "--snapshot", "snap"])
    assert result.exit_code == 0, result.output
    assert "Merk: 0219 Bærum er et tidligere kommunenummer; bruker 3201" in result.stderr
    assert "Bygget: _build/3201/html/index.html" in result.stdout
    last = result.stdout.splitlines()[-1]
    assert last.startswith("2 notatbøker kjørt, 1 bok rendret, 0 uendret"), last
    seconds = float(re.search(r"; ([\d,]+) s\.$", last).group(1).replace(",", "."))  # «1,7 s»
    assert seconds >= age  # measured from the start of the process, start-up included
    again = runner.invoke(app, ["build", "--kommune", "3201", "--snapshot", "snap"])
    last = again.stdout.splitlines()[-1]
    assert last.startswith("0 notatbøker kjørt, 0 bøker rendret, 1 uendret"), last
    out, err = capfd.readouterr()  # what the kernels wrote to the terminal themselves
    assert "without encryption" not in out + err
    time.sleep(0.5)
    assert not [c for c in _kernel_children() if "ipykernel" in c]


def test_a_full_disk_during_a_build_is_one_line_and_stops_the_kernels(
    workdir: Path, tiny_book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(out, state):
        raise OSError(errno.ENOSPC, "No space left on device", str(out / "build.json.tmp"))

    monkeypatch.setattr(pipeline, "write_state", full)
    result = runner.invoke(app, ["build", "--kommune", "3201", "--snapshot", "snap"])
    assert_one_line(result, "_build/3201/build.json.tmp", "the disk is full")
    time.sleep(0.5)
    assert [c for c in _kernel_children() if "ipykernel" in c or "render_worker" in c] == []


def test_a_read_only_build_folder_is_one_line(
    workdir: Path, tiny_book: Path, monkeypatch: pytest.MonkeyPatch, no_kernels: list
) -> None:
    from navbok.builder import lock

    def read_only(self, *a, **k):
        raise PermissionError(errno.EACCES, "Permission denied", "_build/3201/build.lock")

    monkeypatch.setattr(lock.BuildLock, "acquire", read_only)
    result = runner.invoke(app, ["build", "--kommune", "3201", "--snapshot", "snap"])
    assert_one_line(result, "Cannot write _build/3201/build.lock", "permission denied")
    assert no_kernels == []


# -- 7. two builds of one municipality: the second waits, or gives up after --lock-timeout --------

HOLD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from navbok.builder.lock import BuildLock
    with BuildLock([Path(sys.argv[1])]):
        print("held", flush=True)
        time.sleep(float(sys.argv[2]))
    """
)


def _hold(folder: Path, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(folder), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_build_gives_up_after_the_timeout_naming_the_holder(
    workdir: Path, tiny_book: Path, no_kernels: list
) -> None:
    holder = _hold(workdir / "_build" / "3201", 30)
    try:
        result = runner.invoke(
            app, ["build", "--kommune", "3201", "--snapshot", "snap", "--lock-timeout", "0.5"]
        )
        line = assert_one_line(result, "_build/3201 bygges allerede", f"prosess {holder.pid}")
        assert re.search(r"startet \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", line), line
        assert "ga opp etter 0.5 s" in line
        assert no_kernels == []
    finally:
        holder.kill()
        holder.wait()


def test_a_second_build_waits_for_the_first_and_says_who_it_waits_for(tmp_path: Path) -> None:
    from navbok.builder.lock import BuildLock

    folder = tmp_path / "_build" / "3201"
    holder = _hold(folder, 1.0)
    said: list[str] = []
    t0 = time.monotonic()
    try:
        with BuildLock([folder]).acquire(notify=said.append) as held:
            waited = time.monotonic() - t0
            info = json.loads((folder / "build.lock").read_text("utf-8"))
            assert info["pid"] == os.getpid() and held.folders == [folder]
    finally:
        holder.kill()
        holder.wait()
    assert waited > 0.5
    assert len(said) == 1 and f"prosess {holder.pid}" in said[0] and "venter" in said[0]


def test_a_killed_build_leaves_no_stale_lock(tmp_path: Path) -> None:
    from navbok.builder.lock import BuildLock

    folder = tmp_path / "_build" / "3201"
    holder = _hold(folder, 30)
    holder.kill()
    holder.wait()
    with BuildLock([folder]).acquire(timeout=0):
        pass
