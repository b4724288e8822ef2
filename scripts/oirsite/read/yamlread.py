"""YAML that keeps its positions (libyaml's parser when PyYAML has it).

YAML is composed into nodes with PyYAML's safe machinery and turned into plain Python values here,
by hand, so that every key and value keeps its ``line:col``; only the plain YAML types are accepted
(a tag such as ``!!python/object`` is an error, never a constructor call); anchors and aliases are
refused (an "alias bomb" fails at once); dates stay strings (our date type knows its precision); and
nesting is limited (``MAX_DEPTH``), checked before composing, so that a file of ten thousand ``[`` is
a message, never a recursion error or a crash of the YAML library.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..core.diagnostics import Diagnostics
from .source import describe_char, not_text

Location = tuple[int, int]
Path_ = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null")}
# libyaml's parser (in C) when PyYAML has it: the same safe composition, many times faster.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _ContentLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """SafeLoader without the implicit timestamp type: dates are read as strings."""


_ContentLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TAG + "timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

MAX_DEPTH = 50  # content needs a handful of levels; the limit keeps every walk over the values shallow
# A number in content is a year, a count or a boost: a longer one is a mistake, and one of thousands of
# digits is past what Python converts to and from text (int's digit limit) or a huge value to compute.
MAX_NUMBER_CHARS = 30
# Numbers as people write them: plain digits, a sign, a decimal point, an exponent.
_NUMBER_FORMS = {_TAG + "int": re.compile(r"[-+]?[0-9]+"),
                 _TAG + "float": re.compile(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?")}
_SCALARS = _ContentLoader("")  # constructs the few scalars that are not text (numbers, booleans, null)
_DEPTH_HINT = "content needs only a few levels of lists and fields: check the brackets and the indentation"


def _mark(node: yaml.Node, line_offset: int) -> Location:
    return node.start_mark.line + 1 + line_offset, node.start_mark.column + 1


class Positions:
    """Where each value (and each mapping key) of a YAML document starts, found by its path. It keeps
    the composed nodes and walks them on demand: only the few values a message points at need one."""

    def __init__(self, root: yaml.Node | None, line_offset: int, default: Location):
        self.root = root
        self.line_offset = line_offset
        self.default = default

    def _walk(self, path: Path_) -> list[tuple[yaml.Node | None, yaml.Node]]:
        """(key node, value node) for each step of ``path`` that exists, from the root down."""
        node = self.root
        if node is None:
            return []
        steps: list[tuple[yaml.Node | None, yaml.Node]] = [(None, node)]
        for part in path:
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                pair = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part), None)
                if pair is None:
                    break
                steps.append(pair)
                node = pair[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
                steps.append((None, node))
            else:
                break
        return steps

    def of_value(self, path: Path_) -> Location:
        """The position of the value at ``path``, or of its nearest enclosing value."""
        steps = self._walk(path)
        return _mark(steps[-1][1], self.line_offset) if steps else self.default

    def of_key(self, path: Path_) -> Location:
        """The position of the key that names ``path`` (falls back to the value's position)."""
        steps = self._walk(path)
        if len(steps) == len(path) + 1 and steps[-1][0] is not None:
            return _mark(steps[-1][0], self.line_offset)
        return self.of_value(path)


def parse_yaml(text: str, path: str, diagnostics: Diagnostics, first_line: int = 1) -> tuple[Any, Positions] | None:
    """Parse one YAML document into plain values and their positions, or report why not."""
    line_offset = first_line - 1
    try:
        deep = _too_deep(text)
        if deep is not None:
            diagnostics.error(path, deep.line + 1 + line_offset, deep.column + 1, "yaml-depth",
                              f"the values here are nested more than {MAX_DEPTH} levels deep", _DEPTH_HINT)
            return None
        node = yaml.compose(text, Loader=_ContentLoader)
    except RecursionError:  # only without libyaml, on nesting _too_deep lets through: still a message
        diagnostics.error(path, first_line, 1, "yaml-depth", "the values are nested too deep", _DEPTH_HINT)
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1 + line_offset, mark.column + 1) if mark else (first_line, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        lines = text.splitlines()
        bad_line = lines[mark.line] if mark and mark.line < len(lines) else ""
        tab = "\t" in bad_line[: mark.column + 1] if mark else False
        hint = "indent with spaces, not tabs" if tab or "tab" in problem else \
            "check the indentation and the quoting of this line"
        diagnostics.error(path, line, col, "yaml-syntax", f"YAML syntax error: {problem}", hint)
        return None
    except yaml.YAMLError as exc:  # errors without a position, such as two documents in one file
        diagnostics.error(path, first_line, 1, "yaml-syntax", f"YAML error: {exc}")
        return None
    positions = Positions(node, line_offset, (first_line, 1))
    if node is None:
        return None, positions
    builder = _Builder(path, line_offset, diagnostics)
    try:
        value = builder.build(node)
    except _Stop:
        return None
    return None if builder.failed else (value, positions)


# Composing nests as deep as the text (libyaml in C: a crash past some ten thousand levels), so
# nesting is measured first, over the events, when the text could nest deeper than this at all.
_SAFE_TO_COMPOSE = 1000 if _SafeLoader is not yaml.SafeLoader else 100


def _too_deep(text: str) -> yaml.Mark | None:
    """Where the values first nest deeper than MAX_DEPTH, or None. Every collection starts with an
    indicator ('[', '{', '-', ':' after a key, '?'): a text with few of them cannot nest deep."""
    bound = text.count("[") + text.count("{") + text.count("-") + text.count(":") + text.count("?")
    if bound <= _SAFE_TO_COMPOSE:
        return None
    try:
        return _first_too_deep(text, _ContentLoader)
    except yaml.YAMLError:
        if _SafeLoader is yaml.SafeLoader:
            raise
        # libyaml may refuse nesting of its own accord (PyYAML 6.0.4: past 1000 levels), and its
        # look-ahead can refuse it before the first event: the pure-Python parser, which nests
        # nothing (a loop over states), then says whether our own limit is passed first, and where.
        try:
            found = _first_too_deep(text, yaml.SafeLoader)
        except yaml.YAMLError:
            found = None
        if found is None:
            raise
        return found


def _first_too_deep(text: str, loader: type) -> yaml.Mark | None:
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return event.start_mark
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")  # half a pair: no text, and UTF-8 cannot write it


class _Stop(Exception):
    """Stops building at once (an alias: expanding it could take exponential time and memory)."""


class _Builder:
    def __init__(self, path: str, line_offset: int, diagnostics: Diagnostics):
        self.path = path
        self.line_offset = line_offset
        self.diagnostics = diagnostics
        self.seen: set[int] = set()
        self.failed = False

    def _fail(self, node: yaml.Node, code: str, message: str, hint: str = "") -> None:
        self.failed = True
        self.diagnostics.error(self.path, *_mark(node, self.line_offset), code, message, hint)

    def build(self, node: yaml.Node, depth: int = 1) -> Any:
        if depth > MAX_DEPTH and isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            self._fail(node, "yaml-depth", f"the values here are nested more than {MAX_DEPTH} levels deep",
                       _DEPTH_HINT)
            raise _Stop
        if id(node) in self.seen:
            self._fail(node, "yaml-alias", "this value is anchored (&) and used again (*): YAML anchors and "
                       "aliases are not allowed in content", "write the value out in full")
            raise _Stop
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _TAG + "seq":
                return self._bad_tag(node)
            return [self.build(item, depth + 1) for item in node.value]
        if node.tag == _TAG + "str":
            return self._text(node)
        if node.tag not in _PLAIN_TAGS:
            return self._bad_tag(node)
        if len(node.value) > MAX_NUMBER_CHARS:  # a number (text, booleans and null are short or strings)
            self._fail(node, "invalid-value", f"this number is {len(node.value)} characters long: a number "
                       f"in content has at most {MAX_NUMBER_CHARS}", "put it in quotes if it is text")
            return None
        if node.tag in _NUMBER_FORMS and not _NUMBER_FORMS[node.tag].fullmatch(node.value):
            self._fail(node, "invalid-value", f"'{node.value}' is read as a number written in a form YAML 1.1 "
                       "allows (with '_', ':', 0x, 0o, 0b, or .inf/.nan) but nobody means in content: "
                       "'33:20' is 2000, '0x7e5' is 2021", "write the number in plain digits (2021, 1.5), "
                       "or put it in quotes if it is text")
            return None
        try:
            return _SCALARS.construct_object(node)
        except (ValueError, OverflowError):  # whatever else a library refuses to convert
            self._fail(node, "invalid-value", "this value cannot be read as a number",
                       "put it in quotes if it is text")
            return None

    def _text(self, node: yaml.ScalarNode) -> str | None:
        """A YAML escape ("\\x00", "\\e", "\\ud800") may not make a character the file could not hold."""
        bad = not_text(node.value) + [m.start() for m in _SURROGATE.finditer(node.value)]
        if bad:
            self._fail(node, "control-character", "this text holds an invisible character that is not text "
                       f"({describe_char(node.value[min(bad)])}), written as an escape",
                       "remove the backslash escape: write the text as it should read")
            return None
        return node.value

    def _bad_tag(self, node: yaml.Node) -> None:
        self._fail(node, "yaml-tag", f"the YAML tag '{node.tag}' is not allowed in content",
                   "remove the tag: content holds only text, numbers, lists and fields")

    def _mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any] | None:
        if node.tag != _TAG + "map":
            return self._bad_tag(node)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _TAG + "merge":
                self._fail(key_node, "yaml-key", "a field name must be plain text", "write the field as 'name: value'")
                continue
            key = str(key_node.value)
            if key in result:
                self._fail(key_node, "duplicate-key", f"the field '{key}' appears twice", "keep only one of them")
                continue
            result[key] = self.build(value_node, depth + 1)
        return result
