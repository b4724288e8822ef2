"""Markdown checked in the source, for a located message in ``--check``: attribute lists (``{: … }``)
may give only an id and the button classes (the sanitizer drops anything else from the page too), and
a text nested past MAX_NESTING levels is refused (the Markdown engine would overflow Python's stack)."""

from __future__ import annotations

import re

from ..read.scan import within
from .sanitize import BUTTON_CLASSES

# An attribute list as attr_list finds one: '{' with an optional ':', then anything up to '}' on one line,
# blanks around it left out. Each run is matched possessively, and a run of blanks joins only where more
# text follows it, so that no blank is tried twice (time linear in the text: tests/test_limits.py).
_ATTR_LIST = re.compile(r"\{:?[ \t]*+((?:[^{}\n \t]++|[ \t]++(?=[^{}\n \t]))*+)[ \t]*+\}")
# attr_list reads one only if it holds a #id, .class or key=value ('{a set}' is left alone).
_ATTRIBUTE_MARK = re.compile(r"(?:^|\s)[#.][^\s]|=")
# attr_list's own tokens: key="value", key='value', key=value, #id, .class, or a bare word.
_ITEM = re.compile(r"""([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))|(#[^\s]+)|(\.[^\s]+)|(\S+)""")
_ID = re.compile(r"#[A-Za-z0-9][\w.:-]*\Z")


def check_markdown_attributes(text: str, is_code=lambda offset: False) -> list[tuple[int, str]]:
    """(offset in ``text``, message) for every attribute an attribute list would add that content may
    not have: anything but an id and the button classes (``is_code(offset)``: no attribute list there)."""
    problems: list[tuple[int, str]] = []
    for match in _ATTR_LIST.finditer(text):
        if is_code(match.start()) or not _ATTRIBUTE_MARK.search(match.group(1)):
            continue
        for item in _ITEM.finditer(match.group(1)):
            offset = match.start(1) + item.start()
            key, ident, klass, bare = item.group(1), item.group(5), item.group(6), item.group(7)
            if ident is not None:
                if not _ID.match(ident) or ident[1:].lower().startswith("md-"):
                    problems.append((offset, f"the id '{ident[1:]}' is not allowed: an id starts with a letter or "
                                             "digit and uses letters, digits, '-', '_', '.' and ':'"))
            elif klass is not None:
                if klass[1:] not in BUTTON_CLASSES:
                    problems.append((offset, f"the class '{klass[1:]}' is not allowed: the classes are "
                                             + ", ".join(sorted(BUTTON_CLASSES))))
            else:
                what = f"the attribute '{key}'" if key is not None else f"'{bare}'"
                problems.append((offset, f"{what} cannot be set in an attribute list: "
                                         "only an id (#name) and classes (.name) can"))
    return problems


# Python-Markdown calls itself on the content of each list, quote, admonition, definition and HTML
# element: a few hundred levels are a RecursionError (and quotes, each one deeper, take it quadratic
# time). No page needs more than a handful of levels.
MAX_NESTING = 30
# The start of a line that could open a level (indentation, '>', list, definition and admonition
# markers): each level costs a character at least, so only a line starting with MAX_NESTING is measured.
_DEEP_LINE = re.compile(r"^[ \t>*+\-:!?.)0-9]{%d,}" % MAX_NESTING, re.MULTILINE)
_LEVEL = re.compile(r"[ \t]+|>|(?:[-*+:]|\d{1,9}[.)]|[!?]{3}\+?)(?=[ \t]|$)")
# The name is the longest run that ends where a word does, tried once (atomic): given back one character at a
# time, a run like 'a-a-a-…' with no '>' after it took a time growing with its square; a shorter name finds
# no other '>' (its characters are neither '<' nor '>').
_TAG = re.compile(r"<(/?)(?>([A-Za-z][A-Za-z0-9-]*)\b)[^<>]*?(/?)>")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


def _line_levels(line: str) -> int:
    """How many levels the start of ``line`` can open (at least as many as Markdown sees): one per
    marker and one per four columns of indentation."""
    levels, columns, pos = 0, 0, 0
    while (match := _LEVEL.match(line, pos)) and match.end() > pos:
        token = match.group()
        if token[0] in " \t":
            columns += sum(4 if char == "\t" else 1 for char in token)
        else:
            levels += 1
        pos = match.end()
    return levels + columns // 4


def too_deep(text: str, code: list[tuple[int, int]]) -> tuple[int, str] | None:
    """(offset, what) where the text first nests deeper than MAX_NESTING, outside code: blocks
    (lists, quotes, indented blocks) by the start of a line, HTML elements by their tags."""
    for match in _DEEP_LINE.finditer(text):
        if not within(match.start(), code) and _line_levels(match.group()) > MAX_NESTING:
            return match.start(), "lists, quotes or indented blocks"
    if text.count("<") <= MAX_NESTING:
        return None
    depth = 0
    for match in _TAG.finditer(text):
        if within(match.start(), code) or match.group(3) or match.group(2).lower() in _VOID:
            continue
        depth = max(depth - 1, 0) if match.group(1) else depth + 1
        if depth > MAX_NESTING:
            return match.start(), "HTML elements"
    return None
