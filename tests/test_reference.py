"""Reference and local CSV files: separator, shape checks, errors naming the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from navbok.errors import ConfigError
from navbok.reference import load_reference

REPO = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, text: str, name: str = "tabell", encoding: str = "utf-8") -> Path:
    path = tmp_path / f"{name}.csv"
    path.write_bytes(text.encode(encoding))
    return path


def error(tmp_path: Path, text: str, encoding: str = "utf-8") -> str:
    path = write(tmp_path, text, encoding=encoding)
    with pytest.raises(ConfigError) as err:
        load_reference("tabell", tmp_path)
    message = str(err.value)
    assert message.startswith(f"{path.resolve()}") and "\n" not in message
    return message


def test_semicolon_separated_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        "# source: Bærum kommune, årsrapport 2020\n"
        "# note: tall fra tabell 3\n"
        "Status;Bærum;Landet\n"
        "I arbeid;43 %;39 %\n"
        "Arbeidssøker;4,5 %;5 %\n"
        '"Annet; uavklart";52,5 %;56 %\n',
    )
    ref = load_reference("tabell", tmp_path)
    assert list(ref.frame.columns) == ["Status", "Bærum", "Landet"]
    assert ref.frame["Bærum"].tolist() == ["43 %", "4,5 %", "52,5 %"]
    assert ref.frame["Status"].tolist() == ["I arbeid", "Arbeidssøker", "Annet; uavklart"]
    assert ref.source == "Bærum kommune, årsrapport 2020" and ref.notes == ["tall fra tabell 3"]


SEPARATOR_CASES = [
    # ";" as often as "," outside quotes: ";" (a "," in a name is more likely than a ";")
    ("kommune;andel, prosent", "0301;1,5\n", ["kommune", "andel, prosent"]),
    # a ";" inside quotes does not count
    ('"andel; prosent",kommune', "1.5,0301\n", ["andel; prosent", "kommune"]),
    ("kommune,andel (%; 2019),år", "0301,1.5,2019\n", ["kommune", "andel (%; 2019)", "år"]),
    ("kommune", "0301\n0219\n", ["kommune"]),
]


def test_separator_from_the_header_line(tmp_path: Path) -> None:
    for k, (header, rows, columns) in enumerate(SEPARATOR_CASES):
        write(tmp_path, f"# source: x\n{header}\n{rows}", name=f"t{k}")
        frame = load_reference(f"t{k}", tmp_path).frame
        assert list(frame.columns) == columns, header
        assert frame.iloc[0, 0] in ("0301", "1.5"), header
    # the repository's own local tables keep their columns
    for path in sorted((REPO / "data" / "local").glob("*/*.csv")):
        assert len(load_reference(path.stem, path.parent).frame.columns) > 1, path


def test_ragged_rows_name_the_line(tmp_path: Path) -> None:
    head = "# source: x\n# note: y\na,b,c\n"
    short = error(tmp_path, head + "1,2,3\n\n4,5\n")
    assert ", line 6: 2 fields but the header has 3 (separator ',')" in short
    long = error(tmp_path, head + "1,2,3,4\n")
    assert ", line 4: 4 fields but the header has 3" in long
    semi = error(tmp_path, "# source: x\na;b\n1;2\n3;4;5\n")
    assert ", line 4: 3 fields but the header has 2 (separator ';')" in semi


def test_line_numbers_count_quoted_line_breaks(tmp_path: Path) -> None:
    message = error(tmp_path, '# source: x\na,b\n"to\nlinjer",1\n2,3,4\n')
    assert ", line 5: 3 fields" in message


def test_header_names_empty_or_repeated(tmp_path: Path) -> None:
    assert ", line 2: column 2 of the header has no name" in error(tmp_path, "# source: x\na,,c\n")
    assert ", line 3: column 3 of the header has no name" in error(
        tmp_path, "# source: x\n\na;b;\n1;2;\n"
    )
    message = error(tmp_path, "# source: x\n# note: y\nkommune,år,kommune\n1,2,3\n")
    assert ", line 3: column name 'kommune' appears twice in the header" in message


def test_source_line_and_header_required(tmp_path: Path) -> None:
    assert ", line 1: the file must start with a '# source: …' line" in error(
        tmp_path, "# note: y\na,b\n1,2\n"
    )
    assert ", line 1: the file must start" in error(tmp_path, "a,b\n1,2\n")
    assert ", line 3: no header line after the '#' lines" in error(tmp_path, "# source: x\n\n")


def test_encoding(tmp_path: Path) -> None:
    # A spreadsheet's UTF-8 with a byte-order mark is fine; Windows-1252 is a clear error.
    write(tmp_path, "\ufeff# source: Bærum\nkommune;verdi\nBærum;1\n")
    ref = load_reference("tabell", tmp_path)
    assert ref.source == "Bærum" and ref.frame["kommune"].tolist() == ["Bærum"]
    message = error(tmp_path, "# source: x\nkommune;verdi\nBærum;1\n", encoding="cp1252")
    assert ", line 3: not UTF-8 text (byte 0xe6); save the file as UTF-8" in message
