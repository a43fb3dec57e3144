"""One object that chapters use: the verified snapshot, harmonised and computed once.

``NavData.load()`` opens the snapshot, harmonises every series to the target vintage and
computes every indicator for every region in one pass. The result is cached as Parquet under
``data/cache/`` keyed by the snapshot checksum and every package file that shapes it, with the
sha256 of each cached file checked on load (a damaged cache is rebuilt), so a chapter notebook
only selects.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import sys
import threading
from collections.abc import Callable, Hashable, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from navbok import groups as g
from navbok import indicators as ind
from navbok import national_facts
from navbok.availability import Availability
from navbok.comparison import COLUMNS, ComparisonRow, Kind
from navbok.errors import NavbokError, os_error_message
from navbok.files import file_sha256
from navbok.measures import Stitch, build_measures, published_frame
from navbok.national_facts import persisted_pass
from navbok.regions import Municipality, Register
from navbok.snapshot import DEFAULT_DIR, Snapshot
from navbok.sources.catalogue import catalogue

CACHE_DIR = Path("data/cache")
T = TypeVar("T")
CACHE_VERSION = "4"
#: Written last into a cache folder: the sha256 of every other file in it (checked on load).
CACHE_MANIFEST = "cache.json"
_CACHE_FILES = ("measures.parquet", "values.parquet", "stitches.json")

# Every file of the package that shapes the cached frames (measures, values, stitches): the
# register and configuration, the harmonisation and indicator code, the snapshot and every
# source reader (the snapshot's bytes are read through them). A change to any of them gives a
# new cache key, so a fix there is never hidden by old cached values.
_FINGERPRINTED = (
    "indicators.yaml",
    "config/*.yaml",
    "data.py",
    "measures.py",
    "indicators.py",
    "regions.py",
    "groups.py",
    "contents.py",
    "availability.py",
    "register.py",
    "snapshot.py",
    "errors.py",
    "sources/*.py",
)


_PACKAGE = Path(__file__).resolve().parent


def _fingerprinted_files() -> list[Path]:
    return list(_files_under(_PACKAGE))


@functools.cache
def _files_under(package: Path) -> tuple[Path, ...]:
    files: set[Path] = set()
    for pattern in _FINGERPRINTED:
        found = sorted(package.glob(pattern))
        if not found:
            raise RuntimeError(f"navbok's cache key lists {pattern}, which matches no file")
        files.update(found)
    return tuple(sorted(files))


def _code_fingerprint() -> str:
    """A hash of every package file that shapes the cached frames (see ``_FINGERPRINTED``).

    Hashed again only when one of the files changed size, time or inode (a warm kernel asks
    for it at every chapter)."""
    files = _fingerprinted_files()
    try:
        signature = tuple((st.st_size, st.st_mtime_ns, st.st_ino) for st in map(os.stat, files))
    except OSError:
        return _hash_files(files)
    return _hash_by_signature(signature, tuple(files))


@functools.lru_cache(maxsize=4)
def _hash_by_signature(signature: tuple, files: tuple[Path, ...]) -> str:
    return _hash_files(files)


def _hash_files(files: Sequence[Path]) -> str:
    h = hashlib.sha256(CACHE_VERSION.encode())
    for path in files:
        h.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:16]


def _verify_cache(cdir: Path) -> None:
    """Raise ``ValueError`` unless every cached file has the checksum ``cache.json`` records."""
    try:
        recorded = json.loads((cdir / CACHE_MANIFEST).read_text("utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{CACHE_MANIFEST} is missing or unreadable ({exc})") from None
    for name in _CACHE_FILES:
        try:
            actual = file_sha256(cdir / name)
        except OSError as exc:
            raise ValueError(f"{name} cannot be read ({exc.strerror or exc})") from None
        if recorded.get(name) != actual:
            raise ValueError(f"{name} does not have the checksum {CACHE_MANIFEST} records")


class CacheError(NavbokError):
    """The Parquet cache under ``data/cache`` cannot be written or removed."""


def _warn(line: str) -> None:
    print(f"navbok: {line}", file=sys.stderr, flush=True)


# In-process cache of loaded snapshots: a long-lived process (a warm kernel running many chapters,
# the build orchestrator) harmonises and reads Parquet once. Keyed by the resolved snapshot and
# cache directories and the code fingerprint; valid while no snapshot file changed (stat
# signature: size, mtime, inode of the manifest and every listed file). Callers get a shallow
# copy (pandas copy-on-write), so one chapter cannot change what the next one sees.
_LOADED: dict[tuple[str, str | None, str], tuple[tuple, NavData]] = {}
_LOADED_LOCK = threading.Lock()


#: The file names a manifest lists, by the manifest's path, size, mtime and inode (a changed
#: manifest has another key): a chapter's load then stats the files without parsing it again.
_MANIFEST_NAMES: dict[tuple[str, int, int, int], list[str]] = {}


def _stat_signature(root: Path) -> tuple | None:
    """Size, mtime and inode of the manifest and every file it lists (None if unreadable)."""
    try:
        mpath = root / "manifest.json"
        mst = mpath.stat()
        mkey = (str(mpath), mst.st_size, mst.st_mtime_ns, mst.st_ino)
        listed = _MANIFEST_NAMES.get(mkey)
        if listed is None:
            manifest = json.loads(mpath.read_text("utf-8"))
            files = manifest["files"]
            names = [e["name"] if isinstance(e, dict) else str(e) for e in files]
            listed = sorted([*names, "manifest.json"])
            if len(_MANIFEST_NAMES) > 8:  # a few snapshots per process at most (tests: more)
                _MANIFEST_NAMES.clear()
            _MANIFEST_NAMES[mkey] = listed
        sig = []
        for name in listed:
            st = (root / name).stat()
            sig.append((name, st.st_size, st.st_mtime_ns, st.st_ino))
        return tuple(sig)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def parquet_cached(root: str | os.PathLike[str], cache_dir: str | os.PathLike[str] | None) -> bool:
    """Whether :meth:`NavData.load` would read Parquet (not harmonise from scratch)."""
    if cache_dir is None:
        return False
    try:
        snapshot = Snapshot.open(root, verify=False)
    except Exception:  # then simply "no"
        return False
    key = f"{snapshot.checksum[:16]}-{_code_fingerprint()}"
    return (Path(cache_dir) / key / CACHE_MANIFEST).is_file()


def _remove_tree(path: Path) -> None:
    try:
        shutil.rmtree(path)
    except FileNotFoundError:
        pass  # another process removed it first
    except OSError as exc:
        raise CacheError(
            f"The data cache {path} is damaged and cannot be deleted ({exc.strerror or exc}); "
            "delete the folder by hand and run again."
        ) from None


def _write_cache(
    cdir: Path, measures: pd.DataFrame, values: pd.DataFrame, stitches: list[Stitch]
) -> None:
    """Write the cache folder atomically (a temp folder renamed), ``cache.json`` last.

    A folder that cannot be written (read only, disk full) is one clear error naming it; the
    temp folder is removed and nothing half-written is left to be read later."""
    tmp = cdir.with_name(cdir.name + f".tmp{os.getpid()}")
    try:
        tmp.mkdir(parents=True, exist_ok=True)
        measures.to_parquet(tmp / "measures.parquet")
        values.to_parquet(tmp / "values.parquet")
        (tmp / "stitches.json").write_text(json.dumps([s.__dict__ for s in stitches]))
        sums = {name: file_sha256(tmp / name) for name in _CACHE_FILES}
        (tmp / CACHE_MANIFEST).write_text(json.dumps({"files": sums}, indent=1), "utf-8")
        if not cdir.exists():
            try:
                os.replace(tmp, cdir)
            except OSError:
                if not (cdir / CACHE_MANIFEST).is_file():  # else: another process was first
                    raise
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if exc.filename is None:
            exc.filename = str(tmp)
        raise CacheError(os_error_message(exc, "the data cache")) from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def clear_memory_cache() -> None:
    """Forget the in-process cache of :meth:`NavData.load`."""
    with _LOADED_LOCK:
        _LOADED.clear()


def _read_cached(path: Path) -> pd.DataFrame:
    """Read a cached table with ``status`` as object (None where there is no symbol)."""
    frame = pd.read_parquet(path)
    frame["status"] = frame["status"].astype(object).where(frame["status"].notna(), None)
    return frame


class NavData:
    """The snapshot with its harmonised measures and indicators.

    ``values`` (:func:`navbok.indicators.compute`): ``region, year, indicator, value, status,
    estimate, source``; ``estimate`` is True where a value includes a population-share
    estimate (a part of a split municipality), never for a merger summed or SSB's own figure.
    """

    def __init__(
        self,
        snapshot: Snapshot,
        measures: pd.DataFrame,
        values: pd.DataFrame,
        stitches: list[Stitch],
    ) -> None:
        self.snapshot = snapshot
        self.measures = measures
        self.values = values
        self.stitches = stitches
        self._memo: dict[Hashable, Any] = {}  # derived results of many types, by key
        #: The Parquet cache folder this data was read from or written to (None without a
        #: cache); the national facts are kept beside it (:mod:`navbok.national_facts`).
        self.cache_folder: Path | None = None

    def _shallow_copy(self) -> NavData:
        """A copy sharing the (copy-on-write) frames and the memo of derived results."""
        out = NavData(
            self.snapshot,
            self.measures.copy(deep=False),
            self.values.copy(deep=False),
            list(self.stitches),
        )
        out._memo = self._memo
        out.cache_folder = self.cache_folder
        if "register" in self.__dict__:
            self._memo.setdefault("register", self.__dict__["register"])
        return out

    @classmethod
    def load(
        cls,
        root: str | os.PathLike[str] = DEFAULT_DIR,
        *,
        cache_dir: str | os.PathLike[str] | None = CACHE_DIR,
    ) -> NavData:
        """Open and verify the snapshot; harmonise and compute (or read the cache).

        Within one process the result is kept in memory (see ``_LOADED``): loading the same
        unchanged snapshot again costs a few ``stat`` calls.
        """
        root_path = Path(root).resolve()
        key = (
            str(root_path),
            str(Path(cache_dir).resolve()) if cache_dir is not None else None,
            _code_fingerprint(),
        )
        signature = _stat_signature(root_path)
        with _LOADED_LOCK:
            hit = _LOADED.get(key)
            if hit is not None and signature is not None and hit[0] == signature:
                return hit[1]._shallow_copy()
            data = cls._load(root, cache_dir)
            # Keep in memory what a new process would get: the Parquet read. Data computed
            # from scratch (and written to Parquet) is not kept; the next load reads Parquet.
            computed = "register" in data.__dict__
            keep = cache_dir is None or not computed
            if keep and signature is not None and signature == _stat_signature(root_path):
                _LOADED[key] = (signature, data)
                return data._shallow_copy()
            return data

    @classmethod
    def _load(
        cls, root: str | os.PathLike[str], cache_dir: str | os.PathLike[str] | None
    ) -> NavData:
        snapshot = Snapshot.open(root)
        key = f"{snapshot.checksum[:16]}-{_code_fingerprint()}"
        cdir = Path(cache_dir) / key if cache_dir is not None else None
        if cdir is not None and cdir.exists():
            try:
                _verify_cache(cdir)
                stitches = [Stitch(**s) for s in json.loads((cdir / "stitches.json").read_text())]
                cached = cls(
                    snapshot,
                    _read_cached(cdir / "measures.parquet"),
                    _read_cached(cdir / "values.parquet"),
                    stitches,
                )
                cached.cache_folder = cdir
                return cached
            except Exception as exc:  # any unreadable cache is rebuilt
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                _warn(
                    f"the data cache {cdir} is damaged ({reason}); deleting it and computing "
                    "it again."
                )
                _remove_tree(cdir)
        register = Register.from_snapshot(snapshot)
        measures, stitches = build_measures(snapshot, register)
        values = ind.compute(measures, published_frame(snapshot), register)
        data = cls(snapshot, measures, values, stitches)
        data.__dict__["register"] = register
        if cdir is not None:
            _write_cache(cdir, measures, values, stitches)
            data.cache_folder = cdir
        return data

    def _cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` once per loaded snapshot and process, behind NavData's own typed
        accessors (private: a national pass elsewhere is a function decorated with
        :func:`navbok.national_facts.national_pass` or ``persisted_pass``, keyed by the function
        itself, never by a string two callers could share). The result is shared: do not change
        it in place."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @cached_property
    def register(self) -> Register:
        """The municipality register (target vintage = newest in the snapshot)."""
        return self._cached("register", lambda: Register.from_snapshot(self.snapshot))

    @cached_property
    def availability(self) -> Availability:
        """Which indicators the snapshot cannot give, and why (contents SSB did not publish)."""
        return self._cached("availability", lambda: Availability.of(self.snapshot))

    @cached_property
    def years(self) -> list[int]:
        """Statistics years with social-assistance data."""

        def compute() -> list[int]:
            v = self.values
            sel = v[(v["indicator"] == "mottakere") & v["value"].notna()]
            return sorted(int(y) for y in sel["year"].unique())

        return list(self._cached("years", compute))

    @cached_property
    def group_years(self) -> list[int]:
        """The statistics years and the years of NAV's AAP months (AAP runs into the current
        year): the years comparison groups are made for."""
        return sorted(set(self.years) | set(self.snapshot.aap_years()))

    def resolve(self, kommune: str) -> Municipality:
        """A code or name as a municipality of the target vintage."""
        return self.register.resolve(kommune)

    def name(self, region: str) -> str:
        """Display name of a region code (municipality or SSB aggregate)."""
        if region in self.register.names:
            return self.register.names[region].split(" - ")[0]
        fixed = {g.LANDET: "Landet", g.LANDET_UTEN_OSLO: "Landet uten Oslo"}
        if region in fixed:
            return fixed[region]
        if region.startswith("EKG"):
            return f"KOSTRA-gruppe {int(region[3:])}"
        if region.startswith("EKA"):
            return self._cached(("county-name", region), lambda: self._county_name(region))
        return region

    def _county_name(self, region: str) -> str:
        """SSB's name of a county code as its KOSTRA tables give it, first parallel name only,
        with SSB's validity for a county that no longer exists: «Vestfold (-2019)»,
        «Vestfold og Telemark (2020-2023)», «Vestfold» (2024): each a territory of its own."""
        for table in ("13995", "14019", "13138", "12210"):
            if not self.snapshot.has_table(table):
                continue
            # the table's metadata body lists every region with its label (a few kB, where
            # the data body is megabytes)
            label = self.snapshot.metadata(table).labels.get("KOKkommuneregion0000", {}).get(region)
            if label:
                match = re.match(r"^(.*?)( \((?:\d{4})?-\d{4}\))?$", label)
                base, valid = (match.group(1), match.group(2) or "") if match else (label, "")
                return base.split(" - ")[0] + valid
        return region

    def groups(
        self, kommune: str, neighbours: list[str] | None = None, asss_variant: str = "default"
    ) -> g.Groups:
        """Comparison groups of a municipality for every statistics year."""
        memo_key = ("groups", kommune, tuple(neighbours or ()), asss_variant)
        if memo_key not in self._memo:
            self._memo[memo_key] = self._groups(kommune, neighbours, asss_variant)
        return self._memo[memo_key].copy()  # each caller its own (it is a mutable dataclass)

    def _groups(self, kommune: str, neighbours: list[str] | None, asss_variant: str) -> g.Groups:
        code = self.resolve(kommune).code
        cat = catalogue()
        assignments = {int(d[:4]): self.snapshot.kostra_groups(d)[0] for d in cat.kostra_groups}
        labels = {int(d[:4]): self.snapshot.kostra_groups(d)[1] for d in cat.kostra_groups}
        schemes = cat.kostra_scheme_years()
        years = self.group_years
        kostra = {
            y: k
            for y in years
            if (k := g.kostra_group(self.register, assignments, schemes, code, y))
        }
        county = {y: c for y in years if (c := g.county_of(self.register, code, y))}
        members = self.group_members()
        scheme_of = {y: s for s, ys in schemes.items() for y in ys}
        return g.Groups(
            kommune=code,
            years=self.years,
            asss={y: g.asss_members(y, asss_variant) for y in years},
            kostra=kostra,
            county=county,
            neighbours=[self.resolve(n).code for n in (neighbours or [])],
            asss_variant=asss_variant,
            kostra_members={y: members.get((k, y), []) for y, k in kostra.items()},
            county_members={y: members.get((c, y), []) for y, c in county.items()},
            kostra_labels={
                y: labels.get(scheme_of.get(y, -1), {}).get(k, "") for y, k in kostra.items()
            },
        )

    def group_members(self) -> dict[tuple[str, int], list[str]]:
        """Members (target-vintage codes) of every KOSTRA group and county, by (group code,
        year), as the member sums count them (:func:`navbok.groups.membership`)."""

        def compute() -> dict[tuple[str, int], list[str]]:
            cat = catalogue()
            assignments = {int(d[:4]): self.snapshot.kostra_groups(d)[0] for d in cat.kostra_groups}
            frame = g.membership(
                self.register, assignments, cat.kostra_scheme_years(), self.group_years
            )
            out: dict[tuple[str, int], list[str]] = {}
            for region, year, group in zip(
                frame["region"], frame["year"], frame["group"], strict=True
            ):
                out.setdefault((str(group), int(year)), []).append(str(region))
            return out

        return self._cached("group-members", compute)

    def year_members(self) -> dict[tuple[str, int], list[str]]:
        """Members of every KOSTRA group and county as they were that year (codes of the
        year), by (group code, year): the municipalities SSB's own totals count
        (:func:`navbok.groups.year_membership`)."""

        def compute() -> dict[tuple[str, int], list[str]]:
            cat = catalogue()
            assignments = {int(d[:4]): self.snapshot.kostra_groups(d)[0] for d in cat.kostra_groups}
            frame = g.year_membership(
                self.register, assignments, cat.kostra_scheme_years(), self.group_years
            )
            out: dict[tuple[str, int], list[str]] = {}
            for code, year, group in zip(frame["code"], frame["year"], frame["group"], strict=True):
                out.setdefault((str(group), int(year)), []).append(str(code))
            return out

        return self._cached("year-members", compute)

    def indicators(
        self,
        kommune: str,
        years: list[int] | range | None = None,
        indicators: list[str] | str | None = None,
    ) -> pd.DataFrame:
        """Indicator values of one municipality: ``region, year, indicator, value, status,
        estimate, source`` (``estimate``: the value includes a population-share estimate of a
        split municipality, :func:`navbok.indicators.compute`)."""
        code = self.resolve(kommune).code
        return ind.select(self.values, code, years, indicators)

    def _indicator_frame(self, indicator: str) -> pd.DataFrame:
        """All rows of one indicator (``ind.select`` over every region and year), cached."""
        key = ("frame", indicator)
        if key not in self._memo:
            self._memo[key] = ind.select(self.values, None, None, indicator)
        return self._memo[key]

    def _indicator_rows(self, indicator: str) -> dict[str, list[tuple]]:
        """The rows of one indicator by region, in table order, as (year, value, status,
        source, estimate) tuples of Python scalars (as ``itertuples`` gives them), cached."""
        key = ("rows", indicator)
        if key not in self._memo:
            out: dict[str, list[tuple]] = {}
            frame = self._indicator_frame(indicator)
            if "estimate" not in frame.columns:  # a cache written before the flag existed
                frame = frame.assign(estimate=False)
            # the values itertuples gives (Python scalars), column by column: much faster
            columns = [frame[c].tolist() for c in ("region", "year", "value", "status", "source")]
            estimates = frame["estimate"].tolist()
            for region, year, value, status, source, estimate in zip(
                *columns, estimates, strict=True
            ):
                out.setdefault(region, []).append((year, value, status, source, bool(estimate)))
            self._memo[key] = out
        return self._memo[key]

    def measure_cells(self, region: str) -> dict[tuple[str, int], tuple[float, Any]]:
        """A region's harmonised counts: ``{(measure, year): (value, status)}`` as the
        :attr:`measures` table has them (value NaN when missing); computed once per region,
        loaded snapshot and process, and shared."""

        def compute() -> dict[tuple[str, int], tuple[float, Any]]:
            by_region = self._cached(
                "measures-by-region",
                lambda: {
                    str(k): part
                    for k, part in self.measures.groupby("region", sort=False, observed=True)
                },
            )
            part = by_region.get(region)
            if part is None:
                return {}
            return {
                (str(m), int(y)): (float(v), st)
                for m, y, v, st in zip(
                    part["measure"], part["year"], part["value"], part["status"], strict=True
                )
            }

        return self._cached(("measure-cells", region), compute)

    def measure_estimates(self, region: str) -> frozenset[tuple[str, int]]:
        """The (measure, year) cells of a region that include a population-share estimate (a
        part of a split municipality, ``split`` in :attr:`measures`); computed once per region."""

        def compute() -> frozenset[tuple[str, int]]:
            m = self.measures
            hit = m[(m["region"] == region) & m["split"] & m["value"].notna()]
            return frozenset(zip(hit["measure"].astype(str), hit["year"].astype(int), strict=True))

        return self._cached(("measure-estimates", region), compute)

    def year_values(self, indicator: str, year: int) -> dict[str, float]:
        """The regions with a value of ``indicator`` in ``year`` (suppressed and missing values
        left out), by region code; computed once per loaded snapshot and process, and shared."""

        def compute() -> dict[str, float]:
            out: dict[str, float] = {}
            for region, rows in self._indicator_rows(indicator).items():
                for y, value, _status, _source, _estimate in rows:
                    if y == year and value is not None and value == value:
                        out[region] = float(value)
            return out

        return self._cached(("year_values", indicator, year), compute)

    def comparison(
        self, groups: g.Groups, indicator: str, years: list[int] | range | None = None
    ) -> pd.DataFrame:
        """One indicator for the municipality and all its comparison groups, long format.

        Columns: :data:`navbok.comparison.COLUMNS` (``kind`` a :class:`~navbok.comparison.Kind`
        value). ASSS rows are the unweighted member mean, highest and lowest (the source column
        says so).
        """
        return comparison_frame(self.comparison_rows(groups, indicator, years))

    def _asss_rows(self, indicator: str, members: dict[int, list[str]]) -> list[ComparisonRow]:
        """The ASSS rows of ``indicator`` for ``members`` (by year), year by year: each year's
        rows depend on that year's members alone, the same for every municipality, so they
        are computed once per process — or read from the national facts (the default
        members of every year, :func:`asss_year_rows`)."""
        known = national_facts.stored(asss_year_rows, self) or {}
        by_year: dict[int, list[ComparisonRow]] = {}
        todo: dict[int, list[str]] = {}
        for year, who in members.items():
            key = (indicator, year, tuple(who))
            hit = known.get(key)
            if hit is None:
                hit = self._memo.get(("asss-year", key))
            if hit is None:
                todo[year] = who
            else:
                by_year[year] = hit
        if todo:
            needed = [indicator, *formula_parts(indicator)]
            frame = pd.concat([self._indicator_frame(i) for i in needed], ignore_index=True)
            made = _rows_by_year(asss_rows(frame, todo, indicator, sorted(todo)))
            for year, who in todo.items():
                by_year[year] = self._memo[("asss-year", (indicator, year, tuple(who)))] = made.get(
                    year, []
                )
        return [row for year in sorted(by_year) for row in by_year[year]]

    def comparison_rows(
        self, groups: g.Groups, indicator: str, years: list[int] | range | None = None
    ) -> list[ComparisonRow]:
        """The rows of :meth:`comparison` before the frame is made: for callers that only look
        values up."""
        years = list(years) if years is not None else groups.years
        # The rows of ind.select(self.values, None, years, indicator), from cached per-indicator
        # slices (in-process cache: filtering the whole table dominated chapter run time).
        by_region = self._indicator_rows(indicator)
        rows: list[ComparisonRow] = []

        def add(region: str, label: str, kind: Kind, ys: list[int]) -> None:
            wanted = set(ys).intersection(years)
            for year, value, status, source, estimate in by_region.get(region, ()):
                if year in wanted:
                    rows.append(
                        ComparisonRow(label, kind, region, year, value, status, source, estimate)
                    )

        add(groups.kommune, self.name(groups.kommune), Kind.KOMMUNE, years)
        for n in groups.neighbours:
            add(n, self.name(n), Kind.NABO, years)
        members = {y: groups.asss[y] for y in years if groups.asss.get(y)}
        rows.extend(self._asss_rows(indicator, members))
        for y in years:
            if y in groups.kostra:
                add(groups.kostra[y], "KOSTRA-gruppe", Kind.KOSTRAGRUPPE, [y])
            if y in groups.county:
                # Named by SSB's name of the county that year: a county of other borders is
                # another series, never the same line under «Fylket».
                add(groups.county[y], self.name(groups.county[y]), Kind.FYLKE, [y])
        add(g.LANDET, "Landet", Kind.LANDET, years)
        add(g.LANDET_UTEN_OSLO, "Landet uten Oslo", Kind.LANDET_UTEN_OSLO, years)
        return rows


def _rows_by_year(rows: list[ComparisonRow]) -> dict[int, list[ComparisonRow]]:
    out: dict[int, list[ComparisonRow]] = {}
    for row in rows:
        out.setdefault(int(row.year), []).append(row)
    return out


@persisted_pass
def asss_year_rows(
    data: NavData,
) -> dict[tuple[str, int, tuple[str, ...]], list[ComparisonRow]]:
    """The ASSS rows (average, highest, lowest) of every indicator in every year for the ASSS
    members of every variant (``config/regions.yaml``; a national fact,
    :mod:`navbok.national_facts`), by (indicator, year, members): what
    :meth:`NavData.comparison_rows` would compute, the same for every book."""
    from navbok.regions import regions_config

    sets = sorted(
        {
            (y, tuple(m))
            for variant in regions_config()["asss"]
            for y in data.group_years
            if (m := g.asss_members(y, variant))
        }
    )  # (year, members)
    out: dict[tuple[str, int, tuple[str, ...]], list[ComparisonRow]] = {}
    for indicator in ind.register():
        try:
            needed = [indicator, *formula_parts(indicator)]
            frame = pd.concat([data._indicator_frame(i) for i in needed], ignore_index=True)
            made: dict[tuple[int, tuple[str, ...]], list[ComparisonRow]] = {}
            while len(made) < len(sets):  # per call at most one member set of each year
                todo: dict[int, list[str]] = {}
                for y, members in sets:
                    if (y, members) not in made and y not in todo:
                        todo[y] = list(members)
                done = _rows_by_year(asss_rows(frame, todo, indicator, sorted(todo)))
                for y, listed in todo.items():
                    made[(y, tuple(listed))] = done.get(y, [])
        except Exception:  # left to the page that asks for it (computed, and failing, there)
            continue
        for (year, key), rows in made.items():
            out[(indicator, year, key)] = rows
    return out


def formula_parts(indicator: str) -> list[str]:
    """The two indicators an indicator is the ratio of (``formula: {ratio: [a, b]}``), or []."""
    spec = ind.register()[indicator]
    return list(spec.formula["ratio"]) if spec.formula else []


def asss_rows(
    values: pd.DataFrame,
    members: dict[int, list[str]],
    indicator: str,
    years: list[int] | range | None = None,
) -> list[ComparisonRow]:
    """The ASSS rows of a comparison (:func:`navbok.groups.asss_rows`) from an indicator table
    that holds the indicator (and, for a ratio of two indicators, both of them): for a ratio
    the ASSS average is the ratio of the two ASSS averages, as everywhere in the book."""
    parts = formula_parts(indicator)
    data = ind.select(values, None, years, [indicator, *parts])
    ratio_of = None
    if parts:
        a, b = parts
        reg = ind.register()
        scale = float(reg[indicator].scale)
        ratio_of = (a, b, scale, reg[a].name, reg[b].name)
    return g.asss_rows(data, members, indicator, ratio_of)


def comparison_frame(
    rows: list[ComparisonRow], names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Comparison rows as a frame (:data:`navbok.comparison.COLUMNS`) with float values;
    ``names`` renames columns (the same frame as ``.rename(columns=names)``, built so)."""
    columns = [names.get(c, c) for c in COLUMNS] if names else COLUMNS
    value = columns[COLUMNS.index("value")]
    out = pd.DataFrame(rows, columns=columns)
    out[value] = out[value].astype(float)
    return out
