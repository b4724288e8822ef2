"""An entry's page: what its collection renders, then the pages that refer to it, with its metadata."""

from __future__ import annotations

import html

from ..loader import Entry
from .context import PageContext
from ..syndication import script_json
from .markdown import esc, front_matter, section


def referenced_by(ctx: PageContext, entry: Entry) -> str:
    return "\n".join(f"- [{esc(ref.title)}]({ctx.rel(ref.path)})" for ref in ctx.catalog.referenced_by(entry))


def render_entry_page(ctx: PageContext, entry: Entry, body: str) -> str:
    """The page of one entry: its collection's parts (facts, summary, body, sections), the pages
    that refer to it, and its front matter (description, tags, structured data)."""
    spec = entry.spec
    ctx = ctx.at(entry.page)
    parts = spec.render(ctx, entry, body)
    parts.append(section("Referenced by", referenced_by(ctx, entry)).lstrip("\n"))
    text = "\n\n".join(part.strip("\n") for part in parts if part and part.strip())
    structured = spec.json_ld(ctx, entry) if spec.json_ld else None
    title = spec.page_title(entry.data) if spec.page_title else entry.title
    # Material writes the description into an attribute as it is: it must be escaped here.
    meta = front_matter(description=html.escape(spec.summary(entry.data) or "", quote=True),
                        tags=spec.tags(entry.data), jsonld=script_json(structured) if structured else None)
    return meta + f"# {esc(title)}\n\n{text}\n"
