"""Events: meetings, assemblies and campaigns, dated to the precision the sources give."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from pydantic import Field, ValidationInfo, field_validator

from ..core.dates import PartialDate, PartialDateField, Precision, build_time, format_range
from ..core.escape import yaml_scalar as scalar
from ..core.markdown_text import esc, facts
from ..core.paths import CALENDAR_PATH, FEED_PATH, calendar_path
from ..model.fields import Link, OrganizationRef, PersonRef, Place, EntryModel, Strict, Tag, Text
from . import CollectionSpec, Scaffold, FeedItem, ScaffoldError, ScaffoldRequest, TODO, View
from .organizations import org_refs, schema_org
from .series import SeriesRef, by_date, expected, how_often, meetings, occurrence_text, place_text


class Participant(Strict):
    """A person named in an event, with the part the source gives them (speaker, delegate...)."""

    person: PersonRef
    role: Text | None = Field(default=None, description="Their part, in the source's words, e.g. 'represented physicians'.")


class Event(EntryModel):
    title: Text
    date: PartialDateField
    end: PartialDateField | None = Field(default=None, description="The last day of an event that spans days.")
    place: Place | None = None
    organizers: list[OrganizationRef] = Field(default=[], description=(
        "The organizations its source names as holding it (others it mentions are linked in the text)."))
    people: list[Participant] = []
    tags: list[Tag] = []
    summary: Text
    links: list[Link] = []
    series: SeriesRef | None = Field(default=None, description=(
        "The recurring meeting it is an occurrence of (an id of content/series/): it confirms the expected one."))

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


def last_day(event: Event):
    return (event.end or event.date).last_day


def split_by_date(events: list[Entry], day: dt.date) -> tuple[list[Entry], list[Entry]]:
    """(upcoming, soonest first; past, newest first): an event is upcoming until its last possible day
    has passed (an event known only to its year stays upcoming until the year ends)."""
    upcoming = sorted((e for e in events if last_day(e.data) >= day), key=by_date)
    past = sorted((e for e in events if last_day(e.data) < day), key=by_date, reverse=True)
    return upcoming, past


def _organizers(ctx: PageContext, event: Event) -> str:
    return ", ".join(esc(org.title) for org in ctx.resolved(event.organizers, "organizations"))


def _item(ctx: PageContext, entry: Entry) -> str:
    """One event in a list: its title, then date, place and organizers, then its summary."""
    event: Event = entry.data  # type: ignore[assignment]
    details = " · ".join(part for part in (esc(format_range(event.date, event.end)), esc(place_text(event) or ""),
                                          _organizers(ctx, event)) if part)
    return f"- **{ctx.link(entry)}**  \n  {details}  \n  {esc(event.summary)}"


def _expected_item(ctx: PageContext, occurrence) -> str:
    """'Expected: May 2027, Geneva, Switzerland', then the series (yearly), who holds it and its sources."""
    entry = occurrence.series
    series = entry.data
    held = [e for e in meetings(ctx.catalog, entry) if last_day(e.data) < build_time().date()]
    last = f"Last held {format_range(held[-1].data.date, held[-1].data.end)}" + (
        f", {place_text(held[-1].data)}" if held[-1].data.place else "") if held else ""
    details = " · ".join(part for part in (
        f"Held by {_organizers(ctx, series)}" if series.organizers else "",
        esc(last),
        "Source: " + ", ".join(ctx.link(s) for s in ctx.resolved(series.sources, "sources"))
        if series.sources else "") if part)
    return (f"- **Expected: {esc(occurrence_text(occurrence))}** · {ctx.link(entry)} ({how_often(series)})"
            + (f"  \n  {details}" if details else ""))


def render(ctx: PageContext, entry: Entry, body: str) -> list[str]:
    event: Event = entry.data  # type: ignore[assignment]
    ahead = entry.spec.in_calendar(entry) and last_day(event) >= build_time().date()  # a calendar for what is to come
    calendar = f"[Add to your calendar]({ctx.rel(calendar_path(entry))})" if ahead else ""
    series = ctx.get(event.series, "series")
    links = ", ".join(f"[{esc(link.text)}](<{link.url}>)" for link in event.links if isinstance(link.url, str))
    people = ", ".join(ctx.link(person) + (f" ({esc(participant.role)})" if participant.role else "")  # their part
                       for participant in event.people if (person := ctx.get(participant.person, "people")) is not None)
    header = facts([("Date", esc(format_range(event.date, event.end))),
                    ("Place", esc(place_text(event) or "")),
                    ("Organizers", ctx.links(event.organizers, "organizations")),
                    ("People", people),
                    ("Part of", ctx.link(series) if series else ""),
                    ("Links", links),
                    ("Calendar", calendar)])
    return [header, esc(event.summary), body]


def render_index(ctx: PageContext) -> str:
    day = build_time().date()
    upcoming, past = split_by_date(ctx.in_collection("events"), day)
    parts = ["---\ndescription: \"The events of the OIR and its partners: upcoming, expected and past, by year.\"\n---\n",
             "# Events\n\nMeetings, assemblies and campaigns of the OIR and the organizations it works with."]
    coming = expected(ctx.catalog, day)
    none_yet = "No upcoming event has its dates announced yet." + (
        " The meetings below are expected: they are held every year." if coming else "")
    parts.append("## Upcoming\n\n" + ("\n".join(_item(ctx, e) for e in upcoming) if upcoming else none_yet))
    if coming:
        parts.append("## Expected\n\nMeetings held every year whose next dates this site does not have yet: "
                     "each is shown here until an event with its dates and place takes its place "
                     f"([all recurring meetings]({ctx.rel('series/index.md')})).\n\n"
                     + "\n".join(_expected_item(ctx, o) for o in coming))
    if past:
        parts.append("## Past events")
        for year, group in groupby(past, key=lambda e: e.data.date.year):
            parts.append(f"### {year}\n\n" + "\n".join(_item(ctx, e) for e in group))
    parts.append(f"## Follow the events\n\nIn a feed reader ([Atom feed]({ctx.rel(FEED_PATH)})) "
                 f"or in your calendar ([all events, iCalendar]({ctx.rel(CALENDAR_PATH)})).")
    return "\n\n".join(parts) + "\n"


def recent_events(ctx: PageContext) -> str:
    """The latest events, newest first (the OIR page's "Recent events")."""
    events = sorted(ctx.in_collection("events"), key=by_date, reverse=True)[:ctx.options.get("recent_events", 3)]
    if not events:
        return "No events yet."
    items = "\n".join(_item(ctx, e) for e in events)
    return f"{items}\n\n[All events]({ctx.rel('events/index.md')})"


def upcoming_events(ctx: PageContext) -> str:
    """What is next (the home page): the upcoming events, else the meetings expected next (each
    recurring meeting's next occurrence), then the latest events ("Recent events")."""
    count = ctx.options.get("recent_events", 3)
    day = build_time().date()
    upcoming, past = split_by_date(ctx.in_collection("events"), day)
    if upcoming:
        parts = ["## Upcoming events", "\n".join(_item(ctx, e) for e in upcoming[:count])]
    else:
        coming = expected(ctx.catalog, day)[:count]
        parts = ["## Next on the calendar", "\n".join(_expected_item(ctx, o) for o in coming)] if coming else []
        parts += ["## Recent events", "\n".join(_item(ctx, e) for e in past[:count]) or "No events yet."]
    return "\n\n".join(parts) + f"\n\n[All events]({ctx.rel('events/index.md')})"


def feed_item(entry: Entry) -> FeedItem:
    event: Event = entry.data  # type: ignore[assignment]
    return FeedItem(event.title, event.summary, event.date, event.end, place_text(event), tuple(event.organizers))


def json_ld(ctx: PageContext, entry: Entry) -> dict:
    event: Event = entry.data  # type: ignore[assignment]
    location = {"@type": "Place", "name": place_text(event),
                "address": {"@type": "PostalAddress", "addressLocality": event.place.city,
                            "addressCountry": event.place.country}} if event.place else None
    return schema_org("Event", name=event.title, description=event.summary, url=ctx.url(entry),
                      startDate=event.date.iso(), endDate=(event.end or event.date).iso(), location=location,
                      organizer=org_refs(ctx, event.organizers))


def template(req: ScaffoldRequest) -> str:
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
organizers: []            # ids of the organizations that hold it (content/organizations/), for example [wma]
people: []                # people named, for example [{{person: jane-doe, role: speaker}}]
tags: []                  # short words, for example [general assembly]
sources: []               # ids of files in content/sources/ that its facts come from
summary: {scalar(TODO + ": one sentence that the lists and the feed show.")}
---

{TODO}: what happened, in Markdown. Link an entry by its id in double square brackets, `[[like-this]]`.
"""


SPEC = CollectionSpec(
    name="events", model=Event, singular="event", title="Events", order=20,
    feed_item=feed_item, sort_key=by_date,
    view=View(render_index, render, json_ld=json_ld,
              blocks={"recent_events": recent_events, "upcoming_events": upcoming_events}),
    scaffold=Scaffold(template, file_suffix=".md"),
)
