"""Each output escaper against the real parser of its format, with generated text of every kind."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import feedparser
import icalendar
from hypothesis import example, given, settings, strategies as st

from helpers import ROOT  # noqa: F401  (puts scripts/ on the path)
from oirsite.core.escape import REPLACEMENT, ics_lines, ics_text, script_json, xml_text

# Any text: every code point (lone surrogates included), with line breaks and controls made likely.
ANY_TEXT = st.lists(st.one_of(
    st.characters(codec=None),
    st.sampled_from(["\r", "\n", "\r\n", "\x0b", "\x0c", "\x00", "\x1f", "\x7f", "\x85", "\u2028", "\u2029",
                     "\ufffe", "\uffff", "\ud800", "\\", ";", ",", ":", "<", ">", "&", "</script", "<!--", "é", "😀"]),
), max_size=60).map("".join)
PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff\x85\u2028\u2029")


def _calendar(summary: str, description: str) -> str:
    return ics_lines([
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", "BEGIN:VEVENT", "UID:1@example.org",
        "DTSTAMP:20240101T000000Z", "DTSTART;VALUE=DATE:20240101", f"SUMMARY:{ics_text(summary)}",
        f"DESCRIPTION:{ics_text(description)}", "END:VEVENT", "END:VCALENDAR"])


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT, ANY_TEXT)
@example("a\rSUMMARY:x", "b\r\nDTSTART:2000")
@example("é" * 80, "😀" * 40)
def test_ics_text_survives_icalendar_and_keeps_one_line_per_property(summary, description):
    text = _calendar(summary, description)
    data = text.encode("utf-8")  # no lone surrogate reached the output
    lines = data.split(b"\r\n")
    assert lines[-1] == b""
    for line in lines[:-1]:
        assert b"\r" not in line and b"\n" not in line
        assert len(line) <= 75
    unfolded = text.replace("\r\n ", "")
    names = [line.split(":", 1)[0].split(";", 1)[0] for line in unfolded.split("\r\n") if line]
    assert names == ["BEGIN", "VERSION", "PRODID", "BEGIN", "UID", "DTSTAMP", "DTSTART", "SUMMARY",
                     "DESCRIPTION", "END", "END"]
    event = icalendar.Calendar.from_ical(text).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == _expected_ics(summary)
    assert str(event["DESCRIPTION"]) == _expected_ics(description)


def _expected_ics(value: str) -> str:
    """What a reader gets back: breaks as LF, other controls and noncharacters replaced."""
    import re
    value = re.sub(r"\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]", "\n", value)
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff\ud800-\udfff]", REPLACEMENT, value)


@settings(max_examples=200, deadline=None)
@given(st.text(PRINTABLE, max_size=300))
def test_printable_ics_text_reads_back_exactly(value):
    event = icalendar.Calendar.from_ical(_calendar(value, "x")).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == value


@settings(max_examples=100, deadline=None)
@given(st.lists(ANY_TEXT, max_size=5))
def test_ics_lines_never_lets_a_value_start_a_new_property(values):
    lines = [f"X-TEXT:{value}" for value in values]  # even a value that skipped ics_text
    out = ics_lines(lines).encode("utf-8")
    assert out.count(b"\r\n") - out.count(b"\r\n ") == len(lines)  # one content line per line given
    assert b"\r" not in out.replace(b"\r\n", b"") and b"\n" not in out.replace(b"\r\n", b"")


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
@example("\x00\x0b\x1f\ufffe\uffff\ud800")
def test_xml_text_always_makes_well_formed_atom(value):
    atom = "http://www.w3.org/2005/Atom"
    feed = ET.Element(f"{{{atom}}}feed")
    ET.SubElement(feed, f"{{{atom}}}title").text = xml_text(value)
    entry = ET.SubElement(feed, f"{{{atom}}}entry")
    ET.SubElement(entry, f"{{{atom}}}title").text = xml_text(value)
    document = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode")
    data = document.encode("utf-8")
    root = ET.fromstring(data)  # a strict XML 1.0 parser
    # Every character valid in XML comes back; \r is normalised to \n by any XML parser.
    expected = xml_text(value).replace("\r\n", "\n").replace("\r", "\n")
    assert (root.find(f"{{{atom}}}title").text or "") == expected
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert len(parsed.entries) == 1


# (feedparser "repairs" text that looks like doubly encoded UTF-8, such as 'Â\xa0': the text between
# the breaks is kept clear of that, which is feedparser's business and not the escaper's)
@given(st.sampled_from(["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\r", "\r\n"]),
       st.text(st.sampled_from("ab ;,:\\<>&\"'é😀€中"), max_size=20))
def test_every_kind_of_line_break_reads_back_alike_in_calendar_feed_and_json_ld(brk, text):
    """A character some reader takes for a line break: a calendar reader gets one LF (a raw one would
    let a reader that splits on it cut the property); the feed gets its text back (NEL, a line end
    in XML 1.1 and a '…' to feedparser, as LF); JSON-LD gets exactly its text back."""
    value = f"a{brk}{text}{brk}b"
    event = icalendar.Calendar.from_ical(_calendar(value, value)).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == str(event["DESCRIPTION"]) == f"a\n{text}\nb"
    assert all(ch not in ics_text(value) for ch in "\x0b\x0c\x85\u2028\u2029\r\n")
    atom = "http://www.w3.org/2005/Atom"
    feed = ET.Element(f"{{{atom}}}feed")
    entry = ET.SubElement(feed, f"{{{atom}}}entry")
    ET.SubElement(entry, f"{{{atom}}}title").text = xml_text(value)
    data = ('<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode")).encode("utf-8")
    written = re.sub(r"\r\n|[\r\x0b\x0c\x85]", "\n", value)
    assert feedparser.parse(data).entries[0].title == written
    assert ET.fromstring(data).find(f"{{{atom}}}entry/{{{atom}}}title").text == written
    assert json.loads(script_json({"name": value}))["name"] == value


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.after: list[str] = []
        self._in = False

    def handle_starttag(self, tag, attrs):
        self._in = tag == "script"
        if self._in:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._in = False

    def handle_data(self, data):
        if self._in:
            self.scripts[-1] += data
        else:
            self.after.append(data)

    def handle_comment(self, data):
        self.after.append("<!--" + data)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | ANY_TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(ANY_TEXT, children, max_size=4),
    max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
@example({"name": "</script><script>window.__pwned=1</script>", "x": "<!--<script>", "y": "\u2028\u2029"})
def test_script_json_stays_inside_its_script_element_and_reads_back(value):
    text = script_json(value)
    for forbidden in ("<", ">", "&", "\u2028", "\u2029"):
        assert forbidden not in text
    text.encode("utf-8")  # lone surrogates are \u escapes, so the page can be written as UTF-8
    html = f'<script type="application/ld+json">{text}</script><p>after</p>'
    parser = _Scripts()
    parser.feed(html)
    parser.close()
    assert len(parser.scripts) == 1 and parser.after == ["after"]
    assert json.loads(parser.scripts[0]) == value
