"""Reading content files safely: bytes to text, front matter, and YAML that keeps its positions.

Content is data. YAML is composed into nodes with PyYAML's safe machinery and turned into plain
Python values here, by hand, so that:

* every key and value keeps its ``line:col`` (for messages that point at the exact place);
* only the plain YAML types are accepted: a tag such as ``!!python/object`` is an error, never a
  constructor call;
* anchors and aliases are refused, so an "alias bomb" fails at once, in bounded memory;
* dates stay strings: ``2023-10-04`` is parsed by our own date type, which knows its precision.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostics

Location = tuple[int, int]
Path_ = tuple[str | int, ...]

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


# libyaml's parser (in C) when PyYAML has it: the same safe composition, many times faster.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _ContentLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """SafeLoader without the implicit timestamp type: dates are read as strings."""


_ContentLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


_STR = "tag:yaml.org,2002:str"
_SCALARS = _ContentLoader("")  # constructs the few scalars that are not text (numbers, booleans, null)


class Positions:
    """Where each value (and each mapping key) of a YAML document starts, found by its path.

    It keeps the composed nodes and walks them on demand: positions are needed only for the
    few values a message points at, so none is computed for the rest."""

    def __init__(self, root: yaml.Node | None = None, line_offset: int = 0, default: Location = (1, 1)):
        self.root = root
        self.line_offset = line_offset
        self.default = default

    def _mark(self, node: yaml.Node) -> Location:
        return node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1

    def _walk(self, path: Path_) -> list[tuple[yaml.Node | None, yaml.Node]]:
        """(key node, value node) for each step of ``path`` that exists, from the root down."""
        steps: list[tuple[yaml.Node | None, yaml.Node]] = []
        node = self.root
        if node is None:
            return steps
        steps.append((None, node))
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
        return self._mark(steps[-1][1]) if steps else self.default

    def of_key(self, path: Path_) -> Location:
        """The position of the key that names ``path`` (falls back to the value's position)."""
        steps = self._walk(path)
        if len(steps) == len(path) + 1 and steps[-1][0] is not None:
            return self._mark(steps[-1][0])
        return self.of_value(path)


@dataclass
class SourceFile:
    """A content or page file read as text, with its path relative to the project root."""

    path: str  # relative, with forward slashes: what messages print
    text: str


def read_source(file: Path, root: Path, diagnostics: Diagnostics, rel: str | None = None,
                is_symlink: bool | None = None) -> SourceFile | None:
    """Read ``file`` as UTF-8 text (a BOM and CRLF line endings are accepted).

    Reports and returns None for a symlink that leaves the project, a file that is not UTF-8,
    or one that cannot be read. ``rel`` and ``is_symlink`` may be passed when already known.
    """
    rel = rel if rel is not None else file.relative_to(root).as_posix()
    if file.is_symlink() if is_symlink is None else is_symlink:
        target = Path(os.path.realpath(file))
        if not target.is_relative_to(root.resolve()):
            diagnostics.error(rel, 1, 1, "symlink-outside", "this file is a symbolic link to a place outside the project",
                              "replace the link with the file itself")
            return None
    try:
        data = file.read_bytes()
    except OSError as exc:
        diagnostics.error(rel, 1, 1, "unreadable", f"cannot read the file: {exc.strerror or exc}")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        diagnostics.error(rel, line, col, "encoding", f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                          "save the file with UTF-8 encoding")
        return None
    return SourceFile(rel, text.replace("\r\n", "\n").replace("\r", "\n"))


_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)


@dataclass
class FrontMatter:
    yaml_text: str
    yaml_line: int  # the line of the file on which the YAML starts
    body: str
    body_line: int  # the line of the file on which the body starts


def split_front_matter(source: SourceFile, diagnostics: Diagnostics) -> FrontMatter | None:
    """Split a Markdown file into its YAML front matter and its body."""
    text = source.text
    if not _FENCE.match(text):
        diagnostics.error(source.path, 1, 1, "front-matter", "the file does not start with front matter",
                          "begin the file with a line '---', the fields, then another line '---'")
        return None
    first_end = text.find("\n") + 1 if "\n" in text else len(text)
    closing = _FENCE.search(text, first_end)
    if closing is None:
        diagnostics.error(source.path, 1, 1, "front-matter", "the front matter is never closed",
                          "add a line '---' after the last field")
        return None
    yaml_text = text[first_end:closing.start()]
    body_start = closing.end() + 1
    body_line = text.count("\n", 0, min(body_start, len(text))) + 1
    return FrontMatter(yaml_text, 2, text[body_start:], body_line)


def parse_yaml(text: str, path: str, diagnostics: Diagnostics, first_line: int = 1) -> tuple[Any, Positions] | None:
    """Parse one YAML document into plain values and their positions, or report why not."""
    line_offset = first_line - 1
    try:
        node = yaml.compose(text, Loader=_ContentLoader)
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
    if builder.failed:
        return None
    return value, positions


class _Stop(Exception):
    """Stops building at once (an alias: expanding it could take exponential time and memory)."""


class _Builder:
    def __init__(self, path: str, line_offset: int, diagnostics: Diagnostics):
        self.path = path
        self.line_offset = line_offset
        self.diagnostics = diagnostics
        self.seen: set[int] = set()
        self.failed = False

    def _where(self, node: yaml.Node) -> Location:
        return node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1

    def _fail(self, node: yaml.Node, code: str, message: str, hint: str = "") -> None:
        self.failed = True
        self.diagnostics.error(self.path, *self._where(node), code, message, hint)

    def build(self, node: yaml.Node) -> Any:
        if id(node) in self.seen:
            self._fail(node, "yaml-alias", "this value is anchored (&) and used again (*): YAML anchors and "
                       "aliases are not allowed in content", "write the value out in full")
            raise _Stop
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                return self._bad_tag(node)
            return [self.build(item) for item in node.value]
        if node.tag == _STR:
            return node.value
        if node.tag not in _PLAIN_TAGS:
            return self._bad_tag(node)
        return _SCALARS.construct_object(node)

    def _bad_tag(self, node: yaml.Node) -> None:
        self._fail(node, "yaml-tag", f"the YAML tag '{node.tag}' is not allowed in content",
                   "remove the tag: content holds only text, numbers, lists and fields")
        return None

    def _mapping(self, node: yaml.MappingNode) -> dict[str, Any] | None:
        if node.tag != "tag:yaml.org,2002:map":
            return self._bad_tag(node)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                self._fail(key_node, "yaml-key", "a field name must be plain text",
                           "write the field as 'name: value'")
                continue
            key = str(key_node.value)
            if key in result:
                self._fail(key_node, "duplicate-key", f"the field '{key}' appears twice",
                           "keep only one of them")
                continue
            result[key] = self.build(value_node)
        return result
