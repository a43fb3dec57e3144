"""``local_data`` (issue 26, item 7): confined to the project folder (or the folders of
``$NAVBOK_LOCAL_DATA``) and read exactly as it is checked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from navbok.cli import app
from navbok.errors import ConfigError
from navbok.params import (
    LOCAL_DATA_ENV,
    Params,
    check_params,
    load_params,
    local_data_roots,
    read_local_data,
)
from navbok.report import Report

runner = CliRunner()
TABLE = "# source: Kommunens fagsystem\nGruppe;Antall\nA;3\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with ``params/`` (so it counts as the project folder), the cwd."""
    work = tmp_path / "work"
    (work / "params").mkdir(parents=True)
    (work / "data" / "local").mkdir(parents=True)
    monkeypatch.chdir(work)
    monkeypatch.delenv(LOCAL_DATA_ENV, raising=False)
    return work


def _params(work: Path, local_data: str) -> Path:
    path = work / "params" / "3201.yml"
    path.write_text(f"kommune: '3201'\nname: Bærum\nlocal_data:\n{local_data}", "utf-8")
    return path


def _refusal(path: Path, data) -> str:
    with pytest.raises(ConfigError) as err:
        check_params(load_params(path), data, str(path))
    text = str(err.value)
    assert "\n" not in text, text
    return text


def test_the_project_and_the_working_folder_are_the_roots(project: Path) -> None:
    roots = local_data_roots()
    assert project.resolve() in roots and Path(__file__).resolve().parents[1] in roots


@pytest.mark.parametrize("where", ["/etc/passwd", "../../outside.csv", "../../work-x/t.csv"])
def test_a_file_outside_the_project_is_refused(project: Path, mini_data, where: str) -> None:
    for outside in (project.parent / "outside.csv", project.parent / "work-x" / "t.csv"):
        outside.parent.mkdir(exist_ok=True)
        outside.write_text(TABLE, "utf-8")  # it exists and is a good table: still refused
    text = _refusal(_params(project, f"  kontekst: {where}\n"), mini_data)
    named = (project / "params" / where).resolve()
    assert f"local_data kontekst: {named} ligger utenfor prosjektmappa" in text, text
    assert LOCAL_DATA_ENV in text and "Rett parameterne" in text
    with pytest.raises(ConfigError, match="ligger utenfor prosjektmappa"):  # and as it is read
        read_local_data("kontekst", str(named))


def test_a_link_out_of_the_project_is_refused(project: Path, mini_data) -> None:
    secret = project.parent / "secret.csv"
    secret.write_text(TABLE, "utf-8")
    (project / "data" / "local" / "kontekst.csv").symlink_to(secret)
    text = _refusal(_params(project, "  kontekst: ../data/local/kontekst.csv\n"), mini_data)
    assert "ligger utenfor prosjektmappa" in text


def test_the_allow_list_admits_a_folder(
    project: Path, mini_data, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = project.parent / "delt"
    shared.mkdir()
    (shared / "kontekst.csv").write_text(TABLE, "utf-8")
    path = _params(project, f"  kontekst: {shared / 'kontekst.csv'}\n")
    _refusal(path, mini_data)
    monkeypatch.setenv(LOCAL_DATA_ENV, os.pathsep.join(["", str(shared)]))
    check_params(load_params(path), mini_data, str(path))


def test_the_file_is_read_exactly_as_checked(project: Path, mini_data) -> None:
    """Named ``tabell.txt``: checked and read as that file, never as ``tabell.csv``."""
    local = project / "data" / "local"
    (local / "tabell.txt").write_text(TABLE, "utf-8")
    (local / "tabell.csv").write_text("# source: Feil fil\nGruppe;Antall\nB;9\n", "utf-8")
    path = _params(project, "  kontekst: ../data/local/tabell.txt\n")
    params = load_params(path)
    check_params(params, mini_data, str(path))
    html = Report(mini_data, params).local.section("kontekst", "Kontekst", "Intro").html
    assert "Kommunens fagsystem" in html and ">3<" in html and "Feil fil" not in html


def test_a_bad_table_is_refused_when_checked(project: Path, mini_data) -> None:
    (project / "data" / "local" / "tabell.txt").write_text("Gruppe;Antall\nA;3\n", "utf-8")
    text = _refusal(_params(project, "  kontekst: ../data/local/tabell.txt\n"), mini_data)
    assert "local_data kontekst: " in text and "tabell.txt, line 1: the file must start" in text


@pytest.mark.parametrize(
    ("entry", "message"),
    [("../data/local/nei.csv", "work/data/local/nei.csv finnes ikke"),
     ("../data/local", "work/data/local er ikke en vanlig fil")],
)  # fmt: skip
def test_a_missing_file_or_a_folder_is_named(
    project: Path, mini_data, entry: str, message: str
) -> None:
    text = _refusal(_params(project, f"  kontekst: {entry}\n"), mini_data)
    assert message in text, text


def test_a_path_that_is_no_text_is_refused(project: Path) -> None:
    with pytest.raises(ConfigError, match="local_data kontekst must be a file path, got 3"):
        load_params(_params(project, "  kontekst: 3\n"))
    with pytest.raises(ConfigError, match="local_data k: ventet en filsti"):
        read_local_data(
            "k", Params(kommune="3201", name="Bærum", local_data={"k": ""}).local_data["k"]
        )


def test_the_command_line_refuses_in_one_line(project: Path, mini_snapshot: Path) -> None:
    _params(project, "  kontekst: /etc/passwd\n")
    result = runner.invoke(app, ["build", "--kommune", "3201", "--snapshot", str(mini_snapshot)])
    assert result.exit_code == 1, result.output
    errors = [x for x in result.output.splitlines() if x.startswith("navbok: ")]
    assert len(errors) == 1 and "Traceback" not in result.output
    assert "params/3201.yml: local_data kontekst: /etc/passwd ligger utenfor" in errors[0]
    assert not (project / "_build").exists()


def test_local_tables_show_the_reader_no_maintainers_remarks(tmp_path: Path) -> None:
    from navbok.reference import load_file
    from navbok.report.words import for_readers

    # the shipped files: source and notes are what a reader sees under the table
    shipped = sorted((Path(__file__).parents[1] / "data" / "local").rglob("*.csv"))
    assert shipped
    for path in shipped:
        ref = load_file(path)
        for text in (ref.source, *ref.notes):
            assert for_readers(text), (path.name, text)
    # a remark kept in an ``# internal:`` line stays in the file
    made = tmp_path / "t.csv"
    made.write_text(
        "# source: Kilde\n# note: Usikker avlesning: 4.\n# internal: OCR viser «5 4»\na,b\n1,2\n",
        "utf-8",
    )
    ref = load_file(made)
    assert ref.notes == ["Usikker avlesning: 4."] and for_readers(" ".join(ref.notes))
    assert not for_readers("OCR-teksten viser 54 %")
