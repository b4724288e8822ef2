"""The offline build (mkdocs.offline.yml) opened from a folder, file://, in Chromium: links across
sections, search, acronym tooltips, and not one request to any host."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from helpers import ROOT, reader_pages

ALLOWED = ("file://", "data:", "blob:", "about:")


class _Loader(yaml.SafeLoader):
    """mkdocs.yml has MkDocs's own tags (!ENV): read them as nothing."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def _plugins(name: str) -> list[str]:
    config = yaml.load((ROOT / name).read_text(), Loader=_Loader)
    return [p if isinstance(p, str) else next(iter(p)) for p in config.get("plugins", [])]


def test_the_offline_config_keeps_every_plugin_of_the_site():
    """A list in an INHERITed config replaces the parent's: the offline one must repeat them all."""
    offline = _plugins("mkdocs.offline.yml")
    assert set(_plugins("mkdocs.yml")) <= set(offline) and "offline" in offline
    config = yaml.load((ROOT / "mkdocs.offline.yml").read_text(), Loader=_Loader)
    site = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_Loader)
    assert config["INHERIT"] == "mkdocs.yml" and config["use_directory_urls"] is False
    assert config["plugins"][-1] == {"oirsite": {"offline": True}} and site["plugins"][-1] == "oirsite"  # ours last
    search = [p for p in config["plugins"] if isinstance(p, dict) and "search" in p]
    assert search == [p for p in site["plugins"] if isinstance(p, dict) and "search" in p] != []  # its options too
    assert [p for p in config["extra"]["polyfills"] if "iframe-worker" in p] == ["assets/javascripts/iframe-worker-shim.js"]


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("offline") / "site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(ROOT / "mkdocs.offline.yml"),
                             "--site-dir", str(site)], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture
def offline_page(browser, offline_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    foreign: list[str] = []

    def guard(route):
        if route.request.url.startswith(ALLOWED):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("request", lambda request: request.url.startswith(ALLOWED) or foreign.append(request.url))
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # a script the Content-Security-Policy refuses (in the page or in the search's frame)
    page.on("console", lambda message: "Content Security Policy" in message.text and errors.append(message.text))
    page.foreign, page.errors = foreign, errors
    yield page
    context.close()


def test_the_offline_pages_allow_only_the_theme_s_own_inline_scripts(offline_site):
    """The main build's policy: hashes of the theme's scripts, no 'unsafe-inline' (the search's
    frame starts from a file of the site instead: scripts/oirsite_mkdocs/offline.py)."""
    for path in reader_pages(offline_site):
        source = path.read_text(encoding="utf-8")
        policy = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', source).group(1))
        scripts = next(part for part in policy.split(";") if part.strip().startswith("script-src")).split()
        assert "'unsafe-inline'" not in scripts and "'self'" in scripts, path
        assert all(s.startswith("'sha256-") for s in scripts[2:]) and len(scripts) > 2, (path, scripts)
    shim = (offline_site / "assets/javascripts/iframe-worker-shim.js").read_text(encoding="utf-8")
    assert "<script>" not in shim and 'iframe-worker-frame.js' in shim
    assert (offline_site / "assets/javascripts/iframe-worker-frame.js").is_file()


def test_links_and_navigation_work_from_the_folder(offline_page, offline_site):
    page = offline_page
    page.goto((offline_site / "index.html").as_uri())
    expect(page.locator("article h1")).to_be_visible()
    tabs = page.locator("nav.md-tabs a.md-tabs__link")
    sections = tabs.count()
    assert sections >= 3
    visited = set()
    for index in range(sections):  # every section, through its tab
        page.locator("nav.md-tabs a.md-tabs__link").nth(index).click()
        expect(page.locator("article h1")).to_be_visible()
        assert page.url.startswith("file://") and page.url.endswith(".html"), page.url
        visited.add(page.url)
    assert len(visited) == sections
    page.goto((offline_site / "organizations" / "index.html").as_uri())
    # the first organization whose page links an event (to cross sections from it)
    linking = next(p.name for p in sorted((offline_site / "organizations").glob("*.html")) if p.name != "index.html"
                   and 'href="../events/' in p.read_text(encoding="utf-8").split("<article", 1)[-1].split("</article>")[0])
    link = page.locator(f"article a[href$='{linking}']").first
    name = link.inner_text()
    link.click()  # an entry page, one section down
    expect(page).to_have_url(re.compile(r"^file://.*/organizations/[a-z0-9-]+\.html$"))
    expect(page.locator("article h1")).to_contain_text(name.strip())
    page.locator("article a[href^='../events/'][href$='.html']").first.click()  # across sections
    expect(page).to_have_url(re.compile(r"^file://.*/events/[a-z0-9-]+\.html$"))
    expect(page.locator("article h1")).to_be_visible()
    assert page.foreign == [] and page.errors == []


def _broken_links(site: Path, footer: bool) -> list[str]:
    """Relative links and asset addresses that name no file: from a folder there is no server to
    turn 'page/' into 'page/index.html'. 404.html is left out: a server shows it at any address,
    so its links start at the site's root; opened from a folder it is never shown."""
    from html.parser import HTMLParser

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.found: list[str] = []
            self.in_footer_nav = 0

        def handle_starttag(self, tag, attrs):
            attributes = dict(attrs)
            if tag == "nav" and "oir-footer-actions" in (attributes.get("class") or ""):
                self.in_footer_nav = 1
            if self.in_footer_nav != footer:
                return
            for name in ("href", "src"):
                if attributes.get(name):
                    self.found.append(attributes[name])

        def handle_endtag(self, tag):
            if tag == "nav":
                self.in_footer_nav = 0

    broken = []
    for path in sorted(reader_pages(site)):
        if path.name == "404.html" and path.parent == site:
            continue
        parser = Links()
        parser.feed(path.read_text(encoding="utf-8"))
        for link in parser.found:
            target = link.split("#", 1)[0].split("?", 1)[0]
            if not target or re.match(r"^[a-z][a-z0-9+.-]*:", link, re.I):
                continue
            if target.startswith("/") or not (path.parent / target).resolve().is_file():
                broken.append(f"{path.relative_to(site)}: {link}")
    return broken


def test_every_link_of_every_page_leads_to_a_file(offline_site):
    assert _broken_links(offline_site, footer=False) == []


def test_the_footer_links_lead_to_files(offline_site):
    assert _broken_links(offline_site, footer=True) == []


def test_search_finds_a_page_from_the_folder(offline_page, offline_site):
    page = offline_page
    page.goto((offline_site / "events" / "index.html").as_uri())
    link = page.locator("article a[href$='.html']").first
    link.click()
    title = page.locator("article h1").inner_text()
    word = max(re.findall(r"[A-Za-z]{5,}", title), key=len)
    page.locator("input.md-search__input").click()
    page.keyboard.type(word, delay=30)
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible(timeout=10_000)
    expect(page.locator(".md-search-result__list")).to_contain_text(word, ignore_case=True)
    results.first.locator("a").first.click()
    expect(page).to_have_url(re.compile(r"^file://.*\.html(\?h=[^#]*)?(#.*)?$"))
    assert page.foreign == [] and page.errors == []


def test_an_acronym_shows_its_tooltip_from_the_folder(offline_page, offline_site):
    found = next(((path, m) for path in sorted(reader_pages(offline_site))
                  for m in [re.search(r'<abbr title="([^"]+)">([^<]+)</abbr>', path.read_text())] if m), None)
    assert found, "some page of the site uses an acronym of the glossary"
    path, match = found
    page = offline_page
    page.goto(path.as_uri())
    expansion, acronym = html.unescape(match.group(1)), html.unescape(match.group(2))
    page.locator("article abbr", has_text=re.compile(f"^{re.escape(acronym)}$")).first.hover()
    tooltip = page.locator(".md-tooltip2__inner, .md-tooltip__inner").filter(has_text=expansion)
    expect(tooltip.first).to_be_visible()
    assert page.foreign == []
