"""The web editor's page in the built site (``admin/``): its HTML, its configuration with the
repository filled in, and Decap CMS's files from ``node_modules`` (installed by ``npm ci``)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from .cms import (ADMIN_DIR, CMS_DIR, CONFIG_FILE, DECAP_DIST, _collections,  # noqa: F401
                  generate_config, render_config)


def repo_from_url(url: str | None) -> str | None:
    """"owner/name" from a GitHub address such as https://github.com/owner/name(.git)."""
    match = re.match(r"^https://github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/?$", url or "")
    return f"{match.group(1)}/{match.group(2)}" if match else None


def admin_files(root: Path, repo_url: str | None = None, local_backend_url: str | None = None,
                site_url: str | None = None) -> dict[str, bytes]:
    """Site path -> content of every file of the admin page: its page, its setup script, its
    configuration and the CMS's JavaScript from node_modules (``npm ci`` installs it).

    Raises FileNotFoundError with what to run when the CMS is not installed."""
    dist = root / DECAP_DIST
    main = dist / "decap-cms.js"
    if not main.is_file():
        raise FileNotFoundError(f"{main} is missing: run `npm ci` in {root} to install the web editor")
    repo = repo_from_url(repo_url if repo_url is not None else os.environ.get("REPO_URL"))
    config = generate_config(repo, local_backend_url, site_url)
    files = {
        f"{ADMIN_DIR}/index.html": (root / CMS_DIR / "index.html").read_bytes(),
        f"{ADMIN_DIR}/cms-setup.js": (root / CMS_DIR / "cms-setup.js").read_bytes(),
        f"{ADMIN_DIR}/{CONFIG_FILE}": render_config(config).encode("utf-8"),
        f"{ADMIN_DIR}/decap-cms.js": main.read_bytes(),
    }
    # The parts the bundle loads on demand (same folder, found from its own address), and licences.
    for part in sorted(dist.iterdir()):
        if re.fullmatch(r"\d+\.decap-cms\.js|[0-9a-f]+\.wasm|decap-cms\.js\.LICENSE\.txt", part.name):
            files[f"{ADMIN_DIR}/{part.name}"] = part.read_bytes()
    return files


# ---------------------------------------------------------------------------------------------
# What the CMS cannot show.

def hidden_files(root: Path, content_dir: str = "content") -> list[str]:
    """Content files the CMS does not list: their extension is not their collection's."""
    hidden = []
    for name, spec in _collections().items():
        folder = root / content_dir / name
        if not folder.is_dir():
            continue
        for file in sorted(folder.iterdir()):
            if file.suffix in (".md", ".yml", ".yaml") and file.suffix != spec.file_suffix:
                hidden.append(file.relative_to(root).as_posix())
    return hidden
