"""Rules for the chapter «Arbeidsavklaringspenger (AAP)» (``chapters/aap.md`` holds its
sentences): which AAP month and which pairing with social assistance the chapter reads, the
numbers it names (as :class:`~navbok.present.shown.Shown` values), the level words and the
cases that choose between its phrasings; and its tables and charts (the AAP share against
social assistance, NAV's months in the snapshot, the number of recipients).

NAV publishes AAP155 for the current year only, so the chapter opens with the newest month the
snapshot holds, names that month wherever it is used, and shows Decembers over the years only
where the snapshot has them (kept from earlier fetches or added with ``navbok fetch
--nav-arkiv``); which month each figure uses follows :mod:`navbok.analysis.aap_periods`. The
months of the newest year are shown as counts and shares of recipients
(:meth:`AapViews.months_table`), the Februaries and Decembers of earlier years as counts
(:meth:`AapViews.counts`).

The arithmetic lives in :mod:`navbok.analysis.aap`.
"""

from __future__ import annotations

import pandas as pd

from navbok import status
from navbok.analysis.aap import expected_share
from navbok.analysis.aap_periods import AapReading, Pairing
from navbok.comparison import Kind
from navbok.data import NavData
from navbok.measures import aap_frame
from navbok.national_facts import national_pass
from navbok.present.exports import Provenance, with_cell_estimates, with_cell_statuses
from navbok.present.figure import ChartOutput
from navbok.present.numbers import fmt_number
from navbok.present.plain_table import named_rows
from navbok.present.prose import MONTHS, and_list, month
from navbok.present.shown import Shown, shown
from navbok.present.tables import TableOutput, show_table
from navbok.report.context import Context
from navbok.report.figures import Figures
from navbok.report.missing import MissingFigure
from navbok.report.words import level_word

#: NAV's counts of AAP recipients the chapter shows, with their month.
COUNTS = (("aap_mottakere_februar", "Februar"), ("aap_mottakere", "Desember"))

#: The numbers of the AAP/social-assistance comparison (:meth:`AapViews.ratio_values`).
RATIO_VALUES = ("aap_andel", "sos_andel", "forholdstall", "aap_sml", "sos_sml",
                "forholdstall_sml", "forventet")  # fmt: skip


class AapViews:
    """The AAP chapter's rules, tables and charts for one municipality."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._ratio_tables: dict[tuple[str, int, int], tuple[pd.DataFrame, float, float]] = {}

    # ------------------------------------------------------------ which month
    def latest(self) -> AapReading | None:
        """The newest month the snapshot holds (the chapter's «now»; ``None`` without AAP
        data)."""
        return self.ctx.aap_periods.latest()

    def decembers(self) -> list[int]:
        """The book's years whose December the snapshot holds."""
        ctx = self.ctx
        return [y for y in ctx.aap_periods.decembers if y in ctx.years]

    def first_december(self) -> int | None:
        """The first of :meth:`decembers` (``None`` when there is none)."""
        decembers = self.decembers()
        return decembers[0] if decembers else None

    def now(self, kind: Kind = Kind.KOMMUNE) -> Shown:
        """The AAP share in the newest month for ``kind`` (missing without AAP data)."""
        latest = self.latest()
        if latest is None:
            return shown(None, 2)
        return self.ctx.shown(latest.indicator, latest.year, kind)

    def rank(self) -> str:
        """Where the newest month's share ranks among the members of the main comparison,
        without the parentheses of :meth:`~navbok.report.context.Context.position` («lavest
        av de 11 ASSS-kommunene»); empty when no rank can mean anything."""
        latest = self.latest()
        if latest is None:
            return ""
        return self.ctx.position(latest.indicator, latest.year).strip()[1:-1]

    def coverage(self) -> dict[str, object]:
        """Which months of NAV's AAP155 the snapshot holds: the first (``fra``) and last
        (``til``) in words, how many (``maaneder``, an int) and the years between without a
        workbook (``aar_mangler``, «2016, 2017»); empty texts and 0 without AAP data."""
        periods = self.ctx.aap_periods.periods
        if not periods:
            return {"fra": "", "til": "", "maaneder": 0, "aar_mangler": ""}
        years = self.ctx.data.snapshot.aap_years()
        gaps = [y for y in range(years[0], years[-1] + 1) if y not in years]
        return {
            "fra": month(periods[0]),
            "til": month(periods[-1]),
            "maaneder": len(periods),
            "aar_mangler": ", ".join(map(str, gaps)),
        }

    def missing_decembers(self) -> str:
        """The book's years whose December the snapshot lacks, as a list in words («2020»,
        «2015–2024», «2015, 2017 og 2019»); empty when none is missing or there is no AAP
        data."""
        ctx = self.ctx
        if ctx.aap_periods.latest() is None:
            return ""
        return _years_text(ctx.aap_periods.missing_decembers(ctx.years))

    # ------------------------------------------------ against social assistance
    def pairing(self) -> Pairing | None:
        """Which AAP month the ratio and the expected share pair with which year of social
        assistance (the params' ``aap_year`` when the snapshot holds its December)."""
        return self.ctx.aap_periods.pairing(self.ctx.params.aap_year)

    def _ratios(self, pairing: Pairing) -> tuple[pd.DataFrame, float, float]:
        """The ratio table of a pairing (the peers' series) with the main comparison's AAP and
        social-assistance shares; made once per pairing (the table and the text both ask)."""
        key = (pairing.aap.indicator, pairing.aap.year, pairing.sos_year)
        if key in self._ratio_tables:
            return self._ratio_tables[key]
        ctx = self.ctx
        t = ctx.ratio_table(pairing.aap.indicator, pairing.aap.year, pairing.sos_year)
        t = t[t["kind"].isin(ctx.peers.bar_kinds)].reset_index(drop=True)
        main = t[t["kind"] == ctx.main_kind]
        m_aap = float(main["aap"].iloc[0]) if len(main) else float("nan")
        m_sos = float(main["sos"].iloc[0]) if len(main) else float("nan")
        self._ratio_tables[key] = (t, m_aap, m_sos)
        return t, m_aap, m_sos

    def ratio_values(self) -> dict[str, Shown]:
        """The numbers of the comparison with social assistance for the pairing of
        :meth:`pairing`: the municipality's AAP share (``aap_andel``), social-assistance share
        (``sos_andel``) and ratio (``forholdstall``), the main comparison's (``aap_sml``,
        ``sos_sml``, ``forholdstall_sml``: the ratio of its two shares) and the expected share
        (``forventet``: the municipality's social-assistance share times the main comparison's
        ratio, one decimal). All missing without a pairing."""
        pairing = self.pairing()
        if pairing is None:
            return {k: shown(None, 1 if k == "forventet" else 2) for k in RATIO_VALUES}
        t, m_aap, m_sos = self._ratios(pairing)
        own_rows = t[t["kind"] == Kind.KOMMUNE]
        if len(own_rows):
            own = own_rows.iloc[0]
            aap = shown(own["aap"], 2, own["aap_status"])
            sos = shown(own["sos"], 2, own["sos_status"])
            ratio = shown(own["ratio"], 2)
        else:
            aap = sos = ratio = shown(None, 2, status.NOT_AVAILABLE)
        own_sos = sos.value if sos.value is not None else float("nan")
        return {
            "aap_andel": aap,
            "sos_andel": sos,
            "forholdstall": ratio,
            "aap_sml": shown(m_aap, 2),
            "sos_sml": shown(m_sos, 2),
            "forholdstall_sml": shown(m_aap / m_sos if m_sos else float("nan"), 2),
            "forventet": shown(expected_share(own_sos, m_aap, m_sos), 1),
        }

    def fewer_or_more(self) -> str:
        """«færre» or «flere»: whether the municipality has fewer or more AAP recipients per
        recipient of social assistance than its main comparison (the ratios of
        :meth:`ratio_values`); empty when a ratio is missing or both are equal as shown."""
        v = self.ratio_values()
        own, main = v["forholdstall"], v["forholdstall_sml"]
        if own.missing or main.missing or own.text == main.text:
            return ""
        assert own.value is not None and main.value is not None
        return "færre" if own.value < main.value else "flere"

    def newest_ratio_year(self) -> int | None:
        """The book's newest year when the pairing of :meth:`pairing` is an earlier year and
        the municipality and its main comparison both have a ratio for it (the reader then
        sees both); ``None`` otherwise."""
        ctx = self.ctx
        pairing = self.pairing()
        last = ctx.years[-1]
        if pairing is None or pairing.sos_year == last or ctx.unavailable("aap_forholdstall"):
            return None
        own, _ = ctx.value("aap_forholdstall", last)
        main, _ = ctx.value("aap_forholdstall", last, ctx.main_kind)
        return last if own == own and main == main else None

    def levels(self) -> dict[str, str]:
        """Level words against the main comparison («lavere enn», «på nivå med», «høyere
        enn»; empty when a number is missing): the newest month's AAP share (``andel``), and
        for the pairing the AAP share (``aap``) and the social-assistance share (``sos``)."""
        v = self.ratio_values()

        def word(own: Shown, other: Shown) -> str:
            nan = float("nan")
            a = own.value if own.value is not None else nan
            b = other.value if other.value is not None else nan
            return level_word(a, b, 2)

        return {
            "andel": word(self.now(), self.now(self.ctx.main_kind)),
            "aap": word(v["aap_andel"], v["aap_sml"]),
            "sos": word(v["sos_andel"], v["sos_sml"]),
        }

    def ratio_table(self) -> TableOutput | MissingFigure:
        """AAP share, social-assistance share and ratio for the pairing of :meth:`pairing`
        (the comparison's series; a visible gap without AAP or KOSTRA data)."""
        pairing = self.pairing()
        if pairing is None:
            return MissingFigure(
                "AAP-andel og sosialhjelpsandel",
                "Datagrunnlaget har ingen AAP-tall fra NAV, så forholdstallet kan ikke regnes ut.",
            )
        t, _, _ = self._ratios(pairing)
        cells = [
            (
                r.series,
                fmt_number(r.aap, 2, status=r.aap_status),
                fmt_number(r.sos, 2, status=r.sos_status),
                fmt_number(r.ratio, 2, status=r.aap_status or r.sos_status),
            )
            for r in named_rows(t)
        ]
        aap_head = f"AAP-andel {pairing.aap.label} (%)"
        sos_head = f"Sosialhjelpsandel {pairing.sos_year} (%)"
        head = ["", aap_head, sos_head, "Forholdstall"]
        numbers = t.rename(
            columns={"series": "Serie", "aap": aap_head, "sos": sos_head, "ratio": head[3]}
        )[["Serie", aap_head, sos_head, head[3]]]
        marked = with_cell_statuses(
            numbers,
            {
                aap_head: [
                    None if v == v else (s or status.NOT_AVAILABLE)
                    for v, s in zip(t["aap"], t["aap_status"], strict=True)
                ],
                sos_head: [
                    None if v == v else (s or status.NOT_AVAILABLE)
                    for v, s in zip(t["sos"], t["sos_status"], strict=True)
                ],
                head[3]: [
                    None if v == v else (a or b or status.NOT_AVAILABLE)
                    for v, a, b in zip(t["ratio"], t["aap_status"], t["sos_status"], strict=True)
                ],
            },
        )
        return show_table(
            pd.DataFrame(cells, columns=head),
            "aap-forholdstall",
            f"AAP-andel i {pairing.aap.label}, andel sosialhjelpsmottakere i {pairing.sos_year} "
            "og forholdstallet mellom dem. Begge andeler er av innbyggerne 18–66 år.",
            data=marked,
            provenance=self.ctx.provenance,
        )

    def ratio(self) -> tuple[TableOutput | MissingFigure, dict[str, str]]:
        """:meth:`ratio_table` with the numbers of :meth:`ratio_values` as texts, for the
        introduction's finding: ``aap_andel``, ``sos_andel``, ``ratio``, ``ratio_main`` (and
        ``ratio_asss`` for an ASSS member), ``forventet``, ``sammenligning`` and the periods
        (``periode``: the paired periods as a phrase, ``aap_periode``: the AAP month,
        ``sos_aar``); empty texts without a pairing."""
        ctx = self.ctx
        pairing = self.pairing()
        if pairing is None:
            blank = {k: "" for k in ("aap_andel", "sos_andel", "ratio", "ratio_main", "forventet")}
            return self.ratio_table(), {**blank, "periode": "", "aap_periode": "", "sos_aar": "",
                                        "sammenligning": ctx.peers.label}  # fmt: skip
        v = self.ratio_values()
        texts = {
            "aap_andel": v["aap_andel"].text,
            "sos_andel": v["sos_andel"].text,
            "ratio": v["forholdstall"].text,
            "ratio_main": v["forholdstall_sml"].text,
            "forventet": v["forventet"].text,
            "sammenligning": ctx.peers.label,
            "periode": pairing.sentence,
            "aap_periode": pairing.aap.label,
            "sos_aar": str(pairing.sos_year),
        }
        if ctx.main_kind == Kind.ASSS_SNITT:
            texts["ratio_asss"] = texts["ratio_main"]
        return self.ratio_table(), texts

    # ------------------------------------------------------------ tables, charts
    def history(self, name: str = "aap-andel") -> ChartOutput | MissingFigure:
        """The December share over the years (a line chart) when the snapshot holds at least
        two Decembers of the book's years; otherwise a visible gap that says why and how to
        add the history."""
        ctx = self.ctx
        decembers = self.decembers()
        if len(decembers) < 2:
            have = (
                f"Datagrunnlaget har desember bare for {decembers[0]}"
                if decembers
                else "Datagrunnlaget har ingen desembertall"
            )
            return MissingFigure(
                ctx.indicator("aap_andel").label,
                f"{have}, så utviklingen fra år til år kan ikke vises (se avsnittet under).",
            )
        return Figures(ctx).line("aap_andel", name, years=decembers)

    def ratio_history(self, name: str = "aap-forholdstall-over-tid") -> ChartOutput | MissingFigure:
        """The ratio over the years, December against the same year's social assistance (the
        pairing of :meth:`pairing` when the snapshot holds that December), when the snapshot
        holds at least two Decembers of the book's years; otherwise a visible gap."""
        ctx = self.ctx
        decembers = self.decembers()
        if len(decembers) < 2:
            return MissingFigure(
                ctx.indicator("aap_forholdstall").label + " over tid",
                "Forholdstallet over tid trenger AAP i desember i flere år; datagrunnlaget har "
                f"{'bare ' + str(decembers[0]) if decembers else 'ingen'} (se «AAP-andelen nå "
                "og over tid»).",
            )
        return Figures(ctx).line("aap_forholdstall", name, years=decembers)

    def months_table(self, name: str = "aap-maaneder") -> TableOutput | None:
        """NAV's recipients of AAP in the municipality in each month of the newest year the
        snapshot holds, with the share of the inhabitants 18–66 on 1 January of that year
        (NAV's standard for the current year: the last row is the share the chapter opens
        with); ``None`` without AAP data or when every month is hidden or missing."""
        ctx = self.ctx
        latest = ctx.aap_periods.latest()
        if latest is None:
            return None
        year = latest.year
        frame = aap_year_frame(ctx.data, year)
        own = frame[frame["region"] == ctx.kommune].sort_values("month")
        pop = ctx.measure("befolkning_18_66_1jan", year)
        rows: list[tuple[str, list[Cell]]] = []
        for m, value, found in zip(own["month"], own["value"], own["status"], strict=True):
            count, symbol = _cell(value, found)
            share = 100 * count / pop if count == count and pop == pop and pop else float("nan")
            rows.append((MONTHS[int(m) - 1], [(count, symbol, 0), (*_cell(share, symbol), 2)]))
        if not any(cells[0][0] == cells[0][0] for _, cells in rows):
            return None  # every month hidden or missing: the paragraph above says so
        head = ["Måned", "Mottakere (personer)", "Andel av innbyggerne 18–66 år (%)"]
        return _table(
            name,
            f"Mottakere av AAP i {ctx.name}, {rows[0][0]}–{rows[-1][0]} {year} (NAV AAP155).",
            head,
            rows,
            [f"Symboler: {status.LEGEND}."],
            provenance=ctx.provenance,
        )

    def counts(self, name: str = "aap-antall") -> TableOutput | None:
        """NAV's number of AAP recipients in the municipality in February and December of
        each of the book's years whose December the snapshot holds (with the December share);
        ``None`` when there is no such year, or every count is hidden or missing."""
        ctx = self.ctx
        years = self.decembers()
        own = ctx.data.measure_cells(ctx.kommune)
        guessed = ctx.data.measure_estimates(ctx.kommune)
        rows: list[tuple[str, list[Cell]]] = []
        estimates: list[list[bool]] = []
        for year in years:
            cells: list[Cell] = [
                (*_cell(*own.get((measure, year), (float("nan"), None))), 0)
                for measure, _ in COUNTS
            ]
            rows.append((str(year), [*cells, (*_cell(*ctx.value("aap_andel", year)), 2)]))
            flags = [(measure, year) in guessed for measure, _ in COUNTS]
            estimates.append([*flags, flags[-1]])  # the share of an estimated December count
        if not any(v == v for _, cells in rows for v, _, _ in cells[:2]):
            return None
        head = ["År", "Februar (personer)", "Desember (personer)", "Andel i desember (%)"]
        return _table(
            name,
            f"Mottakere av AAP i {ctx.name}, februar og desember hvert år (NAV AAP155).",
            head,
            rows,
            [f"Symboler: {status.LEGEND}."],
            estimates=estimates,
            provenance=ctx.provenance,
        )


def _years_text(years: list[int]) -> str:
    """«2020», «2015–2024» (consecutive), «2015, 2017 og 2019»."""
    if len(years) > 2 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return and_list([str(y) for y in years])


#: One cell of a table of counts: the value, its SSB symbol when missing, its decimals.
Cell = tuple[float, str | None, int]


def _cell(value: object, found: str | None) -> tuple[float, str | None]:
    """A value as a float with its symbol: none for a number, else SSB's (``..`` when the
    data give none) — a missing value always has one."""
    number = float(value)  # type: ignore[arg-type]
    return number, (None if number == number else (found or status.NOT_AVAILABLE))


def _table(
    name: str,
    caption: str,
    head: list[str],
    rows: list[tuple[str, list[Cell]]],
    notes: list[str],
    estimates: list[list[bool]] | None = None,
    *,
    provenance: Provenance,
) -> TableOutput:
    """A table of counts and shares by row label: Norwegian numbers with SSB's symbols on the
    page (and «≈» before an estimate, ``estimates``: a flag per cell of each row), in the
    download the numbers — counts (no decimals) as whole persons — with a status column beside
    every column."""
    shown = [[label, *(fmt_number(v, d, status=s) for v, s, d in cells)] for label, cells in rows]
    data = pd.DataFrame([[label, *(v for v, _, _ in cells)] for label, cells in rows], columns=head)
    for j, column in enumerate(head[1:]):
        if rows and all(cells[j][2] == 0 for _, cells in rows):
            data[column] = data[column].round().astype("Int64")
    marks = {head[j + 1]: [cells[j][1] for _, cells in rows] for j in range(len(head) - 1)}
    marked = with_cell_statuses(data, marks)
    if estimates:
        flags = {head[j + 1]: [e[j] for e in estimates] for j in range(len(head) - 1)}
        marked = with_cell_estimates(marked, flags)
    page = pd.DataFrame(shown, columns=head)
    return show_table(page, name, caption, data=marked, notes=notes, provenance=provenance)


@national_pass
def aap_year_frame(data: NavData, year: int) -> pd.DataFrame:
    """NAV's AAP counts of every region in each month of ``year`` (once per loaded snapshot)."""
    return aap_frame(data.snapshot, data.register, years=[year])
