"""The Norwegian search stemmer, memoised for the process (≈ 8 % of a render).

Replaces ``sphinx.search.no.SearchNorwegian.stem``. It runs the Snowball stemmer on every word
of every page, and Sphinx memoises it only per document. The replacement keeps stems
process-wide (an LRU of 2**16 words), computed exactly as the original does
(``stemmer.stemWord(word.lower())`` with a ``snowballstemmer.stemmer("norwegian")``).

Why the pages are identical: a stem depends on nothing but the word.
"""

from __future__ import annotations

import functools

from navbok.builder.speedups import scope

NAME = "norsk-ordstamme"
TESTED = {"sphinx": "7.4.7", "snowballstemmer": "3.1.1"}
_INSTALLED = False


def install() -> None:
    """Patch ``SearchNorwegian.stem`` (once); the memo is the patched function's ``cache``."""
    global _INSTALLED
    if _INSTALLED:
        return
    import snowballstemmer
    from sphinx.search.no import SearchNorwegian

    original_stem = SearchNorwegian.stem
    stemmer = snowballstemmer.stemmer("norwegian")  # only used inside a render (one at a time)

    @functools.lru_cache(maxsize=2**16)
    def stem_word(word: str) -> str:
        return stemmer.stemWord(word)

    @functools.wraps(original_stem)
    def stem(self: SearchNorwegian, word: str) -> str:
        if not scope.in_render():
            return original_stem(self, word)
        return stem_word(word.lower())  # what the original does, memoised

    stem.cache = stem_word  # type: ignore[attr-defined]
    SearchNorwegian.stem = stem  # type: ignore[method-assign]
    _INSTALLED = True
