"""Report views for the chapter «Langtidsmottakere»: related indicators of the municipality
side by side (durations by group, main income), one line each."""

from __future__ import annotations

import pandas as pd

from navbok.comparison import Kind
from navbok.present import chart_specs, figure
from navbok.present.tables import wide
from navbok.report.context import Context
from navbok.report.figures import d3_format
from navbok.report.missing import MissingFigure


class LongtermViews:
    """The long-term chapter's views for one municipality."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def lines(
        self, indicators: list[str], name: str, title: str, caption: str, unit: str = ""
    ) -> figure.ChartOutput | MissingFigure:
        """Several indicators for the municipality alone, one line each, named by their
        ``legend`` label (an indicator SSB does not publish is left out, and the caption says
        why)."""
        ctx = self.ctx
        gone = ctx.unavailable(*indicators)
        shown = [i for i in indicators if not ctx.unavailable(i)]
        if not shown:
            return ctx.missing_figure(*indicators, title=title)
        caption = f"{caption} {gone}".strip()
        specs = [ctx.indicator(i) for i in shown]
        frames = [
            ctx.comparison(spec.id, kinds=(Kind.KOMMUNE,)).assign(Serie=spec.legend_label)
            for spec in specs
        ]
        df = pd.concat(frames, ignore_index=True).rename(columns={"year": "År", "value": "Verdi"})
        chart = chart_specs.line_chart(
            df,
            x="År",
            y="Verdi",
            series="Serie",
            focus=str(df["Serie"].iloc[0]),
            title=title,
            description=(
                f"Linjediagram for {ctx.name}: {', '.join(df['Serie'].unique())}, "
                f"{min(df['År'])}–{max(df['År'])}."
            ),
            y_title=unit or specs[0].unit,
            y_format=d3_format(specs[0].decimals),
        )
        table = wide(df, "Serie", "År", "Verdi")
        return figure.show_chart(
            chart, table, name, caption, decimals=specs[0].decimals, text_columns=["Serie"]
        )
