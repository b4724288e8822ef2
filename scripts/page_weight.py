#!/usr/bin/env python3
"""What a first visit to a page of the built site costs: requests and compressed bytes.

    python scripts/page_weight.py                       # the home page of site/
    python scripts/page_weight.py --site-dir /tmp/site events/ oir/ --json

It serves the site on 127.0.0.1, opens each page in a fresh Chromium (Debian's, through Playwright;
CHROMIUM_PATH for another) with an empty cache, waits until the network is idle, and counts every
response: its body compressed with gzip (level 6, as a static host sends text; images and other
compressed formats as they are). Then it presses a key that does nothing (Shift), the reader's first
action, and counts what that adds: Material's script loads then (docs/javascripts/theme-on-interaction.js),
and the search's index and worker when search opens. Build the site first: python scripts/build.py.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from screenshots import CHROMIUM_ARGS, chromium_path, serve  # noqa: E402

_COMPRESSED = (".png", ".jpg", ".jpeg", ".webp", ".avif", ".gif", ".woff", ".woff2", ".gz", ".ico")


def wire_bytes(url: str, body: bytes) -> int:
    """The bytes a static host sends for this body: gzip for text, as it is for compressed formats."""
    if url.split("?")[0].lower().endswith(_COMPRESSED):
        return len(body)
    return len(gzip.compress(body, compresslevel=6, mtime=0))


def _files(responses: list, base: str) -> dict:
    """How many requests, their bytes in all, and each file."""
    files = []
    for response in responses:
        try:
            body = response.body()
        except Exception:  # a redirect or a response without a body
            body = b""
        files.append({"url": response.url.removeprefix(base), "bytes": wire_bytes(response.url, body)})
    return {"requests": len(files), "bytes": sum(f["bytes"] for f in files), "files": files}


def _settle(page, pending: set) -> None:
    """Waits until no request has been open for half a second (at most ten seconds)."""
    quiet = 0
    for _ in range(100):
        page.wait_for_timeout(100)
        quiet = 0 if pending else quiet + 1
        if quiet >= 5:
            return


def measure(browser, base: str, path: str, width: int = 1280) -> dict:
    """The first visit of ``path`` (no action of the reader), and what the reader's first action adds."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    responses, pending = [], set()
    page.on("request", lambda request: pending.add(request))
    page.on("requestfinished", lambda request: pending.discard(request))
    page.on("requestfailed", lambda request: pending.discard(request))
    page.on("response", lambda response: responses.append(response))
    page.goto(base + path, wait_until="networkidle")
    page.wait_for_timeout(300)  # what the page's scripts ask for after load
    first = _files(responses, base)
    responses.clear()
    page.keyboard.press("Shift")  # the reader's first action, which does nothing itself
    _settle(page, pending)
    later = _files(responses, base)
    context.close()
    return {"page": path or "/", **first, "first_action": later}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", default=[""], help="paths of pages, relative to the site (default: the home page)")
    parser.add_argument("--site-dir", default=str(ROOT / "site"), help="the built site (default: site)")
    parser.add_argument("--json", action="store_true", help="print JSON, with every file")
    args = parser.parse_args(argv)
    site = Path(args.site_dir)
    if not (site / "index.html").is_file():
        print(f"{site}: no built site here: run python scripts/build.py first", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        results = [measure(browser, base, path) for path in args.pages]
        browser.close()
    if args.json:
        print(json.dumps(results, indent=1))
        return 0
    for result in results:
        later = result["first_action"]
        for lead, part in ((f"{result['page']}: ", result), ("  the reader's first action adds ", later)):
            print(f"{lead}{part['requests']} requests, {part['bytes'] / 1000:.1f} KB compressed")
            for f in part["files"]:
                print(f"  {f['bytes'] / 1000:7.1f} KB  {f['url']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
