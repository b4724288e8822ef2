"""Malformed content files: each is reported at its file and line, and the run goes on."""

import pytest

from helpers import check, messages


def only(site, code):
    found = [d for d in site.diagnostics if d.code == code]
    assert found, f"no {code} in {messages(site)}"
    return found


def test_the_base_tree_is_valid(tree):
    site = check(tree())
    assert site.diagnostics.errors == []


def test_yaml_syntax_error_names_file_and_line(tree):
    site = check(tree({"content/organizations/bad.yml": "name: X\nkind: [unclosed\nsummary: s\n"}))
    [diag] = only(site, "yaml-syntax")
    assert (diag.path, diag.line) == ("content/organizations/bad.yml", 3)
    assert "YAML syntax error" in diag.message


def test_syntax_error_in_front_matter_counts_lines_of_the_file(tree):
    site = check(tree({"content/events/bad.md": "---\ntitle: X\ndate: 2021\nsummary: [oops\n---\nBody\n"}))
    [diag] = only(site, "yaml-syntax")
    assert (diag.path, diag.line) == ("content/events/bad.md", 5)  # the line after the unclosed list


def test_tab_indentation_is_reported_with_a_hint(tree):
    site = check(tree({"content/organizations/tabs.yml": "name: X\nkind: ama-council\nsummary:\n\t- s\n"}))
    [diag] = only(site, "yaml-syntax")
    assert diag.line == 4 and "tab" in diag.hint


def test_wrong_type_is_reported_at_the_value(tree):
    site = check(tree({"content/organizations/typed.yml": "name: 123\nkind: ama-council\nsummary: s\n"}))
    [diag] = only(site, "invalid-value")
    assert (diag.line, diag.col) == (1, 7)
    assert "'name': this should be text" in diag.message


def test_missing_field_is_reported(tree):
    site = check(tree({"content/organizations/partial.yml": "name: X\nkind: ama-council\n"}))
    [diag] = only(site, "missing-field")
    assert diag.path == "content/organizations/partial.yml"
    assert "'summary'" in diag.message


def test_unknown_key_is_reported_at_the_key_with_a_suggestion(tree):
    site = check(tree({"content/organizations/typo.yml": "name: X\nkind: ama-council\nsummary: s\nacronim: X\n"}))
    [diag] = only(site, "unknown-field")
    assert (diag.line, diag.col) == (4, 1)
    assert "acronym" in diag.hint


def test_unknown_key_in_a_nested_field(tree):
    site = check(tree({"content/people/p.yml": "name: X\nroles:\n  - organization: wma\n    titel: T\n"}))
    diags = {d.code: d for d in site.diagnostics}
    assert diags["unknown-field"].line == 4 and "title" in diags["unknown-field"].hint
    assert diags["missing-field"].message == "the required field 'roles[0].title' is missing"


def test_duplicate_id_across_collections(tree):
    site = check(tree({"content/people/wma.yml": "name: Someone\n"}))
    [diag] = only(site, "duplicate-id")
    assert diag.path == "content/people/wma.yml" and "content/organizations/wma.yml" in diag.message


def test_impossible_date_is_reported_at_the_date(tree):
    site = check(tree({"content/events/bad-date.md": "---\ntitle: X\ndate: 2023-02-30\nsummary: s\n---\n"}))
    [diag] = only(site, "invalid-value")
    assert (diag.line, diag.col) == (3, 7)
    assert "February 2023 has 28 days" in diag.message


def test_empty_file(tree):
    site = check(tree({"content/organizations/empty.yml": ""}))
    [diag] = only(site, "empty")
    assert "name, kind, summary" in diag.hint


def test_markdown_without_front_matter(tree):
    site = check(tree({"content/events/plain.md": "Just text\n"}))
    [diag] = only(site, "front-matter")
    assert diag.line == 1


def test_file_name_must_be_a_slug(tree):
    site = check(tree({"content/organizations/World Bank.yml": "name: X\nkind: ama-council\nsummary: s\n"}))
    [diag] = only(site, "bad-id")
    assert "world-bank.yml" in diag.hint


def test_unknown_collection_gets_a_suggestion(tree):
    site = check(tree({"content/event/x.md": "---\ntitle: X\n---\n"}))
    [diag] = only(site, "unknown-collection")
    assert "'events'" in diag.hint


def test_python_tags_are_refused_and_never_constructed(tree, tmp_path):
    marker = tmp_path / "executed"
    payload = f"!!python/object/apply:os.system ['touch {marker}']"
    site = check(tree({"content/organizations/evil.yml": f"name: {payload}\nkind: ama-council\nsummary: s\n"}))
    [diag] = only(site, "yaml-tag")
    assert diag.line == 1
    assert not marker.exists()


def test_alias_bomb_fails_fast(tree):
    bomb = "a: &a ['x','x','x','x','x','x','x','x','x']\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n" for i in range(8))
    site = check(tree({"content/organizations/bomb.yml": bomb}))
    assert only(site, "yaml-alias")


def test_dates_are_not_turned_into_timestamps(tree):
    site = check(tree())
    event = site.catalog.get("assembly-2023")
    assert event.data.date.iso() == "2023-10-04"


def test_bom_and_crlf_are_accepted(tree):
    text = "\ufeffname: X\r\nkind: ama-council\r\nsummary: s\r\n".encode()
    site = check(tree({"content/organizations/windows.yml": text}))
    assert site.diagnostics.errors == []
    assert site.catalog.get("windows").data.name == "X"


def test_non_utf8_bytes_are_reported_with_their_line(tree):
    site = check(tree({"content/organizations/latin.yml": b"name: X\nkind: ama-council\nsummary: caf\xe9\n"}))
    [diag] = only(site, "encoding")
    assert (diag.line, diag.col) == (3, 13)


def test_every_problem_is_reported_in_one_run(tree):
    site = check(tree({
        "content/organizations/a.yml": "name: [\n",
        "content/organizations/b.yml": "name: X\nkind: nope\nsummary: s\n",
        "content/people/c.yml": "nme: X\n",
        "content/events/d.md": "---\ntitle: X\ndate: 2021-13\nsummary: s\n---\n",
    }))
    paths = {d.path for d in site.diagnostics.errors}
    assert paths == {"content/organizations/a.yml", "content/organizations/b.yml",
                     "content/people/c.yml", "content/events/d.md"}


@pytest.mark.parametrize("text", ["- a\n- b\n", "just text\n"])
def test_file_must_hold_fields(tree, text):
    site = check(tree({"content/organizations/list.yml": text}))
    assert only(site, "not-a-mapping")


def test_a_value_of_the_wrong_shape_gets_one_message_in_plain_words(tree):
    """A union (an address, or an open note) reports the alternative that went furthest, once; no
    pydantic wording, no member name such as 'constrained-str'; list items get their field's advice."""
    site = check(tree({
        "content/organizations/zz.yml": 'name: X\nkind: ama-council\nsummary: s.\nlinks: [{text: t, url: {open: ""}}]\n'
                                        'tags: ["a/b"]\nreviewed: tomorrow\n',
        "content/events/zz-event.md": '---\ntitle: ""\ndate: 2020\nsummary: s.\n---\n',
    }))
    found = sorted((d.path, d.line, d.message) for d in site.diagnostics.errors)
    assert found == [
        ("content/events/zz-event.md", 2, "'title': this is empty: write a value"),
        ("content/organizations/zz.yml", 4, "'links[0].url.open': this is empty: write a value"),
        ("content/organizations/zz.yml", 5, "'tags[0]': a tag is a short phrase of letters, digits, spaces, hyphens and apostrophes"),
        ("content/organizations/zz.yml", 6, "'reviewed': write the day as YYYY-MM-DD, for example 2024-05-27"),
    ]
