"""Shared fixtures (the helpers themselves are in helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import BASE_FILES, write_tree


@pytest.fixture
def tree(tmp_path: Path):
    """Make a content tree from BASE_FILES plus the given changes; returns its root."""
    def make(files: dict[str, str | bytes | None] | None = None) -> Path:
        return write_tree(tmp_path, {**BASE_FILES, **(files or {})})
    return make
