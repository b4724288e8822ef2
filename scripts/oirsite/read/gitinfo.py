"""What git remembers about the content: files renamed (for "was renamed" hints). Asked lazily;
nothing where there is no git."""

from __future__ import annotations

import subprocess
from pathlib import Path


def _git(root: Path, *args: str) -> bytes:
    """git's output for ``args`` in ``root``, or nothing (no git, not a repository, a failure)."""
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return b""
    return done.stdout if done.returncode == 0 else b""


def git_renames(root: Path, content_dir: str = "content") -> dict[str, str]:
    """Old id -> new id for content files that git saw renamed: in the history, and in the work
    tree (a tracked file deleted and an untracked one with the same text)."""
    def lines(*args: str) -> list[str]:
        return _git(root, *args, "--", content_dir).decode("utf-8", "replace").splitlines()

    renames: dict[str, str] = {}
    history = lines("log", "-M", "--diff-filter=R", "--name-status", "--format=")
    for line in [*reversed(history), *lines("diff", "-M", "--diff-filter=R", "--name-status", "HEAD")]:
        parts = line.split("\t")
        if len(parts) == 3 and parts[0].startswith("R"):
            renames[Path(parts[1]).stem] = Path(parts[2]).stem
    deleted = lines("ls-files", "--deleted")
    if deleted:
        added = lines("ls-files", "--others", "--exclude-standard")
        texts = {path: (root / path).read_bytes() for path in added if (root / path).is_file()}
        for path in deleted:
            old = _git(root, "show", f"HEAD:./{path}")  # ./: relative to the project, inside a larger repository
            for new, text in texts.items():
                if text.strip() == old.strip():
                    renames[Path(path).stem] = Path(new).stem
    for old in list(renames):  # follow chains: a -> b -> c
        seen = {old}
        while renames[old] in renames and renames[old] not in seen:
            seen.add(renames[old])
            renames[old] = renames[renames[old]]
    return renames
