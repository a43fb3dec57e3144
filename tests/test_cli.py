"""The ``navbok`` command on the mini replay (run in a temporary working directory)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from navbok.cli import app
from navbok.snapshot import Snapshot

runner = CliRunner()


@pytest.fixture(scope="module")
def workdir(mini_replay: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working directory with a snapshot fetched by ``navbok fetch --from``."""
    root = tmp_path_factory.mktemp("cli")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        mp.delenv("NAVBOK_SOURCE", raising=False)
        result = runner.invoke(
            app,
            ["fetch", "--from", str(mini_replay), "--snapshot", "snap",
             "--nav-arkiv", str(mini_replay / "nav" / "arkiv")],
            catch_exceptions=False,
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"Henter fra opptak i {mini_replay} til snap" in result.output
    assert re.search(r"Snapshot OK: 30 filer, sjekksum [0-9a-f]{12}\.", result.output)
    assert "ADVARSEL: 23 filer er SYNTETISKE" in result.output
    return root


@pytest.fixture
def run(workdir: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(workdir)

    def invoke(*args: str):
        return runner.invoke(app, [*args, "--snapshot", "snap"])

    return invoke


def assert_clean_failure(result, *fragments: str) -> None:
    assert result.exit_code != 0
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    for f in fragments:
        assert f in result.output


def test_kommuner_search(run) -> None:
    result = run("kommuner", "bær")
    assert result.exit_code == 0
    assert result.output.splitlines() == ["3201  Bærum"]
    assert run("kommuner", "32").output.splitlines() == ["3201  Bærum", "3203  Asker"]
    assert len(run("kommuner").output.splitlines()) == 7


def test_kommuner_old_code_prints_a_notice(run) -> None:
    result = run("kommuner", "0219")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("Merk: 0219 Bærum er et tidligere kommunenummer; bruker 3201")
    assert lines[-1] == "3201  Bærum"


def test_kommuner_typo_suggests(run) -> None:
    result = run("kommuner", "Bærrum")
    assert_clean_failure(result, "navbok: Unknown municipality 'Bærrum'", "3201 Bærum")


def test_kommuner_split_code(run) -> None:
    assert_clean_failure(run("kommuner", "1507"), "was split into 1508 Ålesund, 1580 Haram")


def test_serie(run) -> None:
    result = run("serie", "-k", "3201")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "3201 Bærum (kommunenummer 2026-inndeling)"
    assert "SYNTETISKE" in lines[1]
    rows = [line for line in lines if re.match(r"^\s+20\d\d\s", line)]
    assert [int(r.split()[0]) for r in rows] == list(range(2015, 2025))
    # 2015: 1 000 recipients, 5.0 months, 50 000 (1 000 kr), 0.99 %
    assert re.search(r"1\s000 \(ASSS .*5,0 \(ASSS .*50\s000 \(ASSS .*0,99 \(ASSS", rows[0])


def test_serie_with_an_old_code_and_a_bad_one(run) -> None:
    result = run("serie", "-k", "0627")
    assert result.exit_code == 0
    assert result.output.startswith("Merk: 0627 Røyken er et tidligere kommunenummer")
    assert "3203 Asker" in result.output
    assert_clean_failure(run("serie", "-k", "Askr"), "Closest matches: 3203 Asker")


def test_serie_without_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["serie", "--snapshot", "nothing"])
    assert_clean_failure(result, "No snapshot at nothing", "navbok fetch")


def test_fetch_from_missing_source_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NAVBOK_SOURCE", str(tmp_path / "no-such-replay"))
    result = runner.invoke(app, ["fetch", "--snapshot", "snap"])
    assert_clean_failure(result, "no-such-replay does not exist")
    assert not (tmp_path / "snap").exists()
    assert list(tmp_path.iterdir()) == []  # no temporary directories either


def test_fetch_from_incomplete_source_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mini_replay: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "partial" / "ssb").mkdir(parents=True)
    result = runner.invoke(app, ["fetch", "--from", "partial", "--snapshot", "snap"])
    assert_clean_failure(result, "Metadata of SSB table 07459", "07459.metadata.json is missing")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["partial"]


# -- navbok kilder --------------------------------------------------------------------------------


def without_content(root: Path, table: str, label_start: str) -> Path:
    """Remove the content whose label starts with ``label_start`` from a metadata body."""
    path = root / "ssb" / f"{table}.metadata.json"
    meta = json.loads(path.read_bytes())
    category = meta["dimension"]["ContentsCode"]["category"]
    gone = next(c for c, lab in category["label"].items() if lab.startswith(label_start))
    codes = [c for c in category["index"] if c != gone]
    category["index"] = {c: i for i, c in enumerate(codes)}
    category["label"].pop(gone)
    meta["size"][meta["id"].index("ContentsCode")] = len(codes)
    path.write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
    return root


def test_kilder_lists_every_measure(mini_replay: Path) -> None:
    result = runner.invoke(app, ["kilder", "--from", str(mini_replay)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "SSB 13995 «Sosialhjelpstilfeller, utbetalt beløp og stønadstid (K)»" in out
    assert "(oppdatert 2025-06-12, år 2022–2024)" in out
    assert re.search(r"mottakere +→ KOSsosantkliente0000  «Sosialhjelpstilfeller \(antall\)»"
                     r"  \[personer, 0 des\.\]  funnet \(låst kode\)", out)  # fmt: skip
    assert re.search(r"mottakere_18_24 +→ XKOSsosant18240000", out)  # found by its label
    assert re.search(r"mottakere_10mnd +→ –  MANGLER \(valgfritt\); nærmeste: «", out)
    assert "112 → 131 2024-01-01: " in out and "KOSTRA-grupper (EKG05–EKG13)" in out
    assert "AAP155 2025, måned 01–10" in out
    assert "Valgfrie mål som ikke finnes (boka sier at tallet mangler): " in out
    assert out.rstrip().endswith("Alle mål som kapitlene trenger, er funnet.")


def test_kilder_exits_1_when_a_required_measure_is_missing(
    mini_replay: Path, tmp_path: Path
) -> None:
    import shutil

    root = without_content(
        shutil.copytree(mini_replay, tmp_path / "rec"), "13995", "Stønadsmåneder"
    )
    result = runner.invoke(app, ["kilder", "--from", str(root)])
    assert result.exit_code == 1
    assert (
        "MANGLER: stonadsmaaneder: ingen innholdsvariabel i SSB-tabell 13995 har den "
        "forventede etiketten" in " ".join(result.output.split())
    )
    assert "Traceback" not in result.output


@pytest.mark.replay
@pytest.mark.skipif(not os.environ.get("NAVBOK_SOURCE"), reason="needs NAVBOK_SOURCE")
def test_kilder_on_the_recording() -> None:
    result = runner.invoke(app, ["kilder", "--from", os.environ["NAVBOK_SOURCE"]])
    assert result.exit_code == 0, result.output
    assert "Alle mål som kapitlene trenger, er funnet." in result.output


def test_build_says_which_snapshot_and_warns_on_synthetic_data(run) -> None:
    result = run("build", "--kommune", "9999")  # fails after the warning: no such municipality
    assert "Bygger fra snapshot snap (hentet " in result.output
    checksum = Snapshot.open(Path("snap")).checksum  # the build names the snapshot it reads
    assert f", sjekksum {checksum[:12]}).\n" in result.output
    assert "ADVARSEL: snapshotet har 23 SYNTETISKE filer" in result.output
    assert_clean_failure(result, "Unknown municipality '9999'")
