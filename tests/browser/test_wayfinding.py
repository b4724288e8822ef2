"""In Chromium, at phone and desktop widths: entry pages keep their section's tab highlighted and show a
breadcrumb; the home page shows its cards and events; event pages show their summary once; the
mentions are grouped. Screenshots of the key pages go to a temporary folder for a reviewer."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest

from conftest import axe_violations
from helpers import PROJECT, ROOT, check
from oirsite import collections  # noqa: E402

WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}


@pytest.fixture(scope="module")
def catalog():
    return check(ROOT).catalog


def _nav_section(page: str) -> str | None:
    """The top-level nav section of mkdocs.yml that names ``page`` itself, if one does."""
    section = None
    for line in (PROJECT / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:\n", 1)[1].splitlines():
        if line.startswith("  - ") and line.rstrip().endswith(":"):
            section = line[4:].rstrip(":").strip()
        elif line.rstrip().endswith(f" {page}") or line.strip() == f"- {page}":
            return section
    return None


def _section_title(entry) -> str:
    """The title of the nav section that holds the entry's page (where the nav names it), or else its
    collection's index (a collection shown in another's section, such as the recurring meetings, there)."""
    spec = collections.get(entry.spec.section) if entry.spec.section else entry.spec
    return _nav_section(entry.page) or {"activities": "OIR", "committees": "IFMSA"}.get(spec.name, spec.title)


def test_entry_pages_highlight_their_tab_and_show_a_breadcrumb(browser, served_site, catalog):
    base, _ = served_site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    checked = 0
    for entry in catalog.entries.values():
        if not entry.spec.has_pages:
            continue
        page.goto(base + entry.page.removesuffix(".md") + "/")
        active = page.locator(".md-tabs__item--active")
        assert active.count() == 1, entry.page
        index_href = page.locator(".md-path__link").last.evaluate("a => a.href")  # absolute
        # Home › its section: the collection's index (the recurring meetings are within Events), or the
        # page itself where the nav names it (the OIR, IFMSA)
        section = entry.spec.section or entry.collection
        section_page = entry.page.removesuffix(".md") + "/" if _nav_section(entry.page) else section + "/"
        assert index_href == base + section_page, (entry.page, index_href)
        assert page.locator(".md-path__link").first.inner_text().strip() == "Home"
        assert active.inner_text().strip() == _section_title(entry), entry.page
        checked += 1
    context.close()
    assert checked > 10


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_home_has_a_headline_paths_by_reader_and_events_at_each_width(browser, served_site, width, scheme):
    base, _ = served_site
    context = browser.new_context(viewport=dict(zip(("width", "height"), WIDTHS[width])), color_scheme=scheme)
    page = context.new_page()
    page.goto(base)
    headline = page.get_by_role("heading", level=1)
    assert headline.is_visible() and "international" in headline.inner_text()
    assert headline.inner_text().strip().lower() != page.locator(".md-header__topic").first.inner_text().strip().lower()
    assert int(headline.evaluate("h => getComputedStyle(h).fontWeight")) >= 600  # not the theme's thin 300
    paths = page.locator(".grid.cards > ul > li")
    assert [paths.nth(i).locator("h3").inner_text() for i in range(paths.count())] == [
        "For a medical student", "For a physician"]
    for i in range(paths.count()):
        steps = paths.nth(i).locator("ol > li")
        assert steps.count() >= 3 and paths.nth(i).is_visible()
        for j in range(steps.count()):  # each step links to a page of the site that exists
            href = steps.nth(j).locator("a").first.evaluate("a => a.href")
            assert href.startswith(base) and page.request.get(href).ok, href
    assert re.search(r"\d+ committees", paths.nth(0).inner_text()) and re.search(r"\d+ activities", paths.nth(1).inner_text())
    heading = page.locator("h2", has_text=re.compile("^(Upcoming|Recent) events$"))
    assert heading.is_visible()
    assert page.locator("article a[href*='events/']").count() >= 2
    assert axe_violations(page, f"home {width} {scheme}") == []
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_event_pages_show_the_summary_once_and_grouped_mentions(browser, served_site, catalog, width):
    base, _ = served_site
    context = browser.new_context(viewport=dict(zip(("width", "height"), WIDTHS[width])))
    page = context.new_page()
    for entry in catalog.in_collection("events"):
        page.goto(base + entry.page.removesuffix(".md") + "/")
        text = re.sub(r"\s+", " ", page.locator("article").inner_text())
        assert text.count(" ".join(entry.data.summary.split())) == 1, entry.page
        assert page.locator("article h2#sources").is_visible()
    wma = catalog.get("wma") or next(e for e in catalog.in_collection("organizations") if e.id)
    page.goto(base + wma.page.removesuffix(".md") + "/")
    if page.locator("h2#mentioned-in").count():
        assert page.locator("h2#mentioned-in ~ h3").count() >= 1
    context.close()


def test_screenshots_of_the_key_pages_for_a_reviewer(browser, served_site, catalog, tmp_path_factory):
    """Not committed: written under the test run's temporary folder (or SCREENSHOTS_DIR) and listed."""
    base, _ = served_site
    out = Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path_factory.mktemp("screenshots"))
    out.mkdir(parents=True, exist_ok=True)
    event = max(catalog.in_collection("events"), key=lambda e: e.data.date.first_day)
    organization = max(catalog.in_collection("organizations"), key=lambda e: len(catalog.referenced_by(e)))
    pages = {"home": "", "events": "events/", "event": event.page.removesuffix(".md") + "/",
             "organization": organization.page.removesuffix(".md") + "/"}
    saved = []
    for width, (w, h) in WIDTHS.items():
        context = browser.new_context(viewport={"width": w, "height": h})
        page = context.new_page()
        for name, path in pages.items():
            page.goto(base + path)
            target = out / f"{name}-{width}.png"
            page.screenshot(path=str(target), full_page=True)
            saved.append(target)
        context.close()
    print("screenshots:", *saved, sep="\n  ")
    assert all(p.stat().st_size > 10_000 and p.read_bytes()[:4] == b"\x89PNG" for p in saved)


def test_navigation_holds_on_a_phone_at_1024_and_on_a_desktop(browser, served_site, catalog):
    base, _ = served_site
    event = next(iter(catalog.in_collection("events")))
    event_url = base + event.page.removesuffix(".md") + "/"
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    page = phone.new_page()
    page.goto(event_url)
    title = page.locator(".md-header__topic").first
    assert title.evaluate("t => t.querySelector('.md-ellipsis').scrollWidth <= t.querySelector('.md-ellipsis').clientWidth + 1")
    page.locator(".md-header label[for=__drawer]").click()
    page.wait_for_timeout(400)
    drawer = page.locator(".md-sidebar--primary")
    visible = [link.inner_text().strip() for link in drawer.locator("a.md-nav__link, label.md-nav__link").all() if link.is_visible()]
    assert len(visible) >= 6 and "Events" in visible and "Home" in visible, visible  # the whole menu, not one item
    drawer_title = drawer.locator(".md-nav__title[for=__drawer]")
    assert drawer_title.evaluate("t => t.scrollWidth <= t.clientWidth + 1")
    phone.close()
    for width in (1024, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(event_url)
        assert page.locator(".md-tabs").is_visible(), width
        assert page.locator(".md-tabs__item--active").inner_text().strip() == "Events"
        if width == 1280:  # a lone link has no left rail; a section with pages of its own has one
            assert not page.locator(".md-sidebar--primary").is_visible()
            page.goto(base + "oir/")
            rail = page.locator(".md-sidebar--primary a.md-nav__link")
            assert page.locator(".md-sidebar--primary").is_visible()
            assert [a.inner_text().strip() for a in rail.all() if a.is_visible()] == ["About the OIR", "Activities"]
        context.close()


def test_printed_pages_carry_the_site_and_addresses_and_hide_the_interactive_parts(page, served_site, catalog):
    base, _ = served_site
    holder = catalog.entries[sorted(collections.calendar_organizations(catalog, dt.date.today()))[0]]  # it has a calendar
    url = base + holder.page.removesuffix(".md") + "/"
    page.goto(url)
    calendar = page.locator("article a[href$='.ics']").first
    assert calendar.is_visible()
    page.emulate_media(media="print")
    printed = page.locator(".oir-print-only")
    assert printed.is_visible() and printed.inner_text().strip() == f"International Medical Relations: {url}"
    assert not calendar.is_visible() and not page.locator(".md-header").is_visible()
    page.goto(base + "organizations/wma/")  # its website: a link to another site
    external = page.locator("article a[href^='http']").first
    href = external.get_attribute("href")
    assert external.evaluate("a => getComputedStyle(a, '::after').content") == f'" ({href})"'  # the address, printed
