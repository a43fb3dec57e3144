"""Kernel-side state reset for warm kernels (imported *inside* an IPython kernel).

A warm kernel (:mod:`navbok.builder.engine`) runs many chapters one after the other. Between two
chapters :func:`reset` puts the kernel back into the state of a fresh kernel as far as a chapter
can observe it, so every chapter stays independent and its executed notebook equals a
fresh-kernel run:

* the user namespace is cleared and restored to what the kernel had right after start-up
  (``In``/``Out``/``_``, every variable a chapter defined);
* the execution counter starts at 1 again;
* warning filters are restored and every "already shown once" registry is invalidated, so a
  warning shows in every chapter that triggers it, as it would in a fresh kernel;
* pandas options, the Altair theme and data transformer (as a fresh import leaves them when
  the kernel had not imported Altair at start), the working directory, ``sys.path`` and
  ``os.environ`` are restored.

What stays warm on purpose: imported modules (navbok, pandas, altair, …) and the in-process
cache of :meth:`navbok.data.NavData.load`, which returns a fresh shallow copy to every caller.
Chapters must not change other process-wide state (module attributes, monkeypatching);
``tests/test_builder_fast.py`` compares the warm output with a fresh-kernel papermill run.
"""

from __future__ import annotations

import copy
import gc
import os
import sys
import warnings
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell

_BASELINE: dict[str, Any] = {}


def _shell() -> InteractiveShell:
    """The kernel's shell (this module runs only inside an IPython kernel)."""
    from IPython import get_ipython

    ip = get_ipython()
    if ip is None:
        raise RuntimeError("navbok.builder.kernel_state runs only inside an IPython kernel")
    return ip


def _pandas_options() -> dict[str, Any] | None:
    pd = sys.modules.get("pandas")
    if pd is None:
        return None
    from pandas._config import config as pdc

    return copy.deepcopy(pdc._global_config)


def _altair_state() -> tuple[str, str] | None:
    alt = sys.modules.get("altair")
    if alt is None:
        return None
    return alt.theme.active, alt.data_transformers.active


def lower_priority(nice: int) -> str:
    """Give the kernel's main thread (where chapters run; threads it starts later inherit it)
    the lowest scheduling priority: Linux's ``SCHED_IDLE`` policy, else ``nice`` steps lower.
    Returns which («idle» or «nice»). Chapters see nothing of it; only when they run
    changes."""
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):  # not Linux, or not allowed
        os.nice(nice)
        return "nice"
    return "idle"


def capture() -> None:
    """Record the fresh-kernel state (call once, before any chapter ran)."""
    ip = _shell()
    _BASELINE.clear()
    _BASELINE.update(
        user_ns=dict(ip.user_ns),
        hidden=dict(ip.user_ns_hidden),
        filters=list(warnings.filters),
        cwd=os.getcwd(),
        path=list(sys.path),
        environ=dict(os.environ),
    )


def capture_libraries() -> None:
    """Record library state after the warm imports (pandas options, Altair theme)."""
    _BASELINE["pandas"] = _pandas_options()
    _BASELINE["altair"] = _altair_state()


def reset() -> None:
    """Make the kernel look fresh to the next chapter (see the module docstring)."""
    if not _BASELINE:
        raise RuntimeError("kernel_state.capture() was not called")
    ip = _shell()
    sys.stdout.flush()
    sys.stderr.flush()
    ip.reset(new_session=False)  # clears the namespace, then collects garbage
    # What survived is the kernel's long-lived state (modules, the snapshot, national
    # passes): freeze it, so the next collections (IPython collects on every reset, Python
    # whenever allocations add up) scan only what the next chapter creates instead of the
    # whole heap again (≈ 0.1 s per collection with the snapshot loaded). Output unchanged.
    gc.freeze()
    ip.user_ns.clear()
    ip.user_ns.update(_BASELINE["user_ns"])
    ip.user_ns_hidden.clear()
    ip.user_ns_hidden.update(_BASELINE["hidden"])
    ip.execution_count = 1
    ip.last_execution_succeeded = True
    ip.last_execution_result = None
    for name in ("last_type", "last_value", "last_traceback", "last_exc"):
        if hasattr(sys, name):
            delattr(sys, name)

    cast("list[Any]", warnings.filters)[:] = _BASELINE["filters"]  # a list at run time
    # Every __warningregistry__ is stale: warn again (private, so not in typeshed).
    warnings._filters_mutated()  # type: ignore[attr-defined]
    if os.getcwd() != _BASELINE["cwd"]:
        os.chdir(_BASELINE["cwd"])
    sys.path[:] = _BASELINE["path"]
    if dict(os.environ) != _BASELINE["environ"]:
        os.environ.clear()
        os.environ.update(_BASELINE["environ"])

    # pandas keeps its options in a private dict; restoring it is not a speed-up (and not
    # fenced, see navbok.builder.speedups): without it a chapter's set_option would leak into the
    # next chapter, and the warm kernel would no longer equal a fresh one.
    options = _BASELINE.get("pandas")
    if options is not None:
        from pandas._config import config as pdc

        if pdc._global_config != options:
            pdc._global_config.clear()
            pdc._global_config.update(copy.deepcopy(options))
    if "altair" in sys.modules:
        alt = sys.modules["altair"]
        # As at the baseline; imported since (navbok imports it only to convert an Altair
        # chart): as a fresh kernel's first import of Altair leaves it.
        theme, transformer = _BASELINE.get("altair") or ("default", "default")
        if alt.theme.active != theme:
            alt.theme.enable(theme)
        if alt.data_transformers.active != transformer:
            alt.data_transformers.enable(transformer)
