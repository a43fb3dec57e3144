"""A fake PxWebApi v2 server on pytest-httpserver that serves any JSON-stat 2.0 dataset.

``serve_datasets(httpserver, {"13138": dataset})`` registers

* ``GET /tables/<id>/metadata?lang=no``: the dataset without ``value`` and ``status`` (a 400
  «Non-existent parameter» if ``outputFormat`` is sent: the real API dropped it for metadata);
* ``GET /tables/<id>/data``: the dataset sliced by the ``valueCodes[<dim>]`` query parameters
  (``*`` or a comma-separated list of codes; a dimension not named keeps all codes), with
  ``value`` and ``status`` (object keyed by value index) re-keyed for the slice;
* ``POST /tables/<id>/data`` with a body ``{"selection": [{"variableCode", "valueCodes"}]}``:
  the same slice;

and returns the base URL to give to :class:`navbok.sources.pxweb.PxWebClient`. Like SSB, it
answers 400 «Too many cells selected» over ``max_cells``, 400 «Non-existent value» /
«Non-existent variable» for unknown codes or dimensions, and 404 to a GET URL longer than
``max_url`` characters. Errors are JSON problem bodies ``{"type", "title", "status"}``.
"""

from __future__ import annotations

import copy
import itertools
import json
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

MAX_CELLS = 800_000
MAX_URL = 2100

Dataset = Mapping[str, Any]


def _codes(dimension: Mapping[str, Any]) -> list[str]:
    category = dimension.get("category") or {}
    index = category.get("index")
    if index is None:
        return list(category.get("label") or {})
    if isinstance(index, Mapping):
        return [c for c, _ in sorted(index.items(), key=lambda kv: kv[1])]
    return list(index)


def problem(status: int, title: str, detail: str = "") -> Response:
    """A JSON problem body as PxWebApi v2 sends it (the message is the ``title``)."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    return Response(json.dumps(body), status=status, content_type="application/problem+json")


def json_response(doc: Any) -> Response:
    """A JSON 200 answer."""
    return Response(json.dumps(doc, ensure_ascii=False), content_type="application/json")


def metadata_of(dataset: Dataset) -> dict[str, Any]:
    """The dataset without its values, as the metadata endpoint returns it."""
    meta = copy.deepcopy(dict(dataset))
    meta.pop("value", None)
    meta.pop("status", None)
    return meta


def slice_dataset(dataset: Dataset, wanted: Mapping[str, list[str]]) -> dict[str, Any]:
    """Return the sub-dataset with the codes in ``wanted`` (per dimension, in table order)."""
    ids: list[str] = list(dataset["id"])
    sizes: list[int] = list(dataset["size"])
    strides = [math.prod(sizes[i + 1 :]) for i in range(len(ids))]
    out = {k: v for k, v in dataset.items() if k not in ("value", "status", "dimension")}
    out = copy.deepcopy(out)
    out["dimension"] = copy.deepcopy(dataset["dimension"])
    positions: list[list[int]] = []
    for dim in ids:
        all_codes = _codes(dataset["dimension"][dim])
        chosen = set(wanted.get(dim, all_codes))
        keep = [c for c in all_codes if c in chosen]
        where = {c: i for i, c in enumerate(all_codes)}
        positions.append([where[c] for c in keep])
        category = out["dimension"][dim]["category"]
        if isinstance(category.get("index"), list):
            category["index"] = keep
        else:
            category["index"] = {c: i for i, c in enumerate(keep)}
        for key in ("label", "unit", "child", "coordinates"):
            if isinstance(category.get(key), dict):
                category[key] = {c: v for c, v in category[key].items() if c in chosen}
    out["size"] = [len(p) for p in positions]
    old_index = [
        sum(p * s for p, s in zip(combo, strides, strict=True))
        for combo in itertools.product(*positions)
    ]
    values = dataset["value"]
    if isinstance(values, list):
        out["value"] = [values[i] for i in old_index]
    else:  # sparse object {index: value}
        out["value"] = {
            str(new): values[str(old)] for new, old in enumerate(old_index) if str(old) in values
        }
    status = dataset.get("status")
    if isinstance(status, list):
        out["status"] = [status[i] for i in old_index]
    elif isinstance(status, dict):
        out["status"] = {
            str(new): status[str(old)] for new, old in enumerate(old_index) if str(old) in status
        }
    return out


def _cells(doc: Dataset) -> dict[tuple[str, ...], tuple[Any, Any]]:
    codes = [_codes(doc["dimension"][d]) for d in doc["id"]]
    values = doc["value"]
    status = doc.get("status") or {}
    out = {}
    for i, combo in enumerate(itertools.product(*codes)):
        value = values[i] if isinstance(values, list) else values.get(str(i))
        mark = status[i] if isinstance(status, list) else status.get(str(i))
        out[combo] = (value, mark)
    return out


def concat_datasets(parts: Sequence[Dataset], dim: str = "Tid") -> dict[str, Any]:
    """Join datasets that differ only in the codes of ``dim`` (chunks of one table) into one."""
    if len(parts) == 1:
        return dict(parts[0])
    first = parts[0]
    ids = list(first["id"])
    cells: dict[tuple[str, ...], tuple[Any, Any]] = {}
    joined: list[str] = []
    labels: dict[str, Any] = {}
    for part in parts:
        if list(part["id"]) != ids:
            raise ValueError("chunks have different dimensions")
        cells.update(_cells(part))
        category = part["dimension"][dim]["category"]
        joined.extend(c for c in _codes(part["dimension"][dim]) if c not in joined)
        labels.update(category.get("label") or {})
    out = metadata_of(first)
    category = out["dimension"][dim]["category"]
    category["index"] = {c: i for i, c in enumerate(joined)}
    category["label"] = {c: labels.get(c, c) for c in joined}
    codes = [joined if d == dim else _codes(first["dimension"][d]) for d in ids]
    out["size"] = [len(c) for c in codes]
    values: list[Any] = []
    status: dict[str, str] = {}
    for i, combo in enumerate(itertools.product(*codes)):
        value, mark = cells.get(combo, (None, None))
        values.append(value)
        if mark is not None:
            status[str(i)] = mark
    out["value"] = values
    out["status"] = status
    return out


def _raw_url_length(request: Request) -> int:
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or request.full_path
    return len(request.host_url.rstrip("/")) + len(raw)


def _requested(request: Request, ids: Sequence[str]) -> dict[str, str | list[str]] | Response:
    """The codes asked for per dimension (``"*"`` for all), from a GET query or a POST body."""
    asked: dict[str, str | list[str]] = {}
    if request.method == "POST":
        try:
            body = json.loads(request.get_data() or b"{}")
            entries = body["selection"]
            for entry in entries:
                codes = [str(c) for c in entry["valueCodes"]]
                asked[str(entry["variableCode"])] = "*" if codes == ["*"] else codes
        except (ValueError, KeyError, TypeError) as exc:
            return problem(400, "Illegal selection expression", f"bad body: {exc}")
    else:
        for key, raw in request.args.items():
            if key.startswith("valueCodes[") and key.endswith("]"):
                codes = [c.strip() for c in raw.split(",") if c.strip()]
                asked[key[len("valueCodes[") : -1]] = "*" if codes == ["*"] else codes
    extra = [d for d in asked if d not in ids]
    if extra:
        return problem(400, "Non-existent variable", ", ".join(extra))
    return asked


def data_response(
    dataset: Dataset, request: Request, *, max_cells: int = MAX_CELLS, max_url: int = MAX_URL
) -> Response:
    """Answer one data request (GET or POST) the way PxWebApi v2 does."""
    if request.method == "GET" and _raw_url_length(request) > max_url:
        return Response("Not Found", status=404)
    asked = _requested(request, dataset["id"])
    if isinstance(asked, Response):
        return asked
    wanted: dict[str, list[str]] = {}
    count = 1
    for dim in dataset["id"]:
        all_codes = _codes(dataset["dimension"][dim])
        codes = asked.get(dim, "*")
        if codes == "*":
            count *= len(all_codes)
            continue
        known = set(all_codes)
        unknown = [c for c in codes if c not in known]
        if unknown:
            return problem(400, "Non-existent value", f"{', '.join(unknown)} for {dim}")
        if len(set(codes)) != len(codes):
            return Response("", status=500)  # SSB's answer to a code listed twice
        wanted[dim] = list(codes)
        count *= len(codes)
    if count > max_cells:
        return problem(400, "Too many cells selected", f"{count} cells > {max_cells}")
    return json_response(slice_dataset(dataset, wanted))


def metadata_response(request: Request, body: Callable[[], bytes]) -> Response:
    """Answer a metadata request: ``body()`` as is, or 400 if ``outputFormat`` is sent."""
    if "outputFormat" in request.args:
        return problem(400, "Non-existent parameter", "outputFormat")
    return Response(body(), content_type="application/json")


def serve_datasets(
    httpserver: HTTPServer,
    datasets: Mapping[str, Dataset],
    *,
    max_cells: int = MAX_CELLS,
    max_url: int = MAX_URL,
) -> str:
    """Serve each ``{table_id: JSON-stat dataset}`` as a PxWebApi v2 table; return the base URL."""
    for table_id, dataset in datasets.items():
        meta = json.dumps(metadata_of(dataset), ensure_ascii=False).encode()
        httpserver.expect_request(
            f"/tables/{table_id}/metadata", method="GET", query_string=None
        ).respond_with_handler(lambda request, meta=meta: metadata_response(request, lambda: meta))
        httpserver.expect_request(
            f"/tables/{table_id}/data", query_string=None
        ).respond_with_handler(
            lambda request, dataset=dataset: data_response(
                dataset, request, max_cells=max_cells, max_url=max_url
            )
        )
    return httpserver.url_for("/").rstrip("/")


# -- helpers for the tests of the HTTP path -------------------------------------------------------

Cell = tuple[str, ...]


class FakeTime:
    """A monotonic clock that only moves when someone sleeps (or the test advances it)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def cells(doc: Mapping[str, Any]) -> dict[Cell, tuple[Any, Any]]:
    """Every cell of a JSON-stat 2.0 dataset: codes → (value, status)."""
    codes = [_codes(doc["dimension"][d]) for d in doc["id"]]
    assert [len(c) for c in codes] == doc["size"]
    status = doc.get("status") or {}
    return {
        combo: (doc["value"][i], status.get(str(i)))
        for i, combo in enumerate(itertools.product(*codes))
    }


def merged(responses: list[Any]) -> dict[Cell, tuple[Any, Any]]:
    """The cells of several chunk responses, each cell once (overlapping chunks fail)."""
    out: dict[Cell, tuple[Any, Any]] = {}
    for r in responses:
        part = cells(json.loads(r.content))
        assert not set(part) & set(out), "chunks overlap"
        out.update(part)
    return out
