"""AAP against social assistance: the ratio (forholdstall) and the «expected» AAP share.

Source document 001 compares the share of inhabitants 18–66 on AAP with the share on social
assistance. The ratio AAP share / social-assistance share says how many AAP recipients there
are per social-assistance recipient. The «expected AAP share» asks: what would the
municipality's AAP share be if its ratio were the ASSS ratio, given its own social-assistance
share? ``expected = sos_share(kommune) × aap_share(ASSS) / sos_share(ASSS)``. For Bærum 2020
the document gives 2,6 × 0,97 ≈ 2,5 %. The assumption is that AAP and social assistance draw on
the same population in the same proportion everywhere; a municipality below its expected share
has fewer on AAP than its social-assistance level would suggest.
"""

from __future__ import annotations

import math

import pandas as pd

from navbok.comparison import Kind

#: The comparison series the ratio table shows, in this order.
KINDS = (Kind.KOMMUNE, Kind.NABO, Kind.ASSS_SNITT, Kind.KOSTRAGRUPPE, Kind.LANDET,
         Kind.LANDET_UTEN_OSLO)  # fmt: skip


def expected_share(sos_share: float, asss_aap: float, asss_sos: float) -> float:
    """The AAP share the municipality would have with the ASSS ratio (NaN if unknown)."""
    if any(
        v is None or (isinstance(v, float) and math.isnan(v))
        for v in (sos_share, asss_aap, asss_sos)
    ):
        return float("nan")
    if asss_sos == 0:
        return float("nan")
    return sos_share * asss_aap / asss_sos


def ratio_table(
    aap: pd.DataFrame, sos: pd.DataFrame, year: int, sos_year: int | None = None
) -> pd.DataFrame:
    """AAP share in ``year``, social-assistance share in ``sos_year`` (default the same year)
    and their ratio per comparison series.

    ``aap`` and ``sos`` are comparison frames (``series, kind, region, year, value,
    status``). A series is paired by kind and series label (a KOSTRA group or county whose
    code changed between the two years is still the municipality's group). For the ASSS
    average the ratio is the ratio of the two averages (as in the source document), not the
    mean of the members' ratios. Columns: ``series, kind, aap, aap_status, sos, sos_status,
    ratio``.
    """
    sos_year = year if sos_year is None else sos_year
    keys = ["series", "kind"] if sos_year != year else ["series", "kind", "region"]
    a = aap[(aap["year"] == year) & aap["kind"].isin(KINDS)][keys + ["value", "status"]]
    s = sos[(sos["year"] == sos_year) & sos["kind"].isin(KINDS)][keys + ["value", "status"]]
    m = a.merge(s, on=keys, how="outer", suffixes=("_aap", "_sos"))
    m = m.rename(
        columns={
            "value_aap": "aap",
            "status_aap": "aap_status",
            "value_sos": "sos",
            "status_sos": "sos_status",
        }
    )
    for col in ("aap_status", "sos_status"):
        m[col] = m[col].astype(object).where(m[col].notna(), None)
    m["ratio"] = m["aap"] / m["sos"].where(m["sos"] != 0)
    order = {k: i for i, k in enumerate(KINDS)}
    m = m.sort_values("kind", key=lambda k: k.map(order), kind="stable").reset_index(drop=True)
    return m[["series", "kind", "aap", "aap_status", "sos", "sos_status", "ratio"]]
