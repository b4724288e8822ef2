"""Positions in a text: an offset as (line, column), both from 1, columns in characters; and the
one newline normalization (``\\r\\n`` and ``\\r`` as ``\\n``, as Python's universal newlines)."""

from __future__ import annotations

import bisect
import re

LINE_BREAK = re.compile(r"\r\n|\r|\n")


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


class LineIndex:
    """Where each line of ``text`` starts, so that positions are found by binary search."""

    def __init__(self, text: str, first_line: int = 1):
        self.text, self.first_line = text, first_line
        self.starts = [0] + [m.end() for m in LINE_BREAK.finditer(text)]

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.first_line + index, offset - self.starts[index] + 1

    def offset(self, line: int, col: int) -> int:
        return self.starts[line - self.first_line] + col - 1


def position(text: str, offset: int) -> tuple[int, int]:
    """(line, column) of ``offset`` in ``text``, for one look-up (no index kept)."""
    return LineIndex(text[:offset]).position(offset)
