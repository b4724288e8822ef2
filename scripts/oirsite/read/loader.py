"""Loading ``content/``: one file per entry, the folder its collection, the file name its id, its YAML
validated by its collection's model. Every problem is reported at its file, line and column in plain
words (never pydantic's own wording), and loading goes on with the next file.
"""

from __future__ import annotations

import os
import re
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
from ..model.fields import ID_PATTERN, MAX_ID_LENGTH, Strict, fields_at
from .source import SourceFile, read_source, split_front_matter
from .yamlread import Positions, parse_yaml

if TYPE_CHECKING:
    from ..collections import CollectionSpec

SLUG = re.compile(ID_PATTERN)
SUFFIXES = {".md", ".yml", ".yaml"}
RESERVED_IDS = {"index"}  # each collection's index page is <collection>/index.md


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
