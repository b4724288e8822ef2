"""The site built by Zensical from the export, in Chromium: axe-core, no foreign request, search.

The same checks as the MkDocs build gets in test_accessibility.py and test_reader.py, on one page of
every kind (the pages of one kind share one template), light and dark."""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
import threading
from http.server import ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from conftest import PageWatch, axe_violations
from helpers import ROOT, SOURCE_DATE_EPOCH
from screenshots import QuietHandler

# One page of every kind, and the pages that have their own template or plugin.
SAMPLE = ["", "organizations/oir/", "organizations/ifmsa/", "about/", "activities/", "activities/global-perspective/", "committees/", "committees/scome/",
          "events/", "events/wma-general-assembly-2023/", "series/", "series/wma-general-assembly/", "organizations/", "organizations/wma/", "people/",
          "people/david-barbe/", "glossary/", "sources/", "accessibility/", "404.html"]


@pytest.fixture(scope="module")
def zensical_served(tmp_path_factory):
    """(base URL, site folder): the export built by Zensical with that URL as site_url, then served."""
    site = tmp_path_factory.mktemp("zensical-browser") / "site"
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    env = {**os.environ, "SITE_URL": base, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "zensical_build.py"), "--site-dir", str(site)],
                            env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base, site
    server.shutdown()


def test_the_sample_covers_every_kind_of_page(zensical_served):
    _, site = zensical_served
    for path in SAMPLE:
        assert (site / (path or "index.html") if path.endswith(".html") or not path else site / path / "index.html").is_file(), path
    kinds = {p.relative_to(site).parts[0] for p in site.glob("*/*/index.html")}
    assert kinds <= {path.split("/")[0] for path in SAMPLE if path.count("/") == 2}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_and_no_page_asks_another_host(browser, zensical_served, scheme):
    base, _ = zensical_served
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    watch = PageWatch(page, base)
    violations = []
    for path in SAMPLE:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        violations += axe_violations(page, path)
    context.close()
    assert violations == [], "\n".join(violations)
    assert watch.foreign_requests == []
    assert watch.console_errors == []


def test_search_for_kigali_lists_the_general_assembly_in_an_accessible_dialog(browser, zensical_served):
    """Zensical's search is its own dialog (in a shadow root, which Playwright and axe both enter)."""
    base, _ = zensical_served
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base)
    page.locator("button.md-search__button").click()
    page.keyboard.type("Kigali", delay=30)  # typed as a reader types: search reacts to key events
    results = page.locator("dialog [role=listbox]")
    expect(results).to_contain_text("World Medical Association meets in Africa", timeout=10_000)
    assert "events/wma-general-assembly-2023/" in results.locator("a").first.get_attribute("href")
    assert axe_violations(page, "search dialog") == []
    context.close()


def test_an_acronym_shows_its_expansion(browser, zensical_served):
    base, _ = zensical_served
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base + "events/wma-general-assembly-2023/")
    abbr = page.locator("article abbr", has_text=re.compile(r"^WMA$")).first
    assert abbr.get_attribute("title") == "World Medical Association"
    abbr.hover()
    tooltip = page.locator(".md-tooltip2__inner, .md-tooltip__inner").filter(has_text="World Medical Association")
    expect(tooltip.first).to_be_visible()
    context.close()
