"""In the warm kernels: a flush of an empty output stream returns at once.

ipykernel's ``OutStream.flush`` (``sys.stdout`` and ``sys.stderr`` in a kernel), called from the
kernel's main thread, hands a flush to the IOPub thread and waits for it: two wake-ups of that
thread's event loop and a blocking wait, even when nothing was written. IPython flushes both
streams after every cell's result (``finish_displayhook``) and ipykernel again around every
request, so a chapter's ≈ 80 cells paid ≈ 500 such round trips, ≈ 0.15 s of CPU per book in
the kernel and ≈ 0.05 s in the build process that waits for the messages (measured with
``bench``'s notebook of 80 trivial cells: 0.59 → 0.40 s per run).

Why the output is identical: with nothing buffered (no text waiting in the stream's buffers,
no flush pending for this process or a subprocess, no echo stream) ``_flush`` on the IOPub
thread would send nothing; messages that were sent before are already queued on that thread
in order, so the messages and their order do not change. A stream that holds text is flushed
exactly as before.

Installed by the kernels' start-up code (:data:`navbok.builder.engine.PRELOAD`), in the kernel
process only.
"""

from __future__ import annotations

from typing import Any

NAME = "kjerne-flush"
TESTED = {"ipykernel": "7.4.0"}
_INSTALLED = False


def _nothing_to_flush(stream: Any) -> bool:
    return (
        stream.echo is None
        and not stream._flush_pending
        and not stream._subprocess_flush_pending
        and not any(buffer.tell() for buffer in list(stream._buffers.values()))
    )


def install() -> None:
    """Patch ``ipykernel.iostream.OutStream.flush`` (once per process)."""
    global _INSTALLED
    if _INSTALLED:
        return
    from ipykernel.iostream import OutStream

    original = OutStream.flush

    def flush(self: Any) -> None:
        if _nothing_to_flush(self):
            return
        original(self)

    flush.__doc__ = original.__doc__
    OutStream.flush = flush  # type: ignore[method-assign]
    _INSTALLED = True
