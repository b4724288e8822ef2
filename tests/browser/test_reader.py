"""The reader's site in a real browser: navigation, search, acronyms, phone layout, palette."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from helpers import PROJECT, check, reader_pages  # noqa: E402


def test_home_to_oir_to_event_to_organization_and_back(page, served_site):
    base, _ = served_site
    page.goto(base)
    page.locator(".md-tabs").get_by_role("link", name="OIR", exact=True).click()
    expect(page).to_have_url(re.compile(r"/organizations/oir/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Office of International Relations"))
    page.locator("article").get_by_role("link", name="World Medical Association meets in Africa").click()
    expect(page).to_have_url(re.compile(r"/events/wma-general-assembly-2023/$"))
    expect(page.locator("article")).to_contain_text("4–7 October 2023")
    expect(page.locator("article")).to_contain_text("Kigali, Rwanda")
    page.locator("article").get_by_role("link", name="World Medical Association", exact=True).click()
    expect(page).to_have_url(re.compile(r"/organizations/wma/$"))
    mentioned_in = page.locator("article h2#mentioned-in ~ ul")
    mentioned_in.get_by_role("link", name="World Medical Association meets in Africa").click()
    expect(page).to_have_url(re.compile(r"/events/wma-general-assembly-2023/$"))
    assert page.watch.console_errors == []


def test_search_for_kigali_lists_the_general_assembly(page, served_site):
    base, _ = served_site
    page.goto(base)
    page.locator("input.md-search__input").click()
    page.keyboard.type("Kigali", delay=30)  # typed as a reader types: search reacts to key events
    results = page.locator(".md-search-result__list")
    expect(results).to_contain_text("World Medical Association meets in Africa", timeout=10_000)


def test_an_acronym_shows_its_expansion(page, served_site):
    base, _ = served_site
    page.goto(base + "events/wma-general-assembly-2023/")
    abbr = page.locator("article abbr", has_text=re.compile(r"^WMA$")).first
    abbr.hover()
    tooltip = page.locator(".md-tooltip2__inner, .md-tooltip__inner").filter(has_text="World Medical Association")
    expect(tooltip.first).to_be_visible()


def test_phone_drawer_reaches_the_ifmsa_committees(browser, served_site):
    base, _ = served_site
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(base)
    expect(page.locator(".md-tabs")).to_be_hidden()  # the tabs give way to the drawer on a phone
    page.locator("label.md-header__button[for='__drawer']").click()
    drawer = page.locator("nav.md-nav--primary")
    expect(drawer).to_be_visible()
    drawer.locator("label", has_text="IFMSA").first.click()
    drawer.get_by_role("link", name="Standing committees").click()
    expect(page).to_have_url(re.compile(r"/committees/$"))
    expect(page.locator("article")).to_contain_text("Standing Committee on Medical Education")
    context.close()


def test_palette_toggle_switches_and_persists(page, served_site):
    base, _ = served_site
    page.emulate_media(color_scheme="light")
    page.goto(base)
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    for _ in range(3):  # system -> light -> dark (or light -> dark): click until dark
        if body.get_attribute("data-md-color-scheme") == "slate":
            break
        switch = page.locator("[data-md-component='palette'] label:visible").first
        shown = switch.get_attribute("for")
        switch.click()  # the first loads the theme's script, which then takes it: wait for its effect
        expect(page.locator("[data-md-component='palette'] label:visible").first).not_to_have_attribute("for", shown)
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.goto(base + "oir/")
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")


def test_no_console_error_and_no_foreign_request_on_any_page(page, served_site):
    base, site = served_site
    pages = sorted(p.relative_to(site).as_posix() for p in reader_pages(site))
    assert len(pages) > 40
    for path in pages:
        page.goto(base + path.removesuffix("index.html"))
        page.wait_for_load_state("networkidle")
    assert page.watch.console_errors == []
    assert page.watch.foreign_requests == []


def test_the_404_page_offers_the_way_home(page, served_site):
    base, _ = served_site
    page.goto(base + "404.html")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    page.get_by_role("link", name="Go to the home page").click()
    expect(page).to_have_url(base)


def test_footer_links_say_where_they_go(page, served_site):
    base, _ = served_site
    page.goto(base + "people/")
    footer = page.locator("footer")
    footer.get_by_role("link", name="IFMSA and AMSA's part in it, on this site").click()
    expect(page).to_have_url(re.compile(r"/ifmsa/$"))
    page.locator("footer").get_by_role("link", name="About the OIR, on this site").click()
    expect(page).to_have_url(re.compile(r"/oir/$"))


def test_page_language_and_social_metadata(page, served_site):
    base, _ = served_site
    page.goto(base + "organizations/wma/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("link[rel=canonical]").get_attribute("href") == base + "organizations/wma/"
    assert page.locator("meta[property='og:title']").get_attribute("content").startswith("World Medical Association")
    # The description is the organization's own summary (an invariant: not its wording of the day).
    summary = check(PROJECT).catalog.get("wma", "organizations").data.summary
    assert page.locator("meta[property='og:description']").get_attribute("content") == " ".join(summary.split())


def test_no_tags_page_and_no_tags_tab(page, served_site):
    """Tags were an internal index with no reader's question behind them: no tab, no page."""
    base, _ = served_site
    page.goto(base)
    expect(page.locator(".md-tabs")).not_to_contain_text("Tags")
    assert page.request.get(base + "tags/").status == 404
