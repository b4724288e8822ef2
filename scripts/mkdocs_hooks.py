"""The one thin adapter between the content layer (``oirsite``) and MkDocs.

MkDocs loads this file through ``hooks:`` in mkdocs.yml, so ``mkdocs build``, ``mkdocs serve`` and
``scripts/build.py`` all run the same checks: a content error aborts every one of them, with the
file and line of each problem. Everything else lives in ``oirsite``, which never imports MkDocs.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

sys.path.insert(0, str(Path(__file__).resolve().parent))

from oirsite.diagnostics import Diagnostics, summary  # noqa: E402
from oirsite.render import used_abbreviations  # noqa: E402
from oirsite.site import SiteBuild, Settings, build_site, take_preloaded  # noqa: E402

log = logging.getLogger("mkdocs.hooks.content")
_site: SiteBuild | None = None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load, check and render all content; abort the build on any content error."""
    global _site
    if not config.repo_url:  # no repository to edit in: no edit links, rather than dead ones
        config.edit_uri = None
    root = Path(config.config_file_path).resolve().parent
    settings = Settings(root, docs_dir=Path(config.docs_dir).resolve().relative_to(root).as_posix(),
                        recent_events=config.extra.get("recent_events", Settings.recent_events),
                        site_url=config.site_url or Settings.site_url, site_name=config.site_name)
    # scripts/build.py has checked and rendered everything already in this process: reuse it.
    _site = take_preloaded(settings) or build_site(root, settings, Diagnostics())
    diagnostics = _site.diagnostics
    for diagnostic in sorted(diagnostics.warnings):
        log.info(diagnostic.format_text())  # open items: listed, never fatal
    if diagnostics.errors:
        for diagnostic in sorted(diagnostics.errors):
            log.error(diagnostic.format_text())
        raise Abort(f"The content has problems ({summary(diagnostics)}): see the messages above.")
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated pages; point every page's edit link at the file an editor changes."""
    assert _site is not None
    for page in _site.generated.values():
        generated = File.generated(config, page.path, content=page.markdown)
        generated.edit_uri = page.source
        files.append(generated)
    for path, content in _site.render_files().items():  # the feed and the calendars
        files.append(File.generated(config, path, content=content))
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
    made (right after this hook) with the abbreviations it uses, given as the abbr glossary."""
    assert _site is not None
    if "abbr" in config.markdown_extensions:
        config.mdx_configs.setdefault("abbr", {})["glossary"] = used_abbreviations(markdown, _site.abbreviations)
    return markdown


def on_serve(server, config: MkDocsConfig, builder):
    """`mkdocs serve` rebuilds when an entry under content/ changes."""
    assert _site is not None
    server.watch(str(_site.settings.root / _site.settings.content_dir))
    server.watch(str(Path(__file__).resolve().parent / "oirsite"))
    return server
