"""The offline build's one addition (mkdocs.offline.yml): the iframe-worker shim as a file of the
site, so that search runs opened from a folder without fetching it from unpkg.com (Material's
offline plugin's default). See scripts/vendor/iframe-worker/README.md."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

SHIM = Path(__file__).resolve().parent / "vendor" / "iframe-worker" / "shim.js"
SHIM_PATH = "assets/javascripts/iframe-worker-shim.js"  # where mkdocs.offline.yml's extra.polyfills points


def on_files(files: Files, config: MkDocsConfig) -> Files:
    files.append(File.generated(config, SHIM_PATH, abs_src_path=str(SHIM)))
    return files


def on_page_context(context, page, config: MkDocsConfig, nav):
    return _allow_the_search_frame(context)


def on_template_context(context, template_name: str, config: MkDocsConfig):
    return _allow_the_search_frame(context)


def _allow_the_search_frame(context):
    """The Content-Security-Policy of the offline pages (overrides/main.html) allows inline scripts.

    Opened from a folder, iframe-worker runs the search in a hidden frame whose inline script names
    the worker's full address, which depends on where the folder was unzipped: no hash can allow
    it, and the frame inherits the page's policy. So the offline build alone lists
    'unsafe-inline' instead of the hashes of the theme's scripts (this hook runs after
    scripts/mkdocs_hooks.py, which set them). Nothing else changes: every page's content still
    passes the same sanitizer, so none of it carries a script."""
    context["oir_script_hashes"] = ["'unsafe-inline'"]
    return context
