"""The bad-input corpus (tests/corpus/): every case is reported at its file and line, beside every
other problem of the run, with exit code 1, no traceback, and nothing executed."""

from __future__ import annotations

import re
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import BASE_FILES, ROOT, write_tree

pytestmark = pytest.mark.slow  # end-to-end (a command or a build per case): in the full suite and CI

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())
OTHER_PROBLEM = {"content/people/other-problem.yml": "nme: Someone\n"}


def run_check(root: Path, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "build.py"), "--check", "--root", str(root)],
                          cwd=root, capture_output=True, text=True, **kwargs)


def make_case(tmp_path: Path, case: str) -> Path:
    root = write_tree(tmp_path / "project", {**BASE_FILES, **OTHER_PROBLEM})
    shutil.copytree(CORPUS / case, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt"))
    return root


def error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": error: " in line]


@pytest.mark.parametrize("case", CASES)
def test_corpus_case(tmp_path, case):
    root = make_case(tmp_path, case)
    expected = (CORPUS / case / "expected.txt").read_text().split()
    result = run_check(root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    # Every message is one line (and its hint another): none can pass for a CI workflow command.
    assert not [line for line in result.stdout.splitlines() if line.lstrip().startswith(("::", "##["))]
    errors = error_lines(result.stdout)
    for location, code in zip(expected[::2], expected[1::2]):
        path, line = location.rsplit(":", 1)
        pattern = rf"^{re.escape(path)}:{line}:\d+: error: .*\[{code}\]$"
        assert any(re.match(pattern, e) for e in errors), f"expected {location} {code} in:\n{result.stdout}"
    # Everything else in the run is reported too ...
    assert any(e.startswith("content/people/other-problem.yml:1:1: error: unknown field 'nme'") for e in errors)
    # ... and nothing the case did not expect.
    case_files = {p.relative_to(CORPUS / case).as_posix() for p in (CORPUS / case).rglob("*") if p.is_file()}
    unexpected = [e for e in errors if e.split(":")[0] in case_files
                  and not any(e.startswith(loc + ":") and f"[{code}]" in e
                              for loc, code in zip(expected[::2], expected[1::2]))]
    assert unexpected == []
    assert not (root / "executed-by-yaml").exists()


def test_bom_and_crlf_files_are_accepted_and_read_as_text(tmp_path):
    from helpers import check
    root = make_case(tmp_path, "accepted-bom-crlf")
    site = check(root)
    assert site.catalog.get("windows").data.name == "Windows Org"
    assert "[World Medical Association](../organizations/wma.md)" in site.generated["events/crlf.md"].markdown


def test_symlink_out_of_the_repository_is_refused(tmp_path):
    secret = tmp_path / "outside" / "secret.yml"
    secret.parent.mkdir()
    secret.write_text("name: Secret\nkind: ama-council\nsummary: s\n")
    root = write_tree(tmp_path / "project", {**BASE_FILES, **OTHER_PROBLEM})
    (root / "content" / "organizations" / "leak.yml").symlink_to(secret)
    result = run_check(root)
    assert result.returncode == 1
    assert re.search(r"^content/organizations/leak\.yml:1:1: error: .*\[symlink-outside\]$", result.stdout, re.M)
    assert "Secret" not in result.stdout


def test_symlink_inside_the_repository_is_followed(tmp_path):
    root = write_tree(tmp_path / "project", BASE_FILES)
    (root / "shared.yml").write_text("name: Shared\nkind: ama-council\nsummary: s\n")
    (root / "content" / "organizations" / "shared.yml").symlink_to(root / "shared.yml")
    assert run_check(root).returncode == 0


def _limit_memory():
    limit = 2 * 1024 ** 3  # 2 GiB of address space: a billion laughs would need far more
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def test_alias_bomb_fails_fast_in_bounded_memory(tmp_path):
    root = make_case(tmp_path, "alias-bomb")
    result = run_check(root, preexec_fn=_limit_memory, timeout=60)
    assert result.returncode == 1
    assert "[yaml-alias]" in result.stdout and "MemoryError" not in result.stderr
