"""Report views for the chapter «Arbeidsavklaringspenger (AAP)»: the AAP share against social
assistance (the ratio and the expected share) with the municipality's rank among its peers,
NAV's months in the snapshot, the number of recipients, and the closing «Hva betyr dette?».

The chapter shows one chart of the December share over the years; a second chart of February
and December shares repeated it (the two months differ little), so the months are shown as
counts of recipients instead (:meth:`AapViews.counts`).

The arithmetic lives in :mod:`navbok.analysis.aap`.
"""

from __future__ import annotations

import pandas as pd

from navbok import status
from navbok.analysis.aap import expected_share, ratio_table
from navbok.comparison import Kind
from navbok.present.exports import set_cell_statuses
from navbok.present.numbers import fmt_number
from navbok.present.prose import and_list, month
from navbok.present.tables import TableOutput, show_table
from navbok.report.context import MISSING_TEXTS, Context
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


class AapViews:
    """The AAP chapter's views for one municipality."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._ratio_tables: dict[int, tuple[pd.DataFrame, float, float]] = {}

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

    def _ratios(self, year: int) -> tuple[pd.DataFrame, float, float]:
        """The ratio table of ``year`` (the peers' series) with the main comparison's AAP and
        social-assistance shares; made once per year (the table and the text both ask)."""
        if year in self._ratio_tables:
            return self._ratio_tables[year]
        ctx = self.ctx
        aap = ctx.comparison("aap_andel", [year])
        t = ratio_table(aap, ctx.comparison("andel_18_66", [year]), year)
        t = t[t["kind"].isin(ctx.peers.bar_kinds)].reset_index(drop=True)
        main = t[t["kind"] == ctx.main_kind]
        m_aap = float(main["aap"].iloc[0]) if len(main) else float("nan")
        m_sos = float(main["sos"].iloc[0]) if len(main) else float("nan")
        self._ratio_tables[year] = (t, m_aap, m_sos)
        return t, m_aap, m_sos

    def ratio(self, year: int) -> tuple[TableOutput, dict[str, str]]:
        """AAP share, social-assistance share and ratio in ``year`` with the expected share
        (the municipality's social-assistance share times its main comparison's ratio)."""
        ctx = self.ctx
        t, m_aap, m_sos = self._ratios(year)
        own = t[t["kind"] == Kind.KOMMUNE].iloc[0]
        expected = expected_share(float(own["sos"]), m_aap, m_sos)
        cells = [
            (
                r.series,
                fmt_number(r.aap, 2, status=r.aap_status),
                fmt_number(r.sos, 2, status=r.sos_status),
                fmt_number(r.ratio, 2, status=r.aap_status or r.sos_status),
            )
            for r in t.itertuples()
        ]
        head = ["", "AAP-andel (%)", "Sosialhjelpsandel (%)", "Forholdstall"]
        notes = ["Forholdstall = AAP-andel / sosialhjelpsandel."]
        if ctx.peers.asss_member:
            notes[0] += " For ASSS-snittet er det forholdet mellom de to snittene."
        table = show_table(
            pd.DataFrame(cells, columns=head),
            f"aap-forholdstall-{year}",
            f"AAP-andel, andel sosialhjelpsmottakere og forholdstallet mellom dem, {year}. "
            "Begge andeler er av innbyggerne 18–66 år.",
            data=t.rename(
                columns={"series": "Serie", "aap": head[1], "sos": head[2], "ratio": head[3]}
            )[["Serie", head[1], head[2], head[3]]],
            notes=[
                *notes,
                "AAP-andelen er NAVs mottakere i desember; sosialhjelpsandelen er mottakere i "
                "løpet av året (SSB).",
            ],
        )
        main_ratio = m_aap / m_sos if m_sos else float("nan")
        texts = {
            "aap_andel": fmt_number(own["aap"], 2, status=own["aap_status"]),
            "sos_andel": fmt_number(own["sos"], 2, status=own["sos_status"]),
            "ratio": fmt_number(own["ratio"], 2),
            "ratio_main": fmt_number(main_ratio, 2),
            "forventet": fmt_number(expected, 1),
            "sammenligning": ctx.peers.label,
        }
        if ctx.main_kind == Kind.ASSS_SNITT:
            texts["ratio_asss"] = texts["ratio_main"]
        return table, texts

    def standing(self, indicator: str, year: int) -> str:
        """A sentence on where the municipality stands among the members of its main
        comparison when it is at either end («{navn} har det laveste forholdstallet blant de
        11 ASSS-kommunene i 2020.»), or its rank otherwise; empty when no rank can mean
        anything."""
        ctx = self.ctx
        phrase = ctx.position(indicator, year).strip()[1:-1]
        if not phrase:
            return ""
        what = {
            "aap_andel": "AAP-andelen",
            "aap_forholdstall": "forholdstallet",
        }.get(indicator, ctx.indicator(indicator).name)
        return f"I {year} var {what} i {ctx.name} {phrase}."

    def share_paragraph(self, year: int) -> str:
        """The December AAP share in ``year`` against the main comparison and Landet, the
        first year's share and the rank; when the municipality's figure is hidden, that once
        and the comparisons that have numbers."""
        ctx = self.ctx
        label = ctx.peers.label
        first = ctx.years[0]
        own, main, land = (
            ctx.text("aap_andel", year, k) for k in (Kind.KOMMUNE, ctx.main_kind, Kind.LANDET)
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
                text += f" I desember {year} var andelen {and_list(others)}."
            return text
        text = f"I desember {year} mottok {own} prosent av innbyggerne 18–66 år i {ctx.name} AAP"
        text += f", mot {and_list(others)}." if others else "."
        if (v := ctx.text("aap_andel", first)) not in MISSING_TEXTS and first != year:
            text += f" I {first} var andelen {v} prosent."
        if standing := self.standing("aap_andel", year):
            text += f" {standing}"
        return text

    def months_text(self) -> str:
        """Which months NAV's figures cover, and what the chapter shows of them."""
        text = self.coverage() + " Andelene bygger på desember hvert år."
        if self.counts() is not None:
            text += (
                " Tabellen under viser antall mottakere i februar og desember, så nivået kan "
                "leses i personer; en egen figur for februar ville gjentatt desemberfiguren."
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
            f"({len(periods)} måneder)."
        )
        years = snap.aap_years()
        gaps = [y for y in range(years[0], years[-1] + 1) if y not in years]
        if gaps:
            text += f" Årene {', '.join(map(str, gaps))} mangler."
        return text

    def counts(self, name: str = "aap-antall") -> TableOutput | None:
        """NAV's number of AAP recipients in the municipality in February and December of
        each year (with the December share); ``None`` when every count is hidden or missing
        (the chapter then shows nothing: the introduction says what is hidden)."""
        ctx = self.ctx
        own = ctx.data.measure_cells(ctx.kommune)
        rows, numbers, marks = [], [], []
        for year in ctx.years:
            cells: list[str] = [str(year)]
            nums: list[float | str] = [str(year)]
            sym: list[str | None] = [None]
            for measure, _ in COUNTS:
                value, found = own.get((measure, year), (float("nan"), None))
                symbol = None
                if value != value:
                    symbol = found or status.NOT_AVAILABLE
                cells.append(fmt_number(value, 0, status=symbol))
                nums.append(value)
                sym.append(symbol)
            share, share_status = ctx.value("aap_andel", year)
            cells.append(fmt_number(share, 2, status=share_status))
            nums.append(share)
            sym.append(None if share == share else (share_status or status.NOT_AVAILABLE))
            rows.append(cells)
            numbers.append(nums)
            marks.append(sym)
        if not any(v == v for r in numbers for v in r[1:3] if isinstance(v, float)):
            return None
        head = ["År", "Februar (personer)", "Desember (personer)", "Andel i desember (%)"]
        data = pd.DataFrame(numbers, columns=head)
        marked = [j for j in range(1, len(head)) if any(r[j] for r in marks)]
        set_cell_statuses(data, {head[j]: [r[j] for r in marks] for j in marked})
        return show_table(
            pd.DataFrame(rows, columns=head),
            name,
            f"Mottakere av AAP i {ctx.name}, februar og desember hvert år (NAV AAP155).",
            data=data,
            notes=[
                "NAV viser ikke antall under fire; de står som skjult (:).",
                f"Symboler: {status.LEGEND}.",
            ],
        )

    def meaning(self, year: int) -> str:
        """«Hva betyr dette?»: two to four sentences that follow from the chapter's numbers."""
        ctx = self.ctx
        own, _ = ctx.value("aap_andel", year)
        main, _ = ctx.value("aap_andel", year, ctx.main_kind)
        label = ctx.peers.label
        if own != own:
            return (
                f"AAP-tallene for {ctx.name} er skjult fordi de bygger på svært få personer, så "
                "kapitlet kan ikke si hvordan kommunen ligger an. Tallene for "
                "sammenligningsgruppene viser nivået i kommuner som ligner."
            )
        parts = [
            f"I desember {year} mottok {fmt_number(own, 2)} prosent av innbyggerne 18–66 år i "
            f"{ctx.name} AAP, " + compare_word(own, main, label, decimals=2) + "."
        ]
        ratio_year = ctx.params.aap_year or year
        t, m_aap, m_sos = self._ratios(ratio_year)
        mine = t[t["kind"] == Kind.KOMMUNE]
        r_own = float(mine["ratio"].iloc[0]) if len(mine) else float("nan")
        r_main = m_aap / m_sos if m_sos else float("nan")
        ratio, ratio_main = fmt_number(r_own, 2), fmt_number(r_main, 2)
        if r_own == r_own and r_main == r_main and ratio != ratio_main:
            if r_own < r_main:
                parts.append(
                    f"Det er færre AAP-mottakere per sosialhjelpsmottaker enn i {label} "
                    f"({ratio} mot {ratio_main}): kommunen bruker relativt mer sosialhjelp "
                    "og mindre AAP, eller har en befolkning der færre har helseproblemer som "
                    "gir rett til AAP."
                )
            else:
                parts.append(
                    f"Det er flere AAP-mottakere per sosialhjelpsmottaker enn i {label} "
                    f"({ratio} mot {ratio_main}): flere får en statlig ytelse i stedet for "
                    "kommunal sosialhjelp."
                )
        parts.append(
            "Tallene sier ikke alene om praksis er god eller dårlig; forskjeller i helse, "
            "alder og arbeidsmarked kan gi de samme utslagene."
        )
        return " ".join(parts)
