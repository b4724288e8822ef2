"""Classes of input an attacker tried (a second pass, after the first round of safety work): each
is refused where it stands, by the check, before anything is built."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import ROOT, check, messages
from oirsite.safety.sanitize import sanitize

TAGS = ["img src=x onerror=alert(1)", "a href=https://evil.example", "b", "svg onload=alert(1)", "/title"]


def _encodings(tag: str) -> list[str]:
    """The same tag written with named, decimal and hexadecimal character references."""
    return [f"&lt;{tag}&gt;", f"&#60;{tag}&#62;", f"&#x3c;{tag}&#x3E;", f"&LT;{tag}&GT;"]


@pytest.mark.parametrize("expansion", [e for tag in TAGS for e in _encodings(tag)])
def test_a_glossary_expansion_with_encoded_markup_is_refused(tree, expansion):
    """Tooltips write an abbreviation's title as HTML: a field that decodes to a tag is markup."""
    site = check(tree({"content/glossary/xssf.yml": f"term: XSSF\nexpansion: '{expansion}'\n"}))
    assert [(d.path, d.code) for d in site.diagnostics.errors] == [("content/glossary/xssf.yml", "invalid-value")]


@pytest.mark.parametrize("tag", TAGS)
def test_an_abbreviation_defined_in_a_body_cannot_carry_markup(tree, tag):
    body = f"ZZQ is here.\n\n*[ZZQ]: &lt;{tag}&gt;\n"
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")  # the site's Markdown extensions (abbr)
    site = check(tree({"mkdocs.yml": config, "docs/abbr.md": f"# Abbreviations\n\n{body}"}))
    errors = [d for d in site.diagnostics.errors if d.path == "docs/abbr.md"]
    assert errors and all(d.code in ("unsafe-html", "unsafe-url") for d in errors), messages(site)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>&#;x3cCltgT/ =\"'a")), max_size=40))
def test_no_title_the_sanitizer_keeps_holds_markup(text):
    clean, _ = sanitize(f'<p><abbr title="{text}">X</abbr></p>')
    from html.parser import HTMLParser

    titles: list[str] = []

    class Titles(HTMLParser):
        def handle_starttag(self, tag, attrs):
            titles.extend(value or "" for name, value in attrs if name == "title")

    Titles().feed(clean)
    assert all("<" not in t and ">" not in t for t in titles), clean


@pytest.mark.parametrize("mark", ["&amp;", "&#65;", "&lt;", "\\*", "`a` ", "**a** ", "_a_ ", "[", "<b "])
def test_a_paragraph_too_dense_for_the_markdown_engine_is_refused(tree, mark):
    """Python-Markdown's time grows with the square of these in one paragraph (placeholders)."""
    site = check(tree({"docs/dense.md": "# Dense\n\n" + mark * 1500 + "\n"}))
    assert ("docs/dense.md", 3, "too-complex") in {(d.path, d.line, d.code) for d in site.diagnostics.errors}


@pytest.mark.parametrize("target", ["java\tscript:alert(1)", "foo\tbar", "a page.md", "/etc/passwd", "/events/"])
def test_a_link_the_engine_would_not_read_as_one_is_located(tree, target):
    site = check(tree({"docs/links.md": f"# Links\n\nSee [this]({target}).\n"}))
    assert [(d.path, d.line, d.code) for d in site.diagnostics.errors] == [("docs/links.md", 3, "broken-link")]


def test_a_link_with_a_title_is_still_a_link(tree):
    site = check(tree({"docs/links.md": '# Links\n\nSee [the events](events/index.md "All events").\n'}))
    assert site.ok, messages(site)
