"""Every chapter's templates against the slots its code says, for every branch — not only the
branches the three golden books run: a slot a template names must be said by a ``r.say(...)``
above it (a typo in a branch Bærum, Utsira and Oslo never take would otherwise stop another
municipality's build). And no sentence is parsed back from formatted text."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import jinja2
import jinja2.meta
import jinja2.nodes
import jupytext
import pytest

from navbok.present import chapter_text

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted(p for p in (ROOT / "chapters").glob("*.md") if p.stem != "ordliste")


def _said(source: str) -> set[str]:
    """The slot names a code cell says (keyword arguments of ``r.say``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "say"
        ):
            found |= {k.arg for k in node.keywords if k.arg}
    return found


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_slot_a_template_names_is_said_above_it(path: Path) -> None:
    env = chapter_text._ENV
    said = {"navn"}
    problems = []
    for cell in jupytext.read(path).cells:
        if cell.cell_type == "code":
            said |= _said(cell.source)
        elif chapter_text.is_template(cell.source):
            tree = env.parse(cell.source)
            names = jinja2.meta.find_undeclared_variables(tree)
            names -= {n.name for n in tree.find_all(jinja2.nodes.Name) if n.ctx == "store"}
            said |= {m.name for m in tree.find_all(jinja2.nodes.Macro)}  # lent to cells below
            problems += [f"{path.name}: {{{{ {n} }}}}" for n in sorted(names - said)]
    assert not problems, "slots no r.say(...) above fills: " + ", ".join(problems)


def test_the_check_sees_a_slot_nobody_says(tmp_path: Path) -> None:
    env = chapter_text._ENV
    names = jinja2.meta.find_undeclared_variables(env.parse("{% if x %}{{ y }}{% endif %}"))
    assert names - _said("r.say(x=1)") == {"y"}


#: Ways of asking formatted text whether a number is missing, or of taking words apart that
#: other code wrote (issue 23): the value and its status answer that (navbok.present.shown).
PARSED_PROSE = [
    re.compile(r"MISSING_TEXTS"),
    re.compile(r"""\.split\(\s*["'] \(["']\s*\)"""),
    re.compile(r"""startswith\(\s*["']ukjent"""),
    re.compile(r"""["']–["']\s+(not\s+)?in\b"""),
]


def test_no_sentence_is_parsed_back_from_text() -> None:
    found = [
        f"{p.relative_to(ROOT)}:{n}: {line.strip()}"
        for p in sorted((ROOT / "src/navbok").rglob("*.py"))
        for n, line in enumerate(p.read_text("utf-8").splitlines(), 1)
        if any(rx.search(line) for rx in PARSED_PROSE)
    ]
    assert not found, "\n".join(found)
