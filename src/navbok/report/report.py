"""What a chapter notebook calls: one :class:`Report` per municipality.

Notebooks stay thin: a parameters cell, ``r = Report.open(...)``, then a few calls that return
charts, tables, glued numbers and the chapter's source box. All logic lives here and in the
analysis modules.
"""

from __future__ import annotations

import html
import itertools
import string
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

from navbok import indicators as ind
from navbok.availability import indicator_measures
from navbok.data import CACHE_DIR, NavData, comparison_frame
from navbok.params import Params, load_params, params_for
from navbok.present import charts
from navbok.present.formatting import Provenance, fmt_number, set_provenance
from navbok.present.tables import TableOutput, show_table, wide
from navbok.regions import Register
from navbok.register import register_doc
from navbok.report.barometer import BarometerViews
from navbok.report.growth import GrowthViews
from navbok.report.missing import MissingFigure
from navbok.snapshot import DEFAULT_DIR
from navbok.sources.catalogue import catalogue
from navbok.sources.metadata import is_preliminary

DEFAULT_KINDS = ("kommune", "nabo", "asss_snitt", "kostragruppe", "landet")
KIND_ORDER = [
    "kommune",
    "nabo",
    "asss_snitt",
    "asss_hoy",
    "asss_lav",
    "kostragruppe",
    "fylke",
    "landet",
    "landet_uten_oslo",
]
KIND_RANK = {k: i for i, k in enumerate(KIND_ORDER)}  # reading order of the kinds
BAR_KINDS = tuple(KIND_ORDER)  # every comparison series, in reading order
D3_FORMAT = {0: ",.0f", 1: ",.1f", 2: ",.2f"}


class PlainText:
    """A text glued into markdown with ``{glue:md}`key``` (no quotes, no number parsing).

    (``{glue:text}`` would run the text through ``literal_eval``: «2,46» becomes «(2, 46)».)
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def _repr_markdown_(self) -> str:
        return self.text


@dataclass
class Report(GrowthViews, BarometerViews):
    """A municipality's data, parameters and comparison groups, with chapter helpers."""

    data: NavData
    params: Params
    _rows_memo: dict[tuple, list[tuple]] = field(default_factory=dict, init=False, repr=False)

    @classmethod
    def open(
        cls,
        kommune: str,
        snapshot: str = str(DEFAULT_DIR),
        params_file: str = "",
        cache_dir: str = str(CACHE_DIR),
    ) -> Report:
        """Load the snapshot (cached) and the municipality's parameters."""
        data = NavData.load(snapshot, cache_dir=cache_dir or None)
        params = load_params(params_file) if params_file else params_for(data, kommune)
        return cls(data, params)

    def __post_init__(self) -> None:
        # Sources, fetch date and the synthetic warning travel with every download.
        set_provenance(self.data.memo("provenance", lambda: Provenance.of(self.data.snapshot)))
        self.kode = self.data.resolve(self.params.kommune).code
        self.name = self.params.name
        self.groups = self.data.groups(self.kode, self.params.neighbours, self.params.asss_variant)
        self.years = [
            y for y in self.data.years if self.params.start_year <= y <= self.params.end_year
        ]

    # ------------------------------------------------------------------ numbers
    def indicator(self, indicator: str) -> ind.Indicator:
        """The register entry of an indicator."""
        return ind.register()[indicator]

    def comparison(
        self, indicator: str, years: list[int] | None = None, kinds: tuple[str, ...] | None = None
    ) -> pd.DataFrame:
        """The indicator for the municipality and its comparison groups (long format)."""
        rows = self._comparison_rows(indicator, tuple(years or self.years))
        if kinds is not None:
            rows = [r for r in rows if r[1] in kinds]
        return comparison_frame(rows)

    def _comparison_rows(self, indicator: str, years: tuple[int, ...]) -> list[tuple]:
        """The rows of :meth:`comparison` in reading order (kind, then year), KOSTRA groups
        named by number; remembered per indicator and years (chapters ask many times)."""
        memo = self._rows_memo
        key = (indicator, years)
        if key not in memo:
            old = _old_scheme_years()
            rows = []
            for r in self.data.comparison_rows(self.groups, indicator, list(years)):
                if r[1] == "kostragruppe":
                    label = f"KOSTRA-gruppe {int(str(r[2])[3:])}"
                    r = (label + (" (inndeling til 2019)" if r[3] in old else ""), *r[1:])
                rows.append(r)
            memo[key] = sorted(rows, key=lambda r: (KIND_RANK.get(r[1], len(KIND_RANK)), r[3]))
        return memo[key]

    def value(self, indicator: str, year: int, kind: str = "kommune") -> tuple[float, str | None]:
        """One value and its status (``kind`` as in :meth:`comparison`)."""
        for r in self._comparison_rows(indicator, (year,)):
            if r[1] == kind:
                return (float("nan") if r[4] is None else float(r[4])), r[5]
        return float("nan"), ".."

    def measure(self, measure: str, year: int) -> float:
        """A harmonised count for the municipality (NaN when missing or suppressed)."""
        m = self.data.measures
        sel = m[(m["region"] == self.kode) & (m["measure"] == measure) & (m["year"] == year)]
        return float(sel["value"].iloc[0]) if len(sel) else float("nan")

    def asss_members(self, year: int) -> str:
        """The ASSS members of ``year`` by name, for the reader."""
        names = sorted(self.data.name(c) for c in self.groups.asss.get(year, []))
        return ", ".join(names[:-1]) + f" og {names[-1]}" if len(names) > 1 else "".join(names)

    def text(self, indicator: str, year: int, kind: str = "kommune") -> str:
        """A value formatted the Norwegian way with the indicator's decimals (status if missing)."""
        value, status = self.value(indicator, year, kind)
        return fmt_number(value, self.indicator(indicator).decimals, status=status)

    def asss_position(self, indicator: str, year: int) -> str:
        """Where the municipality lies among the ASSS members, as a phrase: «lavest av de 11
        ASSS-kommunene», «3. høyest av de 11 ASSS-kommunene»; for a municipality outside ASSS:
        «lavere enn alle de 12 ASSS-kommunene», «mellom ASSS-kommunene (4 av 12 lavere)»."""
        members = set(self.groups.asss.get(year, []))
        sel = ind.select(self.data.values, sorted(members | {self.kode}), [year], indicator)
        vals = sel.set_index("region")["value"].dropna()
        if self.kode not in vals.index:
            return "tallet mangler, så plasseringen blant ASSS-kommunene er ukjent"
        own = vals[self.kode]
        others = vals.drop(self.kode)
        n = len(others)
        below, above = int((others < own).sum()), int((others > own).sum())
        if self.kode not in members:
            if below == 0:
                return f"lavere enn alle de {n} ASSS-kommunene med tall"
            if above == 0:
                return f"høyere enn alle de {n} ASSS-kommunene med tall"
            return f"mellom ASSS-kommunene: {below} av {n} har lavere verdi"
        total = n + 1
        if below == 0:
            return f"lavest av de {total} ASSS-kommunene"
        if above == 0:
            return f"høyest av de {total} ASSS-kommunene"
        if below < above:
            return f"{below + 1}. lavest av de {total} ASSS-kommunene"
        return f"{above + 1}. høyest av de {total} ASSS-kommunene"

    def sentence(self, template: str, fallback: str, **values: str) -> str:
        """``template`` filled with ``values``, or ``fallback`` when a value is missing.

        Values are formatted numbers; a status symbol (``:``, ``..``, ``.``) or a dash means
        the number is missing, and a sentence with a symbol in it would mislead, so the
        fallback (filled with the same values) is used instead. Only the values the template
        names count."""
        used = {f for _, f, _, _ in string.Formatter().parse(template) if f}
        missing = any(str(values[k]).strip() in MISSING_TEXTS for k in used if k in values)
        return (fallback if missing else template).format(navn=self.name, **values)

    def unavailable(self, *indicators: str) -> str:
        """Why any of these indicators cannot be shown (SSB does not publish a content they
        need), as sentences for the reader; empty when all can be shown."""
        avail = self.data.availability
        reasons = [avail.reason(i) for i in indicators]
        return " ".join(dict.fromkeys(r for r in reasons if r))

    def missing_measures(self, *measures: str) -> str:
        """Why any of these measures has no values (SSB does not publish its content); empty
        when all have."""
        missing = self.data.availability.missing_measures
        return " ".join(dict.fromkeys(missing[m] for m in measures if m in missing))

    def missing_figure(self, *indicators: str, title: str = "") -> MissingFigure:
        """What stands where a figure would have been when its numbers do not exist."""
        label = title or "; ".join(self.indicator(i).label for i in indicators)
        reason = self.unavailable(*indicators) or (
            f"Datagrunnlaget har ingen tall for {self.name} eller sammenligningsgruppene i "
            "perioden."
        )
        return MissingFigure(label, reason)

    def paragraph(self, indicators: list[str], template: str, fallback: str, **values: str) -> str:
        """:meth:`sentence`, or why the figures do not exist when SSB does not publish them."""
        gone = self.unavailable(*indicators)
        if gone:
            return f"Tallene finnes ikke i datagrunnlaget: {gone}"
        return self.sentence(template, fallback, **values)

    def glue(self, key: str, text: str) -> None:
        """Glue a text for ``{glue:md}`key``` in the chapter's markdown."""
        from myst_nb import glue

        glue(key, PlainText(text), display=False)

    # ------------------------------------------------------------------ charts
    def line(
        self,
        indicator: str,
        name: str,
        years: list[int] | None = None,
        kinds: tuple[str, ...] = DEFAULT_KINDS,
        caption: str = "",
    ) -> charts.ChartOutput | MissingFigure:
        """A time series of one indicator for the municipality and its comparison groups."""
        spec = self.indicator(indicator)
        df = self.comparison(indicator, years, kinds)
        if self.unavailable(indicator) or df.empty:
            return self.missing_figure(indicator)
        df = df.rename(columns={"series": "Serie", "year": "År", "value": "Verdi"})
        focus = self.data.name(self.kode)
        unit = spec.unit
        missing = df[df["Verdi"].isna()]
        note = ""
        if len(missing):
            n = len(missing)
            note = (
                f" {n} {'verdi mangler' if n == 1 else 'verdier mangler'} eller er skjult av "
                "personvernhensyn og vises som brudd i linjen (ikke som null)."
            )
        note += _break_note(df, ("kommune", "nabo"), context=_break_context(self, indicator))
        description = (
            f"Linjediagram: {spec.label}, {focus} sammenlignet med "
            f"{', '.join(s for s in df['Serie'].unique() if s != focus)}, "
            f"{min(df['År'])}–{max(df['År'])}. Enhet: {unit}."
        )
        chart = charts.line_chart(
            df,
            x="År",
            y="Verdi",
            series="Serie",
            focus=focus,
            title=spec.label,
            description=description,
            y_title=unit,
            y_format=D3_FORMAT.get(spec.decimals, ",.2f"),
        )
        table = wide(df, "Serie", "År", "Verdi")
        caption = caption or f"{spec.label}. {spec.definition}{note}"
        return charts.show_chart(
            chart, table, name, caption, decimals=spec.decimals, text_columns=["Serie"]
        )

    def service_profile(self, year: int, name: str = "tjenesteprofil") -> charts.ChartOutput:
        """Key figures as an index against the ASSS average (= 100), as in the source documents."""
        rows = []
        for i, short in SERVICE_PROFILE.items():
            own, status = self.value(i, year)
            avg, _ = self.value(i, year, "asss_snitt")
            idx = 100 * own / avg if avg and avg == avg and own == own else float("nan")
            places = self.indicator(i).decimals
            rows.append(
                (short, idx, fmt_number(own, places, status=status), fmt_number(avg, places))
            )
        df = pd.DataFrame(rows, columns=["Nøkkeltall", "Indeks", self.name, "ASSS-snitt"])
        chart = charts.bar_chart(
            df,
            category="Nøkkeltall",
            value="Indeks",
            focus="",
            title=f"Tjenesteprofil {year}",
            description=(
                f"Stolpediagram: {self.name}s nøkkeltall for {year} som indeks der ASSS-snittet "
                "er 100. Over 100 betyr høyere enn snittet."
            ),
            value_title="Indeks (ASSS-snitt = 100)",
            value_format=",.0f",
            sort=False,
        )
        caption = (
            f"Tjenesteprofil for {self.name} {year}: hvert nøkkeltall delt på det uveide snittet "
            "av ASSS-kommunene, ganger 100. Verdiene er ikke snudd for retning: over 100 betyr "
            "høyere verdi, ikke nødvendigvis bedre."
        )
        return charts.show_chart(
            chart,
            df,
            name,
            caption,
            decimals={"Indeks": 0},
            text_columns=["Nøkkeltall", self.name, "ASSS-snitt"],
        )

    def indicator_lines(
        self, indicators: list[str], name: str, title: str, caption: str, unit: str = ""
    ) -> charts.ChartOutput | MissingFigure:
        """Several indicators for the municipality alone, one line each (an indicator SSB does
        not publish is left out, and the caption says why)."""
        gone = self.unavailable(*indicators)
        shown = [i for i in indicators if not self.unavailable(i)]
        if not shown:
            return self.missing_figure(*indicators, title=title)
        indicators = shown
        caption = f"{caption} {gone}".strip()
        specs = [self.indicator(i) for i in indicators]
        frames = []
        for spec in specs:
            c = self.comparison(spec.id, kinds=("kommune",))
            frames.append(c.assign(Serie=SHORT.get(spec.id, spec.name)))
        df = pd.concat(frames, ignore_index=True).rename(columns={"year": "År", "value": "Verdi"})
        chart = charts.line_chart(
            df,
            x="År",
            y="Verdi",
            series="Serie",
            focus=str(df["Serie"].iloc[0]),
            title=title,
            description=(
                f"Linjediagram for {self.name}: {', '.join(df['Serie'].unique())}, "
                f"{min(df['År'])}–{max(df['År'])}."
            ),
            y_title=unit or specs[0].unit,
            y_format=D3_FORMAT.get(specs[0].decimals, ",.2f"),
        )
        table = wide(df, "Serie", "År", "Verdi")
        return charts.show_chart(
            chart, table, name, caption, decimals=specs[0].decimals, text_columns=["Serie"]
        )

    def bars(
        self,
        indicator: str,
        year: int,
        name: str,
        kinds: tuple[str, ...] = BAR_KINDS,
        caption: str = "",
    ) -> charts.ChartOutput | MissingFigure:
        """One indicator in one year: the municipality against every comparison series."""
        spec = self.indicator(indicator)
        df = self.comparison(indicator, [year], kinds)
        if self.unavailable(indicator) or df.empty:
            return self.missing_figure(indicator)
        df = df.assign(Serie=[_bar_label(self, r) for r in df.itertuples()])
        table = df[["Serie", "value", "status"]].rename(columns={"value": spec.unit})
        chart = charts.bar_chart(
            df.rename(columns={"value": "Verdi"}),
            category="Serie",
            value="Verdi",
            focus=self.name,
            title=f"{spec.label}, {year}",
            description=(
                f"Stolpediagram: {spec.label} i {year} for {self.name} og "
                f"sammenligningsgruppene. Manglende verdier har ingen stolpe."
            ),
            value_title=spec.unit,
            value_format=D3_FORMAT.get(spec.decimals, ",.2f"),
            sort=False,
        )
        caption = caption or f"{spec.label}, {year}. {spec.definition}"
        return charts.show_chart(
            chart, table, name, caption, decimals=spec.decimals, text_columns=["Serie"]
        )

    def level_table(
        self, indicators: list[str], name: str, caption: str, years: list[int] | None = None
    ) -> TableOutput:
        """Key figures for the profile years with the ASSS average, highest and lowest and
        Landet in the last year (the source documents' «tjenesteprofil» table)."""
        years = years or [y for y in self.params.profile_years if y in self.data.years]
        last = years[-1]
        cols = [str(y) for y in years] + [
            f"ASSS-snitt {last}",
            f"ASSS høyest {last}",
            f"ASSS lavest {last}",
            f"Landet {last}",
        ]
        cells, data, symbols = [], [], []
        for i in indicators:
            spec = self.indicator(i)
            first: dict[tuple[str, int], tuple] = {}
            for r in self._comparison_rows(i, tuple(years)):
                first.setdefault((r[1], r[3]), r)
            row: list[str] = [spec.name]
            nums: list[str | float] = [spec.name]
            marks: list[str | None] = [None]
            wanted = [("kommune", y) for y in years]
            wanted += [(k, last) for k in ("asss_snitt", "asss_hoy", "asss_lav", "landet")]
            for kind, y in wanted:
                hit = first.get((kind, y))
                value = float("nan") if hit is None or hit[4] is None else float(hit[4])
                symbol = _cell_symbol(hit, value)
                text = fmt_number(value, spec.decimals, status=symbol)
                if kind in ("asss_hoy", "asss_lav") and hit is not None and value == value:
                    text += f" ({self.data.name(str(hit[2]))})"
                row.append(text)
                nums.append(value)
                marks.append(symbol)
            cells.append(row)
            data.append(nums)
            symbols.append(marks)
        head = ["Nøkkeltall"] + [f"{self.name} {c}" if c.isdigit() else c for c in cols]
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
                "Symboler: .. = tall mangler, : = skjult av personvernhensyn, . = kan ikke "
                "regnes ut. Nedlastingen har en statuskolonne ved siden av hver kolonne med "
                "symboler.",
                *(
                    [f"Mangler i tabellen: {gone}"]
                    if (gone := self.unavailable(*indicators))
                    else []
                ),
            ],
        )

    def aap_ratio(self, year: int) -> tuple[TableOutput, dict[str, str]]:
        """AAP share, social-assistance share and ratio in ``year`` with the expected share."""
        from navbok.analysis.aap import expected_share, ratio_table

        aap = self.comparison("aap_andel", [year])
        t = ratio_table(aap, self.comparison("andel_18_66", [year]), year)
        own = t[t["kind"] == "kommune"].iloc[0]
        asss = t[t["kind"] == "asss_snitt"]
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

    def aap_coverage(self) -> str:
        """Which months of NAV's AAP155 the snapshot holds, for the reader."""
        snap = self.data.snapshot
        periods = snap.aap_periods()
        if not periods:
            return "Datagrunnlaget har ingen AAP-tall fra NAV."
        first, last = periods[0], periods[-1]
        text = (
            f"Datagrunnlaget har NAVs tabell AAP155 for {_month(first)}–{_month(last)} "
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

    def aap_months(self, name: str = "aap-maaned") -> charts.ChartOutput:
        """AAP share for every month NAV's files cover (December each year, and other months
        where published), as a monthly time axis."""
        frames = []
        for indicator, month in (("aap_andel", 12), ("aap_andel_februar", 2)):
            c = self.comparison(indicator, kinds=DEFAULT_KINDS)
            c = c[c["value"].notna() | c["status"].notna()]
            frames.append(c.assign(Måned=pd.to_datetime(dict(year=c["year"], month=month, day=1))))
        df = pd.concat(frames, ignore_index=True).sort_values("Måned", kind="stable")
        df = df.sort_values("kind", key=lambda k: k.map(KIND_RANK), kind="stable")
        df = df.rename(columns={"series": "Serie", "value": "Verdi"})
        chart = charts.line_chart(
            df,
            x="Måned",
            y="Verdi",
            series="Serie",
            focus=self.data.name(self.kode),
            title="Andel av innbyggerne 18–66 år på AAP, februar og desember",
            description=(
                f"Linjediagram: AAP-andel per måned for {self.name} og sammenligningsgruppene, "
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
        return charts.show_chart(chart, table, name, caption, decimals=2, text_columns=["Måned"])

    def local_section(self, key: str, title: str, intro: str) -> LocalSection:
        """An optional table from the municipality's own data (``local_data`` in the params).

        Shown only when the params name a file for ``key``; the file is a CSV (``;`` or ``,``)
        whose first lines may be ``# source: …`` and ``# note: …``.
        """
        path = self.params.local_data.get(key)
        if not path:
            return LocalSection("")
        from navbok.reference import load_reference

        p = Path(path)
        ref = load_reference(p.stem, p.parent)
        table = show_table(
            ref.frame,
            f"lokal-{key}",
            f"{title}. Kilde: {ref.source}",
            notes=ref.notes,
        )
        esc = html.escape
        return LocalSection(
            f'<section class="navbok-local" aria-label="{esc(title)}"><h2>{esc(title)}</h2>'
            f"<p>{esc(intro)}</p>{table.html}</section>"
        )

    # ------------------------------------------------------------------ sources
    def source_box(self, indicators: list[str]) -> SourceBox:
        """The chapter's sources: each table's title, the contents fetched (by their labels),
        the table's ``updated`` date, the fetch date, what is missing and synthetic data."""
        snap = self.data.snapshot
        doc = register_doc()
        by_id = {i["id"]: i for i in doc["indicators"]}
        contents: list[str] = []
        extra: set[str] = set()
        for i in indicators:
            contents += indicator_measures(by_id[i], doc)
            for m in _leaf_measures(by_id[i], doc):
                if "population" in doc["measures"][m]:
                    extra.add("07459")
                elif "aap" in doc["measures"][m]:
                    extra.add("AAP155")
        labels: dict[str, list[str]] = {}
        for r in snap.resolutions:
            if r.measure in contents and r.status == "resolved" and r.label:
                labels.setdefault(r.table, [])
                if r.label not in labels[r.table]:
                    labels[r.table].append(r.label)
        if "07459" in extra:
            labels.setdefault("07459", ["Personer 18–66 år (1. januar)"])
        order = [t.table for t in catalogue().ssb]
        tables = []
        for t in sorted(labels, key=lambda t: order.index(t) if t in order else len(order)):
            info = snap.table_info(t)
            meta = snap.metadata(t) if f"ssb/{t}.metadata.json" in snap.files else None
            title = (meta.short_title if meta else info.get("title", "")) or t
            updated = (meta.updated if meta else info.get("updated", ""))[:10]
            years = meta.years if meta else []
            prelim = (
                f"Tallene for {years[-1]} er foreløpige (tabellen ble oppdatert {updated}; SSB "
                f"publiserer reviderte tall 15. juni {years[-1] + 1})."
                if years and is_preliminary(updated, years[-1])
                else ""
            )
            tables.append(SourceTable(f"SSB {t}", title, labels[t], updated, prelim))
        if "AAP155" in extra and snap.aap_years():
            periods = snap.aap_periods()
            first, last = periods[0], periods[-1]
            tables.append(
                SourceTable(
                    "NAV AAP155",
                    "Mottakere av arbeidsavklaringspenger. Kommune",
                    [f"Antall mottakere per måned, {first[5:]}.{first[:4]}–{last[5:]}.{last[:4]}"],
                    "",
                    "",
                )
            )
        synthetic = sorted(
            t.name for t in tables if any(snap.files[n].synthetic for n in _files_of(snap, t.name))
        )
        used = {t.name.split()[1] for t in tables if t.name.startswith("SSB ")}
        stitches = [s.describe() for s in self.data.stitches if used & set(s.tables)]
        notes = []
        if used & CASE_TABLES:
            notes.append(CASES_NOTE)
        notes += split_notes(self.data.register, self.kode, self.name)
        avail = self.data.availability
        missing = [avail.unavailable[i] for i in indicators if i in avail.unavailable]
        missing += [g for i in indicators for g in avail.gaps.get(i, [])]
        return SourceBox(
            tables,
            snap.fetched_at[:10],
            synthetic,
            stitches,
            notes,
            list(dict.fromkeys(missing)),
        )


SERVICE_PROFILE = {
    "andel_18_66": "Andel mottakere 18–66 år",
    "andel_18_24": "Andel mottakere 18–24 år",
    "andel_25_66": "Andel mottakere 25–66 år",
    "stonadslengde": "Stønadslengde",
    "stonad_per_mottaker": "Stønad per mottaker",
    "utbetalt_per_innb_18_66": "Utbetalt per innbygger 18–66",
    "netto_sos_per_innb": "Netto driftsutgifter per innbygger",
    "andel_6mnd": "Andel med stønad 6 mnd+",
    "kvp_per_1000": "KVP-mottakere per 1 000",
    "kvp_etter": "Til arbeid/utdanning etter KVP",
    "aap_andel": "Andel på AAP",
}


SHORT = {
    "stonadslengde": "Alle mottakere",
    "stonadslengde_18_24": "18–24 år",
    "stonadslengde_25_66": "25–66 år",
    "stonadslengde_hovedinntekt": "Sosialhjelp som hovedinntekt",
    "andel_6mnd": "6 måneder eller mer",
    "andel_10mnd": "10 måneder eller mer",
    "andel_langtid_6mnd_hovedinntekt": "6 mnd+ og sosialhjelp som hovedinntekt",
    "andel_langtid_10mnd_hovedinntekt": "10 mnd+ og sosialhjelp som hovedinntekt",
    "andel_hovedinntekt_sosialhjelp": "Sosialhjelp",
    "andel_hovedinntekt_arbeid": "Arbeidsinntekt",
}


@cache
def _old_scheme_years() -> frozenset[int]:
    """Statistics years of the old KOSTRA-group scheme (to 2019)."""
    groups = catalogue().kostra_scheme_years()
    return frozenset(groups.get(min(groups), [])) if groups else frozenset()


MISSING_TEXTS = {":", "..", ".", "\u2013", "", "ukjent"}


def _break_note(
    df: pd.DataFrame,
    kinds: tuple[str, ...],
    limit: float = 0.4,
    *,
    context: BreakContext | None = None,
) -> str:
    """A caption note for year-on-year jumps over ``limit`` that the book can explain.

    A jump is told to the reader only with its reason (``context``): a merger or split of
    municipalities between the two years, SSB continuing the series in a new table, or the
    change from «mottakere» to «sosialhjelpstilfeller» in 2022. A jump without a known reason
    (often small numbers that swing) is not mentioned. Numbers have the indicator's decimals.
    """
    if context is None:
        return ""
    regions = df["region"] if "region" in df.columns else [None] * len(df)
    points: dict[str, list[tuple[int, float, str | None]]] = {}
    for kind, serie, region, year, value in zip(
        df["kind"], df["Serie"], regions, df["År"], df["Verdi"], strict=True
    ):
        if kind in kinds:
            points.setdefault(serie, []).append((int(year), float(value), region))
    notes: list[str] = []
    for serie, pts in points.items():
        pts.sort(key=lambda p: p[0])
        for (y0, a, region), (y1, b, _) in itertools.pairwise(pts):
            if not (a > 0 and b == b and abs(b / a - 1) > limit and y1 - y0 == 1):
                continue
            why = context.explain(None if region is None else str(region), y0, y1)
            if why:
                d = context.decimals
                notes.append(f"{serie} {y0}–{y1} ({fmt_number(a, d)} → {fmt_number(b, d)}): {why}")
    if not notes:
        return ""
    return " Brudd i serien (endring over 40 % på ett år): " + "; ".join(notes[:4]) + "."


MONTHS = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
          "oktober", "november", "desember"]  # fmt: skip


def _month(period: str) -> str:
    """«2025-10» as «oktober 2025»."""
    return f"{MONTHS[int(period[5:7]) - 1]} {period[:4]}"


def _bar_label(report: Report, row: object) -> str:
    kind, region, series = row.kind, row.region, row.series  # type: ignore[attr-defined]
    if kind in ("asss_hoy", "asss_lav"):
        return f"{series} ({report.data.name(str(region))})"
    if kind in ("kostragruppe", "fylke"):
        return report.data.name(str(region))
    return str(series)


@dataclass
class LocalSection:
    """An optional section from local data; empty (nothing shown) when there is none."""

    html: str

    def _repr_html_(self) -> str | None:
        return self.html or None

    def __repr__(self) -> str:
        return ""


def _leaf_measures(indicator: dict, doc: dict) -> list[str]:
    """Every measure an indicator of the register rests on (sums, products and formulas
    followed), population and AAP included."""
    by_id = {i["id"]: i for i in doc["indicators"]}
    if indicator.get("formula"):
        return [m for d in indicator["formula"]["ratio"] for m in _leaf_measures(by_id[d], doc)]
    todo = [indicator.get(k) for k in ("measure", "numerator", "denominator")]
    out: list[str] = []
    while todo:
        m = todo.pop()
        if not m or m in out:
            continue
        out.append(m)
        spec = doc["measures"][m]
        todo += spec.get("sum", []) + spec.get("product", [])
    return out


def _files_of(snap, table: str) -> list[str]:
    if table.startswith("SSB "):
        return snap.ssb_names(table[4:])
    return [n for n in snap.files if n.startswith("nav/")]


def split_notes(register: Register, kode: str, name: str) -> list[str]:
    """What the reader must know when the municipality got a part of a split municipality."""
    out = []
    for _, old_name, year, known in register.split_parts(kode):
        old = old_name.split(" - ")[0]
        if known:
            out.append(
                f"{old} ble delt i {year}: tallene for {old} før {year} er fordelt på de nye "
                f"kommunene etter hvor mange innbyggere hver av dem fikk, også for {name}."
            )
        else:
            out.append(
                f"{old} ble delt i {year}, og det er ikke kjent hvor mange innbyggere som kom "
                f"til {name}. Tall for {name} før {year} vises derfor ikke."
            )
    return out


#: Tables that count «sosialhjelpstilfeller» (from 2022) instead of «mottakere».
CASE_TABLES = {"13995", "14019"}
CASES_NOTE = (
    "Fra 2022 (tabell 13995 og 14019) teller SSB sosialhjelpstilfeller, ikke mottakere: en person "
    "som har fått stønad i flere kommuner i løpet av året, telles én gang i hver kommune. Tall "
    "fra før og etter 2022 er derfor ikke helt sammenlignbare. Der boka sier «mottakere» om år "
    "fra 2022, er det sosialhjelpstilfeller."
)


@dataclass
class SourceTable:
    """One source table in a source box."""

    name: str
    title: str
    labels: list[str]
    updated: str
    preliminary: str = ""


@dataclass
class SourceBox:
    """The source box that ends every chapter."""

    tables: list[SourceTable]
    fetched: str
    synthetic: list[str]
    stitches: list[str]
    notes: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        lines = [f"{t.name} «{t.title}»: {', '.join(t.labels)}" for t in self.tables]
        return "Kilder: " + "; ".join(lines) + f". Hentet {self.fetched}."

    def _repr_html_(self) -> str:
        esc = html.escape
        items = []
        for t in self.tables:
            updated = f" Oppdatert {esc(t.updated)}." if t.updated else ""
            prelim = (
                f' <strong class="navbok-preliminary">{esc(t.preliminary)}</strong>'
                if (t.preliminary)
                else ""
            )
            items.append(
                f"<li><strong>{esc(t.name)}</strong> «{esc(t.title)}»: "
                f"{esc('; '.join(t.labels))}.{updated}{prelim}</li>"
            )
        synth = ""
        if self.synthetic:
            synth = (
                '<p class="navbok-synthetic"><strong>Syntetiske data:</strong> '
                f"{esc(', '.join(self.synthetic))} er laget for test og demonstrasjon. "
                "Tallene er ikke offisiell statistikk.</p>"
            )
        missing = ""
        if self.missing:
            missing = (
                "<p><strong>Tall som mangler:</strong></p><ul>"
                + "".join(f"<li>{esc(m)}</li>" for m in self.missing)
                + "</ul>"
            )
        notes = "".join(f"<li>{esc(s)}</li>" for s in [*self.stitches, *self.notes])
        return (
            '<aside class="navbok-sources" aria-label="Kilder for kapittelet">'
            "<h2>Kilder</h2>"
            f"<ul>{''.join(items)}</ul>"
            f"<p>Data hentet {esc(self.fetched)}. Kommunenummer er harmonisert til gjeldende "
            "kommuneinndeling (SSB KLASS); sammenslåtte kommuner er summert, og andeler er "
            "regnet på nytt fra tellere og nevnere.</p>"
            f"<ul>{notes}</ul>{missing}{synth}"
            "<p>Kilde: Statistisk sentralbyrå (CC BY 4.0) og NAV (CC BY 4.0).</p></aside>"
        )


def write_params(params: Params, path: Path) -> Path:
    """Write a params file (used by ``navbok params``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(params.to_yaml(), "utf-8")
    return path


# ----------------------------------------------------------- missing symbols and series breaks


def _cell_symbol(row: tuple | None, value: float) -> str | None:
    """The SSB symbol for a table cell: none for a number, the row's status for a missing
    one, and ``..`` (missing) when there is no row or no status."""
    if row is None:
        return ".."
    if value == value:
        return None
    status = row[5]
    return status if isinstance(status, str) and status else ".."


@dataclass(frozen=True)
class BreakContext:
    """What the book knows about breaks in an indicator's series (see :func:`_break_note`).

    ``borders``: region → {year: explanation} for a change of municipal borders that takes
    effect that year (a merger or a split); ``tables``: {year: explanation} for the first year
    of a new SSB table (and the change to «sosialhjelpstilfeller»)."""

    decimals: int = 0
    borders: dict[str, dict[int, str]] = field(default_factory=dict)
    tables: dict[int, str] = field(default_factory=dict)

    def explain(self, region: str | None, year0: int, year1: int) -> str:
        """Why a series may jump from ``year0`` to ``year1`` (empty when nothing is known)."""
        why = []
        if region is not None:
            why += [t for y, t in self.borders.get(region, {}).items() if year0 < y <= year1]
        why += [t for y, t in self.tables.items() if year0 < y <= year1]
        return "; ".join(why)


def border_changes(
    register,  # a navbok.regions.Register
    region: str,
    years: list[int],
    names: dict[str, str],
) -> dict[int, str]:
    """{year: explanation} for each year the municipalities behind ``region`` changed
    borders (a merger or split; a new number alone is no break), from the register."""
    out: dict[int, str] = {}
    for y0, y1 in itertools.pairwise(sorted(years)):
        p0, p1 = register.predecessors(region, y0), register.predecessors(region, y1)
        if set(p0) == set(p1):
            continue
        split = [p for p in p0 + p1 if len(register.successors(p, y0 if p in p0 else y1)) > 1]
        if len(p0) > 1:
            listed = [names.get(p, p) for p in p0]
            text = ", ".join(listed[:-1]) + f" og {listed[-1]}"
            out[y1] = (
                f"{text} ble slått sammen fra {y1}; tallene før er de tidligere kommunene lagt "
                "sammen, og registrering og praksis kan ha endret seg ved sammenslåingen"
            )
        elif split:
            out[y1] = (
                f"kommuneinndelingen endret seg i {y1}, og tall for en kommune som senere ble "
                "delt, er fordelt etter folketall"
            )
    return out


def table_changes(stitches: list, series: set[str]) -> dict[int, str]:
    """{first year of the newer table: explanation} for the stitched series ``series``."""
    out: dict[int, str] = {}
    for st in stitches:
        if st.series not in series:
            continue
        for old, new in itertools.pairwise(st.tables):
            years = st.years.get(new) or []
            if not years:
                continue
            y = min(years)
            text = f"SSB fører serien videre i tabell {new} fra {y} (før: tabell {old})"
            if new in CASE_TABLES:
                text += (
                    "; fra 2022 teller SSB sosialhjelpstilfeller, ikke mottakere, så en person "
                    "med stønad i flere kommuner telles i hver av dem"
                )
            out.setdefault(y, text)
    return out


def _break_context(report: Report, indicator: str) -> BreakContext:
    """The :class:`BreakContext` of an indicator for the municipality and its neighbours."""
    doc = register_doc()
    by_id = {i["id"]: i for i in doc["indicators"]}
    series = {
        doc["measures"][m].get("series")
        for m in _leaf_measures(by_id[indicator], doc)
        if doc["measures"][m].get("series")
    }
    regions = [report.kode, *report.params.neighbours]
    names = report.data.register.all_names()

    def borders() -> dict[str, dict[int, str]]:
        return {r: border_changes(report.data.register, r, report.years, names) for r in regions}

    key = ("break-borders", tuple(regions), tuple(report.years))
    return BreakContext(
        decimals=report.indicator(indicator).decimals,
        borders=report.data.memo(key, borders),
        tables=table_changes(report.data.stitches, series),
    )
