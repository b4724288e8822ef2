"""Hostile HTML and Markdown, generated as classes, and the checks that an output is inert.

Shared by tests/test_sanitize.py and tests/browser/test_hostile.py. Every payload would set
``window.__pwned = 1`` if it ran.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import markdown
from hypothesis import strategies as st

from helpers import ROOT
from oirsite.read.settings import engine_markdown

JS = "window.__pwned=1"

# Ways of writing 'javascript:' that a browser still reads as the scheme.
SCHEMES = [
    "javascript:", "JaVaScRiPt:", " javascript:", "\tjavascript:", "java\tscript:", "java\nscript:",
    "&#106;avascript:", "&#x6A;avascript&colon;", "java&#x09;script:", "javascript&#58;", "&#0000106avascript:",
    "vbscript:", "data:text/html,<script>" + JS + "</script>", "data:text/html;base64,PHNjcmlwdD4=", "\x01javascript:",
]
URL_ATTRIBUTES = ["href", "src", "action", "formaction", "xlink:href", "poster", "data", "background", "srcset"]
HANDLERS = ["onerror", "onload", "onclick", "onfocus", "onmouseover", "onanimationstart", "onpointerenter",
            "ONERROR", "oNlOaD", "onbegin", "ontoggle"]
TAGS = ["img", "a", "p", "div", "svg", "math", "iframe", "object", "embed", "details", "video", "audio",
        "body", "input", "form", "button", "style", "script", "link", "meta", "base", "template", "noscript",
        "select", "textarea", "marquee", "frameset", "image", "isindex", "animate", "set", "use", "xmp"]
SEPARATORS = [" ", "/", "\t", "\n", "\x0c", " /", "/**/ "]
QUOTES = ['"', "'", ""]


@st.composite
def hostile_tags(draw) -> str:
    """One HTML start tag (and maybe its end) carrying a payload through an attribute."""
    tag = draw(st.sampled_from(TAGS))
    sep = draw(st.sampled_from(SEPARATORS))
    quote = draw(st.sampled_from(QUOTES))
    kind = draw(st.sampled_from(["handler", "url", "style", "autofocus"]))
    if kind == "url":
        attribute = f"{draw(st.sampled_from(URL_ATTRIBUTES))}={quote}{draw(st.sampled_from(SCHEMES))}{JS}{quote}"
    elif kind == "style":
        attribute = f"style={quote}position:fixed;inset:0;background:url(//evil.example/x){quote}"
    else:
        attribute = f"{draw(st.sampled_from(HANDLERS))}={quote}{JS}{quote}"
        if kind == "autofocus":
            attribute = "autofocus tabindex=1" + sep + attribute
    close = draw(st.sampled_from(["", f"x</{tag}>", f"<{tag}>{JS}</{tag}>"]))
    return f"<{tag}{sep}{attribute}>{close}"


SCRIPTS = [f"<script>{JS}</script>", f"<ScRiPt>{JS}</sCrIpT>", f"<script\n>{JS}</script\n>",
           f"<svg><script>{JS}</script></svg>", f"<math><mtext><table><mglyph><style><img src=x onerror={JS}>",
           f"<noscript><p title=\"</noscript><img src=x onerror={JS}>\">",
           f"<!--><img src=x onerror={JS}>-->", f"<![CDATA[><img src=x onerror={JS}>]]>",
           f"<iframe srcdoc=\"<script>parent.{JS}</script>\"></iframe>",
           f"<meta http-equiv=\"refresh\" content=\"0;url=javascript:{JS}\">",
           f"<base href=\"javascript:{JS}//\">", f"<form><button formaction=javascript:{JS}>x</button></form>",
           f"<a href=\"javascript:{JS}\">x</a>", f"<img src=https://evil.example/x.png>",
           f"<div style=\"position:fixed;inset:0\">x</div>", f"<h2 id=__config>x</h2>",
           f"<object data=\"data:text/html,<script>{JS}</script>\"></object>"]

# Markdown that would carry a payload through attr_list or a link.
MARKDOWN = [
    "# Title {: onclick=\"" + JS + "\" }", "A paragraph\n{: onmouseover=\"" + JS + "\" }",
    "[link](https://example.org){: onclick=\"" + JS + "\" }", "![image](x.png){: onerror=\"" + JS + "\" }",
    "[x](javascript:" + JS + ")", "[x](<javascript:" + JS + ">)", "[x](JAVASCRIPT:" + JS + ")",
    "[x][ref]\n\n[ref]: javascript:" + JS, "<javascript:" + JS + ">", "[x](&#106;avascript:" + JS + ")",
    "## Heading {: style=\"position:fixed\" }", "* item {: onclick=\"" + JS + "\" }",
    "![x](https://evil.example/x.png)", "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "Term\n: definition {: onclick=\"" + JS + "\" }", "<div markdown>\n[x](javascript:" + JS + ")\n</div>",
    "!!! note \"<img src=x onerror=" + JS + ">\"\n    body", "| a |\n|---|\n| <img src=x onerror=" + JS + "> |",
    "*[HTML]: <img src=x onerror=" + JS + ">\n\nHTML", "# &lt;/title&gt;&lt;script&gt;" + JS + "&lt;/script&gt;",
]

hostile_html = st.one_of(hostile_tags(), st.sampled_from(SCRIPTS))
hostile_fragments = st.lists(st.one_of(hostile_html, st.text(max_size=20)), min_size=1, max_size=5).map("".join)


def site_markdown() -> markdown.Markdown:
    """Python-Markdown with the extensions (and settings) MkDocs uses for the site: the check's own."""
    names, configs = engine_markdown(ROOT)
    return markdown.Markdown(extensions=names, extension_configs=configs)


def render(text: str) -> str:
    md = site_markdown()
    return md.convert(text)


_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "background",
                   "srcset", "cite", "srcdoc"}
# An <svg> of boxes, lines and text is allowed (the organizations' map); what in one could run script,
# load from another host or take in other markup is not.
_NEVER = {"script", "iframe", "frame", "object", "embed", "math", "style", "link", "meta", "base", "form",
          "template", "noscript", "applet", "frameset", "input", "button", "textarea", "select", "video", "audio",
          "foreignobject", "use", "image", "feimage", "animate", "animatemotion", "animatetransform", "set",
          "mpath", "discard", "handler", "listener"}


class Inert(HTMLParser):
    """Collects every way a piece of HTML could run script, load from another host or cover the page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _NEVER:
            self.problems.append(f"element <{tag}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"handler {name}")
            if name == "style":
                self.problems.append("style attribute")
            if name in _URL_ATTRIBUTES:
                url = "".join(ch for ch in value if ch not in "\t\n\r").strip(" \x00-\x20").lower()
                url = "".join(ch for ch in url if ord(ch) > 0x20)
                if url.startswith(("javascript:", "vbscript:", "data:")):
                    self.problems.append(f"{name}={value!r}")
                if tag == "img" and name == "src" and (":" in url or url.startswith(("//", "/\\", "\\"))):
                    self.problems.append(f"image from another host {value!r}")
            if name == "id" and value.startswith("__"):
                self.problems.append(f"theme id {value!r}")


def problems(html: str) -> list[str]:
    checker = Inert()
    checker.feed(html)
    checker.close()
    return checker.problems


def write_pages(folder: Path, pages: dict[str, str]) -> None:
    for name, body in pages.items():
        (folder / name).write_text(body, encoding="utf-8")
