"""Report views for the chapter «Arbeidsavklaringspenger (AAP)»: the AAP share against social
assistance (the ratio and the expected share), NAV's months in the snapshot, and the monthly
AAP share.

The arithmetic lives in :mod:`navbok.analysis.aap`.
"""

from __future__ import annotations

import pandas as pd

from navbok.analysis.aap import expected_share, ratio_table
from navbok.comparison import Kind
from navbok.present import chart_specs, figure
from navbok.present.numbers import fmt_number
from navbok.present.prose import month
from navbok.present.tables import TableOutput, show_table, wide
from navbok.report.context import DEFAULT_KINDS, KIND_RANK, Context

#: The AAP indicators on the monthly time axis, with their month.
MONTHLY = (("aap_andel", 12), ("aap_andel_februar", 2))


class AapViews:
    """The AAP chapter's views for one municipality."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def ratio(self, year: int) -> tuple[TableOutput, dict[str, str]]:
        """AAP share, social-assistance share and ratio in ``year`` with the expected share."""
        ctx = self.ctx
        aap = ctx.comparison("aap_andel", [year])
        t = ratio_table(aap, ctx.comparison("andel_18_66", [year]), year)
        own = t[t["kind"] == Kind.KOMMUNE].iloc[0]
        asss = t[t["kind"] == Kind.ASSS_SNITT]
        a_aap = float(asss["aap"].iloc[0]) if len(asss) else float("nan")
        a_sos = float(asss["sos"].iloc[0]) if len(asss) else float("nan")
        expected = expected_share(float(own["sos"]), a_aap, a_sos)
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
        table = show_table(
            pd.DataFrame(cells, columns=head),
            f"aap-forholdstall-{year}",
            f"AAP-andel, andel sosialhjelpsmottakere og forholdstallet mellom dem, {year}. "
            "Begge andeler er av innbyggerne 18–66 år.",
            data=t.rename(columns={"aap": head[1], "sos": head[2], "ratio": head[3]})[
                ["series", head[1], head[2], head[3]]
            ],
            notes=[
                "Forholdstall = AAP-andel / sosialhjelpsandel. For ASSS-snittet er det "
                "forholdet mellom de to snittene.",
                "AAP-andelen er NAVs mottakere i desember; sosialhjelpsandelen er mottakere i "
                "løpet av året (SSB).",
            ],
        )
        texts = {
            "aap_andel": fmt_number(own["aap"], 2, status=own["aap_status"]),
            "sos_andel": fmt_number(own["sos"], 2, status=own["sos_status"]),
            "ratio": fmt_number(own["ratio"], 2),
            "ratio_asss": fmt_number(a_aap / a_sos if a_sos else float("nan"), 2),
            "forventet": fmt_number(expected, 1),
        }
        return table, texts

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
        return text + (
            " NAV publiserer bare inneværende år; eldre år kommer fra tidligere nedlastinger "
            "eller fra et arkiv som legges til med `navbok fetch --nav-arkiv`."
        )

    def months(self, name: str = "aap-maaned") -> figure.ChartOutput:
        """AAP share for every month NAV's files cover (December each year, and other months
        where published), as a monthly time axis."""
        ctx = self.ctx
        frames = []
        for indicator, mon in MONTHLY:
            c = ctx.comparison(indicator, kinds=DEFAULT_KINDS)
            c = c[c["value"].notna() | c["status"].notna()]
            frames.append(c.assign(Måned=pd.to_datetime(dict(year=c["year"], month=mon, day=1))))
        df = pd.concat(frames, ignore_index=True).sort_values("Måned", kind="stable")
        df = df.sort_values("kind", key=lambda k: k.map(KIND_RANK), kind="stable")
        df = df.rename(columns={"series": "Serie", "value": "Verdi"})
        chart = chart_specs.line_chart(
            df,
            x="Måned",
            y="Verdi",
            series="Serie",
            focus=ctx.data.name(ctx.kommune),
            title="Andel av innbyggerne 18–66 år på AAP, februar og desember",
            description=(
                f"Linjediagram: AAP-andel per måned for {ctx.name} og sammenligningsgruppene, "
                f"{df['Måned'].min():%m.%Y}–{df['Måned'].max():%m.%Y}."
            ),
            y_title="prosent",
            y_format=",.2f",
        )
        table = wide(df, "Måned", "Serie", "Verdi", sort_rows=True, sort_columns=False)
        table["Måned"] = table["Måned"].dt.strftime("%m.%Y")
        table.columns = [str(c) for c in table.columns]
        months = ", ".join(sorted({f"{m:%m.%Y}" for m in df["Måned"] if m.month != 12}))
        caption = (
            "NAVs mottakere av AAP delt på innbyggere 18–66 år. Desembertall for hvert år"
            + (f", og i tillegg {months}" if months else "")
            + ". Februar bruker folketallet 1.1. samme år, desember folketallet 31.12."
        )
        return figure.show_chart(chart, table, name, caption, decimals=2, text_columns=["Måned"])
