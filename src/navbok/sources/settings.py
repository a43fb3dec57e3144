"""The addresses of the services, settable so that a test or a mirror can stand in for them.

``NAVBOK_SSB_URL``   PxWebApi v2 base (default ``https://data.ssb.no/api/pxwebapi/v2``)
``NAVBOK_KLASS_URL`` KLASS base (default ``https://data.ssb.no/api/klass/v1``)
``NAVBOK_NAV_URL``   NAV's site root (default ``https://www.nav.no``); the AAP page's path and
                     the workbook link's path are taken relative to it.

Read at call time (not import time), so a changed environment takes effect at once.
"""

from __future__ import annotations

import os

SSB_URL_VAR = "NAVBOK_SSB_URL"
KLASS_URL_VAR = "NAVBOK_KLASS_URL"
NAV_URL_VAR = "NAVBOK_NAV_URL"

DEFAULT_SSB_URL = "https://data.ssb.no/api/pxwebapi/v2"
DEFAULT_KLASS_URL = "https://data.ssb.no/api/klass/v1"
DEFAULT_NAV_URL = "https://www.nav.no"


def _get(var: str, default: str) -> str:
    value = os.environ.get(var, "").strip()
    return (value or default).rstrip("/")


def ssb_url() -> str:
    """PxWebApi v2 base URL, without a trailing slash."""
    return _get(SSB_URL_VAR, DEFAULT_SSB_URL)


def klass_url() -> str:
    """KLASS v1 base URL, without a trailing slash."""
    return _get(KLASS_URL_VAR, DEFAULT_KLASS_URL)


def nav_url() -> str:
    """NAV's site root, without a trailing slash."""
    return _get(NAV_URL_VAR, DEFAULT_NAV_URL)
