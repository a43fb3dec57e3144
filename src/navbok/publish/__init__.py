"""Publishing the national edition: one folder for a static host, and its check.

:mod:`navbok.publish.folder` writes the folder (``navbok publish --out``),
:mod:`navbok.publish.check` checks it (``navbok publish --check``), :mod:`navbok.publish.links`
reads the links of both, :mod:`navbok.publish.news` writes «Hva er nytt» (what changed since the
previous edition).
"""

from navbok.publish.check import check_folder
from navbok.publish.folder import PublishStats, book_folder, publish

__all__ = ["PublishStats", "book_folder", "check_folder", "publish"]
