"""The growth chapter's words: the decomposition of the payouts' change told with the verbs and
quantity words the numbers support (a fall is «falt», a share just over half is «det meste», a
part larger than the whole change is «mer enn hele»), and no share at all where the counts are
small or the change is near zero (:meth:`navbok.analysis.decomposition.Decomposition.
shares_withheld`: the reader is told why instead).

Prose says «prosent» and «prosentpoeng» in words, never «%» (tables and charts use «%»)."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

import pandas as pd

from navbok.analysis import growth
from navbok.analysis.decomposition import (
    ESTIMATED,
    FEW_RECIPIENTS,
    MAX_SHARE,
    MIN_RECIPIENTS,
    NEAR_ZERO,
)
from navbok.present.numbers import fmt_number
from navbok.present.prose import and_list

#: What each component's rise and fall mean, in words.
RISE = {
    "N": "flere mottakere",
    "L": "lengre stønadsperioder",
    "P": "høyere utbetaling per stønadsmåned",
}
FALL = {"N": "færre mottakere", "L": "kortere stønadsperioder", "P": "lavere utbetaling per måned"}


def share_words(share: float) -> str:
    """How much of a change one part accounts for, in words the number supports.

    ``share`` is the part's share of the whole change (0.36 = 36 %), judged as the reader sees
    it, rounded to whole percent:

    * over 100 % → «mer enn hele»: the part alone is larger than the change;
    * over 50 % → «det meste»;
    * exactly 50 % → «halvparten»;
    * otherwise → «den største delen» (the caller names the largest part only).

    A missing share gives «en ukjent del».
    """
    if share != share:
        return "en ukjent del"
    pct = int((Decimal(str(100 * share)) + Decimal("0.5")).to_integral_value(ROUND_FLOOR))
    if pct > 100:
        return "mer enn hele"
    if pct > 50:
        return "det meste"
    if pct == 50:
        return "halvparten"
    return "den største delen"


def _main_part(d: growth.Decomposition) -> tuple[str, float]:
    """The component that moved most in the direction of the total change, and its share of
    that change (NaN when the total did not change)."""
    comps = {"N": d.g_N, "L": d.g_L, "P": d.g_P}
    pick = max if d.g_T >= 0 else min
    top = pick(comps, key=lambda k: comps[k])
    return top, (comps[top] / d.g_T if d.g_T else float("nan"))


def driver(d: growth.Decomposition) -> str:
    """Which component moved most in the direction of the total change, in words."""
    if d.status is not None:
        return "ukjent (tall mangler)"
    top, _ = _main_part(d)
    return (RISE if d.g_T >= 0 else FALL)[top]


def _rounds_to_zero(g: float, decimals: int = 1) -> bool:
    """Whether the growth ``g`` is printed as 0 (as a percent with ``decimals`` decimals)."""
    return fmt_number(100 * abs(g), decimals) == fmt_number(0, decimals)


def pct(value: float, decimals: int = 1) -> str:
    """A percentage for prose: «40,6 prosent» (``value`` on the 0–100 scale)."""
    return f"{fmt_number(value, decimals)} prosent"


def _signed_pct(value: float, decimals: int = 1) -> str:
    """«+117,0 prosent», «−58,2 prosent» (``value`` on the 0–100 scale)."""
    sign = "+" if value > 0 and not _rounds_to_zero(value / 100, decimals) else ""
    return f"{sign}{fmt_number(value, decimals)} prosent"


def _move(g: float, up: str = "økte", down: str = "falt") -> str:
    """«økte med 4,1 prosent», «falt med 2,0 prosent» or «var uendret» (rounds to 0,0)."""
    if _rounds_to_zero(g):
        return "var uendret"
    return f"{up if g > 0 else down} med {pct(100 * abs(g), 1)}"


def _count_move(d: growth.Decomposition) -> str:
    """«økte fra 11 til 14», «falt fra 24 til 9» or «var uendret (14)»: the recipients as
    counts, for few recipients."""
    n0, n1 = fmt_number(d.N0, 0), fmt_number(d.N1, 0)
    if n0 == n1:
        return f"var uendret ({n0})"
    return f"{'økte' if d.N1 > d.N0 else 'falt'} fra {n0} til {n1}"


def _opposed(d: growth.Decomposition) -> str:
    """«høyere utbetaling per stønadsmåned trakk opp, kortere stønadsperioder trakk ned»: the
    components that rose and fell (those printed as 0,0 left out)."""
    comps = {"N": d.g_N, "L": d.g_L, "P": d.g_P}
    up = [RISE[k] for k, v in comps.items() if v > 0 and not _rounds_to_zero(v)]
    down = [FALL[k] for k, v in comps.items() if v < 0 and not _rounds_to_zero(v)]
    parts = [f"{' og '.join(up)} trakk opp"] if up else []
    parts += [f"{' og '.join(down)} trakk ned"] if down else []
    return ", ".join(parts)


def max_share_text() -> str:
    """:data:`~navbok.analysis.decomposition.MAX_SHARE` as the text says it («2»)."""
    return fmt_number(MAX_SHARE, 0 if float(MAX_SHARE).is_integer() else 1)


def shares_rule() -> str:
    """The rule for when the growth is not shared out in percent, for the reader (the
    chapter's «Slik regner vi» and the decomposition table's note), from the constants of
    :mod:`navbok.analysis.decomposition`."""
    return (
        f"Boka deler ikke veksten i andeler når en region har færre enn {MIN_RECIPIENTS} "
        f"mottakere i ett av årene, eller når én komponent er mer enn {max_share_text()} ganger "
        "så stor som hele endringen: da blir andelene store tall som skifter med små endringer "
        "i totalen. Heller ikke når tallene for et av årene er anslag fordelt etter folketall "
        "fra en kommune som senere ble delt."
    )


def withheld_reason(d: growth.Decomposition, short: bool = False) -> str:
    """Why the growth is not shared out in percent, as a sentence for the reader (empty when
    shares are given): few recipients, or a change near zero beside its components.
    ``short``: one sentence, for the main findings."""
    why = d.shares_withheld()
    if why == ESTIMATED:
        years = and_list([str(y) for y in d.estimated])
        return (
            f"Tallene for {years} er anslag: de er fordelt etter folketall fra en kommune som "
            "senere ble delt, så stønadslengden og utbetalingen per måned er den gamle "
            "kommunens. Boka deler derfor ikke veksten i andeler."
        )
    if short and why == FEW_RECIPIENTS:
        return (
            f"Med så få mottakere ({fmt_number(d.N0, 0)} i {d.year0} og {fmt_number(d.N1, 0)} "
            f"i {d.year1}) deler boka ikke veksten i andeler."
        )
    if short and why == NEAR_ZERO and _opposed(d):
        return f"Komponentene trakk hver sin vei: {_opposed(d)}."
    if why == FEW_RECIPIENTS:
        return (
            f"Med så få mottakere ({fmt_number(d.N0, 0)} i {d.year0} og {fmt_number(d.N1, 0)} "
            f"i {d.year1}) flytter én person mer eller mindre tallene med flere prosent, så "
            f"boka deler ikke veksten i andeler (det gjør den bare med minst {MIN_RECIPIENTS} "
            "mottakere begge år)."
        )
    if why == NEAR_ZERO:
        times = max_share_text()
        opposed = _opposed(d)
        return (
            (f"Komponentene trakk hver sin vei: {opposed}. " if opposed else "")
            + f"Minst én av dem er mer enn {times} ganger så stor som hele endringen, så boka "
            "deler ikke endringen i andeler: de ville blitt store tall som skifter med små "
            "endringer i totalen."
        )
    return ""


def _driver_sentence(d: growth.Decomposition) -> str:
    """Where the change came from, with the quantity word the share supports (empty when the
    total did not change)."""
    if d.status is not None or _rounds_to_zero(d.g_T):
        return ""
    if d.shares_withheld():
        return withheld_reason(d)
    rising = d.g_T > 0
    change = "veksten" if rising else "nedgangen"
    top, share = _main_part(d)
    what = (RISE if rising else FALL)[top]
    words = share_words(share)
    comps = {"N": d.g_N, "L": d.g_L, "P": d.g_P}
    if words == "mer enn hele":
        against = [k for k, v in comps.items() if (v < 0 if rising else v > 0)]
        pulled = " og ".join((FALL if rising else RISE)[k] for k in against)
        return (
            f"{change.capitalize()} kom fra {what}, som alene tilsvarer mer enn hele {change}"
            + (f"; {pulled} trakk {'ned' if rising else 'opp'}." if pulled else ".")
        )
    return (
        f"{words[0].upper()}{words[1:]} av {change} kom fra {what}: denne komponenten alene "
        f"tilsvarer {pct(100 * share, 0)} av {change} "
        f"({pct(100 * d.lmdi_shares[top], 0)} med logaritmisk dekomponering)."
    )


def _total_sentence(name: str, d: growth.Decomposition) -> str:
    """The total change of the payouts in one sentence."""
    if _rounds_to_zero(d.g_T):
        return f"Fra {d.year0} til {d.year1} var de samlede utbetalingene i {name} uendret."
    return (
        f"Fra {d.year0} til {d.year1} {'økte' if d.g_T > 0 else 'falt'} de samlede "
        f"utbetalingene i {name} med {pct(100 * abs(d.g_T), 1)}."
    )


def growth_finding(name: str, d: growth.Decomposition) -> str:
    """The change and where it came from (the chapter's decomposition paragraph opens so)."""
    if d.status is not None:
        return (
            f"Veksten i utbetalingene i {name} fra {d.year0} til {d.year1} kan ikke "
            "dekomponeres: tallene er skjult av personvernhensyn eller mangler."
        )
    return " ".join(t for t in (_total_sentence(name, d), _driver_sentence(d)) if t)


def headline_finding(
    name: str, d: growth.Decomposition, real: growth.Decomposition | None = None, prices: str = ""
) -> str:
    """The growth finding of the introduction and the print summary: the period the chapter
    concludes on (``d``), said with its years and in **nominal kroner**, and in real terms
    beside it when the book has a price index (``real``: the same period deflated, ``prices``:
    how the index is named); then where the change came from, or why that is not said.
    Empty when the period cannot be decomposed."""
    if d.status is not None:
        return ""
    if _rounds_to_zero(d.g_T):
        total = (
            f"Fra {d.year0} til {d.year1} var de samlede sosialhjelpsutbetalingene "
            f"i {name} uendret i nominelle kroner"
        )
    else:
        total = (
            f"Fra {d.year0} til {d.year1} {'økte' if d.g_T > 0 else 'falt'} de samlede "
            f"sosialhjelpsutbetalingene i {name} med {pct(100 * abs(d.g_T), 1)} i "
            "nominelle kroner"
        )
    if real is not None and real.status is None:
        total += (
            f", {_signed_pct(100 * real.g_T, 1).lstrip('+')} i faste {d.year1}-kroner"
            + (f" ({prices})" if prices else "")
            + "."
        )
    else:
        total += " (ikke justert for prisstigning)."
    source = withheld_reason(d, short=True) if d.shares_withheld() else _driver_sentence(d)
    return " ".join(t for t in (total, source) if t)


def growth_paragraph(
    name: str, d: growth.Decomposition, g_asss: float, group: str = "ASSS-kommunene samlet"
) -> str:
    """The decomposition in words, with the right verb for falls, quantity words the shares
    support (:func:`share_words`) and the comparison to ``group`` (ASSS, or the KOSTRA group
    outside ASSS, members summed) whose growth is ``g_asss``."""
    if d.status is not None:
        return growth_finding(name, d)
    recipients = _count_move(d) if d.shares_withheld() == FEW_RECIPIENTS else _move(d.g_N)
    text = (
        f"{_total_sentence(name, d)} "
        f"Antall mottakere {recipients}, stønadslengden (måneder per mottaker) "
        f"{_move(d.g_L)} og utbetalingen per stønadsmåned {_move(d.g_P)}; "
        f"kombinasjonseffekten var {fmt_number(100 * d.combination, 1)} prosentpoeng."
    )
    source = _driver_sentence(d)
    if source:
        text += " " + source
    if g_asss == g_asss:
        diff = 100 * (g_asss - d.g_T)
        if round(diff, 1) == 0:
            text += f" {group[0].upper()}{group[1:]} {_move(g_asss)}, det samme som {name}."
        else:
            cmp = "høyere" if diff > 0 else "lavere"
            text += (
                f" {group[0].upper()}{group[1:]} {_move(g_asss)}; veksten der var "
                f"{fmt_number(abs(diff), 1)} prosentpoeng {cmp} enn i {name}."
            )
    return text


def annual_sentence(name: str, rows: pd.DataFrame) -> str:
    """The largest annual rise and fall in words (or why there are none)."""
    ok = rows[rows["status"].isna() & rows["g_T"].notna()]
    if ok.empty:
        return f"Årlig vekst kan ikke regnes ut for {name}: tallene er skjult eller mangler."
    hi = ok.loc[ok["g_T"].idxmax()]
    lo = ok.loc[ok["g_T"].idxmin()]

    def period(r: pd.Series) -> str:
        return f"{int(r['year0'])}–{int(r['year1'])} ({_signed_pct(100 * r['g_T'], 1)})"

    if hi["g_T"] <= 0:
        return (
            f"Utbetalingene i {name} økte ikke fra noe år til det neste. Den minste nedgangen "
            f"var {period(hi)}, den største {period(lo)}."
        )
    text = f"Den største økningen fra ett år til det neste var {period(hi)}"
    if lo["g_T"] < 0:
        text += f", den største nedgangen {period(lo)}"
    return text + "."


#: What a component that drove the change points to, for «Hva betyr dette?».
POINTS_TO = {
    ("L", True): "Lengre stønadsperioder peker mot at flere blir værende på stønad. Kapitlet om "
    "langtidsmottakere viser hvem det gjelder; spør hva som hindrer overgangen til arbeid, "
    "til arbeidsavklaringspenger eller til kvalifiseringsprogrammet.",
    ("L", False): "Kortere stønadsperioder peker mot raskere overgang fra stønad. Det er verdt "
    "å sjekke hva mottakerne går over til: arbeid, utdanning eller en annen ytelse.",
    ("N", True): "Når veksten kommer fra flere mottakere, er spørsmålet hvem de nye er: sjekk "
    "aldersgruppene (18–24 og 25–66 år) i tabellene over, og om arbeidsledigheten eller "
    "bosettingen av flyktninger har økt i kommunen i perioden.",
    ("N", False): "Når nedgangen kommer fra færre mottakere, er det verdt å sjekke om færre "
    "søker eller flere får avslag, og om nedgangen gjelder alle aldersgruppene.",
    ("P", True): "Utbetalingen per stønadsmåned følger satsene, boutgiftene og prisstigningen: "
    "sammenlign veksten med prisstigningen i perioden, og spør om boutgiftene i kommunen har "
    "steget mer enn ellers.",
    ("P", False): "Lavere utbetaling per stønadsmåned kan komme av lavere boutgifter, av flere "
    "mottakere med en annen inntekt ved siden av, eller av at stønaden dekker mindre av "
    "livsoppholdet; sjekk kommunens veiledende satser for perioden.",
}


def growth_meaning(name: str, level: str, d: growth.Decomposition) -> str:
    """«Hva betyr dette?» for the growth chapter: ``level`` (a sentence on the level), the
    change in the period and the component that drove it, with the quantity word its share
    supports, and what that component points to."""
    if d.status is not None:
        return (
            f"{level} Veksten fra {d.year0} til {d.year1} kan ikke deles opp, fordi tallene er "
            "skjult av personvernhensyn eller mangler."
        )
    text = f"{level} {_total_sentence(name, d)}"
    if _rounds_to_zero(d.g_T):
        return text
    if d.shares_withheld():
        return f"{text} {withheld_reason(d)}"
    rising = d.g_T > 0
    change = "veksten" if rising else "nedgangen"
    top, share = _main_part(d)
    what = (RISE if rising else FALL)[top]
    words = share_words(share)
    if words == "mer enn hele":
        text += f" {what[0].upper()}{what[1:]} alene tilsvarer mer enn hele {change}."
    elif words == "den største delen":
        text += (
            f" Den største delen av {change} kom fra {what}, men ikke det meste "
            f"({pct(100 * share, 0)})."
        )
    else:
        text += f" {words[0].upper()}{words[1:]} av {change} kom fra {what}."
    return f"{text} {POINTS_TO[(top, rising)]}"
