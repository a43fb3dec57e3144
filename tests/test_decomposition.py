"""When a decomposition's shares mean something: the small-number and near-zero rule
(:meth:`navbok.analysis.decomposition.Decomposition.shares_withheld`), on constructed inputs."""

from __future__ import annotations

import math

import pytest

from navbok.analysis import decomposition
from navbok.analysis.decomposition import decompose, from_rates

# the rule's constants (looked up here, so that the tests below fail one by one on code
# without the rule rather than all at import)
MIN_RECIPIENTS = getattr(decomposition, "MIN_RECIPIENTS", 100)
MAX_SHARE = getattr(decomposition, "MAX_SHARE", 2.0)
FEW_RECIPIENTS = getattr(decomposition, "FEW_RECIPIENTS", "few_recipients")
NEAR_ZERO = getattr(decomposition, "NEAR_ZERO", "near_zero")


def test_few_recipients_withhold_the_shares() -> None:
    # Røst 2015–2019: 11 → 14 recipients, 36 → 49 months, 224 → 315 (1 000 kr)
    small = decompose(224, 11, 36, 315, 14, 49, year0=2015, year1=2019)
    assert small.ok and small.shares_withheld() == FEW_RECIPIENTS
    assert small.to_row()["shares_withheld"] == FEW_RECIPIENTS
    # the same growth on ten times the counts is shared out
    large = decompose(2240, 110, 360, 3150, 140, 490, year0=2015, year1=2019)
    assert large.shares_withheld() is None
    assert math.isclose(sum(large.lmdi_shares.values()), 1.0)


@pytest.mark.parametrize(
    ("n0", "n1", "withheld"),
    [
        (MIN_RECIPIENTS, MIN_RECIPIENTS, None),
        (MIN_RECIPIENTS - 1, 500, FEW_RECIPIENTS),
        (500, MIN_RECIPIENTS - 1, FEW_RECIPIENTS),
    ],
)
def test_the_count_threshold_applies_to_each_year(n0: int, n1: int, withheld: str | None) -> None:
    d = decompose(1000, n0, 5 * n0, 1300, n1, 6 * n1)
    assert d.shares_withheld() == withheld


@pytest.mark.parametrize(
    ("rates", "withheld"),
    [
        ((-0.097, -0.043, 0.152), NEAR_ZERO),  # KOSTRA-gruppe 11 2020–2024: −0,4 % in all
        ((0.016, -0.081, 0.130), NEAR_ZERO),  # Bergen 2019–2024: 5,5 %, P «229 %»
        ((0.0, 0.0, 0.0), None),  # nothing moved: no share to give, nothing to withhold
        ((0.164, -0.005, 0.182), None),  # Bergen 2015–2019: 36,8 %
        ((-0.20, 0.05, 0.02), None),  # one part 144 % of a fall: «mer enn hele», still said
    ],
)
def test_near_zero_growth_withholds_the_shares(rates: tuple, withheld: str | None) -> None:
    d = from_rates(*rates, T0=1000.0, N0=1000.0)
    assert d.shares_withheld() == withheld


def test_the_near_zero_threshold_is_max_share_of_the_whole_change() -> None:
    # the largest component's log share just under and just over MAX_SHARE
    total = math.log(1.05)
    for factor, withheld in ((MAX_SHARE * 0.99, None), (MAX_SHARE * 1.01, NEAR_ZERO)):
        g_p = math.exp(factor * total) - 1
        g_l = math.exp(total - factor * total) - 1  # pulls the other way
        d = from_rates(0.0, g_l, g_p, T0=1000.0, N0=1000.0)
        assert math.isclose(d.g_T, 0.05)
        assert d.shares_withheld() == withheld


def test_a_decomposition_that_cannot_be_computed_has_no_share_rule() -> None:
    d = decompose(1000, 100, math.nan, 1320, 110, 600)
    assert not d.ok and d.shares_withheld() is None


def test_a_year_of_population_share_estimates_withholds_the_shares() -> None:
    """Haram (1580, out of Ålesund 2024): its 2019 numbers are 1507's split by population, so
    duration and payout per month are those of the old Ålesund; the book said «Det meste av
    nedgangen kom fra færre mottakere: … 99 prosent» from them. The shares are withheld, with
    the reason, and the years are named."""
    import pandas as pd

    from navbok.analysis.decomposition import ESTIMATED
    from navbok.analysis.growth import MeasureTable, decompose_regions
    from navbok.report.growth_words import withheld_reason

    rows = []
    for year, n, split in ((2019, 1000.0, True), (2024, 400.0, False)):
        for measure, value in (("utbetalt", 50 * n), ("mottakere", n), ("stonadsmaaneder", 5 * n)):
            rows.append(("1580", year, measure, value, None, split))
    frame = pd.DataFrame(rows, columns=["region", "year", "measure", "value", "status", "split"])
    d = decompose_regions(MeasureTable(frame), "1580", 2019, 2024)
    assert d.ok and d.estimated == (2019,)
    assert d.shares_withheld() == ESTIMATED
    assert withheld_reason(d).startswith("Tallene for 2019 er anslag:")
    unflagged = decompose_regions(MeasureTable(frame.drop(columns="split")), "1580", 2019, 2024)
    assert unflagged.estimated == () and unflagged.shares_withheld() is None
