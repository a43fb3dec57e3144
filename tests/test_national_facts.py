"""The national facts (navbok.national_facts): computed once per snapshot and code version,
kept beside the Parquet cache, read when current, never trusted when damaged."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from navbok import national_facts as nf
from navbok.data import NavData, asss_year_rows, clear_memory_cache
from navbok.files import file_sha256
from navbok.key_figures import barometer_results, barometer_scenarios, national
from navbok.site.overview import overview


def _fresh(snapshot: Path, cache: Path) -> NavData:
    """The data as a new process sees it (nothing in memory)."""
    clear_memory_cache()
    return NavData.load(snapshot, cache_dir=cache)


def _computed() -> int:
    return sum(nf.COMPUTED.values())


@pytest.fixture(scope="session")
def pristine(mini_snapshot: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data cache with current national facts (made once; copied by :func:`cache`)."""
    folder = tmp_path_factory.mktemp("facts") / "cache"
    assert nf.ensure(_fresh(mini_snapshot, folder)) is not None
    return folder


@pytest.fixture
def cache(pristine: Path, tmp_path: Path) -> Path:
    """A data cache of its own with current national facts."""
    import shutil

    return Path(shutil.copytree(pristine, tmp_path / "cache"))


def test_written_beside_the_parquet_cache_with_checksums(mini_snapshot: Path, cache: Path) -> None:
    data = _fresh(mini_snapshot, cache)
    folder = nf.facts_dir(data)
    assert folder is not None and folder.parent == data.cache_folder
    manifest = json.loads((folder / nf.MANIFEST).read_text("utf-8"))
    assert manifest["version"] == nf.FACTS_VERSION and manifest["code"] == nf.code_key()
    assert set(manifest["files"]) == {nf.PICKLE, *nf.NATIONAL_FILES}
    assert not [p for p in folder.parent.iterdir() if ".tmp" in p.name]


def test_current_facts_are_read_not_computed(mini_snapshot: Path, cache: Path) -> None:
    data = _fresh(mini_snapshot, cache)
    before = _computed()
    assert nf.ensure(data) == nf.facts_dir(data)
    nat, (graded, ranking), view = national(data), barometer_results(data), overview(data)
    asss_year_rows(data)
    assert _computed() == before  # read from the folder: no pass ran again

    reference = NavData.load(mini_snapshot, cache_dir=None)  # no cache: computed here
    pd.testing.assert_frame_equal(nat.frame, national(reference).frame, check_exact=True)
    assert (nat.years, nat.periods, nat.landet) == (
        national(reference).years,
        national(reference).periods,
        national(reference).landet,
    )
    pd.testing.assert_frame_equal(graded, barometer_results(reference)[0], check_exact=True)
    pd.testing.assert_frame_equal(ranking, barometer_results(reference)[1], check_exact=True)
    pd.testing.assert_frame_equal(view.frame, overview(reference).frame, check_exact=True)
    assert repr(asss_year_rows(data)) == repr(asss_year_rows(reference))  # NaN as text
    year = int(graded["year"].max())
    for label, frame in barometer_scenarios(data, year).items():
        pd.testing.assert_frame_equal(
            frame, barometer_scenarios(reference, year)[label], check_exact=True
        )


def test_comparisons_read_from_the_facts_equal_computed(mini_snapshot: Path, cache: Path) -> None:
    data = _fresh(mini_snapshot, cache)
    reference = NavData.load(mini_snapshot, cache_dir=None)
    reference._memo.clear()
    assert nf.stored(asss_year_rows, reference) is None  # no cache: computed per comparison
    for kommune in list(data.register.target_codes)[:3]:
        groups = data.groups(kommune, [])
        for indicator in ("andel_18_66", "utbetalt_per_innb_18_66", "kvp_per_1000"):
            for years in (None, groups.years[-1:], groups.years[:3]):
                assert repr(data.comparison_rows(groups, indicator, years)) == repr(
                    reference.comparison_rows(groups, indicator, years)
                )


def test_a_code_change_computes_them_once(
    mini_snapshot: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(nf, "code_key", lambda: "0123456789abcdef")
    data = _fresh(mini_snapshot, cache)
    before = dict(nf.COMPUTED)
    folder = nf.ensure(data)
    assert folder is not None and folder.name == f"{nf.PREFIX}0123456789abcdef"
    assert all(nf.COMPUTED[name] == before.get(name, 0) + 1 for name in nf._PERSISTED)
    again = _fresh(mini_snapshot, cache)
    middle = _computed()
    assert nf.ensure(again) == folder
    national(again)
    assert _computed() == middle


def test_another_snapshot_has_its_own_facts(mini_snapshot: Path, tmp_path: Path) -> None:
    import shutil

    changed = tmp_path / "snapshot"
    shutil.copytree(mini_snapshot, changed)
    manifest = json.loads((changed / "manifest.json").read_text("utf-8"))
    entry = next(e for e in manifest["files"] if e["name"].endswith(".metadata.json"))
    victim = changed / entry["name"]
    victim.write_bytes(victim.read_bytes() + b"\n")  # another snapshot: another checksum
    entry["sha256"], entry["bytes"] = file_sha256(victim), victim.stat().st_size
    (changed / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    cache = tmp_path / "cache"
    first = nf.ensure(_fresh(mini_snapshot, cache))
    before = _computed()
    second = nf.ensure(_fresh(changed, cache))
    assert first is not None and second is not None and first.parent != second.parent
    assert _computed() > before


@pytest.mark.parametrize(
    "damage",
    ["truncate pickle", "flip pickle", "no manifest", "manifest of another code", "not a pickle"],
)
def test_damaged_facts_are_computed_again(
    mini_snapshot: Path, cache: Path, damage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = nf.facts_dir(_fresh(mini_snapshot, cache))
    assert folder is not None
    pickled = folder / nf.PICKLE
    manifest = folder / nf.MANIFEST
    if damage == "truncate pickle":
        pickled.write_bytes(pickled.read_bytes()[:100])
    elif damage == "flip pickle":
        raw = bytearray(pickled.read_bytes())
        raw[len(raw) // 2] ^= 0xFF
        pickled.write_bytes(bytes(raw))
    elif damage == "no manifest":  # a half-written folder
        manifest.unlink()
    elif damage == "manifest of another code":
        doc = json.loads(manifest.read_text("utf-8"))
        manifest.write_text(json.dumps(dict(doc, code="ffffffffffffffff")), "utf-8")
    else:  # right checksum, wrong content: still never trusted
        pickled.write_bytes(b"not a pickle")
        doc = json.loads(manifest.read_text("utf-8"))
        doc["files"][nf.PICKLE] = file_sha256(pickled)
        manifest.write_text(json.dumps(doc), "utf-8")
    data = _fresh(mini_snapshot, cache)
    assert nf.stored(national, data) is None  # nothing read from a damaged folder
    before = dict(nf.COMPUTED)
    assert nf.ensure(data) == folder
    assert all(nf.COMPUTED[name] == before.get(name, 0) + 1 for name in nf._PERSISTED)
    nf._read(folder)  # whole again
    assert "damaged" in capsys.readouterr().err


def test_damaged_country_file_is_never_copied(
    mini_snapshot: Path, cache: Path, tmp_path: Path
) -> None:
    data = _fresh(mini_snapshot, cache)
    folder = nf.facts_dir(data)
    assert folder is not None
    good = {n: (folder / n).read_bytes() for n in nf.NATIONAL_FILES}
    csv = folder / nf.NATIONAL_FILES[0]
    csv.write_bytes(csv.read_bytes()[:-10])
    data = _fresh(mini_snapshot, cache)
    assert nf.copy_national_files(data, tmp_path / "site")
    assert {n: (tmp_path / "site" / n).read_bytes() for n in nf.NATIONAL_FILES} == good


def test_country_files_equal_the_national_module(mini_snapshot: Path, cache: Path, tmp_path: Path):
    from navbok.site import national as files

    data = _fresh(mini_snapshot, cache)
    assert nf.copy_national_files(data, tmp_path / "copied")
    reference = NavData.load(mini_snapshot, cache_dir=None)
    files.write_national(
        files.national_frame(reference), tmp_path / "made", files.NationalProvenance.of(reference)
    )
    for name in nf.NATIONAL_FILES:
        assert (tmp_path / "copied" / name).read_bytes() == (tmp_path / "made" / name).read_bytes()


def test_without_a_cache_nothing_is_written(mini_snapshot: Path) -> None:
    data = NavData.load(mini_snapshot, cache_dir=None)
    assert data.cache_folder is None and nf.ensure(data) is None
    assert national(data) is national(data)  # a national pass, once per process


def test_concurrent_builds_write_one_whole_folder(mini_snapshot: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    NavData.load(mini_snapshot, cache_dir=cache)  # the Parquet cache first (as a build does)
    code = (
        "import sys; from navbok.data import NavData; from navbok import national_facts as nf;"
        f"d = NavData.load({str(mini_snapshot)!r}, cache_dir={str(cache)!r});"
        "f = nf.ensure(d); nf._read(f); print(f)"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outs = [p.communicate(timeout=300)[0].strip() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert len(set(outs)) == 1
    folder = Path(outs[0])
    nf._read(folder)  # whole: every checksum right
    assert not [p for p in folder.parent.iterdir() if ".tmp" in p.name]  # no half folder left


def test_a_kernel_preloads_the_facts(mini_snapshot: Path, cache: Path) -> None:
    from navbok.builder.engine import warmup_code

    clear_memory_cache()
    exec(warmup_code(str(mini_snapshot), str(cache)), {})
    data = NavData.load(mini_snapshot, cache_dir=cache)  # what Report.open gets
    assert nf._STORE in data._memo
    before = _computed()
    national(data)
    assert _computed() == before


def test_national_passes_are_keyed_by_their_function(mini_data: NavData) -> None:
    calls = []

    @nf.national_pass
    def one(data: NavData, x: int) -> list[int]:
        calls.append(x)
        return [x]

    @nf.national_pass
    def other(data: NavData, x: int) -> list[int]:
        return [-x]

    assert one(mini_data, 1) is one(mini_data, 1)
    assert other(mini_data, 1) == [-1]  # the same argument, another pass: its own value
    assert calls == [1]
    with pytest.raises(RuntimeError, match="two persisted"):
        nf.persisted_pass(national.__wrapped__)  # type: ignore[attr-defined]


def test_validated_chart_shapes_are_shared(tmp_path: Path) -> None:
    from navbok.present import chart_specs

    folder = tmp_path / "facts"
    folder.mkdir()
    good = "a" * 64
    (folder / nf.SHAPES).write_text(f"{good}\nnot a hash\n{'b' * 63}\n", "ascii")
    saved = set(chart_specs._VALIDATED_SHAPES), list(chart_specs._SHAPES_FILE)
    try:
        chart_specs._VALIDATED_SHAPES.clear()
        chart_specs.keep_validated_shapes(folder / nf.SHAPES)
        assert set(chart_specs._VALIDATED_SHAPES) == {good}
        spec = {
            "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
            "data": {"values": [{"a": 1}]},
            "mark": "point",
            "encoding": {"x": {"field": "a", "type": "quantitative"}},
        }
        chart_specs.validated(spec)
        lines = (folder / nf.SHAPES).read_text("ascii").splitlines()
        assert len(lines) == 4 and lines[-1] in chart_specs._VALIDATED_SHAPES
    finally:
        chart_specs._VALIDATED_SHAPES.clear()
        chart_specs._VALIDATED_SHAPES.update(saved[0])
        chart_specs._SHAPES_FILE[:] = saved[1]
