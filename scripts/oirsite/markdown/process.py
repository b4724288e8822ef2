"""Markdown in pages and entry bodies: inline references, generated blocks and relative links.

* ``[[wma]]`` links the entry ``wma`` with its display name; ``[[wma|the WMA]]`` with your text.
* ``{{ recent_events }}`` (and the other blocks the collections declare) inserts a generated list.
* ``[text](../events/index.md)``: a relative link must point at a page or file that exists.

Code is left alone, as Python-Markdown sees it with this site's extensions: fenced code (which
MkDocs always enables), code spans, indented code blocks and HTML comments. So the syntax can be
documented in a page.

Every pattern here is linear in the length of the text: the token pattern is tried only where a
token can start, and no alternative can run past the next character that could start another.
"""

from __future__ import annotations

import bisect
import posixpath
import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Callable, Iterator

from ..read.codeblocks import _BLANK_LINES, _within, code_ranges
from ..core.diagnostics import Diagnostics, did_you_mean
from ..safety.attributes import MAX_NESTING, check_markdown_attributes, too_deep
from ..core.paths import PageRef, relative_link

if TYPE_CHECKING:
    from ..graph.catalog import Catalog

__all__ = ["MarkdownSource", "Scan", "scan", "inline_references", "process", "relative_link", "ExternalLink", "AnchorLink"]

_TOKEN = re.compile(
    r"\[\[(?P<ref>[^\[\]|\n]*)(?:\|(?P<text>[^\[\]\n]*))?\]\]"
    r"|\{\{\s*(?P<block>[^{}\n]*?)\s*\}\}"
    r"|(?P<image>!?)\[(?P<label>[^\[\]\n]*)\]\(\s*(?P<target><[^<>\n]*>|[^()\s<>]+)(?:\s+\"[^\"\n]*\")?\s*\)"
)
# A link definition: '[label]: target' where a line starts (up to three spaces before it).
_DEFINITION = re.compile(r"^ {0,3}\[(?P<deflabel>[^\[\]\n]+)\]:[ \t]*(?P<deftarget>\S+)", re.MULTILINE)
_CANDIDATE = re.compile(r"[\[{!]")  # a plain character set: scanned for fast, unlike the alternation
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# Raw HTML that could run script in a reader's browser: an early, friendly message in --check.
# Safety does not depend on it: every page passes the sanitizer at the output.
_UNSAFE_ELEMENT = re.compile(r"<\s*(script|iframe|frame|object|embed|applet|style|link|meta|base|form|svg|math)\b", re.I)
_EVENT_HANDLER = re.compile(r"<[a-zA-Z][^<>]*?[\s/\"']on[a-z]+\s*=", re.I | re.S)
_SCRIPT_URL = re.compile(r"\b(javascript|vbscript)\s*:|\bdata\s*:\s*text/html", re.I)
_LOCAL_HOSTS = re.compile(r"^http://(localhost|127\.0\.0\.1)([:/]|$)")

BlockRenderer = Callable[[str], str]  # page path -> Markdown


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
    entry: str | None = None  # the id of the entry whose body it is; None for a hand-written page

    @cached_property
    def line_starts(self) -> list[int]:
        """The offset where each line starts: positions by binary search, not by counting."""
        return [0] + [m.end() for m in re.finditer("\n", self.text)]


@dataclass(frozen=True)
class Scan:
    """The tokens of a text, found once, and the stretches that are code (sorted, not overlapping)."""

    tokens: list[re.Match[str]]
    code: list[tuple[int, int]]

    def is_code(self, offset: int) -> bool:
        return _within(offset, self.code)


def _tokens(text: str) -> list[re.Match[str]]:
    """The matches of _TOKEN and of link definitions, left to right, tried only where one could start."""
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
    if "]:" in text:
        spans = [m.span() for m in found]  # sorted and not overlapping, as found
        found += [m for m in _DEFINITION.finditer(text) if not _within(m.start(), spans)]
        found.sort(key=lambda m: m.start())
    return found


def scan(source: MarkdownSource) -> Scan:
    code = code_ranges(source.text)
    return Scan([m for m in _tokens(source.text) if not _within(m.start(), code)], code)


def _position(source: MarkdownSource, offset: int) -> tuple[str, int, int]:
    index = bisect.bisect_right(source.line_starts, offset) - 1
    return source.file, source.first_line + index, offset - source.line_starts[index] + 1


def inline_references(source: MarkdownSource, found: Scan) -> Iterator[tuple[str, tuple[str, int, int]]]:
    """Every ``[[id]]`` of a text with where it stands (empty ones are reported in ``process``)."""
    for match in found.tokens:
        ref = match.groupdict().get("ref")
        if ref is not None and ref.strip():
            yield ref.strip(), _position(source, match.start())


# Python-Markdown's time grows with the square of the number of '[' (and of '<', '&', '\\', '`',
# '*', '_': each is a pattern or a placeholder) in one paragraph: 5,000 take it seconds, 20,000 a
# minute. No real paragraph comes near this; beyond it, the text is
# refused (located), so that no content can stall a build.
MAX_MARKS_PER_BLOCK = 1_000
_DENSE_MARKS = ("[", "<", "&", "\\", "`", "*", "_")  # each one a placeholder or a pattern attempt


def dense_blocks(text: str) -> list[tuple[int, str, int]]:
    """(offset, mark, count) of each paragraph holding more than MAX_MARKS_PER_BLOCK of one mark."""
    if all(text.count(mark) <= MAX_MARKS_PER_BLOCK for mark in _DENSE_MARKS):
        return []
    found, start = [], 0
    for blank in [*_BLANK_LINES.finditer(text), None]:
        end = blank.start() if blank else len(text)
        for mark in _DENSE_MARKS:
            count = text.count(mark, start, end)
            if count > MAX_MARKS_PER_BLOCK:
                found.append((start, mark, count))
        start = blank.end() if blank else end
    return found


def check_unsafe_html(source: MarkdownSource, found: Scan, diagnostics: Diagnostics) -> None:
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
            if not found.is_code(match.start()):
                diagnostics.error(*_position(source, match.start()), code,
                                  message.format((match.group(1) or "data").lower() if match.groups() else ""), hint)


@dataclass(frozen=True)
class AnchorLink:
    """A link to a part of a page of the site (``page.md#part``, or ``#part`` on its own page)."""

    target: str  # as written
    page: str  # the page it points at (site source path)
    anchor: str
    where: tuple[str, int, int]


def process(source: MarkdownSource, found: Scan, catalog: Catalog, blocks: dict[str, BlockRenderer],
            site_paths: set[str], diagnostics: Diagnostics, external: list[ExternalLink] | None = None,
            anchors: list[AnchorLink] | None = None) -> str:
    """Return ``source.text`` with references and blocks replaced, reporting every bad block or link.

    References were resolved (and reported) by ``catalog.resolve``; links to other sites are
    appended to ``external`` when it is given, links to a part of a page to ``anchors`` (their
    anchors are checked once every page is known)."""
    for offset, mark, count in dense_blocks(source.text):
        diagnostics.error(*_position(source, offset), "too-complex",
                          f"this paragraph holds {count} '{mark}' characters (at most {MAX_MARKS_PER_BLOCK}): "
                          "the Markdown engine would take minutes over it", "split it with blank lines, or remove them")
    deep = too_deep(source.text, found.code)
    if deep is not None:
        diagnostics.error(*_position(source, deep[0]), "too-complex",
                          f"the text here is nested more than {MAX_NESTING} levels deep ({deep[1]}): the Markdown "
                          "engine cannot render it", "nest lists and quotes only a few levels deep")
        return "*This text is nested too deep to show.*\n"  # never rendered as it is, not even in a preview
    check_unsafe_html(source, found, diagnostics)
    check_spaced_links(source, found, diagnostics)
    if "{" in source.text:
        for offset, message in check_markdown_attributes(source.text, found.is_code):
            diagnostics.error(*_position(source, offset), "unsafe-html", message,
                              "remove it, or write {: #an-id } or { .md-button }")

    def replace(match: re.Match[str]) -> str:
        groups = match.groupdict()
        where = _position(source, match.start())
        if groups.get("ref") is not None:
            return _reference(match, where, catalog, source, diagnostics)
        if groups.get("block") is not None:
            name = groups["block"]
            if name not in blocks:
                diagnostics.error(*where, "unknown-block", f"'{{{{ {name} }}}}' is not a generated list",
                                  did_you_mean(name, blocks, "the lists are: " + ", ".join(sorted(blocks))))
                return match.group(0)
            return blocks[name](source.page.path)
        target = (groups.get("target") or groups.get("deftarget") or "").strip("<>")
        page = _check_link(target, where, source.page.path, site_paths, diagnostics)
        if anchors is not None and page is not None and "#" in target and target.split("#", 1)[1]:
            anchors.append(AnchorLink(target, page, target.split("#", 1)[1], where))
        if external is not None and target.startswith(("https://", "http://")):
            external.append(ExternalLink(target, *where))
        return match.group(0)

    parts: list[str] = []
    done = 0
    for match in found.tokens:
        parts += [source.text[done:match.start()], replace(match)]
        done = match.end()
    parts.append(source.text[done:])
    return "".join(parts)


def _reference(match: re.Match[str], where: tuple[str, int, int], catalog: Catalog, source: MarkdownSource,
               diagnostics: Diagnostics) -> str:
    entry_id = match.group("ref").strip()
    text = (match.group("text") or "").strip()
    if not entry_id:
        diagnostics.error(*where, "empty-reference", "'[[ ]]' names no entry", "write [[id]], for example [[wma]]")
        return match.group(0)
    entry = catalog.get(entry_id)
    if entry is None:  # reported when the graph was built
        return text or entry_id
    return f"[{text or entry.title}]({relative_link(source.page.path, entry.page)})"


_CHUNK = r'(?:[^()\s<>"]|\([^()\n<>]*\))+'  # a run of a target without white space (balanced parentheses)
_SPACED_TARGET = re.compile(rf"\]\(\s*({_CHUNK}(?:[ \t]+{_CHUNK})+)\s*\)")


def check_spaced_links(source: MarkdownSource, found: Scan, diagnostics: Diagnostics) -> None:
    """A link target with a space or a tab inside is no link for Markdown: the engine would leave it
    as text (or the build would stop on it) without saying where."""
    if "](" not in source.text:
        return
    for match in _SPACED_TARGET.finditer(source.text):
        target = match.group(1)
        if found.is_code(match.start()):
            continue
        diagnostics.error(*_position(source, match.start()), "broken-link",
                          f"the link target '{target}' holds a space or a tab",
                          "write the address without spaces (%20 where a space is meant)")


def _check_link(target: str, where: tuple[str, int, int], page: str, site_paths: set[str],
                diagnostics: Diagnostics) -> str | None:
    """Report a link that cannot work; return the page of the site it points at, if it does."""
    if target.startswith("http://") and not _LOCAL_HOSTS.match(target):
        diagnostics.error(*where, "insecure-link", f"the link '{target}' uses http:",
                          "use the https:// address of the page")
        return None
    scheme = _SCHEME.match(target)
    if scheme and scheme.group(0).lower() not in ("https:", "http:", "mailto:"):
        diagnostics.error(*where, "unsafe-url", f"'{scheme.group(0)}' addresses are not allowed in links",
                          "link to an https:// address, a mailto: address or a page of the site")
        return None
    if target.startswith("/"):
        diagnostics.error(*where, "broken-link", f"the link '{target}' starts with '/': it would not work "
                          "where the site is published", "write a relative link, such as ../events/index.md")
        return None
    if scheme:
        return None
    path = target.split("#", 1)[0].split("?", 1)[0]
    if not path:
        return page if target.startswith("#") else None
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if path.endswith("/"):
        resolved = posixpath.join(resolved, "index.md")
    if resolved in site_paths:
        return resolved if resolved.endswith(".md") else None
    if resolved.startswith("../") or resolved == "..":
        diagnostics.error(*where, "broken-link", f"the link '{target}' points outside the site")
        return None
    diagnostics.error(*where, "broken-link", f"the link '{target}' points at '{resolved}', which does not exist",
                      did_you_mean(resolved, site_paths, "to link an entry, write [[id]] instead"))
    return None
