"""Instant preview: `mkdocs serve` makes again only the pages a change touches (README, "Live preview": the
steps, and what falls back to a full build, which takes 7 s for one edited event at 1,000 entries; ``--dirty``
misses generated pages, the search index and tags). Its state is the plugin's. MkDocs's page steps are private:
MkDocs is kept below 2.0 (pyproject.toml), and tests/test_live_preview*.py go through them on every run."""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import time
from pathlib import Path
from typing import Callable

from markupsafe import escape
from mkdocs import utils
from mkdocs.commands import build as mkdocs_build
from mkdocs.exceptions import Abort
from mkdocs.structure.files import Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.oirsite.live")


class FullBuildNeeded(Exception):
    """This change is not one the incremental path can prove local: MkDocs builds everything."""


def supported(server) -> bool:
    """Whether this serve loop and build module are MkDocs 1.6's (else MkDocs's own loop serves)."""
    return (isinstance(getattr(server, "_watched_paths", None), dict) and hasattr(server, "builder")
            and all(hasattr(mkdocs_build, name) for name in
                    ("_populate_page", "_build_page", "_build_theme_template", "_build_extra_template")))


def search_plugin(config):
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    return plugin if plugin is not None and hasattr(getattr(plugin, "search_index", None), "entries") else None


def _fingerprint(path: Path, read: bool) -> tuple:
    """(size, time stamp) of a file, and a hash of its bytes if ``read``, which tells apart two saves of
    one size within a tick of the file system's clock."""
    try:
        stat = path.stat()
        digest = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest() if read else ""
    except OSError:
        return (-1, -1, "")
    return (stat.st_size, stat.st_mtime_ns, digest)


def snapshot(paths: list[Path], content: Path, read: list[Path]) -> dict[str, tuple]:
    """Every watched file outside content/ (which the content flow reads), but for names starting with a dot
    (an editor's swap files), with its fingerprint: by its bytes under ``read`` (docs/, mkdocs.yml)."""
    found: list[Path] = []
    for top in paths:
        if top == content or content in top.parents:
            continue
        if top.is_file():
            found.append(top)
        for folder, dirs, names in os.walk(top):  # nothing for a file
            folder_path = Path(folder)
            dirs[:] = [d for d in dirs if d != "__pycache__" and not d.startswith(".") and folder_path / d != content]
            found += [folder_path / name for name in names if not name.startswith(".")]
    return {str(path): _fingerprint(path, any(path == top or top in path.parents for top in read)) for path in found}


class LiveBuilder:
    """The serve loop's builder: incremental where it can prove the change local, else MkDocs's."""

    def __init__(self, full_builder: Callable[[], None], server, plugin, extra_paths: list[Path] = ()) -> None:
        self.full_builder = full_builder
        self.server = server
        self.plugin = plugin  # the OirsitePlugin: the content flow, and what the last build left
        self.extra_paths = [path.resolve() for path in extra_paths]  # watched after on_serve
        self.last = self._snapshot()
        # A file saved while the first build ran is in this snapshot already: the next change builds everything.
        if any(mtime >= plugin.started_ns - 10_000_000 for _, mtime, _ in self.last.values()):
            plugin.ready = False

    def _snapshot(self) -> dict[str, tuple]:
        site = self.plugin.site
        root = site.settings.root
        content = (root / site.settings.content_dir).resolve()
        watched = {Path(path).resolve() for path in self.server._watched_paths} | set(self.extra_paths)
        read = [(root / site.settings.docs_dir).resolve(), *(p for p in watched if p.suffix in (".yml", ".yaml"))]
        return snapshot(sorted(watched), content, read)

    def __call__(self) -> None:
        started = time.perf_counter()
        now = self._snapshot()
        before, self.last = self.last, now
        try:
            if not self.plugin.ready:
                raise FullBuildNeeded("the last build did not finish")
            self._structure_unchanged(before, now)
            # The heap holds every page: a full collection during an update would walk all of it (a third
            # of a second at 5,000 entries). Reference counting still frees what the update drops.
            collecting = gc.isenabled()
            gc.disable()
            try:
                count = self.update()
            finally:
                if collecting:
                    gc.enable()
        except Abort:  # strict mode's warnings, as a build stops on them
            self.plugin.ready = False
            raise
        except Exception as error:  # whatever else failed: the full build, which says what is wrong
            self.plugin.ready = False
            log.info("Building the whole site: " + (str(error) if isinstance(error, FullBuildNeeded) else
                                                    f"the update failed ({type(error).__name__}: {error})"))
            self.full_builder()
            return
        log.info(f"Updated {count} page(s) in {time.perf_counter() - started:.2f} seconds")

    def _structure_unchanged(self, before: dict[str, tuple], now: dict[str, tuple]) -> None:
        """Only the text of hand-written pages the content flow reads (and content/) changed."""
        site = self.plugin.site
        docs = str((site.settings.root / site.settings.docs_dir).resolve()) + os.sep
        for path in before.keys() | now.keys():
            if before.get(path) == now.get(path):
                continue
            page = path[len(docs):].replace(os.sep, "/") if path.startswith(docs) else None
            if not (page in site.hand_written and path in before and path in now):
                raise FullBuildNeeded(f"{os.path.relpath(path, site.settings.root)} changed")

    def update(self) -> int:
        """Bring the served folder to what a clean build of the current files makes; returns how many
        pages were made again or removed."""
        plugin = self.plugin
        config, env, nav = plugin.last_config, plugin.env, plugin.nav
        if _has_tags(config):  # the last build had tagged pages: spare the content step
            raise FullBuildNeeded("pages have tags")
        docs_dir = os.path.normpath(config.docs_dir)
        old_files = plugin.files
        counter = utils.CountHandler()
        counter.setLevel(logging.WARNING)
        if config.strict:
            logging.getLogger("mkdocs").addHandler(counter)
        try:
            shown_before = plugin.banner
            changes = plugin.update_content()
            files = get_files(config)
            for file in old_files:  # the theme's files, as the last build found them (unchanged: else
                if file.src_dir is not None and file.src_dir != docs_dir:  # a full build)
                    files.append(file)
            files = config.plugins.on_files(files, config=config)
            set_exclusions(files, config)
            inclusion = InclusionLevel.is_in_serve
            old_docs = {f.src_uri: f for f in old_files.documentation_pages(inclusion=inclusion)}
            new_docs = {f.src_uri: f for f in files.documentation_pages(inclusion=inclusion)}
            if ((old_docs.keys() - set(changes.removed)) != (new_docs.keys() - set(changes.added))
                    or not set(changes.removed) <= old_docs.keys()
                    or not {*changes.changed, *changes.added} <= new_docs.keys()):
                raise FullBuildNeeded("the list of pages changed")
            old_generated, new_generated = _generated(old_files), _generated(files)
            for pages, generated in ((old_docs, old_generated), (new_docs, new_generated)):
                pages_at = {f.abs_dest_path for f in pages.values()}
                if any(f.abs_dest_path in pages_at for f in generated.values()):
                    # A copy of an entry not yet deleted: a build writes the redirect, then the page over it.
                    raise FullBuildNeeded("a former id's redirect and a page share an address")
            written = {file.abs_dest_path for file in files}  # nothing the new build writes is deleted
            # As a build, first: the files made from content that are not pages (the feed, the calendars,
            # redirect pages), written where their text changed, deleted where they went.
            for uri, file in new_generated.items():
                if uri not in old_generated or old_generated[uri].content_bytes != file.content_bytes:
                    file.copy_file()
            for uri in old_generated.keys() - new_generated.keys():
                _remove_output(old_generated[uri], written, Path(config.site_dir))
            in_nav = {id(page) for page in nav.pages}
            fresh = set(changes.changed) | set(changes.added)
            for uri, file in new_docs.items():  # unchanged pages, and those of the navigation, keep
                page = old_docs[uri].page if uri in old_docs else None  # their state, with the new file
                if page is not None and (uri not in fresh or id(page) in in_nav):
                    page.file, file.page = file, page
            for uri in sorted(fresh):  # a new page as a build makes it (its edit link read anew)
                if new_docs[uri].page is None:
                    Page(None, new_docs[uri], config)
            nav = config.plugins.on_nav(nav, config=config, files=files)  # new pages' sections
            remade = [new_docs[uri].page for uri in (*changes.changed, *changes.added)]
            shown = {id(p): (p.title, dict(p.meta)) for p in remade if id(p) in in_nav}
            for uri in (*changes.changed, *changes.added, *changes.removed):  # what the sanitizer took out
                plugin.removed_from.pop(uri, None)
            for page in remade:
                mkdocs_build._populate_page(page, config, files)
            plugin.finish_pages()  # the terminal says what is new or fixed; the banner is made
            for page in remade:
                if id(page) in shown and shown[id(page)] != (page.title, dict(page.meta)):
                    raise FullBuildNeeded(f"the title or front matter of {page.file.src_uri}, in the navigation, changed")
            if _has_tags(config):  # this change gave a page tags
                raise FullBuildNeeded("pages have tags")
            doc_files = files.documentation_pages(inclusion=inclusion)
            search = search_plugin(config)
            for page in remade:
                if search is not None:
                    search.search_index.entries = []
                    plugin.search_mark = 0
                mkdocs_build._build_page(page, config, doc_files, nav, env,
                                         excluded=page.file.inclusion.is_excluded())
            for uri in changes.removed:
                plugin.search_parts.pop(uri, None)
                _remove_output(old_docs[uri], written, Path(config.site_dir))
            shown_now = plugin.banner
            if shown_before != shown_now:
                done = {page.file.abs_dest_path for page in remade}
                for file in doc_files:
                    if file.abs_dest_path not in done:
                        rebanner(Path(file.abs_dest_path), shown_before, shown_now)
            for template in config.theme.static_templates:  # the sitemap and the 404 page list every page
                mkdocs_build._build_theme_template(template, env, files, config, nav)
            for template in config.extra_templates:
                mkdocs_build._build_extra_template(template, files, config, nav)
            if search is not None:
                search.search_index.entries = [entry for file in doc_files
                                               for entry in plugin.search_parts.get(file.src_uri, [])]
            for file in doc_files:
                file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
            config.plugins.on_post_build(config=config)
            plugin.files, plugin.nav = files, nav
            if counts := counter.get_counts():
                raise Abort("Aborted with " + ", ".join(f"{v} {k.lower()}s" for k, v in counts) + " in strict mode!")
            return len(changes)
        finally:
            logging.getLogger("mkdocs").removeHandler(counter)


def _generated(files: Files) -> dict[str, object]:
    """The files of a list that the build makes and that are not pages."""
    return {f.src_uri: f for f in files if not f.is_documentation_page() and f.generated_by is not None}


# Where the errors banner goes: not in the content, so that search does not index it and new errors remake no page.
CONTENT_START = '<article class="md-content__inner md-typeset">'


def banner(errors: list) -> str:
    """In a live preview with errors: what is wrong, where, at the top of every page."""
    if not errors:
        return ""
    items = "".join(f"<li><code>{escape(d.path)}:{d.line}:{d.col}</code> {escape(d.message)}"
                    + (f" <em>({escape(d.hint)})</em>" if d.hint else "") + "</li>"
                    for d in sorted(errors))
    return (f'<div class="admonition failure" role="alert"><p class="admonition-title">The content has '
            f'{len(errors)} problem(s): fix these and save; the page reloads.</p><ul>{items}</ul></div>')


def rebanner(path: Path, old: str, new: str) -> None:
    """A page not made again: its banner ``old`` replaced by ``new``, in its bytes as MkDocs wrote them
    (characters UTF-8 cannot hold, such as a file name's undecodable bytes, as character references)."""
    try:
        data = path.read_bytes()
    except OSError:
        return
    before = (CONTENT_START + old).encode("utf-8", "xmlcharrefreplace")
    after = (CONTENT_START + new).encode("utf-8", "xmlcharrefreplace")
    if before in data and before != after:
        path.write_bytes(data.replace(before, after, 1))


def _has_tags(config) -> bool:
    plugin = config.plugins.get("material/tags") or config.plugins.get("tags")
    if plugin is None or not getattr(plugin.config, "enabled", True):
        return False
    return any(True for _ in getattr(plugin, "mappings", ())) or any(True for _ in getattr(plugin, "listings", ()))


def _remove_output(file, written: set[str], site_dir: Path) -> None:
    """Delete a file's output, unless the new build ``written`` writes there too, and the folders it leaves
    empty, never above the output folder."""
    site_dir, path = site_dir.resolve(), Path(file.abs_dest_path).resolve()
    if file.abs_dest_path in written or site_dir not in path.parents:
        return
    path.unlink(missing_ok=True)
    folder = path.parent
    while folder != site_dir and site_dir in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            break
        folder = folder.parent
