"""Shared fixtures (the helpers themselves are in helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

from helpers import BASE_FILES, PROJECT, SITE_URL, SOURCE_DATE_EPOCH, run_cli, write_tree

# Property tests assert what holds, never how fast: a shared 2-core machine running the suite on two
# workers took 285 ms for one example (hypothesis's default deadline is 200 ms) and failed a run.
settings.register_profile("project", deadline=None)
settings.load_profile("project")


@pytest.fixture
def tree(tmp_path: Path):
    """Make a content tree from BASE_FILES plus the given changes; returns its root."""
    def make(files: dict[str, str | bytes | None] | None = None) -> Path:
        return write_tree(tmp_path, {**BASE_FILES, **(files or {})})
    return make


def pytest_collection_modifyitems(config, items):
    """Every test under tests/browser/ is marked ``browser``: ``pytest -m "not browser"`` is the fast lane."""
    for item in items:
        if "browser" in Path(str(item.fspath)).parts:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real content (or OIRSITE_PROJECT's), built once by scripts/build.py with a fixed site URL
    and build time."""
    out = tmp_path_factory.mktemp("build") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITE_URL", SITE_URL)
        patch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        result = run_cli("--root", str(PROJECT), "--site-dir", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out
