"""axe-core (the real engine, bundled by axe-playwright-python) on every page, light and dark."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import reader_pages  # noqa: E402


def _axe_source() -> str:
    import axe_playwright_python
    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_on_any_page(browser, served_site, scheme):
    base, site = served_site
    axe = _axe_source()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    pages = sorted(p.relative_to(site).as_posix() for p in reader_pages(site))
    violations = []
    for path in pages:
        page.goto(base + path.removesuffix("index.html"))
        page.evaluate(axe)
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        for violation in result["violations"]:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            violations.append(f"{path}: {violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    context.close()
    assert len(pages) > 40
    assert violations == [], "\n".join(violations)
