"""The project's own promises: the README's commands are the ones CI runs."""

import re
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from helpers import ROOT


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, re.S)
    return [line for block in blocks[:2] for line in block.splitlines() if line and not line.startswith("#")]


def test_readme_starts_with_a_build_command_and_a_test_command():
    build, test = readme_commands()
    assert build.startswith("python3 -m venv .venv") and "scripts/build.py" in build
    assert test.startswith("python3 -m venv .venv") and "pytest" in test


def test_ci_runs_the_readme_test_command():
    _, test = readme_commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test in ci


def test_mkdocs_stays_below_2():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"mkdocs>=1.6.1,<2"' in pyproject
    for lock in ("site.txt", "test.txt", "editors.txt"):
        assert int(_locked(lock)["mkdocs"].split(".")[0]) < 2, lock


def test_content_code_does_not_import_mkdocs():
    for path in (ROOT / "scripts" / "oirsite").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+mkdocs\b", source, re.M), path


def _guide_commands(name: str) -> list[str]:
    text = (ROOT / name).read_text(encoding="utf-8")
    return [line for block in re.findall(r"```bash\n(.*?)```", text, re.S) for line in block.splitlines()
            if line and not line.startswith("#")]


def _locked(name: str) -> dict[str, str]:
    """The packages a lock file in requirements/ pins: {normalized name: version}."""
    text = (ROOT / "requirements" / name).read_text(encoding="utf-8")
    return {canonicalize_name(found): version
            for found, version in re.findall(r"^([A-Za-z0-9][\w.-]*)==([^\s;\\]+)", text, re.M)}


def test_every_tool_the_guides_name_is_installed_by_their_set_up():
    """A tool that CONTRIBUTING or the README asks for (.venv/bin/NAME) comes with a package that the
    guide's own set-up line installs from a lock file."""
    base = {"python", "pip", "mkdocs"}  # the venv itself, and MkDocs's own command
    for guide in ("README.md", "CONTRIBUTING.md"):
        commands = _guide_commands(guide)
        provided = set(base)
        for line in commands:
            for lock in re.findall(r"-r requirements/([\w.-]+)", line):
                provided |= set(_locked(lock))
        for line in commands:
            for tool in re.findall(r"\.venv/bin/([\w-]+)", line):
                assert tool in provided, f"{guide}: '{line}' needs {tool}, which its set-up does not install"
    hook = (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "entry: .venv/bin/python scripts/build.py --check" in hook  # the same command as the guides


@pytest.mark.parametrize("lock, extras", [("site.txt", ()), ("test.txt", ("test",)), ("editors.txt", ("editors",))])
def test_each_lock_file_pins_every_dependency_within_its_range_with_hashes(lock, extras):
    """The lock files are what every install uses: a dependency added to pyproject.toml without
    `bash scripts/lock.sh`, or a range the pinned version no longer meets, fails here."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = [Requirement(line) for line in project["project"]["dependencies"]]
    wanted += [Requirement(line) for extra in extras for line in project["project"]["optional-dependencies"][extra]]
    wanted += [Requirement(line) for line in project["build-system"]["requires"]]  # --no-build-isolation
    pinned = _locked(lock)
    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"requirements/{lock} lacks {name}: run bash scripts/lock.sh"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"requirements/{lock} pins {name}=={pinned[name]}, outside {requirement}: run bash scripts/lock.sh")
    text = (ROOT / "requirements" / lock).read_text(encoding="utf-8")
    for entry in (e for e in re.split(r"\n(?=[A-Za-z0-9])", text) if re.match(r"[A-Za-z0-9][\w.-]*==", e)):
        assert "--hash=sha256:" in entry, f"requirements/{lock}: {entry.split()[0]} has no hash"
    assert set(_locked("site.txt")) <= set(pinned)  # the test and editors locks add to the build's


def test_every_install_path_uses_the_lock_files():
    """The README, CONTRIBUTING, .ci/run and the workflows install from requirements/ in hash-checking
    mode, never from pyproject.toml's ranges (which would give a different set each day)."""
    paths = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / ".ci" / "run",
             *sorted((ROOT / ".github" / "workflows").glob("*.yml"))]
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if "/bin/pip install" not in line or "--upgrade" in line:  # a command, not prose about one
                continue
            assert "--require-hashes -r requirements/" in line or "--no-deps --no-build-isolation -e ." in line, (
                f"{path.name}: '{line.strip()}' installs without the lock")


def test_the_workflows_install_the_web_editor_before_they_need_it():
    """The tests (REQUIRE_BROWSER) and the published /admin/ need node_modules: npm ci comes first."""
    for name, needs in (("pull-request.yml", "-m pytest"), ("publish.yml", "scripts/build.py")):
        text = (ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8")
        assert "npm ci" in text and text.index("npm ci") < text.index(needs), name
    assert "npm ci" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_workflow_step_that_builds_goes_through_build_py():
    """build.py prints what MkDocs says with control characters escaped and no line that starts a
    workflow command: a step that ran MkDocs itself would print a hostile file name raw."""
    for path in sorted((ROOT / ".github" / "workflows").glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"mkdocs\s+(build|serve|gh-deploy)", text), path.name
        assert not re.search(r"zensical\s+(build|serve)", text), path.name


def test_what_mkdocs_says_during_build_py_is_printed_escaped():
    import logging
    import sys
    sys.path.insert(0, str(ROOT / "scripts"))
    import build
    record = logging.LogRecord("mkdocs", logging.WARNING, __file__, 1, "Doc file 'a\n::error::x.md' has a link", None, None)
    text = build._Shown("%(levelname)-7s -  %(message)s").format(record)
    assert "\n" not in text and not any(line.startswith("::") for line in text.splitlines())
