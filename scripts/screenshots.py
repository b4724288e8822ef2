#!/usr/bin/env python3
"""Save screenshots of the key pages of the built site, at desktop and phone widths.

    python scripts/screenshots.py                 # from site/ into screenshots/
    python scripts/screenshots.py --site-dir site --out /tmp/shots --pages index oir

It serves the built site on 127.0.0.1 and drives Debian's Chromium headless through Playwright
(set CHROMIUM_PATH to use another executable). Build the site first: python scripts/build.py.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import shutil
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEY_PAGES = {
    "home": "",
    "oir": "oir/",
    "ifmsa": "ifmsa/",
    "events": "events/",
    "event": "events/wma-general-assembly-2023/",
    "organizations": "organizations/",
    "organization": "organizations/wma/",
    "committees": "committees/",
}
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves a folder without a log line per request."""

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serves ``folder`` on 127.0.0.1 while the block runs; yields its address."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def take(site_dir: Path, out: Path, pages: list[str], chromium: str, full_page: bool = False) -> list[Path]:
    from playwright.sync_api import sync_playwright

    saved = []
    out.mkdir(parents=True, exist_ok=True)
    with serve(site_dir) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        for width_name, (width, height) in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": height},
                                          is_mobile=width_name == "phone", color_scheme="light")
            page = context.new_page()
            for name in pages:
                page.goto(base + KEY_PAGES[name])
                page.wait_for_load_state("networkidle")
                path = out / f"{name}-{width_name}.png"
                page.screenshot(path=str(path), full_page=full_page)
                saved.append(path)
            context.close()
        browser.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python scripts/screenshots.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--site-dir", default=str(ROOT / "site"), help="the built site (default: site/)")
    parser.add_argument("--out", default=str(ROOT / "screenshots"), help="where to save the PNG files")
    parser.add_argument("--full-page", action="store_true", help="the whole page, not only the first screen")
    parser.add_argument("--pages", nargs="+", choices=sorted(KEY_PAGES), default=list(KEY_PAGES),
                        help="which pages (default: all key pages)")
    args = parser.parse_args(argv)
    site_dir = Path(args.site_dir)
    if not (site_dir / "index.html").is_file():
        print(f"error: no built site in {site_dir}: run python scripts/build.py first", file=sys.stderr)
        return 1
    chromium = chromium_path()
    if not chromium:
        print("error: no Chromium found: install it (sudo apt-get install chromium) or set CHROMIUM_PATH",
              file=sys.stderr)
        return 1
    for path in take(site_dir, Path(args.out), args.pages, chromium, args.full_page):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
