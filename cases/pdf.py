"""PDF documents: ``render_pdf`` is the one way Vägen makes a PDF (DESIGN.md "Documents").

A Django template under ``templates/pdf/`` (extending ``pdf/base.html``) is rendered with
autoescaping, in Swedish, and laid out by WeasyPrint with the letter stylesheet and fonts
from the project's own static files. Decision letters, calculation statements and
arbetsplaner all go through here.

Nothing is fetched from the network or from arbitrary files: the URL fetcher serves only
the project's static files (located through the staticfiles finders, so it works without
``collectstatic``, and from ``STATIC_ROOT`` after it) and ``data:`` URLs. Anything else
stops the rendering with ``PdfResourceError`` – a letter that silently lacks its logo or
fonts is worse than one that is not made. Error messages never carry a refused URL, which
could contain personal data.

Every document is PDF/UA-1 (``PDF_VARIANT``): tagged, with its language and title, so a
screen reader can read a letter in the order and structure it was written.

WeasyPrint is imported inside the functions (it is slow to import and loads native
libraries); ruff bans a module-level import. The fetcher needs WeasyPrint ≥ 68, which
introduced the URLFetcher class (and fixed redirects bypassing custom fetchers,
CVE-2025-68616).
"""

from __future__ import annotations

import atexit
import mimetypes
import os
import threading
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone, translation

if TYPE_CHECKING:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

# Documents are laid out as if served from this origin, so `{% static %}` URLs and
# relative URLs in the stylesheet become absolute URLs that only our fetcher understands.
# ".invalid" is reserved (RFC 6761): it never resolves, should anything else ever see it.
DOCUMENT_BASE_URL = "https://vagen-pdf.invalid/"

LETTER_STYLESHEET = "css/letter.css"
DOCUMENT_LANGUAGE = "sv"
# PDF/UA-1 (ISO 14289-1): a tagged PDF – headings, paragraphs, lists and tables in a
# structure tree a screen reader follows, with the document's language and title (shown
# instead of the file name). Public-sector documents fall under lag (2018:1937) om
# tillgänglighet till digital offentlig service, which points to EN 301 549 (its
# clause 10 covers non-web documents such as PDF letters).
PDF_VARIANT = "pdf/ua-1"


class PdfResourceError(Exception):
    """A document asked for a resource that is refused (anything but the project's
    static files and ``data:`` URLs) or could not be loaded."""


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render ``template_name`` with ``context`` to PDF bytes.

    The context gains ``municipality_name`` (from settings; there is no request, so the
    context processor does not run) and ``letter_date`` (today in Europe/Stockholm unless
    given – pass it when a letter's date must not move). ``document_title`` becomes the
    PDF title. Values are autoescaped like any template: never mark user text safe.
    """
    return render_document(template_name, context)[1]


def render_document(template_name: str, context: dict[str, Any]) -> tuple[str, bytes]:
    """Like ``render_pdf`` but also returns the HTML the PDF was made from, so a letter
    can be stored and shown again exactly as sent."""
    html = document_html(template_name, context)
    return html, pdf_from_html(html, title=context.get("document_title"))


def document_html(template_name: str, context: dict[str, Any]) -> str:
    """The document's HTML (``render_pdf``'s context rules): what a stored letter says,
    fixed when it is made; ``pdf_from_html`` lays it out, now or later."""
    context = {
        "letter_date": timezone.localdate(),
        **context,
        "municipality_name": settings.VAGEN_MUNICIPALITY_NAME,
    }
    with translation.override(DOCUMENT_LANGUAGE):
        return render_to_string(template_name, context)


def pdf_from_html(html: str, title: Any = None) -> bytes:
    """The PDF of a document's HTML. ``title`` (default: the HTML's own ``<title>``,
    which pdf/base.html fills from ``document_title``) becomes the PDF title."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    with translation.override(DOCUMENT_LANGUAGE):
        fetcher = static_url_fetcher()
        font_config, stylesheet = _letter_stylesheet(fetcher)
        try:
            document = HTML(string=html, base_url=DOCUMENT_BASE_URL, url_fetcher=fetcher).render(
                font_config=font_config, stylesheets=[stylesheet]
            )
            metadata = document.metadata
            # str() inside the override: a lazily translated title resolves in Swedish.
            metadata.title = str(title or metadata.title or "")
            metadata.authors = [settings.VAGEN_MUNICIPALITY_NAME]
            metadata.lang = DOCUMENT_LANGUAGE
            return document.write_pdf(pdf_variant=PDF_VARIANT)
        except FatalURLFetchingError as error:
            raise _resource_error(error) from None


def static_url_fetcher():
    """A WeasyPrint URL fetcher that serves the project's static files and ``data:``
    URLs and refuses everything else (raising inside WeasyPrint, which stops the
    rendering)."""
    # allowed_protocols guards the one path that reaches urllib: data: URLs.
    return _fetcher_class()(fail_on_errors=True, allowed_protocols={"data"})


def static_document_url(path: str) -> str:
    """The URL under which a document being rendered sees the static file ``path``."""
    return urljoin(DOCUMENT_BASE_URL, static(path))


def _static_prefix() -> str:
    # Read per call: STATIC_URL carries the script prefix of the current thread, as
    # `{% static %}` does; an absolute STATIC_URL (a CDN) is mapped the same way.
    return urljoin(DOCUMENT_BASE_URL, settings.STATIC_URL)


def static_file_for_url(url: str) -> tuple[bytes, str]:
    """Content and media type of the project static file that ``url`` names.

    Raises PdfResourceError for any URL outside the static prefix, for path traversal
    and for files that do not exist.
    """
    prefix = _static_prefix()
    if not url.startswith(prefix):
        raise PdfResourceError("Only the project's static files may be used in a PDF.")
    # Drop a query (cache busting) or fragment; the rest is a path, never a URL of its own.
    relative = unquote(url[len(prefix) :].partition("#")[0].partition("?")[0])
    segments = relative.split("/")
    if "\\" in relative or "\x00" in relative or any(s in ("", ".", "..") for s in segments):
        raise PdfResourceError("Refused a static path that is not a plain relative path.")
    try:
        path = finders.find(relative)
    except SuspiciousFileOperation:
        raise PdfResourceError("Refused a static path outside the static folders.") from None
    if path is not None:
        with open(path, "rb") as file:
            content = file.read()
    else:
        # After collectstatic with a manifest storage, `{% static %}` names hashed
        # copies that only exist in STATIC_ROOT.
        try:
            if not staticfiles_storage.exists(relative):
                raise PdfResourceError(f"No static file {relative!r}.")
            with staticfiles_storage.open(relative) as file:
                content = file.read()
        except SuspiciousFileOperation:
            raise PdfResourceError("Refused a static path outside STATIC_ROOT.") from None
    media_type = mimetypes.guess_type(relative)[0] or "application/octet-stream"
    return content, media_type


@cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme not in ("http", "https"):
                raise PdfResourceError(
                    f"Refused a {scheme or 'relative'}: URL; only the project's static "
                    "files and data: URLs may be used in a PDF."
                )
            content, media_type = static_file_for_url(url)
            if media_type.startswith("text/"):
                media_type += "; charset=utf-8"
            return URLFetcherResponse(url, content, {"Content-Type": media_type})

    return StaticFilesURLFetcher


# Parsing the letter stylesheet and loading its fonts into a Fontconfig configuration is
# most of the fixed cost of a render, so each thread keeps its own pair (WeasyPrint's font
# configuration wraps Pango/Fontconfig objects that are not safe to share across threads).
# The pair is rebuilt when the stylesheet's URL (hashed after collectstatic) or its file's
# modification time changes, so an edited stylesheet shows up without a restart.
_local = threading.local()


def _letter_stylesheet(fetcher) -> tuple[FontConfiguration, CSS]:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    url = static_document_url(LETTER_STYLESHEET)
    source = finders.find(LETTER_STYLESHEET)
    key = (url, os.path.getmtime(source) if source else None)
    cached = getattr(_local, "letter_stylesheet", None)
    if cached is not None and cached[0] == key:
        return cached[1], cached[2]
    font_config = FontConfiguration()
    try:
        stylesheet = CSS(url=url, url_fetcher=fetcher, font_config=font_config)
    except FatalURLFetchingError as error:
        raise _resource_error(error) from None
    _local.letter_stylesheet = (key, font_config, stylesheet)
    return font_config, stylesheet


@atexit.register
def _forget_letter_stylesheet() -> None:
    # Drop this thread's font configuration while the interpreter still works, so that
    # WeasyPrint can remove its temporary font folder.
    _local.__dict__.pop("letter_stylesheet", None)


def _resource_error(error: BaseException) -> PdfResourceError:
    # WeasyPrint's fatal error names the URL; keep only our own message, which does not.
    # FatalURLFetchingError derives from BaseException, so it must not escape to callers
    # (a Celery task) that handle Exception.
    cause = error.__cause__
    if isinstance(cause, PdfResourceError):
        return cause
    return PdfResourceError(f"A resource for the PDF could not be loaded ({type(cause).__name__}).")
