"""Sections from the municipality's own data (``local_data`` in the params): shown only when
the params name a file for them; otherwise the cell has no output at all (no empty box)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from navbok.params import read_local_data
from navbok.present.tables import Download, display_bundle, show_table
from navbok.report.context import Context


@dataclass
class LocalSection:
    """An optional section from local data (:meth:`LocalSections.section` gives ``None``, and
    the cell shows nothing, when there is none)."""

    html: str
    title: str = ""
    downloads: tuple[Download, ...] = ()

    def _repr_html_(self) -> str:
        return self.html

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None
    ) -> dict[str, str] | tuple[dict[str, str], dict[str, Any]]:
        return display_bundle(self.html, self.downloads)

    def __repr__(self) -> str:
        return self.title


class LocalSections:
    """The optional local-data sections of the chapters for one municipality."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def has(self, key: str) -> bool:
        """Whether the params name a local data file for section ``key``."""
        return bool(self.ctx.params.local_data.get(key))

    def section(self, key: str, title: str, intro: str) -> LocalSection | None:
        """An optional table from the municipality's own data (``local_data`` in the params).

        Shown only when the params name a file for ``key``; the file is a CSV (``;`` or ``,``)
        whose first lines may be ``# source: …`` and ``# note: …``. ``None`` (no output, not an
        empty box) when there is no file.
        """
        path = self.ctx.params.local_data.get(key)
        if not path:
            return None
        ref = read_local_data(key, path)  # checked as it is read: in the project folder
        table = show_table(
            ref.frame,
            f"lokal-{key}",
            f"{title}. Kilde: {ref.source}",
            notes=ref.notes,
            provenance=self.ctx.provenance,
        )
        esc = html.escape
        return LocalSection(
            f'<section class="navbok-local" aria-label="{esc(title)}"><h2>{esc(title)}</h2>'
            f"<p>{esc(intro)}</p>{table.html}</section>",
            title,
            table.downloads,
        )
