"""The content sanitizer and the attribute-list check: what content may hold, and that nothing else
reaches a page, however it is written."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings, strategies as st

from helpers import BASE_FILES, check, copy_project, run_cli, write_tree, reader_pages
from hostile import JS, MARKDOWN, SCRIPTS, hostile_fragments, problems, render
from oirsite.safety.attributes import check_markdown_attributes
from oirsite.safety.sanitize import TAGS, locate, sanitize

# Everything the site's Markdown makes and content may use: kept as it is.
ALLOWED_MARKDOWN = """\
# A title

Some *emphasis*, **strong**, `code`, a [link](https://example.org), a [page](../events/index.md),
a [mail](mailto:oir@example.org), an ![image](images/photo.png "A photo") and an HTML abbreviation.

| Left | Centre | Right |
|:-----|:------:|------:|
| a    | b      | c     |

Term
: Definition

!!! note "Good to know"
    An admonition.

!!! warning
    Another one.

<div class="grid cards" markdown>

- **A card**: with a [link](https://example.org)

</div>

[Join the AMA](https://example.org/join){ .md-button .md-button--primary }

## A section {: #a-section }

> A quotation.

1. one
2. two

---

<abbr title="American Medical Association">AMA</abbr> and <span id="anchor">a span</span>.

*[HTML]: Hyper Text Markup Language
"""


def test_everything_the_site_markdown_makes_is_kept():
    html = render(ALLOWED_MARKDOWN)
    clean, removals = sanitize(html)
    assert removals == []
    for kept in ('<div class="admonition note">', '<p class="admonition-title">', '<div class="grid cards">',
                 'class="md-button md-button--primary"', 'id="a-section"', 'align="center"',
                 '<abbr title="Hyper Text Markup Language">', 'src="images/photo.png"', 'href="mailto:oir@example.org"',
                 '<dl>', '<table>', '<blockquote>', '<ol>', '<hr>'):
        assert kept in clean, kept


def test_the_real_site_is_built_with_nothing_removed_and_a_policy_on_every_page(built_site: Path):
    """The build stops on any removal, so that it built at all shows that the real pages lost nothing;
    every page also carries the Content-Security-Policy, and allows only inline scripts it hashes."""
    import base64
    import hashlib
    import html as html_module
    pages = sorted(reader_pages(built_site))
    assert len(pages) > 10
    for page in pages:
        text = page.read_text(encoding="utf-8")
        match = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', text)
        assert match, page
        policy = html_module.unescape(match.group(1))
        assert "script-src 'self' 'sha256-" in policy and "'unsafe-inline'" not in policy
        assert text.index("Content-Security-Policy") < text.index("<script")
        for script in re.findall(r"<script>(.*?)</script>", text, re.S):
            digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in policy, (page, script[:40])
        article = re.search(r"<article.*?</article>", text, re.S)
        assert article is None or problems(article.group(0)) == [], page


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.urls += [v for k, v in attrs if k in ("href", "src") and v]


def test_every_link_of_the_built_site_is_relative_or_same_origin_or_https(built_site: Path):
    from helpers import SITE_URL
    for page in sorted(reader_pages(built_site)):
        links = _Links()
        links.feed(page.read_text(encoding="utf-8"))
        for url in links.urls:
            assert not url.startswith(("//", "/\\", "\\")), (page, url)  # never another host by accident
            if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", url):
                assert url.startswith(("https://", "mailto:", SITE_URL)), (page, url)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_fragments)
@example(f"<img src=x onerror={JS}>")
@example(f"<a href=\"&#x6A;avascript&colon;{JS}\">x</a>")
def test_the_output_is_inert_and_every_removal_is_reported(fragment):
    clean, removals = sanitize(fragment)
    assert problems(clean) == [], clean
    assert {t for t in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", clean)} <= TAGS
    if problems(fragment):  # a fragment that holds something live loses it, and says so
        assert removals, fragment
    assert sanitize(clean) == (clean, [])  # what it returns passes again unchanged


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(MARKDOWN), st.sampled_from(["", "Text before.\n\n"]))
def test_hostile_markdown_through_the_site_extensions_is_refused(text, before):
    clean, removals = sanitize(render(before + text))
    assert problems(clean) == []
    live = problems(render(before + text))
    assert bool(live) <= bool(removals)


def test_each_known_vector_is_removed_and_named():
    for fragment in SCRIPTS:
        clean, removals = sanitize(fragment)
        assert removals and problems(clean) == [], fragment
        assert all(r.code in ("unsafe-html", "unsafe-url") and r.message and r.hint for r in removals)


def test_a_removal_is_located_in_the_source():
    source = "---\ntitle: x\n---\n\nA text.\n\n<p onclick=\"x()\">a</p>\n"
    _, removals = sanitize(render(source.split("---\n", 2)[2]))
    assert [locate(source, r) for r in removals] == [(7, 4)]
    _, removals = sanitize('<a href="java&#x09;script:alert(1)">x</a>')
    assert locate('one\n<a href="java&#x09;script:alert(1)">x</a>', removals[0])[0] == 2


def test_the_build_refuses_a_page_with_hostile_html_and_names_file_and_line(tmp_path):
    """What only the sanitizer sees (the source check does not look for it) stops the build too."""
    root = write_tree(copy_project(tmp_path / "project"), {"docs/hostile.md": "# Hostile\n\nFine.\n\n<p style=\"position:fixed;inset:0\">over</p>\n\n"
                                    f"[a](https://example.org){{: onclick=\"{JS}\" }}\n\n"
                                    "<img alt=\"x\" src=\"https://evil.example/x.png\">\n"})
    out = tmp_path / "out"
    result = run_cli("--site-dir", str(out), "--root", str(root))
    assert result.returncode != 0
    report = result.stdout + result.stderr
    for line, code in ((5, "unsafe-html"), (7, "unsafe-html"), (9, "unsafe-url")):
        assert re.search(rf"docs/hostile\.md:{line}:\d+: error: .*\[{code}\]", report), report
    assert "Traceback" not in report
    assert not out.exists() or not (out / "hostile" / "index.html").exists()


def test_front_matter_a_page_may_not_hold_is_refused_where_it_stands(tmp_path):
    """jsonld and any other key the pages do not use (author, template...) are refused, located."""
    root = write_tree(copy_project(tmp_path / "project"), {"docs/front.md": (
        "---\ntitle: A page\njsonld: '</script><b id=\"j\">x</b>'\nauthor: '\"><b id=\"a\">x</b>'\n---\n\n# A page\n")})
    result = run_cli("--check", "--root", str(root))
    assert result.returncode == 1
    assert re.search(r"docs/front\.md:3:1: error: .*'jsonld'", result.stdout), result.stdout
    assert re.search(r"docs/front\.md:4:1: error: .*'author'", result.stdout), result.stdout


def test_hostile_front_matter_of_a_page_stays_text(tmp_path):
    """The description and title of a hand-written page cannot add an element or an attribute to
    the page (values the source check lets through: no script, no handler)."""
    root = write_tree(copy_project(tmp_path / "project"), {"docs/front.md": (
        "---\n"
        "description: 'x\" http-equiv=\"refresh\" content=\"0;url=https://evil.example/'\n"
        "title: '</title><b id=\"t\">bold</b>'\n"
        "---\n\n# &lt;/title&gt;&lt;b id=h&gt;\n\nText.\n")})
    out = tmp_path / "out"
    result = run_cli("--site-dir", str(out), "--root", str(root))
    assert result.returncode == 0, result.stdout + result.stderr

    class Elements(HTMLParser):
        def __init__(self):
            super().__init__()
            self.ids: list[str] = []
            self.equiv: list[str] = []

        def handle_starttag(self, tag, attrs):
            found = dict(attrs)
            self.ids += [found["id"]] if "id" in found else []
            if tag == "meta" and "http-equiv" in found:
                self.equiv.append(found["http-equiv"])

    text = (out / "front" / "index.html").read_text(encoding="utf-8")
    elements = Elements()
    elements.feed(text)
    assert not {"t", "j", "a", "h"} & set(elements.ids)
    assert elements.equiv == ["Content-Security-Policy"]
    assert "application/ld+json" not in text  # a hand-written page never has JSON-LD


def test_attribute_lists_allow_an_id_and_button_classes_only():
    assert check_markdown_attributes("## Title {: #a-title }\n\n[Join](x.md){ .md-button .md-button--primary }") == []
    assert check_markdown_attributes("{{ recent_events }} and {a set}") == []
    for text, where in (('# T {: onclick="x" }', 7), ("para\n{: style='x' }", 8), ("[a](b){ data-x=1 }", 8),
                        ("x {: #__config }", 5), ("x { .evil }", 4), ("x {: title=hi }", 5)):
        found = check_markdown_attributes(text)
        assert found and found[0][0] == where, (text, found)
    code = "`{: onclick=x }`"
    assert check_markdown_attributes(code, is_code=lambda offset: True) == []


def test_the_check_sees_what_the_allowlist_removes_beside_a_generated_list(tmp_path):
    """A text whose only braces are a list's placeholder is not rendered by the check (a generated list is
    escaped text); one with HTML of its own is, list or not: its removal is reported at its line."""
    page = "# Home\n\n{{ recent_events }}\n\n<div class=\"x-evil\">a</div>\n"
    site = check(write_tree(tmp_path / "html", {**BASE_FILES, "docs/index.md": page}))
    assert [(d.path, d.line, d.code) for d in site.diagnostics.errors] == [("docs/index.md", 5, "unsafe-html")]
    assert not check(write_tree(tmp_path / "list", {**BASE_FILES, "docs/index.md": "# Home\n\n{{ recent_events }}\n"})
                     ).diagnostics.errors


def test_an_allowed_element_beside_a_removed_one_is_never_said_to_be_removed():
    """Only the <iframe> goes: the paragraphs around it are kept and not named (difflib's pairing named the
    first <p> when a removed element split the paragraphs unevenly)."""
    clean, removals = sanitize("<p>a</p><iframe></iframe><p>b</p><p>c</p>")
    assert clean == "<p>a</p><p>b</p><p>c</p>"
    assert [r.message for r in removals] == ["the HTML element <iframe> is not allowed in content"]
