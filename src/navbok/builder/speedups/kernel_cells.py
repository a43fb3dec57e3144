"""In the warm kernels: IPython's static reading of a cell's text, done once per text.

For every cell, IPython's ``run_cell`` passes the source through its static input
transformations (``TransformerManager.transform_cell``: the source tokenized, then checked for
magics, shell escapes and prompts) and then asks whether the result needs an event loop
(``_should_be_async``: the cell compiled once more with top-level ``await`` allowed). A
chapter's cells are the same text in every book, so a national build did the same work 357
times for each: ≈ 15 ms of kernel time a book. Here both answers are kept per text (at most
:data:`SIZE` texts, the oldest dropped first).

Why the result is identical: both are functions of the text alone — the transformer manager's
lists of transformations are part of the key (a change to them reads the text again), the
answer for a text that raised is not kept (it raises again), and the returned text is
immutable. The dynamic transformations IPython applies to one-line cells (autocall, which
depends on the namespace) come after the static ones and are not memoised. Installed by the
kernels' start-up code (:func:`navbok.builder.speedups.install_kernel`), in the kernel process
only.
"""

from __future__ import annotations

import functools
from collections import Counter, OrderedDict
from collections.abc import Callable
from typing import Any

NAME = "kjerne-celletekst"
TESTED = {"ipython": "9.18.1"}
SIZE = 1024
HITS: Counter[str] = Counter()  # "transform", "async": answers reused
_INSTALLED = False


def _remembered(kind: str, size: int = SIZE) -> Callable[..., Any]:
    """A lookup ``(key, compute)``: the value kept for ``key``, else ``compute()``, kept (at
    most ``size`` keys, the oldest dropped first; a ``compute`` that raises keeps nothing)."""
    memo: OrderedDict[Any, Any] = OrderedDict()

    def lookup(key: Any, compute: Callable[[], Any]) -> Any:
        if key in memo:
            HITS[kind] += 1
            return memo[key]
        value = compute()
        memo[key] = value
        if len(memo) > size:
            memo.popitem(last=False)
        return value

    return lookup


def install() -> None:
    """Patch ``TransformerManager.transform_cell`` and IPython's ``_should_be_async`` (once)."""
    global _INSTALLED
    if _INSTALLED:
        return
    import IPython.core.interactiveshell as shell_module
    from IPython.core.inputtransformer2 import TransformerManager

    transform = TransformerManager.transform_cell
    transforms = _remembered("transform")

    @functools.wraps(transform)
    def transform_cell(self: Any, cell: str) -> str:
        key = (
            tuple(self.cleanup_transforms),
            tuple(self.line_transforms),
            tuple(self.token_transformers),
            cell,
        )
        return transforms(key, lambda: transform(self, cell))

    should_be_async = shell_module._should_be_async
    answers = _remembered("async")

    @functools.wraps(should_be_async)
    def is_async(cell: str) -> bool:
        return answers(cell, lambda: should_be_async(cell))

    TransformerManager.transform_cell = transform_cell  # type: ignore[method-assign]
    shell_module._should_be_async = is_async
    _INSTALLED = True
