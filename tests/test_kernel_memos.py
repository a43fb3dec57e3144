"""The kernel's shortcuts (issue 25, second and third rounds) give exactly what the plain
computation gives: the caption notes' column-wise early exits, a figure's download numbers
read by dtype, the barometer chapter's per-chapter memos (a standing, the pulling-down table,
the published ranks), workbooks joined from zip entries compressed once, the shared AAP ratio
table, line charts and figure tables read column by column, the groups' copy, bar labels and
rows read in bulk (``named_rows``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from navbok import status
from navbok.analysis import barometer as kb
from navbok.analysis import barometer_tables as kbt
from navbok.comparison import Kind
from navbok.measures import BORDERS_UNKNOWN_SOURCE
from navbok.present.exports import MarkedFrame
from navbok.present.figure import download_frame
from navbok.reference import load_reference
from navbok.report.figures import borders_unknown_note


def _plain_borders_note(df: pd.DataFrame) -> str:
    """borders_unknown_note without its early exit (the filter it always ran)."""
    gone = df[
        df["kind"].isin([Kind.KOSTRAGRUPPE, Kind.FYLKE])
        & df["Verdi"].isna()
        & (df["status"] == status.NOT_AVAILABLE)
        & df["source"].astype(str).str.contains(BORDERS_UNKNOWN_SOURCE, regex=False)
    ]
    return "" if gone.empty else borders_unknown_note(df)


def _frame(kinds: list[Kind], values: list[float], statuses: list[str | None]) -> pd.DataFrame:
    n = len(kinds)
    return pd.DataFrame(
        {
            "kind": kinds,
            "Serie": [f"Serie {k}" for k in kinds],
            "År": list(range(2015, 2015 + n)),
            "Verdi": values,
            "status": statuses,
            "source": [
                f"tabell; {BORDERS_UNKNOWN_SOURCE}" if i % 2 else "tabell" for i in range(n)
            ],
        }
    )


@pytest.mark.parametrize("seed", range(40))
def test_the_borders_note_early_exit_gives_the_plain_note(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 9))
    kinds = [Kind(k) for k in rng.choice([k.value for k in Kind], n)]
    values = [float("nan") if rng.random() < 0.5 else float(rng.random()) for _ in range(n)]
    statuses = [rng.choice([None, status.NOT_AVAILABLE, ":"]) for _ in range(n)]
    df = _frame(kinds, values, statuses)
    assert borders_unknown_note(df) == _plain_borders_note(df)


def test_the_borders_note_still_names_a_missing_group() -> None:
    df = _frame(
        [Kind.KOMMUNE, Kind.KOSTRAGRUPPE, Kind.KOSTRAGRUPPE, Kind.FYLKE],
        [1.0, float("nan"), float("nan"), float("nan")],
        [None, status.NOT_AVAILABLE, status.NOT_AVAILABLE, None],
    )
    note = borders_unknown_note(df)
    assert note and note == _plain_borders_note(df)
    assert "Serie kostragruppe (2016)" in note


def _plain_download_frame(numbers: pd.DataFrame, decimals: object) -> pd.DataFrame:
    """download_frame's numbers as it read them column by column."""
    data = numbers
    whole = [
        c
        for c in data.columns
        if pd.api.types.is_float_dtype(data[c])
        and (decimals if not isinstance(decimals, dict) else decimals.get(str(c))) == 0
    ]
    if not whole:
        return data
    out = data.copy()
    for c in whole:
        out[c] = out[c].round().astype("Int64")
    return out


@pytest.mark.parametrize("decimals", [None, 0, 1, {"a": 0, "c": 1}, {"b": 0}])
def test_download_numbers_read_by_dtype_are_the_plain_ones(decimals: object) -> None:
    frame = pd.DataFrame(
        {"Serie": ["x", "y"], "a": [1.4, np.nan], "b": [1, 2], "c": [2.6, 3.0]},
    )
    got = download_frame(frame, decimals).frame  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(got, _plain_download_frame(frame, decimals))
    repeated = pd.DataFrame([[1.4, 2.5, "z"]], columns=["a", "a", "Serie"])
    got = download_frame(MarkedFrame.of(repeated), decimals).frame  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(got, _plain_download_frame(repeated, decimals))


@pytest.fixture(scope="module")
def views(replay_data):  # type: ignore[no-untyped-def]
    from navbok.params import params_for
    from navbok.report import Report

    codes = replay_data.register.target_codes
    return [Report(replay_data, params_for(replay_data, c)).barometer for c in codes[:12]]


def test_the_kept_standing_and_pulling_table_are_the_computed_ones(views) -> None:  # type: ignore[no-untyped-def]
    scored = 0
    for v in views:
        graded, ranking = v.results()
        _, year = v.year()
        plain = kb.standing(ranking, v.ctx.kommune, year)
        assert v.standing() == plain and v.standing() is v.standing()
        if not plain.has_score:
            continue
        scored += 1
        expected = kbt.pulling_down(graded, v.ctx.kommune, year)
        first = v.pulling_down(year)
        pd.testing.assert_frame_equal(first, expected)
        first.loc[:, "contribution"] = 99.0  # a caller's change does not reach the memo
        pd.testing.assert_frame_equal(v.pulling_down(year), expected)
    assert scored  # the replay has scored municipalities among the first ones


def test_the_kept_published_ranks_are_read_from_the_file() -> None:
    from navbok.report.barometer import _published_ranks

    f = load_reference(kbt.BAERUM_REFERENCE).frame
    for kommune in [*sorted(set(f["region"])), "0301", "9999"]:
        rows = f[(f["region"] == kommune) & (f["measure"] == "rank")]
        plain = {
            int(y): int(float(v))
            for y, v in zip(rows["barometer_year"], rows["value"], strict=True)
        }
        got = _published_ranks(kommune)
        assert got == plain
        got[1900] = 1  # a copy: the next caller gets the file's ranks
        assert _published_ranks(kommune) == plain


def _plain_table_cells(t: pd.DataFrame, years: list[int], year: int, gone) -> tuple:  # type: ignore[no-untyped-def]
    """The barometer table's cells as they were read from the frame (groupby, set_index, loc)."""
    from navbok.analysis.barometer_config import key_figures
    from navbok.present.numbers import fmt_number
    from navbok.report.barometer import BETTER, GAP_WORDS, gap_symbol

    missing = status.NOT_AVAILABLE
    first = {k.id: k.first_year or 0 for k in key_figures()}
    cells, used = [], set()
    for kf, rows in t.groupby("key_figure", sort=False):
        if kf in gone:
            continue
        rows = rows.set_index("year")
        row = [f"{kf} (god: {BETTER[rows['better'].iloc[0]]})"]
        for y in years:
            r = rows.loc[y] if y in rows.index else None
            cell = (
                gap_symbol(y, first.get(str(kf), 0))
                if r is None
                else f"{fmt_number(r['value'], 2, status=missing)} {r['arrow']}".strip()
            )
            used.update(c for c in (cell,) if c in GAP_WORDS)
            if r is not None and r["value"] != r["value"]:
                used.add(missing)
            row.append(cell)
        last = rows.loc[year] if year in rows.index else None
        for col in ("average", "best", "worst", "grade"):
            row.append(missing if last is None else fmt_number(last[col], 2, status=missing))
            used.update([missing] if last is None or last[col] != last[col] else [])
        cells.append(row)
    return cells, used


def test_the_barometer_table_cells_read_as_records_are_the_frame_ones(views) -> None:  # type: ignore[no-untyped-def]
    from navbok.report.barometer import table_cells

    for v in views:
        graded, _ = v.results()
        _, year = v.year()
        # the chapter's five years, and years the municipality lacks (gap symbols)
        for years in ([*range(year - 4, year + 1)], [year - 20, year - 1, year]):
            t = kbt.kommune_table(graded, v.ctx.kommune, years)
            for gone in ({}, v.unpublished(), {str(t["key_figure"].iloc[0]): "x"}):
                assert table_cells(t, years, year, gone) == _plain_table_cells(t, years, year, gone)


def test_a_renamed_comparison_frame_is_the_frame_renamed(views) -> None:  # type: ignore[no-untyped-def]
    from navbok import indicators as ind
    from navbok.data import comparison_frame

    names = {"series": "Serie", "year": "År", "value": "Verdi"}
    checked = 0
    for v in views:
        for indicator in list(ind.register())[:8]:
            rows = v.ctx.comparison_rows(indicator, tuple(v.ctx.years))
            for part in (rows, rows[:1], []):
                plain = comparison_frame(part).rename(columns=names)
                pd.testing.assert_frame_equal(comparison_frame(part, names), plain)
                checked += bool(part)
    assert checked


def test_the_kept_decompositions_are_the_computed_ones(replay_data) -> None:  # type: ignore[no-untyped-def]
    from navbok.analysis import growth
    from navbok.params import params_for
    from navbok.report import Report
    from navbok.report.growth import shared_decomposition

    def same(a: growth.Decomposition, b: growth.Decomposition) -> bool:
        return repr(a) == repr(b)  # every field, NaN equal to NaN

    measures = replay_data.measures
    for code in replay_data.register.target_codes[:6]:
        views = Report(replay_data, params_for(replay_data, code)).growth
        ctx = views.ctx
        year0, year1 = views._period(None, None)
        series = {k: v for k, v in views.series(year1).items() if v}
        plain = growth.compare(measures, series, year0, year1)
        pd.testing.assert_frame_equal(views.table(year0, year1).iloc[: len(series)], plain)
        for y0, y1 in ((year0, year1), (ctx.years[0], ctx.years[-1])):
            own = growth.decompose_regions(measures, ctx.kommune, y0, y1, label=ctx.name)
            assert same(views.decompose(y0, y1), own)
            assert views.decompose(y0, y1) is views.decompose(y0, y1)  # kept, and frozen
            _, members, *_ = views.group(y1)
            if members:
                kept = shared_decomposition(replay_data, tuple(members), y0, y1, "")
                assert same(kept, growth.decompose_regions(measures, members, y0, y1))


def test_the_sensitivity_read_by_position_is_the_filtered_one(views) -> None:  # type: ignore[no-untyped-def]
    from navbok.key_figures import barometer_scenarios
    from navbok.report.barometer import scenario_positions

    checked = 0
    for v in views:
        graded, _ = v.results()
        _, year = v.year()
        if not v.standing().has_score:
            continue
        rankings = barometer_scenarios(v.ctx.data, year)
        for printed in (True, False):
            scenarios = kbt.default_scenarios(printed=printed)
            positions = scenario_positions(v.ctx.data, year)
            fast = kbt.sensitivity(
                graded, v.ctx.kommune, year, scenarios, rankings=rankings, positions=positions
            )
            plain = kbt.sensitivity(graded, v.ctx.kommune, year, scenarios, rankings=rankings)
            pd.testing.assert_frame_equal(fast, plain)
            checked += 1
        assert positions is scenario_positions(v.ctx.data, year)  # kept per snapshot and year
    assert checked


def test_the_stat_signature_reads_a_changed_manifest_again(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json
    import os

    from navbok.data import _stat_signature

    def plain(root) -> tuple:  # type: ignore[no-untyped-def]
        manifest = json.loads((root / "manifest.json").read_text("utf-8"))
        names = [e["name"] if isinstance(e, dict) else str(e) for e in manifest["files"]]
        out = []
        for name in sorted([*names, "manifest.json"]):
            st = (root / name).stat()
            out.append((name, st.st_size, st.st_mtime_ns, st.st_ino))
        return tuple(out)

    for name in ("a.csv", "b.csv"):
        (tmp_path / name).write_text(name)
    (tmp_path / "manifest.json").write_text(json.dumps({"files": [{"name": "a.csv"}]}))
    assert _stat_signature(tmp_path) == plain(tmp_path)
    assert _stat_signature(tmp_path) == plain(tmp_path)  # the manifest kept: the same
    (tmp_path / "manifest.json").write_text(json.dumps({"files": ["a.csv", "b.csv"]}))
    st = (tmp_path / "manifest.json").stat()
    os.utime(tmp_path / "manifest.json", ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert _stat_signature(tmp_path) == plain(tmp_path)
    assert [n for n, *_ in _stat_signature(tmp_path)] == ["a.csv", "b.csv", "manifest.json"]
    (tmp_path / "manifest.json").write_text("{")  # unreadable: no signature, as before
    assert _stat_signature(tmp_path) is None


# ---------------------------------------------------------------- workbooks: parts zipped once


@pytest.mark.parametrize("sheet_name", ["Tall", "Figur en lang tittel"])
@pytest.mark.parametrize("with_about", [False, True])
def test_workbook_from_parts_compressed_once_is_zipfiles_archive(
    sheet_name: str, with_about: bool
) -> None:
    """The workbook joined from entries compressed once per process has the bytes of the
    archive zipfile writes entry by entry, for several tables in a row (the kept parts and
    the kept sheet «Om dataene» are reused, never changed)."""
    from navbok.present import exports as ex
    from navbok.present.plain_table import plain_table

    prov = ex.Provenance("SSB 1", "2024-01-01", "SSB 1" if with_about else "")
    tables = [
        pd.DataFrame({"Serie": ["a & b", "c"], "2024": [1.5, None], "n": [1, 2]}),
        pd.DataFrame({"År": list(range(2000, 2030)), "Verdi": np.linspace(0, 1, 30)}),
        pd.DataFrame({"Navn": ["x"] * 3, "Antall": [1, 2, 3]}),
    ]
    template = ex._template(sheet_name, with_about)
    assert template is not None and ex._compressed_parts(sheet_name, with_about) is not None
    for df in tables * 2:
        about = ex.about_frame(prov) if with_about else None
        sheets = {ex._SHEET_PATH: ex._sheet_xml(df)}
        if about is not None:
            sheets[ex._ABOUT_PATH] = ex._sheet_xml(about)
        reference = ex._zip_entries(template, sheets)
        assert ex._xlsx_fast(df, sheet_name, about) == reference
        if with_about:
            table = plain_table(df)
            assert table is not None
            assert ex.xlsx_bytes(table, sheet_name, provenance=prov) == reference


def test_the_kept_ratio_table_is_the_computed_one(views) -> None:  # type: ignore[no-untyped-def]
    """The ratio table the introduction and the AAP chapter share is the one computed from
    the comparison frames, for every pairing's years, and a caller's change stays its own."""
    from navbok.analysis.aap import ratio_table

    checked = 0
    for v in views:
        ctx = v.ctx
        pairing = ctx.aap_periods.pairing(ctx.params.aap_year)
        if pairing is None:
            continue
        a = pairing.aap
        for sos_year in (pairing.sos_year, a.year, ctx.years[0]):
            aap = ctx.comparison(a.indicator, [a.year])
            sos = ctx.comparison("andel_18_66", [sos_year])
            plain = ratio_table(aap, sos, a.year, sos_year)
            kept = ctx.ratio_table(a.indicator, a.year, sos_year)
            pd.testing.assert_frame_equal(kept, plain)
            kept["aap"] = -1.0
            pd.testing.assert_frame_equal(ctx.ratio_table(a.indicator, a.year, sos_year), plain)
            checked += 1
    assert checked


def test_a_line_chart_read_column_by_column_is_the_one_from_the_copied_frame(views) -> None:  # type: ignore[no-untyped-def]
    """A line chart that reads its three columns once each is the one made from the copy of
    the three (the way a frame with repeated column names still goes), for comparison frames
    with estimates and gaps, dates on the x axis and a numeric series column."""
    from navbok import indicators as ind
    from navbok.present.chart_specs import line_chart

    def both(df: pd.DataFrame, **kw) -> None:  # type: ignore[no-untyped-def]
        repeated = df.copy()
        repeated.insert(len(df.columns), "z", 0, allow_duplicates=True)
        repeated.insert(len(repeated.columns), "z", 1, allow_duplicates=True)
        args = dict(focus="A", title="T", description="D", y_title="Y", **kw)
        assert line_chart(df, **args) == line_chart(repeated, **args)

    names = {"series": "Serie", "year": "År", "value": "Verdi"}
    checked = 0
    for v in views[:6]:
        for indicator in list(ind.register())[:10]:
            df = v.ctx.comparison(indicator, names=names)
            if df.empty:
                continue
            kinds = dict(zip(df["Serie"], df["kind"].astype(str), strict=True))
            both(df, x="År", y="Verdi", series="Serie", kinds=kinds, estimate="estimate")
            checked += 1
    assert checked
    dates = pd.DataFrame(
        {
            "t": pd.to_datetime(["2020-01-01", "2021-01-01", "2021-06-01"]),
            "v": [1.0, float("nan"), 3.0],
            "s": [1, 2, 2],
            "e": [True, None, False],
        }
    )
    both(dates, x="t", y="v", series="s", estimate="e", reference=2.0)
    both(dates, x="t", y="v", series="s")


def test_the_groups_copy_is_a_deep_copy(replay_data) -> None:  # type: ignore[no-untyped-def]
    """The comparison groups each caller gets are equal to a deep copy of the kept ones and
    share no list or dict with them (every field, also one added later)."""
    import copy
    import dataclasses

    for code in replay_data.register.target_codes[:8]:
        kept = replay_data.groups(code)
        got = kept.copy()
        assert got == copy.deepcopy(kept)
        for f in dataclasses.fields(kept):
            value = getattr(kept, f.name)
            if isinstance(value, list | dict):
                assert getattr(got, f.name) is not value
                if isinstance(value, dict):
                    for k, v in value.items():
                        assert not isinstance(v, list | dict) or getattr(got, f.name)[k] is not v
        got.asss.setdefault(2020, []).append("x")
        assert replay_data.groups(code) == copy.deepcopy(kept)


def test_a_figure_table_column_read_by_its_dtype_is_read_as_the_column() -> None:
    """The figure table decides text or numbers from the column types read at once: the same
    decision as from each column, for every kind of column a figure's numbers hold."""
    from navbok.present.figure import _is_text_column

    frame = pd.DataFrame(
        {
            "År": [2020, 2021, 2022],
            "Verdi": [1.0, None, 2.5],
            "Antall": pd.array([1, None, 3], dtype="Int64"),
            "Flagg": [True, False, True],
            "Nullbar": pd.array([True, None, False], dtype="boolean"),
            "Serie": ["a", "b", None],
            "Tekst": pd.array(["a", None, "c"], dtype="string[pyarrow]"),
            "Dato": pd.to_datetime(["2020-01-01", None, "2022-01-01"]),
            "Kategori": pd.Categorical(["x", "y", "x"]),
            "Sann": pd.Categorical([True, False, True]),
            "kommunenr": [301, 1103, 5001],
            "Blandet": [1, "a", 2.0],
        }
    )
    for text_columns in (set(), {"Verdi", "År"}):
        for name, dtype in zip(frame.columns, frame.dtypes, strict=True):
            by_dtype = _is_text_column(name, dtype, text_columns)
            assert by_dtype == _is_text_column(name, frame[name], text_columns), name


def test_bar_labels_read_from_column_lists_are_read_from_the_rows(views) -> None:  # type: ignore[no-untyped-def]
    """A bar chart's labels from the kind, region and series columns read as lists are the
    labels of the frame's rows (as iterating its rows gives them), for every comparison."""
    from navbok import indicators as ind

    checked = 0
    for v in views[:8]:
        ctx = v.ctx
        figures = ctx.figures
        for indicator in list(ind.register())[:12]:
            df = ctx.comparison(indicator, [ctx.years[-1]])
            by_rows = [figures._bar_label(r.kind, r.region, r.series) for r in df.itertuples()]
            kinds, regions = df["kind"].tolist(), df["region"].tolist()
            parts = zip(kinds, regions, df["series"].tolist(), strict=True)
            assert [figures._bar_label(*p) for p in parts] == by_rows
            checked += len(by_rows)
    assert checked


def test_named_rows_are_the_frames_itertuples(replay_data) -> None:  # type: ignore[no-untyped-def]
    """The rows read column by column are the rows ``itertuples`` gives (the same fields and
    values, NaN where NaN), for the growth chapter's tables and frames of every column kind."""
    from navbok.params import params_for
    from navbok.present.plain_table import named_rows
    from navbok.report import Report

    def same(df: pd.DataFrame) -> None:
        plain = list(df.itertuples())
        got = named_rows(df)
        assert repr(got) == repr(plain)
        assert [r._fields for r in got] == [r._fields for r in plain]

    for code in replay_data.register.target_codes[:4]:
        views = Report(replay_data, params_for(replay_data, code)).growth
        year0, year1 = views._period(None, None)
        same(views.table(year0, year1))
        same(views.annual_frame())
    odd = pd.DataFrame(
        {
            "a b": [1.0, float("nan")],
            "class": pd.array(["x", None], dtype="string[pyarrow]"),
            1: pd.array([1, None], dtype="Int64"),
            "_x": [None, [1, 2]],
            "d": pd.to_datetime(["2020-01-01", None]),
        },
        index=[5, 7],
    )
    same(odd)
    same(odd.iloc[:0])
    same(odd[["a b"]].rename(columns={"a b": 1.0}))
