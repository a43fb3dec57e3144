"""Charts: theme, spec builders, the figure (a deterministic offline embed with its table and
downloads) and the Vega JavaScript bundle."""

from __future__ import annotations

import base64
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
import pytest

from navbok.present.bundle import write_vega_bundle
from navbok.present.chart_specs import (
    SCHEMA_URL,
    bar_chart,
    colour_scale,
    heatmap,
    line_chart,
    waterfall_chart,
)
from navbok.present.figure import show_chart
from navbok.present.tables import slugify
from navbok.present.theme import FOCUS_COLOUR, use_altair_theme

NBSP = "\u00a0"
DESCRIPTION = "Linjediagram: utgifter per innbygger i Bø og landet, 2020–2023."

# Builds a fixed chart and prints its HTML; run in this process and in subprocesses.
_BUILD = textwrap.dedent(
    """
    import numpy as np
    import pandas as pd
    from navbok.present.chart_specs import line_chart
    from navbok.present.figure import show_chart

    def build() -> str:
        df = pd.DataFrame(
            {
                "år": [2020, 2021, 2022, 2023] * 2,
                "region": ["Bø"] * 4 + ["Landet"] * 4,
                "verdi": [1234.5, np.nan, 1300.25, 1410.0, 1000.0, 1010.5, 1020.0, 1030.0],
                "status": [None, "..", None, None, None, None, None, None],
            }
        )
        chart = line_chart(
            df, "år", "verdi", "region", "Bø", "Utgifter per innbygger",
            "Linjediagram: utgifter per innbygger i Bø og landet, 2020–2023.", "Kroner",
        )
        return show_chart(
            chart, df, "Utgifter per innbygger (Bø)", "Kroner. Kilde: SSB.", provenance=None
        ).html
    """
)


def _build() -> str:
    namespace: dict[str, object] = {}
    exec(_BUILD, namespace)  # our own fixed snippet
    return namespace["build"]()  # type: ignore[operator]


@pytest.fixture
def series() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "år": [2020, 2021, 2022] * 3,
            "region": ["Landet"] * 3 + ["Bø"] * 3 + ["Telemark"] * 3,
            "verdi": [1.0, 2.0, 3.0, 4.0, np.nan, 6.0, 7.0, 8.0, 9.0],
        }
    )


def test_altair_is_imported_only_to_validate_a_new_shape(tmp_path: Path) -> None:
    code = textwrap.dedent(
        f"""
        import sys
        import pandas as pd
        import navbok.report.report, navbok.present.figure, navbok.present.maps
        from navbok.present import chart_specs
        chart_specs.keep_validated_shapes(__import__("pathlib").Path({str(tmp_path / "shapes")!r}))
        df = pd.DataFrame({{"kommune": ["Bø", "Landet"], "andel": [1.0, 2.0]}})
        spec = chart_specs.bar_chart(df, "kommune", "andel", "Bø", "T", "D.", "P", ",.1f")
        print("altair" in sys.modules)
        chart_specs.validated(spec)
        print("altair" in sys.modules)
        """
    )

    def run() -> list[str]:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout.split()

    assert run() == ["False", "True"]  # a new shape: validated against Altair's schema
    assert run() == ["False", "False"]  # validated before (the shapes file): no Altair


def test_schema_url_is_altairs() -> None:
    assert SCHEMA_URL == alt.SCHEMA_URL


def test_theme_is_registered_and_enabled() -> None:
    use_altair_theme()
    assert alt.theme.active == "navbok"
    config = alt.Chart(pd.DataFrame({"a": [1]})).mark_point().encode(x="a").to_dict()["config"]
    assert config["locale"]["number"]["decimal"] == ","
    assert config["locale"]["number"]["thousands"] == NBSP
    assert config["view"]["stroke"] == "transparent"
    assert config["range"]["category"][0] == FOCUS_COLOUR


def test_colour_scale_highlights_focus() -> None:
    scale = colour_scale(["Landet", "Bø", "Telemark"], "Bø")
    assert scale["domain"] == ["Bø", "Landet", "Telemark"]
    assert scale["range"][0] == FOCUS_COLOUR
    assert FOCUS_COLOUR not in scale["range"][1:]
    # Without the focus in the data, nobody gets the focus colour.
    assert FOCUS_COLOUR not in colour_scale(["A", "B"], "Bø")["range"]
    # Many series: comparison colours cycle, the focus stays unique.
    many = colour_scale([f"K{i}" for i in range(10)] + ["Bø"], "Bø")
    assert len(many["range"]) == 11 and many["range"].count(FOCUS_COLOUR) == 1


def test_line_chart(series: pd.DataFrame) -> None:
    spec = line_chart(
        series, "år", "verdi", "region", "Bø", "Tittel", DESCRIPTION, "Kroner", ",.0f"
    )
    assert spec["description"] == DESCRIPTION
    assert spec["title"]["text"] == "Tittel"
    lines, points = spec["layer"]
    assert lines["mark"]["invalid"].startswith("break-paths")  # NaN breaks the line
    enc = {**lines["encoding"], **points["encoding"]}
    assert enc["color"]["scale"]["domain"][0] == "Bø"
    assert enc["color"]["scale"]["range"][0] == FOCUS_COLOUR
    assert enc["strokeWidth"]["scale"]["range"][0] > enc["strokeWidth"]["scale"]["range"][1]
    assert enc["y"]["axis"]["format"] == ",.0f"
    assert enc["x"]["axis"]["format"] == "d"  # years without a thousands separator
    assert "tooltip" not in lines["encoding"]  # the points carry the tooltips
    assert {t.get("format") for t in points["encoding"]["tooltip"]} >= {",.0f", "d"}
    values = next(iter(spec["datasets"].values()))
    assert [v["verdi"] for v in values if v["region"] == "Bø"] == [4.0, None, 6.0]  # not 0


def test_bar_chart_drops_missing(series: pd.DataFrame) -> None:
    df = pd.DataFrame({"kommune": ["Bø", "Skien", "Ås"], "andel": [3.1, np.nan, 4.0]})
    spec = bar_chart(df, "kommune", "andel", "Bø", "T", "Søylediagram.", "Prosent", ",.1f")
    assert spec["description"] == "Søylediagram."
    values = next(iter(spec["datasets"].values()))
    assert [v["kommune"] for v in values] == ["Bø", "Ås"]
    assert spec["encoding"]["color"]["condition"]["value"] == FOCUS_COLOUR
    assert spec["encoding"]["y"]["field"] == "kommune"  # horizontal by default
    vertical = bar_chart(df, "kommune", "andel", "Bø", "T", "D.", "P", horizontal=False)
    assert vertical["encoding"]["x"]["field"] == "kommune"


def test_waterfall_chart() -> None:
    steps = pd.DataFrame(
        {
            "label": ["2023", "Flere mottakere", "Lavere satser", "Ukjent", "Etter", "2024"],
            "value": [100.0, 20.0, -5.0, np.nan, 3.0, np.nan],
            "kind": ["start", "delta", "delta", "delta", "delta", "total"],
        }
    )
    spec = waterfall_chart(steps, "Endring", "Vannfallsdiagram.", ",.0f")
    assert spec["description"] == "Vannfallsdiagram."
    rows = {r["label"]: r for r in next(iter(spec["datasets"].values()))}
    assert (rows["2023"]["start"], rows["2023"]["end"]) == (0.0, 100.0)
    assert (rows["Flere mottakere"]["start"], rows["Flere mottakere"]["end"]) == (100.0, 120.0)
    assert rows["Lavere satser"]["type"] == "Nedgang"
    # After a missing delta the level is unknown: no bars instead of a wrong total.
    assert {"Ukjent", "Etter", "2024"}.isdisjoint(rows)
    complete = steps.assign(value=[100.0, 20.0, -5.0, 1.0, 3.0, np.nan])
    rows = next(iter(waterfall_chart(complete, "E", "D.")["datasets"].values()))
    assert rows[-1]["end"] == 119.0
    with pytest.raises(ValueError):
        waterfall_chart(steps.assign(kind="x"), "E", "D.")


def test_heatmap_keeps_empty_columns() -> None:
    df = pd.DataFrame(
        {
            "år": ["2022", "2023", "2022", "2023"],
            "tema": ["A", "A", "B", "B"],
            "score": [3.5, np.nan, 5.0, np.nan],
        }
    )
    spec = heatmap(df, "år", "tema", "score", "T", "Varmekart.", domain=(1, 6))
    assert spec["description"] == "Varmekart."
    cells, labels = spec["layer"]  # coloured cells, and the value written in each
    assert cells["encoding"]["color"]["scale"]["domain"] == [1, 6]
    assert cells["encoding"]["color"]["scale"]["domainMid"] == 3.5  # diverging at the average
    assert cells["encoding"]["x"]["scale"]["domain"] == ["2022", "2023"]  # 2023 shown empty
    assert labels["encoding"]["text"]["field"] == "score"
    assert len(next(iter(spec["datasets"].values()))) == 2


@pytest.mark.parametrize("bad", ["", "   ", None])
def test_description_is_required(series: pd.DataFrame, bad: object) -> None:
    with pytest.raises(ValueError, match="description"):
        line_chart(series, "år", "verdi", "region", "Bø", "T", bad, "y")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="title"):
        bar_chart(series, "region", "verdi", "Bø", bad, "D.", "v", ",.0f")  # type: ignore[arg-type]


def test_show_chart_html_structure() -> None:
    out = _build()
    assert out.startswith('<figure class="navbok-figure"')
    assert '<div id="navbok-chart-utgifter-per-innbygger-bo"' in out
    assert "vegaEmbed(sel, spec, opt)" in out
    assert 'var sel = "#navbok-chart-utgifter-per-innbygger-bo"' in out
    assert "DOMContentLoaded" in out and "setTimeout(draw" in out
    # Options: SVG renderer, no actions, Norwegian locales for vega-embed.
    opt = json.loads(re.search(r"var opt = (\{.*\});", out).group(1))
    assert opt["renderer"] == "svg" and opt["actions"] is False
    assert opt["formatLocale"]["decimal"] == "," and opt["formatLocale"]["thousands"] == NBSP
    assert opt["formatLocale"]["currency"] == ["", f"{NBSP}kr"]
    assert opt["timeFormatLocale"]["months"][0] == "januar"
    spec = json.loads(re.search(r"var spec = (\{.*\});", out).group(1))
    assert spec["description"] == DESCRIPTION
    assert "title" not in spec  # shown as HTML instead
    assert '<p class="navbok-chart-text"' in out and ">Utgifter per innbygger</p>" in out
    assert "<figcaption" in out and "Kroner. Kilde: SSB.</figcaption>" in out
    # Data table.
    assert "<details" in out and "<summary>Vis tallene bak figuren</summary>" in out
    assert "<caption" in out and '<th scope="col" class="num">verdi</th>' in out
    assert f">1{NBSP}234,5</td>" in out  # html.escape keeps the no-break space as is
    assert ">..</td>" in out  # status symbol for the missing value
    assert '<th scope="row">2020</th>' in out  # years are not grouped as 2 020
    assert '<th scope="col">status</th>' not in out  # explained by the cells
    # Downloads as data: URIs.
    csv_uri = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', out).group(1)
    assert base64.b64decode(csv_uri).decode("utf-8-sig").startswith("år;region;verdi;status")
    assert 'download="utgifter-per-innbygger-bo.csv"' in out and ">Last ned CSV</a>" in out
    xlsx_uri = re.search(r'href="data:application/vnd[^;]+;base64,([^"]+)"', out).group(1)
    assert pd.read_excel(io.BytesIO(base64.b64decode(xlsx_uri)))["verdi"].iloc[0] == 1234.5
    assert 'download="utgifter-per-innbygger-bo.xlsx"' in out and ">Last ned Excel</a>" in out


def test_show_chart_is_offline() -> None:
    out = _build()
    assert "<script src" not in out
    without_payloads = re.sub(r"base64,[A-Za-z0-9+/=]+", "base64,", out)
    for needle in ("cdn", "jsdelivr", "unpkg", "require.js", "requirejs"):
        assert needle not in without_payloads.lower()
    assert not re.search(r"cdn\.|jsdelivr|unpkg", out)


def test_show_chart_escapes_script_content() -> None:
    df = pd.DataFrame({"k": ["</script><b>x", "B"], "v": [1.0, 2.0]})
    chart = bar_chart(df, "k", "v", "B", "T", "D.", "v", ",.1f")
    out = show_chart(chart, df, "x", "c <i>", provenance=None).html
    script = out.split("<script>", 1)[1].split("</script>", 1)[0]
    assert "</script" not in script.lower() and "\\u003c/script" in script
    assert "c &lt;i&gt;" in out


def test_show_chart_repr() -> None:
    df = pd.DataFrame({"k": ["A"], "v": [1.0]})
    chart = bar_chart(df, "k", "v", "A", "T", "D.", "v", ",.1f")
    result = show_chart(chart, df, "navn", "c", provenance=None)
    assert result._repr_html_() == result.html
    data, metadata = result._repr_mimebundle_()  # type: ignore[misc]
    assert data == {"text/html": result.html}
    # the numbers behind the figure, for the book's workbook (navbok.site.workbook)
    (record,) = metadata["navbok_downloads"]
    assert record["slug"] == "navn" and record["title"] == "T"
    assert record["csv"].splitlines()[0] == "k;v"
    # The plain-text stand-in stays short: IPython stores it beside the HTML in every notebook.
    assert repr(result) == "Figur"


def test_show_chart_deterministic_in_process() -> None:
    assert _build() == _build()


def test_show_chart_deterministic_across_processes() -> None:
    here = _build()
    code = _BUILD + "\nimport sys\nsys.stdout.buffer.write(build().encode('utf-8'))\n"
    outputs = []
    for seed in ("1", "987"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, env=env, check=True, timeout=120
        )
        outputs.append(proc.stdout.decode("utf-8"))
    assert outputs[0] == outputs[1] == here


def test_slug_and_table_options() -> None:
    assert slugify("Ærlig talt: Økonomisk sosialhjelp (Å)") == "aerlig-talt-okonomisk-sosialhjelp-a"
    with pytest.raises(ValueError):
        slugify("!!!")
    df = pd.DataFrame({"kommunenr": [3802], "v": [1234.56], "dato": pd.to_datetime(["2024-03-05"])})
    out = show_chart(
        bar_chart(df, "kommunenr", "v", "3802", "T", "D.", "v", ",.1f"),
        df,
        "t",
        "c",
        decimals={"v": 2},
        labels={"v": "Verdi"},
        provenance=None,
    ).html
    assert '<th scope="row">3802</th>' in out
    assert f">1{NBSP}234,56</td>" in out
    assert '<th scope="col" class="num">Verdi</th>' in out
    assert ">05.03.2024</td>" in out


def test_vega_bundle(tmp_path: Path) -> None:
    start = time.monotonic()
    path = write_vega_bundle(tmp_path / "_static")
    assert path == tmp_path / "_static" / "navbok-vega.js"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("/* navbok-vega.js: vega ")
    assert "window.vegaEmbed" in text and "window.vega" in text and "window.vegaLite" in text
    assert text.rstrip().endswith("})();")
    assert not re.search(r"cdn\.jsdelivr|unpkg\.com", text)
    assert not re.search(r"""(import\s*\(?\s*|from\s+)["']https?://""", text)
    assert not re.search(r"""^\s*(import|export)\s""", text, re.M)  # classic script, no ESM
    # Cached: a second call keeps the file as it is.
    mtime = path.stat().st_mtime_ns
    assert time.monotonic() - start < 60
    assert write_vega_bundle(tmp_path / "_static") == path
    assert path.stat().st_mtime_ns == mtime
    # A file from another version is rebuilt.
    path.write_text("/* old */\n", encoding="utf-8")
    write_vega_bundle(tmp_path / "_static")
    assert path.read_text(encoding="utf-8") == text
    if shutil.which("node"):
        subprocess.run(["node", "--check", str(path)], check=True, timeout=120)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("defer", [False, True])
def test_chart_renders_offline_in_chromium(tmp_path: Path, defer: bool) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Debian chromium is not installed")
    write_vega_bundle(tmp_path / "_static")
    page = tmp_path / "page.html"
    page.write_text(
        '<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8"><title>t</title>'
        f'<script src="_static/navbok-vega.js"{" defer" if defer else ""}></script></head>'
        f"<body>{_build()}</body></html>",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [
            chromium, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--virtual-time-budget=10000", "--window-size=1000,800", "--dump-dom", page.as_uri(),
        ],
        capture_output=True, timeout=180, check=True,
    )  # fmt: skip
    dom = proc.stdout.decode("utf-8")
    assert "<svg" in dom, dom[-2000:]
    assert f'aria-label="{html.escape(DESCRIPTION)}"' in dom
    assert 'role="graphics-document"' in dom
    assert "1&nbsp;400" in dom  # a y-axis label with Norwegian grouping
    # The chart div holds the SVG, not a fallback message.
    assert re.search(r'<div id="navbok-chart-utgifter-per-innbygger-bo"[^>]*><svg', dom)
