"""Complete or refused (issue 26, item 3): answers that are incomplete together stop the fetch.

A register that lacks municipalities, a KOSTRA grouping that lacks members, an AAP155 workbook
with a county block or a code the register does not know, a required measure missing or
ambiguous: each answer reads on its own, so only a check across them finds the gap. Each case
ends in one line, the previous snapshot byte for byte as it was, and no wrong number; with
``--godta-mangler`` the fetch goes on and names the gaps.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pandas as pd
import pytest
from aap155 import COUNTS, edit, find_row
from minireplay import AAP_HREF
from openpyxl.workbook.workbook import Workbook
from test_snapshot import leftovers, tree
from typer.testing import CliRunner

from navbok import snapshot as snap
from navbok.cli import app
from navbok.completeness import (
    IncompleteFetch,
    Registers,
    aap_gaps,
    accepted_gaps,
    kostra_gaps,
    register_gaps,
)
from navbok.snapshot import Snapshot
from navbok.sources import nav
from navbok.sources.origin import RecordedSource

runner = CliRunner()
REGISTER_2024 = "klass/131-codesAt-2024-01-01.json"
GROUPS_2024 = "klass/112-correspondsAt-131-2024-01-01.json"
CURRENT_AAP = "nav/" + unquote(AAP_HREF[1:])


@pytest.fixture
def rec(mini_replay: Path, tmp_path: Path) -> Path:
    """A copy of the mini recording as the services serve it (no ``nav/arkiv/``)."""
    return shutil.copytree(mini_replay, tmp_path / "rec", ignore=shutil.ignore_patterns("arkiv"))


@pytest.fixture
def previous(rec: Path, tmp_path: Path) -> Path:
    """A complete snapshot fetched from ``rec`` before the answers go wrong."""
    return snap.fetch(RecordedSource(rec), tmp_path / "data" / "snapshot")


def change_json(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    doc = json.loads(path.read_bytes())
    change(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")


def keep_codes(keep: int) -> Callable[[dict[str, Any]], None]:
    """A register cut to its first ``keep`` municipalities (as an answer cut short)."""
    return lambda doc: doc.update(codes=doc["codes"][:keep])


def drop_member(code: str) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        items = doc["correspondenceItems"]
        doc["correspondenceItems"] = [i for i in items if i["targetCode"] != code]

    return change


def extra_block(
    number: str, name: str, members: list[tuple[str, str]]
) -> Callable[[Workbook], None]:
    """A county block «I alt <number> <name>» with ``members`` added before the Ukjent block of
    the count sheet (500 recipients a month in the rollup)."""

    def change(wb: Workbook) -> None:
        ws = wb[COUNTS]
        at = find_row(ws, "I alt Ukjent") - 1  # the Ukjent block's month header
        months = [c.value for c in ws[at]][2:]
        ws.insert_rows(at, 3 + len(members))
        for col, month in enumerate(months, start=3):
            ws.cell(row=at, column=col, value=month)
            ws.cell(row=at + 1, column=col, value=500)
            for k, _ in enumerate(members):
                ws.cell(row=at + 2 + k, column=col, value=500 // max(len(members), 1))
        ws.cell(row=at + 1, column=2, value=f"I alt {number} {name}")
        for k, (code, label) in enumerate(members):
            ws.cell(row=at + 2 + k, column=2, value=f"{code} {label}")

    return change


def landet(s: Snapshot) -> float:
    period = s.aap_periods()[-1]
    f = s.aap(period)
    return float(f.loc[f["region"] == "EAK", "value"].iloc[0])


BREAKS: dict[str, tuple[Callable[[Path], None], str]] = {
    "register cut short": (
        lambda rec: change_json(rec / REGISTER_2024, keep_codes(3)),
        "KLASS-kommunelisten 2024-01-01 mangler 4 kommuner som listen 2020-01-01 har og ingen "
        "endring i KLASS-endringslisten tar bort (3201 Bærum, 3203 Asker, 3907 Sandefjord, 3909 "
        "Larvik)",
    ),
    "grouping lacks a member": (
        lambda rec: change_json(rec / GROUPS_2024, drop_member("3201")),
        "KOSTRA-grupperingen 2024-01-01 (KLASS 112 → 131) mangler 1 av 7 kommuner (3201 Bærum)",
    ),
    "AAP155 with a county block that is no county": (
        lambda rec: (rec / CURRENT_AAP).write_bytes(
            edit((rec / CURRENT_AAP).read_bytes(), extra_block("99", "Annet", []))
        ),
        "AAP155 2025 (AAP155-2025.xlsx): fylkesblokken «I alt 99 Annet» hører ikke til noe "
        "fylke i KLASS-kommunelisten for 2025",
    ),
    "AAP155 with a code the register lacks": (
        lambda rec: (rec / CURRENT_AAP).write_bytes(
            edit(
                (rec / CURRENT_AAP).read_bytes(),
                extra_block("46", "Vestland", [("4601", "Bergen")]),
            )
        ),
        "AAP155 2025 (AAP155-2025.xlsx): 1 kommunenummer finnes ikke i KLASS-kommunelisten for "
        "2025 (4601 Bergen)",
    ),
}


@pytest.mark.parametrize("case", list(BREAKS))
def test_an_incomplete_answer_refuses_the_swap_in_one_line(
    rec: Path, previous: Path, case: str
) -> None:
    brk, expected = BREAKS[case]
    before = tree(previous)
    brk(rec)
    with pytest.raises(IncompleteFetch) as info:
        snap.fetch(RecordedSource(rec), previous)
    message = str(info.value)
    assert message.startswith("Svarene er ufullstendige: ") and expected in message, message
    assert message.endswith(
        f"Snapshotet i {previous} er ikke endret. Prøv igjen senere, eller godta mangelen med "
        "`navbok fetch --godta-mangler`."
    )
    assert "\n" not in message
    assert tree(previous) == before and leftovers(previous.parent) == []
    Snapshot.open(previous)


def test_an_unknown_county_block_never_reaches_landet(rec: Path, previous: Path) -> None:
    """Landet = county rollups + Ukjent: a block that is no county would raise it."""
    right = landet(Snapshot.open(previous))
    BREAKS["AAP155 with a county block that is no county"][0](rec)
    with pytest.raises(IncompleteFetch):
        snap.fetch(RecordedSource(rec), previous)
    assert landet(Snapshot.open(previous)) == right
    # accepted on purpose, the figure changes, and the manifest says why
    s = Snapshot.open(snap.fetch(RecordedSource(rec), previous, accept_gaps=True))
    assert landet(s) == right + 500
    assert any("«I alt 99 Annet»" in g for g in accepted_gaps(s.manifest))


def ambiguous(rec: Path) -> None:
    """13995 gets a second content with the label of «stønadsmåneder»."""

    def change(meta: dict[str, Any]) -> None:
        cat = meta["dimension"]["ContentsCode"]["category"]
        code = next(c for c, label in cat["label"].items() if label.startswith("Stønadsmåneder"))
        cat["index"]["XKOSkopi0000"] = len(cat["index"])
        cat["label"]["XKOSkopi0000"] = cat["label"][code]
        cat["unit"]["XKOSkopi0000"] = cat["unit"][code]
        meta["size"][meta["id"].index("ContentsCode")] += 1

    change_json(rec / "ssb" / "13995.metadata.json", change)


def test_cli_refuses_an_ambiguous_required_measure_and_accepts_it_on_request(
    rec: Path, previous: Path
) -> None:
    ambiguous(rec)
    before = tree(previous)
    args = ["fetch", "--from", str(rec), "--snapshot", str(previous)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith("navbok: Svarene er ufullstendige: SSB-tabell 13995: målet ")
    assert "passer til flere innhold" in line and "--godta-mangler" in line
    assert tree(previous) == before

    result = runner.invoke(app, [*args, "--godta-mangler"])
    assert result.exit_code == 0, result.output
    assert "Merk (godtatt mangel, --godta-mangler): SSB-tabell 13995: målet " in result.stdout
    s = Snapshot.open(previous)
    assert any("passer til flere innhold" in g for g in accepted_gaps(s.manifest))


def test_godta_mangler_is_documented() -> None:
    result = runner.invoke(app, ["fetch", "--help"], terminal_width=200)
    assert "--godta-mangler" in result.output


def test_a_first_fetch_that_is_incomplete_writes_nothing(rec: Path, tmp_path: Path) -> None:
    change_json(rec / GROUPS_2024, drop_member("3201"))
    dest = tmp_path / "new" / "snapshot"
    with pytest.raises(IncompleteFetch, match=f"Ingen snapshot er skrevet til {dest}\\."):
        snap.fetch(RecordedSource(rec), dest)
    assert not dest.exists()


# -- the rules on their own ------------------------------------------------------------------------


def registers(codes: dict[str, list[str]], changes: list[tuple[str, str, str]]) -> Registers:
    frame = pd.DataFrame(changes, columns=["old", "new", "date"])
    frame["date"] = pd.to_datetime(frame["date"])
    return Registers({d: dict.fromkeys(c, "") for d, c in codes.items()}, frame, "2025-01-01")


def test_register_rules() -> None:
    ok = registers(
        {"2015-01-01": ["0219", "0709", "0728"], "2020-01-01": ["3024", "3805"]},
        [("0709", "0712", "2018-01-01"), ("0728", "0712", "2018-01-01"),
         ("0712", "3805", "2020-01-01"), ("0219", "3024", "2020-01-01")],
    )  # fmt: skip
    assert register_gaps(ok, {}) == []
    assert ok.valid_on("2019-01-01") == {"0219", "0712"}
    assert ok.valid_on("2014-01-01") is None
    # a municipality that vanishes without a change record, one that appears without one
    bad = registers({"2015-01-01": ["0219", "0301"], "2020-01-01": ["3024", "4601"]},
                    [("0219", "3024", "2020-01-01")])  # fmt: skip
    assert register_gaps(bad, {}) == [
        "KLASS-kommunelisten 2020-01-01 mangler 1 kommune som listen 2015-01-01 har og ingen "
        "endring i KLASS-endringslisten tar bort (0301)",
        "KLASS-kommunelisten 2015-01-01 mangler 1 kommune som listen 2020-01-01 har og som ikke "
        "er nye i KLASS-endringslisten (4601)",
    ]
    # the previous snapshot's register of the same date held more
    assert register_gaps(ok, {"2020-01-01": {"3024": "Bærum", "3805": "", "0301": "Oslo"}}) == [
        "KLASS-kommunelisten 2020-01-01 mangler 1 kommune som den samme listen i snapshotet fra "
        "før har (0301 Oslo)"
    ]


def test_kostra_rules() -> None:
    reg = registers({"2024-01-01": ["0301", "3201", "3203"]}, [])
    groups = pd.DataFrame({"code": ["0301", "3201", "3201"], "group": ["EKG13", "EKG12", "EKG11"]})
    assert kostra_gaps(reg, {"2024-01-01": groups}) == [
        "KOSTRA-grupperingen 2024-01-01 (KLASS 112 → 131) mangler 1 av 3 kommuner (3203)",
        "KOSTRA-grupperingen 2024-01-01 (KLASS 112 → 131) gir 1 kommune mer enn én gruppe (3201)",
    ]


def test_aap_rules_misplaced_municipality() -> None:
    reg = registers({"2024-01-01": ["0301", "3201"]}, [])
    frame = pd.DataFrame({"region": ["0301", "3201", "EAK"], "name": ["Oslo", "Bærum", "Landet"]})
    book = nav.Aap155(2025, [1], frame, {}, False, "",
                      counties={"03": ("Oslo", ("0301", "3201"))})  # fmt: skip
    assert aap_gaps(reg, {"x.xlsx": book}) == [
        "AAP155 2025 (x.xlsx): 1 kommune står under et annet fylke enn nummeret sier "
        "(3201 under «I alt 03»)"
    ]
    assert aap_gaps(reg, {"x.xlsx": dataclass_replace(book, year=2014)}) == []  # no register


def dataclass_replace(book: nav.Aap155, **changes: Any) -> nav.Aap155:
    import dataclasses

    return dataclasses.replace(book, **changes)


def test_the_recording_is_complete() -> None:
    import os

    from navbok.completeness import fetch_gaps, read_registers
    from navbok.sources.catalogue import catalogue

    source = os.environ.get("NAVBOK_SOURCE")
    if not source:
        pytest.skip("NAVBOK_SOURCE is not set")
    root = Path(source)
    cat = catalogue()
    reg = read_registers(root, cat)
    assert register_gaps(reg, {}) == []
    assert fetch_gaps(root, cat, {"measures": []}, None) == []
    books = {p.name: nav.read_aap155(p.read_bytes()) for p in root.glob("nav/**/*.xlsx")}
    assert len(books) == 11 and aap_gaps(reg, books) == []
