"""``navbok publish --check DIR``: does a published folder stand on its own?

Every link, script, style sheet, image and download of every page (and every ``url(…)`` of
every style sheet) must name a file inside the folder; nothing may be loaded from the network
(a script or style sheet on another host breaks the page offline) or from the host's root
(``/x`` breaks under a sub-path); and no text file may hold an absolute path of the machine that
built it. Links to other sites (SSB, NAV) are fine: they are where the reader goes, not what the
page needs.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import re
from concurrent.futures import ProcessPoolExecutor
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


#: Every match of :data:`_MACHINE_PATH` holds one of these: a quick test before the search.
_MACHINE_HINTS = ("file://", "/home/", "/work/", "/tmp/", "/root/", "/Users/", "/var/folders/")
#: From this many files on, :func:`check_folder` reads them in worker processes.
PARALLEL_FROM = 400


class _Checker:
    """The checks of one file (a worker checks a share of the files with its own)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.machine = _machine_strings(folder)
        # why a link of a page in a folder does not resolve: all it depends on is the page's
        # folder and the link (the folder does not change while it is checked)
        self._targets: dict[tuple[str, str], str] = {}

    def target(self, page: Path, url: str) -> str:
        key = (str(page.parent), url)
        if (why := self._targets.get(key)) is None:
            why = self._targets[key] = _target_ok(self.folder, page, url)
        return why

    def problems(self, path: Path) -> list[str]:
        """The problems of the file ``path`` (one of :data:`_TEXT`), one line each."""
        import html as html_lib

        problems: list[str] = []
        rel = path.relative_to(self.folder).as_posix()
        text = path.read_text("utf-8", errors="replace")
        if path.suffix in (".html", ".css"):
            for url in _links(text, path.suffix):
                url = html_lib.unescape(url)
                if is_local(url) and (why := self.target(path, url)):
                    problems.append(f"{rel}: {why}")
        if path.suffix == ".html":
            for m in _LOADED.finditer(text):
                problems.append(f"{rel}: lastes fra nettet: //{m.group(2)}")
        found = [p for p in self.machine if p in text]
        if path.suffix in _OWN and any(hint in text for hint in _MACHINE_HINTS):
            found += [re.split(r'["<>\s]', text[m.start() : m.start() + 60])[0]
                      for m in _MACHINE_PATH.finditer(text)]  # fmt: skip
        for p in dict.fromkeys(found):
            problems.append(f"{rel}: absolutt sti fra byggemaskinen: {p}")
        return problems


def _check_share(folder: Path, paths: list[Path]) -> list[list[str]]:
    """The problems of each of ``paths`` (a worker's share)."""
    checker = _Checker(folder)
    return [checker.problems(path) for path in paths]


def _text_files(folder: Path) -> list[Path]:
    """The text files under ``folder``, sorted as ``sorted(folder.rglob("*"))`` sorts them."""
    found: list[tuple[tuple[str, ...], Path]] = []
    for parent, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(parent, name)
            if path.suffix in _TEXT and path.is_file():
                found.append((path.relative_to(folder).parts, path))
    return [path for _parts, path in sorted(found)]


def check_folder(folder: Path, *, workers: int | None = None) -> list[str]:
    """Every problem of the published ``folder``, one line each (``"sti: hva"``); empty when
    the folder works from disk and under any address. ``workers``: processes reading the
    files (default: one per core; one for fewer than :data:`PARALLEL_FROM` files); the list
    is the same, in the same order, with any."""
    folder = Path(os.path.abspath(folder))
    if not (folder / "index.html").is_file():
        return [f"{folder}: ingen index.html (er dette en publisert mappe?)"]
    paths = _text_files(folder)
    workers = workers or os.cpu_count() or 1
    if workers <= 1 or len(paths) < PARALLEL_FROM or "fork" not in mp.get_all_start_methods():
        per_file = _check_share(folder, paths)
    else:
        n = workers * 4  # a few shares each: one that finishes early takes the next
        size = -(-len(paths) // n)
        shares = [paths[i : i + size] for i in range(0, len(paths), size)]
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
            per_file = [
                found
                for share in pool.map(_check_share, [folder] * len(shares), shares)
                for found in share
            ]
    return [line for found in per_file for line in found]
