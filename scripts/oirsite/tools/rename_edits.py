"""Editing one file in place for ``rename``: an id replaced at a verified position, a ``formerly``
line added, the YAML compared before and after, and an atomic write. (Why positions rather than a
round-trip YAML library: ``rename``.)"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml

from ..core.diagnostics import Diagnostics
from ..core.text import LINE_BREAK, LineIndex, normalize_newlines, position
from ..read.source import front_matter_bounds
from ..read.yamlread import parse_yaml

# [[id]] or [[id|: the id without the blanks around it; possessive runs, and blanks join the id only where
# more of it follows, so that no blank is tried twice (a lazy id before blanks took quadratic time).
_INLINE = re.compile(r"\[\[[ \t]*+((?:[^\[\]|\n \t]++|[ \t]++(?=[^\[\]|\n \t]))*+)[ \t]*+(?:\||\]\])")


class RenameError(Exception):
    """Why a rename cannot be done; nothing has been changed when it is raised."""


class EditedFile:
    """One file as it is on disk (its bytes; its text without a byte-order mark) and the edits to make."""

    def __init__(self, root: Path, path: str):
        self.path, self.data = path, (root / path).read_bytes()  # path: relative to the root, forward slashes
        text = self.data.decode("utf-8")
        self.bom = "\ufeff" if text.startswith("\ufeff") else ""
        self.text = text[len(self.bom):]
        self.starts = LineIndex(self.text).starts
        first_break = LINE_BREAK.search(self.text)
        self.newline = first_break.group(0) if first_break else "\n"
        self.edits: dict[tuple[int, int], str] = {}  # (start, end) -> replacement

    def offset(self, line: int, col: int) -> int:
        if not 1 <= line <= len(self.starts):
            raise RenameError(f"{self.path}:{line}: this line does not exist")
        return self.starts[line - 1] + col - 1

    def line(self, number: int) -> tuple[str, str]:
        """The text of line ``number`` and its line break ("" for a last line without one)."""
        end = self.starts[number] if number < len(self.starts) else len(self.text)
        whole = self.text[self.starts[number - 1]:end]
        text = LINE_BREAK.sub("", whole)
        return text, whole[len(text):]

    def edit(self, start: int, end: int, replacement: str) -> None:
        self.edits.setdefault((start, end), replacement)  # the same place found twice: one edit

    def new_text(self) -> str:
        done, parts = 0, []
        for (start, end), replacement in sorted(self.edits.items()):
            if start < done:
                raise RenameError(f"{self.path}: two changes overlap at offset {start}")
            parts += [self.text[done:start], replacement]
            done = end
        return self.bom + "".join(parts) + self.text[done:]


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
                          f"'{source.line(line)[0][col - 1:col + len(old) + 1]}': change this file by hand")
    source.edit(at, end, new)


def replace_inline(source: EditedFile, line: int, col: int, old: str, new: str) -> None:
    """An inline reference at (line, col): ``[[id]]`` or ``[[id|text]]``, spaces allowed around the id."""
    match = _INLINE.match(source.text, source.offset(line, col))
    if match is None or match.group(1) != old:
        raise RenameError(f"{source.path}:{line}:{col}: expected [[{old}]] here: change this file by hand")
    source.edit(match.start(1), match.end(1), new)


def add_former_id(source: EditedFile, entry: Any, old: str) -> None:
    """Add ``old`` to the entry's ``formerly`` list: into the list when there is one (flow or block),
    else as a new line ``formerly: [old]`` at the end of its fields."""
    line_offset = entry.positions.line_offset
    value = next((v for k, v in entry.positions.root.value
                  if isinstance(k, yaml.ScalarNode) and k.value == "formerly"), None)
    if isinstance(value, yaml.SequenceNode) and value.flow_style:
        close = source.offset(value.end_mark.line + 1 + line_offset, value.end_mark.column + 1) - 1  # the ']'
        if source.text[close] != "]":
            raise RenameError(f"{source.path}: cannot find the end of the 'formerly' list: add '{old}' to it by hand")
        before = source.text[:close].rstrip()
        separator = "" if before.endswith("[") else (" " if before.endswith(",") else ", ")
        source.edit(len(before), len(before), separator + old)
    elif isinstance(value, yaml.SequenceNode) and value.value:
        last = value.value[-1]
        line = last.start_mark.line + 1 + line_offset
        text, line_break = source.line(line)
        prefix = text[:last.start_mark.column]
        if prefix.strip() != "-":
            raise RenameError(f"{source.path}:{line}: cannot add to the 'formerly' list: add '{old}' to it by hand")
        end = source.starts[line - 1] + len(text) + len(line_break)
        lead = "" if line_break else source.newline  # a last line without a break gets one first
        source.edit(end, end, f"{lead}{prefix}{old}{line_break or source.newline}")
    elif value is not None:
        raise RenameError(f"{source.path}: 'formerly' should be a list: fix it, then rename again")
    elif source.path.endswith(".md"):
        normalized = normalize_newlines(source.text)
        at = source.starts[position(normalized, front_matter_bounds(normalized)[1])[0] - 1]
        source.edit(at, at, f"formerly: [{old}]{source.newline}")
    else:
        lead = "" if not source.text or source.text.endswith(("\n", "\r")) else source.newline
        source.edit(len(source.text), len(source.text), f"{lead}formerly: [{old}]{source.newline}")


def same_yaml(source: EditedFile, new_text: str, old: str, new: str, renamed: bool) -> None:
    """A safety net under the edits: the YAML of ``new_text`` holds the same values as the old text,
    apart from the id and, in the renamed entry, the added former id."""
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
        if after.pop("formerly", None) != list(before.pop("formerly", []) or []) + [old]:
            after = None
    if after is None or normal(before) != normal(after):
        raise RenameError(f"{source.path}: the change would alter more than the id (an unusual layout): "
                          "rename this entry by hand")


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
