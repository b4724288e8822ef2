"""Attacks on the live preview's promise (scripts/oirsite_mkdocs/live.py): after any sequence of
edits, the folder `mkdocs serve` serves equals, byte for byte, a clean build of the same files.

tests/test_live_preview.py drives one sequence of routine edits, each taking the incremental path.
These drive the edits it does not: redirect files and pages at the same address (an entry renamed
back to its former id; a rename by hand, copy first, delete after), an entry moving from its YAML
to its Markdown form with edit links on, changes that fall back to the full build followed by
incremental ones, a hand-written page gaining a heading, a reference and a generated list while
events move in and out of it, an acronym's expansion reaching pages of the navigation, a page added
to docs/ outside the navigation (and tagged), ids that clash, HTML the sanitizer refuses (the build
stops; the preview must recover) and saves that race the rebuild. After each edit the served
folder is compared with a clean build made the way `mkdocs serve` makes its first one; a test goes
on after a difference and reports every one."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from helpers import copy_project
from test_live_preview import Server, assert_same, clean_build, tree
from test_serve import free_port

pytestmark = pytest.mark.slow  # end-to-end: a real `mkdocs serve` per test

INCREMENTAL, FULL, EITHER = "incremental", "full", "either"


class Session:
    """One `mkdocs serve` on a copy of the project; each step edits, waits for the rebuild (or its
    error), and compares the served folder with a clean build."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.project = copy_project(tmp_path / "project")
        port = free_port()
        self.url = f"http://127.0.0.1:{port}/"
        self.server = Server(self.project, port, tmp_path / "tmp")
        self.number = 0
        self.differences: list[str] = []
        deadline = time.monotonic() + 120
        while not self.server.count("Serving on"):
            assert self.server.process.poll() is None and time.monotonic() < deadline, "\n".join(self.server.lines)
            time.sleep(0.1)

    def path(self, rel: str) -> Path:
        return self.project / rel

    def write(self, rel: str, text: str) -> None:
        path = self.project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def step(self, name: str, edit, expect: str = EITHER) -> list[str]:
        since = len(self.server.lines)
        edit()
        output = self.server.wait(since)
        text = "\n".join(output)
        self.number += 1
        print(f"{name}: " + "; ".join(line for line in output if "Updated" in line or "whole" in line))
        assert "An error happened" not in text and "Traceback" not in text, f"{name}:\n{text}"
        if expect == INCREMENTAL:
            assert "Updated" in text and "Building the whole site" not in text, f"{name}:\n{text}"
        elif expect == FULL:
            assert "Building the whole site" in text, f"{name}:\n{text}"
        clean = clean_build(self.project, self.tmp_path / f"clean-{self.number}", self.url)
        try:
            assert_same(tree(self.server.site()), clean, name)
        except AssertionError as difference:  # go on: what the next edits do to it is part of the report
            self.differences.append(str(difference))
        return output

    def check(self) -> None:
        assert not self.differences, "\n\n".join(self.differences)

    def close(self) -> None:
        self.server.process.terminate()
        self.server.process.wait(timeout=10)


@pytest.fixture
def session(tmp_path):
    made = Session(tmp_path)
    try:
        yield made
    finally:
        made.close()


def first(project: Path, folder: str, suffix: str = "*") -> str:
    """The first entry of ``folder`` (of any file type, or those ending ``.suffix``)."""
    return sorted(p.stem for p in (project / "content" / folder).glob(f"*.{suffix}"))[0]


def described(text: str, description: str) -> str:
    """A hand-written page with this description in its front matter (added or changed)."""
    if not text.startswith("---\n"):
        return f"---\ndescription: {description}\n---\n\n{text}"
    if re.search(r"^description:.*$", text, re.M):
        return re.sub(r"^description:.*$", f"description: {description}", text, count=1, flags=re.M)
    return text.replace("---\n", f"---\ndescription: {description}\n", 1)


def org(name: str, source: str, extra: str = "") -> str:
    return f"name: {name}\nkind: national-medical-association\nsummary: An association the test writes.\n" \
           f"sources: [{source}]\n{extra}"


def test_renamed_back_to_its_former_id(session):
    """A -> B (formerly A: a redirect at A's address), then B -> A (formerly B): A's page comes back
    at the address of the redirect that goes, in one update."""
    source = first(session.project, "sources")
    a, b = "content/organizations/attack-a.yml", "content/organizations/attack-b.yml"
    session.step("add A", lambda: session.write(a, org("Attack Association", source)), INCREMENTAL)
    session.step("rename A to B", lambda: (session.path(a).unlink(),
                                           session.write(b, org("Attack Association", source, "formerly: [attack-a]\n"))))
    session.step("rename B back to A", lambda: (session.path(b).unlink(),
                                                session.write(a, org("Attack Association", source, "formerly: [attack-b]\n"))))
    session.check()


def test_renamed_by_hand_copy_then_delete(session):
    """An editor renames A to B by hand: B is saved first, a copy of A with ``formerly: [attack-a]``
    (until A is deleted that is an error the preview shows, and the redirect's file has the address
    of A's page); then A is deleted, and the redirect is all that stands at A's address."""
    source = first(session.project, "sources")
    a, b = "content/organizations/attack-a.yml", "content/organizations/attack-b.yml"
    session.step("add A", lambda: session.write(a, org("Attack A", source)), INCREMENTAL)
    session.step("save B, a copy of A that lists A's id as a former id",
                 lambda: session.write(b, org("Attack A", source, "formerly: [attack-a]\n")))
    session.step("delete A", lambda: session.path(a).unlink())
    session.step("B drops the former id", lambda: session.write(b, org("Attack A", source)))
    session.check()


def test_incremental_after_a_full_build(session):
    """Changes that fall back to the full build (mkdocs.yml, the front matter of a page of the
    navigation), each followed by entries that change incrementally, from the state (configuration,
    pages, search index) that full build left."""
    config = session.path("mkdocs.yml")
    config_text = config.read_text(encoding="utf-8")
    page = session.path("docs/accessibility.md")
    text = page.read_text(encoding="utf-8")
    source, real = first(session.project, "sources"), first(session.project, "organizations")
    event = "content/events/attack-2030.md"
    recent = re.search(r"recent_events: (\d+)", config_text)
    assert recent, "mkdocs.yml sets extra.recent_events"
    session.step("list another number of recent events (mkdocs.yml)", lambda: config.write_text(
        config_text.replace(recent.group(0), f"recent_events: {int(recent.group(1)) % 5 + 1}"), encoding="utf-8"), FULL)
    session.step("add an event after the full build", lambda: session.write(event, (
        f"---\ntitle: Attack Congress\ndate: 2030-05-01\norganizers: [{real}]\nsummary: A congress.\n"
        f"sources: [{source}]\n---\n\nThe [[{real}]] met.\n")), INCREMENTAL)
    session.step("change the page's description (its front matter)", lambda: page.write_text(
        described(text, "A description the test gives."), encoding="utf-8"), FULL)
    session.step("delete the event", lambda: session.path(event).unlink(), INCREMENTAL)
    session.check()


def test_entry_moves_from_yaml_to_markdown_with_edit_links(tmp_path, monkeypatch):
    """With REPO_URL set, every page has an edit link to the file an editor changes. An entry
    moves from its .yml file to a .md file with the same fields (its page's Markdown is the same;
    its source file is not)."""
    monkeypatch.setenv("REPO_URL", "https://github.com/example/site")
    session = Session(tmp_path)
    try:
        source = first(session.project, "sources")
        yml, md = "content/organizations/attack-a.yml", "content/organizations/attack-a.md"
        session.step("add the entry as YAML", lambda: session.write(yml, org("Attack A", source)), INCREMENTAL)
        session.step("move it to Markdown", lambda: (session.path(yml).unlink(),
                                                     session.write(md, "---\n" + org("Attack A", source) + "---\n")))
        session.check()
    finally:
        session.close()


def test_hand_written_page_gains_references_and_lists(session):
    """A hand-written page of the navigation (with a table of contents) gains a heading, an inline
    reference and a generated list; events then move in and out of that list and of the home page's
    upcoming/recent section; a name that is an acronym's expansion changes (pages of the navigation
    use the acronym); the page loses them again."""
    page = session.path("docs/about.md")
    text = page.read_text(encoding="utf-8")
    source, real = first(session.project, "sources"), first(session.project, "organizations")
    event = "content/events/attack-event.md"
    # An organization with an acronym: its name is the acronym's expansion wherever the acronym stands.
    oir = next(path for path in sorted((session.project / "content/organizations").glob("*.*"))
               if re.search(r"^acronym: ", path.read_text(encoding="utf-8"), re.M))
    oir_text = oir.read_text(encoding="utf-8")
    acronym = re.search(r"^acronym: (\S+)", oir_text, re.M).group(1)

    def write_event(date: str, body: str = f"The [[{real}]] met.") -> None:
        session.write(event, f"---\ntitle: Attack Meeting\ndate: {date}\norganizers: [{real}]\n"
                             f"summary: A meeting.\nsources: [{source}]\n---\n\n{body}\n")

    session.step("the page gains a section that mentions an entry and lists recent events", lambda: page.write_text(
        text.rstrip("\n") + f"\n\n## Events\n\nThe [[{real}]] and the {acronym}.\n\n{{{{ recent_events }}}}\n",
        encoding="utf-8"), INCREMENTAL)
    session.step("an event just before the build date: first of the recent ones",
                 lambda: write_event("2023-11-01"), INCREMENTAL)
    session.step("it moves into the future: upcoming on the home page", lambda: write_event("2030-01-01"), INCREMENTAL)
    session.step("its text gains headings (a table of contents)", lambda: write_event(
        "2030-01-01", f"The [[{real}]] met.\n\n## One\n\nA.\n\n## Two\n\nB.\n\n## Three\n\nC.\n\n## Four\n\nD."))
    session.step("an organization's name (the expansion of its acronym) changes", lambda: oir.write_text(
        re.sub(r"^name: (.*)$", r"name: \1 Renamed", oir_text, count=1, flags=re.M), encoding="utf-8"))
    session.step("the page loses them, the event goes, the name comes back", lambda: (
        page.write_text(text, encoding="utf-8"), session.path(event).unlink(),
        oir.write_text(oir_text, encoding="utf-8")))
    session.check()


def test_refused_html_then_fixed(session):
    """Raw HTML the sanitizer removes: `mkdocs build` stops on it; the preview serves the page
    without it and lists the problem, with its file and line, at the top of every page (no
    traceback), as its first build of the same files would; after the fix the list goes."""
    target = session.path(f"content/events/{first(session.project, 'events', 'md')}.md")
    text = target.read_text(encoding="utf-8")
    page = session.path("docs/accessibility.md")
    page_text = page.read_text(encoding="utf-8")
    session.step("a script in an event's text", lambda: target.write_text(
        text.rstrip("\n") + "\n\n<script>alert(1)</script>\n", encoding="utf-8"), INCREMENTAL)
    home = (session.server.site() / "index.html").read_text(encoding="utf-8")
    assert 'role="alert"' in home and target.relative_to(session.project).as_posix() in home
    assert "<script>alert(1)" not in (session.server.site() / "events" / target.stem / "index.html").read_text()
    session.step("the script goes", lambda: target.write_text(text, encoding="utf-8"))
    session.step("a script in a hand-written page", lambda: page.write_text(
        page_text.rstrip("\n") + '\n\n<img src="x" onerror="alert(1)">\n', encoding="utf-8"), INCREMENTAL)
    home = (session.server.site() / "index.html").read_text(encoding="utf-8")
    assert 'role="alert"' in home and "docs/accessibility.md" in home
    assert 'onerror="' not in (session.server.site() / "accessibility" / "index.html").read_text(encoding="utf-8")
    session.step("the page is fixed, an entry changes too", lambda: (
        page.write_text(page_text, encoding="utf-8"),
        target.write_text(text.rstrip("\n") + "\n\nA sentence.\n", encoding="utf-8")))
    session.check()


def test_saves_that_race_the_rebuild(session):
    """Saves as editors' tools make them: two saves 50 ms apart, the same text again, a file deleted
    and written back at once, saves while a (full) rebuild runs, many files in one go."""
    source, real = first(session.project, "sources"), first(session.project, "organizations")
    event = "content/events/attack-race.md"
    page = session.path("docs/accessibility.md")
    page_text = page.read_text(encoding="utf-8")

    def event_text(title: str) -> str:
        return (f"---\ntitle: {title}\ndate: 2030-02-03\norganizers: [{real}]\nsummary: A meeting.\n"
                f"sources: [{source}]\n---\n\nThe [[{real}]] met.\n")

    def twice():
        session.write(event, event_text("Race Meeting One"))
        time.sleep(0.05)
        session.write(event, event_text("Race Meeting Two"))

    def during_full_build():
        page.write_text(described(page_text, "One description."), encoding="utf-8")
        time.sleep(0.8)  # the watcher has waited for quiet, the full build runs
        session.write(event, event_text("Race Meeting Three"))
        time.sleep(0.3)
        page.write_text(described(page_text, "Another description."), encoding="utf-8")

    def many():
        for number in range(12):
            session.write(f"content/organizations/attack-many-{number}.yml", org(f"Many {number}", source))
            session.write(f"content/events/attack-many-{number}.md", event_text(f"Many {number}").replace(
                f"[[{real}]]", f"[[attack-many-{number}]]"))

    session.step("an event saved twice, 50 ms apart", twice)
    session.step("save the same text again", lambda: session.write(event, event_text("Race Meeting Two")))
    session.step("delete and write it back at once", lambda: (
        session.path(event).unlink(), session.write(event, event_text("Race Meeting Two"))))
    session.step("saves during a full build", during_full_build)
    session.step("many files at once", many)
    session.check()


def test_ids_that_clash_by_case_and_collection(session):
    """An entry whose id another collection already uses (the first in folder order keeps it, the
    other's page goes) and one with the same id in capitals (errors on every page); then both go."""
    source = first(session.project, "sources")
    session.step("add an organization", lambda: session.write("content/organizations/attack-a.yml",
                                                              org("Attack A", source)), INCREMENTAL)
    session.step("an event takes its id (events come first), a person the same id in capitals", lambda: (
        session.write("content/events/attack-a.md", f"---\ntitle: Attack A\ndate: 2030-02-03\nsummary: A meeting.\n"
                                                    f"sources: [{source}]\n---\n\nThe [[attack-a]] met.\n"),
        session.write("content/people/Attack-A.yml", "name: Attack A\n")))
    session.step("both go", lambda: (session.path("content/events/attack-a.md").unlink(),
                                     session.path("content/people/Attack-A.yml").unlink()))
    session.check()


def test_hand_written_page_outside_the_navigation(session):
    """A page added to docs/ (the full build), outside the navigation: its title, a reference, then
    tags (the tags plugin lists every tagged page: the full build); it goes."""
    page = "docs/events/attack-notes.md"
    real = first(session.project, "organizations")
    session.step("add a page in a section's folder", lambda: session.write(page, "# Notes\n\nSome notes.\n"), FULL)
    session.step("its title changes and it mentions an entry", lambda: session.write(
        page, f"# Notes on the assembly\n\nThe [[{real}]] met.\n"), INCREMENTAL)
    session.step("it gets tags", lambda: session.write(
        page, f"---\ntags: [assemblies]\n---\n\n# Notes on the assembly\n\nThe [[{real}]] met.\n"), FULL)
    session.step("it changes, tags kept", lambda: session.write(
        page, f"---\ntags: [assemblies]\n---\n\n# Notes on the assembly\n\nThe [[{real}]] met twice.\n"), FULL)
    session.step("it goes", lambda: session.path(page).unlink(), FULL)
    session.check()


def test_a_removed_tag_that_moves_and_pages_the_content_flow_does_not_read(session):
    """What a review found: the banner must locate a removed tag where it stands now (a line added
    above it moves it, though the page is the same); a page MkDocs leaves out of the site
    (docs/templates/) or the content flow refuses (a reserved address) may be edited; a file
    name that is not UTF-8 is listed on the pages and goes again."""
    target = session.path(f"content/events/{first(session.project, 'events', 'md')}.md")
    text = target.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    scripted = text.rstrip("\n") + "\n\n<script>alert(1)</script>\n"
    session.step("a script in an event's text", lambda: target.write_text(scripted, encoding="utf-8"))
    session.step("a comment line above it moves it", lambda: target.write_text(
        "---\n# a note\n" + scripted[4:], encoding="utf-8"))
    session.step("the script goes", lambda: target.write_text(text, encoding="utf-8"))
    for page in ("docs/templates/attack.md", "docs/search/attack.md"):
        session.step(f"add {page}", lambda page=page: session.write(page, "# Attack\n\nA page.\n"), FULL)
        session.step(f"edit {page}", lambda page=page: session.write(page, "# Attack\n\nA page, edited.\n"))
        session.step(f"remove {page}", lambda page=page: session.path(page).unlink(), FULL)
    odd = bytes(session.path("content/events")) + b"/caf\xe9.md"
    session.step("a file name that is not UTF-8", lambda: Path(os.fsdecode(odd)).write_text(
        "---\ntitle: Odd\n---\n", encoding="utf-8"))
    session.step("it goes", lambda: Path(os.fsdecode(odd)).unlink())
    session.check()
