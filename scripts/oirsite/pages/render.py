"""The pages made from the content: what a renderer may ask (``PageContext``), each entry's page (what
its collection renders, the pages that mention it, its sources and review date, its metadata), the
index pages and the generated lists.

Reader pages hold reader text only: nothing here writes an open item, a source note or any other
text meant for editors (those go to the check's messages)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from .. import collections
from ..collections.sources import passage_url, source_date
from ..core.dates import PartialDate, format_date, format_range
from ..core.escape import script_json
from ..core.markdown_text import esc, front_matter, plural, section
from ..core.paths import absolute_url, relative_link
from ..graph.catalog import Catalog
from ..read.loader import Entry
from .relmap import map_around, organization_map


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


# Pages with fewer second-level headings than this have no table of contents rail.
TOC_MIN_HEADINGS = 4
# The site's search (Material's, which reads a page's `search:` front matter): an index page whose
# every entry has a page of its own is left out (the search finds those pages); the glossary and the
# sources rank after every other page (a heading there weighs what a word of text weighs elsewhere).
# An entry page's Sources section is left out: it cites, and every source is on the sources page.
LAST_BOOST = 0.001
SEARCH_HIDDEN = ("sources",)


def search_meta(spec: collections.CollectionSpec, index: bool = False) -> dict | None:
    """The `search:` front matter of an entry's page (its collection's ``search_boost``) or, with
    ``index``, of its collection's index page (left out where its entries have pages or its boost is 0)."""
    if index:
        return {"exclude": True} if spec.has_pages or not spec.search_boost else {"boost": LAST_BOOST}
    return {"boost": spec.search_boost} if spec.search_boost != 1 else None


def _mentioning_entry(ctx: PageContext, path: str) -> Entry | None:
    folder, _, name = path.partition("/")
    if not name.endswith(".md") or "/" in name:
        return None
    return ctx.get(name.removesuffix(".md"), folder)


def mentioned_in(ctx: PageContext, entry: Entry) -> str:
    """The content pages (other entries' pages) that mention ``entry``, grouped by collection (events
    newest first, with their dates). Hand-written pages and lists are not content about it: the home
    page, the glossary and the site's own pages only link or expand."""
    groups: dict[str, list[Entry]] = {}
    for ref in ctx.catalog.referenced_by(entry):
        other = _mentioning_entry(ctx, ref.path.partition("#")[0])
        if other is not None and other.spec.has_pages and other is not entry:
            groups.setdefault(other.collection, []).append(other)
    parts = []
    for name, spec in collections.registry().items():
        members = groups.get(name)
        if not members:
            continue
        if spec.feed_item is not None:  # dated entries: newest first, with their dates
            members.sort(key=lambda e: (spec.feed_item(e).date.first_day, e.id), reverse=True)
        elif spec.sort_key is not None:
            members.sort(key=spec.sort_key)
        parts.append(f"### {esc(spec.title)}\n\n" + "\n".join(_mention(ctx, other) for other in members))
    return "\n\n".join(parts)


def _mention(ctx: PageContext, other: Entry) -> str:
    """A link to a mentioning page, with its date where it has one (its summary stays on its own page)."""
    spec = other.spec
    line = f"- {ctx.link(other)}"
    if spec.feed_item is not None:
        item = spec.feed_item(other)
        line += f", {esc(format_range(item.date, item.end))}"
    return line


def sources_section(ctx: PageContext, entry: Entry) -> str:
    """The sources the entry names, each a link to its place on the sources page, with its date and
    a link to each passage the entry marks in it (where the source has an address)."""
    lines = []
    locators = list(getattr(entry.data, "locators", ()))
    for source in ctx.resolved(list(getattr(entry.data, "sources", [])), "sources"):
        data = source.data
        when = source_date(data)  # type: ignore[arg-type]
        line = f"- {ctx.link(source)}, {esc(data.publisher)}" + (f", {format_date(when)}" if when else "")  # type: ignore[attr-defined]
        passages = [f"[“{esc(loc.text)}”](<{passage_url(data.url, loc.text)}>)"  # type: ignore[attr-defined]
                    for loc in locators if loc.source == source.id and data.url]  # type: ignore[attr-defined]
        lines.append(line + (": " + ", ".join(passages) if passages else ""))
    return "\n".join(lines)


def last_reviewed(ctx: PageContext, entry: Entry) -> str:
    """'Checked against its sources on 3 December 2026.': the day an editor set (``reviewed:``), never
    a commit date."""
    day = getattr(entry.data, "reviewed", None)
    return f"Checked against its sources on {format_date(PartialDate.parse(day))}." if day else ""


def render_entry_page(ctx: PageContext, entry: Entry, body: str) -> str:
    """The page of one entry: its collection's parts (facts, summary, body, sections), the pages
    that mention it, its sources and review date, and its front matter (description); its JSON-LD is
    ``entry_jsonld``, whether it shows a table of contents ``hides_toc``. Tags are kept in the content (for the
    feed's readers and editors) but not shown: with no page listing them, they would lead nowhere."""
    spec = entry.spec
    ctx = ctx.at(entry.page)
    parts = spec.view.render(ctx, entry, body)
    parts.append(section("Mentioned in", mentioned_in(ctx, entry)).lstrip("\n"))
    sources = sources_section(ctx, entry)
    reviewed = last_reviewed(ctx, entry)
    if sources or reviewed:
        parts.append("## Sources\n\n" + "\n\n".join(p for p in (sources, reviewed) if p))
    text = "\n\n".join(part.strip("\n") for part in parts if part and part.strip())
    title = spec.view.page_title(entry.data) if spec.view.page_title else entry.title
    # Plain text: the adapter escapes every front matter string once (scripts/oirsite_mkdocs/plugin.py).
    return front_matter(description=spec.summary(entry.data) or entry.title) + f"# {esc(title)}\n\n{text}\n"


def hides_toc(page_markdown: str) -> bool:
    """Whether an entry page is too short for a table of contents (fewer sections than TOC_MIN_HEADINGS)."""
    return page_markdown.count("\n## ") < TOC_MIN_HEADINGS


def entry_jsonld(ctx: PageContext, entry: Entry) -> str | None:
    """An entry page's structured data, ready for a ``<script>`` element (the export writes it as front matter)."""
    view = entry.spec.view
    structured = view.json_ld(ctx.at(entry.page), entry) if view.json_ld else None
    return script_json(structured) if structured else None


def index_pages(catalog: Catalog, site_url: str = "/") -> dict[str, str]:
    """Every collection's index page: site path -> Markdown."""
    return {spec.index_path: spec.view.render_index(PageContext(catalog, spec.index_path, site_url))
            for spec in collections.registry().values()}


def index_paths() -> list[str]:
    return [spec.index_path for spec in collections.registry().values()]


def blocks(catalog: Catalog, options: Mapping[str, Any]) -> dict[str, Callable[[str], str]]:
    """The generated lists that a page may insert with ``{{ name }}``, from every collection, and
    the count of each collection's entries (``{{ count_events }}``: '3 events'), for the home page's
    cards."""
    found = {name: _block(view, catalog, options)
             for spec in collections.registry().values() for name, view in spec.view.blocks.items()}
    for spec in collections.registry().values():
        found.setdefault(f"count_{spec.name}", _counter(catalog, spec.name, spec.singular))
    found.setdefault("organization_map", _block(organization_map, catalog, options))  # pages/relmap.py
    return found


def _block(view: Callable[[PageContext], str], catalog: Catalog, options: Mapping[str, Any]) -> Callable[[str], str]:
    return lambda page: view(PageContext(catalog, page, options=options))


def _counter(catalog: Catalog, name: str, singular: str) -> Callable[[str], str]:
    count = plural(len(catalog.in_collection(name)), singular)
    return lambda page: count
