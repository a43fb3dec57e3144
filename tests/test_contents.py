"""Contents found by their labels (navbok.contents), never by guessed codes; the register."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from navbok.availability import Availability
from navbok.contents import (
    AMBIGUOUS,
    MISMATCH,
    MISSING,
    RESOLVED,
    ContentSpec,
    content_specs,
    normalise_label,
    resolve_one,
)
from navbok.register import register_doc
from navbok.sources.metadata import TableMetadata, is_preliminary

ROOT = Path(__file__).resolve().parents[1]
#: ContentsCodes that ../shared/spec/SOURCES.md calls verified.
VERIFIED = {"KOSsosantkliente0000", "KOSant18240000", "KOSsosgjantmnd0000", "KOSgjsnitt18240000",
            "KOSgj25290000", "KOSgjsnittvklo0000", "KOSbelop0000"}  # fmt: skip


def meta(contents: dict[str, str], table: str = "13995") -> TableMetadata:
    return TableMetadata(
        table=table, title=f"{table}: test", updated="2025-06-12", dims=["ContentsCode"],
        codes={"ContentsCode": list(contents)}, labels={"ContentsCode": contents},
        units={c: {"base": "personer", "decimals": 0} for c in contents}, roles={},
    )  # fmt: skip


def spec(labels: list[str], code: str | None = None, optional: bool = False) -> ContentSpec:
    return ContentSpec("m", "sosialhjelp", ("13138", "13995"), tuple(labels), "personer", code,
                       optional)  # fmt: skip


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Sosialhjelpstilfeller (antall)", "Sosialhjelpsmottakere"),
        ("Sosialhjelpsmottakere 18–24 år (antall)", "sosialhjelpsmottakere 18-24 år"),
        ("Samlet stønadssum (bidrag + lån) (1 000 kr)", "Samlet stønadssum (bidrag + lån)"),
        ("Årsverk til økonomisk rådgivning per 1 000 langtidstilfeller (6 måneder eller mer)",
         "Årsverk til økonomisk rådgivning per 1 000 langtidsmottakere (6 måneder eller mer)"),
        ("Stønad (bidrag + lån) per sosialhjelpstilfelle (kr)",
         "Stønad (bidrag + lån) per sosialhjelpsmottaker"),
        ("Gjennomsnittlig  stønadslengde,\u00a0tilfeller 18 - 24 år (måneder)",
         "Gjennomsnittlig stønadslengde, mottakere 18-24 år"),
    ],
)  # fmt: skip
def test_labels_compare_across_wording_variants(a: str, b: str) -> None:
    assert normalise_label(a) == normalise_label(b)


def test_distinct_contents_stay_distinct() -> None:
    per_head = "Netto driftsutgifter til sosialtjenesten (f242, 243, 273, 276, 281) per innbygger 18-66 år (kr)"  # noqa: E501
    amount = "Netto driftsutgifter til sosialtjenesten (f242, 243, 273, 276, 281) (1 000 kr)"
    assert normalise_label(per_head) != normalise_label(amount)
    six = "Tilfeller med sosialhjelp i 6 måneder eller mer (antall)"
    assert normalise_label(six) != normalise_label(six.replace("6", "10"))


def test_resolved_by_label_whatever_the_code() -> None:
    m = meta({"ABC": "Sosialhjelpstilfeller 18-24 år (antall)", "DEF": "Stønadsmåneder (antall)"})
    r = resolve_one(spec(["Sosialhjelpsmottakere 18-24 år"]), m)
    assert (r.status, r.code, r.label, r.unit, r.decimals) == (
        RESOLVED, "ABC", "Sosialhjelpstilfeller 18-24 år (antall)", "personer", 0,
    )  # fmt: skip


def test_missing_names_the_closest_labels() -> None:
    m = meta({"A": "Tilfeller med sosialhjelp i 6 måneder eller mer (antall)", "B": "Noe annet"})
    r = resolve_one(spec(["Mottakere med sosialhjelp i 10 måneder eller mer"], optional=True), m)
    assert r.status == MISSING and r.optional
    assert r.candidates[0] == "Tilfeller med sosialhjelp i 6 måneder eller mer (antall)"
    assert "ingen innholdsvariabel i SSB-tabell 13995 har den forventede etiketten" in r.message()


def test_two_matching_contents_are_ambiguous() -> None:
    m = meta({"A": "Stønadsmåneder (antall)", "B": "Stønadsmåneder"})
    r = resolve_one(spec(["Stønadsmåneder"]), m)
    assert r.status == AMBIGUOUS and r.candidates == ["Stønadsmåneder (antall)", "Stønadsmåneder"]
    assert "flere innholdsvariabler" in r.message()


def test_a_pinned_code_must_carry_the_label() -> None:
    good = meta({"KOSsosantkliente0000": "Sosialhjelpstilfeller (antall)"})
    r = resolve_one(spec(["Sosialhjelpsmottakere"], code="KOSsosantkliente0000"), good)
    assert r.status == RESOLVED and r.pinned
    # SOURCES.md: one source labels 13995's code «per 1000 innbyggere» — then it is an error.
    other = meta({"KOSsosantkliente0000": "Sosialhjelpstilfeller per 1 000 innbyggere 18-66 år",
                  "X": "Sosialhjelpstilfeller (antall)"})  # fmt: skip
    r = resolve_one(spec(["Sosialhjelpsmottakere"], code="KOSsosantkliente0000"), other)
    assert r.status == MISMATCH and r.candidates == ["Sosialhjelpstilfeller (antall)"]
    assert "har ikke lenger den forventede etiketten" in r.message()
    gone = meta({"X": "Sosialhjelpstilfeller (antall)"})
    assert resolve_one(spec(["Sosialhjelpsmottakere"], code="KOSsosantkliente0000"),
                       gone).status == MISMATCH  # fmt: skip


def test_codes_are_case_insensitive() -> None:
    m = meta({"kossosantkliente0000": "Sosialhjelpstilfeller (antall)"})
    r = resolve_one(spec(["Sosialhjelpsmottakere"], code="KOSsosantkliente0000"), m)
    assert r.status == RESOLVED and r.code == "kossosantkliente0000"


def test_the_register_pins_only_verified_codes() -> None:
    pinned = {s.code for s in content_specs().values() if s.code}
    assert pinned <= VERIFIED, pinned - VERIFIED
    optional = {m for m, s in content_specs().items() if s.optional}
    assert {"mottakere_10mnd", "langtid_10mnd_hovedinntekt", "kvp_mottakere"} <= optional


def test_no_unverified_contents_code_in_the_package() -> None:
    """SOURCES.md: never depend on a ContentsCode it does not call verified."""
    found = set()
    for path in (ROOT / "src").rglob("*"):
        if path.is_file() and path.suffix in {".py", ".yaml", ".yml", ".json", ".md"}:
            found |= set(re.findall(r"KOS[A-Za-z0-9]+0000", path.read_text("utf-8")))
    assert found <= VERIFIED, sorted(found - VERIFIED)


def test_an_unresolved_measure_makes_its_indicators_unavailable() -> None:
    doc = register_doc()
    specs = content_specs(doc)
    resolutions = []
    from navbok.contents import Resolution

    for s in specs.values():
        for t in s.tables:
            ok = s.measure != "stonadsmaaneder" and not (s.measure == "forsorger_barn"
                                                          and t == "13995")  # fmt: skip
            resolutions.append(Resolution(s.measure, t, RESOLVED if ok else MISSING, "C", "L"))
    tables = {"13995": {"years": [2022, 2023, 2024]}}
    a = Availability.from_resolutions(resolutions, tables)
    assert set(a.unavailable) == {"stonadslengde", "utbetaling_per_maaned"}
    assert a.unavailable["stonadslengde"] == (
        "SSB publiserer ikke tall for «Stønadsmåneder» (tabell 13138 og 13995)."
    )
    assert a.gaps["andel_forsorger_barn"] == [
        "«Mottakere som forsørger barn under 18 år» finnes ikke i tabell 13995 (2022–2024); "
        "tallene for disse årene mangler."
    ]


@pytest.mark.parametrize(
    ("updated", "newest", "expected"),
    [
        ("2025-03-15T06:00:00Z", 2024, True),   # unrevised figures, 15 March
        ("2025-06-14", 2024, True),
        ("2025-06-15T06:00:00Z", 2024, False),  # revised, 15 June
        ("2025-03-14", 2024, False),
        ("2025-06-12", 2021, False),            # a discontinued table is final
        ("", 2024, False),
    ],
)  # fmt: skip
def test_preliminary_figures(updated: str, newest: int, expected: bool) -> None:
    assert is_preliminary(updated, newest) is expected
