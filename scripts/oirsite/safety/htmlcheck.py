"""The check sees what the sanitizer would remove: texts that could carry HTML (those holding ``<``,
``{`` or ``&`` outside their ``{{ list }}`` placeholders: link schemes were held by ``markup`` already,
and a generated list is made of escaped text) are rendered with the site's Markdown settings and
sanitized, so ``--check`` reports everything the build would refuse, at its line. (The build sanitizes
every page again at the output: safety never depends on this early look.)"""

from __future__ import annotations

from typing import Any, Iterable

import markdown

from ..core.diagnostics import Diagnostics
from ..read.scan import BLOCK, dense_blocks
from ..core.memo import Memo
from .sanitize import Locator, sanitize

RISKY = ("<", "{", "&")


def check_rendered(texts: Iterable[tuple[Any, str]], extensions: list[str], settings: dict[str, dict],
                   diagnostics: Diagnostics, memo: Memo | None = None) -> None:
    """Render each (source, processed Markdown) that could carry HTML; report what the sanitizer removes.

    ``memo`` (a live preview keeps one) holds what each text gave last time: only texts that
    changed are rendered again. It is keyed by the Markdown settings too."""
    renderer = None
    flavour = repr((extensions, settings))
    for source, processed in texts:
        written = BLOCK.sub("", source.text) if "{{" in source.text else source.text
        if not any(mark in written for mark in RISKY) or dense_blocks(source.text):
            continue  # nothing that could carry HTML; or refused already (too complex to render)
        key = (flavour, processed)
        removals = memo.recall(key) if memo is not None else None
        if removals is None:
            if renderer is None:
                try:
                    renderer = markdown.Markdown(extensions=extensions, extension_configs=settings)
                except Exception as exc:  # an extension that cannot be loaded: MkDocs says so in the build
                    diagnostics.error("mkdocs.yml", 1, 1, "config", f"a Markdown extension cannot be loaded: {exc}")
                    return
            _, removals = sanitize(renderer.reset().convert(processed))
            if memo is not None:
                memo.keep(key, removals)
        locator = Locator(source.text) if removals else None
        for removal in removals:
            line, col = locator.find(removal)
            diagnostics.error(source.file, source.first_line + line - 1, col, removal.code, removal.message,
                              removal.hint)
