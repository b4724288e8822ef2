"""Saving an existing file in the local web editor writes only what the editor changed
(oirsite.tools.cms_roundtrip.merge): the rest of the file, comments, key order, quotes and folding, is
byte for byte what it was, and the result always holds exactly the values the editor saved."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from helpers import PROJECT

from oirsite.tools.cms_roundtrip import document_parts, merge
from oirsite.core.diagnostics import Diagnostics
from oirsite.read.yamlread import parse_yaml

OLD = """\
# Checked against the agency's own pages.
name: Test Health Agency
acronym: THA
kind: intergovernmental-organization
summary: >-
  An agency written by hand, with a summary folded over
  two lines.
parent: un  # part of the UN system
members:
  # counted in 2023
  organizations: 3
  countries: 4
website: "https://tha.example.org/"
tags: [global health, "UN agencies"]
sources: [un-website]  # the UN's own site
"""


def cms_rewrite(text: str, markdown: bool = False, **changes) -> str:
    """The file as the CMS writes it: the values (with ``changes``; None removes) dumped again."""
    parts = document_parts(text, markdown)
    data = yaml.safe_load(parts[0])
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    dumped = yaml.safe_dump(data, sort_keys=True, allow_unicode=True, width=60)
    return f"---\n{dumped}---{parts[2]}" if markdown else dumped


def values(text: str, markdown: bool = False):
    return parse_yaml(document_parts(text, markdown)[0], "x", Diagnostics())[0]


def test_unchanged_values_keep_the_file_byte_for_byte():
    assert merge(Path("x.yml"), OLD.encode(), cms_rewrite(OLD).encode()) == OLD.encode()


def test_one_changed_field_is_the_only_change():
    merged = merge(Path("x.yml"), OLD.encode(), cms_rewrite(OLD, summary="A new summary.").encode()).decode()
    assert merged == OLD.replace("summary: >-\n  An agency written by hand, with a summary folded over\n  two lines.\n",
                                 "summary: A new summary.\n")


def test_a_changed_nested_field_keeps_the_comment_beside_it():
    merged = merge(Path("x.yml"), OLD.encode(),
                   cms_rewrite(OLD, members={"organizations": 3, "countries": 5}).encode()).decode()
    assert merged == OLD.replace("  countries: 4\n", "  countries: 5\n")


def test_an_emptied_field_goes_and_a_new_one_comes_after_the_field_before_it():
    merged = merge(Path("x.yml"), OLD.encode(), cms_rewrite(OLD, acronym=None, founded=1990).encode()).decode()
    expected = OLD.replace("acronym: THA\n", "")
    assert values(merged) == values(cms_rewrite(OLD, acronym=None, founded=1990))
    assert [line for line in merged.splitlines() if line != "founded: 1990"] == expected.splitlines()


def test_a_changed_list_is_written_as_the_cms_writes_it_and_its_line_comment_stays():
    merged = merge(Path("x.yml"), OLD.encode(), cms_rewrite(OLD, sources=["un-website", "who-website"]).encode())
    text = merged.decode()
    assert values(text)["sources"] == ["un-website", "who-website"]
    assert text.startswith(OLD[:OLD.index("sources:")])
    assert "# the UN's own site" in text


def test_markdown_front_matter_and_body():
    old = "---\n# a note\ntitle: An event  # as announced\ndate: 2021\n---\n\nThe body, [[who]].\n"
    new = cms_rewrite(old, markdown=True, title="The event")
    assert merge(Path("x.md"), old.encode(), new.encode()).decode() == old.replace("An event", "The event")
    new_body = new.replace("The body, [[who]].", "Another body.")
    assert merge(Path("x.md"), old.encode(), new_body.encode()).decode() == \
        old.replace("An event", "The event").replace("The body, [[who]].", "Another body.")


def test_open_notes_the_form_does_not_show_are_kept_and_a_typed_value_replaces_one():
    old = ("name: A\n# the contact\ncontacts:\n  - role: Secretary\n    email:\n      open: No address given.\n"
           "links:\n  - text: More\n    url:\n      open: No target.\nsummary: S\n")
    new = "name: A\ncontacts:\n  - role: Secretary\nlinks:\n  - text: More\nsummary: T\n"  # what the CMS sends
    assert merge(Path("x.yml"), old.encode(), new.encode()).decode() == old.replace("summary: S", "summary: T")
    typed = new.replace("  - text: More\n", "  - text: More\n    url: https://example.org/\n")
    merged = merge(Path("x.yml"), old.encode(), typed.encode()).decode()
    assert values(merged)["links"] == [{"text": "More", "url": "https://example.org/"}]
    assert values(merged)["contacts"] == [{"role": "Secretary", "email": {"open": "No address given."}}]
    assert merged.startswith("name: A\n# the contact\ncontacts:\n")


@pytest.mark.parametrize("old", ["name: [unclosed\n", "- a list\n", "name: A\r\nkind: x\r\n", b"\xff\xfe".decode("latin-1")])
def test_what_cannot_be_kept_is_written_as_the_cms_wrote_it(old):
    new = "name: B\n"
    assert merge(Path("x.yml"), old.encode("utf-8"), new.encode()) == new.encode()


def _content_files() -> list[Path]:
    return sorted(p for p in (PROJECT / "content").rglob("*") if p.suffix in (".yml", ".md"))


@pytest.mark.parametrize("path", _content_files(), ids=lambda p: p.relative_to(PROJECT).as_posix())
def test_every_content_file_changes_only_in_the_changed_field(path):
    """Over the real content: for each top-level field, a save that changes it holds exactly the
    saved values, and every line outside that field's own lines (comments included) is still there,
    byte for byte."""
    markdown = path.suffix == ".md"
    old = path.read_text(encoding="utf-8")
    front, offset, _ = document_parts(old, markdown)
    first_line = old.count("\n", 0, offset)
    root = yaml.compose(front)
    starts = [k.start_mark.line + first_line for k, _ in root.value] + [front.count("\n") + first_line]
    lines = old.splitlines(keepends=True)
    for index, (key_node, value_node) in enumerate(root.value):
        key = key_node.value
        current = yaml.safe_load(front)[key]
        new = cms_rewrite(old, markdown, **{key: "A changed value." if current != "A changed value." else "Other."})
        merged = merge(path, old.encode(), new.encode()).decode()
        assert values(merged, markdown) == values(new, markdown), key
        after = merged.splitlines(keepends=True)
        head = starts[index]
        tail = len(lines) - starts[index + 1]
        assert after[:head] == lines[:head], key  # every line before the field
        assert after[len(after) - tail:] == lines[len(lines) - tail:], key  # and after it
