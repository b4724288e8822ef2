"""One mistake gives one message: an entry with errors keeps its id, so nothing else is reported."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from helpers import ROOT, check, messages

COLLECTIONS = sorted(p.name for p in (ROOT / "content").iterdir() if p.is_dir() and any(p.iterdir()))


def _copy_content(dest: Path) -> Path:
    for name in ("content", "docs", "records"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def _with_unknown_field(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":  # front matter: the field goes right after the opening line
        first, rest = text.split("\n", 1)
        path.write_text(f"{first}\nadress: somewhere\n{rest}", encoding="utf-8")
    else:
        path.write_text(f"adress: somewhere\n{text}", encoding="utf-8")


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_an_unknown_field_in_the_most_referenced_entry_gives_one_message(tmp_path: Path, collection: str):
    root = _copy_content(tmp_path)
    before = check(root)
    assert before.ok, messages(before)  # the real content passes: the mistake below is the only one
    counts = Counter(r.target for r in before.catalog.references
                     if before.catalog.entries[r.target].collection == collection)
    entries = before.catalog.in_collection(collection)
    target = max(entries, key=lambda e: (counts[e.id], e.id))
    _with_unknown_field(root / target.source)
    errors = check(root).diagnostics.errors
    assert [(e.path, e.code) for e in errors] == [(target.source, "unknown-field")], [e.format_text() for e in errors]


def test_every_error_inside_a_broken_entry_is_reported(tree):
    root = tree({"content/people/jane-doe.yml": """
        name: Jane Doe
        nick: JD
        roles:
          - organization: wmx
            title: President
    """})
    found = messages(check(root))
    errors = [m for m in found if ": error: " in m]
    assert len(errors) == 2, found
    assert errors[0].startswith("content/people/jane-doe.yml:2:1: error: unknown field 'nick'")
    assert errors[1].startswith("content/people/jane-doe.yml:4:19: error: 'roles[0].organization': there is no "
                                "organization with the id 'wmx'")
    assert "did you mean 'wma'?" in errors[1]  # a close spelling is offered


def test_no_hint_names_an_unrelated_entry(tree):
    root = tree({"content/events/day-2021.md": "---\ntitle: A day\ndate: 2021\norganizers: [who]\nsummary: A.\n---\n"})
    found = "\n".join(messages(check(root)))
    assert "there is no organization with the id 'who'" in found
    assert "did you mean" not in found  # 'wma' is one letter away from nothing the editor meant


def test_a_reference_to_a_renamed_entry_points_at_its_new_id(tree):
    root = tree({
        "content/organizations/wma.yml": None,
        "content/organizations/world-medical-association.yml": """
            name: World Medical Association
            acronym: WMA
            kind: international-medical-association
            summary: An international medical association.
            formerly: [wma]
        """,
    })
    found = [m for m in messages(check(root)) if ": error: " in m]
    assert found and all("'wma' was renamed: write 'world-medical-association'" in m for m in found), found


def test_a_file_renamed_by_hand_is_found_through_git(tree, tmp_path: Path):
    import subprocess

    root = tree()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "start"], cwd=root, check=True)
    (root / "content/organizations/wma.yml").rename(root / "content/organizations/world-medical.yml")
    found = [m for m in messages(check(root)) if ": error: " in m]
    assert found and all("'wma' was renamed: write 'world-medical'" in m for m in found), found


def test_a_reference_of_the_wrong_kind_to_a_broken_entry_is_still_reported(tree):
    root = tree({
        "content/people/jane-doe.yml": "name: Jane Doe\nnick: JD\n",
        "content/events/day-2021.md": "---\ntitle: A day\ndate: 2021\norganizers: [jane-doe]\nsummary: A.\n---\n",
    })
    found = messages(check(root))
    assert any("'organizers[0]': 'jane-doe' is a person, not an organization" in m for m in found), found
