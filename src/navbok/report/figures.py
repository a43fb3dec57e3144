"""Figures and tables every chapter uses: one indicator for the municipality against its
comparison groups over time (line) or in one year (bars), and the key-figure level table."""

from __future__ import annotations

import pandas as pd

from navbok import status
from navbok.comparison import ComparisonRow, Kind
from navbok.measures import BORDERS_UNKNOWN_SOURCE
from navbok.present import chart_specs, figure
from navbok.present.exports import with_cell_estimates, with_cell_statuses
from navbok.present.numbers import fmt_number
from navbok.present.prose import and_list
from navbok.present.tables import TableOutput, show_table, wide
from navbok.report.breaks import break_context, break_note, region_border_note
from navbok.report.context import Context
from navbok.report.missing import SAID_ABOVE, MissingFigure

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


def borders_unknown_note(df: pd.DataFrame) -> str:
    """Why a KOSTRA group or county of an earlier year has no figure per inhabitant: its
    population, summed over its municipalities of that year, cannot be had from a population
    table on today's borders (:data:`navbok.measures.BORDERS_UNKNOWN_SOURCE`). ``df`` has the
    columns ``kind``, ``Serie``, ``År``, ``Verdi`` and ``source``."""
    wanted = (Kind.KOSTRAGRUPPE, Kind.FYLKE)
    candidates = zip(df["kind"].tolist(), df["Verdi"].tolist(), df["status"].tolist(), strict=True)
    if not any(k in wanted and pd.isna(v) and s == status.NOT_AVAILABLE for k, v, s in candidates):
        return ""  # no missing group or county figure: the filter below would find nothing
    gone = df[
        df["kind"].isin([Kind.KOSTRAGRUPPE, Kind.FYLKE])
        & df["Verdi"].isna()
        & (df["status"] == status.NOT_AVAILABLE)
        & df["source"].astype(str).str.contains(BORDERS_UNKNOWN_SOURCE, regex=False)
    ]
    if gone.empty:
        return ""
    parts = []
    for serie, rows in gone.groupby("Serie", sort=False):
        runs: list[list[int]] = []
        for y in sorted(int(y) for y in rows["År"]):
            if runs and y == runs[-1][-1] + 1:
                runs[-1].append(y)
            else:
                runs.append([y])
        spans = [str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs]
        parts.append(f"{serie} ({', '.join(spans)})")
    return (
        f" {and_list(parts)}: tallet mangler (..). Det bygger på innbyggertallet for "
        "kommunene slik de var det året, og det finnes ikke: befolkningstallene er for dagens "
        "kommuner, og noen av dem har også land fra kommuner utenfor gruppen eller fylket."
    )


class Figures:
    """The shared figures of the chapters for one municipality."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def line(
        self,
        indicator: str,
        name: str,
        years: list[int] | None = None,
        kinds: tuple[Kind, ...] | None = None,
        caption: str = "",
    ) -> figure.ChartOutput | MissingFigure:
        """A time series of one indicator for the municipality and its comparison groups
        (``kinds``, default the municipality's peers: ``ctx.peers.line_kinds``); a short note
        instead when the municipality has no value in any of the years."""
        ctx = self.ctx
        spec = ctx.indicator(indicator)
        names = {"series": "Serie", "year": "År", "value": "Verdi"}
        df = ctx.comparison(indicator, years, kinds or ctx.peers.line_kinds, names=names)
        if ctx.unavailable(indicator) or df.empty:
            return ctx.missing_figure(indicator)
        if not ctx.has_own_values(indicator, years):
            return ctx.hidden_figure(indicator, years)
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
        note += borders_unknown_note(df)
        note += region_border_note(ctx, df)
        if bool((df["estimate"] & df["Verdi"].notna()).any()):
            if "er anslag:" in note:  # the break note has said what the estimates are
                note += " Anslagene er åpne punkter i figuren og merket ≈ i tabellen."
            else:
                note += (
                    " Åpne punkter (≈ i tabellen) er anslag: tall for en kommune som senere ble "
                    "delt, fordelt etter hvor mange innbyggere som gikk til hver av de nye "
                    "kommunene."
                )
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
            kinds=dict(zip(df["Serie"], df["kind"].astype(str), strict=True)),
            estimate="estimate",
        )
        table = wide(df, "Serie", "År", "Verdi")
        caption = caption or f"{spec.label}. {spec.definition}{note}"
        return figure.show_chart(
            chart,
            table,
            name,
            caption,
            decimals=spec.decimals,
            text_columns=["Serie"],
            provenance=ctx.provenance,
        )

    def bars(
        self,
        indicator: str,
        year: int,
        name: str,
        kinds: tuple[Kind, ...] | None = None,
        caption: str = "",
    ) -> figure.ChartOutput | MissingFigure:
        """One indicator in one year: the municipality against its comparison series
        (``kinds``, default ``ctx.peers.bar_kinds``); a short note instead when the
        municipality's value is hidden or missing."""
        ctx = self.ctx
        spec = ctx.indicator(indicator)
        df = ctx.comparison(indicator, [year], kinds or ctx.peers.bar_kinds)
        if ctx.unavailable(indicator) or df.empty:
            return ctx.missing_figure(indicator)
        if not ctx.has_own_values(indicator, [year]):
            return ctx.hidden_figure(indicator, [year])
        # the three columns read as lists (iterating the frame's rows reads every column)
        parts = zip(df["kind"].tolist(), df["region"].tolist(), df["series"].tolist(), strict=True)
        df = df.assign(Serie=[self._bar_label(*part) for part in parts])
        table = df[["Serie", "value", "status"]].rename(columns={"value": spec.unit})
        flags = (df["estimate"] & df["value"].notna()).tolist()
        marked = with_cell_estimates(table, {spec.unit: flags})  # only columns with one
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
            kinds=dict(zip(df["Serie"], df["kind"].astype(str), strict=True)),
        )
        caption = caption or f"{spec.label}, {year}. {spec.definition}"
        if any(flags):
            caption += f" {status.ESTIMATE_NOTE}"
        return figure.show_chart(
            chart,
            marked,
            name,
            caption,
            decimals=spec.decimals,
            text_columns=["Serie"],
            provenance=ctx.provenance,
        )

    def _bar_label(self, kind: object, region: object, series: object) -> str:
        """A bar's label (of a row's ``kind``, ``region`` and ``series``): the member's name
        beside ASSS highest and lowest, the group's own name for a KOSTRA group or county."""
        if kind in (Kind.ASSS_HOY, Kind.ASSS_LAV):
            return f"{series} ({self.ctx.data.name(str(region))})"
        if kind in (Kind.KOSTRAGRUPPE, Kind.FYLKE):
            return self.ctx.data.name(str(region))
        return str(series)

    def level_table(
        self, indicators: list[str], name: str, caption: str, years: list[int] | None = None
    ) -> TableOutput:
        """Key figures for the profile years with the municipality's peers in the last year
        (the source documents' «tjenesteprofil» table): for an ASSS member the ASSS average,
        highest and lowest and Landet; otherwise the KOSTRA group, the county and Landet."""
        ctx = self.ctx
        years = years or [y for y in ctx.params.profile_years if y in ctx.data.years]
        last = years[-1]
        if ctx.peers.asss_member:
            last_kinds: tuple[Kind, ...] = (
                Kind.ASSS_SNITT,
                Kind.ASSS_HOY,
                Kind.ASSS_LAV,
                Kind.LANDET,
            )
            heads = ["ASSS-snitt", "ASSS høyest", "ASSS lavest", "Landet"]
            peer_note = (
                "ASSS-snitt er det uveide gjennomsnittet av ASSS-kommunene; høyest og lavest "
                "viser kommunen i parentes. Landet er SSBs tall der SSB publiserer det."
            )
        else:
            last_kinds, heads = (), []
            for kind, title in (
                (Kind.KOSTRAGRUPPE, ctx.data.name(ctx.groups.kostra.get(last, ""))),
                (Kind.FYLKE, ctx.data.name(ctx.groups.county.get(last, ""))),
                (Kind.LANDET, "Landet"),
            ):
                if title and not ctx.groups.alone(kind, last):
                    last_kinds += (kind,)
                    heads.append(title)
            peer_note = (
                "KOSTRA-gruppen og fylket er SSBs tall der SSB publiserer dem, ellers summert "
                "over kommunene; Landet er SSBs tall."
            )
        cols = [str(y) for y in years] + [f"{h} {last}" for h in heads]
        cells, data, symbols, guesses = [], [], [], []
        # an indicator SSB does not publish would be a row of nothing but «..»: it is left
        # out, and the note names it (with the reason, unless the page has told it already)
        gone = [i for i in indicators if ctx.unavailable(i)]
        left_out = ""
        if gone:
            names = " og ".join(ctx.indicator(i).name for i in gone)
            why = ctx.explain_unavailable(*gone) or SAID_ABOVE
            left_out = f"Ikke med i tabellen: {names}. {why}"
        for i in (i for i in indicators if i not in gone):
            spec = ctx.indicator(i)
            first: dict[tuple[Kind, int], ComparisonRow] = {}
            for r in ctx.comparison_rows(i, tuple(years)):
                first.setdefault((r.kind, r.year), r)
            row: list[str] = [spec.name]
            nums: list[str | float] = [spec.name]
            marks: list[str | None] = [None]
            guessed: list[bool] = [False]
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
                guessed.append(hit is not None and hit.estimate and value == value)
            cells.append(row)
            data.append(nums)
            symbols.append(marks)
            guesses.append(guessed)
        head = ["Nøkkeltall"] + [f"{ctx.name} {c}" if c.isdigit() else c for c in cols]
        numbers = pd.DataFrame(data, columns=head)
        columns = {h: [m[j] for m in symbols] for j, h in enumerate(head) if j}
        marked = with_cell_statuses(numbers, {h: v for h, v in columns.items() if any(v)})
        flagged = {h: [g[j] for g in guesses] for j, h in enumerate(head) if j}
        marked = with_cell_estimates(marked, {h: v for h, v in flagged.items() if any(v)})
        return show_table(
            pd.DataFrame(cells, columns=head),
            name,
            caption,
            data=marked,
            notes=[
                peer_note,
                f"Symboler: {status.LEGEND}. Nedlastingen har en statuskolonne ved siden av "
                "hver kolonne med symboler.",
                *([left_out] if left_out else []),
            ],
            provenance=ctx.provenance,
        )
