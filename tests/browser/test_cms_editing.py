"""The web editor, for real: Decap CMS from node_modules at /admin/, served by scripts/cms_serve.py
with its local backend writing into a temporary copy of the project, Chromium filling in the forms.

What the CMS writes must be what the build accepts: the new event passes --check and appears in
the built site with the backlink on its organization's page. What the CMS rewrites when it saves an
existing file is documented (CONTRIBUTING) and asserted exactly here.
"""

from __future__ import annotations

import functools
import os
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from helpers import ROOT, copy_project, run_cli
from screenshots import QuietHandler

from cms_serve import EditorServer  # scripts/
from oirsite import cms

TITLE = "Médecins Assembly, Geneva 2024"
EVENT_ID = "medecins-assembly-geneva-2024"  # Decap's slug: lowercase ASCII, accents removed, hyphens


@pytest.fixture(scope="module")
def editor(tmp_path_factory, chromium):
    """(admin URL with the run's key, the editor's origin, project copy): the editor on the copy."""
    if not (ROOT / cms.DECAP_DIST / "decap-cms.js").is_file():
        message = "the web editor is not installed: run `npm ci`"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    project = copy_project(tmp_path_factory.mktemp("cms") / "project")
    server = EditorServer(project)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.admin_url, server.origin + "/", project
    server.shutdown()
    server.server_close()


@pytest.fixture
def cms_page(browser, editor):
    admin, origin, _ = editor
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.foreign = []
    page.errors = []
    page.on("request", lambda r: r.url.startswith((origin, "data:", "blob:")) or page.foreign.append(r.url))
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.goto(admin)
    page.get_by_role("button", name="Login").click()  # the local backend: no account, no password
    page.get_by_role("link", name="Events", exact=True).first.wait_for()
    yield page
    assert page.foreign == [], "the editor loaded something from another host"
    assert page.errors == []
    context.close()


def _publish(page) -> None:
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Publish now").click()
    page.get_by_text("Changes saved").or_(page.get_by_text("Entry published")).first.wait_for()


def _wait_for(path: Path, page, changed_from: str | None = None) -> str:
    for _ in range(100):
        if path.exists() and path.read_text(encoding="utf-8") != changed_from:
            return path.read_text(encoding="utf-8")
        page.wait_for_timeout(100)
    raise AssertionError(f"{path} was not written")


def _front_matter(text: str) -> dict:
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n")[1])


def test_the_admin_page_is_for_editors_only(cms_page, editor):
    assert cms_page.locator('meta[name="robots"]').get_attribute("content") == "noindex"


def _source_id(project: Path) -> str:
    return sorted(p.stem for p in (project / "content" / "sources").glob("*.yml"))[0]


def _source_title(project: Path) -> str:
    import yaml
    path = project / "content" / "sources" / f"{_source_id(project)}.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["title"]


def test_a_new_event_with_an_organization_is_accepted_by_the_check_and_built(cms_page, editor, browser, tmp_path):
    admin, _, project = editor
    page = cms_page
    page.goto(admin + "#/collections/events/new")
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Date", exact=True).fill("2024-05")
    page.get_by_label("Summary", exact=True).fill("The assembly met in Geneva.")
    for optional in (page.get_by_label("End (optional)"), page.get_by_label("City")):
        optional.fill("typed, then deleted")  # a field emptied again is left out, not written as ''
        optional.fill("")
    page.get_by_label("Organizations (optional)").click()  # the relation widget: existing ids only
    page.keyboard.type("World Medical")
    page.get_by_role("option", name="World Medical Association", exact=True).click()
    source = _source_title(project)
    page.get_by_label("Sources", exact=True).click()  # required for an entry that states facts
    page.keyboard.type(source[:12])
    page.get_by_role("option", name=source, exact=True).click()
    _publish(page)

    text = _wait_for(project / "content" / "events" / f"{EVENT_ID}.md", page)
    data = _front_matter(text)
    assert data == {"title": TITLE, "date": "2024-05", "organizations": ["wma"], "sources": [_source_id(project)],
                    "summary": "The assembly met in Geneva."}  # the empty optional fields are left out

    check = run_cli("--check", "--root", str(project))
    assert check.returncode == 0, check.stdout + check.stderr
    site = tmp_path / "site"
    build = run_cli("--root", str(project), "--site-dir", str(site))
    assert build.returncode == 0, build.stdout + build.stderr

    handler = functools.partial(QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        reader = browser.new_page()
        reader.goto(f"http://127.0.0.1:{server.server_address[1]}/organizations/wma/")
        reader.get_by_role("link", name=TITLE).click()  # the organization's backlink to the new event
        assert reader.url.endswith(f"/events/{EVENT_ID}/")
        assert reader.get_by_role("heading", level=1).inner_text().rstrip("¶") == TITLE
        assert reader.get_by_role("link", name="World Medical Association").count() >= 1
        reader.close()
    finally:
        server.shutdown()


# An organization written by hand, with what an editor's text editor keeps and Decap does not.
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
sources: [un-website]  # the UN's own site
"""

# What the CMS writes back after the summary is edited: the same data, re-serialized. Comments
# are dropped, keys follow the order of the form (the model's), lists are written one item a
# line, quotes only where YAML needs them, long text double-quoted and folded at 80 columns.
REWRITTEN = """\
name: Test Health Agency
acronym: THA
kind: intergovernmental-organization
parent: un
summary: "A new summary, long enough to be folded: the agency written by hand
  for this test."
website: https://tha.example.org/
tags:
  - global health
  - UN agencies
sources:
  - un-website
"""


def test_editing_a_summary_rewrites_the_file_as_documented(cms_page, editor):
    admin, _, project = editor
    collection = next(c for c in cms.generate_config()["collections"] if c["name"] == "organizations")
    markdown = collection["extension"] == "md"
    path = project / "content" / "organizations" / f"test-health-agency.{collection['extension']}"
    path.write_text(f"---\n{HAND_WRITTEN}---\n" if markdown else HAND_WRITTEN, encoding="utf-8")
    before = yaml.safe_load(HAND_WRITTEN)
    original = path.read_text(encoding="utf-8")

    page = cms_page
    page.goto(admin + "#/collections/organizations/entries/test-health-agency")
    summary = page.get_by_label("Summary", exact=True)
    summary.fill("A new summary, long enough to be folded: the agency written by hand for this test.")
    _publish(page)

    text = _wait_for(path, page, changed_from=original)
    after = _front_matter(text) if markdown else yaml.safe_load(text)
    assert {k: v for k, v in after.items() if k != "summary"} == {k: v for k, v in before.items() if k != "summary"}
    assert text == (f"---\n{REWRITTEN}---\n" if markdown else REWRITTEN)
    check = run_cli("--check", "--root", str(project))
    assert check.returncode == 0, check.stdout + check.stderr
