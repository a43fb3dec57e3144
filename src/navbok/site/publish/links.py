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

__all__ = ["CSS_REF", "HTML_REF", "REFRESH", "is_local", "local_path"]

#: ``href="…"`` / ``src="…"`` in a tag (group 1 the attribute, group 2 the value).
HTML_REF = re.compile(r'(?<=\s)(href|src)="([^"]*)"')
#: The target of a redirect page (group 1).
REFRESH = re.compile(r'(http-equiv="Refresh"\s+content="\d+;\s*url=)([^"]+)"', re.IGNORECASE)
#: ``url(…)`` and ``@import "…"`` in CSS (group 1 or group 2 the value).
CSS_REF = re.compile(r"""url\(\s*['"]?([^'")]+?)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")
_NOT_FILES = ("data:", "mailto:", "javascript:", "tel:", "#", "about:")


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
