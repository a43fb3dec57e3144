"""Outputs of warm-kernel runs are validated with the whole notebook, not one by one."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import nbbase

from navbok.builder import engine
from navbok.builder.speedups import output_validation


def test_output_validation_skipped_only_where_asked() -> None:
    engine.register_engine()  # installs the speed-up (its tested versions are installed)
    patched = nbbase.validate
    output_validation.install()  # installed once
    assert nbbase.validate is patched and hasattr(patched, "__wrapped__")
    bad = nbformat.NotebookNode(output_type="display_data", data={}, metadata=[])
    with pytest.raises(nbformat.ValidationError):
        nbbase.validate(bad, "display_data")  # elsewhere: validated as before
    with output_validation.deferred():
        assert nbbase.validate(bad, "display_data") is None
    assert not output_validation.skipping()


def test_finish_rejects_an_invalid_output(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("1")
    cell.outputs = [nbformat.NotebookNode(output_type="display_data", data={}, metadata=[])]
    nb.cells.append(cell)
    dest = tmp_path / "kapittel.ipynb"
    with pytest.raises(nbformat.ValidationError):
        engine.finish_notebook(nb, dest)
    assert not dest.exists()  # nothing half-written
    cell.outputs[0].metadata = {}
    engine.finish_notebook(nb, dest)
    assert nbformat.read(dest, as_version=4).cells[0].metadata["tags"] == ["remove-input"]
