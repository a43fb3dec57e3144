"""Population 07459 in the live shape: each 1 January keyed to the codes valid on that date.

SSB's 07459 answers 0 (not null) for a code that does not exist on a date, and uses the codes
of each date. navbok drops those zeros and harmonises each date's codes to the target vintage;
before this the population of a municipality in the year before a reform was 0 (the 1.1. of the
next year carries the new codes).
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import pandas as pd

from navbok.data import NavData
from navbok.measures import population_frame
from navbok.regions import harmonise
from navbok.sources import jsonstat

#: 1 January → code → persons aged 18 (the only age in this body)
LIVE = {
    2019: {"0219": 100, "0220": 50, "0627": 20, "0628": 10, "3024": 0, "3025": 0, "3201": 0},
    2020: {"0219": 0, "0220": 0, "0627": 0, "0628": 0, "3024": 110, "3025": 90, "3201": 0},
    2024: {"0219": 0, "0220": 0, "0627": 0, "0628": 0, "3024": 0, "3025": 0, "3201": 130},
}


def live_body() -> dict[str, Any]:
    regions = ["0", *LIVE[2019]]
    tids = [str(t) for t in LIVE]
    values = []
    for region, tid in itertools.product(regions, tids):
        values.append(sum(LIVE[int(tid)].values()) if region == "0" else LIVE[int(tid)][region])
    dims = {"Region": regions, "Kjonn": ["1"], "Alder": ["018"], "ContentsCode": ["Personer1"],
            "Tid": tids}  # fmt: skip
    ordered = ["Region", "Kjonn", "Alder", "ContentsCode", "Tid"]
    return {
        "version": "2.0", "class": "dataset", "label": "07459", "id": ordered,
        "size": [len(dims[d]) for d in ordered],
        "role": {"geo": ["Region"], "time": ["Tid"], "metric": ["ContentsCode"]},
        "dimension": {d: {"category": {"index": {c: i for i, c in enumerate(dims[d])}}}
                      for d in ordered},
        "value": values,
    }  # fmt: skip


class LiveShapedSnapshot:
    """Just enough of a snapshot for :func:`population_frame`."""

    def ssb(self, table: str) -> jsonstat.Dataset:
        assert table == "07459"
        return jsonstat.parse(json.dumps(live_body()))


def test_each_date_is_harmonised_with_its_own_codes(mini_data: NavData) -> None:
    pop = population_frame(LiveShapedSnapshot(), mini_data.register)
    by = pop.set_index(["region", "year"])["value"]
    # Statistics year 2019 = 1.1.2020, keyed to the 2020 codes (3024, 3025): not 0.
    assert by[("3201", 2019)] == 110
    assert by[("3203", 2019)] == 90
    # 1.1.2019 uses the 2019 codes; Asker = Asker + Røyken + Hurum.
    assert by[("3201", 2018)] == 100
    assert by[("3203", 2018)] == 50 + 20 + 10
    assert by[("3201", 2023)] == 130
    # The zeros of codes that did not exist are dropped, never summed in as real zeros.
    assert not (pop["value"] == 0).any()
    assert by[("EAK", 2019)] == 200


def test_the_recorded_shape_still_works(mini_data: NavData) -> None:
    pop = population_frame(mini_data.snapshot, mini_data.register)
    by = pop.groupby(["region", "year"])["value"].sum()
    assert by[("3201", 2019)] > 0 and by[("3203", 2019)] > 0
    assert set(pop.loc[pop["region"].str.fullmatch(r"\d{4}"), "region"]) <= set(
        mini_data.register.names
    )


def test_the_old_mapping_lost_the_year_before_the_reform(mini_data: NavData) -> None:
    """1.1.2020 mapped with the codes of 2019 (the code before the fix): Bærum's 3024 is not a
    2019 code, so Bærum had no population in 2019."""
    part = pd.DataFrame({"region": list(LIVE[2020]), "year": 2019, "age": 18,
                         "value": list(LIVE[2020].values()), "status": None})  # fmt: skip
    old = harmonise(part, mini_data.register.code_map([2019]), keys=["age"])
    assert old[old["region"] == "3201"]["value"].sum() == 0
