"""A renamed entry's old addresses lead to its new page, in Chromium: served over HTTP with and
without JavaScript, and from a folder (file://) in the offline build."""

from __future__ import annotations

import functools
import html
import os
import shutil
import subprocess
import sys
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import expect

from helpers import ROOT, check, copy_project, run_cli
from oirsite.tools import rename
from oirsite.core.diagnostics import Diagnostics
from oirsite.outputs.redirects import redirect_pages
from oirsite.read.settings import read_settings
from screenshots import QuietHandler
from test_rename import most_referenced_organization


def _write_redirects(root: Path, site: Path, site_url: str, directory_urls: bool) -> list[str]:
    """The redirect files of the build. Once the build writes them itself (the hooks call
    redirect_pages), they must be exactly these; until then the test writes them, as the hook will."""
    pages = redirect_pages(check(root).catalog, site_url, directory_urls)
    for path, text in pages.items():
        target = site / path
        if target.exists():
            assert target.read_text(encoding="utf-8") == text
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    return sorted(pages)


@pytest.fixture(scope="module")
def renamed(tmp_path_factory):
    """A copy of the project where the most referenced organization was renamed twice:
    (root, [first id, second id], newest id, its title)."""
    root = copy_project(tmp_path_factory.mktemp("renamed"))
    shutil.copy(ROOT / "mkdocs.offline.yml", root / "mkdocs.offline.yml")
    old, _ = most_referenced_organization(root)
    assert rename.run(root, "organizations", old, "zz-first-rename") == 0
    assert rename.run(root, "organizations", "zz-first-rename", "zz-second-rename") == 0
    entry = check(root).catalog.get("zz-second-rename")
    return root, [old, "zz-first-rename"], "zz-second-rename", entry.title


@pytest.fixture(scope="module")
def served_renamed(renamed, tmp_path_factory):
    root, _, _, _ = renamed
    site = tmp_path_factory.mktemp("renamed-site") / "site"
    site.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    base = f"http://127.0.0.1:{server.server_address[1]}/sub/"  # under a subpath, as on GitHub Pages
    os.environ["SITE_URL"] = base
    try:
        result = run_cli("--root", str(root), "--site-dir", str(site / "sub"))
    finally:
        del os.environ["SITE_URL"]
    assert result.returncode == 0, result.stdout + result.stderr
    written = _write_redirects(root, site / "sub", base, directory_urls=True)
    assert len([w for w in written if w.startswith("organizations/")]) == 2  # the two former ids
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()


@pytest.mark.parametrize("javascript", [False, True])
def test_both_old_addresses_lead_to_the_new_page(browser, renamed, served_renamed, javascript):
    _, former, new, title = renamed
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    for old in former:
        page.goto(f"{served_renamed}organizations/{old}/")
        expect(page).to_have_url(f"{served_renamed}organizations/{new}/", timeout=10_000)
        expect(page.locator("article h1")).to_contain_text(title)
    if javascript:  # the script keeps the part after '#'
        page.goto(f"{served_renamed}organizations/{former[0]}/#links")
        expect(page).to_have_url(f"{served_renamed}organizations/{new}/#links", timeout=10_000)
    context.close()


def test_the_redirect_page_itself_names_the_new_page(browser, renamed, served_renamed):
    _, former, new, title = renamed
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    response = page.request.get(f"{served_renamed}organizations/{former[0]}/")
    body = response.text()
    assert response.ok
    assert f'<link rel="canonical" href="{served_renamed}organizations/{new}/">' in body
    assert f'<a href="../{new}/">{html.escape(title)}</a>' in body and 'http-equiv="refresh"' in body
    context.close()


def test_old_addresses_lead_to_the_new_page_from_a_folder(browser, renamed, tmp_path):
    root, former, new, title = renamed
    site = tmp_path / "offline"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.offline.yml"),
                             "--site-dir", str(site)], cwd=root, capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    site_url = read_settings(root, Diagnostics()).site_url  # as MkDocs reads it from mkdocs.yml
    _write_redirects(root, site, site_url, directory_urls=False)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for old in former:
        page.goto((site / "organizations" / f"{old}.html").as_uri())
        expect(page).to_have_url((site / "organizations" / f"{new}.html").as_uri(), timeout=10_000)
        expect(page.locator("article h1")).to_contain_text(title)
    context.close()
