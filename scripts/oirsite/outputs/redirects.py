"""Old addresses keep working: a redirect page at the address of every former id (``formerly``) and of
every hand-written page an entry replaced (``former_pages``), where the old page was: a meta refresh (no
JavaScript needed), a short script that keeps the ``#part``, a canonical link and a plain link. The
target is relative, so the page works from file://, under a subpath and beside any engine's output.
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
    target = posixpath.relpath(to_url or ".", posixpath.dirname(from_file) or ".")
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
        old_pages = [entry.spec.page_path(former) for former in getattr(entry.data, "formerly", ())
                     if former != entry.id and len(former) <= MAX_ID_LENGTH]  # the check reports a long one
        for old_page in old_pages + list(getattr(entry.data, "former_pages", ())):
            from_file = page_file(old_page, use_directory_urls)
            pages.setdefault(from_file, redirect_html(from_file, to_url, site_url, entry.title))
    return pages
