"""All-or-nothing and byte-for-byte repeatable builds, and the opt-in external link check."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from helpers import BASE_FILES, copy_project, run_cli, write_tree
from oirsite.outputs.outdir import MARKER, MARKER_TEXT

pytestmark = pytest.mark.slow  # end-to-end (a command or a build per case): in the full suite and CI


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def build(project: Path, out: Path, epoch: str = "1700000000") -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", epoch)
        result = run_cli("--root", str(project), "--site-dir", str(out), cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr


def test_two_builds_of_the_same_sources_are_byte_identical(tmp_path):
    first = copy_project(tmp_path / "one")
    time.sleep(1.1)  # a second checkout, later, at another path: other mtimes, other absolute paths
    second = copy_project(tmp_path / "two")
    build(first, tmp_path / "site-one")
    build(second, tmp_path / "site-two")
    one, two = tree_bytes(tmp_path / "site-one"), tree_bytes(tmp_path / "site-two")
    assert sorted(one) == sorted(two)
    different = [name for name in one if one[name] != two[name]]
    assert different == []
    for name in ("feed.xml", "events.ics", "sitemap.xml", "sitemap.xml.gz", "search/search_index.json"):
        assert name in one


def test_a_successful_build_replaces_the_site_and_leaves_no_staging_folder(tmp_path):
    project = copy_project(tmp_path / "project")
    site = project / "site"
    write_tree(project, {"site/stale.html": "from an older build", f"site/{MARKER}": MARKER_TEXT})
    build(project, site)
    assert not (site / "stale.html").exists() and (site / "index.html").is_file()
    assert (site / MARKER).read_text() == MARKER_TEXT  # the next build may replace it
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []
    assert oct(site.stat().st_mode & 0o777) == "0o755"


def test_a_folder_the_tool_did_not_make_is_never_emptied(tmp_path):
    project = copy_project(tmp_path / "project")
    write_tree(project, {"site/notes.txt": "someone's work"})
    result = run_cli("--root", str(project), "--site-dir", "site", cwd=project)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "not empty and was not made by this tool" in result.stderr
    assert sorted(p.name for p in (project / "site").iterdir()) == ["notes.txt"]


def test_a_failed_build_leaves_the_previous_site_untouched(tmp_path):
    project = copy_project(tmp_path / "project")
    site = project / "site"
    build(project, site)
    before = tree_bytes(site)
    # An error only MkDocs finds (the content check passes): the build itself must fail.
    write_tree(project, {"mkdocs.yml": (project / "mkdocs.yml").read_text().replace("docs_dir: docs", "docs_dir: nowhere")})
    result = run_cli("--root", str(project), "--site-dir", str(site), cwd=project)
    assert result.returncode == 1
    assert tree_bytes(site) == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []


class _Links(BaseHTTPRequestHandler):
    flaky_calls = 0

    def do_HEAD(self):  # noqa: N802 - the base class's name
        self._answer()

    def do_GET(self):  # noqa: N802
        self._answer()

    def _answer(self):
        if self.path == "/ok":
            self.send_response(200)
        elif self.path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
        elif self.path == "/no-head":
            self.send_response(200)
        elif self.path == "/flaky":
            type(self).flaky_calls += 1
            self.send_response(503 if type(self).flaky_calls == 1 else 200)
        elif self.path == "/slow":
            time.sleep(2)
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):  # noqa: A002
        pass


@pytest.fixture
def link_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Links)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_check_external_reports_each_dead_link_at_its_file_and_line(tree, link_server):
    page = (f"# Links\n\n[ok]({link_server}/ok)\n[gone]({link_server}/gone)\n[head refused]({link_server}/no-head)\n"
            f"[flaky]({link_server}/flaky)\n[slow]({link_server}/slow)\n[gone again]({link_server}/gone)\n")
    root = tree({"docs/links.md": page})
    plain = run_cli("--check", "--root", str(root))
    assert plain.returncode == 0  # off by default: no network is touched
    result = run_cli("--check", "--check-external", "--external-timeout", "0.5", "--root", str(root))
    assert result.returncode == 1
    errors = [line for line in result.stdout.splitlines() if "[dead-link]" in line]
    assert errors == [
        f"docs/links.md:4:1: error: the link '{link_server}/gone' is dead: HTTP 404 Not Found [dead-link]",
        f"docs/links.md:7:1: error: the link '{link_server}/slow' is dead: timed out [dead-link]",
        f"docs/links.md:8:1: error: the link '{link_server}/gone' is dead: HTTP 404 Not Found [dead-link]",
    ]
    assert "Checked 5 external addresses." in result.stderr


def test_external_links_are_collected_from_fields_and_text(tmp_path, link_server):
    from oirsite.core.diagnostics import Diagnostics
    from oirsite.tools.external import check_external
    from helpers import check
    root = write_tree(tmp_path, {
        **BASE_FILES,
        "docs/a.md": f"# A\n\n[x]({link_server}/missing)\n",
        "content/organizations/wma.yml": "name: W\nkind: ama-council\nsummary: s\nwebsite: https://www.wma.net/\n",
    })
    site = check(root)
    assert sorted((link.url, link.path, link.line) for link in site.external_links) == [
        ("http://127.0.0.1:" + link_server.rsplit(":", 1)[1] + "/missing", "docs/a.md", 3),
        ("https://www.wma.net/", "content/organizations/wma.yml", 4),
    ]
    local = [link for link in site.external_links if link.url.startswith(link_server)]
    diagnostics = Diagnostics()
    assert check_external(local, diagnostics, timeout=1, retries=0) == 1
    [dead] = diagnostics
    assert (dead.path, dead.line, dead.code) == ("docs/a.md", 3, "dead-link")
