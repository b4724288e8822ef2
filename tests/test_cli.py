"""The command line: exit codes and messages, as an editor or CI sees them."""

import re
import subprocess
import sys

from helpers import ROOT, run_cli, write_tree
from oirsite.outputs.outdir import MARKER, MARKER_TEXT


def test_check_of_the_real_content_passes_and_lists_open_items():
    result = run_cli("--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^0 errors, \d+ warnings$", result.stdout, re.MULTILINE)
    assert "content/organizations/ifmsa.md:" in result.stdout and "Secretary General" in result.stdout
    assert "Traceback" not in result.stderr


def test_check_fails_with_every_problem_sorted_and_counted(tree):
    root = tree({
        "content/organizations/zz.yml": "name: X\nkind: ama-council\nsummary: s\nparent: nobody\n",
        "content/events/aa.md": "---\ntitle: X\ndate: 2023-02-30\nsummary: s\n---\n",
    })
    result = run_cli("--check", "--root", str(root))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    errors = [line for line in lines if ": error: " in line]
    assert errors == [
        "content/events/aa.md:3:7: error: 'date': '2023-02-30' is not a date: February 2023 has 28 days [invalid-value]",
        "content/organizations/zz.yml:4:9: error: 'parent': there is no organization with the id 'nobody' [unknown-reference]",
    ]
    # the warnings: the three organizations open with one word (short-opening), and nothing else
    assert lines[-1] == "2 errors, 3 warnings"
    assert [line.rsplit(" [", 1)[1] for line in lines if ": warning: " in line] == ["short-opening]"] * 3
    assert "Traceback" not in result.stderr


def test_github_format_prints_workflow_commands(tree):
    root = tree({"content/organizations/zz.yml": "name: X\nkind: ama-council\nsummary: s\nparent: nobody\n"})
    result = run_cli("--check", "--format", "github", "--root", str(root))
    assert result.returncode == 1
    assert ("::error file=content/organizations/zz.yml,line=4,col=9,title=unknown-reference::"
            "'parent': there is no organization with the id 'nobody'") in result.stdout


def test_a_wrong_flag_is_a_usage_error_without_traceback():
    result = run_cli("--chek")
    assert result.returncode == 2
    assert "unrecognized arguments: --chek" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_failed_build_keeps_the_previous_site(tmp_path):
    from helpers import copy_project
    root = copy_project(tmp_path / "project")
    site = root / "site"
    site.mkdir()
    (site / "marker.txt").write_text("previous build")
    (site / MARKER).write_text(MARKER_TEXT)  # made by an earlier build: the build may replace it
    write_tree(root, {"docs/oir.md": "# OIR\n\n[[no-such-entry]]\n"})
    result = run_cli("--root", str(root), cwd=root)
    assert result.returncode == 1
    assert (site / "marker.txt").read_text() == "previous build"


def test_help_names_both_modes():
    result = subprocess.run([sys.executable, str(ROOT / "scripts/build.py"), "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "--check" in result.stdout and "--format" in result.stdout
