"""Report views for the chapter «Arbeidsavklaringspenger (AAP)»: the AAP share against social
assistance (the ratio and the expected share) with the municipality's rank among its peers,
NAV's months in the snapshot, the number of recipients, and the closing «Hva betyr dette?».

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
from navbok.analysis.aap import expected_share, ratio_table
from navbok.analysis.aap_periods import Pairing
from navbok.comparison import Kind
from navbok.measures import aap_frame
from navbok.present.exports import Provenance, with_cell_estimates, with_cell_statuses
from navbok.present.figure import ChartOutput
from navbok.present.markdown import Markdown, escape
from navbok.present.numbers import fmt_number
from navbok.present.prose import MONTHS, and_list, month
from navbok.present.tables import TableOutput, show_table
from navbok.report.context import MISSING_TEXTS, Context
from navbok.report.figures import Figures
from navbok.report.missing import MissingFigure
from navbok.report.words import compare_word

#: NAV's counts of AAP recipients the chapter shows, with their month.
COUNTS = (("aap_mottakere_februar", "Februar"), ("aap_mottakere", "Desember"))

#: The chapter's opening when the params give none (``texts: aap_intro``).
DEFAULT_INTRO = (
    "Kapitlet ser på hvor stor andel av innbyggerne 18–66 år i {navn} som mottar "
    "arbeidsavklaringspenger (AAP), sammenlignet med {sammenligning} og over tid."
)
#: Where the AAP–social-assistance comparison comes from, when the params say nothing
#: (``texts: aap_ratio``).
DEFAULT_RATIO_SOURCE = (
    "En måte å lese AAP-andelen på er å sette den opp mot andelen som mottar økonomisk sosialhjelp."
)
#: How a user adds the AAP history NAV no longer serves (our Markdown: said once per page, in
#: the paragraph on the months; the gaps point to it).
ADD_HISTORY = Markdown(
    "NAV publiserer tabellen AAP155 bare for inneværende år. Hver ny henting tar vare på "
    "månedene datagrunnlaget allerede har, og eldre AAP155-filer kan legges til med "
    "`navbok fetch --nav-arkiv MAPPE`."
)


class AapViews:
    """The AAP chapter's views for one municipality."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._ratio_tables: dict[tuple[str, int, int], tuple[pd.DataFrame, float, float]] = {}

    def intro(self) -> str:
        """The chapter's opening sentence: the municipality's own (``texts: aap_intro`` in
        the params) or the general one."""
        ctx = self.ctx
        own = ctx.params.texts.get("aap_intro")
        return own or DEFAULT_INTRO.format(navn=ctx.name, sammenligning=ctx.peers.label)

    def ratio_source(self) -> str:
        """Where the comparison of AAP with social assistance comes from (params
        ``texts: aap_ratio``, or a general sentence)."""
        return self.ctx.params.texts.get("aap_ratio") or DEFAULT_RATIO_SOURCE

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
        aap = ctx.comparison(pairing.aap.indicator, [pairing.aap.year])
        sos = ctx.comparison("andel_18_66", [pairing.sos_year])
        t = ratio_table(aap, sos, pairing.aap.year, pairing.sos_year)
        t = t[t["kind"].isin(ctx.peers.bar_kinds)].reset_index(drop=True)
        main = t[t["kind"] == ctx.main_kind]
        m_aap = float(main["aap"].iloc[0]) if len(main) else float("nan")
        m_sos = float(main["sos"].iloc[0]) if len(main) else float("nan")
        self._ratio_tables[key] = (t, m_aap, m_sos)
        return t, m_aap, m_sos

    def missing_request(self) -> str:
        """The sentence for a params year whose December the snapshot lacks (empty when the
        snapshot has it, or the params ask for none)."""
        pairing = self.pairing()
        if pairing is None or pairing.missing is None:
            return ""
        year = pairing.missing
        return (
            f"Sammenligningen for {self.ctx.name} er satt opp for {year}, men NAVs tall for "
            f"desember {year} er ikke i datagrunnlaget (NAV publiserer bare inneværende år; se "
            f"«AAP-andelen nå og over tid»). Derfor brukes {pairing.periods}."
            if not pairing.same_year
            else f"Sammenligningen for {self.ctx.name} er satt opp for {year}, men NAVs tall "
            f"for desember {year} er ikke i datagrunnlaget. Derfor brukes {pairing.sos_year}."
        )

    def ratio(self) -> tuple[TableOutput | MissingFigure, dict[str, str]]:
        """AAP share, social-assistance share and ratio for the pairing of :meth:`pairing`,
        with the expected share (the municipality's social-assistance share times its main
        comparison's ratio), and the texts the chapter fills in («periode»: the paired periods
        in a sentence, «aap_periode»: the AAP month)."""
        ctx = self.ctx
        pairing = self.pairing()
        if pairing is None:
            gap = MissingFigure(
                "AAP-andel og sosialhjelpsandel",
                "Datagrunnlaget har ingen AAP-tall fra NAV, så forholdstallet kan ikke regnes ut.",
            )
            blank = {k: "" for k in ("aap_andel", "sos_andel", "ratio", "ratio_main", "forventet")}
            return gap, {**blank, "periode": "", "aap_periode": "", "sos_aar": "",
                         "sammenligning": ctx.peers.label}  # fmt: skip
        t, m_aap, m_sos = self._ratios(pairing)
        own_rows = t[t["kind"] == Kind.KOMMUNE]
        own = own_rows.iloc[0] if len(own_rows) else None
        own_sos = float(own["sos"]) if own is not None else float("nan")
        expected = expected_share(own_sos, m_aap, m_sos)
        cells = [
            (
                r.series,
                fmt_number(r.aap, 2, status=r.aap_status),
                fmt_number(r.sos, 2, status=r.sos_status),
                fmt_number(r.ratio, 2, status=r.aap_status or r.sos_status),
            )
            for r in t.itertuples()
        ]
        aap_head = f"AAP-andel {pairing.aap.label} (%)"
        sos_head = f"Sosialhjelpsandel {pairing.sos_year} (%)"
        head = ["", aap_head, sos_head, "Forholdstall"]
        notes = ["Forholdstall = AAP-andel / sosialhjelpsandel."]
        if ctx.peers.asss_member:
            notes[0] += " For ASSS-snittet er det forholdet mellom de to snittene."
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
        table = show_table(
            pd.DataFrame(cells, columns=head),
            "aap-forholdstall",
            f"AAP-andel i {pairing.aap.label}, andel sosialhjelpsmottakere i {pairing.sos_year} "
            "og forholdstallet mellom dem. Begge andeler er av innbyggerne 18–66 år.",
            data=marked,
            notes=[
                *notes,
                f"AAP-andelen er NAVs mottakere i {pairing.aap.label}; sosialhjelpsandelen er "
                f"mottakere i løpet av {pairing.sos_year} (SSB).",
            ],
            provenance=ctx.provenance,
        )
        main_ratio = m_aap / m_sos if m_sos else float("nan")
        texts = {
            "aap_andel": fmt_number(own["aap"], 2, status=own["aap_status"])
            if own is not None
            else status.NOT_AVAILABLE,
            "sos_andel": fmt_number(own_sos, 2, status=own["sos_status"])
            if own is not None
            else status.NOT_AVAILABLE,
            "ratio": fmt_number(own["ratio"], 2) if own is not None else status.NOT_AVAILABLE,
            "ratio_main": fmt_number(main_ratio, 2),
            "forventet": fmt_number(expected, 1),
            "sammenligning": ctx.peers.label,
            "periode": pairing.sentence,
            "aap_periode": pairing.aap.label,
            "sos_aar": str(pairing.sos_year),
        }
        if ctx.main_kind == Kind.ASSS_SNITT:
            texts["ratio_asss"] = texts["ratio_main"]
        return table, texts

    def standing(self, indicator: str, year: int, when: str = "") -> str:
        """A sentence on where the municipality stands among the members of its main
        comparison («I oktober 2025 var AAP-andelen i Bærum lavest av de 11 ASSS-kommunene.»);
        empty when no rank can mean anything. ``when``: the period in words (default the
        year)."""
        ctx = self.ctx
        phrase = ctx.position(indicator, year).strip()[1:-1]
        if not phrase:
            return ""
        what = {
            "aap_andel": "AAP-andelen",
            "aap_andel_siste": "AAP-andelen",
            "aap_forholdstall": "forholdstallet",
        }.get(indicator, ctx.indicator(indicator).name)
        return f"I {when or year} var {what} i {ctx.name} {phrase}."

    def share_paragraph(self) -> str:
        """The AAP share in the newest month against the main comparison and Landet, the
        municipality's rank, and the first December the snapshot holds; when the
        municipality's figure is hidden, that once and the comparisons that have numbers."""
        ctx = self.ctx
        latest = ctx.aap_periods.latest()
        if latest is None:
            return Markdown("Datagrunnlaget har ingen AAP-tall fra NAV. ") + ADD_HISTORY
        label = ctx.peers.label
        ind, year, when = latest.indicator, latest.year, latest.label
        own, main, land = (
            ctx.text(ind, year, k) for k in (Kind.KOMMUNE, ctx.main_kind, Kind.LANDET)
        )
        others = [
            f"{v} prosent i {where}"
            for v, where in ((main, label), (land, "landet"))
            if v not in MISSING_TEXTS
        ]
        if own in MISSING_TEXTS:
            text = (
                f"AAP-tallene for {ctx.name} er skjult av personvernhensyn (færre enn fire "
                "mottakere) eller mangler."
            )
            if others:
                text += f" I {when} var andelen {and_list(others)}."
            return text
        text = f"I {when} mottok {own} prosent av innbyggerne 18–66 år i {ctx.name} AAP"
        text += f", mot {and_list(others)}." if others else "."
        if standing := self.standing(ind, year, when):
            text += f" {standing}"
        decembers = [y for y in ctx.aap_periods.decembers if y in ctx.years]
        if decembers:
            first = decembers[0]
            if (v := ctx.text("aap_andel", first)) not in MISSING_TEXTS:
                text += f" I desember {first} var andelen {v} prosent."
        return text

    def history(self, name: str = "aap-andel") -> ChartOutput | MissingFigure:
        """The December share over the years (a line chart) when the snapshot holds at least
        two Decembers of the book's years; otherwise a visible gap that says why and how to
        add the history."""
        ctx = self.ctx
        decembers = [y for y in ctx.aap_periods.decembers if y in ctx.years]
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
        decembers = [y for y in ctx.aap_periods.decembers if y in ctx.years]
        if len(decembers) < 2:
            return MissingFigure(
                ctx.indicator("aap_forholdstall").label + " over tid",
                "Forholdstallet over tid trenger AAP i desember i flere år; datagrunnlaget har "
                f"{'bare ' + str(decembers[0]) if decembers else 'ingen'} (se «AAP-andelen nå "
                "og over tid»).",
            )
        return Figures(ctx).line("aap_forholdstall", name, years=decembers)

    def months_text(self) -> Markdown:
        """Which months NAV's figures cover, which Decembers are missing, and what the chapter
        shows of them (Markdown: how to add the history names the command as code)."""
        ctx = self.ctx
        text = escape(self.coverage())  # Markdown: ``+ text`` escapes the text added
        periods = ctx.aap_periods
        if periods.latest() is None:
            return text
        missing = periods.missing_decembers(ctx.years)
        if missing:
            text += f" Desembertallene mangler for {_years_text(missing)}. " + ADD_HISTORY
        months, years = self.months_table() is not None, self.counts() is not None
        if months:
            text += " Tabellen under viser mottakerne måned for måned i det nyeste året."
        if years:
            text += (
                " Den neste viser antall mottakere i februar og desember i årene før."
                if months
                else " Tabellen under viser antall mottakere i februar og desember hvert år."
            )
        return text

    def coverage(self) -> str:
        """Which months of NAV's AAP155 the snapshot holds, for the reader."""
        snap = self.ctx.data.snapshot
        periods = snap.aap_periods()
        if not periods:
            return "Datagrunnlaget har ingen AAP-tall fra NAV."
        first, last = periods[0], periods[-1]
        text = (
            f"Datagrunnlaget har NAVs tabell AAP155 for {month(first)}–{month(last)} "
            f"({len(periods)} {'måned' if len(periods) == 1 else 'måneder'})."
        )
        years = snap.aap_years()
        gaps = [y for y in range(years[0], years[-1] + 1) if y not in years]
        if gaps:
            text += f" Årene {', '.join(map(str, gaps))} mangler."
        return text

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
        frame = ctx.data.memo(
            ("aap-months", year),
            lambda: aap_frame(ctx.data.snapshot, ctx.data.register, years=[year]),
        )
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
            [
                f"Andelen er mottakere delt på innbyggerne 18–66 år 1. januar {year} (NAVs "
                "standard for inneværende år).",
                "NAV viser ikke antall under fire; de står som skjult (:).",
                f"Symboler: {status.LEGEND}.",
            ],
            provenance=ctx.provenance,
        )

    def counts(self, name: str = "aap-antall") -> TableOutput | None:
        """NAV's number of AAP recipients in the municipality in February and December of
        each of the book's years whose December the snapshot holds (with the December share);
        ``None`` when there is no such year, or every count is hidden or missing."""
        ctx = self.ctx
        years = [y for y in ctx.aap_periods.decembers if y in ctx.years]
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
            [
                "NAV viser ikke antall under fire; de står som skjult (:).",
                f"Symboler: {status.LEGEND}.",
            ],
            estimates=estimates,
            provenance=ctx.provenance,
        )

    def _newest_ratio(self, paired_year: int) -> str:
        """« I 2024 var forholdstallet 0,82 mot 0,88 i ASSS-snittet.» (with a leading space)
        when the text pairs an earlier year than the newest: the reader sees both; empty
        otherwise or when a number is missing."""
        ctx = self.ctx
        last = ctx.years[-1]
        if paired_year == last or ctx.unavailable("aap_forholdstall"):
            return ""
        own, _ = ctx.value("aap_forholdstall", last)
        main, _ = ctx.value("aap_forholdstall", last, ctx.main_kind)
        if own != own or main != main:
            return ""
        return (
            f" I {last} var forholdstallet {fmt_number(own, 2)} mot {fmt_number(main, 2)} i "
            f"{ctx.peers.label}."
        )

    def meaning(self) -> str:
        """«Hva betyr dette?»: two to four sentences that follow from the chapter's numbers."""
        ctx = self.ctx
        latest = ctx.aap_periods.latest()
        own = main = float("nan")
        if latest is not None:
            own, _ = ctx.value(latest.indicator, latest.year)
            main, _ = ctx.value(latest.indicator, latest.year, ctx.main_kind)
        label = ctx.peers.label
        if latest is None or own != own:
            return (
                f"AAP-tallene for {ctx.name} er skjult fordi de bygger på svært få personer "
                "eller mangler, så kapitlet kan ikke si hvordan kommunen ligger an. Tallene for "
                "sammenligningsgruppene viser nivået i kommuner som ligner."
            )
        parts = [
            f"I {latest.label} mottok {fmt_number(own, 2)} prosent av innbyggerne 18–66 år i "
            f"{ctx.name} AAP, " + compare_word(own, main, label, decimals=2) + "."
        ]
        pairing = self.pairing()
        if pairing is not None:
            t, m_aap, m_sos = self._ratios(pairing)
            mine = t[t["kind"] == Kind.KOMMUNE]
            r_own = float(mine["ratio"].iloc[0]) if len(mine) else float("nan")
            r_main = m_aap / m_sos if m_sos else float("nan")
            own_row = mine.iloc[0] if len(mine) else None
            sentence = ratio_meaning(
                label,
                (r_own, r_main),
                (float(own_row["aap"]) if own_row is not None else float("nan"), m_aap),
                (float(own_row["sos"]) if own_row is not None else float("nan"), m_sos),
                pairing.sentence,
                self._newest_ratio(pairing.sos_year),
            )
            if sentence:
                parts.append(sentence)
        parts.append(
            "Tallene sier ikke alene om praksis er god eller dårlig; forskjeller i helse, "
            "alder og arbeidsmarked kan gi de samme utslagene."
        )
        return " ".join(parts)


def ratio_meaning(
    label: str,
    ratio: tuple[float, float],
    aap: tuple[float, float],
    sos: tuple[float, float],
    when: str,
    newest: str = "",
) -> str:
    """«Hva betyr dette?» on the AAP/social-assistance ratio against ``label`` (each pair is
    the municipality's value and the comparison's): which of the two shares makes the
    difference, as the numbers say (:func:`~navbok.report.words.compare_word`, so a share
    «på nivå med» the comparison is never called higher or lower), what it may mean — AAP is
    a state benefit NAV grants, not something the municipality uses — and what to ask next.
    ``newest``: a sentence on the newest year's ratio when ``when`` is an earlier year.
    Empty when the ratios are missing or equal as shown."""
    (r_own, r_main), (a_own, a_main), (s_own, s_main) = ratio, aap, sos
    shown, shown_main = fmt_number(r_own, 2), fmt_number(r_main, 2)
    if r_own != r_own or r_main != r_main or shown == shown_main:
        return ""
    fewer = r_own < r_main
    text = (
        f"Det er {'færre' if fewer else 'flere'} AAP-mottakere per sosialhjelpsmottaker enn i "
        f"{label} ({shown} mot {shown_main} {when})." + newest
    )
    if a_own == a_own and s_own == s_own:
        text += (
            f" AAP-andelen er {compare_word(a_own, a_main, label)}, og sosialhjelpsandelen er "
            f"{compare_word(s_own, s_main, label)}."
        )
    if fewer:
        return text + (
            " AAP er en statlig ytelse som NAV innvilger etter en vurdering av arbeidsevnen. "
            "Et lavere forholdstall kan bety at færre har helseproblemer som gir rett til AAP, "
            "eller at noen som kunne fått AAP, forsørger seg med økonomisk sosialhjelp. Et "
            "spørsmål til NAV-kontoret: hvor mange av sosialhjelpsmottakerne med "
            "helseproblemer har fått vurdert retten til AAP?"
        )
    return text + (
        " Flere forsørges da av en statlig ytelse enn av kommunal sosialhjelp. Et spørsmål "
        "til NAV-kontoret: hvor lenge går mottakerne på AAP, og hva skjer med dem når "
        "AAP-perioden slutter?"
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
