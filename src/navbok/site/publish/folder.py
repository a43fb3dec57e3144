"""``navbok publish --out DIR``: the built books and the overview as one folder for any static host.

From the build folder (``_build/site/`` and every built ``_build/<kode>/html/``) it writes

* the overview at the root (``index.html``, ``data/``), each book under a readable, stable
  path ``<kode>-<navn>/`` (``3201-baerum/``, the name folded as the search folds it);
* ONE copy of the theme, script, font, Vega and map files in ``_static/``, each under a name
  carrying its content's hash (``_static/styles/theme.3f2a9c01d4.css``), so a host may cache
  them for ever; the style sheets' own ``url(…)`` links renamed with them;
* every link rewritten relative to the page, so the folder works from disk and under any
  sub-path (``https://example.github.io/navbok/``);
* no notebook sources (``_sources/``, and the page's «.ipynb» download button) and no source
  maps unless asked (``sources=True``);
* the per-figure Excel downloads, inlined as base64 in every page although the book's workbook
  holds the same tables, as a link to the workbook (``data/navbok-<kode>.xlsx``) — a file per
  figure would cost ~20 files a book, more than the hosts' file limits allow for the country;
  the CSV downloads (the figure's numbers with their source lines) stay in the page;
* ``<link rel="canonical">`` (with a base URL) and Open Graph tags on every page, so a shared
  link shows the page's title and the municipality's name; ``sitemap.xml`` and ``robots.txt``
  and a Norwegian ``404.html``;
* with an ``edition``: «Hva er nytt» under the heading of the overview and of each book's first
  page, and ``data/navbok-utgave.json`` for the next edition (:mod:`navbok.site.publish.news`).

The folder is written beside ``DIR`` and swapped in when complete; an existing ``DIR`` is
replaced only when it is an earlier published folder (it holds :data:`MARKER`). For many books
the books are written by forked worker processes (a share of the books each, into the same
folder beside ``DIR``); what they write is the same as one process writes, file for file: a page
depends only on its book and the build folder, a shared file's name only on its content.
"""

from __future__ import annotations

import hashlib
import html
import json
import multiprocessing as mp
import os
import posixpath
import re
import shutil
import stat
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from navbok.builder.plan import read_state
from navbok.errors import NavbokError
from navbok.regions import fold
from navbok.site.products import SITE
from navbok.site.publish.links import (
    CSS_REF,
    HTML_REF,
    REFRESH,
    find_refresh,
    is_local,
    local_path,
)
from navbok.site.publish.news import (
    EDITION_NAME,
    PARQUET_NAME,
    Edition,
    book_section,
    compare,
    frame_of,
    overview_section,
)

__all__ = [
    "MARKER",
    "STATIC",
    "PublishStats",
    "book_folder",
    "built_books",
    "publish",
    "require_built",
]

#: The file that marks a folder as written by :func:`publish` (it may be replaced).
MARKER = ".navbok-publish"
STATIC = "_static"
#: Sphinx's and the theme's files a reader never loads.
_DROP_NAMES = {".buildinfo", "objects.inv", "webpack-macros.html", "sbt-webpack-macros.html"}
_SOURCEMAP = re.compile(rb"\n?(?://|/\*)# sourceMappingURL=[^\n]*")
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_SOURCE_BUTTON = re.compile(r'<li><a href="[^"]*_sources/[^"]*".*?</a>\s*</li>', re.S)
_EXCEL_LINK = re.compile(
    r'<a\s+href="data:application/vnd\.openxmlformats[^"]*" download="[^"]*"([^>]*)>'
    r"Last ned Excel</a>"
)
_HASH_LEN = 10
#: The national Parquet's columns «Hva er nytt» reads.
_COLUMNS = ["indicator", "indicator_name", "kommune", "year", "value", "status"]
#: Pages that are not content (no canonical place in the sitemap).
_NOT_CONTENT = {"search.html", "genindex.html", "404.html"}
#: From this many books on, :func:`publish` writes the books in worker processes.
PARALLEL_FROM = 8


@dataclass
class PublishStats:
    """What :func:`publish` wrote: files and bytes in all, per book and shared, and the time."""

    books: int = 0
    files: int = 0
    bytes: int = 0
    shared_files: int = 0
    shared_bytes: int = 0
    book_bytes: dict[str, int] = field(default_factory=dict)
    book_files: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def book_folder(code: str, name: str) -> str:
    """A book's folder in the published site: ``"3201-baerum"``, ``"5601-kautokeino-…"``."""
    slug = fold(name).replace(" ", "-")
    return f"{code}-{slug}" if slug else code


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:_HASH_LEN]


class _Static:
    """The shared static files: each once, under a name with its content's hash."""

    def __init__(self, out: Path, *, sources: bool) -> None:
        self.out = out
        self.sources = sources
        self._names: dict[tuple[int, int, int, int], str] = {}
        # a file that is not a style sheet: its name by its path under the root and its bytes
        # (all its published name depends on; every book has its own copy of navbok's files):
        # by the path, each bytes seen there with its name (compared, not hashed: 0.9 MB a book)
        self._by_content: dict[str, list[tuple[bytes, str]]] = {}
        self.written: dict[str, int] = {}

    def name(self, src: Path, root: Path) -> str | None:
        """The published path of ``src`` (a file under the ``_static`` folder ``root``)."""
        if src.name in _DROP_NAMES or (src.suffix == ".map" and not self.sources):
            return None
        try:
            st = os.stat(src)
        except (FileNotFoundError, NotADirectoryError):
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        key = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
        if key in self._names:
            return self._names[key]
        rel = src.relative_to(root)
        data = raw = src.read_bytes()
        seen = self._by_content.setdefault(rel.as_posix(), [])
        if src.suffix != ".css":
            for known, dest in seen:
                if known == raw:
                    self._names[key] = dest
                    return dest
        folder = posixpath.join(STATIC, *rel.parent.parts)
        if src.suffix in (".css", ".js") and not self.sources:
            data = _SOURCEMAP.sub(b"", data)
        if src.suffix == ".css":
            data = self._css(data, src, root, folder)
        dest = posixpath.join(folder, f"{src.stem}.{_digest(data)}{src.suffix}")
        if dest not in self.written:
            _write_once(self.out / dest, data)
            self.written[dest] = len(data)
        self._names[key] = dest
        if src.suffix != ".css":
            seen.append((raw, dest))
        return dest

    def _css(self, data: bytes, src: Path, root: Path, folder: str) -> bytes:
        text = data.decode("utf-8")

        def fix(m: re.Match[str]) -> str:
            url = m.group(1) or m.group(2)
            if not is_local(url) or url.startswith("/"):
                return m.group(0)
            target = Path(os.path.normpath(src.parent / local_path(url)))
            dest = self.name(target, root) if target.is_relative_to(root) else None
            if dest is None:
                return m.group(0)
            new = posixpath.relpath(dest, folder) + _fragment(url)
            return m.group(0).replace(url, new)

        return CSS_REF.sub(fix, text).encode("utf-8")


def _write_once(path: Path, data: bytes) -> None:
    """Write a shared file unless a worker wrote it already (the same name: the same bytes);
    under another name first and then renamed, so no worker sees half of it."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.{os.getpid()}")
    part.write_bytes(data)
    os.replace(part, path)


def _relative(path: str, start: str) -> str:
    """``posixpath.relpath(path, start or ".")`` for two paths in the published folder (relative,
    without «..»): the same, without asking for the working folder each time."""
    return posixpath.relpath("/" + path, "/" + start)


def _fragment(url: str) -> str:
    frag = urlsplit(url).fragment
    return f"#{frag}" if frag else ""


@dataclass
class _Layout:
    """Where each file of the build folder goes in the published folder."""

    build: Path
    books: dict[str, str]  # code → folder
    static: _Static
    sources: bool

    def dest(self, src: Path) -> str | None:
        """The published path of ``src`` (``None``: not published)."""
        try:
            parts = src.relative_to(self.build).parts
        except ValueError:
            return None
        if parts[:1] == (SITE,):
            root, inner, prefix = self.build / SITE, parts[1:], ""
        elif len(parts) > 2 and parts[0] in self.books and parts[1] == "html":
            root, inner, prefix = self.build / parts[0] / "html", parts[2:], self.books[parts[0]]
        else:
            return None
        if not inner or any(p.startswith(".") for p in inner) or inner[-1] in _DROP_NAMES:
            return None
        if inner[0] == STATIC:
            return self.static.name(src, root / STATIC)
        if inner[0] == "_sources" and not self.sources:
            return None
        return posixpath.join(prefix, *inner)


def require_built(build: Path) -> None:
    """Raise :class:`NavbokError` (one line, what to do) when ``build`` has no overview: there
    is nothing to publish."""
    if not (Path(build) / SITE / "index.html").is_file():
        raise NavbokError(
            f"Fant ingen oversikt i {Path(build) / SITE / 'index.html'}; bygg bøkene først "
            "(navbok build --all)."
        )


def built_books(build: Path) -> list[str]:
    """The municipality codes of every built book in the build folder ``build``."""
    return sorted(
        p.name
        for p in build.iterdir()
        if p.is_dir()
        and re.fullmatch(r"\d{4}", p.name)
        and read_state(p).get("book")
        and (p / "html" / "index.html").is_file()
    )


def _attr(text: str) -> str:
    return html.escape(html.unescape(" ".join(text.split())), quote=True)


def _head_tags(title: str, url: str | None, description: str) -> str:
    tags = [
        f'<meta property="og:title" content="{_attr(title)}" />',
        '<meta property="og:type" content="website" />',
        '<meta property="og:locale" content="nb_NO" />',
        '<meta property="og:site_name" content="navbok" />',
        f'<meta property="og:description" content="{_attr(description)}" />',
    ]
    if url:
        tags.insert(0, f'<link rel="canonical" href="{html.escape(url, quote=True)}" />')
        tags.append(f'<meta property="og:url" content="{html.escape(url, quote=True)}" />')
    return "\n".join(tags) + "\n"


class _Pages:
    """Rewrites the pages: links, the source button, the Excel downloads, the head tags."""

    def __init__(self, layout: _Layout, out: Path, base_url: str | None) -> None:
        self.layout = layout
        self.out = out
        self.base_url = base_url
        self.urls: list[str] = []  # content pages for the sitemap
        self.inserts: dict[Path, str] = {}  # page → a section after its heading («Hva er nytt»)
        # a link's new path by the page's folder, its published folder and the link's path:
        # all it depends on (the build folder does not change while publishing); None: as it is
        self._links: dict[tuple[str, str, str], str | None] = {}
        # and a link's new text by the same folders and the link (most links come again), and
        # an attribute's (``␣href="…"``, :data:`HTML_REF`) by the same folders and its text
        self._urls: dict[tuple[str, str], dict[str, str]] = {}
        self._attrs: dict[tuple[str, str], dict[str, str]] = {}
        self._folders: set[Path] = set()

    def _new_link(self, url: str, src: Path, dest: str, where: tuple[str, str]) -> str:
        if not is_local(url):
            return url
        path = local_path(url)
        if not path:
            return url
        key = (*where, path)
        if key in self._links:
            new = self._links[key]
        else:
            new = self._links[key] = self._new_path(path, src, dest)
        return url if new is None else new + _fragment(url)

    def _new_path(self, path: str, src: Path, dest: str) -> str | None:
        target = Path(os.path.normpath(src.parent / path))
        if target.is_dir():
            target = target / "index.html"
        new = self.layout.dest(target)
        if new is None:
            return None
        return _relative(new, posixpath.dirname(dest))

    def _title(self, text: str, src: Path) -> str:
        if m := _TITLE.search(text):
            return m.group(1)
        if m := find_refresh(text):  # a redirect page: the title of the page it opens
            target = src.parent / local_path(m.group(2))
            with_title = target.read_text("utf-8") if target.is_file() else ""
            if t := _TITLE.search(with_title):
                return t.group(1)
        return "navbok"

    def write(self, src: Path, dest: str, *, workbook: str | None) -> int:
        """Write the page ``src`` as ``dest``; returns its size in bytes."""
        text = src.read_text("utf-8")
        title = self._title(text, src)
        if not self.layout.sources:
            text = _SOURCE_BUTTON.sub("", text)
        if workbook is not None:
            href = _relative(workbook, posixpath.dirname(dest))
            text = _EXCEL_LINK.sub(
                lambda m: f'<a href="{href}" download{m.group(1)}>Last ned Excel (arbeidsboka)</a>',
                text,
            )

        where = (str(src.parent), posixpath.dirname(dest))
        known = self._urls.setdefault(where, {})

        def link(url: str) -> str:
            if (new := known.get(url)) is None:
                new = known[url] = self._new_link(url, src, dest, where)
            return new

        fixed = self._attrs.setdefault(where, {})

        def fix(m: re.Match[str]) -> str:
            if (done := fixed.get(m.group(0))) is not None:
                return done
            url = html.unescape(m.group(2))
            new = link(url)
            space = m.group(0)[0]  # the white space before the attribute
            done = m.group(0) if new == url else f'{space}{m.group(1)}="{html.escape(new)}"'
            fixed[m.group(0)] = done
            return done

        text = HTML_REF.sub(fix, text)
        if find_refresh(text):
            text = REFRESH.sub(lambda m: f'{m.group(1)}{link(m.group(2))}"', text)
        url = None
        if self.base_url is not None:
            page = dest.removesuffix("index.html")
            url = self.base_url + page
            if posixpath.basename(dest) not in _NOT_CONTENT and not find_refresh(text):
                self.urls.append(url)
        tags = _head_tags(title, url, "Sosialtjenesten i norske kommuner: tall fra SSB og NAV.")
        if "</head>" in text:
            text = text.replace("</head>", tags + "</head>", 1)
        else:  # a bare redirect page: give it a head and a title
            text = (
                f'<!DOCTYPE html>\n<html lang="nb"><head><meta charset="utf-8" />\n'
                f"<title>{title}</title>\n{tags}{text}</head>\n<body></body></html>\n"
            )
        if section := self.inserts.get(src):
            text = _after_heading(text, section)
        data = text.encode("utf-8")
        path = self.out / dest
        self.folder(path.parent)
        path.write_bytes(data)
        return len(data)

    def folder(self, path: Path) -> None:
        """Make the folder ``path`` (once)."""
        if path not in self._folders:
            path.mkdir(parents=True, exist_ok=True)
            self._folders.add(path)


def _after_heading(text: str, section: str) -> str:
    """``text`` with ``section`` after the page's first heading (in its ``<article>`` when it
    has one), else at the start of its body."""
    start = max(text.find("<article"), 0)
    end = text.find("</h1>", start)
    if end >= 0:
        end += len("</h1>")
        return text[:end] + "\n" + section + text[end:]
    body = text.find("<body")
    if body >= 0:
        close = text.find(">", body) + 1
        return text[:close] + section + text[close:]
    return section + text


_NOT_FOUND = """<!DOCTYPE html>
<html lang="nb"><head><meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>Siden finnes ikke – navbok</title>
<style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;
line-height:1.5}}a{{color:#0b4f9c}}</style></head>
<body><main><h1>Siden finnes ikke</h1>
<p>Adressen peker ikke på noen side i navbok. Kanskje er kommunen slått sammen med en annen,
eller lenken er skrevet feil.</p>
<p><a href="{home}">Til oversikten over alle kommunene</a></p></main></body></html>
"""


def _extra_files(out: Path, base_url: str | None, urls: list[str]) -> None:
    home = base_url or "index.html"
    (out / "404.html").write_text(_NOT_FOUND.format(home=html.escape(home, quote=True)), "utf-8")
    robots = "User-agent: *\nAllow: /\n"
    if base_url is not None:
        robots += f"Sitemap: {base_url}sitemap.xml\n"
        entries = "".join(f"<url><loc>{html.escape(u)}</loc></url>\n" for u in sorted(urls))
        (out / "sitemap.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{entries}</urlset>\n",
            "utf-8",
        )
    (out / "robots.txt").write_text(robots, "utf-8")


def _news_sections(
    build: Path, codes: list[str], edition: Edition, previous: Path | None
) -> dict[Path, str]:
    """«Hva er nytt» for the overview and each book's first page (the one its index opens)."""
    import pandas as pd

    national = build / SITE / "data" / PARQUET_NAME
    frame = (
        frame_of(pd.read_parquet(national))
        if national.is_file()
        else pd.DataFrame(columns=_COLUMNS)
    )
    old_edition = Edition.read(previous / EDITION_NAME) if previous is not None else None
    old = None
    if old_edition is not None and previous is not None and (previous / PARQUET_NAME).is_file():
        old = frame_of(pd.read_parquet(previous / PARQUET_NAME))
    news = compare(edition, frame, old_edition, old)
    out = {build / SITE / "index.html": overview_section(news)}
    for code in codes:
        html_dir = build / code / "html"
        m = find_refresh((html_dir / "index.html").read_text("utf-8"))
        first = html_dir / local_path(m.group(2)) if m else html_dir / "index.html"
        out[Path(os.path.normpath(first))] = book_section(news, code)
    return out


def _base(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise NavbokError(
            f"--url {url!r} er ikke en nettadresse; skriv den fulle adressen, "
            "f.eks. https://eksempel.github.io/navbok/."
        )
    return url if url.endswith("/") else url + "/"


def _prepare(out: Path) -> Path:
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise NavbokError(
            f"{out} finnes og er ikke en publisert navbok-mappe; velg en ny eller tom mappe."
        )
    tmp = out.with_name(f".{out.name}.ny")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    return tmp


def _swap(tmp: Path, out: Path) -> None:
    old = out.with_name(f".{out.name}.gammel")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)


@dataclass(frozen=True)
class _Job:
    """What every share of the books is published with (sent to the workers)."""

    build: Path
    tmp: Path
    books: dict[str, str]  # code → folder
    sources: bool
    base_url: str | None
    inserts: dict[Path, str]  # page → «Hva er nytt»


@dataclass
class _Done:
    """What a share of the books wrote: files and bytes per book, sitemap URLs, shared files."""

    book_files: dict[str, int] = field(default_factory=dict)
    book_bytes: dict[str, int] = field(default_factory=dict)
    urls: list[str] = field(default_factory=list)
    shared: dict[str, int] = field(default_factory=dict)


def _publish_share(job: _Job, codes: list[str], site: bool) -> _Done:
    """Publish the books ``codes`` (and the overview when ``site``) into ``job.tmp``."""
    static = _Static(job.tmp, sources=job.sources)
    layout = _Layout(job.build, job.books, static, job.sources)
    pages = _Pages(layout, job.tmp, job.base_url)
    pages.inserts = job.inserts
    done = _Done()

    def publish_tree(root: Path, workbook: str | None) -> tuple[int, int]:
        n = size = 0
        for src in _files(root, skip=STATIC):
            dest = layout.dest(src)
            if dest is None:
                continue
            if src.suffix == ".html":
                try:
                    size += pages.write(src, dest, workbook=workbook)
                except UnicodeDecodeError as exc:
                    raise NavbokError(
                        f"{src}: ikke UTF-8-tekst ({exc.reason} ved byte {exc.start}); bygg "
                        "boka på nytt (navbok build --force)."
                    ) from None
            else:
                target = job.tmp / dest
                pages.folder(target.parent)
                shutil.copyfile(src, target)
                size += target.stat().st_size
            n += 1
        for path in _files(root / STATIC):
            static.name(path, root / STATIC)  # every shared file, also those a script loads
        return n, size

    if site:
        publish_tree(job.build / SITE, None)
    for code in codes:
        folder = job.books[code]
        root = job.build / code / "html"
        workbook: str | None = f"{folder}/data/navbok-{code}.xlsx"
        if not (root / "data" / f"navbok-{code}.xlsx").is_file():
            workbook = None
        done.book_files[code], done.book_bytes[code] = publish_tree(root, workbook)
    done.urls = pages.urls
    done.shared = static.written
    return done


def _files(root: Path, skip: str = "") -> list[Path]:
    """Every file under ``root`` but its folder (or file) ``skip``, sorted by their parts, as
    ``sorted(root.rglob("*"))`` finds and sorts them (no folder followed through a symbolic
    link; a file's link followed)."""
    found: list[tuple[tuple[str, ...], str]] = []

    def walk(folder: str, parts: tuple[str, ...]) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if not parts and entry.name == skip:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, (*parts, entry.name))
                elif entry.is_file():
                    found.append(((*parts, entry.name), entry.path))

    if root.is_dir():
        walk(str(root), ())
    return [Path(path) for _parts, path in sorted(found)]


def _shares(codes: list[str], workers: int) -> list[list[str]]:
    """The books in shares for ``workers`` processes: a few shares each, so that one that
    finishes early takes the next."""
    n = min(len(codes), workers * 4)
    return [codes[i::n] for i in range(n)]


def _publish_all(job: _Job, codes: list[str], workers: int) -> list[_Done]:
    """The overview and every book: in forked worker processes for many books, else here."""
    if workers <= 1 or len(codes) < PARALLEL_FROM or "fork" not in mp.get_all_start_methods():
        return [_publish_share(job, codes, True)]
    ctx = mp.get_context("fork")
    try:
        with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
            futures = [pool.submit(_publish_share, job, [], True)]
            futures += [pool.submit(_publish_share, job, s, False) for s in _shares(codes, workers)]
            return [f.result() for f in futures]
    except BrokenProcessPool as exc:
        raise NavbokError(
            f"publiseringen stanset: en arbeidsprosess døde ({exc}); prøv igjen, eller med "
            "NAVBOK_PUBLISH_WORKERS=1."
        ) from None


def _tally(folder: Path) -> tuple[int, int]:
    """Files and bytes under ``folder``."""
    files = size = 0
    for parent, _dirs, names in os.walk(folder):
        for name in names:
            path = os.path.join(parent, name)
            if os.path.isfile(path):
                files += 1
                size += os.stat(path).st_size
    return files, size


def _default_workers() -> int:
    if env := os.environ.get("NAVBOK_PUBLISH_WORKERS", "").strip():
        try:
            return max(1, int(env))
        except ValueError:
            raise NavbokError(
                f"NAVBOK_PUBLISH_WORKERS={env!r} er ikke et tall; skriv f.eks. 2."
            ) from None
    return os.cpu_count() or 1


def publish(
    build_dir: Path,
    out: Path,
    names: dict[str, str],
    *,
    base_url: str | None = None,
    sources: bool = False,
    edition: Edition | None = None,
    previous: Path | None = None,
    workers: int | None = None,
) -> PublishStats:
    """Publish every built book of ``build_dir`` with the overview into ``out``.

    ``names``: municipality name by code (the book folders' names). ``base_url``: where the
    folder will be served (canonical links, sitemap); ``sources``: keep notebook sources and
    source maps. ``edition``: what this edition is made from; with it every book's first
    page and the overview say what changed since the previous edition (``previous``: a folder
    with its ``navbok-kommuner.parquet`` and ``navbok-utgave.json``; default ``out/data`` when
    ``out`` is an earlier edition; none there: this is the first), :mod:`navbok.site.publish.news`.
    ``workers``: processes writing the books (default: ``NAVBOK_PUBLISH_WORKERS``, else one per
    core; one for fewer than :data:`PARALLEL_FROM` books); the folder is the same with any.
    Raises :class:`NavbokError` when nothing is built or ``out`` is not free; on any error
    ``out`` is left as it was and nothing half-written stays beside it."""
    t0 = time.perf_counter()
    build = Path(os.path.abspath(build_dir))
    out = Path(os.path.abspath(out))
    base = _base(base_url)
    require_built(build)
    codes = built_books(build)
    if out == build or build.is_relative_to(out) or out.is_relative_to(build / SITE):
        raise NavbokError(f"--out {out} ligger i byggmappen; velg en mappe utenfor {build}.")
    workers = _default_workers() if workers is None else max(1, workers)
    tmp = _prepare(out)
    try:
        books = {code: book_folder(code, names.get(code, "")) for code in codes}
        stats = PublishStats(books=len(codes))
        inserts: dict[Path, str] = {}
        if edition is not None:
            if previous is None and (out / MARKER).is_file():
                previous = out / "data"
            inserts = _news_sections(build, codes, edition, previous)
        job = _Job(build, tmp, books, sources, base, inserts)
        urls: list[str] = []
        shared: dict[str, int] = {}
        for done in _publish_all(job, codes, workers):
            stats.book_files.update(done.book_files)
            stats.book_bytes.update(done.book_bytes)
            urls += done.urls
            shared.update(done.shared)
        stats.book_files = {code: stats.book_files[code] for code in codes}
        stats.book_bytes = {code: stats.book_bytes[code] for code in codes}
        _extra_files(tmp, base, urls)
        if edition is not None:
            (tmp / "data" / EDITION_NAME).write_text(edition.to_json(), "utf-8")
        (tmp / ".nojekyll").write_text("", "utf-8")  # GitHub Pages: serve _static/ as it is
        (tmp / MARKER).write_text(
            json.dumps({"books": books, "base_url": base}, ensure_ascii=False, indent=1), "utf-8"
        )
        stats.shared_files = len(shared)
        stats.shared_bytes = sum(shared.values())
        stats.files, stats.bytes = _tally(tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _swap(tmp, out)
    stats.seconds = time.perf_counter() - t0
    return stats
