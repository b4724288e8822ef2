"""What a renderer of one page may ask: entries by id, links relative to the page, the settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from ..graph.catalog import Catalog
from ..read.loader import Entry
from ..core.paths import absolute_url, relative_link
from ..core.markdown_text import esc, section
from .relmap import map_around


@dataclass(frozen=True)
class PageContext:
    catalog: Catalog
    page: str  # the site source path of the page being written, such as 'events/index.md'
    site_url: str = "/"
    options: Mapping[str, Any] | None = None  # the site's settings that lists may use

    def at(self, page: str) -> PageContext:
        return PageContext(self.catalog, page, self.site_url, self.options)

    def rel(self, path: str) -> str:
        """A relative link from this page to a site source path."""
        return relative_link(self.page, path)

    def link(self, entry: Entry, text: str | None = None) -> str:
        return f"[{esc(text or entry.title)}]({relative_link(self.page, entry.page)})"

    def get(self, entry_id: str | None, collection: str = "*") -> Entry | None:
        return self.catalog.get(entry_id or "", collection)

    def resolved(self, ids: list[str], collection: str) -> list[Entry]:
        return [e for e in (self.catalog.get(i, collection) for i in ids) if e is not None]

    def links(self, ids: list[str], collection: str) -> str:
        return ", ".join(self.link(e) for e in self.resolved(ids, collection))

    def url(self, entry: Entry) -> str:
        """The absolute URL of an entry's page (for feeds and structured data)."""
        return absolute_url(self.site_url, entry.page)

    def in_collection(self, collection: str) -> list[Entry]:
        return self.catalog.in_collection(collection)

    def relation_map(self, entry: Entry) -> str:
        """The section with the part of the organizations' map around ``entry`` (pages/relmap.py)."""
        return section("Organization map", map_around(self, entry))
