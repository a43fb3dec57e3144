"""A small recorded-response directory in the layout of ``../shared/replay-v2``, made by code.

``build_minireplay(root)`` writes ``ssb/`` (07459, 13138+13995, 12210+12213+14019, each with its
metadata body), ``klass/`` (131 registers and changes, 112 → 131 KOSTRA groups) and ``nav/``
(NAV's AAP page linking the current AAP155 workbook, and older workbooks in ``nav/arkiv/``) for
a handful of municipalities chosen to exercise every kind of code change:

* Oslo 0301 (unchanged); Bærum 0219 → 3024 (2020) → 3201 (2024);
* Asker 0220 + Røyken 0627 + Hurum 0628 → 3025 (2020) → 3203 (2024);
* Larvik 0709 + Lardal 0728 → 0712 (2018) → 3805 (2020) → 3909 (2024);
* Sandefjord 0706 + Andebu 0719 + Stokke 0720 → 0710 (2017) → 3804 (2020) → 3907 (2024);
* Ålesund 1504 + Haram 1534 → 1507 (2020) → split 1508 (Ålesund) + 1580 (Haram) (2024).

Every number derives from the historic «units» in :data:`UNITS`: a code's count is the sum over its
units, ratios are ratios of sums. A unit's recipients in year y are ``base * (10 + y - 2015) / 10``
(:func:`recipients`); months = duration × recipients; payout (1 000 kr) = 10 × months. Population
18–66 of a unit at 1.1. of ``tid`` is ``pop * (100 + tid - 2015) / 100`` (:func:`population`),
keyed to 2024 codes in 07459. Lardal 0728 is suppressed («:») in 2016; Oslo has no completed KVP
in 2015 (zero denominator «.»); 14019 revises Oslo's KOSbolinnv0000 for 2022 (+7); EAK publishes
:data:`EAK_PUBLISHED_SHARE` as its KOSandelsosmott0000 (not the ratio of its counts).

ContentsCodes that SOURCES.md does not call verified carry other codes here than in the
recording (:func:`code`: ``XKOS…``), so that a test passes only if navbok finds contents by
their labels. 25–66 recipients come in four age bands with their own durations (no 25–66
duration, as in 13995); «10 måneder eller mer» is not published (as in the real tables).
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from urllib.parse import unquote

# unit: (name, base recipients, duration in months, population 18-66, AAP rate in %)
UNITS = {
    "0301": ("Oslo - Oslove", 5000, 6, 500_000, 2.7),
    "0219": ("Bærum", 1000, 5, 80_000, 1.9),
    "0220": ("Asker", 500, 5, 40_000, 3.3),
    "0627": ("Røyken", 200, 4, 15_000, 3.3),
    "0628": ("Hurum", 100, 3, 5_000, 3.3),
    "0709": ("Larvik", 400, 5, 28_000, 3.0),
    "0728": ("Lardal", 50, 4, 2_000, 3.0),
    "0706": ("Sandefjord", 300, 5, 30_000, 3.0),
    "0719": ("Andebu", 50, 4, 5_000, 3.0),
    "0720": ("Stokke", 100, 4, 5_000, 3.0),
    "1504": ("Ålesund", 600, 5, 60_000, 3.0),
    "1534": ("Haram", 100, 4, 10_000, 3.0),
    "rest": ("Resten av landet", 20_000, 5, 2_000_000, 3.0),
}
ASKER, LARVIK, SANDEFJORD, ALESUND = (
    ["0220", "0627", "0628"],
    ["0709", "0728"],
    ["0706", "0719", "0720"],
    ["1504", "1534"],
)
# code: (name, first year, last year (2024 = still valid), units)
CODES = {
    "0301": ("Oslo - Oslove", 2015, 2024, ["0301"]),
    "0219": ("Bærum", 2015, 2019, ["0219"]),
    "3024": ("Bærum", 2020, 2023, ["0219"]),
    "3201": ("Bærum", 2024, 2024, ["0219"]),
    "0220": ("Asker", 2015, 2019, ["0220"]),
    "0627": ("Røyken", 2015, 2019, ["0627"]),
    "0628": ("Hurum", 2015, 2019, ["0628"]),
    "3025": ("Asker", 2020, 2023, ASKER),
    "3203": ("Asker", 2024, 2024, ASKER),
    "0709": ("Larvik", 2015, 2017, ["0709"]),
    "0728": ("Lardal", 2015, 2017, ["0728"]),
    "0712": ("Larvik", 2018, 2019, LARVIK),
    "3805": ("Larvik", 2020, 2023, LARVIK),
    "3909": ("Larvik", 2024, 2024, LARVIK),
    "0706": ("Sandefjord", 2015, 2016, ["0706"]),
    "0719": ("Andebu", 2015, 2016, ["0719"]),
    "0720": ("Stokke", 2015, 2016, ["0720"]),
    "0710": ("Sandefjord", 2017, 2019, SANDEFJORD),
    "3804": ("Sandefjord", 2020, 2023, SANDEFJORD),
    "3907": ("Sandefjord", 2024, 2024, SANDEFJORD),
    "1504": ("Ålesund", 2015, 2019, ["1504"]),
    "1534": ("Haram", 2015, 2019, ["1534"]),
    "1507": ("Ålesund", 2020, 2023, ALESUND),
    "1508": ("Ålesund", 2024, 2024, ["1504"]),
    "1580": ("Haram", 2024, 2024, ["1534"]),
}
COUNTIES = {
    "03": "Oslo",
    "02": "Akershus",
    "06": "Buskerud",
    "07": "Vestfold",
    "30": "Viken",
    "15": "Møre og Romsdal",
    "38": "Vestfold og Telemark",
    "32": "Akershus",
    "39": "Vestfold",
}
MUNIS = [u for u in UNITS if u != "rest"]
OLD_GROUPS = {
    "EKG13": ["0219", "0220", "0709", "0706", "1504"],
    "EKG12": ["0627", "0628", "0728", "0719", "0720", "1534"],
    "EKG15": ["0301"],
}
NEW_GROUPS = {
    "EKG13": ["0301"],
    "EKG12": ["0219", *ASKER],
    "EKG11": [*LARVIK, *SANDEFJORD, "1504"],
    "EKG05": ["1534"],
}
SUPPRESSED = {("0728", 2016)}  # (code, year): every cell ":" (1-3 recipients)
EAK_PUBLISHED_SHARE = 3.21
REVISED = ("0301", "KOSbolinnv0000", 2022, 7)  # 14019 = 12210 + 7
AGES = {"000": 1, "017": 1, "018": 1, "024": 1, "025": 4, "066": 4, "067": 1, "105+": 0.1}
AAP_YEARS = range(2015, 2026)  # 2025 is the current year (January–October)
AAP_CURRENT, AAP_CURRENT_MONTHS = 2025, 10
VERIFIED = {
    "KOSsosantkliente0000",
    "KOSant18240000",
    "KOSsosgjantmnd0000",
    "KOSgjsnitt18240000",
    "KOSgj25290000",
    "KOSgjsnittvklo0000",
}
SOS = [
    ("KOSsosantkliente0000", 0),
    ("KOSsosant18240000", 0),
    ("KOSsosant25660000", 0),
    ("KOSsosant25290000", 0),
    ("KOSsosant30390000", 0),
    ("KOSsosant40490000", 0),
    ("KOSsosant50660000", 0),
    ("KOSsosant67over0000", 0),
    ("KOSsamletstonad0000", 0),
    ("KOSbidrag0000", 0),
    ("KOSlaan0000", 0),
    ("KOSstonadmnd0000", 0),
    ("KOSsosgjantmnd0000", 1),
    ("KOSgjsnitt18240000", 1),
    ("KOSgj25290000", 1),
    ("KOSgj30390000", 1),
    ("KOSgj40490000", 1),
    ("KOSgj50660000", 1),
    ("KOSgjsnittvklo0000", 1),
    ("KOSvkloshjelp0000", 0),
    ("KOSvkloarbinnt0000", 0),
    ("KOSstonad6mnd0000", 0),
    ("KOSforsbarn0000", 0),
    ("KOSindplan0000", 0),
    ("KOSutbetmnd0000", 0),
]
KEY = [
    ("KOSandelsosmott0000", 2),
    ("KOSandel18240000", 2),
    ("KOSandel25660000", 2),
    ("KOSnettosos0000", 0),
    ("KOSnetto2810000", 0),
    ("KOSnetto2430000", 0),
    ("KOSnetto2760000", 0),
    ("KOSstonadpermott0000", 0),
    ("KOSkvpper10000000", 2),
    ("KOSkvparbutd0000", 2),
    ("KOSokradgiv0000", 2),
    ("KOSbolignv0000", 2),
    ("KOSnettososbel0000", 0),
    ("KOSnetto281bel0000", 0),
    ("KOSnetto243bel0000", 0),
    ("KOSnetto276bel0000", 0),
    ("KOSkvpmott0000", 0),
    ("KOSkvpavsl0000", 0),
    ("KOSkvpavslarb0000", 0),
    ("KOSokradarsv0000", 2),
    ("KOSbolsok0000", 0),
    ("KOSbolinnv0000", 0),
]
KEY_12210 = [("KOSsosantkliente0000", 0), ("KOSant18240000", 0), *KEY]
KEY_14019 = [
    ("KOSsosantkliente0000", 0),
    ("KOSforsbarn0000", 0),
    ("KOSstonad6mnd0000", 0),
    ("KOSlangtid6vklo0000", 0),
    ("KOSsamletstonad0000", 0),
    *KEY,
]
LANGTID = [("KOSlangtid6vklo0000", 0)]
# Labels as in the 2015–2021 tables; 13995 and 14019 say «tilfeller» (:func:`label`).
LABELS = {
    "KOSsosantkliente0000": "Sosialhjelpsmottakere (antall)",
    "KOSant18240000": "Sosialhjelpsmottakere 18-24 år (antall)",
    "KOSsosant18240000": "Sosialhjelpsmottakere 18-24 år (antall)",
    "KOSsosant25660000": "Sosialhjelpsmottakere 25-66 år (antall)",
    "KOSsosant25290000": "Sosialhjelpsmottakere 25-29 år (antall)",
    "KOSsosant30390000": "Sosialhjelpsmottakere 30-39 år (antall)",
    "KOSsosant40490000": "Sosialhjelpsmottakere 40-49 år (antall)",
    "KOSsosant50660000": "Sosialhjelpsmottakere 50-66 år (antall)",
    "KOSsosant67over0000": "Sosialhjelpsmottakere 67 år og over (antall)",
    "KOSsamletstonad0000": "Samlet stønadssum (bidrag + lån) (1 000 kr)",
    "KOSbidrag0000": "Økonomisk sosialhjelp, bidrag (1 000 kr)",
    "KOSlaan0000": "Økonomisk sosialhjelp, lån (1 000 kr)",
    "KOSstonadmnd0000": "Stønadsmåneder (antall)",
    "KOSsosgjantmnd0000": "Gjennomsnittlig stønadslengde (måneder)",
    "KOSgjsnitt18240000": "Gjennomsnittlig stønadslengde, mottakere 18-24 år (måneder)",
    "KOSgj25290000": "Gjennomsnittlig stønadslengde, mottakere 25-29 år (måneder)",
    "KOSgj30390000": "Gjennomsnittlig stønadslengde, mottakere 30-39 år (måneder)",
    "KOSgj40490000": "Gjennomsnittlig stønadslengde, mottakere 40-49 år (måneder)",
    "KOSgj50660000": "Gjennomsnittlig stønadslengde, mottakere 50-66 år (måneder)",
    "KOSgjsnittvklo0000": "Gjennomsnittlig stønadslengde, mottakere med sosialhjelp som "
    "viktigste kilde til livsopphold (måneder)",
    "KOSvkloshjelp0000": "Mottakere med sosialhjelp som viktigste kilde til livsopphold (antall)",
    "KOSvkloarbinnt0000": "Mottakere med arbeidsinntekt som viktigste kilde til livsopphold "
    "(antall)",
    "KOSstonad6mnd0000": "Mottakere med sosialhjelp i 6 måneder eller mer (antall)",
    "KOSforsbarn0000": "Mottakere som forsørger barn under 18 år (antall)",
    "KOSindplan0000": "Mottakere med individuell plan (antall)",
    "KOSutbetmnd0000": "Utbetaling per stønadsmåned (kr)",
    "KOSlangtid6vklo0000": "Mottakere med sosialhjelp i 6 måneder eller mer og sosialhjelp som "
    "hovedinntekt (antall)",
    "KOSandelsosmott0000": "Andelen sosialhjelpsmottakere i forhold til innbyggere i alderen "
    "18-66 år (prosent)",
    "KOSandel18240000": "Andelen sosialhjelpsmottakere 18-24 år, av innbyggerne 18-24 år (prosent)",
    "KOSandel25660000": "Andelen sosialhjelpsmottakere 25-66 år, av innbyggerne 25-66 år (prosent)",
    "KOSnettosos0000": "Netto driftsutgifter til sosialtjenesten (f242, 243, 273, 276, 281) per "
    "innbygger 18-66 år (kr)",
    "KOSnetto2810000": "Netto driftsutgifter til ytelse til livsopphold (f281) per innbygger "
    "18-66 år (kr)",
    "KOSnetto2430000": "Netto driftsutgifter til tilbud til personer med rusproblemer (f243) per "
    "innbygger 18-66 år (kr)",
    "KOSnetto2760000": "Netto driftsutgifter til kvalifiseringsordningen (f276) per innbygger "
    "18-66 år (kr)",
    "KOSstonadpermott0000": "Stønad (bidrag + lån) per sosialhjelpsmottaker (kr)",
    "KOSkvpper10000000": "Antall mottakere av kvalifiseringsstønad per 1 000 innbyggere 18-66 år",
    "KOSkvparbutd0000": "Andel deltakere som gikk til arbeid, skole eller utdanning etter "
    "avsluttet kvalifiseringsprogram (prosent)",
    "KOSokradgiv0000": "Årsverk til økonomisk rådgivning per 1 000 langtidsmottakere (6 måneder "
    "eller mer)",
    "KOSbolignv0000": "Andel søknader om kommunal bolig som er innvilget (prosent)",
    "KOSnettososbel0000": "Netto driftsutgifter til sosialtjenesten (f242, 243, 273, 276, 281) "
    "(1 000 kr)",
    "KOSnetto281bel0000": "Netto driftsutgifter til ytelse til livsopphold (f281) (1 000 kr)",
    "KOSnetto243bel0000": "Netto driftsutgifter til tilbud til personer med rusproblemer (f243) "
    "(1 000 kr)",
    "KOSnetto276bel0000": "Netto driftsutgifter til kvalifiseringsordningen (f276) (1 000 kr)",
    "KOSkvpmott0000": "Mottakere av kvalifiseringsstønad i løpet av året (antall)",
    "KOSkvpavsl0000": "Deltakere som avsluttet kvalifiseringsprogrammet (antall)",
    "KOSkvpavslarb0000": "Deltakere som gikk til arbeid, skole eller utdanning etter avsluttet "
    "kvalifiseringsprogram (antall)",
    "KOSokradarsv0000": "Årsverk til økonomisk rådgivning",
    "KOSbolsok0000": "Søknader om kommunal bolig (antall)",
    "KOSbolinnv0000": "Søknader om kommunal bolig som er innvilget (antall)",
}
TITLES = {
    "13138": "13138: Sosialhjelpsmottakere, utbetalt beløp og stønadstid (K) (avslutta serie)",
    "13995": "13995: Sosialhjelpstilfeller, utbetalt beløp og stønadstid (K)",
    "12210": "12210: Utvalgte nøkkeltall for sosialtjenesten (K) (avslutta serie)",
    "12213": "12213: Sosialhjelpsmottakere 6 måneder eller mer og sosialhjelp som hovedinntekt "
    "(K) (avslutta serie)",
    "14019": "14019: Utvalgte nøkkeltall for sosialtjenesten (K)",
}
CASES = {"13995", "14019"}  # tables that count «tilfeller»


def code(content: str) -> str:
    """The ContentsCode the mini replay uses: verified codes as SSB's, others changed."""
    return content if content in VERIFIED else "X" + content


def label(content: str, table: str) -> str:
    """A content's label in ``table`` («tilfeller» from 2022, as SSB writes them)."""
    text = LABELS[content]
    if table in CASES and "kvalifiseringsstønad" not in text:
        text = (
            text.replace("Sosialhjelpsmottakere", "Sosialhjelpstilfeller")
            .replace("langtidsmottakere", "langtidstilfeller")
            .replace("Mottakere", "Tilfeller")
            .replace(" mottakere", " tilfeller")
            .replace("sosialhjelpsmottaker ", "sosialhjelpstilfelle ")
        )
    return text


NOTE = "SYNTETISKE DATA: laget av tests/minireplay.py for tester, ikke SSB-tall."


def recipients(unit: str, year: int) -> int:
    """Recipients of a unit in a statistics year."""
    return UNITS[unit][1] * (10 + year - 2015) // 10


def population(unit: str, tid: int) -> int:
    """Population 18-66 of a unit on 1 January of ``tid``."""
    return UNITS[unit][3] * (100 + tid - 2015) // 100


def valid(code: str, year: int) -> bool:
    _, first, last, _ = CODES[code]
    return first <= year and (year <= last or last == 2024)


def _counts(units: list[str], year: int) -> dict[str, float]:
    c: dict[str, float] = {}
    for u in units:
        m, d, pop = recipients(u, year), UNITS[u][2], population(u, year + 1)
        kvp = 0 if (u, year) == ("0301", 2015) else m // 5
        m2566 = 3 * m // 5
        bands = [m2566 // 6, m2566 // 3, m2566 // 4]
        bands.append(m2566 - sum(bands))
        for k, v in {
            "M": m,
            "M1824": m // 5,
            "M2566": m2566,
            "M67": m // 5,
            "mnd": d * m,
            "b1": bands[0],
            "b2": bands[1],
            "b3": bands[2],
            "b4": bands[3],
            "mb1": (d - 1) * bands[0],
            "mb2": d * bands[1],
            "mb3": d * bands[2],
            "mb4": (d + 1) * bands[3],
            "m1824": d * (m // 5),
            "m2566": d * (3 * m // 5),
            "vklo": m // 5,
            "mvklo": (d + 1) * (m // 5),
            "m6": 2 * m // 5,
            "utb": 10 * d * m,
            "pop": pop,
            "nsos": 20 * m,
            "n281": 10 * m,
            "n243": 5 * m,
            "n276": 2 * m,
            "kvp": m // 5,
            "avsl": kvp,
            "arb": kvp // 2,
            "okr": m / 1000,
            "sok": m // 5,
            "innv": m // 10,
        }.items():
            c[k] = c.get(k, 0) + v
    return c


def _div(a: float, b: float, scale: float, dec: int) -> tuple[float | None, str | None]:
    return (None, ".") if b == 0 else (round(a / b * scale, dec), None)


def _cells(units: list[str], year: int) -> dict[str, tuple[float | None, str | None]]:
    c = _counts(units, year)
    cells = {
        code: (c[k], None)
        for code, k in [
            ("KOSsosantkliente0000", "M"),
            ("KOSsosant18240000", "M1824"),
            ("KOSant18240000", "M1824"),
            ("KOSsosant25660000", "M2566"),
            ("KOSsosant67over0000", "M67"),
            ("KOSsosant25290000", "b1"),
            ("KOSsosant30390000", "b2"),
            ("KOSsosant40490000", "b3"),
            ("KOSsosant50660000", "b4"),
            ("KOSsamletstonad0000", "utb"),
            ("KOSstonadmnd0000", "mnd"),
            ("KOSvkloshjelp0000", "vklo"),
            ("KOSvkloarbinnt0000", "vklo"),
            ("KOSstonad6mnd0000", "m6"),
            ("KOSindplan0000", "vklo"),
            ("KOSlangtid6vklo0000", "vklo"),
            ("KOSforsbarn0000", "sok"),
            ("KOSnettososbel0000", "nsos"),
            ("KOSnetto281bel0000", "n281"),
            ("KOSnetto243bel0000", "n243"),
            ("KOSnetto276bel0000", "n276"),
            ("KOSkvpmott0000", "kvp"),
            ("KOSkvpavsl0000", "avsl"),
            ("KOSkvpavslarb0000", "arb"),
            ("KOSokradarsv0000", "okr"),
            ("KOSbolsok0000", "sok"),
            ("KOSbolinnv0000", "innv"),
        ]
    }
    cells["KOSbidrag0000"], cells["KOSlaan0000"] = (c["utb"] * 0.9, None), (c["utb"] * 0.1, None)
    for code, a, b, scale, dec in [
        ("KOSsosgjantmnd0000", "mnd", "M", 1, 1),
        ("KOSgjsnitt18240000", "m1824", "M1824", 1, 1),
        ("KOSgj25290000", "mb1", "b1", 1, 1),
        ("KOSgj30390000", "mb2", "b2", 1, 1),
        ("KOSgj40490000", "mb3", "b3", 1, 1),
        ("KOSgj50660000", "mb4", "b4", 1, 1),
        ("KOSgjsnittvklo0000", "mvklo", "vklo", 1, 1),
        ("KOSutbetmnd0000", "utb", "mnd", 1000, 0),
        ("KOSandel18240000", "M1824", "pop", 500, 2),
        ("KOSandel25660000", "M2566", "pop", 125, 2),
        ("KOSnettosos0000", "nsos", "pop", 1000, 0),
        ("KOSnetto2810000", "n281", "pop", 1000, 0),
        ("KOSnetto2430000", "n243", "pop", 1000, 0),
        ("KOSnetto2760000", "n276", "pop", 1000, 0),
        ("KOSstonadpermott0000", "utb", "M", 1000, 0),
        ("KOSkvpper10000000", "kvp", "pop", 1000, 2),
        ("KOSkvparbutd0000", "arb", "avsl", 100, 2),
        ("KOSokradgiv0000", "okr", "m6", 1000, 2),
        ("KOSbolignv0000", "innv", "sok", 100, 2),
    ]:
        cells[code] = _div(c[a], c[b], scale, dec)
    cells["KOSandelsosmott0000"] = _div(c["M1824"] + c["M2566"], c["pop"], 100, 2)
    return cells


def _aggregates(year: int) -> dict[str, list[str]]:
    groups = OLD_GROUPS if year <= 2019 else NEW_GROUPS
    aggs = {
        "EAK": [*MUNIS, "rest"],
        "EAKUO": [u for u in MUNIS if u != "0301"] + ["rest"],
        "EKG12": groups["EKG12"],
        "EKG13": groups["EKG13"],
    }
    if year >= 2024:
        aggs["EKA32"] = ["0219", *ASKER]
    return aggs


def _dataset(
    title: str,
    dims: dict[str, list[str]],
    labels: dict[str, dict[str, str]],
    cell,
    units: dict[str, dict],
    synthetic: bool,
) -> dict:
    values, status = [], {}
    for i, key in enumerate(itertools.product(*dims.values())):
        v, s = cell(*key)
        values.append(v)
        if s:
            status[str(i)] = s
    dimension = {
        d: {
            "label": d,
            "category": {
                "index": {c: i for i, c in enumerate(codes)},
                "label": {c: labels.get(d, {}).get(c, c) for c in codes},
            },
        }
        for d, codes in dims.items()
    }
    dimension["ContentsCode"]["category"]["unit"] = units
    geo = next(iter(dims))
    doc = {
        "version": "2.0",
        "class": "dataset",
        "label": title,
        "source": "Statistisk sentralbyrå",
        "updated": "2025-06-12T06:00:00Z",
        "note": [NOTE] if synthetic else [],
        "role": {"time": ["Tid"], "geo": [geo], "metric": ["ContentsCode"]},
        "id": list(dims),
        "size": [len(c) for c in dims.values()],
        "dimension": dimension,
        "extension": {"synthetic": synthetic, "px": {"tableid": title[:5]}},
        "value": values,
    }
    if status:
        doc["status"] = status
    return doc


def metadata(doc: dict) -> dict:
    """The metadata body of a data body: the same dataset without ``value`` and ``status``."""
    return {k: v for k, v in doc.items() if k not in ("value", "status")}


def kostra_table(
    table: str,
    years: range,
    contents: list[tuple[str, int]],
    *,
    synthetic: bool = True,
    old: bool = True,
) -> dict:
    """One KOSTRA table (13138, 13995, 12210, 12213, 14019) as a JSON-stat 2.0 dict."""
    codes = [c for c in CODES if old or CODES[c][2] >= 2020]
    regions = ["EAK", "EAKUO", "EKG12", "EKG13", "EKA32", *codes]
    cache: dict[tuple[str, int], dict] = {}
    original = {code(c): c for c, _ in contents}

    def cell(region: str, content: str, tid: str) -> tuple[float | None, str | None]:
        year = int(tid)
        content = original[content]
        members = (
            _aggregates(year).get(region)
            if region.startswith("E")
            else (CODES[region][3] if valid(region, year) else None)
        )
        if members is None:
            return None, ".."
        if (region, year) in SUPPRESSED:
            return None, ":"
        if (region, year) not in cache:
            cache[region, year] = _cells(members, year)
        v, s = cache[region, year][content]
        if (region, content) == ("EAK", "KOSandelsosmott0000"):
            v = EAK_PUBLISHED_SHARE
        if table == "14019" and (region, content, year) == REVISED[:3]:
            v += REVISED[3]
        return v, s

    labels = {
        "KOKkommuneregion0000": {
            c: f"{n} ({f}-{'' if last == 2024 else last})" for c, (n, f, last, _) in CODES.items()
        }
        | {"EAK": "Landet"},
        "ContentsCode": {code(c): label(c, table) for c, _ in contents},
    }
    units = {code(c): {"base": "personer", "decimals": d} for c, d in contents}
    dims = {
        "KOKkommuneregion0000": regions,
        "ContentsCode": [code(c) for c, _ in contents],
        "Tid": [str(y) for y in years],
    }
    return _dataset(TITLES[table], dims, labels, cell, units, synthetic)


def population_table() -> dict:
    """07459 keyed to 2024 codes for every year (like the recording), Kjonn 0, reduced ages."""
    munis = {c: v[3] for c, v in CODES.items() if v[2] == 2024}
    counties = {
        k: [u for c, us in munis.items() if c[:2] == k for u in us]
        for k in ["03", "32", "39", "15"]
    }
    regions = {"0": [*MUNIS, "rest"]} | counties | munis

    def cell(region: str, _k: str, age: str, _c: str, tid: str) -> tuple[int, None]:
        pop = sum(population(u, int(tid)) for u in regions[region])
        return int(pop * AGES[age]) // 10, None

    dims = {
        "Region": list(regions),
        "Kjonn": ["0"],
        "Alder": list(AGES),
        "ContentsCode": ["Personer1"],
        "Tid": [str(t) for t in range(2015, 2026)],
    }
    units = {"Personer1": {"base": "personer", "decimals": 0}}
    labels = {"ContentsCode": {"Personer1": "Personer"}}
    return _dataset(
        "07459: Befolkning, etter region, kjønn, alder og år", dims, labels, cell, units, False
    )


def tables(synthetic: bool = True) -> dict[str, dict]:
    """Every SSB table of the mini replay by table id."""
    return {
        "07459": population_table(),
        "13138": kostra_table("13138", range(2015, 2022), SOS, synthetic=synthetic),
        "13995": kostra_table("13995", range(2022, 2025), SOS, synthetic=synthetic, old=False),
        "12210": kostra_table("12210", range(2015, 2023), KEY_12210, synthetic=synthetic),
        "12213": kostra_table("12213", range(2015, 2022), LANGTID, synthetic=synthetic),
        "14019": kostra_table(
            "14019", range(2022, 2025), KEY_14019, synthetic=synthetic, old=False
        ),
    }


def _codes_at(year: int) -> dict:
    items = [(c, CODES[c][0]) for c in sorted(CODES) if valid(c, year)] + [("9999", "Uoppgitt")]
    return {
        "codes": [
            {
                "code": c,
                "parentCode": None,
                "level": "1",
                "name": n,
                "shortName": "",
                "presentationName": "",
                "validFrom": None,
                "validTo": None,
                "notes": "",
            }
            for c, n in items
        ]
    }


def _changes() -> dict:
    rows = [
        {
            "oldCode": old,
            "oldName": o[0],
            "oldShortName": None,
            "newCode": new,
            "newName": n[0],
            "newShortName": None,
            "changeOccurred": f"{o[2] + 1}-01-01",
        }
        for old, o in CODES.items()
        if o[2] < 2024
        for new, n in CODES.items()
        if n[1] == o[2] + 1 and set(n[3]) & set(o[3])
    ]
    return {"codeChanges": sorted(rows, key=lambda r: (r["changeOccurred"], r["oldCode"]))}


def _kostra_groups(year: int, synthetic: bool) -> dict:
    """KLASS 112 (KOSTRA groups) → 131 (municipalities) correspondsAt, as SSB answers it."""
    groups = OLD_GROUPS if year == 2019 else NEW_GROUPS
    items = [
        {
            "sourceCode": g,
            "sourceName": f"KOSTRA-gruppe {int(g[3:])}",
            "sourceShortName": "",
            "targetCode": c,
            "targetName": CODES[c][0],
            "targetShortName": "",
            "validFrom": f"{year}-01-01",
            "validTo": None,
        }
        for g, us in groups.items()
        for c in sorted(CODES)
        if valid(c, year) and CODES[c][3][0] in us
    ]
    doc = {"correspondenceItems": items}
    return {"synthetic": True, **doc} if synthetic else doc


AAP_HREF = "/_/attachment/inline/0000-mini:abc/AAP155%20Mottakere.xlsx"
AAP_PAGE = (
    '<!DOCTYPE html><html lang="no"><body><main><h1>Arbeidsavklaringspenger (AAP)</h1><ul>'
    "<li>AAP155 Mottakere av arbeidsavklaringspenger. Kommune. "
    f'<a class="aksel-link" href="{AAP_HREF[:-5]}.pdf">PDF</a> '
    f'<a class="aksel-link" href="{AAP_HREF}">Excel</a></li></ul></main></body></html>'
)


def aap_tid(year: int, month: int) -> int:
    """The 1 January whose population NAV's share uses (the current year: its own)."""
    return year + 1 if month >= 7 and year != AAP_CURRENT else year


def aap_count(unit: str, year: int, month: int) -> int:
    """AAP recipients of a unit in a month: population 18–66 × the unit's rate (February and
    December exactly; the other months a little more)."""
    if (unit, year, month) == ("0728", 2016, 12):
        return 3  # suppressed («*») in NAV's workbook
    wobble = 0 if month in (2, 12) else month
    return round(population(unit, aap_tid(year, month)) * UNITS[unit][4] / 100) + wobble


def aap_months(year: int) -> list[int]:
    """Months of a year's workbook (the current year to October)."""
    return list(range(1, (AAP_CURRENT_MONTHS if year == AAP_CURRENT else 12) + 1))


def aap_workbook(year: int, synthetic: bool = True) -> bytes:
    """NAV's AAP155 workbook of ``year`` in NAV's layout (tests/aap155.py)."""
    from aap155 import workbook

    months = aap_months(year)
    counties: dict[str, tuple[str, list]] = {}
    for c in sorted((c for c in CODES if valid(c, year)), key=lambda c: (c[:2], c)):
        units = CODES[c][3]
        counts = [sum(aap_count(u, year, m) for u in units) for m in months]
        shares = [
            round(n / sum(population(u, aap_tid(year, m)) for u in units) * 100, 1)
            for n, m in zip(counts, months, strict=True)
        ]
        counties.setdefault(c[:2], (COUNTIES[c[:2]], []))[1].append(
            (c, CODES[c][0], counts, shares)
        )
    # The rest of the country has no municipality code of its own here: its recipients are
    # counted in Ukjent, so that Landet (the county rollups + Ukjent) holds them and every
    # county block and code is one of the register (navbok.completeness).
    unknown = [20 + m + aap_count("rest", year, m) for m in months]
    return workbook(year, months, counties, unknown, synthetic=synthetic)


def files(synthetic: bool = True) -> dict[str, bytes]:
    """Every file of the mini replay: relative path → bytes."""

    def js(doc: dict) -> bytes:
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")

    out: dict[str, bytes] = {}
    for t, doc in tables(synthetic).items():
        out[f"ssb/{t}.json"] = js(doc)
        out[f"ssb/{t}.metadata.json"] = js(metadata(doc))
    out |= {f"klass/131-codesAt-{y}-01-01.json": js(_codes_at(y)) for y in (2015, 2020, 2024, 2026)}
    out["klass/131-changes-2015-01-01-2025-01-01.json"] = js(_changes())
    out |= {
        f"klass/112-correspondsAt-131-{y}-01-01.json": js(_kostra_groups(y, synthetic))
        for y in (2019, 2024)
    }
    out["nav/aap-statistikk.html"] = AAP_PAGE.encode("utf-8")
    out["nav/" + unquote(AAP_HREF[1:])] = aap_workbook(AAP_CURRENT, synthetic)
    out |= {
        f"nav/arkiv/AAP155-{y}.xlsx": aap_workbook(y, synthetic)
        for y in AAP_YEARS
        if y != AAP_CURRENT
    }
    return out


def build_minireplay(root: Path, *, synthetic: bool = True, truncate: str | None = None) -> Path:
    """Write the mini replay under ``root`` and return it.

    ``truncate`` names one file (e.g. ``"ssb/13995.json"``) to cut to half its length, as an
    interrupted download would leave it.
    """
    root = Path(root)
    for name, content in files(synthetic).items():
        if name == truncate:
            content = content[: len(content) // 2]
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)
    return root
