"""The whole content flow in one call: settings, load, resolve the reference graph once, process
pages, render. It reads the collections' specs; it never asks which model an entry has."""

from __future__ import annotations

import gc
import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown

from . import collections
from .core.dates import build_time
from .core.diagnostics import Diagnostics, did_you_mean
from .core.memo import Memo
from .core.paths import CALENDAR_PATH, FEED_PATH, Addresses, calendar_path, page_url
from .read.docs_files import read_pages
from .read.loader import BrokenEntry, Entry, load_content
from .read.records import read_records
from .read.scan import MarkdownSource, dense_blocks, scan
from .read.settings import Settings, engine_markdown, read_settings
from .read.source import front_matter_bounds
from .safety.htmlcheck import check_rendered
from .graph.catalog import Catalog, resolve
from .graph.rules import apply_rules
from .markdown.process import AnchorLink, ExternalLink, external_links, process
from .pages.render import (SEARCH_HIDDEN, PageContext, blocks, entry_jsonld, hides_toc, index_pages, index_paths,
                           render_entry_page, search_meta)
from .outputs import syndication


@dataclass
class BuildCache:
    """What a live preview keeps from one build to the next, so that the next one only does again
    what changed: each file's parse (by its text) and each risky text's check render. Every cached
    result is a function of its key alone: a build with the cache equals one without."""

    parsed: Memo = field(default_factory=Memo)
    checked: Memo = field(default_factory=Memo)

    def sweep(self) -> None:
        """After a build: only what it used is kept."""
        self.parsed.sweep()
        self.checked.sweep()


@dataclass
class Page:
    """A page of the site as Markdown. ``source`` is the file an editor changes to change it."""

    path: str  # site source path, such as 'events/wma-general-assembly-2023.md'
    markdown: str
    source: str | None  # None for an index page: no one file makes it
    jsonld: str | None = None  # a generated page's structured data, ready for a <script> element
    hide_toc: bool = False  # a generated page without a table of contents (Material's 'hide: [toc]')
    search: dict | None = None  # how the site's search ranks it (Material's `search:` front matter): search_meta
    search_hidden: tuple[str, ...] = ()  # the ids of its sections that the search leaves out


@dataclass
class SiteBuild:
    settings: Settings
    catalog: Catalog
    diagnostics: Diagnostics
    generated: dict[str, Page] = field(default_factory=dict)  # pages that exist only in memory
    hand_written: dict[str, Page] = field(default_factory=dict)  # docs/ pages, references replaced
    abbreviations: dict[str, str] = field(default_factory=dict)  # every acronym of the glossary: its expansion
    external_links: list[ExternalLink] = field(default_factory=list)  # links to other sites, where they stand

    @property
    def ok(self) -> bool:
        return not self.diagnostics.errors

    @property
    def file_paths(self) -> set[str]:
        """The other generated files: the feed, the calendar of all events, one per event and one per
        organization that has events or recurring meetings in it."""
        return {FEED_PATH, CALENDAR_PATH} | {
            calendar_path(e) for e in syndication.calendar_events(self.catalog)} | {
            calendar_path(o) for o in syndication.calendar_organizations_of(self.catalog, build_time())}

    def render_files(self) -> dict[str, str]:
        """The feed and the calendars (made on demand: a check does not need them)."""
        settings, catalog = self.settings, self.catalog
        stamp = build_time()
        files = {
            FEED_PATH: syndication.atom_feed(catalog, settings.site_url, settings.site_name, stamp),
            CALENDAR_PATH: syndication.events_calendar(catalog, settings.site_url, settings.site_name, stamp),
        }
        for entry in syndication.calendar_events(catalog):
            files[calendar_path(entry)] = syndication.event_calendar(entry, settings.site_url, stamp)
        for org in syndication.calendar_organizations_of(catalog, stamp):
            files[calendar_path(org)] = syndication.organization_calendar(catalog, org, settings.site_url,
                                                                          settings.site_name, stamp)
        return files


def build_site(root: Path, settings: Settings | None = None, diagnostics: Diagnostics | None = None,
               render_pages: bool = True, cache: BuildCache | None = None) -> SiteBuild:
    """Load, validate and resolve all content and render every page. Never raises on bad content.

    With ``render_pages=False`` (a check), everything is checked but the entry and index pages
    are not written out. A ``cache`` (a live preview keeps one) spares parsing unchanged files."""
    # The run makes many small objects that live until it ends (the YAML nodes are kept for the
    # positions of messages) and no reference cycles: the cyclic collector would only walk them
    # again and again (a third of a 5,000-entry check). Reference counting still frees memory.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        site = _build_site(root, settings, diagnostics, render_pages, cache)
        if cache is not None:
            cache.sweep()
        return site
    finally:
        if was_enabled:
            gc.enable()


def _build_site(root: Path, settings: Settings | None, diagnostics: Diagnostics | None,
                render_pages: bool, cache: BuildCache | None) -> SiteBuild:
    root = root.resolve()
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    settings = settings or read_settings(root, diagnostics)
    if settings.markdown_extensions is None:  # Settings made by hand: the Markdown of mkdocs.yml
        settings.markdown_extensions, settings.mdx_configs = engine_markdown(root)
    broken: list[BrokenEntry] = []
    entries = load_content(root, diagnostics, settings.content_dir, broken, cache and cache.parsed)
    catalog = Catalog.of(entries, broken)
    catalog.root = root
    site = SiteBuild(settings, catalog, diagnostics)

    docs_paths, pages = read_pages(root, settings.docs_dir, diagnostics, generated=site.file_paths)
    generated_paths = ({e.page for e in entries if e.spec.has_pages} | set(index_paths()) | site.file_paths)
    addresses = _claim_addresses(entries, docs_paths, site.file_paths, settings.docs_dir, diagnostics)
    # A link to the page of an entry with errors is not a second mistake: the entry's own is reported.
    specs = collections.registry()
    broken_pages = {specs[b.collection].page_path(b.id) for b in broken
                    if b.collection in specs and specs[b.collection].has_pages}
    site_paths = docs_paths | generated_paths | broken_pages

    # Every Markdown text of the site, scanned once: entry bodies and hand-written pages.
    texts: list[tuple[MarkdownSource, Any]] = []
    for entry in entries:
        source = MarkdownSource(entry.body, entry.source, entry.body_line or 1, entry.page_ref, entry.id)
        texts.append((source, scan(source)))
    texts += [(source, scan(source)) for source in pages]

    resolve(catalog, texts, diagnostics)  # the reference graph, once: everything below reads it
    records = read_records(root, catalog.in_collection("sources"), diagnostics)
    apply_rules(catalog, entries, diagnostics, addresses, settings.review_max_age_days, build_time().date(),
                settings.drafts, records, settings.source_max_age_years)
    site.abbreviations = catalog.abbreviations()

    lists = blocks(catalog, {"recent_events": settings.recent_events})
    bodies: dict[str, str] = {}
    processed: list[tuple[MarkdownSource, str]] = []
    anchor_links: list[AnchorLink] = []
    for source, found in texts:
        markdown = process(source, found, lists, site_paths, diagnostics, anchor_links)
        processed.append((source, markdown))
        if source.entry is not None:
            bodies[source.entry] = markdown
        else:
            site.hand_written[source.page.path] = Page(source.page.path, markdown, source.file)
    check_rendered(processed, settings.markdown_extensions, settings.mdx_configs, diagnostics,
                   cache and cache.checked)
    if anchor_links and settings.check_anchors:
        _check_anchors(anchor_links, site, bodies, {s.page.path for s, _ in texts if dense_blocks(s.text)})
    site.external_links = external_links(texts, entries)
    if render_pages:
        context = PageContext(catalog, "index.md", settings.site_url)
        for entry in entries:
            if entry.spec.has_pages:
                markdown = render_entry_page(context, entry, bodies[entry.id])
                site.generated[entry.page] = Page(entry.page, markdown, entry.source, entry_jsonld(context, entry),
                                                  hides_toc(markdown), search_meta(entry.spec), SEARCH_HIDDEN)
        by_index = {spec.index_path: spec for spec in specs.values()}
        for path, markdown in index_pages(catalog, settings.site_url).items():
            site.generated[path] = Page(path, markdown, None, search=search_meta(by_index[path], index=True))
    return site


_ANCHOR = re.compile(r"""<[a-zA-Z][^<>]*?\s(?:id|name)=(?:"([^"]*)"|'([^']*)')""")


def _check_anchors(links: list[AnchorLink], site: SiteBuild, bodies: dict[str, str], refused: set[str]) -> None:
    """Every link to a part of a page (``page.md#part``) names an id that the page has, as the
    engine finds ids when it builds: in the page rendered with the site's Markdown settings. Only
    the pages such links point at are rendered (none that the check refused as too complex)."""
    settings, catalog, diagnostics = site.settings, site.catalog, site.diagnostics
    entries = {entry.page: entry for entry in catalog.entries.values() if entry.spec.has_pages}
    indexes: dict[str, str] | None = None
    renderer = None
    found: dict[str, set[str] | None] = {}
    for link in links:
        if link.page not in found:
            page = site.hand_written.get(link.page)
            text = page.markdown if page is not None else None
            entry = entries.get(link.page)
            if entry is not None and entry.id in bodies:
                text = render_entry_page(PageContext(catalog, link.page, settings.site_url), entry, bodies[entry.id])
            elif text is None and link.page in index_paths():
                indexes = indexes if indexes is not None else index_pages(catalog, settings.site_url)
                text = indexes.get(link.page)
            if text is None or link.page in refused:
                found[link.page] = None
                continue
            try:
                renderer = renderer or markdown.Markdown(extensions=settings.markdown_extensions,
                                                         extension_configs=settings.mdx_configs)
            except Exception:  # an extension that cannot be loaded: reported by check_rendered
                return
            bounds = front_matter_bounds(text, mkdocs=True)
            rendered = renderer.reset().convert(text[bounds[2]:] if bounds else text)
            found[link.page] = {html.unescape(m.group(1) if m.group(1) is not None else m.group(2))
                                for m in _ANCHOR.finditer(rendered)}
        ids = found[link.page]
        if ids is not None and link.anchor not in ids:
            where = "this page" if link.target.startswith("#") else f"'{link.page}'"
            diagnostics.error(*link.where, "broken-link",
                              f"the link '{link.target}' points at the part '#{link.anchor}', which {where} does not have",
                              did_you_mean(link.anchor, ids, "link a heading by its id: its words in lowercase, "
                                                             "joined by hyphens"))


def _claim_addresses(entries: list[Entry], docs_paths: set[str], files: set[str], docs_dir: str,
                     diagnostics: Diagnostics) -> Addresses:
    """Who makes each address of the site: the generated pages and files first, then the
    hand-written pages and files of docs/, each of which is an error where another one already
    has its address (``a.md`` and ``a/index.md`` are both served at ``a/``). The redirects of
    former ids are checked against the result (``check_former_ids``)."""
    addresses = Addresses()
    for entry in entries:
        if entry.spec.has_pages:
            addresses.claim(entry.page, f"the page of the entry {entry.source}")
    for path in index_paths():
        addresses.claim(path, f"the generated index page '{path}'")
    for path in sorted(files):
        addresses.claim(path, f"the generated file '{path}'")
    for path in sorted(docs_paths):
        taken = addresses.claim(path, f"{docs_dir}/{path}")
        if taken is not None:
            what = "page" if path.endswith(".md") else "file"
            diagnostics.error(f"{docs_dir}/{path}", 1, 1, "page-clash",
                              f"this {what} has the same address ('{page_url(path) if what == 'page' else path}') "
                              f"as {taken}: one would replace the other", f"rename or move the hand-written {what}")
    return addresses
