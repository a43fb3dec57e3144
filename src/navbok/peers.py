"""Who a municipality is compared with first (its *main comparison*), and why.

One place decides it, and every sentence, chart and table asks it (``Context.peers``,
``Context.main_kind``):

* an **ASSS member** is compared first with the ASSS average (the network of the largest
  municipalities publishes its figures for exactly that);
* **any other municipality** with its **KOSTRA group** (SSB's grouping of municipalities by
  population and economic conditions), and also with its county and Landet: the ASSS average
  is the largest cities and would say little about a small or mid-sized municipality;
* a municipality whose KOSTRA group has no other member (Oslo) or that has no KOSTRA group in
  the data is compared with Landet; a group or county that is the municipality alone is never
  drawn as a line of its own (:meth:`navbok.groups.Groups.alone`);
* neighbours come from the params; without neighbours nothing is said about them.

The KOSTRA group is described with SSB's own name for it (KLASS classification 112, as the
snapshot holds it), never with words of our own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from navbok.comparison import Kind
from navbok.groups import Groups, asss_members
from navbok.present.numbers import whole_numbers
from navbok.present.prose import and_list

#: First words of a KOSTRA-group description that are common nouns (written in lower case
#: inside a sentence); anything else (a place name: «Oslo kommune») keeps its capital.
_COMMON_FIRST_WORDS = {"kommuner", "små", "mellomstore", "store", "de"}


def kostra_description(label: str) -> str:
    """SSB's description of a KOSTRA group from its KLASS name, ready for a sentence:
    «KOSTRA-gruppe 11 - Kommuner med 20 000-74 999 innbyggere, høye frie disponible inntekter»
    → «kommuner med 20 000–74 999 innbyggere, høye frie disponible inntekter» (no line break
    inside a number: :func:`~navbok.present.numbers.whole_numbers`); empty when the name carries
    no description."""
    head, sep, rest = label.partition(" - ")
    if not sep or not rest.strip():
        return ""
    text = re.sub(r"(?<=\d)\s*-\s*(?=\d)", "–", rest.strip())
    first = text.split(" ", 1)[0]
    if first.casefold() in _COMMON_FIRST_WORDS:
        text = text[0].lower() + text[1:]
    return whole_numbers(text)


def kostra_name(code: str) -> str:
    """«KOSTRA-gruppe 11» for ``EKG11``."""
    return f"KOSTRA-gruppe {int(code[3:])}"


@dataclass(frozen=True)
class Peers:
    """The comparison set of one municipality in the book's newest year (``year``).

    ``main`` is the kind every «mot … i …» sentence and the service profile compare with;
    ``line_kinds`` and ``bar_kinds`` are the series a time-series chart and a one-year bar
    chart show unless a chapter asks for others.
    """

    kommune: str
    name: str
    year: int
    main: Kind
    asss_member: bool
    kostra: str | None = None  # EKGnn in ``year``
    kostra_description: str = ""  # SSB's words (KLASS 112), lower-cased for a sentence
    kostra_alone: bool = False  # the municipality is its KOSTRA group's only member
    kostra_size: int = 0  # members of the KOSTRA group in ``year``
    county_name: str = ""
    county_alone: bool = False
    neighbour_names: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The main comparison as a noun after «i»/«mot»: «ASSS-snittet», «KOSTRA-gruppe 11»,
        «landet»."""
        if self.main == Kind.ASSS_SNITT:
            return "ASSS-snittet"
        if self.main == Kind.KOSTRAGRUPPE and self.kostra:
            return kostra_name(self.kostra)
        return "landet"

    @property
    def members_label(self) -> str:
        """The members of the main comparison, for a rank: «ASSS-kommunene», «kommunene i
        KOSTRA-gruppe 11»; empty for Landet (no rank is given there)."""
        if self.main == Kind.ASSS_SNITT:
            return "ASSS-kommunene"
        if self.main == Kind.KOSTRAGRUPPE and self.kostra:
            return f"kommunene i {kostra_name(self.kostra)}"
        return ""

    @property
    def kostra_name(self) -> str:
        """«KOSTRA-gruppe 11»; empty without a KOSTRA group."""
        return kostra_name(self.kostra) if self.kostra else ""

    @property
    def kostra_text(self) -> str:
        """«KOSTRA-gruppe 11 (kommuner med …)», or the bare name without SSB's description."""
        if not self.kostra:
            return ""
        name = kostra_name(self.kostra)
        return f"{name} ({self.kostra_description})" if self.kostra_description else name

    @property
    def line_kinds(self) -> tuple[Kind, ...]:
        """The series of a time-series chart, in reading order."""
        if self.main == Kind.ASSS_SNITT:
            return (Kind.KOMMUNE, Kind.NABO, Kind.ASSS_SNITT, Kind.KOSTRAGRUPPE, Kind.LANDET)
        if self.main == Kind.KOSTRAGRUPPE:
            return (Kind.KOMMUNE, Kind.NABO, Kind.KOSTRAGRUPPE, Kind.FYLKE, Kind.LANDET)
        return (Kind.KOMMUNE, Kind.NABO, Kind.FYLKE, Kind.LANDET)

    @property
    def bar_kinds(self) -> tuple[Kind, ...]:
        """The bars of a one-year comparison: ASSS with highest and lowest only for members."""
        if self.asss_member:
            return tuple(Kind)
        return (
            Kind.KOMMUNE,
            Kind.NABO,
            Kind.KOSTRAGRUPPE,
            Kind.FYLKE,
            Kind.LANDET,
            Kind.LANDET_UTEN_OSLO,
        )

    def reason(self) -> str:
        """Why these peers, for the introduction (one or two sentences)."""
        n = self.name
        if self.asss_member:
            text = (
                f"{n} er med i ASSS, nettverket av de største kommunene, og sammenlignes derfor "
                "først med ASSS-snittet: kommuner av omtrent samme størrelse og med de samme "
                "oppgavene."
            )
            if self.kostra and self.kostra_alone:
                text += f" {n} er alene i {self.kostra_text}, så gruppen vises ikke som egen linje."
            elif self.kostra:
                text += f" {n} hører til {self.kostra_text}, som også vises."
            return text
        if self.main == Kind.KOSTRAGRUPPE:
            return (
                f"{n} er ikke med i ASSS, nettverket av de største byene, og sammenlignes derfor "
                f"først med sin KOSTRA-gruppe: {self.kostra_text}. SSB setter sammen "
                "KOSTRA-gruppene av kommuner med lignende folketall og økonomiske rammer, så "
                f"de {self.kostra_size} kommunene i gruppen ligner mer på {n} enn storbyene "
                "gjør."
            )
        return (
            f"{n} er ikke med i ASSS, og datagrunnlaget har ingen KOSTRA-gruppe med andre "
            f"kommuner for {n}, så boka sammenligner først med landet."
        )


def choose_peers(groups: Groups, year: int, name: str, region_name: Callable[[str], str]) -> Peers:
    """The comparison set of ``groups.kommune`` in ``year`` (the book's newest year).

    ``name`` is the municipality's name as the book writes it; ``region_name`` names a region
    code (neighbours, county).
    """
    member = groups.asss_member(year)
    kostra = groups.kostra.get(year)
    kostra_alone = groups.alone(Kind.KOSTRAGRUPPE, year)
    if member:
        main = Kind.ASSS_SNITT
    elif kostra and not kostra_alone:
        main = Kind.KOSTRAGRUPPE
    else:
        main = Kind.LANDET
    county = groups.county.get(year)
    return Peers(
        kommune=groups.kommune,
        name=name,
        year=year,
        main=main,
        asss_member=member,
        kostra=kostra,
        kostra_description=kostra_description(groups.kostra_labels.get(year, "")),
        kostra_alone=kostra_alone,
        kostra_size=len(groups.kostra_members.get(year, [])),
        county_name=region_name(county) if county else "",
        county_alone=groups.alone(Kind.FYLKE, year),
        neighbour_names=tuple(region_name(c) for c in groups.neighbours),
    )


def neighbours_text(peers: Peers) -> str:
    """«nabokommunen Asker» / «nabokommunene Kvitsøy og Bokn»; empty without neighbours."""
    names = peers.neighbour_names
    if not names:
        return ""
    return ("nabokommunen " if len(names) == 1 else "nabokommunene ") + and_list(list(names))


@dataclass(frozen=True)
class AsssDefinition:
    """The ASSS member set a book uses, year by year: one set per statistics year, and every
    comparison of the book with ASSS in a year uses that year's set (the ASSS average of the
    year, the ranked bars, and the growth from one year to a later year, which sums the
    members of the later year in both years).

    ``variant`` is the params' ``asss_variant`` (``regions.yaml``: ``default`` has the ten
    members to 2021 and twelve from 2022, with Asker and Lillestrøm; ``med_asker`` the eleven of
    the source documents in every year); ``members`` maps a year to the member codes
    (today's codes). Build it with :func:`asss_definition` or :func:`book_asss`.
    """

    variant: str
    members: Mapping[int, tuple[str, ...]]

    def of(self, year: int) -> tuple[str, ...]:
        """The members in ``year`` (empty for a year the definition does not cover)."""
        return self.members.get(year, ())

    def periods(self) -> list[tuple[int, int, tuple[str, ...]]]:
        """Runs of consecutive years with the same members: ``(first, last, members)``, e.g.
        ``[(2015, 2021, (…10…)), (2022, 2024, (…12…))]`` for ``default``."""
        runs: list[tuple[int, int, tuple[str, ...]]] = []
        for year in sorted(self.members):
            m = self.members[year]
            if runs and runs[-1][2] == m and runs[-1][1] == year - 1:
                runs[-1] = (runs[-1][0], year, m)
            else:
                runs.append((year, year, m))
        return runs

    def changes(self) -> bool:
        """Whether the members differ between the years covered."""
        return len({m for m in self.members.values()}) > 1

    def sizes_text(self) -> str:
        """The number of members by period, for a reader: «10 kommuner 2015–2021 og 12
        kommuner 2022–2024», or «11 kommuner» when the set never changes."""
        runs = self.periods()
        if len({m for _, _, m in runs}) == 1 and runs:
            return f"{len(runs[0][2])} kommuner"
        parts = [
            f"{len(m)} kommuner {a}" if a == b else f"{len(m)} kommuner {a}–{b}" for a, b, m in runs
        ]
        return and_list(parts)


def asss_definition(variant: str, years: Iterable[int]) -> AsssDefinition:
    """The ASSS members of ``variant`` (``regions.yaml``) for each of ``years``."""
    return AsssDefinition(
        variant, {int(y): tuple(asss_members(int(y), variant)) for y in sorted(set(years))}
    )


def book_asss(groups: Groups, years: Iterable[int] | None = None) -> AsssDefinition:
    """The ASSS definition of one book: its params' variant (``groups.asss_variant``) with
    the members of each of ``years`` (the book's years, ``Context.years``; default: every year
    ``groups`` has). What the landing page's overview names per book, and what every chapter of
    that book compares with."""
    wanted = sorted(groups.asss) if years is None else sorted({int(y) for y in years})
    return AsssDefinition(
        groups.asss_variant,
        {y: tuple(groups.asss.get(y) or asss_members(y, groups.asss_variant)) for y in wanted},
    )
