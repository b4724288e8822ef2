"""An entry's page: what its collection renders, the pages that mention it (grouped), its sources
and the day it was last reviewed, with its metadata.

Reader pages hold reader text only: nothing here writes an open item, a source note or any other
text meant for editors (those go to the check's messages)."""

from __future__ import annotations

from .. import collections
from ..core.dates import PartialDate, format_date, format_range
from ..read.loader import Entry
from .context import PageContext
from ..core.escape import script_json
from ..core.markdown_text import esc, front_matter, section

# Pages whose mention of an entry says nothing about it: the home page lists everything, the
# glossary and the sources page only expand or cite.
_NOT_MENTIONS = {"index.md"}
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
    ``index``, of its collection's index page."""
    if index:
        return {"exclude": True} if spec.has_pages else {"boost": LAST_BOOST}
    return {"boost": spec.search_boost} if spec.search_boost != 1 else None


def _index_of_entries_without_pages(path: str) -> bool:
    """The index page of a collection whose entries have no page (the glossary, the sources): it
    only expands or cites, it does not mention."""
    spec = collections.registry().get(path.partition("/")[0])
    return spec is not None and not spec.has_pages and path == spec.index_path


def _mentioning_entry(ctx: PageContext, path: str) -> Entry | None:
    folder, _, name = path.partition("/")
    if not name.endswith(".md") or "/" in name:
        return None
    return ctx.get(name.removesuffix(".md"), folder)


def mentioned_in(ctx: PageContext, entry: Entry) -> str:
    """The pages that mention ``entry``, grouped by collection (events newest first, with their
    dates), each with its one-line summary; hand-written pages last, under "Pages"."""
    groups: dict[str, list[Entry]] = {}
    pages: list[tuple[str, str]] = []
    for ref in ctx.catalog.referenced_by(entry):
        path = ref.path.partition("#")[0]
        if path in _NOT_MENTIONS or _index_of_entries_without_pages(path):
            continue
        other = _mentioning_entry(ctx, path)
        if other is not None and other.spec.has_pages:
            groups.setdefault(other.collection, []).append(other)
        elif other is None:
            pages.append((ref.title, path))
    parts = []
    for name, spec in collections.registry().items():
        members = groups.get(name)
        if not members:
            continue
        if spec.feed_item is not None:  # dated entries: newest first, with their dates
            members.sort(key=lambda e: (spec.feed_item(e).date.first_day, e.id), reverse=True)
        elif spec.sort_key is not None:
            members.sort(key=spec.sort_key)
        lines = [_mention(ctx, other) for other in members]
        parts.append(f"### {esc(spec.title)}\n\n" + "\n".join(lines))
    if pages:
        parts.append("### Pages\n\n" + "\n".join(f"- [{esc(title)}]({ctx.rel(path)})" for title, path in sorted(pages)))
    return "\n\n".join(parts)


def _mention(ctx: PageContext, other: Entry) -> str:
    spec = other.spec
    line = f"- {ctx.link(other)}"
    if spec.feed_item is not None:
        item = spec.feed_item(other)
        line += f", {esc(format_range(item.date, item.end))}"
    summary = spec.summary(other.data)
    return line + (f": {esc(summary)}" if summary else "")


def sources_section(ctx: PageContext, entry: Entry) -> str:
    """The sources the entry names, each a link to its place on the sources page."""
    lines = []
    for source in ctx.resolved(list(getattr(entry.data, "sources", [])), "sources"):
        data = source.data
        lines.append(f"- {ctx.link(source)}, {esc(data.publisher)}")  # type: ignore[attr-defined]
    return "\n".join(lines)


def last_reviewed(ctx: PageContext, entry: Entry) -> str:
    """'Last reviewed 23 November 2026.': from ``reviewed:``, else from the day its file last changed
    (``catalog.last_changed``, where the site provides it)."""
    fallback = (getattr(ctx.catalog, "last_changed", None) or {}).get(entry.id)
    day = getattr(entry.data, "reviewed", None) or fallback
    return f"Last reviewed {format_date(PartialDate.parse(day))}." if day else ""


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
