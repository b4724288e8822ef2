"""One safety path for every engine: hostile front matter and bodies, built by MkDocs and by
Zensical (from the export), give the same inert pages: nothing that runs, no refresh to another
host, the hostile text shown as text. What the check refuses stops both engines' commands, at
its place; what slips past the check is refused by the export's own sanitizing."""

from __future__ import annotations

import html
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import markdown
import markupsafe
import pytest
from hypothesis import given, strategies as st

from helpers import ROOT, SITE_URL, SOURCE_DATE_EPOCH, check, copy_project, write_tree
from oirsite.tools.export import ExportRefused, SanitizeExtension, UnsafeContent, export, safe_page
from oirsite.site import Page
from oirsite.safety.sanitize import escape_meta, escape_text

JS = "window.__pwned=1"
REFRESH = '"><meta http-equiv=refresh content="0;url=https://evil.example">'
BREAKOUT = 'x" http-equiv="refresh" content="0;url=https://evil.example'  # no tag: an attribute break-out
TITLE = "T " + BREAKOUT + " </title><script>" + JS + "</script> 'single'"
DESCRIPTION = "D " + BREAKOUT + " " + REFRESH + " <img src=x onerror=" + JS + ">"
TAGS = ["<img src=x onerror=" + JS + ">", "x\" onclick=\"" + JS]


def _yaml(text: str) -> str:
    """``text`` as a YAML string in which '<' and '>' are escapes: the check reads the front
    matter's source, where they are no HTML at all."""
    quoted = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\x3c").replace(">", "\\x3e")
    return f'"{quoted}"'


# Accepted by the check (text with quotes and escaped markup): must come out as text.
ACCEPTED = {
    "docs/hostile.md": f"""
        ---
        title: {_yaml(TITLE)}
        description: {_yaml(DESCRIPTION)}
        tags: [{", ".join(_yaml(tag) for tag in TAGS)}]
        ---

        # Heading &lt;/title&gt;&lt;script&gt;{JS}&lt;/script&gt; "q" R&D

        A body with "quotes" and R&D.
    """,
    "docs/plain.md": """
        # Heading only x" onmouseover="y

        No front matter.
    """,
}
SUMMARY = "Sum " + BREAKOUT  # an entry's summary: the generated page's description


def _with_hostile_summary(root: Path) -> None:
    path = root / "content/events/world-health-day-2021.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("summary:"))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith(" "))
    lines[start:end] = ["summary: '" + SUMMARY.replace("'", "''") + "'"]
    path.write_text("\n".join(lines), encoding="utf-8")


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SITE_URL": SITE_URL, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    write_tree(root, ACCEPTED)
    _with_hostile_summary(root)
    return root


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def hostile_site(request, hostile_project, tmp_path_factory) -> tuple[str, Path]:
    site = tmp_path_factory.mktemp(request.param) / "site"
    script = "build.py" if request.param == "mkdocs" else "zensical_build.py"
    result = _run(str(ROOT / "scripts" / script), "--root", str(hostile_project), "--site-dir", str(site),
                  cwd=hostile_project)
    assert result.returncode == 0, result.stdout + result.stderr
    return request.param, site


class _Executable(HTMLParser):
    """Everything in a page that could run script or send the reader elsewhere by itself."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=>")
            squeezed = "".join(ch for ch in value if ord(ch) > 0x20).lower()
            if name in ("href", "src", "action", "formaction", "content") and "javascript:" in squeezed:
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            target = values.get("content", "").partition("url=")[2].strip("'\" ")
            if urlsplit(target).netloc and not target.startswith(SITE_URL):
                self.problems.append(f"refresh to {target!r}")
        if tag == "script" and values.get("src") and urlsplit(values["src"]).netloc:
            self.problems.append(f"script from {values['src']!r}")
        if tag in ("iframe", "object", "embed", "base"):  # (the theme has a search form of its own)
            self.problems.append(f"<{tag}>")
        self._script = tag == "script"

    def handle_endtag(self, tag):
        self._script = False

    def handle_data(self, data):
        if self._script and "__pwned" in data:
            self.problems.append(f"inline script {data[:60]!r}")


def _meta(page: str, name: str) -> list[str]:
    found: list[str] = []

    class Finder(HTMLParser):
        def handle_starttag(self, tag, attrs):
            values = dict(attrs)
            if tag == "meta" and name in (values.get("name"), values.get("property")):
                found.append(values.get("content") or "")
    Finder(convert_charrefs=True).feed(page)
    return found


def test_no_page_of_either_engine_runs_anything_or_leaves(hostile_site):
    engine, site = hostile_site
    problems = []
    for path in site.rglob("*.html"):
        if path.relative_to(site).parts[0] == "admin":
            continue  # Decap CMS's own page (tests/test_cms.py)
        checker = _Executable()
        checker.feed(path.read_text(encoding="utf-8"))
        problems += [f"{path.relative_to(site)}: {problem}" for problem in checker.problems]
    assert problems == [], f"{engine}: " + "\n".join(problems)


def test_hostile_values_are_shown_as_text_and_alike_in_both_engines(hostile_site):
    engine, site = hostile_site
    page = (site / "hostile/index.html").read_text(encoding="utf-8")
    assert _meta(page, "description") == [DESCRIPTION], engine  # one element: nothing broke out
    assert _meta(page, "og:description") == [DESCRIPTION] == _meta(page, "twitter:description")
    assert _meta(page, "og:title") == [TITLE]
    assert html.unescape(page.split("<title>", 1)[1].split("</title>", 1)[0]).strip().startswith(TITLE + " - ")
    event = (site / "events/world-health-day-2021/index.html").read_text(encoding="utf-8")
    assert _meta(event, "description") == [SUMMARY] == _meta(event, "og:description")
    heading_only = (site / "plain/index.html").read_text(encoding="utf-8")
    assert _meta(heading_only, "og:title") == ['Heading only x" onmouseover="y']


@pytest.mark.parametrize("body", ["<script>" + JS + "</script>", "<img src=x onerror=" + JS + ">",
                                  "[x](javascript:" + JS + ")", REFRESH])
def test_a_hostile_body_stops_the_zensical_build_at_its_place(tmp_path, body):
    root = copy_project(tmp_path / "project")
    write_tree(root, {"docs/bad.md": f"# Bad\n\nText.\n\n{body}\n"})
    result = _run(str(ROOT / "scripts" / "zensical_build.py"), "--root", str(root), "--site-dir",
                  str(tmp_path / "site"), cwd=tmp_path)
    assert result.returncode == 1
    assert "docs/bad.md:5:" in result.stdout + result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


def test_the_export_refuses_a_page_the_check_did_not_see(tmp_path):
    """The output is sanitized whatever the check found: a page that reaches the export with HTML
    the sanitizer would change (here put there behind the check's back) is refused, at its
    place, and nothing is written."""
    root = copy_project(tmp_path / "project")
    site = check(root)
    assert site.ok
    bad = "# X\n\nText.\n\n<p onclick=\"" + JS + "\">x</p>\n\n# Y {: data-toc-label=\"<img src=x onerror=" + JS + ">\" }\n"
    write_tree(root, {"docs/sneaky.md": bad})
    site.hand_written["sneaky.md"] = Page("sneaky.md", bad, "docs/sneaky.md")
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ExportRefused) as refused:
        export(site, out)
    found = sorted((d.path, d.line) for d in refused.value.diagnostics)
    assert found == [("docs/sneaky.md", 5), ("docs/sneaky.md", 7)], found
    assert "nothing was exported" in str(refused.value)
    assert list(out.iterdir()) == []


def test_the_export_writes_front_matter_anew_escaped():
    meta, body = safe_page('---\ntitle: A "b" <c> & \'d\'\ntags: [x"y]\njsonld: "{\\"a\\": \\"</script>\\"}"\n---\n# B\n',
                           generated=False)
    assert meta == '---\ntitle: "A &#34;b&#34; &lt;c&gt; &amp; &#39;d&#39;"\ntags: ["x&#34;y"]\n---\n\n'
    assert body == "# B\n"
    meta, _ = safe_page('---\njsonld: "{\\"a\\": \\"</script>\\"}"\n---\n', generated=True)
    assert meta == '---\njsonld: "{\\"a\\":\\"\\\\u003c/script\\\\u003e\\"}"\n---\n\n'
    assert safe_page("---\r\ntitle: x\r\n---\r\n# B", generated=False)[0] == "---\n{}\n---\n\n"


@given(st.text())
def test_the_one_escaping_writes_what_jinja_writes(text):
    """The MkDocs pages stay byte for byte what they were: escape_text is markupsafe's escape."""
    assert escape_text(text) == str(markupsafe.escape(text))
    assert escape_meta({"a": [text, {"b": text}], "n": 3, "tags": [text]}, plain=("tags",)) == {
        "a": [escape_text(text), {"b": escape_text(text)}], "n": 3, "tags": [text]}


def test_the_sanitizer_extension_refuses_a_table_of_contents_label():
    md = markdown.Markdown(extensions=["toc", "attr_list", SanitizeExtension()])
    assert md.convert("# A R&D\n\n[TOC] is text here") .startswith('<h1 id="a-rd">A R&amp;D</h1>')
    with pytest.raises(UnsafeContent, match="event-handler"):
        md.reset().convert('# A {: data-toc-label="<i onclick=x>L</i>" }')
    with pytest.raises(UnsafeContent, match="<script>"):
        md.reset().convert("<script>" + JS + "</script>")
