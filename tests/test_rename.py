"""Renaming an entry (``oirsite.tools.rename``) and the redirects of former ids (``oirsite.outputs.redirects``)."""

from __future__ import annotations

import io
import posixpath
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from helpers import check, copy_project, write_tree
from oirsite.tools import rename
from oirsite.core.diagnostics import Diagnostics
from oirsite.core.paths import page_file, page_url
from oirsite.graph.rules import check_former_ids
from oirsite.outputs.redirects import redirect_pages


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for folder in ("content", "docs") for p in sorted((root / folder).rglob("*")) if p.is_file()}


def do(root: Path, spec: str, new: str, *flags: str) -> tuple[int, str, str]:
    out = io.StringIO()
    collection, old = spec.split("/")
    err = io.StringIO()
    import contextlib
    with contextlib.redirect_stderr(err):
        code = rename.run(root, collection, old, new, "--dry-run" in flags, out)
    return code, out.getvalue(), err.getvalue()


def most_referenced_organization(root: Path) -> tuple[str, set[str]]:
    """An organization referenced both from fields and inline, in the most files (chosen from the
    content as it is, so the test holds whatever the content becomes)."""
    site = check(root)
    fields, inline = defaultdict(set), defaultdict(set)
    for ref in site.catalog.references:
        (fields if ref.field else inline)[ref.target].add(ref.file)
    candidates = [(len(fields[i] | inline[i]), i) for i in fields.keys() & inline.keys()
                  if site.catalog.get(i, "organizations")]
    assert candidates, "the real content has an organization referenced from fields and inline text"
    _, chosen = max(candidates)
    return chosen, fields[chosen] | inline[chosen]


def test_renaming_an_organization_in_a_copy_of_the_real_content(tmp_path):
    root = copy_project(tmp_path)
    old, referring = most_referenced_organization(root)
    assert len(referring) >= 2
    before = snapshot(root)
    [old_file] = [p for p in before if p.startswith(f"content/organizations/{old}.")]
    new = "zz-renamed-organization"

    code, out, err = do(root, f"organizations/{old}", new)
    assert code == 0, err
    after = snapshot(root)
    new_file = old_file.replace(f"/{old}.", f"/{new}.")
    assert old_file not in after and new_file in after
    assert set(after) == set(before) - {old_file} | {new_file}
    changed = {path for path in before if path != old_file and after[path] != before[path]}
    assert changed == referring - {old_file}
    for path in changed:  # only the id strings differ
        text, was = after[path].decode(), before[path].decode()
        assert new not in was and text.count(new) >= 1
        assert text.replace(new, old) == was, path
        assert f"{path.split(':')[0]}" in out
    renamed = after[new_file].decode()
    added = [line for line in renamed.splitlines() if line.startswith("formerly:")]
    assert added == [f"formerly: [{old}]"]
    assert renamed.replace(f"formerly: [{old}]\n", "", 1).replace(new, old) == before[old_file].decode()

    site = check(root)
    assert site.ok, [d.format_text() for d in site.diagnostics.errors]
    assert all(ref.target != old for ref in site.catalog.references)
    assert site.catalog.get(new).data.formerly == [old]

    # A second rename keeps both former ids, and both old addresses lead to the newest page.
    code, _, err = do(root, f"organizations/{new}", "zz-renamed-again")
    assert code == 0, err
    site = check(root)
    assert site.ok
    entry = site.catalog.get("zz-renamed-again")
    assert entry.data.formerly == [old, new]
    pages = redirect_pages(site.catalog, "https://example.org/", use_directory_urls=True)
    for former in (old, new):
        assert 'url=../zz-renamed-again/"' in pages[f"organizations/{former}/index.html"]


TREE = {
    "content/organizations/wma.yml": "name: World Medical Association\r\nacronym: WMA\r\n"
                                     "kind: international-medical-association\r\nsummary: An association. # wma\r\n",
    "content/organizations/ama.yml": "\ufeffname: American Medical Association\nkind: national-medical-association\n"
                                     "summary: 'A national one.'\n",
    "content/people/jane-doe.yml": "# Jane\nname: Jane Doe\nroles:\n  - organization: 'wma'  # quoted\n"
                                   "    title: President\n  - organization: \"wma\"\n    title: Member\n",
    "content/events/assembly-2023.md": "---\ntitle: The 2023 Assembly\ndate: 2023-10-04\n"
                                       "organizers: [ama,wma, \"wma\" ]\nsummary: It met.\n---\n\n"
                                       "The [[ wma | WMA ]] met; [[wma]] again, not `[[wma]]` (code), "
                                       "and [its page](../organizations/wma.md#top), [[wmax]] no.\n",
    "content/organizations/wmax.yml": "name: Other\nkind: international-medical-association\nsummary: s\n",
    "docs/index.md": "# Home\n\nSee [[wma]] and [the page][p].\n\n[p]: organizations/wma.md\n",
}


def test_only_the_id_changes_quoting_comments_line_endings_and_bom_stay(tmp_path):
    root = write_tree(tmp_path, TREE)
    assert check(root).ok
    code, out, err = do(root, "organizations/wma", "world-medical")
    assert code == 0, err
    assert not (root / "content/organizations/wma.yml").exists()
    assert (root / "content/organizations/world-medical.yml").read_bytes() == (
        TREE["content/organizations/wma.yml"] + "formerly: [wma]\r\n").encode()
    assert (root / "content/people/jane-doe.yml").read_text() == TREE["content/people/jane-doe.yml"].replace(
        "'wma'", "'world-medical'").replace('"wma"', '"world-medical"')
    assert (root / "content/events/assembly-2023.md").read_text() == (
        "---\ntitle: The 2023 Assembly\ndate: 2023-10-04\norganizers: [ama,world-medical, \"world-medical\" ]\n"
        "summary: It met.\n---\n\nThe [[ world-medical | WMA ]] met; [[world-medical]] again, not `[[wma]]` (code), "
        "and [its page](../organizations/world-medical.md#top), [[wmax]] no.\n")
    assert (root / "docs/index.md").read_text() == (
        "# Home\n\nSee [[world-medical]] and [the page][p].\n\n[p]: organizations/world-medical.md\n")
    assert (root / "content/organizations/ama.yml").read_bytes() == TREE["content/organizations/ama.yml"].encode()
    assert "content/events/assembly-2023.md:8: link ../organizations/wma.md" in out
    assert check(root).ok


@pytest.mark.parametrize("formerly, expected", [
    ("formerly: []\n", "formerly: [wma]\n"),
    ("formerly: [first]\n", "formerly: [first, wma]\n"),
    ("formerly:\n  - first  # the oldest\n", "formerly:\n  - first  # the oldest\n  - wma\n"),
    ("formerly:\n- first", "formerly:\n- first\n- wma\n"),
])
def test_an_existing_formerly_list_is_extended(tmp_path, formerly, expected):
    text = "name: W\nkind: international-medical-association\nsummary: s\n"
    root = write_tree(tmp_path, {"content/organizations/wma.yml": text + formerly})
    code, _, err = do(root, "organizations/wma", "w")
    assert code == 0, err
    assert (root / "content/organizations/w.yml").read_text() == text + expected


def test_a_markdown_entry_gets_its_formerly_line_in_the_front_matter(tmp_path):
    text = "---\nname: W\nkind: international-medical-association\nsummary: s\n---\n\nBody.\n"
    root = write_tree(tmp_path, {"content/organizations/wma.md": text})
    assert do(root, "organizations/wma", "w")[0] == 0
    assert (root / "content/organizations/w.md").read_text() == text.replace("---\n\n", "formerly: [wma]\n---\n\n")


@pytest.mark.parametrize("spec, new, message", [
    ("organizations/wma", "ama", "already used by content/organizations/ama.yml"),
    ("organizations/wma", "jane-doe", "already used by content/people/jane-doe.yml"),  # another collection
    ("organizations/wma", "Not Valid", "is not a valid id"),
    ("organizations/wma", "../escape", "is not a valid id"),
    ("organizations/nobody", "x", "there is no entry 'nobody'"),
    ("people/wma", "x", "'wma' is in organizations, not in people"),
    ("places/wma", "x", "'places' is not a collection"),
    ("organizations/wma", "index", "already a page of the site"),
])
def test_refusals_say_why_and_change_nothing(tmp_path, spec, new, message):
    root = write_tree(tmp_path, TREE)
    before = snapshot(root)
    code, out, err = do(root, spec, new)
    assert code == 1 and message in err and "Traceback" not in err
    assert snapshot(root) == before


def test_a_tree_that_fails_the_check_is_not_touched(tmp_path):
    root = write_tree(tmp_path, {**TREE, "content/people/jane-doe.yml": "name: Jane\nroles:\n  - organization: nobody\n"
                                 "    title: T\n"})
    before = snapshot(root)
    code, _, err = do(root, "organizations/wma", "w")
    assert code == 1 and "does not pass the check" in err and "content/people/jane-doe.yml:3:" in err
    assert snapshot(root) == before


def test_dry_run_shows_the_plan_and_writes_nothing(tmp_path):
    root = write_tree(tmp_path, TREE)
    before = snapshot(root)
    code, out, _ = do(root, "organizations/wma", "w", "--dry-run")
    assert code == 0 and snapshot(root) == before
    assert "Would rename content/organizations/wma.yml -> content/organizations/w.yml" in out
    assert "content/people/jane-doe.yml:4: 'roles[0].organization': wma -> w" in out
    assert "Nothing was written" in out


def test_a_failure_while_writing_puts_every_file_back(tmp_path, monkeypatch):
    root = write_tree(tmp_path, TREE)
    before = snapshot(root)
    real, calls = rename.write_atomic, []

    def failing(target, data, like):  # the disk fills up at the third file
        calls.append(target)
        if len(calls) == 3:
            raise OSError(28, "No space left on device", str(target))
        return real(target, data, like)

    monkeypatch.setattr(rename, "write_atomic", failing)
    code, _, err = do(root, "organizations/wma", "w")
    assert code == 1 and "No space left on device" in err and "nothing was changed" in err
    assert snapshot(root) == before


def test_a_file_that_cannot_be_put_back_is_named_never_said_unchanged(tmp_path, monkeypatch):
    """The disk fills up at the third file and stays full: the two files written cannot be put back, and
    the message names them instead of saying that nothing was changed."""
    root = write_tree(tmp_path, TREE)
    real, calls = rename.write_atomic, []

    def failing(target, data, like):
        calls.append(target)
        if len(calls) >= 3:
            raise OSError(28, "No space left on device", str(target))
        return real(target, data, like)

    monkeypatch.setattr(rename, "write_atomic", failing)
    code, _, err = do(root, "organizations/wma", "w")
    assert code == 1 and "nothing was changed" not in err and "could not be put back" in err
    written = [str(Path(target).relative_to(root)) for target in calls[:2]]
    assert all(path.replace("content/organizations/w.yml", "content/organizations/wma.yml") in err
               for path in written), (written, err)


def test_the_command_line(tmp_path, capsys):
    import build  # scripts/build.py

    root = write_tree(tmp_path, TREE)
    assert build.main(["--root", str(root), "rename", "organizations/wma", "w", "--dry-run"]) == 0
    assert "Would rename" in capsys.readouterr().out
    assert build.main(["--root", str(root), "rename", "wma", "w"]) == 1
    assert "COLLECTION/ID" in capsys.readouterr().err
    assert build.main(["--root", str(root), "rename", "organizations/wma.yml", "w"]) == 0
    assert (root / "content/organizations/w.yml").exists()


# --- former ids and their redirects ---------------------------------------------------------

def test_former_ids_that_collide_are_errors_at_the_formerly_line(tmp_path):
    root = write_tree(tmp_path, {
        **TREE,
        "content/organizations/wma.yml": "name: W\nkind: international-medical-association\nsummary: s\n"
                                         "formerly: [ama, old, old, index]\n",
        "content/organizations/wmax.yml": "name: O\nkind: international-medical-association\nsummary: s\n"
                                          "formerly:\n  - old\n  - wmax\n",
    })
    site = check(root)
    diagnostics = Diagnostics()
    check_former_ids(site.catalog, diagnostics, {"organizations/index.md", "index.md"})
    found = sorted((d.path, d.line, d.col, d.code, d.message) for d in diagnostics)
    assert found == [
        ("content/organizations/wma.yml", 4, 12, "duplicate-id",
         "the former id 'ama' is the id of content/organizations/ama.yml: its old address cannot lead here"),
        ("content/organizations/wma.yml", 4, 22, "duplicate-id", "the former id 'old' is listed twice"),
        ("content/organizations/wma.yml", 4, 27, "page-clash",
         "the old address of 'index' ('organizations/index.md') is a page of the site now"),
        ("content/organizations/wmax.yml", 5, 5, "duplicate-id",
         "the former id 'old' is also a former id of content/organizations/wma.yml: its old address can lead to "
         "only one page"),
        ("content/organizations/wmax.yml", 6, 5, "duplicate-id",
         "the former id 'wmax' is this entry's own id: its old address cannot lead here"),
    ]


def test_redirect_pages_for_both_url_styles(tmp_path):
    root = write_tree(tmp_path, {**TREE, "content/organizations/wma.yml": TREE["content/organizations/wma.yml"]
                                 + "formerly: [old-one, older]\r\n",
                                 "content/glossary/md.yml": "term: MD\nexpansion: Doctor of Medicine\nformerly: [dr]\n"})
    site = check(root)
    assert site.ok, [d.format_text() for d in site.diagnostics]
    pages = redirect_pages(site.catalog, "https://example.org/sub/")
    assert sorted(pages) == ["organizations/old-one/index.html", "organizations/older/index.html"]
    page = pages["organizations/old-one/index.html"]
    assert '<meta http-equiv="refresh" content="0; url=../wma/">' in page
    assert '<link rel="canonical" href="https://example.org/sub/organizations/wma/">' in page
    assert '<a href="../wma/">World Medical Association</a>' in page
    flat = redirect_pages(site.catalog, "https://example.org/sub/", use_directory_urls=False)
    assert '<meta http-equiv="refresh" content="0; url=wma.html">' in flat["organizations/older.html"]


ids = st.from_regex(r"\A[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}\Z")


@settings(max_examples=200, deadline=None)
@given(collection=st.sampled_from(["organizations", "people", "events"]), old=ids, new=ids,
       directory=st.booleans())
def test_a_redirect_leads_from_the_old_file_to_the_new_page(collection, old, new, directory):
    """Followed from where it is stored, the relative target is the new page's address."""
    from_file = page_file(f"{collection}/{old}.md", directory)
    to_url = page_url(f"{collection}/{new}.md", directory)
    from oirsite.outputs.redirects import redirect_html
    page = redirect_html(from_file, to_url, "", "T")
    target = page.split("url=", 1)[1].split('"', 1)[0]
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(from_file), target))
    assert resolved == to_url.rstrip("/")
    assert "://" not in target and not target.startswith("/")
