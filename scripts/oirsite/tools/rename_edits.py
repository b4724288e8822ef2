"""Editing files in place for ``oirsite.tools.rename``: one file's bytes and lines, an id replaced at a
verified position, a ``formerly`` line added, the YAML compared before and after, atomic writes
and their rollback. (Why edits at positions rather than a round-trip YAML library: ``rename``.)"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..core.diagnostics import Diagnostics
from ..core.text import LINE_BREAK as _LINE_BREAK, LineIndex, normalize_newlines, position
from ..read.source import front_matter_bounds
from ..read.yamlread import parse_yaml


class RenameError(Exception):
    """Why a rename cannot be done; nothing has been changed when it is raised."""


@dataclass
class EditedFile:
    """One file as it is on disk: its bytes, and its text split into lines with their breaks."""

    path: str  # relative to the root, with forward slashes
    data: bytes
    bom: str
    text: str  # without the byte-order mark, line breaks as they are
    starts: list[int]  # the offset in ``text`` at which each line starts
    edits: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, replacement)

    @classmethod
    def read(cls, root: Path, path: str) -> EditedFile:
        data = (root / path).read_bytes()
        text = data.decode("utf-8")
        bom = "\ufeff" if text.startswith("\ufeff") else ""
        text = text[len(bom):]
        return cls(path, data, bom, text, LineIndex(text).starts)

    def offset(self, line: int, col: int) -> int:
        """The offset of (line, column), both from 1, columns counted in characters."""
        if not 1 <= line <= len(self.starts):
            raise RenameError(f"{self.path}:{line}: this line does not exist")
        return self.starts[line - 1] + col - 1

    def line_text(self, line: int) -> str:
        """The line without its line break."""
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        return _LINE_BREAK.sub("", self.text[self.starts[line - 1]:end])

    def line_break(self, line: int | None = None) -> str:
        """The line break of ``line`` (or the file's first), "\\n" when there is none."""
        if line is not None:
            match = _LINE_BREAK.search(self.text, self.starts[line - 1])
            if match and (line >= len(self.starts) or match.start() < self.starts[line]):
                return match.group(0)
        match = _LINE_BREAK.search(self.text)
        return match.group(0) if match else "\n"

    def edit(self, start: int, end: int, replacement: str) -> None:
        if any(s == start and e == end for s, e, _ in self.edits):
            return  # the same place found twice: one edit
        self.edits.append((start, end, replacement))

    def new_text(self) -> str:
        text, done, parts = self.text, 0, []
        for start, end, replacement in sorted(self.edits):
            if start < done:
                raise RenameError(f"{self.path}: two changes overlap at offset {start}")
            parts += [text[done:start], replacement]
            done = end
        parts.append(text[done:])
        return self.bom + "".join(parts)


def replace_value(source: EditedFile, line: int, col: int, old: str, new: str) -> None:
    """A front-matter value at (line, col): the id, plain or quoted (the node starts at the quote)."""
    start = source.offset(line, col)
    text = source.text
    quote = text[start:start + 1]
    at = start + 1 if quote in ("'", '"') else start
    end = at + len(old)
    after = text[end:end + 1]
    closed = after == quote if quote in ("'", '"') else (after == "" or not re.match(r"[\w-]", after))
    if text[at:end] != old or not closed:
        raise RenameError(f"{source.path}:{line}:{col}: expected the id '{old}' here, found "
                          f"'{source.line_text(line)[col - 1:col + len(old) + 1]}': change this file by hand")
    source.edit(at, end, new)


_INLINE = re.compile(r"\[\[[ \t]*([^\[\]|\n]*?)[ \t]*(?:\||\]\])")


def replace_inline(source: EditedFile, line: int, col: int, old: str, new: str) -> None:
    """An inline reference at (line, col): ``[[id]]`` or ``[[id|text]]``, spaces allowed around the id."""
    start = source.offset(line, col)
    match = _INLINE.match(source.text, start)
    if match is None or match.group(1) != old:
        raise RenameError(f"{source.path}:{line}:{col}: expected [[{old}]] here: change this file by hand")
    source.edit(match.start(1), match.end(1), new)


def add_former_id(source: EditedFile, entry: Any, old: str) -> None:
    """Add ``old`` to the entry's ``formerly`` list: into the list when there is one (flow or block),
    else as a new line ``formerly: [old]`` at the end of its fields."""
    root_node = entry.positions.root
    line_offset = entry.positions.line_offset

    def where(mark: yaml.Mark) -> int:
        return source.offset(mark.line + 1 + line_offset, mark.column + 1)

    value = next((v for k, v in root_node.value if isinstance(k, yaml.ScalarNode) and k.value == "formerly"), None)
    if isinstance(value, yaml.SequenceNode) and value.flow_style:
        close = where(value.end_mark) - 1  # the ']'
        if source.text[close] != "]":
            raise RenameError(f"{source.path}: cannot find the end of the 'formerly' list: add '{old}' to it by hand")
        before = source.text[:close].rstrip()
        separator = "" if before.endswith("[") else (" " if before.endswith(",") else ", ")
        source.edit(len(before), len(before), separator + old)
        return
    if isinstance(value, yaml.SequenceNode) and value.value:
        last = value.value[-1]
        line = last.start_mark.line + 1 + line_offset
        prefix = source.line_text(line)[:last.start_mark.column]
        if prefix.strip() != "-":
            raise RenameError(f"{source.path}:{line}: cannot add to the 'formerly' list: add '{old}' to it by hand")
        end = source.starts[line] if line < len(source.starts) else len(source.text)
        break_ = source.line_break(line)
        lead = break_ if end == len(source.text) and not source.text.endswith(("\n", "\r")) else ""
        source.edit(end, end, f"{lead}{prefix}{old}{break_}")
        return
    if value is not None:
        raise RenameError(f"{source.path}: 'formerly' should be a list: fix it, then rename again")
    line_break = source.line_break()
    new_line = f"formerly: [{old}]{line_break}"
    if source.path.endswith(".md"):
        normalized = normalize_newlines(source.text)
        at = source.starts[position(normalized, front_matter_bounds(normalized)[1])[0] - 1]
        source.edit(at, at, new_line)
    else:
        end = len(source.text)
        lead = "" if not source.text or source.text.endswith(("\n", "\r")) else line_break
        source.edit(end, end, lead + new_line)


def same_yaml(source: EditedFile, new_text: str, old: str, new: str, renamed: bool) -> None:
    """The YAML of ``new_text`` holds the same values as the old text, apart from the id and, in
    the renamed entry, the added former id: a safety net under the edits above."""
    def values(text: str) -> Any:
        text = normalize_newlines(text.lstrip("\ufeff"))
        if source.path.endswith(".md"):
            bounds = front_matter_bounds(text)
            if bounds is None:
                return None
            text = text[bounds[0]:bounds[1]]
        parsed = parse_yaml(text, source.path, Diagnostics())
        return None if parsed is None else parsed[0]

    def normal(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: normal(v) for k, v in value.items()}
        if isinstance(value, list):
            return [normal(v) for v in value]
        return new if value == old else value

    before, after = values(source.text), values(new_text)
    if before is None and after is None and not renamed:
        return  # a page without front matter: its references are in the Markdown only
    if isinstance(before, dict) and isinstance(after, dict) and renamed:
        formerly_before = list(before.pop("formerly", []) or [])
        formerly_after = after.pop("formerly", None)
        if formerly_after != formerly_before + [old]:
            after = None
    if after is None or normal(before) != normal(after):
        raise RenameError(f"{source.path}: the change would alter more than the id (an unusual layout): "
                          "rename this entry by hand")


def roll_back(written: list[tuple[Path, bytes | None]]) -> None:
    for target, previous in reversed(written):
        if previous is None:
            target.unlink(missing_ok=True)
        else:
            write_atomic(target, previous, None)


def write_atomic(target: Path, data: bytes, like: Path | None) -> None:
    """Write ``data`` into ``target`` through a temporary file in the same folder (with the mode of
    ``like`` when it exists), so that a reader sees the old file or the new one, never half."""
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        mode = (like if like is not None and like.exists() else target if target.exists() else None)
        os.chmod(temporary, mode.stat().st_mode & 0o7777 if mode else 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
