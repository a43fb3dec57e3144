"""What a build must do: one municipality's plan, and the build state file.

A chapter is executed again only when its key (:mod:`navbok.builder.keys`) changed or its
executed notebook is gone; a book is rendered again only when a chapter ran, its book key
(configuration, table of contents, static files, chapter keys) changed or its HTML is gone.
The keys of the last good build live in ``_build/<kommune>/build.json`` (:func:`read_state`,
:func:`write_state`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from navbok.builder.config import book_config
from navbok.builder.keys import chapter_key, code_fingerprint, digest, shared_texts_key
from navbok.builder.staging import staged_name
from navbok.data import NavData
from navbok.files import write_atomic
from navbok.params import Params
from navbok.project import Project

STATE_FILE = "build.json"


@dataclass
class Plan:
    """What one municipality's build needs: its params, keys and the work left to do."""

    params: Params
    out: Path  # _build/<kommune>
    config: str  # the stage's _config.yml
    chapter_keys: dict[str, str]
    book_key: str
    execute: list[str] = field(default_factory=list)  # chapters to run (relative paths)
    render: bool = True

    @property
    def kommune(self) -> str:
        """The municipality's code (4 digits)."""
        return self.params.kommune

    @property
    def stage(self) -> Path:
        """The folder Jupyter Book renders: ``_build/<kommune>/src``."""
        return (self.out / "src").resolve()


def read_state(out: Path) -> dict:
    """The keys of the last good build in ``out`` (empty when there is none)."""
    try:
        return json.loads((out / STATE_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def write_state(out: Path, state: dict) -> None:
    """Record ``state`` as ``out``'s build state (atomically)."""
    write_atomic(out / STATE_FILE, json.dumps(state, indent=1, sort_keys=True))


def plan_book(
    project: Project,
    data: NavData,
    params: Params,
    build_dir: Path,
    static_key: str,
    sources: dict[str, bytes],
    force: bool = False,
) -> Plan:
    """Keys for one municipality, and which chapters (if any) must run again.

    ``sources``: each chapter's text by its path relative to the project root;
    ``static_key``: the key of the static files (:attr:`navbok.builder.stage.StaticFiles.key`).
    """
    out = build_dir / params.kommune
    config = book_config(project, params, data.snapshot.synthetic, data.snapshot.label)
    toc = project.toc.read_bytes()
    base = (
        params.to_yaml(),
        data.snapshot.checksum,
        code_fingerprint(),
        shared_texts_key(project.root),
    )
    chapter_keys = {rel: chapter_key(rel, src, *base) for rel, src in sources.items()}
    book_key = digest(config, toc, static_key, *sorted(f"{r}={k}" for r, k in chapter_keys.items()))
    plan = Plan(params, out, config, chapter_keys, book_key)
    state = {} if force else read_state(out)
    done = state.get("chapters", {})
    plan.execute = [
        rel
        for rel, key in chapter_keys.items()
        if done.get(rel) != key or not (plan.stage / staged_name(rel)).is_file()
    ]
    plan.render = bool(
        plan.execute or state.get("book") != book_key or not (out / "html" / "index.html").is_file()
    )
    return plan
