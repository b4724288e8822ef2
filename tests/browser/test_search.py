"""The site's search in Chromium, typed into the real search box of the built site: an entity's own
page comes first for its name or acronym, lists never crowd the results, and the search index and
worker are fetched only once the reader opens search (docs/javascripts/search-on-open.js)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from helpers import ROOT, check
from oirsite import collections

BOX = "input.md-search__input"
FIRST = ".md-search-result__item > a"
SEARCH_FILES = re.compile(r"/search/search_index\.json$|/workers/search\.[^/]*\.js$")

# A reader's queries and the page that must come first: names and acronyms of entries (and a place
# with a year, and a subject), which their own pages carry in their headings or facts.
FIRST_RESULTS = [
    ("World Medical Association", "organizations/wma/"),
    ("WMA", "organizations/wma/"),
    ("IFMSA", "organizations/ifmsa/"),
    ("SCOPE", "committees/scope/"),
    ("Rwanda 2023", "events/wma-general-assembly-2023/"),
    ("WHO", "organizations/who/"),
    ("World Health Organization", "organizations/who/"),
    ("Lujain Alqodmani", "people/lujain-alqodmani/"),
    ("CEJA", "organizations/ceja/"),
    ("AMSA", "organizations/amsa/"),
    ("World Health Day", "events/world-health-day-2021/"),
    ("COVAX", "organizations/covax/"),
    ("International Federation", "organizations/ifmsa/"),
    ("OIR", "organizations/oir/"),
    ("Office of International Relations", "organizations/oir/"),
    ("AMA", "organizations/ama/"),
]


def _lists() -> tuple[set[str], set[str]]:
    """(index pages left out of search: every entry they list has its own page; index pages ranked
    last: the glossary and the sources, whose entries have no page)."""
    specs = collections.registry().values()
    return ({f"{s.name}/" for s in specs if s.has_pages}, {f"{s.name}/" for s in specs if not s.has_pages})


def _open(page, base: str, path: str = "") -> list[str]:
    """Opens a page and returns the list that every request it makes from now on is added to."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(base + path, wait_until="networkidle")
    page.wait_for_timeout(300)  # what the page's scripts ask for right after load
    return requested


def _results(page, base: str, query: str) -> list[str]:
    """The pages of the results of ``query`` (site paths, best first), as the search box lists them."""
    box = page.locator(BOX)
    box.fill("")
    box.press("End")  # the search reads the box on key events
    expect(page.locator(FIRST)).to_have_count(0)
    box.focus()
    page.keyboard.insert_text(query)
    box.press("End")  # one query, the whole text: no result of a part of it is read by mistake
    expect(page.locator(FIRST).first).to_be_visible(timeout=10_000)
    hrefs = page.locator(FIRST).evaluate_all("links => links.map(link => link.href)")
    return [urlsplit(href).path.removeprefix(urlsplit(base).path) for href in hrefs]


@pytest.mark.parametrize("how", ["click", "shortcut", "phone"])
def test_the_index_and_worker_are_fetched_only_when_search_opens(browser, served_site, how):
    base, _ = served_site
    context = browser.new_context(viewport={"width": 390, "height": 800} if how == "phone" else {"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    requested = _open(page, base, "organizations/")
    assert [url for url in requested if SEARCH_FILES.search(url)] == [], "fetched before search opened"
    with page.expect_request(re.compile(r"/search/search_index\.json$")):
        if how == "click":
            page.locator(BOX).click()
        elif how == "shortcut":
            page.keyboard.press("/")
        else:
            page.locator("label.md-header__button[for=__search]").click()  # the search icon
    expect(page.locator(BOX)).to_be_focused()
    page.keyboard.type("COVAX", delay=30)  # as a reader types, right away
    expect(page.locator(FIRST).first).to_have_attribute("href", re.compile(r"organizations/covax/"), timeout=10_000)
    assert len([url for url in requested if SEARCH_FILES.search(url)]) == 2, requested
    assert errors == []
    context.close()


def test_a_name_or_acronym_finds_its_page_first(page, served_site):
    base, _ = served_site
    _open(page, base)
    page.locator(BOX).click()
    found = {query: _results(page, base, query) for query, _ in FIRST_RESULTS}
    wrong = [f"{query!r}: {found[query][:3]}, expected {expected} first"
             for query, expected in FIRST_RESULTS if found[query][0] != expected]
    assert wrong == []
    left_out, last = _lists()
    for query, paths in found.items():
        assert not left_out & set(paths), (query, paths)
        ranks = [path in last for path in paths]
        assert ranks == sorted(ranks), f"{query!r}: the glossary or the sources before a page: {paths}"


def test_every_organization_and_committee_is_found_first_by_its_acronym(page, served_site):
    """The same for every acronym in the content, as an editor adds organizations and committees."""
    base, _ = served_site
    acronyms = {}
    for entry in check(ROOT).catalog.entries.values():
        if entry.spec.has_pages and entry.spec.acronym is not None and entry.spec.acronym(entry.data):
            acronyms[entry.spec.acronym(entry.data)[0]] = entry.page.removesuffix(".md") + "/"
    assert len(acronyms) >= 10 and acronyms["WMA"] == "organizations/wma/"
    _open(page, base)
    page.locator(BOX).click()
    wrong = {acronym: found[:3] for acronym, expected in sorted(acronyms.items())
             if (found := _results(page, base, acronym))[0] != expected}
    assert wrong == {}


def test_a_result_opens_its_page_with_the_words_highlighted(page, served_site):
    """A page opened from a result (?h=) loads the index at once, for the theme's highlighting."""
    base, _ = served_site
    _open(page, base)
    page.locator(BOX).click()
    page.keyboard.type("Kigali", delay=30)
    expect(page.locator(FIRST).first).to_be_visible(timeout=10_000)
    page.locator(FIRST).first.click()
    expect(page).to_have_url(re.compile(r"\?h=kigali"))
    expect(page.locator("article mark[data-md-highlight]").first).to_have_text(re.compile("Kigali", re.I))
    assert page.watch.console_errors == []


def test_the_index_leaves_out_lists_and_the_sources_sections(served_site):
    """What the built index holds: no index page whose entries have pages, no entry page's Sources
    section (it cites: the sources page is found for them), the glossary and the sources last."""
    import json
    _, site = served_site
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    left_out, last = _lists()
    pages = {doc["location"].partition("#")[0] for doc in docs}
    assert not left_out & pages and last <= pages and "organizations/wma/" in pages
    entry_pages = {p for p in pages if p.count("/") == 2 and p.split("/")[0] + "/" in left_out}
    assert len(entry_pages) >= 20
    assert [d["location"] for d in docs if d["location"].endswith("#sources")] == []
    boosts = {d.get("boost", 1) for d in docs if d["location"].partition("#")[0] in last}
    assert boosts and max(boosts) < 1
