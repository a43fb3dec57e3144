"""Build a municipality's book: papermill executes each chapter, Jupyter Book renders them.

The book's sources live at the top of the repository (``_config.yml``, ``_toc.yml``,
``chapters/``). For each municipality they are staged under ``_build/<kode>/src`` with the
executed notebooks; Jupyter Book renders with ``execute_notebooks: "off"``; the HTML is moved to
``_build/<kode>/html`` only when every chapter ran and the render succeeded, so a failed build
never leaves a half-built book in place of a whole one.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import yaml

from navbok.book.params import Params, params_for
from navbok.charts import write_vega_bundle
from navbok.data import CACHE_DIR, NavData
from navbok.errors import NavbokError
from navbok.snapshot import DEFAULT_DIR

BOOK_ROOT = Path(os.environ.get("NAVBOK_BOOK_ROOT", Path(__file__).resolve().parents[3]))
BUILD_DIR = Path("_build")
STATIC = Path(__file__).resolve().parent / "static"
DEMO_BANNER = (
    "DEMODATA: Denne boken er laget av syntetiske testdata. Tallene er ikke offisiell "
    "statistikk og må ikke siteres."
)


class ChapterFailed(NavbokError):
    """A chapter notebook raised an error while it was executed."""


def chapters() -> list[str]:
    """Chapter notebooks in table-of-contents order (paths relative to the book root)."""
    toc = yaml.safe_load((BOOK_ROOT / "_toc.yml").read_text("utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}]):
        files += [c["file"] for c in part.get("chapters", [])]
    return [f if f.endswith(".ipynb") else f + ".ipynb" for f in files]


def _tag_cells(path: Path) -> None:
    """Hide code and the parameter cells: the book reads like an article."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = set(cell.metadata.get("tags", []))
        if tags & {"parameters", "injected-parameters"}:
            tags.add("remove-cell")
        elif "show-input" not in tags:
            tags.add("remove-input")
        cell.metadata["tags"] = sorted(tags)
    nbformat.write(nb, path)


def execute_chapter(src: Path, dest: Path, parameters: dict[str, str]) -> Path:
    """Run one chapter with papermill; a failure names the chapter, the cell and the error.

    Every path in ``parameters`` is absolute: papermill's ``cwd`` uses ``os.chdir``, which is
    not safe while chapters run in parallel threads.
    """
    import papermill as pm

    try:
        pm.execute_notebook(
            str(src),
            str(dest),
            parameters=parameters,
            kernel_name="python3",
            progress_bar=False,
            log_output=False,
        )
    except pm.PapermillExecutionError as exc:
        first = (exc.source or "").strip().splitlines()[:1]
        raise ChapterFailed(
            f"Kapittelet {src.name} feilet i celle {exc.exec_count} "
            f"({first[0] if first else ''!r}): {exc.ename}: {exc.evalue}. "
            f"Den kjørte notatboken ligger i {dest}."
        ) from None
    _tag_cells(dest)
    return dest


def _config(params: Params, synthetic: bool) -> str:
    doc = yaml.safe_load((BOOK_ROOT / "_config.yml").read_text("utf-8"))
    doc["title"] = params.title
    if synthetic:
        doc.setdefault("html", {})["announcement"] = DEMO_BANNER
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def stage_book(
    data: NavData,
    params: Params,
    out: Path,
    snapshot: Path,
    cache_dir: Path,
    workers: int | None = None,
) -> Path:
    """Execute every chapter into ``out/src`` with the book's config; return the stage dir."""
    stage = (out / "src").resolve()
    if stage.exists():
        shutil.rmtree(stage)
    (stage / "_static").mkdir(parents=True)
    (stage / "_config.yml").write_text(_config(params, data.snapshot.synthetic), "utf-8")
    shutil.copy(BOOK_ROOT / "_toc.yml", stage / "_toc.yml")
    write_vega_bundle(stage / "_static")
    for f in STATIC.iterdir():
        shutil.copy(f, stage / "_static" / f.name)
    params_file = stage / "params.yml"
    params_file.write_text(params.to_yaml(), "utf-8")
    parameters = {
        "kommune": params.kommune,
        "snapshot": str(snapshot.resolve()),
        "params_file": str(params_file.resolve()),
        "cache_dir": str(cache_dir.resolve()),
    }
    jobs = []
    for rel in chapters():
        dest = stage / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        jobs.append((BOOK_ROOT / rel, dest))
    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        futures = [pool.submit(execute_chapter, s, d, parameters) for s, d in jobs]
        for f in futures:
            f.result()
    return stage


def render(stage: Path, out: Path) -> Path:
    """Render a staged book with Jupyter Book; move the HTML to ``out/html``."""
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jb), "build", str(stage), "--builder", "html", "--quiet"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    built = stage / "_build" / "html"
    if proc.returncode != 0 or not (built / "index.html").is_file():
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
        raise NavbokError(f"Jupyter Book failed for {stage}:\n{tail}")
    target = out / "html"
    tmp = out / "html.new"
    if tmp.exists():
        shutil.rmtree(tmp)
    shutil.move(str(built), tmp)
    if target.exists():
        shutil.rmtree(target)
    os.replace(tmp, target)
    return target / "index.html"


def build_one(
    data: NavData,
    kommune: str,
    *,
    snapshot: Path = DEFAULT_DIR,
    cache_dir: Path = CACHE_DIR,
    build_dir: Path = BUILD_DIR,
    params: Params | None = None,
    workers: int | None = None,
) -> Path:
    """Build one municipality's book; returns the path of its index.html."""
    params = params or params_for(data, kommune)
    out = build_dir / params.kommune
    stage = stage_book(data, params, out, Path(snapshot), Path(cache_dir), workers)
    return render(stage, out)


def landing_page(built: dict[str, str], build_dir: Path = BUILD_DIR) -> Path:
    """A national landing page: every built municipality, searchable by name or number."""
    site = build_dir / "site"
    site.mkdir(parents=True, exist_ok=True)
    items = "\n".join(
        f'<li data-search="{html.escape(code + " " + name.casefold())}">'
        f'<a href="../{code}/html/index.html">{html.escape(name)}</a> '
        f'<span class="kode">{code}</span></li>'
        for code, name in sorted(built.items(), key=lambda kv: kv[1])
    )
    page = LANDING.replace("{items}", items).replace("{count}", str(len(built)))
    (site / "index.html").write_text(page, "utf-8")
    (site / "kommuner.json").write_text(json.dumps(built, ensure_ascii=False, indent=1), "utf-8")
    return site / "index.html"


LANDING = """<!DOCTYPE html>
<html lang="nb"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>navbok – sosialtjenesten i norske kommuner</title>
<style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;
color:#1a1a1a}ul{list-style:none;padding:0;columns:2}li{padding:.2rem 0}
.kode{color:#555;font-size:.9em}input{font-size:1.1rem;padding:.4rem;width:100%}</style>
</head><body><main>
<h1>navbok: sosialtjenesten i norske kommuner</h1>
<p>{count} kommuner. Søk etter navn eller kommunenummer.</p>
<label for="sok">Søk etter kommune</label>
<input id="sok" type="search" autocomplete="off">
<ul id="kommuner">
{items}
</ul></main>
<script>
document.getElementById('sok').addEventListener('input', function (e) {
  var q = e.target.value.trim().toLowerCase();
  document.querySelectorAll('#kommuner li').forEach(function (li) {
    li.hidden = q !== '' && li.dataset.search.indexOf(q) === -1;
  });
});
</script></body></html>
"""


def main(
    kommune: str | None,
    all_: bool,
    snapshot: Path = DEFAULT_DIR,
    cache_dir: Path = CACHE_DIR,
    build_dir: Path = BUILD_DIR,
) -> list[Path]:
    """``navbok build``: one, several (comma-separated) or all municipalities."""
    data = NavData.load(snapshot, cache_dir=cache_dir)
    if all_:
        codes = data.register.target_codes
    elif kommune:
        codes = [data.resolve(k.strip()).code for k in kommune.split(",") if k.strip()]
    else:
        raise NavbokError("Say which municipality to build: --kommune KODE[,KODE…] or --all")
    from tqdm import tqdm

    built, pages = {}, []
    for code in tqdm(codes, desc="Bygger", unit="kommune", disable=len(codes) == 1):
        pages.append(
            build_one(data, code, snapshot=snapshot, cache_dir=cache_dir, build_dir=build_dir)
        )
        built[code] = data.name(code)
    if len(codes) > 1:
        pages.append(landing_page(built, build_dir))
    return pages
