"""The chapters' use of the main comparison (:mod:`navbok.peers`, ``Context.peers``): the
municipalities a ranked bar shows (the ASSS members for a member, otherwise the members of its
KOSTRA group) and the comparison a «Hva betyr dette?» sentence names."""

from __future__ import annotations

from dataclasses import dataclass

from navbok.comparison import Kind
from navbok.report.context import Context
from navbok.report.words import level_word


@dataclass(frozen=True)
class PeerSet:
    """``members`` (codes, the municipality included) and how the book names them."""

    label: str  # «ASSS-kommunene», «kommunene i KOSTRA-gruppe 8»
    members: list[str]
    kind: Kind  # the main comparison: ASSS_SNITT or KOSTRAGRUPPE


def peer_set(ctx: Context, year: int) -> PeerSet | None:
    """The members of the municipality's main comparison in ``year``: ASSS for a member, its
    KOSTRA group otherwise; ``None`` when the main comparison is Landet (no group to rank
    in)."""
    peers = ctx.peers
    if ctx.main_kind == Kind.ASSS_SNITT:
        members = list(ctx.groups.asss.get(year, []))
        if ctx.kommune not in members:
            members.append(ctx.kommune)
        return PeerSet(peers.members_label, members, Kind.ASSS_SNITT)
    if ctx.main_kind == Kind.KOSTRAGRUPPE:
        members = list(ctx.groups.kostra_members.get(year, []))
        if len(members) > 1:
            group = ctx.data.name(ctx.groups.kostra[year])
            return PeerSet(f"kommunene i {group}", members, Kind.KOSTRAGRUPPE)
    return None


def main_kind(ctx: Context, year: int) -> tuple[Kind, str]:
    """The comparison a chapter's summary compares with and its name in a sentence
    («ASSS-snittet», «KOSTRA-gruppe 8», «landet»): the core's main comparison."""
    return ctx.main_kind, ctx.peers.label


def compared(own: float, other: float, decimals: int) -> str:
    """«høyere enn», «lavere enn» or «på nivå med»: the book's one rule,
    :func:`navbok.report.words.level_word` (empty when either is missing)."""
    return level_word(own, other, decimals)
