"""The Markdown scanner: the tokens of a text (``[[id]]``, ``{{ block }}``, links), found once, and where code is.

Code is left alone, as Python-Markdown sees it with this site's extensions: fenced code (which
MkDocs always enables), code spans, indented code blocks and HTML comments. So the syntax can be
documented in a page.

Every pattern here is linear in the length of the text: the token pattern is tried only where a
token can start, and no alternative can run past the next character that could start another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterator

from ..core.paths import PageRef
from ..core.text import LineIndex
from .codeblocks import BLANK_LINES, code_ranges, within

# A generated list's placeholder, {{ name }}: the name is words with blanks between them (no line break),
# each run matched possessively, so that no run of blanks is tried twice (a lazy name before '\s*'
# took a time growing with the square of a run of blanks after '{{').
BLOCK = re.compile(r"\{\{\s*+(?P<block>(?:[^{}\s]++(?:[^\S\n]++[^{}\s]++)*+)?+)\s*+\}\}")
_TOKEN = re.compile(
    r"\[\[(?P<ref>[^\[\]|\n]*)(?:\|(?P<text>[^\[\]\n]*))?\]\]"
    r"|" + BLOCK.pattern +
    r"|(?P<image>!?)\[(?P<label>[^\[\]\n]*)\]\(\s*(?P<target><[^<>\n]*>|[^()\s<>]+)(?:\s+\"[^\"\n]*\")?\s*\)"
)
# A link definition: '[label]: target' where a line starts (up to three spaces before it).
_DEFINITION = re.compile(r"^ {0,3}\[(?P<deflabel>[^\[\]\n]+)\]:[ \t]*(?P<deftarget>\S+)", re.MULTILINE)
_CANDIDATE = re.compile(r"[\[{!]")  # a plain character set: scanned for fast, unlike the alternation


@dataclass(frozen=True)
class MarkdownSource:
    """Markdown to process, where it comes from, and where it ends up in the site."""

    text: str
    file: str  # the file that holds it, for messages
    first_line: int  # the line of ``file`` on which ``text`` starts
    page: PageRef  # the page it is rendered on
    entry: str | None = None  # the id of the entry whose body it is; None for a hand-written page

    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex(self.text, self.first_line)


@dataclass(frozen=True)
class Scan:
    """The tokens of a text, found once, and the stretches that are code (sorted, not overlapping)."""

    tokens: list[re.Match[str]]
    code: list[tuple[int, int]]
    targets: dict[int, Any] = field(default_factory=dict)  # each [[id]]'s entry (None: unknown), by offset

    def is_code(self, offset: int) -> bool:
        return within(offset, self.code)


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
        found += [m for m in _DEFINITION.finditer(text) if not within(m.start(), spans)]
        found.sort(key=lambda m: m.start())
    return found


def scan(source: MarkdownSource) -> Scan:
    code = code_ranges(source.text)
    return Scan([m for m in _tokens(source.text) if not within(m.start(), code)], code)


def position(source: MarkdownSource, offset: int) -> tuple[str, int, int]:
    return (source.file, *source.lines.position(offset))


def inline_references(source: MarkdownSource, found: Scan) -> Iterator[tuple[int, str, tuple[str, int, int]]]:
    """Every ``[[id]]`` of a text: its offset, the id, where it stands (empty ones are reported in ``process``)."""
    for match in found.tokens:
        ref = match.groupdict().get("ref")
        if ref is not None and ref.strip():
            yield match.start(), ref.strip(), position(source, match.start())


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
    for blank in [*BLANK_LINES.finditer(text), None]:
        end = blank.start() if blank else len(text)
        for mark in _DENSE_MARKS:
            count = text.count(mark, start, end)
            if count > MAX_MARKS_PER_BLOCK:
                found.append((start, mark, count))
        start = blank.end() if blank else end
    return found
