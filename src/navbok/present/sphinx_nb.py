"""Bokmål for the book's interface: a small Sphinx extension (``navbok.present.sphinx_nb``).

The book is built with ``language: nb_NO`` (the page's ``lang`` is then ``nb-NO``). Who
translates what:

* **Sphinx** loads its own ``nb_NO`` catalog (message domain ``sphinx``) into
  ``sphinx.locale.translators`` before any extension is set up. The Jinja ``_()`` of every
  theme template and Sphinx's own writers (headerlink titles) use that translator.
* **pydata-sphinx-theme** adds its catalogs to the same ``sphinx`` domain
  (``app.add_message_catalog``) but has none for Norwegian: «On this page», «Color mode»,
  «Light»/«Dark», «Skip to main content», «Back to top», «Site navigation» … stay English.
* **sphinx-book-theme** (domain ``booktheme``) and **sphinx-togglebutton** (``togglebutton``)
  ship ``no`` only, which gettext does not find for ``nb_NO``. Togglebutton translates its
  hint once, in its ``setup``, into a config value.
* Some English is not translatable at all: attribute values written literally in the themes'
  templates (``aria-label="Main"``, ``title="Toggle primary sidebar"`` …), Jupyter Book's
  ``search_bar_text`` («Search this book...»), **sphinx-copybutton**'s tooltip (a JavaScript
  dict keyed by the page's ``lang``, no Norwegian entry) and Sphinx's search page script
  (``searchtools.js``: «Your search did not match …» is empty in Sphinx's catalog).

This extension fills those gaps from the ``.po`` files in ``locale/nb_NO/LC_MESSAGES/`` next to
it, compiled in memory with Babel (no ``.mo`` on disk, nothing copied into the book's stage):

1. in ``setup``, each catalog is put first in its domain's translator chain, with what was
   there (Sphinx's own ``nb_NO`` catalog, for ``sphinx``) as its fallback — once per process,
   however many books are rendered — and the inline script below is registered;
2. at ``config-inited``, Jupyter Book's search placeholder and togglebutton's hints are
   translated when they still hold their English defaults, and the search index keeps
   Sphinx's Norwegian stemmer (``html_search_language = "no"``: Sphinx has no ``nb``);
3. at ``builder-inited``, the Jinja loader is wrapped so the literal attribute values in
   :data:`LITERAL_TEXTS` are replaced by their translation as templates load.

The inline script (:func:`script`) gives sphinx-copybutton its texts and Sphinx's search page
the texts its ``nb_NO`` catalog lacks or words less well.

The extension does nothing unless ``language`` is ``nb_NO`` or ``nb``.

It also writes the book's links to the national site (:func:`_page_links`): the config value
``navbok_links`` (``[[text, path relative to the book's root], …]``, set per book by
:func:`navbok.builder.config.book_config`) becomes a small ``<nav>`` at the top of every page, each
path made relative to the page with Sphinx's ``pathto`` (so it works from ``file://`` at
every depth).

The book's title is the params' text: :func:`_text_title` escapes it for every page.
"""

from __future__ import annotations

import functools
import gettext
import html
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from jinja2 import BaseLoader, Environment
from markupsafe import Markup
from sphinx import locale
from sphinx.application import Sphinx
from sphinx.config import Config

LOCALE_DIR = Path(__file__).with_name("locale")
CATALOG_LANGUAGE = "nb_NO"  # the folder under LOCALE_DIR
LANGUAGES = frozenset({"nb_NO", "nb"})  # values of Sphinx's ``language`` served from it
DOMAINS = ("sphinx", "booktheme", "togglebutton", "copybutton")

# English attribute values the themes write literally into their templates (domain sphinx).
LITERAL_TEXTS = (
    "Main",  # sphinx-book-theme: <nav aria-label="Main"> (the chapter list)
    "Page",  # sphinx-book-theme: <nav aria-label="Page"> (the printed contents)
    "Toggle primary sidebar",  # sphinx-book-theme: sidebar toggle buttons' title
    "Toggle secondary sidebar",
    "Announcement",  # pydata-sphinx-theme: the local announcement banner (demo data notice)
    "Related",  # Sphinx's basic layout
    "source link",
)
_LITERAL_ATTRIBUTE = re.compile(r'(?<=\s)(aria-label|title|placeholder|alt)="([^"{}<>]*)"')

JUPYTER_BOOK_SEARCH_TEXT = "Search this book..."  # jupyter_book.config's html_theme_options
TOGGLEBUTTON_HINTS = {
    "togglebutton_hint": "Click to show",
    "togglebutton_hint_hide": "Click to hide",
}
# The strings Sphinx's searchtools.js and sphinx_highlight.js translate (Sphinx 7.4).
SEARCH_SCRIPT_TEXTS = (
    "Search Results",
    "Searching",
    "Preparing search...",
    "Search finished, found ${resultCount} page(s) matching the search query.",
    "Your search did not match any documents. Please make sure that all words are spelled "
    "correctly and that you've selected enough categories.",
    ", in ",
    "Hide Search Matches",
)
# sphinx-copybutton's message keys (copybutton.js ``messages``) → msgid in copybutton.po.
COPYBUTTON_TEXTS = {
    "copy": "Copy",
    "copy_to_clipboard": "Copy to clipboard",
    "copy_success": "Copied!",
    "copy_failure": "Failed to copy",
}
SCRIPT_PRIORITY = 600  # after translations.js and copybutton.js (500), before html_js_files


class Catalog(gettext.GNUTranslations):
    """One of navbok's catalogs (marked, so a long-lived process adds it once per domain)."""

    domain = ""


def po_path(domain: str) -> Path:
    """The ``.po`` source of ``domain``'s bokmål catalog."""
    return LOCALE_DIR / CATALOG_LANGUAGE / "LC_MESSAGES" / f"{domain}.po"


def messages(domain: str) -> dict[str, str]:
    """The catalog of ``domain`` as msgid → translation (the untranslated as ``""``)."""
    with po_path(domain).open("rb") as fp:
        catalog = read_po(fp)
    return {str(m.id): str(m.string or "") for m in catalog if m.id}


@functools.cache
def _mo_bytes(domain: str) -> bytes:
    with po_path(domain).open("rb") as fp:
        catalog = read_po(fp)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def catalog(domain: str) -> Catalog:
    """A fresh translations object for ``domain``, compiled from its ``.po`` file."""
    result = Catalog(io.BytesIO(_mo_bytes(domain)))
    result.domain = domain
    return result


def _chain(head: gettext.NullTranslations | None) -> list[gettext.NullTranslations]:
    found: list[gettext.NullTranslations] = []
    while head is not None and all(head is not t for t in found):
        found.append(head)
        head = getattr(head, "_fallback", None)
    return found


def install(domain: str) -> gettext.NullTranslations:
    """Put ``domain``'s catalog first in ``sphinx.locale.translators``; return the new head.

    What the domain had (Sphinx's own ``nb_NO`` catalog for ``sphinx``) becomes its fallback,
    so these translations win where both have one. A long-lived process rendering many books
    adds it once: a chain that holds it already is left as it is.
    """
    key = ("general", domain)
    head = locale.translators.get(key)
    if head is not None and any(
        isinstance(t, Catalog) and t.domain == domain for t in _chain(head)
    ):
        return head
    mine = catalog(domain)
    if head is not None and head.__class__ is not gettext.NullTranslations:
        mine.add_fallback(head)
    locale.translators[key] = mine
    return mine


def _active(app: Sphinx) -> bool:
    return (app.config.language or "") in LANGUAGES


class TranslatingLoader(BaseLoader):
    """A Jinja loader that replaces the :data:`LITERAL_TEXTS` attribute values as it loads."""

    def __init__(self, inner: BaseLoader, translate: Callable[[str], str]) -> None:
        self.inner = inner
        self.translate = translate

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = self.inner.get_source(environment, template)
        return _LITERAL_ATTRIBUTE.sub(self._replace, source), filename, uptodate

    def _replace(self, match: re.Match[str]) -> str:
        attribute, text = match.groups()
        if text not in LITERAL_TEXTS:
            return match.group(0)
        return f'{attribute}="{html.escape(self.translate(text), quote=True)}"'


def script() -> str:
    """The inline script: the copy button's texts and the search page's missing texts.

    Sphinx's ``Documentation.addTranslations`` merges into what ``translations.js`` loaded.
    sphinx-copybutton keeps ``messages``, ``locale``, ``iconCopy`` and ``iconCheck`` as
    top-level bindings of its (classic) script, shared with later scripts: the page's ``lang``
    gets an entry, becomes the locale, and the icons' ``<title>`` is replaced.
    """
    sphinx_ = locale.get_translation("sphinx")
    copy = locale.get_translation("copybutton")
    search = {msgid: str(sphinx_(msgid)) for msgid in SEARCH_SCRIPT_TEXTS}
    buttons = {key: str(copy(msgid)) for key, msgid in COPYBUTTON_TEXTS.items()}
    titles = {key: html.escape(buttons[key]) for key in ("copy_to_clipboard", "copy_success")}

    def js(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")

    return f"""(() => {{
  if (typeof Documentation !== "undefined") {{
    Documentation.addTranslations({{
      locale: {js(CATALOG_LANGUAGE)}, plural_expr: "(n != 1)", messages: {js(search)}
    }});
  }}
  if (typeof messages !== "undefined" && typeof locale !== "undefined" && messages.en) {{
    const tag = document.documentElement.lang || {js(CATALOG_LANGUAGE)};
    const title = (svg, text) =>
      svg.replace(/<title>[^<]*<\\/title>/, `<title>${{text}}<\\/title>`);
    messages[tag] = {js(buttons)};
    locale = tag;
    iconCopy = title(iconCopy, {js(titles["copy_to_clipboard"])});
    iconCheck = title(iconCheck, {js(titles["copy_success"])});
  }}
}})();"""


def _config_inited(app: Sphinx, config: Config) -> None:
    if not _active(app):
        return
    sphinx_ = locale.get_translation("sphinx")
    options = dict(config.html_theme_options or {})
    if options.get("search_bar_text") == JUPYTER_BOOK_SEARCH_TEXT:
        options["search_bar_text"] = str(sphinx_(JUPYTER_BOOK_SEARCH_TEXT))
        config.html_theme_options = options
    toggle = locale.get_translation("togglebutton")
    for name, msgid in TOGGLEBUTTON_HINTS.items():
        if name in config and config[name] == msgid:
            config[name] = str(toggle(msgid))
    if not config.html_search_language:
        config.html_search_language = "no"  # sphinx.search.no: Sphinx's Norwegian stemmer


def _builder_inited(app: Sphinx) -> None:
    if not _active(app):
        return
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if not isinstance(environment, Environment) or environment.loader is None:
        return  # not a builder with Jinja templates
    if not isinstance(environment.loader, TranslatingLoader):
        translate = locale.get_translation("sphinx")
        environment.loader = TranslatingLoader(environment.loader, lambda s: str(translate(s)))


def _page_links(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Put the ``navbok_links`` at the top of the page's body (relative to the page)."""
    links = app.config.navbok_links or []
    if not links or "body" not in context or "pathto" not in context:
        return
    pathto = context["pathto"]
    items = " · ".join(
        f'<a href="{html.escape(pathto(str(path), 1))}">{html.escape(str(text))}</a>'
        for text, path in links
    )
    context["body"] = (
        f'<nav class="navbok-lenker" aria-label="Nettstedet">{items}</nav>\n' + context["body"]
    )


def _text_title(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """The book's title (``html_title``: the params' ``title``, text) as escaped HTML.

    The themes write ``docstitle`` both escaped (``<title>``) and as it is (the navbar's
    ``logo__title``); as :class:`markupsafe.Markup` it is escaped once in both."""
    for key in ("docstitle", "shorttitle"):
        value = context.get(key)
        if isinstance(value, str) and not isinstance(value, Markup):
            context[key] = Markup.escape(value)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the catalogs (when the language is bokmål) and the event handlers."""
    if _active(app):
        for domain in DOMAINS:
            head = install(domain)
            if domain == "sphinx":
                app.translator = head  # what the Jinja environment's ``_()`` will use
        # In setup, not at builder-inited: a script added then is written twice in every page.
        app.add_js_file(None, body=script(), priority=SCRIPT_PRIORITY)
    # Before togglebutton's own config-inited handler (priority 500) writes its hints into JS.
    app.connect("config-inited", _config_inited, priority=400)
    app.connect("builder-inited", _builder_inited)
    app.add_config_value("navbok_links", [], "html")
    app.connect("html-page-context", _page_links)
    app.connect("html-page-context", _text_title)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
