"""A fake PxWebApi v2 server on pytest-httpserver that serves any JSON-stat 2.0 dataset.

``serve_datasets(httpserver, {"13138": dataset})`` registers

* ``GET /tables/<id>/metadata``: the dataset without ``value`` and ``status``;
* ``GET /tables/<id>/data``: the dataset sliced by the ``valueCodes[<dim>]`` query parameters
  (``*`` or a comma-separated list of codes; a dimension not named keeps all codes), with
  ``value`` and ``status`` (object keyed by value index) re-keyed for the slice.

and returns the base URL to give to :class:`navbok.sources.pxweb.PxWebClient`.
"""

from __future__ import annotations

import copy
import itertools
import json
import math
from collections.abc import Mapping
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response


def _codes(dimension: Mapping[str, Any]) -> list[str]:
    category = dimension.get("category") or {}
    index = category.get("index")
    if index is None:
        return list(category.get("label") or {})
    if isinstance(index, Mapping):
        return [c for c, _ in sorted(index.items(), key=lambda kv: kv[1])]
    return list(index)


def _error(status: int, detail: str) -> Response:
    body = {"type": "about:blank", "title": "Bad Request", "status": status, "detail": detail}
    return Response(json.dumps(body), status=status, content_type="application/problem+json")


def _json(doc: Any) -> Response:
    return Response(json.dumps(doc, ensure_ascii=False), content_type="application/json")


def metadata_of(dataset: Mapping[str, Any]) -> dict[str, Any]:
    """The dataset without its values, as the metadata endpoint returns it."""
    meta = copy.deepcopy(dict(dataset))
    meta.pop("value", None)
    meta.pop("status", None)
    return meta


def slice_dataset(dataset: Mapping[str, Any], wanted: Mapping[str, list[str]]) -> dict[str, Any]:
    """Return the sub-dataset with the codes in ``wanted`` (per dimension, in table order)."""
    ids: list[str] = list(dataset["id"])
    sizes: list[int] = list(dataset["size"])
    strides = [math.prod(sizes[i + 1 :]) for i in range(len(ids))]
    out = copy.deepcopy(dict(dataset))
    positions: list[list[int]] = []
    for dim in ids:
        all_codes = _codes(dataset["dimension"][dim])
        chosen = set(wanted.get(dim, all_codes))
        keep = [c for c in all_codes if c in chosen]
        positions.append([all_codes.index(c) for c in keep])
        category = out["dimension"][dim]["category"]
        if isinstance(category.get("index"), list):
            category["index"] = keep
        else:
            category["index"] = {c: i for i, c in enumerate(keep)}
        for key in ("label", "unit", "child", "coordinates"):
            if isinstance(category.get(key), dict):
                category[key] = {c: v for c, v in category[key].items() if c in keep}
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


def _data_handler(dataset: Mapping[str, Any]):
    def handle(request: Request) -> Response:
        wanted: dict[str, list[str]] = {}
        for dim in dataset["id"]:
            all_codes = _codes(dataset["dimension"][dim])
            raw = request.args.get(f"valueCodes[{dim}]")
            if raw is None or raw.strip() == "*":
                continue
            codes = [c.strip() for c in raw.split(",") if c.strip()]
            unknown = [c for c in codes if c not in all_codes]
            if unknown:
                return _error(400, f"Non-existent value(s) {', '.join(unknown)} for {dim}")
            wanted[dim] = codes
        known = {f"valueCodes[{d}]" for d in dataset["id"]}
        extra = [k for k in request.args if k.startswith("valueCodes[") and k not in known]
        if extra:
            return _error(400, f"Non-existent variable(s) {', '.join(extra)}")
        return _json(slice_dataset(dataset, wanted))

    return handle


def serve_datasets(httpserver: HTTPServer, datasets: Mapping[str, Mapping[str, Any]]) -> str:
    """Serve each ``{table_id: JSON-stat dataset}`` as a PxWebApi v2 table; return the base URL."""
    for table_id, dataset in datasets.items():
        meta = metadata_of(dataset)
        httpserver.expect_request(
            f"/tables/{table_id}/metadata", method="GET", query_string=None
        ).respond_with_handler(lambda request, meta=meta: _json(meta))
        httpserver.expect_request(
            f"/tables/{table_id}/data", method="GET", query_string=None
        ).respond_with_handler(_data_handler(dataset))
    return httpserver.url_for("/").rstrip("/")
