#!/usr/bin/env python3
"""Draw the site's favicon and social preview image from its mark (overrides/partials/logo.html).

    python scripts/draw_images.py        # writes docs/assets/favicon.png and docs/assets/social.png

The mark is the one inline SVG the header shows; Chromium (Debian's, through Playwright, as the
screenshots use; CHROMIUM_PATH for another) renders it, so the images need no image library and
no font file. The images are committed: run this again after changing the mark or the site's name.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from screenshots import CHROMIUM_ARGS, chromium_path  # noqa: E402

INDIGO = "#3f51b5"  # Material's indigo, the site's primary colour (mkdocs.yml)
NAME = "International Medical Relations"
LINE = "The AMA's Office of International Relations and IFMSA, from published sources"


def mark() -> str:
    """The SVG element of overrides/partials/logo.html (without its template comment)."""
    text = (ROOT / "overrides" / "partials" / "logo.html").read_text(encoding="utf-8")
    return re.search(r"<svg\b.*?</svg>", text, re.DOTALL).group(0)


def favicon_html() -> str:
    svg = mark().replace('class="oir-mark"', 'width="26" height="26"')
    return (f'<body style="margin:0;background:transparent"><div style="width:32px;height:32px;border-radius:7px;'
            f'background:{INDIGO};color:#fff;display:grid;place-items:center">'
            f'{svg}</div></body>')


def social_html() -> str:
    svg = mark().replace('class="oir-mark"', 'width="180" height="180"')
    return (f'<body style="margin:0"><div style="width:1200px;height:630px;box-sizing:border-box;padding:90px;'
            f'background:{INDIGO};color:#fff;font-family:sans-serif;display:flex;flex-direction:column;'
            f'justify-content:center;gap:36px">{svg}<div style="font-size:68px;font-weight:700">{html.escape(NAME)}</div>'
            f'<div style="font-size:34px;line-height:1.3;max-width:960px">{html.escape(LINE)}</div></div></body>')


def main() -> int:
    from playwright.sync_api import sync_playwright
    out = ROOT / "docs" / "assets"
    out.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        for name, source, (width, height), transparent in (("favicon.png", favicon_html(), (32, 32), True),
                                                          ("social.png", social_html(), (1200, 630), False)):
            page = browser.new_page(viewport={"width": width, "height": height})
            page.set_content(source)
            page.screenshot(path=str(out / name), omit_background=transparent)
            page.close()
            print(out / name)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
