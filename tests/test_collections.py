"""Collections describe themselves: a new one is one spec file plus its folder, picked up everywhere."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT, check, copy_project, messages, write_tree

CORE = ROOT / "scripts" / "oirsite"


def _run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(project / "scripts" / "build.py"), "--root", str(project), *args],
                          capture_output=True, text=True, cwd=project, env={"NO_MKDOCS_2_WARNING": "1",
                                                                            "PATH": "/usr/bin:/bin"})


def test_a_new_collection_is_one_spec_file_and_its_folder(tmp_path: Path):
    project = copy_project(tmp_path / "project")
    shutil.copy(ROOT / "tests" / "fixtures" / "publications.py", project / "scripts/oirsite/collections/publications.py")
    source = sorted(p.stem for p in (project / "content/sources").iterdir())[0]  # any source of the real content
    write_tree(project, {
        "content/publications/annual-report.md": """
            ---
            title: The annual report
            publisher: wma
            sources: [SOURCE]
            summary: What the association did in a year.
            ---

            Written for the members.
        """.replace("SOURCE", source),
        "content/events/report-launch.md": """
            ---
            title: The report is launched
            date: 2024-05-02
            organizers: [wma]
            sources: [SOURCE]
            summary: The association launched its report.
            ---

            It presented [[annual-report]] to its members.
        """.replace("SOURCE", source),
    })
    built = _run(project, "--site-dir", str(tmp_path / "out"))
    assert built.returncode == 0, built.stdout + built.stderr
    out = tmp_path / "out"
    page = (out / "publications/annual-report/index.html").read_text(encoding="utf-8")
    assert "The annual report" in page and "Written for the members." in page
    assert 'href="../../organizations/wma/"' in page  # its reference to an organization is a link
    index = (out / "publications/index.html").read_text(encoding="utf-8")
    assert 'href="annual-report/"' in index
    organization = (out / "organizations/wma/index.html").read_text(encoding="utf-8")
    assert 'href="../../publications/annual-report/"' in organization  # the publisher's backlink
    event_backlink = 'href="../../events/report-launch/"'
    assert event_backlink in page  # the event that mentions it

    assert _run(project, "schemas").returncode == 0
    schema = json.loads((project / "schemas/publications.schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["publisher"]["pattern"] and "publisher" in schema["required"]

    created = _run(project, "new", "publication", "A second report")
    assert created.returncode == 0, created.stderr
    new_file = project / "content/publications/a-second-report.md"
    assert new_file.read_text(encoding="utf-8").startswith("---\n")
    checked = _run(project, "--check")  # the scaffolded entry is flagged until its TODOs are replaced
    assert "content/publications/a-second-report.md" in checked.stdout


def test_the_shared_rules_hold_for_a_new_collection_that_names_none(tmp_path: Path):
    """The publications file never mentions sources: a publication without any is still refused."""
    project = copy_project(tmp_path / "project")
    shutil.copy(ROOT / "tests" / "fixtures" / "publications.py", project / "scripts/oirsite/collections/publications.py")
    assert "source" not in (project / "scripts/oirsite/collections/publications.py").read_text(encoding="utf-8")
    write_tree(project, {"content/publications/unsourced.md": "---\ntitle: Unsourced\npublisher: wma\nsummary: S.\n---\n"})
    result = _run(project, "--check")
    assert result.returncode == 1
    assert re.search(r"content/publications/unsourced\.md:2:1: error: this publication states facts but names no "
                     r"source \[missing-source\]", result.stdout), result.stdout


def test_a_broken_reference_from_the_new_collection_is_located(tmp_path: Path):
    project = copy_project(tmp_path / "project")
    shutil.copy(ROOT / "tests" / "fixtures" / "publications.py", project / "scripts/oirsite/collections/publications.py")
    write_tree(project, {"content/publications/lost.md": "---\ntitle: Lost\npublisher: nobody\nsummary: S.\n---\n"})
    result = _run(project, "--check")
    assert result.returncode == 1
    assert re.search(r"content/publications/lost\.md:3:\d+: error: 'publisher': there is no organization", result.stdout)


def test_the_pipeline_never_asks_which_model_an_entry_has():
    """Stages read the specs; only a collection's own file knows its model."""
    pipeline = [CORE / name for name in ("site.py", "outputs/syndication.py", "markdown/process.py", "read/loader.py")]
    pipeline += sorted((CORE / "graph").glob("*.py")) + sorted((CORE / "pages").glob("*.py"))
    models = {"Organization", "Person", "Event", "Activity", "Committee", "Term"}
    for path in pipeline:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found = re.findall(r"isinstance\([^,]+,\s*\(?([\w, ]+)", line)
            named = {name.strip() for group in found for name in group.split(",")}
            assert not named & models, f"{path.name}:{number} dispatches on a model type: {line.strip()}"


def test_core_modules_stay_small_and_free_of_mkdocs():
    for path in sorted(CORE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        assert lines <= 330, f"{path.relative_to(ROOT)} has grown past about 300 lines ({lines})"
        assert not re.search(r"^\s*(from|import)\s+mkdocs", text, re.MULTILINE), path


def test_references_inside_code_and_comments_are_left_alone(tree):
    root = tree({"docs/code.md": """
        # Code

        Write `[[no-such-id]]` to link an entry, as in this block:

            [[another-missing-id]]

        <!-- [[a-commented-out-id]] -->

        But [[missing-for-real]] is checked.
    """})
    found = messages(check(root))
    unknown = [m for m in found if "unknown-reference" in m]
    assert len(unknown) == 1 and "docs/code.md:9:" in unknown[0] and "missing-for-real" in unknown[0]


def test_the_graph_holds_every_reference_with_its_place(tree):
    site = check(tree())
    graph = {(r.target, r.file, r.line, r.field) for r in site.catalog.references}
    assert ("wma", "content/people/jane-doe.yml", 4, "roles[0].organization") in graph
    assert ("wma", "content/events/assembly-2023.md", 11, None) in graph  # the inline [[wma|WMA]]
    assert ("jane-doe", "content/events/assembly-2023.md", 7, "people[0].person") in graph


@pytest.mark.parametrize("url", ["https://oir.example.org/sub", "https://oir.example.org/sub/"])
def test_a_site_url_with_or_without_a_slash_runs_the_content_flow_once(tmp_path: Path, monkeypatch, url: str):
    import oirsite.site

    monkeypatch.setenv("SITE_URL", url)
    calls = []
    original = oirsite.site._build_site
    monkeypatch.setattr(oirsite.site, "_build_site", lambda *a, **k: calls.append(1) or original(*a, **k))
    sys.path.insert(0, str(ROOT / "scripts"))
    import build as build_script

    site = build_script.check(ROOT, "text")
    assert site.settings.site_url == "https://oir.example.org/sub/"
    assert build_script.build(site, tmp_path / "site")
    assert len(calls) == 1


@pytest.mark.parametrize("collection", sorted(__import__("oirsite.collections", fromlist=["registry"]).registry()))
def test_an_id_that_is_a_generated_page_is_refused_where_it_stands(tree, collection):
    """'index' would replace (or be replaced by) the collection's index page, silently."""
    site = check(tree({f"content/{collection}/index.yml": "name: X\n"}))
    errors = [(d.path, d.code) for d in site.diagnostics.errors]
    assert errors == [(f"content/{collection}/index.yml", "bad-id")]


def test_a_comment_opener_in_a_code_span_is_text_and_hides_nothing(tree):
    site = check(tree({"docs/comment.md": "# Comments\n\nWrite `<!--` to open a comment. See [[wma]] and [[nobody]].\n"}))
    page = site.hand_written["comment.md"].markdown
    assert "[World Medical Association](organizations/wma.md)" in page  # the reference after it is resolved
    assert any("nobody" in m and "unknown-reference" in m for m in messages(site))


@pytest.mark.parametrize("setting, value", [("recent_events", "\"3\""), ("review_max_age_days", "0")])
def test_mkdocs_and_the_check_read_the_settings_the_same_way(tmp_path: Path, setting, value):
    """A wrong setting is one located message in the check and in MkDocs's own build (no traceback)."""
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    text = re.sub(rf"^(\s*{setting}:).*$", rf"\1 {value}", config.read_text(encoding="utf-8"), flags=re.M)
    config.write_text(text, encoding="utf-8")
    where = f"mkdocs.yml:{text[:text.index(setting)].count(chr(10)) + 1}:1: error: extra.{setting}"
    checked = _run(project, "--check")
    assert checked.returncode == 1 and where in checked.stdout, checked.stdout
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "out")],
                           cwd=project, capture_output=True, text=True, env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"})
    assert built.returncode != 0 and where in built.stderr and "Traceback" not in built.stderr, built.stderr
