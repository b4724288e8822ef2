"""Export: every page of the site as ordinary Markdown in a folder, with the files beside them.

The result builds with a plain ``mkdocs build`` and no hooks (the benchmark's floor), and it is
the road to an engine that runs no MkDocs hooks at all. ``export`` writes into a folder it is given
(``build.py export`` gives it a new staging folder and swaps it into place: see ``outdir``); it
writes nothing outside that folder and copies no symbolic link.

The export is safe for any engine, on the same path as the MkDocs build (``sanitize``):

* every page's front matter is written anew with every string escaped (``escape_meta``), so a
  template that prints ``page.meta.description`` as it is (Zensical's all do) writes text; the
  JSON-LD of a generated page is written by the one escaper for a <script> (``script_json``),
  and no other page carries any;
* every page is rendered with the site's Markdown settings and passed through the one sanitizer
  (``SanitizeExtension`` below, with its table of contents): if anything would be removed, nothing is
  exported and each problem is said at its place (``ExportRefused``). The engine's own rendering
  runs the same extension again at its output (scripts/zensical_build.py).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import markdown
import yaml

from ..core.diagnostics import Diagnostic, Diagnostics, Severity, summary
from ..read.docs_files import list_docs
from ..read.source import front_matter_bounds
from ..core.escape import script_json
from ..outputs.outdir import OutputRefused
from ..outputs.redirects import redirect_pages
from ..pages.abbreviations import abbreviations_markdown, first_use_only, used_abbreviations
from ..safety.sanitize import Removal, escape_meta, locate_in, sanitize, sanitize_toc
from ..site import SiteBuild

# MkDocs's own rule for front matter (mkdocs.utils.meta): what it reads as settings, the export rewrites.


class ExportRefused(OutputRefused):
    """Pages hold HTML that the sanitizer would remove: nothing is exported (the message lists them)."""

    def __init__(self, diagnostics: Diagnostics):
        self.diagnostics = diagnostics
        lines = [d.format_text() for d in sorted(diagnostics)]
        super().__init__(f"nothing was exported: the pages hold HTML that is not allowed ({summary(diagnostics)}):\n"
                         + "\n".join(lines))


def export(site: SiteBuild, out: Path, abbreviations: bool = True) -> int:
    """Write all pages and generated files of ``site`` under ``out``; returns how many files.

    With ``abbreviations``, every page ends with the definitions of the glossary's acronyms that
    it uses, so that any engine with Markdown abbreviations shows them. Raises ExportRefused,
    having written nothing, if a page's HTML would lose anything to the sanitizer."""
    pages = {**site.hand_written, **site.generated}
    texts: dict[str, str] = {}
    problems = Diagnostics()
    extensions = list(site.settings.markdown_extensions or [])
    if "md_in_html" not in extensions:  # the generated pages are written for it (their card grids)
        extensions.append("md_in_html")
    renderer = markdown.Markdown(extensions=[*extensions, SanitizeExtension()],
                                 extension_configs=site.settings.mdx_configs)
    for rel, page in pages.items():
        meta, body = safe_page(page.markdown, generated=rel in site.generated, jsonld=page.jsonld,
                               hide_toc=page.hide_toc)
        used = used_abbreviations(page.markdown, site.abbreviations) if abbreviations else {}
        body += f"\n\n{abbreviations_markdown(used)}\n" if used else "\n"
        try:
            renderer.reset().convert(body)
        except UnsafeContent as refused:
            for removal in refused.removals:
                problems.append(locate_removal(site, rel, removal))
        texts[rel] = meta + body
    if problems:
        raise ExportRefused(problems)
    docs = site.settings.root / site.settings.docs_dir
    count = 0
    for path in list_docs(docs):  # stylesheets, scripts, images: copied as they are (never a link)
        if path.suffix != ".md" and not path.is_symlink():
            shutil.copyfile(path, _target(out, path.relative_to(docs).as_posix()))
            count += 1
    for rel, text in texts.items():
        _target(out, rel).write_text(text, encoding="utf-8")
        count += 1
    for rel, text in site.render_files().items():
        _target(out, rel).write_text(text, encoding="utf-8")
        count += 1
    # The old addresses (former ids, replaced hand-written pages), as the MkDocs build writes them.
    for rel, text in redirect_pages(site.catalog, site.settings.site_url, use_directory_urls=True).items():
        _target(out, rel).write_text(text, encoding="utf-8")
        count += 1
    return count


def safe_page(text: str, generated: bool, jsonld: str | None = None, hide_toc: bool = False) -> tuple[str, str]:
    """A page's front matter, written anew with every value escaped, and its body.

    The front matter is always written (``{}`` when the page has none), so no engine can read
    anything else at the top of the page as settings. Only a generated page has JSON-LD (``jsonld``,
    else its front matter's, written again by the one escaper)."""
    bounds = front_matter_bounds(text, mkdocs=True)
    meta = (yaml.safe_load(text[bounds[0]:bounds[1]]) if bounds else None) or {}  # checked already (docs_files)
    body = text[bounds[2]:] if bounds else text
    written = meta.pop("jsonld", None) if isinstance(meta, dict) else None
    meta = escape_meta(meta) if isinstance(meta, dict) else {}
    if generated and hide_toc:
        meta["hide"] = ["toc"]
    if generated and (jsonld or written):
        meta["jsonld"] = jsonld or script_json(json.loads(written) if isinstance(written, str) else written)
    lines = "".join(f"{key}: {json.dumps(value, default=str)}\n" for key, value in meta.items()) or "{}\n"
    return f"---\n{lines}---\n\n", body


def locate_removal(site: SiteBuild, uri: str, removal: Removal) -> Diagnostic:
    """Where a removal from the page ``uri`` stands: the file an editor changes, found by the
    removed text (an index page is made from many entries: each is looked in)."""
    made = site.generated.get(uri) or site.hand_written.get(uri)
    candidates = [made.source] if made is not None and made.source else []
    if not candidates:
        candidates = sorted({p.source for p in site.generated.values() if p.source})
    path, line, col = locate_in(removal, site.settings.root, candidates, f"{site.settings.docs_dir}/{uri}")
    return Diagnostic(path, line, col, Severity.ERROR, removal.code, removal.message, removal.hint)


def _target(out: Path, rel: str) -> Path:
    """``out / rel``, its folder made; a path that would leave ``out`` is a bug, never written."""
    parts = rel.split("/")
    if not rel or rel.startswith("/") or any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"refusing to export to a path outside the folder: {rel!r}")
    target = out.joinpath(*parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


class UnsafeContent(Exception):
    """A page's HTML held something outside the allowlist (an engine without our hooks stops)."""

    def __init__(self, removals: list[Removal]):
        self.removals = removals
        super().__init__("; ".join(sorted({removal.message for removal in removals})))


class _Arm(markdown.treeprocessors.Treeprocessor):
    """Runs after every other tree step: from here on, the postprocessors work on the page itself
    (the toc extension also runs them, earlier, on its own table of contents, which it keeps apart)."""

    def __init__(self, md: markdown.Markdown, state: dict):
        super().__init__(md)
        self.state = state

    def run(self, root):
        self.state["page"] = True


class _Disarm(markdown.preprocessors.Preprocessor):
    def __init__(self, md: markdown.Markdown, state: dict):
        super().__init__(md)
        self.state = state

    def run(self, lines: list[str]) -> list[str]:
        self.state["page"] = False
        return lines


class _Sanitize(markdown.postprocessors.Postprocessor):
    def __init__(self, md: markdown.Markdown, state: dict):
        super().__init__(md)
        self.state = state

    def run(self, text: str) -> str:
        if not self.state["page"]:
            return text  # the toc extension's own string (md.toc): its tokens are sanitized below
        clean, removals = sanitize(text)
        removals += sanitize_toc(getattr(self.md, "toc_tokens", []))
        if removals:
            raise UnsafeContent(removals)
        return first_use_only(clean)


class SanitizeExtension(markdown.Extension):
    """The sanitizer at the end of Python-Markdown, for an engine that runs no hooks of ours
    (Zensical's configuration lists it as ``oirsite.tools.export:SanitizeExtension``): the page's HTML
    and its table of contents are sanitized as the last step, and a page from which anything had
    to be removed stops the build (the export refuses such pages first, with their place)."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        state = {"page": False}
        md.preprocessors.register(_Disarm(md, state), "oirsite-disarm", 1000)  # before every other one
        md.treeprocessors.register(_Arm(md, state), "oirsite-arm", -1000)  # after every other one
        md.postprocessors.register(_Sanitize(md, state), "oirsite-sanitize", -1000)  # after every other one
