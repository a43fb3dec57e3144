"""What a chapter notebook calls: one :class:`Report` per municipality.

Notebooks stay thin: a parameters cell, ``r = Report.open(...)``, then a few calls that return
charts, tables, glued numbers and the chapter's source box. A report is the shared
:class:`~navbok.report.context.Context` (values, texts, sentences) with one set of views per
chapter and the shared parts attached:

* ``r.figures``: line, bars and the level table (every chapter);
* ``r.sources.box(...)``: the source box that ends every chapter;
* ``r.local.section(...)``: sections from the municipality's own data;
* ``r.facts``: the book's headline facts (made once, glued by the introduction);
* ``r.intro``, ``r.aap``, ``r.growth``, ``r.longterm``, ``r.kvp``, ``r.barometer``: the
  chapters' own views.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from navbok.data import CACHE_DIR, NavData
from navbok.params import load_params, params_for
from navbok.report.aap import AapViews
from navbok.report.barometer import BarometerViews
from navbok.report.context import Context
from navbok.report.facts import FactViews
from navbok.report.figures import Figures
from navbok.report.growth import GrowthViews
from navbok.report.intro import IntroViews
from navbok.report.kvp import KvpViews
from navbok.report.local import LocalSections
from navbok.report.longterm import LongtermViews
from navbok.report.maps import MapViews
from navbok.report.source_box import Sources
from navbok.snapshot import DEFAULT_DIR

__all__ = ["Report"]


@dataclass
class Report(Context):
    """A municipality's data, parameters and comparison groups, with every chapter's views."""

    figures: Figures = field(init=False, repr=False)
    sources: Sources = field(init=False, repr=False)
    local: LocalSections = field(init=False, repr=False)
    intro: IntroViews = field(init=False, repr=False)
    aap: AapViews = field(init=False, repr=False)
    growth: GrowthViews = field(init=False, repr=False)
    longterm: LongtermViews = field(init=False, repr=False)
    kvp: KvpViews = field(init=False, repr=False)
    barometer: BarometerViews = field(init=False, repr=False)
    maps: MapViews = field(init=False, repr=False)
    facts: FactViews = field(init=False, repr=False)

    @classmethod
    def open(
        cls,
        kommune: str,
        snapshot: str = str(DEFAULT_DIR),
        params_file: str = "",
        cache_dir: str = str(CACHE_DIR),
    ) -> Report:
        """Load the snapshot (cached) and the municipality's parameters."""
        data = NavData.load(snapshot, cache_dir=cache_dir or None)
        params = load_params(params_file) if params_file else params_for(data, kommune)
        return cls(data, params)

    def __post_init__(self) -> None:
        super().__post_init__()
        self.figures = Figures(self)
        self.sources = Sources(self)
        self.local = LocalSections(self)
        self.aap = AapViews(self)
        self.growth = GrowthViews(self)
        self.longterm = LongtermViews(self)
        self.kvp = KvpViews(self)
        self.barometer = BarometerViews(self)
        self.maps = MapViews(self)
        self.facts = FactViews(self, self.barometer)
        self.intro = IntroViews(self, self.facts, self.growth, self.barometer)
