"""Rendering: the catalog becomes Markdown pages, as plain strings keyed by their site path.

Each ``render_*`` function returns Markdown. Links between generated pages are relative Markdown
links, so the engine checks and rewrites them like any hand-written link.
"""

from __future__ import annotations

import html
import json
import re
from itertools import groupby
from typing import Callable


from .catalog import Catalog, Entry, acronym_of, display_name, events_newest_first, expansion_of, page_path
from . import syndication
from .dates import format_range
from .markup import relative_link
from .models import (KINDS, Activity, Committee, Event, Link, Open, Organization, Person, Term)


def esc(text: str) -> str:
    """Text safe inside Markdown link text and list items."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace("<", "&lt;")


def link(from_page: str, entry: Entry, text: str | None = None) -> str:
    return f"[{esc(text or display_name(entry))}]({relative_link(from_page, page_path(entry))})"


def front_matter(**meta) -> str:
    """YAML front matter, written as JSON values (JSON is YAML, and far quicker to write)."""
    meta = {key: value for key, value in meta.items() if value}
    if not meta:
        return ""
    return "---\n" + "".join(f"{key}: {json.dumps(value)}\n" for key, value in meta.items()) + "---\n\n"


def event_when_where(event: Event) -> str:
    text = format_range(event.date, event.end)
    if event.place:
        text += f", {event.place.city}, {event.place.country}"
    return text


def _event_item(page: str, entry: Entry) -> str:
    event = entry.data
    assert isinstance(event, Event)
    return f"- {link(page, entry)}: {esc(event_when_where(event))}  \n  {esc(event.summary)}"


def render_recent_events(catalog: Catalog, count: int) -> Callable[[str], str]:
    def block(page: str) -> str:
        events = events_newest_first(catalog)[:count]
        if not events:
            return "No events yet."
        items = "\n".join(_event_item(page, e) for e in events)
        archive = relative_link(page, "events/index.md")
        return f"{items}\n\n[All events, newest first]({archive})"
    return block


def render_activities(catalog: Catalog) -> Callable[[str], str]:
    def block(page: str) -> str:
        activities = sorted(catalog.in_collection("activities"), key=lambda e: (_activity(e).order, e.id))
        return "\n".join(f"- {link(page, e)}: {esc(_activity(e).summary)}" for e in activities)
    return block


def _cards(items: list[str]) -> str:
    """A Material card grid: each item is Markdown (a link, then a short text)."""
    cards = "\n\n".join("-   " + item.replace("\n", "\n    ") for item in items)
    return f'<div class="grid cards" markdown>\n\n{cards}\n\n</div>'


def render_committees(catalog: Catalog, heading: str = "###") -> Callable[[str], str]:
    def block(page: str) -> str:
        parts = []
        for kind, title in (("exchange", "Exchange committees"), ("project", "Project committees")):
            committees = sorted((e for e in catalog.in_collection("committees") if _committee(e).type == kind),
                                key=lambda e: _committee(e).acronym)
            if committees:
                cards = [f"**{link(page, e, _committee(e).acronym)}**: {esc(_committee(e).name)}\n\n"
                         f"{esc(_committee(e).focus)}" for e in committees]
                parts.append(f"{heading} {title}\n\n{_cards(cards)}")
        return "\n\n".join(parts)
    return block


def blocks(catalog: Catalog, recent_events: int) -> dict[str, Callable[[str], str]]:
    """The generated lists that a page may insert with ``{{ name }}``."""
    return {
        "recent_events": render_recent_events(catalog, recent_events),
        "oir_activities": render_activities(catalog),
        "ifmsa_committees": render_committees(catalog),
    }


# Entry pages --------------------------------------------------------------------------------------

def _facts(rows: list[tuple[str, str]]) -> str:
    return "\n".join(f"- **{label}:** {value}" for label, value in rows if value)


def _open_text(item: Open) -> str:
    return f"*not available: {esc(item.open)}*"


def _links(links: list[Link]) -> str:
    lines = []
    for item in links:
        if isinstance(item.url, Open):
            lines.append(f"- {esc(item.text)} ({_open_text(item.url)})")
        else:
            lines.append(f"- [{esc(item.text)}](<{item.url}>)")
    return "\n".join(lines)


def _section(title: str, text: str) -> str:
    return f"\n\n## {title}\n\n{text}" if text else ""


def _referenced_by(catalog: Catalog, entry: Entry, page: str) -> str:
    refs = catalog.referenced_by(entry)
    return "\n".join(f"- [{esc(ref.title)}]({relative_link(page, ref.path)})" for ref in refs)


def _organization_facts(catalog: Catalog, entry: Entry, page: str) -> str:
    org = entry.data
    assert isinstance(org, Organization)
    parent = catalog.get(org.parent or "", "organizations")
    members = (f"{org.members.organizations} {esc(org.members.term)} from {org.members.countries} countries"
               if org.members else "")
    return _facts([
        ("Acronym", esc(org.acronym or "")),
        ("Kind", KINDS[org.kind][0]),
        ("Part of", link(page, parent) if parent else ""),
        ("Founded", str(org.founded or "")),
        ("Members", members),
        ("Website", f"<{org.website}>" if org.website else ""),
    ])


def _contacts(catalog: Catalog, org: Organization, page: str) -> str:
    lines = []
    for contact in org.contacts:
        person = catalog.get(contact.person or "", "people")
        who = f"{esc(contact.role)}" + (f" ({link(page, person)})" if person else "")
        if isinstance(contact.email, Open):
            lines.append(f"- {who}: e-mail address {_open_text(contact.email)}")
        elif contact.email:
            lines.append(f"- {who}: <{contact.email}>")
        else:
            lines.append(f"- {who}")
    return "\n".join(lines)


def render_entry_page(catalog: Catalog, entry: Entry, body: str, site_url: str = "/") -> str:
    """The page of one entry: its facts, its Markdown body, and the pages that refer to it."""
    page = page_path(entry)
    data = entry.data
    title = display_name(entry)
    tags: list[str] = list(getattr(data, "tags", []))
    summary = getattr(data, "summary", None) or ""
    parts: list[str] = []
    if isinstance(data, Organization):
        title = f"{data.name} ({data.acronym})" if data.acronym else data.name
        parts += [esc(data.summary), _organization_facts(catalog, entry, page), body,
                  _section("Contacts", _contacts(catalog, data, page)), _section("Links", _links(data.links))]
    elif isinstance(data, Event):
        people = ", ".join(link(page, p) for p in _resolved(catalog, data.people, "people"))
        orgs = ", ".join(link(page, o) for o in _resolved(catalog, data.organizations, "organizations"))
        calendar = (f"[Add to your calendar]({relative_link(page, syndication.calendar_path(entry))})"
                    if syndication.in_calendar(entry) else "")
        parts += [_facts([("Date", esc(format_range(data.date, data.end))),
                          ("Place", esc(f"{data.place.city}, {data.place.country}") if data.place else ""),
                          ("Calendar", calendar)]),
                  f"**{esc(data.summary)}**", body,
                  _facts([("Organizations", orgs), ("People", people)]),
                  _section("Links", _links(data.links))]
    elif isinstance(data, Person):
        roles = []
        for role in data.roles:
            org = catalog.get(role.organization, "organizations")
            when = f" ({role.years})" if role.years else (f" (as of {role.as_of})" if role.as_of else "")
            roles.append(f"- {esc(role.title)}, {link(page, org) if org else esc(role.organization)}{when}")
        parts += [esc(data.summary or ""), _section("Roles", "\n".join(roles)).lstrip("\n"), body]
    elif isinstance(data, Activity):
        orgs = ", ".join(link(page, o) for o in _resolved(catalog, data.organizations, "organizations"))
        parts += [f"**{esc(data.summary)}**", body, _facts([("Organizations", orgs)])]
    elif isinstance(data, Committee):
        parent = catalog.get(data.organization, "organizations")
        parts += [_facts([("Acronym", esc(data.acronym)),
                          ("Type", "Exchange committee" if data.type == "exchange" else "Project committee"),
                          ("Focus", esc(data.focus)),
                          ("Part of", link(page, parent) if parent else ""),
                          ("Source", esc(data.source_note or ""))]), body]
    parts.append(_section("Referenced by", _referenced_by(catalog, entry, page)).lstrip("\n"))
    text = "\n\n".join(part.strip("\n") for part in parts if part and part.strip())
    structured = syndication.json_ld(catalog, entry, site_url)
    jsonld = syndication.script_json(structured) if structured else None
    # Material writes the description into an attribute as it is: it must be escaped here.
    description = html.escape(summary, quote=True)
    return front_matter(description=description, tags=tags, jsonld=jsonld) + f"# {esc(title)}\n\n{text}\n"


def _resolved(catalog: Catalog, ids: list[str], collection: str) -> list[Entry]:
    return [e for e in (catalog.get(i, collection) for i in ids) if e is not None]


# Index pages --------------------------------------------------------------------------------------

def render_organizations_index(catalog: Catalog) -> str:
    page = "organizations/index.md"
    orgs = sorted(catalog.in_collection("organizations"),
                  key=lambda e: (list(KINDS).index(_org(e).kind), _org(e).name.lower()))
    sections = []
    for kind, group in groupby(orgs, key=lambda e: _org(e).kind):
        cards = [f"**{link(page, e)}**" + (f" ({esc(_org(e).acronym or '')})" if _org(e).acronym else "")
                 + f"\n\n{esc(_org(e).summary)}" for e in group]
        sections.append(f"## {KINDS[kind][1]}\n\n{_cards(cards)}")
    return "# Organizations\n\nThe organizations the OIR and IFMSA work with, grouped by kind.\n\n" + "\n\n".join(sections) + "\n"


def render_events_index(catalog: Catalog) -> str:
    page = "events/index.md"
    sections = []
    for year, group in groupby(events_newest_first(catalog), key=lambda e: _ev(e).date.year):
        sections.append(f"## {year}\n\n" + "\n".join(_event_item(page, e) for e in group))
    undated = [e for e in events_newest_first(catalog) if not syndication.in_calendar(e)]
    follow = (f"Follow the events in a feed reader ([Atom feed]({relative_link(page, syndication.FEED_PATH)})) "
              f"or in your calendar ([all events, iCalendar]({relative_link(page, syndication.CALENDAR_PATH)})).")
    if undated:
        names = ", ".join(link(page, e) for e in undated)
        follow += (" The calendar holds only the events whose day is known; these are known only to the month "
                   f"or the year and are left out of it: {names}.")
    return ("# Events\n\nEvents newest first, grouped by year.\n\n" + "\n\n".join(sections)
            + f"\n\n## Follow the events\n\n{follow}\n")


def render_people_index(catalog: Catalog) -> str:
    page = "people/index.md"
    people = sorted(catalog.in_collection("people"), key=lambda e: _person(e).name.split()[-1].lower())
    items = []
    for entry in people:
        person = _person(entry)
        roles = "; ".join(
            f"{esc(r.title)}, {esc(display_name(org))}" for r in person.roles
            if (org := catalog.get(r.organization, "organizations")) is not None)
        items.append(f"- {link(page, entry)}" + (f": {roles}" if roles else ""))
    return "# People\n\nThe people named on this site.\n\n" + "\n".join(items) + "\n"


def render_committees_index(catalog: Catalog) -> str:
    page = "committees/index.md"
    ifmsa = catalog.get("ifmsa", "organizations")
    intro = (f"The standing committees of {link(page, ifmsa)}, grouped into exchange and project committees."
             if ifmsa else "The IFMSA standing committees, grouped into exchange and project committees.")
    return f"# IFMSA standing committees\n\n{intro}\n\n" + render_committees(catalog, "##")(page) + "\n"


def render_activities_index(catalog: Catalog) -> str:
    page = "activities/index.md"
    oir = catalog.get("oir", "organizations")
    intro = f"What the {link(page, oir)} does." if oir else "What the Office of International Relations does."
    return f"# OIR activities\n\n{intro}\n\n" + render_activities(catalog)(page) + "\n"


def glossary(catalog: Catalog) -> list[tuple[str, str, Entry]]:
    """Every acronym with its expansion and the entry that defines it, in alphabetical order."""
    rows = []
    for entry in catalog.entries.values():
        acronym = acronym_of(entry)
        if acronym:
            rows.append((acronym, expansion_of(entry), entry))
    return sorted(rows, key=lambda row: row[0].lower())


def render_glossary_index(catalog: Catalog) -> str:
    page = "glossary/index.md"
    rows = []
    for acronym, expansion, entry in glossary(catalog):
        if isinstance(entry.data, Term):
            target = catalog.get(entry.data.refers_to or "")
            meaning = link(page, target, expansion) if target else esc(expansion)
            rows.append(f'| <span id="{entry.id}">{esc(acronym)}</span> | {meaning} |')
        else:
            rows.append(f"| {esc(acronym)} | {link(page, entry, expansion)} |")
    table = "| Acronym | Meaning |\n| --- | --- |\n" + "\n".join(rows)
    return "# Glossary\n\nThe acronyms used on this site.\n\n" + table + "\n"


def abbreviations(catalog: Catalog) -> dict[str, str]:
    """Every acronym and its expansion, for Markdown's abbreviations (the ``abbr`` extension's
    glossary): each acronym shows its expansion wherever it appears, from the one glossary."""
    return {acronym: expansion for acronym, expansion, _ in glossary(catalog)}


_WORDS = re.compile(r"[\w-]+|\w+")


def used_abbreviations(markdown: str, abbreviations: dict[str, str]) -> dict[str, str]:
    """The abbreviations that occur in ``markdown``: a page needs only those, and Markdown's
    cost per page grows with the number it is given (one pattern of all of them)."""
    words = set(_WORDS.findall(markdown)) | set(re.findall(r"\w+", markdown))
    return {acronym: expansion for acronym, expansion in abbreviations.items() if acronym in words}


def abbreviations_markdown(catalog_abbreviations: dict[str, str]) -> str:
    """The same abbreviations as Markdown definitions, for engines that read them from the page."""
    return "\n".join(f"*[{acronym}]: {expansion}" for acronym, expansion in catalog_abbreviations.items())


INDEX_PAGES: dict[str, Callable[[Catalog], str]] = {
    "organizations/index.md": render_organizations_index,
    "events/index.md": render_events_index,
    "people/index.md": render_people_index,
    "committees/index.md": render_committees_index,
    "activities/index.md": render_activities_index,
    "glossary/index.md": render_glossary_index,
}


def _org(entry: Entry) -> Organization:
    assert isinstance(entry.data, Organization)
    return entry.data


def _ev(entry: Entry) -> Event:
    assert isinstance(entry.data, Event)
    return entry.data


def _person(entry: Entry) -> Person:
    assert isinstance(entry.data, Person)
    return entry.data


def _activity(entry: Entry) -> Activity:
    assert isinstance(entry.data, Activity)
    return entry.data


def _committee(entry: Entry) -> Committee:
    assert isinstance(entry.data, Committee)
    return entry.data
