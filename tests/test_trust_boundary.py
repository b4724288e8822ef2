"""The trust boundary of files, folders and sizes: output folders the build owns, text that is
text, files that stay in the project, dates the calendars can hold, the files of docs/ and their
front matter, and a report that no printed line can turn into a CI command."""

from __future__ import annotations

import hashlib
import os
import re
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import BASE_FILES, check, run_cli, write_tree
from oirsite.outputs import outdir
from oirsite.core.dates import PartialDate
from oirsite.core.diagnostics import CODES, Diagnostic, Diagnostics, Severity, format_report
from oirsite.read.docs_files import ENGINE_OUTPUTS, check_page_meta, list_docs, material_templates_dir, scan_docs, theme_paths
from oirsite.read.source import MAX_FILE_BYTES, read_source
from oirsite.read.yamlread import MAX_DEPTH, parse_yaml

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
PROJECT_FOLDERS = ["content", "docs", "overrides", "scripts", "schemas", "tests", ".git"]


def tree_digest(root: Path) -> str:
    """One hash of every path, link target and file byte under ``root``."""
    digest = hashlib.sha256()
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(dirs + files):
            path = Path(folder, name)
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            if path.is_symlink():
                digest.update(os.readlink(path).encode())
            elif path.is_file():
                digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A small project with every folder the rule protects, inside a folder that holds other things."""
    root = write_tree(tmp_path / "work" / "project", {
        **BASE_FILES, "README.md": "# Read me\n", "overrides/main.html": "{% extends 'base.html' %}\n",
        "scripts/tool.py": "print('hi')\n", "schemas/x.json": "{}\n", "tests/test_x.py": "\n",
        ".git/HEAD": "ref: refs/heads/main\n"})
    write_tree(tmp_path / "work", {"other/notes.txt": "mine\n"})
    return root


# ---------------------------------------------------------------------------------------------
# Output folders


def refused_spellings(root: Path) -> list[str]:
    """Ways to name a folder that must never receive the site, relative to ``root`` or absolute."""
    spellings = [".", "./", "..", "../..", "/", str(root), str(root.parent), "README.md", "./README.md",
                 "../other", "../other/", str(root.parent / "other")]
    for name in PROJECT_FOLDERS:
        spellings += [name, f"{name}/", f"./{name}", f"{name}//", f"content/../{name}", f"../project/{name}",
                      str(root / name), f"{name}/sub", f"{name}/new/deeper"]
    spellings += ["content/events", "docs/index.md", "scripts/tool.py", "README.md/site", "../other/notes.txt/x/y"]
    return spellings


def test_check_output_dir_refuses_every_spelling_of_the_project_and_its_folders(project, monkeypatch):
    monkeypatch.chdir(project)
    (project / "link-to-content").symlink_to(project / "content")
    (project / "link-to-parent").symlink_to(project.parent)
    (project / "link-to-readme").symlink_to(project / "README.md")
    before = tree_digest(project.parent)
    for spelling in [*refused_spellings(project), "link-to-content", "link-to-content/events", "link-to-parent",
                     "link-to-readme", "link-to-parent/project/docs"]:
        with pytest.raises(outdir.OutputRefused, match="choose a new folder|made by this tool"):
            outdir.check_output_dir(Path(spelling), project)
    assert tree_digest(project.parent) == before


def test_check_output_dir_accepts_new_empty_and_marked_folders(project, monkeypatch):
    monkeypatch.chdir(project)
    (project / "empty").mkdir()
    write_tree(project, {"site/index.html": "old", f"site/{outdir.MARKER}": outdir.MARKER_TEXT})
    (project / "link-to-site").symlink_to(project / "site")
    for spelling, real in [("site", "site"), ("site/", "site"), ("./new", "new"), ("empty", "empty"),
                           ("a/b/c", "a/b/c"), ("link-to-site", "site"), ("../elsewhere", "../elsewhere")]:
        assert outdir.check_output_dir(Path(spelling), project) == Path(os.path.realpath(project / real))
    # A folder the settings name is protected too (docs_dir: pages).
    with pytest.raises(outdir.OutputRefused, match="choose a new folder|made by this tool"):
        outdir.check_output_dir(Path("pages/x"), project, reads=("pages",))


segment = st.sampled_from(["content", "docs", "scripts", ".git", "tests", "..", ".", "", "events", "project"])


@SETTINGS
@given(st.lists(segment, min_size=1, max_size=6))
def test_no_spelling_reaches_into_the_project(project, parts):
    """Whatever path is written, a folder that is accepted is outside every protected folder and
    does not hold the project."""
    path = Path(project, *parts)
    try:
        accepted = outdir.check_output_dir(path, project)
    except outdir.OutputRefused:
        return
    real_root = Path(os.path.realpath(project))
    assert not real_root.is_relative_to(accepted)
    for name in PROJECT_FOLDERS:
        assert not accepted.is_relative_to(real_root / name)
    assert not accepted.exists() or outdir.is_marked(accepted) or not any(accepted.iterdir())


@pytest.mark.parametrize("args", [
    ["--site-dir", "."], ["--site-dir", "content"], ["--site-dir", "docs/"], ["--site-dir", "README.md"],
    ["--site-dir", "../other"], ["--site-dir", ".."], ["--site-dir", "/"], ["--site-dir", ".git"],
    ["--site-dir", "link"], ["export", "content"], ["export", "docs"], ["export", "."], ["export", "README.md"],
    ["export", "../other"], ["export", "/"], ["export", "README.md/out"], ["--site-dir", "README.md/site"],
])
def test_the_command_line_refuses_a_folder_it_does_not_own_and_touches_nothing(project, args):
    (project / "link").symlink_to(project / "docs")
    before = tree_digest(project.parent)
    result = run_cli("--root", str(project), *args, cwd=project)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    [message] = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert "choose a new folder" in message
    assert result.stdout == ""  # refused before anything else ran
    assert tree_digest(project.parent) == before


def test_a_folder_that_cannot_be_written_is_a_message(project):
    """/proc refuses new folders even to root: the run says so, without a traceback."""
    result = run_cli("--root", str(project), "export", "/proc/oirsite-export", cwd=project)
    assert result.returncode == 1 and "cannot write into" in result.stderr and "Traceback" not in result.stderr


def test_export_owns_its_folder_and_replaces_it_whole(project):
    first = run_cli("--root", str(project), "export", "out", cwd=project)
    assert first.returncode == 0, first.stdout + first.stderr
    out = project / "out"
    assert outdir.is_marked(out) and (out / "events" / "assembly-2023.md").is_file()
    (out / "stale.md").write_text("left from before")
    write_tree(project, {"content/events/day-2021.md": None})
    again = run_cli("--root", str(project), "export", "out", cwd=project)
    assert again.returncode == 0, again.stdout + again.stderr
    assert not (out / "stale.md").exists() and not (out / "events" / "day-2021.md").exists()
    assert [p.name for p in project.iterdir() if p.name.startswith(".out")] == []


def test_the_swap_deletes_nothing_that_was_not_made_by_the_tool(tmp_path):
    target = write_tree(tmp_path, {"site/precious.txt": "keep"}) / "site"
    staging = outdir.make_staging(target)
    (staging / "index.html").write_text("new")
    with pytest.raises(outdir.OutputRefused, match="choose a new folder|made by this tool"):
        outdir.replace(target, staging)
    assert (target / "precious.txt").read_text() == "keep" and not staging.exists()
    (target / "precious.txt").unlink()
    staging = outdir.make_staging(target)
    (staging / "index.html").write_text("new")
    outdir.replace(target, staging)  # empty: accepted
    assert (target / "index.html").read_text() == "new" and outdir.is_marked(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


# ---------------------------------------------------------------------------------------------
# The printed report


pieces = st.sampled_from(list(":#[]%,=\n\r\t\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\x00\x1b ab") +
                         ["::error ", "::stop-commands::", "##[error]", "\r\n", "::"])
hostile = st.lists(pieces | st.text(max_size=5), max_size=12).map("".join)


@SETTINGS
@given(hostile, hostile, hostile, st.sampled_from(sorted(CODES)), st.booleans())
def test_no_printed_line_is_a_workflow_command(path, message, hint, code, error):
    severity = Severity.ERROR if error else Severity.WARNING
    diagnostic = Diagnostic(path, 3, 4, severity, code, message, hint)
    text = format_report([diagnostic], "text")
    lines = text.splitlines()
    assert len(lines) == (3 if hint else 2)  # the message, the hint, the count: no other line
    for line in lines:
        assert not line.lstrip().startswith(("::", "##["))
    assert lines[0].endswith(f"[{code}]") and lines[0].split(":")[-4:-2] != []
    github = diagnostic.format_github()
    assert len(github.splitlines()) == 1
    properties, _, _ = github.removeprefix(f"::{severity.value} ").partition("::")
    fields = dict(item.split("=", 1) for item in properties.split(","))
    assert list(fields) == ["file", "line", "col", "title"] and fields["line"] == "3"
    assert all(":" not in value for value in fields.values())


# ---------------------------------------------------------------------------------------------
# Every file is text, in the project, of a sensible size


NOT_TEXT = [chr(c) for c in [*range(0, 9), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]] + \
    ["\ufdd0", "\ufdef", "\ufffe", "\uffff", "\U0001fffe", "\U0010ffff"]


@SETTINGS
@given(st.sampled_from(NOT_TEXT), st.text(alphabet=string.ascii_letters + " \n\t\r", max_size=60),
       st.text(alphabet=string.ascii_letters + " \n", max_size=30), st.sampled_from(["docs/x.md", "content/events/x.md"]))
def test_a_control_character_anywhere_is_located(tmp_path, char, before, after, name):
    file = tmp_path / name
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes((before + char + after + char).encode("utf-8"))
    diagnostics = Diagnostics()
    assert read_source(file, tmp_path, diagnostics) is None
    [d] = diagnostics
    text = before.replace("\r\n", "\n").replace("\r", "\n")
    assert (d.path, d.code) == (name, "control-character")
    assert (d.line, d.col) == (text.count("\n") + 1, len(text) - (text.rfind("\n") + 1) + 1)
    assert f"U+{ord(char):04X}" in d.message and "1 more" in d.message


def test_tab_line_breaks_and_ordinary_unicode_are_text(tmp_path):
    file = write_tree(tmp_path, {"docs/a.md": "a\tb\r\nc\rd\n\u00e9\u2014\u201c\U0001f600 \u200b \ufeff\n".encode()})
    diagnostics = Diagnostics()
    assert read_source(file / "docs/a.md", tmp_path, diagnostics).text.count("\n") == 4
    assert diagnostics == []


@pytest.mark.parametrize("data, line, col", [
    (b"ok\n\xff", 2, 1), (b"a: b\ncaf\xc3\xa9 \xe9t\xe9\n", 2, 6), (b"\xc3\xa9\xc3", 1, 2)])
def test_invalid_utf8_names_file_line_and_column(tmp_path, data, line, col):
    write_tree(tmp_path, {"docs/b.md": data})
    diagnostics = Diagnostics()
    assert read_source(tmp_path / "docs/b.md", tmp_path, diagnostics) is None
    [d] = diagnostics
    assert (d.path, d.line, d.col, d.code) == ("docs/b.md", line, col, "encoding")


def test_files_over_the_size_limit_are_refused_without_reading_them_whole(tmp_path):
    write_tree(tmp_path, {"content/events/big.md": b"a" * (MAX_FILE_BYTES + 1), "docs/fits.md": b"a" * MAX_FILE_BYTES})
    diagnostics = Diagnostics()
    assert read_source(tmp_path / "content/events/big.md", tmp_path, diagnostics) is None
    assert [(d.path, d.code) for d in diagnostics] == [("content/events/big.md", "file-too-large")]
    assert read_source(tmp_path / "docs/fits.md", tmp_path, Diagnostics()) is not None


def test_a_pipe_is_not_read(tmp_path):
    os.mkfifo(tmp_path / "pipe.md")
    diagnostics = Diagnostics()
    assert read_source(tmp_path / "pipe.md", tmp_path, diagnostics) is None  # returns: never blocks
    assert [d.code for d in diagnostics] == ["unreadable"]


def test_a_folder_linked_out_of_the_project_is_refused_file_by_file(tmp_path):
    outside = write_tree(tmp_path / "outside", {"secret.yml": "name: Secret\nkind: ama-council\nsummary: s\n"})
    root = write_tree(tmp_path / "project", BASE_FILES)
    (root / "content" / "glossary").symlink_to(outside, target_is_directory=True)
    site = check(root)
    assert [(d.path, d.code) for d in site.diagnostics.errors] == [("content/glossary/secret.yml", "symlink-outside")]
    assert "Secret" not in str(site.catalog.__dict__)


@pytest.mark.parametrize("text", [
    "a: " + "[" * 10_000, "a: " + "[" * 200_000 + "]" * 200_000, "a: " + "{x: " * 5000 + "}" * 5000,
    "".join(" " * i + "-\n" for i in range(200)), "- " * 100_000 + "x", "a:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 80)),
])
def test_deep_nesting_is_a_located_message(text):
    diagnostics = Diagnostics()
    assert parse_yaml(text, "content/x.yml", diagnostics, first_line=2) is None
    [d] = diagnostics
    assert d.code in ("yaml-depth", "yaml-syntax") and d.line >= 2


@pytest.mark.parametrize("depth", [MAX_DEPTH - 1, MAX_DEPTH])
def test_nesting_up_to_the_limit_is_accepted(depth):
    diagnostics = Diagnostics()
    value, _ = parse_yaml("[" * depth + "]" * depth + "\n" + "#" * 2000 + "-:" * 600, "x.yml", diagnostics)
    assert diagnostics == [] and isinstance(value, list)


def test_deep_nesting_in_a_content_file_fails_the_check_located(tmp_path):
    root = write_tree(tmp_path, {**BASE_FILES, "content/organizations/deep.yml": "name: x\nsummary: " + "[" * 100_000})
    site = check(root)
    assert [(d.path, d.line, d.code) for d in site.diagnostics.errors] == [("content/organizations/deep.yml", 2, "yaml-depth")]


# ---------------------------------------------------------------------------------------------
# Dates


@given(st.integers(0, 9999), st.integers(1, 12), st.integers(1, 31), st.integers(0, 2))
def test_every_accepted_date_and_its_next_day_exist(year, month, day, precision):
    text = f"{year:04d}" + (f"-{month:02d}" if precision else "") + (f"-{day:02d}" if precision == 2 else "")
    try:
        date = PartialDate.parse(text)
    except ValueError as exc:
        assert "is not a date" in str(exc)
        return
    import datetime as dt
    assert date.first_day <= date.last_day < date.last_day + dt.timedelta(days=1)
    assert 1000 <= date.year <= 9998


@pytest.mark.parametrize("date, end", [("0000", None), ("0999-01-01", None), ("9999-12-31", None),
                                       ("9998-12-30", "9999-01-01"), ("2023", "9999")])
def test_dates_outside_the_calendar_are_located_messages(tmp_path, date, end):
    event = f"---\ntitle: T\ndate: {date}\n" + (f"end: {end}\n" if end else "") + "summary: s\norganizers: [wma]\n---\n"
    root = write_tree(tmp_path, {**BASE_FILES, "content/events/edge.md": event})
    result = run_cli("--check", "--root", str(root))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(r"^content/events/edge\.md:[34]:\d+: error: .*year must be from 1000 to 9998", result.stdout, re.M)


def test_the_last_expressible_day_builds_its_calendar(tmp_path):
    from oirsite.core.dates import build_time
    from oirsite.outputs.syndication import event_calendar
    root = write_tree(tmp_path, {**BASE_FILES, "content/events/edge.md":
                                 "---\ntitle: T\ndate: 9998-12-31\nsummary: s\norganizers: [wma]\n---\n"})
    site = check(root)
    assert site.ok
    assert "DTEND;VALUE=DATE:99990101" in event_calendar(site.catalog.get("edge"), "https://x.example/", build_time())


# ---------------------------------------------------------------------------------------------
# docs/ files


def scan(root: Path, reserved=(), generated=()):
    diagnostics = Diagnostics()
    files = scan_docs(root, "docs", diagnostics, reserved, generated)
    return [p.relative_to(root / "docs").as_posix() for p in files], {(d.path, d.code) for d in diagnostics}


def test_scan_docs_accepts_pages_assets_and_scripts_in_their_folder(tmp_path):
    write_tree(tmp_path, {f"docs/{name}": b"x" for name in [
        "index.md", "a/b.md", "stylesheets/extra.css", "javascripts/x.js", "img/a.png", "img/b.JPG", "img/c.jpeg",
        "img/d.gif", "img/e.webp", "img/f.avif", "favicon.ico", "fonts/a.woff", "fonts/a.woff2", ".hidden.html",
        ".private/x.html"]})
    files, problems = scan(tmp_path)
    assert problems == set()
    assert ".hidden.html" not in files and len(files) == 13


@pytest.mark.parametrize("name", ["page.html", "x.htm", "logo.svg", "a/b.SVG", "x.xhtml", "feed.xml", "run.js",
                                  "a/javascripts/x.js", "x.php", "x", "Makefile", "notes.txt", "x.pdf", "x.map",
                                  "x.mjs", "x.json", "x.wasm"])
def test_scan_docs_refuses_other_file_types(tmp_path, name):
    write_tree(tmp_path, {f"docs/{name}": b"<script>alert(1)</script>", "docs/index.md": "# Home\n"})
    files, problems = scan(tmp_path)
    assert files == ["index.md"] and problems == {(f"docs/{name}", "file-type")}


def test_scan_docs_refuses_links_to_anything(tmp_path):
    write_tree(tmp_path, {"docs/index.md": "# Home\n", "docs/real.css": "a{}", "secret.txt": "x"})
    (tmp_path / "docs" / "in.css").symlink_to(tmp_path / "docs" / "real.css")
    (tmp_path / "docs" / "out.png").symlink_to("/etc/passwd")
    (tmp_path / "docs" / "folder").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "docs" / "dangling.md").symlink_to(tmp_path / "nowhere")
    files, problems = scan(tmp_path)
    assert files == ["index.md", "real.css"]
    assert problems == {(f"docs/{n}", "symlink") for n in ["in.css", "out.png", "folder", "dangling.md"]}
    assert list_docs(tmp_path / "docs")  # the walk did not enter the linked folder
    assert all("secret" not in p.name for p in list_docs(tmp_path / "docs"))


def test_scan_docs_refuses_a_linked_docs_folder(tmp_path):
    write_tree(tmp_path, {"elsewhere/index.md": "# x\n"})
    (tmp_path / "docs").symlink_to(tmp_path / "elsewhere")
    files, problems = scan(tmp_path)
    assert files == [] and problems == {("docs", "symlink")}


def test_theme_paths_and_generated_outputs_are_reserved(tmp_path):
    theme = material_templates_dir()
    assert theme is not None
    reserved = theme_paths(theme, write_tree(tmp_path / "overrides", {"partials/x.html": "", "assets/ours/a.css": ""}))
    assert {"assets/javascripts/", "assets/stylesheets/", "partials/x.html", "assets/ours/"} <= reserved
    bundle = next(p for p in reserved if re.fullmatch(r"assets/javascripts/bundle\.\w+\.min\.js", p))
    taken = [bundle, "assets/javascripts/bundle.0000.min.js", "assets/stylesheets/main.css", "assets/images/favicon.png",
             "search/search_index.json", "sitemap.xml", "sitemap.xml.gz", "tags.json", "feed.xml", "events/x.ics",
             "search/page.md", "assets/javascripts/x.md"]
    root = tmp_path / "p"
    write_tree(root, {f"docs/{name}": b"x" for name in [*taken, "index.md", "events/index.md", "assets/logo.png"]})
    files, problems = scan(root, reserved, {"feed.xml", "events/x.ics", "events/index.md"})
    assert problems == {(f"docs/{n}", "reserved-path") for n in taken}
    assert files == ["assets/logo.png", "events/index.md", "index.md"]  # a page clash is site.py's message
    assert {"sitemap.xml", "search/", "tags.json"} <= ENGINE_OUTPUTS


# ---------------------------------------------------------------------------------------------
# Front matter of docs/ pages


def meta(text: str):
    diagnostics = Diagnostics()
    data = check_page_meta("docs/p.md", text, diagnostics)
    return data, [(d.line, d.code) for d in diagnostics]


def test_material_front_matter_is_allowed():
    data, problems = meta("---\ntitle: A page\ndescription: What it is about, in a line.\ntags: [a, b c]\n"
                          "hide:\n  - navigation\n  - toc\nsearch:\n  boost: 2\nstatus: new\n---\n\n# A page\n")
    assert problems == [] and data["hide"] == ["navigation", "toc"]
    assert meta("# A page\n\nNote: text.\n") == ({}, [])
    assert meta("---\nsearch: {exclude: true}\n...\n# A\n") == ({"search": {"exclude": True}}, [])


@pytest.mark.parametrize("text, problems", [
    ("---\njsonld: '</script>'\n---\n", [(2, "unknown-field")]),
    ("---\ntemplate: redirect.html\ntitle: ok\nextra: {a: b}\n---\n", [(2, "unknown-field"), (4, "unknown-field")]),
    ("---\ntitle: [a]\ndescription: {x: y}\n---\n", [(2, "invalid-value"), (3, "invalid-value")]),
    ("---\ntitle: 2023\n---\n", [(2, "invalid-value")]),
    ("---\ntitle: |\n  two\n  lines\n---\n", [(2, "invalid-value")]),
    ("---\ndescription: " + "x" * 501 + "\n---\n", [(2, "invalid-value")]),
    ("---\nhide: [navigation, everything]\n---\n", [(2, "invalid-value")]),
    ("---\nhide: toc\n---\n", [(2, "invalid-value")]),
    ("---\ntags:\n  - a\n  - [b]\n---\n", [(4, "invalid-value")]),
    ("---\nsearch: {boost: 1000, other: 1}\n---\n", [(2, "invalid-value"), (2, "unknown-field")]),
    ("---\nstatus: '<b>'\n---\n", [(2, "invalid-value")]),
    ("---\ntitle: !!python/object:os.system x\n---\n", [(2, "yaml-tag")]),
    ("---\ntitle: " + "[" * 5000 + "\n---\n", [(2, "yaml-depth")]),
    ("---\ntitle: 'unclosed\n---\n", [(3, "yaml-syntax")]),
    ("---\njust text\n---\n", [(2, "not-a-mapping")]),
    ("description: a page that starts like a setting\n\n# Title\n", [(1, "front-matter")]),
    ("https://example.org is where it starts\n", [(1, "front-matter")]),
])
def test_page_front_matter_problems_are_located(text, problems):
    data, found = meta(text)
    assert data == {} and sorted(found) == sorted(problems)


front_matter_text = st.lists(st.sampled_from(["---\n", "...\n", "title: ", "hide:", "\n  - ", "toc", "[", "]", "{", "}",
                                              ": ", "&a ", "*a", "!!python/name:os.system", "'", '"', "\t", "tags",
                                              "search:", " boost: ", "1e9", "description", "\n", "x"]) | st.text(max_size=4),
                             max_size=40).map("".join)


@SETTINGS
@given(front_matter_text)
def test_any_page_front_matter_gives_settings_or_located_messages(text):
    diagnostics = Diagnostics()
    data = check_page_meta("docs/p.md", text, diagnostics)
    assert isinstance(data, dict)
    assert all(d.path == "docs/p.md" and d.line >= 1 and d.code in CODES for d in diagnostics)
    assert not data or not diagnostics.errors  # settings come back only when nothing is wrong
    assert set(data) <= {"title", "description", "tags", "hide", "search", "status"}


@given(st.one_of(st.text(max_size=12), st.integers(), st.floats(), st.none(), st.booleans(),
                 st.from_regex(r"\A\d{4}(-\d{2}(-\d{2})?)?\Z")))
def test_a_date_is_parsed_or_refused_with_a_message(value):
    try:
        date = PartialDate.parse(value)
    except ValueError as exc:
        assert str(exc)
        return
    assert 1000 <= date.year <= 9998 and date.first_day <= date.last_day
