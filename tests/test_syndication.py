"""Feeds, calendars and structured data of the built site, read with real parsers."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET

import feedparser
import icalendar
import pytest

from helpers import ROOT, SITE_URL, SOURCE_DATE_EPOCH, reader_pages

EVENTS = sorted(p.stem for p in (ROOT / "content" / "events").iterdir())


def test_feed_holds_every_event_newest_first_with_absolute_links(built_site):
    feed = feedparser.parse((built_site / "feed.xml").read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert sorted(e.link.removeprefix(SITE_URL + "events/").strip("/") for e in feed.entries) == EVENTS
    published = [e.published_parsed for e in feed.entries]
    assert published == sorted(published, reverse=True)
    first = feed.entries[0]
    assert first.title == "World Medical Association meets in Africa"
    assert first.link == SITE_URL + "events/wma-general-assembly-2023/"
    assert "Kigali" in first.summary
    assert [t.label for t in first.tags] == ["World Medical Association"]
    assert any(link.rel == "self" and link.href == SITE_URL + "feed.xml" for link in feed.feed.links)


def test_every_page_advertises_the_feed(built_site):
    pages = list(reader_pages(built_site))
    for page in pages:
        assert re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="[^"]*feed\.xml"',
                         page.read_text()), page
    assert 'href="../feed.xml"' in (built_site / "events/index.html").read_text()


def _calendar(path):
    return icalendar.Calendar.from_ical(path.read_bytes())


def test_calendar_holds_the_events_known_to_the_day(built_site):
    calendar = _calendar(built_site / "events.ics")
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"wma-general-assembly-2023@oir.example.org", "world-health-day-2021@oir.example.org"}
    assembly = events["wma-general-assembly-2023@oir.example.org"]
    assert assembly.decoded("DTSTART") == dt.date(2023, 10, 4)
    assert assembly.decoded("DTEND") == dt.date(2023, 10, 8)  # 4-7 October: the end is exclusive
    assert str(assembly["LOCATION"]) == "Kigali, Rwanda"
    assert str(assembly["URL"]) == SITE_URL + "events/wma-general-assembly-2023/"
    stamp = assembly.decoded("DTSTAMP")
    assert stamp == dt.datetime.fromtimestamp(int(SOURCE_DATE_EPOCH), tz=dt.timezone.utc)
    day = events["world-health-day-2021@oir.example.org"]
    assert day.decoded("DTEND") - day.decoded("DTSTART") == dt.timedelta(days=1)


def test_each_dated_event_has_its_own_calendar_linked_from_its_page(built_site):
    calendar = _calendar(built_site / "events/wma-general-assembly-2023.ics")
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "World Medical Association meets in Africa"
    page = (built_site / "events/wma-general-assembly-2023/index.html").read_text()
    assert 'href="../wma-general-assembly-2023.ics"' in page
    assert not (built_site / "events/whpa-support-health-workers-2021.ics").exists()


def test_events_page_offers_the_feed_and_the_calendar_without_explaining_internals(built_site):
    page = (built_site / "events/index.html").read_text()
    text = re.sub(r"<[^>]+>", "", page.split("Follow the events", 1)[1])
    assert "left out" not in text and "known only" not in text
    assert 'href="../events.ics"' in page and 'href="../feed.xml"' in page


def test_calendar_uids_and_bytes_are_stable_between_builds(built_site, tmp_path):
    import os
    from helpers import run_cli
    os.environ.update(SITE_URL=SITE_URL, SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH)
    try:
        assert run_cli("--site-dir", str(tmp_path / "again")).returncode == 0
    finally:
        del os.environ["SITE_URL"], os.environ["SOURCE_DATE_EPOCH"]
    for name in ("events.ics", "feed.xml", "events/wma-general-assembly-2023.ics"):
        assert (tmp_path / "again" / name).read_bytes() == (built_site / name).read_bytes()


def _json_ld(built_site, path: str) -> dict:
    page = (built_site / path).read_text()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1, path
    return json.loads(blocks[0])


def test_event_json_ld(built_site):
    data = _json_ld(built_site, "events/wma-general-assembly-2023/index.html")
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["name"] == "World Medical Association meets in Africa"
    assert (data["startDate"], data["endDate"]) == ("2023-10-04", "2023-10-07")
    assert data["location"]["@type"] == "Place"
    assert data["location"]["address"] == {"@type": "PostalAddress", "addressLocality": "Kigali",
                                           "addressCountry": "Rwanda"}
    assert data["organizer"] == [{"@type": "Organization", "name": "World Medical Association",
                                  "url": SITE_URL + "organizations/wma/"}]
    year_only = _json_ld(built_site, "events/whpa-support-health-workers-2021/index.html")
    assert year_only["startDate"] == "2021"


def test_organization_json_ld(built_site):
    data = _json_ld(built_site, "organizations/oir/index.html")
    assert data["@type"] == "Organization" and data["name"] == "Office of International Relations"
    assert data["alternateName"] == "OIR" and data["url"] == SITE_URL + "organizations/oir/"
    assert data["parentOrganization"]["name"] == "American Medical Association"
    ifmsa = _json_ld(built_site, "organizations/ifmsa/index.html")
    assert ifmsa["foundingDate"] == "1951" and ifmsa["sameAs"].startswith("https://")


def test_person_json_ld(built_site):
    data = _json_ld(built_site, "people/david-barbe/index.html")
    assert data["@type"] == "Person" and data["name"] == "David Barbe"
    assert data["honorificSuffix"] == "MD, MHA"
    assert {a["name"] for a in data["affiliation"]} == {"World Medical Association", "American Medical Association"}


@pytest.mark.parametrize("collection", ["organizations", "events", "people", "committees"])
def test_every_entry_page_carries_valid_json_ld(built_site, collection):
    for source in (ROOT / "content" / collection).iterdir():
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
    wma = (built_site / "organizations/wma/index.html").read_text()
    description = re.search(r'<meta property="og:description" content="([^"]+)"', wma).group(1)
    import html as html_module
    import yaml
    from helpers import ROOT
    summary = yaml.safe_load((ROOT / "content/organizations/wma.yml").read_text(encoding="utf-8"))["summary"]
    assert html_module.unescape(description) == " ".join(summary.split())  # the entry's own summary


def test_sitemap_lists_pages_with_last_modified_dates(built_site):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = ET.parse(built_site / "sitemap.xml").getroot().findall("s:url", ns)
    locations = {u.find("s:loc", ns).text for u in urls}
    assert SITE_URL + "events/wma-general-assembly-2023/" in locations
    assert all(re.match(r"\d{4}-\d{2}-\d{2}", u.find("s:lastmod", ns).text) for u in urls)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from oirsite.escape import ics_lines, ics_text  # noqa: E402
from oirsite.syndication import _calendar as write_calendar  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=300))
def test_calendar_text_survives_escaping_and_folding(text):
    ics = write_calendar("Test", [["BEGIN:VEVENT", "UID:x@example.org", "DTSTAMP:20231114T221320Z",
                              "DTSTART;VALUE=DATE:20231004", f"SUMMARY:{ics_text(text)}", "END:VEVENT"]])
    assert all(len(line.encode("utf-8")) <= 75 for line in ics.split("\r\n"))
    [event] = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert str(event["SUMMARY"]) == text


def test_folding_never_splits_a_character():
    line = "SUMMARY:" + "é" * 100
    folded = ics_lines([line])
    assert folded.replace("\r\n ", "") == line + "\r\n"
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
