"""Markdown in pages and entry bodies: ``[[wma]]`` (or ``[[wma|the WMA]]``) links an entry, ``{{ recent_events }}``
(and the other blocks the collections declare) inserts a generated list, a relative link must point at a page
or file that exists."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Callable

from ..core.diagnostics import Diagnostics, did_you_mean
from ..core.paths import relative_link
from ..model.fields import text_values
from ..read.loader import Entry
from ..read.scan import MAX_MARKS_PER_BLOCK, MarkdownSource, Scan, dense_blocks, position
from ..safety.attributes import MAX_NESTING, check_markdown_attributes, too_deep

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


def external_links(texts: list[tuple[MarkdownSource, Scan]], entries: list[Entry]) -> list[ExternalLink]:
    """Every link to another site, where it stands: in the texts (not in code), then in entries' fields."""
    found = []
    for source, scan in texts:
        for match in scan.tokens:
            target = (match.groupdict().get("target") or match.groupdict().get("deftarget") or "").strip("<>")
            if target.startswith(("https://", "http://")):
                found.append(ExternalLink(target, *position(source, match.start())))
    for entry in entries:
        if "https://" in entry.text:
            found += [ExternalLink(text, entry.source, *entry.location(path))
                      for path, text in text_values(entry.data) if text.startswith("https://")]
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
                diagnostics.error(*position(source, match.start()), code,
                                  message.format((match.group(1) or "data").lower() if match.groups() else ""), hint)


@dataclass(frozen=True)
class AnchorLink:
    """A link to a part of a page of the site (``page.md#part``, or ``#part`` on its own page)."""

    target: str  # as written
    page: str  # the page it points at (site source path)
    anchor: str
    where: tuple[str, int, int]


def process(source: MarkdownSource, found: Scan, blocks: dict[str, BlockRenderer], site_paths: set[str],
            diagnostics: Diagnostics, anchors: list[AnchorLink] | None = None) -> str:
    """``source.text`` with references (resolved by ``catalog.resolve``) and blocks replaced, reporting every
    bad block or link; links to a part of a page go to ``anchors``, checked once every page is known."""
    for offset, mark, count in dense_blocks(source.text):
        diagnostics.error(*position(source, offset), "too-complex",
                          f"this paragraph holds {count} '{mark}' characters (at most {MAX_MARKS_PER_BLOCK}): "
                          "the Markdown engine would take minutes over it", "split it with blank lines, or remove them")
    deep = too_deep(source.text, found.code)
    if deep is not None:
        diagnostics.error(*position(source, deep[0]), "too-complex",
                          f"the text here is nested more than {MAX_NESTING} levels deep ({deep[1]}): the Markdown "
                          "engine cannot render it", "nest lists and quotes only a few levels deep")
        return "*This text is nested too deep to show.*\n"  # never rendered as it is, not even in a preview
    check_unsafe_html(source, found, diagnostics)
    check_spaced_links(source, found, diagnostics)
    for offset, message in check_markdown_attributes(source.text, found.is_code):
        diagnostics.error(*position(source, offset), "unsafe-html", message,
                          "remove it, or write {: #an-id } or { .md-button }")

    def replace(match: re.Match[str]) -> str:
        groups = match.groupdict()
        where = position(source, match.start())
        if groups.get("ref") is not None:
            entry_id, text = match.group("ref").strip(), (match.group("text") or "").strip()
            entry = found.targets.get(match.start())  # resolved (or reported) when the graph was built
            if not entry_id:
                diagnostics.error(*where, "empty-reference", "'[[ ]]' names no entry",
                                  "write [[id]], for example [[wma]]")
                return match.group(0)
            if entry is None:
                return text or entry_id
            return f"[{text or entry.title}]({relative_link(source.page.path, entry.page)})"
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
        return match.group(0)

    parts, done = [], 0
    for match in found.tokens:
        parts += [source.text[done:match.start()], replace(match)]
        done = match.end()
    parts.append(source.text[done:])
    return "".join(parts)


_CHUNK = r'(?:[^()\s<>"]|\([^()\n<>]*\))+'  # a run of a target without white space (balanced parentheses)
_SPACED_TARGET = re.compile(rf"\]\(\s*({_CHUNK}(?:[ \t]+{_CHUNK})+)\s*\)")


def check_spaced_links(source: MarkdownSource, found: Scan, diagnostics: Diagnostics) -> None:
    """A link target with a space or a tab inside is no link for Markdown: the engine would leave it
    as text (or the build would stop on it) without saying where."""
    if "](" not in source.text:
        return
    for match in _SPACED_TARGET.finditer(source.text):
        if not found.is_code(match.start()):
            diagnostics.error(*position(source, match.start()), "broken-link",
                              f"the link target '{match.group(1)}' holds a space or a tab",
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
