"""Words that follow numbers: a comparison or an amount is described only as the numbers say
(«lavere» only when the shown value is lower, «over halvparten» only above half), so a
«Hva betyr dette?» box or a main finding never says more than its figures."""

from __future__ import annotations

from navbok import status
from navbok.present.numbers import fmt_number

#: Values closer than this (relative to the comparison) are «på nivå med» it. This is the
#: book's one such rule: every level word (here, in the introduction and in
#: :func:`navbok.report.peers.compared`) comes from :func:`same_level`.
SAME_LEVEL = 0.02


def same_level(own: float, other: float, decimals: int) -> bool:
    """Whether ``own`` is on the level of ``other``: equal as shown at ``decimals`` decimals,
    or within :data:`SAME_LEVEL` of it."""
    if fmt_number(own, decimals) == fmt_number(other, decimals):
        return True
    return bool(other) and abs(own - other) <= SAME_LEVEL * abs(other)


def level_word(own: float, other: float, decimals: int) -> str:
    """«på nivå med» (:func:`same_level`), «lavere enn» or «høyere enn»; empty when either
    is missing. The chapters' «Hva betyr dette?» and the introduction say the same word for the
    same numbers."""
    if own != own or other != other:
        return ""
    if same_level(own, other, decimals):
        return "på nivå med"
    return "lavere enn" if own < other else "høyere enn"


def compare_word(
    own: float, other: float, label: str, decimals: int = 2, words: tuple[str, str] = ("", "")
) -> str:
    """How ``own`` compares with ``other`` (the value of ``label``): «lavere enn i
    ASSS-snittet (3,52)», «høyere enn i …», «på nivå med … (3,52)» (:func:`same_level`);
    «og tallet for … mangler» when ``other`` is missing. ``words`` replaces «lavere» and
    «høyere» (e.g. «kortere», «lengre»)."""
    if other != other:
        return f"og tallet for {label} mangler"
    shown_other = fmt_number(other, decimals)
    if same_level(own, other, decimals):
        return f"på nivå med {label} ({shown_other})"
    low, high = (words[0] or "lavere", words[1] or "høyere")
    return f"{low if own < other else high} enn i {label} ({shown_other})"


def share_words(part: float, whole: float) -> str:
    """How large a part of a whole is, in words that never overstate it: «alle», «over
    halvparten», «halvparten», «under halvparten», «ingen»."""
    if not whole or part != part or whole != whole:
        return ""
    if part >= whole:
        return "alle"
    if part <= 0:
        return "ingen"
    if 2 * part > whole:
        return "over halvparten"
    if 2 * part == whole:
        return "halvparten"
    return "under halvparten"


def trend_words(first: float, last: float, decimals: int) -> str:
    """«økte», «gikk ned» or «var uendret» from ``first`` to ``last`` as shown at
    ``decimals`` decimals."""
    if fmt_number(first, decimals) == fmt_number(last, decimals):
        return "var uendret"
    return "økte" if last > first else "gikk ned"


#: Words from the maintainers' notes that never belong in the reader's text (how a number was
#: read from a picture, where the code looked for a content): a data file keeps such remarks in
#: ``# internal:`` lines, which the book does not show; the reader gets «usikker avlesning».
NOT_FOR_READERS = ("OCR", "metadata")


def for_readers(text: str) -> bool:
    """Whether ``text`` is free of :data:`NOT_FOR_READERS`."""
    return not any(word.lower() in text.lower() for word in NOT_FOR_READERS)


def gap_words(symbol: str | None) -> str:
    """What a missing value's symbol says, as a verb phrase: «er skjult av personvernhensyn»
    for ``:``, «mangler» for anything else."""
    return "er skjult av personvernhensyn" if symbol == status.SUPPRESSED else "mangler"
