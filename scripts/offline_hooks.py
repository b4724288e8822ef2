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
