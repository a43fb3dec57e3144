"""The in-process caches of NavData give exactly what the uncached code gives."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from navbok import groups as g
from navbok import indicators as ind
from navbok.data import NavData, asss_rows, clear_memory_cache


def reference_comparison(data: NavData, groups: g.Groups, indicator: str, years=None):
    """NavData.comparison as it was before the caches (filters the whole table each call)."""
    years = list(years) if years is not None else groups.years
    sel_all = ind.select(data.values, None, years, indicator)
    rows = []

    def add(region, label, kind, ys):
        sel = sel_all[(sel_all["region"] == region) & sel_all["year"].isin(ys)]
        for r in sel.itertuples():
            rows.append(
                (label, kind, region, r.year, r.value, r.status, r.source, bool(r.estimate))
            )

    add(groups.kommune, data.name(groups.kommune), "kommune", years)
    for n in groups.neighbours:
        add(n, data.name(n), "nabo", years)
    members = {y: groups.asss[y] for y in years if groups.asss.get(y)}
    rows.extend(asss_rows(data.values, members, indicator, years))  # shared with NavData
    for y in years:
        if y in groups.kostra:
            add(groups.kostra[y], "KOSTRA-gruppe", "kostragruppe", [y])
        if y in groups.county:
            add(groups.county[y], data.name(groups.county[y]), "fylke", [y])
    add(g.LANDET, "Landet", "landet", years)
    add(g.LANDET_UTEN_OSLO, "Landet uten Oslo", "landet_uten_oslo", years)
    out = pd.DataFrame(
        rows,
        columns=["series", "kind", "region", "year", "value", "status", "source", "estimate"],
    )
    out["value"] = out["value"].astype(float)
    return out


def _assert_identical(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    for col in a.columns:  # same Python objects (None stays None, str stays str)
        assert [type(v) for v in a[col].tolist()] == [type(v) for v in b[col].tolist()], col


def _check_all(data: NavData, kommuner: list[str]) -> None:
    for kommune in kommuner:
        groups = data.groups(kommune, [])
        for indicator in sorted(data.values["indicator"].unique()):
            if indicator not in ind.register():
                continue
            for years in (None, groups.years[-1:], groups.years[:3]):
                _assert_identical(
                    data.comparison(groups, indicator, years),
                    reference_comparison(data, groups, indicator, years),
                )


def test_cached_comparison_equals_uncached(mini_data: NavData) -> None:
    codes = [c for c in mini_data.register.target_codes][:3]
    _check_all(mini_data, codes)


@pytest.mark.replay
def test_cached_comparison_equals_uncached_full_replay(replay_data: NavData) -> None:
    _check_all(replay_data, ["3201", "1151", "0301"])


def test_load_is_kept_in_memory_and_copies(mini_snapshot: Path, tmp_path: Path) -> None:
    clear_memory_cache()
    a = NavData.load(mini_snapshot, cache_dir=tmp_path / "cache")
    b = NavData.load(mini_snapshot, cache_dir=tmp_path / "cache")
    assert a is not b and a.values is not b.values
    pd.testing.assert_frame_equal(a.values, b.values)
    a.values.loc[0, "value"] = -1.0  # a chapter changing its copy does not leak
    assert b.values.loc[0, "value"] != -1.0
    assert NavData.load(mini_snapshot, cache_dir=tmp_path / "cache").values.loc[0, "value"] != -1.0


def test_changed_snapshot_is_loaded_again(mini_snapshot: Path, tmp_path: Path) -> None:
    import shutil

    from navbok.errors import SnapshotError

    snap = tmp_path / "snapshot"
    shutil.copytree(mini_snapshot, snap)
    clear_memory_cache()
    NavData.load(snap, cache_dir=None)
    victim = next(p for p in sorted(snap.rglob("*.json")) if p.name != "manifest.json")
    victim.write_bytes(victim.read_bytes() + b" ")
    os.utime(victim, ns=(1, 1))
    with pytest.raises(SnapshotError, match="corrupt"):
        NavData.load(snap, cache_dir=None)
