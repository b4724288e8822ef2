"""The site says who publishes it and why, on every page: the footer (publisher, purpose, the About
page, how to report an error, the feed and the calendar), its own mark, favicon and social image."""

from __future__ import annotations

import re
import struct

from playwright.sync_api import expect

from helpers import ROOT


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_footer_names_the_publisher_and_links_feed_calendar_and_about(page, served_site):
    base, _ = served_site
    page.goto(base + "organizations/wma/")
    footer = page.locator("footer")
    expect(footer).to_contain_text("International Medical Relations, published by the editors of this site.")
    expect(footer).to_contain_text("for medical students and physicians")
    assert footer.locator("a[href^='mailto:']").count() == 0  # the sources give the OIR no address
    for name, path, start in (("Events feed (Atom)", "feed.xml", b"<?xml"), ("Events calendar (iCalendar)", "events.ics", b"BEGIN:VCALENDAR")):
        href = footer.get_by_role("link", name=name).evaluate("a => a.href")
        assert href == base + path
        assert page.request.get(href).body().startswith(start), href
    footer.get_by_role("link", name="Report an error").click()
    expect(page).to_have_url(re.compile(r"/about/#report-an-error$"))
    expect(page.locator("h2#report-an-error")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("About this site")
    expect(page.locator("article")).to_contain_text("Every fact on this site comes from a published source")


def test_own_mark_favicon_and_social_image(page, served_site):
    base, _ = served_site
    page.goto(base + "events/")
    assert page.locator(".md-header .md-logo svg.oir-mark").is_visible()
    icon = page.locator("link[rel=icon]").evaluate("l => l.href")
    assert icon == base + "assets/favicon.png"  # ours, not the theme's assets/images/favicon.png
    data = page.request.get(icon).body()
    assert _png_size(data) == (32, 32) and data == (ROOT / "docs/assets/favicon.png").read_bytes()
    image = page.locator("meta[property='og:image']").get_attribute("content")
    assert image == base + "assets/social.png"
    assert _png_size(page.request.get(image).body()) == (1200, 630)
    assert page.locator("meta[name='twitter:card']").get_attribute("content") == "summary_large_image"
