"""The catalog: every entry by id, references resolved or reported, backlinks computed once."""

from __future__ import annotations

from dataclasses import dataclass, field

from .diagnostics import Diagnostics, did_you_mean
from .loader import Entry, field_label
from .models import COLLECTIONS, Committee, Event, Organization, Person, Term, references


def display_name(entry: Entry) -> str:
    """How an entry is named in links and lists."""
    data = entry.data
    if isinstance(data, Person):
        return data.display_name
    if isinstance(data, Organization):
        return data.name
    if isinstance(data, Committee):
        return f"{data.name} ({data.acronym})"
    if isinstance(data, Term):
        return data.term
    return getattr(data, "title")


def page_path(entry: Entry) -> str:
    """Where the entry's page lives in the site, as a Markdown source path."""
    if isinstance(entry.data, Term):
        return f"glossary/index.md#{entry.id}"
    return f"{entry.collection}/{entry.id}.md"


@dataclass(frozen=True)
class PageRef:
    """A page that refers to an entry: for the "Referenced by" lists."""

    path: str  # site source path of the referring page
    title: str


@dataclass
class Catalog:
    entries: dict[str, Entry] = field(default_factory=dict)
    backlinks: dict[str, set[PageRef]] = field(default_factory=dict)

    @classmethod
    def of(cls, entries: list[Entry]) -> Catalog:
        return cls({entry.id: entry for entry in entries})

    def in_collection(self, collection: str) -> list[Entry]:
        return [e for e in self.entries.values() if e.collection == collection]

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
        expected = "entry" if collection == "*" else COLLECTIONS[collection].singular
        if entry is not None:
            diagnostics.error(*where, "wrong-reference-type",
                              f"{what}: '{entry_id}' is {_article(entry.collection)} {COLLECTIONS[entry.collection].singular}, "
                              f"not {_article(collection)} {expected}",
                              self.suggest(entry_id, collection))
            return None
        diagnostics.error(*where, "unknown-reference", f"{what}: there is no {expected} with the id '{entry_id}'",
                          self.suggest(entry_id, collection))
        return None

    def suggest(self, entry_id: str, collection: str) -> str:
        candidates = [i for i, e in self.entries.items() if collection == "*" or e.collection == collection]
        folder = "content/" + ("<collection>" if collection == "*" else collection)
        return did_you_mean(entry_id.lower(), candidates, f"the ids are the file names in {folder}/", cutoff=0.5)

    def add_backlink(self, target: Entry, source: PageRef) -> None:
        if page_path(target) != source.path:
            self.backlinks.setdefault(target.id, set()).add(source)

    def referenced_by(self, entry: Entry) -> list[PageRef]:
        return sorted(self.backlinks.get(entry.id, ()), key=lambda ref: (ref.title.lower(), ref.path))


def _article(collection: str) -> str:
    singular = "entry" if collection == "*" else COLLECTIONS[collection].singular
    return "an" if singular[0] in "aeiou" else "a"


def resolve_fields(catalog: Catalog, diagnostics: Diagnostics) -> None:
    """Check every reference in every entry's fields, check parent chains, and record backlinks."""
    for entry in catalog.entries.values():
        source = PageRef(page_path(entry).split("#")[0], display_name(entry))
        for path, collection, target_id in references(entry.data):
            where = (entry.source, *entry.location(path))
            target = catalog.lookup(target_id, collection, where, f"'{field_label(path)}'", diagnostics)
            if target is not None:
                catalog.add_backlink(target, source)
    _check_parent_chains(catalog, diagnostics)
    _check_acronyms(catalog, diagnostics)


def _check_parent_chains(catalog: Catalog, diagnostics: Diagnostics) -> None:
    for entry in catalog.in_collection("organizations"):
        chain = [entry.id]
        current = entry
        while isinstance(current.data, Organization) and current.data.parent:
            parent = catalog.get(current.data.parent, "organizations")
            if parent is None:
                break
            if parent.id in chain:
                cycle = " -> ".join([*chain[chain.index(parent.id):], parent.id])
                diagnostics.error(entry.source, *entry.location(("parent",)), "parent-cycle",
                                  f"the parent organizations form a cycle: {cycle}",
                                  "one organization in the chain must have no parent")
                break
            chain.append(parent.id)
            current = parent


def _check_acronyms(catalog: Catalog, diagnostics: Diagnostics) -> None:
    """One expansion per acronym: a glossary term must not repeat an organization's or committee's."""
    owners: dict[str, Entry] = {}
    for entry in sorted(catalog.entries.values(), key=lambda e: (e.collection == "glossary", e.source)):
        acronym = acronym_of(entry)
        if acronym is None:
            continue
        first = owners.get(acronym)
        if first is not None:
            field_name = "term" if entry.collection == "glossary" else "acronym"
            diagnostics.error(entry.source, *entry.location((field_name,)), "duplicate-acronym",
                              f"the acronym '{acronym}' is already defined by {first.source}",
                              "keep one definition: the glossary lists acronyms of organizations and committees by itself")
            continue
        owners[acronym] = entry


def acronym_of(entry: Entry) -> str | None:
    data = entry.data
    if isinstance(data, Term):
        return data.term
    if isinstance(data, (Organization, Committee)):
        return data.acronym
    return None


def expansion_of(entry: Entry) -> str:
    data = entry.data
    if isinstance(data, Term):
        return data.expansion
    return data.name  # type: ignore[attr-defined]


def events_newest_first(catalog: Catalog) -> list[Entry]:
    events = catalog.in_collection("events")
    return sorted(events, key=lambda e: (_event(e).date.first_day, e.id), reverse=True)


def _event(entry: Entry) -> Event:
    assert isinstance(entry.data, Event)
    return entry.data
