"""No line break inside a number, and no needless decimals on an axis (issue 22, review finding
44: «KVP-mottakere per 1 / 000», «under 5 / 000 innbyggere», axes «−10,0», «25,00»)."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pandas as pd
import vl_convert as vlc

from navbok import indicators as ind
from navbok.peers import kostra_description
from navbok.present import chart_specs, theme
from navbok.present.numbers import NBSP, whole_numbers
from navbok.site import landing

SRC = Path(__file__).resolve().parent.parent / "src" / "navbok"
#: A space inside a number: «1 000», «74 999».
BROKEN = re.compile(r"\d [0-9]{3}(?![0-9])")


def _svg_texts(spec: dict) -> list[str]:
    """Every line of text in the rendered chart (a wrapped label's lines are ``tspan``s)."""
    svg = vlc.vegalite_to_svg(spec)
    lines = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    lines += re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    return [t.replace("&#160;", NBSP) for t in lines]


def test_whole_numbers_joins_the_groups_of_a_number_only() -> None:
    assert whole_numbers("per 1 000 innbyggere") == f"per 1{NBSP}000 innbyggere"
    assert whole_numbers("20 000–74 999") == f"20{NBSP}000–74{NBSP}999"
    assert whole_numbers("i 2019 2020 og 18 år") == "i 2019 2020 og 18 år"  # not numbers


def test_labels_the_reader_sees_keep_their_numbers_whole() -> None:
    for spec in ind.register().values():
        for field in ("label", "short", "profile", "legend", "definition", "unit"):
            assert not BROKEN.search(getattr(spec, field)), (spec.id, field)
    text = kostra_description("KOSTRA-gruppe 4 - Kommuner med under 5 000 innbyggere, høye")
    assert f"under 5{NBSP}000 innbyggere" in text
    # The texts the chapters and figures write (docstrings and comments aside).
    found = []
    for folder in ("report", "analysis", "present"):
        for path in sorted((SRC / folder).rglob("*.py")):
            tree = ast.parse(path.read_text("utf-8"))
            docs = {
                id(node.body[0].value)
                for node in ast.walk(tree)
                if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
                and node.body
                and isinstance(node.body[0], ast.Expr)
            }
            found += [
                f"{path.name}:{node.lineno}"
                for node in ast.walk(tree)
                if isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docs
                and BROKEN.search(node.value)
            ]
    assert found == []


def test_the_overview_header_keeps_the_number_whole(tmp_path: Path) -> None:
    from test_landing_reader import _overview

    books = {"4601": landing.Book("4601", "../4601/html/index.html")}
    page = landing.landing_page(_overview(), books, tmp_path).read_text("utf-8")
    assert f"KVP per 1{NBSP}000" in page and "KVP per 1 000" not in page


def test_a_wrapped_category_label_never_breaks_inside_a_number() -> None:
    labels = ["KVP-mottakere per 1\u00a0000", "Mottakere av kvalifiseringsstønad per 1\u00a0000 i"]
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "config": theme.CONFIG,
        "width": 300,
        "data": {"values": [{"k": k, "v": 1.0} for k in labels]},
        "mark": "bar",
        "encoding": {
            "y": {"field": "k", "type": "nominal", "axis": theme.BAND_AXIS, "title": None},
            "x": {"field": "v", "type": "quantitative"},
        },
    }
    texts = _svg_texts(spec)
    assert not [t for t in texts if t.startswith("000")], texts
    assert any(t.endswith(f"1{NBSP}000") for t in texts), texts


def test_axis_ticks_carry_no_needless_decimals() -> None:
    frame = pd.DataFrame({"År": [2020, 2021, 2022], "Verdi": [10.0, 25.0, -10.0],
                          "Serie": ["A", "A", "A"]})  # fmt: skip
    spec = chart_specs.line_chart(
        frame, "År", "Verdi", "Serie", "A", "Tittel", "Beskrivelse", "per 1 000", ",.2f"
    )
    texts = _svg_texts(spec)
    assert "25" in texts and "\u221210" in texts
    assert not [t for t in texts if re.fullmatch(r"\u2212?\d+,0+", t)], texts
    # The tooltips keep the value's decimals.
    assert '"format": ",.2f"' in json.dumps(spec)
