"""The local web editor, for real: Sveltia CMS from node_modules at /admin/, served by
scripts/cms_serve.py with its GitHub-like API writing into a temporary copy of the project,
Chromium filling in the forms after signing in with the link the command prints.

What the CMS writes must be what the build accepts: the new event passes --check and appears in
the built site with the backlink on its organization's page. Saving an existing file changes only
the field the editor changed: the rest of the file, its comments included, is byte for byte what
it was (the round-trip writer, oirsite.tools.cms_roundtrip.merge).
"""

from __future__ import annotations

import functools
import os
import re
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from helpers import ROOT, copy_project, run_cli
from screenshots import QuietHandler

from cms_serve import EditorServer  # scripts/
from oirsite.tools import cms

TITLE = "Médecins Assembly, Geneva 2024"
EVENT_ID = "medecins-assembly-geneva-2024"  # the slug rules: lowercase ASCII, accents removed, hyphens


# An organization written by hand, with what an editor's text editor keeps and the CMS's own
# writer would not: comments, the key order, quotes, flow lists, a folded summary.
HAND_WRITTEN = """\
# Checked against the agency's own pages.
name: Test Health Agency
acronym: THA
kind: intergovernmental-organization
summary: >-
  An agency written by hand for this test, with a summary folded over
  two lines.
parent: un  # part of the UN system
website: "https://tha.example.org/"
tags: [global health, "UN agencies"]
sources: [test-agency-report]  # the agency's own report
"""
NEW_SUMMARY = "A new summary, written in the web editor."


HAND_WRITTEN_FILES = {
    "content/sources/test-agency-report.yml": ("title: The agency's report\npublisher: Test Health Agency\n"
                                               "url: https://tha.example.org/report\nobtained: stored copy\n"
                                               "read: 2026-12-04\n"),
    "content/glossary/thx.yml": ("# Checked against the agency's own pages.\nterm: THX\nexpansion: >-\n"
                                 "  An agency written by hand for this test, with a summary folded over\n  two lines.\n"
                                 "refers_to: un  # part of the UN system\n"),
    "content/organizations/test-health-agency-page.md": "---\n" + HAND_WRITTEN.replace("THA", "THAP").replace(
        "Test Health Agency", "Test Health Agency Page") + "---\n\nThe agency's page, with [[un]] in it.\n",
}


@pytest.fixture(scope="module")
def editor(tmp_path_factory, chromium):
    """(the editor's server, project copy): the editor on the copy."""
    if not (ROOT / cms.PACKAGE / "dist" / "sveltia-cms.js").is_file():
        message = "the web editor is not installed: run `npm ci`"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    project = copy_project(tmp_path_factory.mktemp("cms") / "project")
    for rel, text in HAND_WRITTEN_FILES.items():  # there when the editor reads the tree
        (project / rel).write_text(text, encoding="utf-8")
    server = EditorServer(project)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server, project
    server.shutdown()
    server.server_close()


@pytest.fixture
def cms_page(browser, editor):
    server, _ = editor
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.foreign = []
    page.errors = []
    page.on("request", lambda r: r.url.startswith((server.origin + "/", "data:", "blob:")) or page.foreign.append(r.url))
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.goto(server.admin_url)  # the address the command prints: it signs in with this run's key
    page.get_by_role("button", name="Sign In", exact=True).click()
    expect(page.get_by_role("button", name="Create Entry or Assets")).to_be_visible(timeout=30000)
    yield page
    assert page.foreign == [], "the editor loaded something from another host"
    assert page.errors == []
    context.close()


def _save(page) -> None:
    page.get_by_role("button", name="Save", exact=True).click()


def _wait_for(path: Path, page, changed_from: bytes | None = None) -> bytes:
    for _ in range(150):
        if path.exists() and path.read_bytes() != changed_from:
            return path.read_bytes()
        page.wait_for_timeout(100)
    raise AssertionError(f"{path} was not written")


def _front_matter(text: str) -> dict:
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n")[1])


def _source(project: Path) -> tuple[str, str]:
    path = project / "content" / "sources" / "test-agency-report.yml"  # this test's own, its title unique
    return path.stem, yaml.safe_load(path.read_text(encoding="utf-8"))["title"]


def test_without_the_key_the_editor_does_not_sign_in(browser, editor):
    server, _ = editor
    page = browser.new_page()
    page.goto(server.admin_url.split("#")[0])
    page.get_by_role("button", name="Sign In Using Access Token").click()
    page.get_by_role("textbox", name="Personal Access Token").fill("not-the-key")
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.wait_for_timeout(1500)
    expect(page.get_by_role("button", name="Create Entry or Assets")).to_have_count(0)
    page.close()


def test_a_new_event_with_an_organization_is_accepted_by_the_check_and_built(cms_page, editor, browser, tmp_path):
    server, project = editor
    page = cms_page
    page.goto(server.admin_url.split("#")[0] + "#/collections/events/new")
    page.get_by_role("textbox", name="Title").fill(TITLE)
    page.get_by_role("textbox", name="Date").fill("2024-05")
    page.locator("textarea").first.fill("The assembly met in Geneva.")
    page.get_by_role("combobox", name="Organizers").click()
    page.get_by_role("option", name="World Medical Association", exact=True).click()
    page.get_by_role("textbox", name="Title").click()  # the list closes
    source_id, source_title = _source(project)
    page.get_by_role("combobox", name="Sources").click()  # required for an entry that states facts
    page.get_by_role("option", name=source_title, exact=True).click()
    _save(page)

    text = _wait_for(project / "content" / "events" / f"{EVENT_ID}.md", page).decode("utf-8")
    assert _front_matter(text) == {"title": TITLE, "date": "2024-05", "organizers": ["wma"],
                                   "sources": [source_id], "summary": "The assembly met in Geneva."}

    check = run_cli("--check", "--root", str(project))
    assert check.returncode == 0, check.stdout + check.stderr
    site = tmp_path / "site"
    build = run_cli("--root", str(project), "--site-dir", str(site))
    assert build.returncode == 0, build.stdout + build.stderr

    handler = functools.partial(QuietHandler, directory=str(site))
    reader_server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=reader_server.serve_forever, daemon=True).start()
    try:
        reader = browser.new_page()
        reader.goto(f"http://127.0.0.1:{reader_server.server_address[1]}/organizations/wma/")
        reader.get_by_role("link", name=TITLE).click()  # the organization's backlink to the new event
        assert reader.url.endswith(f"/events/{EVENT_ID}/")
        assert reader.get_by_role("heading", level=1).inner_text().rstrip("¶") == TITLE
        reader.close()
    finally:
        reader_server.shutdown()


@pytest.mark.parametrize("markdown", [False, True], ids=["yml", "md with page text"])
def test_saving_one_changed_field_keeps_the_rest_of_the_file_byte_for_byte(cms_page, editor, markdown):
    """A YAML file (a glossary term) and a Markdown file (an organization), each with comments and a
    folded text: one field edited in the form, everything else stays byte for byte."""
    server, project = editor
    collection, name, field = ("organizations", "test-health-agency-page", "summary") if markdown else \
        ("glossary", "thx", "expansion")
    rel = f"content/{collection}/{name}.{'md' if markdown else 'yml'}"
    path, original = project / rel, HAND_WRITTEN_FILES[rel]

    page = cms_page
    page.goto(server.admin_url.split("#")[0] + f"#/collections/{collection}/entries/{name}")
    summary = page.locator("textarea").first
    expect(summary).to_have_value("An agency written by hand for this test, with a summary folded over two lines.")
    summary.fill(NEW_SUMMARY)
    _save(page)

    written = _wait_for(path, page, changed_from=original.encode()).decode("utf-8")
    old_summary = f"{field}: >-\n  An agency written by hand for this test, with a summary folded over\n  two lines.\n"
    assert old_summary in original
    assert written == original.replace(old_summary, f"{field}: {NEW_SUMMARY}\n")
    check = run_cli("--check", "--root", str(project))
    assert check.returncode == 0, check.stdout + check.stderr


def test_ifmsa_with_its_comments_and_open_notes_changes_only_in_its_summary(cms_page, editor):
    """A real page with text (organizations-pages): a comment, open notes the form does not show,
    flow lists, a body. Its summary edited and saved, everything else stays byte for byte."""
    server, project = editor
    path = project / "content/organizations/ifmsa.md"
    original = path.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("summary:"))
    end = next(i for i in range(start + 1, len(lines)) if re.match(r"[a-z_]+:", lines[i]))
    page = cms_page
    page.goto(server.admin_url.split("#")[0] + "#/collections/organizations/entries/ifmsa")
    page.locator("textarea").first.fill(NEW_SUMMARY)
    _save(page)
    written = _wait_for(path, page, changed_from=original.encode()).decode("utf-8")
    assert written == "".join(lines[:start] + [f"summary: {NEW_SUMMARY}\n"] + lines[end:])
    check = run_cli("--check", "--root", str(project))
    assert check.returncode == 0, check.stdout + check.stderr
