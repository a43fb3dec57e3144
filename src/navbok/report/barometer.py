"""Views and rules for the chapter «Kommunebarometeret» (``chapters/kommunebarometer.md``
holds its sentences): the open reconstruction of the sector «Sosialtjeneste» as tables and
charts (grades, score, rank, heatmap, sensitivity, published comparison), and which of the
chapter's phrasings the numbers call for (has a score or why not, side of 3,5, where a place
lies, a big change worth checking, the worked example).

The grading and ranking live in :mod:`navbok.analysis.barometer`; they are computed once per
loaded snapshot for every municipality and year.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

from navbok import status
from navbok.analysis import barometer as kb
from navbok.analysis import barometer_tables as kbt
from navbok.analysis.barometer_config import config, key_figure_title, key_figures
from navbok.data import NavData
from navbok.key_figures import barometer_edition, barometer_results, barometer_scenarios
from navbok.national_facts import national_pass
from navbok.present import chart_specs, figure
from navbok.present.exports import BOKMAL_HEADERS
from navbok.present.numbers import fmt_number
from navbok.present.plain_table import named_rows
from navbok.present.prose import and_list
from navbok.present.shown import shown
from navbok.present.tables import TableOutput, show_table, wide
from navbok.reference import load_reference, reference_dir
from navbok.regions import fold
from navbok.report.context import Context
from navbok.report.missing import SAID_ABOVE

BETTER = {"lower": "lav", "higher": "høy"}
#: How many municipalities the top list shows (ties can make it longer).
TOP_N = 10


def _headers(*columns: str, **own: str) -> dict[str, str]:
    """Download headers for ``columns``, in this order: the book's one wording
    (:data:`navbok.present.exports.BOKMAL_HEADERS`), or a table's ``own`` where the same
    column means something else beside its neighbours («Verdi her» beside «Verdi publisert»)."""
    return {c: own.get(c) or BOKMAL_HEADERS[c] for c in columns}


#: Download headers of the key-figure table.
TABLE_COLUMNS = _headers(
    "key_figure", "year", "value", "average", "best", "worst", "grade", "change"
)
#: Download headers of the sensitivity table.
SENSITIVITY_COLUMNS = _headers(
    "scenario", "weight_sum", "score", "points", "rank", "n_ranked", "rank_change"
)
#: Download headers of the published comparison (booleans become «ja»/«nei»).
PUBLISHED_COLUMNS = _headers(
    "key_figure", "year", "barometer_year", "average_published", "grade_published",
    "value_published", "value", "average", "grade", "value_diff", "average_diff", "grade_diff",
    "consistent", "same_side",
    value="Verdi her", average="Snitt her", grade="Karakter her",
)  # fmt: skip
#: Download headers of the ranking (the top list).
RANKING_COLUMNS = _headers(
    "rank", "region", "kommune", "points", "score", "weight_share", "reason",
    region="Kommunenr", kommune="Kommune", weight_share="Andel av vekten med data (%)",
    reason="Merknad",
)  # fmt: skip


#: The columns of :meth:`BarometerViews.table` for the statistics year.
LAST_COLUMNS = ("average", "best", "worst", "grade")


class BarometerViews:
    """The barometer chapter's views for one municipality."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        #: :meth:`standing` by (municipality, statistics year): the national results it reads
        #: are fixed per loaded snapshot, and a chapter asks several times.
        self._standings: dict[tuple[str, int], kb.Standing] = {}
        #: :func:`kbt.pulling_down` by (municipality, statistics year), for the same reason.
        self._pulls: dict[tuple[str, int], pd.DataFrame] = {}

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

    def method(self) -> dict[str, object]:
        """How the limits and the ranking are set, from the configuration (the chapter's
        «Slik regnes karakterene» says it): ``metode`` («percentile» or «sd»), the tail in
        percent and its complement (``hale``, ``topp``: 5 and 95), ``k`` (standard deviations)
        and ``krav``, the share of the weight a municipality needs numbers for to be ranked."""
        cfg = config()
        rule = cfg.limit_rule
        return {
            "metode": rule.method,
            "hale": shown(100 * rule.tail, 0),
            "topp": shown(100 * (1 - rule.tail), 0),
            "k": shown(rule.k, 1),
            "krav": shown(100 * cfg.min_weight_share, 0),
        }

    def standing(self) -> kb.Standing:
        """The municipality's standing in the chapter's statistics year: ranked or not, how
        many key figures have grades, and whether a score means anything."""
        _, year = self.year()
        key = (self.ctx.kommune, year)
        if key not in self._standings:  # a frozen dataclass: callers cannot change it
            _, ranking = self.results()
            self._standings[key] = kb.standing(ranking, self.ctx.kommune, year)
        return self._standings[key]

    def pulling_down(self, year: int) -> pd.DataFrame:
        """:func:`navbok.analysis.barometer_tables.pulling_down` of the municipality in
        ``year`` with the configured weights (computed once per chapter; a copy each time)."""
        key = (self.ctx.kommune, year)
        if key not in self._pulls:
            graded, _ = self.results()
            self._pulls[key] = kbt.pulling_down(graded, self.ctx.kommune, year)
        return self._pulls[key].copy()

    def result(self) -> dict[str, object]:
        """The slots of «Resultat» and «Plassering»: whether the municipality has a score
        (``rangert``, :attr:`navbok.analysis.barometer.Standing.has_score`) with its score,
        points, place and last year's place (0: not ranked); without one, which reason
        (``uten``: :func:`unranked_case`) with the counts; the published places (``publisert``,
        oldest first) and whether the data are synthetic."""
        _, ranking = self.results()
        _, year = self.year()
        mine = ranking[ranking["region"] == self.ctx.kommune].set_index("year")
        row = mine.loc[year] if year in mine.index else None
        prev = mine.loc[year - 1] if year - 1 in mine.index else None
        st = self.standing()
        out: dict[str, object] = {
            "rangert": bool(st.has_score and row is not None),
            "publisert": [
                {"aar": str(y), "plass": str(p)}
                for y, p in sorted(_published_ranks(self.ctx.kommune).items())
            ],
            "syntetisk": bool(self.ctx.data.snapshot.synthetic),
        }
        if out["rangert"]:
            assert row is not None
            out |= {
                "karakter": shown(float(row["score"]), 2),
                "poeng": shown(float(row["points"]), 3),
                "plass": int(row["rank"]),
                "antall": int(row["n_ranked"]),
                "plass_foer": int(prev["rank"]) if prev is not None and bool(prev["ranked"]) else 0,
            }
        else:
            out |= {
                "uten": unranked_case(st),
                "n": st.n_key_figures,
                "av": st.n_in_force,
                "andel": shown(100 * st.weight_share, 0),
                "krav": shown(100 * config().min_weight_share, 0),
            }
        return out

    def meaning(self) -> dict[str, object]:
        """The slots of «Hva betyr dette?»: without a score, how many key figures have
        numbers (``har_snitt`` false, ``n`` of ``av``); with one, the score, its side of 3,5
        (``side``: :func:`side_of_average`), the place and where it lies (``hvor``:
        :func:`rank_case`), the key figure that pulls most down (``ned``) and most up
        (``opp``; each empty when none) and whether the one pulling down changed so much
        from the year before that it is worth checking (``sjekk``: :func:`drag_check`)."""
        graded, _ = self.results()
        _, year = self.year()
        st = self.standing()
        if not st.has_score:
            return {"har_snitt": False, "n": st.n_key_figures, "av": st.n_in_force}
        p = self.pulling_down(year).dropna(subset=["contribution"])
        score = float(p["contribution"].sum()) + kb.MID
        assert st.rank is not None
        down = p[p["contribution"] < 0]
        up = p[p["contribution"] > 0]

        def named(row: pd.Series) -> dict[str, object]:
            return {
                "navn": str(row["label"]),
                "nokkeltall": str(row["key_figure"]),
                "karakter": shown(float(row["grade"]), 2),
            }

        out: dict[str, object] = {
            "har_snitt": True,
            "karakter": shown(score, 2),
            "side": side_of_average(score),
            "plass": st.rank,
            "antall": st.n_ranked,
            "hvor": rank_case(st.rank, st.n_ranked),
            "ned": named(down.iloc[0]) if len(down) else {},
            "opp": named(up.iloc[-1]) if len(up) else {},
            "sjekk": {},
        }
        if len(down):
            kf = str(down.iloc[0]["key_figure"])
            # the key figure's values in the two years, as kbt.kommune_table has them (its
            # rows of the municipality and key figure, read without building the whole table)
            own = graded[(graded["region"] == self.ctx.kommune) & (graded["key_figure"] == kf)]
            values = own[own["year"].isin([year - 1, year])].set_index("year")["value"]
            before = float(values.get(year - 1, float("nan")))
            value = float(values.get(year, float("nan")))
            if drag_check(before, value):
                out["sjekk"] = {
                    "foer": shown(before, 2),
                    "foer_aar": str(year - 1),
                    "naa": shown(value, 2),
                }
        return out

    def finding(self) -> str:
        """The reconstructed rank with its caveat, for the introduction's main findings."""
        _, ranking = self.results()
        _, year = self.year()
        st = self.standing()
        mine = ranking[ranking["region"] == self.ctx.kommune].set_index("year")
        row = mine.loc[year] if year in mine.index else None
        ranked = st.has_score and row is not None
        if ranked:
            assert row is not None
            short = f"plass {int(row['rank'])} av {int(row['n_ranked'])}"
        else:
            short = "ingen plass (for få nøkkeltall med tall)"
        published = _published_ranks(self.ctx.kommune)
        summary = None
        if published:
            short += (
                " (publisert: "
                + ", ".join(f"plass {r} i {y}" for y, r in sorted(published.items()))
                + ")"
            )
            graded, _ = self.results()
            summary = kbt.published_comparison(graded, ranking).summary
        caveat = barometer_caveat(
            self.ctx.name, ranked, published, summary, bool(self.ctx.data.snapshot.synthetic)
        )
        score = f"snittkarakter {fmt_number(st.score, 2)}, " if st.has_score else ""
        return (
            f"Kommunebarometeret {barometer_edition(year)}, åpen rekonstruksjon: "
            f"{score}{short}. {caveat}".strip()
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
            numeric_from=4,
            provenance=self.ctx.provenance,
        )

    def table(self) -> TableOutput:
        """Key figures × five years: value with arrow, national average and grade (T5.1)."""
        graded, _ = self.results()
        _, year = self.year()
        graded_years = set(graded["year"])
        years = [y for y in range(year - 4, year + 1) if y in graded_years]
        t = kbt.kommune_table(graded, self.ctx.kommune, years)
        gone = self.unpublished()
        cells, used = table_cells(t, years, year, gone)
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
                *gap_legend(used),
                *self._unpublished_note(gone),
            ],
            provenance=self.ctx.provenance,
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
            provenance=self.ctx.provenance,
        )

    def pulling(self) -> figure.ChartOutput | None:
        """Which key figures pull the score below 3,5 (F5.2): weighted distance to 3,5 (none
        without a score, see :attr:`navbok.analysis.barometer.Standing.has_score`)."""
        if not self.standing().has_score:
            return None
        _, year = self.year()
        p = self.pulling_down(year)
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
            provenance=self.ctx.provenance,
        )

    def top(self, n: int = TOP_N) -> TableOutput:
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
            for r in named_rows(t)
        ]
        mine = "" if own_unranked.any() else f", og {self.ctx.name}"
        return show_table(
            pd.DataFrame(cells, columns=["Plass", "Kommune", "Poeng", "Snittkarakter"]),
            "kb-topp",
            f"De {n} beste i rekonstruksjonen, Kommunebarometeret {by} (statistikkår {year}){mine}",
            data=_top_rows(ranking, year, names, self.ctx.kommune, n),
            notes=[
                *_published_top(
                    by,
                    _is_source_municipality(self.ctx.kommune),
                    [str(r.name) for r in named_rows(t) if not pd.isna(r.rank) and r.rank <= n],
                    bool(self.ctx.data.snapshot.synthetic),
                ),
            ],
            numeric_from=2,
            provenance=self.ctx.provenance,
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
        s = kbt.sensitivity(
            graded,
            self.ctx.kommune,
            year,
            scenarios,
            rankings=rankings,
            positions=scenario_positions(self.ctx.data, year),
        )
        cells = [
            (
                r.scenario,
                fmt_number(r.score, 2),
                "ikke rangert" if pd.isna(r.rank) else str(int(r.rank)),
                "" if pd.isna(r.rank_change) else fmt_number(r.rank_change, 0),
            )
            for r in named_rows(s)
        ]
        return show_table(
            pd.DataFrame(cells, columns=["Vekting", "Snittkarakter", "Plass", "Endring i plass"]),
            "kb-sensitivitet",
            f"Hvordan plassen til {self.ctx.name} endrer seg med andre vekter "
            f"(statistikkår {year})",
            data=s.rename(columns=SENSITIVITY_COLUMNS),
            provenance=self.ctx.provenance,
        )

    def example(self) -> dict[str, object]:
        """One grade worked by hand (:func:`worked_grade`): the key figure with the largest
        weight among those with a grade strictly between 1 and 6 (else the largest weight);
        empty when the municipality has no grades this year."""
        graded, _ = self.results()
        _, year = self.year()
        g = graded[(graded["region"] == self.ctx.kommune) & (graded["year"] == year)]
        g = g[g["grade"].notna()]
        weights = config().weights
        if g.empty:
            return {}
        g = g.assign(w=g["key_figure"].map(weights), inner=g["grade"].between(1, 6, "neither"))
        r = g.sort_values(["inner", "w"], ascending=False).iloc[0]
        good = (
            (r["value"] <= r["average"]) if r["better"] == "lower" else (r["value"] >= r["average"])
        )
        limit, lname = (r["best"], "6") if good else (r["worst"], "1")
        return {
            "nokkeltall": str(r["key_figure"]),
            "aar": str(year),
            **worked_grade(r["value"], r["average"], limit, lname, r["grade"]),
        }

    def notes(self) -> dict[str, object]:
        """The slots of the notes the chapter writes under its tables: the sector's weight
        (``sektorvekt``), whether this is the municipality whose document the weights come
        from (``kildekommune``), the top list's length (``topp``) and, where Kommunal Rapport
        published figures for the municipality, the comparison's source and agreement
        (``publisert``: ``kilde``, ``snitt``, ``storst``, ``n``, ``samme_side``,
        ``toleranse``; empty otherwise)."""
        out: dict[str, object] = {
            "sektorvekt": shown(config().sector_weight, 1),
            "kildekommune": _is_source_municipality(self.ctx.kommune),
            "topp": TOP_N,
            "publisert": {},
        }
        if _published_ranks(self.ctx.kommune):
            graded, ranking = self.results()
            pc = kbt.published_comparison(graded, ranking)
            s = pc.summary
            out["publisert"] = {
                "kilde": str(pc.source),
                "snitt": shown(float(s["grade_mean_abs_diff"]), 2),
                "storst": shown(float(s["grade_max_abs_diff"]), 2),
                "n": int(s["n_compared"]),
                "samme_side": shown(100 * float(s["same_side_share"]), 0),
                "toleranse": shown(GRADE_TOLERANCE, 1),
            }
        return out

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
            for r in named_rows(kf)
        ]
        for r in named_rows(pc.ranks):
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
        return show_table(
            pd.DataFrame(cells, columns=head),
            "kb-publisert",
            f"Rekonstruksjonen ved siden av de publiserte tallene for {self.ctx.name}",
            data=_yes_no(kf).rename(columns=PUBLISHED_COLUMNS),
            provenance=self.ctx.provenance,
        )


#: The symbols of the barometer tables, one per kind of gap, with what each means.
GAP_WORDS = {
    status.NOT_AVAILABLE: "tall mangler for kommunen dette året",
    status.NOT_POSSIBLE: "nøkkeltallet var ikke med i barometeret dette året",
}


#: A change from one year to the next larger than this share of the earlier value is worth
#: checking before it is read as a change in practice.
BIG_CHANGE = 0.3


def table_cells(
    t: pd.DataFrame, years: list[int], year: int, gone: Mapping[str, str]
) -> tuple[list[list[str]], set[str]]:
    """The cells of :meth:`BarometerViews.table` from :func:`kbt.kommune_table` output ``t``
    (one row per key figure not in ``gone``: a value with its arrow per year of ``years``,
    then the average, limits and grade of ``year``) and the gap words and symbols used."""
    missing = status.NOT_AVAILABLE
    first = {k.id: k.first_year or 0 for k in key_figures()}
    cells = []
    used: set[str] = set()
    # the table's rows by key figure (in order of appearance) and year, read once as
    # plain records (the same values as the frame's rows)
    fields = ("key_figure", "year", "better", "value", "arrow", *LAST_COLUMNS)
    by_kf: dict[str, dict[int, dict[str, Any]]] = {}
    for values in zip(*(t[c].tolist() for c in fields), strict=True):
        rec = dict(zip(fields, values, strict=True))
        by_kf.setdefault(rec["key_figure"], {})[int(rec["year"])] = rec
    for kf, rows in by_kf.items():
        if kf in gone:
            continue  # a row of nothing but «..»: named in a note instead
        row = [f"{kf} (god: {BETTER[next(iter(rows.values()))['better']]})"]
        for y in years:
            r = rows.get(y)
            cell = (
                gap_symbol(y, first.get(str(kf), 0))
                if r is None
                else f"{fmt_number(r['value'], 2, status=missing)} {r['arrow']}".strip()
            )
            used.update(c for c in (cell,) if c in GAP_WORDS)
            if r is not None and r["value"] != r["value"]:
                used.add(missing)
            row.append(cell)
        last = rows.get(year)
        for col in LAST_COLUMNS:
            row.append(missing if last is None else fmt_number(last[col], 2, status=missing))
            used.update([missing] if last is None or last[col] != last[col] else [])
        cells.append(row)
    return cells, used


def drag_check(before: float, value: float) -> bool:
    """Whether the key figure that pulls the score down most changed by more than
    :data:`BIG_CHANGE` from the year before: then it is named as worth checking, since the
    change may come from how the figure was reported (otherwise the chapter asks a question)."""
    return bool(
        before == before
        and value == value
        and before
        and abs(value - before) > BIG_CHANGE * abs(before)
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
    value: float, average: float, limit: float, limit_grade: str, grade: float
) -> dict[str, object]:
    """A grade worked by hand that the reader can reproduce from the numbers shown: value,
    average and limit (``verdi``, ``snitt``, ``grense``) with as many decimals (2 to 4) as it
    takes for the formula on the shown numbers to give the grade shown (``karakter``), which
    limit (``mot``: «6» or «1») and whether the grade is capped there (``avkortet``)."""
    up = limit_grade == "6"
    capped = bool(abs(value - average) >= abs(limit - average))

    def on_shown(d: int) -> float:
        v, a, lim = (_shown(x, d) for x in (value, average, limit))
        g = 3.5 + (1 if up else -1) * 2.5 * abs(v - a) / abs(lim - a)
        return min(6.0, max(1.0, g))

    d = next((d for d in (2, 3, 4) if fmt_number(on_shown(d), 2) == fmt_number(grade, 2)), 4)
    return {
        "verdi": shown(value, d),
        "snitt": shown(average, d),
        "grense": shown(limit, d),
        "mot": limit_grade,
        "karakter": shown(grade, 2),
        "avkortet": capped,
    }


def _shown(x: float, decimals: int) -> float:
    """``x`` as the reader sees it at ``decimals`` decimals (rounded as the page rounds)."""
    text = fmt_number(x, decimals).replace("\u00a0", "").replace(",", ".")
    return float(text.replace("\u2212", "-"))


#: How far the reconstruction's grades may lie from the published ones (mean absolute
#: difference over the key-figure years compared, in grade points on the 1–6 scale) before the
#: introduction says that the reconstruction deviates.
GRADE_TOLERANCE = 0.5


def caveat_case(
    ranked: bool,
    published: dict[int, int],
    summary: dict | None,
    tolerance: float = GRADE_TOLERANCE,
) -> str:
    """What the reconstructed rank can be checked against (:func:`barometer_caveat` words
    each case): ``ukontrollert`` (nothing published for the municipality), ``avviker`` (the
    published grades lie further than ``tolerance`` from the reconstruction's on average),
    ``i_samsvar`` (within ``tolerance``); empty for an unranked municipality with nothing
    published (there is no rank to qualify)."""
    if not published or not summary or not summary.get("n_compared"):
        return "ukontrollert" if ranked else ""
    return "avviker" if float(summary["grade_mean_abs_diff"]) > tolerance else "i_samsvar"


def barometer_caveat(
    name: str,
    ranked: bool,
    published: dict[int, int],
    summary: dict | None,
    synthetic: bool,
    tolerance: float = GRADE_TOLERANCE,
) -> str:
    """One sentence for the introduction to stand beside the reconstructed rank, for the case
    :func:`caveat_case` chooses (a synthetic snapshot is said as well: then no comparison
    means anything)."""
    tol = fmt_number(tolerance, 1)
    synth = (
        " Datagrunnlaget er syntetisk, så plassen sier ingenting om kommunen." if synthetic else ""
    )
    case = caveat_case(ranked, published, summary, tolerance)
    if not case:
        return synth.strip()
    if case == "ukontrollert":
        return (
            "Rangeringen er en rekonstruksjon fra SSBs tall, ikke Kommunal Rapports resultat; "
            f"Kommunebarometeret har ingen publiserte karakterer for {name} som den kan "
            "kontrolleres mot." + synth
        )
    assert summary is not None
    diff = fmt_number(float(summary["grade_mean_abs_diff"]), 2)
    rule = (
        f"Boka regner rekonstruksjonen som i samsvar med de publiserte karakterene når de i "
        f"snitt ligger høyst {tol} karakterpoeng fra dem (et halvt trinn på skalaen 1–6)."
    )
    if case == "avviker":
        return (
            "Rangeringen er en rekonstruksjon fra SSBs tall og avviker fra Kommunebarometerets "
            f"publiserte: karakterene for {name} ligger i snitt {diff} "
            f"karakterpoeng fra de publiserte. {rule}" + synth
        )
    return (
        "Rangeringen er en rekonstruksjon fra SSBs tall; karakterene for "
        f"{name} ligger i snitt {diff} karakterpoeng fra Kommunebarometerets "
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
    items = "; ".join(f"{r.rank}. {r.name} {fmt_number(float(r.points), 3)}" for r in named_rows(f))
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


def side_of_average(score: float) -> str:
    """Which side of the national average (3,5) a score lies on as the page shows it (two
    decimals): ``paa``, ``over`` or ``under``."""
    if fmt_number(score, 2) == fmt_number(kb.MID, 2):
        return "paa"
    return "over" if score > kb.MID else "under"


def rank_case(rank: int, n: int) -> str:
    """Where a place lies among ``n`` ranked municipalities, as far as the numbers support:
    ``forst``, ``sist``, ``beste_firedel``, ``beste_halvdel``, ``svakeste_halvdel`` or
    ``svakeste_firedel``."""
    if rank == 1:
        return "forst"
    if rank == n:
        return "sist"
    part = rank / n if n else float("nan")
    if part <= 0.25:
        return "beste_firedel"
    if part <= 0.5:
        return "beste_halvdel"
    if part <= 0.75:
        return "svakeste_halvdel"
    return "svakeste_firedel"


def _is_source_municipality(kommune: str) -> bool:
    """Whether the source documents (and the published grades in ``data/reference``) are about
    this municipality: text about those documents belongs in its book only."""
    return bool(_published_ranks(kommune))


def unranked_case(st: kb.Standing) -> str:
    """Why a municipality has no place or average grade: ``faa_nokkeltall`` (ranked by the
    60 % rule, but on too few key figures for a score to mean anything), ``ingen_tall`` (no
    key figure with numbers) or ``lite_vekt`` (grades for too little of the weight)."""
    if st.ranked:
        return "faa_nokkeltall"
    return "ingen_tall" if st.n_key_figures == 0 else "lite_vekt"


@national_pass
def scenario_positions(data: NavData, year: int) -> Mapping[str, Mapping[str, int]]:
    """Each municipality's row in each weight scenario's ranking of ``year``
    (:func:`kbt.first_positions` of :func:`barometer_scenarios`): kept per loaded snapshot
    and year, all it depends on; read-only."""
    return kbt.first_positions(barometer_scenarios(data, year))


def _published_ranks(kommune: str) -> dict[int, int]:
    """Published sector ranks by barometer year for ``kommune`` (empty when none are
    published)."""
    path = reference_dir() / f"{kbt.BAERUM_REFERENCE}.csv"
    if not path.is_file():
        load_reference(kbt.BAERUM_REFERENCE)  # raises the reference's own error
    stat = path.stat()
    ranks = _published_rank_table(str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    return dict(ranks.get(kommune, ()))


@functools.lru_cache(maxsize=4)
def _published_rank_table(
    path: str, mtime_ns: int, size: int
) -> Mapping[str, tuple[tuple[int, int], ...]]:
    """Every municipality's published ranks in the reference file ``path`` (its modification
    time and size in the key, as the reference reader's own cache has them), as
    ``(barometer year, rank)`` pairs in the file's order; read-only."""
    f = load_reference(kbt.BAERUM_REFERENCE, Path(path).parent).frame
    f = f[f["measure"] == "rank"]
    out: dict[str, list[tuple[int, int]]] = {}
    for region, y, v in zip(f["region"], f["barometer_year"], f["value"], strict=True):
        out.setdefault(str(region), []).append((int(y), int(float(v))))
    return MappingProxyType({k: tuple(v) for k, v in out.items()})
