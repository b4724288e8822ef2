"""Paths inside the site: relative links between pages."""

from __future__ import annotations


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
