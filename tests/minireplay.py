"""A small recorded-response directory in the exact layout of ``../shared/replay``, made by code.

``build_minireplay(root)`` writes ``ssb/`` (07459, 13138+13995, 12210+14019), ``klass/`` and
``nav/`` for a handful of municipalities chosen to exercise every kind of code change:

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
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

# unit: (name, base recipients, duration in months, population 18-66, AAP rate in %)
UNITS = {
    "0301": ("Oslo - Oslove", 5000, 6, 500_000, 2.7), "0219": ("Bærum", 1000, 5, 80_000, 1.9),
    "0220": ("Asker", 500, 5, 40_000, 3.3), "0627": ("Røyken", 200, 4, 15_000, 3.3),
    "0628": ("Hurum", 100, 3, 5_000, 3.3), "0709": ("Larvik", 400, 5, 28_000, 3.0),
    "0728": ("Lardal", 50, 4, 2_000, 3.0), "0706": ("Sandefjord", 300, 5, 30_000, 3.0),
    "0719": ("Andebu", 50, 4, 5_000, 3.0), "0720": ("Stokke", 100, 4, 5_000, 3.0),
    "1504": ("Ålesund", 600, 5, 60_000, 3.0), "1534": ("Haram", 100, 4, 10_000, 3.0),
    "rest": ("Resten av landet", 20_000, 5, 2_000_000, 3.0),
}
ASKER, LARVIK, SANDEFJORD, ALESUND = ["0220", "0627", "0628"], ["0709", "0728"], [
    "0706", "0719", "0720"], ["1504", "1534"]
# code: (name, first year, last year (2024 = still valid), units)
CODES = {
    "0301": ("Oslo - Oslove", 2015, 2024, ["0301"]), "0219": ("Bærum", 2015, 2019, ["0219"]),
    "3024": ("Bærum", 2020, 2023, ["0219"]), "3201": ("Bærum", 2024, 2024, ["0219"]),
    "0220": ("Asker", 2015, 2019, ["0220"]), "0627": ("Røyken", 2015, 2019, ["0627"]),
    "0628": ("Hurum", 2015, 2019, ["0628"]), "3025": ("Asker", 2020, 2023, ASKER),
    "3203": ("Asker", 2024, 2024, ASKER), "0709": ("Larvik", 2015, 2017, ["0709"]),
    "0728": ("Lardal", 2015, 2017, ["0728"]), "0712": ("Larvik", 2018, 2019, LARVIK),
    "3805": ("Larvik", 2020, 2023, LARVIK), "3909": ("Larvik", 2024, 2024, LARVIK),
    "0706": ("Sandefjord", 2015, 2016, ["0706"]), "0719": ("Andebu", 2015, 2016, ["0719"]),
    "0720": ("Stokke", 2015, 2016, ["0720"]), "0710": ("Sandefjord", 2017, 2019, SANDEFJORD),
    "3804": ("Sandefjord", 2020, 2023, SANDEFJORD), "3907": ("Sandefjord", 2024, 2024, SANDEFJORD),
    "1504": ("Ålesund", 2015, 2019, ["1504"]), "1534": ("Haram", 2015, 2019, ["1534"]),
    "1507": ("Ålesund", 2020, 2023, ALESUND), "1508": ("Ålesund", 2024, 2024, ["1504"]),
    "1580": ("Haram", 2024, 2024, ["1534"]),
}
COUNTIES = {"03": "Oslo", "02": "Akershus", "06": "Buskerud", "07": "Vestfold", "30": "Viken",
            "15": "Møre og Romsdal", "38": "Vestfold og Telemark", "32": "Akershus",
            "39": "Vestfold"}
MUNIS = [u for u in UNITS if u != "rest"]
OLD_GROUPS = {"EKG13": ["0219", "0220", "0709", "0706", "1504"],
              "EKG12": ["0627", "0628", "0728", "0719", "0720", "1534"], "EKG15": ["0301"]}
NEW_GROUPS = {"EKG13": ["0301"], "EKG12": ["0219", *ASKER], "EKG11": [*LARVIK, *SANDEFJORD, "1504"],
              "EKG05": ["1534"]}
SUPPRESSED = {("0728", 2016)}  # (code, year): every cell ":" (1-3 recipients)
EAK_PUBLISHED_SHARE = 3.21
REVISED = ("0301", "KOSbolinnv0000", 2022, 7)  # 14019 = 12210 + 7
AGES = {"000": 1, "017": 1, "018": 1, "024": 1, "025": 4, "066": 4, "067": 1, "105+": 0.1}
AAP_PERIODS = ["2015-12", "2016-12", "2017-12", "2018-12", "2019-12", "2020-12", "2021-02",
               "2021-12", "2022-12", "2023-12", "2024-12"]
SOS = [("KOSsosantkliente0000", 0), ("KOSsosant18240000", 0), ("KOSsosant25660000", 0),
       ("KOSsosant67over0000", 0), ("KOSsamletstonad0000", 0), ("KOSbidrag0000", 0),
       ("KOSlaan0000", 0), ("KOSstonadmnd0000", 0), ("KOSsosgjantmnd0000", 1),
       ("KOSgjsnitt18240000", 1), ("KOSgjsnitt25660000", 1), ("KOSgjsnittvklo0000", 1),
       ("KOSvkloshjelp0000", 0), ("KOSvkloarbinnt0000", 0), ("KOSstonad6mnd0000", 0),
       ("KOSstonad10mnd0000", 0), ("KOSlangtid6vklo0000", 0), ("KOSlangtid10vklo0000", 0),
       ("KOSforsbarn0000", 0), ("KOSindplan0000", 0), ("KOSutbetmnd0000", 0)]
KEY = [("KOSandelsosmott0000", 2), ("KOSandel18240000", 2), ("KOSandel25660000", 2),
       ("KOSnettosos0000", 0), ("KOSnetto2810000", 0), ("KOSnetto2430000", 0),
       ("KOSnetto2760000", 0), ("KOSstonadpermott0000", 0), ("KOSkvpper10000000", 2),
       ("KOSkvparbutd0000", 2), ("KOSokradgiv0000", 2), ("KOSbolignv0000", 2),
       ("KOSnettososbel0000", 0), ("KOSnetto281bel0000", 0), ("KOSnetto243bel0000", 0),
       ("KOSnetto276bel0000", 0), ("KOSkvpmott0000", 0), ("KOSkvpavsl0000", 0),
       ("KOSkvpavslarb0000", 0), ("KOSokradarsv0000", 2), ("KOSbolsok0000", 0),
       ("KOSbolinnv0000", 0)]
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
        for k, v in {"M": m, "M1824": m // 5, "M2566": 3 * m // 5, "M67": m // 5, "mnd": d * m,
                     "m1824": d * (m // 5), "m2566": d * (3 * m // 5), "vklo": m // 5,
                     "mvklo": (d + 1) * (m // 5), "m6": 2 * m // 5, "utb": 10 * d * m, "pop": pop,
                     "nsos": 20 * m, "n281": 10 * m, "n243": 5 * m, "n276": 2 * m,
                     "kvp": m // 5, "avsl": kvp, "arb": kvp // 2, "okr": m / 1000,
                     "sok": m // 5, "innv": m // 10}.items():
            c[k] = c.get(k, 0) + v
    return c


def _div(a: float, b: float, scale: float, dec: int) -> tuple[float | None, str | None]:
    return (None, ".") if b == 0 else (round(a / b * scale, dec), None)


def _cells(units: list[str], year: int) -> dict[str, tuple[float | None, str | None]]:
    c = _counts(units, year)
    cells = {code: (c[k], None) for code, k in [
        ("KOSsosantkliente0000", "M"), ("KOSsosant18240000", "M1824"),
        ("KOSsosant25660000", "M2566"), ("KOSsosant67over0000", "M67"),
        ("KOSsamletstonad0000", "utb"), ("KOSstonadmnd0000", "mnd"), ("KOSvkloshjelp0000", "vklo"),
        ("KOSvkloarbinnt0000", "vklo"), ("KOSstonad6mnd0000", "m6"), ("KOSindplan0000", "vklo"),
        ("KOSstonad10mnd0000", "vklo"), ("KOSlangtid6vklo0000", "vklo"),
        ("KOSlangtid10vklo0000", "vklo"), ("KOSforsbarn0000", "sok"),
        ("KOSnettososbel0000", "nsos"),
        ("KOSnetto281bel0000", "n281"), ("KOSnetto243bel0000", "n243"),
        ("KOSnetto276bel0000", "n276"), ("KOSkvpmott0000", "kvp"), ("KOSkvpavsl0000", "avsl"),
        ("KOSkvpavslarb0000", "arb"), ("KOSokradarsv0000", "okr"), ("KOSbolsok0000", "sok"),
        ("KOSbolinnv0000", "innv")]}
    cells["KOSbidrag0000"], cells["KOSlaan0000"] = (c["utb"] * 0.9, None), (c["utb"] * 0.1, None)
    for code, a, b, scale, dec in [
        ("KOSsosgjantmnd0000", "mnd", "M", 1, 1), ("KOSgjsnitt18240000", "m1824", "M1824", 1, 1),
        ("KOSgjsnitt25660000", "m2566", "M2566", 1, 1),
        ("KOSgjsnittvklo0000", "mvklo", "vklo", 1, 1),
        ("KOSutbetmnd0000", "utb", "mnd", 1000, 0), ("KOSandel18240000", "M1824", "pop", 500, 2),
        ("KOSandel25660000", "M2566", "pop", 125, 2), ("KOSnettosos0000", "nsos", "pop", 1000, 0),
        ("KOSnetto2810000", "n281", "pop", 1000, 0), ("KOSnetto2430000", "n243", "pop", 1000, 0),
        ("KOSnetto2760000", "n276", "pop", 1000, 0), ("KOSstonadpermott0000", "utb", "M", 1000, 0),
        ("KOSkvpper10000000", "kvp", "pop", 1000, 2), ("KOSkvparbutd0000", "arb", "avsl", 100, 2),
        ("KOSokradgiv0000", "okr", "m6", 1000, 2), ("KOSbolignv0000", "innv", "sok", 100, 2)]:
        cells[code] = _div(c[a], c[b], scale, dec)
    cells["KOSandelsosmott0000"] = _div(c["M1824"] + c["M2566"], c["pop"], 100, 2)
    return cells


def _aggregates(year: int) -> dict[str, list[str]]:
    groups = OLD_GROUPS if year <= 2019 else NEW_GROUPS
    aggs = {"EAK": [*MUNIS, "rest"], "EAKUO": [u for u in MUNIS if u != "0301"] + ["rest"],
            "EKG12": groups["EKG12"], "EKG13": groups["EKG13"]}
    if year >= 2024:
        aggs["EKA32"] = ["0219", *ASKER]
    return aggs


def _dataset(label: str, dims: dict[str, list[str]], labels: dict[str, dict[str, str]],
             cell, units: dict[str, dict], synthetic: bool) -> dict:
    values, status = [], {}
    for i, key in enumerate(itertools.product(*dims.values())):
        v, s = cell(*key)
        values.append(v)
        if s:
            status[str(i)] = s
    dimension = {d: {"label": d, "category": {"index": {c: i for i, c in enumerate(codes)},
                                              "label": {c: labels.get(d, {}).get(c, c)
                                                        for c in codes}}}
                 for d, codes in dims.items()}
    dimension["ContentsCode"]["category"]["unit"] = units
    geo = next(iter(dims))
    doc = {"version": "2.0", "class": "dataset", "label": label, "source": "Statistisk sentralbyrå",
           "updated": "2025-06-12T06:00:00Z", "note": [NOTE] if synthetic else [],
           "role": {"time": ["Tid"], "geo": [geo], "metric": ["ContentsCode"]},
           "id": list(dims), "size": [len(c) for c in dims.values()], "dimension": dimension,
           "extension": {"synthetic": synthetic, "px": {"tableid": label[:5]}}, "value": values}
    if status:
        doc["status"] = status
    return doc


def kostra_table(table: str, years: range, contents: list[tuple[str, int]], *,
                 synthetic: bool = True, old: bool = True) -> dict:
    """One KOSTRA table (13138, 13995, 12210, 14019) as a JSON-stat 2.0 dict."""
    codes = [c for c in CODES if old or CODES[c][2] >= 2020]
    regions = ["EAK", "EAKUO", "EKG12", "EKG13", "EKA32", *codes]
    cache: dict[tuple[str, int], dict] = {}

    def cell(region: str, content: str, tid: str) -> tuple[float | None, str | None]:
        year = int(tid)
        members = _aggregates(year).get(region) if region.startswith("E") else (
            CODES[region][3] if valid(region, year) else None)
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

    labels = {"KOKkommuneregion0000": {c: f"{n} ({f}-{'' if last == 2024 else last})"
                                       for c, (n, f, last, _) in CODES.items()} | {"EAK": "Landet"}}
    units = {c: {"base": "personer", "decimals": d} for c, d in contents}
    dims = {"KOKkommuneregion0000": regions, "ContentsCode": [c for c, _ in contents],
            "Tid": [str(y) for y in years]}
    return _dataset(f"{table}: minireplay", dims, labels, cell, units, synthetic)


def population_table() -> dict:
    """07459 keyed to 2024 codes for every year (like the recording), Kjonn 0, reduced ages."""
    munis = {c: v[3] for c, v in CODES.items() if v[2] == 2024}
    counties = {k: [u for c, us in munis.items() if c[:2] == k for u in us]
                for k in ["03", "32", "39", "15"]}
    regions = {"0": [*MUNIS, "rest"]} | counties | munis

    def cell(region: str, _k: str, age: str, _c: str, tid: str) -> tuple[int, None]:
        pop = sum(population(u, int(tid)) for u in regions[region])
        return int(pop * AGES[age]) // 10, None

    dims = {"Region": list(regions), "Kjonn": ["0"], "Alder": list(AGES),
            "ContentsCode": ["Personer1"], "Tid": [str(t) for t in range(2015, 2026)]}
    units = {"Personer1": {"base": "personer", "decimals": 0}}
    return _dataset("07459: Befolkning", dims, {}, cell, units, False)


def tables(synthetic: bool = True) -> dict[str, dict]:
    """Every SSB table of the mini replay by table id."""
    return {"07459": population_table(),
            "13138": kostra_table("13138", range(2015, 2022), SOS, synthetic=synthetic),
            "13995": kostra_table("13995", range(2022, 2025), SOS, synthetic=synthetic, old=False),
            "12210": kostra_table("12210", range(2015, 2023), KEY, synthetic=synthetic),
            "14019": kostra_table("14019", range(2022, 2025), KEY, synthetic=synthetic, old=False)}


def _codes_at(year: int) -> dict:
    items = [(c, CODES[c][0]) for c in sorted(CODES) if valid(c, year)] + [("9999", "Uoppgitt")]
    return {"codes": [{"code": c, "parentCode": None, "level": "1", "name": n, "shortName": "",
                       "presentationName": "", "validFrom": None, "validTo": None, "notes": ""}
                      for c, n in items]}


def _changes() -> dict:
    rows = [{"oldCode": old, "oldName": o[0], "oldShortName": None, "newCode": new,
             "newName": n[0], "newShortName": None, "changeOccurred": f"{o[2] + 1}-01-01"}
            for old, o in CODES.items() if o[2] < 2024
            for new, n in CODES.items() if n[1] == o[2] + 1 and set(n[3]) & set(o[3])]
    return {"codeChanges": sorted(rows, key=lambda r: (r["changeOccurred"], r["oldCode"]))}


def _kostra_groups(year: int, synthetic: bool) -> dict:
    groups = OLD_GROUPS if year == 2019 else NEW_GROUPS
    items = [{"sourceCode": c, "sourceName": CODES[c][0], "sourceShortName": None,
              "targetCode": g, "targetName": f"KOSTRA-gruppe {g[3:]}", "targetShortName": None,
              "validFrom": f"{year}-01-01", "validTo": None}
             for c in sorted(CODES) if valid(c, year)
             for g, us in groups.items() if CODES[c][3][0] in us]
    doc = {"groups": {g: f"KOSTRA-gruppe {g[3:]}" for g in groups}, "correspondenceItems": items}
    return {"synthetic": True, **doc} if synthetic else doc


def aap_csv(period: str, synthetic: bool = True) -> bytes:
    """NAV's AAP table for a month: BOM, CRLF, title lines, county subtotals, «Landet», ``*``."""
    year = int(period[:4])
    tid = year + 1 if period.endswith("-12") else year
    count = {u: round(population(u, tid) * UNITS[u][4] / 100) for u in UNITS}
    if period == "2016-12":
        count["0728"] = 3
    title = "Mottakere av AAP etter fylke og kommune. " + period
    lines = [title + (". SYNTETISKE DATA" if synthetic else ""), "Kilde: NAV",
             "Fylke;Kommunenummer;Kommune;Antall;Andel av befolkningen 18-66 år"]

    def fmt(units: list[str]) -> str:
        n, pop = sum(count[u] for u in units), sum(population(u, tid) for u in units)
        return "*;*" if n < 4 else f"{n};{n / pop * 100:.1f}".replace(".", ",")

    codes = sorted((c for c in CODES if valid(c, year)), key=lambda c: (c[:2], c))
    for county, group in itertools.groupby(codes, key=lambda c: c[:2]):
        members = list(group)
        lines += [f"{COUNTIES[county]};{c};{CODES[c][0]};{fmt(CODES[c][3])}" for c in members]
        units = [u for c in members for u in CODES[c][3]]
        lines.append(f"{COUNTIES[county]};;{COUNTIES[county]} i alt;{fmt(units)}")
    lines.append(f"Landet;;Landet;{fmt(list(UNITS))}")
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def files(synthetic: bool = True) -> dict[str, bytes]:
    """Every file of the mini replay: relative path → bytes."""
    def js(doc: dict) -> bytes:
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")

    out = {f"ssb/{t}.json": js(doc) for t, doc in tables(synthetic).items()}
    out |= {f"klass/131-codesAt-{y}-01-01.json": js(_codes_at(y)) for y in (2015, 2020, 2024, 2026)}
    out["klass/131-changes-2015-01-01-2025-01-01.json"] = js(_changes())
    out |= {f"klass/kostragrupper-{y}.json": js(_kostra_groups(y, synthetic)) for y in (2019, 2024)}
    out |= {f"nav/aap-kommune-{p}.csv": aap_csv(p, synthetic) for p in AAP_PERIODS}
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
