"""Executed chapters under nbval: strict against golden files (Bærum), lax for a small municipality.

Runs only with recorded responses (NAVBOK_SOURCE). Regenerate the golden files on purpose with
`make golden` after changing a chapter.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.skipif(not os.environ.get("NAVBOK_SOURCE"), reason="needs NAVBOK_SOURCE"),
    pytest.mark.slow,
]

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
SMALL = "1151"  # Utsira: the smallest municipality, full of suppressed cells


def _pytest(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
        capture_output=True,
        text=True,
        cwd=HERE.parent,
    )


def test_golden_chapters_match_strict_nbval() -> None:
    sys.path.insert(0, str(HERE))
    from regenerate_golden import ensure_snapshot

    ensure_snapshot()
    notebooks = sorted(GOLDEN.glob("*.ipynb"))
    assert len(notebooks) == 6, notebooks
    proc = _pytest(
        "--nbval", "--nbval-sanitize-with", str(GOLDEN / "sanitize.cfg"), *map(str, notebooks)
    )
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-2000:]


def test_every_chapter_runs_for_a_small_municipality(tmp_path: Path) -> None:
    import papermill as pm

    sys.path.insert(0, str(HERE))
    from regenerate_golden import chapters, ensure_snapshot, staged

    snap = ensure_snapshot()
    params = {
        "kommune": SMALL,
        "snapshot": str(snap),
        "params_file": "",
        "cache_dir": str(snap.parent / "cache"),
    }
    out = []
    for src in chapters():
        dest = tmp_path / src.with_suffix(".ipynb").name
        pm.execute_notebook(
            str(staged(src, tmp_path / "staged")),
            str(dest),
            parameters=params,
            prepare_only=True,
            kernel_name="python3",
        )
        out.append(str(dest))
    proc = _pytest("--nbval-lax", *out)
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-2000:]
