"""Markdown in pages and entry bodies: inline references, generated blocks and relative links.

* ``[[wma]]`` links the entry ``wma`` with its display name; ``[[wma|the WMA]]`` with your text.
* ``{{ recent_events }}`` (and the other names of ``render.blocks``) inserts a generated list.
* ``[text](../events/index.md)``: a relative link must point at a page or file that exists.

Code spans and fenced code blocks are left alone, so the syntax can be documented in a page.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Callable

from .catalog import Catalog, PageRef, display_name, page_path
from .diagnostics import Diagnostics, did_you_mean

_FENCED = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,}).*?(?:^(?P=indent)?(?P=fence)[`~]*[ \t]*$|\Z)",
                     re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)", re.DOTALL)
# Every alternative starts with '[', '{' or '!': _tokens tries it only at those characters.
_TOKEN = re.compile(
    r"\[\[(?P<ref>[^\[\]|\n]*)(?:\|(?P<text>[^\[\]\n]*))?\]\]"
    r"|\{\{\s*(?P<block>[^{}\n]*?)\s*\}\}"
    r"|(?P<image>!?)\[(?P<label>[^\[\]\n]*)\]\(\s*(?P<target><[^>\n]*>|[^()\s]+)(?:\s+\"[^\"\n]*\")?\s*\)"
    r"|\[(?P<deflabel>[^\]\n]+)\]:[ \t]*(?P<deftarget>\S+)",  # a link definition: at a line's start (checked below)
)
_CANDIDATE = re.compile(r"[\[{!]")  # a plain character set: scanned for fast, unlike the alternation
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# Raw HTML that could run script in a reader's browser. Content may hold harmless HTML (a <span>);
# these are refused wherever they appear outside code.
_UNSAFE_ELEMENT = re.compile(r"<\s*(script|iframe|frame|object|embed|applet|style|link|meta|base|form|svg|math)\b", re.I)
_EVENT_HANDLER = re.compile(r"<[a-zA-Z][^>]*?\son[a-z]+\s*=", re.I | re.S)
_SCRIPT_URL = re.compile(r"\b(javascript|vbscript)\s*:|\bdata\s*:\s*text/html", re.I)
_LOCAL_HOSTS = re.compile(r"^http://(localhost|127\.0\.0\.1)([:/]|$)")

BlockRenderer = Callable[[str], str]  # page path -> Markdown


def _tokens(text: str) -> list[re.Match[str]]:
    """The matches of _TOKEN, left to right, found by trying it only where one could start."""
    found: list[re.Match[str]] = []
    end = 0
    for candidate in _CANDIDATE.finditer(text):
        start = candidate.start()
        if start < end:
            continue
        match = _TOKEN.match(text, start)
        if match:
            found.append(match)
            end = match.end()
    return found


def _at_line_start(text: str, offset: int) -> bool:
    """Whether only up to three spaces stand between the start of the line and ``offset``."""
    indent = text[text.rfind("\n", 0, offset) + 1:offset]
    return len(indent) <= 3 and not indent.strip(" ")


@dataclass(frozen=True)
class ExternalLink:
    """A link to another site, where it stands (for --check-external)."""

    url: str
    path: str
    line: int
    col: int


@dataclass(frozen=True)
class MarkdownSource:
    """Markdown to process, where it comes from, and where it ends up in the site."""

    text: str
    file: str  # the file that holds it, for messages
    first_line: int  # the line of ``file`` on which ``text`` starts
    page: PageRef  # the page it is rendered on


def code_ranges(text: str) -> list[tuple[int, int]]:
    if "`" not in text and "~~~" not in text:
        return []
    ranges = [m.span() for m in _FENCED.finditer(text)]
    masked = list(text)
    for start, end in ranges:
        masked[start:end] = " " * (end - start)
    ranges += [m.span() for m in _CODE_SPAN.finditer("".join(masked))]
    return sorted(ranges)


def _inside(offset: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in ranges)


def _position(source: MarkdownSource, offset: int) -> tuple[str, int, int]:
    line = source.first_line + source.text.count("\n", 0, offset)
    col = offset - (source.text.rfind("\n", 0, offset) + 1) + 1
    return source.file, line, col


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


def check_unsafe_html(source: MarkdownSource, skip: list[tuple[int, int]], diagnostics: Diagnostics) -> None:
    """Report raw HTML that could run script: dangerous elements, event handlers, script URLs."""
    lower = source.text.lower()
    if "<" not in lower and "script" not in lower and "data" not in lower:
        return  # nothing that any of the patterns below could match
    for pattern, code, message, hint in (
        (_UNSAFE_ELEMENT, "unsafe-html", "the HTML element <{0}> is not allowed in content",
         "write Markdown; ask a maintainer if the page needs something special"),
        (_EVENT_HANDLER, "unsafe-html", "HTML event-handler attributes (such as onclick=) are not allowed",
         "remove the attribute"),
        (_SCRIPT_URL, "unsafe-url", "'{0}:' addresses are not allowed", "link to an https:// address"),
    ):
        for match in pattern.finditer(source.text):
            if not _inside(match.start(), skip):
                diagnostics.error(*_position(source, match.start()), code,
                                  message.format((match.group(1) or "data").lower() if match.groups() else ""), hint)


def process(source: MarkdownSource, catalog: Catalog, blocks: dict[str, BlockRenderer],
            site_paths: set[str], diagnostics: Diagnostics, external: list[ExternalLink] | None = None) -> str:
    """Return ``source.text`` with references and blocks replaced, reporting every bad token or link.

    Links to other sites are appended to ``external`` when it is given."""
    skip = code_ranges(source.text)
    check_unsafe_html(source, skip, diagnostics)

    def replace(match: re.Match[str]) -> str:
        if _inside(match.start(), skip):
            return match.group(0)
        where = _position(source, match.start())
        if match.group("ref") is not None:
            return _reference(match, where, source, catalog, diagnostics)
        if match.group("block") is not None:
            name = match.group("block")
            if name not in blocks:
                diagnostics.error(*where, "unknown-block", f"'{{{{ {name} }}}}' is not a generated list",
                                  did_you_mean(name, blocks, "the lists are: " + ", ".join(sorted(blocks))))
                return match.group(0)
            return blocks[name](source.page.path)
        if match.group("deflabel") is not None and not _at_line_start(source.text, match.start()):
            return match.group(0)  # '[x]: y' inside a line is text, not a link definition
        target = match.group("target") or match.group("deftarget")
        target = target.strip("<>")
        _check_link(target, where, source.page.path, site_paths, diagnostics)
        if external is not None and target.startswith(("https://", "http://")):
            external.append(ExternalLink(target, *where))
        return match.group(0)

    parts: list[str] = []
    done = 0
    for match in _tokens(source.text):
        parts += [source.text[done:match.start()], replace(match)]
        done = match.end()
    parts.append(source.text[done:])
    return "".join(parts)


def _reference(match: re.Match[str], where: tuple[str, int, int], source: MarkdownSource, catalog: Catalog,
               diagnostics: Diagnostics) -> str:
    entry_id = match.group("ref").strip()
    text = (match.group("text") or "").strip()
    if not entry_id:
        diagnostics.error(*where, "empty-reference", "'[[ ]]' names no entry", "write [[id]], for example [[wma]]")
        return match.group(0)
    entry = catalog.lookup(entry_id, "*", where, f"reference [[{entry_id}]]", diagnostics)
    if entry is None:
        return text or entry_id
    catalog.add_backlink(entry, source.page)
    return f"[{text or display_name(entry)}]({relative_link(source.page.path, page_path(entry))})"


def _check_link(target: str, where: tuple[str, int, int], page: str, site_paths: set[str],
                diagnostics: Diagnostics) -> None:
    if target.startswith("http://") and not _LOCAL_HOSTS.match(target):
        diagnostics.error(*where, "insecure-link", f"the link '{target}' uses http:",
                          "use the https:// address of the page")
        return
    if _SCHEME.match(target) or target.startswith(("#", "/")):
        return
    path = target.split("#", 1)[0].split("?", 1)[0]
    if not path:
        return
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if path.endswith("/"):
        resolved = posixpath.join(resolved, "index.md")
    if resolved in site_paths:
        return
    if resolved.startswith("../") or resolved == "..":
        diagnostics.error(*where, "broken-link", f"the link '{target}' points outside the site")
        return
    diagnostics.error(*where, "broken-link", f"the link '{target}' points at '{resolved}', which does not exist",
                      did_you_mean(resolved, site_paths, "to link an entry, write [[id]] instead"))
