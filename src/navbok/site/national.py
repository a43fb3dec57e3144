"""The national edition's open data: every indicator × municipality × year, with its status.

:func:`national_frame` takes the values :class:`navbok.data.NavData` has computed already (every
indicator of the register for every region and year, harmonised to the newest municipality
codes) and keeps the current municipalities: one row per indicator × municipality × year, a
missing value carrying SSB's status symbol. :func:`write_national` writes the country's
downloads:

* ``navbok-kommuner.csv``: semicolon-separated, decimal comma, UTF-8 with a byte order mark,
  CRLF line ends, one header row of the column identifiers, no comment lines. This is what
  Norwegian Excel opens correctly by double-click (as SSB's own CSV downloads), and scripts read
  it with ``pandas.read_csv(path, sep=";", decimal=",", dtype={"kommunenr": str})`` or R's
  ``read.csv2(path, fileEncoding = "UTF-8-BOM", colClasses = c(kommunenr = "character"))``.
  The headers are Norwegian (:data:`HEADERS`; ``indikator`` is the machine key). Missing
  values are empty cells (never 0); ``status`` says why; ``anslag`` (Ja/Nei) marks values
  that include a population-share estimate of a split municipality. Values are written at full
  precision (round them to the indicator's ``decimals`` for display).
* ``navbok-kommuner.parquet``: the same table with types (``år`` int64, ``verdi`` float64,
  ``anslag`` bool).
* ``navbok-kommuner.metadata.json``: per indicator id, names, unit, decimals, definition and
  source tables; the fetch date; the licence; the status symbols; the synthetic-data warning
  when the snapshot is synthetic; and what each file holds (with its sha256).

Everything is deterministic: rows sorted by indicator (register order), municipality and
year; the same snapshot gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from navbok import indicators as ind
from navbok.errors import NavbokError, os_error_message
from navbok.files import write_atomic
from navbok.present.exports import text_cells
from navbok.present.prose import MONTHS, month
from navbok.register import register_doc
from navbok.status import NOT_AVAILABLE, NOT_POSSIBLE, SUPPRESSED

if TYPE_CHECKING:
    from navbok.data import NavData

__all__ = [
    "COLUMNS",
    "CSV_NAME",
    "HEADERS",
    "METADATA_NAME",
    "PARQUET_NAME",
    "NationalError",
    "NationalProvenance",
    "file_frame",
    "national_frame",
    "source_tables",
    "write_national",
]

COLUMNS = [
    "indicator",
    "indicator_name",
    "unit",
    "kommune",
    "kommune_name",
    "year",
    "value",
    "status",
    "estimate",
    "source",
]
#: The files' column headers (Norwegian) for the frame's identifiers (:data:`COLUMNS`).
HEADERS = {
    "indicator": "indikator",
    "indicator_name": "indikatornavn",
    "unit": "enhet",
    "kommune": "kommunenr",
    "kommune_name": "kommunenavn",
    "year": "år",
    "value": "verdi",
    "status": "status",
    "estimate": "anslag",
    "source": "kilde",
}
CSV_NAME = "navbok-kommuner.csv"
PARQUET_NAME = "navbok-kommuner.parquet"
METADATA_NAME = "navbok-kommuner.metadata.json"

#: What each column of the files holds (Norwegian, for the metadata file), by file header.
COLUMN_TEXT = {
    "indikator": "Indikatorens id i navbok, en maskinnøkkel (se «indicators»)",
    "indikatornavn": "Indikatorens navn",
    "enhet": "Enhet (prosent, kr, måneder, personer, per 1 000 …)",
    "kommunenr": "Kommunenummer (fire siffer, gjeldende inndeling; les som tekst: 0301)",
    "kommunenavn": "Kommunenavn",
    "år": "Statistikkår",
    "verdi": "Verdien, full presisjon; tom når tallet mangler (se status)",
    "status": "SSBs symbol når tallet mangler (: .. .), ellers tom",
    "anslag": (
        "Ja når verdien bygger på et anslag: tall for en kommune som ble delt, fordelt på de "
        "nye kommunene etter hvor mange innbyggere som flyttet (sammenslåtte kommuner er lagt "
        "sammen og er ikke anslag); ellers Nei"
    ),
    "kilde": "Tabellene og innholdet tallet er regnet fra (SSB-tabell, NAV AAP155)",
}
STATUS_TEXT = {
    SUPPRESSED: "Skjult av personvernhensyn (færre enn 3 enheter)",
    NOT_AVAILABLE: "Tall mangler (ikke publisert, for usikkert, eller kommunen fantes ikke)",
    NOT_POSSIBLE: "Kan ikke regnes ut (nevneren er null)",
}
LICENCE = {
    "name": "CC BY 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/deed.no",
    "text": (
        "Tallene er fra Statistisk sentralbyrå (SSB) og NAV, som publiserer dem under Creative "
        "Commons Navngivelse 4.0 Internasjonal (CC BY 4.0). Filene er bearbeidet av navbok "
        "(harmonisert til gjeldende kommuneinndeling og regnet om til andeler) og deles under "
        "samme lisens."
    ),
    "attribution": "Kilde: SSB og NAV, bearbeidet av navbok",
}
SYNTHETIC_WARNING = (
    "SYNTETISKE DATA: tallene er laget for test og demonstrasjon. De er ikke offisiell "
    "statistikk og må ikke siteres."
)


class NationalError(NavbokError):
    """The national downloads cannot be made or written."""


# ----------------------------------------------------------------------------- the table


def national_frame(data: NavData) -> pd.DataFrame:
    """Every indicator × current municipality × year as one long table (:data:`COLUMNS`).

    Only the municipalities of the register's target vintage (the codes the books use; values
    of earlier years are harmonised onto them). For each indicator every municipality gets a
    row for every year the indicator has a value or a status anywhere among them: a
    combination ``NavData`` has no row for is missing with status ``..``, as is a missing value
    without a symbol. A suppressed value is never given a number. ``status`` is the SSB symbol
    or ``""``; ``source`` is the table(s) the value is from (``""`` where there is none).
    """
    register = ind.register()
    codes = list(data.register.target_codes)
    values = data.values
    values = values[values["region"].isin(codes) & values["indicator"].isin(list(register))]
    parts = []
    for indicator_id, rows in values.groupby("indicator", sort=False):
        years = sorted(int(y) for y in rows["year"].unique())
        grid = pd.MultiIndex.from_product([codes, years], names=["region", "year"]).to_frame(
            index=False
        )
        rows = rows.astype({"year": "int64"}).drop_duplicates(["region", "year"])
        merged = grid.merge(rows, on=["region", "year"], how="left")
        merged["indicator"] = indicator_id
        parts.append(merged)
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in COLUMNS})
    frame = pd.concat(parts, ignore_index=True)
    value = frame["value"].astype(float)
    status = frame["status"].map(lambda s: s if isinstance(s, str) else "")
    # A value always stands alone; a missing one always has a symbol.
    status = status.where(value.isna(), "")
    status = status.where(value.notna() | (status != ""), NOT_AVAILABLE)
    value = value.where(status == "")
    names = {code: data.name(code) for code in codes}
    order = {k: i for i, k in enumerate(register)}
    months = tuple(data.snapshot.aap_periods())
    # An AAP indicator of one month carries that month in its name («…, oktober 2025»).
    labels = {
        i: f"{spec.label}, {month(months[-1])}"
        if _aap_months(i) == "latest" and months
        else spec.label
        for i, spec in register.items()
    }
    out = pd.DataFrame(
        {
            "indicator": frame["indicator"].astype(str),
            "indicator_name": frame["indicator"].map(labels),
            "unit": frame["indicator"].map(lambda i: register[i].unit),
            "kommune": frame["region"].astype(str),
            "kommune_name": frame["region"].map(names),
            "year": frame["year"].astype("int64"),
            "value": value.astype("float64"),
            "status": status.astype(str),
            "estimate": frame["estimate"].fillna(False).astype(bool) & value.notna(),
            "source": frame["source"].map(lambda s: s if isinstance(s, str) else ""),
        }
    )
    out["_order"] = out["indicator"].map(order)
    out = out.sort_values(["_order", "kommune", "year"], kind="stable").drop(columns="_order")
    out = out.reset_index(drop=True)
    return out.astype({c: "object" for c in COLUMNS if _dtype(c) == "object"})


def _dtype(column: str) -> str:
    return {"year": "int64", "value": "float64", "estimate": "bool"}.get(column, "object")


def file_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`national_frame` as the files hold it: Norwegian headers (:data:`HEADERS`) and
    ``anslag`` as «Ja»/«Nei» in the CSV (a boolean in Parquet, see :func:`_parquet_bytes`)."""
    return frame[COLUMNS].rename(columns=HEADERS)


_SSB_TABLE = re.compile(r"\bSSB (\d{5})\b")
_NAV_TABLE = re.compile(r"\bNAV (AAP\d+)\b")


def source_tables(sources: Iterable[str]) -> list[str]:
    """The tables named in ``source`` texts: ``["NAV AAP155", "SSB 07459", "SSB 13995"]``."""
    found: set[str] = set()
    for text in sources:
        found.update(f"SSB {t}" for t in _SSB_TABLE.findall(str(text)))
        found.update(f"NAV {t}" for t in _NAV_TABLE.findall(str(text)))
    return sorted(found)


# -------------------------------------------------------------------------- provenance


@dataclass(frozen=True)
class NationalProvenance:
    """Where the national table comes from: fetch time, register vintage, synthetic files and
    indicators the snapshot cannot give (with the reason). Built with :meth:`of`."""

    fetched_at: str
    vintage: str = ""
    synthetic_files: tuple[str, ...] = ()
    unavailable: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    aap_months: tuple[str, ...] = ()

    @property
    def synthetic(self) -> bool:
        """True when any response in the snapshot is synthetic (demo data)."""
        return bool(self.synthetic_files)

    @classmethod
    def of(cls, data: NavData) -> NationalProvenance:
        """From a loaded snapshot (:class:`navbok.data.NavData`)."""
        snapshot = data.snapshot
        try:
            unavailable = tuple(sorted(data.availability.unavailable.items()))
        except Exception:  # availability is a courtesy: never block the downloads on it
            unavailable = ()
        return cls(
            fetched_at=str(snapshot.fetched_at),
            vintage=str(data.register.target_date),
            synthetic_files=tuple(snapshot.synthetic_files),
            unavailable=unavailable,
            aap_months=tuple(snapshot.aap_periods()),
        )


# ------------------------------------------------------------------------------ writing


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    out = file_frame(frame)
    out["anslag"] = out["anslag"].map({True: "Ja", False: "Nei"})
    text = text_cells(out).to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def _parquet_bytes(frame: pd.DataFrame) -> bytes:
    """Parquet (pyarrow, zstd), Norwegian headers: text columns as strings, ``år`` int64,
    ``verdi`` float64, ``anslag`` bool."""
    import io

    typed = frame[COLUMNS].astype({c: "string" for c in COLUMNS if _dtype(c) == "object"})
    typed = typed.astype({"year": "int64", "value": "float64", "estimate": "bool"})
    typed = typed.rename(columns=HEADERS)
    buffer = io.BytesIO()
    typed.to_parquet(buffer, engine="pyarrow", index=False, compression="zstd")
    return buffer.getvalue()


def _years(frame: pd.DataFrame) -> list[int]:
    return [int(frame["year"].min()), int(frame["year"].max())] if len(frame) else []


def _aap_months(indicator: str) -> str | None:
    """Which of NAV's months an AAP indicator is from: ``"latest"`` (the newest month of the
    snapshot), a month number (``"12"``: that month of every year), ``None`` for others."""
    spec = register_doc()["measures"].get(ind.register()[indicator].numerator or "", {})
    return str(spec["aap"]) if "aap" in spec else None


def _aap_month(indicator: str, months: tuple[str, ...]) -> str:
    """The month an AAP indicator's value is from, for the metadata («desember hvert år»,
    «oktober 2025»); "" for other indicators."""
    which = _aap_months(indicator)
    if which is None:
        return ""
    if which == "latest":
        return month(months[-1]) if months else ""
    return f"{MONTHS[int(which) - 1]} hvert år"


def _indicator_metadata(
    frame: pd.DataFrame, unavailable: Mapping[str, str], aap_months: tuple[str, ...] = ()
) -> list[Any]:
    out = []
    by_indicator = {k: g for k, g in frame.groupby("indicator", sort=False)}
    for spec in ind.register().values():
        rows = by_indicator.get(spec.id)
        entry: dict[str, Any] = {
            "id": spec.id,
            "name": spec.name,
            "label": spec.label,
            "unit": spec.unit,
            "decimals": spec.decimals,
            "better": spec.better,
            "definition": " ".join(spec.definition.split()),
            "source_tables": source_tables(rows["source"]) if rows is not None else [],
            "years": _years(rows) if rows is not None else [],
        }
        if when := _aap_month(spec.id, aap_months):
            entry["month"] = when
        if rows is not None:
            counts = rows["status"].value_counts()
            entry["values"] = int(rows["value"].notna().sum())
            entry["missing"] = {s: int(counts[s]) for s in sorted(counts.index) if s}
            entry["estimates"] = int(rows["estimate"].sum())
        if spec.id in unavailable:
            entry["unavailable"] = unavailable[spec.id]
        out.append(entry)
    return out


def _metadata(
    frame: pd.DataFrame, provenance: NationalProvenance, files: Mapping[str, bytes]
) -> dict[str, Any]:
    csv_format = {
        "separator": ";",
        "decimal": ",",
        "encoding": "UTF-8 med byte order mark (utf-8-sig)",
        "line_terminator": "CRLF",
        "header": "én rad med kolonnenavnene (se «columns»)",
        "missing": "tom celle; status sier hvorfor",
        "read_with": {
            "pandas": 'pd.read_csv(path, sep=";", decimal=",", dtype={"kommunenr": str})',
            "R": 'read.csv2(path, fileEncoding = "UTF-8-BOM", '
            'colClasses = c(kommunenr = "character"))',
        },
    }
    doc: dict[str, Any] = {
        "title": "navbok: indikatorer for sosialtjenesten i alle kommuner",
        "description": (
            "Hver indikator i navbok for hver kommune (gjeldende inndeling) og hvert år, med "
            "SSBs statussymbol der tallet mangler. Tidligere års tall er harmonisert til "
            "dagens kommuner; tall fordelt etter innbyggere fra en kommune som ble delt, er "
            "merket som anslag."
        ),
        "synthetic": provenance.synthetic,
    }
    if provenance.synthetic:
        doc["warning"] = SYNTHETIC_WARNING
        doc["synthetic_files"] = list(provenance.synthetic_files)
    doc.update(
        {
            "fetched_at": provenance.fetched_at,
            "municipalities": {
                "count": int(frame["kommune"].nunique()),
                "vintage": provenance.vintage,
            },
            "years": _years(frame),
            "rows": len(frame),
            "licence": LICENCE,
            "status_symbols": STATUS_TEXT,
            "columns": COLUMN_TEXT,
            "files": {
                CSV_NAME: {
                    "format": "CSV",
                    **csv_format,
                    "bytes": len(files[CSV_NAME]),
                    "sha256": hashlib.sha256(files[CSV_NAME]).hexdigest(),
                },
                PARQUET_NAME: {
                    "format": "Apache Parquet (zstd)",
                    "types": {
                        "år": "int64",
                        "verdi": "float64",
                        "anslag": "bool",
                        "andre": "string",
                    },
                    "bytes": len(files[PARQUET_NAME]),
                    "sha256": hashlib.sha256(files[PARQUET_NAME]).hexdigest(),
                },
            },
            "indicators": _indicator_metadata(
                frame, dict(provenance.unavailable), provenance.aap_months
            ),
        }
    )
    return doc


def write_national(
    frame: pd.DataFrame, dest_dir: str | os.PathLike[str], provenance: NationalProvenance
) -> dict[str, Path]:
    """Write the CSV, Parquet and metadata files of :func:`national_frame` into ``dest_dir``.

    Returns the written paths by file name. Raises :class:`NationalError` for a frame without
    the expected columns or a folder that cannot be written."""
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise NationalError(f"The national table lacks the column(s) {', '.join(missing)}")
    frame = frame[COLUMNS]
    if (frame["value"].notna() & (frame["status"] != "")).any():
        raise NationalError("The national table has a value with a status symbol")
    files = {CSV_NAME: _csv_bytes(frame), PARQUET_NAME: _parquet_bytes(frame)}
    meta = _metadata(frame, provenance, files)
    files[METADATA_NAME] = (json.dumps(meta, ensure_ascii=False, indent=1) + "\n").encode()
    dest = Path(dest_dir)
    out = {}
    try:
        dest.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            write_atomic(dest / name, content)
            out[name] = dest / name
    except OSError as exc:
        if exc.filename is None:
            exc.filename = str(dest)
        raise NationalError(os_error_message(exc, "the national downloads")) from None
    return out
