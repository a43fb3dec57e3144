"""Where the running text of the chapters lives: the chapters' markdown, strings in the chapters'
code cells, or strings in the package's report modules (issue «Words where a writer looks for
them»).

Counts words of running Norwegian prose:

* ``chapters/*.md`` (not the glossary): the markdown cells' text without Jinja tags and slots,
  MyST roles' and directives' syntax, headings' markers and code; and the shared texts beside
  them (``chapters/_tekster/*``: the source box's words) without tags, Jinja and comments;
* the chapters' code cells: string literals of three words or more (with a space: an
  identifier such as ``andel_langtid_6mnd`` is not prose);
* ``src/navbok/report/*.py``: string literals (and f-strings' text) of three words or more,
  docstrings and the messages of ``raise`` excluded.

Prints the three shares; ``--min-chapters P`` exits 1 when the chapters' markdown holds less
than ``P`` percent (``make test`` runs it with 70).
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parent.parent
WORD = re.compile(r"[A-Za-zÆØÅæøåÁáČčĐđŊŋŠšŦŧŽžÉé]{2,}")
MIN_WORDS = 3
TAG = re.compile(r"<[^>]+>")
JINJA = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)
ROLE = re.compile(r"\{[\w:-]+\}`([^`<]*)(<[^>]*>)?`")
DIRECTIVE_LINE = re.compile(r"^(```|:::|:\w[\w-]*:|\+\+\+|\(.*\)=)")


def words(text: str) -> int:
    """Words of letters (two or more) in ``text``."""
    return len(WORD.findall(text))


def markdown_words(source: str) -> int:
    """Words of a markdown cell a reader sees (the text of roles counts, their names do not)."""
    text = JINJA.sub(" ", source)
    text = ROLE.sub(lambda m: f" {m.group(1)} ", text)
    kept = [line for line in text.splitlines() if not DIRECTIVE_LINE.match(line.strip())]
    return words("\n".join(kept))


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _raised(tree: ast.AST) -> set[int]:
    """ids of the nodes inside ``raise`` statements (messages to developers)."""
    return {id(n) for r in ast.walk(tree) if isinstance(r, ast.Raise) for n in ast.walk(r)}


def code_words(source: str) -> int:
    """Words of prose in the string literals of Python ``source`` (three words or more)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return 0
    skip = _docstrings(tree) | _raised(tree)
    inside_fstring = {
        id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values
    }
    total = 0
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.JoinedStr):
            parts = [v.value for v in node.values if isinstance(v, ast.Constant)]
            text = " ".join(p for p in parts if isinstance(p, str))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in inside_fstring
        ):
            text = node.value
        else:
            continue
        n = words(text)
        if n >= MIN_WORDS and " " in text.strip():  # an identifier or a slug is not prose
            total += n
    return total


def count(root: Path = ROOT) -> dict[str, int]:
    """Words of prose in the chapters' markdown, their code cells and the report modules."""
    md = code = 0
    for path in sorted((root / "chapters").glob("*.md")):
        if path.stem == "ordliste":
            continue
        nb = jupytext.read(path)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                md += markdown_words(cell.source)
            elif cell.cell_type == "code":
                code += code_words(cell.source)
    for path in sorted((root / "chapters" / "_tekster").glob("*")):
        md += markdown_words(TAG.sub(" ", path.read_text("utf-8")))
    modules = sorted((root / "src/navbok/report").glob("*.py"))
    report = sum(code_words(p.read_text()) for p in modules)
    return {"chapters": md, "chapter code": code, "report modules": report}


def main(argv: list[str] | None = None) -> int:
    """Print the shares; exit 1 below ``--min-chapters``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-chapters", type=float, default=0.0)
    args = parser.parse_args(argv)
    counts = count()
    total = sum(counts.values()) or 1
    for name, n in counts.items():
        print(f"{name:>15}: {n:6d} words  {100 * n / total:5.1f} %")
    share = 100 * counts["chapters"] / total
    if share < args.min_chapters:
        print(
            f"prose: {share:.1f} % of the text is in chapters/*.md, under {args.min_chapters:g} %"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
