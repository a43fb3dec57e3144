"""The core every chapter's views share: one municipality's data, parameters, comparison groups
and years, with the lookups (values, formatted texts, comparisons) and the sentence, paragraph
and missing-figure helpers.

Views (one module per chapter, and the shared figures, source box and local sections) take a
:class:`Context`; :class:`~navbok.report.report.Report` is the context with the views attached.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from navbok import indicators as ind
from navbok import status
from navbok.comparison import ComparisonRow, Kind
from navbok.data import NavData, comparison_frame
from navbok.groups import Groups
from navbok.params import Params
from navbok.present.exports import Provenance, set_provenance
from navbok.present.numbers import MISSING, fmt_number
from navbok.present.prose import and_list
from navbok.report.missing import MissingFigure
from navbok.sources.catalogue import catalogue

#: Reading order of the comparison kinds (the order :class:`Kind` declares them in).
KIND_RANK = {k: i for i, k in enumerate(Kind)}
#: The series a time-series chart shows unless it says otherwise.
DEFAULT_KINDS = (Kind.KOMMUNE, Kind.NABO, Kind.ASSS_SNITT, Kind.KOSTRAGRUPPE, Kind.LANDET)
#: Texts that stand for a missing number: a sentence with one of them falls back.
MISSING_TEXTS = {*status.ORDER, MISSING, "", "ukjent"}


class PlainText:
    """A text glued into markdown with ``{glue:md}`key``` (no quotes, no number parsing).

    (``{glue:text}`` would run the text through ``literal_eval``: «2,46» becomes «(2, 46)».)
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def _repr_markdown_(self) -> str:
        return self.text


@dataclass
class Context:
    """A municipality's data, parameters and comparison groups, with the shared lookups.

    ``kommune`` is the municipality's code (the params carry it resolved), ``name`` its name
    as the params give it, ``years`` the statistics years the book covers.
    """

    data: NavData
    params: Params
    kommune: str = field(init=False)
    name: str = field(init=False)
    groups: Groups = field(init=False)
    years: list[int] = field(init=False)
    _rows_memo: dict[tuple[str, tuple[int, ...]], list[ComparisonRow]] = field(
        default_factory=dict, init=False, repr=False
    )

    def __post_init__(self) -> None:
        # Sources, fetch date and the synthetic warning travel with every download.
        set_provenance(self.data.memo("provenance", lambda: Provenance.of(self.data.snapshot)))
        self.kommune = self.params.kommune
        self.name = self.params.name
        self.groups = self.data.groups(
            self.kommune, self.params.neighbours, self.params.asss_variant
        )
        self.years = [
            y for y in self.data.years if self.params.start_year <= y <= self.params.end_year
        ]

    # ------------------------------------------------------------------ numbers
    def indicator(self, indicator: str) -> ind.Indicator:
        """The register entry of an indicator."""
        return ind.register()[indicator]

    def comparison(
        self, indicator: str, years: list[int] | None = None, kinds: tuple[Kind, ...] | None = None
    ) -> pd.DataFrame:
        """The indicator for the municipality and its comparison groups (long format)."""
        rows = self.comparison_rows(indicator, tuple(years or self.years))
        if kinds is not None:
            rows = [r for r in rows if r.kind in kinds]
        return comparison_frame(rows)

    def comparison_rows(self, indicator: str, years: tuple[int, ...]) -> list[ComparisonRow]:
        """The rows of :meth:`comparison` in reading order (kind, then year), KOSTRA groups
        named by number; remembered per indicator and years (chapters ask many times)."""
        key = (indicator, years)
        if key not in self._rows_memo:
            old = _old_scheme_years()
            rows = []
            for r in self.data.comparison_rows(self.groups, indicator, list(years)):
                if r.kind == Kind.KOSTRAGRUPPE:
                    label = f"KOSTRA-gruppe {int(str(r.region)[3:])}"
                    if r.year in old:
                        label += " (inndeling til 2019)"
                    r = r._replace(series=label)
                rows.append(r)
            self._rows_memo[key] = sorted(
                rows, key=lambda r: (KIND_RANK.get(r.kind, len(KIND_RANK)), r.year)
            )
        return self._rows_memo[key]

    def value(
        self, indicator: str, year: int, kind: Kind = Kind.KOMMUNE
    ) -> tuple[float, str | None]:
        """One value and its status (``kind`` as in :meth:`comparison`)."""
        for r in self.comparison_rows(indicator, (year,)):
            if r.kind == kind:
                return (float("nan") if r.value is None else float(r.value)), r.status
        return float("nan"), status.NOT_AVAILABLE

    def text(self, indicator: str, year: int, kind: Kind = Kind.KOMMUNE) -> str:
        """A value formatted the Norwegian way with the indicator's decimals (status if missing)."""
        value, symbol = self.value(indicator, year, kind)
        return fmt_number(value, self.indicator(indicator).decimals, status=symbol)

    def measure(self, measure: str, year: int) -> float:
        """A harmonised count for the municipality (NaN when missing or suppressed)."""
        m = self.data.measures
        sel = m[(m["region"] == self.kommune) & (m["measure"] == measure) & (m["year"] == year)]
        return float(sel["value"].iloc[0]) if len(sel) else float("nan")

    def asss_members(self, year: int) -> str:
        """The ASSS members of ``year`` by name, for the reader."""
        return and_list(sorted(self.data.name(c) for c in self.groups.asss.get(year, [])))

    def asss_position(self, indicator: str, year: int) -> str:
        """Where the municipality lies among the ASSS members, as a phrase: «lavest av de 11
        ASSS-kommunene», «3. høyest av de 11 ASSS-kommunene»; for a municipality outside ASSS:
        «lavere enn alle de 12 ASSS-kommunene», «mellom ASSS-kommunene (4 av 12 lavere)»."""
        members = set(self.groups.asss.get(year, []))
        sel = ind.select(self.data.values, sorted(members | {self.kommune}), [year], indicator)
        vals = sel.set_index("region")["value"].dropna()
        if self.kommune not in vals.index:
            return "tallet mangler, så plasseringen blant ASSS-kommunene er ukjent"
        own = vals[self.kommune]
        others = vals.drop(self.kommune)
        n = len(others)
        below, above = int((others < own).sum()), int((others > own).sum())
        if self.kommune not in members:
            if below == 0:
                return f"lavere enn alle de {n} ASSS-kommunene med tall"
            if above == 0:
                return f"høyere enn alle de {n} ASSS-kommunene med tall"
            return f"mellom ASSS-kommunene: {below} av {n} har lavere verdi"
        total = n + 1
        if below == 0:
            return f"lavest av de {total} ASSS-kommunene"
        if above == 0:
            return f"høyest av de {total} ASSS-kommunene"
        if below < above:
            return f"{below + 1}. lavest av de {total} ASSS-kommunene"
        return f"{above + 1}. høyest av de {total} ASSS-kommunene"

    # ------------------------------------------------------------------ what is missing
    def unavailable(self, *indicators: str) -> str:
        """Why any of these indicators cannot be shown (SSB does not publish a content they
        need), as sentences for the reader; empty when all can be shown."""
        avail = self.data.availability
        reasons = [avail.reason(i) for i in indicators]
        return " ".join(dict.fromkeys(r for r in reasons if r))

    def missing_measures(self, *measures: str) -> str:
        """Why any of these measures has no values (SSB does not publish its content); empty
        when all have."""
        missing = self.data.availability.missing_measures
        return " ".join(dict.fromkeys(missing[m] for m in measures if m in missing))

    def missing_figure(self, *indicators: str, title: str = "") -> MissingFigure:
        """What stands where a figure would have been when its numbers do not exist."""
        label = title or "; ".join(self.indicator(i).label for i in indicators)
        reason = self.unavailable(*indicators) or (
            f"Datagrunnlaget har ingen tall for {self.name} eller sammenligningsgruppene i "
            "perioden."
        )
        return MissingFigure(label, reason)

    # ------------------------------------------------------------------ words
    def sentence(self, template: str, fallback: str, **values: str) -> str:
        """``template`` filled with ``values``, or ``fallback`` when a value is missing.

        Values are formatted numbers; a status symbol (``:``, ``..``, ``.``) or a dash means
        the number is missing, and a sentence with a symbol in it would mislead, so the
        fallback (filled with the same values) is used instead. Only the values the template
        names count."""
        used = {f for _, f, _, _ in string.Formatter().parse(template) if f}
        missing = any(str(values[k]).strip() in MISSING_TEXTS for k in used if k in values)
        return (fallback if missing else template).format(navn=self.name, **values)

    def paragraph(self, indicators: list[str], template: str, fallback: str, **values: str) -> str:
        """:meth:`sentence`, or why the figures do not exist when SSB does not publish them."""
        gone = self.unavailable(*indicators)
        if gone:
            return f"Tallene finnes ikke i datagrunnlaget: {gone}"
        return self.sentence(template, fallback, **values)

    def glue(self, key: str, text: str) -> None:
        """Glue a text for ``{glue:md}`key``` in the chapter's markdown."""
        from myst_nb import glue

        glue(key, PlainText(text), display=False)


@cache
def _old_scheme_years() -> frozenset[int]:
    """Statistics years of the old KOSTRA-group scheme (to 2019)."""
    groups = catalogue().kostra_scheme_years()
    return frozenset(groups.get(min(groups), [])) if groups else frozenset()
