"""The part of GitHub's API that the web editor (Sveltia CMS) uses, answered for one repository.

Sveltia talks to GitHub only: REST (``/user``, ``/repos/{o}/{r}/...``) and GraphQL (``/graphql``),
under its ``api_root``. ``answer`` answers those calls for a ``Repo``:

* ``Repo``, in memory: branches, commits, pull requests and labels, as GitHub keeps them. The
  tests' fake GitHub (``tests/fake_github.py``) serves one and records what the editor sends.
* ``DiskRepo``: the working tree of the project, for the local editor (``scripts/cms_serve.py``,
  ``publish_mode: simple``). It has one branch, whose files are those ``Guard`` allows, read from
  disk at each call; a commit writes them. Every path a commit names goes through ``Guard.file``,
  the one place that decides what may be written or deleted: a file directly in a collection's
  folder with that collection's extension (``content/events/x.md``) or directly in the media folder
  (``docs/assets/uploads/x.png``, images only), its name made of ``A-Z a-z 0-9 _ . ~ -`` and not
  starting with a dot, with no symbolic link on the way. Everything else (``scripts/``,
  ``.github/``, ``..``, ``.env``, ``.git/config``) is refused before anything is written, and
  nothing else is ever listed or read. An existing file is not written whole: only the fields the
  editor changed are replaced in its text (``oirsite.cms_roundtrip``), comments and order kept.

GraphQL is not parsed: each query Sveltia 0.221 sends is recognised by its text; an unknown one is
answered with an error. Who may send requests at all (host, origin, the token) is the server's part.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import stat
import tempfile
import threading
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote

import yaml

from .docs_files import IMAGES

NAME = re.compile(r"(?!\.)[A-Za-z0-9_.~-]{1,255}")
USER = {"id": 1, "login": "editor", "name": "Editor", "email": "editor@127.0.0.1", "avatar_url": "",
        "html_url": "", "type": "User"}


class Refused(Exception):
    """A request that is not carried out; ``status`` is its HTTP status."""

    def __init__(self, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.status = status


class Guard:
    """The folders of ``root`` the editor may use: ``folders`` maps each one ("content/events") to
    the file suffixes its files may have (its collections'; images only in the media folder, which
    is published as it is: no .html, .svg or script)."""

    def __init__(self, root: Path, folders: dict[str, tuple[str, ...]]) -> None:
        self.root = Path(os.path.realpath(root))
        self.folders = folders

    def folder(self, value: Any) -> tuple[str, Path]:
        """(folder, its path) for one of the allowed folders, named exactly."""
        if not isinstance(value, str) or value not in self.folders:
            raise Refused(f"not a folder of the editor: {value!r}")
        path = self.root / value
        current = self.root
        for part in PurePosixPath(value).parts:  # no link, nothing but folders on the way
            current = current / part
            try:
                mode = os.lstat(current).st_mode
            except FileNotFoundError:
                break
            if not stat.S_ISDIR(mode):
                raise Refused(f"not a plain folder: {value!r}")
        return value, path

    def file(self, value: Any) -> Path:
        """The path of a file the editor may read, write or delete; Refused for any other."""
        if not isinstance(value, str) or "/" not in value:
            raise Refused(f"not a file of the editor: {value!r}")
        folder, name = value.rsplit("/", 1)
        if folder not in self.folders or not NAME.fullmatch(name) or not name.lower().endswith(self.folders[folder]):
            raise Refused(f"not a file of the editor: {value!r}")
        path = self.folder(folder)[1] / name
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            return path
        if not stat.S_ISREG(mode):
            raise Refused(f"not a plain file: {value!r}")
        return path

    def files(self) -> dict[str, Path]:
        """Every file the editor may read, by its path in the project."""
        found = {}
        for folder in sorted(self.folders):
            try:
                _, path = self.folder(folder)
                names = sorted(os.listdir(path)) if path.is_dir() else []
            except (Refused, OSError):
                continue
            for name in names:
                try:
                    file = self.file(f"{folder}/{name}")
                except Refused:
                    continue  # a dot-file, a link, a folder, another suffix: not the editor's
                if file.is_file():
                    found[f"{folder}/{name}"] = file
        return found


def guard_for(root: Path, config: dict) -> Guard:
    """The guard for the CMS configuration ``config`` (``oirsite.cms.generate_config``)."""
    folders: dict[str, tuple[str, ...]] = {}
    for collection in config["collections"]:
        folders[collection["folder"]] = tuple(sorted({*folders.get(collection["folder"], ()),
                                                      "." + collection["extension"]}))
    folders[config["media_folder"]] = tuple(sorted(IMAGES))
    return Guard(root, folders)


# ---------------------------------------------------------------------------------------------
# Repositories.

def blob_sha(data: bytes) -> str:
    """The id git gives a file's content."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Repo:
    """One repository in memory: blobs, commits (id -> parent, tree {path: blob id}, message),
    branches (name -> commit id) and pull requests."""

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
        self.commits[oid] = {"parent": parent, "tree": dict(tree), "message": message, "date": _now()}
        return oid

    def resolve(self, ref: str) -> str | None:
        ref = ref.removeprefix("refs/heads/")
        return self.branches.get(ref) or (ref if ref in self.commits else None)

    def tree(self, oid: str) -> dict[str, str]:
        return self.commits[oid]["tree"]

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

    def create_branch(self, name: str, oid: str) -> None:
        with self.lock:
            if name in self.branches:
                raise Refused(f'A ref named "refs/heads/{name}" already exists in the repository.', 422)
            if oid not in self.commits:
                raise Refused("no such commit", 422)
            self.branches[name] = oid


class DiskRepo(Repo):
    """The project's working tree as a repository of one branch: its files are ``guard.files()``,
    read at each call; its head is the hash of them (so a commit made on an older state is refused,
    as GitHub refuses it). ``write(path, old, new)`` gives the bytes a commit writes (by default the
    new ones: a round-trip writer keeps the old text where it can)."""

    def __init__(self, guard: Guard, write=None, name: str = "content") -> None:
        self.guard = guard
        self.write = write or (lambda path, old, new: new)
        super().__init__("local", name, {})

    def _snapshot(self) -> str:
        with self.lock:
            tree = {rel: self._blob(path.read_bytes()) for rel, path in self.guard.files().items()}
            oid = hashlib.sha1(json.dumps(sorted(tree.items())).encode()).hexdigest()
            if oid not in self.commits:
                self.commits[oid] = {"parent": None, "tree": tree, "message": "The working tree", "date": _now()}
            self.branches[self.default_branch] = oid
            return oid

    def resolve(self, ref: str) -> str | None:
        if ref.removeprefix("refs/heads/") == self.default_branch:
            return self._snapshot()
        return ref if ref in self.commits else None

    def commit_on_branch(self, branch, expected, additions, deletions, message):
        with self.lock:
            if branch != self.default_branch:
                raise Refused(f"Branch {branch} not found", 422)
            if expected != self._snapshot():
                raise Refused(f'Expected branch to point to "{expected}" but it did not.', 422)
            writes = [(self.guard.file(a["path"]), a["data"]) for a in additions]  # all checked first
            removals = [self.guard.file(d["path"]) for d in deletions]
            for path, data in writes:
                old = path.read_bytes() if path.is_file() else None
                _write(path, data if old is None else self.write(path, old, data))
            for path in removals:
                path.unlink(missing_ok=True)
            return self._snapshot()

    def create_branch(self, name, oid):
        raise Refused("the local editor saves into the working tree: it makes no branches", 422)


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (a guarded file path) whole: a new file, then renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".cms-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


# ---------------------------------------------------------------------------------------------
# The API.

class Answer:
    """What the server sends back: a status, JSON (``value``) or bytes (``raw``), and what the call
    was (``op``, for the tests' records)."""

    def __init__(self, status: int, value: Any = None, raw: bytes | None = None, op: str = "",
                 content_type: str = "application/json") -> None:
        self.status, self.value, self.raw, self.op, self.content_type = status, value, raw, op, content_type

    def body(self) -> bytes:
        if self.raw is not None:
            return self.raw
        return b"" if self.value is None else json.dumps(self.value).encode("utf-8")


def answer(repo: Repo, method: str, path: str, body: Any) -> Answer:
    """The answer to one API call (``path`` without the API root's prefix); Refused when it is not
    carried out, then nothing was written."""
    if path in ("/graphql", "/api/graphql"):
        if method != "POST" or not isinstance(body, dict) or not isinstance(body.get("query"), str):
            raise Refused("a GraphQL request is {query, variables}", 422)
        variables = body.get("variables") or {}
        if not isinstance(variables, dict):
            raise Refused("variables must be an object", 422)
        try:
            return _graphql(repo, body["query"], variables)
        except (KeyError, TypeError, AttributeError, ValueError, binascii.Error):
            raise Refused("a GraphQL request this server does not understand", 422) from None
    try:
        return _rest(repo, method, path.removeprefix("/api/v3"), body)
    except (KeyError, TypeError, AttributeError, ValueError, IndexError):
        raise Refused("a request this server does not understand", 422) from None


def _pull_json(repo: Repo, pull: dict) -> dict:
    return {"number": pull["number"], "node_id": pull["node_id"], "title": pull["title"],
            "html_url": f"https://github.com/{repo.owner}/{repo.name}/pull/{pull['number']}",
            "head": {"ref": pull["head"], "sha": repo.branches.get(pull["head"])}, "base": {"ref": pull["base"]},
            "draft": pull["draft"], "state": pull["state"], "created_at": pull["created_at"],
            "updated_at": pull["updated_at"], "labels": [{"name": n} for n in pull["labels"]]}


def _pull(repo: Repo, number: str) -> dict:
    pulls = [p for p in repo.pulls if str(p["number"]) == number]
    if not pulls:
        raise Refused("no such pull request", 404)
    return pulls[0]


def _rest(repo: Repo, method: str, path: str, body: Any) -> Answer:
    base = f"/repos/{repo.owner}/{repo.name}"
    if path == "/user" and method == "GET":
        return Answer(200, USER)
    if not path.startswith(base + "/") and path != base:
        return Answer(404, {"message": "Not Found"})
    rest = path[len(base):]
    if isinstance(repo, DiskRepo) and method != "GET":  # no pull requests, labels or branches there
        raise Refused("the local editor saves into the working tree: no pull requests, no branches", 422)
    if method == "GET" and rest == "":
        return Answer(200, {"name": repo.name, "full_name": f"{repo.owner}/{repo.name}",
                            "default_branch": repo.default_branch, "permissions": {"push": True}})
    if method == "GET" and rest == f"/collaborators/{USER['login']}":
        return Answer(204)
    if method == "GET" and (m := re.fullmatch(r"/git/trees/([^/]+)", rest)):
        oid = repo.resolve(unquote(m.group(1)))
        if not oid:
            return Answer(404, {"message": "Not Found"})
        tree = [{"path": p, "mode": "100644", "type": "blob", "sha": s, "size": len(repo.blobs[s])}
                for p, s in sorted(repo.tree(oid).items())]
        return Answer(200, {"sha": oid, "tree": tree, "truncated": False})
    if method == "GET" and (m := re.fullmatch(r"/git/blobs/([0-9a-f]{40})", rest)):
        if not _known_blob(repo, m.group(1)):
            return Answer(404, {"message": "Not Found"})
        return Answer(200, raw=repo.blobs[m.group(1)], content_type="application/vnd.github.raw")
    if method == "POST" and rest == "/pulls":
        with repo.lock:
            if repo.resolve(body["head"]) is None:
                raise Refused("no such branch", 422)
            number = len(repo.pulls) + 1
            pull = {"number": number, "node_id": f"PR_{number}", "title": str(body["title"]), "head": body["head"],
                    "base": body["base"], "draft": bool(body.get("draft", False)), "body": body.get("body"),
                    "state": "open", "labels": [], "created_at": _now(), "updated_at": _now(), "merged": False}
            repo.pulls.append(pull)
        return Answer(201, _pull_json(repo, pull), op="create-pull-request")
    if (m := re.fullmatch(r"/issues/(\d+)/labels", rest)) and method == "POST":
        pull = _pull(repo, m.group(1))
        pull["labels"] += [str(n) for n in body["labels"] if n not in pull["labels"]]
        return Answer(200, [{"name": n} for n in pull["labels"]], op="add-labels")
    if m := re.fullmatch(r"/issues/(\d+)", rest):
        pull = _pull(repo, m.group(1))
        if method == "PATCH":
            pull["labels"] = [str(n) for n in body.get("labels", pull["labels"])]
            return Answer(200, {"number": pull["number"], "labels": [{"name": n} for n in pull["labels"]]},
                          op="set-labels")
        return Answer(200, {"number": pull["number"], "labels": [{"name": n} for n in pull["labels"]]})
    if (m := re.fullmatch(r"/pulls/(\d+)/merge", rest)) and method == "PUT":
        pull = _pull(repo, m.group(1))
        with repo.lock:
            head = repo.branches[pull["head"]]
            base_head = repo.branches[pull["base"]]
            oid = repo._commit(base_head, repo.tree(head), body.get("commit_title") or pull["title"])
            repo.branches[pull["base"]] = oid
            pull.update(state="closed", merged=True)
        return Answer(200, {"sha": oid, "merged": True, "message": "Pull Request successfully merged"}, op="merge")
    if (m := re.fullmatch(r"/pulls/(\d+)", rest)) and method == "PATCH":
        pull = _pull(repo, m.group(1))
        pull.update({k: v for k, v in body.items() if k in ("state", "title")})
        return Answer(200, _pull_json(repo, pull), op="update-pull-request")
    if (m := re.fullmatch(r"/git/refs/heads/(.+)", rest)) and method == "DELETE":
        name = unquote(m.group(1))
        if name == repo.default_branch:
            raise Refused("the default branch stays", 422)
        repo.branches.pop(name, None)
        return Answer(204, op="delete-branch")
    return Answer(404, {"message": "Not Found"})


def _known_blob(repo: Repo, sha: str) -> bool:
    """Whether ``sha`` is a file of one of the repository's commits (a DiskRepo reads the working
    tree again first: a blob of a file that is not the editor's is never known)."""
    if isinstance(repo, DiskRepo):
        repo.resolve(repo.default_branch)
        return sha in repo.tree(repo.branches[repo.default_branch]).values()
    return sha in repo.blobs


STRING = r'"(?:[^"\\]|\\.)*"'


def _graphql(repo: Repo, query: str, variables: dict) -> Answer:
    q = " ".join(query.split())

    def author(commit: dict) -> dict:
        return {"name": USER["name"], "email": USER["email"], "avatarUrl": "",
                "user": {"id": USER["id"], "login": USER["login"]}}

    if "createRef(" in q:
        given = variables["input"]
        repo.create_branch(given["name"].removeprefix("refs/heads/"), given["oid"])
        return Answer(200, {"data": {"createRef": {"ref": {"name": given["name"]}}}}, op="create-branch")
    if "createCommitOnBranch(" in q:
        given = variables["input"]
        changes = given["fileChanges"]
        additions = [{"path": a["path"], "data": base64.b64decode(a["contents"], validate=True)}
                     for a in changes.get("additions", [])]
        oid = repo.commit_on_branch(given["branch"]["branchName"], given["expectedHeadOid"], additions,
                                    list(changes.get("deletions", [])), str(given["message"]["headline"]))
        tree = repo.tree(oid)
        commit: dict[str, Any] = {"oid": oid, "committedDate": repo.commits[oid]["date"]}
        for alias, path in re.findall(rf"(file_\d+): file\(path: ({STRING})\)", q):
            sha = tree.get(json.loads(path))
            commit[alias] = {"oid": sha} if sha else None
        return Answer(200, {"data": {"createCommitOnBranch": {"commit": commit}}}, op="commit")
    if "convertPullRequestToDraft(" in q or "markPullRequestReadyForReview(" in q:
        draft = "convertPullRequestToDraft(" in q
        pull = next(p for p in repo.pulls if p["node_id"] == variables["input"]["pullRequestId"])
        pull["draft"] = draft
        key = "convertPullRequestToDraft" if draft else "markPullRequestReadyForReview"
        return Answer(200, {"data": {key: {"pullRequest": {"isDraft": draft}}}}, op="draft-state")
    if "defaultBranchRef" in q:
        return Answer(200, {"data": {"repository": {"defaultBranchRef": {"name": repo.default_branch}}}})
    if "fork: repository(" in q:
        oid = repo.resolve(variables["branch"])
        return Answer(200, {"data": {"fork": {"id": "R_repo"}, "base": {"ref": {"target": {"oid": oid}} if oid else None}}})
    if "pullRequests(headRefName:" in q:
        count = sum(1 for p in repo.pulls if p["head"] == variables["branch"] and p["state"] == "open")
        return Answer(200, {"data": {"repository": {"pullRequests": {"totalCount": count}}}})
    if "pullRequests(" in q:
        wanted = set(json.loads(re.search(r"labels: (\[[^\]]*\])", q).group(1)))
        return Answer(200, {"data": {"repository": {"pullRequests": {"nodes": [
            _pull_node(repo, p) for p in reversed(repo.pulls) if p["state"] == "open" and wanted & set(p["labels"])]}}}})
    aliased = re.findall(r"(\w+_\d+): (object|ref)\(", q)
    if aliased:
        found: dict[str, Any] = {}
        for alias, kind in aliased:
            part = q[q.index(f"{alias}: "):]
            if kind == "object" and (m := re.match(r'\w+: object\(oid: "([0-9a-f]+)"\)', part)):
                oid = m.group(1)
                if oid in repo.commits:  # a commit's deployment status: none here
                    found[alias] = {"status": None, "deployments": {"nodes": []}, "checkSuites": {"nodes": []}}
                else:
                    found[alias] = {"text": repo.blobs[oid].decode("utf-8", "replace"),
                                    "isTruncated": False} if _known_blob(repo, oid) else None
            elif kind == "object" and (m := re.match(rf"\w+: object\(expression: ({STRING})\)", part)):
                ref, _, file = json.loads(m.group(1)).partition(":")
                oid = repo.resolve(ref)
                sha = repo.tree(oid).get(file) if oid else None
                found[alias] = None if sha is None else {
                    "oid": sha, "byteSize": len(repo.blobs[sha]), "isBinary": False, "isTruncated": False,
                    "text": repo.blobs[sha].decode("utf-8", "replace")}
            elif kind == "ref" and (m := re.match(
                    r"\w+: ref\(qualifiedName: \$branch\) \{ target \{ \.\.\. on Commit \{ "
                    rf"history\(first: (\d+), path: ({STRING})\)", part)):
                history = repo.history(variables["branch"], json.loads(m.group(2)), int(m.group(1)))
                found[alias] = {"target": {"history": {"nodes": [
                    {"oid": oid, "author": author(c), "committedDate": c["date"]} for oid, c in history]}}}
            else:
                found[alias] = None
        return Answer(200, {"data": {"repository": found}})
    if "ref(qualifiedName: $branch)" in q and "history(first: 1)" in q:
        if variables.get("repo") != repo.name:
            return Answer(200, {"data": {"repository": None}})
        history = repo.history(variables["branch"])
        ref = {"target": {"history": {"nodes": [{"oid": o, "message": c["message"]} for o, c in history]}}} \
            if history else None
        return Answer(200, {"data": {"repository": {"ref": ref}}})
    if "ref(qualifiedName: $branch) { target { ... on Commit { oid } } }" in q:
        oid = repo.resolve(variables["branch"])
        return Answer(200, {"data": {"repository": {"ref": {"target": {"oid": oid}} if oid else None}}})
    return Answer(200, {"data": None, "errors": [{"message": "query not understood"}]}, op="graphql-unknown")


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
            "labels": {"nodes": [{"name": n} for n in pull["labels"]]}, "files": {"nodes": files}}


# ---------------------------------------------------------------------------------------------
# Saving an existing file: only what the editor changed.

_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)


def _parts(text: str, markdown: bool) -> tuple[str, int, str] | None:
    """(YAML text, its offset in ``text``, body) of a file; None when it has no front matter."""
    if not markdown:
        return text, 0, ""
    if not text.startswith("---"):
        return None
    start = text.find("\n") + 1
    closing = _FENCE.search(text, start) if start else None
    if closing is None:
        return None
    return text[start:closing.start()], start, text[closing.end():]


def _mapping(text: str) -> tuple[dict, yaml.MappingNode] | None:
    from .diagnostics import Diagnostics
    from .yamlread import parse_yaml
    parsed = parse_yaml(text, "cms", Diagnostics())
    if parsed is None or not isinstance(parsed[0], dict) or not isinstance(parsed[1].root, yaml.MappingNode):
        return None
    return parsed[0], parsed[1].root


def _span(text: str, key: yaml.Node, value: yaml.Node) -> tuple[int, int]:
    """Where one ``key: value`` is written: from its key to the end of its value's last line
    (trailing blank lines and comment lines, which belong to what follows, left out)."""
    start, end = key.start_mark.index, value.end_mark.index
    lines = text[start:end].split("\n")
    while len(lines) > 1 and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
        lines.pop()
    return start, start + len("\n".join(lines).rstrip("\r"))


def _keys(node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    return {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _edits(old_text: str, old: dict, old_node: yaml.MappingNode, new_text: str, new: dict,
           new_node: yaml.MappingNode) -> list[tuple[int, int, str]] | None:
    """The changes that make the old mapping's text hold the new values, each key written as the
    CMS wrote it; a mapping written in blocks on both sides is changed key by key. None when the
    layout does not allow it."""
    old_keys, new_keys = _keys(old_node), _keys(new_node)
    if set(old_keys) != set(old) or set(new_keys) != set(new) or old_node.flow_style:
        return None
    edits = []
    for name, (key, value) in old_keys.items():
        start, end = _span(old_text, key, value)
        if name not in new:  # emptied: its lines go
            line_start = old_text.rfind("\n", 0, start) + 1
            if old_text[line_start:start].strip():
                return None
            line_end = old_text.find("\n", end)
            edits.append((line_start, len(old_text) if line_end < 0 else line_end + 1, ""))
        elif old[name] != new[name]:
            new_key, new_value = new_keys[name]
            if isinstance(value, yaml.MappingNode) and isinstance(new_value, yaml.MappingNode) \
                    and not value.flow_style and not new_value.flow_style \
                    and isinstance(old[name], dict) and isinstance(new[name], dict) \
                    and set(old[name]) == set(new[name]) \
                    and key.start_mark.column == new_key.start_mark.column \
                    and value.start_mark.column == new_value.start_mark.column:
                inner = _edits(old_text, old[name], value, new_text, new[name], new_value)
                if inner is None:
                    return None
                edits += inner
                continue
            if key.start_mark.column != new_key.start_mark.column:
                return None
            new_start, new_end = _span(new_text, new_key, new_value)
            edits.append((start, end, new_text[new_start:new_end]))
    order = [n for n in new_keys]
    for index, name in enumerate(order):  # added: after the field before it in the form's order
        if name in old_keys:
            continue
        new_key, new_value = new_keys[name]
        new_start, new_end = _span(new_text, new_key, new_value)
        before = [n for n in order[:index] if n in old_keys]
        if before:
            at = _span(old_text, *old_keys[before[-1]])[1]
            at = old_text.find("\n", at)
            at = len(old_text) if at < 0 else at + 1
        elif old_keys:
            at = old_text.rfind("\n", 0, min(k.start_mark.index for k, _ in old_keys.values())) + 1
        else:
            at = len(old_text)
        edits.append((at, at, new_text[new_start:new_end] + "\n"))
    return edits


def _is_open(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"open"} and isinstance(value["open"], str)


def _keep_open_notes(old: Any, new: Any) -> Any:
    """``new`` with the open notes (``{open: why}``) of ``old`` put back where ``new`` has no value:
    the form shows no field for a note, so the CMS leaves it out; a value typed in replaces it."""
    if isinstance(old, dict) and isinstance(new, dict):
        kept = dict(new)
        for key, value in old.items():
            if key not in new or new[key] in (None, "", [], {}):
                if _is_open(value):
                    kept[key] = value
            else:
                kept[key] = _keep_open_notes(value, new[key])
        return kept
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [_keep_open_notes(a, b) for a, b in zip(old, new)]
    return new


def merge(path: Path, old: bytes, new: bytes) -> bytes:
    """What saving ``new`` (the CMS's rewrite of the file) over ``old`` writes: the old text with
    only the fields whose values changed written as the CMS wrote them, the rest (comments, key
    order, quotes, line folding) byte for byte as it was, and the open notes the form cannot show
    kept. When that cannot be done safely (the old file does not parse, or the result would not
    hold exactly the new values), the new values written whole."""
    markdown = path.suffix == ".md"
    try:
        old_text, new_text = old.decode("utf-8"), new.decode("utf-8")
    except UnicodeDecodeError:
        return new
    old_parts, new_parts = _parts(old_text, markdown), _parts(new_text, markdown)
    if old_parts is None or new_parts is None or "\r" in old_text:
        return new
    old_yaml, offset, old_body = old_parts
    new_yaml, _, new_body = new_parts
    old_map, new_map = _mapping(old_yaml), _mapping(new_yaml)
    if old_map is None or new_map is None:
        return new
    kept = _keep_open_notes(old_map[0], new_map[0])
    if kept != new_map[0]:  # the values to write are not the CMS's: written by us
        new_yaml = yaml.safe_dump(kept, sort_keys=False, allow_unicode=True, width=100)
        new_map = _mapping(new_yaml)
        if new_map is None or new_map[0] != kept:
            return new
        new = (f"---\n{new_yaml}---{new_parts[2]}" if markdown else new_yaml).encode("utf-8")
    edits = _edits(old_yaml, old_map[0], old_map[1], new_yaml, new_map[0], new_map[1])
    if edits is None:
        return new
    text, done, parts = old_yaml, 0, []
    for start, end, replacement in sorted(edits):
        if start < done:
            return new
        parts += [text[done:start], replacement]
        done = end
    merged_yaml = "".join(parts) + text[done:]
    body = old_body if old_body.strip("\n") == new_body.strip("\n") else new_body
    merged = old_text[:offset] + merged_yaml + old_text[offset + len(old_yaml):len(old_text) - len(old_body)] + body
    check = _mapping(_parts(merged, markdown)[0])
    if check is None or check[0] != new_map[0]:
        return new
    return merged.encode("utf-8")
