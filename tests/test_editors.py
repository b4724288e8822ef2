"""The editors' workflow: schemas, scaffolding, annotations, workflows and pre-commit."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from jsonschema import Draft202012Validator

from helpers import ROOT, check, messages, run_cli
from oirsite.core.diagnostics import Diagnostics
from oirsite.read.settings import Settings
from oirsite.site import build_site
from oirsite.collections import registry

COLLECTIONS = registry()
from oirsite.tools.schemas import render_schemas
from oirsite.read.source import read_source, split_front_matter
from oirsite.read.yamlread import parse_yaml


def test_committed_schemas_match_the_models():
    for name, text in render_schemas().items():
        path = ROOT / "schemas" / name
        assert path.is_file(), f"{name} is missing: run python scripts/build.py schemas"
        assert path.read_text(encoding="utf-8") == text, f"{name} is out of date: run python scripts/build.py schemas"


def _fields(path):
    diagnostics = Diagnostics()
    source = read_source(path, ROOT, diagnostics)
    text = source.text
    if path.suffix == ".md":
        text = split_front_matter(source, diagnostics)[0]
    value, _ = parse_yaml(text, source.path, diagnostics)
    assert not diagnostics
    return value


def _validator(collection: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads((ROOT / "schemas" / f"{collection}.schema.json").read_text()))


@pytest.mark.parametrize("collection", sorted(COLLECTIONS))
def test_schemas_accept_every_real_content_file(collection):
    validator = _validator(collection)
    files = sorted((ROOT / "content" / collection).iterdir())
    assert files
    for path in files:
        errors = [e.message for e in validator.iter_errors(_fields(path))]
        assert errors == [], f"{path}: {errors}"


def test_schemas_reject_a_wrong_entry():
    validator = _validator("organizations")
    wrong = {"name": "X", "kind": "club", "summary": "s", "nmae": "typo", "website": "http://x.org"}
    messages_ = " ".join(e.message for e in validator.iter_errors(wrong))
    assert "'club'" in messages_ and "nmae" in messages_ and "'http://x.org'" in messages_
    assert list(_validator("events").iter_errors({"title": "X", "date": "2023-1", "summary": "s"}))


def test_vscode_applies_each_schema_to_its_folder():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text())
    for collection in COLLECTIONS:
        assert f"content/{collection}/*.yml" in settings["yaml.schemas"][f"./schemas/{collection}.schema.json"]
    recommended = json.loads((ROOT / ".vscode" / "extensions.json").read_text())["recommendations"]
    assert "redhat.vscode-yaml" in recommended


SCAFFOLDS = {
    "event": ["new", "event", "WMA Council: Seoul 2024", "--date", "2024-04-18", "--end", "2024-04-20"],
    "organization": ["new", "organization", "World Bank", "--kind", "intergovernmental-organization"],
    "person": ["new", "person", "Jane Roe"],
    "activity": ["new", "activity", "Advocacy"],
    "committee": ["new", "committee", "Standing Committee on X", "--acronym", "SCOX", "--type", "project"],
    "term": ["new", "term", "NGO", "--expansion", "Non-governmental organization"],
}
SCAFFOLD_PATHS = {
    "event": "content/events/wma-council-seoul-2024.md",
    "organization": "content/organizations/world-bank.md",
    "person": "content/people/jane-roe.md",
    "activity": "content/activities/advocacy.md",
    "committee": "content/committees/scox.md",
    "term": "content/glossary/ngo.yml",
}


@pytest.mark.parametrize("kind", sorted(SCAFFOLDS))
def test_scaffolded_entry_passes_the_check_unchanged(tree, kind):
    root = tree({"content/organizations/ifmsa.yml": "name: IFMSA\nkind: medical-students-federation\nsummary: s\n"})
    result = run_cli("--root", str(root), *SCAFFOLDS[kind])
    assert result.returncode == 0, result.stderr
    path = root / SCAFFOLD_PATHS[kind]
    assert path.is_file() and f"Created {SCAFFOLD_PATHS[kind]}" in result.stdout
    draft = build_site(root, Settings(root, drafts=True), Diagnostics())  # as mkdocs serve sees it
    assert draft.diagnostics.errors == [], messages(draft)
    site = check(root)  # as the check and the build see it: an unfinished entry is never published
    assert {(d.path, d.code) for d in site.diagnostics.errors} <= {(SCAFFOLD_PATHS[kind], "placeholder")}
    assert bool(site.diagnostics.errors) == (kind != "term"), "the TODOs of a new entry fail until replaced"
    before = path.read_bytes()
    again = run_cli("--root", str(root), *SCAFFOLDS[kind])
    assert again.returncode == 1 and "already exists" in again.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize("args, message", [
    (["new", "event", "X", "--date", "2023-02-30"], "February 2023 has 28 days"),
    (["new", "event", "X"], "needs --date"),
    (["new", "organization", "X"], "needs --kind"),
    (["new", "person", "X", "--id", "../escape"], "not a valid id"),
    (["new", "person", "Jane Doe"], "already exists"),  # the id is taken in another collection's folder
    (["new", "committee", "X", "--type", "project"], "needs --acronym"),
])
def test_scaffolder_refuses_with_a_reason(tree, args, message):
    root = tree({"content/organizations/jane-doe.yml": "name: Jane\nkind: ama-council\nsummary: s\n"})
    result = run_cli("--root", str(root), *args)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (root / "escape.yml").exists() and not (root / "content" / "escape.yml").exists()


def _workflow_runs(name: str) -> list[str]:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())
    return [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]


def _readme_commands() -> tuple[str, str]:
    blocks = re.findall(r"```bash\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    build, test = ([line for line in block.splitlines() if line and not line.startswith("#")][0] for block in blocks[:2])
    return build, test


def test_pull_request_workflow_runs_the_readme_commands_and_the_annotated_check():
    build, test = _readme_commands()
    runs = _workflow_runs("pull-request.yml")
    assert test in runs and build in runs
    assert any(run.endswith("scripts/build.py --check --format github") for run in runs)
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pull-request.yml").read_text())
    assert "pull_request" in workflow[True]  # YAML reads the key 'on' as true
    uses = [step["uses"] for step in workflow["jobs"]["check-test-build"]["steps"] if "uses" in step]
    assert any(u.startswith("actions/upload-artifact@") for u in uses)


def test_publish_workflow_builds_with_the_readme_command_and_deploys_to_pages():
    build, _ = _readme_commands()
    assert build in _workflow_runs("publish.yml")
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text())
    assert workflow[True]["push"]["branches"] == ["main"]
    uses = [s["uses"] for job in workflow["jobs"].values() for s in job["steps"] if "uses" in s]
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)


@pytest.mark.parametrize("name", ["pull-request.yml", "publish.yml"])
def test_actions_are_pinned_to_versions_and_python_is_cached(name):
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    for step in steps:
        if "uses" in step:
            assert re.search(r"@v\d+\.\d+\.\d+$", step["uses"]), step["uses"]
    python = [s for s in steps if s.get("uses", "").startswith("actions/setup-python@")]
    assert python and python[0]["with"]["cache"] == "pip"


def test_pre_commit_runs_the_fast_check_on_content_changes():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    [hook] = [h for repo in config["repos"] for h in repo["hooks"]]
    assert hook["entry"] == ".venv/bin/python scripts/build.py --check" and hook["language"] == "system"
    assert re.match(hook["files"], "content/events/x.md") and re.match(hook["files"], "docs/index.md")
    assert not re.match(hook["files"], "scripts/build.py")


def test_contributing_explains_every_diagnostic_code():
    from oirsite.core.diagnostics import CODES
    guide = (ROOT / "CONTRIBUTING.md").read_text()
    missing = sorted(code for code in CODES if f"| `{code}`" not in guide)
    assert missing == []
