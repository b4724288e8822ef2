"""Paths inside the site: the pages that refer to entries, and relative links between pages."""

from __future__ import annotations

from dataclasses import dataclass


def relative_link(from_page: str, to_path: str) -> str:
    """A relative Markdown link from one site source path to another (an anchor may follow).

    Both are normalized paths inside the site (no '.', '..' or leading '/'), so plain splitting
    does what posixpath.relpath does, without its calls to the file system's current folder."""
    target, _, anchor = to_path.partition("#")
    start = from_page.split("/")[:-1]
    parts = target.split("/")
    common = 0
    while common < len(start) and common < len(parts) - 1 and start[common] == parts[common]:
        common += 1
    link = "/".join([".."] * (len(start) - common) + parts[common:])
    return link + (f"#{anchor}" if anchor else "")


@dataclass(frozen=True, order=True)
class PageRef:
    """A page that refers to an entry: for the "Referenced by" lists."""

    path: str  # site source path of the referring page
    title: str
