"""navbok.report.breaks: the break notes say when a series holds population-share estimates."""

from __future__ import annotations

from navbok.report.breaks import border_changes


class _Register:
    """Ålesund: 1504, 1523, 1529 and 1546 merged into 1507 in 2020; 1507 was split into 1508
    and 1580 (with Haram) in 2024."""

    preds = {
        ("1508", 2019): ["1504", "1523", "1529", "1546"],
        ("1508", 2020): ["1507"],
        ("1508", 2021): ["1507"],
        ("1508", 2023): ["1507"],
        ("1508", 2024): ["1508"],
    }

    def predecessors(self, code: str, year: int) -> list[str]:
        return self.preds[(code, year)]

    def split_parts(self, code: str) -> list[tuple[str, str, int, bool]]:
        """1507 was split in 2024 and the part Ålesund got is known (its population)."""
        return [("1507", "Ålesund", 2024, True)] if code == "1508" else []

    def successors(self, code: str, year: int) -> dict[str, float]:
        if code == "1507":
            return {"1508": 0.86, "1580": 0.14}
        return {"1508": 1.0}


NAMES = {
    "1504": "Ålesund",
    "1523": "Ørskog",
    "1529": "Skodje",
    "1546": "Sandøy",
    "1507": "Ålesund",
    "1580": "Haram",
}


def test_a_merger_split_again_says_its_years_are_estimates() -> None:
    notes = border_changes(_Register(), "1508", [2019, 2020, 2021, 2023, 2024], NAMES)  # type: ignore[arg-type]
    merger = notes[2020]
    assert merger.startswith("Ålesund, Ørskog, Skodje og Sandøy ble slått sammen fra 2020")
    assert "tallene for 2020–2023 er anslag" in merger
    assert "en del gikk til Haram" in merger
    assert "fordelt etter folketall" in notes[2024]


def _plain_border_note(r, df) -> str:
    """region_border_note as it was computed before it was kept per snapshot (the reference)."""
    import pandas as pd  # noqa: F401 - the frame's type

    from navbok.comparison import Kind
    from navbok.report.breaks import region_border_changes

    rows = df[df["kind"].isin([Kind.KOSTRAGRUPPE, Kind.FYLKE])]
    if rows.empty:
        return ""
    members = r.data.year_members()
    names = {c: n.split(" - ")[0] for c, n in r.data.register.all_names().items()}
    notes = []
    for (serie, region), part in rows.groupby(["Serie", "region"], sort=False):
        years = sorted(int(y) for y in part["År"])
        changes = region_border_changes(r.data.register, members, str(region), years, names)
        if changes:
            spans = " og ".join(f"fra {y} ({text})" for y, text in sorted(changes.items()))
            notes.append(f"{serie} har andre grenser {spans}")
    return f" {'; '.join(notes)}." if notes else ""


def test_the_kept_border_note_is_the_computed_one(mini_data) -> None:
    import pandas as pd

    from navbok.comparison import Kind
    from navbok.params import params_for
    from navbok.report import Report
    from navbok.report.breaks import _border_changes, region_border_changes, region_border_note

    r = Report(mini_data, params_for(mini_data, "3907"))
    members = mini_data.year_members()
    regions = sorted({region for region, _ in members})
    years = sorted({y for _, y in members})
    kinds = [Kind.FYLKE if region.isdigit() else Kind.KOSTRAGRUPPE for region in regions]
    df = pd.DataFrame(
        [
            {"kind": kind, "Serie": f"Serie {region}", "region": region, "År": y}
            for region, kind in zip(regions, kinds, strict=True)
            for y in years
        ]
        + [{"kind": Kind.KOMMUNE, "Serie": "Liten", "region": "3907", "År": years[0]}]
    )
    assert region_border_note(r, df) == _plain_border_note(r, df)
    assert region_border_note(r, df) == region_border_note(r, df)  # kept: the same again
    names = {c: n.split(" - ")[0] for c, n in mini_data.register.all_names().items()}
    for region in regions:
        plain = region_border_changes(mini_data.register, members, region, years, names)
        kept = _border_changes(mini_data, region, tuple(years))
        assert kept == tuple(sorted(plain.items()))
        assert isinstance(kept, tuple)  # nothing a caller could change
    assert region_border_note(r, df.iloc[:0]) == ""
