"""The national overview's numbers: key figures of every municipality for the latest period.

:func:`overview` adds to the key figures of every municipality (:func:`navbok.key_figures.national`
— the same table each book's headline facts are taken from) what the landing page needs: name,
county, KOSTRA group, the key figures' labels and definitions (the register's,
:func:`navbok.key_figures.key_figures`) and the search texts. A missing value
is never 0: it carries SSB's status symbol (``..`` where the data give none). The landing page
(:mod:`navbok.site.landing`), its maps and the print summaries (:mod:`navbok.site.summary`)
read this table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from navbok import geo
from navbok import groups as g
from navbok.key_figures import BAROMETER, KEY_FIGURES, national
from navbok.national_facts import persisted_pass

if TYPE_CHECKING:
    from navbok.data import NavData

__all__ = ["BAROMETER", "Overview", "overview"]


@dataclass
class Overview:
    """The overview table and what it needs to say about itself.

    ``frame``: one row per municipality (sorted by code) with ``kommune, name, county,
    county_name, kostra`` and the key figures' columns (:class:`navbok.key_figures.National`).
    ``years``: each key figure's year; ``periods``: its period in words («2024», «oktober
    2025», «barometer 2025 (tall for 2024)»). ``labels``/``definitions``: the register's texts
    (:data:`navbok.key_figures.KEY_FIGURES`, whose order is the overview's columns).
    ``search``: each municipality's code and every name, parallel names too, folded
    (:func:`navbok.regions.search_text`) for the overview's search box.
    """

    frame: pd.DataFrame
    years: dict[str, int]
    labels: dict[str, str] = field(default_factory=dict)
    definitions: dict[str, str] = field(default_factory=dict)
    landet: dict[str, tuple[float | None, str]] = field(default_factory=dict)
    periods: dict[str, str] = field(default_factory=dict)
    search: dict[str, str] = field(default_factory=dict)

    def period(self, key: str) -> str:
        """A key figure's period in words («2024», «oktober 2025»; "" without data)."""
        if key in self.periods:
            return self.periods[key]
        year = self.years.get(key)
        return "" if year is None else str(year)

    def row(self, kommune: str) -> pd.Series:
        """The row of one municipality."""
        hit = self.frame[self.frame["kommune"] == kommune]
        if hit.empty:
            raise KeyError(kommune)
        return hit.iloc[0]


def _kostra(data: NavData, codes: list[str], year: int) -> dict[str, str]:
    """Each municipality's KOSTRA group («KOSTRA-gruppe 12») in ``year`` ("" where none)."""
    from navbok.sources.catalogue import catalogue

    try:
        cat = catalogue()
        assignments = {int(d[:4]): data.snapshot.kostra_groups(d)[0] for d in cat.kostra_groups}
        schemes = cat.kostra_scheme_years()
    except Exception:  # a snapshot without KLASS groups: the column stays empty
        return {}
    scheme = next((s for s, ys in schemes.items() if year in ys), None)
    direct: dict[str, str] = {}
    if scheme is not None and scheme in assignments:  # codes unchanged since the scheme
        frame = assignments[scheme]
        direct = dict(zip(frame["code"].astype(str), frame["group"].astype(str), strict=True))
    out = {}
    for code in codes:
        group = direct.get(code)
        if group is None:
            try:
                group = g.kostra_group(data.register, assignments, schemes, code, year)
            except (KeyError, ValueError):
                group = None
        out[code] = data.name(group) if group else ""
    return out


@persisted_pass
def overview(data: NavData) -> Overview:
    """Key figures, county, KOSTRA group and barometer score of every municipality (a national
    fact, :mod:`navbok.national_facts`: shared, do not change it in place).

    The key figures are :func:`navbok.key_figures.national` (each at its newest period, stated
    in the page's headers); the KOSTRA group is the one of the newest year."""
    nat = national(data)
    codes = list(nat.frame["kommune"])
    topology = geo.load_topology()
    counties = geo.names(topology, geo.FYLKER)
    frame = nat.frame.copy()
    frame.insert(1, "name", [data.name(c) for c in codes])
    frame.insert(2, "county", [geo.county_of(c) for c in codes])
    frame.insert(3, "county_name", [counties.get(c, "") for c in frame["county"]])
    years = dict(nat.years)
    newest = max(years.values()) if years else None
    frame["kostra"] = (
        frame["kommune"].map(_kostra(data, codes, newest)).fillna("") if newest else ""
    )
    labels = {k.id: k.label for k in KEY_FIGURES}
    definitions = {k.id: k.definition for k in KEY_FIGURES}
    search = {c: data.register.search_text(c) for c in codes}
    return Overview(frame, years, labels, definitions, dict(nat.landet), dict(nat.periods), search)
