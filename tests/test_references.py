"""References in fields and in Markdown: resolved, typed, and reported with suggestions."""

from helpers import check, messages


def errors(site, code):
    return [d for d in site.diagnostics.errors if d.code == code]


def test_unknown_field_reference_names_file_line_and_suggests(tree):
    site = check(tree({"content/people/jane-doe.yml": "name: Jane Doe\nroles:\n  - organization: wmma\n    title: T\n"}))
    [diag] = errors(site, "unknown-reference")
    assert (diag.path, diag.line, diag.col) == ("content/people/jane-doe.yml", 3, 19)
    assert "'wmma'" in diag.message and "'wma'" in diag.hint


def test_reference_of_the_wrong_collection(tree):
    site = check(tree({"content/events/x.md": "---\ntitle: X\ndate: 2021\nsummary: s\norganizers: [jane-doe]\n---\n"}))
    [diag] = errors(site, "wrong-reference-type")
    assert diag.line == 5
    assert "'jane-doe' is a person, not an organization" in diag.message


def test_parent_must_exist_and_chains_must_end(tree):
    site = check(tree({
        "content/organizations/ama.yml": "name: A\nkind: ama-council\nsummary: s\nparent: wma\n",
        "content/organizations/wma.yml": "name: W\nkind: ama-council\nsummary: s\nparent: ama\n",
    }))
    [diag, *_] = errors(site, "parent-cycle")
    assert "cycle" in diag.message and diag.line == 4


def test_inline_reference_in_an_entry_body_is_located_in_the_file(tree):
    site = check(tree({"content/events/x.md": "---\ntitle: X\ndate: 2021\nsummary: s\n---\n\nSee [[wmo]] here.\n"}))
    [diag] = errors(site, "unknown-reference")
    assert (diag.path, diag.line, diag.col) == ("content/events/x.md", 7, 5)
    assert "'wma'" in diag.hint


def test_inline_reference_in_a_hand_written_page(tree):
    site = check(tree({"docs/about.md": "# About\n\nThe [[ama]] and [[amma]].\n"}))
    [diag] = errors(site, "unknown-reference")
    assert (diag.path, diag.line, diag.col) == ("docs/about.md", 3, 17)
    assert "[American Medical Association](organizations/ama.md)" in site.hand_written["about.md"].markdown


def test_inline_reference_with_custom_text(tree):
    site = check(tree())
    page = site.generated["events/assembly-2023.md"].markdown
    assert "The [WMA](../organizations/wma.md) met in Kigali." in page


def test_references_in_code_are_left_alone(tree):
    site = check(tree({"docs/help.md": "# Help\n\nWrite `[[some-id]]`.\n\n```\n[[another-id]] {{ nothing }}\n```\n"}))
    assert site.diagnostics.errors == []
    assert "`[[some-id]]`" in site.hand_written["help.md"].markdown


def test_broken_relative_link_is_reported(tree):
    site = check(tree({"docs/about.md": "# About\n\n[ok](events/index.md) [bad](event/index.md)\n"}))
    [diag] = errors(site, "broken-link")
    assert (diag.line, diag.col) == (3, 23)
    assert "events/index.md" in diag.hint


def test_relative_link_from_an_entry_body(tree):
    site = check(tree({"content/events/x.md": "---\ntitle: X\ndate: 2021\nsummary: s\n---\n[a](../index.md) [b](../organizations/wma.md) [c](wma.md)\n"}))
    [diag] = errors(site, "broken-link")
    assert "'wma.md'" in diag.message


def test_http_links_must_be_https(tree):
    site = check(tree({"docs/about.md": "# About\n\n[x](http://example.org/)\n"}))
    assert errors(site, "insecure-link")


def test_unknown_generated_list(tree):
    site = check(tree({"docs/about.md": "# About\n\n{{ recent_event }}\n"}))
    [diag] = errors(site, "unknown-block")
    assert "recent_events" in diag.hint


def test_glossary_acronym_may_not_repeat_an_organization(tree):
    site = check(tree({"content/glossary/wma-term.yml": "term: WMA\nexpansion: Something else\n"}))
    [diag] = errors(site, "duplicate-acronym")
    assert diag.path == "content/glossary/wma-term.yml" and diag.line == 1


def test_all_reference_errors_come_in_one_run(tree):
    site = check(tree({
        "docs/a.md": "# A\n\n[[nope-one]]\n",
        "content/events/x.md": "---\ntitle: X\ndate: 2021\nsummary: s\npeople: [{person: nope-two}]\n---\n[[nope-three]]\n",
    }))
    assert len(errors(site, "unknown-reference")) == 3, messages(site)


def test_relative_links_agree_with_posixpath():
    import posixpath

    from hypothesis import given
    from hypothesis import strategies as st

    from oirsite.core.paths import relative_link

    # Site paths: folders, then a file with an extension (a folder never shares a file's name).
    folders = st.lists(st.sampled_from(["a", "b", "events"]), max_size=3)
    path = st.tuples(folders, st.sampled_from(["index.md", "x.md", "y.ics"])).map(lambda p: "/".join([*p[0], p[1]]))

    @given(path, path)
    def agree(from_page, to_path):
        assert relative_link(from_page, to_path) == posixpath.relpath(to_path, posixpath.dirname(from_page) or ".")

    agree()


def test_link_definitions_are_checked_only_at_the_start_of_a_line(tree):
    site = check(tree({"docs/defs.md": "# Defs\n\n   [one]: missing-one.md\nText [two]: missing-two.md\n"}))
    broken = [d for d in site.diagnostics.errors if d.code == "broken-link"]
    assert [(d.line, "missing-one.md" in d.message) for d in broken] == [(3, True)]


def test_a_replaced_hand_written_page_redirects_and_its_clashes_are_located(tree):
    """``former_pages``: the old address leads to the entry's page; an address a page still has, or
    one two entries claim, is an error at its line."""
    from oirsite.outputs.redirects import redirect_pages
    site = check(tree({"content/organizations/office.yml": "name: Office\nkind: ama-office\nsummary: s\n"
                                                           "former_pages: [office.md, about/us.md]\n"}))
    assert not [d for d in site.diagnostics.errors if d.path == "content/organizations/office.yml"], messages(site)
    pages = redirect_pages(site.catalog, "https://example.org/")
    assert 'url=../../organizations/office/"' in pages["about/us/index.html"]
    assert 'url=../organizations/office/"' in pages["office/index.html"]
    clash = check(tree({"docs/office.md": "# Office\n",
                        "content/organizations/office.yml": "name: Office\nkind: ama-office\nsummary: s\n"
                                                            "former_pages: [office.md, gone.md]\n",
                        "content/organizations/other.yml": "name: Other\nkind: ama-office\nsummary: s\n"
                                                           "former_pages:\n  - gone.md\n"}))
    found = sorted((d.path, d.line, d.code) for d in clash.diagnostics.errors if "former" in d.message
                   or d.code == "page-clash")
    assert found == [("content/organizations/office.yml", 4, "page-clash"),  # docs/office.md is still a page
                     ("content/organizations/other.yml", 5, "duplicate-id")]  # gone.md leads to the office
