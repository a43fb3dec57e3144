"""Published figures carried from the source documents into ``data/reference/``.

Each file is a CSV that starts with ``#`` lines naming its source, e.g.::

    # source: Proba samfunnsanalyse, rapport 2017-08, vedlegg 2
    # note: index 100 = actual spending equals the estimated need
    kommunenr,kommune,...

Other ``#`` lines (``# internal: …``, the maintainers' remarks on how a number was read) stay in
the file and are never shown to the reader.

These are published results, shown beside the book's own computations and never recomputed. The
same reader serves the municipality's own tables (``local_data`` in the params), which may be
``;``-separated as spreadsheets save them for Norwegian locales: the separator is ``;`` when the
header line has at least as many ``;`` as ``,`` outside quotes, else ``,``. Values stay text.
The file is checked and each problem is a :class:`ConfigError` naming the file and line: a
``# source:`` line, a header line with no empty and no repeated names, and every row with the
header's number of fields. The text is UTF-8 (a byte-order mark is allowed).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from navbok.errors import ConfigError
from navbok.project import Project


def reference_dir() -> Path:
    """The published figures' folder: ``data/reference`` in the project
    (:class:`navbok.project.Project`), or ``$NAVBOK_REFERENCE``."""
    return Project.find().reference_dir


@dataclass
class Reference:
    """A published table and where it comes from."""

    frame: pd.DataFrame
    source: str
    notes: list[str]


def load_reference(name: str, root: Path | None = None) -> Reference:
    """Read ``data/reference/<name>.csv`` with its ``# source:`` and ``# note:`` header lines."""
    path = (root or reference_dir()) / f"{name}.csv"
    if not path.is_file():
        raise ConfigError(f"reference file missing: {path}")
    return load_file(path)


def load_file(path: Path) -> Reference:
    """Read and check exactly the file ``path`` (whatever its name ends with) as a reference
    file; the municipality's own tables (``local_data``) are read through this."""
    stat = path.stat()
    ref = _read(str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    return Reference(ref.frame.copy(), ref.source, list(ref.notes))


def _separator(line: str) -> str:
    """``;`` when the header line has at least as many ``;`` as ``,`` outside quotes, else ``,``."""
    counts = {",": 0, ";": 0}
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    return ";" if counts[";"] and counts[";"] >= counts[","] else ","


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ConfigError(
            f"{path}, line {line}: not UTF-8 text (byte {exc.object[exc.start]:#04x}); "
            "save the file as UTF-8"
        ) from exc


@lru_cache(maxsize=64)
def _read(path_text: str, _mtime: int, _size: int) -> Reference:
    """Parse and check a reference file (cached per path and modification time)."""
    path = Path(path_text)
    lines = _decode(path).splitlines(keepends=True)
    header = []
    while lines and lines[0].startswith("#"):
        header.append(lines.pop(0)[1:].strip())
    source = next((h.split(":", 1)[1].strip() for h in header if h.startswith("source:")), "")
    if not source:
        raise ConfigError(f"{path}, line 1: the file must start with a '# source: …' line")
    notes = [h.split(":", 1)[1].strip() for h in header if h.startswith("note:")]
    first = len(header) + 1  # the file's line number of the header line
    while lines and not lines[0].strip():
        lines.pop(0)
        first += 1
    if not lines:
        raise ConfigError(f"{path}, line {first}: no header line after the '#' lines")
    sep = _separator(lines[0])
    body = "".join(lines)
    try:
        rows = list(_numbered_rows(body, sep, first))
    except csv.Error as exc:
        raise ConfigError(f"{path}: bad CSV ({exc})") from exc
    names = rows[0][1]
    for i, name in enumerate(names):
        if not name.strip():
            raise ConfigError(
                f"{path}, line {first}: column {i + 1} of the header has no name "
                f"(separator {sep!r})"
            )
        if name in names[:i]:
            raise ConfigError(
                f"{path}, line {first}: column name {name!r} appears twice in the header"
            )
    for line, row in rows[1:]:
        if len(row) != len(names):
            raise ConfigError(
                f"{path}, line {line}: {len(row)} fields but the header has {len(names)} "
                f"(separator {sep!r}); check the separators and quotes on that line"
            )
    frame = pd.read_csv(io.StringIO(body), sep=sep, dtype=str, keep_default_na=False)
    return Reference(frame, source, notes)


def _numbered_rows(body: str, sep: str, first: int) -> list[tuple[int, list[str]]]:
    """The CSV rows with the file's line number where each starts (blank lines skipped)."""
    reader = csv.reader(io.StringIO(body), delimiter=sep)
    out = []
    start = first
    for row in reader:
        if len(row) > 1 or (row and row[0].strip()):  # pandas skips blank lines too
            out.append((start, row))
        start = first + reader.line_num
    return out
