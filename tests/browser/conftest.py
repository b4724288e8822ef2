"""Browser fixtures: the real site built once, served on 127.0.0.1, driven by Debian's Chromium.

Without a Chromium these tests skip with a message saying how to get one; with
``REQUIRE_BROWSER=1`` (set by .ci/run) a missing browser is a failure instead, so CI never skips.
"""

from __future__ import annotations

import functools
import os
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from helpers import find_chromium, run_cli
from screenshots import CHROMIUM_ARGS, QuietHandler  # scripts/: the same browser flags and server


@functools.cache
def _axe_source() -> str:
    import axe_playwright_python
    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page, label: str) -> list[str]:
    """What the real axe-core engine finds wrong in ``page`` as it is now, one line each."""
    page.evaluate(_axe_source())
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{label}: {v['id']} ({v['impact']}): {v['help']} at {[', '.join(n['target']) for n in v['nodes'][:3]]}"
            for v in result["violations"]]

@pytest.fixture(scope="session")
def served_site(tmp_path_factory):
    """(base URL, site folder): the real content built with that URL as site_url, then served."""
    site = tmp_path_factory.mktemp("browser") / "site"
    site.mkdir()
    handler = functools.partial(QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    os.environ["SITE_URL"] = base
    try:
        result = run_cli("--site-dir", str(site))
    finally:
        del os.environ["SITE_URL"]
    assert result.returncode == 0, result.stdout + result.stderr
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base, site
    server.shutdown()


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium executable; skips (or, with REQUIRE_BROWSER=1, fails) saying how to get one."""
    executable = find_chromium()
    if executable is None or not Path(executable).exists():
        message = ("no Chromium found: install Debian's package (sudo apt-get install chromium) "
                   "or set CHROMIUM_PATH to a Chromium or Chrome executable")
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return executable


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageWatch:
    """Records console errors, page errors and requests to other hosts than the site's."""

    def __init__(self, page, base: str):
        self.page = page
        self.base = base
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and self.console_errors.append(f"{page.url}: {msg.text}"))
        page.on("pageerror", lambda exc: self.console_errors.append(f"{page.url}: {exc}"))
        page.on("request", self._request)

    def _request(self, request):
        url = request.url
        if not url.startswith((self.base, "data:", "blob:", "about:")):
            self.foreign_requests.append(url)


@pytest.fixture
def page(browser, served_site):
    base, _ = served_site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.watch = PageWatch(page, base)
    yield page
    context.close()
