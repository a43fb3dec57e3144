"""Errors that navbok raises on bad input or bad data.

Every error carries a message that names the problem (the table, the file, the code) so that a
user never has to read a traceback from deep inside pandas.
"""


class NavbokError(Exception):
    """Base class for all errors navbok reports to the user."""


class SourceError(NavbokError):
    """A data source (SSB, KLASS, NAV, or a recorded directory) could not deliver a response."""


class SourceUnreachable(SourceError):
    """The live service could not be reached at all (no network, DNS failure, refused)."""


class ParseError(NavbokError):
    """A response could not be parsed (truncated JSON, wrong shape, bad CSV)."""


class SnapshotError(NavbokError):
    """The local data snapshot is missing, incomplete or corrupt."""


class RegionError(NavbokError):
    """An unknown or ambiguous municipality code or name."""


class ConfigError(NavbokError):
    """Invalid configuration: params file, indicator register, group definitions."""
