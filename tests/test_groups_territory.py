"""A comparison region is one territory under one label (issue 22, deliverable 6).

A KOSTRA group or county of a past year is that year's municipalities (KLASS 112 → 131 of the
scheme that covers the year, the county of the year's code); SSB's own group total is the
numerator, and navbok sums only what SSB does not publish (population, AAP) over the same
municipalities; a hidden member blocks only such a sum, in every year alike; every «I {år} …»
sentence uses that year's value and names the group as it was that year.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import pandas as pd
import pytest
from chapter_run import render_cell

from navbok import groups as g
from navbok.comparison import ComparisonRow, Kind
from navbok.data import NavData
from navbok.present.shown import shown
from navbok.regions import Register
from navbok.report.breaks import border_changes
from navbok.report.context import Context, Phrase
from navbok.report.growth import GrowthViews

# Constructed register: Alfa 1001 + Beta 1002 → Alfa 1010 (2018, both in group 13 of the 2019
# scheme); Alfa 1010 + Gamma 1003 (group 12) → Alfa 1020 (2020); Delta 1004 never changes;
# Epsilon 1030 (2020–2023) is split into 1031 and 1032 in 2024.
_CHANGES = [
    ("2018-01-01", "1001", "1010"), ("2018-01-01", "1002", "1010"),
    ("2020-01-01", "1010", "1020"), ("2020-01-01", "1003", "1020"),
    ("2020-01-01", "1005", "1030"),
    ("2024-01-01", "1030", "1031"), ("2024-01-01", "1030", "1032"),
]  # fmt: skip
_NAMES = {
    "1001": "Alfa", "1002": "Beta", "1003": "Gamma", "1004": "Delta", "1005": "Epsilon",
    "1010": "Alfa", "1020": "Alfa", "1030": "Epsilon", "1031": "Epsilon", "1032": "Zeta",
}  # fmt: skip
SCHEMES = {2019: list(range(2015, 2020)), 2024: list(range(2020, 2025))}
ASSIGNMENTS = {
    2019: pd.DataFrame(
        {"code": ["1010", "1003", "1004", "1005"], "group": ["EKG13", "EKG12", "EKG13", "EKG04"]}
    ),
    2024: pd.DataFrame(
        {"code": ["1020", "1004", "1031", "1032"], "group": ["EKG11", "EKG11", "EKG11", "EKG05"]}
    ),
}


@pytest.fixture(scope="module")
def register() -> Register:
    changes = pd.DataFrame(
        [(o, _NAMES[o], n, _NAMES[n], pd.Timestamp(d)) for d, o, n in _CHANGES],
        columns=["old", "old_name", "new", "new_name", "date"],
    )

    def reg(codes: list[str]) -> pd.DataFrame:
        return pd.DataFrame({"code": codes, "name": [_NAMES[c] for c in codes]})

    registers = {
        "2015-01-01": reg(["1001", "1002", "1003", "1004", "1005"]),
        "2024-01-01": reg(["1020", "1004", "1031", "1032"]),
    }
    return Register(registers, changes, None, {})


def _members(register: Register, years: list[int]) -> dict[tuple[str, int], list[str]]:
    frame = g.year_membership(register, ASSIGNMENTS, SCHEMES, years)
    out: dict[tuple[str, int], list[str]] = {}
    for code, year, group in zip(frame["code"], frame["year"], frame["group"], strict=True):
        out.setdefault((group, int(year)), []).append(code)
    return out


def test_past_group_is_that_years_members(register: Register) -> None:
    m = _members(register, [2016, 2019, 2021])
    # 2016: Alfa 1001 and Beta 1002 are not in the 2019 scheme: they have the group of the
    # code they became (Alfa 1010); Gamma stays in group 12 although today it is part of Alfa
    assert m[("EKG13", 2016)] == ["1001", "1002", "1004"]
    assert m[("EKG12", 2016)] == ["1003"]
    assert m[("EKG13", 2019)] == ["1004", "1010"]
    assert m[("EKG11", 2021)] == ["1004", "1020"]  # the 2024 scheme for 2020–2024
    assert m[("EKA10", 2019)] == ["1003", "1004", "1005", "1010"]  # the county of the year
    # today's municipalities by the group of their main predecessor (the ranking's members)
    # are another set: Alfa 1020 with Gamma's land would count in group 13 for 2019
    today = g.membership(register, ASSIGNMENTS, SCHEMES, [2019])
    assert "1020" in set(today.loc[today["group"] == "EKG13", "region"])


def test_a_split_code_takes_the_group_of_its_highest_successor(register: Register) -> None:
    lookup = dict(zip(ASSIGNMENTS[2024]["code"], ASSIGNMENTS[2024]["group"], strict=True))
    # as SSB's group totals in the recording count Ålesund 1507 (2020–2023) with Haram 1580
    assert g.group_of_code(register, lookup, 2024, "1030", 2021) == "EKG05"


def test_territory_is_unknown_when_today_holds_land_from_outside(register: Register) -> None:
    assert g.territory(register, ["1004", "1010"], 2019) is None  # 1020 also holds Gamma
    assert g.territory(register, ["1003"], 2019) is None
    county = g.territory(register, ["1003", "1004", "1005", "1010"], 2019)
    assert county == ["1004", "1020", "1031", "1032"]  # Epsilon's split stays inside
    assert g.territory(register, ["1004", "1020"], 2021) == ["1004", "1020"]


def test_population_summed_over_that_years_members_or_missing(register: Register) -> None:
    members = g.year_membership(register, ASSIGNMENTS, SCHEMES, [2019, 2021])
    pop = pd.DataFrame(
        [(c, y, v, None) for y in (2019, 2021) for c, v in
         (("1020", 300.0), ("1004", 100.0), ("1031", 50.0), ("1032", 20.0))],
        columns=["region", "year", "value", "status"],
    )  # fmt: skip
    out = g.year_totals(pop, members, register).set_index(["region", "year"])
    assert out.loc[("EKA10", 2019), "value"] == 470  # today's 1004, 1020, 1031 and 1032
    assert out.loc[("EKG11", 2021), "value"] == 400
    gone = out.loc[("EKG13", 2019)]  # not Alfa 1020's 300 with Gamma's land in it
    assert math.isnan(gone["value"]) and gone["status"] == ".." and not gone["borders_known"]


def test_hidden_member_blocks_a_self_made_sum_in_every_year() -> None:
    members = pd.DataFrame(
        {"code": ["1", "2"] * 3, "year": [2015, 2015, 2020, 2020, 2024, 2024], "group": "EKA11"}
    )
    aap = pd.DataFrame(
        {
            "region": ["1", "2"] * 3,
            "year": [2015, 2015, 2020, 2020, 2024, 2024],
            "value": [40.0, None, 41.0, None, 42.0, None],
            "status": [None, ":", None, ":", None, ":"],
        }
    )
    out = g.year_totals(aap, members)
    assert out["value"].isna().all() and (out["status"] == ":").all()


def test_region_border_change_under_one_label_is_told(register: Register) -> None:
    from navbok.report.breaks import region_border_changes

    members = {
        ("EKG13", 2016): ["1001", "1002", "1004"],
        ("EKG13", 2019): ["1004", "1010"],  # Alfa and Beta merged inside the group: no change
        ("EKA10", 2019): ["1003", "1004", "1010"],
        ("EKA10", 2021): ["1004", "1030"],  # Alfa (with Gamma) left; Epsilon came
    }
    assert region_border_changes(register, members, "EKG13", [2016, 2019], _NAMES) == {}
    assert region_border_changes(register, members, "EKA10", [2019, 2021], _NAMES) == {
        2021: "Gamma og Alfa gikk ut og Epsilon kom inn"
    }


# -- the county row is the county of the year, under its own name ---------------------------------


@pytest.mark.replay
def test_county_rows_are_named_as_the_county_of_the_year(replay_data: NavData) -> None:
    groups = replay_data.groups("3909")  # Larvik
    rows = replay_data.comparison_rows(groups, "andel_18_66", [2016, 2021, 2024])
    county = {r.year: r.series for r in rows if r.kind == Kind.FYLKE}
    assert county == {
        2016: "Vestfold (-2019)",
        2021: "Vestfold og Telemark (2020-2023)",
        2024: "Vestfold",
    }


@pytest.mark.replay
def test_recording_group_payout_is_ssbs_total_over_that_years_population(
    replay_data: NavData,
) -> None:
    """SSB's own group total equals the sum over that year's members exactly (where all are
    published), and the group's payout per inhabitant is that total over the population of
    the same members: one territory for the share and the payout rows."""
    from navbok.measures import table_frame
    from navbok.sources.catalogue import catalogue

    cat = catalogue()
    snapshot = replay_data.snapshot
    assignments = {int(d[:4]): snapshot.kostra_groups(d)[0] for d in cat.kostra_groups}
    years = replay_data.years
    members = g.year_membership(replay_data.register, assignments, cat.kostra_scheme_years(), years)
    raw = pd.concat([table_frame(snapshot, t) for t in ("13138", "13995")])
    raw = raw[raw["contents"] == "KOSsamletstonad0000"]
    cells = {
        (r, int(y)): v for r, y, v in zip(raw["region"], raw["year"], raw["value"], strict=True)
    }
    m = replay_data.measures
    pop = m[m["measure"] == "befolkning_18_66"].set_index(["region", "year"])["value"]
    v = replay_data.values
    per = v[v["indicator"] == "utbetalt_per_innb_18_66"].set_index(["region", "year"])
    checked = summed = 0
    for (group, year), part in members.groupby(["group", "year"]):
        if year > 2024 or (group, year) not in cells:
            continue
        own = [cells.get((c, int(year))) for c in part["code"]]
        if all(x is not None and x == x for x in own):
            assert sum(own) == pytest.approx(cells[(group, year)])
            summed += 1
        value = per.loc[(group, year), "value"]
        if value == value:
            assert value == pytest.approx(cells[(group, year)] / pop[(group, year)] * 1000)
            checked += 1
    assert summed > 100 and checked > 50


@pytest.mark.replay
def test_a_hidden_member_no_longer_withholds_a_county_in_some_years(replay_data: NavData) -> None:
    """Rogaland's payout per inhabitant was shown for 2023–2024 and withheld for 2015, 2019,
    2020 and 2022 (a hidden member blocked navbok's own sum of the payout in some years, SSB's
    total was used in others). SSB publishes the county's total: it is shown in every year."""
    v = replay_data.values
    rows = v[(v["indicator"] == "utbetalt_per_innb_18_66") & (v["region"] == "EKA11")]
    by_year = dict(zip(rows["year"], rows["value"], strict=True))
    assert all(by_year[y] == by_year[y] for y in range(2015, 2025)), by_year


def test_mini_past_group_is_missing_rather_than_another_territory(mini_data: NavData) -> None:
    """Old KOSTRA group 12 of 2016 (Røyken, Hurum, Haram): today's Asker also holds Asker 0220
    (group 13), so the group's population is unknown: «..», not a figure over other borders."""
    v = mini_data.values
    row = v[
        (v["indicator"] == "utbetalt_per_innb_18_66")
        & (v["region"] == "EKG12")
        & (v["year"] == 2016)
    ].iloc[0]
    assert row["value"] != row["value"] and row["status"] == ".."


# -- «I {år} …»: that year's value and that year's group -------------------------------------------


class _Ctx:
    """The parts of a :class:`Context` the level sentence reads, over constructed rows."""

    value = Context.value
    text = Context.text
    shown = Context.shown
    indicator = Context.indicator

    def __init__(self, rows: list[ComparisonRow]) -> None:
        self.rows = rows
        self.name = "Ålesund"
        self.main_kind = Kind.KOSTRAGRUPPE
        self.peers = SimpleNamespace(label="KOSTRA-gruppe 11")

    def comparison_rows(self, indicator: str, years: tuple[int, ...]) -> list[ComparisonRow]:
        return [r for r in self.rows if r.year in years]

    def position(self, indicator: str, year: int) -> Phrase:
        return Phrase("")

    def comparable(self, indicator: str, year: int) -> bool:
        return False


def level_text(views: GrowthViews, year: int, earlier: int) -> str:
    """The chapter's level paragraph for the constructed rows."""
    niva = views.level("utbetalt_per_innb_18_66", year, earlier)
    antall = {"antall": shown(None, 0), "aar": str(year), "aar_for": ""}  # the cell's others
    text = render_cell(
        "utbetalingsvekst", "ble det utbetalt", aar=str(year), niva=niva, antall=antall,
        motsatt=None, navn="Ålesund",
    )  # fmt: skip
    return text.removeprefix("## Nivå ").split(" Antall mottakere og utbetalt")[0]


def _rows(group_2019: float | None) -> list[ComparisonRow]:
    ind = "utbetalt_per_innb_18_66"
    old = "KOSTRA-gruppe 13 (inndeling til 2019)"
    status = None if group_2019 is not None else ".."
    return [
        ComparisonRow("Ålesund", Kind.KOMMUNE, "1508", 2019, 2171.0, None, ind),
        ComparisonRow("Ålesund", Kind.KOMMUNE, "1508", 2024, 2045.0, None, ind),
        ComparisonRow(old, Kind.KOSTRAGRUPPE, "EKG13", 2019, group_2019, status, ind),
        ComparisonRow("KOSTRA-gruppe 11", Kind.KOSTRAGRUPPE, "EKG11", 2024, 1609.0, None, ind),
        ComparisonRow("Landet", Kind.LANDET, "EAK", 2019, 2041.0, None, ind),
        ComparisonRow("Landet", Kind.LANDET, "EAK", 2024, 2275.0, None, ind),
    ]


def test_earlier_year_sentence_names_that_years_group() -> None:
    views = GrowthViews(_Ctx(_rows(1986.0)))  # type: ignore[arg-type]
    text = level_text(views, 2024, 2019)
    assert "Det er 27 prosent høyere enn KOSTRA-gruppe 11 og 10 prosent lavere enn landet." in text
    assert (
        "I 2019 var Ålesund 9 prosent høyere enn KOSTRA-gruppe 13 (inndeling til 2019) og "
        "6 prosent høyere enn landet." in text
    )


def test_earlier_year_sentence_leaves_out_a_missing_comparison() -> None:
    views = GrowthViews(_Ctx(_rows(None)))  # type: ignore[arg-type]
    text = level_text(views, 2024, 2019)
    assert "ukjent" not in text and "(..)" not in text
    assert "I 2019 var Ålesund 6 prosent høyere enn landet." in text


def test_no_earlier_year_sentence_when_the_period_ends_in_the_same_year() -> None:
    views = GrowthViews(_Ctx(_rows(1986.0)))  # type: ignore[arg-type]
    text = level_text(views, 2024, 2024)
    assert "I 2024 var" not in text  # not the newest year's comparison word for word again
    assert text.count("27 prosent høyere enn KOSTRA-gruppe 11") == 1


# -- a split whose part is unknown: the years before are missing, not «lagt sammen» ----------------


def test_break_note_for_a_municipality_with_an_unknown_part_of_a_split() -> None:
    class Narvik:
        def predecessors(self, code: str, year: int) -> list[str]:
            return ["1805", "1850", "1854"] if year < 2020 else ["1806"]

        def successors(self, code: str, year: int) -> dict[str, float]:
            return {"1806": 0.5, "1875": 0.5} if code == "1850" else {"1806": 1.0}

        def split_parts(self, code: str) -> list[tuple[str, str, int, bool]]:
            return [("1850", "Tysfjord", 2020, False)]

    names = {"1805": "Narvik", "1806": "Narvik", "1850": "Tysfjord", "1854": "Ballangen"}
    note = border_changes(Narvik(), "1806", [2019, 2020], names)[2020]  # type: ignore[arg-type]
    assert "lagt sammen" not in note
    assert note == (
        "Narvik ble til i 2020 av Narvik og Ballangen og en del av Tysfjord; hvor stor del som "
        "kom til Narvik, er ikke kjent, så tall for Narvik før 2020 mangler (..)"
    )


def test_caption_says_why_a_past_group_has_no_figure_per_inhabitant() -> None:
    from navbok.measures import BORDERS_UNKNOWN_SOURCE
    from navbok.report.figures import borders_unknown_note

    old = "KOSTRA-gruppe 13 (inndeling til 2019)"
    unknown = f"SSB 13138; SSB 07459, {BORDERS_UNKNOWN_SOURCE}"
    df = pd.DataFrame(
        [
            (Kind.KOSTRAGRUPPE, old, 2015, float("nan"), "..", unknown),
            (Kind.KOSTRAGRUPPE, old, 2016, float("nan"), ":", unknown),  # hidden: said elsewhere
            (Kind.KOSTRAGRUPPE, old, 2017, float("nan"), "..", unknown),
            (Kind.KOSTRAGRUPPE, old, 2018, float("nan"), "..", unknown),
            (Kind.FYLKE, "Nordland", 2019, 1234.0, None, "SSB 13138; SSB 07459"),
        ],
        columns=["kind", "Serie", "År", "Verdi", "status", "source"],
    )
    note = borders_unknown_note(df)
    assert note.startswith(
        " KOSTRA-gruppe 13 (inndeling til 2019) (2015, 2017–2018): tallet mangler"
    )
    assert "Nordland" not in note
    assert borders_unknown_note(df[df["kind"] == Kind.FYLKE]) == ""
