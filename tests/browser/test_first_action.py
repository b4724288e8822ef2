"""Material's script loads on the reader's first action, not with the page
(docs/javascripts/theme-on-interaction.js), in the real Chromium: without it a reader reads and
navigates (the script is blocked here), each kind of first action loads it, and the action is not
lost (the first key, the first click on the colour switch, a search opened by its icon)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

BUNDLE = re.compile(r"/assets/javascripts/bundle\.[^/]*\.js$")
BOX = "input.md-search__input"
PALETTE = "[data-md-component=palette] label:visible"


def _open(browser, base: str, path: str = "", block: bool = False, **options):
    """A fresh page on ``path``, loaded and idle; returns (context, page, requested URLs, page errors)."""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 800}, **options})
    page = context.new_page()
    requested, errors = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    if block:
        page.route(BUNDLE, lambda route: route.abort())
    page.goto(base + path, wait_until="networkidle")
    page.wait_for_timeout(300)
    return context, page, requested, errors


def _theme_ran(page) -> None:
    expect(page.locator("html")).to_have_class(re.compile(r"\bjs-focus-visible\b"))  # set by the theme's script
    expect(page.locator("html")).not_to_have_class(re.compile(r"oir-theme-pending"))


def test_a_first_visit_is_painted_as_the_theme_paints_it_without_its_script(browser, served_site):
    base, _ = served_site
    for scheme, painted in (("dark", "slate"), ("light", "default")):
        context, page, requested, errors = _open(browser, base, "organizations/wma/", color_scheme=scheme)
        assert not [u for u in requested if BUNDLE.search(u)]
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", painted)  # the system's scheme
        expect(page.locator("html")).to_have_class(re.compile(r"\bjs\b"))
        expect(page.locator(BOX)).to_be_visible()  # the search box shows, as with the theme's script
        expect(page.locator(PALETTE)).to_have_count(1)  # and the colour switch, one button
        assert page.locator("article abbr[title]").count() > 0  # abbreviations explained by their title
        assert errors == []
        context.close()


def test_without_the_theme_script_a_phone_reader_navigates_with_the_drawer(browser, served_site):
    base, _ = served_site
    context, page, _, errors = _open(browser, base, block=True, viewport={"width": 375, "height": 740},
                                     is_mobile=True, has_touch=True)
    page.locator("label.md-header__button[for='__drawer']").click()
    drawer = page.locator("nav.md-nav--primary")
    expect(drawer).to_be_visible()
    section = drawer.locator("label.md-nav__link[id]").first  # a section opens (a checkbox and its label)
    section.click()
    link = drawer.locator(f"nav[aria-labelledby='{section.get_attribute('id')}'] a.md-nav__link").first
    expect(link).to_be_visible()
    href = link.evaluate("a => a.href")
    link.click()
    expect(page).to_have_url(href)
    assert errors == []
    context.close()


def test_without_the_theme_script_the_tabs_lead_to_their_sections(browser, served_site):
    base, _ = served_site
    context, page, _, errors = _open(browser, base, block=True)
    tab = page.locator(".md-tabs a.md-tabs__link").nth(1)
    href = tab.evaluate("a => a.href")
    tab.click()
    expect(page).to_have_url(href)
    expect(page.locator(".md-tabs__item--active a")).to_have_attribute("href", re.compile(r"."))
    assert errors == []
    context.close()


@pytest.mark.parametrize("action", ["click", "touch", "tab", "scroll", "hover"])
def test_each_first_action_loads_the_theme(browser, served_site, action):
    base, _ = served_site
    phone = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}
    context, page, requested, errors = _open(browser, base, "events/", **(phone if action == "touch" else {}))
    assert not [u for u in requested if BUNDLE.search(u)]
    with page.expect_response(BUNDLE):
        if action == "click":
            page.locator("article p:visible").first.click()
        elif action == "touch":
            page.locator("article p:visible").first.tap()
        elif action == "tab":
            page.keyboard.press("Tab")
        elif action == "scroll":
            page.mouse.move(600, 400)
            page.mouse.wheel(0, 300)
        else:
            page.locator("article abbr[title]").first.hover()
    _theme_ran(page)
    if action != "hover":
        page.locator("article abbr[title]").first.hover()
    # the pointer is on an abbreviation: the theme (started as the page would start it) shows its tooltip
    expect(page.locator(".md-tooltip2--active, .md-tooltip--active").first).to_be_visible()
    assert [u for u in requested if BUNDLE.search(u)] and errors == []
    context.close()


def test_the_first_key_still_does_what_it_does_with_the_theme(browser, served_site):
    """'s' opens search, whose box then takes what the reader types."""
    base, _ = served_site
    context, page, _, errors = _open(browser, base, "organizations/")
    link = page.locator("article a[href$='/']").first
    name, href = link.inner_text().strip(), link.evaluate("a => new URL(a.href).pathname")
    page.keyboard.press("s")
    expect(page.locator(BOX)).to_be_focused()
    page.keyboard.type(name, delay=30)
    result = page.locator(".md-search-result__item > a")
    expect(result.first).to_be_visible(timeout=10_000)
    assert href in result.evaluate_all("links => links.map(a => new URL(a.href).pathname)")
    assert errors == []
    context.close()


def test_the_first_click_on_the_colour_switch_switches(browser, served_site):
    base, _ = served_site
    context, page, _, errors = _open(browser, base, color_scheme="dark")
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "slate")  # automatic: the system's dark
    page.locator(PALETTE).click()  # the first action: the theme loads, then takes the click
    expect(body).to_have_attribute("data-md-color-scheme", "default")  # light
    page.locator(PALETTE).click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")  # dark
    assert errors == []
    context.close()


def test_search_opened_by_its_icon_before_the_theme_loads_takes_the_typing(browser, served_site):
    base, _ = served_site
    context, page, _, errors = _open(browser, base, viewport={"width": 375, "height": 740}, is_mobile=True,
                                     has_touch=True)
    page.locator("label.md-header__button[for=__search]").tap()
    expect(page.locator(BOX)).to_be_focused()
    page.keyboard.type("WMA", delay=30)
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=10_000)
    assert errors == []
    context.close()


def test_back_to_top_shows_when_the_reader_scrolls_back_up(browser, served_site):
    base, _ = served_site
    context, page, _, errors = _open(browser, base, "glossary/", viewport={"width": 1280, "height": 500})
    top = page.locator(".md-top")
    assert top.evaluate("button => button.hidden")  # shown by the theme's script only
    page.mouse.move(600, 300)
    page.mouse.wheel(0, 1500)  # the first action
    _theme_ran(page)
    page.wait_for_timeout(300)
    page.mouse.wheel(0, -300)
    page.wait_for_function("() => !document.querySelector('.md-top').hidden")
    top.click()
    page.wait_for_function("() => window.scrollY === 0")
    assert errors == []
    context.close()


def test_a_page_opened_from_a_result_loads_the_theme_at_once(browser, served_site):
    base, _ = served_site
    context, page, _, _ = _open(browser, base, "organizations/wma/")
    word = page.locator("article h1").inner_text().split()[0]
    context.close()
    context, page, requested, errors = _open(browser, base, f"organizations/wma/?h={word.lower()}")
    assert [u for u in requested if BUNDLE.search(u)]  # no action needed
    expect(page.locator("article mark[data-md-highlight]").first).to_have_text(re.compile(re.escape(word), re.I))
    assert errors == []
    context.close()


def test_clicks_on_the_colour_switch_before_the_theme_loads_all_count(browser, served_site):
    """Two clicks as one script sends them (an assistive technology's click comes without a pointer):
    the first loads the theme, both are given to it in order: automatic -> light -> dark."""
    base, _ = served_site
    context, page, requested, errors = _open(browser, base, color_scheme="light")
    page.evaluate("""() => {
      const button = document.querySelector("[data-md-component=palette] label:not([hidden])");
      button.click();
      button.click();
    }""")
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    assert [u for u in requested if BUNDLE.search(u)] and errors == []
    context.close()
