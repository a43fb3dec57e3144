"""Report views for the chapter «Utbetalingsvekst»: the level against the comparison groups,
the growth decomposition T = N·L·P, annual growth, real terms and the published Proba index.

The arithmetic lives in :mod:`navbok.analysis.growth`, the words in
:mod:`navbok.report.growth_words`; this module turns them into the book's figures, tables and
glued sentences for one municipality.
"""

from __future__ import annotations

import pandas as pd

from navbok import status
from navbok.analysis import growth
from navbok.analysis.decomposition import COMBINATION_LABEL, COMPONENT_LABELS
from navbok.analysis.prices import load_price_index
from navbok.analysis.proba import proba_comparison, proba_index
from navbok.comparison import Kind
from navbok.groups import LANDET
from navbok.present import chart_specs, figure
from navbok.present.numbers import fmt_number, fmt_percent
from navbok.present.tables import TableOutput, show_table, wide
from navbok.report.context import Context
from navbok.report.growth_words import annual_sentence, driver, growth_finding, growth_paragraph
from navbok.report.missing import MissingFigure

#: The measures the decomposition T = N · L · P needs.
GROWTH_MEASURES = ("mottakere", "stonadsmaaneder", "utbetalt")

GROWTH_COLUMNS = {
    "g_T": "Vekst i utbetalt",
    "g_N": COMPONENT_LABELS["N"],
    "g_L": COMPONENT_LABELS["L"],
    "g_P": COMPONENT_LABELS["P"],
    "combination": COMBINATION_LABEL,
}


SHORT = {"N": "mottakere", "L": "stønadslengde", "P": "per måned"}
SHORT_COLUMNS = {
    "g_T": "Vekst i alt",
    "g_N": "Mottakere",
    "g_L": "Stønadslengde",
    "g_P": "Utbetaling per måned",
    "combination": "Kombinasjon",
}


class GrowthViews:
    """The growth chapter's views for one municipality."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def _period(self, year0: int | None, year1: int | None) -> tuple[int, int]:
        """The years asked for, or the params' growth period."""
        first, last = self.ctx.params.growth_period
        return year0 or first, year1 or last

    def measures(self) -> growth.MeasureTable:
        """The measures the decomposition needs (T, N, M), indexed once per snapshot."""
        data = self.ctx.data
        return data.memo("growth-measures", lambda: growth.MeasureTable(data.measures))

    def series(self, year: int) -> dict[str, str | list[str]]:
        """The three series the decomposition is shown for: municipality, ASSS (members summed,
        membership of ``year``), Landet."""
        ctx = self.ctx
        return {
            ctx.name: ctx.kommune,
            "ASSS (sum av kommunene)": list(ctx.groups.asss.get(year, [])),
            "Landet": LANDET,
        }

    def table(self, year0: int | None = None, year1: int | None = None) -> pd.DataFrame:
        """Decomposition rows (see :func:`navbok.analysis.growth.compare`) for the municipality,
        ASSS and Landet; a real-terms row is added when the params name a price index."""
        ctx = self.ctx
        year0, year1 = self._period(year0, year1)
        series = {k: v for k, v in self.series(year1).items() if v}
        out = growth.compare(self.measures(), series, year0, year1)
        index = load_price_index(ctx.params.price_index)
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
        return growth.decompose_regions(
            self.measures(), self.ctx.kommune, year0, year1, label=self.ctx.name
        )

    def decomposition(
        self, year0: int | None = None, year1: int | None = None
    ) -> tuple[figure.ChartOutput | MissingFigure, TableOutput, TableOutput, dict[str, str]]:
        """The waterfall (percent), the comparison table, the kroner table and glue texts."""
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
            steps.rename(columns={"label": "Komponent", "value": "Prosent", "kind": "Type"}),
            f"vekst-fossefall-{year0}-{year1}",
            f"Vekst i samlet stønadssum (bidrag og lån) {year0}–{year1}: 1 + vekst = "
            "(1 + vekst i mottakere) × (1 + vekst i stønadslengde) × (1 + vekst i utbetaling "
            "per stønadsmåned). Kombinasjonseffekten er det som gjenstår når de tre "
            "enkeltvekstene er trukket fra. Løpende kroner.",
            decimals=1,
            text_columns=["Komponent", "Type"],
        )
        if gone:
            fig = MissingFigure(f"Vekst i utbetalt sosialhjelp {year0}–{year1}, {ctx.name}", gone)
        cells, data = [], []
        for r in table.itertuples():
            symbol = r.status
            row = [r.label] + [
                fmt_percent(100 * getattr(r, k), 1, status=symbol) for k in GROWTH_COLUMNS
            ]
            row += [
                fmt_percent(100 * getattr(r, f"lmdi_share_{k}"), 0, status=symbol) for k in "NLP"
            ]
            cells.append(row)
            data.append(
                [r.label]
                + [getattr(r, k) for k in GROWTH_COLUMNS]
                + [getattr(r, f"lmdi_share_{k}") for k in "NLP"]
            )
        head = [""] + list(SHORT_COLUMNS.values()) + [f"LMDI-andel: {SHORT[k]}" for k in "NLP"]
        comp = show_table(
            pd.DataFrame(cells, columns=head),
            f"vekst-sammenligning-{year0}-{year1}",
            f"Dekomponering av veksten i utbetalt sosialhjelp {year0}–{year1}",
            data=pd.DataFrame(data, columns=head),
            notes=[
                "ASSS er kommunene i nettverket summert (tellere og nevnere lagt sammen), ikke "
                "snittet av kommunenes vekstrater. Samme medlemmer begge år.",
                "LMDI (logaritmisk dekomponering) fordeler hele veksten på de tre "
                "komponentene uten kombinasjonsledd: ln(T1/T0) = Σ ln(1 + vekst i komponenten).",
            ]
            + (
                [f"Veksten kan ikke dekomponeres: {gone}"]
                if gone
                else [
                    f"{r.label}: kan ikke dekomponeres fordi tall for {year0} eller {year1} er "
                    f"skjult av personvernhensyn eller mangler ({r.status})."
                    for r in table.itertuples()
                    if r.status
                ]
            ),
        )
        kr_rows = [(COMPONENT_LABELS[k], own.effects[k], own.lmdi_contributions[k]) for k in "NLP"]
        kr_rows.append((COMBINATION_LABEL, own.effects["combination"], 0.0))
        kr_rows.append(("Samlet endring", own.change, own.change))
        kr = pd.DataFrame(kr_rows, columns=["Komponent", "Klassisk (1 000 kr)", "LMDI (1 000 kr)"])
        kroner = show_table(
            kr.assign(
                **{c: [fmt_number(v, 0, status=own.status) for v in kr[c]] for c in kr.columns[1:]}
            ),
            f"vekst-kroner-{year0}-{year1}",
            f"Bidrag til endringen i utbetalt sosialhjelp i {ctx.name} {year0}–{year1}, 1 000 kr",
            data=kr,
            notes=[
                "Klassisk: komponentens vekst ganger utbetalt i startåret; kombinasjonseffekten "
                "er resten. LMDI: logaritmisk gjennomsnitt av de to årenes utbetaling ganger "
                "logaritmen av komponentens vekstfaktor; summen er nøyaktig lik endringen."
            ],
        )
        texts = self.texts(year0, year1, own, table)
        return fig, comp, kroner, texts

    def texts(
        self,
        year0: int | None = None,
        year1: int | None = None,
        own: growth.Decomposition | None = None,
        table: pd.DataFrame | None = None,
    ) -> dict[str, str]:
        """The decomposition's glue texts (without building its figure and tables)."""
        ctx = self.ctx
        year0, year1 = self._period(year0, year1)
        own = own or self.decompose(year0, year1)
        asss_members = ctx.groups.asss.get(year1, [])
        if table is not None:
            asss = table[table["label"].str.startswith("ASSS")]
            g_asss = float(asss["g_T"].iloc[0]) if len(asss) else float("nan")
        elif asss_members:
            m = self.measures()
            g_asss = growth.decompose_regions(m, list(asss_members), year0, year1).g_T
        else:
            g_asss = float("nan")
        gone = ctx.missing_measures(*GROWTH_MEASURES)
        return {
            "vekst_avsnitt": (
                f"Veksten kan ikke dekomponeres: {gone}"
                if gone
                else growth_paragraph(ctx.name, own, g_asss)
            ),
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
            "funn": (
                f"Veksten kan ikke dekomponeres: {gone}" if gone else growth_finding(ctx.name, own)
            ),
        }

    def annual(self) -> tuple[figure.ChartOutput, TableOutput, str]:
        """Year-on-year growth in payouts for municipality, ASSS and Landet (chart), the
        municipality's components for every year (table), and the largest rise and fall in
        words."""
        ctx = self.ctx
        years = ctx.years
        frames = []
        for label, regions in self.series(years[-1]).items():
            if not regions:
                continue

            def compute(regions: str | list[str] = regions) -> pd.DataFrame:
                return growth.annual_growth(self.measures(), regions, years)

            if regions == ctx.kommune:
                a = compute()
            else:  # ASSS and Landet: the same for every municipality, computed once
                key = ("annual-growth", str(regions), tuple(years))
                a = ctx.data.memo(key, compute)
            frames.append(a.assign(Serie=label))
        df = pd.concat(frames, ignore_index=True)
        df["År"] = df["year1"]
        df["Vekst"] = df["g_T"] * 100
        chart = chart_specs.line_chart(
            df,
            x="År",
            y="Vekst",
            series="Serie",
            focus=ctx.name,
            title="Årlig vekst i utbetalt økonomisk sosialhjelp",
            description=(
                f"Linjediagram: prosentvis vekst fra året før i samlet stønadssum for "
                f"{ctx.name}, ASSS-kommunene samlet og landet, {years[1]}–{years[-1]}."
            ),
            y_title="prosent fra året før",
            y_format=",.1f",
        )
        table = wide(df, "Serie", "År", "Vekst")
        fig = figure.show_chart(
            chart,
            table,
            "vekst-aarlig",
            "Vekst i samlet stønadssum (bidrag og lån) fra året før, løpende kroner, prosent.",
            decimals=1,
            text_columns=["Serie"],
        )
        own = df[df["Serie"] == ctx.name]
        cells = [
            [f"{r.year0}–{r.year1}"]
            + [fmt_percent(100 * getattr(r, k), 1, status=r.status) for k in GROWTH_COLUMNS]
            for r in own.itertuples()
        ]
        data = own[["year0", "year1", *GROWTH_COLUMNS]].rename(columns=SHORT_COLUMNS)
        tab = show_table(
            pd.DataFrame(cells, columns=["Periode", *SHORT_COLUMNS.values()]),
            "vekst-aarlig-komponenter",
            f"Årlig vekst i utbetalt sosialhjelp i {ctx.name}, dekomponert",
            data=data,
        )
        return fig, tab, annual_sentence(ctx.name, own)

    def relative_difference(self, indicator: str, year: int, kind: Kind) -> str:
        """«28 prosent lavere enn» / «11 prosent høyere enn»: (kommune − sammenligning) /
        sammenligning, the book's convention (the comparison is the base)."""
        own, s1 = self.ctx.value(indicator, year)
        other, s2 = self.ctx.value(indicator, year, kind)
        diff = 100 * (own - other) / other if other else float("nan")
        if diff != diff:
            return f"ukjent ({s1 or s2 or status.NOT_AVAILABLE}) sammenlignet med"
        if round(diff) == 0:
            return "på nivå med"
        word = "høyere enn" if diff > 0 else "lavere enn"
        return f"{fmt_number(abs(diff), 0)} prosent {word}"

    def proba(self) -> figure.ChartOutput:
        """Proba's published index of actual spending against estimated need, 2012–2016, for
        the municipality, its neighbours and the ASSS members (published, not recomputed)."""
        ctx = self.ctx
        peers = sorted({*ctx.params.neighbours, *ctx.groups.asss.get(ctx.years[-1], [])})
        register = ctx.data.register
        full = ctx.data.memo("proba-index", lambda: proba_index(register=register))
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
                f"Stolpediagram: Probas publiserte indeks for {last} for {ctx.name} og "
                "sammenligningskommunene (ASSS og naboer). 100 betyr utgifter lik beregnet "
                "behov; over 100 betyr høyere utgifter enn behovet tilsier."
            ),
            value_title="indeks (behov = 100)",
            value_format=",.0f",
        )
        missing = "" if len(own) else f" {ctx.name} har ikke egen verdi i tabellen."
        return figure.show_chart(
            chart,
            table,
            "proba-indeks",
            f"Publisert historisk resultat, ikke beregnet på nytt: {ref.source}. Tabellen har "
            "alle årene 2012–2016. Kommunene står med 2017-inndelingen; sammenslåtte kommuner "
            f"vises med hver av de tidligere kommunene.{missing}",
            decimals=0,
            text_columns=["Kommune"],
        )
