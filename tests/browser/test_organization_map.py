"""The organizations' map in Chromium: it fits a phone and a desktop in both schemes, its colours
follow the scheme, axe finds nothing, and the keyboard reaches every organization's page from it."""

from __future__ import annotations

import pytest
from conftest import axe_violations

WIDTHS = [390, 1280]
SCHEMES = ["light", "dark"]

_LUMINANCE = """(color) => {
  const [r, g, b, a = 1] = color.match(/[\\d.]+/g).map(Number);
  const bg = getComputedStyle(document.body).backgroundColor.match(/[\\d.]+/g).map(Number);
  const mix = [r, g, b].map((c, i) => a * c + (1 - a) * bg[i]);  // the colour as it shows on the page
  const lin = mix.map(c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
  return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
}"""


def _open(browser, base: str, path: str, width: int, scheme: str):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(base + path)
    return context, page


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", ["", "organizations/who/"])
def test_the_map_fits_follows_the_scheme_and_axe_finds_nothing(browser, served_site, path, width, scheme):
    base, _ = served_site
    context, page = _open(browser, base, path, width, scheme)
    relmap = page.locator(".relmap").first
    relmap.scroll_into_view_if_needed()
    svg = relmap.locator("svg")
    assert svg.is_visible()
    # the page does not scroll sideways, and the drawing stays inside the content column
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    box, column = svg.bounding_box(), page.locator("article").bounding_box()
    assert box["x"] >= column["x"] - 0.5 and box["x"] + box["width"] <= column["x"] + column["width"] + 0.5
    # one box with a real text label for each entry of the list, and each label inside its box
    labels = page.evaluate("""(svg) => [...svg.querySelectorAll('g')].map(g => {
        const t = g.querySelector('text').getBBox(), r = g.querySelector('rect').getBBox();
        return [g.querySelector('text').textContent, t.x >= r.x && t.x + t.width <= r.x + r.width]; })""",
                           svg.element_handle())
    assert len(labels) == relmap.locator("li").count() >= 3
    assert [label for label, inside in labels if not inside] == []
    # the colours are the theme's: dark text on a light box in the light scheme, the reverse in dark
    text = page.evaluate(f"({_LUMINANCE})(getComputedStyle(document.querySelector('.relmap text')).fill)")
    fill = page.evaluate(f"({_LUMINANCE})(getComputedStyle(document.querySelector('.relmap rect')).fill)")
    ratio = (max(text, fill) + 0.05) / (min(text, fill) + 0.05)
    assert ratio >= 4.5 and (text < fill if scheme == "light" else text > fill), (text, fill)
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == (
        "default" if scheme == "light" else "slate")
    violations = axe_violations(page, f"{path or 'home'} {width} {scheme}")
    context.close()
    assert violations == [], "\n".join(violations)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_keyboard_reaches_each_organization_of_the_map_and_opens_its_page(browser, served_site, width):
    base, _ = served_site
    context, page = _open(browser, base, "", width, "light")
    expected = page.locator(".relmap a").evaluate_all("links => links.map(a => a.href)")
    assert len(expected) >= 10 and any(h.endswith("/organizations/who/") for h in expected)
    # from the heading of the map, Tab goes through the map's links in reading order
    page.evaluate("""() => { const h = document.getElementById('how-the-organizations-relate');
                             h.tabIndex = -1; h.focus(); }""")
    reached, outlines = [], []
    for _ in expected:
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.href"))
        outlines.append(page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
            return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && s.outlineColor; }"""))
        page.evaluate("document.activeElement.scrollIntoView({block: 'center'})")
    assert reached == expected
    assert all(outlines), outlines  # a visible focus ring on each
    page.locator(".relmap a[href$='organizations/who/']").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/organizations/who/")
    assert "World Health Organization" in page.locator("h1").inner_text()
    # the organization's own page: the part of the map around it, itself marked and not a link
    assert page.locator(".relmap svg .relmap-here text").text_content() == "WHO"
    assert page.locator(".relmap li strong", has_text="World Health Organization").count() == 1
    context.close()
