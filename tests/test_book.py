"""Book parameters, and a failing chapter stopping the build (mini replay, no NAVBOK_SOURCE)."""

from __future__ import annotations

from pathlib import Path

import jupytext
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from navbok.builder import pipeline as build
from navbok.errors import ConfigError
from navbok.params import Params, default_params, load_params, parse_params
from navbok.project import Project

ROOT = Project.find().root  # the checkout's book


def test_curated_baerum_params_load() -> None:
    p = load_params(ROOT / "params" / "3201.yml")
    assert p.kommune == "3201" and p.name == "Bærum"
    assert p.neighbours == ["3203"]
    assert p.growth_period == [2015, 2019]
    assert p.profile_years == [2021, 2022, 2023]


def test_unknown_key_is_rejected_with_its_name() -> None:
    with pytest.raises(ConfigError, match=r"unknown key\(s\) naboer"):
        parse_params({"kommune": "3201", "name": "Bærum", "naboer": ["3203"]}, "params/3201.yml")


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"name": "Bærum"}, "missing required key 'kommune'"),
        ({"kommune": "3201", "name": "Bærum", "neighbours": "3203"}, "neighbours must be list"),
        ({"kommune": "32x1", "name": "Bærum"}, "4-digit code"),
        ({"kommune": "3201", "name": "B", "start_year": 2024, "end_year": 2015}, "start_year"),
        ({"kommune": "3201", "name": "B", "growth_period": [2019, 2015]}, "growth_period"),
    ],
)
def test_bad_values_are_rejected(doc: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_params(doc, "p.yml")


def test_params_round_trip_through_yaml(tmp_path: Path) -> None:
    p = Params(kommune="3909", name="Larvik", neighbours=["3907"])
    path = tmp_path / "3909.yml"
    path.write_text(p.to_yaml(), "utf-8")
    assert load_params(path) == p
    assert p.title == "Sosialtjenesten i Larvik"
    assert "Larvik" in p.mandate


def test_default_params_for_any_municipality(mini_data) -> None:
    p = default_params(mini_data, "Larvik")
    assert p.kommune == "3909"
    assert p.name == "Larvik"
    assert p.kommune not in p.neighbours
    assert all(n[:2] == "39" for n in p.neighbours)
    assert p.end_year == max(mini_data.years)


def test_failing_chapter_stops_the_build_naming_chapter_and_cell(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    mini_data,
    mini_snapshot: Path,
) -> None:
    book = tmp_path / "book"
    (book / "chapters").mkdir(parents=True)
    (book / "_toc.yml").write_text("format: jb-book\nroot: chapters/intro\n", "utf-8")
    (book / "_config.yml").write_text((ROOT / "_config.yml").read_text("utf-8"), "utf-8")
    nb = new_notebook()
    params = new_code_cell('kommune = "3201"\nsnapshot = ""\nparams_file = ""\ncache_dir = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, new_code_cell("x = 1"), new_code_cell("raise ValueError('brudd i data')")]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    jupytext.write(nb, book / "chapters" / "intro.md", fmt="md:myst")  # a chapter is text
    monkeypatch.setenv("NAVBOK_BOOK_ROOT", str(book))
    out = tmp_path / "_build"
    (out / "3201" / "html").mkdir(parents=True)
    (out / "3201" / "html" / "index.html").write_text("previous whole book", "utf-8")
    with pytest.raises(
        build.ChapterFailed,
        match=r"intro\.md feilet i celle \d+ \(\"raise Value.*ValueError: brudd i data",
    ):
        build.build_one(
            mini_data,
            "3201",
            snapshot=mini_snapshot,
            cache_dir=tmp_path / "cache",
            build_dir=out,
            params=Params(kommune="3201", name="Bærum"),
        )
    # the previous book is untouched: nothing half-built replaced it
    assert (out / "3201" / "html" / "index.html").read_text("utf-8") == "previous whole book"


# -- params checked against the snapshot before anything runs ------------------------------------


def test_params_outside_the_snapshot_are_named_at_once(mini_data) -> None:
    from navbok.params import check_params

    good = Params(kommune="3201", name="Bærum", neighbours=["3203"])
    check_params(good, mini_data, "params/3201.yml")  # the defaults fit the snapshot
    cases = {
        "end_year 2030 er utenfor årene i datagrunnlaget (2015–2024)": {"end_year": 2030},
        "growth_period 2010–2014 er utenfor årene": {"growth_period": [2010, 2014]},
        "aap_year 2030 er utenfor årene i datagrunnlaget (2015–2024)": {"aap_year": 2030},
        "profile_years 2026 finnes ikke i datagrunnlaget": {"profile_years": [2024, 2026]},
        "neighbours: Unknown municipality '9999'": {"neighbours": ["9999"]},
        "local_data kontekst: filen ": {"local_data": {"kontekst": "data/local/nowhere.csv"}},
        "data/local/nowhere.csv finnes ikke": {
            "local_data": {"kontekst": "data/local/nowhere.csv"}
        },
        "/nowhere.csv ligger utenfor prosjektmappa": {"local_data": {"kontekst": "/nowhere.csv"}},
    }
    for message, change in cases.items():
        bad = Params(**{"kommune": "3201", "name": "Bærum", **change})
        with pytest.raises(ConfigError) as err:
            check_params(bad, mini_data, "params/3201.yml")
        text = str(err.value)
        assert text.startswith("params/3201.yml: ") and message in text, text
        assert "Rett parameterne" in text


def test_an_aap_year_not_fetched_yet_is_not_a_mistake(mini_first_fetch) -> None:
    """NAV serves the current year only: a December the snapshot lacks is a gap the book shows
    (report/aap.py), not a stop; a year outside every table still stops. Defaults that fail
    never tell the user to delete a params file that does not exist."""
    from navbok.params import check_params

    assert "2020-12" not in mini_first_fetch.snapshot.aap_periods()
    good = Params(kommune="3201", name="Bærum", aap_year=2020)
    check_params(good, mini_first_fetch, "params/3201.yml")
    with pytest.raises(ConfigError) as err:
        check_params(
            Params(kommune="3201", name="Bærum", aap_year=1990),
            mini_first_fetch,
            "parametere for 3201",
        )
    assert "slett fila" not in str(err.value) and "navbok params" in str(err.value)


@pytest.mark.skipif(not __import__("os").environ.get("NAVBOK_SOURCE"), reason="needs NAVBOK_SOURCE")
def test_default_growth_period_has_data(replay_data) -> None:
    """Narvik got an unknown part of Tysfjord in 2020: no payouts before, so the default growth
    period starts in 2020 (it used to be 2015–2019 and the page said «hidden for privacy»)."""
    from navbok.params import check_params

    p = default_params(replay_data, "1806")
    assert p.growth_period == [2020, 2024]
    check_params(p, replay_data, "parametere for 1806")
    bad = Params(kommune="1806", name="Narvik", growth_period=[2015, 2019])
    with pytest.raises(ConfigError, match="har ikke utbetalt sosialhjelp for Narvik i 2015, 2019"):
        check_params(bad, replay_data, "params/1806.yml")
