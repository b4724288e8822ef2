"""Recurring meetings (content/series/): the expected occurrences on the events page until an event
confirms them, their yearly rule in the calendars (read with the real icalendar and dateutil), and
each organization's own calendar. On content these tests own, with a fixed build day."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from dateutil.rrule import rruleset, rrulestr

from helpers import check, messages

NOVEMBER_2023 = "1700000000"  # the build's day: 14 November 2023

SERIES = {
    "content/series/big-assembly.yml": """
        title: Big Assembly
        organizers: [ama]
        recurs: yearly
        months: [5]
        place: {city: Geneva, country: Switzerland}
        summary: The assembly that meets in May.
    """,
    "content/series/students-assembly.yml": """
        title: Students' Assembly
        organizers: [wma]
        recurs: yearly
        months: [8, 3]
        summary: The assembly that meets in March and in August.
    """,
    "content/series/yearly-meeting.yml": """
        title: Yearly Meeting
        organizers: [wma]
        recurs: yearly
        summary: A meeting held every year, in a month no source gives.
    """,
}


def _event(name: str, date: str, series: str, org: str = "ama", end: str | None = None) -> dict[str, str]:
    end_line = f"end: {end}\n" if end else ""
    return {f"content/events/{name}.md": f"---\ntitle: {name}\ndate: {date}\n{end_line}"
                                         f"place: {{city: Geneva, country: Switzerland}}\norganizers: [{org}]\n"
                                         f"series: {series}\nsummary: It met.\n---\n"}


@pytest.fixture
def site(tree, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOVEMBER_2023)

    def build(*extra: dict[str, str]):
        files = dict(SERIES)
        for more in extra:
            files.update(more)
        result = check(tree(files))
        assert result.ok, messages(result)
        return result
    return build


def _sections(site) -> dict[str, str]:
    page = site.generated["events/index.md"].markdown
    upcoming = page.split("## Upcoming", 1)[1].split("\n## ", 1)[0]
    expected = page.split("## Expected", 1)[1].split("\n## ", 1)[0] if "## Expected" in page else ""
    past = page.split("## Past events", 1)[1].split("\n## Follow", 1)[0]
    assert page.index("## Upcoming") < page.index("## Expected") < page.index("## Past events")
    return {"upcoming": upcoming, "expected": expected, "past": past}


def test_the_next_expected_occurrences_show_apart_soonest_first(site):
    parts = _sections(site())
    expected = parts["expected"]
    lines = [line for line in expected.splitlines() if line.startswith("- **Expected: ")]
    assert [line.split("**")[1] for line in lines] == [
        "Expected: March 2024", "Expected: May 2024, Geneva, Switzerland", "Expected: August 2024",
        "Expected: its next dates are not announced"]  # (no month, no date to show: last)
    assert "[Big Assembly](../series/big-assembly.md) (yearly)" in expected
    assert "[Students' Assembly](../series/students-assembly.md) (twice a year)" in expected
    assert "Held by American Medical Association" in expected
    assert "No upcoming event has its dates announced yet" in parts["upcoming"]  # and why the page is not empty
    assert "Expected" not in parts["past"] and "The 2023 Assembly" in parts["past"]


def test_an_event_of_the_series_replaces_the_expected_occurrence(site):
    confirmed = site(_event("big-2024", "2024-05-20", "big-assembly", end="2024-05-28"))
    parts = _sections(confirmed)
    assert "May 2024" not in parts["expected"] and "Expected: May 2025, Geneva, Switzerland" in parts["expected"]
    assert "[big-2024](big-2024.md)" in parts["upcoming"]
    # the series' page names the occurrence still expected, and lists the event among its mentions
    page = confirmed.generated["series/big-assembly.md"].markdown
    assert "**Next expected:** May 2025, Geneva, Switzerland" in page
    assert "[big-2024](../events/big-2024.md), 20–28 May 2024" in page.split("## Mentioned in", 1)[1]
    assert "**Part of:** [Big Assembly](../series/big-assembly.md)" in confirmed.generated["events/big-2024.md"].markdown


def test_each_month_of_a_series_is_confirmed_on_its_own(site):
    expected = _sections(site(_event("march-2024", "2024-03", "students-assembly", org="wma")))["expected"]
    assert "March 2024" not in expected and "Expected: March 2025" in expected
    assert "Expected: August 2024" in expected


def test_a_series_without_a_month_is_expected_each_year_until_confirmed(site):
    """Its next occurrence is the first year no event confirms; the page names no year for it (late
    in a year, that year's meeting may be over: no source says), only when it was last held."""
    import datetime as dt
    from oirsite.collections.series import next_expected
    built = site(_event("meeting-2023", "2023-10-04", "yearly-meeting", org="wma"))
    meeting = built.catalog.get("yearly-meeting", "series")
    assert [o.year for o in next_expected(built.catalog, meeting, dt.date(2023, 11, 14))] == [2024]
    expected = _sections(built)["expected"]
    assert "Expected: its next dates are not announced** · [Yearly Meeting]" in expected
    assert "2024" not in expected.split("[Yearly Meeting]", 1)[0].rsplit("\n", 1)[-1]
    assert "Last held 4 October 2023, Geneva, Switzerland" in expected  # what the sources say of its month


def test_an_occurrence_shows_until_its_month_is_over(tree, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2024, 5, 31, 12, tzinfo=dt.timezone.utc).timestamp())))
    assert "Expected: May 2024" in _sections(check(tree(SERIES)))["expected"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2024, 6, 1, 12, tzinfo=dt.timezone.utc).timestamp())))
    assert "Expected: May 2025" in _sections(check(tree(SERIES)))["expected"]


def _vevents(text: str) -> dict[str, icalendar.Event]:
    return {str(e["UID"]).split("@")[0]: e for e in icalendar.Calendar.from_ical(text).walk("VEVENT")}


def _occurrences(event: icalendar.Event, after: dt.datetime, count: int) -> list[dt.date]:
    """The next ``count`` days the VEVENT stands on, by dateutil's reading of its RRULE and EXDATE."""
    start = dt.datetime.combine(event.decoded("DTSTART"), dt.time())
    rules = rruleset()
    rules.rrule(rrulestr(event["RRULE"].to_ical().decode(), dtstart=start))
    for exdates in (event.get("EXDATE") or []) if isinstance(event.get("EXDATE"), list) else [event.get("EXDATE")]:
        for day in (exdates.dts if exdates is not None else []):
            rules.exdate(dt.datetime.combine(day.dt, dt.time()))
    found, current = [], after
    while len(found) < count and (current := rules.after(current)) is not None:
        found.append(current.date())
    return found


def test_the_calendar_carries_each_series_with_known_months_as_a_yearly_rule(site):
    events = _vevents(site().render_files()["events.ics"])
    big = events["big-assembly"]
    assert big["RRULE"]["FREQ"] == ["YEARLY"] and big["RRULE"]["BYMONTH"] == [5]
    assert big.decoded("DTSTART") == dt.date(2024, 5, 1)  # all day, on the month's first day
    assert big.decoded("DTEND") == dt.date(2024, 5, 2)
    assert str(big["STATUS"]) == "TENTATIVE" and str(big["TRANSP"]) == "TRANSPARENT"
    assert "expected" in str(big["SUMMARY"]) and str(big["LOCATION"]) == "Geneva, Switzerland"
    assert str(big["URL"]).endswith("/series/big-assembly/")
    november = dt.datetime(2023, 11, 14)
    assert _occurrences(big, november, 3) == [dt.date(2024, 5, 1), dt.date(2025, 5, 1), dt.date(2026, 5, 1)]
    students = events["students-assembly"]
    assert students["RRULE"]["BYMONTH"] == [3, 8]
    assert _occurrences(students, november, 3) == [dt.date(2024, 3, 1), dt.date(2024, 8, 1), dt.date(2025, 3, 1)]
    assert "yearly-meeting" not in events  # no month: a calendar has no day to put it on
    assert "assembly-2023" in events and "RRULE" not in events["assembly-2023"]


def test_a_confirmed_occurrence_is_its_own_event_and_leaves_the_rule(site):
    built = site(_event("big-2025", "2025-05-19", "big-assembly"), _event("big-2024", "2024-05-20", "big-assembly"))
    events = _vevents(built.render_files()["events.ics"])
    big = events["big-assembly"]
    assert big.decoded("DTSTART") == dt.date(2026, 5, 1)  # from the first occurrence still expected
    assert _occurrences(big, dt.datetime(2023, 11, 14), 2) == [dt.date(2026, 5, 1), dt.date(2027, 5, 1)]
    assert events["big-2025"].decoded("DTSTART") == dt.date(2025, 5, 19)
    assert "STATUS" not in events["big-2025"]
    # a confirmed occurrence later than the first expected one is left out of the rule (EXDATE)
    skipped = site(_event("big-2025", "2025-05-19", "big-assembly"), {"content/events/big-2024.md": None})
    big = _vevents(skipped.render_files()["events.ics"])["big-assembly"]
    assert big.decoded("DTSTART") == dt.date(2024, 5, 1)
    assert _occurrences(big, dt.datetime(2023, 11, 14), 3) == [dt.date(2024, 5, 1), dt.date(2026, 5, 1),
                                                              dt.date(2027, 5, 1)]


def test_add_to_calendar_only_on_events_still_ahead(site):
    built = site(_event("big-2024", "2024-05-20", "big-assembly"))
    assert "[Add to your calendar](big-2024.ics)" in built.generated["events/big-2024.md"].markdown
    past = built.generated["events/assembly-2023.md"].markdown  # 4-7 October 2023, before the build's day
    assert "Add to your calendar" not in past and "assembly-2023.ics" not in past
    assert "events/assembly-2023.ics" in built.render_files()  # its calendar file stays, for who took it


def test_each_organization_has_a_calendar_of_its_own_events_and_meetings(site, tree):
    built = site(_event("big-2024", "2024-05-20", "big-assembly"))
    files = built.render_files()
    ama, wma = _vevents(files["organizations/ama.ics"]), _vevents(files["organizations/wma.ics"])
    assert set(ama) == {"day-2021", "big-2024", "big-assembly"}
    assert set(wma) == {"assembly-2023", "students-assembly"}
    assert set(ama) | set(wma) == set(_vevents(files["events.ics"]))
    assert "WMA" not in str(icalendar.Calendar.from_ical(files["organizations/ama.ics"]).get("X-WR-CALNAME"))
    page = built.generated["organizations/ama.md"].markdown
    assert "**Calendar:** [Its events in your calendar](ama.ics)" in page
    assert {"organizations/ama.ics", "organizations/wma.ics"} <= built.file_paths
    # an organization with nothing in the calendars has no calendar, and no link to one
    alone = check(tree({"content/organizations/who.yml": "name: W\nkind: intergovernmental-organization\nsummary: s.\n"}))
    assert "organizations/who.ics" not in alone.render_files()
    assert "Calendar" not in alone.generated["organizations/who.md"].markdown


@pytest.mark.parametrize("line, expected", [
    ("months: [13]", "'months[0]'"),
    ("months: [5, 5]", "a month is named twice"),
    ("recurs: monthly", "write one of: 'yearly'"),
])
def test_a_wrong_series_is_one_located_message(tree, line, expected):
    text = "title: X\norganizers: [ama]\nsummary: s.\n" + ("" if line.startswith("recurs") else "recurs: yearly\n")
    site = check(tree({"content/series/x.yml": text + line + "\n"}))
    [error] = site.diagnostics.errors
    assert (error.path, error.line) == ("content/series/x.yml", text.count("\n") + 1), messages(site)
    assert expected in error.format_text() and "Traceback" not in error.format_text()


def test_an_event_naming_no_series_that_exists_is_located(tree):
    site = check(tree(_event("e", "2024-05-20", "nothing-of-the-kind")))
    [error] = site.diagnostics.errors
    assert error.path == "content/events/e.md" and error.code == "unknown-reference"
    assert "there is no recurring meeting with the id 'nothing-of-the-kind'" in error.format_text()
