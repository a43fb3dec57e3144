"""Rules for the chapter «Innledning» (``chapters/intro.md`` holds its sentences): which of the
chapter's phrasings the numbers call for — the comparison series and why, what is hidden for
privacy (said once, here), the main findings, «Hva betyr dette?» and its closing question — and
the service profile (key figures as an index against the main comparison).

A finding is made only where its numbers are: a subject whose own figure is hidden or missing
is left out (and named in :meth:`IntroViews.without_numbers`), a rank is given only where it can
mean something (:func:`~navbok.report.context.rank_words`). Every value is a
:class:`~navbok.present.shown.Shown`; «is it missing?» is asked of values and statuses, never
of text.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from navbok import status
from navbok.analysis.aap_periods import DECEMBER
from navbok.analysis.aap_periods import LATEST as LATEST_AAP
from navbok.comparison import Kind
from navbok.key_figures import BAROMETER
from navbok.present import chart_specs, figure
from navbok.present.exports import with_cell_statuses
from navbok.present.prose import and_list
from navbok.present.shown import shown
from navbok.report.barometer import BarometerViews
from navbok.report.context import Context, rank_words
from navbok.report.facts import CHAPTER_BAROMETER, FactViews
from navbok.report.growth import GrowthViews
from navbok.report.missing import MissingFigure
from navbok.report.words import level_word, trend_words

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
#: The long-term share the main findings follow over the years.
LONGTERM = "andel_langtid_6mnd_hovedinntekt"
#: Fewer participants who ended KVP than this: the share going to work is not a finding.
FEW_ENDED = 20
#: The chapters' subjects a main finding may be missing for (the chapter names them).
SUBJECTS = (
    "AAP",
    "utbetalingsveksten",
    "langtidsmottakere",
    "kvalifiseringsprogrammet",
    "Kommunebarometeret",
)


class IntroViews:
    """The introduction's rules for one municipality (``facts``, ``growth`` and ``barometer``:
    the book's headline facts and the two chapters' views whose findings it repeats)."""

    def __init__(
        self, ctx: Context, facts: FactViews, growth: GrowthViews, barometer: BarometerViews
    ) -> None:
        self.ctx = ctx
        self.facts = facts
        self.growth = growth
        self.barometer = barometer

    # ------------------------------------------------------------------ how to read
    def split(self) -> dict[str, Any] | None:
        """Where the municipality's own figures start later than the book's years because it
        got an unknown part of a split municipality (Narvik from Tysfjord in 2020): the year
        (``aar``) and the old municipality (``fra``); None otherwise."""
        ctx = self.ctx
        first, last = ctx.years[0], ctx.years[-1]
        late = [
            (year, old.split(" - ")[0])  # the register's «Tysfjord - Divtasvuodna»: one name
            for _, old, year, known in ctx.data.register.split_parts(ctx.kommune)
            if not known and first < year <= last
        ]
        if not late:
            return None
        year, old = max(late)
        return {"aar": year, "fra": old}

    def comparisons(self) -> dict[str, Any]:
        """The comparison series «Slik leser du boka» lists: the ASSS members (``asss``, empty
        for a municipality outside ASSS), the KOSTRA group when it is listed (``kostra``), the
        county when it is listed (``fylke``) and whether the time series show it
        (``fylke_i_linjer``), the neighbours (``naboer`` in words, ``antall_naboer``) and why
        these peers (``hvorfor``, :meth:`navbok.peers.Peers.reason`)."""
        ctx = self.ctx
        peers = ctx.peers
        asss = ctx.asss_members(ctx.years[-1]) if peers.asss_member else ""
        if peers.asss_member:
            listed = bool(peers.kostra) and not peers.kostra_alone
        else:
            listed = bool(peers.kostra) and peers.main == Kind.KOSTRAGRUPPE
        county = peers.county_name if peers.county_name and not peers.county_alone else ""
        return {
            "asss": asss,
            "kostra": peers.kostra_name if listed else "",
            "fylke": county,
            "fylke_i_linjer": Kind.FYLKE in peers.line_kinds,
            "naboer": and_list(list(peers.neighbour_names)),
            "antall_naboer": len(peers.neighbour_names),
            "hvorfor": peers.reason(),
        }

    def hidden(self, year: int) -> dict[str, Any]:
        """What is hidden or missing among the key figures in ``year``, said once for the whole
        book: how many (``n`` of ``av``; ``mengde`` «alle», «de_fleste», «noen», or empty when
        every key figure has a value) and which, hidden for privacy (``skjult``) or missing
        (``mangler``), as lists in words."""
        ctx = self.ctx
        hidden: list[str] = []
        missing: list[str] = []
        for i in PROFILE:
            value, symbol = ctx.value(i, year)
            if value == value:
                continue
            (hidden if symbol == status.SUPPRESSED else missing).append(
                _lower(ctx.indicator(i).profile_label)
            )
        n, m = len(hidden) + len(missing), len(PROFILE)
        amount = "" if not n else "alle" if n == m else "de_fleste" if 2 * n > m else "noen"
        return {
            "mengde": amount,
            "n": n,
            "av": m,
            "skjult": and_list(hidden),
            "mangler": and_list(missing),
        }

    # ------------------------------------------------------------------ service profile
    def service_profile(
        self, year: int, name: str = "tjenesteprofil"
    ) -> figure.ChartOutput | MissingFigure:
        """Key figures as an index against the main comparison (= 100): the ASSS average for
        an ASSS member, the KOSTRA group otherwise. Left out, with a short note, when fewer
        than half of the key figures have a value for the municipality."""
        ctx = self.ctx
        label = ctx.peers.label
        col = label[0].upper() + label[1:]
        rows, gone, places, marks = [], [], [], []
        for i in PROFILE:
            spec = ctx.indicator(i)
            at, bar = year, spec.profile_label
            if i == DECEMBER and (aap := ctx.aap_periods.at_year_end(year)) is not None:
                i, at = aap.indicator, aap.year  # December of the year, else the newest month
                if not aap.december or aap.year != year:
                    bar = f"{bar} ({aap.label})"
            own, symbol = ctx.value(i, at)
            avg, avg_symbol = ctx.value(i, at, ctx.main_kind)
            idx = 100 * own / avg if avg and avg == avg and own == own else float("nan")
            if idx != idx:
                gone.append(_lower(spec.profile_label))
            # Numbers, not display texts: the table shows each row with its own decimals,
            # the downloads hold the numbers («67 314» as text could not be summed).
            rows.append((bar, idx, own, avg))
            places.append(spec.decimals)
            marks.append((symbol if own != own else None, avg_symbol if avg != avg else None))
        shown = len(PROFILE) - len(gone)
        if 2 * shown < len(PROFILE):
            return MissingFigure(
                f"Tjenesteprofil {year}",
                f"Bare {shown} av {len(PROFILE)} nøkkeltall kan sammenlignes med {label} for "
                f"{ctx.name}, så profilen er utelatt.",
            )
        df = pd.DataFrame(rows, columns=["Nøkkeltall", "Indeks", ctx.name, col])
        marks_of = {ctx.name: [m[0] for m in marks], col: [m[1] for m in marks]}
        marked = with_cell_statuses(df, marks_of)
        chart = chart_specs.bar_chart(
            df,
            category="Nøkkeltall",
            value="Indeks",
            focus="",
            title=f"Tjenesteprofil {year}",
            description=(
                f"Stolpediagram: {ctx.name}s nøkkeltall for {year} som indeks der {label} "
                "er 100. Over 100 betyr høyere enn sammenligningen."
            ),
            value_title=f"Indeks ({label} = 100)",
            value_format=",.0f",
            sort=False,
            reference=100,
        )
        what = (
            "det uveide snittet av ASSS-kommunene"
            if ctx.main_kind == Kind.ASSS_SNITT
            else f"tallet for {label}"
        )
        caption = (
            f"Tjenesteprofil for {ctx.name} {year}: hvert nøkkeltall delt på {what}, ganger "
            "100. Verdiene er ikke snudd for retning: over 100 betyr høyere verdi, ikke "
            "nødvendigvis bedre."
        )
        if gone:
            caption += (
                f" {len(gone)} av {len(PROFILE)} nøkkeltall har ingen stolpe fordi tallet er "
                f"skjult eller mangler: {and_list(gone)}."
            )
        return figure.show_chart(
            chart,
            marked,
            name,
            caption,
            decimals={"Indeks": 0, ctx.name: places, col: places},
            text_columns=["Nøkkeltall"],
            provenance=ctx.provenance,
        )

    # ------------------------------------------------------------------ findings
    def compared(self, indicator: str, year: int) -> dict[str, Any]:
        """The municipality's value of ``indicator`` in ``year`` (``verdi``) against the main
        comparison's (``sml``): the level word (``nivaa``: «lavere enn», «på nivå med»,
        «høyere enn»; empty when the comparison is missing) and the rank (``plass``,
        :func:`~navbok.report.context.rank_words`)."""
        ctx = self.ctx
        own, _ = ctx.value(indicator, year)
        other, _ = ctx.value(indicator, year, ctx.main_kind)
        return {
            "verdi": ctx.shown(indicator, year),
            "sml": ctx.shown(indicator, year, ctx.main_kind),
            "nivaa": level_word(own, other, ctx.indicator(indicator).decimals),
            "plass": rank_words(ctx, indicator, year),
        }

    def share(self) -> dict[str, Any] | None:
        """The share on social assistance: the headline fact (``verdi`` in ``aar``) against
        the main comparison (:meth:`compared`); None when the fact has no value."""
        fact = self.facts.get("andel_18_66")
        if fact is None or fact.value is None:
            return None
        compared = self.compared("andel_18_66", int(fact.period))
        return {**compared, "verdi": self.facts.shown("andel_18_66"), "aar": fact.period}

    def _fact_against(self, key: str) -> dict[str, Any] | None:
        """A headline fact (``verdi`` in ``periode``) with its main comparison's (``sml``, of
        ``serie``; missing when the book has none); None when the fact has no value."""
        fact = self.facts.get(key)
        if fact is None or fact.value is None:
            return None
        other = self.facts.get(key, "sammenligning")
        return {
            "verdi": self.facts.shown(key),
            "periode": fact.period,
            "sml": self.facts.shown(key, "sammenligning"),
            "serie": other.series if other is not None else "",
        }

    def months(self) -> dict[str, Any] | None:
        """The average duration, as :meth:`_fact_against`."""
        return self._fact_against("stonadslengde")

    def aap(self) -> dict[str, Any] | None:
        """The newest AAP share, as :meth:`_fact_against`, with the ratio of AAP recipients to
        social-assistance recipients (``forhold``, :meth:`aap_ratio`; None without one); None
        without AAP data."""
        if self.ctx.aap_periods.latest() is None:
            return None
        found = self._fact_against(LATEST_AAP)
        return found and {**found, "forhold": self.aap_ratio()}

    def aap_ratio(self) -> dict[str, Any] | None:
        """AAP recipients per social-assistance recipient for the AAP chapter's pairing of
        periods (``periode``, «I 2020», «Med AAP i oktober 2025 og sosialhjelp i 2024»): the
        municipality's (``verdi``) and the main comparison's (the ratio of its two shares,
        ``sml``); None unless both have a value."""
        ctx = self.ctx
        pairing = ctx.aap_periods.pairing(ctx.params.aap_year)
        if pairing is None:
            return None
        t = ctx.ratio_table(pairing.aap.indicator, pairing.aap.year, pairing.sos_year)
        t = t[t["kind"].isin(ctx.peers.bar_kinds)]
        own = t[t["kind"] == Kind.KOMMUNE]
        main = t[t["kind"] == ctx.main_kind]
        ratio = float(own["ratio"].iloc[0]) if len(own) else float("nan")
        m_aap = float(main["aap"].iloc[0]) if len(main) else float("nan")
        m_sos = float(main["sos"].iloc[0]) if len(main) else float("nan")
        main_ratio = m_aap / m_sos if m_sos else float("nan")
        if ratio != ratio or main_ratio != main_ratio:
            return None
        when = pairing.sentence
        return {
            "periode": when[0].upper() + when[1:],
            "verdi": shown(ratio, 2),
            "sml": shown(main_ratio, 2),
        }

    def longterm(self) -> dict[str, Any] | None:
        """The share of long-term recipients (social assistance as main income and 6 months or
        more) in the newest year (``aar``) against the main comparison (:meth:`compared`), and
        how it went from the first year with a number (``fra_aar``, ``fra``; ``trend``
        «økte», «gikk ned», «var uendret»), with its peak (``topp`` in ``topp_aar``) when the
        peak lies between and shows another number; None without two years of numbers."""
        ctx = self.ctx
        dec = ctx.indicator(LONGTERM).decimals
        values = {y: ctx.value(LONGTERM, y)[0] for y in ctx.years}
        values = {y: v for y, v in values.items() if v == v}
        last = ctx.years[-1]
        if last not in values or len(values) < 2 or ctx.unavailable(LONGTERM):
            return None
        first = min(values)
        peak = max(values, key=lambda y: values[y])
        top = shown(values[peak], dec)
        between = first < peak < last and top.text not in (
            shown(values[first], dec).text,
            shown(values[last], dec).text,
        )
        return {
            **self.compared(LONGTERM, last),
            "aar": last,
            "fra_aar": first,
            "fra": shown(values[first], dec),
            "trend": trend_words(values[first], values[last], dec),
            "topp": top if between else None,
            "topp_aar": peak,
        }

    def kvp(self, year: int) -> dict[str, Any] | None:
        """KVP participants per 1 000 inhabitants 18–66 in ``year`` (``aar``) against the main
        comparison (:meth:`compared`; ``verdi.zero`` when nobody took part), and the share that
        went to work or education (``etter``, ``etter_sml``) when at least :data:`FEW_ENDED`
        ended the programme (else None); None when the municipality's number is missing."""
        ctx = self.ctx
        value, _ = ctx.value("kvp_per_1000", year)
        if value != value:
            return None
        ended = ctx.measure("kvp_avsluttet", year)
        after, _ = ctx.value("kvp_etter", year)
        enough = after == after and ended == ended and ended >= FEW_ENDED
        return {
            **self.compared("kvp_per_1000", year),
            "aar": year,
            "etter": ctx.shown("kvp_etter", year) if enough else None,
            "etter_sml": ctx.shown("kvp_etter", year, ctx.main_kind),
        }

    def newest_barometer(self) -> dict[str, Any] | None:
        """The newest barometer reconstruction (``utgave``; ``verdi``, ``plass`` of ``av``) when
        the chapter uses another edition and the newest ranks the municipality; else None."""
        newest = self.facts.get(BAROMETER)
        if self.facts.get(CHAPTER_BAROMETER) is None or newest is None or not newest.rank:
            return None
        return {
            "utgave": self.facts.barometer_edition(),
            "verdi": self.facts.shown(BAROMETER),
            "plass": newest.rank,
            "av": newest.n,
        }

    def findings(self) -> dict[str, Any]:
        """The main findings the numbers allow, in the chapter's order, by name: ``andel``
        (:meth:`share`), ``stonadslengde`` (:meth:`months`), ``aap`` (:meth:`aap`),
        ``langtid`` (:meth:`longterm`), ``kvp`` (:meth:`kvp`, the year of the headline fact),
        ``vekst`` (the growth chapter's finding), ``barometer`` (the barometer chapter's
        finding), ``nyeste_barometer`` (:meth:`newest_barometer`), ``uten_tall``
        (:meth:`without_numbers` in words). A finding whose numbers are hidden or missing is
        absent."""
        kvp_fact = self.facts.get("kvp_per_1000")
        found = {
            "andel": self.share(),
            "stonadslengde": self.months(),
            "aap": self.aap(),
            "langtid": self.longterm(),
            "kvp": self.kvp(int(kvp_fact.period)) if kvp_fact is not None else None,
            "vekst": self.growth.texts()["funn"],
            "barometer": (
                self.barometer.finding() if self.barometer.standing().has_score else None
            ),
            "nyeste_barometer": self.newest_barometer(),
            "uten_tall": and_list(self.without_numbers()),
        }
        return {name: value for name, value in found.items() if value}

    def without_numbers(self) -> list[str]:
        """The chapters' subjects (of :data:`SUBJECTS`) the main findings leave out because the
        municipality's own numbers are hidden, missing or too few (said, never silently
        dropped)."""
        ctx = self.ctx
        aap = ctx.aap_periods.latest()
        has = {
            "AAP": aap is not None and ctx.has_own_values(aap.indicator, [aap.year]),
            "utbetalingsveksten": bool(self.growth.texts()["funn"]),
            "langtidsmottakere": self.longterm() is not None,
            "kvalifiseringsprogrammet": self.kvp(ctx.years[-1]) is not None,
            "Kommunebarometeret": self.barometer.standing().has_score,
        }
        return [subject for subject in SUBJECTS if not has[subject]]

    # ------------------------------------------------------------------ what it means
    def meaning(self) -> dict[str, Any]:
        """«Hva betyr dette?»: ``skjult`` when the municipality's share on social assistance
        has no number (then nothing else is said); the share against the main comparison
        (``andel``, a level word at two decimals; empty without a comparison); the duration
        (``mnd`` against ``mnd_sml``, one decimal; ``lengde`` their level word, empty when
        either is missing); the chapters whose subjects have findings (``bak``, of
        :data:`SUBJECTS` without the barometer); the closing question (``sporsmaal``,
        :func:`next_question`)."""
        ctx = self.ctx
        last = ctx.years[-1]
        own, _ = ctx.value("andel_18_66", last)
        main, _ = ctx.value("andel_18_66", last, ctx.main_kind)
        months, m_symbol = ctx.value("stonadslengde", last)
        m_main, m_main_symbol = ctx.value("stonadslengde", last, ctx.main_kind)
        share, length = level_word(own, main, 2), level_word(months, m_main, 1)
        absent = self.without_numbers()
        return {
            "skjult": own != own,
            "andel": share,
            "lengde": length,
            "mnd": shown(months, 1, m_symbol),
            "mnd_sml": shown(m_main, 1, m_main_symbol),
            "bak": [s for s in SUBJECTS[:-1] if s not in absent],
            "sporsmaal": next_question(share, length),
        }


def next_question(share: str, length: str) -> str:
    """Which closing question of «Hva betyr dette?» the share on social assistance and the
    duration call for (the chapter writes each; it ends in a question, not in the numbers said
    again), from their level words against the main comparison (:func:`level_word`): «flere»,
    «faerre» or «nivaa» (recipients) and «lengre», «kortere» or «like» (duration), joined
    by ``_`` («flere_lengre»); empty when either is missing or both are on a level."""
    recipients = {"høyere enn": "flere", "lavere enn": "faerre", "på nivå med": "nivaa"}
    duration = {"høyere enn": "lengre", "lavere enn": "kortere", "på nivå med": "like"}
    if not share or not length or share == length == "på nivå med":
        return ""
    return f"{recipients[share]}_{duration[length]}"


def _lower(label: str) -> str:
    """A label inside a sentence: «andel på AAP» from «Andel på AAP» (only the first letter,
    and not in an abbreviation such as «KVP-mottakere»)."""
    return label[0].lower() + label[1:] if label[1:2].islower() else label
