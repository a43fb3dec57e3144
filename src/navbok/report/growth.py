"""Report views for the chapter «Utbetalingsvekst»: the level against the comparison groups,
the growth decomposition T = N·L·P, annual growth, real terms and the published Proba index.

The arithmetic lives in :mod:`navbok.analysis.growth`, the rules for the words in
:mod:`navbok.report.growth_words`, the sentences in ``chapters/utbetalingsvekst.md``; this
module makes the chapter's figures and tables and the values its sentences are filled with
(which case applies, shown numbers) for one municipality.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pandas as pd

from navbok import status
from navbok.analysis import growth
from navbok.analysis.decomposition import (
    COMBINATION_LABEL,
    COMPONENT_LABELS,
)
from navbok.analysis.proba import proba_comparison, proba_index
from navbok.comparison import Kind
from navbok.data import NavData
from navbok.groups import LANDET, asss_members
from navbok.national_facts import national_pass
from navbok.peers import book_asss
from navbok.present import chart_specs, figure
from navbok.present.exports import MarkedFrame, with_cell_estimates, with_cell_statuses
from navbok.present.numbers import fmt_number, fmt_percent
from navbok.present.plain_table import named_rows
from navbok.present.prose import and_list
from navbok.present.shown import shown
from navbok.present.tables import TableOutput, show_table, wide
from navbok.register import register_doc
from navbok.report.breaks import CASE_TABLES, break_context
from navbok.report.context import Context, rank_words
from navbok.report.figures import d3_format
from navbok.report.growth_words import (
    annual_slots,
    decomposition_slots,
    driver,
    headline_finding,
    shares_rule_slots,
)
from navbok.report.missing import MissingFigure
from navbok.report.peers import main_kind, peer_set
from navbok.report.prices import deflator, prices_slots

#: The latest period decomposed beside the params' period: this many years back from the end.
LATEST_SPAN = 5

#: The year of Proba's index the chapter's bar chart shows (its last): ASSS members of this year.
PROBA_YEAR = 2016

#: The annual-growth chart's ASSS series: each year's growth sums that year's members.
ANNUAL_ASSS_LABEL = "ASSS (sum av kommunene hvert år)"

#: The measures the decomposition T = N · L · P needs.
GROWTH_MEASURES = ("mottakere", "stonadsmaaneder", "utbetalt")

GROWTH_COLUMNS = {
    "g_T": "Vekst i utbetalt",
    "g_N": COMPONENT_LABELS["N"],
    "g_L": COMPONENT_LABELS["L"],
    "g_P": COMPONENT_LABELS["P"],
    "combination": COMBINATION_LABEL,
}


#: The waterfall's step kinds, in the reader's words (the table behind the chart, downloads).
STEP_KINDS = {"start": "utgangspunkt", "delta": "endring", "total": "sum"}

SHORT = {"N": "mottakere", "L": "stønadslengde", "P": "per måned"}
SHORT_COLUMNS = {
    "g_T": "Vekst i alt",
    "g_N": "Mottakere",
    "g_L": "Stønadslengde",
    "g_P": "Utbetaling per måned",
    "combination": "Kombinasjon",
}


class GroupSum(NamedTuple):
    """The main comparison's members summed: the table row's ``label`` («ASSS (sum av de 11
    kommunene i 2019)»), the ``members``, the group's plain ``name`` («ASSS», «KOSTRA-gruppe
    11») and whether it is ``asss``; no members when the main comparison is Landet."""

    label: str
    members: list[str]
    name: str
    asss: bool


class GrowthViews:
    """The growth chapter's views for one municipality."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        #: :meth:`decompose` by (year0, year1): the chapter's texts ask for the same periods
        #: many times; a result depends on nothing else of this book (municipality, name and
        #: the snapshot's measures are fixed) and cannot be changed (a frozen dataclass).
        self._own: dict[tuple[int, int], growth.Decomposition] = {}

    def _period(self, year0: int | None, year1: int | None) -> tuple[int, int]:
        """The years asked for, or the params' growth period."""
        first, last = self.ctx.params.growth_period
        return year0 or first, year1 or last

    def measures(self) -> growth.MeasureTable:
        """The measures the decomposition needs (T, N, M), indexed once per snapshot."""
        return growth_measures(self.ctx.data)

    def group(self, year: int) -> GroupSum:
        """The main comparison's members summed (:class:`GroupSum`): ASSS for an ASSS member,
        the KOSTRA group otherwise; no members when the main comparison is Landet."""
        # ASSS with the membership of ``year``; a KOSTRA group as the book names it (the
        # newest year's grouping: the scheme before 2020 numbered the groups differently).
        if self.ctx.main_kind == Kind.KOSTRAGRUPPE:
            year = self.ctx.years[-1]
        peers = peer_set(self.ctx, year)
        if peers is None:
            return GroupSum("", [], "", False)
        if peers.kind == Kind.ASSS_SNITT:
            n = len(peers.members)
            return GroupSum(f"ASSS (sum av de {n} kommunene i {year})", peers.members, "ASSS", True)
        group = self.ctx.data.name(self.ctx.groups.kostra[year])
        return GroupSum(f"{group} (sum av kommunene)", peers.members, group, False)

    def group_slots(self, year: int) -> dict[str, Any]:
        """The main comparison's sum for the chapter's sentence: ``asss``, the number of
        members ``n``, the year ``aar`` and the group's ``navn``."""
        g = self.group(year)
        return {"asss": g.asss, "n": len(g.members), "aar": str(year), "navn": g.name}

    def table_note(self, year1: int, withheld: list[str]) -> dict[str, Any]:
        """The slots of the note under the decomposition table (the chapter writes it): who
        the main comparison's row sums (``gruppe``: ``navn``, ``n``, ``asss``, ``aar``,
        ``medlemmer`` by name, ``inndeling``: the year of the groups the book uses; empty
        without members) and the rows whose shares are withheld (``holdt_tilbake``)."""
        g = self.group(year1)
        gruppe: dict[str, Any] = {}
        if g.members:
            gruppe = {
                "navn": g.name,
                "n": len(g.members),
                "asss": self.ctx.main_kind == Kind.ASSS_SNITT,
                "aar": str(year1),
                "medlemmer": and_list(sorted(self.ctx.data.name(c) for c in g.members)),
                "inndeling": str(self.ctx.years[-1]),
            }
        return {"gruppe": gruppe, "holdt_tilbake": and_list(withheld)}

    def series(self, year: int) -> dict[str, str | list[str]]:
        """The three series the decomposition is shown for: municipality, the main comparison
        (ASSS or the KOSTRA group, members summed, membership of ``year``), Landet."""
        ctx = self.ctx
        label, members, *_ = self.group(year)
        out: dict[str, str | list[str]] = {ctx.name: ctx.kommune}
        if members:
            out[label] = members
        out["Landet"] = LANDET
        return out

    def table(self, year0: int | None = None, year1: int | None = None) -> pd.DataFrame:
        """Decomposition rows (see :func:`navbok.analysis.growth.compare`) for the municipality,
        ASSS and Landet; a real-terms row (``year1`` prices) is added when the book has a price
        index: the params' file, else the snapshot's KPI when it covers the chapter's last year
        (as for the amounts, :mod:`navbok.report.prices`: one index for the whole chapter)."""
        ctx = self.ctx
        year0, year1 = self._period(year0, year1)
        series = {k: v for k, v in self.series(year1).items() if v}
        # growth.compare of the series: the municipality's own row kept per chapter, the
        # comparisons' (sums the same for every book) per loaded snapshot
        out = growth.rows_table(
            [
                (
                    self.decompose(year0, year1)
                    if regions == ctx.kommune and label == ctx.name
                    else shared_decomposition(ctx.data, _frozen(regions), year0, year1, label)
                ).to_row()
                for label, regions in series.items()
            ]
        )
        index = deflator(ctx, ctx.years[-1]).index
        if index is not None:
            real = growth.decompose_regions(
                self.measures(),
                ctx.kommune,
                year0,
                year1,
                label=f"{ctx.name}, faste {year1}-priser",
                price_index=index,
                base_year=year1,
            )
            out = pd.concat([out, pd.DataFrame([real.to_row()])], ignore_index=True)
        return out

    def decompose(self, year0: int, year1: int) -> growth.Decomposition:
        """The municipality's own decomposition between two years."""
        key = (year0, year1)
        if key not in self._own:
            self._own[key] = growth.decompose_regions(
                self.measures(), self.ctx.kommune, year0, year1, label=self.ctx.name
            )
        return self._own[key]

    def decomposition(
        self, year0: int | None = None, year1: int | None = None
    ) -> tuple[figure.ChartOutput | MissingFigure, TableOutput, TableOutput | None, dict[str, Any]]:
        """The waterfall (percent), the comparison table, the kroner table and :meth:`texts`.

        When the municipality's own growth cannot be decomposed the waterfall is a notice
        saying why and there is no kroner table (only symbols would stand in it); the
        comparison table still shows the comparison groups."""
        ctx = self.ctx
        year0, year1 = self._period(year0, year1)
        table = self.table(year0, year1)
        own = self.decompose(year0, year1)
        gone = ctx.missing_measures(*GROWTH_MEASURES)
        steps = own.waterfall_steps("pct")
        steps["value"] = steps["value"] * 100
        chart = chart_specs.waterfall_chart(
            steps,
            title=f"Vekst i utbetalt sosialhjelp {year0}–{year1}, {ctx.name}",
            description=(
                f"Fossefallsdiagram: veksten i utbetalt økonomisk sosialhjelp i {ctx.name} fra "
                f"{year0} til {year1} delt i antall mottakere, stønadslengde, utbetaling per "
                "stønadsmåned og kombinasjonseffekt, i prosent."
            ),
            value_format=",.1f",
            value_title="prosent",
        )
        fig: figure.ChartOutput | MissingFigure = figure.show_chart(
            chart,
            steps.rename(columns={"label": "Komponent", "value": "Prosent", "kind": "Del"}).assign(
                Del=lambda f: f["Del"].map(STEP_KINDS).fillna(f["Del"])
            ),
            f"vekst-fossefall-{year0}-{year1}",
            f"Vekst i samlet stønadssum (bidrag og lån) {year0}–{year1}: 1 + vekst = "
            "(1 + vekst i mottakere) × (1 + vekst i stønadslengde) × (1 + vekst i utbetaling "
            "per stønadsmåned). Kombinasjonseffekten er det som gjenstår når de tre "
            "enkeltvekstene er trukket fra. Løpende kroner.",
            decimals=1,
            text_columns=["Komponent", "Del"],
            provenance=ctx.provenance,
        )
        title = f"Vekst i utbetalt sosialhjelp {year0}–{year1}, {ctx.name}"
        if gone:
            fig = MissingFigure(title, gone)
        elif not own.ok:
            fig = MissingFigure(title, self._why_not(own))
        cells, data = [], []
        withheld: list[str] = []
        group = self.group(year1)
        rows = named_rows(table)  # read once, column by column: the rows are slow to iterate
        names = {str(r.label): str(r.label) for r in rows} | {group.label: group.name}
        for r in rows:
            symbol = r.status
            row = [r.label] + [
                fmt_percent(100 * getattr(r, k), 1, status=symbol) for k in GROWTH_COLUMNS
            ]
            why = r.shares_withheld if isinstance(r.shares_withheld, str) else None
            shares = [float("nan") if why else getattr(r, f"lmdi_share_{k}") for k in "NLP"]
            row += [fmt_percent(100 * v, 0, status=symbol or status.NOT_POSSIBLE) for v in shares]
            if why:
                withheld.append(names[str(r.label)])
            cells.append(row)
            data.append(  # in percent, as the book shows them (never 0.368 for 36,8 %)
                [r.label]
                + [100 * getattr(r, k) for k in GROWTH_COLUMNS]
                + [100 * v for v in shares]
            )
        head = [""] + list(SHORT_COLUMNS.values()) + [f"LMDI-andel: {SHORT[k]}" for k in "NLP"]
        numbers = pd.DataFrame(data, columns=["Region", *head[1:]])
        row_marks = [None if not r.status else status.symbol(r.status) for r in rows]
        marked = with_cell_statuses(numbers, {h: row_marks for h in head[1:]})
        comp = show_table(
            pd.DataFrame(cells, columns=head),
            f"vekst-sammenligning-{year0}-{year1}",
            f"Dekomponering av veksten i utbetalt sosialhjelp {year0}–{year1}",
            data=marked,
            notes=self._break_notes(year0, year1)
            + (
                [f"Veksten kan ikke dekomponeres: {gone}"]
                if gone
                else [
                    f"{r.label}: kan ikke dekomponeres for {year0}–{year1}: "
                    f"{self.gap_words(getattr(r, 'gaps', ()) or ())} ({r.status})."
                    for r in rows
                    if r.status
                ]
            ),
            provenance=ctx.provenance,
        )
        texts = self.texts(year0, year1, own, table)
        texts["tabell"] = self.table_note(year1, withheld)
        if not own.ok:
            return fig, comp, None, texts
        kr_rows = [(COMPONENT_LABELS[k], own.effects[k], own.lmdi_contributions[k]) for k in "NLP"]
        kr_rows.append((COMBINATION_LABEL, own.effects["combination"], 0.0))
        kr_rows.append(("Samlet endring", own.change, own.change))
        kr = pd.DataFrame(
            kr_rows, columns=["Komponent", "Klassisk (1\u00a0000 kr)", "LMDI (1\u00a0000 kr)"]
        )
        kroner = show_table(
            kr.assign(
                **{c: [fmt_number(v, 0, status=own.status) for v in kr[c]] for c in kr.columns[1:]}
            ),
            f"vekst-kroner-{year0}-{year1}",
            f"Bidrag til endringen i utbetalt sosialhjelp i {ctx.name} {year0}–{year1}, "
            "1\u00a0000 kr",
            data=_with_row_status(kr, own.status),
            provenance=ctx.provenance,
        )
        return fig, comp, kroner, texts

    def shares_rule(self) -> dict[str, Any]:
        """The numbers of the rule for when the chapter does not share the growth out in
        percent, for «Slik regner vi» (:func:`~navbok.report.growth_words.shares_rule_slots`)."""
        return shares_rule_slots()

    def latest_period(self) -> tuple[int, int] | None:
        """The latest :data:`LATEST_SPAN` years (end year − 5 → end year) when they differ from
        the params' period, the data hold both years and the municipality's growth between
        them can be decomposed; otherwise ``None`` (:meth:`latest_text` says why)."""
        last = self.ctx.years[-1]
        period = (last - LATEST_SPAN, last)
        if period == tuple(self.ctx.params.growth_period) or period[0] not in self.ctx.years:
            return None
        if not self.decompose(*period).ok:
            return None
        return period

    def latest_case(self) -> dict[str, Any]:
        """What the chapter says before the latest period's decomposition: ``tilfelle`` is
        empty when nothing can be decomposed at all (the decomposition above says why),
        ``siste`` (the latest :data:`LATEST_SPAN` years follow), ``samme`` (they are the
        params' period), ``kort`` (the data do not reach that far back) or ``kan_ikke`` (they
        cannot be decomposed: ``hvorfor``); ``aar0``, ``aar1``: the latest period's years."""
        ctx = self.ctx
        last = ctx.years[-1]
        period = (last - LATEST_SPAN, last)
        out: dict[str, Any] = {"aar0": str(period[0]), "aar1": str(period[1]), "hvorfor": ""}
        if ctx.missing_measures(*GROWTH_MEASURES):
            return out | {"tilfelle": ""}
        if self.latest_period():
            return out | {"tilfelle": "siste"}
        if period == tuple(ctx.params.growth_period):
            return out | {"tilfelle": "samme"}
        if period[0] not in ctx.years:
            return out | {"tilfelle": "kort"}
        return out | {"tilfelle": "kan_ikke", "hvorfor": self._why_not(self.decompose(*period))}

    def _why_not(self, d: growth.Decomposition) -> str:
        """Why a decomposition could not be computed: which municipality's numbers, for which
        year, hidden or missing, and why a number before a border change is missing."""
        if d.gaps:
            words = self.gap_words(d.gaps)
            return f"{words[0].upper()}{words[1:]} ({d.status or status.NOT_AVAILABLE})."
        what = {
            status.SUPPRESSED: "er skjult av personvernhensyn",
            status.NOT_POSSIBLE: "er null, så veksten kan ikke regnes ut",
        }.get(d.status or "", "mangler")
        return (
            f"Tall for {self.ctx.name} for {d.year0} eller {d.year1} {what} "
            f"({d.status or status.NOT_AVAILABLE})."
        )

    def gap_words(self, gaps: tuple[tuple[str, int, str], ...]) -> str:
        """«tallene for Narvik mangler for 2015 (Narvik har ikke tall før 2020: det er ikke
        kjent hvor stor del av Tysfjord som kom til kommunen)» from a decomposition's gaps."""
        data = self.ctx.data
        by_region: dict[tuple[str, str], list[int]] = {}
        for region, year, symbol in gaps:
            by_region.setdefault((region, symbol), []).append(year)
        parts = []
        for (region, symbol), years in sorted(by_region.items()):
            when = and_list([str(y) for y in sorted(set(years))])
            what = "er skjult av personvernhensyn" if symbol == status.SUPPRESSED else "mangler"
            text = f"tallene for {data.name(region)} {what} for {when}"
            unknown = [
                (old_name, year)
                for _, old_name, year, known in data.register.split_parts(region)
                if not known and any(y < year for y in years)
            ]
            if unknown:
                old_name, year = unknown[0]
                text += (
                    f" ({data.name(region)} har ikke tall før {year}: det er ikke kjent hvor "
                    f"stor del av {old_name.split(' - ')[0]} som kom til kommunen)"
                )
            parts.append(text)
        return and_list(parts) if parts else "tall mangler"

    def headline_period(self) -> tuple[int, int]:
        """The period the chapter concludes on («Hva betyr dette?») and the introduction's
        growth finding reports: the latest five years when they can be decomposed, else the
        params' period."""
        latest = self.latest_period()
        if latest:
            return latest
        y0, y1 = self.ctx.params.growth_period
        return int(y0), int(y1)

    def headline(self) -> str:
        """The growth finding for the introduction and the print summary: the headline
        period, nominal kroner said (and real terms beside it when the book has a price index),
        where the change came from or why that is not said; empty when it cannot be
        decomposed."""
        ctx = self.ctx
        if ctx.missing_measures(*GROWTH_MEASURES):
            return ""
        y0, y1 = self.headline_period()
        own = self.decompose(y0, y1)
        prices = deflator(ctx, y1)
        real = None
        if prices.index is not None:
            real = growth.decompose_regions(
                self.measures(), ctx.kommune, y0, y1, price_index=prices.index, base_year=y1
            )
        return headline_finding(ctx.name, own, real, prices.words)

    def _break_notes(self, year0: int, year1: int) -> list[str]:
        """Why counts may not compare between ``year0`` and ``year1`` (a new SSB table, cases
        from 2022, a merger), as a table note."""
        why = break_context(self.ctx, "mottakere").explain(self.ctx.kommune, year0, year1)
        return [f"Brudd mellom {year0} og {year1}: {why}."] if why else []

    def amounts(self) -> tuple[TableOutput, dict[str, Any], dict[str, Any]]:
        """Recipients, benefit months and total paid (million kroner) year by year, with the
        paid amount in fixed kroner of the last year beside it when the book has a price index
        (the params' file, else the snapshot's KPI, :mod:`navbok.report.prices`); the latest
        year's numbers (:meth:`amount_slots`); and which price index the book uses
        (:func:`~navbok.report.prices.prices_slots`)."""
        ctx = self.ctx
        last = ctx.years[-1]
        prices = deflator(ctx, last)
        index = prices.index
        cells = ctx.data.measure_cells(ctx.kommune)

        def cell(measure: str, year: int) -> tuple[float, str | None]:
            value, symbol = cells.get((measure, year), (float("nan"), status.NOT_AVAILABLE))
            value = float(value)
            return value, (None if value == value else symbol or status.NOT_AVAILABLE)

        real_head = f"Utbetalt, mill. {last}-kroner"
        guessed = ctx.data.measure_estimates(ctx.kommune)
        rows, data, marks, flags = [], [], [], []
        for y in ctx.years:
            n, sn = cell("mottakere", y)
            months, sm = cell("stonadsmaaneder", y)
            paid, sp = cell("utbetalt", y)
            marks.append([sn, sm, sp, sp])
            flags.append(
                [(m, y) in guessed for m in ("mottakere", "stonadsmaaneder", "utbetalt")]
                + [("utbetalt", y) in guessed]
            )
            row = [
                str(y),
                fmt_number(n, 0, status=sn),
                fmt_number(months, 0, status=sm),
                fmt_number(paid / 1000, 1, status=sp),
            ]
            # Persons and months as whole numbers (an estimate of a split is fractional).
            nums: list[object] = [y, _whole(n), _whole(months), paid / 1000]
            if index is not None:
                # NaN (never the nominal figure) for a year without an index value
                real = float(growth.deflate(pd.Series({y: paid}), index, last).iloc[0])
                symbol = sp or (None if real == real else status.NOT_AVAILABLE)
                row.append(fmt_number(real / 1000, 1, status=symbol))
                nums.append(real / 1000)
            rows.append(row)
            data.append(nums)
        head = ["År", "Mottakere", "Stønadsmåneder", "Utbetalt, mill. kr"]
        if index is not None:
            head.append(real_head)
        text = prices_slots(prices, last, real_head, list(ctx.years))
        numbers = pd.DataFrame(data, columns=head).astype(
            {"Mottakere": "Int64", "Stønadsmåneder": "Int64"}
        )
        marked = with_cell_statuses(
            numbers, {h: [m[j] for m in marks] for j, h in enumerate(head[1:])}
        )
        marked = with_cell_estimates(
            marked, {h: [f[j] for f in flags] for j, h in enumerate(head[1:])}
        )
        table = show_table(
            pd.DataFrame(rows, columns=head),
            "utbetalt-antall-og-belop",
            f"Mottakere, stønadsmåneder og utbetalt sosialhjelp (bidrag og lån) i {ctx.name}",
            data=marked,
            notes=[f"Symboler: {status.LEGEND}."],
            numeric_from=1,
            provenance=ctx.provenance,
        )
        return table, self._amount_slots(cells, last), text

    def _amount_slots(self, cells: dict, last: int) -> dict[str, Any]:
        """The latest year's recipients (``antall``) and total paid (``mill``, million kroner),
        whether SSB counts cases that year (``tilfeller``); when either is missing, the newest
        earlier year with both (``aar_for``, ``antall_for``, ``tusen_for``: thousand kroner;
        ``aar_for`` empty when there is none)."""

        def both(y: int) -> tuple[float, float] | None:
            n = float(cells.get(("mottakere", y), (float("nan"), None))[0])
            t = float(cells.get(("utbetalt", y), (float("nan"), None))[0])
            return (n, t) if n == n and t == t else None

        got = both(last)
        out: dict[str, Any] = {"aar": str(last), "tilfeller": self.counts_cases(last)}
        if got is not None:
            return out | {"antall": shown(got[0], 0), "mill": shown(got[1] / 1000, 1)}
        out |= {"antall": shown(None, 0), "mill": shown(None, 1), "aar_for": ""}
        earlier = [y for y in reversed(self.ctx.years[:-1]) if both(y) is not None]
        if earlier:
            n, t = both(earlier[0])  # type: ignore[misc]
            out |= {"aar_for": str(earlier[0]), "antall_for": shown(n, 0), "tusen_for": shown(t, 0)}
        return out

    def counts_cases(self, year: int) -> bool:
        """Whether the recipients of ``year`` come from a table that counts
        «sosialhjelpstilfeller» (from 2022), not persons."""
        series = register_doc()["measures"]["mottakere"].get("series")
        return any(
            year in st.years.get(table, [])
            for st in self.ctx.data.stitches
            if st.series == series
            for table in CASE_TABLES
        )

    def convention(
        self, indicator: str, year: int, kind: Kind = Kind.ASSS_SNITT
    ) -> dict[str, Any] | None:
        """The municipality's difference from ``kind`` computed the other way round (its own
        value as the base), for the chapter's note on how differences are computed: ``prosent``
        (its size), ``over`` (the comparison lies above the municipality) and ``mot`` (the
        comparison's name); ``None`` when it rounds to 0 or a value is missing or zero."""
        ctx = self.ctx
        own, _ = ctx.value(indicator, year)
        other, _ = ctx.value(indicator, year, kind)
        label = ctx.peers.label if kind == ctx.main_kind else "sammenligningen"
        if not (own == own and other == other and own and other):
            return None
        back = 100 * (other - own) / own
        if round(back) == 0:
            return None
        return {"prosent": shown(abs(back), 0), "over": back > 0, "mot": label}

    def level(self, indicator: str, year: int, earlier: int) -> dict[str, Any]:
        """The level in ``year`` against the main comparison (with the rank among its members)
        and Landet, and the same differences in ``earlier`` (the params' end of growth):
        ``egen`` and ``sml`` (shown values), ``sml_navn``, ``plass`` (the rank, empty when it
        means nothing), ``naa`` and ``da`` (:meth:`differences` in ``year`` and ``earlier``),
        ``aar_da``.

        Each comparison is named as it was in its year (a KOSTRA group of the scheme before 2020
        is «KOSTRA-gruppe 13 (inndeling til 2019)»: the group the number is computed against),
        a comparison without a number is left out, and the earlier year's differences are left
        out when it is not an earlier year."""
        ctx = self.ctx
        main = ctx.main_kind
        return {
            "egen": ctx.shown(indicator, year),
            "sml": ctx.shown(indicator, year, main),
            "sml_navn": self.comparison_name(indicator, year, main),
            "plass": rank_words(ctx, indicator, year),
            "naa": self.differences(indicator, year),
            "da": self.differences(indicator, earlier) if earlier < year else [],
            "aar_da": str(earlier),
        }

    def comparison_name(self, indicator: str, year: int, kind: Kind) -> str:
        """A comparison's name in ``year`` as its row has it: the KOSTRA group of that year's
        scheme, the county of that year; the peers' label for ASSS and Landet."""
        if kind in (Kind.KOSTRAGRUPPE, Kind.FYLKE):
            for r in self.ctx.comparison_rows(indicator, (year,)):
                if r.kind == kind:
                    return r.series
        return self.ctx.peers.label if kind == self.ctx.main_kind else "landet"

    def differences(self, indicator: str, year: int) -> list[dict[str, Any]]:
        """The differences in ``year`` from the main comparison and Landet that have a number
        (:meth:`difference`), each with its comparison's name as in that year (``mot``)."""
        kinds = [self.ctx.main_kind] + ([Kind.LANDET] if self.ctx.main_kind != Kind.LANDET else [])
        out = []
        for kind in kinds:
            diff = self.difference(indicator, year, kind)
            if diff["ord"]:
                out.append(diff | {"mot": self.comparison_name(indicator, year, kind)})
        return out

    def ranked_bar(
        self, indicator: str, year: int, name: str
    ) -> figure.ChartOutput | MissingFigure | None:
        """The indicator for every ASSS member (or, outside ASSS, every member of the KOSTRA
        group) in ``year``, sorted, the municipality highlighted; nothing when the main
        comparison is Landet (no group to rank in)."""
        ctx = self.ctx
        spec = ctx.indicator(indicator)
        peers = peer_set(ctx, year)
        if peers is None:
            return None
        if ctx.unavailable(indicator):
            return ctx.missing_figure(indicator)
        values = ctx.data.values
        sel = values[
            (values["indicator"] == indicator)
            & (values["year"] == year)
            & values["region"].isin(peers.members)
        ]
        df = pd.DataFrame(
            {
                "Kommune": [ctx.data.name(c) for c in sel["region"]],
                "Verdi": sel["value"].astype(float).to_numpy(),
                "status": sel["status"].to_numpy(),
            }
        ).sort_values("Verdi", ascending=False, na_position="last")
        shown = df["Verdi"].notna()
        if not shown.any():
            return ctx.missing_figure(indicator, title=f"{spec.label}, {peers.label}, {year}")
        n_missing = int((~shown).sum())
        own_shown = bool(shown[df["Kommune"] == ctx.name].any())
        rank_text = ""
        if own_shown:
            pos = list(df.loc[shown, "Kommune"]).index(ctx.name) + 1
            n = int(shown.sum())
            rank_text = (
                f" {ctx.name} har den høyeste verdien av de {n} med tall."
                if pos == 1
                else f" {ctx.name} har den laveste verdien av de {n} med tall."
                if pos == n
                else f" {ctx.name} er nummer {pos} av {n}, regnet fra den høyeste verdien."
            )
        missing = ""
        if n_missing:
            names = ", ".join(df.loc[~shown, "Kommune"])
            missing = (
                f" Uten stolpe (skjult av personvernhensyn eller mangler): {names}."
                if n_missing <= 10
                else f" {n_missing} kommuner har ikke tall og står uten stolpe."
            )
        why = (
            f"{ctx.name} er med i ASSS-nettverket."
            if peers.kind == Kind.ASSS_SNITT
            else f"{ctx.name} er ikke med i ASSS og sammenlignes med kommunene i samme "
            "KOSTRA-gruppe."
        )
        chart = chart_specs.bar_chart(
            df,
            category="Kommune",
            value="Verdi",
            focus=ctx.name,
            title=f"{spec.label}, {peers.label}, {year}",
            description=(
                f"Stolpediagram sortert etter verdi: {spec.label} i {year} for "
                f"{peers.label}, {ctx.name} uthevet."
            ),
            value_title=spec.unit,
            value_format=d3_format(spec.decimals),
        )
        table = df.rename(columns={"Verdi": spec.unit})
        return figure.show_chart(
            chart,
            table,
            name,
            f"{spec.label}, {year}, for {peers.label}. {why}{rank_text}{missing}".strip(),
            decimals=spec.decimals,
            text_columns=["Kommune"],
            provenance=ctx.provenance,
        )

    def meaning(self) -> dict[str, Any]:
        """«Hva betyr dette?» for the chapter: the level against the main comparison
        (``niva``, :meth:`difference`; ``sml``, its name) in the last year, and the headline
        period's decomposition (``vekst``, :func:`~navbok.report.growth_words.
        decomposition_slots`): what the latest growth came from."""
        ctx = self.ctx
        last = ctx.years[-1]
        kind, other = main_kind(ctx, last)
        y0, y1 = self.headline_period()
        return {
            "niva": self.difference("utbetalt_per_innb_18_66", last, kind),
            "sml": other,
            "vekst": decomposition_slots(self.decompose(y0, y1)),
        }

    def texts(
        self,
        year0: int | None = None,
        year1: int | None = None,
        own: growth.Decomposition | None = None,
        table: pd.DataFrame | None = None,
    ) -> dict[str, Any]:
        """The decomposition's values (without building its figure and tables): ``vekst``, the
        slots of the chapter's decomposition paragraph; the growth rates as the tables show
        them; ``funn``, the introduction's growth finding (:meth:`headline`)."""
        ctx = self.ctx
        year0, year1 = self._period(year0, year1)
        own = own or self.decompose(year0, year1)
        group_label, members, *_ = self.group(year1)
        if table is not None and members:
            row = table[table["label"] == group_label]
            g_asss = float(row["g_T"].iloc[0]) if len(row) else float("nan")
        elif members:
            g_asss = shared_decomposition(ctx.data, tuple(members), year0, year1, "").g_T
        else:
            g_asss = float("nan")
        gone = ctx.missing_measures(*GROWTH_MEASURES)
        vekst = decomposition_slots(own, g_asss) | {"mangler": gone}
        if vekst.get("gruppe"):
            vekst["gruppe"] |= self.group_slots(year1)
        return {
            # the decomposition paragraph's slots (chapters/utbetalingsvekst.md)
            "vekst": vekst,
            "aar0": str(year0),
            "aar1": str(year1),
            "g_T": fmt_percent(100 * own.g_T, 1, status=own.status),
            "g_N": fmt_percent(100 * own.g_N, 1, status=own.status),
            "g_L": fmt_percent(100 * own.g_L, 1, status=own.status),
            "g_P": fmt_percent(100 * own.g_P, 1, status=own.status),
            "komb": fmt_percent(100 * own.combination, 1, status=own.status),
            "andel_L": fmt_percent(100 * own.g_L / own.g_T if own.g_T else float("nan"), 0),
            "lmdi_L": fmt_percent(100 * own.lmdi_shares["L"], 0, status=own.status),
            "g_asss": fmt_percent(100 * g_asss, 1),
            "diff_asss": fmt_number(100 * (own.g_T - g_asss), 1),
            "driver": driver(own),
            # the introduction's growth finding: the period the chapter concludes on
            "funn": self.headline(),
        }

    def annual_frame(self) -> pd.DataFrame:
        """Year-on-year growth rows (:func:`navbok.analysis.growth.annual_growth`) for the
        municipality, the main comparison and Landet, with ``Serie`` (label), ``År`` (the later
        year) and ``Vekst`` (percent). ASSS sums, for each pair of years, the members of the
        later year in both years (:meth:`group` of that year), as the decompositions over
        longer periods use the members of their last year; a KOSTRA group is the book's
        grouping in every year."""
        ctx = self.ctx
        years = ctx.years
        frames = []
        group_label = self.group(years[-1]).label
        for label, regions in self.series(years[-1]).items():
            if not regions:
                continue
            members: str | list[str] | dict[int, list[str]] = regions
            if label == group_label and ctx.main_kind == Kind.ASSS_SNITT:
                label = ANNUAL_ASSS_LABEL
                members = {y: self.group(y)[1] for y in years}

            if regions == ctx.kommune:
                a = growth.annual_growth(self.measures(), regions, years)
            else:  # ASSS and Landet: the same for every municipality, computed once
                a = shared_annual_growth(ctx.data, _frozen(members), tuple(years))
            frames.append(a.assign(Serie=label))
        df = pd.concat(frames, ignore_index=True)
        df["År"] = df["year1"]
        df["Vekst"] = df["g_T"] * 100
        return df

    def annual(self) -> tuple[figure.ChartOutput, TableOutput, dict[str, Any]]:
        """Year-on-year growth in payouts for municipality, ASSS and Landet (chart, from
        :meth:`annual_frame`), the municipality's components for every year (table), and the
        largest rise and fall (:func:`~navbok.report.growth_words.annual_slots`)."""
        ctx = self.ctx
        years = ctx.years
        df = self.annual_frame()
        main = self.group(years[-1])
        group_words = (
            "ASSS-kommunene samlet (medlemmene hvert år)"
            if ctx.main_kind == Kind.ASSS_SNITT
            else f"kommunene i {main.name} samlet"
            if main.members
            else ""
        )
        chart = chart_specs.line_chart(
            df,
            x="År",
            y="Vekst",
            series="Serie",
            focus=ctx.name,
            title="Årlig vekst i utbetalt økonomisk sosialhjelp",
            description=(
                f"Linjediagram: prosentvis vekst fra året før i samlet stønadssum for "
                f"{and_list([w for w in (ctx.name, group_words, 'landet') if w])}, "
                f"{years[1]}–{years[-1]}."
            ),
            y_title="prosent fra året før",
            y_format=",.1f",
        )
        table = wide(df, "Serie", "År", "Vekst")
        fig = figure.show_chart(
            chart,
            table,
            "vekst-aarlig",
            "Vekst i samlet stønadssum (bidrag og lån) fra året før, løpende kroner, prosent."
            + self._annual_members_note(),
            decimals=1,
            text_columns=["Serie"],
            provenance=ctx.provenance,
        )
        own = df[df["Serie"] == ctx.name]
        cells = [
            [f"{r.year0}–{r.year1}"]
            + [fmt_percent(100 * getattr(r, k), 1, status=r.status) for k in GROWTH_COLUMNS]
            for r in named_rows(own)
        ]
        data = own[["year0", "year1", *GROWTH_COLUMNS]].copy()
        data[list(GROWTH_COLUMNS)] = data[list(GROWTH_COLUMNS)] * 100  # percent, as shown
        data = data.rename(columns={"year0": "Fra år", "year1": "Til år", **SHORT_COLUMNS})
        marks = [status.symbol(m) if m else None for m in own["status"]]
        marked = with_cell_statuses(data, {c: marks for c in SHORT_COLUMNS.values()})
        tab = show_table(
            pd.DataFrame(cells, columns=["Periode", *SHORT_COLUMNS.values()]),
            "vekst-aarlig-komponenter",
            f"Årlig vekst i utbetalt sosialhjelp i {ctx.name}, dekomponert",
            data=marked,
            provenance=ctx.provenance,
        )
        return fig, tab, annual_slots(own)

    def _annual_members_note(self) -> str:
        """Which members the annual growth of the main comparison sums (for the caption)."""
        ctx = self.ctx
        years = ctx.years
        main = self.group(years[-1])
        if ctx.main_kind == Kind.KOSTRAGRUPPE and main.members:
            return (
                f" {main.name} er kommunene i gruppen etter "
                f"inndelingen i {years[-1]}, de samme i alle år."
            )
        if ctx.main_kind != Kind.ASSS_SNITT:
            return ""
        asss = book_asss(ctx.groups, years)
        text = (
            " ASSS er medlemmene i det siste av de to årene, summert begge år, som i "
            f"dekomponeringen over ({asss.sizes_text()})."
        )
        if asss.changes():
            text += (
                " Fordi medlemmene endret seg, blir de årlige vekstratene kjedet sammen over "
                "et medlemsskifte ikke nøyaktig lik veksten over hele perioden."
            )
        return text

    def difference(self, indicator: str, year: int, kind: Kind) -> dict[str, Any]:
        """The relative difference (kommune − sammenligning) / sammenligning, the book's
        convention (the comparison is the base): ``ord`` «høyere enn», «lavere enn» or «på nivå
        med» (rounds to 0 percent; empty when a value is missing) and ``prosent``, its size in
        whole percent."""
        own, _ = self.ctx.value(indicator, year)
        other, _ = self.ctx.value(indicator, year, kind)
        diff = 100 * (own - other) / other if other else float("nan")
        if diff != diff:  # a comparison without a number is left out, never «ukjent (..)»
            return {"ord": "", "prosent": shown(None, 0)}
        word = "på nivå med" if round(diff) == 0 else "høyere enn" if diff > 0 else "lavere enn"
        return {"ord": word, "prosent": shown(abs(diff), 0)}

    def proba_peers(self) -> tuple[list[str], str]:
        """Whom the Proba index compares the municipality with, and their name for a
        sentence: the book's own peers (:meth:`group`), i.e. the ASSS members of
        :data:`PROBA_YEAR` for an ASSS member, the KOSTRA group as the book groups it
        otherwise (none when the book compares with Landet), and the neighbours; no codes and
        an empty name when there are none."""
        ctx = self.ctx
        neighbours = list(ctx.params.neighbours)
        if ctx.main_kind == Kind.ASSS_SNITT:
            members = asss_members(PROBA_YEAR, ctx.groups.asss_variant)
            who = f"ASSS-kommunene i {PROBA_YEAR}"
        elif ctx.main_kind == Kind.KOSTRAGRUPPE:
            members = self.group(ctx.years[-1]).members
            who = f"{ctx.peers.members_label} (inndelingen boka bruker)"
        else:
            members, who = [], ""
        if neighbours:
            word = "nabokommunen" if len(neighbours) == 1 else "nabokommunene"
            names = and_list([ctx.data.name(c) for c in neighbours])
            who = f"{who} og {word} {names}" if who else f"{word} {names}"
        return sorted({*neighbours, *members} - {ctx.kommune}), who

    def proba(self) -> figure.ChartOutput:
        """Proba's published index of actual spending against estimated need, 2012–2016, for
        the municipality and the book's peers (:meth:`proba_peers`; published, not
        recomputed)."""
        ctx = self.ctx
        peers, who = self.proba_peers()
        register = ctx.data.register
        full = proba_full_index(ctx.data)
        ref = proba_comparison(ctx.kommune, peers, register=register, full=full)
        df = ref.frame.rename(columns={"label": "Kommune", "aar": "År", "indeks": "Indeks"})
        df["År"] = df["År"].astype(int)
        table = wide(df, "Kommune", "År", "Indeks")
        last = int(df["År"].max()) if len(df) else 2016
        own = df[df["own"]]
        focus = str(own["Kommune"].iloc[0]) if len(own) else ""
        bars = df[df["År"] == last][["Kommune", "Indeks"]]
        chart = chart_specs.bar_chart(
            bars,
            category="Kommune",
            value="Indeks",
            focus=focus,
            title=f"Faktiske utgifter mot beregnet behov {last} (Proba 2017), indeks",
            description=(
                f"Stolpediagram: Probas publiserte indeks for {last} for {ctx.name}"
                f"{' og ' + who if peers else ''}. 100 betyr utgifter lik beregnet behov; over "
                "100 betyr høyere utgifter enn behovet tilsier."
            ),
            value_title="indeks (behov = 100)",
            value_format=",.0f",
            reference=100,
        )
        missing = "" if len(own) else f" {ctx.name} har ikke egen verdi i tabellen."
        return figure.show_chart(
            chart,
            table,
            "proba-indeks",
            f"Publisert historisk resultat, ikke beregnet på nytt: {ref.source}. "
            + (
                f"{ctx.name} sammenlignes med {who}, som i resten av boka. "
                if peers
                else f"Boka sammenligner {ctx.name} med landet, og Proba publiserte ingen indeks "
                "for landet. "
            )
            + "Tabellen har alle årene 2012–2016. "
            "Kommunene står med 2017-inndelingen; sammenslåtte kommuner vises med hver av de "
            f"tidligere kommunene.{missing}",
            decimals=0,
            text_columns=["Kommune"],
            provenance=ctx.provenance,
        )


def _whole(value: float) -> int | None:
    """A count as a whole number (persons, months), ``None`` when missing."""
    return None if value != value else round(value)


def _with_row_status(frame: pd.DataFrame, symbol: str | None) -> MarkedFrame:
    """``frame`` with one status for every number (the decomposition's status: all its
    numbers are missing or none is), so its download has a status column beside each."""
    out = frame.copy()
    marks = [status.symbol(symbol) if symbol else None] * len(out)
    return with_cell_statuses(out, {str(c): marks for c in out.columns[1:]})


@national_pass
def growth_measures(data: NavData) -> growth.MeasureTable:
    """The measures the decomposition needs (T, N, M), indexed once per loaded snapshot."""
    return growth.MeasureTable(data.measures)


#: Members as a hashable key: a region code, a list of codes, or codes by year.
Members = str | tuple[str, ...] | tuple[tuple[int, tuple[str, ...]], ...]


def _frozen(members: str | list[str] | dict[int, list[str]]) -> Members:
    if isinstance(members, str):
        return members
    if isinstance(members, dict):
        return tuple(sorted((y, tuple(m)) for y, m in members.items()))
    return tuple(members)


@national_pass
def shared_decomposition(
    data: NavData, members: Members, year0: int, year1: int, label: str
) -> growth.Decomposition:
    """:func:`navbok.analysis.growth.decompose_regions` of a region or a sum of regions
    (``members``: a code or codes) between two years with ``label``: a comparison (ASSS, a
    KOSTRA group, Landet) is the same for every book with these members, so it is kept per
    loaded snapshot and these arguments (all it depends on); a frozen dataclass."""
    regions: str | list[str] = members if isinstance(members, str) else list(members)  # type: ignore[arg-type]
    return growth.decompose_regions(growth_measures(data), regions, year0, year1, label=label)


@national_pass
def shared_annual_growth(data: NavData, members: Members, years: tuple[int, ...]) -> pd.DataFrame:
    """The annual growth of a sum of municipalities the same for every book (ASSS with each
    year's members, Landet), once per loaded snapshot."""
    regions: str | list[str] | dict[int, list[str]]
    if isinstance(members, str):
        regions = members
    elif members and isinstance(members[0], tuple):
        regions = {int(y): list(m) for y, m in members}
    else:
        regions = list(members)  # type: ignore[arg-type]
    return growth.annual_growth(growth_measures(data), regions, list(years))


@national_pass
def proba_full_index(data: NavData) -> pd.DataFrame:
    """Proba's published index for every municipality (read once per loaded snapshot)."""
    return proba_index(register=data.register)
