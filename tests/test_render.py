"""Generated pages: entry pages, indexes, recent events and backlinks."""

from helpers import check


def test_every_entry_gets_a_page_and_every_index_exists(tree):
    site = check(tree())
    assert {"organizations/ama.md", "organizations/wma.md", "people/jane-doe.md",
            "events/assembly-2023.md", "events/day-2021.md"} <= set(site.generated)
    assert {"organizations/index.md", "events/index.md", "people/index.md", "committees/index.md",
            "glossary/index.md", "activities/index.md"} <= set(site.generated)


def test_entry_page_edits_its_content_file(tree):
    site = check(tree())
    assert site.generated["events/assembly-2023.md"].source == "content/events/assembly-2023.md"


def test_event_page_has_one_header_then_the_summary_once_then_the_body(tree, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")  # September 2020: the event is still ahead
    page = check(tree()).generated["events/assembly-2023.md"].markdown
    page = page.split("\n---\n", 1)[1]  # the page itself, after its front matter (where it is the description)
    header = page.split("# The 2023 Assembly", 1)[1].split("The assembly met.", 1)[0]
    assert "**Date:** 4–7 October 2023" in header
    assert "**Place:** Kigali, Rwanda" in header
    assert "**Organizers:** [World Medical Association](../organizations/wma.md)" in header
    assert "[Jane Doe, MD](../people/jane-doe.md)" in header
    assert "[Add to your calendar](assembly-2023.ics)" in header
    assert page.count("The assembly met.") == 1  # the summary, once
    assert page.index("The assembly met.") < page.index("met in Kigali")  # then the body


def test_mentions_come_from_fields_and_bodies_of_entry_pages_grouped_by_collection(tree):
    site = check(tree({"docs/about.md": "# About us\n\nWe work with [[wma]].\n"}))
    page = site.generated["organizations/wma.md"].markdown
    mentioned = page.split("## Mentioned in", 1)[1]
    assert "Referenced by" not in page
    assert mentioned.index("### Events") < mentioned.index("### People")
    # a field and a body: once, with its date; its summary stays on its own page and in the lists
    assert "- [The 2023 Assembly](../events/assembly-2023.md), 4–7 October 2023\n" in mentioned + "\n"
    assert "The assembly met." not in mentioned and mentioned.count("assembly-2023") == 1
    assert "[Jane Doe, MD](../people/jane-doe.md)" in mentioned.split("### People", 1)[1]  # a nested field (roles)
    # a hand-written page about the site is not content about the entry
    assert "About us" not in mentioned and "### Pages" not in mentioned


def test_mentions_list_events_newest_first_and_leave_out_home_and_glossary(tree):
    site = check(tree({
        "content/events/day-2022.md": "---\ntitle: Day 2022\ndate: 2022-03\norganizers: [wma]\nsummary: s\n---\n",
        "content/events/day-2020.md": "---\ntitle: Day 2020\ndate: 2020\norganizers: [wma]\nsummary: s\n---\n",
        "content/glossary/wmx.yml": "term: WMX\nexpansion: World Medical X\nrefers_to: wma\n",
        "docs/index.md": "# Home\n\nWe work with [[wma]].\n",
    }))
    mentioned = site.generated["organizations/wma.md"].markdown.split("## Mentioned in", 1)[1]
    assert mentioned.index("The 2023 Assembly") < mentioned.index("Day 2022") < mentioned.index("Day 2020")
    assert "March 2022" in mentioned and "Day 2020](../events/day-2020.md), 2020" in mentioned
    assert "glossary" not in mentioned and "index.md" not in mentioned


def test_entry_nobody_refers_to_has_no_mentions_section(tree):
    page = check(tree()).generated["events/day-2021.md"].markdown
    assert "Mentioned in" not in page


def test_events_index_is_a_timeline_from_the_build_date(tree, monkeypatch):
    root = tree({"content/events/jan-2021.md": "---\ntitle: January\ndate: 2021-01\nsummary: s\n---\n",
                 "content/events/next.md": "---\ntitle: Next one\ndate: 2023-12-01\nsummary: s\n---\n",
                 "content/events/later.md": "---\ntitle: Later one\ndate: 2024\nsummary: s\n---\n"})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 14 November 2023
    page = check(root).generated["events/index.md"].markdown
    upcoming, past = page.split("## Upcoming", 1)[1].split("## Past events", 1)
    assert upcoming.index("Next one") < upcoming.index("Later one")  # soonest first
    assert "The 2023 Assembly" not in upcoming and "The 2023 Assembly" in past
    assert past.index("### 2023") < past.index("### 2021")
    assert past.index("A day in 2021") < past.index("January")
    assert "1 December 2023" in upcoming and "January 2021" in past  # each at its own precision
    assert "Kigali, Rwanda · World Medical Association" in past  # place and organizers
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")  # September 2020: all still to come
    page = check(root).generated["events/index.md"].markdown
    assert "## Past events" not in page and "A day in 2021" in page.split("## Upcoming", 1)[1]


def test_home_block_shows_upcoming_events_or_else_the_recent_ones(tree, monkeypatch):
    root = tree({"docs/index.md": "# Home\n\n{{ upcoming_events }}\n\n{{ count_events }}, {{ count_people }}\n"})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")  # September 2020
    home = check(root).hand_written["index.md"].markdown
    assert "## Upcoming events" in home and home.index("A day in 2021") < home.index("The 2023 Assembly")
    assert "2 events, 1 person" in home
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # 2027
    home = check(root).hand_written["index.md"].markdown
    assert "## Recent events" in home and home.index("The 2023 Assembly") < home.index("A day in 2021")


def test_recent_events_follow_the_dates_and_the_setting(tree):
    root = tree({"content/events/new-2024.md": "---\ntitle: Newest\ndate: 2024-05\nsummary: s\n---\n"})
    home = check(root, recent_events=2).hand_written["index.md"].markdown
    assert "Newest" in home and "The 2023 Assembly" in home and "A day in 2021" not in home
    assert home.index("Newest") < home.index("The 2023 Assembly")
    assert "A day in 2021" in check(root, recent_events=3).hand_written["index.md"].markdown


def test_organizations_are_grouped_by_kind(tree):
    page = check(tree()).generated["organizations/index.md"].markdown
    assert "## National medical associations" in page and "## International medical associations" in page
    assert page.index("American Medical Association") < page.index("## International medical associations")


def test_glossary_lists_acronyms_of_entries_and_terms(tree):
    site = check(tree({"content/glossary/nmo.yml": "term: NMO\nexpansion: National Member Organization\n"}))
    page = site.generated["glossary/index.md"].markdown
    assert "| AMA | [American Medical Association](../organizations/ama.md) |" in page
    assert '<span id="nmo">NMO</span> | National Member Organization |' in page


def test_open_items_are_warnings_for_editors_and_absent_for_readers(tree):
    site = check(tree({"content/organizations/ama.yml": (
        "name: AMA\nkind: national-medical-association\nsummary: s\n"
        "contacts:\n  - role: Secretary General\n    email:\n      open: no address in the source\n"
        "links:\n  - text: Join us today\n    url:\n      open: no address given\n"
        "  - text: Our site\n    url: https://example.org/\n")}))
    assert site.diagnostics.errors == []
    assert sorted((w.code, w.line) for w in site.diagnostics.warnings) == [("open-item", 7), ("open-item", 11)]
    page = site.generated["organizations/ama.md"].markdown
    assert "Secretary General" not in page  # a role with no address and no person leads nowhere: not a contact
    assert "Join us today" not in page and "no address" not in page  # a call to action with no address
    assert "- [Our site](<https://example.org/>)" in page


def test_markdown_in_titles_is_escaped_in_links(tree):
    site = check(tree({"content/events/x.md": "---\ntitle: 'A [bracket] title'\ndate: 2021\nsummary: s\n---\n"}))
    assert "[A \\[bracket\\] title](x.md)" in site.generated["events/index.md"].markdown.replace("../events/", "")


def test_a_page_gets_the_abbreviations_it_uses():
    from oirsite.pages.abbreviations import used_abbreviations
    glossary = {"WMA": "World Medical Association", "COVID-19": "Coronavirus disease 2019", "UN": "United Nations",
                "NMO": "National Member Organization"}
    text = "The WMA-led call on COVID-19's spread, by NMOs."
    assert used_abbreviations(text, glossary) == {"WMA": "World Medical Association",
                                                  "COVID-19": "Coronavirus disease 2019"}


def test_an_acronym_keeps_its_tooltip_at_its_first_use_only():
    from oirsite.pages.abbreviations import first_use_only
    html = ('<h1>The <abbr title="World Medical Association">WMA</abbr></h1><p><abbr title="World Medical '
            'Association">WMA</abbr> and <abbr title="World Health Organization">WHO</abbr>, '
            '<abbr title="World Medical Association">WMA</abbr>.</p>')
    assert first_use_only(html) == ('<h1>The <abbr title="World Medical Association">WMA</abbr></h1><p>WMA and '
                                    '<abbr title="World Health Organization">WHO</abbr>, WMA.</p>')
