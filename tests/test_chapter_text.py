"""navbok.present.chapter_text: a chapter's markdown cells are templates filled after execution
with the slots its code cells said; data stays text; a missing slot is one clear line."""

from __future__ import annotations

from pathlib import Path

import jinja2
import nbformat
import pytest

from navbok.present.chapter_text import (
    SLOTS_MIME,
    ChapterTextError,
    _Slots,
    fill_notebook,
    render,
)
from navbok.present.markdown import Markdown
from navbok.present.shown import Shown, shown


def _said(**values: object) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("r.say(...)")
    bundle = _Slots(values)._repr_mimebundle_()
    cell.outputs = [nbformat.v4.new_output("display_data", data=bundle)]
    return cell


def test_slots_fill_the_markdown_below_and_leave_no_trace() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("Før: {{ navn | default('ingen') }}"),
        _said(navn="Bærum", kvp=shown(2.9, 2), sml="ASSS-snittet"),
        nbformat.v4.new_markdown_cell(
            "{% if kvp %}\nI Bærum var det {{ kvp }} per 1 000, mot {{ sml }}.\n"
            "{% else %}\nTallet {{ kvp.gap }}.\n{% endif %}"
        ),
        nbformat.v4.new_markdown_cell("{% if False %}\nAldri.\n{% endif %}"),
        nbformat.v4.new_markdown_cell("Vanlig tekst med {term}`Ordliste`."),
    ]
    fill_notebook(nb, "kvp.md")
    texts = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert texts == [
        "Før: ingen",
        "I Bærum var det 2,90 per 1\u00a0000, mot ASSS-snittet.",
        "Vanlig tekst med {term}`Ordliste`.",
    ]
    assert all(SLOTS_MIME not in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))


def test_a_missing_value_is_asked_of_its_status() -> None:
    hidden = shown(float("nan"), 2, ":")
    assert not hidden and hidden.missing and hidden.suppressed
    assert hidden.gap == "er skjult av personvernhensyn" and str(hidden) == ":"
    assert shown(None, 1).gap == "mangler"
    zero = shown(0.0, 2)
    assert zero and zero.zero and str(zero) == "0,00"  # zero is a value, not a gap
    text = "{% if x %}{{ x }}{% else %}Tallet {{ x.gap }}.{% endif %}"
    assert render(text, {"x": hidden}) == "Tallet er skjult av personvernhensyn."
    assert render(text, {"x": shown(1234.5, 1)}) == "1\u00a0234,5"
    assert Shown.from_json(hidden.to_json()) == hidden


def test_data_is_text_our_markdown_is_markup() -> None:
    out = render("{{ navn }} og {{ lenke }}", {"navn": "**X** <b>", "lenke": Markdown("**fet**")})
    assert out == "\\*\\*X\\*\\* &lt;b&gt; og **fet**"


def test_decimals_filter() -> None:
    assert render("{{ x | desimaler(0) }} prosent", {"x": shown(77.65, 2)}) == "78 prosent"


@pytest.mark.parametrize(
    ("template", "slots", "words"),
    [
        ("I {{ aar }} var det {{ kvp }}.", {"aar": "2024"}, "kvp"),
        ("{% if x %}", {"x": 1}, "feil i tekstmalen"),
        ("{{ x }}", {"x": 0.5}, "Shown"),
    ],
)
def test_a_bad_template_is_one_clear_line(template: str, slots: dict, words: str) -> None:
    with pytest.raises(ChapterTextError) as err:
        render(template, slots, "kvp.md")
    message = str(err.value)
    assert words in message and "\n" not in message


def test_a_sentence_that_ends_in_a_tag_keeps_its_line_end() -> None:
    text = "{% if a %}\nFørst.{% if b %} Så.{% endif %}\n{% endif %}\nSist."
    assert render(text, {"a": 1, "b": 1}) == "Først. Så.\nSist."
    assert render(text, {"a": 1, "b": 0}) == "Først.\nSist."


def test_a_macro_serves_every_cell_below() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        _said(x=shown(2.5, 1)),
        nbformat.v4.new_markdown_cell(
            "{% macro tall(v) %}{{ v }} prosent{% endmacro %}\nFørst {{ tall(x) }}."
        ),
        nbformat.v4.new_markdown_cell("Så {{ tall(x) }} igjen."),
    ]
    fill_notebook(nb, "x.md")
    assert [c.source for c in nb.cells[1:]] == ["Først 2,5 prosent.", "Så 2,5 prosent igjen."]


def _table_cell(html_text: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("r.table()")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": html_text})]
    return cell


def test_a_note_written_in_the_chapter_goes_under_its_table_as_text() -> None:
    from navbok.present.tables import NOTES_MARK

    note = nbformat.v4.new_markdown_cell("Tallene for {{ navn }} <b> er {{ x }}.\n\nTo ledd.")
    note.metadata["navbok"] = "note"
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        _said(navn="A&B", x=shown(1.5, 1)),
        _table_cell(f"<table></table><p>kode</p>{NOTES_MARK}<p>≈</p><a>CSV</a>"),
        note,
        nbformat.v4.new_markdown_cell("Videre."),
    ]
    fill_notebook(nb, "x.md")
    html_out = nb.cells[1].outputs[0]["data"]["text/html"]
    assert html_out == (
        '<table></table><p>kode</p><p class="navbok-note">Tallene for A&amp;B &lt;b&gt; er '
        '1,5.</p><p class="navbok-note">To ledd.</p><p>≈</p><a>CSV</a>'
    )
    assert [c.source for c in nb.cells if c.cell_type == "markdown"] == ["Videre."]


def test_a_note_under_a_notice_goes_with_the_table() -> None:
    note = nbformat.v4.new_markdown_cell("Om tabellen.")
    note.metadata["navbok"] = "note"
    nb = nbformat.v4.new_notebook()
    nb.cells = [_table_cell("<p>Tallene mangler.</p>"), note]
    fill_notebook(nb, "x.md")
    assert nb.cells[0].outputs[0]["data"]["text/html"] == "<p>Tallene mangler.</p>"
    assert len(nb.cells) == 1


def test_a_note_without_a_table_above_stops_the_build() -> None:
    note = nbformat.v4.new_markdown_cell("Merknad.")
    note.metadata["navbok"] = "note"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("Tekst."), note]
    with pytest.raises(ChapterTextError, match="merknad"):
        fill_notebook(nb, "x.md")


def test_a_note_goes_under_the_last_table_of_a_joined_cell() -> None:
    from navbok.present.tables import NOTES_MARK

    note = nbformat.v4.new_markdown_cell("Om den andre.")
    note.metadata["navbok"] = "note"
    cell = _table_cell(f"<p>første</p>{NOTES_MARK}")
    cell.outputs.append(
        nbformat.v4.new_output("display_data", data={"text/html": f"<p>andre</p>{NOTES_MARK}"})
    )
    nb = nbformat.v4.new_notebook()
    nb.cells = [cell, note]
    fill_notebook(nb, "x.md")
    first, second = (o["data"]["text/html"] for o in nb.cells[0].outputs)
    assert first == "<p>første</p>"
    assert second == '<p>andre</p><p class="navbok-note">Om den andre.</p>'


def test_a_note_goes_with_a_table_not_drawn_and_never_under_slots() -> None:
    note = nbformat.v4.new_markdown_cell("Om tabellen.")
    note.metadata["navbok"] = "note"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("r.table()  # None here"), note]
    fill_notebook(nb, "x.md")
    assert [c.cell_type for c in nb.cells] == ["code"]
    nb.cells = [_said(x=1), note]
    with pytest.raises(ChapterTextError, match="merknad"):
        fill_notebook(nb, "x.md")


def test_a_cell_with_a_note_under_it_runs_as_a_cell_of_its_own() -> None:
    """Staging joins code cells that follow each other; a table whose note follows it stays
    alone, so a note never lands under the table of another part when its own draws nothing."""
    from navbok.builder.staging import merge_code_runs

    note = nbformat.v4.new_markdown_cell("Om b.")
    note.metadata["navbok"] = "note"
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("a"),
        nbformat.v4.new_code_cell("b"),
        note,
        nbformat.v4.new_code_cell("c"),
        nbformat.v4.new_code_cell("d"),
    ]
    merge_code_runs(nb)
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    assert sources[0] == "a" and sources[1] == "b" and "c" in sources[2] and "d" in sources[2]


def test_a_macro_escapes_its_slots_once() -> None:
    text = "{% macro m(x) %}{{ x }} i *gruppe*{% endmacro %}{{ m(p) }}"
    assert render(text, {"p": "7. høyest <b>"}) == "7\\. høyest &lt;b&gt; i *gruppe*"


def test_compiled_templates_are_kept_on_disk_and_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from navbok.present import chapter_text

    source = "{% if n %}\nI {{ navn }} var det {{ n }} mottakere.\n{% endif %}"
    slots = {"navn": "Bærum", "n": shown(1234.0, 0)}
    plain = render(source, slots)
    folder = tmp_path / "tekstmaler"
    monkeypatch.setattr(chapter_text, "_COMPILED", [])
    chapter_text.keep_compiled(folder)  # no folder: nothing kept
    chapter_text._template.cache_clear()
    assert render(source, slots) == plain and not folder.exists()

    folder.mkdir()
    chapter_text._template.cache_clear()
    assert render(source, slots) == plain
    (kept,) = folder.glob("*.jinja")
    compiles: list[str] = []
    original = jinja2.Environment.compile
    monkeypatch.setattr(
        jinja2.Environment,
        "compile",
        lambda self, *a, **k: compiles.append(a[0]) or original(self, *a, **k),
    )
    chapter_text._template.cache_clear()  # a new process: read from the folder, not compiled
    assert render(source, slots) == plain and compiles == []

    kept.write_bytes(b"\x00half a file")  # broken: compiled again and written whole
    chapter_text._template.cache_clear()
    assert render(source, slots) == plain and len(compiles) == 1
    chapter_text._template.cache_clear()
    assert render(source, slots) == plain and len(compiles) == 1

    chapter_text._template.cache_clear()  # another text: another file
    assert render("Kommunen {{ navn }}.", slots) == "Kommunen Bærum."
    assert len(list(folder.glob("*.jinja"))) == 2
    chapter_text._template.cache_clear()
