"""``python scripts/build.py rename organizations/old-id new-id [--dry-run]``: an entry's file, every
reference to it (and relative Markdown links to its page), and a ``formerly`` line for its old address.

Files are edited in place at the positions the check reports (``catalog.references``), each verified
first, never re-serialized: a round-trip YAML library would be a second parser with its own ideas of
quoting and layout, and knows nothing of Markdown bodies. So only the id's characters change; comments,
quoting, line endings and a byte-order mark stay. Each changed YAML document is parsed again and
compared with the old one before anything is written (atomically); if writing or the check afterwards
fails, every file is put back as it was.
"""

from __future__ import annotations

import argparse
import posixpath
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TextIO

from ..core.diagnostics import Diagnostics, format_report
from ..core.text import normalize_newlines
from ..model.fields import ID_PATTERN, MAX_ID_LENGTH
from .rename_edits import EditedFile, RenameError, add_former_id, replace_inline, replace_value, same_yaml, write_atomic

_ID = re.compile(ID_PATTERN)


@dataclass
class Plan:
    """What a rename will do: the new text of every changed file, and the one file it moves."""

    old_path: str
    new_path: str
    texts: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)  # old path -> (old bytes, new bytes)
    changes: list[tuple[str, int | None, str]] = field(default_factory=list)  # (file, line, what), for people

    def target(self, path: str) -> str:
        return self.new_path if path == self.old_path else path


def plan_rename(root: Path, collection: str, old: str, new: str) -> Plan:
    """Work out every change in memory, or raise RenameError saying why it cannot be done."""
    from .. import collections
    from ..pages.render import index_paths
    from ..site import build_site

    root = root.resolve()
    specs = collections.registry()
    if collection not in specs:
        raise RenameError(f"'{collection}' is not a collection; the collections are: {', '.join(specs)}")
    if not _ID.match(new):
        raise RenameError(f"'{new}' is not a valid id: ids are lowercase letters, digits and single hyphens, "
                          "such as 'world-medical-association'")
    if len(new) > MAX_ID_LENGTH:
        raise RenameError(f"'{new[:40]}…' is {len(new)} characters long; an id has at most {MAX_ID_LENGTH}")
    if new == old:
        raise RenameError(f"the entry is already called '{old}'")
    diagnostics = Diagnostics()
    site = build_site(root, diagnostics=diagnostics, render_pages=False)
    if diagnostics.errors:
        raise RenameError("the content does not pass the check, so nothing was renamed; fix these problems first "
                          "(python scripts/build.py --check lists them):\n" + format_report(diagnostics.errors))
    catalog = site.catalog
    entry = catalog.get(old, collection)
    if entry is None:
        other = catalog.get(old)
        if other is not None:
            raise RenameError(f"'{old}' is in {other.collection}, not in {collection}: write {other.collection}/{old}")
        raise RenameError(f"there is no entry '{old}' in {collection} (no file content/{collection}/{old}.yml or .md)")
    taken: dict[str, str] = {}  # every id a file claims (whatever its case, even in a file with errors) -> file
    for item in sorted((root / site.settings.content_dir).glob("*/*")):
        taken.setdefault(item.stem.lower(), item.relative_to(root).as_posix())
    if new.lower() in taken:
        raise RenameError(f"the id '{new}' is already used by {taken[new.lower()]}: choose another id")
    for other in catalog.entries.values():
        if new in list(getattr(other.data, "formerly", [])):
            what = "this entry" if other is entry else other.source
            hint = ("remove it from 'formerly' there first, then rename again" if other is entry
                    else "its old address leads there; choose another id")
            raise RenameError(f"'{new}' is a former id of {what} ({other.source}): {hint}")
    new_page = entry.spec.page_path(new)
    if entry.spec.has_pages and (new_page in set(index_paths()) or (root / site.settings.docs_dir / new_page).exists()):
        raise RenameError(f"the id '{new}' would give a page at '{new_page}', which is already a page of the site: "
                          "choose another id")

    new_source = f"{Path(entry.source).parent.as_posix()}/{new}{Path(entry.source).suffix}"
    plan = Plan(entry.source, new_source)
    files: dict[str, EditedFile] = {}

    def file(path: str) -> EditedFile:
        if path not in files:
            files[path] = EditedFile(root, path)
        return files[path]

    for reference in catalog.references:
        if reference.target != old:
            continue
        if reference.field is not None:
            replace_value(file(reference.file), reference.line, reference.col, old, new)
            plan.changes.append((reference.file, reference.line, f"'{reference.field}': {old} -> {new}"))
        else:
            replace_inline(file(reference.file), reference.line, reference.col, old, new)
            plan.changes.append((reference.file, reference.line, f"[[{old}]] -> [[{new}]]"))
    if entry.spec.has_pages:
        plan.changes += _rewrite_links(root, site, entry.page, new_page, file)
    add_former_id(file(entry.source), entry, old)
    plan.changes.append((new_source, None, f"added '{old}' to 'formerly'"
                         + (" (its old address leads to the new page)" if entry.spec.has_pages else "")))
    plan.changes.sort(key=lambda change: (change[0], change[1] or 1 << 30))
    for path, source in files.items():
        new_text = source.new_text()
        same_yaml(source, new_text, old, new, path == entry.source)
        plan.texts[path] = (source.data, new_text.encode("utf-8"))
    return plan


def _rewrite_links(root: Path, site: Any, old_page: str, new_page: str,
                   file: Callable[[str], EditedFile]) -> list[tuple[str, int, str]]:
    """Relative Markdown links that lead to the entry's page, in every entry body and docs page."""
    from ..core.paths import PageRef
    from ..read.scan import MarkdownSource, scan

    sources = [MarkdownSource(entry.body, entry.source, entry.body_line or 1, PageRef(entry.page.split("#")[0], ""))
               for entry in site.catalog.entries.values() if entry.body and ".md" in entry.body]
    docs_root = root / site.settings.docs_dir
    for page in site.hand_written.values():
        text = normalize_newlines((root / page.source).read_text(encoding="utf-8-sig"))
        if ".md" in text:
            page_path = (root / page.source).relative_to(docs_root).as_posix()
            sources.append(MarkdownSource(text, page.source, 1, PageRef(page_path, "")))
    old_name, new_name = posixpath.basename(old_page), posixpath.basename(new_page)
    done = []
    for source in sources:
        for match in scan(source).tokens:
            group = "target" if match.groupdict().get("target") else "deftarget"
            target = match.groupdict().get(group)
            if not target or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^[#/]", target.strip("<>")):
                continue
            link = target.strip("<>").split("#", 1)[0].split("?", 1)[0]
            if not link or posixpath.normpath(posixpath.join(posixpath.dirname(source.page.path), link)) != old_page:
                continue
            if not link.endswith(old_name):
                raise RenameError(f"{source.file}: the link '{target}' leads to the entry's page in a way this "
                                  "command cannot rewrite: change it by hand")
            line, col = source.lines.position(match.start(group) + target.find(link) + len(link) - len(old_name))
            edited = file(source.file)
            start = edited.offset(line, col)
            if edited.text[start:start + len(old_name)] != old_name:
                raise RenameError(f"{source.file}:{line}:{col}: expected '{old_name}' here: change this file by hand")
            edited.edit(start, start + len(old_name), new_name)
            done.append((source.file, line, f"link {link} -> {link[:len(link) - len(old_name)]}{new_name}"))
    return done


def apply(root: Path, plan: Plan) -> None:
    """Write every new text atomically and move the file; on any error put back what was written."""
    written: list[str] = []
    try:
        for path, (_, after) in plan.texts.items():
            write_atomic(root / plan.target(path), after, root / path)
            written.append(path)
        if plan.new_path != plan.old_path:
            (root / plan.old_path).unlink()
    except OSError as exc:
        left = restore(root, plan, written)
        if left:
            raise RenameError(f"cannot write {exc.filename or ''}: {exc.strerror or exc}; and these files could "
                              f"not be put back as they were: {', '.join(left)} (git restore puts them back)") from exc
        raise


def restore(root: Path, plan: Plan, written: list[str] | None = None) -> list[str]:
    """The files ``apply`` wrote (``written``; None: all of them) as they were before it, and the moved
    file back in its place; returns the files that could not be put back."""
    left = []
    for path in plan.texts if written is None else written:
        try:
            write_atomic(root / path, plan.texts[path][0], root / plan.target(path))
        except OSError:
            left.append(path)
    if plan.new_path != plan.old_path and plan.old_path not in left:
        (root / plan.new_path).unlink(missing_ok=True)
    return left


def run(root: Path, collection: str, old: str, new: str, dry_run: bool = False, out: TextIO | None = None) -> int:
    """Rename ``collection/old`` to ``new``; print what changed (or, with ``dry_run``, what would).
    Returns the exit code: 0 when done, 1 when refused (nothing changed then)."""
    from ..site import build_site

    root, out = root.resolve(), out if out is not None else sys.stdout
    try:
        plan = plan_rename(root, collection, old, new)
    except RenameError as exc:
        print(f"error: cannot rename {collection}/{old}: {exc}", file=sys.stderr)
        return 1
    lead = "Would change" if dry_run else "Changed"
    print(f"{'Would rename' if dry_run else 'Renamed'} {plan.old_path} -> {plan.new_path}", file=out)
    for path, line, what in plan.changes:
        print(f"  {path}:{line}: {what}" if line else f"  {path}: {what}", file=out)
    if dry_run:
        print(f"{lead} {len(plan.texts)} files. Nothing was written (--dry-run).", file=out)
        return 0
    try:
        apply(root, plan)
    except OSError as exc:
        print(f"error: cannot write {exc.filename or ''}: {exc.strerror or exc}; nothing was changed", file=sys.stderr)
        return 1
    except RenameError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    diagnostics = Diagnostics()
    build_site(root, diagnostics=diagnostics, render_pages=False)
    if diagnostics.errors:
        left = restore(root, plan)
        put_back = (f"these files could not be put back: {', '.join(left)} (git restore puts them back)" if left
                    else "every file was put back as it was")
        print(f"error: after the rename the check found problems, so {put_back}:\n"
              + format_report(diagnostics.errors), file=sys.stderr)
        return 1
    from .. import collections
    after = (f"Old links to '{old}' lead to '{new}'." if collections.get(collection).has_pages
             else f"('{old}' had no page of its own, so there is no old address to keep.)")
    print(f"{lead} {len(plan.texts)} files. The check passes. {after}", file=out)
    return 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="COLLECTION/OLD", help="the entry to rename, such as organizations/wma")
    parser.add_argument("new", metavar="NEW", help="its new id (the new file name, without .yml or .md)")
    parser.add_argument("--dry-run", action="store_true", help="only show what would change; write nothing")


def run_args(root: Path, args: argparse.Namespace) -> int:
    collection, slash, old = args.old.partition("/")
    if not slash or not old:
        print(f"error: write the entry as COLLECTION/ID, such as organizations/wma (not '{args.old}')", file=sys.stderr)
        return 1
    return run(root, collection, old.removesuffix(".yml").removesuffix(".md"), args.new, args.dry_run)
