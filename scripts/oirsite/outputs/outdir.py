"""Output folders the build owns: the one rule for ``--site-dir`` and ``export FOLDER``.

A folder may receive the output only if it is new, empty or holds the marker this tool writes into
every folder it fills (``.oirsite-output``: nothing an editor made is ever deleted); it is no file, not
the project nor a folder holding it, not one of the project's own folders (PROTECTED and those the
settings name) nor inside one; and nothing in it is a symbolic link or other than a plain file or
folder (an engine writing in place, as ``mkdocs build`` does, would follow it out). Paths are compared
resolved, so no spelling gets round the rule. The output is written into a staging folder beside the
target and swapped in; only a previous output still marked (or empty) is moved aside and deleted.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterable

MARKER = ".oirsite-output"
MARKER_TEXT = ("This folder was written by scripts/build.py. The next build replaces it as a whole:\n"
               "keep nothing else in it.\n")

# The project's own folders, relative to its root: never an output, nor anything inside them.
PROTECTED = ("content", "docs", "overrides", "overrides-zensical", "scripts", "schemas", "tests", "cms", "requirements",
             "node_modules", ".git", ".github", ".venv")


class OutputRefused(Exception):
    """The folder may not receive the output; the message says why, for an editor."""


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))  # not Path.resolve: a link loop is then a refused "file", not a traceback


def _show(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix() or "."
    except ValueError:
        return str(path)


def is_marked(folder: Path) -> bool:
    """True if ``folder`` holds this tool's marker (a plain file, not a link)."""
    marker = folder / MARKER
    return marker.is_file() and not marker.is_symlink()


def check_output_dir(target: Path, root: Path, reads: Iterable[str] = ()) -> Path:
    """The resolved folder that may receive the output, or raise OutputRefused saying why not; ``reads`` adds
    folders (relative to ``root``) the build reads, such as a ``docs_dir`` set in mkdocs.yml."""
    root, resolved, shown = _real(root), _real(target), str(target)
    hint = "choose a new folder (such as 'site') or one that an earlier build made"
    if os.path.lexists(target) and not os.path.isdir(target):
        raise OutputRefused(f"'{shown}' is a file, not a folder: {hint}")
    ancestor = resolved.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise OutputRefused(f"'{shown}' is inside '{ancestor}', which is a file, not a folder: {hint}")
    if root.is_relative_to(resolved):
        what = "the project folder itself" if resolved == root else "a folder that holds the project"
        raise OutputRefused(f"'{shown}' is {what}: writing the site there would delete the project; {hint}")
    for name in (*PROTECTED, *reads):
        folder = _real(root / name)
        if resolved.is_relative_to(folder):
            what = "is" if resolved == folder else "is inside"
            raise OutputRefused(f"'{shown}' {what} the project's own folder '{_show(folder, root)}/', which holds "
                                f"files the build reads or runs: writing the site there would delete them; {hint}")
    if resolved.is_dir() and not is_marked(resolved) and any(resolved.iterdir()):
        raise OutputRefused(f"'{shown}' is a folder that is not empty and was not made by this tool "
                            f"(it has no {MARKER} file): nothing in it is deleted; {hint}, or empty it yourself")
    for folder, names, files in os.walk(resolved):  # an engine writing in place would follow a link out of it
        for name in (*names, *files):
            path = Path(folder, name)
            if path.is_symlink() or not (path.is_dir() or path.is_file()):
                raise OutputRefused(f"'{shown}' holds '{_show(path, resolved)}', which is a symbolic link or not a "
                                    f"plain file: a build never makes one, and writing through it could change "
                                    f"files outside the folder; {hint}, or empty it yourself")
    return resolved


def make_staging(target: Path) -> Path:
    """A new, empty, private folder beside ``target`` to write the output into."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))


def replace(target: Path, staging: Path) -> None:
    """Mark ``staging`` as ours and put it in the place of ``target`` (a folder check_output_dir accepted);
    the previous output is deleted only if still empty or marked, else OutputRefused leaves it as it is."""
    (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    staging.chmod(0o755)  # mkdtemp makes it private; a published site is world-readable
    if not os.path.lexists(target):
        staging.rename(target)
        return
    if target.is_symlink() or not target.is_dir() or not (is_marked(target) or not any(target.iterdir())):
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputRefused(f"'{target}' changed during the build and was not made by this tool: "
                            "nothing in it was deleted")
    trash = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
    target.rename(trash / "previous")
    try:
        staging.rename(target)
    except OSError:
        (trash / "previous").rename(target)
        shutil.rmtree(trash, ignore_errors=True)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(trash, ignore_errors=True)


def discard(staging: Path) -> None:
    """Delete a staging folder after a failed build (it is ours: make_staging made it)."""
    shutil.rmtree(staging, ignore_errors=True)
