"""The living calendar in Chromium: on the events page the expected meetings stand apart from the
upcoming and the past ones, each under its own heading; axe finds nothing there, on a recurring
meeting's page or on an organization's page with its calendar. The project is copied and given a
recurring meeting and a past meeting of its own, and built on a fixed day (14 November 2023)."""

from __future__ import annotations

import functools
import os
import threading
from http.server import ThreadingHTTPServer

import pytest
from conftest import axe_violations
from helpers import copy_project, run_cli, write_tree
from screenshots import QuietHandler

BUILD_DAY = "1700000000"  # 14 November 2023


@pytest.fixture(scope="module")
def calendar_site(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("calendar") / "project")
    source = sorted((project / "content" / "sources").iterdir())[0].stem  # any source: the test's own facts
    write_tree(project, {
        "content/series/fixture-assembly.yml": f"""
            title: Fixture Assembly
            organizers: [wma]
            recurs: yearly
            months: [5]
            place: {{city: Geneva, country: Switzerland}}
            summary: A test's own assembly, held every May.
            sources: [{source}]
        """,
        "content/events/fixture-assembly-2022.md": f"""
            ---
            title: Fixture Assembly of 2022
            date: 2022-05-10
            place: {{city: Geneva, country: Switzerland}}
            organizers: [wma]
            series: fixture-assembly
            summary: The test's own assembly met.
            sources: [{source}]
            ---
        """,
    })
    site = project / "site"
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    env = {"SITE_URL": base, "SOURCE_DATE_EPOCH": BUILD_DAY}
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        result = run_cli("--root", str(project), "--site-dir", str(site))
    finally:
        for key, value in saved.items():
            os.environ.pop(key) if value is None else os.environ.__setitem__(key, value)
    assert result.returncode == 0, result.stdout + result.stderr
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()


def _section(page, heading: str) -> str:
    """The text between an h2 of the content and the next h2."""
    return page.evaluate("""(heading) => {
        const h2 = [...document.querySelectorAll('article h2')].find(h => h.textContent.trim() === heading);
        if (!h2) return null;
        let text = '';
        for (let node = h2.nextElementSibling; node && node.tagName !== 'H2'; node = node.nextElementSibling)
            text += node.innerText + '\\n';
        return text;
    }""", heading)


def test_the_events_page_shows_the_expected_meetings_apart_from_the_past(browser, calendar_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(calendar_site + "events/")
    headings = page.locator("article h2").all_inner_texts()
    assert headings.index("Upcoming") < headings.index("Expected") < headings.index("Past events"), headings
    expected, past = _section(page, "Expected"), _section(page, "Past events")
    assert "Expected: May 2024, Geneva, Switzerland · Fixture Assembly (yearly)" in expected, expected
    assert "Fixture Assembly of 2022" in past and "Fixture Assembly of 2022" not in expected
    assert "Expected" not in past
    link = page.locator("article a", has_text="Fixture Assembly").first
    link.click()
    page.wait_for_url("**/series/fixture-assembly/")
    assert "Next expected: May 2024, Geneva, Switzerland" in page.locator("article").inner_text()
    context.close()


def test_an_organization_links_its_own_calendar(browser, calendar_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(calendar_site + "organizations/wma/")
    href = page.locator("article a", has_text="Its events in your calendar").get_attribute("href")
    response = page.request.get(page.url + href)
    assert response.ok and "UID:fixture-assembly@" in response.text() and "RRULE:FREQ=YEARLY;BYMONTH=5" in response.text()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_calendar_pages(browser, calendar_site, scheme):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    violations = []
    for path in ("events/", "series/", "series/fixture-assembly/", "organizations/wma/", "events/fixture-assembly-2022/"):
        page.goto(calendar_site + path)
        violations += axe_violations(page, path)
    context.close()
    assert violations == [], "\n".join(violations)
