"""The catalogue of what navbok fetches (``config/catalogue.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class SsbTable:
    """One SSB table to download whole (all regions)."""

    table: str
    title: str
    selection: dict[str, Any] = field(default_factory=dict)
    continued_by: str | None = None


@dataclass(frozen=True)
class Catalogue:
    """Every response a snapshot holds."""

    ssb: list[SsbTable]
    codes_at: list[str]
    changes: tuple[str, str]
    kostra_groups: dict[str, list[int]]
    aap155: bool = True

    def kostra_scheme_years(self) -> dict[int, list[int]]:
        """The KOSTRA-group schemes by the year of their date (2019, 2024) → statistics years."""
        return {int(d[:4]): list(ys) for d, ys in self.kostra_groups.items()}


@cache
def catalogue() -> Catalogue:
    """Read the packaged catalogue."""
    text = resources.files("navbok").joinpath("config/catalogue.yaml").read_text("utf-8")
    doc = yaml.safe_load(text)
    return Catalogue(
        ssb=[SsbTable(**t) for t in doc["ssb"]],
        codes_at=list(doc["klass"]["codes_at"]),
        changes=(doc["klass"]["changes"]["from"], doc["klass"]["changes"]["to"]),
        kostra_groups={
            str(k): [int(y) for y in v] for k, v in doc["klass"]["kostra_groups"].items()
        },
        aap155=bool(doc.get("nav", {}).get("aap155", True)),
    )
