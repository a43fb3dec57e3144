"""The offline JavaScript for the book's charts: Vega, Vega-Lite and vega-embed in one file.

:func:`write_vega_bundle` writes :data:`BUNDLE_NAME` into the site's ``_static/`` folder; the
figures (:mod:`navbok.present.figure`) draw with the ``window.vegaEmbed`` it sets, so nothing is
fetched from the network.
"""

from __future__ import annotations

from pathlib import Path

import altair as alt

from navbok.files import write_atomic

__all__ = ["BUNDLE_NAME", "write_vega_bundle"]

#: The file name of the bundle in the site's ``_static/`` folder.
BUNDLE_NAME = "navbok-vega.js"


def _vl_version() -> str | None:
    """The Vega-Lite version (major.minor) Altair targets, if vl-convert has it bundled."""
    import vl_convert as vlc

    wanted = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return wanted if wanted in vlc.get_vegalite_versions() else None


def write_vega_bundle(dest_dir: Path) -> Path:
    """Write ``navbok-vega.js`` (Vega, Vega-Lite and vega-embed, no network) into ``dest_dir``.

    The bundle is built offline by ``vl_convert.javascript_bundle`` and wrapped in an IIFE
    that sets ``window.vegaEmbed``, ``window.vega`` and ``window.vegaLite``, so it works as a
    classic (also ``defer``) ``<script>``. The first line records the versions; an existing
    file with the same first line is kept as it is.

    Returns:
        The path of the bundle.
    """
    import vl_convert as vlc

    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / BUNDLE_NAME
    vl_version = _vl_version()
    vlc_version = vlc.__version__  # type: ignore[attr-defined]  # missing from vl_convert's stub
    header = (
        f"/* {BUNDLE_NAME}: vega {vlc.get_vega_version()}, vega-lite {vl_version or 'latest'},"
        f" vega-embed {vlc.get_vega_embed_version()}; vl-convert {vlc_version} */\n"
    )
    if target.exists():
        with target.open(encoding="utf-8") as fh:
            if fh.readline() == header:
                return target
    code = vlc.javascript_bundle(
        snippet="window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite;",
        vl_version=vl_version,
    )
    text = f'{header}(function () {{\n"use strict";\n{code}\n}})();\n'
    return write_atomic(target, text)
