"""One object that chapters use: the verified snapshot, harmonised and computed once.

``NavData.load()`` opens the snapshot, harmonises every series to the target vintage and
computes every indicator for every region in one pass. The result is cached as Parquet under
``data/cache/`` keyed by the snapshot checksum and the register files, so a chapter notebook
only selects.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

import pandas as pd

from navbok import groups as g
from navbok import indicators as ind
from navbok.measures import Stitch, build_measures, table_frame
from navbok.regions import Municipality, Register
from navbok.snapshot import DEFAULT_DIR, Snapshot
from navbok.sources.catalogue import catalogue

CACHE_DIR = Path("data/cache")
CACHE_VERSION = "1"


def _code_fingerprint() -> str:
    h = hashlib.sha256(CACHE_VERSION.encode())
    for name in ("indicators.yaml", "config/regions.yaml"):
        h.update(resources.files("navbok").joinpath(name).read_bytes())
    for module in ("measures.py", "indicators.py", "regions.py"):
        h.update(resources.files("navbok").joinpath(module).read_bytes())
    return h.hexdigest()[:16]


def _read_cached(path: Path) -> pd.DataFrame:
    """Read a cached table with ``status`` as object (None where there is no symbol)."""
    frame = pd.read_parquet(path)
    frame["status"] = frame["status"].astype(object).where(frame["status"].notna(), None)
    return frame


@dataclass
class Series:
    """One line of a comparison: a label, a kind (kommune, nabo, asss, …) and a region."""

    label: str
    kind: str
    region: str | None = None


class NavData:
    """The snapshot with its harmonised measures and indicators."""

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

    @classmethod
    def load(
        cls,
        root: str | os.PathLike[str] = DEFAULT_DIR,
        *,
        cache_dir: str | os.PathLike[str] | None = CACHE_DIR,
    ) -> NavData:
        """Open and verify the snapshot; harmonise and compute (or read the cache)."""
        snapshot = Snapshot.open(root)
        key = f"{snapshot.checksum[:16]}-{_code_fingerprint()}"
        if cache_dir is not None:
            cdir = Path(cache_dir) / key
            if (cdir / "values.parquet").is_file():
                stitches = [Stitch(**s) for s in json.loads((cdir / "stitches.json").read_text())]
                return cls(
                    snapshot,
                    _read_cached(cdir / "measures.parquet"),
                    _read_cached(cdir / "values.parquet"),
                    stitches,
                )
        register = Register.from_snapshot(snapshot)
        measures, stitches = build_measures(snapshot, register)
        published = pd.concat(
            [table_frame(snapshot, t.table) for t in catalogue().ssb if t.table != "07459"],
            ignore_index=True,
        )
        published = published.sort_values("table").drop_duplicates(
            ["region", "contents", "year"], keep="last"
        )
        values = ind.compute(measures, published)
        data = cls(snapshot, measures, values, stitches)
        data.__dict__["register"] = register
        if cache_dir is not None:
            cdir = Path(cache_dir) / key
            tmp = cdir.with_name(cdir.name + f".tmp{os.getpid()}")
            tmp.mkdir(parents=True, exist_ok=True)
            measures.to_parquet(tmp / "measures.parquet")
            values.to_parquet(tmp / "values.parquet")
            (tmp / "stitches.json").write_text(json.dumps([s.__dict__ for s in stitches]))
            if cdir.exists():
                import shutil

                shutil.rmtree(tmp, ignore_errors=True)
            else:
                os.replace(tmp, cdir)
        return data

    @cached_property
    def register(self) -> Register:
        """The municipality register (target vintage = newest in the snapshot)."""
        return Register.from_snapshot(self.snapshot)

    @cached_property
    def years(self) -> list[int]:
        """Statistics years with social-assistance data."""
        sel = self.values[(self.values["indicator"] == "mottakere") & self.values["value"].notna()]
        return sorted(int(y) for y in sel["year"].unique())

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
            return self.snapshot.ssb("13995").labels["KOKkommuneregion0000"].get(region, region)
        return region

    def groups(
        self, kommune: str, neighbours: list[str] | None = None, asss_variant: str = "default"
    ) -> g.Groups:
        """Comparison groups of a municipality for every statistics year."""
        code = self.resolve(kommune).code
        cat = catalogue()
        assignments = {y: self.snapshot.kostra_groups(y)[0] for y in cat.kostra_groups}
        years = self.years
        return g.Groups(
            kommune=code,
            years=years,
            asss={y: g.asss_members(y, asss_variant) for y in years},
            kostra={
                y: k
                for y in years
                if (k := g.kostra_group(self.register, assignments, cat.kostra_groups, code, y))
            },
            county={y: c for y in years if (c := g.county_of(self.register, code, y))},
            neighbours=[self.resolve(n).code for n in (neighbours or [])],
            asss_variant=asss_variant,
        )

    def indicators(
        self,
        kommune: str,
        years: list[int] | range | None = None,
        indicators: list[str] | str | None = None,
    ) -> pd.DataFrame:
        """Indicator values of one municipality: ``region, year, indicator, value, status,
        source``."""
        code = self.resolve(kommune).code
        return ind.select(self.values, code, years, indicators)

    def comparison(
        self, groups: g.Groups, indicator: str, years: list[int] | range | None = None
    ) -> pd.DataFrame:
        """One indicator for the municipality and all its comparison groups, long format.

        Columns: ``series`` (display label), ``kind`` (kommune, nabo, asss_snitt, asss_hoy,
        asss_lav, kostragruppe, fylke, landet, landet_uten_oslo), ``region``, ``year``,
        ``value``, ``status``, ``source``. ASSS rows are the unweighted member mean, highest and
        lowest (the source column says so).
        """
        years = list(years) if years is not None else groups.years
        data = ind.select(self.values, None, years, indicator)
        rows = []

        def add(region: str, label: str, kind: str, ys: list[int]) -> None:
            sel = data[(data["region"] == region) & data["year"].isin(ys)]
            for r in sel.itertuples():
                rows.append((label, kind, region, r.year, r.value, r.status, r.source))

        add(groups.kommune, self.name(groups.kommune), "kommune", years)
        for n in groups.neighbours:
            add(n, self.name(n), "nabo", years)
        members = {y: groups.asss[y] for y in years if groups.asss.get(y)}
        stats = g.member_stats(data, members, indicator)
        for s in stats.itertuples():
            src = f"ASSS, uveid snitt av {s.n} kommuner" + (
                f" ({s.n_missing} mangler)" if s.n_missing else ""
            )
            rows.append(("ASSS-snitt", "asss_snitt", "ASSS", s.year, s.mean, None, src))
            rows.append(("ASSS høyest", "asss_hoy", s.max_region, s.year, s.max, None, src))
            rows.append(("ASSS lavest", "asss_lav", s.min_region, s.year, s.min, None, src))
        for y in years:
            if y in groups.kostra:
                add(groups.kostra[y], "KOSTRA-gruppe", "kostragruppe", [y])
            if y in groups.county:
                add(groups.county[y], "Fylket", "fylke", [y])
        add(g.LANDET, "Landet", "landet", years)
        add(g.LANDET_UTEN_OSLO, "Landet uten Oslo", "landet_uten_oslo", years)
        out = pd.DataFrame(
            rows, columns=["series", "kind", "region", "year", "value", "status", "source"]
        )
        out["value"] = out["value"].astype(float)
        return out
