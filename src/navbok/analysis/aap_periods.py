"""Which of NAV's AAP months a figure uses, and how AAP is paired with an annual KOSTRA year.

NAV publishes AAP155 for the current year only (January to the newest month); a first fetch
holds nothing else, and Decembers of earlier years exist only where a snapshot kept them or a
user added older workbooks (``navbok fetch --nav-arkiv DIR``). So every AAP figure names the
month it shows, and the book follows one rule:

* **where the text needs a year's end** (the AAP share of a statistics year, the AAP/social-
  assistance ratio, the expected AAP share, the service profile) it uses December of that
  year when the snapshot holds it, otherwise the newest December that pairs with a KOSTRA
  year, otherwise the newest month — and says which periods are paired;
* **elsewhere** (the AAP share «now»: the chapter's opening figure, the introduction, the
  overview, the print summary) it uses the newest month.

A December is the indicator ``aap_andel`` (denominator: inhabitants 18–66 on 31 December); the
newest month is ``aap_andel_siste`` (denominator: inhabitants 18–66 on 1 January of its year,
NAV's standard for the current year).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from navbok.present.prose import month

#: The indicator of December's share and of the newest month's share.
DECEMBER = "aap_andel"
LATEST = "aap_andel_siste"

__all__ = ["DECEMBER", "LATEST", "AapPeriods", "AapReading", "Pairing"]


@dataclass(frozen=True)
class AapReading:
    """One AAP share the book shows: the indicator, the year it is stored under and the month
    in words («desember 2024», «oktober 2025»)."""

    indicator: str
    year: int
    label: str

    @property
    def december(self) -> bool:
        """Whether this is a year's end (December)."""
        return self.indicator == DECEMBER


@dataclass(frozen=True)
class Pairing:
    """AAP paired with a statistics year of social assistance, for the ratio and the expected
    share. ``missing`` is a year the params asked for whose December the snapshot lacks."""

    aap: AapReading
    sos_year: int
    missing: int | None = None

    @property
    def same_year(self) -> bool:
        """AAP in December of the social-assistance year (the source document's pairing)."""
        return self.aap.december and self.aap.year == self.sos_year

    @property
    def label(self) -> str:
        """The periods in words, for captions and headers: «2020» (December and the same
        year), else «AAP oktober 2025, sosialhjelp 2024»."""
        if self.same_year:
            return str(self.sos_year)
        return f"AAP {self.aap.label}, sosialhjelp {self.sos_year}"

    @property
    def periods(self) -> str:
        """Both periods in words: «AAP i oktober 2025 og sosialhjelp i 2024»."""
        return f"AAP i {self.aap.label} og sosialhjelp i {self.sos_year}"

    @property
    def sentence(self) -> str:
        """The periods as a phrase inside a sentence: «i 2020» or «med AAP i oktober 2025 og
        sosialhjelp i 2024»."""
        return f"i {self.sos_year}" if self.same_year else f"med {self.periods}"


@dataclass(frozen=True)
class AapPeriods:
    """The AAP months a snapshot holds (``"YYYY-MM"``, sorted) and the statistics years of
    its KOSTRA tables."""

    periods: tuple[str, ...]
    kostra_years: tuple[int, ...]

    @classmethod
    def of(cls, periods: Iterable[str], kostra_years: Iterable[int]) -> AapPeriods:
        """From a snapshot's ``aap_periods()`` and the data's statistics years."""
        return cls(tuple(sorted(periods)), tuple(sorted(kostra_years)))

    @property
    def decembers(self) -> list[int]:
        """The years whose December the snapshot holds."""
        return [int(p[:4]) for p in self.periods if p.endswith("-12")]

    def missing_decembers(self, years: Sequence[int]) -> list[int]:
        """The years among ``years`` whose December the snapshot lacks."""
        held = set(self.decembers)
        return [y for y in years if y not in held]

    def latest(self) -> AapReading | None:
        """The newest month held (``None`` without AAP data)."""
        if not self.periods:
            return None
        newest = self.periods[-1]
        return AapReading(LATEST, int(newest[:4]), month(newest))

    def december(self, year: int) -> AapReading | None:
        """December of ``year`` when the snapshot holds it."""
        if f"{year}-12" not in self.periods:
            return None
        return AapReading(DECEMBER, year, month(f"{year}-12"))

    def at_year_end(self, year: int) -> AapReading | None:
        """The AAP share that stands for statistics year ``year``: its December, else the
        newest month (labelled with its month)."""
        return self.december(year) or self.latest()

    def pairing(self, requested: int | None = None) -> Pairing | None:
        """AAP against social assistance: December of ``requested`` with that year when the
        snapshot holds both; else the newest December of a KOSTRA year with that year; else
        the newest month with the newest KOSTRA year. ``None`` without AAP or KOSTRA data."""
        if not self.kostra_years or not self.periods:
            return None
        if (
            requested is not None
            and requested in self.kostra_years
            and (dec := self.december(requested)) is not None
        ):
            return Pairing(dec, requested)
        missing = requested
        paired = [y for y in self.decembers if y in self.kostra_years]
        if paired:
            dec = self.december(paired[-1])
            assert dec is not None
            return Pairing(dec, paired[-1], missing)
        latest = self.latest()
        assert latest is not None
        return Pairing(latest, self.kostra_years[-1], missing)
