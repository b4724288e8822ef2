"""The part of GitHub's API that the web editor (Sveltia CMS 0.221) uses, answered for one repository:
REST under ``/api/v3`` (or GitHub's own paths) and GraphQL at ``/api/graphql`` (or ``/graphql``); GraphQL
is not parsed, each query Sveltia sends is recognised by its text.

``DiskRepo`` is the project's working tree, for the local editor (``scripts/cms_serve.py``, which checks
who may ask). ``Guard.file`` is the one place that decides what it may read, write or delete: a file
directly in a collection's folder with that collection's extension or directly in the media folder
(images only), its name made of ``A-Z a-z 0-9 _ . ~ -`` and not starting with a dot, no link on the way.
The tests' fake GitHub answers with the same code for a repository in memory (``tests/fake_github.py``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import stat
import threading
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple
from urllib.parse import unquote

from ..read.docs_files import IMAGES
from .cms_roundtrip import merge
from .rename_edits import write_atomic

NAME = re.compile(r"(?!\.)[A-Za-z0-9_.~-]{1,255}")
USER = {"id": 1, "login": "editor", "name": "Editor", "email": "editor@127.0.0.1", "avatar_url": "",
        "html_url": "", "type": "User"}
MAX_QUERY = 65_536
NO_WORKFLOW = "the local editor saves into the working tree: no pull requests, no branches"
STRING = r'"(?:[^"\\]|\\.)*"'


class Reply(NamedTuple):
    """An answer: its status, body and content type, and what the call was (for the tests' records;
    "refused" when nothing was carried out, "error" when writing failed)."""

    status: int
    body: bytes
    content_type: str
    op: str = ""


class Refused(Exception):
    """A request that is not carried out; ``status`` is its HTTP status."""

    def __init__(self, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.status = status


def reply(status: int, value: Any = None, op: str = "") -> Reply:
    """An answer with the JSON ``value`` as its body."""
    return Reply(status, b"" if value is None else json.dumps(value).encode("utf-8"), "application/json", op)


class Guard:
    """The folders of ``root`` the editor may use (those of the CMS configuration ``config``), each
    with the file suffixes its files may have: its collections', images only in the media folder (which
    is published as it is: no .html, .svg or script)."""

    def __init__(self, root: Path, config: dict) -> None:
        self.root = Path(os.path.realpath(root))
        self.folders: dict[str, tuple[str, ...]] = {}
        for collection in config["collections"]:
            suffixes = {*self.folders.get(collection["folder"], ()), "." + collection["extension"]}
            self.folders[collection["folder"]] = tuple(sorted(suffixes))
        self.folders[config["media_folder"]] = tuple(sorted(IMAGES))

    def folder(self, value: str) -> Path:
        """The path of one of the allowed folders, with no link and nothing but folders on the way."""
        if value not in self.folders:
            raise Refused(f"not a folder of the editor: {value!r}")
        current = self.root
        for part in PurePosixPath(value).parts:
            current = current / part
            try:
                mode = os.lstat(current).st_mode
            except FileNotFoundError:
                break
            if not stat.S_ISDIR(mode):
                raise Refused(f"not a plain folder: {value!r}")
        return self.root / value

    def file(self, value: Any) -> Path:
        """The path of a file the editor may read, write or delete; Refused for any other."""
        if not isinstance(value, str) or "/" not in value:
            raise Refused(f"not a file of the editor: {value!r}")
        folder, name = value.rsplit("/", 1)
        if folder not in self.folders or not NAME.fullmatch(name) or not name.endswith(self.folders[folder]):
            raise Refused(f"not a file of the editor: {value!r}")
        path = self.folder(folder) / name
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
                names = sorted(os.listdir(self.folder(folder)))
            except (Refused, OSError):  # missing, or not a plain folder
                continue
            for name in names:
                try:
                    file = self.file(f"{folder}/{name}")
                except Refused:
                    continue  # a dot-file, a link, a folder, another suffix: not the editor's
                if file.is_file():
                    found[f"{folder}/{name}"] = file
        return found


def blob_sha(data: bytes) -> str:
    """The id git gives a file's content."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class DiskRepo:
    """The project's working tree (``guard.files()``, read at each call) as a repository of one branch,
    whose head is the hash of them (so a commit made on an older state is refused, as GitHub refuses it).
    ``answer`` needs no more of a repository: the tests' fake GitHub has an in-memory one like it. A save
    is merged into the file as it is (``cms_roundtrip.merge``): only the changed fields are written again,
    comments and key order stay."""

    owner, name, default_branch = "local", "content", "main"

    def __init__(self, guard: Guard) -> None:
        self.guard = guard
        self.blobs: dict[str, bytes] = {}
        self.commits: dict[str, dict] = {}  # id -> the tree {path: blob id} of one state, its message, its date
        self.lock = threading.RLock()

    def _snapshot(self) -> str:
        with self.lock:
            files = {rel: path.read_bytes() for rel, path in self.guard.files().items()}
            tree = {rel: blob_sha(data) for rel, data in files.items()}
            self.blobs.update({tree[rel]: data for rel, data in files.items()})
            oid = hashlib.sha1(json.dumps(sorted(tree.items())).encode()).hexdigest()
            if oid not in self.commits:
                self.commits[oid] = {"tree": tree, "message": "The working tree", "date": utc_now()}
            return oid

    def resolve(self, ref: str) -> str | None:
        if ref.removeprefix("refs/heads/") == self.default_branch:
            return self._snapshot()
        return ref if ref in self.commits else None

    def tree(self, oid: str) -> dict[str, str]:
        return self.commits[oid]["tree"]

    def known_blob(self, sha: str) -> bool:
        """Whether ``sha`` is a file of the working tree, read again: a file that is not the editor's never is."""
        return sha in self.tree(self._snapshot()).values()

    def history(self, ref: str, path: str | None = None, first: int = 1) -> list[tuple[str, dict]]:
        """The commits that changed ``path`` (any file if None), newest first: the one state, if it has it."""
        oid = self.resolve(ref)
        if not oid or first < 1 or path is not None and path not in self.tree(oid):
            return []
        return [(oid, self.commits[oid])]

    def commit_on_branch(self, branch: str, expected: str, additions: list[dict], deletions: list[dict],
                         message: str) -> str:
        with self.lock:
            if branch != self.default_branch:
                raise Refused(f"Branch {branch} not found", 422)
            if expected != self._snapshot():
                raise Refused(f'Expected branch to point to "{expected}" but it did not.', 422)
            writes = [(self.guard.file(a["path"]), a["data"]) for a in additions]  # all checked first
            removals = [self.guard.file(d["path"]) for d in deletions]
            for path, data in writes:
                _write(path, merge(path, path.read_bytes(), data) if path.is_file() else data)
            for path in removals:
                path.unlink(missing_ok=True)
            return self._snapshot()


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (a guarded file path) whole, keeping the mode of the file it replaces."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data, like=path)


# ---------------------------------------------------------------------------------------------
# The API.

def answer(repo: DiskRepo, method: str, path: str, body: Any) -> Reply:
    """The answer to one API call (``path`` without the API root's prefix); when it is refused
    (op "refused"), nothing was written; when writing failed part-way (op "error"), some files may be."""
    graphql = path in ("/graphql", "/api/graphql")
    try:
        if not graphql:
            return _rest(repo, method, path.removeprefix("/api/v3"), body)
        if method != "POST" or not isinstance(body, dict) or not isinstance(body.get("query"), str):
            raise Refused("a GraphQL request is {query, variables}", 422)
        variables = body.get("variables") or {}
        if not isinstance(variables, dict):
            raise Refused("variables must be an object", 422)
        if len(body["query"]) > MAX_QUERY:  # Sveltia's largest (250 aliased blobs) is a few KB
            raise Refused(f"a GraphQL query of at most {MAX_QUERY} characters is answered", 413)
        return _graphql(repo, " ".join(body["query"].split()), variables)
    except Refused as refused:
        return reply(refused.status, {"message": str(refused)}, "refused")
    except (KeyError, TypeError, AttributeError, ValueError, IndexError, StopIteration):
        what = "a GraphQL request" if graphql else "a request"
        return reply(422, {"message": f"{what} this server does not understand"}, "refused")
    except OSError as error:
        return reply(500, {"message": f"{error.strerror or error}"}, "error")


def _rest(repo: DiskRepo, method: str, path: str, body: Any) -> Reply:
    base = f"/repos/{repo.owner}/{repo.name}"
    if path == "/user" and method == "GET":
        return reply(200, USER)
    if not path.startswith(base + "/") and path != base:
        return reply(404, {"message": "Not Found"})
    rest = path[len(base):]
    if method != "GET":  # the editorial workflow's pull requests, labels and branches: not here
        raise Refused(NO_WORKFLOW, 422)
    if rest == "":
        return reply(200, {"name": repo.name, "full_name": f"{repo.owner}/{repo.name}",
                            "default_branch": repo.default_branch, "permissions": {"push": True}})
    if rest == f"/collaborators/{USER['login']}":
        return reply(204)
    if (m := re.fullmatch(r"/git/trees/([^/]+)", rest)):
        oid = repo.resolve(unquote(m.group(1)))
        if not oid:
            return reply(404, {"message": "Not Found"})
        tree = [{"path": p, "mode": "100644", "type": "blob", "sha": s, "size": len(repo.blobs[s])}
                for p, s in sorted(repo.tree(oid).items())]
        return reply(200, {"sha": oid, "tree": tree, "truncated": False})
    if (m := re.fullmatch(r"/git/blobs/([0-9a-f]{40})", rest)):
        if not repo.known_blob(m.group(1)):
            return reply(404, {"message": "Not Found"})
        return Reply(200, repo.blobs[m.group(1)], "application/vnd.github.raw")
    return reply(404, {"message": "Not Found"})


def _graphql(repo: DiskRepo, q: str, variables: dict) -> Reply:
    """The answer to one GraphQL query ``q`` (its whitespace made single spaces)."""
    if "createCommitOnBranch(" in q:
        given = variables["input"]
        changes = given["fileChanges"]
        additions = [{"path": a["path"], "data": base64.b64decode(a["contents"], validate=True)}
                     for a in changes.get("additions", [])]
        oid = repo.commit_on_branch(given["branch"]["branchName"], given["expectedHeadOid"], additions,
                                    list(changes.get("deletions", [])), str(given["message"]["headline"]))
        commit: dict[str, Any] = {"oid": oid, "committedDate": repo.commits[oid]["date"]}
        for alias, path in re.findall(rf"(file_\d+): file\(path: ({STRING})\)", q):
            sha = repo.tree(oid).get(json.loads(path))
            commit[alias] = {"oid": sha} if sha else None
        return reply(200, {"data": {"createCommitOnBranch": {"commit": commit}}}, "commit")
    if q.startswith("mutation"):
        raise Refused(NO_WORKFLOW, 422)
    if "defaultBranchRef" in q:
        return reply(200, {"data": {"repository": {"defaultBranchRef": {"name": repo.default_branch}}}})
    aliased = [(m.group(1), m.group(2), m.start()) for m in re.finditer(r"\b(\w+_\d+): (object|ref)\(", q)]
    if aliased:
        return reply(200, {"data": {"repository": {
            alias: _aliased(repo, kind, q[start:start + 2_000], variables) for alias, kind, start in aliased}}})
    if "ref(qualifiedName: $branch)" in q and "history(first: 1)" in q:
        if variables.get("repo") != repo.name:
            return reply(200, {"data": {"repository": None}})
        history = repo.history(variables["branch"])
        ref = {"target": {"history": {"nodes": [{"oid": o, "message": c["message"]} for o, c in history]}}} \
            if history else None
        return reply(200, {"data": {"repository": {"ref": ref}}})
    if "ref(qualifiedName: $branch) { target { ... on Commit { oid } } }" in q:
        oid = repo.resolve(variables["branch"])
        return reply(200, {"data": {"repository": {"ref": {"target": {"oid": oid}} if oid else None}}})
    return reply(200, {"data": None, "errors": [{"message": "query not understood"}]}, "graphql-unknown")


def _aliased(repo: DiskRepo, kind: str, part: str, variables: dict) -> dict | None:
    """One aliased part of a query (``part``: from its alias on): a blob, a file or a file's history."""
    if kind == "object" and (m := re.match(r'\w+: object\(oid: "([0-9a-f]+)"\)', part)):
        oid = m.group(1)
        if oid in repo.commits:  # a commit's deployment status: none here
            return {"status": None, "deployments": {"nodes": []}, "checkSuites": {"nodes": []}}
        return {"text": repo.blobs[oid].decode("utf-8", "replace"), "isTruncated": False} \
            if repo.known_blob(oid) else None
    if kind == "object" and (m := re.match(rf"\w+: object\(expression: ({STRING})\)", part)):
        ref, _, file = json.loads(m.group(1)).partition(":")
        oid = repo.resolve(ref)
        sha = repo.tree(oid).get(file) if oid else None
        return None if sha is None else {"oid": sha, "byteSize": len(repo.blobs[sha]), "isBinary": False,
                                         "isTruncated": False, "text": repo.blobs[sha].decode("utf-8", "replace")}
    if kind == "ref" and (m := re.match(r"\w+: ref\(qualifiedName: \$branch\) \{ target \{ \.\.\. on Commit \{ "
                                        rf"history\(first: (\d+), path: ({STRING})\)", part)):
        author = {"name": USER["name"], "email": USER["email"], "avatarUrl": "",
                  "user": {"id": USER["id"], "login": USER["login"]}}
        history = repo.history(variables["branch"], json.loads(m.group(2)), int(m.group(1)))
        return {"target": {"history": {"nodes": [
            {"oid": oid, "author": author, "committedDate": c["date"]} for oid, c in history]}}}
    return None
