"""Feeds, calendars and structured data of the built site, read with real parsers."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET

import feedparser
import icalendar
import pytest

from helpers import PROJECT, SITE_URL, SOURCE_DATE_EPOCH, reader_pages


def _catalog():
    from helpers import check
    return check(PROJECT).catalog


def _day_events(catalog):
    from oirsite.core.dates import Precision
    return [e for e in catalog.in_collection("events") if e.data.date.precision is Precision.DAY]


# Over the real content (or OIRSITE_PROJECT's): invariants only, never today's titles or counts.

def test_feed_holds_every_event_newest_first_with_absolute_links(built_site):
    catalog = _catalog()
    feed = feedparser.parse((built_site / "feed.xml").read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    ids = [e.link.removeprefix(SITE_URL + "events/").strip("/") for e in feed.entries]
    assert sorted(ids) == sorted(e.id for e in catalog.in_collection("events"))
    newest_first = sorted(catalog.in_collection("events"), key=lambda e: (e.data.date.first_day, e.id), reverse=True)
    assert ids == [e.id for e in newest_first]
    for item in feed.entries:
        event = catalog.entries[item.link.removeprefix(SITE_URL + "events/").strip("/")]
        assert item.title == event.data.title and item.link.startswith(SITE_URL)
        assert {t.label for t in item.get("tags", [])} == {catalog.entries[o].title for o in event.data.organizers}
    assert any(link.rel == "self" and link.href == SITE_URL + "feed.xml" for link in feed.feed.links)


def test_every_page_advertises_the_feed(built_site):
    for page in reader_pages(built_site):
        assert re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="[^"]*feed\.xml"',
                         page.read_text()), page
    assert 'href="../feed.xml"' in (built_site / "events/index.html").read_text()


def _calendar(path):
    return icalendar.Calendar.from_ical(path.read_bytes())


def test_calendar_holds_the_events_known_to_the_day_and_the_series_known_to_the_month(built_site):
    catalog = _catalog()
    vevents = _calendar(built_site / "events.ics").walk("VEVENT")
    events = {str(e["UID"]): e for e in vevents if "RRULE" not in e}
    assert set(events) == {f"{e.id}@oir.example.org" for e in _day_events(catalog)}
    recurring = {str(e["UID"]): e for e in vevents if "RRULE" in e}
    assert set(recurring) == {f"{e.id}@oir.example.org" for e in catalog.in_collection("series") if e.data.months}
    for entry in catalog.in_collection("series"):
        if entry.data.months:
            event = recurring[f"{entry.id}@oir.example.org"]
            assert event["RRULE"]["FREQ"] == ["YEARLY"] and event["RRULE"]["BYMONTH"] == entry.data.months
            assert str(event["STATUS"]) == "TENTATIVE" and event.decoded("DTSTART").day == 1
    stamp = dt.datetime.fromtimestamp(int(SOURCE_DATE_EPOCH), tz=dt.timezone.utc)
    for entry in _day_events(catalog):
        event = events[f"{entry.id}@oir.example.org"]
        last = (entry.data.end or entry.data.date).first_day
        assert event.decoded("DTSTART") == entry.data.date.first_day
        assert event.decoded("DTEND") == last + dt.timedelta(days=1)  # an all-day end is exclusive
        assert str(event["URL"]) == SITE_URL + f"events/{entry.id}/"
        assert event.decoded("DTSTAMP") == stamp


def test_each_dated_event_has_its_own_calendar_linked_from_its_page_while_it_is_ahead(built_site):
    catalog = _catalog()
    build_day = dt.datetime.fromtimestamp(int(SOURCE_DATE_EPOCH), tz=dt.timezone.utc).date()
    for entry in catalog.in_collection("events"):
        calendar = built_site / f"events/{entry.id}.ics"
        page = (built_site / f"events/{entry.id}/index.html").read_text()
        if entry in _day_events(catalog):
            [event] = _calendar(calendar).walk("VEVENT")
            assert str(event["SUMMARY"]) == entry.data.title
            ahead = (entry.data.end or entry.data.date).last_day >= build_day
            assert (f'href="../{entry.id}.ics"' in page) == ahead
            assert ("Add to your calendar" in page) == ahead
        else:
            assert not calendar.exists() and f"{entry.id}.ics" not in page
            assert "Add to your calendar" not in page  # (the footer links the site's calendar on every page)


def test_events_page_offers_the_feed_and_the_calendar_without_explaining_internals(built_site):
    page = (built_site / "events/index.html").read_text()
    text = re.sub(r"<[^>]+>", "", page.split("Follow the events", 1)[1])
    assert "left out" not in text and "known only" not in text
    assert 'href="../events.ics"' in page and 'href="../feed.xml"' in page


def test_calendar_uids_and_bytes_are_stable_between_builds(built_site, tmp_path, monkeypatch):
    from helpers import run_cli
    monkeypatch.setenv("SITE_URL", SITE_URL)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    assert run_cli("--root", str(PROJECT), "--site-dir", str(tmp_path / "again")).returncode == 0
    names = ["events.ics", "feed.xml"] + [p.relative_to(built_site).as_posix() for p in [*built_site.glob("events/*.ics"),
                                                                                          *built_site.glob("organizations/*.ics")]]
    for name in names:
        assert (tmp_path / "again" / name).read_bytes() == (built_site / name).read_bytes()


# Behaviour, on content the tests own.

def test_an_event_in_the_feed_and_the_calendar(tree):
    from helpers import check
    site = check(tree())
    files = site.render_files()
    feed = feedparser.parse(files["feed.xml"].encode())
    first = feed.entries[0]
    assert first.title == "The 2023 Assembly" and "met" in first.summary
    assert [t.label for t in first.tags] == ["World Medical Association"]
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(files["events.ics"]).walk("VEVENT")}
    assembly = events["assembly-2023@127.0.0.1"]
    assert assembly.decoded("DTSTART") == dt.date(2023, 10, 4)
    assert assembly.decoded("DTEND") == dt.date(2023, 10, 8)  # 4-7 October: the end is exclusive
    assert str(assembly["LOCATION"]) == "Kigali, Rwanda"


def _json_ld(built_site, path: str) -> dict:
    page = (built_site / path).read_text()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1, path
    return json.loads(blocks[0])


def test_event_json_ld(built_site):
    for entry in _catalog().in_collection("events"):
        data = _json_ld(built_site, f"events/{entry.id}/index.html")
        assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
        assert data["name"] == entry.data.title and data["startDate"] == entry.data.date.iso()
        assert data["endDate"] == (entry.data.end or entry.data.date).iso()
        if entry.data.place:
            assert data["location"]["address"] == {"@type": "PostalAddress", "addressLocality": entry.data.place.city,
                                                   "addressCountry": entry.data.place.country}
        assert [o["url"] for o in data.get("organizer", [])] == [
            f"{SITE_URL}organizations/{o}/" for o in entry.data.organizers]


def test_organization_json_ld(built_site):
    catalog = _catalog()
    for entry in catalog.in_collection("organizations"):
        data = _json_ld(built_site, f"organizations/{entry.id}/index.html")
        assert data["@type"] == "Organization" and data["name"] == entry.data.name
        assert data.get("alternateName") == entry.data.acronym and data["url"] == SITE_URL + f"organizations/{entry.id}/"
        if entry.data.parent:
            assert data["parentOrganization"]["name"] == catalog.entries[entry.data.parent].data.name
        if entry.data.founded:
            assert data["foundingDate"] == str(entry.data.founded)


def test_person_json_ld(built_site):
    catalog = _catalog()
    for entry in catalog.in_collection("people"):
        data = _json_ld(built_site, f"people/{entry.id}/index.html")
        assert data["@type"] == "Person" and data["name"] == entry.data.name
        assert data.get("honorificSuffix", "") == ", ".join(entry.data.credentials)
        assert {a["name"] for a in data.get("affiliation", [])} == {
            catalog.entries[r.organization].data.name for r in entry.data.roles}


@pytest.mark.parametrize("collection", ["organizations", "events", "people", "committees"])
def test_every_entry_page_carries_valid_json_ld(built_site, collection):
    for source in (PROJECT / "content" / collection).iterdir():
        data = _json_ld(built_site, f"{collection}/{source.stem}/index.html")
        assert data["@context"] == "https://schema.org" and isinstance(data["name"], str)
        assert data["url"] == f"{SITE_URL}{collection}/{source.stem}/"


def test_open_graph_and_canonical_on_every_page(built_site):
    for page in [p for p in reader_pages(built_site) if p.name == "index.html"]:
        html = page.read_text()
        for prop in ("og:title", "og:description", "og:url"):
            assert re.search(rf'<meta property="{prop}" content="[^"]+"', html), (page, prop)
        canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)
        assert canonical.startswith(SITE_URL)
        assert f'<meta property="og:url" content="{canonical}"' in html
    import html as html_module
    for entry in _catalog().in_collection("organizations"):
        page = (built_site / f"organizations/{entry.id}/index.html").read_text()
        description = re.search(r'<meta property="og:description" content="([^"]+)"', page).group(1)
        assert html_module.unescape(description) == " ".join(entry.data.summary.split())  # its own summary


def test_sitemap_lists_pages_with_last_modified_dates(built_site):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = ET.parse(built_site / "sitemap.xml").getroot().findall("s:url", ns)
    locations = {u.find("s:loc", ns).text for u in urls}
    assert {SITE_URL + f"events/{e.id}/" for e in _catalog().in_collection("events")} <= locations
    assert all(re.match(r"\d{4}-\d{2}-\d{2}", u.find("s:lastmod", ns).text) for u in urls)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from oirsite.core.escape import ics_lines, ics_text  # noqa: E402
from oirsite.outputs.syndication import calendar_file as write_calendar  # noqa: E402


# Every character that some calendar reader takes for a line break is drawn often, beside any other.
BREAKS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), st.sampled_from(BREAKS)),
                min_size=1, max_size=300).map("".join))
def test_calendar_text_survives_escaping_and_folding(text):
    """Folded at 75 octets, and read back as the same text, each kind of line break as one LF."""
    ics = write_calendar("Test", [["BEGIN:VEVENT", "UID:x@example.org", "DTSTAMP:20231114T221320Z",
                              "DTSTART;VALUE=DATE:20231004", f"SUMMARY:{ics_text(text)}", "END:VEVENT"]])
    assert all(len(line.encode("utf-8")) <= 75 for line in ics.split("\r\n"))
    [event] = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert str(event["SUMMARY"]) == re.sub(r"\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]", "\n", text)


def test_folding_never_splits_a_character():
    line = "SUMMARY:" + "é" * 100
    folded = ics_lines([line])
    assert folded.replace("\r\n ", "") == line + "\r\n"
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
