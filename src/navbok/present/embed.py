"""The script that draws a Vega-Lite spec into a page, offline: one for figures and maps.

:func:`script_json` writes a spec (or any value) as JSON that is safe inside an inline
``<script>``; :func:`embed_script` writes the JavaScript that waits for ``window.vegaEmbed``
(the book's Vega bundle, loaded from ``_static``), draws with the Norwegian number and time
locale and the SVG renderer, and says in the element, in bokmål, why nothing could be drawn.
A map also waits for its geometry and fits its height to its shape (``map_helpers``).
"""

from __future__ import annotations

import json
from typing import Any

from navbok.present.theme import NUMBER_LOCALE, TIME_LOCALE

__all__ = ["EMBED_OPTIONS", "embed_script", "script_json"]

#: The options every figure and map is drawn with.
EMBED_OPTIONS: dict[str, Any] = {
    "renderer": "svg",
    "actions": False,
    "formatLocale": NUMBER_LOCALE,
    "timeFormatLocale": TIME_LOCALE,
}


def script_json(obj: Any, *, sort_keys: bool = False) -> str:
    """Compact, deterministic JSON that is safe inside an inline ``<script>``."""
    text = json.dumps(
        obj, sort_keys=sort_keys, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


_MAP_HELPERS = """\
  function geometry() {
    var meta = spec.usermeta && spec.usermeta.navbokGeometry;
    if (!meta) { return true; }
    spec.datasets = spec.datasets || {};
    var topo = meta.global ? window[meta.global] : spec.datasets[meta.dataset];
    if (!topo) { return false; }
    [meta.dataset].concat(meta.aliases || []).forEach(function (name) {
      spec.datasets[name] = topo;
    });
    return true;
  }
  function fitHeight() {
    // No taller than the map's shape needs at this width (a phone is width-bound).
    var aspect = spec.usermeta && spec.usermeta.navbokAspect;
    var el = document.querySelector(sel);
    if (aspect && el && el.clientWidth > 0 && typeof spec.height === "number") {
      spec.height = Math.max(120, Math.min(spec.height, Math.round(el.clientWidth * aspect)));
    }
  }
"""

_TEMPLATE = """(function () {
  var sel = %(sel)s, tries = 0;
  var spec = %(spec)s;
  var opt = %(opt)s;
  function fail(msg) {
    var el = document.querySelector(sel);
    if (el) { el.textContent = msg; }
  }
%(helpers)s  function draw() {
    if (typeof window.vegaEmbed === "function"%(ready)s) {
%(prepare)s      window.vegaEmbed(sel, spec, opt).catch(function (err) {
        fail("%(thing)s kunne ikke tegnes (" + err + "). Tallene finnes i tabellen under.");
      });
    } else if (tries++ < 300) {
      setTimeout(draw, 50);
    } else {
      fail("%(thing)s kan ikke vises fordi %(needs)s ikke er lastet. "
        + "Tallene finnes i tabellen under.");
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();"""


def embed_script(
    spec: Any, element_id: str, *, map_helpers: bool = False, sort_keys: bool = False
) -> str:
    """JavaScript (without ``<script>`` tags) that draws ``spec`` into ``#element_id``; with
    ``map_helpers`` it first puts the map's geometry into the spec's datasets (waiting for a
    geometry global) and lowers the height to the element's width × the map's aspect."""
    return _TEMPLATE % {
        "sel": script_json(f"#{element_id}"),
        "spec": script_json(spec, sort_keys=sort_keys),
        "opt": script_json(EMBED_OPTIONS, sort_keys=sort_keys),
        "helpers": _MAP_HELPERS if map_helpers else "",
        "ready": " && geometry()" if map_helpers else "",
        "prepare": "      fitHeight();\n" if map_helpers else "",
        "thing": "Kartet" if map_helpers else "Figuren",
        "needs": "kartdata eller figurbiblioteket" if map_helpers else "figurbiblioteket",
    }
