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
