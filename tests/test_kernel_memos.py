"""The kernel's shortcuts (issue 25, second round) give exactly what the plain computation
gives: the caption notes' column-wise early exits, a figure's download numbers read by dtype,
and the barometer chapter's per-chapter memos (a standing, the pulling-down table, the
published ranks)."""

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
