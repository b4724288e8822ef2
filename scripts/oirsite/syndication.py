"""Events and organizations beyond the site: an Atom feed, iCalendar files and JSON-LD.

All of it is generated from the same catalog as the pages. Absolute URLs come from ``site_url``;
times that stand for "when was this built" come from one fixed build time (SOURCE_DATE_EPOCH
when set), so that two builds of the same commit are identical.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from .catalog import Catalog, Entry, display_name, events_newest_first, page_path
from .dates import Precision
from .models import Committee, Event, Organization, Person

ATOM = "http://www.w3.org/2005/Atom"
FEED_PATH = "feed.xml"
CALENDAR_PATH = "events.ics"


def build_time() -> dt.datetime:
    """The build's fixed time: SOURCE_DATE_EPOCH if set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return dt.datetime.now(tz=dt.timezone.utc).replace(microsecond=0)


def page_url(site_url: str, source_path: str) -> str:
    """The absolute URL of a page, from its Markdown source path (directory URLs, as MkDocs makes them)."""
    path, _, anchor = source_path.partition("#")
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index")
    else:
        stem += "/"
    return site_url.rstrip("/") + "/" + stem.lstrip("/") + (f"#{anchor}" if anchor else "")


def entry_url(site_url: str, entry: Entry) -> str:
    return page_url(site_url, page_path(entry))


def calendar_path(entry: Entry) -> str:
    return f"events/{entry.id}.ics"


def in_calendar(entry: Entry) -> bool:
    """Only events known to the day have a place in a calendar."""
    return isinstance(entry.data, Event) and entry.data.date.precision is Precision.DAY


# Atom ---------------------------------------------------------------------------------------------

def atom_feed(catalog: Catalog, site_url: str, title: str, updated: dt.datetime) -> str:
    """An Atom feed of every event, newest first."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "title", f"{title}: events")
    _text(feed, "id", page_url(site_url, "events/index.md"))
    _text(feed, "updated", updated.isoformat().replace("+00:00", "Z"))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=page_url(site_url, "") + FEED_PATH,
                  type="application/atom+xml")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=page_url(site_url, "events/index.md"),
                  type="text/html")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", title)
    for entry in events_newest_first(catalog):
        event = entry.data
        assert isinstance(event, Event)
        item = ET.SubElement(feed, f"{{{ATOM}}}entry")
        url = entry_url(site_url, entry)
        _text(item, "title", event.title)
        _text(item, "id", url)
        ET.SubElement(item, f"{{{ATOM}}}link", rel="alternate", href=url, type="text/html")
        stamp = dt.datetime.combine(event.date.first_day, dt.time(), tzinfo=dt.timezone.utc)
        _text(item, "published", stamp.isoformat().replace("+00:00", "Z"))
        _text(item, "updated", stamp.isoformat().replace("+00:00", "Z"))
        _text(item, "summary", event.summary)
        for org_id in event.organizations:
            org = catalog.get(org_id, "organizations")
            if org is not None:
                ET.SubElement(item, f"{{{ATOM}}}category", term=org.id, label=display_name(org))
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = text


# iCalendar ----------------------------------------------------------------------------------------

def _vevent(entry: Entry, site_url: str, stamp: dt.datetime):
    import icalendar  # here, not at the top: only a build needs it, not a check
    event = entry.data
    assert isinstance(event, Event)
    host = urlsplit(site_url).hostname or "localhost"
    vevent = icalendar.Event()
    vevent.add("uid", f"{entry.id}@{host}")  # stable: the id never changes between builds
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", event.date.first_day)
    last = event.end.first_day if event.end else event.date.first_day
    vevent.add("dtend", last + dt.timedelta(days=1))  # RFC 5545: the end of an all-day event is exclusive
    vevent.add("summary", event.title)
    vevent.add("description", event.summary)
    if event.place:
        vevent.add("location", f"{event.place.city}, {event.place.country}")
    vevent.add("url", entry_url(site_url, entry))
    return vevent


def _calendar(name: str, events: list) -> str:
    import icalendar
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//International Medical Relations//Events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for vevent in events:
        calendar.add_component(vevent)
    return calendar.to_ical().decode("utf-8")


def events_calendar(catalog: Catalog, site_url: str, title: str, stamp: dt.datetime) -> str:
    events = [e for e in events_newest_first(catalog) if in_calendar(e)]
    return _calendar(f"{title}: events", [_vevent(e, site_url, stamp) for e in reversed(events)])


def event_calendar(entry: Entry, site_url: str, stamp: dt.datetime) -> str:
    return _calendar(display_name(entry), [_vevent(entry, site_url, stamp)])


# JSON-LD ------------------------------------------------------------------------------------------

def _org_ref(catalog: Catalog, org_id: str | None, site_url: str) -> dict | None:
    org = catalog.get(org_id or "", "organizations")
    if org is None:
        return None
    return {"@type": "Organization", "name": display_name(org), "url": entry_url(site_url, org)}


def json_ld(catalog: Catalog, entry: Entry, site_url: str) -> dict | None:
    """schema.org data for an organization, a committee, an event or a person; None for others."""
    data = entry.data
    url = entry_url(site_url, entry)
    if isinstance(data, (Organization, Committee)):
        parent = data.parent if isinstance(data, Organization) else data.organization
        result = {"@context": "https://schema.org", "@type": "Organization", "name": data.name, "url": url}
        if data.acronym:
            result["alternateName"] = data.acronym
        if isinstance(data, Organization):
            result["description"] = data.summary
            if data.website:
                result["sameAs"] = data.website
            if data.founded:
                result["foundingDate"] = str(data.founded)
        if (parent_ref := _org_ref(catalog, parent, site_url)) is not None:
            result["parentOrganization"] = parent_ref
        return result
    if isinstance(data, Event):
        result = {"@context": "https://schema.org", "@type": "Event", "name": data.title,
                  "description": data.summary, "url": url, "startDate": data.date.iso(),
                  "endDate": (data.end or data.date).iso()}
        if data.place:
            result["location"] = {"@type": "Place", "name": f"{data.place.city}, {data.place.country}",
                                  "address": {"@type": "PostalAddress", "addressLocality": data.place.city,
                                              "addressCountry": data.place.country}}
        organizers = [ref for org_id in data.organizations if (ref := _org_ref(catalog, org_id, site_url))]
        if organizers:
            result["organizer"] = organizers
        return result
    if isinstance(data, Person):
        result = {"@context": "https://schema.org", "@type": "Person", "name": data.name, "url": url}
        if data.credentials:
            result["honorificSuffix"] = ", ".join(data.credentials)
        affiliations = []
        for role in data.roles:
            ref = _org_ref(catalog, role.organization, site_url)
            if ref is not None and ref not in affiliations:
                affiliations.append(ref)
        if affiliations:
            result["affiliation"] = affiliations
        if data.summary:
            result["description"] = data.summary
        return result
    return None


def script_json(value: dict) -> str:
    """JSON safe inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

