"""Publishing the national edition: one folder for a static host, and its check.

:mod:`.folder` writes the folder (``navbok publish --out``), :mod:`.check` checks it
(``navbok publish --check``), :mod:`.links` reads the links of both, :mod:`.news` writes «Hva er
nytt» (what changed since the previous edition).
"""

from navbok.site.publish.check import check_folder
from navbok.site.publish.folder import PublishStats, book_folder, publish

__all__ = ["PublishStats", "book_folder", "check_folder", "publish"]
