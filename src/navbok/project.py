"""Where the book's sources are: the one object that finds the project root.

The project root holds ``_config.yml``, ``_toc.yml``, ``chapters/``, ``params/`` and
``data/reference/``. It is ``$NAVBOK_BOOK_ROOT`` if set; else the checkout navbok runs from (an
editable install, found from this file); else the current directory (navbok installed from a
wheel and run in a copy of the book's sources).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "NAVBOK_BOOK_ROOT"
REFERENCE_ENV_VAR = "NAVBOK_REFERENCE"


@dataclass(frozen=True)
class Project:
    """A book's source tree."""

    root: Path

    @classmethod
    def find(cls) -> Project:
        """The project root as the module docstring says (looked up on every call)."""
        if env := os.environ.get(ENV_VAR):
            return cls(Path(env))
        checkout = Path(__file__).resolve().parents[2]
        return cls(checkout if (checkout / "_toc.yml").is_file() else Path.cwd())

    @property
    def toc(self) -> Path:
        """``_toc.yml``: the chapters in book order."""
        return self.root / "_toc.yml"

    @property
    def config(self) -> Path:
        """``_config.yml``: the Jupyter Book configuration the build starts from."""
        return self.root / "_config.yml"

    @property
    def reference_dir(self) -> Path:
        """Published figures of the source documents (``$NAVBOK_REFERENCE`` overrides)."""
        if env := os.environ.get(REFERENCE_ENV_VAR):
            return Path(env)
        return self.root / "data" / "reference"
