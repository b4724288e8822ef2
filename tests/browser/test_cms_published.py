"""The published web editor, for real: the admin page as the build makes it (Sveltia CMS's bundle
from node_modules, its page with its Content-Security-Policy, the generated configuration), served
on 127.0.0.1, in Chromium; GitHub's API answered by a fake on 127.0.0.1 that records every request
(tests/fake_github.py). The only difference from the published page is the API's address
(``backend.api_root`` and the policy's connect-src name the fake instead of api.github.com).

An editor signs in with a personal access token, creates an event and saves it: the fake receives
the branch, the commit with the file's exact content, the pull request and its status label, all
with the token; no request goes to another host and the page's policy blocks nothing.
CONTRIBUTING's "web editor" section tells these steps; CMS_SCREENSHOTS=folder saves its pictures.
"""

from __future__ import annotations

import base64
import functools
import os
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import expect

from fake_github import TOKEN, FakeGitHub, repo_of
from helpers import ROOT, copy_project, run_cli
from screenshots import QuietHandler

from oirsite.tools import cms
from oirsite.tools.cms_admin import FONTS, admin_files

TITLE = "Médecins Assembly, Geneva 2024"
EVENT_ID = "medecins-assembly-geneva-2024"  # the slug rules: lowercase ASCII, accents removed, hyphens


def _unique_source() -> tuple[str, str]:
    """(id, title) of the first source whose title no other source has: the option to pick by its name."""
    import collections as _counts
    import yaml
    titles = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))["title"]
              for p in sorted((ROOT / "content/sources").glob("*.yml"))}
    count = _counts.Counter(titles.values())
    return next((id_, title) for id_, title in titles.items() if count[title] == 1)


SOURCE_ID = _unique_source()[0]
# Every request the page makes and every policy violation, seen from inside the page.
CSP_SPY = """window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"""


@pytest.fixture(scope="module")
def published(tmp_path_factory, chromium):
    """(admin URL, fake GitHub, site origin): the admin page served as the site serves it."""
    if not (ROOT / cms.PACKAGE / "dist" / "sveltia-cms.js").is_file():
        message = "the web editor is not installed: run `npm ci`"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    api = FakeGitHub(repo_of(ROOT))
    threading.Thread(target=api.serve_forever, daemon=True).start()
    site = tmp_path_factory.mktemp("published")
    for path, data in admin_files(ROOT, repo_url="https://github.com/oir/site", api_root=api.origin).items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(data)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    yield f"{origin}/admin/", api, origin
    server.shutdown()
    api.shutdown()


def _shot(page, name: str) -> None:
    folder = os.environ.get("CMS_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"cms-{name}.png"))


def _source_title() -> str:
    return _unique_source()[1]


def test_sign_in_with_a_token_create_an_event_and_open_its_pull_request(browser, published, tmp_path):
    admin, api, origin = published
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(CSP_SPY)
    page = context.new_page()
    foreign, errors = [], []
    page.on("request", lambda r: r.url.startswith((origin + "/", api.origin + "/", "data:", "blob:"))
            or foreign.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(admin)

    # Sign in: the only way offered is a token (no OAuth server).
    expect(page.get_by_role("button", name="Sign In with GitHub")).to_have_count(0)
    _shot(page, "1-sign-in")
    page.get_by_role("button", name="Sign In Using Access Token").click()
    page.get_by_role("textbox", name="Personal Access Token").fill(TOKEN)
    _shot(page, "2-token")
    page.get_by_role("button", name="Sign In", exact=True).click()
    expect(page.get_by_role("button", name="Create Entry or Assets")).to_be_visible(timeout=30000)
    first = api.calls()[0]
    assert (first["method"], first["path"], first["auth"]) == ("GET", "/api/v3/user", f"token {TOKEN}")

    # A new event, with its required source picked from the existing ones.
    page.goto(admin + "#/collections/events/new")
    page.get_by_role("textbox", name="Title").fill(TITLE)
    expect(page.get_by_text(cms.REWRITE_HINT)).to_be_visible()  # said before saving
    page.get_by_role("textbox", name="Date").fill("2024-10-03")
    page.locator("textarea").first.fill("The assembly met in Geneva.")
    page.get_by_role("combobox", name="Sources").click()
    page.get_by_role("option", name=_source_title(), exact=True).click()
    _shot(page, "3-form")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Send the entry for review")).to_be_visible(timeout=30000)
    _shot(page, "4-saved")

    branch = f"cms/events/{EVENT_ID}"
    (create,) = api.calls("create-branch")
    assert create["body"]["variables"]["input"]["name"] == f"refs/heads/{branch}"
    assert create["body"]["variables"]["input"]["oid"] == api.repo.history("main")[0][0]  # from main's head
    (commit,) = api.calls("commit")
    given = commit["body"]["variables"]["input"]
    assert given["branch"]["branchName"] == branch
    (added,) = given["fileChanges"]["additions"]
    assert added["path"] == f"content/events/{EVENT_ID}.md"
    written = base64.b64decode(added["contents"]).decode("utf-8")
    assert written == (f"---\ntitle: {TITLE}\ndate: 2024-10-03\nsummary: The assembly met in Geneva.\n"
                       f"sources:\n  - {SOURCE_ID}\n---\n")  # the empty optional fields are left out
    (pull,) = api.calls("create-pull-request")
    assert pull["body"]["head"] == branch and pull["body"]["base"] == "main"
    (label,) = api.calls("add-labels")
    assert label["body"] == {"labels": [f"{cms.LABEL_PREFIX}draft"]}
    assert label["path"] == "/api/v3/repos/oir/site/issues/1/labels"
    assert {r["auth"] for r in api.calls()} == {f"token {TOKEN}"}
    assert not api.calls("refused") and not api.calls("graphql-unknown")

    # Sent for review: the label changes, the draft becomes ready.
    page.get_by_role("button", name="Send for Review").last.click()
    for _ in range(100):
        if api.calls("draft-state"):
            break
        page.wait_for_timeout(100)
    (relabel,) = api.calls("set-labels")
    assert f"{cms.LABEL_PREFIX}pending_review" in relabel["body"]["labels"]
    assert api.calls("draft-state")[0]["body"]["variables"]["input"]["pullRequestId"] == "PR_1"

    assert foreign == [], "the editor sent a request to another host"
    assert page.evaluate("window.__csp") == [], "the page's policy blocked something"
    assert errors == []
    context.close()

    # What the editor committed is what the check accepts.
    project = copy_project(tmp_path / "project")
    (project / added["path"]).write_bytes(base64.b64decode(added["contents"]))
    check = run_cli("--check", "--root", str(project))
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_form_refuses_what_the_check_would_refuse_before_any_request(browser, published):
    admin, api, origin = published
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(admin)
    page.get_by_role("button", name="Sign In Using Access Token").click()
    page.get_by_role("textbox", name="Personal Access Token").fill(TOKEN)
    page.get_by_role("button", name="Sign In", exact=True).click()
    expect(page.get_by_role("button", name="Create Entry or Assets")).to_be_visible(timeout=30000)
    before = len(api.calls())
    page.goto(admin + "#/collections/events/new")
    page.get_by_role("textbox", name="Title").fill("An event with a date the site cannot show")
    page.get_by_role("textbox", name="Date").fill("2024-13")
    page.locator("textarea").first.fill("It met.")
    expect(page.get_by_role("combobox", name="Sources")).to_have_attribute("aria-required", "true")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(cms.DATE_MESSAGE)).to_be_visible()
    page.get_by_text(cms.DATE_MESSAGE).scroll_into_view_if_needed()
    _shot(page, "5-rule")
    page.wait_for_timeout(500)
    assert not [r for r in api.calls()[before:] if r.get("op") in ("create-branch", "commit")]
    # An empty required source list is not refused by Sveltia 0.221.1 (it writes `sources: []`):
    # the form marks the field required and says why; the check refuses such a file.
    expect(page.get_by_text(cms.SOURCES_HINT)).to_have_count(1)
    context.close()


def test_the_page_exactly_as_published_signs_in_with_githubs_api_answered_on_this_machine(browser, published, tmp_path):
    """The shipped page and configuration (api.github.com, its policy unchanged): Chromium's
    requests to https://api.github.com are answered by the fake (Playwright's routing, inside the
    browser: nothing leaves the machine); no other host is asked, the policy blocks nothing."""
    _, api, _ = published
    site = tmp_path / "site"
    for path, data in admin_files(ROOT, repo_url="https://github.com/oir/site").items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(data)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(CSP_SPY)
    github = "https://api.github.com"
    context.route(f"{github}/**", lambda route: route.fulfill(
        response=route.fetch(url=api.origin + route.request.url[len(github):])))
    page = context.new_page()
    foreign = []
    page.on("request", lambda r: r.url.startswith((origin + "/", github + "/", "data:", "blob:")) or foreign.append(r.url))
    before = len(api.calls())
    try:
        page.goto(origin + "/admin/")
        page.get_by_role("button", name="Sign In Using Access Token").click()
        page.get_by_role("textbox", name="Personal Access Token").fill(TOKEN)
        page.get_by_role("button", name="Sign In", exact=True).click()
        expect(page.get_by_role("button", name="Create Entry or Assets")).to_be_visible(timeout=30000)
        calls = api.calls()[before:]
        assert (calls[0]["method"], calls[0]["path"]) == ("GET", "/user")  # github.com's layout
        assert any(r["path"] == "/graphql" for r in calls)
        assert foreign == [] and page.evaluate("window.__csp") == []
    finally:
        context.unroute_all(behavior="ignoreErrors")  # Sveltia's requests still in flight: not this test's
        context.close()
        server.shutdown()


def test_the_published_page_connects_to_githubs_api_only():
    """The page as the build publishes it: its policy allows one foreign host, GitHub's API."""
    files = admin_files(ROOT, repo_url="https://github.com/oir/site")
    page = files["admin/index.html"].decode()
    policy = page.split('http-equiv="Content-Security-Policy" content="')[1].split('"')[0]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["connect-src"] == "'self' data: https://api.github.com"
    assert directives["default-src"] == "'self'" and directives["script-src"] == "'self'"
    assert directives["font-src"] == "'self'" and directives["frame-src"] == "'none'"
    served = files["admin/sveltia-cms.js"]
    for host in (b"cdn.jsdelivr.net/fontsource", b"www.githubstatus.com/api"):
        assert host not in served
    assert b"`data:application/json,{}`" in served  # the update check, answered in the page
    assert all(f"admin/fonts/{stem}.woff2" in files for stem in FONTS.values())
