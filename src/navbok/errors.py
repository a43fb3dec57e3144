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


def os_error_message(exc: OSError, what: str = "") -> str:
    """One line for a failed file operation: the path, what went wrong, what to do.

    ``what`` names the thing (``"the data cache"``); the path comes from the error itself.
    """
    import errno

    path = exc.filename if exc.filename is not None else ""
    where = " ".join(str(x) for x in (what, path) if x) or "a file"
    if exc.errno == errno.ENOSPC or "No space left" in str(exc):
        return f"Cannot write {where}: the disk is full. Free some space and run again."
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (
            f"Cannot write {where}: permission denied (read-only). Make the folder writable, "
            "or choose another, and run again."
        )
    reason = exc.strerror or str(exc) or type(exc).__name__
    return f"{where[:1].upper()}{where[1:]}: {reason}. Check the file or folder and run again."
