"""A fake GitHub API on 127.0.0.1 for the browser tests of the published web editor.

It answers with the same code as the local editor's backend (``oirsite.tools.cms_backend.answer``) for a
repository held in memory (``Repo``: branches and commits, with the methods of the backend's DiskRepo),
REST under ``/api/v3`` and GraphQL at ``/api/graphql`` (GitHub Enterprise's layout, which Sveltia CMS uses
when ``backend.api_root`` is another host), or at GitHub's own paths; the editorial workflow's calls (a
branch, its pull request, its labels, which the local editor never makes) are answered here first
(``workflow``). It answers CORS preflights, refuses a request without ``TOKEN`` (401, as GitHub does) and
records every request in ``requests`` (method, path, Authorization, JSON body and, once answered, ``op``:
what the call was).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from oirsite.tools.cms_backend import USER, Refused, Reply, answer, blob_sha, reply, utc_now

TOKEN = "github_pat_11FAKE0fine0grained0token0for0tests"


class Repo:
    """One repository in memory: blobs, commits (id -> parent, tree {path: blob id}, message), branches
    (name -> commit id) and the pull requests of the editorial workflow."""

    def __init__(self, owner: str, name: str, files: dict[str, bytes], branch: str = "main") -> None:
        self.owner, self.name, self.default_branch = owner, name, branch
        self.blobs: dict[str, bytes] = {}
        self.commits: dict[str, dict] = {}
        self.branches: dict[str, str] = {}
        self.pulls: list[dict] = []
        self.lock = threading.RLock()
        self.branches[branch] = self._commit(None, {p: self._blob(d) for p, d in files.items()}, "Initial content")

    def _blob(self, data: bytes) -> str:
        sha = blob_sha(data)
        self.blobs[sha] = data
        return sha

    def _commit(self, parent: str | None, tree: dict[str, str], message: str) -> str:
        oid = hashlib.sha1(json.dumps([parent, sorted(tree.items()), message, len(self.commits)]).encode()).hexdigest()
        self.commits[oid] = {"parent": parent, "tree": dict(tree), "message": message, "date": utc_now()}
        return oid

    def resolve(self, ref: str) -> str | None:
        ref = ref.removeprefix("refs/heads/")
        return self.branches.get(ref) or (ref if ref in self.commits else None)

    def tree(self, oid: str) -> dict[str, str]:
        return self.commits[oid]["tree"]

    def known_blob(self, sha: str) -> bool:
        return sha in self.blobs

    def history(self, ref: str, path: str | None = None, first: int = 1) -> list[tuple[str, dict]]:
        oid, found = self.resolve(ref), []
        while oid and len(found) < first:
            commit = self.commits[oid]
            before = self.commits[commit["parent"]]["tree"] if commit["parent"] else {}
            if path is None or commit["tree"].get(path) != before.get(path):
                found.append((oid, commit))
            oid = commit["parent"]
        return found

    def commit_on_branch(self, branch: str, expected: str, additions: list[dict], deletions: list[dict],
                         message: str) -> str:
        with self.lock:
            head = self.branches.get(branch)
            if head is None:
                raise Refused(f"Branch {branch} not found", 422)
            if expected != head:
                raise Refused(f'Expected branch to point to "{expected}" but it did not.', 422)
            tree = dict(self.tree(head))
            for deletion in deletions:
                tree.pop(deletion["path"], None)
            for addition in additions:
                tree[addition["path"]] = self._blob(addition["data"])
            self.branches[branch] = oid = self._commit(head, tree, message)
            return oid

    def pull(self, number: str) -> dict:
        pulls = [p for p in self.pulls if str(p["number"]) == number]
        if not pulls:
            raise Refused("no such pull request", 404)
        return pulls[0]


def repo_of(root: Path, owner: str = "oir", name: str = "site") -> Repo:
    """A repository holding the content/ files of the project in ``root``."""
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "content").rglob("*")) if p.is_file()}
    return Repo(owner, name, files)


def _labels(pull: dict) -> list[dict]:
    return [{"name": n} for n in pull["labels"]]


def workflow(repo: Repo, method: str, path: str, body) -> Reply | None:
    """The answer to a call of the editorial workflow; None for any other call."""
    if path.endswith("/graphql"):
        q = " ".join(body["query"].split())
        given = (body.get("variables") or {}).get("input") or {}
        if "createRef(" in q:
            name = given["name"].removeprefix("refs/heads/")
            if name in repo.branches:
                raise Refused(f'A ref named "refs/heads/{name}" already exists in the repository.', 422)
            if given["oid"] not in repo.commits:
                raise Refused("no such commit", 422)
            repo.branches[name] = given["oid"]
            return reply(200, {"data": {"createRef": {"ref": {"name": given["name"]}}}}, "create-branch")
        if "convertPullRequestToDraft(" in q or "markPullRequestReadyForReview(" in q:
            draft = "convertPullRequestToDraft(" in q
            next(p for p in repo.pulls if p["node_id"] == given["pullRequestId"])["draft"] = draft
            key = "convertPullRequestToDraft" if draft else "markPullRequestReadyForReview"
            return reply(200, {"data": {key: {"pullRequest": {"isDraft": draft}}}}, "draft-state")
        if "fork: repository(" in q:
            oid = repo.resolve(body["variables"]["branch"])
            base = {"ref": {"target": {"oid": oid}} if oid else None}
            return reply(200, {"data": {"fork": {"id": "R_repo"}, "base": base}})
        if "pullRequests(" in q:
            wanted = set(json.loads(re.search(r"labels: (\[[^\]]*\])", q).group(1)))
            nodes = [_pull_node(repo, p) for p in reversed(repo.pulls)
                     if p["state"] == "open" and wanted & set(p["labels"])]
            return reply(200, {"data": {"repository": {"pullRequests": {"nodes": nodes}}}})
        return None
    rest = path.removeprefix("/api/v3").removeprefix(f"/repos/{repo.owner}/{repo.name}")
    if method == "POST" and rest == "/pulls":
        if repo.resolve(body["head"]) is None:
            raise Refused("no such branch", 422)
        number = len(repo.pulls) + 1
        pull = {"number": number, "node_id": f"PR_{number}", "title": str(body["title"]), "head": body["head"],
                "base": body["base"], "draft": bool(body.get("draft", False)), "body": body.get("body"),
                "state": "open", "labels": [], "created_at": utc_now(), "updated_at": utc_now()}
        repo.pulls.append(pull)
        return reply(201, {"number": number, "node_id": pull["node_id"], "title": pull["title"],
                            "html_url": f"https://github.com/{repo.owner}/{repo.name}/pull/{number}",
                            "head": {"ref": pull["head"], "sha": repo.branches.get(pull["head"])},
                            "base": {"ref": pull["base"]}, "draft": pull["draft"], "state": "open",
                            "created_at": pull["created_at"], "updated_at": pull["updated_at"], "labels": []},
                      "create-pull-request")
    if (m := re.fullmatch(r"/issues/(\d+)/labels", rest)) and method == "POST":
        pull = repo.pull(m.group(1))
        pull["labels"] += [str(n) for n in body["labels"] if n not in pull["labels"]]
        return reply(200, _labels(pull), "add-labels")
    if m := re.fullmatch(r"/issues/(\d+)", rest):
        pull = repo.pull(m.group(1))
        if method == "PATCH":
            pull["labels"] = [str(n) for n in body.get("labels", pull["labels"])]
            return reply(200, {"number": pull["number"], "labels": _labels(pull)}, "set-labels")
        return reply(200, {"number": pull["number"], "labels": _labels(pull)})
    return None


def _pull_node(repo: Repo, pull: dict) -> dict:
    head = repo.branches.get(pull["head"])
    base_tree = repo.tree(repo.branches[pull["base"]])
    head_tree = repo.tree(head) if head else {}
    files = [{"path": f, "changeType": "ADDED" if f not in base_tree else "MODIFIED"}
             for f, s in sorted(head_tree.items()) if base_tree.get(f) != s]
    files += [{"path": f, "changeType": "DELETED"} for f in base_tree if f not in head_tree]
    return {"id": pull["node_id"], "number": pull["number"], "title": pull["title"],
            "url": f"https://github.com/{repo.owner}/{repo.name}/pull/{pull['number']}", "isDraft": pull["draft"],
            "isCrossRepository": False, "createdAt": pull["created_at"], "updatedAt": pull["updated_at"],
            "headRefName": pull["head"], "headRefOid": head,
            "author": {"login": USER["login"], "avatarUrl": "", "name": USER["name"], "email": USER["email"],
                       "databaseId": USER["id"]},
            "labels": {"nodes": _labels(pull)}, "files": {"nodes": files}}


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
            try:
                result = workflow(self.server.repo, self.command, path, body)
            except Refused as refused:
                result = reply(refused.status, {"message": str(refused)}, "refused")
            status, data, content_type, op = result or answer(self.server.repo, self.command, path, body)
        record["op"] = op or ("graphql" if path.endswith("/graphql") else "rest")
        self._send(status, data, content_type)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle
