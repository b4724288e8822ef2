"""Old addresses keep working: a small redirect page at the address of every former id.

An entry lists its former ids in ``formerly`` (``build.py rename`` adds them). For each one the
build writes a static HTML file where the old page was, such as
``organizations/old-id/index.html`` (or ``organizations/old-id.html`` without directory URLs),
that sends the reader on to the entry's page:

* ``<meta http-equiv="refresh">``: works without JavaScript, in every browser, on any static host;
* a short script that keeps the ``#part`` of the address (the meta refresh cannot);
* ``<link rel="canonical">``: search engines move their listing to the new page;
* a plain link, for the reader whose browser does neither.

The target is a *relative* address, so the page works from a folder (file://), under a subpath
of a host, and on any engine's output (MkDocs, Zensical): these are plain files next to the pages.
Nothing here imports MkDocs.
"""

from __future__ import annotations

import html
import posixpath

from ..graph.catalog import Catalog
from ..model.fields import MAX_ID_LENGTH
from ..core.paths import page_file, page_url


def redirect_html(from_file: str, to_url: str, site_url: str, title: str) -> str:
    """A redirect page stored at ``from_file`` (relative to the site folder) that leads to the
    page at ``to_url`` (relative to the site's root)."""
    here = posixpath.dirname(from_file)
    target = posixpath.relpath(to_url or ".", here or ".")
    if to_url.endswith("/") and not target.endswith("/"):
        target += "/"
    canonical = (site_url.rstrip("/") + "/" + to_url) if site_url else target
    href, name = html.escape(target, quote=True), html.escape(title)
    return (
        "<!doctype html>\n"
        '<html lang="en">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f"<title>{name} (moved)</title>\n"
        f'<meta http-equiv="refresh" content="0; url={href}">\n'
        f'<link rel="canonical" href="{html.escape(canonical, quote=True)}">\n'
        '<meta name="robots" content="noindex">\n'
        f'<script>location.replace("{href}" + location.hash)</script>\n'
        "</head>\n"
        "<body>\n"
        f'<p>This page has moved: <a href="{href}">{name}</a>.</p>\n'
        "</body>\n"
        "</html>\n"
    )


def redirect_pages(catalog: Catalog, site_url: str = "", use_directory_urls: bool = True) -> dict[str, str]:
    """Every redirect page: its file (relative to the site folder) -> its HTML. Entries without
    pages of their own (glossary terms) have no old page to redirect from."""
    pages: dict[str, str] = {}
    for entry in sorted(catalog.entries.values(), key=lambda e: e.source):
        if not entry.spec.has_pages:
            continue
        to_url = page_url(entry.page, use_directory_urls)
        for former in getattr(entry.data, "formerly", ()):
            if former == entry.id or len(former) > MAX_ID_LENGTH:  # the check reports a long one
                continue
            from_file = page_file(entry.spec.page_path(former), use_directory_urls)
            pages.setdefault(from_file, redirect_html(from_file, to_url, site_url, entry.title))
    return pages



__all__ = ["redirect_pages", "page_url", "page_file", "redirect_html"]
