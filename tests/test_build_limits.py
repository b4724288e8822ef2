"""The build's limits are the check's: whatever would fail a build (a file name too long, a
recursion too deep, a number too large, a shadowed page, a missing anchor) is a located error in
``--check``, never a traceback. Each class is probed in more than one form (field, collection,
nesting kind)."""

from __future__ import annotations

import re

import pytest

from helpers import check, messages, run_cli
from oirsite.core.diagnostics import Diagnostics
from oirsite.safety.attributes import MAX_NESTING
from oirsite.model.fields import MAX_ID_LENGTH
from oirsite.read.settings import read_settings
from oirsite.site import build_site
from oirsite.read.yamlread import MAX_DEPTH

ORG = "kind: international-medical-association\nsummary: s\n"


def codes(site) -> list[tuple[str, int, str]]:
    return sorted((d.path, d.line, d.code) for d in site.diagnostics.errors)


# --- YAML nesting: ours, whatever the YAML library's own limit ------------------------------------

@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1_001, 1_500, 20_000])
@pytest.mark.parametrize("where", ["content/organizations/deep.yml", "docs/deep.md"])
def test_yaml_nested_past_our_limit_is_our_message_at_its_place(tree, depth, where):
    value = "[" * depth + "]" * depth
    text = f"name: x\n{ORG}tags: {value}\n" if where.endswith(".yml") else f"---\ntags: {value}\n---\n# D\n"
    site = check(tree({where: text}))
    deep = [d for d in site.diagnostics.errors if d.path == where]
    assert ("yaml-depth", 4 if where.endswith(".yml") else 2) in [(d.code, d.line) for d in deep]
    assert not [d for d in deep if d.code == "yaml-syntax"]
    assert str(MAX_DEPTH) in next(d for d in deep if d.code == "yaml-depth").message


def test_block_yaml_nested_past_our_limit_is_our_message(tree):
    text = "name: x\n" + ORG + "".join(" " * i + f"k{i}:\n" for i in range(1_100)) + " " * 1_100 + "v: 1\n"
    site = check(tree({"content/organizations/deep.yml": text}))
    assert [d.code for d in site.diagnostics.errors] == ["yaml-depth"]


# --- addresses: pages that shadow pages -------------------------------------------------------------

@pytest.mark.parametrize("page, other", [
    ("docs/organizations/ama/index.md", "content/organizations/ama.yml"),
    ("docs/organizations/AMA.md", "content/organizations/ama.yml"),
    ("docs/events/assembly-2023/index.md", "content/events/assembly-2023.md"),
    ("docs/organizations.md", "organizations/index.md"),
    ("docs/people/index.md", "people/index.md"),
])
def test_a_hand_written_page_at_a_generated_address_is_located_and_names_the_other(tree, page, other):
    site = check(tree({page: "# Shadow\n"}))
    clash = [d for d in site.diagnostics.errors if d.code == "page-clash"]
    assert [(d.path, d.line) for d in clash] == [(page, 1)]
    assert other in clash[0].message


def test_two_hand_written_pages_at_one_address_clash(tree):
    site = check(tree({"docs/about.md": "# A\n", "docs/about/index.md": "# B\n"}))
    assert codes(site) == [("docs/about/index.md", 1, "page-clash")]
    assert "docs/about.md" in site.diagnostics.errors[0].message


@pytest.mark.parametrize("page", ["docs/organizations/old-name/index.md", "docs/organizations/old-name.md"])
def test_a_former_id_whose_old_address_is_a_hand_written_page_is_located(tree, page):
    site = check(tree({page: "# Here now\n",
                       "content/organizations/wma.yml": "name: W\n" + ORG + "formerly: [old-name]\n"}))
    clash = [d for d in site.diagnostics.errors if d.code == "page-clash"]
    assert [(d.path, d.line) for d in clash] == [("content/organizations/wma.yml", 4)]
    assert page.removeprefix("docs/") in clash[0].message or page in clash[0].message


# --- ids that would be file names too long ----------------------------------------------------------

def test_an_id_longer_than_the_limit_is_a_located_error(tree):
    name = "a" * (MAX_ID_LENGTH + 1)
    site = check(tree({f"content/organizations/{name}.yml": "name: X\n" + ORG,
                       f"content/people/{'b' * 200}.yml": "name: Y\n"}))
    assert {(d.line, d.code) for d in site.diagnostics.errors} == {(1, "bad-id")}
    assert len(site.diagnostics.errors) == 2
    assert all(str(MAX_ID_LENGTH) in d.message for d in site.diagnostics.errors)


def test_a_former_id_longer_than_the_limit_is_located_and_never_written(tree):
    site = check(tree({"content/organizations/wma.yml": f"name: W\n{ORG}formerly:\n  - ok-old\n  - {'c' * 300}\n"}))
    assert codes(site) == [("content/organizations/wma.yml", 6, "invalid-value")]
    from oirsite.outputs.redirects import redirect_pages
    assert all(len(part) <= 255 for path in redirect_pages(site.catalog) for part in path.split("/"))



def test_the_editor_commands_keep_ids_within_the_limit(tree):
    """`new` makes an id from a long title short enough, refuses a long --id, and `rename` refuses a
    long new id: each one clear message, nothing written, no "File name too long" traceback."""
    root = tree()
    before = sorted(p.name for p in (root / "content/events").iterdir())
    result = run_cli("--root", str(root), "new", "event", "word " * 80, "--date", "2024-05-27")
    assert result.returncode == 0, result.stderr
    [made] = set(p.name for p in (root / "content/events").iterdir()) - set(before)
    assert made.startswith("word-word") and len(made.removesuffix(".md")) <= MAX_ID_LENGTH
    long = "c" * (MAX_ID_LENGTH + 1)
    for args in (("new", "event", "Title", "--id", long, "--date", "2024-05-27"), ("rename", f"events/{made[:-3]}", long)):
        files = sorted(str(p) for p in root.rglob("*"))
        result = run_cli("--root", str(root), *args)
        assert result.returncode != 0 and "Traceback" not in result.stderr + result.stdout
        assert str(MAX_ID_LENGTH) in result.stderr + result.stdout
        assert sorted(str(p) for p in root.rglob("*")) == files

# --- numbers -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("number", ["9" * 5000, "0x" + "f" * 5000, "0b" + "1" * 20_000, "1" + ":59" * 3000, "1e" + "9" * 40])
def test_a_huge_number_is_a_located_error_anywhere(tree, number):
    site = check(tree({
        "content/people/jane-doe.yml": f"name: Jane Doe\nroles:\n  - organization: wma\n    title: P\n    as_of: {number}\n",
        "docs/p.md": f"---\nsearch:\n  boost: {number}\n---\n# P\n",
    }))
    assert codes(site) == [("content/people/jane-doe.yml", 5, "invalid-value"), ("docs/p.md", 3, "invalid-value")]


def test_a_huge_number_in_mkdocs_yml_is_a_config_error_not_a_traceback(tree):
    root = tree({"mkdocs.yml": "site_name: x\nextra:\n  recent_events: " + "9" * 5000 + "\n"})
    result = run_cli("--root", str(root), "--check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(r"^mkdocs\.yml:1:1: error: .*too large.*\[config\]$", result.stdout, re.M)


# --- file names that a log would print ------------------------------------------------------------

@pytest.mark.parametrize("name", ["a\nb.md", "x\x1b[31m.png", "\n::error::x.md", "a\u2028b.md", "r\u202egnp.md"])
def test_a_docs_file_name_with_control_characters_is_located_and_printed_escaped(tree, name):
    root = tree({f"docs/{name}": "# X\n"})
    result = run_cli("--root", str(root), "--check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert not [line for line in result.stdout.splitlines() if line.lstrip().startswith(("::", "##["))]
    assert "\x1b" not in result.stdout and "\u2028" not in result.stdout and "\u202e" not in result.stdout
    assert re.search(r"^docs/.*:1:1: error: .*\[control-character\]$", result.stdout, re.M)
    github = run_cli("--root", str(root), "--check", "--format", "github")
    assert all(line.startswith(("::error ", "::warning ")) for line in github.stdout.splitlines()[:-1])


# --- Markdown nesting that the engine recurses on ---------------------------------------------------

NESTINGS = {
    "lists": lambda n: "".join("    " * i + "- x\n" for i in range(n)),
    "numbered lists": lambda n: "".join("    " * i + "1. x\n" for i in range(n)),
    "lists on one line": lambda n: "- " * n + "x\n",
    "quotes": lambda n: ">" * n + " x\n",
    "quote lines": lambda n: "".join(">" * i + " x\n\n" for i in range(1, n)),
    "admonitions": lambda n: "".join("    " * i + "!!! note\n" for i in range(n)) + "    " * n + "x\n",
    "definitions": lambda n: "".join("    " * i + "t\n" + "    " * i + ":   d\n" for i in range(n)),
    "html with markdown": lambda n: '<div markdown="1">\n' * n + "x\n" + "</div>\n" * n,
    "tabs": lambda n: "".join("\t" * i + "- x\n" for i in range(n)),
}


@pytest.mark.parametrize("kind", sorted(NESTINGS))
def test_markdown_nested_past_the_limit_is_located_in_bodies_and_pages(tree, kind):
    body = NESTINGS[kind](400)
    event = "---\ntitle: E\ndate: 2020-01-01\nsummary: s\norganizers: [wma]\n---\n\n"
    site = check(tree({"content/events/deep.md": event + body, "docs/deep.md": "# D\n\n" + body}))
    found = {d.path for d in site.diagnostics.errors if d.code == "too-complex"}
    assert found == {"content/events/deep.md", "docs/deep.md"}, messages(site)


@pytest.mark.parametrize("kind", sorted(set(NESTINGS) - {"html with markdown"}))  # md_in_html: not in this tree's settings
def test_markdown_nested_a_few_levels_is_fine(tree, kind):
    site = check(tree({"docs/shallow.md": "# S\n\n" + NESTINGS[kind](5)}))
    assert not site.diagnostics.errors, messages(site)


def test_code_nested_deep_is_not_nesting(tree):
    site = check(tree({"docs/code.md": "# C\n\n```\n" + NESTINGS["lists"](MAX_NESTING * 3) + "```\n"}))
    assert not site.diagnostics.errors, messages(site)


def test_the_build_of_deep_markdown_stops_at_the_check_without_a_traceback(tree, tmp_path):
    root = tree({"docs/deep.md": "# D\n\n" + NESTINGS["lists"](600)})
    result = run_cli("--root", str(root), "--site-dir", str(tmp_path / "out"))
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    assert re.search(r"^docs/deep\.md:\d+:1: error: .*\[too-complex\]$", result.stdout, re.M)


# --- links to a part of a page ------------------------------------------------------------------------

ANCHORS_WARN = "validation:\n  links:\n    anchors: warn\n"


def test_a_link_to_a_missing_anchor_is_located_at_the_link(tree):
    root = tree({"mkdocs.yml": "site_name: x\n" + ANCHORS_WARN,
        "docs/a.md": "# A\n\n## Part two\n\n<span id=\"raw\"></span>\n\n"
                     "[ok](b.md#there) [self](#part-two) [raw](#raw) [entry](organizations/wma.md)\n\n"
                     "[bad](b.md#missing) and [bad self](#nope)\n\n[bad entry](organizations/wma.md#nowhere)\n\n"
                     "[d]: events/index.md#zzz\n",
        "docs/b.md": "# B\n\n## There\n",
    })
    site = build_site(root, read_settings(root, Diagnostics()), Diagnostics(), render_pages=False)
    assert codes(site) == [("docs/a.md", 9, "broken-link"), ("docs/a.md", 9, "broken-link"),
                           ("docs/a.md", 11, "broken-link"), ("docs/a.md", 13, "broken-link")]


@pytest.mark.parametrize("validation", [ANCHORS_WARN, "validation:\n  anchors: warn\n"])
def test_the_check_finds_a_missing_anchor_when_the_build_would_fail_on_it(tree, validation):
    root = tree({"mkdocs.yml": "site_name: x\n" + validation, "docs/a.md": "# A\n\n[x](b.md#gone)\n", "docs/b.md": "# B\n"})
    result = run_cli("--root", str(root), "--check")
    assert result.returncode == 1
    assert re.search(r"^docs/a\.md:3:1: error: .*'#gone'.*\[broken-link\]$", result.stdout, re.M)
    (root / "mkdocs.yml").write_text("site_name: x\n")  # MkDocs's default: 'info', the build passes
    assert run_cli("--root", str(root), "--check").returncode == 0


# --- an acronym's tooltip ------------------------------------------------------------------------------

def test_an_expansion_the_tooltip_refuses_is_located_at_its_entry(tree):
    site = check(tree({"content/organizations/wma.yml": "name: World > Medical\nacronym: WMA\n" + ORG}))
    assert codes(site) == [("content/organizations/wma.yml", 2, "unsafe-html")]


# --- any folder --------------------------------------------------------------------------------------

def test_the_check_runs_from_any_folder(tree, tmp_path):
    root = tree()
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "content" / "nonsense").mkdir(parents=True)
    (elsewhere / "mkdocs.yml").write_text("x: [\n")
    result = run_cli("--root", str(root), "--check", cwd=elsewhere)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("escape", ["\\x00", "\\e", "\\x7f", "\\N", "\\x85", "\\ud800", "\\b", "\\uFFFE", "\\U0001FFFF"])
@pytest.mark.parametrize("where", ["content", "page"])
def test_an_escape_that_makes_a_character_the_file_could_not_hold_is_located(tree, escape, where):
    """The decoded value is held to the file's own rule: a double-quoted YAML escape does not get a
    control character, a noncharacter or half a pair past the check, in any field of any file."""
    if where == "content":
        files = {"content/people/someone.yml": f'name: "Some{escape}one"\nsources: [seed]\n'}
        path, line = "content/people/someone.yml", 1
    else:
        files = {"docs/page.md": f'---\ntitle: Fine\ndescription: "A{escape}B"\n---\n\n# Page\n'}
        path, line = "docs/page.md", 3
    site = check(tree(files))
    found = [(d.path, d.line, d.code) for d in site.diagnostics.errors]
    codes = {"control-character", "yaml-syntax"} if escape == "\\ud800" else {"control-character"}  # libyaml refuses it first
    assert any((path, line, code) in found for code in codes), found


@pytest.mark.parametrize("email", ["a@b.org<h1>x</h1>", "a@b.org>[x](javascript:alert(1))", "a b@c.org", "<a@b.org>",
                                   "a@b.org\\\" onmouseover=\\\"x", "a@b", "a@b.org/path"])
def test_a_contact_address_is_only_an_address(tree, email):
    """The address becomes a Markdown autolink: nothing that could end it or start markup passes."""
    site = check(tree({"content/organizations/wma.yml": f'name: W\n{ORG}contacts:\n  - role: Office\n    email: "{email}"\n'}))
    assert [(d.line, d.code) for d in site.diagnostics.errors] == [(6, "invalid-value")], messages(site)


@pytest.mark.parametrize("page, other", [
    ("admin.md", "web editor"), ("admin/guide.md", "admin/"), ("events.ics.md", "events.ics"),
    ("feed.xml.md", "feed.xml"), ("sitemap.xml.md", "sitemap"), ("search/search_index.json.md", "search/"),
    ("organizations/README.md", "organizations/index.md"), ("README.md", "docs/README.md"),
])
def test_a_page_that_would_replace_an_output_or_need_its_name_as_a_folder_is_located(tree, page, other):
    """Addresses are compared as the files they are served from, and a page folder (events.ics/)
    clashes with a file of that name (events.ics); the engine's own outputs are taken from the start;
    README.md is its folder's index page, as MkDocs makes it."""
    site = check(tree({f"docs/{page}": "# A page\n\nText.\n"}))
    errors = [d for d in site.diagnostics.errors if d.code in ("page-clash", "reserved-path")]
    assert errors and all(d.line == 1 for d in errors), messages(site)
    assert any(other in d.message for d in errors), messages(site)


@pytest.mark.parametrize("name", ["Page.Md", "page.MD"])
def test_a_page_whose_name_ends_in_md_in_capitals_is_located(tree, name):
    site = check(tree({f"docs/{name}": "# A page\n\n<script>x</script>\n"}))
    assert [(d.path, d.code) for d in site.diagnostics.errors] == [(f"docs/{name}", "file-type")], messages(site)


@pytest.mark.parametrize("value", ["33:20", "2_021", "0x7e5", "0o3745", "0b11111100101", ".inf", "-.Inf", ".nan", "1_0.5"])
def test_a_number_in_a_form_nobody_means_is_located(tree, value):
    """YAML 1.1 reads 33:20 as 2000 and 0x7e5 as 2021: a date or a figure written so is refused."""
    site = check(tree({"content/events/an-event.md": f"---\ntitle: E\ndate: {value}\nsummary: s\nsources: [seed]\n---\n"}))
    assert ("content/events/an-event.md", 3, "invalid-value") in codes(site), messages(site)
