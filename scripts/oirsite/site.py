"""The whole content flow in one call: settings, load, resolve the reference graph once, process
pages, render. It reads the collections' specs; it never asks which model an entry has."""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
import yaml_env_tag

from . import syndication
from .catalog import Catalog, PageRef, resolve
from .gitinfo import git_last_changed
from .collections.sources import check_review_age
from .diagnostics import Diagnostics
from .loader import BrokenEntry, Entry, load_content
from .markup import ExternalLink, MarkdownSource, process, scan
from .models import open_items, text_values
from .codeblocks import _within, code_ranges
from .htmlcheck import check_rendered, markdown_settings
from .docs_files import check_page_meta, material_templates_dir, scan_docs, theme_paths
from .redirects import check_former_ids
from .render.context import PageContext
from .render.entity import render_entry_page
from .render.indexes import blocks, index_pages, index_paths
from .source import read_source
from .validation import field_label

CONFIG_FILE = "mkdocs.yml"
ENGINE_EXTENSIONS = ("toc", "tables", "fenced_code")  # MkDocs adds these to every site's extensions


@dataclass
class Settings:
    root: Path
    docs_dir: str = "docs"
    content_dir: str = "content"
    recent_events: int = 3
    review_max_age_days: int = 365  # extra.review_max_age_days: older reviews are listed for editors
    site_url: str = "http://127.0.0.1:8000/"
    site_name: str = "International Medical Relations"
    drafts: bool = False  # mkdocs serve: leftover placeholders are warnings, not errors
    # The Markdown extensions and their settings, as the engine uses them: the check renders risky
    # texts with them. (Not compared: the engine's copy holds the same, written its own way.)
    markdown_extensions: list | None = field(default=None, compare=False)  # None: as mkdocs.yml says
    mdx_configs: dict = field(default_factory=dict, compare=False)


@dataclass
class Page:
    """A page of the site as Markdown. ``source`` is the file an editor changes to change it."""

    path: str  # site source path, such as 'events/wma-general-assembly-2023.md'
    markdown: str
    source: str | None  # None for an index page: no one file makes it


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
        """The other generated files: the feed, the calendar of all events and one per event."""
        return {syndication.FEED_PATH, syndication.CALENDAR_PATH} | {
            syndication.calendar_path(e) for e in syndication.calendar_events(self.catalog)}

    def render_files(self) -> dict[str, str]:
        """The feed and the calendars (made on demand: a check does not need them)."""
        settings, catalog = self.settings, self.catalog
        stamp = syndication.build_time()
        files = {
            syndication.FEED_PATH: syndication.atom_feed(catalog, settings.site_url, settings.site_name, stamp),
            syndication.CALENDAR_PATH: syndication.events_calendar(catalog, settings.site_url, settings.site_name, stamp),
        }
        for entry in syndication.calendar_events(catalog):
            files[syndication.calendar_path(entry)] = syndication.event_calendar(entry, settings.site_url, stamp)
        return files


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml for our settings only: ``!ENV`` as MkDocs reads it (the same library),
    MkDocs's other tags as nothing."""


_ConfigLoader.add_constructor("!ENV", yaml_env_tag.construct_env_tag)
_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def normalize_site_url(url: str) -> str:
    """The site's address as MkDocs keeps it: with a trailing slash."""
    return url if url.endswith("/") else url + "/"


def read_settings(root: Path, diagnostics: Diagnostics, config_file: str = CONFIG_FILE) -> Settings:
    """Our settings from mkdocs.yml, as ``settings_from`` makes them (the hooks call it too)."""
    path = root / config_file
    try:
        text = path.read_text(encoding="utf-8")
        config = yaml.load(text, Loader=_ConfigLoader) or {}
    except FileNotFoundError:
        return Settings(root)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        diagnostics.error(config_file, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1,
                          "config", f"cannot read the settings: {getattr(exc, 'problem', None) or exc}")
        return Settings(root)
    config = config if isinstance(config, dict) else {}
    extensions, options = _engine_extensions(config)
    return settings_from(root, docs_dir=config.get("docs_dir") or "docs", site_url=config.get("site_url"),
                         site_name=config.get("site_name"), extra=config.get("extra"), diagnostics=diagnostics,
                         config_text=text, config_file=config_file, markdown_extensions=extensions,
                         mdx_configs=options)


def settings_from(root: Path, *, docs_dir: Any, site_url: Any, site_name: Any, extra: Any, diagnostics: Diagnostics,
                  config_text: str = "", config_file: str = CONFIG_FILE, drafts: bool = False,
                  markdown_extensions: list | None = None, mdx_configs: dict | None = None) -> Settings:
    """The one way mkdocs.yml's values become our settings, for scripts/build.py and for the hooks
    alike (so that both make equal settings, and the content flow runs once): every value checked
    and reported at its line, the folder normalized relative to the project."""
    settings = Settings(root, drafts=drafts, markdown_extensions=markdown_extensions, mdx_configs=mdx_configs or {})
    docs = Path(str(docs_dir))
    docs = (docs if docs.is_absolute() else root / docs).resolve()
    try:
        settings.docs_dir = docs.relative_to(root.resolve()).as_posix()
    except ValueError:
        diagnostics.error(config_file, _line_of(config_text, "docs_dir"), 1, "config",
                          f"docs_dir must be a folder inside the project, not '{docs_dir}'")
    settings.site_url = normalize_site_url(str(site_url or settings.site_url))
    settings.site_name = str(site_name or settings.site_name)
    extra = dict(extra.items()) if hasattr(extra, "items") else {}  # MkDocs's is a mapping, not a dict
    for name in ("recent_events", "review_max_age_days"):
        value = extra.get(name, getattr(settings, name))
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            diagnostics.error(config_file, _line_of(config_text, name), 1, "config",
                              f"extra.{name} must be a whole number of 1 or more, not {value!r}")
        else:
            setattr(settings, name, value)
    return settings


def _line_of(text: str, key: str) -> int:
    """The line of mkdocs.yml where ``key:`` is written (1 if it is not found)."""
    match = re.search(rf"^[ \t]*{re.escape(key)}[ \t]*:", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _engine_extensions(config: dict) -> tuple[list[str], dict[str, dict]]:
    names, options = markdown_settings(config)
    return [*ENGINE_EXTENSIONS, *(name for name in names if name not in ENGINE_EXTENSIONS)], options


def engine_markdown(root: Path, config_file: str = CONFIG_FILE) -> tuple[list[str], dict[str, dict]]:
    """The Markdown extensions the engine uses for this site (MkDocs's own, then mkdocs.yml's)."""
    try:
        config = yaml.load((root / config_file).read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        config = {}  # reported by read_settings where it matters
    return _engine_extensions(config if isinstance(config, dict) else {})


_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


def _page_title(text: str, fallback: str) -> str:
    """A page's title as MkDocs finds it after the front matter: its first level-one heading that is
    not inside code."""
    code = code_ranges(text)
    for match in _HEADING.finditer(text):
        if not _within(match.start(), code):
            return match.group(1)
    return fallback


def build_site(root: Path, settings: Settings | None = None, diagnostics: Diagnostics | None = None,
               render_pages: bool = True) -> SiteBuild:
    """Load, validate and resolve all content and render every page. Never raises on bad content.

    With ``render_pages=False`` (a check), everything is checked but the entry and index pages
    are not written out."""
    # The run makes many small objects that live until it ends (the YAML nodes are kept for the
    # positions of messages) and no reference cycles: the cyclic collector would only walk them
    # again and again (a third of a 5,000-entry check). Reference counting still frees memory.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _build_site(root, settings, diagnostics, render_pages)
    finally:
        if was_enabled:
            gc.enable()


def _build_site(root: Path, settings: Settings | None, diagnostics: Diagnostics | None,
                render_pages: bool) -> SiteBuild:
    root = root.resolve()
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    settings = settings or read_settings(root, diagnostics)
    broken: list[BrokenEntry] = []
    entries = load_content(root, diagnostics, settings.content_dir, broken)
    catalog = Catalog.of(entries, broken)
    catalog.root = root
    if any(e.spec.fact_bearing and not e.data.reviewed for e in entries):  # type: ignore[attr-defined]
        catalog.last_changed = git_last_changed(root, settings.content_dir)
    site = SiteBuild(settings, catalog, diagnostics)

    docs_root = root / settings.docs_dir
    docs_files = scan_docs(root, settings.docs_dir, diagnostics,
                           reserved=theme_paths(material_templates_dir(), root / "overrides"),
                           generated=site.file_paths)
    docs_paths = {p.relative_to(docs_root).as_posix() for p in docs_files}
    generated_paths = ({e.page for e in entries if e.spec.has_pages} | set(index_paths()) | site.file_paths)
    for clash in sorted(docs_paths & generated_paths):
        diagnostics.error(f"{settings.docs_dir}/{clash}", 1, 1, "page-clash",
                          f"this page has the same address as a generated page ('{clash}')",
                          "rename or move the hand-written page")
    site_paths = docs_paths | generated_paths

    # Every Markdown text of the site, scanned once: entry bodies and hand-written pages.
    texts: list[tuple[MarkdownSource, Any]] = []
    for entry in entries:
        source = MarkdownSource(entry.body, entry.source, entry.body_line or 1, entry.page_ref, entry.id)
        texts.append((source, scan(source)))
    for file in docs_files:
        if file.suffix != ".md":
            continue
        text = read_source(file, root, diagnostics)
        if text is None:
            continue
        path = file.relative_to(docs_root).as_posix()
        meta = check_page_meta(text.path, text.text, diagnostics)
        title = str(meta.get("title") or "") or _page_title(text.text, file.stem)
        source = MarkdownSource(text.text, text.path, 1, PageRef(path, title))
        texts.append((source, scan(source)))

    resolve(catalog, texts, diagnostics)  # the reference graph, once: everything below reads it
    check_former_ids(catalog, diagnostics, site_paths)

    lists = blocks(catalog, {"recent_events": settings.recent_events})
    bodies: dict[str, str] = {}
    processed: list[tuple[MarkdownSource, str]] = []
    for source, found in texts:
        markdown = process(source, found, catalog, lists, site_paths, diagnostics, site.external_links)
        processed.append((source, markdown))
        if source.entry is not None:
            bodies[source.entry] = markdown
        else:
            site.hand_written[source.page.path] = Page(source.page.path, markdown, source.file)
    if settings.markdown_extensions is None:
        settings.markdown_extensions, settings.mdx_configs = engine_markdown(root)
    check_rendered(processed, settings.markdown_extensions, settings.mdx_configs, diagnostics)
    for entry in entries:
        if "https://" in entry.text:
            for path, text in text_values(entry.data):
                if text.startswith("https://"):
                    site.external_links.append(ExternalLink(text, entry.source, *entry.location(path)))
    if render_pages:
        context = PageContext(catalog, "index.md", settings.site_url)
        for entry in entries:
            if entry.spec.has_pages:
                site.generated[entry.page] = Page(entry.page, render_entry_page(context, entry, bodies[entry.id]),
                                                  entry.source)
        for path, markdown in index_pages(catalog, settings.site_url).items():
            site.generated[path] = Page(path, markdown, None)

    site.abbreviations = catalog.abbreviations()
    check_review_age(entries, diagnostics, settings.review_max_age_days, syndication.build_time().date(),
                     fallback=catalog.last_changed)
    _report_open_items(entries, diagnostics)
    _report_placeholders(entries, diagnostics, settings.drafts)
    return site


def _report_open_items(entries: list[Entry], diagnostics: Diagnostics) -> None:
    for entry in entries:
        if "open" not in entry.text:  # a quick test spares the walk over every field
            continue
        for path, reason in open_items(entry.data):
            diagnostics.warning(entry.source, *entry.location(path), "open-item",
                                f"open item in '{field_label(path)}': {reason}")


def _report_placeholders(entries: list[Entry], diagnostics: Diagnostics, drafts: bool = False) -> None:
    """Text still starting with TODO (as the scaffolder writes it): an error, so an unfinished entry
    is never published; a warning in a live preview (``drafts``), where it is work in progress."""
    report = diagnostics.warning if drafts else diagnostics.error
    for entry in entries:
        if "TODO" not in entry.text:  # a quick test spares the walk over every field
            continue
        for path, text in text_values(entry.data):
            if text.startswith("TODO"):
                report(entry.source, *entry.location(path), "placeholder",
                                    f"'{field_label(path)}' still holds placeholder text", "replace the TODO")
        for number, line in enumerate(entry.body.splitlines()):
            if line.startswith("TODO"):
                report(entry.source, entry.body_line + number, 1, "placeholder",
                                    "the text still holds placeholder text", "replace the TODO")


_preloaded: SiteBuild | None = None


def preload(site: SiteBuild) -> None:
    """Hand a finished SiteBuild to the engine adapter in this process, so it is not built twice."""
    global _preloaded
    _preloaded = site


def take_preloaded(settings: Settings) -> SiteBuild | None:
    """The preloaded SiteBuild if it was made with these very settings (once: then it is gone)."""
    global _preloaded
    site, _preloaded = _preloaded, None
    if site is not None and site.settings == settings:
        return site
    return None
