"""Per-build CPU time of consecutive renders of one staged book in one process (as the render
process of ``--renderer worker`` does them).

    .venv/bin/python bench/render_bench.py STAGE [-k 6] [--hashes OUT.json] [--profile OUT.prof]

``STAGE`` is a staged book (e.g. a copy of ``_build/3201/src``). Each of the ``K`` renders starts
as :func:`navbok.builder.render.render` does, from an empty ``STAGE/_build``, and calls
:func:`navbok.builder.render.sphinx_build` in this one process. Printed: CPU seconds
(``time.process_time``) and wall seconds of every render, then the median of the warm ones (all
but the first). ``--hashes`` writes the SHA-256 of every file under ``_build/html`` (of every
render: they must agree) to compare two versions of the code; ``--profile`` writes a cProfile
of the last render.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import shutil
import statistics
import time
from pathlib import Path

from navbok.builder.render import sphinx_build


def tree_hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("stage", type=Path)
    ap.add_argument("-k", type=int, default=6, help="consecutive renders (default 6)")
    ap.add_argument("--hashes", type=Path, help="write the output tree's hashes here (JSON)")
    ap.add_argument("--profile", type=Path, help="write a cProfile of the last render here")
    args = ap.parse_args()

    stage = args.stage.absolute()
    cpu: list[float] = []
    seen: dict[str, str] | None = None
    for i in range(args.k):
        if (stage / "_build").exists():
            shutil.rmtree(stage / "_build")
        prof = cProfile.Profile() if args.profile and i == args.k - 1 else None
        c0, w0 = time.process_time(), time.perf_counter()
        if prof:
            prof.enable()
        out = sphinx_build(stage)
        if prof:
            prof.disable()
            prof.dump_stats(args.profile)
        c, w = time.process_time() - c0, time.perf_counter() - w0
        cpu.append(c)
        print(f"render {i + 1}: cpu {c:.3f} s  wall {w:.3f} s", flush=True)
        if args.hashes:
            hashes = tree_hashes(out)
            if seen is not None and hashes != seen:
                bad = sorted(k for k in hashes.keys() | seen.keys() if hashes.get(k) != seen.get(k))
                print(f"  differs from the previous render: {bad[:10]}")
            seen = hashes
    if len(cpu) > 1:
        print(f"warm median cpu: {statistics.median(cpu[1:]):.3f} s over {len(cpu) - 1} renders")
    if args.hashes and seen is not None:
        args.hashes.write_text(json.dumps(seen, indent=1, sort_keys=True), "utf-8")
        print(f"{len(seen)} files hashed -> {args.hashes}")


if __name__ == "__main__":
    main()
