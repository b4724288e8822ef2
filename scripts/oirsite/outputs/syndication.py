"""Events and organizations beyond the site: an Atom feed and iCalendar files, from the same catalog as
the pages (every collection whose spec declares a ``feed_item``). Absolute URLs come from ``site_url``;
"when was this built" is one fixed build time (SOURCE_DATE_EPOCH when set): two builds are identical.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from ..graph.catalog import Catalog
from ..collections import FeedItem, Recurrence, calendar_items, calendar_organizations, registry
from ..core.dates import Precision
from ..core.escape import ics_lines, ics_text, xml_text
from ..read.loader import Entry
from ..core.paths import FEED_PATH, absolute_url

ATOM = "http://www.w3.org/2005/Atom"


def feed_entries(catalog: Catalog) -> list[tuple[Entry, FeedItem]]:
    """Every dated entry with what it contributes, newest first."""
    items = [(entry, entry.spec.feed_item(entry)) for entry in catalog.entries.values() if entry.spec.feed_item]
    return sorted(items, key=lambda pair: (pair[1].date.first_day, pair[0].id), reverse=True)


def calendar_events(catalog: Catalog) -> list[Entry]:
    """The entries in the calendar, newest first."""
    return [entry for entry, item in feed_entries(catalog) if item.date.precision is Precision.DAY]


def atom_feed(catalog: Catalog, site_url: str, title: str, updated: dt.datetime) -> str:
    """An Atom feed of every event, newest first."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "title", f"{title}: events")
    dated = [spec for spec in registry().values() if spec.feed_item]  # the feed stands for their index (or home)
    home = dated[0].index_path if len(dated) == 1 else "index.md"
    _text(feed, "id", absolute_url(site_url, home))
    _text(feed, "updated", updated.isoformat().replace("+00:00", "Z"))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=absolute_url(site_url, "") + FEED_PATH,
                  type="application/atom+xml")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=absolute_url(site_url, home), type="text/html")
    _text(ET.SubElement(feed, f"{{{ATOM}}}author"), "name", title)
    for entry, event in feed_entries(catalog):
        item = ET.SubElement(feed, f"{{{ATOM}}}entry")
        url = absolute_url(site_url, entry.page)
        _text(item, "title", event.title)
        _text(item, "id", url)
        ET.SubElement(item, f"{{{ATOM}}}link", rel="alternate", href=url, type="text/html")
        stamp = dt.datetime.combine(event.date.first_day, dt.time(), tzinfo=dt.timezone.utc)
        _text(item, "published", stamp.isoformat().replace("+00:00", "Z"))
        _text(item, "updated", stamp.isoformat().replace("+00:00", "Z"))
        _text(item, "summary", event.summary)
        for org_id in event.categories:
            org = catalog.get(org_id)
            if org is not None:
                ET.SubElement(item, f"{{{ATOM}}}category", term=org.id, label=xml_text(org.title))
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = xml_text(text)


def _vevent(entry: Entry, site_url: str, stamp: dt.datetime, item: FeedItem | Recurrence | None = None) -> list[str]:
    """The lines of one all-day VEVENT: an event (its ``feed_item``), or a recurring meeting whose day is
    not known (a ``Recurrence``): RFC 5545 has no "some day in May", so that is an all-day event on the first
    day of each month it meets in, from its next expected occurrence, tentative and free time, without
    the occurrences an event confirms (EXDATE). (Not written with the icalendar package, which the tests
    use to read them: it cost more than the rest of a 1,000-entry check.)"""
    item = item or entry.spec.feed_item(entry)  # type: ignore[misc]
    recurring = isinstance(item, Recurrence)
    first = item.start if recurring else item.date.first_day
    last = item.end.first_day if not recurring and item.end else first
    host = urlsplit(site_url).hostname or "localhost"
    lines = [
        "BEGIN:VEVENT",
        f"UID:{(entry.data.formerly or [entry.id])[0]}@{host}",  # stable: its first id, kept through renames
        f"DTSTAMP:{stamp.astimezone(dt.timezone.utc):%Y%m%dT%H%M%SZ}",
        f"DTSTART;VALUE=DATE:{first:%Y%m%d}",
        f"DTEND;VALUE=DATE:{last + dt.timedelta(days=1):%Y%m%d}",  # RFC 5545: an all-day end is exclusive
    ]
    if recurring:
        lines.append("RRULE:FREQ=YEARLY;BYMONTH=" + ",".join(str(month) for month in item.months))
        if item.skip:
            lines.append("EXDATE;VALUE=DATE:" + ",".join(f"{day:%Y%m%d}" for day in item.skip))
    lines += [f"SUMMARY:{ics_text(item.title)}", f"DESCRIPTION:{ics_text(item.summary)}"]
    if item.place:
        lines.append(f"LOCATION:{ics_text(item.place)}")
    if recurring:
        lines += ["STATUS:TENTATIVE", "TRANSP:TRANSPARENT"]
    lines += [f"URL;VALUE=URI:{absolute_url(site_url, entry.page)}", "END:VEVENT"]
    return lines


def calendar_file(name: str, events: list[list[str]]) -> str:
    """An iCalendar file named ``name`` holding these events (each its VEVENT lines)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//International Medical Relations//Events//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{ics_text(name)}"]
    return ics_lines(lines + [line for vevent in events for line in vevent] + ["END:VCALENDAR"])


def events_calendar(catalog: Catalog, site_url: str, title: str, stamp: dt.datetime) -> str:
    """Every event known to the day, then every recurring meeting whose months are known."""
    vevents = [_vevent(entry, site_url, stamp, item) for entry, item in calendar_items(catalog, stamp.date())]
    return calendar_file(f"{title}: events", vevents)


def calendar_organizations_of(catalog: Catalog, stamp: dt.datetime) -> list[Entry]:
    """The organizations with a calendar of their own: those that an item of the calendars names."""
    return [org for org_id in sorted(calendar_organizations(catalog, stamp.date()))
            if (org := catalog.get(org_id, "organizations")) is not None]


def organization_calendar(catalog: Catalog, org: Entry, site_url: str, title: str, stamp: dt.datetime) -> str:
    """One organization's events known to the day and its recurring meetings."""
    vevents = [_vevent(entry, site_url, stamp, item) for entry, item in calendar_items(catalog, stamp.date())
               if org.id in item.categories]
    return calendar_file(f"{org.title}: events ({title})", vevents)


def event_calendar(entry: Entry, site_url: str, stamp: dt.datetime) -> str:
    return calendar_file(entry.title, [_vevent(entry, site_url, stamp)])
