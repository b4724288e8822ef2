"""The web editor's local backend: Decap CMS's proxy API (what decap-server answers in its ``fs``
mode), limited to the files the editor edits.

Decap's admin page sends ``POST /api/v1`` with JSON ``{"action": ..., "params": {...}}``; ``handle``
answers it for a project folder. Every path a request names goes through ``Guard.file`` or
``Guard.folder``, the one place that decides what may be read, written or deleted: a file directly
in a collection's folder with that collection's extension (``content/events/x.md``) or directly in
the media folder (``docs/assets/uploads/x.png``), its name made of ``A-Z a-z 0-9 _ . ~ -`` (what
Decap's ASCII slugs and media names are made of) and not starting with a dot, with no symbolic link
on the way. Everything else (``scripts/``, ``.github/``, ``..``, ``.env``, ``.git/config``) is
refused before anything is read or written. Who may send requests at all (host, origin, the run's
key) is ``scripts/cms_serve.py``'s part.

The answers are decap-server's (3.11, ``localFs``): entries as ``{data, file: {path, label, id}}``
with the sha256 of the bytes as id, media files base64-encoded, ``publish_modes: ["simple"]``.
Where ours is narrower: folders are listed one level deep (the collections are flat), a renamed
entry (``newPath``) moves that file only, not the rest of its folder, and files are written whole
(a new file renamed over the old one).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import stat
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

from .read.docs_files import IMAGES

NAME = re.compile(r"(?!\.)[A-Za-z0-9_.~-]{1,255}")


class Refused(Exception):
    """A request the backend does not carry out; ``status`` is its HTTP status."""

    def __init__(self, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.status = status


class Guard:
    """The folders of ``root`` the editor may use: ``folders`` maps each one ("content/events") to
    the file suffixes its files may have (the collection's; images only in the media folder, which
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


def guard_for(root: Path, config: dict) -> Guard:
    """The guard for the CMS configuration ``config`` (``oirsite.cms.generate_config``)."""
    folders = {c["folder"]: ("." + c["extension"],) for c in config["collections"]}
    folders[config["media_folder"]] = tuple(sorted(IMAGES))
    return Guard(root, folders)


# ---------------------------------------------------------------------------------------------
# Reading and writing.

def _id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _entry(guard: Guard, file: Any) -> dict:
    if not isinstance(file, dict):
        raise Refused("a file must be an object", 422)
    rel, label = file.get("path"), file.get("label")
    path = guard.file(rel)
    try:
        data = path.read_bytes()
    except OSError:
        return {"data": None, "file": {"path": rel, "label": label, "id": None}}
    return {"data": data.decode("utf-8", errors="replace"), "file": {"path": rel, "label": label, "id": _id(data)}}


def _media(guard: Guard, rel: Any) -> dict:
    path = guard.file(rel)
    try:
        data = path.read_bytes()
    except OSError:
        raise Refused(f"no such file: {rel!r}", 404) from None
    return {"id": _id(data), "content": base64.b64encode(data).decode("ascii"), "encoding": "base64",
            "path": rel, "name": path.name}


def _listing(guard: Guard, folder: Any, extension: str = "") -> list[str]:
    name, path = guard.folder(folder)
    if not path.is_dir():
        return []
    listed = []
    for child in sorted(os.listdir(path)):
        rel = f"{name}/{child}"
        if child.endswith(extension):
            try:
                if guard.file(rel).is_file():
                    listed.append(rel)
            except Refused:
                pass  # a dot-file, a link, a folder: not the editor's
    return listed


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


def _string(params: dict, key: str) -> str:
    value = params.get(key)
    if not isinstance(value, str):
        raise Refused(f"params.{key} must be a string", 422)
    return value


def _asset(guard: Guard, asset: Any) -> tuple[Path, bytes]:
    if not isinstance(asset, dict) or asset.get("encoding") != "base64":
        raise Refused("an asset must be {path, content, encoding: 'base64'}", 422)
    path = guard.file(asset.get("path"))
    try:
        return path, base64.b64decode(_string(asset, "content"), validate=True)
    except binascii.Error:
        raise Refused("an asset's content must be base64", 422) from None


def handle(guard: Guard, request: Any) -> Any:
    """The answer to one request of Decap's proxy API; Refused when it is not carried out, then
    nothing was written (every path is checked before the first write)."""
    if not isinstance(request, dict) or not isinstance(request.get("action"), str):
        raise Refused("the request must be {action, params}", 422)
    action, params = request["action"], request.get("params")
    if action == "info":
        return {"repo": guard.root.name, "publish_modes": ["simple"], "type": "local_fs"}
    if not isinstance(params, dict):
        raise Refused("params must be an object", 422)
    if action == "entriesByFolder":
        extension = _string(params, "extension")
        return [_entry(guard, {"path": rel}) for rel in _listing(guard, params.get("folder"), extension)]
    if action == "entriesByFiles":
        files = params.get("files")
        if not isinstance(files, list):
            raise Refused("params.files must be a list", 422)
        for file in files:
            guard.file(file.get("path") if isinstance(file, dict) else None)
        return [_entry(guard, file) for file in files]
    if action == "getEntry":
        return _entry(guard, {"path": params.get("path")})
    if action == "persistEntry":
        data_files = params.get("dataFiles", [params.get("entry")])
        assets = params.get("assets", [])
        if not isinstance(data_files, list) or not isinstance(assets, list):
            raise Refused("params.dataFiles and params.assets must be lists", 422)
        writes, moves = [], []
        for data_file in data_files:
            if not isinstance(data_file, dict):
                raise Refused("a data file must be {path, raw}", 422)
            path = guard.file(data_file.get("path"))
            writes.append((path, _string(data_file, "raw").encode("utf-8")))
            if data_file.get("newPath") is not None:
                moves.append((path, guard.file(data_file["newPath"])))
        writes += [_asset(guard, asset) for asset in assets]
        for path, data in writes:
            _write(path, data)
        if moves and len(moves) == len(data_files):
            for old, new in moves:
                os.replace(old, new)
        return {"message": "entry persisted"}
    if action == "getMedia":
        return [_media(guard, rel) for rel in _listing(guard, params.get("mediaFolder"))]
    if action == "getMediaFile":
        return _media(guard, params.get("path"))
    if action == "persistMedia":
        asset = params.get("asset")
        path, data = _asset(guard, asset)
        _write(path, data)
        return _media(guard, asset["path"])
    if action in ("deleteFile", "deleteFiles"):
        rels = [params.get("path")] if action == "deleteFile" else params.get("paths")
        if not isinstance(rels, list) or not rels:
            raise Refused("params.paths must be a list of paths", 422)
        for path in [guard.file(rel) for rel in rels]:
            path.unlink(missing_ok=True)
        return {"message": f"deleted {', '.join(rels)}"}
    if action == "getDeployPreview":
        return None
    raise Refused(f"Unknown action {action}", 422)
