"""Downloading whole tables from SSB's PxWebApi v2 as JSON-stat 2.0, split under the cell limit.

The API refuses requests for more than a fixed number of cells (800 000 at SSB), so a large
selection is requested in chunks along the time dimension; each chunk is returned as its own
:class:`~navbok.sources.base.RawResponse` (``ssb/<id>_part<k>.json``), to be concatenated along
``Tid`` by the reader. Should the service still refuse a chunk («Too many cells selected»), that
chunk is halved and retried. A request whose GET URL would be longer than about 2 000 characters
goes as a POST with a JSON selection body. Metadata is fetched with ``GET
/tables/<id>/metadata?lang=no``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from navbok.errors import ConfigError, ParseError, SourceError
from navbok.sources import names, settings
from navbok.sources.base import RawResponse
from navbok.sources.http import HttpClient, HttpStatusError, full_url, readable_url

SSB_PXWEB_V2 = settings.DEFAULT_SSB_URL
#: The title of SSB's 400 answer to a request over the cell limit.
TOO_MANY_CELLS = "Too many cells selected"
#: Longest GET URL sent; SSB answers 404 to GET URLs over about 2 100 characters.
MAX_GET_URL = 2000

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
        base_url: str | None = None,
        http: HttpClient | None = None,
        max_cells: int = 800_000,
        lang: str = "no",
        max_url: int = MAX_GET_URL,
    ) -> None:
        """Create a client for the API at ``base_url``.

        The default base is :func:`navbok.sources.settings.ssb_url`, read when the client is
        created. ``max_cells`` is the service's limit on cells per data request; ``lang`` the
        language of labels; ``max_url`` the longest GET URL sent (a longer request goes as a
        POST).
        """
        self.base_url = (base_url or settings.ssb_url()).rstrip("/")
        self.http = http if http is not None else HttpClient()
        self.max_cells = max_cells
        self.lang = lang
        self.max_url = max_url

    def metadata_url(self, table_id: str) -> tuple[str, dict[str, str]]:
        """URL and query of a table's metadata (no ``outputFormat``: the API dropped it)."""
        return f"{self.base_url}/tables/{table_id}/metadata", {"lang": self.lang}

    def metadata_raw(self, table_id: str) -> RawResponse:
        """Fetch the metadata body of table ``table_id`` as received."""
        url, params = self.metadata_url(table_id)
        body = self.http.get_bytes(url, params, what=f"metadata of SSB table {table_id}")
        return RawResponse(
            name=names.ssb_metadata_name(table_id),
            content=body,
            origin=self.http.last_url or full_url(url, params),  # who answered
            query=params,
        )

    def parse_metadata_body(self, table_id: str, body: bytes, origin: str = "") -> TableMeta:
        """Parse a metadata body fetched earlier (``origin`` names it in errors)."""
        if not origin:
            url, params = self.metadata_url(table_id)
            origin = readable_url(url, params)
        doc = _load_json(body, f"SSB table {table_id}: metadata from {origin}")
        return parse_metadata(table_id, doc, origin)

    def metadata(self, table_id: str) -> TableMeta:
        """Fetch and parse the metadata of table ``table_id``."""
        raw = self.metadata_raw(table_id)
        return self.parse_metadata_body(table_id, raw.content, unquote(raw.origin))

    def plan(
        self,
        table_id: str,
        selection: Selection | None = None,
        meta_body: bytes | None = None,
    ) -> tuple[TableMeta, list[dict[str, list[str]]]]:
        """Return the metadata with the list of chunk selections to request.

        The metadata is parsed from ``meta_body`` when given, else fetched.
        """
        if meta_body is None:
            meta = self.metadata(table_id)
        else:
            meta = self.parse_metadata_body(table_id, meta_body)
        resolved = resolve_selection(meta, selection)
        order = ([meta.time_dim] if meta.time_dim else []) + self._by_size(meta, resolved)
        return meta, split_selection(resolved, order, self.max_cells)

    @staticmethod
    def _by_size(meta: TableMeta, chunk: Mapping[str, Sequence[str]]) -> list[str]:
        """The non-time dimensions, most codes first (table order among equals)."""
        others = [d for d in meta.ids if d != meta.time_dim]
        return sorted(others, key=lambda d: -len(chunk[d]))

    def data_params(self, meta: TableMeta, chunk: Mapping[str, Sequence[str]]) -> dict[str, str]:
        """Query parameters for one GET data request (``*`` where all codes are selected)."""
        params = {"lang": self.lang, "outputFormat": "json-stat2"}
        for dim in meta.ids:
            codes = list(chunk[dim])
            everything = codes == meta.codes[dim]
            params[f"valueCodes[{dim}]"] = "*" if everything else ",".join(codes)
        return params

    def data_body(self, meta: TableMeta, chunk: Mapping[str, Sequence[str]]) -> dict[str, Any]:
        """JSON body of one POST data request (``["*"]`` where all codes are selected)."""
        selection = []
        for dim in meta.ids:
            codes = list(chunk[dim])
            everything = codes == meta.codes[dim]
            selection.append({"variableCode": dim, "valueCodes": ["*"] if everything else codes})
        return {"selection": selection}

    def fetch_table(
        self,
        table_id: str,
        selection: Selection | None = None,
        meta_body: bytes | None = None,
    ) -> list[RawResponse]:
        """Download table ``table_id`` (optionally a selection of it) as JSON-stat 2.0 bodies.

        ``meta_body``: the table's metadata body if already fetched (saves a request). Returns
        one :class:`RawResponse` per request: ``ssb/<id>.json`` if one request sufficed, else
        ``ssb/<id>_part1.json``, ``ssb/<id>_part2.json``, … split along the time dimension
        first. A request the service refuses as «Too many cells selected» is halved along its
        largest dimension and retried. A request whose GET URL would be too long is sent as a
        POST. Raises :class:`ParseError` if a body is not a JSON-stat 2.0 dataset.
        """
        meta, chunks = self.plan(table_id, selection, meta_body)
        got: list[tuple[bytes, str, dict[str, Any]]] = []
        for k, chunk in enumerate(chunks, start=1):
            part = f" (part {k} of {len(chunks)})" if len(chunks) > 1 else ""
            got.extend(self._fetch_chunk(meta, chunk, f"SSB table {table_id}{part}"))
        if len(got) == 1:
            body, origin, query = got[0]
            return [RawResponse(names.ssb_data_name(table_id), body, origin, query)]
        return [
            RawResponse(names.ssb_data_name(table_id, k), body, origin, query)
            for k, (body, origin, query) in enumerate(got, start=1)
        ]

    def _fetch_chunk(
        self, meta: TableMeta, chunk: dict[str, list[str]], what: str
    ) -> list[tuple[bytes, str, dict[str, Any]]]:
        """Fetch one chunk; split it in two and recurse when the service says it is too big."""
        url = f"{self.base_url}/tables/{meta.table_id}/data"
        params = self.data_params(meta, chunk)
        get_url = full_url(url, params)
        try:
            if len(get_url) <= self.max_url:
                body = self.http.get_bytes(url, params, what=what)
                origin, query, shown = get_url, dict(params), readable_url(url, params)
                origin = self.http.last_url or origin  # who answered
            else:
                params = {"lang": self.lang, "outputFormat": "json-stat2"}
                payload = self.data_body(meta, chunk)
                body = self.http.post_json(url, params, payload, what=what)
                origin = self.http.last_url or full_url(url, params)  # who answered
                query = {**params, "selection": payload["selection"]}
                shown = f"POST {readable_url(url, params)}"
        except HttpStatusError as exc:
            if exc.status != 400 or TOO_MANY_CELLS.lower() not in exc.title.lower():
                raise
            halves = _halve(chunk, self._by_size(meta, chunk) + [meta.time_dim or ""])
            if halves is None:
                raise SourceError(
                    f"{what}: the service refuses even a single cell as «{exc.title}»."
                ) from exc
            return [r for half in halves for r in self._fetch_chunk(meta, half, what)]
        _check_dataset(body, f"{what}: response from {shown}")
        return [(body, origin, query)]


def _halve(
    chunk: dict[str, list[str]], order: Sequence[str]
) -> tuple[dict[str, list[str]], dict[str, list[str]]] | None:
    """Split ``chunk`` in two along the dimension with the most codes (None if all have one)."""
    dims = [d for d in order if d in chunk]
    dim = max(dims, key=lambda d: len(chunk[d]), default=None)
    if dim is None or len(chunk[dim]) < 2:
        return None
    codes = chunk[dim]
    mid = (len(codes) + 1) // 2
    return {**chunk, dim: codes[:mid]}, {**chunk, dim: codes[mid:]}


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
