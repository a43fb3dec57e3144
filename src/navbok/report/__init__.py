"""The chapter API: :class:`Report` and one module of views per chapter."""

from navbok.report.report import Report

__all__ = ["Report"]
