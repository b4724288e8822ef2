"""Rename an entry: its file, every reference to it, and a ``formerly`` line for its old address.

    python scripts/build.py rename organizations/old-id new-id [--dry-run]

How the files are edited, and why this way
------------------------------------------
Every file is edited *in place at known positions*, never re-serialized. The check already knows
where every reference stands: ``catalog.references`` holds the file, line and column of each
front-matter value (from the YAML nodes, see ``oirsite.read.source.Positions``) and of each inline
``[[id]]``. A round-trip YAML library (ruamel.yaml) would be a second parser with its own ideas
about quoting, indentation and line width, and it knows nothing of Markdown bodies; editing at the
positions our one parser reports changes exactly the characters of the id and nothing else, so
comments, key order, quoting, blank lines, line endings (LF or CRLF) and a byte-order mark stay.

Each position is *verified* before it is used: a field value must be the id itself, plain or in
quotes (the YAML node starts at the quote), an item of a flow list (``[wma, who]``) included; an
inline reference must be ``[[`` + the id + ``|`` or ``]]`` (spaces allowed). A position that does
not show the id makes the whole rename stop with a message, before anything is written.

Relative Markdown links to the entry's page (``[text](../organizations/old-id.md)``) are
rewritten too, so that the check passes afterwards.

Safety: every new text is made in memory first; each changed YAML document is parsed again and
compared with the old one (the same values, except the id and the new former id); only then are
the files written, each one atomically (a temporary file renamed over it). The check runs again
on the result; if it fails, or anything goes wrong while writing, every file is put back as it was.
"""

from __future__ import annotations

import argparse
import posixpath
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ..core.diagnostics import Diagnostics, format_report
from ..model.fields import ID_PATTERN, MAX_ID_LENGTH
from .rename_edits import RenameError, add_former_id, EditedFile, replace_inline, replace_value, roll_back, same_yaml, write_atomic

_ID = re.compile(ID_PATTERN)
@dataclass
class Plan:
    """What a rename will do: the new text of every changed file, and the one file it moves."""

    collection: str
    old: str
    new: str
    old_path: str
    new_path: str
    texts: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)  # old path -> (old bytes, new bytes)
    changes: list[str] = field(default_factory=list)  # one line per change, for people

    def target(self, path: str) -> str:
        return self.new_path if path == self.old_path else path


def _fail(lines: list[str]) -> None:
    raise RenameError("\n".join(lines))


def plan_rename(root: Path, collection: str, old: str, new: str) -> Plan:
    """Work out every change in memory, or raise RenameError saying why it cannot be done."""
    from .. import collections
    from ..site import build_site

    root = root.resolve()
    specs = collections.registry()
    if collection not in specs:
        _fail([f"'{collection}' is not a collection; the collections are: {', '.join(specs)}"])
    if not _ID.match(new):
        _fail([f"'{new}' is not a valid id: ids are lowercase letters, digits and single hyphens, "
               "such as 'world-medical-association'"])
    if len(new) > MAX_ID_LENGTH:
        _fail([f"'{new[:40]}…' is {len(new)} characters long; an id has at most {MAX_ID_LENGTH}"])
    if new == old:
        _fail([f"the entry is already called '{old}'"])
    diagnostics = Diagnostics()
    site = build_site(root, diagnostics=diagnostics, render_pages=False)
    if diagnostics.errors:
        _fail(["the content does not pass the check, so nothing was renamed; fix these problems first "
               "(python scripts/build.py --check lists them):", format_report(diagnostics.errors)])
    catalog = site.catalog
    entry = catalog.get(old, collection)
    if entry is None:
        other = catalog.get(old)
        if other is not None:
            _fail([f"'{old}' is in {other.collection}, not in {collection}: write {other.collection}/{old}"])
        _fail([f"there is no entry '{old}' in {collection} (no file content/{collection}/{old}.yml or .md)"])
    taken = _claimed_ids(root, site.settings.content_dir)
    if new.lower() in taken:
        _fail([f"the id '{new}' is already used by {taken[new.lower()]}: choose another id"])
    for other in catalog.entries.values():
        formerly = list(getattr(other.data, "formerly", []))
        if new in formerly:
            what = "this entry" if other is entry else other.source
            hint = ("remove it from 'formerly' there first, then rename again" if other is entry
                    else "its old address leads there; choose another id")
            _fail([f"'{new}' is a former id of {what} ({other.source}): {hint}"])
    new_page = entry.spec.page_path(new)
    docs = root / site.settings.docs_dir / new_page
    if entry.spec.has_pages and (new_page in _index_paths() or docs.exists()):
        _fail([f"the id '{new}' would give a page at '{new_page}', which is already a page of the site: "
               "choose another id"])

    suffix = Path(entry.source).suffix
    new_source = f"{Path(entry.source).parent.as_posix()}/{new}{suffix}"
    plan = Plan(collection, old, new, entry.source, new_source)
    files: dict[str, EditedFile] = {}

    def file(path: str) -> EditedFile:
        if path not in files:
            files[path] = EditedFile.read(root, path)
        return files[path]

    for reference in catalog.references:
        if reference.target != old:
            continue
        source = file(reference.file)
        if reference.field is not None:
            replace_value(source, reference.line, reference.col, old, new)
            plan.changes.append(f"{reference.file}:{reference.line}: '{reference.field}': {old} -> {new}")
        else:
            replace_inline(source, reference.line, reference.col, old, new)
            plan.changes.append(f"{reference.file}:{reference.line}: [[{old}]] -> [[{new}]]")
    if entry.spec.has_pages:
        for path, line, how in _rewrite_links(root, site, entry.page, new_page, file):
            plan.changes.append(f"{path}:{line}: link {how}")
    add_former_id(file(entry.source), entry, old)
    plan.changes.append(f"{new_source}: added '{old}' to 'formerly'"
                        + (" (its old address leads to the new page)" if collections.get(collection).has_pages else ""))

    plan.changes.sort(key=_by_place)
    for path, source in files.items():
        new_text = source.new_text()
        same_yaml(source, new_text, old, new, path == entry.source)
        plan.texts[path] = (source.data, new_text.encode("utf-8"))
    return plan


def _by_place(change: str) -> tuple[str, int]:
    path, _, rest = change.partition(":")
    line = rest.split(":", 1)[0]
    return path, int(line) if line.isdigit() else 1 << 30


def _claimed_ids(root: Path, content_dir: str) -> dict[str, str]:
    """Every id a file claims (whatever its case, even in a file with errors): id -> file."""
    claimed: dict[str, str] = {}
    base = root / content_dir
    for folder in sorted(base.iterdir()) if base.is_dir() else []:
        if folder.is_dir():
            for item in sorted(folder.iterdir()):
                claimed.setdefault(item.stem.lower(), item.relative_to(root).as_posix())
    return claimed


def _index_paths() -> set[str]:
    from ..pages.render import index_paths
    return set(index_paths())


def _rewrite_links(root: Path, site: Any, old_page: str, new_page: str, file: Any) -> list[tuple[str, int, str]]:
    """Relative Markdown links that lead to the entry's page, in every entry body and docs page."""
    from ..read.scan import MarkdownSource, scan
    from ..core.paths import PageRef

    sources: list[tuple[str, str, int, str]] = []  # (file, text, first line, page path)
    for entry in site.catalog.entries.values():
        if entry.body and ".md" in entry.body:
            sources.append((entry.source, entry.body, entry.body_line or 1, entry.page.split("#")[0]))
    docs_root = root / site.settings.docs_dir
    for page in site.hand_written.values():
        text = (root / page.source).read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        if ".md" in text:
            sources.append((page.source, text, 1, (root / page.source).relative_to(docs_root).as_posix()))
    done = []
    for path, text, first_line, page in sources:
        found = scan(MarkdownSource(text, path, first_line, PageRef(page, "")))
        for match in found.tokens:
            group = "target" if match.groupdict().get("target") else "deftarget"
            target = match.groupdict().get(group)
            if not target or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^[#/]", target.strip("<>")):
                continue
            link = target.strip("<>").split("#", 1)[0].split("?", 1)[0]
            if not link or posixpath.normpath(posixpath.join(posixpath.dirname(page), link)) != old_page:
                continue
            old_name, new_name = posixpath.basename(old_page), posixpath.basename(new_page)
            at = match.start(group) + target.find(link) + len(link) - len(old_name)
            if not link.endswith(old_name):
                raise RenameError(f"{path}: the link '{target}' leads to the entry's page in a way this "
                                  "command cannot rewrite: change it by hand")
            line = first_line + text.count("\n", 0, at)
            col = at - (text.rfind("\n", 0, at) + 1) + 1
            source = file(path)
            start = source.offset(line, col)
            if source.text[start:start + len(old_name)] != old_name:
                raise RenameError(f"{path}:{line}:{col}: expected '{old_name}' here: change this file by hand")
            source.edit(start, start + len(old_name), new_name)
            done.append((path, line, f"{link} -> {link[:len(link) - len(old_name)]}{new_name}"))
    return done


def apply(root: Path, plan: Plan) -> None:
    """Write every new text atomically and move the file; on any error put everything back."""
    root = root.resolve()
    written: list[tuple[Path, bytes | None]] = []  # (file, its bytes before, None if it was new)
    try:
        for path, (before, after) in plan.texts.items():
            target = root / plan.target(path)
            previous = target.read_bytes() if target.exists() else None
            write_atomic(target, after, root / path)
            written.append((target, previous))
        if plan.new_path != plan.old_path:
            old_file = root / plan.old_path
            written.append((old_file, old_file.read_bytes()))
            old_file.unlink()
    except BaseException:
        roll_back(written)
        raise


def run(root: Path, collection: str, old: str, new: str, dry_run: bool = False, out: TextIO | None = None) -> int:
    """Rename ``collection/old`` to ``new``; print what changed (or, with ``dry_run``, what would).
    Returns the exit code: 0 when done, 1 when refused (nothing changed then)."""
    from ..site import build_site

    out = out if out is not None else sys.stdout
    try:
        plan = plan_rename(root, collection, old, new)
    except RenameError as exc:
        print(f"error: cannot rename {collection}/{old}: {exc}", file=sys.stderr)
        return 1
    lead = "Would change" if dry_run else "Changed"
    print(f"{'Would rename' if dry_run else 'Renamed'} {plan.old_path} -> {plan.new_path}", file=out)
    for change in plan.changes:
        print(f"  {change}", file=out)
    if dry_run:
        print(f"{lead} {len(plan.texts)} files. Nothing was written (--dry-run).", file=out)
        return 0
    try:
        apply(root, plan)
    except OSError as exc:
        print(f"error: cannot write {exc.filename or ''}: {exc.strerror or exc}; nothing was changed", file=sys.stderr)
        return 1
    diagnostics = Diagnostics()
    build_site(root, diagnostics=diagnostics, render_pages=False)
    if diagnostics.errors:
        _undo(root, plan)
        print("error: after the rename the check found problems, so every file was put back as it was:\n"
              + format_report(diagnostics.errors), file=sys.stderr)
        return 1
    from .. import collections
    after = (f"Old links to '{old}' lead to '{new}'." if collections.get(collection).has_pages
             else f"('{old}' had no page of its own, so there is no old address to keep.)")
    print(f"{lead} {len(plan.texts)} files. The check passes. {after}", file=out)
    return 0


def _undo(root: Path, plan: Plan) -> None:
    root = root.resolve()
    for path, (before, _) in plan.texts.items():
        write_atomic(root / path, before, root / plan.target(path))
    if plan.new_path != plan.old_path:
        (root / plan.new_path).unlink(missing_ok=True)


def main(root: Path, argv: list[str] | None = None) -> int:
    """``rename COLLECTION/OLD NEW [--dry-run]`` as a command of its own."""
    parser = argparse.ArgumentParser(prog="python scripts/build.py rename", description=
                                     "Rename an entry: its file, every reference to it, and a 'formerly' line "
                                     "so that its old address leads to the new page.")
    add_arguments(parser)
    args = parser.parse_args(argv)
    return run_args(root, args)


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


if __name__ == "__main__":
    sys.exit(main(Path.cwd()))
