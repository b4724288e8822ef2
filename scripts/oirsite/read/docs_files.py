"""The files of ``docs/``: which may be published, and what hand-written pages may set.

Every file of ``docs/`` is published as it is (an asset) or as a page, so it is input like any content
file: its type is on an allowlist (pages, images, fonts, stylesheets, and in ``javascripts/`` only the
project's own scripts; HTML and SVG are refused rather than sanitized, as a browser runs their scripts
when they are opened at their own address, on the site's origin); no symbolic link (a file is published
byte for byte, so a link could publish any file of the machine that builds: every link is refused,
even one that points inside the project); no path of the theme or of a generated output (the theme's
bundle, sitemap.xml, feed.xml: it would replace it); and a size limit. Page front matter reaches the theme's
templates: ``check_page_meta`` allows a few keys with plain values only. Nothing here imports MkDocs:
the theme's folders are passed in (``theme_paths``).
"""

from __future__ import annotations

import importlib.util
import os
import re
import unicodedata
from pathlib import Path, PurePosixPath
from typing import Any, Iterable

from ..core.diagnostics import Diagnostics, did_you_mean
from ..core.paths import PageRef
from .scan import MarkdownSource, code_ranges, within
from .source import front_matter_bounds, read_source
from .yamlread import parse_yaml

MAX_ASSET_BYTES = 10_000_000  # an image or a font of more than 10 MB has no place on a page

IMAGES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico"}
FONTS = {".woff", ".woff2"}
ALLOWED = {".md", ".css"} | IMAGES | FONTS
SCRIPTS_FOLDER = "javascripts"  # the project's own scripts, named in mkdocs.yml's extra_javascript

# Written by the engine and its plugins into the site (besides the pages and our feed and
# calendars, which the caller knows): a docs/ file there would replace or be replaced by them.
ENGINE_OUTPUTS = frozenset({"sitemap.xml", "sitemap.xml.gz", "404.html", "tags.json", "search/", "admin/"})

# Files of a theme folder that the engine does not publish (templates are rendered, not copied).
_THEME_PRIVATE = {".py", ".pyc", ".html", ".yml"}


def material_templates_dir() -> Path | None:
    """Where the Material theme's files are, without importing MkDocs (or Material's plugins)."""
    spec = importlib.util.find_spec("material")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "templates"
    return folder if folder.is_dir() else None


def theme_paths(*theme_dirs: Path | None) -> frozenset[str]:
    """The paths a theme takes in the site: each of its files, and ``folder/`` for each folder
    whose files it publishes (so that a new version's renamed bundle is covered too)."""
    paths: set[str] = set()
    for theme in theme_dirs:
        if theme is None or not theme.is_dir():
            continue
        for folder, dirs, files in os.walk(theme):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
            rel_folder = Path(folder).relative_to(theme).as_posix()
            for name in files:
                rel = name if rel_folder == "." else f"{rel_folder}/{name}"
                paths.add(rel)
                if rel_folder != "." and not name.startswith(".") and Path(name).suffix not in _THEME_PRIVATE:
                    paths.add(rel_folder + "/")
    return frozenset(paths)


def list_docs(docs: Path) -> list[Path]:
    """Every file of ``docs`` (and every symbolic link, to a file or a folder), sorted, without following
    links and without hidden files and folders (which the engine does not publish)."""
    if not docs.is_dir() or docs.is_symlink():
        return []
    found: list[Path] = []
    for folder, dirs, files in os.walk(docs):
        links = [d for d in dirs if os.path.islink(os.path.join(folder, d))]
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in links)
        found.extend(Path(folder, name) for name in [*files, *links] if not name.startswith("."))
    return sorted(found)


def scan_docs(root: Path, docs_dir: str, diagnostics: Diagnostics, reserved: Iterable[str] = (),
              generated: Iterable[str] = ()) -> list[Path]:
    """The files of ``root/docs_dir`` that may be published; every other one is reported, located.
    ``reserved``: the theme's paths; ``generated``: the paths the build writes (with ENGINE_OUTPUTS), in
    the site, 'folder/' for a whole folder. A page that clashes with a generated page is the caller's
    message ('page-clash'); only its folder is checked here."""
    docs = root / docs_dir
    if docs.is_symlink():
        diagnostics.error(docs_dir, 1, 1, "symlink", "the pages folder is a symbolic link",
                          "keep the pages in the project itself: replace the link with the folder")
        return []
    reserved = frozenset(reserved)
    outputs = frozenset(generated) | ENGINE_OUTPUTS
    taken_paths = reserved | outputs
    taken_folders = [p for p in taken_paths if p.endswith("/")]
    accepted: list[Path] = []
    for path in list_docs(docs):
        rel = path.relative_to(docs).as_posix()
        shown = f"{docs_dir}/{rel}"
        suffix = path.suffix.lower()
        # not printable text: a control or format character, a line or paragraph separator, a noncharacter
        odd = next((c for c in rel if unicodedata.category(c)[0] == "C" or unicodedata.category(c) in ("Zl", "Zp")),
                   None)
        if odd is not None:
            diagnostics.error(shown, 1, 1, "control-character", f"the file's name holds a character that is "
                              f"not text (U+{ord(odd):04X}): it would be printed into logs and addresses as it is",
                              "rename the file with letters, digits and hyphens")
            continue
        if path.is_symlink():
            diagnostics.error(shown, 1, 1, "symlink", "this is a symbolic link: files of the pages folder are published "
                              "as they are, so links are not allowed", "replace the link with a copy of the file")
            continue
        if not path.is_file():
            diagnostics.error(shown, 1, 1, "unreadable", "this is not a plain file (it is a device, a pipe or a socket)",
                              "remove it")
            continue
        if suffix == ".md" and path.suffix != ".md":  # MkDocs publishes it as a page; the check reads only .md
            diagnostics.error(shown, 1, 1, "file-type", f"a page's name ends in '.md' in lowercase, not "
                              f"'{path.suffix}'", f"rename it to {path.stem}.md")
            continue
        # the path it would take: the same path, or a path in a ``folder/``
        clash = next((p for p in (taken_folders if suffix == ".md" else taken_paths)
                      if (p.endswith("/") and (rel + "/").startswith(p)) or rel == p), None)
        if clash is not None:
            what = "the theme" if clash in reserved else "the build"
            diagnostics.error(shown, 1, 1, "reserved-path",
                              f"'{rel}' is a path that {what} writes ('{clash}'): this file would replace it or be "
                              "replaced by it", "rename the file or move it into another folder")
            continue
        if suffix not in ALLOWED and not (suffix == ".js" and PurePosixPath(rel).parts[0] == SCRIPTS_FOLDER):
            diagnostics.error(shown, 1, 1, "file-type", *_refused_type(rel, suffix))
            continue
        if suffix != ".md":  # pages are read (and limited) with every other text
            size = path.stat().st_size
            if size > MAX_ASSET_BYTES:
                diagnostics.error(shown, 1, 1, "file-too-large", f"the file is larger than "
                                  f"{MAX_ASSET_BYTES // 1_000_000} MB", "make it smaller (images: resize or compress)")
                continue
        accepted.append(path)
    return accepted


def _refused_type(rel: str, suffix: str) -> tuple[str, str]:
    """Why a file of this type is not published, and what to do instead."""
    if suffix == ".js":
        return (f"a script is allowed only in the '{SCRIPTS_FOLDER}/' folder of the pages",
                f"move it into {SCRIPTS_FOLDER}/ (and name it in mkdocs.yml's extra_javascript)")
    hint = "write the page in Markdown (.md)" if suffix in (".html", ".htm", ".xhtml") else \
        "save the drawing as PNG or WebP" if suffix == ".svg" else \
        ("the pages folder holds pages (.md), images (" + ", ".join(sorted(IMAGES)) + "), fonts (.woff, .woff2), "
         "stylesheets (.css) and scripts in javascripts/")
    if suffix in (".html", ".htm", ".svg", ".xhtml", ".xml"):
        return f"'{suffix}' files are not published: a browser runs the scripts they may hold", hint
    return f"'{PurePosixPath(rel).name}' is not a kind of file the site publishes", hint


# MultiMarkdown's 'key: value' lines, up to the first blank line: MkDocs takes them for front matter too.
_MMD_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")

MAX_TITLE = 200
MAX_DESCRIPTION = 500
MAX_TAG = 100
HIDE = ("navigation", "toc", "footer", "feedback", "path", "tags")  # what Material's 'hide' knows
STATUS = ("new", "deprecated")  # Material's page statuses
PAGE_KEYS = ("title", "description", "tags", "hide", "search", "status")


def check_page_meta(path: str, text: str, diagnostics: Diagnostics) -> dict[str, Any]:
    """The front matter of the page ``text`` (``path`` as messages print it), or {} if it has none or
    is wrong. Every problem is reported at its line, and so are MultiMarkdown-style lines (which MkDocs
    would silently take out of the page)."""
    bounds = front_matter_bounds(text, mkdocs=True)  # what MkDocs itself takes for front matter
    if bounds is None:
        mmd = _MMD_LINE.match(text.split("\n", 1)[0])
        if mmd:
            diagnostics.error(path, 1, 1, "front-matter",
                              f"the page starts with '{mmd.group('key')}:', which the site would take for a setting "
                              "and remove from the page",
                              "start the page with a heading ('# Title'), or put settings between two lines '---'")
        return {}
    parsed = parse_yaml(text[bounds[0]:bounds[1]], path, diagnostics, first_line=2)
    if parsed is None or parsed[0] is None:
        return {}
    data, positions = parsed
    if not isinstance(data, dict):
        diagnostics.error(path, 2, 1, "not-a-mapping", "the lines between the first two '---' lines are read as "
                          "settings ('name: value'), but they are not", "write settings there, or start the page "
                          "with a heading ('# Title')")
        return {}
    ok = True

    def fail(key: tuple, message: str, hint: str = "", code: str = "invalid-value") -> None:
        nonlocal ok
        ok = False
        diagnostics.error(path, *(positions.of_key(key) if code == "unknown-field" else positions.of_value(key)),
                          code, message, hint)

    for key, value in data.items():
        if key not in PAGE_KEYS:
            fail((key,), f"unknown setting '{key}' in the front matter of a page",
                 did_you_mean(key, PAGE_KEYS, "a page may set: " + ", ".join(PAGE_KEYS)), code="unknown-field")
        elif key in ("title", "description"):
            limit = MAX_TITLE if key == "title" else MAX_DESCRIPTION
            if not isinstance(value, str) or not value.strip():
                fail((key,), f"'{key}' must be text", "write it on the same line, after the colon")
            elif "\n" in value.strip():
                fail((key,), f"'{key}' must be one line of text")
            elif len(value) > limit:
                fail((key,), f"'{key}' is longer than {limit} characters", "shorten it")
        elif key == "tags":
            if not isinstance(value, list):
                fail((key,), "'tags' must be a list (lines starting with '- ')")
                continue
            for index, tag in enumerate(value):
                if not isinstance(tag, str) or not tag.strip() or "\n" in tag.strip() or len(tag) > MAX_TAG:
                    fail((key, index), f"a tag is a short line of text (at most {MAX_TAG} characters)")
        elif key == "hide":
            if not isinstance(value, list):
                fail((key,), "'hide' must be a list (lines starting with '- '), for example '- toc'")
                continue
            for index, item in enumerate(value):
                if item not in HIDE:
                    fail((key, index), f"'hide' lists what to hide: one of {', '.join(HIDE)}",
                         did_you_mean(str(item), HIDE))
        elif key == "search" and not isinstance(value, dict):
            fail((key,), "'search' holds 'exclude: true' or 'boost: 2' (indented below it)")
        elif key == "search":
            for name, item in value.items():
                if name not in ("exclude", "boost"):
                    fail((key, name), f"unknown setting 'search.{name}'", "write 'exclude: true' or 'boost: 2'",
                         code="unknown-field")
                elif not (isinstance(item, bool) if name == "exclude" else
                          isinstance(item, (int, float)) and not isinstance(item, bool) and 0 < item <= 10):
                    fail((key, name), "'search.exclude' is true or false; 'search.boost' a number from 0 to 10")
        elif key == "status" and value not in STATUS:
            fail((key,), f"'status' is one of: {', '.join(STATUS)}")
    return data if ok else {}


# A level-one heading: '#', blanks, then the rest of its line (a lazy title before '\s*#*\s*$' took a
# time growing with the cube of a run of blanks in it).
_HEADING = re.compile(r"^#[^\S\n]++([^\n]+)", re.MULTILINE)


def page_title(text: str, fallback: str) -> str:
    """A page's title as MkDocs finds it after the front matter: its first level-one heading that is
    not inside code, without the closing hashes a heading may end with."""
    code = code_ranges(text)
    for match in _HEADING.finditer(text):
        line = match.group(1).rstrip()
        if line and not within(match.start(), code):
            return line.rstrip("#").rstrip() or line[:1]
    return fallback


def read_pages(root: Path, docs_dir: str, diagnostics: Diagnostics, generated: Iterable[str]
               ) -> tuple[set[str], list[MarkdownSource]]:
    """``docs/`` read once: the site path of every file that may be published (``scan_docs``, the
    theme's own paths reserved) and each hand-written page as a text to process, titled."""
    docs = root / docs_dir
    files = scan_docs(root, docs_dir, diagnostics, reserved=theme_paths(material_templates_dir(), root / "overrides"),
                      generated=generated)
    pages = []
    for file in files:
        text = read_source(file, root, diagnostics) if file.suffix == ".md" else None
        if text is not None:
            meta = check_page_meta(text.path, text.text, diagnostics)
            title = str(meta.get("title") or "") or page_title(text.text, file.stem)
            pages.append(MarkdownSource(text.text, text.path, 1, PageRef(file.relative_to(docs).as_posix(), title)))
    return {file.relative_to(docs).as_posix() for file in files}, pages
