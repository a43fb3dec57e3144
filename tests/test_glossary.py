"""The glossary (``chapters/ordliste.md``) and the chapters' links to it: every ``{term}``
link names a glossary term, the chapters link to it, and the terms the book uses are there."""

from __future__ import annotations

import re
from pathlib import Path

CHAPTERS = Path(__file__).resolve().parents[1] / "chapters"
#: A MyST term link: {term}`Term` or {term}`shown words <Term>`.
TERM = re.compile(r"\{term\}`(?:[^`<]*<([^>`]+)>|([^`<]+))`")


def glossary_terms(text: str) -> set[str]:
    """The terms of the ``{glossary}`` block: unindented lines inside it (stacked lines are
    synonyms of one entry)."""
    block = text.split("```{glossary}", 1)[1].split("\n```", 1)[0]
    return {ln.strip() for ln in block.splitlines() if ln.strip() and not ln.startswith(" ")}


def term_links(text: str) -> list[str]:
    """The glossary terms a chapter's text links to."""
    return [(a or b).strip() for a, b in TERM.findall(text)]


def test_term_links_are_read_from_both_forms() -> None:
    text = "{term}`AAP` og {term}`forholdstallet <Forholdstall>`."
    assert term_links(text) == ["AAP", "Forholdstall"]
    assert glossary_terms("```{glossary}\nA\nB\n  def\n\nC\n  def\n```\n") == {"A", "B", "C"}


def test_every_term_link_resolves_and_the_chapters_link_to_the_glossary() -> None:
    terms = glossary_terms((CHAPTERS / "ordliste.md").read_text("utf-8"))
    for name in ("aap", "langtidsmottakere", "kvp", "kommunebarometer"):
        links = term_links((CHAPTERS / f"{name}.md").read_text("utf-8"))
        assert links, f"{name}.md links to no glossary term"
        assert set(links) <= terms, (name, set(links) - terms)


def test_the_glossary_has_the_terms_the_book_uses() -> None:
    terms = glossary_terms((CHAPTERS / "ordliste.md").read_text("utf-8"))
    wanted = {
        "Forholdstall", "Tjenesteprofil", "Dekningsgrad", "Netto driftsutgifter",
        "Funksjon 242", "Funksjon 243", "Funksjon 273", "Landet uten Oslo", "Persentil",
        "Grense for karakter 6 og 1", "SOS01–SOS11", "Kommune-Norge", "Usikker avlesning",
    }  # fmt: skip
    assert wanted <= terms, wanted - terms
