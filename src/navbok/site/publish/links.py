"""The links in a published page and style sheet: where they are, and which stay inside.

One reader for both :mod:`navbok.site.publish.folder` (which rewrites them) and
:mod:`navbok.site.publish.check` (which follows them): an HTML attribute ``href``/``src``/``srcset``
in double quotes, a ``<meta http-equiv="Refresh">`` target, a CSS ``url(…)`` or ``@import``.
Sphinx and navbok write every attribute in double quotes; what a page shows as text is
escaped, so a quoted attribute value is never data.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

__all__ = ["CSS_REF", "HTML_REF", "REFRESH", "find_refresh", "is_local", "local_path"]

#: ``href="…"`` / ``src="…"`` in a tag (group 1 the attribute, group 2 the value); the match
#: starts with the white space before the attribute. (The same matches as a look-behind
#: ``(?<=\s)``, which would make the search twice as slow: a match ends with ``"``, so the white
#: space before the next one is never inside the one before.)
HTML_REF = re.compile(r'\s(href|src)="([^"]*)"')
#: The target of a redirect page (group 2; group 1 what comes before it). Searched with
#: :func:`find_refresh` (a case-insensitive search reads a long page slowly).
REFRESH = re.compile(r'(http-equiv="Refresh"\s+content="\d+;\s*url=)([^"]+)"', re.IGNORECASE)
#: What every match of :data:`REFRESH` holds: no letters, so no case to fold — a quick search.
_REFRESH_HINT = re.compile(r'="\d+;')
#: ``url(…)`` and ``@import "…"`` in CSS (group 1 or group 2 the value).
CSS_REF = re.compile(r"""url\(\s*['"]?([^'")]+?)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")
_NOT_FILES = ("data:", "mailto:", "javascript:", "tel:", "#", "about:")


def find_refresh(text: str) -> re.Match[str] | None:
    """The first redirect target in ``text`` (:data:`REFRESH`), ``None`` when it has none."""
    return REFRESH.search(text) if _REFRESH_HINT.search(text) else None


def is_local(url: str) -> bool:
    """Whether ``url`` names a file of the site (relative, no scheme, not a data URI or an
    in-page anchor). A root-relative ``/x`` or ``//host/x`` counts as local, so that a check
    finds it (it breaks under a sub-path)."""
    url = url.strip()
    if not url or url.startswith(_NOT_FILES) or "{{" in url:
        return False
    return not urlsplit(url).scheme


def local_path(url: str) -> str:
    """The file part of a local ``url``: without query and fragment, percent-decoded."""
    return unquote(urlsplit(url.strip()).path)
