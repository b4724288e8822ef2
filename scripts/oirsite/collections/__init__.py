"""The collections: each module of this package declares one (``SPEC = CollectionSpec(...)``).

A new collection is one new module here plus its folder under ``content/``: the registry finds it.
Every stage reads these declarations; none asks which model an entry has.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from ..core.dates import PartialDate, Precision
from ..model.fields import Strict

TODO = "TODO"  # what placeholder text starts with: the check lists it until it is replaced
# The opening paragraph a scaffolded page asks for (collections with ``opening_words=30``).
OPENING_TODO = f"""{TODO}: what it is and its tie to the OIR or IFMSA, in a paragraph of 30 words or more, from its
sources. Link an entry by its id in double square brackets, `[[like-this]]`.
"""


class ScaffoldError(ValueError):
    """A reason not to write the entry, worded for the editor."""


@dataclass(frozen=True)
class FeedItem:
    """What a dated entry contributes to the feed and the calendars."""

    title: str
    summary: str
    date: PartialDate
    end: PartialDate | None = None
    place: str | None = None
    categories: tuple[str, ...] = ()  # ids of organizations


@dataclass(frozen=True)
class Recurrence:
    """What a recurring entry gives the calendars: a yearly meeting in months a source states, the
    day not known. ``start`` is the first day of the month of its next expected occurrence; ``skip``
    the later occurrences that an entry of their own (a confirmed event) stands for."""

    title: str
    summary: str
    months: tuple[int, ...]
    start: dt.date
    skip: tuple[dt.date, ...] = ()
    place: str | None = None
    categories: tuple[str, ...] = ()  # ids of organizations


@dataclass(frozen=True)
class ScaffoldRequest:
    """What an editor asked ``build.py new`` for."""

    title: str
    options: Mapping[str, str | None] = field(default_factory=dict)  # --date, --kind, --acronym, ...

    def get(self, name: str) -> str | None:
        return self.options.get(name)


@dataclass(frozen=True)
class View:
    """How a collection is shown: its index page, each entry's page (collections with pages), its lists."""

    render_index: Callable[["PageContext"], str]  # the index page, as Markdown
    render: Callable[["PageContext", "Entry", str], list[str]] | None = None  # an entry page's parts (body given)
    page_title: Callable[[Any], str] | None = None  # the page's heading, when not the display name
    json_ld: Callable[["PageContext", "Entry"], dict | None] | None = None
    blocks: Mapping[str, Callable[[Any], str]] = field(default_factory=dict)  # {{ name }} -> (PageContext -> Markdown)


@dataclass(frozen=True)
class Scaffold:
    """What `build.py new` writes for a collection."""

    template: Callable[[ScaffoldRequest], str] | None = None  # generic if None
    file_suffix: str = ".yml"  # ".yml", or ".md" for a body
    id_from: str = "title"  # the option the new entry's id is made from


@dataclass(frozen=True)
class CollectionSpec:
    """One collection: its model, where it lives, how it is named, shown, scaffolded and syndicated."""

    name: str  # the folder under content/ and under the site
    model: type[Strict]
    singular: str  # "organization", in messages
    title: str  # of the index page
    view: View
    display_name: Callable[[Any], str] = lambda data: data.title  # how an entry is named in links and lists
    scaffold: Scaffold = Scaffold()
    order: int = 100  # the order of collections wherever they are listed together
    section: str | None = None  # the collection whose navigation section holds its pages (its index is not in it)
    has_pages: bool = True  # False: entries are anchors on the index page (glossary terms)
    search_boost: float = 1.0  # how its pages rank in the site's search (0: its index is left out; pages/render.py)
    fact_bearing: bool = True  # its entries state facts: each must name its sources (graph/rules.py)
    opening_words: int = 0  # its pages open with a paragraph of at least this many words on what it is
    acronym_fields: tuple[str, str] | None = None  # (its acronym's field, its expansion's) for the glossary
    sort_key: Callable[["Entry"], Any] | None = None  # the order of its index and lists
    feed_item: Callable[["Entry"], FeedItem] | None = None  # dated entries: feed and calendars
    recurrence: Callable[[Any, "Entry", dt.date], Recurrence | None] | None = None  # (catalog, entry, day): calendars
    checks: tuple[Callable[[Any, Any, Any], None], ...] = ()  # (catalog, entry, diagnostics): rules of its own

    def summary(self, data: Any) -> str | None:
        """The one-line summary (descriptions, lists)."""
        return getattr(data, "summary", None)

    def acronym(self, data: Any) -> tuple[str, str] | None:
        """(acronym, expansion) for the glossary, where the entry has an acronym."""
        if self.acronym_fields is None or not getattr(data, self.acronym_fields[0]):
            return None
        return getattr(data, self.acronym_fields[0]), getattr(data, self.acronym_fields[1])

    @property
    def acronym_field(self) -> str:  # where the acronym is written, for messages
        return self.acronym_fields[0] if self.acronym_fields else "acronym"

    @property
    def file_suffix(self) -> str:  # the names cms.py reads
        return self.scaffold.file_suffix

    @property
    def scaffold_id_from(self) -> str:
        return self.scaffold.id_from

    def page_path(self, entry_id: str) -> str:
        """Where an entry's page lives in the site, as a Markdown source path."""
        if self.has_pages:
            return f"{self.name}/{entry_id}.md"
        return f"{self.index_path}#{entry_id}"

    @property
    def index_path(self) -> str:
        return f"{self.name}/index.md"

    def in_calendar(self, entry: Any) -> bool:
        """Only dated entries known to the day have a place in a calendar."""
        return self.feed_item is not None and self.feed_item(entry).date.precision is Precision.DAY

    @property
    def article(self) -> str:
        return "an" if self.singular[0] in "aeiou" else "a"


@functools.cache
def registry() -> dict[str, CollectionSpec]:
    """Every collection, by folder name, in display order."""
    specs: list[CollectionSpec] = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if not isinstance(getattr(module, "SPEC", None), CollectionSpec):
            raise TypeError(f"{module.__name__} declares no SPEC = CollectionSpec(...)")
        specs.append(module.SPEC)
    names = [spec.name for spec in specs]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise TypeError(f"two collection modules declare the same name: {', '.join(sorted(duplicates))}")
    return {spec.name: spec for spec in sorted(specs, key=lambda s: (s.order, s.name))}


def get(name: str) -> CollectionSpec:
    return registry()[name]


def calendar_items(catalog: Any, day: dt.date) -> list[tuple[Any, FeedItem | Recurrence]]:
    """What the calendars hold on ``day``: every dated entry known to the day (oldest first), then
    every recurring one whose months are known (by id), each with what it contributes. (Worked out
    once per catalog and day: the site's calendar and each organization's read it.)"""
    def items() -> list[tuple[Any, FeedItem | Recurrence]]:
        dated = sorted(((e, e.spec.feed_item(e)) for e in catalog.entries.values() if e.spec.in_calendar(e)),
                       key=lambda pair: (pair[1].date.first_day, pair[0].id))
        recurring = [(e, item) for e in sorted(catalog.entries.values(), key=lambda e: e.id)
                     if e.spec.recurrence is not None and (item := e.spec.recurrence(catalog, e, day)) is not None]
        return [*dated, *recurring]

    return catalog.derived(("calendar_items", day), items)


def calendar_organizations(catalog: Any, day: dt.date) -> frozenset[str]:
    """The ids of the organizations that the calendars' items name: each has a calendar of its own.
    (Asked by every organization's page: worked out once per catalog and day.)"""
    return catalog.derived(("calendar_organizations", day), lambda: frozenset(
        org for _, item in calendar_items(catalog, day) for org in item.categories))
