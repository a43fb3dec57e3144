"""Benchmark navbok's build: one municipality, N municipalities, rebuilds, and the naive path.

    .venv/bin/python bench/bench.py [--kommune 3201] [-n N] [--runs K] [--skip-naive]
    make bench                      # the same with the defaults (N = every municipality)

Every measured build runs in a new process (imports, kernels and Sphinx start cold) with an
empty build directory; the snapshot's Parquet cache (``data/cache``, made by ``NavData.load``)
and the Vega bundle are warm, as after ``navbok fetch`` and one build. Reported:

* wall time of the whole command (median of ``--runs``), per-notebook execution times
  (median / max), render time per book;
* peak memory: the largest sum of RSS over the build process and all its children (kernels,
  Sphinx subprocesses), sampled every 50 ms with psutil, and the largest single process
  (``getrusage(RUSAGE_CHILDREN).ru_maxrss``);
* a no-op rebuild of the N books and a rebuild after one municipality's params changed;
* the naive path — a fresh papermill kernel per notebook, one notebook at a time, and a
  ``jupyter-book build`` subprocess per municipality, no cache — measured for
  ``--naive-n`` municipalities (default 1) and extrapolated linearly to N (marked "est.").
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from navbok.project import Project

ROOT = Project.find().root  # the book's sources; navbok itself comes from the environment


# ------------------------------------------------------------------------ the measured process


def _run(spec: dict) -> dict:
    """Inside the child: build as ``spec`` says and return the timings."""
    t0 = time.perf_counter()
    from navbok.builder import pipeline as build
    from navbok.builder.execute import start_kernels_early
    from navbok.builder.stage import BOOK_STATIC
    from navbok.data import NavData
    from navbok.params import params_for

    pool = None
    if not spec.get("touch"):  # as `navbok build` does
        pool = start_kernels_early(
            spec["kommuner"],
            Path(spec["snapshot"]),
            Path(spec["cache_dir"]),
            Path(spec["build_dir"]),
            spec.get("workers"),
            spec["engine"],
            spec.get("force", False),
        )
    data = NavData.load(spec["snapshot"], cache_dir=spec["cache_dir"])
    kommuner = spec["kommuner"]
    params = None
    if spec.get("touch"):
        p = params_for(data, spec["touch"])
        p.edition = f"Benkmerket {spec['stamp']}"
        params = {p.kommune: p}
    stats = build.build_many(
        data,
        kommuner,
        snapshot=Path(spec["snapshot"]),
        cache_dir=Path(spec["cache_dir"]),
        build_dir=Path(spec["build_dir"]),
        params=params,
        workers=spec.get("workers"),
        engine=spec["engine"],
        renderer=spec["renderer"],
        force=spec.get("force", False),
        keep_going=True,
        pool=pool,
    )
    # As `navbok build` does after every build: the national site, each book's workbook and
    # print summary (navbok.site.products, imported here as `navbok build` does).
    from navbok.site.products import build_site

    t_site = time.perf_counter()
    _, site = build_site(
        data, Path(spec["build_dir"]), Path(spec["cache_dir"]) / BOOK_STATIC, Project.find()
    )
    site_seconds = time.perf_counter() - t_site
    # Where one book's time went (warm kernels started early, as for one municipality):
    # process start → kernels ready → chapters run → render → the site step.
    breakdown = {}
    if pool is not None and pool.ready and len(pool.span) == 2:
        t_ready = max(pool.ready)
        breakdown = {
            "to kernels ready": t_ready - t0,
            "chapters": pool.span[1] - pool.span[0],
            "render": sum(stats.renders.values()),
            "site": site_seconds,
            "waiting for a kernel": max(0.0, pool.span[0] - t_ready),
        }
    missing = [
        str(p)
        for k, p in zip(kommuner, stats.pages, strict=True)
        if not p.is_file() and k not in stats.failed
    ]
    if missing:
        raise SystemExit(f"missing pages: {missing[:3]}")
    return {
        "wall_inside": time.perf_counter() - t0,
        "notebooks": stats.notebooks,
        "renders": stats.renders,
        "cached_books": len(stats.cached_books),
        "books": len(kommuner),
        "failed": stats.failed,
        "site": round(site_seconds, 2),
        "site_parts": {k: round(v, 2) for k, v in site.seconds.items()},
        "breakdown": {k: round(v, 2) for k, v in breakdown.items()},
    }


# ------------------------------------------------------------------------------ the harness


class PeakRSS(threading.Thread):
    """Samples the summed RSS of a process tree: every :data:`EVERY` s the processes it
    knows, every :data:`TREE_EVERY` s which processes the tree has (finding them reads every
    process of the machine; at 20 Hz that cost ≈ 3 % of a core on the machine it measures)."""

    EVERY = 0.1
    TREE_EVERY = 1.0

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0, threading.Event()

    def run(self) -> None:
        try:
            import psutil
        except ImportError:
            return
        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        tree: list = []
        found = 0.0
        while not self.stop.is_set():
            now = time.monotonic()
            if now - found >= self.TREE_EVERY or not tree:
                try:
                    tree = [root, *root.children(recursive=True)]
                except psutil.Error:
                    break
                found = now
            total = 0
            for p in tree:
                with contextlib.suppress(psutil.Error):
                    total += p.memory_info().rss
            self.peak = max(self.peak, total)
            self.stop.wait(self.EVERY)


def measure(spec: dict) -> dict:
    """Run one build in a child process; wall time, peak memory and its timings."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--_run", json.dumps(spec)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    sampler = PeakRSS(proc.pid)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    sampler.stop.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({proc.returncode}):\n{err[-3000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    result["wall"] = wall
    result["peak_rss"] = sampler.peak
    result["max_single_rss"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return result


def _mib(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB"


def _nb_summary(results: list[dict]) -> str:
    times = [t for r in results for t in r["notebooks"].values()]
    if not times:
        return "no notebooks executed"
    return (
        f"{len(times) // len(results)} notebooks/run, median {statistics.median(times):.2f} s, "
        f"max {max(times):.2f} s"
    )


def _per_chapter(result: dict) -> list[str]:
    by_chapter: dict[str, list[float]] = {}
    for name, t in result["notebooks"].items():
        by_chapter.setdefault(name.split("/", 1)[1], []).append(t)
    return [
        f"      {ch:38s} median {statistics.median(ts):5.2f} s  max {max(ts):5.2f} s"
        for ch, ts in sorted(by_chapter.items())
    ]


def scenario(label: str, specs: list[dict], show_chapters: bool = True) -> dict:
    results = [measure(s) for s in specs]
    walls = [r["wall"] for r in results]
    best = sorted(results, key=lambda r: r["wall"])[len(results) // 2]
    peak = max(r["peak_rss"] for r in results)
    renders = [t for r in results for t in r["renders"].values()]
    print(f"  {label}")
    print(
        f"    wall {statistics.median(walls):7.2f} s (median of {len(walls)}: "
        + ", ".join(f"{w:.2f}" for w in walls)
        + f"); peak RSS {_mib(peak)} (all processes), "
        f"largest process {_mib(max(r['max_single_rss'] for r in results))}"
    )
    print(f"    notebooks: {_nb_summary(results)}")
    if renders:
        print(
            f"    renders: {len(renders) // len(results)}/run, median "
            f"{statistics.median(renders):.2f} s"
        )
    print(f"    books from cache: {best['cached_books']} of {best['books']}")
    if "site" in best:
        parts = ", ".join(f"{k} {v:.2f}" for k, v in best.get("site_parts", {}).items())
        print(
            f"    site (overview, maps, open data, workbooks, summaries): {best['site']:.2f} s"
            f" ({parts})"
        )
    if best["failed"]:
        print(
            f"    FAILED (chapter errors, not counted as built): {len(best['failed'])}: "
            + "; ".join(f"{k}: {v[:120]}" for k, v in sorted(best["failed"].items())[:5])
        )
    if best.get("breakdown"):
        parts = ", ".join(f"{k} {v:.2f}" for k, v in best["breakdown"].items())
        print(f"    where the time went (s, median run, from the process start): {parts}")
    if show_chapters and best["notebooks"]:
        print("    per chapter (median run):")
        print("\n".join(_per_chapter(best)))
    return {"wall": statistics.median(walls), "peak": peak, "results": results}


def publish_step(build_dir: Path, snapshot: Path, out_dir: Path, n: int) -> dict:
    """``navbok publish`` of the built books (and ``--check``): time, files, size."""
    from navbok.regions import Register
    from navbok.site.publish import check_folder, publish
    from navbok.snapshot import Snapshot

    names = Register.from_snapshot(Snapshot.open(snapshot, verify=False)).names
    stats = publish(build_dir, out_dir, names, base_url="https://eksempel.github.io/navbok/")
    t = time.perf_counter()
    problems = check_folder(out_dir)
    check = time.perf_counter() - t
    sizes = sorted(stats.book_bytes.values()) or [0]
    mb = 1024 * 1024
    print(
        f"  publish ({n} books): {stats.seconds:.1f} s, check {check:.1f} s"
        f"{'' if not problems else f' ({len(problems)} PROBLEMS)'}; {stats.files} files, "
        f"{stats.bytes / mb:.1f} MB; per book median {sizes[len(sizes) // 2] / mb:.2f} MB, "
        f"largest {sizes[-1] / mb:.2f} MB; shared {stats.shared_files} files, "
        f"{stats.shared_bytes / mb:.1f} MB"
    )
    return {"seconds": round(stats.seconds, 2), "check": round(check, 2), "files": stats.files,
            "bytes": stats.bytes, "problems": len(problems)}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description="navbok build benchmark")
    ap.add_argument("--kommune", default="3201", help="the single municipality (default 3201)")
    ap.add_argument("-n", type=int, default=None, help="municipalities in the N run (default all)")
    ap.add_argument("--runs", type=int, default=3, help="runs per single-municipality scenario")
    ap.add_argument("--runs-n", type=int, default=1, help="runs of the N scenario")
    ap.add_argument("--skip-naive", action="store_true", help="do not run the naive path")
    ap.add_argument("--naive-n", type=int, default=1, help="municipalities measured naively")
    ap.add_argument("--workers", type=int, default=None, help="kernels (default: cores)")
    ap.add_argument("--snapshot", default=str(ROOT / "data" / "snapshot"))
    ap.add_argument("--cache-dir", default=str(ROOT / "data" / "cache"))
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--_run", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args._run:
        print(json.dumps(_run(json.loads(args._run))))
        return

    from navbok import national_facts
    from navbok.data import NavData

    data = NavData.load(args.snapshot, cache_dir=args.cache_dir)  # warm the Parquet cache
    national_facts.ensure(data)  # and the national facts beside it (as after one build)
    kommune = data.resolve(args.kommune).code
    every = data.register.target_codes
    n = len(every) if args.n is None else min(args.n, len(every))
    # kommune first, then spread over the country (every k-th) so N < all is representative
    rest = [k for k in every if k != kommune]
    step = max(1, len(rest) // max(1, n - 1))
    kommuner = ([kommune] + rest[::step])[:n]
    base = {
        "snapshot": args.snapshot,
        "cache_dir": args.cache_dir,
        "workers": args.workers,
        "engine": "warm",
        "renderer": "worker",
    }
    tmp = Path(tempfile.mkdtemp(prefix="navbok-bench-"))
    try:
        import psutil

        mem = f"{psutil.virtual_memory().total / 2**30:.0f} GiB"
    except ImportError:
        mem = "?"
    print(
        f"navbok bench {time.strftime('%Y-%m-%d %H:%M')} on {platform.node()}: "
        f"{os.cpu_count()} cores, {mem} RAM, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}; load average "
        + " ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    print(f"snapshot {args.snapshot}; one = {kommune}; N = {n}\n")
    out: dict = {"n": n, "kommune": kommune}

    print(f"One municipality ({kommune}), cold process, empty build dir:")
    one = scenario(
        "fast path (warm kernels, one render process)",
        [dict(base, kommuner=[kommune], build_dir=str(tmp / f"one{i}")) for i in range(args.runs)],
    )
    out["one"] = one["wall"]
    noop = scenario(
        "no-op rebuild (same build dir)",
        [dict(base, kommuner=[kommune], build_dir=str(tmp / "one0")) for _ in range(args.runs)],
        show_chapters=False,
    )
    out["one_noop"] = noop["wall"]
    naive_one = None
    if not args.skip_naive:
        naive = scenario(
            "naive path (fresh kernel per notebook, serial, jupyter-book subprocess)",
            [
                dict(
                    base,
                    kommuner=[kommune],
                    build_dir=str(tmp / f"naive{i}"),
                    engine="fresh",
                    renderer="subprocess",
                    workers=1,
                )
                for i in range(args.runs)
            ],
        )
        naive_one = naive["wall"]
        out["one_naive"] = naive_one
        print(f"  ratio naive / fast: {naive_one / one['wall']:.1f}×")

    print(f"\n{n} municipalities{' (all) + landing page' if n == len(every) else ''}:")
    many = scenario(
        "fast path, cold",
        [
            dict(base, kommuner=kommuner, build_dir=str(tmp / f"many{i}"))
            for i in range(args.runs_n)
        ],
    )
    out["many"] = many["wall"]
    out["many_peak"] = many["peak"]
    out["publish"] = publish_step(tmp / "many0", Path(args.snapshot), tmp / "published", n)
    noop_n = scenario(
        "no-op rebuild",
        [dict(base, kommuner=kommuner, build_dir=str(tmp / "many0"))],
        show_chapters=False,
    )
    out["many_noop"] = noop_n["wall"]
    touched = scenario(
        f"rebuild after {kommuner[-1]}'s params changed",
        [
            dict(
                base,
                kommuner=kommuner,
                build_dir=str(tmp / "many0"),
                touch=kommuner[-1],
                stamp=str(time.time()),
            )
        ],
        show_chapters=False,
    )
    out["many_touch"] = touched["wall"]
    if not args.skip_naive:
        m = max(1, min(args.naive_n, n))
        if m == 1 and naive_one is not None:
            per = naive_one
        else:
            naive_m = scenario(
                f"naive path, {m} municipalities",
                [
                    dict(
                        base,
                        kommuner=kommuner[:m],
                        build_dir=str(tmp / "naive-many"),
                        engine="fresh",
                        renderer="subprocess",
                        workers=1,
                    )
                ],
                show_chapters=False,
            )
            per = naive_m["wall"] / m
        est = per * n
        label = "measured" if m == n else f"est. {n} × {per:.1f} s"
        print(
            f"  naive path for {n}: {est:,.0f} s ({label}); ratio naive / fast: "
            f"{est / many['wall']:.1f}×"
        )
        out["many_naive_est"] = est
    print(
        f"\nTargets (issue 25): one ≤ 6 s: {out['one']:.1f} s, its no-op ≤ 2 s: "
        f"{out['one_noop']:.1f} s; country with the national site and the publish step "
        f"≤ 240 s and ≤ 1.5 GiB: {out['many'] + out['publish']['seconds']:.0f} s "
        f"(build and site {out['many']:.0f} s + publish {out['publish']['seconds']:.0f} s)"
        f"{'' if n == len(every) else f' (N={n})'}, {_mib(out['many_peak'])}; "
        f"rebuild ≤ 30 s: no-op {out['many_noop']:.1f} s, one params changed "
        f"{out['many_touch']:.1f} s; load average now "
        + " ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1, default=str), "utf-8")
    import shutil

    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
