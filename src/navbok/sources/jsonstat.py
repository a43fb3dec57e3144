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

Everything is checked before it is used, and each problem is one :class:`ParseError` naming the
response: the JSON text (no ``NaN``/``Infinity``, no key twice in an object), the types of every
field, the cube's size (at most :data:`MAX_CELLS` cells, checked before anything is allocated),
codes and index positions (each once), values (numbers or ``null``), status symbols (strings),
the keys of ``label``/``unit``/``note``/``coordinates``/``child`` (codes of the index; ``child``
without cycles) and ``role`` (dimensions of ``id``). Collections, dimensions and JSON-stat 1.0
bundles are refused as "not a dataset". The public corpus of jsonstat/validator is a test
fixture (``tests/data/jsonstat-validator-cases.json``).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from navbok.errors import ParseError

SYNTHETIC_NOTE_PREFIX = "SYNTETISKE DATA"

SSB_CELL_LIMIT = 800_000
"""The most cells SSB's PxWebApi answers in one response."""

MAX_CELLS = 5 * SSB_CELL_LIMIT
"""The most cells (product of ``size``) navbok reads from one response: five times SSB's limit,
room for other producers and recorded whole tables, while a ``size`` that lies cannot make the
reader allocate gigabytes. Checked before anything is allocated."""

_FLAT_KEY = re.compile(r"0|[1-9][0-9]*")
_NUMBER_TYPES: frozenset[type] = frozenset({int, float, type(None)})
_STATUS_TYPES: frozenset[type] = frozenset({str, type(None)})
_CODE_KEYED = ("label", "unit", "note", "coordinates", "child")


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


def loads(text: bytes | str, *, where: str = "JSON-stat") -> Any:
    """JSON text, read strictly: no ``NaN``/``Infinity`` and no key twice in one object."""

    def constant(name: str) -> Any:
        raise ParseError(f"{where}: {name} is not a JSON number (values must be numbers or null)")

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(items)
        if len(out) != len(items):
            seen: set[str] = set()
            for key, _ in items:
                if key in seen:
                    raise ParseError(f"{where}: key {key!r} appears twice in one JSON object")
                seen.add(key)
        return out

    try:
        return json.loads(text, parse_constant=constant, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise ParseError(f"{where}: not valid JSON ({exc.msg} at char {exc.pos})") from exc
    except UnicodeDecodeError as exc:
        raise ParseError(f"{where}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except RecursionError as exc:
        raise ParseError(f"{where}: JSON nested too deeply") from exc


@dataclass
class _Cube:
    """A checked dataset body: dimensions, codes and the values and status laid out flat."""

    ids: list[str]
    sizes: list[int]
    codes: list[list[str]]
    values: np.ndarray
    status: np.ndarray


def _first_bad(items: list[Any], kinds: frozenset[type]) -> tuple[int, Any] | None:
    """The first item whose type is not one of ``kinds`` (fast when there is none)."""
    if set(map(type, items)) <= kinds:
        return None
    return next((i, v) for i, v in enumerate(items) if type(v) not in kinds)


def _fits_float(v: int) -> bool:
    try:
        float(v)
    except OverflowError:
        return False
    return True


def _flat_key(key: Any, n: int, what: str, where: str) -> int:
    """A sparse key (``"17"``) as a flat cell index within ``0..n-1``."""
    if not isinstance(key, str) or not _FLAT_KEY.fullmatch(key):
        raise ParseError(f"{where}: {what} key {key!r} is not a cell number")
    i = int(key)
    if i >= n:
        raise ParseError(f"{where}: {what} index {key} outside 0..{n - 1}")
    return i


def _check_children(child: dict[str, Any], known: set[str], what: str) -> None:
    for parent, kids in child.items():
        if not isinstance(kids, list) or not all(isinstance(k, str) for k in kids):
            raise ParseError(f"{what}: category 'child' of {parent!r} must be a list of codes")
        unknown = next((k for k in kids if k not in known), None)
        if unknown is not None:
            raise ParseError(
                f"{what}: category 'child' of {parent!r} names code {unknown!r}, "
                "which is not in the index"
            )
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in child:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(child[root]))]
        while stack:
            node, kids_left = stack[-1]
            kid = next(kids_left, None)
            if kid is None:
                state[node] = 2
                stack.pop()
            elif state.get(kid) == 1:
                raise ParseError(f"{what}: category 'child' has a cycle through {kid!r}")
            elif kid not in state:
                state[kid] = 1
                stack.append((kid, iter(child.get(kid, []))))


def _category_codes(dim_id: str, dim: Any, size: int, where: str) -> list[str]:
    what = f"{where}: dimension {dim_id!r}"
    if not isinstance(dim, dict):
        raise ParseError(f"{what} must be an object")
    if dim.get("label") is not None and not isinstance(dim["label"], str):
        raise ParseError(f"{what}: 'label' must be a string")
    category = dim.get("category")
    if not isinstance(category, dict):
        raise ParseError(f"{what} has no 'category'")
    for key in _CODE_KEYED:
        part = category.get(key)
        if part is not None and not isinstance(part, dict):
            raise ParseError(f"{what}: category {key!r} must be an object keyed by code")
    labels = category.get("label") or {}
    bad_label = next((c for c, text in labels.items() if not isinstance(text, str)), None)
    if bad_label is not None:
        raise ParseError(f"{what}: the label of {bad_label!r} must be a string")
    if "index" not in category:
        if len(labels) != 1:
            raise ParseError(
                f"{what} has no 'index' and {len(labels)} labels "
                "(the index may only be omitted for a single category)"
            )
        codes = list(labels)
    elif isinstance(index := category["index"], list):
        bad = _first_bad(index, frozenset({str}))
        if bad is not None:
            raise ParseError(f"{what}: index entry {bad[0]} is {bad[1]!r}, not a code (string)")
        codes = index
        if len(set(codes)) != len(codes):
            dup = next(c for k, c in enumerate(codes) if c in codes[:k])
            raise ParseError(f"{what}: code {dup!r} appears twice in the index")
    elif isinstance(index, dict):
        codes = [""] * len(index)
        taken: dict[int, str] = {}
        for code, pos in index.items():
            if type(pos) is not int or not 0 <= pos < len(index):
                raise ParseError(f"{what}: bad index position {pos!r} of code {code!r}")
            if pos in taken:
                raise ParseError(
                    f"{what}: codes {taken[pos]!r} and {code!r} share index position {pos}"
                )
            taken[pos] = code
            codes[pos] = code
    else:
        raise ParseError(f"{what}: 'index' must be an object or array")
    if len(codes) != size:
        raise ParseError(f"{what} has {len(codes)} categories but size says {size}")
    known = set(codes)
    for key in _CODE_KEYED:
        unknown = next((c for c in category.get(key) or {} if c not in known), None)
        if unknown is not None:
            raise ParseError(
                f"{what}: category {key!r} names code {unknown!r}, which is not in the index"
            )
    units = category.get("unit") or {}
    bad_unit = next((c for c, u in units.items() if not isinstance(u, dict)), None)
    if bad_unit is not None:
        raise ParseError(f"{what}: the unit of {bad_unit!r} must be an object")
    if category.get("child"):
        _check_children(category["child"], known, what)
    return codes


def _values(raw: Any, n: int, where: str) -> np.ndarray:
    if isinstance(raw, list):
        if len(raw) != n:
            raise ParseError(f"{where}: 'value' has {len(raw)} cells, expected {n} (truncated?)")
        bad = _first_bad(raw, _NUMBER_TYPES)
        if bad is not None:
            raise ParseError(
                f"{where}: value {bad[0]} is {bad[1]!r} (values must be numbers or null)"
            )
        try:
            values = np.array(raw, dtype=float) if raw else np.full(0, np.nan)
        except OverflowError as exc:
            i = next(i for i, v in enumerate(raw) if type(v) is int and not _fits_float(v))
            raise ParseError(f"{where}: value {i} is too large for a number") from exc
        if np.isinf(values).any() or np.isnan(values).sum() != raw.count(None):
            i = next(i for i, v in enumerate(raw) if v is not None and not math.isfinite(v))
            raise ParseError(f"{where}: value {i} is {raw[i]!r} (values must be numbers or null)")
        return values
    if isinstance(raw, dict):
        values = np.full(n, np.nan)
        for key, v in raw.items():
            i = _flat_key(key, n, "sparse value", where)
            if v is None:
                continue
            try:
                number = float(v) if type(v) in (int, float) else math.nan
            except OverflowError as exc:
                raise ParseError(f"{where}: value {key} is too large for a number") from exc
            if not math.isfinite(number):
                raise ParseError(f"{where}: value {key} is {v!r} (values must be numbers or null)")
            values[i] = number
        return values
    raise ParseError(f"{where}: 'value' must be an array or an object")


def _status(raw: Any, n: int, where: str) -> np.ndarray:
    status = np.full(n, None, dtype=object)
    if raw is None:
        return status
    if isinstance(raw, str):
        status[:] = raw
    elif isinstance(raw, list):
        bad = _first_bad(raw, _STATUS_TYPES)
        if bad is not None:
            raise ParseError(f"{where}: status {bad[0]} is {bad[1]!r}, not a symbol (string)")
        if len(raw) == 1:
            status[:] = raw[0]
        elif len(raw) == n:
            status[:] = raw
        else:
            raise ParseError(f"{where}: 'status' has {len(raw)} entries, expected 1 or {n}")
    elif isinstance(raw, dict):
        for key, sym in raw.items():
            i = _flat_key(key, n, "status", where)
            if sym is not None and not isinstance(sym, str):
                raise ParseError(f"{where}: status {key} is {sym!r}, not a symbol (string)")
            status[i] = sym
    else:
        raise ParseError(f"{where}: 'status' must be a string, array or object")
    # Empty strings mean "no status".
    status[status == ""] = None
    return status


def _not_a_dataset(doc: dict[str, Any], where: str) -> None:
    """Refuse collections, dimensions, JSON-stat 1.0 bundles and other versions."""
    cls = doc.get("class")
    if cls is None and "id" not in doc and "dimension" not in doc:
        named = [k for k, v in doc.items() if isinstance(v, dict) and "dimension" in v]
        if named:
            raise ParseError(
                f"{where}: a JSON-stat 1.0 bundle of datasets ({', '.join(map(repr, named))}), "
                "not a dataset (navbok reads one JSON-stat 2.0 dataset per response)"
            )
    if cls is not None and cls != "dataset":
        raise ParseError(
            f"{where}: class {cls!r} is not a dataset (navbok reads only JSON-stat datasets)"
        )
    version = doc.get("version")
    if version is not None and (not isinstance(version, str) or not version.startswith("2.")):
        raise ParseError(f"{where}: JSON-stat version {version!r} is not supported (need 2.0)")


def _structure(doc: Any, where: str) -> _Cube:
    """Check a dataset body completely; the values and status laid out flat."""
    if not isinstance(doc, dict):
        raise ParseError(f"{where}: expected a JSON object")
    _not_a_dataset(doc, where)
    ids = doc.get("id")
    if not isinstance(ids, list) or not all(isinstance(i, str) and i for i in ids):
        raise ParseError(f"{where}: missing or bad 'id' (must be a list of dimension names)")
    if len(set(ids)) != len(ids):
        dup = next(i for k, i in enumerate(ids) if i in ids[:k])
        raise ParseError(f"{where}: dimension {dup!r} appears twice in 'id'")
    sizes = doc.get("size")
    if not isinstance(sizes, list) or not all(type(s) is int and s >= 0 for s in sizes):
        raise ParseError(f"{where}: missing or bad 'size' (must be a list of whole numbers ≥ 0)")
    if len(ids) != len(sizes):
        raise ParseError(
            f"{where}: 'id' names {len(ids)} dimensions but 'size' has {len(sizes)} entries"
        )
    n = math.prod(sizes)
    if n > MAX_CELLS:
        raise ParseError(
            f"{where}: 'size' {sizes} makes {n:,} cells, more than navbok reads from one "
            f"response ({MAX_CELLS:,}; SSB sends at most {SSB_CELL_LIMIT:,}): ask for fewer cells"
        )
    if "value" not in doc:
        raise ParseError(f"{where}: no 'value' (truncated response?)")
    dimensions = doc.get("dimension")
    if not isinstance(dimensions, dict):
        raise ParseError(f"{where}: missing or bad 'dimension' (must be an object)")
    for dim_id in ids:
        if dim_id not in dimensions:
            raise ParseError(f"{where}: dimension {dim_id!r} listed in 'id' is not described")
    extra = next((d for d in dimensions if d not in set(ids)), None)
    if extra is not None:
        raise ParseError(f"{where}: dimension {extra!r} is described but not listed in 'id'")
    codes = [
        _category_codes(dim_id, dimensions[dim_id], size, where)
        for dim_id, size in zip(ids, sizes, strict=True)
    ]
    role = doc.get("role")
    if role is not None:
        if not isinstance(role, dict):
            raise ParseError(f"{where}: 'role' must be an object")
        for name, dims in role.items():
            if not isinstance(dims, list) or not all(isinstance(d, str) for d in dims):
                raise ParseError(f"{where}: role {name!r} must be a list of dimension names")
            unknown = next((d for d in dims if d not in ids), None)
            if unknown is not None:
                raise ParseError(
                    f"{where}: role {name!r} names dimension {unknown!r}, which is not in 'id'"
                )
    notes = doc.get("note")
    if not (
        notes is None
        or isinstance(notes, str)
        or (isinstance(notes, list) and all(isinstance(x, str) for x in notes))
    ):
        raise ParseError(f"{where}: 'note' must be a list of strings")
    for key in ("label", "updated", "source"):
        if doc.get(key) is not None and not isinstance(doc[key], str):
            raise ParseError(f"{where}: {key!r} must be a string")
    if doc.get("extension") is not None and not isinstance(doc["extension"], dict):
        raise ParseError(f"{where}: 'extension' must be an object")
    values = _values(doc["value"], n, where)
    status = _status(doc.get("status"), n, where)
    return _Cube(ids, sizes, codes, values, status)


def parse(doc: dict[str, Any] | bytes | str, *, where: str = "JSON-stat") -> Dataset:
    """Parse a JSON-stat 2.0 dataset (a dict, or its JSON text) into a :class:`Dataset`.

    ``where`` names the response in error messages (for example ``"SSB table 13138"``).
    """
    if isinstance(doc, bytes | str):
        doc = loads(doc, where=where)
    cube = _structure(doc, where)
    assert isinstance(doc, dict)
    n = len(cube.values)
    labels: dict[str, dict[str, str]] = {}
    units: dict[str, dict[str, Any]] = {}
    for dim_id, dim_codes in zip(cube.ids, cube.codes, strict=True):
        category = doc["dimension"][dim_id]["category"]
        cat_labels = category.get("label") or {}
        labels[dim_id] = {c: cat_labels.get(c, c) for c in dim_codes}
        if category.get("unit"):
            units.update(category["unit"])

    columns: dict[str, Any] = {}
    repeat = n
    for dim_id, dim_codes in zip(cube.ids, cube.codes, strict=True):
        k = len(dim_codes)
        repeat //= max(k, 1)
        tile = n // (k * repeat) if k else 0
        arr = np.asarray(dim_codes, dtype=object)
        columns[dim_id] = np.tile(np.repeat(arr, repeat), tile)
    columns["value"] = cube.values
    frame = pd.DataFrame(columns)
    frame["status"] = pd.Series(cube.status, dtype=object)

    role = doc.get("role") or {}
    notes = doc.get("note") or []
    if isinstance(notes, str):
        notes = [notes]
    return Dataset(
        frame=frame,
        dims=cube.ids,
        labels=labels,
        units=units,
        roles={k: list(v) for k, v in role.items()},
        label=doc.get("label") or "",
        updated=doc.get("updated") or "",
        notes=list(notes),
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
    cube = _structure(doc, where)
    ids, sizes = cube.ids, cube.sizes
    n = len(cube.values)
    keep: list[np.ndarray] = []
    out = json.loads(json.dumps(doc))  # a deep copy of plain JSON
    for dim_id, codes in zip(ids, cube.codes, strict=True):
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
            kept_set = set(kept)
            for key in ("unit", "note", "coordinates"):
                if isinstance(category.get(key), dict):
                    category[key] = {c: x for c, x in category[key].items() if c in kept_set}
            if isinstance(category.get("child"), dict):
                category["child"] = {
                    parent: [c for c in kids if c in kept_set]
                    for parent, kids in category["child"].items()
                    if parent in kept_set and any(c in kept_set for c in kids)
                }
    strides = [int(np.prod(sizes[i + 1 :])) for i in range(len(sizes))]
    flat = np.zeros(1, dtype=np.int64)
    for pos, stride in zip(keep, strides, strict=True):
        flat = (flat[:, None] + pos[None, :] * stride).ravel()
    values = doc.get("value")
    if isinstance(values, list):
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
