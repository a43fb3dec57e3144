"""KLASS readers and the recorded-response source (NAV's AAP155 reader: tests/test_nav.py)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

import pandas as pd
import pytest
from minireplay import AAP_HREF, files

from navbok.errors import ParseError, SourceError
from navbok.sources import klass
from navbok.sources.live import LiveSource
from navbok.sources.origin import RecordedSource, default_source, ssb_part_names


def test_read_codes() -> None:
    body = files()["klass/131-codesAt-2024-01-01.json"]
    codes = klass.read_codes(body)
    assert list(codes.columns) == ["code", "name"]
    assert "9999" not in set(codes["code"])  # «Uoppgitt» dropped
    assert dict(zip(codes["code"], codes["name"], strict=True)) == {
        "0301": "Oslo - Oslove", "1508": "Ålesund", "1580": "Haram", "3201": "Bærum",
        "3203": "Asker", "3907": "Sandefjord", "3909": "Larvik",
    }  # fmt: skip
    with pytest.raises(ParseError, match="KLASS codesAt: no 'codes' list"):
        klass.read_codes(b'{"classificationItems": []}')
    with pytest.raises(ParseError, match="klass/x.json: not valid JSON"):
        klass.read_codes(b'{"codes": [', where="klass/x.json")


def test_read_changes() -> None:
    changes = klass.read_changes(files()["klass/131-changes-2015-01-01-2025-01-01.json"])
    assert list(changes.columns) == ["old", "old_name", "new", "new_name", "date"]
    assert pd.api.types.is_datetime64_any_dtype(changes["date"])
    by_old = changes.groupby("old")["new"].apply(sorted).to_dict()
    assert by_old["0219"] == ["3024"] and by_old["3024"] == ["3201"]
    assert by_old["0627"] == ["3025"] and by_old["0728"] == ["0712"]
    assert by_old["1507"] == ["1508", "1580"]  # the 2024 split
    dates = changes.set_index("old")["date"]
    assert dates["0719"] == pd.Timestamp("2017-01-01")
    assert dates["0709"] == pd.Timestamp("2018-01-01")
    bad = {"codeChanges": [{"oldCode": "0219", "changeOccurred": "2020-01-01"}]}
    with pytest.raises(ParseError, match="lacks 'newCode'"):
        klass.read_changes(json.dumps(bad))
    with pytest.raises(ParseError, match="no 'codeChanges' list"):
        klass.read_changes({})


def test_read_kostra_groups() -> None:
    """KLASS 112 (groups) → 131 (municipalities): sourceCode is the group."""
    frame, labels, synthetic = klass.read_kostra_groups(
        files()["klass/112-correspondsAt-131-2024-01-01.json"]
    )
    assert synthetic
    groups = dict(zip(frame["code"], frame["group"], strict=True))
    assert groups["0301"] == "EKG13" and groups["3201"] == "EKG12" and groups["1580"] == "EKG05"
    assert labels["EKG12"] == "KOSTRA-gruppe 12"
    real = files(synthetic=False)["klass/112-correspondsAt-131-2019-01-01.json"]
    assert not klass.read_kostra_groups(real)[2]
    with pytest.raises(ParseError, match="correspondenceItems"):
        klass.read_kostra_groups({"groups": {}})


# -- RecordedSource -------------------------------------------------------------------------------


def test_chunks_are_found_in_numeric_order(tmp_path: Path) -> None:
    (tmp_path / "ssb").mkdir()
    for k in (10, 2, 1):
        (tmp_path / "ssb" / f"13138_part{k}.json").write_text(str(k))
    (tmp_path / "ssb" / "13138_partX.json").write_text("ignored")
    (tmp_path / "ssb" / "131389_part3.json").write_text("another table")
    names = ["ssb/13138_part1.json", "ssb/13138_part2.json", "ssb/13138_part10.json"]
    assert ssb_part_names(tmp_path, "13138") == names
    (tmp_path / "ssb" / "13138.json").write_text("whole")
    assert ssb_part_names(tmp_path, "13138")[0] == "ssb/13138.json"


def test_missing_table_and_files_give_clear_errors(tmp_path: Path) -> None:
    (tmp_path / "ssb").mkdir()
    source = RecordedSource(tmp_path)
    with pytest.raises(SourceError, match=r"SSB table 14019: no ssb/14019\.json or") as err:
        source.ssb_table("14019", {})
    assert str(tmp_path) in str(err.value)
    with pytest.raises(SourceError, match=r"KLASS register at 2024-01-01: .*131-codesAt"):
        source.codes_at("2024-01-01")
    with pytest.raises(SourceError, match=r"NAV's AAP statistics page: .*aap-statistikk\.html"):
        source.aap155()
    with pytest.raises(SourceError, match="does not exist"):
        RecordedSource(tmp_path / "nowhere")


def test_recorded_source_reads_the_minireplay(mini_replay: Path) -> None:
    source = RecordedSource(mini_replay)
    assert [r.name for r in source.ssb_table("07459", {})] == ["ssb/07459.json"]
    assert source.changes("2015-01-01", "2025-01-01").name.endswith("2015-01-01-2025-01-01.json")
    name = "klass/112-correspondsAt-131-2019-01-01.json"
    assert source.kostra_groups("2019-01-01").content == files()[name]
    book = source.aap155()
    assert book.name == "nav/AAP155-current.xlsx"
    assert book.query["href"] == AAP_HREF
    assert book.content == (mini_replay / "nav" / unquote(AAP_HREF[1:])).read_bytes()


def test_recorded_source_answers_a_selection_like_the_service(mini_replay: Path) -> None:
    source = RecordedSource(mini_replay)
    (r,) = source.ssb_table("13995", {"ContentsCode": ["KOSsosantkliente0000"], "Tid": "2023"})
    doc = json.loads(r.content)
    assert doc["size"][1:] == [1, 1] and doc["id"][1:] == ["ContentsCode", "Tid"]
    regions = doc["dimension"]["KOKkommuneregion0000"]["category"]["index"]
    assert doc["value"][regions["3024"]] == 1800  # Bærum 2023: 1000 × 18 / 10


def test_default_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NAVBOK_SOURCE", raising=False)
    assert isinstance(default_source(), LiveSource)
    assert isinstance(default_source(tmp_path), RecordedSource)
    monkeypatch.setenv("NAVBOK_SOURCE", str(tmp_path))
    source = default_source()
    assert isinstance(source, RecordedSource) and source.root == tmp_path
    monkeypatch.setenv("NAVBOK_SOURCE", str(tmp_path / "missing"))
    with pytest.raises(SourceError, match="missing does not exist"):
        default_source()
