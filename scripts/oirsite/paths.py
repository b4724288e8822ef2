"""Paths inside the site: the pages that refer to entries, relative links between pages, and the
addresses MkDocs gives pages (the one place that knows how a source path becomes a URL)."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass


def relative_link(from_page: str, to_path: str) -> str:
    """A relative Markdown link from one site source path to another (an anchor may follow).

    Both are normalized paths inside the site (no '.', '..' or leading '/'), so plain splitting
    does what posixpath.relpath does, without its calls to the file system's current folder."""
    target, _, anchor = to_path.partition("#")
    start = from_page.split("/")[:-1]
    parts = target.split("/")
    common = 0
    while common < len(start) and common < len(parts) - 1 and start[common] == parts[common]:
        common += 1
    link = "/".join([".."] * (len(start) - common) + parts[common:])
    return link + (f"#{anchor}" if anchor else "")


@dataclass(frozen=True, order=True)
class PageRef:
    """A page that refers to an entry: for the "Referenced by" lists."""

    path: str  # site source path of the referring page
    title: str


def page_url(source_path: str, use_directory_urls: bool = True) -> str:
    """The address of a page, relative to the site's root, as MkDocs gives it: ``a/b.md`` is
    ``a/b/`` (or ``a/b.html``), ``a/index.md`` is ``a/`` (or ``a/index.html``); an anchor stays."""
    path, _, anchor = source_path.partition("#")
    stem = path.removesuffix(".md")
    if posixpath.basename(stem) == "index":
        url = stem[: -len("index")] if use_directory_urls else stem + ".html"
    else:
        url = stem + "/" if use_directory_urls else stem + ".html"
    return url + (f"#{anchor}" if anchor else "")


def page_file(source_path: str, use_directory_urls: bool = True) -> str:
    """The file that serves a page's address, relative to the site folder."""
    url = page_url(source_path, use_directory_urls)
    return url + "index.html" if url.endswith("/") or url == "" else url


def absolute_url(site_url: str, source_path: str) -> str:
    """The absolute URL of a page, from its Markdown source path (directory URLs)."""
    return site_url.rstrip("/") + "/" + page_url(source_path).lstrip("/")
