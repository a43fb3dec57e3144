"""Analyses that chapters use on top of the harmonised measures (growth, prices, Proba)."""
