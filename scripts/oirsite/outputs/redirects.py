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
from typing import Iterable

from ..graph.catalog import Catalog
from ..core.diagnostics import Diagnostics
from ..model.fields import MAX_ID_LENGTH
from ..core.paths import Addresses, page_file, page_url


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


def check_former_ids(catalog: Catalog, diagnostics: Diagnostics, site_paths: Addresses | Iterable[str] = ()) -> None:
    """Report a former id that another entry still uses, that two entries claim, or whose old
    page would stand at the address of a page of the site (``site_paths``: who makes each address,
    or the Markdown source paths of every page and file). Each message points at the ``formerly`` item."""
    live = {entry_id.lower(): entry for entry_id, entry in catalog.entries.items()}
    live.update({entry_id.lower(): broken for entry_id, broken in catalog.broken.items()})
    pages = site_paths if isinstance(site_paths, Addresses) else Addresses(site_paths)
    claimed: dict[str, tuple[str, object]] = {}  # former id (lowercase) -> (file, entry)
    for entry in sorted(catalog.entries.values(), key=lambda e: e.source):
        for index, former in enumerate(getattr(entry.data, "formerly", ())):
            where = (entry.source, *entry.location(("formerly", index)))
            if len(former) > MAX_ID_LENGTH:  # its redirect's folder would be a file name too long to write
                diagnostics.error(*where, "invalid-value", f"this former id is {len(former)} characters long: "
                                  f"an id has at most {MAX_ID_LENGTH}", "remove it from 'formerly'")
                continue
            owner = live.get(former.lower())
            if owner is not None:
                whose = "this entry's own id" if owner is entry else f"the id of {owner.source}"
                diagnostics.error(*where, "duplicate-id",
                                  f"the former id '{former}' is {whose}: its old address cannot lead here",
                                  "remove it from 'formerly'" if owner is entry
                                  else "remove it from 'formerly', or rename the other entry")
                continue
            first = claimed.get(former.lower())
            if first is not None:
                if first[1] is entry:
                    diagnostics.error(*where, "duplicate-id", f"the former id '{former}' is listed twice",
                                      "keep only one of them")
                else:
                    diagnostics.error(*where, "duplicate-id",
                                      f"the former id '{former}' is also a former id of {first[0]}: "
                                      "its old address can lead to only one page",
                                      "keep it in the entry that the old address should lead to")
                continue
            claimed[former.lower()] = (entry.source, entry)
            old_page = entry.spec.page_path(former)
            owner = pages.owner(old_page) if entry.spec.has_pages else None
            if owner is not None:
                made_by = "" if owner == old_page else f" ({owner})"
                diagnostics.error(*where, "page-clash",
                                  f"the old address of '{former}' ('{old_page}') is a page of the site now{made_by}",
                                  "remove it from 'formerly' (the page at that address stays)")


__all__ = ["redirect_pages", "check_former_ids", "page_url", "page_file", "redirect_html"]
