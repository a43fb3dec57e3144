"""A warm kernel runs a chapter's code cells in one request (navbok.builder.cell_batch) and the
executed notebook is the one a fresh kernel gives cell by cell: outputs split back by cell,
execution counts, a failing cell marked and the cells after it not run, a dead kernel
noticed. (``tests/test_builder_fast.py`` compares a notebook of streams, displays and
results the same way.)"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from test_builder_fast import _kernelspec, _params_cell, normalise

from navbok.builder import cell_batch, engine

PARAMS = {"kommune": "3201", "snapshot": "", "params_file": "", "cache_dir": ""}


def _write(path: Path, *cells: nbformat.NotebookNode) -> Path:
    nb = _kernelspec(new_notebook())
    nb.cells = [_params_cell(), *cells]
    nbformat.write(nb, path)
    return path


def _warm(tmp_path: Path, *jobs: tuple[Path, str]) -> list[Path | BaseException]:
    """Run ``jobs`` (notebook, output name) one after the other on one warm kernel."""
    results: list[Path | BaseException] = []
    with engine.KernelPool(1) as pool:
        for src, name in jobs:
            try:
                results.append(pool.submit(src, tmp_path / name, PARAMS).result())
            except BaseException as exc:  # compared by the test
                results.append(exc)
    return results


@pytest.fixture
def batches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many code cells each one-request run sent (the client's side)."""
    sent: list[int] = []
    original = cell_batch.request

    def request(sources: list[str]) -> str:
        sent.append(len(sources))
        return original(sources)

    monkeypatch.setattr(cell_batch, "request", request)
    return sent


def test_cells_share_one_request_and_keep_their_own_outputs(
    tmp_path: Path, batches: list[int]
) -> None:
    nb = _write(
        tmp_path / "nb.ipynb",
        new_code_cell("import IPython.display as d\nprint('en')\nd.display(d.Markdown('*to*'))"),
        new_markdown_cell("Tekst mellom."),
        new_code_cell("x = 3"),
        new_code_cell("print('tre', end='')\nx * 2"),
        new_markdown_cell("Mer tekst."),
        new_code_cell("h = d.display(d.HTML('a'), display_id=True)"),
        new_code_cell("h.update(d.HTML('b'))\n'fem'"),
        new_code_cell(""),  # empty: not run, as nbclient skips it
        new_code_cell("get_ipython().parent_header['msg_id']"),
        new_code_cell("get_ipython().parent_header['msg_id']"),
        new_markdown_cell("Slutt."),
    )
    engine.execute_fresh(nb, tmp_path / "fresh.ipynb", PARAMS)
    (warm,) = _warm(tmp_path, (nb, "warm.ipynb"))
    assert batches == [9]  # parameters, injected parameters and seven cells: one request
    fresh_nb, warm_nb = normalise(tmp_path / "fresh.ipynb"), normalise(Path(str(warm)))
    ids = [c["outputs"][0]["data"]["text/plain"] for c in warm_nb["cells"][-3:-1]]
    assert ids[0] == ids[1]  # the proof: both cells answered one request
    for nb_ in (fresh_nb, warm_nb):
        for cell in nb_["cells"][-3:-1]:
            cell["outputs"] = []
    assert warm_nb == fresh_nb
    code = [c for c in warm_nb["cells"] if c["cell_type"] == "code" and c["source"]]
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1))
    texts = [json.dumps(c["outputs"], ensure_ascii=False) for c in code]
    assert "*to*" in texts[2] and "en\\n" in texts[2] and "tre" in texts[4]
    assert '"b"' in texts[5] and "fem" in texts[6]  # the display updated where it is


def test_failing_cell_is_marked_the_rest_not_run_and_the_next_chapter_is_fresh(
    tmp_path: Path, batches: list[int]
) -> None:
    bad = _write(
        tmp_path / "bad.ipynb",
        new_code_cell("y = 1\nprint('før')"),
        new_markdown_cell("Tekst."),
        new_code_cell("y / 0"),
        new_code_cell("print('aldri')"),
    )
    good = _write(tmp_path / "good.ipynb", new_code_cell("'y' in globals()"))
    with pytest.raises(engine.ChapterFailed):
        engine.execute_fresh(bad, tmp_path / "fresh.ipynb", PARAMS)
    failed, ok = _warm(tmp_path, (bad, "bad.out.ipynb"), (good, "good.out.ipynb"))
    assert isinstance(failed, engine.ChapterFailed)
    assert "feilet i celle 4" in str(failed) and "ZeroDivisionError" in str(failed)
    assert batches == [5, 3]
    warm_nb = normalise(tmp_path / "bad.out.ipynb")
    fresh_nb = normalise(tmp_path / "fresh.ipynb")
    for cell in [*warm_nb["cells"], *fresh_nb["cells"]]:  # papermill's notes: random ids
        if "papermill-error-cell-tag" in cell["metadata"].get("tags", []):
            cell.pop("id")
    assert warm_nb == fresh_nb
    last = warm_nb["cells"][-1]
    assert last["outputs"] == [] and last["metadata"]["papermill"]["status"] == "pending"
    assert warm_nb["metadata"]["papermill"]["exception"] is True
    assert json.loads(Path(str(ok)).read_text())["cells"][-1]["outputs"][0]["data"] == {
        "text/plain": ["False"]
    }


def test_one_request_only_where_it_gives_what_cell_by_cell_gives() -> None:
    from papermill.clientwrap import PapermillNotebookClient

    def client(*cells: nbformat.NotebookNode, **options: object) -> PapermillNotebookClient:
        nb = _kernelspec(new_notebook())
        nb.cells = [_params_cell(), *cells]
        return PapermillNotebookClient(SimpleNamespace(nb=nb), **options)

    allowed = new_code_cell("raise ValueError('med vilje')")
    allowed.metadata["tags"] = ["raises-exception"]
    skipped = new_code_cell("raise ValueError('hoppes over')")
    skipped.metadata["tags"] = ["skip-execution"]
    assert cell_batch.applies(client(new_code_cell("1")))  # papermill's defaults
    assert cell_batch.applies(client(skipped, skip_cells_with_tag="skip-execution"))
    assert not cell_batch.applies(client(allowed))  # the run must go on after its error
    assert not cell_batch.applies(client(new_code_cell("1"), allow_errors=True))
    assert not cell_batch.applies(client(new_code_cell("1"), timeout=5))  # per cell
    assert not cell_batch.applies(client(new_code_cell("1"), coalesce_streams=True))
    assert not cell_batch.applies(client(new_code_cell("1"), on_cell_start=print))


def test_a_kernel_that_dies_in_a_cell_is_noticed_and_replaced(
    tmp_path: Path, batches: list[int]
) -> None:
    dies = _write(tmp_path / "dies.ipynb", new_code_cell("import os\nos._exit(1)"))
    good = _write(tmp_path / "good.ipynb", new_code_cell("1 + 1"))
    died, ok = _warm(tmp_path, (dies, "dies.out.ipynb"), (good, "good.out.ipynb"))
    assert isinstance(died, Exception) and "died" in str(died).lower()
    assert json.loads(Path(str(ok)).read_text())["cells"][-1]["outputs"][0]["data"] == {
        "text/plain": ["2"]
    }


def test_the_request_binds_no_name() -> None:
    code = cell_batch.request(["a = 1", "print('x')"])
    (statement,) = ast.parse(code).body
    assert isinstance(statement, ast.Expr)  # one call: no assignment, no import statement
    assert not any(isinstance(n, ast.NamedExpr) for n in ast.walk(statement))


def test_a_waiting_message_is_read_at_once_as_the_channel_would_read_it() -> None:
    from types import SimpleNamespace

    import zmq
    import zmq.asyncio
    from jupyter_client.session import Session

    ctx = zmq.asyncio.Context()
    ours, theirs = ctx.socket(zmq.PAIR), ctx.socket(zmq.PAIR)
    try:
        ours.bind("inproc://navbok-cell-batch-test")
        theirs.connect("inproc://navbok-cell-batch-test")
        session = Session(key=b"k")
        channel = SimpleNamespace(socket=ours, session=session)
        assert cell_batch._waiting(channel) is None  # nothing waiting: the event loop waits
        sender = zmq.Socket.shadow(theirs.underlying)
        for text in ("en", "to"):
            msg = session.msg("stream", {"name": "stdout", "text": text})
            sender.send_multipart(session.serialize(msg, ident=[b"kernel"]))
        first, second = cell_batch._waiting(channel), cell_batch._waiting(channel)
        assert first is not None and second is not None
        assert (first["content"]["text"], second["content"]["text"]) == ("en", "to")  # in order
        assert second["msg_type"] == "stream" and second["header"] == msg["header"]
        assert cell_batch._waiting(channel) is None
        assert cell_batch._waiting(SimpleNamespace(socket=None, session=session)) is None
    finally:
        ours.close(linger=0)
        theirs.close(linger=0)
        ctx.term()
