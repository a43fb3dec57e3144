"""Fault injection: bad answers, slow and waiting servers, crashes and bad manifests.

Every failing fetch runs against the fake services (tests/fake_services.py) on 127.0.0.1 and must
leave the old snapshot byte for byte as it was, with no temporary directories beside it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from fake_pxweb import FakeTime
from fake_services import body, drip, fault, retry_after, serve_recording
from pytest_httpserver import HTTPServer
from test_snapshot import leftovers, tree
from typer.testing import CliRunner

from navbok import snapshot as snap
from navbok.cli import app
from navbok.errors import ParseError, SnapshotError, SourceError
from navbok.snapshot import Snapshot
from navbok.sources import live
from navbok.sources.http import FetchTimeout, HttpClient
from navbok.sources.live import LiveSource
from navbok.sources.origin import RecordedSource

CODES_AT = r"/klass/classifications/131/codesAt"
CODES_AT_NAME = "klass/131-codesAt-2015-01-01.json"  # the first register asked for


@pytest.fixture
def snapshot_copy(mini_snapshot: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "data" / "snapshot"
    shutil.copytree(mini_snapshot, dest)
    return dest


@pytest.fixture(scope="module")
def dead_pid() -> int:
    """The id of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def serve(
    httpserver: HTTPServer, root: Path, monkeypatch: pytest.MonkeyPatch, *faults: Any
) -> None:
    for var, url in serve_recording(httpserver, root, faults=faults).items():
        monkeypatch.setenv(var, url)


def assert_one_line(message: str) -> None:
    assert "\n" not in message and "Traceback" not in message, message


# -- 1. every answer is checked for the shape its reader needs, before the swap --------------------

HTML = b"<!DOCTYPE html><html><body>Vedlikehold \xe6\xf8\xe5</body></html>"
BAD_META = {"id": ["Region"], "size": [1], "dimension": {"Region": 3}}

WRONG_SHAPES = {
    "klass-error": (CODES_AT, body({"error": "Internal error in KLASS"}),
                    "klass/131-codesAt-2015-01-01.json: no 'codes' list (its keys: 'error'; "
                    "it says «Internal error in KLASS»)"),
    "klass-html": (CODES_AT, body(HTML, "text/html"),
                   "klass/131-codesAt-2015-01-01.json: not valid JSON (not UTF-8 text) – it is an "
                   "HTML page"),
    "klass-empty-register": (CODES_AT, body({"codes": []}),
                             "klass/131-codesAt-2015-01-01.json: the register lists no "
                             "municipalities"),
    "klass-code-without-name": (CODES_AT, body({"codes": [{"code": "0301"}]}),
                                "code 1 is not an object with 'code' and 'name'"),
    "klass-changes-not-objects": ("/131/changes", body({"codeChanges": [1, 2]}),
                                  "klass/131-changes-2015-01-01-2025-01-01.json: code change 1 "
                                  "is not an object"),
    "klass-empty-correspondence": ("/classifications/112/", body({"correspondenceItems": []}),
                                   "klass/112-correspondsAt-131-2019-01-01.json: the "
                                   "correspondence 112 → 131 lists no municipalities"),
    "ssb-metadata": ("/ssb/tables/13138/metadata", body(BAD_META),
                     "ssb/13138.metadata.json: the response (answer from http://"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(WRONG_SHAPES))
def test_a_wrong_shaped_answer_stops_the_fetch_and_keeps_the_old_snapshot(
    httpserver: HTTPServer,
    mini_replay: Path,
    snapshot_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
    case: str,
) -> None:
    path, respond, expected = WRONG_SHAPES[case]
    serve(httpserver, mini_replay, monkeypatch, fault(path, respond))
    before = tree(snapshot_copy)
    source = LiveSource(http=HttpClient(min_interval=0, max_tries=1))
    with pytest.raises(ParseError) as info:
        snap.fetch(source, snapshot_copy)
    assert expected in str(info.value)
    assert_one_line(str(info.value))
    assert tree(snapshot_copy) == before
    assert leftovers(snapshot_copy.parent) == []
    Snapshot.open(snapshot_copy)


runner = CliRunner()


def cli_fetch(
    snapshot_dir: Path, monkeypatch: pytest.MonkeyPatch, fake: FakeTime, *args: str
) -> Any:
    """``navbok fetch`` against the live (fake) services, with a client that does not wait."""
    monkeypatch.delenv("NAVBOK_SOURCE", raising=False)
    client = partial(HttpClient, min_interval=0, max_tries=3, sleep=fake.sleep, clock=fake.clock)
    monkeypatch.setattr(live, "HttpClient", client)
    return runner.invoke(app, ["fetch", "--snapshot", str(snapshot_dir), *args])


def test_cli_says_in_one_line_that_klass_sent_an_html_page(
    httpserver: HTTPServer, mini_replay: Path, snapshot_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve(httpserver, mini_replay, monkeypatch, fault(CODES_AT, body(HTML, "text/html")))
    before = tree(snapshot_copy)
    result = cli_fetch(snapshot_copy, monkeypatch, FakeTime())
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    (line,) = [x for x in result.stderr.splitlines() if x.startswith("navbok:")]
    assert "klass/131-codesAt-2015-01-01.json: not valid JSON" in line and "HTML page" in line
    assert line.endswith(f"(Snapshotet i {snapshot_copy} er ikke endret.)")
    assert "Traceback" not in result.output and "Snapshot OK" not in result.output
    assert tree(snapshot_copy) == before and leftovers(snapshot_copy.parent) == []


# -- 2. deadlines: per request, announced waits, the whole fetch -----------------------------------


def test_a_server_that_drips_is_given_up_at_the_request_deadline(
    httpserver: HTTPServer, mini_replay: Path, snapshot_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = (mini_replay / CODES_AT_NAME).read_bytes()
    serve(httpserver, mini_replay, monkeypatch, fault(CODES_AT, drip(good, every=0.2)))
    before = tree(snapshot_copy)
    source = LiveSource(http=HttpClient(min_interval=0, max_tries=1, request_deadline=1.0))
    with pytest.raises(SourceError) as info:
        snap.fetch(source, snapshot_copy)  # real time: about one second
    message = str(info.value)
    assert "KLASS-kommuneliste 2015-01-01" in message
    assert "the answer was not complete after 1 s (the server sends too slowly)" in message
    assert tree(snapshot_copy) == before and leftovers(snapshot_copy.parent) == []


def test_retry_after_is_announced_and_the_whole_fetch_is_bounded(
    httpserver: HTTPServer, mini_replay: Path, snapshot_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve(httpserver, mini_replay, monkeypatch, fault(CODES_AT, retry_after(300)))
    before = tree(snapshot_copy)
    fake = FakeTime()
    http = HttpClient(min_interval=0, max_tries=5, sleep=fake.sleep, clock=fake.clock)
    lines: list[str] = []
    with pytest.raises(FetchTimeout) as info:
        snap.fetch(LiveSource(http=http), snapshot_copy, max_time=500, notify=lines.append,
                   clock=fake.clock)  # fmt: skip
    assert lines == [
        "Tjenesten ber oss vente 300 s (Retry-After) før neste forsøk (forsøk 2 av 5, "
        "KLASS-kommuneliste 2015-01-01) …"
    ]
    assert fake.sleeps == [300.0]  # the second 300 s would pass the bound: it fails at once
    message = str(info.value)
    assert "tiden for hentingen går ut om 200 s; ingenting er endret" in message
    assert "navbok fetch --max-tid MIN" in message
    assert_one_line(message)
    assert tree(snapshot_copy) == before and leftovers(snapshot_copy.parent) == []
    assert http._total_end is None and http.notify is None  # the bound ends with the fetch


def test_cli_prints_the_wait_and_honours_max_tid(
    httpserver: HTTPServer, mini_replay: Path, snapshot_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    once = fault(CODES_AT, retry_after(300), times=1)
    serve(httpserver, mini_replay, monkeypatch, once)
    fake = FakeTime()
    result = cli_fetch(snapshot_copy, monkeypatch, fake)
    assert result.exit_code == 0, result.output
    assert "Tjenesten ber oss vente 300 s (Retry-After)" in result.stderr
    assert "Snapshot OK" in result.stdout and fake.sleeps == [300.0]

    always = fault(CODES_AT, retry_after(300))
    httpserver.clear()
    serve(httpserver, mini_replay, monkeypatch, always)
    before = tree(snapshot_copy)
    monkeypatch.setenv("NAVBOK_FETCH_TIMEOUT", "4")  # minutes: less than one 300 s wait
    result = cli_fetch(snapshot_copy, monkeypatch, FakeTime())
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("navbok: Tjenesten ber oss vente 300 s (Retry-After)")
    assert "ingenting er endret" in line and "--max-tid" in line
    assert always.hits == 1 and tree(snapshot_copy) == before
    assert leftovers(snapshot_copy.parent) == []


# -- 3. a crash during the swap, and leftovers of killed fetches -----------------------------------

CRASH = textwrap.dedent(
    """
    import os, sys
    from navbok import snapshot as snap
    from navbok.sources.origin import RecordedSource

    real = os.replace

    def replace(src, dst):
        if "-tmp-" in os.fspath(src):  # the second rename of the swap: die before it
            os._exit(9)
        real(src, dst)

    os.replace = replace
    snap.fetch(RecordedSource(sys.argv[1]), sys.argv[2])
    """
)


@pytest.mark.parametrize("then", ["open", "fetch"])
def test_a_crash_between_the_renames_is_recovered_by_the_next_command(
    mini_replay: Path, snapshot_copy: Path, then: str
) -> None:
    before = tree(snapshot_copy)
    crashed = subprocess.run(
        [sys.executable, "-c", CRASH, str(mini_replay), str(snapshot_copy)], check=False
    )
    assert crashed.returncode == 9
    assert not snapshot_copy.exists()  # stranded: only the temporary directories are left
    kinds = sorted(n.split("-")[1] for n in leftovers(snapshot_copy.parent))
    assert kinds == ["old", "tmp"]
    if then == "open":
        Snapshot.open(snapshot_copy)
        assert tree(snapshot_copy) == before  # the previous snapshot, as it was
    else:
        snap.fetch(RecordedSource(mini_replay), snapshot_copy)
        Snapshot.open(snapshot_copy)
    assert leftovers(snapshot_copy.parent) == []


def test_leftovers_of_dead_fetches_are_removed_and_live_ones_kept(
    snapshot_copy: Path, dead_pid: int
) -> None:
    parent = snapshot_copy.parent
    alive = os.getppid()
    made = {
        f".snapshot-tmp-{dead_pid}-abc123": False,
        f".snapshot-old-{dead_pid}": False,
        f".snapshot-tmp-{alive}-xyz789": True,  # a fetch that is still running
        f".snapshot-old-{alive}": True,
        ".snapshot-notes": True,  # not navbok's
        f".other-tmp-{dead_pid}-abc123": True,  # beside another snapshot
    }
    for name in made:
        (parent / name).mkdir()
        (parent / name / "x.json").write_text("{}")
    (parent / f".snapshot-tmp-{dead_pid}-file").write_text("a file, not a directory")
    before = tree(snapshot_copy)
    Snapshot.open(snapshot_copy)
    assert leftovers(parent) == sorted(
        [n for n, keep in made.items() if keep] + [f".snapshot-tmp-{dead_pid}-file"]
    )
    assert tree(snapshot_copy) == before


def test_a_complete_new_snapshot_is_put_in_place_an_incomplete_one_removed(
    mini_snapshot: Path, tmp_path: Path, dead_pid: int
) -> None:
    dest = tmp_path / "snapshot"
    complete = tmp_path / f".snapshot-tmp-{dead_pid}-aaaa"
    shutil.copytree(mini_snapshot, complete)
    broken = tmp_path / f".snapshot-tmp-{dead_pid}-bbbb"
    shutil.copytree(mini_snapshot, broken)
    (broken / CODES_AT_NAME).write_text("{}")
    os.utime(broken, (4e9, 4e9))  # the newest: tried first, and refused
    assert Snapshot.open(dest).checksum == Snapshot.open(mini_snapshot).checksum
    assert tree(dest) == tree(mini_snapshot) and leftovers(tmp_path) == []

    shutil.rmtree(dest)
    shutil.copytree(mini_snapshot, broken)
    (broken / CODES_AT_NAME).write_text("{}")
    with pytest.raises(SnapshotError, match="No snapshot at"):
        Snapshot.open(dest)
    assert leftovers(tmp_path) == []


# -- 5. malformed manifest entries -----------------------------------------------------------------


def entry(n: int, change: Callable[[dict[str, Any]], Any]) -> Callable[[dict[str, Any]], None]:
    return lambda m: change(m["files"][n])


BAD_MANIFESTS: dict[str, tuple[Callable[[dict[str, Any]], Any], str]] = {
    "no sha256": (entry(2, lambda e: e.pop("sha256")),
                  r"file entry 3 \(ssb/[\w.]+\) has no 'sha256'"),
    "files not a list": (lambda m: m.update(files={"a": 1}), "'files' is a dict, not a list"),
    "entry not an object": (lambda m: m["files"].__setitem__(0, "ssb/07459.json"),
                            "file entry 1 is a str, not an object"),
    "sha256 a number": (entry(0, lambda e: e.update(sha256=12)),
                        r"file entry 1 \(ssb/07459.metadata.json\) has a int as 'sha256'"),
    "name missing": (entry(1, lambda e: e.pop("name")), "file entry 2 has no 'name'"),
    "path outside": (entry(1, lambda e: e.update(name="../../etc/passwd")),
                     "names a path outside the snapshot"),
    "resolution a list": (lambda m: m.update(resolution=[]), "'resolution' is a list"),
    "tables a list": (lambda m: m["resolution"].update(tables=[]),
                      "'resolution.tables' is a list, not an object"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD_MANIFESTS))
def test_a_malformed_manifest_entry_is_named_in_one_line(snapshot_copy: Path, case: str) -> None:
    change, expected = BAD_MANIFESTS[case]
    path = snapshot_copy / "manifest.json"
    manifest = json.loads(path.read_text("utf-8"))
    change(manifest)
    path.write_text(json.dumps(manifest), "utf-8")
    for verify in (True, False):
        with pytest.raises(SnapshotError, match=expected) as info:
            Snapshot.open(snapshot_copy, verify=verify)
        message = str(info.value)
        assert str(path) in message and "navbok fetch" in message
        assert_one_line(message)
