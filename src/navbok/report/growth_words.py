"""The growth chapter's rules (``chapters/utbetalingsvekst.md`` holds its sentences): which way
a change went, which part of it drove it and with which quantity word its share may be told (a
share just over half is «over halvparten», the chapter's «det meste»; a part larger than the
whole change is «mer enn hele»), and when no share is told at all because the counts are small
or the change is near zero (:meth:`navbok.analysis.decomposition.Decomposition.
shares_withheld`: the chapter says why instead).

The introduction's growth finding (:func:`headline_finding`) is still written here: the
introduction takes it as a sentence.

Prose says «prosent» and «prosentpoeng» in words, never «%» (tables and charts use «%»)."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal
from typing import Any

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
from navbok.present.shown import Shown, shown
from navbok.report.words import share_words

#: What each component's rise and fall mean, in words (vocabulary the chapter's sentences and
#: the introduction's finding put in their places).
RISE = {
    "N": "flere mottakere",
    "L": "lengre stønadsperioder",
    "P": "høyere utbetaling per stønadsmåned",
}
FALL = {"N": "færre mottakere", "L": "kortere stønadsperioder", "P": "lavere utbetaling per måned"}

#: The part that alone is larger than the whole change (:func:`share_case`).
MORE_THAN_ALL = "mer enn hele"


def whole_percent(share: float) -> int:
    """``share`` (0.36 = 36 %) in whole percent as the reader sees it (rounded half up)."""
    return int((Decimal(str(100 * share)) + Decimal("0.5")).to_integral_value(ROUND_FLOOR))


def share_case(share: float) -> str:
    """How much of a change one part accounts for, judged as the reader sees the share (whole
    percent): :func:`navbok.report.words.share_words` of that percent of 100 («alle», «over
    halvparten», «halvparten», «under halvparten», «ingen»), except that a part larger than the
    whole change is :data:`MORE_THAN_ALL`; empty when the share is missing."""
    if share != share:
        return ""
    pct = whole_percent(share)
    if pct > 100:
        return MORE_THAN_ALL
    return share_words(pct, 100)


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
    return f"{signed(value, decimals)} prosent"


def signed(value: float, decimals: int = 1) -> Shown:
    """A change shown with its sign: «+117,0», «−58,2», «0,0» (``value`` on the 0–100 scale)."""
    plain = shown(value, decimals)
    if value > 0 and not _rounds_to_zero(value / 100, decimals):
        return Shown(plain.value, plain.status, f"+{plain.text}")
    return plain


def movement(g: float) -> dict[str, Any]:
    """Which way a growth rate ``g`` went as the reader sees it with one decimal: ``retning``
    «opp», «ned» or «uendret» (printed as 0,0), and ``prosent``, its size in percent."""
    way = "uendret" if _rounds_to_zero(g) else ("opp" if g > 0 else "ned")
    return {"retning": way, "prosent": shown(100 * abs(g), 1)}


def opposed(d: growth.Decomposition) -> dict[str, list[str]]:
    """The components that rose (``opp``) and fell (``ned``), in words (those printed as 0,0
    left out)."""
    comps = {"N": d.g_N, "L": d.g_L, "P": d.g_P}
    return {
        "opp": [RISE[k] for k, v in comps.items() if v > 0 and not _rounds_to_zero(v)],
        "ned": [FALL[k] for k, v in comps.items() if v < 0 and not _rounds_to_zero(v)],
    }


def _opposed(d: growth.Decomposition) -> str:
    """«høyere utbetaling per stønadsmåned trakk opp, kortere stønadsperioder trakk ned»."""
    way = opposed(d)
    parts = [f"{' og '.join(way['opp'])} trakk opp"] if way["opp"] else []
    parts += [f"{' og '.join(way['ned'])} trakk ned"] if way["ned"] else []
    return ", ".join(parts)


def max_share_text() -> str:
    """:data:`~navbok.analysis.decomposition.MAX_SHARE` as the text says it («2»)."""
    return fmt_number(MAX_SHARE, 0 if float(MAX_SHARE).is_integer() else 1)


def shares_rule_slots() -> dict[str, Any]:
    """The numbers of the rule for when the growth is not shared out in percent (the chapter's
    «Slik regner vi»): ``min_mottakere`` and ``ganger``, from the constants of
    :mod:`navbok.analysis.decomposition`."""
    return {
        "min_mottakere": MIN_RECIPIENTS,
        "ganger": shown(MAX_SHARE, int(max_share_text() != fmt_number(MAX_SHARE, 0))),
    }


#: Why no share is told, by :meth:`~navbok.analysis.decomposition.Decomposition.shares_withheld`
#: (the chapter's case names).
WITHHELD = {ESTIMATED: "anslag", FEW_RECIPIENTS: "faa", NEAR_ZERO: "naer_null"}


def source_case(d: growth.Decomposition) -> str:
    """Which of the chapter's sentences on where the change came from applies: empty (the
    decomposition failed or the total is printed as 0,0), ``anslag``, ``faa``, ``naer_null``
    (no share is told, :data:`WITHHELD`), else the main part's :func:`share_case`."""
    if d.status is not None or _rounds_to_zero(d.g_T):
        return ""
    why = d.shares_withheld()
    if why:
        return WITHHELD[why]
    return share_case(_main_part(d)[1])


def decomposition_slots(d: growth.Decomposition, g_group: float = float("nan")) -> dict[str, Any]:
    """What the chapter's decomposition paragraph and «Hva betyr dette?» need of ``d``: the
    years, ``ok`` (it could be computed), the movement of the total and of each component
    (:func:`movement`), the recipients as counts (``fra``, ``til``; ``antall``: which way they
    went; ``faa``: told so because they are few), the combination effect in percentage points
    (``komb``), ``kilde`` (:func:`source_case`), ``stiger`` (the total rose), the main part
    (``del``: N, L or P; ``hva``: in words; ``andel``, ``lmdi``: its shares in percent), the
    parts pulling the other way (``mot``), ``opp``/``ned`` (:func:`opposed`), the estimated
    years (``anslag``), and the comparison group's growth ``g_group`` against ``d``
    (``gruppe``: its ``bevegelse``, ``retning`` «hoyere», «lavere» or «samme», ``forskjell`` in
    percentage points; ``None`` when the group has no number)."""
    out: dict[str, Any] = {
        "ok": d.status is None,
        "aar0": str(d.year0),
        "aar1": str(d.year1),
        "kilde": source_case(d),
        "faa": d.shares_withheld() == FEW_RECIPIENTS,
    }
    if d.status is not None:
        return out
    rising = d.g_T > 0
    top, share = _main_part(d)
    comps = {"N": d.g_N, "L": d.g_L, "P": d.g_P}
    out |= {
        "total": movement(d.g_T),
        "mottakere": movement(d.g_N),
        "lengde": movement(d.g_L),
        "per_maaned": movement(d.g_P),
        "fra": shown(d.N0, 0),
        "til": shown(d.N1, 0),
        "antall": "uendret"
        if fmt_number(d.N0, 0) == fmt_number(d.N1, 0)
        else ("opp" if d.N1 > d.N0 else "ned"),
        "komb": shown(100 * d.combination, 1),
        "stiger": bool(rising),
        "del": top,
        "hva": (RISE if d.g_T >= 0 else FALL)[top],
        "andel": shown(100 * share, 0),
        "lmdi": shown(100 * d.lmdi_shares[top], 0),
        "mot": [
            (FALL if rising else RISE)[k] for k, v in comps.items() if (v < 0 if rising else v > 0)
        ],
        "anslag": and_list([str(y) for y in d.estimated]),
        "gruppe": None,
    } | opposed(d)
    if g_group == g_group:
        diff = 100 * (g_group - d.g_T)
        out["gruppe"] = {
            "bevegelse": movement(g_group),
            "retning": "samme" if round(diff, 1) == 0 else ("hoyere" if diff > 0 else "lavere"),
            "forskjell": shown(abs(diff), 1),
        }
    return out


def annual_slots(rows: pd.DataFrame) -> dict[str, Any]:
    """The largest annual rise (``hoyest``) and fall (``lavest``) of ``rows`` (years and signed
    growth in percent), ``ingen_vekst`` when no year rose, ``nedgang`` when some year fell;
    ``ok`` false when no year has a number."""
    ok = rows[rows["status"].isna() & rows["g_T"].notna()]
    if ok.empty:
        return {"ok": False}

    def period(r: pd.Series) -> dict[str, Any]:
        return {
            "aar0": str(int(r["year0"])),
            "aar1": str(int(r["year1"])),
            "vekst": signed(100 * r["g_T"], 1),
        }

    hi = ok.loc[ok["g_T"].idxmax()]
    lo = ok.loc[ok["g_T"].idxmin()]
    return {
        "ok": True,
        "hoyest": period(hi),
        "lavest": period(lo),
        "ingen_vekst": bool(hi["g_T"] <= 0),
        "nedgang": bool(lo["g_T"] < 0),
    }


# ---------------------------------------------------------------- the introduction's finding


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
    case = share_case(share)
    words = {"alle": "det meste", "over halvparten": "det meste", "halvparten": "halvparten"}.get(
        case, "den største delen"
    )
    comps = {"N": d.g_N, "L": d.g_L, "P": d.g_P}
    if case == MORE_THAN_ALL:
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
