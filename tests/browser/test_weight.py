"""What a first visit costs, measured by scripts/page_weight.py in the real Chromium: it counts every
request of the first load, each at the size a static host sends (gzip for text), and the site's
pages stay within their budget (no request added without a decision). Material's script is not part
of it: it loads on the reader's first action (docs/javascripts/theme-on-interaction.js), which the
measure counts apart, and then the theme works (search here; tests/browser/test_first_action.py)."""

from __future__ import annotations

import gzip
import re

from playwright.sync_api import expect

import page_weight  # scripts/

# 39 KB measured (2026-12-04): Material's stylesheet and palette are 25 KB of it; its script (35 KB)
# and the sitemap it reads come with the reader's first action, the search's index and worker
# (21.5 KB) when search opens (README, "What readers get").
BUDGET_BYTES = 60_000
BUDGET_REQUESTS = 8
BUNDLE = re.compile(r"/assets/javascripts/bundle\.[^/]*\.js$")


def test_page_weight_counts_every_request_of_a_first_visit(browser, served_site):
    base, site = served_site
    result = page_weight.measure(browser, base, "")
    urls = [f["url"] for f in result["files"]]
    assert urls[0] == "" and any(u.startswith("assets/stylesheets/main.") for u in urls)
    assert "javascripts/theme-on-interaction.js" in urls and "javascripts/accessibility.js" in urls
    assert "assets/favicon.png" in urls
    assert not [u for u in urls if u.startswith("assets/javascripts/bundle.") or u == "sitemap.xml"]  # not before an action
    assert not [u for u in urls if u.startswith("search/") or "/workers/" in u]  # not before search opens
    home = (site / "index.html").read_bytes()
    assert result["files"][0]["bytes"] == len(gzip.compress(home, compresslevel=6, mtime=0))
    assert next(f["bytes"] for f in result["files"] if f["url"] == "assets/favicon.png") == \
        (site / "assets/favicon.png").stat().st_size  # images as they are
    assert result["bytes"] == sum(f["bytes"] for f in result["files"]) and result["requests"] == len(urls)
    # What the first action adds is counted too: the theme's script (and the sitemap it reads).
    later = result["first_action"]
    bundle = next(f for f in later["files"] if f["url"].startswith("assets/javascripts/bundle."))
    assert bundle["bytes"] == len(gzip.compress((site / bundle["url"]).read_bytes(), compresslevel=6, mtime=0))
    assert later["bytes"] == sum(f["bytes"] for f in later["files"]) > 30_000


def test_first_visits_stay_within_the_budget(browser, served_site):
    base, _ = served_site
    for path in ("", "events/", "organizations/wma/"):
        result = page_weight.measure(browser, base, path)
        assert result["requests"] <= BUDGET_REQUESTS, (path, [f["url"] for f in result["files"]])
        assert result["bytes"] <= BUDGET_BYTES, (path, result["bytes"])


def test_after_the_first_action_the_theme_runs_and_search_works(page, served_site):
    base, _ = served_site
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(base + "organizations/", wait_until="networkidle")
    page.wait_for_timeout(300)
    assert not [u for u in requested if BUNDLE.search(u)]
    link = page.locator("article a[href$='/']").first  # an entry's page, which search finds by its name
    name, href = link.inner_text().strip(), link.evaluate("a => new URL(a.href).pathname")
    with page.expect_response(BUNDLE):
        page.locator("article p:visible").first.click()  # a click on text: the reader's first action
    expect(page.locator("html")).not_to_have_class(re.compile(r"oir-theme-pending"))
    page.keyboard.press("/")
    expect(page.locator("input.md-search__input")).to_be_focused()
    page.keyboard.type(name, delay=30)
    result = page.locator(".md-search-result__item > a")
    expect(result.first).to_be_visible(timeout=10_000)
    assert href in result.evaluate_all("links => links.map(a => new URL(a.href).pathname)"), (name, href)
    assert page.watch.console_errors == []
