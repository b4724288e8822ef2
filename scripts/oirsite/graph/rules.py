"""The rules that hold for every collection, applied by what each declares (``fact_bearing``,
``has_pages``, ``acronym``, ``checks``): a new collection is held to them without naming one."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Iterable

from ..collections.sources import source_date
from ..core.diagnostics import Diagnostics
from ..core.paths import Addresses
from ..model.fields import MAX_ID_LENGTH, open_items, text_values
from ..collections import TODO
from ..read.loader import Entry, field_label
from ..read.records import comparable
from ..read.scan import REFERENCE
from ..safety.sanitize import sanitize
from .catalog import Catalog


def apply_rules(catalog: Catalog, entries: list[Entry], diagnostics: Diagnostics, site_paths: Addresses | Iterable[str],
                max_age_days: int, today: dt.date, drafts: bool = False, records: dict[str, str] | None = None,
                source_max_age_years: int | None = None) -> None:
    """Every rule, once the reference graph is built: over the graph (sources and their locators,
    each collection's own checks, acronyms, former ids), then over each entry's values (tooltips,
    review and source age, open items, placeholders)."""
    for entry in catalog.entries.values():
        check_sourced(catalog, entry, diagnostics)
        check_locators(catalog, entry, records or {}, diagnostics)
        for check in entry.spec.checks:
            check(catalog, entry, diagnostics)
    check_acronyms(catalog, diagnostics)
    check_former_ids(catalog, diagnostics, site_paths)
    check_tooltips(catalog, diagnostics)
    check_openings(entries, diagnostics)
    check_review_age(entries, diagnostics, max_age_days, today)
    if source_max_age_years is not None:
        check_source_age(catalog, entries, diagnostics, source_max_age_years, today)
    report_open_items(entries, diagnostics)
    report_placeholders(entries, diagnostics, drafts)


def check_sourced(catalog: Catalog, entry: Entry, diagnostics: Diagnostics) -> None:
    """A fact-bearing entry names at least one source, once the site keeps sources at all.

    (A site with no ``content/sources/`` yet, such as a small test tree, is not held to it.)"""
    if not entry.spec.fact_bearing or entry.data.sources or not catalog.in_collection("sources"):  # type: ignore[attr-defined]
        return
    diagnostics.error(entry.source, *entry.location(()), "missing-source",
                      f"this {entry.spec.singular} states facts but names no source",
                      "add a line 'sources: [id]' with the id of a file in content/sources/ that the facts "
                      "come from (add the source there first if it is new)")


def check_locators(catalog: Catalog, entry: Entry, records: dict[str, str], diagnostics: Diagnostics) -> None:
    """A locator marks a passage of one of the entry's own sources; on a source whose text is kept
    (a seed page's record), its words must be in that text."""
    for index, locator in enumerate(getattr(entry.data, "locators", ())):
        where = entry.location(("locators", index, "text"))
        if locator.source not in entry.data.sources:  # type: ignore[attr-defined]
            diagnostics.error(entry.source, *entry.location(("locators", index, "source")), "locator-source",
                              f"the locator names the source '{locator.source}', which this entry does not list",
                              f"add '{locator.source}' to its 'sources:', or name one of them")
            continue
        record = records.get(locator.source)
        if record is not None and comparable(locator.text) not in record:
            diagnostics.error(entry.source, *where, "locator-not-found",
                              f"the words '{locator.text}' are not in the kept text of the source "
                              f"'{locator.source}'",
                              "copy a few words exactly as the source page has them (see its file in records/)")


def opening(entry: Entry) -> str:
    """The paragraph an entry's page opens with: the first of its text, else its summary."""
    body = (getattr(entry, "body", "") or "").strip()
    first = re.split(r"\n\s*\n", body, maxsplit=1)[0] if body and not body.startswith(("#", "{{")) else ""
    return first or getattr(entry.data, "summary", "") or ""


def check_openings(entries: Iterable[Entry], diagnostics: Diagnostics) -> None:
    """A warning for editors where a page of a collection that asks for it (``opening_words``) does not
    open with a paragraph of that many words saying what the entry is."""
    for entry in entries:
        wanted = entry.spec.opening_words
        if not wanted:
            continue
        words = len(REFERENCE.sub(lambda m: m["text"] if m["text"] is not None else m["ref"].replace("-", " "),
                                  opening(entry)).split())
        if words < wanted:
            diagnostics.warning(entry.source, entry.body_line or 1, 1, "short-opening",
                                f"the page opens with {words} words: readers need a paragraph of at least "
                                f"{wanted} that says what this {entry.spec.singular} is",
                                "write, below the front matter, what it is and its tie to the OIR or IFMSA, "
                                "from its sources")


def check_review_age(entries: Iterable[Entry], diagnostics: Diagnostics, max_age_days: int,
                     today: dt.date, code: str = "stale-review") -> None:
    """A warning for editors where an entry's review (``reviewed:``) is older than ``max_age_days``."""
    for entry in entries:
        day = getattr(entry.data, "reviewed", None)
        if not entry.spec.fact_bearing or day is None:
            continue
        age = (today - dt.date.fromisoformat(day)).days
        if age > max_age_days:
            where = entry.location(("reviewed",))
            diagnostics.warning(entry.source, *where, code,
                                f"last reviewed {day}, {age} days ago (the site asks for a review every "
                                f"{max_age_days} days)",
                                "check the entry against its sources, then set 'reviewed:' to today's date")


def check_source_age(catalog: Catalog, entries: Iterable[Entry], diagnostics: Diagnostics, max_years: int,
                     today: dt.date) -> None:
    """A warning for editors where even the newest dated source of an entry is older than ``max_years``:
    its facts may have changed since (a source without a date says nothing of its age)."""
    for entry in entries:
        if not entry.spec.fact_bearing:
            continue
        dates = [d for d in (source_date(s.data) for s in (catalog.get(i, "sources") for i in entry.data.sources)
                             if s is not None) if d is not None]  # type: ignore[attr-defined]
        if dates and today.year - max(dates).last_day.year > max_years:
            diagnostics.warning(entry.source, *entry.location(("sources",)), "old-sources",
                                f"its newest dated source is from {max(dates).year}, more than {max_years} years ago",
                                "check whether its facts still hold, and add a newer source where one says so")


def check_acronyms(catalog: Catalog, diagnostics: Diagnostics) -> None:
    """One expansion per acronym: a glossary term must not repeat an organization's or committee's."""
    owners: dict[str, Entry] = {}
    for entry in sorted(catalog.entries.values(), key=lambda e: (not e.spec.has_pages, e.source)):
        pair = entry.spec.acronym(entry.data) if entry.spec.acronym else None
        if not pair:
            continue
        first = owners.get(pair[0])
        if first is not None:
            diagnostics.error(entry.source, *entry.location((entry.spec.acronym_field,)), "duplicate-acronym",
                              f"the acronym '{pair[0]}' is already defined by {first.source}",
                              "keep one definition: the glossary lists acronyms of organizations and committees by itself")
            continue
        owners[pair[0]] = entry


def check_former_ids(catalog: Catalog, diagnostics: Diagnostics, site_paths: Addresses | Iterable[str] = ()) -> None:
    """Report a former id that another entry still uses, that two entries claim, or whose old
    page would stand at the address of a page of the site (``site_paths``: who makes each address,
    or the Markdown source paths of every page and file). Each message points at the ``formerly`` item."""
    live = {entry_id.lower(): entry for entry_id, entry in catalog.entries.items()}
    live.update({entry_id.lower(): broken for entry_id, broken in catalog.broken.items()})
    pages = site_paths if isinstance(site_paths, Addresses) else Addresses(site_paths)
    claimed: dict[str, tuple[str, object]] = {}  # former id (lowercase) -> (file, entry)
    for entry in sorted(catalog.entries.values(), key=lambda e: e.source):
        for index, former in enumerate(getattr(entry.data, "formerly", ())):
            where = (entry.source, *entry.location(("formerly", index)))
            if len(former) > MAX_ID_LENGTH:  # its redirect's folder would be a file name too long to write
                diagnostics.error(*where, "invalid-value", f"this former id is {len(former)} characters long: "
                                  f"an id has at most {MAX_ID_LENGTH}", "remove it from 'formerly'")
                continue
            owner = live.get(former.lower())
            if owner is not None:
                whose = "this entry's own id" if owner is entry else f"the id of {owner.source}"
                diagnostics.error(*where, "duplicate-id",
                                  f"the former id '{former}' is {whose}: its old address cannot lead here",
                                  "remove it from 'formerly'" if owner is entry
                                  else "remove it from 'formerly', or rename the other entry")
                continue
            first = claimed.get(former.lower())
            if first is not None:
                if first[1] is entry:
                    diagnostics.error(*where, "duplicate-id", f"the former id '{former}' is listed twice",
                                      "keep only one of them")
                else:
                    diagnostics.error(*where, "duplicate-id",
                                      f"the former id '{former}' is also a former id of {first[0]}: "
                                      "its old address can lead to only one page",
                                      "keep it in the entry that the old address should lead to")
                continue
            claimed[former.lower()] = (entry.source, entry)
            old_page = entry.spec.page_path(former)
            owner = pages.owner(old_page) if entry.spec.has_pages else None
            if owner is not None:
                made_by = "" if owner == old_page else f" ({owner})"
                diagnostics.error(*where, "page-clash",
                                  f"the old address of '{former}' ('{old_page}') is a page of the site now{made_by}",
                                  "remove it from 'formerly' (the page at that address stays)")
        for index, old_page in enumerate(getattr(entry.data, "former_pages", ())):
            where = (entry.source, *entry.location(("former_pages", index)))
            owner = pages.owner(old_page)
            first = claimed.setdefault(old_page, (entry.source, entry))
            if owner is not None:
                diagnostics.error(*where, "page-clash", f"'{old_page}' is a page of the site now ({owner})",
                                  "delete that page (its address will lead here), or remove it from 'former_pages'")
            elif first[1] is not entry:
                diagnostics.error(*where, "duplicate-id", f"'{old_page}' is also a former page of {first[0]}",
                                  "keep it in the entry that the old address should lead to")


def check_tooltips(catalog: Catalog, diagnostics: Diagnostics) -> None:
    """Every acronym shows its expansion as a tooltip (an ``<abbr title>``) wherever it appears, in
    any summary, body or page: an expansion the sanitizer would refuse there is an error at the
    entry that defines it, not a refusal of every page that uses the acronym."""
    for acronym, expansion, entry in catalog.acronyms():
        _, removals = sanitize(f'<abbr title="{html.escape(expansion)}">{html.escape(acronym)}</abbr>')
        for removal in removals:
            diagnostics.error(entry.source, *entry.location((entry.spec.acronym_field,)), removal.code,
                              f"'{acronym}' shows '{expansion}' as its tooltip wherever it is written, and "
                              f"the tooltip is refused: {removal.message}", "write the name without '<' and '>'")


def report_open_items(entries: list[Entry], diagnostics: Diagnostics) -> None:
    for entry in entries:
        if "open" not in entry.text:  # a quick test spares the walk over every field
            continue
        for path, reason in open_items(entry.data):
            diagnostics.warning(entry.source, *entry.location(path), "open-item",
                                f"open item in '{field_label(path)}': {reason}")


def report_placeholders(entries: list[Entry], diagnostics: Diagnostics, drafts: bool = False) -> None:
    """Text still starting with TODO (as the scaffolder writes it): an error, so an unfinished entry
    is never published; a warning in a live preview (``drafts``), where it is work in progress."""
    report = diagnostics.warning if drafts else diagnostics.error
    for entry in entries:
        if TODO not in entry.text:  # a quick test spares the walk over every field
            continue
        for path, text in text_values(entry.data):
            if text.startswith(TODO):
                report(entry.source, *entry.location(path), "placeholder",
                                    f"'{field_label(path)}' still holds placeholder text", "replace the TODO")
        for number, line in enumerate(entry.body.splitlines()):
            if line.startswith(TODO):
                report(entry.source, entry.body_line + number, 1, "placeholder",
                                    "the text still holds placeholder text", "replace the TODO")
