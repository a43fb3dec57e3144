"""navbok: a reproducible publication on NAV social services in Norwegian municipalities."""

__version__ = "0.1.0"
