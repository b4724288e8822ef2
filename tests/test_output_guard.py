"""Every command that deletes or replaces a folder asks outdir's rule first: the project itself, a
folder it reads (content/), and another project's folder that holds files are refused, with
exit 2 and a message, and nothing anywhere is deleted or changed. Run on a copy of the project, so
that a broken guard could only harm the copy."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT, copy_project

BUILD = str(ROOT / "scripts" / "build.py")
ZENSICAL = str(ROOT / "scripts" / "zensical_build.py")


def _snapshot(*folders: Path) -> dict[str, str]:
    """Every file under ``folders`` and a digest of its bytes."""
    return {str(path): hashlib.sha256(path.read_bytes()).hexdigest()
            for folder in folders for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("guard")
    root = copy_project(base / "project")
    other = base / "other-project"
    (other / "src").mkdir(parents=True)
    (other / "README.md").write_text("another project's files\n")
    (other / "src" / "main.py").write_text("print('keep me')\n")
    return root, other


COMMANDS = {  # script, then its arguments for a target folder (and a new folder for the site)
    "build --site-dir": (BUILD, lambda target, fresh: ["--site-dir", target]),
    "build export": (BUILD, lambda target, fresh: ["export", target]),
    "zensical --site-dir": (ZENSICAL, lambda target, fresh: ["--site-dir", target]),
    "zensical --work": (ZENSICAL, lambda target, fresh: ["--site-dir", fresh, "--work", target]),
}


@pytest.mark.parametrize("target", ["root", "content", "other"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_refuses_a_folder_it_did_not_make(project, tmp_path, command, target):
    root, other = project
    folder = {"root": ".", "content": "content", "other": str(other)}[target]
    fresh = tmp_path / "fresh-site"
    before = _snapshot(root, other)
    script, arguments = COMMANDS[command]
    result = subprocess.run([sys.executable, script, "--root", str(root), *arguments(folder, str(fresh))],
                            cwd=root, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 2, result.stdout + result.stderr
    message = result.stderr.strip()
    assert message.startswith("error: ") and "Traceback" not in message
    assert {"root": "the project folder itself", "content": "the project's own folder 'content/'",
            "other": "was not made by this tool"}[target] in message, message
    assert _snapshot(root, other) == before
    assert not fresh.exists()  # refused before anything was written


def test_the_zensical_work_folder_and_site_may_not_overlap(project, tmp_path):
    root, _ = project
    result = subprocess.run([sys.executable, ZENSICAL, "--root", str(root), "--site-dir", str(tmp_path / "w" / "site"),
                             "--work", str(tmp_path / "w")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "overlap" in result.stderr
    assert not (tmp_path / "w").exists()


@pytest.mark.parametrize("command", [*sorted(COMMANDS), "mkdocs build --site-dir"])
def test_a_marked_folder_with_a_link_inside_is_refused_and_nothing_is_written_through_it(project, tmp_path, command):
    """A folder an earlier build made, in which a link was put since (to a file of the project, or a
    folder outside): an engine that writes in place, as `mkdocs build` does, would write through it."""
    root, other = project
    target, fresh = tmp_path / "out", tmp_path / "fresh-site"
    target.mkdir()
    (target / ".oirsite-output").write_text("made by an earlier build\n")
    (target / "mkdocs.yml").symlink_to(root / "mkdocs.yml")
    (target / "organizations").symlink_to(other / "src", target_is_directory=True)
    before = _snapshot(root, other)
    if command == "mkdocs build --site-dir":
        argv = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(target)]
    else:
        script, arguments = COMMANDS[command]
        argv = [sys.executable, script, "--root", str(root), *arguments(str(target), str(fresh))]
    result = subprocess.run(argv, cwd=root, capture_output=True, text=True, timeout=180,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode != 0 and "symbolic link" in result.stdout + result.stderr, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert _snapshot(root, other) == before
    assert sorted(p.name for p in target.iterdir()) == [".oirsite-output", "mkdocs.yml", "organizations"]
