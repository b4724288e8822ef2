"""The part of GitHub's API that the web editor (Sveltia CMS 0.221) uses, answered for one
repository (``oirsite.cms_backend``: in memory for the tests' fake GitHub, the working tree for
the local editor): REST under ``/api/v3`` (or GitHub's own paths) and GraphQL at ``/api/graphql``
(or ``/graphql``). ``answer`` gives the answer to one call, or raises ``Refused``.

GraphQL is not parsed: each query Sveltia sends is recognised by its text; an unknown one is
answered with an error.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any
from urllib.parse import unquote

from .cms_backend import USER, DiskRepo, Refused, Repo, utc_now


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


MAX_QUERY = 65_536


def answer(repo: Repo, method: str, path: str, body: Any) -> Answer:
    """The answer to one API call (``path`` without the API root's prefix); Refused when it is not
    carried out, then nothing was written."""
    if path in ("/graphql", "/api/graphql"):
        if method != "POST" or not isinstance(body, dict) or not isinstance(body.get("query"), str):
            raise Refused("a GraphQL request is {query, variables}", 422)
        variables = body.get("variables") or {}
        if not isinstance(variables, dict):
            raise Refused("variables must be an object", 422)
        if len(body["query"]) > MAX_QUERY:  # Sveltia's largest (250 aliased blobs) is a few KB
            raise Refused(f"a GraphQL query of at most {MAX_QUERY} characters is answered", 413)
        try:
            return _graphql(repo, body["query"], variables)
        except (KeyError, TypeError, AttributeError, ValueError, StopIteration, binascii.Error):
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
                    "state": "open", "labels": [], "created_at": utc_now(), "updated_at": utc_now(), "merged": False}
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
    aliased = [(m.group(1), m.group(2), m.start()) for m in re.finditer(r"\b(\w+_\d+): (object|ref)\(", q)]
    if aliased:
        found: dict[str, Any] = {}
        for alias, kind, start in aliased:
            part = q[start:start + 2_000]
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
