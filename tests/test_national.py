"""navbok.national: the country's indicator table and its open downloads (CSV, Parquet, JSON)."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from navbok import indicators as ind
from navbok.data import NavData
from navbok.national import (
    COLUMNS,
    CSV_NAME,
    METADATA_NAME,
    PARQUET_NAME,
    NationalError,
    NationalProvenance,
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
    assert raw.startswith(b"\xef\xbb\xbfindicator;indicator_name;unit;kommune;")
    assert b"\r\n" in raw
    back = pd.read_csv(
        io.BytesIO(raw),
        sep=";",
        decimal=",",
        encoding="utf-8-sig",
        dtype={"kommune": str, "status": str, "source": str},
        keep_default_na=False,
        na_values={"value": [""]},
    )
    pd.testing.assert_frame_equal(back, frame, check_dtype=False)
    assert set(back["status"]) <= {"", ":", "..", "."}

    parquet = pd.read_parquet(tmp_path / PARQUET_NAME)
    pd.testing.assert_frame_equal(parquet, frame, check_dtype=False)
    assert str(parquet["year"].dtype) == "int64"

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
