"""The live services: SSB PxWebApi v2, SSB KLASS and NAV's AAP page, behind one source.

Every response comes back as a :class:`~navbok.sources.base.RawResponse` named as in a
recording (:mod:`navbok.sources.names`), so a snapshot fetched live and one built from a recorded
directory look the same; its ``origin`` is the address that answered (redirects are followed on
the host asked only, :mod:`navbok.sources.http`). Addresses come from
:mod:`navbok.sources.settings` (read when the source is created for SSB, at each call for KLASS
and NAV).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from navbok.sources import klass, names, nav
from navbok.sources.base import RawResponse
from navbok.sources.http import HttpClient, full_url
from navbok.sources.pxweb import PxWebClient


class LiveSource:
    """SSB (PxWebApi v2 and KLASS) and NAV, fetched over the network."""

    def __init__(self, http: HttpClient | None = None, *, pxweb_base: str | None = None) -> None:
        """Create the source; ``http`` is shared by every request (one rate limit for all)."""
        self.http = http if http is not None else HttpClient()
        self.pxweb = PxWebClient(base_url=pxweb_base, http=self.http)
        self.description = "SSB og NAV (direkte)"

    def limit_fetch(
        self,
        seconds: float | None,
        *,
        notify: Callable[[str], None] | None = None,
        text: str = "",
    ) -> None:
        """Bound every request from now on to ``seconds`` in all (None: lift the bound) and
        announce long waits through ``notify``; ``text`` tells how to allow more time."""
        self.http.limit_total(seconds, text)
        self.http.notify = notify

    # -- SSB PxWebApi v2 --------------------------------------------------------------------------

    def ssb_metadata(self, table: str) -> RawResponse:
        """The metadata body of an SSB table (``ssb/<table>.metadata.json``)."""
        return self.pxweb.metadata_raw(table)

    def ssb_table(
        self,
        table: str,
        selection: Mapping[str, Sequence[str] | str],
        meta_body: bytes | None = None,
    ) -> list[RawResponse]:
        """An SSB table's data, in chunks under the cell limit (reusing ``meta_body`` if given)."""
        return self.pxweb.fetch_table(table, selection or None, meta_body=meta_body)

    def ssb_table_info(self, table: str) -> dict[str, str]:
        """``GET /tables/{id}``: the table's ``updated`` and periods, no data."""
        import json

        from navbok.sources.origin import table_info

        url = f"{self.pxweb.base_url}/tables/{table}"
        body = self.http.get_bytes(url, {"lang": "no"}, what=f"SSB-tabell {table} (oppdatert?)")
        return table_info(json.loads(body))

    # -- KLASS -------------------------------------------------------------------------------------

    def _klass(self, name: str, url: str, query: dict[str, str], what: str) -> RawResponse:
        content = self.http.get_bytes(url, query, what=what, headers=klass.HEADERS)
        origin = self.http.last_url or full_url(url, query)  # who answered (a redirect on the host)
        return RawResponse(name=name, content=content, origin=origin, query=query)

    def codes_at(self, date: str) -> RawResponse:
        """KLASS 131 ``codesAt``: the municipalities valid on ``date``."""
        url, query = klass.codes_at_url(date)
        return self._klass(names.codes_at_name(date), url, query, f"KLASS-kommuneliste {date}")

    def changes(self, date_from: str, date_to: str) -> RawResponse:
        """KLASS 131 ``changes``: municipality code changes between two dates."""
        url, query = klass.changes_url(date_from, date_to)
        what = f"KLASS-kodeendringer {date_from}–{date_to}"
        return self._klass(names.changes_name(date_from, date_to), url, query, what)

    def kostra_groups(self, date: str) -> RawResponse:
        """KLASS 112 → 131: the KOSTRA groups valid on ``date``.

        Asks ``correspondsAt``; if that answers with no items, asks ``corresponds`` for the day
        (same snapshot name; ``origin`` is the URL that answered).
        """
        name = names.kostra_groups_name(date)
        url, query = klass.kostra_groups_url(date)
        first = self._klass(name, url, query, f"KOSTRA-grupper {date}")
        if klass.has_correspondence_items(first.content):
            return first
        url, query = klass.kostra_groups_fallback_url(date)
        return self._klass(name, url, query, f"KOSTRA-grupper {date} (corresponds)")

    # -- NAV ---------------------------------------------------------------------------------------

    def aap155_href(self) -> str:
        """The current workbook's link on NAV's AAP page (the page only)."""
        page = nav.page_url()
        return nav.find_workbook_href(self.http.get_bytes(page, what="NAVs AAP-side"), where=page)

    def aap155(self) -> RawResponse:
        """NAV's current AAP155 workbook, found through the link on NAV's AAP page."""
        page = nav.page_url()
        html = self.http.get_bytes(page, what="NAVs AAP-statistikkside")
        href = nav.find_workbook_href(html, where=page)
        url = nav.workbook_url(href)
        content = self.http.get_bytes(url, what="NAVs AAP155-arbeidsbok")
        query: dict[str, Any] = {"page": page, "href": href}
        origin = self.http.last_url or url  # who answered (a redirect on the same host)
        return RawResponse(name=names.AAP155_CURRENT, content=content, origin=origin, query=query)
