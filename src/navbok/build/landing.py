"""The national landing page of a build of several municipalities: ``_build/site/index.html``."""

from __future__ import annotations

import html
import json
from pathlib import Path

from navbok.build.stage import DEMO_BANNER


def landing_page(
    built: dict[str, str], build_dir: Path = Path("_build"), *, snapshot: object = None
) -> Path:
    """A national landing page: every built municipality, searchable by name or number.

    ``built``: name by municipality code; the page is ``build_dir/site/index.html``, next to
    ``build_dir/site/kommuner.json`` (the same mapping).

    With the ``snapshot`` the books were built from, the page says where the numbers come
    from and when they were fetched, and shows the demo warning when any source is synthetic
    (all from the snapshot's manifest)."""
    from navbok.present.exports import Provenance

    site = build_dir / "site"
    site.mkdir(parents=True, exist_ok=True)
    items = "\n".join(
        f'<li data-search="{html.escape(kommune + " " + name.casefold())}">'
        f'<a href="../{kommune}/html/index.html">{html.escape(name)}</a> '
        f'<span class="kommunenummer">{kommune}</span></li>'
        for kommune, name in sorted(built.items(), key=lambda kv: kv[1])
    )
    notice, sources = "", ""
    if snapshot is not None:
        prov = Provenance.of(snapshot)
        if prov.synthetic:
            notice = (
                '<p class="navbok-demo" role="alert"><strong>'
                f"{html.escape(DEMO_BANNER)}</strong> Syntetiske kilder: "
                f"{html.escape(prov.synthetic)}.</p>"
            )
        sources = (
            f'<p class="kilde">Kilde: {html.escape(prov.sources)}. '
            f"Data hentet {html.escape(prov.fetched)}.</p>"
        )
    page = (
        LANDING.replace("{notice}", notice)
        .replace("{sources}", sources)
        .replace("{items}", items)
        .replace("{count}", str(len(built)))
    )
    (site / "index.html").write_text(page, "utf-8")
    (site / "kommuner.json").write_text(json.dumps(built, ensure_ascii=False, indent=1), "utf-8")
    return site / "index.html"


LANDING = """<!DOCTYPE html>
<html lang="nb"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>navbok – sosialtjenesten i norske kommuner</title>
<style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;
color:#1a1a1a}ul{list-style:none;padding:0;columns:2}li{padding:.2rem 0}
.kommunenummer{color:#555;font-size:.9em}input{font-size:1.1rem;padding:.4rem;width:100%}
.navbok-demo{background:#7a1020;color:#fff;padding:.6rem 1rem;font-weight:600}
.kilde{font-size:.9em;color:#333}
@media print{.navbok-demo{background:none;color:#000;border:3px solid #000}
input,label{display:none}}</style>
</head><body>{notice}<main>
<h1>navbok: sosialtjenesten i norske kommuner</h1>
<p>{count} kommuner. Søk etter navn eller kommunenummer.</p>
{sources}
<label for="sok">Søk etter kommune</label>
<input id="sok" type="search" autocomplete="off">
<ul id="kommuner">
{items}
</ul></main>
<script>
document.getElementById('sok').addEventListener('input', function (e) {
  var q = e.target.value.trim().toLowerCase();
  document.querySelectorAll('#kommuner li').forEach(function (li) {
    li.hidden = q !== '' && li.dataset.search.indexOf(q) === -1;
  });
});
</script></body></html>
"""
