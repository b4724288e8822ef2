"""`mkdocs serve` runs the same plugin: it rebuilds when an entry under content/ changes, and
on a content error it shows the errors, with file and line, on the pages at once, until they are
fixed. The test writes its own entry into a copy of the project, so it holds whatever the real
content says."""

from __future__ import annotations

import pytest

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from helpers import copy_project

pytestmark = pytest.mark.slow  # end-to-end: in the full suite and CI, not in the fast lane

ENTRY = """\
name: Serve Check Organization
kind: {kind}
summary: An organization the serve test writes and edits.
sources: [{source}]
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, check, seconds: float = 60) -> float | None:
    """Seconds until ``check(page text)`` holds, or None."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if check(fetch(url)):
            return time.monotonic() - start
        time.sleep(0.1)
    return None


def serve(project: Path, port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--livereload",
                             "-a", f"127.0.0.1:{port}"], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, text=True)


def test_serve_rebuilds_shows_a_content_error_at_once_and_recovers(tmp_path):
    project = copy_project(tmp_path / "project")
    sources = sorted(p.stem for p in (project / "content/sources").glob("*.yml"))
    entry = project / "content/organizations/serve-check.yml"
    port = free_port()
    server = serve(project, port)
    home, page = f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{port}/organizations/serve-check/"
    try:
        assert wait_for(home, lambda text: "<html" in text) is not None, "the first build was never served"
        entry.write_text(ENTRY.format(kind="national-medical-association", source=sources[0]), encoding="utf-8")
        assert wait_for(page, lambda text: "Serve Check Organization" in text), "a new entry was not built"

        entry.write_text(ENTRY.format(kind="club", source=sources[0]), encoding="utf-8")
        where = "content/organizations/serve-check.yml:2:7"
        seconds = wait_for(home, lambda text: where in text and "role=\"alert\"" in text, seconds=20)
        assert seconds is not None and seconds < 10, "the error did not reach the page within seconds"

        entry.write_text(ENTRY.format(kind="national-medical-association", source=sources[0]), encoding="utf-8")
        assert wait_for(home, lambda text: "<html" in text and where not in text, seconds=20) is not None
        assert "Serve Check Organization" in fetch(page)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=10)
    assert "Traceback" not in output
    assert "not included in the \"nav\"" not in output  # no list of generated pages on every rebuild
