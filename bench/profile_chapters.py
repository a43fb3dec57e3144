"""Where does chapter time go? Run every chapter's code in-process under cProfile.

    .venv/bin/python bench/profile_chapters.py [--kommune 3201] [--top 25]

Executes the code cells of each chapter notebook (the parameters injected as papermill would)
in one warm process, after one warm-up pass, and prints per chapter the wall time and then,
over all chapters, the cumulative time of the navbok functions (Report methods, charts,
formatting, data) and the heaviest library calls beneath them. Chapter authors: the
``Report``/``charts`` rows tell you which calls are expensive.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import cProfile
import io
import pstats
import time
from pathlib import Path

from navbok.project import Project

ROOT = Project.find().root  # the book's sources; navbok itself comes from the environment


def chapter_code(path: Path, parameters: dict[str, str]) -> list[str]:
    from navbok.builder import staging as chapter

    nb = chapter.read(path)  # the chapter's text as the notebook that runs
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cells.append(cell.source)
        if "parameters" in cell.metadata.get("tags", []):
            cells.append("\n".join(f"{k} = {v!r}" for k, v in parameters.items()))
    return cells


def run_chapter(cells: list[str]) -> None:
    ns: dict = {"__name__": "__main__"}
    for src in cells:
        # As IPython: run the cell, and display its last expression (built once, then its HTML).
        tree = ast.parse(src)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, "<cell>", "exec"), ns)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), ns)
            for attr in ("_repr_html_", "_repr_markdown_"):
                if hasattr(value, attr):
                    getattr(value, attr)()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kommune", default="3201", help="one code, or several comma-separated")
    ap.add_argument("--snapshot", default=str(ROOT / "data" / "snapshot"))
    ap.add_argument("--cache-dir", default=str(ROOT / "data" / "cache"))
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--out", help="also write the cProfile statistics here (pstats)")
    args = ap.parse_args()

    from navbok.data import NavData
    from navbok.params import params_for

    data = NavData.load(args.snapshot, cache_dir=args.cache_dir)
    project = Project.find()

    def code_of(kommune: str) -> tuple[str, dict[str, list[str]]]:
        params = params_for(data, kommune)
        pfile = Path("/tmp") / f"navbok-profile-{params.kommune}.yml"
        pfile.write_text(params.to_yaml(), "utf-8")
        parameters = {
            "kommune": params.kommune,
            "snapshot": str(Path(args.snapshot).resolve()),
            "params_file": str(pfile),
            "cache_dir": str(Path(args.cache_dir).resolve()),
        }
        chapters = {rel: chapter_code(project.root / rel, parameters) for rel in project.chapters()}
        return f"{params.kommune} ({params.name})", chapters

    books = [code_of(k.strip()) for k in args.kommune.split(",")]
    with contextlib.redirect_stdout(io.StringIO()):  # warm-up: imports, caches; the first book
        for cells in books[0][1].values():
            run_chapter(cells)
    prof = cProfile.Profile()
    total = 0.0
    times: dict[str, float] = {}
    for _name, chapters_code in books:  # the first again when it is the only one
        with contextlib.redirect_stdout(io.StringIO()):
            for rel, cells in chapters_code.items():
                t0 = time.perf_counter()
                prof.enable()
                run_chapter(cells)
                prof.disable()
                dt = time.perf_counter() - t0
                total += dt
                times[rel] = times.get(rel, 0.0) + dt
    print(f"Kommune {', '.join(n for n, _ in books)}: warm process, after a first pass:")
    for rel, dt in times.items():
        print(f"  {rel:40s} {dt / len(books):6.3f} s per book")
    print(f"  {'all chapters':40s} {total / len(books):6.3f} s per book (under cProfile)\n")
    if args.out:
        prof.dump_stats(args.out)
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out).sort_stats("cumulative")
    stats.print_stats(r"navbok/(report|present|analysis|data|comparison|peers|geo)", args.top)
    print(out.getvalue().split("\n\n", 2)[-1])
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out).sort_stats("tottime")
    stats.print_stats(args.top)
    print("Heaviest functions by own time:")
    print(out.getvalue().split("\n\n", 2)[-1])


if __name__ == "__main__":
    main()
