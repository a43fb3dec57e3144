"""Downloading whole tables from SSB's PxWebApi v2 as JSON-stat 2.0, split under the cell limit.

The API refuses requests for more than a fixed number of cells (800 000 at SSB), so a large
selection is requested in chunks along the time dimension; each chunk is returned as its own
:class:`~navbok.sources.base.RawResponse` (``ssb/<id>_part<k>.json``), to be concatenated along
``Tid`` by the reader.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from navbok.errors import ConfigError, ParseError
from navbok.sources.base import RawResponse
from navbok.sources.http import HttpClient, full_url, readable_url

SSB_PXWEB_V2 = "https://data.ssb.no/api/pxwebapi/v2"

Selection = Mapping[str, Sequence[str] | str]


@dataclass(frozen=True)
class TableMeta:
    """The little of a table's metadata needed to build data requests."""

    table_id: str
    ids: list[str]
    codes: dict[str, list[str]]
    time_dim: str | None

    def size(self, dim: str) -> int:
        """Number of codes in dimension ``dim``."""
        return len(self.codes[dim])


def category_codes(dimension: Mapping[str, Any]) -> list[str]:
    """Return a JSON-stat 2.0 dimension's category codes in index order.

    ``category.index`` may be an object ``{code: position}`` or an array of codes; for a single
    category it may be missing, and then the codes come from ``category.label``.
    """
    category = dimension.get("category") or {}
    index = category.get("index")
    if index is None:
        return [str(c) for c in (category.get("label") or {})]
    if isinstance(index, Mapping):
        return [str(c) for c, _ in sorted(index.items(), key=lambda kv: kv[1])]
    return [str(c) for c in index]


def parse_metadata(table_id: str, doc: Any, origin: str) -> TableMeta:
    """Read dimension ids, codes and the time dimension from a JSON-stat 2.0 metadata body."""
    try:
        ids = [str(d) for d in doc["id"]]
        sizes = [int(s) for s in doc["size"]]
        codes = {d: category_codes(doc["dimension"][d]) for d in ids}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ParseError(
            f"SSB table {table_id}: metadata from {origin} is not a JSON-stat 2.0 dataset "
            f"(missing or malformed {exc!s})."
        ) from exc
    if len(ids) != len(sizes):
        raise ParseError(
            f"SSB table {table_id}: metadata from {origin} has {len(ids)} dimension ids but "
            f"{len(sizes)} sizes."
        )
    for d, n in zip(ids, sizes, strict=True):
        if len(codes[d]) != n:
            raise ParseError(
                f"SSB table {table_id}: metadata from {origin} says dimension {d} has {n} "
                f"categories but lists {len(codes[d])}."
            )
    role = doc.get("role") or {}
    time_dims = [t for t in (role.get("time") or []) if t in codes]
    time_dim = time_dims[0] if time_dims else ("Tid" if "Tid" in codes else None)
    return TableMeta(table_id=table_id, ids=ids, codes=codes, time_dim=time_dim)


def resolve_selection(meta: TableMeta, selection: Selection | None) -> dict[str, list[str]]:
    """Turn a user selection into the list of codes per dimension, in the table's order.

    Per dimension: ``"*"`` selects all codes, ``"from(X)"`` the codes ``>= X``, a list (or a
    single code) exactly those codes. Dimensions not named get all their codes.
    """
    selection = dict(selection or {})
    unknown = [d for d in selection if d not in meta.codes]
    if unknown:
        raise ConfigError(
            f"SSB table {meta.table_id} has no dimension {', '.join(unknown)}; "
            f"its dimensions are {', '.join(meta.ids)}."
        )
    resolved: dict[str, list[str]] = {}
    for dim in meta.ids:
        all_codes = meta.codes[dim]
        spec = selection.get(dim, "*")
        if isinstance(spec, str):
            s = spec.strip()
            if s == "*":
                chosen = list(all_codes)
            elif s.startswith("from(") and s.endswith(")"):
                start = s[5:-1].strip()
                chosen = [c for c in all_codes if c >= start]
            else:
                spec = [s]
        if not isinstance(spec, str):
            wanted = {str(c) for c in spec}
            missing = sorted(wanted - set(all_codes))
            if missing:
                raise ConfigError(
                    f"SSB table {meta.table_id}, dimension {dim}: unknown code(s) "
                    f"{', '.join(missing[:10])}. Known codes start with "
                    f"{', '.join(all_codes[:10])}."
                )
            chosen = [c for c in all_codes if c in wanted]
        if not chosen:
            raise ConfigError(
                f"SSB table {meta.table_id}, dimension {dim}: the selection {spec!r} "
                "matches no code."
            )
        resolved[dim] = chosen
    return resolved


def count_cells(selection: Mapping[str, Sequence[str]]) -> int:
    """Number of cells a selection covers (the product of the selected code counts)."""
    return math.prod(len(codes) for codes in selection.values())


def split_selection(
    selection: dict[str, list[str]], order: Sequence[str], max_cells: int
) -> list[dict[str, list[str]]]:
    """Split ``selection`` into chunks of at most ``max_cells`` cells.

    Dimensions are split in ``order``: the first one is cut into groups holding as many codes as
    fit; if a single code of it is still too large, it is cut into single codes and the next
    dimension is split the same way, and so on.
    """
    if max_cells < 1:
        raise ValueError("max_cells must be at least 1")
    if count_cells(selection) <= max_cells:
        return [selection]
    for pos, dim in enumerate(order):
        codes = selection[dim]
        if len(codes) <= 1:
            continue
        rest = count_cells(selection) // len(codes)
        if rest <= max_cells:
            step = max_cells // rest
            return [{**selection, dim: codes[i : i + step]} for i in range(0, len(codes), step)]
        chunks: list[dict[str, list[str]]] = []
        for code in codes:
            chunks.extend(split_selection({**selection, dim: [code]}, order[pos + 1 :], max_cells))
        return chunks
    raise ValueError("selection cannot be split under max_cells")  # pragma: no cover


class PxWebClient:
    """Download tables from a PxWebApi v2 service (SSB by default) as JSON-stat 2.0."""

    def __init__(
        self,
        base_url: str = SSB_PXWEB_V2,
        http: HttpClient | None = None,
        max_cells: int = 800_000,
        lang: str = "no",
    ) -> None:
        """Create a client for the API at ``base_url``.

        ``max_cells`` is the service's limit on cells per data request; ``lang`` the language
        of labels.
        """
        self.base_url = base_url.rstrip("/")
        self.http = http if http is not None else HttpClient()
        self.max_cells = max_cells
        self.lang = lang

    def metadata(self, table_id: str) -> TableMeta:
        """Fetch and parse the metadata of table ``table_id``."""
        url = f"{self.base_url}/tables/{table_id}/metadata"
        params = {"lang": self.lang, "outputFormat": "json-stat2"}
        body = self.http.get_bytes(url, params, what=f"metadata of SSB table {table_id}")
        origin = readable_url(url, params)
        doc = _load_json(body, f"SSB table {table_id}: metadata from {origin}")
        return parse_metadata(table_id, doc, origin)

    def plan(
        self, table_id: str, selection: Selection | None = None
    ) -> tuple[TableMeta, list[dict[str, list[str]]]]:
        """Fetch metadata and return it with the list of chunk selections to request."""
        meta = self.metadata(table_id)
        resolved = resolve_selection(meta, selection)
        others = sorted(
            (d for d in meta.ids if d != meta.time_dim), key=lambda d: -len(resolved[d])
        )
        order = ([meta.time_dim] if meta.time_dim else []) + others
        return meta, split_selection(resolved, order, self.max_cells)

    def data_params(self, meta: TableMeta, chunk: Mapping[str, Sequence[str]]) -> dict[str, str]:
        """Query parameters for one data request (``*`` where all codes are selected)."""
        params = {"lang": self.lang, "outputFormat": "json-stat2"}
        for dim in meta.ids:
            codes = list(chunk[dim])
            everything = codes == meta.codes[dim]
            params[f"valueCodes[{dim}]"] = "*" if everything else ",".join(codes)
        return params

    def fetch_table(self, table_id: str, selection: Selection | None = None) -> list[RawResponse]:
        """Download table ``table_id`` (optionally a selection of it) as JSON-stat 2.0 bodies.

        Returns one :class:`RawResponse` per request: ``ssb/<id>.json`` if one request
        sufficed, else ``ssb/<id>_part1.json``, ``ssb/<id>_part2.json``, … split along the
        time dimension. Raises :class:`ParseError` if a body is not a JSON-stat 2.0 dataset.
        """
        meta, chunks = self.plan(table_id, selection)
        url = f"{self.base_url}/tables/{table_id}/data"
        responses: list[RawResponse] = []
        for k, chunk in enumerate(chunks, start=1):
            params = self.data_params(meta, chunk)
            part = f" (part {k} of {len(chunks)})" if len(chunks) > 1 else ""
            body = self.http.get_bytes(url, params, what=f"SSB table {table_id}{part}")
            _check_dataset(
                body, f"SSB table {table_id}{part}: response from {readable_url(url, params)}"
            )
            name = f"ssb/{table_id}.json" if len(chunks) == 1 else f"ssb/{table_id}_part{k}.json"
            responses.append(
                RawResponse(name=name, content=body, origin=full_url(url, params), query=params)
            )
        return responses


def _load_json(body: bytes, where: str) -> Any:
    try:
        return json.loads(body)
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
        raise ParseError(
            f"{where} is not valid JSON ({len(body)} bytes; {exc}). "
            "The response may have been truncated."
        ) from exc


def _check_dataset(body: bytes, where: str) -> None:
    """Raise ParseError unless ``body`` is a JSON-stat 2.0 dataset with a consistent ``value``."""
    doc = _load_json(body, where)
    if not isinstance(doc, dict) or doc.get("class") != "dataset" or "value" not in doc:
        raise ParseError(
            f'{where} is not a JSON-stat 2.0 dataset (no "class": "dataset" with a "value").'
        )
    values = doc["value"]
    size = doc.get("size")
    if isinstance(values, list) and isinstance(size, list):
        try:
            expected = math.prod(int(s) for s in size)
        except (TypeError, ValueError) as exc:
            raise ParseError(f"{where} has a malformed size {size!r}.") from exc
        if len(values) != expected:
            raise ParseError(
                f"{where} has {len(values)} values but its size {size} needs {expected}."
            )
