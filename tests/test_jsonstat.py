"""The JSON-stat 2.0 reader: spec variants, row-major order, errors, chunks, pyjstat cross-check."""

from __future__ import annotations

import copy
import json
import math
import re
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
        (lambda d: d.update(**{"class": "collection"}), "'collection' is not a dataset"),
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


# -- bad input: every problem one clear ParseError ------------------------------------------------

VALIDATOR_CASES = Path(__file__).parent / "data" / "jsonstat-validator-cases.json"

# navbok's answer to each case of jsonstat/validator's corpus: None = read as a dataset, else the
# ParseError message. The validator's "valid" collection is valid JSON-stat but not a dataset, and
# its deprecated 1.0 bundle is refused the same way; "metric-unit-missing" is only a warning there.
CORPUS_EXPECTED: dict[str, str | None] = {
    "valid/minimal-dataset": None,
    "valid/sparse-dataset": None,
    "valid/hierarchy": None,
    "invalid/metric-unit-missing": None,
    "valid/collection-embedded": r"class 'collection' is not a dataset",
    "invalid/bundle-deprecated": r"JSON-stat 1\.0 bundle of datasets \('unemployment'\), not a",
    "invalid/value-len-mismatch": r"'value' has 3 cells, expected 4",
    "invalid/id-size-len-mismatch": r"'id' names 3 dimensions but 'size' has 2 entries",
    "invalid/dim-key-id-mismatch": r"dimension 'year' listed in 'id' is not described",
    "invalid/sparse-key-out-of-range": r"sparse value index 5 outside 0\.\.3",
    "invalid/role-id-unknown": r"role 'time' names dimension 'nope', which is not in 'id'",
    "invalid/status-len-mismatch": r"'status' has 3 entries, expected 1 or 4",
    "invalid/index-count-mismatch": r"dimension 'sex' has 2 categories but size says 3",
    "invalid/index-positions-invalid": r"dimension 'sex': bad index position 2 of code 'F'",
    "invalid/label-key-unknown": r"category 'label' names code 'X', which is not in the index",
    "invalid/unit-key-unknown": r"category 'unit' names code 'Q', which is not in the index",
    "invalid/coord-key-unknown": r"category 'coordinates' names code 'Z', which is not in",
    "invalid/note-key-unknown": r"category 'note' names code 'W', which is not in the index",
    "invalid/child-id-unknown": r"category 'child' of 'A' names code 'XX', which is not in",
    "invalid/child-cycle": r"dimension 'geo': category 'child' has a cycle through 'A'",
}


def corpus_cases() -> list[dict[str, Any]]:
    return json.loads(VALIDATOR_CASES.read_text("utf-8"))["cases"]


def test_validator_corpus_cases_navbok_refuses() -> None:
    cases = corpus_cases()
    assert sorted(c["id"] for c in cases) == sorted(CORPUS_EXPECTED)
    assert [sum(c["group"] == g for c in cases) for g in ("valid", "invalid")] == [4, 16]
    wrong = []
    for case in cases:
        expected = CORPUS_EXPECTED[case["id"]]
        if expected is None:
            continue
        body = case["input"]
        for how, read in (
            ("text", lambda body=body: jsonstat.parse(json.dumps(body), where="case.json")),
            ("dict", lambda body=body: jsonstat.parse(copy.deepcopy(body), where="case.json")),
            (
                "subset",
                lambda body=body: jsonstat.subset(copy.deepcopy(body), {}, where="case.json"),
            ),
        ):
            try:
                read()
            except ParseError as exc:
                message = str(exc)
                if not (re.search(expected, message) and message.startswith("case.json: ")):
                    wrong.append(f"{case['id']} ({how}): {message}")
            except Exception as exc:  # the point is to list every raw exception
                wrong.append(f"{case['id']} ({how}): raw {type(exc).__name__}: {exc}")
            else:
                wrong.append(f"{case['id']} ({how}): accepted")
    assert wrong == []


def test_validator_corpus_cases_navbok_reads() -> None:
    accepted = [c for c in corpus_cases() if CORPUS_EXPECTED[c["id"]] is None]
    assert len(accepted) == 4
    for case in accepted:
        body = case["input"]
        ds = jsonstat.parse(json.dumps(body), where="case")
        assert len(ds.frame) == math.prod(body["size"])
        whole = jsonstat.subset(copy.deepcopy(body), {}, where="case")
        assert whole is not None
        pd.testing.assert_frame_equal(jsonstat.parse(whole).frame, ds.frame)
        # A selection of the first and last code: hierarchies, units keep only kept codes.
        first = body["id"][0]
        codes = list(ds.labels[first])
        wanted = {first: [codes[0], codes[-1]]}
        sub = jsonstat.subset(copy.deepcopy(body), wanted, where="case")
        assert sub is not None
        part = jsonstat.parse(sub, where="case")
        assert list(part.labels[first]) == sorted(set(wanted[first]), key=codes.index)
        category = sub["dimension"][first]["category"]
        for key in ("child", "unit", "note"):
            assert set(category.get(key) or {}) <= set(wanted[first])
        for kids in (category.get("child") or {}).values():
            assert set(kids) <= set(wanted[first])


def test_enormous_size_is_refused_before_allocating() -> None:
    # About 60 kB of text that claims 2 000³ = 8·10⁹ cells (≈ 200 GiB as a frame).
    dims = {d: [f"{d}{i}" for i in range(2000)] for d in ("a", "b", "c")}
    body = doc(dims, {})
    for d in dims:
        body["dimension"][d]["category"]["index"] = dims[d]
    text = json.dumps(body)
    assert len(text) < 70_000
    cap = f"{jsonstat.MAX_CELLS:,}"
    assert jsonstat.MAX_CELLS == 4_000_000
    with pytest.raises(ParseError, match=rf"big\.json: 'size' .* makes 8,000,000,000 cells.*{cap}"):
        jsonstat.parse(text, where="big.json")
    body["value"] = []
    with pytest.raises(ParseError, match="8,000,000,000 cells"):
        jsonstat.parse(json.dumps(body), where="big.json")
    with pytest.raises(ParseError, match="8,000,000,000 cells"):
        jsonstat.subset(body, {"a": ["a1"]}, where="big.json")
    # Below the cap a sparse table of 2 000 cells is read.
    ds = jsonstat.parse(doc({"r": [str(i) for i in range(1000)], "t": ["1", "2"]}, {"1999": 5}))
    assert len(ds.frame) == 2000 and ds.frame["value"].iloc[-1] == 5


def index_object(codes_positions: str) -> str:
    """A one-dimension dataset text with the given (raw JSON) index object."""
    return (
        '{"version": "2.0", "class": "dataset", "id": ["r"], "size": [2], '
        f'"dimension": {{"r": {{"category": {{"index": {codes_positions}}}}}}}, "value": [1, 2]}}'
    )


def test_duplicate_codes_and_positions() -> None:
    twice = doc({"r": ["x", "y"]}, [1, 2])
    twice["dimension"]["r"]["category"]["index"] = ["x", "x"]
    with pytest.raises(ParseError, match=r"T: dimension 'r': code 'x' appears twice in the index"):
        jsonstat.parse(twice, where="T")
    d = doc({"r": ["x", "y"]}, [1, 2])
    d["dimension"]["r"]["category"]["index"] = {"x": 0, "y": 0}
    with pytest.raises(ParseError, match=r"T: dimension 'r': codes 'x' and 'y' share index posi"):
        jsonstat.parse(d, where="T")
    with pytest.raises(ParseError, match=r"T: key 'x' appears twice in one JSON object"):
        jsonstat.parse(index_object('{"x": 0, "x": 1}'), where="T")
    with pytest.raises(ParseError, match=r"T: dimension 'r' appears twice in 'id'"):
        jsonstat.parse({**doc({"r": ["x"]}, [1]), "id": ["r", "r"], "size": [1, 1]}, where="T")
    for wanted in ({}, {"r": ["x"]}):
        with pytest.raises(ParseError, match="code 'x' appears twice"):
            jsonstat.subset(copy.deepcopy(twice), wanted, where="T")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([1, "2"], r"value 1 is '2' \(values must be numbers or null\)"),
        ([True, 2], r"value 0 is True"),
        ([1, float("nan")], r"value 1 is nan"),
        ([float("-inf"), 1], r"value 0 is -inf"),
        ([1, 10**400], r"value 1 is too large for a number"),
        ({"0": "7"}, r"value 0 is '7'"),
        ({"1": False}, r"value 1 is False"),
        ({"1": float("inf")}, r"value 1 is inf"),
        ({"01": 1}, r"sparse value key '01' is not a cell number"),
        ({"x": 1}, r"sparse value key 'x' is not a cell number"),
        ({"-1": 1}, r"sparse value key '-1' is not a cell number"),
    ],
)
def test_values_must_be_numbers_or_null(value: Any, message: str) -> None:
    with pytest.raises(ParseError, match="T: " + message):
        jsonstat.parse(doc({"r": ["x", "y"]}, value), where="T")
    with pytest.raises(ParseError, match="T: " + message):
        jsonstat.subset(doc({"r": ["x", "y"]}, value), {"r": ["x"]}, where="T")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_in_the_text(constant: str) -> None:
    text = json.dumps(doc({"r": ["x", "y"]}, [1, 2])).replace("[1, 2]", f"[1, {constant}]")
    with pytest.raises(ParseError, match=rf"T: {constant} is not a JSON number"):
        jsonstat.parse(text, where="T")


def test_not_utf8() -> None:
    with pytest.raises(ParseError, match="T: not UTF-8 text"):
        jsonstat.parse(b'{"label": "\xff\xfe\xfa"}', where="T")


def set_in(path: str, value: Any) -> Any:
    """A change that sets doc[path] (keys separated by dots)."""

    def change(d: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        for key in parents:
            d = d[key]
        d[last] = value

    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (set_in("id", "r"), r"missing or bad 'id' \(must be a list of dimension names\)"),
        (set_in("id", [1]), r"missing or bad 'id'"),
        (set_in("size", ["2"]), r"missing or bad 'size' \(must be a list of whole numbers"),
        (set_in("size", [2.0]), r"missing or bad 'size'"),
        (set_in("size", [-2]), r"missing or bad 'size'"),
        (set_in("size", [True]), r"missing or bad 'size'"),
        (set_in("size", 2), r"missing or bad 'size'"),
        (set_in("dimension", [{"r": 1}]), r"missing or bad 'dimension' \(must be an object\)"),
        (set_in("dimension.r", "x"), r"dimension 'r' must be an object"),
        (set_in("dimension.q", {"category": {}}), r"dimension 'q' is described but not listed"),
        (set_in("dimension.r.label", 5), r"dimension 'r': 'label' must be a string"),
        (set_in("dimension.r.category.index", None), r"'index' must be an object or array"),
        (set_in("dimension.r.category.index", [1, 2]), r"index entry 0 is 1, not a code"),
        (set_in("dimension.r.category.index", {"x": 0, "y": True}), r"bad index position True"),
        (set_in("dimension.r.category.label", ["X", "Y"]), r"category 'label' must be an object"),
        (set_in("dimension.r.category.label", {"x": 1}), r"the label of 'x' must be a string"),
        (set_in("dimension.r.category.unit", ["u"]), r"category 'unit' must be an object"),
        (set_in("dimension.r.category.unit", {"x": 1}), r"the unit of 'x' must be an object"),
        (set_in("dimension.r.category.child", {"x": "y"}), r"'child' of 'x' must be a list"),
        (set_in("role", ["r"]), r"'role' must be an object"),
        (set_in("role", {"time": "r"}), r"role 'time' must be a list of dimension names"),
        (set_in("role", {"geo": ["Region"]}), r"role 'geo' names dimension 'Region', which is"),
        (set_in("note", 5), r"'note' must be a list of strings"),
        (set_in("note", [{"x": 1}]), r"'note' must be a list of strings"),
        (set_in("label", ["t"]), r"'label' must be a string"),
        (set_in("updated", 2024), r"'updated' must be a string"),
        (set_in("extension", [1]), r"'extension' must be an object"),
        (set_in("status", 5), r"'status' must be a string, array or object"),
        (set_in("status", [1, 2]), r"status 0 is 1, not a symbol"),
        (set_in("status", {"1": 3}), r"status 1 is 3, not a symbol"),
        (set_in("status", {"x": ":"}), r"status key 'x' is not a cell number"),
        (set_in("value", "1,2"), r"'value' must be an array or an object"),
        (set_in("version", "1.0"), r"JSON-stat version '1.0' is not supported"),
        (set_in("class", "dimension"), r"class 'dimension' is not a dataset"),
    ],
)
def test_wrong_types_are_clear_errors(change: Any, message: str) -> None:
    d = doc({"r": ["x", "y"]}, [1, 2])
    change(d)
    with pytest.raises(ParseError, match="SSB table 1: .*" + message) as err:
        jsonstat.parse(copy.deepcopy(d), where="SSB table 1")
    assert "\n" not in str(err.value)
    with pytest.raises(ParseError, match="SSB table 1: .*" + message):
        jsonstat.subset(d, {"r": ["x"]}, where="SSB table 1")


def test_subset_keeps_notes_children_and_coordinates_of_kept_codes() -> None:
    d = doc({"r": ["x", "y", "z"]}, [1, 2, 3])
    category = d["dimension"]["r"]["category"]
    category["note"] = {"x": ["nx"], "y": ["ny"]}
    category["child"] = {"x": ["y", "z"], "y": ["z"]}
    category["coordinates"] = {"y": [1.0, 2.0]}
    sub = jsonstat.subset(d, {"r": ["x", "z"]})
    assert sub is not None
    kept = sub["dimension"]["r"]["category"]
    assert kept["note"] == {"x": ["nx"]}
    assert kept["child"] == {"x": ["z"]}
    assert kept["coordinates"] == {}
    assert list(jsonstat.parse(sub).frame["value"]) == [1, 3]
