"""The source box's words (:mod:`navbok.report.source_box`, the words in
``chapters/_tekster/kildeboks.*``): dates the Norwegian way, the tense the fetch date allows,
which series a stitch is, the population date said one way, data written as text."""

from __future__ import annotations

import dataclasses
import re
from types import SimpleNamespace

import pytest

from navbok.params import Params
from navbok.present.prose import date
from navbok.report import Report
from navbok.report.source_box import (
    KLASS_LABEL,
    SourceBox,
    SourceTable,
    population_label,
    preliminary_sentence,
    split_notes,
    words,
)


def test_dates_are_written_the_norwegian_way() -> None:
    assert date("2026-12-06") == "6. desember 2026"
    assert date("2025-06-12T08:00:00") == "12. juni 2025"
    assert date("") == ""


def test_no_future_tense_for_a_date_before_the_fetch() -> None:
    before = preliminary_sentence(2024, "2025-06-12", fetched="2025-06-13")
    assert before == (
        "Tallene for 2024 er foreløpige (tabellen ble oppdatert 12. juni 2025; SSB publiserer "
        "reviderte tall 15. juni 2025)."
    )
    after = preliminary_sentence(2024, "2025-06-12", fetched="2026-12-06")
    assert "publiserer" not in after and "15. juni 2025" in after
    assert after.startswith("Tallene for 2024 er foreløpige: SSB skulle publisere")


def test_the_box_names_its_series_and_writes_no_iso_dates(mini_data) -> None:
    r = Report(mini_data, Params(kommune="3201", name="Bærum", end_year=2024))
    html = r.sources.box(["andel_18_66", "bolig_innvilget_andel", "aap_andel"])._repr_html_()
    text = re.sub(r"<[^>]+>", " ", html)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
    assert "Data hentet " + date(mini_data.snapshot.fetched_at[:10]) in text
    for sentence in re.findall(r"Serien[^.]*", text):
        assert sentence.startswith("Serien «"), sentence
    assert "celler var revidert" not in text
    assert population_label() in text and "31.12" not in text
    assert population_label().startswith("Personer 18–66 år per 1. januar. For et statistikkår")


def test_a_synthetic_klass_is_named_in_the_source_box(
    mini_data, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = dict(mini_data.snapshot.files)
    name = next(n for n in files if n.startswith("klass/"))
    marked = {
        n: (dataclasses.replace(e, synthetic=True) if n == name else e) for n, e in files.items()
    }
    monkeypatch.setattr(mini_data.snapshot, "files", marked)
    report = Report(mini_data, Params(kommune="3201", name="Bærum", end_year=2024))
    box = report.sources.box(["andel_18_66"])
    assert KLASS_LABEL in box.synthetic
    assert "KLASS (kommuneinndeling) er laget for test" in box._repr_html_()


def test_real_klass_is_not_named(mini_data) -> None:
    files = mini_data.snapshot.files
    report = Report(mini_data, Params(kommune="3201", name="Bærum", end_year=2024))
    box = report.sources.box(["andel_18_66"])
    klass_synthetic = any(n.startswith("klass/") and e.synthetic for n, e in files.items())
    assert (KLASS_LABEL in box.synthetic) == klass_synthetic


def test_the_notes_say_what_the_rules_chose() -> None:
    assert words("faste_kroner", 2024, "KPI fra fil") == (
        "Faste kroner (2024-kroner): prisindeksen i bokas parameterfil (KPI fra fil)."
    )
    register = SimpleNamespace(
        split_parts=lambda kode: [
            ("1804", "Bodø - Bådåddjo", 2020, True),
            ("1850", "Tysfjord", 2020, False),
        ]
    )
    known, unknown = split_notes(register, "1806", "Narvik")  # type: ignore[arg-type]
    assert known == (
        "Bodø ble delt i 2020: tallene for Bodø før 2020 er fordelt på de nye kommunene etter "
        "hvor mange innbyggere hver av dem fikk, også for Narvik."
    )
    assert unknown == (
        "Tysfjord ble delt i 2020, og det er ikke kjent hvor mange innbyggere som kom til "
        "Narvik. Tall for Narvik før 2020 vises derfor ikke."
    )


def test_the_box_writes_data_as_text() -> None:
    table = SourceTable("SSB 1", "<b>A & B</b>", ["x < y"], "1. juni 2025", "", "Stoppet.")
    box = SourceBox([table], "6. desember 2026", ["SSB 1"], [], ["«Sitat» & mer"], ["Mangler."])
    html = box._repr_html_()
    assert html.startswith('<aside class="navbok-sources" aria-label="Kilder for kapittelet">')
    assert "«&lt;b&gt;A &amp; B&lt;/b&gt;»: x &lt; y. Oppdatert 1. juni 2025." in html
    assert '<strong class="navbok-stale">Stoppet.</strong></li></ul><p>Data hentet' in html
    assert "<li>«Sitat» &amp; mer</li></ul><p><strong>Tall som mangler:</strong>" in html
    assert "\n" not in html and html.endswith("NAV (CC BY 4.0).</p></aside>")
