"""Report views for the chapter «Utbetalingsvekst»: the growth decomposition T = N·L·P, annual
growth, real terms and the published Proba index.

The arithmetic lives in :mod:`navbok.analysis.growth`; this module turns it into the book's
figures, tables and glued sentences for one municipality.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING

import pandas as pd

from navbok.analysis import growth
from navbok.analysis.decomposition import COMBINATION_LABEL, COMPONENT_LABELS
from navbok.analysis.prices import load_price_index
from navbok.analysis.proba import proba_comparison, proba_index
from navbok.present import charts
from navbok.present.formatting import fmt_number, fmt_percent, fmt_signed_percent
from navbok.present.tables import TableOutput, show_table, wide
from navbok.report.missing import MissingFigure

if TYPE_CHECKING:
    from navbok.data import NavData
    from navbok.groups import Groups
    from navbok.params import Params

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
    """Mixed into :class:`~navbok.report.report.Report`."""

    if TYPE_CHECKING:  # what Report provides
        data: NavData
        params: Params
        kode: str
        name: str
        groups: Groups
        years: list[int]

        def value(
            self, indicator: str, year: int, kind: str = "kommune"
        ) -> tuple[float, str | None]: ...

        def missing_measures(self, *measures: str) -> str: ...

    def growth_measures(self) -> growth.MeasureTable:
        """The measures the decomposition needs (T, N, M), indexed once per snapshot."""
        return self.data.memo("growth-measures", lambda: growth.MeasureTable(self.data.measures))

    def growth_series(self, year: int) -> dict[str, str | list[str]]:
        """The three series the decomposition is shown for: municipality, ASSS (members summed,
        membership of ``year``), Landet."""
        return {
            self.name: self.kode,
            "ASSS (sum av kommunene)": list(self.groups.asss.get(year, [])),
            "Landet": "EAK",
        }

    def growth_table(self, year0: int | None = None, year1: int | None = None) -> pd.DataFrame:
        """Decomposition rows (see :func:`navbok.analysis.growth.compare`) for the municipality,
        ASSS and Landet; a real-terms row is added when the params name a price index."""
        year0, year1 = year0 or self.params.growth_period[0], year1 or self.params.growth_period[1]
        series = {k: v for k, v in self.growth_series(year1).items() if v}
        out = growth.compare(self.growth_measures(), series, year0, year1)
        index = load_price_index(self.params.price_index)
        if index is not None:
            real = growth.decompose_regions(
                self.growth_measures(),
                self.kode,
                year0,
                year1,
                label=f"{self.name}, faste {year1}-priser",
                price_index=index,
                base_year=year1,
            )
            out = pd.concat([out, pd.DataFrame([real.to_row()])], ignore_index=True)
        return out

    def growth_decomposition(
        self, year0: int | None = None, year1: int | None = None
    ) -> tuple[charts.ChartOutput | MissingFigure, TableOutput, TableOutput, dict[str, str]]:
        """The waterfall (percent), the comparison table, the kroner table and glue texts."""
        year0, year1 = year0 or self.params.growth_period[0], year1 or self.params.growth_period[1]
        table = self.growth_table(year0, year1)
        own = self.decomposition(year0, year1)
        gone = self.missing_measures(*GROWTH_MEASURES)
        steps = own.waterfall_steps("pct")
        steps["value"] = steps["value"] * 100
        chart = charts.waterfall_chart(
            steps,
            title=f"Vekst i utbetalt sosialhjelp {year0}–{year1}, {self.name}",
            description=(
                f"Fossefallsdiagram: veksten i utbetalt økonomisk sosialhjelp i {self.name} fra "
                f"{year0} til {year1} delt i antall mottakere, stønadslengde, utbetaling per "
                "stønadsmåned og kombinasjonseffekt, i prosent."
            ),
            value_format=",.1f",
            value_title="prosent",
        )
        fig: charts.ChartOutput | MissingFigure = charts.show_chart(
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
            fig = MissingFigure(f"Vekst i utbetalt sosialhjelp {year0}–{year1}, {self.name}", gone)
        cells, data = [], []
        for r in table.itertuples():
            status = r.status
            row = [r.label] + [
                fmt_percent(100 * getattr(r, k), 1, status=status) for k in GROWTH_COLUMNS
            ]
            row += [
                fmt_percent(100 * getattr(r, f"lmdi_share_{k}"), 0, status=status) for k in "NLP"
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
            f"Bidrag til endringen i utbetalt sosialhjelp i {self.name} {year0}–{year1}, 1 000 kr",
            data=kr,
            notes=[
                "Klassisk: komponentens vekst ganger utbetalt i startåret; kombinasjonseffekten "
                "er resten. LMDI: logaritmisk gjennomsnitt av de to årenes utbetaling ganger "
                "logaritmen av komponentens vekstfaktor; summen er nøyaktig lik endringen."
            ],
        )
        texts = self.growth_texts(year0, year1, own, table)
        return fig, comp, kroner, texts

    def growth_texts(
        self,
        year0: int | None = None,
        year1: int | None = None,
        own: growth.Decomposition | None = None,
        table: pd.DataFrame | None = None,
    ) -> dict[str, str]:
        """The decomposition's glue texts (without building its figure and tables)."""
        year0, year1 = year0 or self.params.growth_period[0], year1 or self.params.growth_period[1]
        own = own or self.decomposition(year0, year1)
        asss_members = self.groups.asss.get(year1, [])
        if table is not None:
            asss = table[table["label"].str.startswith("ASSS")]
            g_asss = float(asss["g_T"].iloc[0]) if len(asss) else float("nan")
        elif asss_members:
            m = self.growth_measures()
            g_asss = growth.decompose_regions(m, list(asss_members), year0, year1).g_T
        else:
            g_asss = float("nan")
        gone = self.missing_measures(*GROWTH_MEASURES)
        return {
            "vekst_avsnitt": (
                f"Veksten kan ikke dekomponeres: {gone}"
                if gone
                else growth_paragraph(self.name, own, g_asss)
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
            "driver": _driver(own),
            "funn": (
                f"Veksten kan ikke dekomponeres: {gone}" if gone else growth_finding(self.name, own)
            ),
        }

    def decomposition(self, year0: int, year1: int) -> growth.Decomposition:
        """The municipality's own decomposition between two years."""
        return growth.decompose_regions(
            self.growth_measures(), self.kode, year0, year1, label=self.name
        )

    def annual_growth(self) -> tuple[charts.ChartOutput, TableOutput, str]:
        """Year-on-year growth in payouts for municipality, ASSS and Landet (chart), and the
        municipality's components for every year (table)."""
        years = self.years
        frames = []
        for label, regions in self.growth_series(years[-1]).items():
            if not regions:
                continue

            def compute(regions: str | list[str] = regions) -> pd.DataFrame:
                return growth.annual_growth(self.growth_measures(), regions, years)

            if regions == self.kode:
                a = compute()
            else:  # ASSS and Landet: the same for every municipality, computed once
                key = ("annual-growth", str(regions), tuple(years))
                a = self.data.memo(key, compute)
            frames.append(a.assign(Serie=label))
        df = pd.concat(frames, ignore_index=True)
        df["År"] = df["year1"]
        df["Vekst"] = df["g_T"] * 100
        chart = charts.line_chart(
            df,
            x="År",
            y="Vekst",
            series="Serie",
            focus=self.name,
            title="Årlig vekst i utbetalt økonomisk sosialhjelp",
            description=(
                f"Linjediagram: prosentvis vekst fra året før i samlet stønadssum for "
                f"{self.name}, ASSS-kommunene samlet og landet, {years[1]}–{years[-1]}."
            ),
            y_title="prosent fra året før",
            y_format=",.1f",
        )
        table = wide(df, "Serie", "År", "Vekst")
        fig = charts.show_chart(
            chart,
            table,
            "vekst-aarlig",
            "Vekst i samlet stønadssum (bidrag og lån) fra året før, løpende kroner, prosent.",
            decimals=1,
            text_columns=["Serie"],
        )
        own = df[df["Serie"] == self.name]
        cells = [
            [f"{r.year0}–{r.year1}"]
            + [fmt_percent(100 * getattr(r, k), 1, status=r.status) for k in GROWTH_COLUMNS]
            for r in own.itertuples()
        ]
        data = own[["year0", "year1", *GROWTH_COLUMNS]].rename(columns=SHORT_COLUMNS)
        tab = show_table(
            pd.DataFrame(cells, columns=["Periode", *SHORT_COLUMNS.values()]),
            "vekst-aarlig-komponenter",
            f"Årlig vekst i utbetalt sosialhjelp i {self.name}, dekomponert",
            data=data,
        )
        return fig, tab, _annual_sentence(self.name, own)

    def relative_difference(self, indicator: str, year: int, kind: str) -> str:
        """«28 prosent lavere enn» / «11 prosent høyere enn»: (kommune − sammenligning) /
        sammenligning, the book's convention (the comparison is the base)."""
        own, s1 = self.value(indicator, year)
        other, s2 = self.value(indicator, year, kind)
        diff = 100 * (own - other) / other if other else float("nan")
        if diff != diff:
            return f"ukjent ({s1 or s2 or '..'}) sammenlignet med"
        if round(diff) == 0:
            return "på nivå med"
        word = "høyere enn" if diff > 0 else "lavere enn"
        return f"{fmt_number(abs(diff), 0)} prosent {word}"

    def proba(self) -> charts.ChartOutput:
        """Proba's published index of actual spending against estimated need, 2012–2016, for
        the municipality, its neighbours and the ASSS members (published, not recomputed)."""
        peers = sorted({*self.params.neighbours, *self.groups.asss.get(self.years[-1], [])})
        register = self.data.register
        full = self.data.memo("proba-index", lambda: proba_index(register=register))
        ref = proba_comparison(self.kode, peers, register=register, full=full)
        df = ref.frame.rename(columns={"label": "Kommune", "aar": "År", "indeks": "Indeks"})
        df["År"] = df["År"].astype(int)
        table = wide(df, "Kommune", "År", "Indeks")
        last = int(df["År"].max()) if len(df) else 2016
        own = df[df["kind"] == "kommune"]
        focus = str(own["Kommune"].iloc[0]) if len(own) else ""
        bars = df[df["År"] == last][["Kommune", "Indeks"]]
        chart = charts.bar_chart(
            bars,
            category="Kommune",
            value="Indeks",
            focus=focus,
            title=f"Faktiske utgifter mot beregnet behov {last} (Proba 2017), indeks",
            description=(
                f"Stolpediagram: Probas publiserte indeks for {last} for {self.name} og "
                "sammenligningskommunene (ASSS og naboer). 100 betyr utgifter lik beregnet "
                "behov; over 100 betyr høyere utgifter enn behovet tilsier."
            ),
            value_title="indeks (behov = 100)",
            value_format=",.0f",
        )
        missing = "" if len(own) else f" {self.name} har ikke egen verdi i tabellen."
        return charts.show_chart(
            chart,
            table,
            "proba-indeks",
            f"Publisert historisk resultat, ikke beregnet på nytt: {ref.source}. Tabellen har "
            "alle årene 2012–2016. Kommunene står med 2017-inndelingen; sammenslåtte kommuner "
            f"vises med hver av de tidligere kommunene.{missing}",
            decimals=0,
            text_columns=["Kommune"],
        )


#: What each component's rise and fall mean, in words.
RISE = {
    "N": "flere mottakere",
    "L": "lengre stønadsperioder",
    "P": "høyere utbetaling per stønadsmåned",
}
FALL = {"N": "færre mottakere", "L": "kortere stønadsperioder", "P": "lavere utbetaling per måned"}


def share_words(share: float) -> str:
    """How much of a change one part accounts for, in words the number supports.

    ``share`` is the part's share of the whole change (0.36 = 36 %), judged as the reader sees
    it, rounded to whole percent:

    * over 100 % → «mer enn hele»: the part alone is larger than the change;
    * over 50 % → «det meste»;
    * exactly 50 % → «halvparten»;
    * otherwise → «den største delen» (the caller names the largest part only).

    A missing share gives «en ukjent del».
    """
    if share != share:
        return "en ukjent del"
    pct = int((Decimal(str(100 * share)) + Decimal("0.5")).to_integral_value(ROUND_FLOOR))
    if pct > 100:
        return "mer enn hele"
    if pct > 50:
        return "det meste"
    if pct == 50:
        return "halvparten"
    return "den største delen"


def _main_part(d: growth.Decomposition) -> tuple[str, float]:
    """The component that moved most in the direction of the total change, and its share of
    that change (NaN when the total did not change)."""
    comps = {"N": d.g_N, "L": d.g_L, "P": d.g_P}
    pick = max if d.g_T >= 0 else min
    top = pick(comps, key=lambda k: comps[k])
    return top, (comps[top] / d.g_T if d.g_T else float("nan"))


def _driver(d: growth.Decomposition) -> str:
    """Which component moved most in the direction of the total change, in words."""
    if d.status is not None:
        return "ukjent (tall mangler)"
    top, _ = _main_part(d)
    return (RISE if d.g_T >= 0 else FALL)[top]


def _rounds_to_zero(g: float, decimals: int = 1) -> bool:
    return fmt_number(100 * abs(g), decimals) == fmt_number(0, decimals)


def _move(g: float, up: str = "økte", down: str = "falt") -> str:
    """«økte med 4,1 %», «falt med 2,0 %» or «var uendret» (rounds to 0,0 %)."""
    if _rounds_to_zero(g):
        return "var uendret"
    return f"{up if g > 0 else down} med {fmt_percent(100 * abs(g), 1)}"


def _driver_sentence(d: growth.Decomposition) -> str:
    """Where the change came from, with the quantity word the share supports (empty when the
    total did not change)."""
    if d.status is not None or _rounds_to_zero(d.g_T):
        return ""
    rising = d.g_T > 0
    change = "veksten" if rising else "nedgangen"
    top, share = _main_part(d)
    what = (RISE if rising else FALL)[top]
    words = share_words(share)
    comps = {"N": d.g_N, "L": d.g_L, "P": d.g_P}
    if words == "mer enn hele":
        against = [k for k, v in comps.items() if (v < 0 if rising else v > 0)]
        pulled = " og ".join((FALL if rising else RISE)[k] for k in against)
        return (
            f"{change.capitalize()} kom fra {what}, som alene tilsvarer mer enn hele {change}"
            + (f"; {pulled} trakk {'ned' if rising else 'opp'}." if pulled else ".")
        )
    return (
        f"{words[0].upper()}{words[1:]} av {change} kom fra {what}: denne komponenten alene "
        f"tilsvarer {fmt_percent(100 * share, 0)} av {change} "
        f"({fmt_percent(100 * d.lmdi_shares[top], 0)} med logaritmisk dekomponering)."
    )


def _total_sentence(name: str, d: growth.Decomposition) -> str:
    if _rounds_to_zero(d.g_T):
        return f"Fra {d.year0} til {d.year1} var de samlede utbetalingene i {name} uendret."
    return (
        f"Fra {d.year0} til {d.year1} {'økte' if d.g_T > 0 else 'falt'} de samlede "
        f"utbetalingene i {name} med {fmt_percent(100 * abs(d.g_T), 1)}."
    )


def growth_finding(name: str, d: growth.Decomposition) -> str:
    """The change and where it came from, for the introduction's main findings."""
    if d.status is not None:
        return (
            f"Veksten i utbetalingene i {name} fra {d.year0} til {d.year1} kan ikke "
            "dekomponeres: tallene er skjult av personvernhensyn eller mangler."
        )
    return " ".join(t for t in (_total_sentence(name, d), _driver_sentence(d)) if t)


def growth_paragraph(name: str, d: growth.Decomposition, g_asss: float) -> str:
    """The decomposition in words, with the right verb for falls, quantity words the shares
    support (:func:`share_words`) and the comparison to ASSS."""
    if d.status is not None:
        return growth_finding(name, d)
    text = (
        f"{_total_sentence(name, d)} "
        f"Antall mottakere {_move(d.g_N)}, stønadslengden (måneder per mottaker) "
        f"{_move(d.g_L)} og utbetalingen per stønadsmåned {_move(d.g_P)}; "
        f"kombinasjonseffekten var {fmt_number(100 * d.combination, 1)} prosentpoeng."
    )
    driver = _driver_sentence(d)
    if driver:
        text += " " + driver
    if g_asss == g_asss:
        diff = 100 * (g_asss - d.g_T)
        if round(diff, 1) == 0:
            text += f" ASSS-kommunene samlet {_move(g_asss)}, det samme som {name}."
        else:
            cmp = "høyere" if diff > 0 else "lavere"
            text += (
                f" ASSS-kommunene samlet {_move(g_asss)}; veksten der var "
                f"{fmt_number(abs(diff), 1)} prosentpoeng {cmp} enn i {name}."
            )
    return text


def _annual_sentence(name: str, rows: pd.DataFrame) -> str:
    """The largest annual rise and fall in words (or why there are none)."""
    ok = rows[rows["status"].isna() & rows["g_T"].notna()]
    if ok.empty:
        return f"Årlig vekst kan ikke regnes ut for {name}: tallene er skjult eller mangler."
    hi = ok.loc[ok["g_T"].idxmax()]
    lo = ok.loc[ok["g_T"].idxmin()]

    def period(r: pd.Series) -> str:
        return f"{int(r['year0'])}–{int(r['year1'])} ({fmt_signed_percent(100 * r['g_T'], 1)})"

    if hi["g_T"] <= 0:
        return (
            f"Utbetalingene i {name} økte ikke fra noe år til det neste. Den minste nedgangen "
            f"var {period(hi)}, den største {period(lo)}."
        )
    text = f"Den største økningen fra ett år til det neste var {period(hi)}"
    if lo["g_T"] < 0:
        text += f", den største nedgangen {period(lo)}"
    return text + "."
