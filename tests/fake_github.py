"""A fake GitHub API on 127.0.0.1 for the browser tests of the published web editor.

It answers with the same code as the local editor's backend (``oirsite.tools.cms_backend.answer``) for a
repository held in memory (``Repo``: branches, commits, pull requests, labels), REST under
``/api/v3`` and GraphQL at ``/api/graphql`` (GitHub Enterprise's layout, which Sveltia CMS uses when
``backend.api_root`` is another host), or at GitHub's own paths. It answers CORS preflights, refuses
a request without ``TOKEN`` (401, as GitHub does) and records every request in ``requests``
(method, path, Authorization, JSON body and, once answered, ``op``: what the call was).
"""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from oirsite.tools.cms_backend import Repo, answer

TOKEN = "github_pat_11FAKE0fine0grained0token0for0tests"


def repo_of(root: Path, owner: str = "oir", name: str = "site") -> Repo:
    """A repository holding the content/ files of the project in ``root``."""
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "content").rglob("*")) if p.is_file()}
    return Repo(owner, name, files)


class FakeGitHub(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, repo: Repo) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.repo = repo
        self.requests: list[dict] = []

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def calls(self, op: str | None = None) -> list[dict]:
        """The requests answered (no preflights), those of one kind if ``op``."""
        return [r for r in self.requests if r["method"] != "OPTIONS" and (op is None or r.get("op") == op)]


class Handler(BaseHTTPRequestHandler):
    server: FakeGitHub

    def log_message(self, *args) -> None:
        pass

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Expose-Headers", "*")
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_OPTIONS(self) -> None:  # noqa: N802
        self.server.requests.append({"method": "OPTIONS", "path": self.path})
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE")
        self.send_header("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept, X-GitHub-Api-Version")
        self.send_header("Access-Control-Max-Age", "600")
        self.end_headers()

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        record = {"method": self.command, "path": self.path, "auth": self.headers.get("Authorization"), "body": body}
        self.server.requests.append(record)
        if self.headers.get("Authorization") not in (f"token {TOKEN}", f"Bearer {TOKEN}"):
            self._send(401, b'{"message": "Bad credentials"}')
            return
        path = urlsplit(self.path).path
        with self.server.repo.lock:
            result = answer(self.server.repo, self.command, path, body)
        record["op"] = result.op or ("graphql" if path.endswith("/graphql") else "rest")
        self._send(result.status, result.body(), result.content_type)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle
