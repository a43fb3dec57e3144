"""The indicator register (``indicators.yaml``), read once."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from navbok.errors import ConfigError


@cache
def register_doc() -> dict[str, Any]:
    """The indicator register (``indicators.yaml``) as a dict (read-only by convention)."""
    text = resources.files("navbok").joinpath("indicators.yaml").read_text("utf-8")
    doc = yaml.safe_load(text)
    for key in ("series", "measures", "indicators"):
        if key not in doc:
            raise ConfigError(f"indicators.yaml has no {key!r} section")
    return doc
