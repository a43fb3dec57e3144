"""Growth in social-assistance payouts split into recipients, duration and payout per month.

The identity (CHAPTERS.md §2.2)::

    T = N · L · P      T = utbetalt, N = mottakere, L = M / N (months per recipient),
                       P = T / M (payout per stønadsmåned), M = stønadsmåneder
    1 + g_T = (1 + g_N)(1 + g_L)(1 + g_P)
    g_T = g_N + g_L + g_P + kombinasjonseffekt

Two ways to share the growth out:

* **additive with a combination effect** (as in the source document): each component's growth
  ``g_i``, its kroner effect ``T0 · g_i`` and the combination effect ``g_T − Σ g_i`` (in kroner
  ``T1 − T0 − T0 · Σ g_i``);
* **log-additive (LMDI-I)** without residual: ``ln(T1/T0) = Σ ln(1 + g_i)``; shares are
  ``ln(1 + g_i) / ln(T1/T0)`` and kroner contributions ``L(T1, T0) · ln(1 + g_i)`` with the
  logarithmic mean ``L(a, b) = (a − b) / (ln a − ln b)``; they sum exactly to ``T1 − T0``.

Kroner figures are in the unit of T (1 000 kr for the measures frame).

**When shares are not given** (:meth:`Decomposition.shares_withheld`, one rule for the tables,
the text and the introduction): a share of the growth («67 % of the growth came from more
recipients») means something only when the counts are large enough that one person more or less
does not move it, and when the total is not small beside its parts:

* fewer than :data:`MIN_RECIPIENTS` recipients in either year → :data:`FEW_RECIPIENTS`: with 100
  recipients one person is 1 % of N, as large as the differences the shares are read for;
* a component larger than :data:`MAX_SHARE` times the whole change (in logs,
  ``max |ln(1 + g_i)| > MAX_SHARE · |ln(T1/T0)|``, including a total of 0) →
  :data:`NEAR_ZERO`: the components pull each other out and the shares become large numbers of
  either sign (2 794 % and −3 891 % for a growth of −0,4 %) that change wildly with a small
  change in the total;
* a year whose T, N and M include a population-share estimate (a part of a municipality that
  was later split, :attr:`Decomposition.estimated`) → :data:`ESTIMATED`: the estimate scales T,
  N and M of the old municipality by one share, so its duration and payout per month are the
  old municipality's, and the components would compare two territories.

The growth rates and kroner effects themselves are still shown; only the shares are withheld,
and the reader is told why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from navbok.status import NOT_AVAILABLE, NOT_POSSIBLE

COMPONENTS = ("N", "L", "P")
COMPONENT_LABELS = {
    "N": "Antall mottakere",
    "L": "Stønadslengde (måneder per mottaker)",
    "P": "Utbetaling per stønadsmåned",
}
COMBINATION_LABEL = "Kombinasjonseffekt"

#: Fewest recipients (N) in each of the two years for the growth to be shared out in percent.
MIN_RECIPIENTS = 100
#: Largest share of the whole change one component may have for shares to be given (2 = 200 %).
MAX_SHARE = 2.0
#: Why shares are withheld (:meth:`Decomposition.shares_withheld`).
FEW_RECIPIENTS = "few_recipients"
NEAR_ZERO = "near_zero"
ESTIMATED = "estimated"


def _log_mean(a: float, b: float) -> float:
    """The logarithmic mean ``(a − b) / (ln a − ln b)``, ``a`` when ``a == b``."""
    return a if a == b else (a - b) / (math.log(a) - math.log(b))


@dataclass(frozen=True)
class Decomposition:
    """The decomposition of the change in T between two years (build it with :func:`decompose`).

    ``status`` is ``None`` when the decomposition could be computed; otherwise it is an SSB
    symbol (``:`` suppressed, ``..`` missing, ``.`` not possible) explained in ``note``, and every
    computed figure is NaN – never 0.
    """

    T0: float
    N0: float
    M0: float
    T1: float
    N1: float
    M1: float
    status: str | None = None
    note: str = ""
    label: str = ""
    year0: int | None = None
    year1: int | None = None
    unit: str = "1\u00a0000 kr"
    #: The inputs that were not there: (region code, year, SSB symbol), for the reader's why.
    gaps: tuple[tuple[str, int, str], ...] = ()
    #: The years whose inputs include a population-share estimate (a split municipality's part).
    estimated: tuple[int, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the decomposition could be computed."""
        return self.status is None

    def _ratio(self, a: float, b: float) -> float:
        return a / b if self.ok else math.nan

    @property
    def L0(self) -> float:
        """Months per recipient in the first year."""
        return self._ratio(self.M0, self.N0)

    @property
    def L1(self) -> float:
        """Months per recipient in the last year."""
        return self._ratio(self.M1, self.N1)

    @property
    def P0(self) -> float:
        """Payout per stønadsmåned in the first year (unit of T per month)."""
        return self._ratio(self.T0, self.M0)

    @property
    def P1(self) -> float:
        """Payout per stønadsmåned in the last year."""
        return self._ratio(self.T1, self.M1)

    @property
    def g_T(self) -> float:
        """Growth in total payouts."""
        return self._ratio(self.T1, self.T0) - 1

    @property
    def g_N(self) -> float:
        """Growth in the number of recipients."""
        return self._ratio(self.N1, self.N0) - 1

    @property
    def g_L(self) -> float:
        """Growth in months per recipient."""
        return self.L1 / self.L0 - 1

    @property
    def g_P(self) -> float:
        """Growth in payout per stønadsmåned."""
        return self.P1 / self.P0 - 1

    @property
    def growth(self) -> dict[str, float]:
        """``{"N": g_N, "L": g_L, "P": g_P}``."""
        return {"N": self.g_N, "L": self.g_L, "P": self.g_P}

    @property
    def combination(self) -> float:
        """The combination effect ``g_T − (g_N + g_L + g_P)`` (a growth rate)."""
        return self.g_T - sum(self.growth.values())

    @property
    def change(self) -> float:
        """``T1 − T0`` in the unit of T."""
        return self.T1 - self.T0 if self.ok else math.nan

    @property
    def effects(self) -> dict[str, float]:
        """Kroner effects ``T0 · g_i`` and ``"combination"``: ``T1 − T0 − T0 · Σ g_i``."""
        out = {k: self.T0 * g for k, g in self.growth.items()}
        out["combination"] = self.change - sum(out.values())
        return out

    @property
    def lmdi_logs(self) -> dict[str, float]:
        """``ln(1 + g_i)``; they sum to ``ln(T1/T0)``."""
        return {k: math.log1p(g) if self.ok else math.nan for k, g in self.growth.items()}

    @property
    def lmdi_shares(self) -> dict[str, float]:
        """Each component's share of ``ln(T1/T0)`` (NaN when T did not change)."""
        total = sum(self.lmdi_logs.values())
        return {k: v / total if total else math.nan for k, v in self.lmdi_logs.items()}

    @property
    def lmdi_contributions(self) -> dict[str, float]:
        """Kroner contributions ``L(T1, T0) · ln(1 + g_i)``; they sum to ``T1 − T0``."""
        if not self.ok:
            return dict.fromkeys(COMPONENTS, math.nan)
        weight = _log_mean(self.T1, self.T0)
        return {k: weight * v for k, v in self.lmdi_logs.items()}

    def shares_withheld(self) -> str | None:
        """Why the growth must not be shared out in percent (:data:`FEW_RECIPIENTS` or
        :data:`NEAR_ZERO`, see the module docstring), ``None`` when shares may be given or the
        decomposition could not be computed at all (its ``status`` says why)."""
        if not self.ok:
            return None
        if self.estimated:
            return ESTIMATED
        if min(self.N0, self.N1) < MIN_RECIPIENTS:
            return FEW_RECIPIENTS
        logs = [abs(v) for v in self.lmdi_logs.values()]
        if max(logs) > MAX_SHARE * abs(sum(self.lmdi_logs.values())):
            return NEAR_ZERO
        return None

    def to_row(self) -> dict[str, object]:
        """One flat table row: levels, growth rates, kroner effects, LMDI, status."""
        row: dict[str, object] = {"label": self.label, "year0": self.year0, "year1": self.year1}
        row |= {"T0": self.T0, "N0": self.N0, "M0": self.M0}
        row |= {"T1": self.T1, "N1": self.N1, "M1": self.M1}
        row |= {"L0": self.L0, "L1": self.L1, "P0": self.P0, "P1": self.P1}
        row |= {"g_T": self.g_T, "g_N": self.g_N, "g_L": self.g_L, "g_P": self.g_P}
        row["combination"] = self.combination
        row["change"] = self.change
        row |= {f"effect_{k}": v for k, v in self.effects.items()}
        row |= {f"lmdi_share_{k}": v for k, v in self.lmdi_shares.items()}
        row |= {f"lmdi_{k}": v for k, v in self.lmdi_contributions.items()}
        row["shares_withheld"] = self.shares_withheld()
        row |= {"status": self.status, "note": self.note, "gaps": self.gaps}
        row["estimated"] = self.estimated
        return row

    def waterfall_steps(
        self,
        unit: Literal["kr", "pct"] = "kr",
        method: Literal["classic", "lmdi"] = "classic",
    ) -> pd.DataFrame:
        """Steps for :func:`navbok.present.chart_specs.waterfall_chart`: ``label, value, kind``.

        ``unit="kr"`` starts at T0 and ends at T1 (unit of T); ``unit="pct"`` shows growth as
        fractions of T0 (format with ``.1%``) ending in the total growth. ``method="lmdi"``
        uses the LMDI contributions and has no combination effect. Values are NaN when the
        decomposition could not be computed.
        """
        deltas = dict(self.lmdi_contributions) if method == "lmdi" else dict(self.effects)
        scale = 1.0 if unit == "kr" else 1.0 / self.T0 if self.ok else math.nan
        y0 = f" {self.year0}" if self.year0 is not None else " startår"
        y1 = f" {self.year1}" if self.year1 is not None else " sluttår"
        rows: list[tuple[str, float, str]] = []
        if unit == "kr":
            rows.append((f"Utbetalt{y0}", self.T0 if self.ok else math.nan, "start"))
        for key, value in deltas.items():
            label = COMBINATION_LABEL if key == "combination" else COMPONENT_LABELS[key]
            rows.append((label, value * scale, "delta"))
        if unit == "kr":
            rows.append((f"Utbetalt{y1}", self.T1 if self.ok else math.nan, "total"))
        else:
            rows.append(("Samlet vekst", self.g_T, "total"))
        return pd.DataFrame(rows, columns=["label", "value", "kind"])


def decompose(
    T0: float,
    N0: float,
    M0: float,
    T1: float,
    N1: float,
    M1: float,
    *,
    status: str | None = None,
    note: str = "",
    label: str = "",
    year0: int | None = None,
    year1: int | None = None,
    unit: str = "1\u00a0000 kr",
    gaps: tuple[tuple[str, int, str], ...] = (),
    estimated: tuple[int, ...] = (),
) -> Decomposition:
    """Decompose the change in payouts ``T`` from year 0 to year 1 (``M`` = stønadsmåneder).

    Missing (NaN) inputs give a result with status ``..``; zero or negative inputs give ``.``
    (growth cannot be computed); a ``status`` passed in (e.g. ``:`` for suppressed) is kept.
    """
    values = {"T0": T0, "N0": N0, "M0": M0, "T1": T1, "N1": N1, "M1": M1}
    floats = {k: math.nan if v is None else float(v) for k, v in values.items()}
    if status is None:
        missing = [k for k, v in floats.items() if math.isnan(v)]
        nonpositive = [k for k, v in floats.items() if not math.isnan(v) and v <= 0]
        if missing:
            status, note = NOT_AVAILABLE, note or f"Kan ikke beregnes: mangler {', '.join(missing)}"
        elif nonpositive:
            status = NOT_POSSIBLE
            note = note or f"Kan ikke beregnes: {', '.join(nonpositive)} er 0 eller negativ"
    return Decomposition(
        **floats, status=status, note=note, label=label, year0=year0, year1=year1, unit=unit,
        gaps=gaps, estimated=estimated,
    )  # fmt: skip


def from_rates(
    g_N: float,
    g_L: float,
    g_P: float,
    T0: float = 100.0,
    N0: float = 1.0,
    L0: float = 1.0,
    **kwargs: object,
) -> Decomposition:
    """A decomposition from component growth rates only (levels are implied from ``T0, N0, L0``).

    E.g. the source document's Bærum 2015–2019: ``from_rates(0.041, 0.157, 0.039)`` gives
    ``g_T = 25.1 %`` with a combination effect of 1.44 %.
    """
    M0 = N0 * L0
    N1 = N0 * (1 + g_N)
    M1 = N1 * L0 * (1 + g_L)
    T1 = T0 * (1 + g_N) * (1 + g_L) * (1 + g_P)
    return decompose(T0, N0, M0, T1, N1, M1, **kwargs)  # type: ignore[arg-type]
