"""A JSON-stat 2.0 dataset reader that keeps SSB's status symbols.

pyjstat reads values well but drops ``status`` ("..", ":", ".", "-"), which navbok must keep
beside every value: a suppressed cell is not a zero and not an ordinary gap. This reader follows
the JSON-stat 2.0 specification (https://json-stat.org/format/):

* ``dimension.<id>.category.index`` as an object ``{code: position}`` or an array of codes, or
  absent when the dimension has a single category (then ``label`` names it);
* ``value`` dense (array, ``null`` allowed) or sparse (object ``{"flat index": value}``);
* ``status`` as one string for all cells, an array, or an object ``{"flat index": symbol}``;
* ``unit`` and ``role``.

Values are laid out row-major over ``id`` (the last dimension varies fastest). The test suite
cross-checks the values against pyjstat.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from navbok.errors import ParseError

SYNTHETIC_NOTE_PREFIX = "SYNTETISKE DATA"


@dataclass
class Dataset:
    """A parsed JSON-stat 2.0 dataset.

    ``frame`` has one column per dimension (category codes as strings, in ``id`` order), then
    ``value`` (float, NaN where missing) and ``status`` (the status symbol or ``None``).
    """

    frame: pd.DataFrame
    dims: list[str]
    labels: dict[str, dict[str, str]]
    units: dict[str, dict[str, Any]]
    roles: dict[str, list[str]]
    label: str = ""
    updated: str = ""
    notes: list[str] = field(default_factory=list)
    extension: dict[str, Any] = field(default_factory=dict)

    @property
    def synthetic(self) -> bool:
        """True when the dataset says it is synthetic (demo data, not official statistics)."""
        if self.extension.get("synthetic") is True:
            return True
        return any(str(n).startswith(SYNTHETIC_NOTE_PREFIX) for n in self.notes)

    def role(self, name: str, default: str | None = None) -> str | None:
        """The first dimension with the given role (``time``, ``geo``, ``metric``)."""
        ids = self.roles.get(name) or []
        return ids[0] if ids else default


def _category_codes(dim_id: str, dim: dict[str, Any], size: int, where: str) -> list[str]:
    category = dim.get("category")
    if not isinstance(category, dict):
        raise ParseError(f"{where}: dimension {dim_id!r} has no 'category'")
    index = category.get("index")
    if index is None:
        labels = category.get("label") or {}
        if len(labels) != 1:
            raise ParseError(
                f"{where}: dimension {dim_id!r} has no 'index' and {len(labels)} labels "
                "(the index may only be omitted for a single category)"
            )
        codes = list(labels)
    elif isinstance(index, list):
        codes = [str(c) for c in index]
    elif isinstance(index, dict):
        codes = [""] * len(index)
        for code, pos in index.items():
            if not isinstance(pos, int) or not 0 <= pos < len(index):
                raise ParseError(f"{where}: dimension {dim_id!r}: bad index position {pos!r}")
            codes[pos] = str(code)
    else:
        raise ParseError(f"{where}: dimension {dim_id!r}: 'index' must be an object or array")
    if len(codes) != size:
        raise ParseError(
            f"{where}: dimension {dim_id!r} has {len(codes)} categories but size says {size}"
        )
    return codes


def _dense_values(raw: Any, n: int, where: str) -> np.ndarray:
    values = np.full(n, np.nan)
    if isinstance(raw, list):
        if len(raw) != n:
            raise ParseError(f"{where}: 'value' has {len(raw)} cells, expected {n} (truncated?)")
        arr = pd.to_numeric(pd.Series(raw, dtype=object), errors="coerce")
        values[:] = arr.to_numpy(dtype=float, na_value=np.nan)
    elif isinstance(raw, dict):
        for key, v in raw.items():
            i = int(key)
            if not 0 <= i < n:
                raise ParseError(f"{where}: sparse value index {key} outside 0..{n - 1}")
            if v is not None:
                values[i] = float(v)
    else:
        raise ParseError(f"{where}: 'value' must be an array or an object")
    return values


def _dense_status(raw: Any, n: int, where: str) -> np.ndarray:
    status = np.full(n, None, dtype=object)
    if raw is None:
        return status
    if isinstance(raw, str):
        status[:] = raw
    elif isinstance(raw, list):
        if len(raw) == 1:
            status[:] = raw[0]
        elif len(raw) == n:
            status[:] = raw
        else:
            raise ParseError(f"{where}: 'status' has {len(raw)} entries, expected 1 or {n}")
    elif isinstance(raw, dict):
        for key, sym in raw.items():
            i = int(key)
            if not 0 <= i < n:
                raise ParseError(f"{where}: status index {key} outside 0..{n - 1}")
            status[i] = sym
    else:
        raise ParseError(f"{where}: 'status' must be a string, array or object")
    # Empty strings mean "no status".
    status[status == ""] = None
    return status


def parse(doc: dict[str, Any] | bytes | str, *, where: str = "JSON-stat") -> Dataset:
    """Parse a JSON-stat 2.0 dataset (a dict, or its JSON text) into a :class:`Dataset`.

    ``where`` names the response in error messages (for example ``"SSB table 13138"``).
    """
    if isinstance(doc, bytes | str):
        try:
            doc = json.loads(doc)
        except json.JSONDecodeError as exc:
            raise ParseError(f"{where}: not valid JSON ({exc.msg} at char {exc.pos})") from exc
    if not isinstance(doc, dict):
        raise ParseError(f"{where}: expected a JSON object")
    if doc.get("class", "dataset") != "dataset":
        raise ParseError(f"{where}: class {doc.get('class')!r} is not supported (need 'dataset')")
    try:
        ids = [str(i) for i in doc["id"]]
        sizes = [int(s) for s in doc["size"]]
        dimensions = doc["dimension"]
    except (KeyError, TypeError, ValueError) as exc:
        raise ParseError(f"{where}: missing or bad 'id', 'size' or 'dimension' ({exc})") from exc
    if len(ids) != len(sizes):
        raise ParseError(f"{where}: 'id' and 'size' differ in length")
    if "value" not in doc:
        raise ParseError(f"{where}: no 'value' (truncated response?)")

    n = int(np.prod(sizes)) if sizes else 1
    codes = []
    labels: dict[str, dict[str, str]] = {}
    units: dict[str, dict[str, Any]] = {}
    for dim_id, size in zip(ids, sizes, strict=True):
        if dim_id not in dimensions:
            raise ParseError(f"{where}: dimension {dim_id!r} listed in 'id' is not described")
        dim = dimensions[dim_id]
        dim_codes = _category_codes(dim_id, dim, size, where)
        codes.append(dim_codes)
        cat_labels = dim["category"].get("label") or {}
        labels[dim_id] = {c: str(cat_labels.get(c, c)) for c in dim_codes}
        if dim["category"].get("unit"):
            units.update({str(k): v for k, v in dim["category"]["unit"].items()})

    columns: dict[str, Any] = {}
    repeat = n
    for dim_id, dim_codes in zip(ids, codes, strict=True):
        k = len(dim_codes)
        repeat //= max(k, 1)
        tile = n // (k * repeat) if k else 0
        arr = np.asarray(dim_codes, dtype=object)
        columns[dim_id] = np.tile(np.repeat(arr, repeat), tile)
    columns["value"] = _dense_values(doc["value"], n, where)
    status = _dense_status(doc.get("status"), n, where)
    frame = pd.DataFrame(columns)
    frame["status"] = pd.Series(status, dtype=object)

    role = doc.get("role") or {}
    notes = doc.get("note") or []
    if isinstance(notes, str):
        notes = [notes]
    return Dataset(
        frame=frame,
        dims=ids,
        labels=labels,
        units=units,
        roles={k: list(v) for k, v in role.items()},
        label=str(doc.get("label", "")),
        updated=str(doc.get("updated", "")),
        notes=[str(x) for x in notes],
        extension=dict(doc.get("extension") or {}),
    )


def concat(parts: list[Dataset], *, where: str = "JSON-stat") -> Dataset:
    """Join chunks of one table (for example split along ``Tid``) into one dataset.

    The chunks must have the same dimensions; duplicated cells are an error.
    """
    if not parts:
        raise ParseError(f"{where}: no chunks to join")
    first = parts[0]
    for p in parts[1:]:
        if p.dims != first.dims:
            raise ParseError(f"{where}: chunks have different dimensions {p.dims} vs {first.dims}")
    frame = pd.concat([p.frame for p in parts], ignore_index=True)
    if len(parts) > 1 and frame.duplicated(subset=first.dims).any():
        raise ParseError(f"{where}: chunks overlap (the same cell appears twice)")
    labels: dict[str, dict[str, str]] = {d: {} for d in first.dims}
    units: dict[str, dict[str, Any]] = {}
    notes: list[str] = []
    for p in parts:
        for d in first.dims:
            labels[d].update(p.labels[d])
        units.update(p.units)
        notes.extend(n for n in p.notes if n not in notes)
    extension = dict(first.extension)
    if any(p.synthetic for p in parts):
        extension["synthetic"] = True
    return Dataset(
        frame=frame,
        dims=first.dims,
        labels=labels,
        units=units,
        roles=first.roles,
        label=first.label,
        updated=max(p.updated for p in parts),
        notes=notes,
        extension=extension,
    )


def subset(
    doc: dict[str, Any], wanted: dict[str, list[str]], *, where: str = "JSON-stat"
) -> dict[str, Any] | None:
    """The sub-dataset of a JSON-stat 2.0 body with only the ``wanted`` codes per dimension.

    What a PxWebApi data request for those codes answers: categories keep the table's order,
    ``value`` is re-laid row-major and ``status`` re-keyed. A dimension not in ``wanted`` keeps
    all its codes. Returns None when the body holds none of the wanted codes of a dimension
    (for example a chunk with none of the selected years).
    """
    ids = [str(i) for i in doc["id"]]
    sizes = [int(s) for s in doc["size"]]
    n = int(np.prod(sizes)) if sizes else 1
    keep: list[np.ndarray] = []
    out = json.loads(json.dumps(doc))  # a deep copy of plain JSON
    for dim_id, size in zip(ids, sizes, strict=True):
        codes = _category_codes(dim_id, doc["dimension"][dim_id], size, where)
        if dim_id in wanted:
            chosen = set(wanted[dim_id])
            pos = np.array([i for i, c in enumerate(codes) if c in chosen], dtype=np.int64)
        else:
            pos = np.arange(len(codes), dtype=np.int64)
        if len(pos) == 0:
            return None
        keep.append(pos)
        if dim_id in wanted:
            kept = [codes[i] for i in pos]
            category = out["dimension"][dim_id]["category"]
            category["index"] = {c: i for i, c in enumerate(kept)}
            category["label"] = {c: (category.get("label") or {}).get(c, c) for c in kept}
            if isinstance(category.get("unit"), dict):
                category["unit"] = {c: u for c, u in category["unit"].items() if c in set(kept)}
    strides = [int(np.prod(sizes[i + 1 :])) for i in range(len(sizes))]
    flat = np.zeros(1, dtype=np.int64)
    for pos, stride in zip(keep, strides, strict=True):
        flat = (flat[:, None] + pos[None, :] * stride).ravel()
    values = doc.get("value")
    if isinstance(values, list):
        if len(values) != n:
            raise ParseError(f"{where}: 'value' has {len(values)} cells, expected {n}")
        out["value"] = [values[i] for i in flat]
    elif isinstance(values, dict):
        out["value"] = [values.get(str(i)) for i in flat]
    status = doc.get("status")
    if isinstance(status, dict):
        new = {str(j): status[str(i)] for j, i in enumerate(flat) if str(i) in status}
        out["status"] = new
        if not new:
            out.pop("status")
    elif isinstance(status, list) and len(status) == n:
        out["status"] = [status[i] for i in flat]
    out["size"] = [len(p) for p in keep]
    return out
