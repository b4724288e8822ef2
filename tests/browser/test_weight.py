"""What a first visit costs, measured by scripts/page_weight.py in the real Chromium: it counts every
request of the first load, each at the size a static host sends (gzip for text), and the site's
pages stay within their budget (no request added without a decision)."""

from __future__ import annotations

import gzip

import page_weight  # scripts/

# 71 KB measured (2026-12-04): Material's bundle, stylesheet and palette are 60 KB of it (README,
# "What readers get"); the search's index and worker (21.5 KB) load only when search opens.
BUDGET_BYTES = 74_000
BUDGET_REQUESTS = 9


def test_page_weight_counts_every_request_of_a_first_visit(browser, served_site):
    base, site = served_site
    result = page_weight.measure(browser, base, "")
    urls = [f["url"] for f in result["files"]]
    assert urls[0] == "" and any(u.startswith("assets/stylesheets/main.") for u in urls)
    assert any(u.startswith("assets/javascripts/bundle.") for u in urls)
    assert "javascripts/accessibility.js" in urls and "assets/favicon.png" in urls
    assert not [u for u in urls if u.startswith("search/") or "/workers/" in u]  # not before search opens
    home = (site / "index.html").read_bytes()
    assert result["files"][0]["bytes"] == len(gzip.compress(home, compresslevel=6, mtime=0))
    assert next(f["bytes"] for f in result["files"] if f["url"] == "assets/favicon.png") == \
        (site / "assets/favicon.png").stat().st_size  # images as they are
    assert result["bytes"] == sum(f["bytes"] for f in result["files"]) and result["requests"] == len(urls)


def test_first_visits_stay_within_the_budget(browser, served_site):
    base, _ = served_site
    for path in ("", "events/", "organizations/wma/"):
        result = page_weight.measure(browser, base, path)
        assert result["requests"] <= BUDGET_REQUESTS, (path, [f["url"] for f in result["files"]])
        assert result["bytes"] <= BUDGET_BYTES, (path, result["bytes"])
