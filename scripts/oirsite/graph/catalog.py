"""The catalog and its reference graph: every entry by id, every reference resolved once.

``resolve`` runs once, after validation: it follows the references in every entry's fields and
the inline ``[[id]]`` references of every entry body and hand-written page, records each with
where it stands, and reports the ones that lead nowhere. Backlinks, "referenced by" lists and
every renderer read the graph; nothing adds to it later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from .. import collections
from ..core.diagnostics import Diagnostics, did_you_mean
from ..read.loader import BrokenEntry, Entry, field_label
from ..read.scan import MarkdownSource, Scan, inline_references
from ..model.fields import data_references, references
from ..read.gitinfo import git_renames
from ..core.paths import PageRef


@dataclass(frozen=True)
class Reference:
    """One reference from a page (an entry's or a hand-written one) to an entry, where it stands."""

    target: str  # the id of the entry referred to
    page: PageRef  # the page it is on
    file: str  # the file an editor changes
    line: int
    col: int
    field: str | None = None  # the front-matter field, or None for an inline [[id]]
    entry: str | None = None  # the id of the referring entry, None for a hand-written page


@dataclass
class Catalog:
    entries: dict[str, Entry] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)
    broken: dict[str, BrokenEntry] = field(default_factory=dict)  # entries with errors: their ids stay claimed
    _by_collection: dict[str, list[Entry]] = field(default_factory=dict)
    _backlinks: dict[str, set[PageRef]] = field(default_factory=dict)
    root: Path | None = None  # the project, for git's memory of renamed files
    _renames: dict[str, str] | None = None  # old id -> new id, from git (see git_renames)
    _derived: dict = field(default_factory=dict)  # what is worked out from the whole catalog, by key

    def derived(self, key: Any, make: Callable[[], Any]) -> Any:
        """What ``make()`` works out from the catalog, once per catalog and ``key`` (a catalog does not
        change once its graph is built): a page that needs the whole graph does not walk it again."""
        if key not in self._derived:
            self._derived[key] = make()
        return self._derived[key]

    @classmethod
    def of(cls, entries: Iterable[Entry], broken: Iterable[BrokenEntry] = ()) -> Catalog:
        catalog = cls({entry.id: entry for entry in entries}, broken={b.id: b for b in broken})
        for entry in catalog.entries.values():
            catalog._by_collection.setdefault(entry.collection, []).append(entry)
        return catalog

    def in_collection(self, collection: str) -> list[Entry]:
        return list(self._by_collection.get(collection, ()))

    def get(self, entry_id: str, collection: str = "*") -> Entry | None:
        entry = self.entries.get(entry_id)
        if entry is None or (collection != "*" and entry.collection != collection):
            return None
        return entry

    def lookup(self, entry_id: str, collection: str, where: tuple[str, int, int], what: str,
               diagnostics: Diagnostics) -> Entry | None:
        """Resolve a reference, or report it with the closest ids as a suggestion."""
        entry = self.entries.get(entry_id)
        if entry is not None and (collection == "*" or entry.collection == collection):
            return entry
        expected = "entry" if collection == "*" else collections.get(collection).singular
        article = "an" if expected[0] in "aeiou" else "a"
        claimed = entry.collection if entry is not None else getattr(self.broken.get(entry_id), "collection", None)
        if claimed == collection or (claimed is not None and collection == "*"):
            return None  # an entry with errors of its own: those are the messages that matter
        if claimed is not None:
            spec = collections.get(claimed)
            diagnostics.error(*where, "wrong-reference-type",
                              f"{what}: '{entry_id}' is {spec.article} {spec.singular}, not {article} {expected}",
                              self.suggest(entry_id, collection))
            return None
        diagnostics.error(*where, "unknown-reference", f"{what}: there is no {expected} with the id '{entry_id}'",
                          self.suggest(entry_id, collection))
        return None

    def suggest(self, entry_id: str, collection: str) -> str:
        """A hint only when it is likely right: the new id of a renamed entry, or a close spelling."""
        renamed = self.renamed_to(entry_id)
        if renamed is not None and (collection == "*" or renamed.collection == collection):
            return f"'{entry_id}' was renamed: write '{renamed.id}'"
        folder = f"content/{collection}/" if collection != "*" else "the folders of content/"
        return did_you_mean(entry_id, [i for i, e in self.entries.items() if collection in ("*", e.collection)],
                            f"the ids are the file names in {folder}")

    def renamed_to(self, entry_id: str) -> Entry | None:
        """The entry that was once called ``entry_id``: from its ``formerly`` list, or from git."""
        for entry in self.entries.values():
            if entry_id in entry.data.formerly:  # type: ignore[attr-defined]
                return entry
        if self._renames is None:  # asked once per build, only when a reference is unknown
            self._renames = git_renames(self.root) if self.root else {}
        new_id = self._renames.get(entry_id)
        return self.entries.get(new_id) if new_id else None

    def add(self, reference: Reference) -> None:
        self.references.append(reference)
        target = self.entries[reference.target]
        if target.page != reference.page.path:
            self._backlinks.setdefault(target.id, set()).add(reference.page)

    def referenced_by(self, entry: Entry) -> list[PageRef]:
        return sorted(self._backlinks.get(entry.id, ()), key=lambda ref: (ref.title.lower(), ref.path))

    def acronyms(self) -> list[tuple[str, str, Entry]]:
        """Every acronym with its expansion and the entry that defines it, in alphabetical order."""
        rows = []
        for entry in self.entries.values():
            pair = entry.spec.acronym(entry.data) if entry.spec.acronym else None
            if pair:
                rows.append((pair[0], pair[1], entry))
        return sorted(rows, key=lambda row: row[0].lower())

    def abbreviations(self) -> dict[str, str]:
        """Every acronym and its expansion, for Markdown's abbreviations (the ``abbr`` extension's
        glossary): each acronym shows its expansion wherever it appears, from the one glossary."""
        return {acronym: expansion for acronym, expansion, _ in self.acronyms()}


def resolve(catalog: Catalog, pages: list[tuple[MarkdownSource, Scan]], diagnostics: Diagnostics) -> None:
    """Build the reference graph: every field reference and every inline reference, resolved or reported."""
    for entry in catalog.entries.values():
        page = entry.page_ref
        for path, collection, target_id in references(entry.data):
            where = (entry.source, *entry.location(path))
            label = field_label(path)
            target = catalog.lookup(target_id, collection, where, f"'{label}'", diagnostics)
            if target is not None:
                catalog.add(Reference(target.id, page, *where, field=label, entry=entry.id))
    for broken in catalog.broken.values():  # an entry with errors: its other references still count
        spec = collections.get(broken.collection)
        for path, collection, target_id in data_references(spec.model, broken.data):
            location = broken.positions.of_value(path) if broken.positions else (1, 1)
            catalog.lookup(target_id, collection, (broken.source, *location), f"'{field_label(path)}'", diagnostics)
    for source, scan in pages:
        for offset, target_id, where in inline_references(source, scan):
            target = scan.targets[offset] = catalog.lookup(target_id, "*", where, f"reference [[{target_id}]]",
                                                           diagnostics)
            if target is not None:
                catalog.add(Reference(target.id, source.page, *where, entry=source.entry))
