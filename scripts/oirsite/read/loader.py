"""Loading ``content/``: one file per entry, the folder its collection, the file name its id, its YAML
validated by its collection's model; and the kept text of the seed pages (``records/``).

Every file is text: at most ``MAX_FILE_BYTES``, valid UTF-8, no control characters but tab and line
breaks, no Unicode noncharacters, and (symbolic links resolved) inside the project. Every problem is
reported at its file, line and column in plain words (never pydantic's own), and loading goes on.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from .. import collections
from ..core.diagnostics import Diagnostics, did_you_mean
from ..core.memo import Memo
from ..core.paths import PageRef
from ..core.text import normalize_newlines, position
from ..model.fields import ID_PATTERN, MAX_ID_LENGTH, Strict, fields_at
from .yamlread import FENCE, Positions, describe_char, front_matter_bounds, not_text, parse_yaml

if TYPE_CHECKING:
    from ..collections import CollectionSpec

SLUG = re.compile(ID_PATTERN)
SUFFIXES = {".md", ".yml", ".yaml"}
RESERVED_IDS = {"index"}  # each collection's index page is <collection>/index.md
MAX_FILE_BYTES = 1_000_000  # a content file or page of 1 MB is a mistake (a pasted binary, a generated dump)
RECORDS_DIR = "records"
MAX_RECORD_BYTES = 1_000_000


@dataclass(eq=False)
class Entry:
    """One validated content entry. It knows its collection's spec, its title and its page once."""

    collection: str
    id: str
    data: Strict
    source: str  # path of the file, relative to the project root
    positions: Positions
    body: str = ""
    body_line: int = 0  # the line of the file on which the Markdown body starts
    text: str = field(default="", repr=False)  # the whole file, for quick tests before a walk over the fields

    @cached_property
    def spec(self) -> CollectionSpec:
        return collections.get(self.collection)

    @cached_property
    def title(self) -> str:
        """How the entry is named in links and lists."""
        return self.spec.display_name(self.data)

    @cached_property
    def page(self) -> str:
        """The entry's page as a Markdown source path (an anchor for entries without a page of their own)."""
        return self.spec.page_path(self.id)

    @cached_property
    def page_ref(self) -> PageRef:
        """The page the entry is shown on, as the referring page of its references."""
        return PageRef(self.page.split("#")[0], self.title)

    def location(self, field_path: tuple) -> tuple[int, int]:
        return self.positions.of_value(field_path)


@dataclass(frozen=True)
class BrokenEntry:
    """An entry whose file names a valid id but holds errors (already reported). It still claims
    its id, so references to it are not reported again: one mistake gives one message."""

    collection: str
    id: str
    source: str
    positions: Positions | None = None
    data: Any = None  # the fields as read, when the file could be read


# Letters that Unicode does not decompose into a base letter and a mark.
_LETTERS = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
                          "ı": "i", "ħ": "h", "ŋ": "n", "ſ": "s", "ĸ": "k", "’": "", "'": ""})


def slugify(text: str) -> str:
    """An id made from a name: ASCII letters and digits joined by single hyphens
    ("Médecins Sans Frontières" -> "medecins-sans-frontieres", "Straße" -> "strasse")."""
    plain = unicodedata.normalize("NFKD", text.lower().translate(_LETTERS))
    ascii_text = plain.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def load_content(root: Path, diagnostics: Diagnostics, content_dir: str = "content",
                 broken: list[BrokenEntry] | None = None, cache: Memo | None = None) -> list[Entry]:
    """Every entry under ``root/content_dir``; what is wrong is reported and skipped, entries with errors
    go to ``broken`` (they keep their ids). With a ``cache``, a file whose text is unchanged is not parsed
    again (keyed by path and text, not time stamp: two saves within one clock tick are told apart)."""
    base = root / content_dir
    if not base.is_dir():
        diagnostics.error(content_dir, 1, 1, "no-content", f"the content folder '{content_dir}' does not exist")
        return []
    specs = collections.registry()
    entries: list[Entry] = []
    seen: dict[str, str] = {}  # id in lowercase -> the file that first claimed it
    for folder in sorted(base.iterdir()):
        rel_folder = folder.relative_to(root).as_posix()
        if folder.name.startswith((".", "_")):
            continue
        if not folder.is_dir():
            diagnostics.error(rel_folder, 1, 1, "misplaced-file", "content files belong in a collection folder",
                              f"move it into one of: {', '.join(specs)}")
            continue
        if folder.name not in specs:
            diagnostics.error(rel_folder, 1, 1, "unknown-collection", f"'{folder.name}' is not a collection",
                              did_you_mean(folder.name, specs, "the collections are: " + ", ".join(specs)))
            continue
        with os.scandir(folder) as scan:
            files = sorted(scan, key=lambda item: item.name)
        for item in files:
            if item.name.startswith("."):
                continue
            rel = f"{rel_folder}/{item.name}"
            stem, suffix = os.path.splitext(item.name)
            if suffix in SUFFIXES:  # ids are unique across collections, whatever their case
                first = seen.get(stem.lower())
                if first is not None:
                    diagnostics.error(rel, 1, 1, "duplicate-id", f"the id '{stem}' is already used by {first}",
                                      "ids are unique across all collections (whatever their case): rename one file")
                    continue
                seen[stem.lower()] = rel
            entry = _load_file(item, rel, folder.name, root, diagnostics, cache)
            if isinstance(entry, Entry):
                entries.append(entry)
            elif entry is not None and broken is not None:
                broken.append(entry)
    return entries


def _load_file(item: os.DirEntry, rel: str, collection: str, root: Path,
               diagnostics: Diagnostics, cache: Memo | None = None) -> Entry | BrokenEntry | None:
    file = Path(item.path)
    if item.is_dir(follow_symlinks=False):
        diagnostics.error(rel, 1, 1, "misplaced-file", "collections hold files, not folders",
                          "move the files in this folder up one level")
        return None
    if file.suffix not in SUFFIXES:
        diagnostics.error(rel, 1, 1, "file-type", f"'{file.name}' is neither Markdown (.md) nor YAML (.yml)",
                          "rename the file, or move it out of content/")
        return None
    entry_id = file.stem
    if entry_id in RESERVED_IDS:
        diagnostics.error(rel, 1, 1, "bad-id", f"the id '{entry_id}' is the address of a page the site makes "
                          f"({collection}/{entry_id}.md): the entry would replace it or be replaced by it",
                          "rename the file, for example with a word from its title")
        return None
    if len(entry_id) > MAX_ID_LENGTH:
        diagnostics.error(rel, 1, 1, "bad-id", f"the id (the file name) is {len(entry_id)} characters long: "
                          f"an id has at most {MAX_ID_LENGTH}", "rename the file to a shorter id, a few words long")
        return None
    if not SLUG.match(entry_id):
        suggestion = slugify(entry_id)
        diagnostics.error(rel, 1, 1, "bad-id", f"the file name '{entry_id}' is not a valid id",
                          "ids are lowercase letters, digits and single hyphens"
                          + (f": rename the file to '{suggestion}{file.suffix}'" if suggestion else ""))
        return None
    source = read_source(file, root, diagnostics, rel, item.is_symlink())
    if source is None:
        return BrokenEntry(collection, entry_id, rel)
    if cache is None:
        return _parse(source, collection, entry_id, file.suffix, diagnostics)
    key = (rel, source.text)
    kept = cache.recall(key)
    if kept is None:
        found = Diagnostics()
        kept = cache.keep(key, (_parse(source, collection, entry_id, file.suffix, found), found))
    result, found = kept
    diagnostics.extend(found)
    return result


def _parse(source: SourceFile, collection: str, entry_id: str, suffix: str,
           diagnostics: Diagnostics) -> Entry | BrokenEntry:
    """An entry from the text of its file: a function of that text alone."""
    rel, spec = source.path, collections.get(collection)
    broken = BrokenEntry(collection, entry_id, rel)
    yaml_text, body, body_line = source.text, "", 0
    if suffix == ".md":
        front = split_front_matter(source, diagnostics)
        if front is None:
            return broken
        yaml_text, body, body_line = front
    parsed = parse_yaml(yaml_text, rel, diagnostics, first_line=2 if suffix == ".md" else 1)
    if parsed is None:
        return broken
    data, positions = parsed
    broken = BrokenEntry(collection, entry_id, rel, positions, data)
    if data is None:
        required = [name for name, info in spec.model.model_fields.items() if info.is_required()]
        diagnostics.error(rel, 1, 1, "empty", f"the {'front matter' if suffix == '.md' else 'file'} has no fields",
                          f"{spec.article} {spec.singular} needs at least: " + ", ".join(required))
        return broken
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "plain text" if isinstance(data, str) else \
            f"a single value ({data!r})"
        diagnostics.error(rel, *positions.of_value(()), "not-a-mapping",
                          f"the file must hold fields ('name: value'), not {kind}")
        return broken
    model = validate(spec.model, data, positions, rel, diagnostics)
    if model is None:
        return broken
    return Entry(collection, entry_id, model, rel, positions, body, body_line, source.text)


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
    if not FENCE.match(text):
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


def field_label(path: tuple) -> str:
    label = ""
    for part in path:
        label += f"[{part}]" if isinstance(part, int) else (f".{part}" if label else str(part))
    return label or "the file"


def validate(model: type[Strict], data: dict, positions: Positions, file: str,
             diagnostics: Diagnostics) -> Strict | None:
    """Validate ``data`` into ``model``; translate every pydantic error into a located diagnostic."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = [(_data_path(error["loc"], data, error["type"]), error) for error in exc.errors(include_url=False)]
        paths = {path for path, _ in errors}
        reported: set[tuple] = set()
        for path, error in errors:
            if path in reported:  # a union reports once per alternative; one message is enough
                continue
            if any(other[:len(path)] == path and len(other) > len(path) for other in paths):
                continue  # another alternative of a union got further into the value: its message is the one
            reported.add(path)
            _report(error, path, model, positions, file, diagnostics)
        return None


def _data_path(loc: tuple, data: Any, kind: str) -> tuple:
    """The part of a pydantic ``loc`` that names keys and indexes of ``data`` (and a missing or unknown
    field's name; any other name is a union member's, such as 'str')."""
    path: list = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif (kind in ("missing", "extra_forbidden") and isinstance(node, dict) and isinstance(part, str)
              and part not in node and len(path) == len(loc) - 1):
            path.append(part)  # a missing or unknown field: its name is the last part
            break
        else:
            continue  # a union member's name, such as 'str' or 'Open'
        path.append(part)
    return tuple(path)


_MESSAGES = {
    "string_too_short": "this is empty: write a value",
    "model_type": "this should be a group of fields ('name: value' lines, indented)",
    "dict_type": "this should be a group of fields ('name: value' lines, indented)",
    "list_type": "this should be a list (lines starting with '- ')",
    "string_type": "this should be text (put it in quotes if it looks like a number or a date)",
    "int_type": "this should be a whole number",
    "int_parsing": "this should be a whole number",
}
_PATTERN_MESSAGES = {
    "url": "an address must start with https://",
    "website": "an address must start with https://",
    "email": "this is not an e-mail address",
    "years": "write a year (2020) or a span of years (2020–2021)",
    "credentials": "a credential is a short abbreviation such as MD or MHA",
    "tags": "a tag is a short phrase of letters, digits, spaces, hyphens and apostrophes",
    "reviewed": "write the day as YYYY-MM-DD, for example 2024-05-27",
    "consulted": "write the day as YYYY-MM-DD, for example 2024-05-27",
    "formerly": "a former id is lowercase letters, digits and single hyphens",
    "sources": "a source is the id of a file in content/sources/",
}


def _report(error: dict, path: tuple, model: type[BaseModel], positions: Positions, file: str,
            diagnostics: Diagnostics) -> None:
    kind = error["type"]
    label = field_label(path)
    if kind == "missing":
        diagnostics.error(file, *positions.of_value(path[:-1]), "missing-field",
                          f"the required field '{label}' is missing", f"add a line '{path[-1]}: ...'")
    elif kind == "extra_forbidden":
        known = fields_at(model, path[:-1])
        diagnostics.error(file, *positions.of_key(path), "unknown-field", f"unknown field '{label}'",
                          did_you_mean(str(path[-1]), known, "the fields here are: " + ", ".join(known)))
    else:
        if kind == "string_pattern_mismatch":
            name = next((p for p in reversed(path) if isinstance(p, str)), "")
            message = _PATTERN_MESSAGES.get(name, "this value has the wrong form")
        elif kind == "literal_error":
            expected = error.get("ctx", {}).get("expected", "")
            message = f"'{error['input']}' is not allowed here; write one of: {expected}"
        else:
            message = _MESSAGES.get(kind) or str(error["msg"]).removeprefix("Value error, ").replace(
                "Input should be", "this should be")
        diagnostics.error(file, *positions.of_value(path), "invalid-value", f"'{label}': {message}")


# Typographic quotes and dashes read as their plain forms: an editor types ' where the page has ’.
_PLAIN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                        "\u2014": "-", "\u00a0": " "})


def comparable(text: str) -> str:
    """``text`` as locators are matched: plain quotes and dashes, one space for any run of blanks, case folded."""
    return re.sub(r"\s+", " ", text.translate(_PLAIN)).strip().casefold()


def read_records(root: Path, sources: list[Entry], diagnostics: Diagnostics) -> dict[str, str]:
    """Source id -> the comparable text of its record (the seed page the content was made from); one
    that cannot be read is an error at the source's ``record:`` line."""
    records: dict[str, str] = {}
    for entry in sources:
        name = getattr(entry.data, "record", None)
        if not name:
            continue
        file = root / RECORDS_DIR / name
        problem = None
        if not file.is_file() or file.is_symlink():
            problem = f"there is no file {RECORDS_DIR}/{name}"
        elif file.stat().st_size > MAX_RECORD_BYTES:
            problem = f"{RECORDS_DIR}/{name} is larger than {MAX_RECORD_BYTES:,} bytes"
        else:
            try:
                records[entry.id] = comparable(file.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                problem = f"{RECORDS_DIR}/{name} cannot be read as UTF-8 text"
        if problem:
            diagnostics.error(entry.source, *entry.location(("record",)), "missing-record", problem,
                              f"keep the page's text in {RECORDS_DIR}/ under that name, or correct the name")
    return records
