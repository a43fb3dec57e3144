"""The source box's words (:mod:`navbok.report.source_box`): dates the Norwegian way, the tense
the fetch date allows, which series a stitch is, the population date said one way."""

from __future__ import annotations

import dataclasses
import re

import pytest

from navbok.params import Params
from navbok.present.prose import date
from navbok.report import Report
from navbok.report.source_box import KLASS_LABEL, POPULATION_LABEL, preliminary_sentence


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
    assert POPULATION_LABEL in text and "31.12" not in text


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
