"""The core every chapter's views share: one municipality's data, parameters, comparison groups
and years, with the lookups (values, formatted texts, comparisons) and the sentence, paragraph
and missing-figure helpers.

Views (one module per chapter, and the shared figures, source box and local sections) take a
:class:`Context`; :class:`~navbok.report.report.Report` is the context with the views attached.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache

import pandas as pd

from navbok import indicators as ind
from navbok import status
from navbok.analysis.aap import ratio_table
from navbok.analysis.aap_periods import AapPeriods
from navbok.comparison import ComparisonRow, Kind
from navbok.data import NavData, comparison_frame
from navbok.groups import Groups
from navbok.national_facts import national_pass
from navbok.params import Params
from navbok.peers import Peers, choose_peers
from navbok.present.chapter_text import say
from navbok.present.exports import Provenance
from navbok.present.markdown import Markdown, escape
from navbok.present.numbers import fmt_number
from navbok.present.prose import and_list
from navbok.present.shown import Shown, shown
from navbok.regions import all_names
from navbok.report.missing import SAID_ABOVE, MissingFigure, own_gap_reason
from navbok.sources.catalogue import catalogue

#: Reading order of the comparison kinds (the order :class:`Kind` declares them in).
KIND_RANK = {k: i for i, k in enumerate(Kind)}
#: The series of an ASSS member's time-series chart (every chart asks ``Context.peers``:
#: ``ctx.peers.line_kinds`` is this for an ASSS member, the KOSTRA group and county otherwise).
DEFAULT_KINDS = (Kind.KOMMUNE, Kind.NABO, Kind.ASSS_SNITT, Kind.KOSTRAGRUPPE, Kind.LANDET)


class Phrase(str):
    """An optional part of a sentence (a rank in parentheses, a clause) that may be empty."""


class PlainText:
    """Markdown glued with ``{glue:md}`key``` (no quotes, no number parsing); made by
    :meth:`Context.glue`, which escapes every text that is not :class:`Markdown`.

    (``{glue:text}`` would run the text through ``literal_eval``: «2,46» becomes «(2, 46)».)
    """

    def __init__(self, text: Markdown) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def _repr_markdown_(self) -> str:
        return self.text


@dataclass
class Context:
    """A municipality's data, parameters and comparison groups, with the shared lookups.

    ``kommune`` is the municipality's code (the params carry it resolved), ``name`` its name
    as the params give it, ``years`` the statistics years the book covers, ``peers`` who it is
    compared with first (:mod:`navbok.peers`; ``main_kind`` is that comparison's kind).
    """

    data: NavData
    params: Params
    kommune: str = field(init=False)
    name: str = field(init=False)
    groups: Groups = field(init=False)
    years: list[int] = field(init=False)
    peers: Peers = field(init=False)
    _rows_memo: dict[tuple[str, tuple[int, ...]], list[ComparisonRow]] = field(
        default_factory=dict, init=False, repr=False
    )
    #: The reasons for missing numbers already told on this page (a chapter opens one report).
    _said: set[str] = field(default_factory=set, init=False, repr=False)

    def __post_init__(self) -> None:
        self.kommune = self.params.kommune
        self.name = self.params.name
        self.groups = self.data.groups(
            self.kommune, self.params.neighbours, self.params.asss_variant
        )
        self.years = [
            y for y in self.data.years if self.params.start_year <= y <= self.params.end_year
        ]
        self.peers = choose_peers(self.groups, self.years[-1], self.name, self.data.name)

    @property
    def all_names(self) -> str:
        """The municipality with every parallel name («Kárášjohka – Karasjok»), for the
        introduction's first mention; ``name`` elsewhere."""
        full = self.data.register.names.get(self.kommune, "")
        others = [n for n in all_names(full).split(" – ") if n and n != self.name]
        return " – ".join([self.name, *others])

    @property
    def aap_periods(self) -> AapPeriods:
        """The AAP months the snapshot holds, with the rule for which month a figure uses
        (:mod:`navbok.analysis.aap_periods`)."""
        return aap_periods_of(self.data)

    @property
    def main_kind(self) -> Kind:
        """The comparison every «mot … i …» sentence and the service profile use:
        :attr:`Kind.ASSS_SNITT` for an ASSS member, else :attr:`Kind.KOSTRAGRUPPE` (or
        :attr:`Kind.LANDET` without a KOSTRA group of several members). Its name for a
        sentence is ``peers.label``."""
        return self.peers.main

    # ------------------------------------------------------------------ numbers
    def indicator(self, indicator: str) -> ind.Indicator:
        """The register entry of an indicator."""
        return ind.register()[indicator]

    def comparison(
        self,
        indicator: str,
        years: list[int] | None = None,
        kinds: tuple[Kind, ...] | None = None,
        *,
        names: Mapping[str, str] | None = None,
    ) -> pd.DataFrame:
        """The indicator for the municipality and its comparison groups (long format);
        ``names`` renames columns (as ``.rename(columns=names)``)."""
        rows = self.comparison_rows(indicator, tuple(years or self.years))
        if kinds is not None:
            rows = [r for r in rows if r.kind in kinds]
        return comparison_frame(rows, names)

    def comparison_rows(self, indicator: str, years: tuple[int, ...]) -> list[ComparisonRow]:
        """The rows of :meth:`comparison` in reading order (kind, then year), KOSTRA groups
        named by number; remembered per indicator and years (chapters ask many times).

        A KOSTRA group or county that is the municipality alone in a year (Oslo) has no row:
        its line would be the municipality's own."""
        key = (indicator, years)
        if key not in self._rows_memo:
            old = _old_scheme_years()
            rows = []
            for r in self.data.comparison_rows(self.groups, indicator, list(years)):
                if self.groups.alone(r.kind, r.year):
                    continue
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

    def ratio_table(self, aap_indicator: str, year: int, sos_year: int) -> pd.DataFrame:
        """:func:`navbok.analysis.aap.ratio_table` of the comparisons of ``aap_indicator`` in
        ``year`` and of the social-assistance share in ``sos_year`` (the introduction and the
        AAP chapter both show it): made once per process for the same rows (a copy each
        time)."""
        aap = self.comparison_rows(aap_indicator, (year,))
        sos = self.comparison_rows("andel_18_66", (sos_year,))
        return _ratio_table(tuple(aap), tuple(sos), year, sos_year).copy()

    def value(
        self, indicator: str, year: int, kind: Kind = Kind.KOMMUNE
    ) -> tuple[float, str | None]:
        """One value and its status (``kind`` as in :meth:`comparison`)."""
        for r in self.comparison_rows(indicator, (year,)):
            if r.kind == kind:
                return (float("nan") if r.value is None else float(r.value)), r.status
        return float("nan"), status.NOT_AVAILABLE

    def shown(self, indicator: str, year: int, kind: Kind = Kind.KOMMUNE) -> Shown:
        """One value as the page shows it (value, status, text with the indicator's
        decimals): what a chapter's template slot holds."""
        value, symbol = self.value(indicator, year, kind)
        return shown(value, self.indicator(indicator).decimals, symbol)

    def text(self, indicator: str, year: int, kind: Kind = Kind.KOMMUNE) -> str:
        """A value formatted the Norwegian way with the indicator's decimals (status if missing)."""
        value, symbol = self.value(indicator, year, kind)
        return fmt_number(value, self.indicator(indicator).decimals, status=symbol)

    def measure(self, measure: str, year: int) -> float:
        """A harmonised count for the municipality (NaN when missing or suppressed)."""
        return self.data.measure_cells(self.kommune).get((measure, year), (float("nan"), None))[0]

    def has_own_values(self, indicator: str, years: list[int] | None = None) -> bool:
        """Whether the municipality has at least one value of ``indicator`` in ``years``
        (default: the book's years): a figure whose own series is all suppressed or missing
        says nothing about the municipality and is replaced by a note."""
        rows = self.comparison_rows(indicator, tuple(years or self.years))
        return any(
            r.kind == Kind.KOMMUNE and r.value is not None and r.value == r.value for r in rows
        )

    def comparable(self, indicator: str, year: int) -> bool:
        """Whether the municipality's value in ``year`` can be ranked against others: it
        exists and is not zero (a zero count in a small municipality ranks «lowest» without
        meaning anything)."""
        value, _ = self.value(indicator, year)
        return value == value and value != 0

    def suppressed(self, indicators: list[str] | tuple[str, ...], year: int) -> list[str]:
        """The indicators (of ``indicators``) whose value for the municipality in ``year`` is
        hidden for privacy (``:``) or missing."""
        return [i for i in indicators if (v := self.value(i, year)[0]) != v]

    def position(self, indicator: str, year: int) -> Phrase:
        """Where the municipality lies among the members of its main comparison, in
        parentheses with a leading space: « (lavest av de 11 ASSS-kommunene)», « (3. høyest
        av de 20 kommunene i KOSTRA-gruppe 11)»; empty when a rank cannot mean anything (the
        value is missing or zero, or the main comparison is Landet). Write it straight after
        the comparison: ``"… i {sammenligning}{plass}."``."""
        if not self.comparable(indicator, year):
            return Phrase("")
        if self.main_kind == Kind.ASSS_SNITT:
            return Phrase(f" ({self.asss_position(indicator, year)})")
        if self.main_kind == Kind.KOSTRAGRUPPE:
            members = self.groups.kostra_members.get(year, [])
            words = f"kommunene i {self.data.name(self.groups.kostra[year])}"
            if len(members) > 1:
                return Phrase(f" ({self._rank(indicator, year, members, words)})")
        return Phrase("")

    def _rank(self, indicator: str, year: int, members: list[str], words: str) -> str:
        """«lavest av de 11 ASSS-kommunene», «3. høyest av de 20 kommunene i …»; for a
        municipality outside ``members``: «lavere enn alle de 12 … med tall», «mellom …»."""
        member = self.kommune in members
        found = self.data.year_values(indicator, year)
        everyone = set(members) | {self.kommune}
        if self.kommune not in found:
            return f"tallet mangler, så plasseringen blant {words} er ukjent"
        own = found[self.kommune]
        others = [found[c] for c in everyone - {self.kommune} if c in found]
        n = len(others)
        below, above = sum(v < own for v in others), sum(v > own for v in others)
        with_values = "" if len(others) + 1 == len(everyone) else " med tall"
        if not member:
            if below == 0:
                return f"lavere enn alle de {n} {words} med tall"
            if above == 0:
                return f"høyere enn alle de {n} {words} med tall"
            return f"mellom {words}: {below} av {n} har lavere verdi"
        total = n + 1
        if below == 0:
            return f"lavest av de {total} {words}{with_values}"
        if above == 0:
            return f"høyest av de {total} {words}{with_values}"
        if below < above:
            return f"{below + 1}. lavest av de {total} {words}{with_values}"
        return f"{above + 1}. høyest av de {total} {words}{with_values}"

    def asss_members(self, year: int) -> str:
        """The ASSS members of ``year`` by name, for the reader."""
        return and_list(sorted(self.data.name(c) for c in self.groups.asss.get(year, [])))

    def asss_position(self, indicator: str, year: int) -> str:
        """Where the municipality lies among the ASSS members, as a phrase: «lavest av de 11
        ASSS-kommunene», «3. høyest av de 11 ASSS-kommunene»; for a municipality outside ASSS:
        «lavere enn alle de 12 ASSS-kommunene», «mellom ASSS-kommunene (4 av 12 lavere)»."""
        return self._rank(indicator, year, self.groups.asss.get(year, []), "ASSS-kommunene")

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

    def explain(self, *reasons: str) -> str:
        """The reasons not yet told on this page, as sentences (empty when all were): a gap
        is explained once per page, where the reader first meets it (:data:`SAID_ABOVE`
        stands in for it after that)."""
        fresh = [r for r in dict.fromkeys(reasons) if r and r not in self._said]
        self._said.update(fresh)
        return " ".join(fresh)

    def explain_unavailable(self, *indicators: str) -> str:
        """:meth:`explain` for why these indicators cannot be shown."""
        avail = self.data.availability
        return self.explain(*(avail.reason(i) or "" for i in indicators))

    def gap_reason(self, *indicators: str) -> str:
        """Why these indicators cannot be shown, for a chapter's template: the reason the first
        time the page meets it, :data:`SAID_ABOVE` after that; empty when they can be shown."""
        if not self.unavailable(*indicators):
            return ""
        return self.explain_unavailable(*indicators) or SAID_ABOVE

    def missing_figure(self, *indicators: str, title: str = "") -> MissingFigure:
        """What stands where a figure would have been when its numbers do not exist (the
        reason in full the first time the page meets it)."""
        label = title or "; ".join(self.indicator(i).label for i in indicators)
        if self.unavailable(*indicators):
            reason = self.explain_unavailable(*indicators) or SAID_ABOVE
        else:
            reason = (
                f"Datagrunnlaget har ingen tall for {self.name} eller sammenligningsgruppene i "
                "perioden."
            )
        return MissingFigure(label, reason)

    def hidden_figure(self, indicator: str, years: list[int] | None = None) -> MissingFigure:
        """The short note that replaces a figure whose own series has no value in the years it
        would draw (``years``, default all): hidden for privacy (small counts) or missing, said
        for exactly those years (:func:`navbok.report.missing.own_gap_reason`). A one-year
        figure's label names its year, as the chart's title would."""
        ys = list(years or self.years)
        rows = self.comparison_rows(indicator, tuple(ys))
        own = {r.year: r.status for r in rows if r.kind == Kind.KOMMUNE}
        statuses = {y: own.get(y) for y in ys}
        label = self.indicator(indicator).label
        if len(ys) == 1:
            label = f"{label}, {ys[0]}"
        return MissingFigure(label, own_gap_reason(self.name, statuses))

    # ------------------------------------------------------------------ words
    def say(self, **slots: object) -> None:
        """Fill the slots of the chapter's text below this cell (``{{ navn }}`` is always
        the municipality's name): :func:`navbok.present.chapter_text.say`."""
        say(navn=self.name, **slots)

    def glue(self, key: str, text: str) -> None:
        """Glue ``text`` for ``{glue:md}`key``` in the chapter's markdown: a :class:`Markdown`
        as it is, any other text escaped, so that it shows as text (names, params texts and
        local files can hold markup; :func:`~navbok.present.markdown.escape`)."""
        from myst_nb import glue

        glue(key, PlainText(escape(text)), display=False)

    @property
    def provenance(self) -> Provenance:
        """Where this report's numbers come from (sources, fetch date, the synthetic warning),
        from its snapshot: every figure and table hands it to its downloads."""
        return provenance_of(self.data)


@cache
def _old_scheme_years() -> frozenset[int]:
    """Statistics years of the old KOSTRA-group scheme (to 2019)."""
    groups = catalogue().kostra_scheme_years()
    return frozenset(groups.get(min(groups), [])) if groups else frozenset()


def rank_words(ctx: Context, indicator: str, year: int) -> str:
    """:meth:`Context.position` without its parentheses, for a template that writes them
    itself (or none): «lavest av de 11 ASSS-kommunene»; empty when a rank cannot mean
    anything."""
    if not ctx.comparable(indicator, year):
        return ""
    if ctx.main_kind == Kind.ASSS_SNITT:
        return ctx.asss_position(indicator, year)
    if ctx.main_kind == Kind.KOSTRAGRUPPE:
        members = ctx.groups.kostra_members.get(year, [])
        words = f"kommunene i {ctx.data.name(ctx.groups.kostra[year])}"
        if len(members) > 1:
            return ctx._rank(indicator, year, members, words)
    return ""


@national_pass
def aap_periods_of(data: NavData) -> AapPeriods:
    """The AAP months the snapshot holds, with the rule for which month a figure uses."""
    return AapPeriods.of(data.snapshot.aap_periods(), data.years)


@national_pass
def provenance_of(data: NavData) -> Provenance:
    """Where a snapshot's numbers come from, for every download (once per loaded snapshot)."""
    return Provenance.of(data.snapshot)


@lru_cache(maxsize=4)
def _ratio_table(
    aap: tuple[ComparisonRow, ...], sos: tuple[ComparisonRow, ...], year: int, sos_year: int
) -> pd.DataFrame:
    """The ratio table of two comparisons' rows, kept for the last few (keyed on the rows
    themselves and the years: everything it depends on; callers get a copy,
    :meth:`Context.ratio_table`)."""
    return ratio_table(comparison_frame(list(aap)), comparison_frame(list(sos)), year, sos_year)
