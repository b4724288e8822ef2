"""Export: every page of the site as ordinary Markdown in a folder, with the files beside them.

The result builds with a plain ``mkdocs build`` and no hooks (the benchmark's floor), and it is
the road to an engine that runs no MkDocs hooks at all. ``export`` writes into a folder it is given
(``build.py export`` gives it a new staging folder and swaps it into place: see ``outdir``); it
writes nothing outside that folder and copies no symbolic link.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .docs_files import list_docs
from .render import abbreviations_markdown, used_abbreviations
from .site import SiteBuild


def export(site: SiteBuild, out: Path, abbreviations: bool = True) -> int:
    """Write all pages and generated files of ``site`` under ``out``; returns how many files.

    With ``abbreviations``, every page ends with the definitions of the glossary's acronyms that
    it uses, so that any engine with Markdown abbreviations shows them."""
    docs = site.settings.root / site.settings.docs_dir
    count = 0
    for path in list_docs(docs):  # stylesheets, scripts, images: copied as they are (never a link)
        if path.suffix != ".md" and not path.is_symlink():
            shutil.copyfile(path, _target(out, path.relative_to(docs).as_posix()))
            count += 1
    pages = {**site.hand_written, **site.generated}
    for rel, page in pages.items():
        used = used_abbreviations(page.markdown, site.abbreviations) if abbreviations else {}
        suffix = f"\n\n{abbreviations_markdown(used)}\n" if used else "\n"
        _target(out, rel).write_text(page.markdown + suffix, encoding="utf-8")
        count += 1
    for rel, text in site.render_files().items():
        _target(out, rel).write_text(text, encoding="utf-8")
        count += 1
    return count


def _target(out: Path, rel: str) -> Path:
    """``out / rel``, its folder made; a path that would leave ``out`` is a bug, never written."""
    parts = rel.split("/")
    if not rel or rel.startswith("/") or any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"refusing to export to a path outside the folder: {rel!r}")
    target = out.joinpath(*parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    return target
