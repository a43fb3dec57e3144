"""Figures and tables every chapter uses: one indicator for the municipality against its
comparison groups over time (line) or in one year (bars), and the key-figure level table."""

from __future__ import annotations

import pandas as pd

from navbok import status
from navbok.comparison import ComparisonRow, Kind
from navbok.present import chart_specs, figure
from navbok.present.numbers import fmt_number
from navbok.present.tables import TableOutput, show_table, wide
from navbok.report.breaks import break_context, break_note
from navbok.report.context import DEFAULT_KINDS, Context
from navbok.report.missing import MissingFigure

#: d3 number formats by decimals, for chart axes and tooltips.
D3_FORMAT = {0: ",.0f", 1: ",.1f", 2: ",.2f"}
#: The kinds a series break is looked for in (the comparison groups are SSB's own figures).
BREAK_KINDS = (Kind.KOMMUNE, Kind.NABO)


def d3_format(decimals: int) -> str:
    """The d3 number format for ``decimals`` decimals."""
    return D3_FORMAT.get(decimals, ",.2f")


def cell_symbol(row: ComparisonRow | None, value: float) -> str | None:
    """The SSB symbol for a table cell: none for a number, the row's status for a missing
    one, and ``..`` (missing) when there is no row or no status."""
    if row is None:
        return status.NOT_AVAILABLE
    if value == value:
        return None
    return status.symbol(row.status)


class Figures:
    """The shared figures of the chapters for one municipality."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def line(
        self,
        indicator: str,
        name: str,
        years: list[int] | None = None,
        kinds: tuple[Kind, ...] = DEFAULT_KINDS,
        caption: str = "",
    ) -> figure.ChartOutput | MissingFigure:
        """A time series of one indicator for the municipality and its comparison groups."""
        ctx = self.ctx
        spec = ctx.indicator(indicator)
        df = ctx.comparison(indicator, years, kinds)
        if ctx.unavailable(indicator) or df.empty:
            return ctx.missing_figure(indicator)
        df = df.rename(columns={"series": "Serie", "year": "År", "value": "Verdi"})
        focus = ctx.data.name(ctx.kommune)
        unit = spec.unit
        missing = df[df["Verdi"].isna()]
        note = ""
        if len(missing):
            n = len(missing)
            note = (
                f" {n} {'verdi mangler' if n == 1 else 'verdier mangler'} eller er skjult av "
                "personvernhensyn og vises som brudd i linjen (ikke som null)."
            )
        note += break_note(df, BREAK_KINDS, context=break_context(ctx, indicator))
        description = (
            f"Linjediagram: {spec.label}, {focus} sammenlignet med "
            f"{', '.join(s for s in df['Serie'].unique() if s != focus)}, "
            f"{min(df['År'])}–{max(df['År'])}. Enhet: {unit}."
        )
        chart = chart_specs.line_chart(
            df,
            x="År",
            y="Verdi",
            series="Serie",
            focus=focus,
            title=spec.label,
            description=description,
            y_title=unit,
            y_format=d3_format(spec.decimals),
        )
        table = wide(df, "Serie", "År", "Verdi")
        caption = caption or f"{spec.label}. {spec.definition}{note}"
        return figure.show_chart(
            chart, table, name, caption, decimals=spec.decimals, text_columns=["Serie"]
        )

    def bars(
        self,
        indicator: str,
        year: int,
        name: str,
        kinds: tuple[Kind, ...] = tuple(Kind),
        caption: str = "",
    ) -> figure.ChartOutput | MissingFigure:
        """One indicator in one year: the municipality against every comparison series."""
        ctx = self.ctx
        spec = ctx.indicator(indicator)
        df = ctx.comparison(indicator, [year], kinds)
        if ctx.unavailable(indicator) or df.empty:
            return ctx.missing_figure(indicator)
        df = df.assign(Serie=[self._bar_label(r) for r in df.itertuples()])
        table = df[["Serie", "value", "status"]].rename(columns={"value": spec.unit})
        chart = chart_specs.bar_chart(
            df.rename(columns={"value": "Verdi"}),
            category="Serie",
            value="Verdi",
            focus=ctx.name,
            title=f"{spec.label}, {year}",
            description=(
                f"Stolpediagram: {spec.label} i {year} for {ctx.name} og "
                f"sammenligningsgruppene. Manglende verdier har ingen stolpe."
            ),
            value_title=spec.unit,
            value_format=d3_format(spec.decimals),
            sort=False,
        )
        caption = caption or f"{spec.label}, {year}. {spec.definition}"
        return figure.show_chart(
            chart, table, name, caption, decimals=spec.decimals, text_columns=["Serie"]
        )

    def _bar_label(self, row: object) -> str:
        """A bar's label: the member's name beside ASSS highest and lowest, the group's own
        name for a KOSTRA group or county."""
        kind, region, series = row.kind, row.region, row.series  # type: ignore[attr-defined]
        if kind in (Kind.ASSS_HOY, Kind.ASSS_LAV):
            return f"{series} ({self.ctx.data.name(str(region))})"
        if kind in (Kind.KOSTRAGRUPPE, Kind.FYLKE):
            return self.ctx.data.name(str(region))
        return str(series)

    def level_table(
        self, indicators: list[str], name: str, caption: str, years: list[int] | None = None
    ) -> TableOutput:
        """Key figures for the profile years with the ASSS average, highest and lowest and
        Landet in the last year (the source documents' «tjenesteprofil» table)."""
        ctx = self.ctx
        years = years or [y for y in ctx.params.profile_years if y in ctx.data.years]
        last = years[-1]
        cols = [str(y) for y in years] + [
            f"ASSS-snitt {last}",
            f"ASSS høyest {last}",
            f"ASSS lavest {last}",
            f"Landet {last}",
        ]
        last_kinds = (Kind.ASSS_SNITT, Kind.ASSS_HOY, Kind.ASSS_LAV, Kind.LANDET)
        cells, data, symbols = [], [], []
        for i in indicators:
            spec = ctx.indicator(i)
            first: dict[tuple[Kind, int], ComparisonRow] = {}
            for r in ctx.comparison_rows(i, tuple(years)):
                first.setdefault((r.kind, r.year), r)
            row: list[str] = [spec.name]
            nums: list[str | float] = [spec.name]
            marks: list[str | None] = [None]
            wanted = [(Kind.KOMMUNE, y) for y in years] + [(k, last) for k in last_kinds]
            for kind, y in wanted:
                hit = first.get((kind, y))
                value = float("nan") if hit is None or hit.value is None else float(hit.value)
                symbol = cell_symbol(hit, value)
                text = fmt_number(value, spec.decimals, status=symbol)
                if kind in (Kind.ASSS_HOY, Kind.ASSS_LAV) and hit is not None and value == value:
                    text += f" ({ctx.data.name(str(hit.region))})"
                row.append(text)
                nums.append(value)
                marks.append(symbol)
            cells.append(row)
            data.append(nums)
            symbols.append(marks)
        head = ["Nøkkeltall"] + [f"{ctx.name} {c}" if c.isdigit() else c for c in cols]
        numbers = pd.DataFrame(data, columns=head)
        columns = {h: [m[j] for m in symbols] for j, h in enumerate(head) if j}
        numbers.attrs["status"] = {h: v for h, v in columns.items() if any(v)}
        return show_table(
            pd.DataFrame(cells, columns=head),
            name,
            caption,
            data=numbers,
            notes=[
                "ASSS-snitt er det uveide gjennomsnittet av ASSS-kommunene; høyest og lavest "
                "viser kommunen i parentes. Landet er SSBs tall der SSB publiserer det.",
                f"Symboler: {status.LEGEND}. Nedlastingen har en statuskolonne ved siden av "
                "hver kolonne med symboler.",
                *(
                    [f"Mangler i tabellen: {gone}"]
                    if (gone := ctx.unavailable(*indicators))
                    else []
                ),
            ],
        )
