"""The Markdown scanner: the tokens of a text (``[[id]]``, ``{{ block }}``, links), found once, and where
code is, as Python-Markdown sees it with this site's extensions: fenced code (which MkDocs always
enables), code spans, indented code blocks and HTML comments. Nothing in them is a token, so the syntax
can be documented in a page.

Everything here is linear in the length of the text: the token pattern is tried only where a token
can start, and no alternative can run past the next character that could start another.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterator

from ..core.paths import PageRef
from ..core.text import LineIndex

# A run of backticks and the backslashes before it, tried only from a run's first backslash (the lookbehind):
# tried from each backslash, a long run with no backtick after it took a time growing with its square.
_TICKS = re.compile(r"(?<!\\)\\*`+")
_BLANK_LINES = re.compile(r"\n[ \t]*\n")
_COMMENT_OPEN = re.compile(r"<!--")


def within(offset: int, ranges: list[tuple[int, int]]) -> bool:
    """Whether ``offset`` falls in one of ``ranges`` (sorted, not overlapping): a binary search."""
    index = bisect.bisect_right(ranges, (offset, float("inf"))) - 1
    return index >= 0 and ranges[index][0] <= offset < ranges[index][1]


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def code_ranges(text: str) -> list[tuple[int, int]]:
    """Where ``text`` is code or a comment, in the order Python-Markdown sees them: fenced code; code
    spans, outside fences; comments, outside both (a `<!--` in a code span is text). An unclosed comment
    runs to the end only where it opens a block (at a line's start); inside a paragraph it is text."""
    ranges: list[tuple[int, int]] = []
    masked = text
    if "```" in text or "~~~" in text:
        fences = _fenced_code(text)
        ranges += fences
        masked = _mask(masked, fences)
    if "`" in masked:
        start, spans = 0, []
        for block_end in [m.start() for m in _BLANK_LINES.finditer(masked)] + [len(masked)]:
            spans += _code_spans(masked, start, block_end)
            start = block_end
        ranges += spans
        masked = _mask(masked, spans)
    if "<!--" in masked:
        done = 0  # fences and spans are blanked in ``masked``: a '<!--' found there is outside them
        for match in _COMMENT_OPEN.finditer(masked):
            if match.start() < done:
                continue  # inside the comment just found
            end = masked.find("-->", match.end())
            at_block_start = match.start() == 0 or masked[match.start() - 1] == "\n"
            if end >= 0:
                ranges.append((match.start(), end + 3))
                done = end + 3
            elif at_block_start:
                ranges.append((match.start(), len(masked)))
                break
    if "\n    " in text or "\n\t" in text or text.startswith(("    ", "\t")):
        ranges += _indented_code(text)
    return _merged(ranges)


def _mask(text: str, ranges: list[tuple[int, int]]) -> str:
    """``text`` with each range blanked out (same length: offsets stay valid)."""
    parts, done = [], 0
    for start, end in sorted(ranges):
        if start >= done:
            parts += [text[done:start], " " * (end - start)]
            done = end
    parts.append(text[done:])
    return "".join(parts)


# The blanks after the fence are taken possessively: shared with the '[ ]*' after an empty language, a long run
# of them was split in every way, a time growing with the square of the run.
_FENCE_OPEN = re.compile(r"(~{3,}|`{3,})[ ]*+(?:\{[^\n]*\}|\.?[\w#.+-]*[ ]*(?:hl_lines=(\"|')[^\n]*?\2[ ]*)?)$")
_FENCE_CLOSE = re.compile(r"(~{3,}|`{3,})[ ]*$")


def _pairs(openers: list[tuple[int, object]], closers: dict[object, list[int]]) -> list[tuple[int, int]]:
    """Each opener (index, kind), left to right and outside the pairs already made, paired with the next
    closer of its kind after it (none: no pair). Linear: each list of closers is walked once."""
    cursor = dict.fromkeys(closers, 0)
    pairs: list[tuple[int, int]] = []
    for index, kind in openers:
        if pairs and index <= pairs[-1][1]:
            continue
        candidates, at = closers.get(kind, []), cursor.get(kind, 0)
        while at < len(candidates) and candidates[at] <= index:
            at += 1
        cursor[kind] = at
        if at < len(candidates):
            pairs.append((index, candidates[at]))
    return pairs


def _fenced_code(text: str) -> list[tuple[int, int]]:
    """Fenced code blocks as the fenced_code extension finds them: a fence where a line starts, up
    to the next line that is the same fence alone. Without a closing line there is no block."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    openers, closers = [], {}
    for number, line in enumerate(lines):
        opening, closing = _FENCE_OPEN.match(line.rstrip("\n")), _FENCE_CLOSE.match(line.rstrip("\n"))
        if opening:
            openers.append((number, opening.group(1)))
        if closing:
            closers.setdefault(closing.group(1), []).append(number)
    return [(starts[first], starts[last + 1]) for first, last in _pairs(openers, closers)]


def _code_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Code spans in one block, as Python-Markdown finds them: a run of backticks opens one, the
    next run of the same length closes it; a run with no partner is plain text. A backslash
    before a run escapes its first backtick."""
    runs: list[tuple[int, int]] = []  # (offset, length) of each unescaped run
    for match in _TICKS.finditer(text, start, end):
        slashes = len(match.group(0)) - len(match.group(0).lstrip("\\"))
        offset, length = match.start() + slashes, len(match.group(0)) - slashes
        if slashes % 2:  # an escaped backtick: the rest of the run may still open a span
            offset, length = offset + 1, length - 1
        if length:
            runs.append((offset, length))
    by_length: dict[object, list[int]] = {}
    for index, (_, length) in enumerate(runs):
        by_length.setdefault(length, []).append(index)
    pairs = _pairs([(index, length) for index, (_, length) in enumerate(runs)], by_length)
    return [(runs[first][0], runs[last][0] + runs[last][1]) for first, last in pairs]


_LIST_ITEM = re.compile(r"^ {0,3}(?:[*+-]|\d+[.)])\s")


def _indented_code(text: str) -> list[tuple[int, int]]:
    """Indented code blocks: lines indented by four spaces or a tab after a blank line, unless the
    block before the blank line is a list (then they continue the list item)."""
    ranges, offset = [], 0
    previous_blank, in_code, in_list = True, False, False
    for line in text.splitlines(keepends=True):
        blank = not line.strip()
        indented = line.startswith(("    ", "\t"))
        if in_code and (indented or blank):
            ranges.append((offset, offset + len(line)))
        elif indented and previous_blank and not in_list and not blank:
            in_code = True
            ranges.append((offset, offset + len(line)))
        else:
            in_code = False
            if not blank and not indented:
                in_list = bool(_LIST_ITEM.match(line)) or (in_list and not previous_blank)
        previous_blank = blank
        offset += len(line)
    return ranges


# A generated list's placeholder, {{ name }}: the name is words with blanks between them (no line break),
# each run matched possessively, so that no run of blanks is tried twice (a lazy name before '\s*'
# took a time growing with the square of a run of blanks after '{{').
BLOCK = re.compile(r"\{\{\s*+(?P<block>(?:[^{}\s]++(?:[^\S\n]++[^{}\s]++)*+)?+)\s*+\}\}")
REFERENCE = re.compile(r"\[\[(?P<ref>[^\[\]|\n]*)(?:\|(?P<text>[^\[\]\n]*))?\]\]")  # [[id]] or [[id|its text]]
_TOKEN = re.compile(
    REFERENCE.pattern +
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


# Python-Markdown's time grows with the square of the number of '[' (and of '<', '&', '\\', '`', '*',
# '_': each is a pattern or a placeholder) in one paragraph: 5,000 take it seconds, 20,000 a minute.
# No real paragraph comes near this; beyond it, the text is refused (located): no content stalls a build.
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
