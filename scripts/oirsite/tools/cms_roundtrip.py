"""Saving an existing file in the local web editor: only what the editor changed.

The CMS sends the whole file again, written its way. ``merge`` puts into the old text only the fields
whose values changed, as the CMS wrote them, and keeps the rest byte for byte: comments, key order,
quotes, line folding, and the open notes the form cannot show. When that cannot be done safely (the old
file does not parse, or the result would not hold exactly the new values), the new values are written whole.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ..core.diagnostics import Diagnostics
from ..read.yamlread import parse_yaml
from .cms import is_open

_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)


def document_parts(text: str, markdown: bool) -> tuple[str, int, str] | None:
    """(YAML text, its offset in ``text``, body) of a file; None when it has no front matter."""
    if not markdown:
        return text, 0, ""
    if not text.startswith("---"):
        return None
    start = text.find("\n") + 1
    closing = _FENCE.search(text, start) if start else None
    if closing is None:
        return None
    return text[start:closing.start()], start, text[closing.end():]


def _mapping(text: str) -> tuple[dict, yaml.MappingNode] | None:
    parsed = parse_yaml(text, "cms", Diagnostics())
    if parsed is None or not isinstance(parsed[0], dict) or not isinstance(parsed[1].root, yaml.MappingNode):
        return None
    return parsed[0], parsed[1].root


def _span(text: str, key: yaml.Node, value: yaml.Node) -> tuple[int, int]:
    """Where one ``key: value`` is written: from its key to the end of its value's last line
    (trailing blank lines and comment lines, which belong to what follows, left out)."""
    start, end = key.start_mark.index, value.end_mark.index
    lines = text[start:end].split("\n")
    while len(lines) > 1 and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
        lines.pop()
    return start, start + len("\n".join(lines).rstrip("\r"))


def _keys(node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    return {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _edits(old_text: str, old: dict, old_node: yaml.MappingNode, new_text: str, new: dict,
           new_node: yaml.MappingNode) -> list[tuple[int, int, str]] | None:
    """The changes that make the old mapping's text hold the new values, each key written as the
    CMS wrote it; a mapping written in blocks on both sides is changed key by key. None when the
    layout does not allow it."""
    old_keys, new_keys = _keys(old_node), _keys(new_node)
    if set(old_keys) != set(old) or set(new_keys) != set(new) or old_node.flow_style:
        return None
    edits = []
    for name, (key, value) in old_keys.items():
        start, end = _span(old_text, key, value)
        if name not in new:  # emptied: its lines go
            line_start = old_text.rfind("\n", 0, start) + 1
            if old_text[line_start:start].strip():
                return None
            line_end = old_text.find("\n", end)
            edits.append((line_start, len(old_text) if line_end < 0 else line_end + 1, ""))
        elif old[name] != new[name]:
            new_key, new_value = new_keys[name]
            if isinstance(value, yaml.MappingNode) and isinstance(new_value, yaml.MappingNode) \
                    and not value.flow_style and not new_value.flow_style \
                    and isinstance(old[name], dict) and isinstance(new[name], dict) \
                    and set(old[name]) == set(new[name]) \
                    and key.start_mark.column == new_key.start_mark.column \
                    and value.start_mark.column == new_value.start_mark.column:
                inner = _edits(old_text, old[name], value, new_text, new[name], new_value)
                if inner is None:
                    return None
                edits += inner
                continue
            if key.start_mark.column != new_key.start_mark.column:
                return None
            new_start, new_end = _span(new_text, new_key, new_value)
            edits.append((start, end, new_text[new_start:new_end]))
    order = list(new_keys)
    for index, name in enumerate(order):  # added: after the field before it in the form's order
        if name in old_keys:
            continue
        new_key, new_value = new_keys[name]
        new_start, new_end = _span(new_text, new_key, new_value)
        before = [n for n in order[:index] if n in old_keys]
        if before:
            at = _span(old_text, *old_keys[before[-1]])[1]
            at = old_text.find("\n", at)
            at = len(old_text) if at < 0 else at + 1
        elif old_keys:
            at = old_text.rfind("\n", 0, min(k.start_mark.index for k, _ in old_keys.values())) + 1
        else:
            at = len(old_text)
        edits.append((at, at, new_text[new_start:new_end] + "\n"))
    return edits


def _keep_open_notes(old: Any, new: Any) -> Any:
    """``new`` with the open notes (``{open: why}``) of ``old`` put back where ``new`` has no value:
    the form shows no field for a note, so the CMS leaves it out; a value typed in replaces it."""
    if isinstance(old, dict) and isinstance(new, dict):
        kept = dict(new)
        for key, value in old.items():
            if key not in new or new[key] in (None, "", [], {}):
                if is_open(value) and isinstance(value["open"], str):
                    kept[key] = value
            else:
                kept[key] = _keep_open_notes(value, new[key])
        return kept
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [_keep_open_notes(a, b) for a, b in zip(old, new)]
    return new


def merge(path: Path, old: bytes, new: bytes) -> bytes:
    """What saving ``new`` (the CMS's rewrite of the file) over ``old`` writes."""
    markdown = path.suffix == ".md"
    try:
        old_text, new_text = old.decode("utf-8"), new.decode("utf-8")
    except UnicodeDecodeError:
        return new
    old_parts, new_parts = document_parts(old_text, markdown), document_parts(new_text, markdown)
    if old_parts is None or new_parts is None or "\r" in old_text:
        return new
    old_yaml, offset, old_body = old_parts
    new_yaml, _, new_body = new_parts
    old_map, new_map = _mapping(old_yaml), _mapping(new_yaml)
    if old_map is None or new_map is None:
        return new
    kept = _keep_open_notes(old_map[0], new_map[0])
    if kept != new_map[0]:  # the values to write are not the CMS's: written by us
        new_yaml = yaml.safe_dump(kept, sort_keys=False, allow_unicode=True, width=100)
        new_map = _mapping(new_yaml)
        if new_map is None or new_map[0] != kept:
            return new
        new = (f"---\n{new_yaml}---{new_parts[2]}" if markdown else new_yaml).encode("utf-8")
    edits = _edits(old_yaml, old_map[0], old_map[1], new_yaml, new_map[0], new_map[1])
    if edits is None:
        return new
    text, done, parts = old_yaml, 0, []
    for start, end, replacement in sorted(edits):
        if start < done:
            return new
        parts += [text[done:start], replacement]
        done = end
    merged_yaml = "".join(parts) + text[done:]
    body = old_body if old_body.strip("\n") == new_body.strip("\n") else new_body
    merged = old_text[:offset] + merged_yaml + old_text[offset + len(old_yaml):len(old_text) - len(old_body)] + body
    check = _mapping(document_parts(merged, markdown)[0])
    if check is None or check[0] != new_map[0]:
        return new
    return merged.encode("utf-8")
