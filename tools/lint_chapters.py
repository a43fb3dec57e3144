"""ruff for the chapters' code cells: ``chapters/*.md`` are MyST notebooks (jupytext), so ruff
reads each as the notebook it is (its own notebook mode: a cell's last expression is its output)
and names errors by chapter and line in the ``.md``.

    python tools/lint_chapters.py            # ruff check + ruff format --check (make test)
    python tools/lint_chapters.py --fix      # safe fixes and ruff format, written back

The project's ruff settings apply (``pyproject.toml``).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parent.parent
RUFF = [sys.executable, "-m", "ruff"]
CONFIG = ["--config", str(ROOT / "pyproject.toml")]


def chapters() -> list[Path]:
    """The chapters' MyST files."""
    return sorted((ROOT / "chapters").glob("*.md"))


def _cell_lines(path: Path) -> list[int]:
    """The line (1-based) in ``path`` where each code cell's source starts."""
    lines = path.read_text("utf-8").splitlines()
    starts = []
    for i, line in enumerate(lines):
        if line.startswith("```{code-cell}"):
            j = i + 1
            while j < len(lines) and lines[j].startswith(":"):  # options such as :tags:
                j += 1
            if j > i + 1 and j < len(lines) and not lines[j].strip():
                j += 1
            starts.append(j + 1)
    return starts


def _as_notebook(path: Path, folder: Path) -> tuple[Path, list[int]]:
    """``path`` as an ``.ipynb`` in ``folder`` (code cells only), and where each cell starts."""
    nb = jupytext.read(path)
    nb.cells = [c for c in nb.cells if c.cell_type == "code"]
    for cell in nb.cells:
        cell.outputs, cell.execution_count = [], None
    file = folder / f"{path.stem}.ipynb"
    nbformat.write(nb, file)
    return file, _cell_lines(path)


def check(path: Path) -> list[str]:
    """ruff's findings for one chapter's code, as «chapters/x.md:LINE: CODE message»."""
    rel = path.relative_to(ROOT)
    found = []
    with tempfile.TemporaryDirectory() as tmp:
        file, starts = _as_notebook(path, Path(tmp))
        lint = subprocess.run(
            [*RUFF, "check", "--output-format", "concise", *CONFIG, str(file)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        for line in lint.stdout.splitlines():
            m = re.match(r".*?:cell (\d+):(\d+):\d+: (.*)", line)
            if m:
                cell, row = int(m.group(1)), int(m.group(2))
                found.append(f"{rel}:{starts[cell - 1] + row - 1}: {m.group(3)}")
        fmt = subprocess.run(
            [*RUFF, "format", "--check", *CONFIG, str(file)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if fmt.returncode:
            found.append(f"{rel}: kodecellene er ikke formatert (tools/lint_chapters.py --fix)")
    return found


def fix(path: Path) -> bool:
    """Safe fixes and ruff format on every code cell, written back; True when it changed."""
    with tempfile.TemporaryDirectory() as tmp:
        file, _ = _as_notebook(path, Path(tmp))
        subprocess.run([*RUFF, "check", "--fix-only", "--quiet", *CONFIG, str(file)], check=False)
        subprocess.run([*RUFF, "format", "--quiet", *CONFIG, str(file)], check=False)
        fixed = iter(nbformat.read(file, as_version=4).cells)
    nb = jupytext.read(path)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = next(fixed).source
    text = jupytext.writes(nb, fmt="md:myst")
    if text == path.read_text("utf-8"):
        return False
    path.write_text(text, "utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    """Check (exit 1 with the list) or fix first."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fix", action="store_true")
    args = parser.parse_args(argv)
    if args.fix:
        for path in chapters():
            if fix(path):
                print(f"formatert: {path.relative_to(ROOT)}")
    problems = [p for path in chapters() for p in check(path)]
    for problem in problems:
        print(problem)
    print(f"kapitlenes kode: {len(problems)} funn i {len(chapters())} kapitler")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
