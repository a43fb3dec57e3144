"""Presentation: how numbers, charts and tables look on a page and in downloads.

* :mod:`~navbok.present.numbers` — Norwegian number texts (``fmt_number``, ``fmt_percent``, …);
* :mod:`~navbok.present.exports` — CSV and Excel downloads with their provenance;
* :mod:`~navbok.present.tables` — the one HTML table writer, download links, stand-alone tables;
* :mod:`~navbok.present.theme` — colours, fonts and the Norwegian locale of the charts;
* :mod:`~navbok.present.chart_specs` — the Vega-Lite specs of line, bar, waterfall and heatmap;
* :mod:`~navbok.present.figure` — a chart as a figure with caption, data table and downloads;
* :mod:`~navbok.present.bundle` — the offline JavaScript (Vega, Vega-Lite, vega-embed).

Status symbols come from :mod:`navbok.status`. The other modules here (maps, prose, the Sphinx
extension for bokmål) say what they hold in their own docstrings.
"""
