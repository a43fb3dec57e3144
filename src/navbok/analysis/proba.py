"""Proba (2017): index of actual social-assistance spending against estimated need, 2012–2016.

A **published historical result**, shown as published and never recomputed: Proba
samfunnsanalyse, rapport 2017-08, vedlegg 2 (``data/reference/proba_faktisk_vs_behov.csv``).
``indeks = 100 × faktiske netto driftsutgifter (f242+243+276+281) per innbygger / predikert``
from Proba's regression (see ``PROBA_METHOD.md``).

The table uses the 2017 municipal structure. Each historical municipality is linked to the
municipality or municipalities it is part of today through the region register
(:class:`navbok.regions.Register`): Bærum 0219 → 3201, Asker 0220 → 3203, Larvik 0709 → 3909.
Merged municipalities keep one labelled row per historical municipality (Asker, Røyken and
Hurum are not averaged); a historical municipality later split between several municipalities
is listed under each of them with ``delt = True``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from navbok.reference import Reference, load_reference
from navbok.regions import Register

REFERENCE_NAME = "proba_faktisk_vs_behov"
COLUMNS = [
    "region", "navn", "kommunenr_2017", "kommune_2017", "kommune_i_kilden", "label",
    "aar", "indeks", "merknad", "delt", "sammenslatt",
]  # fmt: skip


def _valid_year(register: Register, code: str) -> int | None:
    """The year nearest 2017 (searching 2017, 2016, …, 2012, then 2018, 2019) with ``code``."""
    for year in (2017, 2016, 2015, 2014, 2013, 2012, 2018, 2019):
        if code in register.valid_codes(year):
            return year
    return None


def code_links(register: Register, codes_2017: Iterable[str]) -> pd.DataFrame:
    """Today's code(s) for each 2017 code: ``kommunenr_2017, region, delt``.

    ``region`` is None when the register does not know the code; ``delt`` marks a historical
    municipality that was split between several of today's municipalities.
    """
    rows: list[tuple[str, str | None, bool]] = []
    for old in dict.fromkeys(codes_2017):
        year = _valid_year(register, old)
        succ = register.successors(old, year) if year is not None else {}
        known = [c for c in succ if c in register.names]
        if not known:
            rows.append((old, None, False))
        rows.extend((old, new, len(known) > 1) for new in known)
    return pd.DataFrame(rows, columns=["kommunenr_2017", "region", "delt"])


def proba_index(
    codes: str | Iterable[str] | None = None,
    *,
    register: Register,
    root: Path | None = None,
    full: Reference | None = None,
) -> Reference:
    """The published Proba index, long format, linked to today's municipality codes.

    ``codes`` are municipalities in any form :meth:`Register.resolve` accepts (today's code,
    an old code such as ``0219``, or a name); ``None`` gives every municipality. The result's
    ``frame`` has the columns in :data:`COLUMNS` (``indeks`` as float, ``aar`` as int), one row
    per historical municipality, today's municipality and year, in the order of ``codes``;
    ``source`` and ``notes`` come from the reference file. ``full``: this function's result
    for every municipality (``codes=None``) computed before with the same register and file,
    to select from instead of linking the codes again (for many calls).
    """
    if full is None:
        full = _linked_index(register, root)
    out = full.frame
    if codes is not None:
        wanted = [register.resolve(c).code for c in ([codes] if isinstance(codes, str) else codes)]
        wanted = list(dict.fromkeys(wanted))
        out = out[out["region"].isin(wanted)].copy()
        out["_order"] = out["region"].map({c: i for i, c in enumerate(wanted)})
        out = out.sort_values(["_order", "kommunenr_2017", "aar"]).drop(columns="_order")
    return Reference(out[COLUMNS].reset_index(drop=True), full.source, full.notes)


def _linked_index(register: Register, root: Path | None) -> Reference:
    ref = load_reference(REFERENCE_NAME, root)
    frame = ref.frame.rename(columns={"kommune": "kommune_2017"})
    links = code_links(register, frame["kommunenr_2017"])
    out = frame.merge(links, on="kommunenr_2017", how="left")
    out["aar"] = out["aar"].astype(int)
    out["indeks"] = pd.to_numeric(out["indeks"], errors="coerce").astype(float)
    out["navn"] = out["region"].map(lambda c: register.names.get(c, "").split(" - ")[0] or None)
    n_hist = out.dropna(subset=["region"]).groupby("region")["kommunenr_2017"].nunique()
    out["sammenslatt"] = out["region"].map(n_hist).fillna(1).gt(1)
    suffix = out["delt"].map({True: ", delt senere", False: ""})
    out["label"] = out["kommune_2017"] + " (" + out["kommunenr_2017"] + suffix + ")"
    return Reference(out, ref.source, ref.notes)


def proba_comparison(
    kommune: str,
    peers: Iterable[str],
    *,
    register: Register,
    root: Path | None = None,
    full: Reference | None = None,
) -> Reference:
    """The municipality against its peers (e.g. the ASSS members and neighbours).

    As :func:`proba_index` with an ``own`` column: True for the municipality's own
    (historical) rows, False for the peers'. Peers without an index (Oslo) are
    simply absent: Proba published none.
    """
    own = register.resolve(kommune).code
    others = [c for c in (register.resolve(p).code for p in peers) if c != own]
    ref = proba_index([own, *others], register=register, root=root, full=full)
    frame = ref.frame.copy()
    frame["own"] = frame["region"].eq(own)
    return Reference(frame, ref.source, ref.notes)
