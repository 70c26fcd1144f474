"""Render a document template to PDF with WeasyPrint, offline.

Fonts come from fontconfig (Debian's fonts-noto-cjk); nothing is downloaded. The
URL fetcher refuses every resource but files under the project's static folders and
inline ``data:`` URLs, so a template (or text a user typed into one) can never make
the server fetch a remote or local-but-private file. WeasyPrint subsets the embedded
CJK fonts with libharfbuzz-subset0; without it every page embeds the whole font and
takes seconds (:func:`harfbuzz_subsetting` tells which one is loaded).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

STYLESHEET = "documents/official.css"


def _static_roots() -> list[Path]:
    roots = [Path(p).resolve() for p in settings.STATICFILES_DIRS]
    roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def _fetcher_class() -> Any:
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class LocalStaticFetcher(URLFetcher):  # type: ignore[misc]
        """Serves file: URLs inside the static folders and data: URLs; refuses the rest
        with an error that stops the rendering (never a silent network call)."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)

        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file" and parts.netloc in ("", "localhost"):
                path = Path(unquote(parts.path)).resolve()
                if any(path.is_relative_to(root) for root in _static_roots()) \
                        and path.is_file():
                    return URLFetcherResponse(url, path.read_bytes())
            raise FatalURLFetchingError(f"resource refused (not a local static file): {url}")

    return LocalStaticFetcher


def harfbuzz_subsetting() -> bool:
    """True when WeasyPrint found libharfbuzz-subset (fast font subsetting)."""
    from weasyprint.text import ffi

    return bool(ffi.harfbuzz_subset) and bool(ffi.harfbuzz.hb_version_atleast(4, 1, 0))


def render_html(template_name: str, context: dict[str, Any]) -> str:
    return render_to_string(template_name, context)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML

    fetcher = _fetcher_class()()
    stylesheet = finders.find(STYLESHEET)
    if not stylesheet:
        raise FileNotFoundError(STYLESHEET)
    base = Path(settings.STATICFILES_DIRS[0]).resolve().as_uri() + "/"
    document = HTML(string=html, base_url=base, url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(stylesheets=[CSS(filename=str(stylesheet),
                                                     url_fetcher=fetcher)])
    return pdf


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """The PDF of ``template_name`` rendered with ``context`` (an A4 official document
    when the template extends ``documents/official.html``)."""
    return html_to_pdf(render_html(template_name, context))
