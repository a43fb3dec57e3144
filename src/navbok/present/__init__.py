"""Presentation: chart theme and specs, figure and table HTML, number formatting, exports."""
