"""`mkdocs serve` makes again only the pages a change touches (scripts/oirsite_mkdocs/live.py), and
after any sequence of edits the folder it serves equals a clean build of the same files, byte for
byte.

The test runs the real `mkdocs serve` on a copy of the project, applies a sequence of mixed edits
(change, add, delete and rename entries; break a file and fix it; the glossary; a hand-written
page; several files at once), waits after each until the server has rebuilt, and compares its
folder with a clean build made by a fresh process, the way `mkdocs serve` makes its first build.
The entries it edits are its own, or chosen by what they are (the first event, the first source),
so it holds whatever the real content says."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from helpers import copy_project
from test_serve import free_port

pytestmark = pytest.mark.slow  # end-to-end: in the full suite and CI, not in the fast lane

EPOCH = "1700000000"  # one build time for the server and the clean builds: no timestamps differ

# The first build of `mkdocs serve`, without the server: a clean build of what the server shows.
CLEAN_BUILD = """\
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
config = load_config(config_file="mkdocs.yml", site_dir=sys.argv[1])
config.plugins.on_startup(command="serve", dirty=False)
config.site_url = sys.argv[2]
build(config, serve_url=sys.argv[2])
"""


class Server:
    """`mkdocs serve` in a project, its output read as it comes."""

    def __init__(self, project: Path, port: int, tmp: Path) -> None:
        tmp.mkdir()
        self.tmp = tmp
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": EPOCH, "TMPDIR": str(tmp)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=project, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def count(self, text: str, since: int = 0) -> int:
        return sum(text in line for line in self.lines[since:])

    def wait(self, since: int, seconds: float = 120) -> list[str]:
        """The output from ``since`` until every change seen since then is built and shown (or
        its build failed)."""
        start = time.monotonic()
        while time.monotonic() - start < seconds:
            assert self.process.poll() is None, "the server stopped:\n" + "\n".join(self.lines[since:])
            detected = self.count("Detected file changes", since)
            done = self.count("Reloading browsers", since) + self.count("An error happened", since)
            if detected and done >= detected:
                time.sleep(0.5)  # changes that came in the meantime start another round
                if self.count("Detected file changes", since) == detected:
                    return self.lines[since:]
            time.sleep(0.05)
        raise AssertionError("the server did not rebuild:\n" + "\n".join(self.lines[since:]))

    def site(self) -> Path:
        (folder,) = [path for path in self.tmp.iterdir() if path.name.startswith("mkdocs_")]
        return folder


def tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def clean_build(project: Path, out: Path, url: str) -> dict[str, bytes]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": EPOCH}
    result = subprocess.run([sys.executable, "-c", CLEAN_BUILD, str(out), url], cwd=project, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return tree(out)


def assert_same(served: dict[str, bytes], clean: dict[str, bytes], step: str) -> None:
    missing, extra = sorted(clean.keys() - served.keys()), sorted(served.keys() - clean.keys())
    assert not missing and not extra, f"after {step}: missing {missing[:5]}, extra {extra[:5]}"
    differ = [path for path in clean if clean[path] != served[path]]
    if differ:
        path = differ[0]
        a, b = served[path].decode("utf-8", "replace"), clean[path].decode("utf-8", "replace")
        at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        raise AssertionError(f"after {step}: {len(differ)} file(s) differ, first {path} at {at}:\n"
                             f"served: {a[max(0, at - 150):at + 150]!r}\nclean:  {b[max(0, at - 150):at + 150]!r}")


ORGANIZATION = """\
name: {name}
kind: national-medical-association
summary: {summary}
sources: [{source}]
{extra}"""

EVENT = """\
---
title: {title}
date: {date}
organizers: [{organization}, {real}]
summary: {summary}
sources: [{source}]
---

The {title} was held with the [[{organization}]] and the [[{real}]]. {body}
"""

TERM = """\
term: LCX
expansion: {expansion}
refers_to: {organization}
"""


def edits(project: Path):
    """(name, what it does to the project, whether the incremental path must take it)."""
    content = project / "content"
    source = sorted(p.stem for p in (content / "sources").glob("*.yml"))[0]
    real = sorted(p.stem for p in (content / "organizations").glob("*.*"))[0]
    first_event = sorted((content / "events").glob("*.md"))[0]
    event_text = first_event.read_text(encoding="utf-8")
    accessibility = project / "docs" / "accessibility.md"
    page_text = accessibility.read_text(encoding="utf-8")
    org, event, term = (content / "organizations/live-check.yml", content / "events/live-check-2030.md",
                        content / "glossary/lcx.yml")
    renamed = content / "organizations/live-check-renamed.yml"
    state = {"org": "live-check", "name": "Live Check Association", "summary": "An association the test writes.",
             "extra": "", "title": "Live Check Congress", "date": "2030-05-01",
             "event_summary": "A congress the test writes.", "body": ""}

    def write_org(**change):
        state.update(change)
        path = renamed if state["org"] == "live-check-renamed" else org
        path.write_text(ORGANIZATION.format(name=state["name"], summary=state["summary"], source=source,
                                            extra=state["extra"]), encoding="utf-8")

    def write_event(**change):
        state.update(change)
        event.write_text(EVENT.format(title=state["title"], date=state["date"], organization=state["org"],
                                      real=real, summary=state["event_summary"], source=source,
                                      body=state["body"]), encoding="utf-8")

    def write_term(expansion):
        term.write_text(TERM.format(expansion=expansion, organization=state["org"]), encoding="utf-8")

    def rename():
        org.unlink()
        write_org(org="live-check-renamed", extra="formerly: [live-check]\n")
        write_event()
        write_term("Live Check Extension, renamed")

    def both():
        write_org(summary="An association the test writes, changed with its event.")
        write_event(title="Live Check Congress and Fair")

    return [
        ("add an organization", lambda: write_org(), True),
        ("add an event that mentions it", lambda: write_event(), True),
        ("change the event's summary", lambda: write_event(event_summary="A congress, summarized again."), True),
        ("rename the organization's title", lambda: write_org(name="Live Check Medical Association"), True),
        ("move the event into the past", lambda: write_event(date="2019-03-02"), True),
        ("add a glossary term", lambda: write_term("Live Check Extension"), True),
        ("use the term in the event", lambda: write_event(body="Its LCX was discussed."), True),
        ("change the term's expansion", lambda: write_term("Live Check Expansion"), True),
        ("break the event's YAML", lambda: event.write_text("---\ntitle: [unclosed\n---\nText.\n"), True),
        ("fix the event", lambda: write_event(), True),
        ("give the organization an unknown field", lambda: write_org(extra="colour: red\n"), True),
        ("remove the unknown field", lambda: write_org(extra=""), True),
        ("leave a placeholder in the event", lambda: write_event(event_summary="TODO write the summary"), True),
        ("replace the placeholder", lambda: write_event(event_summary="A congress with its summary."), True),
        ("edit a real event's text", lambda: first_event.write_text(
            event_text.rstrip("\n") + "\n\nA sentence the test adds.\n", encoding="utf-8"), True),
        ("edit a hand-written page", lambda: accessibility.write_text(
            page_text.rstrip("\n") + "\n\nA paragraph the test adds.\n", encoding="utf-8"), True),
        ("rename the organization (with its former id)", rename, True),
        ("change two entries at once", both, True),
        ("delete the organization while it is mentioned", lambda: renamed.unlink(), True),
        ("restore the organization", lambda: write_org(), True),
        ("delete the event", lambda: event.unlink(), True),
        ("restore the real event and page", lambda: (first_event.write_text(event_text, encoding="utf-8"),
                                                      accessibility.write_text(page_text, encoding="utf-8")), True),
        ("delete the term and the organization", lambda: (term.unlink(), renamed.unlink()), True),
    ]


def test_served_site_equals_a_clean_build_after_every_edit(tmp_path):
    project = copy_project(tmp_path / "project")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    server = Server(project, port, tmp_path / "tmp")
    try:
        deadline = time.monotonic() + 120
        while not server.count("Serving on"):
            assert server.process.poll() is None and time.monotonic() < deadline, "\n".join(server.lines)
            time.sleep(0.1)
        steps = edits(project)
        assert len(steps) >= 20
        incremental = 0
        for number, (name, edit, local) in enumerate(steps):
            since = len(server.lines)
            edit()
            output = server.wait(since)
            assert not any("Traceback" in line or "An error happened" in line for line in output), "\n".join(output)
            if local:  # the change took the incremental path, not MkDocs's full build
                assert any("Updated" in line for line in output), f"{name}:\n" + "\n".join(output)
                assert not any("Building the whole site" in line for line in output), f"{name}:\n" + "\n".join(output)
                incremental += 1
            assert_same(tree(server.site()), clean_build(project, tmp_path / f"clean-{number}", url), name)
        assert incremental >= 20
    finally:
        server.process.terminate()
        server.process.wait(timeout=10)
