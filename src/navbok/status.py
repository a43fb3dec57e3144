"""SSB's status symbols: the one place navbok knows them.

A value SSB (or NAV) does not give comes with a symbol instead of a number. navbok keeps the
symbol beside the value (a ``status`` column) from the source to the page, and shows it where the
number would stand.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SUPPRESSED = ":"  # «vises ikke av personvernhensyn» (NAV writes ``*``; see sources/nav.py)
NOT_AVAILABLE = ".."  # «tall mangler»
NOT_POSSIBLE = "."  # «logisk umulig»: a ratio with a zero or negative input
#: Worst first: a harmonised cell takes the worst status of its members.
ORDER = (SUPPRESSED, NOT_AVAILABLE, NOT_POSSIBLE)
#: What the symbols mean, in one line (downloads and source boxes say it).
LEGEND = ".. = tall mangler, : = skjult av personvernhensyn, . = kan ikke regnes ut"

#: The mark of an estimate: a value that includes a share of a split municipality, spread by
#: population (``estimate`` in :attr:`navbok.data.NavData.values`). Tables show «≈ 1 200»;
#: a download's status column holds the mark.
ESTIMATE = "≈"
#: What the mark means, in one line (under every table and figure that shows it).
ESTIMATE_NOTE = (
    "≈ = anslag: tallet bygger på tall for en kommune som senere ble delt, fordelt etter hvor "
    "mange innbyggere som gikk til hver av de nye kommunene."
)


def symbol(status: object, default: str = NOT_AVAILABLE) -> str:
    """``status`` if it is a symbol (a non-empty string), else ``default``.

    A status read from a frame can be NaN or None rather than a string."""
    return status if isinstance(status, str) and status else default


def worst_status(statuses: pd.Series) -> str | None:
    """The worst of a group's status symbols (``:`` before ``..`` before ``.``)."""
    present = set(statuses.dropna())
    for s in ORDER:
        if s in present:
            return s
    return next(iter(present), None)


def worst_of(*statuses: pd.Series) -> pd.Series:
    """Row by row, the worst status symbol of several aligned Series (None where all are).

    Unknown symbols rank after the known ones (``:`` before ``..`` before ``.``)."""
    rank = {s: i for i, s in enumerate(ORDER)}
    values = np.column_stack([s.to_numpy(dtype=object) for s in statuses])
    ranks = np.column_stack(
        [
            s.map(rank).astype(float).fillna(len(rank)).where(s.notna(), np.inf).to_numpy()
            for s in statuses
        ]
    )
    pick = ranks.argmin(axis=1)
    found = np.isfinite(ranks.min(axis=1, initial=np.inf))
    chosen = np.where(found, values[np.arange(len(values)), pick], None)
    return pd.Series(chosen, index=statuses[0].index, dtype=object)
