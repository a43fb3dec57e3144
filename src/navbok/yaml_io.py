"""YAML read and written with libyaml when it is installed.

The C classes give the same documents and text as PyYAML's pure-Python ones, about ten times
faster: a national build reads and writes params and configs well over a thousand times.

A file a user writes (a params file) is read with :func:`load_plain`: anchors and aliases
(``&a`` … ``*a``) are refused before anything is built, so a few hundred bytes of nested aliases
(«billion laughs») cannot grow into gigabytes in whatever walks the document afterwards.
"""

from __future__ import annotations

from typing import Any

import yaml

from navbok.errors import ConfigError

__all__ = ["dump", "load", "load_plain"]

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def load(text: str) -> Any:
    """``yaml.safe_load(text)``, with libyaml when there (raises :class:`yaml.YAMLError`)."""
    return yaml.load(text, Loader=_LOADER)


def load_plain(text: str, where: str) -> Any:
    """:func:`load` for a file a user writes: YAML without anchors or aliases.

    The text's events are read first (nothing is built from them); the first anchor or alias
    raises :class:`~navbok.errors.ConfigError` in one line naming ``where`` and its line.
    Invalid YAML raises :class:`yaml.YAMLError`, as :func:`load` does.
    """
    if "&" in text or "*" in text:  # no anchor or alias can be written without them
        for event in yaml.parse(text, Loader=_LOADER):
            alias = isinstance(event, yaml.AliasEvent)
            if alias or getattr(event, "anchor", None) is not None:
                line = event.start_mark.line + 1 if event.start_mark is not None else "?"
                kind = f"aliaset *{event.anchor}" if alias else f"ankeret &{event.anchor}"
                raise ConfigError(
                    f"{where}, linje {line}: YAML-ankere og -aliaser (&navn, *navn) er ikke "
                    f"tillatt i en params-fil ({kind}); skriv verdien ut der den trengs."
                )
    return load(text)


def dump(doc: Any, width: int | None = None) -> str:
    """``doc`` as YAML, keys in their order, non-ASCII letters kept (lines folded at
    ``width``, PyYAML's default when None)."""
    return yaml.dump(doc, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=width)
