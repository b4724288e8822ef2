"""Writing Markdown: the one escaping function and the small pieces every page is made of."""

from __future__ import annotations

import json
import re

# Characters that are Markdown syntax anywhere in a line (emphasis, code, links, attribute lists,
# raw HTML, entities, table cells, closing hashes of a heading), written to render as themselves.
_INLINE = {"\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]", "{": "\\{",
           "}": "\\}", "#": "\\#", "<": "&lt;", ">": "&gt;", "&": "&amp;", "|": "&#124;"}
_INLINE_RE = re.compile("[" + re.escape("".join(_INLINE)) + "]")
# What is syntax only where a line starts: quotes, list markers, numbered lists.
_LINE_START = re.compile(r"(\s*)([+-]|\d+[.)])(?=\s|$)")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x85\x0b\x0c]+")


def esc(text: str) -> str:
    """Plain text as Markdown that renders exactly that text, inline (line breaks become spaces).

    The one function used wherever text from content is put into Markdown: titles, summaries,
    facts, link texts, table cells."""
    text = _INLINE_RE.sub(lambda m: _INLINE[m.group(0)], _LINE_BREAKS.sub(" ", text))
    start = _LINE_START.match(text)
    if start:  # "- x", "+ x" or "1. x" at the start would make a list
        mark = start.group(2)
        text = start.group(1) + mark[:-1] + "\\" + mark[-1] + text[start.end():]
    return text


def front_matter(**meta) -> str:
    """YAML front matter, written as JSON values (JSON is YAML, and far quicker to write)."""
    meta = {key: value for key, value in meta.items() if value}
    if not meta:
        return ""
    return "---\n" + "".join(f"{key}: {json.dumps(value)}\n" for key, value in meta.items()) + "---\n\n"


def facts(rows: list[tuple[str, str]]) -> str:
    """A list of labelled facts; rows with no value are left out."""
    return "\n".join(f"- **{label}:** {value}" for label, value in rows if value)


def section(title: str, text: str) -> str:
    return f"\n\n## {title}\n\n{text}" if text else ""


def cards(items: list[str]) -> str:
    """A Material card grid: each item is Markdown (a link, then a short text)."""
    grid = "\n\n".join("-   " + item.replace("\n", "\n    ") for item in items)
    return f'<div class="grid cards" markdown>\n\n{grid}\n\n</div>'


def link_list(links: list) -> str:
    """Calls to action and further reading (``models.Link``): only those with an address.

    A link whose address the sources leave open is an editor's matter (an open item in the check),
    never shown to readers: a call to action that leads nowhere is left out."""
    return "\n".join(f"- [{esc(item.text)}](<{item.url}>)" for item in links if isinstance(item.url, str))


def plural(count: int, singular: str) -> str:
    """'1 event', '3 events', '2 people', '5 activities'."""
    if count == 1:
        return f"1 {singular}"
    irregular = {"person": "people"}
    words = singular.split(" ")
    last = words[-1]
    if last in irregular:
        last = irregular[last]
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    else:
        last += "s"
    return f"{count} " + " ".join([*words[:-1], last])
