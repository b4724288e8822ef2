"""Sources: every fact-bearing entry names one; the sources page; review age warnings for editors."""

from __future__ import annotations

import datetime as dt
import re

from helpers import PROJECT, ROOT, check, copy_project, messages, run_cli, write_tree

SOURCE = {"content/sources/handbook.yml": "title: The handbook\npublisher: The publisher\n"
                                           "url: https://example.org/handbook\nobtained: stored copy\nread: 2023-01-05\n"}


def test_with_sources_kept_a_fact_bearing_entry_without_one_is_an_error(tree):
    site = check(tree({**SOURCE, "content/organizations/new.yml": "name: New\nkind: ama-council\nsummary: s\n"}))
    missing = [d for d in site.diagnostics.errors if d.path == "content/organizations/new.yml"]
    assert [(d.code, d.line) for d in missing] == [("missing-source", 1)]
    assert "names no source" in missing[0].message and "content/sources/" in missing[0].hint
    # the base tree's entries name no source either: each is reported, once
    assert {d.path for d in site.diagnostics.errors} >= {"content/events/assembly-2023.md", "content/people/jane-doe.yml"}


def test_an_entry_naming_its_source_passes_and_its_page_ends_with_it(tree):
    site = check(tree({**SOURCE, "content/organizations/new.yml":
                       "name: New\nkind: ama-council\nsummary: s\nsources: [handbook]\nreviewed: 2024-02-29\n"}))
    assert not [d for d in site.diagnostics.errors if d.path == "content/organizations/new.yml"]
    page = site.generated["organizations/new.md"].markdown
    sources = page.split("## Sources", 1)[1]
    assert "[The handbook](../sources/index.md#handbook), The publisher" in sources
    assert "Checked against its sources on 29 February 2024." in sources
    index = site.generated["sources/index.md"].markdown
    assert "## The handbook {#handbook}" in index and "<https://example.org/handbook>" in index
    assert "5 January 2023" in index


def test_a_wrong_source_id_is_reported_where_it_stands(tree):
    site = check(tree({**SOURCE, "content/organizations/new.yml": "name: New\nkind: ama-council\nsummary: s\n"
                                                                  "sources: [handbok]\n"}))
    [wrong] = [d for d in site.diagnostics.errors if d.path == "content/organizations/new.yml"]
    assert (wrong.code, wrong.line) == ("unknown-reference", 4) and "handbook" in wrong.hint


def test_glossary_terms_and_sources_need_no_source(tree):
    site = check(tree({**SOURCE, "content/glossary/nmo.yml": "term: NMO\nexpansion: National Member Organization\n"}))
    assert not [d for d in site.diagnostics.errors if d.path.startswith(("content/glossary/", "content/sources/"))]


def test_a_site_without_sources_is_not_held_to_them(tree):
    assert check(tree()).diagnostics.errors == []


def test_a_source_address_must_be_https(tree):
    site = check(tree({"content/sources/bad.yml": "title: t\npublisher: p\nurl: http://example.org/\nobtained: stored copy\nread: 2023-01-05\n"}))
    assert [(d.code, d.line) for d in site.diagnostics.errors] == [("invalid-value", 3)]


def test_the_check_fails_for_a_new_real_entry_without_a_source(tmp_path):
    root = copy_project(tmp_path)
    write_tree(root, {"content/organizations/new-council.yml": "name: A new council\nkind: ama-council\n"
                                                               "summary: A council of the AMA.\n"})
    result = run_cli("--check", "--root", str(root))
    assert result.returncode == 1
    assert "content/organizations/new-council.yml:1:1: error: this organization states facts but names no source" \
        in result.stdout
    assert "Traceback" not in result.stderr


def test_every_real_fact_bearing_entry_names_a_source_and_a_review_day():
    site = check(PROJECT)
    assert site.diagnostics.errors == [], messages(site)
    for entry in site.catalog.entries.values():
        if entry.spec.fact_bearing:
            assert entry.data.sources and entry.data.reviewed, entry.source


def test_reviews_older_than_the_configured_age_are_warnings_for_editors(tree, monkeypatch):
    from oirsite.core import diagnostics as diag
    from oirsite.graph.rules import check_review_age
    from oirsite.core.diagnostics import Diagnostics
    site = check(tree({"content/organizations/old.yml": "name: Old\nkind: ama-council\nsummary: s\nreviewed: 2020-01-01\n",
                       "content/organizations/fresh.yml": "name: Fresh\nkind: ama-council\nsummary: s\nreviewed: 2023-06-01\n"}))
    found = Diagnostics()
    check_review_age(site.catalog.entries.values(), found, 365, dt.date(2023, 11, 14))
    assert [(d.path, d.line, d.severity.value, d.code) for d in found] == [
        ("content/organizations/old.yml", 4, "warning", "stale-review")]
    assert "every 365 days" in found[0].message and "reviewed:" in found[0].hint


SEED = {"records/guide-2021.txt": "The Office\u2019s guide\n\nIt works   through the World\nMedical Association.\n",
        "content/sources/guide.yml": "title: The guide\npublisher: The publisher\nurl: https://example.org/guide\n"
                                     "obtained: seed\nas_of: 2021\nrecord: guide-2021.txt\n"}


def _ours(found: list) -> list:
    """The messages about this test's own files (the base tree's entries name no sources)."""
    return [d for d in found if d.path == "content/organizations/new.yml" or d.path.startswith("content/sources/")]


def _council(locators: str) -> dict:
    return {"content/organizations/new.yml": "name: New\nkind: ama-council\nsummary: s\nsources: [guide]\n"
                                             "locators:\n" + locators}


def test_a_locator_in_the_kept_text_of_a_seed_page_passes_and_links_to_the_passage(tree):
    # Blanks, line breaks, letter case and typographic quotes do not matter; the words do.
    site = check(tree({**SEED, **_council("  - source: guide\n    text: \"the office's GUIDE\"\n"
                                          "  - source: guide\n    text: works through the World Medical Association\n")}))
    assert not _ours(site.diagnostics.errors), messages(site)
    sources = site.generated["organizations/new.md"].markdown.split("## Sources", 1)[1]
    assert "[The guide](../sources/index.md#guide), The publisher, 2021" in sources
    assert "(<https://example.org/guide#:~:text=works%20through%20the%20World%20Medical%20Association>)" in sources


def test_a_locator_that_is_not_in_the_kept_text_fails_at_its_file_and_line(tree):
    site = check(tree({**SEED, **_council("  - source: guide\n    text: works through the World Medical Association\n"
                                          "  - source: guide\n    text: works with the World Medical Association\n")}))
    [wrong] = _ours(site.diagnostics.errors)
    assert (wrong.path, wrong.line, wrong.code) == ("content/organizations/new.yml", 9, "locator-not-found")
    assert "'works with the World Medical Association'" in wrong.message and "records/" in wrong.hint


def test_changing_a_real_locator_fails_the_check_at_its_line(tmp_path):
    root = copy_project(tmp_path)
    files = sorted((root / "content").rglob("*.md")) + sorted((root / "content").rglob("*.yml"))
    file, line_no, old = next((f, n, line) for f in files
                              for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1)
                              if line.strip().startswith("text:") and "locators:" in f.read_text(encoding="utf-8"))
    lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line_no - 1] = old.replace("text:", "text: nowhere in the page", 1) + "\n"
    file.write_text("".join(lines), encoding="utf-8")
    result = run_cli("--check", "--root", str(root))
    assert result.returncode == 1
    rel = file.relative_to(root).as_posix()
    assert re.search(rf"^{re.escape(rel)}:{line_no}:\d+: error: the words 'nowhere in the page", result.stdout, re.M), \
        result.stdout


def test_a_locator_must_name_one_of_the_entrys_sources_and_a_record_must_exist(tree):
    site = check(tree({**SEED, "content/sources/other.yml": "title: o\npublisher: p\nobtained: seed\nrecord: gone.txt\n",
                       **_council("  - source: other\n    text: anything at all\n")}))
    found = sorted((d.path, d.line, d.code) for d in _ours(site.diagnostics.errors))
    assert found == [("content/organizations/new.yml", 6, "locator-source"),
                     ("content/sources/other.yml", 4, "missing-record")]


def test_a_source_says_how_it_was_obtained_never_a_consultation(tree):
    site = check(tree({**SEED, "content/sources/copy.yml": "title: A news post\npublisher: P\nurl: https://example.org/n\n"
                                                           "obtained: stored copy\nread: 2026-12-03\ndated: 2023-10\n",
                       "content/sources/half.yml": "title: h\npublisher: p\nobtained: stored copy\n",
                       "content/sources/old.yml": "title: o\npublisher: p\nconsulted: 2023-01-05\n"}))
    assert sorted((d.path, d.code) for d in _ours(site.diagnostics.errors)) == [
        ("content/sources/half.yml", "invalid-value"), ("content/sources/old.yml", "missing-field"),
        ("content/sources/old.yml", "unknown-field")]
    index = site.generated["sources/index.md"].markdown
    assert "Read in a stored copy of the page on 3 December 2026" in index and "dated October 2023" in index
    assert "## The guide (2021) {#guide}" in index and "as it stood in 2021" in index
    assert "consulted" not in index.lower()


def test_entries_whose_sources_are_older_than_the_set_age_are_listed_for_editors(tree):
    from oirsite.core.diagnostics import Diagnostics
    from oirsite.read.settings import Settings
    from oirsite.site import build_site
    root = tree({**SEED, "content/organizations/new.yml": "name: New\nkind: ama-council\nsummary: s\nsources: [guide]\n"})
    site = build_site(root, Settings(root, source_max_age_years=2), Diagnostics())
    assert [(d.path, d.code, d.severity.value) for d in site.diagnostics if d.code == "old-sources"] == [
        ("content/organizations/new.yml", "old-sources", "warning")]


def test_a_page_that_opens_with_too_few_words_is_a_warning_for_editors(tree):
    body = " ".join(["word"] * 29)
    site = check(tree({"content/organizations/short.md": f"---\nname: Short\nkind: ama-council\nsummary: s\n---\n\n{body}\n",
                       "content/organizations/long.md": "---\nname: Long\nkind: ama-council\nsummary: s\n---\n\n"
                                                        f"The [[ama|American Medical Association]]'s {body}\n",
                       "content/organizations/bare.yml": "name: Bare\nkind: ama-council\nsummary: Only a line.\n"}))
    ours = ("content/organizations/short.md", "content/organizations/long.md", "content/organizations/bare.yml")
    found = sorted((d.path, d.line, d.severity.value) for d in site.diagnostics
                   if d.code == "short-opening" and d.path in ours)
    assert found == [("content/organizations/bare.yml", 1, "warning"), ("content/organizations/short.md", 6, "warning")]
    assert not [d for d in site.diagnostics.errors if d.path in ours]
