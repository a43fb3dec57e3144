"""National facts: what every book needs about all municipalities, once per snapshot and code.

A *national pass* is a function of the loaded snapshot (and perhaps a few hashable arguments)
whose result is the same for every municipality: the key figures of every municipality, the
barometer's grades and ranks, the overview's table. Two decorators make such a function a
typed, cached accessor (issue 23: no ``NavData.memo("barometer", fn)`` that two different
functions could reach):

* :func:`national_pass`: computed once per loaded snapshot and process (cached on the
  :class:`~navbok.data.NavData`, keyed by the function's own qualified name and its arguments);
* :func:`persisted_pass`: the same, and also computed once per snapshot *and code version*
  for all processes: kept beside the Parquet cache, in
  ``data/cache/<snapshot>-<data code>/national-<code>/`` (:func:`facts_dir`). A book's kernels
  and the national site read it; they never compute it while it is current.

The folder (:func:`ensure` writes it, the build does so before any chapter runs) holds
``facts.pickle`` (every persisted pass's result, each pickled on its own and unpickled only
when asked for), the country's files (:mod:`navbok.site.national`: the CSV, Parquet and
metadata the national site serves, copied from here) and ``facts.json``, written last: the
format version, the code key and the sha256 of every other file. A folder is used only when
``facts.json`` names this code key and every checksum it records is right; anything else
(missing, partial, damaged, another code version) is deleted and computed again, never
trusted. The folder is written as a temporary folder renamed into place, so a reader never sees
half of it; of two builds writing at once the first rename wins and the other's copy is dropped.

The code key is :func:`navbok.builder.keys.code_fingerprint` — every file of the package and the
versions of the libraries that shape a page (pandas among them, whose objects are pickled here):
the same key a chapter's build-cache key has, so a change that runs the chapters again also
computes the national facts again, once. The snapshot is in the parent folder's name.

Pickle is read only from this project's own cache folder (as the Parquet cache is), after its
checksum is checked.
"""

from __future__ import annotations

import collections
import functools
import hashlib
import importlib
import json
import os
import pickle
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from navbok.files import file_sha256


class Data(Protocol):
    """What the national facts need of a loaded snapshot: :class:`navbok.data.NavData`, which
    imports this module, so it is typed by what it offers (no import circle, not even for the
    type checker)."""

    _memo: dict[Any, Any]
    cache_folder: Path | None

    @property
    def snapshot(self) -> Any:
        """The snapshot the data were loaded from."""


D = TypeVar("D", bound=Data)

__all__ = [
    "COMPUTED",
    "FACTS_VERSION",
    "NATIONAL_FILES",
    "FactsError",
    "copy_national_files",
    "ensure",
    "facts_dir",
    "national_pass",
    "persisted_pass",
    "preload",
]

P = ParamSpec("P")
T = TypeVar("T")

FACTS_VERSION = "1"
MANIFEST = "facts.json"
PICKLE = "facts.pickle"
#: Chart shapes validated by the kernels (not checked: a cache, see navbok.present.chart_specs).
SHAPES = "chart-shapes.txt"
PREFIX = "national-"
#: The modules that define persisted passes (imported before the facts are computed).
PROVIDERS = ("navbok.data", "navbok.key_figures", "navbok.site.overview")
#: The country's files (:mod:`navbok.site.national`), kept in the facts folder.
NATIONAL_FILES = (
    "navbok-kommuner.csv",
    "navbok-kommuner.parquet",
    "navbok-kommuner.metadata.json",
)
#: How many facts folders of other code versions are kept beside the current one.
KEEP_OTHERS = 2

#: How often each persisted pass was computed in this process (by name): tests use it to
#: see that a current facts folder is read, not computed again.
COMPUTED: collections.Counter[str] = collections.Counter()

_PERSISTED: dict[str, Callable[[Any], Any]] = {}
_STORE = ("navbok.national_facts", "store")  # the loaded folder in a NavData's memo


class FactsError(Exception):
    """The national facts folder is missing, damaged or of another code version."""


def _name(fn: Callable[..., Any]) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


def national_pass(fn: Callable[Concatenate[D, P], T]) -> Callable[Concatenate[D, P], T]:
    """Make ``fn(data, *args)`` a national pass: computed once per loaded snapshot, process and
    ``args`` (hashable), then shared (do not change the result in place)."""
    name = _name(fn)

    @functools.wraps(fn)
    def cached(data: D, *args: P.args, **kwargs: P.kwargs) -> T:
        key = (name, args, tuple(sorted(kwargs.items())))
        memo = data._memo
        if key not in memo:
            memo[key] = fn(data, *args, **kwargs)
        return memo[key]

    return cached


def persisted_pass(fn: Callable[[D], T]) -> Callable[[D], T]:
    """Make ``fn(data)`` a national pass that is also kept in the national facts folder: read
    from there when it is current (:func:`ensure`), computed only when it is not."""
    name = _name(fn)
    if name in _PERSISTED:
        raise RuntimeError(f"two persisted national passes are named {name}")
    _PERSISTED[name] = fn

    @functools.wraps(fn)
    def cached(data: D) -> T:
        key = (name, (), ())
        memo = data._memo
        if key not in memo:
            store = _store(data)
            if store is not None and name in store.blobs:
                memo[key] = store.value(name)
            else:
                COMPUTED[name] += 1
                memo[key] = fn(data)
        return memo[key]

    return cached


@persisted_pass
def aap_months(data: Data) -> tuple[str, ...]:
    """The months with NAV's AAP figures in the snapshot (``YYYY-MM``): finding them opens
    every AAP workbook, so a kernel is told them (:meth:`navbok.snapshot.Snapshot.
    know_aap_periods`) when it reads the national facts."""
    return tuple(data.snapshot.aap_periods())


_AAP_MONTHS = _name(aap_months.__wrapped__)  # type: ignore[attr-defined]


def stored(fn: Callable[[D], T], data: D) -> T | None:
    """The result of the persisted pass ``fn`` if this process has it or the current facts
    folder holds it; None (never computed here) otherwise."""
    name = _name(getattr(fn, "__wrapped__", fn))
    key = (name, (), ())
    if key in data._memo:
        return data._memo[key]
    store = _store(data)
    if store is None or name not in store.blobs:
        return None
    value = data._memo[key] = store.value(name)
    return value


# ------------------------------------------------------------------------------ the folder


def code_key() -> str:
    """The code version the facts are computed by (see the module's docstring)."""
    from navbok.builder.keys import code_fingerprint

    return code_fingerprint()[:16]


def facts_dir(data: Data) -> Path | None:
    """The national facts folder of ``data`` (None for data loaded without a cache)."""
    folder = data.cache_folder
    return None if folder is None else folder / f"{PREFIX}{code_key()}"


@dataclass
class _Store:
    """A checked facts folder: each persisted pass's pickled result, unpickled on demand."""

    folder: Path
    files: dict[str, str]  # file name → sha256 (from the manifest)
    blobs: dict[str, bytes]

    def value(self, name: str) -> Any:
        """The pass's result, unpickled (the caller keeps it in the data's memo, so the bytes
        are let go: a kernel does not hold both)."""
        value = pickle.loads(self.blobs[name])
        self.blobs[name] = b""
        return value

    def check_file(self, name: str) -> Path:
        """The path of a kept file, after checking its checksum (FactsError if wrong)."""
        path = self.folder / name
        try:
            ok = file_sha256(path) == self.files.get(name)
        except OSError as exc:
            raise FactsError(f"{name} cannot be read ({exc.strerror or exc})") from None
        if not ok:
            raise FactsError(f"{name} does not have the checksum {MANIFEST} records")
        return path


def _read(folder: Path) -> _Store:
    """The facts folder, checked: FactsError unless it is complete, intact and current."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
        files = dict(manifest["files"])
        version, key = manifest["version"], manifest["code"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise FactsError(f"{MANIFEST} is missing or unreadable ({exc})") from None
    if version != FACTS_VERSION or key != code_key():
        raise FactsError(f"{MANIFEST} is of another version ({version}, {key})")
    missing = [n for n in (PICKLE, *NATIONAL_FILES) if n not in files]
    if missing:
        raise FactsError(f"{MANIFEST} lists no {', '.join(missing)}")
    try:
        raw = (folder / PICKLE).read_bytes()
    except OSError as exc:
        raise FactsError(f"{PICKLE} cannot be read ({exc.strerror or exc})") from None
    if hashlib.sha256(raw).hexdigest() != files[PICKLE]:
        raise FactsError(f"{PICKLE} does not have the checksum {MANIFEST} records")
    try:
        blobs = pickle.loads(raw)
    except Exception as exc:  # checked bytes that still do not load: never trusted
        raise FactsError(f"{PICKLE} cannot be read ({type(exc).__name__})") from None
    if not isinstance(blobs, dict):
        raise FactsError(f"{PICKLE} holds no table of facts")
    return _Store(folder, files, blobs)


def _store(data: Data) -> _Store | None:
    """The current facts folder of ``data`` once read (None while there is none, or it is
    damaged: :func:`ensure` then computes it again)."""
    store = data._memo.get(_STORE)
    if store is not None:
        return store
    folder = facts_dir(data)
    if folder is None or not (folder / MANIFEST).is_file():
        return None
    try:
        store = _read(folder)
    except FactsError:
        return None
    data._memo[_STORE] = store
    if _AAP_MONTHS in store.blobs:
        months = data._memo.setdefault((_AAP_MONTHS, (), ()), store.value(_AAP_MONTHS))
        data.snapshot.know_aap_periods(months)
    return store


def preload(data: Data) -> None:
    """Read the current facts folder, if there is one (a warm kernel at start-up), and keep
    the chart shapes validated in it (:func:`navbok.present.chart_specs.keep_validated_shapes`:
    the kernels of every build of this code version share what they validated)."""
    _store(data)
    folder = facts_dir(data)
    if folder is not None:
        from navbok.present import chart_specs

        chart_specs.keep_validated_shapes(folder / SHAPES)


def _warn(line: str) -> None:
    print(f"navbok: {line}", file=sys.stderr, flush=True)


def _remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def ensure(data: Data) -> Path | None:
    """The current national facts folder of ``data``: read and checked, or (missing, damaged,
    of another code version) computed and written. None for data loaded without a cache (the
    passes are then computed in this process when asked for)."""
    folder = facts_dir(data)
    if folder is None:
        return None
    if _store(data) is not None:
        return folder
    if folder.exists():
        try:
            _read(folder)
        except FactsError as exc:
            _warn(f"the national facts {folder} are damaged ({exc}); computing them again.")
            _remove(folder)
    if not folder.exists() and not _write(data, folder):
        return None  # not writable: the passes stay computed in this process's memory
    try:
        data._memo[_STORE] = _read(folder)
    except FactsError as exc:  # written this moment and not readable: the disk is at fault
        _warn(f"the national facts {folder} cannot be read back ({exc}).")
        return None
    _prune(folder)
    return folder


def _compute(data: Data) -> dict[str, bytes]:
    for module in PROVIDERS:
        importlib.import_module(module)
    blobs = {}
    for name, fn in sorted(_PERSISTED.items()):
        key = (name, (), ())
        if key not in data._memo:
            COMPUTED[name] += 1
            try:
                data._memo[key] = fn(data)
            except Exception:  # not kept: the page that asks for it computes it (and fails)
                continue
        blobs[name] = pickle.dumps(data._memo[key], protocol=pickle.HIGHEST_PROTOCOL)
    return blobs


def _write(data: Data, folder: Path) -> bool:
    """Compute every persisted pass and the country's files into a temporary folder, the
    manifest last, and rename it into place (atomically: a reader sees all or nothing).
    False (with a warning) when the folder cannot be written."""
    from navbok.data import NavData  # here: navbok.data imports this module
    from navbok.files import write_atomic
    from navbok.site import national

    if not isinstance(data, NavData):
        raise TypeError(f"the country's files need a NavData, not {type(data).__name__}")
    blobs = _compute(data)
    frame = national.national_frame(data)
    tmp = folder.with_name(f"{folder.name}.tmp{os.getpid()}-{id(blobs):x}")
    try:
        tmp.mkdir(parents=True)
        write_atomic(tmp / PICKLE, pickle.dumps(blobs, protocol=pickle.HIGHEST_PROTOCOL))
        national.write_national(frame, tmp, national.NationalProvenance.of(data))
        files = {n: file_sha256(tmp / n) for n in (PICKLE, *NATIONAL_FILES)}
        manifest = {"version": FACTS_VERSION, "code": code_key(), "files": files}
        write_atomic(tmp / MANIFEST, json.dumps(manifest, indent=1))
        try:
            os.replace(tmp, folder)
        except OSError:
            if not (folder / MANIFEST).is_file():  # else: another build was first
                raise
    except OSError as exc:
        _warn(f"the national facts cannot be written to {folder} ({exc.strerror or exc}).")
        return False
    finally:
        if tmp.exists():
            _remove(tmp)
    return True


def _prune(current: Path) -> None:
    """Delete all but the newest :data:`KEEP_OTHERS` facts folders of other code versions."""
    try:
        others = [
            p
            for p in current.parent.iterdir()
            if p.name.startswith(PREFIX) and p != current and ".tmp" not in p.name
        ]
        others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for old in others[KEEP_OTHERS:]:
        _remove(old)


def copy_national_files(data: Data, dest: Path) -> bool:
    """Copy the country's files from the facts folder into ``dest`` (checked first); False
    when ``data`` has no facts folder (loaded without a cache: the caller writes them)."""
    if ensure(data) is None:
        return False
    store = _store(data)
    assert store is not None
    try:
        sources = [store.check_file(n) for n in NATIONAL_FILES]
    except FactsError as exc:
        _warn(f"the national facts {store.folder} are damaged ({exc}); computing them again.")
        data._memo.pop(_STORE, None)
        _remove(store.folder)
        if ensure(data) is None or (store := _store(data)) is None:
            return False
        sources = [store.check_file(n) for n in NATIONAL_FILES]
    from navbok.files import write_atomic

    dest.mkdir(parents=True, exist_ok=True)
    for src in sources:
        write_atomic(dest / src.name, src.read_bytes())
    return True
