"""The local web editor (scripts/cms_serve.py) serves its editor and nothing else.

The real server runs on a free 127.0.0.1 port over a small project tree in a temporary folder
(with a .git/config, a .env, scripts/, a workflow, a file outside the project, a link out of
content/ and a collection folder that is a link out), and forged requests are sent to it with
http.client, which sends the headers exactly as given. Each is refused, and the whole temporary
folder, the project and what is beside it, is byte for byte what it was.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from helpers import BASE_FILES, ROOT, write_tree

from cms_serve import EditorServer  # scripts/

SECRET = "SECRET-VALUE-42"
EVENT = "---\ntitle: A new event\ndate: 2024-05\norganizations: [wma]\nsummary: It met.\n---\n"
GOOD_ENTRY = {"action": "persistEntry", "params": {
    "branch": "main", "dataFiles": [{"slug": "new-event", "path": "content/events/new-event.md", "raw": EVENT}],
    "assets": [], "options": {"commitMessage": "Create", "useWorkflow": False, "status": ""}}}


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
        # The admin page's own files (Decap's bundle stands in: the API is what is tested here).
        "cms/index.html": (ROOT / "cms/index.html").read_text(encoding="utf-8"),
        "cms/cms-setup.js": (ROOT / "cms/cms-setup.js").read_text(encoding="utf-8"),
        "node_modules/decap-cms/dist/decap-cms.js": "/* Decap CMS */\n",
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


def send(server: EditorServer, body: object = None, *, method: str = "POST", target: str | None = None,
         headers: dict[str, str | list[str]] | None = None) -> tuple[int, bytes]:
    """Send one request with exactly these headers (default: the editor page's own) to ``server``."""
    port = server.server_address[1]
    if headers is None:
        headers = {"Host": f"127.0.0.1:{port}", "Origin": server.origin, "Sec-Fetch-Site": "same-origin"}
    if target is None:
        target = f"/api/v1?token={server.token}"
    data = b"" if body is None else json.dumps(body).encode("utf-8")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        for name, values in headers.items():
            for value in [values] if isinstance(values, str) else values:
                connection.putheader(name, value)
        if method == "POST":
            connection.putheader("Content-Type", "application/json")
            connection.putheader("Content-Length", str(len(data)))
        connection.endheaders(data)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_the_page_opened_as_printed_works(editor):
    server, _, _ = editor
    assert server.admin_url == f"http://127.0.0.1:{server.server_address[1]}/admin/?token={server.token}"
    assert len(server.token) >= 40
    own = {"Host": f"127.0.0.1:{server.server_address[1]}", "Sec-Fetch-Site": "none"}
    status, page = send(server, method="GET", target=f"/admin/?token={server.token}", headers=own)
    assert status == 200 and f'href="config.yml?token={server.token}"'.encode() in page
    status, config = send(server, method="GET", target=f"/admin/config.yml?token={server.token}", headers=own)
    assert status == 200 and f"url: {server.origin}/api/v1?token={server.token}".encode() in config
    assert send(server, method="GET", target="/admin/decap-cms.js", headers=own)[0] == 200
    assert send(server, {"action": "info"}) == (200, b'{"repo": "project", "publish_modes": ["simple"], "type": "local_fs"}')


def test_a_new_entry_with_the_key_is_saved_in_content_and_nothing_else_changes(editor):
    server, project, top = editor
    before = snapshot(top)
    status, _ = send(server, GOOD_ENTRY)
    assert status == 200
    after = snapshot(top)
    assert {k: v for k, v in after.items() if k != "project/content/events/new-event.md"} == before
    assert (project / "content/events/new-event.md").read_text(encoding="utf-8") == EVENT
    status, body = send(server, {"action": "getEntry", "params": {"branch": "main", "path": "content/events/new-event.md"}})
    assert status == 200 and json.loads(body)["data"] == EVENT
    status, body = send(server, {"action": "entriesByFolder", "params": {
        "branch": "main", "folder": "content/events", "extension": "md", "depth": 1}})
    listed = [entry["file"]["path"] for entry in json.loads(body)]
    assert status == 200 and listed == ["content/events/assembly-2023.md", "content/events/day-2021.md",
                                        "content/events/new-event.md"]  # not the dot-file, not the link out
    assert SECRET.encode() not in body
    status, _ = send(server, {"action": "deleteFile", "params": {
        "branch": "main", "path": "content/events/new-event.md", "options": {"commitMessage": "Delete"}}})
    assert status == 200 and snapshot(top) == before


def test_a_picture_is_saved_in_the_media_folder(editor):
    server, project, top = editor
    before = snapshot(top)
    picture = b"\x89PNG\r\n\x1a\n picture"
    asset = {"path": "docs/assets/uploads/a-picture.png", "content": base64.b64encode(picture).decode(), "encoding": "base64"}
    status, body = send(server, {"action": "persistMedia", "params": {
        "branch": "main", "asset": asset, "options": {"commitMessage": "Upload"}}})
    assert status == 200 and json.loads(body)["name"] == "a-picture.png"
    assert (project / "docs/assets/uploads/a-picture.png").read_bytes() == picture
    status, body = send(server, {"action": "getMedia", "params": {"branch": "main", "mediaFolder": "docs/assets/uploads"}})
    assert status == 200 and [base64.b64decode(f["content"]) for f in json.loads(body)] == [picture]
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
    status, body = send(server, GOOD_ENTRY, headers=headers)
    assert status == 403, body
    read = {"action": "getEntry", "params": {"branch": "main", "path": "content/events/assembly-2023.md"}}
    status, body = send(server, read, headers=headers)
    assert status == 403 and b"assembly" not in body.lower()
    if "Sec-Fetch-Site" not in headers and case != "no Origin on a write":  # a page's GET: the key is never given
        status, body = send(server, method="GET", target=f"/admin/config.yml?token={server.token}", headers=headers)
        assert status == 403 and server.token.encode() not in body
    assert snapshot(top) == before


@pytest.mark.parametrize("target", [
    "/api/v1", "/api/v1?token=", "/api/v1?token=wrong", "/api/v1?token={token}x", "/api/v1?token={short}",
    "/api/v1?key={token}", "/api/v1?token={token}&token={token}", "/api/v1/?token={token}",
    "http://evil.example/api/v1?token={token}", "//evil.example/api/v1?token={token}",
])
def test_a_request_without_the_key_is_refused(editor, target):
    server, _, top = editor
    before = snapshot(top)
    status, body = send(server, GOOD_ENTRY, target=target.format(token=server.token, short=server.token[:-1]))
    assert status in (403, 404), body
    assert snapshot(top) == before


@pytest.mark.parametrize("target", ["/admin/", "/admin/index.html", "/admin/config.yml", "/admin/?token=wrong",
                                    "/admin/config.yml?token=", "/"])
def test_the_page_and_its_configuration_hold_the_key_only_for_the_key(editor, target):
    server, _, _ = editor
    own = {"Host": f"127.0.0.1:{server.server_address[1]}", "Sec-Fetch-Site": "none"}
    status, body = send(server, method="GET", target=target, headers=own)
    assert status in (302, 403) and server.token.encode() not in body


BAD_PATHS = [
    "scripts/x.py", "scripts/module.py", ".github/workflows/x.yml", ".github/workflows/ci.yml", ".git/config",
    ".env", "content/.env", "content/events/.hidden.md", "content/events/.new.md", "../outside/x.md",
    "../outside/secret.md", "content/../scripts/x.py", "content/events/../../scripts/x.md",
    "content/events/../../.git/config", "docs/assets/uploads/../../../scripts/x.py", "content/events/link-out.md",
    "content/sources/x.yml", "content/sources/a-new-source.yml", "content/events/x.py", "content/events/x.md.py",
    "content/events/sub/x.md", "content/events//x.md", "content/events/./x.md", "./content/events/x.md",
    "content\\events\\x.md", "content/events/x.md\x00.txt", "content/events/x.md/", "content/events",
    "content/x.md", "content", "docs/index.md", "docs/assets/x.png", "mkdocs.yml", "", "/", "~/x.md",
    "/etc/passwd", "{project}/content/events/x.md", "{project}/.git/config", "content/events/é.md",
    "content/events/x.md ", "CONTENT/events/x.md", "docs/assets/uploads/x.html", "docs/assets/uploads/x.svg",
    "docs/assets/uploads/x.js", "docs/assets/uploads/x.md", "docs/assets/uploads/x.png.html", 12, None, ["content/events/x.md"], {"path": "content/events/x.md"},
]


def _path_requests(path: object) -> dict[str, dict]:
    entry = {"slug": "x", "path": path, "raw": f"written {SECRET}"}
    asset = {"path": path, "content": base64.b64encode(b"written").decode(), "encoding": "base64"}
    options = {"commitMessage": "x", "useWorkflow": False, "status": ""}
    good = {"slug": "new-event", "path": "content/events/new-event.md", "raw": EVENT}
    return {
        "persistEntry": {"dataFiles": [entry], "assets": [], "options": options},
        "persistEntry after a good file": {"dataFiles": [good, entry], "assets": [], "options": options},
        "persistEntry (entry)": {"entry": entry, "assets": [], "options": options},
        "persistEntry asset": {"dataFiles": [good], "assets": [asset], "options": options},
        **({} if path is None else {  # no newPath: no move
            "persistEntry move": {"dataFiles": [{**good, "path": "content/events/day-2021.md", "newPath": path}],
                                  "assets": [], "options": options}}),
        "persistMedia": {"asset": asset, "options": {"commitMessage": "x"}},
        "deleteFile": {"path": path, "options": {"commitMessage": "x"}},
        "deleteFiles": {"paths": ["content/events/day-2021.md", path], "options": {"commitMessage": "x"}},
        "getEntry": {"path": path},
        "entriesByFiles": {"files": [{"path": "content/events/day-2021.md"}, {"path": path}]},
        "getMediaFile": {"path": path},
        "entriesByFolder": {"folder": path, "extension": "md", "depth": 1},
        "getMedia": {"mediaFolder": path},
    }


@pytest.mark.parametrize("path", BAD_PATHS, ids=repr)
def test_a_path_outside_the_editors_folders_is_refused_for_every_action(editor, path):
    server, project, top = editor
    if isinstance(path, str):
        path = path.format(project=project)
    before = snapshot(top)
    for name, params in _path_requests(path).items():
        action = name.split()[0]
        if action in ("entriesByFolder", "getMedia") and path in ("content/events", "docs/assets/uploads"):
            continue  # the editor's own folders: listing them is what they are for
        status, body = send(server, {"action": action, "params": {"branch": "main", **params}})
        assert status in (403, 422), (name, status, body)
        assert SECRET.encode() not in body and b"the code" not in body, (name, body)
        assert snapshot(top) == before, name


def test_unknown_and_malformed_requests_are_refused(editor):
    server, _, top = editor
    before = snapshot(top)
    for body in ({"action": "unpublishedEntries", "params": {"branch": "main"}}, {"action": "getEntry"},
                 {"action": "persistEntry", "params": {"assets": [], "options": {}}}, [], "info", 0, {"action": 5}, {"params": {}},
                 {"action": "persistMedia", "params": {"asset": {"path": "docs/assets/uploads/a.png",
                                                                 "content": "not base64!", "encoding": "base64"}}},
                 {"action": "persistMedia", "params": {"asset": {"path": "docs/assets/uploads/a.png",
                                                                 "content": "eA==", "encoding": "utf-8"}}}):
        status, answer = send(server, body)
        assert status == 422, (body, answer)
    port = server.server_address[1]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("POST", f"/api/v1?token={server.token}", body=b"{not json",
                       headers={"Origin": server.origin, "Content-Type": "application/json"})
    assert connection.getresponse().status == 400
    connection.close()
    for method in ("PUT", "DELETE", "PATCH"):
        assert send(server, GOOD_ENTRY, method=method)[0] in (403, 405, 501)
    assert snapshot(top) == before
