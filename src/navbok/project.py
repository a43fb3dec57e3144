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

from navbok.errors import ConfigError

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

    def chapters(self) -> list[str]:
        """Chapter sources in table-of-contents order (paths relative to :attr:`root`).

        A chapter is a MyST Markdown notebook (``chapters/<name>.md``); ``_toc.yml`` names it
        without the extension. A missing ``_toc.yml`` is a :class:`~navbok.errors.ConfigError`
        saying where navbok looked."""
        import yaml

        if not self.toc.is_file():
            raise ConfigError(
                f"Finner ikke bokas kilder: {self.toc} mangler. Kjør navbok build i en mappe med "
                f"_config.yml, _toc.yml og chapters/ (som navbok-repoet), eller sett {ENV_VAR} "
                "til en slik mappe."
            )
        toc = yaml.safe_load(self.toc.read_text("utf-8"))
        files = [toc["root"]]
        for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}]):
            files += [c["file"] for c in part.get("chapters", [])]
        return [f if f.endswith(".md") else f + ".md" for f in files]

    @property
    def reference_dir(self) -> Path:
        """Published figures of the source documents (``$NAVBOK_REFERENCE`` overrides)."""
        if env := os.environ.get(REFERENCE_ENV_VAR):
            return Path(env)
        return self.root / "data" / "reference"
