"""Sources: the pages and sites the facts of every other entry come from.

Every entry names its sources (``sources: [id, ...]``, a field of every entry); an entry of a
collection that states facts (``CollectionSpec.fact_bearing``) must name at least one once the
site keeps sources at all. Sources have no page of their own: each is an anchor on the sources
page, and every entry page ends with a short "Sources" section linking there.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, StringConstraints

from ..model.fields import EntryModel, HttpsUrl, Text
from ..core.escape import yaml_scalar as scalar
from ..core.markdown_text import esc
from ..model.collection import CollectionSpec, Scaffold, ScaffoldRequest, View


Day = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]


class Source(EntryModel):
    """A page or site that facts on this site rest on."""

    title: Text
    publisher: Text = Field(description="Who publishes it, for example 'American Medical Association'.")
    url: HttpsUrl | None = Field(default=None, description="Its address, where it has one (https only).")
    consulted: Day = Field(description="The day an editor read it for this site (YYYY-MM-DD).")


def _when(day: str) -> str:
    from ..core.dates import PartialDate, format_date
    return format_date(PartialDate.parse(day))


def describe(entry: Entry) -> str:
    """One source as one line of Markdown: its title (a link where it has an address), publisher, date."""
    source: Source = entry.data  # type: ignore[assignment]
    title = f"[{esc(source.title)}](<{source.url}>)" if source.url else esc(source.title)
    return f"{title}, {esc(source.publisher)}, consulted {_when(source.consulted)}"


def render_index(ctx: PageContext) -> str:
    entries = sorted(ctx.in_collection("sources"), key=lambda e: (e.data.publisher.lower(), e.data.title.lower()))
    items = []
    for entry in entries:
        source: Source = entry.data  # type: ignore[assignment]
        heading = f"## {esc(source.title)} {{#{entry.id}}}"
        facts = [f"- **Published by:** {esc(source.publisher)}"]
        if source.url:
            facts.append(f"- **Address:** <{source.url}>")
        facts.append(f"- **Consulted:** {_when(source.consulted)}")
        items.append(heading + "\n\n" + "\n".join(facts))
    intro = ("The pages and sites the facts on this site come from. Every page ends with the sources "
             "of what it states.")
    return ("---\ndescription: \"The sources of the facts on this site: who publishes them and when they "
            "were consulted.\"\n---\n\n# Sources\n\n" + intro + "\n\n" + "\n\n".join(items) + "\n")


def template(req: ScaffoldRequest) -> str:

    today = dt.date.today().isoformat()
    return f"""# A new source: a page or site that facts on this site come from.
title: {scalar(req.title)}
publisher: TODO           # who publishes it
# url: https://...        # its address, if it has one
consulted: {today}        # the day you read it
"""


SPEC = CollectionSpec(
    name="sources", model=Source, singular="source", title="Sources", order=95,
    display_name=lambda source: source.title, has_pages=False, fact_bearing=False,
    summary=lambda source: None, view=View(render_index), scaffold=Scaffold(template),
)
