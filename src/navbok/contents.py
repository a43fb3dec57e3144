"""Finding each measure's ContentsCode in a table by its label, never by a guessed code.

SSB's advice is to read the labels: ContentsCodes are not guessable, and only a few are
verified (``../shared/spec/SOURCES.md``). Each content measure in ``indicators.yaml`` names its
series (the tables, oldest first), a label and its unit; it pins a ``code`` only where SOURCES.md
calls the code verified. :func:`resolve_table` reads a table's metadata and finds, for each
measure, exactly one ContentsCode whose label matches:

* labels are compared after :func:`normalise_label`: case, dashes and spaces do not matter,
  «tilfeller» (2022+) reads as «mottakere», and a trailing unit such as « (antall)» or
  « (1 000 kr)», or an index base such as « (2025=100)», is dropped;
* no match → ``missing``; several → ``ambiguous`` (both name the closest labels);
* a pinned code must be there and carry a matching label, else ``mismatch`` (an error).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from navbok.register import register_doc
from navbok.sources.catalogue import SsbTable, TableContent
from navbok.sources.metadata import TableMetadata

RESOLVED, MISSING, AMBIGUOUS, MISMATCH = "resolved", "missing", "ambiguous", "mismatch"

_UNIT_SUFFIX = re.compile(
    r"\s*\((antall|prosent|kr|1 ?000 kr|måneder|mnd\.?|personer|årsverk|\d{4} ?= ?100)\)\s*$"
)
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ", "\u2009": " "})


def normalise_label(label: str) -> str:
    """A label in the form labels are compared in (see the module docstring)."""
    text = label.translate(_DASHES).casefold()
    text = re.sub(r"\s+", " ", text).strip()
    while True:
        stripped = _UNIT_SUFFIX.sub("", text)
        if stripped == text:
            break
        text = stripped
    text = text.replace("tilfeller", "mottakere").replace("tilfelle", "mottaker")
    return re.sub(r"\s*-\s*", "-", text)


@dataclass(frozen=True)
class ContentSpec:
    """A measure read from one ContentsCode (``indicators.yaml``)."""

    measure: str
    series: str
    tables: tuple[str, ...]
    labels: tuple[str, ...]
    unit: str
    code: str | None = None
    optional: bool = False


@dataclass(frozen=True)
class Resolution:
    """What one measure resolved to in one table."""

    measure: str
    table: str
    status: str
    code: str | None = None
    label: str | None = None
    unit: str | None = None
    decimals: int | None = None
    optional: bool = False
    pinned: bool = False
    candidates: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """For the manifest."""
        return asdict(self)

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> Resolution:
        """From a manifest entry."""
        return cls(**{k: doc[k] for k in cls.__dataclass_fields__ if k in doc})

    def message(self) -> str:
        """One line for the user when the measure did not resolve."""
        near = "; ".join(f"«{c}»" for c in self.candidates) or "ingen"
        if self.status == MISSING:
            return (
                f"{self.measure}: ingen innholdsvariabel i SSB-tabell {self.table} har den "
                f"forventede etiketten (nærmeste etiketter: {near})."
            )
        if self.status == AMBIGUOUS:
            return (
                f"{self.measure}: flere innholdsvariabler i SSB-tabell {self.table} passer til "
                f"etiketten: {near}. Gjør etiketten i indicators.yaml mer presis."
            )
        if self.status == MISMATCH:
            return (
                f"{self.measure}: den faste ContentsCode {self.code} i SSB-tabell {self.table} "
                f"har ikke lenger den forventede etiketten (den sier «{self.label or '—'}»; "
                f"etiketter som passer: {near}). Sjekk SSBs metadata og indicators.yaml."
            )
        return f"{self.measure}: {self.code} «{self.label}» i SSB-tabell {self.table}."


def content_specs(doc: Mapping[str, Any] | None = None) -> dict[str, ContentSpec]:
    """Every measure of the register that is read from a ContentsCode, by measure id."""
    doc = doc or register_doc()
    series = doc["series"]
    out: dict[str, ContentSpec] = {}
    for mid, spec in doc["measures"].items():
        if "label" not in spec:
            continue
        labels = spec["label"] if isinstance(spec["label"], list) else [spec["label"]]
        out[mid] = ContentSpec(
            measure=mid,
            series=spec["series"],
            tables=tuple(str(t) for t in series[spec["series"]]["tables"]),
            labels=tuple(str(x) for x in labels),
            unit=str(spec.get("unit", "")),
            code=spec.get("code"),
            optional=bool(spec.get("optional", False)),
        )
    return out


def specs_for_table(
    table: str, specs: Mapping[str, ContentSpec] | None = None
) -> list[ContentSpec]:
    """The content measures whose series includes ``table``."""
    specs = content_specs() if specs is None else specs
    return [s for s in specs.values() if table in s.tables]


def _closest(wanted: Iterable[str], labels: Mapping[str, str], n: int = 3) -> list[str]:
    by_norm = {normalise_label(lab): lab for lab in labels.values()}
    hits: list[str] = []
    for w in wanted:
        hits += difflib.get_close_matches(normalise_label(w), list(by_norm), n=n, cutoff=0.5)
    return [by_norm[h] for h in dict.fromkeys(hits)][:n]


def resolve_one(spec: ContentSpec, meta: TableMetadata) -> Resolution:
    """Find ``spec``'s ContentsCode in one table's metadata (see the module docstring)."""
    contents = meta.contents
    wanted = {normalise_label(x) for x in spec.labels}
    matches = [c for c, lab in contents.items() if normalise_label(lab) in wanted]
    base: dict[str, Any] = {"measure": spec.measure, "table": meta.table, "optional": spec.optional}

    def found(code: str, status: str = RESOLVED, **extra: Any) -> Resolution:
        unit = meta.units.get(code, {})
        decimals = unit.get("decimals")
        return Resolution(
            **base,
            status=status,
            code=code,
            label=contents.get(code),
            unit=str(unit["base"]) if "base" in unit else None,
            decimals=int(decimals) if decimals is not None else None,
            pinned=spec.code is not None,
            **extra,
        )

    if spec.code is not None:
        pinned = next((c for c in contents if c.casefold() == spec.code.casefold()), None)
        if pinned is not None and pinned in matches:
            return found(pinned)
        if pinned is None and not matches:
            return Resolution(
                **base, status=MISSING, pinned=True, candidates=_closest(spec.labels, contents)
            )
        candidates = [contents[c] for c in matches] or _closest(spec.labels, contents)
        if pinned is None:
            return Resolution(
                **base, status=MISMATCH, code=spec.code, pinned=True, candidates=candidates
            )
        return found(pinned, MISMATCH, candidates=candidates)
    if len(matches) == 1:
        return found(matches[0])
    if not matches:
        return Resolution(**base, status=MISSING, candidates=_closest(spec.labels, contents))
    return Resolution(**base, status=AMBIGUOUS, candidates=[contents[c] for c in matches])


def resolve_table(
    meta: TableMetadata, specs: Mapping[str, ContentSpec] | None = None
) -> list[Resolution]:
    """Resolve every content measure whose series includes this table."""
    return [resolve_one(s, meta) for s in specs_for_table(meta.table, specs)]


def optional_spec(table: SsbTable, content: TableContent) -> ContentSpec:
    """The content an optional table of the catalogue is fetched for (the price index), as a
    spec found by its label like the register's contents."""
    return ContentSpec(
        measure=content.measure,
        series="",
        tables=(table.table,),
        labels=content.labels,
        unit=content.unit,
        optional=True,
    )
