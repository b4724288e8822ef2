"""Shared fixtures (the helpers themselves are in helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import BASE_FILES, SITE_URL, SOURCE_DATE_EPOCH, run_cli, write_tree


@pytest.fixture
def tree(tmp_path: Path):
    """Make a content tree from BASE_FILES plus the given changes; returns its root."""
    def make(files: dict[str, str | bytes | None] | None = None) -> Path:
        return write_tree(tmp_path, {**BASE_FILES, **(files or {})})
    return make


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real content, built once by scripts/build.py with a fixed site URL and build time."""
    import os
    out = tmp_path_factory.mktemp("build") / "site"
    env = {"SITE_URL": SITE_URL, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        result = run_cli("--site-dir", str(out))
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    assert result.returncode == 0, result.stdout + result.stderr
    return out
