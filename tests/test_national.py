"""navbok.site.national: the country's indicator table and its open downloads (CSV, Parquet,
JSON)."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from navbok import indicators as ind
from navbok.data import NavData
from navbok.site.national import (
    COLUMNS,
    CSV_NAME,
    METADATA_NAME,
    PARQUET_NAME,
    NationalError,
    NationalProvenance,
    file_frame,
    national_frame,
    source_tables,
    write_national,
)


@pytest.fixture(scope="module")
def frame(mini_data: NavData) -> pd.DataFrame:
    return national_frame(mini_data)


def test_one_row_per_indicator_municipality_and_year(
    frame: pd.DataFrame, mini_data: NavData
) -> None:
    assert list(frame.columns) == COLUMNS
    assert str(frame["year"].dtype) == "int64" and str(frame["value"].dtype) == "float64"
    codes = mini_data.register.target_codes
    assert sorted(frame["kommune"].unique()) == sorted(codes)  # no aggregates, no old codes
    assert not frame.duplicated(["indicator", "kommune", "year"]).any()
    for indicator, rows in frame.groupby("indicator"):
        years = rows["year"].nunique()
        assert len(rows) == len(codes) * years, indicator  # a complete grid
    assert set(frame["indicator"]) <= set(ind.register())


def test_values_and_statuses_are_navdata_s(frame: pd.DataFrame, mini_data: NavData) -> None:
    v = mini_data.values
    v = v[v["region"].isin(mini_data.register.target_codes)]
    merged = frame.merge(
        v.rename(columns={"region": "kommune"}),
        on=["indicator", "kommune", "year"],
        how="left",
        suffixes=("", "_navdata"),
    )
    with_value = merged["value_navdata"].notna()
    assert with_value.sum() > 1000
    pd.testing.assert_series_equal(
        merged.loc[with_value, "value"], merged.loc[with_value, "value_navdata"], check_names=False
    )
    assert (merged.loc[with_value, "status"] == "").all()
    symbol = merged["status_navdata"].map(lambda s: isinstance(s, str) and s != "")
    assert (merged.loc[symbol, "status"] == merged.loc[symbol, "status_navdata"]).all()
    assert merged.loc[symbol, "value"].isna().all()
    # A missing value always has a symbol (``..`` where NavData has none), a value never has.
    assert (frame["value"].isna() == (frame["status"] != "")).all()
    assert (frame["status"] == ":").sum() > 0  # the mini recording has suppressed cells


def test_names_units_sources_and_order(frame: pd.DataFrame, mini_data: NavData) -> None:
    register = ind.register()
    row = frame[frame["indicator"] == "andel_18_66"].iloc[0]
    assert row["indicator_name"] == register["andel_18_66"].label
    assert row["unit"] == "prosent"
    for code, name in frame.groupby("kommune")["kommune_name"].first().items():
        assert name == mini_data.name(code)
    order = {k: i for i, k in enumerate(register)}
    key = list(zip(frame["indicator"].map(order), frame["kommune"], frame["year"], strict=True))
    assert key == sorted(key)
    assert frame.loc[frame["value"].notna(), "source"].str.contains("SSB|NAV").all()
    pd.testing.assert_frame_equal(national_frame(mini_data), frame)


def test_source_tables() -> None:
    assert source_tables(
        ["SSB 12210 XKOSandel0000", "NAV AAP155; SSB 07459, summert over kommunene", ""]
    ) == ["NAV AAP155", "SSB 07459", "SSB 12210"]


def test_write_national_files(frame: pd.DataFrame, mini_data: NavData, tmp_path: Path) -> None:
    provenance = NationalProvenance.of(mini_data)
    assert provenance.synthetic  # the mini recording is synthetic
    paths = write_national(frame, tmp_path, provenance)
    assert set(paths) == {CSV_NAME, PARQUET_NAME, METADATA_NAME}

    raw = (tmp_path / CSV_NAME).read_bytes()
    assert raw.startswith(
        "\ufeffindikator;indikatornavn;enhet;kommunenr;kommunenavn;år;verdi;status;anslag;"
        "kilde\r\n".encode()
    )
    back = pd.read_csv(
        io.BytesIO(raw),
        sep=";",
        decimal=",",
        encoding="utf-8-sig",
        dtype={"kommunenr": str, "status": str, "kilde": str},
        keep_default_na=False,
        na_values={"verdi": [""]},
    )
    assert set(back["anslag"]) <= {"Ja", "Nei"}
    back["anslag"] = back["anslag"] == "Ja"
    pd.testing.assert_frame_equal(back, file_frame(frame), check_dtype=False)
    assert set(back["status"]) <= {"", ":", "..", "."}

    parquet = pd.read_parquet(tmp_path / PARQUET_NAME)
    pd.testing.assert_frame_equal(parquet, file_frame(frame), check_dtype=False)
    assert str(parquet["år"].dtype) == "int64" and str(parquet["anslag"].dtype) == "bool"

    meta = json.loads((tmp_path / METADATA_NAME).read_text("utf-8"))
    assert meta["synthetic"] is True and "SYNTETISKE DATA" in meta["warning"]
    assert meta["fetched_at"] == mini_data.snapshot.fetched_at
    assert meta["licence"]["name"] == "CC BY 4.0"
    assert meta["rows"] == len(frame)
    assert meta["municipalities"]["count"] == len(mini_data.register.target_codes)
    for name in (CSV_NAME, PARQUET_NAME):
        content = (tmp_path / name).read_bytes()
        assert meta["files"][name]["sha256"] == hashlib.sha256(content).hexdigest()
    assert meta["files"][CSV_NAME]["separator"] == ";"
    assert set(meta["columns"]) == set(back.columns)  # every column of the file is described
    entries = {e["id"]: e for e in meta["indicators"]}
    assert list(entries) == list(ind.register())
    andel = entries["andel_18_66"]
    assert andel["unit"] == "prosent" and andel["definition"].startswith("Mottakere 18–24")
    assert "SSB 07459" in andel["source_tables"] or "SSB 12210" in andel["source_tables"]
    assert set(entries["aap_andel"]["source_tables"]) >= {"NAV AAP155", "SSB 07459"}
    # Every AAP figure names its month: December of each year, or the snapshot's newest month.
    assert entries["aap_andel"]["month"] == "desember hvert år"
    assert entries["aap_andel_siste"]["month"] == "oktober 2025"
    latest = frame[frame["indicator"] == "aap_andel_siste"]
    assert set(latest["year"]) == {2025}
    assert set(latest["indicator_name"]) == {
        ind.register()["aap_andel_siste"].label + ", oktober 2025"
    }

    # Deterministic: the same table gives the same bytes.
    again = write_national(frame, tmp_path / "again", provenance)
    for name, path in again.items():
        assert path.read_bytes() == paths[name].read_bytes(), name


def test_real_data_carries_no_warning(frame: pd.DataFrame, tmp_path: Path) -> None:
    provenance = NationalProvenance(fetched_at="2026-03-15T08:00:00+00:00", vintage="2026-01-01")
    write_national(frame, tmp_path, provenance)
    meta = json.loads((tmp_path / METADATA_NAME).read_text("utf-8"))
    assert meta["synthetic"] is False
    assert "warning" not in meta and "synthetic_files" not in meta


def test_write_national_refuses_a_value_with_a_status(frame: pd.DataFrame, tmp_path: Path) -> None:
    bad = frame.copy()
    first = bad.index[bad["value"].notna()][0]
    bad.loc[first, "status"] = ":"
    with pytest.raises(NationalError, match="status"):
        write_national(bad, tmp_path, NationalProvenance(fetched_at="x"))
    with pytest.raises(NationalError, match="source"):
        write_national(frame.drop(columns="source"), tmp_path, NationalProvenance(fetched_at="x"))


def test_estimates_keep_their_flag_in_the_national_files(tmp_path: Path) -> None:
    from types import SimpleNamespace

    values = pd.DataFrame(
        {
            "region": ["1508", "1508", "1580"],
            "year": [2021, 2024, 2021],
            "indicator": ["andel_18_66"] * 3,
            "value": [5.5, 4.0, float("nan")],
            "status": [None, None, ":"],
            "estimate": [True, False, True],  # a hidden value is no estimate
            "source": ["SSB 13138; SSB 07459"] * 3,
        }
    )
    data = SimpleNamespace(
        values=values,
        register=SimpleNamespace(target_codes=["1508", "1580"]),
        name={"1508": "Ålesund", "1580": "Haram"}.get,
        snapshot=SimpleNamespace(aap_periods=lambda: []),
    )
    frame = national_frame(data)  # type: ignore[arg-type]
    flags = frame.set_index(["kommune", "year"])["estimate"]
    assert flags.to_dict() == {
        ("1508", 2021): True,
        ("1508", 2024): False,
        ("1580", 2021): False,
        ("1580", 2024): False,
    }
    write_national(frame, tmp_path, NationalProvenance(fetched_at="2026-12-06"))
    lines = (tmp_path / CSV_NAME).read_text("utf-8-sig").splitlines()
    assert (
        lines[0]
        == "indikator;indikatornavn;enhet;kommunenr;kommunenavn;år;verdi;status;anslag;kilde"
    )
    assert lines[1].split(";")[3:9] == ["1508", "Ålesund", "2021", "5,5", "", "Ja"]
    assert lines[2].split(";")[8] == "Nei"
    parquet = pd.read_parquet(tmp_path / PARQUET_NAME)
    assert parquet["anslag"].tolist() == [True, False, False, False]
    meta = json.loads((tmp_path / METADATA_NAME).read_text("utf-8"))
    assert "anslag" in meta["columns"]
    assert {e["id"]: e.get("estimates") for e in meta["indicators"]}["andel_18_66"] == 1
