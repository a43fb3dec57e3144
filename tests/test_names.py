"""Municipality names (issue 26, item 6): namesakes, parallel Sami/Kven/Norwegian names,
diacritics folded, a repeated old code reported once.

The real names come from the recording's KLASS files (read directly: no fetch); the overview
and the command line run on the mini replay, and on the full recording where a real name is
needed (skipped without NAVBOK_SOURCE)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from navbok.builder.pipeline import resolve_kommuner
from navbok.cli import app
from navbok.errors import RegionError
from navbok.regions import Register, fold, search_text
from navbok.site import landing
from navbok.site.overview import overview
from navbok.sources import klass
from navbok.sources.origin import ENV_VAR

runner = CliRunner()
VALER = ("3114 Våler (Østfold)", "3419 Våler (Innlandet)")
HEROY = ("1515 Herøy (Møre og Romsdal)", "1818 Herøy (Nordland)")


@pytest.fixture(scope="module")
def real() -> Register:
    """The register of the recording's real KLASS files (target 2026-01-01)."""
    source = os.environ.get(ENV_VAR)
    if not source:
        pytest.skip(f"{ENV_VAR} is not set")
    root = Path(source) / "klass"
    registers = {
        p.name[len("131-codesAt-") : -len(".json")]: klass.read_codes(p.read_bytes())
        for p in sorted(root.glob("131-codesAt-*.json"))
    }
    changes = pd.concat(
        [klass.read_changes(p.read_bytes()) for p in root.glob("131-changes-*.json")]
    ).drop_duplicates()
    return Register(registers, changes)


# -- folding -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Kárášjohka - Karasjok", "karasjohka karasjok"), ("Porsáŋgu", "porsangu"),
     ("BÆRUM", "baerum"), ("Ålesund", "alesund"), ("Herøy (Nordland)", "heroy nordland"),
     ("Guovdageaidnu", "guovdageaidnu"), ("Đ ŧ Ž č Š á", "d t z c s a"),
     ("Aurskog-Høland", "aurskog holand"), ("  oslo  -  OSLOVE ", "oslo oslove")],
)  # fmt: skip
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_the_search_box_folds_as_python_does() -> None:
    """The overview's script folds what is typed as :func:`fold` folds the names."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    script = landing.LANDING.split("function fold(s) {", 1)[1].split("\n  }\n", 1)[0]
    names = ["Kárášjohka - Karasjok", "Porsanger - Porsáŋgu - Porsanki", "Bærum", "Ålesund",
             "Snåase - Snåsa", "Deatnu - Tana", "Unjárga - Nesseby", "Våler (Østfold)",
             "Aurskog-Høland", "Evenášši", "ĐŊŦ žčš", "Straße"]  # fmt: skip
    program = (
        f"function fold(s) {{{script}\n}}\n"
        f"console.log(JSON.stringify({json.dumps(names)}.map(fold)));"
    )
    out = subprocess.run([node, "-e", program], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [fold(n) for n in names]


# -- resolving names of the real register ----------------------------------------------------------


def test_a_name_two_municipalities_share_lists_both_with_their_county(real: Register) -> None:
    with pytest.raises(RegionError) as err:
        real.resolve("Våler")
    text = str(err.value)
    assert "\n" not in text and all(v in text for v in VALER), text
    assert text.startswith("«Våler» passer til flere kommuner: ")
    with pytest.raises(RegionError, match="passer til flere kommuner") as err:
        real.resolve("heroy")  # folded: still both
    assert all(h in str(err.value) for h in HEROY)


def test_a_namesake_is_found_with_its_county(real: Register) -> None:
    assert real.resolve("Våler (Østfold)").code == "3114"
    assert real.resolve("valer innlandet").code == "3419"
    assert real.resolve("Herøy (Nordland)").code == "1818"


def test_suggestions_bring_every_municipality_sharing_a_name(real: Register) -> None:
    for query in ("Herøy", "Herøyy", "Heroy"):
        suggested = real.suggest(query)
        assert all(h in suggested for h in HEROY), (query, suggested)
    with pytest.raises(RegionError, match="Closest matches: ") as err:
        real.resolve("Herøyy")
    assert all(h in str(err.value) for h in HEROY)
    assert all(v in real.suggest("Vålr") for v in VALER)


@pytest.mark.parametrize(
    ("query", "code"),
    [("Porsanki", "5622"), ("Porsáŋgu", "5622"), ("porsangu", "5622"), ("Oslove", "0301"),
     ("Karasjok", "5610"), ("karasjok", "5610"), ("Karasjohka", "5610"),
     ("KÁRÁŠJOHKA-KARASJOK", "5610"), ("KARASJOHKA - karasjok", "5610"), ("Hamarøy", "1875"),
     ("Habmer", "1875"), ("Tråante", "5001"), ("Snasa", "5041"), ("Omasvuono", "5538")],
)  # fmt: skip
def test_every_parallel_name_resolves_without_a_notice(
    real: Register, query: str, code: str
) -> None:
    m = real.resolve(query)
    assert (m.code, m.notice) == (code, "")


def test_the_search_text_holds_every_parallel_name_folded(real: Register) -> None:
    assert real.search_text("5622") == "5622 porsanger porsangu porsanki"
    assert real.search_text("5610") == "5610 karasjohka karasjok"
    assert "oslove" in real.search_text("0301").split()
    assert search_text("3114", "Våler (Østfold)") == "3114 valer ostfold"


# -- the overview's search box (mini replay: «Oslo - Oslove») -------------------------------------


def test_the_overview_rows_are_found_by_their_parallel_names(mini_data, tmp_path: Path) -> None:
    view = overview(mini_data)
    assert view.frame.set_index("kommune").loc["0301", "name"] == "Oslo"  # shown: the first
    books = {c: landing.Book(c, f"../{c}/html/index.html") for c in ("0301", "3201")}
    page = landing.landing_page(view, books, tmp_path).read_text("utf-8")
    rows = dict(re.findall(r'<tr data-search="((\d{4})[^"]*)"', page)[i][::-1] for i in (0, 1))
    assert rows == {"0301": "0301 oslo oslove", "3201": "3201 baerum"}
    assert landing.overview_rows(page) == ["3201", "0301"]  # sorted by the name shown


# -- a repeated old code ---------------------------------------------------------------------------


def test_a_repeated_code_is_reported_once_and_planned_once(mini_data) -> None:
    notices: list[str] = []
    asked = ",".join(["0219"] * 1000 + ["219", " 0219 ", "Bærum", "3201"])
    assert resolve_kommuner(mini_data, asked, False, notices.append) == ["3201"]
    assert len(notices) == 1 and notices[0].startswith("Merk: 0219 Bærum er et tidligere")


def test_the_command_line_prints_a_repeated_notice_once(
    mini_snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    asked = ",".join(["0219"] * 1000 + ["9999"])  # stops at 9999, before anything is built
    result = runner.invoke(app, ["build", "--kommune", asked, "--snapshot", str(mini_snapshot)])
    assert result.exit_code == 1, result.output
    assert result.output.count("er et tidligere kommunenummer") == 1, result.output
    assert "Unknown municipality '9999'" in result.output
    assert "Traceback" not in result.output


# -- the command line on the real names (full recording) ------------------------------------------


def test_kommuner_finds_parallel_names_folded(
    replay_snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    def listed(query: str) -> list[str]:
        result = runner.invoke(app, ["kommuner", query, "--snapshot", str(replay_snapshot)])
        assert result.exit_code == 0, result.output
        return result.output.splitlines()

    assert listed("Porsanki") == ["5622  Porsanger - Porsángu - Porsanki"]
    assert listed("oslove") == ["0301  Oslo - Oslove"]
    assert listed("Karasjohka") == listed("kárášjohka") == ["5610  Kárášjohka - Karasjok"]
    assert {"3114  Våler (Østfold)", "3419  Våler (Innlandet)"} <= set(listed("Våler"))


def test_building_an_ambiguous_name_exits_1_listing_the_candidates(
    replay_data, replay_snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``navbok build --kommune Våler``: one line naming both Vålers, nothing built."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "cache").symlink_to(replay_snapshot.parent / "cache")  # replay_data's
    result = runner.invoke(app, ["build", "--kommune", "Våler", "--snapshot", str(replay_snapshot)])
    assert result.exit_code == 1, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("navbok: "))
    assert line.startswith("navbok: «Våler» passer til flere kommuner: ")
    assert all(v in line for v in VALER), line
    assert not (tmp_path / "_build").exists()
