"""The reader meets no English interface string: every page's chrome, labels and scripts are bokmål.

Sphinx, pydata-sphinx-theme, sphinx-book-theme, sphinx-copybutton and sphinx-togglebutton
write interface strings («Search», «On this page», «Copy» …) into every page, in their
templates, attributes and scripts; ``navbok.present.sphinx_nb`` supplies the bokmål ones they
lack (its docstring says who translates what). The checks:

* the catalogs (no ``../shared`` needed): every ``.po`` parses, everything is translated with
  its placeholders kept, and every string the installed themes and extensions translate has
  a bokmål translation here or in Sphinx's ``nb_NO`` catalog;
* a small Jupyter Book with the repository's ``_config.yml`` (built with the ``jupyter-book``
  command in a subprocess, so Sphinx's process-wide translators are not touched): each page
  is scanned with :func:`english_in_page`, and the scripts' strings are checked;
* Bærum's book built from ``$NAVBOK_SOURCE``: every page scanned (slow);
* in Chromium (if installed): the copy button's tooltip and icon title, and the search page's
  heading and result line, as a reader sees them.

Interface places are the page outside the chapter's ``<article>`` (header, sidebars, footer,
previous/next, search page), the text of buttons, summaries, labels and heading links inside
it, and, everywhere, the attributes a user or a screen reader meets (``aria-label``,
``title``, ``placeholder``, ``alt``, button values, ``data-*`` titles and tooltips). The
chapters' own text and data are not scanned. English is matched as whole words,
case-sensitively, from :data:`ENGLISH`; words the same in both languages («System», «Ctrl»)
are not in it.

Run: ``pytest tests/test_interface_language.py`` (the book test with
``NAVBOK_SOURCE=../shared/replay-v2``).
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import RecordedBooks

from navbok.present import sphinx_nb

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")

# English interface strings of Sphinx 7.4, pydata-sphinx-theme 0.17, sphinx-book-theme 1.3,
# sphinx-copybutton 0.5, sphinx-togglebutton 0.4 and myst-nb 1.x, as they appear in pages.
ENGLISH = (
    # search
    "Search",
    "search",
    "Search this book",
    "Search the docs",
    "Searching",
    "Search Results",
    "Preparing search",
    "Your search did not match",
    "Search finished",
    "Hide Search Matches",
    "Search Page",
    "Quick search",
    "Go",
    # navigation
    "Previous",
    "previous",
    "Next",
    "next",
    "previous page",
    "next page",
    "On this page",
    "Main",
    "Site navigation",
    "Section Navigation",
    "Section navigation",
    "Navigation",
    "Skip to main content",
    "Back to top",
    "Home",
    "Breadcrumb",
    "Related",
    "Page",
    "Contents",
    "Table of Contents",
    "Index",
    "General Index",
    "More",
    "Toggle navigation",
    "Toggle primary sidebar",
    "Toggle secondary sidebar",
    "Expand Sidebar",
    "Collapse Sidebar",
    "Click to expand",
    "Click to collapse",
    # colour mode
    "Light",
    "Dark",
    "System Settings",
    "Color mode",
    # buttons
    "Copy",
    "Copied",
    "Copy to clipboard",
    "Failed to copy",
    "Download",
    "Download this page",
    "Download source file",
    "Download notebook file",
    "Print to PDF",
    "print to PDF",
    "Fullscreen mode",
    "Click to show",
    "Click to hide",
    "Show code cell",
    "Hide code cell",
    "Edit this page",
    "Edit",
    "Suggest edit",
    "suggest edit",
    "Open an issue",
    "open issue",
    "Show source",
    "Show Source",
    "source link",
    "Repository",
    "repository",
    "Launch",
    "Live Code",
    # headings, banners, footer
    "Link to this heading",
    "Link to this table",
    "Link to this image",
    "Link to this code",
    "Announcement",
    "Version warning",
    "Error",
    "Please activate JavaScript",
    "By",
    "By the",
    "Copyright",
    "Last updated",
    "Created using",
    "Built with",
    "Theme by",
    "Icon Links",
    "Version switcher",
)
_ENGLISH = re.compile(
    r"(?<![\w-])("
    + "|".join(re.escape(w) for w in sorted(ENGLISH, key=len, reverse=True))
    + r")(?![\w-])"
)
TEXT_ATTRIBUTES = frozenset({"aria-label", "aria-description", "title", "placeholder", "alt"})
BUTTON_INPUTS = frozenset({"submit", "button", "reset"})
# Inside the chapter: elements whose text the extensions write (copy/toggle buttons, myst-nb's
# code-cell summaries, Sphinx's heading links).
INTERFACE_IN_ARTICLE = frozenset({"button", "summary", "label", "kbd"})


@dataclass(frozen=True)
class Finding:
    page: str
    where: str  # "text" or the attribute, with the element
    english: str
    context: str

    def __str__(self) -> str:
        return f"{self.page}: «{self.english}» in {self.where}: {self.context!r}"


def english(text: str) -> list[str]:
    """The :data:`ENGLISH` strings in ``text``, as whole words."""
    return [m.group(1) for m in _ENGLISH.finditer(text)]


def _text_attribute(tag: str, name: str, attrs: dict[str, str | None]) -> bool:
    if name in TEXT_ATTRIBUTES:
        return True
    if name == "value":
        return tag == "button" or (tag == "input" and attrs.get("type") in BUTTON_INPUTS)
    return name.startswith("data-") and name.endswith(("title", "tooltip", "label", "text", "hint"))


class _Scanner(HTMLParser):
    """Collects the interface text and text attributes of one page."""

    VOID = frozenset(
        {
            "area",
            "base",
            "br",
            "col",
            "embed",
            "hr",
            "img",
            "input",
            "link",
            "meta",
            "source",
            "track",
            "wbr",
        }
    )

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.stack: list[tuple[str, frozenset[str]]] = []
        self.findings: list[Finding] = []

    def _inside(self, tag: str) -> bool:
        return any(t == tag for t, _ in self.stack)

    def _in_article(self) -> bool:
        return self._inside("article")

    def _interface_text(self) -> bool:
        if self._inside("script") or self._inside("style"):
            return False
        if not self._in_article():
            return True
        return any(t in INTERFACE_IN_ARTICLE or "headerlink" in c for t, c in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if value and _text_attribute(tag, name, values):
                for word in english(value):
                    self.findings.append(Finding(self.page, f"{name}= of <{tag}>", word, value))
        if tag not in self.VOID:
            classes = frozenset((values.get("class") or "").split())
            self.stack.append((tag, classes))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if data.strip() and self._interface_text():
            where = "text of <" + ">/<".join(t for t, _ in self.stack[-3:]) + ">"
            for word in english(data):
                self.findings.append(Finding(self.page, where, word, " ".join(data.split())))


def english_in_page(path: Path, root: Path) -> list[Finding]:
    """The English interface strings of the HTML page at ``path`` (named relative to ``root``)."""
    scanner = _Scanner(path.relative_to(root).as_posix())
    scanner.feed(path.read_text("utf-8"))
    scanner.close()
    return scanner.findings


def book_pages(html: Path) -> list[Path]:
    """The built pages (not the theme's files under ``_static``, nor ``_sources``)."""
    return [
        p
        for p in sorted(html.rglob("*.html"))
        if not any(part.startswith("_") for part in p.relative_to(html).parts)
    ]


def english_in_book(html: Path) -> list[Finding]:
    return [f for page in book_pages(html) for f in english_in_page(page, html)]


def _report(findings: list[Finding]) -> str:
    shown = "\n".join(f"  {f}" for f in findings[:60])
    more = f"\n  … and {len(findings) - 60} more" if len(findings) > 60 else ""
    return f"{len(findings)} English interface string(s):\n{shown}{more}"


# ------------------------------------------------------------------------------ scripts


# ------------------------------------------------------------------------------ downloads

#: English a download must not hold, as a whole cell, a header or a sheet name: the analysis
#: frames' field names, pandas' booleans and missing markers, the waterfall's step kinds, and
#: openpyxl's default sheet names.
DOWNLOAD_ENGLISH = frozenset(
    {
        *("key_figure", "year", "year0", "year1", "barometer_year", "value", "average"),
        *("best", "worst", "grade", "change", "scenario", "weight_sum", "score", "points"),
        *("rank", "n_ranked", "rank_change", "consistent", "same_side", "series", "label"),
        *("kind", "source", "name", "share", "count", "value_published"),
        *("average_published", "grade_published", "value_diff", "average_diff", "grade_diff"),
        *("True", "False", "true", "false", "TRUE", "FALSE", "nan", "NaN", "None", "NaT"),
        *("delta", "total", "start", "data", "Sheet", "Sheet1"),
    }
)
_DOWNLOAD = re.compile(r'href="data:([^";,]+)[^",]*;base64,([^"]+)"[^>]*?download="([^"]+)"')
_XLSX_SHEET = re.compile(r'<sheet [^>]*name="([^"]+)"')
_XLSX_TEXT = re.compile(r"<t(?: [^>]*)?>([^<]*)</t>")


def _download_cells(name: str, payload: bytes) -> list[tuple[str, str]]:
    """(where, text) of every header, cell and sheet name of one download."""
    import html as html_lib
    import io
    import zipfile

    out: list[tuple[str, str]] = []
    if name.endswith(".csv"):
        text = payload.decode("utf-8-sig")
        rows = [line for line in text.splitlines() if line and not line.startswith("#")]
        for r, line in enumerate(rows):
            out += [("header" if r == 0 else f"row {r}", cell) for cell in line.split(";")]
    elif name.endswith(".xlsx"):
        with zipfile.ZipFile(io.BytesIO(payload)) as z:
            out += [("sheet", n) for n in _XLSX_SHEET.findall(z.read("xl/workbook.xml").decode())]
            for entry in z.namelist():
                if entry.startswith("xl/worksheets/") or entry == "xl/sharedStrings.xml":
                    xml = z.read(entry).decode()
                    out += [(entry, html_lib.unescape(t)) for t in _XLSX_TEXT.findall(xml)]
    return out


def english_in_downloads(html_dir: Path) -> list[str]:
    """Every download (``data:`` link) of every page: English headers, cells or sheet names."""
    import base64

    found = []
    for page in sorted(html_dir.rglob("*.html")):
        for _, payload, name in _DOWNLOAD.findall(page.read_text("utf-8")):
            for where, text in _download_cells(name, base64.b64decode(payload)):
                if text.strip().strip('"') in DOWNLOAD_ENGLISH:
                    found.append(f"{page.relative_to(html_dir)}: {name} {where}: {text!r}")
    return found


def test_download_scanner_finds_english(tmp_path: Path) -> None:
    """The scanner reads CSV and Excel data-URIs; the exporter writes bokmål for them."""
    import base64

    import pandas as pd

    from navbok.present.exports import DATA_SHEET, csv_bytes, xlsx_bytes

    def link(name: str, payload: bytes) -> str:
        uri = "data:text/csv;base64," + base64.b64encode(payload).decode()
        return f'<a href="{uri}" download="{name}">x</a>'

    raw = pd.DataFrame({"key_figure": ["SOS01"], "ok": [True], "Merknad": ["x"]})
    english_csv = raw.to_csv(sep=";", index=False).encode()
    page = tmp_path / "p.html"
    page.write_text(
        link("a.csv", english_csv)
        + link("b.csv", csv_bytes(raw))
        + link("c.xlsx", xlsx_bytes(raw)),
        "utf-8",
    )
    found = english_in_downloads(tmp_path)
    assert found == [
        "p.html: a.csv header: 'key_figure'",
        "p.html: a.csv row 1: 'True'",
    ], found
    cells = _download_cells("c.xlsx", xlsx_bytes(raw))
    assert ("sheet", DATA_SHEET) in cells and ("sheet", "data") not in cells
    assert {text for _, text in cells} >= {"Nøkkeltall", "Ja", "ok"}


def _inline_scripts(page: Path) -> list[str]:
    text = page.read_text("utf-8")
    return re.findall(r"<script>(.*?)</script>", text, flags=re.DOTALL)


def _js_call_object(source: str, start: str) -> dict:
    """The JSON object literal after ``start`` in ``source`` (balanced braces)."""
    i = source.index(start) + len(start)
    i = source.index("{", i)
    depth = 0
    for j in range(i, len(source)):
        depth += {"{": 1, "}": -1}.get(source[j], 0)
        if depth == 0:
            return json.loads(source[i : j + 1])
    raise ValueError(f"unbalanced object after {start!r}")


def _our_script(page: Path) -> str:
    ours = [s for s in _inline_scripts(page) if "messages[tag]" in s]
    assert len(ours) == 1, f"{page}: navbok's bokmål script appears {len(ours)} times"
    return ours[0]


def _script_messages(script: str) -> tuple[dict[str, str], dict[str, str]]:
    """(search-page messages, copy button messages) of navbok's inline script."""
    search = json.loads(re.search(r"messages: (\{.*?\})\n", script).group(1))  # type: ignore[union-attr]
    buttons = json.loads(re.search(r"messages\[tag\] = (\{.*?\});", script).group(1))  # type: ignore[union-attr]
    return search, buttons


def _gettext_ids(js: str) -> set[str]:
    """The msgids a Sphinx script translates: ``_("…")`` and ``Documentation.gettext("…")``."""
    found = set()
    for m in re.finditer(r'(?:\b_|Documentation\.gettext)\(\s*"((?:[^"\\]|\\.)*)"\s*\)', js):
        found.add(json.loads(f'"{m.group(1)}"'))
    return found


def check_scripts(html: Path) -> list[str]:
    """What is wrong with the pages' scripts: missing or English texts of the search page,
    the copy button and the toggle buttons (empty when all is bokmål)."""
    problems: list[str] = []
    static = html / "_static"
    translations = _js_call_object(
        (static / "translations.js").read_text("utf-8"), "addTranslations("
    )
    for p in book_pages(html):
        text = p.read_text("utf-8")
        if 'http-equiv="Refresh"' in text:
            continue  # a redirect (index.html → the first chapter)
        if "documentation_options.js" not in text:
            continue  # not a Sphinx page (the print summary): no search or copy scripts
        search, buttons = _script_messages(_our_script(p))
        effective = {**translations["messages"], **search}
        for name in ("searchtools.js", "sphinx_highlight.js"):
            for msgid in sorted(_gettext_ids((static / name).read_text("utf-8"))):
                text = effective.get(msgid, "")
                if not text or english(text) or (text == msgid and msgid.strip(", ") != "in"):
                    problems.append(f"{p.name}: {name} «{msgid}» → {text!r}")
        used = set(
            re.findall(
                r"messages\[locale\]\['(\w+)'\]", (static / "copybutton.js").read_text("utf-8")
            )
        )
        for key in sorted(used):
            if not buttons.get(key) or english(buttons[key]):
                problems.append(f"{p.name}: copybutton «{key}» → {buttons.get(key)!r}")
        for script in _inline_scripts(p):
            for name, value in re.findall(r"let (toggleHint\w+) = '([^']*)'", script):
                if english(value) or not value:
                    problems.append(f"{p.name}: {name} = {value!r}")
    return problems


# ------------------------------------------------------------------------------ catalogs

_PLACEHOLDER = re.compile(r"%\(\w+\)s|\$\{\w+\}|\{\w+\}")
SAME_IN_BOTH = {"logo", "Sphinx Book Theme"}  # msgids that stay as they are


def _site(package: str) -> Path:
    """The installed package's folder."""
    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.origin is not None, package
    return Path(spec.origin).parent


def _po_ids(path: Path) -> dict[str, str]:
    from babel.messages.pofile import read_po

    with path.open("rb") as fp:
        return {str(m.id): str(m.string or "") for m in read_po(fp) if m.id}


@pytest.mark.parametrize("domain", sphinx_nb.DOMAINS)
def test_catalog_parses_and_everything_is_translated(domain: str) -> None:
    from babel.messages.pofile import read_po

    with sphinx_nb.po_path(domain).open("rb") as fp:
        catalog = read_po(fp, abort_invalid=True)
    assert str(catalog.locale) == sphinx_nb.CATALOG_LANGUAGE
    problems = []
    for m in catalog:
        if not m.id:
            continue
        msgid, text = str(m.id), str(m.string or "")
        if not text or m.fuzzy:
            problems.append(f"untranslated: {msgid!r}")
        elif sorted(_PLACEHOLDER.findall(msgid)) != sorted(_PLACEHOLDER.findall(text)):
            problems.append(f"placeholders differ: {msgid!r} → {text!r}")
        elif english(text) or (text == msgid and msgid not in SAME_IN_BOTH):
            problems.append(f"still English: {msgid!r} → {text!r}")
    assert not problems, f"{sphinx_nb.po_path(domain)}:\n" + "\n".join(problems)
    assert sphinx_nb.catalog(domain).gettext(next(iter(sphinx_nb.messages(domain)))) != ""


def _sphinx_nb_no() -> dict[str, str]:
    return _po_ids(_site("sphinx") / "locale" / "nb_NO" / "LC_MESSAGES" / "sphinx.po")


def test_every_theme_string_has_bokmal() -> None:
    """Each string the installed themes and extensions translate has a bokmål translation."""
    ours = {d: sphinx_nb.messages(d) for d in sphinx_nb.DOMAINS}
    sphinx_core = _sphinx_nb_no()
    pydata = _po_ids(_site("pydata_sphinx_theme") / "locale" / "sphinx.pot")
    # pydata's templates also translate strings its .pot lacks (0.17)
    pydata_templates = {"More", "Search", "Section Navigation", "Site navigation"}
    missing = [
        f"sphinx: {m!r}"
        for m in sorted(set(pydata) | pydata_templates)
        if not ours["sphinx"].get(m) and not sphinx_core.get(m)
    ]
    book = _site("sphinx_book_theme")
    booktheme = set(
        _po_ids(
            book
            / "theme"
            / "sphinx_book_theme"
            / "static"
            / "locales"
            / "no"
            / "LC_MESSAGES"
            / "booktheme.po"
        )
    )
    for source in [
        *book.glob("*.py"),
        *book.glob("header_buttons/*.py"),
        *(book / "theme").rglob("*.html"),
    ]:
        text = source.read_text("utf-8")
        booktheme |= set(re.findall(r'\btranslat(?:e|ion)\(\s*["\']([^"\']+)["\']\s*\)', text))
    missing += [f"booktheme: {m!r}" for m in sorted(booktheme) if not ours["booktheme"].get(m)]
    toggle = _site("sphinx_togglebutton") / "translations" / "locales" / "no" / "LC_MESSAGES"
    missing += [
        f"togglebutton: {m!r}"
        for m in sorted(_po_ids(toggle / "togglebutton.po"))
        if not ours["togglebutton"].get(m)
    ]
    missing += [
        f"sphinx (literal): {m!r}" for m in sphinx_nb.LITERAL_TEXTS if m not in ours["sphinx"]
    ]
    missing += [
        f"sphinx (search page): {m!r}"
        for m in sphinx_nb.SEARCH_SCRIPT_TEXTS
        if not ours["sphinx"].get(m) and not sphinx_core.get(m)
    ]
    missing += [
        f"copybutton: {m!r}"
        for m in sphinx_nb.COPYBUTTON_TEXTS.values()
        if m not in ours["copybutton"]
    ]
    if not ours["sphinx"].get(sphinx_nb.JUPYTER_BOOK_SEARCH_TEXT):
        missing.append(f"sphinx: {sphinx_nb.JUPYTER_BOOK_SEARCH_TEXT!r}")
    assert not missing, "no bokmål for:\n" + "\n".join(missing)


def test_literal_texts_are_still_in_the_themes() -> None:
    """Each literal attribute value the loader replaces is still written by some template
    (a theme upgrade that drops one makes the entry dead; one that adds English is caught by
    the page scans)."""
    roots = [
        _site("sphinx") / "themes" / "basic",
        _site("pydata_sphinx_theme") / "theme",
        _site("sphinx_book_theme") / "theme",
    ]
    sources = "\n".join(p.read_text("utf-8") for r in roots for p in r.rglob("*.html"))
    dead = [t for t in sphinx_nb.LITERAL_TEXTS if f'="{t}"' not in sources]
    assert not dead, f"no template writes these any more: {dead}"


def test_install_puts_catalogs_first_once() -> None:
    """``install`` heads each domain's chain with navbok's catalog, once however often it runs."""
    import gettext

    from sphinx import locale

    saved = dict(locale.translators)
    try:
        locale.translators.clear()
        core = gettext.translation("sphinx", str(_site("sphinx") / "locale"), languages=["nb_NO"])
        locale.translators["general", "sphinx"] = core
        for _ in range(3):
            for domain in sphinx_nb.DOMAINS:
                sphinx_nb.install(domain)
        head = locale.translators["general", "sphinx"]
        chain = sphinx_nb._chain(head)
        assert isinstance(head, sphinx_nb.Catalog) and head.domain == "sphinx"
        assert sum(isinstance(t, sphinx_nb.Catalog) for t in chain) == 1
        assert head.gettext("On this page") == "På denne siden"  # ours
        assert head.gettext("Quick search") == "Hurtigsøk"  # Sphinx's nb_NO, as fallback
        assert head.gettext("Index") == "Register"  # ours wins over Sphinx's «Index»
        tb = locale.get_translation("togglebutton")
        assert tb("Click to show") == "Klikk for å vise"
        script = sphinx_nb.script()
        search, buttons = _script_messages(script)
        assert buttons == {
            "copy": "Kopier",
            "copy_to_clipboard": "Kopier til utklippstavlen",
            "copy_success": "Kopiert!",
            "copy_failure": "Kunne ikke kopiere",
        }
        assert search["Search Results"] == "Søkeresultater"
        assert "</" not in script.replace("<\\/", "")
    finally:
        locale.translators.clear()
        locale.translators.update(saved)


def test_loader_translates_only_the_listed_literals() -> None:
    from jinja2 import DictLoader, Environment

    inner = DictLoader(
        {
            "t.html": '<nav class="x" aria-label="Main"><a title="Main menu" href="#">'
            '{{ f(title="Main") }}</a><button title="Toggle primary sidebar"></button>'
            '<i alt="Page"></i></nav>'
        }
    )
    words = {"Main": "Hoved", "Page": "Side & «x»"}
    loader = sphinx_nb.TranslatingLoader(inner, lambda s: words.get(s, s))  # gettext-like
    source, _, _ = loader.get_source(Environment(), "t.html")
    assert 'aria-label="Hoved"' in source
    assert 'title="Main menu"' in source  # not a listed text
    assert '{{ f(title="Main") }}' in source  # a Jinja argument, not an attribute
    assert 'alt="Side &amp; «x»"' in source
    assert 'title="Toggle primary sidebar"' in source  # listed, but untranslated: kept


def test_extension_is_in_the_book_config() -> None:
    config = yaml.safe_load((REPO / "_config.yml").read_text("utf-8"))
    assert config["language"] in sphinx_nb.LANGUAGES
    assert config["sphinx"]["config"]["language"] in sphinx_nb.LANGUAGES
    assert "navbok.present.sphinx_nb" in config["sphinx"]["config"]["extensions"]


# ------------------------------------------------------------------------------ a small book

_CHAPTER = """# Et kapittel

Litt tekst om sosialhjelp.

## Tall

```python
print("kode med kopiknapp")
```

:::{admonition} Les mer
:class: dropdown
Skjult tekst.
:::

| Kommune | Andel |
|---|---|
| Bærum | 3,1 |
"""


@pytest.fixture(scope="module")
def small_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A two-page Jupyter Book with the repository's ``_config.yml``, built by the CLI."""
    root = tmp_path_factory.mktemp("nb-book")
    config = yaml.safe_load((REPO / "_config.yml").read_text("utf-8"))
    config["title"] = "Sosialtjenesten i Bærum"
    config.setdefault("html", {})["announcement"] = "DEMODATA: syntetiske testdata."
    (root / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    (root / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n- file: kapittel\n")
    (root / "intro.md").write_text("# Innledning\n\nOm boken.\n", "utf-8")
    (root / "kapittel.md").write_text(_CHAPTER, "utf-8")
    static = root / "_static"
    static.mkdir()
    for name in config["sphinx"]["config"].get("html_js_files", []):
        (static / name).write_text("", "utf-8")
    for name in config["sphinx"]["config"].get("html_css_files", []):
        (static / name).write_text("", "utf-8")
    jb = Path(sys.executable).with_name("jupyter-book")
    proc = subprocess.run(
        [str(jb), "build", str(root), "--builder", "html"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    html = root / "_build" / "html"
    assert proc.returncode == 0 and (html / "kapittel.html").is_file(), proc.stdout + proc.stderr
    return html


def test_small_book_pages_are_bokmal(small_book: Path) -> None:
    page = (small_book / "kapittel.html").read_text("utf-8")
    assert '<html lang="nb-NO"' in page
    assert "copybutton.js" in page and "togglebutton.js" in page  # the extensions are there
    findings = english_in_book(small_book)
    assert not findings, _report(findings)
    assert {p.name for p in small_book.glob("*.html")} >= {"search.html", "genindex.html"}


def test_small_book_scripts_are_bokmal(small_book: Path) -> None:
    problems = check_scripts(small_book)
    assert not problems, "\n".join(problems)


def test_small_book_search_uses_the_norwegian_stemmer(small_book: Path) -> None:
    assert "NorwegianStemmer" in (small_book / "_static" / "language_data.js").read_text("utf-8")


def test_scanner_finds_english_and_ignores_data(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(
        '<html><body><nav aria-label="Main"><a href="#">Forside</a></nav>'
        "<button>Copy</button>"
        '<article class="bd-article"><p>Next er et ord i en tabell om Main Street, By og Index.</p>'
        '<a class="headerlink" title="Link to this heading">#</a>'
        '<button class="copybtn" data-tooltip="Copy"></button></article>'
        '<input type="hidden" name="check_keywords" value="yes"/>'
        '<input type="submit" value="Go"/><footer>Av navbok</footer></body></html>',
        "utf-8",
    )
    found = {(f.english, f.where.split(" ")[0]) for f in english_in_page(page, tmp_path)}
    assert found == {
        ("Main", "aria-label="),
        ("Copy", "text"),
        ("Link to this heading", "title="),
        ("Copy", "data-tooltip="),
        ("Go", "value="),
    }


# ------------------------------------------------------------------------------ a real book


@pytest.fixture(scope="module")
def baerum_book(recorded_books: RecordedBooks) -> Path:
    """Bærum's book built from ``$NAVBOK_SOURCE`` (once per session)."""
    return recorded_books.html("3201")


@pytest.mark.replay
@pytest.mark.slow
def test_book_pages_are_bokmal(baerum_book: Path) -> None:
    pages = book_pages(baerum_book)
    assert {"search.html", "genindex.html"} <= {p.name for p in pages}
    assert any(p.parent.name == "chapters" for p in pages)
    findings = english_in_book(baerum_book)
    assert not findings, _report(findings)
    problems = check_scripts(baerum_book)
    assert not problems, "\n".join(problems)
    downloads = english_in_downloads(baerum_book)
    assert not downloads, "English in downloads:\n" + "\n".join(downloads)


# ------------------------------------------------------------------------------ in a browser


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed")
def test_copy_button_and_search_page_in_chromium(small_book: Path) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    args = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=args)
        try:
            page = browser.new_page()
            page.goto((small_book / "kapittel.html").as_uri())
            page.wait_for_selector(".copybtn", state="attached", timeout=10_000)
            button = page.query_selector(".copybtn")
            assert button is not None
            assert button.get_attribute("data-tooltip") == "Kopier"
            assert button.inner_html().count("<title>Kopier til utklippstavlen</title>") == 1
            hint = page.eval_on_selector(".dropdown .toggle-button", "b => b.textContent || ''")
            assert not english(hint), hint
            page.goto((small_book / "search.html").as_uri() + "?q=sosialhjelp")
            page.wait_for_function(
                "() => document.querySelector('#search-results p.search-summary, "
                "#search-results .search-summary')",
                timeout=10_000,
            )
            title = page.inner_text("#search-results h2")
            summary = page.inner_text("#search-results .search-summary")
            assert title == "Søkeresultater", title
            assert summary.startswith("Søket er ferdig: 1 treff"), summary
            page.goto((small_book / "search.html").as_uri() + "?q=zzzxyq")
            page.wait_for_function(
                "() => (document.querySelector('#search-results .search-summary') || {}).innerText",
                timeout=10_000,
            )
            none = page.inner_text("#search-results .search-summary")
            assert none.startswith("Søket ga ingen treff"), none
        finally:
            browser.close()
