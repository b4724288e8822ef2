"""The one thin adapter between the content layer (``oirsite``) and MkDocs.

MkDocs loads this file through ``hooks:`` in mkdocs.yml, so ``mkdocs build``, ``mkdocs serve`` and
``scripts/build.py`` all run the same checks: a content error aborts every one of them, with the
file and line of each problem. Everything else lives in ``oirsite``, which never imports MkDocs.
"""

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

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

sys.path.insert(0, str(Path(__file__).resolve().parent))

import mkdocs_live  # noqa: E402
from oirsite.outputs import outdir  # noqa: E402
from oirsite.cms_admin import admin_files  # noqa: E402
from oirsite.core.diagnostics import Diagnostic, Diagnostics, summary  # noqa: E402
from oirsite.outputs.redirects import redirect_pages  # noqa: E402
from oirsite.tools.export import locate_removal  # noqa: E402
from oirsite.pages.abbreviations import used_abbreviations  # noqa: E402
from oirsite.safety.sanitize import Removal, escape_meta, escape_text, sanitize  # noqa: E402
from oirsite.tools.preview import PageChanges, page_changes  # noqa: E402
from oirsite.read.settings import settings_from  # noqa: E402
from oirsite.site import BuildCache, SiteBuild, build_site, take_preloaded  # noqa: E402

log = logging.getLogger("mkdocs.hooks.content")
PROJECT = Path(__file__).resolve().parent.parent  # the code's own folder (the web editor's files)
_site: SiteBuild | None = None
_removed: Diagnostics = Diagnostics()  # what the sanitizer took out of the pages of this build
_removed_from: dict[str, list[Removal]] = {}  # page source path -> what it took out of that page
_mdx_configs: dict = {}  # the Markdown settings as mkdocs.yml gives them (before pages set the glossary)
_jsonld: dict[str, str] = {}  # page source path -> its JSON-LD, ready for a <script> element
_env = None  # the theme's template environment (set in on_env)
# The theme's partials that write inline scripts: their hashes are the only inline scripts the
# Content-Security-Policy of a page allows (overrides/main.html).
THEME_SCRIPT_PARTIALS = ("partials/javascripts/base.html", "partials/javascripts/palette.html",
                         "partials/javascripts/content.html")
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
_hashes: dict[str, list[str]] = {}  # base_url -> the hashes (the scripts depend on nothing else)
_page_urls: dict[str, str] = {}  # source path of each page -> its URL, for links in the theme's partials


_command = "build"  # or "serve": a live preview shows content errors in the page and keeps serving
_dirty = False  # `mkdocs serve --dirty`: MkDocs's own rebuilds, not ours
_cache = BuildCache()  # a live preview's memory of parsed files (mkdocs_live)


def on_startup(command: str, dirty: bool) -> None:
    global _command, _dirty
    _command, _dirty = command, dirty


def current_site() -> SiteBuild:
    assert _site is not None
    return _site


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load, check and render all content; abort the build on any content error (in a live preview,
    show the errors on every page instead, until they are fixed)."""
    global _site
    _removed.clear()
    _removed_from.clear()
    _jsonld.clear()
    _hashes.clear()
    mkdocs_live.state.reset()
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
    checked = Diagnostics()  # the settings' own problems, reported with the content's
    _mdx_configs.clear()
    _mdx_configs.update({name: dict(options) for name, options in config.mdx_configs.items()})
    mkdocs_live.state.started_ns = time.time_ns()
    settings = _settings(config, checked)
    # scripts/build.py has checked and rendered everything already in this process: reuse it.
    _site = take_preloaded(settings) or build_site(root, settings, checked,
                                                   cache=_cache if _command == "serve" else None)
    diagnostics = _site.diagnostics
    if _command == "serve":
        return config  # errors are shown on the pages (on_post_page) and said in on_env until they are fixed
    for diagnostic in sorted(diagnostics.warnings):
        log.info(diagnostic.format_text())  # open items: listed, never fatal
    if diagnostics.errors:
        for diagnostic in sorted(diagnostics.errors):
            log.error(diagnostic.format_text())
        raise Abort(f"The content has problems ({summary(diagnostics)}): see the messages above.")
    return config


def _settings(config: MkDocsConfig, checked: Diagnostics):
    root = Path(config.config_file_path).resolve().parent
    return settings_from(root, docs_dir=config.docs_dir, site_url=config.site_url, site_name=config.site_name,
                         extra=config.extra, diagnostics=checked,
                         config_text=Path(config.config_file_path).read_text(encoding="utf-8"),
                         config_file=Path(config.config_file_path).name, drafts=_command == "serve",
                         markdown_extensions=list(config.markdown_extensions),
                         mdx_configs={name: dict(options) for name, options in _mdx_configs.items()})


def update_content() -> tuple[SiteBuild, PageChanges]:
    """The live preview's content step (mkdocs_live): the content flow again, with its cache; the
    last build's SiteBuild and the pages the change touches."""
    global _site
    assert _site is not None and mkdocs_live.state.config is not None
    old = _site
    checked = Diagnostics()
    _site = build_site(old.settings.root, _settings(mkdocs_live.state.config, checked), checked, cache=_cache)
    return old, page_changes(old, _site)


def preview_errors() -> list[Diagnostic]:
    """What a live preview lists on every page: the content's errors and what the sanitizer
    removed from any page, located in the files as they are now (a line added above a removed
    tag moves it, though the page is the same)."""
    removed = [_locate(removal, uri) for uri, found in _removed_from.items() for removal in found]
    return sorted({*(_site.diagnostics.errors if _site is not None else []), *removed})


def start_pages(made_again: list[str]) -> None:
    """Before the live preview makes these pages again (or drops them): what the sanitizer
    removed from them is forgotten."""
    for uri in made_again:
        _removed_from.pop(uri, None)


def finish_pages() -> None:
    """After the pages are read and before any is written: the terminal says what changed, and
    the banner every page of this build carries is made."""
    assert _site is not None
    errors = preview_errors()
    _report_while_serving(Diagnostics([*_site.diagnostics.warnings, *errors]))
    mkdocs_live.state.banner = mkdocs_live.banner(errors)


_shown: set[Diagnostic] = set()  # what the live preview printed last time


def _report_while_serving(diagnostics: Diagnostics) -> None:
    """In a live preview the terminal says only what changed: new problems, and the ones fixed. (Not
    through MkDocs's log: its strict mode would stop the preview at the first content error.)"""
    now = set(diagnostics)
    for diagnostic in sorted(now - _shown):
        print(diagnostic.format_text(), file=sys.stderr)
    fixed = [d for d in _shown - now if d.is_error]
    if fixed:
        print(f"fixed: {len(fixed)} problem(s); {summary(diagnostics)}", file=sys.stderr)
    _shown.clear()
    _shown.update(now)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """In a live preview with content errors, the list of them at the top of the page."""
    return mkdocs_live.with_banner(output, mkdocs_live.state.banner) if _command == "serve" else output


_said_no_admin: list[bool] = []


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated pages; point every page's edit link at the file an editor changes."""
    assert _site is not None
    for page in _site.generated.values():
        generated = File.generated(config, page.path, content=page.markdown)
        generated.edit_uri = page.source
        files.append(generated)
    for path, content in _site.render_files().items():  # the feed and the calendars
        files.append(File.generated(config, path, content=content))
    for path, content in redirect_pages(_site.catalog, config.site_url or "", config.use_directory_urls).items():
        files.append(File.generated(config, path, content=content))  # former ids lead to the new page
    try:  # the web editor (/admin/): from the npm registry's packages, installed by `npm ci`
        admin = admin_files(PROJECT, repo_url=config.repo_url, site_url=config.site_url)
    except FileNotFoundError:
        admin = {}
        if not _said_no_admin:  # once, not on every rebuild of a live preview
            log.info("the web editor is not installed (run npm ci): /admin/ is left out")
            _said_no_admin.append(True)
    for path, content in admin.items():
        files.append(File.generated(config, path, content=content))
    generated = set(_site.generated)
    for file in files:  # generated pages are reached through the indexes: no "not in nav" list for them
        if file.src_uri in generated:
            file.inclusion = InclusionLevel.NOT_IN_NAV
    _page_urls.clear()
    _page_urls.update({file.src_uri: file.url for file in files.documentation_pages()})
    for file in files:
        page = _site.hand_written.get(file.src_uri)
        if page is not None:
            file.edit_uri = page.source
    return files


def on_page_read_source(page: Page, config: MkDocsConfig) -> str | None:
    """Hand-written pages are read with their references and generated lists already in place."""
    assert _site is not None
    written = _site.hand_written.get(page.file.src_uri)
    return written.markdown if written else None


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Every acronym of the glossary shows its expansion wherever it appears: the page's Markdown is
    made (right after this hook) with the abbreviations it uses, given as the abbr glossary.

    Front matter is text: each of its strings becomes escaped Markup here, so that no template (the
    theme's prints ``page.meta.title`` and ``page.meta.description`` as they are) can write it as
    HTML; ``| e`` on it changes nothing more. JSON-LD is taken only from generated pages, and
    written again by the one escaper for JSON in a <script>."""
    assert _site is not None
    _jsonld.pop(page.file.src_uri, None)
    page.meta.pop("jsonld", None)
    made = _site.generated.get(page.file.src_uri)
    if made is not None and made.jsonld:
        _jsonld[page.file.src_uri] = made.jsonld
    # The one escaping of front matter (oirsite.sanitize, as the export does for other engines).
    # Tags stay plain strings: the tags plugin makes names and anchors from them; our templates
    # escape them where they are written.
    page.meta = escape_meta(page.meta, plain=("tags",), text=_as_text)
    if "abbr" in config.markdown_extensions:
        config.mdx_configs.setdefault("abbr", {})["glossary"] = used_abbreviations(markdown, _site.abbreviations)
    return markdown


def _as_text(value: str) -> Markup:
    """A front matter string escaped, as Markup (so that ``| e`` never escapes it twice)."""
    return Markup(escape_text(value))


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Every page's content, as Markdown made it and before the theme wraps it, passes the one
    sanitizer. Whatever it removes is an error at its place in the source (the build then fails):
    nothing is dropped silently, nothing outside the allowlist is published."""
    clean, removals = sanitize(html)
    removals += _sanitize_toc(page.toc)
    for removal in removals:
        _report(removal, page)
    return clean


def _sanitize_toc(toc: TableOfContents) -> list[Removal]:
    """The headings of the table of contents are content too (the theme writes them as they are)."""
    removals: list[Removal] = []
    for item in toc:
        if "<" in item.title or "&" in item.title:
            item.title, removed = sanitize(item.title)
            removals += removed
        removals += _sanitize_toc(item.children)
    return removals


def _report(removal: Removal, page: Page) -> None:
    """One removal: stops a build (logged where it stands); a live preview lists it on its pages."""
    if _command == "serve":  # located anew whenever the list is made (preview_errors)
        _removed_from.setdefault(page.file.src_uri, []).append(removal)
        return
    found = _locate(removal, page.file.src_uri)
    _removed.append(found)
    log.error(found.format_text())


def _locate(removal: Removal, uri: str) -> Diagnostic:
    """Where a removal stands: the file an editor changes, found by the removed text."""
    assert _site is not None
    return locate_removal(_site, uri, removal)


def on_env(env, config: MkDocsConfig, files: Files):
    """Before any page is written: a build stops if the sanitizer had to remove anything; a live
    preview lists the problems on its pages (``finish_pages``) and serves on."""
    global _env
    if _command == "serve":
        finish_pages()
    elif _removed.errors:
        raise Abort(f"Pages hold HTML that is not allowed ({summary(_removed)}): see the messages above.")
    _env = env
    mkdocs_live.state.config, mkdocs_live.state.env, mkdocs_live.state.files = config, env, files
    return env


def on_nav(nav, config: MkDocsConfig, files: Files):
    mkdocs_live.state.nav = nav
    return nav


def on_page_context(context, page: Page, config: MkDocsConfig, nav):
    """The page's JSON-LD for the template, under a name that front matter cannot set."""
    context["oir_jsonld"] = Markup(_jsonld[page.file.src_uri]) if page.file.src_uri in _jsonld else None
    mkdocs_live.record_search_part(page, config)
    return _add_safety_context(context, config)


def on_template_context(context, template_name: str, config: MkDocsConfig):
    """Pages without a source (the 404 page) get the same Content-Security-Policy."""
    context.setdefault("oir_jsonld", None)
    return _add_safety_context(context, config)


def _add_safety_context(context, config: MkDocsConfig):
    context["oir_script_hashes"] = theme_script_hashes(context, config)
    context["oir_page_urls"] = _page_urls  # 'oir.md' -> 'oir/' (or 'oir.html' without directory URLs)
    path = urlsplit(config.site_url or "/").path
    context["oir_site_path"] = "/" + path.strip("/") + "/" if path.strip("/") else "/"  # never '//host'
    return context


def theme_script_hashes(context, config: MkDocsConfig) -> list[str]:
    """The CSP sources ('sha256-…') of the theme's own inline scripts, as this page writes them: its
    partials rendered with the page's context. Any other inline script does not run."""
    if _env is None:
        return []
    key = str(context.get("base_url"))
    if key in _hashes:
        return _hashes[key]
    values = {**context, "features": config.theme.get("features") or []}
    sources = []
    for name in THEME_SCRIPT_PARTIALS:
        for script in _INLINE_SCRIPT.findall(_env.get_template(name).render(values)):
            digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
            sources.append(f"'sha256-{digest}'")
    _hashes[key] = sorted(set(sources))
    return _hashes[key]


def removed() -> list[Diagnostic]:
    """What the sanitizer removed in this build (for tests and tools)."""
    return list(_removed)


def on_post_build(config: MkDocsConfig) -> None:
    """The output folder says it was made by this tool: the next build may replace it."""
    (Path(config.site_dir) / outdir.MARKER).write_text(outdir.MARKER_TEXT, encoding="utf-8")
    mkdocs_live.state.ready = _command == "serve"


def on_serve(server, config: MkDocsConfig, builder):
    """`mkdocs serve` rebuilds when an entry under content/ changes."""
    assert _site is not None
    server.watch(str(_site.settings.root / _site.settings.content_dir))
    server.watch(str(Path(__file__).resolve().parent / "oirsite"))
    # Changes make only the pages they touch (mkdocs_live), where the serve loop is the one it
    # was written for (it reads the watched paths; without them it could not tell what changed).
    if _command == "serve" and not _dirty and mkdocs_live.supported(server):
        server.builder = mkdocs_live.LiveBuilder(builder, server, sys.modules[__name__],
                                                 extra_paths=[Path(p) for p in config.watch])
    return server
