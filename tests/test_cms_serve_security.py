"""The local web editor (scripts/cms_serve.py) serves its editor and nothing else.

The real server runs on a free 127.0.0.1 port over a small project tree in a temporary folder
(with a .git/config, a .env, scripts/, a workflow, a file outside the project, a link out of
content/ and a collection folder that is a link out), and forged requests are sent to its
GitHub-like API with http.client, which sends the headers exactly as given. Each is refused, and the
whole temporary folder, the project and what is beside it, is byte for byte what it was.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from helpers import BASE_FILES, ROOT, write_tree

from cms_serve import EditorServer  # scripts/
from oirsite.tools.cms_admin import FONTS
from oirsite.tools.cms_backend import blob_sha

SECRET = "SECRET-VALUE-42"
EVENT = "---\ntitle: A new event\ndate: 2024-05\norganizers: [wma]\nsummary: It met.\n---\n"
COMMIT = ("mutation($input: CreateCommitOnBranchInput!) { createCommitOnBranch(input: $input) "
          "{ commit { oid committedDate file_0: file(path: \"content/events/new-event.md\") { oid } } } }")
HEAD = "query($owner: String!, $repo: String!, $branch: String!) { repository(owner: $owner, name: $repo) " \
       "{ ref(qualifiedName: $branch) { target { ... on Commit { oid } } } } }"
# A stand-in for the CMS's bundle: the addresses the build replaces, once each.
BUNDLE = "/* Sveltia CMS */ " + " ".join(FONTS) + " `${x}/package.json` https://www.githubstatus.com/api/v2/status.json"


def _package() -> dict[str, str]:
    files = {"node_modules/@sveltia/cms/dist/sveltia-cms.js": BUNDLE,
             "node_modules/@sveltia/cms/dist/chunks/react-dom.js": "/* React */",
             "node_modules/@sveltia/cms/LICENSE.txt": "MIT"}
    for stem in FONTS.values():
        files[f"node_modules/@sveltia/cms/npm/assets/{stem}-x1.woff2"] = "font"
    return files


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    """(server, project, the temporary folder that holds the project and a folder beside it)."""
    top = tmp_path_factory.mktemp("cms-security")
    project = write_tree(top / "project", {
        **BASE_FILES,
        "content/sources/a-source.yml": "title: A source\nurl: https://example.org/\n",
        "scripts/module.py": "print('the code')\n",
        ".github/workflows/ci.yml": "on: push\n",
        ".git/config": f"[remote \"origin\"]\n\turl = https://{SECRET}@example.org/x.git\n",
        ".env": f"TOKEN={SECRET}\n",
        "content/.env": f"TOKEN={SECRET}\n",
        "content/events/.hidden.md": f"---\ntitle: {SECRET}\n---\n",
        "content/events/secret.txt": f"{SECRET}\n",
        "cms/index.html": (ROOT / "cms/index.html").read_text(encoding="utf-8"),
        **_package(),
    })
    write_tree(top / "outside", {"secret.md": f"---\ntitle: {SECRET}\n---\n", "sources/x.yml": f"title: {SECRET}\n"})
    os.symlink(top / "outside" / "secret.md", project / "content/events/link-out.md")
    shutil.rmtree(project / "content/sources")
    os.symlink(top / "outside" / "sources", project / "content/sources")
    server = EditorServer(project, project_root=project)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server, project, top
    server.shutdown()
    server.server_close()


def snapshot(top: Path) -> dict[str, object]:
    """Every file, folder and link under ``top``: its bytes, "folder", or where it points."""
    tree: dict[str, object] = {}
    for folder, dirs, files in os.walk(top):
        for name in dirs + files:
            path = Path(folder) / name
            rel = path.relative_to(top).as_posix()
            if path.is_symlink():
                tree[rel] = ("link", os.readlink(path))
            elif path.is_dir():
                tree[rel] = "folder"
            else:
                tree[rel] = path.read_bytes()
    return tree


def send(server: EditorServer, body: object = None, *, method: str = "POST", target: str = "/api/graphql",
         headers: dict[str, str | list[str]] | None = None, key: str | None | list[str] = "") -> tuple[int, bytes]:
    """Send one request with exactly these headers (default: the editor page's own, with the key
    as its token) to ``server``."""
    port = server.server_address[1]
    if headers is None:
        headers = {"Host": f"127.0.0.1:{port}", "Origin": server.origin, "Sec-Fetch-Site": "same-origin"}
        if method == "GET":
            del headers["Origin"]  # a same-origin GET has none
    headers = dict(headers)
    if key == "":
        key = f"token {server.token}"
    if key is not None:
        headers["Authorization"] = key
    data = b"" if body is None else json.dumps(body).encode("utf-8")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        for name, values in headers.items():
            for value in [values] if isinstance(values, str) else values:
                connection.putheader(name, value)
        if method != "GET":
            connection.putheader("Content-Type", "application/json")
            connection.putheader("Content-Length", str(len(data)))
        connection.endheaders(data)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def head(server: EditorServer) -> str:
    status, body = send(server, {"query": HEAD, "variables": {"owner": "local", "repo": "content", "branch": "main"}})
    assert status == 200, body
    return json.loads(body)["data"]["repository"]["ref"]["target"]["oid"]


def commit(server: EditorServer, additions=(), deletions=(), expected: str | None = None) -> dict:
    """The body of the commit Sveltia sends to save files."""
    return {"query": COMMIT, "variables": {"input": {
        "branch": {"repositoryNameWithOwner": "local/content", "branchName": "main"},
        "expectedHeadOid": expected or head(server), "message": {"headline": "Save"},
        "fileChanges": {"additions": [{"path": p, "contents": base64.b64encode(d).decode()} for p, d in additions],
                        "deletions": [{"path": p} for p in deletions]}}}}


def tree(server: EditorServer) -> dict[str, str]:
    status, body = send(server, method="GET", target="/api/v3/repos/local/content/git/trees/main?recursive=1")
    assert status == 200, body
    return {item["path"]: item["sha"] for item in json.loads(body)["tree"]}


def test_the_page_opened_as_printed_works(editor):
    server, _, _ = editor
    link = server.admin_url.removeprefix(f"http://127.0.0.1:{server.server_address[1]}/admin/#/signin/")
    assert json.loads(base64.b64decode(link)) == {"token": server.token}  # in the fragment: never sent
    assert len(server.token) >= 40
    own = {"Host": f"127.0.0.1:{server.server_address[1]}", "Sec-Fetch-Site": "none"}
    status, page = send(server, method="GET", target="/admin/", headers=own, key=None)
    assert status == 200 and f"connect-src 'self' data: {server.origin};".encode() in page
    assert server.token.encode() not in page
    status, config = send(server, method="GET", target="/admin/config.yml", headers=own, key=None)
    assert status == 200 and f"api_root: {server.origin}\n".encode() in config and b"publish_mode: simple" in config
    assert send(server, method="GET", target="/admin/sveltia-cms.js", headers=own, key=None)[0] == 200
    status, user = send(server, method="GET", target="/api/v3/user")
    assert status == 200 and json.loads(user)["login"]


def test_a_new_entry_with_the_key_is_saved_in_content_and_nothing_else_changes(editor):
    server, project, top = editor
    before = snapshot(top)
    listed = tree(server)
    # the files the editor's collections list (organizations and people are Markdown there: the
    # tree's YAML ones are not), not the
    # dot-file, the .txt, the link out nor the linked folder
    assert sorted(listed) == ["content/events/assembly-2023.md", "content/events/day-2021.md"]
    status, body = send(server, commit(server, [("content/events/new-event.md", EVENT.encode())]))
    assert status == 200, body
    after = snapshot(top)
    assert {k: v for k, v in after.items() if k != "project/content/events/new-event.md"} == before
    assert (project / "content/events/new-event.md").read_text(encoding="utf-8") == EVENT
    sha = tree(server)["content/events/new-event.md"]
    assert sha == blob_sha(EVENT.encode())
    status, body = send(server, method="GET", target=f"/api/v3/repos/local/content/git/blobs/{sha}")
    assert status == 200 and body == EVENT.encode()
    status, _ = send(server, commit(server, deletions=["content/events/new-event.md"]))
    assert status == 200 and snapshot(top) == before


def test_a_saved_file_keeps_its_mode_and_a_new_one_is_readable(editor):
    """What the local editor writes is the editor's file as before: a changed file keeps its mode, a new
    one gets the usual 644 (not the 600 of a temporary file)."""
    server, project, top = editor
    before = snapshot(top)
    existing = project / "content/events/day-2021.md"
    existing.chmod(0o664)
    changed = existing.read_text(encoding="utf-8") + "\nMore.\n"
    status, body = send(server, commit(server, [("content/events/day-2021.md", changed.encode()),
                                                ("content/events/new-event.md", EVENT.encode())]))
    assert status == 200, body
    assert existing.read_text(encoding="utf-8") == changed
    assert existing.stat().st_mode & 0o777 == 0o664
    assert (project / "content/events/new-event.md").stat().st_mode & 0o777 == 0o644
    existing.write_bytes(before["project/content/events/day-2021.md"])
    existing.chmod(0o644)
    (project / "content/events/new-event.md").unlink()
    assert snapshot(top) == before


def test_a_commit_on_an_older_state_is_refused(editor):
    server, project, top = editor
    before = snapshot(top)
    old = head(server)
    (project / "content/events/day-2021.md").write_text(
        (project / "content/events/day-2021.md").read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    changed = snapshot(top)
    status, _ = send(server, commit(server, [("content/events/new-event.md", EVENT.encode())], expected=old))
    assert status == 422 and snapshot(top) == changed
    (project / "content/events/day-2021.md").write_bytes(before["project/content/events/day-2021.md"])


def test_a_picture_is_saved_in_the_media_folder(editor):
    server, project, top = editor
    before = snapshot(top)
    picture = b"\x89PNG\r\n\x1a\n picture"
    status, body = send(server, commit(server, [("docs/assets/uploads/a-picture.png", picture)]))
    assert status == 200, body
    assert (project / "docs/assets/uploads/a-picture.png").read_bytes() == picture
    assert tree(server)["docs/assets/uploads/a-picture.png"] == blob_sha(picture)
    os.unlink(project / "docs/assets/uploads/a-picture.png")
    for folder in ("docs/assets/uploads", "docs/assets"):
        os.rmdir(project / folder)
    assert snapshot(top) == before


# Headers of requests that do not come from the editor's page; {host} and {origin} are the
# editor's own, {port} its port, {other} another port on 127.0.0.1.
FORGED_HEADERS = {
    "another host name (DNS rebinding)": {"Host": "evil.example:{port}", "Origin": "http://evil.example:{port}"},
    "another host name, own origin": {"Host": "evil.example:{port}", "Origin": "{origin}"},
    "localhost": {"Host": "localhost:{port}", "Origin": "http://localhost:{port}"},
    "127.0.0.1 on another port": {"Host": "127.0.0.1:{other}", "Origin": "{origin}"},
    "no port": {"Host": "127.0.0.1", "Origin": "{origin}"},
    "no Host": {"Origin": "{origin}"},
    "two Hosts": {"Host": ["{host}", "evil.example"], "Origin": "{origin}"},
    "another site": {"Host": "{host}", "Origin": "https://evil.example"},
    "another localhost port": {"Host": "{host}", "Origin": "http://127.0.0.1:{other}"},
    "localhost origin": {"Host": "{host}", "Origin": "http://localhost:{port}"},
    "https origin": {"Host": "{host}", "Origin": "https://{host}"},
    "null origin (sandboxed frame, file:)": {"Host": "{host}", "Origin": "null"},
    "no Origin on a write": {"Host": "{host}"},
    "two Origins": {"Host": "{host}", "Origin": ["{origin}", "https://evil.example"]},
    "cross-site fetch": {"Host": "{host}", "Origin": "{origin}", "Sec-Fetch-Site": "cross-site"},
    "same-site fetch (another port)": {"Host": "{host}", "Origin": "{origin}", "Sec-Fetch-Site": "same-site"},
    "a POST said to be typed in": {"Host": "{host}", "Origin": "{origin}", "Sec-Fetch-Site": "none"},
}


def _headers(server: EditorServer, case: str) -> dict[str, str | list[str]]:
    port = server.server_address[1]
    fill = {"host": f"127.0.0.1:{port}", "origin": server.origin, "port": port,
            "other": port + 1 if port < 65535 else port - 1}
    return {name: value.format(**fill) if isinstance(value, str) else [v.format(**fill) for v in value]
            for name, value in FORGED_HEADERS[case].items()}


@pytest.mark.parametrize("case", FORGED_HEADERS)
def test_a_request_not_from_the_editor_page_is_refused(editor, case):
    server, _, top = editor
    before = snapshot(top)
    headers = _headers(server, case)
    good = commit(server, [("content/events/new-event.md", EVENT.encode())])
    status, body = send(server, good, headers=headers)
    assert status == 403, body
    for method, target in (("GET", "/api/v3/repos/local/content/git/trees/main?recursive=1"),
                           ("POST", "/api/graphql")):
        if method == "GET" and case == "no Origin on a write":
            continue  # a GET from the page itself has no Origin
        status, body = send(server, {"query": HEAD, "variables": {}} if method == "POST" else None, method=method,
                            target=target, headers=headers)
        assert status == 403 and b"assembly" not in body.lower(), (method, body)
    assert snapshot(top) == before


@pytest.mark.parametrize("key", [None, "", "token", "token ", "token wrong", "token {token}x", "token {short}",
                                 "Bearer {token}", "token  {token}", "{token}", ["token {token}", "token {token}"],
                                 "basic {token}"])
def test_a_request_without_the_key_is_refused(editor, key):
    server, _, top = editor
    before = snapshot(top)
    good = commit(server, [("content/events/new-event.md", EVENT.encode())])
    fill = {"token": server.token, "short": server.token[:-1]}
    given = key.format(**fill) if isinstance(key, str) else [k.format(**fill) for k in key] if key else key
    if given == "":
        given = None
    for method, target, body in (("POST", "/api/graphql", good), ("POST", f"/api/graphql?token={server.token}", good),
                                 ("GET", "/api/v3/repos/local/content/git/trees/main", None),
                                 ("GET", "/api/v3/user", None)):
        status, answer = send(server, body, method=method, target=target, key=given)
        assert status == 403, (method, target, answer)
        assert b"assembly" not in answer
    assert snapshot(top) == before


@pytest.mark.parametrize("target", ["/admin/", "/admin/index.html", "/admin/config.yml", "/"])
def test_the_page_and_its_configuration_never_hold_the_key(editor, target):
    server, _, _ = editor
    own = {"Host": f"127.0.0.1:{server.server_address[1]}", "Sec-Fetch-Site": "none"}
    status, body = send(server, method="GET", target=target, headers=own, key=None)
    assert status in (200, 302) and server.token.encode() not in body


BAD_PATHS = [
    "content/events/x.MD", "content/events/x.Md", "docs/assets/uploads/x.PNG",
    "scripts/x.py", "scripts/module.py", ".github/workflows/x.yml", ".github/workflows/ci.yml", ".git/config",
    ".env", "content/.env", "content/events/.hidden.md", "content/events/.new.md", "../outside/x.md",
    "../outside/secret.md", "content/../scripts/x.py", "content/events/../../scripts/x.md",
    "content/events/../../.git/config", "docs/assets/uploads/../../../scripts/x.py", "content/events/link-out.md",
    "content/sources/x.yml", "content/sources/a-new-source.yml", "content/events/x.py", "content/events/x.md.py",
    "content/events/secret.txt", "content/events/sub/x.md", "content/events//x.md", "content/events/./x.md",
    "./content/events/x.md", "content\\events\\x.md", "content/events/x.md\x00.txt", "content/events/x.md/",
    "content/events", "content/x.md", "content", "docs/index.md", "docs/assets/x.png", "mkdocs.yml", "", "/",
    "~/x.md", "/etc/passwd", "{project}/content/events/x.md", "{project}/.git/config", "content/events/é.md",
    "content/events/x.md ", "CONTENT/events/x.md", "docs/assets/uploads/x.html", "docs/assets/uploads/x.svg",
    "docs/assets/uploads/x.js", "docs/assets/uploads/x.md", "docs/assets/uploads/x.png.html",
    "content/events/x.yml", "content/glossary/x.md", 12, None, ["content/events/x.md"], {"path": "content/events/x.md"},
]


@pytest.mark.parametrize("path", BAD_PATHS, ids=repr)
def test_a_path_outside_the_editors_folders_is_refused_for_every_change(editor, path):
    server, project, top = editor
    if isinstance(path, str):
        path = path.format(project=project)
    before = snapshot(top)
    good = ("content/events/new-event.md", EVENT.encode())
    for name, body in {
        "write": commit(server, [(path, f"written {SECRET}".encode())]),
        "write after a good file": commit(server, [good, (path, b"written")]),
        "delete": commit(server, deletions=[path]),
        "delete after a good one": commit(server, deletions=["content/events/day-2021.md", path]),
        "write and delete": commit(server, [good], deletions=[path]),
    }.items():
        status, answer = send(server, body)
        assert status in (403, 422), (name, status, answer)
        assert SECRET.encode() not in answer and b"the code" not in answer, (name, answer)
        assert snapshot(top) == before, name


def test_files_outside_the_editors_folders_are_never_listed_or_read(editor):
    server, project, top = editor
    listed = tree(server)
    assert all(SECRET.encode() not in send(server, method="GET", target=f"/api/v3/repos/local/content/git/blobs/{sha}")[1]
               for sha in listed.values())
    secrets_ = [p for p in top.rglob("*") if p.is_file() and SECRET.encode() in p.read_bytes()]
    assert len(secrets_) >= 5
    for file in secrets_:
        sha = blob_sha(file.read_bytes())
        status, body = send(server, method="GET", target=f"/api/v3/repos/local/content/git/blobs/{sha}")
        assert status == 404 and SECRET.encode() not in body
        query = f'query {{ repository(owner: "local", name: "content") {{ content_0: object(oid: "{sha}") ' \
                '{ ... on Blob { text isTruncated } } } }'
        status, body = send(server, {"query": query, "variables": {}})
        assert SECRET.encode() not in body
        expression = f'query {{ repository {{ file_0: object(expression: "main:{file.relative_to(project).as_posix() if file.is_relative_to(project) else file}") {{ oid }} }} }}'
        status, body = send(server, {"query": expression, "variables": {}})
        assert SECRET.encode() not in body


def test_unknown_and_malformed_requests_are_refused(editor):
    server, _, top = editor
    before = snapshot(top)
    branch = {"query": "mutation($input: CreateRefInput!) { createRef(input: $input) { ref { name } } }",
              "variables": {"input": {"repositoryId": "R", "name": "refs/heads/cms/x", "oid": head(server)}}}
    for body in (branch, [], "info", 0, {"query": 5}, {"variables": {}}, {"query": COMMIT, "variables": []},
                 {"query": COMMIT, "variables": {"input": {}}},
                 {"query": COMMIT, "variables": {"input": {**commit(server)["variables"]["input"], "fileChanges": {
                     "additions": [{"path": "content/events/x.md", "contents": "not base64!"}]}}}}):
        status, answer = send(server, body)
        assert status == 422, (body, answer)
    for method, target in (("DELETE", "/api/v3/repos/local/content/git/refs/heads/main"),
                           ("POST", "/api/v3/repos/local/content/pulls"), ("PUT", "/admin/index.html"),
                           ("PATCH", "/api/v3/repos/local/content/pulls/1")):
        status, _ = send(server, {"head": "main", "base": "main", "title": "x"}, method=method, target=target)
        assert status in (404, 405, 422), (method, target, status)
    port = server.server_address[1]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("POST", "/api/graphql", body=b"{not json",
                       headers={"Origin": server.origin, "Content-Type": "application/json",
                                "Authorization": f"token {server.token}"})
    assert connection.getresponse().status == 400
    connection.close()
    deep = b"[" * 100000 + b"]" * 100000  # past the JSON reader's depth: refused, not a traceback
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("POST", "/api/graphql", body=deep,
                       headers={"Origin": server.origin, "Content-Type": "application/json",
                                "Authorization": f"token {server.token}"})
    assert connection.getresponse().status == 400
    connection.close()
    assert send(server, method="OPTIONS", target="/api/graphql")[0] in (403, 405, 501)
    assert snapshot(top) == before


def test_a_query_the_server_cannot_answer_quickly_or_at_all_is_refused_and_it_keeps_answering(editor):
    """A huge GraphQL query (an alias scan could take seconds per request and stop every other
    thread), and a pull-request mutation on a pull request the local editor never has."""
    server, _, top = editor
    before = snapshot(top)
    started = time.monotonic()
    status, _ = send(server, {"query": "query { " + "a_" * 400_000 + "1: object(oid: \"0\") { id } }"})
    assert status == 413 and time.monotonic() - started < 5
    ready = {"query": "mutation($input: MarkPullRequestReadyForReviewInput!) { markPullRequestReadyForReview("
                      "input: $input) { pullRequest { isDraft } } }", "variables": {"input": {"pullRequestId": "PR_x"}}}
    assert send(server, ready)[0] == 422
    assert send(server, method="GET", target="/api/v3/user")[0] == 200
    assert snapshot(top) == before


def test_clients_that_hold_connections_open_do_not_stop_the_editor(editor, monkeypatch):
    """Connections that never finish their headers are dropped after the handler's timeout, and no
    more than a few dozen are served at once: the editor answers again within seconds."""
    server, _, _ = editor
    import cms_serve
    monkeypatch.setattr(cms_serve.Handler, "timeout", 1)
    port = server.server_address[1]
    held = []
    for _ in range(server.MAX_CONNECTIONS + 20):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(b"GET /admin/ HTTP/1.1\r\nHost: 127.0.0.1")  # and never the rest
        held.append(sock)
    try:
        for sock in held:  # each one is closed by the server: at once past the cap, else after the timeout
            sock.settimeout(5)
            while sock.recv(1024):  # socket.timeout here: the server kept a stalled client
                pass
        deadline = time.monotonic() + 10
        while True:
            try:
                if send(server, method="GET", target="/api/v3/user")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the editor did not answer again"
            time.sleep(0.2)
    finally:
        for sock in held:
            sock.close()
