"""LiveSource against fake SSB, KLASS and NAV services that serve a recorded directory.

The first tests build a tiny recording in ``tmp_path`` (they run anywhere); the ones marked
``replay`` serve ``NAVBOK_SOURCE`` (e.g. ``../shared/replay-v2``) and are skipped without it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import requests
from fake_pxweb import Cell, FakeTime, cells, merged
from fake_services import serve_recording
from pytest_httpserver import HTTPServer

from navbok.errors import SourceError
from navbok.sources import klass, names, nav
from navbok.sources.http import HttpClient
from navbok.sources.live import LiveSource

HREF = "/_/attachment/inline/0000-aaaa:1234abcd/AAP155%20Mottakere.xlsx"
WORKBOOK = b"PK\x03\x04 not really a workbook, but bytes to compare"


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def http(fake_time: FakeTime) -> HttpClient:
    """An HttpClient that never waits (and never retries for long)."""
    return HttpClient(min_interval=0, max_tries=2, sleep=fake_time.sleep, clock=fake_time.clock)


def use(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)


def klass_requests(httpserver: HTTPServer) -> list[Any]:
    return [req for req, _ in httpserver.log if req.path.startswith("/klass/")]


# -- a tiny recording ------------------------------------------------------------------------------


def dataset(years: list[str], start: int = 0) -> dict[str, Any]:
    dims = {
        "KOKkommuneregion0000": ["0301", "3201", "EAK"],
        "ContentsCode": ["A", "B"],
        "Tid": years,
    }
    n = 3 * 2 * len(years)
    return {
        "version": "2.0",
        "class": "dataset",
        "label": "99999: tiny",
        "role": {"time": ["Tid"], "geo": ["KOKkommuneregion0000"], "metric": ["ContentsCode"]},
        "id": list(dims),
        "size": [len(c) for c in dims.values()],
        "dimension": {
            d: {
                "label": d,
                "category": {
                    "index": {c: i for i, c in enumerate(codes)},
                    "label": {c: f"{d} {c}" for c in codes},
                },
            }
            for d, codes in dims.items()
        },  # fmt: skip
        "value": [None if i == 1 else start + i for i in range(n)],
        "status": {"1": ":"},
        "extension": {"synthetic": True},
    }


def correspondence() -> dict[str, Any]:
    item = {
        "sourceShortName": "",
        "targetShortName": "",
        "validFrom": "2024-01-01",
        "validTo": None,
    }
    return {
        "synthetic": True,
        "correspondenceItems": [
            {**item, "sourceCode": "EKG13", "sourceName": "KOSTRA-gruppe 13", "targetCode": "0301",
             "targetName": "Oslo"},
            {**item, "sourceCode": "EKG12", "sourceName": "KOSTRA-gruppe 12", "targetCode": "3201",
             "targetName": "Bærum"},
        ],
    }  # fmt: skip


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A recording with one SSB table in two chunks, three KLASS bodies and NAV's page."""
    root = tmp_path / "rec"
    for sub in ("ssb", "klass", "nav"):
        (root / sub).mkdir(parents=True)
    part1, part2 = dataset(["2022", "2023"]), dataset(["2024"], start=100)
    (root / "ssb" / "99999_part1.json").write_text(json.dumps(part1))
    (root / "ssb" / "99999_part2.json").write_text(json.dumps(part2))
    meta = {k: v for k, v in dataset(["2022", "2023", "2024"]).items() if k != "value"}
    meta.pop("status")
    (root / "ssb" / "99999.metadata.json").write_text(json.dumps(meta, ensure_ascii=False))
    codes = {"codes": [{"code": "0301", "name": "Oslo"}, {"code": "3201", "name": "Bærum"}]}
    (root / "klass" / "131-codesAt-2024-01-01.json").write_text(json.dumps(codes))
    changes = {"codeChanges": [{"oldCode": "3024", "newCode": "3201",
                                "changeOccurred": "2024-01-01"}]}  # fmt: skip
    (root / "klass" / "131-changes-2015-01-01-2025-01-01.json").write_text(json.dumps(changes))
    (root / "klass" / "112-correspondsAt-131-2024-01-01.json").write_text(
        json.dumps(correspondence(), ensure_ascii=False)
    )
    html = (
        '<html><body><a href="/_/attachment/inline/9:9/AAP155%20Mottakere.pdf">PDF</a>'
        f'<a class="aksel-link" href="{HREF}">Excel</a></body></html>'
    )
    (root / "nav" / "aap-statistikk.html").write_text(html)
    workbook = root / "nav" / unquote(HREF).lstrip("/")
    workbook.parent.mkdir(parents=True)
    workbook.write_bytes(WORKBOOK)
    return root


def tiny_cells() -> dict[Cell, tuple[Any, Any]]:
    return {**cells(dataset(["2022", "2023"])), **cells(dataset(["2024"], start=100))}


def test_tiny_ssb_metadata_and_table(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, tiny: Path, http: HttpClient
) -> None:
    use(monkeypatch, serve_recording(httpserver, tiny))
    source = LiveSource(http)
    assert source.description == "SSB og NAV (direkte)"
    meta = source.ssb_metadata("99999")
    assert meta.name == names.ssb_metadata_name("99999")
    assert meta.content == (tiny / "ssb" / "99999.metadata.json").read_bytes()
    assert meta.origin == f"{os.environ['NAVBOK_SSB_URL']}/tables/99999/metadata?lang=no"

    (whole,) = source.ssb_table("99999", {}, meta_body=meta.content)
    assert whole.name == names.ssb_data_name("99999")
    assert cells(json.loads(whole.content)) == tiny_cells()  # chunks joined along Tid

    (sliced,) = source.ssb_table(
        "99999", {"ContentsCode": ["B"], "Tid": "from(2023)"}, meta.content
    )
    want = {k: v for k, v in tiny_cells().items() if k[1] == "B" and k[2] >= "2023"}
    assert cells(json.loads(sliced.content)) == want and len(want) == 6

    ssb = [req for req, _ in httpserver.log if req.path.startswith("/ssb/")]
    assert [r.path.rsplit("/", 1)[1] for r in ssb] == ["metadata", "data", "data"]
    assert dict(ssb[0].args) == {"lang": "no"}  # the metadata call has no outputFormat


def test_tiny_cell_limit_splits(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, tiny: Path, http: HttpClient
) -> None:
    use(monkeypatch, serve_recording(httpserver, tiny, max_cells=4))
    responses = LiveSource(http).ssb_table("99999", {})
    assert [r.name for r in responses] == [
        names.ssb_data_name("99999", k) for k in range(1, len(responses) + 1)
    ]
    assert len(responses) > 1 and merged(responses) == tiny_cells()


def test_tiny_klass(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, tiny: Path, http: HttpClient
) -> None:
    use(monkeypatch, serve_recording(httpserver, tiny))
    source = LiveSource(http)
    codes = source.codes_at("2024-01-01")
    assert codes.name == names.codes_at_name("2024-01-01")
    assert klass.read_codes(codes.content)["code"].tolist() == ["0301", "3201"]
    changes = source.changes("2015-01-01", "2025-01-01")
    assert changes.name == names.changes_name("2015-01-01", "2025-01-01")
    assert (
        changes.content == (tiny / "klass" / "131-changes-2015-01-01-2025-01-01.json").read_bytes()
    )
    groups = source.kostra_groups("2024-01-01")
    assert groups.name == names.kostra_groups_name("2024-01-01")
    assert "/classifications/112/correspondsAt?" in groups.origin
    frame, labels, synthetic = klass.read_kostra_groups(groups.content, where=groups.name)
    assert dict(zip(frame["code"], frame["group"], strict=True)) == {"0301": "EKG13",
                                                                     "3201": "EKG12"}  # fmt: skip
    assert labels == {"EKG13": "KOSTRA-gruppe 13", "EKG12": "KOSTRA-gruppe 12"} and synthetic
    requests_seen = klass_requests(httpserver)
    assert len(requests_seen) == 3
    assert all(r.headers["Accept"] == "application/json" for r in requests_seen)
    assert requests_seen[2].args["targetClassificationId"] == "131"
    # The fake refuses a request that does not accept JSON, as KLASS does.
    plain = requests.get(
        os.environ["NAVBOK_KLASS_URL"] + "/classifications/131/codesAt?date=2024-01-01",
        headers={"Accept": "text/html"},
        timeout=5,
    )
    assert plain.status_code == 406
    with pytest.raises(SourceError, match="404"):
        source.codes_at("1999-01-01")


def test_tiny_kostra_groups_fallback(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, tiny: Path, http: HttpClient
) -> None:
    use(monkeypatch, serve_recording(httpserver, tiny, empty_corresponds_at=True))
    groups = LiveSource(http).kostra_groups("2024-01-01")
    assert groups.name == names.kostra_groups_name("2024-01-01")
    assert "/classifications/112/corresponds?" in groups.origin
    assert groups.query == {"targetClassificationId": "131", "from": "2024-01-01",
                            "to": "2024-01-02"}  # fmt: skip
    assert groups.content == (tiny / "klass" / "112-correspondsAt-131-2024-01-01.json").read_bytes()
    seen = [r.path.rsplit("/", 1)[1] for r in klass_requests(httpserver)]
    assert seen == ["correspondsAt", "corresponds"]


def test_tiny_aap155(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, tiny: Path, http: HttpClient
) -> None:
    env = serve_recording(httpserver, tiny)
    use(monkeypatch, env)
    aap = LiveSource(http).aap155()
    assert aap.name == names.AAP155_CURRENT
    assert aap.content == WORKBOOK
    assert aap.origin == env["NAVBOK_NAV_URL"] + HREF
    assert aap.query == {"page": env["NAVBOK_NAV_URL"] + nav.AAP_PAGE_PATH, "href": HREF}


# -- the shared recording (NAVBOK_SOURCE) ---------------------------------------------------------


@pytest.fixture
def replay() -> Path:
    value = os.environ.get("NAVBOK_SOURCE")
    if not value:
        pytest.skip("NAVBOK_SOURCE is not set (e.g. NAVBOK_SOURCE=../shared/replay-v2)")
    root = Path(value)
    if not (root / "ssb" / "13995.metadata.json").is_file():
        pytest.skip(f"{root} is not a v2 recording")
    return root


def test_replay_metadata_is_the_recorded_file(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, replay: Path, http: HttpClient
) -> None:
    use(monkeypatch, serve_recording(httpserver, replay))
    meta = LiveSource(http).ssb_metadata("13995")
    assert meta.content == (replay / "ssb" / "13995.metadata.json").read_bytes()


def test_replay_sliced_13995(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, replay: Path, http: HttpClient
) -> None:
    use(monkeypatch, serve_recording(httpserver, replay))
    wanted = ["KOSsosantkliente0000", "KOSgjsnittvklo0000"]
    (resp,) = LiveSource(http).ssb_table("13995", {"ContentsCode": wanted})
    recorded = cells(json.loads((replay / "ssb" / "13995.json").read_bytes()))
    want = {k: v for k, v in recorded.items() if k[1] in wanted}
    got = cells(json.loads(resp.content))
    assert got == want
    assert {k[1] for k in got} == set(wanted)


def test_replay_13995_split_by_the_cell_limit(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, replay: Path, http: HttpClient
) -> None:
    use(monkeypatch, serve_recording(httpserver, replay, max_cells=10_000))
    responses = LiveSource(http).ssb_table("13995", {})
    recorded = cells(json.loads((replay / "ssb" / "13995.json").read_bytes()))
    assert len(responses) > 1 and merged(responses) == recorded


def test_replay_klass_sends_accept_json_and_falls_back(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, replay: Path, http: HttpClient
) -> None:
    use(monkeypatch, serve_recording(httpserver, replay, empty_corresponds_at=True))
    source = LiveSource(http)
    codes = source.codes_at("2024-01-01")
    assert codes.content == (replay / "klass" / "131-codesAt-2024-01-01.json").read_bytes()
    groups = source.kostra_groups("2024-01-01")
    recorded = replay / "klass" / "112-correspondsAt-131-2024-01-01.json"
    assert groups.content == recorded.read_bytes()
    assert "/corresponds?" in groups.origin
    frame, _, _ = klass.read_kostra_groups(groups.content, where=groups.name)
    assert dict(zip(frame["code"], frame["group"], strict=True))["3201"] == "EKG12"
    seen = klass_requests(httpserver)
    assert [r.path.rsplit("/", 1)[1] for r in seen] == ["codesAt", "correspondsAt", "corresponds"]
    assert all(r.headers["Accept"] == "application/json" for r in seen)


def test_replay_aap155(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, replay: Path, http: HttpClient
) -> None:
    use(monkeypatch, serve_recording(httpserver, replay))
    aap = LiveSource(http).aap155()
    href = aap.query["href"]
    assert href.endswith("/AAP155%20Mottakere.xlsx")
    recorded = replay / nav.recorded_workbook_path(href)
    assert aap.content == recorded.read_bytes()
    assert aap.name == names.AAP155_CURRENT
