"""The live preview's content step (oirsite.tools.preview and the build cache), without the engine: a
build with the cache equals one without, after any edit; and the pages a change touches are the
ones whose Markdown, glossary or link targets changed, no more and no fewer. (The engine's part,
against `mkdocs serve`, is tests/test_live_preview.py.)"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers import BASE_FILES, write_tree
from oirsite.core.diagnostics import Diagnostics
from oirsite.tools.preview import page_changes, pages_of
from oirsite.read.settings import Settings
from oirsite.site import BuildCache, build_site


def build(root: Path, cache: BuildCache | None = None):
    return build_site(root, Settings(root, drafts=True), Diagnostics(), cache=cache)


def same(a, b) -> None:
    assert pages_of(a) == pages_of(b)
    assert sorted(a.diagnostics) == sorted(b.diagnostics)
    assert a.abbreviations == b.abbreviations
    assert a.render_files().keys() == b.render_files().keys()


EDITS = [
    {"content/events/day-2021.md": BASE_FILES["content/events/day-2021.md"].replace("A day.", "A day, changed.")},
    {"content/organizations/ama.yml": BASE_FILES["content/organizations/ama.yml"].replace("American", "Amerikan")},
    {"content/organizations/new-org.yml": "name: New Org\nkind: club\nsummary: Broken kind.\n"},  # an error
    {"content/organizations/new-org.yml": "name: New Org\nkind: national-medical-association\nsummary: S.\n"},
    {"content/events/day-2021.md": "---\ntitle: [unclosed\n---\n"},  # broken YAML: its id stays known
    {"content/events/day-2021.md": BASE_FILES["content/events/day-2021.md"]},
    {"content/glossary/nmo.yml": "term: NMO\nexpansion: National Medical Organization\nrefers_to: ama\n"},
    {"content/organizations/new-org.yml": None},
    {"docs/index.md": BASE_FILES["docs/index.md"] + "\nA sentence about the NMO.\n"},
]


def test_a_build_with_the_cache_equals_a_clean_build_after_every_edit(tmp_path):
    root = write_tree(tmp_path, BASE_FILES)
    cache = BuildCache()
    same(build(root, cache), build(root))
    for edit in EDITS:
        write_tree(root, edit)
        same(build(root, cache), build(root))
    # It holds the files of the last build only: nothing of a deleted file stays.
    assert {rel for rel, _ in cache.parsed} == {p.relative_to(root).as_posix()
                                                  for p in (root / "content").rglob("*.*")}


def test_the_cache_tells_two_saves_apart_within_one_tick_of_the_clock(tmp_path):
    """Keyed by the text, not the time stamp: an edit of the same size with the same time stamp
    (two saves within one tick of the file system's clock) is still seen."""
    root = write_tree(tmp_path, BASE_FILES)
    cache = BuildCache()
    path = root / "content/events/day-2021.md"
    before = build(root, cache)
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("A day.", "B day."), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    after = build(root, cache)
    assert pages_of(before)["events/day-2021.md"] != pages_of(after)["events/day-2021.md"]
    assert "B day." in pages_of(after)["events/day-2021.md"]


def changes_after(tmp_path: Path, edit: dict):
    root = write_tree(tmp_path, BASE_FILES)
    old = build(root)
    write_tree(root, edit)
    return page_changes(old, build(root))


def test_an_edit_touches_the_entry_its_mentions_and_its_lists_not_the_rest(tmp_path):
    changes = changes_after(tmp_path, {"content/organizations/wma.yml": BASE_FILES["content/organizations/wma.yml"]
                                       .replace("World Medical Association", "World Medical Assembly")})
    assert not changes.added and not changes.removed
    assert {"organizations/wma.md", "organizations/index.md", "events/assembly-2023.md",
            "people/jane-doe.md"} <= set(changes.changed)
    assert "organizations/ama.md" not in changes.changed and "events/day-2021.md" not in changes.changed


def test_a_body_edit_touches_only_its_page(tmp_path):
    changes = changes_after(tmp_path, {"content/events/assembly-2023.md": BASE_FILES["content/events/assembly-2023.md"]
                                       .replace("met in Kigali.", "met in Kigali, in October.")})
    assert changes.changed == ["events/assembly-2023.md"] and not changes.added and not changes.removed


def test_no_edit_touches_nothing(tmp_path):
    assert not changes_after(tmp_path, {})


def test_an_added_entry_is_added_and_the_lists_that_show_it_change(tmp_path):
    changes = changes_after(tmp_path, {"content/organizations/new-org.yml":
                                       "name: New Org\nkind: national-medical-association\nsummary: S.\n"})
    assert changes.added == ["organizations/new-org.md"] and not changes.removed
    assert "organizations/index.md" in changes.changed


@pytest.mark.parametrize("broken", ["---\ntitle: [unclosed\n---\n", None])
def test_a_broken_or_deleted_entry_removes_its_page_and_touches_its_mentions(tmp_path, broken):
    changes = changes_after(tmp_path, {"content/organizations/wma.yml": broken or None})
    assert changes.removed == ["organizations/wma.md"] and not changes.added
    assert "events/assembly-2023.md" in changes.changed


def test_a_glossary_change_touches_the_pages_that_use_the_acronym(tmp_path):
    root = write_tree(tmp_path, {**BASE_FILES, "content/glossary/nmo.yml":
                                 "term: NMO\nexpansion: National Medical Organization\nrefers_to: ama\n",
                                 "docs/index.md": BASE_FILES["docs/index.md"] + "\nThe NMO.\n"})
    old = build(root)
    write_tree(root, {"content/glossary/nmo.yml": "term: NMO\nexpansion: National Medical Office\nrefers_to: ama\n"})
    changes = page_changes(old, build(root))
    assert "index.md" in changes.changed  # its Markdown is the same: the abbreviation it uses is not
    assert "events/day-2021.md" not in changes.changed


def test_a_page_that_links_to_a_page_that_came_is_made_again(tmp_path):
    """A Markdown link to a page resolves only once that page exists: the linking page changes
    although its Markdown does not."""
    root = write_tree(tmp_path, {**BASE_FILES, "docs/about.md": "# About\n\nSee [the new org](organizations/new-org.md).\n"})
    old = build(root)
    write_tree(root, {"content/organizations/new-org.yml": "name: New Org\nkind: national-medical-association\nsummary: S.\n"})
    changes = page_changes(old, build(root))
    assert "about.md" in changes.changed
