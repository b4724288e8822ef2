"""Reading content files safely: bytes to text, front matter, and YAML that keeps its positions.

Content is data. YAML is composed into nodes with PyYAML's safe machinery and turned into plain
Python values here, by hand, so that:

* every key and value keeps its ``line:col`` (for messages that point at the exact place);
* only the plain YAML types are accepted: a tag such as ``!!python/object`` is an error, never a
  constructor call;
* anchors and aliases are refused, so an "alias bomb" fails at once, in bounded memory;
* dates stay strings: ``2023-10-04`` is parsed by our own date type, which knows its precision;
* nesting is limited (``MAX_DEPTH``), checked before composing, so a file of ten thousand ``[``
  is a message, never a recursion error or a crash of the YAML library.

Every file is text: at most ``MAX_FILE_BYTES``, valid UTF-8, no control characters other than tab
and line breaks, no Unicode noncharacters, and (symbolic links resolved) inside the project.
"""

from __future__ import annotations

import os
import re
import stat
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


MAX_FILE_BYTES = 1_000_000  # a content file or page of 1 MB is a mistake (a pasted binary, a generated dump)
MAX_DEPTH = 50  # content needs a handful of levels; the limit keeps every walk over the values shallow

# Control characters (C0 but tab, line feed and carriage return; DEL; C1) and the noncharacters of
# every plane: never text an editor means, and XML (the feed), calendars and HTML reject or mangle them.
# (The noncharacters beyond the first plane, U+1FFFE, U+1FFFF ... U+10FFFF, are looked for apart: a
# class that lists them makes every search ten times slower.)
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _not_text(text: str) -> list[int]:
    """The offsets of the characters of ``text`` that are not text (see above)."""
    found = [m.start() for m in _NOT_TEXT.finditer(text)]
    if _ASTRAL.search(text):
        found += [m.start() for m in _ASTRAL.finditer(text) if ord(m.group()) & 0xFFFE == 0xFFFE]
        found.sort()
    return found


_CONTROL_NAMES = {0x00: "NUL", 0x08: "backspace", 0x0B: "vertical tab", 0x0C: "form feed", 0x1B: "escape",
                  0x7F: "delete"}


def _describe(char: str) -> str:
    code = ord(char)
    name = _CONTROL_NAMES.get(code) or ("a noncharacter" if code >= 0xFDD0 else "a control character")
    return f"U+{code:04X}, {name}"


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

    Reports and returns None for a file that is (or lies in a folder that is) a symbolic link
    to a place outside the project, one that is not a plain file, one larger than MAX_FILE_BYTES,
    one that is not UTF-8 or holds control characters, or one that cannot be read. ``rel`` and
    ``is_symlink`` may be passed when already known.
    """
    rel = rel if rel is not None else file.relative_to(root).as_posix()
    try:
        is_link = file.is_symlink() if is_symlink is None else is_symlink
        real = os.path.realpath(file) if is_link else os.path.join(_real_folder(file.parent), file.name)
        real_root = _real_folder(root)
        if not (real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)):
            diagnostics.error(rel, 1, 1, "symlink-outside",
                              "this file is, or is in a folder that is, a symbolic link to a place outside the project",
                              "replace the link with the file itself")
            return None
        data = _read_limited(real)
    except _NotAFile:
        diagnostics.error(rel, 1, 1, "unreadable", "this is not a plain file (it is a device, a pipe or a socket)",
                          "replace it with a text file, or remove it")
        return None
    except OSError as exc:
        diagnostics.error(rel, 1, 1, "unreadable", f"cannot read the file: {exc.strerror or exc}")
        return None
    if len(data) > MAX_FILE_BYTES:
        diagnostics.error(rel, 1, 1, "file-too-large", f"the file is larger than {MAX_FILE_BYTES // 1_000_000} MB",
                          "a page or an entry is a few kilobytes of text: split it, or remove what does not belong")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        col = len(data[start:exc.start].decode("utf-8", "replace")) + 1
        diagnostics.error(rel, line, col, "encoding", f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                          "save the file with UTF-8 encoding")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = _not_text(text) if _NOT_TEXT.search(text) or _ASTRAL.search(text) else []
    if bad:
        first = bad[0]
        line = text.count("\n", 0, first) + 1
        col = first - (text.rfind("\n", 0, first) + 1) + 1
        others = f" (and {len(bad) - 1} more in the file)" if len(bad) > 1 else ""
        diagnostics.error(rel, line, col, "control-character",
                          f"an invisible character that is not text ({_describe(text[first])}) is here{others}",
                          "delete it (retype the text around it): such characters come from copying out of another "
                          "program or from a file that is not text")
        return None
    return SourceFile(rel, text)


class _NotAFile(Exception):
    """A path that names a device, a pipe or a socket: reading it could block or never end."""


def _read_limited(path: str) -> bytes:
    """At most MAX_FILE_BYTES + 1 bytes of a plain file (one more tells that it is too large)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _NotAFile
        chunks, size = [], 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, MAX_FILE_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


_real_folders: dict[str, tuple[int, int, str]] = {}


def _real_folder(folder: Path) -> str:
    """``os.path.realpath(folder)``, computed once per folder while the folder stays the same one."""
    key = os.fspath(folder)
    info = os.stat(key)
    known = _real_folders.get(key)
    if known is not None and known[:2] == (info.st_dev, info.st_ino):
        return known[2]
    real = os.path.realpath(key)
    if len(_real_folders) > 10_000:
        _real_folders.clear()
    _real_folders[key] = (info.st_dev, info.st_ino, real)
    return real


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
        deep = _too_deep(text)
        if deep is not None:
            diagnostics.error(path, deep.line + 1 + line_offset, deep.column + 1, "yaml-depth",
                              f"the values here are nested more than {MAX_DEPTH} levels deep",
                              "content needs only a few levels of lists and fields: check the brackets and the indentation")
            return None
        node = yaml.compose(text, Loader=_ContentLoader)
    except RecursionError:  # only without libyaml, on nesting _too_deep lets through: still a message
        diagnostics.error(path, first_line, 1, "yaml-depth", "the values are nested too deep",
                          "content needs only a few levels of lists and fields: check the brackets and the indentation")
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
    if builder.failed:
        return None
    return value, positions


# Composing nests as deep as the text (libyaml in C: a crash past some ten thousand levels), so
# nesting is measured first, over the events, when the text could nest deeper than this at all.
_SAFE_TO_COMPOSE = 1000 if _SafeLoader is not yaml.SafeLoader else 100
_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _too_deep(text: str) -> yaml.Mark | None:
    """Where the values first nest deeper than MAX_DEPTH, or None.

    Every collection starts with an indicator of its own ('[', '{', '-', ':' after a key, '?'),
    so a text with few of them cannot nest deep, and the common case costs five counts."""
    bound = text.count("[") + text.count("{") + text.count("-") + text.count(":") + text.count("?")
    if bound <= _SAFE_TO_COMPOSE:
        return None
    depth = 0
    for event in yaml.parse(text, Loader=_ContentLoader):
        if isinstance(event, _OPEN):
            depth += 1
            if depth > MAX_DEPTH:
                return event.start_mark
        elif isinstance(event, _CLOSE):
            depth -= 1
    return None


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

    def build(self, node: yaml.Node, depth: int = 1) -> Any:
        if depth > MAX_DEPTH and isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            self._fail(node, "yaml-depth", f"the values here are nested more than {MAX_DEPTH} levels deep",
                       "content needs only a few levels of lists and fields: check the brackets and the indentation")
            raise _Stop
        if id(node) in self.seen:
            self._fail(node, "yaml-alias", "this value is anchored (&) and used again (*): YAML anchors and "
                       "aliases are not allowed in content", "write the value out in full")
            raise _Stop
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                return self._bad_tag(node)
            return [self.build(item, depth + 1) for item in node.value]
        if node.tag == _STR:
            return node.value
        if node.tag not in _PLAIN_TAGS:
            return self._bad_tag(node)
        return _SCALARS.construct_object(node)

    def _bad_tag(self, node: yaml.Node) -> None:
        self._fail(node, "yaml-tag", f"the YAML tag '{node.tag}' is not allowed in content",
                   "remove the tag: content holds only text, numbers, lists and fields")
        return None

    def _mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any] | None:
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
            result[key] = self.build(value_node, depth + 1)
        return result
