"""``navbok publish --check DIR``: does a published folder stand on its own?

Every link, script, style sheet, image and download of every page (and every ``url(…)`` of
every style sheet) must name a file inside the folder; nothing may be loaded from the network
(a script or style sheet on another host breaks the page offline) or from the host's root
(``/x`` breaks under a sub-path); and no text file may hold an absolute path of the machine that
built it. Links to other sites (SSB, NAV) are fine: they are where the reader goes, not what the
page needs.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from navbok.site.publish.links import (
    CSS_REF,
    HTML_REF,
    REFRESH,
    find_refresh,
    is_local,
    local_path,
)

__all__ = ["check_folder"]

_TEXT = {".html", ".css", ".js", ".json", ".xml", ".txt", ".csv"}
#: Files whose every byte navbok wrote (the vendors' scripts may hold any string).
_OWN = {".html", ".json", ".xml", ".txt", ".csv"}
_MACHINE_PATH = re.compile(r"file://|(?<![\w.:/-])/(?:home|work|tmp|root|Users|var/folders)/\w")
_LOADED = re.compile(
    r'<(?:script[^>]*\ssrc|link[^>]*rel="(?:stylesheet|preload|icon|modulepreload)"[^>]*\shref'
    r'|img[^>]*\ssrc)="(https?:)?//([^"]*)"'
)


def _machine_strings(folder: Path) -> list[str]:
    """The absolute paths of this machine that must not appear: the folder's, the working
    folder's and the home folder's (each at least two levels deep)."""
    paths = {str(folder.resolve().parent), os.getcwd(), os.path.expanduser("~")}
    return sorted(p for p in paths if p.count("/") >= 2)


def _target_ok(folder: Path, page: Path, url: str) -> str:
    """Why the local ``url`` of ``page`` does not resolve inside ``folder`` (``""``: it does)."""
    path = local_path(url)
    if not path:
        return ""
    if path.startswith("/"):
        return f"lenke fra roten av verten ({url}) virker ikke under en underadresse"
    target = Path(os.path.normpath(page.parent / path))
    if not target.is_relative_to(folder):
        return f"lenke ut av mappen: {url}"
    if target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        return f"finnes ikke: {url}"
    return ""


def _links(text: str, suffix: str) -> list[str]:
    if suffix == ".css":
        return [m.group(1) or m.group(2) for m in CSS_REF.finditer(text)]
    refs = [m.group(2) for m in HTML_REF.finditer(text)]
    return refs + [m.group(2) for m in REFRESH.finditer(text)] if find_refresh(text) else refs


def check_folder(folder: Path) -> list[str]:
    """Every problem of the published ``folder``, one line each (``"sti: hva"``); empty when
    the folder works from disk and under any address."""
    import html as html_lib

    folder = Path(os.path.abspath(folder))
    if not (folder / "index.html").is_file():
        return [f"{folder}: ingen index.html (er dette en publisert mappe?)"]
    machine = _machine_strings(folder)
    problems: list[str] = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix not in _TEXT:
            continue
        rel = path.relative_to(folder).as_posix()
        text = path.read_text("utf-8", errors="replace")
        if path.suffix in (".html", ".css"):
            for url in _links(text, path.suffix):
                url = html_lib.unescape(url)
                if is_local(url) and (why := _target_ok(folder, path, url)):
                    problems.append(f"{rel}: {why}")
        if path.suffix == ".html":
            for m in _LOADED.finditer(text):
                problems.append(f"{rel}: lastes fra nettet: //{m.group(2)}")
        found = [p for p in machine if p in text]
        if path.suffix in _OWN:
            found += [re.split(r'["<>\s]', text[m.start() : m.start() + 60])[0]
                      for m in _MACHINE_PATH.finditer(text)]  # fmt: skip
        for p in dict.fromkeys(found):
            problems.append(f"{rel}: absolutt sti fra byggemaskinen: {p}")
    return problems
