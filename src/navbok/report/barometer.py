"""Report views for the chapter «Kommunebarometeret»: the open reconstruction of the sector
«Sosialtjeneste» (grades, score, rank, heatmap, sensitivity, published comparison).

The grading and ranking live in :mod:`navbok.analysis.barometer`; they are computed once per
loaded snapshot for every municipality and year.
"""

from __future__ import annotations

import pandas as pd

from navbok import status
from navbok.analysis import barometer as kb
from navbok.analysis import barometer_tables as kbt
from navbok.analysis.barometer_config import config, key_figure_title, key_figures
from navbok.key_figures import barometer_edition, barometer_results, barometer_scenarios
from navbok.present import chart_specs, figure
from navbok.present.numbers import fmt_number
from navbok.present.prose import and_list
from navbok.present.tables import TableOutput, show_table, wide
from navbok.reference import load_reference
from navbok.regions import fold
from navbok.report.context import Context
from navbok.report.missing import SAID_ABOVE

BETTER = {"lower": "lav", "higher": "høy"}
#: Download headers of the key-figure table, in the reader's words.
TABLE_COLUMNS = {
    "key_figure": "Nøkkeltall",
    "year": "År",
    "value": "Verdi",
    "average": "Landssnitt",
    "best": "Grense for karakter 6",
    "worst": "Grense for karakter 1",
    "grade": "Karakter",
    "change": "Endring fra året før",
}
#: Download headers of the sensitivity table.
SENSITIVITY_COLUMNS = {
    "scenario": "Vekting",
    "weight_sum": "Sum av vektene",
    "score": "Snittkarakter",
    "points": "Poeng",
    "rank": "Plass",
    "n_ranked": "Antall rangert",
    "rank_change": "Endring i plass",
}
#: Download headers of the published comparison (booleans become «ja»/«nei»).
PUBLISHED_COLUMNS = {
    "key_figure": "Nøkkeltall",
    "year": "År",
    "barometer_year": "Barometerår",
    "average_published": "Snitt publisert",
    "grade_published": "Karakter publisert",
    "value_published": "Verdi publisert",
    "value": "Verdi her",
    "average": "Snitt her",
    "grade": "Karakter her",
    "value_diff": "Avvik i verdi",
    "average_diff": "Avvik i snitt",
    "grade_diff": "Avvik i karakter",
    "consistent": "Samsvarer i kilden",
    "same_side": "Samme side av 3,5",
}
#: Download headers of the ranking (the top list).
RANKING_COLUMNS = {
    "rank": "Plass",
    "region": "Kommunenr",
    "kommune": "Kommune",
    "points": "Poeng",
    "score": "Snittkarakter",
    "weight_share": "Andel av vekten med data (%)",
    "reason": "Merknad",
}


class BarometerViews:
    """The barometer chapter's views for one municipality."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def results(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """``(graded, ranking)`` for all municipalities and years (computed once per snapshot)."""
        return barometer_results(self.ctx.data)

    def year(self) -> tuple[int, int]:
        """(barometer year, statistics year): the params' barometer year, or (none given) the
        newest the data allow — the edition the overview and the print summary show."""
        lag = config().data_lag
        graded, _ = self.results()
        newest = int(graded["year"].max())
        chosen = self.ctx.params.barometer_year
        data_year = newest if chosen is None else min(chosen - lag, newest)
        return data_year + lag, data_year

    def standing(self) -> kb.Standing:
        """The municipality's standing in the chapter's statistics year: ranked or not, how
        many key figures have grades, and whether a score means anything."""
        _, ranking = self.results()
        _, year = self.year()
        return kb.standing(ranking, self.ctx.kommune, year)

    def summary(self) -> dict[str, str]:
        """Glue texts: the result paragraph (rank or why unranked, with the published rank
        where one exists), and the short forms used in the introduction."""
        graded, ranking = self.results()
        by, year = self.year()
        mine = ranking[ranking["region"] == self.ctx.kommune].set_index("year")
        row = mine.loc[year] if year in mine.index else None
        st = kb.standing(ranking, self.ctx.kommune, year)
        ranked = st.has_score
        prev = mine.loc[year - 1] if year - 1 in mine.index else None
        prev_text = (
            f"plass {int(prev['rank'])}"
            if prev is not None and bool(prev["ranked"])
            else "ikke rangert"
        )
        published = _published_ranks(self.ctx.kommune)
        if ranked and row is not None:
            text = (
                f"I rekonstruksjonen av barometeret {by} (tall for {year}) får {self.ctx.name} "
                f"snittkarakteren {fmt_number(row['score'], 2)} "
                f"({fmt_number(row['points'], 3)} poeng) og plass {int(row['rank'])} av "
                f"{int(row['n_ranked'])} rangerte kommuner. Året før: {prev_text}."
            )
            short = f"plass {int(row['rank'])} av {int(row['n_ranked'])}"
        else:
            text = unranked_text(self.ctx.name, by, st, config().min_weight_share)
            short = "ingen plass (for få nøkkeltall med tall)"
        if published:
            pub = ", ".join(f"plass {r} i {y}" for y, r in sorted(published.items()))
            text += (
                f" Kommunal Rapport publiserte {pub}. Forskjellen til rekonstruksjonen er vist "
                "nederst i kapitlet"
                + (
                    "; datagrunnlaget her er syntetisk, så plassene kan ikke sammenlignes."
                    if self.ctx.data.snapshot.synthetic
                    else "."
                )
            )
            short += f" (publisert: {pub})"
        summary = None
        if published:
            summary = kbt.published_comparison(graded, ranking).summary
        caveat = barometer_caveat(
            self.ctx.name, ranked, published, summary, bool(self.ctx.data.snapshot.synthetic)
        )
        if ranked:
            place = (
                "Figuren viser hvor mye hvert nøkkeltall flytter snittkarakteren bort fra 3,5; "
                "negative stolper trekker kommunen ned. Deretter følger de ti beste kommunene i "
                "rekonstruksjonen og hvor mye plassen endrer seg med andre vekter."
            )
        else:
            place = (
                "Uten plass og snittkarakter er det ingen plassering å forklare her. Tabellen "
                "viser de ti beste kommunene i rekonstruksjonen."
            )
        return {
            "kb_aar": str(by),
            "kb_data_aar": str(year),
            "kb_resultat": text,
            "kb_kort": short,
            "kb_forbehold": caveat,
            "kb_plassering": place,
            "kb_betyr": self.meaning(),
        }

    def meaning(self) -> str:
        """«Hva betyr dette?»: two to four sentences from the score, the place and the key
        figures that pull most down and up (or why the barometer says little)."""
        graded, _ = self.results()
        by, year = self.year()
        st = self.standing()
        name = self.ctx.name
        if not st.has_score:
            return (
                f"Barometeret sier lite om {name}: bare {st.n_key_figures} av {st.n_in_force} "
                f"nøkkeltall har tall for {year}, så det finnes ingen snittkarakter eller plass "
                "å sammenligne med andre kommuner."
            )
        p = kbt.pulling_down(graded, self.ctx.kommune, year).dropna(subset=["contribution"])
        score = float(p["contribution"].sum()) + kb.MID
        side = (
            "på landssnittet"
            if fmt_number(score, 2) == fmt_number(kb.MID, 2)
            else "over landssnittet"
            if score > kb.MID
            else "under landssnittet"
        )
        assert st.rank is not None
        where = _rank_words(st.rank, st.n_ranked)
        text = (
            f"Med snittkarakter {fmt_number(score, 2)} ligger {name} {side} (3,5) og får plass "
            f"{st.rank} av {st.n_ranked} i rekonstruksjonen, {where}."
        )
        down = p[p["contribution"] < 0]
        up = p[p["contribution"] > 0]
        if len(down):
            w = down.iloc[0]
            text += (
                f" Mest ned trekker «{w['label']}» "
                f"({w['key_figure']}, karakter {fmt_number(w['grade'], 2)})"
            )
            if len(up):
                b = up.iloc[-1]
                text += (
                    f", mest opp «{b['label']}» "
                    f"({b['key_figure']}, karakter {fmt_number(b['grade'], 2)})"
                )
            text += "."
            t = kbt.kommune_table(graded, self.ctx.kommune, [year - 1, year])
            values = t[t["key_figure"] == w["key_figure"]].set_index("year")["value"]
            text += drag_check(
                str(w["key_figure"]),
                float(values.get(year - 1, float("nan"))),
                float(values.get(year, float("nan"))),
                year,
            )
        elif len(up):
            text += " Ingen nøkkeltall trekker snittkarakteren under 3,5."
        return text + (
            " Plassen er en rekonstruksjon fra SSBs tall og kan avvike fra Kommunal Rapports."
        )

    def finding(self) -> str:
        """The reconstructed rank with its caveat, for the introduction's main findings."""
        s = self.summary()
        _, year = self.year()
        st = self.standing()
        score = f"snittkarakter {fmt_number(st.score, 2)}, " if st.has_score else ""
        return (
            f"Kommunebarometeret {barometer_edition(year)}, åpen rekonstruksjon: "
            f"{score}{s['kb_kort']}. {s['kb_forbehold']}".strip()
        )

    def weights(self) -> TableOutput:
        """The key figures with their direction and weights (T5.2)."""
        cfg = config()
        rows = [
            (
                k.id,
                k.label,
                k.title.removeprefix(f"{k.id} "),
                BETTER[k.better],
                fmt_number(k.weight, 0),
                fmt_number(k.weight * cfg.sector_weight / 100, 2),
            )
            for k in key_figures()
        ]
        head = [
            "Nøkkeltall",
            "Navn hos Kommunal Rapport",
            "Tallet i denne boka",
            "God verdi",
            "Vekt i sektoren (%)",
            "Vekt totalt (%)",
        ]
        numbers = pd.DataFrame(
            [
                (
                    k.id,
                    k.label,
                    k.title.removeprefix(f"{k.id} "),
                    BETTER[k.better],
                    k.weight,
                    k.weight * cfg.sector_weight / 100,
                )
                for k in key_figures()
            ],
            columns=head,
        )
        return show_table(
            pd.DataFrame(rows, columns=head),
            "kb-vekter",
            "Nøkkeltallene i sektoren Sosialtjeneste, retning og vekter",
            data=numbers,
            notes=[
                f"Sektoren veier {fmt_number(cfg.sector_weight, 1)} % av hele barometeret, og "
                "vektene i sektoren summerer til 100 %."
                + (
                    " Bærums KOSTRA-analyse 2024 trykker 9 % for SOS06, SOS10 og SOS11; det "
                    "summerer til 112 % og stemmer ikke med dokumentets egen kolonne for total "
                    "vekt. Boka bruker 5 %."
                    if _is_source_municipality(self.ctx.kommune)
                    else ""
                ),
            ],
            numeric_from=4,
        )

    def table(self) -> TableOutput:
        """Key figures × five years: value with arrow, national average and grade (T5.1)."""
        graded, _ = self.results()
        _, year = self.year()
        graded_years = set(graded["year"])
        years = [y for y in range(year - 4, year + 1) if y in graded_years]
        t = kbt.kommune_table(graded, self.ctx.kommune, years)
        missing = status.NOT_AVAILABLE
        first = {k.id: k.first_year or 0 for k in key_figures()}
        cells = []
        used: set[str] = set()
        gone = self.unpublished()
        for kf, rows in t.groupby("key_figure", sort=False):
            if kf in gone:
                continue  # a row of nothing but «..»: named in a note instead
            rows = rows.set_index("year")
            row = [f"{kf} (god: {BETTER[rows['better'].iloc[0]]})"]
            for y in years:
                r = rows.loc[y] if y in rows.index else None
                cell = (
                    gap_symbol(y, first.get(str(kf), 0))
                    if r is None
                    else f"{fmt_number(r['value'], 2, status=missing)} {r['arrow']}".strip()
                )
                used.update(c for c in (cell,) if c in GAP_WORDS)
                if r is not None and r["value"] != r["value"]:
                    used.add(missing)
                row.append(cell)
            last = rows.loc[year] if year in rows.index else None
            for col in ("average", "best", "worst", "grade"):
                row.append(missing if last is None else fmt_number(last[col], 2, status=missing))
                used.update([missing] if last is None or last[col] != last[col] else [])
            cells.append(row)
        data = t[list(TABLE_COLUMNS)].rename(columns=TABLE_COLUMNS)
        return show_table(
            pd.DataFrame(
                cells,
                columns=[
                    "Nøkkeltall",
                    *[str(y) for y in years],
                    f"Landssnitt {year}",
                    f"Grense 6 {year}",
                    f"Grense 1 {year}",
                    f"Karakter {year}",
                ],
            ),
            "kb-nokkeltall",
            f"{self.ctx.name}: verdi per statistikkår (pil = endring fra året før), og landssnitt, "
            f"grenser og karakter i {year}",
            data=data,
            notes=[
                "Landssnittet er det uveide snittet av kommunenes verdier og gir karakter 3,5. "
                "Karakterene for alle årene står i varmekartet under. Nedlastingen har verdi, "
                "landssnitt, grensene for karakter 6 og 1 og karakter for hvert år.",
                *gap_legend(used),
                *self._unpublished_note(gone),
            ],
        )

    def unpublished(self) -> dict[str, str]:
        """The key figures whose numbers SSB does not publish (key figure → its indicator):
        their rows would hold nothing but «..», so the tables leave them out and say why."""
        return {k.id: k.indicator for k in key_figures() if self.ctx.unavailable(k.indicator)}

    def _unpublished_note(self, gone: dict[str, str]) -> list[str]:
        """The note naming the key figures left out, with the reason (once per page)."""
        if not gone:
            return []
        why = self.ctx.explain_unavailable(*gone.values()) or SAID_ABOVE
        return [
            f"Ikke med i tabellene: {and_list(list(gone))}, som ikke har karakter for noen "
            f"kommune. {why}"
        ]

    def heatmap(self) -> figure.ChartOutput:
        """Grades by key figure and year (F5.1)."""
        graded, _ = self.results()
        _, year = self.year()
        g = graded[(graded["region"] == self.ctx.kommune) & graded["year"].between(year - 4, year)]
        g = g[~g["key_figure"].isin(self.unpublished())]
        df = g[["key_figure", "year", "grade"]].rename(
            columns={"key_figure": "Nøkkeltall", "year": "År", "grade": "Karakter"}
        )
        # every key figure × year, in key-figure order: «.» before a key figure came into the
        # barometer, «..» for a grade that is missing (as in the values table)
        first = {k.id: k.first_year or 0 for k in key_figures()}
        grid = pd.MultiIndex.from_product(
            [sorted(df["Nøkkeltall"].unique()), sorted(df["År"].unique())],
            names=["Nøkkeltall", "År"],
        ).to_frame(index=False)
        df = grid.merge(df, on=["Nøkkeltall", "År"], how="left", indicator=True)
        df["status"] = [
            None
            if grade == grade
            else gap_symbol(y, first.get(kf, 0))
            if row == "left_only"
            else status.NOT_AVAILABLE
            for kf, y, grade, row in zip(
                df["Nøkkeltall"], df["År"], df["Karakter"], df.pop("_merge"), strict=True
            )
        ]
        df["Nøkkeltall"] = df["Nøkkeltall"].map(key_figure_title)
        chart = chart_specs.heatmap(
            df,
            x="År",
            y="Nøkkeltall",
            value="Karakter",
            title=f"Karakterer per nøkkeltall, {self.ctx.name}",
            description=(
                f"Varmekart: karakterene 1–6 for {self.ctx.name} for hvert av de elleve "
                f"nøkkeltallene og statistikkårene {year - 4}–{year}. Blått er bedre "
                "enn landssnittet (3,5), rødt dårligere; karakteren står i hver rute."
            ),
            value_title="Karakter",
            value_format=",.1f",
        )
        table = wide(df, "Nøkkeltall", "År", "Karakter")
        return figure.show_chart(
            chart,
            table,
            "kb-karakterer",
            " ".join(
                [
                    "Karakter 3,5 = landssnittet; 6 og 1 ved grensene for beste og dårligste "
                    "verdi. Tomme ruter: tall mangler.",
                    *gap_legend(set(df["status"].dropna())),
                ]
            ),
            decimals=2,
            text_columns=["Nøkkeltall"],
        )

    def pulling(self) -> figure.ChartOutput | None:
        """Which key figures pull the score below 3,5 (F5.2): weighted distance to 3,5 (none
        without a score, see :attr:`navbok.analysis.barometer.Standing.has_score`)."""
        if not self.standing().has_score:
            return None
        graded, _ = self.results()
        _, year = self.year()
        p = kbt.pulling_down(graded, self.ctx.kommune, year)
        p = p[~p["key_figure"].isin(self.unpublished())]
        df = p[["key_figure", "contribution"]].rename(
            columns={"key_figure": "Nøkkeltall", "contribution": "Bidrag"}
        )
        df["Nøkkeltall"] = df["Nøkkeltall"].map(key_figure_title)
        df["status"] = df["Bidrag"].map(lambda v: None if v == v else status.NOT_AVAILABLE)
        chart = chart_specs.bar_chart(
            df,
            category="Nøkkeltall",
            value="Bidrag",
            focus="",
            title=f"Bidrag til snittkarakteren, statistikkår {year}",
            description=(
                f"Stolpediagram: hvert nøkkeltalls vektede avstand fra karakter 3,5 for "
                f"{self.ctx.name}. Negative stolper trekker snittkarakteren ned."
            ),
            value_title="karakterpoeng over/under 3,5",
            value_format=",.2f",
            sort=False,
        )
        return figure.show_chart(
            chart,
            df,
            "kb-trekker-ned",
            "Bidrag = (karakter − 3,5) × vekt / summen av vektene med data. Summen av bidragene "
            "er snittkarakteren minus 3,5.",
            decimals=3,
            text_columns=["Nøkkeltall"],
        )

    def top(self, n: int = 10) -> TableOutput:
        """The top ``n`` and the municipality's own place (T5.3)."""
        _, ranking = self.results()
        by, year = self.year()
        names = {c: self.ctx.data.name(c) for c in self.ctx.data.register.target_codes}
        t = kbt.top_list(ranking, self.ctx.kommune, year, n=n, names=names)
        own_unranked = t["is_kommune"] & t["rank"].isna()
        t = t[~own_unranked]  # «not ranked» is said once, in the result
        cells = [
            (
                "ikke rangert" if pd.isna(r.rank) else str(int(r.rank)),
                f"{r.name}{' ◀' if r.is_kommune else ''}",
                "–" if pd.isna(r.rank) else fmt_number(r.points, 3),
                "–" if pd.isna(r.rank) else fmt_number(r.score, 2),
            )
            for r in t.itertuples()
        ]
        mine = "" if own_unranked.any() else f", og {self.ctx.name}"
        return show_table(
            pd.DataFrame(cells, columns=["Plass", "Kommune", "Poeng", "Snittkarakter"]),
            "kb-topp",
            f"De {n} beste i rekonstruksjonen, Kommunebarometeret {by} (statistikkår {year}){mine}",
            data=_top_rows(ranking, year, names, self.ctx.kommune, n),
            notes=[
                "Lik poengsum (tre desimaler) gir delt plass, så listen kan ha flere enn "
                f"{n} kommuner.",
                *_published_top(
                    by,
                    _is_source_municipality(self.ctx.kommune),
                    [str(r.name) for r in t.itertuples() if not pd.isna(r.rank) and r.rank <= n],
                    bool(self.ctx.data.snapshot.synthetic),
                ),
            ],
            numeric_from=2,
        )

    def sensitivity(self) -> TableOutput | None:
        """The municipality's rank under other weightings (none without a score). The weights
        as Bærum's KOSTRA analysis prints them are a scenario in Bærum's book only."""
        if not self.standing().has_score:
            return None
        graded, _ = self.results()
        _, year = self.year()
        rankings = barometer_scenarios(self.ctx.data, year)
        scenarios = kbt.default_scenarios(printed=_is_source_municipality(self.ctx.kommune))
        s = kbt.sensitivity(graded, self.ctx.kommune, year, scenarios, rankings=rankings)
        cells = [
            (
                r.scenario,
                fmt_number(r.score, 2),
                "ikke rangert" if pd.isna(r.rank) else str(int(r.rank)),
                "" if pd.isna(r.rank_change) else fmt_number(r.rank_change, 0),
            )
            for r in s.itertuples()
        ]
        return show_table(
            pd.DataFrame(cells, columns=["Vekting", "Snittkarakter", "Plass", "Endring i plass"]),
            "kb-sensitivitet",
            f"Hvordan plassen til {self.ctx.name} endrer seg med andre vekter "
            f"(statistikkår {year})",
            data=s.rename(columns=SENSITIVITY_COLUMNS),
            notes=["Negativ endring = bedre plass enn med Kommunal Rapports vekter."],
        )

    def example(self) -> dict[str, str]:
        """One grade worked by hand: the key figure with the largest weight that has data."""
        graded, _ = self.results()
        _, year = self.year()
        g = graded[(graded["region"] == self.ctx.kommune) & (graded["year"] == year)]
        g = g[g["grade"].notna()]
        weights = config().weights
        if g.empty:
            return {"kb_eksempel": "Kommunen har ingen karakterer dette året."}
        g = g.assign(w=g["key_figure"].map(weights), inner=g["grade"].between(1, 6, "neither"))
        r = g.sort_values(["inner", "w"], ascending=False).iloc[0]
        good = (
            (r["value"] <= r["average"]) if r["better"] == "lower" else (r["value"] >= r["average"])
        )
        limit, lname = (r["best"], "6") if good else (r["worst"], "1")
        text = worked_grade(
            f"{r['key_figure']} i {year}", r["value"], r["average"], limit, lname, r["grade"]
        )
        return {"kb_eksempel": text}

    def published(self) -> TableOutput | None:
        """The reconstruction beside the published figures for this municipality (Bærum), or
        ``None`` when nothing is published for it."""
        if not _published_ranks(self.ctx.kommune):
            return None
        graded, ranking = self.results()
        pc = kbt.published_comparison(graded, ranking)
        kf = pc.key_figures
        gap = status.NOT_AVAILABLE
        cells = [
            (
                f"{r.key_figure} {r.year}",
                fmt_number(r.value_published, 2, status=gap),
                fmt_number(r.value, 2, status=gap),
                fmt_number(r.average_published, 2, status=gap),
                fmt_number(r.average, 2, status=gap),
                fmt_number(r.grade_published, 2, status=gap),
                fmt_number(r.grade, 2, status=gap),
                "" if r.consistent else "avvik i kilden",
            )
            for r in kf.itertuples()
        ]
        for r in pc.ranks.itertuples():
            cells.append(
                (
                    f"Plass, barometeret {r.barometer_year}",
                    str(r.rank_published),
                    "ikke rangert" if pd.isna(r.rank) else str(int(r.rank)),
                    "",
                    "",
                    "",
                    "",
                    "",
                )
            )
        head = [
            "Nøkkeltall og år",
            "Verdi publisert",
            "Verdi her",
            "Snitt publisert",
            "Snitt her",
            "Karakter publisert",
            "Karakter her",
            "Merknad",
        ]
        s = pc.summary
        return show_table(
            pd.DataFrame(cells, columns=head),
            "kb-publisert",
            f"Rekonstruksjonen ved siden av de publiserte tallene for {self.ctx.name}",
            data=_yes_no(kf).rename(columns=PUBLISHED_COLUMNS),
            notes=[
                f"Kilde for publiserte tall: {pc.source}.",
                f"Gjennomsnittlig avvik i karakter: {fmt_number(s['grade_mean_abs_diff'], 2)} "
                f"(største {fmt_number(s['grade_max_abs_diff'], 2)}, {s['n_compared']} "
                f"nøkkeltall-år); {fmt_number(100 * s['same_side_share'], 0)} % av karakterene "
                "ligger på samme side av 3,5. Avviker karakterene i snitt mer enn "
                f"{fmt_number(GRADE_TOLERANCE, 1)} karakterpoeng, sier innledningen at "
                "rekonstruksjonen avviker fra de publiserte tallene.",
            ],
        )


#: The symbols of the barometer tables, one per kind of gap, with what each means.
GAP_WORDS = {
    status.NOT_AVAILABLE: "tall mangler for kommunen dette året",
    status.NOT_POSSIBLE: "nøkkeltallet var ikke med i barometeret dette året",
}


#: A change from one year to the next larger than this share of the earlier value is worth
#: checking before it is read as a change in practice.
BIG_CHANGE = 0.3


def drag_check(key_figure: str, before: float, value: float, year: int) -> str:
    """What to check about the key figure that pulls the score down most (with a leading
    space): a change of more than :data:`BIG_CHANGE` from the year before is named, since
    it may come from how the figure was reported; otherwise a peer question."""
    if (
        before == before
        and value == value
        and before
        and abs(value - before) > BIG_CHANGE * abs(before)
    ):
        return (
            f" {key_figure} endret seg fra {fmt_number(before, 2)} i {year - 1} til "
            f"{fmt_number(value, 2)} i {year}; en så stor endring på ett år er verdt å sjekke "
            "mot det kommunen har rapportert til SSB før den leses som en endring i praksis."
        )
    return (
        f" Et spørsmål å stille: hva gjør kommunene som får karakter 6 på {key_figure}, annerledes?"
    )


def gap_symbol(year: int, first_year: int) -> str:
    """The symbol of a key figure without a row in ``year``: «.» before the key figure came
    into the barometer (``first_year``), else «..» (no number)."""
    return status.NOT_POSSIBLE if year < first_year else status.NOT_AVAILABLE


def gap_legend(used: set[str]) -> list[str]:
    """The legend of the gap symbols a table uses, one line (none when it uses none)."""
    parts = [f"{s} = {w}" for s, w in GAP_WORDS.items() if s in used]
    return ["; ".join(parts) + "."] if parts else []


def worked_grade(
    what: str, value: float, average: float, limit: float, limit_grade: str, grade: float
) -> str:
    """A grade worked by hand that the reader can reproduce from the numbers shown: the
    inputs get as many decimals (2 to 4) as it takes for the formula on the shown numbers to
    give the grade shown (a grade capped at 1 or 6 needs no more than two)."""
    sign = "+" if limit_grade == "6" else "−"
    capped = abs(value - average) >= abs(limit - average)

    def on_shown(d: int) -> float:
        v, a, lim = (_shown(x, d) for x in (value, average, limit))
        g = 3.5 + (1 if sign == "+" else -1) * 2.5 * abs(v - a) / abs(lim - a)
        return min(6.0, max(1.0, g))

    d = next((d for d in (2, 3, 4) if fmt_number(on_shown(d), 2) == fmt_number(grade, 2)), 4)
    f = lambda v: fmt_number(v, d)  # noqa: E731
    return (
        f"{what}: verdien er {f(value)}, landssnittet {f(average)} og grensen for karakter "
        f"{limit_grade} {f(limit)}. Karakteren er 3,5 {sign} 2,5 × |{f(value)} − {f(average)}| "
        f"/ |{f(limit)} − {f(average)}| = {fmt_number(grade, 2)}"
        + (f" (avkortet ved {limit_grade})." if capped else ".")
    )


def _shown(x: float, decimals: int) -> float:
    """``x`` as the reader sees it at ``decimals`` decimals (rounded as the page rounds)."""
    text = fmt_number(x, decimals).replace("\u00a0", "").replace(",", ".")
    return float(text.replace("\u2212", "-"))


#: How far the reconstruction's grades may lie from the published ones (mean absolute
#: difference over the key-figure years compared, in grade points on the 1–6 scale) before the
#: introduction says that the reconstruction deviates.
GRADE_TOLERANCE = 0.5


def barometer_caveat(
    name: str,
    ranked: bool,
    published: dict[int, int],
    summary: dict | None,
    synthetic: bool,
    tolerance: float = GRADE_TOLERANCE,
) -> str:
    """One sentence to stand beside the reconstructed rank: what it can be checked against.

    * nothing published for the municipality → the rank cannot be checked;
    * published grades, mean absolute difference over ``tolerance`` → the reconstruction
      deviates (by how much; the published rank stands beside it already);
    * within ``tolerance`` → it agrees within the tolerance;
    * a synthetic snapshot → said as well: then no comparison means anything.

    Empty for an unranked municipality with nothing published (there is no rank to qualify).
    """
    tol = fmt_number(tolerance, 1)
    synth = (
        " Datagrunnlaget er syntetisk, så plassen sier ingenting om kommunen." if synthetic else ""
    )
    if not published or not summary or not summary.get("n_compared"):
        if not ranked:
            return synth.strip()
        return (
            "Rangeringen er en rekonstruksjon fra SSBs tall, ikke Kommunal Rapports resultat; "
            f"Kommunebarometeret har ingen publiserte karakterer for {name} som den kan "
            "kontrolleres mot." + synth
        )
    diff = float(summary["grade_mean_abs_diff"])
    rule = (
        f"Boka regner rekonstruksjonen som i samsvar med de publiserte karakterene når de i "
        f"snitt ligger høyst {tol} karakterpoeng fra dem (et halvt trinn på skalaen 1–6)."
    )
    if diff > tolerance:
        return (
            "Rangeringen er en rekonstruksjon fra SSBs tall og avviker fra Kommunebarometerets "
            f"publiserte: karakterene for {name} ligger i snitt {fmt_number(diff, 2)} "
            f"karakterpoeng fra de publiserte. {rule}" + synth
        )
    return (
        "Rangeringen er en rekonstruksjon fra SSBs tall; karakterene for "
        f"{name} ligger i snitt {fmt_number(diff, 2)} karakterpoeng fra Kommunebarometerets "
        f"publiserte og er dermed i samsvar med dem. {rule}" + synth
    )


def _top_rows(
    ranking: pd.DataFrame, year: int, names: dict[str, str], kommune: str, n: int
) -> pd.DataFrame:
    """The download of the top list: the ``n`` best (more with ties) and the municipality's
    own row, as the page shows them. An unranked municipality comes last, without a score
    (its grades cover too little of the weight), with the reason."""
    r = ranking[ranking["year"] == year]
    ranked = r["rank"].notna()
    rows = r[(ranked & (r["rank"] <= n)) | (r["region"] == kommune)]
    rows = rows.sort_values(["rank", "region"], na_position="last")
    out = rows.assign(kommune=rows["region"].map(names))
    out["rank"] = out["rank"].astype("Int64")
    unranked = out["rank"].isna()
    out["points"] = out["points"].where(~unranked)
    out["score"] = out["score"].where(~unranked)
    out["weight_share"] = 100 * out["weight_share"]
    out["reason"] = out["reason"].where(unranked, "")
    cols = list(RANKING_COLUMNS)
    return out[cols].rename(columns=RANKING_COLUMNS).reset_index(drop=True)


def _published_top(
    barometer_year: int,
    full_source: bool = False,
    rebuilt: list[str] | None = None,
    synthetic: bool = False,
) -> list[str]:
    """The published top ten of ``barometer_year`` as a note line (none if not published),
    with :func:`top_ten_comment` on how it compares with the reconstruction's (``rebuilt``).

    The list is Kommunal Rapport's; the document it was copied from (Bærum's KOSTRA analysis)
    is named in Bærum's book only (``full_source``)."""
    ref = load_reference(kbt.TOP10_REFERENCE)
    f = ref.frame[ref.frame["barometer_year"] == str(barometer_year)]
    if f.empty:
        return []
    items = "; ".join(
        f"{r.rank}. {r.name} {fmt_number(float(r.points), 3)}" for r in f.itertuples()
    )
    source = f" ({ref.source})" if full_source else ""
    line = f"Publisert av Kommunal Rapport for {barometer_year}: {items}{source}."
    if rebuilt is None:
        return [line]
    return [line, top_ten_comment(rebuilt, list(f["name"]), synthetic)]


def top_ten_comment(rebuilt: list[str], published: list[str], synthetic: bool) -> str:
    """How many of the published top ten are among the reconstruction's top ten, and why
    the lists can differ (names compared with case and diacritics folded)."""
    mine = {fold(n) for n in rebuilt}
    both = [n for n in published if fold(n) in mine]
    why = (
        "Datagrunnlaget her er syntetisk, så listene kan ikke sammenlignes."
        if synthetic
        else "Listene kan skille seg fordi rekonstruksjonen ikke korrigerer andelene for "
        "utgiftsbehov og setter egne grenser for karakterene; når poengsummene ligger tett, "
        "flytter små forskjeller i karakter mange plasser."
    )
    if not both:
        return f"Ingen av de ti publiserte er blant de ti beste i rekonstruksjonen. {why}"
    if len(both) == len(published):
        return "De ti publiserte er de samme som de ti beste i rekonstruksjonen."
    return (
        f"{len(both)} av de ti publiserte er blant de ti beste i rekonstruksjonen "
        f"({and_list(both)}). {why}"
    )


def _yes_no(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its boolean columns as «ja»/«nei» (downloads are in bokmål)."""
    out = frame.copy()
    for col in out.columns:
        values = out[col].dropna()
        flags = out[col].dtype == object and all(isinstance(v, bool) for v in values)
        if out[col].dtype == bool or (flags and len(values)):
            out[col] = out[col].map({True: "ja", False: "nei"})
    return out


def _rank_words(rank: int, n: int) -> str:
    """Where a place lies among ``n`` ranked municipalities, in words the numbers support."""
    if rank == 1:
        return "først av alle"
    if rank == n:
        return "sist av alle"
    part = rank / n if n else float("nan")
    if part <= 0.25:
        return "blant den beste firedelen av kommunene"
    if part <= 0.5:
        return "i den beste halvdelen av kommunene"
    if part <= 0.75:
        return "i den svakeste halvdelen av kommunene"
    return "blant den svakeste firedelen av kommunene"


def _is_source_municipality(kommune: str) -> bool:
    """Whether the source documents (and the published grades in ``data/reference``) are about
    this municipality: text about those documents belongs in its book only."""
    return bool(_published_ranks(kommune))


def unranked_text(name: str, barometer_year: int, st: kb.Standing, min_share: float) -> str:
    """Why a municipality has no place or average grade, and what the chapter leaves out: said
    once, in the result."""
    share = fmt_number(100 * st.weight_share, 0)
    need = fmt_number(100 * min_share, 0)
    n, total = st.n_key_figures, st.n_in_force
    if n == 0:
        has = f"{name} har ingen nøkkeltall med tall"
    else:
        has = f"{name} har karakter på {n} av {total} nøkkeltall, som utgjør {share} % av vekten"
    why = f"{has}, og en kommune rangeres bare med tall for minst {need} % av vekten"
    if st.ranked:  # ranked by the 60 % rule, but on too few key figures to mean anything
        why = (
            f"{name} har karakter på bare {n} av {total} nøkkeltall; en snittkarakter av så få "
            "karakterer sier lite om sektoren"
        )
    return (
        f"{name} får ingen plass eller snittkarakter i rekonstruksjonen av barometeret "
        f"{barometer_year}: {why}. Små kommuner mangler ofte tall fordi SSB skjuler små antall "
        "av personvernhensyn. Kapitlet viser derfor bare karakterene for nøkkeltallene som har "
        "tall, ikke snittkarakter, bidrag til snittkarakteren eller plass med andre vekter."
    )


def _published_ranks(kommune: str) -> dict[int, int]:
    """Published sector ranks by barometer year for ``kommune`` (empty when none are
    published)."""
    f = load_reference(kbt.BAERUM_REFERENCE).frame
    f = f[(f["region"] == kommune) & (f["measure"] == "rank")]
    return {int(y): int(float(v)) for y, v in zip(f["barometer_year"], f["value"], strict=True)}
