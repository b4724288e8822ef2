"""The project's own promises: the README's commands are the ones CI runs."""

import re

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


def test_content_code_does_not_import_mkdocs():
    for path in (ROOT / "scripts" / "oirsite").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+mkdocs\b", source, re.M), path


def _guide_commands(name: str) -> list[str]:
    text = (ROOT / name).read_text(encoding="utf-8")
    return [line for block in re.findall(r"```bash\n(.*?)```", text, re.S) for line in block.splitlines()
            if line and not line.startswith("#")]


def test_every_tool_the_guides_name_is_installed_by_their_set_up():
    """A tool that CONTRIBUTING or the README asks for (.venv/bin/NAME) comes with the package or
    with an extra that the guide's own set-up line installs."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    base = {"python", "pip", "mkdocs"}  # the venv itself, and MkDocs's own command
    for guide in ("README.md", "CONTRIBUTING.md"):
        commands = _guide_commands(guide)
        extras = {extra for line in commands for extra in re.findall(r'-e "\.\[([\w,]+)\]"', line)}
        provided = set(base)
        for group in extras:
            for name in group.split(","):
                provided |= {re.split(r"[<>=\[ ]", dep)[0] for dep in project["optional-dependencies"][name]}
        for line in commands:
            for tool in re.findall(r"\.venv/bin/([\w-]+)", line):
                assert tool in provided, f"{guide}: '{line}' needs {tool}, which its set-up does not install"
    hook = (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "entry: .venv/bin/python scripts/build.py --check" in hook  # the same command as the guides


def test_the_workflows_install_the_web_editor_before_they_need_it():
    """The tests (REQUIRE_BROWSER) and the published /admin/ need node_modules: npm ci comes first."""
    for name, needs in (("pull-request.yml", "-m pytest"), ("publish.yml", "scripts/build.py")):
        text = (ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8")
        assert "npm ci" in text and text.index("npm ci") < text.index(needs), name
    assert "npm ci" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
