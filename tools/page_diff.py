"""Build the three golden books (Bærum, Utsira, Oslo) and show how their pages' visible text
differs from ``tests/golden/pages`` — what ``tests/test_page_text.py`` checks, in 20–30 s.

    python tools/page_diff.py [--build DIR] [--snapshot DIR] [PAGE ...]

PAGE limits the comparison to pages by name (``kvp``, ``intro``); exit 1 when any differ.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from page_text import GOLDEN, KOMMUNER, book_texts  # noqa: E402

from navbok.builder.pipeline import main as build  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Build, compare, print the differences; 1 when a page changed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*")
    parser.add_argument("--build", type=Path, default=Path("/tmp/navbok-page-diff"))
    parser.add_argument("--snapshot", type=Path, default=ROOT / "data/snapshot")
    parser.add_argument("--cache", type=Path, default=ROOT / "data/cache")
    args = parser.parse_args(argv)
    for call in ("3201,1151", "0301"):  # as tests/conftest.py's RECORDED_CALLS
        build(kommune=call, all_=False, snapshot=args.snapshot, cache_dir=args.cache,
              build_dir=args.build)  # fmt: skip
    changed = 0
    for kode in KOMMUNER:
        golden = {p.stem: p.read_text("utf-8") for p in sorted((GOLDEN / kode).glob("*.txt"))}
        for name, text in book_texts(args.build / kode / "html").items():
            if args.pages and name not in args.pages or text == golden.get(name):
                continue
            changed += 1
            before = golden.get(name, "").splitlines()
            diff = difflib.unified_diff(before, text.splitlines(), "før", "etter", lineterm="", n=0)
            print(f"== {kode}/{name}", *list(diff)[2:60], sep="\n")
    print(f"{changed} sider endret")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
