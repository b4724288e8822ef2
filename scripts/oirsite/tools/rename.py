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
import os
import posixpath
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TextIO

import yaml

from ..core.diagnostics import Diagnostics, format_report
from ..core.text import LINE_BREAK, LineIndex, normalize_newlines, position
from ..model.fields import ID_PATTERN, MAX_ID_LENGTH
from ..read.source import front_matter_bounds
from ..read.yamlread import parse_yaml

_ID = re.compile(ID_PATTERN)
_INLINE = re.compile(r"\[\[[ \t]*([^\[\]|\n]*?)[ \t]*(?:\||\]\])")


class RenameError(Exception):
    """Why a rename cannot be done; nothing has been changed when it is raised."""


class EditedFile:
    """One file as it is on disk (its bytes; its text without a byte-order mark) and the edits to make."""

    def __init__(self, root: Path, path: str):
        self.path, self.data = path, (root / path).read_bytes()  # path: relative to the root, forward slashes
        text = self.data.decode("utf-8")
        self.bom = "\ufeff" if text.startswith("\ufeff") else ""
        self.text = text[len(self.bom):]
        self.starts = LineIndex(self.text).starts
        first_break = LINE_BREAK.search(self.text)
        self.newline = first_break.group(0) if first_break else "\n"
        self.edits: dict[tuple[int, int], str] = {}  # (start, end) -> replacement

    def offset(self, line: int, col: int) -> int:
        if not 1 <= line <= len(self.starts):
            raise RenameError(f"{self.path}:{line}: this line does not exist")
        return self.starts[line - 1] + col - 1

    def line(self, number: int) -> tuple[str, str]:
        """The text of line ``number`` and its line break ("" for a last line without one)."""
        end = self.starts[number] if number < len(self.starts) else len(self.text)
        whole = self.text[self.starts[number - 1]:end]
        text = LINE_BREAK.sub("", whole)
        return text, whole[len(text):]

    def edit(self, start: int, end: int, replacement: str) -> None:
        self.edits.setdefault((start, end), replacement)  # the same place found twice: one edit

    def new_text(self) -> str:
        done, parts = 0, []
        for (start, end), replacement in sorted(self.edits.items()):
            if start < done:
                raise RenameError(f"{self.path}: two changes overlap at offset {start}")
            parts += [self.text[done:start], replacement]
            done = end
        return self.bom + "".join(parts) + self.text[done:]


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
    from ..pages.indexes import index_paths
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


def replace_value(source: EditedFile, line: int, col: int, old: str, new: str) -> None:
    """A front-matter value at (line, col): the id, plain or quoted (the node starts at the quote)."""
    start = source.offset(line, col)
    text = source.text
    quote = text[start:start + 1]
    at = start + 1 if quote in ("'", '"') else start
    end = at + len(old)
    after = text[end:end + 1]
    closed = after == quote if quote in ("'", '"') else (after == "" or not re.match(r"[\w-]", after))
    if text[at:end] != old or not closed:
        raise RenameError(f"{source.path}:{line}:{col}: expected the id '{old}' here, found "
                          f"'{source.line(line)[0][col - 1:col + len(old) + 1]}': change this file by hand")
    source.edit(at, end, new)


def replace_inline(source: EditedFile, line: int, col: int, old: str, new: str) -> None:
    """An inline reference at (line, col): ``[[id]]`` or ``[[id|text]]``, spaces allowed around the id."""
    match = _INLINE.match(source.text, source.offset(line, col))
    if match is None or match.group(1) != old:
        raise RenameError(f"{source.path}:{line}:{col}: expected [[{old}]] here: change this file by hand")
    source.edit(match.start(1), match.end(1), new)


def add_former_id(source: EditedFile, entry: Any, old: str) -> None:
    """Add ``old`` to the entry's ``formerly`` list: into the list when there is one (flow or block),
    else as a new line ``formerly: [old]`` at the end of its fields."""
    line_offset = entry.positions.line_offset
    value = next((v for k, v in entry.positions.root.value
                  if isinstance(k, yaml.ScalarNode) and k.value == "formerly"), None)
    if isinstance(value, yaml.SequenceNode) and value.flow_style:
        close = source.offset(value.end_mark.line + 1 + line_offset, value.end_mark.column + 1) - 1  # the ']'
        if source.text[close] != "]":
            raise RenameError(f"{source.path}: cannot find the end of the 'formerly' list: add '{old}' to it by hand")
        before = source.text[:close].rstrip()
        separator = "" if before.endswith("[") else (" " if before.endswith(",") else ", ")
        source.edit(len(before), len(before), separator + old)
    elif isinstance(value, yaml.SequenceNode) and value.value:
        last = value.value[-1]
        line = last.start_mark.line + 1 + line_offset
        text, line_break = source.line(line)
        prefix = text[:last.start_mark.column]
        if prefix.strip() != "-":
            raise RenameError(f"{source.path}:{line}: cannot add to the 'formerly' list: add '{old}' to it by hand")
        end = source.starts[line - 1] + len(text) + len(line_break)
        lead = "" if line_break else source.newline  # a last line without a break gets one first
        source.edit(end, end, f"{lead}{prefix}{old}{line_break or source.newline}")
    elif value is not None:
        raise RenameError(f"{source.path}: 'formerly' should be a list: fix it, then rename again")
    elif source.path.endswith(".md"):
        normalized = normalize_newlines(source.text)
        at = source.starts[position(normalized, front_matter_bounds(normalized)[1])[0] - 1]
        source.edit(at, at, f"formerly: [{old}]{source.newline}")
    else:
        lead = "" if not source.text or source.text.endswith(("\n", "\r")) else source.newline
        source.edit(len(source.text), len(source.text), f"{lead}formerly: [{old}]{source.newline}")


def same_yaml(source: EditedFile, new_text: str, old: str, new: str, renamed: bool) -> None:
    """A safety net under the edits: the YAML of ``new_text`` holds the same values as the old text,
    apart from the id and, in the renamed entry, the added former id."""
    def values(text: str) -> Any:
        text = normalize_newlines(text.lstrip("\ufeff"))
        if source.path.endswith(".md"):
            bounds = front_matter_bounds(text)
            if bounds is None:
                return None
            text = text[bounds[0]:bounds[1]]
        parsed = parse_yaml(text, source.path, Diagnostics())
        return None if parsed is None else parsed[0]

    def normal(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: normal(v) for k, v in value.items()}
        if isinstance(value, list):
            return [normal(v) for v in value]
        return new if value == old else value

    before, after = values(source.text), values(new_text)
    if before is None and after is None and not renamed:
        return  # a page without front matter: its references are in the Markdown only
    if isinstance(before, dict) and isinstance(after, dict) and renamed:
        if after.pop("formerly", None) != list(before.pop("formerly", []) or []) + [old]:
            after = None
    if after is None or normal(before) != normal(after):
        raise RenameError(f"{source.path}: the change would alter more than the id (an unusual layout): "
                          "rename this entry by hand")


def write_atomic(target: Path, data: bytes, like: Path | None) -> None:
    """Write ``data`` into ``target`` through a temporary file in the same folder (with the mode of
    ``like`` when it exists), so that a reader sees the old file or the new one, never half."""
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        mode = (like if like is not None and like.exists() else target if target.exists() else None)
        os.chmod(temporary, mode.stat().st_mode & 0o7777 if mode else 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def apply(root: Path, plan: Plan) -> None:
    """Write every new text atomically and move the file; on any error put everything back."""
    try:
        for path, (_, after) in plan.texts.items():
            write_atomic(root / plan.target(path), after, root / path)
        if plan.new_path != plan.old_path:
            (root / plan.old_path).unlink()
    except BaseException:
        restore(root, plan)
        raise


def restore(root: Path, plan: Plan) -> None:
    """Every file as it was before ``apply``, whether it got that far or not."""
    for path, (before, _) in plan.texts.items():
        write_atomic(root / path, before, root / plan.target(path))
    if plan.new_path != plan.old_path:
        (root / plan.new_path).unlink(missing_ok=True)


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
    diagnostics = Diagnostics()
    build_site(root, diagnostics=diagnostics, render_pages=False)
    if diagnostics.errors:
        restore(root, plan)
        print("error: after the rename the check found problems, so every file was put back as it was:\n"
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
