"""Clean markup on every page of the built site: the W3C Nu Html Checker (vnu.jar) finds no error,
and pa11y (HTML_CodeSniffer, WCAG2AA, in Debian's Chromium) finds no error; axe-core's 0 is
tests/browser/test_accessibility.py. Both checkers come from the npm project in tests/a11y/
(`npm ci --prefix tests/a11y` with PUPPETEER_SKIP_DOWNLOAD=1); vnu.jar needs Java."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from helpers import ROOT, reader_pages

A11Y = ROOT / "tests" / "a11y"
VNU = A11Y / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _needed(ready: bool, message: str) -> None:
    if not ready:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)


def test_the_w3c_validator_finds_no_error_on_any_page(served_site):
    _, site = served_site
    _needed(VNU.is_file(), "vnu.jar is not installed: run `PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix tests/a11y`")
    _needed(shutil.which("java") is not None, "no Java: install Debian's default-jre-headless")
    pages = reader_pages(site)
    assert len(pages) > 40
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, pages)],
                            capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [f"{m['url'].rsplit(str(site), 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert errors == [], "\n".join(errors)


def test_pa11y_finds_no_error_on_any_page(served_site, chromium):
    base, site = served_site
    _needed((A11Y / "node_modules" / "pa11y").is_dir(),
            "pa11y is not installed: run `PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix tests/a11y`")
    paths = [p.relative_to(site).as_posix().removesuffix("index.html") for p in reader_pages(site)]
    result = subprocess.run(["node", str(A11Y / "pa11y-pages.js"), base, *paths], capture_output=True, text=True,
                            timeout=900, env={**os.environ, "CHROMIUM_PATH": chromium})
    assert result.returncode == 0, result.stderr
    issues = json.loads(result.stdout)
    assert issues == [], "\n".join(f"{i['page']}: {i['code']} at {i['selector']}: {i['message']}" for i in issues)
