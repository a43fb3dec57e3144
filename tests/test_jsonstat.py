"""The JSON-stat 2.0 reader: spec variants, row-major order, errors, chunks, pyjstat cross-check."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from minireplay import KEY, SOS, code, kostra_table
from pyjstat import pyjstat

from navbok.errors import ParseError
from navbok.sources import jsonstat

# pyjstat warns about its own internal use of from_json_stat.
pytestmark = pytest.mark.filterwarnings("ignore:Shouldn't use this function:DeprecationWarning")

REAL_12134 = Path("/work/shared/spec/ssb-12134-real-response.json")


def doc(dims: dict[str, list[str]], value: Any, **extra: Any) -> dict[str, Any]:
    """A minimal dataset with object indexes."""
    return {
        "version": "2.0",
        "class": "dataset",
        "id": list(dims),
        "size": [len(c) for c in dims.values()],
        "dimension": {
            d: {"category": {"index": {c: i for i, c in enumerate(codes)}}}
            for d, codes in dims.items()
        },
        "value": value,
        **extra,
    }


def cell(ds: jsonstat.Dataset, **coords: str) -> pd.Series:
    f = ds.frame
    mask = np.logical_and.reduce([f[d] == c for d, c in coords.items()])
    rows = f[mask]
    assert len(rows) == 1, rows
    return rows.iloc[0]


# -- dimensions -----------------------------------------------------------------------------------


def test_row_major_ordering_2x3x2() -> None:
    dims = {"a": ["a0", "a1"], "b": ["b0", "b1", "b2"], "c": ["c0", "c1"]}
    ds = jsonstat.parse(doc(dims, list(range(12))))
    assert ds.dims == ["a", "b", "c"]
    assert len(ds.frame) == 12
    # flat index = ia * 6 + ib * 2 + ic: the last dimension varies fastest
    assert cell(ds, a="a0", b="b0", c="c1")["value"] == 1
    assert cell(ds, a="a0", b="b1", c="c0")["value"] == 2
    assert cell(ds, a="a1", b="b0", c="c0")["value"] == 6
    assert cell(ds, a="a1", b="b2", c="c0")["value"] == 10
    assert cell(ds, a="a1", b="b2", c="c1")["value"] == 11
    assert list(ds.frame["value"]) == list(range(12))
    assert list(ds.frame["c"][:4]) == ["c0", "c1", "c0", "c1"]


def test_index_as_object_in_non_sorted_order() -> None:
    d = doc({"r": ["x", "y", "z"]}, [1, 2, 3])
    d["dimension"]["r"]["category"]["index"] = {"z": 2, "x": 0, "y": 1}
    ds = jsonstat.parse(d)
    assert list(ds.frame["r"]) == ["x", "y", "z"]
    assert list(ds.frame["value"]) == [1, 2, 3]


def test_index_as_array() -> None:
    d = doc({"r": ["x", "y"], "t": ["2020", "2021"]}, [1, 2, 3, 4])
    d["dimension"]["r"]["category"]["index"] = ["y", "x"]
    ds = jsonstat.parse(d)
    assert cell(ds, r="y", t="2021")["value"] == 2
    assert cell(ds, r="x", t="2020")["value"] == 3


def test_index_omitted_for_a_single_category() -> None:
    d = doc({"k": ["0"], "t": ["2020", "2021"]}, [5, 6])
    d["dimension"]["k"]["category"] = {"label": {"0": "Begge kjønn"}}
    ds = jsonstat.parse(d)
    assert list(ds.frame["k"]) == ["0", "0"]
    assert ds.labels["k"] == {"0": "Begge kjønn"}


def test_index_omitted_for_several_categories_is_an_error() -> None:
    d = doc({"k": ["1", "2"]}, [5, 6])
    d["dimension"]["k"]["category"] = {"label": {"1": "Menn", "2": "Kvinner"}}
    with pytest.raises(ParseError, match="index' and 2 labels"):
        jsonstat.parse(d, where="T1")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["dimension"]["r"]["category"].update(index={"x": 0, "y": 5}), "bad index"),
        (lambda d: d["dimension"].pop("r"), "'r' listed in 'id' is not described"),
        (lambda d: d.update(size=[3]), "2 categories but size says 3"),
        (lambda d: d.update(**{"class": "collection"}), "not supported"),
        (lambda d: d.pop("value"), "no 'value'"),
        (lambda d: d.pop("id"), "missing or bad 'id'"),
    ],
)
def test_malformed_datasets(change: Any, message: str) -> None:
    d = doc({"r": ["x", "y"]}, [1, 2])
    change(d)
    with pytest.raises(ParseError, match=message) as err:
        jsonstat.parse(d, where="SSB table 99999")
    assert "SSB table 99999" in str(err.value)


# -- values and status ----------------------------------------------------------------------------


def test_dense_value_with_nulls() -> None:
    ds = jsonstat.parse(doc({"r": ["x", "y", "z"]}, [1.5, None, 0]))
    values = ds.frame["value"]
    assert values[0] == 1.5 and math.isnan(values[1]) and values[2] == 0


def test_sparse_value_object() -> None:
    ds = jsonstat.parse(doc({"r": ["x", "y", "z", "w"]}, {"0": 7, "3": 9, "2": None}))
    assert list(ds.frame["value"].fillna(-1)) == [7, -1, -1, 9]


def test_sparse_value_out_of_range() -> None:
    with pytest.raises(ParseError, match="sparse value index 4 outside 0..1"):
        jsonstat.parse(doc({"r": ["x", "y"]}, {"4": 1}))


def test_status_as_one_string() -> None:
    ds = jsonstat.parse(doc({"r": ["x", "y"]}, [1, 2], status="p"))
    assert list(ds.frame["status"]) == ["p", "p"]


def test_status_as_array() -> None:
    ds = jsonstat.parse(doc({"r": ["x", "y", "z"]}, [1, None, None], status=["", ":", ".."]))
    assert pd.isna(ds.frame["status"][0])  # "" means no status
    assert list(ds.frame["status"][1:]) == [":", ".."]
    single = jsonstat.parse(doc({"r": ["x", "y"]}, [1, 2], status=["e"]))
    assert list(single.frame["status"]) == ["e", "e"]
    with pytest.raises(ParseError, match="'status' has 2 entries, expected 1 or 3"):
        jsonstat.parse(doc({"r": ["x", "y", "z"]}, [1, 2, 3], status=["a", "b"]))


def test_status_as_object() -> None:
    ds = jsonstat.parse(doc({"r": ["x", "y", "z"]}, [1, None, None], status={"1": ":", "2": "."}))
    assert pd.isna(ds.frame["status"][0])
    assert list(ds.frame["status"][1:]) == [":", "."]
    with pytest.raises(ParseError, match="status index 3 outside"):
        jsonstat.parse(doc({"r": ["x", "y", "z"]}, [1, 2, 3], status={"3": ":"}))


def test_no_status_is_none() -> None:
    # pandas 3 would infer a string column with NaN; the Dataset contract is None
    ds = jsonstat.parse(doc({"r": ["x", "y"]}, [1, None], status={"1": ":"}))
    assert ds.frame["status"][0] is None


def test_units_roles_labels_and_notes() -> None:
    d = doc({"ContentsCode": ["A", "B"], "Tid": ["2024"]}, [1, 2.25])
    d["dimension"]["ContentsCode"]["category"]["unit"] = {
        "A": {"base": "personer", "decimals": 0},
        "B": {"base": "prosent", "decimals": 2},
    }
    d["dimension"]["ContentsCode"]["category"]["label"] = {"A": "Mottakere"}
    d["role"] = {"time": ["Tid"], "metric": ["ContentsCode"]}
    d["note"] = "one note"
    ds = jsonstat.parse(d)
    assert ds.units["B"] == {"base": "prosent", "decimals": 2}
    assert ds.role("time") == "Tid" and ds.role("metric") == "ContentsCode"
    assert ds.role("geo") is None and ds.role("geo", "Region") == "Region"
    assert ds.labels["ContentsCode"] == {"A": "Mottakere", "B": "B"}
    assert ds.notes == ["one note"]


# -- errors ---------------------------------------------------------------------------------------


def test_truncated_json_names_the_response() -> None:
    text = json.dumps(doc({"r": ["x", "y"]}, [1, 2]))
    with pytest.raises(ParseError, match=r"ssb/13138_part2\.json: not valid JSON"):
        jsonstat.parse(text[: len(text) // 2], where="ssb/13138_part2.json")
    with pytest.raises(ParseError, match="expected a JSON object"):
        jsonstat.parse(b"[1, 2]", where="x")


def test_value_length_mismatch() -> None:
    with pytest.raises(ParseError, match=r"T: 'value' has 3 cells, expected 4 \(truncated\?\)"):
        jsonstat.parse(doc({"r": ["x", "y"], "t": ["1", "2"]}, [1, 2, 3]), where="T")


# -- chunks ---------------------------------------------------------------------------------------


def chunk(years: list[str], start: int, synthetic: bool = False) -> jsonstat.Dataset:
    d = doc({"r": ["x", "y"], "Tid": years}, list(range(start, start + 2 * len(years))))
    d["dimension"]["r"]["category"]["label"] = {"x": "X", "y": "Y"}
    d["updated"] = f"2025-0{start}-01"
    if synthetic:
        d["note"] = ["SYNTETISKE DATA: test"]
    return jsonstat.parse(d)


def test_concat_along_tid() -> None:
    joined = jsonstat.concat([chunk(["2015", "2016"], 1), chunk(["2017"], 5, synthetic=True)])
    assert len(joined.frame) == 6
    assert cell(joined, r="y", Tid="2017")["value"] == 6
    assert cell(joined, r="x", Tid="2016")["value"] == 2
    assert joined.labels["r"] == {"x": "X", "y": "Y"}
    assert joined.updated == "2025-05-01"
    assert joined.synthetic and joined.extension["synthetic"] is True


def test_concat_overlapping_chunks_is_an_error() -> None:
    with pytest.raises(ParseError, match="SSB table 1: chunks overlap"):
        jsonstat.concat([chunk(["2015", "2016"], 1), chunk(["2016"], 5)], where="SSB table 1")
    with pytest.raises(ParseError, match="no chunks"):
        jsonstat.concat([])


def test_concat_different_dimensions_is_an_error() -> None:
    other = jsonstat.parse(doc({"q": ["x"], "Tid": ["2017"]}, [1]))
    with pytest.raises(ParseError, match="different dimensions"):
        jsonstat.concat([chunk(["2015"], 1), other])


# -- synthetic flag -------------------------------------------------------------------------------


def test_synthetic_flag() -> None:
    plain = doc({"r": ["x"]}, [1])
    assert not jsonstat.parse(plain).synthetic
    assert jsonstat.parse({**plain, "extension": {"synthetic": True}}).synthetic
    assert not jsonstat.parse({**plain, "extension": {"synthetic": False}}).synthetic
    assert jsonstat.parse({**plain, "note": ["x", "SYNTETISKE DATA: demo"]}).synthetic
    assert not jsonstat.parse({**plain, "note": ["Ikke SYNTETISKE DATA"]}).synthetic


# -- pyjstat cross-check --------------------------------------------------------------------------


def compare_with_pyjstat(text: str) -> tuple[jsonstat.Dataset, pd.DataFrame]:
    ours = jsonstat.parse(text)
    theirs = pyjstat.Dataset.read(text).write("dataframe", naming="id")
    assert list(theirs.columns) == [*ours.dims, "value"]
    for d in ours.dims:
        assert list(theirs[d].astype(str)) == list(ours.frame[d].astype(str))
    np.testing.assert_array_equal(
        theirs["value"].to_numpy(dtype=float), ours.frame["value"].to_numpy(dtype=float)
    )
    return ours, theirs


@pytest.mark.skipif(not REAL_12134.is_file(), reason="real SSB 12134 sample not available")
def test_real_ssb_response_matches_pyjstat() -> None:
    ours, _ = compare_with_pyjstat(REAL_12134.read_text("utf-8"))
    assert cell(ours, KOKkommuneregion0000="0301")["value"] == 81240
    assert ours.role("geo") == "KOKkommuneregion0000"
    assert not ours.synthetic


def test_synthetic_table_matches_pyjstat_and_keeps_status() -> None:
    table = kostra_table("12210", range(2015, 2023), KEY)
    ours, theirs = compare_with_pyjstat(json.dumps(table))
    assert ours.synthetic
    status = ours.frame["status"]
    # pyjstat has no status column at all; we keep every symbol of the table.
    assert "status" not in theirs.columns
    assert set(status.dropna()) == {"..", ":", "."}
    assert status.notna().sum() == len(table["status"])
    region = "KOKkommuneregion0000"
    lardal = cell(ours, **{region: "0728"}, ContentsCode=code("KOSkvpmott0000"), Tid="2016")
    assert lardal["status"] == ":" and math.isnan(lardal["value"])
    baerum = cell(ours, **{region: "0219"}, ContentsCode=code("KOSkvpmott0000"), Tid="2020")
    assert baerum["status"] == ".." and math.isnan(baerum["value"])
    oslo = cell(ours, **{region: "0301"}, ContentsCode=code("KOSkvparbutd0000"), Tid="2015")
    assert oslo["status"] == "." and math.isnan(oslo["value"])


def test_sparse_dataset_matches_pyjstat() -> None:
    dense = kostra_table("13995", range(2022, 2025), SOS, old=False)
    sparse = copy.deepcopy(dense)
    sparse["value"] = {str(i): v for i, v in enumerate(dense["value"]) if v is not None}
    compare_with_pyjstat(json.dumps(sparse))
    a = jsonstat.parse(dense).frame
    b = jsonstat.parse(sparse).frame
    pd.testing.assert_frame_equal(a, b)
