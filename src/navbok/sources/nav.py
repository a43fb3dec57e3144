"""NAV's published AAP (arbeidsavklaringspenger) recipients by municipality.

The tables are semicolon CSV with a decimal comma, a UTF-8 byte-order mark, title lines before
the header, county subtotal rows («… i alt») and a last row «Landet». Counts under four are shown
as ``*``; navbok keeps them as missing values with the status ``:`` (suppressed), never as zero.
"""

from __future__ import annotations

import io

import pandas as pd

from navbok.errors import ParseError

SUPPRESSED = ":"
HEADER_START = "Fylke;Kommunenummer"


def aap_url(period: str) -> tuple[str, dict[str, str]]:
    """URL for NAV's AAP table for a month ``YYYY-MM`` (template not verified against nav.no)."""
    return f"https://www.nav.no/no/nav-og-samfunn/statistikk/aap-kommune-{period}.csv", {}


def read_aap(body: bytes, *, where: str = "NAV AAP") -> tuple[pd.DataFrame, bool]:
    """Parse one NAV AAP table.

    Returns (frame, synthetic): the frame has ``region`` (municipality code, or ``EAK`` for
    Landet), ``name``, ``value`` (count, NaN when suppressed), ``share`` (percent of 18–66) and
    ``status`` (``:`` when suppressed, else ``None``). County subtotal rows are dropped.
    """
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(f"{where}: not UTF-8 text ({exc})") from exc
    lines = text.splitlines()
    header = next((i for i, line in enumerate(lines) if line.startswith(HEADER_START)), None)
    if header is None:
        raise ParseError(f"{where}: no header line starting with {HEADER_START!r}")
    synthetic = any("SYNTETISK" in line.upper() for line in lines[:header])
    width = lines[header].count(";")
    for number, line in enumerate(lines[header + 1 :], start=header + 2):
        if line.strip() and line.count(";") != width:
            raise ParseError(
                f"{where}: line {number} has {line.count(';') + 1} fields, the header has "
                f"{width + 1}"
            )
    try:
        raw = pd.read_csv(
            io.StringIO("\n".join(lines[header:])),
            sep=";",
            dtype=str,
            keep_default_na=False,
            index_col=False,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise ParseError(f"{where}: bad CSV ({exc})") from exc
    expected = ["Fylke", "Kommunenummer", "Kommune", "Antall"]
    missing = [c for c in expected if c not in raw.columns]
    if missing:
        raise ParseError(f"{where}: missing columns {missing}")
    share_col = next((c for c in raw.columns if c.startswith("Andel")), None)

    def number(s: pd.Series) -> pd.Series:
        cleaned = s.str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
        cleaned = cleaned.str.replace(",", ".", regex=False)
        return pd.to_numeric(cleaned.where(cleaned != "*"), errors="coerce")

    is_country = raw["Fylke"].str.strip().eq("Landet") | raw["Kommune"].str.strip().eq("Landet")
    is_muni = raw["Kommunenummer"].str.strip().str.fullmatch(r"\d{4}")
    rows = raw[is_muni | is_country].copy()
    bad = rows["Antall"].str.strip()
    unparsable = rows[(number(bad).isna()) & (bad != "*")]
    if len(unparsable):
        first = unparsable.iloc[0]
        raise ParseError(
            f"{where}: count {first['Antall']!r} for {first['Kommune']!r} is not a number"
        )
    if not is_country.any():
        raise ParseError(f"{where}: no «Landet» row at the end (truncated table?)")
    out = pd.DataFrame(
        {
            "region": rows["Kommunenummer"].str.strip().where(is_muni[rows.index], "EAK"),
            "name": rows["Kommune"].str.strip(),
            "value": number(rows["Antall"].str.strip()),
            "share": number(rows[share_col].str.strip()) if share_col else float("nan"),
        }
    )
    out["status"] = [SUPPRESSED if s == "*" else None for s in rows["Antall"].str.strip()]
    return out.reset_index(drop=True), synthetic
