"""The print summary as a reader prints it (issue 22, review finding 43): titled «på én side»,
it prints on one A4 page in Chromium, with seven findings a fifth longer than Bergen's (the
longest of the reviewed books) and the county map drawn; its
labels wrap between words, never inside one.

Needs Debian's chromium (skipped without it)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from navbok.params import Params
from navbok.present.bundle import write_vega_bundle
from navbok.present.exports import Provenance
from navbok.report import Report
from navbok.site.overview import overview
from navbok.site.summary import write_summary

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")

FINDING = (
    "I 2024 mottok 4,17 prosent av innbyggerne 18–66 år i kommunen økonomisk sosialhjelp, på "
    "nivå med ASSS-snittet (4,11), 6. høyest av de 12 ASSS-kommunene; andelen har økt fra 3,90 "
    "prosent i 2019, og utbetalingene per innbygger 18–66 år var 2\u00a0866 kroner."
)


def _intro(path: Path, findings: int, facts: list[dict] | None = None) -> Path:
    """An executed intro notebook that says ``findings`` long findings and a «Hva betyr
    dette?» text (its filled markdown) and glues the book's headline facts (the summary's
    key-figure table)."""
    items = "\n".join(f"* {FINDING}" for _ in range(findings))

    def markdown(source: str) -> dict:
        return {"cell_type": "markdown", "source": source, "metadata": {}}

    cell = {"cell_type": "code", "source": "", "metadata": {}, "execution_count": 1,
            "outputs": []}  # fmt: skip
    if facts:
        cell["outputs"].append(
            {"output_type": "display_data", "metadata": {"scrapbook": {"name": "fakta"}},
             "data": {"application/papermill.record/text/plain": json.dumps(facts)}}
        )  # fmt: skip
    cells = [
        cell,
        markdown(f"## Hovedfunn\n\n{items}"),
        markdown(f"```{{admonition}} Hva betyr dette?\n{FINDING}\n```"),
    ]
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}), "utf-8")  # fmt: skip
    return path


def _summary(mini_data, tmp_path: Path) -> Path:
    html_dir = tmp_path / "html"
    write_vega_bundle(html_dir / "_static")
    view = overview(mini_data)
    kommune = "3201" if "3201" in set(view.frame["kommune"]) else str(view.frame["kommune"][0])
    # the book's facts with an older barometer edition too: the longest table a summary has
    book = Report(mini_data, Params(kommune=kommune, name="Bærum", barometer_year=2024))
    facts = book.facts.table().records()
    return write_summary(
        mini_data, view, kommune, html_dir, _intro(tmp_path / "intro.ipynb", 7, facts),
        provenance=Provenance.of(mini_data.snapshot),
    )  # fmt: skip


def test_the_summary_prints_on_one_a4_page(mini_data, tmp_path: Path) -> None:
    page = _summary(mini_data, tmp_path)
    text = page.read_text("utf-8")
    assert "på én side" in text and '<table class="nokkeltall"' in text
    pdf = tmp_path / "sammendrag.pdf"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--virtual-time-budget=10000", f"--print-to-pdf={pdf}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    pages = re.findall(rb"/Type\s*/Page(?![a-z])", pdf.read_bytes())
    assert len(pages) == 1


def test_summary_labels_never_break_inside_a_word(mini_data, tmp_path: Path) -> None:
    css = _summary(mini_data, tmp_path).read_text("utf-8").split("<style>", 1)[1]
    css = css.split("</style>", 1)[0]
    # «Stønadslengd / e (mnd)»: a rule that lets the browser break anywhere inside a word.
    assert "overflow-wrap:anywhere" not in css and "word-break:break-all" not in css
    assert re.search(r"\.nokkeltall th,\.nokkeltall td\{overflow-wrap:normal", css)
