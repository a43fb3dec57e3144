"""The fast build path gives what the plain path gives; the build cache runs only what changed.

* warm kernels (reused, reset between chapters) execute a notebook exactly as a fresh papermill
  kernel does (only timing metadata and the injected cell's random id differ);
* books built together in one process (``--all`` style) have the same pages as books built
  alone with the naive path (fresh kernels, ``jupyter-book build`` subprocess);
* the cache: nothing runs when nothing changed; a changed params file re-runs only that
  municipality; a changed chapter re-runs only that chapter; a failure records nothing.

No timing assertions: ``bench/bench.py`` is the measure.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from navbok.builder import engine
from navbok.builder import pipeline as build
from navbok.builder.staging import stage as stage_chapter
from navbok.builder.staging import staged_name
from navbok.params import Params
from navbok.project import Project

ROOT = Project.find().root  # the checkout's book
TIMING = ("start_time", "end_time", "duration")


def normalise(path: Path, replace: dict[str, str] | None = None) -> dict:
    """An executed notebook without timing metadata and the injected cell's random id."""
    text = path.read_text("utf-8")
    for old, new in (replace or {}).items():
        text = text.replace(old, new)
    text = re.sub(r"ipykernel_\d+", "ipykernel_PID", text)  # differs between any two kernels
    nb = json.loads(text)
    pm = nb["metadata"].get("papermill", {})
    for key in (*TIMING, "output_path"):
        pm.pop(key, None)
    for cell in nb["cells"]:
        meta = cell.get("metadata", {})
        for key in TIMING:
            meta.get("papermill", {}).pop(key, None)
        meta.pop("execution", None)
        if "injected-parameters" in meta.get("tags", []):
            cell.pop("id", None)
    return nb


def _kernelspec(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def _params_cell() -> nbformat.NotebookNode:
    cell = new_code_cell('kommune = "3201"\nsnapshot = ""\nparams_file = ""\ncache_dir = ""')
    cell.metadata["tags"] = ["parameters"]
    return cell


def _dirty_notebook(path: Path) -> Path:
    """Leaves state behind: variables, a pandas option, a warning already shown, the cwd."""
    nb = _kernelspec(new_notebook())
    nb.cells = [
        _params_cell(),
        new_code_cell("import os, warnings\nimport pandas as pd\nleak = 42\nos.chdir('/')"),
        new_code_cell(
            "pd.set_option('display.max_rows', 3)\nimport altair as alt\nalt.theme.enable('dark')"
        ),
        new_code_cell("def f():\n    warnings.warn('samme advarsel', UserWarning)\nf()"),
        new_code_cell("leak"),
    ]
    nbformat.write(nb, path)
    return path


def _probe_notebook(path: Path) -> Path:
    """Observes state: must look like a fresh kernel (imports navbok, as every chapter does)."""
    nb = _kernelspec(new_notebook())
    nb.cells = [
        _params_cell(),
        new_code_cell(
            "import os, sys, warnings\nimport pandas as pd\nimport altair as alt\n"
            "from navbok.report.report import Report\n"
            "print(sorted(k for k in globals() if not k.startswith('_')))"
        ),
        new_code_cell("'leak' in globals(), os.getcwd()"),
        new_code_cell("pd.DataFrame({'a': range(10)})"),
        new_code_cell("alt.theme.active"),
        new_code_cell("def f():\n    warnings.warn('samme advarsel', UserWarning)\nf()"),
        new_code_cell("print('hei'); sys.stderr.write('feil\\n'); 1 + 1"),
        # Streams around results and displays (the warm kernels skip flushes of empty streams).
        new_code_cell("print('uten linjeskift', end='')"),
        new_code_cell(
            "import IPython.display as d\nprint('før', flush=True)\nd.display(d.HTML('<b>x</b>'))"
            "\nsys.stderr.write('midt')\nprint('etter', end='')\n'resultat'"
        ),
        new_code_cell("sys.stdout.flush(); sys.stderr.flush(); 2"),
        new_markdown_cell("Slutt."),
    ]
    nbformat.write(nb, path)
    return path


def test_warm_kernel_equals_fresh_kernel_after_a_dirty_notebook(tmp_path: Path) -> None:
    dirty = _dirty_notebook(tmp_path / "dirty.ipynb")
    probe = _probe_notebook(tmp_path / "probe.ipynb")
    params = {"kommune": "3201", "snapshot": "", "params_file": "", "cache_dir": ""}
    engine.execute_fresh(probe, tmp_path / "fresh.ipynb", params)
    with engine.KernelPool(1) as pool:
        pool.map([(dirty, tmp_path / "dirty.out.ipynb", params)])
        pool.map([(probe, tmp_path / "warm.ipynb", params)])
    fresh, warm = normalise(tmp_path / "fresh.ipynb"), normalise(tmp_path / "warm.ipynb")
    assert warm == fresh
    # and the probe really saw a clean kernel
    code = [c for c in warm["cells"] if c["cell_type"] == "code"]
    assert "samme advarsel" in json.dumps([c["outputs"] for c in code])
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1))


def test_warm_kernels_skip_empty_flushes(tmp_path: Path) -> None:
    # The speed-up kernel_flush is installed in the warm kernels (and only there): the probe
    # above compares its outputs with a fresh kernel's.
    nb = _kernelspec(new_notebook())
    nb.cells = [
        _params_cell(),
        new_code_cell("import ipykernel.iostream as s\ns.OutStream.flush.__module__"),
    ]
    nbformat.write(nb, tmp_path / "flush.ipynb")
    params = {"kommune": "3201", "snapshot": "", "params_file": "", "cache_dir": ""}
    engine.execute_fresh(tmp_path / "flush.ipynb", tmp_path / "fresh.ipynb", params)
    with engine.KernelPool(1) as pool:
        pool.map([(tmp_path / "flush.ipynb", tmp_path / "warm.ipynb", params)])
    fresh, warm = normalise(tmp_path / "fresh.ipynb"), normalise(tmp_path / "warm.ipynb")

    def module(nb: dict) -> str:
        return "".join(nb["cells"][-1]["outputs"][0]["data"]["text/plain"])

    assert module(fresh) == "'ipykernel.iostream'"
    assert module(warm) == "'navbok.builder.speedups.kernel_flush'"


def test_warm_kernels_answer_the_signature_once_and_make_no_dropped_debug_records(
    tmp_path: Path,
) -> None:
    # The speed-ups kernel_requests and kernel_cells, in the warm kernels only (outputs: the
    # probe test above).
    nb = _kernelspec(new_notebook())
    probe = (
        "import ipykernel.ipkernel as k\nfrom ipykernel.kernelapp import IPKernelApp\n"
        "log = IPKernelApp.instance().log\n"
        "from IPython.core.inputtransformer2 import TransformerManager as T\n"
        "(k._accepts_parameters.__module__, log.isEnabledFor(10), [h.level for h in log.handlers],"
        " hasattr(T.transform_cell, '__wrapped__'))"
    )
    nb.cells = [_params_cell(), new_code_cell(probe)]
    nbformat.write(nb, tmp_path / "req.ipynb")
    params = {"kommune": "3201", "snapshot": "", "params_file": "", "cache_dir": ""}
    engine.execute_fresh(tmp_path / "req.ipynb", tmp_path / "fresh.ipynb", params)
    with engine.KernelPool(1) as pool:
        pool.map([(tmp_path / "req.ipynb", tmp_path / "warm.ipynb", params)])

    def answer(path: Path) -> str:
        return "".join(normalise(path)["cells"][-1]["outputs"][0]["data"]["text/plain"])

    assert answer(tmp_path / "fresh.ipynb") == ("('ipykernel.kernelbase', True, [30], False)")
    assert answer(tmp_path / "warm.ipynb") == (
        "('navbok.builder.speedups.kernel_requests', False, [30], True)"
    )


def test_failing_chapter_on_a_warm_kernel_names_cell_and_the_next_runs(tmp_path: Path) -> None:
    bad = _kernelspec(new_notebook())
    bad.cells = [_params_cell(), new_code_cell("x = 1"), new_code_cell("1 / 0")]
    nbformat.write(bad, tmp_path / "bad.ipynb")
    probe = _probe_notebook(tmp_path / "probe.ipynb")
    params = {"kommune": "3201", "snapshot": "", "params_file": "", "cache_dir": ""}
    engine.execute_fresh(probe, tmp_path / "fresh.ipynb", params)
    with engine.KernelPool(1) as pool:
        with pytest.raises(engine.ChapterFailed, match=r"bad\.ipynb feilet i celle \d+.*Zero"):
            pool.map([(tmp_path / "bad.ipynb", tmp_path / "bad.out.ipynb", params)])
        pool.map([(probe, tmp_path / "warm.ipynb", params)])
    assert normalise(tmp_path / "warm.ipynb") == normalise(tmp_path / "fresh.ipynb")


def test_warm_kernels_run_at_a_lower_priority_than_the_build(tmp_path: Path) -> None:
    import os

    nb = _kernelspec(new_notebook())
    probe = "import os\nos.sched_getscheduler(0) == getattr(os, 'SCHED_IDLE', None), os.nice(0)"
    nb.cells = [_params_cell(), new_code_cell(probe)]
    nbformat.write(nb, tmp_path / "nice.ipynb")
    params = {"kommune": "3201", "snapshot": "", "params_file": "", "cache_dir": ""}
    with engine.KernelPool(1) as pool:
        pool.map([(tmp_path / "nice.ipynb", tmp_path / "nice.out.ipynb", params)])
    out = json.loads((tmp_path / "nice.out.ipynb").read_text("utf-8"))
    shown = "".join(out["cells"][-1]["outputs"][0]["data"]["text/plain"])
    if hasattr(os, "SCHED_IDLE"):  # Linux: the idle policy, the niceness as it was
        assert shown == f"(True, {os.nice(0)})"
    else:
        assert shown == f"(False, {min(19, os.nice(0) + engine.KERNEL_NICE)})"


# ----------------------------------------------------------------------------- the build cache


def _tiny_book(root: Path) -> Path:
    (root / "chapters").mkdir(parents=True)
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: chapters/intro\nchapters:\n  - file: chapters/two\n", "utf-8"
    )
    (root / "_config.yml").write_text((ROOT / "_config.yml").read_text("utf-8"), "utf-8")
    for name, title in (("intro", "Innledning"), ("two", "To")):
        nb = _kernelspec(new_notebook())
        nb.cells = [
            _params_cell(),
            new_markdown_cell(f"# {title}"),
            new_code_cell("import yaml\nprint(yaml.safe_load(open(params_file))['name'])"),
        ]
        jupytext.write(nb, root / "chapters" / f"{name}.md", fmt="md:myst")  # chapters are text
    return root


@pytest.fixture
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mini_data, mini_snapshot: Path):
    book = _tiny_book(tmp_path / "book")
    monkeypatch.setenv("NAVBOK_BOOK_ROOT", str(book))
    out = tmp_path / "_build"

    def run(params: dict[str, Params], **kw: object) -> build.BuildStats:
        return build.build_many(
            mini_data,
            list(params),
            snapshot=mini_snapshot,
            cache_dir=tmp_path / "cache",
            build_dir=out,
            params=params,
            **kw,
        )

    return book, out, run


def test_cache_runs_only_what_changed(tiny) -> None:
    book, out, run = tiny
    params = {
        "3201": Params(kommune="3201", name="Bærum"),
        "3909": Params(kommune="3909", name="Larvik"),
    }
    first = run(params)
    assert sorted(first.notebooks) == [
        "3201/chapters/intro.md",
        "3201/chapters/two.md",
        "3909/chapters/intro.md",
        "3909/chapters/two.md",
    ]
    assert sorted(first.renders) == ["3201", "3909"]
    page = (out / "3909" / "html" / "chapters" / "two.html").read_text("utf-8")
    assert "Larvik" in page

    again = run(params)  # nothing changed: nothing executed, nothing rendered
    assert again.notebooks == {} and again.renders == {}
    assert sorted(again.cached_books) == ["3201", "3909"]

    params["3909"] = Params(kommune="3909", name="Larvik", edition="Andre utgave")
    changed = run(params)  # one municipality's params: only its chapters
    assert sorted(changed.notebooks) == ["3909/chapters/intro.md", "3909/chapters/two.md"]
    assert sorted(changed.renders) == ["3909"]

    with open(book / "chapters" / "two.md", "a", encoding="utf-8") as f:
        f.write("\nEt nytt avsnitt.\n")
    edited = run(params)  # one chapter edited: that chapter everywhere, the others cached
    assert sorted(edited.notebooks) == ["3201/chapters/two.md", "3909/chapters/two.md"]
    assert sorted(edited.renders) == ["3201", "3909"]
    assert "Et nytt avsnitt" in (out / "3201" / "html" / "chapters" / "two.html").read_text()

    (out / "3201" / "src" / "chapters" / "intro.ipynb").unlink()  # a lost stage file
    assert sorted(run(params).notebooks) == ["3201/chapters/intro.md"]
    assert sorted(run(params, force=True).notebooks) == sorted(first.notebooks)


def test_a_chapter_without_code_is_copied_not_executed_and_rendered(
    tiny, monkeypatch: pytest.MonkeyPatch
) -> None:
    book, out, run = tiny
    text = "---\njupytext:\n  text_representation:\n    format_name: myst\n---\n\n"
    text += "# Ordliste\n\n```{glossary}\nStønadslengde\n  Måneder med stønad i året.\n```\n"
    (book / "chapters" / "ordliste.md").write_text(text, "utf-8")
    with open(book / "_toc.yml", "a", encoding="utf-8") as f:
        f.write("  - file: chapters/ordliste\n")
    ran: list[str] = []
    fresh = engine.execute_fresh

    def counting(src: Path, *args: object, **kw: object) -> Path:
        ran.append(Path(src).name)
        return fresh(src, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr("navbok.builder.execute.execute_fresh", counting)
    params = {"3201": Params(kommune="3201", name="Bærum")}
    first = run(params, engine="fresh")
    assert sorted(first.notebooks) == ["3201/chapters/intro.md", "3201/chapters/two.md"]
    assert sorted(ran) == ["intro.ipynb", "two.ipynb"]  # the engine never saw the glossary
    staged = out / "_chapters" / "chapters" / "ordliste.ipynb"
    executed = out / "3201" / "src" / "chapters" / "ordliste.ipynb"
    assert executed.read_bytes() == staged.read_bytes()  # as staged: deterministic ids
    assert [c["id"] for c in json.loads(executed.read_text("utf-8"))["cells"]] == ["cell-0"]
    page = (out / "3201" / "html" / "chapters" / "ordliste.html").read_text("utf-8")
    assert 'id="term-St' in page and "Måneder med stønad i året." in page
    state = json.loads((out / "3201" / "build.json").read_text("utf-8"))
    assert "chapters/ordliste.md" in state["chapters"]  # cached by its text like any chapter
    ran.clear()
    assert run(params, engine="fresh").notebooks == {} and ran == []
    with open(book / "chapters" / "ordliste.md", "a", encoding="utf-8") as f:
        f.write("\nEt nytt avsnitt.\n")
    edited = run(params, engine="fresh")  # its text changed: copied again, still no kernel
    assert edited.notebooks == {} and ran == [] and sorted(edited.renders) == ["3201"]
    assert "Et nytt avsnitt" in (out / "3201" / "html" / "chapters" / "ordliste.html").read_text()


def test_failing_chapter_keeps_the_previous_book_and_records_nothing(tiny) -> None:
    book, out, run = tiny
    params = {"3201": Params(kommune="3201", name="Bærum")}
    run(params)
    before = (out / "3201" / "html" / "chapters" / "two.html").read_text("utf-8")
    state = json.loads((out / "3201" / "build.json").read_text("utf-8"))
    with open(book / "chapters" / "two.md", "a", encoding="utf-8") as f:
        f.write("\n```{code-cell}\nraise ValueError('brudd i data')\n```\n")
    with pytest.raises(build.ChapterFailed, match=r"two\.md feilet i celle \d+.*brudd i data"):
        run(params)
    assert (out / "3201" / "html" / "chapters" / "two.html").read_text("utf-8") == before
    after = json.loads((out / "3201" / "build.json").read_text("utf-8"))
    assert after["chapters"]["chapters/two.md"] == state["chapters"]["chapters/two.md"]
    with pytest.raises(build.ChapterFailed):  # still failing: not taken from the cache
        run(params)


# ----------------------------------------------------------------- full replay: real chapters


def _replay_paths(replay_data) -> tuple[Path, Path]:
    snapshot = Path(replay_data.snapshot.root)
    return snapshot, snapshot.parent / "cache"


@pytest.mark.replay
@pytest.mark.slow
def test_real_chapters_warm_equal_fresh_papermill(replay_data, tmp_path: Path) -> None:
    snapshot, cache = _replay_paths(replay_data)
    params = {
        "kommune": "3201",
        "snapshot": str(snapshot),
        "params_file": str(ROOT / "params" / "3201.yml"),
        "cache_dir": str(cache),
    }
    other = dict(params, kommune="1151", params_file="")
    chapters = [  # each chapter's text staged as the notebook that runs, as navbok build does
        stage_chapter(ROOT / rel, tmp_path / "staged" / staged_name(rel))
        for rel in Project(ROOT).chapters()
    ]
    with engine.KernelPool(2) as pool:
        # another municipality first, so every kernel is reused and reset before 3201
        pool.map([(c, tmp_path / f"other-{c.name}", other) for c in chapters])
        pool.map([(c, tmp_path / f"warm-{c.name}", params) for c in chapters])
    for c in chapters:
        engine.execute_fresh(c, tmp_path / f"fresh-{c.name}", params)
        assert normalise(tmp_path / f"warm-{c.name}") == normalise(tmp_path / f"fresh-{c.name}"), (
            c.name
        )


def _files(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.replay
@pytest.mark.slow
def test_multi_build_pages_equal_single_naive_builds(replay_data, tmp_path: Path) -> None:
    snapshot, cache = _replay_paths(replay_data)
    kommuner = ["3201", "1151", "5001"]
    many = tmp_path / "many"
    pages = build.main(",".join(kommuner), False, snapshot, cache, many)
    assert len(pages) == 4 and (many / "site" / "index.html").is_file()
    for kommune in kommuner[:2]:  # each alone, in its own process, the naive way
        alone = tmp_path / f"alone-{kommune}"
        script = (
            "from pathlib import Path; from navbok.builder import pipeline as build; "
            f"build.main({kommune!r}, False, Path({str(snapshot)!r}), Path({str(cache)!r}), "
            f"Path({str(alone)!r}), engine='fresh', renderer='subprocess', workers=1)"
        )
        subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT, capture_output=True)
        a, b = _files(many / kommune / "html"), _files(alone / kommune / "html")
        assert sorted(a) == sorted(b), kommune
        for rel, path in a.items():
            if rel.startswith("_sources/") and rel.endswith(".ipynb"):
                replace_a = {str(many.resolve()): "BUILD"}
                replace_b = {str(alone.resolve()): "BUILD"}
                assert normalise(path, replace_a) == normalise(b[rel], replace_b), rel
            else:
                assert path.read_bytes() == b[rel].read_bytes(), f"{kommune}: {rel} differs"


def test_papermill_does_not_write_the_executed_notebook_navbok_writes_it_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The speed-up papermill_write: a good chapter is written once (by navbok, filled); a
    # failing one is left at its path with the failing cell marked, as papermill leaves it.
    import papermill.iorw

    writes: list[str] = []
    original = papermill.iorw.PapermillIO.write

    def counting(self: object, buf: str, path: str, *args: object, **kwargs: object) -> object:
        writes.append(str(path))
        return original(self, buf, path, *args, **kwargs)

    monkeypatch.setattr(papermill.iorw.PapermillIO, "write", counting)
    good = _kernelspec(new_notebook())
    good.cells = [_params_cell(), new_code_cell("1 + 1")]
    nbformat.write(good, tmp_path / "good.ipynb")
    bad = _kernelspec(new_notebook())
    bad.cells = [_params_cell(), new_code_cell("x = 1"), new_code_cell("1 / 0")]
    nbformat.write(bad, tmp_path / "bad.ipynb")
    params = {"kommune": "3201", "snapshot": "", "params_file": "", "cache_dir": ""}
    with engine.KernelPool(1) as pool:
        pool.map([(tmp_path / "good.ipynb", tmp_path / "good.out.ipynb", params)])
        with pytest.raises(engine.ChapterFailed, match=r"bad\.ipynb feilet"):
            pool.map([(tmp_path / "bad.ipynb", tmp_path / "bad.out.ipynb", params)])
    assert writes == []  # papermill wrote neither
    done = nbformat.read(tmp_path / "good.out.ipynb", as_version=4)
    assert done.cells[-1].outputs[0]["data"]["text/plain"] == "2"
    failed = nbformat.read(tmp_path / "bad.out.ipynb", as_version=4)
    tags = [t for c in failed.cells for t in c.metadata.get("tags", [])]
    assert "papermill-error-cell-tag" in tags  # papermill's mark of the failing cell
