"""An editor's routine edits never turn the suite red: the tests over the real content assert
invariants, so they pass on a copy of the content after each ordinary change (a new event dated
next year, a new organization, an entry nobody mentions deleted, an organization renamed with the
rename command). Each step runs those tests against the copy (OIRSITE_PROJECT), as CI would run them
on the editor's pull request. (The seed facts are left out: deleting one of them must fail.)"""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT, check, copy_project, messages, write_tree

CONTENT_TESTS = ["tests/test_site_build.py", "tests/test_syndication.py", "tests/test_sources.py"]


def _run_content_tests(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x",
                           "-k", "not seed_fact", *CONTENT_TESTS], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "OIRSITE_PROJECT": str(project), "NO_MKDOCS_2_WARNING": "1"})


def _unmentioned(project: Path) -> Path:
    """A fact-bearing entry that nothing refers to, with no seed fact of its own to lose: an event."""
    catalog = check(project).catalog
    targets = {r.target for r in catalog.references}
    candidates = [e for e in catalog.in_collection("events") if e.id not in targets]
    return project / sorted(candidates, key=lambda e: e.id)[0].source


@pytest.mark.slow
def test_routine_edits_keep_the_content_tests_green(tmp_path: Path):
    from oirsite.tools import rename

    project = copy_project(tmp_path / "project")
    source = sorted(p.stem for p in (project / "content/sources").glob("*.yml"))[0]
    next_year = dt.date.today().year + 1
    steps = {
        "an event dated next year": lambda: write_tree(project, {f"content/events/assembly-{next_year}.md": f"""
            ---
            title: The General Assembly of {next_year}
            date: {next_year}-10-05
            end: {next_year}-10-08
            place: {{city: Geneva, country: Switzerland}}
            organizers: [wma]
            sources: [{source}]
            reviewed: {dt.date.today().isoformat()}
            summary: The association's yearly assembly.
            ---

            The [[wma]] meets again.
        """}),
        "a new organization": lambda: write_tree(project, {"content/organizations/medecins-sans-frontieres.yml": f"""
            name: Médecins Sans Frontières
            acronym: MSF
            kind: {_any_kind(project)}
            summary: A medical humanitarian organization.
            sources: [{source}]
            reviewed: {dt.date.today().isoformat()}
        """}),
        "an entry nobody mentions deleted": lambda: _unmentioned(project).unlink(),
        "an organization renamed": lambda: rename.run(project, "organizations", "medecins-sans-frontieres", "msf",
                                                      out=io.StringIO()),
    }
    for name, edit in steps.items():
        edit()
        site = check(project)
        assert site.ok, f"{name}: {messages(site)}"
        result = _run_content_tests(project)
        assert result.returncode == 0, f"after {name}:\n{result.stdout[-3000:]}"


def _any_kind(project: Path) -> str:
    return next(e.data.kind for e in check(project).catalog.in_collection("organizations"))
