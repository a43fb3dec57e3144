"""A book's configuration: the stage's ``_config.yml`` (:func:`book_config`), made from the
project's with the municipality's title, the snapshot at the foot of every page, the national
site's links and, for synthetic data, the demo banner (:data:`DEMO_BANNER`, which the print
summary shows too).

Its own module so that the plan (:mod:`navbok.builder.plan`, whose keys include the config)
and the stage (:mod:`navbok.builder.stage`, which writes it) import it without importing each
other.
"""

from __future__ import annotations

import copy
import functools

from navbok import yaml_io
from navbok.params import Params
from navbok.project import Project

DEMO_BANNER = (
    "DEMODATA: Denne boka er laget av syntetiske testdata. Tallene er ikke offisiell "
    "statistikk og må ikke siteres."
)


@functools.lru_cache(maxsize=4)
def _base_config(text: str) -> dict:
    return yaml_io.load(text)


def book_config(project: Project, params: Params, synthetic: bool, snapshot: str = "") -> str:
    """The stage's ``_config.yml``: the project's, titled for the municipality, with the demo
    banner when the data are synthetic, and the snapshot the book was built from
    (:attr:`navbok.snapshot.Snapshot.label`) at the foot of every page."""
    doc = copy.deepcopy(_base_config(project.config.read_text("utf-8")))
    doc["title"] = params.title
    if snapshot:
        html = doc.setdefault("html", {})
        footer = str(html.get("extra_footer") or "").strip()
        html["extra_footer"] = f"{footer} Data: snapshot {snapshot}.".strip()
    if synthetic:
        doc.setdefault("html", {})["announcement"] = DEMO_BANNER
    # The national site (navbok.site.products): links at the top of every page (sphinx_nb).
    config = doc.setdefault("sphinx", {}).setdefault("config", {})
    config["navbok_links"] = [
        ["← Alle kommuner", "../../site/index.html"],
        ["Sammendrag for utskrift", "sammendrag.html"],
        ["Alle tabeller (Excel)", f"data/navbok-{params.kommune}.xlsx"],
    ]
    return yaml_io.dump(doc)
