"""`mkdocs serve` goes through the same hooks: it rebuilds when an entry under content/ changes,
and it refuses to serve content with errors."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from helpers import copy_project


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


def wait_for(url: str, text: str, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in fetch(url):
            return True
        time.sleep(0.2)
    return False


def serve(project: Path, port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--livereload",
                             "-a", f"127.0.0.1:{port}"], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, text=True)


def test_serve_rebuilds_when_a_content_file_changes(tmp_path):
    project = copy_project(tmp_path / "project")
    port = free_port()
    server = serve(project, port)
    try:
        page = f"http://127.0.0.1:{port}/organizations/wma/"
        assert wait_for(page, "The association through which"), "the first build was never served"
        entry = project / "content" / "organizations" / "wma.yml"
        entry.write_text(entry.read_text().replace("The association through which", "Edited while serving: the association through which"))
        assert wait_for(page, "Edited while serving"), "the edit under content/ was not rebuilt"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_stops_on_a_content_error_with_its_file_and_line(tmp_path):
    project = copy_project(tmp_path / "project")
    event = project / "content" / "events" / "world-health-day-2021.md"
    event.write_text(event.read_text().replace("organizations: [who, wma,", "organizations: [who, wmo,"))
    server = serve(project, free_port())
    output, _ = server.communicate(timeout=60)
    assert server.returncode == 1
    assert "content/events/world-health-day-2021.md:4:22: error: 'organizations[1]': there is no organization with the id 'wmo'" in output
    assert "Traceback" not in output
