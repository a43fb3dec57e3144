"""A book's headline facts, made once in the introduction's kernel.

The municipality's and the country's values come from the national key-figure table
(:func:`navbok.key_figures.national`, the same table the overview shows), the main comparison's
value from the book's own comparison rows (:meth:`Context.value`), and the barometer edition a
params file chose, when it is not the newest, is added as a second fact of its own period. The
introduction glues the table as ``fakta`` (JSON, not shown); the print summary and the workbook
read it back from the executed notebook (:func:`read_facts`), and the introduction's key
sentences are written from it (:meth:`FactViews.text`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from navbok.comparison import Kind
from navbok.key_figures import (
    BAROMETER,
    KEY_FIGURES,
    Fact,
    Facts,
    barometer_edition,
    barometer_period,
    kommune_facts,
    national,
)
from navbok.present.numbers import fmt_number
from navbok.present.shown import Shown, shown
from navbok.report.barometer import BarometerViews
from navbok.report.context import Context
from navbok.status import NOT_AVAILABLE

__all__ = [
    "CHAPTER_BAROMETER",
    "FACTS_GLUE",
    "FactViews",
    "fact_shown",
    "fact_text",
    "read_facts",
]

#: The glue name of the facts table in the executed introduction.
FACTS_GLUE = "fakta"
#: The key of the barometer edition a params file chose when it is not the newest.
CHAPTER_BAROMETER = f"{BAROMETER}:kapittel"
_TEXT_MIME = "application/papermill.record/text/plain"  # GLUE_PREFIX + text/plain


def fact_text(fact: Fact | None) -> str:
    """A fact's value as the book prints it («4,17», «2 866», «:» when hidden)."""
    if fact is None:
        return ".."
    value = float("nan") if fact.value is None else fact.value
    return fmt_number(value, fact.decimals, status=fact.status or None)


def fact_shown(fact: Fact | None) -> Shown:
    """A fact's value for a chapter's template (its text is :func:`fact_text`)."""
    if fact is None:
        return shown(None, 0, NOT_AVAILABLE)
    return shown(fact.value, fact.decimals, fact.status or None, estimate=fact.estimate)


class _FactsJson:
    """The facts as JSON text (glued, not shown: a notebook's schema takes JSON objects only
    under JSON media types, and a glued output's media type carries a prefix)."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.records = records

    def __repr__(self) -> str:
        return json.dumps(self.records, ensure_ascii=False)


class FactViews:
    """The headline facts of one book (``barometer``: the barometer chapter's views, whose
    edition may be another than the newest)."""

    def __init__(self, ctx: Context, barometer: BarometerViews) -> None:
        self.ctx = ctx
        self.barometer = barometer
        self._table: Facts | None = None

    def table(self) -> Facts:
        """The book's facts: per key figure the municipality, its main comparison and the
        country at the figure's newest period; the chapter's barometer edition when a params
        file chose another than the newest."""
        if self._table is None:
            self._table = self._make()
        return self._table

    def _make(self) -> Facts:
        ctx = self.ctx
        nat = national(ctx.data)
        own = kommune_facts(nat, ctx.kommune, ctx.name)
        out: list[Fact] = []
        for fact in own:
            out.append(fact)
            if fact.role != "kommune" or fact.key == BAROMETER:
                continue
            year = nat.years[fact.key]
            value, symbol = ctx.value(fact.key, year, ctx.main_kind)
            if ctx.main_kind == Kind.LANDET:
                continue  # the country is its own row
            out.append(
                Fact(
                    fact.key,
                    label=fact.label,
                    period=fact.period,
                    series=ctx.peers.label,
                    role="sammenligning",
                    value=None if value != value else value,
                    status="" if value == value else (symbol or ".."),
                    decimals=fact.decimals,
                    unit=fact.unit,
                )
            )
        by, year = self.barometer.year()
        if BAROMETER in nat.years and year != nat.years[BAROMETER]:
            st = self.barometer.standing()
            key = next(k for k in KEY_FIGURES if k.id == BAROMETER)
            out.append(
                Fact(
                    CHAPTER_BAROMETER,
                    label=key.header,
                    period=barometer_period(year),
                    series=ctx.name,
                    role="kommune",
                    value=st.score if st.has_score else None,
                    status="" if st.has_score else "..",
                    decimals=key.decimals,
                    unit=key.unit,
                    rank=st.rank if st.has_score else None,
                    n=st.n_ranked if st.has_score else None,
                )
            )
        return Facts(out)

    def get(self, key: str, role: str = "kommune") -> Fact | None:
        """One fact of the table (None when the book has none)."""
        return self.table().get(key, role)

    def text(self, key: str, role: str = "kommune") -> str:
        """A fact's value as printed («4,17»; the status symbol when missing)."""
        return fact_text(self.get(key, role))

    def shown(self, key: str, role: str = "kommune") -> Shown:
        """A fact's value for a chapter's template (missing when the book has no such fact)."""
        return fact_shown(self.get(key, role))

    def barometer_edition(self) -> str:
        """The newest barometer edition in words, «2025 (tall for 2024)» (empty without one)."""
        years = national(self.ctx.data).years
        return barometer_edition(years[BAROMETER]) if BAROMETER in years else ""

    def glue(self) -> None:
        """Glue the table as ``fakta`` (JSON; read by the print summary and the workbook):
        the output ``myst_nb.glue(name, value, display=False)`` gives, made without importing
        MyST-NB's glue module in the kernel (it loads docutils and nbformat: ≈ 0.1 s of the
        introduction; ``tests/test_facts_glue.py`` compares the two)."""
        glue_hidden(FACTS_GLUE, _FactsJson(self.table().records()))


#: The media-type prefix of a glued value that is not shown (MyST-NB's ``GLUE_PREFIX``).
GLUE_PREFIX = "application/papermill.record/"


def glue_hidden(name: str, value: Any) -> None:
    """Display ``value`` as MyST-NB's ``glue(name, value, display=False)`` does."""
    from IPython.core.formatters import format_display_data
    from IPython.display import display

    bundle, metadata = format_display_data(value)
    metadata["scrapbook"] = {"name": name, "mime_prefix": GLUE_PREFIX}
    display({GLUE_PREFIX + k: v for k, v in bundle.items()}, raw=True, metadata=metadata)


def read_facts(notebook: Path) -> Facts:
    """The facts the executed introduction glued (empty when it glued none)."""
    try:
        nb = json.loads(notebook.read_text("utf-8"))
    except (OSError, ValueError):
        return Facts()
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name", "")
            text = output.get("data", {}).get(_TEXT_MIME)
            if name == FACTS_GLUE and text:
                return Facts.from_records(json.loads("".join(text)))
    return Facts()
