"""What every source returns: raw response bytes with their origin."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RawResponse:
    """One raw response body, exactly as the service returned it.

    ``name`` is the path the body gets inside a snapshot (for example ``ssb/13138_part1.json``),
    ``origin`` the URL or file it came from, ``query`` the query parameters that produced it.
    """

    name: str
    content: bytes
    origin: str
    query: dict[str, Any] = field(default_factory=dict)
