"""The repositories the web editor's GitHub-like API (``oirsite.cms_github``) answers for.

Sveltia CMS talks to GitHub only (REST and GraphQL, under its ``api_root``). Two repositories
stand behind that API:

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
  editor changed are replaced in its text (``oirsite.cms_roundtrip.merge``), comments and order kept.

Who may send requests at all (host, origin, the token) is the server's part (scripts/cms_serve.py).
"""

from __future__ import annotations

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

from ..read.docs_files import IMAGES

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
        if folder not in self.folders or not NAME.fullmatch(name) or not name.endswith(self.folders[folder]):
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


def utc_now() -> str:
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
        self.commits[oid] = {"parent": parent, "tree": dict(tree), "message": message, "date": utc_now()}
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
                self.commits[oid] = {"parent": None, "tree": tree, "message": "The working tree", "date": utc_now()}
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
