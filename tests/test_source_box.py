"""navbok.report.source_box: the «Syntetiske data:» list names every synthetic source."""

from __future__ import annotations

import dataclasses

import pytest

from navbok.params import Params
from navbok.report.report import Report
from navbok.report.source_box import KLASS_LABEL


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
