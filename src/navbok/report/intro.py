"""Report views for the chapter «Innledning»: the service profile (key figures as an index
against the ASSS average)."""

from __future__ import annotations

import pandas as pd

from navbok.comparison import Kind
from navbok.present import chart_specs, figure
from navbok.present.numbers import fmt_number
from navbok.report.context import Context

#: The service profile's key figures, in order (each bar is named by the indicator's ``profile``
#: label in the register).
PROFILE = (
    "andel_18_66",
    "andel_18_24",
    "andel_25_66",
    "stonadslengde",
    "stonad_per_mottaker",
    "utbetalt_per_innb_18_66",
    "netto_sos_per_innb",
    "andel_6mnd",
    "kvp_per_1000",
    "kvp_etter",
    "aap_andel",
)


class IntroViews:
    """The introduction's views for one municipality."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def service_profile(self, year: int, name: str = "tjenesteprofil") -> figure.ChartOutput:
        """Key figures as an index against the ASSS average (= 100), as in the source documents."""
        ctx = self.ctx
        rows = []
        for i in PROFILE:
            spec = ctx.indicator(i)
            own, symbol = ctx.value(i, year)
            avg, _ = ctx.value(i, year, Kind.ASSS_SNITT)
            idx = 100 * own / avg if avg and avg == avg and own == own else float("nan")
            rows.append(
                (
                    spec.profile_label,
                    idx,
                    fmt_number(own, spec.decimals, status=symbol),
                    fmt_number(avg, spec.decimals),
                )
            )
        df = pd.DataFrame(rows, columns=["Nøkkeltall", "Indeks", ctx.name, "ASSS-snitt"])
        chart = chart_specs.bar_chart(
            df,
            category="Nøkkeltall",
            value="Indeks",
            focus="",
            title=f"Tjenesteprofil {year}",
            description=(
                f"Stolpediagram: {ctx.name}s nøkkeltall for {year} som indeks der ASSS-snittet "
                "er 100. Over 100 betyr høyere enn snittet."
            ),
            value_title="Indeks (ASSS-snitt = 100)",
            value_format=",.0f",
            sort=False,
        )
        caption = (
            f"Tjenesteprofil for {ctx.name} {year}: hvert nøkkeltall delt på det uveide snittet "
            "av ASSS-kommunene, ganger 100. Verdiene er ikke snudd for retning: over 100 betyr "
            "høyere verdi, ikke nødvendigvis bedre."
        )
        return figure.show_chart(
            chart,
            df,
            name,
            caption,
            decimals={"Indeks": 0},
            text_columns=["Nøkkeltall", ctx.name, "ASSS-snitt"],
        )
