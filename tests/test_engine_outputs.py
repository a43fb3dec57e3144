"""Outputs of warm-kernel runs are validated with the whole notebook, not one by one."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import nbbase

from navbok.build import engine


def test_output_validation_skipped_only_where_asked() -> None:
    engine._install_deferred_output_validation()
    engine._install_deferred_output_validation()  # installed once
    assert getattr(nbbase.validate, "navbok_wrapper", False)
    bad = nbformat.NotebookNode(output_type="display_data", data={}, metadata=[])
    with pytest.raises(nbformat.ValidationError):
        nbbase.validate(bad, "display_data")  # elsewhere: validated as before
    engine._UNVALIDATED.on = True
    try:
        assert nbbase.validate(bad, "display_data") is None
    finally:
        engine._UNVALIDATED.on = False


def test_finish_rejects_an_invalid_output(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("1")
    cell.outputs = [nbformat.NotebookNode(output_type="display_data", data={}, metadata=[])]
    nb.cells.append(cell)
    dest = tmp_path / "kapittel.ipynb"
    with pytest.raises(nbformat.ValidationError):
        engine._finish(nb, dest)
    assert not dest.exists()  # nothing half-written
    cell.outputs[0].metadata = {}
    engine._finish(nb, dest)
    assert nbformat.read(dest, as_version=4).cells[0].metadata["tags"] == ["remove-input"]
