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


def test_event_page_shows_date_place_and_links(tree):
    page = check(tree()).generated["events/assembly-2023.md"].markdown
    assert "**Date:** 4–7 October 2023" in page
    assert "**Place:** Kigali, Rwanda" in page
    assert "[World Medical Association](../organizations/wma.md)" in page
    assert "[Jane Doe, MD](../people/jane-doe.md)" in page


def test_backlinks_come_from_fields_bodies_and_pages(tree):
    site = check(tree({"docs/about.md": "# About us\n\nWe work with [[wma]].\n"}))
    page = site.generated["organizations/wma.md"].markdown
    referenced = page.split("## Referenced by", 1)[1]
    assert "[About us](../about.md)" in referenced  # an inline reference in docs/
    assert "[The 2023 Assembly](../events/assembly-2023.md)" in referenced  # a field and a body
    assert "[Jane Doe, MD](../people/jane-doe.md)" in referenced  # a nested field (roles)
    assert referenced.count("assembly-2023") == 1


def test_entry_nobody_refers_to_has_no_backlink_section(tree):
    page = check(tree()).generated["events/day-2021.md"].markdown
    assert "Referenced by" not in page


def test_events_index_is_newest_first_grouped_by_year(tree):
    site = check(tree({"content/events/jan-2021.md": "---\ntitle: January\ndate: 2021-01\nsummary: s\n---\n"}))
    page = site.generated["events/index.md"].markdown
    assert page.index("## 2023") < page.index("## 2021")
    assert page.index("A day in 2021") < page.index("January")


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


def test_open_items_are_warnings_and_show_no_link(tree):
    site = check(tree({"content/organizations/ama.yml": (
        "name: AMA\nkind: national-medical-association\nsummary: s\n"
        "links:\n  - text: Join\n    url:\n      open: no address given\n")}))
    assert site.diagnostics.errors == []
    [warning] = site.diagnostics.warnings
    assert (warning.code, warning.line) == ("open-item", 7)
    page = site.generated["organizations/ama.md"].markdown
    assert "- Join (*not available: no address given*)" in page
    assert "](" not in page.split("## Links")[1].split("##")[0]


def test_markdown_in_titles_is_escaped_in_links(tree):
    site = check(tree({"content/events/x.md": "---\ntitle: 'A [bracket] title'\ndate: 2021\nsummary: s\n---\n"}))
    assert "[A \\[bracket\\] title](x.md)" in site.generated["events/index.md"].markdown.replace("../events/", "")


def test_a_page_gets_the_abbreviations_it_uses():
    from oirsite.render import used_abbreviations
    glossary = {"WMA": "World Medical Association", "COVID-19": "Coronavirus disease 2019", "UN": "United Nations",
                "NMO": "National Member Organization"}
    text = "The WMA-led call on COVID-19's spread, by NMOs."
    assert used_abbreviations(text, glossary) == {"WMA": "World Medical Association",
                                                  "COVID-19": "Coronavirus disease 2019"}
