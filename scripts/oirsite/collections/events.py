"""Events: meetings, assemblies and campaigns, dated to the precision the sources give."""

from __future__ import annotations

from itertools import groupby
from typing import TYPE_CHECKING, Any, Mapping

from pydantic import Field, ValidationInfo, field_validator

from ..dates import PartialDate, PartialDateField, Precision, format_range
from ..models import Link, OrganizationRef, PersonRef, Place, EntryModel, Tag, Text
from ..render.markdown import esc, facts, link_list, section
from ..syndication import CALENDAR_PATH, FEED_PATH, calendar_path, in_calendar
from .organizations import org_ref
from .spec import CollectionSpec, FeedItem, ScaffoldRequest

if TYPE_CHECKING:
    from ..catalog import Catalog
    from ..loader import Entry
    from ..render.context import PageContext

class Event(EntryModel):
    title: Text
    date: PartialDateField
    end: PartialDateField | None = Field(default=None, description="The last day of an event that spans days.")
    place: Place | None = None
    organizations: list[OrganizationRef] = []
    people: list[PersonRef] = []
    tags: list[Tag] = []
    summary: Text
    links: list[Link] = []

    @field_validator("end")
    @classmethod
    def _range_is_days(cls, end: PartialDate | None, info: ValidationInfo) -> PartialDate | None:
        start = info.data.get("date")
        if end is not None and start is not None:
            if start.precision is not Precision.DAY or end.precision is not Precision.DAY:
                raise ValueError("a range of dates needs full days for 'date' and 'end' (YYYY-MM-DD)")
            if end < start:
                raise ValueError(f"the event ends ({end}) before it starts ({start})")
        return end


def _place(event: Event) -> str | None:
    return f"{event.place.city}, {event.place.country}" if event.place else None


def when_where(event: Event) -> str:
    text = format_range(event.date, event.end)
    place = _place(event)
    return text + (f", {place}" if place else "")


def newest_first(ctx_or_catalog: Any) -> list[Entry]:
    events = ctx_or_catalog.in_collection("events")
    return sorted(events, key=lambda e: (e.data.date.first_day, e.id), reverse=True)


def _item(ctx: PageContext, entry: Entry) -> str:
    return f"- {ctx.link(entry)}: {esc(when_where(entry.data))}  \n  {esc(entry.data.summary)}"


def render(ctx: PageContext, entry: Entry, body: str) -> list[str]:
    event: Event = entry.data  # type: ignore[assignment]
    calendar = f"[Add to your calendar]({ctx.rel(calendar_path(entry))})" if in_calendar(entry) else ""
    return [facts([("Date", esc(format_range(event.date, event.end))),
                   ("Place", esc(_place(event) or "")),
                   ("Calendar", calendar)]),
            f"**{esc(event.summary)}**", body,
            facts([("Organizations", ctx.links(event.organizations, "organizations")),
                   ("People", ctx.links(event.people, "people"))]),
            section("Links", link_list(event.links))]


def render_index(ctx: PageContext) -> str:
    events = newest_first(ctx)
    sections = [f"## {year}\n\n" + "\n".join(_item(ctx, e) for e in group)
                for year, group in groupby(events, key=lambda e: e.data.date.year)]
    follow = (f"Follow the events in a feed reader ([Atom feed]({ctx.rel(FEED_PATH)})) "
              f"or in your calendar ([all events, iCalendar]({ctx.rel(CALENDAR_PATH)})).")
    undated = [e for e in events if not in_calendar(e)]
    if undated:
        follow += (" The calendar holds only the events whose day is known; these are known only to the month "
                   f"or the year and are left out of it: {', '.join(ctx.link(e) for e in undated)}.")
    return ("# Events\n\nEvents newest first, grouped by year.\n\n" + "\n\n".join(sections)
            + f"\n\n## Follow the events\n\n{follow}\n")


def recent_events(catalog: Catalog, options: Mapping[str, Any]):
    from ..render.context import PageContext

    count = options.get("recent_events", 3)

    def block(page: str) -> str:
        ctx = PageContext(catalog, page)
        events = newest_first(catalog)[:count]
        if not events:
            return "No events yet."
        items = "\n".join(_item(ctx, e) for e in events)
        return f"{items}\n\n[All events, newest first]({ctx.rel('events/index.md')})"
    return block


def feed_item(entry: Entry) -> FeedItem:
    event: Event = entry.data  # type: ignore[assignment]
    return FeedItem(event.title, event.summary, event.date, event.end, _place(event), tuple(event.organizations))


def json_ld(ctx: PageContext, entry: Entry) -> dict:
    event: Event = entry.data  # type: ignore[assignment]
    result: dict = {"@context": "https://schema.org", "@type": "Event", "name": event.title,
                    "description": event.summary, "url": ctx.url(entry), "startDate": event.date.iso(),
                    "endDate": (event.end or event.date).iso()}
    if event.place:
        result["location"] = {"@type": "Place", "name": _place(event),
                              "address": {"@type": "PostalAddress", "addressLocality": event.place.city,
                                          "addressCountry": event.place.country}}
    organizers = [ref for org_id in event.organizations if (ref := org_ref(ctx, org_id))]
    if organizers:
        result["organizer"] = organizers
    return result


def template(req: ScaffoldRequest) -> str:
    from ..scaffold import ScaffoldError, TODO, scalar

    date, end = req.get("date"), req.get("end")
    if not date:
        raise ScaffoldError("an event needs --date (YYYY, YYYY-MM or YYYY-MM-DD)")
    for value in (date, end):
        if value is not None:
            try:
                PartialDate.parse(value)
            except ValueError as exc:
                raise ScaffoldError(str(exc)) from None
    end_line = f"end: {end}" if end else "# end: YYYY-MM-DD     "
    return f"""---
# A new event. Replace every TODO, then run: python scripts/build.py --check
title: {scalar(req.title)}
date: {date}          # a year (2024), a month (2024-05) or a day (2024-05-27)
{end_line}  # the last day, for an event that spans days
# place: {{city: Kigali, country: Rwanda}}
organizations: []         # ids of files in content/organizations/, for example [wma]
people: []                # ids of files in content/people/
tags: []                  # short words, for example [general assembly]
summary: {scalar(TODO + ": one sentence that the lists and the feed show.")}
---

{TODO}: what happened, in Markdown. Link an entry by its id in double square brackets, `[[like-this]]`.
"""


SPEC = CollectionSpec(
    name="events", model=Event, singular="event", title="Events", order=20,
    display_name=lambda event: event.title,
    render=render, render_index=render_index, json_ld=json_ld, feed_item=feed_item,
    sort_key=lambda entry: (entry.data.date.first_day, entry.id),
    blocks={"recent_events": recent_events},
    template=template, scaffold_options=("date", "end"), file_suffix=".md",
)
