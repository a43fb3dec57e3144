"""Cache keys of a build: content-addressed, so a build redoes only what changed.

A chapter's key covers the chapter's text, the municipality's params, the snapshot checksum
and navbok's code (:func:`code_fingerprint`: its own files and the versions of the libraries
that shape a page). :mod:`navbok.builder.plan` compares them with the last good build's.
"""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # the navbok package: its files are in the key
KEY_VERSION = "1"
# Libraries whose version changes what a page looks like.
VERSIONED = (
    "jupyter-book",
    "sphinx",
    "sphinx-book-theme",
    "pydata-sphinx-theme",
    "myst-nb",
    "papermill",
    "jupytext",
    "altair",
    "vl-convert-python",
    "pandas",
    "openpyxl",
    "babel",
)

_FINGERPRINT: str | None = None


def code_fingerprint() -> str:
    """A hash of navbok's own files and the versions of the libraries that shape a page."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        h = hashlib.sha256(KEY_VERSION.encode())
        for path in sorted(PACKAGE.rglob("*")):
            if path.is_file() and path.suffix in {
                ".py",
                ".yaml",
                ".yml",
                ".css",
                ".js",
                ".json",
                ".po",
            }:
                h.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
                h.update(path.read_bytes())
        for dist in VERSIONED:
            try:
                h.update(f"{dist}={metadata.version(dist)}\n".encode())
            except metadata.PackageNotFoundError:
                h.update(f"{dist}=-\n".encode())
        _FINGERPRINT = h.hexdigest()
    return _FINGERPRINT


def digest(*parts: str | bytes) -> str:
    """SHA-256 of ``parts``, each followed by a NUL byte."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def chapter_key(rel: str, source: bytes, *base: str) -> str:
    """A chapter's cache key: its path and text (the ``.md`` bytes, not the staged notebook),
    plus ``base`` (the municipality's params, the snapshot checksum, the code fingerprint)."""
    return digest(rel, source, *base)


#: The book's shared texts, relative to the project root: templates the package fills for
#: every chapter (the source box's words), so a chapter's page depends on them.
SHARED_TEXTS = Path("chapters") / "_tekster"


def shared_texts_key(root: Path) -> str:
    """A hash of the book's shared texts (:data:`SHARED_TEXTS` under ``root``): part of every
    chapter's key, so that changing a word of the source box builds the chapters again."""
    folder = root / SHARED_TEXTS
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    return digest(
        *(part for p in files for part in (p.relative_to(root).as_posix(), p.read_bytes()))
    )
