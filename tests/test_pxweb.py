"""Downloading PxWebApi v2 tables through a fake server that really slices JSON-stat datasets."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fake_pxweb import cells, merged, serve_datasets
from pytest_httpserver import HTTPServer

from navbok.errors import ConfigError, ParseError, SourceError
from navbok.sources import settings
from navbok.sources.http import HttpClient, HttpStatusError, full_url
from navbok.sources.pxweb import PxWebClient, split_selection

REAL_12134 = Path("/work/shared/spec/ssb-12134-real-response.json")

REGIONS = ["0301", "4601", "EAK"]
CONTENTS = ["KOSa", "KOSb"]
YEARS = ["2015", "2016", "2017", "2018"]


def make_dataset(
    regions: list[str] = REGIONS,
    contents: list[str] = CONTENTS,
    years: list[str] = YEARS,
    *,
    index_as_list: bool = False,
) -> dict[str, Any]:
    """A small JSON-stat 2.0 dataset shaped like an SSB KOSTRA table, with nulls and status."""
    dims = {"KOKkommuneregion0000": regions, "ContentsCode": contents, "Tid": years}
    dimension = {}
    for dim, codes in dims.items():
        index: Any = list(codes) if index_as_list else {c: i for i, c in enumerate(codes)}
        dimension[dim] = {
            "label": dim,
            "category": {"index": index, "label": {c: f"label {c}" for c in codes}},
        }
    n = math.prod(len(c) for c in dims.values())
    values: list[float | None] = [float(i * 10 + 1) for i in range(n)]
    values[5] = None
    return {
        "version": "2.0",
        "class": "dataset",
        "label": "99999: test table",
        "role": {"time": ["Tid"], "geo": ["KOKkommuneregion0000"], "metric": ["ContentsCode"]},
        "id": list(dims),
        "size": [len(c) for c in dims.values()],
        "dimension": dimension,
        "value": values,
        "status": {"5": "..", "7": "p"},
    }


@pytest.fixture
def http() -> HttpClient:
    """An HttpClient that never really sleeps."""
    return HttpClient(min_interval=0.0, sleep=lambda s: None)


def data_requests(httpserver: HTTPServer) -> list[dict[str, str]]:
    return [dict(req.args) for req, _ in httpserver.log if req.path.endswith("/data")]


def metadata_requests(httpserver: HTTPServer) -> list[dict[str, str]]:
    return [dict(req.args) for req, _ in httpserver.log if req.path.endswith("/metadata")]


def test_single_request_round_trip(httpserver: HTTPServer, http: HttpClient) -> None:
    dataset = make_dataset()
    base = serve_datasets(httpserver, {"99999": dataset})
    (resp,) = PxWebClient(base, http=http).fetch_table("99999")
    assert resp.name == "ssb/99999.json"
    assert resp.query == {
        "lang": "no",
        "outputFormat": "json-stat2",
        "valueCodes[KOKkommuneregion0000]": "*",
        "valueCodes[ContentsCode]": "*",
        "valueCodes[Tid]": "*",
    }
    split = urlsplit(resp.origin)
    assert f"{split.scheme}://{split.netloc}{split.path}" == f"{base}/tables/99999/data"
    assert {k: v[0] for k, v in parse_qs(split.query).items()} == resp.query
    assert json.loads(resp.content)["value"] == dataset["value"]
    assert cells(json.loads(resp.content)) == cells(dataset)
    meta_req = httpserver.log[0][0]
    assert meta_req.path == "/tables/99999/metadata"
    assert dict(meta_req.args) == {"lang": "no"}  # no outputFormat: the API dropped it


def test_chunks_split_along_time(httpserver: HTTPServer, http: HttpClient) -> None:
    dataset = make_dataset()  # 3 x 2 x 4 = 24 cells
    base = serve_datasets(httpserver, {"99999": dataset})
    responses = PxWebClient(base, http=http, max_cells=12).fetch_table("99999")
    assert [r.name for r in responses] == ["ssb/99999_part1.json", "ssb/99999_part2.json"]
    for r in responses:
        doc = json.loads(r.content)
        assert math.prod(doc["size"]) <= 12
        assert r.query["valueCodes[KOKkommuneregion0000]"] == "*"
        assert r.query["valueCodes[ContentsCode]"] == "*"
    assert [r.query["valueCodes[Tid]"] for r in responses] == ["2015,2016", "2017,2018"]
    assert merged(responses) == cells(dataset)
    assert merged(responses)[("0301", "KOSb", "2016")] == (None, "..")


def test_chunks_when_one_year_exceeds_the_limit(httpserver: HTTPServer, http: HttpClient) -> None:
    dataset = make_dataset()  # one year = 3 x 2 = 6 cells > 4
    base = serve_datasets(httpserver, {"99999": dataset})
    responses = PxWebClient(base, http=http, max_cells=4).fetch_table("99999")
    assert [r.name for r in responses] == [f"ssb/99999_part{k}.json" for k in range(1, 9)]
    for r in responses:
        doc = json.loads(r.content)
        assert math.prod(doc["size"]) <= 4
        assert len(r.query["valueCodes[Tid]"].split(",")) == 1
    # The largest remaining dimension (regions) was split, contents kept whole.
    assert {r.query["valueCodes[KOKkommuneregion0000]"] for r in responses} == {"0301,4601", "EAK"}
    assert {r.query["valueCodes[ContentsCode]"] for r in responses} == {"*"}
    assert merged(responses) == cells(dataset)


def test_selection_from_and_list(httpserver: HTTPServer, http: HttpClient) -> None:
    dataset = make_dataset()
    base = serve_datasets(httpserver, {"99999": dataset})
    selection = {"Tid": "from(2017)", "ContentsCode": ["KOSb"], "KOKkommuneregion0000": "*"}
    (resp,) = PxWebClient(base, http=http).fetch_table("99999", selection)
    assert resp.query["valueCodes[Tid]"] == "2017,2018"
    assert resp.query["valueCodes[ContentsCode]"] == "KOSb"
    assert resp.query["valueCodes[KOKkommuneregion0000]"] == "*"
    got = cells(json.loads(resp.content))
    want = {k: v for k, v in cells(dataset).items() if k[1] == "KOSb" and k[2] >= "2017"}
    assert got == want and len(got) == 6


def test_every_data_request_names_every_dimension(httpserver: HTTPServer, http: HttpClient) -> None:
    base = serve_datasets(httpserver, {"99999": make_dataset()})
    PxWebClient(base, http=http, max_cells=6).fetch_table("99999", {"ContentsCode": "KOSa"})
    requests = data_requests(httpserver)
    assert len(requests) == 2
    for args in requests:
        assert {k for k in args if k.startswith("valueCodes[")} == {
            "valueCodes[KOKkommuneregion0000]",
            "valueCodes[ContentsCode]",
            "valueCodes[Tid]",
        }


def test_metadata_with_array_index(httpserver: HTTPServer, http: HttpClient) -> None:
    dataset = make_dataset(index_as_list=True)
    base = serve_datasets(httpserver, {"99999": dataset})
    responses = PxWebClient(base, http=http, max_cells=6).fetch_table("99999")
    assert len(responses) == 4
    assert merged(responses) == cells(dataset)


def test_unknown_code_or_dimension_is_a_config_error(
    httpserver: HTTPServer, http: HttpClient
) -> None:
    base = serve_datasets(httpserver, {"99999": make_dataset()})
    client = PxWebClient(base, http=http)
    with pytest.raises(ConfigError, match="99999.*Tid.*1999"):
        client.fetch_table("99999", {"Tid": ["1999"]})
    with pytest.raises(ConfigError, match="Alder"):
        client.fetch_table("99999", {"Alder": "*"})
    with pytest.raises(ConfigError, match="matches no code"):
        client.fetch_table("99999", {"Tid": "from(2030)"})
    assert data_requests(httpserver) == []


def test_truncated_json_is_a_parse_error_without_retry(
    httpserver: HTTPServer, http: HttpClient
) -> None:
    dataset = make_dataset()
    base = serve_datasets(httpserver, {"99999": dataset})
    body = json.dumps(dataset).encode()
    httpserver.expect_oneshot_request("/tables/99999/data", query_string=None).respond_with_data(
        body[: len(body) // 2], content_type="application/json"
    )
    with pytest.raises(ParseError) as info:
        PxWebClient(base, http=http).fetch_table("99999")
    message = str(info.value)
    assert "SSB table 99999" in message
    assert f"{base}/tables/99999/data" in message
    assert len(data_requests(httpserver)) == 1


def test_body_that_is_not_a_dataset_is_a_parse_error(
    httpserver: HTTPServer, http: HttpClient
) -> None:
    base = serve_datasets(httpserver, {"99999": make_dataset()})
    httpserver.expect_oneshot_request("/tables/99999/data", query_string=None).respond_with_json(
        {"class": "collection", "link": {}}
    )
    with pytest.raises(ParseError, match="99999.*not a JSON-stat 2.0 dataset"):
        PxWebClient(base, http=http).fetch_table("99999")


def test_value_count_must_match_size(httpserver: HTTPServer, http: HttpClient) -> None:
    dataset = make_dataset()
    base = serve_datasets(httpserver, {"99999": dataset})
    short = {**dataset, "value": dataset["value"][:-1]}
    httpserver.expect_oneshot_request("/tables/99999/data", query_string=None).respond_with_json(
        short
    )
    with pytest.raises(ParseError, match="23 values"):
        PxWebClient(base, http=http).fetch_table("99999")


def test_split_selection_keeps_every_cell_once() -> None:
    sel = {"a": list("abcde"), "b": list("xyz"), "t": ["1", "2", "3"]}
    for limit in range(1, 50):
        chunks = split_selection(sel, ["t", "a", "b"], limit)
        assert all(math.prod(len(v) for v in c.values()) <= limit for c in chunks)
        seen = [cell for c in chunks for cell in itertools.product(*c.values())]
        assert sorted(seen) == sorted(itertools.product(*sel.values()))


def test_real_12134_response_round_trips(httpserver: HTTPServer, http: HttpClient) -> None:
    if not REAL_12134.exists():
        pytest.skip(f"{REAL_12134} is not available")
    dataset = json.loads(REAL_12134.read_text(encoding="utf-8"))
    base = serve_datasets(httpserver, {"12134": dataset})
    (resp,) = PxWebClient(base, http=http).fetch_table("12134")
    got = json.loads(resp.content)
    assert got["value"] == dataset["value"]
    assert got["id"] == dataset["id"] and got["size"] == dataset["size"]
    assert cells(got) == cells(dataset)


# -- metadata -------------------------------------------------------------------------------------


def test_default_base_is_read_from_settings_when_created(
    monkeypatch: pytest.MonkeyPatch, http: HttpClient
) -> None:
    monkeypatch.delenv(settings.SSB_URL_VAR, raising=False)
    assert PxWebClient(http=http).base_url == settings.DEFAULT_SSB_URL
    monkeypatch.setenv(settings.SSB_URL_VAR, "http://mirror.example/px/")
    client = PxWebClient(http=http)
    assert client.base_url == "http://mirror.example/px"
    monkeypatch.setenv(settings.SSB_URL_VAR, "http://elsewhere.example")
    assert client.base_url == "http://mirror.example/px"  # fixed at creation
    assert PxWebClient("http://given.example", http=http).base_url == "http://given.example"


def test_metadata_raw_is_the_body_as_received(httpserver: HTTPServer, http: HttpClient) -> None:
    base = serve_datasets(httpserver, {"99999": make_dataset()})
    body = '{"class": "dataset", "id": [], "size": [], "note": ["Bærum"]}'.encode()
    httpserver.expect_oneshot_request("/tables/99999/metadata").respond_with_data(
        body, content_type="application/json"
    )
    raw = PxWebClient(base, http=http).metadata_raw("99999")
    assert raw.name == "ssb/99999.metadata.json"
    assert raw.content == body
    assert raw.origin == f"{base}/tables/99999/metadata?lang=no"
    assert metadata_requests(httpserver) == [{"lang": "no"}]


def test_fetch_with_meta_body_makes_no_metadata_request(
    httpserver: HTTPServer, http: HttpClient
) -> None:
    dataset = make_dataset()
    base = serve_datasets(httpserver, {"99999": dataset})
    client = PxWebClient(base, http=http, max_cells=12)
    meta = client.metadata_raw("99999")
    responses = client.fetch_table("99999", {"ContentsCode": ["KOSa"]}, meta_body=meta.content)
    assert len(metadata_requests(httpserver)) == 1  # the one metadata_raw made
    assert merged(responses) == {k: v for k, v in cells(dataset).items() if k[1] == "KOSa"}


# -- long selections go as POST -------------------------------------------------------------------


def test_long_selection_is_posted(httpserver: HTTPServer, http: HttpClient) -> None:
    regions = [f"K{n:04d}" for n in range(600)]
    dataset = make_dataset(regions=regions)
    base = serve_datasets(httpserver, {"99999": dataset})
    chosen = regions[::2]  # 300 codes: about 2 600 characters as a GET query
    client = PxWebClient(base, http=http)
    meta = client.metadata("99999")
    chunk = {"KOKkommuneregion0000": chosen, "ContentsCode": CONTENTS, "Tid": ["2016"]}
    assert len(full_url(f"{base}/tables/99999/data", client.data_params(meta, chunk))) > 2000
    httpserver.clear_log()
    (resp,) = client.fetch_table("99999", {"KOKkommuneregion0000": chosen, "Tid": ["2016"]})
    posts = [req for req, _ in httpserver.log if req.method == "POST"]
    assert len(posts) == 1
    (post,) = posts
    assert post.path == "/tables/99999/data"
    assert dict(post.args) == {"lang": "no", "outputFormat": "json-stat2"}
    assert json.loads(post.get_data()) == {
        "selection": [
            {"variableCode": "KOKkommuneregion0000", "valueCodes": chosen},
            {"variableCode": "ContentsCode", "valueCodes": ["*"]},
            {"variableCode": "Tid", "valueCodes": ["2016"]},
        ]
    }
    assert resp.name == "ssb/99999.json"
    assert resp.origin == f"{base}/tables/99999/data?lang=no&outputFormat=json-stat2"
    assert resp.query["selection"][0]["valueCodes"] == chosen
    want = {k: v for k, v in cells(dataset).items() if k[0] in set(chosen) and k[2] == "2016"}
    assert cells(json.loads(resp.content)) == want and len(want) == 600


def test_short_selection_stays_a_get(httpserver: HTTPServer, http: HttpClient) -> None:
    regions = [f"K{n:04d}" for n in range(600)]
    base = serve_datasets(httpserver, {"99999": make_dataset(regions=regions)})
    PxWebClient(base, http=http).fetch_table("99999", {"KOKkommuneregion0000": regions[:20]})
    assert {req.method for req, _ in httpserver.log} == {"GET"}


# -- «Too many cells selected» --------------------------------------------------------------------


def test_too_many_cells_splits_further(httpserver: HTTPServer, http: HttpClient) -> None:
    dataset = make_dataset(regions=[f"K{n}" for n in range(5)], years=YEARS)  # 5 x 2 x 4 = 40
    base = serve_datasets(httpserver, {"99999": dataset}, max_cells=7)
    responses = PxWebClient(base, http=http, max_cells=20).fetch_table("99999")
    refused = [r for _, r in httpserver.log if r.status_code == 400]
    assert refused and all(
        json.loads(r.get_data())["title"] == "Too many cells selected" for r in refused
    )
    for r in responses:
        assert math.prod(json.loads(r.content)["size"]) <= 7
    assert [r.name for r in responses] == [
        f"ssb/99999_part{k}.json" for k in range(1, len(responses) + 1)
    ]
    assert merged(responses) == cells(dataset)  # every cell exactly once


def test_too_many_cells_on_a_single_cell_fails(httpserver: HTTPServer, http: HttpClient) -> None:
    base = serve_datasets(httpserver, {"99999": make_dataset()}, max_cells=0)
    with pytest.raises(SourceError, match="single cell"):
        PxWebClient(base, http=http).fetch_table(
            "99999", {"KOKkommuneregion0000": ["EAK"], "ContentsCode": ["KOSa"], "Tid": ["2015"]}
        )


def test_other_400_fails_at_once_with_title(httpserver: HTTPServer, http: HttpClient) -> None:
    base = serve_datasets(httpserver, {"99999": make_dataset()})
    httpserver.expect_oneshot_request("/tables/99999/data").respond_with_json(
        {"type": "about:blank", "title": "Non-existent value", "status": 400}, status=400
    )
    with pytest.raises(HttpStatusError, match="«Non-existent value»") as info:
        PxWebClient(base, http=http).fetch_table("99999")
    assert "SSB table 99999" in str(info.value)
    assert len(data_requests(httpserver)) == 1
