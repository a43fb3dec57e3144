"""Published figures carried from the source documents into ``data/reference/``.

Each file is a CSV (``,``-separated, ``.`` decimals) that starts with ``#`` lines naming its
source, e.g.::

    # source: Proba samfunnsanalyse, rapport 2017-08, vedlegg 2
    # note: index 100 = actual spending equals the estimated need
    kommunenr,kommune,...

These are published results, shown beside the book's own computations and never recomputed.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from navbok.errors import ConfigError


def reference_dir() -> Path:
    """``$NAVBOK_REFERENCE``, else ``data/reference`` in the repository (or the working dir)."""
    if env := os.environ.get("NAVBOK_REFERENCE"):
        return Path(env)
    repo = Path(__file__).resolve().parents[2] / "data" / "reference"
    return repo if repo.is_dir() else Path("data/reference")


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
    stat = path.stat()
    ref = _read(str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    return Reference(ref.frame.copy(), ref.source, list(ref.notes))


@lru_cache(maxsize=64)
def _read(path_text: str, _mtime: int, _size: int) -> Reference:
    """Parse a reference file (cached per path and modification time)."""
    path = Path(path_text)
    text = path.read_text("utf-8")
    header = []
    lines = text.splitlines(keepends=True)
    while lines and lines[0].startswith("#"):
        header.append(lines.pop(0)[1:].strip())
    source = next((h.split(":", 1)[1].strip() for h in header if h.startswith("source:")), "")
    if not source:
        raise ConfigError(f"{path}: the file must start with a '# source: …' line")
    notes = [h.split(":", 1)[1].strip() for h in header if h.startswith("note:")]
    frame = pd.read_csv(io.StringIO("".join(lines)), dtype=str, keep_default_na=False)
    return Reference(frame, source, notes)
