"""Export: every page of the site as ordinary Markdown in a folder, with the files beside them, for a plain
``mkdocs build`` (the benchmark's floor) or an engine that runs no hooks of ours (Zensical). Nothing is
written outside the folder, no symbolic link copied. It is as safe as the MkDocs build: front matter is
written anew, every string escaped (Zensical's templates print ``page.meta.description`` as it is), JSON-LD
only on generated pages, by the one escaper; every page passes the one sanitizer (``SanitizeExtension``, run
again by the engine): if it would remove anything, nothing is exported (``ExportRefused``, at each place)."""

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


class ExportRefused(OutputRefused):
    """Pages hold HTML that the sanitizer would remove: nothing is exported."""

    def __init__(self, diagnostics: Diagnostics):
        self.diagnostics = diagnostics
        super().__init__(f"nothing was exported: the pages hold HTML that is not allowed ({summary(diagnostics)}):\n"
                         + "\n".join(d.format_text() for d in sorted(diagnostics)))


def export(site: SiteBuild, out: Path) -> int:
    """Write all pages and generated files of ``site`` under ``out``; returns how many files. Every
    page ends with the definitions of the glossary's acronyms it uses (for any engine's Markdown
    abbreviations). Raises ExportRefused, having written nothing, if the sanitizer would change a page."""
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
        used = used_abbreviations(page.markdown, site.abbreviations)
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
    copied = [path for path in list_docs(docs) if path.suffix != ".md" and not path.is_symlink()]
    for path in copied:  # stylesheets, scripts, images: copied as they are (never a link)
        shutil.copyfile(path, _target(out, path.relative_to(docs).as_posix()))
    # The pages, the feed and calendars, the old addresses (former ids, replaced hand-written pages).
    redirects = redirect_pages(site.catalog, site.settings.site_url, use_directory_urls=True)
    written = [*texts.items(), *site.render_files().items(), *redirects.items()]
    for rel, text in written:
        _target(out, rel).write_text(text, encoding="utf-8")
    return len(copied) + len(written)


def safe_page(text: str, generated: bool, jsonld: str | None = None, hide_toc: bool = False) -> tuple[str, str]:
    """A page's front matter, written anew with every value escaped (``{}`` when it has none, so that
    no engine reads anything else at its top as settings), and its body. Only a generated page has
    JSON-LD (``jsonld``, else its front matter's, written again by the one escaper)."""
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
    """Where a removal from the page ``uri`` stands, by the removed text: in the file an editor changes
    (an index page is made from many entries: each is looked in)."""
    made = site.generated.get(uri) or site.hand_written.get(uri)
    candidates = [made.source] if made is not None and made.source else []
    if not candidates:
        candidates = sorted({p.source for p in site.generated.values() if p.source})
    path, line, col = locate_in(removal, site.settings.root, candidates, f"{site.settings.docs_dir}/{uri}")
    return Diagnostic(path, line, col, Severity.ERROR, removal.code, removal.message, removal.hint)


def _target(out: Path, rel: str) -> Path:
    """``out / rel``, its folder made; a path leaving ``out`` is a bug, never written."""
    parts = rel.split("/")
    if not rel or rel.startswith("/") or any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"refusing to export to a path outside the folder: {rel!r}")
    target = out.joinpath(*parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


class UnsafeContent(Exception):
    """A page's HTML held something outside the allowlist."""

    def __init__(self, removals: list[Removal]):
        self.removals = removals
        super().__init__("; ".join(sorted({removal.message for removal in removals})))


class _Arm(markdown.treeprocessors.Treeprocessor):
    """After every other tree step: from here on, the postprocessors work on the page itself (the toc
    extension also runs them, earlier, on its own table of contents, which it keeps apart)."""

    def run(self, root):
        self.md.oirsite_page = True


class _Disarm(markdown.preprocessors.Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        self.md.oirsite_page = False
        return lines


class _Sanitize(markdown.postprocessors.Postprocessor):
    def run(self, text: str) -> str:
        if not self.md.oirsite_page:
            return text  # the toc extension's own string (md.toc): its tokens are sanitized below
        clean, removals = sanitize(text)
        removals += sanitize_toc(getattr(self.md, "toc_tokens", []))
        if removals:
            raise UnsafeContent(removals)
        return first_use_only(clean)


class SanitizeExtension(markdown.Extension):
    """The sanitizer as the last step of Python-Markdown, for an engine that runs no hooks of ours
    (Zensical's configuration lists it as ``oirsite.tools.export:SanitizeExtension``): a page from
    which its HTML or table of contents would lose anything stops the build."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.oirsite_page = False
        md.preprocessors.register(_Disarm(md), "oirsite-disarm", 1000)  # before every other one
        md.treeprocessors.register(_Arm(md), "oirsite-arm", -1000)  # after every other one
        md.postprocessors.register(_Sanitize(md), "oirsite-sanitize", -1000)  # after every other one
