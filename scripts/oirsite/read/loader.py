"""Loading ``content/``: one file per entry, the folder its collection, the file name its id.

Every problem is reported with its file, line and column, and loading goes on with the next
file, so that one run lists everything.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from .. import collections
from ..core.diagnostics import Diagnostics, did_you_mean
from ..core.memo import Memo
from ..model.fields import ID_PATTERN, MAX_ID_LENGTH, Strict
from .validation import validate
from .source import SourceFile, read_source, split_front_matter
from .yamlread import Positions, parse_yaml

if TYPE_CHECKING:
    from ..core.paths import PageRef
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

    @property
    def key(self) -> tuple[str, str]:
        return self.collection, self.id

    @cached_property
    def spec(self) -> CollectionSpec:
        from .. import collections
        return collections.get(self.collection)

    @cached_property
    def title(self) -> str:
        """How the entry is named in links and lists."""
        return self.spec.display_name(self.data)

    @cached_property
    def page(self) -> str:
        """Where the entry's page lives in the site, as a Markdown source path (an anchor for
        entries without a page of their own)."""
        return self.spec.page_path(self.id)

    @cached_property
    def page_ref(self) -> PageRef:
        """The page the entry is shown on, as the referring page of its references."""
        from ..core.paths import PageRef
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
    """Load every entry under ``root/content_dir``, reporting what is wrong and skipping it.

    Entries with errors are appended to ``broken`` (when given): they keep their ids. With a
    ``cache``, a file whose text has not changed since the last load is not parsed again (keyed by
    its path and text, not its time stamp: two saves within one tick of the file system's clock
    are still told apart)."""
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
        return _parse(source, rel, collection, entry_id, file.suffix, diagnostics)
    key = (rel, source.text)
    kept = cache.recall(key)
    if kept is None:
        found = Diagnostics()
        kept = cache.keep(key, (_parse(source, rel, collection, entry_id, file.suffix, found), found))
    result, found = kept
    diagnostics.extend(found)
    return result


def _parse(source: SourceFile, rel: str, collection: str, entry_id: str, suffix: str,
           diagnostics: Diagnostics) -> Entry | BrokenEntry:
    """An entry from the text of its file: a function of that text alone."""
    spec = collections.get(collection)
    broken = BrokenEntry(collection, entry_id, rel)
    body, body_line, yaml_text, yaml_line = "", 0, source.text, 1
    if suffix == ".md":
        front = split_front_matter(source, diagnostics)
        if front is None:
            return broken
        body, body_line, yaml_text, yaml_line = front.body, front.body_line, front.yaml_text, front.yaml_line
    parsed = parse_yaml(yaml_text, rel, diagnostics, first_line=yaml_line)
    if parsed is None:
        return broken
    data, positions = parsed
    broken = BrokenEntry(collection, entry_id, rel, positions, data)
    if data is None:
        what = "front matter" if suffix == ".md" else "file"
        diagnostics.error(rel, 1, 1, "empty", f"the {what} has no fields",
                          f"{spec.article} {spec.singular} needs at least: "
                          + ", ".join(_required_fields(spec.model)))
        return broken
    if not isinstance(data, dict):
        diagnostics.error(rel, *positions.of_value(()), "not-a-mapping",
                          f"the file must hold fields ('name: value'), not {_kind_of(data)}")
        return broken
    model = validate(spec.model, data, positions, source, diagnostics)
    if model is None:
        return broken
    return Entry(collection, entry_id, model, rel, positions, body, body_line, source.text)


def _required_fields(model: type[BaseModel]) -> list[str]:
    return [name for name, info in model.model_fields.items() if info.is_required()]


def _kind_of(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    return "plain text" if isinstance(value, str) else f"a single value ({value!r})"


