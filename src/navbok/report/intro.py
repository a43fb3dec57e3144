"""Report views for the chapter «Innledning»: who the municipality is compared with and why,
what is hidden for privacy (said once, here), the service profile (key figures as an index
against the main comparison), the main findings and «Hva betyr dette?».

Every text only says what its numbers carry: a finding whose own figure is hidden or missing is
left out (the notice on hidden figures says so once), a rank is given only where it can mean
something (:meth:`Context.position`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from navbok import status
from navbok.analysis.aap_periods import DECEMBER
from navbok.analysis.aap_periods import LATEST as LATEST_AAP
from navbok.comparison import Kind
from navbok.key_figures import BAROMETER, Fact
from navbok.present import chart_specs, figure
from navbok.present.exports import with_cell_statuses
from navbok.present.markdown import Markdown
from navbok.present.numbers import fmt_number
from navbok.present.prose import and_list
from navbok.report.facts import CHAPTER_BAROMETER, fact_text
from navbok.report.missing import MissingFigure
from navbok.report.words import compare_word, same_level, trend_words

if TYPE_CHECKING:
    from navbok.report.report import Report

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


class IntroViews:
    """The introduction's views for one municipality."""

    def __init__(self, ctx: Report) -> None:
        self.ctx = ctx

    # ------------------------------------------------------------------ how to read
    def period(self) -> str:
        """The book's years, «2015–2024»; where the municipality's own figures start later
        because it got an unknown part of a split municipality (Narvik from Tysfjord in
        2020), from when and why: «2015–2024 (for Narvik selv fra 2020: …)»."""
        ctx = self.ctx
        first, last = ctx.years[0], ctx.years[-1]
        late = [
            (year, old.split(" - ")[0])
            for _, old, year, known in ctx.data.register.split_parts(ctx.kommune)
            if not known and first < year <= last
        ]
        text = f"{first}–{last}"
        if late:
            year, old = max(late)
            text += (
                f" (for {ctx.name} selv fra {year}: {old} ble delt i {year}, og det er ikke "
                f"kjent hvor stor del som kom til {ctx.name})"
            )
        return text

    def comparisons(self) -> Markdown:
        """«Slik leser du boka»: the comparison series of this book as a Markdown list, and
        why these peers (:mod:`navbok.peers`); names and reasons are escaped."""
        ctx = self.ctx
        peers = ctx.peers
        last = ctx.years[-1]
        items: list[Markdown] = []
        kostra = Markdown(
            "**{kostra}**, SSBs gruppering av kommuner etter folketall og økonomiske rammer "
            "(inndelingen endret seg mellom 2019 og 2020, så linjen brytes der)"
        ).format(kostra=peers.kostra_name)
        if peers.asss_member:
            items.append(
                Markdown(
                    "**ASSS-snittet**: det uveide gjennomsnittet av kommunene i ASSS-nettverket "
                    "(de største kommunene), med høyeste og laveste verdi. I denne utgaven er "
                    "ASSS {members}"
                ).format(members=ctx.asss_members(last))
            )
            if peers.kostra and not peers.kostra_alone:
                items.append(kostra)
        elif peers.kostra and peers.main == Kind.KOSTRAGRUPPE:
            items.append(kostra)
        if peers.county_name and not peers.county_alone:
            where = (
                ""
                if Kind.FYLKE in peers.line_kinds
                else " – bare i noen figurer for ett år (tidsseriene viser ikke fylket)"
            )
            items.append(
                Markdown("**fylket**, {county}{where}").format(
                    county=peers.county_name, where=where
                )
            )
        items.append(Markdown("**Landet** og **Landet uten Oslo**, som SSB publiserer dem"))
        if names := list(peers.neighbour_names):
            word = "nabokommunen" if len(names) == 1 else "nabokommunene"
            items.append(Markdown("**{word}** {names}").format(word=word, names=and_list(names)))
        lines = Markdown("\n").join(Markdown("* {};").format(item) for item in items[:-1])
        return Markdown(
            "Hvert kapittel sammenligner {navn} med\n\n{lines}\n* {last}.\n\n{why}"
        ).format(navn=ctx.name, lines=lines, last=items[-1], why=peers.reason())

    def hidden_notice(self, year: int) -> str:
        """What is hidden or missing among the key figures in ``year`` and why, said once
        for the whole book; empty when every key figure has a value."""
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
        if not hidden and not missing:
            return ""
        n, m = len(hidden) + len(missing), len(PROFILE)
        amount = "Alle" if n == m else "De fleste" if 2 * n > m else "Noen"
        parts = [f"{amount} av nøkkeltallene for {ctx.name} i {year} finnes ikke ({n} av {m})."]
        if hidden:
            parts.append(
                f"Skjult av personvernhensyn: {and_list(hidden)}. SSB og NAV viser ikke tall som "
                "bygger på svært få personer (NAV ikke antall under fire), fordi de kan føre "
                "til at enkeltpersoner blir gjenkjent."
            )
        if missing:
            parts.append(f"Mangler i datagrunnlaget: {and_list(missing)}.")
        parts.append(
            "Boka viser det som finnes, og utelater figurer og sammenligninger der kommunens "
            "egne tall mangler."
        )
        return " ".join(parts)

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
    def findings(self) -> list[str]:
        """The main findings: one sentence group per subject whose own numbers exist
        (social-assistance share, duration, AAP, long-term recipients, KVP, growth, the
        barometer). A subject whose figure is hidden or missing is left out."""
        ctx = self.ctx
        label = ctx.peers.label
        out = []
        facts = ctx.facts
        share = facts.get("andel_18_66")
        if share is not None and share.value is not None:
            out.append(
                f"I {share.period} mottok {fact_text(share)} prosent av innbyggerne "
                f"18–66 år i {ctx.name} økonomisk sosialhjelp, "
                + _against("andel_18_66", int(share.period), ctx)
                + "."
            )
        months = facts.get("stonadslengde")
        if months is not None and months.value is not None:
            out.append(
                f"Gjennomsnittlig stønadslengde var {fact_text(months)} måneder i "
                f"{months.period}{_versus(facts.get('stonadslengde', 'sammenligning'))}."
            )
        aap = ctx.aap_periods.latest()
        aap_fact = facts.get(LATEST_AAP)
        if aap is not None and aap_fact is not None and aap_fact.value is not None:
            text = (
                f"I {aap_fact.period} mottok {fact_text(aap_fact)} prosent av "
                f"innbyggerne 18–66 år arbeidsavklaringspenger"
                f"{_versus(facts.get(LATEST_AAP, 'sammenligning'))}."
            )
            _, t = ctx.aap.ratio()
            if (
                t["periode"]
                and "–" not in (t["ratio"], t["ratio_main"])
                and (t["ratio"] not in status.ORDER)
            ):
                when = t["periode"]
                text += (
                    f" {when[0].upper()}{when[1:]} var det {t['ratio']} AAP-mottakere per "
                    f"sosialhjelpsmottaker, mot {t['ratio_main']} i {label}."
                )
            out.append(text)
        if lt := self.longterm_finding():
            out.append(lt)
        kvp_fact = facts.get("kvp_per_1000")
        if kvp_fact is not None and (kvp := self.kvp_finding(int(kvp_fact.period))):
            out.append(kvp)
        if funn := ctx.growth.texts()["funn"]:  # the period the growth chapter concludes on
            out.append(funn)
        if ctx.barometer.standing().has_score:
            out.append(ctx.barometer.finding())
        newest = facts.get(BAROMETER)
        if facts.get(CHAPTER_BAROMETER) is not None and newest is not None and newest.rank:
            out.append(
                f"I den nyeste rekonstruksjonen, Kommunebarometeret "
                f"{newest.period.removeprefix('barometer ')}, har {ctx.name} snittkarakter "
                f"{fact_text(newest)}, plass {newest.rank} av {newest.n}."
            )
        if absent := self.without_numbers():
            out.append(
                f"For {ctx.name} er det ingen hovedfunn om {and_list(absent)}: tallene er "
                "skjult, mangler eller er for få."
            )
        return out

    def without_numbers(self) -> list[str]:
        """The chapters' subjects the main findings leave out because the municipality's own
        numbers are hidden, missing or too few (said, never silently dropped)."""
        ctx = self.ctx
        last = ctx.years[-1]
        aap = ctx.aap_periods.latest()
        has = {
            "AAP": aap is not None and ctx.has_own_values(aap.indicator, [aap.year]),
            "utbetalingsveksten": bool(ctx.growth.texts()["funn"]),
            "langtidsmottakere": bool(self.longterm_finding()),
            "kvalifiseringsprogrammet": bool(self.kvp_finding(last)),
            "Kommunebarometeret": ctx.barometer.standing().has_score,
        }
        return [subject for subject, shown in has.items() if not shown]

    def findings_markdown(self) -> Markdown | str:
        """The main findings as a Markdown list, each finding escaped (one line of text when
        there are none)."""
        found = self.findings()
        if not found:
            return (
                f"For få tall for {self.ctx.name} er synlige til å gi hovedfunn; se hva som er "
                "skjult under «Slik leser du boka»."
            )
        return Markdown("\n").join(Markdown("* {}").format(f) for f in found)

    def longterm_finding(self) -> str:
        """The share of long-term recipients (social assistance as main income and 6 months
        or more) in the newest year against the main comparison, and how it went from the
        first year with a number (with its peak when the peak lies between)."""
        ctx = self.ctx
        spec = ctx.indicator(LONGTERM)
        dec = spec.decimals
        values = {y: ctx.value(LONGTERM, y)[0] for y in ctx.years}
        values = {y: v for y, v in values.items() if v == v}
        last = ctx.years[-1]
        if last not in values or len(values) < 2 or ctx.unavailable(LONGTERM):
            return ""
        first = min(values)
        peak = max(values, key=lambda y: values[y])
        text = (
            f"Andelen langtidsmottakere (sosialhjelp som hovedinntekt og stønad i 6 måneder "
            f"eller mer) var {fmt_number(values[last], dec)} prosent i {last}, "
            + _against(LONGTERM, last, ctx)
            + f". Fra {first} ({fmt_number(values[first], dec)} prosent) "
            + INVERTED[trend_words(values[first], values[last], dec)]
        )
        shown_peak = fmt_number(values[peak], dec)
        if first < peak < last and shown_peak not in (
            fmt_number(values[first], dec),
            fmt_number(values[last], dec),
        ):
            text += f", med en topp på {shown_peak} prosent i {peak}"
        return text + "."

    def kvp_finding(self, year: int) -> str:
        """KVP participants per 1 000 inhabitants 18–66 against the main comparison, and the
        share that went to work or education when enough participants ended the programme."""
        ctx = self.ctx
        value, _ = ctx.value("kvp_per_1000", year)
        if value != value:
            return ""
        if value == 0:
            return f"Ingen i {ctx.name} mottok kvalifiseringsstønad (KVP) i {year}."
        text = (
            f"I {year} mottok {ctx.text('kvp_per_1000', year)} per 1\u00a0000 innbyggere 18–66 år "
            f"kvalifiseringsstønad (KVP), " + _against("kvp_per_1000", year, ctx) + "."
        )
        ended = ctx.measure("kvp_avsluttet", year)
        after, _ = ctx.value("kvp_etter", year)
        if after == after and ended == ended and ended >= FEW_ENDED:
            text += (
                f" Av dem som avsluttet programmet, gikk {ctx.text('kvp_etter', year)} prosent "
                f"til arbeid, skole eller utdanning, mot "
                f"{ctx.text('kvp_etter', year, ctx.main_kind)} prosent i {ctx.peers.label}."
            )
        return text

    # ------------------------------------------------------------------ what it means
    def meaning(self) -> str:
        """«Hva betyr dette?»: two to four sentences from the introduction's numbers."""
        ctx = self.ctx
        last = ctx.years[-1]
        label = ctx.peers.label
        own, _ = ctx.value("andel_18_66", last)
        if own != own:
            return (
                f"{ctx.name} har så få mottakere at de fleste tallene er skjult. Boka kan derfor "
                "ikke si om kommunen ligger høyt eller lavt; det som vises, er utgifter, "
                "enkelte andeler og tallene for kommuner som ligner."
            )
        main, _ = ctx.value("andel_18_66", last, ctx.main_kind)
        parts = []
        share = None  # -1 lower, 0 on a level, 1 higher than the main comparison
        if main == main:
            word = compare_word(own, main, label, decimals=2).split(" (")[0]
            parts.append(f"Andelen som mottar sosialhjelp i {ctx.name}, er {word}.")
            share = 0 if same_level(own, main, 2) else (1 if own > main else -1)
        months, _ = ctx.value("stonadslengde", last)
        m_main, _ = ctx.value("stonadslengde", last, ctx.main_kind)
        length = None
        if months == months and m_main == m_main:
            if same_level(months, m_main, 1):
                word = f"omtrent like lenge som i {label}"
                length = 0
            else:
                word = f"{'kortere' if months < m_main else 'lenger'} enn i {label}"
                length = -1 if months < m_main else 1
            parts.append(
                f"De som får stønad, får den i gjennomsnitt {word} ({fmt_number(months, 1)} mot "
                f"{fmt_number(m_main, 1)} måneder)."
            )
        absent = self.without_numbers()
        behind = [
            words
            for subject, words in (
                ("AAP", "hvor mange som går over på AAP"),
                ("utbetalingsveksten", "hva utbetalingene vokser med"),
                ("langtidsmottakere", "langtidsmottakerne"),
                ("kvalifiseringsprogrammet", "kvalifiseringsprogrammet"),
            )
            if subject not in absent
        ]
        if behind:
            parts.append(f"Kapitlene under viser hva som ligger bak: {and_list(behind)}.")
        if share is not None and length is not None and (share, length) in NEXT_QUESTION:
            parts.append(NEXT_QUESTION[(share, length)])
        return " ".join(parts)


#: What to ask next, chosen by the share on social assistance and the duration against the
#: main comparison (-1 lower, 0 on a level, 1 higher): «Hva betyr dette?» ends in a question,
#: not in the numbers said again.
NEXT_QUESTION = {
    (1, 1): "Både flere mottakere og lengre forløp: kapitlet om langtidsmottakere viser om det "
    "er de samme personene som blir værende, og KVP-kapitlet hvor mange som får tett "
    "oppfølging.",
    (1, -1): "Flere mottakere, men kortere forløp peker mot mange korte behov: sjekk om "
    "utbetalingen per mottaker og andelen unge (18–24 år) skiller seg ut i kapitlet om "
    "utbetalingsvekst.",
    (1, 0): "Flere mottakere med like lange forløp: spør om forskjellen gjelder alle "
    "aldersgrupper, og sammenlign med arbeidsledigheten i kommunen.",
    (-1, 1): "Færre mottakere, men lengre forløp: spør om de som får stønad, har få veier "
    "videre – kapitlene om langtidsmottakere og kvalifiseringsprogrammet viser det.",
    (-1, -1): "Færre mottakere og kortere forløp: sjekk om det gjelder begge aldersgruppene "
    "(18–24 og 25–66 år), og om flere i stedet får arbeidsavklaringspenger (AAP-kapitlet).",
    (-1, 0): "Færre mottakere med like lange forløp: sjekk om det gjelder begge aldersgruppene "
    "(18–24 og 25–66 år) i kapitlet om utbetalingsvekst.",
    (0, 1): "På nivå i andel, men lengre forløp: kapitlet om langtidsmottakere viser hvem som "
    "blir værende.",
    (0, -1): "På nivå i andel, men kortere forløp: sjekk om utbetalingen per mottaker er lavere "
    "enn i sammenligningen (kapitlet om utbetalingsvekst).",
}


#: A trend verb with «andelen» as its subject after a fronted adverbial («Fra 2015 (…) gikk
#: andelen ned»: bokmål puts the verb second).
INVERTED = {
    "økte": "økte andelen",
    "gikk ned": "gikk andelen ned",
    "var uendret": "var andelen uendret",
}


def _against(indicator: str, year: int, ctx: Report) -> str:
    """«lavere enn i ASSS-snittet (4,11) (3. lavest av de 12 ASSS-kommunene)» style
    comparison with the main comparison, the rank only where it can mean something."""
    spec = ctx.indicator(indicator)
    own, _ = ctx.value(indicator, year)
    other, _ = ctx.value(indicator, year, ctx.main_kind)
    text = compare_word(own, other, ctx.peers.label, decimals=spec.decimals)
    rank = ctx.position(indicator, year).strip()
    return f"{text}, {rank[1:-1]}" if rank else text


def _versus(other: Fact | None) -> str:
    """«, mot 5,5 i ASSS-snittet» for a comparison fact with a value; "" without one."""
    if other is None or other.value is None:
        return ""
    return f", mot {fact_text(other)} i {other.series}"


def _lower(label: str) -> str:
    """A label inside a sentence: «andel på AAP» from «Andel på AAP» (only the first letter,
    and not in an abbreviation such as «KVP-mottakere»)."""
    return label[0].lower() + label[1:] if label[1:2].islower() else label
