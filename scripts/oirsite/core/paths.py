"""Paths inside the site: the pages that refer to entries, relative links between pages, and the
addresses MkDocs gives pages (the one place that knows how a source path becomes a URL)."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Any, Iterable

FEED_PATH = "feed.xml"
CALENDAR_PATH = "events.ics"


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
    if posixpath.basename(stem) == "README":  # MkDocs serves a README.md as its folder's index
        stem = stem[: -len("README")] + "index"
    if posixpath.basename(stem) == "index":
        url = stem[: -len("index")] if use_directory_urls else stem + ".html"
    else:
        url = stem + "/" if use_directory_urls else stem + ".html"
    return url + (f"#{anchor}" if anchor else "")


def page_file(source_path: str, use_directory_urls: bool = True) -> str:
    """The file that serves a page's address, relative to the site folder."""
    url = page_url(source_path, use_directory_urls)
    return url + "index.html" if url.endswith("/") or url == "" else url


def output_file(site_path: str, use_directory_urls: bool = True) -> str:
    """The file of the site folder that a site source path makes: a page's (``page_file``), or the
    path itself for any other file (an image, the feed, a calendar)."""
    return page_file(site_path, use_directory_urls) if site_path.endswith(".md") else site_path


# What the engine writes beside the pages: a page or file of docs/ at one of these addresses (or,
# for a folder, inside it) would replace it or be replaced.
ENGINE_OUTPUTS = {"sitemap.xml": "the sitemap", "sitemap.xml.gz": "the sitemap", "404.html": "the page for a "
                  "missing address", "search/search_index.json": "the search index", "admin/": "the web editor (admin/)"}


class Addresses:
    """Who makes each file of the site: generated pages, hand-written pages, files and redirects
    are compared here by the file their address is served from (not by their source paths, which
    differ for ``a.md`` and ``a/index.md``), whatever its case (a folder of a Mac or Windows machine
    holds only one of ``A/`` and ``a/``); a file is also taken where another one needs a folder of
    its name (``events.ics`` and ``events.ics/index.html``), and the engine's own outputs are taken
    from the start."""

    def __init__(self, site_paths: Iterable[str] = ()):
        self._files: dict[str, str] = {}  # file of the site folder (casefolded) -> who makes it
        self._folders: dict[str, str] = {}  # folder that holds a made file ("a/b/") -> who made the first
        for path, owner in ENGINE_OUTPUTS.items():
            (self._folders if path.endswith("/") else self._files)[path] = owner
        for path in site_paths:
            self.claim(path, path)

    def _taken(self, key: str) -> str | None:
        parts = key.split("/")
        for i in range(1, len(parts)):  # a folder on the way is another's file, or a reserved folder
            prefix = "/".join(parts[:i])
            if prefix in self._files:
                return self._files[prefix]
            if prefix + "/" in self._folders and self._folders[prefix + "/"] in ENGINE_OUTPUTS.values():
                return self._folders[prefix + "/"]
        return self._files.get(key) or self._folders.get(key + "/")

    def claim(self, site_path: str, owner: str) -> str | None:
        """Record that ``owner`` makes ``site_path``; or, if its address is taken, who took it."""
        key = output_file(site_path).casefold()
        taken = self._taken(key)
        if taken is None:
            self._files[key] = owner
            parts = key.split("/")
            for i in range(1, len(parts)):
                self._folders.setdefault("/".join(parts[:i]) + "/", owner)
        return taken

    def owner(self, site_path: str) -> str | None:
        """Who makes the file at ``site_path``'s address (or needs it as a folder), if anyone does."""
        return self._taken(output_file(site_path).casefold())


def absolute_url(site_url: str, source_path: str) -> str:
    """The absolute URL of a page, from its Markdown source path (directory URLs)."""
    return site_url.rstrip("/") + "/" + page_url(source_path).lstrip("/")


def calendar_path(entry: Any) -> str:
    return f"{entry.collection}/{entry.id}.ics"
