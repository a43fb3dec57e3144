"""The vocabulary of a comparison: who a municipality is compared with, and one row of it."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


class Kind(StrEnum):
    """A series' role in a comparison (the ``kind`` column of a comparison frame), in the
    order a reader meets them."""

    KOMMUNE = "kommune"  # the book's municipality
    NABO = "nabo"  # a neighbour named in the params
    ASSS_SNITT = "asss_snitt"  # unweighted mean of the ASSS members
    ASSS_HOY = "asss_hoy"  # the highest ASSS member
    ASSS_LAV = "asss_lav"  # the lowest ASSS member
    KOSTRAGRUPPE = "kostragruppe"  # the municipality's KOSTRA group that year
    FYLKE = "fylke"  # the municipality's county that year
    LANDET = "landet"  # the whole country
    LANDET_UTEN_OSLO = "landet_uten_oslo"  # the country without Oslo


class ComparisonRow(NamedTuple):
    """One value of one series in a comparison."""

    series: str  # the label a reader sees
    kind: Kind
    region: str  # the region code the value belongs to
    year: int
    value: float | None
    status: str | None  # an SSB status symbol (navbok.status) when value is missing
    source: str  # where the value comes from (table or computation)
    estimate: bool = False  # the value includes a population-share estimate (a split)


COLUMNS = list(ComparisonRow._fields)
