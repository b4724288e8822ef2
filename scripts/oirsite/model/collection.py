"""What a collection declares about itself: one ``CollectionSpec`` per file in this package.

Every stage of the pipeline (loading, references, pages, indexes, glossary, feeds, calendars,
JSON-LD, schemas, scaffolding) reads these declarations; none asks which model an entry has.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from ..core.dates import PartialDate, Precision
from .fields import Strict

TODO = "TODO"  # what placeholder text starts with: the check lists it until it is replaced


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


BlockView = Callable[[Any], str]  # a PageContext (its options are the site's settings) -> Markdown


def _summary(data: Any) -> str | None:
    return getattr(data, "summary", None)


def _tags(data: Any) -> list[str]:
    return list(getattr(data, "tags", []))


@dataclass(frozen=True)
class View:
    """How a collection is shown: its index page, each entry's page (collections with pages), its lists."""

    render_index: Callable[["PageContext"], str]  # the index page, as Markdown
    render: Callable[["PageContext", "Entry", str], list[str]] | None = None  # the parts of an entry's page (body given)
    page_title: Callable[[Any], str] | None = None  # the page's heading, when not the display name
    json_ld: Callable[["PageContext", "Entry"], dict | None] | None = None
    blocks: Mapping[str, BlockView] = field(default_factory=dict)  # generated lists for {{ name }}


@dataclass(frozen=True)
class Scaffold:
    """What `build.py new` writes for a collection."""

    template: Callable[[ScaffoldRequest], str] | None = None  # generic if None
    options: tuple[str, ...] = ()  # the options `build.py new` takes for it
    file_suffix: str = ".yml"  # ".yml", or ".md" for a body
    id_from: str = "title"  # the option the new entry's id is made from


@dataclass(frozen=True)
class CollectionSpec:
    """One collection: its model, where it lives, how it is named, shown, scaffolded and syndicated."""

    name: str  # the folder under content/ and under the site
    model: type[Strict]
    singular: str  # "organization", in messages
    title: str  # of the index page
    display_name: Callable[[Any], str]  # how an entry is named in links and lists
    view: View
    scaffold: Scaffold = Scaffold()
    order: int = 100  # the order of collections wherever they are listed together
    section: str | None = None  # the collection whose navigation section holds its pages (its own index is not in the nav)
    has_pages: bool = True  # False: entries are anchors on the index page (glossary terms)
    search_boost: float = 1.0  # how its entries' pages rank in the site's search (pages/entry.py: search_meta)
    fact_bearing: bool = True  # its entries state facts: each must name its sources (graph/rules.py)
    summary: Callable[[Any], str | None] = _summary  # the one-line summary (descriptions, lists)
    tags: Callable[[Any], list[str]] = _tags
    acronym: Callable[[Any], tuple[str, str] | None] | None = None  # (acronym, expansion) for the glossary
    acronym_field: str = "acronym"  # where the acronym is written, for messages
    sort_key: Callable[["Entry"], Any] | None = None  # the order of its index and lists
    feed_item: Callable[["Entry"], FeedItem] | None = None  # dated entries: feed and calendars
    recurrence: Callable[[Any, "Entry", dt.date], Recurrence | None] | None = None  # (catalog, entry, build day): calendars
    checks: tuple[Callable[[Any, Any, Any], None], ...] = ()  # (catalog, entry, diagnostics): its own rules (graph/rules.py applies the shared ones)

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
