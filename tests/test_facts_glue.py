"""The introduction glues the book's facts without importing MyST-NB's glue module in the
kernel: the output is the one ``myst_nb.glue(name, value, display=False)`` gives."""

from __future__ import annotations

from typing import Any

import pytest
from myst_nb.ext.glue import GLUE_PREFIX

from navbok.report import facts


class _Value:
    def _repr_mimebundle_(self, **_: Any) -> dict[str, Any]:
        return {"text/plain": '[{"n": 1}]', "application/json": {"n": 1}}

    def __repr__(self) -> str:
        return '[{"n": 1}]'


def _displayed(monkeypatch: pytest.MonkeyPatch, glue: Any) -> list[tuple]:
    import IPython.display
    import myst_nb.ext.glue

    calls: list[tuple] = []
    record = lambda *a, **k: calls.append((a, k))  # noqa: E731
    monkeypatch.setattr(IPython.display, "display", record)
    monkeypatch.setattr(myst_nb.ext.glue, "ipy_display", record)  # its own name for it
    glue()
    return calls


def test_facts_are_glued_as_myst_nb_glues_them(monkeypatch: pytest.MonkeyPatch) -> None:
    from myst_nb import glue

    assert facts.GLUE_PREFIX == GLUE_PREFIX
    ours = _displayed(monkeypatch, lambda: facts.glue_hidden("fakta", _Value()))
    theirs = _displayed(monkeypatch, lambda: glue("fakta", _Value(), display=False))
    assert ours == theirs and len(ours) == 1
    (bundle,), kwargs = ours[0]
    assert bundle[GLUE_PREFIX + "text/plain"] == '[{"n": 1}]'
    assert kwargs["metadata"]["scrapbook"] == {"name": "fakta", "mime_prefix": GLUE_PREFIX}
