"""Attribute lists (``{: … }``, Python-Markdown's attr_list) checked in the source, for a friendly,
located message in ``--check``. Content may give an element an id and classes from a short list;
nothing else. Safety does not depend on this check: the sanitizer (``oirsite.sanitize``) drops any
other attribute from the built page and reports it too.
"""

from __future__ import annotations

import re

from .sanitize import BUTTON_CLASSES

__all__ = ["check_markdown_attributes", "ATTRIBUTE_LIST_CLASSES"]

# The classes an attribute list may give: Material's buttons ('[Join](url){ .md-button }'). The
# other classes content uses (admonitions, grid cards) come from their own syntax.
ATTRIBUTE_LIST_CLASSES = BUTTON_CLASSES

# An attribute list as attr_list finds one: '{' with an optional ':', then anything up to '}' on one line.
_ATTR_LIST = re.compile(r"\{:?[ \t]*([^{}\n]*?)[ \t]*\}")
# attr_list's own tokens: key="value", key='value', key=value, #id, .class, or a bare word.
_ITEM = re.compile(r"""([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))|(#[^\s]+)|(\.[^\s]+)|(\S+)""")
_ID = re.compile(r"#[A-Za-z0-9][\w.:-]*\Z")


def check_markdown_attributes(text: str, is_code=lambda offset: False) -> list[tuple[int, str]]:
    """(offset in ``text``, message) for every attribute that an attribute list would add and that
    content may not have: anything but an id and the allowed classes. ``is_code(offset)`` says
    where the text is code (nothing there is an attribute list)."""
    problems: list[tuple[int, str]] = []
    if "{" not in text:
        return problems
    for match in _ATTR_LIST.finditer(text):
        if is_code(match.start()) or not _looks_like_attributes(match.group(1)):
            continue
        for item in _ITEM.finditer(match.group(1)):
            offset = match.start(1) + item.start()
            key, ident, klass, bare = item.group(1), item.group(5), item.group(6), item.group(7)
            if ident is not None:
                if not _ID.match(ident) or ident[1:].lower().startswith("md-"):
                    problems.append((offset, f"the id '{ident[1:]}' is not allowed: an id starts with a letter or "
                                             "digit and uses letters, digits, '-', '_', '.' and ':'"))
            elif klass is not None:
                if klass[1:] not in ATTRIBUTE_LIST_CLASSES:
                    problems.append((offset, f"the class '{klass[1:]}' is not allowed: the classes are "
                                             + ", ".join(sorted(ATTRIBUTE_LIST_CLASSES))))
            elif key is not None:
                problems.append((offset, f"the attribute '{key}' cannot be set in an attribute list: "
                                         "only an id (#name) and classes (.name) can"))
            elif bare is not None:
                problems.append((offset, f"'{bare}' cannot be set in an attribute list: "
                                         "only an id (#name) and classes (.name) can"))
    return problems


def _looks_like_attributes(inside: str) -> bool:
    """Whether attr_list would read ``{inside}`` as an attribute list: it holds at least one
    ``#id``, ``.class`` or ``key=value`` (plain text in braces, like '{a set}', is left alone)."""
    return bool(re.search(r"(?:^|\s)[#.][^\s]|=", inside))
