"""Dates that know their precision: a year (2021), a month (2021-01) or a day (2021-04-07)."""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema


class Precision(str, Enum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"


_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
DATE_PATTERN = _PATTERN.pattern

# The years a date may name: four digits (the feed's RFC 3339 and the calendars' RFC 5545 write
# exactly four), and one year short of the end, so that the day after the last one (a calendar's
# exclusive end, a range's next day) is still a date that Python, feeds and calendars can hold.
FIRST_YEAR = 1000
LAST_YEAR = 9998


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day. Orders by its first possible day."""

    year: int
    month: int = 0
    day: int = 0

    @property
    def precision(self) -> Precision:
        if self.day:
            return Precision.DAY
        return Precision.MONTH if self.month else Precision.YEAR

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        if self.day:
            return self.first_day
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def iso(self) -> str:
        if self.precision is Precision.DAY:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.precision is Precision.MONTH:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def __str__(self) -> str:
        return self.iso()

    @classmethod
    def parse(cls, value: Any) -> PartialDate:
        """Parse ``2021``, ``"2021-01"`` or ``"2021-04-07"``; raise ValueError with a reader's message."""
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise ValueError("a date is written YYYY, YYYY-MM or YYYY-MM-DD, for example 2023-10-04")
        if isinstance(value, int) and not FIRST_YEAR <= value <= LAST_YEAR:
            raise ValueError(f"'{value}' is not a date this site can show: the year must be from {FIRST_YEAR} "
                             f"to {LAST_YEAR}")
        match = _PATTERN.match(str(value).strip())
        if not match:
            raise ValueError(f"'{value}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD, for example 2023-10-04")
        year, month, day = (int(part) if part else 0 for part in match.groups())
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(f"'{value}' is not a date this site can show: the year must be from {FIRST_YEAR} "
                             f"to {LAST_YEAR}")
        if match.group(2) and not 1 <= month <= 12:
            raise ValueError(f"'{value}' is not a date: there is no month {month}")
        if match.group(3):
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise ValueError(f"'{value}' is not a date: {calendar.month_name[month]} {year} has {last} days")
        return cls(year, month, day)


def format_date(date: PartialDate) -> str:
    """'2021', 'January 2021' or '7 April 2021'."""
    if date.precision is Precision.YEAR:
        return str(date.year)
    month = calendar.month_name[date.month]
    if date.precision is Precision.MONTH:
        return f"{month} {date.year}"
    return f"{date.day} {month} {date.year}"


def format_range(start: PartialDate, end: PartialDate | None) -> str:
    """A date, or a range of days written as briefly as it reads well: '4–7 October 2023'."""
    if end is None or end == start:
        return format_date(start)
    if start.year == end.year and start.month == end.month:
        return f"{start.day}–{end.day} {calendar.month_name[end.month]} {end.year}"
    if start.year == end.year:
        return f"{start.day} {calendar.month_name[start.month]} – {format_date(end)}"
    return f"{format_date(start)} – {format_date(end)}"


PartialDateField = Annotated[
    PartialDate,
    PlainValidator(PartialDate.parse),
    PlainSerializer(lambda d: d.iso() if d.precision is not Precision.YEAR else d.year, when_used="always"),
    WithJsonSchema({
        "anyOf": [
            {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR},
            {"type": "string", "pattern": DATE_PATTERN},
        ],
        "description": "A year (2021), a month (2021-01) or a day (2021-04-07).",
    }),
]


def build_time() -> dt.datetime:
    """The build's fixed time: SOURCE_DATE_EPOCH if set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return dt.datetime.now(tz=dt.timezone.utc).replace(microsecond=0)
