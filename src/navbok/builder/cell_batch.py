"""A chapter's code cells sent to a warm kernel in one request, their outputs split back by cell.

nbclient runs a notebook one execute request per code cell: each costs a request, an
``execute_input`` echo, two status messages and a reply, each made, signed, sent and parsed —
a fixed cost per cell, whatever the cell computes, for the ≈ 70 code cells of a book.

Here the warm engine's client (:mod:`navbok.builder.engine`) sends one silent request that
calls :func:`run` in the kernel with the sources of all code cells. :func:`run` runs each
source with the shell's own ``run_cell`` (``store_history=True``, as an execute request of a
cell does: same execution counter, ``In``/``Out``, display hook, traceback) and publishes a
marker (:data:`MARK`, a display message the client never keeps as an output) after each
cell. The client (:func:`execute_cells`) hands every other message to nbclient's own
``process_message`` for the cell that runs (the first, then the one after each marker), so
outputs are made by the same code as in a cell-by-cell run, in the same order (a marker is
sent after the streams are flushed, as a display message always is). The marker carries what
ipykernel's reply would carry for that cell (status; ``ename``, ``evalue``, ``traceback`` on
an error) and its execution count; the first failing cell stops the run, and papermill marks
it as it marks a failing cell. Papermill's per-cell metadata (start, end, status) is recorded
cell by cell; nbclient's ``execution`` timestamps are the markers' times instead of the
status messages'.

Used only where the result is the same as a cell-by-cell run (:func:`applies`): no cell may
raise on purpose (``raises-exception``, ``allow_errors``), no cell timeout, no streams
coalesced, no per-cell hooks. ``tests/test_builder_fast.py`` compares the executed notebooks
with a fresh kernel's; ``tests/test_cell_batch.py`` checks outputs, counts and failures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from navbok.errors import NavbokError

if TYPE_CHECKING:
    from nbformat import NotebookNode

#: The marker's mimetype (a display message the client consumes; never an output).
MARK = "application/vnd.navbok.cell+json"
_POLL = 1.0  # seconds between checks that the kernel is alive while waiting


# ----------------------------------------------------------------------------- in the kernel


def run(sources: list[str]) -> None:
    """In the kernel: run ``sources`` as code cells, one after the other, each followed by a
    marker; stop after the first one that fails (as ipykernel would report it)."""
    from IPython import get_ipython

    shell = get_ipython()
    publish = shell.display_pub.publish  # flushes stdout and stderr first
    for k, source in enumerate(sources):
        count = shell.execution_count
        res = shell.run_cell(source, store_history=True)
        end: dict[str, Any] = {"end": k, "execution_count": count, "status": "ok"}
        # as ipykernel's do_execute builds its reply
        failed = not res.success or getattr(shell, "_last_traceback_during_displayhook", False)
        if failed:
            err = res.error_before_exec if res.error_before_exec is not None else res.error_in_exec
            end.update(
                status="error",
                traceback=shell._last_traceback or [],
                ename=str(type(err).__name__),
                evalue=str(err),
            )
        publish({MARK: end}, metadata={})
        if failed:
            return


def request(sources: list[str]) -> str:
    """The code of the one request that runs ``sources`` with :func:`run` (binds no name)."""
    return f'__import__("navbok.builder.cell_batch", fromlist=["run"]).run({sources!r})'


# ----------------------------------------------------------------------- in the build process


def _executed(client: Any, cell: NotebookNode) -> bool:
    """Whether nbclient would send ``cell`` to the kernel."""
    return (
        cell.cell_type == "code"
        and bool(cell.source.strip())
        and client.skip_cells_with_tag not in cell.metadata.get("tags", [])
    )


def applies(client: Any) -> bool:
    """Whether the notebook of papermill's ``client`` runs in one request with the same result
    as cell by cell (see the module docstring)."""
    hooks = ("on_cell_start", "on_cell_execute", "on_cell_complete", "on_cell_executed")
    return (
        not client.allow_errors
        and not client.allow_error_names
        and not client.coalesce_streams
        and client.timeout is None
        and client.timeout_func is None
        and all(getattr(client, h) is None for h in (*hooks, "on_cell_error"))
        and not any(
            "raises-exception" in c.metadata.get("tags", [])
            for c in client.nb.cells
            if _executed(client, c)
        )
    )


def _mark(msg: dict[str, Any]) -> dict[str, Any] | None:
    if msg["msg_type"] != "display_data":
        return None
    mark = msg["content"].get("data", {}).get(MARK)
    return mark if isinstance(mark, dict) else None


def _waiting(channel: Any) -> dict[str, Any] | None:
    """A message already waiting on ``channel``, read at once (None: none is waiting).

    The channel's own ``get_msg`` polls through the event loop (a poller, futures, a timer)
    for every message; a kernel sends a chapter's messages in bursts, so most are already
    there. Read as the channel reads them (``feed_identities``, then ``deserialize``), from a
    plain socket that shares the channel's ZeroMQ socket, in the same order."""
    import zmq

    socket = getattr(channel, "socket", None)
    if not isinstance(socket, zmq.Socket):
        return None
    plain = getattr(channel, "_navbok_plain", None)
    if plain is None or plain.underlying != socket.underlying:
        plain = zmq.Socket.shadow(socket.underlying)
        channel._navbok_plain = plain
    try:
        frames = plain.recv_multipart(zmq.NOBLOCK)
    except zmq.Again:
        return None
    _, message = channel.session.feed_identities(frames)
    out: dict[str, Any] = channel.session.deserialize(message)
    return out


async def _next(client: Any, channel: Any, parent: str) -> dict[str, Any]:
    """The next message of ``channel`` answering ``parent``; a dead kernel raises."""
    from jupyter_core.utils import ensure_async
    from nbclient.exceptions import DeadKernelError

    while True:
        waiting = _waiting(channel)
        if waiting is not None:
            if waiting["parent_header"].get("msg_id") == parent:
                return waiting
            continue
        try:
            msg: dict[str, Any] = await ensure_async(channel.get_msg(timeout=_POLL))
        except Exception as exc:  # queue.Empty: nothing yet
            if type(exc).__name__ != "Empty":
                raise
            if not await ensure_async(client.kc.is_alive()):
                raise DeadKernelError("Kernel died") from None
            continue
        if msg["parent_header"].get("msg_id") == parent:
            return msg


async def execute_cells(client: Any) -> None:
    """Papermill's cell loop (``papermill_execute_cells``) for ``client``, its code cells run
    in one request (see the module docstring)."""
    from jupyter_core.utils import ensure_async
    from nbclient.client import timestamp
    from nbclient.exceptions import CellExecutionError

    nb_man, cells = client.nb_man, client.nb.cells
    runs = [i for i, cell in enumerate(cells) if _executed(client, cell)]
    parent = await ensure_async(
        client.kc.execute(
            request([cells[i].source for i in runs]), silent=True, store_history=False
        )
    )
    done = 0  # the cells before this one were started and completed
    failure: CellExecutionError | None = None

    def up_to(stop: int) -> None:  # cells nbclient skips: papermill starts and completes them
        nonlocal done
        while done < stop:
            nb_man.cell_start(cells[done], done)
            nb_man.cell_complete(cells[done], cell_index=done)
            done += 1

    def start(k: int, since: str) -> int | None:  # the k-th code cell runs from now on
        if k >= len(runs):
            return None
        index = runs[k]
        up_to(index)
        cell = cells[index]
        nb_man.cell_start(cell, index)
        if client.record_timing:
            cell.metadata["execution"] = {
                "iopub.status.busy": since,
                "iopub.execute_input": since,
            }
        cell.outputs = []
        client.clear_before_next_output = False
        client.code_cells_executed += 1
        return index

    current = start(0, timestamp())
    while True:
        msg = await _next(client, client.kc.iopub_channel, parent)
        mark = _mark(msg)
        if mark is not None and current is not None:  # the current cell has ended
            cell = cells[current]
            cell.execution_count = mark["execution_count"]
            if client.record_timing:
                cell.metadata["execution"]["shell.execute_reply"] = timestamp(msg)
                cell.metadata["execution"]["iopub.status.idle"] = timestamp(msg)
            if mark["status"] == "error":
                failure = CellExecutionError.from_cell_and_msg(cell, mark)
                nb_man.cell_exception(cell, cell_index=current, exception=failure)
            nb_man.cell_complete(cell, cell_index=current)
            done = current + 1
            current = None if failure else start(mark["end"] + 1, timestamp(msg))
        elif msg["msg_type"] == "status":
            if msg["content"]["execution_state"] == "idle":
                break
        elif current is not None:
            client.process_message(msg, cells[current], current)
    reply = await _next(client, client.kc.shell_channel, parent)
    if reply["content"].get("status") != "ok":
        content = reply["content"]
        raise NavbokError(
            f"Kjernen kunne ikke kjøre kapitlets celler: {content.get('ename')}: "
            f"{content.get('evalue')}"
        )
    if failure is None:
        up_to(len(cells))
