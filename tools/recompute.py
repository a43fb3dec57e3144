"""Recompute headline figures from the raw snapshot, independently of navbok, and compare them
with the built pages.

Plain ``json``, ``pandas`` and ``openpyxl`` over the files in the snapshot (SSB's JSON-stat
bodies, their metadata, NAV's AAP155 workbooks): no navbok code is imported. Contents are found
by their labels in each table's metadata. The pages' figures are read from the CSV downloads
inlined in the built HTML (``_build/<kommune>/html/chapters/*.html``), which carry the numbers
behind every figure at full precision.

    python tools/recompute.py --snapshot data/snapshot --build _build --kommuner 3201,3909,0301,1151

Prints one line per figure and exits 1 when a figure differs (or is shown where the raw data
has none, or the reverse). A figure the raw data hides may be left out of the book; a KOSTRA
group whose only member is the municipality is compared with the municipality's own line.
Figures are for the newest year of 13995 in municipalities whose
code is the same in that year as in the register (no harmonisation is needed for them): where
SSB publishes the figure (shares, durations, per recipient or inhabitant) the page must show
SSB's own figure; the others are recomputed from counts and population.
"""

from __future__ import annotations

import argparse
import base64
import html
import io
import itertools
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd

CSV_LINK = re.compile(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"[^>]*download="([^"]+)"')


# -- the raw snapshot ----------------------------------------------------------------------------


def read_dataset(path: Path) -> pd.DataFrame:
    """A JSON-stat 2.0 body as a long frame (one column per dimension, then ``value``)."""
    doc = json.loads(path.read_text("utf-8"))
    dims = doc["id"]
    codes = []
    for d in dims:
        index = doc["dimension"][d]["category"].get("index")
        if index is None:
            index = list(doc["dimension"][d]["category"]["label"])
        if isinstance(index, dict):
            index = sorted(index, key=index.get)
        codes.append(list(index))
    values = doc["value"]
    if isinstance(values, dict):
        n = 1
        for c in codes:
            n *= len(c)
        values = [values.get(str(i)) for i in range(n)]
    frame = pd.DataFrame(list(itertools.product(*codes)), columns=dims)
    frame["value"] = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce")
    return frame


def table(snapshot: Path, table_id: str) -> pd.DataFrame:
    """All data chunks of an SSB table."""
    paths = sorted(
        p for p in (snapshot / "ssb").glob(f"{table_id}*.json") if "metadata" not in p.name
    )
    return pd.concat([read_dataset(p) for p in paths], ignore_index=True)


def labels(snapshot: Path, table_id: str) -> dict[str, str]:
    """ContentsCode → label from the table's metadata body."""
    doc = json.loads((snapshot / "ssb" / f"{table_id}.metadata.json").read_text("utf-8"))
    return dict(doc["dimension"]["ContentsCode"]["category"]["label"])


def plain(label: str) -> str:
    """A label compared loosely: lower case, «tilfeller» read as «mottakere», no « (antall)»."""
    text = label.lower().replace("tilfeller", "mottakere").replace("tilfelle", "mottaker")
    text = text.replace("–", "-")
    return re.sub(r"\s*\((antall|måneder|1 000 kr|kr|prosent)\)$", "", text).strip()


@dataclass
class Raw:
    """The raw snapshot, read plainly."""

    snapshot: Path

    def __post_init__(self) -> None:
        self.tables: dict[str, pd.DataFrame] = {}

    def content(self, table_id: str, label: str) -> pd.Series:
        """Values of the content labelled ``label`` in a table, by (region, year)."""
        wanted = [c for c, lab in labels(self.snapshot, table_id).items() if plain(lab) == label]
        if len(wanted) != 1:
            raise SystemExit(f"recompute: {table_id} has {len(wanted)} contents «{label}»")
        if table_id not in self.tables:
            self.tables[table_id] = table(self.snapshot, table_id)
        f = self.tables[table_id]
        f = f[f["ContentsCode"] == wanted[0]]
        return f.set_index(["KOKkommuneregion0000", f["Tid"].astype(int)])["value"]

    def population(self, code: str, tid: int, lo: int, hi: int) -> float:
        """Persons aged lo–hi in a region on 1 January ``tid`` (07459)."""
        if "07459" not in self.tables:
            self.tables["07459"] = table(self.snapshot, "07459")
        f = self.tables["07459"]
        f = f[(f["Region"] == code) & (f["Tid"] == str(tid))]
        age = f["Alder"].str.extract(r"^(\d+)")[0].astype(int)
        return float(f[age.between(lo, hi)]["value"].sum())

    def aap_december(self, code: str, year: int) -> float:
        """NAV's AAP recipients in December of ``year`` (AAP155, sheet «1. Kommune. Antall»)."""
        path = self.snapshot / "nav" / f"AAP155-{year}.xlsx"
        sheet = openpyxl.load_workbook(path, read_only=True, data_only=True)["1. Kommune. Antall"]
        months: list[str] = []
        for row in sheet.iter_rows(values_only=True):
            cells = list(row)
            if len(cells) > 2 and cells[2] == "Januar":
                months = [str(c) for c in cells[2:] if c]
            label = str(cells[1] or "") if len(cells) > 1 else ""
            if label.startswith(code + " ") and "Desember" in months:
                value = cells[2 + months.index("Desember")]
                return float(value) if isinstance(value, int | float) else float("nan")
        return float("nan")

    def kostra_group(self, code: str) -> tuple[str, list[str]]:
        """The municipality's KOSTRA group in the newest scheme and the group's members
        (KLASS 112 → 131: sourceCode is the group, targetCode the municipality)."""
        newest = sorted((self.snapshot / "klass").glob("112-correspondsAt-131-*.json"))[-1]
        items = json.loads(newest.read_text("utf-8"))["correspondenceItems"]
        group = next(i["sourceCode"] for i in items if i["targetCode"] == code)
        return group, sorted({i["targetCode"] for i in items if i["sourceCode"] == group})

    def names(self) -> dict[str, str]:
        """Municipality code → name (the newest KLASS register), as the book writes it."""
        newest = sorted((self.snapshot / "klass").glob("131-codesAt-*.json"))[-1]
        codes = json.loads(newest.read_text("utf-8"))["codes"]
        return {c["code"]: c["name"].split(" - ")[0] for c in codes}


def recompute(raw: Raw, code: str, year: int) -> dict[str, tuple[str, str, float]]:
    """The headline figures of one municipality: name → (download, row label, value)."""
    sos = "13995"
    key = "14019"

    def get(table_id: str, label: str) -> float:
        return float(raw.content(table_id, label).get((code, year), float("nan")))

    pop_1866 = raw.population(code, year + 1, 18, 66)
    n = get(sos, "sosialhjelpsmottakere")
    paid = get(sos, "samlet stønadssum (bidrag + lån)")
    bands = ["25-29", "30-39", "40-49", "50-66"]
    band_n = [get(sos, f"sosialhjelpsmottakere {b} år") for b in bands]
    band_d = [get(sos, f"gjennomsnittlig stønadslengde, mottakere {b} år") for b in bands]
    band_months = sum(0.0 if c == 0 else c * d for c, d in zip(band_n, band_d, strict=True))
    six = get(sos, "mottakere med sosialhjelp i 6 måneder eller mer")
    aap = raw.aap_december(code, year)
    group, members = raw.kostra_group(code)
    paid_all = raw.content(sos, "samlet stønadssum (bidrag + lån)")
    # SSB's own group total (it includes members SSB hides), over the members' population:
    # SSB publishes no population of a group.
    group_paid = float(paid_all.get((group, year), float("nan")))
    group_pop = sum(raw.population(m, year + 1, 18, 66) for m in members)
    # SSB's published figures: the book shows them for a municipality whose code did not change
    # (these are), and recomputes only what SSB does not publish.
    share = "andelen sosialhjelpsmottakere"
    return {
        "Utbetalt per innbygger 18–66 år, KOSTRA-gruppen (kr)": (
            "utbetalingsvekst/utbetalt-per-innbygger",
            f"KOSTRA-gruppe {int(group[3:])}",
            group_paid * 1000 / group_pop,
        ),
        "Utbetalt per innbygger 18–66 år (kr)": (
            "utbetalingsvekst/utbetalt-per-innbygger",
            "",
            paid * 1000 / pop_1866,
        ),
        "Stønad per mottaker (kr), SSB": (
            "utbetalingsvekst/stonad-per-mottaker",
            "",
            get(key, "stønad (bidrag + lån) per sosialhjelpsmottaker"),
        ),
        "Netto driftsutgifter per innbygger 18–66 år (kr), SSB": (
            "utbetalingsvekst/netto-driftsutgifter",
            "",
            get(
                key,
                "netto driftsutgifter til sosialtjenesten (f242, 243, 273, 276, 281) per "
                "innbygger 18-66 år",
            ),
        ),
        "Andel mottakere 18–24 år (%), SSB": (
            "utbetalingsvekst/dekningsgrad-18-24",
            "",
            get(key, f"{share} 18-24 år, av innbyggerne 18-24 år"),
        ),
        "Andel mottakere 25–66 år (%), SSB": (
            "utbetalingsvekst/dekningsgrad-25-66",
            "",
            get(key, f"{share} 25-66 år, av innbyggerne 25-66 år"),
        ),
        "Andel mottakere 18–66 år (%), SSB": (
            "utbetalingsvekst/dekningsgrad-18-66",
            "",
            get(key, f"{share} i forhold til innbyggere i alderen 18-66 år"),
        ),
        "Stønadslengde, alle (mnd), SSB": (
            "langtidsmottakere/stonadslengde-grupper",
            "Alle mottakere",
            get(sos, "gjennomsnittlig stønadslengde"),
        ),
        "Stønadslengde 25–66 år (mnd), vektet snitt av aldersgruppene": (
            "langtidsmottakere/stonadslengde-grupper",
            "25–66 år",
            band_months / sum(band_n),
        ),
        "Andel med stønad 6 mnd+ (%)": ("langtidsmottakere/andel-6mnd", "", six / n * 100),
        "KVP-mottakere per 1 000 innb. 18–66, SSB": (
            "kvp/kvp-per-1000",
            "",
            get(key, "antall mottakere av kvalifiseringsstønad per 1 000 innbyggere 18-66 år"),
        ),
        "AAP-andel desember (%)": ("aap/aap-andel", "", aap / pop_1866 * 100),
    }


# -- the built pages -----------------------------------------------------------------------------


def downloads(build: Path, code: str) -> dict[str, pd.DataFrame]:
    """Every CSV download of a built book: «chapter/name» → frame (comment lines skipped)."""
    out = {}
    for page in sorted((build / code / "html" / "chapters").glob("*.html")):
        for data, name in CSV_LINK.findall(page.read_text("utf-8")):
            text = base64.b64decode(html.unescape(data)).decode("utf-8-sig")
            lines = [line for line in text.splitlines() if not line.startswith("#")]
            frame = pd.read_csv(io.StringIO("\n".join(lines)), sep=";", dtype=str)
            out[f"{page.stem}/{name.removesuffix('.csv')}"] = frame
    return out


def shown(frame: pd.DataFrame, row: str, year: int) -> float:
    """The value of a wide download (``Serie`` × years) for one series and year."""
    first = frame.columns[0]
    hit = frame[frame[first] == row]
    if hit.empty or str(year) not in frame.columns:
        raise KeyError(f"{row} {year}")
    text = str(hit.iloc[0][str(year)]).replace("\u2212", "-").replace(" ", "").replace(",", ".")
    try:
        return float(text)
    except ValueError:  # «:», «..», «.» or empty: not shown
        return float("nan")


def agree(a: float, b: float) -> bool:
    """Equal within rounding: 0,5 % relative, or 0,006 absolute for small shares."""
    if a != a or b != b:
        return a != a and b != b
    return abs(a - b) <= max(0.005 * abs(a), 0.006)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshot", type=Path, default=Path("data/snapshot"))
    parser.add_argument("--build", type=Path, default=Path("_build"))
    parser.add_argument("--kommuner", default="3201,3909,0301,1151")
    args = parser.parse_args(argv)
    raw = Raw(args.snapshot)
    names = raw.names()
    year = int(max(raw.content("13995", "sosialhjelpsmottakere").index.get_level_values(1)))
    failures = checked = 0
    for code in args.kommuner.split(","):
        pages = downloads(args.build, code)
        for figure, (download, row, value) in recompute(raw, code, year).items():
            row = row or names[code]
            try:
                on_page = shown(pages[download], row, year)
            except KeyError as exc:
                if value != value:  # hidden or missing in the raw data: the book may leave it out
                    checked += 1
                    print(f"ok   {code} {names[code]:8s} {year} {figure:48s} skjult/mangler, "
                          "ikke vist")  # fmt: skip
                    continue
                if row.startswith("KOSTRA-gruppe") and raw.kostra_group(code)[1] == [code]:
                    # a group of one is the municipality itself: the book shows its own line
                    row = names[code]
                    try:
                        on_page = shown(pages[download], row, year)
                    except KeyError:
                        pass
                    else:
                        checked += 1
                        ok = agree(value, on_page)
                        failures += not ok
                        print(f"{'ok  ' if ok else 'FEIL'} {code} {names[code]:8s} {year} "
                              f"{figure:48s} (gruppe = kommunen) regnet {value:14.4f}  "
                              f"siden {on_page:14.4f}")  # fmt: skip
                        continue
                print(f"FEIL {code} {figure}: siden mangler nedlastingen eller raden {exc}")
                failures += 1
                continue
            checked += 1
            ok = agree(value, on_page)
            failures += not ok
            print(f"{'ok  ' if ok else 'FEIL'} {code} {names[code]:8s} {year} {figure:48s} "
                  f"regnet {value:14.4f}  siden {on_page:14.4f}")  # fmt: skip
    print(f"{checked} tall sjekket, {failures} avvik.")
    return 1 if failures or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
