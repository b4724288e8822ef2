"""The plugin: its state is the instance's, one build's part of it set anew in ``on_config``."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import Markup
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

import oirsite
from oirsite import collections
from oirsite.tools.cms_admin import admin_files
from oirsite.core.diagnostics import Diagnostic, Diagnostics, summary
from oirsite.outputs import outdir
from oirsite.outputs.redirects import redirect_pages
from oirsite.pages.abbreviations import first_use_only, used_abbreviations
from oirsite.read.settings import settings_from
from oirsite.safety.sanitize import Removal, escape_meta, escape_text, sanitize
from oirsite.tools.export import locate_removal
from oirsite.tools.preview import PageChanges, page_changes
from oirsite.site import BuildCache, SiteBuild, build_site

from . import live, offline

log = logging.getLogger("mkdocs.plugins.oirsite")
# The theme's partials that write inline scripts: their hashes are the only inline scripts the
# Content-Security-Policy of a page allows (overrides/main.html).
THEME_SCRIPT_PARTIALS = ("partials/javascripts/base.html", "partials/javascripts/palette.html",
                         "partials/javascripts/content.html")
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


class OirsiteConfig(Config):
    offline = config_options.Type(bool, default=False)  # mkdocs.offline.yml: ship the search shim (offline.py)


class OirsitePlugin(BasePlugin[OirsiteConfig]):
    def __init__(self) -> None:
        self.command, self.dirty = "build", False  # "serve": content errors are shown in the pages
        self.cache = BuildCache()  # a live preview's memory of parsed files
        self.shown: set[Diagnostic] = set()  # what the live preview printed last time
        self.said_no_admin = False
        self.site: SiteBuild | None = None
        self.preloaded: SiteBuild | None = None  # what scripts/build.py checked and rendered in this process
        self.ready = False  # a build finished and what the live preview needs belongs to it
        self.started_ns = 0  # when the last full build started (time.time_ns())

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command, self.dirty = command, dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Load, check and render all content; any content error aborts a build (not a live preview)."""
        self.removed: list[Diagnostic] = []  # what the sanitizer took out of the pages of this build
        self.removed_from: dict[str, list[Removal]] = {}  # page source path -> what it took out of that page
        self.jsonld: dict[str, str] = {}  # page source path -> its JSON-LD, ready for a <script> element
        self.hashes: dict[str, list[str]] = {}  # base_url -> the theme's scripts' hashes
        self.page_urls: dict[str, str] = {}  # source path of each page -> its URL, for the theme's partials
        self.search_parts: dict[str, list] = {}  # page source path -> its entries of the search index
        self.search_mark = 0  # entries of the search index before the page being built
        self.ready, self.banner, self.env = False, "", None  # the banner: the errors the pages show
        if not config.repo_url:  # no repository to edit in: no edit links, rather than dead ones
            config.edit_uri = None
        root = Path(config.config_file_path).resolve().parent
        docs_dir = Path(config.docs_dir).resolve().relative_to(root).as_posix()
        try:  # the output folder is one the build owns (scripts/build.py checks it before, for mkdocs build)
            outdir.check_output_dir(Path(config.site_dir), root, reads=(docs_dir, "content"))
        except outdir.OutputRefused as exc:
            raise Abort(str(exc)) from None
        # A copy: the configuration's own dict is shared with whoever loaded it (as Material's plugins do).
        config.mdx_configs = {name: dict(options) for name, options in config.mdx_configs.items()}
        # The Markdown settings as mkdocs.yml gives them (before pages set the glossary).
        self.mdx_configs = {name: dict(options) for name, options in config.mdx_configs.items()}
        self.started_ns = time.time_ns()
        self.site = self._build_site(config)
        diagnostics = self.site.diagnostics
        if self.command == "serve":
            return config  # errors are shown on the pages (on_post_page) and said in on_env until they are fixed
        for diagnostic in sorted(diagnostics.warnings):
            log.info(diagnostic.format_text())  # open items: listed, never fatal
        if diagnostics.errors:
            for diagnostic in sorted(diagnostics.errors):
                log.error(diagnostic.format_text())
            raise Abort(f"The content has problems ({summary(diagnostics)}): see the messages above.")
        return config

    def _build_site(self, config: MkDocsConfig) -> SiteBuild:
        """The content flow (a live preview's with its cache), or what scripts/build.py has checked and
        rendered already in this process with the same settings."""
        checked = Diagnostics()  # the settings' own problems, reported with the content's
        path = Path(config.config_file_path)
        settings = settings_from(path.resolve().parent, docs_dir=config.docs_dir, site_url=config.site_url,
                                 site_name=config.site_name, extra=config.extra, diagnostics=checked,
                                 config_file=path.name,
                                 drafts=self.command == "serve", markdown_extensions=list(config.markdown_extensions),
                                 mdx_configs={name: dict(options) for name, options in self.mdx_configs.items()})
        preloaded, self.preloaded = self.preloaded, None  # used once, and only if made with these settings
        if preloaded is not None and preloaded.settings == settings:
            return preloaded
        return build_site(settings.root, settings, checked, cache=self.cache if self.command == "serve" else None)

    def update_content(self) -> PageChanges:
        """The live preview's content step: the content flow again; the pages the change touches."""
        old, self.site = self.site, self._build_site(self.last_config)
        return page_changes(old, self.site)

    def finish_pages(self) -> None:
        """A live preview's pages are read: the terminal says what changed (not MkDocs's log, whose strict
        mode would stop at the first error); the banner lists the errors, located in the files as they are now."""
        removed = [locate_removal(self.site, uri, removal) for uri, found in self.removed_from.items()
                   for removal in found]
        errors = sorted({*self.site.diagnostics.errors, *removed})
        reported = [*self.site.diagnostics.warnings, *errors]
        now = set(reported)
        for diagnostic in sorted(now - self.shown):
            print(diagnostic.format_text(), file=sys.stderr)
        if fixed := [d for d in self.shown - now if d.is_error]:
            print(f"fixed: {len(fixed)} problem(s); {summary(reported)}", file=sys.stderr)
        self.shown = now
        self.banner = live.banner(errors)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """In a live preview with content errors (only there: a build stops before), the list of them."""
        return output.replace(live.CONTENT_START, live.CONTENT_START + self.banner, 1) if self.banner else output

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """The generated pages and files join; every page's edit link is the file an editor changes."""
        site = self.site
        for page in site.generated.values():
            # Reached through the indexes: no "not in nav" list for them.
            generated = File.generated(config, page.path, content=page.markdown, inclusion=InclusionLevel.NOT_IN_NAV)
            generated.edit_uri = page.source
            files.append(generated)
        try:  # the web editor (/admin/): from the npm registry's packages, installed by `npm ci`
            admin = admin_files(site.settings.root, repo_url=config.repo_url, site_url=config.site_url)
        except FileNotFoundError:
            admin = {}
            if not self.said_no_admin:  # once, not on every rebuild of a live preview
                log.info("the web editor is not installed (run npm ci): /admin/ is left out")
                self.said_no_admin = True
        # The feed and the calendars; the pages that lead former ids to the new page; the web editor.
        redirects = redirect_pages(site.catalog, config.site_url or "", config.use_directory_urls)
        for path, content in [*site.render_files().items(), *redirects.items(), *admin.items()]:
            files.append(File.generated(config, path, content=content))
        self.page_urls = {file.src_uri: file.url for file in files.documentation_pages()}
        for file in files:
            if file.src_uri in site.hand_written:
                file.edit_uri = site.hand_written[file.src_uri].source
        if self.config.offline:  # the search shim, and the frame it starts (offline.py)
            files.append(File.generated(config, offline.SHIM_PATH, content=offline.shim()))
            files.append(File.generated(config, offline.FRAME_PATH, content=offline.FRAME))
        return files

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        """Hand-written pages are read with their references and generated lists already in place."""
        written = self.site.hand_written.get(page.file.src_uri)
        return written.markdown if written else None

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Front matter is text: each string becomes escaped Markup, which no template (the theme prints
        ``page.meta.title`` as it is) writes as HTML and ``| e`` never escapes twice; tags stay strings (the
        tags plugin makes anchors of them; our templates escape them). JSON-LD comes only from generated pages."""
        self.jsonld.pop(page.file.src_uri, None)
        page.meta.pop("jsonld", None)
        made = self.site.generated.get(page.file.src_uri)
        if made is not None and made.jsonld:
            self.jsonld[page.file.src_uri] = made.jsonld
        if made is not None and made.hide_toc:
            page.meta["hide"] = ["toc"]
        if made is not None and made.search:
            page.meta["search"] = made.search  # read by the search plugin (oirsite.pages.render.search_meta)
        page.meta = escape_meta(page.meta, plain=("tags",), text=lambda value: Markup(escape_text(value)))
        if "abbr" in config.markdown_extensions:  # the page is made (next) with the acronyms it uses
            config.mdx_configs.setdefault("abbr", {})["glossary"] = used_abbreviations(markdown, self.site.abbreviations)
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Every page's content passes the one sanitizer; whatever it removes is an error at its place in
        the source (a live preview lists it on its pages: finish_pages). Acronyms keep a tooltip at first use."""
        clean, removals = sanitize(html)
        for removal in removals + _sanitize_toc(page.toc):
            if self.command == "serve":
                self.removed_from.setdefault(page.file.src_uri, []).append(removal)
                continue
            found = locate_removal(self.site, page.file.src_uri, removal)
            self.removed.append(found)
            log.error(found.format_text())
        return first_use_only(clean)

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        """Before any page is written: a build stops if the sanitizer had to remove anything."""
        if self.command == "serve":
            self.finish_pages()
        elif self.removed:
            raise Abort(f"Pages hold HTML that is not allowed ({summary(self.removed)}): see the messages above.")
        self.env, self.last_config, self.files = env, config, files
        return env

    def on_nav(self, nav, *, config: MkDocsConfig, files: Files):
        self.nav = nav
        place_entry_pages(nav, files)
        return nav

    def on_page_context(self, context, *, page: Page, config: MkDocsConfig, nav):
        """The page's JSON-LD, under a name front matter cannot set; the search plugin's (listed before)
        new entries are this page's part of the index, less the sections it hides (an entry's Sources)."""
        context["oir_jsonld"] = Markup(self.jsonld[page.file.src_uri]) if page.file.src_uri in self.jsonld else None
        if (search := live.search_plugin(config)) is not None:
            made = self.site.generated.get(page.file.src_uri)
            if made is not None and made.search_hidden:
                hidden = {f"{page.url}#{anchor}" for anchor in made.search_hidden}
                entries = search.search_index.entries
                entries[self.search_mark:] = [e for e in entries[self.search_mark:] if e["location"] not in hidden]
            self.search_parts[page.file.src_uri] = search.search_index.entries[self.search_mark:]
            self.search_mark = len(search.search_index.entries)
        return self._add_safety_context(context, config)

    def on_template_context(self, context, *, template_name: str, config: MkDocsConfig):
        """Pages without a source (the 404 page) get the same Content-Security-Policy."""
        context.setdefault("oir_jsonld", None)
        return self._add_safety_context(context, config)

    def _add_safety_context(self, context, config: MkDocsConfig):
        """The CSP sources ('sha256-…') of the theme's own inline scripts, as this page's context renders
        them (any other inline script does not run), and the addresses the theme's partials need."""
        key = str(context.get("base_url"))
        if self.env is not None and key not in self.hashes:
            values = {**context, "features": config.theme.get("features") or []}
            sources = {f"'sha256-{base64.b64encode(hashlib.sha256(script.encode('utf-8')).digest()).decode('ascii')}'"
                       for name in THEME_SCRIPT_PARTIALS
                       for script in _INLINE_SCRIPT.findall(self.env.get_template(name).render(values))}
            self.hashes[key] = sorted(sources)
        context["oir_script_hashes"] = self.hashes.get(key, [])
        context["oir_page_urls"] = self.page_urls  # 'oir.md' -> 'oir/' (or 'oir.html' without directory URLs)
        path = urlsplit(config.site_url or "/").path
        context["oir_site_path"] = "/" + path.strip("/") + "/" if path.strip("/") else "/"  # never '//host'
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """The output folder says it was made by this tool: the next build may replace it."""
        (Path(config.site_dir) / outdir.MARKER).write_text(outdir.MARKER_TEXT, encoding="utf-8")
        self.ready = self.command == "serve"

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        """`mkdocs serve` also watches content/ and the content code, and makes only the pages a change
        touches (live.py) if the serve loop is the one it was written for (it reads the watched paths)."""
        server.watch(str(self.site.settings.root / self.site.settings.content_dir))
        server.watch(str(Path(oirsite.__file__).resolve().parent))
        if self.command == "serve" and not self.dirty and live.supported(server):
            server.builder = live.LiveBuilder(builder, server, self, extra_paths=[Path(p) for p in config.watch])
        return server


def _sanitize_toc(toc: TableOfContents) -> list[Removal]:
    """The headings of the table of contents are content too (the theme writes them as they are)."""
    removals: list[Removal] = []
    for item in toc:
        if "<" in item.title or "&" in item.title:
            item.title, removed = sanitize(item.title)
            removals += removed
        removals += _sanitize_toc(item.children)
    return removals


def place_entry_pages(nav: Navigation, files: Files) -> None:
    """Wayfinding: an entry's page (not in the navigation) gets as parent the section of its folder's
    index.md, or, if that is not in the navigation either, the section its collection names
    (``CollectionSpec.section``): the theme then highlights that tab and shows the path above its title."""
    sections: dict[str, Section] = {}  # folder -> the section whose index page is that folder's index.md
    for page in nav.pages:
        uri = page.file.src_uri
        if uri.endswith("/index.md") and isinstance(page.parent, Section):
            sections[uri.removesuffix("/index.md")] = page.parent
    for spec in collections.registry().values():
        if spec.section and spec.name not in sections and spec.section in sections:
            sections[spec.name] = sections[spec.section]
    in_nav = {id(page) for page in nav.pages}
    for file in files.documentation_pages():
        page = file.page
        if not isinstance(page, Page) or id(page) in in_nav or page.parent is not None:
            continue
        folder, _, name = file.src_uri.rpartition("/")
        if folder in sections and "/" not in name:
            page.parent = sections[folder]
