"""Data is text (issue 26, item 1; item 7's absolute paths).

A municipality name from KLASS, a params value (title, name, mandate, texts) or a local file's
cell reaches the book only as text: the one escaper (:mod:`navbok.present.markdown`) on hostile
strings, the places that use it, and a book built from a recording and a params file full of
markup and injection attempts, every published file scanned (the book needs NAVBOK_SOURCE).
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from markdown_it.renderer import RendererHTML
from markupsafe import Markup
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from navbok.builder import engine
from navbok.present import sphinx_nb
from navbok.present.exports import FORMULA, csv_bytes, text_cells, xlsx_bytes
from navbok.present.markdown import Markdown, escape, plain_text
from navbok.project import Project
from navbok.report.context import Context
from navbok.site.workbook import _parse_csv

ROOT = Project.find().root

#: Every MyST extension a book might switch on (Jupyter Book's defaults among them).
EXTENSIONS = {
    "amsmath", "attrs_block", "attrs_inline", "colon_fence", "deflist", "dollarmath",
    "fieldlist", "html_admonition", "html_image", "linkify", "strikethrough", "substitution",
    "tasklist",
}  # fmt: skip
MYST = create_md_parser(MdParserConfig(enable_extensions=EXTENSIONS), RendererHTML)
#: ``{glue:md}`key``` renders inline with an isolated CommonMark parser (myst-nb's default).
COMMONMARK = create_md_parser(MdParserConfig(commonmark_only=True), RendererHTML)
TEXT_TOKENS = {"paragraph_open", "paragraph_close", "inline", "text", "softbreak"}

HOSTILE = [
    "Bærum<img src=x onerror=alert(1)>",
    "<script>alert(2)</script>",
    "Navn {raw}`html <b>fet</b>` og {eval-rst}`x`",
    "```{raw} html\n<script>alert(3)</script>\n```",
    ":::{admonition} x\ninnhold\n:::",
    "[lenke](javascript:alert(4)) og ![bilde](x.png) og <https://evil.example>",
    "`kode` og ``mer kode``",
    "$x^2$ og $$y$$ og \\(z\\)",
    "tekst\n# Overskrift\n## To\n---\n===",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "- punkt\n+ punkt\n* punkt\n1. en\n2) to\n> sitat",
    "    kodeblokk\n\tmed tab",
    "(mål)=\n% kommentar\n+++\n: definisjon",
    "**fet** og _kursiv_ og ~~strek~~ og {{ substitusjon }}",
    "https://evil.example og www.evil.example og a@evil.example",
    "&lt;entitet&gt; &amp; &#60;script&#62; \\* bakstrek\\",
    "[^1]: fotnote\n[ref]: https://evil.example",
    "<div>\nblokk\n</div>",
    "linje\r\nmed CRLF\rog CR",
    "hardt  \nbrudd\t\nher",
]
#: Ordinary prose and numbers come out as they went in (the goldens stay byte-identical).
ORDINARY = [
    "Bærum",
    "Aurskog-Høland",
    "Oslo - Oslove",
    "2,46 prosent av innbyggerne 18–66 år i Bærum",
    "−18,2 % og +26,9 % og -3,4 %",
    "Karakteren er 3,5 − 2,5 × |6,01 − 4,69| / |6,32 − 4,69| = 1,47.",
    "Mandatet: Hvorfor er andelen lav? «Sitat» (2015–2019).",
    " (lavest av de 11 ASSS-kommunene)",
    "KOSTRA-gruppe 12 (kommuner med 75 000–300 000 innbyggere)",
]


def _text(markdown: str, *, inline: bool = False) -> tuple[set[str], str]:
    """The token types ``markdown`` parses into and the text it shows (lines joined)."""
    md = COMMONMARK if inline else MYST
    tokens = md.parseInline(markdown) if inline else md.parse(markdown)
    types, words = set(), []
    for token in tokens:
        types.add(token.type)
        for child in token.children or []:
            types.add(child.type)
            words.append(child.content if child.type == "text" else " ")
        if token.type == "paragraph_close":
            words.append(" ")
    return types, " ".join("".join(words).split())


@pytest.mark.parametrize("hostile", HOSTILE)
def test_escaped_text_renders_as_exactly_that_text(hostile: str) -> None:
    md = escape(hostile)
    shown = " ".join(hostile.split())
    for inline in (False, True):  # a block glue (MyST, every extension) and an inline role
        types, text = _text(md, inline=inline)
        assert types <= TEXT_TOKENS, (hostile, types)
        assert text == shown
    assert "<" not in md and ">" not in md  # no tag, also not in the notebook's Markdown
    assert plain_text(md) == shown
    assert escape(md) is md  # Markdown is not escaped twice


@pytest.mark.parametrize("ordinary", ORDINARY)
def test_ordinary_text_is_unchanged(ordinary: str) -> None:
    assert escape(ordinary) == ordinary


def test_our_markdown_stays_markup_and_the_values_become_text() -> None:
    name = "A<b>x</b>"
    bold = Markdown("**Forventet.** Hvis {navn} hadde {v}").format(navn=name, v="`1`")
    assert bold == "**Forventet.** Hvis A&lt;b&gt;x&lt;/b&gt; hadde \\`1\\`"
    assert "strong_open" in _text(bold)[0]
    history = Markdown("`navbok fetch`")
    assert "en *tekst* " + history == "en \\*tekst\\* `navbok fetch`"  # str + Markdown
    assert history + " *mer*" == "`navbok fetch` \\*mer\\*"
    listing = Markdown("\n").join(Markdown("* {}").format(f) for f in ["<i>", "# to"])
    assert listing == "* &lt;i&gt;\n* \\# to"
    assert [plain_text(line[2:]) for line in listing.splitlines()] == ["<i>", "# to"]
    # A chapter's template: the template is ours (bold stays), {{ navn }} and slots are text.
    from navbok.present.chapter_text import render

    text = render(
        "**{{ navn }}**: {{ x }} prosent.",
        {"navn": "Bærum<img src=x onerror=alert(1)>", "x": "<b>2,5</b>"},
    )
    assert text == "**Bærum&lt;img src=x onerror=alert(1)&gt;**: &lt;b&gt;2,5&lt;/b&gt; prosent."


def test_glue_escapes_text_and_passes_our_markdown(monkeypatch: pytest.MonkeyPatch) -> None:
    import myst_nb

    glued: dict[str, str] = {}
    monkeypatch.setattr(myst_nb, "glue", lambda k, v, display: glued.update({k: v.text}))
    Context.glue(None, "navn", "Bærum<img src=x onerror=alert(1)>")  # type: ignore[arg-type]
    Context.glue(None, "liste", Markdown("* **fet**"))  # type: ignore[arg-type]
    assert glued == {"navn": "Bærum&lt;img src=x onerror=alert(1)&gt;", "liste": "* **fet**"}


def test_the_title_is_escaped_once_on_every_page() -> None:
    context = {"docstitle": "Tittel <img src=x onerror=alert(1)>", "shorttitle": "Kort"}
    sphinx_nb._text_title(None, "index", "page.html", context, None)  # type: ignore[arg-type]
    assert context["docstitle"] == "Tittel &lt;img src=x onerror=alert(1)&gt;"
    assert isinstance(context["docstitle"], Markup) and context["shorttitle"] == "Kort"


def test_downloads_keep_formulas_as_text() -> None:
    cells = ["=HYPERLINK(\"http://x\";\"a\")", "@SUM(1)", "+1+cmd", "-2+3", "\tTAB", "-3,4 %",
             "+26,9", "-", "Bærum"]  # fmt: skip
    frame = pd.DataFrame({"Serie": cells, "=kolonne": range(len(cells))})
    text = csv_bytes(frame).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Serie", "'=kolonne"]
    assert [r[0] for r in rows[1:]] == [
        "'=HYPERLINK(\"http://x\";\"a\")", "'@SUM(1)", "'+1+cmd", "'-2+3", "'\tTAB", "-3,4 %",
        "+26,9", "-", "Bærum",
    ]  # fmt: skip
    assert not any(FORMULA.match(c) for r in rows for c in r)
    # the workbook made from the CSV downloads shows the text as it was
    _, header, body = _parse_csv(text)
    assert header == ["Serie", "=kolonne"] and [r[0] for r in body] == cells
    assert text_cells(pd.DataFrame({"a": ["x"], "n": [1]})).columns.tolist() == ["a", "n"]
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes(frame))) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "=HYPERLINK(" in html.unescape(sheet)


def test_published_notebooks_name_no_folder_of_the_machine(tmp_path: Path) -> None:
    stage = tmp_path / "_build" / "3201" / "src"
    params = {
        "kommune": "3201",
        "snapshot": str(tmp_path / "data" / "snapshot"),
        "params_file": str(stage / "params.yml"),
        "cache_dir": str(tmp_path / "cache"),
    }
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("\n".join(f"{k} = {v!r}" for k, v in params.items()))]
    nb.cells[0].outputs = [
        nbformat.v4.new_output("stream", name="stderr", text=f"{Path.home()}/x.py:1: Warning"),
        nbformat.v4.new_output("display_data", data={"text/plain": "https://x.no/tmp/ok"}),
    ]
    nb.metadata["papermill"] = {"input_path": str(tmp_path / "_build" / "_chapters" / "a.ipynb"),
                                "output_path": str(stage / "chapters" / "a.ipynb"),
                                "parameters": params}  # fmt: skip
    src, dest = Path(nb.metadata.papermill.input_path), Path(nb.metadata.papermill.output_path)
    engine.relative_paths(nb, engine.machine_folders(params, src, dest))
    text = json.dumps(nb)
    assert str(tmp_path) not in text and str(Path.home()) + "/" not in text
    assert "snapshot = 'snapshot'" in nb.cells[0].source
    assert "params_file = 'params.yml'" in nb.cells[0].source
    assert nb.metadata.papermill.output_path == "a.ipynb"
    assert nb.cells[0].outputs[1].data["text/plain"] == "https://x.no/tmp/ok"  # not a path


# ------------------------------------------------------------------ a book full of markup

TITLE = "Tittel <img src=x onerror=alert(11)> {raw}`html <b>fet</b>` **stjerner**"
NAME = "Bærum<script>alert(12)</script>"
KLASS_NAME = "Bærum<img src=x onerror=alert(1)>"
NEIGHBOUR = '=HYPERLINK("http://evil.example";"Asker")'
MANDATE = (
    "Mandat <img src=x onerror=alert(13)> og [lenke](javascript:alert(14))\n\n"
    "# Overskrift\n\n```{raw} html\n<script>alert(15)</script>\n```\n\n"
    "{eval-rst}`.. raw:: html` $x^2$ <https://evil.example>\n| a | b |\n|---|---|"
)
TEXTS = {
    "aap_intro": "AAP-intro <iframe src=javascript:alert(16)></iframe> `kode`",
    "aap_ratio": "Ratio {sub}`x` <svg onload=alert(17)> ![bilde](x.png)",
}
LOCAL = (
    "# source: Kilde <script>alert(18)</script>\n"
    "Forhold,=SUM(1+1),Verdi\n"
    '<img src=x onerror=alert(19)>,@kolonne,"-2+3"\n'
)
#: A tag, a script, a link or an event handler from the data, live (every attempt carries
#: its own «alert(n)»).
LIVE = re.compile(
    r"<(?:img|script|iframe|svg)\b[^<>]*alert\(\d+\)|<script>\s*alert\(\d+\)|<b>fet</b>"
    r"|href=[\"']?javascript:alert|<a [^>]*evil\.example",
    re.IGNORECASE,
)
_CSV_LINK = re.compile(r"data:text/csv[^,\"]*;base64,([A-Za-z0-9+/=]+)")
#: Markdown tokens that would be markup (code spans are ours: the AAP history command).
MARKUP_TOKENS = {
    "html_inline", "html_block", "link_open", "image", "myst_role", "math_inline",
    "math_block", "math_inline_double", "fence", "heading_open", "table_open", "colon_fence",
}  # fmt: skip


class _Visible(HTMLParser):
    """The text a reader sees (no script or style), and the page's <title>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._stack:
            del self._stack[self._stack.index(tag) :]

    def handle_data(self, data: str) -> None:
        if "title" in self._stack:
            self.title += data
        elif not {"script", "style"} & set(self._stack):
            self.parts.append(data)

    @classmethod
    def of(cls, page: Path) -> _Visible:
        parser = cls()
        parser.feed(page.read_text("utf-8"))
        return parser

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def _hostile_recording(dest: Path) -> Path:
    """The recording ($NAVBOK_SOURCE) linked file by file, with KLASS naming Bærum
    ``KLASS_NAME`` and Asker ``NEIGHBOUR``."""
    root = shutil.copytree(os.environ["NAVBOK_SOURCE"], dest, copy_function=os.symlink)
    names = {"Bærum": KLASS_NAME, "Asker": NEIGHBOUR}

    def rename(value: object) -> object:
        if isinstance(value, dict):
            return {k: rename(v) for k, v in value.items()}
        if isinstance(value, list):
            return [rename(v) for v in value]
        return names.get(value, value) if isinstance(value, str) else value

    for path in (root / "klass").glob("*.json"):
        doc = rename(json.loads(path.read_text("utf-8")))
        path.unlink()
        path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return root


def _notebook_markdown(nb: dict) -> list[str]:
    """Every Markdown a notebook renders: its glued texts and Markdown outputs."""
    found = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            for mime, value in output.get("data", {}).items():
                if mime.endswith("text/markdown"):
                    found.append("".join(value) if isinstance(value, list) else value)
    return found


def _scan_published(build: Path, folders: list[str]) -> tuple[dict[str, int], list[str]]:
    """Check every published file (a book's html/ and the site/) for live markup and
    formulas; returns the files by kind and the files that name one of ``folders``."""
    counts: dict[str, int] = {}
    leaks: list[str] = []
    for path in [
        *sorted((build / "3201" / "html").rglob("*")),
        *sorted((build / "site").rglob("*")),
    ]:
        if not path.is_file():
            continue
        kind = path.suffix.lstrip(".")
        raw = path.read_bytes()
        if kind == "xlsx":
            with zipfile.ZipFile(io.BytesIO(raw)) as z:
                parts = [z.read(n).decode("utf-8") for n in z.namelist()]
            assert not any("<f>" in p for p in parts), path  # no formula
            text = "".join(parts)
        elif kind in ("html", "js", "json", "ipynb", "csv", "txt", "css"):
            text = raw.decode("utf-8", errors="replace")
        else:
            continue
        counts[kind] = counts.get(kind, 0) + 1
        leaks += [f"{path} names {folder}" for folder in folders if folder in text]
        if kind in ("html", "js"):
            live = LIVE.search(text)
            assert live is None, f"{path}: {text[max(0, live.start() - 80) : live.end() + 40]}"
            for payload in _CSV_LINK.findall(text):  # the downloads under every figure
                _check_csv(path, base64.b64decode(payload).decode("utf-8-sig"))
        elif kind == "ipynb":
            nb = json.loads(text)
            for markdown in _notebook_markdown(nb):
                tokens = set()
                for token in MYST.parse(markdown):
                    tokens |= {token.type} | {c.type for c in token.children or []}
                assert not tokens & MARKUP_TOKENS, (path, markdown[:300])
            for cell in nb["cells"]:
                for output in cell.get("outputs", []):
                    fragment = output.get("data", {}).get("text/html", "")
                    fragment = "".join(fragment) if isinstance(fragment, list) else fragment
                    assert not LIVE.search(fragment), path
        elif kind == "csv":
            _check_csv(path, text.lstrip("\ufeff"))
    return counts, leaks


def _check_csv(path: Path, text: str) -> None:
    """No cell of a CSV download starts like a formula."""
    body = [line for line in text.splitlines() if not line.startswith("#")]
    for row in csv.reader(body, delimiter=";"):
        assert not any(FORMULA.match(cell) for cell in row), (path, row)


@pytest.mark.slow
@pytest.mark.replay
@pytest.mark.skipif(not os.environ.get("NAVBOK_SOURCE"), reason="needs NAVBOK_SOURCE")
def test_a_book_full_of_markup_shows_it_as_text(tmp_path: Path) -> None:
    from navbok import snapshot as snap
    from navbok.sources.origin import RecordedSource

    recording = _hostile_recording(tmp_path / "recording")
    snapshot = snap.fetch(RecordedSource(recording), tmp_path / "snapshot")
    work = tmp_path / "work"  # navbok reads params/ from the working folder
    (work / "params").mkdir(parents=True)
    (work / "params" / "lokal.csv").write_text(LOCAL, "utf-8")
    params = {"kommune": "3201", "name": NAME, "title": TITLE, "mandate": MANDATE,
              "neighbours": ["3203"], "texts": TEXTS,
              "local_data": {"kontekst": "lokal.csv"}}  # fmt: skip
    (work / "params" / "3201.yml").write_text(json.dumps(params, ensure_ascii=False), "utf-8")
    build = tmp_path / "build"
    # In a process of its own, from the working folder, as a user runs it: a build in the test
    # process would leave its working folder and kernels behind for the tests after it.
    paths = ", ".join(repr(str(p)) for p in (snapshot, tmp_path / "cache", build))
    run = f"from navbok.builder import pipeline; pipeline.main('3201', False, {paths})"
    done = subprocess.run(
        [sys.executable, "-c", run], cwd=work, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr

    html_dir = build / "3201" / "html"
    folders = [str(tmp_path), str(ROOT), str(Path.home()) + "/"]
    counts, leaks = _scan_published(build, folders)
    assert counts["html"] >= 9 and counts["ipynb"] >= 6 and counts["xlsx"] >= 1, counts

    # The reader sees the data as it was written: not markup, not escaped twice.
    intro = _Visible.of(html_dir / "chapters" / "intro.html")
    assert intro.title.endswith(TITLE), intro.title
    mandate = [
        "Mandat <img src=x onerror=alert(13)> og [lenke](javascript:alert(14))",
        "# Overskrift",
        "```{raw} html <script>alert(15)</script> ```",
        "{eval-rst}`.. raw:: html` $x^2$ <https://evil.example> | a | b |",
    ]
    for expected in (NAME, KLASS_NAME, *mandate):
        assert expected in intro.text, expected
    aap = _Visible.of(html_dir / "chapters" / "aap.html").text
    assert TEXTS["aap_intro"] in aap and TEXTS["aap_ratio"] in aap
    assert "Kilde <script>alert(18)</script>" in aap and "<img src=x onerror=alert(19)>" in aap
    assert NEIGHBOUR in intro.text  # «nabokommunen =HYPERLINK(…)»
    summary = _Visible.of(html_dir / "sammendrag.html")
    assert summary.title.startswith(KLASS_NAME) and NAME in summary.text
    site = _Visible.of(build / "site" / "index.html").text
    assert KLASS_NAME in site
    for page in (intro.text, aap, summary.text, site):
        assert not re.search(r"&lt;|&amp;|\\[<>*`_#\[\]{}]|&#", page)
    # The configuration carries the text; the downloads carry it too (formulas as text).
    config = (build / "3201" / "src" / "_config.yml").read_text("utf-8")
    assert "title:" in config and "&lt;" not in config
    national = (build / "site" / "data" / "navbok-kommuner.csv").read_text("utf-8-sig")
    assert KLASS_NAME in national and "'" + NEIGHBOUR.replace('"', '""') in national
    # No published file names a folder of the build machine (the notebooks' parameters).
    assert leaks == []
