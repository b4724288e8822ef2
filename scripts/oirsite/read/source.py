"""Reading content files and pages safely: bytes to text, and the front matter of Markdown files (its
YAML is read by ``oirsite.read.yamlread``).

Every file is text: at most ``MAX_FILE_BYTES``, valid UTF-8, no control characters other than tab
and line breaks, no Unicode noncharacters, and (symbolic links resolved) inside the project.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from ..core.diagnostics import Diagnostics
from ..core.text import normalize_newlines, position

MAX_FILE_BYTES = 1_000_000  # a content file or page of 1 MB is a mistake (a pasted binary, a generated dump)

# Control characters (C0 but tab, line feed and carriage return; DEL; C1) and the noncharacters of
# every plane: never text an editor means, and XML (the feed), calendars and HTML reject or mangle them.
# (The noncharacters beyond the first plane, U+1FFFE, U+1FFFF ... U+10FFFF, are looked for apart: a
# class that lists them makes every search ten times slower.)
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_CONTROL_NAMES = {0x00: "NUL", 0x08: "backspace", 0x0B: "vertical tab", 0x0C: "form feed", 0x1B: "escape",
                  0x7F: "delete"}


def not_text(text: str) -> list[int]:
    """The offsets of the characters of ``text`` that are not text (see above)."""
    found = [m.start() for m in _NOT_TEXT.finditer(text)]
    if _ASTRAL.search(text):
        found += [m.start() for m in _ASTRAL.finditer(text) if ord(m.group()) & 0xFFFE == 0xFFFE]
        found.sort()
    return found


def describe_char(char: str) -> str:
    code = ord(char)
    name = _CONTROL_NAMES.get(code) or ("a noncharacter" if code >= 0xFDD0 else "half of a character pair"
                                        if 0xD800 <= code <= 0xDFFF else "a control character")
    return f"U+{code:04X}, {name}"


_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)
_MKDOCS_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)  # MkDocs's own


def front_matter_bounds(text: str, mkdocs: bool = False) -> tuple[int, int, int] | None:
    """Where the YAML between the opening '---' line and the closing one starts and ends, and where
    the body starts; None if ``text`` (newlines normalized) has no closed front matter. ``mkdocs``:
    by MkDocs's rule instead (which also closes with '...', and needs a line break after it)."""
    if mkdocs:
        match = _MKDOCS_FRONT_MATTER.match(text)
        return match and (match.start(1), match.end(1), match.end())
    if not _FENCE.match(text):
        return None
    first_end = text.find("\n") + 1 if "\n" in text else len(text)
    closing = _FENCE.search(text, first_end)
    return None if closing is None else (first_end, closing.start(), closing.end() + 1)


@dataclass
class SourceFile:
    path: str  # relative to the project root, with forward slashes: what messages print
    text: str


def read_source(file: Path, root: Path, diagnostics: Diagnostics, rel: str | None = None,
                is_symlink: bool | None = None) -> SourceFile | None:
    """Read ``file`` as UTF-8 text (a BOM and CRLF line endings are accepted), or report why not (see
    the module's docstring). ``rel`` and ``is_symlink`` may be passed when already known."""
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
        before = data[:exc.start].decode("utf-8", "replace")
        line, col = position(before, len(before))
        diagnostics.error(rel, line, col, "encoding", f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                          "save the file with UTF-8 encoding")
        return None
    text = normalize_newlines(text)
    bad = not_text(text)
    if bad:
        line, col = position(text, bad[0])
        others = f" (and {len(bad) - 1} more in the file)" if len(bad) > 1 else ""
        diagnostics.error(rel, line, col, "control-character",
                          f"an invisible character that is not text ({describe_char(text[bad[0]])}) is here{others}",
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


def split_front_matter(source: SourceFile, diagnostics: Diagnostics) -> tuple[str, str, int] | None:
    """A Markdown file's YAML front matter (from its line 2), its body and the line the body starts on."""
    text = source.text
    if not _FENCE.match(text):
        diagnostics.error(source.path, 1, 1, "front-matter", "the file does not start with front matter",
                          "begin the file with a line '---', the fields, then another line '---'")
        return None
    bounds = front_matter_bounds(text)
    if bounds is None:
        diagnostics.error(source.path, 1, 1, "front-matter", "the front matter is never closed",
                          "add a line '---' after the last field")
        return None
    start, end, body_start = bounds
    return text[start:end], text[body_start:], position(text, min(body_start, len(text)))[0]
