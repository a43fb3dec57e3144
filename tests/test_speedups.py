"""The fence around the speed-ups (``navbok.builder.speedups``): exact tested versions or nothing.

* a patch whose tested versions differ from the installed ones is not installed, and the
  build says so once per process, in one Norwegian line naming the patch and the difference;
* in this environment every patch is installed (its ``TESTED`` is what is installed: after
  upgrading a library, re-test and update ``TESTED``);
* a real render patch, fenced off, leaves the library's function as it was.
"""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from types import SimpleNamespace

import pytest

from navbok.builder import speedups
from navbok.builder.speedups import fence


def _fake(name: str, tested: dict[str, str], calls: list[str]) -> SimpleNamespace:
    return SimpleNamespace(NAME=name, TESTED=tested, install=lambda: calls.append(name))


def test_a_patch_tested_on_another_version_is_not_installed_and_said_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    calls: list[str] = []
    have = metadata.version("sphinx")
    patch = _fake("prøve-annen-versjon", {"sphinx": "0.0.1"}, calls)
    assert fence.install(patch) is False
    assert fence.install(patch) is False  # decided once per process
    assert calls == []
    assert capsys.readouterr().err == (
        "navbok: hurtigtiltaket «prøve-annen-versjon» er slått av: "
        f"sphinx {have} er installert, testet med 0.0.1\n"
    )


def test_a_faked_installed_version_turns_the_patch_off(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[str] = []
    tested = {"jinja2": metadata.version("jinja2"), "sphinx": metadata.version("sphinx")}
    monkeypatch.setattr(
        fence, "installed_version", lambda d: "99.0" if d == "sphinx" else metadata.version(d)
    )
    patch = _fake("prøve-falsk-versjon", tested, calls)
    assert not fence.install(patch) and not fence.install(patch)
    assert calls == []
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "navbok: hurtigtiltaket «prøve-falsk-versjon» er slått av: sphinx 99.0 er installert, "
        f"testet med {tested['sphinx']}"
    ]


def test_a_missing_library_and_the_tested_versions_install_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    calls: list[str] = []
    missing = _fake("prøve-mangler", {"navbok-finnes-ikke": "1.0"}, calls)
    assert not fence.install(missing)
    assert "navbok-finnes-ikke er ikke installert, testet med 1.0" in capsys.readouterr().err
    same = _fake("prøve-samme", {"sphinx": metadata.version("sphinx")}, calls)
    assert fence.install(same) and fence.install(same)
    assert calls == ["prøve-samme"]
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("patch", speedups.ALL, ids=lambda p: p.NAME)
def test_every_patch_was_tested_with_the_installed_versions(patch: fence.Patch) -> None:
    assert fence.differences(patch) == [], (
        f"{patch.NAME}: re-run tests/test_render_cache.py and tests/test_builder_fast.py, read "
        "the patched library code again, then update TESTED"
    )


def test_a_render_patch_on_another_sphinx_leaves_sphinx_alone() -> None:
    """In a fresh process (the patches are process-wide): Sphinx «upgraded», docutils not."""
    script = """
import sys
import docutils.frontend, sphinx.theming
from sphinx.jinja2glue import BuiltinTemplateLoader
from navbok.builder import speedups
from navbok.builder.speedups import fence

real = fence.installed_version
fence.installed_version = lambda d: "99.0" if d == "sphinx" else real(d)
before = (BuiltinTemplateLoader.init, sphinx.theming.entry_points)
defaults = docutils.frontend.get_default_settings
speedups.install_render()
speedups.install_render()
assert (BuiltinTemplateLoader.init, sphinx.theming.entry_points) == before
assert docutils.frontend.get_default_settings is not defaults  # tested versions: installed
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    tested = metadata.version("sphinx")
    assert lines == [
        f"navbok: hurtigtiltaket «{name}» er slått av: sphinx 99.0 er installert, "
        f"testet med {tested}"
        for name in ("jinja-maler", "norsk-ordstamme", "innholdsfortegnelse-samler",
                     "tema-oppslag", "statiske-lenker", "tomme-maler", "ressurs-sjekksummer")
    ]  # fmt: skip


# -- kernel_cells: IPython's static reading of a cell's text done once per text ----------------


def test_a_cells_static_reading_is_kept_per_text_and_equals_ipythons() -> None:
    """In a fresh process (the patch is process-wide, as in a kernel)."""
    script = """
from IPython.core.inputtransformer2 import TransformerManager
import IPython.core.interactiveshell as shell
from navbok.builder.speedups import fence, kernel_cells

cells = ["x = 1\\ny = x + 1\\n", "%time x = 1\\n", "!ls\\n", "a = !ls\\n", "%%bash\\necho hi\\n",
         "x?\\n", ">>> 1 + 1\\n", "    indented = 1\\n", "await something()\\n", "def f(:\\n"]
plain = TransformerManager()
before = [plain.transform_cell(c) for c in cells]
asyncs = [shell._should_be_async(c) for c in before]
assert fence.install(kernel_cells)
manager = TransformerManager()
for _ in range(3):
    assert [manager.transform_cell(c) for c in cells] == before
    assert [shell._should_be_async(c) for c in before] == asyncs
assert kernel_cells.HITS["transform"] == 2 * len(cells), kernel_cells.HITS
assert kernel_cells.HITS["async"] == 2 * len(cells), kernel_cells.HITS
assert asyncs[cells.index("await something()\\n")] is True
manager.token_transformers = []  # other transformations: the text is read again
assert manager.transform_cell("a = !ls\\n") == "a = !ls\\n"
manager.token_transformers = list(TransformerManager().token_transformers)
assert manager.transform_cell("a = !ls\\n") == before[3]
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_the_cell_memo_keeps_at_most_its_size_and_no_failure() -> None:
    from navbok.builder.speedups import kernel_cells

    lookup = kernel_cells._remembered("test-size", size=2)
    assert [lookup(k, lambda k=k: k * 10) for k in (1, 2, 1, 3)] == [10, 20, 10, 30]
    assert kernel_cells.HITS["test-size"] == 1
    assert lookup(1, lambda: "again") == "again"  # 1 was dropped when 3 came (first in, out)

    def fails() -> int:
        raise SyntaxError("bad")

    for _ in range(2):  # not kept: raises again
        with pytest.raises(SyntaxError):
            lookup(9, fails)


# -- kernel_requests: ipykernel's per-request work done once ----------------------------------


def test_the_signature_answer_is_kept_per_function_and_equals_ipykernels() -> None:
    import logging

    from ipykernel.ipkernel import _accepts_parameters

    from navbok.builder.speedups import kernel_requests

    calls: list[object] = []

    def counting(meth: object, names: list[str]) -> dict[str, bool]:
        calls.append(meth)
        return _accepts_parameters(meth, names)

    accepts = kernel_requests._memoised(counting)

    class Shell:
        def run_cell(
            self, raw_cell: str, store_history: bool = False, *, cell_id: str = ""
        ) -> None:
            pass

        def old_run_cell(self, raw_cell: str, **kwargs: object) -> None:
            pass

        def older_run_cell(self, raw_cell: str) -> None:
            pass

    names = ["cell_id", "cell_meta"]
    for meth in (Shell().run_cell, Shell().old_run_cell, Shell().older_run_cell):
        assert accepts(meth, names) == _accepts_parameters(meth, names)
    first = accepts(Shell().run_cell, names)
    first["cell_id"] = "changed by a caller"
    assert accepts(Shell().run_cell, names) == {"cell_id": True, "cell_meta": False}
    assert len(calls) == 3  # once per function, whatever the bound instance

    log = logging.getLogger("navbok-test-kernel-log")
    log.propagate = False
    assert kernel_requests.lowest_handler_level(log) is None
    log.addHandler(logging.NullHandler(logging.WARNING))
    log.addHandler(logging.NullHandler(logging.ERROR))
    assert kernel_requests.lowest_handler_level(log) == logging.WARNING


def test_papermills_durations_read_its_timestamps_as_dateutil_does() -> None:
    from datetime import UTC, datetime, timedelta, timezone

    import dateutil.parser

    from navbok.builder.speedups import papermill_dates

    now = datetime(2026, 12, 7, 3, 56, 21, 924113, tzinfo=UTC)
    stamps = [
        now.isoformat(),
        now.replace(microsecond=0).isoformat(),  # isoformat leaves the fraction out
        now.astimezone(timezone(timedelta(hours=1))).isoformat(),
        now.replace(tzinfo=None).isoformat(),
    ]
    later = now + timedelta(seconds=1.5)
    for stamp in stamps:
        ours, theirs = papermill_dates.parse(stamp), dateutil.parser.parse(stamp)
        assert ours == theirs and ours.utcoffset() == theirs.utcoffset()
        if ours.tzinfo is not None:
            assert (later - ours).total_seconds() == (later - theirs).total_seconds()
    # anything else is dateutil's
    assert papermill_dates.parse("7 Dec 2026 03:56") == dateutil.parser.parse("7 Dec 2026 03:56")
    with_option = papermill_dates.parse("2026-12-07", dayfirst=True)
    assert with_option == dateutil.parser.parse("2026-12-07", dayfirst=True)


def test_a_notebook_is_written_as_nbformat_writes_it() -> None:
    import copy

    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    from navbok.builder.engine import notebook_json

    nb = new_notebook()
    cell = new_code_cell("x = 1\nx")
    cell.outputs = [
        new_output("stream", name="stdout", text="én\nto\n"),
        new_output(
            "display_data",
            data={"text/html": "<b>æøå</b>\n<i>x</i>", "application/json": {"a": [1, 2]}},
            metadata={"navbok": {"k": "v"}},
        ),
        new_output("execute_result", data={"text/plain": "1"}, execution_count=1),
    ]
    cell.outputs[1]["transient"] = {"display_id": "abc"}
    nb.cells = [new_markdown_cell("# Tittel\n\nTekst – «sitat»"), cell]
    expected = nbformat.v4.writes(copy.deepcopy(nb))
    assert notebook_json(nb) == expected
