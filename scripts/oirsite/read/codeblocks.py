"""Where a Markdown text is code or a comment, as Python-Markdown sees it with this site's
extensions: fenced code (MkDocs always enables it), code spans, indented code blocks and HTML
comments. Nothing in them is a token (a reference, a block, a link). Every function here is linear
in the length of the text."""

from __future__ import annotations

import bisect
import re

_TICKS = re.compile(r"\\*`+")
BLANK_LINES = re.compile(r"\n[ \t]*\n")
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
    """Where ``text`` is code or a comment for Python-Markdown: nothing in them is a token.

    In the order Python-Markdown sees them: fenced code first; then code spans, outside fences;
    then comments, outside both (a `<!--` in a code span is text). An unclosed comment runs to the
    end only where it opens a block (at a line's start); inside a paragraph it is text."""
    ranges: list[tuple[int, int]] = []
    masked = text
    if "```" in text or "~~~" in text:
        fences = _fenced_code(text)
        ranges += fences
        masked = _mask(masked, fences)
    if "`" in masked:
        start, spans = 0, []
        for block_end in [m.start() for m in BLANK_LINES.finditer(masked)] + [len(masked)]:
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


_FENCE_OPEN = re.compile(r"(~{3,}|`{3,})[ ]*(?:\{[^\n]*\}|\.?[\w#.+-]*[ ]*(?:hl_lines=(\"|')[^\n]*?\2[ ]*)?)$")
_FENCE_CLOSE = re.compile(r"(~{3,}|`{3,})[ ]*$")


def _fenced_code(text: str) -> list[tuple[int, int]]:
    """Fenced code blocks as the fenced_code extension finds them: a fence where a line starts, up
    to the next line that is the same fence alone. Without a closing line there is no block. Linear:
    the closing lines of each fence are looked up in order, never searched for again."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    closings: dict[str, list[int]] = {}
    for number, line in enumerate(lines):
        match = _FENCE_CLOSE.match(line.rstrip("\n"))
        if match:
            closings.setdefault(match.group(1), []).append(number)
    cursor = {fence: 0 for fence in closings}
    ranges, number = [], 0
    while number < len(lines):
        match = _FENCE_OPEN.match(lines[number].rstrip("\n"))
        candidates = closings.get(match.group(1), []) if match else []
        at = cursor.get(match.group(1), 0) if match else 0
        while at < len(candidates) and candidates[at] <= number:
            at += 1
        if match:
            cursor[match.group(1)] = at
        if not match or at == len(candidates):
            number += 1
            continue
        end = candidates[at]
        ranges.append((starts[number], starts[end + 1]))
        number = end + 1
    return ranges


def _code_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Code spans in one block, as Python-Markdown finds them: a run of backticks opens one, the
    next run of the same length closes it; a run with no partner is plain text. A backslash
    before a run escapes its first backtick. Linear: each run is looked at a bounded number of times."""
    runs: list[tuple[int, int]] = []  # (offset, length) of each unescaped run
    for match in _TICKS.finditer(text, start, end):
        slashes = len(match.group(0)) - len(match.group(0).lstrip("\\"))
        offset, length = match.start() + slashes, len(match.group(0)) - slashes
        if slashes % 2:  # an escaped backtick: the rest of the run may still open a span
            offset, length = offset + 1, length - 1
        if length:
            runs.append((offset, length))
    by_length: dict[int, list[int]] = {}
    for index, (_, length) in enumerate(runs):
        by_length.setdefault(length, []).append(index)
    cursor = {length: 0 for length in by_length}
    spans, index = [], 0
    while index < len(runs):
        offset, length = runs[index]
        candidates, at = by_length[length], cursor[length]
        while at < len(candidates) and candidates[at] <= index:
            at += 1
        cursor[length] = at
        if at == len(candidates):
            index += 1  # no partner: plain backticks
            continue
        closing = candidates[at]
        spans.append((offset, runs[closing][0] + length))
        index = closing + 1
    return spans


_LIST_ITEM = re.compile(r"^ {0,3}(?:[*+-]|\d+[.)])\s")


def _indented_code(text: str) -> list[tuple[int, int]]:
    """Indented code blocks: lines indented by four spaces or a tab after a blank line, unless the
    block before the blank line is a list (then they continue the list item)."""
    ranges = []
    offset = 0
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


