"""Readers for NAV's AAP CSV and KLASS bodies, and the recorded-response source."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from minireplay import aap_csv, files

from navbok.errors import ParseError, SourceError
from navbok.sources import klass, nav
from navbok.sources.origin import LiveSource, RecordedSource, default_source, ssb_part_names

HEADER = "Fylke;Kommunenummer;Kommune;Antall;Andel av befolkningen 18-66 år"
LANDET = "Landet;;Landet;10;1,0"


def csv(*rows: str, title: str = "AAP etter kommune. SYNTETISKE DATA", bom: bool = True) -> bytes:
    text = "\r\n".join([title, "Kilde: NAV", *rows]) + "\r\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


# -- NAV AAP --------------------------------------------------------------------------------------


def test_aap_csv_quirks() -> None:
    body = csv(
        HEADER,
        "Oslo;0301;Oslo - Oslove;13 048;2,7",
        "Oslo;;Oslo i alt;13 048;2,7",
        "Akershus;3024;Bærum;1\u00a0503;1,9",
        "Akershus;3032;Gjerdrum;*;*",
        "Akershus;;Akershus i alt;1 506;1,9",
        "Landet;;Landet;113599;3,3",
    )
    assert body.startswith(b"\xef\xbb\xbf") and b"\r\n" in body
    frame, synthetic = nav.read_aap(body, where="nav/aap-kommune-2021-02.csv")
    assert synthetic
    assert list(frame["region"]) == ["0301", "3024", "3032", "EAK"]  # subtotals dropped
    assert list(frame["name"]) == ["Oslo - Oslove", "Bærum", "Gjerdrum", "Landet"]
    assert list(frame["value"].fillna(-1)) == [13048, 1503, -1, 113599]
    assert frame["share"][1] == pytest.approx(1.9)  # decimal comma
    assert math.isnan(frame["share"][2])
    assert frame["status"][2] == ":"  # "*" is suppressed, never 0
    assert frame["status"][[0, 1, 3]].isna().all()


def test_aap_csv_without_bom_or_synthetic_title() -> None:
    body = csv(HEADER, "Oslo;0301;Oslo;10;1,0", "Landet;;Landet;10;1,0", title="AAP", bom=False)
    frame, synthetic = nav.read_aap(body)
    assert not synthetic
    assert list(frame["region"]) == ["0301", "EAK"]


def test_aap_csv_from_minireplay() -> None:
    frame, synthetic = nav.read_aap(aap_csv("2016-12"), where="nav/aap-kommune-2016-12.csv")
    assert synthetic
    assert len(frame) == 13  # 12 municipalities valid in 2016 + Landet; 5 county rows dropped
    lardal = frame[frame["region"] == "0728"].iloc[0]
    assert math.isnan(lardal["value"]) and lardal["status"] == ":"
    baerum = frame[frame["region"] == "0219"].iloc[0]
    assert baerum["value"] == 1550 and baerum["share"] == pytest.approx(1.9)
    assert frame["region"].iloc[-1] == "EAK"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (csv("Kommune;Antall", "Oslo;1"), "no header line starting with 'Fylke;Kommunenummer'"),
        (csv("Fylke;Kommunenummer;Kommune;Personer", "Oslo;0301;Oslo;1"), r"columns \['Antall'\]"),
        (csv(HEADER, "Oslo;0301;Oslo;12x;1,0", LANDET), "count '12x' for 'Oslo' is not a number"),
        (csv(HEADER, "Oslo;0301;Oslo;1;2", "Oslo;0302;Oslo;1;2;3;4"), "line 5 has 7 fields"),
        (csv(HEADER, 'Oslo;0301;"Oslo;1;2', LANDET), "bad CSV"),
        (csv(HEADER, "Oslo;0301;Oslo;1;1,0"), "no «Landet» row at the end"),
        (f"{HEADER}\nØstfold;3001;Halden;1;1,0\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_bad_aap_csv(body: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message) as err:
        nav.read_aap(body, where="nav/aap-kommune-2020-12.csv")
    assert str(err.value).startswith("nav/aap-kommune-2020-12.csv: ")


def test_aap_csv_rows_wider_than_the_header() -> None:
    # pandas would silently make the extra leading fields an index and shift the columns
    body = csv(HEADER, "Oslo;0301;Oslo;1;2;3;4", "Landet;;Landet;5;1;3;4")
    with pytest.raises(ParseError, match="line 4 has 7 fields, the header has 5"):
        nav.read_aap(body)


# -- KLASS ----------------------------------------------------------------------------------------


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
    frame, labels, synthetic = klass.read_kostra_groups(files()["klass/kostragrupper-2024.json"])
    assert synthetic
    groups = dict(zip(frame["code"], frame["group"], strict=True))
    assert groups["0301"] == "EKG13" and groups["3201"] == "EKG12" and groups["1580"] == "EKG05"
    assert labels["EKG12"] == "KOSTRA-gruppe 12"
    real = files(synthetic=False)["klass/kostragrupper-2019.json"]
    assert not klass.read_kostra_groups(real)[2]
    body = {"correspondenceItems": [{"sourceCode": "0301", "targetCode": "EKG15",
                                     "targetName": "Oslo"}]}  # fmt: skip
    assert klass.read_kostra_groups(body)[1] == {"EKG15": "Oslo"}  # label from targetName
    with pytest.raises(ParseError, match="no 'correspondenceItems' list"):
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
    responses = RecordedSource(tmp_path).ssb_table("13138", {})
    assert [r.name for r in responses] == names
    assert [r.content for r in responses] == [b"1", b"2", b"10"]
    assert responses[0].origin == f"file:{(tmp_path / names[0]).resolve()}"
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
    with pytest.raises(SourceError, match=r"NAV AAP 2021-02: .*2021-02\.csv is missing"):
        source.aap("2021-02")
    with pytest.raises(SourceError, match="does not exist"):
        RecordedSource(tmp_path / "nowhere")


def test_recorded_source_reads_the_minireplay(mini_replay: Path) -> None:
    source = RecordedSource(mini_replay)
    assert [r.name for r in source.ssb_table("07459", {})] == ["ssb/07459.json"]
    assert source.changes("2015-01-01", "2025-01-01").name.endswith("2015-01-01-2025-01-01.json")
    assert source.kostra_groups(2019).content == files()["klass/kostragrupper-2019.json"]
    assert source.aap("2024-12").content == aap_csv("2024-12")


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
