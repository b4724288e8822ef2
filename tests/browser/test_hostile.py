"""In Chromium: the theme runs under the Content-Security-Policy, and hostile content runs nothing.

The build refuses hostile content (tests/test_sanitize.py); here the sanitizer's own output for
generated hostile HTML and Markdown is put into a page of the real site (its theme, scripts and
policy), served on 127.0.0.1 and loaded: no payload sets ``window.__pwned``.
"""

from __future__ import annotations

import functools
import re
import shutil
import threading
from http.server import ThreadingHTTPServer

import pytest
from hypothesis import find, strategies as st  # noqa: F401
from playwright.sync_api import expect

from hostile import MARKDOWN, SCRIPTS, hostile_tags, render
from oirsite.safety.sanitize import sanitize
from screenshots import QuietHandler

WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || ''));
});
"""


# Every event a handler could wait for, on every element of the article (and the page).
FIRE_EVERY_EVENT = """() => {
  const names = ['mouseover', 'mouseenter', 'pointerenter', 'focus', 'focusin', 'error', 'load', 'toggle',
                 'animationstart', 'transitionend', 'beginEvent', 'input', 'change'];
  for (const el of [window, document.body, ...document.querySelectorAll('article *')])
    for (const name of names) el.dispatchEvent(new Event(name));
}"""


def _violations(page) -> list[str]:
    return page.evaluate("window.__violations || []")


def test_the_theme_runs_under_the_policy_search_palette_tooltips(page, served_site):
    base, _ = served_site
    page.add_init_script(WATCH)
    page.goto(base + "events/wma-general-assembly-2023/")
    # Tooltips: the theme's script made the abbreviation's tooltip.
    page.locator("article abbr", has_text=re.compile(r"^WMA$")).first.hover()
    expect(page.locator(".md-tooltip2__inner, .md-tooltip__inner").filter(has_text="World Medical Association").first
           ).to_be_visible()
    # Palette: the toggle switches the scheme (the theme's inline palette script and bundle ran).
    for _ in range(3):  # automatic -> light -> dark
        if page.locator("body").get_attribute("data-md-color-scheme") == "slate":
            break
        switch = page.locator("[data-md-component=palette] label:visible").first
        shown = switch.get_attribute("for")
        switch.click()  # taken by the theme's script once loaded (its first action): wait for its effect
        expect(page.locator("[data-md-component=palette] label:visible").first).not_to_have_attribute("for", shown)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    # Search: the worker loads and answers.
    page.locator("input.md-search__input").click()
    page.keyboard.type("Kigali", delay=30)
    expect(page.locator(".md-search-result__list")).to_contain_text("World Medical Association meets in Africa",
                                                                    timeout=10_000)
    for path in ("", "organizations/", "glossary/", "tags/", "404.html"):
        page.goto(base + path)
        page.wait_for_load_state("load")
        assert _violations(page) == [], path
    assert _violations(page) == []
    assert not [e for e in page.watch.console_errors if "Content Security Policy" in e]


def _hostile_pages() -> list[str]:
    """Generated hostile HTML (every tag x separator x vector class) and Markdown, after the sanitizer."""
    from hypothesis import given, settings
    fragments: list[str] = []

    @settings(max_examples=300, database=None, derandomize=True)
    @given(hostile_tags())
    def collect(fragment):
        fragments.append(fragment)

    collect()
    fragments += SCRIPTS + [render(text) for text in MARKDOWN]
    chunks = [fragments[i:i + 40] for i in range(0, len(fragments), 40)]
    return ["\n".join(sanitize(f)[0] for f in chunk) for chunk in chunks]


@pytest.fixture(scope="module")
def hostile_site(served_site, tmp_path_factory):
    """The real built site plus pages whose article holds the sanitized hostile content, served."""
    _, site = served_site
    folder = tmp_path_factory.mktemp("hostile") / "site"
    shutil.copytree(site, folder)
    template = (folder / "events" / "wma-general-assembly-2023" / "index.html").read_text(encoding="utf-8")
    start = template.index("<article")
    start = template.index(">", start) + 1
    end = template.index("</article>")
    names = []
    for number, body in enumerate(_hostile_pages()):
        page_dir = folder / "events" / f"hostile-{number}"
        page_dir.mkdir()
        (page_dir / "index.html").write_text(template[:start] + body + template[end:], encoding="utf-8")
        names.append(f"events/hostile-{number}/")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", names
    server.shutdown()


def test_sanitized_hostile_content_runs_nothing(browser, hostile_site):
    base, names = hostile_site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.add_init_script(WATCH)
    requests: list[str] = []
    page.on("request", lambda r: r.url.startswith(base) or r.url.startswith(("data:", "blob:")) or requests.append(r.url))
    try:
        for name in names:
            page.goto(base + name)
            page.wait_for_load_state("load")
            # Give handlers (focus, animation, hover) their chance to fire.
            page.mouse.move(10, 10)
            page.mouse.move(600, 400)
            page.evaluate(FIRE_EVERY_EVENT)
            page.wait_for_timeout(200)
            assert page.evaluate("window.__pwned") is None, name
            assert _violations(page) == [], name  # nothing even tried to run and was blocked
            assert page.url == base + name  # no redirect
        assert requests == []  # nothing asked of another host
        # The theme still works on those pages: its script ran.
        expect(page.locator("html")).not_to_have_class(re.compile(r"\bno-js\b"))
    finally:
        context.close()
