"""The one sanitizer for every piece of HTML that comes from content (README, "Safe by construction").

``sanitize`` parses HTML as a browser does (html5ever, through ``nh3``, the binding of ammonia) and keeps
only the allowlist below, so safety never depends on recognising an attack; what it removes comes back
as ``Removal``s, each reported as a located error. ``escape_meta`` (front matter) and ``sanitize_toc``
(headings of the table of contents) are the rest of the path every engine shares (plugin and export).
"""

from __future__ import annotations

import difflib
import itertools
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

from ..core.text import LineIndex

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time",
    "tr", "u", "ul", "var", "wbr",
    # A drawing of boxes, lines and text, as the organizations' map (pages/relmap.py) draws it: no
    # script, style, link, image, <use>, <foreignObject> or animation can be written in one.
    "svg", "g", "rect", "path", "text",
})
_GENERIC = {"id", "title", "lang"}  # on every allowed element ("class" is filtered by ALLOWED_CLASSES)
_ATTRIBUTES = {
    "*": _GENERIC,
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start", "reversed"},
    "li": {"value"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
    "div": {"data-search-exclude"},  # Material's search leaves the block out of its index
    "time": {"datetime"},
    "svg": {"viewBox", "width", "height", "aria-hidden"},
    "rect": {"x", "y", "width", "height", "rx"},
    "path": {"d"},
    "text": {"x", "y"},
}
_VALUES = {tag: {"align": {"left", "center", "right"}} for tag in ("th", "td")}  # table column alignment

# Material's admonition types (https://squidfunk.github.io/mkdocs-material/reference/admonitions/)
ADMONITION_TYPES = frozenset({
    "note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important", "success", "check",
    "done", "question", "help", "faq", "warning", "caution", "attention", "failure", "fail", "missing",
    "danger", "error", "bug", "example", "quote", "cite",
})
BUTTON_CLASSES = frozenset({"md-button", "md-button--primary"})
ALLOWED_CLASSES = {
    "div": {"admonition", "grid", "cards", "card", "relmap", *ADMONITION_TYPES},
    "p": {"admonition-title"},
    "a": {"headerlink", *BUTTON_CLASSES},
    "details": set(ADMONITION_TYPES),
    "g": {"relmap-here"},
    "path": {"relmap-member"},
}
URL_SCHEMES = {"https", "http", "mailto"}

# An id of the theme's own elements could take their place (Material finds its configuration as
# '#__config'): a content id starts with a letter or digit and is none of the theme's 'md-' names.
_SAFE_ID = re.compile(r"(?!md-)[A-Za-z0-9][\w.:/-]*\Z", re.ASCII)
# An image of this site: a relative address with no scheme, no host ('//' or '\\' a browser would
# read as one), no white space or control character a browser would remove before reading it.
_LOCAL_SRC = re.compile(r"(?![/\\]{2})(?!/\\)[A-Za-z0-9._~%!$&'()*+,;=@/?#-]+\Z")
# Python-Markdown's tables extension writes a column's alignment as this one style: kept, as the
# (allowed) align attribute, instead of allowing style attributes.
_TABLE_ALIGN = re.compile(r'<(th|td) style="text-align: (left|center|right);">')


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    if attribute == "title" and ("<" in value or ">" in value):
        return None  # the theme's tooltips write a title as HTML (innerHTML): it must hold no markup
    if attribute == "id":
        return value if _SAFE_ID.match(value) else None
    if element == "img" and attribute == "src":
        return value if _LOCAL_SRC.match(value) else None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(TAGS), attributes={k: set(v) for k, v in _ATTRIBUTES.items()}, attribute_filter=_attribute_filter,
    link_rel=None, url_schemes=set(URL_SCHEMES), allowed_classes={k: set(v) for k, v in ALLOWED_CLASSES.items()},
    tag_attribute_values=_VALUES, strip_comments=True,
)


@dataclass(frozen=True)
class Removal:
    """Something the sanitizer took out, said for an editor; ``needles`` are texts to look for in the
    source file (most specific first) to say on which line it stands."""

    code: str  # 'unsafe-html' or 'unsafe-url'
    message: str
    hint: str
    needles: tuple[str, ...]


def sanitize(html: str) -> tuple[str, list[Removal]]:
    """``html`` with everything outside the allowlist removed, and what was removed."""
    html = _TABLE_ALIGN.sub(r'<\1 align="\2">', html)
    clean = _CLEANER.clean(html)
    if clean == html:
        return clean, []  # the allowlist kept every byte: nothing to compare (most pages: no parse at all)
    for _ in range(3):  # until what it returns passes again unchanged: ammonia may keep a nesting
        if (again := _CLEANER.clean(clean)) == clean:  # that parsing its own output undoes (an <a> inside an <a>)
            break
        clean = again
    before, after = _Tokens(html), _Tokens(clean)
    if before.tags == after.tags and before.words() == after.words():
        return clean, []  # nothing was removed, only written differently
    return clean, _removals(before, after)


class _Tokens(HTMLParser):
    """The start tags (with their attributes) and the text of some HTML, as a browser-like parser sees them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[tuple[str, str], ...]]] = []
        self.text: list[str] = []  # the text, in pieces as the parser found them
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, tuple(sorted((name, value or "") for name, value in attrs))))

    def handle_data(self, data):
        self.text.append(data)

    def words(self) -> list[str]:
        """The text as a reader sees it, however it was cut into pieces (by a comment, say)."""
        return "".join(self.text).split()


_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "cite", "data"}


def _removals(before: _Tokens, after: _Tokens) -> list[Removal]:
    removals: list[Removal] = []
    for op, i1, i2, j1, j2 in _alignment([t for t, _ in before.tags], [t for t, _ in after.tags]):
        if op == "equal":
            for (tag, attrs), (_, kept) in zip(before.tags[i1:i2], after.tags[j1:j2]):
                kept_values = dict(kept)
                removals += [_attribute_removal(tag, name, value, kept_values.get(name))
                             for name, value in attrs if kept_values.get(name) != value]
        elif op in ("delete", "replace"):
            removals += [Removal("unsafe-html", f"the HTML element <{tag}> is not allowed in content",
                                 "write Markdown; ask a maintainer if the page needs something special",
                                 (f"<{tag}",) + tuple(f"{name}={value}" for name, value in attrs if value))
                         for tag, attrs in before.tags[i1:i2]]
    if not removals and before.words() != after.words():
        # text changed though no element was taken out (the parsers read the HTML differently):
        # say so rather than publish something else than what was written
        removals.append(Removal("unsafe-html", "this HTML cannot be published as written",
                                "write Markdown instead of HTML", ("<",)))
    return removals


def _alignment(names: list[str], kept_names: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Which elements before the sanitizer are which after it, as difflib's opcodes. It removes an element
    by its name: where the elements after are those before whose names it kept, in order, each is paired
    with its own, in linear time. (difflib pairs a run of one kind with the first run it finds: then an
    allowed element beside a removed one was said to be removed, and its search took a time growing with
    the square of the number of elements.) Otherwise (the parser moved elements) difflib's pairing."""
    kept = set(kept_names)
    if [name for name in names if name in kept] != kept_names:
        return difflib.SequenceMatcher(None, names, kept_names, autojunk=False).get_opcodes()
    opcodes, j = [], 0
    for is_kept, run in itertools.groupby(range(len(names)), key=lambda i: names[i] in kept):
        indices = list(run)
        i1, i2 = indices[0], indices[-1] + 1
        opcodes.append(("equal", i1, i2, j, j + i2 - i1) if is_kept else ("delete", i1, i2, j, j))
        j += i2 - i1 if is_kept else 0
    return opcodes


def _attribute_removal(tag: str, name: str, value: str, kept: str | None) -> Removal:
    if name == "class" and kept is not None:
        dropped = sorted(set(value.split()) - set(kept.split()))
        allowed = sorted(ALLOWED_CLASSES.get(tag, ()))
        return Removal("unsafe-html", f"the class {', '.join(repr(c) for c in dropped)} is not allowed on <{tag}>",
                       ("the classes allowed here are " + ", ".join(allowed)) if allowed
                       else f"<{tag}> takes no class", tuple(dropped) + (f"{name}=",))
    tail = value.split(":", 1)[1].strip() if ":" in value else ""  # after the scheme, however that is spelled
    needles = tuple(n for n in (f"{name}={value}", f"{name}=\"{value}\"", value, tail, f"{name}=", name) if n)
    if name == "id":
        return Removal("unsafe-html", f"the id '{value}' is not allowed",
                       "an id starts with a letter or digit and does not start with 'md-'", needles)
    if tag == "img" and name == "src":
        return Removal("unsafe-url", f"the image '{value}' is not on this site",
                       "put the image in the docs/ folder and link it with a relative address", needles)
    if name in _URL_ATTRIBUTES:
        return Removal("unsafe-url", f"the address '{value}' is not allowed" if ":" in value else
                       f"'{value}' is not an allowed address", "link to an https:// address or a page of this site",
                       needles)
    if name.startswith("on"):
        return Removal("unsafe-html", f"HTML event-handler attributes (such as {name}=) are not allowed",
                       "remove the attribute", needles)
    if name == "style":
        return Removal("unsafe-html", "style attributes are not allowed in content",
                       "remove the attribute; the site's look comes from its stylesheet", needles)
    return Removal("unsafe-html", f"the attribute '{name}' is not allowed on <{tag}>", "remove the attribute", needles)


def locate_in(removal: Removal, root, candidates: list[str], fallback: str) -> tuple[str, int, int]:
    """The file (of ``candidates``, paths relative to ``root``: the sources a page was made from)
    and the line and column where ``removal`` stands; ``fallback``, 1, 1 if there is none."""
    for candidate in candidates:
        try:
            text = (root / candidate).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        found = locate(text, removal)
        if found != (1, 1) or len(candidates) == 1:
            return candidate, *found
    return (candidates[0] if candidates else fallback), 1, 1


def locate(text: str, removal: Removal) -> tuple[int, int]:
    """The line and column (from 1) in ``text`` where ``removal`` most likely stands: the first of its
    needles found (ignoring case), else line 1."""
    return Locator(text).find(removal)


class Locator:
    """``locate`` for many removals in one text (newlines normalized): its lower case and line starts are
    made once and each set of needles is looked for once (made again for each of thousands of removals,
    they took a time growing with the square of the text)."""

    def __init__(self, text: str):
        self.lower, self.lines, self.found = text.lower(), LineIndex(text), {}

    def find(self, removal: Removal) -> tuple[int, int]:
        if removal.needles not in self.found:
            offsets = (self.lower.find(needle.lower()) for needle in removal.needles if needle)
            offset = next((offset for offset in offsets if offset >= 0), None)
            self.found[removal.needles] = (1, 1) if offset is None else self.lines.position(offset)
        return self.found[removal.needles]


_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"})


def escape_text(value: str) -> str:
    """``value`` as HTML text, safe in an element and in a quoted attribute (as Jinja's ``| e`` writes it)."""
    return value.translate(_ESCAPES)


def escape_meta(value, plain: tuple[str, ...] = (), text=escape_text):
    """Front matter with every string (at any depth) escaped by ``text``: a template that writes a value as it is
    (Material's and Zensical's do) writes text, never HTML. Keys in ``plain`` keep theirs (the tags plugin
    escapes them)."""
    if isinstance(value, str):
        return text(value)
    if isinstance(value, list):
        return [escape_meta(item, (), text) for item in value]
    if isinstance(value, dict):
        return {key: item if key in plain else escape_meta(item, (), text) for key, item in value.items()}
    return value


def sanitize_toc(tokens: list[dict]) -> list[Removal]:
    """Python-Markdown's table of contents (``toc_tokens``) through the sanitizer, in place: the headings'
    HTML, and a ``data-toc-label``, which the toc extension takes out of the page and gives to the table of
    contents only (so the page's sanitizing never sees it)."""
    removals: list[Removal] = []
    for token in tokens:
        for key in ("name", "html", "data-toc-label"):
            if isinstance(token.get(key), str) and ("<" in token[key] or "&" in token[key]):
                token[key], removed = sanitize(token[key])
                removals += removed
        removals += sanitize_toc(token.get("children") or [])
    return removals
