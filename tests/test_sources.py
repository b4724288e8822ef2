"""Sources: every fact-bearing entry names one; the sources page; review age warnings for editors."""

from __future__ import annotations

import datetime as dt

from helpers import PROJECT, ROOT, check, copy_project, messages, run_cli, write_tree

SOURCE = {"content/sources/handbook.yml": "title: The handbook\npublisher: The publisher\n"
                                           "url: https://example.org/handbook\nconsulted: 2023-01-05\n"}


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
    assert "Last reviewed 29 February 2024." in sources
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
    site = check(tree({"content/sources/bad.yml": "title: t\npublisher: p\nurl: http://example.org/\nconsulted: 2023-01-05\n"}))
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
