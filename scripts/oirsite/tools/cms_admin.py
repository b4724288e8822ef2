"""The web editor's page in the built site (``admin/``): its HTML with its Content-Security-Policy,
its configuration with the repository filled in, and Sveltia CMS's files from ``node_modules``.

The published bundle fetches three fonts from jsDelivr, asks unpkg.com for its latest version and
githubstatus.com for GitHub's incidents. Each of those addresses is replaced here by the package's own
font file or by a ``data:`` answer, each asserted to be there exactly once, so that another version of
the bundle fails the build instead of going to another host. The page's policy blocks the rest.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from .. import collections
from .cms import ADMIN_DIR, CMS_DIR, CONFIG_FILE, PACKAGE, generate_config, render_config

FONTS = {  # the bundle's address -> the package's own file (npm/assets/<stem>-<hash>.woff2)
    "https://cdn.jsdelivr.net/fontsource/fonts/source-sans-3:vf@5.3.0/latin-wght-normal.woff2":
        "source-sans-3-latin-wght-normal",
    "https://cdn.jsdelivr.net/fontsource/fonts/noto-mono@5.3.0/latin-400-normal.woff2":
        "noto-mono-latin-400-normal",
    "https://cdn.jsdelivr.net/fontsource/fonts/material-symbols-outlined:vf@5.3.7/latin-wght-normal.woff2":
        "material-symbols-outlined-latin-wght-normal",
}
# The hourly "is there a newer version?" request to unpkg.com (of no use with a pinned copy) and the
# five-minutely one to GitHub's status page, answered in the page instead.
UPDATE_CHECK = (rb"`\$\{\w+\}/package\.json`", b"`data:application/json,{}`")
STATUS_PAGE = (b"https://www.githubstatus.com/api/v2/status.json", b'data:application/json,{"status":{"indicator":"none"}}')


def repo_from_url(url: str | None) -> str | None:
    """"owner/name" from a GitHub address such as https://github.com/owner/name(.git)."""
    match = re.match(r"^https://github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/?$", url or "")
    return f"{match.group(1)}/{match.group(2)}" if match else None


def _once(data: bytes, old: bytes, new: bytes, what: str) -> bytes:
    count = data.count(old)
    if count != 1:
        raise RuntimeError(f"{what}: {old.decode()!r} is in the CMS's bundle {count} times, not once: "
                           "check the new version's requests before using it (see cms/README.md)")
    return data.replace(old, new)


def bundle(root: Path) -> dict[str, bytes]:
    """Admin path -> bytes of the CMS's own files, the bundle with its foreign addresses replaced."""
    package = root / PACKAGE
    main = package / "dist" / "sveltia-cms.js"
    if not main.is_file():
        raise FileNotFoundError(f"{main} is missing: run `npm ci` in {root} to install the web editor")
    js = main.read_bytes()
    files: dict[str, bytes] = {}
    for url, stem in FONTS.items():
        (font,) = (package / "npm" / "assets").glob(f"{stem}-*.woff2")
        js = _once(js, url.encode(), f"fonts/{stem}.woff2".encode(), "a font")
        files[f"fonts/{stem}.woff2"] = font.read_bytes()
    for licence in sorted((package / "npm" / "assets").glob("*.LICENSE.txt")):
        files[f"fonts/{licence.name}"] = licence.read_bytes()
    js, count = re.subn(UPDATE_CHECK[0], UPDATE_CHECK[1], js)
    if count != 1:
        raise RuntimeError(f"the update check is in the CMS's bundle {count} times, not once")
    files["sveltia-cms.js"] = _once(js, *STATUS_PAGE, "GitHub's status page")
    files["chunks/react-dom.js"] = (package / "dist" / "chunks" / "react-dom.js").read_bytes()
    files["LICENSE.txt"] = (package / "LICENSE.txt").read_bytes()
    return files


def admin_files(root: Path, repo_url: str | None = None, api_root: str | None = None,
                site_url: str | None = None, local: bool = False, repo: str | None = None) -> dict[str, bytes]:
    """Site path -> content of every file of the admin page: cms/index.html with the API's origin in
    its policy (the one host it may connect to), its configuration and the CMS's files. ``api_root``
    only for the local editor (``local``: no pull requests) and the tests: another API than GitHub's.

    Raises FileNotFoundError with what to run when the CMS is not installed."""
    files = {f"{ADMIN_DIR}/{path}": data for path, data in bundle(root).items()}
    repo = repo or repo_from_url(repo_url if repo_url is not None else os.environ.get("REPO_URL"))
    config = generate_config(repo, api_root, site_url, local)
    parts = urlsplit(api_root or "https://api.github.com")
    page = (root / CMS_DIR / "index.html").read_bytes()
    files[f"{ADMIN_DIR}/index.html"] = _once(page, b"API_ORIGIN", f"{parts.scheme}://{parts.netloc}".encode(),
                                             "cms/index.html")
    files[f"{ADMIN_DIR}/{CONFIG_FILE}"] = render_config(config).encode("utf-8")
    return files


def reachable_suffixes() -> dict[str, set[str]]:
    """Folder -> the file suffixes some CMS collection lists there."""
    found: dict[str, set[str]] = {}
    for collection in generate_config()["collections"]:
        found.setdefault(collection["folder"], set()).add("." + collection["extension"])
    return found


def hidden_files(root: Path) -> list[str]:
    """Content files the CMS does not list: no CMS collection lists their folder and extension."""
    reachable = reachable_suffixes()
    hidden = []
    for name in collections.registry():
        folder = root / "content" / name
        suffixes = reachable.get(f"content/{name}", set())
        if folder.is_dir():
            hidden += [file.relative_to(root).as_posix() for file in sorted(folder.iterdir())
                       if file.suffix in (".md", ".yml", ".yaml") and file.suffix not in suffixes]
    return hidden
