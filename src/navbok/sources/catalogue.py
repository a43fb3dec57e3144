"""The catalogue of what navbok fetches (``config/catalogue.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class TableContent:
    """The one content of a table that is not in the indicator register (the price index),
    found by its label like every other content (``navbok.contents``)."""

    measure: str
    labels: tuple[str, ...]
    unit: str = ""


@dataclass(frozen=True)
class SsbTable:
    """One SSB table to download whole (all regions).

    ``optional``: a fetch goes on without it when the source does not have it. ``purpose``:
    what the book uses it for besides the register (``prices``). ``content``: the content to
    fetch when the register names none from this table.
    """

    table: str
    title: str
    selection: dict[str, Any] = field(default_factory=dict)
    continued_by: str | None = None
    optional: bool = False
    purpose: str = ""
    content: TableContent | None = None


@dataclass(frozen=True)
class Catalogue:
    """Every response a snapshot holds."""

    ssb: list[SsbTable]
    codes_at: list[str]
    changes: tuple[str, str]
    kostra_groups: dict[str, list[int]]
    aap155: bool = True

    @property
    def continued(self) -> set[str]:
        """Tables continued by another table of the catalogue (stitched «avslutta serie»)."""
        return {t.table for t in self.ssb if t.continued_by}

    def price_table(self) -> SsbTable | None:
        """The table the book takes its price index from (``purpose: prices``), if any."""
        return next((t for t in self.ssb if t.purpose == "prices"), None)

    def kostra_scheme_years(self) -> dict[int, list[int]]:
        """The KOSTRA-group schemes by the year of their date (2019, 2024) → statistics years."""
        return {int(d[:4]): list(ys) for d, ys in self.kostra_groups.items()}


@cache
def catalogue() -> Catalogue:
    """Read the packaged catalogue."""
    text = resources.files("navbok").joinpath("config/catalogue.yaml").read_text("utf-8")
    doc = yaml.safe_load(text)
    return Catalogue(
        ssb=[_table(t) for t in doc["ssb"]],
        codes_at=list(doc["klass"]["codes_at"]),
        changes=(doc["klass"]["changes"]["from"], doc["klass"]["changes"]["to"]),
        kostra_groups={
            str(k): [int(y) for y in v] for k, v in doc["klass"]["kostra_groups"].items()
        },
        aap155=bool(doc.get("nav", {}).get("aap155", True)),
    )


def _table(doc: dict[str, Any]) -> SsbTable:
    """One ``ssb`` entry of the catalogue."""
    doc = dict(doc)
    content = doc.pop("content", None)
    if content is not None:
        labels = content["label"]
        labels = [labels] if isinstance(labels, str) else labels
        doc["content"] = TableContent(
            measure=str(content["measure"]),
            labels=tuple(str(x) for x in labels),
            unit=str(content.get("unit", "")),
        )
    return SsbTable(**doc)
