"""What a chapter notebook calls: one :class:`Report` per municipality.

Notebooks stay thin: a parameters cell, ``r = Report.open(...)``, then a few calls that return
charts, tables, glued numbers and the chapter's source box. All logic lives here and in the
analysis modules.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from navbok import charts
from navbok import indicators as ind
from navbok.book.params import Params, load_params, params_for
from navbok.data import CACHE_DIR, NavData
from navbok.formatting import fmt_number
from navbok.measures import register_doc
from navbok.snapshot import DEFAULT_DIR

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
class Report:
    """A municipality's data, parameters and comparison groups, with chapter helpers."""

    data: NavData
    params: Params

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
        out = self.data.comparison(self.groups, indicator, years or self.years)
        if kinds is not None:
            out = out[out["kind"].isin(kinds)]
        order = {k: i for i, k in enumerate(KIND_ORDER)}
        return (
            out.sort_values(["year"], kind="stable")
            .sort_values("kind", key=lambda s: s.map(order), kind="stable")
            .reset_index(drop=True)
        )

    def value(self, indicator: str, year: int, kind: str = "kommune") -> tuple[float, str | None]:
        """One value and its status (``kind`` as in :meth:`comparison`)."""
        c = self.comparison(indicator, [year])
        row = c[c["kind"] == kind]
        if row.empty:
            return float("nan"), ".."
        return float(row["value"].iloc[0]), row["status"].iloc[0]

    def text(self, indicator: str, year: int, kind: str = "kommune") -> str:
        """A value formatted the Norwegian way with the indicator's decimals (status if missing)."""
        value, status = self.value(indicator, year, kind)
        return fmt_number(value, self.indicator(indicator).decimals, status=status)

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
    ) -> charts.ChartOutput:
        """A time series of one indicator for the municipality and its comparison groups."""
        spec = self.indicator(indicator)
        df = self.comparison(indicator, years, kinds)
        df = df.rename(columns={"series": "Serie", "year": "År", "value": "Verdi"})
        focus = self.data.name(self.kode)
        unit = spec.unit
        missing = df[df["Verdi"].isna()]
        note = ""
        if len(missing):
            note = (
                f" {len(missing)} verdier mangler eller er skjult av personvernhensyn og vises "
                "som brudd i linjen (ikke som null)."
            )
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
        table = df.pivot_table(index="Serie", columns="År", values="Verdi", sort=False)
        table = table.reset_index()
        table.columns = [str(c) for c in table.columns]
        caption = caption or f"{spec.label}. {spec.definition}{note}"
        return charts.show_chart(
            chart, table, name, caption, decimals=spec.decimals, text_columns=["Serie"]
        )

    def service_profile(self, year: int, name: str = "tjenesteprofil") -> charts.ChartOutput:
        """Key figures as an index against the ASSS average (= 100), as in the source documents."""
        rows = []
        for i, short in SERVICE_PROFILE.items():
            own, _ = self.value(i, year)
            avg, _ = self.value(i, year, "asss_snitt")
            idx = 100 * own / avg if avg and avg == avg and own == own else float("nan")
            rows.append((short, idx, own, avg))
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
            chart, df, name, caption, decimals={"Indeks": 0}, text_columns=["Nøkkeltall"]
        )

    # ------------------------------------------------------------------ sources
    def source_box(self, indicators: list[str]) -> SourceBox:
        """The chapter's sources: tables, ContentsCodes, fetch date, synthetic data."""
        doc = register_doc()
        tables: dict[str, set[str]] = {}
        for i in indicators:
            spec = self.indicator(i)
            if spec.formula:
                ms = [m for dep in spec.formula["ratio"] for m in _measures(self.indicator(dep))]
            else:
                ms = _measures(spec)
            while any("sum" in doc["measures"][m] for m in ms):
                ms = [x for m in ms for x in doc["measures"][m].get("sum", [m])]
            for m in ms:
                mspec = doc["measures"][m]
                if "series" in mspec:
                    codes = [mspec["contents"]] if "contents" in mspec else mspec["product"]
                    for t in doc["series"][mspec["series"]]["tables"]:
                        tables.setdefault(f"SSB {t}", set()).update(codes)
                elif "population" in mspec:
                    tables.setdefault("SSB 07459", set()).add("Personer1")
                elif "aap" in mspec:
                    tables.setdefault("NAV AAP", set()).add("Antall")
        snap = self.data.snapshot
        synthetic = sorted(
            t for t in tables if any(snap.files[n].synthetic for n in _files_of(snap, t))
        )
        stitches = [s.describe() for s in self.data.stitches]
        listed = {t: sorted(c) for t, c in sorted(tables.items())}
        return SourceBox(listed, snap.fetched_at[:10], synthetic, stitches)


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


def _measures(spec: ind.Indicator) -> list[str]:
    return [m for m in (spec.measure, spec.numerator, spec.denominator) if m]


def _files_of(snap, table: str) -> list[str]:  # noqa: ANN001
    if table.startswith("SSB "):
        return snap.ssb_names(table[4:])
    return [n for n in snap.files if n.startswith("nav/")]


@dataclass
class SourceBox:
    """The source box that ends every chapter."""

    tables: dict[str, list[str]]
    fetched: str
    synthetic: list[str]
    stitches: list[str]

    def __repr__(self) -> str:
        lines = [f"{t}: {', '.join(c)}" for t, c in self.tables.items()]
        return "Kilder: " + "; ".join(lines) + f". Hentet {self.fetched}."

    def _repr_html_(self) -> str:
        esc = html.escape
        items = "".join(
            f"<li><strong>{esc(t)}</strong>: {esc(', '.join(c))}</li>"
            for t, c in self.tables.items()
        )
        synth = ""
        if self.synthetic:
            synth = (
                '<p class="navbok-synthetic"><strong>Syntetiske data:</strong> '
                f"{esc(', '.join(self.synthetic))} er laget for test og demonstrasjon. "
                "Tallene er ikke offisiell statistikk.</p>"
            )
        stitch = "".join(f"<li>{esc(s)}</li>" for s in self.stitches)
        return (
            '<aside class="navbok-sources" aria-label="Kilder for kapittelet">'
            "<h2>Kilder</h2>"
            f"<ul>{items}</ul>"
            f"<p>Data hentet {esc(self.fetched)}. Kommunenummer er harmonisert til gjeldende "
            "kommuneinndeling (SSB KLASS); sammenslåtte kommuner er summert, og andeler er "
            "regnet på nytt fra tellere og nevnere.</p>"
            f"<ul>{stitch}</ul>{synth}"
            "<p>Kilde: Statistisk sentralbyrå (CC BY 4.0) og NAV.</p></aside>"
        )


def write_params(params: Params, path: Path) -> Path:
    """Write a params file (used by ``navbok params``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(params.to_yaml(), "utf-8")
    return path
