"""Export: every page of the site as ordinary Markdown in a folder, with the files beside them.

The result builds with a plain ``mkdocs build`` and no hooks (the benchmark's floor), and it is
the road to an engine that runs no MkDocs hooks at all.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .render import abbreviations_markdown, used_abbreviations
from .site import SiteBuild


def export(site: SiteBuild, out: Path, abbreviations: bool = True) -> int:
    """Write all pages and generated files of ``site`` under ``out``; returns how many files.

    With ``abbreviations``, every page ends with the definitions of the glossary's acronyms that
    it uses, so that any engine with Markdown abbreviations shows them."""
    docs = site.settings.root / site.settings.docs_dir
    count = 0
    if docs.is_dir():  # stylesheets, scripts, images: copied as they are
        for path in docs.rglob("*"):
            if path.is_file() and path.suffix != ".md":
                target = out / path.relative_to(docs)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
                count += 1
    pages = {**site.hand_written, **site.generated}
    for rel, page in pages.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        used = used_abbreviations(page.markdown, site.abbreviations) if abbreviations else {}
        suffix = f"\n\n{abbreviations_markdown(used)}\n" if used else "\n"
        target.write_text(page.markdown + suffix, encoding="utf-8")
        count += 1
    for rel, text in site.render_files().items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        count += 1
    return count
