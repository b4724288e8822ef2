"""Recurring meetings: the assemblies that organizations hold every year, where a source says so.

A series states only what its sources state (that it recurs, its months, its usual place). Its next
expected occurrence is shown and carried by the calendars until an event of the series confirms it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator

from ..core.dates import LAST_YEAR, PartialDate, build_time, format_date
from ..core.escape import yaml_scalar as scalar
from ..core.markdown_text import esc, facts, front_matter
from ..model.fields import EntryModel, OrganizationRef, Place, Text, ref_to
from . import CollectionSpec, Recurrence, Scaffold, ScaffoldRequest, TODO, View
from .organizations import org_refs, schema_org

Month = Annotated[int, Field(ge=1, le=12)]
SeriesRef = ref_to("series", "a recurring meeting")
_TIMES = {1: "Every year", 2: "Twice a year", 3: "Three times a year", 4: "Four times a year"}


class Series(EntryModel):
    title: Text
    organizers: list[OrganizationRef] = Field(default=[], description="The organizations its sources name as holding it.")
    recurs: Literal["yearly"] = Field(description="How often it meets, as a source says: yearly.")
    months: list[Month] = Field(default=[], description=(
        "The months it meets in each year (5 for May), only where a source states them."))
    place: Place | None = Field(default=None, description="Where it usually meets, only where a source says so.")
    summary: Text

    @field_validator("months")
    @classmethod
    def _each_month_once(cls, months: list[int]) -> list[int]:
        if len(set(months)) != len(months):
            raise ValueError("a month is named twice: name each month it meets in once")
        return sorted(months)


@dataclass(frozen=True)
class Occurrence:
    """One expected meeting of a series: a year and, where the sources give it, a month."""

    series: Entry
    year: int
    month: int = 0  # 0: no source gives the month

    @property
    def date(self) -> PartialDate:
        return PartialDate(self.year, self.month)


def rhythm(series: Series) -> str:
    """'Every year, in May', 'Twice a year, in March and August', 'Every year'."""
    names = [calendar.month_name[m] for m in series.months]
    times = _TIMES.get(max(len(names), 1), f"{len(names)} times a year")
    if not names:
        return times
    return f"{times}, in " + (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1])


def how_often(series: Series) -> str:
    """'yearly', 'twice a year': the short form, beside an occurrence."""
    return "yearly" if len(series.months) <= 1 else rhythm(series).partition(",")[0].lower()


def place_text(data: Any) -> str | None:
    """'Geneva, Switzerland': the place of a series or an event."""
    return f"{data.place.city}, {data.place.country}" if data.place else None


def by_date(entry: Entry) -> tuple:
    """The order of dated entries (events): by their first possible day."""
    return entry.data.date.first_day, entry.id


def meetings(catalog: Any, entry: Entry) -> list[Entry]:
    """The events of the series (its confirmed occurrences), in the order of their dates."""
    return sorted((e for e in catalog.in_collection("events") if getattr(e.data, "series", None) == entry.id),
                  key=by_date)


def confirms(date: PartialDate, series: Series, year: int, month: int) -> bool:
    """Whether an event of the series on ``date`` stands for its occurrence of ``year`` (and
    ``month``): a series that meets once a year has one occurrence a year, whatever the month; one
    that meets in several months has one in each."""
    return date.year == year and (len(series.months) <= 1 or date.month == month)


def next_expected(catalog: Any, entry: Entry, today: dt.date) -> list[Occurrence]:
    """For each of its months (or once, for a series whose month no source gives), the first
    occurrence that is not over on ``today`` (an occurrence known to the month lasts the month, one
    known to the year the year, as events do) and that no event of the series confirms."""
    series: Series = entry.data  # type: ignore[assignment]
    dates = [e.data.date for e in meetings(catalog, entry)]
    found = []
    for month in series.months or [0]:
        for year in range(today.year, LAST_YEAR + 1):
            if PartialDate(year, month).last_day >= today and not any(confirms(d, series, year, month) for d in dates):
                found.append(Occurrence(entry, year, month))
                break
    return sorted(found, key=lambda o: o.date)


def expected(catalog: Any, today: dt.date) -> list[Occurrence]:
    """The next expected occurrences of every series, soonest first; those whose month no source
    gives (no date to show) last."""
    return sorted((o for e in catalog.in_collection("series") for o in next_expected(catalog, e, today)),
                  key=lambda o: (not o.month, o.date.first_day, o.series.id))


def recurrence(catalog: Any, entry: Entry, today: dt.date) -> Recurrence | None:
    """A series whose months a source gives, for the calendars: from its next expected occurrence,
    without the later ones that events confirm. Without months a calendar has no day to put it on."""
    series: Series = entry.data  # type: ignore[assignment]
    upcoming = next_expected(catalog, entry, today)
    if not series.months or not upcoming:
        return None
    start = upcoming[0].date.first_day
    dates = [e.data.date for e in meetings(catalog, entry)]
    last = max((d.year for d in dates), default=start.year)
    skip = tuple(dt.date(year, month, 1) for year in range(start.year, last + 1) for month in series.months
                 if dt.date(year, month, 1) > start and any(confirms(d, series, year, month) for d in dates))
    return Recurrence(f"{series.title} (expected; the day is not announced yet)", series.summary,
                      tuple(series.months), start, skip, place_text(series), tuple(series.organizers))


def occurrence_text(occurrence: Occurrence) -> str:
    """'May 2027, Geneva, Switzerland'; for a series whose month no source gives, no year either:
    'its next dates are not announced' (late in a year, that year's meeting may well be over)."""
    place = place_text(occurrence.series.data)
    when = format_date(occurrence.date) if occurrence.month else "its next dates are not announced"
    return when + (f", {place}" if place else "")


def render(ctx: PageContext, entry: Entry, body: str) -> list[str]:
    series: Series = entry.data  # type: ignore[assignment]
    upcoming = "; ".join(esc(occurrence_text(o)) for o in next_expected(ctx.catalog, entry, build_time().date()))
    return [esc(series.summary),
            facts([("Held by", ctx.links(series.organizers, "organizations")),
                   ("Meets", rhythm(series)),
                   ("Usual place", esc(place_text(series) or "")),
                   ("Next expected", upcoming)]),
            body]


def render_index(ctx: PageContext) -> str:
    entries = sorted(ctx.in_collection("series"), key=lambda e: e.data.title.lower())
    items = "\n".join(f"- **{ctx.link(e)}**  \n  {esc(rhythm(e.data))}"
                      + (f" · {esc(place_text(e.data) or '')}" if e.data.place else "")
                      + f"  \n  {esc(e.data.summary)}" for e in entries)
    return (front_matter(description="The meetings the organizations hold every year, and when they are expected.")
            + "# Recurring meetings\n\nThe meetings that the organizations hold every year. The "
            f"[events]({ctx.rel('events/index.md')}) page shows when each is next expected.\n\n"
            + (items or "No recurring meetings yet.") + "\n")


def json_ld(ctx: PageContext, entry: Entry) -> dict:
    series: Series = entry.data  # type: ignore[assignment]
    return schema_org("EventSeries", name=series.title, description=series.summary, url=ctx.url(entry),
                      organizer=org_refs(ctx, series.organizers))


def template(req: ScaffoldRequest) -> str:
    return f"""# A new recurring meeting. Replace every TODO, then run: python scripts/build.py --check
title: {scalar(req.title)}
organizers: []            # ids of the organizations that hold it, for example [wma]
recurs: yearly            # only where a source says it meets every year
# months: [5]             # the months it meets in (5 for May), only where a source states them
# place: {{city: Geneva, country: Switzerland}}   # where it usually meets, only where a source says so
summary: {scalar(TODO + ": what the meeting is, in one sentence.")}
sources: []               # ids of files in content/sources/ that say it recurs
"""


SPEC = CollectionSpec(
    name="series", model=Series, singular="recurring meeting", title="Recurring meetings", order=25,
    sort_key=lambda entry: entry.data.title.lower(), recurrence=recurrence, section="events",
    view=View(render_index, render, json_ld=json_ld),
    scaffold=Scaffold(template),
)
