"""axe-core (the real engine, bundled by axe-playwright-python) on every page, light and dark."""

from __future__ import annotations

import pytest
from conftest import axe_violations
from helpers import reader_pages  # noqa: E402


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_on_any_page(browser, served_site, scheme):
    base, site = served_site
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    pages = sorted(p.relative_to(site).as_posix() for p in reader_pages(site))
    violations = []
    for path in pages:
        page.goto(base + path.removesuffix("index.html"))
        violations += axe_violations(page, path)
    context.close()
    assert len(pages) > 40
    assert violations == [], "\n".join(violations)
